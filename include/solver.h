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

/* A station budget (solver/budget.c): stations beyond the fixed ones (sites
 * of source SITE_EXISTING), at most or exactly; `required` (per unit, may
 * be NULL) marks units that must be served in full; `sites_off` (per site,
 * may be NULL) sites the plan may not use (a phase within the full plan's
 * sites); `bound_only` 1: no plan, only plan.bound, the LP bound (the
 * most households the budget could serve). */
typedef struct solver_budget {
	long new_stations;
	int exact;
	const unsigned char *required;
	const unsigned char *sites_off;
	int bound_only;
} solver_budget;

/* Solve under a budget: the plan serving the most households (whole units)
 * with every station in the band and one per site, then the least walking.
 * Units left out are `uncovered` with the reason. plan.objective and
 * plan.bound are households served (plus a walking term below one
 * household), maximised. `b` NULL is solver_solve(). Returns as
 * solver_solve(); STATUS_INPUT with `st` set when no plan meets an exact
 * count or the required units. */
status_code solver_solve_budget(const inputs *in, const site_table *sites, const reach *r,
                                const scenario *sc, const solver_budget *b, plan *out, status *st);

/* The budgets and phases (solver/phases.c). solver_budgeted(): 1 when the
 * scenario sets rules.max_stations, rules.stations or [phases].
 * solver_check_budget(): the checks that need the inputs: a phase budget
 * below the existing stations, a required district no unit names; every
 * problem recorded, STATUS_INPUT. `sites` may be NULL (`check`, before the
 * sites exist): the existing layer's points are counted instead. solver_solve_phases(): the plan
 * under rules.max_stations (the full plan when it fits the budget, else the budget model),
 * rules.stations (the budget model with exactly that many new stations) or [phases] (nested phases,
 * each maximising households given the earlier ones; plan.phases and station.phase filled); returns
 * as solver_solve_budget(). */
int solver_budgeted(const scenario *sc);
status_code solver_check_budget(const scenario *sc, const inputs *in, const site_table *sites,
                                status *st);
status_code solver_solve_phases(const inputs *in, const site_table *sites, const reach *r,
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
