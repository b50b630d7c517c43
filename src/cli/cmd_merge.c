/*
 * cmd_merge.c: `stationplan merge OUT.gpkg SHARD.gpkg... [--scenario S.ini]
 * [--set section.key=value]...`, the shard files of `run --shard K/N`
 * joined into one plan (io/plan_merge.c), the upper levels planned on the
 * merged stations.
 *
 * A shard plans the stations only. When the shards' scenario has upper
 * levels ([level.NAME]), merge reads that scenario (from --scenario and
 * --set, else from the command in shard 1's run record), checks it and its
 * input files against the shard's record (io/plan_merge_scenario.c), reads
 * the whole input (units and the levels' places: no sites, no reach) and
 * has levels_solve() plan the levels on the merged stations. The exit
 * status then follows run's for the levels: 3 when a group is unplaced or a
 * level is not proven within mip_gap.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cmd.h"
#include "inputs.h"
#include "levels.h"
#include "plan_merge.h"
#include "plan_output.h"
#include "reach.h"
#include "sites.h"
#include "unit_geom.h"
#include "order.h"

const char cmd_merge_usage[] =
    "usage: stationplan merge OUT.gpkg SHARD.gpkg... [--scenario S.ini [--set k=v]...]\n"
    "                         [--overwrite] [-q]\n"
    "       stationplan merge PG:... --schema NAME SHARD.gpkg... [--overwrite] [-q]\n\n"
    "Join the files of 'stationplan run ... --shard K/N' (K = 1..N, any order)\n"
    "into one plan with the layers of a single run: stations renumbered as a\n"
    "single run numbers them, rows in its order, summaries over all shards,\n"
    "the run record of the whole plan plus a 'run_shards' table (one row per\n"
    "shard), and the upper levels ([level.NAME]) planned on the merged\n"
    "stations. The result equals, layer by layer, a single run on the same\n"
    "inputs.\n\n"
    "  --scenario S.ini  the shards' scenario, for the upper levels (default: the\n"
    "                    one in the shards' run record, as a path from the folder\n"
    "                    the shards were run in); it and its input files must be\n"
    "                    the shards' (same parameters, same files by SHA-256)\n"
    "  --set k=v         as for run, applied to --scenario\n"
    "  --overwrite       replace an existing OUT.gpkg (or schema)\n"
    "  --schema NAME     the PostGIS schema when OUT is PG:... (as output.schema of run)\n\n"
    "exit status: 0 merged; 1 usage; 2 a file is not a shard, shards of different\n"
    "cuts, a shard given twice or missing, a scenario or input that is not the\n"
    "shards'; 3 merged, but an upper level is unplaced or not proven; 4 internal error.\n";

typedef struct merge_args {
	const char *out, *schema, *scenario;
	int overwrite;
	const char **shards;
	size_t n;
	char *sets; /* ";"-separated */
} merge_args;

static status_code parse(int argc, char **argv, merge_args *a, status *st)
{
	a->shards = calloc((size_t)argc + 1, sizeof(char *));
	if (!a->shards)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	for (int i = 1; i < argc; i++) {
		const char *s = argv[i];
		if (cmd_overwrite_opt(s, &a->overwrite, st))
			continue;
		if (!strcmp(s, "--schema") && i + 1 < argc)
			a->schema = argv[++i];
		else if (!strcmp(s, "--scenario") && i + 1 < argc)
			a->scenario = argv[++i];
		else if (!strcmp(s, "--set") && i + 1 < argc) {
			if (cmd_append_list(&a->sets, argv[++i], ';') != 0)
				return status_fail(st, STATUS_INTERNAL, "out of memory");
		} else if (s[0] == '-' && s[1])
			return cmd_usage_error(cmd_merge_usage, st, "merge: unknown option '%s'",
			                       s);
		else if (!a->out)
			a->out = s;
		else
			a->shards[a->n++] = s;
	}
	if (!a->out || a->n == 0) {
		fputs(cmd_merge_usage, stderr);
		return status_fail(st, STATUS_USAGE,
		                   "merge: give the output file and the shard files");
	}
	if (a->sets && !a->scenario)
		return status_fail(st, STATUS_USAGE, "merge: --set needs --scenario S.ini");
	return STATUS_OK;
}

