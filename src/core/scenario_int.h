/*
 * scenario_int.h: internal to the scenario module (src/core/scenario.c and
 * src/core/scenario_levels.c) and its unit tests.
 *
 * scenario.c owns the fixed key table and the INI reader; the [level.NAME]
 * sections, whose names the user chooses, are parsed and validated in
 * scenario_levels.c with the same value syntax, messages and suggestions.
 */
#ifndef STATIONPLAN_SCENARIO_INT_H
#define STATIONPLAN_SCENARIO_INT_H

#include <stddef.h>

#include "scenario.h"

/* scenario.c: "dir/value" for a relative source path, a copy of `value`
 * (trimmed) otherwise; NULL out of memory. Caller frees. */
char *scenario_int_path_resolve(const char *dir, const char *value);

/* The value syntax every key shares, fixed or of a level (scenario.c). */
typedef enum scenario_int_type {
	SCENARIO_INT_BOOL,  /* int: true/yes/1/on, false/no/0/off */
	SCENARIO_INT_LONG,  /* long: a whole number */
	SCENARIO_INT_DOUBLE /* double: a finite number */
} scenario_int_type;

/* Put the text `s` (malloc'd; NULL when its allocation failed) into the
 * text field at `at`, freeing the text there. Returns 0, or -2 when `s` is
 * NULL (the field unchanged): the out-of-memory code of the key setters. */
int scenario_int_set_text(char **at, char *s);

/* Parse `v` as a value of type `t` into *f (an int, long or double).
 * Returns 0, or -1 with *f untouched and *must set to what the value must
 * be ("true or false", "a whole number", "a number"). */
int scenario_int_parse(scenario_int_type t, const char *v, void *f, const char **must);

/* scenario_int_parse() of a key's value: on a bad value writes
 * "section.name = 'v', must be ..." (just "name = ..." when `section` is
 * NULL) into err and returns -1; else 0 with *f set. */
int scenario_int_set_scalar(scenario_int_type t, const char *v, void *f, const char *section,
                            const char *name, char *err, size_t errsize);

/* An enum key's value: the index i >= first of names[i] (a NULL-ended
 * list) equal to `v` without regard to case into *f, returning 0; else -1
 * with "section.name = 'v', must be one of a, b, c" (names from `first`;
 * "name = ..." when `section` is NULL) in err. */
int scenario_int_set_enum(const char *const *names, int first, const char *v, int *f,
                          const char *section, const char *name, char *err, size_t errsize);

/* The canonical text of the value of type `t` at `f` ("true", "3000",
 * "0.005") into buf. */
void scenario_int_text(scenario_int_type t, const void *f, char *buf, size_t size);

/* scenario.c: Levenshtein distance of two short strings ((size_t)-1 when
 * either is 64 bytes or longer). */
size_t scenario_int_edit_distance(const char *a, const char *b);

/* scenario_levels.c: 1 when `section` is "level.<something>". */
int scenario_levels_is_section(const char *section);

/* Apply `name = value` of section "level.NAME" (creating the level, at the
 * top, on its first key). `where` ("file:12" or "--set '...'") prefixes
 * every problem; `line` is the section header's line (0 for --set); `dir`
 * resolves relative paths (NULL: none). Bad names, unknown keys (with "did
 * you mean") and bad values are recorded in `st`. Returns 0, or -2 out of
 * memory. */
int scenario_levels_apply(scenario *sc, const char *where, int line, const char *section,
                          const char *name, const char *value, const char *dir, status *st);

/* " (did you mean [level.x]?)" for a misspelt "levels.x" or "lvel.x" into
 * buf; returns 1 when it wrote one, else 0 and buf is untouched. */
int scenario_levels_suggest_section(const char *section, char *buf, size_t bufsize);

/* Check every level alone and against the others (see scenario_levels.c);
 * each problem is recorded as an error in `st`. */
void scenario_levels_validate(const scenario *sc, status *st);

/* Release the levels; safe on a scenario without levels. */
void scenario_levels_free(scenario *sc);

#endif
