/*
 * plan_merge_int.h: internal to the merge (io/plan_merge.c,
 * io/plan_merge_tables.c, io/plan_merge_levels.c, io/plan_merge_scenario.c).
 */
#ifndef STATIONPLAN_PLAN_MERGE_INT_H
#define STATIONPLAN_PLAN_MERGE_INT_H

#include "gpkg_int.h"
#include "plan_merge.h"

typedef struct ukey {
	const char *id;
	long long key;
} ukey;

typedef struct shard_in {
	const char *path;
	GDALDatasetH ds;
	int k, n;
	char by[16];
	size_t nst;
	long long *site_key; /* by local station_id - 1 */
	int *new_id;         /* by local station_id - 1 */
	size_t nunits;
	ukey *units; /* sorted by id */
	char *unit_text;
	size_t nsubs;
	int *new_sub;         /* by local sub */
	double *x, *y;        /* by local station_id - 1: its site, working CRS */
	long long *site_unit; /* ... the whole-input unit its site lies in, -1 */
	int *phase;           /* ... the year it opens */
	int has_sites;        /* shard_stations has x, y, site_unit, phase */
} shard_in;

typedef struct merger {
	const char *out;
	shard_in *s;
	size_t n;
	gpkg_writer w;
	const plan_merge_levels *lv; /* NULL: no upper levels */
	status *st;
} merger;

/* plan_merge_levels.c: with m->lv, the upper levels planned on the merged
 * stations (stations and assignments layers already in m->w.ds) and
 * written with their summary columns, then layer_styles with their
 * styles. Returns STATUS_OK or the failure with m->st set. */
status_code plan_merge_levels_write(merger *m);

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
