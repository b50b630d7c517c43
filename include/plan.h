/*
 * plan.h: the solver's result tables, which io writes as layers.
 *
 * solver_solve() places stations under the scenario's rules (see
 * solver/solver.c for the formulation and why). The plan refers to units by
 * index into inputs.units and to sites by index into site_table.sites.
 */
#ifndef STATIONPLAN_PLAN_H
#define STATIONPLAN_PLAN_H

#include <stddef.h>

#include "inputs.h"
#include "scenario.h"
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
	int restricted; /* 1: part of a component cut for size: its bound holds for
	                   the part only; the plan's bound uses a whole-component one */
} plan_sub;

typedef struct plan {
	size_t nstations, nassign, nuncovered, nsubs;
	plan_station *stations; /* sorted by site index: deterministic station ids */
	plan_assign *assign;    /* sorted by unit, then station */
	plan_uncovered *uncovered;
	plan_sub *subs;
	char status[16]; /* "optimal" when every sub-problem is proven within mip_gap */
	double objective, bound, gap, seconds;
	int proven; /* 1 if gap <= mip_gap everywhere */
} plan;

/* Solve. Returns STATUS_OK, or STATUS_INTERNAL with `st` set on a library
 * failure. Not proving the gap is not an error here: see plan.proven. */
status_code solver_solve(const inputs *in, const site_table *sites, const reach *r,
                         const scenario *sc, plan *out, status *st);
void plan_free(plan *p);

/* Independent verifier: checks radius, band (except flagged underfilled),
 * every household served exactly once, one station per village, existing
 * stations kept. Returns the number of violations, describing the first in
 * `msg`. Used by tests and, with -v, by `run`. */
int plan_verify(const inputs *in, const site_table *sites, const reach *r, const scenario *sc,
                const plan *p, char *msg, size_t msgsize);

const char *station_kind_name(station_kind k); /* "urban", "village", "existing" */

/* The baseline of `make bench`: the compact textbook model of the same urban
 * instance (integer y_j stations per allowed site, binary x_ij per reach
 * pair, capacity rows sum_i h_i x_ij <= max y_j, band rows >= min y_j at
 * sites that are not isolated, existing sites y_j >= 1; objective
 * sum_j y_j plus the same walking tie-break), written to `path` as free MPS
 * through glp_write_mps. Villages are not in it (one station each, fixed):
 * their count is returned in *nvillages so totals compare. Returns STATUS_OK,
 * STATUS_INTERNAL with `st` set on a write or memory failure. */
typedef struct baseline_info {
	size_t nunits, nsites, nrows, ncols, nnz, nvillages;
} baseline_info;
status_code baseline_write_mps(const inputs *in, const site_table *sites, const reach *r,
                               const scenario *sc, const char *path, baseline_info *info,
                               status *st);

#endif
