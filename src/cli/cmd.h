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
int cmd_shards(int argc, char **argv, status *st);
int cmd_check(int argc, char **argv, status *st);
int cmd_compare(int argc, char **argv, status *st);
int cmd_help(int argc, char **argv, status *st);
int cmd_tables(int argc, char **argv, status *st);
int cmd_report(int argc, char **argv, status *st);

extern const char cmd_run_usage[];
extern const char cmd_merge_usage[];
extern const char cmd_shards_usage[];
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

/* The options of a command that writes one file beside its printout:
 * -o/--output FILE and --overwrite. */
typedef struct cmd_output {
	const char *path; /* NULL: none given */
	int overwrite;
} cmd_output;

/* argv[*i] when it is -o/--output FILE (with its value: *i advanced past
 * it), --overwrite or -q/--quiet: recorded into `o` or st->quiet and 1
 * returned; 0 for any other argument (src/cli/cmd_opts.c). */
int cmd_output_opt(int argc, char **argv, int *i, cmd_output *o, status *st);

/* `arg` when it is --overwrite or -q/--quiet: recorded into *overwrite or
 * st->quiet and 1 returned; 0 for any other argument. For a command that
 * takes its output as a positional argument (merge); cmd_output_opt() is
 * -o/--output and this. */
int cmd_overwrite_opt(const char *arg, int *overwrite, status *st);

/* Append `s` to the `sep`-separated list in *buf (NULL: empty; malloc'd,
 * the caller frees it). Returns 0, -1 out of memory (*buf unchanged). */
int cmd_append_list(char **buf, const char *s, char sep);

/* The last branch of the option loop of a command reading plans, for an
 * argument no option took: an option ("-x"; "-" is a file) refused with
 * "<cmd>: unknown or incomplete option '<a>'", else a plan kept in
 * files[*n] while *n < max, else refused with `extra` (one %s: `a`).
 * Returns 0, or STATUS_USAGE with `usage` printed (src/cli/cmd_opts.c). */
int cmd_plan_arg(const char *cmd, const char *usage, const char *a, const char **files, int *n,
                 int max, const char *extra, status *st);

/* --by district|street of command `cmd`: 1 for "street", 0 for "district";
 * otherwise -1 with `usage` printed to stderr and st failed with
 * STATUS_USAGE "<cmd>: --by '<v>' (must be district or street)". */
int cmd_by_street(const char *cmd, const char *usage, const char *v, status *st);

/* --lang zh|en of command `cmd`: TABLES_ZH or TABLES_EN (include/tables.h);
 * otherwise -1 with `usage` printed and st failed with STATUS_USAGE
 * "<cmd>: --lang '<v>' (must be zh or en)". */
int cmd_lang(const char *cmd, const char *usage, const char *v, status *st);

/* Print `usage` to stderr and fail with STATUS_USAGE and the message
 * `fmt` (one %s: `arg`). Returns STATUS_USAGE. */
int cmd_usage_error(const char *usage, status *st, const char *fmt, const char *arg);

/* scenario_init() and scenario_load() of `file`, then with scenario_set(),
 * in this order: each of the ";"-separated `sets` (may be NULL), the one
 * assignment `extra` ("section.key=value", a sweep's; may be NULL) and
 * `threads` (solver.threads, may be NULL); then scenario_validate().
 * Returns the first failure (src/cli/cmd_opts.c); free `sc` with
 * scenario_free() in every case. */
struct scenario;
status_code cmd_load_scenario(const char *file, const char *sets, const char *extra,
                              const char *threads, struct scenario *sc, status *st);

/* Print the top-level usage to `out`. */
void cmd_print_usage(FILE *out);

#endif
