/*
 * cu_province.c: a province as shards, and PostGIS in and out, end to end.
 *
 * Shards: the single run of a scenario and the merge of its shards (run
 * --shard K/N, planned by GNU parallel through scripts/shards.sh, or by the
 * command lines scripts/slurm_shards.sh gives Slurm) must be equal layer by
 * layer: every row's fid, every field's value and every geometry's bytes
 * (WKB) of stations, service_areas, assignments, links, uncovered,
 * summary_district, summary_street and run_subproblems. The province
 * fixture (fixtures/province: three Yinchuan districts, mkcity seed 1) cuts
 * into whole districts; the e2e scenario with existing stations into reach
 * components.
 *
 * PostGIS: a throwaway PostgreSQL 15 + PostGIS 3 cluster is started by
 * scripts/pgtmp.sh for this suite (initdb in build/test-out, Unix socket,
 * no TCP, no service) and stopped at the end. The province is loaded into
 * it with ogr2ogr, planned from it and into it (-o PG:, output.schema), and
 * every layer of the schema must equal the GeoPackage of the same plan;
 * units (table or SQL), existing stations, candidates and exclusion zones
 * read from database tables give the same plans as from the files;
 * styles must be in public.layer_styles; an existing schema is refused; a
 * failing write leaves no schema behind. Where the PostgreSQL packages are
 * missing these tests print SKIPPED (and pass nothing else).
 */
#include <CUnit/CUnit.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>

#include "cu_tester.h"

#define PROV_INI     "fixtures/province/scenario.ini"
#define PROV_UNITS   "fixtures/province/units.gpkg"
#define EXISTING_INI "fixtures/e2e/scenario_existing.ini"

static const char *const plan_layers[] = {
    "stations",  "service_areas",    "assignments",    "links",
    "uncovered", "summary_district", "summary_street", "run_subproblems",
};
#define NPLAN (sizeof(plan_layers) / sizeof(plan_layers[0]))

/* ---- helpers ------------------------------------------------------------ */

static int run(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int run(char **err, const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	char *out = NULL, *e = NULL;
	char wrapped[8300];
	snprintf(wrapped, sizeof(wrapped), "( %s )", cmd);
	int rc = cu_run(wrapped, &out, &e);
	free(out);
	if (err)
		*err = e;
	else
		free(e);
	return rc;
}

static const char *outpath(const char *name)
{
	static char buf[16][600];
	static int i;
	i = (i + 1) % 16;
	snprintf(buf[i], sizeof(buf[i]), "%s/province-%s", cu_outdir(), name);
	return buf[i];
}

typedef struct frow {
	long long fid;
	OGRFeatureH f;
} frow;

static int cmp_frow(const void *a, const void *b)
{
	long long x = ((const frow *)a)->fid, y = ((const frow *)b)->fid;
	return (x > y) - (x < y);
}

/* The features of `l` sorted by fid; *n their count. */
static frow *rows_of(OGRLayerH l, size_t *n)
{
	size_t cap = (size_t)OGR_L_GetFeatureCount(l, TRUE) + 1;
	frow *r = calloc(cap, sizeof(frow));
	*n = 0;
	OGRFeatureH f;
	OGR_L_ResetReading(l);
	while ((f = OGR_L_GetNextFeature(l)) && *n < cap)
		r[(*n)++] = (frow){OGR_F_GetFID(f), f};
	qsort(r, *n, sizeof(frow), cmp_frow);
	return r;
}

static int geoms_equal(OGRGeometryH a, OGRGeometryH b)
{
	if (!a || !b)
		return !a && !b;
	int na = OGR_G_WkbSize(a), nb = OGR_G_WkbSize(b);
	if (na != nb)
		return 0;
	unsigned char *wa = malloc((size_t)na), *wb = malloc((size_t)nb);
	OGR_G_ExportToIsoWkb(a, wkbNDR, wa);
	OGR_G_ExportToIsoWkb(b, wkbNDR, wb);
	int eq = memcmp(wa, wb, (size_t)na) == 0;
	free(wa);
	free(wb);
	return eq;
}

/* Layer `name` of a and b: same rows (fid), fields (names, values as text)
 * and geometries (WKB). Returns 1, or 0 with `why` saying the first
 * difference. */
static int layer_equal(GDALDatasetH a, GDALDatasetH b, const char *name, char *why, size_t wn)
{
	OGRLayerH la = GDALDatasetGetLayerByName(a, name), lb = GDALDatasetGetLayerByName(b, name);
	if (!la || !lb) {
		snprintf(why, wn, "%s: missing in %s", name, la ? "B" : "A");
		return 0;
	}
	size_t na, nb;
	frow *ra = rows_of(la, &na), *rb = rows_of(lb, &nb);
	int ok = na == nb;
	if (!ok)
		snprintf(why, wn, "%s: %zu rows vs %zu", name, na, nb);
	for (size_t i = 0; ok && i < na; i++) {
		OGRFeatureH fa = ra[i].f, fb = rb[i].f;
		int nf = OGR_F_GetFieldCount(fa);
		if (ra[i].fid != rb[i].fid || nf != OGR_F_GetFieldCount(fb)) {
			snprintf(why, wn, "%s: row %zu: fid %lld vs %lld", name, i, ra[i].fid,
			         rb[i].fid);
			ok = 0;
		}
		for (int k = 0; ok && k < nf; k++) {
			const char *fname = OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(fa, k));
			int kb = OGR_F_GetFieldIndex(fb, fname);
			int sa = OGR_F_IsFieldSetAndNotNull(fa, k);
			int sb = kb >= 0 && OGR_F_IsFieldSetAndNotNull(fb, kb);
			const char *va = sa ? OGR_F_GetFieldAsString(fa, k) : "(null)";
			char *vcopy = strdup(va); /* the next call reuses the buffer */
			const char *vb = sb ? OGR_F_GetFieldAsString(fb, kb) : "(null)";
			if (kb < 0 || sa != sb || strcmp(vcopy, vb)) {
				snprintf(why, wn, "%s fid %lld: %s = '%.60s' vs '%.60s'", name,
				         ra[i].fid, fname, vcopy, kb < 0 ? "(no field)" : vb);
				ok = 0;
			}
			free(vcopy);
		}
		if (ok && !geoms_equal(OGR_F_GetGeometryRef(fa), OGR_F_GetGeometryRef(fb))) {
			snprintf(why, wn, "%s fid %lld: geometries differ", name, ra[i].fid);
			ok = 0;
		}
	}
	for (size_t i = 0; i < na; i++)
		OGR_F_Destroy(ra[i].f);
	for (size_t i = 0; i < nb; i++)
		OGR_F_Destroy(rb[i].f);
	free(ra);
	free(rb);
	return ok;
}

