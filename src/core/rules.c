/*
 * rules.c: the plans' rules, one function each. See include/rules.h.
 */
#include "rules.h"

#include <assert.h>

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
