/*
 * cu_e2e.c: stationplan as a demanding GIS user runs it, across modules.
 *
 * Every test runs the binary (cu_bin()) on the demo district
 * (fixtures/demo, Yinchuan 兴庆区) or on the inputs derived from it in
 * fixtures/e2e (scripts/mke2e.py: existing stations, an exclusion square
 * over the dense core, 40 candidate sites, villages as points), then opens
 * the GeoPackage it wrote with the GDAL C API and checks it against the
 * inputs, which the tests read themselves and bring into the working CRS
 * (EPSG:4544) with OSR: nothing the solver chooses is taken on trust and no
 * coordinate is repeated here.
 *
 * Values the inputs determine are asserted exactly (households, counts,
 * messages, coordinates within 1 m); values the solver chooses are held to
 * the rules (band, walking distance, containment, sums). plan_check() is the
 * consistency every plan must have, applied to each one written here.
 * test_solver_distinct_sites holds the solver's own promise (a split unit's
 * stations stand on different sites; no two stations share a site) apart
 * from the pipeline checks, so a failure there points at solver/.
 */
#include <CUnit/CUnit.h>
#include <unistd.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "cu_tester.h"

#define DEMO_INI   "fixtures/demo/scenario.ini"
#define DEMO_JOIN  "fixtures/demo/scenario_join.ini"
#define DEMO_UNITS "fixtures/demo/units.gpkg"
#define E2E_DIR    "fixtures/e2e"
#define WORK_EPSG  4544
#define WALK_M     1000.0
#define NEAR_M     1.0

/* ---- reading with GDAL -------------------------------------------------- */

static GDALDatasetH ds_open(const char *path)
{
	GDALAllRegister();
	return GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
}

/* The first column of the first row of `fmt` (SQLite, through the GPKG
 * driver) as a malloc'd string; NULL when the query fails, has no row or
 * the value is null. */
static char *sql_text(GDALDatasetH ds, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
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

/* sql_text as a number; -999999 when there is no value. */
static double sql_num(GDALDatasetH ds, const char *fmt, ...)
{
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof(sql), fmt, ap);
	va_end(ap);
	char *v = sql_text(ds, "%s", sql);
	double d = v ? strtod(v, NULL) : -999999;
	free(v);
	return d;
}

/* EPSG:4326 (lon, lat order) to the working CRS; caller destroys. */
static OGRCoordinateTransformationH lonlat_to_work(void)
{
	OGRSpatialReferenceH a = OSRNewSpatialReference(NULL), b = OSRNewSpatialReference(NULL);
	OSRImportFromEPSG(a, 4326);
	OSRImportFromEPSG(b, WORK_EPSG);
	OSRSetAxisMappingStrategy(a, OAMS_TRADITIONAL_GIS_ORDER);
	OSRSetAxisMappingStrategy(b, OAMS_TRADITIONAL_GIS_ORDER);
	OGRCoordinateTransformationH ct = OCTNewCoordinateTransformation(a, b);
	OSRDestroySpatialReference(a);
	OSRDestroySpatialReference(b);
	return ct;
}

/* The geometries of the first layer of `path`, in the working CRS (each
 * owned by the caller, array too); *n their count. */
static OGRGeometryH *read_geoms_work(const char *path, size_t *n)
{
	*n = 0;
	GDALDatasetH ds = ds_open(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	OGRLayerH l = GDALDatasetGetLayer(ds, 0);
	OGRCoordinateTransformationH ct = lonlat_to_work();
	size_t cap = (size_t)OGR_L_GetFeatureCount(l, TRUE) + 1;
	OGRGeometryH *g = calloc(cap, sizeof(*g));
	OGRFeatureH f;
	OGR_L_ResetReading(l);
	while ((f = OGR_L_GetNextFeature(l)) && *n < cap) {
		g[*n] = OGR_G_Clone(OGR_F_GetGeometryRef(f));
		CU_ASSERT_EQUAL(OGR_G_Transform(g[*n], ct), OGRERR_NONE);
		(*n)++;
		OGR_F_Destroy(f);
	}
	OCTDestroyCoordinateTransformation(ct);
	GDALClose(ds);
	return g;
}

static void geoms_free(OGRGeometryH *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		OGR_G_DestroyGeometry(g[i]);
	free(g);
}

/* One input unit: its id, kind, households and geometry in the working CRS
 * with its representative point (GEOS PointOnSurface, as stationplan). */
typedef struct e2e_unit {
	char code[32];
	int rural;
	long households;
	OGRGeometryH geom, rep;
} e2e_unit;

static e2e_unit *read_units(const char *path, size_t *n)
{
	*n = 0;
	GDALDatasetH ds = ds_open(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	OGRLayerH l = GDALDatasetGetLayerByName(ds, "units");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	OGRCoordinateTransformationH ct = lonlat_to_work();
	size_t cap = (size_t)OGR_L_GetFeatureCount(l, TRUE) + 1;
	e2e_unit *u = calloc(cap, sizeof(*u));
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
	int fc = OGR_FD_GetFieldIndex(d, "code"), fk = OGR_FD_GetFieldIndex(d, "kind"),
	    fh = OGR_FD_GetFieldIndex(d, "households");
	OGRFeatureH f;
	OGR_L_ResetReading(l);
	while ((f = OGR_L_GetNextFeature(l)) && *n < cap) {
		e2e_unit *x = &u[(*n)++];
		snprintf(x->code, sizeof(x->code), "%s", OGR_F_GetFieldAsString(f, fc));
		x->rural = !strcmp(OGR_F_GetFieldAsString(f, fk), "village");
		x->households = (long)OGR_F_GetFieldAsInteger64(f, fh);
		x->geom = OGR_G_Clone(OGR_F_GetGeometryRef(f));
		CU_ASSERT_EQUAL(OGR_G_Transform(x->geom, ct), OGRERR_NONE);
		x->rep = OGR_G_PointOnSurface(x->geom);
		CU_ASSERT_PTR_NOT_NULL(x->rep);
		OGR_F_Destroy(f);
	}
	OCTDestroyCoordinateTransformation(ct);
	GDALClose(ds);
	return u;
}

static void units_free(e2e_unit *u, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		OGR_G_DestroyGeometry(u[i].geom);
		OGR_G_DestroyGeometry(u[i].rep);
	}
	free(u);
}

static long units_households(const e2e_unit *u, size_t n, int rural)
{
	long s = 0;
	for (size_t i = 0; i < n; i++)
		if (rural < 0 || u[i].rural == rural)
			s += u[i].households;
	return s;
}

/* One row of a plan's stations layer. */
typedef struct e2e_station {
	long id, households, units;
	int underfilled;
	char kind[16], source[16], reason[256];
	double x, y;
} e2e_station;

static e2e_station *read_stations(GDALDatasetH ds, size_t *n)
{
	*n = 0;
	OGRLayerH l = GDALDatasetGetLayerByName(ds, "stations");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	size_t cap = (size_t)OGR_L_GetFeatureCount(l, TRUE) + 1;
	e2e_station *s = calloc(cap, sizeof(*s));
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
	int fi = OGR_FD_GetFieldIndex(d, "station_id"), fk = OGR_FD_GetFieldIndex(d, "kind"),
	    fh = OGR_FD_GetFieldIndex(d, "households"), fu = OGR_FD_GetFieldIndex(d, "units"),
	    ff = OGR_FD_GetFieldIndex(d, "underfilled"), fr = OGR_FD_GetFieldIndex(d, "reason"),
	    fs = OGR_FD_GetFieldIndex(d, "site_source");
	CU_ASSERT_FATAL(fi >= 0 && fk >= 0 && fh >= 0 && fu >= 0 && ff >= 0 && fr >= 0 && fs >= 0);
	OGRFeatureH f;
	OGR_L_ResetReading(l);
	while ((f = OGR_L_GetNextFeature(l)) && *n < cap) {
		e2e_station *x = &s[(*n)++];
		x->id = (long)OGR_F_GetFieldAsInteger64(f, fi);
		x->households = (long)OGR_F_GetFieldAsInteger64(f, fh);
		x->units = (long)OGR_F_GetFieldAsInteger64(f, fu);
		x->underfilled = OGR_F_GetFieldAsInteger(f, ff);
		snprintf(x->kind, sizeof(x->kind), "%s", OGR_F_GetFieldAsString(f, fk));
		snprintf(x->source, sizeof(x->source), "%s", OGR_F_GetFieldAsString(f, fs));
		snprintf(x->reason, sizeof(x->reason), "%s", OGR_F_GetFieldAsString(f, fr));
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		CU_ASSERT_PTR_NOT_NULL(g);
		if (g) {
			x->x = OGR_G_GetX(g, 0);
			x->y = OGR_G_GetY(g, 0);
		}
		OGR_F_Destroy(f);
	}
	return s;
}

static const e2e_station *station_by_id(const e2e_station *s, size_t n, long id)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].id == id)
			return &s[i];
	return NULL;
}

