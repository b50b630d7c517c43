/*
 * cu_solver.c: the placement solver on instances with hand-computed optima
 * (band pairing, a split community, isolated communities, a village, an
 * existing station, an uncovered unit, a chain where the band cannot hold,
 * min_distance), and on random instances checked by the independent
 * verifier and for determinism across thread counts.
 */
#include <CUnit/CUnit.h>

#include "verify.h"
#include "solver.h"
#include "cu_tester.h"
#include "solver_fixture.h"

static fx *fx_new(void)
{
	fx *f = calloc(1, sizeof(fx));
	fx_init(f);
	f->sc.threads = 1;
	return f;
}

static void fx_done(fx *f, plan *p)
{
	plan_free(p);
	fx_free(f);
	free(f);
}

static double walk_sum(const plan *p)
{
	double w = 0;
	for (size_t a = 0; a < p->nassign; a++)
		w += (double)p->assign[a].households * p->assign[a].distance_m;
	return w;
}

static void assert_verified(fx *f, const plan *p)
{
	char msg[256];
	int bad = verify_plan(&f->in, &f->sites, &f->r, &f->sc, p, msg, sizeof(msg));
	CU_ASSERT_EQUAL(bad, 0);
	if (bad)
		fprintf(stderr, "\nverify: %s\n", msg);
}

/* Four communities of 2,000 households 200 m apart: two stations of 4,000,
 * each at one community serving a neighbour: 2 * 2000 * 200 household-m. */
static void test_four_communities_two_stations(void)
{
	fx *f = fx_new();
	plan p;
	double xy[4][2] = {{0, 0}, {200, 0}, {0, 200}, {200, 200}};
	for (int i = 0; i < 4; i++) {
		int u = fx_unit(f, 2000, UNIT_URBAN, xy[i][0], xy[i][1]);
		fx_site(f, xy[i][0], xy[i][1], SITE_REPRESENTATIVE, u);
	}
	CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL(p.nstations, 2);
	CU_ASSERT_EQUAL(p.nassign, 4);
	for (size_t s = 0; s < p.nstations; s++) {
		CU_ASSERT_EQUAL(p.stations[s].households, 4000);
		CU_ASSERT_EQUAL(p.stations[s].nunits, 2);
		CU_ASSERT_EQUAL(p.stations[s].underfilled, 0);
		CU_ASSERT_STRING_EQUAL(p.stations[s].reason, "");
		CU_ASSERT_EQUAL(p.stations[s].kind, STATION_URBAN);
	}
	CU_ASSERT_DOUBLE_EQUAL(walk_sum(&p), 800000.0, 1e-6);
	CU_ASSERT_STRING_EQUAL(p.status, "optimal");
	CU_ASSERT_TRUE(p.proven);
	CU_ASSERT_EQUAL(p.nsubs, 1);
	CU_ASSERT_STRING_EQUAL(p.subs[0].key, "component 1");
	CU_ASSERT_EQUAL(p.subs[0].nstations, 2);
	CU_ASSERT_TRUE(p.objective >= 2.0 && p.objective < 3.0);
	CU_ASSERT_TRUE(p.gap <= f->sc.mip_gap);
	assert_verified(f, &p);
	fx_done(f, &p);
}

/* One community of 12,000 at (0, 0), a site at its centre and three 250 m
 * from it; returns the centre's site. */
static int twelve_thousand(fx *f)
{
	int u = fx_unit(f, 12000, UNIT_URBAN, 0, 0);
	fx_site(f, -250, 0, SITE_GRID, u);
	int centre = fx_site(f, 0, 0, SITE_REPRESENTATIVE, u);
	fx_site(f, 0, 250, SITE_GRID, u);
	fx_site(f, 250, 0, SITE_GRID, u);
	return centre;
}

