/*
 * walk_blocks.c: min_distance on a very large sub: the walking bound of the
 * whole from the LPs of its blocks, and their plans.
 *
 * walk_bound.c lists every station of a sub, which a 20,000-community
 * metropolis (a hundred thousand sites) does not allow, and one simplex
 * over its whole master takes seconds. Its blocks (blocks.c: a few thousand
 * units each, every site with the block of its nearest unit) are solved
 * alone by walk_bound_duals, in parallel, each with the plan's underfilled
 * stations on its own sites as its budget. Two things come of them:
 *   - plans: a block's LP that ends integral is the best plan of its units
 *     over its own sites within its budget; where every block has one,
 *     they are joined (the units with no own site in reach placed by the
 *     heuristic) and replace the plan when it costs less;
 *   - duals: joined, they are duals of the whole (any values are), and
 *     walk_lagr turns them into a valid bound of the whole sub by exact
 *     pricing at every site (a block whose LP rests on an artificial
 *     column or prices an underfilled station absurdly gives none); on a
 *     sub of at most WBK_CG_UNITS units the duals of column generation
 *     over the whole are tried too, the better kept; then subgradient
 *     steps raise it. A block's own LP value is never used as a bound.
 * Then walk_lns re-plans regions across the seams, on one thread while the
 * bound's steps run on another (the bound holds for every plan with at
 * most the joined plan's underfilled stations; the regions never add one).
 * The regions trade underfilled stations at a price, starting from the
 * median of the blocks' budget duals: a block's budget is only where the
 * first plan put its underfilled stations, and regions alone cannot move
 * one across the component (measured on the 2,000-community core cut into
 * blocks of 500, 60 s, load 4-6: 941,710 household-km at 177 underfilled
 * without, 932,871 with, bound 898,767).
 * Each block is solved alone and each step is independent of the threads,
 * so the result does not depend on their number.
 */
#include "solver_int.h"
#include "clock.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Subgradient steps of walk_lagr at most under a work limit (the same
 * count every run); without one, the deadline ends them. */
#define WBK_LAGR_ITERS 150
#define WBK_LAGR_MAX   1000000
/* Units of a sub up to which column generation over the whole (no cuts) is
 * tried for duals beside the blocks': measured on the 2,000-community core
 * cut into blocks of 500, its duals gave a bound of 898,178 household-km
 * where the blocks' gave 658,171 (plan 941,710); on the 20,000-community
 * metropolis its first simplex did not end in 8 s. */
#define WBK_CG_UNITS 6000
/* The share of the time after the blocks for re-planning a second cut's
 * regions (walk_seams) before walk_lns's. */
#define WBK_SEAMS 0.5
/* The joined plan over the plan's underfilled stations goes to the
 * regions only when over by at most one in WBK_OVER_MAX: on the metropolis
 * (105 s, load 3.5) the regions did not bring 30 over back within, at 60 s
 * they brought 8 (9.06 M household-km where the plan walked 9.35 M). */
#define WBK_OVER_MAX 100
/* Units of a sub up to which the regions are priced (and the joined plan
 * over the budget tried): on the 2,000-community core (blocks of 500, 60 s)
 * the price took the plan from 941,710 to 932,871 household-km; on the
 * 20,000-community metropolis at 60 s, where the regions reach about a
 * third of the communities, the walking gap was 11.5-12.4 % priced
 * against 8.8-9.7 % not (load 4-5, three runs each): stations given up
 * early found no taker in time. */
#define WBK_PRICE_UNITS 6000

typedef struct wbk {
	const sp_sub *s;
	const sp_params *p;
	const int *blk, *owner;
	const sp_sol *sol;
	double deadline, share; /* the blocks' end; seconds of one block */
	sp_sol *plans;          /* per block, in s's indices (empty: none) */
	walk_duals *duals;      /* per block, units in s's indices */
	int *ok;                /* per block: its LP ended integral */
	pthread_mutex_t mu;     /* err */
	char *err;
	size_t errsize;
} wbk;

/* The seed (the plan's stations on block bs's sites serving its units
 * only, in bs's indices) and the block's budget (the plan's underfilled
 * stations on its sites, and one for each of its units the plan serves
 * from another block's site). Returns 0, -1 on ENOMEM. */
