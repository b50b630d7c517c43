/*
 * gpkg_levels.c: the upper levels of the network as layers (levels.h):
 *
 *   NAME          one point layer per [level.NAME]: id, group, district,
 *                 street, households (load), lower (facilities routed to
 *                 it), existing (0/1), load_t_day (NULL without
 *                 rules.kg_per_household_day), mean_distance_m (load-
 *                 weighted), place_id, area_m2 (parcel, NULL for points),
 *                 and with [phases] phase (the year it opens, 0 existing,
 *                 NULL over the last year's budget; solver/levels_phases.c)
 *   parcels_used  the parcels the facilities stand on (level, id, place_id,
 *                 area_m2)
 *   flows         a line from each lower facility to its upper one: level
 *                 (the upper layer), from_id (a station_id for the first
 *                 level, else the lower level's id), to_id, households,
 *                 distance_m
 *   unplaced      groups without (all) their facilities and lower
 *                 facilities that could not be routed, with the reason
 *   run_levels    one row per level: its keys, counts, objective, bound,
 *                 gap and status, and with [phases] `phases`: each year's
 *                 facilities, households routed and solve status
 *   summary_district, summary_street: one more integer column per level,
 *                 named as the level, counting its facilities in the row's
 *                 district (street); added to the tables gpkg_summary.c
 *                 wrote, so that writer needs not know the levels
 *
 * and their QGIS styles (points sized by level, categorised by phase with
 * [phases]; flows graduated by load),
 * added to layer_styles by gpkg_styles.c through gpkg_levels_styles().
 * Written only when the scenario has levels (run_info.levels).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gdal_bridge.h"
#include "grow.h"
#include "gpkg_int.h"
#include "levels.h"
#include "rules.h"

static const gpkg_field level_fields[] = {
    {"id", OFTInteger, OFSTNone},           {"group", OFTString, OFSTNone},
    {"district", OFTString, OFSTNone},      {"street", OFTString, OFSTNone},
    {"households", OFTInteger, OFSTNone},   {"lower", OFTInteger, OFSTNone},
    {"existing", OFTInteger, OFSTBoolean},  {"load_t_day", OFTReal, OFSTNone},
    {"mean_distance_m", OFTReal, OFSTNone}, {"place_id", OFTString, OFSTNone},
    {"area_m2", OFTReal, OFSTNone},         {"phase", OFTInteger, OFSTNone},
};
/* phase, the last field, only with [phases] */
#define LEVEL_NFIELDS(sc)                                                                          \
	(sizeof(level_fields) / sizeof(level_fields[0]) - ((sc)->phases.n > 0 ? 0 : 1))

static status_code write_level(gpkg_writer *w, const level_result *r)
{
	char desc[512];
	snprintf(desc, sizeof(desc),
	         "Facilities of level '%s' ([level.%s]): households is the load routed to each, "
	         "lower the number of lower facilities routed to it (see flows).",
	         r->name, r->name);
	const gpkg_layer_def def = {r->name, wkbPoint,     r->name,
	                            desc,    level_fields, LEVEL_NFIELDS(w->sc)};
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &def) != STATUS_OK)
		return t.rc;
	for (size_t i = 0; i < r->nfac && t.rc == STATUS_OK; i++) {
		const level_facility *fa = &r->fac[i];
		OGRFeatureH f = gpkg_rows_new(&t);
		OGR_F_SetFID(f, (GIntBig)i + 1);
		OGR_F_SetFieldInteger(f, 0, (int)i + 1);
		OGR_F_SetFieldString(f, 1, fa->group);
		OGR_F_SetFieldString(f, 2, fa->district);
		OGR_F_SetFieldString(f, 3, fa->street);
		OGR_F_SetFieldInteger(f, 4, (int)fa->households);
		OGR_F_SetFieldInteger(f, 5, fa->lower);
		OGR_F_SetFieldInteger(f, 6, fa->existing);
		if (w->sc->kg_per_household_day > 0)
			OGR_F_SetFieldDouble(f, 7, rules_tonnes_per_day(w->sc, fa->households));
		else
			OGR_F_SetFieldNull(f, 7);
		OGR_F_SetFieldDouble(f, 8, fa->mean_distance_m);
		OGR_F_SetFieldString(f, 9, fa->place_id);
		if (fa->wkb)
			OGR_F_SetFieldDouble(f, 10, fa->area_m2);
		else
			OGR_F_SetFieldNull(f, 10);
		if (w->sc->phases.n > 0 && fa->phase >= 0)
			OGR_F_SetFieldInteger(f, 11, fa->phase);
		else if (w->sc->phases.n > 0)
			OGR_F_SetFieldNull(f, 11); /* open in no phase: over the last budget */
		OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
		OGR_G_SetPoint_2D(g, 0, fa->x, fa->y);
		gpkg_rows_put(&t, f, g);
	}
	return gpkg_rows_close(&t);
}

