/*
 * cu_network_levels.c: the distance table of the upper levels along the
 * streets (src/geom/reach_levels.c) against brute force: on seeded random
 * graphs (lines crossing anywhere, already noded, some oneway and walked
 * so), stations on some junctions and level places on others, every entry
 * of the table equals Floyd-Warshall's walk from the station to the place
 * (-1 beyond the cutoff or on another part), whichever side the searches
 * start from (fewer stations or fewer places, or the same points on both
 * sides: the symmetric table), on one thread or three; a
 * point off the streets has no distance, or its straight line under
 * roads_fallback = straight, except from a point at the same place (0 m);
 * past the deadline the searches stop with a named error.
 */
#include <CUnit/CUnit.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cu_sites.h"
#include "cu_tester.h"
#include "levels.h"
#include "network.h"
#include "reach.h"
#include "../src/geom/network_int.h"

static void seg_add(line_set *ls, double x0, double y0, double x1, double y1, int oneway)
{
	size_t np = ls->n ? ls->start[ls->n] : 0;
	ls->start = realloc(ls->start, (ls->n + 2) * sizeof(size_t));
	ls->x = realloc(ls->x, (np + 2) * sizeof(double));
	ls->y = realloc(ls->y, (np + 2) * sizeof(double));
	ls->walkable = realloc(ls->walkable, ls->n + 1);
	ls->oneway = realloc(ls->oneway, ls->n + 1);
	ls->fid = realloc(ls->fid, (ls->n + 1) * sizeof(long long));
	ls->x[np] = x0, ls->y[np] = y0, ls->x[np + 1] = x1, ls->y[np + 1] = y1;
	ls->start[ls->n] = np;
	ls->walkable[ls->n] = 1;
	ls->oneway[ls->n] = (signed char)oneway;
	ls->fid[ls->n] = (long long)ls->n + 1;
	ls->n++;
	ls->start[ls->n] = np + 2;
}