static OGRGeometryH point_at(double x, double y)
{
	OGRGeometryH p = OGR_G_CreateGeometry(wkbPoint);
	OGR_G_SetPoint_2D(p, 0, x, y);
	return p;
}

/* ---- running the binary ------------------------------------------------- */

/* One plan written by this suite: run once, reused by the tests. */
typedef struct e2e_plan {
	char tag[32], path[600], *err;
	int rc;
} e2e_plan;

static e2e_plan plans[20];
static size_t nplans;

/* `stationplan run SCENARIO -o <outdir>/e2e-TAG.gpkg --overwrite EXTRA`,
 * run the first time TAG is asked for; the plan's path, exit status and
 * stderr are kept for the suite's life. */
static const e2e_plan *plan_get(const char *tag, const char *scenario, const char *extra)
{
	for (size_t i = 0; i < nplans; i++)
		if (!strcmp(plans[i].tag, tag))
			return &plans[i];
	CU_ASSERT_FATAL(nplans < sizeof(plans) / sizeof(plans[0]));
	e2e_plan *p = &plans[nplans++];
	snprintf(p->tag, sizeof(p->tag), "%s", tag);
	snprintf(p->path, sizeof(p->path), "%s/e2e-%s.gpkg", cu_outdir(), tag);
	char cmd[2048], dir[600];
	snprintf(dir, sizeof(dir), "%s", p->path);
	*strrchr(dir, '/') = '\0'; /* a tag "x/y" writes into the folder e2e-x */
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && %s run %s -o '%s' --overwrite %s", dir,
	         cu_bin(), scenario, p->path, extra ? extra : "");
	p->rc = cu_run(cmd, NULL, &p->err);
	return p;
}

static const e2e_plan *plan_base(void)
{
	return plan_get("base", DEMO_INI, "");
}

static int has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; p && (p = strstr(p, line)); p++)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return 1;
	return 0;
}

/* ---- the consistency every plan must have ------------------------------- */

/* Every link joins a unit to the station of one of its assignment rows, as
 * long as that row's distance; every assignment at a distance has its link
 * (one at distance 0 may have none: a zero-length line is no line). */
static void links_check(GDALDatasetH ds, const char *path)
{
	OGRLayerH l = GDALDatasetGetLayerByName(ds, "links");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
	int fu = OGR_FD_GetFieldIndex(d, "unit_id"), fs = OGR_FD_GetFieldIndex(d, "station_id");
	CU_ASSERT_FATAL(fu >= 0 && fs >= 0);
	OGRFeatureH f;
	long n = 0;
	OGR_L_ResetReading(l);
	while ((f = OGR_L_GetNextFeature(l))) {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		/* no geometry: only for a unit served at its own demand point */
		double len = g ? OGR_G_Length(g) : 0;
		double want = sql_num(ds,
		                      "select distance_m from assignments where unit_id = '%s' and "
		                      "station_id = %lld",
		                      OGR_F_GetFieldAsString(f, fu),
		                      (long long)OGR_F_GetFieldAsInteger64(f, fs));
		CU_ASSERT(fabs(len - want) <= 0.01);
		if (fabs(len - want) > 0.01)
			fprintf(stderr,
			        "\ne2e: %s: link of unit %s: %.3f m long, assignment %.3f m\n",
			        path, OGR_F_GetFieldAsString(f, fu), len, want);
		n++;
		OGR_F_Destroy(f);
	}
	CU_ASSERT(n <= sql_num(ds, "select count(*) from assignments"));
	CU_ASSERT(n >= sql_num(ds, "select count(*) from assignments where distance_m > 0.01"));
}

/* Check the plan at `path` against its input units (`units_path`, in
 * lon/lat, layer units): sums across stations, assignments, uncovered and
 * the summary tables; every unit served in full or listed uncovered once;
 * urban walks within the radius; each village alone at its own station
 * inside it; the run record. */
