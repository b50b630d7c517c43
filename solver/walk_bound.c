/*
 * walk_bound.c: a stronger walking bound for min_distance, by column
 * generation over every station listed once, with subset-row cuts.
 *
 * The set-partitioning LP of min_distance with the budget of underfilled
 * stations (colgen.c, budget mode) is weak where small units pair: three
 * units that pairwise fit one station are served half by each pair in the
 * LP (an odd cycle), and each such cycle costs an integer plan one more
 * underfilled station or a longer walk. On a dense 1,000-community core
 * the LP lay 1.8 % under the best plan of its own columns. The cut closing
 * it is the subset-row inequality of three whole units S (Jepsen et al.,
 * 2008): at most one station serves two or more of them,
 *
 *   sum_c [|c n S| >= 2] x_c <= 1,
 *
 * valid for every plan since a whole unit is served by exactly one station
 * (units over the maximum are split, so the bound runs only when there are
 * none). Pricing with such cuts is no longer a knapsack; here every station
 * (a site and a subset of the units in its reach within households_max) is
 * listed once, when there are at most WB_COLS of them (dense centres with
 * units of 2,000 households and more have a few hundred thousand), and
 * priced by scanning the list.
 *
 * The LP (units = 1, one station per site, the budget, the cuts) is solved
 * by column generation from artificial columns; a valid bound every round
 * (Lagrangian, with the site rows: any plan has at most one station per
 * site, so z_RMP + sum over sites of min(0, least reduced cost there)
 * bounds it), the LP value at convergence. Then violated cuts are added
 * (triples of units whose pairs the LP serves together more than once) and
 * the LP solved again, for a bounded number of rounds.
 */
#define _GNU_SOURCE /* qsort_r */
#include "solver_int.h"
#include "clock.h"
#include "grow.h"

#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stations listed at most; more and the bound is not computed. */
#define WB_COLS 3000000
/* Columns added to the master per pricing round at most. */
#define WB_ADD 3000
/* Rounds of cuts at most, and cuts per round. */
#define WB_CUT_ROUNDS 30
#define WB_CUTS       400
/* Units of an odd set cut at most. */
#define WB_SET 15

typedef struct wb {
	const sp_sub *s;
	const sp_params *p;
	long budget;
	double deadline;
	sp_sol *plan;       /* the LP's solution when integral, or NULL */
	const sp_sol *seed; /* stations to start the master with, or NULL */
	/* every station: units unit[start[c]..start[c+1]) ascending at site[c] */
	sp_colstore cols;
	int *col;    /* per station: its master column, 0 if none */
	int *master; /* per master column - nu (artificials first): station */
	int nmaster;
	/* cuts: odd sets of units cset[cstart[k]..cstart[k+1]), their rows */
	int *cset;
	size_t *cstart, csz, cszcap;
	int ncut, cutcap;
	int *cutrow;
	size_t *ucs; /* per unit: its cuts ucut[ucs[u]..ucs[u+1]) */
	int *ucut;
	int *hits; /* per cut: scratch count */
	double *pi, *rho, *sigma, mu;
	double *rc;
	int nrow_units, brow;
	long rounds;
	int artificial; /* the last LP serves a unit by its artificial column */
	double bound;
	char *err;
	size_t errsize;
} wb;

static int push(wb *b, int site, const int *u, int n, long load, double wd)
{
	int under = rules_band_under(sp_band(b->p), load) && !sp_isolated(b->s, b->p, site);
	return sp_colstore_push(&b->cols, site, u, n, wd / b->s->dscale, under);
}

/* Subsets of site j's units from index i on, added to cur[0..n). Returns
 * 0, 1 over WB_COLS, -1 on ENOMEM. */
