/*
 * rural.c: rural_solve(), the rural pre-pass (include/rural.h): one station
 * per administrative village, or stations shared by the villages of a
 * street.
 *
 * Sites: a village's own sites (site.unit = the village; existing stations
 * excepted, which stay with the station solver); distances from each
 * village's representative point (reach.ux/uy), straight line. Order is
 * deterministic: groups by code/street (strcmp), sites by index.
 *
 * shared, one GLPK model per street:
 *   min  W sum_s y_s + sum_vs h_v d_vs x_vs      (W > any walking total)
 *   s.t. sum_s x_vs = 1,  x_vs <= y_s,
 *        min_s y_s - u_s <= sum_v h_v x_vs <= max y_s
 * over the villages' representative-point sites, arcs within
 * rural_walk_distance_m (rules_rural_reaches), min_s = rural_households_min
 * unless fewer households are within reach of s (then 0: isolated). The
 * shortfall u_s >= 0 costs W / min per household (a station's worth for an
 * empty one), so a street whose villages cannot all fill the band still
 * has a plan. A village above the maximum keeps a station of its own.
 */
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "grow.h"
#include "clock.h"
#include "rural.h"
#include "solver_int.h"

static int add_station(rural_plan *rp, int site)
{
	if (grow_to(&rp->stations, rp->nstations + 1, sizeof(*rp->stations)) != 0)
		return -1;
	rp->stations[rp->nstations] = (rural_station){site, 0, 0};
	rp->taken[site] = 1;
	return (int)rp->nstations++;
}

static int add_assign(rural_plan *rp, const inputs *in, int u, int s, double d)
{
	if (grow_to(&rp->assign, rp->nassign + 1, sizeof(*rp->assign)) != 0)
		return -1;
	rp->assign[rp->nassign++] = (plan_assign){u, s, in->units[u].households, d};
	rp->stations[s].households += in->units[u].households;
	rp->stations[s].nunits++;
	return 0;
}

static int add_uncovered(rural_plan *rp, int u, const char *why)
{
	if (grow_to(&rp->uncovered, rp->nuncovered + 1, sizeof(*rp->uncovered)) != 0)
		return -1;
	plan_uncovered *g = &rp->uncovered[rp->nuncovered++];
	*g = (plan_uncovered){u, -1, -1, strdup(why)};
	return g->reason ? 0 : -1;
}

static double dist_to(const reach *r, int u, const site *s)
{
	return hypot(s->x - r->ux[u], s->y - r->uy[u]);
}

/* Villages planned here, ordered by (key, index); key per `by_street`. */
static const unit *sort_units;
static int sort_by_street;
static int village_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	const unit *ux = &sort_units[x], *uy = &sort_units[y];
	int c = sort_by_street ? strcmp(ux->street, uy->street)
	                       : strcmp(rules_admin_village(ux), rules_admin_village(uy));
	return c ? c : (x > y) - (x < y);
}

static int *villages_sorted(const inputs *in, const scenario *sc, int by_street, size_t *n)
{
	int *v = malloc((in->nunits + 1) * sizeof(int));
	*n = 0;
	if (!v)
		return NULL;
	for (size_t u = 0; u < in->nunits; u++)
		if (in->units[u].households > 0 && rules_unit_rural_apart(sc, in->units[u].kind))
			v[(*n)++] = (int)u;
	sort_units = in->units; /* single-threaded: the pre-pass runs before the solver */
	sort_by_street = by_street;
	qsort(v, *n, sizeof(int), village_cmp);
	return v;
}