static void test_table_random(void)
{
	unsigned long long seed = 23;
	size_t checked = 0, reached = 0, nsym = 0;
	for (int trial = 0; trial < 40; trial++) {
		line_set ls = {0};
		scenario sc;
		fx_scenario(&sc);
		sc.roads_noded = 1;
		sc.roads_walk_oneway = trial % 2;
		sc.roads_snap_m = 1e-6;
		sc.roads_merge_m = 0;
		sc.roads_fallback = trial % 4 == 3 ? ROADS_FALLBACK_STRAIGHT : ROADS_FALLBACK_NONE;
		int n = 8 + (int)fx_rand(&seed, 0, 8), m = n + (int)fx_rand(&seed, 0, 4);
		double px[16], py[16], fw[16][16];
		int used[16] = {0};
		for (int i = 0; i < n; i++)
			px[i] = fx_rand(&seed, 0, 1000), py[i] = fx_rand(&seed, 0, 1000);
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				fw[i][j] = i == j ? 0 : INFINITY;
		unsigned char pair[16][16] = {{0}};
		for (int k = 0; k < m; k++) {
			int a = (int)fx_rand(&seed, 0, n), b = (int)fx_rand(&seed, 0, n);
			if (a == b || pair[a][b])
				continue;
			pair[a][b] = pair[b][a] = 1;
			int ow = fx_rand(&seed, 0, 1) < 0.3;
			seg_add(&ls, px[a], py[a], px[b], py[b], ow);
			used[a] = used[b] = 1;
			double len = hypot(px[b] - px[a], py[b] - py[a]);
			fw[a][b] = fmin(fw[a][b], len);
			if (!(ow && sc.roads_walk_oneway))
				fw[b][a] = fmin(fw[b][a], len);
		}
		for (int k = 0; k < n; k++)
			for (int i = 0; i < n; i++)
				for (int j = 0; j < n; j++)
					if (fw[i][k] + fw[k][j] < fw[i][j])
						fw[i][j] = fw[i][k] + fw[k][j];
		/* stations on junctions 0..ns-1, places on ns..n-1 */
		int ns = trial % 3 == 0 ? 2 : n - 3, nl = n - ns;
		double x[16], y[16];
		for (int i = 0; i < n; i++)
			x[i] = px[i], y[i] = py[i];
		status st;
		status_init(&st);
		reach r = {0};
		network *net = NULL;
		CU_ASSERT_EQUAL_FATAL(network_build(&ls, &sc, &net, &st), STATUS_OK);
		CU_ASSERT_EQUAL_FATAL(network_attach(net, (size_t)n, x, y, sc.roads_snap_m, &st),
		                      STATUS_OK);
		r.network = 1, r.net = net, r.nunits = 0, r.nlevels = 1;
		size_t lv_start[2] = {0, (size_t)nl};
		int lv_point[16];
		for (int j = 0; j < nl; j++)
			lv_point[j] = ns + j;
		r.lv_start = lv_start, r.lv_point = lv_point;
		site_table sites = {0};
		sites.n = (size_t)ns;
		sites.sites = calloc((size_t)ns, sizeof(site));
		levels_point from[16], to[16];
		for (int i = 0; i < ns; i++) {
			sites.sites[i] = (site){px[i], py[i], SITE_CANDIDATE, -1, (long long)i + 1};
			from[i] = (levels_point){px[i], py[i], {-1, i}};
		}
		for (int j = 0; j < nl; j++)
			to[j] = (levels_point){px[ns + j], py[ns + j], {0, j}};
		double cutoff = trial % 5 == 4 ? 600 : INFINITY;
		double d1[256], d3[256];
		for (int threads = 1; threads <= 3; threads += 2) {
			sc.threads = threads;
			reach_levels ctx;
			levels_distance ld;
			reach_levels_distance(&r, &sites, &sc, &ctx, &ld);
			CU_ASSERT_PTR_NOT_NULL_FATAL(ld.table);
			CU_ASSERT_STRING_EQUAL(ld.what, "street network");
			CU_ASSERT_EQUAL(ld.table(ld.ctx, (size_t)ns, from, (size_t)nl, to, cutoff,
			                         0, threads == 1 ? d1 : d3, &st),
			                STATUS_OK);
		}
		for (int i = 0; i < ns; i++)
			for (int j = 0; j < nl; j++) {
				int a = i, b = ns + j;
				double want;
				if (!used[a] || !used[b])
					want = sc.roads_fallback == ROADS_FALLBACK_STRAIGHT
					           ? hypot(px[b] - px[a], py[b] - py[a])
					           : -1;
				else
					want = isfinite(fw[a][b]) && fw[a][b] <= cutoff ? fw[a][b]
					                                                : -1;
				if (want > cutoff)
					want = -1;
				double got = d1[i * nl + j];
				CU_ASSERT_DOUBLE_EQUAL(got, want, 1e-6);
				CU_ASSERT_EQUAL(
				    memcmp(&d1[i * nl + j], &d3[i * nl + j], sizeof(double)), 0);
				checked++;
				reached += got >= 0;
			}
		/* the same points on both sides, walked both ways: the symmetric table */
		for (int threads = 1; !sc.roads_walk_oneway && threads <= 3; threads += 2) {
			sc.threads = threads;
			reach_levels ctx;
			levels_distance ld;
			reach_levels_distance(&r, &sites, &sc, &ctx, &ld);
			double *e = threads == 1 ? d1 : d3;
			CU_ASSERT_EQUAL(
			    ld.table(ld.ctx, (size_t)ns, from, (size_t)ns, from, cutoff, 0, e, &st),
			    STATUS_OK);
			for (int a = 0; a < ns; a++)
				for (int b = 0; b < ns; b++) {
					double want = fw[a][b];
					if (a == b)
						want = 0;
					else if (!used[a] || !used[b])
						want = sc.roads_fallback == ROADS_FALLBACK_STRAIGHT
						           ? hypot(px[b] - px[a], py[b] - py[a])
						           : -1;
					if (!isfinite(want) || want > cutoff)
						want = -1;
					CU_ASSERT_DOUBLE_EQUAL(e[a * ns + b], want, 1e-6);
					if (threads == 3)
						CU_ASSERT_EQUAL(memcmp(&d1[a * ns + b],
						                       &d3[a * ns + b],
						                       sizeof(double)),
						                0);
					nsym += threads == 1;
				}
		}
		free(sites.sites);
		network_free(net);
		free(ls.start), free(ls.x), free(ls.y), free(ls.walkable), free(ls.oneway);
		free(ls.fid);
		status_free(&st);
		scenario_free(&sc);
	}
	/* the trials hold both reached and unreached pairs */
	CU_ASSERT_EQUAL(checked, 931); /* the seed fixes the trials */
	CU_ASSERT(reached > checked / 4 && reached < checked);
	CU_ASSERT_EQUAL(nsym, 969); /* the seed fixes the trials */
}

