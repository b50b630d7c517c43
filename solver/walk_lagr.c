/*
 * walk_lagr.c: a valid walking bound for min_distance from any duals, by
 * Lagrangian relaxation of the unit rows, the budget row and the cuts.
 *
 * The walking model of walk.c and walk_bound.c (whole units, at most B
 * avoidably underfilled stations, one station per site):
 *
 *   min  sum_c w_c x_c
 *   s.t. sum_{c serves u} x_c = 1              every unit u
 *        sum_{c underfilled} x_c <= B
 *        sum_c floor(|c n S_k| / 2) x_c <= floor(|S_k| / 2)  cuts (odd sets)
 *        sum_{c at site j} x_c <= 1            every site j, x binary.
 *
 * For any pi, any mu <= 0 and sigma <= 0, moving the first three rows into
 * the objective leaves one independent choice per site (no station, or one
 * of its stations), so
 *
 *   L = sum_u pi_u + mu B + sum_k sigma_k floor(|S_k| / 2)
 *       + sum_j min(0, min_{c at j} rc_c),
 *   rc_c = w_c - sum_{u in c} pi_u - mu [c underfilled] - sum_k sigma_k a_kc
 *
 * is at most the walking of every plan (weak duality; the site rows are
 * kept, which makes it at least the LP bound z + K min rc of colgen.c for
 * the same duals). It holds whatever the duals: those of the LPs of a very
 * large sub's blocks (walk_blocks.c) give one for the whole sub, which is
 * never the blocks' own bound. When the duals are an optimal dual solution
 * of the LP of walk_bound.c, L equals that LP's value.
 *
 * Each site is priced exactly over its stations (subsets of the units
 * in reach within households_max, the cut coefficients counted as units
 * are added); a site with more than WL_SITE_COLS of them gets the
 * fractional knapsack (Dantzig) bound instead, still valid (cuts and the
 * budget only raise reduced costs). The stations are listed once into a
 * store while they fit in memory (those of the 20,000-community
 * metropolis), else at every step. For fixed pi and sigma the best mu is
 * exact: per site the term is min(A_j, U_j - mu) (A_j the least reduced
 * cost of no station or one in the band, U_j of an underfilled one), so
 * the slope of L in mu is B - #{j : U_j - A_j < mu} and mu* is the
 * (B + 1)-th smallest U_j - A_j (at most 0).
 *
 * Duals from the LPs of parts leave stations across the seams pricing out
 * at many sites each; a dual ascent first (every station listed while they
 * fit in memory: a station with a negative reduced cost lowers its units'
 * pi by equal shares, smaller stations first, then each unit's pi rises by
 * the least reduced cost of the stations serving it) makes them dual
 * feasible (over the store; without one there is no ascent); it is tried
 * at a few multipliers around the best one of the
 * given duals and around the given one (d->mu), and kept only when the
 * bound rises.
 * Then subgradient steps (Polyak, towards the walking of a known plan, the
 * step factor halved after WL_STALL steps without progress) on pi and
 * sigma, keeping the best duals. Sites are priced in WL_CHUNKS fixed
 * chunks on threads and summed in site order: the result does not depend
 * on the number of threads.
 */
#include "solver_int.h"
#include "clock.h"
#include "grow.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Stations of one site listed at most; more and its Dantzig bound. */
#define WL_SITE_COLS 20000
#define WL_CHUNKS    64
/* Unit entries of the stations the store holds at most (wl_store: about
 * 30 bytes a station besides); more and every step lists them again. */
#define WL_ASCENT_NZ 40000000
/* Subgradient steps without a better bound before the step halves. */
#define WL_STALL 8

typedef struct wl {
	const sp_sub *s;
	const sp_params *p;
	walk_duals *d;
	size_t *ucs; /* per unit: its cuts ucut[ucs[u]..ucs[u+1]) */
	int *ucut;
	double *A, *U;       /* per site: least rc in the band (<= 0: none is 0), underfilled */
	int *an, *un;        /* per site: units of those stations (-1: not known) */
	int *acol, *ucol;    /* their units, at s->ss[j] */
	struct wl_store *st; /* every station listed, or NULL: priced by listing */
	int failed;
} wl;

