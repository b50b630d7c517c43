/*
 * cu_scenario.c: the scenario module: defaults, the INI file (syntax errors
 * with their lines, unknown keys with "did you mean"), typed values, --set,
 * validation and the canonical key/value text of the run record.
 * Fixtures: the .ini files of fixtures/bad (scripts/mkbad.py).
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_tester.h"
#include "scenario.h"

/* The message of problem i, "" when there is none. */
static const char *msg(const status *st, size_t i)
{
	return i < st->nproblems && st->problems[i].msg ? st->problems[i].msg : "";
}

/* The value text of key "section.key". */
static const char *value(const scenario *sc, const char *name)
{
	static char buf[512];
	buf[0] = '\0';
	for (size_t i = 0; i < scenario_key_count(); i++)
		if (!strcmp(scenario_key_name(i), name))
			scenario_key_value(sc, i, buf, sizeof(buf));
	return buf;
}

static void test_defaults(void)
{
	scenario sc;
	status st;
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(scenario_init(&sc, &st), STATUS_OK);
	CU_ASSERT_EQUAL(sc.households_min, 3000);
	CU_ASSERT_EQUAL(sc.households_max, 5000);
	CU_ASSERT_DOUBLE_EQUAL(sc.walk_distance_m, 1000, 0);
	CU_ASSERT_DOUBLE_EQUAL(sc.mip_gap, 0.005, 0);
	CU_ASSERT_EQUAL(sc.objective, OBJECTIVE_MIN_STATIONS);
	CU_ASSERT_EQUAL(sc.partition, PARTITION_COMPONENT);
	CU_ASSERT_EQUAL(sc.seed, 1);
	CU_ASSERT_STRING_EQUAL(sc.id_field, "code");
	CU_ASSERT_STRING_EQUAL(sc.crs, "auto");
	CU_ASSERT_STRING_EQUAL(sc.units, "");
	CU_ASSERT_STRING_EQUAL(sc.path, "plan.gpkg");
	CU_ASSERT_EQUAL(st.nproblems, 0);
	/* canonical text, in key order */
	CU_ASSERT_EQUAL(scenario_key_count(), 39);
	CU_ASSERT_STRING_EQUAL(scenario_key_name(37), "output.timings");
	CU_ASSERT_STRING_EQUAL(value(&sc, "output.timings"), "false");
	CU_ASSERT_EQUAL(sc.timings, 0);
	CU_ASSERT_STRING_EQUAL(scenario_key_name(0), "input.units");
	CU_ASSERT_PTR_NULL(scenario_key_name(scenario_key_count()));
	CU_ASSERT_STRING_EQUAL(value(&sc, "rules.households_min"), "3000");
	CU_ASSERT_STRING_EQUAL(value(&sc, "rules.walk_distance_m"), "1000");
	CU_ASSERT_STRING_EQUAL(value(&sc, "rules.objective"), "min_stations");
	CU_ASSERT_STRING_EQUAL(value(&sc, "solver.mip_gap"), "0.005");
	CU_ASSERT_STRING_EQUAL(value(&sc, "input.candidates_only"), "false");
	CU_ASSERT_STRING_EQUAL(value(&sc, "solver.partition"), "component");
	/* the default is valid apart from the missing units */
	CU_ASSERT_EQUAL(scenario_validate(&sc, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 1);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0),
	                       "input: units = '', must be set to the communities/villages source");
	scenario_free(&sc);
	status_free(&st);
}

