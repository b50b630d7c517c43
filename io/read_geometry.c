/*
 * read_geometry.c: one feature's geometry, made fit for the pipeline.
 *
 * The pipeline wants every unit as a valid Polygon, MultiPolygon or Point in
 * the working CRS, as ISO WKB. Here curves are linearised, Z/M dropped,
 * single-point multipoints unwrapped, the geometry transformed, invalid
 * polygons repaired with MakeValid (GEOS, through GDAL) keeping only their
 * polygonal parts, and the area measured. What cannot be made fit is refused
 * with a short reason the caller prefixes with the feature's name.
 */
#include "io_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* The polygonal parts of g (any type) as a Polygon or MultiPolygon; NULL
 * when there are none. g is not consumed. */
static OGRGeometryH polygonal_parts(OGRGeometryH g)
{
	OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
	if (t == wkbPolygon || t == wkbMultiPolygon)
		return OGR_G_Clone(g);
	OGRGeometryH mp = OGR_G_CreateGeometry(wkbMultiPolygon);
	for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
		OGRGeometryH part = OGR_G_GetGeometryRef(g, i);
		OGRwkbGeometryType pt = wkbFlatten(OGR_G_GetGeometryType(part));
		if (pt == wkbPolygon) {
			OGR_G_AddGeometry(mp, part);
		} else if (pt == wkbMultiPolygon || pt == wkbGeometryCollection) {
			OGRGeometryH sub = polygonal_parts(part);
			if (!sub)
				continue;
			if (wkbFlatten(OGR_G_GetGeometryType(sub)) == wkbPolygon)
				OGR_G_AddGeometry(mp, sub);
			else
				for (int j = 0; j < OGR_G_GetGeometryCount(sub); j++)
					OGR_G_AddGeometry(mp, OGR_G_GetGeometryRef(sub, j));
			OGR_G_DestroyGeometry(sub);
		}
	}
	if (OGR_G_GetGeometryCount(mp) == 0) {
		OGR_G_DestroyGeometry(mp);
		return NULL;
	}
	if (OGR_G_GetGeometryCount(mp) == 1) {
		OGRGeometryH p = OGR_G_Clone(OGR_G_GetGeometryRef(mp, 0));
		OGR_G_DestroyGeometry(mp);
		return p;
	}
	return mp;
}

/* Replace *g by its MakeValid repair, keeping the polygonal parts, when it
 * is invalid. Returns 1 when repaired, 0 when already valid, -1 (and *g
 * destroyed and NULL) when no polygonal part is left. */
static int repair_polygonal(OGRGeometryH *g)
{
	if (OGR_G_IsValid(*g))
		return 0;
	OGRGeometryH v = OGR_G_MakeValid(*g);
	OGRGeometryH p = v ? polygonal_parts(v) : NULL;
	if (v)
		OGR_G_DestroyGeometry(v);
	OGR_G_DestroyGeometry(*g);
	*g = p;
	return p ? 1 : -1;
}

int read_coord_absurd(double x, double y, char *why, size_t whysize)
{
	const double lim = READ_COORD_LIMIT;
	if (isfinite(x) && isfinite(y) && fabs(x) <= lim && fabs(y) <= lim)
		return 0;
	int bad_x = !isfinite(x) || fabs(x) > lim;
	snprintf(why, whysize, "coordinate %s = %g is out of range (no CRS reaches beyond %g)",
	         bad_x ? "x" : "y", bad_x ? x : y, lim);
	return 1;
}

int read_geometry_absurd(OGRGeometryH g, char *why, size_t whysize)
{
	OGREnvelope env;
	if (!g || OGR_G_IsEmpty(g))
		return 0;
	OGR_G_GetEnvelope(g, &env);
	return read_coord_absurd(env.MinX, env.MinY, why, whysize) ||
	       read_coord_absurd(env.MaxX, env.MaxY, why, whysize);
}

OGRGeometryH read_geometry_prepare(OGRGeometryH g, OGRCoordinateTransformationH ct, int *repaired,
                                   double *area, char *why, size_t whysize)
{
	*repaired = 0;
	*area = 0;
	if (!g) {
		snprintf(why, whysize, "no geometry");
		return NULL;
	}
	if (OGR_G_IsEmpty(g)) {
		snprintf(why, whysize, "empty geometry");
		return NULL;
	}
	/* before GEOS and PROJ: a transformation of 1e60 may never return */
	if (read_geometry_absurd(g, why, whysize))
		return NULL;
	OGRGeometryH c =
	    OGR_G_HasCurveGeometry(g, TRUE) ? OGR_G_GetLinearGeometry(g, 0, NULL) : OGR_G_Clone(g);
	if (!c) {
		snprintf(why, whysize, "geometry cannot be copied (out of memory)");
		return NULL;
	}
	OGR_G_FlattenTo2D(c);
	OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(c));
	if (t == wkbMultiPoint && OGR_G_GetGeometryCount(c) == 1) {
		OGRGeometryH p = OGR_G_Clone(OGR_G_GetGeometryRef(c, 0));
		OGR_G_DestroyGeometry(c);
		c = p;
		t = wkbPoint;
	}
	if (t != wkbPoint && t != wkbPolygon && t != wkbMultiPolygon) {
		snprintf(why, whysize, "geometry is a %s, expected a polygon or a point",
		         OGRGeometryTypeToName(t));
		OGR_G_DestroyGeometry(c);
		return NULL;
	}
	if (t != wkbPoint) {
		/* repair and measure in the source CRS, where a degenerate ring is
		 * exactly flat; reprojection would turn it into a sliver */
		int r = repair_polygonal(&c);
		*repaired = r == 1;
		OGREnvelope env;
		if (r < 0) {
			snprintf(why, whysize, "polygon has zero area");
			return NULL;
		}
		OGR_G_GetEnvelope(c, &env);
		double box = (env.MaxX - env.MinX) * (env.MaxY - env.MinY);
		if (!(OGR_G_Area(c) > 1e-9 * box)) {
			snprintf(why, whysize, "polygon has zero area");
			OGR_G_DestroyGeometry(c);
			return NULL;
		}
	}
	if (ct && OGR_G_Transform(c, ct) != OGRERR_NONE) {
		snprintf(why, whysize, "cannot be transformed to the working CRS");
		OGR_G_DestroyGeometry(c);
		return NULL;
	}
	if (t == wkbPoint)
		return c;
	/* rarely, the transformation breaks validity */
	if (repair_polygonal(&c) < 0) {
		snprintf(why, whysize, "polygon has zero area");
		return NULL;
	}
	*area = OGR_G_Area(c);
	return c;
}

unsigned char *read_geometry_wkb(OGRGeometryH g, size_t *size)
{
	*size = (size_t)OGR_G_WkbSize(g);
	unsigned char *buf = malloc(*size ? *size : 1);
	if (buf && OGR_G_ExportToIsoWkb(g, wkbNDR, buf) != OGRERR_NONE) {
		free(buf);
		buf = NULL;
	}
	return buf;
}
