/*
 * model.c: the set-partitioning MIP of one sub-problem, built and solved
 * through the GLPK C API (no text round-trip).
 *
 *   min  sum_c cost_c x_c
 *   s.t. sum_{c : u in c} x_c = k_u   for every unit u (k_u parts)
 *        sum_{c at e}     x_c = 1     for every existing station e
 *        sum_{c at s}     x_c <= 1    for every packed site s
 *        0 <= x_c <= ub_c integer
 *
 * One station per site, lazily (model_solve). A station is one facility at
 * one place: two columns at one site would be one station over the band, and
 * moving one of them afterwards (the former sp_sol_spread) raised walking the
 * model never saw, so min_distance runs ended 2-4 % above their bound and
 * unproven. Packing every site at once needs every unit set at every site
 * that reaches it, several times the columns. Instead: solve; every site the
 * plans found share gets the packing row, and every set whose columns end on
 * a packed site gets its next sites in cost order up to an unpacked one
 * (cluster_pack); solve again, the best plan with one station per site as
 * incumbent; repeat until that plan is within mip_gap of the bound. Each
 * round's model is a relaxation of the true problem (a plan's station on a
 * site without a column maps to its set's column at the unpacked tail site,
 * no dearer, and packed rows only count fewer), so every round's bound is
 * valid and the best is kept. Measured on the three generated cities, all
 * objectives and rule variants: at most 2 rounds per sub-problem, solve
 * times unchanged (0.2-0.3 s per city), min_distance now proven (gap
 * 0.09-0.19 %) where it ended 0.2-0.3 % with components at 4 %.
 *
 * When the packed model has no feasible plan (big split units whose parts
 * cannot find distinct sites), the sub-problem falls back to stacking: a
 * station serving one part of a split unit alone may share its site with
 * others of that kind (row coefficient 1 against K for the rest, K the most
 * parts of a split unit reaching the site), the bound restarts, and the
 * verifier accepts exactly that exception.
 *
 * Why this formulation (measured, see solver.c): a column already is a
 * feasible station, so the band and the reach live in the columns, not in
 * big-M rows, and the LP bound is the set-partitioning bound, which on the
 * city instances sits within a station or two of the optimum where the
 * compact x_ij/y_j model's bound is ceil(H / max) at best.
 *
 * Order of work, in one glp_prob per thread:
 *   1. primal simplex on the LP relaxation, presolver off (so the search
 *      keeps our column numbering and the callback can inject incumbents);
 *   2. min_stations: the LP of stations + penalties alone, whose ceiling is
 *      a bound on that integer part (station_bound);
 *   3. incumbents: the heuristic's, LP rounding completed by heur.c, and LP
 *      diving (fix the most fractional column up, re-solve warm);
 *      min_distance: a dive's plan cheaper than the incumbent that shares a
 *      site ends the round here, its sites packed for the next (dive_shares);
 *   4. min_stations: branch-and-bound on stations + penalties alone, an
 *      integral objective that GLPK's pruning rounds (stations_first); once
 *      the least count N* is proven, the row "integer part = N*" is added;
 *   5. branch-and-bound on the whole objective, the best
 *      incumbent injected at the first GLP_IHEUR call (glp_ios_heur_sol),
 *      the bound followed in the callback (best active node, GLPK's gap,
 *      integer rounding), stopped from the callback once within mip_gap.
 * Any step ends the work when the incumbent is within mip_gap of the bound,
 * relative to the measure alone (sp_measure: stations or walking, without
 * the penalty constants), as the run reports its urban gap.
 * Both the return code and glp_mip_status are checked after each search.
 * Results depend on nothing but the input and the time limit.
 */
#include "solver_int.h"
#include "clock.h"
#include "order.h"

#include <glpk.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* min_distance over generated columns (price-and-branch): nodes without a
 * new plan after which the search over the penalised objective stops; the
 * walking is taken further within the plan's underfilled count (walk.c),
 * so this search's part is the count. Measured (2 cores, load 3-4): on the
 * dense 1,000-community core it found no plan in 1,800 nodes (2 s, its
 * time share) after the dive's; on the 2,000-community core its one plan
 * came at node 19. Nodes, not seconds: the same plan on every run. */
#define MODEL_MD_STALL 300