static void test_load_good(void)
{
	scenario sc;
	status st;
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, "fixtures/bad/good_extra.ini", &st), STATUS_OK);
	CU_ASSERT_EQUAL(st.nproblems, 0);
	/* relative paths resolve against the scenario's folder */
	CU_ASSERT_STRING_EQUAL(sc.units, "fixtures/bad/good.gpkg");
	CU_ASSERT_STRING_EQUAL(sc.existing, "fixtures/bad/existing.geojson");
	CU_ASSERT_STRING_EQUAL(sc.exclude, "fixtures/bad/exclude.geojson");
	CU_ASSERT_DOUBLE_EQUAL(sc.exclude_buffer_m, 50, 0);
	CU_ASSERT_STRING_EQUAL(sc.dir, "fixtures/bad");
	CU_ASSERT_STRING_EQUAL(sc.path, "plan.gpkg"); /* a default is not resolved */
	CU_ASSERT_EQUAL(scenario_validate(&sc, &st), STATUS_OK);
	/* --set: typed, paths relative to the current folder */
	CU_ASSERT_EQUAL(scenario_set(&sc, "rules.households_max=4000", &st), STATUS_OK);
	CU_ASSERT_EQUAL(scenario_set(&sc, "input.units=other/u.gpkg", &st), STATUS_OK);
	CU_ASSERT_EQUAL(scenario_set(&sc, "input.candidates_only=yes", &st), STATUS_OK);
	CU_ASSERT_EQUAL(scenario_set(&sc, "rules.objective=MIN_DISTANCE", &st), STATUS_OK);
	CU_ASSERT_EQUAL(scenario_set(&sc, "input.exclude=a.gpkg, /abs/b.shp,PG:dbname=x", &st),
	                STATUS_OK);
	CU_ASSERT_EQUAL(sc.households_max, 4000);
	CU_ASSERT_STRING_EQUAL(sc.units, "other/u.gpkg");
	CU_ASSERT_EQUAL(sc.candidates_only, 1);
	CU_ASSERT_EQUAL(sc.objective, OBJECTIVE_MIN_DISTANCE);
	CU_ASSERT_STRING_EQUAL(value(&sc, "rules.objective"), "min_distance");
	CU_ASSERT_STRING_EQUAL(value(&sc, "input.candidates_only"), "true");
	CU_ASSERT_STRING_EQUAL(sc.exclude, "a.gpkg,/abs/b.shp,PG:dbname=x");
	CU_ASSERT_EQUAL(st.nproblems, 0);
	scenario_free(&sc);
	status_free(&st);
}

static void test_exclude_resolved_each(void)
{
	char path[600];
	snprintf(path, sizeof(path), "%s/excl.ini", cu_outdir());
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("[input]\nunits = u.gpkg ; inline comment\nexclude = a.gpkg, /abs/b.shp\n", f);
	fclose(f);
	scenario sc;
	status st;
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, path, &st), STATUS_OK);
	char want[700];
	snprintf(want, sizeof(want), "%s/a.gpkg,/abs/b.shp", cu_outdir());
	CU_ASSERT_STRING_EQUAL(sc.exclude, want);
	snprintf(want, sizeof(want), "%s/u.gpkg", cu_outdir());
	CU_ASSERT_STRING_EQUAL(sc.units, want);
	scenario_free(&sc);
	status_free(&st);
}

static void test_syntax_errors_all_lines(void)
{
	scenario sc;
	status st;
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, "fixtures/bad/bad_syntax.ini", &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 3);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), "fixtures/bad/bad_syntax.ini:3: syntax error: "
	                                    "'households_min 3000' is neither '[section]' nor "
	                                    "'key = value'");
	CU_ASSERT_STRING_EQUAL(msg(&st, 1), "fixtures/bad/bad_syntax.ini:4: syntax error: "
	                                    "'[rules' is neither '[section]' nor 'key = value'");
	/* with the header broken, the next key lands in [input] */
	CU_ASSERT_STRING_EQUAL(msg(&st, 2), "fixtures/bad/bad_syntax.ini:5: unknown key "
	                                    "'walk_distance_m' in [input] (did you mean "
	                                    "'rules.walk_distance_m'?)");
	/* the lines around the errors were still read */
	CU_ASSERT_STRING_EQUAL(sc.units, "fixtures/bad/good.gpkg");
	scenario_free(&sc);
	status_free(&st);
}

