/*
 * tables_xlsx.c: the appendix tables as an Excel workbook, written with
 * libxlsxwriter. See include/tables.h.
 *
 * --by street: one worksheet per district, named after it (characters Excel
 * refuses in sheet names replaced by "_", cut to 31 characters, a number
 * appended when two names clash); --by district: one sheet. Each sheet has
 * the title in A1, the headers in row 2, one row per street from row 3
 * (numbers as numbers) and the totals row. The workbook's creation time is
 * fixed, so the same plan gives the same file.
 */
#include "tables.h"

#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

/* A sheet name Excel accepts: no []:*?/\, at most 31 characters (UTF-8
 * aware), unique among the first `i` districts (suffix "~N"). */
static void sheet_name(const char *name, size_t i, char *buf, size_t size)
{
	size_t o = 0, chars = 0;
	for (const char *p = name; *p && o + 5 < size && chars < 28; chars++) {
		size_t len = 1;
		unsigned char c = (unsigned char)*p;
		if (c >= 0xF0)
			len = 4;
		else if (c >= 0xE0)
			len = 3;
		else if (c >= 0xC0)
			len = 2;
		if (len == 1 && strchr("[]:*?/\\'", *p)) {
			buf[o++] = '_';
			p++;
			continue;
		}
		for (size_t k = 0; k < len && *p; k++)
			buf[o++] = *p++;
	}
	buf[o] = '\0';
	if (o == 0)
		snprintf(buf, size, "%zu", i + 1);
}

static lxw_format *bold_format(lxw_workbook *wb)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_bold(f);
	return f;
}

/* One sheet: rows of district `d`, or of the districts when d is NULL. */
static lxw_error write_sheet(lxw_workbook *wb, lxw_format *bold, const tables *t,
                             const tables_district *d, const tables_options *opt, const char *name)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	if (!ws)
		return LXW_ERROR_SHEETNAME_ALREADY_USED;
	const char *sep = opt->lang == TABLES_EN ? ", " : "、";
	lxw_error e = worksheet_write_string(
	    ws, 0, 0, d ? d->district : (opt->lang == TABLES_EN ? "All districts" : "全市"), bold);
	for (int c = 0; c < 5 && !e; c++)
		e = worksheet_write_string(ws, 1, (lxw_col_t)c, tables_title(opt->lang, c, opt->by),
		                           bold);
	size_t n = d ? d->nrows : t->ndistricts;
	for (size_t i = 0; i < n && !e; i++) {
		lxw_row_t r = (lxw_row_t)(i + 2);
		const char *label;
		long stations, households;
		size_t len = 1;
		if (d) {
			const tables_row *x = &d->rows[i];
			label = x->street;
			stations = x->stations;
			households = x->households;
			for (size_t k = 0; k < x->nunits; k++)
				len += strlen(x->units[k]) + strlen(sep);
		} else {
			const tables_district *x = &t->districts[i];
			label = x->district;
			stations = x->stations;
			households = x->households;
			for (size_t k = 0; k < x->nrows; k++)
				len += strlen(x->rows[k].street) + strlen(sep);
		}
		char *units = malloc(len), *p = units;
		if (!units)
			return LXW_ERROR_MEMORY_MALLOC_FAILED;
		*p = '\0';
		size_t m = d ? d->rows[i].nunits : t->districts[i].nrows;
		for (size_t k = 0; k < m; k++)
			p += sprintf(p, "%s%s", k ? sep : "",
			             d ? d->rows[i].units[k] : t->districts[i].rows[k].street);
		e = worksheet_write_number(ws, r, 0, (double)(i + 1), NULL);
		if (!e)
			e = worksheet_write_string(ws, r, 1, label, NULL);
		if (!e)
			e = worksheet_write_string(ws, r, 2, units, NULL);
		if (!e)
			e = worksheet_write_number(ws, r, 3, (double)stations, NULL);
		if (!e)
			e = worksheet_write_number(ws, r, 4, (double)households, NULL);
		free(units);
	}
	lxw_row_t tr = (lxw_row_t)(n + 2);
	if (!e)
		e = worksheet_write_string(ws, tr, 1, tables_title(opt->lang, 5, opt->by), bold);
	if (!e)
		e = worksheet_write_number(ws, tr, 3, (double)(d ? d->stations : t->stations),
		                           bold);
	if (!e)
		e = worksheet_write_number(ws, tr, 4, (double)(d ? d->households : t->households),
		                           bold);
	if (!e) {
		worksheet_set_column(ws, 0, 0, 6, NULL);
		worksheet_set_column(ws, 1, 1, 18, NULL);
		worksheet_set_column(ws, 2, 2, 60, NULL);
		worksheet_set_column(ws, 3, 4, 14, NULL);
	}
	return e;
}

status_code tables_write_xlsx(const tables *t, const tables_options *opt, const char *path,
                              status *st)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return status_fail(st, STATUS_INTERNAL, "'%s': cannot create the workbook", path);
	lxw_doc_properties props = {0};
	props.title =
	    opt->lang == TABLES_EN ? "Recycling stations per street" : "再生资源回收站（点）统计表";
	props.created = 1; /* fixed: the same plan gives the same bytes */
	workbook_set_properties(wb, &props);
	lxw_format *bold = bold_format(wb);
	lxw_error e = LXW_NO_ERROR;
	char name[128];
	if (opt->by == TABLES_BY_DISTRICT) {
		e = write_sheet(wb, bold, t, NULL, opt,
		                opt->lang == TABLES_EN ? "Districts" : "区县");
	} else {
		for (size_t i = 0; i < t->ndistricts && !e; i++) {
			char base[100];
			sheet_name(t->districts[i].district, i, base, sizeof(base));
			snprintf(name, sizeof(name), "%s", base);
			for (int k = 2; workbook_get_worksheet_by_name(wb, name); k++)
				snprintf(name, sizeof(name), "%s~%d", base, k);
			e = write_sheet(wb, bold, t, &t->districts[i], opt, name);
		}
		if (t->ndistricts == 0)
			e = write_sheet(wb, bold, t, NULL, opt, "-");
	}
	lxw_error ce = workbook_close(wb);
	if (e || ce)
		return status_fail(st, STATUS_INTERNAL, "'%s': cannot write the workbook: %s", path,
		                   lxw_strerror(e ? e : ce));
	return STATUS_OK;
}
