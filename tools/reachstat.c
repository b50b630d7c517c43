/*
 * reachstat.c: measure the candidate-site and reach stages on a scenario.
 *
 *   reachstat SCENARIO.ini [--set section.key=value]... [-v]
 *
 * Reads the scenario's inputs (not timed), builds the candidate sites and
 * the walking reach, and prints one parseable line on stdout:
 *
 *   sites=N pairs=M seconds=S peak_rss_mb=R
 *
 * where seconds covers unit_geom_prepare + sites_build + reach_build and peak_rss_mb is the
 * process's peak resident set (getrusage), inputs included. With -v a
 * breakdown goes to stderr (sites by source, excluded, merged, units with
 * no pair, pairs per unit). Exit status as stationplan's: 0 ok, 1 usage,
 * 2 bad input, 4 internal error. Used by scripts/bench.sh.
 */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "reach.h"
#include "clock.h"
#include "inputs.h"
#include "scenario.h"
#include "sites.h"
#include "status.h"

static int usage(void)
{
	fprintf(stderr, "usage: reachstat SCENARIO.ini [--set section.key=value]... [-v]\n");
	return STATUS_USAGE;
}

static void breakdown(const inputs *in, const site_table *t, const reach *r, double ts, double tr)
{
	size_t nopair = 0, maxp = 0;
	for (size_t u = 0; u < r->nunits; u++) {
		size_t p = r->start[u + 1] - r->start[u];
		nopair += p == 0;
		if (p > maxp)
			maxp = p;
	}
	fprintf(stderr,
	        "units %zu; sites %zu (existing %zu, candidate %zu, representative %zu, grid %zu), "
	        "%zu excluded, %zu merged, %zu forced\n",
	        in->nunits, t->n, t->nsource[SITE_EXISTING], t->nsource[SITE_CANDIDATE],
	        t->nsource[SITE_REPRESENTATIVE], t->nsource[SITE_GRID], t->nexcluded, t->nmerged,
	        t->nforced);
	fprintf(stderr,
	        "pairs %zu (%.1f per unit, max %zu), %zu demand samples, %zu units with no pair\n",
	        r->npairs, r->nunits ? (double)r->npairs / (double)r->nunits : 0.0, maxp,
	        r->nsamples, nopair);
	fprintf(stderr, "seconds: sites %.3f, reach %.3f\n", ts, tr);
}

int main(int argc, char **argv)
{
	const char *path = NULL;
	int verbose = 0;
	status st;
	status_init(&st);
	scenario sc;
	if (scenario_init(&sc, &st) != STATUS_OK) {
		status_print(&st, stderr, 0);
		return STATUS_INTERNAL;
	}
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "--set") && i + 1 < argc)
			i++; /* applied after the file, below */
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			return usage();
	}
	if (!path)
		return usage();
	status_code rc = scenario_load(&sc, path, &st);
	for (int i = 1; i < argc && rc == STATUS_OK; i++)
		if (!strcmp(argv[i], "--set"))
			rc = scenario_set(&sc, argv[++i], &st);
	if (rc == STATUS_OK)
		rc = scenario_validate(&sc, &st);
	inputs in = {0};
	unit_geom *ug = NULL;
	site_table t = {0};
	reach r = {0};
	double t0 = 0, t1 = 0, t2 = 0;
	st.quiet = 1;
	if (rc == STATUS_OK)
		rc = inputs_read(&sc, &in, &st);
	if (rc == STATUS_OK) {
		t0 = clock_now_s();
		rc = unit_geom_prepare(&in, &sc, &ug, &st);
		if (rc == STATUS_OK)
			rc = sites_build(&in, &sc, ug, &t, &st);
		t1 = clock_now_s();
	}
	if (rc == STATUS_OK) {
		rc = reach_build(&in, &t, &sc, ug, &r, &st);
		t2 = clock_now_s();
	}
	if (rc == STATUS_OK) {
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("sites=%zu pairs=%zu seconds=%.3f peak_rss_mb=%.1f\n", t.n, r.npairs,
		       t2 - t0, (double)ru.ru_maxrss / 1024.0);
		if (verbose)
			breakdown(&in, &t, &r, t1 - t0, t2 - t1);
	} else {
		status_print(&st, stderr, 10);
	}
	unit_geom_free(ug);
	reach_free(&r);
	sites_free(&t);
	inputs_free(&in);
	scenario_free(&sc);
	status_free(&st);
	return rc;
}
