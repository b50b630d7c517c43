/*
 * scenario.c: the scenario file: every key, its default, parsing, `--set`
 * overrides, validation and canonical text for the run record.
 *
 * One table (keys[] below) describes every key once: section, name, type,
 * where it lives in struct scenario and its default as text. Defaults,
 * the INI handler, `--set`, scenario_key_value() and the "did you mean"
 * suggestions all walk that table, so a key added there is parsed, printed
 * and diffed everywhere. The INI syntax itself is libinih's: this file only
 * feeds it lines (to know the line of every key and to find every syntax
 * error, not only the first) and interprets the pairs it returns.
 *
 * Reading (issue 14): the whole file is read and checked first (no NUL
 * byte, valid UTF-8, each bad line named), then handed to libinih through
 * an fgets-style reader while inih's heap line buffer grows (runtime
 * ini_allow_realloc, ini_max_line set from the longest line), so no line
 * is cut or joined with the next, whatever its length. libinih stays the
 * parser of the INI syntax (a maintained parser, as PRODUCT.md asks); only
 * the delivery of lines and the byte checks are ours.
 */
#include "scenario.h"
#include "grow.h"
#include "scenario_int.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <ini.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum key_type {
	K_STR,   /* plain text */
	K_PATH,  /* a source path, resolved against the scenario's folder */
	K_PATHS, /* comma-separated source paths, each resolved */
	K_BOOL,
	K_INT,
	K_LONG,
	K_ULONG,
	K_DOUBLE,
	K_ENUM
} key_type;

typedef struct key_def {
	const char *section;
	const char *name;
	key_type type;
	size_t off;               /* offsetof(scenario, field) */
	const char *def;          /* default, as it would be written in the file */
	const char *const *names; /* K_ENUM: value names in enum order, NULL-terminated */
} key_def;

static const char *const rural_names[] = {"one_per_village", "as_urban", "one_per_admin_village",
                                          "shared", NULL};
static const char *const objective_names[] = {"min_stations", "min_distance", NULL};
static const char *const split_names[] = {"equal", "flexible", NULL};
static const char *const demand_names[] = {"representative", "samples", NULL};
static const char *const partition_names[] = {"component", "street", NULL};
static const char *const lang_names[] = {"en", "zh", NULL};
static const char *const roads_fallback_names[] = {"none", "straight", NULL};

/* One row per key, every row the same columns: section, name, type (for an
 * enum key, KEYE, the list of its value names), default. */
#define KEY(sec, name, type, def)                                                                  \
	{                                                                                          \
		sec, #name, type, offsetof(scenario, name), def, NULL                              \
	}
#define KEYE(sec, name, names, def)                                                                \
	{                                                                                          \
		sec, #name, K_ENUM, offsetof(scenario, name), def, names                           \
	}

