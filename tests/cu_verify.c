/*
 * cu_verify.c: verify_plan() on hand-built plans: a valid one passes, and
 * each broken rule is caught with its exact message.
 */
#include <CUnit/CUnit.h>

#include "verify.h"
#include "cu_tester.h"
#include "solver_fixture.h"

/* u0, u1: 2,000 each, 200 m apart, an existing station between them; u2 a
 * village 5 km away with its one inside site. */
typedef struct vfx {
	fx *f;
	plan p;
	plan_station st[4];
	plan_assign as[4];
	plan_uncovered un[1];
} vfx;

static vfx *vfx_new(void)
{
	vfx *v = calloc(1, sizeof(vfx));
	v->f = calloc(1, sizeof(fx));
	fx *f = v->f;
	fx_init(f);
	fx_site(f, 100, 0, SITE_EXISTING, -1);
	int a = fx_unit(f, 2000, UNIT_URBAN, 0, 0);
	int b = fx_unit(f, 2000, UNIT_URBAN, 200, 0);
	int c = fx_unit(f, 300, UNIT_RURAL, 5000, 0);
	fx_site(f, 0, 0, SITE_REPRESENTATIVE, a);
	fx_site(f, 200, 0, SITE_REPRESENTATIVE, b);
	fx_site(f, 5000, 0, SITE_REPRESENTATIVE, c);
	fx_reach(f);
	v->st[0] = (plan_station){0, STATION_EXISTING, 4000, 2, 0, "", 0, 0};
	v->st[1] = (plan_station){3, STATION_VILLAGE, 300, 1, 0, "", -1, 0};
	v->as[0] = (plan_assign){0, 0, 2000, 100};
	v->as[1] = (plan_assign){1, 0, 2000, 100};
	v->as[2] = (plan_assign){2, 1, 300, 0};
	v->p.stations = v->st;
	v->p.nstations = 2;
	v->p.assign = v->as;
	v->p.nassign = 3;
	v->p.uncovered = v->un;
	return v;
}

static int vcheck(vfx *v, char *msg)
{
	return verify_plan(&v->f->in, &v->f->sites, &v->f->r, &v->f->sc, &v->p, msg, 256);
}

static void vfx_free(vfx *v)
{
	fx_free(v->f);
	free(v->f);
	free(v);
}

static void test_valid(void)
{
	vfx *v = vfx_new();
	char msg[256];
	CU_ASSERT_EQUAL(vcheck(v, msg), 0);
	CU_ASSERT_STRING_EQUAL(msg, "");
	vfx_free(v);
}

static void test_station_count_mismatch(void)
{
	vfx *v = vfx_new();
	char msg[256];
	v->st[0].households = 4100;
	CU_ASSERT_EQUAL(vcheck(v, msg), 1);
	CU_ASSERT_STRING_EQUAL(msg,
	                       "station 0: 4100 households / 2 units, assignments say 4000 / 2");
	vfx_free(v);
}

static void test_existing_missing(void)
{
	vfx *v = vfx_new();
	char msg[256];
	v->st[0].site = 1;
	v->st[0].kind = STATION_URBAN;
	v->as[0].distance_m = 0;
	v->as[1].distance_m = 200;
	CU_ASSERT_EQUAL(vcheck(v, msg), 1);
	CU_ASSERT_STRING_EQUAL(msg, "existing station at site 0 is missing");
	vfx_free(v);
}

static void test_over_max(void)
{
	vfx *v = vfx_new();
	char msg[256];
	v->f->units[0].households = 4000;
	v->as[0].households = 4000;
	v->st[0].households = 6000;
	CU_ASSERT_EQUAL(vcheck(v, msg), 1);
	CU_ASSERT_STRING_EQUAL(msg, "station 0 serves 6000 households > households_max = 5000");
	vfx_free(v);
}

static void test_under_min_unflagged(void)
{
	vfx *v = vfx_new();
	char msg[256];
	v->f->units[1].households = 0;
	v->as[1] = v->as[2];
	v->p.nassign = 2;
	v->st[0].households = 2000;
	v->st[0].nunits = 1;
	CU_ASSERT_EQUAL(vcheck(v, msg), 1);
	CU_ASSERT_STRING_EQUAL(msg, "station 0 serves 2000 households < households_min = 3000 and "
	                            "is not flagged underfilled");
	v->st[0].underfilled = 1;
	CU_ASSERT_EQUAL(vcheck(v, msg), 1);
	CU_ASSERT_STRING_EQUAL(msg, "underfilled station 0 has no reason");
	v->st[0].reason = "only 2000 households within 1000 m";
	CU_ASSERT_EQUAL(vcheck(v, msg), 0);
	vfx_free(v);
}

