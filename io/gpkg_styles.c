/*
 * gpkg_styles.c: the QGIS styles, so that every map layer opens styled.
 *
 * QGIS's OGR provider loads a layer's default style from a `layer_styles`
 * table in the GeoPackage (columns as QGIS itself creates it; QGIS selects
 * the row with f_table_schema = '', f_table_name = the layer,
 * f_geometry_column = 'geom' and useAsDefault = 1). We create that table as
 * a GDAL attributes layer, so it is registered in gpkg_contents and
 * validate_gpkg.py accepts the file, with a fixed update_time.
 *
 * The styles (QML, QGIS 3.22 format) are built here from C strings:
 *   stations       categorized on kind: urban blue circles, village green
 *                  triangles, existing purple squares
 *   service_areas  one colour per station (hue from station_id by the golden
 *                  angle, so neighbours differ), translucent fill
 *   assignments    graduated on distance_m in steps of walk_distance_m
 *   links          thin grey lines
 *   uncovered      red hatched
 * Each style also names the fields in plain words (aliases), sets the
 * display expression and a map tip.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_string.h>

#include "gpkg_int.h"
#include "io_int.h"

/* Field aliases of a layer: field name, then its plain-words name in
 * English and in Chinese (output.lang). */
typedef struct alias {
	const char *field, *name, *zh;
} alias;

/* 1 while the styles of a Chinese plan (output.lang = zh) are written. */
static int zh;

/* `en` or `zhs` by output.lang. */
static const char *L(const char *en, const char *zhs)
{
	return zh ? zhs : en;
}

