/*
 * gpkg_layers.c: the map layers of the plan: stations, service_areas,
 * assignments, links and uncovered.
 *
 * Station ids are 1-based positions in plan.stations (sorted by site index,
 * so deterministic) and are also the stations' FIDs. Rows follow the plan's
 * order: stations by id, assignments by unit then station, uncovered as
 * listed. Geometries are built in the working CRS and transformed to the
 * output CRS last; distances stay the metric ones of the plan.
 */
#include <stdlib.h>

#include "gpkg_int.h"
#include "rules.h"
#include "io_int.h"

/* The columns that name a station, first in the stations and areas layers. */
/* clang-format off */
#define STATION_FIELDS                                                                             \
	{"station_id", OFTInteger, OFSTNone}, {"kind", OFTString, OFSTNone},                       \
	{"district", OFTString, OFSTNone},    {"street", OFTString, OFSTNone},                     \
	{"households", OFTInteger, OFSTNone}, {"units", OFTInteger, OFSTNone}

/* The columns that name a unit, first in the assignments and uncovered layers. */
#define UNIT_FIELDS                                                                                \
	{"unit_id", OFTString, OFSTNone},   {"name", OFTString, OFSTNone},                         \
	{"unit_kind", OFTString, OFSTNone}, {"district", OFTString, OFSTNone},                     \
	{"street", OFTString, OFSTNone}
/* clang-format on */

static const gpkg_field station_fields[] = {
    STATION_FIELDS,
    {"underfilled", OFTInteger, OFSTBoolean},
    {"reason", OFTString, OFSTNone},
    {"load_ratio", OFTReal, OFSTNone},
    {"site_source", OFTString, OFSTNone},
    {"sub", OFTInteger, OFSTNone},
    {"over_max", OFTInteger, OFSTBoolean},
    {"locked", OFTInteger, OFSTBoolean},
    {"phase", OFTInteger, OFSTNone},
};

static const gpkg_field area_fields[] = {STATION_FIELDS};

static const gpkg_field assign_fields[] = {
    UNIT_FIELDS,
    {"station_id", OFTInteger, OFSTNone},
    {"households", OFTInteger, OFSTNone},
    {"distance_m", OFTReal, OFSTNone},
    {"unit_households", OFTInteger, OFSTNone},
    {"split", OFTInteger, OFSTBoolean},
    {"point_unit", OFTInteger, OFSTBoolean},
    {"beyond_walk", OFTInteger, OFSTBoolean},
    {"reason", OFTString, OFSTNone},
    {"unit_order", OFTInteger, OFSTNone},
};

static const gpkg_field link_fields[] = {
    {"unit_id", OFTString, OFSTNone},
    {"station_id", OFTInteger, OFSTNone},
    {"households", OFTInteger, OFSTNone},
    {"distance_m", OFTReal, OFSTNone},
};

static const gpkg_field uncovered_fields[] = {
    UNIT_FIELDS,
    {"households", OFTInteger, OFSTNone},
    {"nearest_m", OFTReal, OFSTNone},
    {"reason", OFTString, OFSTNone},
    {"point_unit", OFTInteger, OFSTBoolean},
    {"unit_order", OFTInteger, OFSTNone},
};

