/*
 * cu_decompose.c: the urban problem cut into independent sub-problems
 * (decompose.c): two units share a sub when some allowed site reaches both,
 * subs ordered by lowest unit, each with its units, sites, parts and
 * distances; exact small answers on hand-made fixtures (sub_fixture.h).
 */
#include <CUnit/CUnit.h>

#include "cu_tester.h"
#include "sub_fixture.h"

/* Two groups 5 km apart: two components, ordered by lowest unit, with their
 * units and sites; a unit of 12,000 has 3 parts of 4,000. */
static void test_components(void)
{
	hx *h = hx_of(3, (const long[]){2000, 12000, 2500},
	              (const double[][2]){{0, 0}, {5000, 0}, {300, 0}});
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

/* Two communities 1,800 m apart (walk 1,000 m): apart, two subs; a site
 * half-way reaches both (900 m each) and joins them into one sub of two
 * units and three sites, the shared site's distances those measured. */
static void test_components_bridge(void)
{
	for (int bridge = 0; bridge <= 1; bridge++) {
		hx *h = hx_new();
		pair_at(h, 2500, 0, 0);
		pair_at(h, 2500, 1800, 0);
		if (bridge)
			fx_site(&h->f, 900, 0, SITE_GRID, -1);
		hx_build(h);
		if (!bridge) {
			CU_ASSERT_EQUAL(h->n, 2);
			hx_free(h);
			continue;
		}
		CU_ASSERT_EQUAL_FATAL(h->n, 1);
		const sp_sub *s = &h->subs[0];
		CU_ASSERT_EQUAL(s->nu, 2);
		CU_ASSERT_EQUAL(s->ns, 3);
		CU_ASSERT_EQUAL(s->htotal, 5000);
		int mid = -1;
		for (int j = 0; j < s->ns; j++)
			if (sp_dist(s, j, 0) > 0 && sp_dist(s, j, 1) > 0)
				mid = j;
		CU_ASSERT_FATAL(mid >= 0);
		CU_ASSERT_DOUBLE_EQUAL(sp_dist(s, mid, 0), 900, 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(sp_dist(s, mid, 1), 900, 1e-9);
		/* each unit's own site does not reach the other */
		int unreachable = 0;
		for (int j = 0; j < s->ns; j++)
			unreachable += sp_dist(s, j, 0) < 0 || sp_dist(s, j, 1) < 0;
		CU_ASSERT_EQUAL(unreachable, 2);
		hx_free(h);
	}
}

/* Villages are planned apart (one station each, inside them): a village
 * beside two communities belongs to no sub, and the communities keep their
 * global indices in their sub. */
static void test_components_villages(void)
{
	hx *h = hx_new();
	pair_at(h, 2000, 0, 0);
	int v = fx_unit(&h->f, 300, UNIT_RURAL, 100, 0);
	fx_site(&h->f, 100, 0, SITE_REPRESENTATIVE, v);
	pair_at(h, 2000, 200, 0);
	hx_build(h);
	CU_ASSERT_EQUAL_FATAL(h->n, 1);
	CU_ASSERT_EQUAL(h->subs[0].nu, 2);
	CU_ASSERT_EQUAL(h->subs[0].unit[0], 0);
	CU_ASSERT_EQUAL(h->subs[0].unit[1], 2);
	CU_ASSERT_EQUAL(h->subs[0].htotal, 4000);
	hx_free(h);
}

void decompose_suite_setup(void)
{
	CU_SUITE_ADD("decompose", NULL, NULL, CU_TEST_ENTRY(test_components),
	             CU_TEST_ENTRY(test_components_bridge),
	             CU_TEST_ENTRY(test_components_villages));
}