static GDALDatasetH open_ro(const char *path)
{
	GDALAllRegister();
	return GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
}

/* Every plan layer of a and b equal; asserts with the difference shown. */
static void assert_plans_equal(const char *a, const char *b)
{
	GDALDatasetH da = open_ro(a), db = open_ro(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(da);
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	for (size_t i = 0; i < NPLAN; i++) {
		char why[512] = "";
		int eq = layer_equal(da, db, plan_layers[i], why, sizeof(why));
		if (!eq)
			fprintf(stderr, "\n    %s vs %s: %s\n", a, b, why);
		CU_ASSERT_TRUE(eq);
	}
	GDALClose(da);
	GDALClose(db);
}

static long long sql_int(GDALDatasetH ds, const char *sql)
{
	OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
	if (!l)
		return -999999;
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	long long v = f ? OGR_F_GetFieldAsInteger64(f, 0) : -999999;
	if (f)
		OGR_F_Destroy(f);
	GDALDatasetReleaseResultSet(ds, l);
	return v;
}

/* ---- shards ------------------------------------------------------------- */

static void test_shard_arguments(void)
{
	char *err = NULL;
	CU_ASSERT_EQUAL(
	    run(&err, "%s run %s --shard 0/3 -o %s", cu_bin(), PROV_INI, outpath("x.gpkg")), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "run: --shard '0/3' (must be K/N with 1 <= K <= N)"));
	free(err);
	CU_ASSERT_EQUAL(run(&err, "%s run %s --shard 1/3 --shard-by street -o %s", cu_bin(),
	                    PROV_INI, outpath("x.gpkg")),
	                1);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err, "run: --shard-by 'street' (must be district or component)"));
	free(err);
	CU_ASSERT_EQUAL(
	    run(&err, "%s run %s --shard-by district -o %s", cu_bin(), PROV_INI, outpath("x.gpkg")),
	    1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "run: --shard-by needs --shard K/N"));
	free(err);
}

/* One-layer formats are refused before any work, naming the format. */
static void test_output_one_layer_refused(void)
{
	char *err = NULL;
	CU_ASSERT_EQUAL(run(&err, "%s run %s -o %s", cu_bin(), PROV_INI, outpath("plan.fgb")), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    err, "the FlatGeobuf format (the extension '.fgb') cannot hold the plan's layers"));
	free(err);
	CU_ASSERT_EQUAL(run(&err, "%s run %s -o %s", cu_bin(), PROV_INI, outpath("plan.geojson")),
	                1);
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    err, "the GeoJSON format (the extension '.geojson') cannot hold the plan's layers"));
	free(err);
	CU_ASSERT_EQUAL(run(NULL, "test -e %s", outpath("plan.geojson")), 1);
}

/* Three districts, three shards by GNU parallel (2 at a time), merged. */
static void test_shards_parallel_districts(void)
{
	const char *single = outpath("single.gpkg"), *merged = outpath("merged.gpkg");
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), PROV_INI, single), 0);
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "SP_BIN=%s scripts/shards.sh -j 2 -k %s 3 %s", cu_bin(), PROV_INI, merged),
	    0);
	assert_plans_equal(single, merged);

	/* each shard holds one whole district */
	char shard[600];
	for (int k = 1; k <= 3; k++) {
		snprintf(shard, sizeof(shard), "%s/province-merged-shards/shard-%d.gpkg",
		         cu_outdir(), k);
		GDALDatasetH ds = open_ro(shard);
		CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
		CU_ASSERT_EQUAL(sql_int(ds, "SELECT groups FROM shard"), 3);
		CU_ASSERT_EQUAL(sql_int(ds, "SELECT COUNT(DISTINCT district) FROM assignments"), 1);
		GDALClose(ds);
	}
	GDALDatasetH m = open_ro(merged);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM run_shards"), 3);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT SUM(units) FROM run_shards"), 256);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'shard%'"),
	                0);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT units FROM run"), 256);
	GDALClose(m);
}

/* A station budget is the whole plan's: run --shard refuses it (exit 1,
 * nothing written) for each way of giving one. */
static void test_shard_budget_refused(void)
{
	static const char *const sets[] = {"rules.max_stations=20", "rules.stations=20",
	                                   "phases.2025=20"};
	const char *out = outpath("budget-shard.gpkg");
	for (size_t i = 0; i < 3; i++) {
		char *err = NULL;
		CU_ASSERT_EQUAL(run(&err, "%s run %s --set %s --shard 1/2 -o %s --overwrite",
		                    cu_bin(), PROV_INI, sets[i], out),
		                1);
		CU_ASSERT_PTR_NOT_NULL(
		    err ? strstr(err,
		                 "run: --shard 1/2 with a station budget (rules.max_stations, "
		                 "rules.stations or [phases]): the budget is the whole plan's, "
		                 "so plan this scenario in one run")
		        : NULL);
		free(err);
		CU_ASSERT_EQUAL(run(NULL, "test -e %s", out), 1);
	}
}

/* Existing stations, four shards of reach components. */
static void test_shards_components_existing(void)
{
	const char *single = outpath("ex-single.gpkg"), *merged = outpath("ex-merged.gpkg");
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), EXISTING_INI, single), 0);
	CU_ASSERT_EQUAL_FATAL(run(NULL, "SP_BIN=%s scripts/shards.sh -b component %s 4 %s",
	                          cu_bin(), EXISTING_INI, merged),
	                      0);
	assert_plans_equal(single, merged);
	GDALDatasetH m = open_ro(merged);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM run_shards WHERE shard_by = 'component'"),
	                4);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM stations WHERE kind = 'existing'"),
	                sql_int(m, "SELECT COUNT(*) FROM stations WHERE site_source = 'existing'"));
	GDALClose(m);
}