/* Write `s` escaped for an XML attribute value or element text. */
static void put_xml(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

FILE *gpkg_qgis_open(char **buf, size_t *len)
{
	*buf = NULL;
	*len = 0;
	FILE *f = open_memstream(buf, len);
	if (f)
		fputs(GPKG_QGIS_DOCTYPE, f);
	return f;
}

static void qml_begin(FILE *f)
{
	fputs(GPKG_QGIS_DOCTYPE
	      "<qgis version=\"3.22.16-Białowieża\" "
	      "styleCategories=\"Symbology|Fields|MapTips|Labeling\" labelsEnabled=\"1\">\n",
	      f);
}

/* Simple labels from `expr`, shown below 1:`max_scale` only (so a city
 * map is not buried under text), white halo, `size` points. */
static void labels(FILE *f, const char *expr, double size, const char *color, int max_scale)
{
	fputs("  <labeling type=\"simple\">\n    <settings calloutType=\"simple\">\n"
	      "      <text-style fieldName=\"",
	      f);
	put_xml(f, expr);
	fprintf(f,
	        "\" isExpression=\"1\" fontFamily=\"Noto Sans CJK SC\" fontSize=\"%g\" "
	        "fontSizeUnit=\"Point\" textColor=\"%s\" textOpacity=\"1\" fontWeight=\"50\" "
	        "multilineHeight=\"1\">\n"
	        "        <text-buffer bufferDraw=\"1\" bufferSize=\"0.7\" "
	        "bufferSizeUnits=\"MM\" bufferColor=\"255,255,255,230\" bufferOpacity=\"1\" "
	        "bufferJoinStyle=\"128\"/>\n"
	        "      </text-style>\n"
	        "      <text-format wrapChar=\"|\" multilineAlign=\"0\" "
	        "plussign=\"0\" formatNumbers=\"0\"/>\n"
	        "      <placement placement=\"%d\" dist=\"1\" distUnits=\"MM\" "
	        "priority=\"5\"/>\n"
	        "      <rendering scaleVisibility=\"1\" scaleMin=\"0\" scaleMax=\"%d\" "
	        "obstacle=\"1\" drawLabels=\"1\" displayAll=\"0\"/>\n"
	        "    </settings>\n  </labeling>\n",
	        size, color, max_scale > 0 ? 0 : 1, max_scale > 0 ? max_scale : 0);
}

static void qml_end(FILE *f, int geometry_type, const alias *al, size_t nal, const char *display,
                    const char *maptip)
{
	fputs("  <aliases>\n", f);
	for (size_t i = 0; i < nal; i++)
		fprintf(f, "    <alias field=\"%s\" index=\"%zu\" name=\"%s\"/>\n", al[i].field,
		        i + 1, zh ? al[i].zh : al[i].name);
	fputs("  </aliases>\n", f);
	fputs("  <previewExpression>", f);
	put_xml(f, display);
	fputs("</previewExpression>\n  <mapTip>", f);
	put_xml(f, maptip);
	fputs("</mapTip>\n", f);
	fprintf(f, "  <layerGeometryType>%d</layerGeometryType>\n</qgis>\n", geometry_type);
}

static void prop(FILE *f, const char *k, const char *v)
{
	fprintf(f, "          <prop k=\"%s\" v=\"%s\"/>\n", k, v);
}

static void symbol_begin(FILE *f, const char *type, int name)
{
	fprintf(f,
	        "      <symbol type=\"%s\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" "
	        "force_rhr=\"0\">\n",
	        type, name);
}

static void symbol_end(FILE *f)
{
	fputs("      </symbol>\n", f);
}

/* <data_defined_properties> of a symbol layer: property keys[i] from
 * exprs[i] (skipped when NULL). Nothing is written when all are NULL. */
static void data_defined(FILE *f, const char *const *keys, const char *const *exprs, int n)
{
	int any = 0;
	for (int i = 0; i < n; i++)
		any |= exprs[i] != NULL;
	if (!any)
		return;
	fputs("          <data_defined_properties>\n"
	      "            <Option type=\"Map\">\n"
	      "              <Option type=\"QString\" name=\"name\" value=\"\"/>\n"
	      "              <Option type=\"Map\" name=\"properties\">\n",
	      f);
	for (int i = 0; i < n; i++) {
		if (!exprs[i])
			continue;
		fprintf(f,
		        "                <Option type=\"Map\" name=\"%s\">\n"
		        "                  <Option type=\"bool\" name=\"active\" "
		        "value=\"true\"/>\n"
		        "                  <Option type=\"QString\" name=\"expression\" "
		        "value=\"",
		        keys[i]);
		put_xml(f, exprs[i]);
		fputs("\"/>\n"
		      "                  <Option type=\"int\" name=\"type\" value=\"3\"/>\n"
		      "                </Option>\n",
		      f);
	}
	fputs("              </Option>\n"
	      "              <Option type=\"QString\" name=\"type\" value=\"collection\"/>\n"
	      "            </Option>\n"
	      "          </data_defined_properties>\n",
	      f);
}

/* A station marker: an underfilled station (field `underfilled` = 1) gets
 * a thick red outline instead of the white one. */
static void marker(FILE *f, int name, const char *shape, const char *color, const char *size)
{
	symbol_begin(f, "marker", name);
	fputs("        <layer class=\"SimpleMarker\" enabled=\"1\" locked=\"0\" pass=\"0\">\n", f);
	prop(f, "name", shape);
	prop(f, "color", color);
	prop(f, "outline_color", "255,255,255,255");
	prop(f, "outline_style", "solid");
	prop(f, "outline_width", "0.4");
	prop(f, "outline_width_unit", "MM");
	prop(f, "size", size);
	prop(f, "size_unit", "MM");
	prop(f, "scale_method", "diameter");
	const char *keys[2] = {"outlineColor", "outlineWidth"};
	const char *exprs[2] = {"if(\"underfilled\" = 1, '227,26,28,255', '255,255,255,255')",
	                        "if(\"underfilled\" = 1, 0.9, 0.4)"};
	data_defined(f, keys, exprs, 2);
	fputs("        </layer>\n", f);
	symbol_end(f);
}

/* A SimpleFill layer; `ddexpr` (NULL for none) data-defines its fill colour
 * and `ddoutline` its outline colour. */
static void fill_layer(FILE *f, const char *style, const char *color, const char *outline,
                       const char *outline_width, const char *ddfill, const char *ddoutline)
{
	fputs("        <layer class=\"SimpleFill\" enabled=\"1\" locked=\"0\" pass=\"0\">\n", f);
	prop(f, "style", style);
	prop(f, "color", color);
	prop(f, "outline_color", outline);
	prop(f, "outline_style", outline[0] ? "solid" : "no");
	prop(f, "outline_width", outline_width);
	prop(f, "outline_width_unit", "MM");
	prop(f, "joinstyle", "bevel");
	const char *keys[2] = {"fillColor", "outlineColor"};
	const char *exprs[2] = {ddfill, ddoutline};
	data_defined(f, keys, exprs, 2);
	fputs("        </layer>\n", f);
}

static void fill(FILE *f, int name, const char *color, const char *outline)
{
	symbol_begin(f, "fill", name);
	fill_layer(f, "solid", color, outline, "0.26", NULL, NULL);
	symbol_end(f);
}

/* A layer drawn with one symbol of `type` ("fill", "line"): the style's
 * opening, the renderer and the symbol's start; single_symbol_end() closes
 * the symbol and the renderer. */
static void single_symbol_begin(FILE *f, const char *type)
{
	qml_begin(f);
	fputs("  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" forceraster=\"0\" "
	      "enableorderby=\"0\">\n    <symbols>\n",
	      f);
	symbol_begin(f, type, 0);
}

static void single_symbol_end(FILE *f)
{
	symbol_end(f);
	fputs("    </symbols>\n  </renderer-v2>\n", f);
}

static void style_stations(FILE *f)
{
	static const alias al[] = {
	    {"station_id", "Station", "站点编号"},
	    {"kind", "Kind (urban / village / existing)", "站点类型（城市/村级/现有/保留）"},
	    {"district", "District", "区（县）"},
	    {"street", "Street / town", "街道（乡镇）"},
	    {"households", "Households served", "服务户数"},
	    {"units", "Units served", "服务社区（村）数"},
	    {"underfilled", "Below households_min (isolated units)", "未满负荷（单元孤立）"},
	    {"reason", "Why underfilled", "未满负荷原因"},
	    {"load_ratio", "Load (households / households_max)", "负荷率（户数/上限）"},
	    {"site_source", "Site origin", "选址来源"},
	    {"sub", "Sub-problem", "子问题"},
	    {"locked", "Locked (kept whatever happens)", "锁定（不得删除）"},
	};
	static const char *const kinds[4] = {"urban", "village", "existing", "kept"};
	const char *names[4] = {L("urban station", "城市站点"), L("village station", "村级站点"),
	                        L("existing station", "现有站点"),
	                        L("kept station (edited plan)", "保留站点（编辑后）")};
	qml_begin(f);
	fputs("  <renderer-v2 type=\"categorizedSymbol\" attr=\"kind\" symbollevels=\"0\" "
	      "forceraster=\"0\" enableorderby=\"0\">\n"
	      "    <categories>\n",
	      f);
	for (int k = 0; k < 4; k++)
		fprintf(f,
		        "      <category render=\"true\" symbol=\"%d\" value=\"%s\" "
		        "label=\"%s\"/>\n",
		        k, kinds[k], names[k]);
	fputs("    </categories>\n    <symbols>\n", f);
	marker(f, 0, "circle", "31,120,180,255", "3.4");
	marker(f, 1, "triangle", "51,160,44,255", "3.2");
	marker(f, 2, "square", "106,61,154,255", "3.0");
	marker(f, 3, "diamond", "255,127,0,255", "3.4");
	fputs("    </symbols>\n  </renderer-v2>\n", f);
	/* id and households beside each station, from 1:50,000 in */
	labels(f,
	       zh ? "\"station_id\" || '号 ' || \"households\" || '户'"
	          : "\"station_id\" || ': ' || \"households\" || ' hh'",
	       7, "40,40,40,255", 50000);
	qml_end(f, 0, al, sizeof(al) / sizeof(al[0]),
	        L("'station ' || \"station_id\" || ' (' || \"kind\" || ')'",
	          "'站点 ' || \"station_id\" || '（' || \"kind\" || '）'"),
	        L("[% 'station ' || \"station_id\" || ': ' || \"households\" || ' households, ' || "
	          "\"units\" || ' units' %]",
	          "[% '站点 ' || \"station_id\" || '：服务 ' || \"households\" || ' 户，' || "
	          "\"units\" || ' 个社区（村）' %]"));
}

/* Stations categorised by `phase` (the year they open; 0 existing), a
 * colour per phase from dark (first) to light (last). */
static void style_stations_phase(FILE *f, const plan *p)
{
	static const char *const colors[] = {"106,61,154,255", "8,48,107,255",    "33,113,181,255",
	                                     "66,146,198,255", "107,174,214,255", "158,202,225,255",
	                                     "198,219,239,255"};
	static const alias al[] = {
	    {"phase", "Phase (year it opens; 0 existing)", "期次（开通年份，0 为现有）"},
	    {"station_id", "Station", "站点编号"},
	    {"kind", "Kind", "类型"},
	    {"households", "Households served", "服务户数"}};
	qml_begin(f);
	fputs("  <renderer-v2 type=\"categorizedSymbol\" attr=\"phase\" symbollevels=\"0\" "
	      "forceraster=\"0\" enableorderby=\"0\">\n    <categories>\n",
	      f);
	for (size_t i = 0; i < p->nphases; i++)
		fprintf(f,
		        "      <category render=\"true\" symbol=\"%zu\" value=\"%d\" "
		        "label=\"%s%d\"/>\n",
		        i, p->phases[i].year, p->phases[i].year ? "by " : "existing (",
		        p->phases[i].year);
	fputs("    </categories>\n    <symbols>\n", f);
	for (size_t i = 0; i < p->nphases; i++)
		marker(f, (int)i, "circle", colors[i < 7 ? i : 6], "3.4");
	fputs("    </symbols>\n  </renderer-v2>\n", f);
	qml_end(f, 0, al, sizeof(al) / sizeof(al[0]),
	        "'station ' || \"station_id\" || ' (' || \"phase\" || ')'",
	        "[% 'station ' || \"station_id\" || ': opens ' || \"phase\" || ', ' || "
	        "\"households\" || ' households' %]");
}

static void style_service_areas(FILE *f)
{
	static const alias al[] = {
	    {"station_id", "Station", "站点编号"},
	    {"kind", "Station kind", "站点类型"},
	    {"district", "District", "区（县）"},
	    {"street", "Street / town", "街道（乡镇）"},
	    {"households", "Households served", "服务户数"},
	    {"units", "Units served", "服务社区（村）数"},
	};
	single_symbol_begin(f, "fill");
	fill_layer(f, "solid", "166,206,227,90", "31,120,180,255", "0.7",
	           "color_hsla((\"station_id\" * 137) % 360, 70, 60, 90)",
	           "color_hsla((\"station_id\" * 137) % 360, 80, 35, 255)");
	single_symbol_end(f);
	qml_end(
	    f, 2, al, sizeof(al) / sizeof(al[0]),
	    L("'area of station ' || \"station_id\"", "'站点 ' || \"station_id\" || ' 服务范围'"),
	    L("[% 'station ' || \"station_id\" || ': ' || \"households\" || ' households' %]",
	      "[% '站点 ' || \"station_id\" || '：' || \"households\" || ' 户' %]"));
}

static void style_assignments(FILE *f, double walk_m)
{
	static const alias al[] = {
	    {"unit_id", "Unit id", "单元编码"},
	    {"name", "Name", "名称"},
	    {"unit_kind", "Unit kind (urban / rural)", "单元类型（城市/农村）"},
	    {"district", "District", "区（县）"},
	    {"street", "Street / town", "街道（乡镇）"},
	    {"station_id", "Served by station", "服务站点编号"},
	    {"households", "Households served by that station", "该站点服务户数"},
	    {"distance_m", "Walking distance (m)", "步行距离（米）"},
	    {"unit_households", "Households of the unit", "单元总户数"},
	    {"split", "Split over several stations", "由多个站点分担"},
	    {"point_unit", "Point unit (drawn as circle)", "点状单元（以圆表示）"},
	};
	static const char *const colors[4] = {"26,150,65,110", "166,217,106,110", "253,174,97,110",
	                                      "215,25,28,160"};
	double bounds[5] = {0, walk_m * 0.5, walk_m * 0.75, walk_m, 1e12};
	qml_begin(f);
	fputs("  <renderer-v2 type=\"graduatedSymbol\" attr=\"distance_m\" "
	      "graduatedMethod=\"GraduatedColor\" symbollevels=\"0\" forceraster=\"0\" "
	      "enableorderby=\"0\">\n    <ranges>\n",
	      f);
	for (int i = 0; i < 4; i++) {
		char label[96];
		if (i < 3)
			snprintf(label, sizeof(label), L("%.0f - %.0f m", "%.0f - %.0f 米"),
			         bounds[i], bounds[i + 1]);
		else
			snprintf(label, sizeof(label),
			         L("over %.0f m (beyond walk_distance_m)",
			           "超过 %.0f 米（超出步行距离）"),
			         bounds[3]);
		fprintf(f,
		        "      <range render=\"true\" symbol=\"%d\" lower=\"%.6f\" upper=\"%.6f\" "
		        "label=\"%s\"/>\n",
		        i, bounds[i], bounds[i + 1], label);
	}
	fputs("    </ranges>\n    <symbols>\n", f);
	for (int i = 0; i < 4; i++)
		fill(f, i, colors[i], "90,90,90,200");
	fputs("    </symbols>\n  </renderer-v2>\n", f);
	qml_end(f, 2, al, sizeof(al) / sizeof(al[0]), "\"name\" || ' (' || \"unit_id\" || ')'",
	        "[% \"name\" || ': station ' || \"station_id\" || ', ' || round(\"distance_m\") || "
	        "' m' %]");
}

static void style_links(FILE *f)
{
	static const alias al[] = {
	    {"unit_id", "Unit id", "单元编码"},
	    {"station_id", "Station", "站点编号"},
	    {"households", "Households", "户数"},
	    {"distance_m", "Walking distance (m)", "步行距离（米）"},
	};
	single_symbol_begin(f, "line");
	fputs("        <layer class=\"SimpleLine\" enabled=\"1\" locked=\"0\" pass=\"0\">\n", f);
	prop(f, "line_color", "60,60,60,230");
	prop(f, "line_style", "solid");
	prop(f, "line_width", "0.3");
	prop(f, "line_width_unit", "MM");
	prop(f, "capstyle", "round");
	fputs("        </layer>\n", f);
	single_symbol_end(f);
	qml_end(f, 1, al, sizeof(al) / sizeof(al[0]),
	        "\"unit_id\" || ' -> station ' || \"station_id\"",
	        "[% round(\"distance_m\") || ' m' %]");
}

static void style_uncovered(FILE *f)
{
	static const alias al[] = {
	    {"unit_id", "Unit id", "单元编码"},
	    {"name", "Name", "名称"},
	    {"unit_kind", "Unit kind", "单元类型"},
	    {"district", "District", "区（县）"},
	    {"street", "Street / town", "街道（乡镇）"},
	    {"households", "Households not served", "未覆盖户数"},
	    {"nearest_m", "Nearest candidate site (m)", "最近候选点距离（米）"},
	    {"reason", "Why not served", "未覆盖原因"},
	    {"point_unit", "Point unit (drawn as circle)", "点状单元（以圆表示）"},
	};
	single_symbol_begin(f, "fill");
	fill_layer(f, "solid", "227,26,28,50", "", "0", NULL, NULL);
	fill_layer(f, "b_diagonal", "227,26,28,255", "227,26,28,255", "0.6", NULL, NULL);
	single_symbol_end(f);
	qml_end(f, 2, al, sizeof(al) / sizeof(al[0]), "\"name\" || ' (' || \"unit_id\" || ')'",
	        "[% \"name\" || ': ' || \"reason\" %]");
}

static void style_districts(FILE *f)
{
	static const alias al[] = {
	    {"district", "District", "区（县）"},
	    {"units", "Communities and villages", "社区（村）数"},
	    {"households", "Households", "户数"},
	    {"stations", "Stations", "站点数"},
	};
	single_symbol_begin(f, "fill");
	fill_layer(f, "no", "0,0,0,0", "40,40,40,255", "0.9", NULL, NULL);
	single_symbol_end(f);
	labels(f, "\"district\"", 11, "20,20,20,255", 0);
	qml_end(f, 2, al, sizeof(al) / sizeof(al[0]), "\"district\"",
	        L("[% \"district\" || ': ' || \"stations\" || ' stations, ' || \"households\" || "
	          "' households' %]",
	          "[% \"district\" || '：' || \"stations\" || ' 个站点，' || \"households\" || ' "
	          "户' %]"));
}

/* The styled layers, in the order their rows are written. */
enum { NSTYLED = 6 };
static const char *const styled_layer[NSTYLED] = {"stations", "service_areas", "assignments",
                                                  "links",    "uncovered",     "districts"};
static const char *const styled_desc[NSTYLED] = {
    "stationplan: stations by kind",       "stationplan: one colour per station",
    "stationplan: walking distance",       "stationplan: unit to station",
    "stationplan: uncovered units in red", "stationplan: district boundaries"};

/* QML of layer i, malloc'd; NULL out of memory. */
static char *style_qml(int i, double walk_m)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	switch (i) {
	case 0:
		style_stations(f);
		break;
	case 1:
		style_service_areas(f);
		break;
	case 2:
		style_assignments(f, walk_m);
		break;
	case 3:
		style_links(f);
		break;
	case 4:
		style_uncovered(f);
		break;
	default:
		style_districts(f);
		break;
	}
	fclose(f);
	return buf;
}

