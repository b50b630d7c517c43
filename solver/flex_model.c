/*
 * flex_model.c: the exact model of flexible splitting for a sub-problem
 * whose stations can be listed.
 *
 * With flexible splitting a unit over households_max may be served by any
 * stations in reach with any integer shares, each station within the band.
 * A station is then a pattern: a site, the whole units W it serves and the
 * split units S it takes a share of. Which shares make the pattern feasible
 * is a flow, not a choice of columns: given the patterns taken, the shares
 * exist iff the transportation system
 *
 *   sum_{c : u in S_c} sigma_cu = h_u              (every split unit u)
 *   hmin <= h(W_c) + sum_{u in S_c} sigma_cu <= hmax   (every station c)
 *
 * has a solution, and its matrix (each sigma in one unit row and one
 * station row) is totally unimodular, so integer data give integer shares.
 * The model therefore takes binary pattern columns x_c and continuous
 * shares sigma_cu:
 *
 *   min  sum_c cost_c x_c + sum_{c,u} d(site_c, u) / dscale * sigma_cu
 *   s.t. sum_{c : u in W_c} x_c = 1                 (whole unit u)
 *        sum_{c : u in S_c} sigma_cu = h_u          (split unit u)
 *        sum_u sigma_cu - (hmax - h(W_c)) x_c <= 0  (station c, S_c not empty)
 *        sum_u sigma_cu - (hmin - h(W_c)) x_c >= 0  (band columns)
 *        sum_{c at site j} x_c <= 1 (= 1 at an existing station)
 *
 * Every pattern of every site is listed (a split unit counts one household,
 * the least share), in two variants when its load may fall on both sides of
 * households_min: within the band (cost 1 for min_stations, 0 for
 * min_distance) and underfilled (plus the penalty unless the site is
 * isolated). A share of zero is allowed and dropped from the plan (the
 * pattern without that unit is listed too), so the model is exact: its
 * optimum is the best plan under flexible splitting, its branch-and-bound
 * bound a valid bound for the sub-problem.
 *
 * Search, min_stations: first stations + penalties alone (integer
 * coefficients on x, none on sigma: an integral objective whose bound is
 * rounded up), the plan of flex.c injected as incumbent; after the root LP
 * a feasibility pump (pump()) looks for a plan a station better, then a
 * RINS sub-MIP (rins()) among the patterns the LP uses or nearly prices
 * out, then the full search starts from the best plan; then the row "integer part <= N*" and the
 * walking added, the first plan injected, until FM_WALK_NODES nodes bring no better plan.
 * min_distance: one search on the whole objective. Each search is stopped from its callback at the
 * deadline or past solver.work_limit nodes. The shares are read back rounded and, where rounding
 * left a unit short or over, moved to stations with room (exact in practice: the simplex ends on an
 * integer vertex).
 *
 * Measured (issue 11, 2 cores shared, load 4-5): the demo's 89-community
 * component (three units over the maximum) lists 13,245 patterns and 3,009
 * shares; LP 44.24; flex.c's plan has 46 stations, RINS finds 45 in 134
 * nodes and the full search proves it at its root (it took 330 nodes and
 * 20 s without RINS). The same city with exclusion zones: 10,324 patterns,
 * LP 43.99, 45 found by RINS and proven (without RINS 46 against 45 after
 * 400 s; CBC 2.10 finds 45 at its root by a feasibility pump and a small
 * sub-MIP, which is what led here). With the pump (issue 11, second
 * round; load 3-4): the demo's component finds 45 in its 18th round and
 * the run proves 53 urban stations in 5.5 s (48 s and 54 before, at the
 * time limit); the demo with a band of 500-1,000 proves its 15-unit part
 * at 33 (CBC's optimum; 34 at the time limit before), in the 23rd round.
 */
#include "solver_int.h"
#include "grow.h"
#include "glpk_int.h"
#include "clock.h"

#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Branch-and-bound nodes without a better plan or bound after which a
 * search stops (counted, so where it stops does not depend on the
 * machine): on the demo the plan of 45 stations came after about 330 nodes
 * of the injected 46 (a stall of 300 lost it); the exclusion fixture ran
 * 930 nodes in a minute without closing. */
#define FM_STALL 1000

/* Patterns past which the model is not built (column generation bounds
 * the sub instead): the demo city with walk_distance_m = 1500 lists 81,042,
 * whose first simplex alone ran past a minute; the bench cities' largest
 * part lists 18,632. */
#define FM_MAX_PATTERNS 40000

/* Rounds of the feasibility pump and the patterns flipped when it cycles
 * (pump()). */
#define FM_FP_ITERS   30
#define FM_FP_FLIP    10
#define FM_FP_RESTART 10

/* Nodes of the RINS sub-MIP (rins()). */
#define FM_RINS_NODES 300

