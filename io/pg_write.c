/*
 * pg_write.c: the plan into PostGIS (`-o PG:...`), one schema per plan.
 *
 * The layers are exactly the GeoPackage's: the plan is first written as a
 * GeoPackage into a temporary file (io/gpkg_write.c, so the fields, orders
 * and values cannot drift apart), then copied into schema `output.schema`
 * of the database, feature by feature with their fids, and the QGIS styles
 * go into `public.layer_styles` (the table QGIS's PostgreSQL provider reads
 * and creates, same columns; f_table_schema = the plan's schema).
 *
 * Everything happens in ONE transaction: CREATE SCHEMA, the tables, the
 * rows, the styles. A failure at any point rolls it back, so the database
 * is left as it was (no schema, no style rows). An existing schema is
 * refused unless `overwrite`; then it is dropped (CASCADE) and its style
 * rows deleted inside the same transaction, so a failed overwrite keeps the
 * old plan. Schema names are plain SQL identifiers ([a-z_][a-z0-9_]*, at
 * most 63 bytes), so they never need quoting.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>

#include "gpkg_int.h"
#include "io_int.h"
#include "plan_output.h"

int pg_target_is_pg(const char *target)
{
	return target && (!strncmp(target, "PG:", 3) || !strncmp(target, "pg:", 3) ||
	                  !strncmp(target, "postgresql://", 13));
}

/* 0 if `s` is a lower-case SQL identifier we accept as a schema name. */
static int schema_bad(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 63 || (s[0] >= '0' && s[0] <= '9'))
		return 1;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 1;
	return 0;
}

static status_code check_schema_name(const char *conn, const scenario *sc, status *st)
{
	if (!sc->schema || !sc->schema[0])
		return status_fail(st, STATUS_USAGE,
		                   "'%s': PostGIS output needs output.schema (e.g. --set "
		                   "output.schema=plan_2025)",
		                   conn);
	if (schema_bad(sc->schema))
		return status_fail(st, STATUS_USAGE,
		                   "output: schema = '%s' is not a plain lower-case SQL name "
		                   "([a-z_][a-z0-9_]*, at most 63 characters)",
		                   sc->schema);
	return STATUS_OK;
}

static GDALDatasetH pg_open(const char *conn, status *st)
{
	static const char *const drivers[] = {"PostgreSQL", NULL};
	CPLErrorReset();
	GDALDatasetH ds = GDALOpenEx(conn, GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers, NULL, NULL);
	if (!ds)
		gdal_fail(st, STATUS_INPUT, "'%s': cannot open the database", conn);
	return ds;
}

/* Run a statement that returns no rows. Returns STATUS_OK or
 * STATUS_INTERNAL naming the statement's first words. */
static status_code exec(GDALDatasetH ds, const char *conn, const char *sql, status *st)
{
	CPLErrorReset();
	OGRLayerH res = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
	if (res)
		GDALDatasetReleaseResultSet(ds, res);
	if (CPLGetLastErrorType() >= CE_Failure)
		return gdal_fail(st, STATUS_INTERNAL, "'%s': %.60s", conn, sql);
	return STATUS_OK;
}

/* 1 if schema `name` exists, 0 if not, -1 on failure (st set). */
static int schema_exists(GDALDatasetH ds, const char *conn, const char *name, status *st)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT nspname FROM pg_namespace WHERE nspname = '%s'", name);
	CPLErrorReset();
	OGRLayerH res = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
	if (!res) {
		gdal_fail(st, STATUS_INPUT, "'%s': cannot list the schemas", conn);
		return -1;
	}
	OGRFeatureH f = OGR_L_GetNextFeature(res);
	int found = f != NULL;
	if (f)
		OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, res);
	return found;
}

static status_code refuse_existing(const char *conn, const char *schema, status *st)
{
	return status_fail(st, STATUS_USAGE,
	                   "'%s': schema '%s' exists (use --overwrite to replace it)", conn,
	                   schema);
}

status_code pg_check_target(const char *conn, const scenario *sc, int overwrite, status *st)
{
	status_code rc = check_schema_name(conn, sc, st);
	if (rc != STATUS_OK)
		return rc;
	gdal_bridge_push();
	GDALDatasetH ds = pg_open(conn, st);
	if (!ds) {
		gdal_bridge_pop();
		return STATUS_INPUT;
	}
	int e = schema_exists(ds, conn, sc->schema, st);
	GDALClose(ds);
	gdal_bridge_pop();
	if (e < 0)
		return STATUS_INPUT;
	return e && !overwrite ? refuse_existing(conn, sc->schema, st) : STATUS_OK;
}

/* Copy layer `src` into `schema` of `dst` with its fields, fids and
 * geometries. */
