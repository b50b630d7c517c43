/*
 * budget_int.h: internal to the budget model (solver/budget.c drives it,
 * solver/budget_model.c builds and solves it with GLPK).
 */
#ifndef STATIONPLAN_BUDGET_INT_H
#define STATIONPLAN_BUDGET_INT_H

#include "solver_int.h"

typedef struct bmodel {
	const sp_world *w;
	sp_job *jobs;
	size_t njobs;
	const sp_budget *b;
	double seconds;
	double wscale;       /* W */
	double penalty;      /* P */
	int nvill;           /* villages in the model */
	int *vunit;          /* their global unit */
	double *vdist;       /* distance to their site */
	unsigned char *vfix; /* village served by an existing station: not in the budget */
	size_t *colbase;     /* per job: first GLPK column of its x_c */
	size_t *unitbase;    /* per job: first row of its units */
	size_t *wbase;       /* per job: first GLPK column of its w_u (one per unit) */
	size_t zbase;        /* first GLPK column of the villages' z_v */
	double *xval;        /* solution, per GLPK column */
	double *hcoef;       /* per GLPK column (1-based): households it serves */
	double *wcoef;       /* per GLPK column: household-metres it walks */
	unsigned char *pen;  /* per GLPK column: an avoidably underfilled column */
	double obj, bound, lp;
	double walk, wbound; /* walking stage: household-km of the plan, lower bound */
	int stage;           /* 1 households, 2 walking */
	int injected;
	double *inc; /* walking stage: the first plan, 1-based, as incumbent */
	int have_sol, optimal, timed;
	char *err;
	size_t errsize;
} bmodel;

/* Build and solve the model of `arg` (a bmodel), through glpk_bridge_call():
 * stage 1 the most households, stage 2 the least walking among plans
 * serving them. Fills xval, obj, bound, walk, wbound, have_sol, timed.
 * Returns 0, 2 when the LP has no feasible plan (an exact count or required
 * units that cannot be met; err says so), -1 when GLPK fails (err set). */
int budget_model_run(void *arg);

#endif
