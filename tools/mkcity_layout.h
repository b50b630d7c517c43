/*
 * mkcity_layout.h: synthetic community and village polygons for one district.
 *
 * Works in a local metric plane (metres; the caller projects the district
 * polygon). Seeds are placed street by street:
 * - urban streets (街道) are packed around the district core (the centre of
 *   the polygon's maximum inscribed circle) on a sunflower spiral, in code
 *   order, so the lowest-coded streets form the centre; each street's
 *   communities sit on their own spiral around the street centre at 600 m
 *   spacing in the first street rising to 960 m in the last (cells of about
 *   0.36 to 0.9 km²), its villages (城中村) around them at 1.4 times that;
 * - towns (镇, 乡, farms) get a centre by best-candidate sampling (the
 *   candidate farthest from the urban core and the other towns), their
 *   communities at 650 m spacing at that centre and their villages around
 *   them at the rural spacing sqrt(rural area / rural villages), clamped to
 *   [600 m, 4 km];
 * - a seed is kept only inside the district and at least 0.45 spacing from
 *   every earlier seed (a grid index keeps that test cheap).
 * The cells are the Voronoi cells of the seeds (GEOSVoronoiDiagram_r) clipped
 * to the district and capped by a disc around the seed: 700 m for a
 * community (at most 1.54 km², never a 30 km² sliver at the edge of the core)
 * and max(1 km, 1.2 spacing) for a village. Land outside every cap (between
 * the core and the towns) belongs to no unit, as parks, industry and water do.
 * With a dense spacing (mkcity_dense.h) every street's communities, urban
 * and town, are seeded at that spacing and capped by a 400 m disc.
 */
#ifndef STATIONPLAN_MKCITY_LAYOUT_H
#define STATIONPLAN_MKCITY_LAYOUT_H

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mkcity_rng.h"
#include "mkcity_rules.h"

#define LAYOUT_GOLDEN          2.39996322972865332 /* golden angle, radians */
#define LAYOUT_URBAN_SPACING   600.0
#define LAYOUT_URBAN_RISE      0.6
#define LAYOUT_TOWN_SPACING    650.0
#define LAYOUT_MIN_GAP         0.45
#define LAYOUT_COMMUNITY_CAP_M 700.0
#define LAYOUT_VILLAGE_CAP_M   1000.0
#define LAYOUT_GRID_BITS       16
#define LAYOUT_DENSE_CAP_M     400.0 /* dense communities: at most 0.503 km² */

/* One unit to place: its kind and its street (index in code order). */
typedef struct layout_unit {
	int kind;   /* MKCITY_COMMUNITY or MKCITY_VILLAGE */
	int street; /* 0 .. nstreets - 1 */
} layout_unit;

/* Placement state of one district. */
typedef struct layout {
	GEOSContextHandle_t g;
	const GEOSGeometry *poly;
	const GEOSPreparedGeometry *prep;
	double minx, miny, maxx, maxy;
	mkcity_rng *rng;
	double *x, *y, *cap; /* per unit, indexed like the units */
	int *placed;         /* 1 once the unit has a seed */
	int *next;           /* grid chains */
	int *head;           /* grid buckets, 1 << LAYOUT_GRID_BITS */
	double cell;         /* grid cell size */
	size_t n;
} layout;

static int layout_contains(layout *L, double x, double y)
{
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(L->g, x, y);
	int in = pt && GEOSPreparedContains_r(L->g, L->prep, pt) == 1;
	GEOSGeom_destroy_r(L->g, pt);
	return in;
}

static size_t layout_bucket(long ix, long iy)
{
	unsigned long long h = (unsigned long long)ix * 0x9e3779b97f4a7c15ULL ^
	                       (unsigned long long)iy * 0xc2b2ae3d27d4eb4fULL;
	return (size_t)(h >> (64 - LAYOUT_GRID_BITS));
}

