/*
 * cu_check.c: `stationplan check` end to end, through the binary: the
 * summary of a good scenario on stdout with exit 0; every problem grouped
 * by kind on stderr with exit 2; the scenario and data problems of one run
 * reported together; -v lists repaired polygons; usage errors exit 1.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_tester.h"

/* Run `stationplan ARGS`; returns the exit status, fills out/err. */
static int check(const char *args, char **out, char **err)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "%s %s", cu_bin(), args);
	return cu_run(cmd, out, err);
}

static void test_good_summary(void)
{
	char *out, *err;
	CU_ASSERT_EQUAL(check("check fixtures/bad/good_extra.ini", &out, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "check fixtures/bad/good_extra.ini\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "  units        6 (4 urban, 2 rural) in fixtures/bad/good.gpkg:units\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  households   12400\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  districts    1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  streets      3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  repaired     0 polygon(s)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  crs          EPSG:4326 -> EPSG:4548 (auto)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  existing     2 point(s)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  exclude      1 polygon(s), buffered by 50 m\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  result       ok: 0 error(s), 0 warning(s)\n"));
	CU_ASSERT_STRING_EQUAL(err, "");
	free(out), free(err);

	/* --set after the file, and an explicit CRS */
	CU_ASSERT_EQUAL(check("check fixtures/bad/good.ini --set input.crs=EPSG:4549", &out, &err),
	                0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  crs          EPSG:4326 -> EPSG:4549\n"));
	free(out), free(err);
}

static void test_bad_data_exit_2(void)
{
	char *out, *err;
	CU_ASSERT_EQUAL(check("check fixtures/bad/bad_households.ini", &out, &err), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err,
	                              "households errors (3):\n"
	                              "  error: fixtures/bad/households.gpkg:units fid 2 (code "
	                              "371502001002): households = 'abc', must be a whole "
	                              "number >= 0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err,
	                              "  error: fixtures/bad/households.gpkg:units fid 4 (code "
	                              "371502002001): households = '-3', must be >= 0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  result       bad input: 3 error(s), 0 warning(s)\n"));
	free(out), free(err);

	CU_ASSERT_EQUAL(check("-q check fixtures/bad/bad_encoding.ini", &out, &err), 2);
	CU_ASSERT_STRING_EQUAL(out, "");
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "encoding errors (6):\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "set input.units_open_options = ENCODING=CP936\n"));
	free(out), free(err);

	/* the fix the message suggests, given on the command line */
	CU_ASSERT_EQUAL(check("-q check fixtures/bad/bad_encoding.ini --set "
	                      "input.units_open_options=ENCODING=CP936",
	                      &out, &err),
	                0);
	free(out), free(err);
}

static void test_all_problems_at_once(void)
{
	char *out, *err;
	/* a scenario error and a data error are both reported, grouped */
	CU_ASSERT_EQUAL(check("check fixtures/bad/bad_dupid.ini --set rules.households_min=9000 "
	                      "--set rules.walk_distanse_m=800",
	                      &out, &err),
	                2);
	CU_ASSERT_STRING_EQUAL(err,
	                       "scenario errors (2):\n"
	                       "  error: --set 'rules.walk_distanse_m=800': unknown key "
	                       "'walk_distanse_m' in [rules] (did you mean 'walk_distance_m'?)\n"
	                       "  error: rules: households_min = 9000 > households_max = 5000\n"
	                       "id errors (1):\n"
	                       "  error: fixtures/bad/dupid.gpkg:units fid 5 (code 371502001002): "
	                       "duplicate id, also on fid 2\n");
	free(out), free(err);

	CU_ASSERT_EQUAL(check("check fixtures/bad/bad_syntax.ini", &out, &err), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err,
	                              "  error: fixtures/bad/bad_syntax.ini:3: syntax error: "
	                              "'households_min 3000' is neither '[section]' nor 'key = "
	                              "value'\n"));
	free(out), free(err);

	CU_ASSERT_EQUAL(check("check fixtures/bad/bad_walk.ini", &out, &err), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "  error: rules: walk_distance_m = 0, must be > 0\n"));
	free(out), free(err);

	CU_ASSERT_EQUAL(check("check fixtures/bad/bad_nofile.ini", &out, &err), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "file errors (1):\n  error: input.units = "
	                                   "fixtures/bad/nosuch.gpkg: no such file\n"));
	free(out), free(err);
}

static void test_verbose_lists_repairs(void)
{
	char *out, *err;
	CU_ASSERT_EQUAL(check("check fixtures/bad/good_bowtie.ini", &out, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "  repaired     1 polygon(s) (-v lists them)\n"));
	CU_ASSERT_PTR_NULL(strstr(err, "repaired"));
	free(out), free(err);
	CU_ASSERT_EQUAL(check("check -v fixtures/bad/good_bowtie.ini", &out, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err,
	                              "repaired notes (1):\n  info: fixtures/bad/bowtie.gpkg:units "
	                              "fid 1 (code 371502001001): invalid polygon repaired with "
	                              "MakeValid"));
	free(out), free(err);
}

static void test_usage(void)
{
	char *out, *err;
	CU_ASSERT_EQUAL(check("check", &out, &err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "usage: stationplan check SCENARIO.ini"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "stationplan: error: check: no scenario file given\n"));
	free(out), free(err);
	CU_ASSERT_EQUAL(check("check a.ini --frobnicate", &out, &err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    err, "stationplan: error: check: unknown or incomplete option '--frobnicate'\n"));
	free(out), free(err);
	CU_ASSERT_EQUAL(check("check fixtures/bad/nosuch.ini", &out, &err), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "  error: fixtures/bad/nosuch.ini: cannot read "
	                                   "scenario: No such file or directory\n"));
	free(out), free(err);
}

void check_suite_setup(void)
{
	CU_SUITE_ADD("check", NULL, NULL, CU_TEST_ENTRY(test_good_summary),
	             CU_TEST_ENTRY(test_bad_data_exit_2), CU_TEST_ENTRY(test_all_problems_at_once),
	             CU_TEST_ENTRY(test_verbose_lists_repairs), CU_TEST_ENTRY(test_usage));
}
