/*
 * cu_colgen.c: column generation (solver/colgen.c) and the path of the
 * solver that uses it (price-and-branch, solver_solve_cols with no column
 * cap), against the brute-force enumeration of tests/bf_enum.c, written
 * independently of them: on random small instances the enumerated optimum
 * equals the solver's, and no reported bound is above it; the exact
 * knapsack pricing on hand-computed cases (flexible shares of a split unit,
 * the lower band); a dense instance stopped by solver.work_limit gives a
 * plan that says so, the same twice; the bound of a very large component
 * from its blocks (blocks.c, the local Farley bound of any duals) and the
 * blocks' joined plan.
 */
#include <CUnit/CUnit.h>

#include "../solver/solver_int.h"
#include "verify.h"
#include "clock.h"
#include "bf_enum.h"
#include "cu_tester.h"
#include "solver_fixture.h"

static fx *fx_new(void)
{
	fx *f = calloc(1, sizeof(fx));
	fx_init(f);
	f->sc.threads = 1;
	f->sc.mip_gap = 0;
	return f;
}

static void fx_done(fx *f, plan *p)
{
	if (p)
		plan_free(p);
	fx_free(f);
	free(f);
}

/* The optimum of the solver's objective (sub.c: stations, penalty per
 * avoidably underfilled station, walking over dscale) by enumeration. */
static double brute_force(const fx *f)
{
	int md = f->sc.objective == OBJECTIVE_MIN_DISTANCE;
	long h = 0;
	for (size_t u = 0; u < f->in.nunits; u++)
		h += f->units[u].households;
	bf_objective ob = {.station = md ? 0 : 1,
	                   .penalty = md ? (double)h * f->sc.walk_distance_m / 1000.0 + 1.0
	                                 : (double)f->in.nunits + 1.0,
	                   .dscale = md ? 1000.0 : (double)h * f->sc.walk_distance_m + 1.0,
	                   .budget = LONG_MAX};
	return bf_enum_best(f, &ob);
}

/* n units (households within the maximum), each with a site at its point,
 * plus two free sites, in a square where most reach each other. */
static void small_instance(fx *f, unsigned long seed, int n)
{
	bf_enum_instance(f, seed, n, 1800, 800, 3600);
}

static void test_brute_force_random(void)
{
	for (unsigned long seed = 1; seed <= 24; seed++) {
		for (int path = 0; path < 2; path++) {
			fx *f = fx_new();
			plan p;
			small_instance(f, seed, 6);
			if (seed % 3 == 0)
				f->sc.objective = OBJECTIVE_MIN_DISTANCE;
			fx_reach(f);
			double opt = brute_force(f);
			CU_ASSERT_TRUE_FATAL(isfinite(opt));
			/* path 0: columns listed, exact; path 1: column generation for
			 * every component, price-and-branch */
			CU_ASSERT_EQUAL_FATAL(solver_solve_cols(&f->in, &f->sites, &f->r, &f->sc,
			                                        path ? 0 : 150000, NULL, &p,
			                                        &f->st),
			                      STATUS_OK);
			CU_ASSERT_TRUE(p.bound <= opt + 1e-6);
			CU_ASSERT_TRUE(p.objective >= opt - 1e-6);
			if (path == 0)
				CU_ASSERT_DOUBLE_EQUAL(p.objective, opt, 1e-6);
			for (size_t i = 0; i < p.nsubs; i++) {
				CU_ASSERT_STRING_EQUAL(p.subs[i].bound_source,
				                       path ? (p.subs[i].nunits ? "colgen" : "none")
				                            : "enumerated");
				CU_ASSERT_EQUAL(p.subs[i].restricted, 0);
			}
			/* stations alone: never above the optimum's; the underfilled
			 * stations of an optimal plan (path 0) are the fewest possible */
			CU_ASSERT_TRUE(p.urban_bound <= (double)p.urban_stations + 1e-9);
			CU_ASSERT_TRUE(p.underfilled_bound <= p.underfilled);
			char msg[256];
			CU_ASSERT_EQUAL(
			    verify_plan(&f->in, &f->sites, &f->r, &f->sc, &p, msg, sizeof(msg)), 0);
			fx_done(f, &p);
		}
	}
}

/* Column generation's bound on every random instance: at most the optimum,
 * converged, and a stopped run (one round) still below it. */
