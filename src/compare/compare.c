/*
 * compare.c: the difference between two plans, on plain tables. See
 * include/compare.h.
 *
 * Three parts, each independent of the others:
 *
 *   params   the run records' "section.key = value" lines, diffed by key;
 *   groups   every station, assignment row and uncovered unit is counted in
 *            its (district[, street]) group, for A and for B; groups are the
 *            sorted union of the keys met, so a district that only one plan
 *            mentions still gets a row;
 *   changes  station matching in two greedy passes over candidate pairs
 *            sorted by (distance, A's station_id, B's station_id): first
 *            pairs within the tolerance (kept), then among the stations left,
 *            pairs within A's walking distance (moved). Greedy on a global
 *            order is one-to-one and deterministic; it is not a minimum-cost
 *            assignment, which planners would find harder to explain ("this
 *            station moved to its nearest free counterpart"). Candidate pairs
 *            come from a grid of cell >= radius, so the work grows with the
 *            number of nearby pairs, not with |A| * |B|.
 */
#include "compare.h"
#include "grow.h"
#include "order.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void compare_options_init(compare_options *opt)
{
	opt->by = COMPARE_BY_DISTRICT;
	opt->tolerance_m = 50.0;
}

double compare_side_households_per_station(const compare_side *s)
{
	return s->stations ? (double)s->served / (double)s->stations : 0.0;
}

double compare_side_mean_walk(const compare_side *s)
{
	return s->walk_hh ? s->walk_sum / (double)s->walk_hh : 0.0;
}

const char *compare_change_name(compare_change_kind k)
{
	static const char *names[] = {"kept", "moved", "removed", "added"};
	return names[k];
}

void compare_result_free(compare_result *r)
{
	for (size_t i = 0; i < r->nparams; i++)
		GROW_FREE(r->params[i].key, r->params[i].a, r->params[i].b);
	for (size_t i = 0; i < r->ngroups; i++)
		GROW_FREE(r->groups[i].district, r->groups[i].street);
	GROW_FREE(r->total.district, r->total.street, r->params, r->groups, r->changes, r->levels,
	          r->phases);
	memset(r, 0, sizeof(*r));
}

/* ---- parameters --------------------------------------------------------- */

typedef struct kv {
	const char *key, *val; /* into a copy of the text */
} kv;

/* Split "key = value" lines of `text` (copied into *buf) into *out. Lines
 * without " = " are ignored. Returns the count, or -1 out of memory. */
static long parse_params(const char *text, char **buf, kv **out)
{
	*out = NULL;
	*buf = strdup(text ? text : "");
	if (!*buf)
		return -1;
	size_t n = 0, cap = 0;
	for (char *line = *buf, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *eq = strstr(line, " = ");
		if (!eq)
			continue;
		*eq = '\0';
		size_t l = strlen(eq + 3);
		if (l && eq[3 + l - 1] == '\r')
			eq[3 + l - 1] = '\0';
		if (grow_reserve(out, &cap, n + 1, sizeof(**out)) != 0)
			return -1;
		(*out)[n++] = (kv){line, eq + 3};
	}
	return (long)n;
}

static const char *kv_find(const kv *list, long n, const char *key)
{
	for (long i = 0; i < n; i++)
		if (!strcmp(list[i].key, key))
			return list[i].val;
	return NULL;
}

static int param_add(compare_result *r, const char *key, const char *a, const char *b)
{
	if (grow_to(&r->params, r->nparams + 1, sizeof(*r->params)) != 0)
		return -1;
	compare_param *p = &r->params[r->nparams];
	p->key = strdup(key);
	p->a = a ? strdup(a) : NULL;
	p->b = b ? strdup(b) : NULL;
	r->nparams++;
	return (!p->key || (a && !p->a) || (b && !p->b)) ? -1 : 0;
}