/* one_per_admin_village: the exact 1-median of each administrative village. */
static status_code admin_villages(const inputs *in, const site_table *sites, const reach *r,
                                  rural_plan *rp, const int *v, size_t n, status *st)
{
	for (size_t a = 0; a < n;) {
		size_t b = a;
		const char *code = rules_admin_village(&in->units[v[a]]);
		while (b < n && !strcmp(code, rules_admin_village(&in->units[v[b]])))
			b++;
		int best = -1;
		double bestc = 0;
		for (size_t j = 0; j < sites->n; j++) {
			const site *s = &sites->sites[j];
			int inside = 0;
			for (size_t k = a; k < b && !inside; k++)
				inside = s->unit == v[k];
			if (!inside || s->source == SITE_EXISTING)
				continue;
			double c = 0;
			for (size_t k = a; k < b; k++)
				c += (double)in->units[v[k]].households * dist_to(r, v[k], s);
			if (best < 0 || c < bestc - 1e-9)
				best = (int)j, bestc = c;
		}
		rp->ngroups++;
		if (best < 0) {
			char why[512];
			snprintf(why, sizeof(why), "no site inside administrative village '%s'",
			         code);
			for (size_t k = a; k < b; k++)
				if (add_uncovered(rp, v[k], why))
					return status_fail(st, STATUS_INTERNAL, "out of memory");
		} else {
			int s = add_station(rp, best);
			for (size_t k = a; s >= 0 && k < b; k++)
				if (add_assign(rp, in, v[k], s,
				               dist_to(r, v[k], &sites->sites[best])))
					s = -1;
			if (s < 0)
				return status_fail(st, STATUS_INTERNAL, "out of memory");
			rp->objective += 1;
			rp->bound += 1;
		}
		a = b;
	}
	return STATUS_OK;
}

/* ---- shared: one model per street ---------------------------------------- */

typedef struct shared_job {
	int nv, ns;
	const long *h;    /* nv */
	const long *smin; /* ns: lower bound of a station's load */
	long smax;
	size_t narcs;
	const int *av, *as; /* arcs: village, site */
	const double *ad;
	double weight; /* W */
	double mip_gap, time_limit_s;
	double deadline; /* clock_now_s() the rural pre-pass ends by (0: none) */
	int *chosen;     /* out, nv: site */
	double obj, bound;
	int feasible, proven;
	char err[256];
} shared_job;

static int shared_run(void *arg)
{
	shared_job *j = arg;
	glp_prob *P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MIN);
	int ucol = glp_add_cols(P, j->ns + (int)j->narcs + j->ns) + j->ns + (int)j->narcs;
	for (int s = 0; s < j->ns; s++) {
		glp_set_col_kind(P, s + 1, GLP_BV);
		glp_set_obj_coef(P, s + 1, j->weight);
	}
	for (size_t a = 0; a < j->narcs; a++) {
		glp_set_col_kind(P, j->ns + (int)a + 1, GLP_BV);
		glp_set_obj_coef(P, j->ns + (int)a + 1, (double)j->h[j->av[a]] * j->ad[a]);
	}
	for (int s = 0; s < j->ns; s++) { /* shortfall under the minimum */
		glp_set_col_bnds(P, ucol + s, GLP_LO, 0, 0);
		glp_set_obj_coef(P, ucol + s, j->smin[s] > 0 ? j->weight / (double)j->smin[s] : 0);
	}
	size_t room = j->narcs + (size_t)j->ns + 3;
	int *ind = malloc(room * sizeof(int));
	double *val = malloc(room * sizeof(double));
	if (!ind || !val) {
		free(ind), free(val);
		glp_delete_prob(P);
		snprintf(j->err, sizeof(j->err), "out of memory");
		return -1;
	}
	for (int v = 0; v < j->nv; v++) { /* every village once */
		int n = 0;
		for (size_t a = 0; a < j->narcs; a++)
			if (j->av[a] == v)
				ind[++n] = j->ns + (int)a + 1, val[n] = 1;
		if (!n)
			continue; /* a village planned alone (too big, or no site) */
		int row = glp_add_rows(P, 1);
		glp_set_row_bnds(P, row, GLP_FX, 1, 1);
		glp_set_mat_row(P, row, n, ind, val);
	}
	for (size_t a = 0; a < j->narcs; a++) { /* x <= y */
		int row = glp_add_rows(P, 1);
		ind[1] = j->ns + (int)a + 1, val[1] = 1;
		ind[2] = j->as[a] + 1, val[2] = -1;
		glp_set_row_bnds(P, row, GLP_UP, 0, 0);
		glp_set_mat_row(P, row, 2, ind, val);
	}
	for (int s = 0; s < j->ns; s++) /* the band */
		for (int side = 0; side < 2; side++) {
			int n = 0;
			for (size_t a = 0; a < j->narcs; a++)
				if (j->as[a] == s)
					ind[++n] = j->ns + (int)a + 1,
					val[n] = (double)j->h[j->av[a]];
			ind[++n] = s + 1;
			val[n] = side ? -(double)j->smax : -(double)j->smin[s];
			if (!side)
				ind[++n] = ucol + s, val[n] = 1;
			int row = glp_add_rows(P, 1);
			glp_set_row_bnds(P, row, side ? GLP_UP : GLP_LO, 0, 0);
			glp_set_mat_row(P, row, n, ind, val);
		}
	free(ind), free(val);
	int ret, mst;
	int r = glpk_bridge_mip(P, GLP_PRIMAL, j->mip_gap, j->deadline, j->time_limit_s, &j->obj,
	                        &j->bound, &ret, &mst, j->err, sizeof(j->err));
	if (r < 0) {
		glp_delete_prob(P);
		return -1;
	}
	j->feasible = r == 1;
	if (j->feasible) {
		j->proven = j->obj - j->bound <= j->mip_gap * fabs(j->obj) + 1e-6;
		for (size_t a = 0; a < j->narcs; a++)
			if (glp_mip_col_val(P, j->ns + (int)a + 1) > 0.5)
				j->chosen[j->av[a]] = j->as[a];
	}
	glp_delete_prob(P);
	return 0;
}