/* True when (x, y) is at least `gap` from every placed seed. */
static int layout_free(layout *L, double x, double y, double gap)
{
	long ix = (long)floor(x / L->cell), iy = (long)floor(y / L->cell);
	long r = (long)ceil(gap / L->cell);
	for (long dx = -r; dx <= r; dx++)
		for (long dy = -r; dy <= r; dy++)
			for (int i = L->head[layout_bucket(ix + dx, iy + dy)]; i >= 0;
			     i = L->next[i]) {
				double ex = L->x[i] - x, ey = L->y[i] - y;
				if (ex * ex + ey * ey < gap * gap)
					return 0;
			}
	return 1;
}

static void layout_put(layout *L, size_t u, double x, double y)
{
	size_t b = layout_bucket((long)floor(x / L->cell), (long)floor(y / L->cell));
	L->x[u] = x;
	L->y[u] = y;
	L->placed[u] = 1;
	L->next[u] = L->head[b];
	L->head[b] = (int)u;
}

/* A uniform random point of the district (rejection in the envelope). */
static void layout_random_point(layout *L, double *x, double *y)
{
	for (;;) {
		*x = L->minx + (L->maxx - L->minx) * mkcity_rng_uniform(L->rng);
		*y = L->miny + (L->maxy - L->miny) * mkcity_rng_uniform(L->rng);
		if (layout_contains(L, *x, *y))
			return;
	}
}

/* Place units idx[0..n) on a sunflower spiral around (cx, cy), unit i with
 * spacing sp[i]: each try adds sp² of area to the spiral, so a crowded spot
 * pushes the cluster outwards. After 400 failed tries a unit falls back to
 * random points of the district with a gap that shrinks until one fits. */
static void layout_cluster(layout *L, double cx, double cy, const size_t *idx, const double *sp,
                           size_t n)
{
	double rot = 2.0 * M_PI * mkcity_rng_uniform(L->rng), acc = 0.0;
	long k = 0;
	for (size_t i = 0; i < n; i++) {
		double s = sp[i], x = cx, y = cy;
		int ok = 0;
		for (int tries = 0; tries < 400 && !ok; tries++, k++) {
			double r = sqrt(acc / M_PI), a = rot + (double)k * LAYOUT_GOLDEN;
			acc += s * s;
			x = cx + r * cos(a) + (mkcity_rng_uniform(L->rng) - 0.5) * 0.4 * s;
			y = cy + r * sin(a) + (mkcity_rng_uniform(L->rng) - 0.5) * 0.4 * s;
			ok = layout_contains(L, x, y) && layout_free(L, x, y, LAYOUT_MIN_GAP * s);
		}
		for (double gap = LAYOUT_MIN_GAP * s; !ok; gap *= 0.9)
			for (int tries = 0; tries < 200 && !ok; tries++) {
				layout_random_point(L, &x, &y);
				ok = layout_free(L, x, y, gap > 1.0 ? gap : 1.0);
			}
		layout_put(L, idx[i], x, y);
	}
}

/* Move (x, y) towards (cx, cy) until it lies in the district. */
static void layout_pull_inside(layout *L, double cx, double cy, double *x, double *y)
{
	for (double t = 1.0; t > 0.0; t -= 0.05)
		if (layout_contains(L, cx + t * (*x - cx), cy + t * (*y - cy))) {
			*x = cx + t * (*x - cx);
			*y = cy + t * (*y - cy);
			return;
		}
	*x = cx;
	*y = cy;
}

/* The district core: centre of the maximum inscribed circle. Returns 1 on
 * success, 0 when GEOS fails. */
static int layout_core(layout *L, double *x, double *y)
{
	double w = L->maxx - L->minx, h = L->maxy - L->miny;
	GEOSGeometry *line = GEOSMaximumInscribedCircle_r(L->g, L->poly, (w > h ? w : h) / 2000.0);
	GEOSGeometry *p = line ? GEOSGeomGetStartPoint_r(L->g, line) : NULL;
	int ok = p && GEOSGeomGetX_r(L->g, p, x) == 1 && GEOSGeomGetY_r(L->g, p, y) == 1;
	GEOSGeom_destroy_r(L->g, p);
	GEOSGeom_destroy_r(L->g, line);
	return ok;
}