static void test_merge_refusals(void)
{
	char *err = NULL;
	const char *s1 = outpath("r1.gpkg"), *s2 = outpath("r2.gpkg"), *out = outpath("r.gpkg");
	const char *single = outpath("r-single.gpkg");
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), PROV_INI, single), 0);
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s --shard 1/3 -o %s --overwrite", cu_bin(), PROV_INI, s1), 0);
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s --shard 2/3 -o %s --overwrite", cu_bin(), PROV_INI, s2), 0);
	CU_ASSERT_EQUAL(run(&err, "%s merge %s %s %s --overwrite", cu_bin(), out, s1, s2), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "shard 3/3 is missing (2 of 3 files given)"));
	free(err);
	CU_ASSERT_EQUAL(run(&err, "%s merge %s %s %s %s --overwrite", cu_bin(), out, s1, s2, s1),
	                2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "are both shard 1/3"));
	free(err);
	CU_ASSERT_EQUAL(
	    run(&err, "%s merge %s %s --overwrite", cu_bin(), out, outpath("single.gpkg")), 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no table 'shard' (not a shard of run --shard K/N)"));
	free(err);
	CU_ASSERT_EQUAL(run(&err, "%s merge %s", cu_bin(), out), 1);
	free(err);
	CU_ASSERT_EQUAL(run(NULL, "test -e %s", out), 1); /* nothing written */
}

/* ---- upper levels on the merged stations ---------------------------------- */

#define PROV_LEVELS_INI "fixtures/province/scenario_levels.ini"

/* The layers of the upper levels and what merge rewrites with them. */
static const char *const level_layers[] = {
    "flows", "unplaced", "run_levels", "parcels_used", "layer_styles",
};
#define NLEVEL (sizeof(level_layers) / sizeof(level_layers[0]))

/* Layers `names` of a and b equal. */
static void assert_layers_equal(const char *a, const char *b, const char *const *names, size_t n)
{
	GDALDatasetH da = open_ro(a), db = open_ro(b);
	CU_ASSERT_PTR_NOT_NULL_FATAL(da);
	CU_ASSERT_PTR_NOT_NULL_FATAL(db);
	for (size_t i = 0; i < n; i++) {
		char why[512] = "";
		int eq = layer_equal(da, db, names[i], why, sizeof(why));
		if (!eq)
			fprintf(stderr, "\n    %s vs %s: %s\n", a, b, why);
		CU_ASSERT_TRUE(eq);
	}
	GDALClose(da);
	GDALClose(db);
}

/* Three districts as three shards; merge plans a transfer station per
 * street and a sorting centre per district on the merged stations, taking
 * the scenario from the shards' run record: every layer, the levels' and
 * the districts' included, equals the single run's. */
static void test_merge_levels_districts(void)
{
	const char *single = outpath("lv-single.gpkg"), *merged = outpath("lv-merged.gpkg");
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), PROV_LEVELS_INI, single), 0);
	CU_ASSERT_EQUAL_FATAL(run(NULL, "SP_BIN=%s scripts/shards.sh -j 2 -k %s 3 %s", cu_bin(),
	                          PROV_LEVELS_INI, merged),
	                      0);
	assert_plans_equal(single, merged);
	static const char *const more[] = {"transfer_stations", "sorting_centres", "districts"};
	assert_layers_equal(single, merged, level_layers, NLEVEL);
	assert_layers_equal(single, merged, more, 3);
	GDALDatasetH m = open_ro(merged);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM transfer_stations"), 27);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM sorting_centres"), 3);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM flows"), 193 + 27);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT SUM(households) FROM sorting_centres"),
	                sql_int(m, "SELECT SUM(households) FROM stations"));
	CU_ASSERT_EQUAL(sql_int(m, "SELECT SUM(sorting_centres) FROM summary_district"), 3);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM layer_styles WHERE f_table_name = "
	                           "'transfer_stations'"),
	                1);
	GDALClose(m);
	/* a shard plans the stations only */
	char shard[600];
	snprintf(shard, sizeof(shard), "%s/province-lv-merged-shards/shard-1.gpkg", cu_outdir());
	GDALDatasetH s = open_ro(shard);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_PTR_NULL(GDALDatasetGetLayerByName(s, "transfer_stations"));
	CU_ASSERT_EQUAL(sql_int(s, "SELECT COUNT(*) FROM shard_stations WHERE x > 0 AND y > 0"),
	                sql_int(s, "SELECT COUNT(*) FROM stations"));
	GDALClose(s);
}

/* Lianyungang's three levels (candidates, a capacity in t/day, a market at
 * a sorting centre) over reach components: the levels planned by merge
 * equal the single run's. The scenario is given with --scenario. */
static void test_merge_levels_components(void)
{
	const char *ini = "fixtures/levels/lianyungang.ini";
	const char *single = outpath("ly-single.gpkg"), *merged = outpath("ly-merged.gpkg");
	CU_ASSERT_EQUAL_FATAL(run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), ini, single),
	                      0);
	char files[2000] = "";
	for (int k = 1; k <= 3; k++) {
		char one[600];
		snprintf(one, sizeof(one), "%s/province-ly-%d.gpkg", cu_outdir(), k);
		CU_ASSERT_EQUAL_FATAL(
		    run(NULL, "%s -q run %s --shard %d/3 --shard-by component -o %s --overwrite",
		        cu_bin(), ini, k, one),
		    0);
		strcat(files, " ");
		strcat(files, one);
	}
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q merge %s%s --scenario %s --overwrite", cu_bin(), merged, files, ini),
	    0);
	assert_plans_equal(single, merged);
	static const char *const more[] = {"collection_points", "sorting_centres", "markets"};
	assert_layers_equal(single, merged, level_layers, NLEVEL);
	assert_layers_equal(single, merged, more, 3);
	GDALDatasetH m = open_ro(merged);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM collection_points"), 16);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM sorting_centres"), 2);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM markets"), 1);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM flows"), 97 + 16 + 2);
	/* one row per district, its counts summed over the shards */
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM districts"), 1);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT units FROM districts"), 148);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT stations FROM districts"), 97);
	GDALClose(m);
}

/* The demo district walked along its streets (issue 17) with two levels
 * on the same streets, as two component shards: the links of each shard
 * and the flows merge plans are the single run's walks (the shard draws
 * them on the whole network, merge attaches the whole input's candidate
 * sites again), and every record says network. */
