/*
 * walk_lns.c: less walking for a min_distance plan by exact re-planning of
 * regions (a large neighbourhood search).
 *
 * A region is a set of the plan's stations (those serving whole units
 * only) near each other. Its units are planned again from scratch: every
 * station any free site could hold (each subset of the region's units within
 * reach of a site that is free, i.e. unused or used by a region station,
 * with households up to households_max) is listed, and a small
 * set-partitioning MIP picks the least walking with one station per site and
 * at most the underfilled stations the rest of the plan leaves of the budget.
 * The region's current stations are one of its solutions and are injected,
 * so the plan never walks more; every new plan satisfies the rules.
 *
 * Regions are grown over the reach graph (a unit's sites in distance order,
 * the stations standing there) in a fixed order, so the search depends on
 * the inputs only; solver.work_limit caps the regions and each MIP's nodes.
 *
 * With a price on an underfilled station (walk_call.price), each region
 * minimises its walking plus that price per underfilled station: a region
 * where one saves less walking than the price gives it up, and a later
 * region where one saves more takes it (the budget is the whole plan's,
 * so a region may use what others gave up). Regions far apart thus trade
 * underfilled stations, which at price 0 stay where the start put them.
 * The price falls while stations given up wait for a taker and rises
 * while none does; the last share of the search runs at price 0 to use
 * what is left. The result has no more underfilled stations than the
 * start and, with as many, walks no more (else the start is kept).
 * A start over the budget (a plan walking less with more underfilled
 * stations) has its regions keep their own until the price makes them
 * give some up; the price stays while the plan is over.
 */
#include "solver_int.h"
#include "glpk_int.h"
#include "clock.h"

#include <stdio.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Units of a region. */
#define LNS_UNITS 48
/* Columns listed for one region at most (the region is then smaller). */
#define LNS_COLS 200000
/* The price of an underfilled station (walk_call.price): its factor after
 * a region with stations given up and not taken, and after one with none;
 * its range around the start; the share of the regions or time at the end
 * with no price. */
#define LNS_PRICE_DOWN 0.97
#define LNS_PRICE_UP   1.005
#define LNS_PRICE_SPAN 3.0
#define LNS_PRICE_END  0.15

typedef struct lns {
	walk_call a; /* the search's arguments */
	int *ust;    /* per unit: its station, -1 none, -2 split (locked) */
	int *sst;    /* per site: its station, -1 none */
	int *freest; /* stations of the region, nfree */
	int nfree;
	unsigned char *ufree, *tfree; /* per unit / station: in the region */
	int *fu, nfu;                 /* the region's units */
	/* listed columns */
	sp_colstore cols;
	long nodes, regions;
	int *inc; /* per listed column 1-based: 1 in the injected plan */
	double *x;
	int injected;
	double price, t0; /* the current price of an underfilled station; start */
} lns;

static int under_at(const lns *L, int site, long load)
{
	return rules_band_under(sp_band(L->a.p), load) && !sp_isolated(L->a.s, L->a.p, site);
}

static int station_locked(const lns *L, const sp_station *st)
{
	for (int m = 0; m < st->n; m++)
		if (L->a.s->k[st->u[m]] > 1 || st->sh)
			return 1;
	return 0;
}

/* Rebuild the unit and site maps from the plan. */
static void maps_build(lns *L)
{
	const sp_sub *s = L->a.s;
	for (int u = 0; u < s->nu; u++)
		L->ust[u] = -1;
	for (int j = 0; j < s->ns; j++)
		L->sst[j] = -1;
	for (int t = 0; t < L->a.sol->n; t++) {
		const sp_station *st = &L->a.sol->st[t];
		int lock = station_locked(L, st);
		L->sst[st->site] = t;
		for (int m = 0; m < st->n; m++)
			L->ust[st->u[m]] = lock ? -2 : t;
	}
}

static void unit_free(lns *L, int u)
{
	if (!L->ufree[u]) {
		L->ufree[u] = 1;
		L->fu[L->nfu++] = u;
	}
}

static void station_free(lns *L, int t)
{
	if (t < 0 || L->tfree[t] || station_locked(L, &L->a.sol->st[t]))
		return;
	L->tfree[t] = 1;
	L->freest[L->nfree++] = t;
	for (int m = 0; m < L->a.sol->st[t].n; m++)
		unit_free(L, L->a.sol->st[t].u[m]);
}

