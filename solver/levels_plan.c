/*
 * levels_plan.c: levels_solve(): every upper level, bottom to top, cut into
 * independent problems (solver/levels.c solves each) and gathered into a
 * levels_result.
 *
 * The nodes of the first level are the plan's stations, each in the
 * district and street of the unit its site lies in (else of the unit it
 * serves most households of); the nodes of a higher level are the
 * facilities of the level below, in the group of their place. A level's
 * groups are the districts (or streets) of the units: a required group
 * must be one of them. Order is deterministic: groups by name (strcmp),
 * places and nodes by index.
 *
 * Distances come as one table per problem (levels_distance_fill): straight
 * lines, or along the streets (src/geom/reach_levels.c, a node and a place
 * on different parts of the network having none). Along the streets a
 * place no node of the problem reaches is warned about and not used, and
 * when the group's facilities cannot reach every node, the fewest nodes are
 * left out (leave_out, or the 1-median by most nodes reached), each case
 * with an `unplaced` row naming the street network.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "levels.h"
#include "grow.h"
#include "clock.h"
#include "levels_int.h"
#include "rules.h"

typedef struct lnode {
	double x, y;
	long load;
	const char *district, *street;
	int phase; /* the year it opens ([phases]), 0 existing or none, -1 in no phase */
	levels_ref ref;
} lnode;

typedef struct lplace {
	double x, y;
	int existing, src; /* src: index into the level's places, or the node */
	const char *district, *street, *id;
	double area_m2;
	const unsigned char *wkb;
	size_t wkb_size;
	levels_ref ref;
} lplace;

typedef struct lctx {
	const inputs *in;
	const scenario *sc;
	const scenario_level *lv;
	int l;
	levels_distance dist;
	level_per per;
	long cap;
	status *st;
	levels_result *out;
	level_result *res;
	double deadline; /* the levels stage ends by (clock_now_s()) */
} lctx;

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorted unique group names of the units under `per`. Caller frees the
 * array (not the strings). Returns the count, (size_t)-1 out of memory. */
static size_t unit_groups(const inputs *in, level_per per, const char ***out)
{
	const char **g = malloc((in->nunits + 1) * sizeof(*g));
	if (!g)
		return (size_t)-1;
	for (size_t u = 0; u < in->nunits; u++)
		g[u] = rules_level_group(per, in->units[u].district ? in->units[u].district : "",
		                         in->units[u].street ? in->units[u].street : "");
	qsort(g, in->nunits, sizeof(*g), str_cmp);
	size_t m = 0;
	for (size_t i = 0; i < in->nunits; i++)
		if (!m || strcmp(g[m - 1], g[i]))
			g[m++] = g[i];
	*out = g;
	return m;
}

static int unplaced_add(lctx *c, const char *group, long households, int missing, const char *fmt,
                        ...) __attribute__((format(printf, 5, 6)));

/* Record an unplaced row (and its warning). Returns 0, -1 out of memory. */
static int unplaced_add(lctx *c, const char *group, long households, int missing, const char *fmt,
                        ...)
{
	levels_result *o = c->out;
	if (grow_to(&o->unplaced, o->nunplaced + 1, sizeof(*o->unplaced)) != 0) {
		status_fail(c->st, STATUS_INTERNAL, "out of memory");
		return -1;
	}
	level_unplaced *u = &o->unplaced[o->nunplaced];
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	u->level = c->l;
	u->group = strdup(group);
	u->reason = strdup(buf);
	u->households = households;
	u->missing = missing;
	if (!u->group || !u->reason) {
		free(u->group), free(u->reason);
		status_fail(c->st, STATUS_INTERNAL, "out of memory");
		return -1;
	}
	o->nunplaced++;
	status_problem_add(c->st, SEV_WARNING, "levels", "level '%s', group '%s': %s", c->lv->name,
	                   group, buf);
	return 0;
}

/* District and street of each station (see the file comment). */
static lnode *station_nodes(const inputs *in, const site_table *sites, const plan *p)
{
	size_t n1 = p->nstations + 1;
	lnode *n = calloc(n1, sizeof(*n));
	const char **district = calloc(n1, sizeof(*district));
	const char **street = calloc(n1, sizeof(*street));
	if (!n || !district || !street ||
	    rules_station_places(in, sites, p, district, street) != 0) {
		free(n), free(district), free(street);
		return NULL;
	}
	for (size_t s = 0; s < p->nstations; s++) {
		const site *si = &sites->sites[p->stations[s].site];
		n[s].x = si->x, n[s].y = si->y;
		n[s].load = p->stations[s].households;
		n[s].phase = p->stations[s].phase;
		n[s].district = district[s];
		n[s].street = street[s];
		n[s].ref = (levels_ref){-1, p->stations[s].site};
	}
	free(district), free(street);
	return n;
}

