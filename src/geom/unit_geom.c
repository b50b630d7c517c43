/*
 * unit_geom.c: unit and exclusion polygons as indexed GEOS objects,
 * representative points and the aligned candidate grid, shared by sites.c,
 * demand.c and reach.c.
 *
 * Every function works in the caller's geos_ctx (one per thread) and reports
 * GEOS failures through geos_ctx_fail(). See src/geom/geom_int.h.
 */
#include "geom_int.h"
#include "grow.h"

#include "clock.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *unit_label(const unit *u, char *buf, size_t size)
{
	snprintf(buf, size, "unit '%s' (fid %lld)", u->id ? u->id : "", u->fid);
	return buf;
}

static status_code index_alloc(geom_index *gi, size_t n, status *st)
{
	memset(gi, 0, sizeof(*gi));
	gi->geom = calloc(n ? n : 1, sizeof(*gi->geom));
	gi->prep = calloc(n ? n : 1, sizeof(*gi->prep));
	gi->index = malloc((n ? n : 1) * sizeof(*gi->index));
	if (!gi->geom || !gi->prep || !gi->index)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	gi->n = n;
	return STATUS_OK;
}

/* Parse, check and prepare geometry i; polygons go into the tree. */
static status_code index_put(geos_ctx *g, geom_index *gi, size_t i, const unsigned char *wkb,
                             size_t size, int points_ok, const char *label, status *st)
{
	gi->index[i] = (int)i;
	gi->geom[i] = geos_ctx_read_wkb(g, wkb, size, label, st);
	if (!gi->geom[i])
		return STATUS_INPUT;
	if (GEOSisEmpty_r(geos_ctx_handle(g), gi->geom[i]))
		return status_fail(st, STATUS_INPUT, "%s: empty geometry", label);
	int type = GEOSGeomTypeId_r(geos_ctx_handle(g), gi->geom[i]);
	if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON &&
	    !(points_ok && type == GEOS_POINT)) {
		char *name = GEOSGeomType_r(geos_ctx_handle(g), gi->geom[i]);
		status_fail(st, STATUS_INPUT, "%s: geometry type %s (must be %s)", label,
		            name ? name : "unknown",
		            points_ok ? "Polygon, MultiPolygon or Point"
		                      : "Polygon or MultiPolygon");
		GEOSFree_r(geos_ctx_handle(g), name);
		return STATUS_INPUT;
	}
	geos_ctx_clear(g);
	gi->prep[i] = GEOSPrepare_r(geos_ctx_handle(g), gi->geom[i]);
	if (!gi->prep[i])
		return geos_ctx_fail(g, st, STATUS_INTERNAL, "%s: cannot prepare geometry", label);
	if (type != GEOS_POINT)
		GEOSSTRtree_insert_r(geos_ctx_handle(g), gi->tree, gi->geom[i], &gi->index[i]);
	return STATUS_OK;
}

/* The arrays for n geometries (index_alloc) and the empty STRtree. */
static status_code index_begin(geos_ctx *g, geom_index *gi, size_t n, status *st)
{
	status_code rc = index_alloc(gi, n, st);
	if (rc != STATUS_OK)
		return rc;
	geos_ctx_clear(g);
	gi->tree = GEOSSTRtree_create_r(geos_ctx_handle(g), 10);
	if (!gi->tree)
		return geos_ctx_fail(g, st, STATUS_INTERNAL, "geos: cannot create an STRtree");
	return STATUS_OK;
}

status_code geom_index_units(geos_ctx *g, const inputs *in, geom_index *gi, status *st)
{
	status_code rc = index_begin(g, gi, in->nunits, st);
	char label[256];
	for (size_t i = 0; i < in->nunits && rc == STATUS_OK; i++) {
		const unit *u = &in->units[i];
		rc = index_put(g, gi, i, u->wkb, u->wkb_size, 1,
		               unit_label(u, label, sizeof(label)), st);
	}
	return rc;
}

