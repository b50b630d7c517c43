/*
 * cu_levels_e2e.c: the upper levels end to end: the four plans of the
 * README (fixtures/levels: Dalian, Yinchuan, Liaocheng, Lianyungang) run by
 * the binary on the demo district, the GeoPackage opened with GDAL and
 * checked for what the inputs determine (counts, sums, parcels, existing
 * centres, the chain of flows), and the bad inputs of a level (missing
 * layer or field, capacity under the load, a required group that does not
 * exist, contradicting keys) refused with exit 2 and nothing written.
 */
#include <CUnit/CUnit.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gdal.h>
#include <ogr_api.h>

#include "cu_tester.h"

#define DEMO_HOUSEHOLDS 262112
#define DEMO_STREETS    16

static GDALDatasetH ds_open(const char *path)
{
	GDALAllRegister();
	return GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
}

/* First column of the first row of the query, as a number (-999999 none). */
static double q(GDALDatasetH ds, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
	double v = -999999;
	if (!l)
		return v;
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	if (f && OGR_F_IsFieldSetAndNotNull(f, 0))
		v = OGR_F_GetFieldAsDouble(f, 0);
	if (f)
		OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, l);
	return v;
}

/* The same as text into buf ("" none). */
static const char *qs(GDALDatasetH ds, char *buf, size_t size, const char *sql)
{
	buf[0] = '\0';
	OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
	if (!l)
		return buf;
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	if (f && OGR_F_IsFieldSetAndNotNull(f, 0))
		snprintf(buf, size, "%s", OGR_F_GetFieldAsString(f, 0));
	if (f)
		OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, l);
	return buf;
}

/* Run `stationplan run fixtures/levels/<name>.ini -o OUT <extra>`; the
 * output path into out. Returns the exit status; stderr into *err. */
static int run_plan(const char *name, const char *tag, const char *extra, char *out, size_t outsize,
                    char **err)
{
	char cmd[4096];
	snprintf(out, outsize, "%s/levels-%s.gpkg", cu_outdir(), tag);
	unlink(out);
	snprintf(cmd, sizeof(cmd), "%s run fixtures/levels/%s.ini -o %s -q %s", cu_bin(), name, out,
	         extra ? extra : "");
	char *o = NULL;
	int rc = cu_run(cmd, &o, err);
	free(o);
	return rc;
}

/* Every level's layer holds all the households, flows hold each level's
 * lower facilities once, and every flow ends at a facility of its level. */
static void chain_check(GDALDatasetH ds, const char *const *levels, int n)
{
	CU_ASSERT_EQUAL(q(ds, "SELECT sum(households) FROM stations"), DEMO_HOUSEHOLDS);
	for (int i = 0; i < n; i++) {
		CU_ASSERT_EQUAL(q(ds, "SELECT sum(households) FROM %s", levels[i]),
		                DEMO_HOUSEHOLDS);
		double lower = i ? q(ds, "SELECT count(*) FROM %s", levels[i - 1])
		                 : q(ds, "SELECT count(*) FROM stations");
		CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM flows WHERE level = '%s'", levels[i]),
		                lower);
		CU_ASSERT_EQUAL(q(ds, "SELECT sum(lower) FROM %s", levels[i]), lower);
		CU_ASSERT_EQUAL(q(ds,
		                  "SELECT count(*) FROM flows f LEFT JOIN %s u ON u.id = f.to_id "
		                  "WHERE f.level = '%s' AND u.id IS NULL",
		                  levels[i], levels[i]),
		                0);
		CU_ASSERT_EQUAL(
		    q(ds, "SELECT sum(households) FROM flows WHERE level = '%s'", levels[i]),
		    DEMO_HOUSEHOLDS);
		CU_ASSERT_EQUAL(q(ds,
		                  "SELECT count(*) FROM run_levels WHERE level = '%s' AND "
		                  "status = 'optimal' AND gap <= 0.005",
		                  levels[i]),
		                1);
	}
	/* first level's flows start at stations */
	CU_ASSERT_EQUAL(q(ds,
	                  "SELECT count(*) FROM flows f LEFT JOIN stations s ON s.station_id = "
	                  "f.from_id WHERE f.level = '%s' AND s.station_id IS NULL",
	                  levels[0]),
	                0);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM unplaced"), 0);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM layer_styles WHERE f_table_name = 'flows'"), 1);
}

