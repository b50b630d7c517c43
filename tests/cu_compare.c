/*
 * cu_compare.c: `stationplan compare` and the diff logic under it.
 *
 * The plans are built here with the GDAL C API following the shared output
 * schema (run, stations, assignments, uncovered), with figures worked out by
 * hand in the comments, so every number the table prints is asserted. Then
 * the same through the binary: CSV and Markdown shapes, the diff GeoPackage,
 * the error messages and exit statuses, and, when the demo fixture is
 * present, two real runs compared against the counts in their files.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "compare.h"
#include "cu_tester.h"
#include "table.h"

/* ---- building plan files ------------------------------------------------- */

typedef struct tstation {
	long id;
	const char *kind, *district, *street;
	double x, y;
	long households;
	int underfilled;
} tstation;

typedef struct trow {
	const char *district, *street;
	long households;
	double distance_m;
} trow;

static void add_field(OGRLayerH l, const char *name, OGRFieldType t)
{
	OGRFieldDefnH fd = OGR_Fld_Create(name, t);
	OGR_L_CreateField(l, fd, TRUE);
	OGR_Fld_Destroy(fd);
}

/* Write a plan at `path` in EPSG:`epsg`. `params` NULL: no run layer at all;
 * `drop_param_field` 1: the run layer lacks its `parameters` field. */
static int make_plan(const char *path, int epsg, const char *params, int drop_param_field,
                     const tstation *st, size_t nst, const trow *as, size_t nas, const trow *un,
                     size_t nun)
{
	GDALAllRegister();
	unlink(path);
	GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GPKG"), path, 0, 0, 0, GDT_Unknown, NULL);
	if (!ds)
		return -1;
	int bad = 0;
	OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
	OSRImportFromEPSG(srs, epsg);
	OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);

	OGRLayerH l = GDALDatasetCreateLayer(ds, "stations", srs, wkbPoint, NULL);
	add_field(l, "station_id", OFTInteger);
	add_field(l, "kind", OFTString);
	add_field(l, "district", OFTString);
	add_field(l, "street", OFTString);
	add_field(l, "households", OFTInteger);
	add_field(l, "underfilled", OFTInteger);
	for (size_t i = 0; i < nst; i++) {
		OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
		OGR_F_SetFieldInteger(f, 0, (int)st[i].id);
		OGR_F_SetFieldString(f, 1, st[i].kind);
		OGR_F_SetFieldString(f, 2, st[i].district);
		OGR_F_SetFieldString(f, 3, st[i].street);
		OGR_F_SetFieldInteger(f, 4, (int)st[i].households);
		OGR_F_SetFieldInteger(f, 5, st[i].underfilled);
		OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
		OGR_G_SetPoint_2D(g, 0, st[i].x, st[i].y);
		OGR_F_SetGeometryDirectly(f, g);
		bad |= OGR_L_CreateFeature(l, f) != OGRERR_NONE;
		OGR_F_Destroy(f);
	}
	const char *names[] = {"assignments", "uncovered"};
	const trow *rows[] = {as, un};
	size_t nrows[] = {nas, nun};
	for (int k = 0; k < 2; k++) {
		l = GDALDatasetCreateLayer(ds, names[k], srs, wkbMultiPolygon, NULL);
		add_field(l, "unit_id", OFTString);
		add_field(l, "district", OFTString);
		add_field(l, "street", OFTString);
		add_field(l, "households", OFTInteger);
		add_field(l, k == 0 ? "distance_m" : "nearest_m", OFTReal);
		for (size_t i = 0; i < nrows[k]; i++) {
			OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
			OGR_F_SetFieldString(f, 0, "u");
			OGR_F_SetFieldString(f, 1, rows[k][i].district);
			OGR_F_SetFieldString(f, 2, rows[k][i].street);
			OGR_F_SetFieldInteger(f, 3, (int)rows[k][i].households);
			OGR_F_SetFieldDouble(f, 4, rows[k][i].distance_m);
			bad |= OGR_L_CreateFeature(l, f) != OGRERR_NONE;
			OGR_F_Destroy(f);
		}
	}
	if (params) {
		char **opts = CSLSetNameValue(NULL, "ASPATIAL_VARIANT", "GPKG_ATTRIBUTES");
		l = GDALDatasetCreateLayer(ds, "run", NULL, wkbNone, opts);
		CSLDestroy(opts);
		add_field(l, "status", OFTString);
		add_field(l, "crs", OFTString);
		if (!drop_param_field)
			add_field(l, "parameters", OFTString);
		OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
		char crs[32];
		snprintf(crs, sizeof(crs), "EPSG:%d", epsg);
		OGR_F_SetFieldString(f, 0, "optimal");
		OGR_F_SetFieldString(f, 1, crs);
		if (!drop_param_field)
			OGR_F_SetFieldString(f, 2, params);
		bad |= OGR_L_CreateFeature(l, f) != OGRERR_NONE;
		OGR_F_Destroy(f);
	}
	OSRDestroySpatialReference(srs);
	GDALClose(ds);
	return bad ? -1 : 0;
}

