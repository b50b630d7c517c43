/*
 * compare_phases.c: the phases of two phased plans side by side: per year
 * (0 = the existing stations alone), the stations open, opened in the
 * phase, the households served and their share, in A and in B. A year only
 * one plan has shows "-" for the other.
 */
#include "compare.h"

#include <stdlib.h>

static compare_phase *find(compare_phase *p, size_t n, int year)
{
	for (size_t i = 0; i < n; i++)
		if (p[i].year == year)
			return &p[i];
	return NULL;
}

static int cmp_year(const void *x, const void *y)
{
	const compare_phase *a = x, *b = y;
	return (a->year > b->year) - (a->year < b->year);
}

int compare_phases_build(const planfile *a, const planfile *b, compare_result *out)
{
	size_t n = a->nphases + b->nphases;
	if (n == 0)
		return 0;
	out->phases = calloc(n, sizeof(*out->phases));
	if (!out->phases)
		return -1;
	for (int side = 0; side < 2; side++) {
		const planfile *p = side ? b : a;
		for (size_t i = 0; i < p->nphases; i++) {
			compare_phase *c = find(out->phases, out->nphases, p->phases[i].year);
			if (!c) {
				c = &out->phases[out->nphases++];
				c->year = p->phases[i].year;
			}
			if (side) {
				c->in_b = 1;
				c->b = p->phases[i];
			} else {
				c->in_a = 1;
				c->a = p->phases[i];
			}
		}
	}
	qsort(out->phases, out->nphases, sizeof(*out->phases), cmp_year);
	return 0;
}

static void cell(table *t, size_t col, int have, const char *fmt, double v)
{
	if (have)
		table_cell(t, col, fmt, v);
	else
		table_cell(t, col, "%s", "-");
}

int compare_phases_print(const compare_result *r, table_format fmt, FILE *out)
{
	static const char *const cols[][2] = {
	    {"phase", "phase"},          {"st A", "stations_a"},      {"st B", "stations_b"},
	    {"new A", "new_stations_a"}, {"new B", "new_stations_b"}, {"hh A", "households_a"},
	    {"hh B", "households_b"},    {"share A", "share_a"},      {"share B", "share_b"},
	};
	table t;
	table_init(&t, 9);
	for (size_t i = 0; i < 9; i++)
		table_column(&t, i, cols[i][0], cols[i][1], i ? TABLE_RIGHT : TABLE_LEFT);
	for (size_t i = 0; i < r->nphases; i++) {
		const compare_phase *p = &r->phases[i];
		table_row(&t);
		if (p->year)
			table_cell(&t, 0, "%d", p->year);
		else
			table_cell(&t, 0, "%s", "existing");
		cell(&t, 1, p->in_a, "%.0f", (double)p->a.stations);
		cell(&t, 2, p->in_b, "%.0f", (double)p->b.stations);
		cell(&t, 3, p->in_a, "%.0f", (double)p->a.new_stations);
		cell(&t, 4, p->in_b, "%.0f", (double)p->b.new_stations);
		cell(&t, 5, p->in_a, "%.0f", (double)p->a.households);
		cell(&t, 6, p->in_b, "%.0f", (double)p->b.households);
		cell(&t, 7, p->in_a, "%.1f%%", 100.0 * p->a.share);
		cell(&t, 8, p->in_b, "%.1f%%", 100.0 * p->b.share);
	}
	int rc = table_print(&t, fmt, out);
	table_free(&t);
	return rc;
}