/* Lianyungang: stations -> one collection point per street at a station
 * -> two sorting centres at candidates, 150 t/day each -> one market. */
static void test_lianyungang(void)
{
	char out[1024], *err = NULL;
	CU_ASSERT_EQUAL_FATAL(run_plan("lianyungang", "lyg", NULL, out, sizeof(out), &err), 0);
	free(err);
	GDALDatasetH ds = ds_open(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	const char *levels[] = {"collection_points", "sorting_centres", "markets"};
	chain_check(ds, levels, 3);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM collection_points"), DEMO_STREETS);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(DISTINCT \"group\") FROM collection_points"),
	                DEMO_STREETS);
	/* a collection point stands on one of its street's stations */
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM collection_points c JOIN stations s ON "
	                      "s.station_id = CAST(c.place_id AS INTEGER) AND s.street = c.street"),
	                DEMO_STREETS);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM sorting_centres"), 2);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM sorting_centres WHERE households > 150000"), 0);
	CU_ASSERT_DOUBLE_EQUAL(q(ds, "SELECT sum(load_t_day) FROM sorting_centres"),
	                       DEMO_HOUSEHOLDS / 1000.0, 1e-6);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM markets"), 1);
	CU_ASSERT_EQUAL(q(ds, "SELECT lower FROM markets"), 2);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM run_levels"), 3);
	/* a column per level in the summaries */
	CU_ASSERT_EQUAL(q(ds, "SELECT collection_points FROM summary_district"), DEMO_STREETS);
	CU_ASSERT_EQUAL(q(ds, "SELECT markets FROM summary_district"), 1);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM summary_street WHERE collection_points = 1"),
	                DEMO_STREETS);
	CU_ASSERT_EQUAL(q(ds, "SELECT sum(sorting_centres) FROM summary_street"), 2);
	GDALClose(ds);

	/* the same inputs give the same bytes (the same file name in another
	 * folder: the stored QGIS project names its own file, as QGIS does) */
	char again[1024], cmd[4200], *o = NULL;
	snprintf(again, sizeof(again), "%s/again/levels-lyg.gpkg", cu_outdir());
	snprintf(cmd, sizeof(cmd),
	         "mkdir -p %s/again && rm -f %s && %s run fixtures/levels/lianyungang.ini -o %s -q",
	         cu_outdir(), again, cu_bin(), again);
	CU_ASSERT_EQUAL_FATAL(cu_run(cmd, &o, &err), 0);
	free(o), free(err);
	o = NULL;
	snprintf(cmd, sizeof(cmd), "cmp %s %s", out, again);
	CU_ASSERT_EQUAL(cu_run(cmd, &o, &err), 0);
	free(o), free(err);
}

