/*
 * baseline.h: the compact textbook model written as MPS for `make bench`.
 */
#ifndef STATIONPLAN_BASELINE_H
#define STATIONPLAN_BASELINE_H

#include <stddef.h>

#include "inputs.h"
#include "plan.h"
#include "reach.h"
#include "scenario.h"
#include "sites.h"
#include "status.h"

/* The baseline of `make bench`: the compact textbook model of the same urban
 * instance (integer y_j stations per allowed site, binary x_ij per reach
 * pair, capacity rows sum_i h_i x_ij <= max y_j, band rows >= min y_j at
 * sites that are not isolated, existing sites y_j >= 1; objective
 * sum_j y_j plus the same walking tie-break), written to `path` as free MPS
 * through glp_write_mps. Villages are not in it (one station each, fixed):
 * their count is returned in *nvillages so totals compare. Returns STATUS_OK,
 * STATUS_INTERNAL with `st` set on a write or memory failure. */
typedef struct baseline_info {
	size_t nunits, nsites, nrows, ncols, nnz, nvillages;
} baseline_info;
status_code baseline_write_mps(const inputs *in, const site_table *sites, const reach *r,
                               const scenario *sc, const char *path, baseline_info *info,
                               status *st);

#endif