static void test_merge_levels_roads(void)
{
	const char *ini = "fixtures/roads/levels.ini";
	const char *single = outpath("rd-single.gpkg"), *merged = outpath("rd-merged.gpkg");
	CU_ASSERT_EQUAL_FATAL(run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), ini, single),
	                      0);
	CU_ASSERT_EQUAL_FATAL(run(NULL, "SP_BIN=%s scripts/shards.sh -j 2 -k -b component %s 2 %s",
	                          cu_bin(), ini, merged),
	                      0);
	assert_plans_equal(single, merged);
	static const char *const more[] = {"transfer_stations", "sorting_centres", "run"};
	assert_layers_equal(single, merged, level_layers, NLEVEL);
	assert_layers_equal(single, merged, more, 3);
	GDALDatasetH m = open_ro(merged);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM run WHERE distance = 'network'"), 1);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM run_levels WHERE distance = 'network'"),
	                2);
	/* walks, not straight segments: some link and some flow bend */
	CU_ASSERT_TRUE(sql_int(m, "SELECT COUNT(*) FROM links WHERE ST_NumPoints(geom) > 2") > 0);
	CU_ASSERT_TRUE(sql_int(m, "SELECT COUNT(*) FROM flows WHERE ST_NumPoints(geom) > 2") > 0);
	GDALClose(m);
	char shard[600];
	snprintf(shard, sizeof(shard), "%s/province-rd-merged-shards/shard-1.gpkg", cu_outdir());
	GDALDatasetH s = open_ro(shard);
	CU_ASSERT_PTR_NOT_NULL_FATAL(s);
	CU_ASSERT_EQUAL(sql_int(s, "SELECT COUNT(*) FROM run WHERE distance = 'network'"), 1);
	GDALClose(s);
}

/* Yinchuan's one point per administrative village: the natural villages of
 * one administrative village stay in one shard, and a shard solves with
 * the single run's objective scale on the rural pre-pass's view, so the
 * merged stations (and the levels on them) are the single run's. */
static void test_merge_admin_villages(void)
{
	const char *ini = "fixtures/levels/yinchuan.ini";
	const char *single = outpath("yc-single.gpkg"), *merged = outpath("yc-merged.gpkg");
	CU_ASSERT_EQUAL_FATAL(run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), ini, single),
	                      0);
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "SP_BIN=%s scripts/shards.sh -b component %s 3 %s", cu_bin(), ini, merged),
	    0);
	assert_plans_equal(single, merged);
	static const char *const more[] = {"transfer_stations", "sorting_centres"};
	assert_layers_equal(single, merged, more, 2);
	GDALDatasetH m = open_ro(merged);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM stations"), 314);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT COUNT(*) FROM sorting_centres"), 5);
	CU_ASSERT_EQUAL(sql_int(m, "SELECT urban_stations FROM run"), 299);
	GDALClose(m);
}

/* merge refuses a scenario that is not the shards', a recorded scenario it
 * cannot read, and --set without --scenario; nothing is written. */
static void test_merge_levels_refusals(void)
{
	const char *s1 = outpath("lvr-1.gpkg"), *s2 = outpath("lvr-2.gpkg");
	const char *out = outpath("lvr.gpkg");
	char *err = NULL;
	for (int k = 1; k <= 2; k++)
		CU_ASSERT_EQUAL_FATAL(run(NULL, "%s -q run %s --shard %d/2 -o %s --overwrite",
		                          cu_bin(), PROV_LEVELS_INI, k, k == 1 ? s1 : s2),
		                      0);
	CU_ASSERT_EQUAL(run(&err,
	                    "%s -q merge %s %s %s --scenario %s --set rules.households_max=4000",
	                    cu_bin(), out, s1, s2, PROV_LEVELS_INI),
	                2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "merge: the scenario differs from the shards' ('"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "'rules.households_max = 4000' here, "
	                                   "'rules.households_max = 5000' in the shard"));
	free(err);
	CU_ASSERT_EQUAL(run(&err, "%s -q merge %s %s %s --scenario %s", cu_bin(), out, s1, s2,
	                    "fixtures/levels/lianyungang.ini"),
	                2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "merge: the scenario differs from the shards'"));
	free(err);
	/* the record names fixtures/province/scenario_levels.ini: not from /tmp */
	CU_ASSERT_EQUAL(
	    run(&err,
	        "b=$(realpath %s) o=$(realpath %s) a=$(realpath %s) c=$(realpath %s) && "
	        "cd / && $b -q merge $o/province-lvr.gpkg $a $c",
	        cu_bin(), cu_outdir(), s1, s2),
	    2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err,
	                              "and their scenario 'fixtures/province/scenario_levels.ini' "
	                              "(from the run record of '"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err, "cannot be read from here: give it with --scenario S.ini"));
	free(err);
	CU_ASSERT_EQUAL(run(&err, "%s -q merge %s %s %s --set rules.households_max=4000", cu_bin(),
	                    out, s1, s2),
	                1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "merge: --set needs --scenario S.ini"));
	free(err);
	CU_ASSERT_EQUAL(run(NULL, "test -e %s", out), 1); /* nothing written */
}

/* ---- the cut made once (stationplan shards, run --cut) --------------------- */

/* First line of `path` starting with `prefix`, into buf; "" when none. */
static const char *line_of(const char *path, const char *prefix, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	buf[0] = '\0';
	while (f && fgets(buf, (int)n, f)) {
		if (!strncmp(buf, prefix, strlen(prefix))) {
			buf[strcspn(buf, "\n")] = '\0';
			fclose(f);
			return buf;
		}
	}
	if (f)
		fclose(f);
	buf[0] = '\0';
	return buf;
}

/* The cut made once, each shard reading and building only its districts:
 * the merged plan equals the single run's. */
static void test_shards_cut_districts(void)
{
	const char *single = outpath("cut-single.gpkg"), *merged = outpath("cut-merged.gpkg");
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), PROV_INI, single), 0);
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "SP_BIN=%s scripts/shards.sh -c -k %s 3 %s", cu_bin(), PROV_INI, merged), 0);
	assert_plans_equal(single, merged);
	static const char *const more[] = {"districts", "layer_styles"};
	assert_layers_equal(single, merged, more, 2);
	char cut[600], line[512];
	snprintf(cut, sizeof(cut), "%s/province-cut-merged-shards/cut", cu_outdir());
	CU_ASSERT_STRING_EQUAL(line_of(cut, "stationplan", line, sizeof(line)),
	                       "stationplan cut 1");
	CU_ASSERT_STRING_EQUAL(line_of(cut, "shards", line, sizeof(line)),
	                       "shards 3 by district groups 3 units 256 sites 1936");
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(line_of(cut, "shard 1 ", line, sizeof(line)), "units 85 sites 834 pairs 3187"));
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(line_of(cut, "shard 3 ", line, sizeof(line)), "units 89 sites 294 pairs 964"));
	/* a shard reads only its units */
	char *out = NULL, *err = NULL, cmd[2000];
	snprintf(cmd, sizeof(cmd), "%s -v run %s --shard 3/3 --cut %s -o %s --overwrite", cu_bin(),
	         PROV_INI, cut, outpath("cut-3.gpkg"));
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "read: 89 units in EPSG:4544"));
	CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "shard 3/3 by district (cut '"));
	CU_ASSERT_PTR_NOT_NULL(err && strstr(err, "89 of 256 units, 3 groups"));
	free(out);
	free(err);
}

