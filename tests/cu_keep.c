/*
 * cu_keep.c: the edit workflow end to end (input.keep).
 *
 * The demo city is planned; the plan is copied and edited as a planner
 * would in QGIS (with GDAL here): one urban station deleted, one urban
 * station moved 120 m east and locked, one village station deleted. The
 * scenario is run again with input.keep = the edited file, and the new plan
 * must keep the moved station at its new position as kind `kept` with
 * locked = 1, keep every other `kept` station exactly where the edited file
 * has one, propose nothing within 50 m of the deleted urban station, and
 * put the village station back (a village needs one) saying so on stderr.
 * A `locked` value other than 0/1 is refused.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

#include "cu_tester.h"

typedef struct pt {
	long id;
	double x, y;
	char kind[16];
	int locked;
} pt;

/* The stations of `path` (caller frees), *n set. */
static pt *stations(const char *path, size_t *n)
{
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	OGRLayerH l = GDALDatasetGetLayerByName(ds, "stations");
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
	int il = OGR_FD_GetFieldIndex(d, "locked");
	size_t cap = (size_t)OGR_L_GetFeatureCount(l, TRUE) + 1;
	pt *p = calloc(cap, sizeof(*p));
	*n = 0;
	OGR_L_ResetReading(l);
	for (OGRFeatureH f; (f = OGR_L_GetNextFeature(l)); OGR_F_Destroy(f)) {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		pt *q = &p[(*n)++];
		q->id = (long)OGR_F_GetFieldAsInteger64(f, OGR_FD_GetFieldIndex(d, "station_id"));
		q->x = OGR_G_GetX(g, 0);
		q->y = OGR_G_GetY(g, 0);
		snprintf(q->kind, sizeof(q->kind), "%s",
		         OGR_F_GetFieldAsString(f, OGR_FD_GetFieldIndex(d, "kind")));
		q->locked = il >= 0 ? OGR_F_GetFieldAsInteger(f, il) : 0;
	}
	GDALClose(ds);
	return p;
}

static void exec_sql(const char *path, const char *sql)
{
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_UPDATE, NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	OGRLayerH r = GDALDatasetExecuteSQL(ds, sql, NULL, "SQLITE");
	if (r)
		GDALDatasetReleaseResultSet(ds, r);
	GDALClose(ds);
}

static int copy_file(const char *from, const char *to)
{
	FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
	char buf[65536];
	size_t n;
	int ok = a && b;
	while (ok && (n = fread(buf, 1, sizeof(buf), a)) > 0)
		ok = fwrite(buf, 1, n, b) == n;
	if (a)
		fclose(a);
	if (b)
		ok &= fclose(b) == 0;
	return ok ? 0 : -1;
}

static double nearest(const pt *p, size_t n, double x, double y, const pt **which)
{
	double best = INFINITY;
	for (size_t i = 0; i < n; i++) {
		double d = hypot(p[i].x - x, p[i].y - y);
		if (d < best) {
			best = d;
			if (which)
				*which = &p[i];
		}
	}
	return best;
}

