/*
 * cu_tester.h: helpers shared by the test suites.
 */
#ifndef STATIONPLAN_CU_TESTER_H
#define STATIONPLAN_CU_TESTER_H

#include <CUnit/CUnit.h>

/* Register a suite with its tests: PG_ADD_SUITE-like convenience. */
#define CU_SUITE_ADD(name, init, clean, ...)                                                       \
	do {                                                                                       \
		CU_pSuite suite_ = CU_add_suite(name, init, clean);                                \
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
 * malloc'd strings (caller frees). Returns the exit status, or -1. */
int cu_run(const char *cmdline, char **out, char **err);

/* The stationplan binary under test ($SP_BIN, default ./stationplan) and a
 * scratch folder for outputs ($SP_BUILD/test-out, created). */
const char *cu_bin(void);
const char *cu_outdir(void);

#endif
