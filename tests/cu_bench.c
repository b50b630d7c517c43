/*
 * cu_bench.c: what `make bench` (scripts/bench.sh, scripts/mkcities.sh)
 * says before any work on a machine that lacks something: no GNU time
 * (/usr/bin/time, Debian package `time`; SP_TIME stands in for it here),
 * an unknown SP_BENCH_SET. Each case must fail at once with exit 1 and one
 * clear line, not after minutes with "awk: cannot open ...time.txt".
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_tester.h"

static const char *build_dir(void)
{
	const char *b = getenv("SP_BUILD");
	return b && *b ? b : "build";
}

/* Run `ENV scripts/SCRIPT ARGS`; expect exit 1, nothing on stdout and
 * exactly `want` on stderr. */
static void expect_refusal(const char *env, const char *script, const char *args, const char *want)
{
	char cmd[1024], *out = NULL, *err = NULL;
	snprintf(cmd, sizeof cmd, "%s sh scripts/%s %s", env, script, args);
	CU_ASSERT_EQUAL(cu_run(cmd, &out, &err), 1);
	CU_ASSERT_STRING_EQUAL(out, "");
	CU_ASSERT_STRING_EQUAL(err, want);
	free(out);
	free(err);
}

static void test_bench_needs_gnu_time(void)
{
	char args[600];
	snprintf(args, sizeof args, "%s %s", cu_bin(), build_dir());
	expect_refusal("SP_TIME=/nonexistent/time", "bench.sh", args,
	               "bench: '/nonexistent/time' not found: make bench needs GNU time "
	               "(Debian package 'time'; make deps installs it)\n");
}

static void test_bench_set(void)
{
	char args[600];
	snprintf(args, sizeof args, "%s %s", cu_bin(), build_dir());
	expect_refusal("SP_BENCH_SET=huge", "bench.sh", args,
	               "bench: SP_BENCH_SET='huge': expected quick or full\n");
	snprintf(args, sizeof args, "%s huge", build_dir());
	expect_refusal("", "mkcities.sh", args, "mkcities: set 'huge': expected quick or full\n");
}

void bench_suite_setup(void)
{
	CU_SUITE_ADD("bench", NULL, NULL, CU_TEST_ENTRY(test_bench_needs_gnu_time),
	             CU_TEST_ENTRY(test_bench_set));
}
