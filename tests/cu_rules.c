/*
 * cu_rules.c: the plans' rules (src/core/rules.c), on exact values at and
 * around every boundary.
 */
#include <CUnit/CUnit.h>

#include "cu_tester.h"
#include "rules.h"
#include "scenario.h"

static void test_band(void)
{
	rules_band b = {3000, 5000};
	CU_ASSERT_FALSE(rules_band_fits(b, 2999));
	CU_ASSERT_TRUE(rules_band_fits(b, 3000));
	CU_ASSERT_TRUE(rules_band_fits(b, 5000));
	CU_ASSERT_FALSE(rules_band_fits(b, 5001));
	CU_ASSERT_TRUE(rules_band_under(b, 2999));
	CU_ASSERT_FALSE(rules_band_under(b, 3000));
	CU_ASSERT_TRUE(rules_band_over(b, 5001));
	CU_ASSERT_FALSE(rules_band_over(b, 5000));
	rules_band zero = {0, 5000};
	CU_ASSERT_TRUE(rules_band_fits(zero, 0));
	CU_ASSERT_FALSE(rules_site_isolated(zero, 0));
}

static void test_room(void)
{
	rules_band b = {3000, 5000};
	CU_ASSERT_EQUAL(rules_band_room(b, 0), 5000);
	CU_ASSERT_EQUAL(rules_band_room(b, 4999), 1);
	CU_ASSERT_EQUAL(rules_band_room(b, 5000), 0);
	CU_ASSERT_EQUAL(rules_band_room(b, 5300), -300);
	/* room > 0 exactly when one more household is not over the band */
	for (long load = 4990; load <= 5010; load++)
		CU_ASSERT_EQUAL(rules_band_room(b, load) > 0, !rules_band_over(b, load + 1));
}

static void test_isolated(void)
{
	rules_band b = {3000, 5000};
	CU_ASSERT_TRUE(rules_site_isolated(b, 0));
	CU_ASSERT_TRUE(rules_site_isolated(b, 2999));
	CU_ASSERT_FALSE(rules_site_isolated(b, 3000));
}

static void test_parts(void)
{
	rules_band b = {3000, 5000};
	CU_ASSERT_EQUAL(rules_unit_parts(b, 0), 1);
	CU_ASSERT_EQUAL(rules_unit_parts(b, 1), 1);
	CU_ASSERT_EQUAL(rules_unit_parts(b, 5000), 1);
	CU_ASSERT_EQUAL(rules_unit_parts(b, 5001), 2);
	CU_ASSERT_EQUAL(rules_unit_parts(b, 10000), 2);
	CU_ASSERT_EQUAL(rules_unit_parts(b, 12000), 3);
	rules_band one = {0, 1};
	CU_ASSERT_EQUAL(rules_unit_parts(one, 262112), 262112);
}

static void test_village(void)
{
	scenario sc;
	status st;
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(scenario_init(&sc, &st), STATUS_OK);
	CU_ASSERT_TRUE(rules_unit_is_village(&sc, UNIT_RURAL));
	CU_ASSERT_FALSE(rules_unit_is_village(&sc, UNIT_URBAN));
	sc.rural = RURAL_AS_URBAN;
	CU_ASSERT_FALSE(rules_unit_is_village(&sc, UNIT_RURAL));
	rules_band b = rules_urban_band(&sc);
	CU_ASSERT_EQUAL(b.min, 3000);
	CU_ASSERT_EQUAL(b.max, 5000);
	scenario_free(&sc);
	status_free(&st);
}

/* A station is counted where its site lies, else where it serves the most
 * households (the lower unit on ties), else nowhere (""). */
static void test_station_places(void)
{
	unit units[3] = {{.id = "a", .district = "D1", .street = "S1"},
	                 {.id = "b", .district = "D2", .street = "S2"},
	                 {.id = "c", .district = "D3", .street = NULL}};
	inputs in = {.units = units, .nunits = 3};
	site sv[3] = {{.unit = 0}, {.unit = -1}, {.unit = -1}};
	site_table sites = {.n = 3, .sites = sv};
	plan_station st[3] = {{.site = 0}, {.site = 1}, {.site = 2}};
	plan_assign as[4] = {{.unit = 1, .station = 0, .households = 900},
	                     {.unit = 1, .station = 1, .households = 500},
	                     {.unit = 2, .station = 1, .households = 800},
	                     {.unit = 0, .station = 1, .households = 800}};
	plan p = {.nstations = 3, .stations = st, .nassign = 4, .assign = as};
	const char *d[3], *t[3];
	CU_ASSERT_EQUAL_FATAL(rules_station_places(&in, &sites, &p, d, t), 0);
	CU_ASSERT_STRING_EQUAL(d[0], "D1"); /* its site, whatever it serves */
	CU_ASSERT_STRING_EQUAL(t[0], "S1");
	CU_ASSERT_STRING_EQUAL(d[1], "D3"); /* 800 of 'c' first, then a tie: kept */
	CU_ASSERT_STRING_EQUAL(t[1], "");   /* a NULL street reads "" */
	CU_ASSERT_STRING_EQUAL(d[2], "");   /* serves nothing, in no unit */
}

void rules_suite_setup(void)
{
	CU_SUITE_ADD("rules", NULL, NULL, CU_TEST_ENTRY(test_band), CU_TEST_ENTRY(test_room),
	             CU_TEST_ENTRY(test_isolated), CU_TEST_ENTRY(test_parts),
	             CU_TEST_ENTRY(test_village), CU_TEST_ENTRY(test_station_places));
}
