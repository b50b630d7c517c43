/*
 * report.c: the report's pages (see include/report.h): the city map with
 * its legend and the totals per district, a page per district with its
 * map and appendix table, and the run record; written as a PDF (every
 * page) or as one page in PNG or SVG.
 *
 * Pages are drawn in order through `doc_page()`; for a PNG or SVG the pages
 * other than the one asked for go to a recording surface that is thrown
 * away, so page numbers and contents are the same in every format.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "report_int.h"

#define MARGIN 36.0

typedef struct doc {
	cairo_surface_t *target;  /* the file's surface */
	cairo_t *cr;              /* where the current page is drawn */
	cairo_surface_t *scratch; /* pages not wanted (PNG/SVG) */
	double w, h;              /* page size, points */
	int page;                 /* current page, 1-based */
	const rdata *d;
	const char *path;
} doc;

void report_options_init(report_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->format = REPORT_PDF;
	opt->paper = REPORT_A4;
	opt->lang = TABLES_ZH;
	opt->page = 1;
	opt->dpi = 150;
}

int report_format_from_path(const char *path, report_format *fmt)
{
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return -1;
	if (!strcasecmp(dot, ".pdf"))
		*fmt = REPORT_PDF;
	else if (!strcasecmp(dot, ".png"))
		*fmt = REPORT_PNG;
	else if (!strcasecmp(dot, ".svg"))
		*fmt = REPORT_SVG;
	else
		return -1;
	return 0;
}

/* Start page `doc->page + 1`: finish the previous one, pick its surface. */
static void doc_page(doc *dc)
{
	const report_options *opt = dc->d->opt;
	if (dc->page > 0) {
		if (opt->format == REPORT_PDF)
			cairo_show_page(dc->cr);
		else
			cairo_destroy(dc->cr);
	}
	dc->page++;
	if (opt->format != REPORT_PDF) {
		int want = dc->page == opt->page;
		dc->cr = cairo_create(want ? dc->target : dc->scratch);
		if (want && opt->format == REPORT_PNG)
			cairo_scale(dc->cr, opt->dpi / 72.0, opt->dpi / 72.0);
	}
	cairo_set_source_rgb(dc->cr, 1, 1, 1);
	cairo_paint(dc->cr);
	/* footer: page number */
	char foot[64];
	snprintf(foot, sizeof(foot), rlabel(dc->d, RL_PAGE), dc->page);
	cairo_set_source_rgb(dc->cr, 0.3, 0.3, 0.3);
	rtext(dc->cr, foot, dc->w / 2 - 15, dc->h - MARGIN / 2 - 6, 0, 7, 0);
	cairo_set_source_rgb(dc->cr, 0, 0, 0);
}