/* Dalian: one green sorting centre per district on a parcel >= 5000 m2. */
static void test_dalian(void)
{
	char out[1024], buf[256], *err = NULL;
	CU_ASSERT_EQUAL_FATAL(run_plan("dalian", "dalian", NULL, out, sizeof(out), &err), 0);
	free(err);
	GDALDatasetH ds = ds_open(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	const char *levels[] = {"sorting_centres"};
	chain_check(ds, levels, 1);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM sorting_centres"), 1);
	CU_ASSERT_STRING_EQUAL(qs(ds, buf, sizeof(buf), "SELECT \"group\" FROM sorting_centres"),
	                       "兴庆区");
	CU_ASSERT(q(ds, "SELECT area_m2 FROM sorting_centres") >= 5000);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM parcels_used"), 1);
	CU_ASSERT_DOUBLE_EQUAL(q(ds, "SELECT area_m2 FROM parcels_used"),
	                       q(ds, "SELECT area_m2 FROM sorting_centres"), 1e-6);
	/* the centre stands inside its parcel */
	CU_ASSERT_EQUAL(q(ds, "SELECT ST_Intersects(p.geom, c.geom) FROM parcels_used p, "
	                      "sorting_centres c"),
	                1);
	GDALClose(ds);

	/* per street: 月牙湖乡 has only a 2500 m2 parcel: unplaced, exit 3 */
	CU_ASSERT_EQUAL(run_plan("dalian", "dalian-street",
	                         "--set level.sorting_centres.per=street "
	                         "--set level.sorting_centres.required=",
	                         out, sizeof(out), &err),
	                3);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "group '月牙湖乡'"));
	free(err);
	ds = ds_open(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM sorting_centres"), DEMO_STREETS - 1);
	CU_ASSERT_EQUAL(q(ds, "SELECT missing FROM unplaced WHERE \"group\" = '月牙湖乡' AND "
	                      "missing > 0"),
	                1);
	CU_ASSERT_STRING_EQUAL(
	    qs(ds, buf, sizeof(buf), "SELECT reason FROM unplaced WHERE missing > 0"),
	    "0 parcel(s) of at least min_area_m2 = 5000 for 1 facilities");
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM parcels_used WHERE area_m2 < 5000"), 0);
	GDALClose(ds);
}

/* Liaocheng: the built centre is kept and serves the district. */
static void test_liaocheng(void)
{
	char out[1024], buf[256], *err = NULL;
	CU_ASSERT_EQUAL_FATAL(run_plan("liaocheng", "liaocheng", NULL, out, sizeof(out), &err), 0);
	free(err);
	GDALDatasetH ds = ds_open(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	const char *levels[] = {"sorting_centres"};
	chain_check(ds, levels, 1);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM sorting_centres"), 1);
	CU_ASSERT_EQUAL(q(ds, "SELECT existing FROM sorting_centres"), 1);
	CU_ASSERT_STRING_EQUAL(qs(ds, buf, sizeof(buf), "SELECT place_id FROM sorting_centres"),
	                       "E01");
	GDALClose(ds);
}

/* Yinchuan: one point per administrative village (15 of them for the 43
 * villages), a transfer station per street, 5 sorting centres of which the
 * built one. */
static void test_yinchuan(void)
{
	char out[1024], *err = NULL;
	CU_ASSERT_EQUAL_FATAL(run_plan("yinchuan", "yinchuan", NULL, out, sizeof(out), &err), 0);
	free(err);
	GDALDatasetH ds = ds_open(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	const char *levels[] = {"transfer_stations", "sorting_centres"};
	chain_check(ds, levels, 2);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM stations WHERE kind = 'village'"), 15);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM stations WHERE kind = 'village' AND units = 3"),
	                14); /* 丽景街街道: 4 villages = 3 + 1 */
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM transfer_stations"), DEMO_STREETS);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM sorting_centres"), 5);
	CU_ASSERT_EQUAL(q(ds, "SELECT sum(existing) FROM sorting_centres"), 1);
	GDALClose(ds);
}

/* compare reports every level: Liaocheng's built centre against Dalian's
 * parcel (run by the tests above), and a plan against itself. */
static void test_compare(void)
{
	char cmd[4096], *out = NULL, *err = NULL;
	snprintf(cmd, sizeof(cmd), "%s compare %s/levels-liaocheng.gpkg %s/levels-dalian.gpkg",
	         cu_bin(), cu_outdir(), cu_outdir());
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "upper levels (kept: within 50 m):\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "sorting_centres      1      1  0        1        0  "
	                                   "262112  262112    6256    6108     0      1        1"));
	free(out), free(err);
	snprintf(cmd, sizeof(cmd), "%s compare %s/levels-lyg.gpkg %s/levels-lyg.gpkg --format md",
	         cu_bin(), cu_outdir(), cu_outdir());
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "| collection_points | 16 | 16 | 0 | 0 | 0 | 262112 | "
	                                   "262112 |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "| markets | 1 | 1 | 0 | 0 | 0 | 262112 | 262112 |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "| 1 | 0 | 0 |\n")); /* markets: kept 1 */
	free(out), free(err);
}

