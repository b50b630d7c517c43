/*
 * gpkg_run.c: the run record: one `run` row saying how the plan was made,
 * and one `run_subproblems` row per independent sub-problem solved.
 *
 * `parameters` holds every scenario key after defaults and --set, one
 * "section.key = value" line each, in key-table order, then every key of
 * every level ("level.NAME.key = value") and the [phases] entries; `inputs` one
 * "role path size sha256" line per input file ("-" for a value not
 * known; no modification time, which a copy of the same file changes); `command` the command that
 * reproduces the plan. Wall-clock seconds (`seconds`, `stages`, run_subproblems.seconds) are
 * written only when timings are wanted, since they would make two runs differ; see include/gpkg.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gpkg_int.h"
#include "version.h"

int gpkg_run_timings_wanted(const scenario *sc, const run_info *ri)
{
	if (ri && ri->timings)
		return 1;
	for (size_t i = 0, n = scenario_key_count(); i < n; i++) {
		if (strcmp(scenario_key_name(i), "output.timings") != 0)
			continue;
		char v[32];
		scenario_key_value(sc, i, v, sizeof(v));
		return !strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") ||
		       !strcmp(v, "1");
	}
	return 0;
}

/* Append `s` to `f` quoted for a POSIX shell when it needs quoting. */
static void put_shell_word(FILE *f, const char *s)
{
	if (s[0] && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	                      "_./=:,+-@%") == strlen(s)) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			fputc(*s, f);
	}
	fputc('\'', f);
}

char *gpkg_run_parameters(const scenario *sc)
{
	char *text = NULL, v[4096];
	size_t len;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	for (size_t i = 0, n = scenario_key_count(); i < n; i++) {
		scenario_key_value(sc, i, v, sizeof(v));
		fprintf(f, "%s%s = %s", i ? "\n" : "", scenario_key_name(i), v);
	}
	{ /* [level.NAME]: every key of every level (src/core/scenario_levels.c) */
		char lv[16384];
		scenario_levels_text(sc, lv, sizeof(lv));
		if (*lv)
			fprintf(f, "\n%s", lv);
	}
	{ /* [phases]: years chosen by the planner, not in the key table */
		char ph[4096];
		phases_spec_text(&sc->phases, ph, sizeof(ph));
		if (*ph)
			fprintf(f, "\n%s", ph);
	}
	fclose(f);
	return text;
}

/* The text fields, each a malloc'd string (caller frees). */
typedef struct run_text {
	char *command, *parameters, *inputs, *stages;
	char *phases; /* one line per phase, NULL without phases */
} run_text;

static void run_text_free(run_text *t)
{
	free(t->command);
	free(t->parameters);
	free(t->phases);
	free(t->inputs);
	free(t->stages);
}