typedef struct model_job {
	const sp_sub *s;
	const sp_params *p;
	const sp_cols *c;
	double seconds;
	int *ia, *ja;
	double *ar;
	int *srow;    /* per local site: its row (existing or packed), 0 if none */
	double *scap; /* per packed site: parts of a short unit it may stack, else 1 */
	int nfixed, npacked;
	double *x;   /* incumbent, 1-based */
	double *val; /* solution, 0-based, filled on success */
	double inc_obj, lp, bound, obj;
	int injected, ran_mip, optimal, have_sol;
	int no_inject; /* the incumbent uses a per-site column twice */
	int integral;  /* min_stations: stations + penalties is an integer */
	sp_sol lpinc;  /* incumbent from rounding the LP, when better */
	int have_lpinc;
	int dived;     /* j->x holds a better solution found by diving */
	double nbound; /* min_stations: bound on the integer part alone */
	int phase1;    /* searching the integer part alone (stations_first) */
	double bound1; /* its best node bound */
	double heur_s;
	long nodes;       /* branch-and-bound nodes so far (both searches) */
	long stall_at;    /* min_distance: node of the search's start or last plan */
	int timed;        /* a search or LP was stopped by the run's deadline */
	double wmax, wlb; /* walking term: most and least it can be in this sub */
	char *err;
	size_t errsize;
} model_job;

/* Seconds left before the run's deadline (p->deadline, 0: none). */
static double to_deadline(const sp_params *p)
{
	return p->deadline > 0 ? p->deadline - clock_now_s() : 1e9;
}

/* Work and time in the callback: a node past solver.work_limit, or the
 * run's deadline passed, ends the search (GLPK's tm_lim alone is not
 * honoured everywhere, e.g. in the pseudo-cost start-up). Returns 1 when it
 * terminated the search. */
static int out_of_budget(glp_tree *tree, model_job *j)
{
	int why = glpk_bridge_budget(tree, &j->nodes, j->p->work_limit, j->p->deadline);
	j->timed |= why == 2;
	return why != 0;
}

/* A bound b on the objective is also a bound on the integer part minus the
 * walking term's most: the integer part is at least ceil(b - wmax), and the
 * walking at least wlb (every household to its nearest site). */
static double round_bound(const model_job *j, double b)
{
	if (!j->integral)
		return b;
	double n = ceil(b - j->wmax - 1e-7);
	if (j->nbound > n)
		n = j->nbound;
	double r = n + j->wlb;
	return r > b ? r : b;
}

static int within_gap(const model_job *j, double obj)
{
	return obj - j->bound <= j->p->mip_gap * sp_measure(j->s, obj) + 1e-9;
}

static void callback(glp_tree *tree, void *info)
{
	model_job *j = info;
	if (out_of_budget(tree, j))
		return;
	if (j->phase1) { /* stations only: GLPK rounds its integral bound itself */
		if (glp_ios_reason(tree) == GLP_IHEUR && !j->injected && !j->no_inject) {
			j->injected = 1;
			glp_ios_heur_sol(tree, j->x);
		}
		int b1 = glp_ios_best_node(tree);
		if (b1 && glp_ios_node_bound(tree, b1) > j->bound1)
			j->bound1 = glp_ios_node_bound(tree, b1);
		return;
	}
	if (glp_ios_reason(tree) == GLP_IBINGO)
		j->stall_at = j->nodes;
	if (!j->integral && j->c->generated && j->nodes - j->stall_at > MODEL_MD_STALL) {
		glp_ios_terminate(tree); /* walk.c takes the plan further */
		return;
	}
	int best = glp_ios_best_node(tree);
	if (best) {
		double b = glp_ios_node_bound(tree, best);
		if (b > j->bound)
			j->bound = b;
	}
	/* GLPK's own gap (best active node against the incumbent), as a bound */
	glp_prob *P = glp_ios_get_prob(tree);
	if (glp_mip_status(P) == GLP_FEAS || glp_mip_status(P) == GLP_OPT) {
		double g = glp_ios_mip_gap(tree), obj = glp_mip_obj_val(P);
		double b = obj - g * (fabs(obj) + DBL_EPSILON);
		if (g < DBL_MAX / 2 && b > j->bound)
			j->bound = b;
		j->bound = round_bound(j, j->bound);
		if (within_gap(j, obj)) {
			glp_ios_terminate(tree);
			return;
		}
	}
	j->bound = round_bound(j, j->bound);
	if (glp_ios_reason(tree) == GLP_IHEUR && !j->injected && !j->no_inject) {
		j->injected = 1;
		glp_ios_heur_sol(tree, j->x);
	}
}

typedef struct lp_rank {
	double x, cost;
	size_t col;
} lp_rank;

static int cmp_rank(const void *a, const void *b)
{
	const lp_rank *x = a, *y = b;
	/* x decreasing, then cost, then column */
	return order_by(ORDER_CMP(y->x, x->x), ORDER_CMP(x->cost, y->cost),
	                ORDER_CMP(x->col, y->col));
}

/* LP rounding: take columns by falling LP value while they fit (parts left,
 * existing site still free), let the heuristic place the rest and improve
 * the whole; keep it as incumbent when cheaper. -1 on ENOMEM. */
