/*
 * cu_pairs.c: subs where no station holds three units, solved as a
 * matching (pairs.c): Edmonds' maximum matching against an exhaustive one
 * on random graphs (odd cycles, so blossoms), a path that greedy matching
 * gets wrong, and random pair instances against the brute-force optimum
 * (tests/bf_enum.c), whose counts must equal the matching's bounds.
 */
#include <CUnit/CUnit.h>
#include <math.h>

#include "bf_enum.h"
#include "cu_tester.h"
#include "sub_fixture.h"

/* The size of a maximum matching of the vertices in `mask` by exhaustion:
 * the lowest vertex left alone or matched to each neighbour in turn. */
static int mm_exhaust(int n, const unsigned char adj[16][16], unsigned mask)
{
	int v = 0;
	while (v < n && !(mask & (1u << v)))
		v++;
	if (v == n)
		return 0;
	unsigned rest = mask & ~(1u << v);
	int best = mm_exhaust(n, adj, rest);
	for (int w = v + 1; w < n; w++)
		if ((rest & (1u << w)) && adj[v][w]) {
			int m = 1 + mm_exhaust(n, adj, rest & ~(1u << w));
			if (m > best)
				best = m;
		}
	return best;
}

/* 400 random graphs of 5-14 vertices, sparse to dense: the matching is
 * one (symmetric, over edges of the graph) and as large as exhaustion's. */
static void test_matching_random(void)
{
	unsigned long seed = 11;
	int blossoms_likely = 0;
	for (int g = 0; g < 400; g++) {
		int n = 5 + (int)(bf_enum_lcg(&seed) % 10);
		unsigned dens = 15 + (unsigned)(bf_enum_lcg(&seed) % 50); /* percent */
		unsigned char adj[16][16] = {{0}};
		int ea[120], eb[120], match[16];
		long ne = 0;
		for (int a = 0; a < n; a++)
			for (int b = a + 1; b < n; b++)
				if (bf_enum_lcg(&seed) % 100 < dens) {
					adj[a][b] = adj[b][a] = 1;
					/* both orders of endpoints occur */
					ea[ne] = (ne % 2) ? b : a, eb[ne] = (ne % 2) ? a : b, ne++;
				}
		long m = pairs_max_matching(n, ea, eb, ne, match);
		CU_ASSERT_EQUAL_FATAL(m, mm_exhaust(n, adj, (1u << n) - 1));
		int cnt = 0;
		for (int v = 0; v < n; v++)
			if (match[v] >= 0) {
				CU_ASSERT_EQUAL(match[match[v]], v);
				CU_ASSERT_TRUE(adj[v][match[v]]);
				cnt++;
			}
		CU_ASSERT_EQUAL(cnt, 2 * m);
		blossoms_likely += n % 2 == 1 && 2 * m == n - 1;
	}
	CU_ASSERT_TRUE(blossoms_likely > 20);
}

/* A root 0, 1=2 matched, a triangle 2-3-4 with 3=4 matched, 5 hanging on
 * 3; the edges given so that greedy takes 1-2 and 3-4 and leaves 0 and 5:
 * the search from 0 meets the triangle as a blossom and augments through
 * it: 0-1, 2-4, 3-5. */
static void test_matching_blossom(void)
{
	int ea[] = {1, 3, 0, 2, 2, 3}, eb[] = {2, 4, 1, 3, 4, 5}, match[6];
	CU_ASSERT_EQUAL(pairs_max_matching(6, ea, eb, 6, match), 3);
	CU_ASSERT_EQUAL(match[0], 1);
	CU_ASSERT_EQUAL(match[2], 4);
	CU_ASSERT_EQUAL(match[3], 5);
	CU_ASSERT_EQUAL(match[5], 3);
}

/* Four communities of 2,200 on a line, 900 m apart except the middle two
 * (500 m): greedy by walking pairs the middle two and leaves the ends
 * alone (two underfilled stations); the maximum matching pairs the ends
 * with their neighbours: two stations, none underfilled, both proven. */
static void test_pairs_path(void)
{
	hx *h = hx_of(4, (const long[]){2200, 2200, 2200, 2200},
	              (const double[][2]){{0, 0}, {900, 0}, {1400, 0}, {2300, 0}});
	CU_ASSERT_EQUAL_FATAL(h->n, 1);
	const sp_sub *s = &h->subs[0];
	sp_sol sol;
	pairs_result r;
	CU_ASSERT_EQUAL_FATAL(pairs_solve(s, &h->w.p, INFINITY, INFINITY, &sol, &r), 0);
	CU_ASSERT_EQUAL(r.structured, 1);
	CU_ASSERT_EQUAL(r.matched, 2);
	CU_ASSERT_EQUAL(r.stations, 2);
	CU_ASSERT_EQUAL(r.underfilled, 0);
	CU_ASSERT_EQUAL(r.unplaced, 0);
	CU_ASSERT_EQUAL_FATAL(sol.n, 2);
	for (int t = 0; t < sol.n; t++) {
		CU_ASSERT_EQUAL(sol.st[t].n, 2);
		CU_ASSERT_EQUAL(sol.st[t].lo, 4400);
		CU_ASSERT_EQUAL(sol.st[t].u[1], sol.st[t].u[0] + 1);
	}
	CU_ASSERT_EQUAL(sp_sol_underfilled(s, &h->w.p, &sol), 0);
	sp_sol_free(&sol);
	hx_free(h);
}

