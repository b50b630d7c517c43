/*
 * cu_network.c: the street network on hand-built streets with known
 * shortest walks (a river with one bridge, a dead end, a oneway street
 * under roads_walk_oneway, an already-noded layer with a bridge over a
 * street), attachment edge cases (a point exactly on a junction, two
 * streets at the same distance: the lower edge, whatever the input order),
 * walking routes, reach along the streets (pairs, fallback, the reason of
 * a unit on a part without sites), and seeded property tests: every
 * distance against Floyd-Warshall and igraph's Dijkstra on small random
 * graphs, and the bounded search against the same brute force.
 */
#include <CUnit/CUnit.h>
#include <igraph.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cu_sites.h"
#include "cu_tester.h"
#include "network.h"
#include "reach.h"
#include "../src/geom/network_int.h"

/* ---- building line tables ---------------------------------------------- */

/* Append a line of n points (x0, y0, x1, y1, ...) with a oneway value. */
static void ln_add(line_set *ls, const double *xy, size_t n, int oneway)
{
	size_t np = ls->n ? ls->start[ls->n] : 0;
	ls->start = realloc(ls->start, (ls->n + 2) * sizeof(size_t));
	ls->x = realloc(ls->x, (np + n) * sizeof(double));
	ls->y = realloc(ls->y, (np + n) * sizeof(double));
	ls->walkable = realloc(ls->walkable, ls->n + 1);
	ls->oneway = realloc(ls->oneway, ls->n + 1);
	ls->fid = realloc(ls->fid, (ls->n + 1) * sizeof(long long));
	for (size_t k = 0; k < n; k++)
		ls->x[np + k] = xy[2 * k], ls->y[np + k] = xy[2 * k + 1];
	ls->start[ls->n] = np;
	ls->walkable[ls->n] = 1;
	ls->oneway[ls->n] = (signed char)oneway;
	ls->fid[ls->n] = (long long)ls->n + 1;
	ls->n++;
	ls->start[ls->n] = np + n;
}

static void ln_seg(line_set *ls, double x0, double y0, double x1, double y1, int oneway)
{
	const double xy[] = {x0, y0, x1, y1};
	ln_add(ls, xy, 2, oneway);
}

static void ln_free(line_set *ls)
{
	free(ls->start), free(ls->x), free(ls->y), free(ls->walkable), free(ls->oneway);
	free(ls->fid), free(ls->source);
	memset(ls, 0, sizeof(*ls));
}

/* Build and attach the points (x, y pairs); NULL on failure. */
static network *mk_net(const line_set *ls, const scenario *sc, const double *pts, size_t n)
{
	status st;
	status_init(&st);
	network *net = NULL;
	double *x = malloc((n + 1) * sizeof(double)), *y = malloc((n + 1) * sizeof(double));
	for (size_t k = 0; k < n; k++)
		x[k] = pts[2 * k], y[k] = pts[2 * k + 1];
	if (network_build(ls, sc, &net, &st) != STATUS_OK ||
	    network_attach(net, n, x, y, sc->roads_snap_m, &st) != STATUS_OK) {
		network_free(net);
		net = NULL;
	}
	free(x), free(y);
	status_free(&st);
	return net;
}

/* ---- hand-built streets ----------------------------------------------- */

/* Two banks, one bridge at x = 800: from (100, -10) to (100, 110) is
 * 10 + 700 + 100 + 700 + 10 = 1520 m, not the 120 m across. The bridge's
 * ends touch the banks' interiors: noding makes those junctions. */
