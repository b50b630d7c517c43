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
 */
#include "scenario.h"

#include <errno.h>
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

static const char *const rural_names[] = {"one_per_village", "as_urban", NULL};
static const char *const objective_names[] = {"min_stations", "min_distance", NULL};
static const char *const demand_names[] = {"representative", "samples", NULL};
static const char *const partition_names[] = {"component", "street", NULL};

#define KEY(sec, name, type, def)                                                                  \
	{                                                                                          \
		sec, #name, type, offsetof(scenario, name), def, NULL                              \
	}
#define KEYE(sec, name, def, names)                                                                \
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
    KEY("input", crs, K_STR, "auto"),
    KEY("input", assume_crs, K_STR, ""),
    KEY("input", existing, K_PATH, ""),
    KEY("input", existing_layer, K_STR, ""),
    KEY("input", candidates, K_PATH, ""),
    KEY("input", candidates_layer, K_STR, ""),
    KEY("input", candidates_only, K_BOOL, "false"),
    KEY("input", exclude, K_PATHS, ""),
    KEY("input", exclude_buffer_m, K_DOUBLE, "0"),
    KEY("rules", households_min, K_LONG, "3000"),
    KEY("rules", households_max, K_LONG, "5000"),
    KEY("rules", walk_distance_m, K_DOUBLE, "1000"),
    KEYE("rules", rural, "one_per_village", rural_names),
    KEYE("rules", objective, "min_stations", objective_names),
    KEY("rules", candidate_spacing_m, K_DOUBLE, "250"),
    KEYE("rules", demand_points, "representative", demand_names),
    KEY("rules", demand_sample_spacing_m, K_DOUBLE, "500"),
    KEY("solver", time_limit_s, K_DOUBLE, "60"),
    KEY("solver", mip_gap, K_DOUBLE, "0.005"),
    KEY("solver", threads, K_INT, "0"),
    KEYE("solver", partition, "component", partition_names),
    KEY("solver", seed, K_ULONG, "1"),
    KEY("output", path, K_PATH, "plan.gpkg"),
    KEY("output", output_crs, K_STR, ""),
    KEY("output", timings, K_BOOL, "false"),
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
				char *g = realloc(out, need);
				if (!g) {
					free(one);
					free(out);
					return NULL;
				}
				out = g;
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
		if (!s)
			return -2;
		free(*str_at(sc, k));
		*str_at(sc, k) = s;
		return 0;
	}
	case K_BOOL:
		if (parse_bool(v, (int *)f) == 0)
			return 0;
		snprintf(err, errsize, "%s.%s = '%s', must be true or false", k->section, k->name,
		         v);
		return -1;
	case K_INT:
	case K_LONG: {
		long x = strtol(v, &end, 10);
		if (*v && !*end && !errno &&
		    (k->type == K_LONG || (x >= -2147483647 && x <= 2147483647))) {
			if (k->type == K_LONG)
				*(long *)f = x;
			else
				*(int *)f = (int)x;
			return 0;
		}
		snprintf(err, errsize, "%s.%s = '%s', must be a whole number", k->section, k->name,
		         v);
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
	case K_DOUBLE: {
		double x = strtod(v, &end);
		if (*v && !*end && !errno && isfinite(x)) {
			*(double *)f = x;
			return 0;
		}
		snprintf(err, errsize, "%s.%s = '%s', must be a number", k->section, k->name, v);
		return -1;
	}
	case K_ENUM:
		for (int i = 0; k->names[i]; i++)
			if (!strcasecmp(v, k->names[i])) {
				*(int *)f = i;
				return 0;
			}
		size_t n = (size_t)snprintf(err, errsize, "%s.%s = '%s', must be one of ",
		                            k->section, k->name, v);
		for (int i = 0; k->names[i] && n < errsize; i++)
			n += (size_t)snprintf(err + n, errsize - n, "%s%s", i ? ", " : "",
			                      k->names[i]);
		return -1;
	}
	return -1;
}

