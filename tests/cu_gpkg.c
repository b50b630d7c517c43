/*
 * cu_gpkg.c: the GeoPackage writer: layers and fields of the shared output
 * schema, summary sums, the run record, QGIS styles in layer_styles, the
 * atomic write (refusals, overwrite, no temporary left behind, signals),
 * byte-identical output, output_crs, and the outside checks: GDAL's
 * validate_gpkg.py and a real headless QGIS (tests/qgis_check.py).
 *
 * The plan is built by hand (five units in two districts, four stations,
 * one unit split over two stations, one point unit left uncovered) so every
 * expected value below can be checked with a pencil.
 */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "cu_tester.h"
#include "gpkg.h"
#include "version.h"

/* io-internal, tested directly for the signal path */
void gpkg_file_guard(const char *tmp);

#define X0 500000.0
#define Y0 4000000.0

typedef struct fixture {
	scenario sc;
	inputs in;
	site_table sites;
	reach r;
	plan p;
	run_info ri;
	unit units[5];
	site site_rows[4];
	plan_station stations[4];
	plan_assign assign[5];
	plan_uncovered unc[1];
	plan_sub subs[2];
	input_file files[1];
	double ux[5], uy[5];
} fixture;

static unsigned char host_order(void)
{
	const unsigned one = 1;
	return *(const unsigned char *)&one; /* WKB byte order flag: 1 little endian */
}

/* ISO WKB of an axis-aligned square, in host byte order. */
static unsigned char *wkb_square(double x, double y, double side, size_t *size)
{
	unsigned char *b = malloc(1 + 4 + 4 + 4 + 5 * 16);
	unsigned t = 3, rings = 1, pts = 5;
	double xy[10] = {x, y, x + side, y, x + side, y + side, x, y + side, x, y};
	b[0] = host_order();
	memcpy(b + 1, &t, 4);
	memcpy(b + 5, &rings, 4);
	memcpy(b + 9, &pts, 4);
	memcpy(b + 13, xy, sizeof(xy));
	*size = 13 + sizeof(xy);
	return b;
}

static unsigned char *wkb_point(double x, double y, size_t *size)
{
	unsigned char *b = malloc(21);
	unsigned t = 1;
	b[0] = host_order();
	memcpy(b + 1, &t, 4);
	memcpy(b + 5, &x, 8);
	memcpy(b + 13, &y, 8);
	*size = 21;
	return b;
}

static void set_unit(fixture *fx, int i, const char *id, const char *district, const char *street,
                     unit_kind kind, long hh, double x, double y)
{
	unit *u = &fx->units[i];
	char name[32];
	snprintf(name, sizeof(name), "name %s", id);
	u->id = strdup(id);
	u->name = strdup(name);
	u->district = strdup(district);
	u->street = strdup(street);
	u->kind = kind;
	u->households = hh;
	u->fid = i + 1;
	if (i == 4) {
		u->wkb = wkb_point(X0 + x, Y0 + y, &u->wkb_size);
		fx->ux[i] = X0 + x;
		fx->uy[i] = Y0 + y;
	} else {
		u->wkb = wkb_square(X0 + x, Y0 + y, 400, &u->wkb_size);
		u->area_m2 = 160000;
		fx->ux[i] = X0 + x + 200;
		fx->uy[i] = Y0 + y + 200;
	}
}

