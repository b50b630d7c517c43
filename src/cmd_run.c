/*
 * cmd_run.c: `stationplan run SCENARIO.ini`, the main job: validate the
 * inputs, place the stations and write the GeoPackage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "pipeline.h"
#include "scenario.h"

const char cmd_run_usage[] =
    "usage: stationplan run SCENARIO.ini [-o OUT.gpkg] [--set section.key=value]...\n"
    "                       [--overwrite] [--threads N] [-q | -v]\n\n"
    "Read the scenario's inputs, validate them (as `check` does), place the\n"
    "stations and write the plan as a GeoPackage (default: output.path).\n\n"
    "  -o, --output FILE   write the plan to FILE instead of output.path\n"
    "  --set KEY=VALUE     override a scenario key, e.g. --set rules.households_max=4000\n"
    "  --overwrite         replace an existing output file\n"
    "  --threads N         worker threads for the solver (default: cores)\n"
    "  -q, -v              quieter, more verbose\n\n"
    "exit status: 0 every unit served and proven within solver.mip_gap; 2 bad input;\n"
    "3 plan written but demand uncovered or not proven; 4 internal error.\n";

/* Append `s` to the ;-separated list in *buf. */
static int append_list(char **buf, const char *s)
{
	size_t old = *buf ? strlen(*buf) : 0;
	char *n = realloc(*buf, old + strlen(s) + 2);
	if (!n)
		return -1;
	if (old)
		n[old++] = ';';
	strcpy(n + old, s);
	*buf = n;
	return 0;
}

int cmd_run(int argc, char **argv, status *st)
{
	const char *file = NULL, *out = NULL, *threads = NULL;
	int overwrite = 0;
	char *sets = NULL;
	status_code rc;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(a, "--set") && i + 1 < argc) {
			if (append_list(&sets, argv[++i]))
				return status_fail(st, STATUS_INTERNAL, "out of memory");
		} else if (!strcmp(a, "--threads") && i + 1 < argc) {
			threads = argv[++i];
		} else if (!strcmp(a, "--overwrite")) {
			overwrite = 1;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			st->quiet = 1;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			st->verbose++;
		} else if (a[0] == '-' && a[1]) {
			free(sets);
			fputs(cmd_run_usage, stderr);
			return status_fail(st, STATUS_USAGE, "run: unknown or incomplete option '%s'", a);
		} else if (!file) {
			file = a;
		} else {
			free(sets);
			return status_fail(st, STATUS_USAGE, "run: more than one scenario ('%s', '%s')",
					   file, a);
		}
	}
	if (!file) {
		free(sets);
		fputs(cmd_run_usage, stderr);
		return status_fail(st, STATUS_USAGE, "run: no scenario file given");
	}

	scenario sc;
	if ((rc = scenario_init(&sc, st)) != STATUS_OK) {
		free(sets);
		return rc;
	}
	rc = scenario_load(&sc, file, st);
	for (char *s = sets, *end; rc == STATUS_OK && s && *s; s = end ? end + 1 : NULL) {
		end = strchr(s, ';');
		char one[1024];
		snprintf(one, sizeof(one), "%.*s", end ? (int)(end - s) : (int)strlen(s), s);
		rc = scenario_set(&sc, one, st);
	}
	if (rc == STATUS_OK && threads) {
		char one[64];
		snprintf(one, sizeof(one), "solver.threads=%s", threads);
		rc = scenario_set(&sc, one, st);
	}
	if (rc == STATUS_OK)
		rc = scenario_validate(&sc, st);
	if (rc == STATUS_OK) {
		char cmdline[2048] = "stationplan";
		for (int i = 0; i < argc; i++) {
			size_t l = strlen(cmdline);
			snprintf(cmdline + l, sizeof(cmdline) - l, " %s", argv[i]);
		}
		pipeline_result res;
		const char *path = out ? out : sc.path;
		rc = pipeline_run(&sc, path, overwrite, cmdline, sets ? sets : "", &res, st);
		if ((rc == STATUS_OK || rc == STATUS_INCOMPLETE) && !st->quiet)
			pipeline_print_summary(&res, path, stdout);
	}
	scenario_free(&sc);
	free(sets);
	return rc;
}