/* The city map page: title, map, legend, totals per district. */
static void page_city(doc *dc)
{
	const rdata *d = dc->d;
	cairo_t *cr = dc->cr;
	double y = MARGIN;
	const char *title = d->opt->title ? d->opt->title : rlabel(d, RL_TITLE);
	y += rtext(cr, title, MARGIN, y, dc->w - 2 * MARGIN, 16, 1) + 2;
	char line[512];
	snprintf(line, sizeof(line), "%s · %ld %s · %ld %s", d->p->crs, d->t->stations,
	         rlabel(d, RL_STATIONS), d->t->households, rlabel(d, RL_HOUSEHOLDS));
	y += rtext(cr, line, MARGIN, y, dc->w - 2 * MARGIN, 8, 0) + 6;
	double mh = (dc->h - y - MARGIN) * 0.72;
	rmap_draw(cr, d, d->city, MARGIN, y, dc->w - 2 * MARGIN, mh, -1);
	y += mh + 10;
	rmap_legend(cr, d, MARGIN, y, 150);
	/* totals per district */
	double x = MARGIN + 170, cw = dc->w - MARGIN - x;
	cairo_set_source_rgb(cr, 0, 0, 0);
	rtext(cr, tables_title(d->opt->lang, 3, TABLES_BY_STREET), x + cw * 0.55, y + 2, cw * 0.2,
	      7, 1);
	rtext(cr, tables_title(d->opt->lang, 4, TABLES_BY_STREET), x + cw * 0.75, y + 2, 0, 7, 1);
	y += rtext(cr, rlabel(d, RL_CITY), x, y, cw * 0.5, 9, 1) + 14;
	for (size_t i = 0; i < d->t->ndistricts && y < dc->h - MARGIN - 10; i++) {
		const tables_district *td = &d->t->districts[i];
		rtext(cr, td->district, x, y, cw * 0.5, 7.5, 0);
		snprintf(line, sizeof(line), "%ld", td->stations);
		rtext(cr, line, x + cw * 0.55, y, 0, 7.5, 0);
		snprintf(line, sizeof(line), "%ld", td->households);
		y += rtext(cr, line, x + cw * 0.75, y, 0, 7.5, 0) + 1;
	}
	snprintf(line, sizeof(line), "%s", tables_title(d->opt->lang, 5, TABLES_BY_STREET));
	rtext(cr, line, x, y + 2, 0, 7.5, 1);
	snprintf(line, sizeof(line), "%ld", d->t->stations);
	rtext(cr, line, x + cw * 0.55, y + 2, 0, 7.5, 1);
	snprintf(line, sizeof(line), "%ld", d->t->households);
	rtext(cr, line, x + cw * 0.75, y + 2, 0, 7.5, 1);
}

/* Column x offsets of the appendix table (fractions of the width). */
static const double col_at[] = {0, 0.07, 0.25, 0.78, 0.90, 1.0};

static double table_header(cairo_t *cr, const rdata *d, double x, double y, double w)
{
	double hmax = 0;
	for (int c = 0; c < 5; c++) {
		double cw = (col_at[c + 1] - col_at[c]) * w - 4;
		double hh = rtext(cr, tables_title(d->opt->lang, c, TABLES_BY_STREET),
		                  x + col_at[c] * w, y, cw, 7, 1);
		hmax = fmax(hmax, hh);
	}
	y += hmax + 2;
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x + w, y);
	cairo_set_line_width(cr, 0.6);
	cairo_stroke(cr);
	return hmax + 4;
}

/* The units of a row joined, malloc'd. */
static char *row_units(const tables_row *r, tables_lang lang)
{
	const char *sep = lang == TABLES_EN ? ", " : "、";
	size_t len = 1;
	for (size_t k = 0; k < r->nunits; k++)
		len += strlen(r->units[k]) + strlen(sep);
	char *s = malloc(len), *p = s;
	if (!s)
		return NULL;
	*p = '\0';
	for (size_t k = 0; k < r->nunits; k++)
		p += sprintf(p, "%s%s", k ? sep : "", r->units[k]);
	return s;
}

