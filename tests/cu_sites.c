/*
 * cu_sites.c: candidate sites on tiny hand-built geometries with known
 * answers (square community, U-shape whose centroid is outside, excluded
 * sites, 1 m merge, candidates_only, existing kept, village fallback), the
 * error paths, and a seeded property test against brute force. Also holds
 * the fixture helpers of tests/cu_sites.h, shared with cu_reach.c.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_sites.h"
#include "cu_tester.h"
#include "geos_ctx.h"
#include "sites.h"

/* ---- fixture helpers (tests/cu_sites.h) ---- */

static unsigned char *wkt_to_wkb(const char *wkt, size_t *size)
{
	status st;
	status_init(&st);
	geos_ctx *g = geos_ctx_new(&st);
	unsigned char *wkb = NULL;
	if (g) {
		GEOSWKTReader *r = GEOSWKTReader_create_r(geos_ctx_handle(g));
		GEOSGeometry *geom = GEOSWKTReader_read_r(geos_ctx_handle(g), r, wkt);
		if (geom) {
			wkb = geos_ctx_write_wkb(g, geom, size, "fixture", &st);
			GEOSGeom_destroy_r(geos_ctx_handle(g), geom);
		}
		GEOSWKTReader_destroy_r(geos_ctx_handle(g), r);
	}
	geos_ctx_free(g);
	status_free(&st);
	CU_ASSERT_PTR_NOT_NULL_FATAL(wkb);
	return wkb;
}

int fx_unit(inputs *in, const char *id, unit_kind kind, long households, const char *wkt)
{
	in->units = realloc(in->units, (in->nunits + 1) * sizeof(*in->units));
	unit *u = &in->units[in->nunits];
	memset(u, 0, sizeof(*u));
	u->id = strdup(id);
	u->name = strdup("");
	u->district = strdup("");
	u->street = strdup("");
	u->kind = kind;
	u->households = households;
	u->fid = (long long)in->nunits + 1;
	u->wkb = wkt_to_wkb(wkt, &u->wkb_size);
	return (int)in->nunits++;
}

void fx_point(point_set *ps, double x, double y, long long fid)
{
	ps->x = realloc(ps->x, (ps->n + 1) * sizeof(double));
	ps->y = realloc(ps->y, (ps->n + 1) * sizeof(double));
	ps->fid = realloc(ps->fid, (ps->n + 1) * sizeof(long long));
	ps->id = realloc(ps->id, (ps->n + 1) * sizeof(char *));
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", fid);
	ps->x[ps->n] = x;
	ps->y[ps->n] = y;
	ps->fid[ps->n] = fid;
	ps->id[ps->n] = strdup(buf);
	ps->n++;
}

void fx_exclude(inputs *in, const char *wkt)
{
	poly_set *p = &in->exclude;
	p->wkb = realloc(p->wkb, (p->n + 1) * sizeof(*p->wkb));
	p->wkb_size = realloc(p->wkb_size, (p->n + 1) * sizeof(size_t));
	p->wkb[p->n] = wkt_to_wkb(wkt, &p->wkb_size[p->n]);
	p->n++;
}

static void free_points(point_set *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		free(ps->id[i]);
	free(ps->x);
	free(ps->y);
	free(ps->fid);
	free(ps->id);
}

void fx_free(inputs *in)
{
	for (size_t i = 0; i < in->nunits; i++) {
		free(in->units[i].id);
		free(in->units[i].name);
		free(in->units[i].district);
		free(in->units[i].street);
		free(in->units[i].wkb);
	}
	free(in->units);
	free_points(&in->existing);
	free_points(&in->candidates);
	for (size_t i = 0; i < in->exclude.n; i++)
		free(in->exclude.wkb[i]);
	free(in->exclude.wkb);
	free(in->exclude.wkb_size);
	memset(in, 0, sizeof(*in));
}

void fx_scenario(scenario *sc)
{
	status st;
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(scenario_init(sc, &st), STATUS_OK);
	status_free(&st);
}

