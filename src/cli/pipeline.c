/*
 * pipeline.c: runs the stages of a plan in order and times them.
 * See include/pipeline.h.
 */
#include "solver.h"
#include "clock.h"
#include "verify.h"
#include "reach.h"
#include "pipeline.h"
#include "plan_output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inputs.h"
#include "levels.h"
#include "rural.h"
#include "progress.h"
#include "sites.h"
#include "rules.h"
#include "sources.h"

/* Peak resident memory of this process so far (VmHWM), in MiB; 0 when
 * /proc is not there. */
static double peak_mib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	double kb = 0;
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmHWM:", 6))
			kb = atof(line + 6);
	if (f)
		fclose(f);
	return kb / 1024.0;
}

static void stage_done(run_info *ri, const status *st, const char *name, double t0)
{
	progress_end();
	if (ri->nstages < RUN_MAX_STAGES) {
		ri->stage_name[ri->nstages] = name;
		ri->stage_seconds[ri->nstages] = clock_now_s() - t0;
		ri->nstages++;
	}
	status_note(st, 1, "%s: %.2f s, peak memory %.0f MiB", name, clock_now_s() - t0,
	            peak_mib());
}

/* The sites stage up to its end (the caller may cut the sites, then calls
 * stage_done() for "sites" from *t0): progress, the unit geometry of `in`
 * prepared into *ug and the candidate sites built. The geometry stages
 * (sites, reach) run within the time limit too, counted from here, the end
 * of reading (the solve has its own). Returns the first failure; *ug is the
 * caller's to free in every case. */
static status_code sites_stage(const inputs *in, const scenario *sc, unit_geom **ug,
                               site_table *sites, double *t0, status *st)
{
	progress_start(st, "sites");
	*t0 = clock_now_s();
	status_code rc = unit_geom_prepare(in, sc, ug, st);
	if (rc != STATUS_OK)
		return rc;
	unit_geom_set_deadline(*ug, *t0 + sc->time_limit_s);
	return sites_build(in, sc, *ug, sites, st);
}

/* The reach stage: progress, reach_build() timed into `ri`, then the unit
 * geometry freed (*ug NULL): the geometry stages are done, and the solve
 * needs the memory. Returns reach_build()'s failure (*ug then left to the
 * caller). */
static status_code reach_stage(const inputs *in, const site_table *sites, const scenario *sc,
                               unit_geom **ug, reach *r, run_info *ri, status *st)
{
	progress_start(st, "reach");
	double t0 = clock_now_s();
	status_code rc = reach_build(in, sites, sc, *ug, r, st);
	if (rc != STATUS_OK)
		return rc;
	stage_done(ri, st, "reach", t0);
	unit_geom_free(*ug);
	*ug = NULL;
	return STATUS_OK;
}

static void summarise(const inputs *in, const reach *r, const site_table *sites, const plan *p,
                      pipeline_result *res)
{
	res->nunits = in->nunits;
	for (size_t i = 0; i < in->nunits; i++) {
		res->households += in->units[i].households;
		if (in->units[i].kind == UNIT_URBAN)
			res->nurban++;
		else
			res->nrural++;
	}
	res->nsites = sites->n;
	res->npairs = r->npairs;
	res->nstations = p->nstations;
	for (size_t s = 0; s < p->nstations; s++) {
		switch (p->stations[s].kind) {
		case STATION_URBAN:
			res->nurban_stations++;
			break;
		case STATION_VILLAGE:
			res->nvillage_stations++;
			break;
		case STATION_EXISTING:
			res->nexisting_stations++;
			break;
		}
		res->nunderfilled += p->stations[s].underfilled != 0;
	}
	res->nuncovered = p->nuncovered;
	for (size_t u = 0; u < p->nuncovered; u++)
		res->uncovered_households += in->units[p->uncovered[u].unit].households;
	double wsum = 0, hsum = 0;
	for (size_t a = 0; a < p->nassign; a++) {
		wsum += p->assign[a].distance_m * (double)p->assign[a].households;
		hsum += (double)p->assign[a].households;
		if (p->assign[a].distance_m > res->max_walk_m)
			res->max_walk_m = p->assign[a].distance_m;
	}
	res->mean_walk_m = hsum > 0 ? wsum / hsum : 0;
	res->objective = p->objective;
	res->bound = p->bound;
	res->gap = p->gap;
	res->urban_stations = p->urban_stations;
	res->underfilled = p->underfilled;
	res->urban_bound = p->urban_bound;
	res->urban_gap = p->urban_gap;
	res->urban_walk = p->urban_walk;
	res->urban_walk_bound = p->urban_walk_bound;
	res->urban_walk_gap = p->urban_walk_gap;
	res->proven = p->proven;
	snprintf(res->solver_status, sizeof(res->solver_status), "%s", p->status);
	snprintf(res->crs, sizeof(res->crs), "%s", in->crs ? in->crs : "");
}

