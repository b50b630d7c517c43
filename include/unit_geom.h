/*
 * unit_geom.h: the units' geometry, parsed and prepared once for every
 * geometry stage (src/geom/unit_geom.c).
 *
 * unit_geom_prepare() parses every unit's WKB with GEOS, prepares it for
 * point-in-polygon tests, indexes the envelopes in an STRtree and computes
 * each unit's demand locations (its representative point, and with
 * demand_points = samples the household-weighted interior samples). The
 * candidate sites (sites_build) and the walking reach (reach_build) both
 * read it, so no stage parses or indexes the units again. The handle is
 * opaque: it owns a GEOS context and must be used from one thread at a
 * time.
 */
#ifndef STATIONPLAN_UNIT_GEOM_H
#define STATIONPLAN_UNIT_GEOM_H

#include "inputs.h"
#include "scenario.h"
#include "status.h"

typedef struct unit_geom unit_geom;

/* Prepare the units of `in` under the scenario's demand rule (parameters
 * validated by scenario_validate()). Returns STATUS_OK and *out; or
 * STATUS_INPUT naming the unit ("unit '12' (fid 4): invalid WKB: ...",
 * "...: empty geometry", a sample spacing too fine for a unit) or
 * STATUS_INTERNAL, with `st` set and *out NULL. Caller frees with
 * unit_geom_free(). */
status_code unit_geom_prepare(const inputs *in, const scenario *sc, unit_geom **out, status *st);

/* The time the geometry stages (sites_build, reach_build) must end by, in
 * clock_now_s() seconds (0: none): past it they stop with STATUS_INPUT and
 * a message naming solver.time_limit_s and the parameter that makes the
 * work large (a candidate grid too fine, a walking radius too wide). */
void unit_geom_set_deadline(unit_geom *ug, double deadline_s);

/* Free the handle and everything it owns; NULL is a no-op. */
void unit_geom_free(unit_geom *ug);

#endif