typedef struct wl_scratch {
	wl *w;
	int j, n;
	int *cur, *hits, *best_a, *best_u;
	double *prof;
	long cols;
	double a, u;
	int na, nu;
} wl_scratch;

/* Fractional knapsack bound on the profit of any station at site j. */
static double site_dantzig(const wl *w, int j, double *prof, long *wt)
{
	const sp_sub *s = w->s;
	int n = 0;
	for (size_t q = s->ss[j]; q < s->ss[j + 1]; q++) {
		int u = s->sunit[q];
		double pr = w->d->pi[u] - (double)s->h[u] * s->sdist[q] / s->dscale;
		if (pr > 0) {
			prof[n] = pr;
			wt[n++] = s->h[u] > 0 ? s->h[u] : 1;
		}
	}
	double ub = 0;
	long left = w->p->hmax;
	while (n > 0 && left > 0) { /* best ratio first, by selection: n is small */
		int b = 0;
		for (int i = 1; i < n; i++)
			if (prof[i] * (double)wt[b] > prof[b] * (double)wt[i])
				b = i;
		ub += wt[b] <= left ? prof[b] : prof[b] * (double)left / (double)wt[b];
		left -= wt[b] < left ? wt[b] : left;
		prof[b] = prof[--n];
		wt[b] = wt[n];
	}
	return ub;
}

/* The reach-set enumeration list_site() and store_site() share: the first
 * unit of site x->j at index *q or after that fits a station of `load`
 * households (*q moved to it), counted in x->cols. Returns the unit, -1
 * when the site has no more, WL_OVER when x->cols passes WL_SITE_COLS. */
#define WL_OVER (-2)
static int next_unit(wl_scratch *x, size_t *q, long load)
{
	const sp_sub *s = x->w->s;
	for (; *q < s->ss[x->j + 1]; ++*q) {
		int u = s->sunit[*q];
		if (rules_band_over(sp_band(x->w->p), load + s->h[u]))
			continue;
		return ++x->cols > WL_SITE_COLS ? WL_OVER : u;
	}
	return -1;
}

/* Stations of site j from its unit index q on, cur[0..n) chosen, with
 * load, reduced cost so far (walking - pi - cut terms). Returns 1 when
 * over WL_SITE_COLS. */
static int list_site(wl_scratch *x, size_t q, int n, long load, double rc, int isolated)
{
	const wl *w = x->w;
	const sp_sub *s = w->s;
	for (int u; (u = next_unit(x, &q, load)) != -1; q++) {
		if (u == WL_OVER)
			return 1;
		double r = rc - x->prof[q - s->ss[x->j]];
		for (size_t e = w->ucs[u]; e < w->ucs[u + 1]; e++)
			if (++x->hits[w->ucut[e]] % 2 == 0)
				r -= w->d->sigma[w->ucut[e]];
		x->cur[n] = u;
		int under = rules_band_under(sp_band(w->p), load + s->h[u]) && !isolated;
		if (under && r < x->u) {
			x->u = r;
			x->nu = n + 1;
			memcpy(x->best_u, x->cur, (size_t)(n + 1) * sizeof(int));
		} else if (!under && r < x->a) {
			x->a = r;
			x->na = n + 1;
			memcpy(x->best_a, x->cur, (size_t)(n + 1) * sizeof(int));
		}
		int over = list_site(x, q + 1, n + 1, load + s->h[u], r, isolated);
		for (size_t e = w->ucs[u]; e < w->ucs[u + 1]; e++)
			x->hits[w->ucut[e]]--;
		if (over)
			return 1;
	}
	return 0;
}