/* The places of level c->l: its eligible places, or the nodes. */
static lplace *level_places(lctx *c, const lnode *nodes, size_t nn, size_t *np)
{
	const level_input *li = c->l < (int)c->in->nlevels ? &c->in->levels[c->l] : NULL;
	size_t cap = c->lv->at != LEVEL_AT_UNSET ? nn : li ? li->nplaces : 0;
	lplace *pl = calloc(cap + 1, sizeof(*pl));
	*np = 0;
	if (!pl)
		return NULL;
	if (c->lv->at != LEVEL_AT_UNSET) {
		for (size_t i = 0; i < nn; i++)
			pl[(*np)++] =
			    (lplace){nodes[i].x,      nodes[i].y, 0, (int)i, nodes[i].district,
			             nodes[i].street, "",         0, NULL,   0,
			             nodes[i].ref};
		return pl;
	}
	for (size_t i = 0; li && i < li->nplaces; i++) {
		const level_place *p = &li->places[i];
		if (p->eligible)
			pl[(*np)++] = (lplace){p->x,
			                       p->y,
			                       p->existing,
			                       (int)i,
			                       p->district,
			                       p->street,
			                       p->id,
			                       p->area_m2,
			                       p->wkb,
			                       p->wkb_size,
			                       (levels_ref){c->l, (int)i}};
	}
	return pl;
}

/* Append facility of place `p` to the level. Returns its index, -1 OOM. */
static int facility_add(lctx *c, const lplace *p, const char *group)
{
	level_result *r = c->res;
	if (grow_to(&r->fac, r->nfac + 1, sizeof(*r->fac)) != 0)
		return -1;
	level_facility *g = r->fac;
	g[r->nfac] = (level_facility){.x = p->x,
	                              .y = p->y,
	                              .place = p->src,
	                              .district = p->district,
	                              .street = p->street,
	                              .group = group,
	                              .existing = p->existing,
	                              .area_m2 = p->area_m2,
	                              .wkb = p->wkb,
	                              .wkb_size = p->wkb_size,
	                              .ref = p->ref};
	if (c->lv->at != LEVEL_AT_UNSET)
		snprintf(g[r->nfac].place_id, sizeof(g[r->nfac].place_id), "%d", p->src + 1);
	else
		snprintf(g[r->nfac].place_id, sizeof(g[r->nfac].place_id), "%s", p->id);
	return (int)r->nfac++;
}

/* One problem: nodes `ni` (nn of them) and places `pi` (np) of the level,
 * count rows by group `cg` (ncg groups, k each), required rows `rq`. */
typedef struct subset {
	const char *label;
	int *ni, nn, *pi, np;
	const char **cg;
	int ncg;
	const char **rq;
	int nrq;
	long k;
} subset;

/* The exact 1-median of one group without capacity: the place of the
 * group (the existing one when there is one) that every routable node
 * reaches, of least load-weighted distance, lowest index on ties; its cost
 * in *obj. -1 when no place is reached by every node (GLPK then proves the
 * infeasibility). With `most` (along the streets), the place reached by
 * the most nodes, then of least cost over them: the exact answer when the
 * nodes it does not reach are left out (leave_out). O(arcs + places). */
static int median_1(int nr, int np, const long *load, const size_t *na, const int *ap,
                    const double *ad, const int *row_of, const unsigned char *fixed, int most,
                    double *obj)
{
	double *cost = calloc((size_t)np + 1, sizeof(double));
	int *hits = calloc((size_t)np + 1, sizeof(int)), best = -1, forced = -1;
	if (!cost || !hits) {
		free(cost), free(hits);
		return -2;
	}
	for (int i = 0; i < nr; i++)
		for (size_t a = na[i]; a < na[i + 1]; a++)
			cost[ap[a]] += (double)load[i] * ad[a], hits[ap[a]]++;
	for (int p = 0; p < np; p++)
		if (row_of[p] == 0 && fixed[p])
			forced = p;
	for (int p = 0; p < np; p++) {
		if (row_of[p] != 0 || hits[p] == 0 || (!most && hits[p] < nr) ||
		    (forced >= 0 && p != forced))
			continue;
		if (best < 0 || hits[p] > hits[best] ||
		    (hits[p] == hits[best] && cost[p] < cost[best]))
			best = p;
	}
	*obj = best >= 0 ? cost[best] : 0;
	free(cost), free(hits);
	return best;
}

