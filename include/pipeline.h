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

/* Print a one-screen summary of a result. */
/* pipeline_run() for shard spec->k of spec->n (include/shard.h): the
 * inputs, sites and reach of the whole problem are built, then only the
 * shard's units and sites are solved and written, with the shard_* tables
 * `stationplan merge` needs. spec = NULL or spec->n = 0: the whole plan. */
status_code pipeline_run_shard(const scenario *sc, const shard_spec *spec, const char *out_path,
                               int overwrite, const char *command_line, const char *set_overrides,
                               pipeline_result *res, status *st);

void pipeline_print_summary(const pipeline_result *res, const char *out_path, FILE *out);

#endif
