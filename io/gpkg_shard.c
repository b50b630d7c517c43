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

#define NF(a) (sizeof(a) / sizeof((a)[0]))

static OGRLayerH shard_table(gpkg_writer *w, const char *name, const char *what,
                             const gpkg_field *f, size_t n)
{
	OGRLayerH l = gpkg_table_create(w, name, wkbNone, name, what, f, n);
	if (l && gpkg_table_begin(w, name) != STATUS_OK)
		return NULL;
	return l;
}

/* Write row `row` with integer values `v` (fields 0..n-1), or a text
 * first field `text` when not NULL. */
static status_code row(gpkg_writer *w, OGRLayerH l, long long rowno, const char *text,
                       const long long *v, size_t n)
{
	OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
	size_t i = 0;
	if (text)
		OGR_F_SetFieldString(f, (int)i++, text);
	for (size_t k = 0; i < n; i++, k++)
		OGR_F_SetFieldInteger64(f, (int)i, v[k]);
	status_code rc = gpkg_table_write(w, l, f, rowno);
	OGR_F_Destroy(f);
	return rc;
}

static status_code write_head(gpkg_writer *w, const shard_part *sp)
{
	OGRLayerH l = shard_table(w, "shard", "Which shard of a sharded run this file is",
	                          shard_fields, NF(shard_fields));
	if (!l)
		return w->st->code;
	OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
	OGR_F_SetFieldInteger(f, 0, sp->spec.k);
	OGR_F_SetFieldInteger(f, 1, sp->spec.n);
	OGR_F_SetFieldString(f, 2, shard_by_name(sp->spec.by));
	OGR_F_SetFieldInteger64(f, 3, (GIntBig)sp->ngroups);
	OGR_F_SetFieldInteger64(f, 4, (GIntBig)sp->in.nunits);
	OGR_F_SetFieldInteger64(f, 5, (GIntBig)sp->sites.n);
	status_code rc = gpkg_table_write(w, l, f, 1);
	OGR_F_Destroy(f);
	return rc == STATUS_OK ? gpkg_table_commit(w, "shard") : rc;
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
	status_code rc = STATUS_OK;
	OGRLayerH l =
	    shard_table(w, "shard_subs", "Lowest unit (whole-input index) of each sub-problem",
	                sub_fields, NF(sub_fields));
	if (!l)
		rc = w->st->code;
	for (size_t i = 0; i < p->nsubs && rc == STATUS_OK; i++) {
		long long v[2] = {p->subs[i].id, key[i]};
		rc = row(w, l, (long long)i + 1, NULL, v, 2);
	}
	free(key);
	return rc == STATUS_OK ? gpkg_table_commit(w, "shard_subs") : rc;
}

status_code gpkg_write_shard(gpkg_writer *w)
{
	const shard_part *sp = w->ri ? w->ri->shard : NULL;
	if (!sp)
		return STATUS_OK;
	status_code rc = write_head(w, sp);
	if (rc != STATUS_OK)
		return rc;
	OGRLayerH l = shard_table(w, "shard_units", "Whole-input index of each unit of this shard",
	                          unit_fields, NF(unit_fields));
	if (!l)
		return w->st->code;
	for (size_t u = 0; u < sp->in.nunits && rc == STATUS_OK; u++) {
		long long v = sp->unit_key[u];
		rc = row(w, l, (long long)u + 1, sp->in.units[u].id, &v, 2);
	}
	if (rc != STATUS_OK || (rc = gpkg_table_commit(w, "shard_units")) != STATUS_OK)
		return rc;
	l = shard_table(w, "shard_stations", "Whole-input site index of each station of this shard",
	                station_fields, NF(station_fields));
	if (!l)
		return w->st->code;
	for (size_t s = 0; s < w->p->nstations && rc == STATUS_OK; s++) {
		const plan_station *ps = &w->p->stations[s];
		const site *si = &sp->sites.sites[ps->site];
		OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
		OGR_F_SetFieldInteger(f, 0, (int)s + 1);
		OGR_F_SetFieldInteger64(f, 1, sp->site_key[ps->site]);
		OGR_F_SetFieldDouble(f, 2, si->x);
		OGR_F_SetFieldDouble(f, 3, si->y);
		OGR_F_SetFieldInteger64(f, 4, si->unit >= 0 ? sp->unit_key[si->unit] : -1);
		OGR_F_SetFieldInteger(f, 5, ps->phase);
		rc = gpkg_table_write(w, l, f, (long long)s + 1);
		OGR_F_Destroy(f);
	}
	if (rc != STATUS_OK || (rc = gpkg_table_commit(w, "shard_stations")) != STATUS_OK)
		return rc;
	return write_subs(w, sp);
}
