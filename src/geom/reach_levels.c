/*
 * reach_levels.c: the upper levels (transfer stations, sorting centres, ...)
 * on the same streets as the stations (issue 17).
 *
 * reach_net_apply() attached every eligible level place to the network in
 * the same call as the units and sites (src/geom/reach_net.c), so a
 * station (its site) and a level place are both network points. The
 * distance table of a level problem (levels_distance.table):
 *
 * 1. Every point is mapped to its network point; a pair with an end off the
 *    streets (farther than roads_snap_m, warned about when attaching) gets
 *    the straight line under roads_fallback = straight, else no distance.
 * 2. One bounded search per point of the smaller side: forward from each
 *    lower facility, or towards each place (reverse, so a oneway street
 *    counts in the direction of travel under roads_walk_oneway), cut at
 *    the level's max_distance_m (no bound without one) and stopped as soon
 *    as every point of the other side on its connected part of the network
 *    is settled (a source with none there is not searched). Sources are shared out
 *    over the threads (solver.threads, 0 = one per core) by index, each
 *    thread writing its own rows or columns, so the table does not depend
 *    on the number of threads. Past the levels' deadline the searches stop
 *    with a named error.
 *    With the same points on both sides (at = stations / below) and no
 *    oneway walked, the search from point i fills the pairs (i, j >= i)
 *    both ways round, so each pair is searched once, from its lower index.
 * 3. As for the stations, two points nearer to each other in a straight
 *    line than either is to its street are that straight line apart; two
 *    points at the same place (a facility at a lower one's point, with
 *    at = stations / below) are 0 m apart, on the streets or not.
 *
 * Pairs on different parts of the network get no distance: the levels then
 * report the place as not reached and the lower facility as unplaced,
 * naming the street network (solver/levels_plan.c).
 *
 * reach_levels_routes() draws each flow along its walk: one search towards
 * each upper facility, the walks of its flows read off the search tree.
 */
#include "reach.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "levels.h"
#include "network_int.h"

/* Network point of a level point, -1 when none. */
static int point_of(const reach_levels *c, levels_ref ref)
{
	const reach *r = c->r;
	if (ref.level < 0)
		return ref.index >= 0 && (size_t)ref.index < c->sites->n
		           ? (int)(r->nunits + (size_t)ref.index)
		           : -1;
	if ((size_t)ref.level >= r->nlevels)
		return -1;
	size_t k = r->lv_start[ref.level] + (size_t)ref.index;
	return k < r->lv_start[ref.level + 1] ? r->lv_point[k] : -1;
}

/* Search graph vertex of a level point, -1 off the streets. */
static int vertex_of(const reach_levels *c, levels_ref ref)
{
	int k = point_of(c, ref);
	return k >= 0 ? c->r->net->pvert[k] : -1;
}

typedef struct table_job {
	const reach_levels *c;
	size_t nsrc, ntgt;
	const int *svert;       /* nsrc */
	const int *head, *next; /* targets at a vertex: head[v], next[j], -1 ends */
	const size_t *per_part; /* targets on each connected part of the network */
	size_t nattached;       /* targets on the part of the search under way */
	const size_t *need;     /* symmetric table: per source i, targets >= i on its part */
	double cutoff, deadline;
	double *d;         /* table */
	size_t srow, scol; /* d[i * srow + j * scol] for source i, target j */
	int reverse, thread, nthreads;
	int oom, late;
	size_t src, settled; /* the search under way */
} table_job;

static int table_visit(int v, double dist, void *arg)
{
	table_job *j = arg;
	for (int t = j->head[v]; t >= 0; t = j->next[t]) {
		if (j->need && (size_t)t < j->src)
			continue; /* symmetric: that pair is the search from t's */
		j->d[j->src * j->srow + (size_t)t * j->scol] = dist;
		if (j->need)
			j->d[(size_t)t * j->srow + j->src * j->scol] = dist;
		j->settled++;
	}
	return j->settled == j->nattached; /* every target settled: stop */
}

static void *table_thread(void *arg)
{
	table_job *j = arg;
	net_search s;
	if (net_search_init(&s, j->c->r->net) != 0) {
		j->oom = 1;
		net_search_free(&s);
		return NULL;
	}
	for (size_t i = (size_t)j->thread; i < j->nsrc; i += (size_t)j->nthreads) {
		if (j->svert[i] < 0)
			continue;
		if (j->deadline > 0 && clock_now_s() > j->deadline) {
			j->late = 1;
			break;
		}
		/* the search ends once the targets on its part are settled */
		j->src = i, j->settled = 0;
		j->nattached = j->need ? j->need[i] : j->per_part[j->c->r->net->comp[j->svert[i]]];
		if (!j->nattached)
			continue;
		if (net_search_run(&s, j->c->r->net, j->svert[i], j->cutoff, j->reverse,
		                   table_visit, j) != 0) {
			j->oom = 1;
			break;
		}
	}
	net_search_free(&s);
	return NULL;
}