/* rules.rural_split_large: a village above households_max is planned by
 * the urban band (rules_village_split), as an urban unit from here on. */
static void split_large_villages(const scenario *sc, inputs *in, status *st)
{
	size_t n = 0;
	for (size_t u = 0; u < in->nunits; u++)
		if (rules_village_split(sc, &in->units[u])) {
			in->units[u].kind = UNIT_URBAN;
			n++;
		}
	if (n)
		status_note(st, 1,
		            "rules: %zu village(s) above households_max planned by the urban "
		            "band (rural_split_large)",
		            n);
}

/* Every exception to the rules the plan makes, as a warning (issue 14 row
 * 11): a village's one station above households_max, a unit served from
 * beyond the walking distance. The writer flags the same rows. */
static void warn_exceptions(const scenario *sc, const inputs *in, const plan *p, status *st)
{
	for (size_t a = 0; a < p->nassign; a++) {
		const plan_assign *pa = &p->assign[a];
		const unit *un = &in->units[pa->unit];
		int first = a == 0 || p->assign[a - 1].unit != pa->unit;
		if (first && rules_unit_is_village(sc, un->kind) &&
		    rules_village_over_max(sc, p->stations[pa->station].households))
			status_problem_add(
			    st, SEV_WARNING, "rules",
			    "village '%s' (%s): %ld households at one station, above "
			    "households_max = %ld (flagged over_max; "
			    "rules.rural_split_large = true plans it by the urban band)",
			    un->name ? un->name : "", un->id, p->stations[pa->station].households,
			    sc->households_max);
		if (rules_beyond_walk(sc, pa->distance_m))
			status_problem_add(
			    st, SEV_WARNING, "rules",
			    "%s '%s' (%s): served at %.0f m, beyond walk_distance_m = "
			    "%.0f (flagged beyond_walk)",
			    rules_unit_is_village(sc, un->kind) ? "village" : "unit",
			    un->name ? un->name : "", un->id, pa->distance_m, sc->walk_distance_m);
	}
}

status_code pipeline_check_not_input(const scenario *sc, const char *out_path, status *st)
{
	sources src = {0};
	status_code rc = sources_add_scenario(&src, sc)
	                     ? status_fail(st, STATUS_INTERNAL, "out of memory")
	                     : sources_check_output(&src, out_path, st);
	sources_free(&src);
	return rc;
}

/* The station solver: under budgets or phases (include/phases.h) when the
 * scenario sets any, the full plan otherwise. */
static status_code solve_plan(const inputs *in, const site_table *sites, const reach *r,
                              const scenario *sc, plan *p, status *st)
{
	return solver_budgeted(sc) ? solver_solve_phases(in, sites, r, sc, p, st)
	                           : solver_solve(in, sites, r, sc, p, st);
}

/* The stations: the rural pre-pass first when a rural rule plans villages
 * apart (include/rural.h), then the station solver on its views, then the
 * merge; the station solver alone otherwise. */
