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

#include "phases.h"
#include "status.h"

typedef enum scenario_objective {
	OBJECTIVE_MIN_STATIONS = 0,
	OBJECTIVE_MIN_DISTANCE = 1
} scenario_objective;
typedef enum scenario_rural {
	RURAL_ONE_PER_VILLAGE = 0,
	RURAL_AS_URBAN = 1,
	RURAL_ONE_PER_ADMIN_VILLAGE = 2, /* one point per administrative village (solver/rural.c) */
	RURAL_SHARED = 3                 /* villages share stations within rural_walk_distance_m */
} scenario_rural;
typedef enum scenario_demand { DEMAND_REPRESENTATIVE = 0, DEMAND_SAMPLES = 1 } scenario_demand;
typedef enum scenario_split { SPLIT_EQUAL = 0, SPLIT_FLEXIBLE = 1 } scenario_split;

/* One upper level of the network, from a [level.NAME] section (see
 * src/core/scenario_levels.c). Levels are kept bottom to top, in the order
 * their sections first appear. */
typedef enum level_per {
	LEVEL_PER_UNSET = 0,
	LEVEL_PER_STREET = 1,
	LEVEL_PER_DISTRICT = 2,
	LEVEL_PER_CITY = 3
} level_per;
typedef enum level_at { LEVEL_AT_UNSET = 0, LEVEL_AT_STATIONS = 1, LEVEL_AT_BELOW = 2 } level_at;

typedef struct scenario_level {
	char *name;             /* NAME of [level.NAME]: the output layer */
	int line;               /* line of its first section header, 0 when made by --set */
	level_per per;          /* one facility (or `count`) per group */
	long count;             /* -1 = unset; with per: per group, else over the city */
	char *candidates;       /* point layer of allowed places */
	char *candidates_layer; /* "" = the only layer */
	char *parcels;          /* polygon layer of land parcels */
	char *parcels_layer;    /* "" = the only layer */
	double min_area_m2;     /* parcels smaller than this do not qualify */
	level_at at;            /* stations: at the bottom stations; below: at the level below */
	char *existing;         /* point layer of facilities kept open */
	char *existing_layer;   /* "" = the only layer */
	char *id_field;         /* id of a place in its layers; "" = input.id_field, else "id" */
	char *required;         /* comma-separated group names that must get a facility */
	double capacity;        /* 0 = none; households, or tonnes/day when capacity_tonnes */
	int capacity_tonnes;    /* 1: capacity was written "N t/day" */
	double max_distance_m;  /* 0 = none */
	int cross_groups;       /* 1: lower facilities may route to another group's */
} scenario_level;

typedef enum scenario_roads_fallback {
	ROADS_FALLBACK_NONE = 0,
	ROADS_FALLBACK_STRAIGHT = 1
} scenario_roads_fallback;
typedef enum scenario_partition {
	PARTITION_COMPONENT = 0,
	PARTITION_STREET = 1
} scenario_partition;

/* All strings are owned by the scenario (heap, freed by scenario_free) and
 * never NULL after scenario_init(): an unset optional value is "". Paths are
 * stored resolved against the scenario file's folder. */
