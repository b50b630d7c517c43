/*
 * cu_status.c: the status module: first cause kept, problems grouped by
 * kind, print limits, warnings that do not fail.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>

#include "cu_tester.h"
#include "status.h"

static void test_fail_keeps_first(void)
{
	status st;
	status_init(&st);
	CU_ASSERT_EQUAL(status_fail(&st, STATUS_INPUT, "'%s': no such file", "a.gpkg"),
	                STATUS_INPUT);
	CU_ASSERT_EQUAL(status_fail(&st, STATUS_INTERNAL, "second"), STATUS_INTERNAL);
	CU_ASSERT_STRING_EQUAL(st.msg, "'a.gpkg': no such file");
	CU_ASSERT_EQUAL(st.code, STATUS_INTERNAL);
	CU_ASSERT_TRUE(status_failed(&st));
	status_free(&st);
}

static void test_problems_grouped(void)
{
	status st;
	status_init(&st);
	status_problem_add(&st, SEV_ERROR, "households", "fid %d: households = -3", 1);
	status_problem_add(&st, SEV_WARNING, "kind", "fid 2: unknown kind");
	status_problem_add(&st, SEV_ERROR, "geometry", "fid 3: empty geometry");
	status_problem_add(&st, SEV_ERROR, "households", "fid %d: households = -4", 4);
	CU_ASSERT_EQUAL(st.nerrors, 3);
	CU_ASSERT_EQUAL(st.nwarnings, 1);
	CU_ASSERT_EQUAL(st.code, STATUS_INPUT);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	status_print(&st, f, 0);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "households errors (2):\n"
	                            "  error: fid 1: households = -3\n"
	                            "  error: fid 4: households = -4\n"
	                            "geometry errors (1):\n"
	                            "  error: fid 3: empty geometry\n"
	                            "kind warnings (1):\n"
	                            "  warning: fid 2: unknown kind\n");
	free(buf);
	status_free(&st);
}

static void test_print_limit(void)
{
	status st;
	status_init(&st);
	for (int i = 0; i < 5; i++)
		status_problem_add(&st, SEV_ERROR, "id", "duplicate %d", i);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	status_print(&st, f, 2);
	fclose(f);
	CU_ASSERT_STRING_EQUAL(buf, "id errors (5):\n  error: duplicate 0\n  error: duplicate 1\n"
	                            "  ... and 3 more (use -v to list all)\n");
	free(buf);
	status_free(&st);
}

static void test_warning_not_failure(void)
{
	status st;
	status_init(&st);
	status_problem_add(&st, SEV_WARNING, "kind", "x");
	CU_ASSERT_FALSE(status_failed(&st));
	CU_ASSERT_EQUAL(st.code, STATUS_OK);
	CU_ASSERT_STRING_EQUAL(status_code_name(STATUS_INCOMPLETE), "incomplete");
	status_free(&st);
}

void status_suite_setup(void)
{
	CU_SUITE_ADD("status", NULL, NULL, CU_TEST_ENTRY(test_fail_keeps_first),
	             CU_TEST_ENTRY(test_problems_grouped), CU_TEST_ENTRY(test_print_limit),
	             CU_TEST_ENTRY(test_warning_not_failure));
}