/* One community of 12,000, under both splits: three stations (12,000 >
 * 2 x 5,000) on three sites. With equal parts (rules.split = equal) three
 * of 4,000: the centre and two 250 m sites, 4,000 * 500 = 2,000,000
 * household-m of walking. Flexibly (the default) the centre (0 m) takes
 * the maximum, 5,000, and the other 7,000 walk 250 m whichever two of the
 * 250 m sites hold them and however they are shared (each within
 * 3,000-5,000): 1,750,000; nothing walks less, at most 5,000 can be at
 * 0 m. */
static void test_split_community(void)
{
	for (int flex = 0; flex < 2; flex++) {
		fx *f = fx_new();
		plan p;
		f->sc.split = flex ? SPLIT_FLEXIBLE : SPLIT_EQUAL;
		int centre = twelve_thousand(f);
		CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
		CU_ASSERT_EQUAL_FATAL(p.nstations, 3);
		CU_ASSERT_EQUAL(p.nassign, 3);
		long sum = 0;
		for (size_t s = 0; s < 3; s++) {
			long h = p.stations[s].households;
			CU_ASSERT_EQUAL(p.assign[s].unit, 0);
			CU_ASSERT_EQUAL(p.assign[s].households, h);
			if (!flex) {
				CU_ASSERT_EQUAL(h, 4000);
			} else {
				CU_ASSERT_TRUE(h >= 3000 && h <= 5000);
				CU_ASSERT_TRUE(p.stations[s].site != centre || h == 5000);
			}
			sum += h;
		}
		CU_ASSERT_EQUAL(sum, 12000);
		CU_ASSERT_NOT_EQUAL(p.stations[0].site, p.stations[1].site);
		CU_ASSERT_NOT_EQUAL(p.stations[1].site, p.stations[2].site);
		CU_ASSERT_NOT_EQUAL(p.stations[0].site, p.stations[2].site);
		CU_ASSERT_DOUBLE_EQUAL(walk_sum(&p), flex ? 1750000.0 : 2000000.0, 1e-6);
		CU_ASSERT_TRUE(p.proven);
		assert_verified(f, &p);
		fx_done(f, &p);
	}
}

/* A split that does not divide evenly: 10,001 = 3,334 + 3,334 + 3,333. */
static void test_split_uneven(void)
{
	fx *f = fx_new();
	plan p;
	int u = fx_unit(f, 10001, UNIT_URBAN, 0, 0);
	fx_site(f, 0, 0, SITE_REPRESENTATIVE, u);
	CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(p.nstations, 3);
	CU_ASSERT_EQUAL(p.stations[0].households, 3334);
	CU_ASSERT_EQUAL(p.stations[1].households, 3334);
	CU_ASSERT_EQUAL(p.stations[2].households, 3333);
	assert_verified(f, &p);
	fx_done(f, &p);
}

/* Two communities 3 km apart: each alone, both underfilled with the reason. */
static void test_isolated_underfilled(void)
{
	fx *f = fx_new();
	plan p;
	int a = fx_unit(f, 2000, UNIT_URBAN, 0, 0);
	int b = fx_unit(f, 2000, UNIT_URBAN, 3000, 0);
	fx_site(f, 0, 0, SITE_REPRESENTATIVE, a);
	fx_site(f, 3000, 0, SITE_REPRESENTATIVE, b);
	CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(p.nstations, 2);
	for (size_t s = 0; s < 2; s++) {
		CU_ASSERT_EQUAL(p.stations[s].underfilled, 1);
		CU_ASSERT_EQUAL(p.stations[s].households, 2000);
		CU_ASSERT_STRING_EQUAL(p.stations[s].reason, "only 2000 households within 1000 m");
	}
	CU_ASSERT_EQUAL(p.nsubs, 2);
	CU_ASSERT_TRUE(p.proven);
	CU_ASSERT_DOUBLE_EQUAL(p.objective, 2.0, 1e-9);
	assert_verified(f, &p);
	fx_done(f, &p);
}

/* A village gets one station at its inside site nearest its demand point,
 * even a far one; its sites are not used by the community next to it. */