/* The villages v[a..b) of one street. */
static status_code shared_street(const inputs *in, const site_table *sites, const reach *r,
                                 const scenario *sc, rural_plan *rp, const int *v, size_t nv,
                                 double deadline, status *st)
{
	rules_band band = rules_rural_band(sc);
	status_code rc = STATUS_OK;
	int *site = malloc((nv + 1) * sizeof(int)), *big = calloc(nv + 1, sizeof(int));
	long *h = malloc((nv + 1) * sizeof(long)), *smin = calloc(nv + 1, sizeof(long));
	size_t cap = nv * nv + 1, narcs = 0;
	int *av = malloc(cap * sizeof(int)), *as = malloc(cap * sizeof(int));
	int *chosen = malloc((nv + 1) * sizeof(int));
	double *ad = malloc(cap * sizeof(double));
	if (!site || !big || !h || !smin || !av || !as || !ad || !chosen) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	/* each village's representative-point site (lowest site index inside it) */
	int ns = 0;
	for (size_t k = 0; k < nv; k++) {
		site[k] = -1;
		h[k] = in->units[v[k]].households;
		chosen[k] = -1;
		for (size_t j = 0; j < sites->n && site[k] < 0; j++)
			if (sites->sites[j].unit == v[k] &&
			    sites->sites[j].source == SITE_REPRESENTATIVE)
				site[k] = (int)j;
	}
	double wsum = 0;
	for (size_t k = 0; k < nv; k++) {
		if (site[k] < 0 || rules_band_over(band, h[k])) {
			big[k] = 1; /* planned alone below */
			continue;
		}
		for (size_t s = 0; s < nv; s++) {
			if (site[s] < 0 || big[s] || rules_band_over(band, h[s]))
				continue;
			double d = dist_to(r, v[k], &sites->sites[site[s]]);
			if (!rules_rural_reaches(sc, d, s == k))
				continue;
			av[narcs] = (int)k, as[narcs] = (int)s, ad[narcs] = d;
			smin[s] += h[k];
			wsum += (double)h[k] * d;
			narcs++;
		}
	}
	for (size_t s = 0; s < nv; s++) /* isolated sites may stay under the minimum */
		smin[s] = rules_site_isolated(band, smin[s]) ? 0 : band.min;
	ns = (int)nv;
	shared_job j = {.nv = (int)nv,
	                .ns = ns,
	                .h = h,
	                .smin = smin,
	                .smax = band.max,
	                .narcs = narcs,
	                .av = av,
	                .as = as,
	                .ad = ad,
	                .weight = wsum + 1,
	                .mip_gap = sc->mip_gap,
	                .time_limit_s = sc->time_limit_s,
	                .deadline = deadline,
	                .chosen = chosen};
	int any = 0;
	for (size_t k = 0; k < nv; k++)
		any |= !big[k];
	if (any) {
		if (glpk_bridge_call(shared_run, &j, j.err, sizeof(j.err)) != 0) {
			rc = status_fail(st, STATUS_INTERNAL, "rural = shared, street '%s': %s",
			                 in->units[v[0]].street, j.err);
			goto out;
		}
		if (!j.feasible) {
			/* every village can stand alone (its own site, isolated), so this
			 * is a band that no grouping fits: a data problem */
			rc = status_fail(
			    st, STATUS_INPUT,
			    "rural = shared, street '%s': no grouping of its villages fits "
			    "rural_households_min = %ld",
			    in->units[v[0]].street, band.min);
			goto out;
		}
		/* objective in stations (+ walking / W), so the counts add up */
		rp->objective += j.obj / j.weight;
		rp->bound += j.bound / j.weight;
		rp->proven &= j.proven;
	}
	int *st_of = malloc((nv + 1) * sizeof(int));
	if (!st_of) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t s = 0; s < nv; s++)
		st_of[s] = -1;
	for (size_t k = 0; k < nv && rc == STATUS_OK; k++) {
		int s = big[k] ? (int)k : chosen[k];
		if (big[k] && site[k] < 0) {
			if (add_uncovered(rp, v[k], "no site inside the village"))
				rc = status_fail(st, STATUS_INTERNAL, "out of memory");
			continue;
		}
		if (big[k])
			rp->objective += 1, rp->bound += 1;
		if (st_of[s] < 0 && (st_of[s] = add_station(rp, site[s])) < 0)
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		else if (add_assign(rp, in, v[k], st_of[s],
		                    dist_to(r, v[k], &sites->sites[site[s]])))
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	free(st_of);
out:
	free(site), free(big), free(h), free(smin), free(av), free(as), free(ad), free(chosen);
	return rc;
}

