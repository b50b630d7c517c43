/*
 * gpkg_summary.c: the summary tables, read like the plans' appendix tables
 * (stations counted per district, and per street within a district).
 *
 * One row per district (summary_district) or per (district, street)
 * (summary_street), sorted byte-wise by name. A unit belongs to its own
 * district/street; a station to that of the unit its site lies in (or of
 * the unit it serves most households of, for a site outside every unit).
 *
 *   units, communities, villages   units of the group, urban, rural
 *   households                     all households of the group's units
 *   stations, urban_stations, village_stations, existing_stations
 *   households_per_station         households served by the group's stations
 *                                  / stations (NULL without stations)
 *   underfilled                    stations flagged underfilled
 *   mean_walk_m, max_walk_m        over the group's assignments (mean
 *                                  weighted by households; NULL if none)
 *   uncovered_units, uncovered_households
 */
#include <stdlib.h>
#include <string.h>

#include "gpkg_int.h"

typedef struct group {
	const char *district, *street; /* street "" for district rows */
	int units, communities, villages, stations, nkind[3], underfilled, uncovered_units,
	    walk_rows;
	long households, station_households, uncovered_households, walk_households;
	double walk_sum, walk_max;
} group;

int gpkg_summary_order(const char *district_a, const char *street_a, const char *district_b,
                       const char *street_b)
{
	int c = strcmp(district_a, district_b);
	return c ? c : strcmp(street_a, street_b);
}

static int group_cmp(const void *a, const void *b)
{
	const group *x = a, *y = b;
	return gpkg_summary_order(x->district, x->street, y->district, y->street);
}

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* Find the group of (d, s) in the sorted, unique array. */
static group *group_find(group *g, size_t n, const char *d, const char *s)
{
	group key = {.district = d, .street = s};
	return bsearch(&key, g, n, sizeof(*g), group_cmp);
}

/* Build the sorted groups with their sums. Returns the count, or (size_t)-1
 * out of memory; *out is the caller's to free. */
static size_t group_build(const gpkg_writer *w, int by_street, group **out)
{
	const inputs *in = w->in;
	const plan *p = w->p;
	size_t cap = in->nunits + p->nstations, n = 0;
	group *g = calloc(cap ? cap : 1, sizeof(*g));
	if (!g)
		return (size_t)-1;
	for (size_t u = 0; u < in->nunits; u++, n++) {
		g[n].district = nz(in->units[u].district);
		g[n].street = by_street ? nz(in->units[u].street) : "";
	}
	for (size_t s = 0; s < p->nstations; s++, n++) {
		g[n].district = w->station_district[s];
		g[n].street = by_street ? w->station_street[s] : "";
	}
	qsort(g, n, sizeof(*g), group_cmp);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || group_cmp(&g[m - 1], &g[i]) != 0)
			g[m++] = g[i];

	for (size_t u = 0; u < in->nunits; u++) {
		const unit *un = &in->units[u];
		group *x = group_find(g, m, nz(un->district), by_street ? nz(un->street) : "");
		x->units++;
		x->communities += un->kind == UNIT_URBAN;
		x->villages += un->kind == UNIT_RURAL;
		x->households += un->households;
	}
	for (size_t s = 0; s < p->nstations; s++) {
		const plan_station *ps = &p->stations[s];
		group *x =
		    group_find(g, m, w->station_district[s], by_street ? w->station_street[s] : "");
		x->stations++;
		if ((unsigned)ps->kind < 3)
			x->nkind[ps->kind]++;
		x->underfilled += ps->underfilled != 0;
		x->station_households += ps->households;
	}
	for (size_t a = 0; a < p->nassign; a++) {
		const unit *un = &in->units[p->assign[a].unit];
		group *x = group_find(g, m, nz(un->district), by_street ? nz(un->street) : "");
		double d = p->assign[a].distance_m;
		x->walk_sum += d * (double)p->assign[a].households;
		x->walk_households += p->assign[a].households;
		x->walk_rows++;
		if (d > x->walk_max)
			x->walk_max = d;
	}
	for (size_t i = 0; i < p->nuncovered; i++) {
		const unit *un = &in->units[p->uncovered[i].unit];
		group *x = group_find(g, m, nz(un->district), by_street ? nz(un->street) : "");
		x->uncovered_units++;
		x->uncovered_households += un->households;
	}
	*out = g;
	return m;
}