/* Columns exactly as QGIS creates layer_styles (name, type, width). */
static const struct {
	const char *name;
	OGRFieldType type;
	int width;
} style_cols[] = {
    {"f_table_catalog", OFTString, 256},
    {"f_table_schema", OFTString, 256},
    {"f_table_name", OFTString, 256},
    {"f_geometry_column", OFTString, 256},
    {"styleName", OFTString, 30},
    {"styleQML", OFTString, 0},
    {"styleSLD", OFTString, 0},
    {"useAsDefault", OFTInteger, 0},
    {"description", OFTString, 0},
    {"owner", OFTString, 30},
    {"ui", OFTString, 30},
    {"update_time", OFTDateTime, 0},
};

static OGRLayerH styles_create(gpkg_writer *w, const char *description)
{
	char **opts = NULL;
	opts = CSLSetNameValue(opts, "FID", "id");
	opts = CSLSetNameValue(opts, "ASPATIAL_VARIANT", "GPKG_ATTRIBUTES");
	opts = CSLSetNameValue(opts, "DESCRIPTION", description);
	OGRLayerH l = GDALDatasetCreateLayer(w->ds, "layer_styles", NULL, wkbNone, opts);
	CSLDestroy(opts);
	if (!l) {
		gdal_fail(w->st, STATUS_INTERNAL, "'%s': cannot create layer 'layer_styles'",
		          w->path);
		return NULL;
	}
	for (size_t i = 0; i < sizeof(style_cols) / sizeof(style_cols[0]); i++) {
		OGRFieldDefnH fd = OGR_Fld_Create(style_cols[i].name, style_cols[i].type);
		OGR_Fld_SetWidth(fd, style_cols[i].width);
		if (!strcmp(style_cols[i].name, "useAsDefault"))
			OGR_Fld_SetSubType(fd, OFSTBoolean);
		if (style_cols[i].type == OFTDateTime)
			OGR_Fld_SetDefault(fd, "CURRENT_TIMESTAMP");
		OGRErr e = OGR_L_CreateField(l, fd, TRUE);
		OGR_Fld_Destroy(fd);
		if (e != OGRERR_NONE) {
			gdal_fail(w->st, STATUS_INTERNAL,
			          "'%s': layer 'layer_styles': cannot create field '%s'", w->path,
			          style_cols[i].name);
			return NULL;
		}
	}
	return l;
}

