/*
 * cu_mkcity.c: the city generator (tools/mkcity): its decisions on the real
 * data (district name stems, hosts for development zones, `other` kinds,
 * urban streets), its random streams, and end-to-end runs of the built tool
 * ($SP_BUILD/tools/mkcity) on the real city data (../shared/data/cities, or
 * $SP_CITIES): one polygon per unit, each valid and inside its district,
 * households within the documented bounds and means, same seed same bytes,
 * and the committed fixtures/demo up to date with the generator.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gdal.h>
#include <ogr_api.h>

#include "../tools/mkcity_dense.h"
#include "../tools/mkcity_rng.h"
#include "../tools/mkcity_rules.h"
#include "cu_tester.h"

/* Liaocheng's boundary polygons as the boundaries file names them. */
static const char *const lc_codes[] = {"371502", "371521", "371522", "371523",
                                       "371524", "371525", "371526", "371581"};
static const char *const lc_names[] = {"东昌府区", "阳谷县", "莘县",   "茌平县",
                                       "东阿县",   "冠县",   "高唐县", "临清市"};
static const char *const lyg_codes[] = {"320703", "320706", "320707", "320722", "320723", "320724"};
static const char *const lyg_names[] = {"连云区", "海州区", "赣榆区", "东海县", "灌云县", "灌南县"};

static void test_name_stem(void)
{
	char buf[64];
	mkcity_name_stem("茌平县", buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "茌平");
	mkcity_name_stem("茌平区", buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "茌平");
	mkcity_name_stem("临清市", buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "临清");
	mkcity_name_stem("莘县", buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "莘");
	mkcity_name_stem("区", buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "区");
	mkcity_name_stem("宁东镇", buf, sizeof buf);
	CU_ASSERT_STRING_EQUAL(buf, "宁东镇");
	mkcity_name_stem("茌平县", buf, 4); /* truncated to whole bytes only */
	CU_ASSERT_STRING_EQUAL(buf, "茌");
}

static void test_district_match_real_names(void)
{
	int how = -1;
	CU_ASSERT_EQUAL(mkcity_district_match(lc_codes, lc_names, 8, "371502", "东昌府区", &how),
	                0);
	CU_ASSERT_EQUAL(how, MKCITY_MATCH_CODE);
	/* renamed: 茌平县 in the boundaries, 茌平区 (new code) in the units */
	CU_ASSERT_EQUAL(mkcity_district_match(lc_codes, lc_names, 8, "371503", "茌平区", &how), 3);
	CU_ASSERT_EQUAL(how, MKCITY_MATCH_STEM);
	/* the code wins over the name */
	CU_ASSERT_EQUAL(mkcity_district_match(lc_codes, lc_names, 8, "371581", "茌平区", &how), 7);
	CU_ASSERT_EQUAL(how, MKCITY_MATCH_CODE);
	/* a development zone has no polygon and no stem */
	CU_ASSERT_EQUAL(
	    mkcity_district_match(lyg_codes, lyg_names, 6, "320771", "连云港经济技术开发区", &how),
	    -1);
	CU_ASSERT_EQUAL(how, MKCITY_MATCH_NONE);
	/* an ambiguous stem matches nothing */
	const char *codes[] = {"1", "2"}, *names[] = {"城区", "城县"};
	CU_ASSERT_EQUAL(mkcity_district_match(codes, names, 2, "3", "城市", &how), -1);
	CU_ASSERT_EQUAL(how, MKCITY_MATCH_NONE);
}

static void test_district_host(void)
{
	size_t comm[] = {55, 156, 39, 25, 34, 21};         /* Lianyungang's communities */
	CU_ASSERT_EQUAL(mkcity_district_host(comm, 6), 1); /* 海州区 */
	size_t tie[] = {3, 7, 7};
	CU_ASSERT_EQUAL(mkcity_district_host(tie, 3), 1);
	CU_ASSERT_EQUAL(mkcity_district_host(tie, 0), -1);
}

static void test_kind_and_street(void)
{
	CU_ASSERT_EQUAL(mkcity_unit_kind("community", "东园社区居委会"), MKCITY_COMMUNITY);
	CU_ASSERT_EQUAL(mkcity_unit_kind("village", "大新村委会"), MKCITY_VILLAGE);
	CU_ASSERT_EQUAL(mkcity_unit_kind("other", "李埝林场生活区"), MKCITY_VILLAGE);
	CU_ASSERT_EQUAL(mkcity_unit_kind("other", "宁夏原种场虚拟生活区"), MKCITY_VILLAGE);
	CU_ASSERT_EQUAL(mkcity_unit_kind("other", "农场社区"), MKCITY_COMMUNITY);
	CU_ASSERT_EQUAL(mkcity_unit_kind("other", "场部居委会"), MKCITY_COMMUNITY);
	CU_ASSERT_TRUE(mkcity_street_is_urban("墟沟街道"));
	CU_ASSERT_FALSE(mkcity_street_is_urban("大新镇"));
	CU_ASSERT_FALSE(mkcity_street_is_urban("月牙湖乡"));
	CU_ASSERT_FALSE(mkcity_street_is_urban("宁夏原种场"));
}

static void test_rng_streams(void)
{
	mkcity_rng a, b, c;
	mkcity_rng_init(&a, 1, "640104001002");
	mkcity_rng_init(&b, 1, "640104001002");
	mkcity_rng_init(&c, 2, "640104001002");
	int differ = 0;
	for (int i = 0; i < 100; i++) {
		uint64_t x = mkcity_rng_next(&a), y = mkcity_rng_next(&b), z = mkcity_rng_next(&c);
		CU_ASSERT_EQUAL(x, y);
		differ += x != z;
	}
	CU_ASSERT(differ > 95);
	/* the distribution: 20,000 community draws, mean near 2,400 */
	double sum = 0;
	int lo = 1 << 30, hi = 0, big = 0;
	for (int i = 0; i < 20000; i++) {
		int v = mkcity_rng_lognormal(&a, MKCITY_COMMUNITY_MEDIAN, MKCITY_COMMUNITY_SIGMA,
		                             MKCITY_COMMUNITY_MIN, MKCITY_COMMUNITY_MAX);
		sum += v;
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		big += v > 5000;
	}
	CU_ASSERT(sum / 20000 > 2330 && sum / 20000 < 2470);
	CU_ASSERT(lo >= MKCITY_COMMUNITY_MIN && hi <= MKCITY_COMMUNITY_MAX);
	CU_ASSERT(big > 200 && big < 1000); /* about 2.5 % */
	sum = 0;
	for (int i = 0; i < 20000; i++)
		sum += mkcity_rng_lognormal(&a, MKCITY_VILLAGE_MEDIAN, MKCITY_VILLAGE_SIGMA,
		                            MKCITY_VILLAGE_MIN, MKCITY_VILLAGE_MAX);
	CU_ASSERT(sum / 20000 > 420 && sum / 20000 < 480);
}

