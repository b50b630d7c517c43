/*
 * scenario_levels.c: the [level.NAME] sections of a scenario, one per upper
 * level of the network (transfer stations, sorting centres, markets, ...),
 * bottom to top in the order their sections first appear.
 *
 * A level's keys are described once, in level_keys[] below, the way
 * scenario.c describes the fixed keys: name, type, place in struct
 * scenario_level, default. NAME becomes the output layer's name, so it must
 * be a plain lower-case identifier and not a layer the plan already has.
 * scenario_levels_validate() checks each level alone (where it may go,
 * per/count, capacity) and against the others (`at = stations` only on the
 * first level); data checks (layers, fields, groups) come later, in io and
 * in the levels solver.
 */
#include "scenario_int.h"
#include "grow.h"

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LEVELS_MAX 8

typedef enum lkey_type {
	LK_STR,
	LK_PATH,
	LK_BOOL,
	LK_LONG,
	LK_DOUBLE,
	LK_ENUM,
	LK_CAPACITY
} lkey_type;

typedef struct lkey_def {
	const char *name;
	lkey_type type;
	size_t off; /* offsetof(scenario_level, field) */
	const char *def;
	const char *const *names; /* LK_ENUM: value names in enum order */
} lkey_def;

static const char *const per_names[] = {"", "street", "district", "city", NULL};
static const char *const at_names[] = {"", "stations", "below", NULL};

/* As keys[] in scenario.c: name, type (LKEYE: the value names), default. */
#define LKEY(name, type, def)                                                                      \
	{                                                                                          \
#name, type, offsetof(scenario_level, name), def, NULL                             \
	}
#define LKEYE(name, names, def)                                                                    \
	{                                                                                          \
#name, LK_ENUM, offsetof(scenario_level, name), def, names                         \
	}

static const lkey_def level_keys[] = {
    LKEYE(per, per_names, ""),
    LKEY(count, LK_LONG, "-1"),
    LKEY(candidates, LK_PATH, ""),
    LKEY(candidates_layer, LK_STR, ""),
    LKEY(parcels, LK_PATH, ""),
    LKEY(parcels_layer, LK_STR, ""),
    LKEY(min_area_m2, LK_DOUBLE, "0"),
    LKEYE(at, at_names, ""),
    LKEY(existing, LK_PATH, ""),
    LKEY(existing_layer, LK_STR, ""),
    LKEY(id_field, LK_STR, ""),
    LKEY(required, LK_STR, ""),
    LKEY(capacity, LK_CAPACITY, "0"),
    LKEY(max_distance_m, LK_DOUBLE, "0"),
    LKEY(cross_groups, LK_BOOL, "false"),
};

#define NLKEYS (sizeof(level_keys) / sizeof(level_keys[0]))

/* Layers the plan writes itself: a level may not take their names. */
static const char *const reserved[] = {
    "stations",         "service_areas",  "assignments", "links",           "uncovered",
    "summary_district", "summary_street", "run",         "run_subproblems", "flows",
    "parcels_used",     "unplaced",       "run_levels",  "layer_styles",    NULL};

int scenario_levels_is_section(const char *section)
{
	return !strncmp(section, "level.", 6);
}

static char **lstr_at(scenario_level *lv, const lkey_def *k)
{
	return (char **)((char *)lv + k->off);
}

/* 1 when `name` is a lower-case identifier and no layer of the plan. */
static int name_ok(const char *name, const char **why)
{
	if (!*name || strlen(name) > 48 || !((*name >= 'a' && *name <= 'z') || *name == '_')) {
		*why = "must start with a lower-case letter or '_' and be at most 48 characters";
		return 0;
	}
	for (const char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_')) {
			*why = "may hold only a-z, 0-9 and '_' (it names the output layer)";
			return 0;
		}
	for (size_t i = 0; reserved[i]; i++)
		if (!strcmp(name, reserved[i]) || !strncmp(name, "gpkg_", 5) ||
		    !strncmp(name, "sqlite_", 7)) {
			*why = "is a layer the plan already has";
			return 0;
		}
	return 1;
}

/* Parse "N" (households) or "N t/day" (tonnes per day). */
static int capacity_parse(const char *v, double *x, int *tonnes)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (end == v || errno || !isfinite(d))
		return -1;
	while (*end == ' ')
		end++;
	if (!*end) {
		*x = d, *tonnes = 0;
		return 0;
	}
	if (!strcmp(end, "t/day") || !strcmp(end, "t/d") || !strcmp(end, "t")) {
		*x = d, *tonnes = 1;
		return 0;
	}
	return -1;
}