static int run_text_build(const gpkg_writer *w, run_text *t)
{
	size_t len;
	FILE *f;

	if (!(f = open_memstream(&t->command, &len)))
		return -1;
	fputs("stationplan run ", f);
	put_shell_word(f, w->sc->file ? w->sc->file : "");
	const char *sets = w->ri && w->ri->set_overrides ? w->ri->set_overrides : "";
	for (const char *s = sets, *end; *s; s = end ? end + 1 : s + strlen(s)) {
		end = strchr(s, ';');
		char one[1024];
		snprintf(one, sizeof(one), "%.*s", end ? (int)(end - s) : (int)strlen(s), s);
		fputs(" --set ", f);
		put_shell_word(f, one);
		if (!end)
			break;
	}
	fclose(f);

	if (!(t->parameters = gpkg_run_parameters(w->sc)))
		return -1;

	if (w->p->nphases > 0) { /* each phase's households against its budget alone */
		if (!(f = open_memstream(&t->phases, &len)))
			return -1;
		for (size_t i = 0; i < w->p->nphases; i++) {
			const plan_phase *ph = &w->p->phases[i];
			fprintf(
			    f,
			    "%s%d: %zu stations, %ld households (%.2f %%), bound alone %.0f, gap "
			    "%.2f %%%s, %s",
			    i ? "\n" : "", ph->year, ph->stations, ph->households,
			    100.0 * ph->share, ph->bound, 100.0 * ph->gap,
			    ph->full ? ", the full plan" : "", ph->status);
		}
		fclose(f);
	}

	if (!(f = open_memstream(&t->inputs, &len)))
		return -1;
	for (size_t i = 0; i < w->in->nfiles; i++) {
		const input_file *x = &w->in->files[i];
		fprintf(f, "%s%s %s ", i ? "\n" : "", x->role, x->path);
		if (x->size >= 0)
			fprintf(f, "%lld ", x->size);
		else
			fputs("- ", f);
		fputs(x->sha256[0] ? x->sha256 : "-", f);
	}
	fclose(f);

	if (!(f = open_memstream(&t->stages, &len)))
		return -1;
	for (size_t i = 0; w->ri && i < w->ri->nstages; i++)
		fprintf(f, "%s%s=%.3f", i ? ";" : "", w->ri->stage_name[i],
		        w->ri->stage_seconds[i]);
	fclose(f);
	return 0;
}

static const gpkg_field run_fields[] = {
    {"status", OFTString, OFSTNone},
    {"objective", OFTReal, OFSTNone},
    {"bound", OFTReal, OFSTNone},
    {"gap", OFTReal, OFSTNone},
    {"seconds", OFTReal, OFSTNone},
    {"version", OFTString, OFSTNone},
    {"crs", OFTString, OFSTNone},
    {"command", OFTString, OFSTNone},
    {"parameters", OFTString, OFSTNone},
    {"inputs", OFTString, OFSTNone},
    {"stages", OFTString, OFSTNone},
    {"units", OFTInteger, OFSTNone},
    {"stations", OFTInteger, OFSTNone},
    {"uncovered", OFTInteger, OFSTNone},
    {"walk_distance_m", OFTReal, OFSTNone},
    {"households_min", OFTInteger, OFSTNone},
    {"households_max", OFTInteger, OFSTNone},
    {"mip_gap", OFTReal, OFSTNone},
    {"proven", OFTInteger, OFSTBoolean},
    {"working_crs", OFTString, OFSTNone},
    {"households", OFTInteger, OFSTNone},
    {"uncovered_households", OFTInteger, OFSTNone},
    {"timings", OFTInteger, OFSTBoolean},
    {"urban_stations", OFTInteger, OFSTNone},
    {"urban_bound", OFTReal, OFSTNone},
    {"urban_gap", OFTReal, OFSTNone},
    {"urban_walk", OFTReal, OFSTNone},
    {"urban_walk_bound", OFTReal, OFSTNone},
    {"urban_walk_gap", OFTReal, OFSTNone},
    {"underfilled", OFTInteger, OFSTNone},
    {"underfilled_bound", OFTInteger, OFSTNone},
    {"work_limit", OFTInteger64, OFSTNone},
    {"distance", OFTString, OFSTNone},
    {"phases", OFTString, OFSTNone},
};

