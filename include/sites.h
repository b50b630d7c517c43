/*
 * sites.h: candidate sites and walking reach, the two inputs of the solver.
 *
 * sites_build() turns units and point layers into candidate sites (each with
 * its origin); reach_build() lists every (unit, site) pair within the walking
 * distance with a spatial index, never an n*m loop. Both use GEOS through
 * the reentrant API only (src/geos_ctx.c) and never call GDAL.
 */
#ifndef STATIONPLAN_SITES_H
#define STATIONPLAN_SITES_H

#include <stddef.h>

#include "inputs.h"
#include "scenario.h"
#include "status.h"

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
} site_table;

/* Sparse reach: for unit i, its pairs are [start[i], start[i+1]), sorted by
 * distance then site index. Distance is from the unit's demand location: the
 * representative point, or with demand_points = samples the household-weighted
 * mean over interior sample points. A pair is listed when that distance is
 * <= walk_distance_m; for a village under rural = one_per_village, every
 * site inside the village is listed too, whatever its distance (a large
 * village must still get its own station; `inside` marks such pairs). */
typedef struct reach {
	size_t nunits;
	size_t npairs;
	size_t *start;   /* nunits + 1 */
	int *site;       /* npairs */
	double *dist;    /* npairs, metres */
	double *ux, *uy; /* nunits: representative point of each unit */
	/* nunits, filled for every unit: the site nearest to the representative
	 * point and the unit's distance to it (as in `dist`); -1 and -1 when
	 * there is no site at all. Gives the reason of an uncovered unit. */
	int *nearest;
	double *nearest_dist;
	unsigned char *inside; /* npairs: 1 when the site lies in the unit (site.unit) */
	size_t nsamples;       /* demand points used, all units together */
} reach;

/* Build candidate sites (rules in src/sites.c). Returns STATUS_OK;
 * STATUS_INPUT with `st` set for a bad parameter or unit geometry (message
 * names the key or the unit); STATUS_INTERNAL on a GEOS or memory failure.
 * Dropped candidates and forced village sites are warnings in `st`. On
 * failure `out` is left empty. Caller frees with sites_free(). */
status_code sites_build(const inputs *in, const scenario *sc, site_table *out, status *st);
void sites_free(site_table *t);

/* Build the reach pairs within sc->walk_distance_m (rules in src/reach.c).
 * Returns STATUS_OK, or STATUS_INPUT / STATUS_INTERNAL with `st` set and
 * `out` left empty. A unit with no pair is not an error. Caller frees with
 * reach_free(). */
status_code reach_build(const inputs *in, const site_table *sites, const scenario *sc, reach *out,
                        status *st);
void reach_free(reach *r);

const char *site_source_name(site_source s); /* "representative", "grid", "candidate", "existing" */

#endif
