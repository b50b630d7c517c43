/*
 * cu_roads_levels.c: the upper levels along the streets (issue 17), end to
 * end on the hand-built river town fixtures/roads/river.gpkg
 * (scripts/mkroads.py --river; the layout and its distances are told
 * there): two stations 10 m south of the south-bank street at x = 1000 and
 * 1400; transfer candidates A across the river (the nearest in a straight
 * line), B on the south bank (the nearest on foot, the bridge being far
 * east), C on an island street, D off the streets.
 *
 * Along the streets B is chosen and the flows are exactly 2,520 and 2,120 m
 * (10 + 2,500 + 10, 10 + 2,100 + 10) with lines of those lengths along the
 * street; without roads A is chosen at 1,980 m and hypot(400, 1980); C and
 * D are warned about by name; a candidate layer holding only C leaves the
 * level unplaced with reasons naming the street network; roads_fallback =
 * straight gives D its straight line; max_distance_m cuts along the
 * streets; a station on the island is left out (the fewest nodes, by the
 * 1-median and by the MIP) with a reason naming the street network; one
 * thread or four give the same flows.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

#include "cu_tester.h"

#define RIVER_INI "fixtures/roads/river.ini"

static GDALDatasetH open_out(const char *name)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", cu_outdir(), name);
	GDALAllRegister();
	return GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
}

/* First value of the first row of `sql` as a malloc'd string ("" none). */
static char *sql_text(GDALDatasetH ds, const char *sql)
{
	OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
	char *v = NULL;
	OGRFeatureH f = l ? OGR_L_GetNextFeature(l) : NULL;
	if (f && OGR_F_IsFieldSetAndNotNull(f, 0))
		v = strdup(OGR_F_GetFieldAsString(f, 0));
	if (f)
		OGR_F_Destroy(f);
	if (l)
		GDALDatasetReleaseResultSet(ds, l);
	return v ? v : strdup("");
}

/* Run the river town into OUT/name with extra arguments; stderr into *err. */
static int run_river(const char *name, const char *extra, char **err)
{
	char cmd[2048], *out = NULL;
	snprintf(cmd, sizeof(cmd), "%s run %s -o %s/%s --overwrite -q %s", cu_bin(), RIVER_INI,
	         cu_outdir(), name, extra);
	int rc = cu_run(cmd, &out, err);
	free(out);
	return rc;
}

static void expect(GDALDatasetH ds, const char *sql, const char *want)
{
	char *v = sql_text(ds, sql);
	CU_ASSERT_STRING_EQUAL(v, want);
	if (strcmp(v, want))
		fprintf(stderr, "\n%s\n  got '%s', want '%s'\n", sql, v, want);
	free(v);
}

/* Flow k (by from_id) of level `lv`: distance, and its line's length,
 * vertices and ends. */
static void flow_line(GDALDatasetH ds, int from_id, double *d, double *len, int *nv, double *xy)
{
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT distance_m, geom FROM flows WHERE from_id = %d",
	         from_id);
	OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
	OGRFeatureH f = l ? OGR_L_GetNextFeature(l) : NULL;
	*d = *len = -1, *nv = 0;
	if (f) {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		*d = OGR_F_GetFieldAsDouble(f, 0);
		if (g) {
			*len = OGR_G_Length(g);
			*nv = OGR_G_GetPointCount(g);
			xy[0] = OGR_G_GetX(g, 0), xy[1] = OGR_G_GetY(g, 0);
			xy[2] = OGR_G_GetX(g, *nv - 1), xy[3] = OGR_G_GetY(g, *nv - 1);
		}
		OGR_F_Destroy(f);
	}
	if (l)
		GDALDatasetReleaseResultSet(ds, l);
}

