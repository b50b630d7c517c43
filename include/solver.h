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

#endif
