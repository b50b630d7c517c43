/*
 * cmd.h: the subcommands, one file each (src/cli/cmd_<name>.c), dispatched from
 * the table in src/cli/main.c. Each takes the arguments after its name and the
 * global options already parsed into `st` (-q, -v), and returns the exit
 * status (see status_code).
 */
#ifndef STATIONPLAN_CMD_H
#define STATIONPLAN_CMD_H

#include "status.h"

typedef int (*cmd_fn)(int argc, char **argv, status *st);

typedef struct cmd_entry {
	const char *name;
	cmd_fn fn;
	const char *summary; /* one line for --help */
	const char *usage;   /* full text for `help NAME` */
} cmd_entry;

int cmd_run(int argc, char **argv, status *st);
int cmd_merge(int argc, char **argv, status *st);
int cmd_check(int argc, char **argv, status *st);
int cmd_compare(int argc, char **argv, status *st);
int cmd_help(int argc, char **argv, status *st);
int cmd_tables(int argc, char **argv, status *st);
int cmd_report(int argc, char **argv, status *st);

extern const char cmd_run_usage[];
extern const char cmd_merge_usage[];
extern const char cmd_check_usage[];
extern const char cmd_compare_usage[];
extern const char cmd_help_usage[];
extern const char cmd_tables_usage[];
extern const char cmd_report_usage[];

/* The table, for `help`. NULL-terminated. */
extern const cmd_entry cmd_table[];

/* -v, -vv, -vvv ... or --verbose: raise st->verbose by the count of v's and
 * return 1; 0 for any other argument (src/cli/cmd_opts.c). */
int cmd_verbosity(const char *arg, status *st);

/* STATUS_USAGE "<cmd>: --quiet and --verbose contradict each other" when
 * both were given (globally or to the command), else STATUS_OK. */
status_code cmd_quiet_verbose(const char *cmd, status *st);

/* Print the top-level usage to `out`. */
void cmd_print_usage(FILE *out);

#endif
