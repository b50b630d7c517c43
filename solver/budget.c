/*
 * budget.c: the plan under a station budget: maximum covering with the
 * band, over the station columns of every sub-problem at once. This file
 * drives the rounds, repairs and assembles the plan; budget_model.c builds
 * and solves the GLPK model.
 *
 * A budget couples the sub-problems (a station saved in one component can
 * be spent in another), so this is one GLPK model over the columns that
 * cluster.c enumerated for every job, plus one binary per village
 * (rural = one_per_village: a village's station is its own, at the site
 * assemble.c would pick):
 *
 *   max  sum_{u : k_u = 1} h_u sum_{c : u in c} x_c + sum_{u : k_u > 1} h_u w_u
 *          + sum_v h_v z_v  -  (walking of the columns and villages) / W
 *          -  P * (avoidably underfilled columns at fixed sites)
 *   s.t. sum_{c : u in c} x_c <= 1          unit u, k_u = 1 (= 1 if required)
 *        sum_{c : u in c} x_c - k_u w_u = 0 unit u, k_u > 1 (w_u = 1 if required)
 *        sum_{c at e} x_c = 1               every fixed (existing) site e
 *        sum_{c at s} a_c x_c <= K_s        every packed site s (model.c's rule)
 *        sum_{c not at a fixed site} x_c + sum_v z_v <= B   (= B for rules.stations)
 *        x_c integer in [0, ub_c], w_u, z_v binary
 *
 * A unit is served in full or not at all (a split unit by all its parts),
 * so an uncovered unit is a whole unit. Every column opened is in the band
 * [households_min, households_max], except at an isolated site (as in the
 * unbudgeted plan); an underfilled column at a fixed site stays possible
 * (the station must be open) but costs P > all households. W exceeds the
 * walking of every household at its farthest site, so the walking term
 * stays below one household: households served first, walking second.
 *
 * One station per site, lazily as in model.c: solve, pack the sites the plan
 * shares (cluster_pack gives every set on them its next sites), solve again;
 * every round is a relaxation, so the least bound of the rounds holds. The
 * objective, bound and gap are households served (plus the walking term),
 * to be maximised: gap = (bound - objective) / bound. Within given sites
 * (sites_off: a phase inside the full plan) every site is packed at once:
 * few sites, and the lazy rounds would each cost a whole search (measured
 * on the dense city: optimal in 4.5 s packed, unfinished rounds lazily).
 * A plan the time limit leaves sharing sites is repaired by removal
 * (repair()), never written as it is.
 *
 * Walking second, as a second search (budget_model.c): the least walking
 * among plans serving the households of the first, so that mip_gap, which
 * the households would otherwise absorb, applies to the walking too.
 *
 * With rules.split = flexible (budget_flex.c) a split unit is not k_u equal
 * parts: the columns holding a part are left out, and patterns with
 * continuous shares serve it (sum of its shares = h_u w_u), each station
 * within the band, a share grouped with whole units; served in full still
 * means all its households. A sub whose patterns exceed the column cap, or
 * with a split unit short of sites, keeps equal parts and is reported as
 * restricted (its bound is not one of flexible splitting), the plan then
 * not proven. Every search stops after solver.work_limit nodes once it
 * holds a plan (counted: deterministic).
 */
#include "budget_int.h"
#include "grow.h"
#include "rules.h"
#include "clock.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The stations of job i from the solution: its columns, then its
 * patterns with shares (flexible splitting). -1 on ENOMEM. */
static int job_solution(const bmodel *m, size_t i, sp_sol *out)
{
	const sp_sub *s = &m->jobs[i].sub;
	const sp_cols *c = &m->jobs[i].cols;
	if (model_sol_from_values(s, c, m->xval + m->colbase[i], out) < 0)
		return -1;
	if (!m->flex || !m->flex[i].on)
		return 0;
	return budget_flex_stations(&m->flex[i], s, &m->w->p, m->xval + m->fbase[i], out);
}

/* Per unit of s, 1 when `sol` serves it in full: all its equal parts, or
 * shares adding up to its households. -1 on ENOMEM. */
