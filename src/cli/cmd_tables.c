/*
 * cmd_tables.c: `stationplan tables PLAN.gpkg`, the plan's appendix tables
 * (per district, one row per street: 序号, street, the communities and
 * villages under it, stations, households, a totals row), printed or
 * written to a file as text, CSV, Markdown, JSON or an Excel workbook.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "outfile.h"
#include "planfile.h"
#include "tables.h"

const char cmd_tables_usage[] =
    "usage: stationplan tables PLAN.gpkg [-o FILE [--overwrite]] [--by district|street]\n"
    "                          [--format text|csv|md|json|xlsx] [--lang zh|en]\n"
    "                          [--bom | --no-bom]\n\n"
    "The appendix tables of a plan written by `stationplan run`: per district,\n"
    "one row per street with its number (序号), the communities and villages\n"
    "under it (names, in input order), the stations in the street and the\n"
    "households of its units, then a totals row and the district's household\n"
    "total (and the households out of reach of every station, if any).\n\n"
    "  -o, --output FILE   write FILE instead of printing (atomically)\n"
    "  --by street         one table per district, a row per street (default)\n"
    "  --by district       one table, a row per district with its streets\n"
    "  --format FMT        text (default), csv (one flat table, a district column),\n"
    "                      md, json (object with a `districts` array) or xlsx (a\n"
    "                      sheet per district; needs -o); default from -o's\n"
    "                      extension (.txt .csv .md .json .xlsx)\n"
    "  --lang zh|en        headers in Chinese or English (default: zh when the\n"
    "                      names are not ASCII, else en)\n"
    "  --bom, --no-bom     a UTF-8 byte-order mark first (default: for csv when the\n"
    "                      names are not ASCII, so Excel reads them right)\n"
    "  --overwrite         replace an existing FILE\n\n"
    "exit status: 0 written; 1 bad command line; 2 not a stationplan plan;\n"
    "4 internal error.\n";

/* Write the tables to the temporary file of `of`. */
static status_code write_file(const tables *t, const tables_options *opt, outfile *of, status *st)
{
	if (opt->format == TABLES_XLSX)
		return tables_write_xlsx(t, opt, of->tmp, st);
	FILE *f = fopen(of->tmp, "wb");
	if (!f)
		return status_fail(st, STATUS_INPUT, "'%s': cannot create", of->path);
	int bad = tables_print(t, opt, f);
	bad |= fclose(f) != 0;
	return bad ? status_fail(st, STATUS_INPUT, "'%s': cannot write the tables", of->path)
	           : STATUS_OK;
}

int cmd_tables(int argc, char **argv, status *st)
{
	const char *file = NULL;
	int nfiles = 0, bom = -1, lang = -1, fmt_set = 0;
	cmd_output o = {0};
	tables_options opt = {TABLES_BY_STREET, TABLES_TEXT, TABLES_ZH, 0};

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int has_value = i + 1 < argc;
		if (!strcmp(a, "--by") && has_value) {
			int street = cmd_by_street("tables", cmd_tables_usage, argv[++i], st);
			if (street < 0)
				return STATUS_USAGE;
			opt.by = street ? TABLES_BY_STREET : TABLES_BY_DISTRICT;
		} else if (!strcmp(a, "--format") && has_value) {
			if (tables_format_parse(argv[++i], &opt.format))
				return cmd_usage_error(
				    cmd_tables_usage, st,
				    "tables: --format '%s' (must be text, csv, md, json or xlsx)",
				    argv[i]);
			fmt_set = 1;
		} else if (!strcmp(a, "--lang") && has_value) {
			if ((lang = cmd_lang("tables", cmd_tables_usage, argv[++i], st)) < 0)
				return STATUS_USAGE;
		} else if (!strcmp(a, "--bom")) {
			bom = 1;
		} else if (!strcmp(a, "--no-bom")) {
			bom = 0;
		} else if (cmd_output_opt(argc, argv, &i, &o, st)) {
			/* -o FILE, --overwrite, -q */
		} else if (cmd_plan_arg("tables", cmd_tables_usage, a, &file, &nfiles, 1,
		                        "tables: one plan only ('%s')", st)) {
			return STATUS_USAGE;
		}
	}
	const char *out = o.path;
	int overwrite = o.overwrite;
	if (!file)
		return cmd_usage_error(cmd_tables_usage, st, "tables: a plan is needed%s", "");
	if (!fmt_set && out && tables_format_from_path(out, &opt.format))
		return cmd_usage_error(cmd_tables_usage, st,
		                       "tables: cannot tell the format from '%s' (use --format, or "
		                       "an extension .txt .csv .md .json .xlsx)",
		                       out);
	if (opt.format == TABLES_XLSX && !out)
		return cmd_usage_error(cmd_tables_usage, st,
		                       "tables: --format xlsx needs -o FILE.xlsx%s", "");
	if (bom == 1 && (opt.format == TABLES_JSON || opt.format == TABLES_XLSX))
		return cmd_usage_error(cmd_tables_usage, st,
		                       "tables: --bom applies to text, csv and md, not '%s'",
		                       opt.format == TABLES_JSON ? "json" : "xlsx");

	outfile of;
	status_code rc = out ? outfile_begin(&of, out, overwrite, st) : STATUS_OK;
	if (rc != STATUS_OK)
		return rc;
	planfile p;
	tables t;
	if ((rc = planfile_read(file, &p, st)) != STATUS_OK)
		return rc;
	rc = tables_build(&p, &t, st);
	planfile_free(&p);
	if (rc != STATUS_OK)
		return rc;
	opt.lang = lang >= 0 ? (tables_lang)lang : t.ascii ? TABLES_EN : TABLES_ZH;
	opt.bom = bom >= 0 ? bom : opt.format == TABLES_CSV && !t.ascii;
	if (out) {
		rc = write_file(&t, &opt, &of, st);
		rc = rc == STATUS_OK ? outfile_commit(&of, st) : (outfile_abort(&of), rc);
		if (rc == STATUS_OK)
			status_note(st, 0, "tables written to %s", out);
	} else if (tables_print(&t, &opt, stdout) || fflush(stdout) != 0) {
		rc = status_fail(st, STATUS_INTERNAL, "tables: cannot write the tables");
	}
	tables_free(&t);
	return rc;
}