/* The map layers this file writes, one descriptor each. */
enum { L_STATIONS, L_AREAS, L_ASSIGNMENTS, L_LINKS, L_UNCOVERED };
static const gpkg_layer_def map_layers[] = {
    [L_STATIONS] =
        {"stations", wkbPoint, "Recycling stations",
         "Planned recycling stations (urban: serves a band of households_min..households_max "
         "households within walk_distance_m; village: one per natural village; existing: "
         "kept from the existing layer). households and units are what each station serves; "
         "underfilled = 1 marks a station below households_min because its units are isolated "
         "(see reason). phase is the year the station opens ([phases]; 0: existing or no "
         "phases). station_id matches service_areas, assignments and links. kept: a "
         "station of an edited plan (input.keep) kept where the planner left it; locked = 1: "
         "it may not be dropped (set it in QGIS before running again).",
         GPKG_FIELDS(station_fields)},
    [L_AREAS] =
        {"service_areas", wkbMultiPolygon, "Service areas",
         "Area served by each station: the union of the units (communities, villages) "
         "assigned to it. A unit split over several stations belongs to each of their areas. "
         "Point units are drawn as circles of 50 m.",
         GPKG_FIELDS(area_fields)},
    [L_ASSIGNMENTS] =
        {"assignments", wkbMultiPolygon, "Unit assignments",
         "Every served community or village with the station serving it (station_id) and the "
         "walking distance from the unit's demand point to the station (distance_m: straight "
         "line, or along the streets with input.roads; see run.distance). A unit split over "
         "several stations has one row per station; "
         "households is the part served by that station, unit_households the unit's total. "
         "point_unit = 1: the unit is a point, drawn as a circle of 50 m. "
         "unit_order is the unit's 1-based position in the input layer.",
         GPKG_FIELDS(assign_fields)},
    [L_LINKS] =
        {"links", wkbLineString, "Unit-station links",
         "A line from each served unit's demand point to its station (with input.roads the "
         "walking route along the streets); distance_m is the walking distance the plan used, "
         "households the households sent along the link. A unit served at its own demand "
         "point has a row without geometry.",
         GPKG_FIELDS(link_fields)},
    [L_UNCOVERED] =
        {"uncovered", wkbMultiPolygon, "Uncovered units",
         "Communities and villages no station serves, with the reason and the distance to "
         "the nearest candidate site (nearest_m, NULL when there is no site at all). "
         "Units with 0 households are listed with the reason 'empty'.",
         GPKG_FIELDS(uncovered_fields)},
};

/* The kind written for station s: "kept" for a station the planner kept
 * from an edited plan (input.keep), else the plan's kind. */
static const char *kind_out(const gpkg_writer *w, size_t s)
{
	int site = w->p->stations[s].site;
	if (w->sites->kept && w->sites->kept[site] != SITE_KEPT_NONE)
		return "kept";
	return station_kind_name(w->p->stations[s].kind);
}

status_code gpkg_write_stations(gpkg_writer *w)
{
	const plan *p = w->p;
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &map_layers[L_STATIONS]) != STATUS_OK)
		return t.rc;
	/* a village's station above households_max: flagged with its reason
	 * (issue 14 row 11; rules.rural_split_large plans such villages by the
	 * urban band instead) */
	unsigned char *village = calloc(p->nstations ? p->nstations : 1, 1);
	if (!village)
		return status_fail(w->st, STATUS_INTERNAL, "out of memory");
	for (size_t a = 0; a < p->nassign; a++)
		if (rules_unit_is_village(w->sc, w->in->units[p->assign[a].unit].kind))
			village[p->assign[a].station] = 1;
	for (size_t s = 0; s < p->nstations && t.rc == STATUS_OK; s++) {
		const plan_station *ps = &p->stations[s];
		const site *si = &w->sites->sites[ps->site];
		int over = village[s] && rules_village_over_max(w->sc, ps->households);
		char over_reason[200];
		snprintf(over_reason, sizeof(over_reason),
		         "village of %ld households, above households_max = %ld (one station per "
		         "village)",
		         ps->households, w->sc->households_max);
		OGRFeatureH f = gpkg_rows_new(&t);
		OGR_F_SetFID(f, (GIntBig)s + 1);
		OGR_F_SetFieldInteger(f, 0, (int)s + 1);
		OGR_F_SetFieldString(f, 1, kind_out(w, s));
		OGR_F_SetFieldString(f, 2, w->station_district[s]);
		OGR_F_SetFieldString(f, 3, w->station_street[s]);
		OGR_F_SetFieldInteger(f, 4, (int)ps->households);
		OGR_F_SetFieldInteger(f, 5, ps->nunits);
		OGR_F_SetFieldInteger(f, 6, ps->underfilled != 0);
		OGR_F_SetFieldString(f, 7,
		                     ps->reason && *ps->reason ? ps->reason
		                     : over                    ? over_reason
		                                               : "");
		OGR_F_SetFieldInteger(f, 11, over);
		if (w->sc->households_max > 0)
			OGR_F_SetFieldDouble(
			    f, 8, (double)ps->households / (double)w->sc->households_max);
		else
			OGR_F_SetFieldNull(f, 8);
		int kept = w->sites->kept ? w->sites->kept[ps->site] : SITE_KEPT_NONE;
		OGR_F_SetFieldString(f, 9, kept ? "kept" : site_source_name(si->source));
		OGR_F_SetFieldInteger(f, 10, ps->sub);
		OGR_F_SetFieldInteger(f, 12, kept == SITE_KEPT_LOCKED);
		OGR_F_SetFieldInteger(f, 13, ps->phase);
		OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
		OGR_G_SetPoint_2D(g, 0, si->x, si->y);
		gpkg_rows_put(&t, f, g);
	}
	free(village);
	return gpkg_rows_close(&t);
}

