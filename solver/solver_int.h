/*
 * solver_int.h: internal tables of the placement solver (not a public
 * contract; see include/plan.h for that).
 *
 * The urban problem is cut into sub-problems (sp_sub): the units of one
 * connected component of the reach graph and every site reaching them, with
 * local indices 0..nu-1 and 0..ns-1 and both directions of the reach CSR. A
 * solution (sp_sol) is a list of stations, each a site and the set of local
 * units it serves; a unit larger than households_max has k = ceil(h / max)
 * equal parts and so appears in k stations. Every module of solver/ works
 * on these tables only: heur.c builds and improves a solution, cluster.c
 * enumerates the set-partitioning columns, model.c solves the GLPK model,
 * solver.c cuts the problem and assembles the plan.
 */
#ifndef STATIONPLAN_SOLVER_INT_H
#define STATIONPLAN_SOLVER_INT_H

#include <stddef.h>

#include "plan.h"
#include "rules.h"
#include "solver.h"

/* Rules and limits shared by every sub-problem of a run. */
typedef struct sp_params {
	long hmin, hmax;
	double walk_m;
	scenario_objective objective;
	double mip_gap;
	unsigned long seed;
	size_t max_cols; /* columns listed before column generation takes over */
	int flexible;    /* rules.split = flexible (flex.c, flex_model.c) */
	long work_limit; /* solver.work_limit: pricing rounds, nodes per search; 0 none */
	double deadline; /* the run's end (monotonic seconds, CLOCK_MONOTONIC), 0 none */
} sp_params;

/* The households band of the run's stations, for the predicates of rules.h. */
static inline rules_band sp_band(const sp_params *p)
{
	return (rules_band){p->hmin, p->hmax};
}

typedef struct sp_sub {
	int id;
	char key[64];
	int nu;               /* units, local 0..nu-1 */
	int *unit;            /* global unit index, ascending */
	long *h;              /* households */
	int *k;               /* parts: ceil(h / hmax), at least 1 */
	long *plo, *phi;      /* households of one part: floor and ceil of h / k */
	int ns;               /* sites, local 0..ns-1 */
	int *site;            /* global site index, ascending */
	unsigned char *fixed; /* 1: existing station, must be open */
	long *sreach;         /* households of the sub's units within reach of each site */
	size_t *us;           /* unit -> sites CSR (nu + 1), sorted by distance then site */
	int *usite;
	double *udist;
	size_t *ss; /* site -> units CSR (ns + 1), sorted by local unit index */
	int *sunit;
	double *sdist;
	long htotal;
	double penalty;    /* cost of an avoidable underfilled station */
	double dscale;     /* walking term: households * metres / dscale */
	double time_limit; /* seconds for this sub-problem */
	int stack;         /* 1: no plan has one station per site; split parts may stack */
} sp_sub;

typedef struct sp_station {
	int site;    /* local */
	int n;       /* members */
	int *u;      /* local units, ascending; owned */
	long *sh;    /* households of each member (flexible shares, flex.c); owned;
	                NULL: whole units and equal parts of split ones */
	long lo, hi; /* households served, lower/upper value over part roundings */
	double wd;   /* sum of part households * distance */
} sp_station;

typedef struct sp_sol {
	int n, cap;
	sp_station *st;
} sp_sol;

/* Per sub-problem outcome, copied into plan_sub. */
typedef struct sp_result {
	sp_sol sol;
	double objective, bound, gap, seconds;
	size_t ncols, nrows;
	char status[16];
	char err[256]; /* non-empty when a library call failed */
} sp_result;

/* Run-wide tables derived once from the inputs (solver.c). */
typedef struct sp_world {
	const inputs *in;
	const site_table *sites;
	const reach *r;
	const scenario *sc; /* the rules (rules.h), borrowed */
	sp_params p;
	unsigned char *urban;          /* per unit: served by the urban model */
	unsigned char *allowed;        /* per site: may hold an urban station */
	long *sreach;                  /* per site: households of urban units within reach */
	double penalty, dscale;        /* see sub.c */
	const unsigned char *left_out; /* per unit, NULL: the budget leaves it out (budget.c) */
	const unsigned char *site_off; /* per site, NULL: sites a budgeted plan may not use */
} sp_world;

/* solver.c: which units the urban model serves (households > 0, not a
 * village under one_per_village, some allowed site in reach), which sites it
 * may use (not inside such a village), households within reach of each site,
 * the penalty and walking scale. Returns 0, -1 on ENOMEM (free it anyway). */
int sp_world_init(sp_world *w, const inputs *in, const site_table *sites, const reach *r,
                  const scenario *sc);
void sp_world_free(sp_world *w);

/* decompose.c: sub-problems. decompose_components() makes one sub per
 * connected component of the reach graph over urban units and allowed
 * sites, ordered by lowest unit index. Returns 0 or -1 on ENOMEM. */
int decompose_components(const sp_world *w, sp_sub **subs, size_t *nsubs);

