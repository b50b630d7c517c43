/*
 * cluster.c: the columns of the set-partitioning model.
 *
 * A column is a station: a set S of units that one site reaches, with at
 * most households_max households (a split unit counts one part). Columns
 * are enumerated site by site (depth-first over the site's units in index
 * order, pruned by households_max) and deduplicated by unit set: of all the
 * sites reaching S only the least-cost one is kept, because the objective
 * only sees the cheapest (ties: the lowest site index, so the result does not
 * depend on anything but the input). That is a relaxation as long as no site
 * is limited to one station; when model.c packs a site (one station there),
 * cluster_pack() gives each set whose last column stands on a packed site
 * its next sites in cost order, up to the first unpacked one, so a plan
 * never needs a missing column: a set's station at a site without a column
 * maps to the set's unpacked tail, no dearer. Existing stations keep their own
 * columns, one per set they reach plus the empty set, since they must be
 * open wherever the cheaper site is. Sets below households_min are columns
 * too (underfilled), priced by sp_cost: free of penalty only at an isolated
 * site, so the band holds wherever it can.
 *
 * A set holding part of a split unit is kept at every site reaching it (at
 * most once each), so the k stations of that unit can stand on k different
 * sites, unless the unit has fewer than k sites (sp_short: its parts alone
 * may then stack on a site).
 *
 * Enumeration stops with "too many" past p->max_cols columns (or ten times
 * that many subsets visited), and the driver then cuts the sub-problem.
 */
#include "solver_int.h"
#include "grow.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t set_hash(const int *u, size_t n, int fsite)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(int64_t)fsite;
	for (size_t i = 0; i < n; i++) {
		h ^= (uint64_t)(uint32_t)u[i];
		h *= 1099511628211ULL;
		h ^= h >> 29;
	}
	return h;
}

/* A column kept per site rather than at the least-cost site only: at an
 * existing station, or serving part of a split unit that has enough sites to
 * put its k stations on k different sites (so they are not co-located). */
static int col_persite(const sp_sub *s, const int *u, size_t n, int site)
{
	if (s->fixed[site])
		return 1;
	for (size_t i = 0; i < n; i++)
		if (s->k[u[i]] > 1 && !sp_short(s, u[i]))
			return 1;
	return 0;
}

/* Hash key of a column: its set and owning site, -1 for a primary. */
static int col_key(const sp_cols *c, size_t col)
{
	return c->own[col] ? c->site[col] : -1;
}

static int col_matches(const sp_cols *c, size_t col, const int *u, size_t n, int fsite)
{
	if (c->start[col + 1] - c->start[col] != n || col_key(c, col) != fsite)
		return 0;
	return n == 0 || memcmp(c->unit + c->start[col], u, n * sizeof(int)) == 0;
}

/* Slot of set (u, fsite) in the hash: holding it, or the empty slot for it. */
static size_t hash_slot(const sp_cols *c, const int *u, size_t n, int fsite)
{
	size_t mask = c->hcap - 1;
	size_t i = (size_t)set_hash(u, n, fsite) & mask;
	while (c->hslots[i] && !col_matches(c, c->hslots[i] - 1, u, n, fsite))
		i = (i + 1) & mask;
	return i;
}

static int hash_grow(sp_cols *c)
{
	size_t ncap = c->hcap ? 2 * c->hcap : 1024;
	size_t *old = c->hslots, ocap = c->hcap;
	c->hslots = calloc(ncap, sizeof(size_t));
	if (!c->hslots) {
		c->hslots = old;
		return -1;
	}
	c->hcap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		if (!old[i])
			continue;
		size_t col = old[i] - 1;
		size_t n = c->start[col + 1] - c->start[col];
		c->hslots[hash_slot(c, c->unit + c->start[col], n, col_key(c, col))] = old[i];
	}
	free(old);
	return 0;
}

static int col_push(const sp_sub *s, sp_cols *c, const int *u, size_t n, int site, double cost,
                    long lo, int own, size_t slot)
{
	if (c->n + 1 >= c->cap) {
		size_t cap = grow_cap(c->cap, c->n + 2);
		if (grow_to(&c->start, cap + 1, sizeof(size_t)) ||
		    grow_to(&c->site, cap, sizeof(int)) || grow_to(&c->ub, cap, sizeof(int)) ||
		    grow_to(&c->cost, cap, sizeof(double)) || grow_to(&c->lo, cap, sizeof(long)) ||
		    grow_to(&c->own, cap, 1) || grow_to(&c->tail, cap, 1))
			return -1;
		c->cap = cap;
	}
	if (grow_reserve(&c->unit, &c->nzcap, c->nnz + n, sizeof(int)) != 0)
		return -1;
	if (c->n == 0)
		c->start[0] = 0;
	if (n)
		memcpy(c->unit + c->nnz, u, n * sizeof(int));
	c->nnz += n;
	c->start[c->n + 1] = c->nnz;
	c->site[c->n] = site;
	c->cost[c->n] = cost;
	c->lo[c->n] = lo;
	c->own[c->n] = (unsigned char)own;
	c->tail[c->n] = !own; /* a primary is its set's only site so far */
	int ub = col_persite(s, u, n, site) ? 1 : 1 << 30;
	for (size_t i = 0; i < n; i++)
		if (s->k[u[i]] < ub)
			ub = s->k[u[i]];
	c->ub[c->n] = n ? ub : 1;
	c->n++;
	c->hslots[slot] = c->n;
	return 0;
}

