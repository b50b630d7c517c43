/*
 * cu_tables.c: the appendix tables (`stationplan tables`) and the JSON of
 * `run` and `compare`.
 *
 * The unit tests build a planfile by hand and check tables_build() exactly
 * (order, a split unit counted once, uncovered units, a station street with
 * no unit). The end-to-end tests run the demo city split into two
 * "districts" (district_field = kind: community / village), then check every
 * figure of the printed tables against the plan's own layers read with GDAL:
 * the names under each street in input order, the stations of each street,
 * the households and the totals; the CSV's byte-order mark; the workbook
 * read back with python3-openpyxl cell by cell; the errors.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <jansson.h>
#include <ogr_api.h>

#include "cu_tester.h"
#include "tables.h"

/* ---- unit: tables_build --------------------------------------------------- */

static void test_build_by_hand(void)
{
	planfile_assign as[] = {
	    /* district, street, households, distance, unit_id, name, station, order, unit hh */
	    {"D1", "S1", 100, 0, "u1", "甲社区", 1, 1, 100},
	    {"D1", "S2", 60, 0, "u3", "丙村", 2, 3, 100}, /* split: two rows */
	    {"D1", "S2", 40, 0, "u3", "丙村", 3, 3, 100},
	    {"D2", "S9", 7, 0, "u4", "丁社区", 4, 4, 7},
	    {"D1", "S1", 5, 0, "u5", "戊社区", 1, 5, 5},
	};
	planfile_uncovered un[] = {{"D1", "S1", 30, "u2", "乙社区", 2}};
	planfile_station ss[] = {
	    {1, 0, 0, "urban", "D1", "S1", 105, 0, 2, -1, 0},
	    {2, 0, 0, "urban", "D1", "S2", 60, 0, 1, -1, 0},
	    {3, 0, 0, "urban", "D1", "S2", 40, 0, 1, -1, 0},
	    {4, 0, 0, "urban", "D2", "S9", 7, 0, 1, -1, 0},
	    {5, 0, 0, "existing", "D1", "S7", 0, 0, 0, -1, 0},
	};
	planfile p = {0};
	p.assign = as;
	p.nassign = 5;
	p.uncovered = un;
	p.nuncovered = 1;
	p.stations = ss;
	p.nstations = 5;
	status st;
	status_init(&st);
	tables t;
	CU_ASSERT_EQUAL_FATAL(tables_build(&p, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL(t.ascii, 0);
	CU_ASSERT_EQUAL(t.stations, 5);
	CU_ASSERT_EQUAL(t.households, 242);
	CU_ASSERT_EQUAL(t.uncovered_households, 30);
	CU_ASSERT_EQUAL_FATAL(t.ndistricts, 2);
	tables_district *d = &t.districts[0];
	CU_ASSERT_STRING_EQUAL(d->district, "D1");
	CU_ASSERT_EQUAL(d->stations, 4);
	CU_ASSERT_EQUAL(d->households, 235);
	CU_ASSERT_EQUAL_FATAL(d->nrows, 3);
	CU_ASSERT_STRING_EQUAL(d->rows[0].street, "S1");
	CU_ASSERT_EQUAL_FATAL(d->rows[0].nunits, 3);
	CU_ASSERT_STRING_EQUAL(d->rows[0].units[0], "甲社区");
	CU_ASSERT_STRING_EQUAL(d->rows[0].units[1], "乙社区");
	CU_ASSERT_STRING_EQUAL(d->rows[0].units[2], "戊社区");
	CU_ASSERT_EQUAL(d->rows[0].households, 135);
	CU_ASSERT_EQUAL(d->rows[0].uncovered_households, 30);
	CU_ASSERT_EQUAL(d->rows[0].stations, 1);
	CU_ASSERT_STRING_EQUAL(d->rows[1].street, "S2");
	CU_ASSERT_EQUAL(d->rows[1].nunits, 1);
	CU_ASSERT_EQUAL(d->rows[1].households, 100);
	CU_ASSERT_EQUAL(d->rows[1].stations, 2);
	CU_ASSERT_STRING_EQUAL(d->rows[2].street, "S7");
	CU_ASSERT_EQUAL(d->rows[2].nunits, 0);
	CU_ASSERT_EQUAL(d->rows[2].stations, 1);
	CU_ASSERT_STRING_EQUAL(t.districts[1].district, "D2");
	CU_ASSERT_EQUAL(t.districts[1].households, 7);

	/* printed: Markdown with the totals row and the note */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	tables_options opt = {TABLES_BY_STREET, TABLES_MD, TABLES_ZH, 0};
	CU_ASSERT_EQUAL(tables_print(&t, &opt, f), 0);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "### D1\n\n| 序号 | 街道名称 | 下设社区（村） |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "| 1 | S1 | 甲社区、乙社区、戊社区 | 1 | 135 |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "|  | 合计 |  | 4 | 235 |"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "D1共 235 户，其中 30 户不在任何站点的服务范围内。"));
	free(buf);
	opt = (tables_options){TABLES_BY_DISTRICT, TABLES_CSV, TABLES_EN, 1};
	f = open_memstream(&buf, &len);
	CU_ASSERT_EQUAL(tables_print(&t, &opt, f), 0);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "\xEF\xBB\xBF"
	                            "No.,District,Streets,Stations,Households\r\n"
	                            "1,D1,\"S1, S2, S7\",4,235\r\n"
	                            "2,D2,S9,1,7\r\n"
	                            ",Total,,5,242\r\n");
	free(buf);
	tables_free(&t);
	status_free(&st);
}