static status_code solve_stations(const inputs *in, const site_table *sites, const reach *r,
                                  const scenario *sc, plan *p, status *st)
{
	rural_plan rp;
	inputs in_view;
	reach r_view;
	double t0 = clock_now_s();
	status_code rc = rural_solve(in, sites, r, sc, &rp, st);
	if (rc == STATUS_OK && !rp.taken)
		rc = solve_plan(in, sites, r, sc, p, st);
	else if (rc == STATUS_OK &&
	         (rc = rural_views(in, r, &rp, &in_view, &r_view, st)) == STATUS_OK) {
		/* the stations get what the rural pre-pass left of the time limit */
		scenario rest = *sc; /* read only: a shallow copy */
		rest.time_limit_s = fmax(0.1, sc->time_limit_s - (clock_now_s() - t0));
		rc = solve_plan(&in_view, sites, &r_view, &rest, p, st);
		rural_views_free(&in_view, &r_view);
		if (rc == STATUS_OK)
			rc = rural_merge(&rp, sc, p, st);
	}
	rural_plan_free(&rp);
	return rc;
}

/* The objective's scale of the whole problem (solver/scale.c), for a shard:
 * measured as the single run's station solver sees it, on the rural
 * pre-pass's views when a rural rule plans villages apart (their households
 * and the sites they take are out of the station solver's problem). The
 * pre-pass's warnings here are the whole input's; they are dropped (the
 * shard's own pre-pass reports its villages). */
static status_code whole_scale(const inputs *in, const site_table *sites, const reach *r,
                               const scenario *sc, solver_scale *scale, status *st)
{
	rural_plan rp;
	inputs in_view;
	reach r_view;
	status quiet;
	status_init(&quiet);
	status_code rc = rural_solve(in, sites, r, sc, &rp, &quiet);
	if (rc != STATUS_OK)
		rc = status_fail(st, rc, "%s", quiet.msg);
	else if (!rp.taken)
		rc = solver_scale_of(in, sites, r, sc, scale, st);
	else if ((rc = rural_views(in, r, &rp, &in_view, &r_view, st)) == STATUS_OK) {
		rc = solver_scale_of(&in_view, sites, &r_view, sc, scale, st);
		rural_views_free(&in_view, &r_view);
	}
	rural_plan_free(&rp);
	status_free(&quiet);
	return rc;
}

/* With streets, the walking route of every assignment for the links layer. */
/* The walks of the links along the streets into r (nothing without
 * streets). A shard cut from the whole problem in this run (`part` not
 * NULL: shard_restrict, its reach without the network) has them drawn on
 * the whole reach `whole` (units and sites by part->unit_key / site_key)
 * and moved into its own reach, which then walks the streets too. */
static status_code plan_routes(reach *r, const plan *p, const site_table *sites, reach *whole,
                               const site_table *whole_sites, const shard_part *part, status *st)
{
	reach *on = part ? whole : r;
	if (!on->network)
		return STATUS_OK;
	int *unit = malloc((p->nassign ? p->nassign : 1) * sizeof(int));
	int *site = malloc((p->nassign ? p->nassign : 1) * sizeof(int));
	status_code rc;
	if (!unit || !site) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
	} else {
		for (size_t a = 0; a < p->nassign; a++) {
			int u = p->assign[a].unit, j = p->stations[p->assign[a].station].site;
			unit[a] = part ? (int)part->unit_key[u] : u;
			site[a] = part ? (int)part->site_key[j] : j;
		}
		rc = reach_routes(on, p->nassign, unit, site, part ? whole_sites : sites, st);
	}
	free(unit), free(site);
	if (rc == STATUS_OK && part) {
		free(r->route_start), free(r->route_xy);
		r->route_start = whole->route_start, r->route_xy = whole->route_xy;
		r->nroutes = whole->nroutes, r->network = 1;
		whole->route_start = NULL, whole->route_xy = NULL, whole->nroutes = 0;
	}
	return rc;
}