static int list_from(wb *b, int j, size_t i, int *cur, int n, long load, double wd)
{
	const sp_sub *s = b->s;
	for (; i < s->ss[j + 1]; i++) {
		int u = s->sunit[i];
		if (rules_band_over(sp_band(b->p), load + s->h[u]))
			continue;
		cur[n] = u;
		double w2 = wd + (double)s->h[u] * s->sdist[i];
		if (push(b, j, cur, n + 1, load + s->h[u], w2) < 0)
			return -1;
		if (b->cols.n > WB_COLS)
			return 1;
		int r = list_from(b, j, i + 1, cur, n + 1, load + s->h[u], w2);
		if (r)
			return r;
	}
	return 0;
}

/* The cuts of station c with a coefficient (floor of half the units of
 * the set it serves) into kc[] and their coefficients into kv[]; returns
 * how many. */
static int cuts_of(const wb *b, size_t c, int *kc, double *kv)
{
	int n = 0;
	for (size_t e = b->cols.start[c]; e < b->cols.start[c + 1]; e++) {
		int u = b->cols.unit[e];
		for (size_t q = b->ucs[u]; q < b->ucs[u + 1]; q++)
			if (++b->hits[b->ucut[q]] == 2)
				kc[n++] = b->ucut[q];
	}
	for (int i = 0; i < n; i++)
		kv[i] = (double)(b->hits[kc[i]] / 2);
	for (size_t e = b->cols.start[c]; e < b->cols.start[c + 1]; e++) {
		int u = b->cols.unit[e];
		for (size_t q = b->ucs[u]; q < b->ucs[u + 1]; q++)
			b->hits[b->ucut[q]] = 0;
	}
	return n;
}

/* Rebuild the per-unit index of the cuts. Returns 0, -1 on ENOMEM. */
static int cuts_index(wb *b)
{
	const sp_sub *s = b->s;
	free(b->ucut);
	free(b->hits);
	b->ucut = malloc((b->csz + 1) * sizeof(int));
	b->hits = calloc((size_t)b->ncut + 1, sizeof(int));
	if (!b->ucut || !b->hits)
		return -1;
	memset(b->ucs, 0, ((size_t)s->nu + 1) * sizeof(size_t));
	for (size_t e = 0; e < b->csz; e++)
		b->ucs[b->cset[e] + 1]++;
	for (int u = 0; u < s->nu; u++)
		b->ucs[u + 1] += b->ucs[u];
	size_t *fill = malloc(((size_t)s->nu + 1) * sizeof(size_t));
	if (!fill)
		return -1;
	memcpy(fill, b->ucs, ((size_t)s->nu + 1) * sizeof(size_t));
	for (int k = 0; k < b->ncut; k++)
		for (size_t e = b->cstart[k]; e < b->cstart[k + 1]; e++)
			b->ucut[fill[b->cset[e]]++] = k;
	free(fill);
	return 0;
}

/* A cut's coefficient in station c: half the units of set S[0..m) it
 * serves, rounded down. */
static int set_coef(const wb *b, const int *S, int m, size_t c)
{
	int hit = 0;
	for (size_t e = b->cols.start[c]; e < b->cols.start[c + 1]; e++)
		for (int i = 0; i < m; i++)
			hit += b->cols.unit[e] == S[i];
	return hit / 2;
}

/* Station c into the master (ind, val: room for its rows; kc, kv: for its
 * cuts). */
static void master_add(wb *b, glp_prob *P, size_t c, int *ind, double *val, int *kc, double *kv)
{
	int col = glp_add_cols(P, 1), n = 0;
	glp_set_col_bnds(P, col, GLP_LO, 0, 0);
	glp_set_obj_coef(P, col, b->cols.cost[c]);
	for (size_t e = b->cols.start[c]; e < b->cols.start[c + 1]; e++) {
		ind[++n] = b->cols.unit[e] + 1;
		val[n] = 1;
	}
	ind[++n] = b->s->nu + 1 + b->cols.site[c];
	val[n] = 1;
	if (b->cols.under[c]) {
		ind[++n] = b->brow;
		val[n] = 1;
	}
	int nk = cuts_of(b, c, kc, kv);
	for (int i = 0; i < nk; i++) {
		ind[++n] = b->cutrow[kc[i]];
		val[n] = kv[i];
	}
	glp_set_mat_col(P, col, n, ind, val);
	b->col[c] = col;
	b->master[col - b->s->nu - 1] = (int)c;
	b->nmaster++;
}

