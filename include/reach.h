/*
 * reach.h: walking reach, the second input of the solver.
 *
 * reach_build() lists every (unit, site) pair within the walking distance
 * with a spatial index, never an n*m loop. It uses GEOS through the
 * reentrant API only (src/geom/geos_ctx.c) and never calls GDAL.
 */
#ifndef STATIONPLAN_REACH_H
#define STATIONPLAN_REACH_H

#include <stddef.h>

#include "inputs.h"
#include "scenario.h"
#include "sites.h"
#include "status.h"
#include "unit_geom.h"

/* Sparse reach: for unit i, its pairs are [start[i], start[i+1]), sorted by
 * distance then site index. Distance is from the unit's demand location: the
 * representative point, or with demand_points = samples the household-weighted
 * mean over interior sample points. A pair is listed when that distance is
 * <= walk_distance_m; for a village under rural = one_per_village, every
 * site inside the village is listed too, whatever its distance (a large
 * village must still get its own station; `inside` marks such pairs). */
typedef struct reach {
	size_t nunits;
	size_t npairs;
	size_t *start;   /* nunits + 1 */
	int *site;       /* npairs */
	double *dist;    /* npairs, metres */
	double *ux, *uy; /* nunits: representative point of each unit */
	/* nunits, filled for every unit: the site nearest to the representative
	 * point and the unit's distance to it (as in `dist`); -1 and -1 when
	 * there is no site at all. Gives the reason of an uncovered unit. */
	int *nearest;
	double *nearest_dist;
	unsigned char *inside; /* npairs: 1 when the site lies in the unit (site.unit) */
	size_t nsamples;       /* demand points used, all units together */

	/* With input.roads (src/geom/reach_net.c): `dist` is the walk along the
	 * streets from the representative point, and these are set. */
	int network;                   /* 1: distances along the streets, 0: straight lines */
	struct network *net;           /* owned: the streets, for reach_routes() */
	char **why;                    /* nunits, or NULL: why a unit has no pair when the streets
	                                  are the reason (owned strings, NULL for other units) */
	size_t npairs_straight;        /* pairs the straight-line reach would have */
	size_t ngained, nlost;         /* pairs only along the streets / only straight */
	size_t nunits_off, nsites_off; /* points farther than roads_snap_m from a street */
	double net_seconds;            /* building the streets and searching them */
	/* The upper levels' places on the same streets: place i of level l is
	 * network point lv_point[lv_start[l] + i], -1 for a place not eligible
	 * (points 0.. are the units, then the sites). NULL without levels. */
	size_t nlevels;
	size_t *lv_start; /* nlevels + 1 */
	int *lv_point;
	size_t nplaces_off; /* eligible level places farther than roads_snap_m */

	/* Walking routes of chosen pairs (reach_routes), NULL without streets:
	 * route k has the vertices [route_start[k], route_start[k+1]) of
	 * route_xy (x, y pairs); fewer than two vertices: nothing to draw. */
	size_t nroutes;
	size_t *route_start;
	double *route_xy;
} reach;

/* Build the reach pairs within sc->walk_distance_m (rules in src/geom/reach.c)
 * from the demand locations of the prepared units `ug` (unit_geom_prepare()
 * of the same `in` and `sc`; parameters validated by scenario_validate()).
 * Returns STATUS_OK, or STATUS_INPUT / STATUS_INTERNAL with `st` set and
 * `out` left empty. A unit with no pair is not an error. Caller frees with
 * reach_free(). */
status_code reach_build(const inputs *in, const site_table *sites, const scenario *sc,
                        const unit_geom *ug, reach *out, status *st);
void reach_free(reach *r);

/* The walking routes of n (unit, site) pairs along the streets, into
 * r->route_start / route_xy (replacing earlier ones): the shortest walk
 * from the unit's demand point to the site, or a straight segment for a
 * pair whose distance is a straight line's (roads_fallback = straight, a
 * village's own site beyond the radius) or that is not in reach. Does nothing
 * without streets (r->network == 0). Returns STATUS_OK or STATUS_INTERNAL
 * (out of memory). */
status_code reach_routes(reach *r, size_t n, const int *unit, const int *site,
                         const site_table *sites, status *st);

/* The distance of the upper levels along the streets of `r` (src/geom/
 * reach_levels.c): what levels_solve() takes as `dist`. The caller keeps
 * `ctx` (filled here) alive while `out` is in use. Without streets
 * (r->network == 0) *out is the straight line. */
struct levels_distance; /* levels.h */
struct levels_result;
typedef struct reach_levels {
	const reach *r;
	const site_table *sites;
	int fallback; /* roads_fallback = straight */
	int threads;  /* solver.threads, 0 = one per core */
	double time_limit_s;
} reach_levels;
void reach_levels_distance(const reach *r, const site_table *sites, const scenario *sc,
                           reach_levels *ctx, struct levels_distance *out);

/* The walk of every flow of every level in `lv` (placed with
 * reach_levels_distance()) into lv->lv[l].route_start / route_xy: the
 * shortest walk from the lower facility to the upper one, or a straight
 * segment for a flow whose distance is a straight line's. Nothing without
 * streets. Returns STATUS_OK or STATUS_INTERNAL (out of memory). */
status_code reach_levels_routes(const reach_levels *ctx, struct levels_result *lv, status *st);

#endif