/* ---- the tables over every level ------------------------------------- */

static const gpkg_field parcel_fields[] = {
    {"level", OFTString, OFSTNone},
    {"id", OFTInteger, OFSTNone},
    {"place_id", OFTString, OFSTNone},
    {"area_m2", OFTReal, OFSTNone},
};

static const gpkg_field flow_fields[] = {
    {"level", OFTString, OFSTNone},    {"from_id", OFTInteger, OFSTNone},
    {"to_id", OFTInteger, OFSTNone},   {"households", OFTInteger, OFSTNone},
    {"distance_m", OFTReal, OFSTNone},
};

static const gpkg_field unplaced_fields[] = {
    {"level", OFTString, OFSTNone},       {"group", OFTString, OFSTNone},
    {"households", OFTInteger, OFSTNone}, {"missing", OFTInteger, OFSTNone},
    {"reason", OFTString, OFSTNone},
};

static const gpkg_field run_fields[] = {
    {"level", OFTString, OFSTNone},        {"position", OFTInteger, OFSTNone},
    {"parameters", OFTString, OFSTNone},   {"facilities", OFTInteger, OFSTNone},
    {"existing", OFTInteger, OFSTNone},    {"households", OFTInteger, OFSTNone},
    {"subproblems", OFTInteger, OFSTNone}, {"objective", OFTReal, OFSTNone},
    {"bound", OFTReal, OFSTNone},          {"gap", OFTReal, OFSTNone},
    {"status", OFTString, OFSTNone},       {"unplaced", OFTInteger, OFSTNone},
    {"distance", OFTString, OFSTNone},     {"phases", OFTString, OFSTNone}, /* only with [phases] */
};

/* The rows of each table below into t (open); a failure is left in t->rc. */

static void parcel_rows(gpkg_rows *t, const levels_result *lr)
{
	for (size_t v = 0; v < lr->n && t->rc == STATUS_OK; v++)
		for (size_t i = 0; i < lr->lv[v].nfac && t->rc == STATUS_OK; i++) {
			const level_facility *fa = &lr->lv[v].fac[i];
			if (!fa->wkb)
				continue;
			OGRGeometryH g = NULL;
			if (OGR_G_CreateFromWkb(fa->wkb, NULL, &g, (int)fa->wkb_size) !=
			    OGRERR_NONE) {
				t->rc = gdal_fail(t->w->st, STATUS_INTERNAL,
				                  "'%s': parcels_used: bad parcel WKB", t->w->path);
				return;
			}
			OGRFeatureH f = gpkg_rows_new(t);
			OGR_F_SetFieldString(f, 0, lr->lv[v].name);
			OGR_F_SetFieldInteger(f, 1, (int)i + 1);
			OGR_F_SetFieldString(f, 2, fa->place_id);
			OGR_F_SetFieldDouble(f, 3, fa->area_m2);
			gpkg_rows_put(t, f, OGR_G_ForceToMultiPolygon(g));
		}
}