static int lp_round(model_job *j, glp_prob *P)
{
	const sp_sub *s = j->s;
	const sp_cols *c = j->c;
	int rc = -1;
	lp_rank *rk = malloc((c->n + 1) * sizeof(lp_rank));
	int *rem = malloc((size_t)(s->nu + s->ns + 1) * sizeof(int)); /* also shared sites */
	unsigned char *used = calloc((size_t)s->ns + 1, 1);
	sp_sol sol = {0};
	size_t nr = 0;
	if (!rk || !rem || !used)
		goto out;
	for (size_t q = 0; q < c->n; q++) {
		double x = glp_get_col_prim(P, (int)q + 1);
		if (x > 1e-6)
			rk[nr++] = (lp_rank){x, c->cost[q], q};
	}
	qsort(rk, nr, sizeof(lp_rank), cmp_rank);
	for (int u = 0; u < s->nu; u++)
		rem[u] = s->k[u];
	for (size_t i = 0; i < nr; i++) {
		size_t q = rk[i].col;
		int ok = !used[c->site[q]]; /* one station per site */
		for (size_t e = c->start[q]; e < c->start[q + 1] && ok; e++)
			ok = rem[c->unit[e]] > 0;
		if (!ok)
			continue;
		for (size_t e = c->start[q]; e < c->start[q + 1]; e++)
			rem[c->unit[e]]--;
		used[c->site[q]] = 1;
		if (sp_sol_add(&sol, c->site[q], c->unit + c->start[q],
		               (int)(c->start[q + 1] - c->start[q]), s) < 0)
			goto out;
	}
	if (heur_improve(s, j->p, j->heur_s, &sol) < 0)
		goto out;
	/* a plan sharing a site (no free site was left for a unit) is no plan;
	 * a station whose set has no column at its site: kept, not injected */
	double obj = sp_sol_cost(s, j->p, &sol);
	int fits = 1;
	int nshared = sp_sol_shared(s, &sol, rem);
	if (nshared != 0) {
		rc = nshared > 0 ? 0 : -1;
		goto out;
	}
	double *x = calloc(c->n + 1, sizeof(double));
	if (!x)
		goto out;
	for (int i = 0; i < sol.n && fits; i++) {
		long col = cluster_find(s, c, &sol.st[i]);
		if (col < 0 || x[col + 1] + 1 > c->ub[col])
			fits = 0;
		else
			x[col + 1] += 1;
	}
	if (obj < j->inc_obj - 1e-9) {
		if (fits)
			memcpy(j->x, x, (c->n + 1) * sizeof(double));
		j->inc_obj = obj;
		j->no_inject = !fits;
		j->dived = 0;
		sp_sol_free(&j->lpinc);
		j->lpinc = sol;
		j->have_lpinc = 1;
		memset(&sol, 0, sizeof(sol));
	}
	free(x);
	rc = 0;
out:
	sp_sol_free(&sol);
	free(rk);
	free(rem);
	free(used);
	return rc;
}

/* LP diving: fix the largest fractional column up and re-solve (warm
 * start), undo a fix that makes the LP infeasible by fixing that column down,
 * until the LP is integral; that solution becomes the incumbent when it is
 * cheaper. Bounds and the LP optimum are restored afterwards. Returns 0, or
 * -1 when the LP could not be re-solved. */
static int lp_dive(model_job *j, glp_prob *P, const glp_smcp *sm)
{
	const sp_cols *c = j->c;
	double t0 = clock_now_s();
	int found = 0, rc = 0;
	for (int iter = 0; iter < 4 * (int)j->s->nu + 20; iter++) {
		if ((j->p->work_limit == 0 && (clock_now_s() - t0) > j->heur_s) ||
		    to_deadline(j->p) <= 0)
			break;
		int pick = 0;
		double px = 0;
		for (size_t q = 0; q < c->n; q++) {
			double x = glp_get_col_prim(P, (int)q + 1);
			double f = x - floor(x);
			if (f > 1e-6 && f < 1 - 1e-6 && (pick == 0 || f > px)) {
				pick = (int)q + 1;
				px = f;
			}
		}
		if (pick == 0) {
			found = glp_get_status(P) == GLP_OPT;
			break;
		}
		double x = glp_get_col_prim(P, pick);
		double ub = c->ub[pick - 1];
		glp_set_col_bnds(P, pick, ceil(x) >= ub ? GLP_FX : GLP_DB, ceil(x), ub);
		if (glp_simplex(P, sm) != 0 || glp_get_status(P) != GLP_OPT) {
			glp_set_col_bnds(P, pick, floor(x) <= 0 ? GLP_FX : GLP_DB, 0, floor(x));
			if (glp_simplex(P, sm) != 0 || glp_get_status(P) != GLP_OPT)
				break;
		}
	}
	if (found) {
		double obj = glp_get_obj_val(P);
		if (obj < j->inc_obj - 1e-9) {
			for (size_t q = 0; q < c->n; q++)
				j->x[q + 1] = round(glp_get_col_prim(P, (int)q + 1));
			j->inc_obj = obj;
			j->no_inject = 0;
			j->dived = 1;
		}
	}
	for (size_t q = 0; q < c->n; q++)
		glp_set_col_bnds(P, (int)q + 1, GLP_DB, 0, c->ub[q]);
	if (glp_simplex(P, sm) != 0 || glp_get_status(P) != GLP_OPT)
		rc = -1;
	return rc;
}

