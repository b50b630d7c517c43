/*
 * gpkg_phases.c: the tables of a phased plan ([phases], solver/phases.c):
 * `summary_phase`, one row per phase (year 0: the existing stations alone),
 * and `summary_phase_district`, one row per phase and district. Written
 * only when the plan has phases.
 *
 *   summary_phase: phase (year), budget (cumulative stations allowed, NULL
 *   for year 0), stations (open in that phase), new_stations (opened in
 *   it), households (served by the stations open in it), share (of all
 *   households), bound (most households that budget alone can serve),
 *   gap ((bound - households) / bound: what nesting and the search cost),
 *   full (1: the phase is the full plan), status (its solve), sites (the
 *   places of its stations: the parts of a split unit may share one)
 *
 *   summary_phase_district: phase, district, stations, new_stations,
 *   households, total_households, share
 */
#include "gpkg_int.h"

static const gpkg_field phase_fields[] = {
    {"phase", OFTInteger, OFSTNone},      {"budget", OFTInteger, OFSTNone},
    {"stations", OFTInteger, OFSTNone},   {"new_stations", OFTInteger, OFSTNone},
    {"households", OFTInteger, OFSTNone}, {"share", OFTReal, OFSTNone},
    {"bound", OFTInteger, OFSTNone},      {"gap", OFTReal, OFSTNone},
    {"full", OFTInteger, OFSTBoolean},    {"status", OFTString, OFSTNone},
    {"sites", OFTInteger, OFSTNone},
};

static const gpkg_field district_fields[] = {
    {"phase", OFTInteger, OFSTNone},      {"district", OFTString, OFSTNone},
    {"stations", OFTInteger, OFSTNone},   {"new_stations", OFTInteger, OFSTNone},
    {"households", OFTInteger, OFSTNone}, {"total_households", OFTInteger, OFSTNone},
    {"share", OFTReal, OFSTNone},
};

static const gpkg_layer_def phase_layer = {
    "summary_phase", wkbNone, "Stations and households by phase",
    "One row per phase of [phases] (phase = year; 0 = the existing stations alone): "
    "stations open, stations opened in the phase, households served by the stations "
    "open in it and their share of all households; bound is the most households that "
    "phase's budget could serve alone (without the earlier phases), gap the share lost "
    "to nesting and the search; full = 1 when the phase is the full plan; sites: the "
    "places "
    "of its stations (nested: every place of a phase is open in the later ones).",
    GPKG_FIELDS(phase_fields)};

static const gpkg_layer_def district_layer = {
    "summary_phase_district", wkbNone, "Stations and households by phase and district",
    "One row per phase and district: stations open in the phase (counted in the "
    "district of the unit their site lies in), opened in it, households of the "
    "district served in the phase, all its households, and the share served.",
    GPKG_FIELDS(district_fields)};

static status_code write_phases(gpkg_writer *w)
{
	const plan *p = w->p;
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &phase_layer) != STATUS_OK)
		return t.rc;
	for (size_t i = 0; i < p->nphases && t.rc == STATUS_OK; i++) {
		const plan_phase *ph = &p->phases[i];
		OGRFeatureH f = gpkg_rows_new(&t);
		OGR_F_SetFieldInteger(f, 0, ph->year);
		if (ph->budget >= 0)
			OGR_F_SetFieldInteger(f, 1, (int)ph->budget);
		else
			OGR_F_SetFieldNull(f, 1);
		OGR_F_SetFieldInteger(f, 2, (int)ph->stations);
		OGR_F_SetFieldInteger(f, 3, (int)ph->new_stations);
		OGR_F_SetFieldInteger(f, 4, (int)ph->households);
		OGR_F_SetFieldDouble(f, 5, ph->share);
		OGR_F_SetFieldInteger(f, 6, (int)ph->bound);
		OGR_F_SetFieldDouble(f, 7, ph->gap);
		OGR_F_SetFieldInteger(f, 8, ph->full != 0);
		OGR_F_SetFieldString(f, 9, ph->status);
		OGR_F_SetFieldInteger(f, 10, (int)ph->sites);
		gpkg_rows_put(&t, f, NULL);
	}
	return gpkg_rows_close(&t);
}

static status_code write_districts(gpkg_writer *w)
{
	const plan *p = w->p;
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &district_layer) != STATUS_OK)
		return t.rc;
	for (size_t i = 0; i < p->nphase_districts && t.rc == STATUS_OK; i++) {
		const plan_phase_district *d = &p->phase_districts[i];
		OGRFeatureH f = gpkg_rows_new(&t);
		OGR_F_SetFieldInteger(f, 0, d->year);
		OGR_F_SetFieldString(f, 1, d->district);
		OGR_F_SetFieldInteger(f, 2, (int)d->stations);
		OGR_F_SetFieldInteger(f, 3, (int)d->new_stations);
		OGR_F_SetFieldInteger(f, 4, (int)d->households);
		OGR_F_SetFieldInteger(f, 5, (int)d->total);
		OGR_F_SetFieldDouble(f, 6,
		                     d->total > 0 ? (double)d->households / (double)d->total : 0.0);
		gpkg_rows_put(&t, f, NULL);
	}
	return gpkg_rows_close(&t);
}

status_code gpkg_write_phases(gpkg_writer *w)
{
	if (w->p->nphases == 0)
		return STATUS_OK;
	status_code rc = write_phases(w);
	return rc == STATUS_OK ? write_districts(w) : rc;
}
