/*
 * assemble.c: the plan tables (include/plan.h) from the solved sub-problems,
 * plus what the rules fix without search: one station per village, existing
 * stations nothing is left to serve, and the units no site can reach.
 *
 * Households of a unit split over k stations are divided as evenly as
 * integers allow (the first h mod k stations in station order get one more).
 * Stations are sorted by site index (then sub-problem, then first unit), so
 * station ids are the same on every run; assignments by unit, then station.
 * Units with no households are neither served nor uncovered.
 */
#define _GNU_SOURCE /* qsort_r */
#include "solver_int.h"
#include "grow.h"
#include "rules.h"
#include "names.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	char *s = malloc((size_t)n + 1);
	if (!s)
		return NULL;
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

typedef struct builder {
	plan *p;
	size_t scap, acap;
	int *first; /* first unit of each station, for ordering */
} builder;

static plan_station *add_station(builder *b, int site, station_kind kind, int sub, int first)
{
	plan *p = b->p;
	if (p->nstations == b->scap) {
		size_t cap = grow_cap(b->scap, p->nstations + 1);
		if (grow_to(&p->stations, cap, sizeof(*p->stations)) ||
		    grow_to(&b->first, cap, sizeof(int)))
			return NULL;
		b->scap = cap;
	}
	plan_station *s = &p->stations[p->nstations];
	memset(s, 0, sizeof(*s));
	s->site = site;
	s->kind = kind;
	s->sub = sub;
	b->first[p->nstations] = first;
	p->nstations++;
	return s;
}

static int add_assign(builder *b, int unit, size_t station, long h, double d)
{
	plan *p = b->p;
	if (grow_reserve(&p->assign, &b->acap, p->nassign + 1, sizeof(*p->assign)) != 0)
		return -1;
	p->assign[p->nassign++] = (plan_assign){unit, (int)station, h, d};
	p->stations[station].households += h;
	p->stations[station].nunits++;
	return 0;
}

static int add_uncovered(plan *p, size_t *cap, int unit, int site, double d, char *reason)
{
	if (!reason)
		return -1;
	if (grow_reserve(&p->uncovered, cap, p->nuncovered + 1, sizeof(*p->uncovered)) != 0) {
		free(reason);
		return -1;
	}
	p->uncovered[p->nuncovered++] = (plan_uncovered){unit, site, d, reason};
	return 0;
}

static int urban_stations(const sp_world *w, sp_job *jobs, size_t njobs, builder *b,
                          unsigned char *used, int *occ)
{
	for (size_t i = 0; i < njobs; i++) {
		const sp_sub *s = &jobs[i].sub;
		const sp_sol *sol = &jobs[i].res.sol;
		for (int t = 0; t < sol->n; t++) {
			const sp_station *st = &sol->st[t];
			int site = s->site[st->site];
			size_t idx = b->p->nstations;
			if (!add_station(b, site,
			                 s->fixed[st->site] ? STATION_EXISTING : STATION_URBAN,
			                 (int)i, st->n ? s->unit[st->u[0]] : -1))
				return -1;
			used[site] = 1;
			for (int m = 0; m < st->n; m++) {
				int u = st->u[m], g = s->unit[u];
				long share = st->sh
				                 ? st->sh[m]
				                 : s->h[u] / s->k[u] + (occ[g] < s->h[u] % s->k[u]);
				occ[g]++;
				if (add_assign(b, g, idx, share, sp_dist(s, st->site, u)) < 0)
					return -1;
			}
			plan_station *ps = &b->p->stations[idx];
			rules_band band = sp_band(&w->p);
			if (rules_band_under(band, ps->households)) {
				ps->underfilled = 1;
				if (rules_site_isolated(band, w->sreach[site]))
					ps->reason = fmt("only %ld households within %.0f m",
					                 w->sreach[site], w->p.walk_m);
				else
					ps->reason =
					    fmt("no in-band grouping of the units within %.0f m "
					        "is left for this station",
					        w->p.walk_m);
			} else {
				ps->reason = fmt("%s", "");
			}
			if (!ps->reason)
				return -1;
		}
	}
	return 0;
}

