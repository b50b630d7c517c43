/*
 * cmd_help.c: `stationplan help [COMMAND]`, the usage text of a command.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

const char cmd_help_usage[] = "usage: stationplan help [COMMAND]\n\n"
                              "Show the usage of COMMAND, or the list of commands.\n";

int cmd_help(int argc, char **argv, status *st)
{
	if (argc < 2) {
		cmd_print_usage(stdout);
		return STATUS_OK;
	}
	for (const cmd_entry *c = cmd_table; c->name; c++) {
		if (strcmp(c->name, argv[1]) == 0) {
			fputs(c->usage, stdout);
			return STATUS_OK;
		}
	}
	return status_fail(st, STATUS_USAGE, "no such command '%s' (see 'stationplan --help')",
	                   argv[1]);
}