/* Price the sites of chunk c (sp_parallel_for). */
static void price_chunk(void *arg, size_t c)
{
	wl *w = arg;
	const sp_sub *s = w->s;
	int j0 = (int)((size_t)s->ns * c / WL_CHUNKS),
	    j1 = (int)((size_t)s->ns * (c + 1) / WL_CHUNKS);
	int maxn = 1;
	for (int j = j0; j < j1; j++)
		if ((int)(s->ss[j + 1] - s->ss[j]) > maxn)
			maxn = (int)(s->ss[j + 1] - s->ss[j]);
	wl_scratch x = {.w = w};
	x.cur = malloc((size_t)maxn * sizeof(int));
	x.prof = malloc((size_t)maxn * sizeof(double));
	long *wt = malloc((size_t)maxn * sizeof(long));
	x.hits = calloc((size_t)w->d->ncut + 1, sizeof(int));
	if (!x.cur || !x.prof || !wt || !x.hits) {
		__atomic_store_n(&w->failed, 1, __ATOMIC_RELAXED);
		goto out;
	}
	for (int j = j0; j < j1; j++) {
		size_t o = s->ss[j];
		for (size_t q = o; q < s->ss[j + 1]; q++)
			x.prof[q - o] = w->d->pi[s->sunit[q]] -
			                (double)s->h[s->sunit[q]] * s->sdist[q] / s->dscale;
		x.j = j;
		x.cols = 0;
		x.a = 0;
		x.u = INFINITY;
		x.na = x.nu = 0;
		x.best_a = w->acol + o;
		x.best_u = w->ucol + o;
		if (list_site(&x, o, 0, 0, 0.0, sp_isolated(s, w->p, j))) {
			memset(x.hits, 0, ((size_t)w->d->ncut + 1) * sizeof(int));
			w->A[j] = fmin(0.0, -site_dantzig(w, j, x.prof, wt));
			w->U[j] = INFINITY;
			w->an[j] = w->un[j] = -1;
			continue;
		}
		w->A[j] = x.a;
		w->U[j] = x.u;
		w->an[j] = x.na;
		w->un[j] = x.nu;
	}
out:
	free(x.cur);
	free(x.prof);
	free(wt);
	free(x.hits);
}

/* L at the current duals with the best mu (*mu); t scratch of ns. */
/* Every station of every site listed once (sites over WL_SITE_COLS left
 * to their Dantzig bound), for the ascent and the pricing of each step:
 * station q at its site's range site0[j]..site0[j+1], its units
 * unit[start[q]..start[q+1]), walking cost, underfilled flag and cut
 * coefficients (cut ck[e], coefficient cc[e] for e in cs[q]..cs[q+1]). */
typedef struct wl_store {
	size_t n, cap, nz, nzcap, nk, nkcap;
	size_t *start, *cs, *site0;
	int *unit, *ck, *cc;
	double *cost;
	unsigned char *under, *fb;
} wl_store;

static void store_free(wl_store *c)
{
	free(c->start);
	free(c->cs);
	free(c->site0);
	free(c->unit);
	free(c->ck);
	free(c->cc);
	free(c->cost);
	free(c->under);
	free(c->fb);
	memset(c, 0, sizeof(*c));
}

/* Append a station. -1 on ENOMEM or over WL_ASCENT_NZ unit entries. */
static int store_push(wl_store *c, const wl *w, const int *cur, int n, double cost, int under,
                      const int *hits)
{
	if (c->nz + (size_t)n > WL_ASCENT_NZ)
		return -1;
	if (c->n + 1 >= c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 65536;
		if (grow_to(&c->start, cap + 1, sizeof(size_t)) ||
		    grow_to(&c->cs, cap + 1, sizeof(size_t)) ||
		    grow_to(&c->cost, cap, sizeof(double)) || grow_to(&c->under, cap, 1))
			return -1;
		c->cap = cap;
	}
	if (c->nz + (size_t)n > c->nzcap) {
		size_t cap = grow_cap(c->nzcap, c->nz + (size_t)n);
		if (grow_to(&c->unit, cap, sizeof(int)))
			return -1;
		c->nzcap = cap;
	}
	if (c->n == 0)
		c->start[0] = c->cs[0] = 0;
	memcpy(c->unit + c->nz, cur, (size_t)n * sizeof(int));
	c->nz += (size_t)n;
	c->cost[c->n] = cost;
	c->under[c->n] = (unsigned char)under;
	for (int i = 0; i < n && n > 1; i++) /* cuts with two units or more, once */
		for (size_t e = w->ucs[cur[i]]; e < w->ucs[cur[i] + 1]; e++) {
			int k = w->ucut[e], seen = 0;
			if (hits[k] < 2)
				continue;
			for (size_t f = c->cs[c->n]; f < c->nk && !seen; f++)
				seen = c->ck[f] == k;
			if (seen)
				continue;
			if (c->nk + 1 > c->nkcap) {
				size_t cap = grow_cap(c->nkcap, c->nk + 1);
				if (grow_to(&c->ck, cap, sizeof(int)) ||
				    grow_to(&c->cc, cap, sizeof(int)))
					return -1;
				c->nkcap = cap;
			}
			c->ck[c->nk] = k;
			c->cc[c->nk++] = hits[k] / 2;
		}
	c->n++;
	c->start[c->n] = c->nz;
	c->cs[c->n] = c->nk;
	return 0;
}