/* Reach components with existing stations, cut once into four. */
static void test_shards_cut_components(void)
{
	const char *single = outpath("cutc-single.gpkg"), *merged = outpath("cutc-merged.gpkg");
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), EXISTING_INI, single), 0);
	CU_ASSERT_EQUAL_FATAL(run(NULL, "SP_BIN=%s scripts/shards.sh -c -b component %s 4 %s",
	                          cu_bin(), EXISTING_INI, merged),
	                      0);
	assert_plans_equal(single, merged);
}

/* A cut of another scenario, input or shard count is refused; so are a
 * file that is no cut and tables that do not match it. */
static void test_cut_refusals(void)
{
	const char *cut = outpath("r.cut"), *bad = outpath("bad.cut"), *o = outpath("rc.gpkg");
	char *err = NULL;
	CU_ASSERT_EQUAL_FATAL(run(NULL, "%s -q shards %s 3 -o %s", cu_bin(), PROV_INI, cut), 0);
	CU_ASSERT_EQUAL(run(&err, "%s -q run %s --cut %s -o %s", cu_bin(), PROV_INI, cut, o), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "run: --cut needs --shard K/N"));
	free(err);
	CU_ASSERT_EQUAL(
	    run(&err, "%s -q run %s --shard 1/4 --cut %s -o %s", cu_bin(), PROV_INI, cut, o), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "run: --shard 1/4 --shard-by district, but the cut '"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "' is 3 shards by district"));
	free(err);
	CU_ASSERT_EQUAL(run(&err,
	                    "%s -q run %s --shard 1/3 --cut %s -o %s --set "
	                    "rules.walk_distance_m=800",
	                    cu_bin(), PROV_INI, cut, o),
	                2);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err, "' was made with another scenario or input (fingerprint "));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "make it again with stationplan shards"));
	free(err);
	CU_ASSERT_EQUAL(
	    run(&err, "%s -q run %s --shard 1/3 --cut %s -o %s", cu_bin(), EXISTING_INI, cut, o),
	    2);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err, "features, the cut was made on 256: make the cut again"));
	free(err);
	CU_ASSERT_EQUAL(
	    run(&err, "%s -q run %s --shard 1/3 --cut %s -o %s", cu_bin(), PROV_INI, PROV_INI, o),
	    2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "scenario.ini:1: not a stationplan cut"));
	free(err);
	/* a fingerprint that is not the shard's tables: stop, nothing written */
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "sed 's/^\\(shard 1 .* sitehash \\)[0-9a-f]*/\\10000000000000000/' %s > %s",
	        cut, bad),
	    0);
	CU_ASSERT_EQUAL(
	    run(&err, "%s -q run %s --shard 1/3 --cut %s -o %s", cu_bin(), PROV_INI, bad, o), 4);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "shard 1/3: the cut '"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "' gives it 85 units, 834 sites, 3187 pairs (site "
	                                   "fingerprint 0000000000000000"));
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "its tables differ from the whole problem's"));
	free(err);
	CU_ASSERT_EQUAL(run(NULL, "test -e %s", o), 1);
}

/* The Slurm recipe's command lines (scripts/slurm_shards.sh -n), run here
 * as Slurm would run them: the array task's --wrap once per
 * SLURM_ARRAY_TASK_ID, then the merge job's. */
static void test_slurm_command_lines(void)
{
	const char *single = outpath("slurm-single.gpkg"), *out = outpath("slurm.gpkg");
	const char *lines = outpath("slurm-lines.txt"), *extract = outpath("slurm-wrap.sh");
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), PROV_INI, single), 0);
	CU_ASSERT_EQUAL_FATAL(run(NULL,
	                          "SP_BIN=%s scripts/slurm_shards.sh -n -m 2G %s 3 %s -- "
	                          "--threads 1 > %s",
	                          cu_bin(), PROV_INI, out, lines),
	                      0);
	FILE *f = fopen(lines, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	char l1[4096] = "", l2[4096] = "";
	CU_ASSERT_PTR_NOT_NULL(fgets(l1, sizeof(l1), f));
	CU_ASSERT_PTR_NOT_NULL(fgets(l2, sizeof(l2), f));
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(l1, "sbatch --parsable --job-name=stationplan-shards "
	                                  "--array=1-3 --mem=2G --time=00:30:00 "
	                                  "--cpus-per-task=1"));
	CU_ASSERT_PTR_NOT_NULL(strstr(l1, "--shard $SLURM_ARRAY_TASK_ID/3 --shard-by district"));
	CU_ASSERT_PTR_NOT_NULL(strstr(l2, "sbatch --parsable --job-name=stationplan-merge "
	                                  "--dependency=afterok:JOB"));
	/* the --wrap word of line N of the file, as sbatch receives it */
	f = fopen(extract, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f,
	        "eval \"set -- $(sed -n \"$1p\" '%s')\"\n"
	        "for a; do case $a in --wrap=*) printf '%%s\\n' \"${a#--wrap=}\" ;; esac; done\n",
	        lines);
	fclose(f);
	const char *p1 = outpath("slurm-task.sh"), *p2 = outpath("slurm-merge.sh");
	CU_ASSERT_EQUAL_FATAL(run(NULL, "sh %s 1 > %s && sh %s 2 > %s", extract, p1, extract, p2),
	                      0);
	CU_ASSERT_EQUAL(run(NULL,
	                    "rm -rf %s/province-slurm-shards && mkdir %s/province-slurm-shards",
	                    cu_outdir(), cu_outdir()),
	                0);
	for (int k = 1; k <= 3; k++)
		CU_ASSERT_EQUAL(run(NULL, "SLURM_ARRAY_TASK_ID=%d sh %s", k, p1), 0);
	CU_ASSERT_EQUAL(run(NULL, "sh %s", p2), 0);
	assert_plans_equal(single, out);
}

/* The Slurm recipe with the cut made once (-c): the cut job's --wrap, the
 * array task's once per SLURM_ARRAY_TASK_ID (after the cut), the merge's. */