static status_code copy_layer(GDALDatasetH dst, const char *conn, const char *schema, OGRLayerH src,
                              status *st)
{
	const char *name = OGR_L_GetName(src);
	OGRFeatureDefnH sd = OGR_L_GetLayerDefn(src);
	OGRwkbGeometryType gt = OGR_L_GetGeomType(src);
	char opt_schema[96];
	snprintf(opt_schema, sizeof(opt_schema), "SCHEMA=%s", schema);
	const char *lco[] = {
	    opt_schema,           "GEOMETRY_NAME=geom", "FID=fid",      "LAUNDER=NO",
	    "SPATIAL_INDEX=GIST", "CREATE_SCHEMA=NO",   "OVERWRITE=NO", NULL};
	OGRSpatialReferenceH srs = gt == wkbNone ? NULL : OGR_L_GetSpatialRef(src);
	CPLErrorReset();
	OGRLayerH out = GDALDatasetCreateLayer(dst, name, srs, gt, (char **)lco);
	if (!out)
		return gdal_fail(st, STATUS_INTERNAL, "'%s': cannot create table %s.%s", conn,
		                 schema, name);
	for (int i = 0; i < OGR_FD_GetFieldCount(sd); i++)
		if (OGR_L_CreateField(out, OGR_FD_GetFieldDefn(sd, i), TRUE) != OGRERR_NONE)
			return gdal_fail(st, STATUS_INTERNAL,
			                 "'%s': table %s.%s: cannot add field %s", conn, schema,
			                 name, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(sd, i)));
	OGR_L_ResetReading(src);
	OGRFeatureH f;
	while ((f = OGR_L_GetNextFeature(src))) {
		OGRFeatureH g = OGR_F_Create(OGR_L_GetLayerDefn(out));
		OGR_F_SetFrom(g, f, TRUE);
		OGR_F_SetFID(g, OGR_F_GetFID(f));
		long long fid = OGR_F_GetFID(f);
		OGR_F_Destroy(f);
		CPLErrorReset();
		OGRErr e = OGR_L_CreateFeature(out, g);
		OGR_F_Destroy(g);
		if (e != OGRERR_NONE)
			return gdal_fail(st, STATUS_INTERNAL,
			                 "'%s': table %s.%s: cannot write row %lld", conn, schema,
			                 name, fid);
	}
	if (OGR_L_SyncToDisk(out) != OGRERR_NONE)
		return gdal_fail(st, STATUS_INTERNAL, "'%s': table %s.%s: cannot finish", conn,
		                 schema, name);
	return STATUS_OK;
}

/* `s` as a SQL string literal (standard_conforming_strings: quotes doubled).
 * Returns a new string, or NULL out of memory. */
static char *sql_quote(const char *s)
{
	size_t n = 3;
	for (const char *p = s; *p; p++)
		n += *p == '\'' ? 2 : 1;
	char *q = malloc(n);
	if (!q)
		return NULL;
	char *o = q;
	*o++ = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			*o++ = '\'';
		*o++ = *p;
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}

/* The columns QGIS's PostgreSQL provider creates (QgsPostgresProvider). */
static const char styles_ddl[] = "CREATE TABLE IF NOT EXISTS public.layer_styles ("
                                 "id SERIAL PRIMARY KEY, f_table_catalog varchar, "
                                 "f_table_schema varchar, f_table_name varchar, "
                                 "f_geometry_column varchar, stylename text, styleqml xml, "
                                 "stylesld xml, useasdefault boolean, description text, "
                                 "owner varchar(63) DEFAULT CURRENT_USER, ui xml, "
                                 "update_time timestamp DEFAULT CURRENT_TIMESTAMP, "
                                 "type varchar, r_raster_column varchar)";