static const key_def keys[] = {
    KEY("input", units, K_PATH, ""),
    KEY("input", units_layer, K_STR, ""),
    KEY("input", units_open_options, K_STR, ""),
    KEY("input", id_field, K_STR, "code"),
    KEY("input", name_field, K_STR, "name"),
    KEY("input", households_field, K_STR, "households"),
    KEY("input", households_table, K_PATH, ""),
    KEY("input", households_key, K_STR, "code"),
    KEY("input", kind_field, K_STR, "kind"),
    KEY("input", kind_urban_values, K_STR, "community,urban,社区,居委会"),
    KEY("input", kind_rural_values, K_STR, "village,rural,村"),
    KEY("input", district_field, K_STR, "district"),
    KEY("input", street_field, K_STR, "street"),
    KEY("input", admin_village_field, K_STR, ""),
    KEY("input", crs, K_STR, "auto"),
    KEY("input", assume_crs, K_STR, ""),
    KEY("input", existing, K_PATH, ""),
    KEY("input", existing_layer, K_STR, ""),
    KEY("input", candidates, K_PATH, ""),
    KEY("input", candidates_layer, K_STR, ""),
    KEY("input", candidates_only, K_BOOL, "false"),
    KEY("input", exclude, K_PATHS, ""),
    KEY("input", exclude_buffer_m, K_DOUBLE, "0"),
    KEY("input", roads, K_PATH, ""),
    KEY("input", roads_layer, K_STR, ""),
    KEY("input", roads_open_options, K_STR, ""),
    KEY("input", roads_oneway_field, K_STR, "oneway"),
    KEY("input", roads_walkable_field, K_STR, ""),
    KEY("input", roads_exclude, K_STR, ""),
    KEY("input", roads_walk_oneway, K_BOOL, "false"),
    KEY("input", roads_noded, K_BOOL, "false"),
    KEY("input", roads_snap_m, K_DOUBLE, "200"),
    KEY("input", roads_merge_m, K_DOUBLE, "0.5"),
    KEYE("input", roads_fallback, roads_fallback_names, "none"),
    KEY("rules", households_min, K_LONG, "3000"),
    KEY("rules", households_max, K_LONG, "5000"),
    KEY("rules", walk_distance_m, K_DOUBLE, "1000"),
    KEYE("rules", rural, rural_names, "one_per_village"),
    KEYE("rules", objective, objective_names, "min_stations"),
    KEYE("rules", split, split_names, "flexible"),
    KEY("rules", candidate_spacing_m, K_DOUBLE, "250"),
    KEYE("rules", demand_points, demand_names, "representative"),
    KEY("rules", demand_sample_spacing_m, K_DOUBLE, "500"),
    KEY("rules", rural_split_large, K_BOOL, "false"),
    KEY("rules", kg_per_household_day, K_DOUBLE, "0"),
    KEY("rules", rural_walk_distance_m, K_DOUBLE, "2000"),
    KEY("rules", rural_households_min, K_LONG, "0"),
    KEY("rules", rural_households_max, K_LONG, "3000"),
    KEY("rules", max_stations, K_LONG, "-1"),
    KEY("rules", stations, K_LONG, "-1"),
    KEY("solver", time_limit_s, K_DOUBLE, "60"),
    KEY("solver", mip_gap, K_DOUBLE, "0.005"),
    KEY("solver", threads, K_INT, "0"),
    KEYE("solver", partition, partition_names, "component"),
    KEY("solver", seed, K_ULONG, "1"),
    KEY("solver", work_limit, K_LONG, "0"),
    KEY("output", path, K_PATH, "plan.gpkg"),
    KEY("output", output_crs, K_STR, ""),
    KEY("output", timings, K_BOOL, "false"),
    KEYE("output", lang, lang_names, "en"),
    KEY("input", keep, K_PATH, ""),
    KEY("input", keep_layer, K_STR, "stations"),
    KEY("output", schema, K_STR, ""),
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))

static char **str_at(scenario *sc, const key_def *k)
{
	return (char **)((char *)sc + k->off);
}

static const void *field_at(const scenario *sc, const key_def *k)
{
	return (const char *)sc + k->off;
}

static const key_def *key_find(const char *section, const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name))
			return &keys[i];
	return NULL;
}

static int section_known(const char *section)
{
	if (!strcmp(section, "phases")) /* free keys: years (src/core/phases.c) */
		return 1;
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].section, section))
			return 1;
	return 0;
}

/* "dir/value" for a relative source, a copy of value otherwise. Caller frees. */
static char *path_resolve(const char *dir, const char *value, size_t len)
{
	char *out;
	while (len && (*value == ' ' || *value == '\t'))
		value++, len--;
	while (len && (value[len - 1] == ' ' || value[len - 1] == '\t'))
		len--;
	char *v = strndup(value, len);
	if (!v || !dir || !*dir || !strcmp(dir, ".") || !*v || v[0] == '/' ||
	    scenario_path_is_connection(v))
		return v;
	size_t n = strlen(dir) + len + 2;
	if ((out = malloc(n)))
		snprintf(out, n, "%s/%s", dir, v);
	free(v);
	return out;
}

/* Resolve each item of a comma-separated list. Caller frees. */
static char *paths_resolve(const char *dir, const char *value)
{
	size_t cap = 1, len = 0;
	char *out = calloc(1, 1);
	for (const char *s = value; out && *s;) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		char *one = path_resolve(dir, s, n);
		if (!one) {
			free(out);
			return NULL;
		}
		if (*one) {
			size_t need = len + strlen(one) + 2;
			if (need > cap) {
				if (grow_to(&out, need, 1) != 0) {
					free(one);
					free(out);
					return NULL;
				}
				cap = need;
			}
			len += (size_t)sprintf(out + len, "%s%s", len ? "," : "", one);
		}
		free(one);
		s = e ? e + 1 : s + n;
	}
	return out;
}

static int parse_bool(const char *v, int *out)
{
	static const char *const yes[] = {"true", "yes", "1", "on"};
	static const char *const no[] = {"false", "no", "0", "off"};
	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(v, yes[i]))
			return *out = 1, 0;
		if (!strcasecmp(v, no[i]))
			return *out = 0, 0;
	}
	return -1;
}