/* summary_street's fields; summary_district has the same without street */
static const gpkg_field summary_fields[] = {
    {"district", OFTString, OFSTNone},
    {"street", OFTString, OFSTNone},
    {"units", OFTInteger, OFSTNone},
    {"communities", OFTInteger, OFSTNone},
    {"villages", OFTInteger, OFSTNone},
    {"households", OFTInteger, OFSTNone},
    {"stations", OFTInteger, OFSTNone},
    {"urban_stations", OFTInteger, OFSTNone},
    {"village_stations", OFTInteger, OFSTNone},
    {"existing_stations", OFTInteger, OFSTNone},
    {"households_per_station", OFTReal, OFSTNone},
    {"underfilled", OFTInteger, OFSTNone},
    {"mean_walk_m", OFTReal, OFSTNone},
    {"max_walk_m", OFTReal, OFSTNone},
    {"uncovered_units", OFTInteger, OFSTNone},
    {"uncovered_households", OFTInteger, OFSTNone},
};

static status_code write_summary(gpkg_writer *w, int by_street)
{
	const char *name = by_street ? "summary_street" : "summary_district";
	group *g;
	gpkg_field fields[sizeof(summary_fields) / sizeof(summary_fields[0])];
	size_t nfields = 0;
	for (size_t i = 0; i < sizeof(summary_fields) / sizeof(summary_fields[0]); i++)
		if (i != 1 || by_street)
			fields[nfields++] = summary_fields[i];
	int off = by_street ? 1 : 0; /* index shift of the fields after district */
	const gpkg_layer_def def = {
	    name,
	    wkbNone,
	    by_street ? "Stations per street" : "Stations per district",
	    by_street ? "One row per street (街道/乡镇) within its district, as in the plans' "
	                "appendix tables: units, communities, villages, households, stations by "
	                "kind, households per station, underfilled stations, walking distances "
	                "(metres) and uncovered demand."
	              : "One row per district (区/县), as in the plans' appendix tables: units, "
	                "communities, villages, households, stations by kind, households per "
	                "station, underfilled stations, walking distances (metres) and uncovered "
	                "demand.",
	    fields,
	    nfields};
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &def) != STATUS_OK)
		return t.rc;
	size_t n = group_build(w, by_street, &g);
	if (n == (size_t)-1)
		return status_fail(w->st, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < n && t.rc == STATUS_OK; i++) {
		const group *x = &g[i];
		OGRFeatureH f = gpkg_rows_new(&t);
		OGR_F_SetFieldString(f, 0, x->district);
		if (by_street)
			OGR_F_SetFieldString(f, 1, x->street);
		OGR_F_SetFieldInteger(f, off + 1, x->units);
		OGR_F_SetFieldInteger(f, off + 2, x->communities);
		OGR_F_SetFieldInteger(f, off + 3, x->villages);
		OGR_F_SetFieldInteger(f, off + 4, (int)x->households);
		OGR_F_SetFieldInteger(f, off + 5, x->stations);
		for (int k = 0; k < 3; k++)
			OGR_F_SetFieldInteger(f, off + 6 + k, x->nkind[k]);
		if (x->stations)
			OGR_F_SetFieldDouble(f, off + 9,
			                     (double)x->station_households / (double)x->stations);
		else
			OGR_F_SetFieldNull(f, off + 9);
		OGR_F_SetFieldInteger(f, off + 10, x->underfilled);
		if (x->walk_households > 0)
			OGR_F_SetFieldDouble(f, off + 11, x->walk_sum / (double)x->walk_households);
		else
			OGR_F_SetFieldNull(f, off + 11);
		if (x->walk_rows > 0)
			OGR_F_SetFieldDouble(f, off + 12, x->walk_max);
		else
			OGR_F_SetFieldNull(f, off + 12);
		OGR_F_SetFieldInteger(f, off + 13, x->uncovered_units);
		OGR_F_SetFieldInteger(f, off + 14, (int)x->uncovered_households);
		gpkg_rows_put(&t, f, NULL);
	}
	free(g);
	return gpkg_rows_close(&t);
}

status_code gpkg_write_summaries(gpkg_writer *w)
{
	status_code rc = write_summary(w, 0);
	return rc == STATUS_OK ? write_summary(w, 1) : rc;
}
