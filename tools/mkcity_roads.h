/*
 * mkcity_roads.h: a synthetic street network for a generated city
 * (`mkcity --roads FILE`), in a metric plane (the caller projects).
 *
 * What a planner's street centre lines look like, drawn from the unit cells:
 * - `tertiary`: the edges of the community cells (the block edges between
 *   communities); `unclassified`: the edges of the village cells and a
 *   cross of two roads through each village's point (its centre on a
 *   street);
 * - `residential`: inside each community cell a grid of lanes every
 *   ROADS_BLOCK_M (200 m), turned by the cell's own random angle;
 * - `primary`: arterials on a grid every ROADS_ARTERIAL_M (1.5 km) over the
 *   built-up area (the community cells grown by 250 m); `secondary`: rural
 *   roads every ROADS_RURAL_M (4 km) over all the land, and the riverside
 *   roads along both banks of the river in the built-up area;
 * - a river (ROADS_RIVER_HW_M half-width, 40 m) meandering through the
 *   densest 2 km square of communities: nothing crosses it except bridges,
 *   every second arterial or rural road crossing it (never within 300 m of
 *   the expressway, never one running along the river: at most 320 m long),
 *   each bridge a straight line reaching 80 m from the river's centre on
 *   both sides, `bridge = 1`;
 * - an expressway (`motorway`) passing 1 to 3 km from that centre, roughly
 *   across the river: no street crosses it at any level (streets end 30 m
 *   from it); it bridges the river itself.
 * Lines are split at real junctions only, as OpenStreetMap ways are once cut
 * at their nodes: every street, lane, arterial, rural and riverside line is
 * noded with the others by one snap-rounded union (1 m grid), then the
 * pieces inside the river strip (55 m) and the expressway strip (30 m) are
 * dropped. Bridges and the expressway are added after that union: a bridge
 * shares a vertex with the ground network only at its two ends (the
 * arterial it carries), and passes over the riverside roads and any street
 * below it without a vertex in common; the expressway shares none.
 * `oneway = 1` on one in twenty tertiary and residential pieces of the
 * built-up area (in the direction drawn). Everything random comes from the
 * stream given, so the same seed gives the same network.
 */
#ifndef STATIONPLAN_MKCITY_ROADS_H
#define STATIONPLAN_MKCITY_ROADS_H

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkcity_rng.h"
#include "mkcity_rules.h"

#define ROADS_BLOCK_M      200.0
#define ROADS_ARTERIAL_M   1500.0
#define ROADS_RURAL_M      4000.0
#define ROADS_BUILTUP_M    250.0
#define ROADS_RIVER_HW_M   40.0
#define ROADS_BANK_M       55.0  /* riverside roads, and the strip nothing enters */
#define ROADS_BRIDGE_M     80.0  /* bridge ends, from the river's centre */
#define ROADS_BRIDGE_MAX_M 320.0 /* no bridge along the river */
#define ROADS_EXPRESS_M    30.0  /* streets end this far from the expressway */
#define ROADS_GRID_M       1.0   /* snap-rounding grid of the noding */
#define ROADS_MEANDER_M    300.0
#define ROADS_WAVE_M       4000.0
#define ROADS_ONEWAY_RATE  0.05

/* The classes, as OpenStreetMap's highway=* values. */
enum {
	ROAD_MOTORWAY,
	ROAD_PRIMARY,
	ROAD_SECONDARY,
	ROAD_TERTIARY,
	ROAD_UNCLASSIFIED,
	ROAD_RESIDENTIAL,
	ROAD_NCLASS
};
static const char *const road_class_name[ROAD_NCLASS] = {"motorway", "primary",      "secondary",
                                                         "tertiary", "unclassified", "residential"};

/* One output line (owned by the roads_out it is in). */
typedef struct road {
	GEOSGeometry *line;
	int cls, oneway, bridge;
} road;

/* What roads_build makes: the lines and the river's centre line. */
typedef struct roads_out {
	road *r;
	size_t n, cap;
	GEOSGeometry *river; /* clipped to the land; may be empty */
	size_t bridges;
} roads_out;

/* A growing list of owned geometries. */
typedef struct roads_list {
	GEOSGeometry **g;
	size_t n, cap;
} roads_list;