/* A place's name in messages: its id, else its index + 1. */
static const char *place_name(const lplace *q, char *buf, size_t size)
{
	if (q->id && *q->id)
		return q->id;
	snprintf(buf, size, "%d", q->src + 1);
	return buf;
}

/* The distances of the problem's nodes to its places into a new *dm
 * (nn x np, -1: not reached, caller frees), cut at max_distance_m; reached[p]
 * = 1 when some node may be routed to place p. */
static status_code subset_distances(lctx *c, const lnode *nodes, const lplace *pl, const subset *s,
                                    double **dm, unsigned char *reached)
{
	int cross = c->lv->cross_groups || c->per == LEVEL_PER_CITY;
	size_t nn = (size_t)s->nn, np = (size_t)s->np;
	levels_point *from = malloc((nn + 1) * sizeof(*from));
	levels_point *to = malloc((np + 1) * sizeof(*to));
	*dm = malloc((nn * np + 1) * sizeof(double));
	if (!from || !to || !*dm) {
		free(from), free(to);
		return status_fail(c->st, STATUS_INTERNAL, "out of memory");
	}
	for (size_t i = 0; i < nn; i++) {
		const lnode *n = &nodes[s->ni[i]];
		from[i] = (levels_point){n->x, n->y, n->ref};
	}
	for (size_t p = 0; p < np; p++) {
		const lplace *q = &pl[s->pi[p]];
		to[p] = (levels_point){q->x, q->y, q->ref};
	}
	double max = c->lv->max_distance_m;
	status_code rc = levels_distance_fill(&c->dist, nn, from, np, to, max > 0 ? max : INFINITY,
	                                      c->deadline, *dm, c->st);
	for (size_t i = 0; rc == STATUS_OK && i < nn; i++) {
		const lnode *n = &nodes[s->ni[i]];
		const char *gn = rules_level_group(c->per, n->district, n->street);
		for (size_t p = 0; p < np; p++) {
			const lplace *q = &pl[s->pi[p]];
			double d = (*dm)[i * np + p];
			if (d >= 0 && (max <= 0 || d <= max) &&
			    (cross ||
			     !strcmp(gn, rules_level_group(c->per, q->district, q->street))))
				reached[p] = 1;
		}
	}
	free(from), free(to);
	return rc;
}

#define LEFT_OUT_REASON                                                                            \
	"%d lower facilit%s on parts of the street network that the group's facilities cannot "    \
	"all reach (left out, the fewest possible)"

/* A problem along the streets with no feasible placement: leave out the
 * fewest nodes (levels_mip_leave_out) and record them. */
static status_code leave_out(lctx *c, const subset *s, lv_problem *pb, int *chosen,
                             unsigned char *open, size_t *na, int *an, int *ap, double *ad,
                             long *load, int *nodeix, int *left)
{
	long lost = 0;
	status_code rc = levels_mip_leave_out(pb, na, an, ap, ad, load, nodeix, chosen, open, left,
	                                      &lost, c->st);
	if (rc == STATUS_OK && *left &&
	    unplaced_add(c, s->label, lost, 0, LEFT_OUT_REASON, *left, *left == 1 ? "y" : "ies") !=
	        0)
		rc = STATUS_INTERNAL;
	return rc;
}

