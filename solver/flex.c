/*
 * flex.c: flexible splitting of units over the maximum.
 *
 * The rules (PRODUCT.md, issue 11) let a unit over households_max be served
 * by several stations with any integer shares, each station within the
 * band, a share grouped with other units. The model (model.c) works with
 * equal parts, which is one choice of shares; this step starts from that
 * plan and drops stations the others can absorb by choosing the shares:
 *
 *   drop D: every whole unit of D goes to another station reaching it, one
 *           with room, or one that makes room by handing part of a split
 *           unit's share to that unit's other stations; every share of a
 *           split unit in D goes to that unit's other stations and then to
 *           any station reaching it, up to the maximum each.
 *
 * Loads only grow (a station making room gets more than it hands on), so no
 * station falls below the band; the move is kept when the plan's cost
 * (sub.c) falls. Deterministic: stations tried smallest first, receivers in
 * station order. Example (the issue's): 12,000 next to 1,500 is 4,000 x 3
 * + 1,500 underfilled with equal parts; dropping the 1,500's station makes
 * room in one 4,000 by moving 500 to each of the others: 4,500 / 4,500 /
 * 3,000 + 1,500.
 *
 * The bound of a sub-problem with split units comes from column generation
 * over flexible shares (colgen.c), never from the equal-parts model.
 */
#define _GNU_SOURCE /* qsort_r */
#include "solver_int.h"
#include "grow.h"
#include "clock.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

/* Index of member u in st, -1 if absent. */
static int member_at(const sp_station *st, int u)
{
	for (int i = 0; i < st->n; i++)
		if (st->u[i] == u)
			return i;
	return -1;
}

/* Add `share` households of u to st (a new member kept in order). -1 on
 * ENOMEM. */
static int share_put(sp_station *st, int u, long share)
{
	int i = member_at(st, u);
	if (i >= 0) {
		st->sh[i] += share;
		st->lo += share;
		st->hi += share;
		return 0;
	}
	if (grow_to(&st->u, (size_t)st->n + 1, sizeof(int)) ||
	    grow_to(&st->sh, (size_t)st->n + 1, sizeof(long)))
		return -1;
	i = st->n;
	while (i > 0 && st->u[i - 1] > u) {
		st->u[i] = st->u[i - 1];
		st->sh[i] = st->sh[i - 1];
		i--;
	}
	st->u[i] = u;
	st->sh[i] = share;
	st->n++;
	st->lo += share;
	st->hi += share;
	return 0;
}

/* Take `share` households of member i from st (the member leaves at 0). */
static void share_take(sp_station *st, int i, long share)
{
	assert(share <= st->sh[i]);
	st->sh[i] -= share;
	st->lo -= share;
	st->hi -= share;
	if (st->sh[i] > 0)
		return;
	memmove(st->u + i, st->u + i + 1, (size_t)(st->n - i - 1) * sizeof(int));
	memmove(st->sh + i, st->sh + i + 1, (size_t)(st->n - i - 1) * sizeof(long));
	st->n--;
}

/* Explicit shares for every station that has none yet: whole units, equal
 * parts of split ones in station order (as assemble.c divides them). -1 on
 * ENOMEM. */
static int shares_make(const sp_sub *s, sp_sol *sol)
{
	int *occ = calloc((size_t)s->nu + 1, sizeof(int));
	if (!occ)
		return -1;
	for (int t = 0; t < sol->n; t++) {
		sp_station *st = &sol->st[t];
		if (st->sh) /* chosen before */
			continue;
		st->sh = malloc((size_t)(st->n > 0 ? st->n : 1) * sizeof(long));
		if (!st->sh) {
			free(occ);
			return -1;
		}
		for (int m = 0; m < st->n; m++) {
			int u = st->u[m];
			st->sh[m] = s->h[u] / s->k[u] + (occ[u] < s->h[u] % s->k[u]);
			occ[u]++;
		}
		sp_station_refresh(s, st);
	}
	free(occ);
	return 0;
}

/* 1 when another station of `sol` stands on the site of station t (stacked
 * parts of a unit short of sites): such a station takes nothing more. */
static int stacked(const sp_sol *sol, int t)
{
	for (int i = 0; i < sol->n; i++)
		if (i != t && sol->st[i].site == sol->st[t].site)
			return 1;
	return 0;
}

/* Spread `left` households of split unit u over stations other than d and
 * `keep` (-1: none): first those already serving u, then any reaching it,
 * each up to the maximum. Returns what is left, -1 on ENOMEM. */
static long spread(const sp_sub *s, const sp_params *p, sp_sol *sol, int d, int keep, int u,
                   long left)
{
	for (int pass = 0; pass < 2 && left > 0; pass++)
		for (int t = 0; t < sol->n && left > 0; t++) {
			sp_station *r = &sol->st[t];
			if (t == d || t == keep || rules_band_room(sp_band(p), r->hi) <= 0 ||
			    stacked(sol, t))
				continue;
			int has = member_at(r, u) >= 0;
			if ((pass == 0) != has || (!has && sp_dist(s, r->site, u) < 0))
				continue;
			long room = rules_band_room(sp_band(p), r->hi);
			long a = room < left ? room : left;
			if (share_put(r, u, a) < 0)
				return -1;
			left -= a;
		}
	return left;
}

