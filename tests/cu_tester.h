/*
 * cu_tester.h: helpers shared by the test suites.
 */
#ifndef STATIONPLAN_CU_TESTER_H
#define STATIONPLAN_CU_TESTER_H

#include <CUnit/CUnit.h>

/* Register a suite with its tests: PG_ADD_SUITE-like convenience. Every
 * test runs between cu_test_setup and cu_test_teardown (see cu_run). */
#define CU_SUITE_ADD(name, init, clean, ...)                                                       \
	do {                                                                                       \
		CU_pSuite suite_ = CU_add_suite_with_setup_and_teardown(                           \
		    name, init, clean, cu_test_setup, cu_test_teardown);                           \
		struct {                                                                           \
			const char *n;                                                             \
			CU_TestFunc f;                                                             \
		} tests_[] = {__VA_ARGS__};                                                        \
		for (size_t i_ = 0; i_ < sizeof(tests_) / sizeof(tests_[0]); i_++)                 \
			CU_add_test(suite_, tests_[i_].n, tests_[i_].f);                           \
	} while (0)

/* clang-format 14 is not idempotent on this one-liner. */
// clang-format off
#define CU_TEST_ENTRY(f) {#f, f}
// clang-format on

/* Run a command line (via /bin/sh) with stdout and stderr captured into
 * malloc'd strings (caller frees). Returns the exit status, or -1. When a
 * test ends with a failed assertion (a fatal one jumps past the caller's
 * free), the harness keeps the strings it handed out during that test
 * reachable until exit, so LeakSanitizer reports the failure, not them. */
int cu_run(const char *cmdline, char **out, char **err);

/* Called by CUnit around every test registered with CU_SUITE_ADD. */
void cu_test_setup(void);
void cu_test_teardown(void);

/* The stationplan binary under test ($SP_BIN, default ./stationplan) and a
 * scratch folder for outputs ($SP_BUILD/test-out, created). */
const char *cu_bin(void);
const char *cu_outdir(void);

#endif
