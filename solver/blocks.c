/*
 * blocks.c: duals of a very large sub-problem from the LPs of its parts.
 *
 * Column generation over one master of tens of thousands of unit rows needs
 * seconds per simplex round and many rounds (measured on the 20,000-
 * community metropolis: one round in 10 s). Blocks of about a thousand
 * units, cut by recursive coordinate bisection, converge in a fraction of a
 * second each. Their duals together are not a dual solution of the whole
 * LP (columns across a seam may price out), so they are never a bound by
 * themselves: colgen_farley turns any duals into a valid bound of the whole
 * LP by exact pricing over every site of the whole sub-problem.
 *
 * A block is the sub of its units with every site of the parent reaching
 * one of them, each site keeping the parent's households in reach (so the
 * isolation of a site, hence the cost of its columns, is the parent's).
 * Blocks are solved in parallel; each is solved alone, so the duals do not
 * depend on the number of threads.
 */
#include "solver_int.h"
#include "grow.h"
#include "clock.h"

#include <assert.h>
#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Bisect units u[0..n) along the longer side of their box until each part
 * has at most `target`; part numbers from *next. */
static void bisect(const double *ux, const double *uy, sp_keyed *k, int *u, int n, int target,
                   int *blk, int *next)
{
	if (n <= target) {
		for (int i = 0; i < n; i++)
			blk[u[i]] = *next;
		(*next)++;
		return;
	}
	double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
	for (int i = 0; i < n; i++) {
		x0 = fmin(x0, ux[u[i]]);
		x1 = fmax(x1, ux[u[i]]);
		y0 = fmin(y0, uy[u[i]]);
		y1 = fmax(y1, uy[u[i]]);
	}
	const double *c = x1 - x0 >= y1 - y0 ? ux : uy;
	for (int i = 0; i < n; i++)
		k[i] = (sp_keyed){c[u[i]], u[i]};
	qsort(k, (size_t)n, sizeof(sp_keyed), sp_cmp_keyed);
	for (int i = 0; i < n; i++)
		u[i] = k[i].id;
	int h = n / 2;
	bisect(ux, uy, k, u, h, target, blk, next);
	bisect(ux, uy, k, u + h, n - h, target, blk, next);
}

int blocks_partition(const sp_sub *s, const double *ux, const double *uy, int target, int *blk)
{
	assert(target > 0);
	int *u = malloc(((size_t)s->nu + 1) * sizeof(int));
	sp_keyed *k = malloc(((size_t)s->nu + 1) * sizeof(sp_keyed));
	if (!u || !k) {
		free(u);
		free(k);
		return -1;
	}
	for (int i = 0; i < s->nu; i++)
		u[i] = i;
	int next = 0;
	bisect(ux, uy, k, u, s->nu, target, blk, &next);
	free(u);
	free(k);
	return next;
}

