/*
 * cu_levels.c: the upper levels (levels.h, src/core/scenario_levels.c),
 * on layouts small enough to compute the medians by hand: one facility per
 * district, a count over the city, a capacity forcing a second choice,
 * existing facilities kept, a district without a place, required groups,
 * the parcel area filter (GEOS MakeValid), and the [level.NAME] syntax
 * with its errors.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_tester.h"
#include "geos_ctx.h"
#include "levels.h"
#include "scenario.h"

#define LFX_N 32

/* Stations (each at its own site, in the unit given) and the places of up
 * to three levels, built by hand. */
typedef struct lfx {
	inputs in;
	site_table sites;
	plan p;
	scenario sc;
	status st;
	levels_result out;
	unit units[4];
	site sb[LFX_N];
	plan_station ps[LFX_N];
	level_input li[3];
	level_place pl[3][LFX_N];
	char ids[3][LFX_N][8];
} lfx;

static void lfx_init(lfx *f)
{
	memset(f, 0, sizeof(*f));
	status_init(&f->st);
	scenario_init(&f->sc, &f->st);
	static char *const dist[] = {"A", "B", "C"}, *const str[] = {"a1", "b1", "c1"};
	for (int u = 0; u < 3; u++)
		f->units[u] = (unit){.id = dist[u],
		                     .name = dist[u],
		                     .district = dist[u],
		                     .street = str[u],
		                     .households = 0,
		                     .fid = u};
	f->in.units = f->units;
	f->in.nunits = 3;
	f->sites.sites = f->sb;
	f->p.stations = f->ps;
	f->in.levels = f->li;
	for (int l = 0; l < 3; l++)
		f->li[l].places = f->pl[l];
}

static void lfx_station(lfx *f, double x, double y, int unit, long households)
{
	size_t s = f->p.nstations++;
	f->sb[s] = (site){.x = x, .y = y, .unit = unit, .src_fid = -1};
	f->sites.n++;
	f->ps[s] = (plan_station){.site = (int)s, .households = households, .sub = -1};
}

static void lfx_place(lfx *f, int l, double x, double y, int unit, int existing)
{
	size_t i = f->li[l].nplaces++;
	snprintf(f->ids[l][i], sizeof(f->ids[l][i]), "p%zu", i);
	f->pl[l][i] = (level_place){.x = x,
	                            .y = y,
	                            .id = f->ids[l][i],
	                            .fid = (long long)i,
	                            .existing = existing,
	                            .eligible = 1,
	                            .district = f->units[unit].district,
	                            .street = f->units[unit].street};
}

/* Apply "level.x.key=value" lines and validate; CU-asserts they parse. */
static void lfx_set(lfx *f, const char *const *sets)
{
	for (; *sets; sets++)
		CU_ASSERT_EQUAL(scenario_set(&f->sc, *sets, &f->st), STATUS_OK);
	f->in.nlevels = f->sc.nlevels;
}

static status_code lfx_solve(lfx *f)
{
	return levels_solve(&f->in, &f->sites, &f->p, &f->sc, NULL, &f->out, &f->st);
}

static void lfx_free(lfx *f)
{
	levels_result_free(&f->out);
	scenario_free(&f->sc);
	status_free(&f->st);
}

/* District A: loads 100, 100, 300 at x = 0, 10, 100; the 1-median among
 * the places at 0, 10, 100 costs 31000, 28000 and 19000: x = 100.
 * District B: 60 at y = 0 and 40 at y = 40 (x = 1000); places at y = 10
 * (cost 1800) and y = 30 (2200): y = 10. A's stations never go to B. */