/* Assignment rows grouped by station: rows of station s are
 * order[first[s] .. first[s+1]). Returns 0, or -1 out of memory. */
static int group_by_station(const plan *p, size_t **first_out, size_t **order_out)
{
	size_t *first = calloc(p->nstations + 1, sizeof(*first));
	size_t *order = malloc((p->nassign ? p->nassign : 1) * sizeof(*order));
	size_t *fill = calloc(p->nstations + 1, sizeof(*fill));
	if (!first || !order || !fill) {
		free(first);
		free(order);
		free(fill);
		return -1;
	}
	for (size_t a = 0; a < p->nassign; a++)
		first[p->assign[a].station + 1]++;
	for (size_t s = 0; s < p->nstations; s++)
		first[s + 1] += first[s];
	for (size_t a = 0; a < p->nassign; a++) {
		size_t s = (size_t)p->assign[a].station;
		order[first[s] + fill[s]++] = a;
	}
	free(fill);
	*first_out = first;
	*order_out = order;
	return 0;
}

/* Union of the geometries of the units station `s` serves, output CRS. */
static OGRGeometryH service_area(gpkg_writer *w, const size_t *rows, size_t nrows)
{
	OGRGeometryH all = OGR_G_CreateGeometry(wkbMultiPolygon);
	for (size_t i = 0; i < nrows; i++) {
		if (gpkg_collect_unit(w, all, (size_t)w->p->assign[rows[i]].unit) != STATUS_OK) {
			OGR_G_DestroyGeometry(all);
			return NULL;
		}
	}
	return gpkg_union_output(w, all, "service_areas", "union");
}

status_code gpkg_write_service_areas(gpkg_writer *w)
{
	const plan *p = w->p;
	size_t *first, *order;
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &map_layers[L_AREAS]) != STATUS_OK)
		return t.rc;
	if (group_by_station(p, &first, &order))
		return status_fail(w->st, STATUS_INTERNAL, "out of memory");
	for (size_t s = 0; s < p->nstations && t.rc == STATUS_OK; s++) {
		if (first[s + 1] == first[s])
			continue; /* serves nobody (an existing station out of reach) */
		OGRGeometryH g = service_area(w, order + first[s], first[s + 1] - first[s]);
		if (!g) {
			t.rc = w->st->code;
			break;
		}
		OGRFeatureH f = gpkg_rows_new(&t);
		OGR_F_SetFID(f, (GIntBig)s + 1);
		OGR_F_SetFieldInteger(f, 0, (int)s + 1);
		OGR_F_SetFieldString(f, 1, kind_out(w, s));
		OGR_F_SetFieldString(f, 2, w->station_district[s]);
		OGR_F_SetFieldString(f, 3, w->station_street[s]);
		OGR_F_SetFieldInteger(f, 4, (int)p->stations[s].households);
		OGR_F_SetFieldInteger(f, 5, p->stations[s].nunits);
		OGR_F_SetGeometryDirectly(f, g); /* already in the output CRS */
		gpkg_rows_put(&t, f, NULL);
	}
	free(first);
	free(order);
	return gpkg_rows_close(&t);
}