/* Reduced costs of every station under the master's duals. */
static void reduced(wb *b, glp_prob *P, int *kc, double *kv)
{
	const sp_sub *s = b->s;
	for (int u = 0; u < s->nu; u++)
		b->pi[u] = glp_get_row_dual(P, u + 1);
	for (int j = 0; j < s->ns; j++)
		b->rho[j] = fmin(0.0, glp_get_row_dual(P, s->nu + 1 + j));
	b->mu = fmin(0.0, glp_get_row_dual(P, b->brow));
	for (int k = 0; k < b->ncut; k++)
		b->sigma[k] = fmin(0.0, glp_get_row_dual(P, b->cutrow[k]));
	for (size_t c = 0; c < b->cols.n; c++) {
		double r =
		    b->cols.cost[c] - b->rho[b->cols.site[c]] - (b->cols.under[c] ? b->mu : 0.0);
		for (size_t e = b->cols.start[c]; e < b->cols.start[c + 1]; e++)
			r -= b->pi[b->cols.unit[e]];
		b->rc[c] = r;
	}
	for (size_t c = 0; c < b->cols.n && b->ncut > 0; c++) { /* two of a triple */
		if (b->cols.start[c + 1] - b->cols.start[c] < 2)
			continue;
		int nk = cuts_of(b, c, kc, kv);
		for (int i = 0; i < nk; i++)
			b->rc[c] -= b->sigma[kc[i]] * kv[i];
	}
}

static int cmp_rc(const void *x, const void *y, void *arg)
{
	const double *rc = arg;
	size_t a = *(const size_t *)x, c = *(const size_t *)y;
	if (rc[a] != rc[c])
		return rc[a] < rc[c] ? -1 : 1;
	return (a > c) - (a < c);
}

static int stop(const wb *b)
{
	return (b->deadline > 0 && clock_now_s() >= b->deadline) ||
	       (b->p->work_limit > 0 && b->rounds >= b->p->work_limit);
}

/* Column generation to convergence (or a limit). Returns 1 converged, 0
 * stopped, -1 on failure. The bound of every round is kept. */
static int solve_lp(wb *b, glp_prob *P, size_t *ord, int *ind, double *val, int *kc, double *kv,
                    double *site_min)
{
	const sp_sub *s = b->s;
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	for (;;) {
		if (stop(b))
			return 0;
		if (b->deadline > 0)
			sm.tm_lim = (int)fmax(1.0, (b->deadline - clock_now_s()) * 1000.0);
		int ret = glp_simplex(P, &sm);
		if (ret == GLP_ETMLIM)
			return 0;
		if (ret != 0 || glp_get_status(P) != GLP_OPT) {
			snprintf(b->err, b->errsize,
			         "glp_simplex: return %d, status %d in the walking bound", ret,
			         glp_get_status(P));
			return -1;
		}
		b->rounds++;
		double z = glp_get_obj_val(P);
		reduced(b, P, kc, kv);
		for (int j = 0; j < s->ns; j++)
			site_min[j] = 0;
		size_t k = 0;
		for (size_t c = 0; c < b->cols.n; c++) {
			if (b->rc[c] < site_min[b->cols.site[c]])
				site_min[b->cols.site[c]] = b->rc[c];
			if (!b->col[c] && b->rc[c] < -1e-7)
				ord[k++] = c;
		}
		double lag = z;
		for (int j = 0; j < s->ns; j++)
			lag += site_min[j];
		if (lag > b->bound)
			b->bound = lag;
		if (k == 0) {
			if (z > b->bound)
				b->bound = z;
			return 1;
		}
		qsort_r(ord, k, sizeof(size_t), cmp_rc, b->rc);
		for (size_t i = 0; i < k && i < WB_ADD; i++)
			master_add(b, P, ord[i], ind, val, kc, kv);
	}
}

