/*
 * network_attach.c: points onto the streets, and the search graph.
 *
 * Each point (a unit's demand point, a candidate site) is attached to the
 * nearest point of any edge's shape within roads_snap_m, found through a
 * uniform grid of shape segments (cell side roads_snap_m, so a query looks
 * at the 3 x 3 cells around the point). Ties go to the lower edge, then the
 * lower shape segment, then the lower position on it, so a point exactly
 * on a junction joins the lowest edge at that junction and two edges at the
 * same distance always give the same answer. The foot of the perpendicular
 * splits its edge (feet at the same position share one vertex; a foot on an
 * end is that junction), and a connector of the perpendicular's length
 * joins the point's own vertex to it, both ways. A point farther than
 * roads_snap_m from every edge is left unattached.
 *
 * The search graph (network_int.h) is then: junctions, split vertices in
 * (edge, position) order, point vertices in point order; arcs sorted by
 * tail (stable), forward and reverse CSR; connected parts by union-find.
 */
#include "network_int.h"
#include "grow.h"
#include "order.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct seg_grid {
	double x0, y0, cell;
	size_t nx, ny;
	size_t *start; /* nx * ny + 1 */
	int *seg;      /* global shape vertex index k: segment k..k+1 */
} seg_grid;

static void cell_range(const seg_grid *g, double lo, double hi, double o, size_t n, size_t *a,
                       size_t *b)
{
	double fa = floor((lo - o) / g->cell), fb = floor((hi - o) / g->cell);
	*a = fa < 0 ? 0 : fa >= (double)n ? n - 1 : (size_t)fa;
	*b = fb < 0 ? 0 : fb >= (double)n ? n - 1 : (size_t)fb;
}

/* Pass 0 counts, pass 1 fills. */
static void grid_segments(seg_grid *g, const network *net, int pass, size_t *fill)
{
	for (size_t e = 0; e < net->nedges; e++)
		for (size_t k = net->gstart[e]; k + 1 < net->gstart[e + 1]; k++) {
			size_t i0, i1, j0, j1;
			cell_range(g, fmin(net->gx[k], net->gx[k + 1]),
			           fmax(net->gx[k], net->gx[k + 1]), g->x0, g->nx, &i0, &i1);
			cell_range(g, fmin(net->gy[k], net->gy[k + 1]),
			           fmax(net->gy[k], net->gy[k + 1]), g->y0, g->ny, &j0, &j1);
			for (size_t j = j0; j <= j1; j++)
				for (size_t i = i0; i <= i1; i++) {
					size_t c = j * g->nx + i;
					if (pass == 0)
						g->start[c + 1]++;
					else
						g->seg[fill[c]++] = (int)k;
				}
		}
}

static int grid_build(seg_grid *g, const network *net, double snap)
{
	double xmin = INFINITY, ymin = INFINITY, xmax = -INFINITY, ymax = -INFINITY;
	size_t ng = net->gstart[net->nedges];
	for (size_t k = 0; k < ng; k++) {
		xmin = fmin(xmin, net->gx[k]), xmax = fmax(xmax, net->gx[k]);
		ymin = fmin(ymin, net->gy[k]), ymax = fmax(ymax, net->gy[k]);
	}
	g->cell = snap;
	/* at most 2048 cells a side: grow the cell for a huge extent */
	if ((xmax - xmin) / g->cell > 2048 || (ymax - ymin) / g->cell > 2048)
		g->cell = fmax(xmax - xmin, ymax - ymin) / 2048;
	g->x0 = xmin, g->y0 = ymin;
	g->nx = (size_t)floor((xmax - xmin) / g->cell) + 1;
	g->ny = (size_t)floor((ymax - ymin) / g->cell) + 1;
	size_t nc = g->nx * g->ny;
	g->start = calloc(nc + 1, sizeof(size_t));
	size_t *fill = NULL;
	if (!g->start)
		return -1;
	grid_segments(g, net, 0, NULL);
	for (size_t c = 0; c < nc; c++)
		g->start[c + 1] += g->start[c];
	g->seg = malloc((g->start[nc] ? g->start[nc] : 1) * sizeof(int));
	fill = malloc((nc ? nc : 1) * sizeof(size_t));
	if (!g->seg || !fill) {
		free(fill);
		return -1;
	}
	memcpy(fill, g->start, nc * sizeof(size_t));
	grid_segments(g, net, 1, fill);
	free(fill);
	return 0;
}

/* Edge of each shape vertex index (the segment k..k+1 belongs to it). */
static int *segment_edges(const network *net)
{
	size_t ng = net->gstart[net->nedges];
	int *se = malloc((ng ? ng : 1) * sizeof(int));
	if (se)
		for (size_t e = 0; e < net->nedges; e++)
			for (size_t k = net->gstart[e]; k < net->gstart[e + 1]; k++)
				se[k] = (int)e;
	return se;
}

