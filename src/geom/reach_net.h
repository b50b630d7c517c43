/*
 * reach_net.h: internal to src/geom/: the street-network step of
 * reach_build() (src/geom/reach_net.c).
 */
#ifndef STATIONPLAN_REACH_NET_H
#define STATIONPLAN_REACH_NET_H

#include "inputs.h"
#include "reach.h"
#include "scenario.h"
#include "sites.h"
#include "status.h"

/* Replace the straight-line pairs of `r` (complete, from reach_build) by
 * the pairs along in->roads (rules in src/geom/reach_net.c). Sets
 * r->network, r->net, r->why and the counts. Returns STATUS_OK,
 * STATUS_INPUT (no walkable street) or STATUS_INTERNAL; warnings for points
 * off the streets go into `st`. On failure `r` must still be freed. */
status_code reach_net_apply(const inputs *in, const site_table *sites, const scenario *sc, reach *r,
                            status *st);

#endif