/* ---- end-to-end runs of the tool ---- */

static const char *cities_dir(void)
{
	const char *d = getenv("SP_CITIES");
	return d && *d ? d : "../shared/data/cities";
}

/* True when the real city data is there; otherwise prints the skip line
 * (a CUnit test cannot be skipped once running, so it passes, visibly). */
static int have_cities(void)
{
	char path[512];
	snprintf(path, sizeof path, "%s/yinchuan_units.csv", cities_dir());
	FILE *fp = fopen(path, "r");
	if (fp) {
		fclose(fp);
		return 1;
	}
	printf("skipped: %s not found (SP_CITIES names another folder) ... ", cities_dir());
	return 0;
}

static const char *tool_path(void)
{
	static char path[512];
	const char *b = getenv("SP_BUILD");
	snprintf(path, sizeof path, "%s/tools/mkcity", b && *b ? b : "build");
	return path;
}

/* Run mkcity on a city with extra options, outputs to <outdir>/<stem>.gpkg
 * and .csv. Returns the exit status; *err gets stderr (caller frees). */
static int run_tool(const char *city, const char *stem, const char *extra, char **err)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd,
	         "%s --districts %s/%s_districts.geojson --units %s/%s_units.csv -o %s/%s.gpkg "
	         "--csv %s/%s.csv %s",
	         tool_path(), cities_dir(), city, cities_dir(), city, cu_outdir(), stem,
	         cu_outdir(), stem, extra);
	char *out = NULL;
	int rc = cu_run(cmd, &out, err);
	free(out);
	return rc;
}

static int files_equal(const char *a, const char *b)
{
	char cmd[2048];
	snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
	return cu_run(cmd, NULL, NULL) == 0;
}

/* Count rows of <city>_units.csv whose district column (7th) or code
 * column (6th) equals key. */
static int csv_count(const char *city, const char *key)
{
	char path[512], line[1024];
	snprintf(path, sizeof path, "%s/%s_units.csv", cities_dir(), city);
	FILE *fp = fopen(path, "r");
	int n = 0;
	while (fp && fgets(line, sizeof line, fp)) {
		char *p = line, *f[7];
		int k = 0;
		line[strcspn(line, "\r\n")] = '\0';
		for (char *t; k < 7 && (t = strsep(&p, ",")) != NULL;)
			f[k++] = t;
		if (k == 7 && strcmp(f[0], "code") &&
		    (!strcmp(f[5], key) || !strcmp(f[6], key) || !*key))
			n++;
	}
	if (fp)
		fclose(fp);
	return n;
}

/* Clone of the district polygon with code or name key (NULL if none). */
static OGRGeometryH district_polygon(const char *city, const char *key)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s_districts.geojson", cities_dir(), city);
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
	OGRGeometryH out = NULL;
	if (!ds)
		return NULL;
	OGRLayerH lyr = GDALDatasetGetLayer(ds, 0);
	OGRFeatureH f;
	while (!out && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
		if (!strcmp(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "id")), key) ||
		    !strcmp(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "name")), key))
			out = OGR_G_Clone(OGR_F_GetGeometryRef(f));
		OGR_F_Destroy(f);
	}
	GDALClose(ds);
	return out;
}

/* What the checks of one generated file found. */
typedef struct scan {
	int features, invalid, outside, bad_kind, bad_hh, big;
	int communities, villages;
	double hh_comm, hh_vil;
	char note[256];     /* note of the last feature */
	char district[128]; /* district of the last feature */
	int csv_rows, csv_mismatch;
	double max_comm_km2; /* largest community cell (local equirectangular) */
} scan;

/* Area in km² of a lon/lat geometry, equirectangular at its latitude:
 * within about 1 % for cells of a few km². */
static double area_km2(OGRGeometryH g)
{
	OGREnvelope e;
	OGR_G_GetEnvelope(g, &e);
	double lat = (e.MinY + e.MaxY) / 2 * M_PI / 180;
	return OGR_G_Area(g) * 111.32 * 111.32 * cos(lat);
}

/* Open <outdir>/<stem>.gpkg layer 'units' and check every feature against
 * the polygon `within` (NULL: the district polygon named by the feature's
 * district_code) and the household bounds; compare with <stem>.csv. */
static void scan_output(const char *city, const char *stem, OGRGeometryH within, scan *s)
{
	char path[512];
	memset(s, 0, sizeof *s);
	snprintf(path, sizeof path, "%s/%s.gpkg", cu_outdir(), stem);
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "units");
	CU_ASSERT_PTR_NOT_NULL_FATAL(lyr);
	snprintf(path, sizeof path, "%s/%s.csv", cu_outdir(), stem);
	FILE *csv = fopen(path, "r");
	char line[256];
	CU_ASSERT_PTR_NOT_NULL_FATAL(csv);
	CU_ASSERT_PTR_NOT_NULL(fgets(line, sizeof line, csv));
	CU_ASSERT_STRING_EQUAL(line, "code,households\n");
	char cur_code[32] = "";
	OGRGeometryH cur = NULL, cur_buf = NULL;
	OGRFeatureH f;
	while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
		const char *kind = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "kind"));
		const char *dcode =
		    OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "district_code"));
		const char *code = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "code"));
		int hh = OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "households"));
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		s->features++;
		if (!within && strcmp(cur_code, dcode) != 0) {
			if (cur)
				OGR_G_DestroyGeometry(cur);
			if (cur_buf)
				OGR_G_DestroyGeometry(cur_buf);
			cur = district_polygon(city, dcode);
			cur_buf = cur ? OGR_G_Buffer(cur, 1e-6, 4) : NULL;
			snprintf(cur_code, sizeof cur_code, "%s", dcode);
		} else if (within && !cur_buf)
			cur_buf = OGR_G_Buffer(within, 1e-6, 4);
		if (!g || !OGR_G_IsValid(g) || OGR_G_IsEmpty(g) ||
		    wkbFlatten(OGR_G_GetGeometryType(g)) != wkbMultiPolygon)
			s->invalid++;
		else if (!cur_buf || !OGR_G_Within(g, cur_buf))
			s->outside++;
		if (!strcmp(kind, "community")) {
			s->communities++;
			s->hh_comm += hh;
			s->big += hh > 5000;
			if (g && area_km2(g) > s->max_comm_km2)
				s->max_comm_km2 = area_km2(g);
			s->bad_hh += hh < MKCITY_COMMUNITY_MIN || hh > MKCITY_COMMUNITY_MAX;
		} else if (!strcmp(kind, "village")) {
			s->villages++;
			s->hh_vil += hh;
			s->bad_hh += hh < MKCITY_VILLAGE_MIN || hh > MKCITY_VILLAGE_MAX;
		} else
			s->bad_kind++;
		snprintf(s->note, sizeof s->note, "%s",
		         OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "note")));
		snprintf(s->district, sizeof s->district, "%s",
		         OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "district")));
		char want[256];
		snprintf(want, sizeof want, "%s,%d\n", code, hh);
		if (fgets(line, sizeof line, csv)) {
			s->csv_rows++;
			s->csv_mismatch += strcmp(line, want) != 0;
		}
		OGR_F_Destroy(f);
	}
	while (fgets(line, sizeof line, csv))
		s->csv_rows++;
	fclose(csv);
	if (cur)
		OGR_G_DestroyGeometry(cur);
	if (cur_buf)
		OGR_G_DestroyGeometry(cur_buf);
	GDALClose(ds);
}