static void test_format_names(void)
{
	tables_format f;
	CU_ASSERT(tables_format_from_path("a/b.xlsx", &f) == 0 && f == TABLES_XLSX);
	CU_ASSERT(tables_format_from_path("b.txt", &f) == 0 && f == TABLES_TEXT);
	CU_ASSERT(tables_format_from_path("b.json", &f) == 0 && f == TABLES_JSON);
	CU_ASSERT(tables_format_from_path("b.CSV", &f) == 0 && f == TABLES_CSV);
	CU_ASSERT_EQUAL(tables_format_from_path("b.text", &f), -1);
	CU_ASSERT_EQUAL(tables_format_from_path("b.pdf", &f), -1);
	CU_ASSERT_EQUAL(tables_format_from_path("dir.x/b", &f), -1);
	CU_ASSERT_EQUAL(tables_format_parse("xml", &f), -1);
}

/* ---- end to end ------------------------------------------------------------ */

static char plan_path[512];

static const char *two_district_plan(void)
{
	if (plan_path[0])
		return plan_path;
	char cmd[1400];
	snprintf(plan_path, sizeof(plan_path), "%s/tables_plan.gpkg", cu_outdir());
	snprintf(cmd, sizeof(cmd),
	         "%s -q run fixtures/demo/scenario.ini --set input.district_field=kind -o %s "
	         "--overwrite",
	         cu_bin(), plan_path);
	char *o, *e;
	int rc = cu_run(cmd, &o, &e);
	CU_ASSERT_EQUAL(rc, 0);
	free(o);
	free(e);
	return plan_path;
}

/* What the plan's layers say for street `street` of `district`: households
 * of its units (each once), names in unit_order joined with "、", stations. */
typedef struct expect {
	long households, stations;
	char names[8192];
} expect;

static void expect_from_layers(const char *path, const char *district, const char *street,
                               expect *x)
{
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	char sql[1024];
	memset(x, 0, sizeof(*x));
	snprintf(sql, sizeof(sql),
	         "SELECT name, hh FROM (SELECT unit_order, name, unit_households AS hh FROM "
	         "assignments WHERE district = '%s' AND street = '%s' UNION SELECT unit_order, "
	         "name, households AS hh FROM uncovered WHERE district = '%s' AND street = '%s') "
	         "GROUP BY unit_order ORDER BY unit_order",
	         district, street, district, street);
	OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, "SQLITE");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	for (OGRFeatureH f; (f = OGR_L_GetNextFeature(l)); OGR_F_Destroy(f)) {
		if (x->names[0])
			strcat(x->names, "、");
		strcat(x->names, OGR_F_GetFieldAsString(f, 0));
		x->households += OGR_F_GetFieldAsInteger64(f, 1);
	}
	GDALDatasetReleaseResultSet(ds, l);
	snprintf(sql, sizeof(sql),
	         "SELECT COUNT(*) FROM stations WHERE district = '%s' AND street = '%s'", district,
	         street);
	l = GDALDatasetExecuteSQL(ds, sql, NULL, "SQLITE");
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	x->stations = OGR_F_GetFieldAsInteger64(f, 0);
	OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, l);
	GDALClose(ds);
}

