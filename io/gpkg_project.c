/*
 * gpkg_project.c: a QGIS project stored inside the plan's GeoPackage, so
 * that Project → Open From → GeoPackage shows the plan ready to print:
 * every layer of the file, styled (the same QML as layer_styles), in a
 * sensible order (stations on top, then links, uncovered units, district
 * boundaries, service areas, assignments, then any other map layer, then the tables), the
 * project CRS and the plan's extent.
 *
 * QGIS keeps such projects in a table `qgis_projects(name TEXT PRIMARY KEY,
 * metadata BLOB, content BLOB)`: content is the .qgz archive (a zip holding
 * <name>.qgs) written as hexadecimal text, metadata a small JSON object. The
 * project is named "stationplan"; its layers point at the file by a
 * relative path ("./<file name>|layername=..."), which QGIS resolves
 * against the GeoPackage's own folder: the project follows the file when it
 * is moved, but not when it is renamed. The zip is built with GDAL's CPL
 * zip writer (fixed timestamps) and the metadata time is fixed, so the file
 * stays reproducible.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_vsi.h>

#include "gpkg_int.h"
#include "io_int.h"

#define PROJECT_NAME "stationplan"

/* Known layers, top of the layer tree first, with their names in both
 * languages and whether they are shown when the project opens. */
static const struct {
	const char *layer, *en, *zh;
	int visible;
} known[] = {
    {"stations", "Stations", "站点", 1},
    {"links", "Unit-station links", "单元至站点连线", 1},
    {"uncovered", "Uncovered units", "未覆盖单元", 1},
    {"districts", "District boundaries", "区（县）界", 1},
    {"service_areas", "Service areas", "站点服务范围", 1},
    {"assignments", "Units by station", "社区（村）分配", 0},
    {"summary_district", "Stations per district", "区县汇总", 1},
    {"summary_street", "Stations per street", "街道汇总", 1},
    {"run", "Run record", "运行记录", 1},
};
#define NKNOWN (sizeof(known) / sizeof(known[0]))

static void put_xml(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
	}
}

static void srs_xml(FILE *f, OGRSpatialReferenceH srs)
{
	char *wkt = NULL;
	const char *auth = srs ? OSRGetAuthorityName(srs, NULL) : NULL;
	const char *code = srs ? OSRGetAuthorityCode(srs, NULL) : NULL;
	if (srs)
		OSRExportToWkt(srs, &wkt);
	fputs("<spatialrefsys nativeFormat=\"Wkt\"><wkt>", f);
	put_xml(f, wkt ? wkt : "");
	fputs("</wkt>", f);
	if (auth && code)
		fprintf(f, "<authid>%s:%s</authid>", auth, code);
	fputs("</spatialrefsys>", f);
	CPLFree(wkt);
}

/* The layers to list, in tree order: known ones first, then the others in
 * file order, never layer_styles. Returns the count; names borrowed from
 * GDAL or the table above. */
static size_t layer_order(GDALDatasetH ds, const char **names, size_t cap)
{
	size_t n = 0;
	for (size_t k = 0; k < NKNOWN && n < cap; k++)
		if (GDALDatasetGetLayerByName(ds, known[k].layer))
			names[n++] = known[k].layer;
	int nl = GDALDatasetGetLayerCount(ds);
	for (int i = 0; i < nl && n < cap; i++) {
		const char *name = OGR_L_GetName(GDALDatasetGetLayer(ds, i));
		int listed = !strcmp(name, "layer_styles");
		for (size_t k = 0; k < n && !listed; k++)
			listed = !strcmp(names[k], name);
		if (!listed)
			names[n++] = name;
	}
	return n;
}

static int known_index(const char *layer)
{
	for (size_t k = 0; k < NKNOWN; k++)
		if (!strcmp(known[k].layer, layer))
			return (int)k;
	return -1;
}

static const char *geometry_word(OGRLayerH l)
{
	switch (wkbFlatten(OGR_L_GetGeomType(l))) {
	case wkbPoint:
	case wkbMultiPoint:
		return "Point";
	case wkbLineString:
	case wkbMultiLineString:
		return "Line";
	case wkbPolygon:
	case wkbMultiPolygon:
		return "Polygon";
	default:
		return "No geometry";
	}
}

/* The body of a QML document (between <qgis ...> and </qgis>). */
static void qml_body(FILE *f, const char *qml)
{
	const char *start = strstr(qml, "<qgis ");
	start = start ? strchr(start, '>') : NULL;
	const char *end = strstr(qml, "</qgis>");
	if (start && end && end > start)
		fwrite(start + 1, 1, (size_t)(end - start - 1), f);
}