static int block_seed(const wbk *k, int b, const sp_sub *bs, const int *uinv, const int *sinv,
                      sp_sol *seed, long *budget, int *u)
{
	const sp_sub *s = k->s;
	*budget = 0;
	for (int t = 0; t < k->sol->n; t++) {
		const sp_station *st = &k->sol->st[t];
		if (k->owner[st->site] != b)
			continue;
		*budget +=
		    rules_band_under(sp_band(k->p), st->lo) && !sp_isolated(s, k->p, st->site);
		int n = 0;
		for (int m = 0; m < st->n && uinv[st->u[m]] >= 0; m++)
			u[n++] = uinv[st->u[m]];
		if (n == st->n && !st->sh && sp_sol_add(seed, sinv[st->site], u, n, bs) < 0)
			return -1;
	}
	/* a unit of the block served from another block's site may need a
	 * station of its own here: room for it in the budget */
	for (int t = 0; t < k->sol->n; t++) {
		const sp_station *st = &k->sol->st[t];
		for (int m = 0; m < st->n && k->owner[st->site] != b; m++)
			*budget += uinv[st->u[m]] >= 0;
	}
	return 0;
}

/* A plan of block bs when its LP did not end integral: the seed completed
 * by the heuristic, then price-and-branch on walking over the columns of
 * column generation within the budget (walk_improve), into *plan (empty
 * on entry; left empty when the seed cannot be completed). Returns 0, -1
 * on failure. */
static int block_plan(const wbk *k, const sp_sub *bs, long budget, double lb, double end,
                      const sp_sol *seed, sp_sol *plan)
{
	const sp_params *p = k->p;
	double left = end - clock_now_s();
	if (p->work_limit <= 0 && left <= 0)
		return 0;
	if (sp_sol_copy(plan, seed) < 0)
		return -1;
	if (heur_improve(bs, p, p->work_limit > 0 ? left : 0.1 * left, plan) < 0)
		return -1;
	cg_limits lim = {.rounds = p->work_limit, .deadline = end};
	cg_result cg;
	char err[256] = "";
	int r = colgen_solve(bs, p, plan, &lim, budget, &cg);
	int oom = r < 0 && strstr(cg.err, "out of memory");
	if (r == 0 && isfinite(lb))
		oom = walk_improve(bs, p, &cg, budget, lb, end, plan, err, sizeof(err)) < 0 &&
		      strstr(err, "out of memory");
	colgen_free(&cg);
	return oom ? -1 : 0;
}

/* Block b's duals and plan, renumbered to s (sp_parallel_parts). Returns
 * 0, -1. */
static int block_one(void *arg, int b)
{
	wbk *k = arg;
	const sp_sub *s = k->s;
	blocks_view v;
	sp_sol seed = {0}, plan = {0};
	walk_duals d = {0};
	char err[256] = "";
	int rc = -1;
	if (blocks_view_open(s, k->blk, b, k->owner, &v) < 0)
		goto out;
	long budget;
	if (block_seed(k, b, &v.bs, v.uinv, v.sinv, &seed, &budget, v.u) < 0)
		goto out;
	double bound,
	    end = k->p->work_limit > 0 ? k->deadline : fmin(k->deadline, clock_now_s() + k->share);
	int r =
	    walk_bound_duals(&v.bs, k->p, &seed, budget, end, &bound, &plan, &d, err, sizeof(err));
	if (r < 0)
		goto out;
	if (plan.n == 0 && block_plan(k, &v.bs, budget, bound, end, &seed, &plan) < 0)
		goto out;
	if (d.pi) { /* to s's units: umap ascends, so the sets stay sorted */
		double *pi = malloc(((size_t)s->nu + 1) * sizeof(double));
		if (!pi)
			goto out;
		for (int i = 0; i < s->nu; i++)
			pi[i] = NAN;
		for (int a = 0; a < v.bs.nu; a++)
			pi[v.umap[a]] = d.pi[a];
		free(d.pi);
		d.pi = pi;
		size_t nz = d.ncut > 0 ? d.cstart[d.ncut] : 0;
		for (size_t e = 0; e < nz; e++)
			d.cset[e] = v.umap[d.cset[e]];
	}
	if (blocks_view_export(&v, s, &plan, &k->plans[b]) < 0)
		goto out;
	k->ok[b] = plan.n > 0;
	k->duals[b] = d;
	d = (walk_duals){0};
	rc = 0;
out:
	if (rc < 0) {
		pthread_mutex_lock(&k->mu);
		snprintf(k->err, k->errsize, "%s",
		         err[0] ? err : "out of memory in the blocks' walking");
		pthread_mutex_unlock(&k->mu);
	}
	walk_duals_free(&d);
	sp_sol_free(&seed);
	sp_sol_free(&plan);
	blocks_view_close(&v);
	return rc;
}

/* The blocks' duals joined into *d over s: a unit in no block (no own site
 * in reach) at the walking of its nearest site. Returns 0, -1 on ENOMEM. */
