/*
 * cu_report.c: `stationplan report`, end to end.
 *
 * The demo city split into two "districts" (district_field = kind) is
 * drawn as a PDF; its text, extracted with pdftotext (poppler-utils), must
 * hold every row of every district's appendix table with the figures of
 * `stationplan tables --format json` (themselves checked against the plan's
 * layers in cu_tables), each district's household total and the run
 * record's status. The PDF has no creation date and is the same bytes
 * twice; --date puts one in. Page 1 rendered with pdftoppm, and page 2 as a
 * PNG, must not be blank. Errors: no such page, no -o, a bad extension.
 */
#include <CUnit/CUnit.h>
#include <cairo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cu_tester.h"

static char plan[512];

static const char *report_plan(void)
{
	if (plan[0])
		return plan;
	char cmd[1400], *o, *e;
	snprintf(plan, sizeof(plan), "%s/report_plan.gpkg", cu_outdir());
	snprintf(cmd, sizeof(cmd),
	         "%s -q run fixtures/demo/scenario.ini --set input.district_field=kind -o %s "
	         "--overwrite",
	         cu_bin(), plan);
	CU_ASSERT_EQUAL(cu_run(cmd, &o, &e), 0);
	free(o);
	free(e);
	return plan;
}

/* Run a shell command, return its stdout (caller frees) and status. */
static char *sh(int *rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *sh(int *rc, const char *fmt, ...)
{
	char cmd[2000], *o, *e;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	*rc = cu_run(cmd, &o, &e);
	free(e);
	return o;
}

static char pdf[600];

static const char *report_pdf(void)
{
	if (pdf[0])
		return pdf;
	int rc;
	snprintf(pdf, sizeof(pdf), "%s/report.pdf", cu_outdir());
	free(sh(&rc, "%s -q report %s -o %s --overwrite", cu_bin(), report_plan(), pdf));
	CU_ASSERT_EQUAL(rc, 0);
	return pdf;
}

/* Does `text` have a line whose tokens are `no`, `street`, ..., `stations`,
 * `households` (the first line of a table row)? */
static int has_row(const char *text, long no, const char *street, long stations, long households)
{
	char head[32], tail[64];
	snprintf(head, sizeof(head), "%ld", no);
	snprintf(tail, sizeof(tail), " %ld %ld", stations, households);
	for (const char *l = text; l && *l;) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		char line[4096], norm[4096];
		snprintf(line, sizeof(line), "%.*s", (int)(len < 4095 ? len : 4095), l);
		/* collapse runs of blanks */
		size_t k = 0;
		for (size_t i = 0; line[i]; i++)
			if (line[i] != ' ' || (k > 0 && norm[k - 1] != ' '))
				norm[k++] = line[i];
		while (k > 0 && norm[k - 1] == ' ')
			k--;
		norm[k] = '\0';
		char first[512];
		snprintf(first, sizeof(first), "%s %s ", head, street);
		size_t tl = strlen(tail);
		if (!strncmp(norm, first, strlen(first)) && k > tl && !strcmp(norm + k - tl, tail))
			return 1;
		l = e ? e + 1 : NULL;
	}
	return 0;
}

static void test_pdf_text_matches_tables(void)
{
	int rc;
	char *text = sh(&rc, "pdftotext -layout %s -", report_pdf());
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	char *js = sh(&rc, "%s tables %s --format json", cu_bin(), report_plan());
	json_t *doc = json_loads(js, 0, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	json_t *ds = json_object_get(doc, "districts");
	CU_ASSERT_EQUAL(json_array_size(ds), 2);
	size_t rows = 0, found = 0;
	for (size_t i = 0; i < json_array_size(ds); i++) {
		json_t *d = json_array_get(ds, i);
		const char *dn = json_string_value(json_object_get(d, "district"));
		char note[256];
		snprintf(note, sizeof(note), "%s共 %lld 户。", dn,
		         json_integer_value(json_object_get(d, "households")));
		CU_ASSERT_PTR_NOT_NULL(strstr(text, note));
		json_t *st = json_object_get(d, "streets");
		for (size_t j = 0; j < json_array_size(st); j++, rows++) {
			json_t *r = json_array_get(st, j);
			int ok = has_row(
			    text, (long)j + 1, json_string_value(json_object_get(r, "street")),
			    (long)json_integer_value(json_object_get(r, "stations")),
			    (long)json_integer_value(json_object_get(r, "households")));
			if (!ok)
				fprintf(stderr, "report: row %zu of %s not found\n", j + 1, dn);
			found += ok;
		}
	}
	CU_ASSERT_EQUAL(found, rows);
	CU_ASSERT(rows > 16);
	/* the city page's totals and the run record */
	char total[128];
	snprintf(total, sizeof(total), "%lld 站点 · %lld 户数",
	         json_integer_value(json_object_get(doc, "stations")),
	         json_integer_value(json_object_get(doc, "households")));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, total));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "运行记录"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "rules.households_max = 5000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(text, "optimal"));
	json_decref(doc);
	free(js);
	free(text);
}