/* scan_output against the polygon with code or name `polygon`. */
static void scan_in(const char *city, const char *stem, const char *polygon, scan *s)
{
	GDALAllRegister();
	OGRGeometryH poly = district_polygon(city, polygon);
	CU_ASSERT_PTR_NOT_NULL_FATAL(poly);
	scan_output(city, stem, poly, s);
	OGR_G_DestroyGeometry(poly);
}

static void test_city_yinchuan(void)
{
	if (!have_cities())
		return;
	char *err = NULL;
	scan s;
	CU_ASSERT_EQUAL_FATAL(run_tool("yinchuan", "mkcity_yinchuan", "--seed 1", &err), 0);
	/* the 9 farm living quarters (kind other) are reported as villages */
	CU_ASSERT_PTR_NOT_NULL(strstr(err,
	                              "灵武市 (640181): 6 units: source kind other: treated as "
	                              "village"));
	free(err);
	GDALAllRegister();
	scan_output("yinchuan", "mkcity_yinchuan", NULL, &s);
	CU_ASSERT_EQUAL(s.features, csv_count("yinchuan", ""));
	CU_ASSERT_EQUAL(s.features, 602);
	CU_ASSERT_EQUAL(s.communities, 304);
	CU_ASSERT_EQUAL(s.villages, 298); /* 289 villages + 9 farm quarters */
	CU_ASSERT_EQUAL(s.invalid, 0);
	CU_ASSERT_EQUAL(s.outside, 0);
	CU_ASSERT_EQUAL(s.bad_kind, 0);
	CU_ASSERT_EQUAL(s.bad_hh, 0);
	CU_ASSERT(s.big >= 1); /* a community needing two stations */
	/* community cells are capped by a 700 m disc: 1.54 km² */
	CU_ASSERT(s.max_comm_km2 > 1.0 && s.max_comm_km2 < 1.56);
	CU_ASSERT(s.hh_comm / s.communities > 2200 && s.hh_comm / s.communities < 2600);
	CU_ASSERT(s.hh_vil / s.villages > 380 && s.hh_vil / s.villages < 520);
	CU_ASSERT_EQUAL(s.csv_rows, s.features);
	CU_ASSERT_EQUAL(s.csv_mismatch, 0);
}

static void test_same_seed_same_bytes(void)
{
	if (!have_cities())
		return;
	char *err = NULL, a[512], b[512];
	CU_ASSERT_EQUAL(run_tool("yinchuan", "mkcity_s7a", "-q --seed 7 --district 兴庆区", &err),
	                0);
	free(err);
	CU_ASSERT_EQUAL(run_tool("yinchuan", "mkcity_s7b", "-q --seed 7 --district 640104", &err),
	                0);
	free(err);
	CU_ASSERT_EQUAL(run_tool("yinchuan", "mkcity_s8", "-q --seed 8 --district 640104", &err),
	                0);
	free(err);
	snprintf(a, sizeof a, "%s/mkcity_s7a.gpkg", cu_outdir());
	snprintf(b, sizeof b, "%s/mkcity_s7b.gpkg", cu_outdir());
	CU_ASSERT_TRUE(files_equal(a, b));
	snprintf(b, sizeof b, "%s/mkcity_s8.gpkg", cu_outdir());
	CU_ASSERT_FALSE(files_equal(a, b));
	snprintf(a, sizeof a, "%s/mkcity_s7a.csv", cu_outdir());
	snprintf(b, sizeof b, "%s/mkcity_s7b.csv", cu_outdir());
	CU_ASSERT_TRUE(files_equal(a, b));
	snprintf(b, sizeof b, "%s/mkcity_s8.csv", cu_outdir());
	CU_ASSERT_FALSE(files_equal(a, b));
	/* one district alone draws the same households as in the whole city */
	CU_ASSERT_EQUAL(run_tool("yinchuan", "mkcity_s7all", "-q --seed 7", &err), 0);
	free(err);
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
	         "grep '^640104' %s/mkcity_s7all.csv > %s/mkcity_s7x.csv && "
	         "tail -n +2 %s/mkcity_s7a.csv | cmp -s - %s/mkcity_s7x.csv",
	         cu_outdir(), cu_outdir(), cu_outdir(), cu_outdir());
	CU_ASSERT_EQUAL(cu_run(cmd, NULL, NULL), 0);
}

static void test_renamed_district(void)
{
	if (!have_cities())
		return;
	char *err = NULL;
	scan s;
	CU_ASSERT_EQUAL_FATAL(run_tool("liaocheng", "mkcity_chiping", "--district 茌平区", &err),
	                      0);
	CU_ASSERT_PTR_NOT_NULL(strstr(
	    err, "mkcity: note: 茌平区 (371503): 88 units: district boundary named 茌平县\n"));
	free(err);
	scan_in("liaocheng", "mkcity_chiping", "茌平县", &s);
	CU_ASSERT_EQUAL(s.features, csv_count("liaocheng", "茌平区"));
	CU_ASSERT_EQUAL(s.features, 88);
	CU_ASSERT_EQUAL(s.invalid, 0);
	CU_ASSERT_EQUAL(s.outside, 0);
	CU_ASSERT_STRING_EQUAL(s.district, "茌平区");
	CU_ASSERT_STRING_EQUAL(s.note, "district boundary named 茌平县");
	/* selecting by the boundary's name gives the same file */
	CU_ASSERT_EQUAL(run_tool("liaocheng", "mkcity_chiping2", "-q --district 茌平县", &err), 0);
	free(err);
	char a[512], b[512];
	snprintf(a, sizeof a, "%s/mkcity_chiping.gpkg", cu_outdir());
	snprintf(b, sizeof b, "%s/mkcity_chiping2.gpkg", cu_outdir());
	CU_ASSERT_TRUE(files_equal(a, b));
}

