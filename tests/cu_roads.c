/*
 * cu_roads.c: end to end with streets (issue 17): stationplan run on the
 * demo district with fixtures/roads/roads.gpkg (scripts/mkroads.py), the
 * GeoPackage read back with GDAL.
 *
 * Along the streets every assignment's distance_m is at least the straight
 * line between the unit's demand point and its station, within the walking
 * radius, and equal to the length of its `links` line, which runs from the
 * demand point to the station; the run record says distance = network and
 * holds the roads file's fingerprint. (A village's own site beyond the
 * radius keeps its straight-line distance and a straight link.) A too-tight roads_snap_m leaves
 * units uncovered with the reason naming it; a missing field is a clear input error (exit 2).
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

#include "cu_tester.h"
#include "inputs.h"
#include "scenario.h"

#define ROADS_INI "fixtures/roads/scenario.ini"

static GDALDatasetH open_out(const char *path)
{
	GDALAllRegister();
	return GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
}

/* First value of the first row of `sql` as a malloc'd string, or NULL. */
static char *sql_text(GDALDatasetH ds, const char *sql)
{
	OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
	if (!l)
		return NULL;
	char *v = NULL;
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	if (f && OGR_F_IsFieldSetAndNotNull(f, 0))
		v = strdup(OGR_F_GetFieldAsString(f, 0));
	if (f)
		OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, l);
	return v;
}

/* Run the roads scenario with extra arguments into OUT/name; returns the
 * exit status, stderr into *err (caller frees). */
static int run_roads(const char *name, const char *extra, char **err)
{
	char cmd[2048], path[1024];
	char *out = NULL;
	snprintf(path, sizeof(path), "%s/%s", cu_outdir(), name);
	snprintf(cmd, sizeof(cmd), "%s run %s -o %s --overwrite -q %s", cu_bin(), ROADS_INI, path,
	         extra);
	int rc = cu_run(cmd, &out, err);
	free(out);
	return rc;
}

static void test_roads_plan(void)
{
	char path[1024], *err = NULL;
	snprintf(path, sizeof(path), "%s/roads.gpkg", cu_outdir());
	int rc = run_roads("roads.gpkg", "", &err);
	CU_ASSERT_EQUAL(rc, 0);
	free(err);
	GDALDatasetH ds = open_out(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	char *v = sql_text(ds, "SELECT distance FROM run");
	CU_ASSERT_STRING_EQUAL(v ? v : "", "network");
	free(v);
	v = sql_text(ds, "SELECT inputs FROM run");
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_PTR_NOT_NULL(strstr(v, "\nroads fixtures/roads/roads.gpkg 180224 "));
	free(v);
	v = sql_text(ds, "SELECT parameters FROM run");
	CU_ASSERT_PTR_NOT_NULL(v && strstr(v, "\ninput.roads_snap_m = 200\n"));
	free(v);
	v = sql_text(ds, "SELECT count(*) FROM uncovered");
	CU_ASSERT_STRING_EQUAL(v ? v : "", "0");
	free(v);

	/* every link: along the streets, from demand point to station */
	OGRLayerH links = GDALDatasetGetLayerByName(ds, "links");
	OGRLayerH stations = GDALDatasetGetLayerByName(ds, "stations");
	CU_ASSERT_PTR_NOT_NULL_FATAL(links);
	CU_ASSERT_PTR_NOT_NULL_FATAL(stations);
	OGRFeatureH f;
	size_t n = 0, longer = 0, bad = 0;
	OGR_L_ResetReading(links);
	while ((f = OGR_L_GetNextFeature(links))) {
		double d = OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "distance_m"));
		int sid = OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "station_id"));
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		OGRFeatureH s = OGR_L_GetFeature(stations, sid);
		if (g && s) {
			OGRGeometryH sp = OGR_F_GetGeometryRef(s);
			int np = OGR_G_GetPointCount(g);
			double sx = OGR_G_GetX(g, 0), sy = OGR_G_GetY(g, 0);
			double ex = OGR_G_GetX(g, np - 1), ey = OGR_G_GetY(g, np - 1);
			double straight = hypot(ex - sx, ey - sy);
			bad += fabs(OGR_G_Length(g) - d) > 1e-6 || d > 1000.0 + 1e-9 ||
			       straight > d + 1e-9 || fabs(ex - OGR_G_GetX(sp, 0)) > 1e-6 ||
			       fabs(ey - OGR_G_GetY(sp, 0)) > 1e-6;
			longer += d > straight + 1.0;
		} else if (!g) {
			bad += d != 0.0;
		}
		if (s)
			OGR_F_Destroy(s);
		OGR_F_Destroy(f);
		n++;
	}
	CU_ASSERT(n >= 148);
	CU_ASSERT_EQUAL(bad, 0);
	CU_ASSERT(longer > n / 2); /* streets make most walks longer */
	/* assignments carry the same distances as links, row for row */
	v = sql_text(ds, "SELECT count(*) FROM assignments a JOIN links l ON l.fid = a.fid "
	                 "WHERE a.distance_m <> l.distance_m OR a.unit_id <> l.unit_id");
	CU_ASSERT_STRING_EQUAL(v ? v : "", "0");
	free(v);
	GDALClose(ds);
}

