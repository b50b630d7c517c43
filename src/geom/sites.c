/*
 * sites.c: candidate sites, each with its origin (site_source).
 *
 * Sources, in priority order (a lower one merged into a higher one within
 * SITES_MERGE_M keeps the higher one's position and source):
 *   existing        the `existing` layer: fixed open, always kept, even
 *                   inside an exclusion (the station is already there);
 *   candidate       the user `candidates` layer;
 *   representative  one GEOS PointOnSurface per unit (the point itself for a
 *                   point unit), inside even a U-shaped polygon;
 *   grid            points of the grid aligned to absolute multiples of
 *                   candidate_spacing_m that an urban polygon covers (rural
 *                   ones too with rural = as_urban), so a station can sit
 *                   between two communities rather than only at centres.
 * With candidates_only = true only existing and user candidates are used.
 * Every site but an existing one is dropped when an exclusion polygon covers
 * it (counted in nexcluded; a user candidate dropped so is also warned).
 *
 * Villages under rural = one_per_village must be able to host their own
 * station: when a village's representative point is excluded, the nearest
 * non-excluded point of a grid refined down to 1/64 of the spacing inside
 * the village replaces it; if there is none (or the village is a point), the
 * representative point is kept inside the exclusion with a warning
 * (nforced).
 *
 * site.unit is the unit whose representative or grid point the site is or
 * absorbed, else the lowest-index polygon covering it (STRtree + prepared
 * geometry), else -1. The table lists existing sites first in input order,
 * then the rest sorted by (x, y), so it does not depend on unit order.
 */
#include "sites.h"
#include "grow.h"
#include "rules.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cellgrid.h"
#include "geom_int.h"
#include "order.h"
#include "names.h"

#define SITES_MERGE_M   1.0
#define FALLBACK_LEVELS 7 /* spacing, spacing/2, ..., spacing/64 */

typedef struct raw_site {
	double x, y;
	site_source source;
	int hint;      /* unit whose representative/grid point this is or absorbed, -1 */
	long long fid; /* layer fid for existing/candidates, -1 */
	size_t order;  /* position in its source, for stable ties */
	int kept;      /* SITE_KEPT_*: from input.keep */
} raw_site;

typedef struct raw_vec {
	raw_site *v;
	size_t n, cap;
} raw_vec;

/* Everything sites_build() holds while it works, freed in one place. */
typedef struct builder {
	const inputs *in;
	const scenario *sc;
	status *st;
	geos_ctx *g;             /* the prepared units' context */
	const geom_index *units; /* the prepared units */
	const demand *d;         /* their representative points */
	geom_index excl;
	raw_vec raw;
	double *xy; /* scratch for grid points */
	size_t nxy, capxy;
	site_table *out;
} builder;

const char *site_source_name(site_source s)
{
	static const char *const names[] = {
	    [SITE_REPRESENTATIVE] = "representative",
	    [SITE_GRID] = "grid",
	    [SITE_CANDIDATE] = "candidate",
	    [SITE_EXISTING] = "existing",
	};
	return NAMES_GET(names, s);
}

/* existing 0 > candidate 1 > representative 2 > grid 3 */
static int priority(site_source s)
{
	static const int p[] = {2, 3, 1, 0};
	return p[s];
}

static status_code push_raw(builder *b, double x, double y, site_source src, int hint,
                            long long fid, size_t order)
{
	raw_vec *r = &b->raw;
	if (grow_reserve(&r->v, &r->cap, r->n + 1, sizeof(*r->v)) != 0)
		return status_fail(b->st, STATUS_INTERNAL, "out of memory");
	r->v[r->n++] = (raw_site){x, y, src, hint, fid, order, SITE_KEPT_NONE};
	return STATUS_OK;
}

/* 1 if an exclusion polygon covers (x, y), 0 if not, -1 on a GEOS error. */
static int excluded(builder *b, double x, double y)
{
	int e = geom_index_locate(b->g, &b->excl, x, y, b->st);
	return e == -2 ? -1 : e >= 0;
}