status_code rural_solve(const inputs *in, const site_table *sites, const reach *r,
                        const scenario *sc, rural_plan *out, status *st)
{
	memset(out, 0, sizeof(*out));
	out->proven = 1;
	if (sc->rural != RURAL_ONE_PER_ADMIN_VILLAGE && sc->rural != RURAL_SHARED)
		return STATUS_OK;
	size_t n;
	int by_street = sc->rural == RURAL_SHARED;
	/* every street's search within one solver.time_limit_s */
	double deadline = clock_now_s() + sc->time_limit_s;
	int *v = villages_sorted(in, sc, by_street, &n);
	if (!v || !(out->taken = calloc(sites->n + 1, 1))) {
		free(v);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	status_code rc = STATUS_OK;
	if (!by_street)
		rc = admin_villages(in, sites, r, out, v, n, st);
	for (size_t a = 0; by_street && a < n && rc == STATUS_OK;) {
		size_t b = a;
		while (b < n && !strcmp(in->units[v[a]].street, in->units[v[b]].street))
			b++;
		out->ngroups++;
		rc = shared_street(in, sites, r, sc, out, v + a, b - a, deadline, st);
		a = b;
	}
	free(v);
	return rc;
}

void rural_plan_free(rural_plan *rp)
{
	for (size_t u = 0; u < rp->nuncovered; u++)
		free(rp->uncovered[u].reason);
	free(rp->stations), free(rp->assign), free(rp->uncovered), free(rp->taken);
	memset(rp, 0, sizeof(*rp));
}
