/*
 * cu_budget.c: station budgets and phases (solver/budget.c, solver/phases.c,
 * src/core/phases.c) on instances with hand-computed optima: a budget of one
 * station between two clusters, a budget that leaves a far village out,
 * required units, an exact count; the classic p-median (band off,
 * rules.stations = p) on an OR-Library instance against its brute-force
 * optimum; nested phases on random instances (every phase's stations in the
 * next, the last phase the full plan); the [phases] entries and their
 * errors.
 */
#include <CUnit/CUnit.h>
#include <limits.h>

#include "phases.h"
#include "solver.h"
#include "verify.h"
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

static status_code fx_phases(fx *f, plan *p)
{
	fx_reach(f);
	return solver_solve_phases(&f->in, &f->sites, &f->r, &f->sc, p, &f->st);
}

static long served(const plan *p)
{
	long h = 0;
	for (size_t a = 0; a < p->nassign; a++)
		h += p->assign[a].households;
	return h;
}

/* Cluster A: two communities of 2,000 (one station of 4,000); cluster B, 10
 * km away: two of 1,800 (3,600). The full plan has 2 stations; with
 * max_stations = 1 the one station serves A, and B's units are uncovered
 * with the budget as reason. */
static void test_one_station_two_clusters(void)
{
	fx *f = fx_new();
	plan p;
	double xy[4][2] = {{0, 0}, {300, 0}, {10000, 0}, {10300, 0}};
	long h[4] = {2000, 2000, 1800, 1800};
	for (int i = 0; i < 4; i++) {
		int u = fx_unit(f, h[i], UNIT_URBAN, xy[i][0], xy[i][1]);
		fx_site(f, xy[i][0], xy[i][1], SITE_REPRESENTATIVE, u);
	}
	f->sc.max_stations = 1;
	CU_ASSERT_EQUAL_FATAL(fx_phases(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL(p.nstations, 1);
	CU_ASSERT_EQUAL(p.stations[0].households, 4000);
	CU_ASSERT_EQUAL(p.stations[0].nunits, 2);
	CU_ASSERT_TRUE(p.stations[0].site == 0 || p.stations[0].site == 1);
	CU_ASSERT_EQUAL_FATAL(p.nuncovered, 2);
	CU_ASSERT_EQUAL(p.uncovered[0].unit, 2);
	CU_ASSERT_EQUAL(p.uncovered[1].unit, 3);
	CU_ASSERT_STRING_EQUAL(p.uncovered[0].reason,
	                       "not served within the budget (at most 1 new station)");
	/* households first, walking below one household */
	CU_ASSERT_TRUE(p.objective > 3999.0 && p.objective <= 4000.0);
	CU_ASSERT_TRUE(p.bound >= p.objective - 1e-9 && p.bound <= 4000.0 + 1e-9);
	CU_ASSERT_STRING_EQUAL(p.status, "optimal");
	char msg[256];
	CU_ASSERT_EQUAL(verify_plan(&f->in, &f->sites, &f->r, &f->sc, &p, msg, sizeof(msg)), 0);
	/* the verifier's own budget rule: that plan breaks a budget of 0 */
	f->sc.max_stations = 0;
	CU_ASSERT_EQUAL(verify_plan(&f->in, &f->sites, &f->r, &f->sc, &p, msg, sizeof(msg)), 1);
	CU_ASSERT_STRING_EQUAL(msg, "1 new stations, rules.max_stations = 0");
	fx_done(f, &p);

	/* a budget of 2 allows the full plan: the same as without a budget */
	f = fx_new();
	for (int i = 0; i < 4; i++) {
		int u = fx_unit(f, h[i], UNIT_URBAN, xy[i][0], xy[i][1]);
		fx_site(f, xy[i][0], xy[i][1], SITE_REPRESENTATIVE, u);
	}
	f->sc.max_stations = 2;
	CU_ASSERT_EQUAL_FATAL(fx_phases(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL(p.nstations, 2);
	CU_ASSERT_EQUAL(p.nuncovered, 0);
	CU_ASSERT_EQUAL(served(&p), 7600);
	CU_ASSERT_TRUE(p.objective >= 2.0 && p.objective < 3.0); /* min_stations' objective */
	fx_done(f, &p);
}

/* A community of 4,500 and, 8 km away, a village of 300 (one station of
 * its own under one_per_village). One new station: the community's; the
 * village is uncovered. Required, the village takes the one station. */
static void test_far_village_left_out(void)
{
	for (int req = 0; req < 2; req++) {
		fx *f = fx_new();
		plan p;
		int c = fx_unit(f, 4500, UNIT_URBAN, 0, 0);
		fx_site(f, 0, 0, SITE_REPRESENTATIVE, c);
		int v = fx_unit(f, 300, UNIT_RURAL, 8000, 0);
		fx_site(f, 8000, 50, SITE_REPRESENTATIVE, v);
		fx_reach(f);
		unsigned char required[2] = {0, (unsigned char)req};
		solver_budget b = {.new_stations = 1, .required = required};
		CU_ASSERT_EQUAL_FATAL(
		    solver_solve_budget(&f->in, &f->sites, &f->r, &f->sc, &b, &p, &f->st),
		    STATUS_OK);
		CU_ASSERT_EQUAL_FATAL(p.nstations, 1);
		CU_ASSERT_EQUAL_FATAL(p.nuncovered, 1);
		if (!req) {
			CU_ASSERT_EQUAL(p.stations[0].kind, STATION_URBAN);
			CU_ASSERT_EQUAL(p.stations[0].households, 4500);
			CU_ASSERT_EQUAL(p.uncovered[0].unit, v);
			CU_ASSERT_STRING_EQUAL(
			    p.uncovered[0].reason,
			    "not served within the budget (at most 1 new station)");
		} else {
			CU_ASSERT_EQUAL(p.stations[0].kind, STATION_VILLAGE);
			CU_ASSERT_EQUAL(p.stations[0].households, 300);
			CU_ASSERT_EQUAL(p.uncovered[0].unit, c);
		}
		fx_done(f, &p);
	}
}

/* The band holds for every station opened: four communities of 1,000 in a
 * row 600 m apart (reach 1,000 m: a site reaches three at most) and one of
 * 3,200 alone, 9 km away. One station: three of the row (3,000, in the
 * band) would do less than the lone 3,200, which wins; two stations: both,
 * the row's fourth community left out. */
static void test_band_holds(void)
{
	for (long budget = 1; budget <= 2; budget++) {
		fx *f = fx_new();
		plan p;
		for (int i = 0; i < 4; i++) {
			int u = fx_unit(f, 1000, UNIT_URBAN, 600.0 * i, 0);
			fx_site(f, 600.0 * i, 0, SITE_REPRESENTATIVE, u);
		}
		int lone = fx_unit(f, 3200, UNIT_URBAN, 9000, 0);
		fx_site(f, 9000, 0, SITE_REPRESENTATIVE, lone);
		f->sc.max_stations = budget;
		CU_ASSERT_EQUAL_FATAL(fx_phases(f, &p), STATUS_OK);
		CU_ASSERT_EQUAL(p.nstations, (size_t)budget);
		CU_ASSERT_EQUAL(served(&p), budget == 1 ? 3200 : 6200);
		for (size_t s = 0; s < p.nstations; s++)
			CU_ASSERT_TRUE(p.stations[s].households >= 3000 &&
			               p.stations[s].households <= 5000);
		CU_ASSERT_EQUAL(p.nuncovered, budget == 1 ? 4 : 1);
		fx_done(f, &p);
	}
}

/* rules.stations fixes the count: 3 stations where 2 would do. */
static void test_exact_count(void)
{
	fx *f = fx_new();
	plan p;
	for (int i = 0; i < 4; i++) {
		int u = fx_unit(f, 3000, UNIT_URBAN, 300.0 * i, 0);
		fx_site(f, 300.0 * i, 0, SITE_REPRESENTATIVE, u);
	}
	f->sc.stations = 3;
	CU_ASSERT_EQUAL_FATAL(fx_phases(f, &p), STATUS_OK);
	CU_ASSERT_EQUAL(p.nstations, 3);
	CU_ASSERT_EQUAL(served(&p), 9000); /* a unit of 3,000 is whole: one left out */
	fx_done(f, &p);

	f = fx_new(); /* more stations than units: no plan */
	for (int i = 0; i < 2; i++) {
		int u = fx_unit(f, 3000, UNIT_URBAN, 300.0 * i, 0);
		fx_site(f, 300.0 * i, 0, SITE_REPRESENTATIVE, u);
	}
	f->sc.stations = 3;
	CU_ASSERT_EQUAL(fx_phases(f, &p), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(f->st.msg,
	                       "solver: no plan with exactly 3 new station(s) keeps every station "
	                       "in the band, one per site, and the required districts served");
	fx_done(f, &p);
}

/* ---- flexible splitting under a budget (solver/budget_flex.c) ---- */

/* The most households of f's instance under a budget of B new stations
 * with rules.split = `split` (mip_gap 0: the optimum), into *p; the plan is
 * checked by the independent verifier under rules.max_stations = B. */
static long flex_served(fx *f, long B, scenario_split split, plan *p)
{
	f->sc.split = split;
	f->sc.mip_gap = 0;
	fx_reach(f);
	solver_budget b = {.new_stations = B};
	CU_ASSERT_EQUAL_FATAL(solver_solve_budget(&f->in, &f->sites, &f->r, &f->sc, &b, p, &f->st),
	                      STATUS_OK);
	f->sc.max_stations = B;
	char msg[256] = "";
	CU_ASSERT_EQUAL(verify_plan(&f->in, &f->sites, &f->r, &f->sc, p, msg, sizeof(msg)), 0);
	if (msg[0])
		fprintf(stderr, "verify: %s\n", msg);
	CU_ASSERT_TRUE((long)p->nstations <= B);
	CU_ASSERT_TRUE(p->bound >= p->objective - 1e-9);
	return served(p);
}

/* A budget plan by hand: it serves `want` households (got), its bound
 * rounds up to want, and with equal parts it says optimal (flexibly the
 * shares' walking is not proven at mip_gap 0). */
static void served_is(const plan *p, long got, long want, int flex)
{
	CU_ASSERT_EQUAL(got, want);
	if (!flex)
		CU_ASSERT_STRING_EQUAL(p->status, "optimal");
	CU_ASSERT_DOUBLE_EQUAL(ceil(p->bound - 1e-6), (double)want, 1e-9);
}

/* Issue 11's first case: a community of 12,000 next to one of 1,500 (three
 * sites at the large one, one at the small one, all within reach of both),
 * and a lone community of 3,500 10 km away. Equal parts (3 x 4,000) leave
 * no room for the 1,500, which alone is below the band: at most 12,000 of
 * the pair. Flexibly 4,500 / 4,500 / 3,000 + 1,500 serves the pair with 3
 * stations. Budgets 1 to 5, by hand:
 *   equal:    3,500  3,500  12,000  15,500  15,500
 *   flexible: 3,500  3,500  13,500  17,000  17,000 */
static void test_flex_pair(void)
{
	const long want[2][5] = {{3500, 3500, 12000, 15500, 15500},
	                         {3500, 3500, 13500, 17000, 17000}};
	for (int flex = 0; flex < 2; flex++)
		for (long B = 1; B <= 5; B++) {
			fx *f = fx_new();
			plan p;
			int a = fx_unit(f, 12000, UNIT_URBAN, 0, 0);
			fx_site(f, 0, 0, SITE_REPRESENTATIVE, a);
			fx_site(f, 100, 0, SITE_GRID, a);
			fx_site(f, 0, 100, SITE_GRID, a);
			int b = fx_unit(f, 1500, UNIT_URBAN, 400, 0);
			fx_site(f, 400, 0, SITE_REPRESENTATIVE, b);
			int c = fx_unit(f, 3500, UNIT_URBAN, 10000, 0);
			fx_site(f, 10000, 0, SITE_REPRESENTATIVE, c);
			long h = flex_served(f, B, flex ? SPLIT_FLEXIBLE : SPLIT_EQUAL, &p);
			served_is(&p, h, want[flex][B - 1], flex);
			for (size_t s = 0; s < p.nstations; s++)
				CU_ASSERT_TRUE(p.stations[s].households >= 3000 &&
				               p.stations[s].households <= 5000);
			if (flex && B == 3) { /* the pair: 3 stations, the 1,500 with a share */
				CU_ASSERT_EQUAL(p.nstations, 3);
				CU_ASSERT_EQUAL(p.nuncovered, 1);
				CU_ASSERT_EQUAL(p.uncovered[0].unit, c);
			}
			fx_done(f, &p);
		}
}

/* Issue 11's four communities of 6,000, 7,500, 11,000 and 5,001 households
 * within reach of each other, three sites each (test_flex_four,
 * test_flex_phases). */
static fx *fx_four(void)
{
	const long h[4] = {6000, 7500, 11000, 5001};
	const double xy[4][2] = {{0, 0}, {200, 0}, {0, 200}, {200, 200}};
	fx *f = fx_new();
	for (int i = 0; i < 4; i++) {
		int u = fx_unit(f, h[i], UNIT_URBAN, xy[i][0], xy[i][1]);
		fx_site(f, xy[i][0], xy[i][1], SITE_REPRESENTATIVE, u);
		fx_site(f, xy[i][0] + 50, xy[i][1], SITE_GRID, u);
		fx_site(f, xy[i][0], xy[i][1] + 50, SITE_GRID, u);
	}
	return f;
}

/* Issue 11's second case: communities of 6,000, 7,500, 11,000 and 5,001
 * within reach of each other (three sites each). Equal parts of 5,001
 * (2,500 / 2,501) fit no station of the band; flexibly all 29,501 fit 6
 * stations. By hand, budgets 4 to 7 (flexibly, m stations serve a set
 * of units of S households when 3,000 m <= S <= 5,000 m):
 *   equal:    13,500 (6,000 + 7,500), 18,500 (7,500 + 11,000), 18,500,
 *             24,500 (all but 5,001)
 *   flexible: 18,501 (6,000 + 7,500 + 5,001), 24,500, 29,501 (all), 29,501 */
static void test_flex_four(void)
{
	const long want[2][4] = {{13500, 18500, 18500, 24500}, {18501, 24500, 29501, 29501}};
	for (int flex = 0; flex < 2; flex++)
		for (long B = 4; B <= 7; B++) {
			fx *f = fx_four();
			plan p;
			long got = flex_served(f, B, flex ? SPLIT_FLEXIBLE : SPLIT_EQUAL, &p);
			served_is(&p, got, want[flex][B - 4], flex);
			fx_done(f, &p);
		}
}

/* ---- brute force: the most households under a budget, flexibly ---- */

static unsigned long lcg(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

#define BF_N 16 /* nodes of the flow network at most */

/* Max flow from s to t on capacities cap (changed), Edmonds-Karp. */
static long bf_maxflow(long cap[BF_N][BF_N], int n, int s, int t)
{
	long flow = 0;
	for (;;) {
		int prev[BF_N], q[BF_N], qh = 0, qt = 0;
		for (int i = 0; i < n; i++)
			prev[i] = -1;
		prev[s] = s;
		q[qt++] = s;
		while (qh < qt && prev[t] < 0) {
			int a = q[qh++];
			for (int b = 0; b < n; b++)
				if (prev[b] < 0 && cap[a][b] > 0) {
					prev[b] = a;
					q[qt++] = b;
				}
		}
		if (prev[t] < 0)
			return flow;
		long d = LONG_MAX;
		for (int b = t; b != s; b = prev[b])
			d = cap[prev[b]][b] < d ? cap[prev[b]][b] : d;
		for (int b = t; b != s; b = prev[b]) {
			cap[prev[b]][b] -= d;
			cap[b][prev[b]] += d;
		}
		flow += d;
	}
}

typedef struct bf_inst {
	int nu, ns;
	long h[6], hmin, hmax;
	int reach[6][8]; /* unit, site */
	int isolated[8];
} bf_inst;

/* Whether the split units of mask T can be shared over the open sites O
 * with loads L from whole units, each open site in [lo, hmax]: a
 * circulation with lower bounds (src -> unit = h, site -> sink in [lo - L,
 * hmax - L], sink -> src), checked by max flow. */
static int bf_shares(const bf_inst *in, unsigned T, unsigned O, const long *L)
{
	long cap[BF_N][BF_N] = {{0}}, D[BF_N] = {0};
	int src = 0, sink = 1, S = 2 + in->nu + in->ns, X = S + 1, n = X + 1;
	long H = 0;
	for (int u = 0; u < in->nu; u++) {
		if (!(T >> u & 1) || in->h[u] <= in->hmax)
			continue;
		D[2 + u] += in->h[u], D[src] -= in->h[u]; /* src -> u, exactly h */
		H += in->h[u];
		for (int j = 0; j < in->ns; j++)
			if (O >> j & 1 && in->reach[u][j])
				cap[2 + u][2 + in->nu + j] = LONG_MAX / 4;
	}
	for (int j = 0; j < in->ns; j++) {
		if (!(O >> j & 1))
			continue;
		long lo = (in->isolated[j] ? 1 : in->hmin) - L[j], hi = in->hmax - L[j];
		if (lo < 0)
			lo = 0;
		if (hi < lo)
			return 0;
		int v = 2 + in->nu + j;
		cap[v][sink] = hi - lo;
		D[sink] += lo, D[v] -= lo;
	}
	cap[sink][src] = H;
	long need = 0;
	for (int v = 0; v < S; v++) {
		if (D[v] > 0)
			cap[S][v] = D[v], need += D[v];
		if (D[v] < 0)
			cap[v][X] = -D[v];
	}
	return bf_maxflow(cap, n, S, X) == need;
}

/* Whole units of T from index u on, each to an open site in reach. */
static int bf_assign(const bf_inst *in, unsigned T, unsigned O, int u, long *L)
{
	while (u < in->nu && (!(T >> u & 1) || in->h[u] > in->hmax))
		u++;
	if (u == in->nu)
		return bf_shares(in, T, O, L);
	for (int j = 0; j < in->ns; j++) {
		if (!(O >> j & 1) || !in->reach[u][j] || L[j] + in->h[u] > in->hmax)
			continue;
		L[j] += in->h[u];
		int ok = bf_assign(in, T, O, u + 1, L);
		L[j] -= in->h[u];
		if (ok)
			return 1;
	}
	return 0;
}

/* The most households B stations at distinct sites serve, each unit in
 * full or not at all, split units in any integer shares. */
static long bf_best(const bf_inst *in, int B)
{
	long best = 0;
	for (unsigned T = 1; T < 1u << in->nu; T++) {
		long h = 0;
		for (int u = 0; u < in->nu; u++)
			h += T >> u & 1 ? in->h[u] : 0;
		if (h <= best)
			continue;
		for (unsigned O = 1; O < 1u << in->ns; O++) {
			if (__builtin_popcount(O) > B)
				continue;
			long L[8] = {0};
			if (bf_assign(in, T, O, 0, L)) {
				best = h;
				break;
			}
		}
	}
	return best;
}

/* Random instances of 5 units (the first two split half the time: 6,000
 * to 15,000 and to 10,000 households, with as many sites near them as
 * parts) in a 1.6 km square,
 * budgets 1 to 3: the plan under flexible splitting serves exactly the
 * brute-force optimum, its bound is never below it, and it serves at
 * least the plan with equal parts (more in 4 of the 18). */
static void test_flex_brute(void)
{
	int better = 0; /* instances where flexible serves more than equal parts */
	for (unsigned long seed = 1; seed <= 6; seed++)
		for (int B = 1; B <= 3; B++) {
			long got[2] = {0, 0};
			bf_inst in = {.nu = 5, .hmin = 3000, .hmax = 5000};
			for (int flex = 0; flex < 2; flex++) {
				fx *f = fx_new();
				plan p;
				unsigned long r = seed * 7919;
				for (int i = 0; i < in.nu; i++) {
					double x = (double)(lcg(&r) % 1600),
					       y = (double)(lcg(&r) % 1600);
					long h = 500 + (long)(lcg(&r) % 4000);
					if (i < 2 &&
					    lcg(&r) % 2 == 0) /* at most 3 + 2 + 1 + 1 + 1 sites */
						h = 6000 + (long)(lcg(&r) % (i == 0 ? 9001 : 4001));
					int u = fx_unit(f, h, UNIT_URBAN, x, y);
					in.h[u] = h;
					for (long k = 0; k < (h + 4999) / 5000; k++)
						fx_site(f, x + 30.0 * (double)k, y,
						        SITE_REPRESENTATIVE, u);
				}
				CU_ASSERT_FATAL(f->sites.n <= 8);
				in.ns = (int)f->sites.n;
				long got_h =
				    flex_served(f, B, flex ? SPLIT_FLEXIBLE : SPLIT_EQUAL, &p);
				got[flex] = got_h;
				if (flex) {
					for (int j = 0; j < in.ns; j++) {
						long reach_h = 0;
						for (int u = 0; u < in.nu; u++) {
							in.reach[u][j] = 0;
							for (size_t q = f->r.start[u];
							     q < f->r.start[u + 1]; q++)
								in.reach[u][j] |= f->r.site[q] == j;
							reach_h += in.reach[u][j] ? in.h[u] : 0;
						}
						in.isolated[j] = reach_h < in.hmin;
					}
					long best = bf_best(&in, B);
					CU_ASSERT_EQUAL(got_h, best);
					CU_ASSERT_TRUE(ceil(p.bound - 1e-6) >= (double)best);
				}
				fx_done(f, &p);
			}
			CU_ASSERT_TRUE(got[1] >= got[0]);
			better += got[1] > got[0];
		}
	CU_ASSERT_EQUAL(better, 4); /* seeds 2 and 5, budgets 2 and 3 */
}

/* Phases under both splits on issue 11's four communities (6,000, 7,500,
 * 11,000, 5,001), 2025 = 5 stations, 2030 = 6. Flexibly the full plan has
 * 6 stations, so 2030 is the full plan (29,501) and 2025 the best 5 of its
 * sites: 24,500 (all but the 5,001). With equal parts the full plan needs
 * 9 stations (the 5,001's parts are below the band), so both phases are
 * budget plans: 18,500 (11,000 + 7,500) in 5, and no more in 6 (6,000
 * needs two). */
static void test_flex_phases(void)
{
	const long want[2][2] = {{18500, 18500}, {24500, 29501}};
	for (int flex = 0; flex < 2; flex++) {
		fx *f = fx_four();
		plan p;
		f->sc.split = flex ? SPLIT_FLEXIBLE : SPLIT_EQUAL;
		f->sc.mip_gap = 0;
		CU_ASSERT_EQUAL(scenario_set(&f->sc, "phases.2025=5", &f->st), STATUS_OK);
		CU_ASSERT_EQUAL(scenario_set(&f->sc, "phases.2030=6", &f->st), STATUS_OK);
		CU_ASSERT_EQUAL_FATAL(fx_phases(f, &p), STATUS_OK);
		CU_ASSERT_EQUAL_FATAL(p.nphases, 2);
		CU_ASSERT_EQUAL(p.phases[0].year, 2025);
		CU_ASSERT_EQUAL(p.phases[0].households, want[flex][0]);
		CU_ASSERT_EQUAL(p.phases[1].households, want[flex][1]);
		CU_ASSERT_EQUAL(p.phases[1].full, flex);
		CU_ASSERT_EQUAL(served(&p), want[flex][1]);
		CU_ASSERT_TRUE(p.nstations <= 6);
		for (size_t s = 0; s < p.nstations; s++)
			CU_ASSERT_TRUE(p.stations[s].households >= 3000 &&
			               p.stations[s].households <= 5000);
		char msg[256] = "";
		CU_ASSERT_EQUAL(verify_plan(&f->in, &f->sites, &f->r, &f->sc, &p, msg, sizeof(msg)),
		                0);
		CU_ASSERT_STRING_EQUAL(msg, "");
		fx_done(f, &p);
	}
}

/* solver.work_limit stops each search after that many nodes once it has a
 * plan: the four communities flexibly, 4 stations (the optimum, 18,501,
 * takes a few hundred nodes), a limit of 5 nodes: two runs write the same
 * plan, a valid one, not proven, its bound above the optimum. */
static void test_flex_work_limit(void)
{
	const long h[4] = {6000, 7500, 11000, 5001};
	const double xy[4][2] = {{0, 0}, {200, 0}, {0, 200}, {200, 200}};
	plan p[2];
	fx *f[2];
	for (int run = 0; run < 2; run++) {
		f[run] = fx_new();
		for (int i = 0; i < 4; i++) {
			int u = fx_unit(f[run], h[i], UNIT_URBAN, xy[i][0], xy[i][1]);
			fx_site(f[run], xy[i][0], xy[i][1], SITE_REPRESENTATIVE, u);
			fx_site(f[run], xy[i][0] + 50, xy[i][1], SITE_GRID, u);
			fx_site(f[run], xy[i][0], xy[i][1] + 50, SITE_GRID, u);
		}
		f[run]->sc.work_limit = 5;
		/* stopped at the first plan's 13,500 (6,000 + 7,500), the LP's
		 * 20,000 as bound: not proven, and it says so */
		CU_ASSERT_EQUAL(flex_served(f[run], 4, SPLIT_FLEXIBLE, &p[run]), 13500);
		CU_ASSERT_DOUBLE_EQUAL(ceil(p[run].bound - 1e-6), 20000, 0);
		CU_ASSERT_STRING_EQUAL(p[run].status, "feasible");
		CU_ASSERT_EQUAL(p[run].proven, 0);
	}
	CU_ASSERT_EQUAL_FATAL(p[0].nstations, p[1].nstations);
	for (size_t s = 0; s < p[0].nstations; s++) {
		CU_ASSERT_EQUAL(p[0].stations[s].site, p[1].stations[s].site);
		CU_ASSERT_EQUAL(p[0].stations[s].households, p[1].stations[s].households);
	}
	CU_ASSERT_EQUAL_FATAL(p[0].nassign, p[1].nassign);
	for (size_t a = 0; a < p[0].nassign; a++) {
		CU_ASSERT_EQUAL(p[0].assign[a].unit, p[1].assign[a].unit);
		CU_ASSERT_EQUAL(p[0].assign[a].station, p[1].assign[a].station);
		CU_ASSERT_EQUAL(p[0].assign[a].households, p[1].assign[a].households);
	}
	CU_ASSERT_STRING_EQUAL(p[0].status, p[1].status);
	CU_ASSERT_DOUBLE_EQUAL(p[0].objective, p[1].objective, 0);
	CU_ASSERT_DOUBLE_EQUAL(p[0].bound, p[1].bound, 0);
	fx_done(f[0], &p[0]);
	fx_done(f[1], &p[1]);
}

/* ---- the p-median problem (OR-Library format) ---- */

#define PMED_MAX 16

typedef struct pmed {
	int n, p;
	double d[PMED_MAX][PMED_MAX];
} pmed;

/* Read "n m p" and m edges "i j cost" (1-based); all-pairs shortest paths. */
static int pmed_read(const char *path, pmed *pm)
{
	FILE *fp = fopen(path, "r");
	int m;
	if (!fp)
		return -1;
	if (fscanf(fp, "%d %d %d", &pm->n, &m, &pm->p) != 3 || pm->n > PMED_MAX) {
		fclose(fp);
		return -1;
	}
	for (int i = 0; i < pm->n; i++)
		for (int j = 0; j < pm->n; j++)
			pm->d[i][j] = i == j ? 0 : 1e18;
	for (int e = 0; e < m; e++) {
		int i, j;
		double c;
		if (fscanf(fp, "%d %d %lf", &i, &j, &c) != 3) {
			fclose(fp);
			return -1;
		}
		if (c < pm->d[i - 1][j - 1])
			pm->d[i - 1][j - 1] = pm->d[j - 1][i - 1] = c;
	}
	fclose(fp);
	for (int k = 0; k < pm->n; k++)
		for (int i = 0; i < pm->n; i++)
			for (int j = 0; j < pm->n; j++)
				if (pm->d[i][k] + pm->d[k][j] < pm->d[i][j])
					pm->d[i][j] = pm->d[i][k] + pm->d[k][j];
	return 0;
}

/* The optimum by brute force over every set of p medians. */
static double pmed_brute(const pmed *pm)
{
	double best = 1e18;
	for (unsigned mask = 0; mask < 1u << pm->n; mask++) {
		if (__builtin_popcount(mask) != pm->p)
			continue;
		double sum = 0;
		for (int i = 0; i < pm->n; i++) {
			double dmin = 1e18;
			for (int j = 0; j < pm->n; j++)
				if (mask >> j & 1 && pm->d[i][j] < dmin)
					dmin = pm->d[i][j];
			sum += dmin;
		}
		if (sum < best)
			best = sum;
	}
	return best;
}

/* The reach of the instance: every (vertex, vertex) pair at its graph
 * distance, sorted by distance then site. */
static void pmed_reach(fx *f, const pmed *pm)
{
	reach *r = &f->r;
	int n = pm->n;
	r->nunits = (size_t)n;
	r->start = calloc((size_t)n + 1, sizeof(size_t));
	r->site = malloc((size_t)(n * n) * sizeof(int));
	r->dist = malloc((size_t)(n * n) * sizeof(double));
	r->inside = calloc((size_t)(n * n), 1);
	r->nearest = malloc((size_t)n * sizeof(int));
	r->nearest_dist = malloc((size_t)n * sizeof(double));
	r->ux = f->ux;
	r->uy = f->uy;
	fx_pair tmp[PMED_MAX];
	for (int u = 0; u < n; u++) {
		for (int j = 0; j < n; j++)
			tmp[j] = (fx_pair){j, pm->d[u][j]};
		qsort(tmp, (size_t)n, sizeof(fx_pair), fx_cmp_pair);
		for (int q = 0; q < n; q++) {
			r->site[r->npairs] = tmp[q].site;
			r->dist[r->npairs] = tmp[q].d;
			r->inside[r->npairs] = tmp[q].site == u;
			r->npairs++;
		}
		r->start[u + 1] = r->npairs;
		r->nearest[u] = u;
		r->nearest_dist[u] = 0;
	}
}

static void test_pmed_orlib(void)
{
	pmed pm;
	CU_ASSERT_EQUAL_FATAL(pmed_read("fixtures/pmed/pmed_small.txt", &pm), 0);
	CU_ASSERT_EQUAL(pm.n, 12);
	CU_ASSERT_EQUAL(pm.p, 3);
	double opt = pmed_brute(&pm);
	fx *f = fx_new();
	plan p;
	for (int i = 0; i < pm.n; i++) {
		int u = fx_unit(f, 1, UNIT_URBAN, 10.0 * i, 0);
		fx_site(f, 10.0 * i, 0, SITE_REPRESENTATIVE, u);
	}
	/* the band off, everyone in reach, exactly p stations: the p-median */
	f->sc.households_min = 0;
	f->sc.households_max = pm.n;
	f->sc.walk_distance_m = 1e9;
	f->sc.objective = OBJECTIVE_MIN_DISTANCE;
	f->sc.stations = pm.p;
	f->sc.mip_gap = 0; /* the optimum exactly, not within the default 0.5 % */
	pmed_reach(f, &pm);
	CU_ASSERT_EQUAL_FATAL(solver_solve_phases(&f->in, &f->sites, &f->r, &f->sc, &p, &f->st),
	                      STATUS_OK);
	CU_ASSERT_EQUAL(p.nstations, (size_t)pm.p);
	CU_ASSERT_EQUAL(p.nuncovered, 0);
	double sum = 0;
	for (size_t a = 0; a < p.nassign; a++)
		sum += (double)p.assign[a].households * p.assign[a].distance_m;
	CU_ASSERT_DOUBLE_EQUAL(sum, opt, 1e-6);
	CU_ASSERT_STRING_EQUAL(p.status, "optimal");
	fx_done(f, &p);
}

/* ---- phases ---- */

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
		f->units[u].district = lcg(&s) % 2 ? "east" : "west";
		fx_site(f, x + 20, y, SITE_REPRESENTATIVE, u);
		if (lcg(&s) % 3 == 0)
			fx_site(f, x - 150, y + 100, SITE_GRID, u);
	}
	for (int e = 0; e < 2; e++)
		fx_site(f, (double)(lcg(&s) % 6000), (double)(lcg(&s) % 6000), SITE_EXISTING, -1);
}

/* Nested phases: year 0 (the 2 existing stations), a third of the full
 * plan's stations, then enough for the full plan. Every station of a phase
 * is in the next (the final plan holds as many places opened by each year
 * as that phase had: stations of a split unit may share one), households
 * grow, the last phase is the full
 * plan: the same stations, serving the same households. */
static void test_phases_nested(void)
{
	size_t nequal[4] = {0};
	for (unsigned long run = 0; run < 8; run++) {
		/* seeds 1-4 with equal parts, then flexibly (the default) in
		 * counted work: the full plan alone and the phases' full plan
		 * (with a share of the time) the same plan under any load */
		unsigned long seed = run % 4 + 1;
		int flex = run >= 4;
		fx *f = fx_new(), *g = fx_new();
		plan full, p;
		random_instance(f, seed, 60);
		random_instance(g, seed, 60);
		f->sc.split = g->sc.split = flex ? SPLIT_FLEXIBLE : SPLIT_EQUAL;
		f->sc.work_limit = g->sc.work_limit = flex ? 1000 : 0;
		if (flex) /* the safety net never fires here (it did under ASan, load 4) */
			f->sc.time_limit_s = g->sc.time_limit_s = 600;
		CU_ASSERT_EQUAL_FATAL(fx_solve(g, &full), STATUS_OK);
		long first = (long)full.nstations / 3;
		char set[64];
		snprintf(set, sizeof(set), "phases.2025=%ld", first);
		CU_ASSERT_EQUAL(scenario_set(&f->sc, set, &f->st), STATUS_OK);
		snprintf(set, sizeof(set), "phases.2030=%zu", full.nstations + 5);
		CU_ASSERT_EQUAL(scenario_set(&f->sc, set, &f->st), STATUS_OK);
		CU_ASSERT_EQUAL_FATAL(fx_phases(f, &p), STATUS_OK);
		CU_ASSERT_EQUAL_FATAL(p.nphases, 3);
		CU_ASSERT_EQUAL(p.phases[0].year, 0);
		CU_ASSERT_EQUAL(p.phases[0].stations, 2);
		CU_ASSERT_EQUAL(p.phases[1].year, 2025);
		CU_ASSERT_TRUE(p.phases[1].stations <= (size_t)first);
		CU_ASSERT_EQUAL(p.phases[2].year, 2030);
		for (size_t t = 0; t < p.nphases; t++) {
			size_t open = 0; /* places of the final plan open by that year */
			for (size_t s = 0; s < p.nstations; s++)
				open += p.stations[s].phase <= p.phases[t].year &&
				        (s == 0 || p.stations[s].site != p.stations[s - 1].site);
			CU_ASSERT_EQUAL(open, p.phases[t].sites);
			CU_ASSERT_TRUE(p.phases[t].sites <= p.phases[t].stations);
			if (t > 0)
				CU_ASSERT_TRUE(p.phases[t].households >=
				               p.phases[t - 1].households);
			CU_ASSERT_TRUE(p.phases[t].bound >= (double)p.phases[t].households);
		}
		CU_ASSERT_EQUAL(p.phases[2].full, 1);
		CU_ASSERT_EQUAL(p.phases[2].households, served(&full));
		CU_ASSERT_EQUAL(served(&p), served(&full));
		CU_ASSERT_EQUAL(p.nuncovered, full.nuncovered);
		/* the last phase is the full plan: the same stations on the same sites */
		CU_ASSERT_EQUAL_FATAL(p.nstations, full.nstations);
		for (size_t s = 0; s < p.nstations; s++) {
			CU_ASSERT_EQUAL(p.stations[s].site, full.stations[s].site);
			CU_ASSERT_EQUAL(p.stations[s].households, full.stations[s].households);
		}
		/* flexibly no more stations than equal parts (an equal-parts plan
		 * is a flexible one; the equal runs come first) */
		if (flex) {
			CU_ASSERT_TRUE(full.nstations <= nequal[seed - 1]);
		} else {
			nequal[seed - 1] = full.nstations;
		}
		/* per district rows add up to the phase */
		for (size_t t = 0; t < p.nphases; t++) {
			long h = 0;
			size_t st = 0;
			for (size_t d = 0; d < p.nphase_districts; d++)
				if (p.phase_districts[d].year == p.phases[t].year) {
					h += p.phase_districts[d].households;
					st += p.phase_districts[d].stations;
				}
			CU_ASSERT_EQUAL(h, p.phases[t].households);
			CU_ASSERT_EQUAL(st, p.phases[t].stations);
		}
		char msg[256];
		CU_ASSERT_EQUAL(verify_plan(&f->in, &f->sites, &f->r, &f->sc, &p, msg, sizeof(msg)),
		                0);
		fx_done(g, &full);
		fx_done(f, &p);
	}
}

/* A required district is served in full in its phase: "east" by 2025 with
 * two thirds of the full plan's stations, everyone by 2030. */
static void test_phases_required(void)
{
	fx *f = fx_new(), *g = fx_new();
	plan full, p;
	random_instance(f, 3, 60);
	random_instance(g, 3, 60);
	CU_ASSERT_EQUAL_FATAL(fx_solve(g, &full), STATUS_OK);
	long east = 0; /* households of east the full plan serves */
	for (size_t a = 0; a < full.nassign; a++)
		if (!strcmp(g->units[full.assign[a].unit].district, "east"))
			east += full.assign[a].households;
	char set[64];
	snprintf(set, sizeof(set), "phases.2025=%zu", 2 * full.nstations / 3);
	scenario_set(&f->sc, set, &f->st);
	snprintf(set, sizeof(set), "phases.2030=%zu", full.nstations);
	scenario_set(&f->sc, set, &f->st);
	scenario_set(&f->sc, "phases.required.2025=east", &f->st);
	CU_ASSERT_EQUAL(f->st.nerrors, 0);
	CU_ASSERT_EQUAL_FATAL(fx_phases(f, &p), STATUS_OK);
	int seen = 0;
	for (size_t d = 0; d < p.nphase_districts; d++) {
		const plan_phase_district *row = &p.phase_districts[d];
		if (row->year != 2025 || strcmp(row->district, "east"))
			continue;
		seen = 1;
		CU_ASSERT_EQUAL(row->households, east);
	}
	CU_ASSERT_TRUE(seen);
	CU_ASSERT_TRUE(p.phases[1].households < p.phases[2].households);
	fx_done(f, &p);

	/* without the requirement, 2025 leaves part of east for later */
	f = fx_new();
	random_instance(f, 3, 60);
	snprintf(set, sizeof(set), "phases.2025=%zu", 2 * full.nstations / 3);
	scenario_set(&f->sc, set, &f->st);
	snprintf(set, sizeof(set), "phases.2030=%zu", full.nstations);
	scenario_set(&f->sc, set, &f->st);
	CU_ASSERT_EQUAL_FATAL(fx_phases(f, &p), STATUS_OK);
	for (size_t d = 0; d < p.nphase_districts; d++)
		if (p.phase_districts[d].year == 2025 &&
		    !strcmp(p.phase_districts[d].district, "east"))
			CU_ASSERT_TRUE(p.phase_districts[d].households < east);
	fx_done(g, &full);
	fx_done(f, &p);
}

/* ---- the [phases] section ---- */

static void test_spec(void)
{
	status st;
	status_init(&st);
	phases_spec ps = {0};
	CU_ASSERT_EQUAL(phases_spec_set(&ps, "s.ini:3", "2030", "1298", &st), 0);
	CU_ASSERT_EQUAL(phases_spec_set(&ps, "s.ini:2", "2025", "488", &st), 0);
	CU_ASSERT_EQUAL(phases_spec_set(&ps, "s.ini:4", "sorting.2025", "5", &st), 0);
	CU_ASSERT_EQUAL(phases_spec_set(&ps, "s.ini:5", "sorting.2030", "8", &st), 0);
	CU_ASSERT_EQUAL(phases_spec_set(&ps, "s.ini:6", "required.2025", "中山区, 西岗区", &st), 0);
	CU_ASSERT_EQUAL(st.nerrors, 0);
	CU_ASSERT_EQUAL_FATAL(ps.n, 2);
	CU_ASSERT_EQUAL(ps.years[0].year, 2025);
	CU_ASSERT_EQUAL(ps.years[0].budget, 488);
	CU_ASSERT_EQUAL(ps.years[0].line, 2);
	CU_ASSERT_EQUAL(ps.years[1].year, 2030);
	CU_ASSERT_EQUAL(phases_level_budget(&ps, "sorting", 2030), 8);
	CU_ASSERT_EQUAL(phases_level_budget(&ps, "sorting", 2024), -1);
	CU_ASSERT_TRUE(phases_required_has(&ps, 2025, "西岗区"));
	CU_ASSERT_FALSE(phases_required_has(&ps, 2030, "西岗区"));
	CU_ASSERT_FALSE(phases_required_has(&ps, 2025, "沙河口区"));
	CU_ASSERT_EQUAL(phases_spec_validate(&ps, &st), 0);
	char text[512];
	phases_spec_text(&ps, text, sizeof(text));
	CU_ASSERT_STRING_EQUAL(text, "phases.2025 = 488\nphases.2030 = 1298\n"
	                             "phases.sorting.2025 = 5\nphases.sorting.2030 = 8\n"
	                             "phases.required.2025 = 中山区, 西岗区");
	phases_spec_free(&ps);
	status_free(&st);
}

static void test_spec_errors(void)
{
	status st;
	status_init(&st);
	phases_spec ps = {0};
	phases_spec_set(&ps, "s.ini:2", "20x5", "10", &st);
	phases_spec_set(&ps, "s.ini:3", "2025", "many", &st);
	phases_spec_set(&ps, "s.ini:4", "2025", "500", &st);
	phases_spec_set(&ps, "s.ini:5", "2030", "400", &st);
	phases_spec_set(&ps, "s.ini:6", "sorting.2025", "5", &st);
	phases_spec_set(&ps, "s.ini:7", "sorting.2030", "3", &st);
	phases_spec_set(&ps, "s.ini:8", "required.2027", "中山区", &st);
	CU_ASSERT_EQUAL(st.nerrors, 2);
	CU_ASSERT_EQUAL(phases_spec_validate(&ps, &st), 3);
	CU_ASSERT_EQUAL_FATAL(st.nproblems, 5);
	CU_ASSERT_STRING_EQUAL(st.problems[0].msg,
	                       "s.ini:2: phases.20x5 = 10: '20x5' is not a year (a whole number "
	                       "such as 2025)");
	CU_ASSERT_STRING_EQUAL(st.problems[1].msg,
	                       "s.ini:3: phases.2025 = 'many', must be a whole number of stations "
	                       ">= 0");
	CU_ASSERT_STRING_EQUAL(st.problems[2].msg,
	                       "phases: 2030 = 400 < 2025 = 500: budgets are cumulative and may "
	                       "not decrease");
	CU_ASSERT_STRING_EQUAL(st.problems[3].msg,
	                       "phases: sorting.2030 = 3 < sorting.2025 = 5: budgets are "
	                       "cumulative and may not decrease");
	CU_ASSERT_STRING_EQUAL(st.problems[4].msg,
	                       "phases: required.2027: 2027 is not a phase year (give 2027 = "
	                       "BUDGET)");
	phases_spec_free(&ps);
	status_free(&st);
}

/* Checks against the inputs: a budget below the existing stations, a
 * required district no unit names. */
static void test_check_inputs(void)
{
	fx *f = fx_new();
	int u = fx_unit(f, 4000, UNIT_URBAN, 0, 0);
	f->units[u].district = "中山区";
	fx_site(f, 0, 0, SITE_EXISTING, -1);
	fx_site(f, 50, 0, SITE_EXISTING, -1);
	f->in.units_source = "units.gpkg:units";
	scenario_set(&f->sc, "phases.2025=1", &f->st);
	scenario_set(&f->sc, "phases.2030=4", &f->st);
	scenario_set(&f->sc, "phases.required.2025=中山区,西岗区", &f->st);
	CU_ASSERT_EQUAL(f->st.nerrors, 0);
	CU_ASSERT_EQUAL(solver_check_budget(&f->sc, &f->in, &f->sites, &f->st), STATUS_INPUT);
	CU_ASSERT_EQUAL_FATAL(f->st.nproblems, 2);
	CU_ASSERT_STRING_EQUAL(f->st.problems[0].msg,
	                       "phases: 2025 = 1 is below the 2 existing stations "
	                       "(input.existing), which stay open in every phase");
	CU_ASSERT_STRING_EQUAL(f->st.problems[1].msg,
	                       "phases: required.2025: district '西岗区' has no unit in "
	                       "units.gpkg:units (field 'district')");
	plan p = {0};
	fx_done(f, &p);
}

void budget_suite_setup(void)
{
	CU_SUITE_ADD("budget", NULL, NULL, CU_TEST_ENTRY(test_one_station_two_clusters),
	             CU_TEST_ENTRY(test_far_village_left_out), CU_TEST_ENTRY(test_band_holds),
	             CU_TEST_ENTRY(test_exact_count), CU_TEST_ENTRY(test_pmed_orlib),
	             CU_TEST_ENTRY(test_phases_nested), CU_TEST_ENTRY(test_phases_required),
	             CU_TEST_ENTRY(test_spec), CU_TEST_ENTRY(test_spec_errors),
	             CU_TEST_ENTRY(test_check_inputs), CU_TEST_ENTRY(test_flex_pair),
	             CU_TEST_ENTRY(test_flex_four), CU_TEST_ENTRY(test_flex_brute),
	             CU_TEST_ENTRY(test_flex_phases), CU_TEST_ENTRY(test_flex_work_limit));
}