static long layer_sum(const char *path, const char *sql_text)
{
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
	OGRLayerH l = GDALDatasetExecuteSQL(ds, sql_text, NULL, "SQLITE");
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	long v = (long)OGR_F_GetFieldAsInteger64(f, 0);
	OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, l);
	GDALClose(ds);
	return v;
}

/* Run `stationplan tables PLAN ARGS`, exit status in *rc. */
static char *run_tables(const char *args, int *rc, char **err)
{
	char cmd[1600], *o;
	snprintf(cmd, sizeof(cmd), "%s tables %s %s", cu_bin(), two_district_plan(), args);
	*rc = cu_run(cmd, &o, err);
	return o;
}

static void test_json_against_layers(void)
{
	int rc;
	char *err, *out = run_tables("--format json", &rc, &err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	json_error_t je;
	json_t *doc = json_loads(out, 0, &je);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	json_t *ds = json_object_get(doc, "districts");
	CU_ASSERT_EQUAL_FATAL(json_array_size(ds), 2);
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(json_array_get(ds, 0), "district")), "community");
	CU_ASSERT_STRING_EQUAL(
	    json_string_value(json_object_get(json_array_get(ds, 1), "district")), "village");
	long all_st = 0, all_hh = 0;
	size_t nrows = 0;
	for (size_t i = 0; i < json_array_size(ds); i++) {
		json_t *d = json_array_get(ds, i);
		const char *dn = json_string_value(json_object_get(d, "district"));
		json_t *rows = json_object_get(d, "streets");
		long st = 0, hh = 0;
		for (size_t j = 0; j < json_array_size(rows); j++, nrows++) {
			json_t *r = json_array_get(rows, j);
			const char *sn = json_string_value(json_object_get(r, "street"));
			expect x;
			expect_from_layers(plan_path, dn, sn, &x);
			char names[8192] = "";
			json_t *u = json_object_get(r, "units");
			for (size_t k = 0; k < json_array_size(u); k++)
				snprintf(names + strlen(names), sizeof(names) - strlen(names),
				         "%s%s", k ? "、" : "",
				         json_string_value(json_array_get(u, k)));
			CU_ASSERT_STRING_EQUAL(names, x.names);
			CU_ASSERT_EQUAL(json_integer_value(json_object_get(r, "households")),
			                x.households);
			CU_ASSERT_EQUAL(json_integer_value(json_object_get(r, "stations")),
			                x.stations);
			st += x.stations;
			hh += x.households;
		}
		CU_ASSERT_EQUAL(json_integer_value(json_object_get(d, "stations")), st);
		CU_ASSERT_EQUAL(json_integer_value(json_object_get(d, "households")), hh);
		all_st += st;
		all_hh += hh;
	}
	/* one row per (district, street) of a unit or a station */
	CU_ASSERT_EQUAL(nrows, (size_t)layer_sum(
	                           plan_path, "SELECT COUNT(*) FROM (SELECT district, street FROM "
	                                      "assignments UNION SELECT district, street FROM "
	                                      "uncovered UNION SELECT district, street FROM "
	                                      "stations)"));
	CU_ASSERT(nrows > 16); /* the demo's 16 streets, some with both kinds */
	CU_ASSERT_EQUAL(all_st, layer_sum(plan_path, "SELECT COUNT(*) FROM stations"));
	CU_ASSERT_EQUAL(all_hh, 262112);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(doc, "households")), 262112);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(doc, "stations")), all_st);
	json_decref(doc);
	free(out);
	free(err);
}

