/*
 * cu_heur.c: the solver internals below solver_solve, on sub-problems built
 * from hand-made fixtures (solver/solver_int.h): components (decompose.c),
 * the column listing and offering (cluster.c), the heuristic (heur.c), the
 * model (model.c) and flexible shares (flex.c), each with exact small
 * answers.
 */
#include <CUnit/CUnit.h>

#include "../solver/solver_int.h"
#include "cu_tester.h"
#include "solver_fixture.h"

typedef struct hx {
	fx f;
	sp_world w;
	sp_sub *subs;
	size_t n;
} hx;

static hx *hx_new(void)
{
	hx *h = calloc(1, sizeof(hx));
	fx_init(&h->f);
	h->f.sc.threads = 1;
	return h;
}

/* Reach, world and components of the fixture. */
static void hx_build(hx *h)
{
	fx_reach(&h->f);
	CU_ASSERT_EQUAL_FATAL(sp_world_init(&h->w, &h->f.in, &h->f.sites, &h->f.r, &h->f.sc), 0);
	CU_ASSERT_EQUAL_FATAL(decompose_components(&h->w, &h->subs, &h->n), 0);
}

static void hx_free(hx *h)
{
	for (size_t i = 0; i < h->n; i++)
		sp_sub_free(&h->subs[i]);
	free(h->subs);
	sp_world_free(&h->w);
	fx_free(&h->f);
	free(h);
}

/* A unit and its site at (x, y). */
static void pair_at(hx *h, long hh, double x, double y)
{
	int u = fx_unit(&h->f, hh, UNIT_URBAN, x, y);
	fx_site(&h->f, x, y, SITE_REPRESENTATIVE, u);
}

/* Two groups 5 km apart: two components, ordered by lowest unit, with their
 * units and sites; a unit of 12,000 has 3 parts of 4,000. */
static void test_components(void)
{
	hx *h = hx_new();
	pair_at(h, 2000, 0, 0);
	pair_at(h, 12000, 5000, 0);
	pair_at(h, 2500, 300, 0);
	hx_build(h);
	CU_ASSERT_EQUAL_FATAL(h->n, 2);
	CU_ASSERT_EQUAL(h->subs[0].nu, 2);
	CU_ASSERT_EQUAL(h->subs[0].unit[0], 0);
	CU_ASSERT_EQUAL(h->subs[0].unit[1], 2);
	CU_ASSERT_EQUAL(h->subs[0].ns, 2);
	CU_ASSERT_EQUAL(h->subs[0].htotal, 4500);
	CU_ASSERT_EQUAL(h->subs[1].nu, 1);
	CU_ASSERT_EQUAL(h->subs[1].k[0], 3);
	CU_ASSERT_EQUAL(h->subs[1].plo[0], 4000);
	CU_ASSERT_EQUAL(h->subs[1].phi[0], 4000);
	CU_ASSERT_DOUBLE_EQUAL(sp_dist(&h->subs[0], 1, 0), 300, 1e-9);
	hx_free(h);
}

/* 2,000 / 2,000 / 3,500 within reach of one another: the sets within the
 * maximum are the three singletons and {0, 1}; one column each at its
 * least-cost site. */
