/*
 * plan_merge_int.h: internal to the merge (io/plan_merge.c,
 * io/plan_merge_tables.c).
 */
#ifndef STATIONPLAN_PLAN_MERGE_INT_H
#define STATIONPLAN_PLAN_MERGE_INT_H

#include "gpkg_int.h"

/* Fill `out` (summary_district or summary_street, created like the
 * shards') from the shards' rows and the merged stations and assignments
 * layers already in w->ds. Returns STATUS_OK or the failure with w->st set. */
status_code plan_merge_summary(gpkg_writer *w, OGRLayerH out, const GDALDatasetH *shards,
                               size_t nshards);

/* Fill `out` (the run table, created like the shards') with shard 1's row
 * carrying the whole plan's status, objective, bound, gap, counts and
 * proven, then write `run_shards` (one row per shard). */
status_code plan_merge_run(gpkg_writer *w, OGRLayerH out, const GDALDatasetH *shards,
                           const char *const *paths, size_t n);

#endif