/* run --shard K/N --cut FILE: read the cut and keep shard K's units only. */
static status_code cut_begin(const shard_spec *spec, shard_cut *cut, unsigned char **keep,
                             inputs *in, status *st)
{
	status_code rc = shard_cut_read(spec->cut, cut, st);
	if (rc != STATUS_OK)
		return rc;
	if (cut->n != spec->n || cut->by != spec->by)
		return status_fail(
		    st, STATUS_USAGE,
		    "run: --shard %d/%d --shard-by %s, but the cut '%s' is %d shards "
		    "by %s",
		    spec->k, spec->n, shard_by_name(spec->by), spec->cut, cut->n,
		    shard_by_name(cut->by));
	*keep = malloc(cut->nunits + 1);
	if (!*keep)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	for (size_t u = 0; u < cut->nunits; u++)
		(*keep)[u] = cut->unit_shard[u] == spec->k - 1;
	in->unit_keep = *keep;
	in->unit_keep_n = cut->nunits;
	return STATUS_OK;
}

/* The cut's scenario and inputs are these. */
static status_code cut_check(const shard_spec *spec, const shard_cut *cut, const scenario *sc,
                             const inputs *in, status *st)
{
	char fp[32];
	shard_cut_fingerprint(sc, in, fp, sizeof(fp));
	if (strcmp(fp, cut->params))
		return status_fail(st, STATUS_INPUT,
		                   "run: the cut '%s' was made with another scenario or input "
		                   "(fingerprint %s, here %s): make it again with stationplan "
		                   "shards",
		                   spec->cut, cut->params, fp);
	return STATUS_OK;
}

status_code pipeline_run(const scenario *sc, const char *out_path, int overwrite,
                         const char *command_line, const char *set_overrides, pipeline_result *res,
                         status *st)
{
	return pipeline_run_shard(sc, NULL, out_path, overwrite, command_line, set_overrides, res,
	                          st);
}

