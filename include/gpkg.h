/*
 * gpkg.h: writing the plan as a styled GeoPackage, atomically.
 *
 * gpkg_write_plan() writes every layer of PRODUCT.md into a temporary file
 * beside the target and renames it into place when complete. It never
 * touches an existing target without `overwrite`, and refuses a target with a
 * -wal/-journal beside it (open in QGIS).
 *
 * Layers: stations, service_areas, assignments, links, uncovered,
 * summary_district, summary_street, run, run_subproblems, and layer_styles
 * (QGIS default styles). See io/gpkg_int.h for the files that write them.
 *
 * Reproducible: the same inputs and parameters give a byte-identical file.
 * Everything written is a function of the scenario, the input files (size,
 * hash) and the plan; timestamps are fixed (OGR_CURRENT_DATE) and
 * every order is deterministic. Wall-clock seconds differ between two runs,
 * so they are written only on request (run_info.timings, or the scenario key
 * output.timings = true): then the `run` row's `seconds` and `stages` and
 * `run_subproblems.seconds` are filled, and the file is no longer
 * reproducible; otherwise those fields are NULL. The `run` row's `command`
 * is the command that reproduces the plan (`stationplan run SCENARIO [--set
 * k=v]...`), not the line as typed (which holds the output path).
 *
 * Interrupted runs: the temporary file is written in a private folder
 * `.<name>.tmp-<pid>-XXXXXX/` (mkdtemp) beside the target. SIGINT/SIGTERM/
 * SIGHUP during the write remove it; a kill -9 may leave it behind (the
 * target is never half-written either way) until the next write to the same
 * target removes the leftovers of dead pids.
 */
#ifndef STATIONPLAN_OUTPUT_H
#define STATIONPLAN_OUTPUT_H

#include "inputs.h"
#include "plan.h"
#include "scenario.h"
#include "sites.h"
#include "compare.h"
#include "status.h"
#include "shard.h"

#define RUN_MAX_STAGES 16

/* What the run record needs beyond the scenario and the plan. */
typedef struct run_info {
	const char *command_line; /* as typed, for the record */
	size_t nstages;
	const char *stage_name[RUN_MAX_STAGES]; /* "read", "sites", "reach", "solve", "write" */
	double stage_seconds[RUN_MAX_STAGES];
	double total_seconds;
	const char *set_overrides; /* the --set values, ";"-separated */
	int timings; /* 1: record wall-clock seconds (the file is then not reproducible) */
	const struct levels_result *levels; /* upper levels (levels.h), NULL for none */
	/* run --shard K/N: the shard's tables and keys, written as the shard_*
	 * tables that `stationplan merge` reads (io/gpkg_shard.c); NULL otherwise */
	const shard_part *shard;
} run_info;

/* Write the plan to `path` (a .gpkg), replacing an existing file only when
 * `overwrite`. `r` gives the links' start points; `ri` may be NULL (no
 * command, no timings). Nothing is borrowed beyond the call.
 * Returns STATUS_OK; STATUS_USAGE when the target exists without
 * `overwrite`; STATUS_INPUT when it is open in another program (a -wal or
 * -journal file beside it) or is one of the run's inputs (sources.h);
 * STATUS_WRITE when it cannot be written (missing or read-only folder, disk
 * full), the message naming the target and the reason; STATUS_INTERNAL on
 * another GDAL failure. On any failure the target is untouched and no
 * temporary file is left. */
status_code gpkg_write_plan(const char *path, int overwrite, const scenario *sc, const inputs *in,
                            const site_table *sites, const reach *r, const plan *p,
                            const run_info *ri, status *st);

/* The checks gpkg_write_plan() makes before writing, for callers that want
 * to fail before a long run: STATUS_USAGE "'<path>' exists (use --overwrite
 * to replace it)" or a target refused by gpkg_target_where(), STATUS_INPUT
 * "'<path>' is open in another program (found '<path>-wal'); close it in
 * QGIS first", STATUS_WRITE "'<path>': cannot write the plan: the folder
 * 'd' does not exist" (or "is read-only ..."), or STATUS_OK. */
status_code gpkg_check_target(const char *path, int overwrite, status *st);

/* The output format, chosen as ogr2ogr does (issue 14 row 12): `format`
 * (the -of value, NULL or "" for none), else the driver of the target's
 * extension, GeoPackage when it has none. STATUS_OK for GeoPackage;
 * STATUS_USAGE naming the format otherwise ("'x.shp': the ESRI Shapefile
 * format (the extension '.shp') cannot hold the plan's layers ..."), for an
 * unknown extension or -of name. io/gpkg_target.c. */
status_code gpkg_target_format(const char *path, const char *format, status *st);

/* STATUS_USAGE for targets no format can take: "-", a /vsi... path, a
 * connection string (the last one is gpkg_target_connection(), a separate
 * check for PostGIS output to replace). Called by gpkg_check_target(). */
status_code gpkg_target_where(const char *path, status *st);
status_code gpkg_target_connection(const char *path, status *st);

/* Write the changes to `path` as a GeoPackage with point layers `added`,
 * `removed` and `kept` and a LineString layer `moved` (old -> new, with the
 * distance), styled for QGIS (green added, red removed, orange arrows),
 * in A's CRS. Written to a temporary file and renamed into place; an
 * existing `path` is refused unless `overwrite`. Implemented in
 * io/gpkg_diff.c (GDAL). */
status_code gpkg_write_diff(const char *path, int overwrite, const compare_result *r,
                            const planfile *a, const planfile *b, status *st);

#endif
