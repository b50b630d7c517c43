/*
 * cu_rural.c: the rural pre-pass (include/rural.h) on layouts with known
 * answers: one station per administrative village at its walking 1-median,
 * villages sharing stations within rural_walk_distance_m under the rural
 * band, and the merge with the station solver's plan (views: the taken
 * sites stay free of urban stations).
 */
#include <CUnit/CUnit.h>

#include "cu_tester.h"
#include "rural.h"
#include "solver_fixture.h"
#include "verify.h"

/* The full station stage as the pipeline runs it. */
static status_code solve_all(fx *f, plan *p)
{
	rural_plan rp;
	inputs iv;
	reach rv;
	fx_reach(f);
	status_code rc = rural_solve(&f->in, &f->sites, &f->r, &f->sc, &rp, &f->st);
	if (rc == STATUS_OK &&
	    (rc = rural_views(&f->in, &f->r, &rp, &iv, &rv, &f->st)) == STATUS_OK) {
		rc = solver_solve(&iv, &f->sites, &rv, &f->sc, p, &f->st);
		rural_views_free(&iv, &rv);
		if (rc == STATUS_OK)
			rc = rural_merge(&rp, &f->sc, p, &f->st);
	}
	rural_plan_free(&rp);
	return rc;
}

/* Admin village A1: 100 at x = 0, 100 at x = 100, 50 at x = 1000 (sites:
 * their representative points and a grid point at x = 40 in the first).
 * Walking at 0: 60000, at 40: 58000, at 100: 55000, at 1000: 190000: the
 * station stands at x = 100. A2 (one village at 5000) and a village
 * without a code (its own administrative village) get one each. An urban
 * community of 3000 at x = 110 reaches the taken site at 100 but gets its
 * own station at 110. */
static void test_one_per_admin_village(void)
{
	fx f;
	fx_init(&f);
	scenario_set(&f.sc, "rules.rural=one_per_admin_village", &f.st);
	scenario_set(&f.sc, "input.admin_village_field=admin", &f.st);
	double xs[] = {0, 100, 1000, 5000, 9000};
	long hs[] = {100, 100, 50, 70, 10};
	char *codes[] = {"A1", "A1", "A1", "A2", ""};
	for (int i = 0; i < 5; i++) {
		int u = fx_unit(&f, hs[i], UNIT_RURAL, xs[i], 0);
		f.units[u].admin_village = codes[i];
	}
	int c = fx_unit(&f, 3000, UNIT_URBAN, 110, 0);
	for (int i = 0; i < 5; i++)
		fx_site(&f, xs[i], 0, SITE_REPRESENTATIVE, i);
	fx_site(&f, 40, 0, SITE_GRID, 0);
	fx_site(&f, 110, 0, SITE_REPRESENTATIVE, c);
	plan p = {0};
	CU_ASSERT_EQUAL_FATAL(solve_all(&f, &p), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(p.nstations, 4);
	/* by site index: 1 (x = 100), 3 (5000), 4 (9000), 6 (110) */
	CU_ASSERT_EQUAL(p.stations[0].site, 1);
	CU_ASSERT_EQUAL(p.stations[0].kind, STATION_VILLAGE);
	CU_ASSERT_EQUAL(p.stations[0].households, 250);
	CU_ASSERT_EQUAL(p.stations[0].nunits, 3);
	CU_ASSERT_EQUAL(p.stations[1].site, 3);
	CU_ASSERT_EQUAL(p.stations[2].site, 4);
	CU_ASSERT_EQUAL(p.stations[3].site, 6);
	CU_ASSERT_EQUAL(p.stations[3].kind, STATION_URBAN);
	CU_ASSERT_EQUAL(p.stations[3].households, 3000);
	CU_ASSERT_EQUAL_FATAL(p.nassign, 6);
	CU_ASSERT_EQUAL(p.assign[2].unit, 2);
	CU_ASSERT_EQUAL(p.assign[2].station, 0);
	CU_ASSERT_DOUBLE_EQUAL(p.assign[2].distance_m, 900, 1e-9);
	CU_ASSERT_EQUAL(p.assign[5].station, 3);
	CU_ASSERT_EQUAL(p.nuncovered, 0);
	/* the independent verifier knows the rule: clean, and a village moved to
	 * another administrative village's station is caught */
	char msg[512];
	CU_ASSERT_EQUAL(verify_plan(&f.in, &f.sites, &f.r, &f.sc, &p, msg, sizeof(msg)), 0);
	p.assign[2].station = 1;
	p.assign[2].distance_m = 4000;
	CU_ASSERT(verify_plan(&f.in, &f.sites, &f.r, &f.sc, &p, msg, sizeof(msg)) > 0);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(msg, "village 'u2' is served outside its administrative village 'A1'"));
	plan_free(&p);
	fx_free(&f);
}

