/*
 * heur.c: a fast incumbent for every sub-problem, before branch-and-bound.
 *
 * Construction is a greedy "hardest unit first" packing: units with the
 * fewest reachable sites (then the most households) are placed first, into
 * an open station that reaches them and has room, else into a new station at
 * the reachable site whose greedy fill (nearest unplaced units while they fit
 * under households_max) holds the most households. Existing stations are
 * opened first.
 *
 * Local search then repeats, while the cost (sp_cost, the model's own
 * objective) falls and time remains:
 *   drop      empty a station into others that reach its units and have room,
 *             with a one-level ejection chain (move a unit of the receiver on
 *             to a third station to make room);
 *   reassign  move one unit (or one part of a split unit) to another station
 *             when that lowers the cost (walking, underfill);
 *   re-site   put each station on the least-cost free site reaching all its
 *             units (a site holds one station; new stations open only on
 *             free sites too, and a plan that still shares one, for want of
 *             a free site, is no incumbent for model.c).
 * Every move keeps the solution feasible (reach, households_max), so the
 * result is always a valid incumbent for model.c. Deterministic: fixed scan
 * orders, ties broken by index.
 */
#include "solver_int.h"
#include "grow.h"
#include "clock.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static int has_member(const sp_station *st, int u)
{
	int lo = 0, hi = st->n;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (st->u[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < st->n && st->u[lo] == u;
}

static int member_add(const sp_sub *s, sp_station *st, int u)
{
	assert(!st->sh); /* the heuristic works on equal parts (flex.c comes after) */
	if (grow_to(&st->u, (size_t)st->n + 1, sizeof(int)) != 0)
		return -1;
	int i = st->n;
	while (i > 0 && st->u[i - 1] > u) {
		st->u[i] = st->u[i - 1];
		i--;
	}
	st->u[i] = u;
	st->n++;
	st->lo += s->plo[u];
	st->hi += s->phi[u];
	st->wd += sp_part(s, u) * sp_dist(s, st->site, u);
	return 0;
}

static void member_remove(const sp_sub *s, sp_station *st, int u)
{
	assert(!st->sh);
	int i = 0;
	while (i < st->n && st->u[i] != u)
		i++;
	if (i == st->n)
		return;
	memmove(st->u + i, st->u + i + 1, (size_t)(st->n - i - 1) * sizeof(int));
	st->n--;
	st->lo -= s->plo[u];
	st->hi -= s->phi[u];
	st->wd -= sp_part(s, u) * sp_dist(s, st->site, u);
	if (st->n == 0)
		st->wd = 0;
}

/* Cost of station st as it would be with unit u added (+1) or removed (-1). */
static double cost_with(const sp_sub *s, const sp_params *p, const sp_station *st, int u, int sign)
{
	long lo = st->lo + sign * s->plo[u];
	double wd = st->wd + sign * sp_part(s, u) * sp_dist(s, st->site, u);
	if (sign < 0 && st->n == 1 && !s->fixed[st->site])
		return 0; /* the station closes */
	return sp_cost(s, p, st->site, lo, wd);
}

/* Stations by site: head[site] -> first station, nxt[station] -> next. */
typedef struct site_index {
	int *head, *nxt, *last; /* last: per site, the station at the end of its chain */
	int cap;
} site_index;

static int index_build(const sp_sub *s, const sp_sol *sol, site_index *ix)
{
	if (!ix->head && !(ix->head = malloc((size_t)s->ns * sizeof(int))))
		return -1;
	if (sol->n > ix->cap) {
		if (grow_to(&ix->nxt, (size_t)sol->n, sizeof(int)) != 0)
			return -1;
		ix->cap = sol->n;
	}
	if (!ix->last && !(ix->last = malloc((size_t)s->ns * sizeof(int))))
		return -1;
	for (int j = 0; j < s->ns; j++)
		ix->head[j] = ix->last[j] = -1;
	for (int i = sol->n - 1; i >= 0; i--) {
		ix->nxt[i] = ix->head[sol->st[i].site];
		ix->head[sol->st[i].site] = i;
		if (ix->last[sol->st[i].site] < 0)
			ix->last[sol->st[i].site] = i;
	}
	return 0;
}

/* Link the station just appended to `sol` (its last) at the end of its
 * site's chain, as index_build would: O(1) instead of a rebuild. */
static int index_push(const sp_sol *sol, site_index *ix)
{
	int i = sol->n - 1, j = sol->st[i].site;
	if (sol->n > ix->cap) {
		size_t cap = grow_cap((size_t)ix->cap, (size_t)sol->n);
		if (grow_to(&ix->nxt, cap, sizeof(int)) != 0)
			return -1;
		ix->cap = (int)cap;
	}
	ix->nxt[i] = -1;
	if (ix->last[j] >= 0)
		ix->nxt[ix->last[j]] = i;
	else
		ix->head[j] = i;
	ix->last[j] = i;
	return 0;
}

static void index_free(site_index *ix)
{
	free(ix->head);
	free(ix->nxt);
	free(ix->last);
}

/* Remove empty non-fixed stations, keeping order. */
static void sol_compact(sp_sol *sol, const sp_sub *s)
{
	int w = 0;
	for (int i = 0; i < sol->n; i++) {
		if (sol->st[i].n == 0 && !s->fixed[sol->st[i].site]) {
			free(sol->st[i].u);
			free(sol->st[i].sh);
			continue;
		}
		sol->st[w++] = sol->st[i];
	}
	sol->n = w;
}

/* The stations a trial move touched, each saved as it was before its first
 * change, so the move is judged on them alone and undone in place: a trial
 * costs what it touches, not a copy of the whole solution (on the
 * 20,000-community metropolis a copy per station was quadratic). */
typedef struct journal {
	int *idx;          /* stations touched */
	sp_station *saved; /* their state before the first change; u owned */
	int n, cap;
} journal;

/* Save station t of sol unless the journal holds it. Returns 0, -1 on ENOMEM. */
static int journal_touch(journal *jl, const sp_sol *sol, int t)
{
	for (int k = 0; k < jl->n; k++)
		if (jl->idx[k] == t)
			return 0;
	if (jl->n == jl->cap) {
		size_t cap = grow_cap((size_t)jl->cap, (size_t)jl->n + 1);
		if (grow_to(&jl->idx, cap, sizeof(int)) != 0 ||
		    grow_to(&jl->saved, cap, sizeof(sp_station)) != 0)
			return -1;
		jl->cap = (int)cap;
	}
	const sp_station *st = &sol->st[t];
	assert(!st->sh);
	sp_station c = *st;
	if (!(c.u = malloc((size_t)(st->n > 0 ? st->n : 1) * sizeof(int))))
		return -1;
	if (st->n > 0)
		memcpy(c.u, st->u, (size_t)st->n * sizeof(int));
	jl->idx[jl->n] = t;
	jl->saved[jl->n++] = c;
	return 0;
}

/* End the trial: keep the changes when the touched stations cost less than
 * before (returns 1), else put them back (returns 0). */
static int journal_settle(journal *jl, const sp_sub *s, const sp_params *p, sp_sol *sol)
{
	double before = 0, after = 0;
	for (int k = 0; k < jl->n; k++) {
		before += sp_station_cost(s, p, &jl->saved[k]);
		after += sp_station_cost(s, p, &sol->st[jl->idx[k]]);
	}
	int keep = after < before - 1e-9;
	for (int k = 0; k < jl->n; k++) {
		sp_station *st = &sol->st[jl->idx[k]];
		if (keep) {
			free(jl->saved[k].u);
		} else {
			free(st->u);
			*st = jl->saved[k];
		}
	}
	jl->n = 0;
	return keep;
}

/* Put back every touched station (a trial that failed half-way). */
static void journal_undo(journal *jl, sp_sol *sol)
{
	for (int k = 0; k < jl->n; k++) {
		free(sol->st[jl->idx[k]].u);
		sol->st[jl->idx[k]] = jl->saved[k];
	}
	jl->n = 0;
}

static void journal_free(journal *jl)
{
	for (int k = 0; k < jl->n; k++)
		free(jl->saved[k].u);
	free(jl->idx);
	free(jl->saved);
}

/* Best station (least cost increase) other than `skip` that can take unit u. */
static int best_receiver(const sp_sub *s, const sp_params *p, const sp_sol *sol,
                         const site_index *ix, int u, int skip, double *delta)
{
	int best = -1;
	double bd = 0;
	for (size_t q = s->us[u]; q < s->us[u + 1]; q++) {
		for (int t = ix->head[s->usite[q]]; t >= 0; t = ix->nxt[t]) {
			const sp_station *st = &sol->st[t];
			if (t == skip || st->n < 0 ||
			    rules_band_over(sp_band(p), st->hi + s->phi[u]) || has_member(st, u))
				continue;
			double d = cost_with(s, p, st, u, +1) - sp_station_cost(s, p, st);
			if (best < 0 || d < bd - 1e-12) {
				best = t;
				bd = d;
			}
		}
	}
	*delta = bd;
	return best;
}

/* Greedy fill of a new station at site j seeded with unit u. */
static int greedy_fill(const sp_sub *s, const sp_params *p, const int *rem, int j, int u, int *out,
                       long *hi_out)
{
	int n = 0;
	long hi = s->phi[u];
	out[n++] = u;
	/* the site's units by distance: scan its list (index order) picking nearest first */
	size_t a = s->ss[j], b = s->ss[j + 1];
	for (;;) {
		int pick = -1;
		double pd = 0;
		for (size_t q = a; q < b; q++) {
			int v = s->sunit[q];
			if (rem[v] <= 0 || v == u || rules_band_over(sp_band(p), hi + s->phi[v]))
				continue;
			int dup = 0;
			for (int i = 0; i < n; i++)
				dup |= out[i] == v;
			if (dup)
				continue;
			if (pick < 0 || s->sdist[q] < pd) {
				pick = v;
				pd = s->sdist[q];
			}
		}
		if (pick < 0)
			break;
		out[n++] = pick;
		hi += s->phi[pick];
	}
	*hi_out = hi;
	return n;
}

static int *order_units(const sp_sub *s)
{
	int *ord = malloc((size_t)s->nu * sizeof(int));
	if (!ord)
		return NULL;
	for (int i = 0; i < s->nu; i++)
		ord[i] = i;
	/* insertion-free: simple sort by (sites asc, households desc, index) */
	for (int i = 1; i < s->nu; i++) {
		int v = ord[i], j = i;
		size_t nv = s->us[v + 1] - s->us[v];
		while (j > 0) {
			int w = ord[j - 1];
			size_t nw = s->us[w + 1] - s->us[w];
			if (nw < nv || (nw == nv && s->h[w] >= s->h[v]))
				break;
			ord[j] = w;
			j--;
		}
		ord[j] = v;
	}
	return ord;
}

static int construct(const sp_sub *s, const sp_params *p, sp_sol *sol)
{
	int rc = -1;
	int *rem = malloc((size_t)s->nu * sizeof(int));
	int *buf = malloc((size_t)s->nu * sizeof(int));
	int *best = malloc((size_t)s->nu * sizeof(int));
	int *ord = order_units(s);
	site_index ix = {0};
	if (!rem || !buf || !best || !ord)
		goto out;
	/* what the stations already in `sol` (a partial solution) leave to place */
	unsigned char *open_fixed = calloc((size_t)(s->ns ? s->ns : 1), 1);
	if (!open_fixed)
		goto out;
	for (int i = 0; i < s->nu; i++)
		rem[i] = s->k[i];
	for (int t = 0; t < sol->n; t++) {
		open_fixed[sol->st[t].site] = 1;
		for (int m = 0; m < sol->st[t].n; m++)
			rem[sol->st[t].u[m]]--;
	}
	for (int j = 0; j < s->ns; j++)
		if (s->fixed[j] && !open_fixed[j] && sp_sol_add(sol, j, NULL, 0, s) < 0) {
			free(open_fixed);
			goto out;
		}
	free(open_fixed);
	if (index_build(s, sol, &ix) < 0)
		goto out;
	for (int oi = 0; oi < s->nu; oi++) {
		int u = ord[oi];
		while (rem[u] > 0) {
			double d;
			int t = best_receiver(s, p, sol, &ix, u, -1, &d);
			/* join an open station only if it still has a deficit or fits well */
			if (t >= 0 && (rules_band_under(sp_band(p), sol->st[t].lo) || d < 1.0)) {
				if (member_add(s, &sol->st[t], u) < 0)
					goto out;
				rem[u]--;
				continue;
			}
			int bj = -1, bn = 0, free_seen = 0;
			long bh = -1;
			double bw = 0;
			/* the 32 nearest free sites (a site holds one station) */
			for (size_t q = s->us[u]; q < s->us[u + 1] && free_seen < 32; q++) {
				int j = s->usite[q];
				if (s->fixed[j] || ix.head[j] >= 0)
					continue;
				free_seen++;
				long hi;
				int n = greedy_fill(s, p, rem, j, u, buf, &hi);
				double wd = 0;
				for (int i = 0; i < n; i++)
					wd += sp_part(s, buf[i]) * sp_dist(s, j, buf[i]);
				if (hi > bh || (hi == bh && wd < bw)) {
					bj = j;
					bh = hi;
					bw = wd;
					bn = n;
					memcpy(best, buf, (size_t)n * sizeof(int));
				}
			}
			if (bj < 0) { /* no free site reaches u: share the nearest (the
				       * model then finds a plan without, or none exists) */
				bj = s->usite[s->us[u]];
				best[0] = u;
				bn = 1;
			}
			if (sp_sol_add(sol, bj, best, bn, s) < 0 || index_push(sol, &ix) < 0)
				goto out;
			for (int i = 0; i < bn; i++)
				rem[best[i]]--;
		}
	}
	rc = 0;
out:
	index_free(&ix);
	free(rem);
	free(buf);
	free(best);
	free(ord);
	return rc;
}

/* Empty station i of sol into the others (ix: sol's site index, which
 * moves of members leave valid). Returns 1 if that lowers the cost (sol then
 * holds it, station i empty), 0 if not (sol as it was), -1 on ENOMEM. */
static int try_drop(const sp_sub *s, const sp_params *p, sp_sol *sol, const site_index *ix,
                    journal *jl, int i)
{
	if (journal_touch(jl, sol, i) < 0)
		return -1;
	sp_station *src = &sol->st[i];
	while (src->n > 0) {
		int u = src->u[src->n - 1];
		double d;
		int t = best_receiver(s, p, sol, ix, u, i, &d);
		if (t < 0) {
			/* ejection: a receiver reaching u makes room by passing a unit on */
			int done = 0;
			for (size_t q = s->us[u]; q < s->us[u + 1] && !done; q++) {
				for (int t2 = ix->head[s->usite[q]]; t2 >= 0 && !done;
				     t2 = ix->nxt[t2]) {
					sp_station *rt = &sol->st[t2];
					if (t2 == i || has_member(rt, u))
						continue;
					for (int m = 0; m < rt->n && !done; m++) {
						int w = rt->u[m];
						if (rules_band_over(sp_band(p),
						                    rt->hi - s->phi[w] + s->phi[u]))
							continue;
						double d2;
						int r = best_receiver(s, p, sol, ix, w, t2, &d2);
						if (r < 0 || r == i)
							continue;
						if (journal_touch(jl, sol, t2) < 0 ||
						    journal_touch(jl, sol, r) < 0)
							return -1;
						member_remove(s, rt, w);
						if (member_add(s, &sol->st[r], w) < 0 ||
						    member_add(s, rt, u) < 0)
							return -1;
						member_remove(s, src, u);
						done = 1;
					}
				}
			}
			if (!done) {
				journal_undo(jl, sol);
				return 0;
			}
			continue;
		}
		if (journal_touch(jl, sol, t) < 0 || member_add(s, &sol->st[t], u) < 0)
			return -1;
		member_remove(s, src, u);
	}
	return journal_settle(jl, s, p, sol);
}

/* Reassign pass: move single units where that lowers the cost. Returns the
 * number of moves, -1 on ENOMEM. */
static int reassign_pass(const sp_sub *s, const sp_params *p, sp_sol *sol, double t_end)
{
	site_index ix = {0};
	int moves = 0;
	if (index_build(s, sol, &ix) < 0)
		return -1;
	for (int i = 0; i < sol->n && clock_now_s() < t_end; i++) {
		sp_station *st = &sol->st[i];
		for (int m = 0; m < st->n; m++) {
			int u = st->u[m];
			double d;
			int t = best_receiver(s, p, sol, &ix, u, i, &d);
			if (t < 0)
				continue;
			double gain = sp_station_cost(s, p, st) - cost_with(s, p, st, u, -1);
			if (d < gain - 1e-9) {
				if (member_add(s, &sol->st[t], u) < 0) {
					index_free(&ix);
					return -1;
				}
				member_remove(s, st, u);
				moves++;
				m--;
			}
		}
	}
	index_free(&ix);
	sol_compact(sol, s);
	return moves;
}

/* Move each station to the least-cost free site reaching its units. Returns
 * the number of moves, -1 on ENOMEM. */
static int resite_pass(const sp_sub *s, const sp_params *p, sp_sol *sol, double t_end)
{
	unsigned char *busy = calloc((size_t)(s->ns ? s->ns : 1), 1); /* stations, saturating */
	if (!busy)
		return -1;
	for (int i = 0; i < sol->n; i++)
		busy[sol->st[i].site] += busy[sol->st[i].site] < 255;
	int moves = 0;
	for (int i = 0; i < sol->n && ((i & 63) || clock_now_s() < t_end); i++) {
		sp_station *st = &sol->st[i];
		if (s->fixed[st->site])
			continue;
		busy[st->site]--;
		int j = sp_best_site(s, p, st->u, st->n, st->site, busy);
		if (j >= 0 && j != st->site) {
			st->site = j;
			sp_station_refresh(s, st);
			moves++;
		}
		busy[st->site]++;
	}
	free(busy);
	return moves;
}

/* Station t (below the band at a site that is not isolated) takes a unit v
 * from another station r; if r falls below the band in turn, r does the same,
 * down to `depth` links. Every station stays under households_max. Returns 1
 * when the chain ends in a station that can spare the unit, 0 (moves undone)
 * otherwise, -1 on ENOMEM. */
static int fill_chain(const sp_sub *s, const sp_params *p, sp_sol *sol, const site_index *ix,
                      journal *jl, int t, int depth, unsigned char *busy)
{
	sp_station *st = &sol->st[t];
	int tries = 0;
	busy[t] = 1;
	for (size_t q = s->ss[st->site]; q < s->ss[st->site + 1] && tries < 40; q++) {
		int v = s->sunit[q];
		if (has_member(st, v) || rules_band_over(sp_band(p), st->hi + s->phi[v]))
			continue;
		for (size_t e = s->us[v]; e < s->us[v + 1]; e++) {
			for (int r = ix->head[s->usite[e]]; r >= 0; r = ix->nxt[r]) {
				sp_station *rs = &sol->st[r];
				if (busy[r] || !has_member(rs, v))
					continue;
				tries++;
				if (journal_touch(jl, sol, t) < 0 ||
				    journal_touch(jl, sol, r) < 0 || member_add(s, st, v) < 0)
					return -1;
				member_remove(s, rs, v);
				int closes = rs->n == 0 && !s->fixed[rs->site];
				if (closes || !rules_band_under(sp_band(p), rs->lo) ||
				    sp_isolated(s, p, rs->site)) {
					busy[t] = 0;
					return 1;
				}
				if (depth > 0) {
					int rc = fill_chain(s, p, sol, ix, jl, r, depth - 1, busy);
					if (rc != 0) {
						busy[t] = 0;
						return rc;
					}
				}
				member_remove(s, st, v);
				if (member_add(s, rs, v) < 0)
					return -1;
			}
		}
	}
	busy[t] = 0;
	return 0;
}

/* Bring avoidably underfilled stations into the band by ejection chains.
 * Returns the number repaired, -1 on ENOMEM. */
static int repair_pass(const sp_sub *s, const sp_params *p, sp_sol *sol, double t_end)
{
	int fixed = 0, rc = 0;
	site_index ix = {0};
	journal jl = {0};
	unsigned char *busy = calloc((size_t)(sol->n ? sol->n : 1), 1);
	if (!busy || index_build(s, sol, &ix) < 0)
		goto fail;
	for (int i = 0; i < sol->n && clock_now_s() < t_end; i++) {
		if (!rules_band_under(sp_band(p), sol->st[i].lo) ||
		    sp_isolated(s, p, sol->st[i].site))
			continue;
		/* fill_chain touches the stations it moves units between */
		rc = 0;
		while (rc >= 0 && rules_band_under(sp_band(p), sol->st[i].lo)) {
			rc = fill_chain(s, p, sol, &ix, &jl, i, 3, busy);
			if (rc <= 0)
				break;
		}
		if (rc < 0)
			goto fail;
		if (journal_settle(&jl, s, p, sol)) {
			sol_compact(sol, s);
			if (index_build(s, sol, &ix) < 0)
				goto fail;
			fixed++;
			i = -1; /* indices moved: start over */
		}
	}
	index_free(&ix);
	journal_free(&jl);
	free(busy);
	return fixed;
fail:
	journal_undo(&jl, sol);
	index_free(&ix);
	journal_free(&jl);
	free(busy);
	return -1;
}

static int cmp_small_first(const void *a, const void *b)
{
	const sp_station *x = a, *y = b;
	if (x->hi != y->hi)
		return (x->hi > y->hi) - (x->hi < y->hi);
	if (x->site != y->site)
		return (x->site > y->site) - (x->site < y->site);
	return (x->n > 0 ? x->u[0] : -1) - (y->n > 0 ? y->u[0] : -1);
}

int heur_solve(const sp_sub *s, const sp_params *p, double seconds, sp_sol *out)
{
	memset(out, 0, sizeof(*out));
	return heur_improve(s, p, seconds, out);
}

int heur_improve(const sp_sub *s, const sp_params *p, double seconds, sp_sol *out)
{
	double t_end = clock_now_s() + seconds;
	site_index ix = {0};
	journal jl = {0};
	if (construct(s, p, out) < 0)
		goto fail;
	for (int round = 0; round < 50; round++) {
		double before = sp_sol_cost(s, p, out);
		if (resite_pass(s, p, out, t_end) < 0 || reassign_pass(s, p, out, t_end) < 0 ||
		    repair_pass(s, p, out, t_end) < 0)
			goto fail;
		/* drop, smallest stations first */
		qsort(out->st, (size_t)out->n, sizeof(sp_station), cmp_small_first);
		if (index_build(s, out, &ix) < 0)
			goto fail;
		for (int i = 0; i < out->n && clock_now_s() < t_end; i++) {
			if (s->fixed[out->st[i].site])
				continue;
			int r = try_drop(s, p, out, &ix, &jl, i);
			if (r < 0)
				goto fail;
			if (r == 1) {
				sol_compact(out, s);
				if (index_build(s, out, &ix) < 0)
					goto fail;
				i--;
			}
		}
		if (resite_pass(s, p, out, t_end) < 0)
			goto fail;
		if (sp_sol_cost(s, p, out) > before - 1e-9 || clock_now_s() >= t_end)
			break;
	}
	index_free(&ix);
	journal_free(&jl);
	sp_sol_sort(out);
	return 0;
fail:
	index_free(&ix);
	journal_free(&jl);
	sp_sol_free(out);
	return -1;
}