/* Stations of site x->j from unit index q on into c. 1 over WL_SITE_COLS,
 * -1 when c is full or memory ran out. */
static int store_site(wl_scratch *x, wl_store *c, size_t q, int n, long load, double wd,
                      int isolated)
{
	const wl *w = x->w;
	const sp_sub *s = w->s;
	for (int u; (u = next_unit(x, &q, load)) != -1; q++) {
		if (u == WL_OVER)
			return 1;
		double w2 = wd + (double)s->h[u] * s->sdist[q] / s->dscale;
		for (size_t e = w->ucs[u]; e < w->ucs[u + 1]; e++)
			x->hits[w->ucut[e]]++;
		x->cur[n] = u;
		int under = rules_band_under(sp_band(w->p), load + s->h[u]) && !isolated;
		int rr = store_push(c, w, x->cur, n + 1, w2, under, x->hits);
		if (rr == 0)
			rr = store_site(x, c, q + 1, n + 1, load + s->h[u], w2, isolated);
		for (size_t e = w->ucs[u]; e < w->ucs[u + 1]; e++)
			x->hits[w->ucut[e]]--;
		if (rr)
			return rr;
	}
	return 0;
}

/* The store of every site. Returns 0, 1 when it does not fit (c freed),
 * -1 on ENOMEM. */
static int store_build(wl *w, wl_store *c)
{
	const sp_sub *s = w->s;
	int maxn = 1;
	for (int j = 0; j < s->ns; j++)
		if ((int)(s->ss[j + 1] - s->ss[j]) > maxn)
			maxn = (int)(s->ss[j + 1] - s->ss[j]);
	wl_scratch x = {.w = w};
	x.cur = malloc((size_t)maxn * sizeof(int));
	x.hits = calloc((size_t)w->d->ncut + 1, sizeof(int));
	c->site0 = malloc(((size_t)s->ns + 1) * sizeof(size_t));
	c->fb = calloc((size_t)s->ns + 1, 1);
	int rc = x.cur && x.hits && c->site0 && c->fb ? 0 : -1;
	for (int j = 0; j < s->ns && rc == 0; j++) {
		size_t n0 = c->n, z0 = c->nz, k0 = c->nk;
		c->site0[j] = n0;
		x.j = j;
		x.cols = 0;
		int r = store_site(&x, c, s->ss[j], 0, 0, 0.0, sp_isolated(s, w->p, j));
		if (r < 0)
			rc = c->nz + (size_t)maxn > WL_ASCENT_NZ ? 1 : -1;
		else if (r == 1) { /* too many here: its Dantzig bound */
			memset(x.hits, 0, ((size_t)w->d->ncut + 1) * sizeof(int));
			c->n = n0;
			c->nz = z0;
			c->nk = k0;
			c->fb[j] = 1;
		}
	}
	if (rc == 0)
		c->site0[s->ns] = c->n;
	free(x.cur);
	free(x.hits);
	if (rc != 0)
		store_free(c);
	return rc;
}

/* Reduced cost of stored station q without the budget term. */
static double store_rc(const wl *w, const wl_store *c, size_t q)
{
	double r = c->cost[q];
	for (size_t e = c->start[q]; e < c->start[q + 1]; e++)
		r -= w->d->pi[c->unit[e]];
	for (size_t e = c->cs[q]; e < c->cs[q + 1]; e++)
		r -= w->d->sigma[c->ck[e]] * (double)c->cc[e];
	return r;
}