static void test_slurm_cut_command_lines(void)
{
	const char *single = outpath("slurmc-single.gpkg"), *out = outpath("slurmc.gpkg");
	const char *lines = outpath("slurmc-lines.txt"), *extract = outpath("slurmc-wrap.sh");
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), PROV_INI, single), 0);
	CU_ASSERT_EQUAL_FATAL(run(NULL,
	                          "SP_BIN=%s scripts/slurm_shards.sh -n -c -m 2G %s 3 %s -- "
	                          "--threads 1 > %s",
	                          cu_bin(), PROV_INI, out, lines),
	                      0);
	char line[600];
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    line_of(lines, "sbatch --parsable --job-name=stationplan-cut", line, sizeof(line)),
	    "--cpus-per-task=2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    line_of(lines, "sbatch --parsable --job-name=stationplan-shards", line, sizeof(line)),
	    "--array=1-3 --dependency=afterok:CUTJOB --mem=2G"));
	FILE *f = fopen(extract, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f,
	        "eval \"set -- $(sed -n \"$1p\" '%s')\"\n"
	        "for a; do case $a in --wrap=*) printf '%%s\\n' \"${a#--wrap=}\" ;; esac; done\n",
	        lines);
	fclose(f);
	const char *p0 = outpath("slurmc-cut.sh"), *p1 = outpath("slurmc-task.sh"),
	           *p2 = outpath("slurmc-merge.sh");
	CU_ASSERT_EQUAL_FATAL(run(NULL, "sh %s 1 > %s && sh %s 2 > %s && sh %s 3 > %s", extract, p0,
	                          extract, p1, extract, p2),
	                      0);
	CU_ASSERT_EQUAL(run(NULL,
	                    "rm -rf %s/province-slurmc-shards && mkdir %s/province-slurmc-shards",
	                    cu_outdir(), cu_outdir()),
	                0);
	CU_ASSERT_EQUAL(run(NULL, "sh %s", p0), 0);
	for (int k = 1; k <= 3; k++)
		CU_ASSERT_EQUAL(run(NULL, "SLURM_ARRAY_TASK_ID=%d sh %s", k, p1), 0);
	CU_ASSERT_EQUAL(run(NULL, "sh %s", p2), 0);
	assert_plans_equal(single, out);
}

/* ---- PostGIS ------------------------------------------------------------ */

static char pg_conn[1024]; /* "PG:host=... dbname=sp user=..." or "" */
static char pg_dir[600];

static int pg_start(void)
{
	snprintf(pg_dir, sizeof(pg_dir), "%s/province-pg", cu_outdir());
	char cmd[1400], *out = NULL, *err = NULL;
	snprintf(cmd, sizeof(cmd), "scripts/pgtmp.sh stop %s; scripts/pgtmp.sh start %s", pg_dir,
	         pg_dir);
	int rc = cu_run(cmd, &out, &err);
	if (rc == 0 && out) {
		snprintf(pg_conn, sizeof(pg_conn), "%s", out);
		pg_conn[strcspn(pg_conn, "\n")] = '\0';
	} else {
		fprintf(stderr, "\n    PostGIS tests SKIPPED: %s", err ? err : "pgtmp.sh failed");
		pg_conn[0] = '\0';
	}
	free(out);
	free(err);
	return 0;
}

static int pg_stop(void)
{
	if (pg_dir[0])
		run(NULL, "scripts/pgtmp.sh stop %s", pg_dir);
	return 0;
}

static int pg_skip(void)
{
	if (pg_conn[0])
		return 0;
	fprintf(stderr, "SKIPPED (no PostgreSQL 15 + PostGIS 3 here) ");
	return 1;
}

/* Load the province and the e2e inputs into schema `city`. */
static void pg_load(void)
{
	static int loaded;
	if (loaded)
		return;
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL,
	        "ogrinfo -q '%s' -sql 'CREATE SCHEMA city' && "
	        "ogr2ogr -f PostgreSQL '%s' %s units -nln province -lco SCHEMA=city && "
	        "ogr2ogr -f PostgreSQL '%s' fixtures/demo/units.gpkg units -nln demo "
	        "-lco SCHEMA=city && ogr2ogr -f PostgreSQL '%s' fixtures/e2e/existing.geojson "
	        "-nln existing -lco SCHEMA=city && ogr2ogr -f PostgreSQL '%s' "
	        "fixtures/e2e/candidates.geojson -nln candidates -lco SCHEMA=city && ogr2ogr -f "
	        "PostgreSQL '%s' fixtures/e2e/exclude.geojson -nln exclude -lco SCHEMA=city",
	        pg_conn, pg_conn, PROV_UNITS, pg_conn, pg_conn, pg_conn, pg_conn),
	    0);
	loaded = 1;
}

static GDALDatasetH pg_open_schema(const char *schema)
{
	char c[1200];
	snprintf(c, sizeof(c), "%s active_schema=%s", pg_conn, schema);
	return open_ro(c);
}

/* Plan the province read from the database into schema plan_a; every layer
 * equals the GeoPackage of the same plan; styles in public.layer_styles. */
static void test_pg_plan_from_and_into(void)
{
	if (pg_skip())
		return;
	pg_load();
	const char *gpkg = outpath("pg-file.gpkg");
	CU_ASSERT_EQUAL_FATAL(run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), PROV_INI, gpkg),
	                      0);
	CU_ASSERT_EQUAL_FATAL(run(NULL,
	                          "%s -q run %s --set 'input.units=%s' --set "
	                          "input.units_layer=city.province -o '%s' --set "
	                          "output.schema=plan_a",
	                          cu_bin(), PROV_INI, pg_conn, pg_conn),
	                      0);
	GDALDatasetH a = open_ro(gpkg), b = pg_open_schema("plan_a");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (size_t i = 0; i < NPLAN; i++) {
		char why[512] = "";
		int eq = layer_equal(a, b, plan_layers[i], why, sizeof(why));
		if (!eq)
			fprintf(stderr, "\n    PostGIS vs GeoPackage: %s\n", why);
		CU_ASSERT_TRUE(eq);
	}
	CU_ASSERT_EQUAL(sql_int(b, "SELECT COUNT(*) FROM public.layer_styles WHERE "
	                           "f_table_schema = 'plan_a' AND useasdefault AND "
	                           "f_geometry_column = 'geom' AND f_table_catalog = 'sp'"),
	                sql_int(a, "SELECT COUNT(*) FROM layer_styles"));
	CU_ASSERT_EQUAL(sql_int(b, "SELECT COUNT(*) FROM public.layer_styles s JOIN "
	                           "geometry_columns g ON g.f_table_schema = s.f_table_schema AND "
	                           "g.f_table_name = s.f_table_name WHERE s.f_table_schema = "
	                           "'plan_a'"),
	                sql_int(a,
	                        "SELECT COUNT(*) FROM layer_styles s JOIN gpkg_geometry_columns g "
	                        "ON g.table_name = s.f_table_name"));
	CU_ASSERT_EQUAL(sql_int(b, "SELECT Find_SRID('plan_a', 'stations', 'geom')"), 4544);
	GDALClose(a);
	GDALClose(b);
}

