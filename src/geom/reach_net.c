/*
 * reach_net.c: walking reach along the streets (input.roads).
 *
 * reach_build() first lists the straight-line pairs (src/geom/reach.c);
 * with streets, reach_net_apply() then replaces them:
 *
 * 1. The network is built (src/geom/network.c) and every unit's
 *    representative point and every site attached to it
 *    (src/geom/network_attach.c), and with [level.NAME] sections every
 *    eligible place of the upper levels too, in the same call (their
 *    distances: src/geom/reach_levels.c). Points farther than roads_snap_m
 *    from a walkable street are warned about by name. (With demand_points =
 *    samples the straight-line pairs average over samples; along the
 *    streets the walk starts at the representative point.)
 * 2. One bounded search per attached site, walking towards the site (so
 *    oneway streets count in the walker's direction), cut at
 *    walk_distance_m; sites are shared out over the threads (solver.threads,
 *    0 = one per core) by index, each thread with its own search state, so
 *    the result does not depend on the number of threads.
 * 3. Pairs per unit: the network pairs; with roads_fallback = straight also
 *    the straight-line pairs of an unattached unit or with an unattached
 *    site; a site nearer to the unit's point than the nearest street is to
 *    either of them, in a straight line (the segment then crosses no
 *    street: a station at the unit's own point is 0 m away, not there and
 *    back from the street; the shorter of the two when both exist); and
 *    always the sites inside a village under rural = one_per_village
 *    (`inside`), at their network distance when within the radius, else at
 *    the straight-line one. Sorted by distance, then site.
 * 4. An attached unit left with no pair gets the reason "no site on its part
 *    of the street network within X m" with the nearest site by network
 *    (an unbounded search from the unit) and by straight line; an
 *    unattached one (without fallback) "no walkable street within
 *    roads_snap_m".
 *
 * nearest / nearest_dist keep their straight-line meaning. The routes of
 * the chosen pairs are drawn by src/geom/reach_routes.c.
 */
#include "reach.h"
#include "grow.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "levels.h"
#include "network_int.h"
#include "reach_net.h"
#include "rules.h"
#include "clock.h"

typedef struct hit {
	int unit;
	double d;
} hit;

typedef struct site_hits {
	hit *h;
	size_t n;
} site_hits;

typedef struct search_job {
	const network *net;
	const int *vunit; /* nv: unit of a point vertex, -1 otherwise */
	size_t nunits, nsites;
	double walk;
	site_hits *out; /* nsites */
	int thread, nthreads;
	int oom;
	double deadline; /* clock_now_s() the searches end by (0: none) */
	int late;        /* 1: stopped at the deadline */
	/* the site being searched */
	hit *buf;
	size_t n, cap;
} search_job;

static int hit_visit(int v, double d, void *arg)
{
	search_job *j = arg;
	int u = j->vunit[v];
	if (u < 0)
		return 0;
	if (grow_reserve(&j->buf, &j->cap, j->n + 1, sizeof(*j->buf)) != 0)
		return j->oom = 1;
	j->buf[j->n++] = (hit){u, d};
	return 0;
}

static void *search_thread(void *arg)
{
	search_job *j = arg;
	net_search s;
	if (net_search_init(&s, j->net) != 0) {
		j->oom = 1;
		net_search_free(&s);
		return NULL;
	}
	for (size_t k = (size_t)j->thread; k < j->nsites && !j->oom; k += (size_t)j->nthreads) {
		if (j->deadline > 0 && clock_now_s() > j->deadline) {
			j->late = 1;
			break;
		}
		int v = j->net->pvert[j->nunits + k];
		if (v < 0)
			continue;
		j->n = 0;
		if (net_search_run(&s, j->net, v, j->walk, 1, hit_visit, j) != 0 || j->oom) {
			j->oom = 1;
			break;
		}
		if (j->n && !(j->out[k].h = malloc(j->n * sizeof(hit)))) {
			j->oom = 1;
			break;
		}
		if (j->n)
			memcpy(j->out[k].h, j->buf, j->n * sizeof(hit));
		j->out[k].n = j->n;
	}
	free(j->buf);
	net_search_free(&s);
	return NULL;
}

/* Network hits of every site, searched on `nthreads` threads. */
/* Returns 0, -1 out of memory, 1 stopped at `deadline` (clock_now_s(), 0:
 * none). */
