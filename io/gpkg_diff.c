/*
 * diff_write.c: the station changes of a comparison as a GeoPackage that
 * opens styled in QGIS (`stationplan compare A B -o DIFF.gpkg`).
 *
 * Layers, all with the same fields (NULL where a side is absent):
 *   added    points, B's stations with no counterpart in A (green)
 *   removed  points, A's stations with no counterpart in B (red)
 *   moved    lines from A's site to B's, with the distance (orange arrows)
 *   kept     points, B's site of stations kept within the tolerance (grey)
 * and `layer_styles`, the QGIS default style of each. The file is built with
 * the plan writer's helpers (io/gpkg_file.c, io/gpkg_table.c): a temporary
 * file beside the target, published by rename only when complete; an
 * existing target is replaced only with --overwrite.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_string.h>

#include "compare.h"
#include "gpkg_int.h"
#include "io_int.h"

enum {
	F_CHANGE,
	F_ID_A,
	F_ID_B,
	F_KIND_A,
	F_KIND_B,
	F_DISTRICT,
	F_STREET,
	F_HH_A,
	F_HH_B,
	F_DISTANCE,
	NFIELDS
};

static const gpkg_field fields[NFIELDS] = {
    {"change", OFTString, OFSTNone},          {"station_id_a", OFTInteger64, OFSTNone},
    {"station_id_b", OFTInteger64, OFSTNone}, {"kind_a", OFTString, OFSTNone},
    {"kind_b", OFTString, OFSTNone},          {"district", OFTString, OFSTNone},
    {"street", OFTString, OFSTNone},          {"households_a", OFTInteger64, OFSTNone},
    {"households_b", OFTInteger64, OFSTNone}, {"distance_m", OFTReal, OFSTNone},
};

/* Per change kind: layer name, geometry, description, QML symbol layers. */
static const struct {
	const char *layer;
	OGRwkbGeometryType gtype;
	const char *description;
	const char *symbol;
} layers[] = {
    [CHANGE_KEPT] =
        {"kept", wkbPoint, "stations at the same site in A and B (within the tolerance)",
         "<symbol type=\"marker\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
         "<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">"
         "<prop k=\"name\" v=\"circle\"/><prop k=\"color\" v=\"160,160,160,255\"/>"
         "<prop k=\"outline_color\" v=\"255,255,255,255\"/>"
         "<prop k=\"outline_width\" v=\"0.2\"/><prop k=\"outline_width_unit\" v=\"MM\"/>"
         "<prop k=\"size\" v=\"2\"/><prop k=\"size_unit\" v=\"MM\"/>"
         "</layer></symbol>"},
    [CHANGE_MOVED] =
        {"moved", wkbLineString, "stations moved: a line from A's site to B's",
         "<symbol type=\"line\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
         "<layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">"
         "<prop k=\"line_color\" v=\"255,140,0,255\"/><prop k=\"line_width\" v=\"0.6\"/>"
         "<prop k=\"line_width_unit\" v=\"MM\"/><prop k=\"line_style\" v=\"solid\"/>"
         "<prop k=\"capstyle\" v=\"round\"/><prop k=\"joinstyle\" v=\"round\"/>"
         "</layer>"
         "<layer class=\"MarkerLine\" enabled=\"1\" locked=\"0\" pass=\"0\">"
         "<prop k=\"placement\" v=\"lastvertex\"/><prop k=\"rotate\" v=\"1\"/>"
         "<prop k=\"offset\" v=\"0\"/>"
         "<symbol type=\"marker\" name=\"@0@1\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
         "<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">"
         "<prop k=\"name\" v=\"filled_arrowhead\"/><prop k=\"color\" v=\"255,140,0,255\"/>"
         "<prop k=\"outline_color\" v=\"255,140,0,255\"/>"
         "<prop k=\"outline_width\" v=\"0\"/><prop k=\"size\" v=\"3.5\"/>"
         "<prop k=\"size_unit\" v=\"MM\"/><prop k=\"angle\" v=\"0\"/>"
         "</layer></symbol></layer></symbol>"},
    [CHANGE_REMOVED] =
        {"removed", wkbPoint, "stations of A with no counterpart in B",
         "<symbol type=\"marker\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
         "<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">"
         "<prop k=\"name\" v=\"cross2\"/><prop k=\"color\" v=\"215,25,28,255\"/>"
         "<prop k=\"outline_color\" v=\"215,25,28,255\"/>"
         "<prop k=\"outline_width\" v=\"0.8\"/><prop k=\"outline_width_unit\" v=\"MM\"/>"
         "<prop k=\"size\" v=\"4\"/><prop k=\"size_unit\" v=\"MM\"/>"
         "</layer></symbol>"},
    [CHANGE_ADDED] =
        {"added", wkbPoint, "stations of B with no counterpart in A",
         "<symbol type=\"marker\" name=\"0\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">"
         "<layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">"
         "<prop k=\"name\" v=\"circle\"/><prop k=\"color\" v=\"26,150,65,255\"/>"
         "<prop k=\"outline_color\" v=\"255,255,255,255\"/>"
         "<prop k=\"outline_width\" v=\"0.4\"/><prop k=\"outline_width_unit\" v=\"MM\"/>"
         "<prop k=\"size\" v=\"3.5\"/><prop k=\"size_unit\" v=\"MM\"/>"
         "</layer></symbol>"},
};