static void test_cluster_enumerate(void)
{
	hx *h = hx_new();
	pair_at(h, 2000, 0, 0);
	pair_at(h, 2000, 200, 0);
	pair_at(h, 3500, 400, 0);
	hx_build(h);
	CU_ASSERT_EQUAL_FATAL(h->n, 1);
	sp_cols c;
	CU_ASSERT_EQUAL_FATAL(cluster_enumerate(&h->subs[0], &h->w.p, &c), 0);
	CU_ASSERT_EQUAL(c.n, 4);
	int pairs = 0;
	for (size_t q = 0; q < c.n; q++) {
		size_t m = c.start[q + 1] - c.start[q];
		if (m == 2) {
			pairs++;
			CU_ASSERT_EQUAL(c.unit[c.start[q]], 0);
			CU_ASSERT_EQUAL(c.unit[c.start[q] + 1], 1);
			CU_ASSERT_EQUAL(c.lo[q], 4000);
			/* at unit 0 or 1: one of them walks 200 m */
			CU_ASSERT_DOUBLE_EQUAL(c.cost[q], 1 + 2000.0 * 200 / h->subs[0].dscale,
			                       1e-12);
		}
	}
	CU_ASSERT_EQUAL(pairs, 1);
	sp_station st = {.site = 2, .n = 1, .u = (int[]){2}};
	CU_ASSERT_TRUE(cluster_find(&h->subs[0], &c, &st) >= 0);
	cluster_free(&c);
	/* the same sets offered one by one; a set over the maximum is ignored */
	CU_ASSERT_EQUAL_FATAL(cluster_begin(&h->subs[0], &h->w.p, &c), 0);
	CU_ASSERT_EQUAL(cluster_offer(&h->subs[0], &h->w.p, &c, (int[]){0, 1}, 2), 0);
	CU_ASSERT_EQUAL(cluster_offer(&h->subs[0], &h->w.p, &c, (int[]){0, 2}, 2), 0);
	CU_ASSERT_EQUAL(c.n, 1);
	CU_ASSERT_EQUAL(c.lo[0], 4000);
	cluster_free(&c);
	hx_free(h);
}

/* Four communities of 2,000 at the corners of a 200 m square: the heuristic
 * pairs them, two stations of 4,000, on distinct sites, every unit once. */
static void test_heur_pairs(void)
{
	hx *h = hx_new();
	double xy[4][2] = {{0, 0}, {200, 0}, {0, 200}, {200, 200}};
	for (int i = 0; i < 4; i++)
		pair_at(h, 2000, xy[i][0], xy[i][1]);
	hx_build(h);
	sp_sol sol;
	CU_ASSERT_EQUAL_FATAL(heur_solve(&h->subs[0], &h->w.p, 10.0, &sol), 0);
	CU_ASSERT_EQUAL(sol.n, 2);
	int seen[4] = {0};
	for (int t = 0; t < sol.n; t++) {
		CU_ASSERT_EQUAL(sol.st[t].lo, 4000);
		for (int m = 0; m < sol.st[t].n; m++)
			seen[sol.st[t].u[m]]++;
	}
	for (int u = 0; u < 4; u++)
		CU_ASSERT_EQUAL(seen[u], 1);
	CU_ASSERT_NOT_EQUAL(sol.st[0].site, sol.st[1].site);
	int shared[4];
	CU_ASSERT_EQUAL(sp_sol_shared(&h->subs[0], &sol, shared), 0);
	CU_ASSERT_DOUBLE_EQUAL(sp_sol_cost(&h->subs[0], &h->w.p, &sol),
	                       2 + 2 * 2000.0 * 200 / h->subs[0].dscale, 1e-12);
	sp_sol_free(&sol);
	hx_free(h);
}

/* No time at all: the construction still serves every part (a plan, not
 * an improved one). A unit of 12,000 with one site: three parts stacked. */
static void test_heur_no_time(void)
{
	hx *h = hx_new();
	pair_at(h, 12000, 0, 0);
	hx_build(h);
	sp_sol sol;
	CU_ASSERT_EQUAL_FATAL(heur_solve(&h->subs[0], &h->w.p, 0.0, &sol), 0);
	CU_ASSERT_EQUAL(sol.n, 3);
	for (int t = 0; t < sol.n; t++) {
		CU_ASSERT_EQUAL(sol.st[t].site, 0);
		CU_ASSERT_EQUAL(sol.st[t].lo, 4000);
	}
	CU_ASSERT_TRUE(sp_short(&h->subs[0], 0));
	int shared[2];
	CU_ASSERT_EQUAL(sp_sol_shared(&h->subs[0], &sol, shared), 0); /* allowed stack */
	sp_sol_free(&sol);
	hx_free(h);
}

