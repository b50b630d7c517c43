/*
 * cu_harness.c: the test harness itself (tests/cu_tester.c).
 *
 * A test that fails a fatal assertion right after cu_run never reaches its
 * free(): the harness must keep that captured output reachable so that
 * LeakSanitizer (make sanitize) reports the failure and not a leak. The test
 * runs the harness again on a test that fails that way on purpose (only
 * when SP_HARNESS_FAIL=1, so the normal run never fails) and checks that the
 * inner run ends with exactly that failure (exit status 2: one assertion,
 * one test) and no leak report. Under a build
 * without sanitizers the leak check cannot fire, and the test checks the
 * exit status and the summary only.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_tester.h"

/* The deliberate failure: captured output, then a fatal assertion. */
static void test_fatal_after_run(void)
{
	const char *fail = getenv("SP_HARNESS_FAIL");
	char *out = NULL, *err = NULL;
	CU_ASSERT_EQUAL(cu_run("(echo captured; echo noise >&2)", &out, &err), 0);
	CU_ASSERT_STRING_EQUAL(out, "captured\n");
	if (fail && !strcmp(fail, "1"))
		CU_ASSERT_FATAL(out == NULL); /* jumps past the frees below */
	free(out);
	free(err);
}

/* The inner run of test_fatal_after_run with SP_HARNESS_FAIL=1. */
static void test_fatal_assert_no_leak_report(void)
{
	const char *fail = getenv("SP_HARNESS_FAIL");
	if (fail && !strcmp(fail, "1"))
		return; /* we are the inner run */
	const char *b = getenv("SP_BUILD");
	char cmd[1024];
	snprintf(cmd, sizeof cmd, "SP_HARNESS_FAIL=1 %s/cu_tester harness", b && *b ? b : "build");
	char *out = NULL, *err = NULL;
	int rc = cu_run(cmd, &out, &err);
	/* one failed assertion + one failed test; 86 would be a sanitizer report */
	CU_ASSERT_EQUAL(rc, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "test_fatal_after_run ...FAILED"));
	CU_ASSERT_PTR_NULL(strstr(err, "LeakSanitizer"));
	CU_ASSERT_PTR_NULL(strstr(err, "ERROR: AddressSanitizer"));
	free(out);
	free(err);
}

void harness_suite_setup(void)
{
	CU_SUITE_ADD("harness", NULL, NULL, CU_TEST_ENTRY(test_fatal_after_run),
	             CU_TEST_ENTRY(test_fatal_assert_no_leak_report));
}
