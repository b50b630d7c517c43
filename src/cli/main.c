/*
 * main.c: stationplan's entry point. Parses the global options, finds the
 * subcommand in the table and returns its result as the exit status. The
 * only place that prints the final error of a command.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "status.h"
#include "version.h"

const cmd_entry cmd_table[] = {
    {"run", cmd_run, "place stations for a scenario and write the plan", cmd_run_usage},
    {"check", cmd_check, "validate a scenario's inputs and print every problem", cmd_check_usage},
    {"compare", cmd_compare, "compare two plans, per district or street", cmd_compare_usage},
    {"tables", cmd_tables, "print or write a plan's appendix tables (per district and street)",
     cmd_tables_usage},
    {"report", cmd_report, "draw a plan as a PDF (city map, a page per district, run record)",
     cmd_report_usage},
    {"merge", cmd_merge, "join the shard files of run --shard K/N into one plan", cmd_merge_usage},
    {"shards", cmd_shards, "cut a plan into N shards once, for run --shard K/N --cut",
     cmd_shards_usage},
    {"help", cmd_help, "show help for a command", cmd_help_usage},
    {NULL, NULL, NULL, NULL},
};

void cmd_print_usage(FILE *out)
{
	fprintf(out, "usage: stationplan [-q | -v] COMMAND [ARGS]\n"
	             "       stationplan --version | --help | help COMMAND\n\n"
	             "commands:\n");
	for (const cmd_entry *c = cmd_table; c->name; c++)
		fprintf(out, "  %-9s %s\n", c->name, c->summary);
	fprintf(out, "\noptions:\n"
	             "  -q, --quiet    only errors on stderr\n"
	             "  -v, --verbose  more detail (repeat for more: -vv)\n\n"
	             "exit status:\n"
	             "  0  ok\n"
	             "  1  usage: bad command line\n"
	             "  2  bad input: the scenario or its data has errors\n"
	             "  3  plan incomplete: demand left uncovered, or not proven within mip_gap\n"
	             "  4  internal or library error\n"
	             "  5  the output could not be written (missing or read-only folder,\n"
	             "     disk full); an earlier file at the target is untouched\n");
}

int main(int argc, char **argv)
{
	status st;
	status_init(&st);
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			st.quiet = 1;
		} else if (cmd_verbosity(a, &st)) {
			/* -v, -vv, ..., --verbose */
		} else if (!strcmp(a, "--version")) {
			char buf[256];
			version_string(buf, sizeof(buf));
			printf("%s\n", buf);
			return STATUS_OK;
		} else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			cmd_print_usage(stdout);
			return STATUS_OK;
		} else {
			fprintf(stderr, "stationplan: error: unknown option '%s'\n", a);
			cmd_print_usage(stderr);
			return STATUS_USAGE;
		}
	}
	if (i == argc) {
		cmd_print_usage(stderr);
		return STATUS_USAGE;
	}
	for (const cmd_entry *c = cmd_table; c->name; c++) {
		if (strcmp(c->name, argv[i]) == 0) {
			int rc = c->fn(argc - i, argv + i, &st);
			if (rc != STATUS_OK || st.nproblems)
				status_print(&st, stderr, 20);
			status_free(&st);
			return rc;
		}
	}
	fprintf(stderr, "stationplan: error: unknown command '%s' (see 'stationplan --help')\n",
	        argv[i]);
	return STATUS_USAGE;
}
