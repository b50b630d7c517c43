/*
 * read_crs.c: which CRS the data is in and which metric CRS to work in.
 *
 * The source CRS comes from the layer, or from input.assume_crs when the
 * source has none (a shapefile without .prj); having neither is an error.
 * The working CRS is input.crs: an explicit "EPSG:xxxx" (which must be
 * projected, in metres) or "auto", chosen from the centre of the units'
 * extent: in China the CGCS2000 3-degree Gauss-Kruger zone (EPSG:4534 for
 * the central meridian 75E ... EPSG:4554 for 135E), elsewhere the UTM zone.
 * Every CRS here uses x = easting/longitude (OAMS_TRADITIONAL_GIS_ORDER),
 * whatever the authority's axis order.
 */
#include "io_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>

OGRSpatialReferenceH read_crs_parse(const char *text)
{
	OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
	if (!s)
		return NULL;
	if (OSRSetFromUserInput(s, text) != OGRERR_NONE) {
		OSRDestroySpatialReference(s);
		return NULL;
	}
	OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
	return s;
}

int read_crs_auto_epsg(double lon, double lat)
{
	/* validated before any float-to-int conversion (issue 14 row 8) */
	if (!isfinite(lon) || !isfinite(lat) || fabs(lon) > 360 || fabs(lat) > 90)
		return 0;
	if (lon >= 180)
		lon -= 360;
	if (lon < -180)
		lon += 360;
	if (lon >= 73 && lon <= 135 && lat >= 18 && lat <= 54) {
		int zone = (int)lround((lon - 75.0) / 3.0);
		if (zone < 0)
			zone = 0;
		if (zone > 20)
			zone = 20;
		return 4534 + zone;
	}
	int utm = (int)floor((lon + 180.0) / 6.0) + 1;
	if (utm < 1)
		utm = 1;
	if (utm > 60)
		utm = 60;
	return (lat >= 0 ? 32600 : 32700) + utm;
}

/* "EPSG:4326" when the CRS carries an authority code, else its name. */
static char *crs_label(OGRSpatialReferenceH s)
{
	const char *auth = OSRGetAuthorityName(s, NULL), *code = OSRGetAuthorityCode(s, NULL);
	char buf[256];
	if (auth && code)
		snprintf(buf, sizeof(buf), "%s:%s", auth, code);
	else
		snprintf(buf, sizeof(buf), "%s", OSRGetName(s) ? OSRGetName(s) : "unnamed CRS");
	return strdup(buf);
}

OGRSpatialReferenceH read_crs_source(OGRLayerH lyr, const char *label, const char *assume,
                                     status *st)
{
	OGRSpatialReferenceH own = OGR_L_GetSpatialRef(lyr);
	if (own) {
		OGRSpatialReferenceH s = OSRClone(own);
		if (s)
			OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
		return s;
	}
	if (!assume || !*assume) {
		status_problem_add(st, SEV_ERROR, "crs",
		                   "%s: no CRS in the source; set input.assume_crs (e.g. "
		                   "EPSG:4326 for lon/lat)",
		                   label);
		return NULL;
	}
	OGRSpatialReferenceH s = read_crs_parse(assume);
	if (!s)
		status_problem_add(st, SEV_ERROR, "crs",
		                   "input.assume_crs = %s: not a CRS GDAL knows", assume);
	return s;
}

/* The first feature of `lyr` with an absurd coordinate, named in `st`. */
static void name_absurd(OGRLayerH lyr, const char *label, status *st)
{
	char why[160];
	OGRFeatureH f;
	OGR_L_ResetReading(lyr);
	while ((f = OGR_L_GetNextFeature(lyr))) {
		int bad = read_geometry_absurd(OGR_F_GetGeometryRef(f), why, sizeof(why));
		long long fid = (long long)OGR_F_GetFID(f);
		OGR_F_Destroy(f);
		if (bad) {
			status_problem_add(st, SEV_ERROR, "geometry", "%s fid %lld: %s", label, fid,
			                   why);
			break;
		}
	}
	OGR_L_ResetReading(lyr);
}