int blocks_sub(const sp_sub *s, const int *blk, int b, const int *owner, sp_sub *out, int *umap,
               int *smap)
{
	memset(out, 0, sizeof(*out));
	int *uloc = malloc(((size_t)s->nu + 1) * sizeof(int));
	int *sloc = malloc(((size_t)s->ns + 1) * sizeof(int));
	if (!uloc || !sloc)
		goto fail;
	int nu = 0, ns = 0;
	size_t npairs = 0;
	for (int u = 0; u < s->nu; u++) {
		int any = 0; /* a site it may use */
		for (size_t q = s->us[u]; q < s->us[u + 1] && !any && blk[u] == b; q++)
			any = !owner || owner[s->usite[q]] == b;
		uloc[u] = any ? nu++ : -1;
	}
	for (int j = 0; j < s->ns; j++)
		sloc[j] = -1;
	for (int u = 0; u < s->nu; u++)
		if (uloc[u] >= 0)
			for (size_t q = s->us[u]; q < s->us[u + 1]; q++)
				if (!owner || owner[s->usite[q]] == b) {
					sloc[s->usite[q]] = 0;
					npairs++;
				}
	for (int j = 0; j < s->ns; j++)
		if (sloc[j] == 0)
			sloc[j] = ns++;
		else
			sloc[j] = -1;
	out->id = s->id;
	snprintf(out->key, sizeof(out->key), "%.40s block %d", s->key, b + 1);
	out->nu = nu;
	out->ns = ns;
	out->penalty = s->penalty;
	out->dscale = s->dscale;
	out->time_limit = s->time_limit;
	out->stack = s->stack;
	size_t nu1 = (size_t)nu + 1, ns1 = (size_t)ns + 1, np1 = npairs + 1;
	out->unit = malloc(nu1 * sizeof(int));
	out->h = malloc(nu1 * sizeof(long));
	out->k = malloc(nu1 * sizeof(int));
	out->plo = malloc(nu1 * sizeof(long));
	out->phi = malloc(nu1 * sizeof(long));
	out->us = malloc(nu1 * sizeof(size_t));
	out->usite = malloc(np1 * sizeof(int));
	out->udist = malloc(np1 * sizeof(double));
	out->site = malloc(ns1 * sizeof(int));
	out->fixed = malloc(ns1);
	out->sreach = malloc(ns1 * sizeof(long));
	out->ss = malloc(ns1 * sizeof(size_t));
	out->sunit = malloc(np1 * sizeof(int));
	out->sdist = malloc(np1 * sizeof(double));
	if (!out->unit || !out->h || !out->k || !out->plo || !out->phi || !out->us || !out->usite ||
	    !out->udist || !out->site || !out->fixed || !out->sreach || !out->ss || !out->sunit ||
	    !out->sdist)
		goto fail;
	size_t e = 0;
	out->us[0] = 0;
	for (int u = 0; u < s->nu; u++) {
		int a = uloc[u];
		if (a < 0)
			continue;
		umap[a] = u;
		out->unit[a] = s->unit[u];
		out->h[a] = s->h[u];
		out->k[a] = s->k[u];
		out->plo[a] = s->plo[u];
		out->phi[a] = s->phi[u];
		out->htotal += s->h[u];
		for (size_t q = s->us[u]; q < s->us[u + 1]; q++)
			if (sloc[s->usite[q]] >= 0) {
				out->usite[e] = sloc[s->usite[q]];
				out->udist[e++] = s->udist[q];
			}
		out->us[a + 1] = e;
	}
	e = 0;
	out->ss[0] = 0;
	for (int j = 0; j < s->ns; j++) {
		int t = sloc[j];
		if (t < 0)
			continue;
		smap[t] = j;
		out->site[t] = s->site[j];
		out->fixed[t] = s->fixed[j];
		out->sreach[t] = s->sreach[j]; /* the parent's: isolation as there */
		for (size_t q = s->ss[j]; q < s->ss[j + 1]; q++)
			if (uloc[s->sunit[q]] >= 0) {
				out->sunit[e] = uloc[s->sunit[q]];
				out->sdist[e++] = s->sdist[q];
			}
		out->ss[t + 1] = e;
	}
	assert(e == npairs);
	free(uloc);
	free(sloc);
	return 0;
fail:
	free(uloc);
	free(sloc);
	sp_sub_free(out);
	return -1;
}

typedef struct blk_run {
	const sp_sub *s;
	const sp_params *p;
	const cg_limits *lim;
	const int *blk;
	int nblk;
	long budget;
	cg_result *res; /* per part: columns in the parent's local indices, per
	                   unit arrays in the part's (umap[b] maps them) */
	int **umap, *nu;
	pthread_mutex_t mu; /* err */
	char *err;
	size_t errsize;
} blk_run;