/* Layers in the order they are written (and listed in QGIS). */
static const compare_change_kind order[] = {CHANGE_ADDED, CHANGE_REMOVED, CHANGE_MOVED,
                                            CHANGE_KEPT};

static void set_side(OGRFeatureH f, const planfile_station *s, int id, int kind, int hh)
{
	OGR_F_SetFieldInteger64(f, id, s->id);
	OGR_F_SetFieldString(f, kind, s->kind);
	OGR_F_SetFieldInteger64(f, hh, s->households);
}

/* The feature of change `c` (geometry included); caller destroys. */
static OGRFeatureH change_feature(OGRLayerH l, const compare_change *c, const planfile *a,
                                  const planfile *b)
{
	OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
	const planfile_station *sa = c->a != COMPARE_NONE ? &a->stations[c->a] : NULL;
	const planfile_station *sb = c->b != COMPARE_NONE ? &b->stations[c->b] : NULL;
	const planfile_station *where = sb ? sb : sa;
	OGRGeometryH g;

	OGR_F_SetFieldString(f, F_CHANGE, compare_change_name(c->kind));
	if (sa)
		set_side(f, sa, F_ID_A, F_KIND_A, F_HH_A);
	if (sb)
		set_side(f, sb, F_ID_B, F_KIND_B, F_HH_B);
	OGR_F_SetFieldString(f, F_DISTRICT, where->district);
	OGR_F_SetFieldString(f, F_STREET, where->street);
	if (sa && sb)
		OGR_F_SetFieldDouble(f, F_DISTANCE, c->distance_m);
	if (c->kind == CHANGE_MOVED) {
		g = OGR_G_CreateGeometry(wkbLineString);
		OGR_G_AddPoint_2D(g, sa->x, sa->y);
		OGR_G_AddPoint_2D(g, sb->x, sb->y);
	} else {
		g = OGR_G_CreateGeometry(wkbPoint);
		OGR_G_SetPoint_2D(g, 0, where->x, where->y);
	}
	OGR_F_SetGeometryDirectly(f, g);
	return f;
}

