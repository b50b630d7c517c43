/*
 * cmd_opts.c: the options every command shares (-q, -v, -vv, ..., -o,
 * --overwrite, --by, --lang), parsed the same way everywhere, and their
 * contradictions refused; the scenario with its --set values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "scenario.h"
#include "tables.h"

int cmd_verbosity(const char *arg, status *st)
{
	if (!strcmp(arg, "--verbose")) {
		st->verbose++;
		return 1;
	}
	if (arg[0] != '-' || arg[1] != 'v')
		return 0;
	size_t n = strspn(arg + 1, "v");
	if (arg[1 + n])
		return 0;
	st->verbose += (int)n;
	return 1;
}

status_code cmd_quiet_verbose(const char *cmd, status *st)
{
	if (st->quiet && st->verbose)
		return status_fail(st, STATUS_USAGE,
		                   "%s: --quiet and --verbose contradict each other", cmd);
	return STATUS_OK;
}

int cmd_output_opt(int argc, char **argv, int *i, cmd_output *o, status *st)
{
	const char *a = argv[*i];
	if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && *i + 1 < argc) {
		o->path = argv[++*i];
		return 1;
	}
	return cmd_overwrite_opt(a, &o->overwrite, st);
}

int cmd_overwrite_opt(const char *arg, int *overwrite, status *st)
{
	if (!strcmp(arg, "--overwrite")) {
		*overwrite = 1;
		return 1;
	}
	if (!strcmp(arg, "-q") || !strcmp(arg, "--quiet")) {
		st->quiet = 1;
		return 1;
	}
	return 0;
}

int cmd_plan_arg(const char *cmd, const char *usage, const char *a, const char **files, int *n,
                 int max, const char *extra, status *st)
{
	if (a[0] == '-' && a[1]) {
		char fmt[96];
		snprintf(fmt, sizeof(fmt), "%s: unknown or incomplete option '%%s'", cmd);
		return cmd_usage_error(usage, st, fmt, a);
	}
	if (*n < max) {
		files[(*n)++] = a;
		return 0;
	}
	return cmd_usage_error(usage, st, extra, a);
}

int cmd_by_street(const char *cmd, const char *usage, const char *v, status *st)
{
	if (!strcmp(v, "street"))
		return 1;
	if (!strcmp(v, "district"))
		return 0;
	fputs(usage, stderr);
	status_fail(st, STATUS_USAGE, "%s: --by '%s' (must be district or street)", cmd, v);
	return -1;
}

int cmd_lang(const char *cmd, const char *usage, const char *v, status *st)
{
	if (!strcmp(v, "zh"))
		return TABLES_ZH;
	if (!strcmp(v, "en"))
		return TABLES_EN;
	fputs(usage, stderr);
	status_fail(st, STATUS_USAGE, "%s: --lang '%s' (must be zh or en)", cmd, v);
	return -1;
}

int cmd_usage_error(const char *usage, status *st, const char *fmt, const char *arg)
{
	fputs(usage, stderr);
	return status_fail(st, STATUS_USAGE, fmt, arg);
}

status_code cmd_load_scenario(const char *file, const char *sets, const char *extra,
                              const char *threads, scenario *sc, status *st)
{
	status_code rc = scenario_init(sc, st);
	if (rc == STATUS_OK)
		rc = scenario_load(sc, file, st);
	for (const char *s = sets, *end; rc == STATUS_OK && s && *s; s = end ? end + 1 : NULL) {
		end = strchr(s, ';');
		char one[1024];
		snprintf(one, sizeof(one), "%.*s", end ? (int)(end - s) : (int)strlen(s), s);
		rc = scenario_set(sc, one, st);
	}
	if (rc == STATUS_OK && extra)
		rc = scenario_set(sc, extra, st);
	if (rc == STATUS_OK && threads) {
		char one[64];
		snprintf(one, sizeof(one), "solver.threads=%s", threads);
		rc = scenario_set(sc, one, st);
	}
	return rc == STATUS_OK ? scenario_validate(sc, st) : rc;
}

int cmd_append_list(char **buf, const char *s, char sep)
{
	size_t old = *buf ? strlen(*buf) : 0;
	char *n = realloc(*buf, old + strlen(s) + 2);
	if (!n)
		return -1;
	if (old)
		n[old++] = sep;
	strcpy(n + old, s);
	*buf = n;
	return 0;
}
