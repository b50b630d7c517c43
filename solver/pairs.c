/*
 * pairs.c: a sub-problem where no station can hold three units, solved as a
 * matching.
 *
 * In a dense city centre of communities of 2,000-4,000 households with a
 * band of 3,000-5,000, a station serves one community or two: three of the
 * smallest already exceed the maximum. A community under the minimum must
 * then share a station with another one to be in the band; one at or over
 * the minimum stands alone. When, besides, every pair that fits the
 * maximum at a common site is of two communities under the minimum (and
 * fits the minimum together), and no site near one of those is isolated
 * (an underfilled station there would be unavoidable), every plan is a
 * matching in the graph of those pairs:
 *     stations    = units - pairs,
 *     underfilled = small units - 2 pairs (each avoidable),
 * so a maximum matching (Edmonds 1965, cardinality, with blossoms) gives
 * at once the fewest avoidably underfilled stations and the fewest stations
 * of ANY plan: exact lower bounds on both, whatever one station per site
 * allows. Its plan puts each pair at the cheapest free site reaching both
 * and each unit alone at its cheapest free site in reach; where that is
 * the matching's size, it is optimal in both.
 *
 * The matching starts from the pairs taken greedily by walking cost (so
 * the plan walks little) and is made maximum by augmenting paths, one
 * search from each unmatched small unit (a vertex with no augmenting path
 * now never gets one later). Everything is in a fixed order: the same
 * inputs give the same plan. The time is polynomial (a search is
 * O(V + E) plus O(V) a blossom); the deadline is still checked between
 * searches.
 */
#include "solver_int.h"
#include "clock.h"
#include "glpk_int.h"
#include "order.h"
#include "rules.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* An edge of the pair graph: two local units (a < b) and the walking of
 * their best common site (part households x metres). */
typedef struct pedge {
	int a, b;
	double wd;
} pedge;

/* by units, then walking: each pair's cheapest site first */
ORDER_BY_FIELDS(pedge_cmp_units, pedge, a, b, wd)
/* by walking, then units: the greedy matching's order */
ORDER_BY_FIELDS(pedge_cmp_cost, pedge, wd, a, b)

/* Whether s has the pair structure (see the top); 1 yes, 0 no. */
static int pair_structured(const sp_sub *s, const sp_params *p)
{
	rules_band b = sp_band(p);
	if (s->nu < 2)
		return 0;
	long m[3] = {LONG_MAX, LONG_MAX, LONG_MAX}; /* the three smallest */
	for (int u = 0; u < s->nu; u++) {
		if (s->k[u] != 1)
			return 0;
		long h = s->h[u];
		if (h < m[0])
			m[2] = m[1], m[1] = m[0], m[0] = h;
		else if (h < m[1])
			m[2] = m[1], m[1] = h;
		else if (h < m[2])
			m[2] = h;
		if (rules_band_under(b, h))
			for (size_t q = s->us[u]; q < s->us[u + 1]; q++)
				if (sp_isolated(s, p, s->usite[q]))
					return 0;
	}
	if (s->nu >= 3 && !rules_band_over(b, m[0] + m[1] + m[2]))
		return 0;
	for (int j = 0; j < s->ns; j++) {
		if (s->fixed[j])
			return 0;
		for (size_t x = s->ss[j]; x < s->ss[j + 1]; x++)
			for (size_t y = x + 1; y < s->ss[j + 1]; y++) {
				long h = s->h[s->sunit[x]] + s->h[s->sunit[y]];
				if (rules_band_over(b, h))
					continue;
				if (!rules_band_under(b, s->h[s->sunit[x]]) ||
				    !rules_band_under(b, s->h[s->sunit[y]]) ||
				    rules_band_under(b, h))
					return 0;
			}
	}
	return 1;
}

/* The pair graph's edges, each pair once at its least walking, sorted by
 * walking then units: *out (caller frees), their count, -1 on ENOMEM. */
static long pair_edges(const sp_sub *s, const sp_params *p, pedge **out)
{
	rules_band b = sp_band(p);
	size_t n = 0, cap = 0;
	pedge *e = NULL;
	for (int j = 0; j < s->ns; j++)
		for (size_t x = s->ss[j]; x < s->ss[j + 1]; x++)
			for (size_t y = x + 1; y < s->ss[j + 1]; y++) {
				int u = s->sunit[x], v = s->sunit[y];
				if (rules_band_over(b, s->h[u] + s->h[v]))
					continue;
				if (n == cap) {
					size_t nc = cap ? 2 * cap : 1024;
					pedge *t = realloc(e, nc * sizeof(*e));
					if (!t) {
						free(e);
						return -1;
					}
					e = t, cap = nc;
				}
				e[n++] = (pedge){u < v ? u : v, u < v ? v : u,
				                 (double)s->h[u] * s->sdist[x] +
				                     (double)s->h[v] * s->sdist[y]};
			}
	if (n)
		qsort(e, n, sizeof(*e), pedge_cmp_units);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || e[i].a != e[m - 1].a || e[i].b != e[m - 1].b)
			e[m++] = e[i];
	if (m)
		qsort(e, m, sizeof(*e), pedge_cmp_cost);
	*out = e;
	return (long)m;
}