/* Add the cut of odd set S[0..m) (ascending) when the master's solution
 * violates it (pos[0..npos): the master columns above 0). Returns 1 added,
 * 0 not, -1 on ENOMEM. */
static int cut_try(wb *b, glp_prob *P, const int *S, int m, int *ind, double *val, const int *pos,
                   int npos)
{
	double lhs = 0;
	for (int i = 0; i < npos; i++) {
		size_t c = (size_t)b->master[pos[i]];
		lhs += glp_get_col_prim(P, b->col[c]) * set_coef(b, S, m, c);
	}
	if (lhs <= m / 2 + 1e-4)
		return 0;
	for (int k = 0; k < b->ncut; k++) /* already there (LP not yet moved) */
		if (b->cstart[k + 1] - b->cstart[k] == (size_t)m &&
		    memcmp(b->cset + b->cstart[k], S, (size_t)m * sizeof(int)) == 0)
			return 0;
	if (b->ncut + 1 >= b->cutcap) {
		size_t cap = grow_cap((size_t)b->cutcap, (size_t)b->ncut + 2);
		if (grow_to(&b->cstart, cap + 1, sizeof(size_t)) ||
		    grow_to(&b->cutrow, cap, sizeof(int)) ||
		    grow_to(&b->sigma, cap, sizeof(double)))
			return -1;
		b->cutcap = (int)cap;
	}
	if (grow_reserve(&b->cset, &b->cszcap, b->csz + (size_t)m, sizeof(int)))
		return -1;
	if (b->ncut == 0)
		b->cstart[0] = 0;
	memcpy(b->cset + b->csz, S, (size_t)m * sizeof(int));
	b->csz += (size_t)m;
	int k = b->ncut++;
	b->cstart[k + 1] = b->csz;
	b->sigma[k] = 0; /* until the next LP prices it */
	int row = glp_add_rows(P, 1);
	b->cutrow[k] = row;
	glp_set_row_bnds(P, row, GLP_UP, 0, (double)(m / 2));
	int n = 0;
	for (int q = 0; q < b->nmaster; q++) {
		size_t c = (size_t)b->master[q];
		int a = set_coef(b, S, m, c);
		if (a > 0) {
			ind[++n] = b->col[c];
			val[n] = a;
		}
	}
	glp_set_mat_row(P, row, n, ind, val);
	return 1;
}

static int find(int *up, int x)
{
	while (up[x] != x)
		x = up[x] = up[up[x]];
	return x;
}

/* Violated cuts of the master's solution: every triple of units pairwise
 * served together by fractional stations, and every connected set of the
 * fractional stations' units of odd size up to WB_SET (odd cycles).
 * Returns the cuts added, -1 on ENOMEM. */