/* sub.c: reach lookup, costs, solutions */
double sp_dist(const sp_sub *s, int site, int u); /* < 0 when out of reach */
double sp_part(const sp_sub *s, int u);           /* households of one part, h / k */
int sp_isolated(const sp_sub *s, const sp_params *p, int site);
double sp_cost(const sp_sub *s, const sp_params *p, int site, long lo, double wd);
double sp_station_cost(const sp_sub *s, const sp_params *p, const sp_station *st);
/* The measure of an objective value: without its penalty constants
 * (stations and walking term for min_stations, walking for min_distance);
 * gaps are relative to it. */
double sp_measure(const sp_sub *s, double obj);
/* The walking of sol in the model's units (household-km): the sum of its
 * stations' wd / dscale. */
double sp_sol_walk(const sp_sub *s, const sp_sol *sol);
double sp_sol_cost(const sp_sub *s, const sp_params *p, const sp_sol *sol);
/* Avoidably underfilled stations of sol (below the minimum at a site that
 * is not isolated: each costs the penalty). */
int sp_sol_underfilled(const sp_sub *s, const sp_params *p, const sp_sol *sol);
/* qsort comparator of ints, ascending. */
int sp_cmp_int(const void *a, const void *b);
/* The same for doubles and longs. */
int sp_cmp_double(const void *a, const void *b);
int sp_cmp_long(const void *a, const void *b);
/* A value to sort by with an index breaking ties (a unit, a site), and its
 * qsort comparator: key ascending, then id ascending. */
typedef struct sp_keyed {
	double key;
	int id;
} sp_keyed;
int sp_cmp_keyed(const void *a, const void *b);
/* A growing list of stations as columns (colstore.c): column c serves units
 * unit[start[c]..start[c+1]) at site[c], costs cost[c], under[c] 1 when
 * avoidably underfilled. Zero-initialised empty; n = nnz = 0 empties it
 * and keeps the room. */
typedef struct sp_colstore {
	size_t n, cap, nnz, nzcap;
	size_t *start;
	int *unit, *site;
	double *cost;
	unsigned char *under;
} sp_colstore;
/* Append the column of units u[0..n) at site with cost and under. Returns
 * 0, or -1 on ENOMEM (the store unchanged but perhaps larger). */
int sp_colstore_push(sp_colstore *c, int site, const int *u, int n, double cost, int under);
/* Free the arrays; the store is empty after. */
void sp_colstore_free(sp_colstore *c);
int sp_sol_add(sp_sol *sol, int site, const int *u, int n, const sp_sub *s); /* -1 on ENOMEM */
/* Add the station of a flexible pattern at `site` (its members mem[0..n)):
 * a unit over the maximum (k > 1) with its share, share[0], share[1], ...
 * in member order, rounded; a whole unit with its households; members whose
 * share rounds to 0 left out, and an emptied pattern added only at a fixed
 * site. Returns 0, -1 on ENOMEM. */
int sp_sol_add_shares(sp_sol *sol, const sp_sub *s, int site, const int *mem, int n,
                      const double *share);
void sp_station_refresh(const sp_sub *s, sp_station *st); /* recompute lo, hi, wd */
void sp_sol_sort(sp_sol *sol);
void sp_sol_free(sp_sol *sol);
int sp_sol_copy(sp_sol *dst, const sp_sol *src);
void sp_sub_free(sp_sub *s);
/* The walking term of a sub's objective (households x metres / dscale) at
 * its least, every household at its nearest site in reach, and at its
 * most, every household at its farthest. */
double sp_sub_walk_min(const sp_sub *s);
double sp_sub_walk_max(const sp_sub *s);
/* Of set u[0..n) (n >= 1): the member with the fewest sites (whose list a
 * scan for common sites walks) and, in *lo, the households of its parts. */
int sp_pivot(const sp_sub *s, const int *u, int n, long *lo);
/* Best site (least cost) reaching every member, preferring `cur` on ties,
 * skipping sites with avoid[site] set (avoid may be NULL); returns -1 if none.
 * Fixed sites are never chosen (they hold their own station). */
int sp_best_site(const sp_sub *s, const sp_params *p, const int *u, int n, int cur,
                 const unsigned char *avoid);
/* 1 when the parts of unit u may stand together, alone, on one site: it has
 * more parts than sites in reach, or it is split and s->stack is set (the
 * model with one station per site was infeasible). */
int sp_short(const sp_sub *s, int u);
/* Sites holding more than one station of `sol` (fixed sites included),
 * except stacks of stations each serving a part of a short unit alone,
 * ascending, into `out`
 * (room for s->ns); returns how many, -1 on ENOMEM. O(n log n). */
int sp_sol_shared(const sp_sub *s, const sp_sol *sol, int *out);

/* heur.c: greedy construction plus local search (drop, reassign, re-site).
 * Fills `out` (empty on entry) with a feasible solution; -1 on ENOMEM. */