static int served_full(const sp_sub *s, const sp_sol *sol, unsigned char *full)
{
	int *parts = calloc((size_t)s->nu + 1, sizeof(int));
	long *got = calloc((size_t)s->nu + 1, sizeof(long));
	if (!parts || !got) {
		free(parts), free(got);
		return -1;
	}
	for (int t = 0; t < sol->n; t++)
		for (int e = 0; e < sol->st[t].n; e++) {
			int u = sol->st[t].u[e];
			if (sol->st[t].sh)
				got[u] += sol->st[t].sh[e];
			else
				parts[u]++;
		}
	for (int u = 0; u < s->nu; u++)
		full[u] = parts[u] >= s->k[u] || got[u] >= s->h[u];
	free(parts);
	free(got);
	return 0;
}

static void station_drop(sp_sol *sol, int i)
{
	free(sol->st[i].u);
	memmove(sol->st + i, sol->st + i + 1, (size_t)(sol->n - i - 1) * sizeof(sp_station));
	sol->n--;
}

/* A plan the rounds left sharing sites (out of time before the packing
 * converged) made valid by removal only: one station per shared site (the
 * one serving most), then units no longer served in full out of every
 * station, then stations that fell below the band at a site that is not
 * isolated (fixed sites stay), until nothing changes. Returns the number
 * of stations dropped, -1 on ENOMEM. */
static int repair(const sp_world *w, sp_job *j)
{
	const sp_sub *s = &j->sub;
	sp_sol *sol = &j->res.sol;
	int *shared = malloc(((size_t)s->ns + 1) * sizeof(int));
	unsigned char *full = malloc((size_t)s->nu + 1);
	if (!shared || !full) {
		free(shared), free(full);
		return -1;
	}
	int dropped = 0, n = sp_sol_shared(s, sol, shared);
	for (int k = 0; k < n; k++) {
		int keep = -1;
		for (int i = 0; i < sol->n; i++)
			if (sol->st[i].site == shared[k] &&
			    (keep < 0 || sol->st[i].lo > sol->st[keep].lo))
				keep = i;
		for (int i = sol->n - 1; i >= 0; i--)
			if (sol->st[i].site == shared[k] && i != keep && !s->fixed[shared[k]]) {
				station_drop(sol, i);
				dropped++;
			}
	}
	for (int changed = dropped > 0; changed;) {
		changed = 0;
		if (served_full(s, sol, full) < 0) {
			free(shared), free(full);
			return -1;
		}
		for (int i = 0; i < sol->n; i++) {
			sp_station *st = &sol->st[i];
			int m = 0;
			for (int e = 0; e < st->n; e++)
				if (full[st->u[e]]) {
					if (st->sh)
						st->sh[m] = st->sh[e];
					st->u[m++] = st->u[e];
				}
			changed |= m != st->n;
			st->n = m;
			sp_station_refresh(s, st);
		}
		for (int i = sol->n - 1; i >= 0; i--)
			if (!s->fixed[sol->st[i].site] &&
			    rules_band_under(sp_band(&w->p), sol->st[i].lo) &&
			    (sol->st[i].n == 0 || !sp_isolated(s, &w->p, sol->st[i].site))) {
				station_drop(sol, i);
				dropped++;
				changed = 1;
			}
	}
	free(shared);
	free(full);
	return dropped;
}

/* Villages the model chooses among: rural units with households planned by
 * the village rule, with a site inside. -1 on ENOMEM. */
static int villages_init(bmodel *m)
{
	const sp_world *w = m->w;
	size_t n = w->in->nunits;
	m->vunit = malloc((n ? n : 1) * sizeof(int));
	m->vdist = malloc((n ? n : 1) * sizeof(double));
	m->vfix = calloc(n ? n : 1, 1);
	if (!m->vunit || !m->vdist || !m->vfix)
		return -1;
	for (size_t v = 0; v < n; v++) {
		if (!rules_unit_is_village(w->sc, w->in->units[v].kind) ||
		    w->in->units[v].households <= 0 || w->urban[v])
			continue;
		long q = assemble_village_pair(w, v);
		if (q < 0 || (w->site_off && w->site_off[w->r->site[q]] &&
		              w->sites->sites[w->r->site[q]].source != SITE_EXISTING))
			continue;
		m->vunit[m->nvill] = (int)v;
		m->vdist[m->nvill] = w->r->dist[q];
		m->vfix[m->nvill] = w->sites->sites[w->r->site[q]].source == SITE_EXISTING;
		m->nvill++;
	}
	return 0;
}

