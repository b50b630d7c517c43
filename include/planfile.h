/*
 * planfile.h: a stationplan plan read back from its GeoPackage, as plain
 * tables (stations, assignment rows without geometry, uncovered units and
 * the run record). io/planfile.c reads it with GDAL; `compare` and the
 * other commands that work on finished plans use it without GDAL.
 */
#ifndef STATIONPLAN_PLANFILE_H
#define STATIONPLAN_PLANFILE_H

#include <stddef.h>

#include "status.h"

/* One row of a plan's `stations` layer. Strings owned by the plan. */
typedef struct planfile_station {
	long id;        /* station_id */
	double x, y;    /* in the plan's CRS */
	char kind[16];  /* urban | village | existing */
	char *district; /* "" when null */
	char *street;
	long households;
	int underfilled;
	long units; /* units served (field `units`), 0 if absent */
	long phase; /* field `phase` (year, 0 existing), -1 when the plan has none */
	int locked; /* field `locked` (0/1), 0 if absent */
} planfile_station;

/* One row of `assignments` (geometry not read): the unit's district and
 * street, the households it sends to one station and their walking distance;
 * the unit's id, name and place in the input (for the appendix tables). */
typedef struct planfile_assign {
	char *district;
	char *street;
	long households;
	double distance_m;
	char *unit_id;        /* "" when null */
	char *name;           /* "" when null or absent */
	long station_id;      /* 0 when absent */
	long unit_order;      /* 1-based input order (field `unit_order`), else the row number */
	long unit_households; /* the unit's total (field `unit_households`), else households */
} planfile_assign;

/* One row of `uncovered`. */
typedef struct planfile_uncovered {
	char *district;
	char *street;
	long households;
	char *unit_id;   /* "" when null */
	char *name;      /* "" when null or absent */
	long unit_order; /* 1-based input order, else (assignment rows + row number) */
} planfile_uncovered;

/* One upper level of a plan (a row of `run_levels` with its layer and its
 * flows), empty when the plan has no levels. */
typedef struct planfile_level {
	char *name;
	long facilities, existing, households;
	double mean_distance_m; /* load-weighted, over its flows; 0 without flows */
	char status[16];
	double gap;
	double *x, *y; /* the facilities, in the plan's CRS */
} planfile_level;

/* One row of `summary_phase` (phased plans only). */
typedef struct planfile_phase {
	int year; /* 0: the existing stations alone */
	long stations, new_stations, households;
	double share;
} planfile_phase;

/* A plan read back from its GeoPackage. Everything owned; planfile_free(). */
typedef struct planfile {
	char *path;             /* as given on the command line */
	char *crs;              /* "EPSG:4549", from the stations layer's SRS (else run.crs) */
	char *crs_wkt;          /* the stations layer's SRS as WKT, "" if none (diff writer) */
	int geographic;         /* 1 if the CRS is in degrees: distances would be meaningless */
	char *parameters;       /* run.parameters: "section.key = value" lines */
	double walk_distance_m; /* run.walk_distance_m, else rules.walk_distance_m, else 0 */
	planfile_station *stations;
	size_t nstations;
	planfile_assign *assign;
	size_t nassign;
	planfile_uncovered *uncovered;
	size_t nuncovered;
	planfile_level *levels; /* bottom to top (io/planfile_levels.c) */
	size_t nlevels;
	/* the run record's outcome, "" / NAN when the field is absent */
	char run_status[32];
	double objective, bound, gap;
	char *version;          /* run.version, "" if absent */
	char *command;          /* run.command, "" if absent */
	planfile_phase *phases; /* summary_phase by year; none when the plan has no phases */
	size_t nphases;
} planfile;

/* Read the plan written by `stationplan run` at `path` into `out` (zeroed
 * first). Fails with STATUS_INPUT and a message naming the file when it
 * cannot be opened, "'<path>' is not a stationplan plan (no 'run' layer)"
 * when a required layer is missing, "(layer 'stations' has no field
 * 'district')" when a required field is, or a feature has no point geometry.
 * On failure `out` is freed. Implemented in io/planfile.c (GDAL). */
status_code planfile_read(const char *path, planfile *out, status *st);

/* Free everything `p` owns and zero it; safe on a zeroed planfile. */
void planfile_free(planfile *p);

#endif