int fx_find_site(const site_table *t, double x, double y)
{
	for (size_t i = 0; i < t->n; i++)
		if (fabs(t->sites[i].x - x) < 1e-6 && fabs(t->sites[i].y - y) < 1e-6)
			return (int)i;
	return -1;
}

double fx_rand(unsigned long long *state, double lo, double hi)
{
	*state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
	return lo + (hi - lo) * (double)(*state >> 11) / 9007199254740992.0;
}

/* ---- tests ---- */

status_code fx_sites(const inputs *in, const scenario *sc, site_table *t, status *st)
{
	unit_geom *ug;
	status_code rc = unit_geom_prepare(in, sc, &ug, st);
	if (rc != STATUS_OK) {
		memset(t, 0, sizeof(*t));
		return rc;
	}
	rc = sites_build(in, sc, ug, t, st);
	unit_geom_free(ug);
	return rc;
}

/* Prepare the units once, then build the sites, as the pipeline does. */
static status_code build(const inputs *in, const scenario *sc, site_table *t, status *st)
{
	status_init(st);
	return fx_sites(in, sc, t, st);
}

status_code fx_reach(const inputs *in, const site_table *t, const scenario *sc, reach *r,
                     status *st)
{
	unit_geom *ug;
	status_code rc = unit_geom_prepare(in, sc, &ug, st);
	if (rc != STATUS_OK) {
		memset(r, 0, sizeof(*r));
		return rc;
	}
	rc = reach_build(in, t, sc, ug, r, st);
	unit_geom_free(ug);
	return rc;
}

const char *fx_validate_msg(const scenario *sc, const char *key, status *st)
{
	status_init(st);
	scenario_validate(sc, st);
	for (size_t i = 0; i < st->nproblems; i++)
		if (strstr(st->problems[i].msg, key))
			return st->problems[i].msg;
	return "";
}

/* Square (10,10)-(510,510): PointOnSurface is its centre (260,260); the
 * 250 m grid aligned on multiples of 250 puts 4 points inside. */
