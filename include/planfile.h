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
} planfile_station;

/* One row of `assignments` (geometry not read): the unit's district and
 * street, the households it sends to one station and their walking distance. */
typedef struct planfile_assign {
	char *district;
	char *street;
	long households;
	double distance_m;
} planfile_assign;

/* One row of `uncovered`. */
typedef struct planfile_uncovered {
	char *district;
	char *street;
	long households;
} planfile_uncovered;

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
