/*
 * colgen.c: the LP bound of a whole sub-problem by column generation,
 * however large (no cut, no column cap), and the columns it generated for
 * price-and-branch (solver.c).
 *
 * The LP (a relaxation of every plan the rules allow):
 *   min  sum_c cost_c x_c
 *   s.t. sum_c a_cu x_c = 1   for every unit u, x >= 0
 * where a column c is a station at site j: whole units within reach (a_cu =
 * 1) and, for a unit over households_max, any integer share of it (a_cu =
 * share / h_u; flexible splitting, of which equal parts are one case), with
 * load <= households_max. cost_c: min_stations 1 + penalty when the load is
 * below households_min at a site that is not isolated (walking left out:
 * the integer part alone, so the bound can be rounded up); min_distance the
 * penalty likewise + households * metres / dscale. One station per site and
 * existing stations are relaxed away (only fewer constraints: still a
 * bound). Per unit an artificial column (cost above serving it alone) keeps
 * the master feasible; any extra column only lowers an LP, so the bound
 * stays valid. Rounding cuts: a unit over the maximum whose households are
 * not a multiple of it has a share in at least ceil(h_u / hmax) columns of
 * every plan (sum of x_c over columns with a share of u >= that), which the
 * LP with continuous shares misses (12,000 households need 3 stations, the
 * LP 2.4 columns of 5,000); pricing earns the row's dual with any share of
 * u (a bonus in the knapsack's window maximum).
 *
 * Restricted master in GLPK's primal simplex, warm-started as columns come
 * in. Pricing per site, and for min_stations per distinct reach set (sites
 * reaching the same units are interchangeable there, isolation included,
 * since it depends on the households in reach only):
 *   1. greedy: units by dual per household, filled up to the maximum;
 *   2. when greedy finds nothing anywhere: an exact knapsack DP over load
 *      0..households_max (best profit at each exact load, whole units 0/1,
 *      shares of big units any integer amount by a sliding-window maximum),
 *      then the least reduced cost over every load with the lower band
 *      priced exactly; a site whose fractional (Dantzig) upper bound cannot
 *      price out is skipped.
 * Every round yields a valid bound, so a stopped run still has one: Farley's
 * z_RMP / theta for min_stations (theta the largest dual value per unit of
 * cost of any column, from the exact DP or from the Dantzig bound), and the
 * Lagrangian z_RMP + K * min reduced cost (K: stations any plan can have at
 * most, one per site plus split parts) for both. After an exact round of
 * min_stations also the local Farley bound (farley_local: each unit's dual
 * divided by the largest ratio of a column covering it only), which any
 * duals give, e.g. those of smaller LPs over parts (colgen_farley). When
 * exact pricing finds nothing the bound is the LP value itself.
 *
 * A run may start from an earlier run's columns and basis (cg_limits.warm
 * with cstat: blocks.c joins the optimal bases of a large component's
 * blocks into one of the whole master) and keep its own (keep_basis).
 *
 * Work is counted (rounds, simplex iterations) so that a stopped run is
 * reproducible; the wall-clock deadline is the safety net.
 */
#include "solver_int.h"
#include "grow.h"
#include "clock.h"

#include <assert.h>
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CG_EPS 1e-7

typedef struct cg_item {
	int u;         /* local unit */
	long w;        /* households (whole) or most share (big) */
	int big;       /* 1: any integer share 1..w */
	double profit; /* whole: per unit; big: per household */
	double bonus;  /* big: the rounding cut's dual, earned by any share */
} cg_item;

typedef struct cg_state {
	const sp_sub *s;
	const sp_params *p;
	const cg_limits *lim;
	const sp_sol *seed; /* plan whose stations start the master, or NULL */
	cg_result *res;
	int md;      /* min_distance */
	long budget; /* >= 0: budget mode, at most this many avoidably underfilled
	                columns (a row), no penalty; -1: the objective's penalty */
	double mu;   /* budget mode: the budget row's dual (<= 0) */
	int *cls;    /* pricing classes: representative sites */
	int ncls;
	double *pi;     /* duals per unit row */
	int *cutrow;    /* per unit: its rounding cut's row (0: none) */
	double *rho;    /* per unit: that row's dual (>= 0) */
	cg_item *items; /* per class scratch */
	double *f, *g;  /* DP over load */
	int *take;      /* per item and load: share taken (0 none) */
	int *dq;        /* deque for the window maximum */
	int *cu;        /* column under construction */
	long *csh;
	int *rows;
	double *vals;
	double kmax; /* stations any plan can have at most */
	char *err;
	size_t errsize;
} cg_state;

