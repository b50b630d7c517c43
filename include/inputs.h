/*
 * inputs.h: the plain in-memory tables io fills and every later stage reads.
 *
 * No GDAL or GEOS handle crosses this boundary: geometries are ISO WKB, in
 * the working (metric) CRS, owned by the table. Geometry and solver code can
 * build these tables in tests without any file.
 */
#ifndef STATIONPLAN_INPUTS_H
#define STATIONPLAN_INPUTS_H

#include <stddef.h>

#include "scenario.h"
#include "status.h"

typedef enum unit_kind { UNIT_URBAN = 0, UNIT_RURAL = 1 } unit_kind;

/* One community (社区) or village (村). */
typedef struct unit {
	char *id;            /* id_field value as text, unique */
	char *name;          /* "" when absent */
	char *district;      /* "" when absent */
	char *street;        /* "" when absent */
	char *admin_village; /* input.admin_village_field, "" when absent or unset */
	unit_kind kind;
	long households;    /* >= 0 */
	long long fid;      /* feature id in the source, for messages */
	long order;         /* 1-based position in the units source (kept by shards) */
	unsigned char *wkb; /* Polygon, MultiPolygon or Point, valid, working CRS */
	size_t wkb_size;
	double area_m2; /* 0 for points */
} unit;

/* Points of a layer (existing stations, user candidates). */
typedef struct point_set {
	size_t n;
	double *x, *y; /* working CRS */
	char **id;     /* text id (or fid as text) */
	long long *fid;
	char *source; /* file as given, "" when unset */
	char *layer;
} point_set;

/* Polygons of the exclusion layer(s), already buffered by exclude_buffer_m. */
typedef struct poly_set {
	size_t n;
	unsigned char **wkb;
	size_t *wkb_size;
} poly_set;

/* Street centre lines (input.roads), working CRS. A MultiLineString is
 * split into its parts, each a line of its own with the feature's fid. Line
 * i has the vertices [start[i], start[i+1]) of x/y, repeated points removed
 * (at least two distinct vertices). */
typedef struct line_set {
	size_t n;
	size_t *start; /* n + 1 */
	double *x, *y;
	unsigned char *walkable; /* n: 0 when excluded by roads_walkable_field */
	signed char *oneway;     /* n: 0 both ways, 1 digitised direction only, -1 against */
	long long *fid;          /* n */
	size_t nexcluded;        /* lines not walkable */
	char *source;            /* "path:layer", for messages */
} line_set;

/* Fingerprint of an input file, for the run record. */
typedef struct input_file {
	char *role; /* "units", "households_table", "existing", ... */
	char *path;
	long long size;  /* bytes, -1 if not a plain file (e.g. PG:) */
	char sha256[65]; /* hex, "" if not computed */
} input_file;

typedef struct inputs {
	size_t nunits;
	unit *units;
	point_set existing;
	point_set candidates;
	poly_set exclude;
	/* input.keep (an edited plan's stations): id = station_id as text */
	point_set keep;
	unsigned char *keep_locked; /* per keep point: 1 = may not be dropped */
	point_set keep_deleted;     /* where the plan's deleted stations were */
	line_set roads;             /* n = 0 without input.roads */
	char *crs;                  /* working CRS as "EPSG:4549" */
	char *crs_wkt;              /* its WKT */
	char *source_crs;           /* CRS of the units source, "EPSG:4326" or a name */
	char *units_source;         /* "path:layer" of the units, for messages */
	char *id_field;             /* the id field's name, for messages ("code") */
	size_t nrepaired;           /* polygons repaired with MakeValid */
	size_t nfiles;
	input_file *files;
	double read_seconds;
	size_t nlevels;             /* = scenario nlevels once read */
	struct level_input *levels; /* places of each upper level (levels.h) */
	/* Only some units (run --shard K/N --cut, include/shard.h): set before
	 * inputs_read(), feature i of the units source (reading order) is read
	 * iff unit_keep[i], and the source must have unit_keep_n features (else
	 * an input error: the cut was made on another input). Then unit_key[u]
	 * is unit u's index in the source (owned) and units[u].order its
	 * 1-based position there. NULL: every unit, unit_key NULL. */
	const unsigned char *unit_keep;
	size_t unit_keep_n;
	long *unit_key;
} inputs;

/* Read and validate everything the scenario names (io/read_*.c). Every data
 * problem is recorded in `st`; returns STATUS_INPUT if any is an error, and
 * then `in` holds whatever could be read (free it anyway). */
status_code inputs_read(const scenario *sc, inputs *in, status *st);

/* Release everything; safe on a zeroed or partly filled struct. */
void inputs_free(inputs *in);

#endif
