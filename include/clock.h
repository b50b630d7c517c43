/*
 * clock.h: the one monotonic clock every stage, progress bar and deadline
 * reads (src/core/clock.c).
 */
#ifndef STATIONPLAN_CLOCK_H
#define STATIONPLAN_CLOCK_H

/* Seconds since an arbitrary fixed point, from CLOCK_MONOTONIC: never goes
 * back, unaffected by changes of the wall clock. Never fails. */
double clock_now_s(void);

#endif