int heur_solve(const sp_sub *s, const sp_params *p, double seconds, sp_sol *out);
/* The same from a partial solution `sol` (stations that must stay as they
 * are at first): places the rest, then local search on the whole. On
 * failure `sol` is freed and -1 returned. */
int heur_improve(const sp_sub *s, const sp_params *p, double seconds, sp_sol *sol);

/* flex.c: flexible splitting. A unit over the maximum may be served by
 * several stations with any integer shares, each station within the band.
 * flex_improve() gives the stations of `sol` explicit shares (equal parts
 * first) and drops stations whose load the others can take by moving
 * shares of split units (and whole units into the room that makes), while
 * the cost falls and t_end (monotonic seconds) is not reached. When nothing
 * improves, `sol` is left as it was (no shares). Returns the number of
 * stations dropped, -1 on ENOMEM (sol unchanged). */
int flex_improve(const sp_sub *s, const sp_params *p, sp_sol *sol, double t_end);

/* flex_model.c: the exact model of flexible splitting over every pattern
 * (site, whole units, units shared) of s, with shares as continuous
 * variables (a transportation system: integer at its vertices), searched
 * by GLPK with `inc` (may be NULL; shares or equal parts) injected, for
 * `seconds` within p->deadline (p->work_limit nodes per search instead when
 * set). Returns 0 with res->sol (explicit shares), objective, bound (valid
 * for every plan of s under flexible splitting), status, ncols, nrows; 1
 * when not run (more than p->max_cols patterns, a unit short of sites, or
 * no plan found in time: res->sol empty); -1 with res->err set when GLPK
 * or memory failed. The caller frees res->sol. */
int flexmodel_solve(const sp_sub *s, const sp_params *p, const sp_sol *inc, double seconds,
                    sp_result *res);

/* cluster.c: set-partitioning columns. Column c serves units
 * unit[start[c] .. start[c+1]) (ascending) from site[c]; it may be taken at
 * most ub[c] times (split units). A column is either its unit set's primary
 * (own 0: the set at its least-cost site, looked up by the set alone) or
 * owned by its site (own 1: looked up by set and site). Packed sites carry
 * the row "at most one station here" in the model; for every set, columns
 * exist at each of its sites in cost order up to the first site that is not
 * packed (tail marks that last one), so the model stays a relaxation. */
typedef struct sp_cols {
	size_t n, cap, nnz, nzcap;
	size_t *start;
	int *unit;
	int *site;
	int *ub;
	double *cost;
	long *lo;
	unsigned char *own, *tail;
	unsigned char *packed; /* per local site */
	int npacked;
	int generated; /* the columns of column generation (sp_cols_from_cg) */
	size_t *hslots; /* hash table of (unit set, owning site): column index + 1 */
	size_t hcap;
} sp_cols;

/* Enumerate every feasible column (households <= hmax; below hmin only as an
 * underfilled column). Returns 0, 1 when more than p->max_cols columns would
 * be needed (then `c` is freed), -1 on ENOMEM. */
int cluster_enumerate(const sp_sub *s, const sp_params *p, sp_cols *c);
/* Column of a station: its unit set at exactly its site, -1 if none. */
long cluster_find(const sp_sub *s, const sp_cols *c, const sp_station *st);
/* The same, adding the column when it is missing (the station must be a
 * feasible one: every member in reach of its site). -1 on ENOMEM. */
long cluster_add(const sp_sub *s, const sp_params *p, sp_cols *c, const sp_station *st);
/* Pack sites[0..n) (non-fixed), then give every set whose tail stands on a
 * packed site its next sites in cost order, up to the first unpacked one.
 * Returns the number of sites newly packed, -1 on ENOMEM. */
int cluster_pack(const sp_sub *s, const sp_params *p, sp_cols *c, const int *sites, int n);
/* An empty column set for s (with the empty column of each existing
 * station), to be filled by cluster_offer(); 0, -1 on ENOMEM. */
int cluster_begin(const sp_sub *s, const sp_params *p, sp_cols *c);
/* Offer set u[0..n) (ascending local units, a split unit standing for one
 * part) at every site reaching all of it, as the enumeration would; sets
 * over households_max are ignored. 0, -1 on ENOMEM. */
int cluster_offer(const sp_sub *s, const sp_params *p, sp_cols *c, const int *u, int n);
void cluster_free(sp_cols *c);

/* colgen.c: the LP bound of a whole sub-problem by column generation (see
 * the file's top for the LP) and the columns it generated. Limits: pricing
 * rounds and simplex iterations (0: none; deterministic), a wall-clock
 * deadline (monotonic seconds as from clock_now_s(), 0: none). */
typedef struct cg_result cg_result;
typedef struct cg_limits {
	long rounds, iters;
	double deadline;
	const cg_result *warm; /* columns of an earlier run to start from (their
	                          costs recomputed for this run), or NULL; with its
	                          basis (cstat) that basis is the first one */
	int keep_basis;        /* 1: fill the result's cstat, astat, rstat */
} cg_limits;