/* Street s: 400 at x = 0, 300 at x = 500, 300 at x = 3000; shared within
 * 1000 m under [0, 1000]: the first two share a station at x = 0 (walking
 * 150000, against 200000 at 500), the third stands alone: 2 stations.
 * Under a maximum of 600 the two cannot share: 3. */
static void test_shared(void)
{
	for (int variant = 0; variant < 3; variant++) {
		fx f;
		fx_init(&f);
		scenario_set(&f.sc, "rules.rural=shared", &f.st);
		scenario_set(&f.sc, "rules.rural_walk_distance_m=1000", &f.st);
		scenario_set(&f.sc,
		             variant == 1   ? "rules.rural_households_max=600"
		             : variant == 2 ? "rules.rural_households_min=500"
		                            : "rules.rural_households_max=1000",
		             &f.st);
		double xs[] = {0, 500, 3000};
		long hs[] = {400, 300, 300};
		for (int i = 0; i < 3; i++) {
			int u = fx_unit(&f, hs[i], UNIT_RURAL, xs[i], 0);
			f.units[u].street = "s";
			fx_site(&f, xs[i], 0, SITE_REPRESENTATIVE, u);
		}
		plan p = {0};
		CU_ASSERT_EQUAL_FATAL(solve_all(&f, &p), STATUS_OK);
		if (variant == 1) {
			CU_ASSERT_EQUAL(p.nstations, 3);
		} else {
			/* with min 500 the lone village is isolated: allowed */
			CU_ASSERT_EQUAL_FATAL(p.nstations, 2);
			CU_ASSERT_EQUAL(p.stations[0].site, 0);
			CU_ASSERT_EQUAL(p.stations[0].households, 700);
			CU_ASSERT_EQUAL(p.stations[1].site, 2);
			CU_ASSERT_EQUAL(p.stations[1].households, 300);
			CU_ASSERT_DOUBLE_EQUAL(p.assign[1].distance_m, 500, 1e-9);
		}
		char msg[512];
		CU_ASSERT_EQUAL(verify_plan(&f.in, &f.sites, &f.r, &f.sc, &p, msg, sizeof(msg)), 0);
		CU_ASSERT_EQUAL(p.proven, 1);
		plan_free(&p);
		fx_free(&f);
	}
}

/* Validation: the field is needed, the band must hold. */
static void test_rural_keys(void)
{
	fx f;
	fx_init(&f);
	scenario_set(&f.sc, "input.units=u.gpkg", &f.st);
	scenario_set(&f.sc, "rules.rural=one_per_admin_village", &f.st);
	CU_ASSERT_EQUAL(scenario_validate(&f.sc, &f.st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(f.st.problems[0].msg,
	                       "input: admin_village_field = '', must name the field holding each "
	                       "village's administrative village code (rural = "
	                       "one_per_admin_village)");
	scenario_set(&f.sc, "rules.rural=shared", &f.st);
	scenario_set(&f.sc, "rules.rural_households_min=4000", &f.st);
	CU_ASSERT_EQUAL(scenario_validate(&f.sc, &f.st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(f.st.problems[1].msg,
	                       "rules: rural_households_min = 4000, rural_households_max = 3000, "
	                       "must be 0 <= min <= max and max > 0");
	fx_free(&f);
}

void rural_suite_setup(void)
{
	CU_SUITE_ADD("rural", NULL, NULL, CU_TEST_ENTRY(test_one_per_admin_village),
	             CU_TEST_ENTRY(test_shared), CU_TEST_ENTRY(test_rural_keys));
}