/* Edmonds' search for an augmenting path from root (the cardinality
 * algorithm with blossoms shrunk through base[]): the classic arrays,
 * one set per graph. */
typedef struct blossom {
	int n;
	const size_t *start; /* adjacency CSR */
	const int *adj;
	int *match, *parent, *base, *queue;
	unsigned char *used, *inb, *mark;
} blossom;

static int lca(blossom *g, int a, int b)
{
	memset(g->mark, 0, (size_t)g->n);
	for (;;) {
		a = g->base[a];
		g->mark[a] = 1;
		if (g->match[a] < 0)
			break;
		a = g->parent[g->match[a]];
	}
	for (;;) {
		b = g->base[b];
		if (g->mark[b])
			return b;
		b = g->parent[g->match[b]];
	}
}

static void mark_path(blossom *g, int v, int b, int child)
{
	while (g->base[v] != b) {
		g->inb[g->base[v]] = g->inb[g->base[g->match[v]]] = 1;
		g->parent[v] = child;
		child = g->match[v];
		v = g->parent[g->match[v]];
	}
}

/* The end of an augmenting path from root (parent[] leads back), -1 none. */
static int find_path(blossom *g, int root)
{
	int n = g->n, qh = 0, qt = 0;
	memset(g->used, 0, (size_t)n);
	for (int i = 0; i < n; i++)
		g->parent[i] = -1, g->base[i] = i;
	g->used[root] = 1;
	g->queue[qt++] = root;
	while (qh < qt) {
		int v = g->queue[qh++];
		for (size_t q = g->start[v]; q < g->start[v + 1]; q++) {
			int to = g->adj[q];
			if (g->base[v] == g->base[to] || g->match[v] == to)
				continue;
			if (to == root || (g->match[to] >= 0 && g->parent[g->match[to]] >= 0)) {
				int cb = lca(g, v, to);
				memset(g->inb, 0, (size_t)n);
				mark_path(g, v, cb, to);
				mark_path(g, to, cb, v);
				for (int i = 0; i < n; i++)
					if (g->inb[g->base[i]]) {
						g->base[i] = cb;
						if (!g->used[i]) {
							g->used[i] = 1;
							g->queue[qt++] = i;
						}
					}
			} else if (g->parent[to] < 0) {
				g->parent[to] = v;
				if (g->match[to] < 0)
					return to;
				g->used[g->match[to]] = 1;
				g->queue[qt++] = g->match[to];
			}
		}
	}
	return -1;
}

/* A maximum matching of the graph of nu vertices and edges e[0..ne)
 * (greedy in their order first) into match[] (-1: unmatched). Returns its
 * size, -1 on ENOMEM, -2 when the deadline came first (match[] then holds
 * a matching, not a maximum one). */
static long max_matching(int nu, const pedge *e, long ne, double deadline, int *match)
{
	blossom g = {.n = nu, .match = match};
	size_t *start = calloc((size_t)nu + 1, sizeof(size_t));
	int *adj = malloc((size_t)(2 * ne + 1) * sizeof(int));
	g.parent = malloc((size_t)nu * sizeof(int));
	g.base = malloc((size_t)nu * sizeof(int));
	g.queue = malloc((size_t)nu * sizeof(int));
	g.used = malloc((size_t)nu);
	g.inb = malloc((size_t)nu);
	g.mark = malloc((size_t)nu);
	long size = -1;
	if (!start || !adj || !g.parent || !g.base || !g.queue || !g.used || !g.inb || !g.mark)
		goto done;
	for (long i = 0; i < ne; i++)
		start[e[i].a + 1]++, start[e[i].b + 1]++;
	for (int v = 0; v < nu; v++)
		start[v + 1] += start[v];
	size_t *fill = calloc((size_t)nu, sizeof(size_t));
	if (!fill)
		goto done;
	for (long i = 0; i < ne; i++) { /* each list in the edges' (cost) order */
		adj[start[e[i].a] + fill[e[i].a]++] = e[i].b;
		adj[start[e[i].b] + fill[e[i].b]++] = e[i].a;
	}
	free(fill);
	g.start = start;
	g.adj = adj;
	size = 0;
	for (int v = 0; v < nu; v++)
		match[v] = -1;
	for (long i = 0; i < ne; i++)
		if (match[e[i].a] < 0 && match[e[i].b] < 0)
			match[e[i].a] = e[i].b, match[e[i].b] = e[i].a, size++;
	for (int r = 0; r < nu; r++) {
		if (match[r] >= 0 || start[r] == start[r + 1])
			continue;
		if (clock_now_s() > deadline) {
			size = -2;
			break;
		}
		int v = find_path(&g, r);
		if (v < 0)
			continue;
		while (v >= 0) { /* flip the path */
			int pv = g.parent[v], ppv = match[pv];
			match[v] = pv;
			match[pv] = v;
			v = ppv;
		}
		size++;
	}
done:
	free(start);
	free(adj);
	free(g.parent);
	free(g.base);
	free(g.queue);
	free(g.used);
	free(g.inb);
	free(g.mark);
	return size;
}

/* The plan's stations and their sites: station t serves unit a[t] (and
 * b[t] when >= 0) at site[t]; owner[j] is the station on site j, -1. */
