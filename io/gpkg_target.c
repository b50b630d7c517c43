/*
 * gpkg_target.c: where and in which format a plan may be written, decided
 * before any work (issue 14 row 12).
 *
 * The format follows ogr2ogr: `-of NAME` when given, else the driver whose
 * extension the target has, and GeoPackage when it has none. The plan is
 * several layers, some without geometry, plus QGIS styles in a
 * `layer_styles` table: only a GeoPackage holds all of that, so any other
 * format is refused by name. Three targets are refused whatever the
 * format: `-` (a GeoPackage cannot be streamed), GDAL virtual paths
 * (/vsizip/...: no atomic rename, a failure would leave a half-made
 * archive) and connection strings (gpkg_target_connection, one separate
 * check, to be replaced when PostGIS output exists).
 */
#include <string.h>
#include <strings.h>

#include <gdal.h>

#include "gpkg_int.h"
#include "io_int.h"

status_code gpkg_target_connection(const char *path, status *st)
{
	if (strncmp(path, "/vsi", 4) && scenario_path_is_connection(path))
		return status_fail(st, STATUS_USAGE,
		                   "'%s': writing the plan to a database or connection string is "
		                   "not supported; name a .gpkg file",
		                   path);
	return STATUS_OK;
}

status_code gpkg_target_where(const char *path, status *st)
{
	if (!strcmp(path, "-"))
		return status_fail(st, STATUS_USAGE,
		                   "'-': a GeoPackage cannot be written to standard output; name a "
		                   ".gpkg file");
	if (!strncmp(path, "/vsi", 4))
		return status_fail(st, STATUS_USAGE,
		                   "'%s': GDAL virtual file systems cannot be written atomically; "
		                   "write a plain .gpkg file (and zip it afterwards)",
		                   path);
	return gpkg_target_connection(path, st);
}

/* 1 when the space-separated list `exts` holds `ext` (any case). */
static int ext_listed(const char *exts, const char *ext)
{
	size_t n = strlen(ext);
	for (const char *s = exts; s && *s;) {
		size_t len = strcspn(s, " ");
		if (len == n && !strncasecmp(s, ext, n))
			return 1;
		s += len;
		s += strspn(s, " ");
	}
	return 0;
}

/* The vector driver ogr2ogr would pick for extension `ext`: one that can
 * create files first, NULL when none knows the extension. */
static GDALDriverH driver_for_ext(const char *ext)
{
	GDALDriverH found = NULL;
	for (int i = 0; i < GDALGetDriverCount(); i++) {
		GDALDriverH d = GDALGetDriver(i);
		if (!GDALGetMetadataItem(d, GDAL_DCAP_VECTOR, NULL))
			continue;
		const char *one = GDALGetMetadataItem(d, GDAL_DMD_EXTENSION, NULL);
		const char *many = GDALGetMetadataItem(d, GDAL_DMD_EXTENSIONS, NULL);
		if (!ext_listed(one, ext) && !ext_listed(many, ext))
			continue;
		if (GDALGetMetadataItem(d, GDAL_DCAP_CREATE, NULL))
			return d;
		if (!found)
			found = d;
	}
	return found;
}

status_code gpkg_target_format(const char *path, const char *format, status *st)
{
	gdal_bridge_init();
	GDALDriverH d = NULL;
	char how[300];
	if (format && *format) {
		if (!(d = GDALGetDriverByName(format)))
			return status_fail(st, STATUS_USAGE, "-of '%s': no such GDAL format",
			                   format);
		snprintf(how, sizeof(how), "-of %s", format);
	} else {
		const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
		const char *dot = strrchr(base, '.');
		if (!dot || dot == base || !dot[1])
			return STATUS_OK; /* no extension: GeoPackage */
		if (!(d = driver_for_ext(dot + 1)))
			return status_fail(st, STATUS_USAGE,
			                   "'%s': no vector format has the extension '%s'; name a "
			                   ".gpkg file or add -of GPKG",
			                   path, dot);
		snprintf(how, sizeof(how), "the extension '%s'", dot);
	}
	if (!strcasecmp(GDALGetDriverShortName(d), "GPKG"))
		return STATUS_OK;
	return status_fail(st, STATUS_USAGE,
	                   "'%s': the %s format (%s) cannot hold the plan's layers (several "
	                   "layers, tables without geometry, QGIS styles); name a .gpkg file",
	                   path, GDALGetDriverShortName(d), how);
}
