/*
 * reach.c: every (unit, site) pair within walking distance, sparse.
 *
 * Sites are bucketed in a uniform grid whose cell is the walking distance
 * (src/geom/cellgrid.c), so each unit looks at the few cells around its demand
 * location: O((n + m) log m + pairs), never a units x sites loop.
 *
 * Distance of a pair is measured from the unit's demand location
 * (src/geom/demand.c): its representative point, or with demand_points = samples
 * the household-weighted mean distance over interior samples. A pair is in
 * reach when that distance is <= walk_distance_m (a unit exactly at the
 * radius is in reach). With samples, the mean distance is at least the
 * distance from the samples' weighted centroid (the norm is convex), so
 * querying around the centroid misses no pair.
 *
 * Villages under rural = one_per_village are served only by a station inside
 * the village, so their pairs also include every site inside the village
 * regardless of distance (a very large village must still have its own
 * station); `inside` flags those pairs for the solver.
 *
 * nearest / nearest_dist are filled for every unit (not only those with no
 * pair): the site nearest to the representative point (expanding grid
 * search, ties to the lower index) and the unit's distance to it (mean over
 * samples in samples mode); both -1 when there are no sites at all.
 *
 * With input.roads the straight-line pairs are then replaced by the pairs
 * along the streets (src/geom/reach_net.c).
 */
#include "reach.h"
#include "grow.h"
#include "rules.h"
#include "sites.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellgrid.h"
#include "geom_int.h"
#include "network.h"
#include "reach_net.h"

int reach_pair_push(reach_pair_vec *p, double d, int s, unsigned char inside)
{
	if (grow_reserve(&p->v, &p->cap, p->n + 1, sizeof(*p->v)) != 0)
		return -1;
	p->v[p->n++] = (reach_pair){d, s, inside};
	return 0;
}

int reach_pair_cmp(const void *pa, const void *pb)
{
	const reach_pair *a = pa, *b = pb;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	return (a->site > b->site) - (a->site < b->site);
}

typedef struct unit_query {
	const demand *d;
	const site_table *sites;
	size_t u;
	double walk;
	reach_pair_vec *tmp;
	int oom;
} unit_query;

static int within_visit(int s, void *arg)
{
	unit_query *q = arg;
	const site *si = &q->sites->sites[s];
	double d = demand_distance(q->d, q->u, si->x, si->y);
	if (d <= q->walk && reach_pair_push(q->tmp, d, s, si->unit == (int)q->u) != 0) {
		q->oom = 1;
		return 1;
	}
	return 0;
}

typedef struct nearest_query {
	const site_table *sites;
	double x, y;
	cellgrid_best best;
} nearest_query;

static int nearest_visit(int s, void *arg)
{
	nearest_query *q = arg;
	cellgrid_offer(&q->best, s,
	               hypot(q->sites->sites[s].x - q->x, q->sites->sites[s].y - q->y));
	return 0;
}

/* Nearest site to (x, y): boxes of doubling half-side r until the best hit
 * is within r (then no site outside the box can be nearer) or the box holds
 * the whole extent [ext[0..3]] of the sites. */
static int nearest_site(const cellgrid *cg, const site_table *sites, const double ext[4], double x,
                        double y, double r)
{
	double far = hypot(fmax(fabs(x - ext[0]), fabs(x - ext[2])),
	                   fmax(fabs(y - ext[1]), fabs(y - ext[3])));
	for (;; r *= 2) {
		nearest_query q = {sites, x, y, {-1, INFINITY}};
		cellgrid_query(cg, x - r, y - r, x + r, y + r, nearest_visit, &q);
		if ((q.best.item >= 0 && q.best.d <= r) || r > far)
			return q.best.item;
	}
}

/* Sites inside each unit, as CSR lists [start[u], start[u+1]) of `list`. */
static int inside_lists(const site_table *sites, size_t nunits, size_t **start, int **list)
{
	*start = calloc(nunits + 1, sizeof(size_t));
	*list = malloc((sites->n ? sites->n : 1) * sizeof(int));
	if (!*start || !*list)
		return -1;
	for (size_t s = 0; s < sites->n; s++)
		if (sites->sites[s].unit >= 0 && (size_t)sites->sites[s].unit < nunits)
			(*start)[sites->sites[s].unit + 1]++;
	for (size_t u = 0; u < nunits; u++)
		(*start)[u + 1] += (*start)[u];
	size_t *fill = malloc((nunits ? nunits : 1) * sizeof(size_t));
	if (!fill)
		return -1;
	memcpy(fill, *start, nunits * sizeof(size_t));
	for (size_t s = 0; s < sites->n; s++)
		if (sites->sites[s].unit >= 0 && (size_t)sites->sites[s].unit < nunits)
			(*list)[fill[sites->sites[s].unit]++] = (int)s;
	free(fill);
	return 0;
}

static status_code alloc_units(reach *r, size_t n, status *st)
{
	r->nunits = n;
	r->start = calloc(n + 1, sizeof(size_t));
	r->ux = malloc((n ? n : 1) * sizeof(double));
	r->uy = malloc((n ? n : 1) * sizeof(double));
	r->nearest = malloc((n ? n : 1) * sizeof(int));
	r->nearest_dist = malloc((n ? n : 1) * sizeof(double));
	if (!r->start || !r->ux || !r->uy || !r->nearest || !r->nearest_dist)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	return STATUS_OK;
}

