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
	double x, y;        /* working CRS */
	site_source source;
	int unit;           /* index of the unit containing the site, -1 if none */
	long long src_fid;  /* fid in the candidates/existing layer, -1 otherwise */
} site;

typedef struct site_table {
	size_t n;
	site *sites;        /* existing sites first, then sorted by (x, y): deterministic */
	size_t nexcluded;   /* generated sites dropped inside exclusions */
	size_t nmerged;     /* duplicates within 1 m merged */
} site_table;

/* Sparse reach: for unit i, its pairs are [start[i], start[i+1]), sorted by
 * distance then site index. Distance is from the unit's demand location: the
 * representative point, or with demand_points = samples the household-weighted
 * mean over interior sample points. */
typedef struct reach {
	size_t nunits;
	size_t npairs;
	size_t *start;      /* nunits + 1 */
	int *site;          /* npairs */
	double *dist;       /* npairs, metres */
	double *ux, *uy;    /* nunits: representative point of each unit */
	int *nearest;       /* nunits: nearest site of units with no pair, -1 if no site at all */
	double *nearest_dist;
} reach;

/* Build candidate sites. Returns STATUS_OK, or a fatal code with `st` set.
 * Caller frees with sites_free(). */
status_code sites_build(const inputs *in, const scenario *sc, site_table *out, status *st);
void sites_free(site_table *t);

/* Build the reach pairs within sc->walk_distance_m. Caller frees with reach_free(). */
status_code reach_build(const inputs *in, const site_table *sites, const scenario *sc, reach *out,
			status *st);
void reach_free(reach *r);

const char *site_source_name(site_source s); /* "representative", "grid", "candidate", "existing" */

#endif