/* Price the sites of chunk ci from the store (sp_parallel_for). */
static void price_store(void *arg, size_t ci)
{
	wl *w = arg;
	const sp_sub *s = w->s;
	const wl_store *c = w->st;
	int j0 = (int)((size_t)s->ns * ci / WL_CHUNKS),
	    j1 = (int)((size_t)s->ns * (ci + 1) / WL_CHUNKS);
	int maxn = 1;
	for (int j = j0; j < j1; j++)
		if ((int)(s->ss[j + 1] - s->ss[j]) > maxn)
			maxn = (int)(s->ss[j + 1] - s->ss[j]);
	double *prof = malloc((size_t)maxn * sizeof(double));
	long *wt = malloc((size_t)maxn * sizeof(long));
	if (!prof || !wt) {
		__atomic_store_n(&w->failed, 1, __ATOMIC_RELAXED);
		goto out;
	}
	for (int j = j0; j < j1; j++) {
		if (c->fb[j]) {
			w->A[j] = fmin(0.0, -site_dantzig(w, j, prof, wt));
			w->U[j] = INFINITY;
			w->an[j] = w->un[j] = -1;
			continue;
		}
		double a = 0, u = INFINITY;
		size_t qa = SIZE_MAX, qu = SIZE_MAX;
		for (size_t q = c->site0[j]; q < c->site0[j + 1]; q++) {
			double r = store_rc(w, c, q);
			if (c->under[q] && r < u) {
				u = r;
				qu = q;
			} else if (!c->under[q] && r < a) {
				a = r;
				qa = q;
			}
		}
		w->A[j] = a;
		w->U[j] = u;
		w->an[j] = w->un[j] = 0;
		if (qa != SIZE_MAX) {
			w->an[j] = (int)(c->start[qa + 1] - c->start[qa]);
			memcpy(w->acol + s->ss[j], c->unit + c->start[qa],
			       (size_t)w->an[j] * sizeof(int));
		}
		if (qu != SIZE_MAX) {
			w->un[j] = (int)(c->start[qu + 1] - c->start[qu]);
			memcpy(w->ucol + s->ss[j], c->unit + c->start[qu],
			       (size_t)w->un[j] * sizeof(int));
		}
	}
out:
	free(prof);
	free(wt);
}

/* One pricing of every site: from the store when there is one. */
static int price_all(wl *w, int nthreads)
{
	sp_parallel_for(nthreads, WL_CHUNKS, NULL, w->st ? price_store : price_chunk, w, 0, 0);
	return w->failed ? -1 : 0;
}

/* Dual ascent at multiplier mu over the store (sites over WL_SITE_COLS
 * left out): first each station with a negative reduced cost lowers the pi
 * of its units by equal shares of it (smaller stations first: a unit alone
 * carries its own excess; lowering pi only raises other reduced costs),
 * then each unit's pi rises by the least reduced cost of the stations
 * serving it. Afterwards no stored station prices out. Returns 0, 1 when
 * there is no store (pi unchanged), -1 on ENOMEM. */