static int search_sites(const network *net, size_t nunits, size_t nsites, double walk, int nthreads,
                        double deadline, site_hits *out)
{
	int *vunit = malloc((net->nv ? net->nv : 1) * sizeof(int));
	search_job *jobs = calloc((size_t)nthreads, sizeof(*jobs));
	int oom = !vunit || !jobs;
	for (size_t v = 0; !oom && v < net->nv; v++)
		vunit[v] = -1;
	for (size_t u = 0; !oom && u < nunits; u++)
		if (net->pvert[u] >= 0)
			vunit[net->pvert[u]] = (int)u;
	for (int t = 0; !oom && t < nthreads; t++)
		jobs[t] = (search_job){net,      vunit, nunits,   nsites, walk, out, t,
		                       nthreads, 0,     deadline, 0,      NULL, 0,   0};
	oom = oom || net_search_spread(search_thread, jobs, sizeof(*jobs), nthreads) != 0;
	for (int t = 0; !oom && t < nthreads; t++)
		oom |= jobs[t].oom;
	int late = 0;
	for (int t = 0; !oom && t < nthreads; t++)
		late |= jobs[t].late;
	free(vunit), free(jobs);
	return oom ? -1 : late;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char buf[512];
	va_start(ap, f);
	vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	return strdup(buf);
}

static const char *unit_name(const unit *un, char *buf, size_t size)
{
	if (un->name && *un->name)
		snprintf(buf, size, "unit '%s' %s (fid %lld)", un->id, un->name, un->fid);
	else
		snprintf(buf, size, "unit '%s' (fid %lld)", un->id, un->fid);
	return buf;
}

static const char *site_name(const inputs *in, const site_table *sites, size_t s, char *buf,
                             size_t size)
{
	const site *si = &sites->sites[s];
	const char *in_unit = si->unit >= 0 ? in->units[si->unit].id : "";
	switch (si->source) {
	case SITE_CANDIDATE:
	case SITE_EXISTING:
		snprintf(buf, size, "%s site fid %lld", site_source_name(si->source), si->src_fid);
		break;
	default:
		snprintf(buf, size, "%s site of unit '%s' (%.0f, %.0f)",
		         site_source_name(si->source), in_unit, si->x, si->y);
	}
	return buf;
}

/* Warn, by name, about level places farther than roads_snap_m. */
static void warn_places(const inputs *in, const scenario *sc, const network *net, reach *r,
                        const char *then, status *st)
{
	size_t shown = 0;
	for (size_t l = 0; l < r->nlevels; l++) {
		const level_input *li = &in->levels[l];
		for (size_t i = 0; i < li->nplaces; i++) {
			int k = r->lv_point[r->lv_start[l] + i];
			if (k < 0 || net->pvert[k] >= 0)
				continue;
			r->nplaces_off++;
			if (shown++ < 20)
				status_problem_add(
				    st, SEV_WARNING, "roads",
				    "level '%s': place '%s' (%s fid %lld): no walkable "
				    "street within roads_snap_m = %g m; %s",
				    sc->levels[l].name, li->places[i].id, li->label,
				    li->places[i].fid, sc->roads_snap_m, then);
		}
	}
	if (shown > 20)
		status_problem_add(st, SEV_WARNING, "roads",
		                   "... and %zu more level places off the streets", shown - 20);
}

/* Warn, by name, about points farther than roads_snap_m from any street. */
static void warn_unattached(const inputs *in, const site_table *sites, const scenario *sc,
                            const network *net, reach *r, status *st)
{
	char name[512];
	const char *then = sc->roads_fallback == ROADS_FALLBACK_STRAIGHT
	                       ? "straight-line distances used (roads_fallback = straight)"
	                       : "no walking distance (roads_fallback = none)";
	size_t nu = r->nunits, shown = 0;
	warn_places(in, sc, net, r, then, st);
	for (size_t u = 0; u < nu; u++)
		if (net->pvert[u] < 0) {
			r->nunits_off++;
			if (shown++ < 50)
				status_problem_add(
				    st, SEV_WARNING, "roads",
				    "%s: no walkable street within roads_snap_m = %g m of "
				    "its demand point (%.0f, %.0f); %s",
				    unit_name(&in->units[u], name, sizeof(name)), sc->roads_snap_m,
				    r->ux[u], r->uy[u], then);
		}
	if (shown > 50)
		status_problem_add(st, SEV_WARNING, "roads",
		                   "... and %zu more units off the streets", shown - 50);
	shown = 0;
	for (size_t s = 0; s < sites->n; s++)
		if (net->pvert[nu + s] < 0) {
			r->nsites_off++;
			if (shown++ < 20)
				status_problem_add(
				    st, SEV_WARNING, "roads",
				    "%s: no walkable street within roads_snap_m = %g m; %s",
				    site_name(in, sites, s, name, sizeof(name)), sc->roads_snap_m,
				    then);
		}
	if (shown > 20)
		status_problem_add(st, SEV_WARNING, "roads",
		                   "... and %zu more sites off the streets", shown - 20);
}

