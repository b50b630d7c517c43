/*
 * verify.c: verify_plan(), an independent check of a plan against the rules.
 *
 * Written against include/plan.h and the raw input tables only: it shares no
 * code path with the solver (no sub-problems, no columns, no cost function),
 * so a solver bug cannot hide itself. It keeps its own copy of every rule
 * (include/rules.h) on purpose: a wrong rule there cannot hide from it. Checks:
 *   - every assignment is a (unit, site) pair in reach, at its reach distance;
 *   - every unit with households is either served in full (shares add up to
 *     its households) or listed as uncovered, never both, and uncovered only
 *     when no usable site reaches it;
 *   - a unit stays whole unless it is larger than households_max, and then is
 *     spread over at least ceil(h / max) stations, at most once per station,
 *     in equal parts (at most one household apart) under rules.split =
 *     equal, in any integer shares of at least one household under flexible;
 *   - station households and unit counts match their assignments;
 *   - urban stations hold at most households_max, and at least
 *     households_min unless flagged underfilled; a flag is set only on a
 *     station actually below the minimum;
 *   - with rural = one_per_village, each village has exactly one station,
 *     inside it, serving nothing else;
 *   - with rural = one_per_admin_village, a village is served whole by a
 *     station inside a village of its administrative village; with rural =
 *     shared, whole, within rural_walk_distance_m (or from inside it), and a
 *     shared station holds at most rural_households_max;
 *   - every existing station is in the plan exactly once, with kind existing;
 *   - under a budget (rules.max_stations, rules.stations, [phases]) a unit a
 *     usable site reaches may be uncovered, and the stations beyond the
 *     existing ones are at most max_stations, exactly stations, or the
 *     stations at most the last phase's budget;
 *   - no two stations stand on one site (a station is one facility at one
 *     place: two at a point would be one station over the band, and a split
 *     unit's k stations must be k places), except stations each serving a
 *     part of a split unit alone (the solver stacks those only when no plan
 *     with one station per site exists).
 */
#include "verify.h"
#include "plan.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct vctx {
	int count;
	char *msg;
	size_t msgsize;
} vctx;

