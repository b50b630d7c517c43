/*
 * cmd_run.c: `stationplan run SCENARIO.ini`, the main job: validate the
 * inputs, place the stations and write the GeoPackage.
 *
 * With `--sweep section.key=v1,v2,...` the scenario is run once per value,
 * each plan written beside the output as `<stem>-<key>-<value>.gpkg`, and a
 * one-table comparison of all of them is printed. Every value's scenario is
 * loaded and validated, and every target checked, before the first run, so a
 * typo in the third value does not surface after two long solves.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "gpkg.h"
#include "pipeline.h"
#include "plan_output.h"
#include "progress.h"
#include "scenario.h"
#include "table.h"

#include <jansson.h>

const char cmd_run_usage[] =
    "usage: stationplan run SCENARIO.ini [-o OUT.gpkg|PG:...] [-of GPKG] [--set "
    "section.key=value]...\n"
    "                       [--sweep section.key=v1,v2,...] [--format text|csv|md|json]\n"
    "                       [--overwrite] [--threads N] [--progress] [-q | -v...]\n"
    "                       [--shard K/N [--shard-by district|component] [--cut CUT]]\n\n"
    "Read the scenario's inputs, validate them (as `check` does), place the\n"
    "stations and write the plan as a GeoPackage (default: output.path).\n\n"
    "  -o, --output FILE   write the plan to FILE instead of output.path; the format\n"
    "                      follows the extension as in ogr2ogr (GeoPackage when there\n"
    "                      is none); only GeoPackage holds a plan, others are refused;\n"
    "                      FILE may never be one of the run's inputs\n"
    "  -of FORMAT          the output format by GDAL name (GPKG), whatever the extension\n"
    "  --set KEY=VALUE     override a scenario key, e.g. --set rules.households_max=4000\n"
    "  --sweep KEY=V1,V2   run once per value of KEY, writing OUT-<key>-<value>.gpkg\n"
    "                      for each (e.g. plan-households_max-4000.gpkg), then print\n"
    "                      one table comparing the runs\n"
    "  --format FMT        the sweep table as text (default), csv or md (with --sweep);\n"
    "                      json: the run's summary as a JSON object on stdout (printed\n"
    "                      even with -q), or with --sweep an array of them\n"
    "  --overwrite         replace an existing output file\n"
    "  --threads N         worker threads for the solver (default: cores)\n"
    "  --shard K/N         plan only the K-th of N shards (whole districts, or whole\n"
    "                      reach components with --shard-by component); join the\n"
    "                      shard files with 'stationplan merge'\n"
    "  --cut CUT           with --shard: the cut written once by 'stationplan shards';\n"
    "                      only the shard's units are read and built\n"
    "  --progress          show progress on stderr even when it is not a terminal\n"
    "                      (a bar is shown on a terminal anyway, unless -q)\n"
    "  -q, -v              quieter; more verbose (-vv: each solver sub-problem)\n\n"
    "exit status: 0 every unit served and proven within solver.mip_gap; 1 usage;\n"
    "2 bad input; 3 plan written but demand uncovered or not proven; 4 internal\n"
    "error; 5 the plan could not be written (folder missing or read-only, disk\n"
    "full; an earlier file is untouched). A sweep exits with the worst status of\n"
    "its runs.\n";

typedef struct run_args {
	const char *file, *out, *threads, *sweep;
	const char *of;               /* -of FORMAT, or NULL */
	const char *shard, *shard_by; /* --shard K/N, --shard-by district|component */
	const char *cut;              /* --cut FILE (with --shard) */
	char *sets;                   /* the --set values, ";"-separated, or NULL */
	int overwrite;
	int format_given, progress;
	table_format fmt;
	int json; /* --format json: the summary (or the sweep's rows) as JSON */
	char cmdline[2048];
} run_args;