/* The points of the upper levels' eligible places, after units and sites
 * (from point `first`): fills r->lv_start / lv_point and appends to x, y.
 * Returns the count, (size_t)-1 out of memory. */
static size_t level_points(const inputs *in, const scenario *sc, reach *r, size_t first, double **x,
                           double **y)
{
	size_t nl = in->nlevels < sc->nlevels ? in->nlevels : sc->nlevels, total = 0, k = 0;
	for (size_t l = 0; l < nl; l++)
		total += in->levels[l].nplaces;
	r->lv_start = calloc(nl + 1, sizeof(size_t));
	r->lv_point = malloc((total + 1) * sizeof(int));
	double *nx = realloc(*x, (first + total + 1) * sizeof(double));
	if (nx)
		*x = nx;
	double *ny = realloc(*y, (first + total + 1) * sizeof(double));
	if (ny)
		*y = ny;
	if (!r->lv_start || !r->lv_point || !nx || !ny)
		return (size_t)-1;
	r->nlevels = nl;
	for (size_t l = 0; l < nl; l++) {
		const level_input *li = &in->levels[l];
		r->lv_start[l + 1] = r->lv_start[l] + li->nplaces;
		for (size_t i = 0; i < li->nplaces; i++) {
			const level_place *p = &li->places[i];
			r->lv_point[r->lv_start[l] + i] = p->eligible ? (int)(first + k) : -1;
			if (p->eligible)
				(*x)[first + k] = p->x, (*y)[first + k] = p->y, k++;
		}
	}
	return k;
}

/* The first site settled by a search. */
typedef struct stop_at_site {
	const int *vsite; /* nv: site of a point vertex, -1 otherwise */
	int site;
	double d;
} stop_at_site;

static int site_visit(int v, double d, void *arg)
{
	stop_at_site *q = arg;
	if (q->vsite[v] < 0)
		return 0;
	q->site = q->vsite[v], q->d = d;
	return 1;
}

/* Why unit u has no pair, or NULL (the solver's own reason then holds). */
static char *no_pair_reason(const network *net, const reach *r, const scenario *sc,
                            const int *vsite, size_t u, int *oom)
{
	if (net->pvert[u] < 0)
		return sc->roads_fallback == ROADS_FALLBACK_STRAIGHT
		           ? NULL
		           : fmt("no walkable street within roads_snap_m = %g m of its demand "
		                 "point",
		                 sc->roads_snap_m);
	if (r->nearest[u] < 0)
		return NULL; /* no site at all */
	net_search s;
	stop_at_site q = {vsite, -1, -1};
	if (net_search_init(&s, net) != 0 ||
	    net_search_run(&s, net, net->pvert[u], INFINITY, 0, site_visit, &q) != 0) {
		net_search_free(&s);
		*oom = 1;
		return NULL;
	}
	net_search_free(&s);
	char *why = q.site >= 0
	                ? fmt("no site on its part of the street network within %.0f m (nearest "
	                      "by network %.0f m, by straight line %.0f m)",
	                      sc->walk_distance_m, q.d, r->nearest_dist[u])
	                : fmt("no site on its part of the street network within %.0f m (none on "
	                      "its part; nearest by straight line %.0f m)",
	                      sc->walk_distance_m, r->nearest_dist[u]);
	*oom |= !why;
	return why;
}