struct cg_result {
	double lp;     /* the restricted master's last optimum */
	double lb;     /* valid lower bound on the LP (-INFINITY if none) */
	double bound;  /* valid lower bound on sp_sol_cost of any plan: min_stations
	                  ceil(lb) (at least the existing stations) + the nearest-site
	                  walking; min_distance lb */
	int converged; /* exact pricing found no column: lb is the LP optimum */
	int stopped;   /* 0 no, 1 work limit, 2 deadline */
	int rounds, exact_rounds, nclasses;
	long iters;
	/* generated columns (no artificial): units unit[start[i]..start[i+1])
	 * with households share[], at local site[i], cost[i] in the LP's terms */
	size_t n, cap, nnz, nzcap;
	size_t *start;
	int *unit;
	long *share;
	int *site;
	double *cost;
	double *pi; /* the master's duals per unit row at the last solve (nu), or
	               NULL when colgen_solve failed */
	/* with keep_basis, the last basis (GLP_BS...): of each generated column,
	 * each unit's artificial column and each unit row; else NULL */
	unsigned char *cstat, *astat, *rstat;
	char err[256];
};

/* Run column generation on s, the stations of `seed` (may be NULL) as the
 * first columns. budget < 0: the sub's objective (penalties included);
 * budget >= 0: no penalty, at most `budget` avoidably underfilled stations
 * (one more row), and the measure alone: min_stations stations (res->bound
 * = ceil(lb), a bound on the stations of any plan with at most `budget`
 * underfilled), min_distance walking (res->bound = lb, household-metres /
 * dscale). Returns 0 (res filled; a stopped run still has its bound),
 * -1 with res->err set when GLPK failed or memory ran out. Free with
 * colgen_free() in every case. */
int colgen_solve(const sp_sub *s, const sp_params *p, const sp_sol *seed, const cg_limits *lim,
                 long budget, cg_result *res);
void colgen_free(cg_result *r);

/* A valid lower bound on the LP of colgen_solve (min_stations only; budget
 * < 0 the sub's objective with its penalties, budget >= 0 the stations with
 * no penalty and no budget row, i.e. over every plan) from any duals pi
 * (nu values, e.g. those of smaller LPs over parts of s): by exact pricing
 * over every site, theta_u is the largest profit per unit of cost of a
 * column covering unit u under pi+ = max(pi, 0), at least 1, and
 * sum_u pi+_u / theta_u is the value of a feasible dual of the covering LP
 * (a local Farley bound). Returns it, NAN when memory ran out. */
double colgen_farley(const sp_sub *s, const sp_params *p, const double *pi, long budget);

/* blocks.c: duals of a very large sub from the LPs of its parts. */
/* Cut the units of s into parts of at most `target` units by recursive
 * coordinate bisection (ux, uy per local unit): blk[u] the part of unit u.
 * Deterministic. Returns the number of parts, -1 on ENOMEM. */
int blocks_partition(const sp_sub *s, const double *ux, const double *uy, int target, int *blk);
/* The sub of part b: the sites of s reaching one of its units (owner not
 * NULL: only those with owner[site] == b; smap[t] = the site of s), each
 * with s's households in reach, and its units reaching one of them (umap[a]
 * = the unit of s; both arrays of at least nu + ns of s). Free with
 * sp_sub_free. Returns 0, -1 on ENOMEM (out freed). */
int blocks_sub(const sp_sub *s, const int *blk, int b, const int *owner, sp_sub *out, int *umap,
               int *smap);
/* Part b of s as a sub of its own (blocks_sub) with the maps both ways:
 * umap / smap (the part's unit / site -> s's), uinv / sinv (s's -> the
 * part's, -1 outside), and u, scratch of nu + ns + 1 ints. */
typedef struct blocks_view {
	sp_sub bs;
	int *umap, *smap, *uinv, *sinv, *u;
	int built;
} blocks_view;
/* Open part b into *v (zeroed first). Returns 0, -1 on ENOMEM (then
 * blocks_view_close is still the way to free *v). */
int blocks_view_open(const sp_sub *s, const int *blk, int b, const int *owner, blocks_view *v);
/* The stations of plan (over v->bs) added to out, in s's indices. Returns
 * 0, -1 on ENOMEM. */
int blocks_view_export(const blocks_view *v, const sp_sub *s, const sp_sol *plan, sp_sol *out);
void blocks_view_close(blocks_view *v);
/* blocks_plan.c: a plan of s from plans of its parts (a heuristic: never a
 * bound). Each site goes to the part of its nearest unit; each part is
 * solved alone over its own sites (heuristic, column generation, the MIP
 * over the generated columns) within seconds * nthreads / nblk, on up to
 * nthreads threads; the stations of every part, in s's indices, into *out
 * (zeroed first): a partial plan (units with no own site in reach are left
 * out) with one station per site. Returns 0, -1 with err set on ENOMEM. */
