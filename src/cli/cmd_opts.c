/*
 * cmd_opts.c: the options every command shares (-q, -v, -vv, ...), parsed
 * the same way everywhere, and their contradictions refused.
 */
#include <string.h>

#include "cmd.h"

int cmd_verbosity(const char *arg, status *st)
{
	if (!strcmp(arg, "--verbose")) {
		st->verbose++;
		return 1;
	}
	if (arg[0] != '-' || arg[1] != 'v')
		return 0;
	size_t n = strspn(arg + 1, "v");
	if (arg[1 + n])
		return 0;
	st->verbose += (int)n;
	return 1;
}

status_code cmd_quiet_verbose(const char *cmd, status *st)
{
	if (st->quiet && st->verbose)
		return status_fail(st, STATUS_USAGE,
		                   "%s: --quiet and --verbose contradict each other", cmd);
	return STATUS_OK;
}