/* min_stations: the LP of the integer part alone (stations and penalties,
 * no walking) bounds it from below, and it is an integer: ceil of that LP
 * plus the least walking is a bound, often a station above the plain LP's.
 * The objective and the LP optimum are restored. -1 if the LP fails. */
static int station_bound(model_job *j, glp_prob *P, const glp_smcp *sm)
{
	const sp_cols *c = j->c;
	for (size_t q = 0; q < c->n; q++)
		glp_set_obj_coef(P, (int)q + 1, floor(c->cost[q] + 1e-9));
	if (glp_simplex(P, sm) != 0 || glp_get_status(P) != GLP_OPT)
		return -1;
	double b = ceil(glp_get_obj_val(P) - 1e-6) + j->wlb;
	if (b > j->bound)
		j->bound = b;
	j->nbound = ceil(glp_get_obj_val(P) - 1e-6);
	for (size_t q = 0; q < c->n; q++)
		glp_set_obj_coef(P, (int)q + 1, c->cost[q]);
	if (glp_simplex(P, sm) != 0 || glp_get_status(P) != GLP_OPT)
		return -1;
	return 0;
}

/* Branch-and-bound parameters shared by both searches: our numbering (no
 * presolver), pseudo-cost branching, best-bound backtracking, quiet. */
static void iocp_set(glp_iocp *io, model_job *j, double seconds)
{
	glp_init_iocp(io);
	io->msg_lev = GLP_MSG_OFF;
	io->presolve = GLP_OFF;
	/* pseudo-cost branching starts with a strong-branching pass that ignores
	 * tm_lim and the callback: only when there is time for it */
	io->br_tech = to_deadline(j->p) > 10.0 && j->c->n < 20000 ? GLP_BR_PCH : GLP_BR_DTH;
	io->bt_tech = GLP_BT_BLB;
	io->mip_gap = 0;          /* the gap is the callback's, on the measure (sp_measure) */
	if (j->p->work_limit > 0) /* work decides; the deadline is the safety net */
		seconds = to_deadline(j->p);
	if (seconds > to_deadline(j->p))
		seconds = to_deadline(j->p);
	io->tm_lim = seconds > 0.001 ? (int)(seconds * 1000.0) : 1;
	io->cb_func = callback;
	io->cb_info = j;
}

/* min_stations, lexicographically: first search stations + penalties alone
 * (an integer objective, which GLPK's pruning rounds), for `seconds`; the
 * best such plan becomes the incumbent if cheaper. When that search proves
 * its optimum N*, the row "integer part <= N*" is added, so the final search
 * and its LP bound only weigh walking among plans with exactly N* (the least) (any plan
 * with more costs at least N* + 1, above every plan with N*). Returns 0, -1
 * with j->err set when GLPK fails. */