/* Run the searches of `proto` (everything but thread) on the threads.
 * Returns 0, -1 out of memory, 1 late. */
static int table_run(const table_job *proto)
{
	int nt = net_search_threads(proto->c->threads, proto->nsrc);
	table_job *jobs = calloc((size_t)nt, sizeof(*jobs));
	if (!jobs)
		return -1;
	for (int t = 0; t < nt; t++) {
		jobs[t] = *proto;
		jobs[t].thread = t, jobs[t].nthreads = nt;
	}
	int rc = net_search_spread(table_thread, jobs, sizeof(*jobs), nt);
	for (int t = 0; rc >= 0 && t < nt; t++)
		rc = jobs[t].oom ? -1 : rc < 0 ? rc : jobs[t].late ? 1 : rc;
	free(jobs);
	return rc;
}

static status_code table(void *ctx, size_t nfrom, const levels_point *from, size_t nto,
                         const levels_point *to, double cutoff, double deadline, double *d,
                         status *st)
{
	const reach_levels *c = ctx;
	const network *net = c->r->net;
	int *fv = malloc((nfrom + 1) * sizeof(int)), *tv = malloc((nto + 1) * sizeof(int));
	int *head = malloc((net->nv + 1) * sizeof(int));
	int *next = malloc(((nfrom > nto ? nfrom : nto) + 1) * sizeof(int));
	size_t *per_part = calloc(net->nv + 1, sizeof(size_t)), *need = NULL;
	status_code rc = STATUS_OK;
	if (!fv || !tv || !head || !next || !per_part) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nfrom; i++)
		fv[i] = vertex_of(c, from[i].ref);
	for (size_t j = 0; j < nto; j++)
		tv[j] = vertex_of(c, to[j].ref);
	for (size_t k = 0; k < nfrom * nto; k++)
		d[k] = -1;
	/* the smaller side searches; the other is the targets */
	int reverse = nto < nfrom;
	/* the same points on both sides of streets walked both ways (at =
	 * stations / below): the search from i gives the pairs (i, j >= i) both
	 * ways round */
	int sym = nfrom == nto;
	for (size_t i = 0; sym && i < nfrom; i++)
		sym = from[i].ref.level == to[i].ref.level && from[i].ref.index == to[i].ref.index;
	for (size_t e = 0; sym && e < net->nedges; e++)
		sym = net->edir[e] == 0;
	if (sym && !(need = calloc(nfrom + 1, sizeof(size_t)))) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	const int *sv = reverse ? tv : fv, *gv = reverse ? fv : tv;
	size_t ns = reverse ? nto : nfrom, ng = reverse ? nfrom : nto, nat = 0;
	for (size_t v = 0; v < net->nv; v++)
		head[v] = -1;
	for (size_t t = ng; t-- > 0;)
		if (gv[t] >= 0) {
			next[t] = head[gv[t]], head[gv[t]] = (int)t, nat++;
			per_part[net->comp[gv[t]]]++;
		}
	for (size_t i = 0; sym && i < nfrom; i++) /* per_part: the targets >= i left */
		need[i] = fv[i] >= 0 ? per_part[net->comp[fv[i]]]-- : 0;
	table_job proto = {.c = c,
	                   .nsrc = ns,
	                   .ntgt = ng,
	                   .svert = sv,
	                   .head = head,
	                   .next = next,
	                   .per_part = per_part,
	                   .need = need,
	                   .cutoff = cutoff,
	                   .deadline = deadline,
	                   .d = d,
	                   .srow = reverse ? 1 : nto,
	                   .scol = reverse ? nto : 1,
	                   .reverse = reverse};
	int late = nat ? table_run(&proto) : 0;
	if (late < 0) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	if (late > 0) {
		rc = status_fail(st, STATUS_INPUT,
		                 "levels: solver.time_limit_s = %g s reached while searching the "
		                 "streets between %zu lower facilities and %zu places; raise the "
		                 "time limit or set the level's max_distance_m",
		                 c->time_limit_s, nfrom, nto);
		goto out;
	}
	/* off the streets, and nearer than the streets */
	for (size_t i = 0; i < nfrom; i++)
		for (size_t j = 0; j < nto; j++) {
			double sd = hypot(to[j].x - from[i].x, to[j].y - from[i].y);
			double *x = &d[i * nto + j];
			if (sd == 0) { /* the same point (at = stations / below): no walk */
				*x = 0;
				continue;
			}
			if (fv[i] < 0 || tv[j] < 0) {
				if (c->fallback && sd <= cutoff)
					*x = sd;
				continue;
			}
			double gap = fmax(net->pdist[point_of(c, from[i].ref)],
			                  net->pdist[point_of(c, to[j].ref)]);
			if (sd <= gap && (*x < 0 || sd < *x))
				*x = sd;
		}