/* Each unit's pairs: network hits, fallback and inside pairs (rule 3). */
static int combine(const inputs *in, const site_table *sites, const network *net,
                   const scenario *sc, const site_hits *hits, size_t nsites, reach *r,
                   reach_pair_vec *all, size_t *start)
{
	size_t nu = r->nunits;
	size_t *cnt = calloc(nu + 1, sizeof(size_t));
	int *stamp = malloc((nsites ? nsites : 1) * sizeof(int));
	reach_pair_vec tmp = {0};
	hit *byu = NULL;
	int *bys = NULL, rc = -1;
	if (!cnt || !stamp)
		goto out;
	/* network hits grouped by unit, in site order */
	for (size_t s = 0; s < nsites; s++)
		for (size_t k = 0; k < hits[s].n; k++)
			cnt[hits[s].h[k].unit + 1]++;
	for (size_t u = 0; u < nu; u++)
		cnt[u + 1] += cnt[u];
	byu = malloc((cnt[nu] ? cnt[nu] : 1) * sizeof(hit));
	bys = malloc((cnt[nu] ? cnt[nu] : 1) * sizeof(int));
	if (!byu || !bys)
		goto out;
	for (size_t s = 0; s < nsites; s++)
		for (size_t k = 0; k < hits[s].n; k++) {
			size_t m = cnt[hits[s].h[k].unit]++;
			byu[m] = hits[s].h[k], bys[m] = (int)s;
		}
	for (size_t u = nu; u > 0; u--)
		cnt[u] = cnt[u - 1];
	cnt[0] = 0;
	for (size_t s = 0; s < nsites; s++)
		stamp[s] = -1;
	int fallback = sc->roads_fallback == ROADS_FALLBACK_STRAIGHT;
	for (size_t u = 0; u < nu; u++) {
		tmp.n = 0;
		for (size_t m = cnt[u]; m < cnt[u + 1]; m++) {
			if (reach_pair_push(&tmp, byu[m].d, bys[m], 0) != 0)
				goto out;
			stamp[bys[m]] = (int)u;
		}
		int u_on = net->pvert[u] >= 0;
		int village = rules_unit_is_village(sc, in->units[u].kind);
		for (size_t k = r->start[u]; k < r->start[u + 1]; k++) {
			int s = r->site[k], s_on = net->pvert[nu + (size_t)s] >= 0;
			/* nearer than any street to either end: straight there */
			double sd =
			    hypot(sites->sites[s].x - r->ux[u], sites->sites[s].y - r->uy[u]);
			int direct =
			    u_on && s_on && sd <= fmax(net->pdist[u], net->pdist[nu + (size_t)s]);
			if (stamp[s] == (int)u) {
				for (size_t i = 0; i < tmp.n; i++)
					if (tmp.v[i].site == s) {
						tmp.v[i].inside = r->inside[k];
						if (direct)
							tmp.v[i].d = fmin(tmp.v[i].d, sd);
					}
				continue;
			}
			if (direct || (fallback && (!u_on || !s_on)) || (village && r->inside[k])) {
				if (reach_pair_push(&tmp, direct ? sd : r->dist[k], s,
				                    r->inside[k]) != 0)
					goto out;
				stamp[s] = (int)u;
			} else {
				r->nlost++;
			}
		}
		r->ngained += cnt[u + 1] - cnt[u];
		for (size_t k = r->start[u]; k < r->start[u + 1]; k++)
			for (size_t m = cnt[u]; m < cnt[u + 1]; m++)
				if (bys[m] == r->site[k]) {
					r->ngained--;
					break;
				}
		if (tmp.n > 1)
			qsort(tmp.v, tmp.n, sizeof(*tmp.v), reach_pair_cmp);
		start[u] = all->n;
		for (size_t i = 0; i < tmp.n; i++)
			if (reach_pair_push(all, tmp.v[i].d, tmp.v[i].site, tmp.v[i].inside) != 0)
				goto out;
	}
	start[nu] = all->n;
	rc = 0;
out:
	free(cnt), free(stamp), free(tmp.v), free(byu), free(bys);
	return rc;
}

/* Reasons of the units left without a pair (rule 4). */
static int fill_reasons(const network *net, const scenario *sc, size_t nsites, reach *r)
{
	size_t nu = r->nunits;
	int oom = 0, *vsite = malloc((net->nv ? net->nv : 1) * sizeof(int));
	r->why = calloc(nu ? nu : 1, sizeof(char *));
	if (!vsite || !r->why) {
		free(vsite);
		return -1;
	}
	for (size_t v = 0; v < net->nv; v++)
		vsite[v] = -1;
	for (size_t s = 0; s < nsites; s++)
		if (net->pvert[nu + s] >= 0)
			vsite[net->pvert[nu + s]] = (int)s;
	for (size_t u = 0; u < nu && !oom; u++)
		if (r->start[u] == r->start[u + 1])
			r->why[u] = no_pair_reason(net, r, sc, vsite, u, &oom);
	free(vsite);
	return oom ? -1 : 0;
}