int blocks_view_open(const sp_sub *s, const int *blk, int b, const int *owner, blocks_view *v)
{
	memset(v, 0, sizeof(*v));
	size_t n1 = (size_t)s->nu + (size_t)s->ns + 1;
	v->umap = malloc(n1 * sizeof(int));
	v->smap = malloc(n1 * sizeof(int));
	v->uinv = malloc(n1 * sizeof(int));
	v->sinv = malloc(n1 * sizeof(int));
	v->u = malloc(n1 * sizeof(int));
	if (!v->umap || !v->smap || !v->uinv || !v->sinv || !v->u ||
	    blocks_sub(s, blk, b, owner, &v->bs, v->umap, v->smap) < 0)
		return -1;
	v->built = 1;
	for (int i = 0; i < s->nu; i++)
		v->uinv[i] = -1;
	for (int j = 0; j < s->ns; j++)
		v->sinv[j] = -1;
	for (int a = 0; a < v->bs.nu; a++)
		v->uinv[v->umap[a]] = a;
	for (int t = 0; t < v->bs.ns; t++)
		v->sinv[v->smap[t]] = t;
	return 0;
}

int blocks_view_export(const blocks_view *v, const sp_sub *s, const sp_sol *plan, sp_sol *out)
{
	for (int t = 0; t < plan->n; t++) {
		const sp_station *st = &plan->st[t];
		for (int m = 0; m < st->n; m++)
			v->u[m] = v->umap[st->u[m]];
		if (sp_sol_add(out, v->smap[st->site], v->u, st->n, s) < 0)
			return -1;
	}
	return 0;
}

void blocks_view_close(blocks_view *v)
{
	if (v->built)
		sp_sub_free(&v->bs);
	GROW_FREE(v->umap, v->smap, v->uinv, v->sinv, v->u);
	memset(v, 0, sizeof(*v));
}

/* Solve part b into br->res[b], renumbered to the parent
 * (sp_parallel_parts). 0, -1. */
static int block_one(void *arg, int b)
{
	blk_run *br = arg;
	sp_sub bs;
	size_t n1 = (size_t)br->s->nu + (size_t)br->s->ns + 1;
	int *umap = malloc(n1 * sizeof(int)), *smap = malloc(n1 * sizeof(int));
	if (!umap || !smap || blocks_sub(br->s, br->blk, b, NULL, &bs, umap, smap) < 0) {
		free(umap);
		free(smap);
		pthread_mutex_lock(&br->mu);
		snprintf(br->err, br->errsize, "out of memory in the blocks' duals");
		pthread_mutex_unlock(&br->mu);
		return -1;
	}
	cg_result *cg = &br->res[b];
	/* budget mode over every plan: no budget row that binds */
	long budget = br->budget < 0 ? -1 : (long)bs.ns + bs.nu + 1;
	int rc = colgen_solve(&bs, br->p, NULL, br->lim, budget, cg);
	if (rc == 0 && cg->pi) {
		for (size_t e = 0; e < cg->nnz; e++)
			cg->unit[e] = umap[cg->unit[e]];
		for (size_t q = 0; q < cg->n; q++)
			cg->site[q] = smap[cg->site[q]];
	} else {
		pthread_mutex_lock(&br->mu);
		snprintf(br->err, br->errsize, "%s", cg->err);
		pthread_mutex_unlock(&br->mu);
		rc = -1;
	}
	if (rc == 0) { /* per-unit arrays stay in the part's order: keep its map */
		br->umap[b] = umap;
		br->nu[b] = bs.nu;
		umap = NULL;
	}
	sp_sub_free(&bs);
	free(umap);
	free(smap);
	return rc;
}

/* Append the basic columns of part result x (renumbered; its units umap[0..
 * nu)) to m: the
 * nonbasic ones price out again if the whole needs them, and a smaller
 * master makes every simplex iteration cheaper. 0, -1 on ENOMEM. */
