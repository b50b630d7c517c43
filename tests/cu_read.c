/*
 * cu_read.c: inputs_read() on the fixtures of fixtures/bad (built by
 * scripts/mkbad.py): every good source kind (GeoPackage, GeoJSON lon/lat,
 * GBK shapefile, CSV join, point units, a bow-tie to repair, points and
 * exclusions) read into the right values, and every bad case refused with
 * its exact message. Also the pure helpers: CRS zones (checked against
 * PROJ), kind lists and names, household counts, SHA-256.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../io/io_int.h"
#include "cu_tester.h"
#include "inputs.h"
#include "scenario.h"

/* Load fixtures/bad/<name>.ini, apply `set` (NULL for none) and read. */
static status_code read_fixture(const char *name, const char *set, inputs *in, status *st)
{
	scenario sc;
	char path[256];
	status_init(st);
	memset(in, 0, sizeof(*in));
	snprintf(path, sizeof(path), "fixtures/bad/%s.ini", name);
	scenario_init(&sc, st);
	status_code rc = scenario_load(&sc, path, st);
	if (rc == STATUS_OK && set)
		rc = scenario_set(&sc, set, st);
	if (rc == STATUS_OK)
		rc = inputs_read(&sc, in, st);
	scenario_free(&sc);
	return rc;
}

static const char *msg(const status *st, size_t i)
{
	return i < st->nproblems && st->problems[i].msg ? st->problems[i].msg : "";
}

/* The one error-severity message, "" unless exactly one. */
static const char *only_error(const status *st)
{
	const char *m = "";
	size_t n = 0;
	for (size_t i = 0; i < st->nproblems; i++)
		if (st->problems[i].sev == SEV_ERROR)
			m = st->problems[i].msg, n++;
	return n == 1 ? m : "";
}

static unsigned wkb_type(const unit *u)
{
	return u->wkb && u->wkb_size >= 5 ? (unsigned)u->wkb[1] | (unsigned)u->wkb[2] << 8 : 0;
}

static void done(inputs *in, status *st)
{
	inputs_free(in);
	status_free(st);
}

static void test_good_gpkg(void)
{
	inputs in;
	status st;
	CU_ASSERT_EQUAL_FATAL(read_fixture("good", NULL, &in, &st), STATUS_OK);
	CU_ASSERT_EQUAL(st.nproblems, 0);
	CU_ASSERT_EQUAL_FATAL(in.nunits, 6);
	CU_ASSERT_STRING_EQUAL(in.crs, "EPSG:4548");
	CU_ASSERT_STRING_EQUAL(in.source_crs, "EPSG:4326");
	CU_ASSERT_PTR_NOT_NULL(strstr(in.crs_wkt, "CGCS2000 / 3-degree Gauss-Kruger CM 117E"));
	CU_ASSERT_STRING_EQUAL(in.units_source, "fixtures/bad/good.gpkg:units");
	const unit *u = &in.units[0];
	CU_ASSERT_STRING_EQUAL(u->id, "371502001001");
	CU_ASSERT_STRING_EQUAL(u->name, "古城社区居委会");
	CU_ASSERT_STRING_EQUAL(u->district, "东昌府区");
	CU_ASSERT_STRING_EQUAL(u->street, "古楼街道");
	CU_ASSERT_EQUAL(u->kind, UNIT_URBAN);
	CU_ASSERT_EQUAL(u->households, 3200);
	CU_ASSERT_EQUAL(u->fid, 1);
	CU_ASSERT_EQUAL(wkb_type(u), 3); /* Polygon */
	CU_ASSERT_EQUAL(u->wkb[0], 1);   /* little-endian */
	/* 0.0054 x 0.0054 degrees at 36.44N: about 484 m x 599 m */
	CU_ASSERT(u->area_m2 > 285000 && u->area_m2 < 295000);
	CU_ASSERT_EQUAL(in.units[4].kind, UNIT_RURAL);
	long total = 0;
	for (size_t i = 0; i < in.nunits; i++)
		total += in.units[i].households;
	CU_ASSERT_EQUAL(total, 12400);
	/* the fingerprint of the file read */
	struct stat sb;
	stat("fixtures/bad/good.gpkg", &sb);
	CU_ASSERT_EQUAL_FATAL(in.nfiles, 1);
	CU_ASSERT_STRING_EQUAL(in.files[0].role, "units");
	CU_ASSERT_EQUAL(in.files[0].size, (long long)sb.st_size);
	CU_ASSERT_EQUAL(strlen(in.files[0].sha256), 64);
	done(&in, &st);
}