status_code geom_index_polys(geos_ctx *g, const poly_set *ps, geom_index *gi, status *st)
{
	status_code rc = index_begin(g, gi, ps->n, st);
	char label[64];
	for (size_t i = 0; i < ps->n && rc == STATUS_OK; i++) {
		snprintf(label, sizeof(label), "exclusion %zu", i);
		rc = index_put(g, gi, i, ps->wkb[i], ps->wkb_size[i], 0, label, st);
	}
	return rc;
}

void geom_index_free(geos_ctx *g, geom_index *gi)
{
	for (size_t i = 0; i < gi->n; i++) {
		if (gi->prep[i])
			GEOSPreparedGeom_destroy_r(geos_ctx_handle(g), gi->prep[i]);
		if (gi->geom[i])
			GEOSGeom_destroy_r(geos_ctx_handle(g), gi->geom[i]);
	}
	if (gi->tree)
		GEOSSTRtree_destroy_r(geos_ctx_handle(g), gi->tree);
	free(gi->geom);
	free(gi->prep);
	free(gi->index);
	memset(gi, 0, sizeof(*gi));
}

typedef struct locate_arg {
	geos_ctx *g;
	const geom_index *gi;
	const GEOSGeometry *pt;
	int best;  /* lowest covering unit so far, -1 */
	int error; /* a GEOS predicate raised */
} locate_arg;

static void locate_visit(void *item, void *userdata)
{
	locate_arg *a = userdata;
	int i = *(const int *)item;
	if (a->error || (a->best >= 0 && i >= a->best))
		return;
	char r = GEOSPreparedIntersects_r(geos_ctx_handle(a->g), a->gi->prep[i], a->pt);
	if (r == 2)
		a->error = 1;
	else if (r)
		a->best = i;
}

int geom_index_locate(geos_ctx *g, const geom_index *gi, double x, double y, status *st)
{
	GEOSGeometry *pt = geos_ctx_point(g, x, y, st);
	if (!pt)
		return -2;
	if (gi->n == 0) {
		GEOSGeom_destroy_r(geos_ctx_handle(g), pt);
		return -1;
	}
	locate_arg a = {g, gi, pt, -1, 0};
	geos_ctx_clear(g);
	GEOSSTRtree_query_r(geos_ctx_handle(g), gi->tree, pt, locate_visit, &a);
	GEOSGeom_destroy_r(geos_ctx_handle(g), pt);
	if (a.error) {
		geos_ctx_fail(g, st, STATUS_INTERNAL, "geos: point-in-polygon test at (%.3f %.3f)",
		              x, y);
		return -2;
	}
	return a.best;
}

status_code geom_representative(geos_ctx *g, const GEOSGeometry *geom, const char *what, double *x,
                                double *y, status *st)
{
	geos_ctx_clear(g);
	GEOSGeometry *p = GEOSPointOnSurface_r(geos_ctx_handle(g), geom);
	if (!p)
		return geos_ctx_fail(g, st, STATUS_INTERNAL, "%s: no representative point", what);
	int ok = !GEOSisEmpty_r(geos_ctx_handle(g), p) &&
	         GEOSGeomGetX_r(geos_ctx_handle(g), p, x) &&
	         GEOSGeomGetY_r(geos_ctx_handle(g), p, y);
	GEOSGeom_destroy_r(geos_ctx_handle(g), p);
	if (!ok)
		return geos_ctx_fail(g, st, STATUS_INTERNAL, "%s: no representative point", what);
	return STATUS_OK;
}

static status_code push_xy(double **xy, size_t *n, size_t *cap, double x, double y, status *st)
{
	if (grow_reserve(xy, cap, *n + 1, 2 * sizeof(**xy)) != 0)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	(*xy)[2 * *n] = x;
	(*xy)[2 * *n + 1] = y;
	(*n)++;
	return STATUS_OK;
}

