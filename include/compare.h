/*
 * compare.h: comparing two plans (two stationplan GeoPackages), on plain
 * tables.
 *
 * io/planfile.c reads a plan file back into a planfile (include/planfile.h) (the stations,
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
 * io/gpkg_diff.c (gpkg_write_diff) writes the changes as a styled GeoPackage.
 */
#ifndef STATIONPLAN_COMPARE_H
#define STATIONPLAN_COMPARE_H

#include <stddef.h>
#include <stdio.h>

#include "status.h"
#include "planfile.h"
#include "table.h"

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

/* One upper level in either plan (src/compare/compare_levels.c): figures
 * of A ([0]) and B ([1]), zero on the side without it; facilities of B
 * within the tolerance of one of A's are kept, the others added, A's
 * unmatched ones removed. */
typedef struct compare_level {
	const char *name; /* borrowed from the planfile */
	int present[2];
	long facilities[2], existing[2], households[2];
	double mean_distance_m[2];
	size_t kept, added, removed;
} compare_level;

/* One phase (year) of either plan: its summary_phase row in A and in B
 * (in_a / in_b 0 when that plan has no such year). */
typedef struct compare_phase {
	int year;
	int in_a, in_b;
	planfile_phase a, b;
} compare_phase;

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
	compare_level *levels; /* A's levels bottom to top, then B's others */
	size_t nlevels;
	compare_phase *phases; /* by year; none when neither plan is phased */
	size_t nphases;
} compare_result;

/* Fill r->levels from the plans' levels (compare_levels.c). Returns 0, -1
 * out of memory. */
int compare_levels(const planfile *a, const planfile *b, compare_result *r);

/* Print the levels table (nothing without levels). 0, or -1 out of memory. */
int compare_levels_print(const compare_result *r, table_format fmt, FILE *out);

/* Compare `a` with `b` (neither modified; `out` refers into them by index, so
 * they must outlive it). Fails with STATUS_INPUT when the CRSs differ:
 * "'<a>' is in EPSG:4548 but '<b>' is in EPSG:4549; re-run one with
 * output.output_crs", or when a CRS is geographic; STATUS_INTERNAL when out
 * of memory. On failure `out` is freed. */
status_code compare_plans(const planfile *a, const planfile *b, const compare_options *opt,
                          compare_result *out, status *st);

void compare_result_free(compare_result *r);

/* Print the parameter diff, the group table with its totals row and the
 * station changes, in `fmt`. CSV prints the group table only (one header
 * row, one row per group and the totals row, so it loads in a spreadsheet).
 * Returns 0, or -1 when out of memory. */
int compare_print(const compare_result *r, const planfile *a, const planfile *b, table_format fmt,
                  FILE *out);

/* Print the result as one JSON object (jansson): a, b, crs, by,
 * tolerance_m, walk_distance_m, parameters [{key, a, b}], groups [{district,
 * (street,) a, b, stations_delta}] where a and b hold stations,
 * households_per_station, underfilled, mean_walk_m, max_walk_m (null when
 * undefined), uncovered_households; total; change_counts {kept, moved,
 * removed, added}; changes [{change, a_station_id, b_station_id,
 * distance_m}]. Returns 0, or -1 out of memory or on a write error. In
 * src/compare/compare_json.c. */
int compare_print_json(const compare_result *r, const planfile *a, const planfile *b, FILE *out);

/* src/compare/compare_phases.c: the phase rows of two plans, by year
 * (returns 0, -1 out of memory), and their table (after the group table in
 * text and Markdown; nothing when neither plan has phases). */
int compare_phases_build(const planfile *a, const planfile *b, compare_result *out);
int compare_phases_print(const compare_result *r, table_format fmt, FILE *out);

/* Name of a change kind: "kept", "moved", "removed", "added". */
const char *compare_change_name(compare_change_kind k);

#endif