static void test_development_zone(void)
{
	if (!have_cities())
		return;
	char *err = NULL;
	scan s;
	CU_ASSERT_EQUAL_FATAL(
	    run_tool("lianyungang", "mkcity_devzone", "--district 连云港经济技术开发区", &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err,
	                              "mkcity: note: 连云港经济技术开发区 (320771): 41 units: "
	                              "no boundary for 连云港经济技术开发区: placed in 海州区\n"));
	free(err);
	scan_in("lianyungang", "mkcity_devzone", "海州区", &s);
	CU_ASSERT_EQUAL(s.features, csv_count("lianyungang", "320771"));
	CU_ASSERT_EQUAL(s.features, 41);
	CU_ASSERT_EQUAL(s.invalid, 0);
	CU_ASSERT_EQUAL(s.outside, 0);
	CU_ASSERT_STRING_EQUAL(s.district, "连云港经济技术开发区");
	/* --host puts them elsewhere */
	CU_ASSERT_EQUAL_FATAL(run_tool("lianyungang", "mkcity_devzone2",
	                               "-q --district 320771 --host 320771=连云区", &err),
	                      0);
	free(err);
	scan_in("lianyungang", "mkcity_devzone2", "连云区", &s);
	CU_ASSERT_EQUAL(s.features, 41);
	CU_ASSERT_EQUAL(s.outside, 0);
	CU_ASSERT_STRING_EQUAL(s.note, "no boundary for 连云港经济技术开发区: placed in 连云区");
}

/* Write `text` to <outdir>/<name>; its path into path. */
static void write_out(const char *name, const char *text, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", cu_outdir(), name);
	FILE *fp = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Run mkcity on a districts and a units file (NULL: Yinchuan's) and check
 * that it exits 2 with exactly "mkcity: error: <want>" on stderr. */
static void expect_input_error(const char *districts, const char *units, const char *want)
{
	char d[512], u[512], cmd[2048], line[1300];
	snprintf(d, sizeof d, "%s/yinchuan_districts.geojson", cities_dir());
	snprintf(u, sizeof u, "%s/yinchuan_units.csv", cities_dir());
	snprintf(cmd, sizeof cmd, "%s --districts '%s' --units '%s' -o %s/mkcity_err.gpkg",
	         tool_path(), districts ? districts : d, units ? units : u, cu_outdir());
	snprintf(line, sizeof line, "mkcity: error: %s\n", want);
	char *out = NULL, *err = NULL;
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 2);
	CU_ASSERT_STRING_EQUAL(err, line);
	free(out);
	free(err);
}

static void test_errors(void)
{
	if (!have_cities())
		return;
	char *err = NULL;
	CU_ASSERT_EQUAL(run_tool("yinchuan", "mkcity_err", "--district 海州区", &err), 2);
	CU_ASSERT_STRING_EQUAL(err,
	                       "mkcity: error: --district '海州区': no units in such a district\n");
	free(err);
	CU_ASSERT_EQUAL(run_tool("yinchuan", "mkcity_err", "--host 640199", &err), 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "mkcity: error: --host '640199': expected FROM=TO\n"));
	free(err);
	CU_ASSERT_EQUAL(run_tool("yinchuan", "mkcity_err", "--host 640199=nowhere", &err), 2);
	CU_ASSERT_STRING_EQUAL(err,
	                       "mkcity: error: --host '640199=nowhere': no polygon 'nowhere'\n");
	free(err);
	CU_ASSERT_EQUAL(run_tool("yinchuan", "mkcity_err", "--seed -3", &err), 1);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err, "mkcity: error: --seed '-3': not a non-negative integer\n"));
	free(err);
	/* units files that break the format: the file and line are named */
	static const char header[] = "code,name,kind,street_code,street,district_code,district\n";
	char path[512], text[256], want[1200];
	write_out("mkcity_bad1.csv", "code,name\n1,a\n", path, sizeof path);
	snprintf(want, sizeof want,
	         "'%s' line 1: header is not "
	         "'code,name,kind,street_code,street,district_code,district'",
	         path);
	expect_input_error(NULL, path, want);
	snprintf(text, sizeof text, "%s1,a,community,2\n", header);
	write_out("mkcity_bad2.csv", text, path, sizeof path);
	snprintf(want, sizeof want, "'%s' line 2: 4 fields (expected 7) or empty code", path);
	expect_input_error(NULL, path, want);
	snprintf(text, sizeof text, "%s1,\"a\",community,2,s,640104,x\n", header);
	write_out("mkcity_bad3.csv", text, path, sizeof path);
	snprintf(want, sizeof want, "'%s' line 2: quoted fields are not supported", path);
	expect_input_error(NULL, path, want);
	/* a missing districts file: GDAL's reason comes through gdal_fail, once,
	 * and nothing else reaches stderr (no "ERROR 4:" line from GDAL itself) */
	snprintf(path, sizeof path, "%s/mkcity_none.geojson", cu_outdir());
	snprintf(want, sizeof want, "'%s': cannot open: %s: No such file or directory", path, path);
	expect_input_error(path, NULL, want);
	/* a districts file without polygons names the feature */
	write_out("mkcity_pts.geojson",
	          "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\","
	          "\"properties\":{\"id\":\"1\",\"name\":\"a\"},\"geometry\":{\"type\":\"Point\","
	          "\"coordinates\":[106,38]}}]}",
	          path, sizeof path);
	snprintf(want, sizeof want, "'%s' fid 0: not a polygon", path);
	expect_input_error(path, NULL, want);
	/* an output the GPKG driver cannot create: GDAL's reason, exit 2 */
	CU_ASSERT_EQUAL(
	    run_tool("yinchuan", "no_such_dir/mkcity_err", "-q --district 640104", &err), 2);
	snprintf(want, sizeof want,
	         "mkcity: error: '%s/no_such_dir/mkcity_err.gpkg': cannot create: ", cu_outdir());
	CU_ASSERT_EQUAL(strncmp(err, want, strlen(want)), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "unable to open database file\n"));
	CU_ASSERT_PTR_NULL(strstr(err, "ERROR"));
	free(err);
}

/* The committed demo fixture is what the generator writes today. */
static void test_demo_fixture_current(void)
{
	if (!have_cities())
		return;
	char *err = NULL, cmd[1024];
	snprintf(cmd, sizeof cmd,
	         "-q --seed 1 --district 640104 --readme %s/mkcity_demo.md --scenario "
	         "%s/mkcity_demo.ini --scenario-join %s/mkcity_demo_join.ini --roads "
	         "%s/mkcity_demo_roads.gpkg",
	         cu_outdir(), cu_outdir(), cu_outdir(), cu_outdir());
	CU_ASSERT_EQUAL_FATAL(run_tool("yinchuan", "mkcity_demo", cmd, &err), 0);
	free(err);
	/* Same bytes once the output names are those of the fixture (they
	 * appear in the README's command line and the scenarios). */
	static const char *const pairs[][2] = {{"mkcity_demo.gpkg", "units.gpkg"},
	                                       {"mkcity_demo.csv", "households.csv"},
	                                       {"mkcity_demo.md", "README.md"},
	                                       {"mkcity_demo.ini", "scenario.ini"},
	                                       {"mkcity_demo_join.ini", "scenario_join.ini"},
	                                       {"mkcity_demo_roads.gpkg", "roads.gpkg"}};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		snprintf(cmd, sizeof cmd,
		         "sed 's/mkcity_demo.gpkg/units.gpkg/; s/mkcity_demo.csv/households.csv/; "
		         "s/mkcity_demo_roads.gpkg/roads.gpkg/' "
		         "'%s/%s' | cmp -s - 'fixtures/demo/%s'",
		         cu_outdir(), pairs[i][0], pairs[i][1]);
		int rc = cu_run(cmd, NULL, NULL);
		if (rc != 0)
			fprintf(stderr,
			        "\nfixtures/demo/%s is not what mkcity writes: make fixtures\n",
			        pairs[i][1]);
		CU_ASSERT_EQUAL(rc, 0);
	}
}