/* The hand-made plan (see the file comment). */
static void fixture_init(fixture *fx)
{
	status st;
	memset(fx, 0, sizeof(*fx));
	status_init(&st);
	scenario_init(&fx->sc, &st);
	status_free(&st);
	free(fx->sc.file);
	fx->sc.file = strdup("city scenario.ini");

	set_unit(fx, 0, "c1", "A区", "S1", UNIT_URBAN, 2000, 0, 0);
	set_unit(fx, 1, "c2", "A区", "S1", UNIT_URBAN, 1500, 500, 0);
	set_unit(fx, 2, "v1", "A区", "S2", UNIT_RURAL, 300, 3000, 0);
	set_unit(fx, 3, "c3", "B区", "S3", UNIT_URBAN, 4000, 0, 5000);
	set_unit(fx, 4, "p1", "B区", "S3", UNIT_RURAL, 200, 20000, 20000);
	fx->in.nunits = 5;
	fx->in.units = fx->units;
	fx->in.crs = "EPSG:4549";
	fx->files[0] =
	    (input_file){.role = "units", .path = "units.gpkg", .size = 1234, .sha256 = "ab12"};
	fx->in.nfiles = 1;
	fx->in.files = fx->files;

	fx->site_rows[0] = (site){X0 + 100, Y0 + 5500, SITE_EXISTING, -1, 7};
	fx->site_rows[1] = (site){X0 + 200, Y0 + 200, SITE_REPRESENTATIVE, 0, -1};
	fx->site_rows[2] = (site){X0 + 3200, Y0 + 200, SITE_REPRESENTATIVE, 2, -1};
	fx->site_rows[3] = (site){X0 + 200, Y0 + 5200, SITE_GRID, 3, -1};
	fx->sites.n = 4;
	fx->sites.sites = fx->site_rows;

	fx->stations[0] = (plan_station){0, STATION_EXISTING, 1500, 1, 0, "", 1, 0};
	fx->stations[1] = (plan_station){1, STATION_URBAN, 3500, 2, 0, "", 0, 0};
	fx->stations[2] = (plan_station){2, STATION_VILLAGE, 300, 1, 1, "isolated village", 0, 0};
	fx->stations[3] =
	    (plan_station){3, STATION_URBAN, 2500, 1, 1, "rest of a split unit", 1, 0};
	fx->assign[0] = (plan_assign){0, 1, 2000, 0};
	fx->assign[1] = (plan_assign){1, 1, 1500, 500};
	fx->assign[2] = (plan_assign){2, 2, 300, 0};
	fx->assign[3] = (plan_assign){3, 0, 1500, 360};
	fx->assign[4] = (plan_assign){3, 3, 2500, 0};
	fx->unc[0] = (plan_uncovered){4, -1, 0, "no candidate site within 1000 m"};
	fx->subs[0] = (plan_sub){.id = 0,
	                         .key = "component 0",
	                         .nunits = 3,
	                         .nsites = 2,
	                         .ncols = 8,
	                         .nrows = 6,
	                         .nstations = 2,
	                         .objective = 2,
	                         .bound = 2,
	                         .gap = 0,
	                         .seconds = 0.25,
	                         .status = "optimal"};
	fx->subs[1] = (plan_sub){.id = 1,
	                         .key = "component 1",
	                         .nunits = 1,
	                         .nsites = 2,
	                         .ncols = 3,
	                         .nrows = 2,
	                         .nstations = 2,
	                         .objective = 1,
	                         .bound = 1,
	                         .gap = 0,
	                         .seconds = 0.5,
	                         .status = "optimal"};
	fx->p = (plan){.nstations = 4,
	               .nassign = 5,
	               .nuncovered = 1,
	               .nsubs = 2,
	               .stations = fx->stations,
	               .assign = fx->assign,
	               .uncovered = fx->unc,
	               .subs = fx->subs,
	               .status = "optimal",
	               .objective = 3,
	               .bound = 3,
	               .gap = 0,
	               .seconds = 0.75,
	               .proven = 1};
	fx->r.nunits = 5;
	fx->r.ux = fx->ux;
	fx->r.uy = fx->uy;
	fx->ri.command_line = "stationplan run x.ini -o /tmp/somewhere.gpkg";
	fx->ri.set_overrides = "rules.households_max=5000;output.output_crs=";
	fx->ri.nstages = 2;
	fx->ri.stage_name[0] = "read";
	fx->ri.stage_seconds[0] = 0.5;
	fx->ri.stage_name[1] = "solve";
	fx->ri.stage_seconds[1] = 1.25;
	fx->ri.total_seconds = 1.75;
}

static void fixture_free(fixture *fx)
{
	for (int i = 0; i < 5; i++) {
		free(fx->units[i].id);
		free(fx->units[i].name);
		free(fx->units[i].district);
		free(fx->units[i].street);
		free(fx->units[i].wkb);
	}
	scenario_free(&fx->sc);
}

static int files_equal(const char *a, const char *b);

static void out_path(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", cu_outdir(), name);
}

/* Write the fixture to `path` (removing an old file first). */
static status_code write_fixture(fixture *fx, const char *path, int overwrite, status *st)
{
	status_init(st);
	return gpkg_write_plan(path, overwrite, &fx->sc, &fx->in, &fx->sites, &fx->r, &fx->p,
	                       &fx->ri, st);
}

static status_code write_fresh(const char *name, char *path, size_t n)
{
	fixture fx;
	status st;
	out_path(path, n, name);
	unlink(path);
	fixture_init(&fx);
	status_code rc = write_fixture(&fx, path, 0, &st);
	if (rc != STATUS_OK)
		fprintf(stderr, "\nwrite_fresh: %s\n", st.msg);
	status_free(&st);
	fixture_free(&fx);
	return rc;
}

static GDALDatasetH open_gpkg(const char *path)
{
	GDALAllRegister();
	return GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
}

static long long layer_count(GDALDatasetH ds, const char *name)
{
	OGRLayerH l = GDALDatasetGetLayerByName(ds, name);
	return l ? OGR_L_GetFeatureCount(l, TRUE) : -1;
}