/* Record set u[0..n) served from `site`. Returns 0, -1 on ENOMEM. */
static int col_offer(const sp_sub *s, const sp_params *p, sp_cols *c, const int *u, size_t n,
                     int site, long lo, double wd)
{
	if (!s->fixed[site] && n == 0)
		return 0;
	if ((c->n + 1) * 2 > c->hcap && hash_grow(c) < 0)
		return -1;
	int own = col_persite(s, u, n, site);
	size_t slot = hash_slot(c, u, n, own ? site : -1);
	double cost = sp_cost(s, p, site, lo, wd);
	if (c->hslots[slot]) {
		size_t col = c->hslots[slot] - 1;
		if (cost < c->cost[col] - 1e-12) {
			c->site[col] = site;
			c->cost[col] = cost;
		}
		return 0;
	}
	return col_push(s, c, u, n, site, cost, lo, own, slot);
}

typedef struct enum_state {
	const sp_sub *s;
	const sp_params *p;
	sp_cols *c;
	int site;
	const int *cand; /* the site's units, ascending */
	const double *cd;
	size_t ncand;
	int *cur;
	size_t visited, max_visit;
} enum_state;

static int dfs(enum_state *e, size_t depth, size_t from, long lo, long hi, double wd)
{
	if (++e->visited > e->max_visit || e->c->n > e->p->max_cols)
		return 1;
	int rc = col_offer(e->s, e->p, e->c, e->cur, depth, e->site, lo, wd);
	if (rc)
		return rc;
	for (size_t i = from; i < e->ncand; i++) {
		int u = e->cand[i];
		if (rules_band_over(sp_band(e->p), hi + e->s->phi[u]))
			continue;
		e->cur[depth] = u;
		rc = dfs(e, depth + 1, i + 1, lo + e->s->plo[u], hi + e->s->phi[u],
		         wd + sp_part(e->s, u) * e->cd[i]);
		if (rc)
			return rc;
	}
	return 0;
}

int cluster_enumerate(const sp_sub *s, const sp_params *p, sp_cols *c)
{
	memset(c, 0, sizeof(*c));
	int *cur = malloc((size_t)(s->nu > 0 ? s->nu : 1) * sizeof(int));
	c->packed = calloc((size_t)(s->ns > 0 ? s->ns : 1), 1);
	if (!cur || !c->packed || hash_grow(c) < 0) {
		free(cur);
		return -1;
	}
	enum_state e = {.s = s, .p = p, .c = c, .cur = cur, .max_visit = 10 * p->max_cols};
	int rc = 0;
	for (int j = 0; j < s->ns && rc == 0; j++) {
		e.site = j;
		e.cand = s->sunit + s->ss[j];
		e.cd = s->sdist + s->ss[j];
		e.ncand = s->ss[j + 1] - s->ss[j];
		rc = dfs(&e, 0, 0, 0, 0, 0.0);
	}
	free(cur);
	if (rc)
		cluster_free(c);
	return rc;
}

static long find_set(const sp_cols *c, const int *u, size_t n, int site)
{
	size_t slot = hash_slot(c, u, n, site);
	if (c->hslots[slot])
		return (long)c->hslots[slot] - 1;
	slot = hash_slot(c, u, n, -1);
	if (c->hslots[slot] && c->site[c->hslots[slot] - 1] == site)
		return (long)c->hslots[slot] - 1;
	return -1;
}

long cluster_find(const sp_sub *s, const sp_cols *c, const sp_station *st)
{
	(void)s;
	return find_set(c, st->u, (size_t)st->n, st->site);
}

/* Column of set u[0..n) at `site`, added (owned by the site) when missing. */
static long col_at(const sp_sub *s, const sp_params *p, sp_cols *c, const int *u, size_t n,
                   int site)
{
	long col = find_set(c, u, n, site);
	if (col >= 0)
		return col;
	if ((c->n + 1) * 2 > c->hcap && hash_grow(c) < 0)
		return -1;
	long lo = 0;
	double wd = 0;
	for (size_t i = 0; i < n; i++) {
		lo += s->plo[u[i]];
		wd += sp_part(s, u[i]) * sp_dist(s, site, u[i]);
	}
	size_t slot = hash_slot(c, u, n, site);
	if (col_push(s, c, u, n, site, sp_cost(s, p, site, lo, wd), lo, 1, slot) < 0)
		return -1;
	return (long)c->n - 1;
}