long assemble_village_pair(const sp_world *w, size_t v)
{
	const reach *r = w->r;
	long best = -1;
	for (size_t q = r->start[v]; q < r->start[v + 1]; q++) {
		const site *s = &w->sites->sites[r->site[q]];
		if (s->unit != (int)v)
			continue;
		if (s->source == SITE_EXISTING &&
		    (best < 0 || w->sites->sites[r->site[best]].source != SITE_EXISTING ||
		     r->site[q] < r->site[best]))
			best = (long)q;
		else if (best < 0)
			best = (long)q;
	}
	return best;
}

static int village_stations(const sp_world *w, builder *b, unsigned char *used,
                            unsigned char *served)
{
	const inputs *in = w->in;
	const reach *r = w->r;
	for (size_t v = 0; v < in->nunits; v++) {
		if (!rules_unit_is_village(w->sc, in->units[v].kind) ||
		    in->units[v].households <= 0 || w->urban[v] || (w->left_out && w->left_out[v]))
			continue;
		long best = assemble_village_pair(w, v);
		if (best < 0)
			continue;
		int site = r->site[best];
		size_t idx = b->p->nstations;
		plan_station *ps =
		    add_station(b, site,
		                w->sites->sites[site].source == SITE_EXISTING ? STATION_EXISTING
		                                                              : STATION_VILLAGE,
		                -1, (int)v);
		if (!ps || !(ps->reason = fmt("%s", "")))
			return -1;
		used[site] = 1;
		served[v] = 1;
		if (add_assign(b, (int)v, idx, in->units[v].households, r->dist[best]) < 0)
			return -1;
	}
	return 0;
}

static int lone_existing(const sp_world *w, builder *b, const unsigned char *used)
{
	for (size_t j = 0; j < w->sites->n; j++) {
		const site *s = &w->sites->sites[j];
		if (s->source != SITE_EXISTING || used[j])
			continue;
		plan_station *ps = add_station(b, (int)j, STATION_EXISTING, -1, -1);
		if (!ps)
			return -1;
		ps->underfilled = 1;
		if (!w->allowed[j])
			ps->reason = fmt("existing station inside village '%s', which another "
			                 "station serves",
			                 w->in->units[s->unit].name);
		else
			ps->reason = fmt("no unit to serve within %.0f m", w->p.walk_m);
		if (!ps->reason)
			return -1;
	}
	return 0;
}

