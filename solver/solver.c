/*
 * solver.c: placing the stations: the driver.
 *
 * The rules (PRODUCT.md): every urban household is served by a station
 * within walking distance; a station serves households_min..households_max
 * households, whole units, except that a unit larger than the maximum is
 * divided into k = ceil(h / max) equal parts served by k stations; existing
 * stations are kept and count; each village (rural = one_per_village) gets
 * its own station at the inside candidate nearest its demand point (an
 * existing station inside it if any). A station may fall below the minimum
 * (flagged `underfilled`) at no cost only when the households within reach
 * of its site are fewer than the minimum ("isolated"); anywhere else an
 * underfilled station costs a penalty larger than any number of stations, so
 * the band holds wherever it can and the count of exceptions is minimised.
 *
 * Objective (sub.c): min_stations = stations + penalties + a walking term
 * (household-metres over total households * radius, so below one station in
 * total); min_distance = penalties + household-kilometres.
 *
 * Formulation, chosen by measurement (scripts/bench.sh, three generated
 * cities of 602-2408 units): a set-partitioning model over enumerated station
 * columns (cluster.c, model.c). Each column is a feasible station, so the
 * band and the reach live in the columns and the LP bound is the
 * set-partitioning bound; with the station count searched first as an
 * integer objective, every city closes below 0.1 % in under 0.1 s of solve
 * time. The compact textbook model of the same instances (integer y_j,
 * binary x_ij, capacity and band rows; tools/baseline) has an LP bound 1.4
 * to 4.7 % below the station count we prove optimal, and glpsol finds no
 * integer solution at all in the same 60 s.
 *
 * Work flow:
 *   1. units without any allowed site in reach go to `uncovered`;
 *   2. the urban units are cut into connected components of the reach graph
 *      (decompose.c): independent, so optima and bounds add up;
 *   3. columns are enumerated per component, in parallel; a component is
 *      never cut: one needing more than max_cols columns, or of more than
 *      SOLVER_CG_UNITS units, is solved whole by column generation
 *      (colgen.c: its LP bound, exact however large) and price-and-branch
 *      (the MIP of model.c over the generated columns, whose own bound is
 *      not used); for min_stations one of more than SOLVER_BLOCK_UNITS
 *      units has its stations' bound from column generation over the whole
 *      started from its blocks' LPs (blocks.c) and its plan from its
 *      blocks' price-and-branch, joined and improved by the heuristic
 *      (blocks_plan.c: a heuristic, never a bound);
 *   4. per sub-problem, in parallel: the heuristic incumbent (heur.c), then
 *      the MIP (model.c) with that incumbent and a time share proportional to
 *      its size; the model holds one station per site (model.c), so the
 *      plan it proves is the plan written; with rules.split = flexible,
 *      flex.c then re-chooses the shares of split units (bound: colgen);
 *   5. the honest figures: column generation in budget mode gives the
 *      objective's measure alone (stations or walking) over plans with no
 *      more underfilled stations (urban_figures);
 *   6. assemble.c writes the plan tables.
 *
 * Time: one deadline for the run (time_limit_s); every search is stopped
 * from its callback at it, every simplex is budgeted, no step starts after
 * it; only the honest figures' bound may use a quarter of the allowance
 * max(1 s, 5 %) after it. solver.work_limit counts nodes per search and
 * pricing rounds instead, so a stopped run is reproducible; the deadline is
 * then the safety net only.
 *
 * Threads, not processes: GLPK keeps its environment in thread-local storage
 * in Debian's build (glp_config("TLS")), so each worker thread builds and
 * owns its own glp_prob; without TLS the solver runs on one thread. Results
 * do not depend on the number of threads (each sub-problem is solved alone,
 * in a fixed order of operations), unless a time limit cuts a search short.
 */
#define _GNU_SOURCE /* qsort_r */
#include "solver.h"
#include "rules.h"
#include "solver_int.h"
#include "progress.h"
#include "clock.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Stations one unit may need at most (ceil(h / households_max)): beyond it
 * the band is absurd for the data (households_max = 1 makes a station per
 * household) and the run stops at once with an input error rather than
 * place hundreds of thousands of stations. */
#define SOLVER_MAX_PARTS 1000

#define SOLVER_MAX_COLS 150000

/* Units of a component above which price-and-branch over generated columns
 * replaces the search over every listed column: measured on a dense
 * 1,000-community city (one component), the listed model (2,994 columns)
 * ended at 793 stations after 10 s, price-and-branch at 789 with the bound
 * 787 (urban gap 0.25 %). */
#define SOLVER_CG_UNITS 300

/* Units of a component above which its min_stations bound comes from the
 * LPs of blocks of at most SOLVER_BLOCK_TARGET units joined by column
 * generation over the whole (job_blocks_bound) and its plan from the
 * blocks (job_blocks_plan). Measured on the 20,000-community metropolis
 * (2 cores, load 8-9): one round over the whole master from scratch took
 * 10 s; from the blocks' bases the whole LP converged in 14 rounds. Blocks
 * of 625 units gave plans 0.96 % above the bound, of 1,250 0.76 %, of 2,500
 * 1.44 % (their MIPs too large for their time). */
#ifndef SOLVER_BLOCK_UNITS /* -D: smaller blocks for experiments */
#define SOLVER_BLOCK_UNITS  3000
#define SOLVER_BLOCK_TARGET 2000
#endif
/* Units of a region of walk_seams's cuts (min_distance on such a
 * component). Measured on the 2,000-community core cut into blocks of 500
 * (60 s, load 4-5): regions of about 240 units gave 933,268 household-km,
 * of about 490 920,640 (the regions' column generation ends within its
 * share at either size there; on the metropolis at load 3.5 one of 300
 * units takes about 1.5 s, so only a part of them gets its turn). */
#define SOLVER_SEAM_TARGET 800

/* ---- a minimal parallel for over job indices ---- */

typedef struct pool {
	pthread_mutex_t mu;
	size_t next, n, done;
	double p0, p1; /* the share of the solve stage's progress bar this pool covers */
	const size_t *order;
	void (*fn)(void *ctx, size_t i);
	void *ctx;
} pool;

static void pool_worker(pool *pl)
{
	for (;;) {
		pthread_mutex_lock(&pl->mu);
		size_t k = pl->next++;
		pthread_mutex_unlock(&pl->mu);
		if (k >= pl->n)
			break;
		pl->fn(pl->ctx, pl->order ? pl->order[k] : k);
		pthread_mutex_lock(&pl->mu);
		size_t done = ++pl->done;
		pthread_mutex_unlock(&pl->mu);
		if (pl->p1 > pl->p0)
			progress_update(pl->p0 + (pl->p1 - pl->p0) * (double)done / (double)pl->n);
	}
}

