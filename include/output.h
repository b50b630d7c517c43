/*
 * output.h: writing the plan as a styled GeoPackage, atomically.
 *
 * gpkg_write_plan() writes every layer of PRODUCT.md into a temporary file
 * beside the target and renames it into place when complete. It never
 * touches an existing target without `overwrite`, and refuses a target with a
 * -wal/-journal beside it (open in QGIS).
 */
#ifndef STATIONPLAN_OUTPUT_H
#define STATIONPLAN_OUTPUT_H

#include "inputs.h"
#include "plan.h"
#include "scenario.h"
#include "sites.h"
#include "status.h"

#define RUN_MAX_STAGES 16

/* What the run record needs beyond the scenario and the plan. */
typedef struct run_info {
	const char *command_line; /* as typed, for the record */
	size_t nstages;
	const char *stage_name[RUN_MAX_STAGES]; /* "read", "sites", "reach", "solve", "write" */
	double stage_seconds[RUN_MAX_STAGES];
	double total_seconds;
	const char *set_overrides; /* the --set values, ";"-separated */
} run_info;

status_code gpkg_write_plan(const char *path, int overwrite, const scenario *sc, const inputs *in,
			    const site_table *sites, const reach *r, const plan *p,
			    const run_info *ri, status *st);

#endif
