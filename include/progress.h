/*
 * progress.h: a progress bar on stderr for long stages.
 *
 * Any stage may report how far it is: progress_start() when it begins,
 * progress_update() with the fraction done (0..1) as it goes, progress_end()
 * when it is over. On a terminal the bar redraws in place:
 *
 *     \rsolve [############        ] 42% 3.1s
 *
 * at most ten times a second. When stderr is not a terminal nothing is drawn,
 * unless the command line asked for progress (`run --progress`), in which
 * case the GDAL style is used, one line per stage:
 *
 *     solve 0...10...20...30...40...50...60...70...80...90...100 - done 3.1s
 *
 * With -q (status.quiet) nothing is ever printed. There is one bar per
 * process; the calls are thread-safe, so worker threads may call
 * progress_update(). The output stream, the terminal test and the clock can
 * be injected (progress_configure) so tests see exactly what is drawn.
 */
#ifndef STATIONPLAN_PROGRESS_H
#define STATIONPLAN_PROGRESS_H

#include <stdio.h>

#include "status.h"

typedef enum progress_mode {
	PROGRESS_AUTO = 0,   /* a bar when stderr is a terminal, nothing otherwise */
	PROGRESS_ALWAYS = 1, /* --progress: a bar on a terminal, GDAL dots otherwise */
	PROGRESS_NEVER = 2   /* never draw */
} progress_mode;

/* Choose when to draw (default PROGRESS_AUTO). Call before progress_start(). */
void progress_set_mode(progress_mode mode);

/* Injection for tests: draw on `out` instead of stderr, treat it as a
 * terminal when `is_tty` is 1 (0: not a terminal, -1: ask isatty() of out's
 * descriptor), read time from `clock_s` (seconds, monotonic; NULL = the real
 * monotonic clock). Passing (NULL, -1, NULL) restores the defaults. The
 * stream is borrowed, not closed. */
void progress_configure(FILE *out, int is_tty, double (*clock_s)(void));

/* Begin a stage named `stage` (a static string or one that outlives the
 * stage; it is copied). Draws 0% unless quiet or not drawing. A stage still
 * open is ended first. `st` may be NULL (treated as not quiet). */
void progress_start(const status *st, const char *stage);

/* Report the fraction done of the current stage, clamped to 0..1 and never
 * going backwards. Redraws when due. No-op with no open stage. */
void progress_update(double fraction);

/* End the current stage: draws 100% and the elapsed time, then a newline.
 * No-op with no open stage. */
void progress_end(void);

/* Close the current stage's line without claiming it finished (a stage that
 * failed): the bar stays at its last fraction and a newline follows; the
 * ticks end with " - failed". No-op with no open stage. */
void progress_abandon(void);

#endif