typedef struct place {
	const sp_sub *s;
	int n, cap;
	int *a, *b, *site;
	int *owner;
	int *prev, *queue; /* per station: the BFS of place_augment() */
} place;

/* Whether site j (the q-th of unit a's list) can hold station t: it
 * reaches b[t] too; *wd the station's walking there. */
static int place_fits(const place *pl, int t, size_t q, double *wd)
{
	const sp_sub *s = pl->s;
	int j = s->usite[q], u = pl->a[t], v = pl->b[t];
	*wd = (double)s->h[u] * s->udist[q];
	if (v < 0)
		return 1;
	double d = sp_dist(s, j, v);
	if (d < 0)
		return 0;
	*wd += (double)s->h[v] * d;
	return 1;
}

/* Station t on its cheapest free site; 0, or -1 when every site that can
 * hold it is taken. */
static int place_greedy(place *pl, int t)
{
	const sp_sub *s = pl->s;
	int best = -1;
	double bw = 0, wd;
	for (size_t q = s->us[pl->a[t]]; q < s->us[pl->a[t] + 1]; q++) {
		int j = s->usite[q];
		if (pl->owner[j] >= 0 || !place_fits(pl, t, q, &wd))
			continue;
		if (best < 0 || wd < bw - 1e-9)
			best = j, bw = wd;
	}
	if (best < 0)
		return -1;
	pl->site[t] = best;
	pl->owner[best] = t;
	return 0;
}

/* Station t on a site by moving others along an augmenting path (a
 * breadth-first search over stations, through the sites that can hold
 * them): 0, -1 when no free site is reachable that way. */
static int place_augment(place *pl, int t)
{
	const sp_sub *s = pl->s;
	int qh = 0, qt = 0;
	unsigned char *seen = calloc((size_t)pl->n, 1);
	if (!seen)
		return -2;
	seen[t] = 1;
	pl->prev[t] = -1;
	pl->queue[qt++] = t;
	int end = -1, endsite = -1;
	while (qh < qt && end < 0) {
		int x = pl->queue[qh++];
		double wd;
		for (size_t q = s->us[pl->a[x]]; q < s->us[pl->a[x] + 1] && end < 0; q++) {
			int j = s->usite[q];
			if (j == pl->site[x] || !place_fits(pl, x, q, &wd))
				continue;
			int y = pl->owner[j];
			if (y < 0) {
				end = x, endsite = j;
			} else if (!seen[y]) {
				seen[y] = 1;
				pl->prev[y] = x;
				pl->queue[qt++] = y;
			}
		}
	}
	free(seen);
	if (end < 0)
		return -1;
	/* end takes endsite; each station before it on the path takes the site
	 * the next one leaves (t had none) */
	for (int x = end, j = endsite; x >= 0; x = pl->prev[x]) {
		int old = pl->site[x];
		pl->site[x] = j;
		pl->owner[j] = x;
		j = old;
	}
	return 0;
}

long pairs_max_matching(int n, const int *ea, const int *eb, long ne, int *match)
{
	pedge *e = malloc((size_t)(ne > 0 ? ne : 1) * sizeof(*e));
	if (!e)
		return -1;
	for (long i = 0; i < ne; i++)
		e[i] = (pedge){ea[i], eb[i], (double)i};
	long r = max_matching(n, e, ne, INFINITY, match);
	free(e);
	return r;
}

/* ---- the walking: the LP over the maximum matchings ---- */

/* Pairs up to which the LP's branch-and-cut runs over the whole graph: on
 * the 1,000-community core (1,929 pairs) it ends at its root; on the
 * 20,000-community metropolis (43,691) it did 11 nodes in 25 s and found
 * no plan, so there only the fractional part is searched (residual). */
#define PAIRS_MIP_EDGES 5000

typedef struct lp_job {
	const sp_sub *s;
	const sp_params *p;
	const pedge *e;
	long ne, matched;
	double deadline;
	double *x;          /* the last optimal LP's values, per edge */
	double lb;          /* its value: reduced walking (household-metres) */
	int rounds;         /* LPs solved to optimality */
	int solved;         /* 1: x and lb hold an optimal LP's */
	int cut_done;       /* the last LP found no cut: its basis is optimal */
	const int *match;   /* a maximum matching, the first basis (NULL: none) */
	const double *near; /* per unit: its households at its nearest site */
	char *err;
	size_t errsize;
} lp_job;

/* Union-find root with path halving. */
static int uf_root(int *up, int v)
{
	while (up[v] != v)
		v = up[v] = up[up[v]];
	return v;
}

/* Add the odd-set cuts the LP's values violate: the vertices of each
 * component of the fractional edges, when odd (an odd cycle at 1/2 is
 * the usual one), get x(E(S)) <= (|S| - 1) / 2 over every pair inside
 * them. Returns the number of cuts added, -1 on ENOMEM. */