/* An attachment: point `pt` at offset s along edge e. */
typedef struct foot {
	int e, pt;
	double s;
} foot;

/* Nearest edge point to (x, y) within snap; 0 and *f filled, or -1. */
static int nearest_foot(const network *net, const seg_grid *g, const int *se, double x, double y,
                        double snap, int skip_node, foot *f, double *dist)
{
	size_t i0, i1, j0, j1;
	cell_range(g, x - snap, x + snap, g->x0, g->nx, &i0, &i1);
	cell_range(g, y - snap, y + snap, g->y0, g->ny, &j0, &j1);
	int bestk = -1;
	double bestd = INFINITY, bestt = 0;
	for (size_t j = j0; j <= j1; j++)
		for (size_t i = i0; i <= i1; i++) {
			size_t c = j * g->nx + i;
			for (size_t m = g->start[c]; m < g->start[c + 1]; m++) {
				int k = g->seg[m];
				if (skip_node >= 0 &&
				    (net->ea[se[k]] == skip_node || net->eb[se[k]] == skip_node))
					continue;
				double t, d = network_seg_dist(x, y, net->gx[k], net->gy[k],
				                               net->gx[k + 1], net->gy[k + 1], &t);
				if (d > snap)
					continue;
				/* lower edge, then lower segment (k orders both), then t */
				if (d < bestd ||
				    (d == bestd && (k < bestk || (k == bestk && t < bestt))))
					bestd = d, bestk = k, bestt = t;
			}
		}
	if (bestk < 0)
		return -1;
	int e = se[bestk];
	double s = 0;
	for (size_t k = net->gstart[e]; k < (size_t)bestk; k++)
		s += hypot(net->gx[k + 1] - net->gx[k], net->gy[k + 1] - net->gy[k]);
	s +=
	    bestt * hypot(net->gx[bestk + 1] - net->gx[bestk], net->gy[bestk + 1] - net->gy[bestk]);
	f->e = e;
	/* a foot on an end vertex is the junction itself */
	f->s = bestt == 0 && bestk == (int)net->gstart[e]           ? 0
	       : bestt == 1 && bestk + 2 == (int)net->gstart[e + 1] ? net->elen[e]
	                                                            : fmin(s, net->elen[e]);
	*dist = bestd;
	return 0;
}

ORDER_BY_FIELDS(foot_cmp, foot, e, s, pt)

typedef struct arc {
	int from, to, edge;
	double w, s0, s1;
} arc;

typedef struct arc_buf {
	arc *a;
	size_t n, cap;
} arc_buf;

static int arc_add(arc_buf *b, int from, int to, double w, int edge, double s0, double s1)
{
	if (grow_reserve(&b->a, &b->cap, b->n + 1, sizeof(*b->a)) != 0)
		return -1;
	b->a[b->n++] = (arc){from, to, edge, w, s0, s1};
	return 0;
}

/* Arcs of the part of edge e from vertex u (offset s0) to v (offset s1). */
static int edge_arcs(arc_buf *b, const network *net, int e, int u, double s0, int v, double s1)
{
	int dir = net->edir[e];
	if (dir >= 0 && arc_add(b, u, v, s1 - s0, e, s0, s1) != 0)
		return -1;
	if (dir <= 0 && arc_add(b, v, u, s1 - s0, e, s1, s0) != 0)
		return -1;
	return 0;
}

/* The point at offset s along edge e's shape. */
static void shape_point(const network *net, int e, double s, double *x, double *y)
{
	size_t k = net->gstart[e], end = net->gstart[e + 1];
	for (; k + 1 < end; k++) {
		double l = hypot(net->gx[k + 1] - net->gx[k], net->gy[k + 1] - net->gy[k]);
		if (s <= l || k + 2 == end) {
			double t = l > 0 ? fmin(s / l, 1) : 0;
			*x = net->gx[k] + t * (net->gx[k + 1] - net->gx[k]);
			*y = net->gy[k] + t * (net->gy[k + 1] - net->gy[k]);
			return;
		}
		s -= l;
	}
	*x = net->gx[k], *y = net->gy[k];
}

