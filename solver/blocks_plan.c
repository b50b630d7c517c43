/*
 * blocks_plan.c: a plan of a very large sub-problem from plans of its parts.
 *
 * A heuristic, never a bound (the bound is blocks.c's and colgen.c's over
 * the whole). Each site belongs to the part of its nearest unit, so the
 * parts' plans never share a site; each part is solved alone as a component
 * over the listing cap is (solver.c: heuristic incumbent, column
 * generation, the MIP over the generated columns, whose incumbent is the
 * heuristic's), within an equal share of the time. Units with no own site
 * in reach are left out; the caller completes and improves the joined plan
 * across the seams (heur_improve).
 */
#include "solver_int.h"
#include "clock.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct plan_run {
	const sp_sub *s;
	const sp_params *p;
	const int *blk, *owner;
	int nblk;
	double share; /* seconds per part */
	sp_sol *sols; /* per part, in s's indices */
	char *err;
	size_t errsize;
} plan_run;

/* The stations of part plan `in` (over bs) renumbered into *out (s).
 * Returns 0, -1 on ENOMEM. */
static int sol_map(const sp_sub *s, const sp_sol *in, const int *umap, const int *smap, sp_sol *out,
                   int *u)
{
	for (int t = 0; t < in->n; t++) {
		const sp_station *st = &in->st[t];
		for (int m = 0; m < st->n; m++)
			u[m] = umap[st->u[m]]; /* ascending: umap is */
		if (sp_sol_add(out, smap[st->site], u, st->n, s) < 0)
			return -1;
		if (st->sh) { /* flexible shares as they were */
			sp_station *nt = &out->st[out->n - 1];
			nt->sh = malloc((size_t)st->n * sizeof(long));
			if (!nt->sh)
				return -1;
			memcpy(nt->sh, st->sh, (size_t)st->n * sizeof(long));
			nt->lo = st->lo;
			nt->hi = st->hi;
			nt->wd = st->wd;
		}
	}
	return 0;
}

/* Plan part b into pr->sols[b]. Returns 0, -1 on ENOMEM (GLPK failing in a
 * part keeps the part's heuristic plan). */
static int plan_one(void *arg, int b)
{
	plan_run *pr = arg;
	const sp_params *p = pr->p;
	double t0 = clock_now_s();
	if (p->work_limit <= 0 && p->deadline > 0 && t0 >= p->deadline)
		return 0; /* no search starts after the deadline: its units stay out */
	size_t n1 = (size_t)pr->s->nu + (size_t)pr->s->ns + 1;
	int *umap = malloc(n1 * sizeof(int)), *smap = malloc(n1 * sizeof(int));
	int *u = malloc(n1 * sizeof(int));
	sp_sub bs;
	sp_sol inc = {0};
	sp_cols cols = {0};
	sp_result res = {0};
	cg_result cg = {0};
	int rc = -1;
	if (!umap || !smap || !u || blocks_sub(pr->s, pr->blk, b, pr->owner, &bs, umap, smap) < 0) {
		free(umap);
		free(smap);
		free(u);
		return -1;
	}
	double hs = p->work_limit > 0 ? p->deadline - t0 : 0.2 * pr->share;
	if (heur_solve(&bs, p, hs, &inc) < 0)
		goto out;
	double end = p->work_limit > 0 ? p->deadline : fmin(t0 + 0.6 * pr->share, p->deadline);
	cg_limits lim = {.rounds = p->work_limit, .deadline = end};
	const sp_sol *best = &inc;
	if (colgen_solve(&bs, p, &inc, &lim, -1, &cg) == 0) {
		if (sp_cols_from_cg(&bs, p, &cg, &cols) < 0)
			goto out;
		double left = pr->share - (clock_now_s() - t0);
		if (model_solve(&bs, p, &cols, &inc, left > 0.05 ? left : 0.05, &res) == 0 &&
		    sp_sol_cost(&bs, p, &res.sol) <= sp_sol_cost(&bs, p, &inc))
			best = &res.sol;
	}
	if (sol_map(pr->s, best, umap, smap, &pr->sols[b], u) < 0)
		goto out;
	rc = 0;
out:
	colgen_free(&cg);
	cluster_free(&cols);
	sp_sol_free(&res.sol);
	sp_sol_free(&inc);
	sp_sub_free(&bs);
	free(umap);
	free(smap);
	free(u);
	return rc;
}

void blocks_owners(const sp_sub *s, const int *blk, int *owner)
{
	for (int j = 0; j < s->ns; j++) {
		int best = -1;
		double bd = INFINITY;
		for (size_t q = s->ss[j]; q < s->ss[j + 1]; q++)
			if (s->sdist[q] < bd) {
				bd = s->sdist[q];
				best = s->sunit[q];
			}
		owner[j] = best >= 0 ? blk[best] : -1;
	}
}

int blocks_plan(const sp_sub *s, const sp_params *p, const int *blk, int nblk, double seconds,
                int nthreads, sp_sol *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	plan_run pr = {.s = s,
	               .p = p,
	               .blk = blk,
	               .nblk = nblk,
	               .share = seconds * (nthreads > 0 ? nthreads : 1) / (nblk > 0 ? nblk : 1),
	               .owner = NULL,
	               .sols = calloc((size_t)nblk + 1, sizeof(sp_sol)),
	               .err = err,
	               .errsize = errsize};
	int *owner = malloc(((size_t)s->ns + 1) * sizeof(int));
	int *u = malloc(((size_t)s->nu + 1) * sizeof(int));
	if (!pr.sols || !owner || !u) {
		free(pr.sols);
		free(owner);
		free(u);
		snprintf(err, errsize, "out of memory in the blocks' plan");
		return -1;
	}
	blocks_owners(s, blk, owner);
	pr.owner = owner;
	int failed = sp_parallel_parts(nthreads, nblk, plan_one, &pr) < 0;
	for (int b = 0; b < nblk; b++) {
		for (int t = 0; t < pr.sols[b].n && !failed; t++) {
			const sp_station *st = &pr.sols[b].st[t];
			if (sp_sol_add(out, st->site, st->u, st->n, s) < 0)
				failed = 1;
			else if (st->sh) {
				sp_station *nt = &out->st[out->n - 1];
				nt->sh = malloc((size_t)st->n * sizeof(long));
				if (!nt->sh) {
					failed = 1;
					break;
				}
				memcpy(nt->sh, st->sh, (size_t)st->n * sizeof(long));
				nt->lo = st->lo;
				nt->hi = st->hi;
				nt->wd = st->wd;
			}
		}
		sp_sol_free(&pr.sols[b]);
	}
	free(pr.sols);
	free(owner);
	free(u);
	if (failed) {
		sp_sol_free(out);
		snprintf(err, errsize, "out of memory in the blocks' plan");
		return -1;
	}
	sp_sol_sort(out);
	return 0;
}