status_code pipeline_run_shard(const scenario *sc, const shard_spec *spec, const char *out_path,
                               int overwrite, const char *command_line, const char *set_overrides,
                               pipeline_result *res, status *st)
{
	inputs full_in = {0};
	unit_geom *ug = NULL;
	site_table full_sites = {0};
	reach full_r = {0};
	shard_part part = {0};
	shard_cut cut = {0};
	unsigned char *keep = NULL;
	plan p = {0};
	levels_result lv = {0};
	memset(res, 0, sizeof(*res));
	run_info *ri = &res->ri;
	ri->command_line = command_line;
	ri->set_overrides = set_overrides;
	double t_start = clock_now_s(), t0;
	status_code rc;

	progress_start(st, "read");
	/* Refuse an existing or open target now, not after a long solve. */
	if ((rc = plan_output_check(out_path, sc, overwrite, st)) != STATUS_OK)
		goto out;
	/* ... nor one of the run's own inputs, whatever --overwrite says */
	if ((rc = pipeline_check_not_input(sc, out_path, st)) != STATUS_OK)
		goto out;
	ri->timings = sc->timings;

	t0 = clock_now_s();
	int sharded = spec && spec->n > 0, cutting = sharded && spec->cut;
	if (sharded && solver_budgeted(sc)) {
		/* a budget spans the shards: each would spend it alone */
		rc = status_fail(st, STATUS_USAGE,
		                 "run: --shard %d/%d with a station budget (rules.max_stations, "
		                 "rules.stations or [phases]): the budget is the whole plan's, so "
		                 "plan this scenario in one run",
		                 spec->k, spec->n);
		goto out;
	}
	if (cutting && (rc = cut_begin(spec, &cut, &keep, &full_in, st)) != STATUS_OK)
		goto out;
	if ((rc = inputs_read(sc, &full_in, st)) != STATUS_OK)
		goto out;
	if (cutting && (rc = cut_check(spec, &cut, sc, &full_in, st)) != STATUS_OK)
		goto out;
	/* a shard plans no upper levels: merge does */
	if (sc->nlevels && !sharded && (rc = levels_places_prepare(&full_in, sc, st)) != STATUS_OK)
		goto out;
	stage_done(ri, st, "read", t0);
	split_large_villages(sc, &full_in, st);
	status_note(st, 1, "read: %zu units in %s", full_in.nunits, full_in.crs);

	if ((rc = sites_stage(&full_in, sc, &ug, &full_sites, &t0, st)) != STATUS_OK)
		goto out;
	if (cutting && (rc = shard_cut_sites(&cut, spec->k - 1, &full_sites, st)) != STATUS_OK)
		goto out;
	stage_done(ri, st, "sites", t0);
	status_note(st, 1, "sites: %zu candidates (%zu excluded, %zu merged)", full_sites.n,
	            full_sites.nexcluded, full_sites.nmerged);

	if ((rc = reach_stage(&full_in, &full_sites, sc, &ug, &full_r, ri, st)) != STATUS_OK)
		goto out;
	status_note(st, 1, "reach: %zu pairs within %.0f m%s", full_r.npairs, sc->walk_distance_m,
	            full_r.network ? " along the streets" : "");

	/* The tables the rest works on: the whole problem, or one shard of it. */
	const inputs *inp = &full_in;
	const site_table *sitesp = &full_sites;
	reach *rp = &full_r;
	if (cutting) {
		/* built from the shard's units alone: checked against the cut */
		if ((rc = shard_cut_part(&cut, spec->cut, spec, &full_in, &full_sites, &full_r,
		                         &part, st)) != STATUS_OK)
			goto out;
		solver_scale scale = {cut.dscale, cut.penalty};
		solver_scale_set(&scale);
		inp = &part.in;
		sitesp = &part.sites;
		rp = &part.r;
		ri->shard = &part;
		status_note(st, 1, "shard %d/%d by %s (cut '%s'): %zu of %zu units, %zu groups",
		            spec->k, spec->n, shard_by_name(spec->by), spec->cut, part.in.nunits,
		            cut.nunits, part.ngroups);
	} else if (sharded) {
		solver_scale scale;
		if ((rc = whole_scale(&full_in, &full_sites, &full_r, sc, &scale, st)) != STATUS_OK)
			goto out;
		if ((rc = shard_restrict(&full_in, &full_sites, &full_r, sc, spec, &part, st)) !=
		    STATUS_OK)
			goto out;
		solver_scale_set(&scale);
		inp = &part.in;
		sitesp = &part.sites;
		rp = &part.r;
		ri->shard = &part;
		status_note(st, 1, "shard %d/%d by %s: %zu of %zu units, %zu groups", spec->k,
		            spec->n, shard_by_name(spec->by), part.in.nunits, full_in.nunits,
		            part.ngroups);
	}

	if (solver_budgeted(sc) && (rc = solver_check_budget(sc, inp, sitesp, st)) != STATUS_OK)
		goto out;
	progress_start(st, "solve");
	t0 = clock_now_s();
	if ((rc = solve_stations(inp, sitesp, rp, sc, &p, st)) != STATUS_OK)
		goto out;
	stage_done(ri, st, "solve", t0);
	warn_exceptions(sc, inp, &p, st);
	status_note(st, 1,
	            "solve: %zu stations, %zu sub-problem(s), status %s, objective %g, "
	            "bound %g, gap %.4f",
	            p.nstations, p.nsubs, p.status, p.objective, p.bound, p.gap);
	for (size_t i = 0; i < p.nsubs; i++)
		status_note(st, 2,
		            "  sub-problem %s: %zu units, %zu sites, %d stations, %s, gap %.4f",
		            p.subs[i].key, p.subs[i].nunits, p.subs[i].nsites, p.subs[i].nstations,
		            p.subs[i].status, p.subs[i].gap);
	if (st->verbose) {
		char msg[512];
		int bad = verify_plan(inp, sitesp, rp, sc, &p, msg, sizeof(msg));
		if (bad)
			status_problem_add(st, SEV_WARNING, "verify", "%d rule violation(s): %s",
			                   bad, msg);
	}

	/* A shard plans the stations only: the upper levels span shards and are
	 * planned by `stationplan merge` on the merged stations. */
	if (sc->nlevels && !ri->shard) {
		progress_start(st, "levels");
		t0 = clock_now_s();
		/* with streets, the levels walk them too (src/geom/reach_levels.c) */
		reach_levels rl;
		levels_distance ld;
		reach_levels_distance(rp, sitesp, sc, &rl, &ld);
		if ((rc = levels_solve(inp, sitesp, &p, sc, &ld, &lv, st)) != STATUS_OK)
			goto out;
		if ((rc = reach_levels_routes(&rl, &lv, st)) != STATUS_OK)
			goto out;
		stage_done(ri, st, "levels", t0);
		ri->levels = &lv;
		for (size_t l = 0; l < lv.n; l++)
			status_note(st, 0, "level %s: %zu facilities, %s, gap %.4f", lv.lv[l].name,
			            lv.lv[l].nfac, lv.lv[l].status, lv.lv[l].gap);
	}

	progress_start(st, "write");
	t0 = clock_now_s();
	if ((rc = plan_routes(rp, &p, sitesp, &full_r, &full_sites,
	                      sharded && !cutting ? &part : NULL, st)) != STATUS_OK)
		goto out;
	ri->total_seconds = clock_now_s() - t_start;
	summarise(inp, rp, sitesp, &p, res);
	res->min_distance = sc->objective == OBJECTIVE_MIN_DISTANCE;
	if ((rc = plan_output_write(out_path, overwrite, sc, inp, sitesp, rp, &p, ri, st)) !=
	    STATUS_OK)
		goto out;
	stage_done(ri, st, "write", t0);
	ri->total_seconds = clock_now_s() - t_start;

	if (p.nuncovered > 0 && solver_budgeted(sc))
		rc = status_fail(st, STATUS_INCOMPLETE,
		                 "%zu unit(s) with %ld households are not served: out of reach or "
		                 "beyond the station budget (see layer 'uncovered')",
		                 res->nuncovered, res->uncovered_households);
	else if (p.nuncovered > 0)
		rc = status_fail(st, STATUS_INCOMPLETE,
		                 "%zu unit(s) with %ld households are out of walking reach of any "
		                 "candidate site (see layer 'uncovered')",
		                 res->nuncovered, res->uncovered_households);
	else if (!p.proven)
		rc = status_fail(
		    st, STATUS_INCOMPLETE,
		    "plan not proven within mip_gap = %g (urban gap %.4f, status %s)", sc->mip_gap,
		    sc->objective == OBJECTIVE_MIN_DISTANCE ? p.urban_walk_gap : p.urban_gap,
		    p.status);
	else if (lv.nunplaced > 0)
		rc = status_fail(st, STATUS_INCOMPLETE,
		                 "%zu group(s) of the upper levels without their facilities (see "
		                 "table 'unplaced'), the first: level '%s', group '%s'",
		                 lv.nunplaced, lv.lv[lv.unplaced[0].level].name,
		                 lv.unplaced[0].group);
	for (size_t l = 0; rc == STATUS_OK && l < lv.n; l++)
		if (!lv.lv[l].proven)
			rc = status_fail(st, STATUS_INCOMPLETE,
			                 "level '%s' not proven within mip_gap = %g (gap %.4f)",
			                 lv.lv[l].name, sc->mip_gap, lv.lv[l].gap);
out:
	progress_abandon(); /* a stage that failed; no-op otherwise */
	ri->levels = NULL;
	levels_result_free(&lv);
	plan_free(&p);
	shard_free(&part);
	shard_cut_free(&cut);
	ri->shard = NULL;
	solver_scale_set(NULL);
	unit_geom_free(ug);
	reach_free(&full_r);
	sites_free(&full_sites);
	inputs_free(&full_in);
	free(keep);
	return rc;
}

