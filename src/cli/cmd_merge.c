/*
 * cmd_merge.c: `stationplan merge OUT.gpkg SHARD.gpkg...`, the shard files
 * of `run --shard K/N` joined into one plan (io/plan_merge.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cmd.h"
#include "plan_merge.h"
#include "plan_output.h"

const char cmd_merge_usage[] =
    "usage: stationplan merge OUT.gpkg SHARD.gpkg... [--overwrite] [-q]\n"
    "       stationplan merge PG:... --schema NAME SHARD.gpkg... [--overwrite] [-q]\n\n"
    "Join the files of 'stationplan run ... --shard K/N' (K = 1..N, any order)\n"
    "into one plan with the layers of a single run: stations renumbered as a\n"
    "single run numbers them, rows in its order, summaries over all shards,\n"
    "the run record of the whole plan plus a 'run_shards' table (one row per\n"
    "shard). The result equals, layer by layer, a single run on the same inputs.\n\n"
    "  --overwrite   replace an existing OUT.gpkg (or schema)\n"
    "  --schema NAME the PostGIS schema when OUT is PG:... (as output.schema of run)\n\n"
    "exit status: 0 merged; 1 usage; 2 a file is not a shard, shards of different\n"
    "cuts, a shard given twice or missing; 4 internal error.\n";

int cmd_merge(int argc, char **argv, status *st)
{
	const char *out = NULL, *schema = NULL;
	int overwrite = 0;
	const char **shards = calloc((size_t)argc + 1, sizeof(char *));
	size_t n = 0;
	if (!shards)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	status_code rc = STATUS_OK;
	for (int i = 1; i < argc && rc == STATUS_OK; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--overwrite"))
			overwrite = 1;
		else if (!strcmp(a, "--schema") && i + 1 < argc)
			schema = argv[++i];
		else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
			st->quiet = 1;
		else if (a[0] == '-' && a[1]) {
			fputs(cmd_merge_usage, stderr);
			rc = status_fail(st, STATUS_USAGE, "merge: unknown option '%s'", a);
		} else if (!out)
			out = a;
		else
			shards[n++] = a;
	}
	if (rc == STATUS_OK && (!out || n == 0)) {
		fputs(cmd_merge_usage, stderr);
		rc = status_fail(st, STATUS_USAGE,
		                 "merge: give the output file and the shard files");
	}
	if (rc == STATUS_OK && pg_target_is_pg(out)) {
		/* merged into a temporary GeoPackage, then copied in one transaction */
		scenario sc = {0};
		sc.schema = (char *)(schema ? schema : "");
		char tmp[4096];
		const char *dir = getenv("TMPDIR");
		snprintf(tmp, sizeof(tmp), "%s/stationplan-merge-%ld.gpkg",
		         dir && *dir ? dir : "/tmp", (long)getpid());
		unlink(tmp);
		rc = pg_check_target(out, &sc, overwrite, st);
		if (rc == STATUS_OK)
			rc = plan_merge(tmp, 0, shards, n, st);
		if (rc == STATUS_OK)
			rc = pg_copy_plan(tmp, out, &sc, overwrite, st);
		unlink(tmp);
	} else if (rc == STATUS_OK) {
		rc = plan_merge(out, overwrite, shards, n, st);
	}
	if (rc == STATUS_OK && !st->quiet)
		printf("merged %zu shard(s) into %s\n", n, out);
	free(shards);
	return rc;
}
