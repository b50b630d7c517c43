/*
 * sub.c: what every solver module asks of a sub-problem: is a site within
 * reach of a unit and how far, what a station costs, and the small solution
 * container (stations with their member units).
 *
 * Cost of one station (the objective is their sum, see solver.c):
 *   min_stations: 1 + penalty if avoidably underfilled + wd / dscale
 *   min_distance:     penalty if avoidably underfilled + wd / dscale
 * where wd is households * metres; dscale makes the walking term of a whole
 * sub-problem smaller than one station for min_stations, so fewer stations
 * always win, then less walking.
 */
#include "solver_int.h"
#include "grow.h"
#include "rules.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double sp_dist(const sp_sub *s, int site, int u)
{
	size_t lo = s->ss[site], hi = s->ss[site + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->sunit[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < s->ss[site + 1] && s->sunit[lo] == u)
		return s->sdist[lo];
	return -1;
}

double sp_part(const sp_sub *s, int u)
{
	return (double)s->h[u] / (double)s->k[u];
}

int sp_isolated(const sp_sub *s, const sp_params *p, int site)
{
	return rules_site_isolated(sp_band(p), s->sreach[site]);
}

double sp_cost(const sp_sub *s, const sp_params *p, int site, long lo, double wd)
{
	double c = p->objective == OBJECTIVE_MIN_STATIONS ? 1.0 : 0.0;
	if (rules_band_under(sp_band(p), lo) && !sp_isolated(s, p, site))
		c += s->penalty;
	return c + wd / s->dscale;
}

double sp_measure(const sp_sub *s, double obj)
{
	/* obj = penalty * u + measure with 0 <= measure < penalty (sub.c's
	 * penalty exceeds any number of stations plus walking term) */
	double u = floor(obj / s->penalty + 1e-12);
	double m = obj - s->penalty * u;
	return m > 0 ? m : 0;
}

double sp_station_cost(const sp_sub *s, const sp_params *p, const sp_station *st)
{
	return sp_cost(s, p, st->site, st->lo, st->wd);
}

int sp_sol_underfilled(const sp_sub *s, const sp_params *p, const sp_sol *sol)
{
	int n = 0;
	for (int t = 0; t < sol->n; t++)
		n += rules_band_under(sp_band(p), sol->st[t].lo) &&
		     !sp_isolated(s, p, sol->st[t].site);
	return n;
}

double sp_sol_walk(const sp_sub *s, const sp_sol *sol)
{
	double w = 0;
	for (int t = 0; t < sol->n; t++)
		w += sol->st[t].wd / s->dscale;
	return w;
}

double sp_sol_cost(const sp_sub *s, const sp_params *p, const sp_sol *sol)
{
	double c = 0;
	for (int i = 0; i < sol->n; i++)
		c += sp_station_cost(s, p, &sol->st[i]);
	return c;
}

void sp_station_refresh(const sp_sub *s, sp_station *st)
{
	st->lo = st->hi = 0;
	st->wd = 0;
	for (int i = 0; i < st->n && st->sh; i++) {
		assert(st->sh[i] >= 1 && st->sh[i] <= s->h[st->u[i]]);
		st->lo += st->sh[i];
		st->hi += st->sh[i];
		st->wd += (double)st->sh[i] * sp_dist(s, st->site, st->u[i]);
	}
	for (int i = 0; i < st->n && !st->sh; i++) {
		int u = st->u[i];
		st->lo += s->plo[u];
		st->hi += s->phi[u];
		st->wd += sp_part(s, u) * sp_dist(s, st->site, u);
	}
}

int sp_cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

int sp_cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

int sp_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int sp_cmp_keyed(const void *a, const void *b)
{
	const sp_keyed *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

int sp_sol_add(sp_sol *sol, int site, const int *u, int n, const sp_sub *s)
{
	if (sol->n == sol->cap) {
		size_t cap = grow_cap((size_t)sol->cap, (size_t)sol->n + 1);
		if (grow_to(&sol->st, cap, sizeof(*sol->st)) != 0)
			return -1;
		sol->cap = (int)cap;
	}
	sp_station *st = &sol->st[sol->n];
	st->u = malloc((size_t)(n > 0 ? n : 1) * sizeof(int));
	if (!st->u)
		return -1;
	if (n > 0)
		memcpy(st->u, u, (size_t)n * sizeof(int));
	qsort(st->u, (size_t)n, sizeof(int), sp_cmp_int);
	st->n = n;
	st->sh = NULL;
	st->site = site;
	sp_station_refresh(s, st);
	sol->n++;
	return 0;
}

int sp_sol_add_shares(sp_sol *sol, const sp_sub *s, int site, const int *mem, int n,
                      const double *share)
{
	int u[n > 0 ? n : 1];
	long sh[n > 0 ? n : 1];
	int k = 0;
	for (int i = 0; i < n; i++) {
		int v = mem[i];
		long a = s->k[v] > 1 ? lround(*share++) : s->h[v];
		if (a <= 0)
			continue;
		u[k] = v;
		sh[k++] = a;
	}
	if (k == 0 && !s->fixed[site])
		return 0;
	if (sp_sol_add(sol, site, u, k, s) < 0)
		return -1;
	sp_station *st = &sol->st[sol->n - 1];
	st->sh = malloc((size_t)(k > 0 ? k : 1) * sizeof(long));
	if (!st->sh)
		return -1;
	memcpy(st->sh, sh, (size_t)k * sizeof(long));
	sp_station_refresh(s, st);
	return 0;
}

static int cmp_station(const void *a, const void *b)
{
	const sp_station *x = a, *y = b;
	if (x->site != y->site)
		return (x->site > y->site) - (x->site < y->site);
	int n = x->n < y->n ? x->n : y->n;
	for (int i = 0; i < n; i++)
		if (x->u[i] != y->u[i])
			return (x->u[i] > y->u[i]) - (x->u[i] < y->u[i]);
	return (x->n > y->n) - (x->n < y->n);
}

void sp_sol_sort(sp_sol *sol)
{
	if (sol->n > 1)
		qsort(sol->st, (size_t)sol->n, sizeof(sp_station), cmp_station);
}

void sp_sol_free(sp_sol *sol)
{
	for (int i = 0; i < sol->n; i++) {
		free(sol->st[i].u);
		free(sol->st[i].sh);
	}
	free(sol->st);
	memset(sol, 0, sizeof(*sol));
}

int sp_sol_copy(sp_sol *dst, const sp_sol *src)
{
	memset(dst, 0, sizeof(*dst));
	for (int i = 0; i < src->n; i++) {
		if (dst->n == dst->cap) {
			size_t cap = grow_cap((size_t)dst->cap, (size_t)dst->n + 1);
			if (grow_to(&dst->st, cap, sizeof(*dst->st)) != 0)
				goto fail;
			dst->cap = (int)cap;
		}
		sp_station *d = &dst->st[dst->n];
		*d = src->st[i];
		d->sh = NULL;
		d->u = malloc((size_t)(d->n > 0 ? d->n : 1) * sizeof(int));
		if (!d->u)
			goto fail;
		dst->n++;
		if (d->n > 0)
			memcpy(d->u, src->st[i].u, (size_t)d->n * sizeof(int));
		if (src->st[i].sh) {
			d->sh = malloc((size_t)(d->n > 0 ? d->n : 1) * sizeof(long));
			if (!d->sh)
				goto fail;
			memcpy(d->sh, src->st[i].sh, (size_t)d->n * sizeof(long));
		}
	}
	return 0;
fail:
	sp_sol_free(dst);
	return -1;
}

int sp_pivot(const sp_sub *s, const int *u, int n, long *lo)
{
	int pivot = u[0];
	*lo = s->plo[u[0]];
	for (int i = 1; i < n; i++) {
		if (s->us[u[i] + 1] - s->us[u[i]] < s->us[pivot + 1] - s->us[pivot])
			pivot = u[i];
		*lo += s->plo[u[i]];
	}
	return pivot;
}

int sp_best_site(const sp_sub *s, const sp_params *p, const int *u, int n, int cur,
                 const unsigned char *avoid)
{
	if (n == 0)
		return cur;
	/* scan the sites of the member with the fewest, check the others */
	long lo;
	int pivot = sp_pivot(s, u, n, &lo);
	int best = -1;
	double bestc = 0;
	for (size_t q = s->us[pivot]; q < s->us[pivot + 1]; q++) {
		int j = s->usite[q];
		if (s->fixed[j] || (avoid && avoid[j]))
			continue;
		double wd = 0;
		int ok = 1;
		for (int i = 0; i < n && ok; i++) {
			double d = sp_dist(s, j, u[i]);
			if (d < 0)
				ok = 0;
			else
				wd += sp_part(s, u[i]) * d;
		}
		if (!ok)
			continue;
		double c = sp_cost(s, p, j, lo, wd);
		if (best < 0 || c < bestc - 1e-12 ||
		    (c <= bestc + 1e-12 && (j == cur || (best != cur && j < best)))) {
			best = j;
			bestc = c;
		}
	}
	return best;
}

double sp_sub_walk_min(const sp_sub *s)
{
	double w = 0;
	for (int u = 0; u < s->nu; u++) /* reach sorted by distance */
		w += (double)s->h[u] * s->udist[s->us[u]] / s->dscale;
	return w;
}

double sp_sub_walk_max(const sp_sub *s)
{
	double w = 0;
	for (int u = 0; u < s->nu; u++)
		if (s->us[u + 1] > s->us[u])
			w += (double)s->h[u] * s->udist[s->us[u + 1] - 1] / s->dscale;
	return w;
}

void sp_sub_free(sp_sub *s)
{
	GROW_FREE(s->unit, s->h, s->k, s->plo, s->phi, s->site, s->fixed, s->sreach, s->us,
	          s->usite, s->udist, s->ss, s->sunit, s->sdist);
	memset(s, 0, sizeof(*s));
}

int sp_short(const sp_sub *s, int u)
{
	return (size_t)s->k[u] > s->us[u + 1] - s->us[u] || (s->stack && s->k[u] > 1);
}

/* Sort station indices ord[0..n) by site, then index (merge sort with
 * scratch tmp[0..n): stable, no state shared between threads). */
static void sort_by_site(const sp_sol *sol, int *ord, int *tmp, int n)
{
	if (n < 2)
		return;
	int h = n / 2;
	sort_by_site(sol, ord, tmp, h);
	sort_by_site(sol, ord + h, tmp, n - h);
	int i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = sol->st[ord[j]].site < sol->st[ord[i]].site ? ord[j++] : ord[i++];
	while (i < h)
		tmp[k++] = ord[i++];
	while (j < n)
		tmp[k++] = ord[j++];
	memcpy(ord, tmp, (size_t)n * sizeof(int));
}

/* Station i serves one part of a unit short of sites, and nothing else. */
static int stacked_part(const sp_sub *s, const sp_station *st)
{
	return st->n == 1 && sp_short(s, st->u[0]);
}

int sp_sol_shared(const sp_sub *s, const sp_sol *sol, int *out)
{
	/* stations grouped by site (stable: by index within a site) */
	int *ord = malloc((size_t)(sol->n > 0 ? sol->n : 1) * 2 * sizeof(int));
	if (!ord)
		return -1;
	for (int i = 0; i < sol->n; i++)
		ord[i] = i;
	sort_by_site(sol, ord, ord + sol->n, sol->n);
	int n = 0;
	for (int a = 0; a < sol->n;) {
		int b = a + 1, all_stacked = stacked_part(s, &sol->st[ord[a]]);
		while (b < sol->n && sol->st[ord[b]].site == sol->st[ord[a]].site)
			all_stacked &= stacked_part(s, &sol->st[ord[b++]]);
		if (b - a > 1 && !all_stacked)
			out[n++] = sol->st[ord[a]].site;
		a = b;
	}
	free(ord);
	return n;
}