static int separate(wb *b, glp_prob *P, int *ind, double *val)
{
	const sp_sub *s = b->s;
	int *up = malloc(((size_t)s->nu + 1) * sizeof(int));
	int *mem = malloc(((size_t)s->nu + 1) * sizeof(int));
	int *cnt = calloc((size_t)s->nu + 1, sizeof(int));
	unsigned char *in = calloc((size_t)s->nu + 1, 1);
	int *pos = malloc(((size_t)b->nmaster + 1) * sizeof(int));
	int *frac = malloc(((size_t)b->nmaster + 1) * sizeof(int));
	int added = 0, npos = 0, nfrac = 0;
	if (!up || !mem || !cnt || !in || !pos || !frac) {
		added = -1;
		goto out;
	}
	for (int q = 0; q < b->nmaster; q++) {
		double x = glp_get_col_prim(P, b->col[b->master[q]]);
		if (x > 1e-9)
			pos[npos++] = q;
		if (x >= 1e-6 && x <= 1 - 1e-6)
			frac[nfrac++] = q;
	}
	for (int u = 0; u < s->nu; u++)
		up[u] = u;
	for (int i = 0; i < nfrac; i++) {
		size_t c = (size_t)b->master[frac[i]];
		for (size_t e = b->cols.start[c]; e < b->cols.start[c + 1]; e++) {
			in[b->cols.unit[e]] = 1;
			if (e > b->cols.start[c])
				up[find(up, b->cols.unit[e])] =
				    find(up, b->cols.unit[b->cols.start[c]]);
		}
	}
	for (int u = 0; u < s->nu; u++)
		if (in[u])
			cnt[find(up, u)]++;
	/* odd components */
	for (int r = 0; r < s->nu && added < WB_CUTS; r++) {
		if (!in[r] || find(up, r) != r || cnt[r] % 2 == 0 || cnt[r] > WB_SET || cnt[r] < 3)
			continue;
		int m = 0;
		for (int u = 0; u < s->nu; u++)
			if (in[u] && find(up, u) == r)
				mem[m++] = u;
		int a = cut_try(b, P, mem, m, ind, val, pos, npos);
		if (a < 0) {
			added = -1;
			goto out;
		}
		added += a;
	}
	/* triples within each fractional station pair set: (u, v) of one
	 * station, w of another with u */
	for (int i = 0; i < nfrac && added < WB_CUTS; i++) {
		size_t c = (size_t)b->master[frac[i]];
		for (size_t e = b->cols.start[c]; e < b->cols.start[c + 1]; e++)
			for (size_t f = e + 1; f < b->cols.start[c + 1]; f++)
				for (int i2 = i + 1; i2 < nfrac && added < WB_CUTS; i2++) {
					size_t d = (size_t)b->master[frac[i2]];
					int has_u = 0, w = -1;
					for (size_t g = b->cols.start[d]; g < b->cols.start[d + 1];
					     g++) {
						int z = b->cols.unit[g];
						if (z == b->cols.unit[e])
							has_u = 1;
						else if (z != b->cols.unit[f])
							w = z;
					}
					if (!has_u || w < 0)
						continue;
					int S[3] = {b->cols.unit[e], b->cols.unit[f], w};
					qsort(S, 3, sizeof(int), sp_cmp_int);
					int a = cut_try(b, P, S, 3, ind, val, pos, npos);
					if (a < 0) {
						added = -1;
						goto out;
					}
					added += a;
				}
	}
out:
	free(up);
	free(mem);
	free(cnt);
	free(in);
	free(pos);
	free(frac);
	return added;
}

/* The master's solution as a plan into b->plan when it is integral and
 * uses no artificial column. Returns 0, -1 on ENOMEM. */
static int plan_take(wb *b, glp_prob *P)
{
	const sp_sub *s = b->s;
	for (int u = 0; u < s->nu; u++)
		if (glp_get_col_prim(P, u + 1) > 1e-6)
			return 0;
	for (int q = 0; q < b->nmaster; q++) {
		double x = glp_get_col_prim(P, b->col[b->master[q]]);
		if (x > 1e-6 && x < 1 - 1e-6)
			return 0;
	}
	for (int q = 0; q < b->nmaster; q++) {
		size_t c = (size_t)b->master[q];
		if (glp_get_col_prim(P, b->col[c]) > 0.5 &&
		    sp_sol_add(b->plan, b->cols.site[c], b->cols.unit + b->cols.start[c],
		               (int)(b->cols.start[c + 1] - b->cols.start[c]), s) < 0) {
			sp_sol_free(b->plan);
			return -1;
		}
	}
	sp_sol_sort(b->plan);
	return 0;
}

