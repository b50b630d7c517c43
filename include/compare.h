/*
 * compare.h: comparing two plans (two stationplan GeoPackages), on plain
 * tables.
 *
 * io/plan_read.c reads a plan file back into a compare_plan (the stations,
 * the assignment rows without geometry, the uncovered units and the run
 * record); compare_plans() then works without GDAL:
 *
 *   - the scenario keys whose values differ between the two run records;
 *   - per district, or per (district, street): stations, households per
 *     station, underfilled stations, household-weighted mean and max walking
 *     distance, uncovered households, for A and for B, plus a totals row;
 *   - station changes, one-to-one and deterministic: kept (same site within
 *     the tolerance), moved (nearest remaining counterpart within A's walking
 *     distance), removed (only in A) and added (only in B).
 *
 * compare_print() renders the result as aligned text, CSV or Markdown, and
 * io/diff_write.c writes the changes as a styled GeoPackage.
 */
#ifndef STATIONPLAN_COMPARE_H
#define STATIONPLAN_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "status.h"
#include "table_print.h"

/* One row of a plan's `stations` layer. Strings owned by the plan. */
typedef struct compare_station {
	long id;        /* station_id */
	double x, y;    /* in the plan's CRS */
	char kind[16];  /* urban | village | existing */
	char *district; /* "" when null */
	char *street;
	long households;
	int underfilled;
} compare_station;

/* One row of `assignments` (geometry not read): the unit's district and
 * street, the households it sends to one station and their walking distance. */
typedef struct compare_assign {
	char *district;
	char *street;
	long households;
	double distance_m;
} compare_assign;

/* One row of `uncovered`. */
typedef struct compare_uncovered {
	char *district;
	char *street;
	long households;
} compare_uncovered;

/* A plan read back from its GeoPackage. Everything owned; compare_plan_free(). */
typedef struct compare_plan {
	char *path;             /* as given on the command line */
	char *crs;              /* "EPSG:4549", from the stations layer's SRS (else run.crs) */
	char *crs_wkt;          /* the stations layer's SRS as WKT, "" if none (diff writer) */
	int geographic;         /* 1 if the CRS is in degrees: distances would be meaningless */
	char *parameters;       /* run.parameters: "section.key = value" lines */
	double walk_distance_m; /* run.walk_distance_m, else rules.walk_distance_m, else 0 */
	compare_station *stations;
	size_t nstations;
	compare_assign *assign;
	size_t nassign;
	compare_uncovered *uncovered;
	size_t nuncovered;
} compare_plan;

/* Read the plan written by `stationplan run` at `path` into `out` (zeroed
 * first). Fails with STATUS_INPUT and a message naming the file when it
 * cannot be opened, "'<path>' is not a stationplan plan (no 'run' layer)"
 * when a required layer is missing, "(layer 'stations' has no field
 * 'district')" when a required field is, or a feature has no point geometry.
 * On failure `out` is freed. Implemented in io/plan_read.c (GDAL). */
status_code plan_read(const char *path, compare_plan *out, status *st);

void compare_plan_free(compare_plan *p);

typedef enum compare_by { COMPARE_BY_DISTRICT = 0, COMPARE_BY_STREET = 1 } compare_by;

typedef struct compare_options {
	compare_by by;
	double tolerance_m; /* kept: same site within this distance (default 50) */
} compare_options;

/* Set every default: by district, tolerance 50 m. */
void compare_options_init(compare_options *opt);

/* A scenario key whose value differs. `a` or `b` is NULL when the key is
 * absent from that run record. Owned by the result. */
typedef struct compare_param {
	char *key;
	char *a, *b;
} compare_param;

/* The figures of one plan in one group (or in total). */
typedef struct compare_side {
	long stations;
	long served; /* households of those stations (households per station) */
	long underfilled;
	double walk_sum;   /* sum of households * distance_m over assignment rows */
	long walk_hh;      /* households of those rows */
	double max_walk_m; /* 0 when no row */
	long uncovered_households;
} compare_side;

/* Derived figures; 0 when the denominator is 0. */
double compare_side_households_per_station(const compare_side *s);
double compare_side_mean_walk(const compare_side *s);

typedef struct compare_group {
	char *district; /* owned; "" for the totals row */
	char *street;   /* owned; "" when grouping by district */
	compare_side a, b;
} compare_group;

typedef enum compare_change_kind {
	CHANGE_KEPT = 0,
	CHANGE_MOVED = 1,
	CHANGE_REMOVED = 2,
	CHANGE_ADDED = 3
} compare_change_kind;

/* One station change. `a`/`b` index the plans' stations arrays, (size_t)-1
 * when absent (added: no a; removed: no b). distance_m is 0 unless both. */
typedef struct compare_change {
	compare_change_kind kind;
	size_t a, b;
	long a_id, b_id; /* station_id in A and in B, -1 when absent */
	double distance_m;
} compare_change;

#define COMPARE_NONE ((size_t)-1)

typedef struct compare_result {
	compare_by by;
	double tolerance_m, walk_distance_m;
	compare_param *params;
	size_t nparams;
	compare_group *groups; /* sorted by district, then street (byte order) */
	size_t ngroups;
	compare_group total;
	compare_change *changes; /* kept, moved, removed, added; each by station id */
	size_t nchanges;
	size_t nkept, nmoved, nremoved, nadded;
} compare_result;

/* Compare `a` with `b` (neither modified; `out` refers into them by index, so
 * they must outlive it). Fails with STATUS_INPUT when the CRSs differ:
 * "'<a>' is in EPSG:4548 but '<b>' is in EPSG:4549; re-run one with
 * output.output_crs", or when a CRS is geographic; STATUS_INTERNAL when out
 * of memory. On failure `out` is freed. */
status_code compare_plans(const compare_plan *a, const compare_plan *b, const compare_options *opt,
                          compare_result *out, status *st);

void compare_result_free(compare_result *r);

/* Print the parameter diff, the group table with its totals row and the
 * station changes, in `fmt`. CSV prints the group table only (one header
 * row, one row per group and the totals row, so it loads in a spreadsheet).
 * Returns 0, or -1 when out of memory. */
int compare_print(const compare_result *r, const compare_plan *a, const compare_plan *b,
                  table_format fmt, FILE *out);

/* Name of a change kind: "kept", "moved", "removed", "added". */
const char *compare_change_name(compare_change_kind k);

/* Write the changes to `path` as a GeoPackage with point layers `added`,
 * `removed` and `kept` and a LineString layer `moved` (old -> new, with the
 * distance), styled for QGIS (green added, red removed, orange arrows),
 * in A's CRS. Written to a temporary file and renamed into place; an
 * existing `path` is refused unless `overwrite`. Implemented in
 * io/diff_write.c (GDAL). */
status_code diff_write(const char *path, int overwrite, const compare_result *r,
                       const compare_plan *a, const compare_plan *b, status *st);

#endif