/* Whether point i of `ps` (layer `name`, feature `fid`) may stand as a
 * site: *ok = 1, or 0 when `exclusions` and it lies inside one (counted and
 * warned "<name> fid <fid>: <what> inside an exclusion, dropped"). Returns
 * STATUS_INPUT for coordinates not finite (b->st set), STATUS_INTERNAL when
 * the exclusion test failed. */
static status_code admit_point(builder *b, const point_set *ps, size_t i, const char *name,
                               long long fid, int exclusions, const char *what, int *ok)
{
	if (!isfinite(ps->x[i]) || !isfinite(ps->y[i]))
		return status_fail(b->st, STATUS_INPUT, "%s fid %lld: coordinates not finite", name,
		                   fid);
	int e = exclusions ? excluded(b, ps->x[i], ps->y[i]) : 0;
	if (e < 0)
		return STATUS_INTERNAL;
	if (e) {
		b->out->nexcluded++;
		status_problem_add(b->st, SEV_WARNING, "sites",
		                   "%s fid %lld: %s inside an exclusion, dropped", name, fid, what);
	}
	*ok = !e;
	return STATUS_OK;
}

static const char *layer_name(const point_set *ps, const char *role, char *buf, size_t size)
{
	if (ps->source && ps->source[0])
		snprintf(buf, size, "%s%s%s", ps->source, ps->layer && ps->layer[0] ? ":" : "",
		         ps->layer ? ps->layer : "");
	else
		snprintf(buf, size, "%s", role);
	return buf;
}

static status_code add_points(builder *b, const point_set *ps, site_source src)
{
	char name[512];
	layer_name(ps, src == SITE_EXISTING ? "existing" : "candidates", name, sizeof(name));
	for (size_t i = 0; i < ps->n; i++) {
		long long fid = ps->fid ? ps->fid[i] : (long long)i;
		int ok;
		status_code rc =
		    admit_point(b, ps, i, name, fid, src != SITE_EXISTING, "candidate site", &ok);
		if (rc != STATUS_OK)
			return rc;
		if (!ok)
			continue;
		if (push_raw(b, ps->x[i], ps->y[i], src, -1, fid, i) != STATUS_OK)
			return STATUS_INTERNAL;
	}
	return STATUS_OK;
}

/* Nearest non-excluded point inside village u on a grid refined from the
 * candidate spacing, or *found = 0. */
static status_code village_fallback(builder *b, size_t u, double rx, double ry, const char *label,
                                    int *found, double *fx, double *fy)
{
	double xmin, ymin, xmax, ymax;
	*found = 0;
	geos_ctx_clear(b->g);
	if (!GEOSGeom_getExtent_r(geos_ctx_handle(b->g), b->units->geom[u], &xmin, &ymin, &xmax,
	                          &ymax))
		return geos_ctx_fail(b->g, b->st, STATUS_INTERNAL, "%s: no extent", label);
	double s = b->sc->candidate_spacing_m;
	for (int level = 0; level < FALLBACK_LEVELS && !*found; level++, s /= 2) {
		if ((xmax - xmin) / s * ((ymax - ymin) / s) > SITES_GRID_MAX_POINTS / 4)
			break;
		b->nxy = 0;
		status_code rc =
		    grid_points(b->g, b->units->geom[u], b->units->prep[u], s,
		                "candidate_spacing_m", label, &b->xy, &b->nxy, &b->capxy, b->st);
		if (rc != STATUS_OK)
			return rc;
		double best = INFINITY;
		for (size_t k = 0; k < b->nxy; k++) {
			double x = b->xy[2 * k], y = b->xy[2 * k + 1];
			int e = excluded(b, x, y);
			if (e < 0)
				return STATUS_INTERNAL;
			double d = hypot(x - rx, y - ry);
			if (!e && d < best) {
				best = d;
				*fx = x;
				*fy = y;
				*found = 1;
			}
		}
	}
	return STATUS_OK;
}

