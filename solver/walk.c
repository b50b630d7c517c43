/*
 * walk.c: the walking of a min_distance plan, improved by branch-and-cut
 * over the columns column generation produced in budget mode, then by
 * regions (walk_lns.c); and the end of a min_distance sub's solve
 * (walk_finish: walk_bound.c's bound and plan first).
 *
 * min_distance ranks plans by avoidably underfilled stations first (each
 * costs a penalty above any walking), then by household-weighted walking.
 * Searching both at once, with the penalty in the objective, leaves GLPK a
 * model whose LP is ruled by the penalty: on a dense 1,000-community core it
 * ended 6.6 % above the walking bound after 45 s. Here the underfilled
 * stations are a budget instead (at most the plan's count, a row), and the
 * objective is the walking alone:
 *
 *   min  sum_c wd_c / dscale x_c
 *   s.t. sum_c share_cu x_c = h_u     for every unit u
 *        sum_{c at s} x_c <= 1        for every site s (one station per site)
 *        sum_{c underfilled} x_c <= B (the plan's avoidably underfilled count)
 *        x binary
 *
 * over the columns of colgen_solve(budget = B) (whose LP optimum is the
 * walking bound the run reports) and the plan's own stations (so the plan
 * is a solution and is injected as the first incumbent). Every solution is
 * a plan the rules allow: each column is a station at one site within reach
 * and within households_max, shares of units over the maximum are integers
 * summing to the unit's households (flexible splitting), and one station
 * per site holds. With equal parts (rules.split = equal), stacked sites or
 * existing stations the model would need rows this file does not build: the
 * plan is then left as it is (walk_improve returns 0).
 *
 * The LP of this model is nearly integral but for odd cycles of pairs
 * (three units pairwise served by halves); GLPK's clique and Gomory cuts
 * close them at the root (measured on the 1,000-community core: 0.3 s to
 * the optimum over the columns, where plain branch-and-bound had not found
 * it in 60 s). The search stops within mip_gap of the given bound (the
 * run's walking gap), at the node limit (solver.work_limit, deterministic)
 * or at the deadline (the safety net); what gap is left goes to regions.
 */
#include "solver_int.h"
#include "glpk_int.h"
#include "clock.h"

#include <assert.h>
#include <stdio.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct walk_job {
	walk_call a; /* the search's arguments */
	const cg_result *cg;
	/* the columns: cg's (deduplicated) then the plan's missing ones */
	size_t n, nnz;
	size_t *start;
	int *unit;
	long *share;
	int *site;
	double *cost;
	unsigned char *under;
	double *x0; /* the plan, 1-based; NULL when it is not a solution */
	double inc;
	long nodes;
	int injected, improved;
} walk_job;

/* 1 when the model can hold s's plans: flexible shares or no split unit,
 * no existing station, no stacked site. */
static int walk_applies(const sp_sub *s, const sp_params *p)
{
	if (s->stack)
		return 0;
	for (int j = 0; j < s->ns; j++)
		if (s->fixed[j])
			return 0;
	for (int u = 0; u < s->nu && !p->flexible; u++)
		if (s->k[u] > 1)
			return 0;
	return 1;
}

static uint64_t col_hash(int site, const int *u, const long *sh, size_t n)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)(unsigned)site;
	for (size_t i = 0; i < n; i++) {
		h = (h ^ (uint64_t)(unsigned)u[i]) * 1099511628211ULL;
		h = (h ^ (uint64_t)sh[i]) * 1099511628211ULL;
	}
	return h;
}

/* Column q of the job equals (site, u, sh)[0..n)? */
static int col_equal(const walk_job *w, size_t q, int site, const int *u, const long *sh, size_t n)
{
	size_t a = w->start[q], m = w->start[q + 1] - a;
	return w->site[q] == site && m == n && memcmp(w->unit + a, u, n * sizeof(int)) == 0 &&
	       memcmp(w->share + a, sh, n * sizeof(long)) == 0;
}