int scenario_int_set_text(char **at, char *s)
{
	if (!s)
		return -2;
	free(*at);
	*at = s;
	return 0;
}

int scenario_int_parse(scenario_int_type t, const char *v, void *f, const char **must)
{
	char *end = NULL;
	errno = 0;
	switch (t) {
	case SCENARIO_INT_BOOL:
		*must = "true or false";
		return parse_bool(v, (int *)f);
	case SCENARIO_INT_LONG: {
		*must = "a whole number";
		long x = strtol(v, &end, 10);
		if (!*v || *end || errno)
			return -1;
		*(long *)f = x;
		return 0;
	}
	case SCENARIO_INT_DOUBLE: {
		*must = "a number";
		double x = strtod(v, &end);
		if (!*v || *end || errno || !isfinite(x))
			return -1;
		*(double *)f = x;
		return 0;
	}
	}
	return -1;
}

int scenario_int_set_scalar(scenario_int_type t, const char *v, void *f, const char *section,
                            const char *name, char *err, size_t errsize)
{
	const char *must;
	if (scenario_int_parse(t, v, f, &must) == 0)
		return 0;
	snprintf(err, errsize, "%s%s%s = '%s', must be %s", section ? section : "",
	         section ? "." : "", name, v, must);
	return -1;
}

int scenario_int_set_enum(const char *const *names, int first, const char *v, int *f,
                          const char *section, const char *name, char *err, size_t errsize)
{
	for (int i = first; names[i]; i++)
		if (!strcasecmp(v, names[i])) {
			*f = i;
			return 0;
		}
	size_t n = (size_t)snprintf(err, errsize, "%s%s%s = '%s', must be one of ",
	                            section ? section : "", section ? "." : "", name, v);
	for (int i = first; names[i] && n < errsize; i++)
		n +=
		    (size_t)snprintf(err + n, errsize - n, "%s%s", i > first ? ", " : "", names[i]);
	return -1;
}

void scenario_int_text(scenario_int_type t, const void *f, char *buf, size_t size)
{
	switch (t) {
	case SCENARIO_INT_BOOL:
		snprintf(buf, size, "%s", *(const int *)f ? "true" : "false");
		break;
	case SCENARIO_INT_LONG:
		snprintf(buf, size, "%ld", *(const long *)f);
		break;
	case SCENARIO_INT_DOUBLE:
		snprintf(buf, size, "%.15g", *(const double *)f);
		break;
	}
}

/* The shared value syntax of a fixed key of type K_BOOL, K_LONG or K_DOUBLE. */
static scenario_int_type scalar_type(key_type t)
{
	assert(t == K_BOOL || t == K_LONG || t == K_DOUBLE);
	return t == K_BOOL   ? SCENARIO_INT_BOOL
	       : t == K_LONG ? SCENARIO_INT_LONG
	                     : SCENARIO_INT_DOUBLE;
}

/* Set key `k` from text. On a bad value, writes "section.key = 'v', must
 * be ..." into err and returns -1; -2 when out of memory. */
static int key_set(scenario *sc, const key_def *k, const char *v, const char *dir, char *err,
                   size_t errsize)
{
	char *end = NULL;
	void *f = (char *)sc + k->off;
	errno = 0;
	switch (k->type) {
	case K_STR:
	case K_PATH:
	case K_PATHS: {
		char *s = k->type == K_STR    ? strdup(v)
		          : k->type == K_PATH ? path_resolve(dir, v, strlen(v))
		                              : paths_resolve(dir, v);
		return scenario_int_set_text(str_at(sc, k), s);
	}
	case K_BOOL:
	case K_LONG:
	case K_DOUBLE:
		return scenario_int_set_scalar(scalar_type(k->type), v, f, k->section, k->name, err,
		                               errsize);
	case K_INT: {
		long x;
		const char *must;
		if (scenario_int_parse(SCENARIO_INT_LONG, v, &x, &must) == 0 && x >= -2147483647 &&
		    x <= 2147483647) {
			*(int *)f = (int)x;
			return 0;
		}
		snprintf(err, errsize, "%s.%s = '%s', must be %s", k->section, k->name, v, must);
		return -1;
	}
	case K_ULONG: {
		unsigned long x = strtoul(v, &end, 10);
		if (*v && *v != '-' && !*end && !errno) {
			*(unsigned long *)f = x;
			return 0;
		}
		snprintf(err, errsize, "%s.%s = '%s', must be a whole number >= 0", k->section,
		         k->name, v);
		return -1;
	}
	case K_ENUM:
		return scenario_int_set_enum(k->names, 0, v, f, k->section, k->name, err, errsize);
	}
	return -1;
}