/* The run record's parameters list every key of every level, so compare
 * shows two plans that differ only in a level key. */
static void test_compare_level_keys(void)
{
	char a[1024], b[1024], cmd[4096], buf[256], *out = NULL, *err = NULL;
	CU_ASSERT_EQUAL(run_plan("liaocheng", "keys-a", NULL, a, sizeof(a), &err), 0);
	free(err);
	CU_ASSERT_EQUAL(run_plan("liaocheng", "keys-b",
	                         "--set level.sorting_centres.max_distance_m=90000", b, sizeof(b),
	                         &err),
	                0);
	free(err);
	GDALDatasetH ds = ds_open(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_STRING_EQUAL(qs(ds, buf, sizeof(buf),
	                          "SELECT instr(parameters, 'level.sorting_centres.per = district"
	                          "\nlevel.sorting_centres.count = -1\n') > 0 FROM run"),
	                       "1");
	CU_ASSERT_STRING_EQUAL(qs(ds, buf, sizeof(buf), "SELECT substr(parameters, -42) FROM run"),
	                       "level.sorting_centres.cross_groups = false");
	GDALClose(ds);
	snprintf(cmd, sizeof(cmd), "%s compare %s %s", cu_bin(), a, b);
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "parameters that differ:\n"
	                                   "parameter                             A  B\n"
	                                   "----------------------------------------------\n"
	                                   "level.sorting_centres.max_distance_m  0  90000\n\n"));
	free(out), free(err);
}

/* The Lianyungang chain in two phases (50 stations by 2025, all 97 by
 * 2030) with level budgets: 4 collection points and 1 sorting centre by
 * 2025. Every facility has its phase; the budgets hold; the households the
 * 2025 collection points take from the 2025 stations in the written flows
 * are the figure run_levels.phases reports for 2025. */
static void test_phases(void)
{
	char out[1024], buf[1024], *err = NULL;
	CU_ASSERT_EQUAL_FATAL(
	    run_plan("lianyungang", "phases",
	             "--set phases.2025=50 --set phases.2030=97 --set "
	             "phases.collection_points.2025=4 --set phases.collection_points.2030=16 "
	             "--set phases.sorting_centres.2025=1",
	             out, sizeof(out), &err),
	    0);
	free(err);
	GDALDatasetH ds = ds_open(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM collection_points WHERE phase = 2025"), 4);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM collection_points WHERE phase = 2030"), 12);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM sorting_centres WHERE phase = 2025"), 1);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM sorting_centres WHERE phase = 2030"), 1);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM markets WHERE phase = 2025"), 1);
	CU_ASSERT_EQUAL(q(ds, "SELECT count(*) FROM stations WHERE phase = 2025"), 50);
	CU_ASSERT_EQUAL(q(ds, "SELECT sum(f.households) FROM flows f JOIN stations s ON "
	                      "s.station_id = f.from_id JOIN collection_points c ON c.id = "
	                      "f.to_id WHERE f.level = 'collection_points' AND s.phase = 2025 AND "
	                      "c.phase = 2025"),
	                112013);
	CU_ASSERT_STRING_EQUAL(qs(ds, buf, sizeof(buf),
	                          "SELECT substr(phases, 1, 65) FROM run_levels WHERE level = "
	                          "'collection_points'"),
	                       "2025: 4 facilities (budget 4), 112013 of 231314 households routed");
	CU_ASSERT_STRING_EQUAL(
	    qs(ds, buf, sizeof(buf), "SELECT phases FROM run_levels WHERE level = 'markets'"),
	    "2025: 1 facilities, those receiving a lower facility open that "
	    "year; 2030: 1 facilities, the full placement");
	/* the level's QGIS style: categorised by phase */
	CU_ASSERT_STRING_EQUAL(qs(ds, buf, sizeof(buf),
	                          "SELECT description FROM layer_styles WHERE f_table_name = "
	                          "'collection_points'"),
	                       "stationplan: upper level, sized by level, by phase");
	CU_ASSERT_EQUAL(q(ds, "SELECT instr(styleQML, '<renderer-v2 type=\"categorizedSymbol\" "
	                      "attr=\"phase\"') > 0 AND instr(styleQML, '<category render=\"true\" "
	                      "symbol=\"1\" value=\"2025\" label=\"by 2025\"/>') > 0 FROM "
	                      "layer_styles WHERE f_table_name = 'sorting_centres'"),
	                1);
	GDALClose(ds);

	/* Liaocheng's built centre is open from phase 0: a budget of 0 is an error */
	CU_ASSERT_EQUAL(run_plan("liaocheng", "phases-bad",
	                         "--set phases.2025=50 --set phases.2030=97 --set "
	                         "phases.sorting_centres.2025=0",
	                         out, sizeof(out), &err),
	                2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err ? err : "",
	                              "phases: sorting_centres.2025 = 0 is below the 1 existing "
	                              "facilities of level 'sorting_centres'"));
	CU_ASSERT_EQUAL(access(out, F_OK), -1);
	free(err);
}