/*
 * Plan A (households_max 5000) and plan B (4000), EPSG:4549, walk 1000 m.
 *
 *   A1 (1000,1000) ~ B10 (1020,1000)    20 m   kept
 *   A3 (5000,5000) = B12                 0 m   kept
 *   A4 (10000,10000) -> B14 (10500,10000) 500 m moved (B13 is 2000 m away)
 *   A2 (3000,1000) -> B11 (3600,1000)    600 m  moved
 *   B13 (10000,12000)                          added
 */
static const tstation sta[] = {
    {1, "urban", "西夏区", "街道甲", 1000, 1000, 4000, 0},
    {2, "urban", "西夏区", "街道甲", 3000, 1000, 3500, 0},
    {3, "village", "西夏区", "街道乙", 5000, 5000, 200, 1},
    {4, "urban", "金凤区", "街道丙", 10000, 10000, 4800, 0},
};
static const trow asa[] = {
    {"西夏区", "街道甲", 4000, 300},
    {"西夏区", "街道甲", 3500, 500},
    {"西夏区", "街道乙", 200, 100},
    {"金凤区", "街道丙", 4800, 800},
};
static const trow una[] = {{"金凤区", "街道丁", 300, 1500}};
static const tstation stb[] = {
    {10, "urban", "西夏区", "街道甲", 1020, 1000, 3900, 0},
    {11, "urban", "西夏区", "街道甲", 3600, 1000, 3600, 0},
    {12, "village", "西夏区", "街道乙", 5000, 5000, 200, 1},
    {13, "urban", "金凤区", "街道丁", 10000, 12000, 2300, 1},
    {14, "urban", "金凤区", "街道丙", 10500, 10000, 2800, 0},
};
static const trow asb[] = {
    {"西夏区", "街道甲", 3900, 250}, {"西夏区", "街道甲", 3600, 400},
    {"西夏区", "街道乙", 200, 100},  {"金凤区", "街道丙", 2800, 600},
    {"金凤区", "街道丙", 2000, 900}, {"金凤区", "街道丁", 300, 700},
};
static const char params_a[] = "input.units = units.gpkg\nrules.households_min = 3000\n"
                               "rules.households_max = 5000\nrules.walk_distance_m = 1000\n"
                               "output.path = a.gpkg\n";
static const char params_b[] = "input.units = units.gpkg\nrules.households_min = 3000\n"
                               "rules.households_max = 4000\nrules.walk_distance_m = 1000\n"
                               "output.path = b.gpkg\n";

#define N(a) (sizeof(a) / sizeof((a)[0]))

static char path_a[600], path_b[600], path_c[600], path_norun[600], path_noparam[600];

static int suite_init(void)
{
	const char *d = cu_outdir();
	snprintf(path_a, sizeof(path_a), "%s/cmp_a.gpkg", d);
	snprintf(path_b, sizeof(path_b), "%s/cmp_b.gpkg", d);
	snprintf(path_c, sizeof(path_c), "%s/cmp_c_4548.gpkg", d);
	snprintf(path_norun, sizeof(path_norun), "%s/cmp_norun.gpkg", d);
	snprintf(path_noparam, sizeof(path_noparam), "%s/cmp_noparam.gpkg", d);
	return make_plan(path_a, 4549, params_a, 0, sta, N(sta), asa, N(asa), una, N(una)) ||
	       make_plan(path_b, 4549, params_b, 0, stb, N(stb), asb, N(asb), NULL, 0) ||
	       make_plan(path_c, 4548, params_b, 0, stb, N(stb), asb, N(asb), NULL, 0) ||
	       make_plan(path_norun, 4549, NULL, 0, stb, N(stb), asb, N(asb), NULL, 0) ||
	       make_plan(path_noparam, 4549, params_b, 1, stb, N(stb), asb, N(asb), NULL, 0);
}

/* ---- the diff on tables read back --------------------------------------- */

static void test_read_plan(void)
{
	status st;
	status_init(&st);
	planfile p;
	CU_ASSERT_EQUAL_FATAL(planfile_read(path_a, &p, &st), STATUS_OK);
	CU_ASSERT_STRING_EQUAL(p.crs, "EPSG:4549");
	CU_ASSERT_FALSE(p.geographic);
	CU_ASSERT_DOUBLE_EQUAL(p.walk_distance_m, 1000, 1e-9);
	CU_ASSERT_EQUAL(p.nstations, 4);
	CU_ASSERT_EQUAL(p.nassign, 4);
	CU_ASSERT_EQUAL(p.nuncovered, 1);
	CU_ASSERT_EQUAL(p.stations[3].id, 4);
	CU_ASSERT_DOUBLE_EQUAL(p.stations[3].x, 10000, 1e-9);
	CU_ASSERT_STRING_EQUAL(p.stations[2].kind, "village");
	CU_ASSERT_STRING_EQUAL(p.stations[2].street, "街道乙");
	CU_ASSERT_EQUAL(p.stations[2].underfilled, 1);
	CU_ASSERT_EQUAL(p.uncovered[0].households, 300);
	planfile_free(&p);
	status_free(&st);
}