/* Pairs of every unit, appended to `all` in unit order. */
static status_code collect_pairs(const inputs *in, const site_table *sites, const scenario *sc,
                                 const unit_geom *ug, const cellgrid *cg, reach *r,
                                 reach_pair_vec *all, status *st)
{
	size_t *istart = NULL;
	int *ilist = NULL;
	reach_pair_vec tmp = {0};
	status_code rc = STATUS_OK;
	if (inside_lists(sites, in->nunits, &istart, &ilist) != 0) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	const demand *d = &ug->d;
	double walk = sc->walk_distance_m;
	double m = walk * (1 + 1e-9) + 1e-6; /* box margin against rounding */
	for (size_t u = 0; u < in->nunits; u++) {
		if ((rc = geom_deadline_check(ug, "reach", u, in->nunits, sc, st)) != STATUS_OK)
			goto out;
		tmp.n = 0;
		unit_query q = {d, sites, u, walk, &tmp, 0};
		cellgrid_query(cg, d->cx[u] - m, d->cy[u] - m, d->cx[u] + m, d->cy[u] + m,
		               within_visit, &q);
		if (rules_unit_is_village(sc, in->units[u].kind))
			for (size_t k = istart[u]; k < istart[u + 1] && !q.oom; k++) {
				const site *si = &sites->sites[ilist[k]];
				double dist = demand_distance(d, u, si->x, si->y);
				if (dist > walk && reach_pair_push(&tmp, dist, ilist[k], 1) != 0)
					q.oom = 1;
			}
		if (q.oom) {
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
			goto out;
		}
		if (tmp.n > 1)
			qsort(tmp.v, tmp.n, sizeof(*tmp.v), reach_pair_cmp);
		r->start[u] = all->n;
		for (size_t k = 0; k < tmp.n; k++)
			if (reach_pair_push(all, tmp.v[k].d, tmp.v[k].site, tmp.v[k].inside) != 0) {
				rc = status_fail(st, STATUS_INTERNAL, "out of memory");
				goto out;
			}
	}
	r->start[in->nunits] = all->n;
out:
	free(tmp.v);
	free(istart);
	free(ilist);
	return rc;
}

static void fill_nearest(const site_table *sites, const demand *d, const cellgrid *cg, double walk,
                         reach *r)
{
	double ext[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
	for (size_t s = 0; s < sites->n; s++) {
		ext[0] = fmin(ext[0], sites->sites[s].x);
		ext[1] = fmin(ext[1], sites->sites[s].y);
		ext[2] = fmax(ext[2], sites->sites[s].x);
		ext[3] = fmax(ext[3], sites->sites[s].y);
	}
	for (size_t u = 0; u < r->nunits; u++) {
		int s = sites->n ? nearest_site(cg, sites, ext, d->rx[u], d->ry[u], walk) : -1;
		r->nearest[u] = s;
		r->nearest_dist[u] =
		    s >= 0 ? demand_distance(d, u, sites->sites[s].x, sites->sites[s].y) : -1;
	}
}

status_code reach_build(const inputs *in, const site_table *sites, const scenario *sc,
                        const unit_geom *ug, reach *out, status *st)
{
	memset(out, 0, sizeof(*out));
	assert(sc->walk_distance_m > 0 && isfinite(sc->walk_distance_m));
	assert(ug->d.nunits == in->nunits);
	status_code rc = STATUS_OK;
	const demand *d = &ug->d;
	cellgrid cg = {0};
	reach_pair_vec all = {0};
	double *x = malloc((sites->n ? sites->n : 1) * sizeof(double));
	double *y = malloc((sites->n ? sites->n : 1) * sizeof(double));
	if (!x || !y) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t s = 0; s < sites->n; s++) {
		x[s] = sites->sites[s].x;
		y[s] = sites->sites[s].y;
	}
	if ((rc = alloc_units(out, in->nunits, st)) != STATUS_OK)
		goto out;
	if (cellgrid_build(&cg, x, y, sites->n, sc->walk_distance_m) != 0) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	if ((rc = collect_pairs(in, sites, sc, ug, &cg, out, &all, st)) != STATUS_OK)
		goto out;
	memcpy(out->ux, d->rx, in->nunits * sizeof(double));
	memcpy(out->uy, d->ry, in->nunits * sizeof(double));
	fill_nearest(sites, d, &cg, sc->walk_distance_m, out);
	out->nsamples = d->nsamples;
	out->npairs = all.n;
	out->site = malloc((all.n ? all.n : 1) * sizeof(int));
	out->dist = malloc((all.n ? all.n : 1) * sizeof(double));
	out->inside = malloc(all.n ? all.n : 1);
	if (!out->site || !out->dist || !out->inside) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < all.n; k++) {
		out->site[k] = all.v[k].site;
		out->dist[k] = all.v[k].d;
		out->inside[k] = all.v[k].inside;
	}
	if (in->roads.n > 0)
		rc = reach_net_apply(in, sites, sc, out, st);
out:
	free(all.v);
	free(x);
	free(y);
	cellgrid_free(&cg);
	if (rc != STATUS_OK)
		reach_free(out);
	return rc;
}

void reach_free(reach *r)
{
	GROW_FREE(r->start, r->site, r->dist, r->ux, r->uy, r->nearest, r->nearest_dist, r->inside);
	for (size_t u = 0; r->why && u < r->nunits; u++)
		free(r->why[u]);
	free(r->why);
	network_free(r->net);
	GROW_FREE(r->lv_start, r->lv_point, r->route_start, r->route_xy);
	memset(r, 0, sizeof(*r));
}