/* Keys of A in A's order (the scenario key order), then keys only in B. */
static int diff_params(const planfile *a, const planfile *b, compare_result *r)
{
	char *bufa = NULL, *bufb = NULL;
	kv *ka = NULL, *kb = NULL;
	long na = parse_params(a->parameters, &bufa, &ka);
	long nb = na < 0 ? -1 : parse_params(b->parameters, &bufb, &kb);
	int rc = na < 0 || nb < 0 ? -1 : 0;
	for (long i = 0; rc == 0 && i < na; i++) {
		const char *vb = kv_find(kb, nb, ka[i].key);
		if (!vb || strcmp(vb, ka[i].val))
			rc = param_add(r, ka[i].key, ka[i].val, vb);
	}
	for (long i = 0; rc == 0 && i < nb; i++)
		if (!kv_find(ka, na, kb[i].key))
			rc = param_add(r, kb[i].key, NULL, kb[i].val);
	free(bufa);
	free(bufb);
	free(ka);
	free(kb);
	return rc;
}

/* ---- groups -------------------------------------------------------------- */

typedef struct gkey {
	const char *district, *street;
} gkey;

static int gkey_cmp(const void *x, const void *y)
{
	const gkey *a = x, *b = y;
	int c = strcmp(a->district, b->district);
	return c ? c : strcmp(a->street, b->street);
}

typedef struct gkeys {
	gkey *k;
	size_t n, cap;
	compare_by by;
} gkeys;

static int gkeys_add(gkeys *g, const char *district, const char *street)
{
	if (grow_reserve(&g->k, &g->cap, g->n + 1, sizeof(*g->k)) != 0)
		return -1;
	g->k[g->n++] =
	    (gkey){district ? district : "", g->by == COMPARE_BY_STREET && street ? street : ""};
	return 0;
}

static int gkeys_collect(gkeys *g, const planfile *p)
{
	for (size_t i = 0; i < p->nstations; i++)
		if (gkeys_add(g, p->stations[i].district, p->stations[i].street))
			return -1;
	for (size_t i = 0; i < p->nassign; i++)
		if (gkeys_add(g, p->assign[i].district, p->assign[i].street))
			return -1;
	for (size_t i = 0; i < p->nuncovered; i++)
		if (gkeys_add(g, p->uncovered[i].district, p->uncovered[i].street))
			return -1;
	return 0;
}

static compare_group *group_of(const compare_result *r, const gkey *keys, const char *district,
                               const char *street)
{
	gkey k = {district ? district : "", r->by == COMPARE_BY_STREET && street ? street : ""};
	const gkey *hit = bsearch(&k, keys, r->ngroups, sizeof(*keys), gkey_cmp);
	return hit ? &r->groups[hit - keys] : NULL;
}

static void side_station(compare_side *s, const planfile_station *st)
{
	s->stations++;
	s->served += st->households;
	s->underfilled += st->underfilled != 0;
}

static void side_assign(compare_side *s, const planfile_assign *a)
{
	s->walk_sum += (double)a->households * a->distance_m;
	s->walk_hh += a->households;
	if (a->distance_m > s->max_walk_m)
		s->max_walk_m = a->distance_m;
}

/* Count plan `p` into side `which` (0 = A, 1 = B) of every group and the total. */
static void count_plan(compare_result *r, const gkey *keys, const planfile *p, int which)
{
#define SIDE(g) ((which) ? &(g)->b : &(g)->a)
	for (size_t i = 0; i < p->nstations; i++) {
		const planfile_station *s = &p->stations[i];
		side_station(SIDE(group_of(r, keys, s->district, s->street)), s);
		side_station(SIDE(&r->total), s);
	}
	for (size_t i = 0; i < p->nassign; i++) {
		const planfile_assign *a = &p->assign[i];
		side_assign(SIDE(group_of(r, keys, a->district, a->street)), a);
		side_assign(SIDE(&r->total), a);
	}
	for (size_t i = 0; i < p->nuncovered; i++) {
		const planfile_uncovered *u = &p->uncovered[i];
		SIDE(group_of(r, keys, u->district, u->street))->uncovered_households +=
		    u->households;
		SIDE(&r->total)->uncovered_households += u->households;
	}
#undef SIDE
}