static void test_explicit_and_assumed_crs(void)
{
	inputs in;
	status st;
	CU_ASSERT_EQUAL(read_fixture("good", "input.crs=EPSG:4549", &in, &st), STATUS_OK);
	CU_ASSERT_STRING_EQUAL(in.crs, "EPSG:4549");
	done(&in, &st);
	CU_ASSERT_EQUAL(read_fixture("good", "input.crs=EPSG:4326", &in, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(only_error(&st),
	                       "input.crs = EPSG:4326: not a projected CRS in metres");
	done(&in, &st);
	CU_ASSERT_EQUAL(read_fixture("bad_nocrs", "input.assume_crs=EPSG:4326", &in, &st),
	                STATUS_OK);
	CU_ASSERT_STRING_EQUAL(in.crs, "EPSG:4548");
	CU_ASSERT_EQUAL(in.nunits, 6);
	CU_ASSERT_EQUAL(in.units[0].fid, 0); /* shapefile fids start at 0 */
	done(&in, &st);
}

static void test_geojson_lonlat_inferred_kind(void)
{
	inputs in;
	status st;
	CU_ASSERT_EQUAL_FATAL(read_fixture("good_lonlat", NULL, &in, &st), STATUS_OK);
	CU_ASSERT_EQUAL(st.nerrors + st.nwarnings, 0);
	CU_ASSERT_STRING_EQUAL(in.crs, "EPSG:4548");
	CU_ASSERT_EQUAL_FATAL(in.nunits, 6);
	CU_ASSERT_EQUAL(in.units[3].kind, UNIT_URBAN); /* 铁塔社区居委会 */
	CU_ASSERT_EQUAL(in.units[4].kind, UNIT_RURAL); /* 王庄村民委员会 */
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), "fixtures/bad/good_lonlat.geojson:units: no field "
	                                    "'kind', kind inferred from the names (社区/居委会 "
	                                    "urban, 村 rural)");
	done(&in, &st);
}