/* One style row of the GeoPackage into public.layer_styles. */
static status_code copy_style(GDALDatasetH dst, const char *conn, const char *schema, OGRFeatureH f,
                              status *st)
{
	OGRFeatureDefnH d = OGR_F_GetDefnRef(f);
	const char *names[] = {"f_table_name", "styleName", "styleQML", "description"};
	char *q[4] = {0};
	status_code rc = STATUS_OK;
	for (int i = 0; i < 4; i++) {
		int k = OGR_FD_GetFieldIndex(d, names[i]);
		q[i] = sql_quote(
		    k >= 0 && OGR_F_IsFieldSetAndNotNull(f, k) ? OGR_F_GetFieldAsString(f, k) : "");
		if (!q[i])
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	int kd = OGR_FD_GetFieldIndex(d, "useAsDefault");
	int dflt = kd < 0 || OGR_F_GetFieldAsInteger(f, kd) != 0;
	size_t n = 512;
	for (int i = 0; i < 4 && rc == STATUS_OK; i++)
		n += strlen(q[i]);
	char *sql = rc == STATUS_OK ? malloc(n) : NULL;
	if (rc == STATUS_OK && !sql)
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
	if (rc == STATUS_OK) {
		snprintf(sql, n,
		         "INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, "
		         "f_table_name, f_geometry_column, stylename, styleqml, useasdefault, "
		         "description, type) VALUES (current_database(), '%s', %s, 'geom', %s, "
		         "XMLPARSE(DOCUMENT %s), %s, %s, 'Vector')",
		         schema, q[0], q[1], q[2], dflt ? "true" : "false", q[3]);
		rc = exec(dst, conn, sql, st);
	}
	free(sql);
	for (int i = 0; i < 4; i++)
		free(q[i]);
	return rc;
}

/* Everything inside the open transaction: schema, tables, styles. */
static status_code fill(GDALDatasetH dst, GDALDatasetH src, const char *conn, const char *schema,
                        int overwrite, status *st)
{
	char sql[256];
	status_code rc;
	int e = schema_exists(dst, conn, schema, st);
	if (e < 0)
		return STATUS_INPUT;
	if (e && !overwrite)
		return refuse_existing(conn, schema, st);
	if (e) {
		snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE", schema);
		if ((rc = exec(dst, conn, sql, st)) != STATUS_OK)
			return rc;
	}
	snprintf(sql, sizeof(sql), "CREATE SCHEMA %s", schema);
	if ((rc = exec(dst, conn, sql, st)) != STATUS_OK)
		return rc;
	OGRLayerH styles = NULL;
	for (int i = 0; i < GDALDatasetGetLayerCount(src); i++) {
		OGRLayerH l = GDALDatasetGetLayer(src, i);
		if (!strcmp(OGR_L_GetName(l), "layer_styles")) {
			styles = l;
			continue;
		}
		if ((rc = copy_layer(dst, conn, schema, l, st)) != STATUS_OK)
			return rc;
	}
	if ((rc = exec(dst, conn, styles_ddl, st)) != STATUS_OK)
		return rc;
	snprintf(sql, sizeof(sql), "DELETE FROM public.layer_styles WHERE f_table_schema = '%s'",
	         schema);
	if ((rc = exec(dst, conn, sql, st)) != STATUS_OK)
		return rc;
	if (styles) {
		OGR_L_ResetReading(styles);
		OGRFeatureH f;
		while ((f = OGR_L_GetNextFeature(styles))) {
			rc = copy_style(dst, conn, schema, f, st);
			OGR_F_Destroy(f);
			if (rc != STATUS_OK)
				return rc;
		}
	}
	return STATUS_OK;
}

status_code pg_copy_plan(const char *gpkg, const char *conn, const scenario *sc, int overwrite,
                         status *st)
{
	status_code rc = check_schema_name(conn, sc, st);
	if (rc != STATUS_OK)
		return rc;
	gdal_bridge_push();
	GDALDatasetH src = GDALOpenEx(gpkg, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
	if (!src) {
		rc = gdal_fail(st, STATUS_INTERNAL, "'%s': cannot reopen the plan", gpkg);
		gdal_bridge_pop();
		return rc;
	}
	GDALDatasetH dst = pg_open(conn, st);
	if (!dst) {
		GDALClose(src);
		gdal_bridge_pop();
		return STATUS_INPUT;
	}
	CPLErrorReset();
	if (GDALDatasetStartTransaction(dst, TRUE) != OGRERR_NONE) {
		rc = gdal_fail(st, STATUS_INTERNAL, "'%s': cannot start a transaction", conn);
	} else {
		rc = fill(dst, src, conn, sc->schema, overwrite, st);
		if (rc == STATUS_OK) {
			CPLErrorReset();
			if (GDALDatasetCommitTransaction(dst) != OGRERR_NONE)
				rc = gdal_fail(st, STATUS_INTERNAL, "'%s': cannot commit schema %s",
				               conn, sc->schema);
		} else {
			GDALDatasetRollbackTransaction(dst);
		}
	}
	GDALClose(dst);
	GDALClose(src);
	gdal_bridge_pop();
	return rc;
}

status_code pg_write_plan(const char *conn, int overwrite, const scenario *sc, const inputs *in,
                          const site_table *sites, const reach *r, const plan *p,
                          const run_info *ri, status *st)
{
	char folder[4096], tmp[4200];
	const char *dir = getenv("TMPDIR");
	status_code rc = check_schema_name(conn, sc, st);
	if (rc != STATUS_OK)
		return rc;
	/* a fresh private folder (mkdtemp, mode 0700): no name another process
	 * can predict or link */
	snprintf(folder, sizeof(folder), "%s/stationplan-pg-XXXXXX", dir && *dir ? dir : "/tmp");
	if (!mkdtemp(folder))
		return status_fail(st, STATUS_WRITE, "'%s': cannot make a temporary folder: %s",
		                   folder, strerror(errno));
	snprintf(tmp, sizeof(tmp), "%s/plan.gpkg", folder);
	rc = gpkg_write_plan(tmp, 0, sc, in, sites, r, p, ri, st);
	if (rc == STATUS_OK)
		rc = pg_copy_plan(tmp, conn, sc, overwrite, st);
	unlink(tmp);
	rmdir(folder);
	return rc;
}