static void *pool_thread(void *arg)
{
	pool_worker(arg);
	glpk_bridge_thread_end();
	return NULL;
}

void sp_parallel_for(int nthreads, size_t n, const size_t *order, void (*fn)(void *, size_t),
                     void *ctx, double p0, double p1)
{
	pool pl = {.next = 0, .n = n, .order = order, .fn = fn, .ctx = ctx, .p0 = p0, .p1 = p1};
	pthread_mutex_init(&pl.mu, NULL);
	pthread_t tid[64];
	int started = 0;
	if (nthreads > 64)
		nthreads = 64;
	for (int t = 1; t < nthreads && (size_t)t < n; t++)
		if (pthread_create(&tid[started], NULL, pool_thread, &pl) == 0)
			started++;
	pool_worker(&pl);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_mutex_destroy(&pl.mu);
}

typedef struct parts {
	pthread_mutex_t mu;
	int failed;
	int (*fn)(void *ctx, int b);
	void *ctx;
} parts;

/* Part b, none after a failure. */
static void part_item(void *arg, size_t b)
{
	parts *pt = arg;
	pthread_mutex_lock(&pt->mu);
	int failed = pt->failed;
	pthread_mutex_unlock(&pt->mu);
	if (!failed && pt->fn(pt->ctx, (int)b) < 0) {
		pthread_mutex_lock(&pt->mu);
		pt->failed = 1;
		pthread_mutex_unlock(&pt->mu);
	}
}

int sp_parallel_parts(int nthreads, int n, int (*fn)(void *ctx, int b), void *ctx)
{
	parts pt = {.failed = 0, .fn = fn, .ctx = ctx};
	pthread_mutex_init(&pt.mu, NULL);
	sp_parallel_for(nthreads, (size_t)n, NULL, part_item, &pt, 0, 0);
	pthread_mutex_destroy(&pt.mu);
	return pt.failed ? -1 : 0;
}

/* sp_parallel_for() at the top of the solve: the calling thread's GLPK
 * environment ends with it too. */
static void pool_run(int nthreads, size_t n, const size_t *order, void (*fn)(void *, size_t),
                     void *ctx, double p0, double p1)
{
	sp_parallel_for(nthreads, n, order, fn, ctx, p0, p1);
	glpk_bridge_thread_end();
}

/* ---- per-job work ---- */

typedef struct run_ctx {
	const sp_world *w;
	sp_job *jobs;
	double deadline;
	double grace;  /* after the deadline, for the honest figures' bound alone: a
	                  quarter of the allowance max(1 s, 5 %) */
	int keep_cols; /* budget runs: keep every listed column (budget.c uses them) */
	int nthreads;  /* for the blocks of one very large component */
} run_ctx;

static void job_enumerate(void *ctx, size_t i)
{
	run_ctx *rc = ctx;
	sp_job *j = &rc->jobs[i];
	for (int u = 0; u < j->sub.nu && rc->w->p.flexible; u++)
		j->split |= j->sub.k[u] > 1;
	int r = cluster_enumerate(&j->sub, &rc->w->p, &j->cols);
	if (r < 0)
		j->failed = 1;
	j->too_big = r == 1;
	if (r == 0 && j->sub.nu > SOLVER_CG_UNITS && !rc->keep_cols) {
		/* listed, but too many to search */
		cluster_free(&j->cols);
		j->too_big = 1;
	}
}

static int sub_underfilled(const sp_sub *s, const sp_params *p, const sp_sol *sol);

/* The columns column generation found, as sets of the model (a share of a
 * split unit stands for one of its parts), at every site reaching them.
 * With millions of sites this listing alone can outlast the run: it stops
 * at the run's deadline (the wall-clock safety net), keeping the columns
 * listed so far. Returns 0, -1 on ENOMEM. */
int sp_cols_from_cg(const sp_sub *s, const sp_params *p, const cg_result *cg, sp_cols *c)
{
	if (cluster_begin(s, p, c) < 0)
		return -1;
	c->generated = 1;
	int *u = malloc((size_t)(s->nu + 1) * sizeof(int));
	if (!u)
		return -1;
	for (size_t q = 0; q < cg->n && !(p->deadline > 0 && clock_now_s() > p->deadline); q++) {
		int n = 0;
		for (size_t e = cg->start[q]; e < cg->start[q + 1]; e++)
			u[n++] = cg->unit[e];
		qsort(u, (size_t)n, sizeof(int), sp_cmp_int);
		if (cluster_offer(s, p, c, u, n) < 0) {
			free(u);
			return -1;
		}
	}
	free(u);
	return 0;
}

/* 1: the job's stations' bound comes from blocks (job_blocks_bound). */
static int job_huge(const sp_params *p, const sp_job *j)
{
	return j->too_big && j->sub.nu > SOLVER_BLOCK_UNITS &&
	       (p->objective == OBJECTIVE_MIN_STATIONS || walk_lagr_applies(&j->sub, p));
}

/* Each unit's place for the blocks' cut: its nearest site's. */
static int sub_coords(const run_ctx *rc, const sp_sub *s, double **ux, double **uy)
{
	*ux = malloc(((size_t)s->nu + 1) * sizeof(double));
	*uy = malloc(((size_t)s->nu + 1) * sizeof(double));
	if (!*ux || !*uy)
		return -1;
	for (int u = 0; u < s->nu; u++) {
		const site *si = &rc->w->sites->sites[s->site[s->usite[s->us[u]]]];
		(*ux)[u] = si->x;
		(*uy)[u] = si->y;
	}
	return 0;
}

/* s's units cut into blocks of about SOLVER_BLOCK_TARGET units
 * (blocks_partition; turned 1 or 2: of about SOLVER_SEAM_TARGET units,
 * along lines at 45 or about 27 degrees to the blocks'): *blk (malloc'd, the caller frees) gets
 * each unit's block. Returns the number of blocks, or -1 on ENOMEM (*blk NULL). */
static int sub_blocks(const run_ctx *rc, const sp_sub *s, int turned, int **blk)
{
	double *ux = NULL, *uy = NULL;
	int nb = -1;
	*blk = malloc(((size_t)s->nu + 1) * sizeof(int));
	if (*blk && sub_coords(rc, s, &ux, &uy) == 0) {
		double f = turned == 1 ? 1.0 : 0.5; /* cut lines at 45 or about 27 degrees */
		for (int u = 0; turned && u < s->nu; u++) {
			double x = ux[u];
			ux[u] = x + f * uy[u];
			uy[u] = uy[u] - f * x;
		}
		nb = blocks_partition(s, ux, uy, turned ? SOLVER_SEAM_TARGET : SOLVER_BLOCK_TARGET,
		                      *blk);
	}
	free(ux);
	free(uy);
	if (nb < 0) {
		free(*blk);
		*blk = NULL;
	}
	return nb;
}

