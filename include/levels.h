/*
 * levels.h: the upper levels of the network above the stations: transfer
 * stations, sorting centres, markets, ... one per [level.NAME] section,
 * bottom to top (scenario_level in scenario.h).
 *
 * Three stages, one per floor, as for the stations:
 *   io/read_levels.c        reads each level's candidates, parcels and
 *                           existing facilities into inputs.levels (places)
 *   src/geom/levels_places.c  repairs parcels (MakeValid), measures them,
 *                           drops those under min_area_m2, puts each place
 *                           at its representative point and in its group
 *                           (district and street of the unit holding it)
 *   solver/levels.c         assigns each level from the level below with
 *                           loads (capacitated p-median in GLPK) and fills
 *                           a levels_result, which io writes as layers;
 *                           with [phases], solver/levels_phases.c then
 *                           gives each facility the year it opens (nested
 *                           subsets of that placement under the level
 *                           budgets of include/phases.h)
 */
#ifndef STATIONPLAN_LEVELS_H
#define STATIONPLAN_LEVELS_H

#include <stddef.h>

#include "inputs.h"
#include "plan.h"
#include "scenario.h"
#include "sites.h"
#include "status.h"

/* A place where a facility of a level may go. */
typedef struct level_place {
	double x, y;        /* working CRS; for a parcel its representative point */
	char *id;           /* id field or "id" of its layer, else the fid as text; owned */
	long long fid;      /* feature id in its layer */
	int existing;       /* 1: from the level's `existing` layer, kept open */
	int eligible;       /* 0: a parcel under min_area_m2 (kept for the count only) */
	double area_m2;     /* parcel area after MakeValid, 0 for a point */
	unsigned char *wkb; /* the parcel (valid, working CRS), NULL for a point; owned */
	size_t wkb_size;
	const char *district; /* of the unit holding the place, "" when none; borrowed */
	const char *street;
} level_place;

/* What io read for one level (inputs.levels[i] for sc->levels[i]). */
typedef struct level_input {
	size_t nplaces;
	level_place *places; /* candidates or parcels in layer order, then existing */
	size_t nsmall;       /* parcels under min_area_m2 */
	char *label;         /* "path:layer" of the candidates/parcels, "" for at = ... */
} level_input;

/* Which point a node or place of a level stands on, for a network
 * distance: site `index` (a station's) when level = -1, else place `index`
 * of level `level` (inputs.levels[level].places). */
typedef struct levels_ref {
	int level, index;
} levels_ref;

/* A point the distances run between. */
typedef struct levels_point {
	double x, y;
	levels_ref ref;
} levels_point;

/* Straight-line distance by default (fn); the roads feature adds `table`,
 * distances along the streets (src/geom/levels_net.c). fn must be
 * symmetric, >= 0 and deterministic. table, when set, replaces fn: it
 * fills d[i * nto + j] with the distance from from[i] to to[j] (the lower
 * facility to the upper place), -1 when to[j] cannot be reached within
 * `cutoff` (INFINITY: no bound), deterministic whatever the threads; it
 * returns STATUS_OK, STATUS_INPUT when `deadline` (clock_now_s(), 0: none)
 * passed (a named error), STATUS_INTERNAL out of memory. `what` names the
 * distance in reasons: NULL straight lines, "street network" along it. */
typedef struct levels_distance {
	double (*fn)(void *ctx, double x1, double y1, double x2, double y2);
	void *ctx;
	status_code (*table)(void *ctx, size_t nfrom, const levels_point *from, size_t nto,
	                     const levels_point *to, double cutoff, double deadline, double *d,
	                     status *st);
	const char *what;
} levels_distance;

/* One facility of a level. */
typedef struct level_facility {
	double x, y;
	char place_id[64]; /* id of its place; with at = ..., the lower facility's id */
	int place;         /* index into the level's places, or of the lower facility */
	const char *district, *street, *group; /* borrowed */
	long households;                       /* load routed to it */
	int lower;                             /* lower facilities routed to it */
	int existing;
	double mean_distance_m;   /* load-weighted mean distance of its flows */
	double area_m2;           /* parcel area, 0 for a point */
	const unsigned char *wkb; /* parcel, borrowed; NULL */
	size_t wkb_size;
	int phase; /* [phases]: year it opens, 0 existing, -1 in no phase (solver/levels_phases.c)
	            */
	levels_ref ref; /* the point it stands on (a site or a level place) */
} level_facility;

/* One lower facility routed to an upper one. `from` indexes plan.stations
 * for the first level, else the facilities of the level below. */
typedef struct level_flow {
	int from, to;
	long households;
	double distance_m;
	double x0, y0, x1, y1;
	levels_ref ref0, ref1; /* the points it runs between */
} level_flow;

/* A group of a level that did not get all its facilities, or lower
 * facilities that could not be routed. */
typedef struct level_unplaced {
	int level;
	char *group;  /* owned */
	char *reason; /* owned */
	long households;
	int missing; /* facilities the group should have and has not */
} level_unplaced;

typedef struct level_result {
	const char *name; /* borrowed from the scenario */
	size_t nfac, nflows;
	level_facility *fac;                   /* sorted by group, then place: ids are index + 1 */
	level_flow *flows;                     /* sorted by `from` */
	size_t nsubs;                          /* independent problems solved */
	double objective, bound, gap, seconds; /* load-weighted metres; sums over the problems */
	char status[16];                       /* "optimal", "feasible", "empty" */
	int proven;                            /* gap <= mip_gap */
	char phases[1024]; /* [phases]: each year's set and solve, "; "-separated; "" none */
	/* With streets (levels_net_routes), else NULL: the walk of flow k is the
	 * vertices [route_start[k], route_start[k+1]) of route_xy (x, y). */
	size_t *route_start;
	double *route_xy;
	int network; /* 1: distances along the streets */
} level_result;

typedef struct levels_result {
	size_t n;
	level_result *lv;
	size_t nunplaced;
	level_unplaced *unplaced;
} levels_result;

/* Make the places of every level usable: repair each parcel (GEOS
 * MakeValid), measure its area, mark it eligible when >= min_area_m2,
 * place it at its representative point; then give every place the
 * district and street of the unit holding it. Returns STATUS_OK,
 * STATUS_INPUT naming a parcel that cannot be repaired, STATUS_INTERNAL on
 * a GEOS failure. (src/geom/levels_places.c) */
status_code levels_places_prepare(inputs *in, const scenario *sc, status *st);

/* Place every level. `dist` NULL means straight-line distance. Returns
 * STATUS_OK (the result may still list unplaced groups), STATUS_INPUT with
 * a named error when the data contradict the level (capacity smaller than
 * the load, a required group that does not exist, no placement fitting
 * count, capacity and max_distance_m), STATUS_INTERNAL on a GLPK failure.
 * Caller frees `out` with levels_result_free() in every case.
 * (solver/levels.c) */
status_code levels_solve(const inputs *in, const site_table *sites, const plan *p,
                         const scenario *sc, const levels_distance *dist, levels_result *out,
                         status *st);

void levels_result_free(levels_result *r);

/* Straight-line distance, the default `levels_distance`. */
double levels_distance_straight(void *ctx, double x1, double y1, double x2, double y2);

/* Distances from `from` to `to` into d[i * nto + j] through dist->table
 * when set (-1: not reached within cutoff), else dist->fn for every pair
 * (cutoff not applied). Same returns as levels_distance.table.
 * (solver/levels.c) */
status_code levels_distance_fill(const levels_distance *dist, size_t nfrom,
                                 const levels_point *from, size_t nto, const levels_point *to,
                                 double cutoff, double deadline, double *d, status *st);

#endif