static int cmp_pair(const void *a, const void *b)
{
	const long long *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Pricing classes: every site for min_distance; one site per distinct reach
 * set (its lowest index) for min_stations. Sites are sorted by (hash of the
 * unit list, index), so within a run of equal hashes the first site of each
 * distinct list is its lowest. Returns 0, -1 on ENOMEM. */
static int classes_build(cg_state *c)
{
	const sp_sub *s = c->s;
	c->cls = malloc((size_t)(s->ns + 1) * sizeof(int));
	long long *key = malloc((size_t)(s->ns + 1) * 2 * sizeof(long long));
	if (!c->cls || !key) {
		free(key);
		return -1;
	}
	c->ncls = 0;
	for (int j = 0; j < s->ns; j++) {
		unsigned long long h = 1469598103934665603ULL;
		for (size_t q = s->ss[j]; q < s->ss[j + 1]; q++) {
			h ^= (unsigned long long)(unsigned)s->sunit[q];
			h *= 1099511628211ULL;
		}
		key[2 * j] = c->md ? j : (long long)(h >> 1);
		key[2 * j + 1] = j;
	}
	qsort(key, (size_t)s->ns, 2 * sizeof(long long), cmp_pair);
	for (int i = 0; i < s->ns; i++) {
		int j = (int)key[2 * i + 1], dup = 0;
		size_t n = s->ss[j + 1] - s->ss[j];
		if (n == 0)
			continue;
		for (int t = i - 1; t >= 0 && key[2 * t] == key[2 * i] && !dup; t--) {
			int o = (int)key[2 * t + 1];
			dup =
			    s->ss[o + 1] - s->ss[o] == n &&
			    memcmp(s->sunit + s->ss[o], s->sunit + s->ss[j], n * sizeof(int)) == 0;
		}
		if (!dup)
			c->cls[c->ncls++] = j;
	}
	qsort(c->cls, (size_t)c->ncls, sizeof(int), sp_cmp_int);
	free(key);
	return 0;
}

/* 1 when a column of `load` households at site j is avoidably underfilled. */
static int col_under(const cg_state *c, int j, long load)
{
	return rules_band_under(sp_band(c->p), load) && !sp_isolated(c->s, c->p, j);
}

/* Cost of a column of `load` households at site j in the LP (see the top);
 * in budget mode no penalty (the budget row holds underfilled columns). */
static double col_cost(const cg_state *c, int j, long load, double wd)
{
	double k = c->md ? 0.0 : 1.0;
	if (c->budget < 0 && col_under(c, j, load))
		k += c->s->penalty;
	return k + (c->md ? wd / c->s->dscale : 0.0);
}

/* The cost pricing weighs: the LP cost, plus in budget mode the budget
 * row's dual for an underfilled column. */
static double col_price(const cg_state *c, int j, long load, double wd)
{
	double k = col_cost(c, j, load, wd);
	if (c->budget >= 0 && col_under(c, j, load))
		k -= c->mu;
	return k;
}

/* The units in reach of site j as knapsack items under the current duals. */
static int items_fill(cg_state *c, int j)
{
	const sp_sub *s = c->s;
	int n = 0;
	for (size_t q = s->ss[j]; q < s->ss[j + 1]; q++) {
		int u = s->sunit[q];
		double d = c->md ? s->sdist[q] / s->dscale : 0.0;
		cg_item *it = &c->items[n++];
		it->u = u;
		if (rules_band_over(sp_band(c->p), s->h[u])) {
			it->big = 1;
			it->w = c->p->hmax;
			it->profit = c->pi[u] / (double)s->h[u] - d;
			it->bonus = c->rho[u];
		} else {
			it->big = 0;
			it->w = s->h[u];
			it->profit = c->pi[u] - (double)s->h[u] * d;
			it->bonus = 0;
		}
	}
	return n;
}

static double ratio(const cg_item *it)
{
	return it->big ? it->profit : it->profit / (double)(it->w > 0 ? it->w : 1);
}

static int cmp_ratio(const void *a, const void *b)
{
	const cg_item *x = a, *y = b;
	double rx = ratio(x), ry = ratio(y);
	if (rx != ry)
		return rx > ry ? -1 : 1;
	return (x->u > y->u) - (x->u < y->u);
}

/* Sort items by profit per household (positive first) and return the
 * fractional knapsack bound on any column's profit; `greedy` then fills
 * c->cu/c->csh with the integer greedy column and returns its count in *gn,
 * load in *gload and profit in *gprof. A zero-household unit weighs 1 here. */
static double dantzig(cg_state *c, cg_item *it, int n, int *gn, long *gload, double *gprof)
{
	qsort(it, (size_t)n, sizeof(cg_item), cmp_ratio);
	long cap = c->p->hmax, left = cap;
	double ub = 0, gp = 0;
	long gl = 0;
	int k = 0;
	for (int i = 0; i < n; i++) /* any share earns the cut's dual */
		ub += it[i].bonus;
	for (int i = 0; i < n && it[i].profit > 0; i++) {
		long w = it[i].w > 0 ? it[i].w : 1;
		if (left > 0)
			ub += w <= left ? (it[i].big ? it[i].profit * (double)w : it[i].profit)
			                : ratio(&it[i]) * (double)left;
		left -= w < left ? w : left;
		long room = cap - gl;
		if (it[i].big && room > 0) {
			long a = room < w ? room : w;
			c->cu[k] = it[i].u;
			c->csh[k++] = a;
			gl += a;
			gp += it[i].profit * (double)a + it[i].bonus;
		} else if (!it[i].big && it[i].w <= room) {
			c->cu[k] = it[i].u;
			c->csh[k++] = it[i].w;
			gl += it[i].w;
			gp += it[i].profit;
		}
	}
	*gn = k;
	*gload = gl;
	*gprof = gp;
	return ub;
}

/* Exact pricing at site j over items it[0..n): best profit at every exact
 * load, then the least reduced cost over loads 1..hmax (written to c->cu,
 * c->csh, returned count in *bn, cost in *bcost) and the largest profit per
 * unit of cost (*bratio, for Farley). Returns the least reduced cost. */
static double exact(cg_state *c, int j, const cg_item *it, int n, int *bn, double *bcost,
                    long *bload, double *bratio)
{
	const sp_sub *s = c->s;
	long H = c->p->hmax;
	double *f = c->f, *g = c->g;
	for (long L = 0; L <= H; L++)
		f[L] = -INFINITY;
	f[0] = 0;
	for (int i = 0; i < n; i++) {
		int *tk = c->take + (size_t)i * (size_t)(H + 1);
		memset(tk, 0, (size_t)(H + 1) * sizeof(int));
		if (!it[i].big) {
			long w = it[i].w;
			assert(w > 0); /* urban units have households (sp_world_init) */
			for (long L = H; L >= w; L--)
				if (f[L - w] > -INFINITY && f[L - w] + it[i].profit > f[L]) {
					f[L] = f[L - w] + it[i].profit;
					tk[L] = (int)w;
				}
			continue;
		}
		/* g[L] = max(f[L], bonus + p L + max_{L-m <= t < L} (f[t] - p t)),
		 * the second a window maximum (a share of 1..m earns the bonus) */
		double pr = it[i].profit, bo = it[i].bonus;
		long m = it[i].w, head = 0, tail = 0;
		for (long L = 0; L <= H; L++) {
			while (tail > head && c->dq[head] < L - m)
				head++;
			g[L] = f[L];
			if (tail > head) {
				long t = c->dq[head];
				double v = f[t] + pr * (double)(L - t) + bo;
				if (v > g[L]) {
					g[L] = v;
					tk[L] = (int)(L - t);
				}
			}
			if (f[L] > -INFINITY) {
				double v = f[L] - pr * (double)L;
				while (tail > head &&
				       f[c->dq[tail - 1]] - pr * (double)c->dq[tail - 1] <= v)
					tail--;
				c->dq[tail++] = (int)L;
			}
		}
		memcpy(f, g, (size_t)(H + 1) * sizeof(double));
	}
	double best = INFINITY, br = -INFINITY;
	long bl = -1;
	for (long L = 1; L <= H; L++) {
		if (f[L] == -INFINITY)
			continue;
		double k = col_price(c, j, L, 0.0), k0 = col_cost(c, j, L, 0.0);
		double rc = k - f[L];
		if (rc < best - 1e-12) {
			best = rc;
			bl = L;
		}
		if (k0 > 0 && (f[L] - (k - k0)) / k0 > br)
			br = (f[L] - (k - k0)) / k0;
	}
	*bratio = br;
	*bn = 0;
	*bcost = 0;
	if (bl < 0)
		return INFINITY;
	long L = bl;
	double wd = 0;
	for (int i = n - 1; i >= 0; i--) {
		int a = c->take[(size_t)i * (size_t)(H + 1) + (size_t)L];
		if (a == 0)
			continue;
		long share = a;
		c->cu[*bn] = it[i].u;
		c->csh[(*bn)++] = it[i].big ? share : s->h[it[i].u];
		wd += (double)(it[i].big ? share : s->h[it[i].u]) * sp_dist(s, j, it[i].u);
		L -= share;
	}
	assert(L == 0);
	*bcost = col_cost(c, j, bl, wd);
	*bload = bl;
	return best;
}

/* Record column (c->cu, c->csh)[0..n) at site j in the result and the
 * master. Returns 0, -1 on ENOMEM. */
static int col_add(cg_state *c, glp_prob *P, int j, int n, long load, double cost)
{
	cg_result *r = c->res;
	if (r->n + 1 >= r->cap) {
		size_t cap = grow_cap(r->cap, r->n + 2);
		if (grow_to(&r->start, cap + 1, sizeof(size_t)) ||
		    grow_to(&r->site, cap, sizeof(int)) || grow_to(&r->cost, cap, sizeof(double)))
			return -1;
		r->cap = cap;
	}
	if (r->nnz + (size_t)n > r->nzcap) {
		size_t cap = grow_cap(r->nzcap, r->nnz + (size_t)n);
		if (grow_to(&r->unit, cap, sizeof(int)) || grow_to(&r->share, cap, sizeof(long)))
			return -1;
		r->nzcap = cap;
	}
	if (r->n == 0)
		r->start[0] = 0;
	for (int i = 0; i < n; i++) {
		r->unit[r->nnz + (size_t)i] = c->cu[i];
		r->share[r->nnz + (size_t)i] = c->csh[i];
		c->rows[i + 1] = c->cu[i] + 1;
		c->vals[i + 1] = (double)c->csh[i] / (double)c->s->h[c->cu[i]];
	}
	r->nnz += (size_t)n;
	r->site[r->n] = j;
	r->cost[r->n] = cost;
	r->n++;
	r->start[r->n] = r->nnz;
	int col = glp_add_cols(P, 1);
	glp_set_col_bnds(P, col, GLP_LO, 0, 0);
	glp_set_obj_coef(P, col, cost);
	int nz = n;
	for (int i = 0; i < n; i++)
		if (c->cutrow[c->cu[i]]) {
			c->rows[++nz] = c->cutrow[c->cu[i]];
			c->vals[nz] = 1;
		}
	if (c->budget >= 0 && col_under(c, j, load)) { /* counts against the budget */
		c->rows[++nz] = c->s->nu + 1;
		c->vals[nz] = 1;
	}
	glp_set_mat_col(P, col, nz, c->rows, c->vals);
	return 0;
}

/* Seed columns: the stations of a plan, with equal parts of split units. */
static int seed_add(cg_state *c, glp_prob *P, const sp_sol *seed)
{
	const sp_sub *s = c->s;
	for (int i = 0; seed && i < seed->n; i++) {
		const sp_station *st = &seed->st[i];
		long load = 0;
		double wd = 0;
		for (int m = 0; m < st->n; m++) {
			int u = st->u[m];
			c->cu[m] = u;
			c->csh[m] = st->sh ? st->sh[m] : s->k[u] > 1 ? s->plo[u] : s->h[u];
			load += c->csh[m];
			wd += (double)c->csh[m] * sp_dist(s, st->site, u);
		}
		if (st->n == 0 || rules_band_over(sp_band(c->p), load))
			continue;
		if (col_add(c, P, st->site, st->n, load, col_cost(c, st->site, load, wd)) < 0)
			return -1;
	}
	return 0;
}

/* The columns of an earlier run, costed for this one. -1 on ENOMEM. */
static int warm_add(cg_state *c, glp_prob *P, const cg_result *w)
{
	for (size_t q = 0; w && q < w->n; q++) {
		int n = 0, j = w->site[q];
		long load = 0;
		double wd = 0;
		for (size_t e = w->start[q]; e < w->start[q + 1]; e++, n++) {
			c->cu[n] = w->unit[e];
			c->csh[n] = w->share[e];
			load += w->share[e];
			wd += (double)w->share[e] * sp_dist(c->s, j, w->unit[e]);
		}
		if (col_add(c, P, j, n, load, col_cost(c, j, load, wd)) < 0)
			return -1;
	}
	return 0;
}

/* The valid bounds of one round: z the master's optimum; ubmax the largest
 * profit any column can have (a bound on it), rmin the least reduced cost
 * (a bound on it). min_stations: every cost >= 1, so theta <= max(1, ubmax)
 * (Farley); both: Lagrangian with at most kmax columns. */
static void round_bound(cg_state *c, double z, double theta, double rmin)
{
	double b = z + c->kmax * (rmin < 0 ? rmin : 0);
	if (!c->md && theta > 0) {
		double fb = z / (theta > 1 ? theta : 1);
		if (fb > b)
			b = fb;
	}
	if (b > c->res->lb)
		c->res->lb = b;
}

static int master_solve(cg_state *c, glp_prob *P, double *z)
{
	const cg_limits *lim = c->lim;
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.presolve = GLP_OFF;
	if (lim->iters > 0) {
		long left = lim->iters - c->res->iters;
		if (left <= 0)
			return 1;
		sm.it_lim = left < 1000000000L ? (int)left : 1000000000;
	}
	if (lim->deadline > 0) {
		double left = lim->deadline - clock_now_s();
		if (left <= 0)
			return 2;
		sm.tm_lim = (int)(left * 1000.0) + 1;
	}
	int it0 = glp_get_it_cnt(P);
	int ret = glp_simplex(P, &sm);
	if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND) {
		glp_adv_basis(P, 0); /* a warm basis that does not fit */
		ret = glp_simplex(P, &sm);
	}
	c->res->iters += glp_get_it_cnt(P) - it0;
	if (ret == GLP_EITLIM)
		return 1;
	if (ret == GLP_ETMLIM)
		return 2;
	if (ret != 0 || glp_get_status(P) != GLP_OPT) {
		snprintf(c->err, c->errsize, "glp_simplex: return %d, status %d in the master", ret,
		         glp_get_status(P));
		return -1;
	}
	*z = glp_get_obj_val(P);
	for (int u = 0; u < c->s->nu; u++) {
		c->pi[u] = glp_get_row_dual(P, u + 1);
		c->rho[u] = c->cutrow[u] ? fmax(0.0, glp_get_row_dual(P, c->cutrow[u])) : 0.0;
	}
	c->mu = c->budget >= 0 ? fmin(0.0, glp_get_row_dual(P, c->s->nu + 1)) : 0.0;
	return 0;
}