/* A component of more than SOLVER_BLOCK_UNITS units (min_stations): the
 * stations of any plan (the lower band relaxed) by column generation over
 * the whole component, started from the optimal columns and bases of its
 * blocks' LPs (blocks.c): the union of the blocks' bases is an optimal basis
 * of the whole master over their columns, so only the columns across the
 * seams are left to price. Sets j->budget_bound (-INFINITY when the run
 * stopped before any bound) and keeps the columns with their basis in j->cg
 * (job_solve continues from them with the plan's underfilled stations as a
 * budget).
 * Returns 0, -1 with j->res.err set. */
static int job_blocks_bound(run_ctx *rc, sp_job *j, const int *blk, int nb, double end)
{
	const sp_params *p = &rc->w->p;
	const sp_sub *s = &j->sub;
	cg_result m = {0};
	j->budget_bound = -INFINITY;
	long all = (long)s->ns + s->nu + 1; /* a budget that binds nothing */
	cg_limits lim = {.rounds = p->work_limit, .deadline = end};
	if (blocks_colgen(s, p, blk, nb, all, &lim, rc->nthreads, &m, j->res.err,
	                  sizeof(j->res.err)) < 0)
		return -1;
	lim.warm = &m;
	lim.keep_basis = 1;
	int r = colgen_solve(s, p, NULL, &lim, all, &j->cg);
	colgen_free(&m);
	if (r < 0) {
		snprintf(j->res.err, sizeof(j->res.err), "%s", j->cg.err);
		colgen_free(&j->cg);
		return -1;
	}
	j->budget_bound = j->cg.bound;
	j->cg_converged = j->cg.converged;
	j->cg_stopped = j->cg.stopped;
	j->cg_rounds = j->cg.rounds;
	return 0;
}

/* The plan of a component of more than SOLVER_BLOCK_UNITS units: the plans
 * of its blocks (blocks_plan.c) joined, completed and improved across the
 * seams by the heuristic, or the incumbent when that is better. Its bound
 * (stations and nearest walking) is set by job_solve once the plan's
 * underfilled stations are known. Returns 0, -1 with j->res.err set, -2 on
 * ENOMEM. */
static int job_blocks_plan(run_ctx *rc, sp_job *j, double budget, sp_sol *inc)
{
	const sp_params *p = &rc->w->p;
	const sp_sub *s = &j->sub;
	double t0 = clock_now_s();
	int *blk;
	sp_sol bp = {0};
	j->cg_bound = -INFINITY;
	int nb = sub_blocks(rc, s, 0, &blk);
	if (nb < 0)
		return -2;
	/* the bound first: the plan must not starve it (min_distance: its
	 * bound comes after the plan, job_walk_huge) */
	int md = p->objective == OBJECTIVE_MIN_DISTANCE;
	double end = p->work_limit > 0 ? p->deadline : fmin(t0 + 0.5 * budget, p->deadline);
	if (!md && job_blocks_bound(rc, j, blk, nb, end) < 0) {
		free(blk);
		return strstr(j->res.err, "out of memory") ? -2 : -1;
	}
	double left = budget - (clock_now_s() - t0);
	int r = blocks_plan(s, p, blk, nb, (md ? 0.3 : 0.7) * left, rc->nthreads, &bp, j->res.err,
	                    sizeof(j->res.err));
	free(blk);
	if (r < 0)
		return -2;
	left = budget - (clock_now_s() - t0);
	double hs =
	    p->work_limit > 0 ? p->deadline - clock_now_s() : fmax(0.05, (md ? 0.05 : 1) * left);
	if (heur_improve(s, p, hs, &bp) < 0)
		return -2;
	int better = sp_sol_cost(s, p, &bp) < sp_sol_cost(s, p, inc);
	if (sp_sol_copy(&j->res.sol, better ? &bp : inc) < 0) {
		sp_sol_free(&bp);
		return -2;
	}
	sp_sol_free(&bp);
	j->res.bound = -INFINITY; /* job_solve: from the blocks' bound */
	j->cg_bound = -INFINITY;
	if (j->cg_stopped == 2)
		snprintf(j->res.status, sizeof(j->res.status), "time_limit");
	else
		snprintf(j->res.status, sizeof(j->res.status), "feasible");
	return 0;
}

/* A bound b over the plans with at most the plan's underfilled stations,
 * made one over every plan: a plan with more costs at least one penalty
 * more than the plan's count, so the least of b and that. */
static double under_capped(const sp_params *p, const sp_job *j, double b)
{
	return fmin(b, j->sub.penalty * (double)(sub_underfilled(&j->sub, p, &j->res.sol) + 1));
}

/* A component of more than SOLVER_BLOCK_UNITS units (min_distance), its
 * plan from the blocks: the walking bound of the whole from the blocks'
 * duals and the plan improved (walk_blocks.c), into j->budget_bound.
 * Returns 0, -1 on ENOMEM (j->res.err set). */
static int job_walk_huge(run_ctx *rc, sp_job *j)
{
	const sp_params *p = &rc->w->p;
	const sp_sub *s = &j->sub;
	double wb;
	int *blk, *blk2 = NULL, *blk3 = NULL;
	int nb = sub_blocks(rc, s, 0, &blk), nb2 = nb < 0 ? -1 : sub_blocks(rc, s, 1, &blk2);
	int nb3 = nb2 < 0 ? -1 : sub_blocks(rc, s, 2, &blk3);
	if (nb < 0 || nb2 < 0 || nb3 < 0) {
		free(blk);
		free(blk2);
		free(blk3);
		snprintf(j->res.err, sizeof(j->res.err), "out of memory in the blocks' walking");
		return -1;
	}
	double now = clock_now_s();
	double bend = p->work_limit > 0 ? p->deadline : now + 0.65 * (rc->deadline - now);
	const int *seams[2] = {blk2, blk3};
	int nseams[2] = {nb2, nb3};
	int r = walk_blocks(s, p, blk, nb, seams, nseams, &j->res.sol, bend, rc->deadline,
	                    rc->nthreads, &wb, j->res.err, sizeof(j->res.err));
	free(blk);
	free(blk2);
	free(blk3);
	if (r == 1)
		j->budget_bound = wb;
	j->station_bound = walk_count_bound(s, p);
	return r < 0 && strstr(j->res.err, "out of memory") ? -1 : 0;
}