static void plan_check(const char *path, const char *units_path)
{
	size_t nu, ns;
	e2e_unit *u = read_units(units_path, &nu);
	GDALDatasetH ds = ds_open(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	e2e_station *s = read_stations(ds, &ns);
	long total = units_households(u, nu, -1);

	/* households: served + uncovered = the district's = the input's */
	double st_hh = sql_num(ds, "select coalesce(sum(households),0) from stations");
	double as_hh = sql_num(ds, "select coalesce(sum(households),0) from assignments");
	double un_hh = sql_num(ds, "select coalesce(sum(households),0) from uncovered");
	double sd_hh = sql_num(ds, "select sum(households) from summary_district");
	CU_ASSERT_EQUAL(st_hh, as_hh);
	CU_ASSERT_EQUAL(as_hh, sd_hh - un_hh);
	CU_ASSERT_EQUAL(sd_hh, (double)total);
	CU_ASSERT_EQUAL(sql_num(ds, "select sum(households) from summary_street"), (double)total);
	CU_ASSERT_EQUAL(sql_num(ds, "select sum(uncovered_households) from summary_district"),
	                un_hh);
	CU_ASSERT_EQUAL(sql_num(ds, "select sum(units) from summary_district"), (double)nu);

	/* station counts agree everywhere */
	CU_ASSERT_EQUAL(sql_num(ds, "select count(distinct station_id) from stations"), (double)ns);
	CU_ASSERT_EQUAL(sql_num(ds, "select sum(stations) from summary_district"), (double)ns);
	CU_ASSERT_EQUAL(sql_num(ds, "select sum(stations) from summary_street"), (double)ns);
	CU_ASSERT_EQUAL(sql_num(ds,
	                        "select count(*) from summary_district d where stations != "
	                        "(select count(*) from stations s where s.district = d.district)"),
	                0);
	CU_ASSERT_EQUAL(sql_num(ds,
	                        "select count(*) from stations s where households != (select "
	                        "coalesce(sum(a.households),0) from assignments a where "
	                        "a.station_id = s.station_id) or units != (select count(*) from "
	                        "assignments a where a.station_id = s.station_id)"),
	                0);
	CU_ASSERT_EQUAL(sql_num(ds, "select count(*) from assignments where station_id not in "
	                            "(select station_id from stations) or households <= 0"),
	                0);
	links_check(ds, path);

	/* urban walks within the radius */
	CU_ASSERT_EQUAL(sql_num(ds,
	                        "select count(*) from assignments where unit_kind = 'urban' "
	                        "and (distance_m > %.6f or distance_m < 0)",
	                        WALK_M + 1e-6),
	                0);

	/* every unit: served in full, or uncovered once with a reason */
	for (size_t i = 0; i < nu; i++) {
		double rows =
		    sql_num(ds, "select count(*) from assignments where unit_id = '%s'", u[i].code);
		double hh = sql_num(
		    ds, "select sum(households) from assignments where unit_id = '%s'", u[i].code);
		double unc = sql_num(ds,
		                     "select count(*) from uncovered where unit_id = '%s' and "
		                     "households = %ld and length(reason) > 0",
		                     u[i].code, u[i].households);
		double anyunc =
		    sql_num(ds, "select count(*) from uncovered where unit_id = '%s'", u[i].code);
		CU_ASSERT_EQUAL(anyunc, unc);
		if (u[i].households <= 0)
			continue;
		CU_ASSERT((rows > 0) != (unc > 0));
		CU_ASSERT(unc <= 1);
		if (rows > 0)
			CU_ASSERT_EQUAL(hh, (double)u[i].households);
		if ((rows > 0) == (unc > 0) || (rows > 0 && hh != (double)u[i].households))
			fprintf(stderr,
			        "\ne2e: %s: unit %s: %g assignment row(s) with %g households, "
			        "%g uncovered row(s), %ld households in the input\n",
			        path, u[i].code, rows, hh, unc, u[i].households);
		if (rows > 0 && u[i].rural) {
			/* one village, one station of its own, inside it */
			char *sid =
			    sql_text(ds, "select station_id from assignments where unit_id = '%s'",
			             u[i].code);
			const e2e_station *st = sid ? station_by_id(s, ns, atol(sid)) : NULL;
			free(sid);
			CU_ASSERT_EQUAL(rows, 1);
			CU_ASSERT_PTR_NOT_NULL_FATAL(st);
			CU_ASSERT(!strcmp(st->kind, "village") || !strcmp(st->kind, "existing"));
			CU_ASSERT_EQUAL(st->units, 1);
			OGRGeometryH p = point_at(st->x, st->y);
			CU_ASSERT(OGR_G_Distance(p, u[i].geom) <= NEAR_M);
			OGR_G_DestroyGeometry(p);
		}
	}
	CU_ASSERT_EQUAL(sql_num(ds, "select count(*) from assignments a join stations s on "
	                            "s.station_id = a.station_id where s.kind = 'village' and "
	                            "a.unit_kind != 'rural'"),
	                0);
	CU_ASSERT_EQUAL(sql_num(ds, "select count(*) from stations where kind = 'village'"),
	                sql_num(ds, "select count(*) from assignments a join stations s on "
	                            "s.station_id = a.station_id where s.kind = 'village'"));
	CU_ASSERT_EQUAL(sql_num(ds, "select count(*) from stations where kind not in "
	                            "('urban','village','existing')"),
	                0);

	/* the run record */
	char *crs = sql_text(ds, "select crs from run");
	CU_ASSERT_STRING_EQUAL(crs ? crs : "", "EPSG:4544");
	free(crs);
	CU_ASSERT_EQUAL(sql_num(ds, "select stations from run"), (double)ns);
	CU_ASSERT_EQUAL(sql_num(ds, "select units from run"), (double)nu);
	CU_ASSERT_EQUAL(sql_num(ds, "select uncovered from run"),
	                sql_num(ds, "select count(*) from uncovered"));
	CU_ASSERT_EQUAL(sql_num(ds, "select count(*) from run"), 1);

	free(s);
	GDALClose(ds);
	units_free(u, nu);
}

/* ---- 1. existing stations ----------------------------------------------- */

static void test_existing(void)
{
	const e2e_plan *p = plan_get("existing", E2E_DIR "/scenario_existing.ini", "");
	CU_ASSERT_EQUAL_FATAL(p->rc, 0);
	plan_check(p->path, DEMO_UNITS);

	size_t ne, ns, nb;
	OGRGeometryH *e = read_geoms_work(E2E_DIR "/existing.geojson", &ne);
	CU_ASSERT_EQUAL(ne, 3);
	GDALDatasetH ds = ds_open(p->path);
	e2e_station *s = read_stations(ds, &ns);
	size_t nexist = 0;
	int matched[8] = {0};
	for (size_t i = 0; i < ns; i++) {
		if (strcmp(s[i].kind, "existing"))
			continue;
		nexist++;
		CU_ASSERT_STRING_EQUAL(s[i].source, "existing");
		CU_ASSERT(s[i].households > 0 || (s[i].underfilled && s[i].reason[0]));
		size_t hit = 0;
		for (size_t k = 0; k < ne && k < 8; k++)
			if (hypot(s[i].x - OGR_G_GetX(e[k], 0), s[i].y - OGR_G_GetY(e[k], 0)) <=
			    NEAR_M) {
				matched[k]++;
				hit++;
			}
		CU_ASSERT_EQUAL(hit, 1);
	}
	CU_ASSERT_EQUAL(nexist, 3);
	for (size_t k = 0; k < ne && k < 8; k++)
		CU_ASSERT_EQUAL(matched[k], 1);
	free(s);
	GDALClose(ds);

	const e2e_plan *b = plan_base();
	CU_ASSERT_EQUAL_FATAL(b->rc, 0);
	ds = ds_open(b->path);
	free(read_stations(ds, &nb));
	GDALClose(ds);
	CU_ASSERT(ns <= nb + 3);
	geoms_free(e, ne);
}

/* ---- 2. exclusion zone -------------------------------------------------- */

/* How many non-existing stations of `path` lie within `d` m of a polygon;
 * with `report` each is named on stderr. */
static size_t stations_near(const char *path, OGRGeometryH *zone, size_t nz, double d, int report)
{
	size_t ns, hits = 0;
	GDALDatasetH ds = ds_open(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	e2e_station *s = read_stations(ds, &ns);
	for (size_t i = 0; i < ns; i++) {
		if (!strcmp(s[i].kind, "existing"))
			continue;
		OGRGeometryH pt = point_at(s[i].x, s[i].y);
		for (size_t k = 0; k < nz; k++)
			if (OGR_G_Distance(pt, zone[k]) < d) {
				if (report)
					fprintf(stderr,
					        "\ne2e: %s: station %ld (%s) at %.1f m of the "
					        "exclusion\n",
					        path, s[i].id, s[i].kind,
					        OGR_G_Distance(pt, zone[k]));
				hits++;
			}
		OGR_G_DestroyGeometry(pt);
	}
	free(s);
	GDALClose(ds);
	return hits;
}

static void test_exclusion(void)
{
	size_t nz;
	OGRGeometryH *zone = read_geoms_work(E2E_DIR "/exclude.geojson", &nz);
	CU_ASSERT_EQUAL_FATAL(nz, 1);

	/* the zone matters: the plan without it has stations there */
	const e2e_plan *b = plan_base();
	CU_ASSERT_EQUAL_FATAL(b->rc, 0);
	CU_ASSERT(stations_near(b->path, zone, nz, 50, 0) > 0);

	const e2e_plan *p = plan_get("exclude", E2E_DIR "/scenario_exclude.ini", "");
	CU_ASSERT_FATAL(p->rc == 0 || p->rc == 3);
	plan_check(p->path, DEMO_UNITS);
	/* 50 m of buffer, less what an 8-segment quarter circle cuts off a
	 * true offset (50 (1 - cos(pi / 32)) = 0.24 m) */
	CU_ASSERT_EQUAL(stations_near(p->path, zone, nz, 50 - 0.25, 1), 0);

	GDALDatasetH ds = ds_open(p->path);
	double nunc = sql_num(ds, "select count(*) from uncovered");
	CU_ASSERT_EQUAL(p->rc, nunc > 0 ? 3 : 0);
	/* whatever is uncovered is so because nothing outside the zone is in
	 * reach: its nearest site is beyond the walk and it sits in the zone */
	CU_ASSERT_EQUAL(sql_num(ds,
	                        "select count(*) from uncovered where nearest_m <= %.1f or "
	                        "reason not like 'no candidate site within 1000 m%%'",
	                        WALK_M),
	                0);
	OGRLayerH l = GDALDatasetGetLayerByName(ds, "uncovered");
	OGRFeatureH f;
	OGRGeometryH grown = OGR_G_Buffer(zone[0], 50, 8);
	OGR_L_ResetReading(l);
	while ((f = OGR_L_GetNextFeature(l))) {
		OGRGeometryH rep = OGR_G_PointOnSurface(OGR_F_GetGeometryRef(f));
		CU_ASSERT(OGR_G_Within(rep, grown));
		OGR_G_DestroyGeometry(rep);
		OGR_F_Destroy(f);
	}
	OGR_G_DestroyGeometry(grown);
	GDALClose(ds);
	geoms_free(zone, nz);
}

/* ---- 3. candidates only ------------------------------------------------- */

static void test_candidates_only(void)
{
	size_t nc, nu, ns;
	OGRGeometryH *c = read_geoms_work(E2E_DIR "/candidates.geojson", &nc);
	CU_ASSERT_EQUAL(nc, 40);
	e2e_unit *u = read_units(DEMO_UNITS, &nu);
	const e2e_plan *p = plan_get("candidates", E2E_DIR "/scenario_candidates.ini", "");
	CU_ASSERT_EQUAL(p->rc, 3);
	plan_check(p->path, DEMO_UNITS);
	GDALDatasetH ds = ds_open(p->path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);

	/* every station at a candidate */
	e2e_station *s = read_stations(ds, &ns);
	CU_ASSERT(ns > 0);
	for (size_t i = 0; i < ns; i++) {
		double best = INFINITY;
		for (size_t k = 0; k < nc; k++)
			best = fmin(best, hypot(s[i].x - OGR_G_GetX(c[k], 0),
			                        s[i].y - OGR_G_GetY(c[k], 0)));
		CU_ASSERT(best <= NEAR_M);
		CU_ASSERT_STRING_EQUAL(s[i].source, "candidate");
	}

	/* reach worked out here: an urban unit needs a candidate outside every
	 * village within the walk of its representative point, a village (one
	 * per village) a candidate inside itself */
	int *in_village = calloc(nc, sizeof(int));
	for (size_t k = 0; k < nc; k++)
		for (size_t i = 0; i < nu; i++)
			if (u[i].rural && OGR_G_Intersects(c[k], u[i].geom))
				in_village[k] = 1;
	long unc_hh = 0, unc_n = 0, checked = 0;
	for (size_t i = 0; i < nu; i++) {
		int reach = 0;
		double best = INFINITY;
		for (size_t k = 0; k < nc; k++) {
			if (u[i].rural)
				reach |= OGR_G_Intersects(c[k], u[i].geom);
			else if (!in_village[k])
				best = fmin(best, OGR_G_Distance(c[k], u[i].rep));
		}
		if (!u[i].rural) {
			if (fabs(best - WALK_M) < NEAR_M)
				continue; /* too close to the radius to call */
			reach = best <= WALK_M;
		}
		double listed =
		    sql_num(ds, "select count(*) from uncovered where unit_id = '%s'", u[i].code);
		CU_ASSERT_EQUAL(listed, reach ? 0 : 1);
		if (listed != (reach ? 0 : 1))
			fprintf(stderr, "\ne2e: candidates: unit %s (%s) reach %d, uncovered %g\n",
			        u[i].code, u[i].rural ? "village" : "urban", reach, listed);
		unc_hh += reach ? 0 : u[i].households;
		unc_n += !reach;
		checked++;
	}
	CU_ASSERT(checked >= (long)nu - 2);
	CU_ASSERT(unc_n > 0);
	CU_ASSERT(unc_n < (long)nu);

	/* and the run says so */
	char msg[256];
	snprintf(msg, sizeof(msg),
	         "%.0f unit(s) with %.0f households are out of walking reach of any candidate "
	         "site (see layer 'uncovered')",
	         sql_num(ds, "select count(*) from uncovered"),
	         sql_num(ds, "select sum(households) from uncovered"));
	CU_ASSERT_PTR_NOT_NULL(strstr(p->err, msg));
	if (checked == (long)nu)
		CU_ASSERT_EQUAL(sql_num(ds, "select sum(households) from uncovered"),
		                (double)unc_hh);

	free(in_village);
	free(s);
	GDALClose(ds);
	units_free(u, nu);
	geoms_free(c, nc);
}

/* The plan at path has `stations` urban stations and, when bound >= 0,
 * that urban bound. */
static void urban_is(const char *path, double stations, double bound)
{
	GDALDatasetH ds = ds_open(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_DOUBLE_EQUAL(sql_num(ds, "select urban_stations from run"), stations, 1e-12);
	if (bound >= 0)
		CU_ASSERT_DOUBLE_EQUAL(sql_num(ds, "select urban_bound from run"), bound, 1e-12);
	GDALClose(ds);
}

/* The exclusion fixture under flexible splitting (the default, named
 * here): 53 urban stations, proven (bound 53), where equal parts
 * (rules.split = equal, the run "exclude-equal") need 54. Its 88-community component
 * holds 45 of them: the model of flex_model.c exported and solved by CBC
 * 2.10 (a research tool, not used here) is optimal at 45 (LP 43.99), and
 * flex.c's plan of 46 only reaches 45 through the RINS step (GLPK's search
 * alone stayed at 46 for 400 s). Exit 3: one unit is uncovered (the zone);
 * proven all the same. */
static void test_exclusion_flexible(void)
{
	const e2e_plan *e = plan_get("exclude-equal", E2E_DIR "/scenario_exclude.ini",
	                             "--set rules.split=equal");
	/* counted work, so the plan does not depend on the machine's load */
	const e2e_plan *p = plan_get("exclude-flex", E2E_DIR "/scenario_exclude.ini",
	                             "--set rules.split=flexible --set solver.work_limit=1000");
	CU_ASSERT_EQUAL_FATAL(p->rc, 3);
	plan_check(p->path, DEMO_UNITS);
	GDALDatasetH ds = ds_open(p->path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_DOUBLE_EQUAL(sql_num(ds, "select count(*) from uncovered"), 1, 1e-12);
	GDALClose(ds);
	urban_is(p->path, 53, 53);
	CU_ASSERT_FATAL(e->rc == 0 || e->rc == 3);
	urban_is(e->path, 54, -1);
}

/* The demo under flexible splitting (the default, named here), counted
 * work: 53 urban stations, proven (bound 53), where equal parts
 * (rules.split = equal, the run "demo-equal") need 54. Its
 * 89-community component holds 45 of them: the model of flex_model.c
 * exported (SP_FLEX_MPS) and solved by CBC 2.10 (a research tool, not used
 * here) is optimal at 45 (LP 44.24, so 45 is also the rounded bound); the
 * feasibility pump finds that plan from flex.c's 46 (before it, RINS did on
 * an idle machine only and the run kept 54 at its 60 s limit); the other
 * components (1 + 7 stations) are optimal as with equal parts. */
static void test_demo_flexible(void)
{
	const e2e_plan *b = plan_get("demo-equal", DEMO_INI, "--set rules.split=equal");
	const e2e_plan *p = plan_get("demo-flex", DEMO_INI,
	                             "--set rules.split=flexible --set solver.work_limit=1000");
	CU_ASSERT_EQUAL_FATAL(p->rc, 0);
	plan_check(p->path, DEMO_UNITS);
	urban_is(p->path, 53, 53);
	CU_ASSERT_EQUAL_FATAL(b->rc, 0);
	urban_is(b->path, 54, -1);
}

/* ---- 4. the Yinchuan rule ----------------------------------------------- */

/* The Yinchuan rule with equal parts (rules.split = equal, pinned: these
 * checks are of equal parts, ceil(h / max) near-equal shares) and under
 * the default, flexible splitting (counted work: the same plan under any
 * load). */
static const e2e_plan *plan_yinchuan(void)
{
	return plan_get("yinchuan", DEMO_INI,
	                "--set rules.households_max=1000 --set rules.households_min=500 "
	                "--set rules.split=equal");
}

static const e2e_plan *plan_yinchuan_flex(void)
{
	return plan_get("yinchuan-flex", DEMO_INI,
	                "--set rules.households_max=1000 --set rules.households_min=500 "
	                "--set solver.work_limit=1000");
}

/* The band 500-1,000 holds at every urban station, a community above the
 * maximum is served in full by at least ceil(h / max) stations (exactly
 * that many, in near-equal shares, when `equal`); the urban stations. */
static long yinchuan_check(const e2e_plan *p, int equal)
{
	size_t nu, ns;
	e2e_unit *u = read_units(DEMO_UNITS, &nu);
	plan_check(p->path, DEMO_UNITS);
	GDALDatasetH ds = ds_open(p->path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	e2e_station *s = read_stations(ds, &ns);

	long urban_hh = units_households(u, nu, 0), urban_st = 0;
	for (size_t i = 0; i < ns; i++) {
		if (strcmp(s[i].kind, "urban"))
			continue;
		urban_st++;
		CU_ASSERT(s[i].households <= 1000);
		if (!s[i].underfilled) {
			CU_ASSERT(s[i].households >= 500);
		} else {
			CU_ASSERT(s[i].households < 500 && s[i].reason[0]);
		}
	}
	CU_ASSERT(urban_st >= (urban_hh + 999) / 1000);

	long split = 0;
	for (size_t i = 0; i < nu; i++) {
		if (u[i].rural || u[i].households <= 1000)
			continue;
		long k = (u[i].households + 999) / 1000;
		split++;
		double n = sql_num(
		    ds, "select count(distinct station_id) from assignments where unit_id = '%s'",
		    u[i].code);
		if (equal) {
			CU_ASSERT_EQUAL(n, (double)k);
		} else {
			CU_ASSERT(n >= (double)k);
		}
		CU_ASSERT_EQUAL(
		    sql_num(ds, "select sum(households) from assignments where unit_id = '%s'",
		            u[i].code),
		    (double)u[i].households);
		CU_ASSERT(sql_num(ds, "select min(households) from assignments where unit_id = '%s'",
		                  u[i].code) >= 1);
		if (equal)
			CU_ASSERT(sql_num(ds,
			                  "select max(households) - min(households) from "
			                  "assignments where unit_id = '%s'",
			                  u[i].code) <= 1);
	}
	CU_ASSERT(split > 10);
	free(s);
	GDALClose(ds);
	units_free(u, nu);
	return urban_st;
}

static void test_yinchuan_rule(void)
{
	const e2e_plan *p = plan_yinchuan();
	CU_ASSERT_EQUAL_FATAL(p->rc, 0);
	yinchuan_check(p, 1);
}

/* The Yinchuan rule flexibly: the band and the shares hold, no more urban
 * stations than equal parts' proven optimum, and a bound that is valid
 * (at most the stations) and at least the households over the maximum.
 * Not proven (exit 3): its 89-community part has more station patterns
 * than the exact model lists (README), so column generation bounds it. */
static void test_yinchuan_flexible(void)
{
	const e2e_plan *e = plan_yinchuan(), *p = plan_yinchuan_flex();
	CU_ASSERT_EQUAL_FATAL(e->rc, 0);
	CU_ASSERT_FATAL(p->rc == 0 || p->rc == 3);
	long ne = yinchuan_check(e, 1), nf = yinchuan_check(p, 0);
	CU_ASSERT(nf <= ne);
	size_t nu;
	e2e_unit *u = read_units(DEMO_UNITS, &nu);
	long urban_hh = units_households(u, nu, 0);
	units_free(u, nu);
	GDALDatasetH ds = ds_open(p->path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	double st = sql_num(ds, "select urban_stations from run");
	double bd = sql_num(ds, "select urban_bound from run");
	CU_ASSERT_DOUBLE_EQUAL(st, (double)nf, 1e-12);
	CU_ASSERT(bd <= st);
	CU_ASSERT(bd >= (double)((urban_hh + 999) / 1000));
	/* exit 0 exactly when the urban gap is within mip_gap (none uncovered) */
	CU_ASSERT_EQUAL(sql_num(ds, "select count(*) from uncovered"), 0);
	CU_ASSERT_EQUAL(p->rc, sql_num(ds, "select urban_gap from run") <= 0.005 + 1e-9 ? 0 : 3);
	GDALClose(ds);
}

/* ---- 5. one plan, consistent -------------------------------------------- */

/* The run record holds wall-clock seconds only when asked (output.timings),
 * so that by default the same inputs give the same bytes. The write stage
 * cannot time itself into the file it writes: read to solve are recorded. */
static void test_run_timings(void)
{
	const e2e_plan *base = plan_base();
	const e2e_plan *t = plan_get("timings", DEMO_INI, "--set output.timings=true");
	CU_ASSERT_EQUAL_FATAL(base->rc, 0);
	CU_ASSERT_EQUAL_FATAL(t->rc, 0);
	GDALDatasetH db = ds_open(base->path), dt = ds_open(t->path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	CU_ASSERT_PTR_NOT_NULL_FATAL(dt);
	CU_ASSERT_EQUAL(sql_num(db, "select timings from run"), 0);
	CU_ASSERT_EQUAL(sql_num(db, "select seconds is null and stages is null from run"), 1);
	CU_ASSERT_EQUAL(sql_num(dt, "select timings from run"), 1);
	CU_ASSERT(sql_num(dt, "select seconds from run") > 0);
	char *stages = sql_text(dt, "select stages from run");
	CU_ASSERT_PTR_NOT_NULL_FATAL(stages);
	const char *want[] = {"read=", "sites=", "reach=", "solve="};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		CU_ASSERT_PTR_NOT_NULL(strstr(stages, want[i]));
	CU_ASSERT_EQUAL(sql_num(dt, "select count(*) from run_subproblems where seconds is null"),
	                0);
	char *params = sql_text(dt, "select parameters from run");
	CU_ASSERT(has_line(params, "output.timings = true"));
	free(params);
	free(stages);
	GDALClose(db);
	GDALClose(dt);
}

static void test_plan_consistency(void)
{
	const e2e_plan *b = plan_base();
	CU_ASSERT_EQUAL_FATAL(b->rc, 0);
	plan_check(b->path, DEMO_UNITS);
	GDALDatasetH ds = ds_open(b->path);
	char *params = sql_text(ds, "select parameters from run");
	CU_ASSERT(has_line(params, "rules.households_max = 5000"));
	CU_ASSERT(has_line(params, "input.crs = auto"));
	free(params);
	CU_ASSERT_EQUAL(sql_num(ds, "select count(*) from uncovered"), 0);
	GDALClose(ds);

	/* flexible splitting (the default) in counted work, the clock only a
	 * safety net: its proof takes about 30 s on the 2-core machine (load
	 * 3-4), which a loaded suite can stretch past 60 s. Proven: 66 urban
	 * stations against a bound of 66 */
	const e2e_plan *p =
	    plan_get("max4000", DEMO_INI,
	             "--set rules.households_max=4000 --set solver.work_limit=1000 "
	             "--set solver.time_limit_s=600");
	CU_ASSERT_EQUAL_FATAL(p->rc, 0);
	urban_is(p->path, 66, 66);
	plan_check(p->path, DEMO_UNITS);
	ds = ds_open(p->path);
	params = sql_text(ds, "select parameters from run");
	CU_ASSERT(has_line(params, "rules.households_max = 4000"));
	CU_ASSERT(!has_line(params, "rules.households_max = 5000"));
	free(params);
	CU_ASSERT_EQUAL(sql_num(ds, "select households_max from run"), 4000);
	CU_ASSERT_EQUAL(sql_num(ds, "select count(*) from stations where kind = 'urban' and "
	                            "households > 4000"),
	                0);
	GDALClose(ds);
}

/* ---- 6. threads --------------------------------------------------------- */

/* The run record keeps every parameter (solver.threads too), so the two
 * files differ there and only there: the same parameters line by line except
 * solver.threads; the plan layers are compared by test_threads_same_plan. */
static void test_threads_record_only(void)
{
	const e2e_plan *a = plan_get("threads1", DEMO_INI, "--threads 1");
	const e2e_plan *b = plan_get("threads2", DEMO_INI, "--threads 2");
	CU_ASSERT_EQUAL_FATAL(a->rc, 0);
	CU_ASSERT_EQUAL_FATAL(b->rc, 0);
	GDALDatasetH da = ds_open(a->path), db = ds_open(b->path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(da);
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	char *pa = sql_text(da, "select parameters from run");
	char *pb = sql_text(db, "select parameters from run");
	CU_ASSERT_PTR_NOT_NULL_FATAL(pa);
	CU_ASSERT_PTR_NOT_NULL_FATAL(pb);
	CU_ASSERT_PTR_NOT_NULL(strstr(pa, "solver.threads = 1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(pb, "solver.threads = 2\n"));
	int differing = 0;
	char *sa = NULL, *sb = NULL;
	for (char *la = strtok_r(pa, "\n", &sa), *lb = strtok_r(pb, "\n", &sb); la || lb;
	     la = strtok_r(NULL, "\n", &sa), lb = strtok_r(NULL, "\n", &sb)) {
		CU_ASSERT_FATAL(la && lb);
		if (strcmp(la, lb) != 0) {
			differing++;
			CU_ASSERT_EQUAL(strncmp(la, "solver.threads = ", 17), 0);
		}
	}
	CU_ASSERT_EQUAL(differing, 1);
	free(pa);
	free(pb);
	GDALClose(da);
	GDALClose(db);
}

/* The plan layers alone (not the run record) of two files, dumped by
 * sqlite3 into text files and compared; 0 when identical. */
static int same_layers(const char *a, const char *b, const char *layers)
{
	char cmd[8192], da[700], db[700];
	snprintf(da, sizeof(da), "%s/e2e-dump-a.sql", cu_outdir());
	snprintf(db, sizeof(db), "%s/e2e-dump-b.sql", cu_outdir());
	snprintf(cmd, sizeof(cmd),
	         "sqlite3 '%s' '.dump %s' > '%s' && sqlite3 '%s' '.dump %s' > '%s' && "
	         "test -s '%s' && cmp '%s' '%s'",
	         a, layers, da, b, layers, db, da, da, db);
	return cu_run(cmd, NULL, NULL);
}

static void test_threads_same_plan(void)
{
	const e2e_plan *a = plan_get("threads1", DEMO_INI, "--threads 1");
	const e2e_plan *b = plan_get("threads2", DEMO_INI, "--threads 2");
	CU_ASSERT_EQUAL_FATAL(a->rc, 0);
	CU_ASSERT_EQUAL_FATAL(b->rc, 0);
	CU_ASSERT_EQUAL(same_layers(a->path, b->path,
	                            "stations service_areas assignments links uncovered "
	                            "summary_district summary_street run_subproblems"),
	                0);
}

/* Stopped by solver.work_limit (a tight band, so the search is cut): a
 * plan, exit 3 saying it is not proven, and the same bytes on two runs. */
static void test_work_limit_bytes(void)
{
	const char *extra = "--set solver.work_limit=1 --set rules.households_min=4000 "
	                    "--set rules.walk_distance_m=1500";
	/* the same file name in another folder: the stored QGIS project names its
	 * own file, as QGIS does */
	const e2e_plan *a = plan_get("work", DEMO_INI, extra);
	const e2e_plan *b = plan_get("again/e2e-work", DEMO_INI, extra);
	CU_ASSERT_EQUAL(a->rc, 3);
	CU_ASSERT_EQUAL(b->rc, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(a->err, "plan not proven within mip_gap = 0.005 (urban gap"));
	char cmd[1400];
	snprintf(cmd, sizeof(cmd), "cmp '%s' '%s'", a->path, b->path);
	CU_ASSERT_EQUAL(cu_run(cmd, NULL, NULL), 0);
	GDALDatasetH ds = ds_open(a->path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_DOUBLE_EQUAL(sql_num(ds, "SELECT work_limit FROM run"), 1, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(sql_num(ds, "SELECT proven FROM run"), 0, 1e-12);
	CU_ASSERT_TRUE(sql_num(ds, "SELECT urban_gap FROM run") > 0.005);
	CU_ASSERT_TRUE(sql_num(ds, "SELECT urban_bound FROM run") <=
	               sql_num(ds, "SELECT urban_stations FROM run"));
	CU_ASSERT_DOUBLE_EQUAL(sql_num(ds, "SELECT count(*) FROM run_subproblems "
	                                   "WHERE restricted = 1"),
	                       0, 1e-12);
	GDALClose(ds);
}

/* An absurd band ends at once with an input error, nothing written. */
static void test_absurd_band(void)
{
	const e2e_plan *p = plan_get("absurd", DEMO_INI,
	                             "--set rules.households_max=1 --set rules.households_min=0");
	CU_ASSERT_EQUAL(p->rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(p->err, "households: under households_max = 1 it needs"));
	CU_ASSERT_EQUAL(access(p->path, F_OK), -1);
}

/* ---- 7. villages as points ---------------------------------------------- */

static void test_point_villages(void)
{
	const char *units = E2E_DIR "/units_points.gpkg";
	const e2e_plan *p = plan_get("points", E2E_DIR "/scenario_points.ini", "");
	CU_ASSERT_EQUAL_FATAL(p->rc, 0);
	plan_check(p->path, units);

	size_t nu, ns, villages = 0;
	e2e_unit *u = read_units(units, &nu);
	GDALDatasetH ds = ds_open(p->path);
	e2e_station *s = read_stations(ds, &ns);
	for (size_t i = 0; i < nu; i++) {
		if (!u[i].rural)
			continue;
		CU_ASSERT_EQUAL(wkbFlatten(OGR_G_GetGeometryType(u[i].geom)), wkbPoint);
		villages++;
		char *sid = sql_text(ds, "select station_id from assignments where unit_id = '%s'",
		                     u[i].code);
		const e2e_station *st = sid ? station_by_id(s, ns, atol(sid)) : NULL;
		free(sid);
		CU_ASSERT_PTR_NOT_NULL_FATAL(st);
		CU_ASSERT_STRING_EQUAL(st->kind, "village");
		CU_ASSERT(hypot(st->x - OGR_G_GetX(u[i].geom, 0),
		                st->y - OGR_G_GetY(u[i].geom, 0)) <= NEAR_M);
		CU_ASSERT_EQUAL(sql_num(ds,
		                        "select point_unit from assignments where unit_id = '%s'",
		                        u[i].code),
		                1);
	}
	CU_ASSERT_EQUAL(villages, 43);
	/* every map layer holds every geometry it was given, and GDAL reads it */
	CU_ASSERT_EQUAL(sql_num(ds, "select count(*) from assignments"),
	                sql_num(ds, "select count(*) from links"));
	const char *layers[] = {"stations", "service_areas", "assignments", "links"};
	for (size_t k = 0; k < sizeof(layers) / sizeof(layers[0]); k++) {
		OGRLayerH l = GDALDatasetGetLayerByName(ds, layers[k]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(l);
		OGRFeatureH f;
		long empty = 0, n = 0;
		OGR_L_ResetReading(l);
		while ((f = OGR_L_GetNextFeature(l))) {
			OGRGeometryH g = OGR_F_GetGeometryRef(f);
			/* links: a unit served at its own point has a row, no line */
			empty += g ? OGR_G_IsEmpty(g) : strcmp(layers[k], "links") != 0;
			n++;
			OGR_F_Destroy(f);
		}
		CU_ASSERT(n > 0);
		CU_ASSERT_EQUAL(empty, 0);
		if (empty)
			fprintf(stderr, "\ne2e: points: %s: %ld empty geometries\n", layers[k],
			        empty);
	}
	free(s);
	GDALClose(ds);
	units_free(u, nu);
}

/* Every geometry of the plan's map layers is valid (GEOS), as QGIS's
 * Check Validity would find it. */
static void valid_geometries(const char *path)
{
	GDALDatasetH ds = ds_open(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	const char *layers[] = {"stations", "service_areas", "assignments", "links", "uncovered"};
	CPLPushErrorHandler(CPLQuietErrorHandler);
	for (size_t k = 0; k < sizeof(layers) / sizeof(layers[0]); k++) {
		OGRLayerH l = GDALDatasetGetLayerByName(ds, layers[k]);
		CU_ASSERT_PTR_NOT_NULL_FATAL(l);
		OGRFeatureH f;
		long bad = 0;
		OGR_L_ResetReading(l);
		while ((f = OGR_L_GetNextFeature(l))) {
			OGRGeometryH g = OGR_F_GetGeometryRef(f);
			bad += g ? !OGR_G_IsValid(g) : strcmp(layers[k], "links") != 0;
			OGR_F_Destroy(f);
		}
		CU_ASSERT_EQUAL(bad, 0);
		if (bad)
			fprintf(stderr, "\ne2e: %s: %s: %ld invalid geometries\n", path, layers[k],
			        bad);
	}
	CPLPopErrorHandler();
	GDALClose(ds);
}

static void test_writer_valid_geometries(void)
{
	const e2e_plan *b = plan_base();
	const e2e_plan *p = plan_get("points", E2E_DIR "/scenario_points.ini", "");
	CU_ASSERT_EQUAL_FATAL(b->rc, 0);
	CU_ASSERT_EQUAL_FATAL(p->rc, 0);
	valid_geometries(b->path);
	valid_geometries(p->path);
}

/* ---- 8. households from a CSV ------------------------------------------- */

static void test_csv_join(void)
{
	const e2e_plan *b = plan_base();
	const e2e_plan *j = plan_get("join", DEMO_JOIN, "");
	CU_ASSERT_EQUAL_FATAL(b->rc, 0);
	CU_ASSERT_EQUAL_FATAL(j->rc, 0);
	plan_check(j->path, DEMO_UNITS);
	CU_ASSERT_EQUAL(same_layers(b->path, j->path, "stations assignments"), 0);
}

/* ---- 9. check ----------------------------------------------------------- */

static void test_check_summary(void)
{
	size_t nu;
	e2e_unit *u = read_units(DEMO_UNITS, &nu);
	long rural = 0;
	for (size_t i = 0; i < nu; i++)
		rural += u[i].rural;
	char cmd[700], want[256];
	char *out = NULL, *err = NULL;
	snprintf(cmd, sizeof(cmd), "%s check %s", cu_bin(), DEMO_INI);
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 0);
	snprintf(want, sizeof(want), "  units        %zu (%zu urban, %ld rural) in %s:units", nu,
	         nu - (size_t)rural, rural, DEMO_UNITS);
	CU_ASSERT(has_line(out, want));
	snprintf(want, sizeof(want), "  households   %ld", units_households(u, nu, -1));
	CU_ASSERT(has_line(out, want));
	CU_ASSERT(has_line(out, "  crs          EPSG:4326 -> EPSG:4544 (auto)"));
	CU_ASSERT(has_line(out, "  result       ok: 0 error(s), 0 warning(s)"));
	free(out);
	free(err);
	units_free(u, nu);
}

static void test_check_fixtures(void)
{
	DIR *d = opendir(E2E_DIR);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	struct dirent *e;
	int n = 0;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".ini"))
			continue;
		char cmd[900];
		char *out = NULL, *err = NULL;
		snprintf(cmd, sizeof(cmd), "%s check %s/%s", cu_bin(), E2E_DIR, e->d_name);
		int rc = cu_run(cmd, &out, &err);
		CU_ASSERT_EQUAL(rc, 0);
		CU_ASSERT(strstr(out, "result       ok: 0 error(s)") != NULL);
		if (rc)
			fprintf(stderr, "\ne2e: check %s: %d\n%s%s", e->d_name, rc, out, err);
		n++;
		free(out);
		free(err);
	}
	closedir(d);
	CU_ASSERT_EQUAL(n, 4);
}

/* ---- the solver's promise: one station per site ------------------------- */

/* Stations of the plan within NEAR_M of each other (sites closer than 1 m
 * are merged, so two such stations share a site). The one allowed case: no
 * plan with one station per site exists because a split unit has fewer free
 * sites in reach than parts; then the two stations serve parts of that one
 * unit only and the run warns about the shared site. Returns the number of
 * such allowed pairs; any other pair fails the test. */
static int distinct_sites(const e2e_plan *pl)
{
	size_t ns;
	int allowed = 0;
	GDALDatasetH ds = ds_open(pl->path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	e2e_station *s = read_stations(ds, &ns);
	for (size_t i = 0; i < ns; i++)
		for (size_t k = i + 1; k < ns; k++) {
			if (hypot(s[i].x - s[k].x, s[i].y - s[k].y) > NEAR_M)
				continue;
			const char *q =
			    "select group_concat(unit_id) from (select distinct unit_id "
			    "from assignments where station_id = %ld order by unit_id)";
			char *ui = sql_text(ds, q, s[i].id), *uk = sql_text(ds, q, s[k].id);
			int same_split_unit = ui && uk && !strchr(ui, ',') && !strcmp(ui, uk);
			int warned = pl->err && strstr(pl->err, "stations share the site at") &&
			             ui && strstr(pl->err, ui);
			if (same_split_unit && warned) {
				allowed++;
			} else {
				CU_FAIL("two stations on one site");
				fprintf(stderr,
				        "\ne2e: %s: stations %ld and %ld (%s) on one site\n",
				        pl->path, s[i].id, s[k].id, s[i].kind);
			}
			free(ui);
			free(uk);
		}
	free(s);
	GDALClose(ds);
	return allowed;
}

static void test_solver_distinct_sites(void)
{
	const e2e_plan *all[] = {
	    plan_base(),
	    plan_yinchuan(),
	    plan_yinchuan_flex(),
	    plan_get("existing", E2E_DIR "/scenario_existing.ini", ""),
	    plan_get("exclude", E2E_DIR "/scenario_exclude.ini", ""),
	    plan_get("points", E2E_DIR "/scenario_points.ini", ""),
	};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		CU_ASSERT(all[i]->rc == 0 || all[i]->rc == 3);
		CU_ASSERT_EQUAL(distinct_sites(all[i]), 0);
	}
	/* 37 candidates for the 49 communities of the core: no plan with one
	 * station per site exists there (the solver's packed LP relaxation is
	 * infeasible), so the two parts of unit 640104007003 (5342 households)
	 * share a candidate, with the warning; nothing else may. */
	const e2e_plan *c = plan_get("candidates", E2E_DIR "/scenario_candidates.ini", "");
	CU_ASSERT_EQUAL(distinct_sites(c), 1);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(c->err, "parts of split unit(s) '640104007003' (5342 households)"));
}

static int e2e_clean(void)
{
	for (size_t i = 0; i < nplans; i++)
		free(plans[i].err);
	nplans = 0;
	return 0;
}

void e2e_suite_setup(void)
{
	CU_SUITE_ADD("e2e", NULL, e2e_clean, CU_TEST_ENTRY(test_existing),
	             CU_TEST_ENTRY(test_exclusion), CU_TEST_ENTRY(test_exclusion_flexible),
	             CU_TEST_ENTRY(test_demo_flexible), CU_TEST_ENTRY(test_candidates_only),
	             CU_TEST_ENTRY(test_yinchuan_rule),
	             CU_TEST_ENTRY(test_yinchuan_flexible), CU_TEST_ENTRY(test_plan_consistency),
	             CU_TEST_ENTRY(test_run_timings), CU_TEST_ENTRY(test_threads_record_only),
	             CU_TEST_ENTRY(test_threads_same_plan), CU_TEST_ENTRY(test_work_limit_bytes),
	             CU_TEST_ENTRY(test_absurd_band), CU_TEST_ENTRY(test_point_villages),
	             CU_TEST_ENTRY(test_writer_valid_geometries), CU_TEST_ENTRY(test_csv_join),
	             CU_TEST_ENTRY(test_check_summary), CU_TEST_ENTRY(test_check_fixtures),
	             CU_TEST_ENTRY(test_solver_distinct_sites));
}