/* One pricing pass, greedy (exact = 0) or exact. Adds the best column of
 * every class that prices out; returns how many, -1 on ENOMEM, -3 when the
 * deadline cut the pass, and the round's bound terms in *theta and *rmin. */
static int price(cg_state *c, glp_prob *P, int exact_pass, double *theta, double *rmin)
{
	int added = 0;
	double cmin = c->md ? 0.0 : 1.0;
	*theta = 1;
	*rmin = 0;
	for (int k = 0; k < c->ncls; k++) {
		if ((k & 63) == 63 && c->lim->deadline > 0 && clock_now_s() >= c->lim->deadline)
			return -3; /* the pass is cut: no bound from it */
		int j = c->cls[k], n = items_fill(c, j), gn;
		long gload;
		double gprof;
		double ub = dantzig(c, c->items, n, &gn, &gload, &gprof);
		if (ub <= cmin + CG_EPS) {
			if (ub > *theta)
				*theta = ub;
			continue; /* no column here can price out */
		}
		if (!exact_pass) {
			if (ub > *theta)
				*theta = ub;
			if (cmin - ub < *rmin)
				*rmin = cmin - ub;
			double wd = 0;
			for (int i = 0; i < gn; i++)
				wd += (double)c->csh[i] * sp_dist(c->s, j, c->cu[i]);
			double cost = col_cost(c, j, gload, wd);
			double rc = col_price(c, j, gload, 0.0) - gprof;
			if (gn > 0 && rc < -CG_EPS) {
				if (col_add(c, P, j, gn, gload, cost) < 0)
					return -1;
				added++;
			}
			continue;
		}
		int bn;
		long bl;
		double bcost, br;
		double rc = exact(c, j, c->items, n, &bn, &bcost, &bl, &br);
		if (br > *theta)
			*theta = br;
		if (rc < *rmin)
			*rmin = rc;
		if (bn > 0 && rc < -CG_EPS) {
			if (col_add(c, P, j, bn, bl, bcost) < 0)
				return -1;
			added++;
		}
	}
	return added;
}