int blocks_plan(const sp_sub *s, const sp_params *p, const int *blk, int nblk, double seconds,
                int nthreads, sp_sol *out, char *err, size_t errsize);
/* owner[j] (room for s->ns): the part of site j's nearest unit (the lowest
 * on a tie), -1 for a site reaching no unit. */
void blocks_owners(const sp_sub *s, const int *blk, int *owner);
/* solver.c: the columns column generation found, as sets of the model, at
 * every site reaching them (price-and-branch). Returns 0, -1 on ENOMEM. */
int sp_cols_from_cg(const sp_sub *s, const sp_params *p, const cg_result *cg, sp_cols *c);
/* Column generation on every part (budget < 0: the sub's objective; >= 0:
 * no penalty, no binding budget), on up to nthreads threads, merged into
 * *out in s's local indices, part by part: columns with their basis
 * statuses, and per unit pi, astat, rstat (a start for colgen_solve over s
 * through cg_limits.warm). A part stopped by lim keeps what it had. Result
 * independent of nthreads. Returns 0, -1 with err set (GLPK failed,
 * ENOMEM); free *out with colgen_free. */
int blocks_colgen(const sp_sub *s, const sp_params *p, const int *blk, int nblk, long budget,
                  const cg_limits *lim, int nthreads, cg_result *out, char *err, size_t errsize);

/* walk.c: min_distance only. Price-and-branch on walking alone over cg's
 * columns (colgen_solve in budget mode) and the stations of `sol`, with at
 * most `budget` avoidably underfilled stations and one station per site;
 * stops within p->mip_gap of `lb` (a valid bound on the walking, in cg's
 * units), after p->work_limit nodes or at `deadline` (monotonic seconds, 0
 * none). Replaces *sol by the best plan found when it walks less. Returns
 * 1 when it did, 0 when not (or the sub needs rows the model lacks:
 * existing stations, stacked sites, equal parts of split units), -1 with
 * err set when GLPK failed or memory ran out (sol unchanged). */
int walk_improve(const sp_sub *s, const sp_params *p, const cg_result *cg, long budget, double lb,
                 double deadline, sp_sol *sol, char *err, size_t errsize);

/* walk.c: min_distance only. The end of a sub's solve: *bound (cg's
 * bound over plans with at most `budget` avoidably underfilled stations,
 * cg the columns of that run) raised by walk_bound (until bound_deadline),
 * *sol replaced by walk_bound's plan when that LP is integral and walks
 * less, then walk_improve until `deadline`. Returns 1 when *sol changed, 0
 * when not, -1 with err set on failure (sol a valid plan still). */
int walk_finish(const sp_sub *s, const sp_params *p, const cg_result *cg, long budget,
                double bound_deadline, double deadline, sp_sol *sol, double *bound, char *err,
                size_t errsize);

/* walk.c: min_distance only. The fewest stations of any plan of s with at
 * most `budget` avoidably underfilled stations: column generation's bound
 * with the stations as objective (colgen_solve, budget mode, cg's columns
 * to start from), rounded up; 0 when stopped without one (`deadline`).
 * Returns 0, -1 with err set on failure. */
int walk_stations(const sp_sub *s, const sp_params *p, const cg_result *cg, long budget,
                  double deadline, double *stations, char *err, size_t errsize);

/* walk_lns.c: min_distance only. Less walking for `sol` by re-planning
 * regions of its stations exactly (every station their free sites can hold,
 * a small MIP), with at most `budget` avoidably underfilled stations in
 * all, until within p->mip_gap of `lb`, at `deadline` or after
 * p->work_limit regions. Returns 1 when sol changed, 0 when not (also when
 * sol leaves a unit unserved), -1 with err set on failure. */
int walk_lns(const sp_sub *s, const sp_params *p, long budget, double lb, double deadline,
             sp_sol *sol, char *err, size_t errsize);
/* The arguments of a walking search over a plan (walk_improve, walk_lns),
 * in one struct: sub, parameters, the most avoidably underfilled stations
 * (budget), the bound on the walking (lb), the deadline, the plan improved
 * in place, where an error is written. */
typedef struct walk_call {
	const sp_sub *s;
	const sp_params *p;
	long budget;
	double lb, deadline;
	sp_sol *sol;
	char *err;
	size_t errsize;
	/* walk_lns: the starting price (household-km) of one underfilled
	 * station a region may give up or take from what others gave up (0:
	 * walking alone, the budget per region as it stands) */
	double price;
} walk_call;
/* walk_lns on the arguments in a (not owned). */
int walk_lns_run(const walk_call *a);

/* walk_bound.c: min_distance only. A valid bound on the walking (cg's
 * units) of any plan of s with at most `budget` avoidably underfilled
 * stations: the set-partitioning LP over
 * every station listed once, with one station per site and subset-row cuts
 * on odd sets of units, the stations of `seed` (may be NULL) in the first
 * master. When `plan` is not NULL (empty on entry) and the
 * last LP is integral, its stations are that plan (then optimal). Returns
 * 1 with *bound set, 0 when not computed (split units, existing stations,
 * stacked sites, too many stations to list, stopped at `deadline` or
 * p->work_limit rounds before any bound), -1 with err set on failure. */
