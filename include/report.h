/*
 * report.h: the printed plan (`stationplan report`): an A4 or A3 document
 * drawn with Cairo and Pango (CJK text in Noto Sans CJK):
 *
 *   1. the city map: district boundaries (dissolved from the units with
 *      GEOS), service areas, stations by kind (colour) and phase (shape),
 *      underfilled stations ringed in red, uncovered units hatched, a scale
 *      bar, a north arrow and a legend in the chosen language, with the
 *      totals per district;
 *   2. one page per district: its map (links and station numbers too) and
 *      its appendix table (tables.h), continued on further pages if long;
 *   3. the run record: status, objective, bound, gap, version, command and
 *      every scenario parameter.
 *
 * A PDF holds every page; a PNG or SVG holds one page (opt->page, the city
 * map by default). The PDF carries no creation date unless opt->date is
 * set, so the same plan gives the same bytes.
 */
#ifndef STATIONPLAN_REPORT_H
#define STATIONPLAN_REPORT_H

#include "planfile.h"
#include "planmap.h"
#include "status.h"
#include "tables.h"

typedef enum report_format {
	REPORT_PDF = 0, /* every page, vector, fonts embedded */
	REPORT_PNG = 1, /* one page (opt->page), raster at opt->dpi */
	REPORT_SVG = 2  /* one page (opt->page), vector */
} report_format;

typedef enum report_paper {
	REPORT_A4 = 0, /* 210 x 297 mm */
	REPORT_A3 = 1  /* 297 x 420 mm */
} report_paper;

typedef struct report_options {
	report_format format;
	report_paper paper;
	tables_lang lang;
	int page;         /* PNG/SVG: the page to draw, 1-based (default 1) */
	double dpi;       /* PNG resolution (default 150) */
	const char *date; /* PDF creation date (ISO 8601) or NULL for none */
	const char *title; /* NULL: "再生资源回收站点布局规划" / "Recycling station plan" */
} report_options;

/* Set every default: PDF, A4, Chinese, page 1, 150 dpi, no date. */
void report_options_init(report_options *opt);

/* "a.pdf" / ".png" / ".svg" -> *fmt; returns 0, or -1 for another extension. */
int report_format_from_path(const char *path, report_format *fmt);

/* Draw the report of plan `p` (its map layers `m`, its tables `t`) into
 * `path` (written directly: the caller gives a temporary name and renames
 * it). Returns STATUS_OK; STATUS_INPUT when the page asked for does not
 * exist ("report: page 9 (the report has 4)"); STATUS_INTERNAL with the
 * Cairo or GEOS message otherwise. *npages is set to the page count. */
status_code report_write(const planfile *p, const planmap *m, const tables *t,
                         const report_options *opt, const char *path, int *npages, status *st);

#endif