/* A district: its map and table, the table continued on new pages. */
static int page_district(doc *dc, int di)
{
	const rdata *d = dc->d;
	const tables_district *td = &d->t->districts[di];
	double x = MARGIN, w = dc->w - 2 * MARGIN, y = MARGIN;
	y += rtext(dc->cr, td->district, x, y, w, 14, 1) + 6;
	double mh = (dc->h - 2 * MARGIN) * 0.48;
	rbox b = d->dbox[di];
	if (!(b.minx <= b.maxx))
		b = d->city;
	double padx = (b.maxx - b.minx) * 0.03, pady = (b.maxy - b.miny) * 0.03;
	b.minx -= padx, b.maxx += padx, b.miny -= pady, b.maxy += pady;
	rmap_draw(dc->cr, d, b, x, y, w, mh, di);
	y += mh + 10;
	y += table_header(dc->cr, d, x, y, w);
	char num[32];
	for (size_t i = 0; i <= td->nrows; i++) {
		const tables_row *r = i < td->nrows ? &td->rows[i] : NULL;
		char *units = r ? row_units(r, d->opt->lang) : strdup("");
		if (!units)
			return -1;
		double cw = (col_at[3] - col_at[2]) * w - 4;
		double rh = fmax(rtext_height(dc->cr, units, cw, 7, 0),
		                 rtext_height(dc->cr, r ? r->street : "",
		                              (col_at[2] - col_at[1]) * w - 4, 7, 0)) +
		            3;
		if (y + rh > dc->h - MARGIN) {
			doc_page(dc);
			y = MARGIN;
			char cont[256];
			snprintf(cont, sizeof(cont), "%s%s", td->district, rlabel(d, RL_CONTINUED));
			y += rtext(dc->cr, cont, x, y, w, 12, 1) + 6;
			y += table_header(dc->cr, d, x, y, w);
		}
		cairo_t *cr = dc->cr;
		int bold = r == NULL;
		if (r) {
			snprintf(num, sizeof(num), "%zu", i + 1);
			rtext(cr, num, x, y, 0, 7, 0);
		}
		rtext(cr, r ? r->street : tables_title(d->opt->lang, 5, TABLES_BY_STREET),
		      x + col_at[1] * w, y, (col_at[2] - col_at[1]) * w - 4, 7, bold);
		rtext(cr, units, x + col_at[2] * w, y, cw, 7, 0);
		snprintf(num, sizeof(num), "%ld", r ? r->stations : td->stations);
		rtext(cr, num, x + col_at[3] * w, y, 0, 7, bold);
		snprintf(num, sizeof(num), "%ld", r ? r->households : td->households);
		rtext(cr, num, x + col_at[4] * w, y, 0, 7, bold);
		free(units);
		y += rh;
	}
	char note[256];
	if (d->opt->lang == TABLES_EN)
		snprintf(note, sizeof(note), "%s: %ld households in total.", td->district,
		         td->households);
	else
		snprintf(note, sizeof(note), "%s共 %ld 户。", td->district, td->households);
	if (y + 12 > dc->h - MARGIN) {
		doc_page(dc);
		y = MARGIN;
	}
	rtext(dc->cr, note, x, y + 4, w, 7, 0);
	return 0;
}

/* The run record: outcome, version, command, every parameter. */
static void page_run(doc *dc)
{
	const rdata *d = dc->d;
	const planfile *p = d->p;
	double x = MARGIN, w = dc->w - 2 * MARGIN, y = MARGIN;
	char line[1024];
	y += rtext(dc->cr, rlabel(d, RL_RUN), x, y, w, 14, 1) + 6;
	const char *keys[] = {rlabel(d, RL_STATUS), rlabel(d, RL_OBJECTIVE), rlabel(d, RL_BOUND),
	                      rlabel(d, RL_GAP),    rlabel(d, RL_VERSION),   rlabel(d, RL_COMMAND)};
	char vals[6][512];
	snprintf(vals[0], sizeof(vals[0]), "%s", p->run_status);
	snprintf(vals[1], sizeof(vals[1]), "%.6g", p->objective);
	snprintf(vals[2], sizeof(vals[2]), "%.6g", p->bound);
	snprintf(vals[3], sizeof(vals[3]), "%.4f%%", 100 * p->gap);
	snprintf(vals[4], sizeof(vals[4]), "%s", p->version ? p->version : "");
	snprintf(vals[5], sizeof(vals[5]), "%s", p->command ? p->command : "");
	for (int i = 0; i < 6; i++) {
		rtext(dc->cr, keys[i], x, y, 90, 8, 1);
		y += rtext(dc->cr, vals[i], x + 95, y, w - 95, 8, 0) + 2;
	}
	y += 6;
	y += rtext(dc->cr, rlabel(d, RL_PARAMETERS), x, y, w, 9, 1) + 4;
	/* one parameter per line, in two columns, continued on new pages */
	const char *s = p->parameters ? p->parameters : "";
	double col = 0, top = y;
	while (*s) {
		const char *e = strchr(s, '\n');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		snprintf(line, sizeof(line), "%.*s",
		         (int)(len < sizeof(line) - 1 ? len : sizeof(line) - 1), s);
		s += len + (e ? 1 : 0);
		double hh = rtext_height(dc->cr, line, w / 2 - 6, 6, 0);
		if (y + hh > dc->h - MARGIN) {
			if (col == 0) {
				col = w / 2;
				y = top;
			} else {
				doc_page(dc);
				col = 0;
				y = top = MARGIN;
			}
		}
		y += rtext_mono(dc->cr, line, x + col, y, w / 2 - 6, 6);
	}
}