static status_code write_run_row(gpkg_writer *w)
{
	const plan *p = w->p;
	run_text t = {0};
	char version[256];
	status_code rc;
	OGRLayerH l = gpkg_table_create(
	    w, "run", wkbNone, "Run record",
	    "How this plan was made: solver status, objective, bound and gap; the urban part "
	    "alone: urban_stations, urban_bound (stations of any plan with at most "
	    "`underfilled` avoidably underfilled stations), urban_gap, and for min_distance "
	    "urban_walk (household-km), urban_walk_bound, urban_walk_gap; every scenario "
	    "parameter after defaults and --set (parameters); the input files with size, "
	    "modification time and SHA-256 (inputs); the CRS; the stationplan and library "
	    "versions; the command reproducing the plan; distance: straight (lines as the crow "
	    "flies) or network (along input.roads, whose file is in inputs); with [phases], each "
	    "phase's stations, households, the bound for its budget alone and the gap (phases). "
	    "seconds and stages "
	    "(wall-clock per "
	    "stage) are filled only with output.timings = true, so that the same inputs give a "
	    "byte-identical file.",
	    run_fields, sizeof(run_fields) / sizeof(run_fields[0]));
	if (!l)
		return w->st->code;
	if (run_text_build(w, &t) != 0) {
		run_text_free(&t);
		return status_fail(w->st, STATUS_INTERNAL, "out of memory");
	}
	version_string(version, sizeof(version));
	long households = 0, uncovered_households = 0;
	for (size_t u = 0; u < w->in->nunits; u++)
		households += w->in->units[u].households;
	for (size_t i = 0; i < p->nuncovered; i++)
		uncovered_households += w->in->units[p->uncovered[i].unit].households;

	OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
	OGR_F_SetFieldString(f, 0, p->status);
	OGR_F_SetFieldDouble(f, 1, p->objective);
	OGR_F_SetFieldDouble(f, 2, p->bound);
	OGR_F_SetFieldDouble(f, 3, p->gap);
	if (w->timings && w->ri)
		OGR_F_SetFieldDouble(f, 4, w->ri->total_seconds);
	else
		OGR_F_SetFieldNull(f, 4);
	OGR_F_SetFieldString(f, 5, version);
	OGR_F_SetFieldString(f, 6, w->crs_name);
	OGR_F_SetFieldString(f, 7, t.command);
	OGR_F_SetFieldString(f, 8, t.parameters);
	OGR_F_SetFieldString(f, 9, t.inputs);
	if (w->timings)
		OGR_F_SetFieldString(f, 10, t.stages);
	else
		OGR_F_SetFieldNull(f, 10);
	OGR_F_SetFieldInteger(f, 11, (int)w->in->nunits);
	OGR_F_SetFieldInteger(f, 12, (int)p->nstations);
	OGR_F_SetFieldInteger(f, 13, (int)p->nuncovered);
	OGR_F_SetFieldDouble(f, 14, w->sc->walk_distance_m);
	OGR_F_SetFieldInteger(f, 15, (int)w->sc->households_min);
	OGR_F_SetFieldInteger(f, 16, (int)w->sc->households_max);
	OGR_F_SetFieldDouble(f, 17, w->sc->mip_gap);
	OGR_F_SetFieldInteger(f, 18, p->proven != 0);
	OGR_F_SetFieldString(f, 19, w->in->crs ? w->in->crs : "");
	OGR_F_SetFieldInteger(f, 20, (int)households);
	OGR_F_SetFieldInteger(f, 21, (int)uncovered_households);
	OGR_F_SetFieldInteger(f, 22, w->timings != 0);
	OGR_F_SetFieldInteger(f, 23, (int)p->urban_stations);
	OGR_F_SetFieldDouble(f, 24, p->urban_bound);
	OGR_F_SetFieldDouble(f, 25, p->urban_gap);
	OGR_F_SetFieldDouble(f, 26, p->urban_walk);
	if (w->sc->objective == OBJECTIVE_MIN_DISTANCE) {
		OGR_F_SetFieldDouble(f, 27, p->urban_walk_bound);
		OGR_F_SetFieldDouble(f, 28, p->urban_walk_gap);
	} else {
		OGR_F_SetFieldNull(f, 27);
		OGR_F_SetFieldNull(f, 28);
	}
	OGR_F_SetFieldInteger(f, 29, (int)p->underfilled);
	OGR_F_SetFieldInteger(f, 30, (int)p->underfilled_bound);
	OGR_F_SetFieldInteger64(f, 31, w->sc->work_limit);
	OGR_F_SetFieldString(f, 32, w->r && w->r->network ? "network" : "straight");
	if (t.phases)
		OGR_F_SetFieldString(f, 33, t.phases);
	else
		OGR_F_SetFieldNull(f, 33);
	rc = gpkg_table_begin(w, "run");
	if (rc == STATUS_OK)
		rc = gpkg_table_write(w, l, f, 1);
	OGR_F_Destroy(f);
	run_text_free(&t);
	return rc == STATUS_OK ? gpkg_table_commit(w, "run") : rc;
}

