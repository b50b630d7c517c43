/*
 * cu_progress.c: the progress bar, drawn into a memory stream with a fake
 * clock and a fake terminal flag, so every byte drawn is asserted.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>

#include "cu_tester.h"
#include "progress.h"

static double fake_now;

static double fake_clock(void)
{
	return fake_now;
}

/* Run `body` with progress drawn into a string; returns it (caller frees). */
static char *capture(int tty, progress_mode mode, int quiet, void (*body)(const status *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	status st;
	status_init(&st);
	st.quiet = quiet;
	fake_now = 100.0;
	progress_configure(f, tty, fake_clock);
	progress_set_mode(mode);
	body(&st);
	progress_configure(NULL, -1, NULL);
	progress_set_mode(PROGRESS_AUTO);
	fclose(f);
	status_free(&st);
	return buf;
}

static void solve_stage(const status *st)
{
	progress_start(st, "solve");
	fake_now += 0.05;
	progress_update(0.10); /* within 0.1 s of the last draw: throttled */
	fake_now += 0.07;
	progress_update(0.42);
	fake_now += 0.01;
	progress_update(0.30); /* backwards: ignored (and throttled) */
	fake_now += 2.97;
	progress_end();
}

static void test_tty_bar(void)
{
	char *s = capture(1, PROGRESS_AUTO, 0, solve_stage);
	CU_ASSERT_STRING_EQUAL(s, "\rsolve [                        ]   0% 0.0s"
	                          "\rsolve [##########              ]  42% 0.1s"
	                          "\rsolve [########################] 100% 3.1s\n");
	free(s);
}

static void test_not_tty(void)
{
	/* Not a terminal: nothing by default... */
	char *s = capture(0, PROGRESS_AUTO, 0, solve_stage);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	/* ...GDAL-style ticks with --progress. */
	s = capture(0, PROGRESS_ALWAYS, 0, solve_stage);
	CU_ASSERT_STRING_EQUAL(s, "solve 0...10...20...30...40...50...60...70...80...90...100 - "
	                          "done 3.1s\n");
	free(s);
}

static void quiet_stages(const status *st)
{
	progress_start(st, "read");
	progress_update(0.5);
	progress_start(st, "sites"); /* ends "read" first */
	progress_end();
	progress_end(); /* nothing open: no-op */
	progress_update(0.9);
}

static void test_quiet_and_never(void)
{
	char *s = capture(1, PROGRESS_ALWAYS, 1, quiet_stages);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	s = capture(1, PROGRESS_NEVER, 0, quiet_stages);
	CU_ASSERT_STRING_EQUAL(s, "");
	free(s);
	s = capture(0, PROGRESS_ALWAYS, 0, quiet_stages);
	CU_ASSERT_STRING_EQUAL(s,
	                       "read 0...10...20...30...40...50...60...70...80...90...100 - done "
	                       "0.0s\nsites 0...10...20...30...40...50...60...70...80...90...100 "
	                       "- done 0.0s\n");
	free(s);
}

void progress_suite_setup(void)
{
	CU_SUITE_ADD("progress", NULL, NULL, CU_TEST_ENTRY(test_tty_bar),
	             CU_TEST_ENTRY(test_not_tty), CU_TEST_ENTRY(test_quiet_and_never));
}
