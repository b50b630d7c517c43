/*
 * mkcity_rules.h: the decisions mkcity takes about the real data, in one
 * place so the tool and its tests (tests/cu_mkcity.c) share them.
 *
 * - District matching. A unit is placed in the boundary polygon whose code
 *   equals its district code; failing that, in the polygon whose name has the
 *   same stem once a final 区, 县 or 市 is stripped (districts renamed between
 *   the two sources: 茌平县 in the boundaries, 茌平区 in the units list);
 *   failing that (development zones such as 连云港经济技术开发区, which have no
 *   polygon of their own) in a host polygon: the one given with --host, else
 *   the district with the most communities (the city's urban core). Such units
 *   keep their own `district` name and say where they were put in `note`.
 * - Kind. community and village are kept; `other` (state farm and forest farm
 *   living quarters, 林场生活区, 农场生活区, 苗圃生活区) becomes a community
 *   when its name says 社区 or 居委会 and a village otherwise: they are small
 *   rural settlements served like villages.
 * - Streets. A street whose name ends in 街道 is urban (its communities form
 *   the dense core); 镇, 乡, farms and the rest are towns.
 * - Households. Lognormal draws, clipped: communities median 2,200 and log-sd
 *   0.42 (mean about 2,400, a few above 5,000) within [300, 12,000]; villages
 *   median 380 and log-sd 0.58 (mean about 450) within [60, 1,600].
 */
#ifndef STATIONPLAN_MKCITY_RULES_H
#define STATIONPLAN_MKCITY_RULES_H

#include <stddef.h>
#include <string.h>

enum { MKCITY_COMMUNITY = 0, MKCITY_VILLAGE = 1 };

/* How a unit found its polygon. */
enum { MKCITY_MATCH_NONE = 0, MKCITY_MATCH_CODE, MKCITY_MATCH_STEM, MKCITY_MATCH_HOST };

/* Household distributions (see the purpose paragraph). */
#define MKCITY_COMMUNITY_MEDIAN 2200.0
#define MKCITY_COMMUNITY_SIGMA  0.42
#define MKCITY_COMMUNITY_MIN    300
#define MKCITY_COMMUNITY_MAX    12000
#define MKCITY_VILLAGE_MEDIAN   380.0
#define MKCITY_VILLAGE_SIGMA    0.58
#define MKCITY_VILLAGE_MIN      60
#define MKCITY_VILLAGE_MAX      1600

/* True when `s` ends with the UTF-8 string `suffix`. */
static inline int mkcity_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* Copy the stem of a district name into out (capacity cap): the name without
 * one final 区, 县 or 市, so 茌平县 and 茌平区 both give 茌平. A name that is
 * only the suffix keeps it. Truncates to cap - 1 bytes. */
static inline void mkcity_name_stem(const char *name, char *out, size_t cap)
{
	static const char *const suffixes[] = {"区", "县", "市"};
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t m = strlen(suffixes[i]);
		if (n > m && mkcity_ends_with(name, suffixes[i])) {
			n -= m;
			break;
		}
	}
	if (cap == 0)
		return;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, name, n);
	out[n] = '\0';
}

/* Find the boundary polygon for a unit's district among n polygons given by
 * their codes and names. Returns the polygon index and sets *how to
 * MKCITY_MATCH_CODE (same code) or MKCITY_MATCH_STEM (same name stem); returns
 * -1 with *how = MKCITY_MATCH_NONE when neither matches. A stem match must be
 * unique: two polygons with the same stem match none. */
static inline int mkcity_district_match(const char *const *codes, const char *const *names,
                                        size_t n, const char *code, const char *name, int *how)
{
	char stem[256], other[256];
	int found = -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(codes[i], code) == 0) {
			*how = MKCITY_MATCH_CODE;
			return (int)i;
		}
	mkcity_name_stem(name, stem, sizeof stem);
	for (size_t i = 0; i < n; i++) {
		mkcity_name_stem(names[i], other, sizeof other);
		if (strcmp(stem, other) == 0) {
			if (found >= 0) {
				*how = MKCITY_MATCH_NONE;
				return -1;
			}
			found = (int)i;
		}
	}
	*how = found >= 0 ? MKCITY_MATCH_STEM : MKCITY_MATCH_NONE;
	return found;
}

/* The default host polygon of units whose district has none: the index with
 * the most communities (ties: the lowest index), or -1 when n == 0. */
static inline int mkcity_district_host(const size_t *communities, size_t n)
{
	int best = -1;
	for (size_t i = 0; i < n; i++)
		if (best < 0 || communities[i] > communities[best])
			best = (int)i;
	return best;
}

/* The kind mkcity writes for a source kind and name: MKCITY_COMMUNITY or
 * MKCITY_VILLAGE (see the purpose paragraph for `other`). */
static inline int mkcity_unit_kind(const char *kind, const char *name)
{
	if (strcmp(kind, "community") == 0)
		return MKCITY_COMMUNITY;
	if (strcmp(kind, "village") == 0)
		return MKCITY_VILLAGE;
	if (strstr(name, "社区") || strstr(name, "居委会"))
		return MKCITY_COMMUNITY;
	return MKCITY_VILLAGE;
}

/* True when the street (街道/乡镇 level) is urban: its name ends in 街道. */
static inline int mkcity_street_is_urban(const char *street)
{
	return mkcity_ends_with(street, "街道");
}

#endif
