/*
 * solver_fixture.h: solver inputs built by hand in C (no file, GDAL or
 * GEOS), shared by tests/cu_solver.c and tests/cu_verify.c.
 *
 * Units are points with households; sites are points with a source and the
 * unit containing them; fx_reach() lists every (unit, site) pair within the
 * walking distance by brute force, plus, for villages, every site inside
 * them (as src/geom/reach.c does), sorted by distance then site index.
 */
#ifndef STATIONPLAN_SOLVER_FIXTURE_H
#define STATIONPLAN_SOLVER_FIXTURE_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "solver.h"

#define FX_MAX 512

typedef struct fx {
	inputs in;
	site_table sites;
	reach r;
	scenario sc;
	status st;
	unit units[FX_MAX];
	double ux[FX_MAX], uy[FX_MAX];
	site site_buf[4 * FX_MAX];
	char names[FX_MAX][16];
} fx;

static inline void fx_init(fx *f)
{
	memset(f, 0, sizeof(*f));
	status_init(&f->st);
	scenario_init(&f->sc, &f->st);
	f->in.units = f->units;
	f->sites.sites = f->site_buf;
}

static inline int fx_unit(fx *f, long h, unit_kind kind, double x, double y)
{
	int i = (int)f->in.nunits++;
	snprintf(f->names[i], sizeof(f->names[i]), "u%d", i);
	f->units[i] = (unit){.id = f->names[i],
	                     .name = f->names[i],
	                     .district = "",
	                     .street = "",
	                     .kind = kind,
	                     .households = h,
	                     .fid = i};
	f->ux[i] = x;
	f->uy[i] = y;
	return i;
}

static inline int fx_site(fx *f, double x, double y, site_source src, int unit)
{
	int j = (int)f->sites.n++;
	f->site_buf[j] = (site){.x = x, .y = y, .source = src, .unit = unit, .src_fid = -1};
	return j;
}

typedef struct fx_pair {
	int site;
	double d;
} fx_pair;

static inline int fx_cmp_pair(const void *a, const void *b)
{
	const fx_pair *x = a, *y = b;
	if (x->d != y->d)
		return x->d < y->d ? -1 : 1;
	return (x->site > y->site) - (x->site < y->site);
}

static inline void fx_reach(fx *f)
{
	reach *r = &f->r;
	size_t n = f->in.nunits, m = f->sites.n;
	r->nunits = n;
	r->start = calloc(n + 1, sizeof(size_t));
	r->site = malloc((n * m + 1) * sizeof(int));
	r->dist = malloc((n * m + 1) * sizeof(double));
	r->inside = calloc(n * m + 1, 1);
	r->nearest = malloc((n + 1) * sizeof(int));
	r->nearest_dist = malloc((n + 1) * sizeof(double));
	r->ux = f->ux;
	r->uy = f->uy;
	fx_pair *tmp = malloc((m + 1) * sizeof(fx_pair));
	for (size_t u = 0; u < n; u++) {
		size_t k = 0;
		r->nearest[u] = -1;
		r->nearest_dist[u] = -1;
		for (size_t j = 0; j < m; j++) {
			double d = hypot(f->site_buf[j].x - f->ux[u], f->site_buf[j].y - f->uy[u]);
			if (r->nearest[u] < 0 || d < r->nearest_dist[u]) {
				r->nearest[u] = (int)j;
				r->nearest_dist[u] = d;
			}
			int inside = f->site_buf[j].unit == (int)u;
			if (d <= f->sc.walk_distance_m ||
			    (inside && f->units[u].kind == UNIT_RURAL))
				tmp[k++] = (fx_pair){(int)j, d};
		}
		qsort(tmp, k, sizeof(fx_pair), fx_cmp_pair);
		for (size_t q = 0; q < k; q++) {
			r->site[r->npairs] = tmp[q].site;
			r->dist[r->npairs] = tmp[q].d;
			r->inside[r->npairs] = f->site_buf[tmp[q].site].unit == (int)u;
			r->npairs++;
		}
		r->start[u + 1] = r->npairs;
	}
	free(tmp);
}

static inline void fx_free(fx *f)
{
	free(f->r.start);
	free(f->r.site);
	free(f->r.dist);
	free(f->r.inside);
	free(f->r.nearest);
	free(f->r.nearest_dist);
	scenario_free(&f->sc);
	status_free(&f->st);
}

static inline status_code fx_solve(fx *f, plan *p)
{
	fx_reach(f);
	return solver_solve(&f->in, &f->sites, &f->r, &f->sc, p, &f->st);
}

#endif