static int roads_list_add(roads_list *l, GEOSGeometry *geom)
{
	if (!geom)
		return -1;
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		GEOSGeometry **g = realloc(l->g, cap * sizeof *g);
		if (!g)
			return -1;
		l->g = g;
		l->cap = cap;
	}
	l->g[l->n++] = geom;
	return 0;
}

static void roads_list_free(GEOSContextHandle_t g, roads_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		GEOSGeom_destroy_r(g, l->g[i]);
	free(l->g);
	memset(l, 0, sizeof *l);
}

static int roads_out_add(roads_out *o, GEOSGeometry *line, int cls, int oneway, int bridge)
{
	if (!line)
		return -1;
	if (o->n == o->cap) {
		size_t cap = o->cap ? 2 * o->cap : 1024;
		road *r = realloc(o->r, cap * sizeof *r);
		if (!r)
			return -1;
		o->r = r;
		o->cap = cap;
	}
	o->r[o->n++] = (road){line, cls, oneway, bridge};
	return 0;
}

/* Release everything in o. */
static void roads_out_free(GEOSContextHandle_t g, roads_out *o)
{
	for (size_t i = 0; i < o->n; i++)
		GEOSGeom_destroy_r(g, o->r[i].line);
	free(o->r);
	GEOSGeom_destroy_r(g, o->river);
	memset(o, 0, sizeof *o);
}

static GEOSGeometry *roads_segment(GEOSContextHandle_t g, double x0, double y0, double x1,
                                   double y1)
{
	GEOSCoordSequence *cs = GEOSCoordSeq_create_r(g, 2, 2);
	if (!cs)
		return NULL;
	GEOSCoordSeq_setXY_r(g, cs, 0, x0, y0);
	GEOSCoordSeq_setXY_r(g, cs, 1, x1, y1);
	return GEOSGeom_createLineString_r(g, cs);
}

/* Add the linear parts of geom (takes ownership) to l, one line each. */
static int roads_add_lines(GEOSContextHandle_t g, roads_list *l, GEOSGeometry *geom)
{
	if (!geom)
		return -1;
	int type = GEOSGeomTypeId_r(g, geom), rc = 0;
	if (type == GEOS_LINESTRING) {
		if (GEOSisEmpty_r(g, geom) == 1) {
			GEOSGeom_destroy_r(g, geom);
			return 0;
		}
		return roads_list_add(l, geom);
	}
	for (int i = 0; rc == 0 && i < GEOSGetNumGeometries_r(g, geom); i++) {
		const GEOSGeometry *part = GEOSGetGeometryN_r(g, geom, i);
		int pt = GEOSGeomTypeId_r(g, part);
		if (pt == GEOS_LINESTRING && GEOSisEmpty_r(g, part) != 1)
			rc = roads_list_add(l, GEOSGeom_clone_r(g, part));
		else if (pt == GEOS_MULTILINESTRING || pt == GEOS_GEOMETRYCOLLECTION)
			rc = roads_add_lines(g, l, GEOSGeom_clone_r(g, part));
	}
	GEOSGeom_destroy_r(g, geom);
	return rc;
}

/* Distance from (x, y) to geom, or a large number on failure. */
static double roads_dist(GEOSContextHandle_t g, const GEOSGeometry *geom, double x, double y)
{
	GEOSGeometry *p = GEOSGeom_createPointFromXY_r(g, x, y);
	double d = 1e300;
	if (!p || GEOSDistance_r(g, geom, p, &d) != 1)
		d = 1e300;
	GEOSGeom_destroy_r(g, p);
	return d;
}

static int roads_inside(GEOSContextHandle_t g, const GEOSPreparedGeometry *prep, double x, double y)
{
	GEOSGeometry *p = GEOSGeom_createPointFromXY_r(g, x, y);
	int in = p && GEOSPreparedContains_r(g, prep, p) == 1;
	GEOSGeom_destroy_r(g, p);
	return in;
}

/* The centre of the densest 2 km square of community seeds (pts, n), or
 * (*x, *y) unchanged when n == 0. */
static void roads_core(const double *px, const double *py, size_t n, double *x, double *y)
{
	size_t best = 0;
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		for (size_t j = 0; j < n; j++)
			k += fabs(px[j] - px[i]) <= 1000.0 && fabs(py[j] - py[i]) <= 1000.0;
		if (k > best) {
			best = k;
			*x = px[i];
			*y = py[i];
		}
		if (n > 4000)
			i += n / 2000; /* a sample is enough for a metropolis */
	}
}