static double farley_local(cg_state *c);

static int run_cg(void *arg)
{
	cg_state *c = arg;
	const sp_sub *s = c->s;
	cg_result *r = c->res;
	glp_prob *P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MIN);
	if (s->nu > 0)
		glp_add_rows(P, s->nu);
	for (int u = 0; u < s->nu; u++)
		glp_set_row_bnds(P, u + 1, GLP_FX, 1, 1);
	if (c->budget >= 0) {
		glp_add_rows(P, 1);
		glp_set_row_bnds(P, s->nu + 1, GLP_UP, 0, (double)c->budget);
	}
	/* the rounding cuts: a unit over the maximum whose households are not a
	 * multiple of it has a share in at least ceil(h / hmax) stations (the LP
	 * covers it with h / hmax of them) */
	for (int u = 0; u < s->nu; u++)
		if (rules_band_over(sp_band(c->p), s->h[u]) && s->h[u] % c->p->hmax != 0) {
			c->cutrow[u] = glp_add_rows(P, 1);
			glp_set_row_bnds(P, c->cutrow[u], GLP_LO,
			                 (double)rules_unit_parts(sp_band(c->p), s->h[u]), 0);
		}
	/* artificial columns: unit u alone at a cost above any plan's share
	 * (its cut met by the one column) */
	for (int u = 0; u < s->nu; u++) {
		int col = glp_add_cols(P, 1), row[3] = {0, u + 1, c->cutrow[u]};
		double one[3] = {0, 1, (double)rules_unit_parts(sp_band(c->p), s->h[u])};
		double dmax = s->us[u + 1] > s->us[u] ? s->udist[s->us[u + 1] - 1] : 0;
		glp_set_col_bnds(P, col, GLP_LO, 0, 0);
		glp_set_obj_coef(P, col,
		                 (double)s->k[u] * (1.0 + s->penalty) +
		                     (double)s->h[u] * dmax / s->dscale + 1.0);
		glp_set_mat_col(P, col, c->cutrow[u] ? 2 : 1, row, one);
	}
	int rc = -1;
	int first = glp_get_num_cols(P) + 1;
	if (seed_add(c, P, c->seed) < 0)
		goto nomem;
	int wfirst = glp_get_num_cols(P) + 1;
	if (warm_add(c, P, c->lim->warm) < 0)
		goto nomem;
	const cg_result *w = c->lim->warm;
	if (w && w->cstat && w->astat && w->rstat) {
		/* the earlier run's basis: seed columns and the budget row as the
		 * simplex needs them (master_solve falls back when it is invalid) */
		for (int u = 0; u < s->nu; u++) {
			glp_set_row_stat(P, u + 1, w->rstat[u]);
			glp_set_col_stat(P, u + 1, w->astat[u]);
		}
		for (int col = first; col < wfirst; col++)
			glp_set_col_stat(P, col, GLP_NL);
		for (size_t q = 0; q < w->n; q++)
			glp_set_col_stat(P, wfirst + (int)q, w->cstat[q]);
		if (c->budget >= 0)
			glp_set_row_stat(P, s->nu + 1, GLP_BS);
	} else
		glp_adv_basis(P, 0);
	for (;;) {
		double z = 0, theta, rmin;
		int m = master_solve(c, P, &z);
		if (m < 0)
			goto out;
		if (m > 0) {
			r->stopped = m;
			break;
		}
		r->lp = z;
		r->rounds++;
		int added = price(c, P, 0, &theta, &rmin), exact_round = 0;
		if (added == 0) {
			added = price(c, P, 1, &theta, &rmin);
			r->exact_rounds++;
			exact_round = 1;
		}
		if (exact_round && added > 0 && !c->md) { /* a bound at least Farley's */
			double fl = farley_local(c);
			if (isnan(fl))
				goto nomem;
			if (fl > r->lb)
				r->lb = fl;
		}
		if (added == -3) {
			r->stopped = 2;
			break;
		}
		if (added < 0)
			goto nomem;
		round_bound(c, z, theta, rmin);
		if (added == 0) {
			r->converged = 1;
			if (z > r->lb)
				r->lb = z;
			break;
		}
		if (c->lim->rounds > 0 && r->rounds >= c->lim->rounds) {
			r->stopped = 1;
			break;
		}
		if (c->lim->deadline > 0 && clock_now_s() >= c->lim->deadline) {
			r->stopped = 2;
			break;
		}
	}
	if (c->lim->keep_basis) {
		r->cstat = malloc(r->n + 1);
		r->astat = malloc((size_t)s->nu + 1);
		r->rstat = malloc((size_t)s->nu + 1);
		if (!r->cstat || !r->astat || !r->rstat)
			goto nomem;
		int gen0 = glp_get_num_cols(P) - (int)r->n + 1; /* generated columns last */
		for (int u = 0; u < s->nu; u++) {
			r->rstat[u] = (unsigned char)glp_get_row_stat(P, u + 1);
			r->astat[u] = (unsigned char)glp_get_col_stat(P, u + 1);
		}
		for (size_t q = 0; q < r->n; q++)
			r->cstat[q] = (unsigned char)glp_get_col_stat(P, gen0 + (int)q);
	}
	rc = 0;
	goto out;
