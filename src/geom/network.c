/*
 * network.c: junctions and edges from street centre lines.
 *
 * Rules:
 * - Only walkable lines take part (line_set.walkable); excluded lines
 *   (motorways...) neither carry walkers nor split other lines.
 * - Noding (default): all walkable lines go through GEOSUnaryUnion_r as one
 *   MultiLineString, which splits them wherever they cross or touch, so a
 *   crossing is a junction (measured faster than GEOSNode_r on the bench
 *   city: 0.7-1.0 s against 1.2-1.5 s for 51,000 segments). Each noded piece is traced back to the
 * input line it lies on (STRtree over the inputs, nearest to the midpoint of the piece's first
 * segment, ties to the lower line) for its fid and its oneway direction (the piece's direction
 * against the line's). Lines that overlap become one piece and take the first line's oneway.
 * - roads_noded = true: every input line is one edge between its two ends;
 *   lines meet only where their ends meet, so a bridge crossing a street
 *   without a shared end stays unconnected (OSM-style data).
 * - Ends closer than roads_merge_m are one junction: ends are taken in
 *   edge order, each joins the nearest junction already made within the
 *   tolerance (ties to the lower junction) or starts a new one at its own
 *   position. The shape's first and last vertices are moved onto their
 *   junctions and the edge length is measured on the shape.
 * - A line end that stops short of another line, or just past it, by at most
 *   roads_merge_m (reprojected T-junctions are never exact) is joined to
 *   that line by network_attach(), which splits the line at the foot.
 * - A piece whose two ends are one junction and that is shorter than the
 *   tolerance is dropped; a longer loop (a cul-de-sac ring) is kept.
 * - With roads_walk_oneway = true a oneway line is walked in its direction
 *   only; otherwise every edge is two-way.
 *
 * Everything is in input order, so the same lines give the same network.
 */
#include "network_int.h"
#include "grow.h"

#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "geos_ctx.h"

double network_seg_dist(double px, double py, double ax, double ay, double bx, double by, double *t)
{
	/* a point on an end is exactly there, not 1e-14 m off by rounding */
	if (px == ax && py == ay)
		return *t = 0, 0.0;
	if (px == bx && py == by)
		return *t = 1, 0.0;
	double dx = bx - ax, dy = by - ay, l2 = dx * dx + dy * dy;
	double u = l2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / l2 : 0;
	u = u < 0 ? 0 : u > 1 ? 1 : u;
	*t = u;
	return hypot(px - (ax + u * dx), py - (ay + u * dy));
}

/* A piece of street before its ends are junctions. */
typedef struct piece {
	size_t first, n; /* vertices in the shared buffers px/py */
	int line;        /* input line it lies on */
	int along;       /* 1: same direction as the line, 0: against */
} piece;

typedef struct piece_buf {
	piece *p;
	size_t n, cap;
	double *x, *y;
	size_t npts, pcap;
} piece_buf;

static int piece_add(piece_buf *b, const double *x, const double *y, size_t n, int line, int along)
{
	if (grow_reserve(&b->p, &b->cap, b->n + 1, sizeof(*b->p)) != 0)
		return -1;
	if (b->npts + n > b->pcap) {
		size_t c = grow_cap(b->pcap, b->npts + n);
		if (grow_to(&b->x, c, sizeof(double)) || grow_to(&b->y, c, sizeof(double)))
			return -1;
		b->pcap = c;
	}
	memcpy(b->x + b->npts, x, n * sizeof(double));
	memcpy(b->y + b->npts, y, n * sizeof(double));
	b->p[b->n++] = (piece){b->npts, n, line, along};
	b->npts += n;
	return 0;
}

/* The input line nearest to (x, y) among the tree's candidates, and the
 * direction of its nearest segment. */
typedef struct trace_q {
	const line_set *ls;
	double x, y;
	int best, seg;
	double bestd;
} trace_q;

static void trace_visit(void *item, void *arg)
{
	trace_q *q = arg;
	int i = *(const int *)item;
	for (size_t k = q->ls->start[i]; k + 1 < q->ls->start[i + 1]; k++) {
		double t, d = network_seg_dist(q->x, q->y, q->ls->x[k], q->ls->y[k],
		                               q->ls->x[k + 1], q->ls->y[k + 1], &t);
		if (d < q->bestd || (d == q->bestd && i < q->best)) {
			q->bestd = d, q->best = i, q->seg = (int)k;
		}
	}
}