static void test_pdf_reproducible(void)
{
	int rc;
	char again[600], dated[600];
	snprintf(again, sizeof(again), "%s/report_again.pdf", cu_outdir());
	snprintf(dated, sizeof(dated), "%s/report_dated.pdf", cu_outdir());
	free(sh(&rc, "%s -q report %s -o %s --overwrite", cu_bin(), report_plan(), again));
	CU_ASSERT_EQUAL(rc, 0);
	free(sh(&rc, "cmp %s %s", report_pdf(), again));
	CU_ASSERT_EQUAL(rc, 0);
	char *info = sh(&rc, "pdfinfo %s", report_pdf());
	CU_ASSERT_PTR_NULL(strstr(info, "CreationDate"));
	CU_ASSERT_PTR_NOT_NULL(strstr(info, "Page size:       595.28 x 841.89 pts (A4)"));
	free(info);
	free(sh(&rc, "%s -q report %s -o %s --overwrite --date 2026-01-02T03:04:05Z --paper A3",
	        cu_bin(), report_plan(), dated));
	CU_ASSERT_EQUAL(rc, 0);
	info = sh(&rc, "pdfinfo %s", dated);
	CU_ASSERT_PTR_NOT_NULL(strstr(info, "CreationDate:    Fri Jan  2 03:04:05 2026"));
	CU_ASSERT_PTR_NOT_NULL(strstr(info, "(A3)"));
	free(info);
}

/* Share of pixels that are not near-white, and distinct colours (up to 64),
 * of an image surface. */
static double ink(cairo_surface_t *s, int *colours)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	const unsigned char *px = cairo_image_surface_get_data(s);
	unsigned seen[64];
	int nseen = 0;
	long dark = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			unsigned v =
			    *(const unsigned *)(px + (size_t)y * stride + (size_t)x * 4) & 0xffffff;
			if (((v >> 16) & 255) < 230 || ((v >> 8) & 255) < 230 || (v & 255) < 230)
				dark++;
			int k = 0;
			while (k < nseen && seen[k] != v)
				k++;
			if (k == nseen && nseen < 64)
				seen[nseen++] = v;
		}
	*colours = nseen;
	return (double)dark / ((double)w * h);
}

static void test_pages_not_blank(void)
{
	int rc, colours;
	char stem[600], png[700];
	snprintf(stem, sizeof(stem), "%s/report_page", cu_outdir());
	free(sh(&rc, "pdftoppm -r 40 -f 1 -l 1 -png -singlefile %s %s", report_pdf(), stem));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	snprintf(png, sizeof(png), "%s.png", stem);
	cairo_surface_t *s = cairo_image_surface_create_from_png(png);
	CU_ASSERT_EQUAL_FATAL(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	double share = ink(s, &colours);
	CU_ASSERT(share > 0.2); /* the map fills most of the page */
	CU_ASSERT(colours >= 16);
	cairo_surface_destroy(s);

	snprintf(png, sizeof(png), "%s/report_p2.png", cu_outdir());
	free(sh(&rc, "%s -q report %s -o %s --overwrite --page 2 --dpi 50 --lang en", cu_bin(),
	        report_plan(), png));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	s = cairo_image_surface_create_from_png(png);
	CU_ASSERT_EQUAL_FATAL(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
	CU_ASSERT_EQUAL(cairo_image_surface_get_width(s), 414); /* 595.28 pt at 50 dpi */
	share = ink(s, &colours);
	CU_ASSERT(share > 0.1);
	CU_ASSERT(colours >= 16);
	cairo_surface_destroy(s);
}

static void test_errors(void)
{
	int rc;
	char out[600], *o, *e, cmd[1600];
	snprintf(out, sizeof(out), "%s/report_p99.png", cu_outdir());
	snprintf(cmd, sizeof(cmd), "%s report %s -o %s --overwrite --page 99", cu_bin(),
	         report_plan(), out);
	rc = cu_run(cmd, &o, &e);
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(e, "stationplan: error: report: page 99 (the report has 5)"));
	free(o);
	free(e);
	FILE *f = fopen(out, "rb");
	CU_ASSERT_PTR_NULL(f); /* nothing written */
	if (f)
		fclose(f);
	snprintf(cmd, sizeof(cmd), "%s report %s", cu_bin(), report_plan());
	rc = cu_run(cmd, &o, &e);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(e, "report: -o FILE.pdf (or .png, .svg) is needed"));
	free(o);
	free(e);
	snprintf(cmd, sizeof(cmd), "%s report %s -o x.docx", cu_bin(), report_plan());
	rc = cu_run(cmd, &o, &e);
	CU_ASSERT_EQUAL(rc, 1);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(e, "report: 'x.docx' (the output must end in .pdf, .png or .svg)"));
	free(o);
	free(e);
}

/* The QGIS project stored in the plan: loads in headless QGIS 3.22, every
 * layer valid and in order, the view extent over the stations, a render
 * that is not blank (tests/qgis_project_check.py); Chinese layer names and
 * aliases with output.lang = zh. */