/* The best of 30 random candidates for a town centre: the one farthest from
 * the urban core (beyond its radius) and from the town centres so far. */
static void layout_town_centre(layout *L, double corex, double corey, double rurban,
                               const double *tx, const double *ty, size_t nt, double *x, double *y)
{
	double best = -INFINITY;
	for (int c = 0; c < 30; c++) {
		double cx, cy;
		layout_random_point(L, &cx, &cy);
		double score = hypot(cx - corex, cy - corey) - rurban;
		for (size_t t = 0; t < nt; t++) {
			double d = hypot(cx - tx[t], cy - ty[t]);
			if (d < score)
				score = d;
		}
		if (score > best) {
			best = score;
			*x = cx;
			*y = cy;
		}
	}
}

/* Number of polygons in g, counting inside nested multipolygons. */
static int layout_count_polygons(GEOSContextHandle_t g, const GEOSGeometry *geom)
{
	int type = GEOSGeomTypeId_r(g, geom), n = 0;
	if (type == GEOS_POLYGON)
		return 1;
	if (type != GEOS_MULTIPOLYGON && type != GEOS_GEOMETRYCOLLECTION)
		return 0;
	for (int i = 0; i < GEOSGetNumGeometries_r(g, geom); i++)
		n += layout_count_polygons(g, GEOSGetGeometryN_r(g, geom, i));
	return n;
}

/* Append clones of the polygons of multipolygon mp to parts; returns how
 * many. */
static int layout_add_parts(GEOSContextHandle_t g, const GEOSGeometry *mp, GEOSGeometry **parts,
                            int room)
{
	int k = 0;
	for (int i = 0; i < GEOSGetNumGeometries_r(g, mp) && k < room; i++)
		parts[k++] = GEOSGeom_clone_r(g, GEOSGetGeometryN_r(g, mp, i));
	return k;
}

/* Keep the polygonal part of g (takes ownership; NULL when none). */
static GEOSGeometry *layout_polygonal(GEOSContextHandle_t g, GEOSGeometry *geom)
{
	if (!geom)
		return NULL;
	if (!GEOSisValid_r(g, geom)) {
		GEOSGeometry *fixed = GEOSMakeValid_r(g, geom);
		GEOSGeom_destroy_r(g, geom);
		if (!fixed)
			return NULL;
		geom = fixed;
	}
	int type = GEOSGeomTypeId_r(g, geom);
	if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON)
		return geom;
	int n = layout_count_polygons(g, geom), k = 0;
	GEOSGeometry **parts = malloc(sizeof *parts * (size_t)(n > 0 ? n : 1));
	for (int i = 0; parts && i < GEOSGetNumGeometries_r(g, geom); i++) {
		const GEOSGeometry *part = GEOSGetGeometryN_r(g, geom, i);
		int pt = GEOSGeomTypeId_r(g, part);
		if (pt == GEOS_POLYGON)
			parts[k++] = GEOSGeom_clone_r(g, part);
		else if (pt == GEOS_MULTIPOLYGON)
			k += layout_add_parts(g, part, parts + k, n - k);
	}
	GEOSGeom_destroy_r(g, geom);
	GEOSGeometry *out =
	    parts && k > 0 ? GEOSGeom_createCollection_r(g, GEOS_MULTIPOLYGON, parts, (unsigned)k)
	                   : NULL;
	free(parts);
	return out;
}

typedef struct layout_hits {
	const int *items[8];
	int n;
} layout_hits;

static void layout_hit(void *item, void *userdata)
{
	layout_hits *h = userdata;
	if (h->n < 8)
		h->items[h->n++] = item;
}