/* The shared value syntax of a level key of type LK_BOOL, LK_LONG or LK_DOUBLE. */
static scenario_int_type scalar_type(lkey_type t)
{
	assert(t == LK_BOOL || t == LK_LONG || t == LK_DOUBLE);
	return t == LK_BOOL   ? SCENARIO_INT_BOOL
	       : t == LK_LONG ? SCENARIO_INT_LONG
	                      : SCENARIO_INT_DOUBLE;
}

/* Set key `k` of `lv` from text; -1 with `err` on a bad value, -2 out of memory. */
static int lkey_set(scenario_level *lv, const lkey_def *k, const char *v, const char *dir,
                    char *err, size_t errsize)
{
	void *f = (char *)lv + k->off;
	switch (k->type) {
	case LK_STR:
	case LK_PATH: {
		char *s = k->type == LK_STR ? strdup(v) : scenario_int_path_resolve(dir, v);
		return scenario_int_set_text(lstr_at(lv, k), s);
	}
	case LK_BOOL:
	case LK_LONG:
	case LK_DOUBLE:
		return scenario_int_set_scalar(scalar_type(k->type), v, f, NULL, k->name, err,
		                               errsize);
	case LK_CAPACITY:
		if (capacity_parse(v, &lv->capacity, &lv->capacity_tonnes) == 0)
			return 0;
		snprintf(err, errsize,
		         "%s = '%s', must be households (20000) or tonnes per day (60 t/day)",
		         k->name, v);
		return -1;
	case LK_ENUM:
		/* names[0] is "": the empty value (none), never listed as a choice */
		if (!*v) {
			*(int *)f = 0;
			return 0;
		}
		return scenario_int_set_enum(k->names, 1, v, f, NULL, k->name, err, errsize);
	}
	return -1;
}

/* The level called `name`, created at the top with every default when new.
 * NULL out of memory (a new level is then counted with the defaults set so
 * far, for scenario_free()). */
static scenario_level *level_get(scenario *sc, const char *name, int line)
{
	int added;
	scenario_level *lv = grow_named(&sc->levels, &sc->nlevels, sizeof(*sc->levels),
	                                offsetof(scenario_level, name), name, &added);
	if (!lv || !added)
		return lv;
	lv->line = line;
	char err[256];
	for (size_t i = 0; i < NLKEYS; i++) {
		const lkey_def *k = &level_keys[i];
		if ((k->type == LK_STR || k->type == LK_PATH) && !(*lstr_at(lv, k) = strdup("")))
			return NULL;
		if (lkey_set(lv, k, k->def, NULL, err, sizeof(err)) == -2)
			return NULL;
	}
	return lv;
}

static void suggest_level_key(const char *name, char *buf, size_t bufsize)
{
	const lkey_def *best = NULL;
	size_t bestd = (size_t)-1;
	for (size_t i = 0; i < NLKEYS; i++) {
		size_t d = scenario_int_edit_distance(name, level_keys[i].name);
		if (d < bestd)
			bestd = d, best = &level_keys[i];
	}
	buf[0] = '\0';
	if (best && (bestd <= 2 || bestd <= strlen(name) / 3))
		snprintf(buf, bufsize, " (did you mean '%s'?)", best->name);
}

int scenario_levels_apply(scenario *sc, const char *where, int line, const char *section,
                          const char *name, const char *value, const char *dir, status *st)
{
	const char *lname = section + 6, *why;
	char err[512], hint[128];
	if (!name_ok(lname, &why)) {
		status_problem_add(st, SEV_ERROR, "scenario", "%s: [%s]: level name '%s' %s", where,
		                   section, lname, why);
		return 0;
	}
	const lkey_def *k = NULL;
	for (size_t i = 0; i < NLKEYS; i++)
		if (!strcmp(level_keys[i].name, name))
			k = &level_keys[i];
	if (!k) {
		suggest_level_key(name, hint, sizeof(hint));
		status_problem_add(st, SEV_ERROR, "scenario", "%s: unknown key '%s' in [%s]%s",
		                   where, name, section, hint);
		return 0;
	}
	int known = 0;
	for (size_t i = 0; i < sc->nlevels; i++)
		known |= !strcmp(sc->levels[i].name, lname);
	if (!known && sc->nlevels >= LEVELS_MAX) {
		status_problem_add(st, SEV_ERROR, "scenario", "%s: [%s]: more than %d levels",
		                   where, section, LEVELS_MAX);
		return 0;
	}
	scenario_level *lv = level_get(sc, lname, line);
	if (!lv)
		return -2;
	int r = lkey_set(lv, k, value, dir, err, sizeof(err));
	if (r == -1)
		status_problem_add(st, SEV_ERROR, "scenario", "%s: level.%s.%s", where, lname, err);
	return r == -2 ? -2 : 0;
}