static int add_cuts(glp_prob *P, const lp_job *J, const double *x)
{
	int nu = J->s->nu, added = -1;
	int *up = malloc((size_t)nu * sizeof(int)), *size = calloc((size_t)nu, sizeof(int));
	int *rowof = malloc((size_t)nu * sizeof(int));
	double *sum = calloc((size_t)nu, sizeof(double));
	int *ind = malloc((size_t)(J->ne + 1) * sizeof(int));
	double *val = malloc((size_t)(J->ne + 1) * sizeof(double));
	long *cnt = NULL;
	if (!up || !size || !rowof || !sum || !ind || !val)
		goto done;
	for (int v = 0; v < nu; v++)
		up[v] = v, rowof[v] = 0;
	unsigned char *frac = calloc((size_t)nu, 1);
	if (!frac)
		goto done;
	for (long i = 0; i < J->ne; i++)
		if (x[i] > 1e-6 && x[i] < 1 - 1e-6) {
			frac[J->e[i].a] = frac[J->e[i].b] = 1;
			int ra = uf_root(up, J->e[i].a), rb = uf_root(up, J->e[i].b);
			if (ra != rb)
				up[ra < rb ? rb : ra] = ra < rb ? ra : rb;
		}
	for (int v = 0; v < nu; v++)
		if (frac[v])
			size[uf_root(up, v)]++;
	for (long i = 0; i < J->ne; i++) {
		int a = J->e[i].a, b = J->e[i].b;
		if (frac[a] && frac[b] && uf_root(up, a) == uf_root(up, b))
			sum[uf_root(up, a)] += x[i];
	}
	/* one row per violated odd component, in vertex order */
	int first = glp_get_num_rows(P) + 1, nrows = 0;
	for (int v = 0; v < nu; v++)
		if (frac[v] && up[v] == v && size[v] % 2 == 1 &&
		    sum[v] > (double)(size[v] - 1) / 2.0 + 1e-6)
			rowof[v] = first + nrows++;
	if (nrows > 0) {
		glp_add_rows(P, nrows);
		cnt = calloc((size_t)nrows + 1, sizeof(long));
		if (!cnt) {
			free(frac);
			goto done;
		}
		for (int v = 0; v < nu; v++)
			if (rowof[v])
				glp_set_row_bnds(P, rowof[v], GLP_UP, 0,
				                 (double)(size[v] - 1) / 2.0);
		/* collect (row, column) entries, then set each row */
		long nz = 0;
		for (long i = 0; i < J->ne; i++) {
			int a = J->e[i].a, b = J->e[i].b;
			if (frac[a] && frac[b] && uf_root(up, a) == uf_root(up, b) &&
			    rowof[uf_root(up, a)])
				cnt[rowof[uf_root(up, a)] - first + 1]++, nz++;
		}
		for (int r = 0; r < nrows; r++)
			cnt[r + 1] += cnt[r];
		int *col = malloc((size_t)(nz + 1) * sizeof(int));
		long *pos = malloc((size_t)(nrows + 1) * sizeof(long));
		if (!col || !pos) {
			free(col);
			free(pos);
			free(frac);
			goto done;
		}
		memcpy(pos, cnt, (size_t)(nrows + 1) * sizeof(long));
		for (long i = 0; i < J->ne; i++) {
			int a = J->e[i].a, b = J->e[i].b;
			if (frac[a] && frac[b] && uf_root(up, a) == uf_root(up, b) &&
			    rowof[uf_root(up, a)])
				col[pos[rowof[uf_root(up, a)] - first]++] = (int)i + 1;
		}
		for (int r = 0; r < nrows; r++) {
			int len = (int)(cnt[r + 1] - cnt[r]);
			for (int k = 0; k < len; k++)
				ind[k + 1] = col[cnt[r] + k], val[k + 1] = 1.0;
			glp_set_mat_row(P, first + r, len, ind, val);
		}
		free(col);
		free(pos);
	}
	free(frac);
	added = nrows;
done:
	free(up);
	free(size);
	free(rowof);
	free(sum);
	free(ind);
	free(val);
	free(cnt);
	return added;
}
static int integral(const double *x, long n)
{
	for (long i = 0; i < n; i++)
		if (x[i] > 1e-6 && x[i] < 1 - 1e-6)
			return 0;
	return 1;
}

typedef struct mip_cb {
	const lp_job *J;
	long nodes;
	double bound;
} mip_cb;

static void lp_mip_cb(glp_tree *tree, void *info)
{
	mip_cb *m = info;
	if (glpk_bridge_budget(tree, &m->nodes, m->J->p->work_limit, m->J->deadline))
		return;
	int best = glp_ios_best_node(tree);
	if (best && glp_ios_node_bound(tree, best) > m->bound)
		m->bound = glp_ios_node_bound(tree, best);
}

/* The LP with its cuts made a MIP (the pairs binary) when its values are
 * not integral: GLPK's branch-and-cut (Gomory cuts) to a quarter of
 * mip_gap, stopped from its callback at the deadline or after work_limit
 * nodes. An integer solution found replaces J->x; the bound rises to the
 * search's best. Returns 0, -1 with J->err on a GLPK failure. */