/* A component whose columns are too many to list: the bound by column
 * generation over the whole component, the plan by price-and-branch (the
 * MIP over the generated columns and the heuristic's stations, whose bound
 * is not one of the whole problem and is replaced by column generation's). */
static int job_solve_cg(run_ctx *rc, sp_job *j, double budget, sp_sol *inc)
{
	const sp_params *p = &rc->w->p;
	double t0 = clock_now_s();
	/* a share of the time for the bound, unless work decides (then only
	 * the run's deadline, the safety net) */
	double end = p->work_limit > 0 ? p->deadline : fmin(t0 + 0.6 * budget, p->deadline);
	if (job_huge(p, j))
		return job_blocks_plan(rc, j, budget, inc);
	cg_limits lim = {.rounds = p->work_limit, .iters = 0, .deadline = end};
	cg_result cg;
	if (colgen_solve(&j->sub, p, inc, &lim, -1, &cg) < 0) {
		snprintf(j->res.err, sizeof(j->res.err), "%s", cg.err);
		colgen_free(&cg);
		return -1;
	}
	j->cg_bound = cg.bound;
	j->cg_converged = cg.converged;
	j->cg_stopped = cg.stopped;
	j->cg_rounds = cg.rounds;
	int r = sp_cols_from_cg(&j->sub, p, &cg, &j->cols);
	j->cg = cg; /* the honest figures' run starts from these columns */
	if (r < 0)
		return -2;
	double left = budget - (clock_now_s() - t0);
	if (j->mip_cap > 0 && left > j->mip_cap)
		left = j->mip_cap; /* min_distance: walk.c takes the plan further */
	r = model_solve(&j->sub, p, &j->cols, inc, left > 0.05 ? left : 0.05, &j->res);
	if (r < 0)
		return -1;
	j->res.bound = j->cg_bound;
	if (strcmp(j->res.status, "optimal") == 0)
		snprintf(j->res.status, sizeof(j->res.status), "feasible");
	if (j->cg_stopped == 2)
		snprintf(j->res.status, sizeof(j->res.status), "time_limit");
	return 0;
}

/* A sub-problem with a unit over the maximum: the listed model has equal
 * parts, so its bound is not one of flexible splitting; the bound is column
 * generation's over flexible shares (the plan as first columns). Returns
 * 0, -1 on ENOMEM. */
static int flex_bound(run_ctx *rc, sp_job *j)
{
	const sp_params *p = &rc->w->p;
	cg_limits lim = {.rounds = p->work_limit, .deadline = rc->deadline};
	cg_result cg;
	int r = colgen_solve(&j->sub, p, &j->res.sol, &lim, -1, &cg);
	double b = r == 0 ? cg.bound : -INFINITY;
	/* the exact model's bound (flex_exact) stands unless this one is higher */
	if (!j->flex_exact || b > j->res.bound) {
		j->res.bound = b;
		j->flex_exact = 0;
	}
	j->cg_converged = r == 0 && cg.converged;
	j->cg_stopped = r == 0 ? cg.stopped : 0;
	if (r == 0 && cg.stopped == 2)
		snprintf(j->res.status, sizeof(j->res.status), "time_limit");
	else if (strcmp(j->res.status, "optimal") == 0)
		snprintf(j->res.status, sizeof(j->res.status), "feasible");
	int oom = r < 0 && strstr(cg.err, "out of memory") != NULL;
	colgen_free(&cg);
	return oom ? -1 : 0;
}

/* A sub-problem with a unit over the maximum whose stations can be listed:
 * the exact model of flexible splitting (flex_model.c), the plan so far as
 * its incumbent; its plan and bound replace the equal-parts model's (whose
 * bound is not one of flexible splitting). Returns 1 when its bound is
 * proven within mip_gap, 0 when column generation must bound the sub
 * (too many patterns, no plan in time, a GLPK failure, or not proven: the
 * higher bound wins, flex_bound), -1 on ENOMEM. */
static int flex_exact(sp_job *j, const sp_params *p, double seconds)
{
	sp_result fr;
	int r = flexmodel_solve(&j->sub, p, &j->res.sol, seconds, &fr);
	if (r != 0) {
		int oom = r < 0 && strstr(fr.err, "out of memory") != NULL;
		return oom ? -1 : 0;
	}
	if (sp_sol_cost(&j->sub, p, &fr.sol) <= sp_sol_cost(&j->sub, p, &j->res.sol) + 1e-9) {
		sp_sol_free(&j->res.sol);
		j->res.sol = fr.sol;
	} else {
		sp_sol_free(&fr.sol);
	}
	j->res.bound = fr.bound;
	j->res.ncols = fr.ncols;
	j->res.nrows = fr.nrows;
	j->flex_exact = 1;
	snprintf(j->res.status, sizeof(j->res.status), "%s", fr.status);
	return strcmp(fr.status, "optimal") == 0;
}

/* A sub of pairs (pairs.c): its bound raised to what every plan costs at
 * least, the fewest underfilled stations' penalties, the fewest stations
 * (min_stations) and the least walking of the plans with those. */
static void pairs_bound(sp_job *j, const sp_params *p)
{
	const pairs_result *pr = &j->pairs;
	if (!pr->structured)
		return;
	double walk = sp_sub_walk_min(&j->sub);
	if (isfinite(pr->walk_bound) && pr->walk_bound / j->sub.dscale > walk)
		walk = pr->walk_bound / j->sub.dscale;
	double pb = j->sub.penalty * (double)pr->underfilled + walk +
	            (p->objective == OBJECTIVE_MIN_STATIONS ? (double)pr->stations : 0);
	if (!(j->res.bound >= pb))
		j->res.bound = pb;
}

/* Whether the matching's plan pm is proven: the fewest underfilled
 * stations and, for min_stations, the fewest stations; for min_distance
 * its walking within mip_gap of the LP's bound. */
static int pairs_proven(const sp_job *j, const sp_params *p, const sp_sol *pm)
{
	const pairs_result *pr = &j->pairs;
	if (sub_underfilled(&j->sub, p, pm) != pr->underfilled)
		return 0;
	if (p->objective == OBJECTIVE_MIN_STATIONS)
		return pm->n == pr->stations;
	double wd = 0;
	for (int t = 0; t < pm->n; t++)
		wd += pm->st[t].wd;
	return isfinite(pr->walk_bound) && wd - pr->walk_bound <= p->mip_gap * wd + 1e-9;
}