/* Bad input: exit 2, the named error, no file. */
static void bad(const char *extra, const char *want)
{
	char out[1024], *err = NULL;
	CU_ASSERT_EQUAL(run_plan("lianyungang", "bad", extra, out, sizeof(out), &err), 2);
	if (!strstr(err ? err : "", want))
		fprintf(stderr, "\nwanted '%s' in:\n%s\n", want, err ? err : "");
	CU_ASSERT_PTR_NOT_NULL(strstr(err ? err : "", want));
	CU_ASSERT_EQUAL(access(out, F_OK), -1);
	free(err);
}

static void test_bad_input(void)
{
	bad("--set level.sorting_centres.candidates_layer=nope",
	    "fixtures/levels/candidates.geojson: no layer 'nope' (layers: candidates)");
	bad("--set level.sorting_centres.id_field=code_nope",
	    "level.sorting_centres.id_field = code_nope: no such field (fields: id)");
	bad("--set level.sorting_centres.capacity=100000",
	    "level.sorting_centres: group 'city': capacity = 100000 households x 2 facilities "
	    "cannot hold the load of 262112 households");
	bad("--set level.sorting_centres.required=兴庆区,金凤区",
	    "level.sorting_centres: required = 兴庆区,金凤区: no district '金凤区' among the "
	    "units");
	bad("--set phases.2025=50 --set phases.nope.2025=1",
	    "phases: nope.2025 = 1: no [level.nope] (levels: collection_points, sorting_centres, "
	    "markets)");
	bad("--set level.markets.count=0", "[level.markets]: count = 0, must be >= 1");
	bad("--set level.markets.candidates=candidates.geojson",
	    "[level.markets]: candidates, parcels and at contradict: give only one of them");
	bad("--set level.markets.at=stations",
	    "[level.markets]: at = stations above level 'sorting_centres' (use at = below for "
	    "the level below)");
}

void levels_e2e_suite_setup(void)
{
	CU_SUITE_ADD("levels_e2e", NULL, NULL, CU_TEST_ENTRY(test_lianyungang),
	             CU_TEST_ENTRY(test_dalian), CU_TEST_ENTRY(test_liaocheng),
	             CU_TEST_ENTRY(test_yinchuan), CU_TEST_ENTRY(test_compare),
	             CU_TEST_ENTRY(test_compare_level_keys), CU_TEST_ENTRY(test_phases),
	             CU_TEST_ENTRY(test_bad_input));
}