static status_code solve_subset(lctx *c, const lnode *nodes, const lplace *pl, const subset *s,
                                int *flow_to, double *flow_d)
{
	status_code rc = STATUS_OK;
	const scenario_level *lv = c->lv;
	int cross = lv->cross_groups || c->per == LEVEL_PER_CITY;
	size_t maxarcs = (size_t)s->nn * (size_t)(s->np ? s->np : 1);
	long *load = calloc((size_t)s->nn + 1, sizeof(long));
	unsigned char *fixed = calloc((size_t)s->np + 1, 1), *open = calloc((size_t)s->np + 1, 1);
	size_t *na = calloc((size_t)s->nn + 2, sizeof(size_t));
	int *an = malloc((maxarcs + 1) * sizeof(int)), *ap = malloc((maxarcs + 1) * sizeof(int));
	double *ad = malloc((maxarcs + 1) * sizeof(double));
	int *row_of = malloc(((size_t)s->np + 1) * sizeof(int));
	int *req_of = malloc(((size_t)s->np + 1) * sizeof(int));
	int *row_k = calloc((size_t)s->ncg + 1, sizeof(int)), *chosen = NULL;
	int *nodeix = calloc((size_t)s->nn + 1, sizeof(int));
	int *far = calloc((size_t)s->ncg + 1, sizeof(int));
	double *dm = NULL;
	unsigned char *reached = calloc((size_t)s->np + 1, 1);
	if (!load || !fixed || !open || !na || !an || !ap || !ad || !row_of || !req_of || !row_k ||
	    !nodeix || !far || !reached) {
		rc = status_fail(c->st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	/* every node's distance to every place of the problem */
	if ((rc = subset_distances(c, nodes, pl, s, &dm, reached)) != STATUS_OK)
		goto out;
	/* count and required rows */
	for (int p = 0; p < s->np; p++) {
		const lplace *q = &pl[s->pi[p]];
		const char *g = rules_level_group(c->per, q->district, q->street);
		row_of[p] = req_of[p] = -1;
		fixed[p] = (unsigned char)q->existing;
		for (int r = 0; r < s->ncg; r++)
			if (!strcmp(g, s->cg[r]))
				row_of[p] = r;
		for (int r = 0; r < s->nrq; r++)
			if (!strcmp(q->district, s->rq[r]) ||
			    (c->per == LEVEL_PER_STREET && !strcmp(q->street, s->rq[r])))
				req_of[p] = r;
		/* along the streets: a place no node reaches is not a place */
		if (c->dist.table && s->nn > 0 && !reached[p] && !q->existing) {
			char idbuf[32];
			status_problem_add(c->st, SEV_WARNING, "levels",
			                   "level '%s', group '%s': place '%s' is off the streets "
			                   "or on a part of the street network that no lower "
			                   "facility reaches%s; not used",
			                   lv->name, s->label, place_name(q, idbuf, sizeof(idbuf)),
			                   lv->max_distance_m > 0 ? " within max_distance_m" : "");
			if (row_of[p] >= 0)
				far[row_of[p]]++;
			row_of[p] = req_of[p] = -1;
		}
	}
	long ktotal = 0;
	for (int r = 0; r < s->ncg; r++) {
		int nplace = 0, nexist = 0;
		for (int p = 0; p < s->np; p++)
			if (row_of[p] == r)
				nplace++, nexist += fixed[p];
		long k = s->k < nexist ? nexist : s->k;
		char more[160] = "";
		if (far[r])
			snprintf(more, sizeof(more),
			         " (%d more on parts of the street network no lower facility "
			         "reaches)",
			         far[r]);
		if (nplace < k && *lv->parcels)
			unplaced_add(
			    c, s->cg[r], 0, (int)(k - nplace),
			    "%d parcel(s) of at least min_area_m2 = %g for %ld facilities%s",
			    nplace, lv->min_area_m2, k, more);
		else if (nplace < k && nplace)
			unplaced_add(c, s->cg[r], 0, (int)(k - nplace),
			             "%d eligible place(s) for %ld facilities%s", nplace, k, more);
		else if (nplace < k)
			unplaced_add(c, s->cg[r], 0, (int)k,
			             "no eligible place for %ld facilities%s", k, more);
		row_k[r] = (int)(k < nplace ? k : nplace);
		ktotal += row_k[r];
	}
	/* arcs */
	int nr = 0; /* routable nodes */
	long routable_load = 0, lost_load = 0;
	int lost = 0;
	size_t narcs = 0;
	for (int i = 0; i < s->nn; i++) {
		const lnode *n = &nodes[s->ni[i]];
		const char *gn = rules_level_group(c->per, n->district, n->street);
		size_t first = narcs;
		for (int p = 0; p < s->np; p++) {
			const lplace *q = &pl[s->pi[p]];
			if (row_of[p] < 0 && s->ncg > 0)
				continue;
			if (!cross && strcmp(gn, rules_level_group(c->per, q->district, q->street)))
				continue;
			double d = dm[(size_t)i * (size_t)s->np + (size_t)p];
			if (d < 0 || (lv->max_distance_m > 0 && d > lv->max_distance_m))
				continue;
			an[narcs] = nr, ap[narcs] = p, ad[narcs] = d;
			narcs++;
		}
		flow_to[s->ni[i]] = -1;
		if (narcs == first) {
			lost++, lost_load += n->load;
			continue;
		}
		if (c->cap > 0 && n->load > c->cap) {
			rc = status_fail(c->st, STATUS_INPUT,
			                 "level.%s: capacity = %ld households cannot hold a lower "
			                 "facility of %ld households (group '%s')",
			                 lv->name, c->cap, n->load, s->label);
			goto out;
		}
		nodeix[nr] = s->ni[i];
		load[nr] = n->load;
		na[nr + 1] = narcs;
		routable_load += n->load;
		nr++;
	}
	if (lost && c->dist.table)
		unplaced_add(c, s->label, lost_load, 0,
		             "%d lower facilit%s with no place reached along the street network%s "
		             "(off the streets, or on a part of it with no place)",
		             lost, lost == 1 ? "y" : "ies",
		             lv->max_distance_m > 0 ? " within max_distance_m" : "");
	else if (lost)
		unplaced_add(c, s->label, lost_load, 0, "%d lower facilit%s with no place %s", lost,
		             lost == 1 ? "y" : "ies",
		             lv->max_distance_m > 0 ? "within max_distance_m" : "in the group");
	if (c->cap > 0 && routable_load > c->cap * ktotal) {
		rc = status_fail(c->st, STATUS_INPUT,
		                 "level.%s: group '%s': capacity = %ld households x %ld "
		                 "facilities cannot hold the load of %ld households",
		                 lv->name, s->label, c->cap, ktotal, routable_load);
		goto out;
	}
	double obj = 0, bound = 0;
	int proven = 1;
	if (!(chosen = calloc((size_t)nr + 1, sizeof(int)))) {
		rc = status_fail(c->st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	int single = -2; /* one facility, no capacity: the exact 1-median, -1 none fits */
	if (nr > 0 && s->np > 0 && c->cap == 0 && s->ncg == 1 && row_k[0] == 1 && s->nrq == 0)
		single = median_1(nr, s->np, load, na, ap, ad, row_of, fixed, c->dist.table != NULL,
		                  &obj);
	if (single >= 0 && c->dist.table) { /* nodes the place does not reach are left out */
		int left = 0;
		long lost = 0;
		for (int i = 0; i < nr; i++) {
			int hit = 0;
			for (size_t a = na[i]; a < na[i + 1]; a++)
				hit |= ap[a] == single;
			if (!hit)
				left++, lost += load[i];
		}
		if (left && unplaced_add(c, s->label, lost, 0, LEFT_OUT_REASON, left,
		                         left == 1 ? "y" : "ies") != 0) {
			rc = STATUS_INTERNAL;
			goto out;
		}
	}
	if (single >= 0) {
		open[single] = 1;
		bound = obj; /* exhaustive: every place was costed */
		for (int i = 0; i < nr; i++)
			chosen[i] = -1;
	} else if (nr > 0 && s->np > 0 && ktotal > 0) {
		lv_problem pb = {.level = lv->name,
		                 .group = s->label,
		                 .nn = nr,
		                 .np = s->np,
		                 .load = load,
		                 .fixed = fixed,
		                 .narcs = narcs,
		                 .node_arcs = na,
		                 .arc_node = an,
		                 .arc_place = ap,
		                 .arc_dist = ad,
		                 .ncount = s->ncg,
		                 .nreq = s->nrq,
		                 .nrows = s->ncg + s->nrq,
		                 .row_of = row_of,
		                 .row_k = row_k,
		                 .req_of = req_of,
		                 .cap = c->cap,
		                 .mip_gap = c->sc->mip_gap,
		                 .time_limit_s = c->sc->time_limit_s,
		                 .deadline = c->deadline};
		pb.quiet = c->dist.table != NULL;
		rc = levels_mip_solve(&pb, chosen, open, &obj, &bound, &proven, c->st);
		if (rc == STATUS_INPUT && pb.quiet) {
			/* along the streets: leave out the fewest nodes, then place the rest */
			int left = 0;
			rc =
			    leave_out(c, s, &pb, chosen, open, na, an, ap, ad, load, nodeix, &left);
			nr = pb.nn;
			pb.quiet = 0;
			if (rc == STATUS_OK)
				rc = levels_mip_solve(&pb, chosen, open, &obj, &bound, &proven,
				                      c->st);
		}
		if (rc != STATUS_OK)
			goto out;
	} else {
		/* no load: the existing places, then the first ones of each group */
		int *opened = calloc((size_t)s->ncg + 1, sizeof(int));
		if (!opened) {
			rc = status_fail(c->st, STATUS_INTERNAL, "out of memory");
			goto out;
		}
		for (int p = 0; p < s->np; p++)
			if (fixed[p] && row_of[p] >= 0)
				open[p] = 1, opened[row_of[p]]++;
		for (int p = 0; p < s->np; p++)
			if (!open[p] && row_of[p] >= 0 && opened[row_of[p]] < row_k[row_of[p]])
				open[p] = 1, opened[row_of[p]]++;
		free(opened);
		for (int i = 0; i < nr; i++)
			chosen[i] = -1;
	}
	/* zero-load nodes carry no weight: route them to their nearest open place */
	for (int i = 0; i < nr; i++) {
		if (load[i] > 0 && chosen[i] >= 0)
			continue;
		double best = -1;
		for (size_t a = na[i]; a < na[i + 1]; a++)
			if (open[ap[a]] && (best < 0 || ad[a] < best))
				best = ad[a], chosen[i] = ap[a];
	}
	c->res->nsubs++;
	c->res->objective += obj;
	c->res->bound += bound;
	c->res->proven &= proven;
	int *fac_of = malloc(((size_t)s->np + 1) * sizeof(int));
	if (!fac_of) {
		rc = status_fail(c->st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	for (int p = 0; p < s->np; p++) {
		fac_of[p] = -1;
		if (!open[p])
			continue;
		const lplace *q = &pl[s->pi[p]];
		fac_of[p] = facility_add(c, q, rules_level_group(c->per, q->district, q->street));
		if (fac_of[p] < 0) {
			free(fac_of);
			rc = status_fail(c->st, STATUS_INTERNAL, "out of memory");
			goto out;
		}
	}
	for (int i = 0; i < nr; i++) {
		if (chosen[i] < 0)
			continue;
		const lnode *n = &nodes[nodeix[i]];
		const lplace *q = &pl[s->pi[chosen[i]]];
		flow_to[nodeix[i]] = fac_of[chosen[i]];
		flow_d[nodeix[i]] = -1;
		for (size_t a = na[i]; a < na[i + 1]; a++)
			if (ap[a] == chosen[i])
				flow_d[nodeix[i]] = ad[a];
		assert(flow_d[nodeix[i]] >= 0);
		(void)n, (void)q;
	}
	free(fac_of);
	if (c->st->code == STATUS_INTERNAL) /* an unplaced row out of memory */
		rc = STATUS_INTERNAL;
out:
	free(load), free(fixed), free(open), free(na), free(an), free(ap), free(ad);
	free(row_of), free(req_of), free(row_k), free(chosen), free(nodeix);
	free(far), free(dm), free(reached);
	return rc;
}

/* Split the comma-separated `required` list into names (pointers into
 * `buf`, which is modified). Returns the count. */
static int required_split(char *buf, const char **names, int max)
{
	int n = 0;
	for (char *s = buf; s && *s && n < max;) {
		char *e = strchr(s, ',');
		if (e)
			*e = '\0';
		while (*s == ' ' || *s == '\t')
			s++;
		size_t len = strlen(s);
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
			s[--len] = '\0';
		if (*s)
			names[n++] = s;
		s = e ? e + 1 : NULL;
	}
	return n;
}

static level_result *fac_sort_ctx;
static int fac_cmp(const void *a, const void *b)
{
	const level_facility *x = &fac_sort_ctx->fac[*(const int *)a];
	const level_facility *y = &fac_sort_ctx->fac[*(const int *)b];
	int c = strcmp(x->group, y->group);
	return c ? c : (x->place > y->place) - (x->place < y->place);
}

/* Facilities by (group, place); flows follow. */
static status_code facilities_order(level_result *r, int *flow_to, size_t nn, status *st)
{
	int *perm = malloc((r->nfac + 1) * sizeof(int)), *inv = malloc((r->nfac + 1) * sizeof(int));
	level_facility *sorted = malloc((r->nfac + 1) * sizeof(*sorted));
	if (!perm || !inv || !sorted) {
		free(perm), free(inv), free(sorted);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	for (size_t f = 0; f < r->nfac; f++)
		perm[f] = (int)f;
	fac_sort_ctx = r; /* single-threaded: levels run after the stations */
	qsort(perm, r->nfac, sizeof(int), fac_cmp);
	for (size_t f = 0; f < r->nfac; f++)
		sorted[f] = r->fac[perm[f]], inv[perm[f]] = (int)f;
	if (r->nfac) /* r->fac is NULL for a level with no facility */
		memcpy(r->fac, sorted, r->nfac * sizeof(*sorted));
	for (size_t i = 0; i < nn; i++)
		if (flow_to[i] >= 0)
			flow_to[i] = inv[flow_to[i]];
	free(perm), free(inv), free(sorted);
	return STATUS_OK;
}

static status_code level_one(lctx *c, const lnode *nodes, size_t nn)
{
	status_code rc = STATUS_OK;
	const scenario_level *lv = c->lv;
	size_t np = 0;
	const char **groups = NULL, *req[64];
	char reqbuf[4096];
	lplace *pl = level_places(c, nodes, nn, &np);
	int *flow_to = malloc((nn + 1) * sizeof(int)), *ni = malloc((nn + 1) * sizeof(int));
	int *pi = malloc((np + 1) * sizeof(int));
	double *flow_d = calloc(nn + 1, sizeof(double));
	size_t ng = unit_groups(c->in, c->per, &groups);
	if (!pl || !flow_to || !ni || !pi || !flow_d || ng == (size_t)-1) {
		rc = status_fail(c->st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	/* required groups exist */
	snprintf(reqbuf, sizeof(reqbuf), "%s", lv->required);
	int nreq = required_split(reqbuf, req, 64);
	const char **known = NULL;
	level_per kind = c->per == LEVEL_PER_STREET ? LEVEL_PER_STREET : LEVEL_PER_DISTRICT;
	size_t nknown = unit_groups(c->in, kind, &known);
	for (int r = 0; r < nreq && nknown != (size_t)-1; r++)
		if (!bsearch(&req[r], known, nknown, sizeof(*known), str_cmp))
			rc = status_fail(c->st, STATUS_INPUT,
			                 "level.%s: required = %s: no %s '%s' among the units",
			                 lv->name, lv->required,
			                 kind == LEVEL_PER_STREET ? "street" : "district", req[r]);
	free(known);
	if (nknown == (size_t)-1)
		rc = status_fail(c->st, STATUS_INTERNAL, "out of memory");
	if (rc != STATUS_OK)
		goto out;

	long k = lv->count > 0 ? lv->count : 1;
	for (size_t i = 0; i < nn; i++)
		flow_to[i] = -1;
	if (c->per == LEVEL_PER_CITY || lv->cross_groups) {
		for (size_t i = 0; i < nn; i++)
			ni[i] = (int)i;
		for (size_t p = 0; p < np; p++)
			pi[p] = (int)p;
		subset s = {c->per == LEVEL_PER_CITY ? "city" : "all groups",
		            ni,
		            (int)nn,
		            pi,
		            (int)np,
		            groups,
		            (int)ng,
		            req,
		            c->per == LEVEL_PER_CITY ? nreq : 0,
		            k};
		rc = solve_subset(c, nodes, pl, &s, flow_to, flow_d);
	} else {
		for (size_t g = 0; rc == STATUS_OK && g < ng; g++) {
			subset s = {groups[g], ni, 0, pi, 0, &groups[g], 1, NULL, 0, k};
			for (size_t i = 0; i < nn; i++)
				if (!strcmp(groups[g], rules_level_group(c->per, nodes[i].district,
				                                         nodes[i].street)))
					ni[s.nn++] = (int)i;
			for (size_t p = 0; p < np; p++)
				if (!strcmp(groups[g], rules_level_group(c->per, pl[p].district,
				                                         pl[p].street)))
					pi[s.np++] = (int)p;
			rc = solve_subset(c, nodes, pl, &s, flow_to, flow_d);
		}
	}
	if (rc == STATUS_OK)
		rc = facilities_order(c->res, flow_to, nn, c->st);
	if (rc != STATUS_OK)
		goto out;
	level_result *r = c->res;
	size_t nf = 0;
	for (size_t i = 0; i < nn; i++)
		nf += flow_to[i] >= 0;
	r->flows = calloc(nf + 1, sizeof(*r->flows));
	if (!r->flows) {
		rc = status_fail(c->st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	double *wsum = calloc(r->nfac + 1, sizeof(double));
	for (size_t i = 0; wsum && i < nn; i++) {
		if (flow_to[i] < 0)
			continue;
		level_facility *f = &r->fac[flow_to[i]];
		r->flows[r->nflows++] =
		    (level_flow){(int)i,     flow_to[i], nodes[i].load, flow_d[i],    nodes[i].x,
		                 nodes[i].y, f->x,       f->y,          nodes[i].ref, f->ref};
		f->households += nodes[i].load;
		f->lower++;
		wsum[flow_to[i]] += (double)nodes[i].load * flow_d[i];
	}
	for (size_t f = 0; wsum && f < r->nfac; f++)
		r->fac[f].mean_distance_m =
		    r->fac[f].households > 0 ? wsum[f] / (double)r->fac[f].households : 0;
	if (!wsum)
		rc = status_fail(c->st, STATUS_INTERNAL, "out of memory");
	free(wsum);
	r->gap = r->objective > 0 ? (r->objective - r->bound) / r->objective : 0;
	if (r->gap < 0)
		r->gap = 0;
	snprintf(r->status, sizeof(r->status), "%s",
	         !r->nsubs   ? "empty"
	         : r->proven ? "optimal"
	                     : "feasible");
out:
	free(pl), free(flow_to), free(ni), free(pi), free(flow_d), free(groups);
	return rc;
}

/* The phase of each facility of level c->l (solver/levels_phases.c). */
static status_code level_phases(lctx *c, const lnode *nodes, size_t nn)
{
	lv_node *ln = calloc(nn + 1, sizeof(*ln));
	if (!ln)
		return status_fail(c->st, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < nn; i++)
		ln[i] = (lv_node){
		    nodes[i].x,     nodes[i].y,
		    nodes[i].load,  rules_level_group(c->per, nodes[i].district, nodes[i].street),
		    nodes[i].phase, nodes[i].ref};
	lv_phase_in pin = {.ps = &c->sc->phases,
	                   .nn = nn,
	                   .nodes = ln,
	                   .per = c->per,
	                   .cross = c->lv->cross_groups,
	                   .max_distance_m = c->lv->max_distance_m,
	                   .cap = c->cap,
	                   .dist = c->dist,
	                   .mip_gap = c->sc->mip_gap,
	                   .time_limit_s = c->sc->time_limit_s,
	                   .deadline = c->deadline};
	status_code rc = levels_phases_assign(&pin, c->res, c->st);
	free(ln);
	return rc;
}

status_code levels_solve(const inputs *in, const site_table *sites, const plan *p,
                         const scenario *sc, const levels_distance *dist, levels_result *out,
                         status *st)
{
	memset(out, 0, sizeof(*out));
	if (!sc->nlevels)
		return STATUS_OK;
	out->lv = calloc(sc->nlevels, sizeof(*out->lv));
	lnode *nodes = station_nodes(in, sites, p);
	size_t nn = p->nstations;
	if (!out->lv || !nodes) {
		free(nodes);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	out->n = sc->nlevels;
	status_code rc = STATUS_OK;
	/* every level's searches share solver.time_limit_s: a limit is a limit */
	double deadline = clock_now_s() + sc->time_limit_s;
	for (size_t l = 0; rc == STATUS_OK && l < sc->nlevels; l++) {
		const scenario_level *lv = &sc->levels[l];
		level_result *r = &out->lv[l];
		r->name = lv->name;
		r->proven = 1;
		r->network = dist && dist->table;
		lctx c = {.in = in,
		          .sc = sc,
		          .lv = lv,
		          .l = (int)l,
		          .dist = dist && dist->fn ? *dist
		                                   : (levels_distance){levels_distance_straight,
		                                                       NULL, NULL, NULL},
		          .per = lv->per == LEVEL_PER_UNSET ? LEVEL_PER_CITY : lv->per,
		          .cap = rules_level_capacity(sc, lv),
		          .st = st,
		          .out = out,
		          .res = r,
		          .deadline = deadline};
		rc = level_one(&c, nodes, nn);
		if (rc == STATUS_OK)
			rc = level_phases(&c, nodes, nn);
		free(nodes);
		nodes = NULL;
		if (rc != STATUS_OK)
			break;
		/* this level's facilities are the next level's nodes */
		nn = r->nfac;
		nodes = calloc(nn + 1, sizeof(*nodes));
		if (!nodes) {
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
			break;
		}
		for (size_t f = 0; f < nn; f++)
			nodes[f] =
			    (lnode){r->fac[f].x,        r->fac[f].y,      r->fac[f].households,
			            r->fac[f].district, r->fac[f].street, r->fac[f].phase,
			            r->fac[f].ref};
	}
	free(nodes);
	return rc;
}

void levels_result_free(levels_result *r)
{
	if (!r)
		return;
	for (size_t l = 0; r->lv && l < r->n; l++)
		free(r->lv[l].fac), free(r->lv[l].flows), free(r->lv[l].route_start),
		    free(r->lv[l].route_xy);
	for (size_t u = 0; u < r->nunplaced; u++)
		free(r->unplaced[u].group), free(r->unplaced[u].reason);
	free(r->lv), free(r->unplaced);
	memset(r, 0, sizeof(*r));
}