static void violation(vctx *v, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void violation(vctx *v, const char *f, ...)
{
	if (v->count++ == 0 && v->msg && v->msgsize) {
		va_list ap;
		va_start(ap, f);
		vsnprintf(v->msg, v->msgsize, f, ap);
		va_end(ap);
	}
}

/* Reach distance of (unit, site), or -1 when not a pair. */
static double pair_dist(const reach *r, int unit, int site)
{
	for (size_t q = r->start[unit]; q < r->start[unit + 1]; q++)
		if (r->site[q] == site)
			return r->dist[q];
	return -1;
}

static int in_village(const inputs *in, const site_table *sites, int site, const scenario *sc)
{
	int u = sites->sites[site].unit;
	return sc->rural == RURAL_ONE_PER_VILLAGE && u >= 0 && (size_t)u < in->nunits &&
	       in->units[u].kind == UNIT_RURAL;
}

static int is_village(const inputs *in, const scenario *sc, size_t u)
{
	return sc->rural == RURAL_ONE_PER_VILLAGE && in->units[u].kind == UNIT_RURAL;
}

/* rural = one_per_admin_village / shared: the villages planned apart
 * (this file's own copy of the rules of solver/rural.c). */
static int rural_apart(const scenario *sc, const unit *u)
{
	return u->kind == UNIT_RURAL &&
	       (sc->rural == RURAL_ONE_PER_ADMIN_VILLAGE || sc->rural == RURAL_SHARED);
}

static const char *admin_code(const unit *u)
{
	return u->admin_village && u->admin_village[0] ? u->admin_village : u->id;
}

/* A planned-apart village served from `site`: inside a village of its
 * administrative village, or (shared) within rural_walk_distance_m. */
static void check_rural_assign(const inputs *in, const site_table *sites, const reach *r,
                               const scenario *sc, const plan_assign *as, int at, vctx *v)
{
	const unit *un = &in->units[as->unit];
	const site *s = &sites->sites[at];
	double d = hypot(s->x - r->ux[as->unit], s->y - r->uy[as->unit]);
	int su = s->unit;
	if (sc->rural == RURAL_ONE_PER_ADMIN_VILLAGE &&
	    !(su >= 0 && (size_t)su < in->nunits && rural_apart(sc, &in->units[su]) &&
	      !strcmp(admin_code(&in->units[su]), admin_code(un))))
		violation(v, "village '%s' is served outside its administrative village '%s'",
		          un->id, admin_code(un));
	if (sc->rural == RURAL_SHARED && su != as->unit && d > sc->rural_walk_distance_m + 1e-6)
		violation(v, "village '%s' is served %.0f m away > rural_walk_distance_m", un->id,
		          d);
	if (fabs(d - as->distance_m) > 1e-6)
		violation(v, "village '%s': distance %.3f m, straight line %.3f m", un->id,
		          as->distance_m, d);
}

static void check_assignments(const inputs *in, const site_table *sites, const reach *r,
                              const scenario *sc, const plan *p, vctx *v, long *hs, int *ns,
                              long *served, int *nstu)
{
	for (size_t a = 0; a < p->nassign; a++) {
		const plan_assign *as = &p->assign[a];
		if (as->unit < 0 || (size_t)as->unit >= in->nunits || as->station < 0 ||
		    (size_t)as->station >= p->nstations) {
			violation(v, "assignment %zu: unit %d or station %d out of range", a,
			          as->unit, as->station);
			continue;
		}
		const unit *un = &in->units[as->unit];
		int site = p->stations[as->station].site;
		if (rural_apart(sc, un)) {
			check_rural_assign(in, sites, r, sc, as, site, v);
			hs[as->station] += as->households;
			ns[as->station]++;
			served[as->unit] += as->households;
			nstu[as->unit]++;
			continue;
		}
		double d = pair_dist(r, as->unit, site);
		int village = is_village(in, sc, (size_t)as->unit);
		/* a village reaches every site inside it, whatever the distance */
		if (d < 0 || (d > sc->walk_distance_m + 1e-6 && !village))
			violation(v, "unit '%s' is assigned to a site out of walking reach",
			          un->id);
		else if (fabs(d - as->distance_m) > 1e-6)
			violation(v, "unit '%s': distance %.3f m, reach says %.3f m", un->id,
			          as->distance_m, d);
		if (as->households <= 0)
			violation(v, "unit '%s': assignment of %ld households", un->id,
			          as->households);
		hs[as->station] += as->households;
		ns[as->station]++;
		served[as->unit] += as->households;
		nstu[as->unit]++;
		if (a > 0 && p->assign[a - 1].unit == as->unit &&
		    p->assign[a - 1].station == as->station)
			violation(v, "unit '%s' assigned twice to one station", un->id);
		if (village && !(sites->sites[site].unit == as->unit))
			violation(v, "village '%s' is served by a station outside it", un->id);
		if (!village && in_village(in, sites, site, sc))
			violation(v, "unit '%s' is served by a station inside a village", un->id);
	}
}

/* Shares of a split unit: with rules.split = equal its stations hold equal
 * parts (as integers: at most one household apart); with flexible any
 * integer shares of at least one household (the band is checked per
 * station). This module's own reading of the rule. */
static void check_shares(const inputs *in, const scenario *sc, const plan *p, vctx *v)
{
	long *lo = malloc((in->nunits ? in->nunits : 1) * sizeof(long));
	long *hi = calloc(in->nunits ? in->nunits : 1, sizeof(long));
	if (!lo || !hi) {
		free(lo);
		free(hi);
		violation(v, "out of memory");
		return;
	}
	for (size_t u = 0; u < in->nunits; u++)
		lo[u] = -1;
	for (size_t a = 0; a < p->nassign; a++) {
		const plan_assign *as = &p->assign[a];
		if (as->unit < 0 || (size_t)as->unit >= in->nunits)
			continue;
		if (as->households < 1 && in->units[as->unit].households > 0)
			violation(v, "unit '%s': a share of %ld households", in->units[as->unit].id,
			          as->households);
		if (lo[as->unit] < 0 || as->households < lo[as->unit])
			lo[as->unit] = as->households;
		if (as->households > hi[as->unit])
			hi[as->unit] = as->households;
	}
	for (size_t u = 0; u < in->nunits && sc->split == SPLIT_EQUAL; u++)
		if (lo[u] >= 0 && hi[u] - lo[u] > 1)
			violation(
			    v,
			    "unit '%s': shares %ld to %ld, not equal parts (rules.split = equal)",
			    in->units[u].id, lo[u], hi[u]);
	free(lo);
	free(hi);
}

/* The budget rules, this file's own copy. */
static int budgeted(const scenario *sc)
{
	return sc->max_stations >= 0 || sc->stations >= 0 || sc->phases.n > 0;
}

static void check_budget(const site_table *sites, const scenario *sc, const plan *p, vctx *v)
{
	long existing = 0, total = (long)p->nstations;
	for (size_t j = 0; j < sites->n; j++)
		existing += sites->sites[j].source == SITE_EXISTING;
	if (sc->max_stations >= 0 && total - existing > sc->max_stations)
		violation(v, "%ld new stations, rules.max_stations = %ld", total - existing,
		          sc->max_stations);
	if (sc->stations >= 0 && total - existing != sc->stations)
		violation(v, "%ld new stations, rules.stations = %ld", total - existing,
		          sc->stations);
	if (sc->phases.n > 0 && total > sc->phases.years[sc->phases.n - 1].budget)
		violation(v, "%ld stations, phases.%d = %ld", total,
		          sc->phases.years[sc->phases.n - 1].year,
		          sc->phases.years[sc->phases.n - 1].budget);
}

static void check_units(const inputs *in, const site_table *sites, const reach *r,
                        const scenario *sc, const plan *p, vctx *v, const long *served,
                        const int *nstu)
{
	unsigned char *unc = calloc(in->nunits ? in->nunits : 1, 1);
	if (!unc) {
		violation(v, "out of memory");
		return;
	}
	for (size_t k = 0; k < p->nuncovered; k++) {
		int u = p->uncovered[k].unit;
		if (u < 0 || (size_t)u >= in->nunits) {
			violation(v, "uncovered entry %zu: unit %d out of range", k, u);
			continue;
		}
		unc[u] = 1;
		int usable = 0;
		for (size_t q = r->start[u]; q < r->start[u + 1]; q++) {
			int site = r->site[q];
			usable |= is_village(in, sc, (size_t)u) ? sites->sites[site].unit == u
			                                        : !in_village(in, sites, site, sc);
		}
		if (usable && !budgeted(sc))
			violation(v, "unit '%s' is listed uncovered but a usable site reaches it",
			          in->units[u].id);
	}
	for (size_t u = 0; u < in->nunits; u++) {
		const unit *un = &in->units[u];
		if (un->households <= 0)
			continue;
		if (unc[u] && nstu[u])
			violation(v, "unit '%s' is both served and uncovered", un->id);
		else if (!unc[u] && served[u] != un->households)
			violation(v, "unit '%s': %ld of %ld households served", un->id, served[u],
			          un->households);
		long need = (un->households + sc->households_max - 1) / sc->households_max;
		if (rural_apart(sc, un)) {
			if (nstu[u] > 1)
				violation(v, "village '%s' has %d stations", un->id, nstu[u]);
		} else if (is_village(in, sc, u)) {
			if (nstu[u] > 1)
				violation(v, "village '%s' has %d stations", un->id, nstu[u]);
		} else if (un->households <= sc->households_max && nstu[u] > 1) {
			violation(v, "unit '%s' (%ld households) is split over %d stations", un->id,
			          un->households, nstu[u]);
		} else if (!unc[u] && nstu[u] < need) {
			violation(v, "unit '%s' (%ld households) needs %ld stations, has %d",
			          un->id, un->households, need, nstu[u]);
		}
	}
	free(unc);
	check_shares(in, sc, p, v);
}

/* Station s serves one split unit alone: its parts may share a site. */
static int stack_unit(const inputs *in, const site_table *sites, const reach *r, const scenario *sc,
                      const plan *p, const int *ns, size_t s)
{
	if (ns[s] != 1)
		return -1;
	int u = -1;
	for (size_t a = 0; a < p->nassign && u < 0; a++)
		if ((size_t)p->assign[a].station == s)
			u = p->assign[a].unit;
	if (u < 0 || (size_t)u >= in->nunits)
		return -1;
	long need = (in->units[u].households + sc->households_max - 1) / sc->households_max;
	(void)r;
	(void)sites;
	return need > 1 ? u : -1;
}

static void check_stations(const inputs *in, const site_table *sites, const reach *r,
                           const scenario *sc, const plan *p, vctx *v, const long *hs,
                           const int *ns)
{
	int *seen = calloc(sites->n ? sites->n : 1, sizeof(int));
	size_t *first = calloc(sites->n ? sites->n : 1, sizeof(size_t));
	if (!seen || !first) {
		free(seen);
		free(first);
		violation(v, "out of memory");
		return;
	}
	for (size_t s = 0; s < p->nstations; s++) {
		const plan_station *st = &p->stations[s];
		if (st->site < 0 || (size_t)st->site >= sites->n) {
			violation(v, "station %zu: site %d out of range", s, st->site);
			continue;
		}
		int existing = sites->sites[st->site].source == SITE_EXISTING;
		if (seen[st->site]++ == 0) {
			first[st->site] = s;
		} else {
			if (stack_unit(in, sites, r, sc, p, ns, s) < 0 ||
			    stack_unit(in, sites, r, sc, p, ns, first[st->site]) < 0)
				violation(v, "two stations on site %d", st->site);
		}
		if (existing) {
			if (st->kind != STATION_EXISTING)
				violation(v, "station %zu at an existing site has kind %s", s,
				          station_kind_name(st->kind));
		} else if (st->kind == STATION_EXISTING) {
			violation(v, "station %zu has kind existing at a new site", s);
		}
		if (st->households != hs[s] || st->nunits != ns[s])
			violation(
			    v, "station %zu: %ld households / %d units, assignments say %ld / %d",
			    s, st->households, st->nunits, hs[s], ns[s]);
		int su = sites->sites[st->site].unit;
		if (st->kind == STATION_VILLAGE && su >= 0 && (size_t)su < in->nunits &&
		    rural_apart(sc, &in->units[su])) {
			if (sc->rural == RURAL_SHARED && ns[s] > 1 &&
			    st->households > sc->rural_households_max)
				violation(v,
				          "shared village station %zu serves %ld households > "
				          "rural_households_max = %ld",
				          s, st->households, sc->rural_households_max);
			continue;
		}
		int village = in_village(in, sites, st->site, sc);
		if (st->kind == STATION_VILLAGE && !village)
			violation(v, "village station %zu is not inside a village", s);
		if (village) {
			if (ns[s] > 1)
				violation(v, "village station %zu serves %d units", s, ns[s]);
			continue;
		}
		if (st->households > sc->households_max)
			violation(v, "station %zu serves %ld households > households_max = %ld", s,
			          st->households, sc->households_max);
		if (st->households < sc->households_min && !st->underfilled)
			violation(v,
			          "station %zu serves %ld households < households_min = %ld "
			          "and is not flagged underfilled",
			          s, st->households, sc->households_min);
		if (st->underfilled && st->households >= sc->households_min)
			violation(v, "station %zu is flagged underfilled with %ld households", s,
			          st->households);
		if (st->underfilled && (!st->reason || !st->reason[0]))
			violation(v, "underfilled station %zu has no reason", s);
	}
	for (size_t j = 0; j < sites->n; j++)
		if (sites->sites[j].source == SITE_EXISTING && !seen[j])
			violation(v, "existing station at site %zu is missing", j);
	free(seen);
	free(first);
}

int verify_plan(const inputs *in, const site_table *sites, const reach *r, const scenario *sc,
                const plan *p, char *msg, size_t msgsize)
{
	vctx v = {0, msg, msgsize};
	if (msg && msgsize)
		msg[0] = '\0';
	long *hs = calloc(p->nstations ? p->nstations : 1, sizeof(long));
	int *ns = calloc(p->nstations ? p->nstations : 1, sizeof(int));
	long *served = calloc(in->nunits ? in->nunits : 1, sizeof(long));
	int *nstu = calloc(in->nunits ? in->nunits : 1, sizeof(int));
	if (!hs || !ns || !served || !nstu) {
		violation(&v, "out of memory");
	} else {
		check_assignments(in, sites, r, sc, p, &v, hs, ns, served, nstu);
		check_units(in, sites, r, sc, p, &v, served, nstu);
		check_stations(in, sites, r, sc, p, &v, hs, ns);
		check_budget(sites, sc, p, &v);
	}
	free(hs);
	free(ns);
	free(served);
	free(nstu);
	return v.count;
}