status_code pipeline_cut(const scenario *sc, int n, shard_by by, const char *out_path, status *st)
{
	inputs in = {0};
	unit_geom *ug = NULL;
	site_table sites = {0};
	reach r = {0};
	shard_cut cut = {0};
	solver_scale scale;
	run_info ri = {0};
	double t0 = clock_now_s();
	status_code rc;
	progress_start(st, "read");
	if ((rc = pipeline_check_not_input(sc, out_path, st)) != STATUS_OK ||
	    (rc = inputs_read(sc, &in, st)) != STATUS_OK)
		goto out;
	stage_done(&ri, st, "read", t0);
	split_large_villages(sc, &in, st);
	if ((rc = sites_stage(&in, sc, &ug, &sites, &t0, st)) != STATUS_OK)
		goto out;
	stage_done(&ri, st, "sites", t0);
	if ((rc = reach_stage(&in, &sites, sc, &ug, &r, &ri, st)) != STATUS_OK)
		goto out;
	progress_start(st, "cut");
	t0 = clock_now_s();
	char fp[32];
	shard_cut_fingerprint(sc, &in, fp, sizeof(fp));
	if ((rc = whole_scale(&in, &sites, &r, sc, &scale, st)) != STATUS_OK ||
	    (rc = shard_cut_make(&in, &sites, &r, sc, n, by, scale.dscale, scale.penalty, fp, &cut,
	                         st)) != STATUS_OK ||
	    (rc = shard_cut_write(&cut, out_path, st)) != STATUS_OK)
		goto out;
	stage_done(&ri, st, "cut", t0);
	if (!st->quiet) {
		printf(
		    "cut of %zu units, %zu sites, %zu groups into %d shards by %s written to %s\n",
		    cut.nunits, cut.nsites, cut.ngroups, n, shard_by_name(by), out_path);
		for (int k = 0; k < n; k++)
			printf("  shard %d: %zu units, %zu sites, %zu pairs\n", k + 1, cut.units[k],
			       cut.sites[k], cut.pairs[k]);
	}
out:
	progress_abandon();
	shard_cut_free(&cut);
	unit_geom_free(ug);
	reach_free(&r);
	sites_free(&sites);
	inputs_free(&in);
	return rc;
}

