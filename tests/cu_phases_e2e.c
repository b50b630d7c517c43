/*
 * cu_phases_e2e.c: budgets and phases as a planner runs them: the binary
 * (cu_bin()) on the demo district (fixtures/demo, a generated city) and on
 * its variant with three existing stations (fixtures/e2e), the GeoPackage
 * opened with GDAL and checked: the phase field and summary_phase against
 * each other (nesting: as many stations opened by each year in the final
 * plan as that phase had), the last phase against the unphased plan, the
 * budget's exit 3 with its uncovered units, the style by phase, and every
 * bad [phases] input refused with its message, exit 2 and nothing written.
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

#define DEMO_INI     "fixtures/demo/scenario.ini"
#define EXISTING_INI "fixtures/e2e/scenario_existing.ini"

static double num(GDALDatasetH ds, const char *fmt, ...)
{
	char sql[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
	if (!l)
		return -999999;
	double v = -999999;
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	if (f && OGR_F_IsFieldSetAndNotNull(f, 0))
		v = OGR_F_GetFieldAsDouble(f, 0);
	if (f)
		OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, l);
	return v;
}

static GDALDatasetH open_plan(const char *path)
{
	GDALAllRegister();
	return GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
}

/* Run `stationplan run INI -o <outdir>/phases-TAG.gpkg --overwrite EXTRA`;
 * returns the exit status, the path in `path`, stderr in *err (caller
 * frees, may be NULL). */
static int run(const char *tag, const char *ini, const char *extra, char *path, size_t n,
               char **err)
{
	snprintf(path, n, "%s/phases-%s.gpkg", cu_outdir(), tag);
	unlink(path);
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "%s run %s -o '%s' --overwrite -q %s", cu_bin(), ini, path,
	         extra);
	return cu_run(cmd, NULL, err);
}

/* Flexible splitting (the default): the full plan and the phased run in
 * counted work (solver.work_limit), so the phased run's full plan, which
 * has half of the time limit, is the same plan as the run alone under any
 * load; it is proven, 53 urban stations against a bound of 53 (equal parts
 * need 54). The phases nest into the flexible full plan's sites. */