out:
	free(fv), free(tv), free(head), free(next), free(per_part), free(need);
	return rc;
}

void reach_levels_distance(const reach *r, const site_table *sites, const scenario *sc,
                           reach_levels *ctx, levels_distance *out)
{
	*ctx = (reach_levels){r, sites, sc->roads_fallback == ROADS_FALLBACK_STRAIGHT, sc->threads,
	                      sc->time_limit_s};
	*out = (levels_distance){levels_distance_straight, NULL, NULL, NULL};
	if (r->network)
		*out = (levels_distance){levels_distance_straight, ctx, table, "street network"};
}

/* A growing list of vertices. */
typedef struct route_buf {
	double *xy;
	size_t n, cap;
} route_buf;

static int route_add(route_buf *b, const double *xy, size_t n)
{
	if (b->n + n > b->cap) {
		size_t c = b->cap ? b->cap : 1024;
		while (b->n + n > c)
			c *= 2;
		double *q = realloc(b->xy, 2 * c * sizeof(double));
		if (!q)
			return -1;
		b->xy = q, b->cap = c;
	}
	memcpy(b->xy + 2 * b->n, xy, 2 * n * sizeof(double));
	b->n += n;
	return 0;
}

/* The routes of one level's flows. */
static status_code level_routes(const reach_levels *c, level_result *lr, net_search *s, status *st)
{
	const network *net = c->r->net;
	size_t nf = lr->nflows;
	double **xy = calloc(nf + 1, sizeof(double *));
	size_t *n = calloc(nf + 1, sizeof(size_t));
	lr->route_start = malloc((nf + 1) * sizeof(size_t));
	route_buf b = {0};
	int oom = !xy || !n || !lr->route_start;
	/* one search towards each facility, as far as its farthest flow */
	for (size_t f = 0; !oom && f < lr->nfac; f++) {
		int tv = vertex_of(c, lr->fac[f].ref);
		double far = -1;
		for (size_t k = 0; k < nf; k++)
			if (lr->flows[k].to == (int)f && vertex_of(c, lr->flows[k].ref0) >= 0)
				far = fmax(far, lr->flows[k].distance_m);
		if (tv < 0 || far < 0)
			continue;
		if (net_search_run(s, net, tv, far + 1e-6, 1, NULL, NULL) != 0) {
			oom = 1;
			break;
		}
		for (size_t k = 0; !oom && k < nf; k++) {
			const level_flow *fl = &lr->flows[k];
			int fv = vertex_of(c, fl->ref0);
			if (fl->to != (int)f || fv < 0 || fabs(s->dist[fv] - fl->distance_m) > 1e-6)
				continue; /* not reached, or a straight-line flow */
			oom = net_search_walk(s, net, fv, &xy[k], &n[k]) != 0;
		}
	}
	for (size_t k = 0; !oom && k < nf; k++) {
		const level_flow *fl = &lr->flows[k];
		double two[4] = {fl->x0, fl->y0, fl->x1, fl->y1};
		lr->route_start[k] = b.n;
		oom = route_add(&b, xy[k] ? xy[k] : two, xy[k] ? n[k] : 2) != 0;
	}
	for (size_t k = 0; xy && k < nf; k++)
		free(xy[k]);
	free(xy), free(n);
	if (oom) {
		free(b.xy);
		free(lr->route_start);
		lr->route_start = NULL;
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	lr->route_start[nf] = b.n;
	lr->route_xy = b.xy ? b.xy : calloc(2, sizeof(double));
	return lr->route_xy ? STATUS_OK : status_fail(st, STATUS_INTERNAL, "out of memory");
}

status_code reach_levels_routes(const reach_levels *c, levels_result *lv, status *st)
{
	if (!c->r->network)
		return STATUS_OK;
	net_search s;
	if (net_search_init(&s, c->r->net) != 0) {
		net_search_free(&s);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	status_code rc = STATUS_OK;
	for (size_t l = 0; rc == STATUS_OK && l < lv->n; l++)
		rc = level_routes(c, &lv->lv[l], &s, st);
	net_search_free(&s);
	return rc;
}