/* Past the deadline the searches stop with a named error. */
static void test_table_deadline(void)
{
	line_set ls = {0};
	scenario sc;
	fx_scenario(&sc);
	sc.roads_snap_m = 1;
	seg_add(&ls, 0, 0, 1000, 0, 0);
	double x[2] = {0, 1000}, y[2] = {0, 0};
	status st;
	status_init(&st);
	network *net = NULL;
	CU_ASSERT_EQUAL_FATAL(network_build(&ls, &sc, &net, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(network_attach(net, 2, x, y, 1, &st), STATUS_OK);
	reach r = {0};
	size_t lv_start[2] = {0, 1};
	int lv_point[1] = {1};
	r.network = 1, r.net = net, r.nlevels = 1, r.lv_start = lv_start, r.lv_point = lv_point;
	site_table sites = {0};
	site s0 = {0, 0, SITE_CANDIDATE, -1, 1};
	sites.n = 1, sites.sites = &s0;
	reach_levels ctx;
	levels_distance ld;
	reach_levels_distance(&r, &sites, &sc, &ctx, &ld);
	levels_point from = {0, 0, {-1, 0}}, to = {1000, 0, {0, 0}};
	double d = 0;
	CU_ASSERT_EQUAL(ld.table(ld.ctx, 1, &from, 1, &to, INFINITY, 0, &d, &st), STATUS_OK);
	CU_ASSERT_DOUBLE_EQUAL(d, 1000, 1e-9);
	CU_ASSERT_EQUAL(ld.table(ld.ctx, 1, &from, 1, &to, INFINITY, 1e-9, &d, &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(st.msg,
	                       "levels: solver.time_limit_s = 60 s reached while searching the "
	                       "streets between 1 lower facilities and 1 places; raise the time "
	                       "limit or set the level's max_distance_m");
	network_free(net);
	free(ls.start), free(ls.x), free(ls.y), free(ls.walkable), free(ls.oneway), free(ls.fid);
	status_free(&st);
	scenario_free(&sc);
}

/* A facility at a lower one's point (at = stations) is 0 m away even off
 * the streets; another point off the streets has no distance without
 * roads_fallback = straight. */
static void test_table_same_point(void)
{
	line_set ls = {0};
	scenario sc;
	fx_scenario(&sc);
	sc.roads_snap_m = 1;
	seg_add(&ls, 0, 0, 1000, 0, 0);
	double x[2] = {500, 600}, y[2] = {300, 300}; /* both 300 m off the street */
	status st;
	status_init(&st);
	network *net = NULL;
	CU_ASSERT_EQUAL_FATAL(network_build(&ls, &sc, &net, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(network_attach(net, 2, x, y, 1, &st), STATUS_OK);
	CU_ASSERT(network_point_gap(net, 0) < 0 && network_point_gap(net, 1) < 0);
	reach r = {0};
	size_t lv_start[2] = {0, 1};
	int lv_point[1] = {1};
	r.network = 1, r.net = net, r.nlevels = 1, r.lv_start = lv_start, r.lv_point = lv_point;
	site s0 = {500, 300, SITE_CANDIDATE, -1, 1};
	site_table sites = {.n = 1, .sites = &s0};
	reach_levels ctx;
	levels_distance ld;
	reach_levels_distance(&r, &sites, &sc, &ctx, &ld);
	levels_point from = {500, 300, {-1, 0}};
	levels_point to[2] = {{500, 300, {-1, 0}}, {600, 300, {0, 0}}};
	double d[2] = {-5, -5};
	CU_ASSERT_EQUAL(ld.table(ld.ctx, 1, &from, 2, to, INFINITY, 0, d, &st), STATUS_OK);
	CU_ASSERT_DOUBLE_EQUAL(d[0], 0, 0);
	CU_ASSERT_DOUBLE_EQUAL(d[1], -1, 0);
	sc.roads_fallback = ROADS_FALLBACK_STRAIGHT;
	reach_levels_distance(&r, &sites, &sc, &ctx, &ld);
	CU_ASSERT_EQUAL(ld.table(ld.ctx, 1, &from, 2, to, INFINITY, 0, d, &st), STATUS_OK);
	CU_ASSERT_DOUBLE_EQUAL(d[1], 100, 1e-9);
	network_free(net);
	free(ls.start), free(ls.x), free(ls.y), free(ls.walkable), free(ls.oneway), free(ls.fid);
	status_free(&st);
	scenario_free(&sc);
}

void network_levels_suite_setup(void)
{
	CU_SUITE_ADD("network_levels", NULL, NULL, CU_TEST_ENTRY(test_table_random),
	             CU_TEST_ENTRY(test_table_deadline), CU_TEST_ENTRY(test_table_same_point));
}