static void test_out_of_reach(void)
{
	vfx *v = vfx_new();
	char msg[256];
	v->as[2].station = 0; /* the village to the existing station 4.9 km away */
	v->st[0].households = 4300;
	v->st[0].nunits = 3;
	v->st[1].households = 0;
	v->st[1].nunits = 0;
	CU_ASSERT_TRUE(vcheck(v, msg) >= 1);
	CU_ASSERT_STRING_EQUAL(msg, "unit 'u2' is assigned to a site out of walking reach");
	vfx_free(v);
}

static void test_split_small_unit(void)
{
	vfx *v = vfx_new();
	char msg[256];
	/* u0 half at the existing station, half at its own site */
	v->st[2] = (plan_station){1, STATION_URBAN, 1000, 1, 1, "x", 0, 0};
	v->p.nstations = 3;
	v->as[0].households = 1000;
	v->as[3] = (plan_assign){0, 2, 1000, 0};
	v->p.nassign = 4;
	v->st[0].households = 3000;
	CU_ASSERT_EQUAL(vcheck(v, msg), 1);
	CU_ASSERT_STRING_EQUAL(msg, "unit 'u0' (2000 households) is split over 2 stations");
	vfx_free(v);
}

/* 9,000 households over two stations as 5,000 + 4,000: not equal parts
 * under rules.split = equal, a valid plan under flexible. */
static void test_split_shares(void)
{
	fx *f = calloc(1, sizeof(fx));
	fx_init(f);
	int u = fx_unit(f, 9000, UNIT_URBAN, 0, 0);
	fx_site(f, 0, 0, SITE_REPRESENTATIVE, u);
	fx_site(f, 100, 0, SITE_GRID, u);
	fx_reach(f);
	plan_station st[2] = {{0, STATION_URBAN, 5000, 1, 0, "", 0, 0},
	                      {1, STATION_URBAN, 4000, 1, 0, "", 0, 0}};
	plan_assign as[2] = {{0, 0, 5000, 0}, {0, 1, 4000, 100}};
	plan p = {.nstations = 2, .stations = st, .nassign = 2, .assign = as};
	char msg[256];
	f->sc.split = SPLIT_EQUAL;
	CU_ASSERT_EQUAL(verify_plan(&f->in, &f->sites, &f->r, &f->sc, &p, msg, sizeof(msg)), 1);
	CU_ASSERT_STRING_EQUAL(msg, "unit 'u0': shares 4000 to 5000, not equal parts "
	                            "(rules.split = equal)");
	f->sc.split = SPLIT_FLEXIBLE;
	CU_ASSERT_EQUAL(verify_plan(&f->in, &f->sites, &f->r, &f->sc, &p, msg, sizeof(msg)), 0);
	fx_free(f);
	free(f);
}

static void test_uncovered_unjustified(void)
{
	vfx *v = vfx_new();
	char msg[256];
	v->un[0] = (plan_uncovered){2, 3, 0, "made up"};
	v->p.nuncovered = 1;
	v->p.nassign = 2;
	v->p.nstations = 1;
	CU_ASSERT_EQUAL(vcheck(v, msg), 1);
	CU_ASSERT_STRING_EQUAL(msg, "unit 'u2' is listed uncovered but a usable site reaches it");
	vfx_free(v);
}

/* u0 and u1 each served alone, both from u0's site: two stations at one
 * place (the existing station flagged empty), which the band forbids */
static void test_two_stations_one_site(void)
{
	vfx *v = vfx_new();
	char msg[256];
	v->st[0] = (plan_station){0, STATION_EXISTING, 0, 0, 1, "isolated", 0, 0};
	v->st[2] = (plan_station){1, STATION_URBAN, 2000, 1, 1, "isolated", 0, 0};
	v->st[3] = (plan_station){1, STATION_URBAN, 2000, 1, 1, "isolated", 0, 0};
	v->p.nstations = 4;
	v->as[0] = (plan_assign){0, 2, 2000, 0};
	v->as[1] = (plan_assign){1, 3, 2000, 200};
	CU_ASSERT_EQUAL(vcheck(v, msg), 1);
	CU_ASSERT_STRING_EQUAL(msg, "two stations on site 1");
	/* the same two stations on two sites pass */
	v->st[3].site = 2;
	v->as[1].distance_m = 0;
	CU_ASSERT_EQUAL(vcheck(v, msg), 0);
	vfx_free(v);
}

void verify_suite_setup(void)
{
	CU_SUITE_ADD("verify", NULL, NULL, CU_TEST_ENTRY(test_valid),
	             CU_TEST_ENTRY(test_station_count_mismatch),
	             CU_TEST_ENTRY(test_existing_missing), CU_TEST_ENTRY(test_over_max),
	             CU_TEST_ENTRY(test_under_min_unflagged), CU_TEST_ENTRY(test_out_of_reach),
	             CU_TEST_ENTRY(test_split_small_unit), CU_TEST_ENTRY(test_split_shares),
	             CU_TEST_ENTRY(test_uncovered_unjustified),
	             CU_TEST_ENTRY(test_two_stations_one_site));
}