/* Forward and reverse CSR of the arcs, and the connected parts. */
static int make_csr(network *net, const arc_buf *b)
{
	size_t nv = net->nv, na = b->n;
	net->narcs = na;
	net->fstart = calloc(nv + 1, sizeof(size_t));
	net->rstart = calloc(nv + 1, sizeof(size_t));
	net->fto = malloc((na ? na : 1) * sizeof(int));
	net->fw = malloc((na ? na : 1) * sizeof(double));
	net->fedge = malloc((na ? na : 1) * sizeof(int));
	net->fs0 = malloc((na ? na : 1) * sizeof(double));
	net->fs1 = malloc((na ? na : 1) * sizeof(double));
	net->rarc = malloc((na ? na : 1) * sizeof(int));
	net->rfrom = malloc((na ? na : 1) * sizeof(int));
	net->comp = malloc((nv ? nv : 1) * sizeof(int));
	size_t *fill = malloc((nv + 1) * sizeof(size_t));
	int *parent = malloc((nv ? nv : 1) * sizeof(int));
	if (!net->fstart || !net->rstart || !net->fto || !net->fw || !net->fedge || !net->fs0 ||
	    !net->fs1 || !net->rarc || !net->rfrom || !net->comp || !fill || !parent) {
		free(fill), free(parent);
		return -1;
	}
	for (size_t k = 0; k < na; k++)
		net->fstart[b->a[k].from + 1]++, net->rstart[b->a[k].to + 1]++;
	for (size_t v = 0; v < nv; v++)
		net->fstart[v + 1] += net->fstart[v], net->rstart[v + 1] += net->rstart[v];
	memcpy(fill, net->fstart, (nv + 1) * sizeof(size_t));
	for (size_t k = 0; k < na; k++) {
		size_t m = fill[b->a[k].from]++;
		net->fto[m] = b->a[k].to, net->fw[m] = b->a[k].w, net->fedge[m] = b->a[k].edge;
		net->fs0[m] = b->a[k].s0, net->fs1[m] = b->a[k].s1;
	}
	memcpy(fill, net->rstart, (nv + 1) * sizeof(size_t));
	for (size_t v = 0; v < nv; v++)
		for (size_t m = net->fstart[v]; m < net->fstart[v + 1]; m++) {
			size_t r = fill[net->fto[m]]++;
			net->rarc[r] = (int)m, net->rfrom[r] = (int)v;
		}
	/* parts: union-find with path halving, labels in vertex order */
	for (size_t v = 0; v < nv; v++)
		parent[v] = (int)v;
	for (size_t k = 0; k < na; k++) {
		int a = b->a[k].from, c = b->a[k].to;
		while (parent[a] != a)
			a = parent[a] = parent[parent[a]];
		while (parent[c] != c)
			c = parent[c] = parent[parent[c]];
		if (a != c)
			parent[a > c ? a : c] = a < c ? a : c;
	}
	int nparts = 0;
	for (size_t v = 0; v < nv; v++) {
		int r = (int)v;
		while (parent[r] != r)
			r = parent[r];
		net->comp[v] = r == (int)v ? nparts++ : net->comp[r];
	}
	free(fill), free(parent);
	return 0;
}

/* Arcs along every edge, split at its interior feet (sorted, with their
 * vertices in avert), plus the connectors. */
static int make_arcs(network *net, arc_buf *b, const foot *ft, size_t nf, const int *avert,
                     const int *dangling, const double *dgap, size_t nd)
{
	size_t i = 0;
	for (size_t e = 0; e < net->nedges; e++) {
		int prev = net->ea[e];
		double ps = 0;
		for (; i < nf && ft[i].e == (int)e; i++) {
			int v = avert[ft[i].pt];
			if (v == prev || v == net->ea[e] || v == net->eb[e])
				continue;
			if (edge_arcs(b, net, (int)e, prev, ps, v, ft[i].s) != 0)
				return -1;
			prev = v, ps = ft[i].s;
		}
		if (edge_arcs(b, net, (int)e, prev, ps, net->eb[e], net->elen[e]) != 0)
			return -1;
	}
	for (size_t p = 0; p < net->npoints; p++)
		if (net->pvert[p] >= 0 &&
		    (arc_add(b, net->pvert[p], avert[p], net->pdist[p], -1, 0, 0) != 0 ||
		     arc_add(b, avert[p], net->pvert[p], net->pdist[p], -1, 0, 0) != 0))
			return -1;
	/* dangling ends joined to the line they stop at */
	for (size_t k = 0; k < nd; k++) {
		int a = avert[net->npoints + k], v = dangling[k];
		if (a < 0 || a == v)
			continue;
		net->nsnapped++;
		if (arc_add(b, v, a, dgap[k], -1, 0, 0) != 0 ||
		    arc_add(b, a, v, dgap[k], -1, 0, 0) != 0)
			return -1;
	}
	return 0;
}

