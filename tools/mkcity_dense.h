/*
 * mkcity_dense.h: the city-centre density of mkcity (`--density dense`) and
 * the synthetic dense cities (`--synthetic N`), in one place so the tool and
 * its tests (tests/cu_mkcity.c) share them.
 *
 * Real city centres are not like the default layout (communities at 600 to
 * 960 m, cells up to 1.54 km², households lognormal around 2,200): in the
 * centre of Dalian or Shenyang hundreds of residents' committees of 2,000 to
 * 4,000 households each lie within walking reach of each other. The dense
 * setting makes that:
 * - every community (urban street and town alike) is seeded at
 *   MKCITY_DENSE_SPACING_M (560 m: cells of about 0.31 km²) and capped by a
 *   400 m disc (at most 0.503 km²);
 * - every community's households are uniform on [MKCITY_DENSE_HH_MIN,
 *   MKCITY_DENSE_HH_MAX] (2,000 to 4,000), drawn from the unit's own stream;
 * - villages keep the default layout and households.
 * A synthetic city has no real data behind it: N communities, in streets of
 * MKCITY_SYNTH_STREET (20) communities and districts of MKCITY_SYNTH_DISTRICT
 * (1,000) communities, all in one disc-shaped boundary around a centre
 * (default Dalian's, 121.60 E 38.91 N) whose area is 1.2 times the cells'.
 * Codes are 12 digits like the real ones, starting with 99 (no real province
 * has that code): 99 DD 00 SSS CCC (district, street, community).
 */
#ifndef STATIONPLAN_MKCITY_DENSE_H
#define STATIONPLAN_MKCITY_DENSE_H

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "mkcity_rng.h"

#define MKCITY_DENSE_SPACING_M 560.0
#define MKCITY_DENSE_HH_MIN    2000
#define MKCITY_DENSE_HH_MAX    4000
#define MKCITY_SYNTH_STREET    20
#define MKCITY_SYNTH_DISTRICT  1000
#define MKCITY_SYNTH_MAX       99000
#define MKCITY_SYNTH_LON       121.60
#define MKCITY_SYNTH_LAT       38.91

/* Households of a dense community: uniform integer on [2,000, 4,000] from the
 * stream r. */
static inline int mkcity_dense_households(mkcity_rng *r)
{
	int span = MKCITY_DENSE_HH_MAX - MKCITY_DENSE_HH_MIN + 1;
	return MKCITY_DENSE_HH_MIN + (int)floor(mkcity_rng_uniform(r) * span);
}

/* Radius in metres of the disc boundary of a synthetic city of n
 * communities: area 1.2 n spacing². */
static inline double mkcity_synth_radius(size_t n)
{
	return sqrt(1.2 * (double)n * MKCITY_DENSE_SPACING_M * MKCITY_DENSE_SPACING_M / M_PI);
}

/* The fields of synthetic community i (0-based) as one CSV-like record with
 * NUL separators in buf (capacity cap): code, name, kind, street_code,
 * street, district_code, district. Returns the bytes used (including the
 * last NUL), or 0 when cap is too small. */
static inline size_t mkcity_synth_record(size_t i, char *buf, size_t cap)
{
	size_t d = i / MKCITY_SYNTH_DISTRICT + 1;
	size_t s = (i % MKCITY_SYNTH_DISTRICT) / MKCITY_SYNTH_STREET + 1;
	size_t k = i % MKCITY_SYNTH_STREET + 1;
	char tmp[256];
	int n = snprintf(tmp, sizeof tmp,
	                 "99%02zu00%03zu%03zu%c合成%zu区%zu街道%zu社区%ccommunity%c99%02zu00%03zu%c"
	                 "合成%zu区%zu街道%c99%02zu00%c合成%zu区",
	                 d, s, k, '\0', d, s, k, '\0', '\0', d, s, '\0', d, s, '\0', d, '\0', d);
	if (n < 0 || (size_t)n >= cap || (size_t)n >= sizeof tmp)
		return 0;
	memcpy(buf, tmp, (size_t)n + 1);
	return (size_t)n + 1;
}

#endif