static int lp_mip(glp_prob *P, lp_job *J)
{
	if (!J->cut_done) { /* rows were added after the last LP: solve it again */
		glp_smcp sm;
		glp_init_smcp(&sm);
		sm.msg_lev = GLP_MSG_OFF;
		sm.meth = GLP_DUALP;
		double left = J->deadline - clock_now_s();
		if (left <= 0)
			return 0;
		sm.tm_lim = (int)fmin(left * 1000.0 + 1, 1e9);
		int ret = glp_simplex(P, &sm);
		if (ret == GLP_ETMLIM)
			return 0;
		if (ret != 0 || glp_get_status(P) != GLP_OPT) {
			snprintf(J->err, J->errsize,
			         "glp_simplex: return %d, status %d in the pairs' LP", ret,
			         glp_get_status(P));
			return -1;
		}
		if (glp_get_obj_val(P) > J->lb)
			J->lb = glp_get_obj_val(P);
	}
	for (int c = 1; c <= (int)J->ne; c++)
		glp_set_col_kind(P, c, GLP_BV);
	mip_cb m = {.J = J, .bound = J->lb};
	glp_iocp io;
	glpk_bridge_search_iocp(&io, J->deadline, lp_mip_cb, &m);
	io.mip_gap = J->p->mip_gap / 4;
	io.gmi_cuts = GLP_ON;
	int ret = glp_intopt(P, &io), mst = glp_mip_status(P);
	if ((ret != 0 && ret != GLP_ETMLIM && ret != GLP_EMIPGAP && ret != GLP_ESTOP) ||
	    (mst != GLP_OPT && mst != GLP_FEAS && mst != GLP_UNDEF && mst != GLP_NOFEAS)) {
		snprintf(J->err, J->errsize, "glp_intopt: return %d, status %d in the pairs' MIP",
		         ret, mst);
		return -1;
	}
	if (mst == GLP_OPT || mst == GLP_FEAS) {
		for (long i = 0; i < J->ne; i++)
			J->x[i] = glp_mip_col_val(P, (int)i + 1);
		/* the bound: the search's best node; the optimum itself when
		 * GLPK proved it, within its gap when it stopped there */
		double obj = glp_mip_obj_val(P), b = m.bound;
		if (ret == 0 && mst == GLP_OPT)
			b = obj;
		else if (ret == GLP_EMIPGAP)
			b = fmax(b, obj - io.mip_gap * fabs(obj) - 1e-9);
		if (b > J->lb)
			J->lb = fmin(b, obj);
	} else if (m.bound > J->lb) {
		J->lb = m.bound;
	}
	return 0;
}

/* The LP (in glpk_bridge_call): a row per unit with a pair (at most one),
 * one for the pairs' count (exactly J->matched), a column per pair at its
 * reduced walking (its best site's less both units' nearest), in [0, 1];
 * solved, then cut (add_cuts) and solved again while cuts are found, the
 * work limit allows (its count of rounds) and the deadline has not come.
 * Every optimal LP's value is a valid bound (a relaxation of every
 * maximum matching); the last one's is kept. Returns 0, -1 with J->err. */
static int lp_run(void *arg)
{
	lp_job *J = arg;
	const sp_sub *s = J->s;
	int nu = s->nu;
	long ne = J->ne;
	int *row = calloc((size_t)nu, sizeof(int));
	int *ia = malloc((size_t)(3 * ne + 1) * sizeof(int));
	int *ja = malloc((size_t)(3 * ne + 1) * sizeof(int));
	double *ar = malloc((size_t)(3 * ne + 1) * sizeof(double));
	glp_prob *P = NULL;
	int rc = -1;
	if (!row || !ia || !ja || !ar) {
		snprintf(J->err, J->errsize, "out of memory in the pairs' LP");
		goto done;
	}
	const double *near = J->near;
	int nrows = 0;
	for (long i = 0; i < ne; i++) {
		if (!row[J->e[i].a])
			row[J->e[i].a] = ++nrows;
		if (!row[J->e[i].b])
			row[J->e[i].b] = ++nrows;
	}
	P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MIN);
	glp_add_rows(P, nrows + 1);
	for (int r = 1; r <= nrows; r++)
		glp_set_row_bnds(P, r, GLP_UP, 0, 1);
	glp_set_row_bnds(P, nrows + 1, GLP_FX, (double)J->matched, (double)J->matched);
	glp_add_cols(P, (int)ne);
	long nz = 0;
	for (long i = 0; i < ne; i++) {
		int c = (int)i + 1, a = J->e[i].a, b = J->e[i].b;
		glp_set_col_bnds(P, c, GLP_DB, 0, 1);
		glp_set_obj_coef(P, c, fmax(0.0, J->e[i].wd - near[a] - near[b]));
		ia[++nz] = row[a], ja[nz] = c, ar[nz] = 1;
		ia[++nz] = row[b], ja[nz] = c, ar[nz] = 1;
		ia[++nz] = nrows + 1, ja[nz] = c, ar[nz] = 1;
	}
	glp_load_matrix(P, (int)nz, ia, ja, ar);
	/* the first basis: the maximum matching in hand (its pairs at their
	 * upper bound, every row's slack basic), feasible, so the primal
	 * simplex starts from a good plan, not from nothing */
	for (int r = 1; r <= nrows + 1; r++)
		glp_set_row_stat(P, r, GLP_BS);
	for (long i = 0; i < ne; i++)
		glp_set_col_stat(P, (int)i + 1,
		                 J->match && J->match[J->e[i].a] == J->e[i].b ? GLP_NU : GLP_NL);
	/* cuts while they pay: no more once ten rounds raised the bound by less
	 * than 0.01 % (they still find odd sets, ever fewer, each worth less),
	 * at most half the time unless a work limit asks for the same bytes
	 * (the stall then ends them, the deadline only as the safety net); the
	 * branch-and-cut after them */
	int max_rounds = 1000;     /* the stall ends them the same way every run */
	double cut_end = INFINITY; /* half of what the first LP leaves */
	double hist[10];
	for (int round = 0; round < max_rounds; round++) {
		glp_smcp sm;
		glp_init_smcp(&sm);
		sm.msg_lev = GLP_MSG_OFF;
		sm.presolve = GLP_OFF;
		sm.meth = round == 0 ? GLP_PRIMAL : GLP_DUALP;
		double left = J->deadline - clock_now_s();
		if (left <= 0)
			break;
		sm.tm_lim = (int)fmin(left * 1000.0 + 1, 1e9);
		int ret = glp_simplex(P, &sm);
		if (ret == GLP_EBADB || ret == GLP_ESING || ret == GLP_ECOND) {
			glp_adv_basis(P, 0);
			ret = glp_simplex(P, &sm);
		}
		if (ret == GLP_ETMLIM)
			break;
		if (ret != 0 || glp_get_status(P) != GLP_OPT) {
			snprintf(J->err, J->errsize,
			         "glp_simplex: return %d, status %d in the pairs' LP", ret,
			         glp_get_status(P));
			goto done;
		}
		J->lb = glp_get_obj_val(P);
		for (long i = 0; i < ne; i++)
			J->x[i] = glp_get_col_prim(P, (int)i + 1);
		J->solved = 1;
		J->rounds++;
		if (round == 0)
			cut_end = clock_now_s() + 0.5 * (J->deadline - clock_now_s());
		int stall = round >= 10 && J->lb - hist[round % 10] < 1e-4 * fabs(J->lb);
		hist[round % 10] = J->lb;
		int cuts = add_cuts(P, J, J->x);
		if (cuts < 0) {
			snprintf(J->err, J->errsize, "out of memory in the pairs' LP");
			goto done;
		}
		if (cuts == 0) {
			J->cut_done = 1;
			break;
		}
		if (stall || (J->p->work_limit <= 0 && clock_now_s() > cut_end))
			break;
	}
	if (J->solved && ne <= PAIRS_MIP_EDGES && !integral(J->x, ne) && lp_mip(P, J) < 0)
		goto done;
	rc = 0;