static void test_river_network(void)
{
	char *err = NULL;
	CU_ASSERT_EQUAL(run_river("river.gpkg", "", &err), 0);
	const char *e = err ? err : "";
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(e, "warning: level 'transfer': place 'D' (fixtures/roads/river.gpkg:transfer "
	              "fid 4): no walkable street within roads_snap_m = 200 m; no walking "
	              "distance (roads_fallback = none)\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(e, "warning: level 'transfer', group 'city': place 'C' is off the streets or "
	              "on a part of the street network that no lower facility reaches; not "
	              "used\n"));
	free(err);
	GDALDatasetH ds = open_out("river.gpkg");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	expect(ds, "SELECT distance FROM run", "network");
	expect(ds, "SELECT distance FROM run_levels", "network");
	expect(ds, "SELECT group_concat(place_id) FROM transfer", "B");
	expect(ds, "SELECT sum(households) FROM flows", "8000");
	expect(ds, "SELECT count(*) FROM unplaced", "0");
	/* the stations are the two sites, station 1 at x = 1000 */
	expect(ds, "SELECT group_concat(printf('%.1f', ST_X(geom) - 500000)) FROM stations",
	       "1000.0,1400.0");
	const double want[2] = {2520, 2120};
	double wsum = 0;
	for (int s = 0; s < 2; s++) {
		double d, len, xy[4];
		int nv;
		flow_line(ds, s + 1, &d, &len, &nv, xy);
		CU_ASSERT_DOUBLE_EQUAL(d, want[s], 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(len, want[s], 1e-6); /* the line is the walk */
		CU_ASSERT(nv >= 4);                         /* connector, street, connector */
		CU_ASSERT_DOUBLE_EQUAL(xy[0], 500000 + (s ? 1400 : 1000), 1e-6);
		CU_ASSERT_DOUBLE_EQUAL(xy[1], 4200010, 1e-6);
		CU_ASSERT_DOUBLE_EQUAL(xy[2], 503500, 1e-6); /* B */
		CU_ASSERT_DOUBLE_EQUAL(xy[3], 4200010, 1e-6);
		char sql[128];
		snprintf(sql, sizeof(sql), "SELECT households FROM flows WHERE from_id = %d",
		         s + 1);
		char *h = sql_text(ds, sql);
		wsum += atof(h) * want[s];
		free(h);
	}
	char *m = sql_text(ds, "SELECT mean_distance_m FROM transfer");
	CU_ASSERT_DOUBLE_EQUAL(atof(m), wsum / 8000, 1e-6);
	free(m);
	GDALClose(ds);
}

/* Without roads the straight line picks A, across the river. */
static void test_river_straight(void)
{
	char *err = NULL;
	CU_ASSERT_EQUAL(run_river("river_straight.gpkg", "--set input.roads=", &err), 0);
	free(err);
	GDALDatasetH ds = open_out("river_straight.gpkg");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	expect(ds, "SELECT distance FROM run_levels", "straight");
	expect(ds, "SELECT group_concat(place_id) FROM transfer", "A");
	expect(ds,
	       "SELECT group_concat(printf('%.6f', distance_m)) FROM (SELECT distance_m FROM "
	       "flows ORDER BY from_id)",
	       "1980.000000,2020.000000");
	GDALClose(ds);
}

/* Only C, on the island: nothing reached, reasons naming the network. */
static void test_river_island(void)
{
	char *err = NULL;
	CU_ASSERT_EQUAL(
	    run_river("river_island.gpkg", "--set level.transfer.candidates_layer=island", &err),
	    3);
	free(err);
	GDALDatasetH ds = open_out("river_island.gpkg");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	expect(ds,
	       "SELECT group_concat(households || '/' || missing || ': ' || reason, ' | ') FROM "
	       "unplaced",
	       "0/1: no eligible place for 1 facilities (1 more on parts of the street network "
	       "no lower facility reaches) | 8000/0: 2 lower facilities with no place reached "
	       "along the street network (off the streets, or on a part of it with no place)");
	expect(ds, "SELECT count(*) FROM flows", "0");
	GDALClose(ds);
}

/* roads_fallback = straight: D off the streets counts in a straight line
 * (2,610 and 2,640 m: still farther than B), so it is not "not reached". */
static void test_river_fallback(void)
{
	char *err = NULL;
	CU_ASSERT_EQUAL(
	    run_river("river_fallback.gpkg", "--set input.roads_fallback=straight", &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err ? err : "",
	                              "place 'D' (fixtures/roads/river.gpkg:transfer fid 4): no "
	                              "walkable street within roads_snap_m = 200 m; straight-line "
	                              "distances used (roads_fallback = straight)\n"));
	CU_ASSERT_PTR_NULL(strstr(err ? err : "", "place 'D' is off the streets"));
	free(err);
	GDALDatasetH ds = open_out("river_fallback.gpkg");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	expect(ds, "SELECT group_concat(place_id) FROM transfer", "B");
	GDALClose(ds);
}