/* Vertices: junctions, split vertices (avert of each foot), point vertices. */
static int make_vertices(network *net, foot *ft, size_t nf, int *avert, const double *x,
                         const double *y)
{
	size_t nsplit = 0;
	for (size_t i = 0; i < nf; i++)
		nsplit += ft[i].s > 0 && ft[i].s < net->elen[ft[i].e];
	size_t cap = net->nnodes + nsplit + nf;
	net->vx = malloc((cap ? cap : 1) * sizeof(double));
	net->vy = malloc((cap ? cap : 1) * sizeof(double));
	if (!net->vx || !net->vy)
		return -1;
	memcpy(net->vx, net->nx, net->nnodes * sizeof(double));
	memcpy(net->vy, net->ny, net->nnodes * sizeof(double));
	size_t nv = net->nnodes;
	for (size_t i = 0; i < nf; i++) {
		const foot *f = &ft[i];
		if (f->s <= 0) {
			avert[f->pt] = net->ea[f->e];
		} else if (f->s >= net->elen[f->e]) {
			avert[f->pt] = net->eb[f->e];
		} else if (i > 0 && ft[i - 1].e == f->e && ft[i - 1].s == f->s) {
			avert[f->pt] = avert[ft[i - 1].pt];
		} else {
			shape_point(net, f->e, f->s, &net->vx[nv], &net->vy[nv]);
			avert[f->pt] = (int)nv++;
		}
	}
	for (size_t p = 0; p < net->npoints; p++)
		if (net->pdist[p] >= 0) {
			net->pvert[p] = (int)nv;
			net->vx[nv] = x[p], net->vy[nv] = y[p];
			nv++;
		}
	net->nv = nv;
	return 0;
}

/* Junctions with one edge end (a loop counts twice): line ends that may
 * stop short of a line. Into a new array (caller frees), count in *nd. */
static int *dangling_ends(const network *net, size_t *nd)
{
	int *deg = calloc(net->nnodes ? net->nnodes : 1, sizeof(int));
	int *out = malloc((net->nnodes ? net->nnodes : 1) * sizeof(int));
	*nd = 0;
	if (!deg || !out) {
		free(deg), free(out);
		return NULL;
	}
	for (size_t e = 0; e < net->nedges; e++)
		deg[net->ea[e]]++, deg[net->eb[e]]++;
	for (size_t v = 0; v < net->nnodes; v++)
		if (deg[v] == 1)
			out[(*nd)++] = (int)v;
	free(deg);
	return out;
}

status_code network_attach(network *net, size_t n, const double *x, const double *y, double snap_m,
                           status *st)
{
	seg_grid g = {0};
	arc_buf b = {0};
	size_t nd = 0;
	int *dangling = net->merge_m > 0 ? dangling_ends(net, &nd) : calloc(1, sizeof(int));
	int *se = segment_edges(net), *avert = malloc((n + nd + 1) * sizeof(int));
	foot *ft = malloc((n + nd + 1) * sizeof(foot));
	double *dgap = malloc((nd + 1) * sizeof(double));
	net->npoints = n;
	net->pvert = malloc((n ? n : 1) * sizeof(int));
	net->pdist = malloc((n ? n : 1) * sizeof(double));
	status_code rc = STATUS_OK;
	if (!dangling || !se || !avert || !ft || !dgap || !net->pvert || !net->pdist ||
	    grid_build(&g, net, fmax(snap_m, net->merge_m)) != 0) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	size_t nf = 0;
	for (size_t p = 0; p < n; p++) {
		net->pvert[p] = -1, net->pdist[p] = -1, avert[p] = -1;
		foot f;
		double d;
		if (nearest_foot(net, &g, se, x[p], y[p], snap_m, -1, &f, &d) == 0) {
			f.pt = (int)p;
			ft[nf++] = f;
			net->pdist[p] = d;
		}
	}
	for (size_t k = 0; k < nd; k++) {
		int v = dangling[k];
		foot f;
		avert[n + k] = -1;
		if (nearest_foot(net, &g, se, net->nx[v], net->ny[v], net->merge_m, v, &f,
		                 &dgap[k]) == 0) {
			f.pt = (int)(n + k);
			ft[nf++] = f;
		}
	}
	qsort(ft, nf, sizeof(*ft), foot_cmp);
	if (make_vertices(net, ft, nf, avert, x, y) != 0 ||
	    make_arcs(net, &b, ft, nf, avert, dangling, dgap, nd) != 0 || make_csr(net, &b) != 0)
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
out:
	free(b.a), free(g.start), free(g.seg), free(se), free(avert), free(ft), free(dangling),
	    free(dgap);
	return rc;
}

double network_point_gap(const network *net, size_t k)
{
	return k < net->npoints ? net->pdist[k] : -1;
}

int network_point_part(const network *net, size_t k)
{
	return k < net->npoints && net->pvert[k] >= 0 ? net->comp[net->pvert[k]] : -1;
}