static status_code cairo_failed(cairo_status_t cs, const char *path, status *st)
{
	return status_fail(st, STATUS_INTERNAL, "'%s': cannot draw the report: %s", path,
	                   cairo_status_to_string(cs));
}

status_code report_write(const planfile *p, const planmap *m, const tables *t,
                         const report_options *opt, const char *path, int *npages, status *st)
{
	rdata d;
	status_code rc = rdata_build(&d, p, m, t, opt, st);
	if (rc != STATUS_OK) {
		rdata_free(&d);
		return rc;
	}
	doc dc = {0};
	dc.d = &d;
	dc.path = path;
	dc.w = opt->paper == REPORT_A3 ? 841.89 : 595.28;
	dc.h = opt->paper == REPORT_A3 ? 1190.55 : 841.89;
	if (opt->format == REPORT_PDF) {
		dc.target = cairo_pdf_surface_create(path, dc.w, dc.h);
		cairo_pdf_surface_set_metadata(dc.target, CAIRO_PDF_METADATA_TITLE,
		                               opt->title ? opt->title : rlabel(&d, RL_TITLE));
		cairo_pdf_surface_set_metadata(dc.target, CAIRO_PDF_METADATA_CREATOR,
		                               "stationplan");
		/* Cairo stamps the current time unless told otherwise; a date it
		 * cannot parse ("") clears it. */
		cairo_pdf_surface_set_metadata(dc.target, CAIRO_PDF_METADATA_CREATE_DATE,
		                               opt->date ? opt->date : "");
		dc.cr = cairo_create(dc.target);
	} else if (opt->format == REPORT_SVG) {
		dc.target = cairo_svg_surface_create(path, dc.w, dc.h);
	} else {
		dc.target =
		    cairo_image_surface_create(CAIRO_FORMAT_ARGB32, (int)ceil(dc.w * opt->dpi / 72),
		                               (int)ceil(dc.h * opt->dpi / 72));
	}
	if (opt->format != REPORT_PDF)
		dc.scratch = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	cairo_status_t cs = cairo_surface_status(dc.target);
	if (cs != CAIRO_STATUS_SUCCESS) {
		rc = cairo_failed(cs, path, st);
	} else {
		doc_page(&dc);
		page_city(&dc);
		for (size_t i = 0; i < t->ndistricts && rc == STATUS_OK; i++) {
			doc_page(&dc);
			if (page_district(&dc, (int)i))
				rc = status_fail(st, STATUS_INTERNAL, "report: out of memory");
		}
		doc_page(&dc);
		page_run(&dc);
		if (opt->format == REPORT_PDF)
			cairo_show_page(dc.cr);
		cs = cairo_status(dc.cr);
		cairo_destroy(dc.cr);
		if (rc == STATUS_OK && cs != CAIRO_STATUS_SUCCESS)
			rc = cairo_failed(cs, path, st);
		if (rc == STATUS_OK && opt->format != REPORT_PDF && opt->page > dc.page)
			rc = status_fail(st, STATUS_INPUT, "report: page %d (the report has %d)",
			                 opt->page, dc.page);
		if (rc == STATUS_OK && opt->format == REPORT_PNG) {
			cs = cairo_surface_write_to_png(dc.target, path);
			if (cs != CAIRO_STATUS_SUCCESS)
				rc = cairo_failed(cs, path, st);
		}
	}
	*npages = dc.page;
	if (dc.scratch)
		cairo_surface_destroy(dc.scratch);
	cairo_surface_finish(dc.target);
	cs = cairo_surface_status(dc.target);
	if (rc == STATUS_OK && cs != CAIRO_STATUS_SUCCESS)
		rc = cairo_failed(cs, path, st);
	cairo_surface_destroy(dc.target);
	rdata_free(&d);
	return rc;
}