static int duals_join(const wbk *k, int nblk, walk_duals *d)
{
	const sp_sub *s = k->s;
	memset(d, 0, sizeof(*d));
	size_t nz = 0;
	int ncut = 0;
	for (int b = 0; b < nblk; b++) {
		ncut += k->duals[b].ncut;
		nz += k->duals[b].ncut > 0 ? k->duals[b].cstart[k->duals[b].ncut] : 0;
	}
	d->pi = malloc(((size_t)s->nu + 1) * sizeof(double));
	d->cstart = malloc(((size_t)ncut + 1) * sizeof(size_t));
	d->cset = malloc((nz + 1) * sizeof(int));
	d->sigma = malloc(((size_t)ncut + 1) * sizeof(double));
	if (!d->pi || !d->cstart || !d->cset || !d->sigma) {
		walk_duals_free(d);
		return -1;
	}
	for (int u = 0; u < s->nu; u++)
		d->pi[u] = (double)s->h[u] * s->udist[s->us[u]] / s->dscale;
	d->cstart[0] = 0;
	/* the budget row's: the median of the blocks' (walk_lagr's start) */
	double *mus = malloc(((size_t)nblk + 1) * sizeof(double));
	if (!mus) {
		walk_duals_free(d);
		return -1;
	}
	int nm = 0;
	/* a block whose LP rests on an artificial column, or prices one more
	 * underfilled station above the most walking of any unit (a degenerate
	 * vertex), gives poor duals: its units keep the fallback */
	double most = 0;
	for (int u = 0; u < s->nu; u++)
		most = fmax(most, (double)s->h[u] * k->p->walk_m / s->dscale);
	for (int b = 0; b < nblk; b++)
		if (k->duals[b].pi && -k->duals[b].mu > 25 * most)
			k->duals[b].artificial = 1;
	for (int b = 0; b < nblk; b++)
		if (k->duals[b].pi && !k->duals[b].artificial)
			mus[nm++] = k->duals[b].mu;
	qsort(mus, (size_t)nm, sizeof(double), sp_cmp_double);
	d->mu = nm > 0 ? mus[nm / 2] : 0.0;
	free(mus);
	for (int b = 0; b < nblk; b++) {
		const walk_duals *x = &k->duals[b];
		for (int u = 0; x->pi && !x->artificial && u < s->nu; u++)
			if (!isnan(x->pi[u]))
				d->pi[u] = x->pi[u];
		for (int c = 0; c < x->ncut; c++) {
			size_t a = x->cstart[c], e = x->cstart[c + 1], o = d->cstart[d->ncut];
			memcpy(d->cset + o, x->cset + a, (e - a) * sizeof(int));
			/* an artificial block's cut duals are of the same poor
			 * vertex (measured: a bound of -13 M household-km where
			 * they were kept): at 0, the cuts left to the steps */
			d->sigma[d->ncut] = x->artificial ? 0.0 : x->sigma[c];
			d->cstart[++d->ncut] = o + (e - a);
		}
	}
	return 0;
}

/* The blocks' plans joined, completed by the heuristic, into *sol when
 * they cost less; else into *over when they have more underfilled stations
 * but walk less by more than `price` for each (for the regions to bring
 * within sol's underfilled stations). Returns 0, -1 on ENOMEM. */
static int plans_join(const wbk *k, int nblk, double seconds, double price, sp_sol *sol,
                      sp_sol *over)
{
	sp_sol j = {0};
	for (int b = 0; b < nblk; b++) {
		for (int t = 0; t < k->plans[b].n; t++) {
			const sp_station *st = &k->plans[b].st[t];
			if (sp_sol_add(&j, st->site, st->u, st->n, k->s) < 0) {
				sp_sol_free(&j);
				return -1;
			}
		}
	}
	sp_sol_sort(&j);
	if (heur_improve(k->s, k->p, seconds, &j) < 0)
		return -1;
	long more = sp_sol_underfilled(k->s, k->p, &j) - sp_sol_underfilled(k->s, k->p, sol);
	if (sp_sol_cost(k->s, k->p, &j) < sp_sol_cost(k->s, k->p, sol) - 1e-9) {
		sp_sol_free(sol);
		*sol = j;
	} else if (more > 0 && price > 0 &&
	           sp_sol_walk(k->s, &j) + price * (double)more < sp_sol_walk(k->s, sol))
		*over = j;
	else
		sp_sol_free(&j);
	return 0;
}

