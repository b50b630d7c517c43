/*
 * cmd_shards.c: `stationplan shards SCENARIO.ini N -o CUT [--shard-by
 * district|component] [--set k=v]... [--threads N]`: the whole problem read
 * and built once, its cut into N shards written to CUT
 * (src/cli/pipeline.c pipeline_cut, src/geom/shard_cut.c), so that each
 * `run --shard K/N --cut CUT` reads and builds only its own units.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "pipeline.h"
#include "shard.h"

const char cmd_shards_usage[] =
    "usage: stationplan shards SCENARIO.ini N -o CUT [--shard-by district|component]\n"
    "                          [--set section.key=value]... [--threads N] [-q | -v]\n\n"
    "Read the scenario's whole input once, build its candidate sites and walking\n"
    "reach, cut it into N shards as 'run --shard K/N' does (whole districts, or\n"
    "whole reach components with --shard-by component) and write the cut to CUT:\n"
    "the shard of every unit and site, the whole problem's objective scale and a\n"
    "fingerprint of each shard's tables. Then\n\n"
    "  stationplan run SCENARIO.ini --shard K/N --cut CUT -o shard-K.gpkg\n\n"
    "reads and builds only shard K's units (the same --set values; the run checks\n"
    "the scenario, the input files and its tables against the cut) and\n"
    "'stationplan merge' joins the shards as usual.\n\n"
    "exit status: 0 written; 1 usage; 2 bad input; 4 internal error; 5 CUT cannot\n"
    "be written.\n";

int cmd_shards(int argc, char **argv, status *st)
{
	const char *file = NULL, *n_text = NULL, *out = NULL, *by = NULL, *threads = NULL;
	char *sets = NULL;
	status_code rc = STATUS_OK;
	for (int i = 1; i < argc && rc == STATUS_OK; i++) {
		const char *a = argv[i];
		if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(a, "--shard-by") && i + 1 < argc)
			by = argv[++i];
		else if (!strcmp(a, "--threads") && i + 1 < argc)
			threads = argv[++i];
		else if (!strcmp(a, "--set") && i + 1 < argc) {
			if (cmd_append_list(&sets, argv[++i], ';') != 0)
				rc = status_fail(st, STATUS_INTERNAL, "out of memory");
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
			st->quiet = 1;
		else if (cmd_verbosity(a, st))
			continue;
		else if (a[0] == '-' && a[1])
			rc =
			    cmd_usage_error(cmd_shards_usage, st, "shards: unknown option '%s'", a);
		else if (!file)
			file = a;
		else if (!n_text)
			n_text = a;
		else
			rc = cmd_usage_error(cmd_shards_usage, st,
			                     "shards: unexpected argument '%s'", a);
	}
	shard_spec spec = {0};
	char kn[64];
	if (rc == STATUS_OK && (!file || !n_text || !out))
		rc = cmd_usage_error(cmd_shards_usage, st, "%s",
		                     "shards: give the scenario, the number of shards and -o CUT");
	if (rc == STATUS_OK) {
		snprintf(kn, sizeof(kn), "1/%s", n_text);
		rc = shard_parse(kn, by, &spec, st);
	}
	scenario sc;
	int loaded = 0;
	if (rc == STATUS_OK) {
		loaded = 1;
		rc = cmd_load_scenario(file, sets, NULL, threads, &sc, st);
	}
	if (rc == STATUS_OK)
		rc = pipeline_cut(&sc, spec.n, spec.by, out, st);
	if (loaded)
		scenario_free(&sc);
	free(sets);
	return rc;
}