/* Not a sub of pairs: three communities of 1,200 fit one station (the
 * structure needs three to exceed the maximum); a community of 3,000 that
 * fits beside one of 2,000 (a pair with a unit at the minimum). */
static void test_pairs_refused(void)
{
	for (int c = 0; c < 2; c++) {
		hx *h = c == 0 ? hx_row3(1200, 1200, 1200, 100) : hx_row3(2000, 3000, 3500, 100);
		sp_sol sol;
		pairs_result r;
		CU_ASSERT_EQUAL(pairs_solve(&h->subs[0], &h->w.p, INFINITY, INFINITY, &sol, &r), 1);
		CU_ASSERT_EQUAL(r.structured, 0);
		hx_free(h);
	}
}

/* A random instance of 8 communities of 2,000-4,000 households (no three
 * fit 5,000) in a 1,400 m square, one thread. */
static fx *pair_instance(unsigned long seed)
{
	fx *f = calloc(1, sizeof(fx));
	fx_init(f);
	f->sc.threads = 1;
	bf_enum_instance(f, seed, 8, 1400, 2000, 2000);
	return f;
}

/* Random instances of 2,000-4,000 households (no three fit 5,000): where
 * the structure holds, the matching's counts are exactly the brute-force
 * optimum's (fewest avoidably underfilled stations, then stations), its
 * plan is valid and attains them unless a pair found no free site, and
 * the whole solver, with every sub too large to list, proves the optimum
 * by the matching alone. */
static void test_pairs_brute_force(void)
{
	int structured = 0, attained = 0;
	for (unsigned long seed = 1; seed <= 40; seed++) {
		fx *f = pair_instance(seed);
		sp_world w;
		sp_sub *subs;
		size_t n;
		CU_ASSERT_EQUAL_FATAL(bf_enum_subs(f, &w, &subs, &n), 0);
		long st = 0, un = 0, pst = 0, pun = 0;
		int all = n > 0;
		for (size_t i = 0; i < n; i++) {
			sp_sol sol;
			pairs_result r;
			int rc = pairs_solve(&subs[i], &w.p, INFINITY, INFINITY, &sol, &r);
			CU_ASSERT_TRUE_FATAL(rc == 0 || rc == 1);
			all &= r.structured;
			pst += r.stations, pun += r.underfilled;
			if (rc == 0) {
				int *used = calloc((size_t)subs[i].ns, sizeof(int));
				for (int t = 0; t < sol.n; t++) {
					const sp_station *x = &sol.st[t];
					CU_ASSERT_TRUE(x->hi <= 5000);
					CU_ASSERT_EQUAL(used[x->site]++, 0);
					for (int m = 0; m < x->n; m++)
						CU_ASSERT_TRUE(
						    sp_dist(&subs[i], x->site, x->u[m]) >= 0);
				}
				free(used);
				st += sol.n;
				un += sp_sol_underfilled(&subs[i], &w.p, &sol);
				if (r.unplaced == 0) {
					CU_ASSERT_EQUAL(sol.n, r.stations);
					CU_ASSERT_EQUAL(sp_sol_underfilled(&subs[i], &w.p, &sol),
					                r.underfilled);
				}
				sp_sol_free(&sol);
			} else {
				all = 0;
			}
		}
		bf_enum_subs_free(&w, subs, n);
		if (all) {
			structured++;
			/* lexicographic: underfilled first, then stations */
			bf_objective ob = {
			    .station = 1, .penalty = 100, .dscale = INFINITY, .budget = LONG_MAX};
			double opt = bf_enum_best(f, &ob);
			CU_ASSERT_TRUE(100.0 * (double)pun + (double)pst <= opt + 1e-9);
			CU_ASSERT_TRUE(100.0 * (double)un + (double)st >= opt - 1e-9);
			if (100.0 * (double)un + (double)st <= opt + 1e-9) {
				attained++;
				CU_ASSERT_DOUBLE_EQUAL(100.0 * (double)pun + (double)pst, opt,
				                       1e-9);
			}
			plan p;
			f->sc.mip_gap = 0;
			/* max_cols 1: every sub "too large to list", where pairs.c runs */
			CU_ASSERT_EQUAL_FATAL(solver_solve_cols(&f->in, &f->sites, &f->r, &f->sc, 1,
			                                        NULL, &p, &f->st),
			                      STATUS_OK);
			for (size_t i = 0; i < p.nsubs; i++)
				CU_ASSERT_STRING_EQUAL(p.subs[i].bound_source, "matching");
			CU_ASSERT_EQUAL(p.urban_stations, (long)(opt - 100.0 * floor(opt / 100.0)));
			CU_ASSERT_EQUAL(p.underfilled, (long)floor(opt / 100.0));
			CU_ASSERT_DOUBLE_EQUAL(p.urban_bound, (double)p.urban_stations, 1e-9);
			CU_ASSERT_EQUAL(p.underfilled_bound, p.underfilled);
			plan_free(&p);
		}
		fx_free(f);
		free(f);
	}
	CU_ASSERT_TRUE(structured >= 20);
	CU_ASSERT_TRUE(attained >= structured - 2);
}

