/*
 * plan.h: the solver's result tables, which io writes as layers.
 *
 * solver_solve() (solver.h) fills them; the plan refers to units by index
 * into inputs.units and to sites by index into site_table.sites.
 */
#ifndef STATIONPLAN_PLAN_H
#define STATIONPLAN_PLAN_H

#include <stddef.h>

#include "inputs.h"
#include "scenario.h"
#include "reach.h"
#include "sites.h"
#include "status.h"

typedef enum station_kind {
	STATION_URBAN = 0,
	STATION_VILLAGE = 1,
	STATION_EXISTING = 2
} station_kind;

typedef struct plan_station {
	int site; /* index into the site table */
	station_kind kind;
	long households; /* served */
	int nunits;      /* units served (a split unit counts at each station) */
	int underfilled; /* 1: below households_min because its units are isolated */
	char *reason;    /* why underfilled, "" otherwise; owned */
	int sub;         /* sub-problem index, -1 for villages and lone existing stations */
	int phase;       /* year the station opens ([phases]); 0: existing, or no phases */
} plan_station;

typedef struct plan_assign {
	int unit;        /* index into inputs.units */
	int station;     /* index into plan.stations */
	long households; /* served by that station (split units have several rows) */
	double distance_m;
} plan_assign;

typedef struct plan_uncovered {
	int unit;
	int nearest_site; /* -1 if there is no site at all */
	double nearest_m;
	char *reason; /* owned */
} plan_uncovered;

/* Per sub-problem solve record. `status` is "optimal", "feasible" (gap not
 * proven), "heuristic" (no MIP run), "time_limit" or "failed". */
typedef struct plan_sub {
	int id;
	char key[64]; /* "component 12" or the street name */
	size_t nunits, nsites, ncols, nrows;
	int nstations;
	double objective, bound, gap, seconds;
	char status[16];
	int restricted;        /* 1: a restriction of its problem (never since column
	                          generation: every component is solved whole) */
	char bound_source[16]; /* "enumerated" (LP/MIP over every column), "colgen"
	                          (column generation converged), "colgen_stopped"
	                          (Farley/Lagrangian bound of a stopped run), "none" */
	int underfilled;       /* avoidably underfilled stations of its plan */
} plan_sub;

/* One phase of a phased plan ([phases], solver/phases.c). Year 0 is the
 * existing stations alone. */
typedef struct plan_phase {
	int year;
	long budget;         /* cumulative stations allowed; -1 for year 0 */
	size_t stations;     /* open in that phase */
	size_t sites;        /* their places (stations of a split unit may share one) */
	size_t new_stations; /* opened in that phase */
	long households;     /* served by the stations open in that phase */
	double share;        /* households / all households */
	double bound;        /* most households that budget alone can serve (upper bound) */
	double gap;          /* (bound - households) / bound: loss to nesting and search */
	int full;            /* 1: the full plan (everyone the rules can serve, least stations) */
	char status[16];     /* the phase's solve: optimal, feasible, time_limit */
} plan_phase;

typedef struct plan_phase_district {
	int year;
	char *district; /* owned */
	size_t stations, new_stations;
	long households, total; /* served in that phase; all households of the district */
} plan_phase_district;

typedef struct plan {
	size_t nstations, nassign, nuncovered, nsubs;
	plan_station *stations; /* sorted by site index: deterministic station ids */
	plan_assign *assign;    /* sorted by unit, then station */
	plan_uncovered *uncovered;
	plan_sub *subs;
	char status[16]; /* "optimal" when every sub-problem is proven within mip_gap */
	double objective, bound, gap, seconds;
	int proven; /* 1 if the urban gap of the chosen objective <= mip_gap */
	/* The urban part alone (stations of the sub-problems; no villages, no
	 * penalty constants, no walking term): stations placed and a bound on
	 * the stations of any plan with at most `underfilled` avoidably
	 * underfilled stations; for min_distance the walking (household-km) of
	 * the urban part and its bound. underfilled_bound: avoidably
	 * underfilled stations every plan has at least (each costs a penalty above
	 * every other term, so the objective's bound bounds their number). */
	long urban_stations;
	double urban_bound, urban_gap;
	double urban_walk, urban_walk_bound, urban_walk_gap;
	long underfilled, underfilled_bound;
	size_t nphases, nphase_districts; /* 0 without [phases] */
	plan_phase *phases;
	plan_phase_district *phase_districts; /* by year, then district (byte order) */
} plan;

void plan_free(plan *p);

const char *station_kind_name(station_kind k); /* "urban", "village", "existing" */

#endif