static int build_groups(const planfile *a, const planfile *b, compare_result *r)
{
	gkeys g = {NULL, 0, 0, r->by};
	if (gkeys_collect(&g, a) || gkeys_collect(&g, b)) {
		free(g.k);
		return -1;
	}
	if (g.n)
		qsort(g.k, g.n, sizeof(*g.k), gkey_cmp);
	size_t n = 0;
	for (size_t i = 0; i < g.n; i++)
		if (n == 0 || gkey_cmp(&g.k[n - 1], &g.k[i]))
			g.k[n++] = g.k[i];
	r->groups = calloc(n ? n : 1, sizeof(*r->groups));
	if (!r->groups) {
		free(g.k);
		return -1;
	}
	r->ngroups = n;
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		r->groups[i].district = strdup(g.k[i].district);
		r->groups[i].street = strdup(g.k[i].street);
		if (!r->groups[i].district || !r->groups[i].street)
			rc = -1;
	}
	r->total.district = strdup("");
	r->total.street = strdup("");
	if (!r->total.district || !r->total.street)
		rc = -1;
	if (rc == 0) {
		count_plan(r, g.k, a, 0);
		count_plan(r, g.k, b, 1);
	}
	free(g.k);
	return rc;
}

/* ---- station matching ---------------------------------------------------- */

typedef struct cell_entry {
	long cx, cy;
	size_t idx;
} cell_entry;

ORDER_BY_FIELDS(cell_cmp, cell_entry, cx, cy, idx)

typedef struct pair {
	double d;
	long ida, idb;
	size_t a, b;
} pair;

ORDER_BY_FIELDS(pair_cmp, pair, d, ida, idb)

typedef struct pairs {
	pair *p;
	size_t n, cap;
} pairs;

static int pairs_add(pairs *ps, pair p)
{
	if (grow_reserve(&ps->p, &ps->cap, ps->n + 1, sizeof(*ps->p)) != 0)
		return -1;
	ps->p[ps->n++] = p;
	return 0;
}

/* First entry of cell (cx, cy) in the sorted grid, or n. */
static size_t cell_first(const cell_entry *grid, size_t n, long cx, long cy)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (grid[mid].cx < cx || (grid[mid].cx == cx && grid[mid].cy < cy))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Candidate pairs (a, b) of stations not yet matched, within `radius`. */
static int near_pairs(const planfile *a, const planfile *b, const unsigned char *useda,
                      const unsigned char *usedb, double radius, pairs *out)
{
	double cell = radius > 1.0 ? radius : 1.0;
	double ox = INFINITY, oy = INFINITY;
	for (size_t i = 0; i < b->nstations; i++) {
		ox = fmin(ox, b->stations[i].x);
		oy = fmin(oy, b->stations[i].y);
	}
	cell_entry *grid = malloc((b->nstations ? b->nstations : 1) * sizeof(*grid));
	if (!grid)
		return -1;
	size_t n = 0;
	for (size_t i = 0; i < b->nstations; i++)
		if (!usedb[i])
			grid[n++] = (cell_entry){(long)floor((b->stations[i].x - ox) / cell),
			                         (long)floor((b->stations[i].y - oy) / cell), i};
	if (n)
		qsort(grid, n, sizeof(*grid), cell_cmp);
	int rc = 0;
	for (size_t i = 0; rc == 0 && n && i < a->nstations; i++) {
		if (useda[i])
			continue;
		const planfile_station *sa = &a->stations[i];
		long cx = (long)floor((sa->x - ox) / cell), cy = (long)floor((sa->y - oy) / cell);
		for (long dx = -1; rc == 0 && dx <= 1; dx++) {
			for (long dy = -1; rc == 0 && dy <= 1; dy++) {
				for (size_t k = cell_first(grid, n, cx + dx, cy + dy);
				     rc == 0 && k < n && grid[k].cx == cx + dx &&
				     grid[k].cy == cy + dy;
				     k++) {
					const planfile_station *sb = &b->stations[grid[k].idx];
					double d = hypot(sa->x - sb->x, sa->y - sb->y);
					if (d <= radius)
						rc = pairs_add(
						    out, (pair){d, sa->id, sb->id, i, grid[k].idx});
				}
			}
		}
	}
	free(grid);
	return rc;
}

static int change_add(compare_result *r, size_t *cap, compare_change c)
{
	if (grow_reserve(&r->changes, cap, r->nchanges + 1, sizeof(*r->changes)) != 0)
		return -1;
	r->changes[r->nchanges++] = c;
	return 0;
}