static int stations_first(model_job *j, glp_prob *P, const glp_smcp *sm, double seconds)
{
	const sp_cols *c = j->c;
	int n = (int)c->n, rc = -1;
	double *fl = malloc(((size_t)n + 1) * sizeof(double));
	int *ind = malloc(((size_t)n + 1) * sizeof(int));
	if (!fl || !ind) {
		snprintf(j->err, j->errsize, "out of memory in the station search");
		goto out;
	}
	double ninc = 0;
	int known = j->inc_obj < DBL_MAX && !j->no_inject; /* j->x is a plan */
	for (int q = 0; q < n; q++) {
		fl[q + 1] = floor(c->cost[q] + 1e-9);
		ind[q + 1] = q + 1;
		glp_set_obj_coef(P, q + 1, fl[q + 1]);
		ninc += fl[q + 1] * j->x[q + 1];
	}
	if (glp_simplex(P, sm) != 0 || glp_get_status(P) != GLP_OPT) {
		snprintf(j->err, j->errsize, "glp_simplex: station LP failed");
		goto out;
	}
	glp_iocp io;
	iocp_set(&io, j, seconds);
	io.mip_gap = 0; /* integral objective: optimal is one station away */
	j->phase1 = 1;
	j->injected = 0;
	j->bound1 = glp_get_obj_val(P);
	j->ran_mip = 1;
	int ret = glp_intopt(P, &io), mst = glp_mip_status(P);
	j->phase1 = 0;
	j->injected = 0;
	if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EMIPGAP && ret != GLP_ESTOP) {
		snprintf(j->err, j->errsize, "glp_intopt: return %d, status %d", ret, mst);
		goto out;
	}
	double nstar = ninc, nlb = ceil(j->bound1 - 1e-6);
	if (mst == GLP_OPT || mst == GLP_FEAS) {
		nstar = floor(glp_mip_obj_val(P) + 0.5);
		known = 1;
		double full = 0;
		for (int q = 0; q < n; q++)
			full += c->cost[q] * round(glp_mip_col_val(P, q + 1));
		if (full < j->inc_obj - 1e-9) {
			for (int q = 0; q < n; q++)
				j->x[q + 1] = round(glp_mip_col_val(P, q + 1));
			j->inc_obj = full;
			j->no_inject = 0;
			j->dived = 1;
		}
		if (mst == GLP_OPT && ret == 0)
			nlb = nstar;
	}
	if (nlb > j->nbound)
		j->nbound = nlb;
	j->bound = round_bound(j, j->bound);
	for (int q = 0; q < n; q++)
		glp_set_obj_coef(P, q + 1, c->cost[q]);
	if (known && j->nbound >= nstar) { /* N* proven: weigh walking among N* plans */
		int row = glp_add_rows(P, 1);
		glp_set_row_bnds(P, row, GLP_FX, nstar, nstar);
		glp_set_mat_row(P, row, n, ind, fl);
	}
	if (glp_simplex(P, sm) != 0 || glp_get_status(P) != GLP_OPT) {
		snprintf(j->err, j->errsize, "glp_simplex: LP after the station search failed");
		goto out;
	}
	if (known && j->nbound >= nstar && glp_get_obj_val(P) > j->bound)
		j->bound = glp_get_obj_val(P);
	rc = 0;
out:
	free(fl);
	free(ind);
	return rc;
}

/* min_distance: 1 when the dive found a plan cheaper than the round's
 * incumbent (j->x) that shares a site not held by an existing station, 0
 * when not, -1 on ENOMEM. Such a plan becomes one only once those sites
 * are packed (model_solve's next round); the search, started first, would
 * spend the round's time: on a dense 1,000-community core the dive's plan
 * had 99 underfilled stations, the search over the penalised objective
 * found nothing better than the LP rounding's 101 in 1,800 nodes (2 s),
 * and no time was left for the round that packs the dive's sites. */
static int dive_shares(const model_job *j)
{
	if (!j->dived)
		return 0;
	const sp_sub *s = j->s;
	sp_sol got = {0};
	int *shared = malloc(((size_t)s->ns + 1) * sizeof(int));
	int n = -1, free_site = 0;
	if (shared && model_sol_from_values(s, j->c, j->x + 1, &got) == 0)
		n = sp_sol_shared(s, &got, shared);
	for (int i = 0; i < n; i++)
		free_site |= !s->fixed[shared[i]];
	sp_sol_free(&got);
	free(shared);
	return n < 0 ? -1 : free_site;
}