static void job_solve(void *ctx, size_t i)
{
	run_ctx *rc = ctx;
	sp_job *j = &rc->jobs[i];
	const sp_params *p = &rc->w->p;
	double t0 = clock_now_s();
	double left = rc->deadline - t0;
	double budget = j->budget < left ? j->budget : left;
	if (budget < 0.05)
		budget = 0.05;
	sp_sol inc;
	/* a very large component's plan comes from its blocks: the heuristic
	 * over the whole is a fallback there; min_distance by column generation:
	 * walk.c improves the plan at the end, so the heuristic and the search
	 * take less of the share (column generation's bound still the time it
	 * needs) */
	int md = p->objective == OBJECTIVE_MIN_DISTANCE && j->too_big;
	double hs = p->work_limit > 0 ? p->deadline - t0
	                              : (md               ? 0.01
	                                 : job_huge(p, j) ? 0.05
	                                                  : 0.2) *
	                                    budget;
	j->mip_cap = md ? 0.04 * budget : 0;
	/* a sub of pairs (pairs.c): the maximum matching's plan, done when it
	 * is proven, else the incumbent of the steps below (on the metropolis
	 * they take its walking gap from 0.74 % to 0.61 % in the rest of 60 s);
	 * its counts and walking bound every plan */
	sp_sol pm;
	double lpend = p->work_limit > 0 ? rc->deadline : fmin(rc->deadline, t0 + 0.6 * budget);
	/* only where the columns are too many to list (a listed sub's model is
	 * exact already); max_cols 0 sends every sub to column generation, as
	 * the tests of that path ask */
	int pr = j->too_big && p->max_cols > 0
	             ? pairs_solve(&j->sub, p, rc->deadline, lpend, &pm, &j->pairs)
	             : 1;
	if (pr < 0) {
		j->failed = 1;
		return;
	}
	if (pr == 0 && pairs_proven(j, p, &pm)) {
		j->res.sol = pm;
		j->pairs_done = 1;
		snprintf(j->res.status, sizeof(j->res.status), "optimal");
		j->res.objective = sp_sol_cost(&j->sub, p, &j->res.sol);
		j->res.bound = -INFINITY;
		pairs_bound(j, p);
		j->res.seconds = clock_now_s() - t0;
		cluster_free(&j->cols);
		return;
	}
	if (heur_solve(&j->sub, p, hs, &inc) < 0) {
		if (pr == 0)
			sp_sol_free(&pm);
		j->failed = 1;
		return;
	}
	if (pr == 0 && sp_sol_cost(&j->sub, p, &pm) < sp_sol_cost(&j->sub, p, &inc) - 1e-9) {
		sp_sol_free(&inc);
		inc = pm;
	} else if (pr == 0) {
		sp_sol_free(&pm);
	}
	/* the last fifth of the share is the honest figures' bound's */
	double hleft = 0.8 * budget - (clock_now_s() - t0);
	int r = j->too_big
	            ? job_solve_cg(rc, j, hleft, &inc)
	            : model_solve(&j->sub, p, &j->cols, &inc, hleft > 0.05 ? hleft : 0.05, &j->res);
	if (r < 0) {
		if (j->res.err[0] == '\0' || r == -2) {
			j->failed = 1;
			sp_sol_free(&inc);
			return;
		}
		/* GLPK failed: keep the incumbent, say so */
		sp_sol_free(&j->res.sol);
		j->res.sol = inc;
		j->res.bound = j->too_big ? j->cg_bound : -INFINITY;
		snprintf(j->res.status, sizeof(j->res.status), "failed");
	} else {
		sp_sol_free(&inc);
	}
	if (p->flexible && flex_improve(&j->sub, p, &j->res.sol, p->deadline) < 0) {
		j->failed = 1;
		return;
	}
	hleft = 0.8 * budget - (clock_now_s() - t0);
	int exact = j->split && !j->too_big ? flex_exact(j, p, hleft > 0.05 ? hleft : 0.05) : 0;
	if (exact < 0 || (j->split && !j->too_big && exact == 0 && flex_bound(rc, j) < 0)) {
		j->failed = 1;
		return;
	}
	j->res.objective = sp_sol_cost(&j->sub, p, &j->res.sol);
	/* the objective's measure alone, among plans with no more underfilled
	 * stations: the honest figures (urban_figures) */
	double bb = job_huge(p, j) ? j->budget_bound : -INFINITY; /* over every plan */
	j->budget_bound = -INFINITY;
	int md_huge = job_huge(p, j) && p->objective == OBJECTIVE_MIN_DISTANCE;
	if (md_huge) {
		if (job_walk_huge(rc, j) < 0) {
			j->failed = 1;
			return;
		}
		j->res.objective = sp_sol_cost(&j->sub, p, &j->res.sol);
		/* the walking bound holds for plans with at most its underfilled
		 * stations; with none known below, over every plan only walking */
		j->res.bound = j->cg_bound =
		    isfinite(j->budget_bound) ? under_capped(p, j, j->budget_bound) : -INFINITY;
	} else if (j->sub.nu > 0) {
		cg_limits lim = {.rounds = p->work_limit,
		                 .deadline = rc->deadline + rc->grace,
		                 .warm = j->cg.n ? &j->cg : NULL};
		cg_result cg;
		long under = sub_underfilled(&j->sub, p, &j->res.sol);
		if (colgen_solve(&j->sub, p, &j->res.sol, &lim, under, &cg) == 0) {
			j->budget_bound = cg.bound;
			/* min_distance: a stronger bound and less walking within that
			 * budget (walk.c) */
			char werr[256] = "";
			int wr = walk_finish(&j->sub, p, &cg, under, rc->deadline + rc->grace,
			                     rc->deadline, &j->res.sol, &j->budget_bound, werr,
			                     sizeof(werr));
			if (wr < 0 && strstr(werr, "out of memory")) {
				colgen_free(&cg);
				j->failed = 1;
				return;
			}
			if (wr == 1)
				j->res.objective = sp_sol_cost(&j->sub, p, &j->res.sol);
			if (p->objective == OBJECTIVE_MIN_DISTANCE &&
			    walk_stations(&j->sub, p, &cg, sub_underfilled(&j->sub, p, &j->res.sol),
			                  rc->deadline + rc->grace, &j->station_bound, werr,
			                  sizeof(werr)) < 0 &&
			    strstr(werr, "out of memory")) {
				colgen_free(&cg);
				j->failed = 1;
				return;
			}
		}
		if (job_huge(p, j) && cg.converged) { /* the blocks' run went on here */
			j->cg_converged = 1;
			j->cg_stopped = 0;
			if (strcmp(j->res.status, "time_limit") == 0)
				snprintf(j->res.status, sizeof(j->res.status), "feasible");
		}
		colgen_free(&cg);
	}
	if (job_huge(p, j) && !md_huge) {
		j->budget_bound = fmax(j->budget_bound, bb);
		/* a plan with at most this one's underfilled stations costs at
		 * least budget_bound stations, one with more at least one penalty
		 * more; each at least the nearest walking */
		if (isfinite(j->budget_bound))
			j->res.bound = j->cg_bound =
			    under_capped(p, j, j->budget_bound) + sp_sub_walk_min(&j->sub);
	}
	pairs_bound(j, p);
	colgen_free(&j->cg);
	j->res.seconds = clock_now_s() - t0;
	cluster_free(&j->cols);
}