void pipeline_print_summary(const pipeline_result *res, const char *out_path, FILE *out)
{
	fprintf(out, "plan written to %s (CRS %s)\n", out_path, res->crs);
	fprintf(out, "  units        %zu (%zu urban, %zu rural), %ld households\n", res->nunits,
	        res->nurban, res->nrural, res->households);
	fprintf(out, "  candidates   %zu sites, %zu unit-site pairs in reach\n", res->nsites,
	        res->npairs);
	fprintf(out, "  stations     %zu (%zu urban, %zu village, %zu existing), %zu underfilled\n",
	        res->nstations, res->nurban_stations, res->nvillage_stations,
	        res->nexisting_stations, res->nunderfilled);
	if (res->nstations)
		fprintf(out, "  households   %.0f per station on average\n",
		        (double)(res->households - res->uncovered_households) /
		            (double)res->nstations);
	fprintf(out, "  walking      mean %.0f m, max %.0f m\n", res->mean_walk_m, res->max_walk_m);
	fprintf(out, "  uncovered    %zu units, %ld households\n", res->nuncovered,
	        res->uncovered_households);
	fprintf(out, "  solver       %s, objective %.6g, bound %.6g, gap %.2f%%\n",
	        res->solver_status, res->objective, res->bound, 100.0 * res->gap);
	fprintf(out, "  urban        %ld stations, bound %.0f, urban gap %.2f%%",
	        res->urban_stations, res->urban_bound, 100.0 * res->urban_gap);
	if (res->min_distance)
		fprintf(out, "; walking %.6g household-km, bound %.6g, gap %.2f%%", res->urban_walk,
		        res->urban_walk_bound, 100.0 * res->urban_walk_gap);
	fprintf(out, "\n");
	fprintf(out, "  seconds     ");
	for (size_t i = 0; i < res->ri.nstages; i++)
		fprintf(out, " %s %.2f", res->ri.stage_name[i], res->ri.stage_seconds[i]);
	fprintf(out, ", total %.2f\n", res->ri.total_seconds);
}
