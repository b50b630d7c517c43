/*
 * plan_merge.h: joining the shard files of `run --shard K/N` into one plan
 * (`stationplan merge OUT.gpkg SHARD... [--scenario S.ini]`), with the
 * upper levels planned on the merged stations. See io/plan_merge.c and
 * io/plan_merge_scenario.c.
 */
#ifndef STATIONPLAN_PLAN_MERGE_H
#define STATIONPLAN_PLAN_MERGE_H

#include <stddef.h>

#include "inputs.h"
#include "levels.h"
#include "plan.h"
#include "scenario.h"
#include "sites.h"
#include "status.h"

/* The upper levels ([level.NAME]) of the merged plan. A shard plans the
 * stations only; merge rebuilds the stations of the whole plan (their
 * sites, households, phases and assignments, in the single run's order)
 * and calls `solve` on them, as a single run calls levels_solve() on its
 * plan, then writes the levels' layers, their summary columns and styles
 * as the single run's writer does. */
typedef struct plan_merge_levels {
	const scenario *sc; /* the shards' scenario (plan_merge_check_scenario) */
	const inputs *in;   /* the whole input read by it, level places prepared */
	status_code (*solve)(const inputs *in, const site_table *sites, const plan *p,
	                     const scenario *sc, const levels_distance *dist, levels_result *out,
	                     status *st); /* levels_solve */
	levels_result *out;               /* filled by solve; the caller frees it */
} plan_merge_levels;

/* Join the `n` shard GeoPackages into `out` (temporary file + rename, an
 * existing `out` only with `overwrite`). `lv` NULL: no upper levels (the
 * shards' other layers are copied). The result equals, layer by layer,
 * the plan of a single run on the same inputs (but for `run`, which holds
 * the whole plan's figures, and the added `run_shards`). Returns STATUS_OK;
 * STATUS_USAGE (no files, `out` exists); STATUS_INPUT naming the file when
 * one is not a shard, the cut differs ("'a' is shard 1/3 by district, 'b'
 * is shard 2/4 by district: not the same cut"), a shard is given twice or
 * missing ("shard 2/3 is missing (2 of 3 files given)"), or `lv` is given
 * and the shards' units are not the input's; what `lv->solve` returns;
 * STATUS_INTERNAL on a GDAL failure. Nothing is left behind on failure. */
status_code plan_merge(const char *out, int overwrite, const char *const *shards, size_t n,
                       const plan_merge_levels *lv, status *st);

/* What a shard's run record says of its scenario: `file` and `sets` (the
 * --set values, ";"-separated) from its `command` (malloc'd, caller frees
 * both), and `levels` = 1 when its parameters name upper levels
 * ("level.NAME.key = ..." lines). Returns STATUS_OK, or STATUS_INPUT
 * naming the file when it has no run record. */
status_code plan_merge_recorded(const char *shard, char **file, char **sets, int *levels,
                                status *st);

/* Whether `sc` (after --set) and the inputs it read (`in`) are the ones the
 * shard was planned with: the same `parameters` (solver.threads aside) and
 * the same input files by role, size and SHA-256 (paths aside). Returns
 * STATUS_OK, or STATUS_INPUT naming the first difference ("merge: the
 * scenario differs from the shards' (shard-1.gpkg): rules.households_max =
 * 4000 here, 5000 in the shard"). */
status_code plan_merge_check_scenario(const char *shard, const scenario *sc, const inputs *in,
                                      status *st);

#endif
