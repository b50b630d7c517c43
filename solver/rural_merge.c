/*
 * rural_merge.c: how the rural pre-pass meets the station solver
 * (include/rural.h): the solver's views of its inputs, and the merge of
 * the rural stations into its plan.
 *
 * The solver already skips units without households and sites out of
 * reach, so the views are all it needs: the villages planned apart at 0
 * households, and no pair to a site a rural station took (so no urban
 * station lands on it: one station per site). The merge keeps plan.h's
 * order: stations by site index (their ids), assignments by unit then
 * station, uncovered units by unit.
 */
#include <stdlib.h>
#include <string.h>

#include "rural.h"
#include "grow.h"
#include "solver_int.h"

status_code rural_views(const inputs *in, const reach *r, const rural_plan *rp, inputs *in_view,
                        reach *r_view, status *st)
{
	*in_view = *in;
	*r_view = *r;
	in_view->units = malloc((in->nunits + 1) * sizeof(unit));
	r_view->start = malloc((r->nunits + 1) * sizeof(size_t));
	r_view->site = malloc((r->npairs + 1) * sizeof(int));
	r_view->dist = malloc((r->npairs + 1) * sizeof(double));
	r_view->inside = malloc(r->npairs + 1);
	if (!in_view->units || !r_view->start || !r_view->site || !r_view->dist ||
	    !r_view->inside) {
		rural_views_free(in_view, r_view);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	memcpy(in_view->units, in->units, in->nunits * sizeof(unit));
	/* the villages the pre-pass planned (served or uncovered) */
	for (size_t a = 0; a < rp->nassign; a++)
		in_view->units[rp->assign[a].unit].households = 0;
	for (size_t a = 0; a < rp->nuncovered; a++)
		in_view->units[rp->uncovered[a].unit].households = 0;
	size_t n = 0;
	r_view->start[0] = 0;
	for (size_t u = 0; u < r->nunits; u++) {
		for (size_t q = r->start[u]; q < r->start[u + 1]; q++) {
			if (rp->taken && rp->taken[r->site[q]])
				continue;
			r_view->site[n] = r->site[q];
			r_view->dist[n] = r->dist[q];
			r_view->inside[n] = r->inside[q];
			n++;
		}
		r_view->start[u + 1] = n;
	}
	r_view->npairs = n;
	return STATUS_OK;
}

void rural_views_free(inputs *in_view, reach *r_view)
{
	free(in_view->units);
	free(r_view->start), free(r_view->site), free(r_view->dist), free(r_view->inside);
	memset(in_view, 0, sizeof(*in_view));
	memset(r_view, 0, sizeof(*r_view));
}

static const plan_station *cmp_stations;
static int station_cmp(const void *a, const void *b)
{
	int x = cmp_stations[*(const int *)a].site, y = cmp_stations[*(const int *)b].site;
	return (x > y) - (x < y);
}

status_code rural_merge(const rural_plan *rp, const scenario *sc, plan *p, status *st)
{
	if (!rp->nstations && !rp->nuncovered)
		return STATUS_OK;
	size_t ns = p->nstations + rp->nstations, na = p->nassign + rp->nassign;
	size_t nu = p->nuncovered + rp->nuncovered;
	int grown = grow_to(&p->stations, ns + 1, sizeof(*p->stations)) |
	            grow_to(&p->assign, na + 1, sizeof(*p->assign)) |
	            grow_to(&p->uncovered, nu + 1, sizeof(*p->uncovered));
	int *perm = malloc((ns + 1) * sizeof(int)), *inv = malloc((ns + 1) * sizeof(int));
	plan_station *sorted = malloc((ns + 1) * sizeof(*sorted));
	if (grown != 0 || !perm || !inv || !sorted) {
		free(perm), free(inv), free(sorted);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	size_t base = p->nstations;
	for (size_t s = 0; s < rp->nstations; s++) {
		char *why = strdup("");
		if (!why) {
			free(perm), free(inv), free(sorted);
			return status_fail(st, STATUS_INTERNAL, "out of memory");
		}
		p->stations[p->nstations++] = (plan_station){rp->stations[s].site,
		                                             STATION_VILLAGE,
		                                             rp->stations[s].households,
		                                             rp->stations[s].nunits,
		                                             0,
		                                             why,
		                                             -1,
		                                             0};
	}
	for (size_t a = 0; a < rp->nassign; a++) {
		plan_assign pa = rp->assign[a];
		pa.station += (int)base;
		p->assign[p->nassign++] = pa;
	}
	for (size_t u = 0; u < rp->nuncovered; u++) {
		plan_uncovered pu = rp->uncovered[u];
		if (!(pu.reason = strdup(pu.reason))) {
			free(perm), free(inv), free(sorted);
			return status_fail(st, STATUS_INTERNAL, "out of memory");
		}
		p->uncovered[p->nuncovered++] = pu;
	}
	/* stations by site index, assignments by (unit, station) */
	for (size_t s = 0; s < ns; s++)
		perm[s] = (int)s;
	cmp_stations = p->stations;
	qsort(perm, ns, sizeof(int), station_cmp);
	for (size_t s = 0; s < ns; s++)
		sorted[s] = p->stations[perm[s]], inv[perm[s]] = (int)s;
	memcpy(p->stations, sorted, ns * sizeof(*sorted));
	for (size_t a = 0; a < na; a++)
		p->assign[a].station = inv[p->assign[a].station];
	qsort(p->assign, na, sizeof(*p->assign), assemble_assign_cmp);
	qsort(p->uncovered, nu, sizeof(*p->uncovered), assemble_uncovered_cmp);
	free(perm), free(inv), free(sorted);

	/* the rural stations count in the plan's objective under min_stations */
	if (sc->objective == OBJECTIVE_MIN_STATIONS) {
		p->objective += rp->objective;
		p->bound += rp->bound;
		p->gap = p->objective > 0 ? (p->objective - p->bound) / p->objective : 0;
	}
	if (!rp->proven) {
		p->proven = 0;
		snprintf(p->status, sizeof(p->status), "%s", "feasible");
	}
	return STATUS_OK;
}