/* Voronoi cells of the seeds, clipped to the district and capped by a disc
 * of L->cap[u] around each seed. Returns 0, or -1 with a message. */
static int layout_cells(layout *L, GEOSGeometry **cells, char *err, size_t errsz)
{
	GEOSContextHandle_t g = L->g;
	GEOSGeometry **pts = malloc(sizeof *pts * L->n);
	int *ids = malloc(sizeof *ids * L->n);
	int rc = -1;
	if (!pts || !ids) {
		snprintf(err, errsz, "out of memory");
		free(pts);
		free(ids);
		return -1;
	}
	for (size_t u = 0; u < L->n; u++)
		pts[u] = GEOSGeom_createPointFromXY_r(g, L->x[u], L->y[u]);
	GEOSGeometry *mp = GEOSGeom_createCollection_r(g, GEOS_MULTIPOINT, pts, (unsigned)L->n);
	GEOSGeometry *vor = mp ? GEOSVoronoiDiagram_r(g, mp, L->poly, 0.0, 0) : NULL;
	int nv = vor ? GEOSGetNumGeometries_r(g, vor) : 0;
	GEOSSTRtree *tree = GEOSSTRtree_create_r(g, 10);
	if (!vor || nv != (int)L->n) {
		snprintf(err, errsz, "voronoi diagram of %zu seeds gave %d cells", L->n, nv);
		goto done;
	}
	for (int i = 0; i < nv; i++) {
		ids[i] = i;
		GEOSSTRtree_insert_r(g, tree, GEOSGetGeometryN_r(g, vor, i), &ids[i]);
	}
	for (size_t u = 0; u < L->n; u++) {
		const GEOSGeometry *pt = GEOSGetGeometryN_r(g, mp, (int)u);
		const GEOSGeometry *cell = NULL;
		layout_hits hits = {{0}, 0};
		GEOSSTRtree_query_r(g, tree, pt, layout_hit, &hits);
		for (int h = 0; h < hits.n && !cell; h++) {
			const GEOSGeometry *c = GEOSGetGeometryN_r(g, vor, *hits.items[h]);
			if (GEOSContains_r(g, c, pt) == 1)
				cell = c;
		}
		if (!cell) {
			snprintf(err, errsz, "no voronoi cell holds seed %zu (%.1f %.1f)", u,
			         L->x[u], L->y[u]);
			goto done;
		}
		GEOSGeometry *disc = GEOSBuffer_r(g, pt, L->cap[u], 8);
		GEOSGeometry *capped = disc ? GEOSIntersection_r(g, cell, disc) : NULL;
		GEOSGeom_destroy_r(g, disc);
		if (capped && GEOSPreparedContains_r(g, L->prep, capped) != 1) {
			GEOSGeometry *clipped = GEOSIntersection_r(g, capped, L->poly);
			GEOSGeom_destroy_r(g, capped);
			capped = clipped;
		}
		cells[u] = layout_polygonal(g, capped);
		if (!cells[u] || GEOSArea_r(g, cells[u], &(double){0}) != 1) {
			snprintf(err, errsz, "empty cell for seed %zu (%.1f %.1f)", u, L->x[u],
			         L->y[u]);
			goto done;
		}
	}
	rc = 0;
done:
	if (rc != 0)
		for (size_t u = 0; u < L->n; u++) {
			GEOSGeom_destroy_r(g, cells[u]);
			cells[u] = NULL;
		}
	GEOSSTRtree_destroy_r(g, tree);
	GEOSGeom_destroy_r(g, vor);
	GEOSGeom_destroy_r(g, mp);
	free(pts);
	free(ids);
	return rc;
}

static void layout_free_state(layout *L)
{
	if (L->prep)
		GEOSPreparedGeom_destroy_r(L->g, L->prep);
	free(L->x);
	free(L->y);
	free(L->cap);
	free(L->placed);
	free(L->next);
	free(L->head);
}