static GEOSGeometry *line_geom(geos_ctx *g, const line_set *ls, size_t i)
{
	size_t n = ls->start[i + 1] - ls->start[i];
	GEOSCoordSequence *cs = GEOSCoordSeq_create_r(geos_ctx_handle(g), (unsigned)n, 2);
	if (!cs)
		return NULL;
	for (size_t k = 0; k < n; k++)
		GEOSCoordSeq_setXY_r(geos_ctx_handle(g), cs, (unsigned)k, ls->x[ls->start[i] + k],
		                     ls->y[ls->start[i] + k]);
	return GEOSGeom_createLineString_r(geos_ctx_handle(g), cs);
}

/* Node the walkable lines with GEOS and trace each piece to its line. */
static status_code node_lines(geos_ctx *g, const line_set *ls, piece_buf *b, status *st)
{
	status_code rc = STATUS_OK;
	size_t nw = 0;
	GEOSGeometry **parts = malloc((ls->n ? ls->n : 1) * sizeof(*parts));
	int *ids = malloc((ls->n ? ls->n : 1) * sizeof(int));
	GEOSSTRtree *tree = GEOSSTRtree_create_r(geos_ctx_handle(g), 10);
	GEOSGeometry *all = NULL, *noded = NULL;
	double *cx = NULL, *cy = NULL;
	if (!parts || !ids || !tree) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < ls->n; i++) {
		if (!ls->walkable[i])
			continue;
		geos_ctx_clear(g);
		if (!(parts[nw] = line_geom(g, ls, i))) {
			rc = geos_ctx_fail(g, st, STATUS_INTERNAL, "roads fid %lld: line",
			                   ls->fid[i]);
			goto out;
		}
		ids[i] = (int)i;
		GEOSSTRtree_insert_r(geos_ctx_handle(g), tree, parts[nw], &ids[i]);
		nw++;
	}
	geos_ctx_clear(g);
	/* the collection takes the parts over (the tree keeps only envelopes) */
	all = GEOSGeom_createCollection_r(geos_ctx_handle(g), GEOS_MULTILINESTRING, parts,
	                                  (unsigned)nw);
	if (all)
		nw = 0;
	if (!all || !(noded = GEOSUnaryUnion_r(geos_ctx_handle(g), all))) {
		rc = geos_ctx_fail(g, st, STATUS_INTERNAL, "roads: noding the streets");
		goto out;
	}
	int np = GEOSGetNumGeometries_r(geos_ctx_handle(g), noded);
	for (int k = 0; k < np && rc == STATUS_OK; k++) {
		const GEOSGeometry *pc = GEOSGetGeometryN_r(geos_ctx_handle(g), noded, k);
		const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(geos_ctx_handle(g), pc);
		unsigned n = 0;
		GEOSCoordSeq_getSize_r(geos_ctx_handle(g), cs, &n);
		if (n < 2)
			continue;
		if (grow_to(&cx, n, sizeof(double)) || grow_to(&cy, n, sizeof(double))) {
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
			break;
		}
		for (unsigned v = 0; v < n; v++)
			GEOSCoordSeq_getXY_r(geos_ctx_handle(g), cs, v, &cx[v], &cy[v]);
		trace_q q = {ls, (cx[0] + cx[1]) / 2, (cy[0] + cy[1]) / 2, -1, -1, INFINITY};
		GEOSGeometry *pt = geos_ctx_point(g, q.x, q.y, st);
		if (!pt) {
			rc = st->code;
			break;
		}
		GEOSSTRtree_query_r(geos_ctx_handle(g), tree, pt, trace_visit, &q);
		GEOSGeom_destroy_r(geos_ctx_handle(g), pt);
		if (q.best < 0)
			continue; /* cannot happen: the piece lies on some line */
		size_t s = (size_t)q.seg;
		double dot = (cx[1] - cx[0]) * (ls->x[s + 1] - ls->x[s]) +
		             (cy[1] - cy[0]) * (ls->y[s + 1] - ls->y[s]);
		if (piece_add(b, cx, cy, n, q.best, dot >= 0) != 0)
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
	}
out:
	free(cx);
	free(cy);
	if (noded)
		GEOSGeom_destroy_r(geos_ctx_handle(g), noded);
	if (tree)
		GEOSSTRtree_destroy_r(geos_ctx_handle(g), tree);
	if (all)
		GEOSGeom_destroy_r(geos_ctx_handle(g), all);
	for (size_t i = 0; parts && i < nw; i++)
		GEOSGeom_destroy_r(geos_ctx_handle(g), parts[i]);
	free(parts);
	free(ids);
	return rc;
}

/* Every walkable line as one piece (roads_noded = true). */
static status_code noded_lines(const line_set *ls, piece_buf *b, status *st)
{
	for (size_t i = 0; i < ls->n; i++)
		if (ls->walkable[i] && piece_add(b, ls->x + ls->start[i], ls->y + ls->start[i],
		                                 ls->start[i + 1] - ls->start[i], (int)i, 1) != 0)
			return status_fail(st, STATUS_INTERNAL, "out of memory");
	return STATUS_OK;
}