/* The first row of `sql` as text in column `col` ("" if none). */
static void sql_text(GDALDatasetH ds, const char *sql, int col, char *buf, size_t n)
{
	buf[0] = '\0';
	OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, "SQLITE");
	if (!l)
		return;
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	if (f) {
		snprintf(buf, n, "%s",
		         OGR_F_IsFieldSetAndNotNull(f, col) ? OGR_F_GetFieldAsString(f, col)
		                                            : "NULL");
		OGR_F_Destroy(f);
	}
	GDALDatasetReleaseResultSet(ds, l);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	*len = fread(b, 1, (size_t)n, f);
	fclose(f);
	return b;
}

/* Number of temporary files of `name` left in the output folder. */
static int temp_files_left(const char *name)
{
	char prefix[256];
	int n = 0;
	snprintf(prefix, sizeof(prefix), ".%s.tmp-", name);
	DIR *d = opendir(cu_outdir());
	for (struct dirent *e; d && (e = readdir(d));)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	if (d)
		closedir(d);
	return n;
}

static void test_layers_and_counts(void)
{
	char path[512];
	CU_ASSERT_EQUAL_FATAL(write_fresh("layers.gpkg", path, sizeof(path)), STATUS_OK);
	GDALDatasetH ds = open_gpkg(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_EQUAL(layer_count(ds, "stations"), 4);
	CU_ASSERT_EQUAL(layer_count(ds, "service_areas"), 4);
	CU_ASSERT_EQUAL(layer_count(ds, "assignments"), 5);
	CU_ASSERT_EQUAL(layer_count(ds, "links"), 5);
	CU_ASSERT_EQUAL(layer_count(ds, "uncovered"), 1);
	CU_ASSERT_EQUAL(layer_count(ds, "summary_district"), 2);
	CU_ASSERT_EQUAL(layer_count(ds, "summary_street"), 3);
	CU_ASSERT_EQUAL(layer_count(ds, "run"), 1);
	CU_ASSERT_EQUAL(layer_count(ds, "run_subproblems"), 2);
	CU_ASSERT_EQUAL(layer_count(ds, "layer_styles"), 6);
	CU_ASSERT_EQUAL(layer_count(ds, "districts"), 2);

	/* no attribute is called fid; ids kept as unit_id text */
	OGRLayerH l = GDALDatasetGetLayerByName(ds, "assignments");
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
	CU_ASSERT_EQUAL(OGR_FD_GetFieldIndex(d, "fid"), -1);
	CU_ASSERT_EQUAL(OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, OGR_FD_GetFieldIndex(d, "unit_id"))),
	                OFTString);
	CU_ASSERT_EQUAL(OGR_FD_GetGeomType(d), wkbMultiPolygon);

	char v[256];
	sql_text(ds,
	         "SELECT kind, district, street, households, units, underfilled, reason, "
	         "load_ratio, site_source, sub FROM stations WHERE station_id = 1",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "existing");
	/* a site outside every unit takes the district of the unit it serves */
	sql_text(ds, "SELECT district FROM stations WHERE station_id = 1", 0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "B区");
	sql_text(ds, "SELECT site_source FROM stations WHERE station_id = 4", 0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "grid");
	sql_text(ds, "SELECT load_ratio FROM stations WHERE station_id = 2", 0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "0.7");
	sql_text(ds, "SELECT reason FROM stations WHERE station_id = 3 AND underfilled = 1", 0, v,
	         sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "isolated village");
	sql_text(ds,
	         "SELECT group_concat(station_id || ':' || households, ',') FROM assignments "
	         "WHERE unit_id = 'c3' AND split = 1",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "1:1500,4:2500");
	/* links run from the demand point to the station */
	sql_text(ds,
	         "SELECT ST_X(ST_StartPoint(geom)) || ',' || ST_Y(ST_EndPoint(geom)) FROM links "
	         "WHERE unit_id = 'c2'",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "500700.0,4000200.0");
	/* the uncovered point unit: a circle of 50 m, flagged, nearest unknown */
	sql_text(ds,
	         "SELECT point_unit || ',' || (nearest_m IS NULL) || ',' || reason FROM uncovered",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "1,1,no candidate site within 1000 m");
	l = GDALDatasetGetLayerByName(ds, "uncovered");
	OGR_L_ResetReading(l);
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	double area = OGR_G_Area(OGR_F_GetGeometryRef(f));
	CU_ASSERT_TRUE(area > 7700 && area < M_PI * 50 * 50);
	OGR_F_Destroy(f);
	/* service area of the station serving c1 and c2: two touching-free squares */
	sql_text(ds, "SELECT ST_Area(geom) FROM service_areas WHERE station_id = 2", 0, v,
	         sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "320000"); /* OGR formats a lone real */
	/* descriptions and spatial indexes */
	sql_text(ds,
	         "SELECT count(*) FROM gpkg_contents WHERE description = '' OR description IS NULL",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "0");
	sql_text(ds,
	         "SELECT group_concat(table_name, ',') FROM (SELECT table_name FROM "
	         "gpkg_extensions WHERE extension_name = 'gpkg_rtree_index' ORDER BY table_name)",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "assignments,districts,links,service_areas,stations,uncovered");
	GDALClose(ds);
}