/* Parse argv into `ra`. Returns STATUS_OK or STATUS_USAGE with `st` set. */
static status_code parse_args(int argc, char **argv, run_args *ra, status *st)
{
	memset(ra, 0, sizeof(*ra));
	snprintf(ra->cmdline, sizeof(ra->cmdline), "stationplan");
	for (int i = 0; i < argc; i++) {
		size_t l = strlen(ra->cmdline);
		snprintf(ra->cmdline + l, sizeof(ra->cmdline) - l, " %s", argv[i]);
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc) {
			ra->out = argv[++i];
		} else if (!strcmp(a, "-of") && i + 1 < argc) {
			ra->of = argv[++i];
		} else if (!strcmp(a, "--set") && i + 1 < argc) {
			if (cmd_append_list(&ra->sets, argv[++i], ';'))
				return status_fail(st, STATUS_INTERNAL, "out of memory");
		} else if (!strcmp(a, "--sweep") && i + 1 < argc) {
			if (ra->sweep)
				return status_fail(st, STATUS_USAGE,
				                   "run: only one --sweep ('%s', '%s')", ra->sweep,
				                   argv[i + 1]);
			ra->sweep = argv[++i];
		} else if (!strcmp(a, "--format") && i + 1 < argc) {
			ra->json = !strcmp(argv[i + 1], "json");
			if (ra->json)
				i++;
			else if (table_format_parse(argv[++i], &ra->fmt))
				return status_fail(
				    st, STATUS_USAGE,
				    "run: --format '%s' (must be text, csv, md or json)", argv[i]);
			else
				ra->format_given = 1; /* a table format: only with --sweep */
		} else if (!strcmp(a, "--shard") && i + 1 < argc) {
			ra->shard = argv[++i];
		} else if (!strcmp(a, "--shard-by") && i + 1 < argc) {
			ra->shard_by = argv[++i];
		} else if (!strcmp(a, "--cut") && i + 1 < argc) {
			ra->cut = argv[++i];
		} else if (!strcmp(a, "--threads") && i + 1 < argc) {
			ra->threads = argv[++i];
		} else if (!strcmp(a, "--overwrite")) {
			ra->overwrite = 1;
		} else if (!strcmp(a, "--progress")) {
			ra->progress = 1;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			st->quiet = 1;
		} else if (cmd_verbosity(a, st)) {
			/* -v, -vv, ..., --verbose */
		} else if (a[0] == '-' && a[1]) {
			fputs(cmd_run_usage, stderr);
			return status_fail(st, STATUS_USAGE,
			                   "run: unknown or incomplete option '%s'", a);
		} else if (!ra->file) {
			ra->file = a;
		} else {
			return status_fail(st, STATUS_USAGE,
			                   "run: more than one scenario ('%s', '%s')", ra->file, a);
		}
	}
	if (!ra->file) {
		fputs(cmd_run_usage, stderr);
		return status_fail(st, STATUS_USAGE, "run: no scenario file given");
	}
	/* Contradictions are refused, not settled silently. */
	if (cmd_quiet_verbose("run", st) != STATUS_OK)
		return STATUS_USAGE;
	if (st->quiet && ra->progress)
		return status_fail(st, STATUS_USAGE,
		                   "run: --quiet and --progress contradict each other");
	if (ra->format_given && !ra->sweep)
		return status_fail(st, STATUS_USAGE,
		                   "run: --format applies to the table of a --sweep only");
	if (ra->shard_by && !ra->shard)
		return status_fail(st, STATUS_USAGE, "run: --shard-by needs --shard K/N");
	if (ra->cut && !ra->shard)
		return status_fail(st, STATUS_USAGE, "run: --cut needs --shard K/N");
	if (ra->shard && ra->sweep)
		return status_fail(st, STATUS_USAGE, "run: --shard and --sweep do not go together");
	if (ra->progress)
		progress_set_mode(PROGRESS_ALWAYS);
	return STATUS_OK;
}

/* Print `j` (taking it) on stdout; out of memory is noted, not fatal: the
 * plan is written. */
static void print_json(json_t *j, status *st)
{
	if (!j || json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0)
		status_problem_add(st, SEV_WARNING, "output", "run: cannot print the JSON summary");
	else
		fputc('\n', stdout);
	json_decref(j);
}

static status_code run_one(const run_args *ra, status *st)
{
	scenario sc;
	shard_spec spec = {0};
	if (ra->shard && shard_parse(ra->shard, ra->shard_by, &spec, st) != STATUS_OK)
		return STATUS_USAGE;
	spec.cut = ra->cut;
	status_code rc = cmd_load_scenario(ra->file, ra->sets, NULL, ra->threads, &sc, st);
	if (rc == STATUS_OK) {
		pipeline_result res;
		const char *path = ra->out ? ra->out : sc.path;
		rc = pg_target_is_pg(path) ? STATUS_OK : gpkg_target_format(path, ra->of, st);
		if (rc == STATUS_OK)
			rc = pipeline_run_shard(&sc, &spec, path, ra->overwrite, ra->cmdline,
			                        ra->sets ? ra->sets : "", &res, st);
		if ((rc == STATUS_OK || rc == STATUS_INCOMPLETE) && ra->json)
			print_json(pipeline_result_json(&res, path), st);
		else if ((rc == STATUS_OK || rc == STATUS_INCOMPLETE) && !st->quiet)
			pipeline_print_summary(&res, path, stdout);
	}
	scenario_free(&sc);
	return rc;
}

/* ---- sweeps -------------------------------------------------------------- */

typedef struct sweep_run {
	char value[128];
	char assignment[512]; /* "rules.households_max=4000" */
	char path[4096];
	scenario sc;
	int loaded;
	status_code rc;
	int written; /* the pipeline wrote the plan (rc OK or INCOMPLETE) */
	pipeline_result res;
} sweep_run;