/* unit_order: the unit's position in its source (inputs_read sets it, and a
 * shard keeps it); tables built without a reader count their own order. */
static int unit_order(const gpkg_writer *w, size_t u)
{
	return (int)(w->in->units[u].order > 0 ? w->in->units[u].order : (long)u + 1);
}

static void set_unit_fields(OGRFeatureH f, const unit *un)
{
	OGR_F_SetFieldString(f, 0, un->id);
	OGR_F_SetFieldString(f, 1, un->name ? un->name : "");
	OGR_F_SetFieldString(f, 2, un->kind == UNIT_URBAN ? "urban" : "rural");
	OGR_F_SetFieldString(f, 3, un->district ? un->district : "");
	OGR_F_SetFieldString(f, 4, un->street ? un->street : "");
}

/* A new row of t, a unit layer (assignments, uncovered), for unit u: its
 * unit columns set and its geometry, already in the output CRS, attached.
 * NULL when the geometry cannot be made (w->st says why). */
static OGRFeatureH unit_row(gpkg_writer *w, const gpkg_rows *t, size_t u)
{
	OGRGeometryH g = gpkg_unit_geometry(w, u, 1);
	if (!g)
		return NULL;
	OGRFeatureH f = gpkg_rows_new(t);
	set_unit_fields(f, &w->in->units[u]);
	OGR_F_SetGeometryDirectly(f, g);
	return f;
}

status_code gpkg_write_assignments(gpkg_writer *w)
{
	const plan *p = w->p;
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &map_layers[L_ASSIGNMENTS]) != STATUS_OK)
		return t.rc;
	for (size_t a = 0; a < p->nassign && t.rc == STATUS_OK; a++) {
		const plan_assign *pa = &p->assign[a];
		const unit *un = &w->in->units[pa->unit];
		int split = (a > 0 && p->assign[a - 1].unit == pa->unit) ||
		            (a + 1 < p->nassign && p->assign[a + 1].unit == pa->unit);
		OGRFeatureH f = unit_row(w, &t, (size_t)pa->unit);
		if (!f)
			return w->st->code;
		OGR_F_SetFieldInteger(f, 5, pa->station + 1);
		OGR_F_SetFieldInteger(f, 6, (int)pa->households);
		OGR_F_SetFieldDouble(f, 7, pa->distance_m);
		OGR_F_SetFieldInteger(f, 8, (int)un->households);
		OGR_F_SetFieldInteger(f, 9, split);
		OGR_F_SetFieldInteger(f, 10, gpkg_unit_is_point(w, (size_t)pa->unit));
		int beyond = rules_beyond_walk(w->sc, pa->distance_m);
		char why[200] = "";
		if (beyond)
			snprintf(why, sizeof(why),
			         "served at %.0f m, beyond walk_distance_m = %.0f%s",
			         pa->distance_m, w->sc->walk_distance_m,
			         rules_unit_is_village(w->sc, un->kind)
			             ? " (one station per village, inside it)"
			             : "");
		OGR_F_SetFieldInteger(f, 11, beyond);
		OGR_F_SetFieldString(f, 12, why);
		OGR_F_SetFieldInteger(f, 13, unit_order(w, (size_t)pa->unit));
		gpkg_rows_put(&t, f, NULL);
	}
	return gpkg_rows_close(&t);
}

