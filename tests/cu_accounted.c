/*
 * cu_accounted.c: every unit accounted for, every exception flagged (issue
 * 14 rows 10 and 11).
 *
 * For every end-to-end scenario (the demo, its CSV join, the four of
 * fixtures/e2e, the demo with demand samples) the plan is written by the
 * binary and its layers are summed against the input units, read here
 * with GDAL: each unit appears once per share, in `assignments` (one row
 * per station, the rows' households adding up to the unit's) or once in
 * `uncovered` with a reason, never in both, and no unit is missing. Units
 * with 0 households are listed in `uncovered` as `empty` and `check` warns
 * with their count and first ids; a village above households_max keeps one
 * station flagged over_max (or is split by the urban band with
 * rules.rural_split_large = true); a unit served beyond walk_distance_m is
 * flagged beyond_walk with a reason and warned about.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

#include "cu_tester.h"

typedef struct id_count {
	char id[64];
	long assigned_rows, uncovered_rows, served, unit_households;
	int has_reason, in_input;
} id_count;

typedef struct tally {
	id_count *v;
	size_t n;
} tally;

static id_count *tally_get(tally *t, const char *id)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].id, id))
			return &t->v[i];
	t->v = realloc(t->v, (t->n + 1) * sizeof(*t->v));
	id_count *c = &t->v[t->n++];
	memset(c, 0, sizeof(*c));
	snprintf(c->id, sizeof(c->id), "%s", id);
	return c;
}

static GDALDatasetH open_vec(const char *path)
{
	GDALAllRegister();
	return GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
}

/* Run `stationplan run INI -o OUT --overwrite EXTRA` and tally OUT against
 * the units of UNITS (layer "units", id field "code"). Returns the exit
 * status; every accounting rule is asserted here. */
static int run_and_tally(const char *ini, const char *units, const char *extra, const char *out,
                         char **err)
{
	char cmd[2000];
	snprintf(cmd, sizeof(cmd), "%s run %s -q -o '%s' --overwrite %s", cu_bin(), ini, out,
	         extra);
	int rc = cu_run(cmd, NULL, err);
	tally t = {0};
	GDALDatasetH in = open_vec(units), ds = open_vec(out);
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	OGRLayerH l = GDALDatasetGetLayerByName(in, "units");
	OGRFeatureH f;
	OGR_L_ResetReading(l);
	while ((f = OGR_L_GetNextFeature(l))) {
		tally_get(&t, OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "code")))
		    ->in_input++;
		OGR_F_Destroy(f);
	}
	l = GDALDatasetGetLayerByName(ds, "assignments");
	OGR_L_ResetReading(l);
	while ((f = OGR_L_GetNextFeature(l))) {
		id_count *c =
		    tally_get(&t, OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "unit_id")));
		c->assigned_rows++;
		c->served += OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "households"));
		c->unit_households =
		    OGR_F_GetFieldAsInteger64(f, OGR_F_GetFieldIndex(f, "unit_households"));
		OGR_F_Destroy(f);
	}
	/* one row per share: no (unit, station) pair twice */
	OGRLayerH q = GDALDatasetExecuteSQL(ds,
	                                    "SELECT count(*) FROM (SELECT unit_id, station_id "
	                                    "FROM assignments GROUP BY unit_id, station_id "
	                                    "HAVING count(*) > 1)",
	                                    NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(q);
	f = OGR_L_GetNextFeature(q);
	CU_ASSERT_EQUAL(OGR_F_GetFieldAsInteger(f, 0), 0);
	OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, q);
	l = GDALDatasetGetLayerByName(ds, "uncovered");
	OGR_L_ResetReading(l);
	while ((f = OGR_L_GetNextFeature(l))) {
		id_count *c =
		    tally_get(&t, OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "unit_id")));
		c->uncovered_rows++;
		c->has_reason = *OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "reason")) != 0;
		OGR_F_Destroy(f);
	}
	size_t bad = 0;
	for (size_t i = 0; i < t.n; i++) {
		const id_count *c = &t.v[i];
		int ok = c->in_input == 1 &&
		         ((c->assigned_rows > 0 && c->uncovered_rows == 0 &&
		           c->served == c->unit_households) ||
		          (c->assigned_rows == 0 && c->uncovered_rows == 1 && c->has_reason));
		if (!ok && bad++ < 5)
			fprintf(stderr,
			        "\n%s: unit %s: input %d, assignments %ld (households %ld of %ld), "
			        "uncovered %ld (reason %d)\n",
			        out, c->id, c->in_input, c->assigned_rows, c->served,
			        c->unit_households, c->uncovered_rows, c->has_reason);
	}
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT_TRUE(t.n > 0);
	free(t.v);
	GDALClose(in);
	GDALClose(ds);
	return rc;
}