/* ---- the world: which units and sites the urban model uses ---- */

int sp_world_init(sp_world *w, const inputs *in, const site_table *sites, const reach *r,
                  const scenario *sc)
{
	memset(w, 0, sizeof(*w));
	w->in = in;
	w->sites = sites;
	w->r = r;
	w->sc = sc;
	w->p.hmin = sc->households_min;
	w->p.hmax = sc->households_max;
	w->p.walk_m = sc->walk_distance_m;
	w->p.objective = sc->objective;
	w->p.mip_gap = sc->mip_gap;
	w->p.seed = sc->seed;
	w->p.max_cols = SOLVER_MAX_COLS;
	w->p.work_limit = sc->work_limit;
	w->p.flexible = rules_split_flexible(sc);
	w->urban = calloc(in->nunits ? in->nunits : 1, 1);
	w->allowed = calloc(sites->n ? sites->n : 1, 1);
	w->sreach = calloc(sites->n ? sites->n : 1, sizeof(long));
	if (!w->urban || !w->allowed || !w->sreach)
		return -1;
	for (size_t j = 0; j < sites->n; j++) {
		int u = sites->sites[j].unit;
		w->allowed[j] = !(u >= 0 && (size_t)u < in->nunits &&
		                  rules_unit_is_village(sc, in->units[u].kind));
	}
	long htot = 0, parts = 0;
	for (size_t u = 0; u < in->nunits; u++) {
		const unit *un = &in->units[u];
		if (un->households <= 0 || rules_unit_is_village(sc, un->kind))
			continue;
		for (size_t q = r->start[u]; q < r->start[u + 1]; q++)
			if (w->allowed[r->site[q]]) {
				w->urban[u] = 1;
				break;
			}
		if (!w->urban[u])
			continue;
		htot += un->households;
		parts += rules_unit_parts(rules_urban_band(sc), un->households);
		for (size_t q = r->start[u]; q < r->start[u + 1]; q++)
			if (w->allowed[r->site[q]])
				w->sreach[r->site[q]] += un->households;
	}
	size_t nfixed = 0;
	for (size_t j = 0; j < sites->n; j++)
		nfixed += sites->sites[j].source == SITE_EXISTING;
	if (sc->objective == OBJECTIVE_MIN_STATIONS) {
		w->dscale = (double)htot * sc->walk_distance_m + 1.0;
		w->penalty = (double)(parts + (long)nfixed + 1);
	} else {
		w->dscale = 1000.0;
		w->penalty = (double)htot * sc->walk_distance_m / 1000.0 + 1.0;
	}
	const solver_scale *fix = solver_scale_fixed(); /* a shard: the whole problem's */
	if (fix) {
		w->dscale = fix->dscale;
		w->penalty = fix->penalty;
	}
	return 0;
}

void sp_world_free(sp_world *w)
{
	free(w->urban);
	free(w->allowed);
	free(w->sreach);
}

static int cmp_job_size(const void *a, const void *b, void *arg)
{
	const sp_job *jobs = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t sx = jobs[x].too_big ? SIZE_MAX / 2 + (size_t)jobs[x].sub.nu
	                            : jobs[x].cols.n + (size_t)jobs[x].sub.nu;
	size_t sy = jobs[y].too_big ? SIZE_MAX / 2 + (size_t)jobs[y].sub.nu
	                            : jobs[y].cols.n + (size_t)jobs[y].sub.nu;
	if (sx != sy)
		return sx > sy ? -1 : 1;
	return (x > y) - (x < y);
}

static void jobs_free(sp_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		sp_sub_free(&jobs[i].sub);
		cluster_free(&jobs[i].cols);
		sp_sol_free(&jobs[i].res.sol);
		colgen_free(&jobs[i].cg);
	}
	free(jobs);
}

/* Enumerate the columns of every job; a job with too many keeps its whole
 * sub-problem for column generation (job_solve_cg). Returns 0, -1 on
 * ENOMEM. */
static int jobs_enumerate(run_ctx *rc, int nthreads, sp_job *jobs, size_t njobs)
{
	pool_run(nthreads, njobs, NULL, job_enumerate, &(run_ctx){.w = rc->w, .jobs = jobs}, 0.0,
	         0.2);
	for (size_t i = 0; i < njobs; i++)
		if (jobs[i].failed)
			return -1;
	return 0;
}

/* Size of a job for time shares and order: columns listed, or for a job
 * over the cap the cap itself. */
static double job_weight(const sp_job *j, const sp_params *p)
{
	return (double)(j->too_big ? p->max_cols : j->cols.n) + (double)j->sub.nu;
}

/* Avoidably underfilled stations of a sub's plan (below the minimum at a
 * site that is not isolated: each costs the penalty). */
static int sub_underfilled(const sp_sub *s, const sp_params *p, const sp_sol *sol)
{
	return sp_sol_underfilled(s, p, sol);
}

void sp_job_sub_row(const sp_job *j, int id, plan_sub *ps)
{
	memset(ps, 0, sizeof(*ps));
	ps->id = id;
	snprintf(ps->key, sizeof(ps->key), "%s", j->sub.key);
	ps->nunits = (size_t)j->sub.nu;
	ps->nsites = (size_t)j->sub.ns;
	ps->ncols = j->res.ncols;
	ps->nrows = j->res.nrows;
	ps->nstations = j->res.sol.n;
	ps->objective = j->res.objective;
	ps->bound = j->res.bound;
}