static void region_clear(lns *L)
{
	for (int i = 0; i < L->nfu; i++)
		L->ufree[L->fu[i]] = 0;
	for (int i = 0; i < L->nfree; i++)
		L->tfree[L->freest[i]] = 0;
	L->nfu = L->nfree = 0;
}

/* Grow the region from its units, breadth first over the reach graph
 * (each unit's own station, then for its sites in distance order the
 * station there and the stations of the units the site reaches), until it
 * holds `want` units or nothing more is reachable. */
static void region_grow(lns *L, int want)
{
	const sp_sub *s = L->a.s;
	for (int i = 0; i < L->nfu && L->nfu < want; i++) {
		int u = L->fu[i];
		if (L->ust[u] >= 0)
			station_free(L, L->ust[u]);
		for (size_t q = s->us[u]; q < s->us[u + 1] && L->nfu < want; q++) {
			int j = s->usite[q];
			station_free(L, L->sst[j]);
			for (size_t e = s->ss[j]; e < s->ss[j + 1] && L->nfu < want; e++)
				if (L->ust[s->sunit[e]] >= 0)
					station_free(L, L->ust[s->sunit[e]]);
		}
	}
}

static int col_push(lns *L, int site, const int *u, int n, long load, double wd)
{
	return sp_colstore_push(&L->cols, site, u, n, wd / L->a.s->dscale, under_at(L, site, load));
}

/* Every subset of cand[i..nc) added to cur[0..n) at site j within the
 * maximum. Returns 0, -1 on ENOMEM, 1 when over LNS_COLS. */
static int subsets(lns *L, int j, const int *cand, const double *cd, int nc, int i, int *cur, int n,
                   long load, double wd)
{
	for (; i < nc; i++) {
		long h = L->a.s->h[cand[i]];
		if (rules_band_over(sp_band(L->a.p), load + h))
			continue;
		cur[n] = cand[i];
		double w2 = wd + (double)h * cd[i];
		if (col_push(L, j, cur, n + 1, load + h, w2) < 0)
			return -1;
		if (L->cols.n > LNS_COLS)
			return 1;
		int r = subsets(L, j, cand, cd, nc, i + 1, cur, n + 1, load + h, w2);
		if (r)
			return r;
	}
	return 0;
}

/* List the region's columns. Returns 0, 1 when too many, -1 on ENOMEM. */
static int columns_list(lns *L, int *cand, double *cd, int *cur, unsigned char *seen)
{
	const sp_sub *s = L->a.s;
	L->cols.n = L->cols.nnz = 0;
	int r = 0;
	for (int i = 0; i < L->nfu && r == 0; i++) {
		int u = L->fu[i];
		for (size_t q = s->us[u]; q < s->us[u + 1] && r == 0; q++) {
			int j = s->usite[q];
			if (seen[j] || (L->sst[j] >= 0 && !L->tfree[L->sst[j]]))
				continue;
			seen[j] = 1;
			int nc = 0;
			for (size_t e = s->ss[j]; e < s->ss[j + 1]; e++)
				if (L->ufree[s->sunit[e]]) {
					cand[nc] = s->sunit[e];
					cd[nc++] = s->sdist[e];
				}
			r = subsets(L, j, cand, cd, nc, 0, cur, 0, 0, 0.0);
		}
	}
	for (int i = 0; i < L->nfu; i++) /* reset the marks */
		for (size_t q = s->us[L->fu[i]]; q < s->us[L->fu[i] + 1]; q++)
			seen[s->usite[q]] = 0;
	return r;
}

static void callback(glp_tree *tree, void *info)
{
	lns *L = info;
	if (glpk_bridge_budget(tree, &L->nodes, L->a.p->work_limit, L->a.deadline))
		return;
	if (glp_ios_reason(tree) == GLP_IHEUR && !L->injected && L->x) {
		L->injected = 1;
		glp_ios_heur_sol(tree, L->x);
	}
}

/* The column of station t among the listed ones (units ascending), or -1. */
static long column_of(const lns *L, const sp_station *st)
{
	for (size_t q = 0; q < L->cols.n; q++)
		if (L->cols.site[q] == st->site &&
		    L->cols.start[q + 1] - L->cols.start[q] == (size_t)st->n &&
		    memcmp(L->cols.unit + L->cols.start[q], st->u, (size_t)st->n * sizeof(int)) ==
		        0)
			return (long)q;
	return -1;
}

/* Solve the region's MIP; when it finds a plan of its units walking less
 * than the region's stations (any plan when `cover` says they do not cover
 * the region yet), the region's stations are replaced. Returns 1 replaced,
 * 0 not, -1 on failure (err set). */
