/*
 * bf_enum.c: the brute-force enumeration shared by the column generation
 * and walking suites (see bf_enum.h): restricted growth strings give every
 * partition of the units once, then every injective choice of sites for
 * the groups, pruned by the best cost found so far; and the small random
 * instances both suites draw.
 */
#include <assert.h>

#include "bf_enum.h"

typedef struct bf {
	const fx *f;
	const bf_objective *ob;
	int n, ns;
	int grp[16], ngrp;
	double best;
} bf;

static double bf_dist(const bf *b, int u, int j)
{
	const site *si = &b->f->sites.sites[j];
	return hypot(si->x - b->f->ux[u], si->y - b->f->uy[u]);
}

/* Households within reach of site j (its isolation). */
static long bf_reach(const bf *b, int j)
{
	long h = 0;
	for (int u = 0; u < b->n; u++)
		if (bf_dist(b, u, j) <= b->f->sc.walk_distance_m)
			h += b->f->units[u].households;
	return h;
}

/* Cheapest distinct sites for groups g.. (sites used marked); `under`
 * avoidably underfilled groups and `cost` so far. */
static void bf_sites(bf *b, int g, unsigned used, long under, double cost)
{
	const scenario *sc = &b->f->sc;
	if (cost >= b->best - 1e-12 || under > b->ob->budget)
		return;
	if (g == b->ngrp) {
		b->best = cost;
		return;
	}
	for (int j = 0; j < b->ns; j++) {
		if (used & (1u << j))
			continue;
		long load = 0;
		double wd = 0;
		int ok = 1;
		for (int u = 0; u < b->n && ok; u++) {
			if (b->grp[u] != g)
				continue;
			double d = bf_dist(b, u, j);
			ok = d <= sc->walk_distance_m;
			load += b->f->units[u].households;
			wd += (double)b->f->units[u].households * d;
		}
		if (!ok || load > sc->households_max)
			continue;
		int un = load < sc->households_min && bf_reach(b, j) >= sc->households_min;
		double c = b->ob->station + (un ? b->ob->penalty : 0);
		bf_sites(b, g + 1, used | (1u << j), under + un, cost + c + wd / b->ob->dscale);
	}
}

/* Restricted growth strings: unit u joins a group 0..ngrp. */
static void bf_part(bf *b, int u)
{
	if (u == b->n) {
		bf_sites(b, 0, 0, 0, 0);
		return;
	}
	for (int g = 0; g <= b->ngrp; g++) {
		b->grp[u] = g;
		int grown = g == b->ngrp;
		b->ngrp += grown;
		bf_part(b, u + 1);
		b->ngrp -= grown;
	}
}

double bf_enum_best(const fx *f, const bf_objective *ob)
{
	bf b = {.f = f, .ob = ob, .n = (int)f->in.nunits, .ns = (int)f->sites.n, .best = INFINITY};
	assert(b.n <= 16 && b.ns <= 32);
	bf_part(&b, 0);
	return b.best;
}

unsigned long bf_enum_lcg(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

void bf_enum_instance(fx *f, unsigned long seed, int n, unsigned long side, long h0,
                      unsigned long hspan)
{
	unsigned long s = seed;
	for (int i = 0; i < n; i++) {
		double x = (double)(bf_enum_lcg(&s) % side), y = (double)(bf_enum_lcg(&s) % side);
		long h = h0 + (long)(bf_enum_lcg(&s) % hspan);
		int u = fx_unit(f, h, UNIT_URBAN, x, y);
		fx_site(f, x, y, SITE_REPRESENTATIVE, u);
	}
	for (int e = 0; e < 2; e++)
		fx_site(f, (double)(bf_enum_lcg(&s) % side), (double)(bf_enum_lcg(&s) % side),
		        SITE_GRID, -1);
}

void bf_enum_grid(fx *f, const bf_grid *g)
{
	unsigned long s = g->seed;
	for (int i = 0; i < g->side; i++)
		for (int k = 0; k < g->side; k++) {
			double x = g->step * i + (double)(bf_enum_lcg(&s) % g->jitter),
			       y = g->step * k + (double)(bf_enum_lcg(&s) % g->jitter);
			int u = fx_unit(f, g->h0 + (long)(bf_enum_lcg(&s) % g->hspan), UNIT_URBAN,
			                x, y);
			fx_site(f, x, y, SITE_REPRESENTATIVE, u);
			fx_site(f, x + g->site_offset, y + g->site_offset, SITE_GRID, u);
		}
}

int bf_enum_subs(fx *f, sp_world *w, sp_sub **subs, size_t *n)
{
	fx_reach(f);
	if (sp_world_init(w, &f->in, &f->sites, &f->r, &f->sc) < 0)
		return -1;
	return decompose_components(w, subs, n);
}

void bf_enum_subs_free(sp_world *w, sp_sub *subs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sp_sub_free(&subs[i]);
	free(subs);
	sp_world_free(w);
}

void bf_enum_sub_xy(const fx *f, const sp_sub *s, double *ux, double *uy)
{
	for (int u = 0; u < s->nu; u++) {
		ux[u] = f->ux[s->unit[u]];
		uy[u] = f->uy[s->unit[u]];
	}
}