/* Walking structure of the demo district: communities in a dense core
 * (neighbours within 1 km, so a station can serve two), and some isolated
 * ones (no other community within 1 km). */
static void test_walking_structure(void)
{
	if (!have_cities())
		return;
	char *err = NULL, path[512];
	CU_ASSERT_EQUAL_FATAL(run_tool("yinchuan", "mkcity_walk", "-q --district 640104", &err), 0);
	free(err);
	GDALAllRegister();
	snprintf(path, sizeof path, "%s/mkcity_walk.gpkg", cu_outdir());
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "units");
	double x[400], y[400];
	int n = 0;
	OGRFeatureH f;
	while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
		const char *kind = OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "kind"));
		OGRGeometryH pt = OGR_G_PointOnSurface(OGR_F_GetGeometryRef(f));
		if (pt && !strcmp(kind, "community") && n < 400) {
			x[n] = OGR_G_GetX(pt, 0);
			y[n++] = OGR_G_GetY(pt, 0);
		}
		if (pt)
			OGR_G_DestroyGeometry(pt);
		OGR_F_Destroy(f);
	}
	GDALClose(ds);
	CU_ASSERT_EQUAL(n, 105);
	int isolated = 0, paired = 0, dense = 0;
	for (int i = 0; i < n; i++) {
		int near = 0;
		for (int k = 0; k < n; k++) {
			double dx = (x[k] - x[i]) * 111320 * cos(y[i] * M_PI / 180);
			double dy = (y[k] - y[i]) * 111320;
			near += k != i && dx * dx + dy * dy <= 1000.0 * 1000.0;
		}
		isolated += near == 0;
		paired += near >= 1;
		dense += near >= 4;
	}
	CU_ASSERT(isolated >= 1);
	CU_ASSERT(paired >= n * 3 / 4);
	CU_ASSERT(dense >= n / 4);
}

/* ---- the dense setting (mkcity_dense.h) ---- */

static void test_dense_draws(void)
{
	mkcity_rng r;
	mkcity_rng_init(&r, 1, "990100001001");
	int lo = 1 << 30, hi = 0;
	double sum = 0;
	for (int i = 0; i < 20000; i++) {
		int v = mkcity_dense_households(&r);
		lo = v < lo ? v : lo;
		hi = v > hi ? v : hi;
		sum += v;
	}
	CU_ASSERT_EQUAL(lo, 2000);
	CU_ASSERT_EQUAL(hi, 4000);
	CU_ASSERT(sum / 20000 > 2970 && sum / 20000 < 3030);
	/* the disc holds 1.2 times the cells: 2,000 communities, r = 15.5 km */
	CU_ASSERT_DOUBLE_EQUAL(mkcity_synth_radius(2000), 15478.1, 0.1);
	char rec[256];
	size_t n = mkcity_synth_record(0, rec, sizeof rec);
	CU_ASSERT_STRING_EQUAL(rec, "990100001001");
	const char *want[] = {"990100001001", "合成1区1街道1社区", "community",
	                      "990100001",    "合成1区1街道",      "990100",
	                      "合成1区"};
	const char *p = rec;
	for (size_t k = 0; k < 7; k++, p += strlen(p) + 1)
		CU_ASSERT_STRING_EQUAL(p, want[k]);
	CU_ASSERT_EQUAL((size_t)(p - rec), n);
	mkcity_synth_record(19999, rec, sizeof rec); /* last of 20,000 */
	CU_ASSERT_STRING_EQUAL(rec, "992000050020");
	mkcity_synth_record(1020, rec, sizeof rec); /* district 2, street 2, first */
	CU_ASSERT_STRING_EQUAL(rec, "990200002001");
	CU_ASSERT_EQUAL(mkcity_synth_record(0, rec, 10), 0);
}

/* What the density checks of one generated file found (communities only). */
typedef struct dense_stats {
	int n, villages;
	int small, large; /* cells below 0.15 km², above 0.505 km² */
	int in_band;      /* cells in [0.2, 0.5] km² */
	int hh_out;       /* households outside [2,000, 4,000] */
	double area_median, hh_mean;
	int near_median; /* other communities within 1 km, median */
	int core;        /* largest group linked by <= 2 km (a shared 1 km walk) */
} dense_stats;

static int int_cmp(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int uf_find(int *p, int x)
{
	while (p[x] != x)
		x = p[x] = p[p[x]];
	return x;
}

static void dense_scan(const char *stem, dense_stats *s)
{
	char path[512];
	memset(s, 0, sizeof *s);
	GDALAllRegister();
	snprintf(path, sizeof path, "%s/%s.gpkg", cu_outdir(), stem);
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "units");
	size_t cap = (size_t)OGR_L_GetFeatureCount(lyr, 1) + 1;
	double *x = malloc(cap * sizeof *x), *y = malloc(cap * sizeof *y);
	double *area = malloc(cap * sizeof *area), hh = 0;
	OGRFeatureH f;
	while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		int h = OGR_F_GetFieldAsInteger(f, OGR_F_GetFieldIndex(f, "households"));
		if (strcmp(OGR_F_GetFieldAsString(f, OGR_F_GetFieldIndex(f, "kind")),
		           "community")) {
			s->villages++;
			OGR_F_Destroy(f);
			continue;
		}
		OGRGeometryH pt = OGR_G_PointOnSurface(g);
		double a = area_km2(g);
		x[s->n] = OGR_G_GetX(pt, 0) * 111320 * cos(OGR_G_GetY(pt, 0) * M_PI / 180);
		y[s->n] = OGR_G_GetY(pt, 0) * 111320;
		area[s->n++] = a;
		s->small += a < 0.15;
		s->large += a > 0.505;
		s->in_band += a >= 0.2 && a <= 0.5;
		s->hh_out += h < MKCITY_DENSE_HH_MIN || h > MKCITY_DENSE_HH_MAX;
		hh += h;
		OGR_G_DestroyGeometry(pt);
		OGR_F_Destroy(f);
	}
	GDALClose(ds);
	int *near = malloc((size_t)s->n * sizeof *near), *par = malloc((size_t)s->n * sizeof *par);
	int *size = calloc((size_t)s->n, sizeof *size);
	for (int i = 0; i < s->n; i++)
		par[i] = i;
	for (int i = 0; i < s->n; i++) {
		near[i] = 0;
		for (int k = 0; k < s->n; k++) {
			double d2 = (x[k] - x[i]) * (x[k] - x[i]) + (y[k] - y[i]) * (y[k] - y[i]);
			near[i] += k != i && d2 <= 1000.0 * 1000.0;
			if (k < i && d2 <= 2000.0 * 2000.0)
				par[uf_find(par, i)] = uf_find(par, k);
		}
	}
	for (int i = 0; i < s->n; i++)
		if (++size[uf_find(par, i)] > s->core)
			s->core = size[uf_find(par, i)];
	qsort(near, (size_t)s->n, sizeof *near, int_cmp);
	qsort(area, (size_t)s->n, sizeof *area, dbl_cmp);
	s->near_median = s->n ? near[s->n / 2] : 0;
	s->area_median = s->n ? area[s->n / 2] : 0;
	s->hh_mean = s->n ? hh / s->n : 0;
	free(x);
	free(y);
	free(area);
	free(near);
	free(par);
	free(size);
}

