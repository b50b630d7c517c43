/*
 * cu_cluster.c: the columns of a sub-problem (cluster.c): every unit set
 * within the maximum at its sites, listed by enumeration or offered one by
 * one, found and added by station; exact small answers on hand-made
 * fixtures (sub_fixture.h).
 */
#include <CUnit/CUnit.h>

#include "cu_tester.h"
#include "sub_fixture.h"

/* 2,000 / 2,000 / 3,500 within reach of one another: the sets within the
 * maximum are the three singletons and {0, 1}; one column each at its
 * least-cost site. */
static void test_cluster_enumerate(void)
{
	hx *h = hx_row3(2000, 2000, 3500, 200);
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

/* Columns added by station: an empty set, then {0, 1} at unit 1's site is
 * added once (a second add finds it), {0} at site 2 is missing until
 * added; each new column has the station's households and the cost of its
 * site and walk. */
static void test_cluster_add(void)
{
	hx *h = hx_row3(2000, 2000, 3500, 200);
	const sp_sub *s = &h->subs[0];
	sp_cols c;
	CU_ASSERT_EQUAL_FATAL(cluster_begin(s, &h->w.p, &c), 0);
	CU_ASSERT_EQUAL(c.n, 0);
	sp_station pair = {.site = 1, .n = 2, .u = (int[]){0, 1}};
	sp_station_refresh(s, &pair);
	CU_ASSERT_EQUAL(cluster_find(s, &c, &pair), -1);
	CU_ASSERT_EQUAL(cluster_add(s, &h->w.p, &c, &pair), 0);
	CU_ASSERT_EQUAL(cluster_add(s, &h->w.p, &c, &pair), 0);
	CU_ASSERT_EQUAL(c.n, 1);
	CU_ASSERT_EQUAL(c.lo[0], 4000);
	CU_ASSERT_DOUBLE_EQUAL(c.cost[0], 1 + 2000.0 * 200 / s->dscale, 1e-12);
	sp_station far = {.site = 2, .n = 1, .u = (int[]){0}};
	sp_station_refresh(s, &far);
	CU_ASSERT_EQUAL(cluster_find(s, &c, &far), -1);
	CU_ASSERT_EQUAL(cluster_add(s, &h->w.p, &c, &far), 1);
	CU_ASSERT_EQUAL(cluster_find(s, &c, &far), 1);
	CU_ASSERT_EQUAL(c.n, 2);
	CU_ASSERT_EQUAL(c.lo[1], 2000);
	CU_ASSERT_DOUBLE_EQUAL(c.cost[1], sp_station_cost(s, &h->w.p, &far), 1e-12);
	cluster_free(&c);
	hx_free(h);
}

/* The column cap: three units of 1,000 within reach of one another have
 * 7 sets within the maximum; with max_cols below what they need the
 * enumeration says so (1) and leaves nothing to free. */
static void test_cluster_cap(void)
{
	hx *h = hx_row3(1000, 1000, 1000, 100);
	sp_cols c;
	CU_ASSERT_EQUAL_FATAL(cluster_enumerate(&h->subs[0], &h->w.p, &c), 0);
	size_t need = c.n;
	int sets[8] = {0};
	for (size_t q = 0; q < c.n; q++) {
		int mask = 0;
		for (size_t m = c.start[q]; m < c.start[q + 1]; m++)
			mask |= 1 << c.unit[m];
		sets[mask]++;
	}
	for (int mask = 1; mask < 8; mask++)
		CU_ASSERT_TRUE(sets[mask] >= 1);
	cluster_free(&c);
	sp_params p = h->w.p;
	p.max_cols = need - 1;
	CU_ASSERT_EQUAL(cluster_enumerate(&h->subs[0], &p, &c), 1);
	hx_free(h);
}

void cluster_suite_setup(void)
{
	CU_SUITE_ADD("cluster", NULL, NULL, CU_TEST_ENTRY(test_cluster_enumerate),
	             CU_TEST_ENTRY(test_cluster_add), CU_TEST_ENTRY(test_cluster_cap));
}