typedef struct col_table {
	size_t *slot; /* column index + 1, 0 empty */
	size_t cap;
	int *u; /* scratch: one column's units, ascending, and shares */
	long *sh;
} col_table;

static int cmp_unit_share(const void *a, const void *b)
{
	const long *x = a, *y = b;
	return (x[0] > y[0]) - (x[0] < y[0]);
}

/* Append column (site, u0, sh0)[0..n) unless present (units in any order);
 * returns its index. The arrays were sized by the caller; pair has room
 * for 2 n longs. */
static size_t col_put(walk_job *w, col_table *t, long *pair, int site, const int *u0,
                      const long *sh0, size_t n)
{
	for (size_t e = 0; e < n; e++) {
		pair[2 * e] = u0[e];
		pair[2 * e + 1] = sh0[e];
	}
	qsort(pair, n, 2 * sizeof(long), cmp_unit_share);
	int *u = t->u;
	long *sh = t->sh;
	for (size_t e = 0; e < n; e++) {
		u[e] = (int)pair[2 * e];
		sh[e] = pair[2 * e + 1];
	}
	uint64_t h = col_hash(site, u, sh, n);
	size_t i = (size_t)(h & (t->cap - 1));
	while (t->slot[i]) {
		if (col_equal(w, t->slot[i] - 1, site, u, sh, n))
			return t->slot[i] - 1;
		i = (i + 1) & (t->cap - 1);
	}
	const sp_sub *s = w->a.s;
	long load = 0;
	double wd = 0;
	for (size_t e = 0; e < n; e++) {
		w->unit[w->nnz + e] = u[e];
		w->share[w->nnz + e] = sh[e];
		load += sh[e];
		wd += (double)sh[e] * sp_dist(s, site, u[e]);
	}
	size_t q = w->n++;
	w->nnz += n;
	w->start[w->n] = w->nnz;
	w->site[q] = site;
	w->cost[q] = wd / s->dscale;
	w->under[q] = rules_band_under(sp_band(w->a.p), load) && !sp_isolated(s, w->a.p, site);
	t->slot[i] = q + 1;
	return q;
}

/* Shares of the plan's stations: explicit ones, else equal parts (the first
 * h % k stations of a split unit, in plan order, take one more). Writes
 * sh[] per member into `out` (room for every member of every station).
 * Returns 0, -1 when a station leaves the band's maximum. */
static int plan_shares(const walk_job *w, long *out, int *seen)
{
	const sp_sub *s = w->a.s;
	memset(seen, 0, (size_t)s->nu * sizeof(int));
	size_t e = 0;
	for (int i = 0; i < w->a.sol->n; i++) {
		const sp_station *st = &w->a.sol->st[i];
		long load = 0;
		for (int m = 0; m < st->n; m++, e++) {
			int u = st->u[m];
			out[e] =
			    st->sh ? st->sh[m] : s->h[u] / s->k[u] + (seen[u] < s->h[u] % s->k[u]);
			seen[u]++;
			load += out[e];
		}
		if (rules_band_over(sp_band(w->a.p), load))
			return -1;
	}
	return 0;
}

/* The plan (or part of one) of columns sel[0..n) into *out (empty on
 * entry). Returns 0, -1 on ENOMEM (out freed). */
static int plan_of(const walk_job *w, const size_t *sel, size_t n, sp_sol *out)
{
	const sp_sub *s = w->a.s;
	for (size_t i = 0; i < n; i++) {
		size_t q = sel[i], a = w->start[q];
		int m = (int)(w->start[q + 1] - a);
		if (sp_sol_add(out, w->site[q], w->unit + a, m, s) < 0) {
			sp_sol_free(out);
			return -1;
		}
		int split = 0;
		for (int e = 0; e < m; e++)
			split |=
			    s->k[w->unit[a + e]] > 1 || w->share[a + e] != s->h[w->unit[a + e]];
		if (!split)
			continue;
		sp_station *st = &out->st[out->n - 1];
		st->sh = malloc((size_t)m * sizeof(long));
		if (!st->sh) {
			sp_sol_free(out);
			return -1;
		}
		memcpy(st->sh, w->share + a, (size_t)m * sizeof(long)); /* units ascending */
		sp_station_refresh(s, st);
	}
	sp_sol_sort(out);
	return 0;
}

