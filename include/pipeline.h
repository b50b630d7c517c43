/*
 * pipeline.h: one whole run, from scenario to GeoPackage.
 *
 *   read (io) -> sites -> reach -> solve -> write (io)
 *
 * Each stage's seconds go into the run record. The pipeline owns nothing
 * beyond the call: it frees every intermediate table before returning.
 */
#ifndef STATIONPLAN_PIPELINE_H
#define STATIONPLAN_PIPELINE_H

#include "gpkg.h"
#include "plan.h"
#include "scenario.h"
#include "status.h"

/* What a finished run reports back (for summaries and sweeps). */
typedef struct pipeline_result {
	size_t nunits, nurban, nrural;
	long households;
	size_t nsites, npairs;
	size_t nstations, nurban_stations, nvillage_stations, nexisting_stations;
	size_t nunderfilled, nuncovered;
	long uncovered_households;
	double mean_walk_m, max_walk_m;
	double objective, bound, gap;
	long urban_stations, underfilled;
	double urban_bound, urban_gap, urban_walk, urban_walk_bound, urban_walk_gap;
	int min_distance;
	char solver_status[16];
	int proven;
	run_info ri;
	char crs[32];
} pipeline_result;

/* Run the scenario and write `out_path`. Returns STATUS_OK when every unit
 * is served and the plan is proven within mip_gap, STATUS_INCOMPLETE when the
 * plan was written but is not, or the first fatal code. */
status_code pipeline_run(const scenario *sc, const char *out_path, int overwrite,
                         const char *command_line, const char *set_overrides, pipeline_result *res,
                         status *st);

/* STATUS_INPUT when `out_path` is the scenario file or one of its inputs
 * (same device and inode, sources.h), STATUS_OK otherwise. pipeline_run()
 * checks this first; sweeps call it for each target before the first run. */
status_code pipeline_check_not_input(const scenario *sc, const char *out_path, status *st);

/* The summary as a JSON object (jansson; caller json_decref()s), NULL out of
 * memory. Keys: file, crs, units, households, stations (and per kind),
 * underfilled, uncovered_units/households, households_per_station,
 * mean/max_walk_m, status, objective, bound, gap, proven, seconds (per
 * stage), total_seconds. In src/cli/pipeline_json.c. */
struct json_t;
struct json_t *pipeline_result_json(const pipeline_result *res, const char *out_path);

/* Print a one-screen summary of a result. */
/* pipeline_run() for shard spec->k of spec->n (include/shard.h): the
 * inputs, sites and reach of the whole problem are built, then only the
 * shard's units and sites are solved and written, with the shard_* tables
 * `stationplan merge` needs. With spec->cut (a file of pipeline_cut()) only
 * the shard's units are read and built, checked against the cut. spec =
 * NULL or spec->n = 0: the whole plan. */
status_code pipeline_run_shard(const scenario *sc, const shard_spec *spec, const char *out_path,
                               int overwrite, const char *command_line, const char *set_overrides,
                               pipeline_result *res, status *st);

/* `stationplan shards S.ini N -o CUT`: read and build the whole problem
 * once and write its cut into N shards `by` (include/shard.h, struct
 * shard_cut) to `out_path`, for `run --shard K/N --cut CUT`. Prints each
 * shard's units, sites and pairs unless quiet. Returns STATUS_OK, what
 * reading and building return, or STATUS_WRITE. */
status_code pipeline_cut(const scenario *sc, int n, shard_by by, const char *out_path, status *st);

void pipeline_print_summary(const pipeline_result *res, const char *out_path, FILE *out);

#endif
