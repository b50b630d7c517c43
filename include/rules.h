/*
 * rules.h: every rule of the municipal plans as one named predicate or
 * computation (src/core/rules.c).
 *
 * The rules are stated in the scenario (households_min/max, rural, ...);
 * what they *mean* is decided here and nowhere else: which units are
 * villages with a station of their own, how many stations a big unit needs
 * at least, when a station's load fits the band, when a site is isolated
 * (too few households within reach to fill a station, so an underfilled
 * station there is no fault). Sites, reach, the solver and the writers call
 * these; solver/verify.c alone keeps its own independent copy, on purpose,
 * so that a wrong rule here cannot hide from the verifier.
 *
 * Everything here is pure: no allocation, no failure, no I/O. Parameters are
 * validated once by the scenario module and trusted here.
 */
#ifndef STATIONPLAN_RULES_H
#define STATIONPLAN_RULES_H

#include "inputs.h"
#include "plan.h"
#include "scenario.h"
#include "sites.h"

/* The households band of one urban station: [min, max], min <= max. */
typedef struct rules_band {
	long min, max;
} rules_band;

/* The urban band of the scenario (households_min, households_max). */
rules_band rules_urban_band(const scenario *sc);

/* 1 when a station serving `load` households is within the band. */
int rules_band_fits(rules_band b, long load);

/* 1 when `load` households exceed the band's maximum. */
int rules_band_over(rules_band b, long load);

/* 1 when a station serving `load` households is below the band's minimum. */
int rules_band_under(rules_band b, long load);

/* How many more households a station serving `load` can take before it
 * exceeds the band's maximum: max - load (0 when full, negative when over;
 * -rules_band_room() is then how much it must shed). */
long rules_band_room(rules_band b, long load);

/* 1 when a site with `reachable` households of demand within its reach
 * cannot fill a station to the minimum: an underfilled station there is
 * allowed (flagged, not penalised). */
int rules_site_isolated(rules_band b, long reachable);

/* 1 when a unit of this kind is planned by the rural rule rather than the
 * urban band: under rural = one_per_village every rural unit (village) gets
 * one station of its own, inside it. */
int rules_unit_is_village(const scenario *sc, unit_kind kind);

/* The least number of stations a unit of `households` needs so that none
 * holds more than `b.max`: ceil(households / max), at least 1 (0 households
 * still count one part). */
long rules_unit_parts(rules_band b, long households);

/* A village above households_max (issue 14 row 11): under one station per
 * village it keeps one station, flagged; with rules.rural_split_large it is
 * planned by the urban band instead. rules_village_over_max() is 1 for a
 * village's station (or village) of `households` above the maximum;
 * rules_village_split() is 1 when unit u is such a village and the scenario
 * splits it (the pipeline then plans it as an urban unit). */
int rules_village_over_max(const scenario *sc, long households);
int rules_village_split(const scenario *sc, const unit *u);

/* 1 when a unit is served from farther than the walking distance (possible
 * with demand_points = samples, where the distance is the unit's own
 * representative point's): flagged and warned about, never silent. */
int rules_beyond_walk(const scenario *sc, double distance_m);

/* 1 when a unit over the maximum may be served with any integer shares
 * (rules.split = flexible: each station within the band, a share grouped
 * with other units); 0 when it is divided into rules_unit_parts() equal
 * parts. */
int rules_split_flexible(const scenario *sc);

/* 1 when a unit of this kind is planned apart, before the stations, by the
 * rural pre-pass (solver/rural.c): rural units under rural =
 * one_per_admin_village or shared. */
int rules_unit_rural_apart(const scenario *sc, unit_kind kind);

/* The administrative village of a rural unit (one_per_admin_village): its
 * admin_village code, or its own id when the code is empty (a village of
 * its own). Borrowed. */
const char *rules_admin_village(const unit *u);

/* The band of a shared rural station (rural_households_min/max). */
rules_band rules_rural_band(const scenario *sc);

/* 1 when a shared rural station at `d` metres from a village's demand
 * point can serve it: d <= rural_walk_distance_m, or the site lies inside
 * the village (`inside`). */
int rules_rural_reaches(const scenario *sc, double d, int inside);

/* The group a facility of an upper level at district/street belongs to
 * under `per`: the street, the district, or "city" (per = city or unset:
 * count facilities over the whole area). Borrowed strings. */
const char *rules_level_group(level_per per, const char *district, const char *street);

/* The level's capacity in households per facility: `capacity` as written,
 * or tonnes per day converted with rules.kg_per_household_day (kg per
 * household and day); 0 when the level has none. */
long rules_level_capacity(const scenario *sc, const scenario_level *lv);

/* Tonnes per day of `households` at rules.kg_per_household_day; 0 when
 * the rate is not given. */
double rules_tonnes_per_day(const scenario *sc, long households);

/* The district and street a station is counted in (the plans' appendix
 * tables, the upper levels' groups): those of the unit its site lies in,
 * else of the unit it serves most households of (lowest index on ties),
 * else "". Fills district[s] and street[s] for every station of `p`
 * (strings borrowed from `in`). Returns 0, -1 out of memory. */
int rules_station_places(const inputs *in, const site_table *sites, const plan *p,
                         const char **district, const char **street);

#endif