/* "<stem>-<key>-<value>.gpkg" where stem is `out` without ".gpkg" and key is
 * the part of "section.key" after the dot; characters that do not belong in
 * a file name become '_'. */
static void sweep_path(const char *out, const char *key, const char *value, char *buf, size_t size)
{
	size_t stem = strlen(out);
	if (stem > 5 && !strcmp(out + stem - 5, ".gpkg"))
		stem -= 5;
	const char *dot = strrchr(key, '.');
	char v[128];
	snprintf(v, sizeof(v), "%s", value);
	for (char *c = v; *c; c++)
		if (*c == '/' || *c == ' ' || *c == '\\' || *c == ':')
			*c = '_';
	snprintf(buf, size, "%.*s-%s-%s.gpkg", (int)stem, out, dot ? dot + 1 : key, v);
}

/* Split "section.key=v1,v2,..." into runs. Returns the count, 0 with `st`
 * set on a malformed sweep. Caller frees *runs. */
static size_t sweep_parse(const char *sweep, sweep_run **runs, char *key, size_t keysize,
                          status *st)
{
	const char *eq = strchr(sweep, '=');
	*runs = NULL;
	if (!eq || eq == sweep || !eq[1]) {
		status_fail(st, STATUS_USAGE,
		            "run: --sweep '%s' (must be section.key=value1,value2,...)", sweep);
		return 0;
	}
	snprintf(key, keysize, "%.*s", (int)(eq - sweep), sweep);
	size_t n = 1;
	for (const char *c = eq + 1; *c; c++)
		n += *c == ',';
	*runs = calloc(n, sizeof(**runs));
	if (!*runs) {
		status_fail(st, STATUS_INTERNAL, "out of memory");
		return 0;
	}
	const char *v = eq + 1;
	for (size_t i = 0; i < n; i++) {
		const char *end = strchr(v, ',');
		size_t len = end ? (size_t)(end - v) : strlen(v);
		if (len == 0 || len >= sizeof((*runs)[i].value)) {
			status_fail(st, STATUS_USAGE, "run: --sweep '%s': value %zu is %s", sweep,
			            i + 1, len ? "too long" : "empty");
			return 0;
		}
		for (size_t j = 0; j < i; j++)
			if (strlen((*runs)[j].value) == len && !strncmp((*runs)[j].value, v, len)) {
				status_fail(st, STATUS_USAGE,
				            "run: --sweep '%s': value '%.*s' given twice", sweep,
				            (int)len, v);
				return 0;
			}
		snprintf((*runs)[i].value, sizeof((*runs)[i].value), "%.*s", (int)len, v);
		snprintf((*runs)[i].assignment, sizeof((*runs)[i].assignment), "%s=%s", key,
		         (*runs)[i].value);
		v = end ? end + 1 : v + len;
	}
	return n;
}

static void sweep_table(const sweep_run *runs, size_t n, const char *key, table_format fmt,
                        FILE *out)
{
	static const struct {
		const char *title, *csv;
		table_align align;
	} cols[] = {
	    {"stations", "stations", TABLE_RIGHT},
	    {"urban", "urban_stations", TABLE_RIGHT},
	    {"village", "village_stations", TABLE_RIGHT},
	    {"existing", "existing_stations", TABLE_RIGHT},
	    {"under", "underfilled", TABLE_RIGHT},
	    {"hh/st", "households_per_station", TABLE_RIGHT},
	    {"walk", "mean_walk_m", TABLE_RIGHT},
	    {"max", "max_walk_m", TABLE_RIGHT},
	    {"unc hh", "uncovered_households", TABLE_RIGHT},
	    {"status", "status", TABLE_LEFT},
	    {"gap", "gap", TABLE_RIGHT},
	    {"seconds", "seconds", TABLE_RIGHT},
	    {"file", "file", TABLE_LEFT},
	};
	size_t nc = sizeof(cols) / sizeof(cols[0]);
	table t;
	table_init(&t, nc + 1);
	table_column(&t, 0, key, key, TABLE_LEFT);
	for (size_t c = 0; c < nc; c++)
		table_column(&t, c + 1, cols[c].title, cols[c].csv, cols[c].align);
	for (size_t i = 0; i < n; i++) {
		const pipeline_result *r = &runs[i].res;
		table_row(&t);
		table_cell(&t, 0, "%s", runs[i].value);
		if (!runs[i].written) {
			table_cell(&t, 10, "%s", status_code_name(runs[i].rc));
			continue;
		}
		long served = r->households - r->uncovered_households;
		table_cell(&t, 1, "%zu", r->nstations);
		table_cell(&t, 2, "%zu", r->nurban_stations);
		table_cell(&t, 3, "%zu", r->nvillage_stations);
		table_cell(&t, 4, "%zu", r->nexisting_stations);
		table_cell(&t, 5, "%zu", r->nunderfilled);
		table_cell(&t, 6, "%.0f", r->nstations ? (double)served / (double)r->nstations : 0);
		table_cell(&t, 7, "%.0f", r->mean_walk_m);
		table_cell(&t, 8, "%.0f", r->max_walk_m);
		table_cell(&t, 9, "%ld", r->uncovered_households);
		table_cell(&t, 10, "%s", r->solver_status);
		table_cell(&t, 11, "%.2f%%", 100.0 * r->gap);
		table_cell(&t, 12, "%.1f", r->ri.total_seconds);
		table_cell(&t, 13, "%s", runs[i].path);
	}
	table_print(&t, fmt, out);
	table_free(&t);
}