/* One greedy pass: pairs within `radius` among unmatched stations. */
static int match_pass(const planfile *a, const planfile *b, unsigned char *useda,
                      unsigned char *usedb, double radius, compare_change_kind kind,
                      compare_result *r, size_t *cap)
{
	pairs ps = {0};
	int rc = near_pairs(a, b, useda, usedb, radius, &ps);
	if (rc == 0 && ps.n)
		qsort(ps.p, ps.n, sizeof(*ps.p), pair_cmp);
	for (size_t i = 0; rc == 0 && i < ps.n; i++) {
		const pair *p = &ps.p[i];
		if (useda[p->a] || usedb[p->b])
			continue;
		useda[p->a] = usedb[p->b] = 1;
		rc = change_add(r, cap, (compare_change){kind, p->a, p->b, p->ida, p->idb, p->d});
	}
	free(ps.p);
	return rc;
}

static int change_cmp(const void *x, const void *y)
{
	const compare_change *p = x, *q = y;
	if (p->kind != q->kind)
		return p->kind < q->kind ? -1 : 1;
	long ip = p->kind == CHANGE_ADDED ? p->b_id : p->a_id;
	long iq = q->kind == CHANGE_ADDED ? q->b_id : q->a_id;
	return ip < iq ? -1 : ip > iq;
}

static int match_stations(const planfile *a, const planfile *b, compare_result *r)
{
	unsigned char *useda = calloc(a->nstations + 1, 1), *usedb = calloc(b->nstations + 1, 1);
	size_t cap = 0;
	int rc = useda && usedb ? 0 : -1;
	if (rc == 0)
		rc = match_pass(a, b, useda, usedb, r->tolerance_m, CHANGE_KEPT, r, &cap);
	if (rc == 0 && r->walk_distance_m > r->tolerance_m)
		rc = match_pass(a, b, useda, usedb, r->walk_distance_m, CHANGE_MOVED, r, &cap);
	for (size_t i = 0; rc == 0 && i < a->nstations; i++)
		if (!useda[i])
			rc = change_add(r, &cap,
			                (compare_change){CHANGE_REMOVED, i, COMPARE_NONE,
			                                 a->stations[i].id, -1, 0});
	for (size_t i = 0; rc == 0 && i < b->nstations; i++)
		if (!usedb[i])
			rc = change_add(r, &cap,
			                (compare_change){CHANGE_ADDED, COMPARE_NONE, i, -1,
			                                 b->stations[i].id, 0});
	free(useda);
	free(usedb);
	if (rc)
		return rc;
	/* qsort is not stable, but (kind, station id) is unique: ids are unique
	 * within a plan (plan_read checks), kept/moved/removed sort by A's, added by B's. */
	if (r->nchanges)
		qsort(r->changes, r->nchanges, sizeof(*r->changes), change_cmp);
	for (size_t i = 0; i < r->nchanges; i++) {
		size_t *count[] = {&r->nkept, &r->nmoved, &r->nremoved, &r->nadded};
		(*count[r->changes[i].kind])++;
	}
	return 0;
}

/* ---- entry point --------------------------------------------------------- */

static const char *crs_or_unknown(const char *crs)
{
	return crs && *crs ? crs : "an unknown CRS";
}

status_code compare_plans(const planfile *a, const planfile *b, const compare_options *opt,
                          compare_result *out, status *st)
{
	memset(out, 0, sizeof(*out));
	if (strcmp(a->crs ? a->crs : "", b->crs ? b->crs : ""))
		return status_fail(st, STATUS_INPUT,
		                   "'%s' is in %s but '%s' is in %s; re-run one with "
		                   "output.output_crs",
		                   a->path, crs_or_unknown(a->crs), b->path,
		                   crs_or_unknown(b->crs));
	if (a->geographic)
		return status_fail(st, STATUS_INPUT,
		                   "'%s' is in %s, a geographic CRS in degrees; compare needs "
		                   "metric coordinates (re-run with a metric output.output_crs)",
		                   a->path, crs_or_unknown(a->crs));
	out->by = opt->by;
	out->tolerance_m = opt->tolerance_m;
	out->walk_distance_m = a->walk_distance_m;
	if (diff_params(a, b, out) || build_groups(a, b, out) || match_stations(a, b, out) ||
	    compare_levels(a, b, out) || compare_phases_build(a, b, out)) {
		compare_result_free(out);
		return status_fail(st, STATUS_INTERNAL, "compare: out of memory");
	}
	return STATUS_OK;
}
