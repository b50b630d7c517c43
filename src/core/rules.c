/*
 * rules.c: the plans' rules, one function each. See include/rules.h.
 */
#include "rules.h"

#include <assert.h>
#include <stdlib.h>
#include <math.h>

rules_band rules_urban_band(const scenario *sc)
{
	rules_band b = {sc->households_min, sc->households_max};
	assert(b.min >= 0 && b.min <= b.max);
	return b;
}

int rules_band_fits(rules_band b, long load)
{
	return load >= b.min && load <= b.max;
}

int rules_band_over(rules_band b, long load)
{
	return load > b.max;
}

int rules_band_under(rules_band b, long load)
{
	return load < b.min;
}

long rules_band_room(rules_band b, long load)
{
	return b.max - load;
}

int rules_site_isolated(rules_band b, long reachable)
{
	return reachable < b.min;
}

int rules_unit_is_village(const scenario *sc, unit_kind kind)
{
	return kind == UNIT_RURAL && sc->rural == RURAL_ONE_PER_VILLAGE;
}

int rules_village_over_max(const scenario *sc, long households)
{
	return households > sc->households_max;
}

int rules_village_split(const scenario *sc, const unit *u)
{
	return rules_unit_is_village(sc, u->kind) && sc->rural_split_large &&
	       rules_village_over_max(sc, u->households);
}

int rules_beyond_walk(const scenario *sc, double distance_m)
{
	/* a millimetre of rounding is not an exception */
	return distance_m > sc->walk_distance_m + 1e-3;
}

long rules_unit_parts(rules_band b, long households)
{
	assert(b.max > 0);
	if (households <= b.max)
		return 1;
	return (households + b.max - 1) / b.max;
}

int rules_split_flexible(const scenario *sc)
{
	return sc->split == SPLIT_FLEXIBLE;
}

const char *rules_level_group(level_per per, const char *district, const char *street)
{
	switch (per) {
	case LEVEL_PER_STREET:
		return street;
	case LEVEL_PER_DISTRICT:
		return district;
	case LEVEL_PER_UNSET:
	case LEVEL_PER_CITY:
		break;
	}
	return "city";
}

long rules_level_capacity(const scenario *sc, const scenario_level *lv)
{
	if (!(lv->capacity > 0))
		return 0;
	double c = lv->capacity;
	if (lv->capacity_tonnes)
		c = c * 1000.0 / sc->kg_per_household_day;
	return (long)floor(c + 1e-9);
}

double rules_tonnes_per_day(const scenario *sc, long households)
{
	return sc->kg_per_household_day > 0 ? (double)households * sc->kg_per_household_day / 1000.0
	                                    : 0;
}

int rules_unit_rural_apart(const scenario *sc, unit_kind kind)
{
	return kind == UNIT_RURAL &&
	       (sc->rural == RURAL_ONE_PER_ADMIN_VILLAGE || sc->rural == RURAL_SHARED);
}

const char *rules_admin_village(const unit *u)
{
	return u->admin_village && *u->admin_village ? u->admin_village : u->id;
}

rules_band rules_rural_band(const scenario *sc)
{
	rules_band b = {sc->rural_households_min, sc->rural_households_max};
	assert(b.min >= 0 && b.min <= b.max);
	return b;
}

int rules_rural_reaches(const scenario *sc, double d, int inside)
{
	return inside || d <= sc->rural_walk_distance_m;
}

int rules_station_places(const inputs *in, const site_table *sites, const plan *p,
                         const char **district, const char **street)
{
	long *best = malloc((p->nstations ? p->nstations : 1) * sizeof(*best));
	if (!best)
		return -1;
	for (size_t s = 0; s < p->nstations; s++) {
		int u = sites->sites[p->stations[s].site].unit;
		best[s] = u >= 0 ? -2 : -1; /* -2: placed by its site */
		district[s] = u >= 0 ? in->units[u].district : "";
		street[s] = u >= 0 ? in->units[u].street : "";
	}
	for (size_t a = 0; a < p->nassign; a++) {
		const plan_assign *pa = &p->assign[a];
		size_t s = (size_t)pa->station;
		if (best[s] == -2 || pa->households <= best[s])
			continue;
		best[s] = pa->households;
		district[s] = in->units[pa->unit].district;
		street[s] = in->units[pa->unit].street;
	}
	for (size_t s = 0; s < p->nstations; s++) {
		if (!district[s])
			district[s] = "";
		if (!street[s])
			street[s] = "";
	}
	free(best);
	return 0;
}