typedef struct lns_job {
	walk_call c;
	sp_sol *over;            /* the joined plan over c.sol's underfilled stations, or empty */
	const int *const *seams; /* the seams' two cuts (walk_seams), or NULL */
	const int *nseams;
	double seams_mid, seams_end;
} lns_job;

/* The seams of the first cut until seams_mid, those of the second until
 * seams_end, then the regions of walk_lns (on the joined plan over the
 * budget when it still walks less by more than the price of each). */
static int lns_run(void *arg)
{
	lns_job *j = arg;
	walk_call *c = &j->c;
	if (j->seams && (walk_seams(c->s, c->p, j->seams[0], j->nseams[0], j->seams_mid, 1, c->sol,
	                            c->err, c->errsize) < 0 ||
	                 walk_seams(c->s, c->p, j->seams[1], j->nseams[1], j->seams_end, 1, c->sol,
	                            c->err, c->errsize) < 0))
		return -1;
	long more = sp_sol_underfilled(c->s, c->p, j->over) - c->budget;
	if (j->over->n > 0 && c->price > 0 && more * WBK_OVER_MAX <= c->budget &&
	    sp_sol_walk(c->s, j->over) + c->price * (double)more < sp_sol_walk(c->s, c->sol)) {
		walk_call o = *c;
		o.sol = j->over;
		return walk_lns_run(&o);
	}
	sp_sol_free(j->over); /* no longer better */
	return walk_lns_run(c);
}

typedef struct lagr_call {
	const sp_sub *s;
	const sp_params *p;
	walk_duals *d;
	const sp_sol *seed; /* the plan before the regions: column generation's start */
	long budget;
	double ub, cg_end, deadline;
	double *bound;
	int r;
} lagr_call;

/* The bound: the blocks' duals, or those of column generation over the
 * whole (the plan's stations to start, until cg_end; no cuts), whichever
 * gives more, then the subgradient steps. c->r as walk_lagr returns. */
static void *lagr_thread(void *arg)
{
	lagr_call *c = arg;
	const sp_sub *s = c->s;
	double L1, L2 = -INFINITY;
	c->r = walk_lagr(c->s, c->p, c->d, c->budget, c->ub, 0, c->deadline, 1, &L1);
	cg_limits lim = {.rounds = c->p->work_limit, .deadline = c->cg_end};
	cg_result cg = {0};
	walk_duals d2 = {.mu = c->d->mu};
	if (c->r == 1 && s->nu <= WBK_CG_UNITS &&
	    colgen_solve(s, c->p, c->seed, &lim, c->budget, &cg) == 0) {
		/* the blocks' cuts, at zero, for the subgradient to price */
		const walk_duals *x = c->d;
		size_t nz = x->ncut > 0 ? x->cstart[x->ncut] : 0;
		d2.pi = cg.pi;
		cg.pi = NULL;
		d2.ncut = x->ncut;
		d2.cstart = malloc(((size_t)x->ncut + 1) * sizeof(size_t));
		d2.cset = malloc((nz + 1) * sizeof(int));
		d2.sigma = calloc((size_t)x->ncut + 1, sizeof(double));
		if (d2.cstart && d2.cset) {
			memcpy(d2.cstart, x->cstart, ((size_t)x->ncut + 1) * sizeof(size_t));
			memcpy(d2.cset, x->cset, (nz + 1) * sizeof(int));
		}
		if (!d2.cstart || !d2.cset || !d2.sigma ||
		    walk_lagr(s, c->p, &d2, c->budget, c->ub, 0, c->deadline, 1, &L2) < 0)
			c->r = -1;
	}
	colgen_free(&cg);
	if (c->r == 1 && L2 > L1) {
		walk_duals_free(c->d);
		*c->d = d2;
		d2 = (walk_duals){0};
	}
	walk_duals_free(&d2);
	if (c->r == 1)
		c->r = walk_lagr(c->s, c->p, c->d, c->budget, c->ub,
		                 c->p->work_limit > 0 ? WBK_LAGR_ITERS : WBK_LAGR_MAX, c->deadline,
		                 1, c->bound);
	return NULL;
}

/* lagr_thread on a thread of its own, which ends its GLPK environment. */
static void *lagr_apart(void *arg)
{
	lagr_thread(arg);
	glpk_bridge_thread_end();
	return NULL;
}