static int run_model(void *arg)
{
	model_job *j = arg;
	const sp_sub *s = j->s;
	const sp_cols *c = j->c;
	glp_prob *P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MIN);
	glp_add_rows(P, s->nu + j->nfixed + j->npacked);
	for (int u = 0; u < s->nu; u++)
		glp_set_row_bnds(P, u + 1, GLP_FX, s->k[u], s->k[u]);
	for (int q = 0; q < s->ns; q++)
		if (j->srow[q])
			glp_set_row_bnds(P, j->srow[q], s->fixed[q] ? GLP_FX : GLP_UP, 1,
			                 s->fixed[q] ? 1 : j->scap[q]);
	glp_add_cols(P, (int)c->n);
	size_t nz = 0;
	for (size_t q = 0; q < c->n; q++) {
		int col = (int)q + 1;
		if (c->ub[q] == 1)
			glp_set_col_kind(P, col, GLP_BV);
		else {
			glp_set_col_kind(P, col, GLP_IV);
			glp_set_col_bnds(P, col, GLP_DB, 0, c->ub[q]);
		}
		glp_set_obj_coef(P, col, c->cost[q]);
		for (size_t e = c->start[q]; e < c->start[q + 1]; e++) {
			nz++;
			j->ia[nz] = c->unit[e] + 1;
			j->ja[nz] = col;
			j->ar[nz] = 1;
		}
		int site = c->site[q];
		if (j->srow[site]) { /* K x_c, or 1 for a part of a short unit alone */
			int alone =
			    c->start[q + 1] - c->start[q] == 1 && sp_short(s, c->unit[c->start[q]]);
			nz++;
			j->ia[nz] = j->srow[site];
			j->ja[nz] = col;
			j->ar[nz] = s->fixed[site] || alone ? 1 : j->scap[site];
		}
	}
	glp_load_matrix(P, (int)nz, j->ia, j->ja, j->ar);

	double t0 = clock_now_s();
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.presolve = GLP_OFF;
	{ /* every simplex within the run's deadline (work_limit: that alone) */
		double lim = j->p->work_limit > 0 ? to_deadline(j->p) : j->seconds;
		if (lim > to_deadline(j->p))
			lim = to_deadline(j->p);
		sm.tm_lim = lim > 0.001 ? (int)(lim * 1000.0) : 1;
	}
	int ret = glp_simplex(P, &sm);
	if (ret == 0 && glp_get_status(P) == GLP_NOFEAS && j->npacked > 0) {
		glp_delete_prob(P); /* the site rows leave no plan */
		return 2;
	}
	if (ret != 0 || glp_get_status(P) != GLP_OPT) {
		/* no LP bound: keep the incumbent, report it unproven */
		snprintf(j->err, j->errsize, "glp_simplex: return %d, status %d", ret,
		         glp_get_status(P));
		glp_delete_prob(P);
		return ret == GLP_ETMLIM ? 1 : -1;
	}
	j->lp = glp_get_obj_val(P);
	j->bound = round_bound(j, j->lp);
	/* past the deadline no further step starts; an LP stopped by it is no
	 * failure, only the end of the work */
	if (j->integral && station_bound(j, P, &sm) < 0) {
		glp_delete_prob(P);
		if (to_deadline(j->p) <= 0)
			return j->timed = 1, 0;
		snprintf(j->err, j->errsize, "glp_simplex: station LP failed");
		return -1;
	}
	if (!within_gap(j, j->inc_obj) && to_deadline(j->p) > 0 && lp_round(j, P) < 0) {
		snprintf(j->err, j->errsize, "out of memory rounding the LP");
		glp_delete_prob(P);
		return -2;
	}
	if (!within_gap(j, j->inc_obj) && to_deadline(j->p) > 0 && lp_dive(j, P, &sm) < 0) {
		glp_delete_prob(P);
		if (to_deadline(j->p) <= 0)
			return j->timed = 1, 0;
		snprintf(j->err, j->errsize, "glp_simplex: LP not restored after diving");
		return -1;
	}
	if (within_gap(j, j->inc_obj)) {
		glp_delete_prob(P);
		return 0;
	}
	int sh = j->integral ? 0 : dive_shares(j);
	if (sh != 0) { /* its sites packed first: model_solve's next round */
		glp_delete_prob(P);
		if (sh < 0)
			snprintf(j->err, j->errsize, "out of memory reading the dive's plan");
		return sh < 0 ? -2 : 0;
	}
	if (to_deadline(j->p) <= 0) {
		glp_delete_prob(P);
		return j->timed = 1, 0;
	}
	double left = j->seconds - (clock_now_s() - t0);
	if (j->integral) {
		int r1 = stations_first(j, P, &sm, 0.5 * left);
		if (r1 < 0) {
			glp_delete_prob(P);
			if (to_deadline(j->p) <= 0)
				return j->timed = 1, 0;
			return -1;
		}
		if (within_gap(j, j->inc_obj) || to_deadline(j->p) <= 0) {
			j->timed |= to_deadline(j->p) <= 0;
			glp_delete_prob(P);
			return 0;
		}
		left = j->seconds - (clock_now_s() - t0);
	}
	glp_iocp io;
	iocp_set(&io, j, left);
	j->ran_mip = 1;
	j->stall_at = j->nodes;
	ret = glp_intopt(P, &io);
	int mst = glp_mip_status(P);
	if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EMIPGAP && ret != GLP_ESTOP) {
		snprintf(j->err, j->errsize, "glp_intopt: return %d, status %d", ret, mst);
		glp_delete_prob(P);
		return -1;
	}
	if (mst == GLP_OPT || mst == GLP_FEAS) {
		j->obj = glp_mip_obj_val(P);
		for (size_t q = 0; q < c->n; q++)
			j->val[q] = glp_mip_col_val(P, (int)q + 1);
		j->have_sol = 1;
		/* stopped by the gap test: GLPK's bound was within mip_gap then */
		if (ret == GLP_EMIPGAP) {
			double b = j->obj - j->p->mip_gap * (fabs(j->obj) + DBL_EPSILON);
			if (b > j->bound)
				j->bound = b;
		}
		if (mst == GLP_OPT && ret == 0) {
			j->optimal = 1;
			if (j->obj > j->bound)
				j->bound = j->obj;
		}
	}
	glp_delete_prob(P);
	return 0;
}