static int ascent(wl *w, double mu)
{
	const sp_sub *s = w->s;
	const wl_store *c = w->st;
	if (!c)
		return 1;
	double *rc = malloc((c->n + 1) * sizeof(double));
	size_t *us = calloc((size_t)s->nu + 2, sizeof(size_t));
	size_t *fill = malloc(((size_t)s->nu + 1) * sizeof(size_t));
	size_t *uc = malloc((c->nz + 1) * sizeof(size_t));
	int r = -1;
	if (!rc || !us || !fill || !uc)
		goto out;
	for (size_t q = 0; q < c->n; q++)
		rc[q] = store_rc(w, c, q) - (c->under[q] ? mu : 0.0);
	for (size_t e = 0; e < c->nz; e++)
		us[c->unit[e] + 1]++;
	for (int u = 0; u < s->nu; u++)
		us[u + 1] += us[u];
	memcpy(fill, us, ((size_t)s->nu + 1) * sizeof(size_t));
	size_t kmax = 1;
	for (size_t q = 0; q < c->n; q++) {
		for (size_t e = c->start[q]; e < c->start[q + 1]; e++)
			uc[fill[c->unit[e]]++] = q;
		if (c->start[q + 1] - c->start[q] > kmax)
			kmax = c->start[q + 1] - c->start[q];
	}
	double *pi = w->d->pi;
	for (size_t k = 1; k <= kmax; k++)
		for (size_t q = 0; q < c->n; q++) {
			if (rc[q] >= 0 || c->start[q + 1] - c->start[q] != k)
				continue;
			double d = rc[q] / (double)k;
			for (size_t e = c->start[q]; e < c->start[q + 1]; e++) {
				int u = c->unit[e];
				pi[u] += d;
				for (size_t f = us[u]; f < us[u + 1]; f++)
					rc[uc[f]] -= d;
			}
			rc[q] = 0; /* exactly, whatever the rounding */
		}
	for (int u = 0; u < s->nu; u++) {
		double m = INFINITY;
		for (size_t f = us[u]; f < us[u + 1]; f++)
			m = fmin(m, rc[uc[f]]);
		if (!(m > 0) || !isfinite(m))
			continue;
		pi[u] += m;
		for (size_t f = us[u]; f < us[u + 1]; f++)
			rc[uc[f]] -= m;
	}
	r = 0;
out:
	free(rc);
	free(us);
	free(fill);
	free(uc);
	return r;
}

static double lagr_value(const wl *w, long budget, double *t, double *mu)
{
	const sp_sub *s = w->s;
	const walk_duals *d = w->d;
	size_t nt = 0;
	for (int j = 0; j < s->ns; j++)
		if (isfinite(w->U[j]))
			t[nt++] = w->U[j] - w->A[j];
	double m = 0;
	if ((size_t)budget < nt) {
		qsort(t, nt, sizeof(double), sp_cmp_double);
		m = fmin(0.0, t[budget]);
	}
	double L = m * (double)budget;
	for (int u = 0; u < s->nu; u++)
		L += d->pi[u];
	for (int k = 0; k < d->ncut; k++)
		L += d->sigma[k] * (double)((d->cstart[k + 1] - d->cstart[k]) / 2);
	for (int j = 0; j < s->ns; j++)
		L += fmin(w->A[j], w->U[j] - m);
	*mu = m;
	return L;
}

/* The subgradient at the duals of the last pricing and mu into g (nu) and
 * gk (ncut), sigma's projected; returns its squared norm. */
static double subgradient(const wl *w, double mu, double *g, double *gk, int *hits)
{
	const sp_sub *s = w->s;
	const walk_duals *d = w->d;
	for (int u = 0; u < s->nu; u++)
		g[u] = 1;
	for (int k = 0; k < d->ncut; k++)
		gk[k] = (double)((d->cstart[k + 1] - d->cstart[k]) / 2);
	for (int j = 0; j < s->ns; j++) {
		const int *cu = NULL;
		int n = 0;
		if (w->U[j] - mu < w->A[j] && w->un[j] > 0) {
			cu = w->ucol + s->ss[j];
			n = w->un[j];
		} else if (w->A[j] < 0 && w->an[j] > 0) {
			cu = w->acol + s->ss[j];
			n = w->an[j];
		}
		for (int i = 0; i < n; i++) {
			g[cu[i]] -= 1;
			for (size_t e = w->ucs[cu[i]]; e < w->ucs[cu[i] + 1]; e++)
				if (++hits[w->ucut[e]] % 2 == 0)
					gk[w->ucut[e]] -= 1;
		}
		for (int i = 0; i < n; i++)
			for (size_t e = w->ucs[cu[i]]; e < w->ucs[cu[i] + 1]; e++)
				hits[w->ucut[e]] = 0;
	}
	double nn = 0;
	for (int u = 0; u < s->nu; u++)
		nn += g[u] * g[u];
	for (int k = 0; k < d->ncut; k++) {
		if (d->sigma[k] >= 0 && gk[k] > 0)
			gk[k] = 0; /* the projection keeps sigma <= 0 */
		nn += gk[k] * gk[k];
	}
	return nn;
}