static void fill_subs(const sp_world *w, sp_job *jobs, size_t njobs, plan *out)
{
	for (size_t i = 0; i < njobs; i++) {
		sp_job *j = &jobs[i];
		plan_sub *ps = &out->subs[i];
		sp_job_sub_row(j, (int)i, ps);
		ps->seconds = j->res.seconds;
		ps->restricted = 0;
		ps->underfilled = sub_underfilled(&j->sub, &w->p, &j->res.sol);
		snprintf(ps->bound_source, sizeof(ps->bound_source), "%s",
		         !isfinite(ps->bound)                          ? "none"
		         : j->pairs.structured                         ? "matching"
		         : !j->too_big && (!j->split || j->flex_exact) ? "enumerated"
		         : j->cg_converged                             ? "colgen"
		                                                       : "colgen_stopped");
		ps->gap = isfinite(ps->bound) && ps->objective > 0
		              ? fmax(0.0, (ps->objective - ps->bound) / ps->objective)
		              : (ps->objective > 0 ? 1.0 : 0.0);
		if (strcmp(j->res.status, "failed") == 0 ||
		    (strcmp(j->res.status, "time_limit") == 0 && ps->gap > w->p.mip_gap + 1e-9))
			snprintf(ps->status, sizeof(ps->status), "%s", j->res.status);
		else if (ps->gap <= w->p.mip_gap + 1e-9)
			snprintf(ps->status, sizeof(ps->status), "optimal");
		else
			snprintf(ps->status, sizeof(ps->status), "feasible");
	}
}

static double rel_gap(double obj, double bound)
{
	if (!isfinite(bound))
		return obj > 0 ? 1.0 : 0.0;
	return obj > 0 ? fmax(0.0, (obj - bound) / obj) : 0.0;
}

/* The honest figures of the urban part (plan.h): stations and their bound,
 * walking and its bound, underfilled stations. A sub's bound b bounds
 * stations + penalty * underfilled + walking; for any plan with at most the
 * plan's underfilled stations u, the integer part is at least
 * ceil(b - most walking) and so the stations at least that - penalty * u;
 * min_distance likewise for the walking (household-km). */
static void urban_figures(const sp_world *w, const sp_job *jobs, size_t njobs, plan *out)
{
	const sp_params *p = &w->p;
	double sb = 0, wb = 0, walk = 0;
	long ub = 0;
	for (size_t i = 0; i < njobs; i++) {
		const sp_job *j = &jobs[i];
		const plan_sub *ps = &out->subs[i];
		double pen = j->sub.penalty * ps->underfilled, b = ps->bound;
		out->urban_stations += j->res.sol.n;
		out->underfilled += ps->underfilled;
		double wd = 0;
		for (int t = 0; t < j->res.sol.n; t++)
			wd += j->res.sol.st[t].wd;
		walk += wd / 1000.0;
		/* the least stations holding every household: ceil(total / max) */
		double hcount =
		    j->sub.htotal > 0 ? (double)rules_unit_parts(sp_band(p), j->sub.htotal) : 0.0;
		double bb = j->budget_bound;
		double near = 0; /* every household at its nearest site at least */
		for (int u = 0; u < j->sub.nu; u++)
			near += (double)j->sub.h[u] * j->sub.udist[j->sub.us[u]] / 1000.0;
		/* a sub of pairs: its maximum matching's counts bound every plan */
		long ubj = j->pairs.structured ? j->pairs.underfilled : 0;
		if (j->pairs.structured)
			hcount = fmax(hcount, (double)j->pairs.stations);
		if (!isfinite(b)) {
			ub += ubj;
			sb += fmax(hcount,
			           p->objective == OBJECTIVE_MIN_STATIONS ? bb : j->station_bound);
			wb += p->objective == OBJECTIVE_MIN_DISTANCE ? fmax(near, bb) : 0;
			continue;
		}
		/* the measure of any plan is below the penalty (sub.c), so a plan
		 * with u underfilled costs less than penalty * (u + 1): b bounds u */
		double x = (b - j->sub.penalty) / j->sub.penalty;
		if (x >= 0 && (long)floor(x - 1e-9) + 1 > ubj)
			ubj = (long)floor(x - 1e-9) + 1;
		ub += ubj;
		if (p->objective == OBJECTIVE_MIN_STATIONS) {
			double n = ceil(b - sp_sub_walk_max(&j->sub) - 1e-7) - pen;
			sb += fmax(fmax(n, hcount), bb);
		} else {
			sb += fmax(hcount, j->station_bound);
			wb += fmax(fmax(near, (b - pen) * j->sub.dscale / 1000.0),
			           bb * j->sub.dscale / 1000.0);
		}
	}
	out->urban_bound = sb;
	out->urban_gap = rel_gap((double)out->urban_stations, sb);
	out->urban_walk = walk;
	out->urban_walk_bound = p->objective == OBJECTIVE_MIN_DISTANCE ? wb : 0;
	out->urban_walk_gap = rel_gap(walk, out->urban_walk_bound);
	out->underfilled_bound = ub;
}

/* Stations stacked on one site only happen when no plan with one station per
 * site exists (the parts of a split unit with fewer free sites in reach than
 * parts): the plan is still the best one, but a planner must see it. One
 * warning per shared site. */
static void warn_stacked(const inputs *in, const site_table *sites, const plan *p, status *st)
{
	for (size_t a = 0; a < p->nstations;) {
		size_t b = a + 1;
		while (b < p->nstations && p->stations[b].site == p->stations[a].site)
			b++;
		if (b - a > 1) {
			const site *si = &sites->sites[p->stations[a].site];
			char units[256] = "";
			size_t len = 0;
			int last = -1;
			long h = 0;
			for (size_t k = 0; k < p->nassign; k++) { /* sorted by unit */
				const plan_assign *pa = &p->assign[k];
				if (pa->station < (int)a || pa->station >= (int)b)
					continue;
				h += pa->households;
				if (pa->unit != last && len < sizeof(units))
					len += (size_t)snprintf(units + len, sizeof(units) - len,
					                        "%s'%s'", last < 0 ? "" : ", ",
					                        in->units[pa->unit].id);
				last = pa->unit;
			}
			status_problem_add(
			    st, SEV_WARNING, "solver",
			    "%zu stations share the site at (%.1f, %.1f): they serve "
			    "parts of split unit(s) %s (%ld households) and no other "
			    "free site within walking distance can take a part",
			    b - a, si->x, si->y, units, h);
		}
		a = b;
	}
}

status_code solver_solve(const inputs *in, const site_table *sites, const reach *r,
                         const scenario *sc, plan *out, status *st)
{
	return solver_solve_cols(in, sites, r, sc, SOLVER_MAX_COLS, NULL, out, st);
}

status_code solver_solve_budget(const inputs *in, const site_table *sites, const reach *r,
                                const scenario *sc, const solver_budget *budget, plan *out,
                                status *st)
{
	return solver_solve_cols(in, sites, r, sc, SOLVER_MAX_COLS, budget, out, st);
}

