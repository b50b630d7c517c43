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
 *   3. columns are enumerated per component, in parallel; a component needing
 *      more than max_cols columns is bisected (a restriction: its reported
 *      bound is then ceil(H / max) plus the nearest-site walking bound, valid
 *      for the whole component, and its sub-problems say "restricted");
 *   4. per sub-problem, in parallel: the heuristic incumbent (heur.c), then
 *      the MIP (model.c) with that incumbent and a time share proportional to
 *      its size; the model holds one station per site (model.c), so the
 *      plan it proves is the plan written;
 *   5. assemble.c writes the plan tables.
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

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SOLVER_MAX_COLS 150000

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---- a minimal parallel for over job indices ---- */

typedef struct pool {
	pthread_mutex_t mu;
	size_t next, n, done;
	double p0, p1; /* the share of the solve stage's progress bar this pool covers */
	const size_t *order;
	void (*fn)(void *ctx, size_t i);
	void *ctx;
} pool;

static void *pool_worker(void *arg)
{
	pool *pl = arg;
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
		progress_update(pl->p0 + (pl->p1 - pl->p0) * (double)done / (double)pl->n);
	}
	glpk_bridge_thread_end();
	return NULL;
}

static void pool_run(int nthreads, size_t n, const size_t *order, void (*fn)(void *, size_t),
                     void *ctx, double p0, double p1)
{
	pool pl = {.next = 0, .n = n, .order = order, .fn = fn, .ctx = ctx, .p0 = p0, .p1 = p1};
	pthread_mutex_init(&pl.mu, NULL);
	pthread_t tid[64];
	int started = 0;
	if (nthreads > 64)
		nthreads = 64;
	for (int t = 1; t < nthreads && (size_t)t < n; t++)
		if (pthread_create(&tid[started], NULL, pool_worker, &pl) == 0)
			started++;
	pool_worker(&pl);
	for (int t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	pthread_mutex_destroy(&pl.mu);
}

/* ---- per-job work ---- */

typedef struct run_ctx {
	const sp_world *w;
	sp_job *jobs;
	double deadline;
} run_ctx;

static void job_enumerate(void *ctx, size_t i)
{
	run_ctx *rc = ctx;
	sp_job *j = &rc->jobs[i];
	int r = cluster_enumerate(&j->sub, &rc->w->p, &j->cols);
	if (r < 0)
		j->failed = 1;
	j->too_big = r == 1;
}

static void job_solve(void *ctx, size_t i)
{
	run_ctx *rc = ctx;
	sp_job *j = &rc->jobs[i];
	const sp_params *p = &rc->w->p;
	double t0 = now_s();
	double left = rc->deadline - t0;
	double budget = j->budget < left ? j->budget : left;
	if (budget < 0.05)
		budget = 0.05;
	sp_sol inc;
	if (heur_solve(&j->sub, p, 0.2 * budget, &inc) < 0) {
		j->failed = 1;
		return;
	}
	double hleft = budget - (now_s() - t0);
	if (model_solve(&j->sub, p, &j->cols, &inc, hleft > 0.05 ? hleft : 0.05, &j->res) < 0) {
		if (j->res.err[0] == '\0') {
			j->failed = 1;
			sp_sol_free(&inc);
			return;
		}
		/* GLPK failed: keep the incumbent, say so */
		sp_sol_free(&j->res.sol);
		j->res.sol = inc;
		j->res.bound = -INFINITY;
		snprintf(j->res.status, sizeof(j->res.status), "failed");
	} else {
		sp_sol_free(&inc);
	}
	j->res.objective = sp_sol_cost(&j->sub, p, &j->res.sol);
	j->res.seconds = now_s() - t0;
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
	w->p.hmin = sc->households_min;
	w->p.hmax = sc->households_max;
	w->p.walk_m = sc->walk_distance_m;
	w->p.objective = sc->objective;
	w->p.mip_gap = sc->mip_gap;
	w->p.seed = sc->seed;
	w->p.max_cols = SOLVER_MAX_COLS;
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

/* Bound valid for a whole component however it was cut: every station holds
 * at most hmax households and there are at least as many as existing sites;
 * every household walks at least to its nearest allowed site. */
static double component_bound(const sp_world *w, const sp_job *jobs, size_t njobs, int comp)
{
	long h = 0;
	int nfixed = 0;
	double walk = 0;
	for (size_t i = 0; i < njobs; i++) {
		const sp_sub *s = &jobs[i].sub;
		if (jobs[i].comp != comp)
			continue;
		h += s->htotal;
		for (int j = 0; j < s->ns; j++)
			nfixed += s->fixed[j];
		for (int u = 0; u < s->nu; u++) {
			/* the part's nearest site may be denied; the global nearest is in reach */
			int g = s->unit[u];
			double dmin = -1;
			for (size_t q = w->r->start[g]; q < w->r->start[g + 1]; q++)
				if (w->allowed[w->r->site[q]] && (dmin < 0 || w->r->dist[q] < dmin))
					dmin = w->r->dist[q];
			walk += (double)s->h[u] * (dmin > 0 ? dmin : 0);
		}
	}
	double n = ceil((double)h / (double)w->p.hmax);
	if (n < nfixed)
		n = nfixed;
	return (w->p.objective == OBJECTIVE_MIN_STATIONS ? n : 0) + walk / w->dscale;
}

static int cmp_job_size(const void *a, const void *b, void *arg)
{
	const sp_job *jobs = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	size_t sx = jobs[x].cols.n + (size_t)jobs[x].sub.nu,
	       sy = jobs[y].cols.n + (size_t)jobs[y].sub.nu;
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
	}
	free(jobs);
}

/* Enumerate columns of jobs [from, n); bisect those with too many until none
 * is left. Returns the new job array (or NULL on ENOMEM, jobs freed). */
static sp_job *jobs_enumerate(run_ctx *rc, int nthreads, sp_job *jobs, size_t *njobs)
{
	size_t from = 0;
	while (from < *njobs) {
		pool_run(nthreads, *njobs - from, NULL, job_enumerate,
		         &(run_ctx){rc->w, jobs + from, 0}, 0.0, 0.2);
		size_t n = *njobs, add = 0;
		for (size_t i = from; i < n; i++) {
			if (jobs[i].failed)
				goto fail;
			add += jobs[i].too_big ? 2 : 0;
		}
		if (add == 0)
			break;
		sp_job *grown = realloc(jobs, (n + add) * sizeof(sp_job));
		if (!grown)
			goto fail;
		jobs = grown;
		memset(jobs + n, 0, add * sizeof(sp_job));
		size_t at = n;
		for (size_t i = from; i < n; i++) {
			if (!jobs[i].too_big)
				continue;
			jobs[at].comp = jobs[at + 1].comp = jobs[i].comp;
			jobs[at].part = jobs[at + 1].part = 1;
			*njobs = at + 2;
			if (decompose_cut(rc->w, &jobs[i].sub, &jobs[at].sub, &jobs[at + 1].sub) <
			    0)
				goto fail;
			at += 2;
			sp_sub_free(&jobs[i].sub); /* the whole is replaced by its halves */
		}
		*njobs = at;
		from = n;
	}
	/* drop the replaced (emptied) jobs, keep order */
	size_t k = 0;
	for (size_t i = 0; i < *njobs; i++) {
		if (jobs[i].too_big || jobs[i].sub.nu == 0) {
			sp_sub_free(&jobs[i].sub);
			cluster_free(&jobs[i].cols);
			continue;
		}
		jobs[k++] = jobs[i];
	}
	*njobs = k;
	return jobs;
fail:
	jobs_free(jobs, *njobs);
	*njobs = 0;
	return NULL;
}

static void fill_subs(const sp_world *w, sp_job *jobs, size_t njobs, plan *out, int *cut,
                      double *cbound, double *cobj, int ncomp)
{
	for (size_t i = 0; i < njobs; i++) {
		sp_job *j = &jobs[i];
		plan_sub *ps = &out->subs[i];
		memset(ps, 0, sizeof(*ps));
		ps->id = (int)i;
		snprintf(ps->key, sizeof(ps->key), "%s", j->sub.key);
		ps->nunits = (size_t)j->sub.nu;
		ps->nsites = (size_t)j->sub.ns;
		ps->ncols = j->res.ncols;
		ps->nrows = j->res.nrows;
		ps->nstations = j->res.sol.n;
		ps->objective = j->res.objective;
		ps->bound = j->res.bound;
		ps->seconds = j->res.seconds;
		ps->restricted = cut[j->comp];
		ps->gap = isfinite(ps->bound) && ps->objective > 0
		              ? fmax(0.0, (ps->objective - ps->bound) / ps->objective)
		              : (ps->objective > 0 ? 1.0 : 0.0);
		if (strcmp(j->res.status, "failed") == 0 ||
		    strcmp(j->res.status, "time_limit") == 0)
			snprintf(ps->status, sizeof(ps->status), "%s", j->res.status);
		else if (ps->gap <= w->p.mip_gap + 1e-9)
			snprintf(ps->status, sizeof(ps->status), "optimal");
		else
			snprintf(ps->status, sizeof(ps->status), "feasible");
		cobj[j->comp] += ps->objective;
		if (!cut[j->comp])
			cbound[j->comp] += isfinite(ps->bound) ? ps->bound : 0;
	}
	(void)ncomp;
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
	double t0 = now_s();
	memset(out, 0, sizeof(*out));
	sp_world w;
	sp_job *jobs = NULL;
	size_t njobs = 0;
	int *cut = NULL;
	double *cbound = NULL, *cobj = NULL;
	size_t *order = NULL;
	status_code code = STATUS_OK;
	if (sp_world_init(&w, in, sites, r, sc) < 0)
		goto nomem;
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
	run_ctx rc = {.w = &w, .deadline = deadline};
	jobs = jobs_enumerate(&rc, nthreads, jobs, &njobs);
	if (!jobs)
		goto nomem;
	cut = calloc(ncomp + 1, sizeof(int));
	cbound = calloc(ncomp + 1, sizeof(double));
	cobj = calloc(ncomp + 1, sizeof(double));
	order = malloc((njobs + 1) * sizeof(size_t));
	if (!cut || !cbound || !cobj || !order)
		goto nomem;
	for (size_t i = 0; i < njobs; i++)
		if (jobs[i].part)
			cut[jobs[i].comp] = 1;

	/* time shares: by size, over the threads, within the run's deadline */
	double weight = 0;
	for (size_t i = 0; i < njobs; i++) {
		order[i] = i;
		weight += (double)jobs[i].cols.n + (double)jobs[i].sub.nu;
	}
	double avail = (deadline - now_s()) * nthreads;
	for (size_t i = 0; i < njobs; i++)
		jobs[i].budget = avail * ((double)jobs[i].cols.n + (double)jobs[i].sub.nu) /
		                 (weight > 0 ? weight : 1);
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
	fill_subs(&w, jobs, njobs, out, cut, cbound, cobj, (int)ncomp);
	if (assemble_plan(&w, jobs, njobs, out) < 0)
		goto nomem;
	warn_stacked(in, sites, out, st);

	/* overall: components add up; cut components use their whole bound */
	double obj = 0, bound = 0;
	int proven = 1;
	for (size_t c = 0; c < ncomp; c++) {
		if (cut[c])
			cbound[c] = component_bound(&w, jobs, njobs, (int)c);
		obj += cobj[c];
		bound += cbound[c];
		double g = cobj[c] > 0 ? (cobj[c] - cbound[c]) / cobj[c] : 0;
		if (g > w.p.mip_gap + 1e-9)
			proven = 0;
	}
	for (size_t i = 0; i < njobs; i++)
		if (!isfinite(jobs[i].res.bound))
			proven = 0;
	/* stations fixed by the rules (villages, lone existing sites) count in both */
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
	out->proven = proven && out->gap <= w.p.mip_gap + 1e-9;
	int timed = 0;
	for (size_t i = 0; i < njobs; i++)
		timed |= strcmp(out->subs[i].status, "time_limit") == 0;
	snprintf(out->status, sizeof(out->status), "%s",
	         out->proven ? "optimal"
	         : timed     ? "time_limit"
	                     : "feasible");
	out->seconds = now_s() - t0;
	goto done;
nomem:
	plan_free(out);
	code = status_fail(st, STATUS_INTERNAL, "solver: out of memory");
done:
	if (jobs)
		jobs_free(jobs, njobs);
	free(cut);
	free(cbound);
	free(cobj);
	free(order);
	sp_world_free(&w);
	return code;
}