nomem:
	snprintf(c->err, c->errsize, "out of memory in column generation");
	rc = -2;
out:
	glp_delete_prob(P);
	return rc;
}

void colgen_free(cg_result *r)
{
	free(r->start);
	free(r->unit);
	free(r->share);
	free(r->site);
	free(r->cost);
	free(r->pi);
	free(r->cstat);
	free(r->astat);
	free(r->rstat);
	memset(r, 0, sizeof(*r));
}

/* Scratch of a run over s (c->s, c->p set). Returns 0, -1 on ENOMEM (what
 * was allocated is freed by state_free). */
static int state_alloc(cg_state *c)
{
	const sp_sub *s = c->s;
	int maxn = 1;
	for (int j = 0; j < s->ns; j++)
		if ((int)(s->ss[j + 1] - s->ss[j]) > maxn)
			maxn = (int)(s->ss[j + 1] - s->ss[j]);
	size_t H1 = (size_t)c->p->hmax + 1;
	c->kmax = s->ns;
	for (int u = 0; u < s->nu; u++)
		c->kmax += s->k[u];
	c->pi = calloc((size_t)s->nu + 1, sizeof(double));
	c->cutrow = calloc((size_t)s->nu + 1, sizeof(int));
	c->rho = calloc((size_t)s->nu + 1, sizeof(double));
	c->items = malloc((size_t)maxn * sizeof(cg_item));
	c->f = malloc(H1 * sizeof(double));
	c->g = malloc(H1 * sizeof(double));
	c->dq = malloc(H1 * sizeof(int));
	c->take = malloc((size_t)maxn * H1 * sizeof(int));
	c->cu = malloc((size_t)(maxn + s->nu + 1) * sizeof(int));
	c->csh = malloc((size_t)(maxn + s->nu + 1) * sizeof(long));
	c->rows = malloc((size_t)(maxn + s->nu + 3) * sizeof(int));
	c->vals = malloc((size_t)(maxn + s->nu + 3) * sizeof(double));
	if (!c->pi || !c->cutrow || !c->rho || !c->items || !c->f || !c->g || !c->dq || !c->take ||
	    !c->cu || !c->csh || !c->rows || !c->vals || classes_build(c) < 0)
		return -1;
	return 0;
}