static status_code write_layer(gpkg_writer *w, compare_change_kind kind, const compare_result *r,
                               const planfile *a, const planfile *b)
{
	const char *name = layers[kind].layer;
	OGRLayerH l = gpkg_table_create(w, name, layers[kind].gtype, name, layers[kind].description,
	                                fields, NFIELDS);
	status_code rc;
	if (!l)
		return w->st->code;
	if ((rc = gpkg_table_begin(w, name)) != STATUS_OK)
		return rc;
	long long row = 0;
	for (size_t i = 0; i < r->nchanges; i++) {
		if (r->changes[i].kind != kind)
			continue;
		OGRFeatureH f = change_feature(l, &r->changes[i], a, b);
		rc = gpkg_table_write(w, l, f, row++);
		OGR_F_Destroy(f);
		if (rc != STATUS_OK)
			return rc;
	}
	return gpkg_table_commit(w, name);
}

/* `layer_styles`: one single-symbol default style per change layer, written
 * by the plan writer's style table code. */
static status_code write_styles(gpkg_writer *w)
{
	const char *renderer = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
	                       "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">"
	                       "<renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" "
	                       "enableorderby=\"0\" forceraster=\"0\"><symbols>%s</symbols>"
	                       "</renderer-v2></qgis>";
	enum { NORDER = sizeof(order) / sizeof(order[0]) };
	gpkg_style rows[NORDER];
	for (size_t i = 0; i < NORDER; i++) {
		compare_change_kind k = order[i];
		rows[i] = (gpkg_style){layers[k].layer, layers[k].description,
		                       CPLStrdup(CPLSPrintf(renderer, layers[k].symbol))};
	}
	status_code rc =
	    gpkg_styles_write_rows(w, "QGIS default styles of the comparison layers", rows, NORDER);
	for (size_t i = 0; i < NORDER; i++)
		CPLFree(rows[i].qml);
	return rc;
}

status_code gpkg_write_diff(const char *path, int overwrite, const compare_result *r,
                            const planfile *a, const planfile *b, status *st)
{
	char tmp[4200];
	int guarded = 0;
	status_code rc;
	if ((rc = gpkg_check_target(path, overwrite, st)) != STATUS_OK)
		return rc;
	if ((rc = gpkg_file_temp_path(path, tmp, sizeof(tmp), st)) != STATUS_OK)
		return rc;

	gdal_bridge_push();
	gpkg_writer w;
	memset(&w, 0, sizeof(w));
	w.path = path;
	w.st = st;
	if (a->crs_wkt && a->crs_wkt[0]) {
		w.srs = OSRNewSpatialReference(a->crs_wkt);
		if (!w.srs)
			rc = gdal_fail(st, STATUS_INTERNAL, "'%s': cannot use the CRS of '%s'",
			               path, a->path);
		else
			OSRSetAxisMappingStrategy(w.srs, OAMS_TRADITIONAL_GIS_ORDER);
	}
	GDALDriverH drv = GDALGetDriverByName("GPKG");
	if (rc == STATUS_OK && !drv)
		rc = gdal_fail(st, STATUS_INTERNAL, "GDAL has no GPKG driver");
	if (rc == STATUS_OK) {
		gpkg_file_guard(tmp);
		guarded = 1;
		w.ds = GDALCreate(drv, tmp, 0, 0, 0, GDT_Unknown, NULL);
		if (!w.ds)
			rc = gpkg_file_write_failed(path, gdal_last_msg(), st);
	}
	for (size_t i = 0; rc == STATUS_OK && i < sizeof(order) / sizeof(order[0]); i++)
		rc = write_layer(&w, order[i], r, a, b);
	if (rc == STATUS_OK)
		rc = write_styles(&w);
	if (w.ds) {
		CPLErrorReset();
		GDALClose(w.ds);
		if (rc == STATUS_OK && CPLGetLastErrorType() >= CE_Failure)
			rc = gpkg_file_write_failed(path, gdal_last_msg(), st);
	}
	if (w.srs)
		OSRDestroySpatialReference(w.srs);
	rc = gpkg_file_finish(rc, tmp, path, overwrite, st);
	if (guarded)
		gpkg_file_unguard();
	gdal_bridge_pop();
	return rc;
}
