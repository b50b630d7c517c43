/*
 * read_keep.c: input.keep, the `stations` layer of a previous plan as the
 * planner edited it in QGIS (see README, "Editing a plan and running
 * again").
 *
 * Every point still in the layer is a kept station at its (possibly moved)
 * position, with its `locked` field (1: it may not be dropped; absent or 0:
 * it may). Rows of kind `existing` are skipped: existing stations come from
 * input.existing, every run. When the file is a whole plan, the stations
 * that were deleted are found in its `links` layer: a link whose station_id
 * is no longer in `stations` ends where that station was, so the new run
 * does not propose a station there again unless it is needed (src/geom/
 * sites.c decides, and says so).
 */
#include "io_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int long_cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

static int ps_grow(point_set *ps, size_t cap)
{
	ps->x = malloc(cap * sizeof(double));
	ps->y = malloc(cap * sizeof(double));
	ps->id = calloc(cap, sizeof(char *));
	ps->fid = malloc(cap * sizeof(long long));
	return ps->x && ps->y && ps->id && ps->fid ? 0 : -1;
}

static void ps_add(point_set *ps, double x, double y, long id, long long fid)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%ld", id);
	ps->x[ps->n] = x, ps->y[ps->n] = y, ps->fid[ps->n] = fid;
	ps->id[ps->n++] = strdup(buf);
}

/* A link without geometry: the station stood at its unit's demand point,
 * the unit's point on surface (as sites.c places it). Returns 0, or -1
 * when the plan has no such assignment. */
static int unit_point(GDALDatasetH ds, long station, double *x, double *y)
{
	OGRLayerH a = GDALDatasetGetLayerByName(ds, "assignments");
	char filter[64];
	int rc = -1;
	if (!a)
		return -1;
	snprintf(filter, sizeof(filter), "station_id = %ld", station);
	if (OGR_L_SetAttributeFilter(a, filter) != OGRERR_NONE)
		return -1;
	OGR_L_ResetReading(a);
	OGRFeatureH f = OGR_L_GetNextFeature(a);
	OGRGeometryH g = f ? OGR_F_GetGeometryRef(f) : NULL;
	OGRGeometryH p = g ? OGR_G_PointOnSurface(g) : NULL;
	if (p && !OGR_G_IsEmpty(p)) {
		*x = OGR_G_GetX(p, 0);
		*y = OGR_G_GetY(p, 0);
		rc = 0;
	}
	if (p)
		OGR_G_DestroyGeometry(p);
	if (f)
		OGR_F_Destroy(f);
	OGR_L_SetAttributeFilter(a, NULL);
	return rc;
}

/* The deleted stations: end points of links to a station id not in `ids`
 * (sorted, n), one per station. */
static void read_deleted(GDALDatasetH ds, OGRCoordinateTransformationH ct, const long *ids,
                         size_t n, const char *path, inputs *in, status *st)
{
	OGRLayerH l = GDALDatasetGetLayerByName(ds, "links");
	int is = l ? OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(l), "station_id") : -1;
	if (is < 0)
		return;
	GIntBig count = OGR_L_GetFeatureCount(l, TRUE);
	point_set *del = &in->keep_deleted;
	del->source = strdup(path);
	del->layer = strdup("links");
	if (ps_grow(del, count > 0 ? (size_t)count : 1)) {
		status_fail(st, STATUS_INTERNAL, "out of memory");
		return;
	}
	long *seen = malloc((count > 0 ? (size_t)count : 1) * sizeof(long));
	size_t nseen = 0;
	OGR_L_ResetReading(l);
	for (OGRFeatureH f; seen && (f = OGR_L_GetNextFeature(l)); OGR_F_Destroy(f)) {
		long id = (long)OGR_F_GetFieldAsInteger64(f, is);
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		if (bsearch(&id, ids, n, sizeof(long), long_cmp))
			continue;
		int dup = 0;
		for (size_t k = 0; k < nseen && !dup; k++)
			dup = seen[k] == id;
		if (dup || del->n >= (size_t)count)
			continue;
		double x, y;
		if (g && OGR_G_GetPointCount(g) >= 2) {
			x = OGR_G_GetX(g, OGR_G_GetPointCount(g) - 1);
			y = OGR_G_GetY(g, OGR_G_GetPointCount(g) - 1);
		} else if (unit_point(ds, id, &x, &y)) {
			continue;
		}
		if (ct && !OCTTransform(ct, 1, &x, &y, NULL))
			continue;
		seen[nseen++] = id;
		ps_add(del, x, y, id, (long long)OGR_F_GetFID(f));
	}
	free(seen);
}

