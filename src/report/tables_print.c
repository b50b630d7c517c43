/*
 * tables_print.c: the appendix tables as aligned text, CSV, Markdown (one
 * table per district, through table.h) or JSON (jansson). See
 * include/tables.h.
 *
 * Text and Markdown print each district's table under its name, with the
 * totals row and a note on the household total; CSV is one flat table (by
 * street: a district column first, a totals row after each district) so
 * that it loads in a spreadsheet. The names under a street are joined with "、" in
 * Chinese and ", " in English.
 */
#include "tables.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "table.h"

/* The names of row `r` joined; malloc'd, NULL out of memory. */
static char *join(char *const *names, size_t n, tables_lang lang)
{
	const char *sep = lang == TABLES_EN ? ", " : "、";
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(names[i]) + strlen(sep);
	char *s = malloc(len), *p = s;
	if (!s)
		return NULL;
	*p = '\0';
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? sep : "", names[i]);
	return s;
}

/* The rows of a table as (name, units, stations, households): the streets
 * of district `d`, or with --by district the districts themselves. */
typedef struct view_row {
	const char *name;
	char *units; /* joined, owned */
	long stations, households;
} view_row;

static view_row *view_rows(const tables *t, const tables_district *d, tables_lang lang, size_t *n)
{
	size_t m = d ? d->nrows : t->ndistricts;
	view_row *v = calloc(m ? m : 1, sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < m; i++) {
		if (d) {
			const tables_row *r = &d->rows[i];
			v[i] = (view_row){r->street, join(r->units, r->nunits, lang), r->stations,
			                  r->households};
		} else {
			const tables_district *x = &t->districts[i];
			char **names = malloc((x->nrows ? x->nrows : 1) * sizeof(*names));
			if (names) {
				for (size_t j = 0; j < x->nrows; j++)
					names[j] = x->rows[j].street;
				v[i].units = join(names, x->nrows, lang);
			}
			free(names);
			v[i].name = x->district;
			v[i].stations = x->stations;
			v[i].households = x->households;
		}
		if (!v[i].units) {
			for (size_t j = 0; j <= i; j++)
				free(v[j].units);
			free(v);
			return NULL;
		}
	}
	*n = m;
	return v;
}

static void view_free(view_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].units);
	free(v);
}

/* The note under a table: the household total and what is uncovered. */
static void print_note(const char *name, long households, long uncovered, tables_lang lang,
                       table_format fmt, FILE *out)
{
	if (lang == TABLES_EN)
		fprintf(out, "%s: %ld households in total", name, households);
	else
		fprintf(out, "%s共 %ld 户", name, households);
	if (uncovered > 0)
		fprintf(out,
		        lang == TABLES_EN ? ", %ld of them out of reach of every station"
		                          : "，其中 %ld 户不在任何站点的服务范围内",
		        uncovered);
	fputs(lang == TABLES_EN ? ".\n" : "。\n", out);
	if (fmt == TABLE_MD)
		fputc('\n', out);
}

/* Columns: [district,] 序号, name, units, stations, households. */
static void columns(table *tb, tables_lang lang, tables_by by, int with_district)
{
	size_t c = 0;
	if (with_district) {
		const char *d = tables_title(lang, 6, by);
		table_column(tb, c++, d, d, TABLE_LEFT);
	}
	for (int i = 0; i < 5; i++) {
		const char *s = tables_title(lang, i, by);
		table_column(tb, c++, s, s, i == 0 || i >= 3 ? TABLE_RIGHT : TABLE_LEFT);
	}
}

/* Rows of one table (and its totals row) into `tb`. Returns -1 out of memory. */
static int fill(table *tb, const tables *t, const tables_district *d, const tables_options *opt,
                const char *district_cell)
{
	size_t n, c0 = district_cell ? 1 : 0;
	view_row *v = view_rows(t, d, opt->lang, &n);
	if (!v)
		return -1;
	for (size_t i = 0; i < n; i++) {
		table_row(tb);
		if (district_cell)
			table_cell(tb, 0, "%s", district_cell);
		table_cell(tb, c0 + 0, "%zu", i + 1);
		table_cell(tb, c0 + 1, "%s", v[i].name);
		table_cell(tb, c0 + 2, "%s", v[i].units);
		table_cell(tb, c0 + 3, "%ld", v[i].stations);
		table_cell(tb, c0 + 4, "%ld", v[i].households);
	}
	view_free(v, n);
	table_rule(tb);
	table_row(tb);
	if (district_cell)
		table_cell(tb, 0, "%s", district_cell);
	table_cell(tb, c0 + 1, "%s", tables_title(opt->lang, 5, opt->by));
	table_cell(tb, c0 + 3, "%ld", d ? d->stations : t->stations);
	table_cell(tb, c0 + 4, "%ld", d ? d->households : t->households);
	return 0;
}