/* Every e2e scenario: every unit once per share, across the layers. */
static void test_every_unit_accounted(void)
{
	static const struct {
		const char *ini, *units, *extra;
	} runs[] = {
	    {"fixtures/demo/scenario.ini", "fixtures/demo/units.gpkg", ""},
	    {"fixtures/demo/scenario_join.ini", "fixtures/demo/units.gpkg", ""},
	    {"fixtures/e2e/scenario_candidates.ini", "fixtures/demo/units.gpkg", ""},
	    {"fixtures/e2e/scenario_exclude.ini", "fixtures/demo/units.gpkg", ""},
	    {"fixtures/e2e/scenario_existing.ini", "fixtures/demo/units.gpkg", ""},
	    {"fixtures/e2e/scenario_points.ini", "fixtures/e2e/units_points.gpkg", ""},
	    {"fixtures/demo/scenario.ini", "fixtures/demo/units.gpkg",
	     "--set rules.demand_points=samples"},
	};
	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		char out[600], *err = NULL;
		snprintf(out, sizeof(out), "%s/accounted-%zu.gpkg", cu_outdir(), i);
		int rc = run_and_tally(runs[i].ini, runs[i].units, runs[i].extra, out, &err);
		CU_ASSERT_TRUE(rc == 0 || rc == 3);
		free(err);
	}
}

/* A copy of fixtures/bad/good.gpkg in the scratch folder with `sql`
 * applied, and a scenario for it; the scenario's path into ini. */
static void variant(const char *name, const char *sql, char *ini, size_t size, char *units,
                    size_t usize)
{
	char cmd[2000];
	snprintf(units, usize, "%s/%s.gpkg", cu_outdir(), name);
	snprintf(ini, size, "%s/%s.ini", cu_outdir(), name);
	snprintf(cmd, sizeof(cmd),
	         "cp fixtures/bad/good.gpkg '%s' && ogrinfo -q -dialect sqlite -sql \"%s\" '%s' && "
	         "printf '[input]\\nunits = %s.gpkg\\n' > '%s'",
	         units, sql, units, name, ini);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
}

/* Row 10: units with 0 households are listed as empty; check warns. */
static void test_empty_units_listed(void)
{
	char ini[600], units[600], out[600], cmd[1400], *err = NULL, *o = NULL;
	variant("empty",
	        "UPDATE units SET households = 0 WHERE code IN ('371502001002', '371502100202')",
	        ini, sizeof(ini), units, sizeof(units));
	snprintf(out, sizeof(out), "%s/empty-plan.gpkg", cu_outdir());
	CU_ASSERT_EQUAL(run_and_tally(ini, units, "", out, &err), 0);
	free(err);
	GDALDatasetH ds = open_vec(out);
	OGRLayerH q = GDALDatasetExecuteSQL(
	    ds,
	    "SELECT group_concat(unit_id || ':' || households || ':' || reason, ' ') FROM "
	    "(SELECT * FROM uncovered ORDER BY unit_id)",
	    NULL, NULL);
	OGRFeatureH f = OGR_L_GetNextFeature(q);
	CU_ASSERT_STRING_EQUAL(OGR_F_GetFieldAsString(f, 0),
	                       "371502001002:0:empty 371502100202:0:empty");
	OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, q);
	GDALClose(ds);
	snprintf(cmd, sizeof(cmd), "%s check '%s'", cu_bin(), ini);
	CU_ASSERT_EQUAL(cu_run(cmd, &o, &err), 0);
	char want[1200];
	snprintf(want, sizeof(want),
	         "households warnings (1):\n  warning: %s/empty.gpkg:units: 2 unit(s) with 0 "
	         "households get no station (listed in 'uncovered' as empty): 371502001002, "
	         "371502100202\n",
	         cu_outdir());
	CU_ASSERT_STRING_EQUAL(err, want);
	CU_ASSERT_PTR_NOT_NULL(strstr(o, "result       ok: 0 error(s), 1 warning(s)"));
	free(o), free(err);
}

/* Row 11: a village of 9,000 households keeps its one station, flagged
 * over_max with the reason and a warning; rural_split_large = true plans
 * it by the urban band. A unit served beyond the radius is flagged. */