/* Where a straight line from (x, y) in direction (dx, dy) first gets
 * ROADS_BRIDGE_M from the river, rounded to the noding grid. */
static void roads_bridge_end(GEOSContextHandle_t g, const GEOSGeometry *river, double x, double y,
                             double dx, double dy, double *ex, double *ey)
{
	double t = 0;
	while (t < 2000.0 && roads_dist(g, river, x + t * dx, y + t * dy) < ROADS_BRIDGE_M)
		t += 2.0;
	*ex = round((x + t * dx) / ROADS_GRID_M) * ROADS_GRID_M;
	*ey = round((y + t * dy) / ROADS_GRID_M) * ROADS_GRID_M;
}

/* A river crossing of a straight line, at distance t along it. */
typedef struct roads_cross {
	double t, x, y;
} roads_cross;

static int roads_cross_cmp(const void *a, const void *b)
{
	double x = ((const roads_cross *)a)->t, y = ((const roads_cross *)b)->t;
	return x < y ? -1 : x > y;
}

/* The points where the line from (x0, y0) in direction (dx, dy) crosses
 * the river, sorted along it, at most max. Returns how many. */
static int roads_crossings(GEOSContextHandle_t g, const GEOSGeometry *line,
                           const GEOSGeometry *river, double x0, double y0, double dx, double dy,
                           roads_cross *c, int max)
{
	GEOSGeometry *hits = river ? GEOSIntersection_r(g, line, river) : NULL;
	int n = 0;
	for (int i = 0; hits && i < GEOSGetNumGeometries_r(g, hits) && n < max; i++) {
		const GEOSGeometry *p = GEOSGetGeometryN_r(g, hits, i);
		double px, py;
		if (GEOSGeomTypeId_r(g, p) != GEOS_POINT || GEOSGeomGetX_r(g, p, &px) != 1 ||
		    GEOSGeomGetY_r(g, p, &py) != 1)
			continue;
		c[n++] = (roads_cross){(px - x0) * dx + (py - y0) * dy, px, py};
	}
	GEOSGeom_destroy_r(g, hits);
	qsort(c, (size_t)n, sizeof *c, roads_cross_cmp);
	return n;
}

/* Context of one build (see roads_build). */
typedef struct roads_ctx {
	GEOSContextHandle_t g;
	mkcity_rng *rng;
	const GEOSGeometry *land, *river, *express;
	const GEOSPreparedGeometry *land_p, *built_p;
	roads_list src[ROAD_NCLASS]; /* ground lines by class (noded together) */
	roads_list cutters;          /* strip edges: node the ground, never output */
	roads_out *out;
	long crossings; /* river crossings of grid lines met so far */
} roads_ctx;

/* One grid line from (x0, y0) to (x1, y1), class cls, clipped to clip:
 * every second river crossing inside clip (and 300 m from the expressway)
 * becomes a bridge; the rest goes to the ground lines. Returns 0 or -1. */