status_code gpkg_write_links(gpkg_writer *w)
{
	const plan *p = w->p;
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &map_layers[L_LINKS]) != STATUS_OK)
		return t.rc;
	for (size_t a = 0; a < p->nassign && t.rc == STATUS_OK; a++) {
		const plan_assign *pa = &p->assign[a];
		const site *si = &w->sites->sites[p->stations[pa->station].site];
		double ux = w->r->ux[pa->unit], uy = w->r->uy[pa->unit];
		/* A unit served at its own demand point has no line to draw: a
		 * two-point line of one point is an invalid geometry, so the row
		 * keeps its attributes with no geometry. */
		OGRGeometryH g = NULL;
		if (w->r->route_start && a < w->r->nroutes) {
			/* along the streets: the walking route (reach_routes) */
			const size_t *rs = w->r->route_start;
			if (rs[a + 1] - rs[a] >= 2) {
				g = OGR_G_CreateGeometry(wkbLineString);
				for (size_t k = rs[a]; k < rs[a + 1]; k++)
					OGR_G_AddPoint_2D(g, w->r->route_xy[2 * k],
					                  w->r->route_xy[2 * k + 1]);
			}
		} else if (hypot(si->x - ux, si->y - uy) >= 0.01) {
			g = OGR_G_CreateGeometry(wkbLineString);
			OGR_G_AddPoint_2D(g, ux, uy);
			OGR_G_AddPoint_2D(g, si->x, si->y);
		}
		OGRFeatureH f = gpkg_rows_new(&t);
		OGR_F_SetFieldString(f, 0, w->in->units[pa->unit].id);
		OGR_F_SetFieldInteger(f, 1, pa->station + 1);
		OGR_F_SetFieldInteger(f, 2, (int)pa->households);
		OGR_F_SetFieldDouble(f, 3, pa->distance_m);
		gpkg_rows_put(&t, f, g);
	}
	return gpkg_rows_close(&t);
}

/* 1 for each unit with an assignment or an uncovered row in the plan.
 * Caller frees; NULL when out of memory. */
static unsigned char *units_in_plan(const plan *p, size_t nunits)
{
	unsigned char *seen = calloc(nunits ? nunits : 1, 1);
	for (size_t a = 0; seen && a < p->nassign; a++)
		seen[p->assign[a].unit] = 1;
	for (size_t i = 0; seen && i < p->nuncovered; i++)
		seen[p->uncovered[i].unit] = 1;
	return seen;
}

status_code gpkg_write_uncovered(gpkg_writer *w)
{
	const plan *p = w->p;
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &map_layers[L_UNCOVERED]) != STATUS_OK)
		return t.rc;
	for (size_t i = 0; i < p->nuncovered && t.rc == STATUS_OK; i++) {
		const plan_uncovered *pu = &p->uncovered[i];
		const unit *un = &w->in->units[pu->unit];
		OGRFeatureH f = unit_row(w, &t, (size_t)pu->unit);
		if (!f)
			return w->st->code;
		OGR_F_SetFieldInteger(f, 5, (int)un->households);
		if (pu->nearest_site >= 0)
			OGR_F_SetFieldDouble(f, 6, pu->nearest_m);
		else
			OGR_F_SetFieldNull(f, 6);
		OGR_F_SetFieldString(f, 7, pu->reason ? pu->reason : "");
		OGR_F_SetFieldInteger(f, 8, gpkg_unit_is_point(w, (size_t)pu->unit));
		OGR_F_SetFieldInteger(f, 9, unit_order(w, (size_t)pu->unit));
		gpkg_rows_put(&t, f, NULL);
	}
	/* Units with 0 households need no station, but must not vanish (a
	 * failed join looks like this): listed with the reason "empty" unless
	 * the plan already has them (issue 14 row 10). */
	unsigned char *seen = t.rc == STATUS_OK ? units_in_plan(p, w->in->nunits) : NULL;
	if (t.rc == STATUS_OK && !seen)
		return status_fail(w->st, STATUS_INTERNAL, "out of memory");
	for (size_t u = 0; u < w->in->nunits && t.rc == STATUS_OK; u++) {
		if (w->in->units[u].households != 0 || seen[u])
			continue;
		OGRFeatureH f = unit_row(w, &t, u);
		if (!f) {
			free(seen);
			return w->st->code;
		}
		OGR_F_SetFieldInteger(f, 5, 0);
		OGR_F_SetFieldNull(f, 6);
		OGR_F_SetFieldString(f, 7, "empty");
		OGR_F_SetFieldInteger(f, 8, gpkg_unit_is_point(w, u));
		OGR_F_SetFieldInteger(f, 9, unit_order(w, u));
		gpkg_rows_put(&t, f, NULL);
	}
	free(seen);
	return gpkg_rows_close(&t);
}