/* Lay out n units in the district `poly` (metric, valid, polygonal). units[i]
 * gives the kind and the street index (0 .. nstreets - 1); street_urban[s] is
 * 1 for an urban street. dense_spacing > 0 is the city-centre density: every
 * street's communities (urban and town) at that spacing, capped by a
 * LAYOUT_DENSE_CAP_M disc; 0 keeps the spacings above (and draws exactly the
 * same random numbers as before the option existed). The random stream `rng`
 * fixes the layout. On success
 * returns 0 and sets cells[i] to a new polygonal geometry the caller destroys
 * with GEOSGeom_destroy_r; on failure returns -1, leaves every cells[i] NULL
 * and writes a message into err. */
static int layout_district(GEOSContextHandle_t g, const GEOSGeometry *poly, mkcity_rng *rng,
                           const layout_unit *units, size_t n, int nstreets,
                           const int *street_urban, double dense_spacing, GEOSGeometry **cells,
                           char *err, size_t errsz)
{
	double comm_cap = dense_spacing > 0 ? LAYOUT_DENSE_CAP_M : LAYOUT_COMMUNITY_CAP_M;
	layout L = {.g = g, .poly = poly, .rng = rng, .n = n, .cell = 250.0};
	size_t *idx = malloc(sizeof *idx * (n + 1));
	double *sp = malloc(sizeof *sp * (n + 1));
	double *tx = malloc(sizeof *tx * ((size_t)nstreets + 1));
	double *ty = malloc(sizeof *ty * ((size_t)nstreets + 1));
	size_t *nc = calloc((size_t)nstreets + 1, sizeof *nc);
	size_t *nvil = calloc((size_t)nstreets + 1, sizeof *nvil);
	double *spacing = malloc(sizeof *spacing * ((size_t)nstreets + 1));
	int rc = -1;
	for (size_t i = 0; i < n; i++)
		cells[i] = NULL;
	L.x = malloc(sizeof *L.x * (n + 1));
	L.y = malloc(sizeof *L.y * (n + 1));
	L.cap = malloc(sizeof *L.cap * (n + 1));
	L.placed = calloc(n + 1, sizeof *L.placed);
	L.next = malloc(sizeof *L.next * (n + 1));
	L.head = malloc(sizeof *L.head * ((size_t)1 << LAYOUT_GRID_BITS));
	L.prep = GEOSPrepare_r(g, poly);
	if (!idx || !sp || !tx || !ty || !nc || !nvil || !spacing || !L.x || !L.y || !L.cap ||
	    !L.placed || !L.next || !L.head || !L.prep) {
		snprintf(err, errsz, "out of memory");
		goto done;
	}
	memset(L.head, 0xff, sizeof *L.head * ((size_t)1 << LAYOUT_GRID_BITS));
	if (GEOSGeom_getXMin_r(g, poly, &L.minx) != 1 ||
	    GEOSGeom_getYMin_r(g, poly, &L.miny) != 1 ||
	    GEOSGeom_getXMax_r(g, poly, &L.maxx) != 1 ||
	    GEOSGeom_getYMax_r(g, poly, &L.maxy) != 1) {
		snprintf(err, errsz, "empty district polygon");
		goto done;
	}
	double corex, corey, area;
	if (!layout_core(&L, &corex, &corey) || GEOSArea_r(g, poly, &area) != 1) {
		snprintf(err, errsz, "no core for the district polygon");
		goto done;
	}
	for (size_t i = 0; i < n; i++)
		(units[i].kind == MKCITY_COMMUNITY ? nc : nvil)[units[i].street]++;

	/* Areas the urban streets and the town communities take up. */
	int nurban = 0, seat = -1;
	for (int s = 0; s < nstreets; s++)
		nurban += street_urban[s] != 0;
	double a_urban = 0.0, a_towns = 0.0;
	size_t nrural = 0;
	for (int s = 0, j = 0; s < nstreets; s++) {
		if (street_urban[s]) {
			spacing[s] = dense_spacing > 0
			                 ? dense_spacing
			                 : LAYOUT_URBAN_SPACING *
			                       (1.0 + LAYOUT_URBAN_RISE *
			                                  (nurban > 1 ? j / (nurban - 1.0) : 0));
			a_urban += spacing[s] * spacing[s] * (nc[s] + 1.96 * nvil[s]);
			j++;
		} else {
			spacing[s] = dense_spacing > 0 ? dense_spacing : LAYOUT_TOWN_SPACING;
			a_towns += spacing[s] * spacing[s] * nc[s];
			nrural += nvil[s];
			if (nurban == 0 && (seat < 0 || nc[s] > nc[seat]))
				seat = s;
		}
	}
	double a_rural = area - a_urban - a_towns;
	if (a_rural < 0.25 * area)
		a_rural = 0.25 * area;
	double sv = nrural > 0 ? sqrt(a_rural / (double)nrural) : 1000.0;
	sv = sv < 600.0 ? 600.0 : sv > 4000.0 ? 4000.0 : sv;

	/* Urban streets: a sunflower of street clusters around the core. */
	double rot = 2.0 * M_PI * mkcity_rng_uniform(rng), acc = 0.0;
	for (int s = 0, j = 0; s < nstreets; s++) {
		if (!street_urban[s])
			continue;
		double a_s = spacing[s] * spacing[s] * (nc[s] + 1.96 * nvil[s]);
		double r = sqrt((acc + a_s / 2.0) / M_PI), a = rot + j * LAYOUT_GOLDEN;
		double cx = corex + r * cos(a), cy = corey + r * sin(a);
		acc += a_s;
		j++;
		layout_pull_inside(&L, corex, corey, &cx, &cy);
		size_t m = 0;
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < n; i++)
				if (units[i].street == s && units[i].kind == pass) {
					idx[m] = i;
					sp[m] = pass == MKCITY_COMMUNITY ? spacing[s]
					                                 : 1.4 * spacing[s];
					L.cap[i] = pass == MKCITY_COMMUNITY
					               ? comm_cap
					               : fmax(LAYOUT_VILLAGE_CAP_M, 1.2 * sp[m]);
					m++;
				}
		layout_cluster(&L, cx, cy, idx, sp, m);
	}

	/* Towns: spread over the rest, communities at the centre. */
	double rurban = sqrt(a_urban / M_PI);
	size_t nt = 0;
	for (int s = 0; s < nstreets; s++) {
		if (street_urban[s])
			continue;
		double cx = corex, cy = corey;
		if (s != seat)
			layout_town_centre(&L, corex, corey, rurban, tx, ty, nt, &cx, &cy);
		tx[nt] = cx;
		ty[nt] = cy;
		nt++;
		size_t m = 0;
		for (int pass = 0; pass < 2; pass++)
			for (size_t i = 0; i < n; i++)
				if (units[i].street == s && units[i].kind == pass) {
					idx[m] = i;
					sp[m] = pass == MKCITY_COMMUNITY ? spacing[s] : sv;
					L.cap[i] = pass == MKCITY_COMMUNITY
					               ? comm_cap
					               : fmax(LAYOUT_VILLAGE_CAP_M, 1.2 * sv);
					m++;
				}
		layout_cluster(&L, cx, cy, idx, sp, m);
	}
	for (size_t i = 0; i < n; i++)
		if (!L.placed[i]) {
			snprintf(err, errsz, "unit %zu has a street index out of range", i);
			goto done;
		}
	rc = layout_cells(&L, cells, err, errsz);
done:
	layout_free_state(&L);
	free(idx);
	free(sp);
	free(tx);
	free(ty);
	free(nc);
	free(nvil);
	free(spacing);
	return rc;
}

#endif