done:
	if (P)
		glp_delete_prob(P);
	free(row);
	free(ia);
	free(ja);
	free(ar);
	return rc;
}

/* The LP of the maximum matchings of s's pair graph (e, ne; `matched`
 * pairs) until deadline: its values into x[], its bound (reduced walking,
 * household-metres) into *lb, its rounds into *rounds. Returns 0, 1 when
 * no LP ended by the deadline, -1 with err set. */
static int walk_lp(const sp_sub *s, const sp_params *p, const pedge *e, long ne, const int *match,
                   const double *near, long matched, double deadline, double *x, double *lb,
                   int *rounds, char *err, size_t errsize)
{
	lp_job J = {.s = s, .p = p, .e = e, .ne = ne, .matched = matched, .match = match};
	J.near = near, J.deadline = deadline, J.x = x, J.err = err, J.errsize = errsize;
	int r = glpk_bridge_call(lp_run, &J, err, errsize);
	if (r < 0)
		return -1;
	*rounds = J.rounds;
	if (!J.solved)
		return 1;
	*lb = J.lb;
	return 0;
}

/* A maximum matching rounded from the LP's values: the edges in order of
 * value (ones first), then walking, taken greedily and augmented. match[]
 * is left as it was unless the result has all `matched` pairs. Returns 0,
 * -1 on ENOMEM. */
static int round_lp(int nu, const pedge *e, long ne, const double *x, long matched, double deadline,
                    int *match)
{
	pedge *o = malloc((size_t)(ne > 0 ? ne : 1) * sizeof(*o));
	int *m = malloc((size_t)nu * sizeof(int));
	int rc = -1;
	if (!o || !m)
		goto done;
	/* stable by value class: >= 1 - eps, >= 1/2 - eps, the rest */
	long k = 0;
	for (int cls = 0; cls < 3; cls++)
		for (long i = 0; i < ne; i++) {
			int c = x[i] >= 1 - 1e-6 ? 0 : x[i] >= 0.5 - 1e-6 ? 1 : 2;
			if (c == cls)
				o[k++] = e[i];
		}
	long nm = max_matching(nu, o, ne, deadline, m);
	if (nm == -1)
		goto done;
	if (nm == matched)
		memcpy(match, m, (size_t)nu * sizeof(int));
	rc = 0;
done:
	free(o);
	free(m);
	return rc;
}

typedef struct regret {
	double r; /* the second-best site's walking less the best's */
	int t;
} regret;

static int regret_cmp(const void *x, const void *y)
{
	const regret *a = x, *b = y;
	return order_by(ORDER_CMP(b->r, a->r), ORDER_CMP(a->t, b->t), 0);
}

/* A pair's reduced walking from the adjacency (sorted by neighbour):
 * INFINITY when a and b are no pair. */
