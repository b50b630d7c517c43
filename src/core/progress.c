/*
 * progress.c: the stderr progress bar of include/progress.h.
 *
 * One process-wide bar guarded by a mutex. Whether and how to draw is decided
 * once per stage, in progress_start(): a redrawn bar on a terminal, GDAL's
 * "0...10...20" ticks on anything else when progress was asked for, nothing
 * when quiet. Terminal redraws are throttled to ten a second; ticks are
 * printed once each, so they need no throttle.
 *
 * A stage that reports no fraction (the solver inside a 60 s time limit)
 * would leave a terminal bar frozen at "0% 0.0s". So while a bar is open on
 * the real clock, a ticker thread redraws it every TICK_S, keeping the
 * elapsed time honest; it sleeps on a condition variable, so ending the
 * stage wakes and joins it at once. With an injected clock (tests) there is
 * no ticker, so output stays deterministic.
 */
#include "progress.h"
#include "clock.h"

#include <pthread.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 24
#define REDRAW_S  0.1
#define NTICKS    40  /* a tick every 2.5%, as GDALTermProgress */
#define TICK_S    0.5 /* ticker redraw period, seconds */

enum draw_style { DRAW_NONE, DRAW_BAR, DRAW_TICKS };

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_t ticker;
static int ticker_running; /* a ticker thread exists (to join) */
static int ticker_stop;    /* asks it to return */

static struct {
	progress_mode mode;
	FILE *out;  /* NULL: stderr */
	int is_tty; /* -1: ask isatty() */
	double (*clock_s)(void);
	int open;
	enum draw_style style;
	char stage[64];
	double t0, last_draw, fraction;
	int ticks; /* ticks printed so far, DRAW_TICKS */
} pg = {PROGRESS_AUTO, NULL, -1, NULL, 0, DRAW_NONE, "", 0, 0, 0, 0};

static FILE *out_stream(void)
{
	return pg.out ? pg.out : stderr;
}

static double now_s(void)
{
	return pg.clock_s ? pg.clock_s() : clock_now_s();
}

void progress_set_mode(progress_mode mode)
{
	pthread_mutex_lock(&lock);
	pg.mode = mode;
	pthread_mutex_unlock(&lock);
}

void progress_configure(FILE *out, int is_tty, double (*clock_s)(void))
{
	pthread_mutex_lock(&lock);
	pg.out = out;
	pg.is_tty = is_tty;
	pg.clock_s = clock_s;
	pthread_mutex_unlock(&lock);
}

/* Caller holds the lock. */
static void draw_bar(double now, int final)
{
	FILE *f = out_stream();
	int filled = (int)(pg.fraction * BAR_WIDTH + 1e-9);
	char bar[BAR_WIDTH + 1];
	for (int i = 0; i < BAR_WIDTH; i++)
		bar[i] = i < filled ? '#' : ' ';
	bar[BAR_WIDTH] = '\0';
	fprintf(f, "\r%s [%s] %3d%% %.1fs%s", pg.stage, bar, (int)(pg.fraction * 100.0 + 1e-9),
	        now - pg.t0, final ? "\n" : "");
	fflush(f);
	pg.last_draw = now;
}

/* Print the ticks up to the current fraction. Caller holds the lock. */
static void draw_ticks(void)
{
	FILE *f = out_stream();
	int due = (int)(pg.fraction * NTICKS + 1e-9);
	for (; pg.ticks < due; pg.ticks++) {
		int t = pg.ticks + 1;
		if (t % 4 == 0)
			fprintf(f, "%d", t * 10 / 4);
		else
			fputc('.', f);
	}
	fflush(f);
}

/* Caller holds the lock. `done`: the stage finished (draw 100%). Asks the
 * ticker to stop; the caller joins it after unlocking (join_ticker). */
static void end_locked(int done)
{
	if (ticker_running) {
		ticker_stop = 1;
		pthread_cond_broadcast(&wake);
	}
	if (!pg.open)
		return;
	if (done)
		pg.fraction = 1.0;
	double now = now_s();
	if (pg.style == DRAW_BAR) {
		draw_bar(now, 1);
	} else if (pg.style == DRAW_TICKS) {
		draw_ticks();
		fprintf(out_stream(), " - %s %.1fs\n", done ? "done" : "failed", now - pg.t0);
		fflush(out_stream());
	}
	pg.open = 0;
}

/* Redraw the bar every TICK_S until asked to stop. */
static void *ticker_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&lock);
	while (!ticker_stop) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += (long)(TICK_S * 1e9);
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&wake, &lock, &until);
		double now = now_s();
		if (!ticker_stop && pg.open && now - pg.last_draw >= TICK_S)
			draw_bar(now, 0);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* Join a ticker that end_locked() stopped. Caller does not hold the lock. */
static void join_ticker(void)
{
	pthread_mutex_lock(&lock);
	int join = ticker_running && ticker_stop;
	if (join)
		ticker_running = 0;
	pthread_mutex_unlock(&lock);
	if (join)
		pthread_join(ticker, NULL);
}

static enum draw_style choose_style(const status *st)
{
	if ((st && st->quiet) || pg.mode == PROGRESS_NEVER)
		return DRAW_NONE;
	int tty = pg.is_tty >= 0 ? pg.is_tty : isatty(fileno(out_stream()));
	if (tty)
		return DRAW_BAR;
	return pg.mode == PROGRESS_ALWAYS ? DRAW_TICKS : DRAW_NONE;
}

void progress_start(const status *st, const char *stage)
{
	pthread_mutex_lock(&lock);
	end_locked(1);
	pthread_mutex_unlock(&lock);
	join_ticker();
	pthread_mutex_lock(&lock);
	pg.style = choose_style(st);
	snprintf(pg.stage, sizeof(pg.stage), "%s", stage ? stage : "");
	pg.t0 = now_s();
	pg.fraction = 0;
	pg.ticks = 0;
	pg.open = 1;
	if (pg.style == DRAW_BAR) {
		draw_bar(pg.t0, 0);
		ticker_stop = 0;
		if (!pg.clock_s && !ticker_running &&
		    pthread_create(&ticker, NULL, ticker_main, NULL) == 0)
			ticker_running = 1; /* without it the bar only moves on updates */
	} else if (pg.style == DRAW_TICKS) {
		fprintf(out_stream(), "%s 0", pg.stage);
		fflush(out_stream());
	}
	pthread_mutex_unlock(&lock);
}

void progress_update(double fraction)
{
	pthread_mutex_lock(&lock);
	if (pg.open && pg.style != DRAW_NONE) {
		if (fraction > 1.0)
			fraction = 1.0;
		if (fraction > pg.fraction) /* also drops NaN */
			pg.fraction = fraction;
		if (pg.style == DRAW_TICKS) {
			draw_ticks();
		} else {
			double now = now_s();
			if (now - pg.last_draw >= REDRAW_S)
				draw_bar(now, 0);
		}
	}
	pthread_mutex_unlock(&lock);
}

void progress_end(void)
{
	pthread_mutex_lock(&lock);
	end_locked(1);
	pthread_mutex_unlock(&lock);
	join_ticker();
}

void progress_abandon(void)
{
	pthread_mutex_lock(&lock);
	end_locked(0);
	pthread_mutex_unlock(&lock);
	join_ticker();
}