/* Representative point of unit u (with the village fallback), then its grid. */
static status_code add_unit(builder *b, size_t u)
{
	const unit *un = &b->in->units[u];
	char label[256];
	unit_label(un, label, sizeof(label));
	double x = b->d->rx[u], y = b->d->ry[u];
	status_code rc = STATUS_OK;
	int village = rules_unit_is_village(b->sc, un->kind);
	int e = excluded(b, x, y);
	if (e < 0)
		return STATUS_INTERNAL;
	if (!e) {
		rc = push_raw(b, x, y, SITE_REPRESENTATIVE, (int)u, -1, u);
	} else if (village) {
		int found;
		double fx = 0, fy = 0;
		rc = village_fallback(b, u, x, y, label, &found, &fx, &fy);
		if (rc == STATUS_OK && found) {
			b->out->nexcluded++;
			rc = push_raw(b, fx, fy, SITE_GRID, (int)u, -1, u);
		} else if (rc == STATUS_OK) {
			b->out->nforced++;
			status_problem_add(b->st, SEV_WARNING, "sites",
			                   "village %s: no site outside the exclusions, its "
			                   "representative point is kept inside one",
			                   label + strlen("unit "));
			rc = push_raw(b, x, y, SITE_REPRESENTATIVE, (int)u, -1, u);
		}
	} else {
		b->out->nexcluded++;
	}
	if (rc != STATUS_OK || village ||
	    GEOSGeomTypeId_r(geos_ctx_handle(b->g), b->units->geom[u]) == GEOS_POINT)
		return rc;
	b->nxy = 0;
	rc = grid_points(b->g, b->units->geom[u], b->units->prep[u], b->sc->candidate_spacing_m,
	                 "candidate_spacing_m", label, &b->xy, &b->nxy, &b->capxy, b->st);
	for (size_t k = 0; k < b->nxy && rc == STATUS_OK; k++) {
		double gx = b->xy[2 * k], gy = b->xy[2 * k + 1];
		if ((e = excluded(b, gx, gy)) < 0)
			return STATUS_INTERNAL;
		if (e)
			b->out->nexcluded++;
		else
			rc = push_raw(b, gx, gy, SITE_GRID, (int)u, -1, k);
	}
	return rc;
}

/* Merge order: priority, then existing in input order, the rest by (x, y). */
static int merge_cmp(const void *pa, const void *pb)
{
	const raw_site *a = pa, *b = pb;
	int pa_ = priority(a->source), pb_ = priority(b->source);
	if (pa_ != pb_)
		return pa_ - pb_;
	int c = a->source == SITE_EXISTING ? 0
	                                   : order_by(ORDER_CMP(a->x, b->x), ORDER_CMP(a->y, b->y),
	                                              ORDER_CMP(a->hint, b->hint));
	return c ? c : ORDER_CMP(a->order, b->order);
}

/* Table order: existing first (merge order), then (x, y). */
static int table_cmp(const void *pa, const void *pb)
{
	const raw_site *a = pa, *b = pb;
	int ea = a->source == SITE_EXISTING, eb = b->source == SITE_EXISTING;
	if (ea != eb)
		return eb - ea;
	if (ea)
		return ORDER_CMP(a->order, b->order);
	return order_by(ORDER_CMP(a->x, b->x), ORDER_CMP(a->y, b->y), merge_cmp(pa, pb));
}

typedef struct merge_arg {
	const raw_site *v;
	const unsigned char *kept;
	double x, y;
	cellgrid_best best;
} merge_arg;

static int merge_visit(int j, void *arg)
{
	merge_arg *m = arg;
	if (!m->kept[j])
		return 0;
	double d = hypot(m->v[j].x - m->x, m->v[j].y - m->y);
	if (d <= SITES_MERGE_M)
		cellgrid_offer(&m->best, j, d);
	return 0;
}

/* Greedy merge in priority order: a site within SITES_MERGE_M of an already
 * kept one is dropped into the nearest such. Existing sites are never
 * dropped. Compacts b->raw to the kept sites. */
