/*
 * read_points.c: the optional layers around the units: existing stations
 * and user candidate sites (points), and exclusion zones (polygons, grown by
 * input.exclude_buffer_m), all brought into the working CRS.
 *
 * Any OGR source, the first layer unless one is named. Points keep an id:
 * the id field of the units if the layer has it, else a field "id", else
 * the feature id as text.
 */
#include "io_int.h"
#include "grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Open `path`, give back the layer, its "path:layer" label and the
 * transformation to `work` (NULL when none is needed). -1 on failure.
 * Also used by read_keep.c. */
int read_points_open(const char *key, const char *path, const char *layer, const scenario *sc,
                     OGRSpatialReferenceH work, GDALDatasetH *ds, OGRLayerH *lyr, char *label,
                     size_t labelsize, OGRCoordinateTransformationH *ct, status *st)
{
	int fail = 0;
	*ct = NULL;
	if (read_source_open(key, path, layer, "", ds, lyr, st) != 0)
		return -1;
	snprintf(label, labelsize, "%s:%s", path, OGR_L_GetName(*lyr));
	OGRSpatialReferenceH src = read_crs_source(*lyr, label, sc->assume_crs, st);
	if (src && work)
		*ct = read_crs_transform(src, work, label, &fail, st);
	if (src)
		OSRDestroySpatialReference(src);
	if (!src || fail || !work) {
		read_source_close(*ds, *lyr);
		return -1;
	}
	return 0;
}

void read_points(const char *role, const char *path, const char *layer, const scenario *sc,
                 OGRSpatialReferenceH work, point_set *ps, status *st)
{
	GDALDatasetH ds;
	OGRLayerH lyr;
	OGRCoordinateTransformationH ct;
	char label[1024], key[64];
	snprintf(key, sizeof(key), "input.%s", role);
	free(ps->source), free(ps->layer);
	ps->source = strdup(path);
	ps->layer = strdup(layer);
	if (read_points_open(key, path, layer, sc, work, &ds, &lyr, label, sizeof(label), &ct, st))
		return;
	int idf = read_source_field(lyr, sc->id_field);
	if (idf < 0)
		idf = read_source_field(lyr, "id");
	GIntBig count = OGR_L_GetFeatureCount(lyr, TRUE);
	size_t cap = count > 0 ? (size_t)count : 16;
	ps->x = malloc(cap * sizeof(double));
	ps->y = malloc(cap * sizeof(double));
	ps->id = calloc(cap, sizeof(char *));
	ps->fid = malloc(cap * sizeof(long long));
	OGRFeatureH feat;
	OGR_L_ResetReading(lyr);
	while (ps->x && ps->y && ps->id && ps->fid && (feat = OGR_L_GetNextFeature(lyr))) {
		long long fid = (long long)OGR_F_GetFID(feat);
		OGRGeometryH g = OGR_F_GetGeometryRef(feat);
		OGRwkbGeometryType t = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbNone;
		if (t == wkbMultiPoint && OGR_G_GetGeometryCount(g) == 1)
			g = OGR_G_GetGeometryRef(g, 0), t = wkbPoint;
		double x = 0, y = 0;
		if (!g || OGR_G_IsEmpty(g) || t != wkbPoint) {
			status_problem_add(st, SEV_ERROR, "geometry",
			                   "%s fid %lld: %s, expected a point", label, fid,
			                   !g                 ? "no geometry"
			                   : OGR_G_IsEmpty(g) ? "empty geometry"
			                                      : OGRGeometryTypeToName(t));
		} else {
			char why[160];
			x = OGR_G_GetX(g, 0), y = OGR_G_GetY(g, 0);
			if (read_coord_absurd(x, y, why, sizeof(why)))
				status_problem_add(st, SEV_ERROR, "geometry", "%s fid %lld: %s",
				                   label, fid, why);
			else if (ct && !OCTTransform(ct, 1, &x, &y, NULL))
				status_problem_add(
				    st, SEV_ERROR, "geometry",
				    "%s fid %lld: cannot be transformed to the working CRS", label,
				    fid);
			else if (ps->n < cap) {
				char buf[32];
				snprintf(buf, sizeof(buf), "%lld", fid);
				const char *id = idf >= 0 && OGR_F_IsFieldSetAndNotNull(feat, idf)
				                     ? OGR_F_GetFieldAsString(feat, idf)
				                     : buf;
				ps->x[ps->n] = x, ps->y[ps->n] = y, ps->fid[ps->n] = fid;
				ps->id[ps->n++] = strdup(id);
			}
		}
		OGR_F_Destroy(feat);
	}
	if (ct)
		OCTDestroyCoordinateTransformation(ct);
	read_source_close(ds, lyr);
}