/* Levenshtein distance, for "did you mean". Names longer than any key
 * (64 bytes) are too far from every key: (size_t)-1, never an overflow. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[64];
	if (lb >= sizeof(row) / sizeof(row[0]) || la >= 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* Write " (did you mean 'x'?)" into buf, or "" when nothing is close. A key
 * of `section` is written bare, a key of another section as "sec.key". */
static void suggest_key(const char *section, const char *name, char *buf, size_t bufsize)
{
	const key_def *best = NULL;
	size_t bestd = (size_t)-1;
	for (size_t i = 0; i < NKEYS; i++) {
		size_t d = edit_distance(name, keys[i].name);
		/* prefer the key's own section on ties */
		if (d == (size_t)-1)
			continue;
		if (!best || d < bestd ||
		    (d == bestd && !strcmp(keys[i].section, section) &&
		     strcmp(best->section, section))) {
			bestd = d;
			best = &keys[i];
		}
	}
	size_t len = strlen(name);
	buf[0] = '\0';
	if (!best || !(bestd <= 2 || bestd <= len / 3))
		return;
	if (!strcmp(best->section, section))
		snprintf(buf, bufsize, " (did you mean '%s'?)", best->name);
	else
		snprintf(buf, bufsize, " (did you mean '%s.%s'?)", best->section, best->name);
}

static void suggest_section(const char *section, char *buf, size_t bufsize)
{
	static const char *const sections[] = {"input", "rules", "solver", "output"};
	buf[0] = '\0';
	if (scenario_levels_suggest_section(section, buf, bufsize))
		return;
	for (size_t i = 0; i < 4; i++)
		if (edit_distance(section, sections[i]) <= 2) {
			snprintf(buf, bufsize, " (did you mean [%s]?)", sections[i]);
			return;
		}
}

status_code scenario_init(scenario *sc, status *st)
{
	char err[256];
	memset(sc, 0, sizeof(*sc));
	sc->file = strdup("");
	sc->dir = strdup(".");
	if (!sc->file || !sc->dir)
		goto oom;
	for (size_t i = 0; i < NKEYS; i++)
		if (keys[i].type == K_STR || keys[i].type == K_PATH || keys[i].type == K_PATHS)
			if (!(*str_at(sc, &keys[i]) = strdup("")))
				goto oom;
	for (size_t i = 0; i < NKEYS; i++) {
		int r = key_set(sc, &keys[i], keys[i].def, NULL, err, sizeof(err));
		if (r == -2)
			goto oom;
		/* a default that does not parse is a bug in the table */
		if (r != 0)
			return status_fail(st, STATUS_INTERNAL, "scenario default: %s", err);
	}
	return STATUS_OK;
oom:
	scenario_free(sc);
	return status_fail(st, STATUS_INTERNAL, "out of memory");
}

/* Apply one section/key/value, recording any problem with `where` ("file:12"
 * or "--set"). Returns 0, or -2 when out of memory. */
static int apply(scenario *sc, const char *where, const char *section, const char *name,
                 const char *value, const char *dir, status *st)
{
	char err[1024], hint[160];
	if (!strcmp(section, "phases"))
		return phases_spec_set(&sc->phases, where, name, value, st);
	const key_def *k = key_find(section, name);
	if (!k) {
		suggest_key(section, name, hint, sizeof(hint));
		if (!*section)
			status_problem_add(st, SEV_ERROR, "scenario",
			                   "%s: key '%s' outside any section%s", where, name, hint);
		else
			status_problem_add(st, SEV_ERROR, "scenario",
			                   "%s: unknown key '%s' in [%s]%s", where, name, section,
			                   hint);
		return 0;
	}
	int r = key_set(sc, k, value, dir, err, sizeof(err));
	if (r == -1)
		status_problem_add(st, SEV_ERROR, "scenario", "%s: %s", where, err);
	return r == -2 ? -2 : 0;
}

typedef struct load_ctx {
	scenario *sc;
	status *st;
	const char *text; /* whole file, checked: no NUL byte, valid UTF-8 */
	size_t len;
	size_t pos;
	int line;         /* line being parsed, 1-based */
	int at_start;     /* pos is at the start of a line */
	int section_line; /* line of the last '[section]' header */
	int *skip;        /* lines with a syntax error, handed to inih as blank */
	size_t nskip;
	int live; /* 0: a pass that only looks for syntax errors */
	int key_line[sizeof(keys) / sizeof(keys[0])];
	char *bad_section; /* the last unknown section reported (heap) */
	int oom;
} load_ctx;