/* Centre of the layer's extent in lon/lat; -1 when unknown, -2 when the
 * extent holds an absurd coordinate (never handed to PROJ). */
static int layer_centre_lonlat(OGRLayerH lyr, OGRSpatialReferenceH src, double *lon, double *lat)
{
	OGREnvelope env;
	char why[160];
	if (OGR_L_GetExtent(lyr, &env, TRUE) != OGRERR_NONE)
		return -1;
	if (read_coord_absurd(env.MinX, env.MinY, why, sizeof(why)) ||
	    read_coord_absurd(env.MaxX, env.MaxY, why, sizeof(why)))
		return -2;
	double x = (env.MinX + env.MaxX) / 2, y = (env.MinY + env.MaxY) / 2;
	OGRSpatialReferenceH ll = read_crs_parse("EPSG:4326");
	OGRCoordinateTransformationH ct = ll ? OCTNewCoordinateTransformation(src, ll) : NULL;
	int ok = ct && OCTTransform(ct, 1, &x, &y, NULL);
	if (ct)
		OCTDestroyCoordinateTransformation(ct);
	if (ll)
		OSRDestroySpatialReference(ll);
	*lon = x;
	*lat = y;
	return ok && isfinite(x) && isfinite(y) ? 0 : -1;
}

OGRSpatialReferenceH read_crs_working(const scenario *sc, OGRLayerH lyr, OGRSpatialReferenceH src,
                                      inputs *in, status *st)
{
	OGRSpatialReferenceH w = NULL;
	char text[64];
	if (!strcasecmp(sc->crs, "auto")) {
		double lon, lat;
		int where = layer_centre_lonlat(lyr, src, &lon, &lat);
		if (where == -2) {
			name_absurd(lyr, in->units_source, st);
			return NULL;
		}
		if (where != 0 || !read_crs_auto_epsg(lon, lat)) {
			status_problem_add(
			    st, SEV_ERROR, "crs",
			    "%s: cannot place the layer's extent in lon/lat to choose "
			    "a CRS; set input.crs (e.g. EPSG:4549)",
			    in->units_source);
			return NULL;
		}
		snprintf(text, sizeof(text), "EPSG:%d", read_crs_auto_epsg(lon, lat));
		w = read_crs_parse(text);
	} else {
		snprintf(text, sizeof(text), "%s", sc->crs);
		w = read_crs_parse(sc->crs);
		if (!w) {
			status_problem_add(st, SEV_ERROR, "crs",
			                   "input.crs = %s: not a CRS GDAL knows", sc->crs);
			return NULL;
		}
		if (!OSRIsProjected(w) || fabs(OSRGetLinearUnits(w, NULL) - 1.0) > 1e-9) {
			status_problem_add(st, SEV_ERROR, "crs",
			                   "input.crs = %s: not a projected CRS in metres",
			                   sc->crs);
			OSRDestroySpatialReference(w);
			return NULL;
		}
	}
	if (!w) {
		status_problem_add(st, SEV_ERROR, "crs", "%s: not in the PROJ database", text);
		return NULL;
	}
	char *wkt = NULL;
	OSRExportToWkt(w, &wkt);
	free(in->crs), free(in->crs_wkt), free(in->source_crs);
	in->crs = crs_label(w);
	in->crs_wkt = strdup(wkt ? wkt : "");
	in->source_crs = crs_label(src);
	CPLFree(wkt);
	return w;
}

OGRCoordinateTransformationH read_crs_transform(OGRSpatialReferenceH src, OGRSpatialReferenceH dst,
                                                const char *label, int *fail, status *st)
{
	*fail = 0;
	if (OSRIsSame(src, dst))
		return NULL;
	OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(src, dst);
	if (!ct) {
		*fail = 1;
		const char *why = gdal_last_msg();
		status_problem_add(st, SEV_ERROR, "crs",
		                   "%s: no transformation to the working CRS%s%s", label,
		                   *why ? ": " : "", why);
	}
	return ct;
}
