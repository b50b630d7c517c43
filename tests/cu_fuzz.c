/*
 * cu_fuzz.c: every input the fuzzers found trouble with, replayed (issue
 * 14). Each file under fixtures/fuzz/<target>/ goes through the same
 * target function as `make fuzz` (tests/fuzz/fuzz.h); under `make
 * sanitize` any memory error or undefined behaviour it once caused fails
 * the run again, and in every build a crash or hang fails it. The seed
 * plan (fixtures/fuzz/seed-plan.gpkg) is replayed too, and must read.
 */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_tester.h"
#include "fuzz/fuzz.h"
#include "planfile.h"

/* Feed every file of fixtures/fuzz/<target> to fn; returns the count. */
static int replay(const char *target, int (*fn)(const uint8_t *, size_t))
{
	char dir[256], path[600];
	int n = 0;
	snprintf(dir, sizeof(dir), "fixtures/fuzz/%s", target);
	DIR *d = opendir(dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		CU_ASSERT_PTR_NOT_NULL_FATAL(f);
		uint8_t *buf = malloc(1 << 20);
		size_t len = fread(buf, 1, 1 << 20, f);
		fclose(f);
		CU_ASSERT_EQUAL(fn(buf, len), 0);
		free(buf);
		n++;
	}
	closedir(d);
	return n;
}

static void test_replay_scenario(void)
{
	CU_ASSERT_TRUE(replay("scenario", fuzz_scenario) >= 1);
}

static void test_replay_units(void)
{
	CU_ASSERT_TRUE(replay("units", fuzz_units) >= 1);
}

static void test_replay_plan(void)
{
	replay("plan", fuzz_plan);
	/* the seed is a plan compare reads */
	planfile p;
	status st;
	status_init(&st);
	CU_ASSERT_EQUAL_FATAL(planfile_read("fixtures/fuzz/seed-plan.gpkg", &p, &st), STATUS_OK);
	CU_ASSERT_TRUE(p.nstations > 0);
	planfile_free(&p);
	status_free(&st);
}

void fuzz_suite_setup(void)
{
	CU_SUITE_ADD("fuzz", NULL, NULL, CU_TEST_ENTRY(test_replay_scenario),
	             CU_TEST_ENTRY(test_replay_units), CU_TEST_ENTRY(test_replay_plan));
}
