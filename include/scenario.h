/*
 * scenario.h: every parameter of a run, with its default.
 *
 * A scenario is an INI file (see the interface contract in PRODUCT.md and
 * README.md). scenario_init() sets every default; scenario_load() reads a
 * file over them; scenario_set() applies one `--set section.key=value`;
 * scenario_validate() checks the values together and names the bad one.
 * Every key is described once, in the key table of src/core/scenario.c, which also
 * drives the `run` record and `compare`'s parameter diff.
 */
#ifndef STATIONPLAN_SCENARIO_H
#define STATIONPLAN_SCENARIO_H

#include "status.h"

typedef enum scenario_objective {
	OBJECTIVE_MIN_STATIONS = 0,
	OBJECTIVE_MIN_DISTANCE = 1
} scenario_objective;
typedef enum scenario_rural { RURAL_ONE_PER_VILLAGE = 0, RURAL_AS_URBAN = 1 } scenario_rural;
typedef enum scenario_demand { DEMAND_REPRESENTATIVE = 0, DEMAND_SAMPLES = 1 } scenario_demand;
typedef enum scenario_partition {
	PARTITION_COMPONENT = 0,
	PARTITION_STREET = 1
} scenario_partition;

/* All strings are owned by the scenario (heap, freed by scenario_free) and
 * never NULL after scenario_init(): an unset optional value is "". Paths are
 * stored resolved against the scenario file's folder. */
typedef struct scenario {
	char *file; /* the scenario file as given, "" for none */
	char *dir;  /* its folder, against which relative paths resolve */

	/* [input] */
	char *units;              /* any OGR source */
	char *units_layer;        /* "" = the only layer */
	char *units_open_options; /* "KEY=VALUE,KEY=VALUE" passed to GDALOpenEx */
	char *id_field;           /* "code" */
	char *name_field;         /* "name" */
	char *households_field;   /* "households" */
	char *households_table;   /* optional CSV */
	char *households_key;     /* "code" */
	char *kind_field;         /* "kind"; when the field is absent, infer from name */
	char *kind_urban_values;  /* "community,urban,社区,居委会" */
	char *kind_rural_values;  /* "village,rural,村" */
	char *district_field;     /* "district" */
	char *street_field;       /* "street" */
	char *crs;                /* "auto" or "EPSG:xxxx" */
	char *assume_crs;         /* CRS for sources without one, "" = error */
	char *existing;           /* optional point layer of stations to keep */
	char *existing_layer;
	char *candidates; /* optional point layer of allowed sites */
	char *candidates_layer;
	int candidates_only;     /* 0: user candidates are added to generated ones */
	char *exclude;           /* optional polygon source(s), comma-separated */
	double exclude_buffer_m; /* 0 */

	/* [rules] */
	long households_min;            /* 3000 */
	long households_max;            /* 5000 */
	double walk_distance_m;         /* 1000 */
	scenario_rural rural;           /* one_per_village */
	scenario_objective objective;   /* min_stations */
	double candidate_spacing_m;     /* 250: grid of extra candidates in urban units */
	scenario_demand demand_points;  /* representative */
	double demand_sample_spacing_m; /* 500: spacing of demand samples (samples mode) */

	/* [solver] */
	double time_limit_s;          /* 60, per run */
	double mip_gap;               /* 0.005 */
	int threads;                  /* 0 = number of cores */
	scenario_partition partition; /* component */
	unsigned long seed;           /* 1: tie-breaking in heuristics */

	/* [output] */
	char *path;       /* "plan.gpkg" */
	char *output_crs; /* "" = working CRS */
	int timings;      /* 0: no wall-clock seconds in the file, so it is reproducible */
	char *schema;     /* "": PostGIS output (-o PG:...) writes into this schema */
} scenario;

/* Set every default. Never fails except out of memory (returns STATUS_INTERNAL). */
status_code scenario_init(scenario *sc, status *st);

/* Read `path` over the current values. Syntax errors name the line; unknown
 * keys are errors with a "did you mean" suggestion. All problems are
 * recorded (status_problem_add) before returning STATUS_INPUT. */
status_code scenario_load(scenario *sc, const char *path, status *st);

/* Apply "section.key=value" (from --set). Same checks as a file line. */
status_code scenario_set(scenario *sc, const char *assignment, status *st);

/* Check values together (min <= max, distances > 0, ...); every problem is
 * recorded, message names the key: "rules: households_min = 6000 > households_max = 5000". */
status_code scenario_validate(const scenario *sc, status *st);

/* Iterate over every key, in file order, with its current value as text
 * (for the run record and compare). Returns the number of keys; fills the
 * i-th when 0 <= i < count. `buf` receives the value text. */
size_t scenario_key_count(void);
const char *scenario_key_name(size_t i); /* "rules.households_min" */
void scenario_key_value(const scenario *sc, size_t i, char *buf, size_t bufsize);

void scenario_free(scenario *sc);

/* 1 for a connection string or GDAL virtual path ("PG:...", "GPKG:...",
 * "/vsizip/..."), which is neither checked for existence nor joined to the
 * scenario's folder; 0 for a plain file path (a drive letter is not a
 * prefix: at least two letters before the colon). */
int scenario_path_is_connection(const char *path);

#endif