static status_code merge_close(builder *b)
{
	raw_vec *r = &b->raw;
	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), merge_cmp);
	double *x = malloc((r->n ? r->n : 1) * sizeof(double));
	double *y = malloc((r->n ? r->n : 1) * sizeof(double));
	unsigned char *kept = calloc(r->n ? r->n : 1, 1);
	cellgrid cg = {0};
	status_code rc = STATUS_OK;
	if (!x || !y || !kept) {
		rc = status_fail(b->st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < r->n; i++) {
		x[i] = r->v[i].x;
		y[i] = r->v[i].y;
	}
	if (cellgrid_build(&cg, x, y, r->n, SITES_MERGE_M) != 0) {
		rc = status_fail(b->st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].source == SITE_EXISTING) {
			kept[i] = 1;
			continue;
		}
		merge_arg m = {r->v, kept, r->v[i].x, r->v[i].y, {-1, INFINITY}};
		double e = SITES_MERGE_M * (1 + 1e-9);
		cellgrid_query(&cg, m.x - e, m.y - e, m.x + e, m.y + e, merge_visit, &m);
		int into = m.best.item;
		if (into < 0) {
			kept[i] = 1;
			continue;
		}
		b->out->nmerged++;
		if (r->v[into].hint < 0)
			r->v[into].hint = r->v[i].hint;
	}
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		if (kept[i])
			r->v[n++] = r->v[i];
	r->n = n;
out:
	cellgrid_free(&cg);
	free(x);
	free(y);
	free(kept);
	return rc;
}

/* input.keep: the edited plan's stations, locked ones as fixed-open
 * (SITE_EXISTING, after the existing layer's, kept even inside an
 * exclusion), the others as candidates (dropped inside one, warned). */
static status_code add_kept(builder *b)
{
	const point_set *ps = &b->in->keep;
	char name[512];
	layer_name(ps, "keep", name, sizeof(name));
	for (size_t i = 0; i < ps->n; i++) {
		int locked = b->in->keep_locked[i] != 0, ok;
		status_code rc = admit_point(b, ps, i, name, ps->fid[i], !locked,
		                             "kept station (not locked)", &ok);
		if (rc != STATUS_OK)
			return rc;
		if (!ok)
			continue;
		site_source src = locked ? SITE_EXISTING : SITE_CANDIDATE;
		size_t order = locked ? b->in->existing.n + i : i;
		if (push_raw(b, ps->x[i], ps->y[i], src, -1, ps->fid[i], order) != STATUS_OK)
			return STATUS_INTERNAL;
		b->raw.v[b->raw.n - 1].kept = locked ? SITE_KEPT_LOCKED : SITE_KEPT_FREE;
	}
	return STATUS_OK;
}

/* 1 when a site other than raw site `skip` and not marked in `gone` lies
 * within `d` metres of (x, y). */
static int other_site_near(const raw_vec *r, const unsigned char *gone, size_t skip, double x,
                           double y, double d)
{
	for (size_t j = 0; j < r->n; j++)
		if (j != skip && !gone[j] && hypot(r->v[j].x - x, r->v[j].y - y) <= d)
			return 1;
	return 0;
}

/* 1 when village `u` has a site other than `skip` not marked in `gone`. */
static int village_has_site(const raw_vec *r, const unsigned char *gone, size_t skip, int u)
{
	for (size_t j = 0; j < r->n; j++)
		if (j != skip && !gone[j] && r->v[j].hint == u)
			return 1;
	return 0;
}

/* The planner's edits: generated and candidate sites within
 * SITES_KEEP_NEAR_M of a kept station give way to it; those within
 * SITES_KEEP_NEAR_M of a deleted station are dropped, unless dropping one
 * leaves no site within walk_distance_m of it, or its village without a site
 * (one station per village): then it stays, with a warning. */