static int run_bound(void *arg)
{
	wb *b = arg;
	const sp_sub *s = b->s;
	size_t nu1 = (size_t)s->nu + 1;
	int *cur = malloc(nu1 * sizeof(int));
	size_t *sfirst = NULL;
	int rc = -2;
	if (!cur)
		goto out;
	sfirst = malloc(((size_t)s->ns + 1) * sizeof(size_t)); /* per site */
	if (!sfirst)
		goto out;
	for (int j = 0; j < s->ns; j++) {
		sfirst[j] = b->cols.n;
		int r = list_from(b, j, s->ss[j], cur, 0, 0, 0.0);
		if (r < 0)
			goto out;
		if (r > 0) {
			rc = 0; /* too many stations to list */
			goto out;
		}
	}
	sfirst[s->ns] = b->cols.n;
	size_t room = b->cols.n + nu1 + (size_t)WB_CUTS * WB_CUT_ROUNDS + 8;
	int *ind = malloc(room * sizeof(int));
	double *val = malloc(room * sizeof(double));
	int *kc = malloc(((size_t)WB_CUTS * WB_CUT_ROUNDS + 1) * sizeof(int));
	double *kv = malloc(((size_t)WB_CUTS * WB_CUT_ROUNDS + 1) * sizeof(double));
	size_t *ord = malloc((b->cols.n + 1) * sizeof(size_t));
	double *site_min = malloc(((size_t)s->ns + 1) * sizeof(double));
	b->col = calloc(b->cols.n + 1, sizeof(int));
	b->master = malloc((b->cols.n + 1) * sizeof(int));
	b->pi = malloc(nu1 * sizeof(double));
	b->rho = malloc(((size_t)s->ns + 1) * sizeof(double));
	b->rc = malloc((b->cols.n + 1) * sizeof(double));
	b->ucs = calloc(nu1, sizeof(size_t));
	glp_prob *P = NULL;
	if (!ind || !val || !kc || !kv || !ord || !site_min || !b->col || !b->master || !b->pi ||
	    !b->rho || !b->rc || !b->ucs || cuts_index(b) < 0)
		goto done;
	P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MIN);
	glp_add_rows(P, s->nu + s->ns + 1);
	for (int u = 0; u < s->nu; u++)
		glp_set_row_bnds(P, u + 1, GLP_FX, 1, 1);
	for (int j = 0; j < s->ns; j++)
		glp_set_row_bnds(P, s->nu + 1 + j, GLP_UP, 0, 1);
	b->brow = s->nu + s->ns + 1;
	glp_set_row_bnds(P, b->brow, GLP_UP, 0, (double)b->budget);
	double big = 1;
	for (int u = 0; u < s->nu; u++)
		big += (double)s->h[u] * b->p->walk_m / s->dscale;
	for (int u = 0; u < s->nu; u++) { /* artificial: more than any plan */
		int col = glp_add_cols(P, 1), row[2] = {0, u + 1};
		double one[2] = {0, 1};
		glp_set_col_bnds(P, col, GLP_LO, 0, 0);
		glp_set_obj_coef(P, col, big);
		glp_set_mat_col(P, col, 1, row, one);
	}
	for (int i = 0; b->seed && i < b->seed->n; i++) { /* the seed's stations */
		const sp_station *st = &b->seed->st[i];
		for (size_t c = sfirst[st->site]; c < sfirst[st->site + 1] && !st->sh; c++)
			if (b->cols.start[c + 1] - b->cols.start[c] == (size_t)st->n &&
			    !b->col[c] &&
			    memcmp(b->cols.unit + b->cols.start[c], st->u,
			           (size_t)st->n * sizeof(int)) == 0) {
				master_add(b, P, c, ind, val, kc, kv);
				break;
			}
	}
	int r = solve_lp(b, P, ord, ind, val, kc, kv, site_min);
	for (int round = 0; r == 1 && round < WB_CUT_ROUNDS; round++) {
		int added = separate(b, P, ind, val);
		if (added < 0 || (added > 0 && cuts_index(b) < 0))
			goto done;
		if (added == 0)
			break;
		double keep = b->bound; /* the cut LP's own value from here on */
		r = solve_lp(b, P, ord, ind, val, kc, kv, site_min);
		if (b->bound < keep)
			b->bound = keep;
	}
	rc = r < 0 ? -1 : 1;
	for (int u = 0; u < s->nu && b->rounds > 0; u++) /* the budget too tight */
		b->artificial |= glp_get_col_prim(P, u + 1) > 1e-6;
	if (r == 1 && b->plan && plan_take(b, P) < 0)
		rc = -2;