int scenario_levels_suggest_section(const char *section, char *buf, size_t bufsize)
{
	const char *dot = strchr(section, '.');
	if (!dot || dot == section || !dot[1])
		return 0;
	char head[64];
	snprintf(head, sizeof(head), "%.*s", (int)(dot - section), section);
	if (scenario_int_edit_distance(head, "level") > 2)
		return 0;
	snprintf(buf, bufsize, " (did you mean [level.%s]?)", dot + 1);
	return 1;
}

/* "scenario.ini:12: [level.x]" or "[level.x]" (made by --set), into buf. */
static const char *where_level(const scenario *sc, const scenario_level *lv, char *buf, size_t n)
{
	if (lv->line > 0)
		snprintf(buf, n, "%s:%d: [level.%s]", sc->file, lv->line, lv->name);
	else
		snprintf(buf, n, "[level.%s]", lv->name);
	return buf;
}

/* Number of comma-separated non-empty items of `list`. */
static long list_count(const char *list)
{
	long n = 0;
	for (const char *s = list; *s;) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		n += strspn(s, " \t") < len;
		s = e ? e + 1 : s + len;
	}
	return n;
}

static void level_validate(const scenario *sc, size_t i, status *st)
{
	const scenario_level *lv = &sc->levels[i];
	char w[600];
	where_level(sc, lv, w, sizeof(w));
#define BAD(...) status_problem_add(st, SEV_ERROR, "scenario", __VA_ARGS__)
	if (lv->per == LEVEL_PER_UNSET && lv->count < 0)
		BAD("%s: set per (street, district or city) or count", w);
	if (lv->count == 0 || lv->count < -1)
		BAD("%s: count = %ld, must be >= 1", w, lv->count);
	int nwhere = !!*lv->candidates + !!*lv->parcels + (lv->at != LEVEL_AT_UNSET);
	if (nwhere == 0)
		BAD("%s: set where the facilities may go: candidates, parcels or at = stations", w);
	if (nwhere > 1)
		BAD("%s: candidates, parcels and at contradict: give only one of them", w);
	if (*lv->candidates_layer && !*lv->candidates)
		BAD("%s: candidates_layer = %s without candidates", w, lv->candidates_layer);
	if (*lv->parcels_layer && !*lv->parcels)
		BAD("%s: parcels_layer = %s without parcels", w, lv->parcels_layer);
	if (*lv->existing_layer && !*lv->existing)
		BAD("%s: existing_layer = %s without existing", w, lv->existing_layer);
	if (lv->min_area_m2 < 0)
		BAD("%s: min_area_m2 = %g, must be >= 0", w, lv->min_area_m2);
	if (lv->min_area_m2 > 0 && !*lv->parcels)
		BAD("%s: min_area_m2 = %g applies to parcels, and none are given", w,
		    lv->min_area_m2);
	if (lv->at == LEVEL_AT_STATIONS && i > 0)
		BAD("%s: at = stations above level '%s' (use at = below for the level below)", w,
		    sc->levels[i - 1].name);
	if (lv->capacity < 0)
		BAD("%s: capacity = %g, must be > 0", w, lv->capacity);
	if (lv->capacity > 0 && lv->capacity_tonnes && !(sc->kg_per_household_day > 0))
		BAD("%s: capacity = %g t/day needs rules.kg_per_household_day > 0", w,
		    lv->capacity);
	if (lv->max_distance_m < 0)
		BAD("%s: max_distance_m = %g, must be >= 0 (0 = no limit)", w, lv->max_distance_m);
	long nreq = list_count(lv->required);
	if (nreq > 0 && (lv->per == LEVEL_PER_CITY || lv->per == LEVEL_PER_UNSET) &&
	    lv->count >= 1 && lv->count < nreq)
		BAD("%s: count = %ld over the city contradicts %ld required groups", w, lv->count,
		    nreq);
	if (nreq > 0 && lv->per == LEVEL_PER_CITY && lv->count < 0)
		BAD("%s: per = city places one facility, and %ld groups are required (set "
		    "count)",
		    w, nreq);
#undef BAD
}

