/*
 * pipeline.c: runs the stages of a plan in order and times them.
 * See include/pipeline.h.
 */
#include "solver.h"
#include "verify.h"
#include "reach.h"
#include "pipeline.h"
#include "plan_output.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "inputs.h"
#include "progress.h"
#include "sites.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

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
		ri->stage_seconds[ri->nstages] = now_s() - t0;
		ri->nstages++;
	}
	status_note(st, 1, "%s: %.2f s, peak memory %.0f MiB", name, now_s() - t0, peak_mib());
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
	res->proven = p->proven;
	snprintf(res->solver_status, sizeof(res->solver_status), "%s", p->status);
	snprintf(res->crs, sizeof(res->crs), "%s", in->crs ? in->crs : "");
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
	site_table full_sites = {0};
	reach full_r = {0};
	shard_part part = {0};
	plan p = {0};
	memset(res, 0, sizeof(*res));
	run_info *ri = &res->ri;
	ri->command_line = command_line;
	ri->set_overrides = set_overrides;
	double t_start = now_s(), t0;
	status_code rc;

	progress_start(st, "read");
	/* Refuse an existing or open target now, not after a long solve. */
	if ((rc = plan_output_check(out_path, sc, overwrite, st)) != STATUS_OK)
		goto out;
	ri->timings = sc->timings;

	t0 = now_s();
	if ((rc = inputs_read(sc, &full_in, st)) != STATUS_OK)
		goto out;
	stage_done(ri, st, "read", t0);
	status_note(st, 1, "read: %zu units in %s", full_in.nunits, full_in.crs);

	progress_start(st, "sites");
	t0 = now_s();
	if ((rc = sites_build(&full_in, sc, &full_sites, st)) != STATUS_OK)
		goto out;
	stage_done(ri, st, "sites", t0);
	status_note(st, 1, "sites: %zu candidates (%zu excluded, %zu merged)", full_sites.n,
	            full_sites.nexcluded, full_sites.nmerged);

	progress_start(st, "reach");
	t0 = now_s();
	if ((rc = reach_build(&full_in, &full_sites, sc, &full_r, st)) != STATUS_OK)
		goto out;
	stage_done(ri, st, "reach", t0);
	status_note(st, 1, "reach: %zu pairs within %.0f m", full_r.npairs, sc->walk_distance_m);

	/* The tables the rest works on: the whole problem, or one shard of it. */
	const inputs *inp = &full_in;
	const site_table *sitesp = &full_sites;
	const reach *rp = &full_r;
	if (spec && spec->n > 0) {
		solver_scale scale;
		if ((rc = solver_scale_of(&full_in, &full_sites, &full_r, sc, &scale, st)) !=
		    STATUS_OK)
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

	progress_start(st, "solve");
	t0 = now_s();
	if ((rc = solver_solve(inp, sitesp, rp, sc, &p, st)) != STATUS_OK)
		goto out;
	stage_done(ri, st, "solve", t0);
	if (st->verbose) {
		char msg[512];
		int bad = verify_plan(inp, sitesp, rp, sc, &p, msg, sizeof(msg));
		if (bad)
			status_problem_add(st, SEV_WARNING, "verify", "%d rule violation(s): %s",
			                   bad, msg);
	}

	progress_start(st, "write");
	t0 = now_s();
	ri->total_seconds = now_s() - t_start;
	summarise(inp, rp, sitesp, &p, res);
	if ((rc = plan_output_write(out_path, overwrite, sc, inp, sitesp, rp, &p, ri, st)) !=
	    STATUS_OK)
		goto out;
	stage_done(ri, st, "write", t0);
	ri->total_seconds = now_s() - t_start;

	if (p.nuncovered > 0)
		rc = status_fail(st, STATUS_INCOMPLETE,
		                 "%zu unit(s) with %ld households are out of walking reach of any "
		                 "candidate site (see layer 'uncovered')",
		                 res->nuncovered, res->uncovered_households);
	else if (!p.proven)
		rc = status_fail(st, STATUS_INCOMPLETE,
		                 "plan not proven within mip_gap = %g (gap %.4f, status %s)",
		                 sc->mip_gap, p.gap, p.status);
out:
	progress_abandon(); /* a stage that failed; no-op otherwise */
	plan_free(&p);
	shard_free(&part);
	ri->shard = NULL;
	solver_scale_set(NULL);
	reach_free(&full_r);
	sites_free(&full_sites);
	inputs_free(&full_in);
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
	fprintf(out, "  seconds     ");
	for (size_t i = 0; i < res->ri.nstages; i++)
		fprintf(out, " %s %.2f", res->ri.stage_name[i], res->ri.stage_seconds[i]);
	fprintf(out, ", total %.2f\n", res->ri.total_seconds);
}