int walk_bound(const sp_sub *s, const sp_params *p, const sp_sol *seed, long budget,
               double deadline, double *bound, sp_sol *plan, char *err, size_t errsize);

/* Duals of a walking LP (walk_bound_duals) in its sub's local indices: one
 * per unit row, the budget row's (<= 0) and the odd sets of its subset-row
 * cuts (set k: cset[cstart[k]..cstart[k+1]), ascending units) with theirs
 * (<= 0). Any such values give a valid bound through walk_lagr. */
typedef struct walk_duals {
	double *pi;
	double mu;
	int artificial; /* walk_bound_duals: its last LP used an artificial column
	                   (no plan within its budget): its duals are poor ones */
	int ncut;
	size_t *cstart;
	int *cset;
	double *sigma;
} walk_duals;
void walk_duals_free(walk_duals *d);

/* walk_bound with the duals of its last LP into *duals (NULL: not wanted;
 * filled only when it returns 1, else zeroed). */
int walk_bound_duals(const sp_sub *s, const sp_params *p, const sp_sol *seed, long budget,
                     double deadline, double *bound, sp_sol *plan, walk_duals *duals, char *err,
                     size_t errsize);

/* walk_lagr.c: min_distance only. A valid bound on the walking (household
 * metres / dscale) of every plan of s with at most `budget` avoidably
 * underfilled stations and one station per site, from any duals d (pi per
 * unit, cuts on odd sets of whole units with sigma <= 0; d->mu is ignored:
 * the best budget multiplier is found exactly): the Lagrangian
 *   sum_u pi_u + sum_k sigma_k floor(|S_k| / 2) + mu budget
 *     + sum over sites of min(0, least reduced cost of a station there),
 * each site priced exactly by listing its stations (a Dantzig bound where
 * they are too many). Then up to `iters` subgradient steps on pi and sigma
 * (Polyak steps towards `ub`, the walking of a known plan), d updated to
 * the best duals seen, stopping at `deadline` (0 none). Sites are priced on
 * up to nthreads threads; the result does not depend on nthreads. Returns
 * 1 with *bound set, 0 when it does not apply (split units, existing
 * stations, stacked sites), -1 on ENOMEM. */
int walk_lagr_applies(const sp_sub *s, const sp_params *p); /* 1: walk_lagr applies */
/* The fewest stations of any plan of s (whole units, as walk_lagr needs;
 * 0 otherwise): with m_u the most units of a station serving unit u (u and
 * the smallest others in reach of one site within households_max), each
 * station c has sum over its units of 1 / m_u <= 1, so the plan has at
 * least sum_u 1 / m_u stations, rounded up. 0 on ENOMEM. */
double walk_count_bound(const sp_sub *s, const sp_params *p);
int walk_lagr(const sp_sub *s, const sp_params *p, walk_duals *d, long budget, double ub,
              long iters, double deadline, int nthreads, double *bound);

/* walk_blocks.c: min_distance on a very large sub cut into parts blk[0..
 * nu) of nblk (blocks_partition), `sol` a whole plan with one station per
 * site. Each part (its units, the sites whose nearest unit is in it) gets
 * walk_bound_duals with the plan's underfilled stations on its sites as its
 * budget, on up to nthreads threads, until `bound_deadline`; where every
 * part's LP is integral, their plans joined (completed by the heuristic)
 * replace *sol if they cost less; then walk_lagr over the whole sub from
 * the parts' duals (never a part's own bound; on a smaller sub column
 * generation's duals when better) gives *bound, the walking of any plan
 * with at most sol's underfilled stations, beside walk_lns across the
 * seams until `deadline` (on two threads when nthreads > 1), after walk_seams
 * over the parts seams[0] then seams[1] (nseams[i] parts each; seams NULL:
 * none). Returns 1 with *bound set, 0 when it
 * does not apply (see walk_lagr), -1 with err set on failure (sol still a plan). Result independent
 * of nthreads. */
int walk_blocks(const sp_sub *s, const sp_params *p, const int *blk, int nblk,
                const int *const seams[2], const int nseams[2], sp_sol *sol, double bound_deadline,
                double deadline, int nthreads, double *bound, char *err, size_t errsize);
/* walk_seams.c: min_distance, sol a whole plan of s with one station per
 * site: each part r of blk[0..nu) (nblk parts, cut along other lines than
 * the blocks') re-planned with the rest of sol fixed: the stations at its
 * sites (blocks_owners) serving its units only are freed, and column
 * generation within their underfilled count and walk_improve over its sub
 * replace them when they walk less; parts on up to nthreads threads, each
 * until its share of `deadline` (p->work_limit counts instead when set).
 * sol never walks more and never gains an underfilled station. Returns 1
 * when a part changed, 0 not, -1 with err set on failure (sol unchanged). */