static void flow_rows(gpkg_rows *t, const levels_result *lr)
{
	for (size_t v = 0; v < lr->n && t->rc == STATUS_OK; v++)
		for (size_t i = 0; i < lr->lv[v].nflows && t->rc == STATUS_OK; i++) {
			const level_flow *fl = &lr->lv[v].flows[i];
			OGRGeometryH g = NULL;
			const level_result *r = &lr->lv[v];
			if (fl->distance_m >= 0.01) {
				g = OGR_G_CreateGeometry(wkbLineString);
				if (r->route_start) /* the walk along the streets */
					for (size_t k = r->route_start[i];
					     k < r->route_start[i + 1]; k++)
						OGR_G_AddPoint_2D(g, r->route_xy[2 * k],
						                  r->route_xy[2 * k + 1]);
				else {
					OGR_G_AddPoint_2D(g, fl->x0, fl->y0);
					OGR_G_AddPoint_2D(g, fl->x1, fl->y1);
				}
			}
			OGRFeatureH f = gpkg_rows_new(t);
			OGR_F_SetFieldString(f, 0, lr->lv[v].name);
			OGR_F_SetFieldInteger(f, 1, fl->from + 1);
			OGR_F_SetFieldInteger(f, 2, fl->to + 1);
			OGR_F_SetFieldInteger(f, 3, (int)fl->households);
			OGR_F_SetFieldDouble(f, 4, fl->distance_m);
			gpkg_rows_put(t, f, g);
		}
}

static void unplaced_rows(gpkg_rows *t, const levels_result *lr)
{
	for (size_t i = 0; i < lr->nunplaced && t->rc == STATUS_OK; i++) {
		const level_unplaced *u = &lr->unplaced[i];
		OGRFeatureH f = gpkg_rows_new(t);
		OGR_F_SetFieldString(f, 0, lr->lv[u->level].name);
		OGR_F_SetFieldString(f, 1, u->group);
		OGR_F_SetFieldInteger(f, 2, (int)u->households);
		OGR_F_SetFieldInteger(f, 3, u->missing);
		OGR_F_SetFieldString(f, 4, u->reason);
		gpkg_rows_put(t, f, NULL);
	}
}

static void run_rows(gpkg_rows *t, const levels_result *lr)
{
	const scenario *sc = t->w->sc;
	for (size_t v = 0; v < lr->n && t->rc == STATUS_OK; v++) {
		const level_result *r = &lr->lv[v];
		char par[4096];
		int nex = 0, nun = 0;
		long hh = 0;
		for (size_t i = 0; i < r->nfac; i++)
			nex += r->fac[i].existing, hh += r->fac[i].households;
		for (size_t u = 0; u < lr->nunplaced; u++)
			nun += lr->unplaced[u].level == (int)v;
		scenario_level_describe(sc, v, par, sizeof(par));
		OGRFeatureH f = gpkg_rows_new(t);
		OGR_F_SetFieldString(f, 0, r->name);
		OGR_F_SetFieldInteger(f, 1, (int)v + 1);
		OGR_F_SetFieldString(f, 2, par);
		OGR_F_SetFieldInteger(f, 3, (int)r->nfac);
		OGR_F_SetFieldInteger(f, 4, nex);
		OGR_F_SetFieldInteger(f, 5, (int)hh);
		OGR_F_SetFieldInteger(f, 6, (int)r->nsubs);
		OGR_F_SetFieldDouble(f, 7, r->objective);
		OGR_F_SetFieldDouble(f, 8, r->bound);
		OGR_F_SetFieldDouble(f, 9, r->gap);
		OGR_F_SetFieldString(f, 10, r->status);
		OGR_F_SetFieldInteger(f, 11, nun);
		OGR_F_SetFieldString(f, 12, r->network ? "network" : "straight");
		if (sc->phases.n > 0)
			OGR_F_SetFieldString(f, 13, r->phases);
		gpkg_rows_put(t, f, NULL);
	}
}

/* The tables written after the levels' own layers, in this order: each its
 * layer and the function giving its rows (level_table() adapts two). */
