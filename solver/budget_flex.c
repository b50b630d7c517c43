/*
 * budget_flex.c: flexible splitting (rules.split = flexible) in the budget
 * model of budget.c.
 *
 * Under a station budget a unit over households_max is served in full or
 * not at all, by several stations with any integer shares adding up to its
 * households, each station within the band, a share grouped with whole
 * units. As in flex_model.c, a station holding a share is a pattern c (a
 * site, whole units W_c, split units S_c) and the shares are continuous
 * columns sigma_cu of a transportation system (totally unimodular: integer
 * at its vertices). In the budget model, per split unit u (binary w_u,
 * served) and pattern c (binary x_c):
 *
 *   sum_{c : u in S_c} sigma_cu - h_u w_u = 0                 (unit u)
 *   sum_{u in S_c} sigma_cu - (hmax - h(W_c)) x_c <= 0        (pattern c)
 *   sum_{u in S_c} sigma_cu - (hmin - h(W_c)) x_c >= 0        (pattern c, in band)
 *   x_c in the rows of its whole units, its site and the budget
 *
 * and the columns of cluster.c that hold an equal part of a split unit are
 * left out (their plans are patterns with equal shares). Patterns without a
 * split unit are cluster.c's columns, unchanged. Every pattern with at
 * least one split unit is listed at every site, the split units counting
 * one household (the least share); a share of zero is dropped from the
 * plan. Below the band only at an existing station (which must stay open),
 * with the penalty, as the other columns. A sub whose patterns exceed the
 * column cap, or with a split unit short of sites (stacked equal parts),
 * keeps equal parts (budget.c then reports its part as restricted).
 */
#include "budget_int.h"
#include "grow.h"
#include "rules.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct bf_walk {
	const sp_sub *s;
	const sp_params *p;
	bf_list *l;
	size_t cap;
	long visited, max_visit;
	int *cur;
} bf_walk;

static int split_unit(const sp_sub *s, int u)
{
	return s->k[u] > 1;
}

static int push(bf_walk *w, int j, int depth, int nsplit, long hw, double wd, int under)
{
	bf_list *l = w->l;
	if (grow_reserve(&l->pat, &l->cap, l->n + 1, sizeof(*l->pat)) < 0 ||
	    grow_reserve(&l->mem, &l->capmem, l->nmem + (size_t)depth, sizeof(*l->mem)) < 0)
		return -1;
	memcpy(l->mem + l->nmem, w->cur, (size_t)depth * sizeof(int));
	l->pat[l->n++] = (bf_pat){.site = j,
	                          .n0 = (int)l->nmem,
	                          .n = depth,
	                          .nsplit = nsplit,
	                          .hw = hw,
	                          .wd = wd,
	                          .under = under};
	l->nmem += (size_t)depth;
	l->ncols += 1 + (size_t)nsplit;
	return 0;
}

/* The variants of pattern cur[0..depth) at site j: in the band when some
 * shares reach households_min, below it at an existing station. 0, 1 too
 * many, -1 on ENOMEM. */
static int offer(bf_walk *w, int j, int depth, long hw, int nsplit, long hsplit, double wd)
{
	rules_band band = sp_band(w->p);
	long least = hw + nsplit, most = hw + hsplit;
	if (most > w->p->hmax)
		most = w->p->hmax;
	if (!rules_band_under(band, most) && push(w, j, depth, nsplit, hw, wd, 0) < 0)
		return -1;
	if (w->s->fixed[j] && rules_band_under(band, least) &&
	    push(w, j, depth, nsplit, hw, wd, 1) < 0)
		return -1;
	return w->l->n > w->cap ? 1 : 0;
}

/* Every pattern at site j extending cur[0..depth) by units of the site's
 * list from position `from`; `last` is the list position of its last split
 * unit (a pattern holds one). */
static int dfs(bf_walk *w, int j, int depth, size_t from, size_t last, long hw, int nsplit,
               long hsplit, double wd)
{
	const sp_sub *s = w->s;
	if (++w->visited > w->max_visit)
		return 1;
	int rc = nsplit > 0 ? offer(w, j, depth, hw, nsplit, hsplit, wd) : 0;
	if (rc)
		return rc;
	for (size_t q = from; q < s->ss[j + 1] && (nsplit > 0 || q <= last); q++) {
		int u = s->sunit[q], sp = split_unit(s, u);
		if (rules_band_over(sp_band(w->p), hw + nsplit + (sp ? 1 : s->h[u])))
			continue;
		w->cur[depth] = u;
		rc = sp ? dfs(w, j, depth + 1, q + 1, last, hw, nsplit + 1, hsplit + s->h[u], wd)
		        : dfs(w, j, depth + 1, q + 1, last, hw + s->h[u], nsplit, hsplit,
		              wd + (double)s->h[u] * s->sdist[q]);
		if (rc)
			return rc;
	}
	return 0;
}