/* The model on the four corners with the heuristic's plan: optimal, the
 * bound equal to the objective. */
static void test_model_optimal(void)
{
	hx *h = hx_new();
	double xy[4][2] = {{0, 0}, {200, 0}, {0, 200}, {200, 200}};
	for (int i = 0; i < 4; i++)
		pair_at(h, 2000, xy[i][0], xy[i][1]);
	h->f.sc.mip_gap = 0;
	hx_build(h);
	h->w.p.mip_gap = 0;
	sp_sol inc;
	sp_cols c;
	sp_result res = {0};
	CU_ASSERT_EQUAL_FATAL(heur_solve(&h->subs[0], &h->w.p, 1.0, &inc), 0);
	CU_ASSERT_EQUAL_FATAL(cluster_enumerate(&h->subs[0], &h->w.p, &c), 0);
	CU_ASSERT_EQUAL_FATAL(model_solve(&h->subs[0], &h->w.p, &c, &inc, 10.0, &res), 0);
	CU_ASSERT_STRING_EQUAL(res.status, "optimal");
	CU_ASSERT_EQUAL(res.sol.n, 2);
	double obj = sp_sol_cost(&h->subs[0], &h->w.p, &res.sol);
	CU_ASSERT_DOUBLE_EQUAL(res.bound, obj, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(obj, 2 + 2 * 2000.0 * 200 / h->subs[0].dscale, 1e-12);
	sp_sol_free(&inc);
	sp_sol_free(&res.sol);
	cluster_free(&c);
	hx_free(h);
}

/* Flexible shares: 12,000 with 1,500 beside it, equal parts (4,000 x 3 and
 * the 1,500 alone) become 4,500 / 4,500 / 3,000 + 1,500: one station
 * dropped; with nothing to gain the plan is left as it was. */
static void test_flex_drop(void)
{
	hx *h = hx_new();
	pair_at(h, 12000, 0, 0);
	fx_site(&h->f, -250, 0, SITE_GRID, 0);
	fx_site(&h->f, 0, 250, SITE_GRID, 0);
	pair_at(h, 1500, 300, 0);
	hx_build(h);
	const sp_sub *s = &h->subs[0];
	sp_sol sol = {0};
	CU_ASSERT_EQUAL_FATAL(s->nu, 2);
	CU_ASSERT_EQUAL(sp_sol_add(&sol, 0, (int[]){0}, 1, s), 0);
	CU_ASSERT_EQUAL(sp_sol_add(&sol, 1, (int[]){0}, 1, s), 0);
	CU_ASSERT_EQUAL(sp_sol_add(&sol, 2, (int[]){0}, 1, s), 0);
	CU_ASSERT_EQUAL(sp_sol_add(&sol, 3, (int[]){1}, 1, s), 0);
	CU_ASSERT_EQUAL(flex_improve(s, &h->w.p, &sol, 1e18), 1);
	CU_ASSERT_EQUAL_FATAL(sol.n, 3);
	long total = 0;
	for (int t = 0; t < sol.n; t++) {
		CU_ASSERT_PTR_NOT_NULL_FATAL(sol.st[t].sh);
		CU_ASSERT_TRUE(sol.st[t].lo >= 3000 && sol.st[t].lo <= 5000);
		total += sol.st[t].lo;
	}
	CU_ASSERT_EQUAL(total, 13500);
	CU_ASSERT_EQUAL(flex_improve(s, &h->w.p, &sol, 1e18), 0);
	sp_sol_free(&sol);
	hx_free(h);
}

/* A plan the local search left: every part served exactly once, no station
 * over the maximum, each station's totals those of its members. */
static void check_sol(const sp_sub *s, const sp_sol *sol)
{
	int *served = calloc((size_t)s->nu, sizeof(int));
	for (int t = 0; t < sol->n; t++) {
		sp_station st = sol->st[t];
		sp_station_refresh(s, &st);
		CU_ASSERT_EQUAL(st.lo, sol->st[t].lo);
		CU_ASSERT_EQUAL(st.hi, sol->st[t].hi);
		CU_ASSERT_DOUBLE_EQUAL(st.wd, sol->st[t].wd, 1e-6 * (1 + st.wd));
		CU_ASSERT_TRUE(st.n > 0 && st.hi <= 5000);
		for (int m = 0; m < st.n; m++)
			served[st.u[m]]++;
	}
	for (int u = 0; u < s->nu; u++)
		CU_ASSERT_EQUAL(served[u], s->k[u]);
	free(served);
}

/* Local search on random dense instances (40 units of 300-3,000
 * households within 1.6 km): its trial moves (drops with ejection chains,
 * repair chains) are undone in place when they do not pay. From the
 * construction and from one station per unit (which drops must halve), the
 * plans are whole (check_sol) and cost less than where they started, and
 * two runs give the same stations. */
static void test_heur_undo(void)
{
	unsigned seed = 7;
	for (int inst = 0; inst < 6; inst++) {
		hx *h = hx_new();
		for (int i = 0; i < 40; i++) {
			seed = seed * 1103515245u + 12345u;
			double x = (double)((seed >> 8) % 1600);
			seed = seed * 1103515245u + 12345u;
			double y = (double)((seed >> 8) % 1600);
			seed = seed * 1103515245u + 12345u;
			pair_at(h, 300 + (long)((seed >> 8) % 2701), x, y);
		}
		hx_build(h);
		CU_ASSERT_EQUAL_FATAL(h->n, 1);
		const sp_sub *s = &h->subs[0];
		const sp_params *p = &h->w.p;
		sp_sol c, sol, again, one = {0};
		CU_ASSERT_EQUAL_FATAL(heur_solve(s, p, 0.0, &c), 0);
		CU_ASSERT_EQUAL_FATAL(heur_solve(s, p, 60.0, &sol), 0);
		CU_ASSERT_EQUAL_FATAL(heur_solve(s, p, 60.0, &again), 0);
		CU_ASSERT_TRUE(sp_sol_cost(s, p, &sol) < sp_sol_cost(s, p, &c));
		check_sol(s, &sol);
		CU_ASSERT_EQUAL_FATAL(again.n, sol.n);
		for (int t = 0; t < sol.n; t++) {
			CU_ASSERT_EQUAL(again.st[t].site, sol.st[t].site);
			CU_ASSERT_EQUAL(again.st[t].n, sol.st[t].n);
		}
		for (int u = 0; u < s->nu; u++)
			CU_ASSERT_EQUAL(sp_sol_add(&one, s->usite[s->us[u]], &u, 1, s), 0);
		double c1 = sp_sol_cost(s, p, &one);
		CU_ASSERT_EQUAL_FATAL(heur_improve(s, p, 60.0, &one), 0);
		CU_ASSERT_TRUE(sp_sol_cost(s, p, &one) < c1);
		CU_ASSERT_TRUE(2 * one.n <= s->nu);
		check_sol(s, &one);
		sp_sol_free(&c);
		sp_sol_free(&sol);
		sp_sol_free(&again);
		sp_sol_free(&one);
		hx_free(h);
	}
}

void heur_suite_setup(void)
{
	CU_SUITE_ADD("heur", NULL, NULL, CU_TEST_ENTRY(test_components),
	             CU_TEST_ENTRY(test_cluster_enumerate), CU_TEST_ENTRY(test_heur_pairs),
	             CU_TEST_ENTRY(test_heur_no_time), CU_TEST_ENTRY(test_model_optimal),
	             CU_TEST_ENTRY(test_flex_drop), CU_TEST_ENTRY(test_heur_undo));
}