/* The walking search among the fewest stations stops this many nodes after
 * its last better plan, or at ten times as many (counted, so the plan does
 * not depend on the machine; a quarter of the time is the safety net): the
 * demo runs 30-50 nodes per second. */
#define FM_WALK_NODES 50

typedef struct fm_col {
	int site;     /* local */
	int n0, n;    /* members: mem[n0 .. n0 + n), ascending */
	long hw;      /* households of the whole members */
	int under;    /* 1: the underfilled variant (no lower row) */
	double cost;  /* integer part: 1 per station (min_stations) + penalty */
	double wcost; /* walking of the whole members / dscale */
	int sig0;     /* first GLPK column of its shares (1-based), 0 if none */
	int lorow, hirow;
} fm_col;

typedef struct fm {
	const sp_sub *s;
	const sp_params *p;
	double seconds;
	fm_col *col;
	int ncol, capcol;
	int *mem;
	int nmem, capmem;
	int nsig;
	long visited, max_visit;
	size_t max_cols;
	int *cur;
	/* the search */
	double *x; /* incumbent, 1-based over every GLPK column */
	int have_inc, injected;
	int phase1;
	double bound, t_end;
	long nodes;
	long stall_at;   /* node of the last incumbent or bound gain */
	long walk_at;    /* node of the last incumbent gain */
	double seen_obj; /* incumbent value seen at that node */
	int timed, stopped;
	int have_sol;
	double obj, wlb;
	char *err;
	size_t errsize;
} fm;

static int split_unit(const sp_sub *s, int u)
{
	return s->k[u] > 1;
}

static int push_col(fm *m, int site, int depth, long hw, int under, double cost, double wcost)
{
	if (m->ncol == m->capcol) {
		int cap = m->capcol ? 2 * m->capcol : 1024;
		fm_col *nc = realloc(m->col, (size_t)cap * sizeof(fm_col));
		if (!nc)
			return -1;
		m->col = nc;
		m->capcol = cap;
	}
	if (m->nmem + depth > m->capmem) {
		int cap = m->capmem ? 2 * m->capmem : 4096;
		while (cap < m->nmem + depth)
			cap *= 2;
		int *nm = realloc(m->mem, (size_t)cap * sizeof(int));
		if (!nm)
			return -1;
		m->mem = nm;
		m->capmem = cap;
	}
	if (depth > 0) /* a pattern with no unit: m->mem may still be NULL */
		memcpy(m->mem + m->nmem, m->cur, (size_t)depth * sizeof(int));
	m->col[m->ncol++] = (fm_col){.site = site,
	                             .n0 = m->nmem,
	                             .n = depth,
	                             .hw = hw,
	                             .under = under,
	                             .cost = cost,
	                             .wcost = wcost};
	m->nmem += depth;
	return 0;
}

/* The variants of pattern cur[0..depth) at site j (see the top). 0, 1 too
 * many, -1 on ENOMEM. */
static int offer(fm *m, int j, int depth, long hw, int nsplit, long hsplit, double wd)
{
	const sp_sub *s = m->s;
	const sp_params *p = m->p;
	if (depth == 0 && !s->fixed[j])
		return 0;
	long least = hw + nsplit, most = hw + hsplit;
	if (most > p->hmax)
		most = p->hmax;
	double base = p->objective == OBJECTIVE_MIN_STATIONS ? 1.0 : 0.0;
	double pen = sp_isolated(s, p, j) ? 0.0 : s->penalty;
	if (!rules_band_under(sp_band(p), most) &&
	    push_col(m, j, depth, hw, 0, base, wd / s->dscale) < 0)
		return -1;
	if (rules_band_under(sp_band(p), least) &&
	    push_col(m, j, depth, hw, 1, base + pen, wd / s->dscale) < 0)
		return -1;
	return (size_t)m->ncol > m->max_cols ? 1 : 0;
}

