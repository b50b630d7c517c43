/*
 * rural.h: the rural pre-pass (solver/rural.c, solver/rural_merge.c) for
 * rural = one_per_admin_village and rural = shared.
 *
 * The villages these rules plan are placed first, in sub-problems of their
 * own; the station solver then runs on *views* of its inputs in which those
 * villages have no households and the sites they took are out of reach, so
 * it needs no change; rural_merge() finally adds the villages' stations and
 * assignments to its plan, keeping the plan's order (stations by site,
 * assignments by unit then station).
 *
 *   one_per_admin_village  (Yinchuan 一村一点) the natural villages carrying
 *                          one administrative village code get one station,
 *                          at the site inside one of them that minimises
 *                          the households' walking (an exact 1-median)
 *   shared                 (Dalian appendix 2) the villages of a street share
 *                          stations at their representative points: a
 *                          village goes whole to a station within
 *                          rural_walk_distance_m (or inside it), a station
 *                          holds rural_households_min..max households (less
 *                          when too few are within reach); fewest stations,
 *                          then least walking (GLPK, proven bound)
 */
#ifndef STATIONPLAN_RURAL_H
#define STATIONPLAN_RURAL_H

#include <stddef.h>

#include "inputs.h"
#include "plan.h"
#include "reach.h"
#include "scenario.h"
#include "sites.h"
#include "status.h"

typedef struct rural_station {
	int site;
	long households;
	int nunits;
} rural_station;

typedef struct rural_plan {
	size_t nstations, nassign, nuncovered;
	rural_station *stations;
	plan_assign *assign;       /* station = index into `stations` */
	plan_uncovered *uncovered; /* reason owned */
	unsigned char *taken;      /* per site: 1 when a rural station stands there */
	size_t ngroups;            /* administrative villages or streets solved */
	double objective, bound;   /* stations (shared: + walking term), proven bound */
	int proven;
} rural_plan;

/* Plan the villages of rural = one_per_admin_village or shared (a no-op
 * returning STATUS_OK otherwise). STATUS_INTERNAL on a GLPK or memory
 * failure. Caller frees `out` with rural_plan_free() in every case. */
status_code rural_solve(const inputs *in, const site_table *sites, const reach *r,
                        const scenario *sc, rural_plan *out, status *st);

/* The station solver's views: `in_view` is `in` with the villages planned
 * here at 0 households (its units array is new, the strings borrowed);
 * `r_view` is `r` without the pairs to the sites taken here. Free with
 * rural_views_free(). STATUS_INTERNAL out of memory. */
status_code rural_views(const inputs *in, const reach *r, const rural_plan *rp, inputs *in_view,
                        reach *r_view, status *st);
void rural_views_free(inputs *in_view, reach *r_view);

/* Add the rural stations, assignments and uncovered villages to `p` (the
 * station solver's plan), re-sorting as plan.h promises, and account for
 * them in its objective, bound and proof. STATUS_INTERNAL out of memory. */
status_code rural_merge(const rural_plan *rp, const scenario *sc, plan *p, status *st);

void rural_plan_free(rural_plan *rp);

#endif
