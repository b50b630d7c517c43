/*
 * cu_reach.c: walking reach on hand-built units and sites with known
 * answers (a unit exactly at the radius is in, 1 cm beyond is out; pairs
 * sorted by distance then site; uncovered unit's nearest site; villages
 * reach their own far sites; samples mode on a 2 km x 200 m rectangle), the
 * error paths, and seeded property tests against a brute-force loop.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reach.h"
#include "../src/geom/geom_int.h"
#include "cu_sites.h"
#include "cu_tester.h"
#include "sites.h"

static void mk_sites(site_table *t, size_t n, const double *xy, const int *unit)
{
	memset(t, 0, sizeof(*t));
	t->sites = calloc(n ? n : 1, sizeof(*t->sites));
	t->n = n;
	for (size_t i = 0; i < n; i++)
		t->sites[i] = (site){xy[2 * i], xy[2 * i + 1], SITE_CANDIDATE, unit ? unit[i] : -1,
		                     (long long)i};
}

/* Prepare the units once, then build the reach, as the pipeline does. */
static status_code build(const inputs *in, const site_table *t, const scenario *sc, reach *r,
                         status *st)
{
	status_init(st);
	return fx_reach(in, t, sc, r, st);
}

/* Unit at (0,0); sites exactly 1000 m away (in), 1000.01 m away (out). */
static void test_radius_boundary(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	fx_unit(&in, "p", UNIT_URBAN, 100, "POINT(0 0)");
	const double xy[] = {0, -1000.01, 1000, 0, 600, 800, 1e-3, 1000.0};
	site_table t;
	mk_sites(&t, 4, xy, NULL);
	reach r;
	status st;
	CU_ASSERT_EQUAL_FATAL(build(&in, &t, &sc, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.nunits, 1);
	CU_ASSERT_EQUAL_FATAL(r.npairs, 2);
	CU_ASSERT_EQUAL(r.start[0], 0);
	CU_ASSERT_EQUAL(r.start[1], 2);
	/* both exactly 1000: ties broken by site index */
	CU_ASSERT_EQUAL(r.site[0], 1);
	CU_ASSERT_EQUAL(r.site[1], 2);
	CU_ASSERT_EQUAL(r.dist[0], 1000.0);
	CU_ASSERT_EQUAL(r.dist[1], 1000.0);
	CU_ASSERT_EQUAL(r.inside[0], 0);
	CU_ASSERT_DOUBLE_EQUAL(r.ux[0], 0, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(r.uy[0], 0, 1e-12);
	CU_ASSERT_EQUAL(r.nearest[0], 1);
	CU_ASSERT_EQUAL(r.nearest_dist[0], 1000.0);
	CU_ASSERT_EQUAL(r.nsamples, 1);
	reach_free(&r);
	status_free(&st);
	sites_free(&t);
	fx_free(&in);
	scenario_free(&sc);
}

/* Pairs sorted by distance, then site index; each unit its own range. */
static void test_sorted_pairs(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	sc.walk_distance_m = 500;
	fx_unit(&in, "a", UNIT_URBAN, 1, "POINT(0 0)");
	fx_unit(&in, "b", UNIT_URBAN, 1, "POINT(10000 0)");
	fx_unit(&in, "c", UNIT_URBAN, 1, "POINT(300 0)");
	const double xy[] = {400, 0, 0, 300, -300, 0, 0, -100, 10000, 499};
	site_table t;
	mk_sites(&t, 5, xy, NULL);
	reach r;
	status st;
	CU_ASSERT_EQUAL_FATAL(build(&in, &t, &sc, &r, &st), STATUS_OK);
	const size_t start[] = {0, 4, 5, 8};
	for (int u = 0; u < 4; u++)
		CU_ASSERT_EQUAL(r.start[u], start[u]);
	const int site[] = {3, 1, 2, 0, 4, 0, 3, 1};
	const double dist[] = {
	    100, 300, 300, 400, 499, 100, 316.22776601683796, 424.26406871192853};
	CU_ASSERT_EQUAL_FATAL(r.npairs, 8);
	for (int k = 0; k < 8; k++) {
		CU_ASSERT_EQUAL(r.site[k], site[k]);
		CU_ASSERT_DOUBLE_EQUAL(r.dist[k], dist[k], 1e-9);
	}
	reach_free(&r);
	status_free(&st);
	sites_free(&t);
	fx_free(&in);
	scenario_free(&sc);
}

/* A unit nobody reaches has no pair; nearest site and its distance say why.
 * With no site at all, both are -1. */
static void test_uncovered(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	fx_unit(&in, "far", UNIT_URBAN, 1, "POLYGON((-10 -10,10 -10,10 10,-10 10,-10 -10))");
	const double xy[] = {6000, 0, 3000, 4000, 30000, 40000};
	site_table t;
	mk_sites(&t, 3, xy, NULL);
	reach r;
	status st;
	CU_ASSERT_EQUAL_FATAL(build(&in, &t, &sc, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.npairs, 0);
	CU_ASSERT_EQUAL(r.start[1], 0);
	CU_ASSERT_EQUAL(r.nearest[0], 1);
	CU_ASSERT_DOUBLE_EQUAL(r.nearest_dist[0], 5000, 1e-9);
	reach_free(&r);
	status_free(&st);
	sites_free(&t);

	mk_sites(&t, 0, NULL, NULL);
	CU_ASSERT_EQUAL_FATAL(build(&in, &t, &sc, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.npairs, 0);
	CU_ASSERT_EQUAL(r.nearest[0], -1);
	CU_ASSERT_EQUAL(r.nearest_dist[0], -1);
	reach_free(&r);
	status_free(&st);
	sites_free(&t);
	fx_free(&in);
	scenario_free(&sc);
}

/* A 5 km long village reaches the site at its far end (2400 m from its
 * representative point) because the site is inside it; an urban unit of the
 * same shape does not. Sites outside within the radius are listed too. */
static void test_village_inside(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	fx_unit(&in, "v", UNIT_RURAL, 500, "POLYGON((0 0,5000 0,5000 100,0 100,0 0))");
	fx_unit(&in, "u", UNIT_URBAN, 500, "POLYGON((0 1000,5000 1000,5000 1100,0 1100,0 1000))");
	/* rep points: (2500,50) and (2500,1050) */
	const double xy[] = {4900, 50, 2500, 500, 4900, 1050};
	const int unit[] = {0, -1, 1};
	site_table t;
	mk_sites(&t, 3, xy, unit);
	reach r;
	status st;
	CU_ASSERT_EQUAL_FATAL(build(&in, &t, &sc, &r, &st), STATUS_OK);
	CU_ASSERT_DOUBLE_EQUAL(r.ux[0], 2500, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r.uy[0], 50, 1e-9);
	CU_ASSERT_EQUAL_FATAL(r.start[1], 2);
	CU_ASSERT_EQUAL(r.site[0], 1);
	CU_ASSERT_DOUBLE_EQUAL(r.dist[0], 450, 1e-9);
	CU_ASSERT_EQUAL(r.inside[0], 0);
	CU_ASSERT_EQUAL(r.site[1], 0);
	CU_ASSERT_DOUBLE_EQUAL(r.dist[1], 2400, 1e-9);
	CU_ASSERT_EQUAL(r.inside[1], 1);
	CU_ASSERT_EQUAL_FATAL(r.start[2], 3); /* the urban unit: only site 1 */
	CU_ASSERT_EQUAL(r.site[2], 1);
	CU_ASSERT_DOUBLE_EQUAL(r.dist[2], 550, 1e-9);
	reach_free(&r);
	status_free(&st);

	sc.rural = RURAL_AS_URBAN;
	CU_ASSERT_EQUAL_FATAL(build(&in, &t, &sc, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.start[1], 1);
	CU_ASSERT_EQUAL(r.npairs, 2);
	reach_free(&r);
	status_free(&st);
	sites_free(&t);
	fx_free(&in);
	scenario_free(&sc);
}

/* 2000 x 200 m rectangle, samples every 500 m: four 500 x 200 pieces with
 * representative points (250,100), (750,100), (1250,100), (1750,100), each
 * weight 1/4. From the site at the centre (1000,100) the representative
 * distance is 0 but the mean walk is (750+250+250+750)/4 = 500; from
 * (1000,400): (sqrt(750^2+300^2)*2 + sqrt(250^2+300^2)*2)/4. */
static void test_samples_rectangle(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	fx_unit(&in, "r", UNIT_URBAN, 800, "POLYGON((0 0,2000 0,2000 200,0 200,0 0))");
	const double xy[] = {1000, 100, 1000, 400};
	site_table t;
	mk_sites(&t, 2, xy, NULL);
	reach r;
	status st;
	CU_ASSERT_EQUAL_FATAL(build(&in, &t, &sc, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.nsamples, 1);
	CU_ASSERT_EQUAL_FATAL(r.npairs, 2);
	CU_ASSERT_DOUBLE_EQUAL(r.dist[0], 0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r.dist[1], 300, 1e-9);
	reach_free(&r);
	status_free(&st);

	sc.demand_points = DEMAND_SAMPLES;
	sc.demand_sample_spacing_m = 500;
	CU_ASSERT_EQUAL_FATAL(build(&in, &t, &sc, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.nsamples, 4);
	CU_ASSERT_DOUBLE_EQUAL(r.ux[0], 1000, 1e-9); /* still the representative point */
	CU_ASSERT_EQUAL_FATAL(r.npairs, 2);
	CU_ASSERT_EQUAL(r.site[0], 0);
	CU_ASSERT_DOUBLE_EQUAL(r.dist[0], 500, 1e-9);
	double d1 = (2 * sqrt(750.0 * 750 + 300 * 300) + 2 * sqrt(250.0 * 250 + 300 * 300)) / 4;
	CU_ASSERT_DOUBLE_EQUAL(r.dist[1], d1, 1e-9);
	reach_free(&r);
	status_free(&st);

	/* walk 550: the second site (mean 599.1 m) drops out in samples mode,
	 * though its representative distance is only 300 m */
	sc.walk_distance_m = 550;
	CU_ASSERT_EQUAL_FATAL(build(&in, &t, &sc, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.npairs, 1);
	reach_free(&r);
	status_free(&st);
	/* a polygon no larger than one sample cell keeps one sample */
	sc.demand_sample_spacing_m = 1000;
	CU_ASSERT_EQUAL_FATAL(build(&in, &t, &sc, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.nsamples, 1);
	CU_ASSERT_DOUBLE_EQUAL(r.dist[0], 0, 1e-9);
	reach_free(&r);
	status_free(&st);
	sites_free(&t);
	fx_free(&in);
	scenario_free(&sc);
}

static void test_errors(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	site_table t;
	mk_sites(&t, 0, NULL, NULL);
	reach r;
	status st;
	/* parameters are validated in one place, the scenario module */
	sc.walk_distance_m = -5;
	CU_ASSERT_STRING_EQUAL(fx_validate_msg(&sc, "walk_distance_m", &st),
	                       "rules: walk_distance_m = -5, must be > 0");
	status_free(&st);
	sc.walk_distance_m = 1000;
	sc.demand_points = DEMAND_SAMPLES;
	sc.demand_sample_spacing_m = 0;
	CU_ASSERT_STRING_EQUAL(fx_validate_msg(&sc, "demand_sample_spacing_m", &st),
	                       "rules: demand_sample_spacing_m = 0, must be > 0");
	status_free(&st);
	sc.demand_sample_spacing_m = 0.1;
	fx_unit(&in, "big", UNIT_RURAL, 1, "POLYGON((0 0,5000 0,5000 5000,0 5000,0 0))");
	CU_ASSERT_EQUAL(build(&in, &t, &sc, &r, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(st.msg, "rules: demand_sample_spacing_m = 0.1 is too fine for unit "
	                               "'big' (fid 1): 2.5e+09 cells to cut (at most 4000000)");
	status_free(&st);
	sites_free(&t);
	fx_free(&in);
	scenario_free(&sc);
}

typedef struct bf_pair {
	double d;
	int s;
} bf_pair;

static int bf_cmp(const void *pa, const void *pb)
{
	const bf_pair *a = pa, *b = pb;
	if (a->d != b->d)
		return a->d < b->d ? -1 : 1;
	return a->s - b->s;
}

/* Compare reach_build against a units x sites loop on random inputs. */
static void check_brute_force(const inputs *in, const site_table *t, const scenario *sc)
{
	reach r;
	status st;
	CU_ASSERT_EQUAL_FATAL(build(in, t, sc, &r, &st), STATUS_OK);
	status_free(&st);
	geos_ctx *g = geos_ctx_new(&st);
	geom_index ug;
	demand d;
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	CU_ASSERT_EQUAL_FATAL(geom_index_units(g, in, &ug, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(demand_build(g, in, &ug, sc, &d, &st), STATUS_OK);
	bf_pair *buf = malloc((t->n ? t->n : 1) * sizeof(*buf));
	size_t missing = 0, extra = 0, wrong_dist = 0, beyond = 0, bad_inside = 0, bad_near = 0;
	size_t total = 0;
	for (size_t u = 0; u < in->nunits; u++) {
		int village = in->units[u].kind == UNIT_RURAL && sc->rural == RURAL_ONE_PER_VILLAGE;
		size_t n = 0;
		int near = -1;
		double neard = INFINITY;
		for (size_t s = 0; s < t->n; s++) {
			double dd = demand_distance(&d, u, t->sites[s].x, t->sites[s].y);
			int inside = t->sites[s].unit == (int)u;
			if (dd <= sc->walk_distance_m || (village && inside))
				buf[n++] = (bf_pair){dd, (int)s};
			double e = hypot(t->sites[s].x - d.rx[u], t->sites[s].y - d.ry[u]);
			if (e < neard) {
				neard = e;
				near = (int)s;
			}
		}
		qsort(buf, n, sizeof(*buf), bf_cmp);
		size_t k0 = r.start[u], k1 = r.start[u + 1];
		total += n;
		if (k1 - k0 < n)
			missing += n - (k1 - k0);
		else
			extra += (k1 - k0) - n;
		for (size_t k = 0; k < n && k0 + k < k1; k++) {
			size_t p = k0 + k;
			if (r.site[p] != buf[k].s)
				missing++;
			else if (r.dist[p] != buf[k].d)
				wrong_dist++;
			if (r.dist[p] > sc->walk_distance_m && !(village && r.inside[p]))
				beyond++;
			if (r.inside[p] != (t->sites[r.site[p]].unit == (int)u))
				bad_inside++;
		}
		if (r.nearest[u] != near ||
		    r.nearest_dist[u] != demand_distance(&d, u, t->sites[near].x, t->sites[near].y))
			bad_near++;
		CU_ASSERT_EQUAL(r.ux[u], d.rx[u]);
	}
	CU_ASSERT_EQUAL(r.npairs, total);
	CU_ASSERT_TRUE(total > in->nunits); /* the test exercises something */
	CU_ASSERT_EQUAL(missing, 0);
	CU_ASSERT_EQUAL(extra, 0);
	CU_ASSERT_EQUAL(wrong_dist, 0);
	CU_ASSERT_EQUAL(beyond, 0);
	CU_ASSERT_EQUAL(bad_inside, 0);
	CU_ASSERT_EQUAL(bad_near, 0);
	free(buf);
	demand_free(&d);
	geom_index_free(g, &ug);
	geos_ctx_free(g);
	status_free(&st);
	reach_free(&r);
}

static void test_property_brute_force(void)
{
	unsigned long long seed = 20240611;
	scenario sc;
	fx_scenario(&sc);
	sc.candidate_spacing_m = 400;
	sc.walk_distance_m = 700;
	inputs in = {0};
	char wkt[256], id[16];
	for (int i = 0; i < 120; i++) {
		double x = fx_rand(&seed, 0, 8000), y = fx_rand(&seed, 0, 8000);
		double w = fx_rand(&seed, 20, 1500), h = fx_rand(&seed, 20, 1500);
		snprintf(id, sizeof(id), "u%d", i);
		if (i % 3 == 0)
			snprintf(wkt, sizeof(wkt), "POINT(%.3f %.3f)", x, y);
		else /* triangles and L-shapes are not all convex */
			snprintf(wkt, sizeof(wkt),
			         "POLYGON((%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f "
			         "%.3f))",
			         x, y, x + w, y, x + w, y + h / 3, x + w / 3, y + h / 3, x, y + h,
			         x, y);
		fx_unit(&in, id, i % 4 == 1 ? UNIT_RURAL : UNIT_URBAN, 100, wkt);
	}
	for (int i = 0; i < 300; i++)
		fx_point(&in.candidates, fx_rand(&seed, -500, 8500), fx_rand(&seed, -500, 8500), i);
	site_table t;
	status st;
	status_init(&st);
	unit_geom *ug;
	CU_ASSERT_EQUAL_FATAL(unit_geom_prepare(&in, &sc, &ug, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(sites_build(&in, &sc, ug, &t, &st), STATUS_OK);
	unit_geom_free(ug);
	status_free(&st);
	check_brute_force(&in, &t, &sc);
	sc.demand_points = DEMAND_SAMPLES;
	sc.demand_sample_spacing_m = 300;
	check_brute_force(&in, &t, &sc);
	sc.rural = RURAL_AS_URBAN;
	sc.walk_distance_m = 250;
	check_brute_force(&in, &t, &sc);
	sites_free(&t);
	fx_free(&in);
	scenario_free(&sc);
}

void reach_suite_setup(void)
{
	CU_SUITE_ADD("reach", NULL, NULL, CU_TEST_ENTRY(test_radius_boundary),
	             CU_TEST_ENTRY(test_sorted_pairs), CU_TEST_ENTRY(test_uncovered),
	             CU_TEST_ENTRY(test_village_inside), CU_TEST_ENTRY(test_samples_rectangle),
	             CU_TEST_ENTRY(test_errors), CU_TEST_ENTRY(test_property_brute_force));
}
