/*
 * bf_enum.h: the brute-force enumeration of tests/cu_colgen.c and
 * tests/cu_walk.c, written independently of the solver: every partition of
 * a fixture's units into groups (restricted growth strings), each group at
 * a distinct site that every unit of it reaches within the walking
 * distance, with at most households_max households. One parametrised
 * objective serves both suites: each group costs `station`, plus `penalty`
 * when it is avoidably underfilled (fewer than households_min households,
 * while the households within reach of its site are not), plus its
 * household-metres over `dscale`; at most `budget` groups may be avoidably
 * underfilled.
 */
#ifndef STATIONPLAN_BF_ENUM_H
#define STATIONPLAN_BF_ENUM_H

#include <limits.h>

#include "solver_fixture.h"

typedef struct bf_objective {
	double station; /* cost of each group (station) */
	double penalty; /* added for an avoidably underfilled group */
	double dscale;  /* household-metres are divided by it (INFINITY: not counted) */
	long budget;    /* most avoidably underfilled groups (LONG_MAX: no limit) */
} bf_objective;

/* The least cost of `ob` over every plan of fixture `f` (at most 16 units,
 * 32 sites); INFINITY when no plan meets the rules and the budget. */
double bf_enum_best(const fx *f, const bf_objective *ob);

#endif