/* The sweep as a JSON array: per value {key, value, exit, and the run's
 * summary when it wrote a plan}. NULL out of memory. */
static json_t *sweep_json(const sweep_run *runs, size_t n, const char *key)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		json_t *o = runs[i].written ? pipeline_result_json(&runs[i].res, runs[i].path)
		                            : json_object();
		if (!o || json_object_set_new(o, "key", json_string(key)) ||
		    json_object_set_new(o, "value", json_string(runs[i].value)) ||
		    json_object_set_new(o, "exit", json_string(status_code_name(runs[i].rc))) ||
		    json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static status_code run_sweep(const run_args *ra, status *st)
{
	char key[256];
	sweep_run *runs;
	size_t n = sweep_parse(ra->sweep, &runs, key, sizeof(key), st);
	status_code rc = n ? STATUS_OK : st->code;

	/* Everything that can be checked is checked before the first run. */
	for (size_t i = 0; rc == STATUS_OK && i < n; i++) {
		rc = cmd_load_scenario(ra->file, ra->sets, runs[i].assignment, ra->threads,
		                       &runs[i].sc, st);
		runs[i].loaded = 1;
		if (rc == STATUS_OK) {
			sweep_path(ra->out ? ra->out : runs[i].sc.path, key, runs[i].value,
			           runs[i].path, sizeof(runs[i].path));
			rc = gpkg_target_format(runs[i].path, ra->of, st);
			if (rc == STATUS_OK)
				rc = gpkg_check_target(runs[i].path, ra->overwrite, st);
			if (rc == STATUS_OK)
				rc = pipeline_check_not_input(&runs[i].sc, runs[i].path, st);
		}
	}

	status worst; /* ranks the runs' codes as status_fail() does */
	status_init(&worst);
	size_t nbad = 0;
	for (size_t i = 0; rc == STATUS_OK && i < n; i++) {
		sweep_run *r = &runs[i];
		status rs;
		status_init(&rs);
		rs.quiet = st->quiet;
		rs.verbose = st->verbose;
		char *sets = NULL;
		if ((ra->sets && cmd_append_list(&sets, ra->sets, ';')) ||
		    cmd_append_list(&sets, r->assignment, ';')) {
			free(sets);
			status_free(&rs);
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
			break;
		}
		status_note(st, 0, "sweep %s (%zu of %zu) -> %s", r->assignment, i + 1, n, r->path);
		r->rc =
		    pipeline_run(&r->sc, r->path, ra->overwrite, ra->cmdline, sets, &r->res, &rs);
		r->written = r->rc == STATUS_OK || r->rc == STATUS_INCOMPLETE;
		if (r->rc != STATUS_OK || rs.nproblems) {
			fprintf(stderr, "stationplan: sweep %s:\n", r->assignment);
			status_print(&rs, stderr, 20);
		}
		if (r->rc != STATUS_OK) {
			nbad++;
			status_fail(&worst, r->rc, "%s", r->assignment);
		}
		free(sets);
		status_free(&rs);
	}
	if (rc == STATUS_OK) {
		if (ra->json)
			print_json(sweep_json(runs, n, key), st);
		else
			sweep_table(runs, n, key, ra->fmt, stdout);
		if (nbad)
			rc = status_fail(st, worst.code,
			                 "sweep: %zu of %zu runs did not finish ok, the first is "
			                 "%s (see above)",
			                 nbad, n, worst.msg);
	}
	for (size_t i = 0; i < n; i++)
		if (runs[i].loaded)
			scenario_free(&runs[i].sc);
	free(runs);
	status_free(&worst);
	return rc;
}

int cmd_run(int argc, char **argv, status *st)
{
	run_args ra;
	status_code rc = parse_args(argc, argv, &ra, st);
	if (rc == STATUS_OK)
		rc = ra.sweep ? run_sweep(&ra, st) : run_one(&ra, st);
	free(ra.sets);
	return rc;
}