/* Every site of every job packed (one station per site) from the start. */
static int pack_all(const sp_world *w, sp_job *jobs, size_t njobs)
{
	for (size_t i = 0; i < njobs; i++) {
		sp_sub *s = &jobs[i].sub;
		int *all = malloc(((size_t)s->ns + 1) * sizeof(int)), n = 0;
		if (!all)
			return -1;
		for (int j = 0; j < s->ns; j++)
			if (!s->fixed[j])
				all[n++] = j;
		int r = cluster_pack(s, &w->p, &jobs[i].cols, all, n);
		free(all);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* Flexible splitting: the patterns of every job holding a split unit
 * (budget_flex.c); a job whose patterns exceed the column cap keeps equal
 * parts, its flex_exact left 0. -1 on ENOMEM. */
static int flex_init(bmodel *m)
{
	m->flex = calloc(m->njobs + 1, sizeof(bf_list));
	m->fbase = calloc(m->njobs + 1, sizeof(size_t));
	if (!m->flex || !m->fbase)
		return -1;
	for (size_t i = 0; i < m->njobs; i++) {
		sp_job *j = &m->jobs[i];
		j->flex_exact = 0;
		if (!j->split || j->too_big)
			continue;
		int r = budget_flex_list(&j->sub, &m->w->p, m->w->p.max_cols, &m->flex[i]);
		if (r < 0)
			return -1;
		j->flex_exact = r == 0;
	}
	return 0;
}

static double walk_scale(const sp_world *w)
{
	double W = 1.0;
	for (size_t u = 0; u < w->in->nunits; u++) {
		double dmax = 0;
		for (size_t q = w->r->start[u]; q < w->r->start[u + 1]; q++)
			if (w->r->dist[q] > dmax)
				dmax = w->r->dist[q];
		W += (double)w->in->units[u].households * dmax;
	}
	return W;
}

/* budget_solve() with flexible patterns (flexible = 1) or equal parts. */
static int solve_split(const sp_world *w, sp_job *jobs, size_t njobs, const sp_budget *b,
                       double seconds, int flexible, sp_budget_result *res)
{
	double t0 = clock_now_s();
	int rc = -1;
	bmodel m = {.w = w,
	            .jobs = jobs,
	            .njobs = njobs,
	            .b = b,
	            .err = res->err,
	            .errsize = sizeof(res->err)};
	long htot = 0;
	for (size_t u = 0; u < w->in->nunits; u++)
		htot += w->in->units[u].households;
	m.wscale = walk_scale(w);
	m.penalty = (double)htot + 1.0;
	m.colbase = calloc(njobs + 1, sizeof(size_t));
	m.unitbase = calloc(njobs + 1, sizeof(size_t));
	m.wbase = calloc(njobs + 1, sizeof(size_t));
	res->village_on = calloc(w->in->nunits ? w->in->nunits : 1, 1);
	int *shared = NULL;
	res->err[0] = '\0';
	if (!m.colbase || !m.unitbase || !m.wbase || !res->village_on || villages_init(&m) < 0) {
		snprintf(res->err, sizeof(res->err), "out of memory building the budget model");
		goto out;
	}
	if (flexible && flex_init(&m) < 0) {
		snprintf(res->err, sizeof(res->err), "out of memory listing flexible patterns");
		goto out;
	}
	double bound = INFINITY;
	if (w->site_off && pack_all(w, jobs, njobs) < 0) { /* few sites: pack them all */
		snprintf(res->err, sizeof(res->err), "out of memory adding site rows");
		goto out;
	}
	for (int round = 0;; round++) {
		size_t ncols = (size_t)m.nvill;
		int maxns = 1;
		for (size_t i = 0; i < njobs; i++) {
			ncols += jobs[i].cols.n + (size_t)jobs[i].sub.nu +
			         (m.flex ? m.flex[i].ncols : 0);
			if (jobs[i].sub.ns > maxns)
				maxns = jobs[i].sub.ns;
		}
		free(m.xval);
		m.xval = calloc(ncols + 1, sizeof(double));
		free(shared);
		shared = malloc(((size_t)maxns + 1) * sizeof(int));
		if (!m.xval || !shared) {
			snprintf(res->err, sizeof(res->err),
			         "out of memory building the budget model");
			goto out;
		}
		double left = seconds - (clock_now_s() - t0);
		m.seconds = left > 0.1 ? left : 0.1;
		m.bound = bound;
		m.have_sol = m.optimal = m.timed = m.stopped = 0;
		int r = glpk_bridge_call(budget_model_run, &m, res->err, sizeof(res->err));
		if (r == 2) {
			rc = 1;
			goto out;
		}
		if (r < 0)
			goto out;
		bound = m.bound;
		if (b->bound_only) {
			res->bound = bound;
			snprintf(res->status, sizeof(res->status), "bound");
			rc = 0;
			goto out;
		}
		if (!m.have_sol) {
			snprintf(res->err, sizeof(res->err),
			         "no plan found within the time limit (%.0f s)", seconds);
			goto out;
		}
		/* the plan of each job; pack the sites it shares */
		int packed = 0;
		for (size_t i = 0; i < njobs; i++) {
			sp_sol_free(&jobs[i].res.sol);
			if (job_solution(&m, i, &jobs[i].res.sol) < 0) {
				snprintf(res->err, sizeof(res->err),
				         "out of memory reading the plan");
				goto out;
			}
			int n = sp_sol_shared(&jobs[i].sub, &jobs[i].res.sol, shared), k = 0;
			for (int t = 0; t < n; t++)
				if (!jobs[i].sub.fixed[shared[t]])
					shared[k++] = shared[t];
			if (k == 0)
				continue;
			int added = cluster_pack(&jobs[i].sub, &w->p, &jobs[i].cols, shared, k);
			if (added < 0) {
				snprintf(res->err, sizeof(res->err),
				         "out of memory adding site rows");
				goto out;
			}
			packed += added; /* 0: nothing new to forbid, the plan stands */
		}
		if (packed == 0 || (clock_now_s() - t0) > seconds)
			break;
	}
	int repaired = 0;
	for (size_t i = 0; i < njobs; i++) {
		int d = repair(w, &jobs[i]);
		if (d < 0) {
			snprintf(res->err, sizeof(res->err), "out of memory repairing the plan");
			goto out;
		}
		repaired += d;
	}
	if (repaired) { /* the plan changed: its households and walking */
		double h = 0, wd = 0;
		for (size_t i = 0; i < njobs; i++)
			for (int t = 0; t < jobs[i].res.sol.n; t++) {
				const sp_station *st = &jobs[i].res.sol.st[t];
				wd += st->wd;
				for (int e = 0; e < st->n; e++)
					h += st->sh ? (double)st->sh[e]
					     : jobs[i].sub.k[st->u[e]] == 1
					         ? (double)jobs[i].sub.h[st->u[e]]
					         : sp_part(&jobs[i].sub, st->u[e]);
			}
		for (int v = 0; v < m.nvill; v++)
			if (m.xval[m.zbase + (size_t)v] > 0.5) {
				h += (double)w->in->units[m.vunit[v]].households;
				wd += m.wcoef[m.zbase + (size_t)v + 1];
			}
		m.obj = h - wd / m.wscale;
		m.walk = wd / 1000.0;
		m.wbound = 0; /* walking no longer proven */
	}
	res->objective = m.obj;
	res->bound = bound < m.obj ? m.obj : bound;
	res->gap = res->bound > 0 ? fmax(0.0, (res->bound - res->objective) / res->bound) : 0;
	res->walk_gap = m.walk > 0 ? fmax(0.0, (m.walk - m.wbound) / m.walk) : 0;
	snprintf(res->status, sizeof(res->status), "%s",
	         res->gap <= w->p.mip_gap + 1e-9 && res->walk_gap <= w->p.mip_gap + 1e-9 ? "optimal"
	         : m.timed ? "time_limit"
	                   : "feasible");
	res->households = 0;
	for (int v = 0; v < m.nvill; v++)
		if (m.xval[m.zbase + (size_t)v] > 0.5) {
			res->village_on[m.vunit[v]] = 1;
			res->households += w->in->units[m.vunit[v]].households;
		}
	for (size_t i = 0; i < njobs; i++) {
		sp_job *j = &jobs[i];
		long h = 0;
		unsigned char *full = malloc((size_t)j->sub.nu + 1);
		if (!full || served_full(&j->sub, &j->res.sol, full) < 0) {
			free(full);
			snprintf(res->err, sizeof(res->err), "out of memory reading the plan");
			goto out;
		}
		for (int u = 0; u < j->sub.nu; u++)
			h += full[u] ? j->sub.h[u] : 0;
		free(full);
		res->households += h;
		j->res.objective = (double)h;
		j->res.bound = (double)h;
		j->res.gap = 0;
		j->res.ncols = j->cols.n + (m.flex ? m.flex[i].ncols : 0);
		j->res.nrows = (size_t)j->sub.nu;
		snprintf(j->res.status, sizeof(j->res.status), "budget");
	}
	rc = 0;
out:
	free(m.colbase);
	free(m.unitbase);
	free(m.wbase);
	free(m.vunit);
	free(m.vdist);
	free(m.vfix);
	free(m.xval);
	free(m.hcoef);
	free(m.wcoef);
	free(m.pen);
	free(m.inc);
	for (size_t i = 0; m.flex && i < njobs; i++)
		budget_flex_free(&m.flex[i]);
	free(m.flex);
	free(m.fbase);
	free(shared);
	glpk_bridge_thread_end();
	return rc;
}

/* Flexibly: equal parts first (at most half the time; fast, and the
 * flexible search at a city's scale may not improve on them in time), then
 * the flexible model (its own rounds, each searching from the plan of equal
 * parts, budget_model.c), the plan serving more kept, the flexible model's
 * bound (valid for every plan under flexible splitting) reported. When the
 * flexible model fails, the plan of equal parts stands, restricted. */
int budget_solve(const sp_world *w, sp_job *jobs, size_t njobs, const sp_budget *b, double seconds,
                 sp_budget_result *res)
{
	if (!w->p.flexible || b->bound_only)
		return solve_split(w, jobs, njobs, b, seconds, w->p.flexible, res);
	double t0 = clock_now_s();
	int rc = solve_split(w, jobs, njobs, b, 0.5 * seconds, 0, res);
	if (rc != 0) { /* no plan of equal parts: the flexible model alone */
		free(res->village_on);
		res->village_on = NULL;
		for (size_t i = 0; i < njobs; i++)
			sp_sol_free(&jobs[i].res.sol);
		return solve_split(w, jobs, njobs, b, fmax(0.1, seconds - (clock_now_s() - t0)), 1,
		                   res);
	}
	sp_budget_result eq = *res;
	sp_result *saved = malloc((njobs + 1) * sizeof(sp_result));
	if (!saved) {
		snprintf(res->err, sizeof(res->err), "out of memory keeping the plan");
		return -1;
	}
	for (size_t i = 0; i < njobs; i++) {
		saved[i] = jobs[i].res;
		memset(&jobs[i].res.sol, 0, sizeof(sp_sol));
	}
	memset(res, 0, sizeof(*res));
	rc = solve_split(w, jobs, njobs, b, fmax(0.1, seconds - (clock_now_s() - t0)), 1, res);
	if (rc == 0 && res->households > eq.households) {
		for (size_t i = 0; i < njobs; i++)
			sp_sol_free(&saved[i].sol);
		free(eq.village_on);
		free(saved);
		return 0;
	}
	/* the plan of equal parts stands */
	double fbound = res->bound;
	for (size_t i = 0; i < njobs; i++) {
		sp_sol_free(&jobs[i].res.sol);
		jobs[i].res = saved[i];
		if (rc != 0) /* no flexible bound: equal parts' is a restriction's */
			jobs[i].flex_exact = 0;
	}
	free(saved);
	free(res->village_on);
	*res = eq;
	if (rc == 0) {
		res->bound = fmax(fbound, res->objective);
		res->gap =
		    res->bound > 0 ? fmax(0.0, (res->bound - res->objective) / res->bound) : 0;
		if (res->gap > w->p.mip_gap + 1e-9 && !strcmp(res->status, "optimal"))
			snprintf(res->status, sizeof(res->status), "feasible");
	}
	return 0;
}

/* Units the plan leaves out, per unit. -1 on ENOMEM. */
static int left_units(const sp_world *w, const sp_job *jobs, size_t njobs,
                      const unsigned char *village_on, unsigned char *left)
{
	for (size_t i = 0; i < njobs; i++) {
		const sp_sub *s = &jobs[i].sub;
		unsigned char *full = malloc((size_t)s->nu + 1);
		if (!full || served_full(s, &jobs[i].res.sol, full) < 0) {
			free(full);
			return -1;
		}
		for (int u = 0; u < s->nu; u++)
			left[s->unit[u]] = !full[u];
		free(full);
	}
	for (size_t v = 0; v < w->in->nunits; v++)
		if (rules_unit_is_village(w->sc, w->in->units[v].kind) &&
		    w->in->units[v].households > 0 && !w->urban[v] &&
		    assemble_village_pair(w, v) >= 0 && !village_on[v])
			left[v] = 1; /* not chosen, or its site is off */
	return 0;
}

static int add_left(const sp_world *w, const sp_budget *b, const unsigned char *left, plan *out)
{
	size_t n = 0;
	for (size_t u = 0; u < w->in->nunits; u++)
		n += left[u];
	if (n == 0)
		return 0;
	if (grow_to(&out->uncovered, out->nuncovered + n, sizeof(*out->uncovered)) != 0)
		return -1;
	const reach *r = w->r;
	for (size_t u = 0; u < w->in->nunits; u++) {
		if (!left[u])
			continue;
		char buf[160];
		snprintf(buf, sizeof(buf), "not served within the budget (%s %ld new station%s)",
		         b->exact ? "exactly" : "at most", b->new_stations,
		         b->new_stations == 1 ? "" : "s");
		char *reason = strdup(buf);
		if (!reason)
			return -1;
		int has = r->start[u] < r->start[u + 1];
		out->uncovered[out->nuncovered++] =
		    (plan_uncovered){(int)u, has ? r->site[r->start[u]] : -1,
		                     has ? r->dist[r->start[u]] : -1, reason};
	}
	qsort(out->uncovered, out->nuncovered, sizeof(plan_uncovered), assemble_uncovered_cmp);
	return 0;
}

status_code budget_plan(sp_world *w, sp_job *jobs, size_t njobs, const sp_budget *b, double seconds,
                        plan *out, status *st)
{
	sp_budget_result res = {0};
	status_code code = STATUS_OK;
	unsigned char *left = calloc(w->in->nunits ? w->in->nunits : 1, 1);
	if (!left)
		goto nomem;
	int r = budget_solve(w, jobs, njobs, b, seconds > 0.1 ? seconds : 0.1, &res);
	if (r == 1) {
		code = status_fail(st, STATUS_INPUT, "solver: %s", res.err);
		goto out;
	}
	if (r < 0) {
		code = status_fail(st, STATUS_INTERNAL, "solver: budget model: %s",
		                   res.err[0] ? res.err : "out of memory");
		goto out;
	}
	if (b->bound_only) { /* no plan: the bound alone */
		out->bound = res.bound;
		snprintf(out->status, sizeof(out->status), "bound");
		goto out;
	}
	if (left_units(w, jobs, njobs, res.village_on, left) < 0)
		goto nomem;
	out->subs = calloc(njobs ? njobs : 1, sizeof(plan_sub));
	if (!out->subs)
		goto nomem;
	out->nsubs = njobs;
	for (size_t i = 0; i < njobs; i++) {
		plan_sub *ps = &out->subs[i];
		const sp_job *j = &jobs[i];
		sp_job_sub_row(j, (int)i, ps);
		/* a split unit in equal parts where flexible splitting was asked
		 * (too many patterns): a restriction, its bound not flexible's */
		ps->restricted = j->part || (j->split && !j->flex_exact);
		snprintf(ps->status, sizeof(ps->status), "%s", j->res.status);
	}
	w->left_out = left;
	int ar = assemble_plan(w, jobs, njobs, out);
	w->left_out = NULL;
	if (ar < 0 || add_left(w, b, left, out) < 0)
		goto nomem;
	out->objective = res.objective;
	out->bound = res.bound;
	out->gap = res.gap;
	out->proven = !strcmp(res.status, "optimal");
	for (size_t i = 0; i < njobs; i++)
		if (out->subs[i].restricted) /* the bound is the restriction's */
			out->proven = 0;
	snprintf(out->status, sizeof(out->status), "%s",
	         out->proven || strcmp(res.status, "optimal") ? res.status : "feasible");
	goto out;
nomem:
	code = status_fail(st, STATUS_INTERNAL, "solver: out of memory");
out:
	if (code != STATUS_OK)
		plan_free(out);
	free(left);
	free(res.village_on);
	return code;
}