static void state_free(cg_state *c)
{
	free(c->cls);
	free(c->pi);
	free(c->cutrow);
	free(c->rho);
	free(c->items);
	free(c->f);
	free(c->g);
	free(c->dq);
	free(c->take);
	free(c->cu);
	free(c->csh);
	free(c->rows);
	free(c->vals);
}

int colgen_solve(const sp_sub *s, const sp_params *p, const sp_sol *seed, const cg_limits *lim,
                 long budget, cg_result *res)
{
	memset(res, 0, sizeof(*res));
	res->lb = -INFINITY;
	res->bound = -INFINITY;
	cg_state c = {.s = s,
	              .p = p,
	              .lim = lim,
	              .res = res,
	              .seed = seed,
	              .md = p->objective == OBJECTIVE_MIN_DISTANCE,
	              .budget = budget,
	              .err = res->err,
	              .errsize = sizeof(res->err)};
	int rc = -1;
	if (state_alloc(&c) < 0) {
		snprintf(res->err, sizeof(res->err), "out of memory in column generation");
		goto out;
	}
	rc = glpk_bridge_call(run_cg, &c, res->err, sizeof(res->err));
	if (rc == 0) {
		double wlb = sp_sub_walk_min(s);
		if (c.md)
			res->bound = res->lb;
		else if (isfinite(res->lb) && budget >= 0)
			res->bound = ceil(res->lb - 1e-6);
		else if (isfinite(res->lb)) {
			double n = ceil(res->lb - 1e-6);
			int nfixed = 0; /* existing stations stay open */
			for (int j = 0; j < s->ns; j++)
				nfixed += s->fixed[j];
			res->bound = (n > nfixed ? n : nfixed) + wlb;
		}
		if (c.md && res->bound < wlb)
			res->bound = wlb;
		res->nclasses = c.ncls;
		res->pi = malloc(((size_t)s->nu + 1) * sizeof(double));
		if (!res->pi) {
			snprintf(res->err, sizeof(res->err), "out of memory in column generation");
			rc = -1;
		} else
			memcpy(res->pi, c.pi, (size_t)s->nu * sizeof(double));
	}
	if (rc < -1)
		rc = -1;
out:
	state_free(&c);
	return rc;
}