static void test_village_exceptions_flagged(void)
{
	char ini[600], units[600], out[600], *err = NULL;
	variant("bigvillage", "UPDATE units SET households = 9000 WHERE code = '371502100201'", ini,
	        sizeof(ini), units, sizeof(units));
	snprintf(out, sizeof(out), "%s/bigvillage-plan.gpkg", cu_outdir());
	CU_ASSERT_EQUAL(run_and_tally(ini, units, "", out, &err), 0);
	CU_ASSERT_STRING_EQUAL(err, "rules warnings (1):\n  warning: village '王庄村民委员会' "
	                            "(371502100201): 9000 households at one station, above "
	                            "households_max = 5000 (flagged over_max; "
	                            "rules.rural_split_large = true plans it by the urban band)\n");
	free(err);
	GDALDatasetH ds = open_vec(out);
	OGRLayerH q = GDALDatasetExecuteSQL(
	    ds,
	    "SELECT kind || ':' || households || ':' || reason FROM stations WHERE over_max = 1",
	    NULL, NULL);
	CU_ASSERT_EQUAL(OGR_L_GetFeatureCount(q, 1), 1);
	OGRFeatureH f = OGR_L_GetNextFeature(q);
	CU_ASSERT_STRING_EQUAL(OGR_F_GetFieldAsString(f, 0),
	                       "village:9000:village of 9000 households, above households_max = "
	                       "5000 (one station per village)");
	OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, q);
	GDALClose(ds);

	snprintf(out, sizeof(out), "%s/bigvillage-split.gpkg", cu_outdir());
	CU_ASSERT_EQUAL(run_and_tally(ini, units, "--set rules.rural_split_large=true", out, &err),
	                0);
	CU_ASSERT_STRING_EQUAL(err, "");
	free(err);
	ds = open_vec(out);
	q = GDALDatasetExecuteSQL(ds,
	                          "SELECT count(*), max(a.households), sum(s.over_max) FROM "
	                          "assignments a JOIN stations s USING (station_id) WHERE "
	                          "a.unit_id = '371502100201'",
	                          NULL, NULL);
	f = OGR_L_GetNextFeature(q);
	CU_ASSERT_EQUAL(OGR_F_GetFieldAsInteger(f, 0), 2);
	CU_ASSERT_TRUE(OGR_F_GetFieldAsInteger(f, 1) <= 5000);
	CU_ASSERT_EQUAL(OGR_F_GetFieldAsInteger(f, 2), 0);
	OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, q);
	GDALClose(ds);

	/* beyond the radius: the demo with demand samples serves villages from
	 * their own station farther than 1000 m; each such row is flagged and
	 * warned about, none silently */
	snprintf(out, sizeof(out), "%s/accounted-samples.gpkg", cu_outdir());
	CU_ASSERT_EQUAL(run_and_tally("fixtures/demo/scenario.ini", "fixtures/demo/units.gpkg",
	                              "--set rules.demand_points=samples", out, &err),
	                0);
	ds = open_vec(out);
	q = GDALDatasetExecuteSQL(ds,
	                          "SELECT count(*), sum(beyond_walk), sum(reason <> ''), "
	                          "min(reason) FROM assignments WHERE distance_m > 1000.001",
	                          NULL, NULL);
	f = OGR_L_GetNextFeature(q);
	int n = OGR_F_GetFieldAsInteger(f, 0);
	CU_ASSERT_TRUE(n > 0);
	CU_ASSERT_EQUAL(OGR_F_GetFieldAsInteger(f, 1), n);
	CU_ASSERT_EQUAL(OGR_F_GetFieldAsInteger(f, 2), n);
	CU_ASSERT_PTR_NOT_NULL(strstr(OGR_F_GetFieldAsString(f, 3), ", beyond walk_distance_m = "
	                                                            "1000"));
	OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, q);
	q = GDALDatasetExecuteSQL(ds, "SELECT sum(beyond_walk) FROM assignments", NULL, NULL);
	f = OGR_L_GetNextFeature(q);
	CU_ASSERT_EQUAL(OGR_F_GetFieldAsInteger(f, 0), n);
	OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, q);
	GDALClose(ds);
	char head[64];
	snprintf(head, sizeof(head), "rules warnings (%d):\n", n);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, head));
	free(err);
}

void accounted_suite_setup(void)
{
	CU_SUITE_ADD("accounted", NULL, NULL, CU_TEST_ENTRY(test_every_unit_accounted),
	             CU_TEST_ENTRY(test_empty_units_listed),
	             CU_TEST_ENTRY(test_village_exceptions_flagged));
}