/* The model over every column: unit rows, a row per site holding two
 * columns or more, the budget row last. Returns it, NULL on ENOMEM. */
static glp_prob *model_build(const walk_job *w)
{
	const sp_sub *s = w->a.s;
	int *srow = calloc((size_t)s->ns + 1, sizeof(int));
	int *cnt = calloc((size_t)s->ns + 1, sizeof(int));
	size_t nz = w->nnz + 2 * w->n;
	int *ia = malloc((nz + 1) * sizeof(int)), *ja = malloc((nz + 1) * sizeof(int));
	double *ar = malloc((nz + 1) * sizeof(double));
	glp_prob *P = NULL;
	if (!srow || !cnt || !ia || !ja || !ar)
		goto out;
	P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MIN);
	int nrow = s->nu;
	for (size_t q = 0; q < w->n; q++)
		cnt[w->site[q]]++;
	for (int j = 0; j < s->ns; j++)
		if (cnt[j] > 1)
			srow[j] = ++nrow;
	int brow = ++nrow;
	glp_add_rows(P, nrow);
	for (int u = 0; u < s->nu; u++)
		glp_set_row_bnds(P, u + 1, GLP_FX, (double)s->h[u], (double)s->h[u]);
	for (int j = 0; j < s->ns; j++)
		if (srow[j])
			glp_set_row_bnds(P, srow[j], GLP_UP, 0, 1);
	glp_set_row_bnds(P, brow, GLP_UP, 0, (double)w->a.budget);
	glp_add_cols(P, (int)w->n);
	nz = 0;
	for (size_t q = 0; q < w->n; q++) {
		int col = (int)q + 1;
		glp_set_col_kind(P, col, GLP_BV);
		glp_set_obj_coef(P, col, w->cost[q]);
		for (size_t e = w->start[q]; e < w->start[q + 1]; e++) {
			ia[++nz] = w->unit[e] + 1;
			ja[nz] = col;
			ar[nz] = (double)w->share[e];
		}
		if (srow[w->site[q]]) {
			ia[++nz] = srow[w->site[q]];
			ja[nz] = col;
			ar[nz] = 1;
		}
		if (w->under[q]) {
			ia[++nz] = brow;
			ja[nz] = col;
			ar[nz] = 1;
		}
	}
	glp_load_matrix(P, (int)nz, ia, ja, ar);
out:
	free(srow);
	free(cnt);
	free(ia);
	free(ja);
	free(ar);
	return P;
}

/* Seconds left to the job's deadline as GLPK's tm_lim (ms), at least 1. */
static int tm_left(const walk_job *w)
{
	if (w->a.deadline <= 0)
		return INT32_MAX;
	double left = w->a.deadline - clock_now_s();
	return left > 0.001 ? (int)fmin(left * 1000.0, (double)INT32_MAX) : 1;
}

static void callback(glp_tree *tree, void *info)
{
	walk_job *w = info;
	if (glpk_bridge_budget(tree, &w->nodes, w->a.p->work_limit, w->a.deadline))
		return;
	glp_prob *P = glp_ios_get_prob(tree);
	if (glp_mip_status(P) == GLP_FEAS || glp_mip_status(P) == GLP_OPT) {
		double obj = glp_mip_obj_val(P);
		if (obj - w->a.lb <= w->a.p->mip_gap * obj + 1e-9) {
			glp_ios_terminate(tree);
			return;
		}
	}
	if (glp_ios_reason(tree) == GLP_IHEUR && !w->injected && w->x0) {
		w->injected = 1;
		glp_ios_heur_sol(tree, w->x0);
	}
}

/* The LP, then branch-and-cut (clique and Gomory cuts: the LP of these
 * models is nearly integral but for odd cycles of pairs, which cuts close)
 * with the plan injected; the best solution, when it walks less, becomes
 * the plan. Returns 0, -1 on failure (err set). */
