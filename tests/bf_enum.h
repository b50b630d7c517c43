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
 * underfilled. Also the random small instances both suites check on, and
 * a fixture's sub-problems.
 */
#ifndef STATIONPLAN_BF_ENUM_H
#define STATIONPLAN_BF_ENUM_H

#include <limits.h>

#include "../solver/solver_int.h"
#include "solver_fixture.h"

typedef struct bf_objective {
	double station; /* cost of each group (station) */
	double penalty; /* added for an avoidably underfilled group */
	double dscale;  /* household-metres are divided by it (INFINITY: not counted) */
	long budget;    /* most avoidably underfilled groups (LONG_MAX: no limit) */
} bf_objective;

/* The tests' pseudo-random numbers: a 64-bit linear congruential step of
 * *s (Knuth's MMIX constants), returning its top 31 bits. */
unsigned long bf_enum_lcg(unsigned long *s);

/* A small random instance into `f` from `seed` (the same seed, the same
 * instance): n urban units of h0 + [0, hspan) households at whole
 * coordinates in a side x side square, each with a representative site at
 * its point, then two free grid sites in the square. */
void bf_enum_instance(fx *f, unsigned long seed, int n, unsigned long side, long h0,
                      unsigned long hspan);

/* A dense instance into `f`: side x side urban units on a grid of `step`
 * metres, each moved by [0, jitter) metres in x and y, with h0 + [0, hspan)
 * households, a representative site at its point and a grid site
 * `site_offset` metres up and right of it. */
typedef struct bf_grid {
	unsigned long seed;
	int side;
	double step;
	unsigned long jitter;
	long h0;
	unsigned long hspan;
	double site_offset;
} bf_grid;
void bf_enum_grid(fx *f, const bf_grid *g);

/* The urban sub-problems of fixture `f` (its reach listed, a world built
 * in *w, decompose_components() into *subs and *n; the suites expect one).
 * Returns decompose_components()'s result, -1 out of memory; free with
 * bf_enum_subs_free() when it succeeded. */
int bf_enum_subs(fx *f, sp_world *w, sp_sub **subs, size_t *n);
void bf_enum_subs_free(sp_world *w, sp_sub *subs, size_t n);
/* The coordinates of sub s's units in fixture f (ux, uy: room for s->nu),
 * for blocks_partition(). */
void bf_enum_sub_xy(const fx *f, const sp_sub *s, double *ux, double *uy);

/* The least cost of `ob` over every plan of fixture `f` (at most 16 units,
 * 32 sites); INFINITY when no plan meets the rules and the budget. */
double bf_enum_best(const fx *f, const bf_objective *ob);

#endif