/* Per unit index of d's cuts. -1 on ENOMEM. */
static int cuts_index(wl *w)
{
	const sp_sub *s = w->s;
	const walk_duals *d = w->d;
	size_t nz = d->ncut > 0 ? d->cstart[d->ncut] : 0;
	w->ucs = calloc((size_t)s->nu + 2, sizeof(size_t));
	w->ucut = malloc((nz + 1) * sizeof(int));
	size_t *fill = malloc(((size_t)s->nu + 1) * sizeof(size_t));
	if (!w->ucs || !w->ucut || !fill) {
		free(fill);
		return -1;
	}
	for (size_t e = 0; e < nz; e++)
		w->ucs[d->cset[e] + 1]++;
	for (int u = 0; u < s->nu; u++)
		w->ucs[u + 1] += w->ucs[u];
	memcpy(fill, w->ucs, ((size_t)s->nu + 1) * sizeof(size_t));
	for (int k = 0; k < d->ncut; k++)
		for (size_t e = d->cstart[k]; e < d->cstart[k + 1]; e++)
			w->ucut[fill[d->cset[e]]++] = k;
	free(fill);
	return 0;
}

int walk_lagr_applies(const sp_sub *s, const sp_params *p)
{
	if (p->objective != OBJECTIVE_MIN_DISTANCE || s->stack)
		return 0;
	for (int u = 0; u < s->nu; u++)
		if (s->k[u] > 1)
			return 0;
	for (int j = 0; j < s->ns; j++)
		if (s->fixed[j])
			return 0;
	return 1;
}

int walk_lagr(const sp_sub *s, const sp_params *p, walk_duals *d, long budget, double ub,
              long iters, double deadline, int nthreads, double *bound)
{
	*bound = -INFINITY;
	if (!walk_lagr_applies(s, p) || budget < 0)
		return 0;
	size_t ns1 = (size_t)s->ns + 1, np = s->ss[s->ns] + 1, nu1 = (size_t)s->nu + 1;
	size_t nk1 = (size_t)d->ncut + 1;
	wl w = {.s = s, .p = p, .d = d};
	w.A = malloc(ns1 * sizeof(double));
	w.U = malloc(ns1 * sizeof(double));
	w.an = malloc(ns1 * sizeof(int));
	w.un = malloc(ns1 * sizeof(int));
	w.acol = malloc(np * sizeof(int));
	w.ucol = malloc(np * sizeof(int));
	double *t = malloc(ns1 * sizeof(double)), *g = malloc(nu1 * sizeof(double));
	double *gk = malloc(nk1 * sizeof(double)), *bpi = malloc(nu1 * sizeof(double));
	double *bsig = malloc(nk1 * sizeof(double)), *asc = malloc(nu1 * sizeof(double));
	int *hits = calloc(nk1, sizeof(int));
	int rc = -1;
	if (!w.A || !w.U || !w.an || !w.un || !w.acol || !w.ucol || !t || !g || !gk || !bpi ||
	    !bsig || !asc || !hits || cuts_index(&w) < 0)
		goto out;
	wl_store st = {0};
	int sb = store_build(&w, &st);
	if (sb < 0)
		goto out;
	w.st = sb == 0 ? &st : NULL;
	double best = -INFINITY, theta = 0.1, given_mu = d->mu;
	int stall = 0;
	/* it -1: the given duals; 0: after the dual ascent, kept if better */
	for (long it = -1;; it++) {
		if (price_all(&w, nthreads) < 0)
			goto out;
		double mu, L = lagr_value(&w, budget, t, &mu);
		if (L > best) {
			best = L;
			stall = 0;
			memcpy(bpi, d->pi, (size_t)s->nu * sizeof(double));
			memcpy(bsig, d->sigma, (size_t)d->ncut * sizeof(double));
			d->mu = mu;
		} else if (it == 0) { /* back to the given duals */
			memcpy(d->pi, bpi, (size_t)s->nu * sizeof(double));
			if (price_all(&w, nthreads) < 0)
				goto out;
			L = lagr_value(&w, budget, t, &mu);
		} else if (++stall >= WL_STALL) {
			theta /= 2;
			stall = 0;
		}
		if (it < 0) { /* the best of a few multipliers around mu for the ascent */
			double bl = -INFINITY, f[5] = {1.0, 0.6, 0.8, 1.25, 1.5};
			double m0[2] = {mu, fmin(0.0, given_mu)};
			memcpy(asc, d->pi, (size_t)s->nu * sizeof(double));
			for (int q = 0; q < 10 && (m0[q / 5] < 0 || q == 5); q++) {
				if (q == 5 && (m0[1] >= 0 || m0[1] == m0[0]))
					break;
				memcpy(d->pi, bpi, (size_t)s->nu * sizeof(double));
				int a = ascent(&w, f[q % 5] * m0[q / 5]);
				if (a < 0)
					goto out;
				if (a > 0)
					break; /* too many stations to hold */
				double m2, L2 = price_all(&w, nthreads) < 0
				                    ? -INFINITY
				                    : lagr_value(&w, budget, t, &m2);
				if (L2 > bl) {
					bl = L2;
					memcpy(asc, d->pi, (size_t)s->nu * sizeof(double));
				}
			}
			memcpy(d->pi, isfinite(bl) ? asc : bpi, (size_t)s->nu * sizeof(double));
			continue;
		}
		if (it >= iters || !(ub > L) || (deadline > 0 && clock_now_s() >= deadline))
			break;
		double nn = subgradient(&w, mu, g, gk, hits);
		if (nn <= 0)
			break; /* the relaxed plan is a plan: L is optimal */
		double step = theta * (ub - L) / nn;
		for (int u = 0; u < s->nu; u++)
			d->pi[u] += step * g[u];
		for (int k = 0; k < d->ncut; k++)
			d->sigma[k] = fmin(0.0, d->sigma[k] + step * gk[k]);
	}
	memcpy(d->pi, bpi, (size_t)s->nu * sizeof(double));
	memcpy(d->sigma, bsig, (size_t)d->ncut * sizeof(double));
	*bound = best;
	rc = 1;
out:
	if (w.st)
		store_free(w.st);
	free(w.ucs);
	free(w.ucut);
	free(w.A);
	free(w.U);
	free(w.an);
	free(w.un);
	free(w.acol);
	free(w.ucol);
	free(t);
	free(g);
	free(gk);
	free(bpi);
	free(bsig);
	free(asc);
	free(hits);
	return rc;
}