static status_code keep_edits(builder *b)
{
	raw_vec *r = &b->raw;
	const point_set *del = &b->in->keep_deleted;
	if (!*b->sc->keep || r->n == 0)
		return STATUS_OK;
	unsigned char *gone = calloc(r->n, 1);
	if (!gone)
		return status_fail(b->st, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < r->n; i++) {
		const raw_site *s = &r->v[i];
		if (s->kept || s->source == SITE_EXISTING)
			continue;
		for (size_t j = 0; j < r->n && !gone[i]; j++)
			gone[i] = r->v[j].kept &&
			          hypot(r->v[j].x - s->x, r->v[j].y - s->y) <= SITES_KEEP_NEAR_M;
	}
	for (size_t i = 0; i < r->n; i++) {
		const raw_site *s = &r->v[i];
		if (s->kept || s->source == SITE_EXISTING || gone[i])
			continue;
		for (size_t k = 0; k < del->n; k++) {
			if (hypot(del->x[k] - s->x, del->y[k] - s->y) > SITES_KEEP_NEAR_M)
				continue;
			int village = s->hint >= 0 &&
			              rules_unit_is_village(b->sc, b->in->units[s->hint].kind);
			const char *why =
			    !other_site_near(r, gone, i, s->x, s->y, b->sc->walk_distance_m)
			        ? "no other site within walk_distance_m"
			    : village && !village_has_site(r, gone, i, s->hint)
			        ? "its village has no other site"
			        : NULL;
			if (why) {
				b->out->nreproposed++;
				status_problem_add(
				    b->st, SEV_WARNING, "keep",
				    "%s: deleted station %s: a site %.0f m from it is "
				    "proposed again (%s)",
				    b->sc->keep, del->id[k],
				    hypot(del->x[k] - s->x, del->y[k] - s->y), why);
			} else {
				gone[i] = 2;
				b->out->navoided++;
			}
			break;
		}
	}
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		if (!gone[i])
			r->v[n++] = r->v[i];
	r->n = n;
	free(gone);
	return STATUS_OK;
}

static status_code fill_table(builder *b)
{
	raw_vec *r = &b->raw;
	site_table *t = b->out;
	if (r->n > 1)
		qsort(r->v, r->n, sizeof(*r->v), table_cmp);
	t->sites = malloc((r->n ? r->n : 1) * sizeof(*t->sites));
	if (*b->sc->keep)
		t->kept = calloc(r->n ? r->n : 1, 1);
	if (!t->sites || (*b->sc->keep && !t->kept))
		return status_fail(b->st, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < r->n; i++) {
		const raw_site *s = &r->v[i];
		int u = s->hint;
		if (u < 0 && (u = geom_index_locate(b->g, b->units, s->x, s->y, b->st)) == -2)
			return STATUS_INTERNAL;
		t->sites[i] = (site){s->x, s->y, s->source, u, s->fid};
		t->nsource[s->source]++;
		if (t->kept) {
			t->kept[i] = (unsigned char)s->kept;
			t->nkept_locked += s->kept == SITE_KEPT_LOCKED;
			t->nkept_free += s->kept == SITE_KEPT_FREE;
		}
	}
	t->n = r->n;
	return STATUS_OK;
}

status_code sites_build(const inputs *in, const scenario *sc, const unit_geom *ug, site_table *out,
                        status *st)
{
	memset(out, 0, sizeof(*out));
	assert(sc->candidate_spacing_m > 0 && isfinite(sc->candidate_spacing_m));
	assert(ug->units.n == in->nunits);
	status_code rc = STATUS_OK;
	builder b = {.in = in, .sc = sc, .st = st, .out = out};
	b.g = ug->g; /* one thread at a time: see unit_geom.h */
	b.units = &ug->units;
	b.d = &ug->d;
	rc = geom_index_polys(b.g, &in->exclude, &b.excl, st);
	if (rc == STATUS_OK)
		rc = add_points(&b, &in->existing, SITE_EXISTING);
	if (rc == STATUS_OK)
		rc = add_points(&b, &in->candidates, SITE_CANDIDATE);
	if (rc == STATUS_OK)
		rc = add_kept(&b);
	for (size_t u = 0; u < in->nunits && rc == STATUS_OK && !sc->candidates_only; u++) {
		rc = add_unit(&b, u);
		if (rc == STATUS_OK)
			rc = geom_deadline_check(ug, "sites", u + 1, in->nunits, sc, st);
	}
	if (rc == STATUS_OK)
		rc = merge_close(&b);
	if (rc == STATUS_OK)
		rc = keep_edits(&b);
	if (rc == STATUS_OK)
		rc = fill_table(&b);
	free(b.raw.v);
	free(b.xy);
	geom_index_free(b.g, &b.excl);
	if (rc != STATUS_OK)
		sites_free(out);
	return rc;
}

void sites_free(site_table *t)
{
	free(t->sites);
	free(t->kept);
	memset(t, 0, sizeof(*t));
}