static void test_gbk_shapefile(void)
{
	inputs in;
	status st;
	CU_ASSERT_EQUAL_FATAL(read_fixture("good_gbk", NULL, &in, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(in.nunits, 6);
	CU_ASSERT_STRING_EQUAL(in.units[0].name, "古城社区居委会");
	CU_ASSERT_STRING_EQUAL(in.units[5].street, "侯营镇");
	done(&in, &st);
	CU_ASSERT_EQUAL(read_fixture("bad_encoding", NULL, &in, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 6);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), "fixtures/bad/gbk.shp:gbk fid 0 (code 371502001001): "
	                                    "name, district, street are not valid UTF-8; for a GBK "
	                                    "file set input.units_open_options = ENCODING=CP936");
	CU_ASSERT_STRING_EQUAL(st.problems[0].kind, "encoding");
	done(&in, &st);
}

static void test_csv_join(void)
{
	inputs in;
	status st;
	CU_ASSERT_EQUAL_FATAL(read_fixture("good_join", NULL, &in, &st), STATUS_OK);
	CU_ASSERT_EQUAL(st.nproblems, 0);
	CU_ASSERT_EQUAL_FATAL(in.nunits, 6);
	CU_ASSERT_EQUAL(in.units[2].households, 4100);
	CU_ASSERT_EQUAL(in.units[5].households, 380);
	CU_ASSERT_EQUAL_FATAL(in.nfiles, 2);
	CU_ASSERT_STRING_EQUAL(in.files[1].role, "households_table");
	done(&in, &st);
	CU_ASSERT_EQUAL(read_fixture("bad_join", NULL, &in, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 1);
	CU_ASSERT_EQUAL(st.nwarnings, 1);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), "fixtures/bad/households_partial.csv: 2 unit(s) of "
	                                    "fixtures/bad/nohh.gpkg:units have no row with their "
	                                    "code in column 'code': 371502100201, 371502100202");
	CU_ASSERT_STRING_EQUAL(msg(&st, 1),
	                       "fixtures/bad/households_partial.csv: 1 row(s) match "
	                       "no unit of fixtures/bad/nohh.gpkg:units: 371502999999");
	CU_ASSERT_EQUAL(in.units[0].households, 3200); /* LF-only rows read too */
	done(&in, &st);
	CU_ASSERT_EQUAL(read_fixture("good_join", "input.households_field=households", &in, &st),
	                STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(only_error(&st), "fixtures/bad/households.csv: no column "
	                                        "'households' (input.households_field; "
	                                        "columns: code, hh)");
	done(&in, &st);
}

static void test_point_units(void)
{
	inputs in;
	status st;
	CU_ASSERT_EQUAL_FATAL(read_fixture("good_points", NULL, &in, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(in.nunits, 6);
	CU_ASSERT_EQUAL(wkb_type(&in.units[0]), 1); /* Point */
	CU_ASSERT_EQUAL(in.units[0].wkb_size, 21);
	CU_ASSERT_DOUBLE_EQUAL(in.units[0].area_m2, 0, 0);
	/* x is the easting in the 117E zone: 500 km false easting, west of it */
	double x;
	memcpy(&x, in.units[0].wkb + 5, sizeof(x));
	CU_ASSERT(x > 400000 && x < 500000);
	done(&in, &st);
}

static void test_bowtie_repaired(void)
{
	inputs in;
	status st;
	CU_ASSERT_EQUAL_FATAL(read_fixture("good_bowtie", NULL, &in, &st), STATUS_OK);
	CU_ASSERT_EQUAL(in.nrepaired, 1);
	CU_ASSERT_EQUAL(st.nerrors, 0);
	CU_ASSERT_EQUAL(wkb_type(&in.units[0]), 6); /* MultiPolygon: two triangles */
	/* the two triangles cover half of the square */
	CU_ASSERT(in.units[0].area_m2 > 0.45 * in.units[1].area_m2 &&
	          in.units[0].area_m2 < 0.55 * in.units[1].area_m2);
	CU_ASSERT_EQUAL(st.problems[0].sev, SEV_INFO);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg(&st, 0), "fixtures/bad/bowtie.gpkg:units fid 1 (code "
	                                           "371502001001): invalid polygon repaired"));
	done(&in, &st);
}

static void test_points_and_exclusions(void)
{
	inputs in;
	status st;
	CU_ASSERT_EQUAL_FATAL(read_fixture("good_extra", NULL, &in, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(in.existing.n, 2);
	CU_ASSERT_STRING_EQUAL(in.existing.id[0], "S1");
	CU_ASSERT_STRING_EQUAL(in.existing.id[1], "S2");
	CU_ASSERT(in.existing.x[0] > 400000 && in.existing.x[0] < 500000);
	CU_ASSERT(in.existing.y[0] > 4000000 && in.existing.y[0] < 4100000);
	CU_ASSERT_EQUAL(in.candidates.n, 2);
	CU_ASSERT_EQUAL_FATAL(in.exclude.n, 1);
	CU_ASSERT_EQUAL(in.nfiles, 4);
	/* a 0.0018-degree square grown by 50 m on every side */
	OGRGeometryH g = NULL;
	OGR_G_CreateFromWkb(in.exclude.wkb[0], NULL, &g, (int)in.exclude.wkb_size[0]);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	double a = OGR_G_Area(g), side = 0.0018 * 111000 * 0.85; /* about 170 m */
	CU_ASSERT(a > side * side + 4 * 50 * 150 && a < (side + 100) * (side + 130));
	OGR_G_DestroyGeometry(g);
	done(&in, &st);
}

static void test_bad_sources(void)
{
	inputs in;
	status st;
	CU_ASSERT_EQUAL(read_fixture("bad_nofile", NULL, &in, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(only_error(&st),
	                       "input.units = fixtures/bad/nosuch.gpkg: no such file");
	CU_ASSERT_STRING_EQUAL(st.problems[0].kind, "file");
	done(&in, &st);
	CU_ASSERT_EQUAL(read_fixture("bad_layer", NULL, &in, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(only_error(&st),
	                       "fixtures/bad/good.gpkg: no layer 'communities' (layers: units)");
	done(&in, &st);
	CU_ASSERT_EQUAL(read_fixture("bad_field", NULL, &in, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(
	    only_error(&st), "fixtures/bad/good.gpkg:units: no field 'hh' (input.households_field; "
	                     "fields: code, name, kind, district, street, households)");
	done(&in, &st);
	CU_ASSERT_EQUAL(read_fixture("bad_nocrs", NULL, &in, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(only_error(&st),
	                       "fixtures/bad/nocrs.shp:nocrs: no CRS in the source; set "
	                       "input.assume_crs (e.g. EPSG:4326 for lon/lat)");
	CU_ASSERT_STRING_EQUAL(st.problems[0].kind, "crs");
	done(&in, &st);
	CU_ASSERT_EQUAL(read_fixture("good", "input.existing=fixtures/bad/none.geojson", &in, &st),
	                STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(only_error(&st),
	                       "input.existing = fixtures/bad/none.geojson: no such file");
	done(&in, &st);
}

static void test_bad_households(void)
{
	inputs in;
	status st;
	CU_ASSERT_EQUAL(read_fixture("bad_households", NULL, &in, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL_FATAL(st.nerrors, 3);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), "fixtures/bad/households.gpkg:units fid 2 (code "
	                                    "371502001002): households = 'abc', must be a whole "
	                                    "number >= 0");
	CU_ASSERT_STRING_EQUAL(msg(&st, 1), "fixtures/bad/households.gpkg:units fid 3 (code "
	                                    "371502001003): households is null, must be a whole "
	                                    "number >= 0");
	CU_ASSERT_STRING_EQUAL(msg(&st, 2), "fixtures/bad/households.gpkg:units fid 4 (code "
	                                    "371502002001): households = '-3', must be >= 0");
	CU_ASSERT_STRING_EQUAL(st.problems[0].kind, "households");
	done(&in, &st);
}

static void test_bad_ids_geometry_kind(void)
{
	inputs in;
	status st;
	CU_ASSERT_EQUAL(read_fixture("bad_dupid", NULL, &in, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(only_error(&st), "fixtures/bad/dupid.gpkg:units fid 5 (code "
	                                        "371502001002): duplicate id, also on fid 2");
	done(&in, &st);
	CU_ASSERT_EQUAL(read_fixture("bad_geometry", NULL, &in, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL_FATAL(st.nerrors, 3);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), "fixtures/bad/geometry.gpkg:units fid 2 (code "
	                                    "371502001002): no geometry");
	CU_ASSERT_STRING_EQUAL(msg(&st, 1), "fixtures/bad/geometry.gpkg:units fid 3 (code "
	                                    "371502001003): empty geometry");
	CU_ASSERT_STRING_EQUAL(msg(&st, 2), "fixtures/bad/geometry.gpkg:units fid 4 (code "
	                                    "371502002001): polygon has zero area");
	done(&in, &st);
	CU_ASSERT_EQUAL(read_fixture("bad_kind", NULL, &in, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(only_error(&st),
	                       "fixtures/bad/kind.gpkg:units fid 3 (code 371502001003): kind = "
	                       "'farm', unknown kind (add it to input.kind_urban_values or "
	                       "input.kind_rural_values)");
	done(&in, &st);
	/* the fix the message suggests works */
	CU_ASSERT_EQUAL(
	    read_fixture("bad_kind", "input.kind_rural_values=village,rural,farm", &in, &st),
	    STATUS_OK);
	CU_ASSERT_EQUAL(in.units[2].kind, UNIT_RURAL);
	done(&in, &st);
	CU_ASSERT_EQUAL(read_fixture("bad_kindname", NULL, &in, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(only_error(&st),
	                       "fixtures/bad/kindname.geojson:units fid 5 (code 371502100202): "
	                       "name = '侯营农场', unknown kind: the name has neither 社区/居委会 "
	                       "(urban) nor 村 (rural); add a kind field (input.kind_field)");
	done(&in, &st);
}

static void test_crs_zones(void)
{
	CU_ASSERT_EQUAL(read_crs_auto_epsg(115.98, 36.45), 4548); /* Liaocheng, CM 117E */
	CU_ASSERT_EQUAL(read_crs_auto_epsg(106.23, 38.49), 4544); /* Yinchuan, CM 105E */
	CU_ASSERT_EQUAL(read_crs_auto_epsg(119.22, 34.60), 4549); /* Lianyungang, CM 120E */
	CU_ASSERT_EQUAL(read_crs_auto_epsg(75.5, 39.0), 4534);
	CU_ASSERT_EQUAL(read_crs_auto_epsg(134.9, 48.0), 4554);
	CU_ASSERT_EQUAL(read_crs_auto_epsg(2.35, 48.85), 32631);  /* Paris */
	CU_ASSERT_EQUAL(read_crs_auto_epsg(-43.2, -22.9), 32723); /* Rio */
	/* the zone's central meridian, according to PROJ, is nearest the data */
	const double lons[] = {75.5, 98.0, 115.98, 119.22, 134.9};
	for (size_t i = 0; i < sizeof(lons) / sizeof(lons[0]); i++) {
		char text[32];
		snprintf(text, sizeof(text), "EPSG:%d", read_crs_auto_epsg(lons[i], 36));
		OGRSpatialReferenceH s = read_crs_parse(text);
		CU_ASSERT_PTR_NOT_NULL_FATAL(s);
		double cm = OSRGetProjParm(s, SRS_PP_CENTRAL_MERIDIAN, -999, NULL);
		CU_ASSERT(fabs(cm - lons[i]) <= 1.5);
		CU_ASSERT_PTR_NOT_NULL(
		    strstr(OSRGetName(s), "CGCS2000 / 3-degree Gauss-Kruger CM"));
		OSRDestroySpatialReference(s);
	}
}

static void test_helpers(void)
{
	long v = -1;
	const char *why = "";
	CU_ASSERT_EQUAL(read_households_parse(" 3200 ", &v, &why), 0);
	CU_ASSERT_EQUAL(v, 3200);
	CU_ASSERT_EQUAL(read_households_parse("3200.0", &v, &why), 0);
	CU_ASSERT_EQUAL(read_households_parse("12.5", &v, &why), -1);
	CU_ASSERT_STRING_EQUAL(why, "must be a whole number");
	CU_ASSERT_EQUAL(read_households_parse("-1", &v, &why), -1);
	CU_ASSERT_STRING_EQUAL(why, "must be >= 0");
	CU_ASSERT_EQUAL(read_households_parse("12 households", &v, &why), -1);
	CU_ASSERT_STRING_EQUAL(why, "must be a whole number >= 0");
	CU_ASSERT_EQUAL(read_households_parse("", &v, &why), -2);

	const char *urban = "community, urban ,社区", *rural = "village,rural,村";
	CU_ASSERT_EQUAL(read_kind_map("URBAN", urban, rural), UNIT_URBAN);
	CU_ASSERT_EQUAL(read_kind_map(" village", urban, rural), UNIT_RURAL);
	CU_ASSERT_EQUAL(read_kind_map("社区", urban, rural), UNIT_URBAN);
	CU_ASSERT_EQUAL(read_kind_map("other", urban, rural), -1);
	CU_ASSERT_EQUAL(read_kind_map("", urban, rural), -1);
	/* the list test both share (read_kind.c, read_roads.c): items trimmed,
	 * case-insensitive, the first `len` bytes of the item compared */
	CU_ASSERT_TRUE(read_list_has(" footway ,Steps", "steps", 5));
	CU_ASSERT_TRUE(read_list_has(" footway ,Steps", "footway_x", 7));
	CU_ASSERT_FALSE(read_list_has(" footway ,Steps", "foot", 4));
	CU_ASSERT_FALSE(read_list_has(" footway ,Steps", " footway", 8));
	CU_ASSERT_FALSE(read_list_has(NULL, "steps", 5));
	CU_ASSERT_FALSE(read_list_has("", "", 0));
	CU_ASSERT_EQUAL(read_kind_infer("新村社区居委会"), UNIT_URBAN);
	CU_ASSERT_EQUAL(read_kind_infer("王庄村"), UNIT_RURAL);
	CU_ASSERT_EQUAL(read_kind_infer("侯营农场"), -1);

	CU_ASSERT_TRUE(read_utf8_valid("古城 abc"));
	CU_ASSERT_FALSE(read_utf8_valid("\xb9\xc5\xb3\xc7")); /* 古城 in GBK */
	CU_ASSERT_FALSE(read_utf8_valid("\xed\xa0\x80"));     /* a surrogate */
	CU_ASSERT_FALSE(read_utf8_valid("\xc0\xaf"));         /* overlong */

	char hex[65];
	read_sha256_hex("abc", 3, hex);
	CU_ASSERT_STRING_EQUAL(hex,
	                       "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	read_sha256_hex("", 0, hex);
	CU_ASSERT_STRING_EQUAL(hex,
	                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	read_sha256_hex(two, strlen(two), hex);
	CU_ASSERT_STRING_EQUAL(hex,
	                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

void read_suite_setup(void)
{
	CU_SUITE_ADD("read", NULL, NULL, CU_TEST_ENTRY(test_good_gpkg),
	             CU_TEST_ENTRY(test_explicit_and_assumed_crs),
	             CU_TEST_ENTRY(test_geojson_lonlat_inferred_kind),
	             CU_TEST_ENTRY(test_gbk_shapefile), CU_TEST_ENTRY(test_csv_join),
	             CU_TEST_ENTRY(test_point_units), CU_TEST_ENTRY(test_bowtie_repaired),
	             CU_TEST_ENTRY(test_points_and_exclusions), CU_TEST_ENTRY(test_bad_sources),
	             CU_TEST_ENTRY(test_bad_households), CU_TEST_ENTRY(test_bad_ids_geometry_kind),
	             CU_TEST_ENTRY(test_crs_zones), CU_TEST_ENTRY(test_helpers));
}