double walk_count_bound(const sp_sub *s, const sp_params *p)
{
	if (!walk_lagr_applies(s, p))
		return 0;
	int maxn = 1;
	for (int j = 0; j < s->ns; j++)
		if ((int)(s->ss[j + 1] - s->ss[j]) > maxn)
			maxn = (int)(s->ss[j + 1] - s->ss[j]);
	long *h = malloc((size_t)maxn * sizeof(long));
	int *most = malloc(((size_t)s->nu + 1) * sizeof(int));
	if (!h || !most) {
		free(h);
		free(most);
		return 0;
	}
	for (int u = 0; u < s->nu; u++)
		most[u] = 1;
	for (int j = 0; j < s->ns; j++) {
		int n = 0;
		for (size_t q = s->ss[j]; q < s->ss[j + 1]; q++)
			h[n++] = s->h[s->sunit[q]];
		qsort(h, (size_t)n, sizeof(long), sp_cmp_long);
		for (size_t q = s->ss[j]; q < s->ss[j + 1]; q++) {
			/* unit u and the smallest others that fit beside it */
			int u = s->sunit[q], c = 1, skipped = 0;
			long load = s->h[u];
			for (int i = 0; i < n; i++) {
				if (!skipped && h[i] == s->h[u]) {
					skipped = 1; /* u itself */
					continue;
				}
				if (rules_band_over(sp_band(p), load + h[i]))
					break;
				load += h[i];
				c++;
			}
			if (c > most[u])
				most[u] = c;
		}
	}
	double b = 0;
	for (int u = 0; u < s->nu; u++)
		b += 1.0 / most[u];
	free(h);
	free(most);
	return ceil(b - 1e-9);
}