/* The local Farley bound under the duals c->pi (min_stations): pi+ =
 * max(pi, 0), theta_u the largest (profit + mu if underfilled) per unit of
 * cost of a column covering u, at least 1, and sum_u pi+_u / theta_u + mu *
 * budget (budget mode) is the value of a feasible dual of the covering LP
 * (see colgen_farley). c->pi is left as it was. NAN on ENOMEM. */
static double farley_local(cg_state *c)
{
	const sp_sub *s = c->s;
	size_t n1 = (size_t)s->nu + 1;
	double *th = malloc(n1 * sizeof(double)), *pi = malloc(n1 * sizeof(double));
	double *rho = malloc(n1 * sizeof(double));
	if (!th || !pi || !rho) {
		free(th);
		free(pi);
		free(rho);
		return NAN;
	}
	memcpy(pi, c->pi, (size_t)s->nu * sizeof(double));
	/* the bound of the LP without the rounding cuts: their duals at 0 */
	memcpy(rho, c->rho, (size_t)s->nu * sizeof(double));
	memset(c->rho, 0, (size_t)s->nu * sizeof(double));
	for (int u = 0; u < s->nu; u++) {
		c->pi[u] = pi[u] > 0 ? pi[u] : 0.0; /* the covering LP's duals are >= 0 */
		th[u] = 1.0;
	}
	for (int k = 0; k < c->ncls; k++) {
		int j = c->cls[k], n = items_fill(c, j), gn, bn;
		long gload, bl;
		double gprof, bcost, br;
		/* every cost is at least 1 (an underfilled column's budget dual
		 * only lowers the ratio): the fractional bound bounds it */
		double theta = dantzig(c, c->items, n, &gn, &gload, &gprof);
		if (theta <= 1.0)
			continue;
		exact(c, j, c->items, n, &bn, &bcost, &bl, &br);
		theta = br * (1.0 + 1e-9) + 1e-12; /* rounding: err on the safe side */
		for (size_t q = s->ss[j]; q < s->ss[j + 1]; q++)
			if (theta > th[s->sunit[q]])
				th[s->sunit[q]] = theta;
	}
	double lb = c->budget >= 0 ? c->mu * (double)c->budget : 0.0;
	for (int u = 0; u < s->nu; u++)
		lb += c->pi[u] / th[u];
	memcpy(c->pi, pi, (size_t)s->nu * sizeof(double));
	memcpy(c->rho, rho, (size_t)s->nu * sizeof(double));
	free(th);
	free(pi);
	free(rho);
	return lb;
}

double colgen_farley(const sp_sub *s, const sp_params *p, const double *pi, long budget)
{
	assert(p->objective == OBJECTIVE_MIN_STATIONS);
	cg_state c = {.s = s, .p = p, .md = 0, .budget = budget, .mu = 0};
	double lb = NAN;
	if (state_alloc(&c) == 0) {
		memcpy(c.pi, pi, (size_t)s->nu * sizeof(double));
		lb = farley_local(&c);
	}
	state_free(&c);
	return lb;
}