static void test_village(void)
{
	fx *f = fx_new();
	plan p;
	int v = fx_unit(f, 300, UNIT_RURAL, 0, 0);
	int c = fx_unit(f, 3500, UNIT_URBAN, 600, 0);
	int w = fx_unit(f, 200, UNIT_RURAL, 10000, 0);
	fx_site(f, 400, 0, SITE_GRID, v);
	fx_site(f, 100, 0, SITE_REPRESENTATIVE, v);
	fx_site(f, 600, 0, SITE_REPRESENTATIVE, c);
	fx_site(f, 11500, 0, SITE_REPRESENTATIVE, w);
	CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(p.nstations, 3);
	CU_ASSERT_EQUAL(p.stations[0].site, 0 + 1);
	CU_ASSERT_EQUAL(p.stations[0].kind, STATION_VILLAGE);
	CU_ASSERT_EQUAL(p.stations[0].households, 300);
	CU_ASSERT_EQUAL(p.stations[0].underfilled, 0);
	CU_ASSERT_EQUAL(p.stations[1].site, 2);
	CU_ASSERT_EQUAL(p.stations[1].kind, STATION_URBAN);
	CU_ASSERT_EQUAL(p.stations[1].households, 3500);
	CU_ASSERT_EQUAL(p.stations[2].site, 3);
	CU_ASSERT_EQUAL(p.stations[2].kind, STATION_VILLAGE);
	CU_ASSERT_EQUAL(p.assign[2].unit, w);
	CU_ASSERT_DOUBLE_EQUAL(p.assign[2].distance_m, 1500.0, 1e-9);
	CU_ASSERT_EQUAL(p.nuncovered, 0);
	assert_verified(f, &p);
	fx_done(f, &p);
}

/* An existing station is kept and serves both communities. */
static void test_existing_reused(void)
{
	fx *f = fx_new();
	plan p;
	fx_site(f, 100, 100, SITE_EXISTING, -1);
	int a = fx_unit(f, 2000, UNIT_URBAN, 0, 0);
	int b = fx_unit(f, 2000, UNIT_URBAN, 200, 0);
	fx_site(f, 0, 0, SITE_REPRESENTATIVE, a);
	fx_site(f, 200, 0, SITE_REPRESENTATIVE, b);
	CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(p.nstations, 1);
	CU_ASSERT_EQUAL(p.stations[0].site, 0);
	CU_ASSERT_EQUAL(p.stations[0].kind, STATION_EXISTING);
	CU_ASSERT_EQUAL(p.stations[0].households, 4000);
	CU_ASSERT_EQUAL(p.stations[0].nunits, 2);
	CU_ASSERT_STRING_EQUAL(station_kind_name(p.stations[0].kind), "existing");
	assert_verified(f, &p);
	fx_done(f, &p);
}

/* An existing station with nobody in reach is kept, flagged, with a reason. */
static void test_existing_alone(void)
{
	fx *f = fx_new();
	plan p;
	fx_site(f, 9000, 0, SITE_EXISTING, -1);
	int a = fx_unit(f, 3000, UNIT_URBAN, 0, 0);
	fx_site(f, 0, 0, SITE_REPRESENTATIVE, a);
	CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(p.nstations, 2);
	CU_ASSERT_EQUAL(p.stations[0].kind, STATION_EXISTING);
	CU_ASSERT_EQUAL(p.stations[0].households, 0);
	CU_ASSERT_EQUAL(p.stations[0].underfilled, 1);
	CU_ASSERT_STRING_EQUAL(p.stations[0].reason, "no unit to serve within 1000 m");
	CU_ASSERT_EQUAL(p.stations[1].households, 3000);
	assert_verified(f, &p);
	fx_done(f, &p);
}