static void test_phased_plan(void)
{
	char full[512], ph[512];
	/* the clock only a safety net that never fires here */
	CU_ASSERT_EQUAL_FATAL(run("full", EXISTING_INI,
	                          "--set solver.work_limit=1000 --set solver.time_limit_s=600", full,
	                          sizeof(full), NULL),
	                      0);
	CU_ASSERT_EQUAL_FATAL(run("two", EXISTING_INI,
	                          "--set solver.work_limit=1000 --set solver.time_limit_s=600 "
	                          "--set phases.2025=30 --set phases.2030=120",
	                          ph, sizeof(ph), NULL),
	                      0);
	GDALDatasetH a = open_plan(full), b = open_plan(ph);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(num(a, "SELECT urban_stations FROM run"), 53);
	CU_ASSERT_EQUAL(num(a, "SELECT urban_bound FROM run"), 53);
	CU_ASSERT_EQUAL(num(b, "SELECT urban_stations FROM run"), 53);
	/* phase 0 (the 3 existing stations), 2025, 2030 */
	CU_ASSERT_EQUAL(num(b, "SELECT count(*) FROM summary_phase"), 3);
	CU_ASSERT_EQUAL(num(b, "SELECT stations FROM summary_phase WHERE phase = 0"), 3);
	CU_ASSERT_EQUAL(num(b, "SELECT new_stations FROM summary_phase WHERE phase = 0"), 0);
	CU_ASSERT_TRUE(num(b, "SELECT budget FROM summary_phase WHERE phase = 0") == -999999);
	CU_ASSERT_EQUAL(num(b, "SELECT stations FROM summary_phase WHERE phase = 2025"), 30);
	CU_ASSERT_EQUAL(num(b, "SELECT budget FROM summary_phase WHERE phase = 2030"), 120);
	/* nesting: the final plan holds every phase's places */
	for (int year = 0; year <= 2030; year += year ? 5 : 2025) {
		CU_ASSERT_EQUAL(num(b,
		                    "SELECT count(*) FROM (SELECT DISTINCT ST_MinX(geom), "
		                    "ST_MinY(geom) FROM stations WHERE phase <= %d)",
		                    year),
		                num(b, "SELECT sites FROM summary_phase WHERE phase = %d", year));
		CU_ASSERT_TRUE(num(b, "SELECT sites FROM summary_phase WHERE phase = %d", year) >
		               0);
	}
	CU_ASSERT_EQUAL(num(b, "SELECT count(*) FROM stations WHERE phase = 0"), 3);
	CU_ASSERT_EQUAL(num(b, "SELECT count(*) FROM stations WHERE phase = 0 AND kind <> "
	                       "'existing'"),
	                0);
	CU_ASSERT_EQUAL(num(b, "SELECT count(*) FROM stations WHERE phase > 0 AND kind = "
	                       "'existing'"),
	                0);
	/* households grow; shares are of all households; bounds hold */
	CU_ASSERT_TRUE(num(b, "SELECT households FROM summary_phase WHERE phase = 0") <
	               num(b, "SELECT households FROM summary_phase WHERE phase = 2025"));
	CU_ASSERT_EQUAL(num(b, "SELECT count(*) FROM summary_phase WHERE bound < households"), 0);
	CU_ASSERT_DOUBLE_EQUAL(
	    num(b, "SELECT share FROM summary_phase WHERE phase = 2025"),
	    num(b, "SELECT households FROM summary_phase WHERE phase = 2025") / 262112.0, 1e-9);
	/* the last phase is the full plan */
	CU_ASSERT_EQUAL(num(b, "SELECT full FROM summary_phase WHERE phase = 2030"), 1);
	CU_ASSERT_EQUAL(num(b, "SELECT households FROM summary_phase WHERE phase = 2030"), 262112);
	CU_ASSERT_EQUAL(num(b, "SELECT count(*) FROM stations"),
	                num(a, "SELECT count(*) FROM stations"));
	/* the same stations: the same places, serving the same households */
	static const char *const same[] = {"SELECT sum(ST_MinX(geom)) FROM stations",
	                                   "SELECT sum(ST_MinY(geom)) FROM stations",
	                                   "SELECT sum(station_id * households) FROM stations"};
	for (size_t i = 0; i < 3; i++) {
		CU_ASSERT_TRUE(num(a, "%s", same[i]) != -999999);
		CU_ASSERT_DOUBLE_EQUAL(num(b, "%s", same[i]), num(a, "%s", same[i]), 1e-3);
	}
	CU_ASSERT_EQUAL(num(b, "SELECT sum(households) FROM stations"),
	                num(a, "SELECT sum(households) FROM stations"));
	CU_ASSERT_EQUAL(num(a, "SELECT count(*) FROM stations WHERE phase <> 0"), 0);
	/* per district: one district in the demo, its rows are the phases' */
	CU_ASSERT_EQUAL(num(b, "SELECT count(*) FROM summary_phase_district"), 3);
	CU_ASSERT_EQUAL(num(b, "SELECT households FROM summary_phase_district WHERE phase = 2025"),
	                num(b, "SELECT households FROM summary_phase WHERE phase = 2025"));
	/* styles: by phase the default, by kind the alternative */
	CU_ASSERT_EQUAL(num(b, "SELECT useAsDefault FROM layer_styles WHERE styleName = "
	                       "'stations by phase' AND f_table_name = 'stations'"),
	                1);
	CU_ASSERT_EQUAL(num(b, "SELECT useAsDefault FROM layer_styles WHERE styleName = "
	                       "'stations by kind'"),
	                0);
	CU_ASSERT_EQUAL(num(a, "SELECT count(*) FROM layer_styles WHERE styleName LIKE "
	                       "'stations by %%'"),
	                0);
	CU_ASSERT_EQUAL(num(a, "SELECT count(*) FROM sqlite_master WHERE name = 'summary_phase'"),
	                0);
	CU_ASSERT_EQUAL(num(b, "SELECT count(*) FROM run WHERE phases LIKE '%%2025: 30 stations, "
	                       "%%bound alone %%2030: %%, the full plan, optimal'"),
	                1);
	CU_ASSERT_EQUAL(num(a, "SELECT count(*) FROM run WHERE phases IS NULL"), 1);
	CU_ASSERT_EQUAL(num(b, "SELECT count(*) FROM run WHERE parameters LIKE "
	                       "'%%phases.2025 = 30%%'"),
	                1);
	GDALClose(a);
	GDALClose(b);
}