static const struct level_table {
	gpkg_layer_def def;
	void (*rows)(gpkg_rows *t, const levels_result *lr);
} level_tables[] = {
    {{"parcels_used", wkbMultiPolygon, "Parcels used",
      "The land parcels the upper levels' facilities stand on (after MakeValid); id is the "
      "facility's id in its level's layer, area_m2 the parcel's area in the working CRS.",
      GPKG_FIELDS(parcel_fields)},
     parcel_rows},
    {{"flows", wkbLineString, "Flows between levels",
      "A line from each lower facility to the upper one it is routed to: level is the upper "
      "layer, from_id a station_id (first level) or the lower level's id, to_id the upper id; "
      "households the load, distance_m the straight-line distance.",
      GPKG_FIELDS(flow_fields)},
     flow_rows},
    {{"unplaced", wkbNone, "Unplaced groups",
      "Groups of an upper level that did not get all their facilities (missing), and lower "
      "facilities with no upper one in reach (households); the run exits with status 3.",
      GPKG_FIELDS(unplaced_fields)},
     unplaced_rows},
    {{"run_levels", wkbNone, "Run record of the levels",
      "One row per upper level, bottom to top: its scenario keys, facilities, load, and "
      "the solve (objective = load-weighted metres, a proven bound, gap, status); distance "
      "straight (as the crow flies) or network (along input.roads).",
      GPKG_FIELDS(run_fields)},
     run_rows},
};

/* level_tables[k]'s layer as this plan has it: flows along the streets
 * (input.roads) say so; run_levels has its last field, phases, only with
 * [phases]. */
static gpkg_layer_def level_table(const gpkg_writer *w, const levels_result *lr, size_t k)
{
	gpkg_layer_def def = level_tables[k].def;
	if (!strcmp(def.name, "flows") && lr->lv[0].network)
		def.description =
		    "A line from each lower facility to the upper one it is routed to, along the "
		    "streets (input.roads): level is the upper layer, from_id a station_id (first "
		    "level) or the lower level's id, to_id the upper id; households the load, "
		    "distance_m the distance along the streets (the line's length).";
	if (!strcmp(def.name, "run_levels") && w->sc->phases.n == 0)
		def.nfields--;
	return def;
}

/* Add a column per level to summary `name` and fill it. */
static status_code summary_columns(gpkg_writer *w, const levels_result *lr, const char *name,
                                   int by_street)
{
	OGRLayerH l = GDALDatasetGetLayerByName(w->ds, name);
	if (!l)
		return STATUS_OK; /* no summary table: nothing to extend */
	for (size_t v = 0; v < lr->n; v++) {
		OGRFieldDefnH fd = OGR_Fld_Create(lr->lv[v].name, OFTInteger);
		OGRErr e = OGR_L_CreateField(l, fd, TRUE);
		OGR_Fld_Destroy(fd);
		if (e != OGRERR_NONE)
			return gdal_fail(w->st, STATUS_INTERNAL,
			                 "'%s': layer '%s': cannot add field '%s'", w->path, name,
			                 lr->lv[v].name);
	}
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
	int id = OGR_FD_GetFieldIndex(d, "district"), is = OGR_FD_GetFieldIndex(d, "street");
	status_code rc = gpkg_table_begin(w, name);
	OGRFeatureH f;
	OGR_L_ResetReading(l);
	/* read every row first: updating while reading a GPKG layer is unsafe */
	size_t nrows = 0, cap = 16;
	OGRFeatureH *rows = malloc(cap * sizeof(*rows));
	while (rows && (f = OGR_L_GetNextFeature(l))) {
		if (grow_reserve(&rows, &cap, nrows + 1, sizeof(*rows)) != 0) {
			OGR_F_Destroy(f);
			break;
		}
		rows[nrows++] = f;
	}
	if (!rows)
		return status_fail(w->st, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < nrows; i++) {
		const char *dist = id >= 0 ? OGR_F_GetFieldAsString(rows[i], id) : "";
		const char *str = by_street && is >= 0 ? OGR_F_GetFieldAsString(rows[i], is) : "";
		for (size_t v = 0; v < lr->n; v++) {
			int count = 0;
			for (size_t k = 0; k < lr->lv[v].nfac; k++)
				count += !strcmp(lr->lv[v].fac[k].district, dist) &&
				         (!by_street || !strcmp(lr->lv[v].fac[k].street, str));
			OGR_F_SetFieldInteger(rows[i], OGR_FD_GetFieldIndex(d, lr->lv[v].name),
			                      count);
		}
		if (rc == STATUS_OK && OGR_L_SetFeature(l, rows[i]) != OGRERR_NONE)
			rc = gdal_fail(w->st, STATUS_INTERNAL,
			               "'%s': layer '%s': cannot update row", w->path, name);
		OGR_F_Destroy(rows[i]);
	}
	free(rows);
	return rc == STATUS_OK ? gpkg_table_commit(w, name) : rc;
}