static int print_csv(const tables *t, const tables_options *opt, FILE *out)
{
	int by_street = opt->by == TABLES_BY_STREET;
	table tb;
	if (table_init(&tb, by_street ? 6 : 5))
		return -1;
	columns(&tb, opt->lang, opt->by, by_street);
	int rc = 0;
	if (!by_street)
		rc = fill(&tb, t, NULL, opt, NULL);
	for (size_t i = 0; by_street && i < t->ndistricts && !rc; i++)
		rc = fill(&tb, t, &t->districts[i], opt, t->districts[i].district);
	rc = rc ? rc : table_print(&tb, TABLE_CSV, out);
	table_free(&tb);
	return rc;
}

/* One table (a district's, or the table of districts) in text or Markdown. */
static int print_one(const tables *t, const tables_district *d, const tables_options *opt,
                     FILE *out)
{
	table_format fmt = opt->format == TABLES_MD ? TABLE_MD : TABLE_TEXT;
	const char *title = d ? d->district : (opt->lang == TABLES_EN ? "All districts" : "全市");
	fprintf(out, fmt == TABLE_MD ? "### %s\n\n" : "%s\n", title);
	table tb;
	if (table_init(&tb, 5))
		return -1;
	columns(&tb, opt->lang, opt->by, 0);
	int rc = fill(&tb, t, d, opt, NULL);
	rc = rc ? rc : table_print(&tb, fmt, out);
	table_free(&tb);
	if (!rc) {
		if (fmt == TABLE_MD)
			fputc('\n', out);
		print_note(title, d ? d->households : t->households,
		           d ? d->uncovered_households : t->uncovered_households, opt->lang, fmt,
		           out);
	}
	return rc;
}

static json_t *json_names(char *const *names, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, json_string(names[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* The JSON document; NULL out of memory. */
static json_t *tables_json(const tables *t)
{
	json_t *districts = json_array();
	for (size_t i = 0; districts && i < t->ndistricts; i++) {
		const tables_district *d = &t->districts[i];
		json_t *streets = json_array();
		for (size_t j = 0; streets && j < d->nrows; j++) {
			const tables_row *r = &d->rows[j];
			json_t *row = json_pack("{s:s, s:o*, s:I, s:I, s:I}", "street", r->street,
			                        "units", json_names(r->units, r->nunits),
			                        "stations", (json_int_t)r->stations, "households",
			                        (json_int_t)r->households, "uncovered_households",
			                        (json_int_t)r->uncovered_households);
			if (!row || json_array_append_new(streets, row)) {
				json_decref(streets);
				streets = NULL;
			}
		}
		json_t *dj =
		    streets ? json_pack("{s:s, s:I, s:I, s:I, s:o}", "district", d->district,
		                        "stations", (json_int_t)d->stations, "households",
		                        (json_int_t)d->households, "uncovered_households",
		                        (json_int_t)d->uncovered_households, "streets", streets)
		            : NULL;
		if (!dj || json_array_append_new(districts, dj)) {
			json_decref(districts);
			return NULL;
		}
	}
	if (!districts)
		return NULL;
	return json_pack("{s:o, s:I, s:I, s:I}", "districts", districts, "stations",
	                 (json_int_t)t->stations, "households", (json_int_t)t->households,
	                 "uncovered_households", (json_int_t)t->uncovered_households);
}

int tables_print(const tables *t, const tables_options *opt, FILE *out)
{
	if (opt->format == TABLES_JSON) {
		json_t *j = tables_json(t);
		int rc = j ? json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
		json_decref(j);
		if (!rc)
			fputc('\n', out);
		return rc;
	}
	if (opt->bom)
		fputs("\xEF\xBB\xBF", out);
	if (opt->format == TABLES_CSV)
		return print_csv(t, opt, out);
	if (opt->by == TABLES_BY_DISTRICT)
		return print_one(t, NULL, opt, out);
	for (size_t i = 0; i < t->ndistricts; i++) {
		if (i)
			fputc('\n', out);
		if (print_one(t, &t->districts[i], opt, out))
			return -1;
	}
	return 0;
}