static void test_uncovered(void)
{
	fx *f = fx_new();
	plan p;
	fx_unit(f, 1000, UNIT_URBAN, 0, 0);
	int b = fx_unit(f, 3500, UNIT_URBAN, 1500, 0);
	fx_site(f, 1500, 0, SITE_REPRESENTATIVE, b);
	CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(p.nuncovered, 1);
	CU_ASSERT_EQUAL(p.uncovered[0].unit, 0);
	CU_ASSERT_EQUAL(p.uncovered[0].nearest_site, 0);
	CU_ASSERT_DOUBLE_EQUAL(p.uncovered[0].nearest_m, 1500.0, 1e-9);
	CU_ASSERT_STRING_EQUAL(p.uncovered[0].reason,
	                       "no candidate site within 1000 m (nearest 1500 m)");
	CU_ASSERT_EQUAL(p.nstations, 1);
	CU_ASSERT_EQUAL(p.stations[0].households, 3500);
	assert_verified(f, &p);
	fx_done(f, &p);
}

/* A chain A - B - C 900 m apart, 2,000 each, sites at the communities: no
 * site is isolated (each reaches 4,000 or 6,000) yet no partition meets the
 * band; the optimum has two stations, exactly one underfilled. */
static void test_chain_band_infeasible(void)
{
	fx *f = fx_new();
	plan p;
	for (int i = 0; i < 3; i++) {
		int u = fx_unit(f, 2000, UNIT_URBAN, 900.0 * i, 0);
		fx_site(f, 900.0 * i, 0, SITE_REPRESENTATIVE, u);
	}
	CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(p.nstations, 2);
	int under = 0;
	for (size_t s = 0; s < 2; s++) {
		if (!p.stations[s].underfilled)
			continue;
		under++;
		CU_ASSERT_EQUAL(p.stations[s].households, 2000);
		CU_ASSERT_STRING_EQUAL(
		    p.stations[s].reason,
		    "no in-band grouping of the units within 1000 m is left for this station");
	}
	CU_ASSERT_EQUAL(under, 1);
	CU_ASSERT_TRUE(p.proven);
	assert_verified(f, &p);
	fx_done(f, &p);
}

/* Six communities of 1,600 on a 300 m grid: min_stations packs three per
 * station (2 stations), min_distance pairs them (3 stations, less walking). */