int walk_seams(const sp_sub *s, const sp_params *p, const int *blk, int nblk, double deadline,
               int nthreads, sp_sol *sol, char *err, size_t errsize);

/* pairs.c: a sub where no station can hold three units and every pair
 * that fits is of two units under the minimum (that fit it together), none
 * near an isolated site: every plan is a matching of those pairs, and a
 * maximum one gives the fewest stations and the fewest avoidably
 * underfilled stations of any plan. */
typedef struct pairs_result {
	int structured;   /* 1: the sub has that structure and the figures hold */
	long matched;     /* pairs of a maximum matching */
	long stations;    /* units - matched: no plan has fewer stations */
	long underfilled; /* units under the minimum - 2 matched: nor fewer of these */
	long unplaced;    /* matched pairs the plan left apart (no free common site) */
	double walk_bound; /* household-metres: no plan with `underfilled` avoidably
	                      underfilled stations walks less (-INFINITY: none) */
	int lp_rounds;     /* LPs of the walking solved (the cuts' rounds) */
	int passes;        /* passes of the exchanges that took walking off the matching */
	char err[160];     /* a GLPK failure of the walking's LP (the rest stands) */
} pairs_result;
/* Solve s as a matching when it has the structure: the plan (each pair at
 * its cheapest free common site, each unit alone at its cheapest free
 * site) into *out and the figures into *res. Until lp_deadline (none when
 * past) the walking among the maximum matchings is bounded by an LP with
 * odd-set cuts, and the plan's matching rounded from it. Returns 0 with a plan, 1
 * without (not structured, the deadline before the matching was maximum,
 * or no free site left for a unit: res->structured says whether the
 * figures hold), -1 on ENOMEM. *out is freed unless 0. */
int pairs_solve(const sp_sub *s, const sp_params *p, double deadline, double lp_deadline,
                sp_sol *out, pairs_result *res);
/* A maximum matching of the graph of n vertices and edges (ea[i], eb[i]),
 * i < ne (Edmonds, greedy in edge order first) into match[] (the partner,
 * -1 unmatched); its size, -1 on ENOMEM. */
long pairs_max_matching(int n, const int *ea, const int *eb, long ne, int *match);

/* One sub-problem through the pipeline (solver.c, assemble.c). */
typedef struct sp_job {
	sp_sub sub;
	sp_cols cols;
	int too_big;   /* column enumeration exceeded max_cols */
	int comp;      /* component it belongs to (parts of a cut share it) */
	int part;      /* 1: a part of a cut component */
	double budget; /* seconds */
	sp_result res;
	int failed;       /* out of memory */
	int split;        /* a unit over the maximum: flexible shares (flex.c) */
	int flex_exact;   /* its bound is the exact flexible model's (flex_model.c) */
	double cg_bound;  /* too_big: column generation's bound on the sub */
	int cg_converged; /* too_big: that bound is the LP optimum */
	int cg_stopped, cg_rounds;
	cg_result cg;         /* too_big: the columns of column generation, until the
	                         honest figures' run has used them */
	double budget_bound;  /* the objective's measure alone (stations or walking)
	                         over plans with at most the plan's underfilled
	                         stations (colgen budget mode), -INFINITY if none */
	double mip_cap;       /* too_big: seconds of price-and-branch at most, 0 none */
	double station_bound; /* min_distance: stations of any plan with at most the
	                         plan's underfilled stations (walk_stations), 0 none */
	pairs_result pairs;   /* pairs.c's exact figures (pairs.structured: they hold) */
	int pairs_done;       /* its plan is the matching's, proven (no other step ran) */
} sp_job;

/* The row of the sub-problems table a solved job shares by every path:
 * *ps zeroed, then its id, key, sizes, columns, rows, stations, objective
 * and bound (solver.c; the caller adds the rest). */
void sp_job_sub_row(const sp_job *j, int id, plan_sub *ps);

/* assemble.c: the plan tables from the solved jobs, the villages, kept
 * existing stations and uncovered units. Subs and bounds are solver.c's.
 * Returns 0, -1 on ENOMEM. */
int assemble_plan(const sp_world *w, sp_job *jobs, size_t njobs, plan *out);

/* The pair (index into w->r) of the site a village v's station stands on:
 * an existing station inside it (the lowest site index), else the first site
 * inside it; -1 if none (assemble.c, also used by budget.c). */
long assemble_village_pair(const sp_world *w, size_t v);

/* The order of the plan's rows, as qsort comparators (assemble.c; also
 * budget.c and rural_merge.c): plan_assign by unit, then station;
 * plan_uncovered by unit. */
int assemble_assign_cmp(const void *a, const void *b);
int assemble_uncovered_cmp(const void *a, const void *b);