static void test_one_per_district(void)
{
	lfx f;
	lfx_init(&f);
	lfx_station(&f, 0, 0, 0, 100);
	lfx_station(&f, 10, 0, 0, 100);
	lfx_station(&f, 100, 0, 0, 300);
	lfx_station(&f, 1000, 0, 1, 60);
	lfx_station(&f, 1000, 40, 1, 40);
	lfx_place(&f, 0, 0, 0, 0, 0);
	lfx_place(&f, 0, 10, 0, 0, 0);
	lfx_place(&f, 0, 100, 0, 0, 0);
	lfx_place(&f, 0, 1000, 10, 1, 0);
	lfx_place(&f, 0, 1000, 30, 1, 0);
	lfx_place(&f, 0, 20, 5, 2, 0); /* district C: no load, one place */
	lfx_set(&f, (const char *const[]){"level.centres.per=district",
	                                  "level.centres.candidates=c.geojson", NULL});
	CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
	level_result *r = &f.out.lv[0];
	CU_ASSERT_STRING_EQUAL(r->name, "centres");
	CU_ASSERT_EQUAL_FATAL(r->nfac, 3);
	CU_ASSERT_STRING_EQUAL(r->fac[0].group, "A");
	CU_ASSERT_DOUBLE_EQUAL(r->fac[0].x, 100, 1e-9);
	CU_ASSERT_EQUAL(r->fac[0].households, 500);
	CU_ASSERT_EQUAL(r->fac[0].lower, 3);
	CU_ASSERT_DOUBLE_EQUAL(r->fac[0].mean_distance_m, 19000.0 / 500, 1e-9);
	CU_ASSERT_STRING_EQUAL(r->fac[1].group, "B");
	CU_ASSERT_DOUBLE_EQUAL(r->fac[1].y, 10, 1e-9);
	CU_ASSERT_EQUAL(r->fac[1].households, 100);
	CU_ASSERT_STRING_EQUAL(r->fac[2].group, "C");
	CU_ASSERT_EQUAL(r->fac[2].lower, 0);
	CU_ASSERT_DOUBLE_EQUAL(r->objective, 19000 + 1800, 1e-6);
	CU_ASSERT_DOUBLE_EQUAL(r->bound, 19000 + 1800, 1e-6);
	CU_ASSERT_EQUAL(r->proven, 1);
	CU_ASSERT_STRING_EQUAL(r->status, "optimal");
	CU_ASSERT_EQUAL(r->nsubs, 3);
	CU_ASSERT_EQUAL_FATAL(r->nflows, 5);
	CU_ASSERT_EQUAL(r->flows[3].from, 3);
	CU_ASSERT_EQUAL(r->flows[3].to, 1);
	CU_ASSERT_DOUBLE_EQUAL(r->flows[3].distance_m, 10, 1e-9);
	CU_ASSERT_EQUAL(f.out.nunplaced, 0);
	lfx_free(&f);
}

/* Loads 1, 1, 1, 2, 1 at x = 0, 1, 2, 10, 11, two facilities among the
 * stations: {1, 10} costs 1 + 1 + 1 = 3, every other pair more. A second
 * level with one market at the level below: between x = 1 (load 3) and
 * x = 10 (load 3) both cost 27; the lower place index wins the tie-break
 * of the search only through GLPK, so only the cost is asserted. */
static void test_count_over_city(void)
{
	lfx f;
	lfx_init(&f);
	double xs[] = {0, 1, 2, 10, 11};
	long hs[] = {1, 1, 1, 2, 1};
	for (int i = 0; i < 5; i++)
		lfx_station(&f, xs[i], 0, i < 3 ? 0 : 1, hs[i]);
	lfx_set(&f, (const char *const[]){"level.points.count=2", "level.points.at=stations",
	                                  "level.market.per=city", "level.market.at=below", NULL});
	CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
	level_result *r = &f.out.lv[0];
	CU_ASSERT_EQUAL_FATAL(r->nfac, 2);
	CU_ASSERT_DOUBLE_EQUAL(r->fac[0].x, 1, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r->fac[1].x, 10, 1e-9);
	CU_ASSERT_STRING_EQUAL(r->fac[0].group, "city");
	CU_ASSERT_STRING_EQUAL(r->fac[0].place_id, "2");
	CU_ASSERT_EQUAL(r->fac[0].households, 3);
	CU_ASSERT_EQUAL(r->fac[1].households, 3);
	CU_ASSERT_DOUBLE_EQUAL(r->objective, 3, 1e-6);
	level_result *m = &f.out.lv[1];
	CU_ASSERT_EQUAL_FATAL(m->nfac, 1);
	CU_ASSERT_EQUAL(m->fac[0].households, 6);
	CU_ASSERT_EQUAL(m->fac[0].lower, 2);
	CU_ASSERT_DOUBLE_EQUAL(m->objective, 27, 1e-6);
	lfx_free(&f);
}

/* Loads 60, 60, 10 at x = 0, 1, 100, two facilities of capacity 100.
 * Uncapacitated: {0 or 1, 100} costs 60. With the capacity {0, 1} is
 * best (990: x = 100 goes to 1), ahead of {0, 50} (3440) and {0, 100}
 * (5940). */