static int roads_grid_line(roads_ctx *R, double x0, double y0, double x1, double y1, int cls,
                           const GEOSGeometry *clip, const GEOSPreparedGeometry *clip_p)
{
	GEOSContextHandle_t g = R->g;
	double len = hypot(x1 - x0, y1 - y0), dx = (x1 - x0) / len, dy = (y1 - y0) / len;
	GEOSGeometry *full = roads_segment(g, x0, y0, x1, y1);
	roads_cross hit[32];
	int nhit = full ? roads_crossings(g, full, R->river, x0, y0, dx, dy, hit, 32) : 0;
	double cut[64][2];
	int ncut = 0, rc = full ? 0 : -1;
	for (int i = 0; i < nhit && ncut < 62; i++) {
		double px = hit[i].x, py = hit[i].y;
		if (!roads_inside(g, clip_p, px, py))
			continue;
		if (R->crossings++ % 2 != 0 ||
		    (R->express && roads_dist(g, R->express, px, py) < 300.0))
			continue;
		double ax, ay, bx, by;
		roads_bridge_end(g, R->river, px, py, -dx, -dy, &ax, &ay);
		roads_bridge_end(g, R->river, px, py, dx, dy, &bx, &by);
		double ta = (ax - x0) * dx + (ay - y0) * dy;
		if (hypot(bx - ax, by - ay) > ROADS_BRIDGE_MAX_M ||
		    !roads_inside(g, clip_p, ax, ay) || !roads_inside(g, clip_p, bx, by) ||
		    (ncut > 0 && ta <= (cut[ncut - 1][0] - x0) * dx + (cut[ncut - 1][1] - y0) * dy))
			continue;
		if (roads_out_add(R->out, roads_segment(g, ax, ay, bx, by), cls, 0, 1) != 0) {
			rc = -1;
			break;
		}
		R->out->bridges++;
		cut[ncut][0] = ax, cut[ncut][1] = ay, cut[ncut + 1][0] = bx, cut[ncut + 1][1] = by;
		ncut += 2;
	}
	/* ground parts: start .. a1, b1 .. a2, ..., bk .. end, clipped */
	for (int k = 0; rc == 0 && k <= ncut; k += 2) {
		double sx = k == 0 ? x0 : cut[k - 1][0], sy = k == 0 ? y0 : cut[k - 1][1];
		double ex = k == ncut ? x1 : cut[k][0], ey = k == ncut ? y1 : cut[k][1];
		GEOSGeometry *seg = roads_segment(g, sx, sy, ex, ey);
		rc =
		    roads_add_lines(g, &R->src[cls], seg ? GEOSIntersection_r(g, seg, clip) : NULL);
		GEOSGeom_destroy_r(g, seg);
	}
	GEOSGeom_destroy_r(g, full);
	return rc;
}

/* A grid of lines at `spacing`, angle `a`, offset `off`, over the square of
 * half-size `half` around (cx, cy), clipped to clip. */
static int roads_grid(roads_ctx *R, double cx, double cy, double half, double spacing, double a,
                      double off, int cls, const GEOSGeometry *clip,
                      const GEOSPreparedGeometry *clip_p)
{
	double ux = cos(a), uy = sin(a);
	for (int dir = 0; dir < 2; dir++) {
		double dx = dir ? -uy : ux, dy = dir ? ux : uy; /* along the line */
		double nx = -dy, ny = dx;                       /* across */
		for (double s = -half + off; s <= half; s += spacing) {
			double x = cx + s * nx, y = cy + s * ny;
			if (roads_grid_line(R, x - half * dx, y - half * dy, x + half * dx,
			                    y + half * dy, cls, clip, clip_p) != 0)
				return -1;
		}
	}
	return 0;
}

/* A village's own roads: a cross through its point (x, y) at a random
 * angle, clipped to its cell, so its centre is on a street. */