/* Junctions: a hash of grid cells (side = the merge tolerance) to the
 * junctions in them, chained through `next`. */
typedef struct junctions {
	double cell, tol;
	size_t cap; /* power of two */
	int64_t *kx, *ky;
	int *head; /* -1 = empty slot */
	int *next;
	double *x, *y;
	size_t n, ncap;
} junctions;

static size_t slot_of(const junctions *j, int64_t ix, int64_t iy)
{
	uint64_t h = (uint64_t)ix * 0x9E3779B97F4A7C15ull ^ (uint64_t)iy * 0xC2B2AE3D27D4EB4Full;
	size_t s = (size_t)(h >> 17) & (j->cap - 1);
	while (j->head[s] >= 0 && (j->kx[s] != ix || j->ky[s] != iy))
		s = (s + 1) & (j->cap - 1);
	return s;
}

/* The junction of end (x, y): the nearest within the tolerance (ties to the
 * lower junction), else a new one. -1 out of memory. */
static int junction_of(junctions *j, double x, double y)
{
	int64_t ix = (int64_t)floor(x / j->cell), iy = (int64_t)floor(y / j->cell);
	int best = -1;
	double bestd = INFINITY;
	for (int64_t a = ix - 1; a <= ix + 1; a++)
		for (int64_t c = iy - 1; c <= iy + 1; c++) {
			size_t s = slot_of(j, a, c);
			for (int k = j->head[s]; k >= 0; k = j->next[k]) {
				double d = hypot(j->x[k] - x, j->y[k] - y);
				if (d <= j->tol && (d < bestd || (d == bestd && k < best)))
					best = k, bestd = d;
			}
		}
	if (best >= 0)
		return best;
	if (j->n == j->ncap)
		return -1; /* sized for every end: cannot happen */
	int k = (int)j->n++;
	j->x[k] = x, j->y[k] = y;
	size_t s = slot_of(j, ix, iy);
	if (j->head[s] < 0)
		j->kx[s] = ix, j->ky[s] = iy;
	j->next[k] = j->head[s];
	j->head[s] = k;
	return k;
}

static void junctions_free(junctions *j)
{
	free(j->kx), free(j->ky), free(j->head), free(j->next), free(j->x), free(j->y);
}

static int junctions_init(junctions *j, size_t nends, double tol)
{
	memset(j, 0, sizeof(*j));
	j->tol = tol;
	j->cell = tol > 0 ? tol : 1.0;
	j->cap = 64;
	while (j->cap < 2 * nends)
		j->cap *= 2;
	j->ncap = nends ? nends : 1;
	j->kx = malloc(j->cap * sizeof(int64_t));
	j->ky = malloc(j->cap * sizeof(int64_t));
	j->head = malloc(j->cap * sizeof(int));
	j->next = malloc(j->ncap * sizeof(int));
	j->x = malloc(j->ncap * sizeof(double));
	j->y = malloc(j->ncap * sizeof(double));
	if (!j->kx || !j->ky || !j->head || !j->next || !j->x || !j->y)
		return -1;
	for (size_t s = 0; s < j->cap; s++)
		j->head[s] = -1;
	return 0;
}

static double shape_length(const double *x, const double *y, size_t n)
{
	double l = 0;
	for (size_t k = 1; k < n; k++)
		l += hypot(x[k] - x[k - 1], y[k] - y[k - 1]);
	return l;
}