static const gpkg_field sub_fields[] = {
    {"sub", OFTInteger, OFSTNone},
    {"key", OFTString, OFSTNone},
    {"units", OFTInteger, OFSTNone},
    {"sites", OFTInteger, OFSTNone},
    {"columns", OFTInteger, OFSTNone},
    {"rows", OFTInteger, OFSTNone},
    {"stations", OFTInteger, OFSTNone},
    {"objective", OFTReal, OFSTNone},
    {"bound", OFTReal, OFSTNone},
    {"gap", OFTReal, OFSTNone},
    {"seconds", OFTReal, OFSTNone},
    {"status", OFTString, OFSTNone},
    {"restricted", OFTInteger, OFSTBoolean},
    {"bound_source", OFTString, OFSTNone},
    {"underfilled", OFTInteger, OFSTNone},
};

static const gpkg_layer_def sub_layer = {
    "run_subproblems", wkbNone, "Solved sub-problems",
    "One row per independent sub-problem (connected component or street) the solver "
    "placed stations in: its size (units, candidate sites, integer program columns and "
    "rows), stations placed, objective, bound, gap and status (optimal, feasible, "
    "heuristic, time_limit, failed); restricted (never: every component is solved "
    "whole) and bound_source: enumerated (every column listed), colgen (column "
    "generation converged), colgen_stopped (Farley/Lagrangian bound of a stopped "
    "run), matching (no station can hold three units: a maximum matching counts the "
    "fewest stations and underfilled ones, an LP with odd-set cuts bounds the "
    "walking), none. stations.sub refers to sub. seconds only with output.timings = "
    "true.",
    GPKG_FIELDS(sub_fields)};

static status_code write_subproblems(gpkg_writer *w)
{
	const plan *p = w->p;
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &sub_layer) != STATUS_OK)
		return t.rc;
	for (size_t i = 0; i < p->nsubs && t.rc == STATUS_OK; i++) {
		const plan_sub *s = &p->subs[i];
		OGRFeatureH f = gpkg_rows_new(&t);
		OGR_F_SetFieldInteger(f, 0, s->id);
		OGR_F_SetFieldString(f, 1, s->key);
		OGR_F_SetFieldInteger(f, 2, (int)s->nunits);
		OGR_F_SetFieldInteger(f, 3, (int)s->nsites);
		OGR_F_SetFieldInteger(f, 4, (int)s->ncols);
		OGR_F_SetFieldInteger(f, 5, (int)s->nrows);
		OGR_F_SetFieldInteger(f, 6, s->nstations);
		OGR_F_SetFieldDouble(f, 7, s->objective);
		OGR_F_SetFieldDouble(f, 8, s->bound);
		OGR_F_SetFieldDouble(f, 9, s->gap);
		if (w->timings)
			OGR_F_SetFieldDouble(f, 10, s->seconds);
		else
			OGR_F_SetFieldNull(f, 10);
		OGR_F_SetFieldString(f, 11, s->status);
		OGR_F_SetFieldInteger(f, 12, s->restricted != 0);
		OGR_F_SetFieldString(f, 13, s->bound_source);
		OGR_F_SetFieldInteger(f, 14, s->underfilled);
		gpkg_rows_put(&t, f, NULL);
	}
	return gpkg_rows_close(&t);
}

status_code gpkg_write_run(gpkg_writer *w)
{
	status_code rc = write_run_row(w);
	return rc == STATUS_OK ? write_subproblems(w) : rc;
}