int walk_blocks(const sp_sub *s, const sp_params *p, const int *blk, int nblk,
                const int *const seams[2], const int nseams[2], sp_sol *sol, double bound_deadline,
                double deadline, int nthreads, double *bound, char *err, size_t errsize)
{
	*bound = -INFINITY;
	if (!walk_lagr_applies(s, p))
		return 0;
	wbk k = {.s = s,
	         .p = p,
	         .blk = blk,
	         .sol = sol,
	         .deadline = bound_deadline,
	         .plans = calloc((size_t)nblk + 1, sizeof(sp_sol)),
	         .duals = calloc((size_t)nblk + 1, sizeof(walk_duals)),
	         .ok = calloc((size_t)nblk + 1, sizeof(int)),
	         .err = err,
	         .errsize = errsize};
	int *owner = malloc(((size_t)s->ns + 1) * sizeof(int));
	walk_duals d = {0};
	sp_sol over = {0}; /* the joined plan when over sol's underfilled stations */
	int rc = -1;
	if (!k.plans || !k.duals || !k.ok || !owner) {
		snprintf(err, errsize, "out of memory in the blocks' walking");
		goto out;
	}
	blocks_owners(s, blk, owner);
	k.owner = owner;
	k.share = fmax(0.0, bound_deadline - clock_now_s()) * (nthreads > 0 ? nthreads : 1) /
	          (nblk > 0 ? nblk : 1);
	pthread_mutex_init(&k.mu, NULL);
	int failed = sp_parallel_parts(nthreads, nblk, block_one, &k) < 0;
	pthread_mutex_destroy(&k.mu);
	if (failed)
		goto out;
	double hs = p->work_limit > 0 ? deadline - clock_now_s()
	                              : fmax(0.05, 0.1 * (deadline - clock_now_s()));
	if (duals_join(&k, nblk, &d) < 0 || plans_join(&k, nblk, hs, -d.mu, sol, &over) < 0) {
		snprintf(err, errsize, "out of memory in the blocks' walking");
		goto out;
	}
	long under = sp_sol_underfilled(s, p, sol);
	double walk = sp_sol_walk(s, sol);
	/* the bound (one thread) beside the regions (another): the bound
	 * holds for every plan with at most `under` underfilled stations, and
	 * the regions never add one */
	sp_sol seed = {0};
	if (sp_sol_copy(&seed, sol) < 0) {
		snprintf(err, errsize, "out of memory in the blocks' walking");
		goto out;
	}
	lagr_call lc = {.s = s,
	                .p = p,
	                .d = &d,
	                .seed = &seed,
	                .cg_end = p->work_limit > 0
	                              ? deadline
	                              : clock_now_s() + 0.5 * (deadline - clock_now_s()),
	                .budget = under,
	                .ub = walk,
	                /* alone on its thread, or under a work limit (then the
	                   safety net), it may take the time to the end */
	                .deadline = nthreads > 1 || p->work_limit > 0
	                                ? deadline
	                                : clock_now_s() + 0.4 * (deadline - clock_now_s()),
	                .bound = bound};
	/* the seams on sol, then the regions on the joined plan when it is
	 * over sol's underfilled stations and still walks less by more than
	 * the price of each (kept only when they bring it within) */
	walk_call c = {s,         p,        under,
	               -INFINITY, deadline, sol,
	               err,       errsize,  s->nu <= WBK_PRICE_UNITS ? -d.mu : 0.0};
	pthread_t th;
	int apart = nthreads > 1 && pthread_create(&th, NULL, lagr_apart, &lc) == 0;
	if (!apart)
		lagr_thread(&lc);
	double left = deadline - clock_now_s();
	lns_job lj = {.c = c,
	              .over = &over,
	              .seams = seams,
	              .nseams = nseams,
	              .seams_mid =
	                  p->work_limit > 0 ? deadline : clock_now_s() + 0.5 * WBK_SEAMS * left,
	              .seams_end = p->work_limit > 0 ? deadline : clock_now_s() + WBK_SEAMS * left};
	int lr = glpk_bridge_call(lns_run, &lj, err, errsize);
	if (apart)
		pthread_join(th, NULL);
	sp_sol_free(&seed);
	if (lr >= 0 && over.n > 0 && sp_sol_cost(s, p, &over) < sp_sol_cost(s, p, sol) - 1e-9) {
		sp_sol_free(sol);
		*sol = over;
		over = (sp_sol){0};
	}
	int r = lc.r;
	if (r < 0) {
		snprintf(err, errsize, "out of memory in the walking bound");
		goto out;
	}
	if (lr < 0)
		goto out;
	rc = r;
out:
	for (int b = 0; k.plans && b < nblk; b++)
		sp_sol_free(&k.plans[b]);
	for (int b = 0; k.duals && b < nblk; b++)
		walk_duals_free(&k.duals[b]);
	walk_duals_free(&d);
	sp_sol_free(&over);
	free(k.plans);
	free(k.duals);
	free(k.ok);
	free(owner);
	return rc;
}