static void test_unknown_keys(void)
{
	scenario sc;
	status st;
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, "fixtures/bad/bad_key.ini", &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 4);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), "fixtures/bad/bad_key.ini:5: unknown key "
	                                    "'walk_distanse_m' in [rules] (did you mean "
	                                    "'walk_distance_m'?)");
	CU_ASSERT_STRING_EQUAL(msg(&st, 1), "fixtures/bad/bad_key.ini:6: unknown key "
	                                    "'walk_distance' in [rules] (did you mean "
	                                    "'walk_distance_m'?)");
	CU_ASSERT_STRING_EQUAL(msg(&st, 2), "fixtures/bad/bad_key.ini:7: unknown key 'path' in "
	                                    "[rules] (did you mean 'output.path'?)");
	CU_ASSERT_STRING_EQUAL(msg(&st, 3), "fixtures/bad/bad_key.ini:8: unknown section [rule] "
	                                    "(did you mean [rules]?)");
	CU_ASSERT_EQUAL(scenario_set(&sc, "rules.zzzz=1", &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(msg(&st, 4), "--set 'rules.zzzz=1': unknown key 'zzzz' in [rules]");
	CU_ASSERT_EQUAL(scenario_set(&sc, "households_max", &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(msg(&st, 5), "--set 'households_max': expected section.key=value");
	CU_ASSERT_EQUAL(scenario_set(&sc, "solvr.seed=3", &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(msg(&st, 6), "--set 'solvr.seed=3': unknown section [solvr] (did "
	                                    "you mean [solver]?)");
	scenario_free(&sc);
	status_free(&st);
}

static void test_bad_values(void)
{
	scenario sc;
	status st;
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, "fixtures/bad/bad_values.ini", &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 4);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0),
	                       "fixtures/bad/bad_values.ini:3: "
	                       "input.candidates_only = 'maybe', must be true or false");
	CU_ASSERT_STRING_EQUAL(msg(&st, 1),
	                       "fixtures/bad/bad_values.ini:5: "
	                       "rules.households_max = 'lots', must be a whole number");
	CU_ASSERT_STRING_EQUAL(msg(&st, 2), "fixtures/bad/bad_values.ini:6: rules.objective = "
	                                    "'fastest', must be one of min_stations, min_distance");
	CU_ASSERT_STRING_EQUAL(msg(&st, 3), "fixtures/bad/bad_values.ini:8: solver.mip_gap = "
	                                    "'0.01.2', must be a number");
	CU_ASSERT_EQUAL(sc.households_max, 5000); /* a bad value leaves the old one */
	scenario_free(&sc);
	status_free(&st);
}

static void test_validate(void)
{
	scenario sc;
	status st;
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, "fixtures/bad/bad_minmax.ini", &st), STATUS_OK);
	CU_ASSERT_EQUAL(scenario_validate(&sc, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 1);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), "rules: households_min = 6000 > households_max = 5000");
	scenario_free(&sc);
	status_free(&st);

	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, "fixtures/bad/bad_walk.ini", &st), STATUS_OK);
	CU_ASSERT_EQUAL(scenario_set(&sc, "solver.mip_gap=1.5", &st), STATUS_OK);
	CU_ASSERT_EQUAL(scenario_set(&sc, "input.crs=4549", &st), STATUS_OK);
	CU_ASSERT_EQUAL(scenario_validate(&sc, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 3);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), "input: crs = 4549, must be auto or EPSG:<code>");
	CU_ASSERT_STRING_EQUAL(msg(&st, 1), "rules: walk_distance_m = 0, must be > 0");
	CU_ASSERT_STRING_EQUAL(msg(&st, 2), "solver: mip_gap = 1.5, must be >= 0 and < 1");
	scenario_free(&sc);
	status_free(&st);
}

static void test_missing_and_repeated(void)
{
	scenario sc;
	status st;
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, "fixtures/bad/nosuch.ini", &st), STATUS_INPUT);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), "fixtures/bad/nosuch.ini: cannot read scenario: No "
	                                    "such file or directory");
	scenario_free(&sc);
	status_free(&st);

	char path[600];
	snprintf(path, sizeof(path), "%s/repeat.ini", cu_outdir());
	FILE *f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("units = u.gpkg\n[rules]\nhouseholds_max = 4000\n  households_max = 4500\n", f);
	fclose(f);
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, path, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 1);
	CU_ASSERT_EQUAL(st.nwarnings, 1);
	char want[800];
	snprintf(want, sizeof(want),
	         "%s:1: key 'units' outside any section (did you mean 'input.units'?)", path);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), want);
	snprintf(want, sizeof(want),
	         "%s:4: rules.households_max set again (first on line 3), the last value wins",
	         path);
	CU_ASSERT_STRING_EQUAL(msg(&st, 1), want);
	CU_ASSERT_EQUAL(sc.households_max, 4500);
	scenario_free(&sc);
	status_free(&st);
}

void scenario_suite_setup(void)
{
	CU_SUITE_ADD("scenario", NULL, NULL, CU_TEST_ENTRY(test_defaults),
	             CU_TEST_ENTRY(test_load_good), CU_TEST_ENTRY(test_exclude_resolved_each),
	             CU_TEST_ENTRY(test_syntax_errors_all_lines), CU_TEST_ENTRY(test_unknown_keys),
	             CU_TEST_ENTRY(test_bad_values), CU_TEST_ENTRY(test_validate),
	             CU_TEST_ENTRY(test_missing_and_repeated));
}