status_code gpkg_write_levels(gpkg_writer *w)
{
	const levels_result *lr = w->ri ? w->ri->levels : NULL;
	if (!lr || !lr->n)
		return STATUS_OK;
	status_code rc = STATUS_OK;
	for (size_t v = 0; v < lr->n && rc == STATUS_OK; v++)
		rc = write_level(w, &lr->lv[v]);
	for (size_t k = 0; k < sizeof(level_tables) / sizeof(level_tables[0]) && rc == STATUS_OK;
	     k++) {
		gpkg_layer_def def = level_table(w, lr, k);
		gpkg_rows t;
		if (gpkg_rows_open(&t, w, &def) == STATUS_OK)
			level_tables[k].rows(&t, lr);
		rc = gpkg_rows_close(&t);
	}
	if (rc == STATUS_OK)
		rc = summary_columns(w, lr, "summary_district", 0);
	if (rc == STATUS_OK)
		rc = summary_columns(w, lr, "summary_street", 1);
	return rc;
}

/* ---- styles -------------------------------------------------------------- */

static const char *const level_colour[] = {"31,120,180,255", "227,26,28,255", "106,61,154,255",
                                           "255,127,0,255", "51,160,44,255"};

/* Symbol `name` of level v's markers: its shape and size, in `color`. */
static void marker_symbol(FILE *f, size_t name, size_t v, const char *color)
{
	fprintf(f,
	        "      <symbol type=\"marker\" name=\"%zu\" alpha=\"1\" clip_to_extent=\"1\" "
	        "force_rhr=\"0\">\n"
	        "        <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"%zu\">\n"
	        "          <prop k=\"name\" v=\"%s\"/>\n"
	        "          <prop k=\"color\" v=\"%s\"/>\n"
	        "          <prop k=\"outline_color\" v=\"255,255,255,255\"/>\n"
	        "          <prop k=\"outline_width\" v=\"0.5\"/>\n"
	        "          <prop k=\"size\" v=\"%.1f\"/>\n"
	        "          <prop k=\"size_unit\" v=\"MM\"/>\n"
	        "        </layer>\n      </symbol>\n",
	        name, v + 1, v % 2 ? "diamond" : "square", color, 4.0 + 2.0 * (double)v);
}

/* A style document of this file (gpkg_qgis_open()) written up to its
 * renderer element, open, with the renderer's attributes `renderer`. NULL
 * out of memory. */
static FILE *qml_open(char **buf, size_t *len, const char *renderer)
{
	FILE *f = gpkg_qgis_open(buf, len);
	if (f)
		fprintf(f,
		        "<qgis version=\"3.22.16\" styleCategories=\"Symbology\">\n"
		        "  <renderer-v2 %s symbollevels=\"0\" forceraster=\"0\" "
		        "enableorderby=\"0\">\n",
		        renderer);
	return f;
}

/* The end of a style document after its symbols, for a layer of QGIS
 * geometry type `gtype` (0 points, 1 lines): returns the document, *buf
 * (set by the stream's fclose). */
static char *qml_close(FILE *f, char **buf, int gtype)
{
	fprintf(f,
	        "    </symbols>\n  </renderer-v2>\n"
	        "  <layerGeometryType>%d</layerGeometryType>\n</qgis>\n",
	        gtype);
	fclose(f);
	return *buf;
}

static char *qml_level(size_t v)
{
	char *buf;
	size_t len;
	FILE *f = qml_open(&buf, &len, "type=\"singleSymbol\"");
	if (!f)
		return NULL;
	fputs("    <symbols>\n", f);
	marker_symbol(f, 0, v, level_colour[v % 5]);
	return qml_close(f, &buf, 0);
}

/* With [phases]: the level's markers (its shape and size) categorised by
 * `phase`, existing (0) darkest, each year lighter, none (NULL) grey. */
