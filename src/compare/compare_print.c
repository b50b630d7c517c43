/*
 * compare_print.c: rendering a compare_result for a terminal (aligned text),
 * a spreadsheet (CSV: the group table alone) or a report (Markdown). See
 * include/compare.h.
 *
 * Numbers are rounded for reading: households per station and distances to
 * whole units, the station difference signed ("+3", "-2", "0").
 */
#include "compare.h"

#include <stdlib.h>
#include <string.h>

/* The group table's value columns after the key column(s). */
static const struct {
	const char *title, *csv;
} value_cols[] = {
    {"st A", "stations_a"},
    {"st B", "stations_b"},
    {"Δ", "stations_delta"},
    {"hh/st A", "households_per_station_a"},
    {"hh/st B", "households_per_station_b"},
    {"under A", "underfilled_a"},
    {"under B", "underfilled_b"},
    {"walk A", "mean_walk_m_a"},
    {"walk B", "mean_walk_m_b"},
    {"max A", "max_walk_m_a"},
    {"max B", "max_walk_m_b"},
    {"unc hh A", "uncovered_households_a"},
    {"unc hh B", "uncovered_households_b"},
};
#define NVALUE (sizeof(value_cols) / sizeof(value_cols[0]))

static const char legend[] =
    "st: stations; hh/st: households served per station; under: underfilled stations;\n"
    "walk: household-weighted mean walking distance (m); max: longest walk (m);\n"
    "unc hh: households out of reach of any station\n";

/* A derived figure, or "-" ("" in CSV) when it is undefined (no station, no
 * assigned household). */
static void derived_cell(table *t, size_t col, int defined, double v, table_format fmt)
{
	if (defined)
		table_cell(t, col, "%.0f", v);
	else
		table_cell(t, col, "%s", fmt == TABLE_CSV ? "" : "-");
}

static void group_row(table *t, size_t nkey, const compare_group *g, const char *label,
                      table_format fmt)
{
	const compare_side *a = &g->a, *b = &g->b;
	size_t c = 0;
	table_row(t);
	if (label) {
		table_cell(t, c++, "%s", label);
		if (nkey == 2)
			table_cell(t, c++, "%s", "");
	} else {
		table_cell(t, c++, "%s", g->district);
		if (nkey == 2)
			table_cell(t, c++, "%s", g->street);
	}
	table_cell(t, c++, "%ld", a->stations);
	table_cell(t, c++, "%ld", b->stations);
	long d = b->stations - a->stations;
	table_cell(t, c++, d ? "%+ld" : "%ld", d);
	derived_cell(t, c++, a->stations > 0, compare_side_households_per_station(a), fmt);
	derived_cell(t, c++, b->stations > 0, compare_side_households_per_station(b), fmt);
	table_cell(t, c++, "%ld", a->underfilled);
	table_cell(t, c++, "%ld", b->underfilled);
	derived_cell(t, c++, a->walk_hh > 0, compare_side_mean_walk(a), fmt);
	derived_cell(t, c++, b->walk_hh > 0, compare_side_mean_walk(b), fmt);
	derived_cell(t, c++, a->walk_hh > 0, a->max_walk_m, fmt);
	derived_cell(t, c++, b->walk_hh > 0, b->max_walk_m, fmt);
	table_cell(t, c++, "%ld", a->uncovered_households);
	table_cell(t, c++, "%ld", b->uncovered_households);
}

static int print_groups(const compare_result *r, table_format fmt, FILE *out)
{
	size_t nkey = r->by == COMPARE_BY_STREET ? 2 : 1;
	table t;
	table_init(&t, nkey + NVALUE);
	table_column(&t, 0, "district", "district", TABLE_LEFT);
	if (nkey == 2)
		table_column(&t, 1, "street", "street", TABLE_LEFT);
	for (size_t i = 0; i < NVALUE; i++)
		table_column(&t, nkey + i, value_cols[i].title, value_cols[i].csv, TABLE_RIGHT);
	for (size_t i = 0; i < r->ngroups; i++)
		group_row(&t, nkey, &r->groups[i], NULL, fmt);
	table_rule(&t);
	group_row(&t, nkey, &r->total, "total", fmt);
	int rc = table_print(&t, fmt, out);
	table_free(&t);
	return rc;
}

static int print_params(const compare_result *r, table_format fmt, FILE *out)
{
	if (r->nparams == 0) {
		fputs(fmt == TABLE_MD ? "The two runs have the same parameters.\n"
		                      : "same parameters\n",
		      out);
		return 0;
	}
	table t;
	table_init(&t, 3);
	table_column(&t, 0, "parameter", "parameter", TABLE_LEFT);
	table_column(&t, 1, "A", "a", TABLE_LEFT);
	table_column(&t, 2, "B", "b", TABLE_LEFT);
	for (size_t i = 0; i < r->nparams; i++) {
		table_row(&t);
		table_cell(&t, 0, "%s", r->params[i].key);
		table_cell(&t, 1, "%s", r->params[i].a ? r->params[i].a : "(absent)");
		table_cell(&t, 2, "%s", r->params[i].b ? r->params[i].b : "(absent)");
	}
	int rc = table_print(&t, fmt, out);
	table_free(&t);
	return rc;
}

static int print_changes(const compare_result *r, table_format fmt, FILE *out)
{
	table t;
	table_init(&t, 2);
	table_column(&t, 0, "change", "change", TABLE_LEFT);
	table_column(&t, 1, "stations", "stations", TABLE_RIGHT);
	size_t n[] = {r->nkept, r->nmoved, r->nremoved, r->nadded};
	for (int k = CHANGE_KEPT; k <= CHANGE_ADDED; k++) {
		table_row(&t);
		table_cell(&t, 0, "%s", compare_change_name((compare_change_kind)k));
		table_cell(&t, 1, "%zu", n[k]);
	}
	int rc = table_print(&t, fmt, out);
	table_free(&t);
	return rc;
}

int compare_print(const compare_result *r, const planfile *a, const planfile *b, table_format fmt,
                  FILE *out)
{
	if (fmt == TABLE_CSV)
		return print_groups(r, fmt, out);

	const char *by = r->by == COMPARE_BY_STREET ? "street" : "district";
	int md = fmt == TABLE_MD;
	fprintf(out, md ? "A = `%s`, B = `%s` (%s)\n\n" : "A = %s\nB = %s\nCRS %s\n\n", a->path,
	        b->path, a->crs && *a->crs ? a->crs : "unknown");
	fputs(md ? "### Parameters that differ\n\n" : "parameters that differ:\n", out);
	if (print_params(r, fmt, out))
		return -1;
	fprintf(out, md ? "\n### Per %s\n\n" : "\nper %s:\n", by);
	if (print_groups(r, fmt, out))
		return -1;
	fprintf(out, "%s", md ? "\n" : "");
	fputs(legend, out);
	if (r->nphases > 0) {
		fputs(md ? "\n### Phases\n\n" : "\nphases:\n", out);
		if (compare_phases_print(r, fmt, out))
			return -1;
	}
	fprintf(out,
	        md ? "\n### Station changes\n\nA has %zu stations, B has %zu; kept: same site "
	             "within %g m, moved: to the nearest free site within %g m.\n\n"
	           : "\nstation changes (A %zu, B %zu; kept: same site within %g m, moved: "
	             "within %g m):\n",
	        a->nstations, b->nstations, r->tolerance_m, r->walk_distance_m);
	if (print_changes(r, fmt, out))
		return -1;
	return compare_levels_print(r, fmt, out);
}