static void test_text_csv_bom(void)
{
	int rc;
	char *err, *out = run_tables("", &rc, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "community\n序号  街道名称"));
	char note[128];
	snprintf(note, sizeof(note), "community共 %ld 户。",
	         layer_sum(plan_path, "SELECT SUM(households) FROM assignments "
	                              "WHERE district = 'community'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, note));
	free(out);
	free(err);
	out = run_tables("--format csv", &rc, &err);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_EQUAL(strncmp(out, "\xEF\xBB\xBF区（县）,序号,街道名称,下设社区（村）,", 36), 0);
	free(out);
	free(err);
	out = run_tables("--format csv --no-bom --lang en", &rc, &err);
	const char *head = "District,No.,Street,Communities and villages,Stations,Households\r\n";
	CU_ASSERT_EQUAL(strncmp(out, head, strlen(head)), 0);
	free(out);
	free(err);
}

static void test_xlsx_cells(void)
{
	char xlsx[600], cmd[1600];
	int rc;
	snprintf(xlsx, sizeof(xlsx), "%s/tables.xlsx", cu_outdir());
	remove(xlsx);
	char args[700];
	snprintf(args, sizeof(args), "-q -o %s", xlsx);
	char *err, *out = run_tables(args, &rc, &err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	free(out);
	free(err);
	/* every cell of every sheet as "sheet<TAB>row<TAB>col<TAB>value" */
	snprintf(cmd, sizeof(cmd),
	         "/usr/bin/python3 -c \"import openpyxl,sys\n"
	         "wb = openpyxl.load_workbook(sys.argv[1])\n"
	         "for ws in wb.worksheets:\n"
	         "  for row in ws.iter_rows():\n"
	         "    for c in row:\n"
	         "      if c.value is not None: print('%%s\\t%%d\\t%%d\\t%%s' %% (ws.title, c.row, "
	         "c.column, c.value))\" %s",
	         xlsx);
	char *cells;
	rc = cu_run(cmd, &cells, &err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	free(err);
	/* the same figures as the JSON, cell by cell */
	out = run_tables("--format json", &rc, &err);
	json_t *doc = json_loads(out, 0, NULL);
	free(out);
	free(err);
	char *want = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&want, &len);
	json_t *ds = json_object_get(doc, "districts");
	for (size_t i = 0; i < json_array_size(ds); i++) {
		json_t *d = json_array_get(ds, i);
		const char *dn = json_string_value(json_object_get(d, "district"));
		fprintf(f, "%s\t1\t1\t%s\n", dn, dn);
		const char *h[] = {"序号", "街道名称", "下设社区（村）", "再生资源回收站（点）数量",
		                   "户数"};
		for (int c = 0; c < 5; c++)
			fprintf(f, "%s\t2\t%d\t%s\n", dn, c + 1, h[c]);
		json_t *rows = json_object_get(d, "streets");
		size_t j = 0;
		for (; j < json_array_size(rows); j++) {
			json_t *r = json_array_get(rows, j);
			fprintf(f, "%s\t%zu\t1\t%zu\n%s\t%zu\t2\t%s\n", dn, j + 3, j + 1, dn, j + 3,
			        json_string_value(json_object_get(r, "street")));
			fprintf(f, "%s\t%zu\t3\t", dn, j + 3);
			json_t *u = json_object_get(r, "units");
			for (size_t k = 0; k < json_array_size(u); k++)
				fprintf(f, "%s%s", k ? "、" : "",
				        json_string_value(json_array_get(u, k)));
			fprintf(f, "\n%s\t%zu\t4\t%lld\n%s\t%zu\t5\t%lld\n", dn, j + 3,
			        json_integer_value(json_object_get(r, "stations")), dn, j + 3,
			        json_integer_value(json_object_get(r, "households")));
		}
		fprintf(f, "%s\t%zu\t2\t合计\n%s\t%zu\t4\t%lld\n%s\t%zu\t5\t%lld\n", dn, j + 3, dn,
		        j + 3, json_integer_value(json_object_get(d, "stations")), dn, j + 3,
		        json_integer_value(json_object_get(d, "households")));
	}
	fclose(f);
	CU_ASSERT_STRING_EQUAL(cells, want);
	free(want);
	free(cells);
	json_decref(doc);
}

static void test_errors(void)
{
	int rc;
	char *err, *out = run_tables("--format xlsx", &rc, &err);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err, "stationplan: error: tables: --format xlsx needs -o FILE.xlsx\n"));
	free(out);
	free(err);
	out = run_tables("-o x.pdf", &rc, &err);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "tables: cannot tell the format from 'x.pdf'"));
	free(out);
	free(err);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "%s tables fixtures/demo/units.gpkg", cu_bin());
	rc = cu_run(cmd, &out, &err);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err, "'fixtures/demo/units.gpkg' is not a stationplan plan (no 'run' layer)"));
	free(out);
	free(err);
	char path[600];
	snprintf(path, sizeof(path), "-o %s/tables.xlsx", cu_outdir());
	out = run_tables(path, &rc, &err); /* written by test_xlsx_cells */
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "tables.xlsx' exists (use --overwrite to replace it)"));
	free(out);
	free(err);
}