int model_sol_from_values(const sp_sub *s, const sp_cols *c, const double *val, sp_sol *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t q = 0; q < c->n; q++) {
		long v = lround(val[q]);
		for (long t = 0; t < v; t++)
			if (sp_sol_add(out, c->site[q], c->unit + c->start[q],
			               (int)(c->start[q + 1] - c->start[q]), s) < 0)
				return -1;
	}
	sp_sol_sort(out);
	return 0;
}

static void job_free(model_job *j)
{
	sp_sol_free(&j->lpinc);
	free(j->ia);
	free(j->ja);
	free(j->ar);
	free(j->srow);
	free(j->scap);
	free(j->x);
	free(j->val);
}

/* One model over the current columns and packed sites, with `inc` (a plan
 * with one station per site, or NULL) as incumbent. Returns what run_model
 * does, -2 on ENOMEM (res->err set). */
static int model_round(model_job *j, sp_cols *c, const sp_sol *inc, sp_result *res)
{
	const sp_sub *s = j->s;
	for (int i = 0; inc && i < inc->n; i++)
		if (cluster_add(s, j->p, c, &inc->st[i]) < 0)
			goto nomem;
	size_t nz = c->nnz + 2 * c->n + 1;
	j->ia = malloc(nz * sizeof(int));
	j->ja = malloc(nz * sizeof(int));
	j->ar = malloc(nz * sizeof(double));
	j->srow = calloc((size_t)s->ns + 1, sizeof(int));
	j->scap = malloc(((size_t)s->ns + 1) * sizeof(double));
	j->x = calloc(c->n + 1, sizeof(double));
	j->val = calloc(c->n + 1, sizeof(double));
	if (!j->ia || !j->ja || !j->ar || !j->srow || !j->scap || !j->x || !j->val)
		goto nomem;
	for (int q = 0; q < s->ns; q++)
		j->scap[q] = 1;
	for (int u = 0; u < s->nu; u++)
		for (size_t e = s->us[u]; e < s->us[u + 1] && sp_short(s, u); e++)
			if (s->k[u] > j->scap[s->usite[e]])
				j->scap[s->usite[e]] = s->k[u];
	int row = s->nu;
	for (int q = 0; q < s->ns; q++)
		if (s->fixed[q] || c->packed[q]) {
			j->srow[q] = ++row;
			j->nfixed += s->fixed[q];
			j->npacked += !s->fixed[q];
		}
	j->inc_obj = DBL_MAX;
	j->no_inject = 1;
	if (inc) {
		j->inc_obj = 0;
		j->no_inject = 0;
		for (int i = 0; i < inc->n; i++) {
			long col = cluster_find(s, c, &inc->st[i]);
			j->x[col + 1] += 1;
			j->inc_obj += c->cost[col];
			if (j->x[col + 1] > c->ub[col])
				j->no_inject = 1;
		}
	}
	res->ncols = c->n;
	res->nrows = (size_t)row;
	return glpk_bridge_call(run_model, j, res->err, sizeof(res->err));
nomem:
	snprintf(res->err, sizeof(res->err), "out of memory building the model");
	return -2;
}

/* The plans a round found (the search's, the dive's or phase one's, the
 * rounded LP's), cheapest first is not needed: each is weighed alone. One
 * with a station per site and cheaper than `best` replaces it; one that
 * shares sites and is cheaper adds those sites to pack[]. Returns 0, -1 on
 * ENOMEM. */
static int round_plans(const sp_sub *s, const sp_params *p, const sp_cols *c, model_job *j,
                       sp_sol *best, double *best_obj, int *best_ok, int *pack, int *npack)
{
	int *shared = malloc((size_t)(s->ns + 1) * sizeof(int));
	if (!shared)
		return -1;
	for (int k = 0; k < 3; k++) {
		sp_sol got = {0};
		if (k == 0 && j->have_sol) {
			if (model_sol_from_values(s, c, j->val, &got) < 0)
				goto nomem;
		} else if (k == 1 && (j->dived || (!j->no_inject && j->inc_obj < DBL_MAX))) {
			if (model_sol_from_values(s, c, j->x + 1, &got) < 0)
				goto nomem;
		} else if (k == 2 && j->have_lpinc) {
			got = j->lpinc;
			memset(&j->lpinc, 0, sizeof(j->lpinc));
			j->have_lpinc = 0;
		} else {
			continue;
		}
		double o = sp_sol_cost(s, p, &got);
		int n = sp_sol_shared(s, &got, shared);
		if (n < 0) {
			sp_sol_free(&got);
			goto nomem;
		}
		if (n == 0 && (o < *best_obj - 1e-9 || !*best_ok)) {
			sp_sol_free(best);
			*best = got;
			*best_obj = o;
			*best_ok = 1;
			continue;
		}
		if (n > 0 && (o < *best_obj - 1e-9 || !*best_ok))
			for (int i = 0; i < n; i++)
				if (!s->fixed[shared[i]])
					pack[(*npack)++] = shared[i];
		sp_sol_free(&got);
	}
	free(shared);
	return 0;
nomem:
	free(shared);
	return -1;
}

