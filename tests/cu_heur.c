/*
 * cu_heur.c: the heuristic (heur.c: construction, local search with trial
 * moves undone in place) and flexible shares (flex.c), on sub-problems built
 * from hand-made fixtures (sub_fixture.h), with exact small answers.
 * Components, columns and the model have their own suites (cu_decompose.c,
 * cu_cluster.c, cu_model.c).
 */
#include <CUnit/CUnit.h>

#include "cu_tester.h"
#include "sub_fixture.h"

/* Four communities of 2,000 at the corners of a 200 m square: the heuristic
 * pairs them, two stations of 4,000, on distinct sites, every unit once. */
static void test_heur_pairs(void)
{
	hx *h = hx_corners();
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
	CU_SUITE_ADD("heur", NULL, NULL, CU_TEST_ENTRY(test_heur_pairs),
	             CU_TEST_ENTRY(test_heur_no_time), CU_TEST_ENTRY(test_flex_drop),
	             CU_TEST_ENTRY(test_heur_undo));
}