static void test_square_grid(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	fx_unit(&in, "sq", UNIT_URBAN, 3000, "POLYGON((10 10,510 10,510 510,10 510,10 10))");
	site_table t;
	status st;
	CU_ASSERT_EQUAL_FATAL(build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL(t.n, 5);
	CU_ASSERT_EQUAL(t.nsource[SITE_REPRESENTATIVE], 1);
	CU_ASSERT_EQUAL(t.nsource[SITE_GRID], 4);
	CU_ASSERT_EQUAL(t.nmerged, 0);
	int rep = fx_find_site(&t, 260, 260);
	CU_ASSERT_TRUE_FATAL(rep >= 0);
	CU_ASSERT_EQUAL(t.sites[rep].source, SITE_REPRESENTATIVE);
	/* sorted by (x, y) */
	const double want[5][2] = {{250, 250}, {250, 500}, {260, 260}, {500, 250}, {500, 500}};
	for (size_t i = 0; i < 5 && i < t.n; i++) {
		CU_ASSERT_DOUBLE_EQUAL(t.sites[i].x, want[i][0], 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(t.sites[i].y, want[i][1], 1e-9);
		CU_ASSERT_EQUAL(t.sites[i].unit, 0);
		CU_ASSERT_EQUAL(t.sites[i].src_fid, -1);
	}
	sites_free(&t);
	status_free(&st);

	/* Square (0,0)-(500,500): the grid covers the boundary too (9 points)
	 * and its centre coincides with the representative point, which wins. */
	fx_free(&in);
	fx_unit(&in, "sq0", UNIT_URBAN, 3000, "POLYGON((0 0,500 0,500 500,0 500,0 0))");
	CU_ASSERT_EQUAL_FATAL(build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL(t.n, 9);
	CU_ASSERT_EQUAL(t.nmerged, 1);
	CU_ASSERT_EQUAL(t.nsource[SITE_REPRESENTATIVE], 1);
	CU_ASSERT_EQUAL(t.nsource[SITE_GRID], 8);
	int c = fx_find_site(&t, 250, 250);
	CU_ASSERT_TRUE_FATAL(c >= 0);
	CU_ASSERT_EQUAL(t.sites[c].source, SITE_REPRESENTATIVE);
	CU_ASSERT_STRING_EQUAL(site_source_name(t.sites[c].source), "representative");
	sites_free(&t);
	status_free(&st);
	fx_free(&in);
	scenario_free(&sc);
}

/* U-shape: bottom bar 300x100 and two arms 100x200. Its centroid
 * (150, 135.71) lies in the gap between the arms; the representative
 * point must lie inside the polygon. */
static void test_u_shape(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	sc.candidate_spacing_m = 5000; /* no multiple of 5000 inside */
	const char *u = "POLYGON((1000 1000,1300 1000,1300 1300,1200 1300,1200 1100,1100 "
	                "1100,1100 1300,1000 1300,1000 1000))";
	fx_unit(&in, "u", UNIT_URBAN, 100, u);
	site_table t;
	status st;
	CU_ASSERT_EQUAL_FATAL(build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(t.n, 1);
	CU_ASSERT_EQUAL(t.sites[0].source, SITE_REPRESENTATIVE);
	CU_ASSERT_EQUAL(t.sites[0].unit, 0);
	double x = t.sites[0].x, y = t.sites[0].y;
	int in_bar = x > 1000 && x < 1300 && y > 1000 && y < 1100;
	int in_arm = y >= 1100 && y < 1300 && ((x > 1000 && x < 1100) || (x > 1200 && x < 1300));
	CU_ASSERT_TRUE(in_bar || in_arm);
	/* and the centroid really is outside, so the test means something */
	geos_ctx *g = geos_ctx_new(&st);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	GEOSGeometry *geom = geos_ctx_read_wkb(g, in.units[0].wkb, in.units[0].wkb_size, "u", &st);
	GEOSGeometry *cen = GEOSGetCentroid_r(geos_ctx_handle(g), geom);
	CU_ASSERT_EQUAL(GEOSContains_r(geos_ctx_handle(g), geom, cen), 0);
	GEOSGeometry *rep = geos_ctx_point(g, x, y, &st);
	CU_ASSERT_EQUAL(GEOSContains_r(geos_ctx_handle(g), geom, rep), 1);
	GEOSGeom_destroy_r(geos_ctx_handle(g), rep);
	GEOSGeom_destroy_r(geos_ctx_handle(g), cen);
	GEOSGeom_destroy_r(geos_ctx_handle(g), geom);
	geos_ctx_free(g);
	sites_free(&t);
	status_free(&st);
	fx_free(&in);
	scenario_free(&sc);
}

/* An exclusion over one grid point and over a user candidate drops them
 * (counted, the candidate warned); an existing station inside stays. */
static void test_exclusion(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	fx_unit(&in, "sq", UNIT_URBAN, 3000, "POLYGON((10 10,510 10,510 510,10 510,10 10))");
	fx_exclude(&in, "POLYGON((450 450,550 450,550 550,450 550,450 450))");
	fx_point(&in.candidates, 480, 470, 42);
	fx_point(&in.candidates, 300, 400, 43);
	fx_point(&in.existing, 490, 460, 7);
	in.candidates.source = "cand.gpkg";
	in.candidates.layer = "sites";
	site_table t;
	status st;
	CU_ASSERT_EQUAL_FATAL(build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL(t.nexcluded, 2); /* grid (500,500) and candidate 42 */
	CU_ASSERT_EQUAL(fx_find_site(&t, 500, 500), -1);
	CU_ASSERT_EQUAL(fx_find_site(&t, 480, 470), -1);
	CU_ASSERT_EQUAL(t.n, 6); /* existing, candidate 43, rep, 3 grid */
	CU_ASSERT_EQUAL_FATAL(fx_find_site(&t, 490, 460), 0);
	CU_ASSERT_EQUAL(t.sites[0].source, SITE_EXISTING);
	CU_ASSERT_EQUAL(t.sites[0].src_fid, 7);
	CU_ASSERT_EQUAL(t.sites[0].unit, 0);
	int c = fx_find_site(&t, 300, 400);
	CU_ASSERT_TRUE_FATAL(c > 0);
	CU_ASSERT_EQUAL(t.sites[c].source, SITE_CANDIDATE);
	CU_ASSERT_EQUAL(t.sites[c].src_fid, 43);
	CU_ASSERT_EQUAL(t.sites[c].unit, 0);
	CU_ASSERT_EQUAL_FATAL(st.nproblems, 1);
	CU_ASSERT_EQUAL(st.problems[0].sev, SEV_WARNING);
	CU_ASSERT_STRING_EQUAL(
	    st.problems[0].msg,
	    "cand.gpkg:sites fid 42: candidate site inside an exclusion, dropped");
	in.candidates.source = NULL;
	in.candidates.layer = NULL;
	sites_free(&t);
	status_free(&st);
	fx_free(&in);
	scenario_free(&sc);
}

/* Within 1 m the higher-priority source is kept: two candidates 0.5 m apart
 * become one, a candidate 0.8 m from an existing station goes, 1.5 m apart
 * both stay. Existing first, then (x, y). */
static void test_merge(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	sc.candidates_only = 1;
	fx_point(&in.candidates, 100, 100, 1);
	fx_point(&in.candidates, 100.5, 100, 2);
	fx_point(&in.candidates, 200.8, 200, 3);
	fx_point(&in.candidates, 300, 300, 4);
	fx_point(&in.candidates, 301.5, 300, 5);
	fx_point(&in.existing, 200, 200, 9);
	fx_point(&in.existing, 50, 50, 8);
	site_table t;
	status st;
	CU_ASSERT_EQUAL_FATAL(build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL(t.nmerged, 2);
	CU_ASSERT_EQUAL_FATAL(t.n, 5);
	const double want[5][2] = {{200, 200}, {50, 50}, {100, 100}, {300, 300}, {301.5, 300}};
	const long long fid[5] = {9, 8, 1, 4, 5};
	for (size_t i = 0; i < 5; i++) {
		CU_ASSERT_DOUBLE_EQUAL(t.sites[i].x, want[i][0], 1e-9);
		CU_ASSERT_DOUBLE_EQUAL(t.sites[i].y, want[i][1], 1e-9);
		CU_ASSERT_EQUAL(t.sites[i].src_fid, fid[i]);
		CU_ASSERT_EQUAL(t.sites[i].unit, -1);
	}
	CU_ASSERT_EQUAL(t.nsource[SITE_EXISTING], 2);
	CU_ASSERT_EQUAL(t.nsource[SITE_CANDIDATE], 3);
	sites_free(&t);
	status_free(&st);
	fx_free(&in);
	scenario_free(&sc);
}

/* candidates_only: no representative or grid sites, candidates located in
 * their unit by point-in-polygon (lowest index on a shared edge). */
static void test_candidates_only(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	sc.candidates_only = 1;
	fx_unit(&in, "a", UNIT_URBAN, 10, "POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))");
	fx_unit(&in, "b", UNIT_URBAN, 10, "POLYGON((1000 0,2000 0,2000 1000,1000 1000,1000 0))");
	fx_point(&in.candidates, 1600, 500, 1);
	fx_point(&in.candidates, 1000, 500, 2); /* on the shared edge */
	fx_point(&in.candidates, 5000, 5000, 3);
	site_table t;
	status st;
	CU_ASSERT_EQUAL_FATAL(build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(t.n, 3);
	CU_ASSERT_EQUAL(t.nsource[SITE_CANDIDATE], 3);
	CU_ASSERT_EQUAL(t.sites[fx_find_site(&t, 1600, 500)].unit, 1);
	CU_ASSERT_EQUAL(t.sites[fx_find_site(&t, 1000, 500)].unit, 0);
	CU_ASSERT_EQUAL(t.sites[fx_find_site(&t, 5000, 5000)].unit, -1);
	sites_free(&t);
	status_free(&st);

	sc.candidates_only = 0;
	CU_ASSERT_EQUAL_FATAL(build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL(t.nsource[SITE_REPRESENTATIVE], 2);
	CU_ASSERT_EQUAL(t.nsource[SITE_CANDIDATE], 3);
	/* grid 0..2000 x 0..1000 step 250: 9 x 5 points, the shared column
	 * x = 1000 generated twice (merged), (500,500), (1500,500) taken by
	 * the representative points and (1000,500) by candidate 2 */
	CU_ASSERT_EQUAL(t.nsource[SITE_GRID], 45 - 3);
	CU_ASSERT_EQUAL(t.nmerged, 5 + 3);
	sites_free(&t);
	status_free(&st);
	fx_free(&in);
	scenario_free(&sc);
}

/* A village whose representative point is excluded gets the nearest free
 * point of its own (refined) grid instead; a point village inside an
 * exclusion keeps its point, with a warning. Villages get no grid. */
static void test_village_fallback(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	fx_unit(&in, "v1", UNIT_RURAL, 300, "POLYGON((0 0,1000 0,1000 200,0 200,0 0))");
	fx_unit(&in, "v2", UNIT_RURAL, 300, "POINT(5000 5000)");
	fx_exclude(&in, "POLYGON((300 -10,1010 -10,1010 210,300 210,300 -10))");
	fx_exclude(&in, "POLYGON((4900 4900,5100 4900,5100 5100,4900 5100,4900 4900))");
	site_table t;
	status st;
	CU_ASSERT_EQUAL_FATAL(build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(t.n, 2);
	/* representative (500,100) excluded; free grid points at spacing 250:
	 * (0,0), (250,0); nearest to (500,100) is (250,0) */
	CU_ASSERT_EQUAL(t.nexcluded, 1);
	CU_ASSERT_EQUAL(t.nforced, 1);
	int f = fx_find_site(&t, 250, 0);
	CU_ASSERT_TRUE_FATAL(f >= 0);
	CU_ASSERT_EQUAL(t.sites[f].source, SITE_GRID);
	CU_ASSERT_EQUAL(t.sites[f].unit, 0);
	int p = fx_find_site(&t, 5000, 5000);
	CU_ASSERT_TRUE_FATAL(p >= 0);
	CU_ASSERT_EQUAL(t.sites[p].source, SITE_REPRESENTATIVE);
	CU_ASSERT_EQUAL(t.sites[p].unit, 1);
	CU_ASSERT_EQUAL_FATAL(st.nproblems, 1);
	CU_ASSERT_STRING_EQUAL(st.problems[0].msg,
	                       "village 'v2' (fid 2): no site outside the exclusions, its "
	                       "representative point is kept inside one");
	sites_free(&t);
	status_free(&st);
	/* as_urban: the village is an ordinary unit, no fallback, grid on */
	sc.rural = RURAL_AS_URBAN;
	CU_ASSERT_EQUAL_FATAL(build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL(t.nforced, 0);
	CU_ASSERT_EQUAL(t.nsource[SITE_REPRESENTATIVE], 0);
	CU_ASSERT_EQUAL(t.nsource[SITE_GRID], 2); /* (0,0), (250,0); x >= 500 excluded */
	sites_free(&t);
	status_free(&st);
	fx_free(&in);
	scenario_free(&sc);
}

static void test_errors(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	site_table t;
	status st;
	/* parameters are validated in one place, the scenario module */
	sc.candidate_spacing_m = 0;
	CU_ASSERT_STRING_EQUAL(fx_validate_msg(&sc, "candidate_spacing_m", &st),
	                       "rules: candidate_spacing_m = 0, must be > 0");
	status_free(&st);

	sc.candidate_spacing_m = 0.01;
	fx_unit(&in, "big", UNIT_URBAN, 1, "POLYGON((0 0,500 0,500 500,0 500,0 0))");
	CU_ASSERT_EQUAL(build(&in, &sc, &t, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(st.msg, "rules: candidate_spacing_m = 0.01 is too fine for unit "
	                               "'big' (fid 1): 2.5e+09 grid points to test (at most "
	                               "4000000)");
	CU_ASSERT_EQUAL(t.n, 0);
	CU_ASSERT_PTR_NULL(t.sites);
	status_free(&st);

	sc.candidate_spacing_m = 250;
	in.units[0].wkb[1] = 0x63; /* unknown geometry type */
	CU_ASSERT_EQUAL(build(&in, &sc, &t, &st), STATUS_INPUT);
	const char *prefix = "unit 'big' (fid 1): invalid WKB: ";
	CU_ASSERT_NSTRING_EQUAL(st.msg, prefix, strlen(prefix));
	CU_ASSERT_TRUE(strlen(st.msg) > strlen(prefix)); /* GEOS said why */
	status_free(&st);
	fx_free(&in);

	fx_unit(&in, "line", UNIT_URBAN, 1, "LINESTRING(0 0,1 1)");
	CU_ASSERT_EQUAL(build(&in, &sc, &t, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(st.msg, "unit 'line' (fid 1): geometry type LineString (must be "
	                               "Polygon, MultiPolygon or Point)");
	status_free(&st);
	fx_free(&in);
	scenario_free(&sc);
}

/* Random units, exclusions and candidates (seeded): every non-existing site
 * is outside every exclusion, no two non-existing sites are within 1 m,
 * every grid/representative site lies in its unit, and the table does not
 * change (but for unit indices) when the units are given in reverse. */
static void test_property_random(void)
{
	unsigned long long seed = 12345;
	scenario sc;
	fx_scenario(&sc);
	sc.candidate_spacing_m = 150;
	inputs in = {0}, rev = {0};
	char wkt[256];
	char(*units)[256] = malloc(40 * sizeof(*units));
	for (int i = 0; i < 40; i++) {
		double x = fx_rand(&seed, 0, 5000), y = fx_rand(&seed, 0, 5000);
		double w = fx_rand(&seed, 50, 900), h = fx_rand(&seed, 50, 900);
		snprintf(units[i], 256,
		         "POLYGON((%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f))", x, y,
		         x + w, y, x + w, y + h, x, y + h, x, y);
	}
	for (int i = 0; i < 40; i++) {
		char id[16];
		snprintf(id, sizeof(id), "u%d", i);
		fx_unit(&in, id, i % 4 == 0 ? UNIT_RURAL : UNIT_URBAN, 100, units[i]);
		snprintf(id, sizeof(id), "u%d", 39 - i);
		fx_unit(&rev, id, (39 - i) % 4 == 0 ? UNIT_RURAL : UNIT_URBAN, 100, units[39 - i]);
	}
	for (int i = 0; i < 6; i++) {
		double x = fx_rand(&seed, 0, 5000), y = fx_rand(&seed, 0, 5000);
		snprintf(wkt, sizeof(wkt), "POLYGON((%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f))", x,
		         y, x + 600, y, x + 300, y + 500, x, y);
		fx_exclude(&in, wkt);
		fx_exclude(&rev, wkt);
	}
	for (int i = 0; i < 200; i++) {
		double x = fx_rand(&seed, 0, 5000), y = fx_rand(&seed, 0, 5000);
		fx_point(&in.candidates, x, y, i);
		fx_point(&rev.candidates, x, y, i);
		if (i % 20 == 0) {
			fx_point(&in.existing, x + 0.3, y, i);
			fx_point(&rev.existing, x + 0.3, y, i);
		}
	}
	site_table t, tr;
	status st, str;
	CU_ASSERT_EQUAL_FATAL(build(&in, &sc, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(build(&rev, &sc, &tr, &str), STATUS_OK);
	/* every source and rule is exercised (476 sites with this seed) */
	CU_ASSERT_TRUE(t.n > 300);
	for (int s = 0; s < 4; s++)
		CU_ASSERT_TRUE(t.nsource[s] > 0);
	CU_ASSERT_TRUE(t.nexcluded > 0);
	CU_ASSERT_EQUAL(t.nmerged, tr.nmerged);
	CU_ASSERT_TRUE(t.nmerged > 0);
	CU_ASSERT_EQUAL_FATAL(t.n, tr.n);
	size_t unit_mismatch = 0, order_mismatch = 0;
	for (size_t i = 0; i < t.n; i++) {
		if (t.sites[i].x != tr.sites[i].x || t.sites[i].y != tr.sites[i].y ||
		    t.sites[i].source != tr.sites[i].source)
			order_mismatch++;
		int a = t.sites[i].unit, b = tr.sites[i].unit;
		if ((a < 0) != (b < 0))
			unit_mismatch++;
	}
	CU_ASSERT_EQUAL(order_mismatch, 0);
	CU_ASSERT_EQUAL(unit_mismatch, 0);

	geos_ctx *g = geos_ctx_new(&st);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	GEOSGeometry **ex = calloc(in.exclude.n, sizeof(*ex));
	GEOSGeometry **ug = calloc(in.nunits, sizeof(*ug));
	for (size_t k = 0; k < in.exclude.n; k++)
		ex[k] = geos_ctx_read_wkb(g, in.exclude.wkb[k], in.exclude.wkb_size[k], "x", &st);
	for (size_t k = 0; k < in.nunits; k++)
		ug[k] = geos_ctx_read_wkb(g, in.units[k].wkb, in.units[k].wkb_size, "u", &st);
	size_t bad_excl = 0, bad_close = 0, bad_unit = 0;
	for (size_t i = 0; i < t.n; i++) {
		const site *s = &t.sites[i];
		GEOSGeometry *pt = geos_ctx_point(g, s->x, s->y, &st);
		if (s->source != SITE_EXISTING)
			for (size_t k = 0; k < in.exclude.n; k++)
				bad_excl += GEOSIntersects_r(geos_ctx_handle(g), ex[k], pt) == 1;
		if (s->source == SITE_GRID || s->source == SITE_REPRESENTATIVE)
			bad_unit += s->unit < 0 ||
			            GEOSIntersects_r(geos_ctx_handle(g), ug[s->unit], pt) != 1;
		GEOSGeom_destroy_r(geos_ctx_handle(g), pt);
		for (size_t j = i + 1; j < t.n; j++)
			if (t.sites[j].source != SITE_EXISTING &&
			    hypot(s->x - t.sites[j].x, s->y - t.sites[j].y) <= 1.0)
				bad_close++;
	}
	CU_ASSERT_EQUAL(bad_excl, 0);
	CU_ASSERT_EQUAL(bad_close, 0);
	CU_ASSERT_EQUAL(bad_unit, 0);
	for (size_t k = 0; k < in.exclude.n; k++)
		GEOSGeom_destroy_r(geos_ctx_handle(g), ex[k]);
	for (size_t k = 0; k < in.nunits; k++)
		GEOSGeom_destroy_r(geos_ctx_handle(g), ug[k]);
	free(ex);
	free(ug);
	geos_ctx_free(g);
	free(units);
	sites_free(&t);
	sites_free(&tr);
	status_free(&st);
	status_free(&str);
	fx_free(&in);
	fx_free(&rev);
	scenario_free(&sc);
}

void sites_suite_setup(void)
{
	CU_SUITE_ADD("sites", NULL, NULL, CU_TEST_ENTRY(test_square_grid),
	             CU_TEST_ENTRY(test_u_shape), CU_TEST_ENTRY(test_exclusion),
	             CU_TEST_ENTRY(test_merge), CU_TEST_ENTRY(test_candidates_only),
	             CU_TEST_ENTRY(test_village_fallback), CU_TEST_ENTRY(test_errors),
	             CU_TEST_ENTRY(test_property_random));
}
