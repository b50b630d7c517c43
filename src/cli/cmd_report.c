/*
 * cmd_report.c: `stationplan report PLAN.gpkg -o report.pdf`, the printed
 * plan: the city map, a page per district with its map and appendix
 * table, and the run record (see include/report.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmd.h"
#include "outfile.h"
#include "planfile.h"
#include "planmap.h"
#include "report.h"
#include "tables.h"

const char cmd_report_usage[] =
    "usage: stationplan report PLAN.gpkg -o FILE.pdf|.png|.svg [--overwrite]\n"
    "                          [--paper A4|A3] [--lang zh|en] [--page N]\n"
    "                          [--dpi D] [--title TEXT] [--date ISO-8601]\n\n"
    "Draw the plan written by `stationplan run` as a document: the city map\n"
    "(district boundaries dissolved from the units, service areas, stations by\n"
    "kind (colour) and phase (shape), underfilled stations ringed in red,\n"
    "uncovered units hatched, scale bar, north arrow, legend), one page per\n"
    "district with its map and appendix table (as `stationplan tables`), and the\n"
    "run record. Drawn with Cairo and Pango in Noto Sans CJK.\n\n"
    "  -o, --output FILE  .pdf: every page; .png or .svg: one page (--page)\n"
    "  --paper A4|A3      paper size, portrait (default A4)\n"
    "  --lang zh|en       words of the maps and tables (default: zh when the\n"
    "                     names are not ASCII, else en)\n"
    "  --page N           the page of a .png or .svg (default 1, the city map)\n"
    "  --dpi D            resolution of a .png (default 150)\n"
    "  --title TEXT       the title of the first page\n"
    "  --date ISO-8601    a PDF creation date (default none, so the same plan\n"
    "                     gives the same bytes)\n"
    "  --overwrite        replace an existing FILE\n\n"
    "exit status: 0 written; 1 bad command line; 2 not a stationplan plan, or\n"
    "no such page; 4 internal error.\n";

/* A whole number in [lo, hi] from `s`, or -1. */
static long parse_int(const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	return end != s && !*end && v >= lo && v <= hi ? v : -1;
}

int cmd_report(int argc, char **argv, status *st)
{
	const char *file = NULL;
	int nfiles = 0, lang = -1;
	cmd_output o = {0};
	report_options opt;
	report_options_init(&opt);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int has_value = i + 1 < argc;
		if (!strcmp(a, "--paper") && has_value) {
			const char *v = argv[++i];
			if (!strcasecmp(v, "A4"))
				opt.paper = REPORT_A4;
			else if (!strcasecmp(v, "A3"))
				opt.paper = REPORT_A3;
			else
				return cmd_usage_error(cmd_report_usage, st,
				                       "report: --paper '%s' (must be A4 or A3)",
				                       v);
		} else if (!strcmp(a, "--lang") && has_value) {
			if ((lang = cmd_lang("report", cmd_report_usage, argv[++i], st)) < 0)
				return STATUS_USAGE;
		} else if (!strcmp(a, "--page") && has_value) {
			long v = parse_int(argv[++i], 1, 100000);
			if (v < 0)
				return cmd_usage_error(
				    cmd_report_usage, st,
				    "report: --page '%s' (must be a page number >= 1)", argv[i]);
			opt.page = (int)v;
		} else if (!strcmp(a, "--dpi") && has_value) {
			long v = parse_int(argv[++i], 36, 600);
			if (v < 0)
				return cmd_usage_error(cmd_report_usage, st,
				                       "report: --dpi '%s' (must be 36 to 600)",
				                       argv[i]);
			opt.dpi = (double)v;
		} else if (!strcmp(a, "--title") && has_value) {
			opt.title = argv[++i];
		} else if (!strcmp(a, "--date") && has_value) {
			opt.date = argv[++i];
		} else if (cmd_output_opt(argc, argv, &i, &o, st)) {
			/* -o FILE, --overwrite, -q */
		} else if (cmd_plan_arg("report", cmd_report_usage, a, &file, &nfiles, 1,
		                        "report: one plan only ('%s')", st)) {
			return STATUS_USAGE;
		}
	}
	const char *out = o.path;
	int overwrite = o.overwrite;
	if (!file)
		return cmd_usage_error(cmd_report_usage, st, "report: a plan is needed%s", "");
	if (!out)
		return cmd_usage_error(cmd_report_usage, st,
		                       "report: -o FILE.pdf (or .png, .svg) is needed%s", "");
	if (report_format_from_path(out, &opt.format))
		return cmd_usage_error(cmd_report_usage, st,
		                       "report: '%s' (the output must end in .pdf, .png or .svg)",
		                       out);
	if (opt.page != 1 && opt.format == REPORT_PDF)
		return cmd_usage_error(cmd_report_usage, st,
		                       "report: --page is for .png and .svg (a PDF has every "
		                       "page)%s",
		                       "");

	outfile of;
	status_code rc = outfile_begin(&of, out, overwrite, st);
	if (rc != STATUS_OK)
		return rc;
	planfile p;
	planmap m;
	tables t;
	if ((rc = planfile_read(file, &p, st)) != STATUS_OK)
		return rc;
	if ((rc = planmap_read(file, &m, st)) != STATUS_OK) {
		planfile_free(&p);
		return rc;
	}
	rc = tables_build(&p, &t, st);
	if (rc == STATUS_OK) {
		int npages = 0;
		opt.lang = lang >= 0 ? (tables_lang)lang : t.ascii ? TABLES_EN : TABLES_ZH;
		rc = report_write(&p, &m, &t, &opt, of.tmp, &npages, st);
		rc = rc == STATUS_OK ? outfile_commit(&of, st) : (outfile_abort(&of), rc);
		if (rc == STATUS_OK)
			status_note(st, 0, "report written to %s (%d pages%s)", out, npages,
			            opt.format == REPORT_PDF ? "" : ", one drawn");
		tables_free(&t);
	}
	planmap_free(&m);
	planfile_free(&p);
	return rc;
}