status_code gpkg_styles_write_rows(gpkg_writer *w, const char *description, const gpkg_style *rows,
                                   size_t n)
{
	return gpkg_styles_write_named(w, description, rows, NULL, NULL, n);
}

status_code gpkg_styles_write_named(gpkg_writer *w, const char *description, const gpkg_style *rows,
                                    const char *const *names, const int *alt, size_t n)
{
	status_code rc;
	OGRLayerH l = styles_create(w, description);
	if (!l)
		return w->st->code;
	if ((rc = gpkg_table_begin(w, "layer_styles")) != STATUS_OK)
		return rc;
	for (size_t i = 0; i < n && rc == STATUS_OK; i++) {
		OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
		OGR_F_SetFieldString(f, 0, "");
		OGR_F_SetFieldString(f, 1, "");
		OGR_F_SetFieldString(f, 2, rows[i].layer);
		OGR_F_SetFieldString(f, 3, "geom");
		OGR_F_SetFieldString(f, 4, names && names[i] ? names[i] : rows[i].layer);
		OGR_F_SetFieldString(f, 5, rows[i].qml);
		OGR_F_SetFieldString(f, 6, "");
		OGR_F_SetFieldInteger(f, 7, !(alt && alt[i]));
		OGR_F_SetFieldString(f, 8, rows[i].description);
		OGR_F_SetFieldString(f, 9, "");
		OGR_F_SetFieldNull(f, 10);
		/* fixed, so that two runs give the same bytes */
		OGR_F_SetFieldDateTimeEx(f, 11, 2000, 1, 1, 0, 0, 0.0f, 100);
		rc = gpkg_table_write(w, l, f, (long long)i + 1);
		OGR_F_Destroy(f);
	}
	return rc == STATUS_OK ? gpkg_table_commit(w, "layer_styles") : rc;
}

