/*
 * cu_grow.c: the grow module: capacities doubled from 16 up to what is
 * needed, arrays resized with their contents kept, overflow refused with
 * the array untouched, n = 0 never a free; find-or-add by name keeps the
 * first of each name, zeroes and counts a new one.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "cu_tester.h"
#include "grow.h"

static void test_cap(void)
{
	CU_ASSERT_EQUAL(grow_cap(0, 1), 16);
	CU_ASSERT_EQUAL(grow_cap(0, 17), 32);
	CU_ASSERT_EQUAL(grow_cap(16, 16), 16);
	CU_ASSERT_EQUAL(grow_cap(16, 17), 32);
	CU_ASSERT_EQUAL(grow_cap(3, 4), 6);
	CU_ASSERT_EQUAL(grow_cap(100, 1000), 1600);
	CU_ASSERT_EQUAL(grow_cap(SIZE_MAX / 2 + 1, SIZE_MAX), SIZE_MAX);
}

static void test_reserve_keeps_contents(void)
{
	double *v = NULL;
	size_t cap = 0;
	for (size_t i = 0; i < 100; i++) {
		CU_ASSERT_EQUAL_FATAL(grow_reserve(&v, &cap, i + 1, sizeof(*v)), 0);
		v[i] = (double)i / 2;
	}
	CU_ASSERT_EQUAL(cap, 128);
	CU_ASSERT_EQUAL(grow_reserve(&v, &cap, 128, sizeof(*v)), 0);
	CU_ASSERT_EQUAL(cap, 128);
	CU_ASSERT_EQUAL(v[0], 0.0);
	CU_ASSERT_EQUAL(v[99], 49.5);
	free(v);
}

static void test_to_exact(void)
{
	int *v = NULL;
	CU_ASSERT_EQUAL_FATAL(grow_to(&v, 1, sizeof(*v)), 0);
	v[0] = 7;
	CU_ASSERT_EQUAL_FATAL(grow_to(&v, 3, sizeof(*v)), 0);
	v[2] = 9;
	CU_ASSERT_EQUAL(v[0], 7);
	CU_ASSERT_EQUAL(v[2], 9);
	/* n = 0 keeps room for one: realloc(p, 0) would free p */
	CU_ASSERT_EQUAL_FATAL(grow_to(&v, 0, sizeof(*v)), 0);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v);
	CU_ASSERT_EQUAL(v[0], 7);
	free(v);
}

static void test_overflow_refused(void)
{
	long *v = NULL;
	size_t cap = 0;
	CU_ASSERT_EQUAL_FATAL(grow_reserve(&v, &cap, 2, sizeof(*v)), 0);
	v[1] = 5;
	long *before = v;
	CU_ASSERT_EQUAL(grow_to(&v, SIZE_MAX / 2, sizeof(*v)), -1);
	CU_ASSERT_EQUAL(grow_reserve(&v, &cap, SIZE_MAX / 4, sizeof(*v)), -1);
	CU_ASSERT_PTR_EQUAL(v, before);
	CU_ASSERT_EQUAL(cap, 16);
	CU_ASSERT_EQUAL(v[1], 5);
	free(v);
}

typedef struct named {
	long order;
	char *name;
} named;

static void test_named(void)
{
	named *v = NULL;
	size_t n = 0;
	int added = -1;
	named *a = grow_named(&v, &n, sizeof(*v), offsetof(named, name), "east", &added);
	CU_ASSERT_PTR_NOT_NULL_FATAL(a);
	CU_ASSERT_EQUAL(added, 1);
	CU_ASSERT_EQUAL(n, 1);
	CU_ASSERT_EQUAL(a->order, 0); /* zeroed */
	CU_ASSERT_STRING_EQUAL(a->name, "east");
	a->order = 7;
	named *b = grow_named(&v, &n, sizeof(*v), offsetof(named, name), "west", &added);
	CU_ASSERT_PTR_NOT_NULL_FATAL(b);
	CU_ASSERT_EQUAL(added, 1);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_PTR_EQUAL(b, &v[1]);
	named *c = grow_named(&v, &n, sizeof(*v), offsetof(named, name), "east", &added);
	CU_ASSERT_PTR_EQUAL(c, &v[0]);
	CU_ASSERT_EQUAL(added, 0);
	CU_ASSERT_EQUAL(n, 2);
	CU_ASSERT_EQUAL(c->order, 7);
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

void grow_suite_setup(void)
{
	CU_SUITE_ADD("grow", NULL, NULL, CU_TEST_ENTRY(test_cap),
	             CU_TEST_ENTRY(test_reserve_keeps_contents), CU_TEST_ENTRY(test_to_exact),
	             CU_TEST_ENTRY(test_overflow_refused), CU_TEST_ENTRY(test_named));
}
