/*
 * geom_int.h: internal to src/geom/ (sites.c, reach.c, demand.c,
 * unit_geom.c) and its unit tests: unit geometries as GEOS
 * objects, aligned-grid enumeration and demand locations.
 */
#ifndef STATIONPLAN_SITES_INT_H
#define STATIONPLAN_SITES_INT_H

#include <stddef.h>

#include "geos_ctx.h"
#include "unit_geom.h"
#include "inputs.h"
#include "scenario.h"
#include "status.h"

/* Refuse to enumerate more grid points than this for one polygon: a spacing
 * that fine is a mistake in the scenario, not a plan. */
#define SITES_GRID_MAX_POINTS 4000000.0

/* Polygons parsed from WKB, with prepared versions for fast point-in-polygon
 * tests and an STRtree over their envelopes (points are kept but never
 * contain anything). Used for the units and for the exclusion polygons. */
typedef struct geom_index {
	size_t n;
	GEOSGeometry **geom;
	const GEOSPreparedGeometry **prep;
	GEOSSTRtree *tree; /* items: pointers into `index` */
	int *index;        /* index[i] == i */
} geom_index;

/* Parse and prepare every unit geometry. Fails with STATUS_INPUT naming the
 * unit ("unit '12' (fid 4): invalid WKB: ...", "...: empty geometry") or
 * STATUS_INTERNAL. Caller frees with geom_index_free() (also on failure). */
status_code geom_index_units(geos_ctx *g, const inputs *in, geom_index *gi, status *st);

/* The same for the exclusion polygons ("exclusion 3: invalid WKB: ..."). */
status_code geom_index_polys(geos_ctx *g, const poly_set *ps, geom_index *gi, status *st);

void geom_index_free(geos_ctx *g, geom_index *gi);

/* Lowest index of a polygon covering (x, y) (boundary included), -1 if none.
 * Returns -2 with `st` set on a GEOS error. */
int geom_index_locate(geos_ctx *g, const geom_index *gi, double x, double y, status *st);

/* Representative point of a geometry: GEOS PointOnSurface, always inside a
 * polygon (even a U-shaped one), the point itself for a point. */
status_code geom_representative(geos_ctx *g, const GEOSGeometry *geom, const char *what, double *x,
                                double *y, status *st);

/* The aligned grid of `spacing` (points i * spacing, j * spacing, and the
 * cells between them) over the envelope of `geom`: with cells = 0 the
 * indices of the grid points inside the envelope, with cells = 1 those of
 * the cells meeting it (cell (i, j) spans [i, i+1) x [j, j+1) spacings).
 * Empty when i1 < i0 or j1 < j0. More than SITES_GRID_MAX_POINTS is a
 * STATUS_INPUT naming `key` and `what`. Both the candidate grid and the
 * demand samples walk it, so they share one alignment. */
typedef struct grid_range {
	double i0, i1, j0, j1;
} grid_range;
status_code grid_span(geos_ctx *g, const GEOSGeometry *geom, double spacing, int cells,
                      const char *key, const char *what, grid_range *r, status *st);

/* Aligned grid: the points (i * spacing, j * spacing) of the envelope of
 * `geom` that `prep` covers (boundary included), row by row (y, then x).
 * Independent of anything but the coordinates, so it is deterministic and
 * neighbours share grid points. Appends to *xy (2 doubles per point, grown
 * with realloc, *n points, *cap capacity in points). `key` names the
 * scenario key for the too-fine error. */
status_code grid_points(geos_ctx *g, const GEOSGeometry *geom, const GEOSPreparedGeometry *prep,
                        double spacing, const char *key, const char *what, double **xy, size_t *n,
                        size_t *cap, status *st);

/* Demand locations of every unit: the representative point, and the
 * household-weighted samples that distances are averaged over (one sample of
 * weight 1 at the representative point unless demand_points = samples and
 * the polygon is larger than one sample cell). */
typedef struct demand {
	size_t nunits, nsamples;
	double *rx, *ry;      /* nunits: representative points */
	double *cx, *cy;      /* nunits: weighted centroid of the samples */
	size_t *start;        /* nunits + 1: samples of unit i are [start[i], start[i+1]) */
	double *sx, *sy, *sw; /* nsamples: positions and weights (sum 1 per unit) */
} demand;

status_code demand_build(geos_ctx *g, const inputs *in, const geom_index *ug, const scenario *sc,
                         demand *d, status *st);
void demand_free(demand *d);

/* Household-weighted mean distance from unit u's samples to (x, y). */
double demand_distance(const demand *d, size_t u, double x, double y);

/* "unit '<id>' (fid <fid>)" for messages, into buf. */
const char *unit_label(const unit *u, char *buf, size_t size);

/* The prepared unit geometry (include/unit_geom.h): one GEOS context, the
 * unit polygons parsed, prepared and indexed once, and their demand
 * locations (representative points and samples), shared by every stage. */
struct unit_geom {
	geos_ctx *g;
	geom_index units;
	demand d;
	double deadline; /* clock_now_s() seconds the geometry stages must end by, 0: none */
};

/* STATUS_INPUT with "<stage>: time_limit_s reached after <done> of <total>
 * units ..." when ug's deadline has passed, STATUS_OK otherwise. The stages
 * call it once per unit, so they overrun by at most one unit's work. */
status_code geom_deadline_check(const unit_geom *ug, const char *stage, size_t done, size_t total,
                                const scenario *sc, status *st);

/* shard.c: the 0-based shard of every node (units 0..nunits-1, then the
 * sites) under `spec` (its n and by); returns the number of groups, or
 * (size_t)-1 out of memory. Used by shard_restrict() and shard_cut_make(). */
struct shard_spec;
struct site_table;
struct reach;
size_t shard_assign(const inputs *in, const struct site_table *sites, const struct reach *r,
                    const scenario *sc, const struct shard_spec *spec, int *node_shard);

#endif