static int roads_village_cross(roads_ctx *R, const GEOSGeometry *cell, double x, double y)
{
	GEOSContextHandle_t g = R->g;
	double x0, y0, x1, y1;
	if (GEOSGeom_getXMin_r(g, cell, &x0) != 1 || GEOSGeom_getYMin_r(g, cell, &y0) != 1 ||
	    GEOSGeom_getXMax_r(g, cell, &x1) != 1 || GEOSGeom_getYMax_r(g, cell, &y1) != 1)
		return 0;
	double half = hypot(x1 - x0, y1 - y0), a = M_PI / 2 * mkcity_rng_uniform(R->rng);
	for (int dir = 0; dir < 2; dir++) {
		double dx = cos(a + dir * M_PI / 2), dy = sin(a + dir * M_PI / 2);
		GEOSGeometry *l =
		    roads_segment(g, x - half * dx, y - half * dy, x + half * dx, y + half * dy);
		int rc = roads_add_lines(g, &R->src[ROAD_UNCLASSIFIED],
		                         l ? GEOSIntersection_r(g, l, cell) : NULL);
		GEOSGeom_destroy_r(g, l);
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Lanes inside one community cell: a grid every block_m at a random angle. */
static int roads_lanes(roads_ctx *R, const GEOSGeometry *cell, double block_m)
{
	GEOSContextHandle_t g = R->g;
	double x0, y0, x1, y1;
	if (GEOSGeom_getXMin_r(g, cell, &x0) != 1 || GEOSGeom_getYMin_r(g, cell, &y0) != 1 ||
	    GEOSGeom_getXMax_r(g, cell, &x1) != 1 || GEOSGeom_getYMax_r(g, cell, &y1) != 1)
		return 0;
	double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, half = hypot(x1 - x0, y1 - y0) / 2;
	double a = M_PI / 2 * mkcity_rng_uniform(R->rng), ux = cos(a), uy = sin(a);
	double off = block_m * mkcity_rng_uniform(R->rng);
	for (int dir = 0; dir < 2; dir++) {
		double dx = dir ? -uy : ux, dy = dir ? ux : uy, nx = -dy, ny = dx;
		for (double s = -half + off; s < half; s += block_m) {
			double x = cx + s * nx, y = cy + s * ny;
			GEOSGeometry *l = roads_segment(g, x - half * dx, y - half * dy,
			                                x + half * dx, y + half * dy);
			int rc = roads_add_lines(g, &R->src[ROAD_RESIDENTIAL],
			                         l ? GEOSIntersection_r(g, l, cell) : NULL);
			GEOSGeom_destroy_r(g, l);
			if (rc != 0)
				return -1;
		}
	}
	return 0;
}

typedef struct roads_hits {
	const GEOSGeometry *items[64];
	int n;
} roads_hits;

static void roads_hit(void *item, void *userdata)
{
	roads_hits *h = userdata;
	if (h->n < 64)
		h->items[h->n++] = item;
}

/* Node the ground lines, drop what lies in the strips, class every piece
 * and add it to the output. Returns 0 or -1. */
static int roads_node(roads_ctx *R, const GEOSPreparedGeometry *river_strip,
                      const GEOSPreparedGeometry *express_strip)
{
	GEOSContextHandle_t g = R->g;
	size_t total = R->cutters.n;
	for (int c = 0; c < ROAD_NCLASS; c++)
		total += R->src[c].n;
	GEOSGeometry **all = malloc((total + 1) * sizeof *all);
	GEOSSTRtree *tree[ROAD_NCLASS] = {0};
	int rc = all ? 0 : -1;
	size_t k = 0;
	for (int c = 0; rc == 0 && c < ROAD_NCLASS; c++) {
		tree[c] = GEOSSTRtree_create_r(g, 10);
		for (size_t i = 0; i < R->src[c].n; i++) {
			all[k++] = GEOSGeom_clone_r(g, R->src[c].g[i]);
			GEOSSTRtree_insert_r(g, tree[c], R->src[c].g[i], R->src[c].g[i]);
		}
	}
	for (size_t i = 0; rc == 0 && i < R->cutters.n; i++)
		all[k++] = GEOSGeom_clone_r(g, R->cutters.g[i]);
	GEOSGeometry *coll =
	    rc == 0 ? GEOSGeom_createCollection_r(g, GEOS_MULTILINESTRING, all, (unsigned)k) : NULL;
	GEOSGeometry *noded = coll ? GEOSUnaryUnionPrec_r(g, coll, ROADS_GRID_M) : NULL;
	if (!noded)
		rc = -1;
	for (int i = 0; rc == 0 && i < GEOSGetNumGeometries_r(g, noded); i++) {
		const GEOSGeometry *piece = GEOSGetGeometryN_r(g, noded, i);
		GEOSGeometry *mid = GEOSInterpolateNormalized_r(g, piece, 0.5);
		double mx, my;
		if (!mid || GEOSGeomGetX_r(g, mid, &mx) != 1 || GEOSGeomGetY_r(g, mid, &my) != 1) {
			GEOSGeom_destroy_r(g, mid);
			rc = -1;
			break;
		}
		int drop = (river_strip && GEOSPreparedContains_r(g, river_strip, mid) == 1) ||
		           (express_strip && GEOSPreparedContains_r(g, express_strip, mid) == 1);
		int cls = -1;
		GEOSGeometry *box =
		    drop ? NULL
		         : GEOSGeom_createRectangle_r(g, mx - 1.5, my - 1.5, mx + 1.5, my + 1.5);
		for (int c = 0; box && cls < 0 && c < ROAD_NCLASS; c++) {
			roads_hits h = {{0}, 0};
			GEOSSTRtree_query_r(g, tree[c], box, roads_hit, &h);
			for (int j = 0; j < h.n && cls < 0; j++) {
				double d;
				if (GEOSDistance_r(g, h.items[j], mid, &d) == 1 && d <= 1.0)
					cls = c;
			}
		}
		GEOSGeom_destroy_r(g, box);
		GEOSGeom_destroy_r(g, mid);
		if (cls < 0)
			continue; /* in a strip, or a cutter's own piece */
		int oneway = (cls == ROAD_TERTIARY || cls == ROAD_RESIDENTIAL) &&
		             roads_inside(g, R->built_p, mx, my) &&
		             mkcity_rng_uniform(R->rng) < ROADS_ONEWAY_RATE;
		rc = roads_out_add(R->out, GEOSGeom_clone_r(g, piece), cls, oneway, 0);
	}
	for (int c = 0; c < ROAD_NCLASS; c++)
		if (tree[c])
			GEOSSTRtree_destroy_r(g, tree[c]);
	GEOSGeom_destroy_r(g, noded);
	GEOSGeom_destroy_r(g, coll); /* owns the clones in all */
	if (!coll)
		for (size_t i = 0; all && i < k; i++)
			GEOSGeom_destroy_r(g, all[i]);
	free(all);
	return rc;
}

/* The expressway: the straight line (x0, y0)-(x1, y1) clipped to the land,
 * split where it bridges the river; added to the output. */
static int roads_expressway(roads_ctx *R, const GEOSGeometry *clipped)
{
	GEOSContextHandle_t g = R->g;
	roads_list parts = {0};
	int rc = roads_add_lines(g, &parts, GEOSGeom_clone_r(g, clipped));
	for (size_t i = 0; rc == 0 && i < parts.n; i++) {
		const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(g, parts.g[i]);
		double x0, y0, x1, y1;
		GEOSCoordSeq_getXY_r(g, cs, 0, &x0, &y0);
		GEOSCoordSeq_getXY_r(g, cs, 1, &x1, &y1);
		double len = hypot(x1 - x0, y1 - y0), dx = (x1 - x0) / len, dy = (y1 - y0) / len;
		double sx = x0, sy = y0;
		roads_cross hit[32];
		int nhit = roads_crossings(g, parts.g[i], R->river, x0, y0, dx, dy, hit, 32);
		for (int h = 0; rc == 0 && h < nhit; h++) {
			double px = hit[h].x, py = hit[h].y, ax, ay, bx, by;
			roads_bridge_end(g, R->river, px, py, -dx, -dy, &ax, &ay);
			roads_bridge_end(g, R->river, px, py, dx, dy, &bx, &by);
			if ((ax - sx) * dx + (ay - sy) * dy <= 0 ||
			    (x1 - bx) * dx + (y1 - by) * dy <= 0)
				continue;
			rc = roads_out_add(R->out, roads_segment(g, sx, sy, ax, ay), ROAD_MOTORWAY,
			                   0, 0);
			if (rc == 0)
				rc = roads_out_add(R->out, roads_segment(g, ax, ay, bx, by),
				                   ROAD_MOTORWAY, 0, 1);
			sx = bx, sy = by;
		}
		if (rc == 0)
			rc = roads_out_add(R->out, roads_segment(g, sx, sy, x1, y1), ROAD_MOTORWAY,
			                   0, 0);
	}
	roads_list_free(g, &parts);
	return rc;
}

/* A meandering river through (cx, cy) at angle a, half-length half. */
static GEOSGeometry *roads_river_line(GEOSContextHandle_t g, double cx, double cy, double a,
                                      double half, double phase)
{
	unsigned n = (unsigned)(2 * half / 50.0) + 2;
	GEOSCoordSequence *cs = GEOSCoordSeq_create_r(g, n, 2);
	if (!cs)
		return NULL;
	double dx = cos(a), dy = sin(a);
	for (unsigned i = 0; i < n; i++) {
		double s = -half + 2 * half * i / (n - 1);
		double w = ROADS_MEANDER_M * sin(2 * M_PI * s / ROADS_WAVE_M + phase);
		double x = cx + s * dx - w * dy, y = cy + s * dy + w * dx;
		GEOSCoordSeq_setXY_r(g, cs, i, round(x), round(y));
	}
	return GEOSGeom_createLineString_r(g, cs);
}

/* Build the street network of n cells (metric, polygonal; kind[i] is
 * MKCITY_COMMUNITY or MKCITY_VILLAGE; sx/sy a point of each) on `land` (the
 * union of the districts). block_m: lane spacing inside community cells (0:
 * none). On success returns 0 with the lines in *out (released with
 * roads_out_free); on failure -1 with a message in err. */
static int roads_build(GEOSContextHandle_t g, const GEOSGeometry *land, GEOSGeometry *const *cells,
                       const int *kind, const double *sx, const double *sy, size_t n,
                       double block_m, mkcity_rng *rng, roads_out *out, char *err, size_t errsz)
{
	roads_ctx R = {.g = g, .rng = rng, .land = land, .out = out};
	roads_list comm = {0};
	double *px = malloc((n + 1) * sizeof *px), *py = malloc((n + 1) * sizeof *py);
	size_t nc = 0;
	int rc = -1;
	GEOSGeometry *built = NULL, *river = NULL, *express = NULL, *rstrip = NULL, *estrip = NULL;
	GEOSGeometry *bank = NULL, *tmp = NULL;
	const GEOSPreparedGeometry *rstrip_p = NULL, *estrip_p = NULL;
	memset(out, 0, sizeof *out);
	snprintf(err, errsz, "out of memory or a GEOS failure");
	if (!px || !py)
		goto done;
	double x0, y0, x1, y1;
	if (GEOSGeom_getXMin_r(g, land, &x0) != 1 || GEOSGeom_getYMin_r(g, land, &y0) != 1 ||
	    GEOSGeom_getXMax_r(g, land, &x1) != 1 || GEOSGeom_getYMax_r(g, land, &y1) != 1) {
		snprintf(err, errsz, "empty land");
		goto done;
	}
	double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2, half = hypot(x1 - x0, y1 - y0) / 2 + 100;
	for (size_t i = 0; i < n; i++)
		if (kind[i] == MKCITY_COMMUNITY) {
			px[nc] = sx[i];
			py[nc++] = sy[i];
			if (roads_list_add(&comm, GEOSGeom_clone_r(g, cells[i])) != 0)
				goto done;
		}
	roads_core(px, py, nc, &cx, &cy);
	/* the built-up area: community cells grown by 250 m (the land if none) */
	tmp = comm.n ? GEOSGeom_createCollection_r(g, GEOS_GEOMETRYCOLLECTION, comm.g,
	                                           (unsigned)comm.n)
	             : NULL;
	if (comm.n) {
		free(comm.g); /* the collection owns the cells now */
		memset(&comm, 0, sizeof comm);
	}
	GEOSGeometry *u = tmp ? GEOSUnaryUnion_r(g, tmp) : NULL;
	GEOSGeometry *grown = u ? GEOSBuffer_r(g, u, ROADS_BUILTUP_M, 4) : NULL;
	built = grown ? GEOSIntersection_r(g, grown, land) : GEOSGeom_clone_r(g, land);
	GEOSGeom_destroy_r(g, u);
	GEOSGeom_destroy_r(g, grown);
	GEOSGeom_destroy_r(g, tmp);
	tmp = NULL;
	R.land_p = GEOSPrepare_r(g, land);
	R.built_p = built ? GEOSPrepare_r(g, built) : NULL;
	if (!R.land_p || !R.built_p)
		goto done;

	/* the river through the core, the expressway 1-3 km beside it */
	double ar = M_PI * mkcity_rng_uniform(rng), phase = 2 * M_PI * mkcity_rng_uniform(rng);
	GEOSGeometry *rfull = roads_river_line(g, cx, cy, ar, half, phase);
	river = rfull ? GEOSIntersection_r(g, rfull, land) : NULL;
	GEOSGeom_destroy_r(g, rfull);
	double ae = ar + M_PI / 2 + (mkcity_rng_uniform(rng) - 0.5) * M_PI / 3;
	double off =
	    (1000.0 + 2000.0 * mkcity_rng_uniform(rng)) * (mkcity_rng_uniform(rng) < 0.5 ? -1 : 1);
	double ex = cx - off * sin(ae), ey = cy + off * cos(ae);
	GEOSGeometry *efull =
	    roads_segment(g, round(ex - half * cos(ae)), round(ey - half * sin(ae)),
	                  round(ex + half * cos(ae)), round(ey + half * sin(ae)));
	express = efull ? GEOSIntersection_r(g, efull, land) : NULL;
	GEOSGeom_destroy_r(g, efull);
	if (!river || !express)
		goto done;
	R.river = GEOSisEmpty_r(g, river) == 1 ? NULL : river;
	R.express = GEOSisEmpty_r(g, express) == 1 ? NULL : express;
	if (R.river) {
		GEOSGeometry *b = GEOSBuffer_r(g, river, ROADS_BANK_M, 8);
		rstrip = GEOSBuffer_r(g, river, ROADS_BANK_M - 0.5, 8);
		bank = b ? GEOSBoundary_r(g, b) : NULL;
		GEOSGeom_destroy_r(g, b);
		if (!rstrip || !bank || roads_add_lines(g, &R.cutters, GEOSGeom_clone_r(g, bank)) ||
		    roads_add_lines(g, &R.src[ROAD_SECONDARY],
		                    GEOSIntersection_r(g, bank, built)) ||
		    !(rstrip_p = GEOSPrepare_r(g, rstrip)))
			goto done;
	}
	if (R.express) {
		GEOSGeometry *b = GEOSBuffer_r(g, express, ROADS_EXPRESS_M, 8);
		estrip = GEOSBuffer_r(g, express, ROADS_EXPRESS_M - 0.5, 8);
		int bad = !b || !estrip ||
		          roads_add_lines(g, &R.cutters, GEOSBoundary_r(g, b)) != 0 ||
		          !(estrip_p = GEOSPrepare_r(g, estrip));
		GEOSGeom_destroy_r(g, b);
		if (bad)
			goto done;
	}

	/* ground lines: arterials, rural roads, cell edges, lanes */
	double ag = (mkcity_rng_uniform(rng) - 0.5) * M_PI / 6;
	if (roads_grid(&R, cx, cy, half, ROADS_ARTERIAL_M, ag, 0.0, ROAD_PRIMARY, built,
	               R.built_p) != 0 ||
	    roads_grid(&R, cx, cy, half, ROADS_RURAL_M, ag, ROADS_RURAL_M / 2 + 250, ROAD_SECONDARY,
	               land, R.land_p) != 0)
		goto done;
	for (size_t i = 0; i < n; i++) {
		int cls = kind[i] == MKCITY_COMMUNITY ? ROAD_TERTIARY : ROAD_UNCLASSIFIED;
		if (roads_add_lines(g, &R.src[cls], GEOSBoundary_r(g, cells[i])) != 0 ||
		    (block_m > 0 && kind[i] == MKCITY_COMMUNITY &&
		     roads_lanes(&R, cells[i], block_m) != 0) ||
		    (kind[i] == MKCITY_VILLAGE &&
		     roads_village_cross(&R, cells[i], sx[i], sy[i]) != 0))
			goto done;
	}
	if (roads_node(&R, rstrip_p, estrip_p) != 0)
		goto done;
	if (R.express && roads_expressway(&R, express) != 0)
		goto done;
	out->river = river;
	river = NULL;
	rc = 0;
	err[0] = '\0';
done:
	if (rc != 0)
		roads_out_free(g, out);
	for (int c = 0; c < ROAD_NCLASS; c++)
		roads_list_free(g, &R.src[c]);
	roads_list_free(g, &R.cutters);
	roads_list_free(g, &comm);
	if (R.land_p)
		GEOSPreparedGeom_destroy_r(g, R.land_p);
	if (R.built_p)
		GEOSPreparedGeom_destroy_r(g, R.built_p);
	if (rstrip_p)
		GEOSPreparedGeom_destroy_r(g, rstrip_p);
	if (estrip_p)
		GEOSPreparedGeom_destroy_r(g, estrip_p);
	GEOSGeom_destroy_r(g, tmp);
	GEOSGeom_destroy_r(g, built);
	GEOSGeom_destroy_r(g, river);
	GEOSGeom_destroy_r(g, express);
	GEOSGeom_destroy_r(g, rstrip);
	GEOSGeom_destroy_r(g, estrip);
	GEOSGeom_destroy_r(g, bank);
	free(px);
	free(py);
	return rc;
}

#endif
