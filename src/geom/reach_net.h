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

/* A (unit, site) pair while the table is built: distance, site, and 1 when
 * the site lies inside the unit; a growable vector of them (reach.c, shared
 * with reach_net.c). */
typedef struct reach_pair {
	double d;
	int site;
	unsigned char inside;
} reach_pair;

typedef struct reach_pair_vec {
	reach_pair *v;
	size_t n, cap;
} reach_pair_vec;

/* Append (d, s, inside). Returns 0, -1 on ENOMEM (p unchanged). */
int reach_pair_push(reach_pair_vec *p, double d, int s, unsigned char inside);

/* qsort order: by distance, then by site index. */
int reach_pair_cmp(const void *a, const void *b);

/* Replace the straight-line pairs of `r` (complete, from reach_build) by
 * the pairs along in->roads (rules in src/geom/reach_net.c). Sets
 * r->network, r->net, r->why and the counts. Returns STATUS_OK,
 * STATUS_INPUT (no walkable street) or STATUS_INTERNAL; warnings for points
 * off the streets go into `st`. On failure `r` must still be freed. */
status_code reach_net_apply(const inputs *in, const site_table *sites, const scenario *sc, reach *r,
                            status *st);

#endif
