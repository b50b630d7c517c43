/*
 * gpkg_shard.c: what a shard's file adds for `stationplan merge`
 * (run --shard K/N; nothing is written otherwise).
 *
 *   shard           one row: shard (K), shards (N), shard_by, groups (in the
 *                   whole problem), units and sites of this shard
 *   shard_units     unit_id, unit_key: the unit's index in the whole input
 *                   (the single run's unit order)
 *   shard_stations  station_id, site_key: the station's site index in the
 *                   whole site table (the single run's station order);
 *                   x, y: its site in the working CRS (exact doubles),
 *                   site_unit: the whole-input index of the unit its site
 *                   lies in (-1 none), phase: the year it opens; what
 *                   merge needs to plan the upper levels on the merged
 *                   stations (levels.h)
 *   shard_subs      sub, comp_key: for each sub-problem, the lowest
 *                   unit_key its stations serve (the solver numbers
 *                   components by lowest unit)
 *
 * merge (io/plan_merge.c) drops these tables from the joined plan.
 */
#include <stdlib.h>
#include <string.h>

#include "gpkg_int.h"

static const gpkg_field shard_fields[] = {
    {"shard", OFTInteger, OFSTNone},   {"shards", OFTInteger, OFSTNone},
    {"shard_by", OFTString, OFSTNone}, {"groups", OFTInteger64, OFSTNone},
    {"units", OFTInteger64, OFSTNone}, {"sites", OFTInteger64, OFSTNone},
};
static const gpkg_field unit_fields[] = {
    {"unit_id", OFTString, OFSTNone},
    {"unit_key", OFTInteger64, OFSTNone},
};
static const gpkg_field station_fields[] = {
    {"station_id", OFTInteger, OFSTNone},
    {"site_key", OFTInteger64, OFSTNone},
    {"x", OFTReal, OFSTNone},
    {"y", OFTReal, OFSTNone},
    {"site_unit", OFTInteger64, OFSTNone},
    {"phase", OFTInteger, OFSTNone},
};
static const gpkg_field sub_fields[] = {
    {"sub", OFTInteger, OFSTNone},
    {"comp_key", OFTInteger64, OFSTNone},
};

static const gpkg_layer_def head_layer = {"shard", wkbNone, "shard",
                                          "Which shard of a sharded run this file is",
                                          GPKG_FIELDS(shard_fields)};
static const gpkg_layer_def units_layer = {"shard_units", wkbNone, "shard_units",
                                           "Whole-input index of each unit of this shard",
                                           GPKG_FIELDS(unit_fields)};
static const gpkg_layer_def stations_layer = {
    "shard_stations", wkbNone, "shard_stations",
    "Whole-input site index of each station of this shard", GPKG_FIELDS(station_fields)};
static const gpkg_layer_def subs_layer = {"shard_subs", wkbNone, "shard_subs",
                                          "Lowest unit (whole-input index) of each sub-problem",
                                          GPKG_FIELDS(sub_fields)};

/* Put the next row of t with integer values `v` (fields 0..n-1), or a text
 * first field `text` when not NULL. */
static void put_row(gpkg_rows *t, const char *text, const long long *v, size_t n)
{
	OGRFeatureH f = gpkg_rows_new(t);
	size_t i = 0;
	if (text)
		OGR_F_SetFieldString(f, (int)i++, text);
	for (size_t k = 0; i < n; i++, k++)
		OGR_F_SetFieldInteger64(f, (int)i, v[k]);
	gpkg_rows_put(t, f, NULL);
}

static status_code write_head(gpkg_writer *w, const shard_part *sp)
{
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &head_layer) != STATUS_OK)
		return t.rc;
	OGRFeatureH f = gpkg_rows_new(&t);
	OGR_F_SetFieldInteger(f, 0, sp->spec.k);
	OGR_F_SetFieldInteger(f, 1, sp->spec.n);
	OGR_F_SetFieldString(f, 2, shard_by_name(sp->spec.by));
	OGR_F_SetFieldInteger64(f, 3, (GIntBig)sp->ngroups);
	OGR_F_SetFieldInteger64(f, 4, (GIntBig)sp->in.nunits);
	OGR_F_SetFieldInteger64(f, 5, (GIntBig)sp->sites.n);
	gpkg_rows_put(&t, f, NULL);
	return gpkg_rows_close(&t);
}

static status_code write_subs(gpkg_writer *w, const shard_part *sp)
{
	const plan *p = w->p;
	long long *key = malloc((p->nsubs ? p->nsubs : 1) * sizeof(long long));
	if (!key)
		return status_fail(w->st, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < p->nsubs; i++)
		key[i] = -1;
	for (size_t a = 0; a < p->nassign; a++) {
		int s = p->stations[p->assign[a].station].sub;
		long long u = sp->unit_key[p->assign[a].unit];
		if (s >= 0 && (size_t)s < p->nsubs && (key[s] < 0 || u < key[s]))
			key[s] = u;
	}
	gpkg_rows t;
	gpkg_rows_open(&t, w, &subs_layer);
	for (size_t i = 0; i < p->nsubs && t.rc == STATUS_OK; i++) {
		long long v[2] = {p->subs[i].id, key[i]};
		put_row(&t, NULL, v, 2);
	}
	free(key);
	return gpkg_rows_close(&t);
}

status_code gpkg_write_shard(gpkg_writer *w)
{
	const shard_part *sp = w->ri ? w->ri->shard : NULL;
	if (!sp)
		return STATUS_OK;
	status_code rc = write_head(w, sp);
	if (rc != STATUS_OK)
		return rc;
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &units_layer) != STATUS_OK)
		return t.rc;
	for (size_t u = 0; u < sp->in.nunits && t.rc == STATUS_OK; u++) {
		long long v = sp->unit_key[u];
		put_row(&t, sp->in.units[u].id, &v, 2);
	}
	if (gpkg_rows_close(&t) != STATUS_OK || gpkg_rows_open(&t, w, &stations_layer) != STATUS_OK)
		return t.rc;
	for (size_t s = 0; s < w->p->nstations && t.rc == STATUS_OK; s++) {
		const plan_station *ps = &w->p->stations[s];
		const site *si = &sp->sites.sites[ps->site];
		OGRFeatureH f = gpkg_rows_new(&t);
		OGR_F_SetFieldInteger(f, 0, (int)s + 1);
		OGR_F_SetFieldInteger64(f, 1, sp->site_key[ps->site]);
		OGR_F_SetFieldDouble(f, 2, si->x);
		OGR_F_SetFieldDouble(f, 3, si->y);
		OGR_F_SetFieldInteger64(f, 4, si->unit >= 0 ? sp->unit_key[si->unit] : -1);
		OGR_F_SetFieldInteger(f, 5, ps->phase);
		gpkg_rows_put(&t, f, NULL);
	}
	if (gpkg_rows_close(&t) != STATUS_OK)
		return t.rc;
	return write_subs(w, sp);
}