/* The upper levels' state: scenario, whole input, result. `on` 0: none. */
typedef struct merge_levels {
	int on;
	scenario sc;
	inputs in;
	levels_result lv;
	plan_merge_levels hook;
} merge_levels;

typedef struct xy_ix {
	double x, y;
	int i;
} xy_ix;

ORDER_BY_FIELDS(cmp_xy, xy_ix, x, y, i)

/* The stations of `p` (sites in `sites`) on the candidate sites `cand` of
 * the whole input: *out a shallow copy of p with its own stations, each
 * station's site the candidate at exactly its coordinates. Returns
 * STATUS_OK, or STATUS_INTERNAL (a station on no candidate, out of memory). */
static status_code on_candidates(const plan *p, const site_table *sites, const site_table *cand,
                                 plan *out, status *st)
{
	xy_ix *ix = malloc((cand->n + 1) * sizeof(*ix));
	*out = *p;
	out->stations = malloc((p->nstations + 1) * sizeof(plan_station));
	if (!ix || !out->stations) {
		free(ix), free(out->stations);
		out->stations = NULL;
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	for (size_t j = 0; j < cand->n; j++)
		ix[j] = (xy_ix){cand->sites[j].x, cand->sites[j].y, (int)j};
	qsort(ix, cand->n, sizeof(*ix), cmp_xy);
	status_code rc = STATUS_OK;
	for (size_t k = 0; k < p->nstations && rc == STATUS_OK; k++) {
		const site *s = &sites->sites[p->stations[k].site];
		xy_ix key = {s->x, s->y, -1};
		size_t lo = 0, hi = cand->n; /* first at or after (x, y) */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (cmp_xy(&ix[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		out->stations[k] = p->stations[k];
		if (lo < cand->n && ix[lo].x == s->x && ix[lo].y == s->y)
			out->stations[k].site = ix[lo].i;
		else
			rc = status_fail(
			    st, STATUS_INTERNAL,
			    "merge: station %zu at (%.3f, %.3f) is on no candidate site "
			    "of the whole input",
			    k + 1, s->x, s->y);
	}
	free(ix);
	if (rc != STATUS_OK) {
		free(out->stations);
		out->stations = NULL;
	}
	return rc;
}

/* levels_solve() on the merged stations, along the streets when the
 * scenario has input.roads, as a single run plans them
 * (src/cli/pipeline.c): the whole input's candidate sites and their
 * network reach are built again, so the street network is cut where the
 * single run's is (every unit, candidate site and level place attached to
 * its nearest street) and the distances between stations and level places,
 * and the walks the flows draw, are the single run's. */
static status_code merge_levels_solve(const inputs *in, const site_table *sites, const plan *p,
                                      const scenario *sc, const levels_distance *dist,
                                      levels_result *out, status *st)
{
	if (!*sc->roads)
		return levels_solve(in, sites, p, sc, dist, out, st);
	unit_geom *ug = NULL;
	site_table cand = {0};
	reach r = {0};
	plan onc = {0};
	status_code rc = unit_geom_prepare(in, sc, &ug, st);
	if (rc == STATUS_OK)
		rc = sites_build(in, sc, ug, &cand, st);
	if (rc == STATUS_OK)
		rc = reach_build(in, &cand, sc, ug, &r, st);
	unit_geom_free(ug);
	if (rc == STATUS_OK)
		rc = on_candidates(p, sites, &cand, &onc, st);
	if (rc == STATUS_OK) {
		reach_levels rl;
		levels_distance ld;
		reach_levels_distance(&r, &cand, sc, &rl, &ld);
		rc = levels_solve(in, &cand, &onc, sc, &ld, out, st);
		if (rc == STATUS_OK)
			rc = reach_levels_routes(&rl, out, st);
	}
	free(onc.stations);
	reach_free(&r);
	sites_free(&cand);
	return rc;
}

/* When the shards' scenario has levels (or --scenario is given): load it,
 * read its inputs and check both against shard 1's record. */
static status_code levels_prepare(const merge_args *a, merge_levels *ml, status *st)
{
	char *file = NULL, *sets = NULL;
	int levels = 0;
	status_code rc = plan_merge_recorded(a->shards[0], &file, &sets, &levels, st);
	if (rc != STATUS_OK || (!levels && !a->scenario)) {
		free(file), free(sets);
		return rc;
	}
	const char *path = a->scenario ? a->scenario : file;
	if (!a->scenario && access(path, R_OK) != 0)
		rc = status_fail(st, STATUS_INPUT,
		                 "merge: the shards have upper levels, planned on the merged "
		                 "stations, and their scenario '%s' (from the run record of '%s') "
		                 "cannot be read from here: give it with --scenario S.ini",
		                 path, a->shards[0]);
	if (rc == STATUS_OK) {
		ml->on = 1;
		rc = cmd_load_scenario(path, a->scenario ? a->sets : sets, NULL, NULL, &ml->sc, st);
	}
	free(file), free(sets);
	if (rc == STATUS_OK)
		rc = inputs_read(&ml->sc, &ml->in, st);
	if (rc == STATUS_OK)
		rc = plan_merge_check_scenario(a->shards[0], &ml->sc, &ml->in, st);
	if (rc == STATUS_OK && ml->sc.nlevels)
		rc = levels_places_prepare(&ml->in, &ml->sc, st);
	ml->hook = (plan_merge_levels){&ml->sc, &ml->in, merge_levels_solve, &ml->lv};
	return rc;
}

/* run's exit status for the levels (src/cli/pipeline.c). */
static status_code levels_status(const merge_levels *ml, status *st)
{
	const levels_result *lv = &ml->lv;
	for (size_t l = 0; l < lv->n; l++)
		status_note(st, 0, "level %s: %zu facilities, %s, gap %.4f", lv->lv[l].name,
		            lv->lv[l].nfac, lv->lv[l].status, lv->lv[l].gap);
	if (lv->nunplaced > 0)
		return status_fail(st, STATUS_INCOMPLETE,
		                   "%zu group(s) of the upper levels without their facilities (see "
		                   "table 'unplaced'), the first: level '%s', group '%s'",
		                   lv->nunplaced, lv->lv[lv->unplaced[0].level].name,
		                   lv->unplaced[0].group);
	for (size_t l = 0; l < lv->n; l++)
		if (!lv->lv[l].proven)
			return status_fail(st, STATUS_INCOMPLETE,
			                   "level '%s' not proven within mip_gap = %g (gap %.4f)",
			                   lv->lv[l].name, ml->sc.mip_gap, lv->lv[l].gap);
	return STATUS_OK;
}

int cmd_merge(int argc, char **argv, status *st)
{
	merge_args a = {0};
	merge_levels ml = {0};
	status_code rc = parse(argc, argv, &a, st);
	if (rc == STATUS_OK && pg_target_is_pg(a.out)) {
		scenario sc = {0};
		sc.schema = (char *)(a.schema ? a.schema : "");
		rc = pg_check_target(a.out, &sc, a.overwrite, st);
	} else if (rc == STATUS_OK) {
		rc = plan_output_check(a.out, NULL, a.overwrite, st);
	}
	if (rc == STATUS_OK)
		rc = levels_prepare(&a, &ml, st);
	const plan_merge_levels *hook = ml.on && ml.sc.nlevels ? &ml.hook : NULL;
	if (rc == STATUS_OK && pg_target_is_pg(a.out)) {
		/* merged into a temporary GeoPackage, then copied in one transaction */
		scenario sc = {0};
		sc.schema = (char *)(a.schema ? a.schema : "");
		char tmp[4096];
		const char *dir = getenv("TMPDIR");
		snprintf(tmp, sizeof(tmp), "%s/stationplan-merge-%ld.gpkg",
		         dir && *dir ? dir : "/tmp", (long)getpid());
		unlink(tmp);
		rc = plan_merge(tmp, 0, a.shards, a.n, hook, st);
		if (rc == STATUS_OK)
			rc = pg_copy_plan(tmp, a.out, &sc, a.overwrite, st);
		unlink(tmp);
	} else if (rc == STATUS_OK) {
		rc = plan_merge(a.out, a.overwrite, a.shards, a.n, hook, st);
	}
	if (rc == STATUS_OK && !st->quiet)
		printf("merged %zu shard(s) into %s\n", a.n, a.out);
	if (rc == STATUS_OK && hook)
		rc = levels_status(&ml, st);
	if (ml.on) {
		levels_result_free(&ml.lv);
		inputs_free(&ml.in);
		scenario_free(&ml.sc);
	}
	free(a.sets);
	free(a.shards);
	return rc;
}