int model_solve(sp_sub *s, const sp_params *p, sp_cols *c, const sp_sol *inc, double seconds,
                sp_result *res)
{
	int rc = -1;
	double t0 = clock_now_s();
	sp_sol best = {0};
	int *pack = malloc((size_t)(3 * s->ns + 1) * sizeof(int));
	int *shared = malloc((size_t)(s->ns + 1) * sizeof(int));
	res->err[0] = '\0';
	if (!pack || !shared || sp_sol_copy(&best, inc) < 0) {
		snprintf(res->err, sizeof(res->err), "out of memory building the model");
		goto out;
	}
	double best_obj = sp_sol_cost(s, p, &best);
	int best_ok = sp_sol_shared(s, &best, shared) == 0;
	double bound = -INFINITY, wlb = 0, wmax = 0;
	for (int u = 0; u < s->nu; u++) {
		double dmin = s->udist[s->us[u]], dmax = dmin; /* sorted by distance */
		if (s->us[u + 1] > s->us[u])
			dmax = s->udist[s->us[u + 1] - 1];
		wlb += (double)s->h[u] * dmin / s->dscale;
		wmax += (double)s->h[u] * dmax / s->dscale;
	}
	const char *status = "feasible";
	for (int round = 0;; round++) {
		double left = seconds - (clock_now_s() - t0);
		if (round > 0 && (to_deadline(p) <= 0 || (p->work_limit == 0 && left < 0.05)))
			break; /* out of time: the best plan with one station per site */
		if (left < 0.05)
			left = 0.05;
		model_job j = {.s = s,
		               .p = p,
		               .c = c,
		               .seconds = left,
		               .err = res->err,
		               .errsize = sizeof(res->err),
		               .integral = p->objective == OBJECTIVE_MIN_STATIONS,
		               .wlb = wlb,
		               .wmax = wmax,
		               .heur_s = p->work_limit > 0 ? to_deadline(p) : 0.1 * left};
		int r = model_round(&j, c, best_ok ? &best : NULL, res);
		if (r < 0) {
			job_free(&j);
			goto out;
		}
		res->err[0] = '\0';
		if (r == 2 && !s->stack) { /* no plan with one station per site */
			job_free(&j);
			s->stack = 1;
			for (size_t q = 0; q < c->n; q++) /* a part alone may stack: k times */
				if (c->start[q + 1] - c->start[q] == 1)
					c->ub[q] = s->k[c->unit[c->start[q]]];
			bound = -INFINITY; /* earlier bounds were of the stricter problem */
			best_ok = sp_sol_shared(s, &best, shared) == 0;
			continue;
		}
		if (r == 2) {
			job_free(&j);
			snprintf(res->err, sizeof(res->err), "glp_simplex: no feasible plan");
			goto out;
		}
		if (r == 1) { /* LP not solved in time: no bound from this round */
			job_free(&j);
			if (round == 0)
				status = "time_limit";
			break;
		}
		if (j.bound > bound)
			bound = j.bound;
		if (j.timed)
			status = "time_limit";
		int npack = 0;
		if (round_plans(s, p, c, &j, &best, &best_obj, &best_ok, pack, &npack) < 0) {
			job_free(&j);
			snprintf(res->err, sizeof(res->err), "out of memory reading the plan");
			goto out;
		}
		job_free(&j);
		if (best_ok && best_obj - bound <= p->mip_gap * sp_measure(s, best_obj) + 1e-9) {
			status = "optimal";
			break;
		}
		if (j.timed)
			break;
		if (npack == 0) /* the search stopped short: nothing left to forbid */
			break;
		int added = cluster_pack(s, p, c, pack, npack);
		if (added < 0) {
			snprintf(res->err, sizeof(res->err), "out of memory adding site rows");
			goto out;
		}
		if (added == 0)
			break;
	}
	res->sol = best;
	memset(&best, 0, sizeof(best));
	res->bound = bound;
	snprintf(res->status, sizeof(res->status), "%s", status);
	rc = 0;
out:
	sp_sol_free(&best);
	free(pack);
	free(shared);
	return rc;
}