static double pair_cost(const size_t *start, const int *nb, const double *cost, int a, int b)
{
	size_t lo = start[a], hi = start[a + 1];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (nb[mid] < b)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < start[a + 1] && nb[lo] == b ? cost[lo] : INFINITY;
}

/* Walking taken off a maximum matching by exchanges that keep its size
 * (and so the underfilled stations): a unit left alone takes the place of
 * a partner (u-a for b-a, b left alone), or that partner in turn takes
 * another's (u-a and b-c for a-b and c-d, d left alone), and two pairs swap
 * partners (a-c and b-d for a-b and c-d), each applied when it walks less,
 * in unit order, passes until none does or the deadline. Returns the
 * passes made, -1 on ENOMEM. */
static int improve_matching(int nu, const pedge *e, long ne, const double *near, double deadline,
                            int *match)
{
	size_t *start = calloc((size_t)nu + 1, sizeof(size_t));
	int *nb = malloc((size_t)(2 * ne + 1) * sizeof(int));
	double *cost = malloc((size_t)(2 * ne + 1) * sizeof(double));
	pedge *half = malloc((size_t)(2 * ne + 1) * sizeof(pedge));
	int passes = -1;
	if (!start || !nb || !cost || !half)
		goto done;
	for (long i = 0; i < ne; i++) {
		double c = e[i].wd - near[e[i].a] - near[e[i].b];
		half[2 * i] = (pedge){e[i].a, e[i].b, c};
		half[2 * i + 1] = (pedge){e[i].b, e[i].a, c};
	}
	qsort(half, (size_t)(2 * ne), sizeof(pedge), pedge_cmp_units);
	for (long i = 0; i < 2 * ne; i++) {
		start[half[i].a + 1]++;
		nb[i] = half[i].b;
		cost[i] = half[i].wd;
	}
	for (int v = 0; v < nu; v++)
		start[v + 1] += start[v];
	passes = 0;
	for (int changed = 1; changed && passes < 100 && clock_now_s() < deadline; passes++) {
		changed = 0;
		for (int u = 0; u < nu; u++) {
			if (match[u] < 0) {
				/* u alone takes a's partner b's place (b alone), or b in
				 * turn takes c's partner d's (d alone) */
				double best = -1e-9;
				int ba = -1, bc = -1;
				for (size_t q = start[u]; q < start[u + 1]; q++) {
					int a = nb[q], b = match[a];
					if (b < 0)
						continue;
					double d = cost[q] - pair_cost(start, nb, cost, a, b);
					if (d < best)
						best = d, ba = a, bc = -1;
					for (size_t r = start[b]; r < start[b + 1]; r++) {
						int c = nb[r], dd = match[c];
						if (c == a || c == u || dd < 0 || dd == u)
							continue;
						double d2 =
						    d + cost[r] - pair_cost(start, nb, cost, c, dd);
						if (d2 < best)
							best = d2, ba = a, bc = c;
					}
				}
				if (ba >= 0) {
					int b = match[ba];
					if (bc >= 0) {
						match[match[bc]] = -1;
						match[b] = bc, match[bc] = b;
					} else {
						match[b] = -1;
					}
					match[ba] = u, match[u] = ba;
					changed = 1;
				}
				continue;
			}
			int b = match[u];
			if (b < u)
				continue; /* each pair once, from its lower unit */
			double cab = pair_cost(start, nb, cost, u, b), best = -1e-9;
			int bc = -1, bd = -1;
			for (size_t q = start[u]; q < start[u + 1]; q++) {
				int c = nb[q], d = match[c];
				if (c == b || d < 0 || d == u)
					continue;
				double cbd = pair_cost(start, nb, cost, b, d);
				if (!isfinite(cbd))
					continue;
				double delta =
				    cost[q] + cbd - cab - pair_cost(start, nb, cost, c, d);
				if (delta < best)
					best = delta, bc = c, bd = d;
			}
			if (bc >= 0) {
				match[u] = bc, match[bc] = u;
				match[b] = bd, match[bd] = b;
				changed = 1;
			}
		}
	}
done:
	free(start);
	free(nb);
	free(cost);
	free(half);
	return passes;
}

/* The plan of matching match[] (pairs in e's order, then units alone in
 * unit order), each station on its cheapest free site, else by moving
 * others along an augmenting path; a pair no site is left for is served
 * as two units alone (*unplaced counts them). Returns 0, 1 when a unit
 * alone finds no site, -1 on ENOMEM; *out is freed unless 0. */
