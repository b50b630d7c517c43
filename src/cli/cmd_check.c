/*
 * cmd_check.c: `stationplan check SCENARIO.ini`: read the scenario and
 * every input it names, run every validation, and report all problems (not
 * only the first), grouped by kind, then a summary of what was read. The
 * same reading and validation run at the start of `run`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "solver.h"
#include "inputs.h"
#include "scenario.h"

const char cmd_check_usage[] =
    "usage: stationplan check SCENARIO.ini [--set section.key=value]... [-q | -v]\n\n"
    "Read the scenario and every input it names (units, households table,\n"
    "existing stations, candidates, exclusions), check them all and print every\n"
    "problem, grouped by kind, then a summary: units, urban/rural, households,\n"
    "districts, streets, repaired polygons and the CRS chosen.\n\n"
    "  --set KEY=VALUE     override a scenario key, e.g. --set input.crs=EPSG:4549\n"
    "  -q                  no summary, only the problems\n"
    "  -v                  also list repaired polygons and notes; no limit per kind\n\n"
    "exit status: 0 no errors (warnings allowed); 2 the scenario or its data has\n"
    "errors; 1 bad command line; 4 internal error.\n";

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct non-empty values of district (street = 0) or district/street. */
static size_t count_distinct(const inputs *in, int street)
{
	char **keys = malloc((in->nunits + 1) * sizeof(*keys));
	size_t n = 0, distinct = 0;
	if (!keys)
		return 0;
	for (size_t i = 0; i < in->nunits; i++) {
		const unit *u = &in->units[i];
		const char *v = street ? u->street : u->district;
		if (!v || !*v)
			continue;
		size_t len = strlen(u->district ? u->district : "") + strlen(v) + 2;
		if ((keys[n] = malloc(len)))
			snprintf(keys[n++], len, "%s\x1f%s", street ? u->district : "", v);
	}
	qsort(keys, n, sizeof(*keys), str_cmp);
	for (size_t i = 0; i < n; i++)
		distinct += i == 0 || strcmp(keys[i], keys[i - 1]) != 0;
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	return distinct;
}

static void print_summary(const scenario *sc, const inputs *in, const status *st, FILE *out)
{
	size_t urban = 0, rural = 0;
	long households = 0;
	for (size_t i = 0; i < in->nunits; i++) {
		urban += in->units[i].kind == UNIT_URBAN;
		rural += in->units[i].kind == UNIT_RURAL;
		if (in->units[i].households > 0)
			households += in->units[i].households;
	}
	fprintf(out, "check %s\n", sc->file);
	fprintf(out, "  units        %zu (%zu urban, %zu rural) in %s\n", in->nunits, urban, rural,
	        in->units_source ? in->units_source : sc->units);
	fprintf(out, "  households   %ld\n", households);
	fprintf(out, "  districts    %zu\n", count_distinct(in, 0));
	fprintf(out, "  streets      %zu\n", count_distinct(in, 1));
	if (in->roads.n) /* input.roads: street lines read (MultiLineStrings split) */
		fprintf(out, "  roads        %zu line(s), %zu not walkable\n", in->roads.n,
		        in->roads.nexcluded);
	fprintf(out, "  repaired     %zu polygon(s)%s\n", in->nrepaired,
	        in->nrepaired && !st->verbose ? " (-v lists them)" : "");
	fprintf(out, "  crs          %s -> %s%s\n", in->source_crs ? in->source_crs : "?",
	        in->crs ? in->crs : "?", strcasecmp(sc->crs, "auto") ? "" : " (auto)");
	if (*sc->existing)
		fprintf(out, "  existing     %zu point(s)\n", in->existing.n);
	if (*sc->candidates)
		fprintf(out, "  candidates   %zu point(s)\n", in->candidates.n);
	if (*sc->exclude)
		fprintf(out, "  exclude      %zu polygon(s), buffered by %g m\n", in->exclude.n,
		        sc->exclude_buffer_m);
	fprintf(out, "  read         %.2f s\n", in->read_seconds);
	fprintf(out, "  result       %s: %zu error(s), %zu warning(s)\n",
	        st->nerrors || st->msg[0] ? "bad input" : "ok", st->nerrors, st->nwarnings);
}

int cmd_check(int argc, char **argv, status *st)
{
	const char *file = NULL;
	const char **sets = calloc((size_t)argc + 1, sizeof(*sets));
	size_t nsets = 0;
	if (!sets)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--set") && i + 1 < argc) {
			sets[nsets++] = argv[++i];
		} else if (!strncmp(a, "--set=", 6)) {
			sets[nsets++] = a + 6;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			st->quiet = 1;
		} else if (cmd_verbosity(a, st)) {
			/* -v, -vv, ..., --verbose */
		} else if (a[0] == '-' && a[1]) {
			free(sets);
			fputs(cmd_check_usage, stderr);
			return status_fail(st, STATUS_USAGE,
			                   "check: unknown or incomplete option '%s'", a);
		} else if (!file) {
			file = a;
		} else {
			free(sets);
			return status_fail(st, STATUS_USAGE,
			                   "check: more than one scenario ('%s', '%s')", file, a);
		}
	}
	if (!file) {
		free(sets);
		fputs(cmd_check_usage, stderr);
		return status_fail(st, STATUS_USAGE, "check: no scenario file given");
	}
	if (cmd_quiet_verbose("check", st) != STATUS_OK) {
		free(sets);
		return STATUS_USAGE;
	}

	scenario sc;
	status_code rc = scenario_init(&sc, st);
	if (rc != STATUS_OK) {
		free(sets);
		return rc;
	}
	/* every step runs, so all problems are listed at once */
	scenario_load(&sc, file, st);
	for (size_t i = 0; i < nsets; i++)
		scenario_set(&sc, sets[i], st);
	scenario_validate(&sc, st);
	inputs in = {0};
	if (st->code != STATUS_INTERNAL && *sc.units)
		inputs_read(&sc, &in, st);
	if (st->code != STATUS_INTERNAL && in.nunits && solver_budgeted(&sc))
		solver_check_budget(&sc, &in, NULL, st);
	if (!st->quiet)
		print_summary(&sc, &in, st, stdout);
	inputs_free(&in);
	scenario_free(&sc);
	free(sets);
	if (st->code == STATUS_INTERNAL)
		return STATUS_INTERNAL;
	return st->nerrors ? STATUS_INPUT : STATUS_OK;
}
