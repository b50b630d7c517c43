/*
 * read_source.c: opening a vector source the user named and picking its
 * layer, with messages that say what is there instead ("no layer 'x'
 * (layers: a, b)"), plus the field and text helpers every reader shares.
 *
 * Any source GDAL opens is accepted: GeoPackage, Shapefile, GeoJSON,
 * FlatGeobuf, PG:... connection strings. Open options ("ENCODING=CP936")
 * are passed through to GDALOpenEx.
 *
 * A layer name that starts with SELECT or WITH (any case) is SQL run on the
 * source (GDALDatasetExecuteSQL: the database's own SQL for PG:, OGR SQL or
 * SQLite SQL for files), e.g. `units_layer = SELECT * FROM city.units WHERE
 * district = 'A'`. Such a result layer must be handed back with
 * read_source_close(), which every reader uses instead of GDALClose.
 */
#include "io_int.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cpl_string.h>

static void layer_names(GDALDatasetH ds, char *buf, size_t bufsize)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < GDALDatasetGetLayerCount(ds) && n < bufsize; i++)
		n += (size_t)snprintf(buf + n, bufsize - n, "%s%s", i ? ", " : "",
		                      OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
}

/* The SQL result layers handed out and not yet closed (reading is
 * single-threaded; a few sources are open at once at most). */
#define SQL_OPEN_MAX 8
static struct {
	GDALDatasetH ds;
	OGRLayerH lyr;
} sql_open[SQL_OPEN_MAX];

static int is_sql(const char *layer)
{
	while (*layer == ' ' || *layer == '\t' || *layer == '\n')
		layer++;
	return !strncasecmp(layer, "select", 6) || !strncasecmp(layer, "with", 4);
}

static OGRLayerH run_sql(const char *key, const char *path, const char *sql, GDALDatasetH ds,
                         status *st)
{
	size_t i = 0;
	while (i < SQL_OPEN_MAX && sql_open[i].ds)
		i++;
	CPLErrorReset();
	OGRLayerH lyr = i < SQL_OPEN_MAX ? GDALDatasetExecuteSQL(ds, sql, NULL, NULL) : NULL;
	if (!lyr) {
		const char *why = gdal_last_msg();
		status_problem_add(st, SEV_ERROR, "file", "%s = %s: the SQL layer failed%s%s", key,
		                   path, *why ? ": " : "", why);
		return NULL;
	}
	sql_open[i].ds = ds;
	sql_open[i].lyr = lyr;
	return lyr;
}

void read_source_close(GDALDatasetH ds, OGRLayerH lyr)
{
	if (!ds)
		return;
	for (size_t i = 0; i < SQL_OPEN_MAX; i++)
		if (sql_open[i].ds == ds && (!lyr || sql_open[i].lyr == lyr)) {
			GDALDatasetReleaseResultSet(ds, sql_open[i].lyr);
			sql_open[i].ds = NULL;
			sql_open[i].lyr = NULL;
		}
	GDALClose(ds);
}

int read_source_open(const char *key, const char *path, const char *layer, const char *open_options,
                     GDALDatasetH *ds, OGRLayerH *lyr, status *st)
{
	struct stat sb;
	char names[512];
	*ds = NULL;
	*lyr = NULL;
	if (!scenario_path_is_connection(path) && stat(path, &sb) != 0) {
		status_problem_add(st, SEV_ERROR, "file", "%s = %s: no such file", key, path);
		return -1;
	}
	char **opts =
	    open_options && *open_options
	        ? CSLTokenizeString2(open_options, ",", CSLT_STRIPLEADSPACES | CSLT_STRIPENDSPACES)
	        : NULL;
	CPLErrorReset();
	*ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, (const char *const *)opts,
	                 NULL);
	CSLDestroy(opts);
	if (!*ds) {
		const char *why = gdal_last_msg();
		status_problem_add(st, SEV_ERROR, "file",
		                   "%s = %s: not a vector source GDAL can open%s%s", key, path,
		                   *why ? ": " : "", why);
		return -1;
	}
	int nlayers = GDALDatasetGetLayerCount(*ds);
	if (layer && *layer && is_sql(layer)) {
		*lyr = run_sql(key, path, layer, *ds, st);
	} else if (layer && *layer) {
		*lyr = GDALDatasetGetLayerByName(*ds, layer);
		if (!*lyr) {
			layer_names(*ds, names, sizeof(names));
			status_problem_add(st, SEV_ERROR, "file", "%s: no layer '%s' (layers: %s)",
			                   path, layer, *names ? names : "none");
		}
	} else if (nlayers == 1) {
		*lyr = GDALDatasetGetLayer(*ds, 0);
	} else {
		layer_names(*ds, names, sizeof(names));
		status_problem_add(st, SEV_ERROR, "file",
		                   "%s: %d layers (%s), name one with %s_layer", path, nlayers,
		                   names, key);
	}
	if (!*lyr) {
		GDALClose(*ds);
		*ds = NULL;
		return -1;
	}
	return 0;
}

void *read_source_rows(OGRLayerH lyr, size_t size, GIntBig *n)
{
	*n = OGR_L_GetFeatureCount(lyr, TRUE);
	if (*n < 0)
		*n = 0;
	OGR_L_ResetReading(lyr);
	return calloc((size_t)*n + 1, size);
}

int read_source_field(OGRLayerH lyr, const char *name)
{
	if (!name || !*name)
		return -1;
	return OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(lyr), name);
}

void read_source_fields(OGRLayerH lyr, char *buf, size_t bufsize)
{
	OGRFeatureDefnH fd = OGR_L_GetLayerDefn(lyr);
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < OGR_FD_GetFieldCount(fd) && n < bufsize; i++)
		n += (size_t)snprintf(buf + n, bufsize - n, "%s%s", i ? ", " : "",
		                      OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(fd, i)));
}

int read_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!p)
		return 1;
	while (*p) {
		int n;
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((*p & 0xE0) == 0xC0 && *p >= 0xC2)
			n = 1;
		else if ((*p & 0xF0) == 0xE0)
			n = 2;
		else if ((*p & 0xF8) == 0xF0 && *p <= 0xF4)
			n = 3;
		else
			return 0;
		unsigned lead = *p++;
		for (int i = 0; i < n; i++, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
		/* overlong three-byte forms and UTF-16 surrogates */
		if (n == 2 && ((lead == 0xE0 && p[-2] < 0xA0) || (lead == 0xED && p[-2] >= 0xA0)))
			return 0;
		if (n == 3 && ((lead == 0xF0 && p[-3] < 0x90) || (lead == 0xF4 && p[-3] >= 0x90)))
			return 0;
	}
	return 1;
}
