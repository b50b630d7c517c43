/*
 * levels_int.h: internal to the levels solver (solver/levels*.c) and its
 * unit tests: one independent placement problem of one level.
 */
#ifndef STATIONPLAN_LEVELS_INT_H
#define STATIONPLAN_LEVELS_INT_H

#include <stddef.h>

#include "levels.h"
#include "clock.h"
#include "phases.h"

/* One problem: nodes (lower facilities) 0..nn-1, places 0..np-1, and the
 * allowed arcs node -> place (within the group, within max_distance_m)
 * as a CSR by node, ordered by place. Count row g holds the places with
 * row_of[p] == g and must open exactly row_k[g]; required row r the places
 * with req_of[p] == r and must open at least one. */
typedef struct lv_problem {
	const char *level, *group; /* for messages */
	int nn, np;
	const long *load;           /* nn */
	const unsigned char *fixed; /* np: existing, open */
	size_t narcs;
	const size_t *node_arcs; /* nn + 1 */
	const int *arc_node, *arc_place;
	const double *arc_dist;
	int ncount, nreq, nrows; /* nrows = ncount + nreq */
	const int *row_of;       /* np: count row, -1 none */
	const int *row_k;        /* ncount */
	const int *req_of;       /* np: required row, -1 none */
	long cap;                /* households per facility, 0 = none */
	double mip_gap, time_limit_s;
	double deadline; /* clock_now_s() the levels stage ends by (0: none): the search stops */
	/* Along the streets (solver/levels_plan.c): > 0, a node may stay
	 * unrouted (chosen -1) at this price, so nodes on parts of the network
	 * the k facilities cannot all reach are left out rather than making the
	 * problem infeasible; quiet: an infeasible problem returns STATUS_INPUT
	 * without a message. */
	double lost_penalty;
	int quiet;
} lv_problem;

/* Solve `pb` with GLPK. Fills chosen[nn] (the place of each node, -1 for a
 * node with no arc), open[np], the objective, a proven lower bound and
 * whether the gap is within mip_gap. STATUS_INPUT naming the level and
 * group when no placement is feasible, STATUS_INTERNAL on a GLPK failure.
 * (solver/levels.c) */
status_code levels_mip_solve(const lv_problem *pb, int *chosen, unsigned char *open, double *obj,
                             double *bound, int *proven, status *st);

/* Along the streets, `pb` (arrays na, an, ap, ad, load, nodeix: the ones
 * it points to) has no feasible placement: solve it again with each node
 * allowed to stay unrouted at a price above any routing cost (1 + the sum
 * of load x farthest arc), so the fewest nodes are left out, then drop
 * those nodes and their arcs from pb and the arrays (compacted in place;
 * nodeix maps the kept nodes back). *left and *lost: nodes and households
 * left out. Returns STATUS_OK, or the error of a problem still infeasible
 * (count, capacity, required groups), STATUS_INTERNAL on a GLPK failure.
 * (solver/levels.c) */
status_code levels_mip_leave_out(lv_problem *pb, size_t *na, int *an, int *ap, double *ad,
                                 long *load, int *nodeix, int *chosen, unsigned char *open,
                                 int *left, long *lost, status *st);

/* A lower facility as the phases see it: its load, group under the
 * level's `per`, and the year it opens (0 existing, -1 in no phase). */
typedef struct lv_node {
	double x, y;
	long load;
	const char *group;
	int phase;
	levels_ref ref;
} lv_node;

/* What levels_phases_assign() needs of a level placed without phases. */
typedef struct lv_phase_in {
	const phases_spec *ps; /* the scenario's [phases] */
	size_t nn;
	const lv_node *nodes; /* the level's lower facilities; flows[].from index them */
	level_per per;
	int cross;
	double max_distance_m;
	long cap; /* households per facility, 0 = none */
	levels_distance dist;
	double mip_gap, time_limit_s;
	double deadline; /* as lv_problem.deadline */
} lv_phase_in;

/* Give every facility of `r` (placed, flows filled) its phase: 0 existing,
 * the first year whose nested set holds it, -1 none; and the per-year
 * figures in r->phases. Without phases every facility gets 0 (existing)
 * or -1 and r->phases is "". STATUS_INPUT when a level budget is below its
 * existing facilities or no set fits the budget and the required
 * districts; STATUS_INTERNAL on GLPK or memory failure.
 * (solver/levels_phases.c, where the method and what it proves are told) */
status_code levels_phases_assign(const lv_phase_in *pin, level_result *r, status *st);

/* Seconds a search may take: to `deadline` (clock_now_s(); 0: the whole
 * `limit`), at least 0.1. (solver/levels.c) */
double levels_seconds_left(double deadline, double limit);

#endif