/* The same plan with one search thread and with four. */
static void test_roads_threads(void)
{
	char *err = NULL;
	CU_ASSERT_EQUAL(run_roads("roads_t1.gpkg", "--set solver.threads=1", &err), 0);
	free(err);
	CU_ASSERT_EQUAL(run_roads("roads_t4.gpkg", "--set solver.threads=4", &err), 0);
	free(err);
	char p1[1024], p4[1024];
	snprintf(p1, sizeof(p1), "%s/roads_t1.gpkg", cu_outdir());
	snprintf(p4, sizeof(p4), "%s/roads_t4.gpkg", cu_outdir());
	GDALDatasetH a = open_out(p1), b = open_out(p4);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	const char *q = "SELECT group_concat(unit_id || ':' || station_id || ':' || "
	                "printf('%.9f', distance_m), ',') FROM assignments";
	char *va = sql_text(a, q), *vb = sql_text(b, q);
	CU_ASSERT_PTR_NOT_NULL(va);
	CU_ASSERT_STRING_EQUAL(va ? va : "", vb ? vb : "-");
	free(va), free(vb);
	GDALClose(a), GDALClose(b);
}

/* Streets out of reach of every demand point: units uncovered (exit 3),
 * each with the reason, and a warning naming the unit. */
static void test_roads_snap(void)
{
	char *err = NULL, path[1024];
	snprintf(path, sizeof(path), "%s/roads_snap.gpkg", cu_outdir());
	int rc = run_roads("roads_snap.gpkg",
	                   "--set input.roads_snap_m=0.01 --set input.roads_merge_m=0", &err);
	CU_ASSERT_EQUAL(rc, 3);
	CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "no walkable street within roads_snap_m = "
	                                          "0.01 m of its demand point"));
	free(err);
	GDALDatasetH ds = open_out(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	char *v = sql_text(ds, "SELECT count(*) FROM uncovered WHERE reason <> 'no walkable "
	                       "street within roads_snap_m = 0.01 m of its demand point'");
	CU_ASSERT_STRING_EQUAL(v ? v : "", "0");
	free(v);
	v = sql_text(ds, "SELECT count(*) > 0 FROM uncovered");
	CU_ASSERT_STRING_EQUAL(v ? v : "", "1");
	free(v);
	GDALClose(ds);
}

/* A walkable field the layer lacks: exit 2, the file, layer and fields named. */
static void test_roads_bad_field(void)
{
	char cmd[1024], *out = NULL, *err = NULL;
	snprintf(cmd, sizeof(cmd), "%s check %s --set input.roads_walkable_field=kind", cu_bin(),
	         ROADS_INI);
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 2);
	const char *all = err ? err : "";
	CU_ASSERT_PTR_NOT_NULL(strstr(all, "fixtures/roads/roads.gpkg:roads: no field 'kind' "
	                                   "(input.roads_walkable_field; fields: name, highway, "
	                                   "oneway, bridge)"));
	free(out), free(err);
}

/* Problems of the streets layer, all at once (exit 2), and what was read:
 * a MultiLineString split into its parts, oneway values mapped, the line
 * that is not walkable kept with walkable = 0, the bad ones left out. */
static void test_roads_bad_layer(void)
{
	char cmd[1024], *out = NULL, *err = NULL;
	snprintf(cmd, sizeof(cmd), "%s check fixtures/roads/scenario_bad.ini", cu_bin());
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 2);
	const char *e = err ? err : "";
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(e, "  error: fixtures/roads/bad.geojson:bad fid 2: Point, expected a line\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(e, "  error: fixtures/roads/bad.geojson:bad fid 4: walk = "
	                                 "'2', must be 0 or 1 (or set input.roads_exclude to the "
	                                 "excluded values)\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(e, "  warning: fixtures/roads/bad.geojson:bad: 2 feature(s) "
	                                 "with an unknown oneway value (first: fid 3 "
	                                 "'reversible'), walked both ways\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out ? out : "", "\n  roads        4 line(s), 1 not walkable\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out ? out : "", "result       bad input: 2 error(s), "
	                                              "1 warning(s)"));
	free(out), free(err);

	scenario sc;
	status st;
	inputs in = {0};
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(scenario_init(&sc, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(scenario_load(&sc, "fixtures/roads/scenario_bad.ini", &st),
	                      STATUS_OK);
	CU_ASSERT_EQUAL(inputs_read(&sc, &in, &st), STATUS_INPUT);
	const line_set *ls = &in.roads;
	CU_ASSERT_EQUAL_FATAL(ls->n, 4);
	const long long fid[] = {1, 3, 3, 5};
	const int walkable[] = {1, 1, 1, 0}, oneway[] = {1, 0, 0, 0};
	for (size_t i = 0; i < 4; i++) {
		CU_ASSERT_EQUAL(ls->fid[i], fid[i]);
		CU_ASSERT_EQUAL(ls->walkable[i], walkable[i]);
		CU_ASSERT_EQUAL(ls->oneway[i], oneway[i]);
		CU_ASSERT_EQUAL(ls->start[i + 1] - ls->start[i], 2);
	}
	CU_ASSERT_EQUAL(ls->nexcluded, 1);
	/* in the working CRS (metres): about 872 m for 0.01 degree of longitude */
	CU_ASSERT_DOUBLE_EQUAL(hypot(ls->x[1] - ls->x[0], ls->y[1] - ls->y[0]), 872, 5);
	inputs_free(&in);
	status_free(&st);
	scenario_free(&sc);
}

void roads_suite_setup(void)
{
	CU_SUITE_ADD("roads", NULL, NULL, CU_TEST_ENTRY(test_roads_plan),
	             CU_TEST_ENTRY(test_roads_threads), CU_TEST_ENTRY(test_roads_snap),
	             CU_TEST_ENTRY(test_roads_bad_field), CU_TEST_ENTRY(test_roads_bad_layer));
}
