/*
 * tables.c: building the appendix tables from a plan read back from its
 * GeoPackage (see include/tables.h).
 *
 * The units are gathered from the `assignments` rows (a split unit has one
 * row per station: it is counted once, with its total households) and the
 * `uncovered` rows, put in input order, and dealt to their district and
 * street; the stations are then counted in the district and street of the
 * `stations` layer (a street with stations but no unit gets a row of its
 * own, after the others).
 */
#include "tables.h"
#include "grow.h"

#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* One unit of the plan, before it is dealt to its street. */
typedef struct unit_entry {
	const char *district, *street, *name;
	long order, households;
	int uncovered;
} unit_entry;

static int entry_cmp(const void *a, const void *b)
{
	const unit_entry *x = a, *y = b;
	return x->order < y->order ? -1 : x->order > y->order;
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

/* The row of (district, street), the district and the row each created
 * (empty, at the end, first_order = order) when absent; *dp its district.
 * NULL out of memory (*dp then NULL, or the district when only the row
 * failed). */
static tables_row *row_get(tables *t, const char *district, const char *street, long order,
                           tables_district **dp)
{
	int added;
	tables_district *d = grow_named(&t->districts, &t->ndistricts, sizeof(*t->districts),
	                                offsetof(tables_district, district), district, &added);
	*dp = d;
	if (!d)
		return NULL;
	if (added)
		d->first_order = order;
	tables_row *r = grow_named(&d->rows, &d->nrows, sizeof(*d->rows),
	                           offsetof(tables_row, street), street, &added);
	if (r && added)
		r->first_order = order;
	return r;
}

static int row_add_unit(tables_row *r, const char *name)
{
	if (grow_to(&r->units, r->nunits + 1, sizeof(*r->units)) != 0 ||
	    !(r->units[r->nunits] = strdup(name)))
		return -1;
	r->nunits++;
	return 0;
}

/* The plan's units, each once, in input order; *n set. NULL out of memory. */
static unit_entry *gather_units(const planfile *p, size_t *n)
{
	size_t cap = p->nassign + p->nuncovered, m = 0;
	unit_entry *e = malloc((cap ? cap : 1) * sizeof(*e));
	if (!e)
		return NULL;
	for (size_t i = 0; i < p->nassign; i++) {
		const planfile_assign *a = &p->assign[i];
		e[m++] = (unit_entry){a->district,   a->street,          a->name,
		                      a->unit_order, a->unit_households, 0};
	}
	for (size_t i = 0; i < p->nuncovered; i++) {
		const planfile_uncovered *u = &p->uncovered[i];
		e[m++] =
		    (unit_entry){u->district, u->street, u->name, u->unit_order, u->households, 1};
	}
	qsort(e, m, sizeof(*e), entry_cmp);
	size_t k = 0;
	for (size_t i = 0; i < m; i++)
		if (k == 0 || e[k - 1].order != e[i].order)
			e[k++] = e[i];
	*n = k;
	return e;
}

status_code tables_build(const planfile *p, tables *out, status *st)
{
	memset(out, 0, sizeof(*out));
	out->ascii = 1;
	size_t n;
	unit_entry *e = gather_units(p, &n);
	if (!e)
		return status_fail(st, STATUS_INTERNAL, "tables: out of memory");
	int oom = 0;
	for (size_t i = 0; i < n && !oom; i++) {
		tables_district *d;
		tables_row *r = row_get(out, e[i].district, e[i].street, e[i].order, &d);
		if (!r || row_add_unit(r, e[i].name)) {
			oom = 1;
			break;
		}
		r->households += e[i].households;
		d->households += e[i].households;
		out->households += e[i].households;
		if (e[i].uncovered) {
			r->uncovered_households += e[i].households;
			d->uncovered_households += e[i].households;
			out->uncovered_households += e[i].households;
		}
		out->ascii &=
		    is_ascii(e[i].name) && is_ascii(e[i].district) && is_ascii(e[i].street);
	}
	free(e);
	for (size_t s = 0; s < p->nstations && !oom; s++) {
		const planfile_station *ps = &p->stations[s];
		tables_district *d;
		tables_row *r = row_get(out, ps->district, ps->street, LONG_MAX, &d);
		if (!r) {
			oom = 1;
			break;
		}
		r->stations++;
		d->stations++;
		out->stations++;
		out->ascii &= is_ascii(ps->district) && is_ascii(ps->street);
	}
	if (oom) {
		tables_free(out);
		return status_fail(st, STATUS_INTERNAL, "tables: out of memory");
	}
	return STATUS_OK;
}

void tables_free(tables *t)
{
	for (size_t i = 0; i < t->ndistricts; i++) {
		tables_district *d = &t->districts[i];
		for (size_t j = 0; j < d->nrows; j++) {
			for (size_t k = 0; k < d->rows[j].nunits; k++)
				free(d->rows[j].units[k]);
			free(d->rows[j].units);
			free(d->rows[j].street);
		}
		free(d->rows);
		free(d->district);
	}
	free(t->districts);
	memset(t, 0, sizeof(*t));
}

const char *tables_title(tables_lang lang, int col, tables_by by)
{
	static const char *const zh[2][7] = {
	    {"序号", "街道名称", "下设社区（村）", "再生资源回收站（点）数量", "户数", "合计",
	     "区（县）"},
	    {"序号", "区（县）", "下设街道（乡镇）", "再生资源回收站（点）数量", "户数", "合计",
	     "区（县）"},
	};
	static const char *const en[2][7] = {
	    {"No.", "Street", "Communities and villages", "Stations", "Households", "Total",
	     "District"},
	    {"No.", "District", "Streets", "Stations", "Households", "Total", "District"},
	};
	if (col < 0 || col > 6)
		return "";
	return lang == TABLES_EN ? en[by == TABLES_BY_DISTRICT][col]
	                         : zh[by == TABLES_BY_DISTRICT][col];
}

int tables_format_parse(const char *s, tables_format *fmt)
{
	static const char *const names[] = {"text", "csv", "md", "json", "xlsx"};
	for (int i = 0; i < 5; i++)
		if (!strcmp(s, names[i])) {
			*fmt = (tables_format)i;
			return 0;
		}
	return -1;
}

int tables_format_from_path(const char *path, tables_format *fmt)
{
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return -1;
	if (!strcasecmp(dot, ".txt")) {
		*fmt = TABLES_TEXT;
		return 0;
	}
	char ext[8];
	size_t n = strlen(dot + 1);
	if (n >= sizeof(ext) || !strcasecmp(dot + 1, "text"))
		return -1;
	for (size_t i = 0; i <= n; i++)
		ext[i] = (char)tolower((unsigned char)dot[1 + i]);
	return tables_format_parse(ext, fmt);
}