static int region_solve(lns *L, int *cur)
{
	const sp_sub *s = L->a.s;
	long left = L->a.budget, own = 0;
	double now = 0; /* the region's walking, and its underfilled at the price */
	int covered = 1;
	for (int t = 0; t < L->a.sol->n; t++) {
		const sp_station *st = &L->a.sol->st[t];
		if (!L->tfree[t])
			left -= under_at(L, st->site, st->lo);
		else {
			own += under_at(L, st->site, st->lo);
			now += st->wd / s->dscale + L->price * under_at(L, st->site, st->lo);
		}
	}
	for (int i = 0; i < L->nfu; i++)
		covered &= L->ust[L->fu[i]] >= 0;
	if (L->price > 0 && left < own)
		left = own; /* a plan over the budget: its regions may keep theirs */
	if (left < 0)
		return 0;
	int *urow = cur; /* reuse: per unit row, only region units read */
	glp_prob *P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MIN);
	glp_add_rows(P, L->nfu + 1);
	for (int i = 0; i < L->nfu; i++) {
		urow[L->fu[i]] = i + 1;
		glp_set_row_bnds(P, i + 1, GLP_FX, 1, 1);
	}
	glp_set_row_bnds(P, L->nfu + 1, GLP_UP, 0, (double)left);
	int *srow = calloc((size_t)s->ns, sizeof(int));
	size_t nz = L->cols.nnz + 2 * L->cols.n;
	int *ia = malloc((nz + 1) * sizeof(int)), *ja = malloc((nz + 1) * sizeof(int));
	double *ar = malloc((nz + 1) * sizeof(double));
	L->x = calloc(L->cols.n + 1, sizeof(double));
	int rc = -1;
	if (!srow || !ia || !ja || !ar || !L->x)
		goto nomem;
	int nrow = L->nfu + 1;
	for (size_t q = 0; q + 1 < L->cols.n; q++)
		if (L->cols.site[q] == L->cols.site[q + 1] &&
		    !srow[L->cols.site[q]]) /* listed site by site */
			srow[L->cols.site[q]] = ++nrow - (L->nfu + 1);
	if (nrow > L->nfu + 1)
		glp_add_rows(P, nrow - (L->nfu + 1));
	for (int r = L->nfu + 2; r <= nrow; r++)
		glp_set_row_bnds(P, r, GLP_UP, 0, 1);
	glp_add_cols(P, (int)L->cols.n);
	nz = 0;
	for (size_t q = 0; q < L->cols.n; q++) {
		int col = (int)q + 1;
		glp_set_col_kind(P, col, GLP_BV);
		glp_set_obj_coef(P, col, L->cols.cost[q] + L->price * L->cols.under[q]);
		for (size_t e = L->cols.start[q]; e < L->cols.start[q + 1]; e++) {
			ia[++nz] = urow[L->cols.unit[e]];
			ja[nz] = col;
			ar[nz] = 1;
		}
		if (srow[L->cols.site[q]]) {
			ia[++nz] = L->nfu + 1 + srow[L->cols.site[q]];
			ja[nz] = col;
			ar[nz] = 1;
		}
		if (L->cols.under[q]) {
			ia[++nz] = L->nfu + 1;
			ja[nz] = col;
			ar[nz] = 1;
		}
	}
	glp_load_matrix(P, (int)nz, ia, ja, ar);
	int inject = covered;
	for (int i = 0; i < L->nfree && inject; i++) {
		long q = column_of(L, &L->a.sol->st[L->freest[i]]);
		if (q < 0)
			inject = 0;
		else
			L->x[q + 1] = 1;
	}
	if (!inject) {
		free(L->x);
		L->x = NULL;
	}
	L->injected = 0;
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.presolve = GLP_OFF;
	int ret = glp_simplex(P, &sm);
	rc = 0;
	if (ret != 0 || glp_get_status(P) != GLP_OPT)
		goto out; /* no plan of the region (or stopped): keep it as it is */
	if (covered && glp_get_obj_val(P) > now - 1e-9)
		goto out; /* the LP cannot beat the region's stations */
	glp_iocp io;
	glpk_bridge_search_iocp(&io, L->a.deadline, callback, L);
	ret = glp_intopt(P, &io);
	int mst = glp_mip_status(P);
	if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_ESTOP) {
		snprintf(L->a.err, L->a.errsize,
		         "glp_intopt: return %d, status %d in a walking region", ret, mst);
		rc = -1;
		goto out;
	}
	if ((mst != GLP_OPT && mst != GLP_FEAS) ||
	    (covered && glp_mip_obj_val(P) > now - 1e-9 * (1 + now)))
		goto out;
	/* replace: drop the region's stations, add the MIP's */
	sp_sol next = {0};
	for (int t = 0; t < L->a.sol->n && rc == 0; t++) {
		if (L->tfree[t])
			continue;
		const sp_station *st = &L->a.sol->st[t];
		if (sp_sol_add(&next, st->site, st->u, st->n, s) < 0)
			rc = -2;
		else if (st->sh) {
			sp_station *d = &next.st[next.n - 1];
			d->sh = malloc((size_t)st->n * sizeof(long));
			if (!d->sh)
				rc = -2;
			else {
				memcpy(d->sh, st->sh, (size_t)st->n * sizeof(long));
				sp_station_refresh(s, d);
			}
		}
	}
	for (size_t q = 0; q < L->cols.n && rc == 0; q++)
		if (glp_mip_col_val(P, (int)q + 1) > 0.5 &&
		    sp_sol_add(&next, L->cols.site[q], L->cols.unit + L->cols.start[q],
		               (int)(L->cols.start[q + 1] - L->cols.start[q]), s) < 0)
			rc = -2;
	if (rc < 0) {
		sp_sol_free(&next);
		goto nomem;
	}
	sp_sol_sort(&next);
	sp_sol_free(L->a.sol);
	*L->a.sol = next;
	rc = 1;
	goto out;