/* A real city at city-centre density: every community cell at most the
 * 400 m disc (0.503 km²), nearly all 0.2-0.5 km², households 2,000-4,000,
 * neighbours within walking reach; villages as in the default layout. */
static void test_dense_city(void)
{
	if (!have_cities())
		return;
	char *err = NULL;
	dense_stats s;
	CU_ASSERT_EQUAL_FATAL(
	    run_tool("lianyungang", "mkcity_dense_lyg", "-q --density dense", &err), 0);
	free(err);
	dense_scan("mkcity_dense_lyg", &s);
	CU_ASSERT_EQUAL(s.n, 355);
	CU_ASSERT_EQUAL(s.villages, 1427); /* 1,424 villages + 3 farm quarters */
	CU_ASSERT_EQUAL(s.large, 0);
	CU_ASSERT(s.small <= s.n / 50); /* a few slivers at district edges */
	CU_ASSERT(s.in_band >= s.n * 9 / 10);
	CU_ASSERT(s.area_median > 0.28 && s.area_median < 0.40);
	CU_ASSERT_EQUAL(s.hh_out, 0);
	CU_ASSERT(s.hh_mean > 2850 && s.hh_mean < 3150);
	CU_ASSERT(s.near_median >= 4);
	CU_ASSERT(s.core >= 150); /* 海州区's 156 communities, one walking core */
	/* same seed, same bytes, at this density too */
	CU_ASSERT_EQUAL_FATAL(
	    run_tool("lianyungang", "mkcity_dense_lyg2", "-q --density dense", &err), 0);
	free(err);
	char a[512], b[512];
	snprintf(a, sizeof a, "%s/mkcity_dense_lyg.gpkg", cu_outdir());
	snprintf(b, sizeof b, "%s/mkcity_dense_lyg2.gpkg", cu_outdir());
	CU_ASSERT_TRUE(files_equal(a, b));
	/* the default run of the same city: every village line is the same */
	CU_ASSERT_EQUAL_FATAL(run_tool("lianyungang", "mkcity_city_lyg", "-q", &err), 0);
	free(err);
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
	         "(cd %s && join -t, mkcity_city_lyg.csv mkcity_dense_lyg.csv | "
	         "awk -F, 'NR > 1 && $3 < 2000 && $2 != $3 { v++ } NR > 1 && $3 >= 2000 { c++ } "
	         "END { print v + 0, c + 0 }')",
	         cu_outdir());
	char *out = NULL;
	CU_ASSERT_EQUAL(cu_run(cmd, &out, NULL), 0);
	/* no village changed; 355 dense communities (villages are below 2,000) */
	CU_ASSERT_STRING_EQUAL(out, "0 355\n");
	free(out);
}

/* The 2,000-community dense core: one walking core, same seed same bytes,
 * another seed other bytes, and the README says what it is. */
static void test_synthetic_core(void)
{
	char cmd[1024], *out = NULL, *err = NULL;
	dense_stats s;
	for (int k = 0; k < 3; k++) {
		snprintf(cmd, sizeof cmd,
		         "%s -q --synthetic 2000 --seed %d -o %s/mkcity_core%d.gpkg --csv "
		         "%s/mkcity_core%d.csv --readme %s/mkcity_core%d.md",
		         tool_path(), k == 2 ? 2 : 1, cu_outdir(), k, cu_outdir(), k, cu_outdir(),
		         k);
		CU_ASSERT_EQUAL_FATAL(cu_run(cmd, &out, &err), 0);
		CU_ASSERT_STRING_EQUAL(err, "");
		free(out);
		free(err);
	}
	dense_scan("mkcity_core0", &s);
	CU_ASSERT_EQUAL(s.n, 2000);
	CU_ASSERT_EQUAL(s.villages, 0);
	CU_ASSERT_EQUAL(s.large, 0);
	CU_ASSERT(s.small <= 10);
	CU_ASSERT(s.in_band >= 1900);
	CU_ASSERT_EQUAL(s.hh_out, 0);
	CU_ASSERT(s.near_median >= 8);
	CU_ASSERT_EQUAL(s.core, 2000);
	char a[512], b[512];
	snprintf(a, sizeof a, "%s/mkcity_core0.gpkg", cu_outdir());
	snprintf(b, sizeof b, "%s/mkcity_core1.gpkg", cu_outdir());
	CU_ASSERT_TRUE(files_equal(a, b));
	snprintf(b, sizeof b, "%s/mkcity_core2.gpkg", cu_outdir());
	CU_ASSERT_FALSE(files_equal(a, b));
	snprintf(cmd, sizeof cmd,
	         "(sed -n 6p %s/mkcity_core0.md; grep -c '^| 合成' %s/mkcity_core0.md)",
	         cu_outdir(), cu_outdir());
	CU_ASSERT_EQUAL(cu_run(cmd, &out, NULL), 0);
	CU_ASSERT_STRING_EQUAL(out, "mkcity --synthetic 2000 --centre 121.6000,38.9100 --seed 1 -o "
	                            "mkcity_core0.gpkg --csv mkcity_core0.csv\n2\n");
	free(out);
}