static int line_skipped(const load_ctx *c, int line)
{
	for (size_t i = 0; i < c->nskip; i++)
		if (c->skip[i] == line)
			return 1;
	return 0;
}

/* inih's reader, with fgets(3)'s contract: at most num - 1 bytes, up to and
 * including the next newline; the rest of a longer line comes with the next
 * call (inih grows its buffer and asks again, see scenario_load_text). So
 * ctx->line is the line the handler is called for. Known-bad lines are
 * handed over blank. */
static char *load_reader(char *buf, int num, void *stream)
{
	load_ctx *c = stream;
	if (c->pos >= c->len || num < 2)
		return NULL;
	const char *s = c->text + c->pos;
	const char *nl = memchr(s, '\n', c->len - c->pos);
	size_t len = nl ? (size_t)(nl - s) + 1 : c->len - c->pos;
	if (c->at_start) {
		c->line++;
		if (s[strspn(s, " \t")] == '[')
			c->section_line = c->line;
		if (line_skipped(c, c->line)) {
			c->pos += len;
			strcpy(buf, "\n");
			return buf;
		}
	}
	if (len > (size_t)num - 1)
		len = (size_t)num - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	c->pos += len;
	c->at_start = len && buf[len - 1] == '\n';
	return buf;
}

static int load_handler(void *user, const char *section, const char *name, const char *value)
{
	load_ctx *c = user;
	char where[600];
	if (!c->live)
		return 1;
	snprintf(where, sizeof(where), "%s:%d", c->sc->file, c->line);
	if (scenario_levels_is_section(section)) {
		if (scenario_levels_apply(c->sc, where, c->section_line, section, name, value,
		                          c->sc->dir, c->st) == -2)
			c->oom = 1;
		return 1;
	}
	if (*section && !section_known(section)) {
		if (!c->bad_section || strcmp(c->bad_section, section)) {
			char hint[64];
			snprintf(where, sizeof(where), "%s:%d", c->sc->file, c->section_line);
			suggest_section(section, hint, sizeof(hint));
			status_problem_add(c->st, SEV_ERROR, "scenario",
			                   "%s: unknown section [%.200s]%s", where, section, hint);
			free(c->bad_section);
			if (!(c->bad_section = strdup(section)))
				c->oom = 1;
		}
		return 1;
	}
	const key_def *k = key_find(section, name);
	if (k) {
		size_t i = (size_t)(k - keys);
		if (c->key_line[i])
			status_problem_add(c->st, SEV_WARNING, "scenario",
			                   "%s: %s.%s set again (first on line %d), the last value "
			                   "wins",
			                   where, section, name, c->key_line[i]);
		c->key_line[i] = c->line;
	}
	if (apply(c->sc, where, section, name, value, c->sc->dir, c->st) == -2)
		c->oom = 1;
	return 1;
}

/* The text of line `n` (1-based), trimmed, into buf. */
static void line_text(const char *text, int n, char *buf, size_t bufsize)
{
	for (int i = 1; i < n && text; i++)
		if ((text = strchr(text, '\n')))
			text++;
	if (!text)
		text = "";
	while (*text == ' ' || *text == '\t')
		text++;
	size_t len = strcspn(text, "\r\n");
	snprintf(buf, bufsize, "%.*s", (int)len, text);
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 if invalid
 * (overlong forms, surrogates and code points above U+10FFFF included). */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (!len || s[0] > 0xf4 || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return len;
}

/* Every line must be UTF-8 text without NUL bytes: each bad line is
 * recorded ("file:3: NUL byte at column 7"). Returns the longest line's
 * length, or -1 when a line was bad. */
static long text_check(const char *file, const char *text, size_t len, status *st)
{
	long longest = 0, col = 0;
	int line = 1, bad_line = 0, nbad = 0;
	for (size_t i = 0; i < len;) {
		const unsigned char *s = (const unsigned char *)text + i;
		size_t n = *s && *s != '\n' ? utf8_seq(s, len - i) : 1;
		if ((!*s || !n) && bad_line != line) {
			bad_line = line;
			if (++nbad > 20)
				;
			else if (!*s)
				status_problem_add(st, SEV_ERROR, "scenario",
				                   "%s:%d: NUL byte at column %ld (a binary file?)",
				                   file, line, col + 1);
			else
				status_problem_add(st, SEV_ERROR, "scenario",
				                   "%s:%d: byte 0x%02x at column %ld is not UTF-8 "
				                   "(save the file as UTF-8)",
				                   file, line, (unsigned)*s, col + 1);
		}
		if (!n)
			n = 1;
		if (*s == '\n') {
			line++;
			col = 0;
		} else {
			col += (long)n;
			if (col > longest)
				longest = col;
		}
		i += n;
	}
	if (nbad > 20)
		status_problem_add(st, SEV_ERROR, "scenario", "%s: %d more line(s) not UTF-8 text",
		                   file, nbad - 20);
	return nbad ? -1 : longest;
}

static char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, len = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (cap - len < 2) {
			char *g = realloc(buf, cap *= 2);
			if (!g)
				free(buf);
			buf = g;
		}
	}
	int e = ferror(f);
	fclose(f);
	if (buf && e) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	if (buf)
		buf[len] = '\0';
	*size = len;
	return buf;
}