nomem:
	snprintf(L->a.err, L->a.errsize, "out of memory in a walking region");
	rc = -1;
out:
	glp_delete_prob(P);
	free(srow);
	free(ia);
	free(ja);
	free(ar);
	free(L->x);
	L->x = NULL;
	return rc;
}

static int stop(const lns *L)
{
	double w = sp_sol_walk(L->a.s, L->a.sol);
	return w - L->a.lb <= L->a.p->mip_gap * w + 1e-9 ||
	       (L->a.deadline > 0 && clock_now_s() >= L->a.deadline) ||
	       (L->a.p->work_limit > 0 && L->regions >= L->a.p->work_limit);
}

/* List and solve the current region, halving it while it lists too many
 * columns. Returns region_solve's result, -1 on failure. */
static int region_run(lns *L, int *cand, double *cd, int *cur, unsigned char *seen)
{
	L->regions++;
	for (;;) {
		int r = columns_list(L, cand, cd, cur, seen);
		if (r < 0) {
			snprintf(L->a.err, L->a.errsize, "out of memory in a walking region");
			return -1;
		}
		if (r == 0)
			break;
		if (L->nfree <= 1)
			return 0;
		int keep = L->nfree / 2; /* the first stations freed, and their units */
		int *ts = malloc((size_t)keep * sizeof(int));
		if (!ts)
			return -1;
		memcpy(ts, L->freest, (size_t)keep * sizeof(int));
		int nunc = 0;
		for (int i = 0; i < L->nfu; i++)
			if (L->ust[L->fu[i]] == -1)
				cur[nunc++] = L->fu[i];
		region_clear(L);
		for (int i = 0; i < nunc; i++)
			unit_free(L, cur[i]);
		for (int i = 0; i < keep; i++)
			station_free(L, ts[i]);
		free(ts);
	}
	int r = region_solve(L, cur);
	if (r == 1)
		maps_build(L);
	return r;
}

/* The price of an underfilled station after a region: down while
 * stations given up wait for a taker, up while none does, within a factor
 * LNS_PRICE_SPAN of the start; 0 (walking alone, the stations given up
 * free to take) for the last LNS_PRICE_END of the regions (under a work
 * limit) or of the time. */
static void price_next(lns *L)
{
	const walk_call *a = &L->a;
	double frac = a->p->work_limit > 0  ? (double)L->regions / (double)a->p->work_limit
	              : a->deadline > L->t0 ? (clock_now_s() - L->t0) / (a->deadline - L->t0)
	                                    : 0;
	long spare = a->budget - sp_sol_underfilled(a->s, a->p, a->sol);
	if (frac >= 1 - LNS_PRICE_END && spare >= 0) {
		L->price = 0;
		return;
	}
	L->price *= spare > 0 ? LNS_PRICE_DOWN : LNS_PRICE_UP;
	L->price = fmin(fmax(L->price, a->price / LNS_PRICE_SPAN), a->price * LNS_PRICE_SPAN);
}

typedef struct seed {
	double excess;
	int u;
} seed;