/* Levenshtein distance, for "did you mean". */
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
		if (d < bestd || (d == bestd && !strcmp(keys[i].section, section) &&
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
	char err[512], hint[128];
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
	const char *text; /* whole file */
	size_t pos;
	int line;         /* line being parsed, 1-based */
	int section_line; /* line of the last '[section]' header */
	int *skip;        /* lines with a syntax error, handed to inih as blank */
	size_t nskip;
	int live; /* 0: a pass that only looks for syntax errors */
	int key_line[sizeof(keys) / sizeof(keys[0])];
	char bad_section[64];
	int oom;
} load_ctx;

/* inih's reader: one line per call, so ctx->line is the line the handler
 * is called for. Known-bad lines are handed over blank. */
static char *load_reader(char *buf, int num, void *stream)
{
	load_ctx *c = stream;
	if (!c->text[c->pos])
		return NULL;
	const char *s = c->text + c->pos;
	const char *nl = strchr(s, '\n');
	size_t len = nl ? (size_t)(nl - s) + 1 : strlen(s);
	c->pos += len;
	c->line++;
	if (s[strspn(s, " \t")] == '[')
		c->section_line = c->line;
	for (size_t i = 0; i < c->nskip; i++)
		if (c->skip[i] == c->line)
			len = 0;
	if (len > (size_t)num - 1)
		len = (size_t)num - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (!len)
		strcpy(buf, "\n");
	return buf;
}

static int load_handler(void *user, const char *section, const char *name, const char *value)
{
	load_ctx *c = user;
	char where[600];
	if (!c->live)
		return 1;
	snprintf(where, sizeof(where), "%s:%d", c->sc->file, c->line);
	if (*section && !section_known(section)) {
		if (strcmp(c->bad_section, section)) {
			char hint[64];
			snprintf(where, sizeof(where), "%s:%d", c->sc->file, c->section_line);
			suggest_section(section, hint, sizeof(hint));
			status_problem_add(c->st, SEV_ERROR, "scenario",
			                   "%s: unknown section [%s]%s", where, section, hint);
			snprintf(c->bad_section, sizeof(c->bad_section), "%s", section);
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

static char *read_file(const char *path)
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
	if (buf)
		buf[len] = '\0';
	fclose(f);
	return buf;
}

status_code scenario_load(scenario *sc, const char *path, status *st)
{
	size_t errors = st->nerrors;
	char *text = read_file(path);
	if (!text) {
		status_problem_add(st, SEV_ERROR, "scenario", "%s: cannot read scenario: %s", path,
		                   strerror(errno));
		return STATUS_INPUT;
	}
	char *file = strdup(path), *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	if (!file || !dir) {
		free(text), free(file), free(dir);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	free(sc->file), free(sc->dir);
	sc->file = file;
	sc->dir = dir;

	/* libinih's defaults, set explicitly: no continuation lines (an indented
	 * key is a key), ';' starts an inline comment, any line length. */
	ini_allow_multiline = 0;
	ini_use_stack = 0;
	ini_allow_realloc = 1;
	ini_max_line = 1 << 16;
	ini_stop_on_first_error = 0;

	load_ctx c = {.sc = sc, .st = st, .text = text};
	int r;
	/* inih returns the first bad line only: blank it and parse again until
	 * every syntax error is known, then one live pass applies the values. */
	for (;;) {
		c.pos = 0;
		c.line = 0;
		r = ini_parse_stream(load_reader, &c, load_handler, &c);
		if (r <= 0)
			break;
		int *g = realloc(c.skip, (c.nskip + 1) * sizeof(*g));
		if (!g) {
			r = -2;
			break;
		}
		c.skip = g;
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
		r = ini_parse_stream(load_reader, &c, load_handler, &c);
	}
	free(c.skip);
	free(text);
	if (r < 0 || c.oom)
		return status_fail(st, STATUS_INTERNAL, "%s: out of memory", path);
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
	char section[64], name[128], where[600];
	snprintf(section, sizeof(section), "%.*s", (int)(dot - assignment), assignment);
	snprintf(name, sizeof(name), "%.*s", (int)(eq - dot - 1), dot + 1);
	const char *value = eq + 1;
	snprintf(where, sizeof(where), "--set '%s'", assignment);
	if (!section_known(section)) {
		char hint[64];
		suggest_section(section, hint, sizeof(hint));
		status_problem_add(st, SEV_ERROR, "scenario", "%s: unknown section [%s]%s", where,
		                   section, hint);
		return STATUS_INPUT;
	}
	/* --set paths are relative to the current folder: no resolution */
	if (apply(sc, where, section, name, value, NULL, st) == -2)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	return st->nerrors > errors ? STATUS_INPUT : STATUS_OK;
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
	if (!*sc->path)
		invalid(sc, st, "path", "set to the output GeoPackage");
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
		snprintf(buf, bufsize, "%s", *(const int *)f ? "true" : "false");
		break;
	case K_INT:
		snprintf(buf, bufsize, "%d", *(const int *)f);
		break;
	case K_LONG:
		snprintf(buf, bufsize, "%ld", *(const long *)f);
		break;
	case K_ULONG:
		snprintf(buf, bufsize, "%lu", *(const unsigned long *)f);
		break;
	case K_DOUBLE:
		snprintf(buf, bufsize, "%.15g", *(const double *)f);
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
	free(sc->file);
	free(sc->dir);
	sc->file = sc->dir = NULL;
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