static int plan_of(const sp_sub *s, const pedge *e, long ne, const int *match, sp_sol *out,
                   long *unplaced)
{
	int rc = -1;
	memset(out, 0, sizeof(*out));
	*unplaced = 0;
	place pl = {.s = s, .cap = s->nu};
	pl.a = malloc((size_t)s->nu * sizeof(int));
	pl.b = malloc((size_t)s->nu * sizeof(int));
	pl.site = malloc((size_t)s->nu * sizeof(int));
	pl.prev = malloc((size_t)s->nu * sizeof(int));
	pl.queue = malloc((size_t)s->nu * sizeof(int));
	pl.owner = malloc((size_t)s->ns * sizeof(int));
	if (!pl.a || !pl.b || !pl.site || !pl.prev || !pl.queue || !pl.owner)
		goto done;
	for (int j = 0; j < s->ns; j++)
		pl.owner[j] = -1;
	for (long i = 0; i < ne; i++)
		if (match[e[i].a] == e[i].b)
			pl.a[pl.n] = e[i].a, pl.b[pl.n] = e[i].b, pl.site[pl.n++] = -1;
	for (int u = 0; u < s->nu; u++)
		if (match[u] < 0)
			pl.a[pl.n] = u, pl.b[pl.n] = -1, pl.site[pl.n++] = -1;
	/* greedy by regret: the stations that lose most when pushed off their
	 * best site (a unit alone on its own site, whose next site makes all
	 * its households walk) choose first */
	regret *rg = malloc((size_t)pl.n * sizeof(*rg));
	if (!rg)
		goto done;
	for (int t = 0; t < pl.n; t++) {
		double b1 = INFINITY, b2 = INFINITY, wd;
		for (size_t q = s->us[pl.a[t]]; q < s->us[pl.a[t] + 1]; q++)
			if (place_fits(&pl, t, q, &wd)) {
				if (wd < b1)
					b2 = b1, b1 = wd;
				else if (wd < b2)
					b2 = wd;
			}
		rg[t] = (regret){isfinite(b2) ? b2 - b1 : INFINITY, t};
	}
	qsort(rg, (size_t)pl.n, sizeof(*rg), regret_cmp);
	for (int k = 0; k < pl.n; k++)
		place_greedy(&pl, rg[k].t);
	free(rg);
	for (int t = 0; t < pl.n; t++) {
		if (pl.site[t] >= 0 || place_greedy(&pl, t) == 0)
			continue;
		int r = place_augment(&pl, t);
		if (r == -2)
			goto done;
		if (r == 0)
			continue;
		if (pl.b[t] < 0) { /* a unit alone with no site: no plan this way */
			rc = 1;
			goto done;
		}
		/* a pair with no site: both alone (stations never exceed units) */
		pl.a[pl.n] = pl.b[t], pl.b[pl.n] = -1, pl.site[pl.n++] = -1;
		pl.b[t] = -1;
		(*unplaced)++;
		t--; /* t again, alone */
	}
	for (int t = 0; t < pl.n; t++)
		if (sp_sol_add(out, pl.site[t], (int[]){pl.a[t], pl.b[t]}, pl.b[t] < 0 ? 1 : 2, s) <
		    0)
			goto done;
	sp_sol_sort(out);
	rc = 0;
done:
	if (rc != 0)
		sp_sol_free(out);
	free(pl.a);
	free(pl.b);
	free(pl.site);
	free(pl.prev);
	free(pl.queue);
	free(pl.owner);
	return rc;
}

int pairs_solve(const sp_sub *s, const sp_params *p, double deadline, double lp_deadline,
                sp_sol *out, pairs_result *res)
{
	memset(out, 0, sizeof(*out));
	memset(res, 0, sizeof(*res));
	res->walk_bound = -INFINITY;
	if (!pair_structured(s, p))
		return 1;
	pedge *e = NULL;
	long ne = pair_edges(s, p, &e);
	int *match = malloc((size_t)s->nu * sizeof(int));
	double *near = malloc((size_t)s->nu * sizeof(double)), *x = NULL;
	int rc = -1;
	long nm = ne < 0 || !match || !near ? -1 : max_matching(s->nu, e, ne, deadline, match);
	if (nm == -1)
		goto done;
	rc = 1;
	if (nm < 0)
		goto done; /* the deadline: no exact figure to give */
	long small = 0;
	for (int u = 0; u < s->nu; u++)
		small += rules_band_under(sp_band(p), s->h[u]);
	res->structured = 1;
	res->matched = nm;
	res->stations = s->nu - nm;
	res->underfilled = small - 2 * nm;
	double nearsum = 0; /* the reduced walking's constant */
	for (int u = 0; u < s->nu; u++)
		nearsum += near[u] = (double)s->h[u] * s->udist[s->us[u]];
	/* the walking: the LP over the maximum matchings, its bound and the
	 * matching rounded from it (its pairs first, then by walking) */
	if (lp_deadline > clock_now_s() && nm > 0) {
		x = malloc((size_t)ne * sizeof(double));
		if (!x) {
			rc = -1;
			goto done;
		}
		double lb;
		int r = walk_lp(s, p, e, ne, match, near, nm, lp_deadline, x, &lb, &res->lp_rounds,
		                res->err, sizeof(res->err));
		if (r < 0 && strstr(res->err, "out of memory")) {
			rc = -1;
			goto done;
		}
		if (r == 0) {
			res->walk_bound = nearsum + lb;
			if (round_lp(s->nu, e, ne, x, nm, deadline, match) < 0) {
				rc = -1;
				goto done;
			}
		}
	}
	res->passes = improve_matching(s->nu, e, ne, near, lp_deadline, match);
	if (res->passes < 0) {
		rc = -1;
		goto done;
	}
	rc = plan_of(s, e, ne, match, out, &res->unplaced);
done:
	if (rc < 0)
		memset(res, 0, sizeof(*res));
	free(e);
	free(match);
	free(near);
	free(x);
	return rc;
}