static void test_capacity_second_choice(void)
{
	lfx f;
	lfx_init(&f);
	lfx_station(&f, 0, 0, 0, 60);
	lfx_station(&f, 1, 0, 0, 60);
	lfx_station(&f, 100, 0, 0, 10);
	lfx_place(&f, 0, 0, 0, 0, 0);
	lfx_place(&f, 0, 1, 0, 0, 0);
	lfx_place(&f, 0, 50, 0, 0, 0);
	lfx_place(&f, 0, 100, 0, 0, 0);
	lfx_set(&f, (const char *const[]){"level.t.count=2", "level.t.candidates=x",
	                                  "level.t.capacity=100", NULL});
	CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
	level_result *r = &f.out.lv[0];
	CU_ASSERT_EQUAL_FATAL(r->nfac, 2);
	CU_ASSERT_DOUBLE_EQUAL(r->fac[0].x, 0, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(r->fac[1].x, 1, 1e-9);
	CU_ASSERT_EQUAL(r->fac[0].households, 60);
	CU_ASSERT_EQUAL(r->fac[1].households, 70);
	CU_ASSERT_DOUBLE_EQUAL(r->objective, 990, 1e-6);
	CU_ASSERT_EQUAL(r->flows[2].to, 1);
	CU_ASSERT_DOUBLE_EQUAL(r->flows[2].distance_m, 99, 1e-9);
	lfx_free(&f);

	/* without the capacity: 60 */
	lfx_init(&f);
	lfx_station(&f, 0, 0, 0, 60);
	lfx_station(&f, 1, 0, 0, 60);
	lfx_station(&f, 100, 0, 0, 10);
	lfx_place(&f, 0, 0, 0, 0, 0);
	lfx_place(&f, 0, 1, 0, 0, 0);
	lfx_place(&f, 0, 50, 0, 0, 0);
	lfx_place(&f, 0, 100, 0, 0, 0);
	lfx_set(&f, (const char *const[]){"level.t.count=2", "level.t.candidates=x", NULL});
	CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
	CU_ASSERT_DOUBLE_EQUAL(f.out.lv[0].objective, 60, 1e-6);
	lfx_free(&f);
}

/* The capacity in t/day (1 kg per household and day: 0.1 t/day = 100
 * households) and a capacity that cannot hold the load. */
static void test_capacity_errors(void)
{
	lfx f;
	lfx_init(&f);
	lfx_station(&f, 0, 0, 0, 60);
	lfx_station(&f, 1, 0, 0, 60);
	lfx_place(&f, 0, 0, 0, 0, 0);
	lfx_place(&f, 0, 1, 0, 0, 0);
	lfx_set(&f, (const char *const[]){"input.units=u.gpkg", "rules.kg_per_household_day=1",
	                                  "level.t.count=1", "level.t.candidates=x",
	                                  "level.t.capacity=0.1 t/day", NULL});
	CU_ASSERT_EQUAL(scenario_validate(&f.sc, &f.st), STATUS_OK);
	CU_ASSERT_EQUAL(lfx_solve(&f), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(f.st.msg, "level.t: group 'city': capacity = 100 households x 1 "
	                                 "facilities cannot hold the load of 120 households");
	lfx_free(&f);
}

/* An existing facility far from the median is kept; the count is met
 * with it alone. */
static void test_existing_kept(void)
{
	lfx f;
	lfx_init(&f);
	lfx_station(&f, 0, 0, 0, 100);
	lfx_station(&f, 10, 0, 0, 100);
	lfx_place(&f, 0, 5, 0, 0, 0);
	lfx_place(&f, 0, 500, 0, 0, 1);
	lfx_set(&f, (const char *const[]){"level.c.per=district", "level.c.candidates=x",
	                                  "level.c.existing=e", NULL});
	CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
	level_result *r = &f.out.lv[0];
	CU_ASSERT_EQUAL_FATAL(r->nfac, 1); /* A: the existing one, not the median at 5 */
	CU_ASSERT_DOUBLE_EQUAL(r->fac[0].x, 500, 1e-9);
	CU_ASSERT_EQUAL(r->fac[0].existing, 1);
	CU_ASSERT_EQUAL(r->fac[0].households, 200);
	CU_ASSERT_DOUBLE_EQUAL(r->objective, 100 * 500 + 100 * 490, 1e-6);
	/* B and C have no place: unplaced rows, by name */
	CU_ASSERT_EQUAL(f.out.nunplaced, 2);
	lfx_free(&f);
}

/* A district without a place: listed in unplaced with its load, a
 * warning; the other districts are placed. */
static void test_district_without_place(void)
{
	lfx f;
	lfx_init(&f);
	lfx_station(&f, 0, 0, 0, 100);
	lfx_station(&f, 1000, 0, 1, 70);
	lfx_place(&f, 0, 0, 0, 0, 0);
	lfx_place(&f, 0, 30, 30, 2, 0);
	lfx_set(&f, (const char *const[]){"level.c.per=district", "level.c.candidates=x", NULL});
	CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
	CU_ASSERT_EQUAL(f.out.lv[0].nfac, 2);
	CU_ASSERT_EQUAL_FATAL(f.out.nunplaced, 2);
	CU_ASSERT_STRING_EQUAL(f.out.unplaced[0].group, "B");
	CU_ASSERT_EQUAL(f.out.unplaced[0].missing, 1);
	CU_ASSERT_STRING_EQUAL(f.out.unplaced[0].reason, "no eligible place for 1 facilities");
	CU_ASSERT_STRING_EQUAL(f.out.unplaced[1].group, "B");
	CU_ASSERT_EQUAL(f.out.unplaced[1].households, 70);
	CU_ASSERT_STRING_EQUAL(f.out.unplaced[1].reason,
	                       "1 lower facility with no place in the group");
	CU_ASSERT(f.st.nwarnings >= 2);
	lfx_free(&f);

	/* with cross_groups, B's station goes to A's place */
	lfx_init(&f);
	lfx_station(&f, 0, 0, 0, 100);
	lfx_station(&f, 1000, 0, 1, 70);
	lfx_place(&f, 0, 0, 0, 0, 0);
	lfx_place(&f, 0, 30, 30, 2, 0);
	lfx_set(&f, (const char *const[]){"level.c.per=district", "level.c.candidates=x",
	                                  "level.c.cross_groups=true", NULL});
	CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
	/* B's station goes to C's place (970.6 m), nearer than A's (1000 m) */
	CU_ASSERT_EQUAL(f.out.lv[0].fac[0].households, 100);
	CU_ASSERT_STRING_EQUAL(f.out.lv[0].fac[1].group, "C");
	CU_ASSERT_EQUAL(f.out.lv[0].fac[1].households, 70);
	CU_ASSERT_EQUAL(f.out.nunplaced, 1); /* B still has no centre of its own */
	lfx_free(&f);
}

/* Required districts with a count over the city: A's load pulls both
 * facilities to A without the rule; with required = A,B one goes to B. */
static void test_required(void)
{
	lfx f;
	lfx_init(&f);
	lfx_station(&f, 0, 0, 0, 100);
	lfx_station(&f, 100, 0, 0, 100);
	lfx_station(&f, 5000, 0, 1, 1);
	lfx_place(&f, 0, 0, 0, 0, 0);
	lfx_place(&f, 0, 100, 0, 0, 0);
	lfx_place(&f, 0, 4000, 0, 1, 0);
	lfx_set(&f, (const char *const[]){"level.c.count=2", "level.c.candidates=x",
	                                  "level.c.required=A, B", NULL});
	CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
	CU_ASSERT_EQUAL_FATAL(f.out.lv[0].nfac, 2);
	CU_ASSERT_DOUBLE_EQUAL(f.out.lv[0].fac[1].x, 4000, 1e-9);
	CU_ASSERT_DOUBLE_EQUAL(f.out.lv[0].objective, 100 * 100 + 1000, 1e-6);
	lfx_free(&f);

	lfx_init(&f);
	lfx_station(&f, 0, 0, 0, 100);
	lfx_place(&f, 0, 0, 0, 0, 0);
	lfx_set(&f, (const char *const[]){"level.c.count=2", "level.c.candidates=x",
	                                  "level.c.required=A,Z", NULL});
	CU_ASSERT_EQUAL(lfx_solve(&f), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(f.st.msg,
	                       "level.c: required = A,Z: no district 'Z' among the units");
	lfx_free(&f);
}

/* WKB of `wkt` (malloc'd, caller frees) through GEOS. */
static unsigned char *wkb_of(geos_ctx *g, const char *wkt, size_t *size)
{
	GEOSWKTReader *r = GEOSWKTReader_create_r(geos_ctx_handle(g));
	GEOSGeometry *geom = GEOSWKTReader_read_r(geos_ctx_handle(g), r, wkt);
	GEOSWKTReader_destroy_r(geos_ctx_handle(g), r);
	unsigned char *w = geom ? geos_ctx_write_wkb(g, geom, size, "test", NULL) : NULL;
	if (geom)
		GEOSGeom_destroy_r(geos_ctx_handle(g), geom);
	return w;
}

/* Parcels: a 100 x 100 square (10000 m2) qualifies for min_area_m2 =
 * 5000, a 50 x 50 one does not, a self-crossing bow tie is repaired by
 * MakeValid into two triangles of 2500 m2 (5000: qualifies). Each takes
 * the district of the unit holding its representative point. */
static void test_parcel_filter(void)
{
	lfx f;
	status gst;
	status_init(&gst);
	geos_ctx *g = geos_ctx_new(&gst);
	CU_ASSERT_PTR_NOT_NULL_FATAL(g);
	lfx_init(&f);
	const char *unit_wkt[] = {"POLYGON((0 0,1000 0,1000 1000,0 1000,0 0))",
	                          "POLYGON((1000 0,2000 0,2000 1000,1000 1000,1000 0))",
	                          "POLYGON((2000 0,3000 0,3000 1000,2000 1000,2000 0))"};
	for (int u = 0; u < 3; u++)
		f.units[u].wkb = wkb_of(g, unit_wkt[u], &f.units[u].wkb_size);
	const char *parcel_wkt[] = {"POLYGON((100 100,200 100,200 200,100 200,100 100))",
	                            "POLYGON((1100 100,1150 100,1150 150,1100 150,1100 100))",
	                            "POLYGON((2100 100,2200 200,2200 100,2100 200,2100 100))"};
	for (int i = 0; i < 3; i++) {
		lfx_place(&f, 0, 0, 0, 0, 0);
		f.pl[0][i].district = f.pl[0][i].street = "";
		f.pl[0][i].wkb = wkb_of(g, parcel_wkt[i], &f.pl[0][i].wkb_size);
	}
	f.li[0].label = "parcels.gpkg:parcels";
	lfx_set(&f, (const char *const[]){"level.s.per=district", "level.s.parcels=p",
	                                  "level.s.min_area_m2=5000", NULL});
	CU_ASSERT_EQUAL_FATAL(levels_places_prepare(&f.in, &f.sc, &f.st), STATUS_OK);
	CU_ASSERT_EQUAL(f.li[0].nsmall, 1);
	CU_ASSERT_EQUAL(f.pl[0][0].eligible, 1);
	CU_ASSERT_DOUBLE_EQUAL(f.pl[0][0].area_m2, 10000, 1e-6);
	CU_ASSERT_STRING_EQUAL(f.pl[0][0].district, "A");
	CU_ASSERT(f.pl[0][0].x > 100 && f.pl[0][0].x < 200 && f.pl[0][0].y > 100 &&
	          f.pl[0][0].y < 200);
	CU_ASSERT_EQUAL(f.pl[0][1].eligible, 0);
	CU_ASSERT_DOUBLE_EQUAL(f.pl[0][1].area_m2, 2500, 1e-6);
	CU_ASSERT_EQUAL(f.pl[0][2].eligible, 1);
	CU_ASSERT_DOUBLE_EQUAL(f.pl[0][2].area_m2, 5000, 1e-6);
	CU_ASSERT_STRING_EQUAL(f.pl[0][2].district, "C");

	/* B has only the small parcel: unplaced, by name */
	lfx_station(&f, 1500, 500, 1, 40);
	CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
	CU_ASSERT_EQUAL(f.out.lv[0].nfac, 2);
	CU_ASSERT_DOUBLE_EQUAL(f.out.lv[0].fac[0].area_m2, 10000, 1e-6);
	CU_ASSERT_PTR_NOT_NULL(f.out.lv[0].fac[0].wkb);
	CU_ASSERT_EQUAL_FATAL(f.out.nunplaced, 2);
	CU_ASSERT_STRING_EQUAL(f.out.unplaced[0].group, "B");
	for (int u = 0; u < 3; u++)
		free(f.units[u].wkb);
	for (int i = 0; i < 3; i++)
		free(f.pl[0][i].wkb);
	lfx_free(&f);
	geos_ctx_free(g);
	status_free(&gst);
}

static void test_syntax(void)
{
	scenario sc;
	status st;
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_set(&sc, "level.Bad-Name.per=city", &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(st.problems[0].msg,
	                       "--set 'level.Bad-Name.per=city': [level.Bad-Name]: level name "
	                       "'Bad-Name' must start with a lower-case letter or '_' and be at "
	                       "most 48 characters");
	CU_ASSERT_EQUAL(scenario_set(&sc, "level.flows.per=city", &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(st.problems[1].msg,
	                       "--set 'level.flows.per=city': [level.flows]: level name 'flows' "
	                       "is a layer the plan already has");
	CU_ASSERT_EQUAL(scenario_set(&sc, "level.x.prr=city", &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(st.problems[2].msg, "--set 'level.x.prr=city': unknown key 'prr' "
	                                           "in [level.x] (did you mean 'per'?)");
	CU_ASSERT_EQUAL(scenario_set(&sc, "level.x.per=town", &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(st.problems[3].msg,
	                       "--set 'level.x.per=town': level.x.per = 'town', must be one of "
	                       "street, district, city");
	CU_ASSERT_EQUAL(scenario_set(&sc, "level.x.capacity=20 kg", &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(st.problems[4].msg,
	                       "--set 'level.x.capacity=20 kg': level.x.capacity = '20 kg', must "
	                       "be households (20000) or tonnes per day (60 t/day)");
	/* validation: where, per/count, t/day without a rate, at = stations on top */
	status_free(&st);
	status_init(&st);
	const char *sets[] = {"input.units=u.gpkg",       "level.x.per=city",
	                      "level.x.at=stations",      "level.x.candidates=c.gpkg",
	                      "level.y.capacity=5 t/day", "level.y.at=stations",
	                      "level.z.count=2",          "level.z.per=city",
	                      "level.z.required=A,B,C",   "level.z.at=below",
	                      "level.w.min_area_m2=10",   "level.w.candidates=c",
	                      "level.w.count=1"};
	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++)
		CU_ASSERT_EQUAL(scenario_set(&sc, sets[i], &st), STATUS_OK);
	CU_ASSERT_EQUAL(scenario_validate(&sc, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL_FATAL(st.nproblems, 6);
	CU_ASSERT_STRING_EQUAL(st.problems[0].msg, "[level.x]: candidates, parcels and at "
	                                           "contradict: give only one of them");
	CU_ASSERT_STRING_EQUAL(st.problems[1].msg,
	                       "[level.y]: set per (street, district or city) or count");
	CU_ASSERT_STRING_EQUAL(st.problems[2].msg,
	                       "[level.y]: at = stations above level 'x' (use at = below for the "
	                       "level below)");
	CU_ASSERT_STRING_EQUAL(
	    st.problems[3].msg,
	    "[level.y]: capacity = 5 t/day needs rules.kg_per_household_day > 0");
	CU_ASSERT_STRING_EQUAL(st.problems[4].msg,
	                       "[level.z]: count = 2 over the city contradicts 3 required groups");
	CU_ASSERT_STRING_EQUAL(
	    st.problems[5].msg,
	    "[level.w]: min_area_m2 = 10 applies to parcels, and none are given");
	scenario_free(&sc);
	status_free(&st);

	/* from a file: problems name the line of the section, "did you mean" */
	char path[512];
	snprintf(path, sizeof(path), "%s/levels_syntax.ini", cu_outdir());
	FILE *fp = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
	fputs("[input]\nunits = u.gpkg\n\n[level.centres]\nper = district\n"
	      "candidate = c.gpkg\n[levels.markets]\nper = city\n",
	      fp);
	fclose(fp);
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, path, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(scenario_validate(&sc, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL_FATAL(st.nproblems, 3);
	char want[1024];
	snprintf(want, sizeof(want),
	         "%s:6: unknown key 'candidate' in [level.centres] (did you mean 'candidates'?)",
	         path);
	CU_ASSERT_STRING_EQUAL(st.problems[0].msg, want);
	snprintf(want, sizeof(want),
	         "%s:7: unknown section [levels.markets] (did you mean [level.markets]?)", path);
	CU_ASSERT_STRING_EQUAL(st.problems[1].msg, want);
	snprintf(want, sizeof(want),
	         "%s:4: [level.centres]: set where the facilities may go: candidates, parcels or "
	         "at = stations",
	         path);
	CU_ASSERT_STRING_EQUAL(st.problems[2].msg, want);
	scenario_free(&sc);
	status_free(&st);
}

/* Phases on a level (solver/levels_phases.c), all in district A, count = 2
 * over the city, max_distance_m = 600. Stations: s0 (0,0) 100 households
 * and s2 (1000,0) 300 open in 2025; s1 (10,0) 50 and s3 (1010,0) 100 in
 * 2030. Places p0 (5,0), p1 (1005,0), p2 (500,0). The full placement is
 * {p0, p1} (every station 5 m away: 2750; p2 costs >= 150000 more).
 * Budgets 1 (2025) and 2 (2030): 2030 keeps the full placement; 2025 opens
 * one of them for s0 and s2: p0 reaches only s0 (s2 is 995 m away), p1
 * only s2, so maximum covering takes p1 (300 households, 1500 m) although
 * p0 would be nearer its one station (500). */
static void phases_fixture(lfx *f, const char *budget2030)
{
	lfx_init(f);
	lfx_station(f, 0, 0, 0, 100);
	lfx_station(f, 10, 0, 0, 50);
	lfx_station(f, 1000, 0, 0, 300);
	lfx_station(f, 1010, 0, 0, 100);
	f->ps[0].phase = f->ps[2].phase = 2025;
	f->ps[1].phase = f->ps[3].phase = 2030;
	lfx_place(f, 0, 5, 0, 0, 0);
	lfx_place(f, 0, 1005, 0, 0, 0);
	lfx_place(f, 0, 500, 0, 0, 0);
	lfx_set(f,
	        (const char *const[]){"level.centres.count=2", "level.centres.candidates=c.geojson",
	                              "level.centres.max_distance_m=600", "phases.2025=2",
	                              "phases.2030=4", "phases.centres.2025=1", budget2030, NULL});
}

static void test_phases(void)
{
	lfx f;
	phases_fixture(&f, "phases.centres.2030=2");
	CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
	level_result *r = &f.out.lv[0];
	CU_ASSERT_EQUAL_FATAL(r->nfac, 2);
	CU_ASSERT_DOUBLE_EQUAL(r->fac[0].x, 5, 1e-9);
	CU_ASSERT_EQUAL(r->fac[0].phase, 2030);
	CU_ASSERT_DOUBLE_EQUAL(r->fac[1].x, 1005, 1e-9);
	CU_ASSERT_EQUAL(r->fac[1].phase, 2025);
	CU_ASSERT_DOUBLE_EQUAL(r->objective, 2750, 1e-6);
	CU_ASSERT_STRING_EQUAL(r->phases,
	                       "2025: 1 facilities (budget 1), 300 of 400 households routed, 1500 "
	                       "load-weighted m, optimal; 2030: 2 facilities, the full placement "
	                       "(within the budget)");
	lfx_free(&f);
}

/* The same with 2030 = 1, below the full placement: 2030 takes the one of
 * p0, p1 covering most (p0 reaches s0 and s1: 150 households; p1 s2 and s3:
 * 400, 5 m each, 2000): p1; 2025 keeps it (s2: 300, 1500); p0 opens in
 * no phase, and a warning says so. An existing facility above a budget is
 * an input error. */
static void test_phases_over_budget(void)
{
	lfx f;
	phases_fixture(&f, "phases.centres.2030=1");
	CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
	level_result *r = &f.out.lv[0];
	CU_ASSERT_EQUAL_FATAL(r->nfac, 2);
	CU_ASSERT_EQUAL(r->fac[0].phase, -1);
	CU_ASSERT_EQUAL(r->fac[1].phase, 2025);
	CU_ASSERT_STRING_EQUAL(
	    r->phases, "2025: 1 facilities (budget 1), 300 of 400 households routed, 1500 "
	               "load-weighted m, optimal; 2030: 1 facilities (budget 1), 400 of 550 "
	               "households routed, 2000 load-weighted m, optimal");
	CU_ASSERT_EQUAL_FATAL(f.st.nproblems, 1);
	CU_ASSERT_STRING_EQUAL(f.st.problems[0].msg,
	                       "level 'centres': the budget centres.2030 = 1 is below the 2 "
	                       "facilities of the full placement: 1 open by 2030, the others in no "
	                       "phase (phase NULL)");
	lfx_free(&f);

	phases_fixture(&f, "phases.centres.2030=1");
	f.pl[0][0].existing = f.pl[0][1].existing = 1;
	CU_ASSERT_EQUAL(lfx_solve(&f), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(f.st.msg,
	                       "phases: centres.2030 = 1 is below the 2 existing facilities of "
	                       "level 'centres'");
	lfx_free(&f);
}

/* Required districts of a phase on a per = district level: A (100
 * households at (0,0), a place at (10,0)) and B (300 at (1000,0), a place at
 * (1010,0)), both open in 2025, one facility by 2025. Without required
 * groups B's centre opens first (300 households); with required.2025 = A,
 * A's does (100, 10 m each: 1000). */
static void test_phases_required(void)
{
	for (int req = 0; req < 2; req++) {
		lfx f;
		lfx_init(&f);
		lfx_station(&f, 0, 0, 0, 100);
		lfx_station(&f, 1000, 0, 1, 300);
		f.ps[0].phase = f.ps[1].phase = 2025;
		lfx_place(&f, 0, 10, 0, 0, 0);
		lfx_place(&f, 0, 1010, 0, 1, 0);
		lfx_set(&f, (const char *const[]){
		                "level.centres.per=district", "level.centres.candidates=c.geojson",
		                "phases.2025=2", "phases.2030=2", "phases.centres.2025=1",
		                req ? "phases.required.2025=A" : "phases.2030=2", NULL});
		CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
		level_result *r = &f.out.lv[0];
		CU_ASSERT_EQUAL_FATAL(r->nfac, 2); /* district C has no place: unplaced */
		CU_ASSERT_STRING_EQUAL(r->fac[0].group, "A");
		CU_ASSERT_EQUAL(r->fac[0].phase, req ? 2025 : 2030);
		CU_ASSERT_STRING_EQUAL(r->fac[1].group, "B");
		CU_ASSERT_EQUAL(r->fac[1].phase, req ? 2030 : 2025);
		CU_ASSERT_STRING_EQUAL(r->phases,
		                       req ? "2025: 1 facilities (budget 1), 100 of 400 households "
		                             "routed, 1000 load-weighted m, optimal; 2030: 2 "
		                             "facilities, the full placement"
		                           : "2025: 1 facilities (budget 1), 300 of 400 households "
		                             "routed, 3000 load-weighted m, optimal; 2030: 2 "
		                             "facilities, the full placement");
		lfx_free(&f);
	}
}

/* No load at all (no stations): the level still places its count (the
 * first places), no facility is needed before the last year, so 2025 opens
 * none and both open in 2030. */
static void test_phases_no_load(void)
{
	lfx f;
	lfx_init(&f);
	lfx_place(&f, 0, 0, 0, 0, 0);
	lfx_place(&f, 0, 10, 0, 0, 0);
	lfx_place(&f, 0, 20, 0, 0, 0);
	lfx_set(&f,
	        (const char *const[]){"level.centres.count=2", "level.centres.candidates=c.geojson",
	                              "phases.2025=0", "phases.2030=0", "phases.centres.2025=1",
	                              "phases.centres.2030=2", NULL});
	CU_ASSERT_EQUAL_FATAL(lfx_solve(&f), STATUS_OK);
	level_result *r = &f.out.lv[0];
	CU_ASSERT_EQUAL_FATAL(r->nfac, 2);
	CU_ASSERT_EQUAL(r->fac[0].phase, 2030);
	CU_ASSERT_EQUAL(r->fac[1].phase, 2030);
	CU_ASSERT_STRING_EQUAL(r->phases,
	                       "2025: 0 facilities (budget 1), 0 of 0 households routed, 0 "
	                       "load-weighted m, optimal; 2030: 2 facilities, the full "
	                       "placement (within the budget)");
	lfx_free(&f);
}

void levels_suite_setup(void)
{
	CU_SUITE_ADD("levels", NULL, NULL, CU_TEST_ENTRY(test_one_per_district),
	             CU_TEST_ENTRY(test_count_over_city),
	             CU_TEST_ENTRY(test_capacity_second_choice),
	             CU_TEST_ENTRY(test_capacity_errors), CU_TEST_ENTRY(test_existing_kept),
	             CU_TEST_ENTRY(test_district_without_place), CU_TEST_ENTRY(test_required),
	             CU_TEST_ENTRY(test_parcel_filter), CU_TEST_ENTRY(test_syntax),
	             CU_TEST_ENTRY(test_phases), CU_TEST_ENTRY(test_phases_over_budget),
	             CU_TEST_ENTRY(test_phases_required), CU_TEST_ENTRY(test_phases_no_load));
}