long cluster_add(const sp_sub *s, const sp_params *p, sp_cols *c, const sp_station *st)
{
	return col_at(s, p, c, st->u, (size_t)st->n, st->site);
}

/* Set u[0..n) whose tail column `q` stands on a packed site: columns at its
 * sites in cost order (fixed sites have their own) up to the first unpacked
 * one, which becomes the tail. -1 on ENOMEM. */
static int extend_set(const sp_sub *s, const sp_params *p, sp_cols *c, size_t q, int *u,
                      sp_keyed *sc)
{
	size_t n = c->start[q + 1] - c->start[q];
	memcpy(u, c->unit + c->start[q], n * sizeof(int)); /* col_push may move c->unit */
	c->tail[q] = 0;
	long lo;
	int pivot = sp_pivot(s, u, (int)n, &lo);
	size_t m = 0;
	for (size_t e = s->us[pivot]; e < s->us[pivot + 1]; e++) {
		int j = s->usite[e];
		double wd = 0;
		size_t i = 0;
		for (; i < n && !s->fixed[j]; i++) {
			double d = sp_dist(s, j, u[i]);
			if (d < 0)
				break;
			wd += sp_part(s, u[i]) * d;
		}
		if (i == n)
			sc[m++] = (sp_keyed){sp_cost(s, p, j, lo, wd), j}; /* cost, site */
	}
	qsort(sc, m, sizeof(sp_keyed), sp_cmp_keyed);
	for (size_t i = 0; i < m; i++) {
		long col = col_at(s, p, c, u, n, sc[i].id);
		if (col < 0)
			return -1;
		if (!c->packed[sc[i].id]) {
			c->tail[col] = 1;
			break;
		}
	}
	return 0;
}

int cluster_pack(const sp_sub *s, const sp_params *p, sp_cols *c, const int *sites, int n)
{
	int added = 0;
	for (int i = 0; i < n; i++)
		if (!s->fixed[sites[i]] && !c->packed[sites[i]]) {
			c->packed[sites[i]] = 1;
			added++;
		}
	c->npacked += added;
	if (added == 0)
		return 0;
	int *u = malloc((size_t)(s->nu > 0 ? s->nu : 1) * sizeof(int));
	sp_keyed *sc = malloc((size_t)(s->ns > 0 ? s->ns : 1) * sizeof(sp_keyed));
	int rc = u && sc ? added : -1;
	for (size_t q = 0, n0 = c->n; q < n0 && rc >= 0; q++)
		if (c->tail[q] && c->packed[c->site[q]] && extend_set(s, p, c, q, u, sc) < 0)
			rc = -1;
	free(u);
	free(sc);
	return rc;
}

int cluster_begin(const sp_sub *s, const sp_params *p, sp_cols *c)
{
	memset(c, 0, sizeof(*c));
	c->packed = calloc((size_t)(s->ns > 0 ? s->ns : 1), 1);
	if (!c->packed || hash_grow(c) < 0)
		return -1;
	for (int j = 0; j < s->ns; j++) /* an existing station may serve nothing */
		if (s->fixed[j] && col_offer(s, p, c, NULL, 0, j, 0, 0.0) < 0)
			return -1;
	return 0;
}

int cluster_offer(const sp_sub *s, const sp_params *p, sp_cols *c, const int *u, int n)
{
	long hi = 0, lo;
	for (int i = 0; i < n; i++) {
		assert(i == 0 || u[i - 1] < u[i]);
		hi += s->phi[u[i]];
	}
	if (n == 0 || rules_band_over(sp_band(p), hi))
		return 0;
	int pivot = sp_pivot(s, u, n, &lo);
	for (size_t e = s->us[pivot]; e < s->us[pivot + 1]; e++) {
		int j = s->usite[e], i = 0;
		double wd = 0;
		for (; i < n; i++) {
			double d = sp_dist(s, j, u[i]);
			if (d < 0)
				break;
			wd += sp_part(s, u[i]) * d;
		}
		if (i == n && col_offer(s, p, c, u, (size_t)n, j, lo, wd) < 0)
			return -1;
	}
	return 0;
}

void cluster_free(sp_cols *c)
{
	GROW_FREE(c->start, c->unit, c->site, c->ub, c->cost, c->lo, c->own, c->tail, c->packed,
	          c->hslots);
	memset(c, 0, sizeof(*c));
}