/* A budget below full service: exit 3, the rest uncovered with the reason,
 * every household either served or uncovered. */
static void test_budget_exit3(void)
{
	char path[512];
	char *err = NULL;
	CU_ASSERT_EQUAL_FATAL(
	    run("budget", DEMO_INI, "--set rules.max_stations=10", path, sizeof(path), &err), 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "are not served: out of reach or beyond the station "
	                                   "budget (see layer 'uncovered')"));
	free(err);
	GDALDatasetH ds = open_plan(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_EQUAL(num(ds, "SELECT count(*) FROM stations"), 10);
	CU_ASSERT_EQUAL(num(ds, "SELECT count(*) FROM stations WHERE households < 3000 OR "
	                        "households > 5000"),
	                0);
	double served = num(ds, "SELECT sum(households) FROM stations");
	double left = num(ds, "SELECT sum(households) FROM uncovered");
	CU_ASSERT_EQUAL(served + left, 262112);
	CU_ASSERT_EQUAL(num(ds, "SELECT count(*) FROM uncovered WHERE reason <> 'not served "
	                        "within the budget (at most 10 new stations)'"),
	                0);
	GDALClose(ds);
}

/* rules.max_stations under flexible splitting (solver/phases.c): the budget
 * model also within the equal-parts full plan's sites (on Yinchuan at 440 it
 * had served 0.7 % fewer within the flexible full plan's sites alone); every
 * station in the band, every household served or uncovered. The flexible
 * plan is kept once it is within mip_gap (0.005) of the LP bound over every
 * site, which is at least what any equal-parts plan serves, so it serves at
 * least 99.5 % of the equal-parts plan (not always all: on the demo the
 * flexible full plan's 45 stations give 49,753 households within mip_gap of
 * the bound, the equal run's search over every site 49,797). */