static int uncovered_units(const sp_world *w, const unsigned char *served, plan *p)
{
	const inputs *in = w->in;
	const reach *r = w->r;
	size_t cap = 0;
	for (size_t u = 0; u < in->nunits; u++) {
		if (in->units[u].households <= 0 || w->urban[u] || served[u] ||
		    (w->left_out && w->left_out[u]))
			continue;
		int rc;
		if (r->start[u] == r->start[u + 1]) {
			if (r->why && r->why[u]) /* the streets say why (reach_net.c) */
				rc = add_uncovered(p, &cap, (int)u, r->nearest[u],
				                   r->nearest_dist[u], fmt("%s", r->why[u]));
			else if (r->nearest[u] < 0)
				rc = add_uncovered(p, &cap, (int)u, -1, -1,
				                   fmt("no candidate site at all"));
			else
				rc = add_uncovered(
				    p, &cap, (int)u, r->nearest[u], r->nearest_dist[u],
				    fmt("no candidate site within %.0f m (nearest %.0f m)",
				        w->p.walk_m, r->nearest_dist[u]));
		} else if (rules_unit_is_village(w->sc, in->units[u].kind)) {
			rc = add_uncovered(p, &cap, (int)u, r->site[r->start[u]],
			                   r->dist[r->start[u]],
			                   fmt("no candidate site inside the village"));
		} else {
			rc = add_uncovered(
			    p, &cap, (int)u, r->site[r->start[u]], r->dist[r->start[u]],
			    fmt("only sites inside villages within %.0f m", w->p.walk_m));
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

typedef struct sort_ctx {
	const plan_station *st;
	const int *first;
} sort_ctx;

static int cmp_station_idx(const void *a, const void *b, void *arg)
{
	const sort_ctx *c = arg;
	int x = *(const int *)a, y = *(const int *)b;
	const plan_station *s = &c->st[x], *t = &c->st[y];
	if (s->site != t->site)
		return (s->site > t->site) - (s->site < t->site);
	if (s->sub != t->sub)
		return (s->sub > t->sub) - (s->sub < t->sub);
	if (c->first[x] != c->first[y])
		return (c->first[x] > c->first[y]) - (c->first[x] < c->first[y]);
	return (x > y) - (x < y);
}

int assemble_assign_cmp(const void *a, const void *b)
{
	const plan_assign *x = a, *y = b;
	if (x->unit != y->unit)
		return (x->unit > y->unit) - (x->unit < y->unit);
	return (x->station > y->station) - (x->station < y->station);
}

int assemble_uncovered_cmp(const void *a, const void *b)
{
	const plan_uncovered *x = a, *y = b;
	return (x->unit > y->unit) - (x->unit < y->unit);
}

static int sort_plan(builder *b)
{
	plan *p = b->p;
	size_t n = p->nstations;
	int *perm = malloc((n ? n : 1) * sizeof(int));
	int *inv = malloc((n ? n : 1) * sizeof(int));
	plan_station *sorted = malloc((n ? n : 1) * sizeof(plan_station));
	if (!perm || !inv || !sorted) {
		free(perm);
		free(inv);
		free(sorted);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		perm[i] = (int)i;
	sort_ctx ctx = {p->stations, b->first};
	qsort_r(perm, n, sizeof(int), cmp_station_idx, &ctx);
	for (size_t i = 0; i < n; i++) {
		sorted[i] = p->stations[perm[i]];
		inv[perm[i]] = (int)i;
	}
	free(p->stations);
	p->stations = sorted;
	for (size_t a = 0; a < p->nassign; a++)
		p->assign[a].station = inv[p->assign[a].station];
	if (p->nassign > 1)
		qsort(p->assign, p->nassign, sizeof(plan_assign), assemble_assign_cmp);
	free(perm);
	free(inv);
	return 0;
}

int assemble_plan(const sp_world *w, sp_job *jobs, size_t njobs, plan *out)
{
	int rc = -1;
	builder b = {.p = out};
	unsigned char *used = calloc(w->sites->n ? w->sites->n : 1, 1);
	unsigned char *served = calloc(w->in->nunits ? w->in->nunits : 1, 1);
	int *occ = calloc(w->in->nunits ? w->in->nunits : 1, sizeof(int));
	if (!used || !served || !occ)
		goto out;
	if (urban_stations(w, jobs, njobs, &b, used, occ) < 0 ||
	    village_stations(w, &b, used, served) < 0 || lone_existing(w, &b, used) < 0 ||
	    uncovered_units(w, served, out) < 0 || sort_plan(&b) < 0)
		goto out;
	rc = 0;
out:
	free(b.first);
	free(used);
	free(served);
	free(occ);
	return rc;
}

void plan_free(plan *p)
{
	for (size_t s = 0; s < p->nstations; s++)
		free(p->stations[s].reason);
	for (size_t u = 0; u < p->nuncovered; u++)
		free(p->uncovered[u].reason);
	GROW_FREE(p->stations, p->assign, p->uncovered, p->subs);
	for (size_t d = 0; d < p->nphase_districts; d++)
		free(p->phase_districts[d].district);
	GROW_FREE(p->phases, p->phase_districts);
	memset(p, 0, sizeof(*p));
}

const char *station_kind_name(station_kind k)
{
	static const char *const names[] = {
	    [STATION_URBAN] = "urban",
	    [STATION_VILLAGE] = "village",
	    [STATION_EXISTING] = "existing",
	};
	return NAMES_GET(names, k);
}