/* Junctions and edges from the pieces. */
static status_code make_edges(network *net, const line_set *ls, const piece_buf *b, double tol,
                              int walk_oneway, status *st)
{
	junctions j;
	size_t np = b->n;
	net->ea = malloc((np ? np : 1) * sizeof(int));
	net->eb = malloc((np ? np : 1) * sizeof(int));
	net->elen = malloc((np ? np : 1) * sizeof(double));
	net->edir = malloc(np ? np : 1);
	net->efid = malloc((np ? np : 1) * sizeof(long long));
	net->gstart = malloc((np + 1) * sizeof(size_t));
	net->gx = malloc((b->npts ? b->npts : 1) * sizeof(double));
	net->gy = malloc((b->npts ? b->npts : 1) * sizeof(double));
	if (junctions_init(&j, 2 * np, tol) != 0 || !net->ea || !net->eb || !net->elen ||
	    !net->edir || !net->efid || !net->gstart || !net->gx || !net->gy) {
		junctions_free(&j);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	size_t ne = 0, ng = 0;
	for (size_t i = 0; i < np; i++) {
		const piece *p = &b->p[i];
		const double *x = b->x + p->first, *y = b->y + p->first;
		int a = junction_of(&j, x[0], y[0]), c = junction_of(&j, x[p->n - 1], y[p->n - 1]);
		assert(a >= 0 && c >= 0);
		net->gstart[ne] = ng;
		memcpy(net->gx + ng, x, p->n * sizeof(double));
		memcpy(net->gy + ng, y, p->n * sizeof(double));
		net->gx[ng] = j.x[a], net->gy[ng] = j.y[a];
		net->gx[ng + p->n - 1] = j.x[c], net->gy[ng + p->n - 1] = j.y[c];
		double len = shape_length(net->gx + ng, net->gy + ng, p->n);
		if (a == c && len <= tol)
			continue;
		int ow = walk_oneway ? ls->oneway[p->line] : 0;
		net->ea[ne] = a, net->eb[ne] = c, net->elen[ne] = len;
		net->edir[ne] = (signed char)(p->along ? ow : -ow);
		net->efid[ne] = ls->fid[p->line];
		ng += p->n;
		ne++;
	}
	net->gstart[ne] = ng;
	net->nedges = ne;
	net->nnodes = j.n;
	net->nx = j.x, net->ny = j.y;
	j.x = j.y = NULL;
	junctions_free(&j);
	return STATUS_OK;
}

/* Ends of the input lines, to count the junctions noding added. */
static size_t count_line_ends(const line_set *ls, double tol)
{
	junctions j;
	size_t n = 0;
	for (size_t i = 0; i < ls->n; i++)
		n += ls->walkable[i] ? 2 : 0;
	if (junctions_init(&j, n, tol) != 0) {
		junctions_free(&j);
		return 0;
	}
	for (size_t i = 0; i < ls->n; i++)
		if (ls->walkable[i]) {
			junction_of(&j, ls->x[ls->start[i]], ls->y[ls->start[i]]);
			junction_of(&j, ls->x[ls->start[i + 1] - 1], ls->y[ls->start[i + 1] - 1]);
		}
	n = j.n;
	junctions_free(&j);
	return n;
}

status_code network_build(const line_set *ls, const scenario *sc, network **out, status *st)
{
	*out = NULL;
	network *net = calloc(1, sizeof(*net));
	piece_buf b = {0};
	geos_ctx *g;
	status_code rc;
	if (!net)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	net->merge_m = sc->roads_merge_m;
	for (size_t i = 0; i < ls->n; i++)
		net->nlines_in += ls->walkable[i] != 0;
	if (!net->nlines_in) {
		network_free(net);
		return status_fail(st, STATUS_INPUT, "%s: no walkable line",
		                   ls->source ? ls->source : "input.roads");
	}
	if (sc->roads_noded) {
		rc = noded_lines(ls, &b, st);
	} else if (!(g = geos_ctx_new(st))) {
		rc = STATUS_INTERNAL;
	} else {
		rc = node_lines(g, ls, &b, st);
		geos_ctx_free(g);
	}
	if (rc == STATUS_OK)
		rc = make_edges(net, ls, &b, sc->roads_merge_m, sc->roads_walk_oneway, st);
	if (rc == STATUS_OK && net->nedges == 0)
		rc = status_fail(st, STATUS_INPUT, "%s: no walkable line longer than roads_merge_m",
		                 ls->source ? ls->source : "input.roads");
	if (rc == STATUS_OK && !sc->roads_noded) {
		size_t ends = count_line_ends(ls, sc->roads_merge_m);
		net->ncrossings = net->nnodes > ends ? net->nnodes - ends : 0;
	}
	free(b.p), free(b.x), free(b.y);
	if (rc != STATUS_OK) {
		network_free(net);
		return rc;
	}
	*out = net;
	return STATUS_OK;
}

size_t network_node_count(const network *net)
{
	return net->nnodes;
}

size_t network_edge_count(const network *net)
{
	return net->nedges;
}

size_t network_crossing_count(const network *net)
{
	return net->ncrossings;
}

void network_free(network *net)
{
	if (!net)
		return;
	free(net->nx), free(net->ny), free(net->ea), free(net->eb), free(net->elen);
	free(net->edir), free(net->efid), free(net->gstart), free(net->gx), free(net->gy);
	free(net->vx), free(net->vy), free(net->fstart), free(net->fto), free(net->fw);
	free(net->fedge), free(net->fs0), free(net->fs1), free(net->rstart), free(net->rarc);
	free(net->rfrom), free(net->pvert), free(net->pdist), free(net->comp);
	free(net);
}
