/*
 * network.h: the street network that walking distances run along (issue 17).
 *
 * network_build() turns the walkable lines of input.roads into junctions
 * and edges: lines are noded with GEOS where they cross (unless
 * roads_noded = true says the data is split at its junctions already, so a
 * bridge over a street stays unconnected), and line ends closer than
 * roads_merge_m become one junction. network_attach() ties points (unit
 * demand points, candidate sites) to the nearest walkable edge within
 * roads_snap_m by a perpendicular connector. Distances then come from
 * bounded shortest-path searches (src/geom/network_search.c).
 *
 * GEOS only through src/geom/geos_ctx.c; no GDAL. The handle is opaque;
 * src/geom/network_int.h shows its tables to the geometry code and tests.
 */
#ifndef STATIONPLAN_NETWORK_H
#define STATIONPLAN_NETWORK_H

#include <stddef.h>

#include "inputs.h"
#include "scenario.h"
#include "status.h"

typedef struct network network;

/* Build the network of the walkable lines of `ls` (rules in
 * src/geom/network.c) with sc->roads_noded, roads_merge_m and
 * roads_walk_oneway. Returns STATUS_OK and a new network in *out (caller
 * frees with network_free); STATUS_INPUT when no walkable line is left;
 * STATUS_INTERNAL on a GEOS or memory failure. */
status_code network_build(const line_set *ls, const scenario *sc, network **out, status *st);

/* Attach n points to the network (rules in src/geom/network_attach.c):
 * each to the nearest point of an edge within snap_m, ties to the lower
 * edge, then the lower shape segment, then the lower position. Builds the
 * search graph; call once per network. A point farther than snap_m stays
 * unattached (network_point_gap() < 0). Returns STATUS_OK or
 * STATUS_INTERNAL (out of memory). */
status_code network_attach(network *net, size_t n, const double *x, const double *y, double snap_m,
                           status *st);

/* Length of point k's connector to its street, -1 when it is not attached. */
double network_point_gap(const network *net, size_t k);

/* Connected part of the network (ignoring oneway) point k is on, -1 when
 * not attached. Parts are numbered from 0 in vertex order. */
int network_point_part(const network *net, size_t k);

size_t network_node_count(const network *net);
size_t network_edge_count(const network *net);
size_t network_crossing_count(const network *net); /* junctions added by noding */

/* Walking distance from attached point `from` to attached point `to`
 * (oneway respected), if it is <= cutoff (INFINITY: no bound). Returns the
 * metres, or -1 when `to` cannot be reached within cutoff (or either point
 * is unattached); -2 out of memory. */
double network_distance(const network *net, size_t from, size_t to, double cutoff);

/* The walking route from point `from` to point `to` within cutoff, as a
 * polyline of *n vertices (2 doubles each) into a malloc'd *xy (caller
 * frees): the connector, the streets' shapes, the connector. Returns the
 * route's length, -1 when there is none within cutoff (then *xy = NULL),
 * -2 out of memory. */
double network_route(const network *net, size_t from, size_t to, double cutoff, double **xy,
                     size_t *n);

void network_free(network *net);

#endif