static int mip_run(walk_job *w, glp_prob *P, size_t *sel)
{
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.presolve = GLP_OFF;
	sm.tm_lim = tm_left(w);
	int ret = glp_simplex(P, &sm);
	if (ret == GLP_ETMLIM)
		return 0;
	if (ret != 0 || glp_get_status(P) != GLP_OPT) {
		snprintf(w->a.err, w->a.errsize,
		         "glp_simplex: return %d, status %d in the walking model", ret,
		         glp_get_status(P));
		return -1;
	}
	glp_iocp io;
	glpk_bridge_search_iocp(&io, w->a.deadline, callback, w);
	io.clq_cuts = GLP_ON;
	io.gmi_cuts = GLP_ON;
	ret = glp_intopt(P, &io);
	int mst = glp_mip_status(P);
	if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_ESTOP) {
		snprintf(w->a.err, w->a.errsize,
		         "glp_intopt: return %d, status %d in the walking model", ret, mst);
		return -1;
	}
	if (mst != GLP_OPT && mst != GLP_FEAS)
		return 0;
	double obj = glp_mip_obj_val(P);
	if (!(obj < w->inc - 1e-9 * (1 + w->inc)))
		return 0;
	size_t n = 0;
	for (size_t q = 0; q < w->n; q++)
		if (glp_mip_col_val(P, (int)q + 1) > 0.5)
			sel[n++] = q;
	sp_sol out = {0};
	if (plan_of(w, sel, n, &out) < 0) {
		snprintf(w->a.err, w->a.errsize, "out of memory in the walking model");
		return -1;
	}
	sp_sol_free(w->a.sol);
	*w->a.sol = out;
	w->inc = sp_sol_walk(w->a.s, w->a.sol);
	w->improved = 1;
	return 0;
}

static int run_walk(void *arg)
{
	walk_job *w = arg;
	size_t *sel = malloc((w->n + 1) * sizeof(size_t));
	glp_prob *P = sel ? model_build(w) : NULL;
	int rc = -1;
	if (!P) {
		snprintf(w->a.err, w->a.errsize, "out of memory in the walking model");
		goto out;
	}
	rc = mip_run(w, P, sel);
	glp_delete_prob(P);
	if (rc < 0 || w->inc - w->a.lb <= w->a.p->mip_gap * w->inc + 1e-9)
		goto out;
	/* what is left: regions of the plan re-planned exactly */
	int r = walk_lns_run(&w->a);
	if (r < 0)
		rc = -1;
	else if (r == 1) {
		w->inc = sp_sol_walk(w->a.s, w->a.sol);
		w->improved = 1;
	}
out:
	free(sel);
	return rc;
}

/* Fill the job's columns: cg's, then the plan's (its incumbent). */
static int cols_build(walk_job *w)
{
	const cg_result *cg = w->cg;
	const sp_sol *sol = w->a.sol;
	size_t mem = 0;
	for (int i = 0; i < sol->n; i++)
		mem += (size_t)sol->st[i].n;
	size_t ncap = cg->n + (size_t)sol->n, zcap = cg->nnz + mem;
	col_table t = {0};
	t.cap = 16;
	while (t.cap < 2 * ncap)
		t.cap *= 2;
	t.slot = calloc(t.cap, sizeof(size_t));
	w->start = malloc((ncap + 1) * sizeof(size_t));
	w->unit = malloc((zcap + 1) * sizeof(int));
	w->share = malloc((zcap + 1) * sizeof(long));
	w->site = malloc((ncap + 1) * sizeof(int));
	w->cost = malloc((ncap + 1) * sizeof(double));
	w->under = malloc(ncap + 1);
	w->x0 = calloc(ncap + 1, sizeof(double));
	long *psh = malloc((mem + 1) * sizeof(long));
	size_t nu1 = (size_t)w->a.s->nu + 1;
	int *seen = malloc(nu1 * sizeof(int));
	long *pair = malloc(2 * nu1 * sizeof(long));
	t.u = malloc(nu1 * sizeof(int));
	t.sh = malloc(nu1 * sizeof(long));
	int rc = -1;
	if (!t.slot || !w->start || !w->unit || !w->share || !w->site || !w->cost || !w->under ||
	    !w->x0 || !psh || !seen || !pair || !t.u || !t.sh)
		goto out;
	w->start[0] = 0;
	for (size_t q = 0; q < cg->n; q++)
		col_put(w, &t, pair, cg->site[q], cg->unit + cg->start[q], cg->share + cg->start[q],
		        cg->start[q + 1] - cg->start[q]);
	w->inc = 0;
	if (plan_shares(w, psh, seen) < 0) {
		free(w->x0);
		w->x0 = NULL;
		w->inc = INFINITY;
	}
	size_t e = 0;
	for (int i = 0; i < sol->n && w->x0; i++) {
		const sp_station *st = &sol->st[i];
		size_t q = col_put(w, &t, pair, st->site, st->u, psh + e, (size_t)st->n);
		e += (size_t)st->n;
		w->x0[q + 1] = 1;
		w->inc += w->cost[q];
	}
	rc = 0;
out:
	free(t.slot);
	free(t.u);
	free(t.sh);
	free(pair);
	free(psh);
	free(seen);
	return rc;
}