static int dfs(fm *m, int j, int depth, size_t from, long hw, int nsplit, long hsplit, double wd)
{
	const sp_sub *s = m->s;
	if (++m->visited > m->max_visit)
		return 1;
	int rc = offer(m, j, depth, hw, nsplit, hsplit, wd);
	if (rc)
		return rc;
	for (size_t q = from; q < s->ss[j + 1]; q++) {
		int u = s->sunit[q];
		int sp = split_unit(s, u);
		long least = hw + nsplit + (sp ? 1 : s->h[u]);
		if (rules_band_over(sp_band(m->p), least))
			continue;
		m->cur[depth] = u;
		rc = sp ? dfs(m, j, depth + 1, q + 1, hw, nsplit + 1, hsplit + s->h[u], wd)
		        : dfs(m, j, depth + 1, q + 1, hw + s->h[u], nsplit, hsplit,
		              wd + (double)s->h[u] * s->sdist[q]);
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- the incumbent: a plan's stations as columns and shares ---- */

/* Column of station st (members and shares as given) at its site, the
 * variant matching its load; -1 if none. */
static int find_col(const fm *m, int site, const int *u, int n, long load)
{
	int under = rules_band_under(sp_band(m->p), load);
	for (int c = 0; c < m->ncol; c++) {
		const fm_col *fc = &m->col[c];
		if (fc->site != site || fc->n != n || fc->under != under)
			continue;
		if (n == 0 || memcmp(m->mem + fc->n0, u, (size_t)n * sizeof(int)) == 0)
			return c;
	}
	return -1;
}

/* j->x from plan `inc` (equal parts where it has no shares); 0 when some
 * station has no column (then nothing is injected), -1 on ENOMEM. */
static int inc_values(fm *m, const sp_sol *inc)
{
	const sp_sub *s = m->s;
	int *occ = calloc((size_t)s->nu + 1, sizeof(int));
	if (!occ)
		return -1;
	int ok = 1;
	for (int t = 0; t < inc->n && ok; t++) {
		const sp_station *st = &inc->st[t];
		long load = 0;
		for (int i = 0; i < st->n; i++)
			load += st->sh ? st->sh[i] : s->h[st->u[i]] / s->k[st->u[i]];
		int c = find_col(m, st->site, st->u, st->n, st->sh ? load : st->lo);
		if (c < 0 || m->x[c + 1] > 0.5) {
			ok = 0;
			break;
		}
		m->x[c + 1] = 1;
		int g = m->col[c].sig0;
		for (int i = 0; i < st->n; i++) {
			int u = st->u[i];
			if (!split_unit(s, u))
				continue;
			long sh =
			    st->sh ? st->sh[i] : s->h[u] / s->k[u] + (occ[u] < s->h[u] % s->k[u]);
			occ[u]++;
			m->x[g++] = (double)sh;
		}
	}
	free(occ);
	return ok;
}

/* ---- the search ---- */

static void callback(glp_tree *tree, void *info)
{
	fm *m = info;
	int why = glpk_bridge_budget(tree, &m->nodes, m->p->work_limit, m->t_end);
	if (why) {
		m->timed = why == 2;
		m->stopped = 1;
		return;
	}
	int best = glp_ios_best_node(tree);
	if (best) {
		double b = glp_ios_node_bound(tree, best);
		if (m->phase1)
			b = ceil(b - 1e-6);
		if (b > m->bound) {
			m->bound = b;
			m->stall_at = m->nodes;
		}
	}
	glp_prob *P = glp_ios_get_prob(tree);
	if (glp_mip_status(P) == GLP_FEAS && glp_mip_obj_val(P) < m->seen_obj - 1e-9) {
		m->seen_obj = glp_mip_obj_val(P);
		m->stall_at = m->nodes;
		m->walk_at = m->nodes;
	}
	if (!m->phase1 && m->p->objective == OBJECTIVE_MIN_STATIONS &&
	    (m->nodes - m->walk_at > FM_WALK_NODES || m->nodes > 10 * FM_WALK_NODES)) {
		m->stopped = 1;
		glp_ios_terminate(tree);
		return;
	}
	if (m->nodes - m->stall_at > FM_STALL) { /* no gain for long: column
		                                   generation bounds the rest */
		m->stopped = 1;
		glp_ios_terminate(tree);
		return;
	}
	if (glp_mip_status(P) == GLP_FEAS || glp_mip_status(P) == GLP_OPT) {
		double obj = glp_mip_obj_val(P);
		if (m->phase1 ? obj - m->bound < 0.5
		              : obj - m->bound <= m->p->mip_gap * sp_measure(m->s, obj) + 1e-9) {
			glp_ios_terminate(tree);
			return;
		}
	}
	if (glp_ios_reason(tree) == GLP_IHEUR && m->have_inc && !m->injected) {
		m->injected = 1;
		glp_ios_heur_sol(tree, m->x);
	}
}

static void iocp_set(fm *m, glp_iocp *io)
{
	glpk_bridge_search_iocp(io, m->t_end, callback, m);
	/* measured on the demo's 89-community component: with Gomory, MIR and
	 * cover cuts the plan of 45 stations was found and proven within 330
	 * nodes; without them not in 1,300 */
	io->gmi_cuts = GLP_ON;
	io->mir_cuts = GLP_ON;
	io->cov_cuts = GLP_ON;
}

/* ---- RINS: the search around the incumbent and the LP ---- */

typedef struct rins_cb {
	fm *m;
	long nodes, cap;
	double t_end;
	int injected;
} rins_cb;

static void rins_callback(glp_tree *tree, void *info)
{
	rins_cb *r = info;
	if (glpk_bridge_budget(tree, &r->nodes, r->cap, r->t_end))
		return;
	if (glp_ios_reason(tree) == GLP_IHEUR && !r->injected) {
		r->injected = 1;
		glp_ios_heur_sol(tree, r->m->x);
	}
}

/* After the root LP of P (solved): a sub-MIP with every pattern fixed at 0
 * that the incumbent leaves out, the LP leaves at 0 and whose reduced cost
 * is above tau (RINS, Danna et al. 2005, with the near-zero reduced costs
 * kept). Returns 1 when it found a plan better than the incumbent (then in
 * m->x), 0 when not. */
static int rins_try(fm *m, glp_prob *P, const glp_smcp *sm, double tau, double t_end)
{
	glp_prob *Q = glp_create_prob();
	glp_copy_prob(Q, P, GLP_OFF);
	for (int c = 0; c < m->ncol; c++)
		if (m->x[c + 1] < 0.5 && glp_get_col_prim(P, c + 1) < 1e-6 &&
		    glp_get_col_dual(P, c + 1) > tau)
			glp_set_col_bnds(Q, c + 1, GLP_FX, 0.0, 0.0);
	double inc = 0;
	for (int c = 0; c < m->ncol; c++)
		inc += m->x[c + 1] * m->col[c].cost;
	int better = 0, ret = glp_simplex(Q, sm);
	if (ret == 0 && glp_get_status(Q) == GLP_OPT) {
		rins_cb r = {.m = m, .cap = FM_RINS_NODES, .t_end = t_end};
		if (m->p->work_limit > 0 && m->p->work_limit < r.cap)
			r.cap = m->p->work_limit;
		glp_iocp io;
		iocp_set(m, &io);
		io.cb_func = rins_callback;
		io.cb_info = &r;
		ret = glp_intopt(Q, &io);
		int mst = glp_mip_status(Q);
		if ((ret == 0 || ret == GLP_ESTOP || ret == GLP_ETMLIM) &&
		    (mst == GLP_OPT || mst == GLP_FEAS) && glp_mip_obj_val(Q) < inc - 0.5) {
			int n = glp_get_num_cols(Q);
			for (int q = 1; q <= n; q++)
				m->x[q] = glp_mip_col_val(Q, q);
			for (int c = 0; c < m->ncol; c++)
				m->x[c + 1] = round(m->x[c + 1]);
			better = 1;
		}
	}
	glp_delete_prob(Q);
	return better;
}

/* ---- the feasibility pump ---- */

/* Cost of the incumbent m->x in the integer part (stations + penalties). */
static double inc_cost(const fm *m)
{
	double inc = 0;
	for (int c = 0; c < m->ncol; c++)
		inc += m->x[c + 1] * m->col[c].cost;
	return inc;
}

/* After the root LP of P (solved, phase 1): a feasibility pump (Fischetti,
 * Glover and Lodi 2005, with the objective cut of Achterberg and Berthold
 * 2007) for a plan at least one station better than the incumbent: the
 * patterns rounded, the LP point nearest to the rounding (L1 distance over
 * the patterns, the shares free) within "integer part <= incumbent - 1"
 * found by the primal simplex from the last basis, again until the two
 * meet; a rounding seen at the last step has its FM_FP_FLIP patterns
 * farthest from the LP point flipped. At most FM_FP_ITERS rounds (counted,
 * so where it ends does not depend on the machine; the deadline is the
 * safety net), again from each plan found. Returns 1 when it found a plan
 * better than the incumbent (then in m->x), 0 when not, -1 on ENOMEM. */
static int pump(fm *m, glp_prob *P, const glp_smcp *sm0)
{
	double inc = m->have_inc ? inc_cost(m) : INFINITY;
	if (!isfinite(inc) || inc <= m->bound + 0.5)
		return 0;
	int nq = m->ncol;
	char *r = calloc((size_t)nq, 1);
	int *ri = malloc((size_t)(nq + 1) * sizeof(int));
	double *rv = malloc((size_t)(nq + 1) * sizeof(double));
	double *gap = malloc((size_t)nq * sizeof(double));
	int *ord = malloc((size_t)nq * sizeof(int));
	if (!r || !ri || !rv || !gap || !ord) {
		GROW_FREE(r, ri, rv, gap, ord);
		return -1;
	}
	glp_prob *Q = glp_create_prob();
	glp_copy_prob(Q, P, GLP_OFF);
	int ncols = glp_get_num_cols(Q);
	for (int q = 1; q <= ncols; q++)
		glp_set_obj_coef(Q, q, 0.0);
	int cut = glp_add_rows(Q, 1);
	for (int c = 0; c < nq; c++) {
		ri[c + 1] = c + 1;
		rv[c + 1] = m->col[c].cost;
	}
	glp_set_mat_row(Q, cut, nq, ri, rv);
	glp_set_row_bnds(Q, cut, GLP_UP, 0.0, inc - 1.0 + 1e-6);
	glp_smcp sm = *sm0;
	sm.meth = GLP_PRIMAL;
	int found = 0;
	/* the first point: the root LP's */
	for (int c = 0; c < nq; c++)
		gap[c] = glp_get_col_prim(P, c + 1);
	unsigned long long rng = 42;
	for (int it = 0; it < FM_FP_ITERS && clock_now_s() < m->t_end; it++) {
		int same = 1;
		for (int c = 0; c < nq; c++) {
			char v = gap[c] >= 0.5;
			same &= v == r[c];
			r[c] = v;
		}
		if (it > 0 && it % FM_FP_RESTART == 0) { /* perturb the LP's support */
			for (int c = 0; c < nq; c++) {
				rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
				double u = (double)(rng >> 11) / 9007199254740992.0 - 0.3;
				if ((gap[c] > 1e-9 || r[c]) && u > 0 &&
				    fabs(gap[c] - r[c]) + u > 0.5)
					r[c] = !r[c];
			}
		} else if (same && it > 0) { /* the last rounding again: flip the farthest */
			int n = 0;
			for (int c = 0; c < nq; c++)
				if (fabs(gap[c] - r[c]) > 1e-9)
					ord[n++] = c;
			for (int k = 0; k < FM_FP_FLIP && k < n; k++) { /* partial selection */
				int b = k;
				for (int t = k + 1; t < n; t++)
					if (fabs(gap[ord[t]] - r[ord[t]]) >
					    fabs(gap[ord[b]] - r[ord[b]]))
						b = t;
				int tmp = ord[k];
				ord[k] = ord[b];
				ord[b] = tmp;
				r[ord[k]] = !r[ord[k]];
			}
		}
		for (int c = 0; c < nq; c++)
			glp_set_obj_coef(Q, c + 1, r[c] ? -1.0 : 1.0);
		double left = m->t_end - clock_now_s();
		sm.tm_lim = left > 0.001 ? (int)fmin(left * 1000.0, 1e9) : 1;
		int ret = glp_simplex(Q, &sm);
		if (ret != 0 || glp_get_status(Q) != GLP_OPT)
			break; /* no plan under the cut (or the deadline) */
		double dist = 0;
		for (int c = 0; c < nq; c++) {
			gap[c] = glp_get_col_prim(Q, c + 1);
			dist += fabs(gap[c] - r[c]);
		}
		if (dist > 1e-6)
			continue;
		/* the LP point is the rounding: a plan */
		for (int q = 1; q <= ncols; q++)
			m->x[q] = glp_get_col_prim(Q, q);
		for (int c = 0; c < nq; c++)
			m->x[c + 1] = round(m->x[c + 1]);
		inc = inc_cost(m);
		found = 1;
		if (inc <= m->bound + 0.5)
			break;
		glp_set_row_bnds(Q, cut, GLP_UP, 0.0, inc - 1.0 + 1e-6);
	}
	glp_delete_prob(Q);
	GROW_FREE(r, ri, rv, gap, ord);
	return found;
}

/* RINS around the incumbent, another neighbourhood each time none is
 * better, each sub-MIP at most FM_RINS_NODES nodes (counted), the share's
 * end only the safety net (the full search proves what it finds). It had
 * half of the time left: the e2e existing fixture's 88-community part
 * found its 45 in 7.7 s of RINS at time_limit_s = 60 (load 3-4), but at
 * 30 s (a phased run's full plan) the half was 9.6 s, too little under
 * load, and the run kept 46 there, 54 / 53 in all; within the whole share
 * RINS took 12.8 s (load 4) and the run proved 53 / 53. Measured, each from flex.c's plan of 46: the exclusion fixture
 * finds 45 with tau 1e-6 in 108 nodes; the demo with demand_points =
 * samples with tau 1e-6 in 117 (not with tau 0: CBC's plan of 45 uses
 * patterns of reduced cost within 1e-9 of zero); the demo not with 1e-6
 * in 300 nodes, with tau 0 in 134; tau 0.05 in 81 on the exclusion fixture
 * and not in 500 on the demo. */
static void rins(fm *m, glp_prob *P, const glp_smcp *sm)
{
	static const double tau[] = {1e-6, 0.0, 0.05};
	for (size_t i = 0; i < sizeof(tau) / sizeof(tau[0]); i++)
		if (clock_now_s() >= m->t_end || rins_try(m, P, sm, tau[i], m->t_end))
			return;
}

/* One branch-and-bound search; the best solution into m->x (as the next
 * incumbent). Returns 0, -1 with m->err set. */
static int search(fm *m, glp_prob *P, const glp_smcp *sm)
{
	int ret = glp_simplex(P, sm);
	if (ret == GLP_ETMLIM || ret == GLP_EITLIM) {
		m->timed = 1;
		return 0;
	}
	if (ret != 0 || glp_get_status(P) != GLP_OPT) {
		snprintf(m->err, m->errsize, "glp_simplex: return %d, status %d", ret,
		         glp_get_status(P));
		return -1;
	}
	if (glp_get_obj_val(P) > m->bound)
		m->bound = m->phase1 ? ceil(glp_get_obj_val(P) - 1e-6) : glp_get_obj_val(P);
	int dv = m->phase1 ? pump(m, P, sm) : 0;
	if (dv < 0) {
		snprintf(m->err, m->errsize, "out of memory in the flexible model");
		return -1;
	}
	if (dv == 1)
		m->have_inc = 1;
	if (m->phase1 && m->have_inc && inc_cost(m) > m->bound + 0.5)
		rins(m, P, sm);
	glp_iocp io;
	iocp_set(m, &io);
	m->injected = 0;
	m->nodes = 0; /* solver.work_limit counts per search */
	m->stall_at = 0;
	m->walk_at = 0;
	m->seen_obj = INFINITY;
	ret = glp_intopt(P, &io);
	int mst = glp_mip_status(P);
	if ((ret != 0 && ret != GLP_ESTOP && ret != GLP_ETMLIM) ||
	    (mst != GLP_OPT && mst != GLP_FEAS && mst != GLP_UNDEF)) {
		snprintf(m->err, m->errsize, "glp_intopt: return %d, status %d", ret, mst);
		return -1;
	}
	if (ret == GLP_ETMLIM)
		m->timed = 1;
	if (ret == 0 && mst == GLP_OPT) /* searched to the end */
		m->bound = m->phase1 ? ceil(glp_mip_obj_val(P) - 1e-6) : glp_mip_obj_val(P);
	if (mst == GLP_OPT || mst == GLP_FEAS) {
		int n = glp_get_num_cols(P);
		for (int q = 1; q <= n; q++)
			m->x[q] = glp_mip_col_val(P, q);
		for (int c = 0; c < m->ncol; c++)
			m->x[c + 1] = round(m->x[c + 1]);
		m->have_inc = 1;
		m->have_sol = 1;
		m->obj = glp_mip_obj_val(P);
	}
	return 0;
}

/* Research only (never used by the product or the tests): with the
 * environment variable SP_FLEX_MPS=PREFIX each model is written as
 * PREFIX-<units>-<patterns>.mps (free MPS, stations and penalties as the
 * objective) so that another solver (CBC) can prove its optimum. */
static void fm_export(const fm *m, glp_prob *P)
{
	const char *pre = getenv("SP_FLEX_MPS");
	if (!pre || !*pre)
		return;
	char path[1024];
	snprintf(path, sizeof(path), "%s-%d-%d.mps", pre, m->s->nu, m->ncol);
	glp_write_mps(P, GLP_MPS_FILE, NULL, path);
}

static int run_model(void *arg)
{
	fm *m = arg;
	const sp_sub *s = m->s;
	const sp_params *p = m->p;
	int ms = p->objective == OBJECTIVE_MIN_STATIONS;
	int ncols = m->ncol + m->nsig;
	glp_prob *P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MIN);
	/* rows: units, sites, then load rows */
	int nrows = s->nu + s->ns;
	for (int c = 0; c < m->ncol; c++) {
		fm_col *fc = &m->col[c];
		int nsp = 0;
		for (int i = 0; i < fc->n; i++)
			nsp += split_unit(s, m->mem[fc->n0 + i]);
		if (nsp == 0)
			continue;
		fc->hirow = ++nrows;
		if (!fc->under && rules_band_under(sp_band(p), fc->hw))
			fc->lorow = ++nrows;
	}
	glp_add_rows(P, nrows);
	for (int u = 0; u < s->nu; u++)
		glp_set_row_bnds(P, u + 1, GLP_FX, split_unit(s, u) ? (double)s->h[u] : 1.0,
		                 split_unit(s, u) ? (double)s->h[u] : 1.0);
	for (int j = 0; j < s->ns; j++)
		glp_set_row_bnds(P, s->nu + j + 1, s->fixed[j] ? GLP_FX : GLP_UP, 1.0, 1.0);
	for (int c = 0; c < m->ncol; c++) {
		const fm_col *fc = &m->col[c];
		if (fc->hirow)
			glp_set_row_bnds(P, fc->hirow, GLP_UP, 0.0, 0.0);
		if (fc->lorow)
			glp_set_row_bnds(P, fc->lorow, GLP_LO, 0.0, 0.0);
	}
	glp_add_cols(P, ncols);
	int ind[4 + 2 * 64];
	double val[4 + 2 * 64];
	int *ia = NULL;
	double *va = NULL;
	int g = m->ncol + 1;
	for (int c = 0; c < m->ncol; c++) {
		const fm_col *fc = &m->col[c];
		int q = c + 1, n = 0;
		glp_set_col_kind(P, q, GLP_BV);
		glp_set_obj_coef(P, q, ms ? fc->cost : fc->cost + fc->wcost);
		size_t len = (size_t)fc->n + 4;
		ia = malloc(len * sizeof(int));
		va = malloc(len * sizeof(double));
		if (!ia || !va) {
			free(ia);
			free(va);
			glp_delete_prob(P);
			snprintf(m->err, m->errsize, "out of memory building the flexible model");
			return -1;
		}
		for (int i = 0; i < fc->n; i++) {
			int u = m->mem[fc->n0 + i];
			if (!split_unit(s, u)) {
				ia[++n] = u + 1;
				va[n] = 1.0;
				continue;
			}
			/* the share sigma_cu */
			int ss = g++, k = 0;
			glp_set_col_bnds(P, ss, GLP_LO, 0.0, 0.0);
			glp_set_obj_coef(P, ss, ms ? 0.0 : sp_dist(s, fc->site, u) / s->dscale);
			ind[++k] = u + 1;
			val[k] = 1.0;
			ind[++k] = fc->hirow;
			val[k] = 1.0;
			if (fc->lorow) {
				ind[++k] = fc->lorow;
				val[k] = 1.0;
			}
			glp_set_mat_col(P, ss, k, ind, val);
		}
		ia[++n] = s->nu + fc->site + 1;
		va[n] = 1.0;
		if (fc->hirow) {
			ia[++n] = fc->hirow;
			va[n] = -(double)(p->hmax - fc->hw);
		}
		if (fc->lorow) {
			ia[++n] = fc->lorow;
			va[n] = -(double)(p->hmin - fc->hw);
		}
		glp_set_mat_col(P, q, n, ia, va);
		free(ia);
		free(va);
	}
	fm_export(m, P);
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.presolve = GLP_OFF;
	double left = m->t_end - clock_now_s();
	sm.tm_lim = left > 0.001 ? (int)(left * 1000.0) : 1;
	int rc = 0;
	if (ms) { /* stations + penalties alone, then the walking among the fewest */
		m->phase1 = 1;
		m->bound = -INFINITY;
		if ((rc = search(m, P, &sm)) < 0 || !m->have_sol) {
			glp_delete_prob(P);
			return rc;
		}
		double nstar = round(m->obj), b1 = m->bound;
		int *ri = malloc((size_t)(m->ncol + 1) * sizeof(int));
		double *rv = malloc((size_t)(m->ncol + 1) * sizeof(double));
		if (!ri || !rv) {
			free(ri);
			free(rv);
			glp_delete_prob(P);
			snprintf(m->err, m->errsize, "out of memory building the flexible model");
			return -1;
		}
		for (int c = 0; c < m->ncol; c++) {
			ri[c + 1] = c + 1;
			rv[c + 1] = m->col[c].cost;
			glp_set_obj_coef(P, c + 1, m->col[c].cost + m->col[c].wcost);
		}
		for (int c = 0; c < m->ncol; c++) /* the shares' walking */
			for (int i = 0, q = m->col[c].sig0; i < m->col[c].n; i++)
				if (split_unit(s, m->mem[m->col[c].n0 + i]))
					glp_set_obj_coef(
					    P, q++,
					    sp_dist(s, m->col[c].site, m->mem[m->col[c].n0 + i]) /
					        s->dscale);
		int row = glp_add_rows(P, 1);
		/* proven: exactly nstar, so the walking's bound is among those plans */
		glp_set_row_bnds(P, row, b1 >= nstar - 1e-9 ? GLP_FX : GLP_UP, nstar, nstar);
		glp_set_mat_row(P, row, m->ncol, ri, rv);
		free(ri);
		free(rv);
		m->phase1 = 0;
		m->have_inc = 1;
		/* the walking among the fewest stations: FM_WALK_NODES nodes, a
		 * quarter of the share as the safety net (the stations are what the
		 * run proves; the walking's bound holds anyway) */
		if (p->work_limit <= 0)
			m->t_end = fmin(m->t_end, clock_now_s() + fmax(1.0, 0.25 * m->seconds));
		m->bound = -INFINITY;
		if (!m->stopped && (rc = search(m, P, &sm)) < 0) {
			glp_delete_prob(P);
			return rc;
		}
		/* the walking bound holds among plans of nstar; others cost more */
		double wb = b1 >= nstar - 1e-9 ? fmax(m->bound, nstar + m->wlb) : b1 + m->wlb;
		m->bound = wb;
	} else {
		m->bound = -INFINITY;
		rc = search(m, P, &sm);
	}
	glp_delete_prob(P);
	return rc;
}

/* ---- the plan ---- */

/* The stations of m->x: shares rounded, a unit short or over after rounding
 * evened out on its stations within the maximum. -1 on ENOMEM. */
static int sol_read(fm *m, sp_sol *out)
{
	const sp_sub *s = m->s;
	memset(out, 0, sizeof(*out));
	for (int c = 0; c < m->ncol; c++) {
		const fm_col *fc = &m->col[c];
		if (m->x[c + 1] < 0.5)
			continue;
		if (sp_sol_add_shares(out, s, fc->site, m->mem + fc->n0, fc->n, m->x + fc->sig0) <
		    0)
			return -1;
	}
	/* rounding: each split unit's shares add up to h */
	for (int v = 0; v < s->nu; v++) {
		if (!split_unit(s, v))
			continue;
		long got = 0;
		for (int t = 0; t < out->n; t++)
			for (int i = 0; i < out->st[t].n; i++)
				got += out->st[t].u[i] == v ? out->st[t].sh[i] : 0;
		for (int t = 0; t < out->n && got != s->h[v]; t++) {
			sp_station *st = &out->st[t];
			for (int i = 0; i < st->n && got != s->h[v]; i++) {
				if (st->u[i] != v)
					continue;
				long d = s->h[v] - got;
				if (d > 0 && d > m->p->hmax - st->hi)
					d = m->p->hmax - st->hi;
				if (d < 0 && -d > st->sh[i] - 1)
					d = -(st->sh[i] - 1);
				st->sh[i] += d;
				got += d;
				sp_station_refresh(s, st);
			}
		}
	}
	sp_sol_sort(out);
	return 0;
}

int flexmodel_solve(const sp_sub *s, const sp_params *p, const sp_sol *inc, double seconds,
                    sp_result *res)
{
	memset(res, 0, sizeof(*res));
	if (s->stack)
		return 1;
	for (int u = 0; u < s->nu; u++)
		if (sp_short(s, u))
			return 1;
	fm m = {.s = s,
	        .p = p,
	        .seconds = seconds,
	        .max_cols = p->max_cols < FM_MAX_PATTERNS ? p->max_cols : FM_MAX_PATTERNS,
	        .max_visit =
	            10 * (long)(p->max_cols < FM_MAX_PATTERNS ? p->max_cols : FM_MAX_PATTERNS),
	        .err = res->err,
	        .errsize = sizeof(res->err)};
	double t0 = clock_now_s();
	m.t_end = p->work_limit > 0 ? p->deadline : t0 + seconds;
	if (p->deadline > 0 && m.t_end > p->deadline)
		m.t_end = p->deadline;
	if (m.t_end <= 0)
		m.t_end = t0 + seconds;
	int rc = -1;
	m.cur = malloc((size_t)(s->nu + 1) * sizeof(int));
	if (!m.cur)
		goto nomem;
	for (int j = 0; j < s->ns; j++) {
		int r = dfs(&m, j, 0, s->ss[j], 0, 0, 0, 0.0);
		if (r < 0)
			goto nomem;
		if (r > 0) {
			rc = 1;
			goto out;
		}
	}
	int g = m.ncol + 1;
	for (int c = 0; c < m.ncol; c++) {
		int nsp = 0;
		for (int i = 0; i < m.col[c].n; i++)
			nsp += split_unit(s, m.mem[m.col[c].n0 + i]);
		m.col[c].sig0 = nsp ? g : 0;
		g += nsp;
		m.nsig += nsp;
	}
	m.wlb = sp_sub_walk_min(s); /* every household at its nearest site */
	m.x = calloc((size_t)(m.ncol + m.nsig + 1), sizeof(double));
	if (!m.x)
		goto nomem;
	int ok = inc ? inc_values(&m, inc) : 0;
	if (ok < 0)
		goto nomem;
	if (!ok)
		memset(m.x, 0, (size_t)(m.ncol + m.nsig + 1) * sizeof(double));
	m.have_inc = ok;
	if (glpk_bridge_call(run_model, &m, res->err, sizeof(res->err)) < 0)
		goto out;
	if (!m.have_sol) { /* no plan in time: the caller keeps its own */
		rc = 1;
		goto out;
	}
	if (sol_read(&m, &res->sol) < 0)
		goto nomem;
	res->objective = sp_sol_cost(s, p, &res->sol);
	res->bound = m.bound;
	res->ncols = (size_t)(m.ncol + m.nsig);
	res->nrows = (size_t)(s->nu + s->ns);
	snprintf(res->status, sizeof(res->status), "%s",
	         res->objective - res->bound <= p->mip_gap * sp_measure(s, res->objective) + 1e-9
	             ? "optimal"
	         : m.timed ? "time_limit"
	                   : "feasible");
	rc = 0;
	goto out;
nomem:
	snprintf(res->err, sizeof(res->err), "out of memory in the flexible model");
	rc = -1;
out:
	if (rc != 0)
		sp_sol_free(&res->sol);
	free(m.cur);
	free(m.col);
	free(m.mem);
	free(m.x);
	return rc;
}
