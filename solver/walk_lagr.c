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
 * Each site is priced exactly by listing its stations (subsets of the units
 * in reach within households_max, the cut coefficients counted as units
 * are added); a site with more than WL_SITE_COLS of them gets the
 * fractional knapsack (Dantzig) bound instead, still valid (cuts and the
 * budget only raise reduced costs). For fixed pi and sigma the best mu is
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
 * feasible; it is tried at a few multipliers around the best one of the
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

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Stations of one site listed at most; more and its Dantzig bound. */
#define WL_SITE_COLS 20000
#define WL_CHUNKS    64
/* Unit entries of the stations the dual ascent holds at most (8 bytes
 * and a station's reduced cost and start per one or two of them). */
#define WL_ASCENT_NZ 40000000
/* Subgradient steps without a better bound before the step halves. */
#define WL_STALL 8

typedef struct wl {
	const sp_sub *s;
	const sp_params *p;
	walk_duals *d;
	size_t *ucs; /* per unit: its cuts ucut[ucs[u]..ucs[u+1]) */
	int *ucut;
	double *A, *U;    /* per site: least rc in the band (<= 0: none is 0), underfilled */
	int *an, *un;     /* per site: units of those stations (-1: not known) */
	int *acol, *ucol; /* their units, at s->ss[j] */
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

/* Stations of site j from its unit index q on, cur[0..n) chosen, with
 * load, reduced cost so far (walking - pi - cut terms). Returns 1 when
 * over WL_SITE_COLS. */
static int list_site(wl_scratch *x, size_t q, int n, long load, double rc, int isolated)
{
	const wl *w = x->w;
	const sp_sub *s = w->s;
	for (; q < s->ss[x->j + 1]; q++) {
		int u = s->sunit[q];
		if (rules_band_over(sp_band(w->p), load + s->h[u]))
			continue;
		if (++x->cols > WL_SITE_COLS)
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

typedef struct wl_cols {
	size_t n, cap, nz, nzcap;
	size_t *start;
	int *unit;
	double *rc;
} wl_cols;

/* Append station cur[0..n) with reduced cost r. -1 on ENOMEM or over
 * WL_ASCENT_NZ entries. */
static int cols_push(wl_cols *c, const int *cur, int n, double r)
{
	if (c->nz + (size_t)n > WL_ASCENT_NZ)
		return -1;
	if (c->n + 1 >= c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 65536;
		size_t *st = realloc(c->start, (cap + 1) * sizeof(size_t));
		if (st)
			c->start = st;
		double *rc = realloc(c->rc, cap * sizeof(double));
		if (rc)
			c->rc = rc;
		if (!st || !rc)
			return -1;
		c->cap = cap;
	}
	if (c->nz + (size_t)n > c->nzcap) {
		size_t cap = c->nzcap ? 2 * c->nzcap : 131072;
		while (cap < c->nz + (size_t)n)
			cap *= 2;
		int *u = realloc(c->unit, cap * sizeof(int));
		if (!u)
			return -1;
		c->unit = u;
		c->nzcap = cap;
	}
	if (c->n == 0)
		c->start[0] = 0;
	memcpy(c->unit + c->nz, cur, (size_t)n * sizeof(int));
	c->nz += (size_t)n;
	c->rc[c->n++] = r;
	c->start[c->n] = c->nz;
	return 0;
}

/* Every station of site j from unit index q on into c with its reduced
 * cost at multiplier mu. Returns 1 when over WL_SITE_COLS, -1 when c is
 * full or memory ran out. */
static int list_cols(wl_scratch *x, wl_cols *c, size_t q, int n, long load, double wd, double cut,
                     int isolated, double mu)
{
	const wl *w = x->w;
	const sp_sub *s = w->s;
	for (; q < s->ss[x->j + 1]; q++) {
		int u = s->sunit[q];
		if (rules_band_over(sp_band(w->p), load + s->h[u]))
			continue;
		if (++x->cols > WL_SITE_COLS)
			return 1;
		double w2 = wd + (double)s->h[u] * s->sdist[q] / s->dscale, c2 = cut;
		for (size_t e = w->ucs[u]; e < w->ucs[u + 1]; e++)
			if (++x->hits[w->ucut[e]] % 2 == 0)
				c2 -= w->d->sigma[w->ucut[e]];
		x->cur[n] = u;
		int under = rules_band_under(sp_band(w->p), load + s->h[u]) && !isolated;
		double r = w2 + c2 - (under ? mu : 0.0);
		for (int i = 0; i <= n; i++)
			r -= w->d->pi[x->cur[i]];
		int rr = cols_push(c, x->cur, n + 1, r);
		if (rr == 0)
			rr = list_cols(x, c, q + 1, n + 1, load + s->h[u], w2, c2, isolated, mu);
		for (size_t e = w->ucs[u]; e < w->ucs[u + 1]; e++)
			x->hits[w->ucut[e]]--;
		if (rr)
			return rr;
	}
	return 0;
}

/* Dual ascent at multiplier mu over every station listed (sites over
 * WL_SITE_COLS left out): first each station with a negative reduced cost
 * lowers the pi of its units by equal shares of it (lowering pi only
 * raises other reduced costs), then each unit's pi rises by the least
 * reduced cost of the stations serving it. Afterwards no listed station
 * prices out. Returns 0, 1 when the stations are too many to hold (pi
 * unchanged), -1 on ENOMEM. */
static int ascent(wl *w, double mu)
{
	const sp_sub *s = w->s;
	int maxn = 1;
	for (int j = 0; j < s->ns; j++)
		if ((int)(s->ss[j + 1] - s->ss[j]) > maxn)
			maxn = (int)(s->ss[j + 1] - s->ss[j]);
	wl_scratch x = {.w = w};
	wl_cols c = {0};
	size_t *us = NULL, *fill = NULL;
	size_t *uc = NULL;
	double *pi0 = malloc(((size_t)s->nu + 1) * sizeof(double));
	x.cur = malloc((size_t)maxn * sizeof(int));
	x.hits = calloc((size_t)w->d->ncut + 1, sizeof(int));
	int rc = -1;
	if (!x.cur || !x.hits || !pi0)
		goto out;
	memcpy(pi0, w->d->pi, (size_t)s->nu * sizeof(double));
	for (int j = 0; j < s->ns; j++) {
		x.j = j;
		x.cols = 0;
		size_t n0 = c.n, z0 = c.nz;
		int r = list_cols(&x, &c, s->ss[j], 0, 0, 0.0, 0.0, sp_isolated(s, w->p, j), mu);
		if (r < 0) {
			rc = c.nz + (size_t)maxn > WL_ASCENT_NZ ? 1 : -1;
			goto out;
		}
		if (r == 1) { /* too many here: left to the Dantzig bound */
			memset(x.hits, 0, ((size_t)w->d->ncut + 1) * sizeof(int));
			c.n = n0;
			c.nz = z0;
		}
	}
	us = calloc((size_t)s->nu + 2, sizeof(size_t));
	fill = malloc(((size_t)s->nu + 1) * sizeof(size_t));
	uc = malloc((c.nz + 1) * sizeof(size_t));
	if (!us || !fill || !uc)
		goto out;
	for (size_t e = 0; e < c.nz; e++)
		us[c.unit[e] + 1]++;
	for (int u = 0; u < s->nu; u++)
		us[u + 1] += us[u];
	memcpy(fill, us, ((size_t)s->nu + 1) * sizeof(size_t));
	for (size_t q = 0; q < c.n; q++)
		for (size_t e = c.start[q]; e < c.start[q + 1]; e++)
			uc[fill[c.unit[e]]++] = q;
	double *pi = w->d->pi;
	size_t kmax = 1; /* smaller stations first: a unit alone carries its own excess */
	for (size_t q = 0; q < c.n; q++)
		kmax = c.start[q + 1] - c.start[q] > kmax ? c.start[q + 1] - c.start[q] : kmax;
	for (size_t k = 1; k <= kmax; k++)
		for (size_t q = 0; q < c.n; q++) {
			if (c.rc[q] >= 0 || c.start[q + 1] - c.start[q] != k)
				continue;
			double d = c.rc[q] / (double)k;
			for (size_t e = c.start[q]; e < c.start[q + 1]; e++) {
				int u = c.unit[e];
				pi[u] += d;
				for (size_t f = us[u]; f < us[u + 1]; f++)
					c.rc[uc[f]] -= d;
			}
			c.rc[q] = 0; /* exactly, whatever the rounding */
		}
	for (int u = 0; u < s->nu; u++) {
		double m = INFINITY;
		for (size_t f = us[u]; f < us[u + 1]; f++)
			m = fmin(m, c.rc[uc[f]]);
		if (!(m > 0) || !isfinite(m))
			continue;
		pi[u] += m;
		for (size_t f = us[u]; f < us[u + 1]; f++)
			c.rc[uc[f]] -= m;
	}
	rc = 0;
out:
	if (rc != 0 && pi0)
		memcpy(w->d->pi, pi0, (size_t)s->nu * sizeof(double));
	free(pi0);
	free(x.cur);
	free(x.hits);
	free(c.start);
	free(c.unit);
	free(c.rc);
	free(us);
	free(fill);
	free(uc);
	return rc;
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
	double best = -INFINITY, theta = 0.1, given_mu = d->mu;
	int stall = 0;
	/* it -1: the given duals; 0: after the dual ascent, kept if better */
	for (long it = -1;; it++) {
		sp_parallel_for(nthreads, WL_CHUNKS, NULL, price_chunk, &w, 0, 0);
		if (w.failed)
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
			sp_parallel_for(nthreads, WL_CHUNKS, NULL, price_chunk, &w, 0, 0);
			if (w.failed)
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
				sp_parallel_for(nthreads, WL_CHUNKS, NULL, price_chunk, &w, 0, 0);
				double m2,
				    L2 = w.failed ? -INFINITY : lagr_value(&w, budget, t, &m2);
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