static void test_objectives(void)
{
	plan p1, p2;
	fx *f1 = fx_new(), *f2 = fx_new();
	for (int i = 0; i < 6; i++) {
		double x = 300.0 * (i % 3), y = 300.0 * (i / 3);
		fx_site(f1, x, y, SITE_REPRESENTATIVE, fx_unit(f1, 1600, UNIT_URBAN, x, y));
		fx_site(f2, x, y, SITE_REPRESENTATIVE, fx_unit(f2, 1600, UNIT_URBAN, x, y));
	}
	f2->sc.objective = OBJECTIVE_MIN_DISTANCE;
	CU_ASSERT_EQUAL_FATAL(fx_solve(f1, &p1), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(fx_solve(f2, &p2), STATUS_OK);
	CU_ASSERT_EQUAL(p1.nstations, 2);
	CU_ASSERT_EQUAL(p2.nstations, 3);
	CU_ASSERT_TRUE(walk_sum(&p2) < walk_sum(&p1));
	/* three pairs of neighbours 300 m apart */
	CU_ASSERT_DOUBLE_EQUAL(walk_sum(&p2), 3 * 1600 * 300.0, 1e-6);
	CU_ASSERT_TRUE(p1.proven);
	CU_ASSERT_TRUE(p2.proven);
	assert_verified(f1, &p1);
	assert_verified(f2, &p2);
	fx_done(f1, &p1);
	fx_done(f2, &p2);
}

/* Two pairs of communities whose least-cost site is the same point S0
 * (0, 0), the only other site S1 at (300, 0): one pair must walk to S1. Units
 * of 2,000 (a pair of 4,000 is in the band, a lone one is not, three are
 * over the maximum): u0 (100, 0), u1 (0, 100), u2 (0, -150), u3 (-100, 0),
 * at 100, 100, 150, 100 m from S0 and 200, 316.2, 335.4, 400 m from S1.
 * Extra walk to S1: 100, 216.2, 185.4, 300, so {u0, u2} goes to S1: 2,000 *
 * (100 + 100 + 200 + sqrt(112500)) household-m. With both stations at S0
 * (one station of 8,000 in truth) it would be 2,000 * 450. */
static void test_two_sets_one_best_site(void)
{
	fx *f = fx_new();
	plan p;
	double xy[4][2] = {{100, 0}, {0, 100}, {0, -150}, {-100, 0}};
	for (int i = 0; i < 4; i++)
		fx_unit(f, 2000, UNIT_URBAN, xy[i][0], xy[i][1]);
	int s0 = fx_site(f, 0, 0, SITE_GRID, -1);
	int s1 = fx_site(f, 300, 0, SITE_GRID, -1);
	f->sc.objective = OBJECTIVE_MIN_DISTANCE;
	CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
	double best = 2000.0 * (400.0 + sqrt(112500.0));
	CU_ASSERT_EQUAL_FATAL(p.nstations, 2);
	CU_ASSERT_EQUAL(p.stations[0].site, s0);
	CU_ASSERT_EQUAL(p.stations[1].site, s1);
	CU_ASSERT_EQUAL(p.stations[0].households, 4000);
	CU_ASSERT_EQUAL(p.stations[1].households, 4000);
	for (size_t a = 0; a < p.nassign; a++) /* u0 and u2 at S1 */
		CU_ASSERT_EQUAL(p.assign[a].station, p.assign[a].unit % 2 == 0 ? 1 : 0);
	CU_ASSERT_DOUBLE_EQUAL(walk_sum(&p), best, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(p.objective, best / 1000.0, 1e-9);
	CU_ASSERT_TRUE(p.bound <= p.objective + 1e-9);
	CU_ASSERT_TRUE(p.bound >= best / 1000.0 * (1 - f->sc.mip_gap));
	CU_ASSERT_TRUE(p.proven);
	CU_ASSERT_STRING_EQUAL(p.status, "optimal");
	assert_verified(f, &p);
	fx_done(f, &p);
}

/* Deterministic pseudo-random generator (tests must not depend on libc rand). */
static unsigned long lcg(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

static void random_instance(fx *f, unsigned long seed, int n)
{
	unsigned long s = seed;
	for (int i = 0; i < n; i++) {
		double x = (double)(lcg(&s) % 6000), y = (double)(lcg(&s) % 6000);
		long h = 300 + (long)(lcg(&s) % 5200);
		if (lcg(&s) % 12 == 0)
			h += 6000;
		unit_kind k = lcg(&s) % 8 == 0 ? UNIT_RURAL : UNIT_URBAN;
		int u = fx_unit(f, h, k, x, y);
		fx_site(f, x + 20, y, SITE_REPRESENTATIVE, u);
		if (lcg(&s) % 3 == 0)
			fx_site(f, x - 150, y + 100, SITE_GRID, u);
	}
	for (int e = 0; e < 3; e++)
		fx_site(f, (double)(lcg(&s) % 6000), (double)(lcg(&s) % 6000), SITE_EXISTING, -1);
}

static int same_plan(const plan *a, const plan *b)
{
	if (a->nstations != b->nstations || a->nassign != b->nassign)
		return 0;
	for (size_t s = 0; s < a->nstations; s++)
		if (a->stations[s].site != b->stations[s].site ||
		    a->stations[s].households != b->stations[s].households)
			return 0;
	for (size_t k = 0; k < a->nassign; k++)
		if (a->assign[k].unit != b->assign[k].unit ||
		    a->assign[k].station != b->assign[k].station ||
		    a->assign[k].households != b->assign[k].households)
			return 0;
	return 1;
}

static void test_random_verified_deterministic(void)
{
	for (unsigned long run = 0; run < 12; run++) {
		/* seeds 1-6 with equal parts, then flexibly (the default) in
		 * counted work: the same plan on one thread and on two is promised
		 * under solver.work_limit while the clock does not fire, or when
		 * both runs prove their plan; flexibly these are not proven, and
		 * with 1,000 nodes per search seeds 3 and 5 took 58-61 s, seed 5
		 * on one thread ran into the 60 s clock and differed: 20 nodes
		 * per search, 13-18 s a run for seeds 3 and 5 (load 3-4) */
		unsigned long seed = run % 6 + 1;
		int flex = run >= 6;
		plan p1, p2;
		fx *f1 = fx_new(), *f2 = fx_new();
		random_instance(f1, seed, 80);
		random_instance(f2, seed, 80);
		f1->sc.split = f2->sc.split = flex ? SPLIT_FLEXIBLE : SPLIT_EQUAL;
		f1->sc.work_limit = f2->sc.work_limit = flex ? 20 : 0;
		if (flex) /* the safety net never fires here */
			f1->sc.time_limit_s = f2->sc.time_limit_s = 600;
		f2->sc.threads = 2;
		if (seed % 2 == 0) {
			f1->sc.objective = OBJECTIVE_MIN_DISTANCE;
			f2->sc.objective = OBJECTIVE_MIN_DISTANCE;
		}
		CU_ASSERT_EQUAL_FATAL(fx_solve(f1, &p1), STATUS_OK);
		CU_ASSERT_EQUAL_FATAL(fx_solve(f2, &p2), STATUS_OK);
		assert_verified(f1, &p1);
		CU_ASSERT_TRUE(same_plan(&p1, &p2));
		CU_ASSERT_TRUE(p1.nstations >= 3); /* existing stations at least */
		CU_ASSERT_TRUE(p1.bound <= p1.objective + 1e-9);
		fx_done(f1, &p1);
		fx_done(f2, &p2);
	}
}

/* An absurd band (households_max = 1: a station per household) ends at
 * once with an input error naming the unit, not with 262,000 stations. */
static void test_absurd_band(void)
{
	fx *f = fx_new();
	plan p;
	int u = fx_unit(f, 2506, UNIT_URBAN, 0, 0);
	fx_site(f, 0, 0, SITE_REPRESENTATIVE, u);
	f->sc.households_max = 1;
	f->sc.households_min = 0;
	CU_ASSERT_EQUAL(fx_solve(f, &p), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(f->st.msg,
	                       "unit 'u0' has 2506 households: under households_max = 1 it needs "
	                       "2506 stations, more than 1000 for one unit; check "
	                       "rules.households_max and the unit's households");
	CU_ASSERT_EQUAL(p.nstations, 0);
	fx_done(f, &p);
	/* 1,000 stations for one unit is still a plan */
	f = fx_new();
	u = fx_unit(f, 1000, UNIT_URBAN, 0, 0);
	fx_site(f, 0, 0, SITE_REPRESENTATIVE, u);
	fx_site(f, 100, 0, SITE_GRID, u);
	f->sc.households_max = 1;
	f->sc.households_min = 0;
	f->sc.time_limit_s = 30;
	CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL(p.nstations, 1000);
	assert_verified(f, &p);
	fx_done(f, &p);
}

void solver_suite_setup(void)
{
	CU_SUITE_ADD("solver", NULL, NULL, CU_TEST_ENTRY(test_four_communities_two_stations),
	             CU_TEST_ENTRY(test_split_community), CU_TEST_ENTRY(test_split_uneven),
	             CU_TEST_ENTRY(test_isolated_underfilled), CU_TEST_ENTRY(test_village),
	             CU_TEST_ENTRY(test_existing_reused), CU_TEST_ENTRY(test_existing_alone),
	             CU_TEST_ENTRY(test_uncovered), CU_TEST_ENTRY(test_chain_band_infeasible),
	             CU_TEST_ENTRY(test_objectives), CU_TEST_ENTRY(test_two_sets_one_best_site),
	             CU_TEST_ENTRY(test_random_verified_deterministic),
	             CU_TEST_ENTRY(test_absurd_band));
}