static void test_pg_existing_schema(void)
{
	if (pg_skip())
		return;
	pg_load();
	char *err = NULL;
	CU_ASSERT_EQUAL(run(NULL, "%s -q run %s -o '%s' --set output.schema=plan_b", cu_bin(),
	                    PROV_INI, pg_conn),
	                0);
	CU_ASSERT_EQUAL(run(&err, "%s -q run %s -o '%s' --set output.schema=plan_b", cu_bin(),
	                    PROV_INI, pg_conn),
	                1);
	char want[1300];
	snprintf(want, sizeof(want), "'%s': schema 'plan_b' exists (use --overwrite to replace it)",
	         pg_conn);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	free(err);
	CU_ASSERT_EQUAL(run(NULL,
	                    "%s -q run %s -o '%s' --set output.schema=plan_b --overwrite --set "
	                    "rules.households_max=4000",
	                    cu_bin(), PROV_INI, pg_conn),
	                0);
	GDALDatasetH b = pg_open_schema("plan_b");
	CU_ASSERT_EQUAL(sql_int(b, "SELECT MAX(households) <= 4000 FROM plan_b.stations "
	                           "WHERE kind = 'urban' AND NOT underfilled"),
	                1);
	CU_ASSERT_EQUAL(
	    sql_int(b, "SELECT COUNT(*) FROM public.layer_styles WHERE f_table_schema = 'plan_b'"),
	    6); /* stations, service_areas, assignments, links, uncovered, districts */
	GDALClose(b);
	CU_ASSERT_EQUAL(run(&err, "%s -q run %s -o '%s'", cu_bin(), PROV_INI, pg_conn), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "PostGIS output needs output.schema"));
	free(err);
	CU_ASSERT_EQUAL(run(&err, "%s -q run %s -o '%s' --set output.schema=Bad-Name", cu_bin(),
	                    PROV_INI, pg_conn),
	                1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "output: schema = 'Bad-Name' is not a plain"));
	free(err);
}

/* A write that fails half way (public.layer_styles is not QGIS's table)
 * leaves no schema and keeps an overwritten plan as it was. */
static void test_pg_failure_leaves_nothing(void)
{
	if (pg_skip())
		return;
	pg_load();
	char *err = NULL;
	char psql[1400];
	snprintf(psql, sizeof(psql), "ogrinfo -q '%s' -sql", pg_conn);
	CU_ASSERT_EQUAL(run(NULL, "%s -q run %s -o '%s' --set output.schema=plan_c", cu_bin(),
	                    PROV_INI, pg_conn),
	                0);
	CU_ASSERT_EQUAL_FATAL(run(NULL,
	                          "%s 'ALTER TABLE public.layer_styles RENAME TO styles_saved' && "
	                          "%s 'CREATE TABLE public.layer_styles (id integer)'",
	                          psql, psql),
	                      0);
	CU_ASSERT_EQUAL(run(&err, "%s -q run %s -o '%s' --set output.schema=plan_d", cu_bin(),
	                    PROV_INI, pg_conn),
	                4);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "column \"f_table_schema\" does not exist"));
	free(err);
	CU_ASSERT_EQUAL(run(NULL,
	                    "%s -q run %s -o '%s' --set output.schema=plan_c --overwrite --set "
	                    "rules.households_max=4000",
	                    cu_bin(), PROV_INI, pg_conn),
	                4);
	CU_ASSERT_EQUAL(run(NULL,
	                    "%s 'DROP TABLE public.layer_styles' && %s 'ALTER TABLE "
	                    "public.styles_saved RENAME TO layer_styles'",
	                    psql, psql),
	                0);
	GDALDatasetH d = pg_open_schema("public");
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	CU_ASSERT_EQUAL(sql_int(d, "SELECT COUNT(*) FROM pg_namespace WHERE nspname = 'plan_d'"),
	                0);
	CU_ASSERT_EQUAL(
	    sql_int(d, "SELECT COUNT(*) FROM public.layer_styles WHERE f_table_schema = 'plan_d'"),
	    0);
	/* plan_c is still the first plan (households_max 5000) */
	CU_ASSERT_EQUAL(sql_int(d, "SELECT MAX(households) > 4000 FROM plan_c.stations"), 1);
	GDALClose(d);
}

/* Units by SQL and existing stations by table, from the database: the same
 * plan as from the files. */
static void test_pg_sql_and_tables(void)
{
	if (pg_skip())
		return;
	pg_load();
	const char *file = outpath("pg-ex-file.gpkg"), *db = outpath("pg-ex-db.gpkg");
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), EXISTING_INI, file), 0);
	CU_ASSERT_EQUAL_FATAL(run(NULL,
	                          "%s -q run %s --set 'input.units=%s' --set "
	                          "'input.units_layer=SELECT * FROM city.demo ORDER BY fid' "
	                          "--set 'input.existing=%s tables=city.existing' -o %s "
	                          "--overwrite",
	                          cu_bin(), EXISTING_INI, pg_conn, pg_conn, db),
	                      0);
	assert_plans_equal(file, db);
	GDALDatasetH d = open_ro(db);
	CU_ASSERT_TRUE(sql_int(d, "SELECT COUNT(*) FROM stations WHERE kind = 'existing'") > 0);
	GDALClose(d);
}

/* ---- Slurm --------------------------------------------------------------- */

static char slurm_dir[600];
static char slurm_conf[700]; /* "" when no Slurm could start */

static int slurm_start(void)
{
	char cmd[1600], *out = NULL, *err = NULL;
	snprintf(slurm_dir, sizeof(slurm_dir), "%s/province-slurm", cu_outdir());
	snprintf(cmd, sizeof(cmd),
	         "scripts/slurmtmp.sh stop %s; SLURMTMP_PORT=%d scripts/slurmtmp.sh start %s",
	         slurm_dir, 20000 + (int)(getpid() % 20000) * 2 % 20000, slurm_dir);
	if (cu_run(cmd, &out, &err) == 0 && out && !strncmp(out, "SLURM_CONF=", 11)) {
		snprintf(slurm_conf, sizeof(slurm_conf), "%s", out);
		slurm_conf[strcspn(slurm_conf, "\n")] = '\0';
	} else {
		fprintf(stderr, "\n    Slurm test SKIPPED: %s", err && *err ? err : "no Slurm\n");
		slurm_conf[0] = '\0';
	}
	free(out);
	free(err);
	return 0;
}

