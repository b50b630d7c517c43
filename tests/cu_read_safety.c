/*
 * cu_read_safety.c: the readers on hostile data (issue 14 rows 7, 8, 13):
 * absurd coordinates refused before PROJ (a transformation of x = 1e60
 * never returned), the automatic CRS zone validated before its float-to-
 * int conversion, households in decimal only ("0x10" was read as 16), and
 * ids that differ only by case or trailing white space warned about.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_tester.h"

/* io/io_int.h (internal) */
int read_crs_auto_epsg(double lon, double lat);
int read_households_parse(const char *text, long *out, const char **why);

static void test_auto_epsg_absurd(void)
{
	CU_ASSERT_EQUAL(read_crs_auto_epsg(1.2e13, 30), 0);
	CU_ASSERT_EQUAL(read_crs_auto_epsg(-1.2e13, 30), 0);
	CU_ASSERT_EQUAL(read_crs_auto_epsg(NAN, 30), 0);
	CU_ASSERT_EQUAL(read_crs_auto_epsg(100, INFINITY), 0);
	CU_ASSERT_EQUAL(read_crs_auto_epsg(10, 91), 0);
	/* 0..360 longitudes wrap into -180..180 */
	CU_ASSERT_EQUAL(read_crs_auto_epsg(359, 10), 32630);
	CU_ASSERT_EQUAL(read_crs_auto_epsg(200, -10), 32704);
	CU_ASSERT_EQUAL(read_crs_auto_epsg(106.23, 38.49), 4544);
}

static void test_households_decimal_only(void)
{
	long v = -1;
	const char *why = NULL;
	CU_ASSERT_EQUAL(read_households_parse("0x10", &v, &why), -1);
	CU_ASSERT_STRING_EQUAL(why, "must be a whole number >= 0");
	CU_ASSERT_EQUAL(read_households_parse("0X1A", &v, &why), -1);
	CU_ASSERT_EQUAL(read_households_parse("infinity", &v, &why), -1);
	CU_ASSERT_EQUAL(read_households_parse(" 16 ", &v, &why), 0);
	CU_ASSERT_EQUAL(v, 16);
	CU_ASSERT_EQUAL(read_households_parse("1.6e3", &v, &why), 0);
	CU_ASSERT_EQUAL(v, 1600);
}

/* Row 7 and 13 through `stationplan check`: a point at x = 1e60 in
 * EPSG:3857 (with crs = auto and with an explicit CRS), households '0x10'
 * and the ids 'A1' / 'a1 '. `timeout` turns the old hang into a failure. */
static void test_check_hostile_units(void)
{
	char dir[600], cmd[2000], *out = NULL, *err = NULL;
	snprintf(dir, sizeof(dir), "%s/hostile", cu_outdir());
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir -p '%s'", dir, dir);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/huge.geojson", dir);
	FILE *f = fopen(cmd, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
	      "\"urn:ogc:def:crs:EPSG::3857\"}},\"features\":[\n"
	      "{\"type\":\"Feature\",\"properties\":{\"code\":\"A1\",\"name\":\"甲社区\","
	      "\"households\":3000,\"kind\":\"community\",\"district\":\"d\",\"street\":\"s\"},"
	      "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[11825000,4650000],[11826000,"
	      "4650000],[11826000,4651000],[11825000,4651000],[11825000,4650000]]]}},\n"
	      "{\"type\":\"Feature\",\"properties\":{\"code\":\"a1 \",\"name\":\"乙社区\","
	      "\"households\":\"0x10\",\"kind\":\"community\",\"district\":\"d\",\"street\":\"s\"},"
	      "\"geometry\":{\"type\":\"Point\",\"coordinates\":[1e60,4650000]}}\n]}\n",
	      f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s/auto.ini", dir);
	f = fopen(cmd, "w");
	fputs("[input]\nunits = huge.geojson\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s/fixed.ini", dir);
	f = fopen(cmd, "w");
	fputs("[input]\nunits = huge.geojson\ncrs = EPSG:4547\n", f);
	fclose(f);

	snprintf(cmd, sizeof(cmd), "timeout 60 %s check '%s/auto.ini'", cu_bin(), dir);
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 2);
	char want[3000];
	snprintf(want, sizeof(want),
	         "geometry errors (1):\n  error: %s/huge.geojson:huge fid 1: coordinate x = 1e+60 "
	         "is out of range (no CRS reaches beyond 1e+08)\n",
	         dir);
	CU_ASSERT_STRING_EQUAL(err, want);
	free(out), free(err);

	snprintf(cmd, sizeof(cmd), "timeout 60 %s check '%s/fixed.ini'", cu_bin(), dir);
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 2);
	snprintf(want, sizeof(want),
	         "households errors (1):\n"
	         "  error: %s/huge.geojson:huge fid 1 (code a1 ): households = '0x10', must be a "
	         "whole number >= 0\n"
	         "geometry errors (1):\n"
	         "  error: %s/huge.geojson:huge fid 1 (code a1 ): coordinate x = 1e+60 is out of "
	         "range (no CRS reaches beyond 1e+08)\n"
	         "id warnings (1):\n"
	         "  warning: %s/huge.geojson:huge fid 1 (code 'a1 '): differs from fid 0's 'A1' "
	         "only by case or white space\n",
	         dir, dir, dir);
	CU_ASSERT_STRING_EQUAL(err, want);
	free(out), free(err);
}

void read_safety_suite_setup(void)
{
	CU_SUITE_ADD("read_safety", NULL, NULL, CU_TEST_ENTRY(test_auto_epsg_absurd),
	             CU_TEST_ENTRY(test_households_decimal_only),
	             CU_TEST_ENTRY(test_check_hostile_units));
}
