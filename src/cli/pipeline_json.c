/*
 * pipeline_json.c: a run's summary as JSON (jansson), for `run --format
 * json`: the same figures as pipeline_print_summary(), as an object, so a
 * script reads them without parsing text. A sweep prints an array of them.
 */
#include <jansson.h>

#include "pipeline.h"

json_t *pipeline_result_json(const pipeline_result *res, const char *out_path)
{
	json_t *stages = json_object();
	for (size_t i = 0; stages && i < res->ri.nstages; i++)
		json_object_set_new(stages, res->ri.stage_name[i],
		                    json_real(res->ri.stage_seconds[i]));
	long served = res->households - res->uncovered_households;
	return json_pack(
	    "{s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:f, "
	    "s:f, s:f, s:s, s:f, s:f, s:f, s:b, s:o*, s:f}",
	    "file", out_path, "crs", res->crs, "units", (json_int_t)res->nunits, "urban_units",
	    (json_int_t)res->nurban, "rural_units", (json_int_t)res->nrural, "households",
	    (json_int_t)res->households, "sites", (json_int_t)res->nsites, "pairs",
	    (json_int_t)res->npairs, "stations", (json_int_t)res->nstations, "urban_stations",
	    (json_int_t)res->nurban_stations, "village_stations",
	    (json_int_t)res->nvillage_stations, "existing_stations",
	    (json_int_t)res->nexisting_stations, "underfilled", (json_int_t)res->nunderfilled,
	    "uncovered_units", (json_int_t)res->nuncovered, "uncovered_households",
	    (json_int_t)res->uncovered_households, "households_per_station",
	    res->nstations ? (double)served / (double)res->nstations : 0.0, "mean_walk_m",
	    res->mean_walk_m, "max_walk_m", res->max_walk_m, "status", res->solver_status,
	    "objective", res->objective, "bound", res->bound, "gap", res->gap, "proven",
	    res->proven, "seconds", stages, "total_seconds", res->ri.total_seconds);
}