static int cmp_seed(const void *a, const void *b)
{
	const seed *x = a, *y = b;
	if (x->excess != y->excess)
		return x->excess > y->excess ? -1 : 1;
	return (x->u > y->u) - (x->u < y->u);
}

int walk_lns(const sp_sub *s, const sp_params *p, long budget, double lb, double deadline,
             sp_sol *sol, char *err, size_t errsize)
{
	walk_call a = {s, p, budget, lb, deadline, sol, err, errsize, 0};
	return walk_lns_run(&a);
}

int walk_lns_run(const walk_call *a)
{
	lns L = {.a = *a};
	const sp_sub *s = a->s;
	const sp_sol *sol = a->sol;
	size_t nu1 = (size_t)s->nu + 1, ns1 = (size_t)s->ns + 1;
	L.ust = malloc(nu1 * sizeof(int));
	L.sst = malloc(ns1 * sizeof(int));
	L.freest = malloc((nu1 + ns1) * sizeof(int));
	L.ufree = calloc(nu1, 1);
	L.tfree = calloc(nu1 + ns1, 1);
	L.fu = malloc(nu1 * sizeof(int));
	int *cand = malloc(nu1 * sizeof(int)), *cur = malloc(nu1 * sizeof(int));
	double *cd = malloc(nu1 * sizeof(double));
	unsigned char *seen = calloc(ns1, 1), *done = calloc(nu1, 1);
	seed *sd = malloc(nu1 * sizeof(seed));
	sp_sol start = {0};
	int rc = -1, improved = 0;
	if (!L.ust || !L.sst || !L.freest || !L.ufree || !L.tfree || !L.fu || !cand || !cur ||
	    !cd || !seen || !done || !sd) {
		snprintf(a->err, a->errsize, "out of memory in the walking search");
		goto out;
	}
	maps_build(&L);
	for (int u = 0; u < s->nu; u++)
		if (L.ust[u] == -1) {
			rc = 0; /* not a whole plan: left as it is */
			goto out;
		}
	L.price = a->price > 0 ? a->price : 0;
	L.t0 = clock_now_s();
	/* priced, the walking may rise where a station was given up and not
	 * taken: the start is kept to fall back on */
	if (L.price > 0 && sp_sol_copy(&start, sol) < 0) {
		snprintf(a->err, a->errsize, "out of memory in the walking search");
		goto out;
	}
	long under0 = sp_sol_underfilled(s, a->p, sol);
	double walk0 = sp_sol_walk(s, sol);
	for (int sweep = 0; sweep < 4 && !stop(&L); sweep++) {
		double before = sp_sol_walk(s, sol);
		int replaced = 0;
		for (int u = 0; u < s->nu; u++) {
			int t = L.ust[u];
			double d = t >= 0 ? sp_dist(s, sol->st[t].site, u) : 0;
			sd[u].u = u;
			sd[u].excess = t >= 0 ? (double)s->h[u] * (d - s->udist[s->us[u]]) : -1;
			done[u] = 0;
		}
		qsort(sd, (size_t)s->nu, sizeof(seed), cmp_seed);
		for (int i = 0; i < s->nu && !stop(&L); i++) {
			int u = sd[i].u;
			if (done[u] || L.ust[u] < 0)
				continue;
			unit_free(&L, u);
			region_grow(&L, LNS_UNITS);
			for (int k = 0; k < L.nfu; k++)
				done[L.fu[k]] = 1;
			int r = region_run(&L, cand, cd, cur, seen);
			region_clear(&L);
			if (r < 0)
				goto out;
			improved |= r;
			replaced += r;
			if (L.price > 0)
				price_next(&L);
		}
		if (a->price > 0 ? replaced == 0
		                 : sp_sol_walk(s, sol) > before - 1e-9 * (1 + before))
			break;
	}
	if (a->price > 0 && sp_sol_underfilled(s, a->p, sol) == under0 &&
	    sp_sol_walk(s, sol) > walk0 - 1e-9 * (1 + walk0)) { /* no better: the start */
		sp_sol_free(a->sol);
		*a->sol = start;
		start = (sp_sol){0};
		improved = 0;
	}
	rc = improved;
out:
	free(L.ust);
	free(L.sst);
	free(L.freest);
	free(L.ufree);
	free(L.tfree);
	free(L.fu);
	sp_colstore_free(&L.cols);
	sp_sol_free(&start);
	free(cand);
	free(cur);
	free(cd);
	free(seen);
	free(done);
	free(sd);
	return rc;
}
