/*
 * cu_sites.h: hand-built `inputs` for the sites and reach suites: units,
 * points and exclusions from WKT, no files. Implemented in cu_sites.c.
 */
#ifndef STATIONPLAN_CU_SITES_H
#define STATIONPLAN_CU_SITES_H

#include "inputs.h"
#include "scenario.h"
#include "reach.h"
#include "sites.h"

/* Append a unit (id, kind, households, geometry as WKT); returns its index. */
int fx_unit(inputs *in, const char *id, unit_kind kind, long households, const char *wkt);

/* Append a point to `existing` or `candidates`, fid as given. */
void fx_point(point_set *ps, double x, double y, long long fid);

/* Append an exclusion polygon (WKT). */
void fx_exclude(inputs *in, const char *wkt);

/* Free everything the fx_ functions allocated; leaves `in` zeroed. */
void fx_free(inputs *in);

/* Scenario with every default (scenario_init), for tests. */
void fx_scenario(scenario *sc);

/* Index of the site at (x, y) within 1e-6, -1 if none. */
int fx_find_site(const site_table *t, double x, double y);

/* Prepare the units of `in` (unit_geom_prepare) and build their candidate
 * sites, as the pipeline does; the status of the first failure. */
status_code fx_sites(const inputs *in, const scenario *sc, site_table *t, status *st);

/* Prepare the units of `in` (unit_geom_prepare) and build their reach to
 * the sites `t`, as the pipeline does; the status of the first failure. */
status_code fx_reach(const inputs *in, const site_table *t, const scenario *sc, reach *r,
                     status *st);

/* The message scenario_validate() gives about `key` ("" when none); `st`
 * is initialised here and freed by the caller. */
const char *fx_validate_msg(const scenario *sc, const char *key, status *st);

/* Uniform double in [lo, hi) from a private LCG state. */
double fx_rand(unsigned long long *state, double lo, double hi);

#endif
