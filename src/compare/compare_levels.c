/*
 * compare_levels.c: `compare` for the upper levels (transfer stations,
 * sorting centres, ...): per level, the facilities, existing ones, load
 * and load-weighted mean distance of each plan, and which facilities were
 * kept (a facility of B within the tolerance of one of A's, each of A's
 * matched once, nearest first), added or removed. See include/compare.h.
 */
#include "compare.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const planfile_level *find(const planfile *p, const char *name)
{
	for (size_t i = 0; i < p->nlevels; i++)
		if (!strcmp(p->levels[i].name, name))
			return &p->levels[i];
	return NULL;
}

static int match(const planfile_level *a, const planfile_level *b, double tol, compare_level *c)
{
	unsigned char *used = calloc((size_t)a->facilities + 1, 1);
	if (!used)
		return -1;
	for (long j = 0; j < b->facilities; j++) {
		long best = -1;
		double bd = 0;
		for (long i = 0; i < a->facilities; i++) {
			double d = hypot(a->x[i] - b->x[j], a->y[i] - b->y[j]);
			if (!used[i] && d <= tol && (best < 0 || d < bd))
				best = i, bd = d;
		}
		if (best >= 0)
			used[best] = 1, c->kept++;
	}
	c->added = (size_t)b->facilities - c->kept;
	c->removed = (size_t)a->facilities - c->kept;
	free(used);
	return 0;
}

static void side(compare_level *c, int k, const planfile_level *l)
{
	if (!l)
		return;
	c->present[k] = 1;
	c->facilities[k] = l->facilities;
	c->existing[k] = l->existing;
	c->households[k] = l->households;
	c->mean_distance_m[k] = l->mean_distance_m;
}

int compare_levels(const planfile *a, const planfile *b, compare_result *r)
{
	r->levels = calloc(a->nlevels + b->nlevels + 1, sizeof(*r->levels));
	if (!r->levels)
		return -1;
	for (size_t k = 0; k < 2; k++) {
		const planfile *p = k ? b : a;
		for (size_t i = 0; i < p->nlevels; i++) {
			const char *name = p->levels[i].name;
			if (k && find(a, name))
				continue;
			compare_level *c = &r->levels[r->nlevels++];
			const planfile_level *la = find(a, name), *lb = find(b, name);
			c->name = name;
			side(c, 0, la);
			side(c, 1, lb);
			if (la && lb) {
				if (match(la, lb, r->tolerance_m, c))
					return -1;
			} else {
				c->added = lb ? (size_t)lb->facilities : 0;
				c->removed = la ? (size_t)la->facilities : 0;
			}
		}
	}
	return 0;
}

int compare_levels_print(const compare_result *r, table_format fmt, FILE *out)
{
	static const char *const cols[][2] = {{"level", "level"},
	                                      {"fac A", "facilities_a"},
	                                      {"fac B", "facilities_b"},
	                                      {"Δ", "facilities_delta"},
	                                      {"exist A", "existing_a"},
	                                      {"exist B", "existing_b"},
	                                      {"hh A", "households_a"},
	                                      {"hh B", "households_b"},
	                                      {"dist A", "mean_distance_m_a"},
	                                      {"dist B", "mean_distance_m_b"},
	                                      {"kept", "kept"},
	                                      {"added", "added"},
	                                      {"removed", "removed"}};
	size_t nc = sizeof(cols) / sizeof(cols[0]);
	if (!r->nlevels)
		return 0;
	fprintf(out,
	        fmt == TABLE_MD ? "\n### Upper levels\n\n"
	                        : "\nupper levels (kept: within %g m):\n",
	        r->tolerance_m);
	table t;
	table_init(&t, nc);
	for (size_t c = 0; c < nc; c++)
		table_column(&t, c, cols[c][0], cols[c][1], c ? TABLE_RIGHT : TABLE_LEFT);
	for (size_t i = 0; i < r->nlevels; i++) {
		const compare_level *l = &r->levels[i];
		size_t c = 0;
		table_row(&t);
		table_cell(&t, c++, "%s", l->name);
		for (int k = 0; k < 2; k++)
			table_cell(&t, c++, l->present[k] ? "%ld" : "-", l->facilities[k]);
		long d = l->facilities[1] - l->facilities[0];
		table_cell(&t, c++, d ? "%+ld" : "%ld", d);
		for (int k = 0; k < 2; k++)
			table_cell(&t, c++, "%ld", l->existing[k]);
		for (int k = 0; k < 2; k++)
			table_cell(&t, c++, "%ld", l->households[k]);
		for (int k = 0; k < 2; k++)
			table_cell(&t, c++, "%.0f", l->mean_distance_m[k]);
		table_cell(&t, c++, "%zu", l->kept);
		table_cell(&t, c++, "%zu", l->added);
		table_cell(&t, c++, "%zu", l->removed);
	}
	int rc = table_print(&t, fmt, out);
	table_free(&t);
	return rc;
}