status_code scenario_load(scenario *sc, const char *path, status *st)
{
	size_t len = 0;
	char *text = read_file(path, &len);
	if (!text) {
		status_problem_add(st, SEV_ERROR, "scenario", "%s: cannot read scenario: %s", path,
		                   strerror(errno));
		return STATUS_INPUT;
	}
	char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	if (!dir) {
		free(text);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	status_code rc = scenario_load_text(sc, path, dir, text, len, st);
	free(dir);
	free(text);
	return rc;
}

status_code scenario_load_text(scenario *sc, const char *name, const char *dir, const char *text,
                               size_t len, status *st)
{
	size_t errors = st->nerrors;
	char *file = strdup(name), *d = strdup(dir ? dir : ".");
	if (!file || !d) {
		free(file), free(d);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	free(sc->file), free(sc->dir);
	sc->file = file;
	sc->dir = d;

	/* libinih reads through load_reader, which hands it the text as fgets
	 * would; with a heap buffer that may grow (ini_allow_realloc) up to
	 * ini_max_line, a line of any length arrives whole, so the limit is set
	 * from the longest line of this file. No continuation lines (an
	 * indented key is a key), ';' starts an inline comment. Bytes are
	 * checked first: a NUL would end a line early inside inih, and invalid
	 * UTF-8 is most often a GBK file whose names would be garbled. */
	long longest = text_check(file, text, len, st);
	if (longest < 0)
		return STATUS_INPUT;
	if (longest > INT_MAX / 4)
		return status_fail(st, STATUS_INPUT, "%s: a line of %ld bytes is too long", file,
		                   longest);
	char *copy = malloc(len + 1); /* NUL-terminated, for inih and line_text */
	if (!copy)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	memcpy(copy, text, len);
	copy[len] = '\0';
	text = copy;
	ini_allow_multiline = 0;
	ini_use_stack = 0;
	ini_allow_realloc = 1;
	ini_max_line = (int)longest + 8 > 1 << 16 ? (int)longest + 8 : 1 << 16;
	ini_stop_on_first_error = 0;

	load_ctx c = {.sc = sc, .st = st, .text = text, .len = len};
	int r;
	/* inih returns the first bad line only: blank it and parse again until
	 * every syntax error is known, then one live pass applies the values.
	 * Each round blanks one more line, so there are at most as many rounds
	 * as lines; a line reported twice is an internal error, never a loop. */
	for (;;) {
		c.pos = 0;
		c.line = 0;
		c.at_start = 1;
		r = ini_parse_stream(load_reader, &c, load_handler, &c);
		if (r <= 0)
			break;
		if (line_skipped(&c, r) || r > c.line) {
			free(c.skip);
			free(copy);
			return status_fail(st, STATUS_INTERNAL,
			                   "%s:%d: the INI parser reported a line it was not given",
			                   file, r);
		}
		if (grow_to(&c.skip, c.nskip + 1, sizeof(*c.skip)) != 0) {
			r = -2;
			break;
		}
		c.skip[c.nskip++] = r;
	}
	for (size_t i = 0; r == 0 && i < c.nskip; i++) {
		char l[80];
		line_text(text, c.skip[i], l, sizeof(l));
		status_problem_add(st, SEV_ERROR, "scenario",
		                   "%s:%d: syntax error: '%s' is neither '[section]' nor 'key = "
		                   "value'",
		                   sc->file, c.skip[i], l);
	}
	if (r == 0) {
		c.live = 1;
		c.pos = 0;
		c.line = 0;
		c.at_start = 1;
		r = ini_parse_stream(load_reader, &c, load_handler, &c);
	}
	free(c.skip);
	free(c.bad_section);
	free(copy);
	if (r < 0 || c.oom)
		return status_fail(st, STATUS_INTERNAL, "%s: out of memory", file);
	return st->nerrors > errors ? STATUS_INPUT : STATUS_OK;
}

status_code scenario_set(scenario *sc, const char *assignment, status *st)
{
	size_t errors = st->nerrors;
	const char *eq = strchr(assignment, '=');
	const char *dot = eq ? memchr(assignment, '.', (size_t)(eq - assignment)) : NULL;
	if (!eq || !dot || dot == assignment) {
		status_problem_add(st, SEV_ERROR, "scenario",
		                   "--set '%s': expected section.key=value", assignment);
		return STATUS_INPUT;
	}
	/* level.NAME.key=value: the section is everything before the last dot */
	int level = !strncmp(assignment, "level.", 6);
	const char *cut = dot;
	if (level)
		for (const char *c = dot; c < eq; c++)
			if (*c == '.')
				cut = c;
	if (level && cut == dot) {
		status_problem_add(st, SEV_ERROR, "scenario",
		                   "--set '%s': expected level.NAME.key=value", assignment);
		return STATUS_INPUT;
	}
	char *section = strndup(assignment, (size_t)(cut - assignment));
	char *name = strndup(cut + 1, (size_t)(eq - cut - 1));
	size_t wsize = strlen(assignment) + 16;
	char *where = malloc(wsize);
	status_code rc = STATUS_OK;
	if (!section || !name || !where) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	snprintf(where, wsize, "--set '%s'", assignment);
	if (level) {
		if (scenario_levels_apply(sc, where, 0, section, name, eq + 1, NULL, st) == -2)
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		else
			rc = st->nerrors > errors ? STATUS_INPUT : STATUS_OK;
		goto out;
	}
	if (!section_known(section)) {
		char hint[64];
		suggest_section(section, hint, sizeof(hint));
		status_problem_add(st, SEV_ERROR, "scenario", "%s: unknown section [%s]%s", where,
		                   section, hint);
		rc = STATUS_INPUT;
		goto out;
	}
	/* --set paths are relative to the current folder: no resolution */
	if (apply(sc, where, section, name, eq + 1, NULL, st) == -2)
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
	else
		rc = st->nerrors > errors ? STATUS_INPUT : STATUS_OK;
out:
	free(section), free(name), free(where);
	return rc;
}

/* Record "section: key = value, must be <what>" for key `name`. */
static void invalid(const scenario *sc, status *st, const char *name, const char *what)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (!strcmp(keys[i].name, name)) {
			char v[256];
			scenario_key_value(sc, i, v, sizeof(v));
			status_problem_add(st, SEV_ERROR, "scenario", "%s: %s = %s, must be %s",
			                   keys[i].section, name, *v ? v : "''", what);
			return;
		}
}

status_code scenario_validate(const scenario *sc, status *st)
{
	size_t errors = st->nerrors;
	if (!*sc->units)
		invalid(sc, st, "units", "set to the communities/villages source");
	if (!*sc->id_field)
		invalid(sc, st, "id_field", "set to the field holding each unit's unique id");
	if (*sc->households_table && !*sc->households_key)
		invalid(sc, st, "households_key", "set when households_table is given");
	if (strcasecmp(sc->crs, "auto") && strncasecmp(sc->crs, "EPSG:", 5))
		invalid(sc, st, "crs", "auto or EPSG:<code>");
	if (sc->exclude_buffer_m < 0)
		invalid(sc, st, "exclude_buffer_m", ">= 0");
	if (!(sc->roads_snap_m > 0))
		invalid(sc, st, "roads_snap_m", "> 0");
	if (!(sc->roads_merge_m >= 0 && sc->roads_merge_m < sc->roads_snap_m))
		invalid(sc, st, "roads_merge_m", ">= 0 and < roads_snap_m");
	if (sc->households_min < 0)
		invalid(sc, st, "households_min", ">= 0");
	if (sc->households_max <= 0)
		invalid(sc, st, "households_max", "> 0");
	if (sc->households_min > sc->households_max)
		status_problem_add(st, SEV_ERROR, "scenario",
		                   "rules: households_min = %ld > households_max = %ld",
		                   sc->households_min, sc->households_max);
	if (!(sc->walk_distance_m > 0))
		invalid(sc, st, "walk_distance_m", "> 0");
	if (!(sc->candidate_spacing_m > 0))
		invalid(sc, st, "candidate_spacing_m", "> 0");
	if (!(sc->demand_sample_spacing_m > 0))
		invalid(sc, st, "demand_sample_spacing_m", "> 0");
	if (!(sc->time_limit_s > 0))
		invalid(sc, st, "time_limit_s", "> 0");
	if (!(sc->mip_gap >= 0 && sc->mip_gap < 1))
		invalid(sc, st, "mip_gap", ">= 0 and < 1");
	if (sc->threads < 0)
		invalid(sc, st, "threads", ">= 0 (0 = one per core)");
	if (sc->work_limit < 0)
		invalid(sc, st, "work_limit", ">= 0 (0 = no limit)");
	if (!*sc->path)
		invalid(sc, st, "path", "set to the output GeoPackage");
	scenario_levels_validate(sc, st);
	if (sc->max_stations < -1)
		invalid(sc, st, "max_stations", ">= 0 (-1 = no budget)");
	if (sc->stations < -1)
		invalid(sc, st, "stations", ">= 0 (-1 = as many as the rules need)");
	if (sc->max_stations >= 0 && sc->stations >= 0)
		status_problem_add(
		    st, SEV_ERROR, "scenario",
		    "rules: max_stations = %ld and stations = %ld both set; give one",
		    sc->max_stations, sc->stations);
	if (sc->phases.n > 0 && (sc->max_stations >= 0 || sc->stations >= 0))
		status_problem_add(st, SEV_ERROR, "scenario",
		                   "rules: max_stations/stations and [phases] both set; the phase "
		                   "budgets already bound the plan");
	phases_spec_validate(&sc->phases, st);
	return st->nerrors > errors ? STATUS_INPUT : STATUS_OK;
}

size_t scenario_key_count(void)
{
	return NKEYS;
}

const char *scenario_key_name(size_t i)
{
	/* "section.key", built once per key into a static table */
	static char names[sizeof(keys) / sizeof(keys[0])][64];
	if (i >= NKEYS)
		return NULL;
	if (!names[i][0])
		snprintf(names[i], sizeof(names[i]), "%s.%s", keys[i].section, keys[i].name);
	return names[i];
}

int scenario_key_is_source(size_t i)
{
	if (i >= NKEYS || !strcmp(keys[i].section, "output"))
		return 0;
	return keys[i].type == K_PATH || keys[i].type == K_PATHS;
}

void scenario_key_value(const scenario *sc, size_t i, char *buf, size_t bufsize)
{
	if (!bufsize)
		return;
	buf[0] = '\0';
	if (i >= NKEYS)
		return;
	const key_def *k = &keys[i];
	const void *f = field_at(sc, k);
	switch (k->type) {
	case K_STR:
	case K_PATH:
	case K_PATHS:
		snprintf(buf, bufsize, "%s", *(char *const *)f ? *(char *const *)f : "");
		break;
	case K_BOOL:
	case K_LONG:
	case K_DOUBLE:
		scenario_int_text(scalar_type(k->type), f, buf, bufsize);
		break;
	case K_INT:
		snprintf(buf, bufsize, "%d", *(const int *)f);
		break;
	case K_ULONG:
		snprintf(buf, bufsize, "%lu", *(const unsigned long *)f);
		break;
	case K_ENUM: {
		int v = *(const int *)f, n = 0;
		while (k->names[n])
			n++;
		snprintf(buf, bufsize, "%s", v >= 0 && v < n ? k->names[v] : "?");
		break;
	}
	}
}

void scenario_free(scenario *sc)
{
	if (!sc)
		return;
	for (size_t i = 0; i < NKEYS; i++)
		if (keys[i].type == K_STR || keys[i].type == K_PATH || keys[i].type == K_PATHS) {
			free(*str_at(sc, &keys[i]));
			*str_at(sc, &keys[i]) = NULL;
		}
	scenario_levels_free(sc);
	free(sc->file);
	free(sc->dir);
	sc->file = sc->dir = NULL;
	phases_spec_free(&sc->phases);
}

int scenario_path_is_connection(const char *path)
{
	if (!strncmp(path, "/vsi", 4))
		return 1;
	const char *colon = strchr(path, ':');
	if (!colon || colon - path < 2)
		return 0;
	for (const char *p = path; p < colon; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')))
			return 0;
	return 1;
}

/* ---- shared with scenario_levels.c (scenario_int.h) ---------------------- */

char *scenario_int_path_resolve(const char *dir, const char *value)
{
	return path_resolve(dir, value, strlen(value));
}

size_t scenario_int_edit_distance(const char *a, const char *b)
{
	return edit_distance(a, b);
}