typedef enum scenario_lang { SCENARIO_LANG_EN = 0, SCENARIO_LANG_ZH = 1 } scenario_lang;

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
	/* streets (issue 17): walking distance along them when `roads` is set */
	char *roads;                /* optional line layer of street centre lines */
	char *roads_layer;          /* "" = the only layer */
	char *roads_open_options;   /* "KEY=VALUE,..." as for units */
	char *roads_oneway_field;   /* "oneway": yes/true/1 along, -1/reverse against */
	char *roads_walkable_field; /* "" = every line walkable */
	char *roads_exclude;        /* "" = walkable field is 0/1; else its excluded values */
	int roads_walk_oneway;      /* 0: pedestrians ignore oneway */
	int roads_noded;            /* 1: lines already split at junctions (no noding) */
	double roads_snap_m;        /* 200: farthest attachment of a point to a street */
	double roads_merge_m;       /* 0.5: line ends closer than this are one junction */
	scenario_roads_fallback roads_fallback; /* none: off-street points get no pairs */

	/* [rules] */
	long households_min;            /* 3000 */
	long households_max;            /* 5000 */
	double walk_distance_m;         /* 1000 */
	scenario_rural rural;           /* one_per_village */
	scenario_objective objective;   /* min_stations */
	scenario_split split;           /* equal: a unit over the maximum in equal parts */
	double candidate_spacing_m;     /* 250: grid of extra candidates in urban units */
	scenario_demand demand_points;  /* representative */
	double demand_sample_spacing_m; /* 500: spacing of demand samples (samples mode) */
	int rural_split_large;          /* false: a village above households_max keeps one station
	                                   (flagged); true: the urban band plans it */
	long max_stations;              /* -1 = none: at most this many new stations */
	long stations;                  /* -1 = none: exactly this many new stations */

	/* [solver] */
	double time_limit_s;          /* 60, per run */
	double mip_gap;               /* 0.005 */
	int threads;                  /* 0 = number of cores */
	scenario_partition partition; /* component */
	unsigned long seed;           /* 1: tie-breaking in heuristics */
	long work_limit;              /* 0: none; deterministic work units per sub-problem */

	/* [rules] for the upper levels */
	double kg_per_household_day; /* 0 = not given: no tonnes, no capacity in t/day */

	/* rural = one_per_admin_village / shared (solver/rural.c) */
	char *admin_village_field;    /* [input] field with the administrative village's code */
	double rural_walk_distance_m; /* 2000: a shared station's reach */
	long rural_households_min;    /* 0 */
	long rural_households_max;    /* 3000 */

	/* [level.NAME] sections, bottom to top (src/core/scenario_levels.c) */
	size_t nlevels;
	scenario_level *levels;

	/* [output] */
	char *path;         /* "plan.gpkg" */
	char *output_crs;   /* "" = working CRS */
	int timings;        /* 0: no wall-clock seconds in the file, so it is reproducible */
	scenario_lang lang; /* en: words of the styles, legend and QGIS project */
	char *schema;       /* "": PostGIS output (-o PG:...) writes into this schema */

	/* [input] edits kept from a previous plan (see README "Editing a plan") */
	char *keep;       /* "" = none: a plan's `stations` layer as edited in QGIS */
	char *keep_layer; /* "stations" */

	/* [phases]: years with cumulative budgets (include/phases.h) */
	phases_spec phases;
} scenario;

/* Set every default. Never fails except out of memory (returns STATUS_INTERNAL). */
status_code scenario_init(scenario *sc, status *st);

/* Read `path` over the current values. Syntax errors name the line; unknown
 * keys are errors with a "did you mean" suggestion. All problems are
 * recorded (status_problem_add) before returning STATUS_INPUT. */
status_code scenario_load(scenario *sc, const char *path, status *st);

/* The same from `len` bytes of `text` (need not end with a NUL; a NUL
 * inside is an error), as if read from a file named `name` in folder `dir`
 * (NULL = "."). Lines may have any length; a NUL byte or invalid UTF-8 is
 * refused with its line and column ("s.ini:3: NUL byte at column 7"),
 * before any value is applied. Used by scenario_load() and the fuzzer. */
status_code scenario_load_text(scenario *sc, const char *name, const char *dir, const char *text,
                               size_t len, status *st);

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

/* 1 when key i names something the run reads (a path or list of paths
 * outside [output]): the outputs are checked against these (sources.h). */
int scenario_key_is_source(size_t i);

void scenario_free(scenario *sc);

/* The keys of level `i` that differ from their defaults, one "key = value"
 * per line, into buf ("" for a level out of range). For the run record. */
void scenario_level_describe(const scenario *sc, size_t i, char *buf, size_t size);

/* Every key of every level, set or default, one "level.NAME.key = value"
 * per line: levels bottom to top, keys in the order of the level key table
 * (src/core/scenario_levels.c). Into buf ("" without levels; cut at size).
 * For the run record's parameters, so `compare` lists level settings. */
void scenario_levels_text(const scenario *sc, char *buf, size_t size);

/* 1 for a connection string or GDAL virtual path ("PG:...", "GPKG:...",
 * "/vsizip/..."), which is neither checked for existence nor joined to the
 * scenario's folder; 0 for a plain file path (a drive letter is not a
 * prefix: at least two letters before the colon). */
int scenario_path_is_connection(const char *path);

#endif