/* max_distance_m along the streets: 2,200 m keeps station 2 (2,120 m to B)
 * and leaves station 1 (2,520 m) unplaced, though A is 1,980 m away in a
 * straight line. */
static void test_river_max_distance(void)
{
	char *err = NULL;
	CU_ASSERT_EQUAL(
	    run_river("river_max.gpkg", "--set level.transfer.max_distance_m=2200", &err), 3);
	free(err);
	GDALDatasetH ds = open_out("river_max.gpkg");
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	expect(ds, "SELECT group_concat(place_id) FROM transfer", "B");
	expect(ds, "SELECT group_concat(from_id || ':' || distance_m) FROM flows", "2:2120.0");
	expect(ds, "SELECT group_concat(households || ': ' || reason, ' | ') FROM unplaced",
	       "4000: 1 lower facility with no place reached along the street network within "
	       "max_distance_m (off the streets, or on a part of it with no place)");
	GDALClose(ds);
}

/* A third community on the island (layers units3, sites3): its station
 * reaches only C, the other two only B (and A). One facility: B, and the
 * island station left out with a reason naming the street network, by the
 * exact 1-median and, with a capacity, by the MIP leaving out the fewest
 * nodes; two facilities: B and C, nothing left out. */
static void test_river_left_out(void)
{
	const char *three = "--set input.units_layer=units3 --set input.candidates_layer=sites3";
	const char *runs[3][2] = {{"river_left1.gpkg", ""},
	                          {"river_left2.gpkg", "--set level.transfer.capacity=12000"},
	                          {"river_left3.gpkg", "--set level.transfer.count=2"}};
	for (int k = 0; k < 3; k++) {
		char extra[512], *err = NULL;
		snprintf(extra, sizeof(extra), "%s %s", three, runs[k][1]);
		CU_ASSERT_EQUAL(run_river(runs[k][0], extra, &err), k < 2 ? 3 : 0);
		free(err);
		GDALDatasetH ds = open_out(runs[k][0]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
		expect(ds, "SELECT group_concat(place_id) FROM transfer", k < 2 ? "B" : "B,C");
		expect(
		    ds,
		    "SELECT group_concat(from_id || ':' || to_id || ':' || distance_m) FROM flows",
		    k < 2 ? "1:1:2520.0,2:1:2120.0" : "1:1:2520.0,2:1:2120.0,3:2:10.0");
		expect(ds, "SELECT group_concat(households || ': ' || reason, ' | ') FROM unplaced",
		       k < 2 ? "4000: 1 lower facility on parts of the street network that the "
		               "group's facilities cannot all reach (left out, the fewest possible)"
		             : "");
		expect(ds, "SELECT objective || '/' || status FROM run_levels",
		       k < 2 ? "18560000.0/optimal" : "18600000.0/optimal");
		GDALClose(ds);
	}
}

/* One search thread or four: the same flows. */
static void test_river_threads(void)
{
	char *err = NULL;
	CU_ASSERT_EQUAL(run_river("river_t1.gpkg", "--set solver.threads=1", &err), 0);
	free(err);
	err = NULL;
	CU_ASSERT_EQUAL(run_river("river_t4.gpkg", "--set solver.threads=4", &err), 0);
	free(err);
	GDALDatasetH a = open_out("river_t1.gpkg"), b = open_out("river_t4.gpkg");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	const char *q = "SELECT group_concat(from_id || ':' || to_id || ':' || "
	                "printf('%.9f', distance_m) || ':' || ST_AsText(geom), ',') FROM flows";
	char *va = sql_text(a, q), *vb = sql_text(b, q);
	CU_ASSERT(strlen(va) > 0);
	CU_ASSERT_STRING_EQUAL(va, vb);
	free(va), free(vb);
	GDALClose(a), GDALClose(b);
}

void roads_levels_suite_setup(void)
{
	CU_SUITE_ADD("roads_levels", NULL, NULL, CU_TEST_ENTRY(test_river_network),
	             CU_TEST_ENTRY(test_river_straight), CU_TEST_ENTRY(test_river_island),
	             CU_TEST_ENTRY(test_river_fallback), CU_TEST_ENTRY(test_river_max_distance),
	             CU_TEST_ENTRY(test_river_left_out), CU_TEST_ENTRY(test_river_threads));
}
