/*
 * mkcity_rng.h: the generator's own pseudo-random numbers.
 *
 * mkcity must write the same bytes for the same seed on every machine, so it
 * never calls rand(): every draw comes from xoshiro256** (Blackman and Vigna),
 * seeded through splitmix64. Streams are derived from (seed, key) pairs, so a
 * unit's household count depends only on the seed and its code, and a
 * district's layout only on the seed and the district code: generating one
 * district alone gives the same values as generating the whole city.
 */
#ifndef STATIONPLAN_MKCITY_RNG_H
#define STATIONPLAN_MKCITY_RNG_H

#include <math.h>
#include <stdint.h>

typedef struct mkcity_rng {
	uint64_t s[4];
} mkcity_rng;

/* splitmix64 step: advances *x and returns a well-mixed 64-bit value. */
static inline uint64_t mkcity_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* FNV-1a hash of a string, used to derive a stream from a code. */
static inline uint64_t mkcity_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* Seed a stream from the user seed and a key (e.g. a unit code). */
static inline void mkcity_rng_init(mkcity_rng *r, uint64_t seed, const char *key)
{
	uint64_t x = seed ^ mkcity_hash(key);
	for (int i = 0; i < 4; i++)
		r->s[i] = mkcity_splitmix64(&x);
}

static inline uint64_t mkcity_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* Next 64 random bits (xoshiro256**). */
static inline uint64_t mkcity_rng_next(mkcity_rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = mkcity_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = mkcity_rotl(s[3], 45);
	return out;
}

/* Uniform double in [0, 1) with 53 random bits. */
static inline double mkcity_rng_uniform(mkcity_rng *r)
{
	return (double)(mkcity_rng_next(r) >> 11) * 0x1.0p-53;
}

/* Standard normal deviate (Box-Muller, one value per call). */
static inline double mkcity_rng_normal(mkcity_rng *r)
{
	double u = 1.0 - mkcity_rng_uniform(r); /* (0, 1] */
	double v = mkcity_rng_uniform(r);
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

/* Lognormal draw with the given median and log-sd, rounded and clipped to
 * [lo, hi]. */
static inline int mkcity_rng_lognormal(mkcity_rng *r, double median, double sigma, int lo, int hi)
{
	double v = floor(median * exp(sigma * mkcity_rng_normal(r)) + 0.5);
	if (v < lo)
		return lo;
	if (v > hi)
		return hi;
	return (int)v;
}

#endif