static void test_dense_usage(void)
{
	static const struct {
		const char *args, *want;
	} cases[] = {
	    {"--density sparse -o x.gpkg",
	     "mkcity: error: --density 'sparse': expected city or dense\n"},
	    {"--synthetic 0 -o x.gpkg",
	     "mkcity: error: --synthetic '0': not a count from 1 to 99000\n"},
	    {"--synthetic 12x -o x.gpkg",
	     "mkcity: error: --synthetic '12x': not a count from 1 to 99000\n"},
	    {"--synthetic 10 --centre 121 -o x.gpkg",
	     "mkcity: error: --centre '121': expected LON,LAT\n"},
	    {"--synthetic 10 --centre 121,95 -o x.gpkg",
	     "mkcity: error: --centre '121,95': expected LON,LAT\n"},
	    {"--synthetic 10 --units u.csv -o x.gpkg",
	     "mkcity: error: --synthetic takes no --districts, --units, --district or --host\n"},
	    {"--synthetic 10", "mkcity: error: -o is required (see --help)\n"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char cmd[1024], *err = NULL;
		snprintf(cmd, sizeof cmd, "%s %s", tool_path(), cases[i].args);
		CU_ASSERT_EQUAL(cu_run(cmd, NULL, &err), 1);
		CU_ASSERT_EQUAL(strncmp(err, cases[i].want, strlen(cases[i].want)), 0);
		free(err);
	}
}

/* ---- the street network (mkcity_roads.h) ---- */

/* What the checks of one roads GeoPackage found. */
typedef struct roads_scan {
	int lines, cls[6], bridges, oneway, walkable_motorway;
	int bridge_bad_shape; /* a bridge that is not one straight segment */
	int bridge_bad_ends;  /* a bridge end not the end of exactly one other line */
	int bridge_over;      /* bridges passing over a line without a common vertex */
	int ground_on_river;  /* ground lines touching the river */
	int ground_on_motor;  /* non-motorway lines touching the motorway, bridges aside */
	int not_noded;        /* ground lines meeting other than end to end */
	int river_parts;
} roads_scan;

static const char *const road_names[6] = {"motorway", "primary",      "secondary",
                                          "tertiary", "unclassified", "residential"};

static int same_xy(double ax, double ay, double bx, double by)
{
	return fabs(ax - bx) < 1e-9 && fabs(ay - by) < 1e-9;
}

/* True when (x, y) is an end of line g. */
static int is_end(OGRGeometryH g, double x, double y)
{
	int n = OGR_G_GetPointCount(g);
	return same_xy(OGR_G_GetX(g, 0), OGR_G_GetY(g, 0), x, y) ||
	       same_xy(OGR_G_GetX(g, n - 1), OGR_G_GetY(g, n - 1), x, y);
}

/* True when a and b meet only at points that are ends of both. */
static int meet_at_ends(OGRGeometryH a, OGRGeometryH b)
{
	OGRGeometryH x = OGR_G_Intersection(a, b);
	int ok = x != NULL;
	OGRwkbGeometryType t = x ? wkbFlatten(OGR_G_GetGeometryType(x)) : wkbUnknown;
	if (ok && t == wkbPoint)
		ok = is_end(a, OGR_G_GetX(x, 0), OGR_G_GetY(x, 0)) &&
		     is_end(b, OGR_G_GetX(x, 0), OGR_G_GetY(x, 0));
	else if (ok && t == wkbMultiPoint)
		for (int i = 0; ok && i < OGR_G_GetGeometryCount(x); i++) {
			OGRGeometryH p = OGR_G_GetGeometryRef(x, i);
			ok = is_end(a, OGR_G_GetX(p, 0), OGR_G_GetY(p, 0)) &&
			     is_end(b, OGR_G_GetX(p, 0), OGR_G_GetY(p, 0));
		}
	else if (ok)
		ok = OGR_G_IsEmpty(x);
	if (x)
		OGR_G_DestroyGeometry(x);
	return ok;
}

static void roads_check(const char *path, roads_scan *s)
{
	memset(s, 0, sizeof *s);
	GDALAllRegister();
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
	OGRLayerH lyr = GDALDatasetGetLayerByName(ds, "roads");
	OGRLayerH riv = GDALDatasetGetLayerByName(ds, "river");
	CU_ASSERT_PTR_NOT_NULL_FATAL(lyr);
	CU_ASSERT_PTR_NOT_NULL_FATAL(riv);
	OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
	int fh = OGR_FD_GetFieldIndex(defn, "highway"), fo = OGR_FD_GetFieldIndex(defn, "oneway");
	int fb = OGR_FD_GetFieldIndex(defn, "bridge"), fw = OGR_FD_GetFieldIndex(defn, "walkable");
	CU_ASSERT_FATAL(fh >= 0 && fo >= 0 && fb >= 0 && fw >= 0);
	OGRFeatureH rf = OGR_L_GetNextFeature(riv);
	CU_ASSERT_PTR_NOT_NULL_FATAL(rf);
	OGRGeometryH river = OGR_G_Clone(OGR_F_GetGeometryRef(rf));
	s->river_parts = OGR_G_GetGeometryCount(river);
	OGR_F_Destroy(rf);
	/* everything in memory: geometry, class, bridge */
	GIntBig n = OGR_L_GetFeatureCount(lyr, 1);
	OGRGeometryH *g = calloc((size_t)n + 1, sizeof *g);
	int *cls = calloc((size_t)n + 1, sizeof *cls), *br = calloc((size_t)n + 1, sizeof *br);
	GIntBig *fid = calloc((size_t)n + 1, sizeof *fid);
	OGRGeometryH motor = OGR_G_CreateGeometry(wkbMultiLineString);
	OGRFeatureH f;
	OGR_L_ResetReading(lyr);
	while (s->lines < n && (f = OGR_L_GetNextFeature(lyr)) != NULL) {
		int i = s->lines++;
		const char *h = OGR_F_GetFieldAsString(f, fh);
		cls[i] = -1;
		for (int c = 0; c < 6; c++)
			if (!strcmp(h, road_names[c]))
				cls[i] = c;
		if (cls[i] >= 0)
			s->cls[cls[i]]++;
		br[i] = OGR_F_GetFieldAsInteger(f, fb);
		s->bridges += br[i];
		s->oneway += OGR_F_GetFieldAsInteger(f, fo);
		s->walkable_motorway += cls[i] == 0 && OGR_F_GetFieldAsInteger(f, fw);
		fid[i] = OGR_F_GetFID(f);
		g[i] = OGR_G_Clone(OGR_F_GetGeometryRef(f));
		if (cls[i] == 0)
			OGR_G_AddGeometry(motor, g[i]);
		OGR_F_Destroy(f);
	}
	for (int i = 0; i < s->lines; i++) {
		int ground = !br[i] && cls[i] != 0;
		if (ground && OGR_G_Intersects(g[i], river))
			s->ground_on_river++;
		if (ground && OGR_G_Intersects(g[i], motor))
			s->ground_on_motor++;
		if (br[i] && cls[i] != 0) {
			int np = OGR_G_GetPointCount(g[i]);
			s->bridge_bad_shape += np != 2;
			s->ground_on_motor += OGR_G_Intersects(g[i], motor);
		}
		/* the lines near this one, by the layer's spatial index */
		OGR_L_SetSpatialFilter(lyr, g[i]);
		int ends[2] = {0, 0}, over = 0;
		while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
			GIntBig other = OGR_F_GetFID(f);
			OGR_F_Destroy(f);
			int k = (int)other - 1; /* fids are 1..n in write order */
			if (k < 0 || k >= s->lines || fid[k] != other || k == i ||
			    !OGR_G_Intersects(g[i], g[k]))
				continue;
			if (br[i]) {
				int np = OGR_G_GetPointCount(g[i]);
				for (int e = 0; e < 2; e++) {
					double x = OGR_G_GetX(g[i], e ? np - 1 : 0);
					double y = OGR_G_GetY(g[i], e ? np - 1 : 0);
					ends[e] += is_end(g[k], x, y);
				}
				over += !meet_at_ends(g[i], g[k]);
			} else if (ground && k > i && !br[k] && cls[k] != 0 &&
			           !meet_at_ends(g[i], g[k]))
				s->not_noded++;
		}
		if (br[i] && cls[i] != 0) {
			s->bridge_bad_ends += ends[0] != 1 || ends[1] != 1;
			s->bridge_over += over > 0;
		}
	}
	OGR_L_SetSpatialFilter(lyr, NULL);
	for (int i = 0; i < s->lines; i++)
		OGR_G_DestroyGeometry(g[i]);
	OGR_G_DestroyGeometry(motor);
	OGR_G_DestroyGeometry(river);
	free(g);
	free(cls);
	free(br);
	free(fid);
	GDALClose(ds);
}

