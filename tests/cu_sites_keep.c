/*
 * cu_sites_keep.c: the input.keep hooks of sites_build() on hand-built
 * inputs: a kept station (unlocked: a candidate that replaces the sites
 * within SITES_KEEP_NEAR_M; locked: a fixed-open site of source existing),
 * a deleted station removing the sites near it, and one put back because
 * its village would have no site.
 */
#include <CUnit/CUnit.h>
#include <stdlib.h>
#include <string.h>

#include "cu_sites.h"
#include "cu_tester.h"
#include "unit_geom.h"

#define SQUARE  "POLYGON((10 10,510 10,510 510,10 510,10 10))"
#define VILLAGE "POLYGON((600 0,700 0,700 100,600 100,600 0))"

static void keep_free(inputs *in)
{
	point_set *sets[] = {&in->keep, &in->keep_deleted};
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; i < sets[k]->n; i++)
			free(sets[k]->id[i]);
		free(sets[k]->x), free(sets[k]->y), free(sets[k]->id), free(sets[k]->fid);
		free(sets[k]->source), free(sets[k]->layer);
		memset(sets[k], 0, sizeof(*sets[k]));
	}
	free(in->keep_locked);
	in->keep_locked = NULL;
}

/* Prepare the units, then build the sites, as the pipeline does. */
static status_code keep_build(const inputs *in, const scenario *sc, site_table *t, status *st)
{
	unit_geom *ug;
	status_code rc = unit_geom_prepare(in, sc, &ug, st);
	if (rc != STATUS_OK) {
		memset(t, 0, sizeof(*t));
		return rc;
	}
	rc = sites_build(in, sc, ug, t, st);
	unit_geom_free(ug);
	return rc;
}

/* One point into a keep set (id "7"), with its locked flag for in->keep. */
static void keep_point(inputs *in, point_set *ps, double x, double y, int locked)
{
	fx_point(ps, x, y, 7);
	if (ps == &in->keep) {
		in->keep_locked = realloc(in->keep_locked, ps->n);
		in->keep_locked[ps->n - 1] = (unsigned char)locked;
	}
}

static void test_kept_and_deleted(void)
{
	inputs in = {0};
	scenario sc;
	status st;
	site_table t;
	fx_scenario(&sc);
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(scenario_set(&sc, "input.keep=edited.gpkg", &st), STATUS_OK);
	status_free(&st);
	fx_unit(&in, "sq", UNIT_URBAN, 3000, SQUARE);

	/* unlocked: replaces the representative (260,260) and grid (250,250) */
	keep_point(&in, &in.keep, 270, 270, 0);
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(keep_build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL(t.n, 4);
	int k = fx_find_site(&t, 270, 270);
	CU_ASSERT_TRUE_FATAL(k >= 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(t.kept);
	CU_ASSERT_EQUAL(t.kept[k], SITE_KEPT_FREE);
	CU_ASSERT_EQUAL(t.sites[k].source, SITE_CANDIDATE);
	CU_ASSERT_EQUAL(fx_find_site(&t, 260, 260), -1);
	CU_ASSERT_EQUAL(fx_find_site(&t, 250, 250), -1);
	CU_ASSERT_TRUE(fx_find_site(&t, 500, 500) >= 0);
	CU_ASSERT_EQUAL(t.nkept_free, 1);
	sites_free(&t);
	status_free(&st);

	/* locked: fixed open, listed first like an existing station */
	in.keep_locked[0] = 1;
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(keep_build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL(t.n, 4);
	CU_ASSERT_EQUAL(fx_find_site(&t, 270, 270), 0);
	CU_ASSERT_EQUAL(t.sites[0].source, SITE_EXISTING);
	CU_ASSERT_EQUAL(t.kept[0], SITE_KEPT_LOCKED);
	CU_ASSERT_EQUAL(t.nkept_locked, 1);
	sites_free(&t);
	status_free(&st);
	keep_free(&in);

	/* deleted at a grid point: that site goes, the others stay */
	keep_point(&in, &in.keep_deleted, 510, 490, 0);
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(keep_build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL(t.n, 4);
	CU_ASSERT_EQUAL(fx_find_site(&t, 500, 500), -1);
	CU_ASSERT_EQUAL(t.navoided, 1);
	CU_ASSERT_EQUAL(t.nreproposed, 0);
	CU_ASSERT_EQUAL(st.nwarnings, 0);
	sites_free(&t);
	status_free(&st);
	keep_free(&in);

	/* deleted at a village's only site: put back, and said */
	fx_unit(&in, "v", UNIT_RURAL, 80, VILLAGE);
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(keep_build(&in, &sc, &t, &st), STATUS_OK);
	size_t nbefore = t.n;
	int v = -1;
	for (size_t i = 0; i < t.n; i++)
		if (t.sites[i].unit == 1)
			v = (int)i;
	CU_ASSERT_TRUE_FATAL(v >= 0);
	double vx = t.sites[v].x, vy = t.sites[v].y;
	sites_free(&t);
	status_free(&st);
	keep_point(&in, &in.keep_deleted, vx + 10, vy, 0);
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(keep_build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL(t.n, nbefore);
	CU_ASSERT_TRUE(fx_find_site(&t, vx, vy) >= 0);
	CU_ASSERT_EQUAL(t.nreproposed, 1);
	CU_ASSERT_EQUAL(st.nwarnings, 1);
	sites_free(&t);
	status_free(&st);
	keep_free(&in);
	fx_free(&in);
	scenario_free(&sc);
}

void sites_keep_suite_setup(void)
{
	CU_SUITE_ADD("sites_keep", NULL, NULL, CU_TEST_ENTRY(test_kept_and_deleted));
}