status_code reach_net_apply(const inputs *in, const site_table *sites, const scenario *sc, reach *r,
                            status *st)
{
	double t0 = clock_now_s();
	size_t nu = r->nunits, ns = sites->n;
	network *net = NULL;
	status_code rc = network_build(&in->roads, sc, &net, st);
	if (rc != STATUS_OK)
		return rc;
	r->net = net;
	r->network = 1;
	double *x = malloc((nu + ns + 1) * sizeof(double)),
	       *y = malloc((nu + ns + 1) * sizeof(double));
	site_hits *hits = calloc(ns ? ns : 1, sizeof(*hits));
	reach_pair_vec all = {0};
	size_t *start = malloc((nu + 1) * sizeof(size_t));
	if (!x || !y || !hits || !start) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	memcpy(x, r->ux, nu * sizeof(double));
	memcpy(y, r->uy, nu * sizeof(double));
	for (size_t s = 0; s < ns; s++)
		x[nu + s] = sites->sites[s].x, y[nu + s] = sites->sites[s].y;
	size_t nlp = 0;
	if (sc->nlevels && (nlp = level_points(in, sc, r, nu + ns, &x, &y)) == (size_t)-1) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	if ((rc = network_attach(net, nu + ns + nlp, x, y, sc->roads_snap_m, st)) != STATUS_OK)
		goto out;
	warn_unattached(in, sites, sc, net, r, st);
	double t1 = clock_now_s();
	r->npairs_straight = r->npairs;
	/* the searches within solver.time_limit_s, as the other geometry stages */
	int sr = search_sites(net, nu, ns, sc->walk_distance_m, net_search_threads(sc->threads, ns),
	                      t0 + sc->time_limit_s, hits);
	if (sr == 1) {
		rc = status_fail(
		    st, STATUS_INPUT,
		    "reach: solver.time_limit_s = %g s reached while searching the "
		    "streets from %zu sites (rules.walk_distance_m = %g); raise the time "
		    "limit or lower the walking distance",
		    sc->time_limit_s, ns, sc->walk_distance_m);
		goto out;
	}
	if (sr != 0 || combine(in, sites, net, sc, hits, ns, r, &all, start) != 0) {
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	/* the network pairs replace the straight-line ones */
	int *site = malloc((all.n ? all.n : 1) * sizeof(int));
	double *dist = malloc((all.n ? all.n : 1) * sizeof(double));
	unsigned char *inside = malloc(all.n ? all.n : 1);
	if (!site || !dist || !inside) {
		free(site), free(dist), free(inside);
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < all.n; k++)
		site[k] = all.v[k].site, dist[k] = all.v[k].d, inside[k] = all.v[k].inside;
	free(r->site), free(r->dist), free(r->inside), free(r->start);
	r->site = site, r->dist = dist, r->inside = inside, r->start = start;
	r->npairs = all.n;
	start = NULL;
	if (fill_reasons(net, sc, ns, r) != 0)
		rc = status_fail(st, STATUS_INTERNAL, "out of memory");
	r->net_seconds = clock_now_s() - t0;
	status_note(
	    st, 1,
	    "streets: %zu junctions (%zu from noding, %zu ends joined to a line), %zu edges, "
	    "%zu sites searched on "
	    "%d thread(s); %zu pairs along the streets, %zu in a straight line (%zu only "
	    "along the streets, %zu only in a straight line); %.2f s building and "
	    "attaching, %.2f s searching",
	    net->nnodes, net->ncrossings, net->nsnapped, net->nedges, ns - r->nsites_off,
	    net_search_threads(sc->threads, ns), r->npairs, r->npairs_straight, r->ngained,
	    r->nlost, t1 - t0, r->net_seconds - (t1 - t0));
out:
	for (size_t s = 0; hits && s < ns; s++)
		free(hits[s].h);
	free(hits), free(x), free(y), free(all.v), free(start);
	return rc;
}