/* The demo district's streets: every class, bridges that are single
 * segments joined to the network at their two ends only and passing over
 * the riverside roads without a vertex, nothing on the river or across the
 * expressway, ground lines meeting end to end only; the units file is the
 * same bytes with or without --roads, and so is the network for one seed. */
static void test_roads_demo(void)
{
	if (!have_cities())
		return;
	char *err = NULL, a[512], b[512], opt[600];
	snprintf(opt, sizeof opt, "--district 640104 --roads %s/mkcity_roads1r.gpkg", cu_outdir());
	CU_ASSERT_EQUAL_FATAL(run_tool("yinchuan", "mkcity_roads1", opt, &err), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "mkcity: streets: "));
	free(err);
	snprintf(opt, sizeof opt, "-q --district 640104 --roads %s/mkcity_roads2r.gpkg",
	         cu_outdir());
	CU_ASSERT_EQUAL_FATAL(run_tool("yinchuan", "mkcity_roads2", opt, &err), 0);
	free(err);
	CU_ASSERT_EQUAL_FATAL(run_tool("yinchuan", "mkcity_roads3", "-q --district 640104", &err),
	                      0);
	free(err);
	snprintf(a, sizeof a, "%s/mkcity_roads1.gpkg", cu_outdir());
	snprintf(b, sizeof b, "%s/mkcity_roads3.gpkg", cu_outdir());
	CU_ASSERT_TRUE(files_equal(a, b));
	snprintf(a, sizeof a, "%s/mkcity_roads1r.gpkg", cu_outdir());
	snprintf(b, sizeof b, "%s/mkcity_roads2r.gpkg", cu_outdir());
	CU_ASSERT_TRUE(files_equal(a, b));
	roads_scan s;
	roads_check(a, &s);
	for (int c = 0; c < 6; c++)
		CU_ASSERT(s.cls[c] > 0);
	CU_ASSERT(s.lines > 5000);
	CU_ASSERT(s.bridges >= 4);
	CU_ASSERT(s.oneway > 0);
	CU_ASSERT_EQUAL(s.walkable_motorway, 0);
	CU_ASSERT_EQUAL(s.river_parts, 1);
	CU_ASSERT_EQUAL(s.bridge_bad_shape, 0);
	CU_ASSERT_EQUAL(s.bridge_bad_ends, 0);
	CU_ASSERT(s.bridge_over >= 3); /* over the riverside roads, no vertex shared */
	CU_ASSERT_EQUAL(s.ground_on_river, 0);
	CU_ASSERT_EQUAL(s.ground_on_motor, 0);
	CU_ASSERT_EQUAL(s.not_noded, 0);
}

static void test_roads_usage(void)
{
	char cmd[1024], *err = NULL;
	snprintf(cmd, sizeof cmd, "%s --synthetic 10 --roads-block 7 -o x.gpkg", tool_path());
	CU_ASSERT_EQUAL(cu_run(cmd, NULL, &err), 1);
	CU_ASSERT_PTR_NOT_NULL(
	    strstr(err, "mkcity: error: --roads-block '7': expected 0 or 20 to 5000 (metres)\n"));
	free(err);
}

/* Without the real city data (a checkout without ../shared beside it) the
 * suite still passes: the tests that need the data say they are skipped,
 * the others run. Runs the suite again with SP_CITIES naming a missing
 * folder (SP_MKCITY_INNER stops the recursion). */
static void test_skips_without_data(void)
{
	if (getenv("SP_MKCITY_INNER"))
		return;
	const char *b = getenv("SP_BUILD");
	char cmd[1024], want[600], *out = NULL;
	snprintf(cmd, sizeof cmd, "SP_MKCITY_INNER=1 SP_CITIES=%s/no_cities %s/cu_tester mkcity",
	         cu_outdir(), b && *b ? b : "build");
	CU_ASSERT_EQUAL(cu_run(cmd, &out, NULL), 0);
	snprintf(want, sizeof want,
	         "skipped: %s/no_cities not found (SP_CITIES names another folder)", cu_outdir());
	int skipped = 0;
	for (const char *p = out; (p = strstr(p, want)) != NULL; p += strlen(want))
		skipped++;
	CU_ASSERT_EQUAL(skipped, 9);
	CU_ASSERT_PTR_NULL(strstr(out, "FAILED"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "Test: test_synthetic_core ...passed"));
	free(out);
}

void mkcity_suite_setup(void)
{
	CU_SUITE_ADD("mkcity", NULL, NULL, CU_TEST_ENTRY(test_name_stem),
	             CU_TEST_ENTRY(test_district_match_real_names),
	             CU_TEST_ENTRY(test_district_host), CU_TEST_ENTRY(test_kind_and_street),
	             CU_TEST_ENTRY(test_rng_streams), CU_TEST_ENTRY(test_city_yinchuan),
	             CU_TEST_ENTRY(test_same_seed_same_bytes), CU_TEST_ENTRY(test_renamed_district),
	             CU_TEST_ENTRY(test_development_zone), CU_TEST_ENTRY(test_errors),
	             CU_TEST_ENTRY(test_walking_structure),
	             CU_TEST_ENTRY(test_demo_fixture_current), CU_TEST_ENTRY(test_dense_draws),
	             CU_TEST_ENTRY(test_dense_city), CU_TEST_ENTRY(test_synthetic_core),
	             CU_TEST_ENTRY(test_dense_usage), CU_TEST_ENTRY(test_roads_demo),
	             CU_TEST_ENTRY(test_roads_usage), CU_TEST_ENTRY(test_skips_without_data));
}