int walk_improve(const sp_sub *s, const sp_params *p, const cg_result *cg, long budget, double lb,
                 double deadline, sp_sol *sol, char *err, size_t errsize)
{
	if (p->objective != OBJECTIVE_MIN_DISTANCE || !walk_applies(s, p) || cg->n == 0 ||
	    (deadline > 0 && clock_now_s() >= deadline))
		return 0;
	walk_job w = {.a = {s, p, budget, lb, deadline, sol, err, errsize, 0}, .cg = cg};
	int rc = -1;
	if (cols_build(&w) < 0)
		snprintf(err, errsize, "out of memory in the walking model");
	else if (w.x0 && w.inc - w.a.lb <= p->mip_gap * w.inc + 1e-9)
		rc = 0; /* already within the gap */
	else
		rc = glpk_bridge_call(run_walk, &w, err, errsize);
	free(w.start);
	free(w.unit);
	free(w.share);
	free(w.site);
	free(w.cost);
	free(w.under);
	free(w.x0);
	return rc < 0 ? -1 : w.improved;
}

int walk_finish(const sp_sub *s, const sp_params *p, const cg_result *cg, long budget,
                double bound_deadline, double deadline, sp_sol *sol, double *bound, char *err,
                size_t errsize)
{
	if (p->objective != OBJECTIVE_MIN_DISTANCE)
		return 0;
	sp_sol lp = {0};
	double b;
	int improved = 0;
	int r = walk_bound(s, p, sol, budget, bound_deadline, &b, &lp, err, errsize);
	if (r < 0)
		return -1;
	if (r == 1 && b > *bound)
		*bound = b;
	if (lp.n > 0 && sp_sol_walk(s, &lp) < sp_sol_walk(s, sol) - 1e-9) { /* the LP's plan */
		sp_sol_free(sol);
		*sol = lp;
		improved = 1;
	} else
		sp_sol_free(&lp);
	r = walk_improve(s, p, cg, budget, *bound, deadline, sol, err, errsize);
	return r < 0 ? -1 : improved | r;
}

int walk_stations(const sp_sub *s, const sp_params *p, const cg_result *cg, long budget,
                  double deadline, double *stations, char *err, size_t errsize)
{
	sp_params q = *p;
	q.objective = OBJECTIVE_MIN_STATIONS;
	cg_limits lim = {.rounds = p->work_limit, .deadline = deadline, .warm = cg};
	cg_result r;
	*stations = 0;
	int rc = colgen_solve(s, &q, NULL, &lim, budget, &r);
	if (rc < 0)
		snprintf(err, errsize, "%s", r.err);
	else if (isfinite(r.bound) && r.bound > 0)
		*stations = r.bound;
	colgen_free(&r);
	return rc;
}