static void test_edit_workflow(void)
{
	char plan1[600], edited[600], plan2[600], cmd[2000], sql[256], said[800], *out, *err;
	snprintf(plan1, sizeof(plan1), "%s/keep_plan1.gpkg", cu_outdir());
	snprintf(edited, sizeof(edited), "%s/keep_edited.gpkg", cu_outdir());
	snprintf(plan2, sizeof(plan2), "%s/keep_plan2.gpkg", cu_outdir());
	snprintf(cmd, sizeof(cmd), "%s -q run fixtures/demo/scenario.ini -o %s --overwrite",
	         cu_bin(), plan1);
	CU_ASSERT_EQUAL_FATAL(cu_run(cmd, NULL, NULL), 0);
	remove(edited);
	CU_ASSERT_EQUAL_FATAL(copy_file(plan1, edited), 0);

	size_t n1;
	pt *p1 = stations(plan1, &n1);
	const pt *del = NULL, *mov = NULL, *vil = NULL;
	for (size_t i = 0; i < n1; i++) {
		if (!strcmp(p1[i].kind, "urban") && !del)
			del = &p1[i];
		else if (!strcmp(p1[i].kind, "urban") && !mov)
			mov = &p1[i];
		else if (!strcmp(p1[i].kind, "village") && !vil)
			vil = &p1[i];
	}
	CU_ASSERT_FATAL(del && mov && vil);
	snprintf(sql, sizeof(sql), "DELETE FROM stations WHERE station_id IN (%ld, %ld)", del->id,
	         vil->id);
	exec_sql(edited, sql);
	snprintf(sql, sizeof(sql),
	         "UPDATE stations SET locked = 1, geom = ST_Translate(geom, 120, 0, 0) "
	         "WHERE station_id = %ld",
	         mov->id);
	exec_sql(edited, sql);
	size_t ne;
	pt *pe = stations(edited, &ne);
	CU_ASSERT_EQUAL_FATAL(ne, n1 - 2);

	snprintf(cmd, sizeof(cmd),
	         "%s run fixtures/demo/scenario.ini -o %s --overwrite --set input.keep=%s",
	         cu_bin(), plan2, edited);
	int rc = cu_run(cmd, &out, &err);
	CU_ASSERT_EQUAL(rc, 0);
	size_t n2;
	pt *p2 = stations(plan2, &n2);
	/* the moved station, kept where the planner put it, locked */
	const pt *w = NULL;
	CU_ASSERT(nearest(p2, n2, mov->x + 120, mov->y, &w) < 0.01);
	CU_ASSERT_STRING_EQUAL(w->kind, "kept");
	CU_ASSERT_EQUAL(w->locked, 1);
	/* every kept station stands where the edited plan has one */
	size_t nkept = 0, nlocked = 0;
	for (size_t i = 0; i < n2; i++) {
		if (strcmp(p2[i].kind, "kept"))
			continue;
		nkept++;
		nlocked += p2[i].locked;
		CU_ASSERT(nearest(pe, ne, p2[i].x, p2[i].y, NULL) < 0.01);
	}
	CU_ASSERT_EQUAL(nlocked, 1);
	CU_ASSERT(nkept > ne / 2 && nkept <= ne);
	/* nothing proposed again near the deleted urban station */
	CU_ASSERT(nearest(p2, n2, del->x, del->y, NULL) > 50);
	snprintf(said, sizeof(said), "deleted station %ld: a site", del->id);
	CU_ASSERT_PTR_NULL(strstr(err, said));
	/* the village station is needed: back at its place, and said */
	CU_ASSERT(nearest(p2, n2, vil->x, vil->y, &w) < 0.01);
	CU_ASSERT_STRING_EQUAL(w->kind, "village");
	snprintf(said, sizeof(said),
	         "warning: %s: deleted station %ld: a site 0 m from it is "
	         "proposed again (",
	         edited, vil->id);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, said));
	free(out);
	free(err);

	/* a locked value the planner mistyped */
	snprintf(sql, sizeof(sql), "UPDATE stations SET locked = 2 WHERE station_id = %ld",
	         mov->id);
	exec_sql(edited, sql);
	snprintf(cmd, sizeof(cmd),
	         "%s run fixtures/demo/scenario.ini -o %s --overwrite --set input.keep=%s",
	         cu_bin(), plan2, edited);
	rc = cu_run(cmd, &out, &err);
	CU_ASSERT_EQUAL(rc, 2);
	snprintf(said, sizeof(said), "%s:stations fid %ld: locked = 2 (must be 0 or 1)", edited,
	         mov->id); /* the plan's fids are its station ids */
	CU_ASSERT_PTR_NOT_NULL(strstr(err, said));
	free(out);
	free(err);
	free(p1);
	free(pe);
	free(p2);
}

void keep_suite_setup(void)
{
	GDALAllRegister();
	CU_SUITE_ADD("keep", NULL, NULL, CU_TEST_ENTRY(test_edit_workflow));
}
