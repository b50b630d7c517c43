/*
 * solver.h: placing the stations (see solver/solver.c for the formulation
 * and why).
 */
#ifndef STATIONPLAN_SOLVER_H
#define STATIONPLAN_SOLVER_H

#include <stddef.h>

#include "inputs.h"
#include "plan.h"
#include "reach.h"
#include "scenario.h"
#include "sites.h"
#include "status.h"

/* Solve. Returns STATUS_OK, or STATUS_INTERNAL with `st` set on a library
 * failure. Not proving the gap is not an error here: see plan.proven. */
status_code solver_solve(const inputs *in, const site_table *sites, const reach *r,
                         const scenario *sc, plan *out, status *st);

/* The objective's scale factors (walking weight 1/dscale, underfill
 * penalty) of a whole problem, fixed while solving a shard of it so the
 * shard's plan is the whole plan's part (solver/scale.c). */
typedef struct solver_scale {
	double dscale, penalty;
} solver_scale;

/* The factors solver_solve() would use on these tables. Returns STATUS_OK
 * or STATUS_INTERNAL (out of memory). */
status_code solver_scale_of(const inputs *in, const site_table *sites, const reach *r,
                            const scenario *sc, solver_scale *out, status *st);

/* Fix the factors for every later solve in this process (NULL: computed
 * from the tables again), and the fixed ones (NULL when none). */
void solver_scale_set(const solver_scale *s);
const solver_scale *solver_scale_fixed(void);

#endif