char *gpkg_styles_qml(const gpkg_writer *w, const char *layer)
{
	for (int i = 0; i < NSTYLED; i++) {
		if (strcmp(styled_layer[i], layer))
			continue;
		zh = w->sc->lang == SCENARIO_LANG_ZH;
		char *q = style_qml(i, w->sc->walk_distance_m);
		zh = 0;
		return q;
	}
	return NULL;
}

status_code gpkg_write_styles(gpkg_writer *w)
{
	gpkg_style rows[NSTYLED + GPKG_LEVELS_MAX_STYLES + 1];
	const char *names[NSTYLED + GPKG_LEVELS_MAX_STYLES + 1] = {0};
	int alt[NSTYLED + GPKG_LEVELS_MAX_STYLES + 1] = {0};
	status_code rc = STATUS_OK;
	int n = 0;
	zh = w->sc->lang == SCENARIO_LANG_ZH;
	for (; n < NSTYLED; n++) {
		rows[n] = (gpkg_style){styled_layer[n], styled_desc[n],
		                       style_qml(n, w->sc->walk_distance_m)};
		if (!rows[n].qml) {
			rc = status_fail(w->st, STATUS_INTERNAL, "out of memory");
			break;
		}
	}
	size_t nl = rc == STATUS_OK ? gpkg_levels_styles(w, rows + n, GPKG_LEVELS_MAX_STYLES) : 0;
	if (nl == (size_t)-1)
		rc = status_fail(w->st, STATUS_INTERNAL, "out of memory");
	else
		n += (int)nl;
	if (rc == STATUS_OK && w->p->nphases > 0) { /* phased plan: stations by phase first */
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		if (f) {
			style_stations_phase(f, w->p);
			fclose(f);
		}
		if (!buf)
			rc = status_fail(w->st, STATUS_INTERNAL, "out of memory");
		else {
			alt[0] = 1;
			names[0] = "stations by kind";
			names[n] = "stations by phase";
			rows[n++] = (gpkg_style){"stations", "stationplan: stations by phase", buf};
		}
	}
	if (rc == STATUS_OK)
		rc = gpkg_styles_write_named(
		    w, "QGIS styles of the layers (QML), loaded by QGIS as their default", rows,
		    names, alt, (size_t)n);
	for (int i = 0; i < n; i++)
		free(rows[i].qml);
	zh = 0;
	return rc;
}
