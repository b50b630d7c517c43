/*
 * walk_seams.c: less walking for a min_distance plan of a very large sub,
 * by re-planning a second cut into regions whose seams lie elsewhere.
 *
 * The blocks of walk_blocks.c are planned alone over their own sites, and
 * the regions of walk_lns.c (a few dozen units) cannot undo what a block's
 * seam imposes on thousands. Here a second partition of the units (cut
 * along other lines than the blocks') is re-planned region by region with
 * the rest of the plan fixed: a region frees the plan's stations at its
 * own sites (blocks_owners) serving its units only, and its sub (those
 * units, its sites free or freed, blocks_sub) gets column generation in
 * budget mode (at most the freed stations' underfilled ones) and
 * price-and-branch on walking (walk_improve), the freed stations injected
 * as the first plan. A region's new stations replace its freed ones only
 * when they walk less, so the plan never walks more, has no more
 * underfilled stations and stays valid. Regions share no unit and no
 * site, so they are solved in parallel and applied in order: the result
 * does not depend on the number of threads (under a work limit; without
 * one, each region gets an equal share of the time, and none runs when that
 * share is under WS_SHARE_MIN seconds).
 */
#include "solver_int.h"
#include "grow.h"
#include "clock.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Seconds a region needs (without a work limit): column generation over
 * 300 units did not end in 0.15 s on the metropolis at load 3.5, so none
 * improved; with at least this share the regions of a 2,000-community
 * core took 1-2 s each. With less, walk_seams does nothing (the time is
 * walk_lns's): on the metropolis at 60 s the seams at 1.5 s each reached
 * only a few regions and the plan walked more than without them. */
#define WS_SHARE_MIN 1.5

typedef struct seams {
	const sp_sub *s;
	const sp_params *p;
	const sp_sol *sol;
	int *blkx;   /* per unit: its region when its station is freed, else -1 */
	int *ownerx; /* per site: its region when free or freed, else -1 */
	double deadline, share;
	sp_sol *plans; /* per region: its new stations in s's indices (empty: none) */
	pthread_mutex_t mu;
	char *err;
	size_t errsize;
} seams;

/* Region r re-planned into m->plans[r] when it walks less (sp_parallel_parts).
 * Returns 0, -1 on failure (err set). */
static int region_one(void *arg, int r)
{
	seams *m = arg;
	const sp_sub *s = m->s;
	const sp_params *p = m->p;
	blocks_view v;
	sp_sol seed = {0};
	cg_result cg = {0};
	char err[256] = "";
	int rc = -1, ran = 0;
	if (blocks_view_open(s, m->blkx, r, m->ownerx, &v) < 0)
		goto out;
	const int *uinv = v.uinv, *sinv = v.sinv;
	int *u = v.u;
	sp_sub *bs = &v.bs;
	long budget = 0;
	for (int t = 0; t < m->sol->n; t++) {
		const sp_station *st = &m->sol->st[t];
		if (m->ownerx[st->site] != r || m->blkx[st->u[0]] != r)
			continue;
		for (int k = 0; k < st->n; k++)
			u[k] = uinv[st->u[k]];
		if (sinv[st->site] < 0 || u[0] < 0)
			goto done; /* not in the sub (cannot happen): leave it */
		budget += rules_band_under(sp_band(p), st->lo) && !sp_isolated(s, p, st->site);
		if (sp_sol_add(&seed, sinv[st->site], u, st->n, bs) < 0)
			goto out;
	}
	if (seed.n == 0)
		goto done;
	double before = sp_sol_walk(bs, &seed), now = clock_now_s();
	if (p->work_limit <= 0 && now + 0.5 * m->share > m->deadline)
		goto done; /* no time left for it */
	double end = p->work_limit > 0 ? m->deadline : fmin(m->deadline, now + m->share);
	cg_limits lim = {.rounds = p->work_limit, .deadline = end};
	int cr = colgen_solve(bs, p, &seed, &lim, budget, &cg);
	if (cr < 0) {
		if (strstr(cg.err, "out of memory")) {
			snprintf(err, sizeof(err), "%s", cg.err);
			goto out;
		}
		goto done; /* GLPK failed here: the region stays as it is */
	}
	ran = walk_improve(bs, p, &cg, budget, cg.bound, end, &seed, err, sizeof(err));
	if (ran < 0 && strstr(err, "out of memory"))
		goto out;
	err[0] = '\0';
	if (ran == 1 && sp_sol_underfilled(bs, p, &seed) <= budget &&
	    sp_sol_walk(bs, &seed) < before - 1e-9 * (1 + before) &&
	    blocks_view_export(&v, s, &seed, &m->plans[r]) < 0)
		goto out;
done:
	rc = 0;
out:
	if (rc < 0) {
		pthread_mutex_lock(&m->mu);
		snprintf(m->err, m->errsize, "%s", err[0] ? err : "out of memory in the seams");
		pthread_mutex_unlock(&m->mu);
	}
	colgen_free(&cg);
	sp_sol_free(&seed);
	blocks_view_close(&v);
	return rc;
}

int walk_seams(const sp_sub *s, const sp_params *p, const int *blk, int nblk, double deadline,
               int nthreads, sp_sol *sol, char *err, size_t errsize)
{
	if (nblk < 1 || sol->n == 0)
		return 0;
	seams m = {
	    .s = s, .p = p, .sol = sol, .deadline = deadline, .err = err, .errsize = errsize};
	int *owner = malloc(((size_t)s->ns + 1) * sizeof(int));
	m.blkx = malloc(((size_t)s->nu + 1) * sizeof(int));
	m.ownerx = malloc(((size_t)s->ns + 1) * sizeof(int));
	m.plans = calloc((size_t)nblk, sizeof(sp_sol));
	unsigned char *freed = calloc((size_t)sol->n + 1, 1);
	int rc = -1;
	if (!owner || !m.blkx || !m.ownerx || !m.plans || !freed) {
		snprintf(err, errsize, "out of memory in the seams");
		goto out;
	}
	blocks_owners(s, blk, owner);
	for (int u = 0; u < s->nu; u++)
		m.blkx[u] = -1;
	for (int j = 0; j < s->ns; j++)
		m.ownerx[j] = owner[j];
	for (int t = 0; t < sol->n; t++) {
		const sp_station *st = &sol->st[t];
		int r = owner[st->site], in = r >= 0 && !st->sh;
		for (int k = 0; k < st->n && in; k++)
			in = blk[st->u[k]] == r;
		freed[t] = (unsigned char)in;
		if (!in)
			m.ownerx[st->site] = -1; /* held by the fixed plan */
		for (int k = 0; k < st->n && in; k++)
			m.blkx[st->u[k]] = r;
	}
	m.share = fmax(0.0, deadline - clock_now_s()) * (nthreads > 0 ? nthreads : 1) / nblk;
	if (p->work_limit <= 0 && m.share < WS_SHARE_MIN) {
		rc = 0; /* too little time for its regions: left to walk_lns */
		goto out;
	}
	pthread_mutex_init(&m.mu, NULL);
	int failed = sp_parallel_parts(nthreads, nblk, region_one, &m) < 0;
	pthread_mutex_destroy(&m.mu);
	if (failed)
		goto out;
	sp_sol next = {0};
	int changed = 0;
	for (int t = 0; t < sol->n; t++) {
		const sp_station *st = &sol->st[t];
		int r = owner[st->site];
		if (freed[t] && m.plans[r].n > 0)
			continue;
		if (sp_sol_add(&next, st->site, st->u, st->n, s) < 0)
			goto nomem;
		if (st->sh) { /* a split unit's share (never freed) */
			sp_station *d = &next.st[next.n - 1];
			d->sh = malloc((size_t)st->n * sizeof(long));
			if (!d->sh)
				goto nomem;
			memcpy(d->sh, st->sh, (size_t)st->n * sizeof(long));
			sp_station_refresh(s, d);
		}
	}
	for (int r = 0; r < nblk; r++) {
		changed |= m.plans[r].n > 0;
		for (int t = 0; t < m.plans[r].n; t++) {
			const sp_station *st = &m.plans[r].st[t];
			if (sp_sol_add(&next, st->site, st->u, st->n, s) < 0)
				goto nomem;
		}
	}
	sp_sol_sort(&next);
	sp_sol_free(sol);
	*sol = next;
	rc = changed;
	goto out;
nomem:
	sp_sol_free(&next);
	snprintf(err, errsize, "out of memory in the seams");
out:
	for (int r = 0; m.plans && r < nblk; r++)
		sp_sol_free(&m.plans[r]);
	GROW_FREE(m.plans, owner, m.blkx, m.ownerx, freed);
	return rc;
}
