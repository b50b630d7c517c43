/*
 * phases.h: phased plans and station budgets (issue 13).
 *
 * Two parts, two floors:
 *
 *   - the `[phases]` section of a scenario (src/core/phases.c): years with
 *     cumulative station budgets, per-level budgets and required groups,
 *     parsed line by line as the scenario reader meets them and validated
 *     together (phases_spec_validate);
 *   - the phased solve (solver/phases.c, declared in include/solver.h:
 *     solver_budgeted, solver_check_budget, solver_solve_phases):
 *     rules.max_stations, rules.stations and [phases] turned into budgeted
 *     solves (solver_solve_budget) whose plans are nested.
 *
 * Scenario syntax (every key optional, years ascending in any order):
 *
 *   [phases]
 *   2025 = 488                   ; cumulative stations open by 2025
 *   2030 = 1298
 *   sorting.2025 = 5             ; per-level budget of [level.sorting]
 *   sorting.2030 = 8
 *   required.2025 = 中山区,西岗区  ; districts served in full by 2025
 *
 * Budgets count every station open in the phase: existing ones (phase 0),
 * urban and village stations. Per-level budgets are parsed, validated
 * (non-decreasing per level, years among the phase years) and exposed in
 * `level`; the level placement reads phases_level_budget() for its count
 * per phase, nested: the facilities of an earlier year stay open in later
 * ones (solver/levels_phases.c).
 */
#ifndef STATIONPLAN_PHASES_H
#define STATIONPLAN_PHASES_H

#include <stddef.h>

#include "status.h"

typedef struct phases_year {
	int year;
	long budget; /* cumulative stations open by the end of that year */
	int line;    /* where it was set, for messages (0: --set) */
} phases_year;

typedef struct phases_level {
	char *level; /* the NAME of [level.NAME]; owned */
	int year;
	long budget;
} phases_level;

typedef struct phases_required {
	int year;
	char *groups; /* comma-separated district names, as written; owned */
} phases_required;

typedef struct phases_spec {
	size_t n;            /* phases, kept sorted by year */
	phases_year *years;  /* owned */
	size_t nlevel;       /* per-level budgets */
	phases_level *level; /* owned */
	size_t nrequired;
	phases_required *required; /* owned */
} phases_spec;

/* Apply one `[phases]` line `name = value` (`where` is "file:12" or "--set
 * '...'", for messages). A bad entry is recorded as an error in `st`
 * ("file:3: phases.20x5 = 10: the year must be a whole number"); returns 0,
 * or -2 when out of memory. A year set twice keeps the last value. */
int phases_spec_set(phases_spec *ps, const char *where, const char *name, const char *value,
                    status *st);

/* Check the entries together: budgets that decrease from one year to the
 * next (per level too), a per-level or required year that is not a phase
 * year. Every problem is recorded; returns the number of errors added.
 * The checks against the inputs (a budget below the existing stations, a
 * required district no unit has) are solver_check_budget() (solver.h). */
int phases_spec_validate(const phases_spec *ps, status *st);

/* The text of the whole section for the run record, one "phases.KEY =
 * VALUE" per line, in sorted order, into buf ("" without phases). */
void phases_spec_text(const phases_spec *ps, char *buf, size_t bufsize);

/* Budget of level `name` in `year`, -1 when none is set. */
long phases_level_budget(const phases_spec *ps, const char *name, int year);

/* 1 when `district` is among the required groups of `year`. */
int phases_required_has(const phases_spec *ps, int year, const char *district);

void phases_spec_free(phases_spec *ps);

#endif