static void test_qgis_project(void)
{
	int rc;
	char zhplan[600], png[600];
	snprintf(zhplan, sizeof(zhplan), "%s/report_zh.gpkg", cu_outdir());
	snprintf(png, sizeof(png), "%s/report_project.png", cu_outdir());
	/* flexible splitting (the default) in counted work, as cu_e2e's
	 * test_demo_flexible: 53 urban stations, proven, and 43 villages */
	free(sh(&rc,
	        "%s -q run fixtures/demo/scenario.ini --set output.lang=zh "
	        "--set solver.work_limit=1000 -o %s --overwrite",
	        cu_bin(), zhplan));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	char *out = sh(
	    &rc,
	    "/usr/bin/python3 tests/qgis_project_check.py %s %s stations links uncovered districts "
	    "service_areas assignments summary_district summary_street run "
	    "run_subproblems 2>/dev/null",
	    zhplan, png);
	if (rc != 0)
		fprintf(stderr, "\nqgis_project_check.py:\n%s\n", out);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ok    project loads from"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ok    stations: valid, 96 features"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ok    render "));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ok    stations: labels \"station_id\" || '号 ' || "
	                                   "\"households\" || '户' up to 1:50000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "ok    stations: underfilled outlined"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\n0 failed\n"));
	free(out);
	/* the project's words in Chinese: unzip the stored .qgz and look */
	out = sh(&rc,
	         "/usr/bin/python3 -c \"import sqlite3, zipfile, io, sys\n"
	         "c = sqlite3.connect(sys.argv[1]).execute(\n"
	         "  \\\"SELECT content FROM qgis_projects WHERE name = "
	         "'stationplan'\\\").fetchone()[0]\n"
	         "z = zipfile.ZipFile(io.BytesIO(bytes.fromhex(c)))\n"
	         "sys.stdout.write(z.read('stationplan.qgs').decode())\" %s",
	         zhplan);
	CU_ASSERT_EQUAL(rc, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<layername>站点</layername>"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "<alias field=\"households\" index=\"5\" name=\"服务户数\"/>"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(out, "<datasource>./report_zh.gpkg|layername=stations</datasource>"));
	free(out);
}

/* Stations by phase: a plan whose stations carry a `phase` field (as
 * [phases] writes it) gets a marker shape per phase in the legend, in the
 * chosen language, with the underfilled marker and the other entries. */
static void test_legend_phases(void)
{
	int rc;
	char phased[600], zhpdf[600], enpdf[600];
	snprintf(phased, sizeof(phased), "%s/report_phased.gpkg", cu_outdir());
	snprintf(zhpdf, sizeof(zhpdf), "%s/report_phased_zh.pdf", cu_outdir());
	snprintf(enpdf, sizeof(enpdf), "%s/report_phased_en.pdf", cu_outdir());
	free(sh(&rc, "cp %s %s", report_plan(), phased));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	free(sh(&rc,
	        "ogrinfo -q %s -dialect SQLite -sql 'UPDATE stations SET phase = CASE WHEN "
	        "station_id %% 2 = 0 THEN 2025 ELSE 2030 END'",
	        phased));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	free(sh(&rc, "%s -q report %s -o %s --overwrite", cu_bin(), phased, zhpdf));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	free(sh(&rc, "%s -q report %s -o %s --overwrite --lang en", cu_bin(), phased, enpdf));
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	char *zh = sh(&rc, "pdftotext -f 1 -l 1 %s -", zhpdf);
	char *en = sh(&rc, "pdftotext -f 1 -l 1 %s -", enpdf);
	const char *zh_words[] = {"图例",        "城市站点",     "村级站点",     "建设期 2025",
	                          "建设期 2030", "未满负荷站点", "站点服务范围", "区（县）界",
	                          "未覆盖单元",  "北",           "10 km"};
	const char *en_words[] = {"Legend",
	                          "Urban station",
	                          "Village station",
	                          "Phase 2025",
	                          "Phase 2030",
	                          "Underfilled station",
	                          "Service area",
	                          "District boundary",
	                          "Uncovered unit",
	                          "N",
	                          "10 km"};
	for (size_t i = 0; i < sizeof(zh_words) / sizeof(zh_words[0]); i++) {
		CU_ASSERT_PTR_NOT_NULL(strstr(zh, zh_words[i]));
		CU_ASSERT_PTR_NOT_NULL(strstr(en, en_words[i]));
	}
	CU_ASSERT_PTR_NULL(strstr(en, "图例"));
	free(zh);
	free(en);
}

void report_suite_setup(void)
{
	CU_SUITE_ADD("report", NULL, NULL, CU_TEST_ENTRY(test_pdf_text_matches_tables),
	             CU_TEST_ENTRY(test_pdf_reproducible), CU_TEST_ENTRY(test_pages_not_blank),
	             CU_TEST_ENTRY(test_errors), CU_TEST_ENTRY(test_qgis_project),
	             CU_TEST_ENTRY(test_legend_phases));
}