/* The .qgs document, malloc'd; NULL out of memory. */
static char *project_xml(gpkg_writer *w, const char *base)
{
	const char *names[64];
	size_t n = layer_order(w->ds, names, 64);
	int zh = w->sc->lang == SCENARIO_LANG_ZH;
	OGREnvelope all = {0, 0, 0, 0};
	int have = 0;
	for (size_t i = 0; i < n; i++) {
		OGRLayerH l = GDALDatasetGetLayerByName(w->ds, names[i]);
		OGREnvelope e;
		if (wkbFlatten(OGR_L_GetGeomType(l)) == wkbNone ||
		    OGR_L_GetExtent(l, &e, TRUE) != OGRERR_NONE)
			continue;
		if (!have)
			all = e;
		all.MinX = e.MinX < all.MinX ? e.MinX : all.MinX;
		all.MinY = e.MinY < all.MinY ? e.MinY : all.MinY;
		all.MaxX = e.MaxX > all.MaxX ? e.MaxX : all.MaxX;
		all.MaxY = e.MaxY > all.MaxY ? e.MaxY : all.MaxY;
		have = 1;
	}
	double padx = (all.MaxX - all.MinX) * 0.05, pady = (all.MaxY - all.MinY) * 0.05;
	char *buf;
	size_t len;
	FILE *f = gpkg_qgis_open(&buf, &len);
	if (!f)
		return NULL;
	fprintf(f, "<qgis projectname=\"%s\" version=\"3.22.16-Białowieża\">\n  <title>",
	        zh ? "再生资源回收站点布局规划" : "Recycling station plan");
	put_xml(f, base);
	fputs("</title>\n  <projectCrs>", f);
	srs_xml(f, w->srs);
	fputs("</projectCrs>\n  <layer-tree-group>\n    <customproperties/>\n", f);
	for (size_t i = 0; i < n; i++) {
		int k = known_index(names[i]);
		const char *title = k >= 0 ? (zh ? known[k].zh : known[k].en) : names[i];
		fprintf(f, "    <layer-tree-layer id=\"stationplan_%s\" name=\"", names[i]);
		put_xml(f, title);
		fprintf(f,
		        "\" source=\"./%s|layername=%s\" providerKey=\"ogr\" checked=\"%s\" "
		        "expanded=\"1\"><customproperties/></layer-tree-layer>\n",
		        base, names[i],
		        k < 0 || known[k].visible ? "Qt::Checked" : "Qt::Unchecked");
	}
	fputs("  </layer-tree-group>\n", f);
	char ext[256];
	snprintf(ext, sizeof(ext), "xmin=\"%.3f\" ymin=\"%.3f\" xmax=\"%.3f\" ymax=\"%.3f\"",
	         all.MinX - padx, all.MinY - pady, all.MaxX + padx, all.MaxY + pady);
	fprintf(f,
	        "  <mapcanvas name=\"theMapCanvas\" annotationsVisible=\"1\">\n"
	        "    <units>%s</units>\n"
	        "    <extent><xmin>%.3f</xmin><ymin>%.3f</ymin><xmax>%.3f</xmax>"
	        "<ymax>%.3f</ymax></extent>\n    <rotation>0</rotation>\n    <destinationsrs>",
	        OSRIsGeographic(w->srs) ? "degrees" : "meters", all.MinX - padx, all.MinY - pady,
	        all.MaxX + padx, all.MaxY + pady);
	srs_xml(f, w->srs);
	fprintf(f,
	        "</destinationsrs>\n  </mapcanvas>\n"
	        "  <ProjectViewSettings UseProjectScales=\"0\" rotation=\"0\">\n"
	        "    <Scales/>\n    <DefaultViewExtent %s>",
	        ext);
	srs_xml(f, w->srs);
	fputs("</DefaultViewExtent>\n  </ProjectViewSettings>\n  <projectlayers>\n", f);
	for (size_t i = 0; i < n; i++) {
		OGRLayerH l = GDALDatasetGetLayerByName(w->ds, names[i]);
		int k = known_index(names[i]);
		char *qml = gpkg_styles_qml(w, names[i]);
		fprintf(f,
		        "    <maplayer type=\"vector\" geometry=\"%s\" labelsEnabled=\"%d\" "
		        "styleCategories=\"AllStyleCategories\" hasScaleBasedVisibilityFlag=\"0\" "
		        "minScale=\"100000000\" maxScale=\"0\" readOnly=\"0\">\n"
		        "      <id>stationplan_%s</id>\n      "
		        "<datasource>./%s|layername=%s</datasource>\n"
		        "      <layername>",
		        geometry_word(l), qml && strstr(qml, "<labeling") ? 1 : 0, names[i], base,
		        names[i]);
		put_xml(f, k >= 0 ? (zh ? known[k].zh : known[k].en) : names[i]);
		fputs("</layername>\n      <srs>", f);
		srs_xml(f, w->srs);
		fputs("</srs>\n      <provider encoding=\"UTF-8\">ogr</provider>\n", f);
		if (qml)
			qml_body(f, qml);
		free(qml);
		fputs("    </maplayer>\n", f);
	}
	fputs("  </projectlayers>\n  <layerorder>\n", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "    <layer id=\"stationplan_%s\"/>\n", names[i]);
	fputs("  </layerorder>\n  <properties>\n    <Paths>\n"
	      "      <Absolute type=\"bool\">false</Absolute>\n    </Paths>\n  </properties>\n"
	      "</qgis>\n",
	      f);
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The .qgz (zip of NAME.qgs) of `xml` as lower-case hex, malloc'd. */
static char *qgz_hex(const char *xml)
{
	char mem[64];
	snprintf(mem, sizeof(mem), "/vsimem/stationplan-project-%p.qgz", (const void *)xml);
	void *z = CPLCreateZip(mem, NULL);
	if (!z)
		return NULL;
	int ok = CPLCreateFileInZip(z, PROJECT_NAME ".qgs", NULL) == CE_None &&
	         CPLWriteFileInZip(z, xml, (int)strlen(xml)) == CE_None &&
	         CPLCloseFileInZip(z) == CE_None;
	ok &= CPLCloseZip(z) == CE_None;
	vsi_l_offset n = 0;
	GByte *bytes = ok ? VSIGetMemFileBuffer(mem, &n, FALSE) : NULL;
	char *hex = bytes ? malloc((size_t)n * 2 + 1) : NULL;
	for (vsi_l_offset i = 0; hex && i < n; i++)
		sprintf(hex + 2 * i, "%02x", bytes[i]);
	if (hex)
		hex[2 * n] = '\0';
	VSIUnlink(mem);
	return hex;
}

status_code gpkg_write_project(gpkg_writer *w)
{
	/* only QGIS's GeoPackage project storage reads qgis_projects */
	GDALDriverH drv = GDALGetDatasetDriver(w->ds);
	if (!drv || strcmp(GDALGetDriverShortName(drv), "GPKG"))
		return STATUS_OK;
	const char *slash = strrchr(w->path, '/');
	const char *base = slash ? slash + 1 : w->path;
	char *xml = project_xml(w, base);
	char *hex = xml ? qgz_hex(xml) : NULL;
	free(xml);
	if (!hex)
		return status_fail(w->st, STATUS_INTERNAL, "'%s': cannot build the QGIS project",
		                   w->path);
	static const char create[] =
	    "CREATE TABLE qgis_projects(name TEXT PRIMARY KEY, metadata BLOB, content BLOB)";
	size_t len = strlen(hex) + 256;
	char *sql = malloc(len);
	if (!sql) {
		free(hex);
		return status_fail(w->st, STATUS_INTERNAL, "out of memory");
	}
	/* metadata time fixed: the same inputs give the same bytes */
	snprintf(sql, len,
	         "INSERT INTO qgis_projects VALUES ('%s', '{\"last_modified_time\": "
	         "\"2000-01-01T00:00:00\", \"last_modified_user\": \"stationplan\" }', '%s')",
	         PROJECT_NAME, hex);
	free(hex);
	CPLErrorReset();
	GDALDatasetExecuteSQL(w->ds, create, NULL, NULL);
	status_code rc = STATUS_OK;
	if (CPLGetLastErrorType() >= CE_Failure)
		rc = gdal_fail(w->st, STATUS_INTERNAL, "'%s': cannot create table 'qgis_projects'",
		               w->path);
	if (rc == STATUS_OK) {
		GDALDatasetExecuteSQL(w->ds, sql, NULL, NULL);
		if (CPLGetLastErrorType() >= CE_Failure)
			rc = gdal_fail(w->st, STATUS_INTERNAL,
			               "'%s': cannot store the QGIS project in 'qgis_projects'",
			               w->path);
	}
	free(sql);
	return rc;
}