void scenario_levels_validate(const scenario *sc, status *st)
{
	/* the rural rules beside the levels: rules.rural = one_per_admin_village / shared */
	if (sc->rural == RURAL_ONE_PER_ADMIN_VILLAGE && !*sc->admin_village_field)
		status_problem_add(st, SEV_ERROR, "scenario",
		                   "input: admin_village_field = '', must name the field holding "
		                   "each village's administrative village code (rural = "
		                   "one_per_admin_village)");
	if (sc->rural == RURAL_SHARED) {
		if (!(sc->rural_walk_distance_m > 0))
			status_problem_add(st, SEV_ERROR, "scenario",
			                   "rules: rural_walk_distance_m = %g, must be > 0",
			                   sc->rural_walk_distance_m);
		if (sc->rural_households_min < 0 || sc->rural_households_max <= 0 ||
		    sc->rural_households_min > sc->rural_households_max)
			status_problem_add(
			    st, SEV_ERROR, "scenario",
			    "rules: rural_households_min = %ld, rural_households_max = "
			    "%ld, must be 0 <= min <= max and max > 0",
			    sc->rural_households_min, sc->rural_households_max);
	}
	if (sc->kg_per_household_day < 0)
		status_problem_add(st, SEV_ERROR, "scenario",
		                   "rules: kg_per_household_day = %g, must be >= 0",
		                   sc->kg_per_household_day);
	for (size_t i = 0; i < sc->nlevels; i++)
		level_validate(sc, i, st);
	/* a [phases] budget LEVEL.YEAR names a level (solver/levels_phases.c) */
	for (size_t b = 0; b < sc->phases.nlevel; b++) {
		const phases_level *pl = &sc->phases.level[b];
		size_t i = 0;
		while (i < sc->nlevels && strcmp(sc->levels[i].name, pl->level))
			i++;
		if (i < sc->nlevels)
			continue;
		char names[1024] = "";
		size_t n = 0;
		for (size_t k = 0; k < sc->nlevels && n < sizeof(names); k++)
			n += (size_t)snprintf(names + n, sizeof(names) - n, "%s%s", k ? ", " : "",
			                      sc->levels[k].name);
		status_problem_add(st, SEV_ERROR, "scenario",
		                   "phases: %s.%d = %ld: no [level.%s] (%s%s)", pl->level, pl->year,
		                   pl->budget, pl->level, sc->nlevels ? "levels: " : "no levels",
		                   names);
	}
}

/* The canonical text of level key `d` in `lv` ("150 t/day", "true", ...). */
static void level_key_value(const scenario_level *lv, const lkey_def *d, char *v, size_t size)
{
	const void *f = (const char *)lv + d->off;
	switch (d->type) {
	case LK_STR:
	case LK_PATH:
		snprintf(v, size, "%s", *(char *const *)f);
		break;
	case LK_BOOL:
	case LK_LONG:
	case LK_DOUBLE:
		scenario_int_text(scalar_type(d->type), f, v, size);
		break;
	case LK_CAPACITY:
		snprintf(v, size, "%.15g%s", lv->capacity, lv->capacity_tonnes ? " t/day" : "");
		break;
	case LK_ENUM:
		snprintf(v, size, "%s", d->names[*(const int *)f]);
		break;
	}
}

void scenario_levels_text(const scenario *sc, char *buf, size_t size)
{
	if (!size)
		return;
	buf[0] = '\0';
	size_t n = 0;
	for (size_t i = 0; i < sc->nlevels && n < size; i++) {
		const scenario_level *lv = &sc->levels[i];
		for (size_t k = 0; k < NLKEYS && n < size; k++) {
			const lkey_def *d = &level_keys[k];
			char v[1024];
			level_key_value(lv, d, v, sizeof(v));
			n += (size_t)snprintf(buf + n, size - n, "%slevel.%s.%s = %s",
			                      n ? "\n" : "", lv->name, d->name, v);
		}
	}
	if (n >= size)
		buf[size - 1] = '\0';
}

void scenario_levels_free(scenario *sc)
{
	for (size_t i = 0; i < sc->nlevels; i++) {
		scenario_level *lv = &sc->levels[i];
		for (size_t k = 0; k < NLKEYS; k++)
			if (level_keys[k].type == LK_STR || level_keys[k].type == LK_PATH)
				free(*lstr_at(lv, &level_keys[k]));
		free(lv->name);
	}
	free(sc->levels);
	sc->levels = NULL;
	sc->nlevels = 0;
}

void scenario_level_describe(const scenario *sc, size_t i, char *buf, size_t size)
{
	if (!size)
		return;
	buf[0] = '\0';
	if (i >= sc->nlevels)
		return;
	const scenario_level *lv = &sc->levels[i];
	size_t n = 0;
	for (size_t k = 0; k < NLKEYS && n < size; k++) {
		const lkey_def *d = &level_keys[k];
		char v[1024];
		level_key_value(lv, d, v, sizeof(v));
		if (!strcmp(v, d->def) || (d->type == LK_CAPACITY && lv->capacity == 0))
			continue;
		n += (size_t)snprintf(buf + n, size - n, "%s%s = %s", n ? "\n" : "", d->name, v);
	}
}