static int slurm_stop(void)
{
	if (slurm_dir[0])
		run(NULL, "scripts/slurmtmp.sh stop %s", slurm_dir);
	return 0;
}

/* The job array on a real one-node Slurm: submitted, run, merged by the
 * dependent job; the plan equals the single run's. */
static void test_slurm_job_array(void)
{
	if (!slurm_conf[0]) {
		fprintf(stderr, "SKIPPED (no one-node Slurm here) ");
		return;
	}
	const char *single = outpath("single.gpkg"), *out = outpath("sbatch/plan.gpkg");
	char *ids = NULL, *err = NULL, cmd[2048];
	CU_ASSERT_EQUAL(run(NULL, "rm -rf %s/province-sbatch", cu_outdir()), 0);
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), PROV_INI, single), 0);
	snprintf(cmd, sizeof(cmd),
	         "export %s; SP_BIN=%s scripts/slurm_shards.sh -m 1G -t 00:10:00 %s 3 %s -- "
	         "--threads 1",
	         slurm_conf, cu_bin(), PROV_INI, out);
	CU_ASSERT_EQUAL_FATAL(cu_run(cmd, &ids, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(ids, "(array 1-3), merge job"));
	/* wait for both jobs to leave the queue (at most 5 minutes) */
	CU_ASSERT_EQUAL(run(NULL,
	                    "export %s; i=0; while [ -n \"$(squeue -h)\" ] && [ $i -lt 600 ]; do "
	                    "sleep 0.5; i=$((i+1)); done; [ -z \"$(squeue -h)\" ]",
	                    slurm_conf),
	                0);
	free(ids);
	free(err);
	assert_plans_equal(single, out);
}

/* Shard files merged straight into a schema: the single run's layers. */
static void test_pg_merge_into(void)
{
	if (pg_skip())
		return;
	const char *single = outpath("pgm-single.gpkg");
	const char *s1 = outpath("pgm-1.gpkg"), *s2 = outpath("pgm-2.gpkg");
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), PROV_INI, single), 0);
	for (int k = 1; k <= 2; k++)
		CU_ASSERT_EQUAL_FATAL(run(NULL, "%s -q run %s --shard %d/2 -o %s --overwrite",
		                          cu_bin(), PROV_INI, k, k == 1 ? s1 : s2),
		                      0);
	CU_ASSERT_EQUAL_FATAL(
	    run(NULL, "%s -q merge '%s' --schema plan_m %s %s", cu_bin(), pg_conn, s2, s1), 0);
	char *err = NULL;
	CU_ASSERT_EQUAL(
	    run(&err, "%s -q merge '%s' --schema plan_m %s %s", cu_bin(), pg_conn, s1, s2), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "schema 'plan_m' exists"));
	free(err);
	GDALDatasetH a = open_ro(single), b = pg_open_schema("plan_m");
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	for (size_t i = 0; i < NPLAN; i++) {
		char why[512] = "";
		int eq = layer_equal(a, b, plan_layers[i], why, sizeof(why));
		if (!eq)
			fprintf(stderr, "\n    merged into PostGIS vs single: %s\n", why);
		CU_ASSERT_TRUE(eq);
	}
	CU_ASSERT_EQUAL(sql_int(b, "SELECT COUNT(*) FROM plan_m.run_shards"), 2);
	GDALClose(a);
	GDALClose(b);
}

/* Candidates and exclusion zones from database tables: the same plans as
 * from the files (both leave demand uncovered: exit 3). */
static void test_pg_candidates_and_exclusions(void)
{
	if (pg_skip())
		return;
	pg_load();
	static const char *const cases[][3] = {
	    {"fixtures/e2e/scenario_candidates.ini", "input.candidates", "city.candidates"},
	    {"fixtures/e2e/scenario_exclude.ini", "input.exclude", "city.exclude"},
	};
	for (size_t i = 0; i < 2; i++) {
		const char *file = outpath("pg-c-file.gpkg"), *db = outpath("pg-c-db.gpkg");
		CU_ASSERT_EQUAL(
		    run(NULL, "%s -q run %s -o %s --overwrite", cu_bin(), cases[i][0], file), 3);
		CU_ASSERT_EQUAL(run(NULL,
		                    "%s -q run %s --set 'input.units=%s' --set "
		                    "'input.units_layer=SELECT * FROM city.demo ORDER BY fid' "
		                    "--set '%s=%s tables=%s' -o %s --overwrite",
		                    cu_bin(), cases[i][0], pg_conn, cases[i][1], pg_conn,
		                    cases[i][2], db),
		                3);
		assert_plans_equal(file, db);
	}
}

void province_suite_setup(void)
{
	CU_SUITE_ADD(
	    "province", NULL, NULL, CU_TEST_ENTRY(test_shard_arguments),
	    CU_TEST_ENTRY(test_output_one_layer_refused),
	    CU_TEST_ENTRY(test_shards_parallel_districts),
	    CU_TEST_ENTRY(test_shards_components_existing), CU_TEST_ENTRY(test_merge_refusals),
	    CU_TEST_ENTRY(test_slurm_command_lines), CU_TEST_ENTRY(test_merge_levels_districts),
	    CU_TEST_ENTRY(test_merge_levels_components), CU_TEST_ENTRY(test_merge_levels_roads),
	    CU_TEST_ENTRY(test_shard_budget_refused), CU_TEST_ENTRY(test_merge_admin_villages),
	    CU_TEST_ENTRY(test_merge_levels_refusals), CU_TEST_ENTRY(test_shards_cut_districts),
	    CU_TEST_ENTRY(test_shards_cut_components), CU_TEST_ENTRY(test_cut_refusals),
	    CU_TEST_ENTRY(test_slurm_cut_command_lines));
	CU_SUITE_ADD("slurm", slurm_start, slurm_stop, CU_TEST_ENTRY(test_slurm_job_array));
	CU_SUITE_ADD(
	    "postgis", pg_start, pg_stop, CU_TEST_ENTRY(test_pg_plan_from_and_into),
	    CU_TEST_ENTRY(test_pg_existing_schema), CU_TEST_ENTRY(test_pg_failure_leaves_nothing),
	    CU_TEST_ENTRY(test_pg_sql_and_tables), CU_TEST_ENTRY(test_pg_candidates_and_exclusions),
	    CU_TEST_ENTRY(test_pg_merge_into));
}
