/*
 * names.h: the name of an enum value, from a table of names in enum order
 * (header only). One rule for every `*_name()` function: the table entry,
 * or "unknown" for a value outside the table (or with no entry):
 *
 *     static const char *const names[] = {[SITE_GRID] = "grid", ...};
 *     return NAMES_GET(names, s);
 */
#ifndef STATIONPLAN_NAMES_H
#define STATIONPLAN_NAMES_H

#include <stddef.h>

/* names[v] when 0 <= v < n and that entry is set, else "unknown". */
static inline const char *names_get(const char *const *names, size_t n, long v)
{
	return v >= 0 && (size_t)v < n && names[v] ? names[v] : "unknown";
}

#define NAMES_GET(table, v) names_get((table), sizeof(table) / sizeof((table)[0]), (long)(v))

#endif