static void test_budget_flexible(void)
{
	char path[2][512];
	double served[2];
	const char *set[2] = {"--set rules.max_stations=10 --set rules.split=equal "
	                      "--set solver.work_limit=1000",
	                      "--set rules.max_stations=10 --set rules.split=flexible "
	                      "--set solver.work_limit=1000"};
	for (int k = 0; k < 2; k++) {
		char *err = NULL;
		CU_ASSERT_EQUAL_FATAL(run(k ? "budget-flex" : "budget-equal", DEMO_INI, set[k],
		                          path[k], sizeof(path[k]), &err),
		                      3);
		free(err);
		GDALDatasetH ds = open_plan(path[k]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
		CU_ASSERT_EQUAL(num(ds, "SELECT count(*) FROM stations"), 10);
		CU_ASSERT_EQUAL(num(ds, "SELECT count(*) FROM stations WHERE households < 3000 OR "
		                        "households > 5000"),
		                0);
		served[k] = num(ds, "SELECT sum(households) FROM stations");
		CU_ASSERT_EQUAL(served[k] + num(ds, "SELECT sum(households) FROM uncovered"),
		                262112);
		GDALClose(ds);
	}
	CU_ASSERT_TRUE(served[1] >= (1.0 - 0.005) * served[0]);
}

/* compare shows the phases side by side (after test_phased_plan, which
 * wrote both plans): "-" for the plan without phases. */
static void test_compare_phases(void)
{
	char full[512], ph[512], cmd[2048];
	snprintf(full, sizeof(full), "%s/phases-full.gpkg", cu_outdir());
	snprintf(ph, sizeof(ph), "%s/phases-two.gpkg", cu_outdir());
	GDALDatasetH b = open_plan(ph);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	char row[256];
	snprintf(row, sizeof(row), "| 2025 | - | 30 | - | %.0f | - | %.0f | - | %.1f%% |",
	         num(b, "SELECT new_stations FROM summary_phase WHERE phase = 2025"),
	         num(b, "SELECT households FROM summary_phase WHERE phase = 2025"),
	         100.0 * num(b, "SELECT share FROM summary_phase WHERE phase = 2025"));
	GDALClose(b);
	snprintf(cmd, sizeof(cmd), "%s compare '%s' '%s' --format md", cu_bin(), full, ph);
	char *out = NULL;
	CU_ASSERT_EQUAL(cu_run(cmd, &out, NULL), 0);
	CU_ASSERT_PTR_NOT_NULL(out ? strstr(out, "### Phases") : NULL);
	CU_ASSERT_PTR_NOT_NULL(out ? strstr(out, "| existing | - | 3 | - | 0 | - | ") : NULL);
	CU_ASSERT_PTR_NOT_NULL(out ? strstr(out, row) : NULL);
	CU_ASSERT_PTR_NOT_NULL(out ? strstr(out, "| phases.2025 | (absent) | 30 |") : NULL);
	free(out);
	snprintf(cmd, sizeof(cmd), "%s compare '%s' '%s'", cu_bin(), full, full);
	CU_ASSERT_EQUAL(cu_run(cmd, &out, NULL), 0);
	CU_ASSERT_PTR_NULL(out ? strstr(out, "phases:") : "no output");
	free(out);
}

/* Each bad input: exit 2, its message, no file. */
static void test_bad_input(void)
{
	static const struct {
		const char *ini, *extra, *msg;
	} cases[] = {
	    {DEMO_INI, "--set phases.2025=60 --set phases.2030=50",
	     "phases: 2030 = 50 < 2025 = 60: budgets are cumulative and may not decrease"},
	    {DEMO_INI, "--set phases.20x5=60",
	     "--set 'phases.20x5=60': phases.20x5 = 60: '20x5' is not a year (a whole number "
	     "such as 2025)"},
	    {EXISTING_INI, "--set phases.2025=2",
	     "phases: 2025 = 2 is below the 3 existing stations (input.existing), which stay "
	     "open in every phase"},
	    {DEMO_INI, "--set phases.2025=60 --set phases.required.2025=兴庆区,中山区",
	     "phases: required.2025: district '中山区' has no unit in"},
	    {DEMO_INI, "--set rules.max_stations=5 --set phases.2025=60",
	     "rules: max_stations/stations and [phases] both set; the phase budgets already "
	     "bound the plan"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[512], tag[16];
		char *err = NULL;
		snprintf(tag, sizeof(tag), "bad%zu", i);
		CU_ASSERT_EQUAL(run(tag, cases[i].ini, cases[i].extra, path, sizeof(path), &err),
		                2);
		CU_ASSERT_PTR_NOT_NULL(err ? strstr(err, cases[i].msg) : NULL);
		if (!err || !strstr(err, cases[i].msg))
			fprintf(stderr, "\ncase %zu: %s\n", i, err ? err : "(null)");
		CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
		free(err);
	}
}

/* `check` finds the same problems without running. */
static void test_check(void)
{
	char cmd[1024];
	char *err = NULL;
	snprintf(cmd, sizeof(cmd),
	         "%s check %s --set phases.2025=2 --set phases.required.2025=中山区 -q", cu_bin(),
	         EXISTING_INI);
	CU_ASSERT_EQUAL(cu_run(cmd, NULL, &err), 2);
	CU_ASSERT_PTR_NOT_NULL(err ? strstr(err, "phases: 2025 = 2 is below the 3 existing "
	                                         "stations (input.existing)")
	                           : NULL);
	CU_ASSERT_PTR_NOT_NULL(
	    err ? strstr(err, "phases: required.2025: district '中山区' has no unit in") : NULL);
	free(err);
}

void phases_e2e_suite_setup(void)
{
	CU_SUITE_ADD("phases_e2e", NULL, NULL, CU_TEST_ENTRY(test_phased_plan),
	             CU_TEST_ENTRY(test_compare_phases), CU_TEST_ENTRY(test_budget_exit3),
	             CU_TEST_ENTRY(test_budget_flexible), CU_TEST_ENTRY(test_bad_input),
	             CU_TEST_ENTRY(test_check));
}