status_code solver_solve_cols(const inputs *in, const site_table *sites, const reach *r,
                              const scenario *sc, size_t max_cols, const solver_budget *budget,
                              plan *out, status *st)
{
	double t0 = clock_now_s();
	memset(out, 0, sizeof(*out));
	sp_world w;
	sp_job *jobs = NULL;
	size_t njobs = 0;
	size_t *order = NULL;
	status_code code = STATUS_OK;
	if (sp_world_init(&w, in, sites, r, sc) < 0)
		goto nomem;
	w.p.max_cols = max_cols;
	for (size_t u = 0; u < in->nunits; u++) {
		long k = rules_unit_parts(rules_urban_band(sc), in->units[u].households);
		if (w.urban[u] && k > SOLVER_MAX_PARTS) {
			sp_world_free(&w);
			return status_fail(
			    st, STATUS_INPUT,
			    "unit '%s' has %ld households: under households_max = %ld it "
			    "needs %ld stations, more than %d for one unit; check "
			    "rules.households_max and the unit's households",
			    in->units[u].id, in->units[u].households, sc->households_max, k,
			    SOLVER_MAX_PARTS);
		}
	}
	if (budget && budget->sites_off) { /* budget.c: a plan within given sites */
		w.site_off = budget->sites_off;
		for (size_t j = 0; j < sites->n; j++)
			if (budget->sites_off[j] && sites->sites[j].source != SITE_EXISTING)
				w.allowed[j] = 0;
	}
	int nthreads = sc->threads > 0 ? sc->threads : (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (nthreads < 1 || !glpk_bridge_threads_ok())
		nthreads = 1;

	sp_sub *subs;
	size_t ncomp;
	if (decompose_components(&w, &subs, &ncomp) < 0)
		goto nomem;
	jobs = calloc(ncomp ? ncomp : 1, sizeof(sp_job));
	if (!jobs) {
		for (size_t c = 0; c < ncomp; c++)
			sp_sub_free(&subs[c]);
		free(subs);
		goto nomem;
	}
	for (size_t c = 0; c < ncomp; c++) {
		jobs[c].sub = subs[c];
		jobs[c].comp = (int)c;
	}
	free(subs);
	njobs = ncomp;
	double deadline = t0 + sc->time_limit_s;
	w.p.deadline = deadline;
	run_ctx rc = {.w = &w,
	              .nthreads = nthreads,
	              .deadline = deadline,
	              .grace = 0.5 * fmax(1.0, 0.05 * sc->time_limit_s),
	              .keep_cols = budget != NULL};
	if (jobs_enumerate(&rc, nthreads, jobs, njobs) < 0)
		goto nomem;
	order = malloc((njobs + 1) * sizeof(size_t));
	if (!order)
		goto nomem;
	if (budget) { /* one model over every sub-problem's columns (budget.c) */
		code = budget_plan(&w, jobs, njobs, budget, deadline - clock_now_s(), out, st);
		out->seconds = clock_now_s() - t0;
		goto done;
	}

	/* time shares: by size, over the threads, within the run's deadline */
	double weight = 0;
	for (size_t i = 0; i < njobs; i++) {
		order[i] = i;
		weight += job_weight(&jobs[i], &w.p);
	}
	double avail = (deadline - clock_now_s()) * nthreads;
	for (size_t i = 0; i < njobs; i++)
		jobs[i].budget = avail * job_weight(&jobs[i], &w.p) / (weight > 0 ? weight : 1);
	qsort_r(order, njobs, sizeof(size_t), cmp_job_size, jobs);
	rc.jobs = jobs;
	pool_run(nthreads, njobs, order, job_solve, &rc, 0.2, 1.0);
	for (size_t i = 0; i < njobs; i++)
		if (jobs[i].failed)
			goto nomem;
	for (size_t i = 0; i < njobs; i++)
		if (strcmp(jobs[i].res.status, "failed") == 0)
			status_problem_add(st, SEV_WARNING, "solver",
			                   "%s: %s; kept the heuristic plan", jobs[i].sub.key,
			                   jobs[i].res.err);

	out->subs = calloc(njobs ? njobs : 1, sizeof(plan_sub));
	if (!out->subs)
		goto nomem;
	out->nsubs = njobs;
	fill_subs(&w, jobs, njobs, out);
	if (assemble_plan(&w, jobs, njobs, out) < 0)
		goto nomem;
	warn_stacked(in, sites, out, st);
	urban_figures(&w, jobs, njobs, out);

	/* overall: components add up; stations fixed by the rules (villages,
	 * lone existing sites) count in both */
	double obj = 0, bound = 0;
	for (size_t i = 0; i < njobs; i++) {
		obj += out->subs[i].objective;
		bound += isfinite(out->subs[i].bound) ? out->subs[i].bound : 0;
	}
	double fixed_part = 0;
	for (size_t s = 0; s < out->nstations; s++) {
		if (out->stations[s].sub >= 0)
			continue;
		fixed_part += w.p.objective == OBJECTIVE_MIN_STATIONS ? 1.0 : 0.0;
	}
	for (size_t a = 0; a < out->nassign; a++)
		if (out->stations[out->assign[a].station].sub < 0)
			fixed_part += (double)out->assign[a].households *
			              out->assign[a].distance_m / w.dscale;
	out->objective = obj + fixed_part;
	out->bound = bound + fixed_part;
	out->gap =
	    out->objective > 0 ? fmax(0.0, (out->objective - out->bound) / out->objective) : 0;
	double ugap =
	    w.p.objective == OBJECTIVE_MIN_STATIONS ? out->urban_gap : out->urban_walk_gap;
	out->proven = ugap <= w.p.mip_gap + 1e-9;
	/* the wall clock fired: a sub says so, or the solve ran to its deadline
	 * (every step stops there, so a step cut by it may not have said so) */
	int timed = clock_now_s() >= deadline;
	for (size_t i = 0; i < njobs; i++)
		timed |= strcmp(out->subs[i].status, "time_limit") == 0;
	snprintf(out->status, sizeof(out->status), "%s",
	         out->proven ? "optimal"
	         : timed     ? "time_limit"
	                     : "feasible");
	out->seconds = clock_now_s() - t0;
	goto done;
nomem:
	plan_free(out);
	code = status_fail(st, STATUS_INTERNAL, "solver: out of memory");
done:
	if (jobs)
		jobs_free(jobs, njobs);
	free(order);
	sp_world_free(&w);
	return code;
}
