/*
 * plan_output.h: where a plan goes, chosen by the target's name.
 *
 * One dispatch for every writer: `PG:...` (or postgresql://) is PostGIS
 * (io/pg_write.c, schema output.schema); a name ending in a one-layer
 * format (.fgb, .geojson, .json, .shp, .csv, .kml) is refused with a
 * message saying so; anything else is a GeoPackage (io/gpkg_write.c).
 * Further formats chosen by extension or -of belong in plan_output_write()
 * and plan_output_check() only.
 */
#ifndef STATIONPLAN_PLAN_OUTPUT_H
#define STATIONPLAN_PLAN_OUTPUT_H

#include "gpkg.h"

/* 1 if `target` names a PostgreSQL database ("PG:..." or postgresql://). */
int pg_target_is_pg(const char *target);

/* The checks made before a long run: for a database, that output.schema is
 * a plain name, the database opens and the schema does not exist (unless
 * `overwrite`); for a file, gpkg_check_target(). Returns STATUS_OK,
 * STATUS_USAGE ("'PG:...': schema 'x' exists (use --overwrite to replace
 * it)", "'PG:...': PostGIS output needs output.schema ...") or STATUS_INPUT
 * (the database cannot be opened). */
status_code plan_output_check(const char *target, const scenario *sc, int overwrite, status *st);

/* Write the plan to `target` (see gpkg_write_plan() for the arguments).
 * Returns what the chosen writer returns; on failure nothing is left
 * behind (no file, no schema, no style rows). */
status_code plan_output_write(const char *target, int overwrite, const scenario *sc,
                              const inputs *in, const site_table *sites, const reach *r,
                              const plan *p, const run_info *ri, status *st);

/* io/pg_write.c. pg_check_target(): the database half of
 * plan_output_check(). pg_write_plan(): the plan as a temporary GeoPackage
 * (removed afterwards), then pg_copy_plan(). pg_copy_plan(): every layer of
 * the GeoPackage `gpkg` into schema sc->schema of `conn` and its styles into
 * public.layer_styles, in one transaction (rolled back on any failure).
 * Return STATUS_OK, STATUS_USAGE (schema exists without `overwrite`, bad or
 * missing schema name), STATUS_INPUT (cannot connect) or STATUS_INTERNAL
 * (a statement failed; its message is in `st`). */
status_code pg_check_target(const char *conn, const scenario *sc, int overwrite, status *st);
status_code pg_write_plan(const char *conn, int overwrite, const scenario *sc, const inputs *in,
                          const site_table *sites, const reach *r, const plan *p,
                          const run_info *ri, status *st);
status_code pg_copy_plan(const char *gpkg, const char *conn, const scenario *sc, int overwrite,
                         status *st);

#endif