/* Station t takes whole unit u (h households), making room if needed by
 * handing shares of its split members to their other stations (not d).
 * Returns 1 done, 0 not possible (nothing changed... shares moved stay
 * moved only when it succeeds), -1 on ENOMEM. */
static int take_whole(const sp_sub *s, const sp_params *p, sp_sol *sol, int d, int t, int u)
{
	sp_station *r = &sol->st[t];
	long need = -rules_band_room(sp_band(p), r->hi + s->h[u]);
	if (need > 0) { /* how much the split members could hand on */
		long can = 0;
		for (int i = 0; i < r->n && can < need; i++)
			if (s->k[r->u[i]] > 1)
				can += r->sh[i] - 1;
		if (can < need)
			return 0;
		sp_sol trial;
		if (sp_sol_copy(&trial, sol) < 0)
			return -1;
		sp_station *rt = &trial.st[t];
		for (int i = 0; i < rt->n && need > 0; i++) {
			int v = rt->u[i];
			if (s->k[v] <= 1)
				continue;
			long a = rt->sh[i] - 1 < need ? rt->sh[i] - 1 : need;
			long left = spread(s, p, &trial, d, t, v, a);
			if (left < 0) {
				sp_sol_free(&trial);
				return -1;
			}
			share_take(rt, i, a - left);
			need -= a - left;
		}
		if (need > 0) {
			sp_sol_free(&trial);
			return 0;
		}
		sp_sol_free(sol);
		*sol = trial;
		r = &sol->st[t];
	}
	return share_put(r, u, s->h[u]) < 0 ? -1 : 1;
}

/* Empty station d into the others (see the top). 1 done, 0 not possible,
 * -1 on ENOMEM; on 0 `sol` may be partly moved: the caller works on a copy. */
static int drop(const sp_sub *s, const sp_params *p, sp_sol *sol, int d)
{
	while (sol->st[d].n > 0) {
		sp_station *D = &sol->st[d];
		int m = D->n - 1, u = D->u[m];
		long share = D->sh[m];
		if (s->k[u] > 1) {
			long left = spread(s, p, sol, d, -1, u, share);
			if (left < 0)
				return -1;
			if (left > 0)
				return 0;
			share_take(&sol->st[d], m, share);
			continue;
		}
		int done = 0;
		for (int t = 0; t < sol->n && !done; t++) {
			sp_station *r = &sol->st[t];
			if (t == d || member_at(r, u) >= 0 || sp_dist(s, r->site, u) < 0 ||
			    stacked(sol, t))
				continue;
			int rc = take_whole(s, p, sol, d, t, u);
			if (rc < 0)
				return -1;
			done = rc;
		}
		if (!done)
			return 0;
		share_take(&sol->st[d], m, share);
	}
	return 1;
}

static int cmp_load(const void *a, const void *b, void *arg)
{
	const sp_sol *sol = arg;
	int x = *(const int *)a, y = *(const int *)b;
	if (sol->st[x].hi != sol->st[y].hi)
		return sol->st[x].hi < sol->st[y].hi ? -1 : 1;
	return (x > y) - (x < y);
}

int flex_improve(const sp_sub *s, const sp_params *p, sp_sol *sol, double t_end)
{
	int split = 0;
	for (int u = 0; u < s->nu; u++)
		split |= s->k[u] > 1;
	if (!split || sol->n < 2)
		return 0;
	sp_sol cur;
	int *ord = malloc((size_t)sol->n * sizeof(int));
	if (!ord || sp_sol_copy(&cur, sol) < 0) {
		free(ord);
		return -1;
	}
	if (shares_make(s, &cur) < 0)
		goto nomem;
	int dropped = 0;
	for (int improved = 1; improved && clock_now_s() < t_end;) {
		improved = 0;
		for (int i = 0; i < cur.n; i++)
			ord[i] = i;
		qsort_r(ord, (size_t)cur.n, sizeof(int), cmp_load, &cur);
		for (int k = 0; k < cur.n && !improved && clock_now_s() < t_end; k++) {
			int d = ord[k];
			if (s->fixed[cur.st[d].site])
				continue;
			sp_sol trial;
			if (sp_sol_copy(&trial, &cur) < 0)
				goto nomem;
			int rc = drop(s, p, &trial, d);
			if (rc < 0) {
				sp_sol_free(&trial);
				goto nomem;
			}
			if (rc == 1) { /* d is empty: remove it, weigh the cost */
				free(trial.st[d].u);
				free(trial.st[d].sh);
				memmove(trial.st + d, trial.st + d + 1,
				        (size_t)(trial.n - d - 1) * sizeof(sp_station));
				trial.n--;
				for (int t = 0; t < trial.n; t++)
					sp_station_refresh(s, &trial.st[t]);
			}
			if (rc == 1 && sp_sol_cost(s, p, &trial) < sp_sol_cost(s, p, &cur) - 1e-9) {
				sp_sol_free(&cur);
				cur = trial;
				improved = 1;
				dropped++;
			} else {
				sp_sol_free(&trial);
			}
		}
	}
	free(ord);
	if (dropped > 0) {
		sp_sol_sort(&cur);
		sp_sol_free(sol);
		*sol = cur;
	} else {
		sp_sol_free(&cur);
	}
	return dropped;
nomem:
	free(ord);
	sp_sol_free(&cur);
	return -1;
}
