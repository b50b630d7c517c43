/*
 * cu_scenario_text.c: the scenario reader on hostile text (issue 14 rows
 * 2-5): lines of any length, keys longer than any known key (the "did you
 * mean" search), NUL bytes and invalid UTF-8 refused with their line, and
 * the syntax-error rounds always ending. Each test writes its file into
 * the scratch folder and reads it with scenario_load(), as `run` does.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_tester.h"
#include "scenario.h"

static const char *msg(const status *st, size_t i)
{
	return i < st->nproblems && st->problems[i].msg ? st->problems[i].msg : "";
}

/* Write `len` bytes to <outdir>/<name>; the path goes into path. */
static void write_text(const char *name, const char *text, size_t len, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", cu_outdir(), name);
	FILE *f = fopen(path, "wb");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fwrite(text, 1, len, f);
	fclose(f);
}

/* `n` copies of c, as a malloc'd string. */
static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

/* Row 2: an unknown key of 64 or more characters crashed the "did you
 * mean" search, in the file and through --set. */
static void test_long_unknown_key(void)
{
	char path[600], text[400], want[900];
	char *key = repeat('k', 70);
	snprintf(text, sizeof(text), "[rules]\n%s = 1\n", key);
	write_text("longkey.ini", text, strlen(text), path, sizeof(path));
	scenario sc;
	status st;
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, path, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 1);
	snprintf(want, sizeof(want), "%s:2: unknown key '%s' in [rules]", path, key);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), want);
	snprintf(text, sizeof(text), "rules.%s=1", key);
	CU_ASSERT_EQUAL(scenario_set(&sc, text, &st), STATUS_INPUT);
	snprintf(want, sizeof(want), "--set 'rules.%s=1': unknown key '%s' in [rules]", key, key);
	CU_ASSERT_STRING_EQUAL(msg(&st, 1), want);
	scenario_free(&sc);
	status_free(&st);
	free(key);
}

/* Rows 3 and 4: a line of 199 or more characters was joined with the next
 * one (a setting silently dropped, line numbers drifting, and the rounds
 * that blank bad lines never ending). Now: the long comment is a comment,
 * the key after it applies, a long value arrives whole, and the syntax
 * error is on its own line. */
static void test_long_lines(void)
{
	char path[600], want[900];
	char *comment = repeat('c', 250), *dir = repeat('d', 5000);
	size_t cap = 12000;
	char *text = malloc(cap);
	snprintf(text, cap,
	         "[input]\n;%s\nunits = /%s/u.gpkg\n[rules]\n# %s\nhouseholds_max = 100000\n"
	         "; %s\noops\nhouseholds_min = 7\n",
	         comment, dir, comment, comment);
	write_text("longline.ini", text, strlen(text), path, sizeof(path));
	scenario sc;
	status st;
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, path, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 1);
	snprintf(want, sizeof(want),
	         "%s:8: syntax error: 'oops' is neither '[section]' nor 'key = value'", path);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), want);
	CU_ASSERT_EQUAL(sc.households_max, 100000);
	CU_ASSERT_EQUAL(sc.households_min, 7);
	CU_ASSERT_EQUAL(strlen(sc.units), 5000 + 8);
	CU_ASSERT_EQUAL(strncmp(sc.units + 1, dir, 5000), 0);
	scenario_free(&sc);
	status_free(&st);
	free(text), free(comment), free(dir);
}

/* Row 5: a NUL byte ended the file silently; invalid UTF-8 (a GBK file)
 * went through garbled. Both are refused, with line and column, and no
 * value of the file is applied. */
static void test_nul_and_utf8(void)
{
	char path[600], want[900];
	static const char nul[] = "[rules]\nhouseholds_max = 4000\nhouseholds_min = 1\0\n"
	                          "households_max = 9\n";
	write_text("nul.ini", nul, sizeof(nul) - 1, path, sizeof(path));
	scenario sc;
	status st;
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, path, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 1);
	snprintf(want, sizeof(want), "%s:3: NUL byte at column 19 (a binary file?)", path);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), want);
	CU_ASSERT_EQUAL(sc.households_max, 5000);
	scenario_free(&sc);
	status_free(&st);

	/* "名称" in GBK on line 2, an overlong '/' (0xc0 0xaf) on line 3 */
	static const char gbk[] = "[input]\nname_field = \xc3\xfb\xb3\xc6\n"
	                          "units = \xc0\xaf\n[rules]\nhouseholds_max = 4000\n";
	write_text("gbk.ini", gbk, sizeof(gbk) - 1, path, sizeof(path));
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, path, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 2);
	snprintf(want, sizeof(want),
	         "%s:2: byte 0xc3 at column 14 is not UTF-8 (save the file as UTF-8)", path);
	CU_ASSERT_STRING_EQUAL(msg(&st, 0), want);
	snprintf(want, sizeof(want),
	         "%s:3: byte 0xc0 at column 9 is not UTF-8 (save the file as UTF-8)", path);
	CU_ASSERT_STRING_EQUAL(msg(&st, 1), want);
	CU_ASSERT_EQUAL(sc.households_max, 5000);
	scenario_free(&sc);
	status_free(&st);

	/* valid UTF-8 (Chinese values, a BOM) still reads */
	static const char good[] = "\xef\xbb\xbf[input]\nkind_urban_values = 社区,居委会\n";
	write_text("utf8.ini", good, sizeof(good) - 1, path, sizeof(path));
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, path, &st), STATUS_OK);
	CU_ASSERT_STRING_EQUAL(sc.kind_urban_values, "社区,居委会");
	scenario_free(&sc);
	status_free(&st);
}

/* Many syntax errors, each after a long line, all reported with their own
 * line, in one call (each round of the reader blanks one more line). */
static void test_many_errors_end(void)
{
	char path[600], want[900];
	char *comment = repeat('x', 300);
	size_t cap = 40 * 320;
	char *text = malloc(cap);
	size_t n = 0;
	for (int i = 0; i < 30; i++)
		n += (size_t)snprintf(text + n, cap - n, ";%s\nbad%d\n", comment, i);
	write_text("many.ini", text, n, path, sizeof(path));
	scenario sc;
	status st;
	status_init(&st);
	scenario_init(&sc, &st);
	CU_ASSERT_EQUAL(scenario_load(&sc, path, &st), STATUS_INPUT);
	CU_ASSERT_EQUAL(st.nerrors, 30);
	snprintf(want, sizeof(want),
	         "%s:60: syntax error: 'bad29' is neither '[section]' nor 'key = value'", path);
	CU_ASSERT_STRING_EQUAL(msg(&st, 29), want);
	scenario_free(&sc);
	status_free(&st);
	free(text), free(comment);
}

void scenario_text_suite_setup(void)
{
	CU_SUITE_ADD("scenario_text", NULL, NULL, CU_TEST_ENTRY(test_long_unknown_key),
	             CU_TEST_ENTRY(test_long_lines), CU_TEST_ENTRY(test_nul_and_utf8),
	             CU_TEST_ENTRY(test_many_errors_end));
}
