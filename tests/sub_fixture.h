/*
 * sub_fixture.h: sub-problems built from hand-made solver fixtures
 * (solver_fixture.h), for the suites of the solver internals below
 * solver_solve (cu_decompose.c, cu_cluster.c, cu_model.c, cu_heur.c).
 *
 *     hx *h = hx_new();
 *     pair_at(h, 2000, 0, 0);   a community of 2,000 with its own site
 *     hx_build(h);              reach, world, components: h->subs[0..h->n)
 *     ...
 *     hx_free(h);
 */
#ifndef STATIONPLAN_SUB_FIXTURE_H
#define STATIONPLAN_SUB_FIXTURE_H

#include <CUnit/CUnit.h>

#include "../solver/solver_int.h"
#include "solver_fixture.h"

typedef struct hx {
	fx f;
	sp_world w;
	sp_sub *subs;
	size_t n;
} hx;

/* An empty fixture, one thread (band 3,000-5,000, walk 1,000 m). */
static inline hx *hx_new(void)
{
	hx *h = calloc(1, sizeof(hx));
	fx_init(&h->f);
	h->f.sc.threads = 1;
	return h;
}

/* Reach, world and components of the fixture. */
static inline void hx_build(hx *h)
{
	fx_reach(&h->f);
	CU_ASSERT_EQUAL_FATAL(sp_world_init(&h->w, &h->f.in, &h->f.sites, &h->f.r, &h->f.sc), 0);
	CU_ASSERT_EQUAL_FATAL(decompose_components(&h->w, &h->subs, &h->n), 0);
}

static inline void hx_free(hx *h)
{
	for (size_t i = 0; i < h->n; i++)
		sp_sub_free(&h->subs[i]);
	free(h->subs);
	sp_world_free(&h->w);
	fx_free(&h->f);
	free(h);
}

/* An urban unit of hh households and its site, both at (x, y). */
static inline void pair_at(hx *h, long hh, double x, double y)
{
	int u = fx_unit(&h->f, hh, UNIT_URBAN, x, y);
	fx_site(&h->f, x, y, SITE_REPRESENTATIVE, u);
}

/* A built fixture of n communities, hh[i] households at xy[i], each with
 * its own site. */
static inline hx *hx_of(int n, const long *hh, const double (*xy)[2])
{
	hx *h = hx_new();
	for (int i = 0; i < n; i++)
		pair_at(h, hh[i], xy[i][0], xy[i][1]);
	hx_build(h);
	return h;
}

/* Four communities of 2,000 at the corners of a 200 m square. */
static inline hx *hx_corners(void)
{
	static const double xy[4][2] = {{0, 0}, {200, 0}, {0, 200}, {200, 200}};
	return hx_of(4, (const long[]){2000, 2000, 2000, 2000}, xy);
}

/* Three communities on the x axis at 0, step and 2 step metres: one sub
 * (fatal otherwise). */
static inline hx *hx_row3(long h0, long h1, long h2, double step)
{
	hx *h = hx_of(3, (const long[]){h0, h1, h2},
	              (const double[][2]){{0, 0}, {step, 0}, {2 * step, 0}});
	CU_ASSERT_EQUAL_FATAL(h->n, 1);
	return h;
}

#endif