static void test_run_compare_json(void)
{
	char cmd[1600], *out, *err;
	snprintf(cmd, sizeof(cmd),
	         "%s -q run fixtures/demo/scenario.ini -o %s/tables_b.gpkg "
	         "--overwrite --format json --set rules.households_max=4500",
	         cu_bin(), cu_outdir());
	int rc = cu_run(cmd, &out, &err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	json_t *doc = json_loads(out, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	char b[600];
	snprintf(b, sizeof(b), "%s/tables_b.gpkg", cu_outdir());
	long nb = layer_sum(b, "SELECT COUNT(*) FROM stations");
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(doc, "stations")), nb);
	CU_ASSERT_EQUAL(json_integer_value(json_object_get(doc, "households")), 262112);
	CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(doc, "status")), "optimal");
	CU_ASSERT(json_is_true(json_object_get(doc, "proven")));
	json_decref(doc);
	free(out);
	free(err);

	snprintf(cmd, sizeof(cmd), "%s compare %s %s --format json", cu_bin(), two_district_plan(),
	         b);
	rc = cu_run(cmd, &out, &err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	doc = json_loads(out, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	json_t *total = json_object_get(doc, "total");
	CU_ASSERT_EQUAL(
	    json_integer_value(json_object_get(json_object_get(total, "a"), "stations")),
	    layer_sum(plan_path, "SELECT COUNT(*) FROM stations"));
	CU_ASSERT_EQUAL(
	    json_integer_value(json_object_get(json_object_get(total, "b"), "stations")), nb);
	json_t *params = json_object_get(doc, "parameters");
	int found = 0;
	for (size_t i = 0; i < json_array_size(params); i++) {
		json_t *p = json_array_get(params, i);
		if (!strcmp(json_string_value(json_object_get(p, "key")), "rules.households_max")) {
			found = 1;
			CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(p, "a")), "5000");
			CU_ASSERT_STRING_EQUAL(json_string_value(json_object_get(p, "b")), "4500");
		}
	}
	CU_ASSERT(found);
	json_t *cc = json_object_get(doc, "change_counts");
	long kept = json_integer_value(json_object_get(cc, "kept")),
	     moved = json_integer_value(json_object_get(cc, "moved")),
	     added = json_integer_value(json_object_get(cc, "added"));
	CU_ASSERT_EQUAL(kept + moved + added, nb);
	CU_ASSERT_EQUAL(
	    json_array_size(json_object_get(doc, "changes")),
	    (size_t)(kept + moved + added + json_integer_value(json_object_get(cc, "removed"))));
	json_decref(doc);
	free(out);
	free(err);
}

/* A plan written before unit_order existed: the same tables (rows in file
 * order are unit order; a split unit's rows are consecutive). */
static void test_plan_without_unit_order(void)
{
	char old[600], cmd[3000], *a, *b, *e;
	snprintf(old, sizeof(old), "%s/tables_old.gpkg", cu_outdir());
	snprintf(cmd, sizeof(cmd),
	         "cp %s %s && ogrinfo -q %s -sql 'ALTER TABLE assignments DROP COLUMN unit_order' "
	         "&& ogrinfo -q %s -sql 'ALTER TABLE uncovered DROP COLUMN unit_order'",
	         two_district_plan(), old, old, old);
	CU_ASSERT_EQUAL_FATAL(cu_run(cmd, NULL, NULL), 0);
	snprintf(cmd, sizeof(cmd), "%s tables %s --format json", cu_bin(), old);
	CU_ASSERT_EQUAL(cu_run(cmd, &a, &e), 0);
	free(e);
	snprintf(cmd, sizeof(cmd), "%s tables %s --format json", cu_bin(), plan_path);
	CU_ASSERT_EQUAL(cu_run(cmd, &b, &e), 0);
	free(e);
	CU_ASSERT_STRING_EQUAL(a, b);
	CU_ASSERT_PTR_NOT_NULL(strstr(a, "\"units\": ["));
	free(a);
	free(b);
}

void tables_suite_setup(void)
{
	GDALAllRegister();
	CU_SUITE_ADD("tables", NULL, NULL, CU_TEST_ENTRY(test_build_by_hand),
	             CU_TEST_ENTRY(test_format_names), CU_TEST_ENTRY(test_json_against_layers),
	             CU_TEST_ENTRY(test_text_csv_bom), CU_TEST_ENTRY(test_xlsx_cells),
	             CU_TEST_ENTRY(test_errors), CU_TEST_ENTRY(test_run_compare_json),
	             CU_TEST_ENTRY(test_plan_without_unit_order));
}