static void test_diff_tables(void)
{
	status st;
	status_init(&st);
	planfile a, b;
	compare_result r;
	compare_options opt;
	compare_options_init(&opt);
	CU_ASSERT_EQUAL_FATAL(planfile_read(path_a, &a, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(planfile_read(path_b, &b, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(compare_plans(&a, &b, &opt, &r, &st), STATUS_OK);

	CU_ASSERT_EQUAL_FATAL(r.nparams, 2);
	CU_ASSERT_STRING_EQUAL(r.params[0].key, "rules.households_max");
	CU_ASSERT_STRING_EQUAL(r.params[0].a, "5000");
	CU_ASSERT_STRING_EQUAL(r.params[0].b, "4000");
	CU_ASSERT_STRING_EQUAL(r.params[1].key, "output.path");

	CU_ASSERT_EQUAL_FATAL(r.ngroups, 2);
	CU_ASSERT_STRING_EQUAL(r.groups[0].district, "西夏区");
	CU_ASSERT_EQUAL(r.groups[0].a.stations, 3);
	CU_ASSERT_EQUAL(r.groups[1].b.stations, 2);
	CU_ASSERT_EQUAL(r.groups[1].a.uncovered_households, 300);
	/* 金凤区 in B: (2800*600 + 2000*900 + 300*700) / 5100 = 723.53 */
	CU_ASSERT_DOUBLE_EQUAL(compare_side_mean_walk(&r.groups[1].b), 3690000.0 / 5100, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r.groups[1].b.max_walk_m, 900, 1e-9);
	CU_ASSERT_EQUAL(r.total.a.stations, 4);
	CU_ASSERT_EQUAL(r.total.b.stations, 5);
	CU_ASSERT_DOUBLE_EQUAL(compare_side_households_per_station(&r.total.b), 2560, 1e-9);

	CU_ASSERT_EQUAL(r.nkept, 2);
	CU_ASSERT_EQUAL(r.nmoved, 2);
	CU_ASSERT_EQUAL(r.nremoved, 0);
	CU_ASSERT_EQUAL(r.nadded, 1);
	CU_ASSERT_EQUAL_FATAL(r.nchanges, 5);
	/* kept then moved, each by A's station id; added last */
	CU_ASSERT_EQUAL(r.changes[0].a_id, 1);
	CU_ASSERT_EQUAL(r.changes[0].b_id, 10);
	CU_ASSERT_DOUBLE_EQUAL(r.changes[0].distance_m, 20, 1e-9);
	CU_ASSERT_EQUAL(r.changes[1].a_id, 3);
	CU_ASSERT_EQUAL(r.changes[2].kind, CHANGE_MOVED);
	CU_ASSERT_EQUAL(r.changes[2].a_id, 2);
	CU_ASSERT_EQUAL(r.changes[2].b_id, 11);
	CU_ASSERT_EQUAL(r.changes[3].a_id, 4);
	CU_ASSERT_EQUAL(r.changes[3].b_id, 14);
	CU_ASSERT_EQUAL(r.changes[4].kind, CHANGE_ADDED);
	CU_ASSERT_EQUAL(r.changes[4].b_id, 13);

	compare_result_free(&r);
	planfile_free(&a);
	planfile_free(&b);
	status_free(&st);
}

/* Matching on tables built in memory: greedy by distance, ties by id. */
static planfile_station mk(long id, double x, double y)
{
	planfile_station s = {id, x, y, "urban", "", "", 0, 0, 0, -1, 0};
	return s;
}

static void test_match_ties_and_greed(void)
{
	status st;
	status_init(&st);
	compare_options opt;
	compare_options_init(&opt);
	opt.tolerance_m = 10;
	/* A 5 (0,0) and A 2 (100,0) both 50 m from B 7 (50,0): the lower id
	 * wins the tie. A 9 (1000,3000) is 5 m from B 8 (kept) and 25 m from
	 * B 6, which is left over (added), as is A 5 (removed). */
	planfile_station sa[] = {mk(5, 0, 0), mk(2, 100, 0), mk(9, 1000, 3000)};
	planfile_station sb[] = {mk(7, 50, 0), mk(8, 1005, 3000), mk(6, 975, 3000)};
	planfile a = {0}, b = {0};
	a.path = "a";
	b.path = "b";
	a.crs = b.crs = "EPSG:4549";
	a.walk_distance_m = 1000;
	a.stations = sa;
	a.nstations = 3;
	b.stations = sb;
	b.nstations = 3;
	compare_result r;
	CU_ASSERT_EQUAL_FATAL(compare_plans(&a, &b, &opt, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.nkept, 1);
	CU_ASSERT_EQUAL(r.nmoved, 1);
	CU_ASSERT_EQUAL(r.nremoved, 1);
	CU_ASSERT_EQUAL(r.nadded, 1);
	CU_ASSERT_EQUAL_FATAL(r.nchanges, 4);
	CU_ASSERT_EQUAL(r.changes[0].a_id, 9); /* kept: nearest of B 8 (5 m) */
	CU_ASSERT_EQUAL(r.changes[0].b_id, 8);
	CU_ASSERT_EQUAL(r.changes[1].a_id, 2); /* moved: the tie goes to id 2 < 5 */
	CU_ASSERT_EQUAL(r.changes[1].b_id, 7);
	CU_ASSERT_EQUAL(r.changes[2].kind, CHANGE_REMOVED);
	CU_ASSERT_EQUAL(r.changes[2].a_id, 5);
	CU_ASSERT_EQUAL(r.changes[3].kind, CHANGE_ADDED);
	CU_ASSERT_EQUAL(r.changes[3].b_id, 6);
	compare_result_free(&r);

	/* Without a walking distance nothing can move. */
	a.walk_distance_m = 0;
	CU_ASSERT_EQUAL_FATAL(compare_plans(&a, &b, &opt, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.nmoved, 0);
	CU_ASSERT_EQUAL(r.nremoved, 2);
	compare_result_free(&r);
	status_free(&st);
}

/* A big grid against a shifted copy: every station kept, one to one. */
static void test_match_grid_scale(void)
{
	status st;
	status_init(&st);
	size_t side = 150, n = side * side;
	planfile_station *sa = calloc(n, sizeof(*sa)), *sb = calloc(n, sizeof(*sb));
	for (size_t i = 0; i < n; i++) {
		sa[i] = mk((long)i, (double)(i % side) * 300.0, (double)(i / side) * 300.0);
		sb[i] = mk((long)(n - i), sa[i].x + 30.0, sa[i].y - 20.0);
	}
	planfile a = {0}, b = {0};
	a.path = b.path = "x";
	a.crs = b.crs = "";
	a.walk_distance_m = 1000;
	a.stations = sa;
	b.stations = sb;
	a.nstations = b.nstations = n;
	compare_options opt;
	compare_options_init(&opt);
	compare_result r;
	CU_ASSERT_EQUAL_FATAL(compare_plans(&a, &b, &opt, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.nkept, n);
	CU_ASSERT_EQUAL(r.nmoved + r.nadded + r.nremoved, 0);
	int ok = 1;
	for (size_t i = 0; i < r.nchanges; i++)
		ok &= r.changes[i].a_id + r.changes[i].b_id == (long)n;
	CU_ASSERT_TRUE(ok);
	compare_result_free(&r);
	free(sa);
	free(sb);
	status_free(&st);
}

static void test_params_absent(void)
{
	status st;
	status_init(&st);
	planfile a = {0}, b = {0};
	a.path = "a";
	b.path = "b";
	a.crs = b.crs = "EPSG:4549";
	a.parameters = "rules.rural = one_per_village\nsolver.seed = 1\n";
	b.parameters = "solver.seed = 1\nsolver.partition = street\n";
	compare_options opt;
	compare_options_init(&opt);
	compare_result r;
	CU_ASSERT_EQUAL_FATAL(compare_plans(&a, &b, &opt, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(r.nparams, 2);
	CU_ASSERT_STRING_EQUAL(r.params[0].key, "rules.rural");
	CU_ASSERT_PTR_NULL(r.params[0].b);
	CU_ASSERT_STRING_EQUAL(r.params[1].key, "solver.partition");
	CU_ASSERT_PTR_NULL(r.params[1].a);
	CU_ASSERT_STRING_EQUAL(r.params[1].b, "street");
	compare_result_free(&r);

	b.crs = "EPSG:4326";
	CU_ASSERT_EQUAL(compare_plans(&a, &b, &opt, &r, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(st.msg, "'a' is in EPSG:4549 but 'b' is in EPSG:4326; re-run one "
	                               "with output.output_crs");
	status_free(&st);
}

/* ---- tables -------------------------------------------------------------- */

static char *print_table(const table *t, table_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	table_print(t, fmt, f);
	fclose(f);
	return buf;
}

static void test_table_formats(void)
{
	CU_ASSERT_EQUAL(table_display_width("西夏区"), 6);
	CU_ASSERT_EQUAL(table_display_width("a西b"), 4);
	CU_ASSERT_EQUAL(table_display_width("Δ"), 1);
	CU_ASSERT_EQUAL(table_display_width("ＡＢ"), 4); /* fullwidth forms */
	CU_ASSERT_EQUAL(table_display_width(""), 0);

	table t;
	table_init(&t, 2);
	table_column(&t, 0, "name", "name", TABLE_LEFT);
	table_column(&t, 1, "n", "count", TABLE_RIGHT);
	table_row(&t);
	table_cell(&t, 0, "西夏区");
	table_cell(&t, 1, "%d", 12);
	table_row(&t);
	table_cell(&t, 0, "a,\"b\"|c");
	table_cell(&t, 1, "%d", 3);
	table_rule(&t);
	table_row(&t);
	table_cell(&t, 0, "total");
	table_cell(&t, 1, "%d", 15);
	char *s = print_table(&t, TABLE_TEXT);
	/* 西夏区 is 6 columns wide, so it gets 1 blank of padding, not 4 */
	CU_ASSERT_STRING_EQUAL(s, "name      n\n"
	                          "-----------\n"
	                          "西夏区   12\n"
	                          "a,\"b\"|c   3\n"
	                          "-----------\n"
	                          "total    15\n");
	free(s);
	s = print_table(&t, TABLE_CSV);
	CU_ASSERT_STRING_EQUAL(s, "name,count\r\n西夏区,12\r\n\"a,\"\"b\"\"|c\",3\r\ntotal,15\r\n");
	free(s);
	s = print_table(&t, TABLE_MD);
	CU_ASSERT_STRING_EQUAL(s, "| name | n |\n| --- | ---: |\n| 西夏区 | 12 |\n"
	                          "| a,\"b\"\\|c | 3 |\n| total | 15 |\n");
	free(s);
	table_free(&t);

	table_format fmt;
	CU_ASSERT_EQUAL(table_format_parse("md", &fmt), 0);
	CU_ASSERT_EQUAL(fmt, TABLE_MD);
	CU_ASSERT_EQUAL(table_format_parse("xlsx", &fmt), -1);
}

/* ---- the command --------------------------------------------------------- */

static int run_compare(const char *args, char **out, char **err)
{
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "%s compare %s", cu_bin(), args);
	return cu_run(cmd, out, err);
}

static void test_cmd_csv(void)
{
	char args[1400], *out, *err;
	snprintf(args, sizeof(args), "'%s' '%s' --format csv", path_a, path_b);
	CU_ASSERT_EQUAL(run_compare(args, &out, &err), 0);
	/* hh/st A 西夏区 = 7700/3 = 2567; walk A 西夏区 = 2970000/7700 = 386;
	 * walk B 西夏区 = 2435000/7700 = 316; total walk A = 6810000/12500 = 545,
	 * B = 6125000/12800 = 479. */
	CU_ASSERT_STRING_EQUAL(
	    out, "district,stations_a,stations_b,stations_delta,households_per_station_a,"
	         "households_per_station_b,underfilled_a,underfilled_b,mean_walk_m_a,mean_walk_m_b,"
	         "max_walk_m_a,max_walk_m_b,uncovered_households_a,uncovered_households_b\r\n"
	         "西夏区,3,3,0,2567,2567,1,1,386,316,500,400,0,0\r\n"
	         "金凤区,1,2,+1,4800,2550,0,1,800,724,800,900,300,0\r\n"
	         "total,4,5,+1,3125,2560,1,2,545,479,800,900,300,0\r\n");
	CU_ASSERT_STRING_EQUAL(err, "");
	free(out);
	free(err);
}

static void test_cmd_by_street(void)
{
	char args[1400], *out, *err;
	snprintf(args, sizeof(args), "'%s' '%s' --by street --format csv", path_a, path_b);
	CU_ASSERT_EQUAL(run_compare(args, &out, &err), 0);
	/* 街道丁 has no station in A (its 300 households are uncovered) and
	 * station 13 in B serving 300 households there at 700 m. */
	const char *rows = strchr(out, '\n');
	CU_ASSERT_STRING_EQUAL(rows ? rows + 1 : "",
	                       "西夏区,街道乙,1,1,0,200,200,1,1,100,100,100,100,0,0\r\n"
	                       "西夏区,街道甲,2,2,0,3750,3750,0,0,393,322,500,400,0,0\r\n"
	                       "金凤区,街道丁,0,1,+1,,2300,0,1,,700,,700,300,0\r\n"
	                       "金凤区,街道丙,1,1,0,4800,2800,0,0,800,725,800,900,0,0\r\n"
	                       "total,,4,5,+1,3125,2560,1,2,545,479,800,900,300,0\r\n");
	free(out);
	free(err);
}

/* Lines of the group table in the text output all have the same width. */
static void test_cmd_text(void)
{
	char args[1400], *out, *err;
	snprintf(args, sizeof(args), "'%s' '%s'", path_a, path_b);
	CU_ASSERT_EQUAL(run_compare(args, &out, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "rules.households_max  5000    4000\n"));
	const char *t = strstr(out, "\nper district:\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(t);
	t += strlen("\nper district:\n");
	size_t width = 0, lines = 0;
	int same = 1;
	for (const char *l = t; *l && *l != '\n' && strncmp(l, "st:", 3);) {
		const char *e = strchr(l, '\n');
		char *line = strndup(l, (size_t)(e - l));
		size_t w = table_display_width(line);
		if (lines++ == 0)
			width = w;
		same &= w == width;
		if (lines == 3) /* header, rule, first row */
			CU_ASSERT_PTR_NOT_NULL(strstr(line, "西夏区"));
		free(line);
		l = e + 1;
	}
	CU_ASSERT_TRUE(same);
	CU_ASSERT_EQUAL(lines, 6); /* header, rule, 2 districts, rule, total */
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "kept            2\nmoved           2\n"
	                                   "removed         0\nadded           1\n"));
	free(out);
	free(err);
}

static void test_cmd_md(void)
{
	char args[1400], *out, *err;
	snprintf(args, sizeof(args), "'%s' '%s' --format md", path_a, path_b);
	CU_ASSERT_EQUAL(run_compare(args, &out, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "| rules.households_max | 5000 | 4000 |\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | "
	                                   "---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "| total | 4 | 5 | +1 | 3125 | 2560 | 1 | 2 | 545 | 479 | 800 | 900 | "
	                "300 | 0 |\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "| moved | 2 |\n"));
	free(out);
	free(err);
}

static void test_cmd_errors(void)
{
	char args[1400], exp[1400], *out, *err;
	snprintf(args, sizeof(args), "'%s' '%s'", path_a, path_norun);
	CU_ASSERT_EQUAL(run_compare(args, &out, &err), 2);
	snprintf(exp, sizeof(exp),
	         "stationplan: error: '%s' is not a stationplan plan (no 'run' layer)\n",
	         path_norun);
	CU_ASSERT_STRING_EQUAL(err, exp);
	CU_ASSERT_STRING_EQUAL(out, "");
	free(out);
	free(err);

	snprintf(args, sizeof(args), "'%s' '%s'", path_noparam, path_a);
	CU_ASSERT_EQUAL(run_compare(args, &out, &err), 2);
	snprintf(exp, sizeof(exp),
	         "stationplan: error: '%s' is not a stationplan plan (layer 'run' has no field "
	         "'parameters')\n",
	         path_noparam);
	CU_ASSERT_STRING_EQUAL(err, exp);
	free(out);
	free(err);

	snprintf(args, sizeof(args), "'%s' '%s'", path_a, path_c);
	CU_ASSERT_EQUAL(run_compare(args, &out, &err), 2);
	snprintf(exp, sizeof(exp),
	         "stationplan: error: '%s' is in EPSG:4549 but '%s' is in EPSG:4548; re-run one "
	         "with output.output_crs\n",
	         path_a, path_c);
	CU_ASSERT_STRING_EQUAL(err, exp);
	free(out);
	free(err);

	snprintf(args, sizeof(args), "'%s' Makefile", path_a);
	CU_ASSERT_EQUAL(run_compare(args, &out, &err), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "stationplan: error: 'Makefile': cannot open"));
	free(out);
	free(err);

	snprintf(args, sizeof(args), "'%s' '%s' --by county", path_a, path_b);
	CU_ASSERT_EQUAL(run_compare(args, &out, &err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    err, "stationplan: error: compare: --by 'county' (must be district or street)\n"));
	free(out);
	free(err);

	CU_ASSERT_EQUAL(run_compare("only-one.gpkg", &out, &err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "compare: two plans are needed, A and B\n"));
	free(out);
	free(err);
}

static long layer_count(GDALDatasetH ds, const char *name)
{
	OGRLayerH l = GDALDatasetGetLayerByName(ds, name);
	return l ? (long)OGR_L_GetFeatureCount(l, TRUE) : -1;
}

static void test_cmd_diff_gpkg(void)
{
	char diff[700], args[2200], exp[800], *out, *err;
	snprintf(diff, sizeof(diff), "%s/cmp_diff.gpkg", cu_outdir());
	unlink(diff);
	snprintf(args, sizeof(args), "'%s' '%s' -o '%s'", path_a, path_b, diff);
	CU_ASSERT_EQUAL(run_compare(args, &out, &err), 0);
	free(out);
	free(err);

	GDALDatasetH ds = GDALOpenEx(diff, GDAL_OF_VECTOR, NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_EQUAL(layer_count(ds, "added"), 1);
	CU_ASSERT_EQUAL(layer_count(ds, "removed"), 0);
	CU_ASSERT_EQUAL(layer_count(ds, "moved"), 2);
	CU_ASSERT_EQUAL(layer_count(ds, "kept"), 2);
	CU_ASSERT_EQUAL(layer_count(ds, "layer_styles"), 4);
	OGRLayerH l = GDALDatasetGetLayerByName(ds, "moved");
	CU_ASSERT_EQUAL(wkbFlatten(OGR_L_GetGeomType(l)), wkbLineString);
	OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(l);
	CU_ASSERT_STRING_EQUAL(srs ? OSRGetAuthorityCode(srs, NULL) : "", "4549");
	OGR_L_SetAttributeFilter(l, "station_id_a = 4");
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	OGRGeometryH g = OGR_F_GetGeometryRef(f);
	CU_ASSERT_DOUBLE_EQUAL(OGR_G_GetX(g, 0), 10000, 1e-9); /* from A's site */
	CU_ASSERT_DOUBLE_EQUAL(OGR_G_GetX(g, 1), 10500, 1e-9); /* to B's */
	CU_ASSERT_EQUAL(OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "station_id_b")), 14);
	CU_ASSERT_DOUBLE_EQUAL(OGR_F_GetFieldAsDouble(f, OGR_F_GetFieldIndex(f, "distance_m")), 500,
	                       1e-9);
	OGR_F_Destroy(f);
	l = GDALDatasetGetLayerByName(ds, "layer_styles");
	OGR_L_SetAttributeFilter(l, "f_table_name = 'added' AND useAsDefault = 1");
	f = OGR_L_GetNextFeature(l);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "styleQML")), "26,150,65,255"));
	OGR_F_Destroy(f);
	GDALClose(ds);

	/* The existing diff is kept without --overwrite, replaced with it. */
	CU_ASSERT_EQUAL(run_compare(args, &out, &err), 1);
	snprintf(exp, sizeof(exp),
	         "stationplan: error: '%s' exists (use --overwrite to replace it)\n", diff);
	CU_ASSERT_STRING_EQUAL(err, exp);
	free(out);
	free(err);
	snprintf(args, sizeof(args), "'%s' '%s' -o '%s' --overwrite", path_b, path_a, diff);
	CU_ASSERT_EQUAL(run_compare(args, &out, &err), 0);
	free(out);
	free(err);
	ds = GDALOpenEx(diff, GDAL_OF_VECTOR, NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	CU_ASSERT_EQUAL(layer_count(ds, "added"), 0); /* B -> A: 13 is removed */
	CU_ASSERT_EQUAL(layer_count(ds, "removed"), 1);
	GDALClose(ds);
}

/* ---- end to end on the demo fixture -------------------------------------- */

static const char demo[] = "fixtures/demo/scenario.ini";
static char demo_a[600], demo_b[600];
static int demo_ok = -1; /* -1 not run yet, 0 failed, 1 both plans written */

/* Plan the demo twice: A with the defaults, B with households_max = 4000
 * (the time limit only keeps the test short; the assertions below compare
 * the table with the files, whatever the solver found). */
static int demo_plans(void)
{
	if (demo_ok >= 0)
		return demo_ok;
	char cmd[2048];
	snprintf(demo_a, sizeof(demo_a), "%s/cmp_demo_a.gpkg", cu_outdir());
	snprintf(demo_b, sizeof(demo_b), "%s/cmp_demo_b.gpkg", cu_outdir());
	snprintf(cmd, sizeof(cmd), "%s -q run %s -o '%s' --overwrite --set solver.time_limit_s=3",
	         cu_bin(), demo, demo_a);
	int ra = cu_run(cmd, NULL, NULL);
	snprintf(cmd, sizeof(cmd),
	         "%s -q run %s -o '%s' --overwrite --set solver.time_limit_s=3 "
	         "--set rules.households_max=4000",
	         cu_bin(), demo, demo_b);
	int rb = cu_run(cmd, NULL, NULL);
	demo_ok = (ra == 0 || ra == 3) && (rb == 0 || rb == 3);
	return demo_ok;
}

/* Split one CSV record (RFC 4180, no line breaks inside fields) into at
 * most `max` fields, unquoting; returns the count. Modifies `line`. */
static int csv_split(char *line, char **field, int max)
{
	int n = 0;
	char *r = line, *w = line;
	while (n < max) {
		field[n++] = w;
		if (*r == '"') {
			for (r++; *r && !(r[0] == '"' && r[1] != '"'); r++)
				*w++ = *r == '"' ? *++r : *r;
			if (*r == '"')
				r++;
		} else {
			while (*r && *r != ',' && *r != '\r' && *r != '\n')
				*w++ = *r++;
		}
		int more = *r == ',';
		*w++ = '\0';
		if (!more)
			break;
		r++;
	}
	return n;
}

/* Stations of `path` in `district` ("" = all), counted by GDAL. */
static long count_stations(const char *path, const char *district)
{
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
	if (!ds)
		return -1;
	OGRLayerH l = GDALDatasetGetLayerByName(ds, "stations");
	char filter[300];
	snprintf(filter, sizeof(filter), "district = '%s'", district);
	if (l && district[0])
		OGR_L_SetAttributeFilter(l, filter);
	long n = l ? (long)OGR_L_GetFeatureCount(l, TRUE) : -1;
	GDALClose(ds);
	return n;
}

static void test_e2e_demo_table(void)
{
	CU_ASSERT_TRUE_FATAL(demo_plans());
	char args[1400], *out, *err;
	snprintf(args, sizeof(args), "'%s' '%s' --format csv", demo_a, demo_b);
	CU_ASSERT_EQUAL_FATAL(run_compare(args, &out, &err), 0);
	long sum_a = 0, sum_b = 0, rows = 0, tot_a = -1, tot_b = -1;
	char *save = NULL;
	int line = 0;
	for (char *rec = strtok_r(out, "\n", &save); rec; rec = strtok_r(NULL, "\n", &save)) {
		char *f[16];
		int n = csv_split(rec, f, 16);
		CU_ASSERT_EQUAL(n, 14);
		if (line++ == 0) {
			CU_ASSERT_STRING_EQUAL(f[0], "district");
			CU_ASSERT_STRING_EQUAL(f[1], "stations_a");
			continue;
		}
		if (n < 4)
			continue;
		long a = atol(f[1]), b = atol(f[2]);
		CU_ASSERT_EQUAL(atol(f[3]), b - a); /* "+19" and "-2" parse too */
		if (!strcmp(f[0], "total")) {
			tot_a = a;
			tot_b = b;
			continue;
		}
		rows++;
		sum_a += a;
		sum_b += b;
		CU_ASSERT_EQUAL(a, count_stations(demo_a, f[0]));
		CU_ASSERT_EQUAL(b, count_stations(demo_b, f[0]));
	}
	CU_ASSERT_TRUE(rows >= 1);
	CU_ASSERT_EQUAL(tot_a, sum_a);
	CU_ASSERT_EQUAL(tot_b, sum_b);
	CU_ASSERT_EQUAL(tot_a, count_stations(demo_a, ""));
	CU_ASSERT_EQUAL(tot_b, count_stations(demo_b, ""));
	CU_ASSERT_TRUE(tot_a > 0);
	free(out);
	free(err);
}

static void test_e2e_demo_changes_md(void)
{
	CU_ASSERT_TRUE_FATAL(demo_plans());
	char diff[700], args[2200], *out, *err;
	snprintf(diff, sizeof(diff), "%s/cmp_demo_diff.gpkg", cu_outdir());
	snprintf(args, sizeof(args), "'%s' '%s' --by street --format md -o '%s' --overwrite",
	         demo_a, demo_b, diff);
	CU_ASSERT_EQUAL_FATAL(run_compare(args, &out, &err), 0);
	/* Every pipe-table line has as many cells as its header. */
	int cells = -1, tables = 0, ok = 1;
	char *save = NULL;
	for (char *l = strtok_r(out, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (l[0] != '|') {
			cells = -1;
			continue;
		}
		int n = 0;
		for (char *c = l; *c; c++)
			n += *c == '|' && (c == l || c[-1] != '\\');
		if (cells < 0) {
			cells = n;
			tables++;
		}
		ok &= n == cells;
	}
	CU_ASSERT_TRUE(ok);
	CU_ASSERT_EQUAL(tables, 3); /* parameters, per street, changes */
	free(out);
	free(err);

	long na = count_stations(demo_a, ""), nb = count_stations(demo_b, "");
	GDALDatasetH ds = GDALOpenEx(diff, GDAL_OF_VECTOR, NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	long kept = layer_count(ds, "kept"), moved = layer_count(ds, "moved");
	CU_ASSERT_EQUAL(kept + moved + layer_count(ds, "removed"), na);
	CU_ASSERT_EQUAL(kept + moved + layer_count(ds, "added"), nb);
	CU_ASSERT_TRUE(kept > 0);
	GDALClose(ds);

	/* An input file is not a plan. */
	CU_ASSERT_EQUAL(
	    run_compare("fixtures/demo/units.gpkg fixtures/demo/units.gpkg", &out, &err), 2);
	CU_ASSERT_STRING_EQUAL(err, "stationplan: error: 'fixtures/demo/units.gpkg' is not a "
	                            "stationplan plan (no 'run' layer)\n");
	free(out);
	free(err);
}

static void test_e2e_sweep(void)
{
	char out_path[700], cmd[2048], *out, *err;
	snprintf(out_path, sizeof(out_path), "%s/sweep.gpkg", cu_outdir());
	snprintf(cmd, sizeof(cmd),
	         "%s run %s -o '%s' --overwrite --set solver.time_limit_s=3 "
	         "--sweep rules.households_max=4000,6000 --format csv",
	         cu_bin(), demo, out_path);
	int rc = cu_run(cmd, &out, &err);
	CU_ASSERT_TRUE(rc == 0 || rc == 3);
	char f4000[800], f6000[800];
	snprintf(f4000, sizeof(f4000), "%s/sweep-households_max-4000.gpkg", cu_outdir());
	snprintf(f6000, sizeof(f6000), "%s/sweep-households_max-6000.gpkg", cu_outdir());
	long n4000 = count_stations(f4000, ""), n6000 = count_stations(f6000, "");
	CU_ASSERT_TRUE(n4000 > 0);
	CU_ASSERT_TRUE(n6000 > 0);
	char *save = NULL, *rec[4] = {0};
	int nrec = 0;
	for (char *l = strtok_r(out, "\r\n", &save); l && nrec < 4;
	     l = strtok_r(NULL, "\r\n", &save))
		rec[nrec++] = l;
	CU_ASSERT_EQUAL_FATAL(nrec, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(rec[0], "rules.households_max,stations,urban_stations,"));
	char *f[16];
	CU_ASSERT_EQUAL_FATAL(csv_split(rec[1], f, 16), 14);
	CU_ASSERT_STRING_EQUAL(f[0], "4000");
	CU_ASSERT_EQUAL(atol(f[1]), n4000);
	CU_ASSERT_STRING_EQUAL(f[13], f4000);
	CU_ASSERT_EQUAL_FATAL(csv_split(rec[2], f, 16), 14);
	CU_ASSERT_STRING_EQUAL(f[0], "6000");
	CU_ASSERT_EQUAL(atol(f[1]), n6000);
	free(out);
	free(err);

	/* Without --overwrite nothing runs: the first existing target stops it. */
	snprintf(cmd, sizeof(cmd), "%s run %s -o '%s' --sweep rules.households_max=4000,6000",
	         cu_bin(), demo, out_path);
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 1);
	char exp[900];
	snprintf(exp, sizeof(exp),
	         "stationplan: error: '%s' exists (use --overwrite to replace it)\n", f4000);
	CU_ASSERT_STRING_EQUAL(err, exp);
	CU_ASSERT_STRING_EQUAL(out, "");
	free(out);
	free(err);

	/* A bad value is found before any run. */
	snprintf(cmd, sizeof(cmd),
	         "%s run %s -o '%s' --overwrite --sweep rules.households_max=4000,lots", cu_bin(),
	         demo, out_path);
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 2);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err, "rules.households_max = 'lots', must be a whole number"));
	CU_ASSERT_STRING_EQUAL(out, "");
	free(out);
	free(err);
}

void compare_suite_setup(void)
{
	CU_SUITE_ADD("compare", suite_init, NULL, CU_TEST_ENTRY(test_read_plan),
	             CU_TEST_ENTRY(test_diff_tables), CU_TEST_ENTRY(test_match_ties_and_greed),
	             CU_TEST_ENTRY(test_match_grid_scale), CU_TEST_ENTRY(test_params_absent),
	             CU_TEST_ENTRY(test_table_formats), CU_TEST_ENTRY(test_cmd_csv),
	             CU_TEST_ENTRY(test_cmd_by_street), CU_TEST_ENTRY(test_cmd_text),
	             CU_TEST_ENTRY(test_cmd_md), CU_TEST_ENTRY(test_cmd_errors),
	             CU_TEST_ENTRY(test_cmd_diff_gpkg), CU_TEST_ENTRY(test_e2e_demo_table),
	             CU_TEST_ENTRY(test_e2e_demo_changes_md), CU_TEST_ENTRY(test_e2e_sweep));
}