/* budget.c: the plan under a station budget (see the file's comment).
 * budget_solve() fills every job's res.sol and `res` (village_on: per unit,
 * 1 for a village given its station; the caller frees it); returns 0, 1 when
 * no plan meets the budget's exact count or required units (res->err says
 * why), -1 on a GLPK or memory failure (res->err set). budget_plan() runs
 * it and assembles the plan tables, uncovered units included; returns
 * STATUS_OK, STATUS_INPUT or STATUS_INTERNAL with `st` set. */
typedef solver_budget sp_budget;
typedef struct sp_budget_result {
	double objective, bound, gap;
	double walk_gap; /* of the walking stage, on household-km */
	long households; /* served, whole units */
	char status[16];
	unsigned char *village_on;
	char err[256];
} sp_budget_result;
int budget_solve(const sp_world *w, sp_job *jobs, size_t njobs, const sp_budget *b, double seconds,
                 sp_budget_result *res);
status_code budget_plan(sp_world *w, sp_job *jobs, size_t njobs, const sp_budget *b, double seconds,
                        plan *out, status *st);

/* model.c: the set-partitioning MIP through the GLPK C API, with `inc` as
 * incumbent. Fills res (objective, bound, gap, status, solution). Returns 0,
 * or -1 with res->err set when GLPK failed. */
/* The stations of the columns c taken val[q] times each (rounded), sorted,
 * into *out (zeroed first, caller frees with sp_sol_free). Returns 0, -1 on
 * ENOMEM. */
int model_sol_from_values(const sp_sub *s, const sp_cols *c, const double *val, sp_sol *out);
int model_solve(sp_sub *s, const sp_params *p, sp_cols *c, const sp_sol *inc, double seconds,
                sp_result *res);

/* solver.c: solver_solve() with the column cap of enumeration given:
 * components needing more columns go to column generation (max_cols = 0:
 * every component; tests use it to reach that path on small instances);
 * with a `budget` (budget.c, NULL for none) one model over every listed
 * column places the stations under it. */
status_code solver_solve_cols(const inputs *in, const site_table *sites, const reach *r,
                              const scenario *sc, size_t max_cols, const solver_budget *budget,
                              plan *out, status *st);

/* glpk_bridge.c: the one place GLPK messages and errors enter a status. */
int glpk_bridge_threads_ok(void); /* glp_config("TLS") is set */
/* Run fn(arg) with GLPK's error hook armed: a GLPK fatal error longjmps back,
 * frees this thread's GLPK environment and returns -1 with `err` set from
 * the last terminal line. Terminal output is captured, never printed. */
int glpk_bridge_call(int (*fn)(void *), void *arg, char *err, size_t errsize);
void glpk_bridge_thread_end(void); /* glp_free_env() for this thread */

/* solver.c: fn(ctx, order ? order[k] : k) for every k in [0, n), on the
 * calling thread and up to nthreads - 1 more (at most 64 in all), each
 * taking the next k; the threads started here end their GLPK environment,
 * the calling thread keeps its own. The solve stage's progress bar moves
 * from p0 to p1 as items end (p0 >= p1: not moved). */
void sp_parallel_for(int nthreads, size_t n, const size_t *order, void (*fn)(void *, size_t),
                     void *ctx, double p0, double p1);
/* solver.c: fn(ctx, b) for every part b in [0, n) through sp_parallel_for
 * on up to nthreads threads, no part started once one returned < 0.
 * Returns 0, -1 when a part failed (which others ran then depends on the
 * threads). */
int sp_parallel_parts(int nthreads, int n, int (*fn)(void *ctx, int b), void *ctx);

struct glp_prob;

/* A small MIP solved with its best bound tracked (the upper levels, the
 * shared rural stations): the LP by simplex (`meth`, GLP_PRIMAL or
 * GLP_DUALP), its value the first bound; then branch and bound searching to
 * a quarter of `mip_gap` (GLPK stops on its own bound, which the callback
 * saw a little earlier, so the tracked bound proves mip_gap), stopped from
 * the callback at `deadline` (clock_now_s(), 0: none) and by GLPK after
 * what is left of it (`limit` seconds without a deadline), at least 0.1 s.
 * `P` must be a minimisation. Returns 1 with *obj and *bound (<= *obj) and
 * the intopt return code in *ret, glp_mip_status in *mst; 0 when the LP or
 * the MIP has no feasible solution; -1 on a GLPK failure with `err` set.
 * `P` stays the caller's. */
int glpk_bridge_mip(struct glp_prob *P, int meth, double mip_gap, double deadline, double limit,
                    double *obj, double *bound, int *ret, int *mst, char *err, size_t errsize);

struct glp_tree;

/* The budget every search callback keeps: a node counted in *nodes at each
 * selection; past `work_limit` nodes (0: none) or past `deadline`
 * (clock_now_s(), 0: none) the search is terminated (glp_ios_terminate).
 * Returns 0 to go on, 1 stopped by the work limit, 2 by the deadline. */
int glpk_bridge_budget(struct glp_tree *tree, long *nodes, long work_limit, double deadline);

#endif