void budget_flex_free(bf_list *l)
{
	free(l->pat);
	free(l->mem);
	free(l->prow);
	memset(l, 0, sizeof(*l));
}

int budget_flex_list(const sp_sub *s, const sp_params *p, size_t cap, bf_list *l)
{
	memset(l, 0, sizeof(*l));
	for (int u = 0; u < s->nu; u++)
		if (split_unit(s, u) && sp_short(s, u))
			return 1;
	bf_walk w = {.s = s, .p = p, .l = l, .cap = cap, .max_visit = 10 * (long)cap};
	w.cur = malloc(((size_t)s->nu + 1) * sizeof(int));
	l->prow = calloc((size_t)s->ns + 1, sizeof(int));
	if (!w.cur || !l->prow) {
		free(w.cur);
		budget_flex_free(l);
		return -1;
	}
	int rc = 0;
	for (int j = 0; j < s->ns && rc == 0; j++) {
		size_t last = s->ss[j + 1];
		for (size_t q = s->ss[j]; q < s->ss[j + 1]; q++)
			if (split_unit(s, s->sunit[q]))
				last = q;
		if (last < s->ss[j + 1])
			rc = dfs(&w, j, 0, s->ss[j], last, 0, 0, 0, 0.0);
	}
	free(w.cur);
	if (rc != 0) {
		budget_flex_free(l);
		return rc;
	}
	l->on = 1;
	return 0;
}

size_t budget_flex_rows(bf_list *l, const sp_sub *s, const sp_params *p, size_t row)
{
	memset(l->prow, 0, ((size_t)s->ns + 1) * sizeof(int));
	for (size_t c = 0; c < l->n; c++) {
		bf_pat *pt = &l->pat[c];
		if (!l->prow[pt->site])
			l->prow[pt->site] = (int)++row;
		pt->hirow = (int)++row;
		pt->lorow = !pt->under && rules_band_under(sp_band(p), pt->hw) ? (int)++row : 0;
	}
	return row;
}

size_t budget_flex_nnz(const bf_list *l)
{
	/* x: its whole units, site, budget, two load rows; a share: unit, two loads */
	return l->nmem + 5 * l->n + 3 * l->ncols;
}

void budget_flex_load(bmodel *m, const bf_list *l, const sp_sub *s, glp_prob *P, size_t base,
                      size_t unitrow, const int *srow, int budget_row, int *ia, int *ja, double *ar,
                      size_t *k)
{
	const sp_params *p = &m->w->p;
	int col = (int)base;
	for (size_t c = 0; c < l->n; c++) {
		const bf_pat *pt = &l->pat[c];
		int x = ++col;
		glp_set_col_kind(P, x, GLP_BV);
		int pen = pt->under && !sp_isolated(s, p, pt->site);
		glp_set_obj_coef(P, x,
		                 (double)pt->hw - pt->wd / m->wscale - (pen ? m->penalty : 0));
		m->hcoef[x] = (double)pt->hw;
		m->wcoef[x] = pt->wd;
		m->pen[x] = (unsigned char)pen;
		glp_set_row_bnds(P, pt->hirow, GLP_UP, 0, 0);
		++*k, ia[*k] = pt->hirow, ja[*k] = x, ar[*k] = -(double)(p->hmax - pt->hw);
		if (pt->lorow) {
			glp_set_row_bnds(P, pt->lorow, GLP_LO, 0, 0);
			++*k, ia[*k] = pt->lorow, ja[*k] = x, ar[*k] = -(double)(p->hmin - pt->hw);
		}
		if (srow[pt->site])
			++*k, ia[*k] = srow[pt->site], ja[*k] = x, ar[*k] = 1;
		glp_set_row_bnds(P, l->prow[pt->site], GLP_UP, 0, 1);
		++*k, ia[*k] = l->prow[pt->site], ja[*k] = x, ar[*k] = 1;
		if (!s->fixed[pt->site])
			++*k, ia[*k] = budget_row, ja[*k] = x, ar[*k] = 1;
		for (int i = 0; i < pt->n; i++) {
			int u = l->mem[pt->n0 + i];
			int r = (int)unitrow + u + 1;
			if (!split_unit(s, u)) {
				++*k, ia[*k] = r, ja[*k] = x, ar[*k] = 1;
				continue;
			}
			int sg = ++col; /* the share sigma_cu */
			long room = p->hmax - pt->hw;
			double d = sp_dist(s, pt->site, u);
			glp_set_col_bnds(P, sg, GLP_DB, 0,
			                 (double)(room < s->h[u] ? room : s->h[u]));
			glp_set_obj_coef(P, sg, -d / m->wscale);
			m->wcoef[sg] = d;
			++*k, ia[*k] = r, ja[*k] = sg, ar[*k] = 1;
			++*k, ia[*k] = pt->hirow, ja[*k] = sg, ar[*k] = 1;
			if (pt->lorow)
				++*k, ia[*k] = pt->lorow, ja[*k] = sg, ar[*k] = 1;
		}
	}
}

