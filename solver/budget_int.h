/*
 * budget_int.h: internal to the budget model (solver/budget.c drives it,
 * solver/budget_model.c builds and solves it with GLPK).
 */
#ifndef STATIONPLAN_BUDGET_INT_H
#define STATIONPLAN_BUDGET_INT_H

#include "solver_int.h"

struct glp_prob;

/* A station pattern of flexible splitting (budget_flex.c): a site, the
 * whole units it serves and the split units it takes a share of (members
 * mem[n0 .. n0 + n) of its list, ascending), households hw and walking wd
 * (household-metres) of the whole ones; `under`: the variant below
 * households_min (fixed sites only, penalised). In the model: one binary
 * column, then one share column per split member. */
typedef struct bf_pat {
	int site;
	int n0, n, nsplit;
	long hw;
	double wd;
	int under;
	int lorow, hirow; /* GLPK rows of its load, 0 if none */
} bf_pat;

/* The patterns of one job; on = 0: the job keeps equal parts. */
typedef struct bf_list {
	int on;
	bf_pat *pat;
	size_t n, cap;
	int *mem;
	size_t nmem, capmem;
	size_t ncols; /* GLPK columns: one per pattern plus one per share */
	int *prow;    /* per local site: GLPK row "one pattern here at most", 0 none */
} bf_list;

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
	bf_list *flex;       /* per job: flexible patterns (NULL under equal parts) */
	size_t *fbase;       /* per job: first GLPK column of its patterns (0-based) */
	double *xval;        /* solution, per GLPK column */
	double *hcoef;       /* per GLPK column (1-based): households it serves */
	double *wcoef;       /* per GLPK column: household-metres it walks */
	unsigned char *pen;  /* per GLPK column: an avoidably underfilled column */
	double obj, bound, lp;
	double walk, wbound; /* walking stage: household-km of the plan, lower bound */
	int stage;           /* 1 households, 2 walking */
	int injected;
	int flexon;           /* some job has flexible patterns */
	long nodes, stall_at; /* the search's nodes (solver.work_limit), last gain */
	double seen;          /* walking stage: incumbent at the last gain */
	double *inc;          /* walking stage: the first plan, 1-based, as incumbent */
	int have_sol, optimal, timed;
	int stopped;   /* a search stopped by solver.work_limit */
	int no_walk;   /* skip the walking stage (equal parts before flexible) */
	double *eqval; /* that plan of equal parts, over the first fbase_min columns */
	size_t fbase_min;
	double *inc1; /* its values in the flexible model, 1-based: incumbent */
	char *err;
	size_t errsize;
} bmodel;

/* Build and solve the model of `arg` (a bmodel), through glpk_bridge_call():
 * stage 1 the most households, stage 2 the least walking among plans
 * serving them. Fills xval, obj, bound, walk, wbound, have_sol, timed.
 * Returns 0, 2 when the LP has no feasible plan (an exact count or required
 * units that cannot be met; err says so), -1 when GLPK fails (err set). */
int budget_model_run(void *arg);

/* budget_flex.c: flexible splitting in the budget model (see the file).
 * budget_flex_list() lists the patterns of a sub holding a split unit
 * (none short of sites) into *l (zeroed first): every site, whole units and
 * shared split units with at least one split unit, load within the band
 * for some shares. Returns 0 (l->on set), 1 when more than `cap` patterns
 * or visits would be needed or a split unit is short of sites (l empty,
 * equal parts stay), -1 on ENOMEM. */
int budget_flex_list(const sp_sub *s, const sp_params *p, size_t cap, bf_list *l);
void budget_flex_free(bf_list *l);
/* The rows of l's pattern loads and sites (one pattern per site: the rule,
 * and the lazy rounds of budget.c then see fewer shared sites), numbered
 * from row + 1; returns the last. */
size_t budget_flex_rows(bf_list *l, const sp_sub *s, const sp_params *p, size_t row);
/* Load l's columns (GLPK columns base + 1 ...) into P and the triplets
 * ia/ja/ar from *k + 1 (advanced): unit rows from unitrow + 1, site rows
 * srow[site] (0: none), the budget row; objective, hcoef, wcoef, pen of m. */
void budget_flex_load(bmodel *m, const bf_list *l, const sp_sub *s, struct glp_prob *P, size_t base,
                      size_t unitrow, const int *srow, int budget_row, int *ia, int *ja, double *ar,
                      size_t *k);
/* Nonzeros budget_flex_load() adds at most. */
size_t budget_flex_nnz(const bf_list *l);
/* The stations of columns taken in colval (c's columns of s, the values
 * of a plan of equal parts) that hold a part of a split unit, moved to
 * l's patterns with the parts as shares in patval (l's columns, zeroed on
 * entry). Returns 1, 0 when some station has no pattern or a column is
 * taken twice (then nothing is to be used). */
int budget_flex_map(const bf_list *l, const sp_sub *s, const sp_params *p, const sp_cols *c,
                    double *colval, double *patval);
/* The stations of l's patterns taken in val (its columns, 0-based), with
 * shares rounded and evened out to each unit's households, appended to
 * *out (sorted after). Returns 0, -1 on ENOMEM. */
int budget_flex_stations(const bf_list *l, const sp_sub *s, const sp_params *p, const double *val,
                         sp_sol *out);

#endif
