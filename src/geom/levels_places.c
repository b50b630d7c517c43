/*
 * levels_places.c: levels_places_prepare(), the geometry of the upper
 * levels' places (include/levels.h).
 *
 * A parcel qualifies for a level when its area, measured in the working
 * (metric) CRS after GEOS MakeValid, is at least the level's min_area_m2;
 * its facility stands at the parcel's representative point (GEOS
 * PointOnSurface, always inside). Every place, parcel or point, then takes
 * the district and street of the unit that holds it (the lowest unit index
 * when units overlap), or "" when it lies outside every unit: such a place
 * belongs to no group and serves only a level with per = city or
 * cross_groups = true.
 */
#include <stdio.h>
#include <stdlib.h>

#include "geom_int.h"
#include "levels.h"

/* Repair, measure and place parcel `p`. */
static status_code parcel_prepare(geos_ctx *g, level_place *p, const char *label, double min_area,
                                  status *st)
{
	char what[1200];
	snprintf(what, sizeof(what), "%s fid %lld", label, p->fid);
	GEOSGeometry *raw = geos_ctx_read_wkb(g, p->wkb, p->wkb_size, what, st);
	if (!raw)
		return STATUS_INPUT;
	geos_ctx_clear(g);
	GEOSGeometry *valid = GEOSMakeValid_r(geos_ctx_handle(g), raw);
	GEOSGeom_destroy_r(geos_ctx_handle(g), raw);
	if (!valid)
		return geos_ctx_fail(g, st, STATUS_INPUT, "%s: parcel cannot be repaired", what);
	double area = 0;
	status_code rc = STATUS_OK;
	if (!GEOSArea_r(geos_ctx_handle(g), valid, &area))
		rc = geos_ctx_fail(g, st, STATUS_INTERNAL, "%s: parcel area", what);
	else if (area <= 0 || GEOSisEmpty_r(geos_ctx_handle(g), valid))
		p->eligible = 0;
	else if ((rc = geom_representative(g, valid, what, &p->x, &p->y, st)) == STATUS_OK) {
		size_t size;
		unsigned char *wkb = geos_ctx_write_wkb(g, valid, &size, what, st);
		if (!wkb)
			rc = STATUS_INTERNAL;
		else {
			free(p->wkb);
			p->wkb = wkb;
			p->wkb_size = size;
		}
	}
	p->area_m2 = area;
	p->eligible = p->eligible && area >= min_area;
	GEOSGeom_destroy_r(geos_ctx_handle(g), valid);
	return rc;
}

status_code levels_places_prepare(inputs *in, const scenario *sc, status *st)
{
	geom_index gi = {0};
	geos_ctx *g = geos_ctx_new(st);
	if (!g)
		return STATUS_INTERNAL;
	status_code rc = STATUS_OK;
	if (rc == STATUS_OK)
		rc = geom_index_units(g, in, &gi, st);
	for (size_t l = 0; rc == STATUS_OK && l < in->nlevels && l < sc->nlevels; l++) {
		level_input *li = &in->levels[l];
		li->nsmall = 0;
		for (size_t i = 0; rc == STATUS_OK && i < li->nplaces; i++) {
			level_place *p = &li->places[i];
			if (p->wkb) {
				rc = parcel_prepare(g, p, li->label, sc->levels[l].min_area_m2, st);
				li->nsmall += !p->eligible;
			}
			if (rc != STATUS_OK || !p->eligible)
				continue;
			int u = geom_index_locate(g, &gi, p->x, p->y, st);
			if (u == -2)
				rc = STATUS_INTERNAL;
			else if (u >= 0) {
				p->district = in->units[u].district ? in->units[u].district : "";
				p->street = in->units[u].street ? in->units[u].street : "";
			}
		}
	}
	geom_index_free(g, &gi);
	geos_ctx_free(g);
	return rc;
}