static void test_bound_valid_and_stopped(void)
{
	for (unsigned long seed = 1; seed <= 16; seed++) {
		fx *f = fx_new();
		small_instance(f, seed + 100, 7);
		sp_world w;
		sp_sub *subs;
		size_t n;
		CU_ASSERT_EQUAL_FATAL(bf_enum_subs(f, &w, &subs, &n), 0);
		double opt = brute_force(f), sum = 0, sum1 = 0;
		for (size_t i = 0; i < n; i++) {
			cg_result r;
			cg_limits none = {0}, one = {.rounds = 1};
			CU_ASSERT_EQUAL_FATAL(colgen_solve(&subs[i], &w.p, NULL, &none, -1, &r), 0);
			CU_ASSERT_EQUAL(r.converged, 1);
			CU_ASSERT_EQUAL(r.stopped, 0);
			sum += r.bound;
			colgen_free(&r);
			CU_ASSERT_EQUAL_FATAL(colgen_solve(&subs[i], &w.p, NULL, &one, -1, &r), 0);
			CU_ASSERT_TRUE(r.rounds == 1);
			sum1 += isfinite(r.bound) ? r.bound : 0;
			colgen_free(&r);
		}
		CU_ASSERT_TRUE(sum <= opt + 1e-6);
		CU_ASSERT_TRUE(sum1 <= opt + 1e-6);
		bf_enum_subs_free(&w, subs, n);
		fx_done(f, NULL);
	}
}

/* f's world and its one sub (o), column generation over it with no
 * underfilled station allowed (budget 0) run to its end into *r (the
 * caller frees it), its LP and bound asserted. Returns the sub. */
typedef struct onesub {
	sp_world w;
	sp_sub *subs;
	size_t n;
} onesub;