static char *qml_level_phases(size_t v, const phases_spec *ps)
{
	static const char *const colors[] = {"106,61,154,255", "8,48,107,255",    "33,113,181,255",
	                                     "66,146,198,255", "107,174,214,255", "158,202,225,255",
	                                     "198,219,239,255"};
	char *buf;
	size_t len;
	FILE *f = qml_open(&buf, &len, "type=\"categorizedSymbol\" attr=\"phase\"");
	if (!f)
		return NULL;
	fputs("    <categories>\n"
	      "      <category render=\"true\" symbol=\"0\" value=\"0\" label=\"existing\"/>\n",
	      f);
	for (size_t i = 0; i < ps->n; i++)
		fprintf(f,
		        "      <category render=\"true\" symbol=\"%zu\" value=\"%d\" "
		        "label=\"by %d\"/>\n",
		        i + 1, ps->years[i].year, ps->years[i].year);
	fprintf(f,
	        "      <category render=\"true\" symbol=\"%zu\" value=\"\" label=\"in no "
	        "phase\"/>\n    </categories>\n    <symbols>\n",
	        ps->n + 1);
	for (size_t i = 0; i <= ps->n + 1; i++)
		marker_symbol(f, i, v, i == ps->n + 1 ? "150,150,150,255" : colors[i < 7 ? i : 6]);
	return qml_close(f, &buf, 0);
}

static char *qml_flows(const levels_result *lr)
{
	long max = 1;
	for (size_t v = 0; v < lr->n; v++)
		for (size_t i = 0; i < lr->lv[v].nflows; i++)
			if (lr->lv[v].flows[i].households > max)
				max = lr->lv[v].flows[i].households;
	char *buf;
	size_t len;
	FILE *f = qml_open(&buf, &len,
	                   "type=\"graduatedSymbol\" attr=\"households\" "
	                   "graduatedMethod=\"GraduatedColor\"");
	if (!f)
		return NULL;
	fputs("    <ranges>\n", f);
	static const double width[4] = {0.3, 0.6, 1.0, 1.6};
	for (int k = 0; k < 4; k++)
		fprintf(f,
		        "      <range lower=\"%.0f\" upper=\"%.0f\" symbol=\"%d\" "
		        "label=\"%.0f - %.0f households\" render=\"true\"/>\n",
		        k ? (double)max * k / 4.0 : 0.0, (double)max * (k + 1) / 4.0, k,
		        k ? (double)max * k / 4.0 : 0.0, (double)max * (k + 1) / 4.0);
	fputs("    </ranges>\n    <symbols>\n", f);
	for (int k = 0; k < 4; k++)
		fprintf(
		    f,
		    "      <symbol type=\"line\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" "
		    "force_rhr=\"0\">\n"
		    "        <layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">\n"
		    "          <prop k=\"line_color\" v=\"%d,%d,%d,220\"/>\n"
		    "          <prop k=\"line_width\" v=\"%.1f\"/>\n"
		    "          <prop k=\"line_width_unit\" v=\"MM\"/>\n"
		    "        </layer>\n      </symbol>\n",
		    k, 120 + 40 * k, 80 - 20 * k, 40, width[k]);
	return qml_close(f, &buf, 1);
}

size_t gpkg_levels_styles(const gpkg_writer *w, gpkg_style *rows, size_t max)
{
	const levels_result *lr = w->ri ? w->ri->levels : NULL;
	size_t n = 0;
	if (!lr || !lr->n)
		return 0;
	for (size_t v = 0; v < lr->n && n + 1 < max; v++)
		rows[n++] =
		    w->sc->phases.n > 0
		        ? (gpkg_style){lr->lv[v].name,
		                       "stationplan: upper level, sized by level, by phase",
		                       qml_level_phases(v, &w->sc->phases)}
		        : (gpkg_style){lr->lv[v].name, "stationplan: upper level, sized by level",
		                       qml_level(v)};
	rows[n++] = (gpkg_style){"flows", "stationplan: flows graduated by load", qml_flows(lr)};
	int bad = 0;
	for (size_t i = 0; i < n; i++)
		bad |= !rows[i].qml;
	if (bad) {
		for (size_t i = 0; i < n; i++)
			free(rows[i].qml);
		return (size_t)-1;
	}
	return n;
}
