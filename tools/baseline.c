/*
 * baseline.c: write the compact textbook model of a scenario as free MPS,
 * for the glpsol baseline of `make bench` (scripts/bench.sh).
 *
 *   baseline SCENARIO.ini -o MODEL.mps [--set section.key=value ...]
 *
 * Reads the inputs and builds sites and reach with the library exactly as
 * `stationplan run` does, then solver/baseline.c writes the model. Prints
 * one line: "units U sites S rows R cols C nonzeros N villages V seconds T".
 * Exit status as stationplan's (0 ok, 1 usage, 2 bad input, 4 internal).
 */
#include <stdio.h>
#include <string.h>

#include "baseline.h"
#include "clock.h"
#include "plan.h"

int main(int argc, char **argv)
{
	const char *scen = NULL, *out = NULL;
	status st;
	scenario sc;
	inputs in = {0};
	unit_geom *ug = NULL;
	site_table sites = {0};
	reach r = {0};
	baseline_info info;
	status_code rc;
	double t0 = clock_now_s();

	status_init(&st);
	st.quiet = 1;
	if ((rc = scenario_init(&sc, &st)) != STATUS_OK)
		goto done;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out = argv[++i];
		else if (strcmp(argv[i], "--set") == 0 && i + 1 < argc)
			i++; /* applied after the file, below */
		else if (!scen && argv[i][0] != '-')
			scen = argv[i];
		else {
			rc = status_fail(&st, STATUS_USAGE, "'%s': unknown argument", argv[i]);
			goto done;
		}
	}
	if (!scen || !out) {
		rc = status_fail(&st, STATUS_USAGE,
		                 "usage: baseline SCENARIO.ini -o MODEL.mps [--set key=value ...]");
		goto done;
	}
	if ((rc = scenario_load(&sc, scen, &st)) != STATUS_OK)
		goto done;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--set") == 0 && i + 1 < argc &&
		    (rc = scenario_set(&sc, argv[++i], &st)) != STATUS_OK)
			goto done;
	if ((rc = scenario_validate(&sc, &st)) != STATUS_OK ||
	    (rc = inputs_read(&sc, &in, &st)) != STATUS_OK ||
	    (rc = unit_geom_prepare(&in, &sc, &ug, &st)) != STATUS_OK ||
	    (rc = sites_build(&in, &sc, ug, &sites, &st)) != STATUS_OK ||
	    (rc = reach_build(&in, &sites, &sc, ug, &r, &st)) != STATUS_OK ||
	    (rc = baseline_write_mps(&in, &sites, &r, &sc, out, &info, &st)) != STATUS_OK)
		goto done;
	printf("units %zu sites %zu rows %zu cols %zu nonzeros %zu villages %zu seconds %.2f\n",
	       info.nunits, info.nsites, info.nrows, info.ncols, info.nnz, info.nvillages,
	       clock_now_s() - t0);
done:
	if (rc != STATUS_OK)
		status_print(&st, stderr, 10);
	unit_geom_free(ug);
	reach_free(&r);
	sites_free(&sites);
	inputs_free(&in);
	scenario_free(&sc);
	status_free(&st);
	return (int)rc;
}