done:
	if (P)
		glp_delete_prob(P);
	free(ind);
	free(val);
	free(kc);
	free(kv);
	free(ord);
	free(site_min);
out:
	if (rc == -2)
		snprintf(b->err, b->errsize, "out of memory in the walking bound");
	free(cur);
	free(sfirst);
	return rc;
}

void walk_duals_free(walk_duals *d)
{
	free(d->pi);
	free(d->cstart);
	free(d->cset);
	free(d->sigma);
	memset(d, 0, sizeof(*d));
}

/* The duals of b's last LP into *d (zeroed first). Returns 0, -1 on
 * ENOMEM (d freed). */
static int duals_take(const wb *b, walk_duals *d)
{
	const sp_sub *s = b->s;
	memset(d, 0, sizeof(*d));
	d->pi = malloc(((size_t)s->nu + 1) * sizeof(double));
	d->cstart = malloc(((size_t)b->ncut + 1) * sizeof(size_t));
	d->cset = malloc((b->csz + 1) * sizeof(int));
	d->sigma = malloc(((size_t)b->ncut + 1) * sizeof(double));
	if (!d->pi || !d->cstart || !d->cset || !d->sigma) {
		walk_duals_free(d);
		return -1;
	}
	memcpy(d->pi, b->pi, (size_t)s->nu * sizeof(double));
	d->mu = b->mu;
	d->artificial = b->artificial;
	d->ncut = b->ncut;
	d->cstart[0] = 0;
	if (b->ncut > 0) {
		memcpy(d->cstart, b->cstart, ((size_t)b->ncut + 1) * sizeof(size_t));
		memcpy(d->sigma, b->sigma, (size_t)b->ncut * sizeof(double));
	}
	if (b->csz > 0)
		memcpy(d->cset, b->cset, b->csz * sizeof(int));
	return 0;
}

int walk_bound(const sp_sub *s, const sp_params *p, const sp_sol *seed, long budget,
               double deadline, double *bound, sp_sol *plan, char *err, size_t errsize)
{
	return walk_bound_duals(s, p, seed, budget, deadline, bound, plan, NULL, err, errsize);
}

int walk_bound_duals(const sp_sub *s, const sp_params *p, const sp_sol *seed, long budget,
                     double deadline, double *bound, sp_sol *plan, walk_duals *duals, char *err,
                     size_t errsize)
{
	*bound = -INFINITY;
	if (duals)
		memset(duals, 0, sizeof(*duals));
	if (p->objective != OBJECTIVE_MIN_DISTANCE || s->stack || s->nu == 0 ||
	    (deadline > 0 && clock_now_s() >= deadline))
		return 0;
	for (int u = 0; u < s->nu; u++)
		if (s->k[u] > 1)
			return 0; /* a split unit: the cuts do not hold */
	for (int j = 0; j < s->ns; j++)
		if (s->fixed[j])
			return 0; /* an existing station: a row the LP lacks (still a bound,
			             kept simple) */
	wb b = {.s = s,
	        .p = p,
	        .budget = budget,
	        .deadline = deadline,
	        .plan = plan,
	        .seed = seed,
	        .bound = -INFINITY,
	        .err = err,
	        .errsize = errsize};
	int rc = glpk_bridge_call(run_bound, &b, err, errsize);
	if (rc == 1 && isfinite(b.bound))
		*bound = b.bound;
	if (rc == 1 && duals && b.rounds > 0 && duals_take(&b, duals) < 0) {
		snprintf(err, errsize, "out of memory in the walking bound");
		rc = -1;
	}
	sp_colstore_free(&b.cols);
	free(b.col);
	free(b.master);
	free(b.cset);
	free(b.cstart);
	free(b.cutrow);
	free(b.ucs);
	free(b.ucut);
	free(b.hits);
	free(b.pi);
	free(b.rho);
	free(b.sigma);
	free(b.rc);
	return rc < 0 ? -1 : rc == 1 && isfinite(b.bound);
}