void read_keep(const scenario *sc, OGRSpatialReferenceH work, inputs *in, status *st)
{
	GDALDatasetH ds;
	OGRLayerH lyr;
	OGRCoordinateTransformationH ct;
	char label[1024];
	point_set *ps = &in->keep;
	ps->source = strdup(sc->keep);
	ps->layer = strdup(sc->keep_layer);
	if (read_points_open("input.keep", sc->keep, sc->keep_layer, sc, work, &ds, &lyr, label,
	                     sizeof(label), &ct, st))
		return;
	OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
	int iid = OGR_FD_GetFieldIndex(defn, "station_id");
	int ikind = OGR_FD_GetFieldIndex(defn, "kind");
	int ilock = OGR_FD_GetFieldIndex(defn, "locked");
	GIntBig count = OGR_L_GetFeatureCount(lyr, TRUE);
	size_t cap = count > 0 ? (size_t)count : 1, nexisting = 0, nids = 0;
	long *ids = malloc(cap * sizeof(long));
	in->keep_locked = calloc(cap, 1);
	if (!ids || !in->keep_locked || ps_grow(ps, cap)) {
		free(ids);
		status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	OGR_L_ResetReading(lyr);
	for (OGRFeatureH f; (f = OGR_L_GetNextFeature(lyr)); OGR_F_Destroy(f)) {
		long long fid = (long long)OGR_F_GetFID(f);
		long id = iid >= 0 && OGR_F_IsFieldSetAndNotNull(f, iid)
		              ? (long)OGR_F_GetFieldAsInteger64(f, iid)
		              : (long)fid;
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		if (nids < cap)
			ids[nids++] = id; /* still in the plan: not deleted */
		if (ikind >= 0 && !strcmp(OGR_F_GetFieldAsString(f, ikind), "existing")) {
			nexisting++;
			continue;
		}
		if (!g || OGR_G_IsEmpty(g) || wkbFlatten(OGR_G_GetGeometryType(g)) != wkbPoint) {
			status_problem_add(st, SEV_ERROR, "geometry",
			                   "%s fid %lld: %s, expected a point", label, fid,
			                   !g ? "no geometry" : "not a point");
			continue;
		}
		int locked = ilock >= 0 ? OGR_F_GetFieldAsInteger(f, ilock) : 0;
		if (locked != 0 && locked != 1) {
			status_problem_add(st, SEV_ERROR, "value",
			                   "%s fid %lld: locked = %d (must be 0 or 1)", label, fid,
			                   locked);
			continue;
		}
		double x = OGR_G_GetX(g, 0), y = OGR_G_GetY(g, 0);
		if (ct && !OCTTransform(ct, 1, &x, &y, NULL)) {
			status_problem_add(st, SEV_ERROR, "geometry",
			                   "%s fid %lld: cannot be transformed to the working CRS",
			                   label, fid);
			continue;
		}
		if (ps->n >= cap)
			continue;
		in->keep_locked[ps->n] = (unsigned char)locked;
		ps_add(ps, x, y, id, fid);
	}
	if (nexisting)
		status_problem_add(st, SEV_INFO, "keep",
		                   "%s: %zu stations of kind existing skipped (they come from "
		                   "input.existing)",
		                   label, nexisting);
	qsort(ids, nids, sizeof(long), long_cmp);
	read_deleted(ds, ct, ids, nids, sc->keep, in, st);
	free(ids);
out:
	if (ct)
		OCTDestroyCoordinateTransformation(ct);
	GDALClose(ds);
}