static void test_river_bridge(void)
{
	line_set ls = {0};
	scenario sc;
	fx_scenario(&sc);
	ln_seg(&ls, 0, 0, 1000, 0, 0);
	ln_seg(&ls, 0, 100, 1000, 100, 0);
	ln_seg(&ls, 800, 0, 800, 100, 0);
	const double pts[] = {100, -10, 100, 110};
	network *net = mk_net(&ls, &sc, pts, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(net);
	CU_ASSERT_EQUAL(network_node_count(net), 6);
	CU_ASSERT_EQUAL(network_edge_count(net), 5);
	CU_ASSERT_EQUAL(network_crossing_count(net), 0); /* T-junctions are line ends */
	CU_ASSERT_EQUAL(network_point_gap(net, 0), 10.0);
	CU_ASSERT_EQUAL(network_point_gap(net, 1), 10.0);
	CU_ASSERT_EQUAL(network_distance(net, 0, 1, INFINITY), 1520.0);
	CU_ASSERT_EQUAL(network_distance(net, 1, 0, INFINITY), 1520.0);
	CU_ASSERT_EQUAL(network_distance(net, 0, 1, 1519.99), -1.0);
	CU_ASSERT_EQUAL(network_distance(net, 0, 1, 1520.0), 1520.0);
	double *xy;
	size_t n;
	CU_ASSERT_EQUAL(network_route(net, 0, 1, INFINITY, &xy, &n), 1520.0);
	const double want[] = {100, -10, 100, 0, 800, 0, 800, 100, 100, 100, 100, 110};
	CU_ASSERT_EQUAL_FATAL(n, 6);
	for (size_t k = 0; k < 12; k++)
		CU_ASSERT_DOUBLE_EQUAL(xy[k], want[k], 1e-9);
	free(xy);
	network_free(net);
	ln_free(&ls);
	scenario_free(&sc);
}

/* A dead end: (200, 310) attaches to the end of the branch (200, 300) and
 * walks 10 + 300 + 250 + 5 = 565 m to (450, 5); a point past the dead end
 * and farther than roads_snap_m is not attached. */
static void test_dead_end(void)
{
	line_set ls = {0};
	scenario sc;
	fx_scenario(&sc);
	sc.roads_snap_m = 50;
	ln_seg(&ls, 0, 0, 500, 0, 0);
	ln_seg(&ls, 200, 0, 200, 300, 0);
	const double pts[] = {200, 310, 450, 5, 200, 351};
	network *net = mk_net(&ls, &sc, pts, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(net);
	CU_ASSERT_EQUAL(network_point_gap(net, 0), 10.0);
	CU_ASSERT_EQUAL(network_distance(net, 0, 1, INFINITY), 565.0);
	CU_ASSERT_EQUAL(network_point_gap(net, 2), -1.0);
	CU_ASSERT_EQUAL(network_point_part(net, 2), -1);
	CU_ASSERT_EQUAL(network_distance(net, 2, 1, INFINITY), -1.0);
	network_free(net);
	ln_free(&ls);
	scenario_free(&sc);
}

/* A block whose south side is oneway eastwards. Walking east along it:
 * 5 + 60 + 5 = 70 m; walking west with roads_walk_oneway = true goes round
 * the block: 5 + 20 + 100 + 100 + 100 + 20 + 5 = 350 m; without it, 70 m
 * both ways. A line digitised westwards with oneway = -1 is the same. */
static void test_oneway(void)
{
	for (int variant = 0; variant < 2; variant++) {
		line_set ls = {0};
		scenario sc;
		fx_scenario(&sc);
		if (variant == 0)
			ln_seg(&ls, 0, 0, 100, 0, 1);
		else
			ln_seg(&ls, 100, 0, 0, 0, -1);
		ln_seg(&ls, 100, 0, 100, 100, 0);
		ln_seg(&ls, 100, 100, 0, 100, 0);
		ln_seg(&ls, 0, 100, 0, 0, 0);
		const double pts[] = {20, -5, 80, -5};
		network *net = mk_net(&ls, &sc, pts, 2);
		CU_ASSERT_PTR_NOT_NULL_FATAL(net);
		CU_ASSERT_EQUAL(network_distance(net, 0, 1, INFINITY), 70.0);
		CU_ASSERT_EQUAL(network_distance(net, 1, 0, INFINITY), 70.0);
		network_free(net);
		sc.roads_walk_oneway = 1;
		net = mk_net(&ls, &sc, pts, 2);
		CU_ASSERT_PTR_NOT_NULL_FATAL(net);
		CU_ASSERT_EQUAL(network_distance(net, 0, 1, INFINITY), 70.0);
		CU_ASSERT_EQUAL(network_distance(net, 1, 0, INFINITY), 350.0);
		network_free(net);
		ln_free(&ls);
		scenario_free(&sc);
	}
}

/* A bridge over a street without a shared vertex: with roads_noded = true
 * the two do not meet (no walk from the bridge to the street); noded by
 * GEOS they cross at (100, 0): 5 + 100 + 100 + 5 = 210 m. */
static void test_noded_bridge(void)
{
	line_set ls = {0};
	scenario sc;
	fx_scenario(&sc);
	ln_seg(&ls, 0, 0, 200, 0, 0);
	ln_seg(&ls, 100, -100, 100, 100, 0);
	const double pts[] = {100, -105, 0, -5};
	sc.roads_noded = 1;
	network *net = mk_net(&ls, &sc, pts, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(net);
	CU_ASSERT_EQUAL(network_node_count(net), 4);
	CU_ASSERT_EQUAL(network_edge_count(net), 2);
	CU_ASSERT_EQUAL(network_distance(net, 0, 1, INFINITY), -1.0);
	CU_ASSERT_NOT_EQUAL(network_point_part(net, 0), network_point_part(net, 1));
	network_free(net);
	sc.roads_noded = 0;
	net = mk_net(&ls, &sc, pts, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(net);
	CU_ASSERT_EQUAL(network_node_count(net), 5);
	CU_ASSERT_EQUAL(network_edge_count(net), 4);
	CU_ASSERT_EQUAL(network_crossing_count(net), 1);
	CU_ASSERT_EQUAL(network_distance(net, 0, 1, INFINITY), 210.0);
	CU_ASSERT_EQUAL(network_point_part(net, 0), network_point_part(net, 1));
	network_free(net);
	ln_free(&ls);
	scenario_free(&sc);
}

/* Line ends 0.3 m apart are one junction with roads_merge_m = 0.5 (the
 * default) and two unconnected ends with roads_merge_m = 0.2. */
static void test_merge_ends(void)
{
	line_set ls = {0};
	scenario sc;
	fx_scenario(&sc);
	sc.roads_noded = 1;
	ln_seg(&ls, 0, 0, 100, 0, 0);
	ln_seg(&ls, 100.3, 0, 200, 0, 0);
	const double pts[] = {50, 1, 150, 1};
	network *net = mk_net(&ls, &sc, pts, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(net);
	CU_ASSERT_EQUAL(network_node_count(net), 3);
	/* the second line now starts at the junction (100, 0): 1 + 50 + 50 + 1 */
	CU_ASSERT_EQUAL(network_distance(net, 0, 1, INFINITY), 102.0);
	network_free(net);
	sc.roads_merge_m = 0.2;
	net = mk_net(&ls, &sc, pts, 2);
	CU_ASSERT_PTR_NOT_NULL_FATAL(net);
	CU_ASSERT_EQUAL(network_node_count(net), 4);
	CU_ASSERT_EQUAL(network_distance(net, 0, 1, INFINITY), -1.0);
	network_free(net);
	ln_free(&ls);
	scenario_free(&sc);
}

/* A street stopping 0.3 m short of another (a T-junction after
 * reprojection) is joined to it with roads_merge_m = 0.5, the other street
 * split at the foot: from (99, 100) down the stem to (150, -1) is
 * 1 + 99.7 + 0.3 + 50 + 1 m; with roads_merge_m = 0.2 they do not meet. Noded by GEOS or not. */
static void test_short_t(void)
{
	for (int noded = 0; noded < 2; noded++) {
		line_set ls = {0};
		scenario sc;
		fx_scenario(&sc);
		sc.roads_noded = noded;
		ln_seg(&ls, 0, 0, 200, 0, 0);
		ln_seg(&ls, 100, 100, 100, 0.3, 0);
		const double pts[] = {99, 100, 150, -1};
		network *net = mk_net(&ls, &sc, pts, 2);
		CU_ASSERT_PTR_NOT_NULL_FATAL(net);
		CU_ASSERT_EQUAL(net->nsnapped, 1);
		CU_ASSERT_DOUBLE_EQUAL(network_distance(net, 0, 1, INFINITY),
		                       1 + 99.7 + 0.3 + 50 + 1, 1e-9);
		network_free(net);
		sc.roads_merge_m = 0.2;
		net = mk_net(&ls, &sc, pts, 2);
		CU_ASSERT_PTR_NOT_NULL_FATAL(net);
		CU_ASSERT_EQUAL(net->nsnapped, 0);
		CU_ASSERT_EQUAL(network_distance(net, 0, 1, INFINITY), -1.0);
		network_free(net);
		ln_free(&ls);
		scenario_free(&sc);
	}
}

/* A point exactly on a junction attaches there with no connector; a point
 * halfway between two parallel streets goes to the lower edge (the first
 * line with roads_noded = true), whatever the input order. */
static void test_snap_ties(void)
{
	line_set ls = {0};
	scenario sc;
	fx_scenario(&sc);
	ln_seg(&ls, 0, 0, 200, 0, 0);
	ln_seg(&ls, 100, -100, 100, 100, 0);
	const double on[] = {100, 0, 200, 0, 100, 100};
	network *net = mk_net(&ls, &sc, on, 3);
	CU_ASSERT_PTR_NOT_NULL_FATAL(net);
	CU_ASSERT_EQUAL(network_point_gap(net, 0), 0.0);
	CU_ASSERT_EQUAL(network_distance(net, 0, 1, INFINITY), 100.0);
	CU_ASSERT_EQUAL(network_distance(net, 0, 2, INFINITY), 100.0);
	/* its vertex's only arcs are the connector to the junction node */
	int v = net->pvert[0];
	CU_ASSERT_EQUAL(net->fstart[v + 1] - net->fstart[v], 1);
	CU_ASSERT(net->fto[net->fstart[v]] < (int)net->nnodes);
	network_free(net);
	ln_free(&ls);

	sc.roads_noded = 1;
	const double mid[] = {50, 50, 60, -1, 60, 101};
	for (int order = 0; order < 2; order++) {
		ln_seg(&ls, 0, order ? 100 : 0, 100, order ? 100 : 0, 0);
		ln_seg(&ls, 0, order ? 0 : 100, 100, order ? 0 : 100, 0);
		net = mk_net(&ls, &sc, mid, 3);
		CU_ASSERT_PTR_NOT_NULL_FATAL(net);
		CU_ASSERT_EQUAL(network_point_gap(net, 0), 50.0);
		/* order 0: on y = 0, 50 + 10 + 1 to (60, -1); order 1: on y = 100 */
		CU_ASSERT_EQUAL(network_distance(net, 0, order ? 2 : 1, INFINITY), 61.0);
		CU_ASSERT_EQUAL(network_distance(net, 0, order ? 1 : 2, INFINITY), -1.0);
		network_free(net);
		ln_free(&ls);
	}
	scenario_free(&sc);
}

/* A street with no walkable line left is an input error naming the layer. */
static void test_no_walkable(void)
{
	line_set ls = {0};
	scenario sc;
	fx_scenario(&sc);
	ln_seg(&ls, 0, 0, 100, 0, 0);
	ls.walkable[0] = 0;
	ls.source = strdup("roads.gpkg:roads");
	network *net = NULL;
	status st;
	status_init(&st);
	CU_ASSERT_EQUAL(network_build(&ls, &sc, &net, &st), STATUS_INPUT);
	CU_ASSERT_PTR_NULL(net);
	CU_ASSERT_STRING_EQUAL(st.msg, "roads.gpkg:roads: no walkable line");
	status_free(&st);
	ln_free(&ls);
	scenario_free(&sc);
}

/* The street keys: defaults, and validation naming the key. */
static void test_keys(void)
{
	scenario sc;
	fx_scenario(&sc);
	CU_ASSERT_STRING_EQUAL(sc.roads, "");
	CU_ASSERT_STRING_EQUAL(sc.roads_oneway_field, "oneway");
	CU_ASSERT_EQUAL(sc.roads_snap_m, 200.0);
	CU_ASSERT_EQUAL(sc.roads_merge_m, 0.5);
	CU_ASSERT_EQUAL(sc.roads_fallback, ROADS_FALLBACK_NONE);
	CU_ASSERT_EQUAL(sc.roads_noded, 0);
	CU_ASSERT_EQUAL(sc.roads_walk_oneway, 0);
	status st;
	status_init(&st);
	CU_ASSERT_EQUAL(scenario_set(&sc, "input.roads_fallback=straight", &st), STATUS_OK);
	CU_ASSERT_EQUAL(sc.roads_fallback, ROADS_FALLBACK_STRAIGHT);
	CU_ASSERT_EQUAL(scenario_set(&sc, "input.roads_fallback=crow", &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(st.problems[0].msg, "--set 'input.roads_fallback=crow': "
	                                           "input.roads_fallback = 'crow', must be one "
	                                           "of none, straight");
	status_free(&st);
	status_init(&st);
	sc.units = (free(sc.units), strdup("u.gpkg"));
	sc.roads_snap_m = 0;
	CU_ASSERT_EQUAL(scenario_validate(&sc, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL_FATAL(st.nproblems, 2);
	CU_ASSERT_STRING_EQUAL(st.problems[0].msg, "input: roads_snap_m = 0, must be > 0");
	CU_ASSERT_STRING_EQUAL(st.problems[1].msg,
	                       "input: roads_merge_m = 0.5, must be >= 0 and < roads_snap_m");
	status_free(&st);
	scenario_free(&sc);
}

/* ---- reach along the streets ------------------------------------------ */

static void mk_sites(site_table *t, size_t n, const double *xy)
{
	memset(t, 0, sizeof(*t));
	t->sites = calloc(n ? n : 1, sizeof(*t->sites));
	t->n = n;
	for (size_t i = 0; i < n; i++)
		t->sites[i] =
		    (site){xy[2 * i], xy[2 * i + 1], SITE_CANDIDATE, -1, (long long)i + 1};
}

/* The river and bridge of test_river_bridge plus an island street and a
 * unit off the streets: u1 reaches B along its bank (820 m) but not A
 * across the river (120 m straight, 1520 m walking); u2's island has no
 * site; u3 is 200+ m from any street: no pair, unless roads_fallback =
 * straight gives it C (500 m straight, C also off the streets). */
static void test_reach_streets(void)
{
	for (int fallback = 0; fallback < 2; fallback++) {
		inputs in = {0};
		scenario sc;
		fx_scenario(&sc);
		sc.roads_fallback = fallback ? ROADS_FALLBACK_STRAIGHT : ROADS_FALLBACK_NONE;
		ln_seg(&in.roads, 0, 0, 1000, 0, 0);
		ln_seg(&in.roads, 0, 100, 1000, 100, 0);
		ln_seg(&in.roads, 800, 0, 800, 100, 0);
		ln_seg(&in.roads, 4900, 5000, 5100, 5000, 0);
		fx_unit(&in, "u1", UNIT_URBAN, 100, "POINT(100 -10)");
		fx_unit(&in, "u2", UNIT_URBAN, 100, "POINT(5000 5010)");
		fx_unit(&in, "u3", UNIT_URBAN, 100, "POINT(-3000 -3000)");
		const double xy[] = {100, 110, 900, -10, -3000, -2500};
		site_table t;
		mk_sites(&t, 3, xy);
		reach r;
		status st;
		status_init(&st);
		CU_ASSERT_EQUAL_FATAL(fx_reach(&in, &t, &sc, &r, &st), STATUS_OK);
		CU_ASSERT_EQUAL(r.network, 1);
		CU_ASSERT_EQUAL(r.npairs_straight, 3);
		CU_ASSERT_EQUAL(r.nunits_off, 1);
		CU_ASSERT_EQUAL(r.nsites_off, 1);
		CU_ASSERT_EQUAL(r.start[0], 0);
		CU_ASSERT_EQUAL_FATAL(r.start[1], 1);
		CU_ASSERT_EQUAL(r.site[0], 1);
		CU_ASSERT_EQUAL(r.dist[0], 820.0);
		CU_ASSERT_EQUAL(r.start[2], 1);
		CU_ASSERT_PTR_NULL(r.why[0]);
		CU_ASSERT_STRING_EQUAL(r.why[1],
		                       "no site on its part of the street network within 1000 m "
		                       "(none on its part; nearest by straight line 6482 m)");
		if (!fallback) {
			CU_ASSERT_EQUAL(r.npairs, 1);
			CU_ASSERT_EQUAL(r.nlost, 2);
			CU_ASSERT_STRING_EQUAL(r.why[2], "no walkable street within roads_snap_m = "
			                                 "200 m of its demand point");
		} else {
			CU_ASSERT_EQUAL_FATAL(r.npairs, 2);
			CU_ASSERT_EQUAL(r.site[1], 2);
			CU_ASSERT_EQUAL(r.dist[1], 500.0);
			CU_ASSERT_EQUAL(r.nlost, 1);
			CU_ASSERT_PTR_NULL(r.why[2]);
		}
		CU_ASSERT_EQUAL(r.ngained, 0);
		/* both off-street points are named in warnings */
		size_t named = 0;
		for (size_t i = 0; i < st.nproblems; i++)
			named += strstr(st.problems[i].msg, "unit 'u3' (fid ") != NULL ||
			         strstr(st.problems[i].msg, "candidate site fid 3:") != NULL;
		CU_ASSERT_EQUAL(named, 2);
		/* the route of (u1, B) runs along the bank */
		const int unit[] = {0}, site[] = {1};
		CU_ASSERT_EQUAL_FATAL(reach_routes(&r, 1, unit, site, &t, &st), STATUS_OK);
		CU_ASSERT_EQUAL_FATAL(r.route_start[1], 5);
		const double want[] = {100, -10, 100, 0, 800, 0, 900, 0, 900, -10};
		for (int k = 0; k < 10; k++)
			CU_ASSERT_DOUBLE_EQUAL(r.route_xy[k], want[k], 1e-9);
		reach_free(&r);
		status_free(&st);
		sites_free(&t);
		ln_free(&in.roads);
		fx_free(&in);
		scenario_free(&sc);
	}
}

/* A site nearer to the unit's point than the street is to either of them
 * is reached in a straight line (10 m, not 50 + 0 + 60 = 110 m along the
 * street); a farther one along the street (50 + 200 + 50 = 300 m). */
static void test_reach_direct(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	ln_seg(&in.roads, 0, 0, 1000, 0, 0);
	fx_unit(&in, "u", UNIT_URBAN, 100, "POINT(100 -50)");
	const double xy[] = {100, -60, 300, -50};
	site_table t;
	mk_sites(&t, 2, xy);
	reach r;
	status st;
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(fx_reach(&in, &t, &sc, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(r.npairs, 2);
	CU_ASSERT_EQUAL(r.site[0], 0);
	CU_ASSERT_EQUAL(r.dist[0], 10.0);
	CU_ASSERT_EQUAL(r.site[1], 1);
	CU_ASSERT_EQUAL(r.dist[1], 300.0);
	/* the direct pair's link is the straight segment */
	const int unit[] = {0, 0}, site[] = {0, 1};
	CU_ASSERT_EQUAL_FATAL(reach_routes(&r, 2, unit, site, &t, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.route_start[1], 2);
	CU_ASSERT_EQUAL(r.route_start[2], 6);
	reach_free(&r);
	status_free(&st);
	sites_free(&t);
	ln_free(&in.roads);
	fx_free(&in);
	scenario_free(&sc);
}

/* A unit whose part of the network has a site, but beyond the radius: the
 * reason gives the nearest by network and by straight line. */
static void test_reach_far_on_part(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	sc.walk_distance_m = 500;
	ln_seg(&in.roads, 0, 0, 1000, 0, 0);
	fx_unit(&in, "u", UNIT_URBAN, 100, "POINT(100 -10)");
	const double xy[] = {900, -10};
	site_table t;
	mk_sites(&t, 1, xy);
	reach r;
	status st;
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(fx_reach(&in, &t, &sc, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL(r.npairs, 0);
	CU_ASSERT_STRING_EQUAL(r.why[0], "no site on its part of the street network within 500 m "
	                                 "(nearest by network 820 m, by straight line 800 m)");
	reach_free(&r);
	status_free(&st);
	sites_free(&t);
	ln_free(&in.roads);
	fx_free(&in);
	scenario_free(&sc);
}

/* A village keeps the site inside it whatever the walk (rural =
 * one_per_village): at its network distance when within the radius. */
static void test_reach_village_inside(void)
{
	inputs in = {0};
	scenario sc;
	fx_scenario(&sc);
	sc.walk_distance_m = 300;
	ln_seg(&in.roads, 0, 0, 1000, 0, 0);
	fx_unit(&in, "v", UNIT_RURAL, 50,
	        "POLYGON((-10 -500,1000 -500,1000 -10,-10 -10,-10 -500))");
	const double xy[] = {900, -20};
	site_table t;
	mk_sites(&t, 1, xy);
	t.sites[0].unit = 0;
	reach r;
	status st;
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(fx_reach(&in, &t, &sc, &r, &st), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(r.npairs, 1);
	CU_ASSERT_EQUAL(r.inside[0], 1);
	/* beyond the radius along the streets: its straight-line distance */
	CU_ASSERT_DOUBLE_EQUAL(r.dist[0], hypot(900 - r.ux[0], -20 - r.uy[0]), 1e-9);
	reach_free(&r);
	status_free(&st);
	sites_free(&t);
	ln_free(&in.roads);
	fx_free(&in);
	scenario_free(&sc);
}

/* ---- property tests against brute force ------------------------------- */

/* Random graphs of 6-14 junctions and as many lines plus a few, some
 * oneway (lines crossing anywhere, roads_noded = true), or a jittered 4 x 4
 * grid of junctions with lines between neighbours (noded by GEOS, which
 * must then add no junction); points on every junction. Every distance equals Floyd-Warshall's
 * and igraph's Dijkstra's; every bounded reverse search settles exactly the
 * points whose walk to the source is within the cutoff. */
static void test_random_graphs(void)
{
	unsigned long long seed = 17;
	int geos_checked = 0;
	for (int trial = 0; trial < 60; trial++) {
		line_set ls = {0};
		scenario sc;
		fx_scenario(&sc);
		sc.roads_noded = trial % 3 != 0; /* a third noded by GEOS */
		sc.roads_walk_oneway = trial % 2;
		sc.roads_snap_m = 1e-6;
		sc.roads_merge_m = 0; /* the graph as drawn: no end joined to a line */
		int n = 6 + (int)fx_rand(&seed, 0, 9), m = n + (int)fx_rand(&seed, 0, 6);
		double px[16], py[16], fw[16][16];
		int planar = !sc.roads_noded; /* GEOS: a jittered 4 x 4 grid, no crossings */
		if (planar)
			n = 16, m = 24;
		for (int i = 0; i < n; i++) {
			px[i] = planar ? (i % 4) * 100 + fx_rand(&seed, -20, 20)
			               : fx_rand(&seed, 0, 1000);
			py[i] = planar ? (i / 4) * 100 + fx_rand(&seed, -20, 20)
			               : fx_rand(&seed, 0, 1000);
		}
		for (int i = 0; i < n; i++)
			for (int j = 0; j < n; j++)
				fw[i][j] = i == j ? 0 : INFINITY;
		int used[16] = {0};
		unsigned char pair[16][16] = {{0}};
		for (int k = 0; k < m; k++) {
			int a = (int)fx_rand(&seed, 0, n), b = (int)fx_rand(&seed, 0, n);
			if (planar) /* a grid neighbour: right or up */
				b = fx_rand(&seed, 0, 1) < 0.5 ? (a % 4 < 3 ? a + 1 : a)
				                               : (a < 12 ? a + 4 : a);
			/* one line per pair: GEOS noding merges overlapping lines,
			 * keeping the first one's oneway (network.c) */
			if (a == b || pair[a][b])
				continue;
			pair[a][b] = pair[b][a] = 1;
			int ow = fx_rand(&seed, 0, 1) < 0.3 ? 1 : 0;
			ln_seg(&ls, px[a], py[a], px[b], py[b], ow);
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
		double pts[32];
		for (int i = 0; i < n; i++)
			pts[2 * i] = px[i], pts[2 * i + 1] = py[i];
		if (!ls.n) {
			scenario_free(&sc);
			continue;
		}
		network *net = mk_net(&ls, &sc, pts, (size_t)n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(net);
		int crossings = network_crossing_count(net) > 0;
		geos_checked += !sc.roads_noded && !crossings;
		/* igraph on the same junction graph, built from the lines */
		igraph_t g;
		igraph_vector_int_t ev;
		igraph_vector_t w;
		igraph_vector_int_init(&ev, 0);
		igraph_vector_init(&w, 0);
		for (size_t k = 0; k < ls.n; k++) {
			int a = -1, b = -1;
			for (int i = 0; i < n; i++) {
				if (px[i] == ls.x[2 * k] && py[i] == ls.y[2 * k])
					a = i;
				if (px[i] == ls.x[2 * k + 1] && py[i] == ls.y[2 * k + 1])
					b = i;
			}
			double len = hypot(px[b] - px[a], py[b] - py[a]);
			igraph_vector_int_push_back(&ev, a), igraph_vector_int_push_back(&ev, b);
			igraph_vector_push_back(&w, len);
			if (!(ls.oneway[k] && sc.roads_walk_oneway)) {
				igraph_vector_int_push_back(&ev, b),
				    igraph_vector_int_push_back(&ev, a);
				igraph_vector_push_back(&w, len);
			}
		}
		igraph_create(&g, &ev, n, IGRAPH_DIRECTED);
		igraph_matrix_t res;
		igraph_matrix_init(&res, 0, 0);
		CU_ASSERT_EQUAL(igraph_distances_dijkstra(&g, &res, igraph_vss_all(),
		                                          igraph_vss_all(), &w, IGRAPH_OUT),
		                IGRAPH_SUCCESS);
		net_search s;
		CU_ASSERT_EQUAL_FATAL(net_search_init(&s, net), 0);
		for (int i = 0; i < n; i++) {
			CU_ASSERT_EQUAL(network_point_gap(net, (size_t)i) == 0.0, used[i]);
			if (!used[i])
				continue;
			for (int j = 0; j < n; j++) {
				if (!used[j])
					continue;
				if (isinf(fw[i][j])) {
					CU_ASSERT(isinf(MATRIX(res, i, j)));
				} else {
					CU_ASSERT_DOUBLE_EQUAL(MATRIX(res, i, j), fw[i][j], 1e-9);
				}
				if (crossings)
					continue; /* GEOS added junctions: shorter walks exist */
				double d = network_distance(net, (size_t)i, (size_t)j, INFINITY);
				if (isinf(fw[i][j])) {
					CU_ASSERT_EQUAL(d, -1.0);
				} else {
					CU_ASSERT_DOUBLE_EQUAL(d, fw[i][j], 1e-9);
				}
			}
			if (crossings)
				continue;
			/* bounded reverse search from point i */
			double cut = fx_rand(&seed, 0, 1500);
			int seen[16] = {0};
			CU_ASSERT_EQUAL(net_search_run(&s, net, net->pvert[i], cut, 1, NULL, NULL),
			                0);
			for (int j = 0; j < n; j++)
				if (used[j])
					seen[j] = s.dist[net->pvert[j]] <= cut;
			for (int j = 0; j < n; j++)
				if (used[j]) {
					CU_ASSERT_EQUAL(seen[j], fw[j][i] <= cut);
					if (seen[j]) {
						CU_ASSERT_DOUBLE_EQUAL(s.dist[net->pvert[j]],
						                       fw[j][i], 1e-9);
					}
				}
		}
		net_search_free(&s);
		igraph_matrix_destroy(&res);
		igraph_destroy(&g);
		igraph_vector_int_destroy(&ev);
		igraph_vector_destroy(&w);
		network_free(net);
		ln_free(&ls);
		scenario_free(&sc);
	}
	/* every GEOS-noded grid was checked (no junction added) */
	CU_ASSERT_EQUAL(geos_checked, 20);
}

void network_suite_setup(void)
{
	CU_SUITE_ADD("network", NULL, NULL, CU_TEST_ENTRY(test_keys),
	             CU_TEST_ENTRY(test_river_bridge), CU_TEST_ENTRY(test_dead_end),
	             CU_TEST_ENTRY(test_oneway), CU_TEST_ENTRY(test_noded_bridge),
	             CU_TEST_ENTRY(test_merge_ends), CU_TEST_ENTRY(test_short_t),
	             CU_TEST_ENTRY(test_snap_ties), CU_TEST_ENTRY(test_no_walkable),
	             CU_TEST_ENTRY(test_reach_streets), CU_TEST_ENTRY(test_reach_village_inside),
	             CU_TEST_ENTRY(test_reach_direct), CU_TEST_ENTRY(test_reach_far_on_part),
	             CU_TEST_ENTRY(test_random_graphs));
}