status_code grid_span(geos_ctx *g, const GEOSGeometry *geom, double spacing, int cells,
                      const char *key, const char *what, grid_range *r, status *st)
{
	double xmin, ymin, xmax, ymax;
	geos_ctx_clear(g);
	if (!GEOSGeom_getExtent_r(geos_ctx_handle(g), geom, &xmin, &ymin, &xmax, &ymax))
		return geos_ctx_fail(g, st, STATUS_INTERNAL, "%s: no extent", what);
	r->i0 = cells ? floor(xmin / spacing) : ceil(xmin / spacing);
	r->j0 = cells ? floor(ymin / spacing) : ceil(ymin / spacing);
	r->i1 = floor(xmax / spacing);
	r->j1 = floor(ymax / spacing);
	if (r->i1 < r->i0 || r->j1 < r->j0)
		return STATUS_OK;
	double count = (r->i1 - r->i0 + 1) * (r->j1 - r->j0 + 1);
	if (count > SITES_GRID_MAX_POINTS)
		return status_fail(
		    st, STATUS_INPUT, "rules: %s = %g is too fine for %s: %.3g %s (at most %.0f)",
		    key, spacing, what, count, cells ? "cells to cut" : "grid points to test",
		    SITES_GRID_MAX_POINTS);
	return STATUS_OK;
}

status_code grid_points(geos_ctx *g, const GEOSGeometry *geom, const GEOSPreparedGeometry *prep,
                        double spacing, const char *key, const char *what, double **xy, size_t *n,
                        size_t *cap, status *st)
{
	grid_range r;
	status_code rc = grid_span(g, geom, spacing, 0, key, what, &r, st);
	if (rc != STATUS_OK)
		return rc;
	for (double j = r.j0; j <= r.j1; j++) {
		for (double i = r.i0; i <= r.i1; i++) {
			double x = i * spacing, y = j * spacing;
			GEOSGeometry *pt = geos_ctx_point(g, x, y, st);
			if (!pt)
				return STATUS_INTERNAL;
			char in = GEOSPreparedIntersects_r(geos_ctx_handle(g), prep, pt);
			GEOSGeom_destroy_r(geos_ctx_handle(g), pt);
			if (in == 2)
				return geos_ctx_fail(g, st, STATUS_INTERNAL,
				                     "%s: point-in-polygon test at (%.3f %.3f)",
				                     what, x, y);
			if (in && push_xy(xy, n, cap, x, y, st) != STATUS_OK)
				return STATUS_INTERNAL;
		}
	}
	return STATUS_OK;
}

status_code unit_geom_prepare(const inputs *in, const scenario *sc, unit_geom **out, status *st)
{
	*out = NULL;
	unit_geom *ug = calloc(1, sizeof(*ug));
	if (!ug)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	status_code rc;
	if (!(ug->g = geos_ctx_new(st))) {
		free(ug);
		return STATUS_INTERNAL;
	}
	if ((rc = geom_index_units(ug->g, in, &ug->units, st)) != STATUS_OK ||
	    (rc = demand_build(ug->g, in, &ug->units, sc, &ug->d, st)) != STATUS_OK) {
		unit_geom_free(ug);
		return rc;
	}
	assert(ug->units.n == in->nunits && ug->d.nunits == in->nunits);
	*out = ug;
	return STATUS_OK;
}

void unit_geom_free(unit_geom *ug)
{
	if (!ug)
		return;
	demand_free(&ug->d);
	if (ug->g)
		geom_index_free(ug->g, &ug->units);
	geos_ctx_free(ug->g);
	free(ug);
}

void unit_geom_set_deadline(unit_geom *ug, double deadline_s)
{
	ug->deadline = deadline_s;
}

status_code geom_deadline_check(const unit_geom *ug, const char *stage, size_t done, size_t total,
                                const scenario *sc, status *st)
{
	if (!(ug->deadline > 0) || clock_now_s() <= ug->deadline)
		return STATUS_OK;
	return status_fail(st, STATUS_INPUT,
	                   "%s: solver.time_limit_s = %g s reached after %zu of %zu units: the "
	                   "work grows with the candidate grid (rules.candidate_spacing_m = %g) "
	                   "and the walking radius (rules.walk_distance_m = %g); raise the "
	                   "spacing or the time limit",
	                   stage, sc->time_limit_s, done, total, sc->candidate_spacing_m,
	                   sc->walk_distance_m);
}