/* Append one polygonal geometry's WKB to ps. */
static void poly_add(poly_set *ps, OGRGeometryH g)
{
	if (grow_to(&ps->wkb, ps->n + 1, sizeof(*ps->wkb)) == 0 &&
	    grow_to(&ps->wkb_size, ps->n + 1, sizeof(*ps->wkb_size)) == 0 &&
	    (ps->wkb[ps->n] = read_geometry_wkb(g, &ps->wkb_size[ps->n])))
		ps->n++;
}

static void exclude_one(const char *path, const scenario *sc, OGRSpatialReferenceH work,
                        poly_set *ps, status *st)
{
	GDALDatasetH ds;
	OGRLayerH lyr;
	OGRCoordinateTransformationH ct;
	char label[1024], why[160];
	if (read_points_open("input.exclude", path, "", sc, work, &ds, &lyr, label, sizeof(label),
	                     &ct, st))
		return;
	OGRFeatureH feat;
	OGR_L_ResetReading(lyr);
	while ((feat = OGR_L_GetNextFeature(lyr))) {
		long long fid = (long long)OGR_F_GetFID(feat);
		OGRGeometryH src = OGR_F_GetGeometryRef(feat), g = NULL;
		OGRwkbGeometryType t = src ? wkbFlatten(OGR_G_GetGeometryType(src)) : wkbNone;
		int repaired;
		double area;
		if (read_geometry_absurd(src, why, sizeof(why))) {
			status_problem_add(st, SEV_ERROR, "geometry", "%s fid %lld: %s", label, fid,
			                   why);
		} else if (sc->exclude_buffer_m <= 0 &&
		           (t == wkbPoint || t == wkbMultiPoint || t == wkbLineString ||
		            t == wkbMultiLineString)) {
			status_problem_add(st, SEV_ERROR, "geometry",
			                   "%s fid %lld: a %s excludes nothing without "
			                   "input.exclude_buffer_m > 0",
			                   label, fid, OGRGeometryTypeToName(t));
		} else if (t == wkbPoint || t == wkbLineString || t == wkbMultiLineString ||
		           t == wkbMultiPoint) {
			OGRGeometryH c = OGR_G_Clone(src);
			if (ct)
				OGR_G_Transform(c, ct);
			g = OGR_G_Buffer(c, sc->exclude_buffer_m, 8);
			OGR_G_DestroyGeometry(c);
		} else if ((g = read_geometry_prepare(src, ct, &repaired, &area, why,
		                                      sizeof(why)))) {
			if (sc->exclude_buffer_m > 0) {
				OGRGeometryH b = OGR_G_Buffer(g, sc->exclude_buffer_m, 8);
				OGR_G_DestroyGeometry(g);
				g = b;
			}
		} else {
			status_problem_add(st, SEV_ERROR, "geometry", "%s fid %lld: %s", label, fid,
			                   why);
		}
		if (g) {
			poly_add(ps, g);
			OGR_G_DestroyGeometry(g);
		}
		OGR_F_Destroy(feat);
	}
	if (ct)
		OCTDestroyCoordinateTransformation(ct);
	read_source_close(ds, lyr);
}

void read_exclude(const scenario *sc, OGRSpatialReferenceH work, poly_set *ps, status *st)
{
	for (const char *s = sc->exclude; *s;) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char *path = strndup(s, n);
		if (path && *path)
			exclude_one(path, sc, work, ps, st);
		free(path);
		s = e ? e + 1 : s + n;
	}
}
