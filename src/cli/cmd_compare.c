/*
 * cmd_compare.c: `stationplan compare A.gpkg B.gpkg`, two scenarios side by
 * side: the parameters that differ, a per-district (or per-street) table
 * with totals, and which stations were kept, moved, removed or added;
 * optionally the changes as a styled GeoPackage for QGIS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "sources.h"
#include "compare.h"
#include "gpkg.h"
#include "planfile.h"

const char cmd_compare_usage[] =
    "usage: stationplan compare A.gpkg B.gpkg [--by district|street]\n"
    "                           [--format text|csv|md|json] [--tolerance-m M]\n"
    "                           [-o DIFF.gpkg [--overwrite]]\n\n"
    "Compare two plans written by `stationplan run` (in the same CRS): the\n"
    "scenario parameters that differ; per district (or street) the stations in\n"
    "A and B and the difference, households per station, underfilled stations,\n"
    "mean and longest walk, uncovered households, with a totals row; and the\n"
    "station changes: kept (same site within the tolerance), moved (to the\n"
    "nearest free site within A's rules.walk_distance_m), removed, added.\n\n"
    "  --by district|street  one row per district (default) or per street\n"
    "  --format FMT          aligned text (default), CSV (the table only, RFC 4180)\n"
    "                        or a Markdown report; json: everything as one object\n"
    "  --tolerance-m M       a station within M metres is kept (default 50)\n"
    "  -o, --output FILE     also write the changes as a GeoPackage: layers\n"
    "                        added, removed, kept (points) and moved (old -> new)\n"
    "  --overwrite           replace an existing FILE\n\n"
    "exit status: 0 compared; 1 bad command line; 2 a file is not a stationplan\n"
    "plan, or the two are in different CRSs; 4 internal error.\n";

int cmd_compare(int argc, char **argv, status *st)
{
	const char *files[2] = {NULL, NULL};
	int nfiles = 0;
	cmd_output o = {0};
	table_format fmt = TABLE_TEXT;
	int json = 0;
	compare_options opt;
	compare_options_init(&opt);

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int has_value = i + 1 < argc;
		if (!strcmp(a, "--by") && has_value) {
			int street = cmd_by_street("compare", cmd_compare_usage, argv[++i], st);
			if (street < 0)
				return STATUS_USAGE;
			opt.by = street ? COMPARE_BY_STREET : COMPARE_BY_DISTRICT;
		} else if (!strcmp(a, "--format") && has_value) {
			json = !strcmp(argv[++i], "json");
			if (!json && table_format_parse(argv[i], &fmt))
				return cmd_usage_error(
				    cmd_compare_usage, st,
				    "compare: --format '%s' (must be text, csv, md or json)",
				    argv[i]);
		} else if (!strcmp(a, "--tolerance-m") && has_value) {
			char *end;
			opt.tolerance_m = strtod(argv[++i], &end);
			if (end == argv[i] || *end || !(opt.tolerance_m >= 0))
				return cmd_usage_error(
				    cmd_compare_usage, st,
				    "compare: --tolerance-m '%s' (must be a distance >= 0)",
				    argv[i]);
		} else if (cmd_output_opt(argc, argv, &i, &o, st)) {
			/* -o FILE, --overwrite, -q */
		} else if (cmd_verbosity(a, st)) {
			/* -v, -vv, ..., --verbose */
		} else if (cmd_plan_arg("compare", cmd_compare_usage, a, files, &nfiles, 2,
		                        "compare: more than two plans ('%s')", st)) {
			return STATUS_USAGE;
		}
	}
	const char *out = o.path;
	int overwrite = o.overwrite;
	if (nfiles < 2)
		return cmd_usage_error(cmd_compare_usage, st,
		                       "compare: two plans are needed, A and B%s", "");
	if (cmd_quiet_verbose("compare", st) != STATUS_OK)
		return STATUS_USAGE;
	/* the changes file may be neither plan */
	if (out) {
		sources src = {0};
		status_code rc =
		    sources_add(&src, "plan A", files[0]) || sources_add(&src, "plan B", files[1])
		        ? status_fail(st, STATUS_INTERNAL, "out of memory")
		        : sources_check_output(&src, out, st);
		sources_free(&src);
		if (rc != STATUS_OK)
			return rc;
	}

	planfile pa, pb;
	compare_result res;
	status_code rc = planfile_read(files[0], &pa, st);
	if (rc != STATUS_OK)
		return rc;
	if ((rc = planfile_read(files[1], &pb, st)) != STATUS_OK) {
		planfile_free(&pa);
		return rc;
	}
	rc = compare_plans(&pa, &pb, &opt, &res, st);
	if (rc == STATUS_OK && out)
		rc = gpkg_write_diff(out, overwrite, &res, &pa, &pb, st);
	if (rc == STATUS_OK) {
		if (json ? compare_print_json(&res, &pa, &pb, stdout)
		         : compare_print(&res, &pa, &pb, fmt, stdout))
			rc = status_fail(st, STATUS_INTERNAL, "compare: out of memory");
		else if (out)
			status_note(st, 0, "changes written to %s", out);
	}
	if (fflush(stdout) != 0 && rc == STATUS_OK)
		rc = status_fail(st, STATUS_INTERNAL, "compare: cannot write the table");
	compare_result_free(&res);
	planfile_free(&pa);
	planfile_free(&pb);
	return rc;
}