/* Each split unit's shares on the stations from `first` on add up to its
 * households: rounding's leftovers moved within the maximum. */
static void even_out(const sp_sub *s, const sp_params *p, sp_sol *out, int first)
{
	for (int v = 0; v < s->nu; v++) {
		if (!split_unit(s, v))
			continue;
		long got = 0;
		for (int t = first; t < out->n; t++)
			for (int i = 0; i < out->st[t].n; i++)
				got += out->st[t].u[i] == v ? out->st[t].sh[i] : 0;
		for (int t = first; t < out->n && got > 0 && got != s->h[v]; t++) {
			sp_station *st = &out->st[t];
			for (int i = 0; i < st->n && got != s->h[v]; i++) {
				if (st->u[i] != v)
					continue;
				long d = s->h[v] - got;
				if (d > 0 && d > p->hmax - st->hi)
					d = p->hmax - st->hi;
				if (d < 0 && -d > st->sh[i] - 1)
					d = -(st->sh[i] - 1);
				st->sh[i] += d;
				got += d;
				sp_station_refresh(s, st);
			}
		}
	}
}

int budget_flex_stations(const bf_list *l, const sp_sub *s, const sp_params *p, const double *val,
                         sp_sol *out)
{
	int first = out->n;
	size_t q = 0;
	for (size_t c = 0; c < l->n; c++) {
		const bf_pat *pt = &l->pat[c];
		size_t x = q;
		q += 1 + (size_t)pt->nsplit;
		if (val[x] < 0.5)
			continue;
		if (sp_sol_add_shares(out, s, pt->site, l->mem + pt->n0, pt->n, val + x + 1) < 0)
			return -1;
	}
	even_out(s, p, out, first);
	sp_sol_sort(out);
	return 0;
}

/* Index (and first column, in *col) of the pattern at `site` with members
 * u[0..n) and variant `under`; -1 if none. */
static long find_pattern(const bf_list *l, int site, const int *u, int n, int under, size_t *col)
{
	size_t q = 0;
	for (size_t c = 0; c < l->n; q += 1 + (size_t)l->pat[c].nsplit, c++) {
		const bf_pat *pt = &l->pat[c];
		if (pt->site == site && pt->n == n && pt->under == under &&
		    memcmp(l->mem + pt->n0, u, (size_t)n * sizeof(int)) == 0) {
			*col = q;
			return (long)c;
		}
	}
	return -1;
}

int budget_flex_map(const bf_list *l, const sp_sub *s, const sp_params *p, const sp_cols *c,
                    double *colval, double *patval)
{
	int *occ = calloc((size_t)s->nu + 1, sizeof(int));
	if (!occ)
		return 0;
	int ok = 1;
	for (size_t q = 0; q < c->n && ok; q++) {
		if (colval[q] < 0.5)
			continue;
		int n = (int)(c->start[q + 1] - c->start[q]), nsp = 0;
		const int *u = c->unit + c->start[q];
		for (int i = 0; i < n; i++)
			nsp += split_unit(s, u[i]);
		if (nsp == 0)
			continue;
		long sh[n > 0 ? n : 1], load = 0;
		for (int i = 0; i < n; i++) {
			int v = u[i];
			sh[i] = split_unit(s, v) ? s->h[v] / s->k[v] + (occ[v] < s->h[v] % s->k[v])
			                         : s->h[v];
			occ[v] += split_unit(s, v);
			load += sh[i];
		}
		size_t x;
		long pc = colval[q] > 1.5 ? -1
		                          : find_pattern(l, c->site[q], u, n,
		                                         rules_band_under(sp_band(p), load), &x);
		if (pc < 0) {
			ok = 0;
			break;
		}
		colval[q] = 0;
		patval[x] = 1;
		for (int i = 0, g = 0; i < n; i++)
			if (split_unit(s, u[i]))
				patval[x + 1 + (size_t)g++] = (double)sh[i];
	}
	free(occ);
	return ok;
}