/* The walking among the plans with the fewest underfilled stations, on
 * random pair instances against brute force (walking in household-metres,
 * a penalty above any walking per underfilled station): the LP's bound is
 * never above the optimum, the matching's plan never below it, both
 * objectives' runs of the whole solver stay between them, and a run under
 * a work limit gives the same plan twice. */
static void test_pairs_walk_brute_force(void)
{
	int checked = 0, exact = 0;
	for (unsigned long seed = 41; seed <= 70; seed++) {
		fx *f = pair_instance(seed);
		sp_world w;
		sp_sub *subs;
		size_t n;
		CU_ASSERT_EQUAL_FATAL(bf_enum_subs(f, &w, &subs, &n), 0);
		double lb = 0, pw = 0;
		int all = n > 0;
		for (size_t i = 0; i < n && all; i++) {
			sp_sol sol;
			pairs_result r;
			int rc = pairs_solve(&subs[i], &w.p, INFINITY, INFINITY, &sol, &r);
			all = rc == 0 && r.structured && r.matched > 0 && isfinite(r.walk_bound);
			if (rc == 0) {
				lb += r.walk_bound;
				for (int t = 0; t < sol.n; t++)
					pw += sol.st[t].wd;
				CU_ASSERT_EQUAL(sp_sol_underfilled(&subs[i], &w.p, &sol),
				                r.underfilled);
				sp_sol_free(&sol);
			}
		}
		bf_enum_subs_free(&w, subs, n);
		if (!all) {
			fx_free(f);
			free(f);
			continue;
		}
		checked++;
		double pen = 1e9;
		bf_objective ob = {.station = 0, .penalty = pen, .dscale = 1, .budget = LONG_MAX};
		double opt = bf_enum_best(f, &ob);
		double walk = opt - pen * floor(opt / pen);
		CU_ASSERT_TRUE(lb <= walk + 1e-6);
		CU_ASSERT_TRUE(pw >= walk - 1e-6);
		exact += pw <= walk + 1e-6;
		for (int o = 0; o < 2; o++) {
			plan p[2];
			f->sc.objective = o ? OBJECTIVE_MIN_DISTANCE : OBJECTIVE_MIN_STATIONS;
			f->sc.work_limit = 3;
			for (int k = 0; k < 2; k++)
				CU_ASSERT_EQUAL_FATAL(solver_solve_cols(&f->in, &f->sites, &f->r,
				                                        &f->sc, 1, NULL, &p[k],
				                                        &f->st),
				                      STATUS_OK);
			CU_ASSERT_EQUAL(p[0].underfilled, (long)floor(opt / pen));
			CU_ASSERT_TRUE(p[0].urban_walk * 1000.0 >= walk - 1e-3);
			if (o)
				CU_ASSERT_TRUE(p[0].urban_walk_bound * 1000.0 <= walk + 1e-3);
			CU_ASSERT_EQUAL_FATAL(p[0].nstations, p[1].nstations);
			for (size_t t = 0; t < p[0].nstations; t++)
				CU_ASSERT_EQUAL(p[0].stations[t].site, p[1].stations[t].site);
			CU_ASSERT_DOUBLE_EQUAL(p[0].urban_walk, p[1].urban_walk, 1e-9);
			for (int k = 0; k < 2; k++)
				plan_free(&p[k]);
		}
		fx_free(f);
		free(f);
	}
	CU_ASSERT_TRUE(checked >= 15);
	CU_ASSERT_TRUE(exact >= checked / 2);
}

void pairs_suite_setup(void)
{
	CU_SUITE_ADD("pairs", NULL, NULL, CU_TEST_ENTRY(test_matching_random),
	             CU_TEST_ENTRY(test_matching_blossom), CU_TEST_ENTRY(test_pairs_path),
	             CU_TEST_ENTRY(test_pairs_refused), CU_TEST_ENTRY(test_pairs_brute_force),
	             CU_TEST_ENTRY(test_pairs_walk_brute_force));
}
