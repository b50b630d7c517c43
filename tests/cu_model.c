/*
 * cu_model.c: the set-partitioning MIP of a sub-problem (model.c) over its
 * listed columns, with the heuristic's plan as incumbent, and the plan read
 * back from column values; exact small answers on hand-made fixtures
 * (sub_fixture.h).
 */
#include <CUnit/CUnit.h>

#include "cu_tester.h"
#include "sub_fixture.h"

/* The model on the four corners with the heuristic's plan: optimal, the
 * bound equal to the objective. */
static void test_model_optimal(void)
{
	hx *h = hx_corners();
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

/* Three communities of 3,500 within reach of one another: no two fit the
 * maximum (7,000 > 5,000), so the optimum is three stations, each at its
 * own site (no walk): objective 3, proven, whatever the incumbent. */
static void test_model_three(void)
{
	hx *h = hx_of(3, (const long[]){3500, 3500, 3500},
	              (const double[][2]){{0, 0}, {300, 0}, {0, 300}});
	h->w.p.mip_gap = 0;
	CU_ASSERT_EQUAL_FATAL(h->n, 1);
	sp_sub *s = &h->subs[0];
	sp_sol inc = {0};
	for (int u = 0; u < 3; u++) /* a poor incumbent: each unit at the next one's site */
		CU_ASSERT_EQUAL(sp_sol_add(&inc, s->usite[s->us[(u + 1) % 3]], &u, 1, s), 0);
	CU_ASSERT_TRUE(sp_sol_cost(s, &h->w.p, &inc) > 3);
	sp_cols c;
	sp_result res = {0};
	CU_ASSERT_EQUAL_FATAL(cluster_enumerate(s, &h->w.p, &c), 0);
	CU_ASSERT_EQUAL(c.n, 3); /* each unit alone, once, at its cheapest site: its own */
	CU_ASSERT_EQUAL_FATAL(model_solve(s, &h->w.p, &c, &inc, 10.0, &res), 0);
	CU_ASSERT_STRING_EQUAL(res.status, "optimal");
	CU_ASSERT_EQUAL_FATAL(res.sol.n, 3);
	for (int t = 0; t < 3; t++) {
		CU_ASSERT_EQUAL(res.sol.st[t].n, 1);
		CU_ASSERT_EQUAL(s->usite[s->us[res.sol.st[t].u[0]]], res.sol.st[t].site);
	}
	CU_ASSERT_DOUBLE_EQUAL(sp_sol_cost(s, &h->w.p, &res.sol), 3, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(res.bound, 3, 1e-9);
	sp_sol_free(&inc);
	sp_sol_free(&res.sol);
	cluster_free(&c);
	hx_free(h);
}

/* A plan read back from column values: values rounded, a column taken 0
 * times left out; the stations are those of the chosen columns, sorted,
 * with their households. */
static void test_model_values(void)
{
	hx *h = hx_corners();
	const sp_sub *s = &h->subs[0];
	sp_cols c;
	CU_ASSERT_EQUAL_FATAL(cluster_begin(s, &h->w.p, &c), 0);
	sp_station a = {.site = 0, .n = 2, .u = (int[]){0, 1}};
	sp_station b = {.site = 3, .n = 2, .u = (int[]){2, 3}};
	sp_station d = {.site = 2, .n = 1, .u = (int[]){2}};
	sp_station_refresh(s, &a);
	sp_station_refresh(s, &b);
	sp_station_refresh(s, &d);
	CU_ASSERT_EQUAL(cluster_add(s, &h->w.p, &c, &d), 0);
	CU_ASSERT_EQUAL(cluster_add(s, &h->w.p, &c, &b), 1);
	CU_ASSERT_EQUAL(cluster_add(s, &h->w.p, &c, &a), 2);
	sp_sol sol;
	CU_ASSERT_EQUAL_FATAL(model_sol_from_values(s, &c, (double[]){0.2, 0.9999, 1.0}, &sol), 0);
	CU_ASSERT_EQUAL_FATAL(sol.n, 2);
	long total = 0;
	int seen[4] = {0};
	for (int t = 0; t < sol.n; t++) {
		total += sol.st[t].lo;
		CU_ASSERT_EQUAL(sol.st[t].n, 2);
		for (int m = 0; m < sol.st[t].n; m++)
			seen[sol.st[t].u[m]]++;
	}
	CU_ASSERT_EQUAL(total, 8000);
	for (int u = 0; u < 4; u++)
		CU_ASSERT_EQUAL(seen[u], 1);
	CU_ASSERT_DOUBLE_EQUAL(sp_sol_cost(s, &h->w.p, &sol), 2 + 2 * 2000.0 * 200 / s->dscale,
	                       1e-12);
	sp_sol_free(&sol);
	cluster_free(&c);
	hx_free(h);
}

void model_suite_setup(void)
{
	CU_SUITE_ADD("model", NULL, NULL, CU_TEST_ENTRY(test_model_optimal),
	             CU_TEST_ENTRY(test_model_three), CU_TEST_ENTRY(test_model_values));
}
