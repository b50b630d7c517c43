/*
 * sites.h: candidate sites, the first input of the solver (reach.h is the
 * second).
 *
 * sites_build() turns units and point layers into candidate sites (each with
 * its origin). It uses GEOS through the reentrant API only
 * (src/geom/geos_ctx.c) and never calls GDAL.
 */
#ifndef STATIONPLAN_SITES_H
#define STATIONPLAN_SITES_H

#include <stddef.h>

#include "inputs.h"
#include "scenario.h"
#include "status.h"
#include "unit_geom.h"

typedef enum site_source {
	SITE_REPRESENTATIVE = 0, /* PointOnSurface of a unit */
	SITE_GRID = 1,           /* grid point inside an urban unit */
	SITE_CANDIDATE = 2,      /* from the user `candidates` layer */
	SITE_EXISTING = 3        /* from the `existing` layer: fixed open */
} site_source;

typedef struct site {
	double x, y; /* working CRS */
	site_source source;
	int unit;          /* index of the unit containing the site, -1 if none */
	long long src_fid; /* fid in the candidates/existing layer, -1 otherwise */
} site;

typedef struct site_table {
	size_t n;
	site *sites;       /* existing sites first, then sorted by (x, y): deterministic */
	size_t nexcluded;  /* generated and user-candidate sites dropped inside exclusions */
	size_t nmerged;    /* duplicates within 1 m merged */
	size_t nsource[4]; /* sites kept, by site_source */
	size_t nforced;    /* village sites kept although inside an exclusion (warned) */
	/* input.keep (an edited plan): per site SITE_KEPT_* (0 for every site
	 * when there is no input.keep), NULL when there is none. A locked kept
	 * station has source SITE_EXISTING, so the solver keeps it open like
	 * an existing one; an unlocked one is a SITE_CANDIDATE that replaces the
	 * other sites within SITES_KEEP_NEAR_M. */
	unsigned char *kept;
	size_t nkept_locked, nkept_free; /* kept sites in the table */
	size_t navoided;                 /* sites dropped near a deleted station */
	size_t nreproposed;              /* ... and put back because needed (warned) */
} site_table;

enum { SITE_KEPT_NONE = 0, SITE_KEPT_FREE = 1, SITE_KEPT_LOCKED = 2 };

/* A kept station replaces other sites this close; a deleted one removes them. */
#define SITES_KEEP_NEAR_M 50.0

/* Build candidate sites (rules in src/geom/sites.c) on the prepared units
 * `ug` (unit_geom_prepare() of the same `in` and `sc`; parameters validated
 * by scenario_validate()). Returns STATUS_OK; STATUS_INPUT with `st` set for
 * a bad exclusion geometry or a grid spacing too fine for a unit (message
 * names the key or the unit); STATUS_INTERNAL on a GEOS or memory failure.
 * Dropped candidates and forced village sites are warnings in `st`. On
 * failure `out` is left empty. Caller frees with sites_free(). */
status_code sites_build(const inputs *in, const scenario *sc, const unit_geom *ug, site_table *out,
                        status *st);
void sites_free(site_table *t);

const char *site_source_name(site_source s); /* "representative", "grid", "candidate", "existing" */

#endif