static const sp_sub *cg_one(fx *f, onesub *o, double lp, double bound, cg_result *r)
{
	CU_ASSERT_EQUAL_FATAL(bf_enum_subs(f, &o->w, &o->subs, &o->n), 0);
	CU_ASSERT_EQUAL_FATAL(o->n, 1);
	cg_limits none = {0};
	CU_ASSERT_EQUAL_FATAL(colgen_solve(&o->subs[0], &o->w.p, NULL, &none, 0, r), 0);
	CU_ASSERT_EQUAL(r->converged, 1);
	CU_ASSERT_DOUBLE_EQUAL(r->lp, lp, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(r->bound, bound, 1e-9);
	return &o->subs[0];
}

/* A unit of 12,000 households next to one of 1,500, one site reaching both:
 * with any integer shares 13,500 households fit 3 stations of at most
 * 5,000 (4,500 / 4,500 / 3,000 + 1,500), so the LP over flexible shares
 * says 3: 13,500 / 5,000 = 2.7 without the rounding cut, exactly 3 with it
 * (ceil(12,000 / 5,000) = 3 stations take a share of the 12,000, and three
 * columns such as 5,000 / 5,000 / 2,000 + 1,500 meet it). */
static void test_flexible_split_bound(void)
{
	fx *f = fx_new();
	int a = fx_unit(f, 12000, UNIT_URBAN, 0, 0);
	int b = fx_unit(f, 1500, UNIT_URBAN, 300, 0);
	fx_site(f, 0, 0, SITE_REPRESENTATIVE, a);
	fx_site(f, 300, 0, SITE_REPRESENTATIVE, b);
	fx_site(f, 150, 100, SITE_GRID, -1);
	onesub o;
	cg_result r;
	cg_one(f, &o, 3.0, 3, &r);
	colgen_free(&r);
	bf_enum_subs_free(&o.w, o.subs, o.n);
	fx_done(f, NULL);
}

/* The rounding cut (colgen.c): units of 6,100 households at x = 0 and
 * x = 1,600 m, each with two sites of its own (no site reaches both), and
 * 1,000 households at x = 800 m reached from all four sites (one
 * component), band 3,000-5,000, walk 1,000 m. By hand: each 6,100 needs
 * two stations (one holds at most 5,000; 3,050 + 3,050 fits the band) and
 * the 1,000 joins one of them (4,050): the optimum is 4. Without the cut
 * the LP fills columns of 5,000 (13,200 / 5,000 = 2.64, bound 3); with it
 * at least ceil(6,100 / 5,000) = 2 columns take a share of each 6,100 and
 * no column reaches both: LP 4, bound 4. The exact flexible model finds
 * the 4 stations and proves them. */
static void test_flexible_rounding_cut(void)
{
	fx *f = fx_new();
	for (int i = 0; i < 2; i++) {
		int u = fx_unit(f, 6100, UNIT_URBAN, 1600.0 * i, 0);
		fx_site(f, 1600.0 * i, 0, SITE_REPRESENTATIVE, u);
		fx_site(f, 1600.0 * i, 150, SITE_GRID, u);
	}
	fx_unit(f, 1000, UNIT_URBAN, 800, 0);
	onesub o;
	cg_result r;
	const sp_sub *s = cg_one(f, &o, 4.0, 4.0, &r);
	colgen_free(&r);
	sp_result fr;
	CU_ASSERT_EQUAL_FATAL(flexmodel_solve(s, &o.w.p, NULL, 30.0, &fr), 0);
	CU_ASSERT_EQUAL(fr.sol.n, 4);
	CU_ASSERT_STRING_EQUAL(fr.status, "optimal");
	for (int t = 0; t < fr.sol.n; t++)
		CU_ASSERT_TRUE(fr.sol.st[t].lo >= 3000 && fr.sol.st[t].lo <= 5000);
	sp_sol_free(&fr.sol);
	bf_enum_subs_free(&o.w, o.subs, o.n);
	fx_done(f, NULL);
}

/* 6,000 / 7,500 / 11,000 / 5,001 households (29,501), all within reach of
 * one another: 6 in-band stations exist (29,501 / 5,000 = 5.9), so the
 * budget-mode LP with no underfilled station allowed says 6. */
static void test_flexible_split_four(void)
{
	fx *f = fx_new();
	long h[4] = {6000, 7500, 11000, 5001};
	for (int i = 0; i < 4; i++) {
		int u = fx_unit(f, h[i], UNIT_URBAN, 200.0 * i, 0);
		fx_site(f, 200.0 * i, 0, SITE_REPRESENTATIVE, u);
		fx_site(f, 200.0 * i, 150, SITE_GRID, u);
	}
	onesub o;
	cg_result r;
	cg_one(f, &o, 5.9002, 6, &r);
	for (size_t q = 0; q < r.n; q++) { /* shares of a station fit the maximum */
		long load = 0;
		for (size_t e = r.start[q]; e < r.start[q + 1]; e++)
			load += r.share[e];
		CU_ASSERT_TRUE(load >= 1 && load <= 5000);
	}
	colgen_free(&r);
	bf_enum_subs_free(&o.w, o.subs, o.n);
	fx_done(f, NULL);
}

/* The lower band priced exactly: 2,500 / 2,500 / 2,600 households within
 * reach of one another. Stations alone (band relaxed) need 2; in the band
 * the 2,600 can join no one (5,100) and is underfilled alone, so every plan
 * has one underfilled station: with a budget of one the LP says 2, with
 * none it has no plan (only the artificial columns, dearer than any), and
 * the objective's LP holds the penalty once. */
static void test_band_exact(void)
{
	fx *f = fx_new();
	long h[3] = {2500, 2500, 2600};
	for (int i = 0; i < 3; i++) {
		int u = fx_unit(f, h[i], UNIT_URBAN, 300.0 * i, 0);
		fx_site(f, 300.0 * i, 0, SITE_REPRESENTATIVE, u);
	}
	sp_world w;
	sp_sub *subs;
	size_t n;
	CU_ASSERT_EQUAL_FATAL(bf_enum_subs(f, &w, &subs, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	cg_result r;
	cg_limits none = {0};
	CU_ASSERT_EQUAL_FATAL(colgen_solve(&subs[0], &w.p, NULL, &none, 1, &r), 0);
	CU_ASSERT_EQUAL(r.converged, 1);
	CU_ASSERT_DOUBLE_EQUAL(r.lp, 2, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r.bound, 2, 1e-9);
	colgen_free(&r);
	CU_ASSERT_EQUAL_FATAL(colgen_solve(&subs[0], &w.p, NULL, &none, 0, &r), 0);
	CU_ASSERT_TRUE(r.lp > 3);
	colgen_free(&r);
	CU_ASSERT_EQUAL_FATAL(colgen_solve(&subs[0], &w.p, NULL, &none, -1, &r), 0);
	CU_ASSERT_DOUBLE_EQUAL(subs[0].penalty, 4, 1e-12); /* parts + 1 */
	CU_ASSERT_DOUBLE_EQUAL(r.lp, 2 + 4, 1e-9);
	CU_ASSERT_TRUE(r.bound >= 6 && r.bound < 7);
	colgen_free(&r);
	bf_enum_subs_free(&w, subs, n);
	fx_done(f, NULL);
}

/* A dense core: 18 x 18 communities of 2,000-4,000 households on a 550 m
 * grid, walking 1,000 m (each reaches a dozen others). */
static void dense_grid(fx *f, long h0, unsigned long hspan)
{
	bf_enum_grid(f, &(bf_grid){.seed = 7,
	                           .side = 18,
	                           .step = 550,
	                           .jitter = 120,
	                           .h0 = h0,
	                           .hspan = hspan,
	                           .site_offset = 200});
}

static void dense_instance(fx *f)
{
	dense_grid(f, 2000, 2001);
}

static int same_plan(const plan *a, const plan *b)
{
	if (a->nstations != b->nstations || a->nassign != b->nassign ||
	    a->objective != b->objective || a->bound != b->bound ||
	    a->urban_bound != b->urban_bound || strcmp(a->status, b->status))
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

/* Stopped by a small work limit, on both paths: a full plan (every unit
 * served, verified), not proven, and the same bytes of plan twice. */
static void test_dense_work_limit(void)
{
	for (int path = 0; path < 2; path++) {
		plan p[2];
		fx *f[2];
		for (int k = 0; k < 2; k++) {
			f[k] = fx_new();
			/* from 1,500 households three may share a station: with
			 * 2,000-4,000 no three fit, and the matching (pairs.c) proves
			 * the plan whatever the work limit */
			dense_grid(f[k], 1500, 2501);
			f[k]->sc.work_limit = 2;
			f[k]->sc.time_limit_s = 600; /* the safety net never fires here */
			fx_reach(f[k]);
			CU_ASSERT_EQUAL_FATAL(solver_solve_cols(&f[k]->in, &f[k]->sites, &f[k]->r,
			                                        &f[k]->sc, path ? 0 : 150000, NULL,
			                                        &p[k], &f[k]->st),
			                      STATUS_OK);
		}
		CU_ASSERT_TRUE(same_plan(&p[0], &p[1]));
		CU_ASSERT_EQUAL(p[0].nuncovered, 0);
		CU_ASSERT_EQUAL(p[0].proven, 0);
		CU_ASSERT_STRING_EQUAL(p[0].status, "feasible");
		CU_ASSERT_TRUE(p[0].urban_bound <= (double)p[0].urban_stations);
		CU_ASSERT_TRUE(p[0].urban_gap > f[0]->sc.mip_gap);
		char msg[256];
		CU_ASSERT_EQUAL(verify_plan(&f[0]->in, &f[0]->sites, &f[0]->r, &f[0]->sc, &p[0],
		                            msg, sizeof(msg)),
		                0);
		for (int k = 0; k < 2; k++)
			fx_done(f[k], &p[k]);
	}
}

/* ---- flexible splitting (rules.split = flexible, flex.c, flex_model.c) ---- */

static fx *flex_fx(void)
{
	fx *f = fx_new();
	f->sc.split = SPLIT_FLEXIBLE;
	f->sc.mip_gap = 0.005;
	return f;
}

/* 12,000 next to 1,500: 4,500 / 4,500 / 3,000 + 1,500, three stations in
 * the band (equal parts: 4,000 x 3 and the 1,500 underfilled, four). */
static void test_flexible_two(void)
{
	fx *f = flex_fx();
	plan p;
	int a = fx_unit(f, 12000, UNIT_URBAN, 0, 0);
	int b = fx_unit(f, 1500, UNIT_URBAN, 300, 0);
	fx_site(f, 0, 0, SITE_REPRESENTATIVE, a);
	fx_site(f, -250, 0, SITE_GRID, a);
	fx_site(f, 0, 250, SITE_GRID, a);
	fx_site(f, 300, 0, SITE_REPRESENTATIVE, b);
	CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL(p.nstations, 3);
	CU_ASSERT_EQUAL(p.underfilled, 0);
	long seen[3] = {0};
	for (size_t s = 0; s < p.nstations; s++) {
		CU_ASSERT_TRUE(p.stations[s].households >= 3000 &&
		               p.stations[s].households <= 5000);
		CU_ASSERT_EQUAL(p.stations[s].underfilled, 0);
		seen[s] = p.stations[s].households;
	}
	CU_ASSERT_EQUAL(seen[0] + seen[1] + seen[2], 13500);
	CU_ASSERT_DOUBLE_EQUAL(p.urban_bound, 3, 1e-9);
	CU_ASSERT_TRUE(p.proven);
	/* proven by the exact flexible model (flex_model.c) */
	CU_ASSERT_STRING_EQUAL(p.subs[0].bound_source, "enumerated");
	char msg[256];
	CU_ASSERT_EQUAL(verify_plan(&f->in, &f->sites, &f->r, &f->sc, &p, msg, sizeof(msg)), 0);
	fx_done(f, &p);
}

/* 6,000 / 7,500 / 11,000 / 5,001 within reach of one another: six stations,
 * all in the band (equal parts: nine, two underfilled). */
static void test_flexible_four(void)
{
	fx *f = flex_fx();
	plan p;
	long h[4] = {6000, 7500, 11000, 5001};
	for (int i = 0; i < 4; i++) {
		int u = fx_unit(f, h[i], UNIT_URBAN, 200.0 * i, 0);
		fx_site(f, 200.0 * i, 0, SITE_REPRESENTATIVE, u);
		fx_site(f, 200.0 * i, 150, SITE_GRID, u);
		fx_site(f, 200.0 * i, -150, SITE_GRID, u);
	}
	CU_ASSERT_EQUAL_FATAL(fx_solve(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL(p.nstations, 6);
	CU_ASSERT_EQUAL(p.underfilled, 0);
	long total = 0;
	for (size_t s = 0; s < p.nstations; s++) {
		CU_ASSERT_TRUE(p.stations[s].households >= 3000 &&
		               p.stations[s].households <= 5000);
		total += p.stations[s].households;
	}
	CU_ASSERT_EQUAL(total, 29501);
	CU_ASSERT_DOUBLE_EQUAL(p.urban_bound, 6, 1e-9);
	CU_ASSERT_TRUE(p.proven);
	CU_ASSERT_STRING_EQUAL(p.subs[0].bound_source, "enumerated");
	char msg[256];
	CU_ASSERT_EQUAL(verify_plan(&f->in, &f->sites, &f->r, &f->sc, &p, msg, sizeof(msg)), 0);
	fx_done(f, &p);
}

/* The exact flexible model alone (flex_model.c, no incumbent): 6,000 /
 * 7,500 / 11,000 / 5,001 households, every site reaching every unit. Six
 * stations hold 29,501 households only with all six within the band (at
 * least 29,501 / 5,000 = 5.9, so six), and the model proves it: its
 * stations-first search rounds the LP (5.9002) up to 6. Each station serves
 * 3,000-5,000 households, each unit's shares add up to its households. */
static void test_flex_model_alone(void)
{
	fx *f = fx_new();
	long h[4] = {6000, 7500, 11000, 5001};
	for (int i = 0; i < 4; i++) {
		int u = fx_unit(f, h[i], UNIT_URBAN, 100.0 * i, 0);
		fx_site(f, 100.0 * i, 0, SITE_REPRESENTATIVE, u);
		fx_site(f, 100.0 * i, 150, SITE_GRID, u);
	}
	sp_world w;
	sp_sub *subs;
	size_t n;
	CU_ASSERT_EQUAL_FATAL(bf_enum_subs(f, &w, &subs, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	sp_result r;
	CU_ASSERT_EQUAL_FATAL(flexmodel_solve(&subs[0], &w.p, NULL, 30.0, &r), 0);
	CU_ASSERT_EQUAL(r.sol.n, 6);
	CU_ASSERT_STRING_EQUAL(r.status, "optimal");
	CU_ASSERT_TRUE(r.bound >= 6.0 && r.bound <= r.objective + 1e-9);
	long got[4] = {0};
	for (int t = 0; t < r.sol.n; t++) {
		const sp_station *st = &r.sol.st[t];
		CU_ASSERT_TRUE(st->lo >= 3000 && st->lo <= 5000);
		for (int i = 0; i < st->n; i++) {
			CU_ASSERT_TRUE(st->sh[i] >= 1);
			got[subs[0].unit[st->u[i]]] += st->sh[i];
		}
	}
	for (int i = 0; i < 4; i++)
		CU_ASSERT_EQUAL(got[i], h[i]);
	sp_sol_free(&r.sol);
	bf_enum_subs_free(&w, subs, n);
	fx_done(f, NULL);
}

/* Random instances with units over the maximum and villages under flexible
 * splitting: verified by the independent checker, bounds below the plans,
 * never more stations than with equal parts. Both stopped by the same work
 * limit (nodes per search, pricing rounds), so the flexible run starts from
 * the equal-parts plan and the comparison does not depend on the clock. */
static void test_flexible_random(void)
{
	for (unsigned long seed = 1; seed <= 3; seed++) {
		plan pe, pf;
		fx *fe = fx_new(), *ff = flex_fx();
		for (int k = 0; k < 2; k++) {
			fx *f = k ? ff : fe;
			unsigned long s = seed * 977;
			for (int i = 0; i < 30; i++) {
				double x = (double)(bf_enum_lcg(&s) % 3500),
				       y = (double)(bf_enum_lcg(&s) % 3500);
				long h = 500 + (long)(bf_enum_lcg(&s) % 4500) +
				         (bf_enum_lcg(&s) % 5 == 0 ? 6000 : 0);
				int u = fx_unit(f, h, UNIT_URBAN, x, y);
				fx_site(f, x, y, SITE_REPRESENTATIVE, u);
				fx_site(f, x + 180, y, SITE_GRID, u);
			}
			f->sc.mip_gap = 0.005;
			f->sc.work_limit = 20;
		}
		CU_ASSERT_EQUAL_FATAL(fx_solve(fe, &pe), STATUS_OK);
		CU_ASSERT_EQUAL_FATAL(fx_solve(ff, &pf), STATUS_OK);
		char msg[256];
		int bad = verify_plan(&ff->in, &ff->sites, &ff->r, &ff->sc, &pf, msg, sizeof(msg));
		CU_ASSERT_EQUAL(bad, 0);
		if (bad)
			fprintf(stderr, "\nverify: %s\n", msg);
		CU_ASSERT_TRUE(pf.bound <= pf.objective + 1e-9);
		CU_ASSERT_TRUE(pf.urban_bound <= (double)pf.urban_stations + 1e-9);
		CU_ASSERT_TRUE(pf.urban_stations + pf.underfilled <=
		               pe.urban_stations + pe.underfilled);
		fx_done(fe, &pe);
		fx_done(ff, &pf);
	}
}

/* ---- the bound of a very large component (blocks.c, colgen_farley) ---- */

/* Two units of 3,000 and 2,000 households 100 m apart, a site at each: the
 * station of both (5,000) is worth the sum of their duals, so duals (1, 1)
 * are halved, (0.7, 0.2) stand as they are, a negative dual counts as 0. */
static void test_farley_hand(void)
{
	fx *f = fx_new();
	int a = fx_unit(f, 3000, UNIT_URBAN, 0, 0);
	int b = fx_unit(f, 2000, UNIT_URBAN, 100, 0);
	fx_site(f, 0, 0, SITE_REPRESENTATIVE, a);
	fx_site(f, 100, 0, SITE_REPRESENTATIVE, b);
	sp_world w;
	sp_sub *subs;
	size_t n;
	CU_ASSERT_EQUAL_FATAL(bf_enum_subs(f, &w, &subs, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	double one[2] = {1, 1}, low[2] = {0.7, 0.2}, neg[2] = {-3, 1};
	CU_ASSERT_DOUBLE_EQUAL(colgen_farley(&subs[0], &w.p, one, 0), 1.0, 1e-6);
	CU_ASSERT_TRUE(colgen_farley(&subs[0], &w.p, one, 0) <= 1.0);
	CU_ASSERT_DOUBLE_EQUAL(colgen_farley(&subs[0], &w.p, low, 0), 0.9, 1e-12);
	CU_ASSERT_DOUBLE_EQUAL(colgen_farley(&subs[0], &w.p, neg, 0), 1.0, 1e-12);
	/* with the penalty: 2,000 alone is avoidably underfilled, 1 + penalty */
	CU_ASSERT_DOUBLE_EQUAL(colgen_farley(&subs[0], &w.p, one, -1), 1.0, 1e-6);
	bf_enum_subs_free(&w, subs, n);
	fx_done(f, NULL);
}

/* Any duals give a bound: on random instances, with random duals (some
 * negative), never above the LP column generation converges to, nor above
 * the brute-force optimum. */
static void test_farley_random_valid(void)
{
	unsigned long rs = 99;
	for (unsigned long seed = 1; seed <= 12; seed++) {
		fx *f = fx_new();
		small_instance(f, seed + 200, 6);
		sp_world w;
		sp_sub *subs;
		size_t n;
		CU_ASSERT_EQUAL_FATAL(bf_enum_subs(f, &w, &subs, &n), 0);
		double opt = brute_force(f), sum = 0;
		for (size_t i = 0; i < n; i++) {
			const sp_sub *s = &subs[i];
			long all = (long)s->ns + s->nu + 1;
			cg_limits none = {0};
			cg_result r;
			CU_ASSERT_EQUAL_FATAL(colgen_solve(s, &w.p, NULL, &none, all, &r), 0);
			CU_ASSERT_EQUAL(r.converged, 1);
			double pi[16];
			for (int t = 0; t < 8; t++) {
				for (int u = 0; u < s->nu; u++)
					pi[u] = (double)((long)(bf_enum_lcg(&rs) % 1700) - 200) /
					        1000.0;
				CU_ASSERT_TRUE(colgen_farley(s, &w.p, pi, all) <= r.lp + 1e-9);
			}
			/* the LP's own duals: the LP value, as far as they are >= 0 */
			CU_ASSERT_TRUE(colgen_farley(s, &w.p, r.pi, all) <= r.lp + 1e-9);
			for (int u = 0; u < s->nu; u++)
				pi[u] = (double)(bf_enum_lcg(&rs) % 1500) / 1000.0;
			sum += colgen_farley(s, &w.p, pi, -1);
			colgen_free(&r);
		}
		CU_ASSERT_TRUE(sum <= opt + 1e-6);
		bf_enum_subs_free(&w, subs, n);
		fx_done(f, NULL);
	}
}

/* The dense core cut into blocks of at most 60 units: the blocks' columns
 * and duals do not depend on the threads; column generation over the whole
 * started from their bases ends at the LP solved from scratch, in fewer
 * simplex iterations; the blocks' duals alone give a bound below it. */
static void test_blocks_join(void)
{
	fx *f = fx_new();
	dense_instance(f);
	sp_world w;
	sp_sub *subs;
	size_t n;
	CU_ASSERT_EQUAL_FATAL(bf_enum_subs(f, &w, &subs, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 1);
	const sp_sub *s = &subs[0];
	double ux[FX_MAX], uy[FX_MAX];
	int blk[FX_MAX];
	bf_enum_sub_xy(f, s, ux, uy);
	int nb = blocks_partition(s, ux, uy, 60, blk);
	CU_ASSERT_EQUAL(nb, 8); /* 324 halved three times: 40 or 41 each */
	long all = (long)s->ns + s->nu + 1;
	cg_limits none = {0};
	cg_result r, m[2], g;
	char err[256];
	CU_ASSERT_EQUAL_FATAL(colgen_solve(s, &w.p, NULL, &none, all, &r), 0);
	CU_ASSERT_EQUAL_FATAL(r.converged, 1);
	for (int t = 0; t < 2; t++)
		CU_ASSERT_EQUAL_FATAL(
		    blocks_colgen(s, &w.p, blk, nb, all, &none, t + 1, &m[t], err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(m[0].n, m[1].n);
	CU_ASSERT_EQUAL(m[0].nnz, m[1].nnz);
	CU_ASSERT_EQUAL(memcmp(m[0].unit, m[1].unit, m[0].nnz * sizeof(int)), 0);
	CU_ASSERT_EQUAL(memcmp(m[0].pi, m[1].pi, (size_t)s->nu * sizeof(double)), 0);
	double fl = colgen_farley(s, &w.p, m[0].pi, all);
	CU_ASSERT_TRUE(fl <= r.lp + 1e-9);
	CU_ASSERT_TRUE(fl > 0.75 * r.lp); /* 190.9 of 249.5: blocks of 40 units lose much */
	cg_limits warm = {.warm = &m[0]};
	CU_ASSERT_EQUAL_FATAL(colgen_solve(s, &w.p, NULL, &warm, all, &g), 0);
	CU_ASSERT_EQUAL(g.converged, 1);
	CU_ASSERT_DOUBLE_EQUAL(g.lp, r.lp, 1e-6);
	CU_ASSERT_EQUAL(g.bound, r.bound);
	CU_ASSERT_TRUE(g.iters < r.iters);
	colgen_free(&g);
	colgen_free(&m[0]);
	colgen_free(&m[1]);
	colgen_free(&r);
	bf_enum_subs_free(&w, subs, n);
	fx_done(f, NULL);
}

/* The blocks' plans joined: one station per site, each in the band's
 * maximum and within reach; completed by the heuristic, every household is
 * served and the plan has at least the LP's stations. Past the deadline no
 * part is solved. */
static void test_blocks_plan(void)
{
	fx *f = fx_new();
	dense_instance(f);
	sp_world w;
	sp_sub *subs;
	size_t n;
	CU_ASSERT_EQUAL_FATAL(bf_enum_subs(f, &w, &subs, &n), 0);
	sp_sub *s = &subs[0];
	double ux[FX_MAX], uy[FX_MAX];
	int blk[FX_MAX], used[4 * FX_MAX] = {0};
	bf_enum_sub_xy(f, s, ux, uy);
	int nb = blocks_partition(s, ux, uy, 60, blk);
	sp_sol bp;
	char err[256];
	CU_ASSERT_EQUAL_FATAL(blocks_plan(s, &w.p, blk, nb, 2.0, 2, &bp, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(bp.n > 0);
	for (int t = 0; t < bp.n; t++) {
		const sp_station *st = &bp.st[t];
		CU_ASSERT_EQUAL(used[st->site]++, 0);
		CU_ASSERT_TRUE(st->hi <= w.p.hmax);
		for (int k = 0; k < st->n; k++)
			CU_ASSERT_TRUE(sp_dist(s, st->site, st->u[k]) >= 0);
	}
	CU_ASSERT_EQUAL_FATAL(heur_improve(s, &w.p, 1.0, &bp), 0);
	long served = 0;
	for (int t = 0; t < bp.n; t++)
		served += bp.st[t].lo;
	CU_ASSERT_EQUAL(served, s->htotal);
	cg_limits none = {0};
	cg_result r;
	CU_ASSERT_EQUAL_FATAL(colgen_solve(s, &w.p, NULL, &none, (long)s->ns + s->nu + 1, &r), 0);
	CU_ASSERT_TRUE((double)bp.n >= r.bound);
	colgen_free(&r);
	sp_sol_free(&bp);
	/* past the deadline no part starts: nothing placed, nothing searched */
	w.p.deadline = clock_now_s() - 1.0;
	CU_ASSERT_EQUAL_FATAL(blocks_plan(s, &w.p, blk, nb, 2.0, 2, &bp, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(bp.n, 0);
	sp_sol_free(&bp);
	bf_enum_subs_free(&w, subs, n);
	fx_done(f, NULL);
}

void colgen_suite_setup(void)
{
	CU_SUITE_ADD(
	    "colgen", NULL, NULL, CU_TEST_ENTRY(test_brute_force_random),
	    CU_TEST_ENTRY(test_bound_valid_and_stopped), CU_TEST_ENTRY(test_flexible_split_bound),
	    CU_TEST_ENTRY(test_flexible_rounding_cut), CU_TEST_ENTRY(test_flexible_split_four),
	    CU_TEST_ENTRY(test_band_exact), CU_TEST_ENTRY(test_dense_work_limit),
	    CU_TEST_ENTRY(test_flexible_two), CU_TEST_ENTRY(test_flexible_four),
	    CU_TEST_ENTRY(test_flex_model_alone), CU_TEST_ENTRY(test_flexible_random),
	    CU_TEST_ENTRY(test_farley_hand), CU_TEST_ENTRY(test_farley_random_valid),
	    CU_TEST_ENTRY(test_blocks_join), CU_TEST_ENTRY(test_blocks_plan));
}