static int merge_one(cg_result *m, const cg_result *x, const int *umap, int nu)
{
	size_t n = m->n, nnz = m->nnz;
	for (size_t q = 0; q < x->n; q++)
		if (x->cstat[q] == GLP_BS) {
			n++;
			nnz += x->start[q + 1] - x->start[q];
		}
	size_t *st = realloc(m->start, (n + 1) * sizeof(size_t));
	if (st)
		m->start = st;
	int *site = realloc(m->site, (n + 1) * sizeof(int));
	if (site)
		m->site = site;
	double *cost = realloc(m->cost, (n + 1) * sizeof(double));
	if (cost)
		m->cost = cost;
	unsigned char *cs = realloc(m->cstat, n + 1);
	if (cs)
		m->cstat = cs;
	int *unit = realloc(m->unit, (nnz + 1) * sizeof(int));
	if (unit)
		m->unit = unit;
	long *share = realloc(m->share, (nnz + 1) * sizeof(long));
	if (share)
		m->share = share;
	if (!st || !site || !cost || !cs || !unit || !share)
		return -1;
	m->cap = n + 1;
	m->nzcap = nnz + 1;
	if (m->n == 0)
		m->start[0] = 0;
	for (size_t q = 0; q < x->n; q++) {
		if (x->cstat[q] != GLP_BS)
			continue;
		size_t a = x->start[q], b = x->start[q + 1];
		memcpy(m->unit + m->nnz, x->unit + a, (b - a) * sizeof(int));
		memcpy(m->share + m->nnz, x->share + a, (b - a) * sizeof(long));
		m->nnz += b - a;
		m->site[m->n] = x->site[q];
		m->cost[m->n] = x->cost[q];
		m->cstat[m->n++] = GLP_BS;
		m->start[m->n] = m->nnz;
	}
	for (int a = 0; a < nu; a++) {
		int u = umap[a];
		m->pi[u] = x->pi[a];
		m->astat[u] = x->astat[a];
		m->rstat[u] = x->rstat[a];
	}
	m->rounds += x->rounds;
	m->iters += x->iters;
	return 0;
}

int blocks_colgen(const sp_sub *s, const sp_params *p, const int *blk, int nblk, long budget,
                  const cg_limits *lim, int nthreads, cg_result *out, char *err, size_t errsize)
{
	memset(out, 0, sizeof(*out));
	cg_limits bl = *lim;
	bl.keep_basis = 1;
	bl.warm = NULL;
	blk_run br = {.s = s,
	              .p = p,
	              .lim = &bl,
	              .blk = blk,
	              .nblk = nblk,
	              .budget = budget,
	              .res = calloc((size_t)nblk + 1, sizeof(cg_result)),
	              .umap = calloc((size_t)nblk + 1, sizeof(int *)),
	              .nu = calloc((size_t)nblk + 1, sizeof(int)),
	              .err = err,
	              .errsize = errsize};
	out->pi = calloc((size_t)s->nu + 1, sizeof(double));
	out->astat = calloc((size_t)s->nu + 1, 1);
	out->rstat = calloc((size_t)s->nu + 1, 1);
	if (!br.res || !br.umap || !br.nu || !out->pi || !out->astat || !out->rstat) {
		free(br.res);
		free(br.umap);
		free(br.nu);
		colgen_free(out);
		snprintf(err, errsize, "out of memory in the blocks' duals");
		return -1;
	}
	pthread_mutex_init(&br.mu, NULL);
	int failed = sp_parallel_parts(nthreads, nblk, block_one, &br) < 0;
	pthread_mutex_destroy(&br.mu);
	for (int b = 0; b < nblk; b++) {
		if (!failed && merge_one(out, &br.res[b], br.umap[b], br.nu[b]) < 0) {
			snprintf(err, errsize, "out of memory in the blocks' duals");
			failed = 1;
		}
		colgen_free(&br.res[b]);
		free(br.umap[b]);
	}
	free(br.res);
	free(br.umap);
	free(br.nu);
	out->lb = -INFINITY;
	out->bound = -INFINITY;
	if (failed)
		colgen_free(out);
	return failed ? -1 : 0;
}