/* A summary_district row as "units communities villages households
 * stations urban village existing households_per_station underfilled
 * mean_walk max_walk uncovered_units uncovered_households". */
static void district_row(GDALDatasetH ds, const char *district, char *v, size_t n)
{
	char sql[1024];
	snprintf(
	    sql, sizeof(sql),
	    "SELECT units||' '||communities||' '||villages||' '||households||' '||"
	    "stations||' '||urban_stations||' '||village_stations||' '||existing_stations||' '||"
	    "households_per_station||' '||underfilled||' '||round(mean_walk_m, 3)||' '||"
	    "max_walk_m||' '||uncovered_units||' '||uncovered_households "
	    "FROM summary_district WHERE district = '%s'",
	    district);
	sql_text(ds, sql, 0, v, n);
}

static void test_summary_values(void)
{
	char path[512], v[512];
	CU_ASSERT_EQUAL_FATAL(write_fresh("summary.gpkg", path, sizeof(path)), STATUS_OK);
	GDALDatasetH ds = open_gpkg(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	/* A区: c1 2000 + c2 1500 + v1 300; stations 2 (urban 3500, village 300
	 * underfilled); walk (2000*0 + 1500*500 + 300*0) / 3800 = 197.368... */
	district_row(ds, "A区", v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "3 2 1 3800 2 1 1 0 1900.0 1 197.368 500.0 0 0");
	/* B区: c3 4000 (split 1500 existing + 2500 urban) + p1 200 uncovered */
	district_row(ds, "B区", v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "2 1 1 4200 2 1 0 1 2000.0 1 135.0 360.0 1 200");
	sql_text(ds,
	         "SELECT group_concat(district||'/'||street||':'||units||':'||stations||':'||"
	         "coalesce(mean_walk_m, 'NULL'), ',') FROM summary_street",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "A区/S1:2:1:214.285714285714,A区/S2:1:1:0.0,B区/S3:2:2:135.0");
	GDALClose(ds);
}

static void test_run_record(void)
{
	char path[512], v[4096];
	CU_ASSERT_EQUAL_FATAL(write_fresh("run.gpkg", path, sizeof(path)), STATUS_OK);
	GDALDatasetH ds = open_gpkg(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	sql_text(ds,
	         "SELECT status||' '||objective||' '||bound||' '||gap||' '||crs||' '||units||' '||"
	         "stations||' '||uncovered||' '||walk_distance_m||' '||households_min||' '||"
	         "households_max||' '||proven||' '||households||' '||uncovered_households||' '||"
	         "timings FROM run",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v,
	                       "optimal 3.0 3.0 0.0 EPSG:4549 5 4 1 1000.0 3000 5000 1 8000 200 0");
	sql_text(ds, "SELECT (seconds IS NULL) || (stages IS NULL) FROM run", 0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "11");
	sql_text(ds, "SELECT command FROM run", 0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "stationplan run 'city scenario.ini' --set "
	                          "rules.households_max=5000 --set output.output_crs=");
	sql_text(ds, "SELECT inputs FROM run", 0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "units units.gpkg 1234 ab12");
	sql_text(ds, "SELECT parameters FROM run", 0, v, sizeof(v));
	CU_ASSERT_PTR_NOT_NULL(strstr(v, "\nrules.households_max = 5000\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(v, "\nrules.walk_distance_m = 1000"));
	CU_ASSERT_EQUAL(strncmp(v, "input.units = ", 14), 0);
	sql_text(ds, "SELECT version FROM run", 0, v, sizeof(v));
	CU_ASSERT_EQUAL(strncmp(v, "stationplan " STATIONPLAN_VERSION " (GDAL ",
	                        strlen(STATIONPLAN_VERSION) + 19),
	                0);
	sql_text(ds,
	         "SELECT group_concat(sub||':'||key||':'||stations||':'||status||':'||"
	         "coalesce(seconds, 'NULL'), ',') FROM run_subproblems",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "0:component 0:2:optimal:NULL,1:component 1:2:optimal:NULL");
	GDALClose(ds);
}

static void test_run_timings(void)
{
	char path[512], v[512];
	fixture fx;
	status st;
	out_path(path, sizeof(path), "timings.gpkg");
	unlink(path);
	fixture_init(&fx);
	fx.ri.timings = 1;
	CU_ASSERT_EQUAL_FATAL(write_fixture(&fx, path, 0, &st), STATUS_OK);
	status_free(&st);
	fixture_free(&fx);
	GDALDatasetH ds = open_gpkg(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	sql_text(ds, "SELECT seconds || ' ' || stages || ' ' || timings FROM run", 0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "1.75 read=0.500;solve=1.250 1");
	sql_text(ds, "SELECT group_concat(seconds, ',') FROM run_subproblems", 0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "0.25,0.5");
	GDALClose(ds);
}

static void test_styles_table(void)
{
	char path[512], v[512];
	CU_ASSERT_EQUAL_FATAL(write_fresh("styles.gpkg", path, sizeof(path)), STATUS_OK);
	GDALDatasetH ds = open_gpkg(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	sql_text(ds, "SELECT data_type FROM gpkg_contents WHERE table_name = 'layer_styles'", 0, v,
	         sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "attributes");
	sql_text(ds, "SELECT data_type FROM gpkg_contents WHERE table_name = 'summary_district'", 0,
	         v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "attributes");
	sql_text(ds,
	         "SELECT group_concat(f_table_name || ':' || f_table_schema || ':' || "
	         "f_geometry_column || ':' || useAsDefault || ':' || update_time, ',') FROM "
	         "layer_styles",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "stations::geom:1:2000-01-01T00:00:00.000Z,"
	                          "service_areas::geom:1:2000-01-01T00:00:00.000Z,"
	                          "assignments::geom:1:2000-01-01T00:00:00.000Z,"
	                          "links::geom:1:2000-01-01T00:00:00.000Z,"
	                          "uncovered::geom:1:2000-01-01T00:00:00.000Z,"
	                          "districts::geom:1:2000-01-01T00:00:00.000Z");
	sql_text(ds,
	         "SELECT instr(styleQML, 'type=\"categorizedSymbol\" attr=\"kind\"') > 0 FROM "
	         "layer_styles WHERE f_table_name = 'stations'",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "1");
	/* the graduated ranges follow walk_distance_m */
	sql_text(ds,
	         "SELECT instr(styleQML, 'label=\"750 - 1000 m\"') > 0 FROM layer_styles WHERE "
	         "f_table_name = 'assignments'",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "1");
	GDALClose(ds);
}

static int files_equal(const char *a, const char *b)
{
	size_t na, nb;
	char *x = slurp(a, &na), *y = slurp(b, &nb);
	int eq = x && y && na == nb && memcmp(x, y, na) == 0;
	free(x);
	free(y);
	return eq;
}

static void test_byte_identical(void)
{
	char a[512], b[512];
	/* The same file name in two folders: the QGIS project in the file
	 * refers to the file by its name, so the name is part of the input. */
	out_path(a, sizeof(a), "same-a");
	mkdir(a, 0755);
	out_path(a, sizeof(a), "same-b");
	mkdir(a, 0755);
	CU_ASSERT_EQUAL_FATAL(write_fresh("same-a/same.gpkg", a, sizeof(a)), STATUS_OK);
	sleep(1); /* a different second: no wall-clock time may reach the file */
	CU_ASSERT_EQUAL_FATAL(write_fresh("same-b/same.gpkg", b, sizeof(b)), STATUS_OK);
	CU_ASSERT_TRUE(files_equal(a, b));
	/* and the comparison can fail: a different plan differs */
	fixture fx;
	status st;
	char c[512];
	out_path(c, sizeof(c), "same-c.gpkg");
	unlink(c);
	fixture_init(&fx);
	fx.assign[1].distance_m = 501;
	CU_ASSERT_EQUAL(write_fixture(&fx, c, 0, &st), STATUS_OK);
	status_free(&st);
	fixture_free(&fx);
	CU_ASSERT_FALSE(files_equal(a, c));
}

static void test_refuse_existing(void)
{
	char path[512], expect[700];
	struct stat before, after;
	size_t n0, n1;
	CU_ASSERT_EQUAL_FATAL(write_fresh("keep.gpkg", path, sizeof(path)), STATUS_OK);
	char *first = slurp(path, &n0);
	stat(path, &before);

	fixture fx;
	status st;
	fixture_init(&fx);
	fx.p.status[0] = 'X'; /* a different plan, which must not land */
	CU_ASSERT_EQUAL(write_fixture(&fx, path, 0, &st), STATUS_USAGE);
	snprintf(expect, sizeof(expect), "'%s' exists (use --overwrite to replace it)", path);
	CU_ASSERT_STRING_EQUAL(st.msg, expect);
	status_free(&st);
	char *second = slurp(path, &n1);
	stat(path, &after);
	CU_ASSERT_TRUE(n0 == n1 && memcmp(first, second, n0) == 0);
	CU_ASSERT_EQUAL(before.st_mtime, after.st_mtime);
	CU_ASSERT_EQUAL(before.st_ino, after.st_ino);
	free(second);

	/* with overwrite, replaced, and nothing left beside it */
	CU_ASSERT_EQUAL(write_fixture(&fx, path, 1, &st), STATUS_OK);
	status_free(&st);
	second = slurp(path, &n1);
	CU_ASSERT_FALSE(n0 == n1 && memcmp(first, second, n0) == 0);
	CU_ASSERT_EQUAL(temp_files_left("keep.gpkg"), 0);
	free(first);
	free(second);
	fixture_free(&fx);
}

static void test_refuse_open_in_qgis(void)
{
	char path[512], wal[600], expect[1400];
	size_t n0, n1;
	CU_ASSERT_EQUAL_FATAL(write_fresh("open.gpkg", path, sizeof(path)), STATUS_OK);
	char *first = slurp(path, &n0);
	snprintf(wal, sizeof(wal), "%s-wal", path);
	FILE *f = fopen(wal, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fclose(f);

	fixture fx;
	status st;
	fixture_init(&fx);
	CU_ASSERT_EQUAL(write_fixture(&fx, path, 1, &st), STATUS_INPUT);
	snprintf(expect, sizeof(expect),
	         "'%s' is open in another program (found '%s'); close it in QGIS first", path, wal);
	CU_ASSERT_STRING_EQUAL(st.msg, expect);
	status_free(&st);
	char *second = slurp(path, &n1);
	CU_ASSERT_TRUE(n0 == n1 && memcmp(first, second, n0) == 0);
	CU_ASSERT_EQUAL(temp_files_left("open.gpkg"), 0);
	unlink(wal);
	free(first);
	free(second);
	fixture_free(&fx);
}

static void test_failure_leaves_nothing(void)
{
	char path[512];
	fixture fx;
	status st;
	out_path(path, sizeof(path), "badcrs.gpkg");
	unlink(path);
	fixture_init(&fx);
	free(fx.sc.output_crs);
	fx.sc.output_crs = strdup("EPSG:999999");
	CU_ASSERT_EQUAL(write_fixture(&fx, path, 0, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(strncmp(st.msg, "output: output_crs = 'EPSG:999999' is not a CRS", 47), 0);
	status_free(&st);
	CU_ASSERT_EQUAL(access(path, F_OK), -1);
	CU_ASSERT_EQUAL(temp_files_left("badcrs.gpkg"), 0);

	/* a folder that does not exist: a write failure naming the target and
	 * the reason, not the hidden temporary file (issue 14 row 14) */
	free(fx.sc.output_crs);
	fx.sc.output_crs = strdup("");
	char want[1200];
	snprintf(path, sizeof(path), "%s/no-such-dir/x.gpkg", cu_outdir());
	snprintf(want, sizeof(want),
	         "'%s': cannot write the plan: the folder '%s/no-such-dir' does not exist", path,
	         cu_outdir());
	CU_ASSERT_EQUAL(write_fixture(&fx, path, 0, &st), STATUS_WRITE);
	CU_ASSERT_STRING_EQUAL(st.msg, want);
	status_free(&st);
	fixture_free(&fx);
}

static void test_output_crs(void)
{
	char path[512], v[256];
	fixture fx;
	status st;
	out_path(path, sizeof(path), "wgs84.gpkg");
	unlink(path);
	fixture_init(&fx);
	free(fx.sc.output_crs);
	fx.sc.output_crs = strdup("EPSG:4326");
	CU_ASSERT_EQUAL_FATAL(write_fixture(&fx, path, 0, &st), STATUS_OK);
	status_free(&st);
	fixture_free(&fx);
	GDALDatasetH ds = open_gpkg(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(GDALDatasetGetLayerByName(ds, "stations"));
	CU_ASSERT_STRING_EQUAL(OSRGetAuthorityCode(srs, NULL), "4326");
	/* EPSG:4549 is CGCS2000 / 3-degree Gauss-Kruger CM 120E: x=500000 is lon 120 */
	sql_text(ds,
	         "SELECT round(ST_X(geom), 3) || ' ' || round(ST_Y(geom), 1) FROM stations "
	         "WHERE station_id = 2",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "120.002 36.1");
	sql_text(ds, "SELECT crs || ' ' || working_crs FROM run", 0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "EPSG:4326 EPSG:4549");
	/* distances stay metric */
	sql_text(ds, "SELECT distance_m FROM links WHERE unit_id = 'c2'", 0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "500");
	GDALClose(ds);
}

static void test_signal_removes_temp(void)
{
	char tmp[512];
	out_path(tmp, sizeof(tmp), ".sig.gpkg.tmp-test.gpkg");
	FILE *f = fopen(tmp, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fclose(f);
	pid_t pid = fork();
	if (pid == 0) {
		gpkg_file_guard(tmp);
		raise(SIGTERM);
		_exit(0); /* not reached: the handler re-raises with the default action */
	}
	int ws = 0;
	waitpid(pid, &ws, 0);
	CU_ASSERT_TRUE(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGTERM);
	CU_ASSERT_EQUAL(access(tmp, F_OK), -1);
}

static void test_validate_gpkg(void)
{
	char path[512], cmd[1200];
	char *out = NULL, *err = NULL;
	CU_ASSERT_EQUAL_FATAL(write_fresh("validate.gpkg", path, sizeof(path)), STATUS_OK);
	snprintf(cmd, sizeof(cmd),
	         "/usr/bin/python3 /usr/lib/python3/dist-packages/osgeo_utils/samples/"
	         "validate_gpkg.py '%s'",
	         path);
	int rc = cu_run(cmd, &out, &err);
	if (rc != 0)
		fprintf(stderr, "\nvalidate_gpkg.py: %s%s\n", out, err);
	CU_ASSERT_EQUAL(rc, 0);
	free(out);
	free(err);
}

static void test_qgis_opens_styled(void)
{
	char path[512], png[512], cmd[2000];
	char *out = NULL, *err = NULL;
	CU_ASSERT_EQUAL_FATAL(write_fresh("qgis.gpkg", path, sizeof(path)), STATUS_OK);
	out_path(png, sizeof(png), "qgis-stations.png");
	unlink(png);
	snprintf(cmd, sizeof(cmd),
	         "/usr/bin/python3 tests/qgis_check.py '%s' '%s' stations=4 service_areas=4 "
	         "assignments=5 links=5 uncovered=1 summary_district=2 summary_street=3 run=1",
	         path, png);
	int rc = cu_run(cmd, &out, &err);
	if (rc != 0)
		fprintf(stderr, "\nqgis_check.py: %s%s\n", out, err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "stations: valid, 4 features, categorizedSymbol "
	                                   "[urban, village, existing, kept]"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "rendered stations:"));
	struct stat sb;
	CU_ASSERT_TRUE(stat(png, &sb) == 0 && sb.st_size > 1000);
	free(out);
	free(err);
}

/* A tiny input GeoPackage and scenario for the binary: two adjacent urban
 * communities (2000 + 1500 households: one station) and a village 3 km
 * away (one station). Returns 0 or -1. */
static int make_e2e_inputs(const char *dir)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/units.gpkg", dir);
	unlink(path);
	GDALAllRegister();
	GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GPKG"), path, 0, 0, 0, GDT_Unknown, NULL);
	if (!ds)
		return -1;
	OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
	OSRImportFromEPSG(srs, 4549);
	OGRLayerH l = GDALDatasetCreateLayer(ds, "units", srs, wkbPolygon, NULL);
	OSRDestroySpatialReference(srs);
	const char *names[] = {"code", "name", "kind", "district", "street"};
	for (int i = 0; i < 5; i++) {
		OGRFieldDefnH fd = OGR_Fld_Create(names[i], OFTString);
		OGR_L_CreateField(l, fd, TRUE);
		OGR_Fld_Destroy(fd);
	}
	OGRFieldDefnH fd = OGR_Fld_Create("households", OFTInteger);
	OGR_L_CreateField(l, fd, TRUE);
	OGR_Fld_Destroy(fd);
	const struct {
		const char *code, *name, *kind;
		int hh;
		double x;
	} rows[] = {{"640104001", "东园社区", "community", 2000, 0},
	            {"640104002", "西园社区", "community", 1500, 400},
	            {"640104201", "红星村", "village", 300, 3000}};
	for (int i = 0; i < 3; i++) {
		char wkt[256];
		snprintf(wkt, sizeof(wkt), "POLYGON ((%f %f, %f %f, %f %f, %f %f, %f %f))",
		         X0 + rows[i].x, Y0, X0 + rows[i].x + 400, Y0, X0 + rows[i].x + 400,
		         Y0 + 400, X0 + rows[i].x, Y0 + 400, X0 + rows[i].x, Y0);
		char *w = wkt;
		OGRGeometryH g = NULL;
		OGR_G_CreateFromWkt(&w, NULL, &g);
		OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
		OGR_F_SetFieldString(f, 0, rows[i].code);
		OGR_F_SetFieldString(f, 1, rows[i].name);
		OGR_F_SetFieldString(f, 2, rows[i].kind);
		OGR_F_SetFieldString(f, 3, "兴庆区");
		OGR_F_SetFieldString(f, 4, "凤凰北街街道");
		OGR_F_SetFieldInteger(f, 5, rows[i].hh);
		OGR_F_SetGeometryDirectly(f, g);
		OGRErr e = OGR_L_CreateFeature(l, f);
		OGR_F_Destroy(f);
		if (e != OGRERR_NONE) {
			GDALClose(ds);
			return -1;
		}
	}
	GDALClose(ds);
	snprintf(path, sizeof(path), "%s/scenario.ini", dir);
	FILE *sf = fopen(path, "w");
	if (!sf)
		return -1;
	fputs("[input]\nunits = units.gpkg\nid_field = code\n[solver]\ntime_limit_s = 20\n", sf);
	fclose(sf);
	return 0;
}

/* `stationplan run` twice gives the same bytes; a third run onto the first
 * file without --overwrite fails and leaves it intact; with --overwrite it
 * is replaced (by the same bytes). */
static void test_binary_reproducible_and_safe(void)
{
	char dir[512], cmd[2048], a[600], b[600], expect[800];
	char *out = NULL, *err = NULL;
	struct stat before, after;
	snprintf(dir, sizeof(dir), "%s/e2e", cu_outdir());
	mkdir(dir, 0755);
	CU_ASSERT_EQUAL_FATAL(make_e2e_inputs(dir), 0);
	/* the same name in two folders (the QGIS project names its file) */
	snprintf(a, sizeof(a), "%s/a", dir);
	mkdir(a, 0755);
	snprintf(a, sizeof(a), "%s/b", dir);
	mkdir(a, 0755);
	snprintf(a, sizeof(a), "%s/a/plan.gpkg", dir);
	snprintf(b, sizeof(b), "%s/b/plan.gpkg", dir);
	unlink(a);
	unlink(b);

	snprintf(cmd, sizeof(cmd), "%s run '%s/scenario.ini' -q -o '%s'", cu_bin(), dir, a);
	int rc = cu_run(cmd, &out, &err);
	if (rc != 0)
		fprintf(stderr, "\nrun: %s%s\n", out, err);
	CU_ASSERT_EQUAL(rc, 0);
	free(out);
	free(err);
	snprintf(cmd, sizeof(cmd), "%s run '%s/scenario.ini' -q -o '%s'", cu_bin(), dir, b);
	CU_ASSERT_EQUAL(cu_run(cmd, NULL, NULL), 0);
	CU_ASSERT_TRUE(files_equal(a, b));

	GDALDatasetH ds = open_gpkg(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_EQUAL(layer_count(ds, "stations"), 2);
	CU_ASSERT_EQUAL(layer_count(ds, "assignments"), 3);
	char v[256];
	sql_text(ds,
	         "SELECT district || ' ' || stations || ' ' || units || ' ' || households FROM "
	         "summary_district",
	         0, v, sizeof(v));
	CU_ASSERT_STRING_EQUAL(v, "兴庆区 2 3 3800");
	GDALClose(ds);

	stat(a, &before);
	snprintf(cmd, sizeof(cmd), "%s run '%s/scenario.ini' -q -o '%s'", cu_bin(), dir, a);
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), STATUS_USAGE);
	snprintf(expect, sizeof(expect), "'%s' exists (use --overwrite to replace it)", a);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, expect));
	free(out);
	free(err);
	stat(a, &after);
	CU_ASSERT_EQUAL(before.st_ino, after.st_ino);
	CU_ASSERT_EQUAL(before.st_mtime, after.st_mtime);
	CU_ASSERT_TRUE(files_equal(a, b));

	snprintf(cmd, sizeof(cmd), "%s run '%s/scenario.ini' -q --overwrite -o '%s'", cu_bin(), dir,
	         a);
	CU_ASSERT_EQUAL(cu_run(cmd, NULL, NULL), 0);
	stat(a, &after);
	CU_ASSERT_NOT_EQUAL(before.st_ino, after.st_ino); /* a new file, renamed into place */
	CU_ASSERT_TRUE(files_equal(a, b));
	CU_ASSERT_EQUAL(temp_files_left("plan.gpkg"), 0);
}

void gpkg_suite_setup(void)
{
	/* the signal test forks: first, while the heap the child leaves is small */
	CU_SUITE_ADD("gpkg", NULL, NULL, CU_TEST_ENTRY(test_signal_removes_temp),
	             CU_TEST_ENTRY(test_layers_and_counts), CU_TEST_ENTRY(test_summary_values),
	             CU_TEST_ENTRY(test_run_record), CU_TEST_ENTRY(test_run_timings),
	             CU_TEST_ENTRY(test_styles_table), CU_TEST_ENTRY(test_byte_identical),
	             CU_TEST_ENTRY(test_refuse_existing), CU_TEST_ENTRY(test_refuse_open_in_qgis),
	             CU_TEST_ENTRY(test_failure_leaves_nothing), CU_TEST_ENTRY(test_output_crs),
	             CU_TEST_ENTRY(test_validate_gpkg), CU_TEST_ENTRY(test_qgis_opens_styled),
	             CU_TEST_ENTRY(test_binary_reproducible_and_safe));
}
