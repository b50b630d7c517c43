/*
 * reach_routes.c: the walking routes of the plan's assignments, for the
 * `links` layer (see reach_routes() in include/reach.h).
 *
 * Each route is the shortest walk found again from the unit's point to the
 * site, cut just above the pair's distance, with one search state reused
 * over all routes. A pair whose distance is not that walk (a straight-line
 * pair: roads_fallback = straight, or a village's own site beyond the
 * radius) is drawn as a straight segment, so a link never shows a route
 * longer than the distance it is labelled with.
 */
#include "reach.h"
#include "grow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "network_int.h"

status_code reach_routes(reach *r, size_t n, const int *unit, const int *site,
                         const site_table *sites, status *st)
{
	free(r->route_start), free(r->route_xy);
	r->route_start = NULL, r->route_xy = NULL, r->nroutes = 0;
	if (!r->network)
		return STATUS_OK;
	size_t cap = 1024, len = 0;
	net_search s = {0};
	r->route_start = malloc((n + 1) * sizeof(size_t));
	r->route_xy = malloc(2 * cap * sizeof(double));
	if (!r->route_start || !r->route_xy || net_search_init(&s, r->net) != 0) {
		net_search_free(&s);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	status_code rc = STATUS_OK;
	for (size_t k = 0; k < n && rc == STATUS_OK; k++) {
		double *xy = NULL, two[4], want = -1;
		size_t m = 0, u = (size_t)unit[k];
		for (size_t i = r->start[u]; i < r->start[u + 1]; i++)
			if (r->site[i] == site[k])
				want = r->dist[i];
		double d = want < 0 ? -1
		                    : net_search_route(&s, r->net, u, r->nunits + (size_t)site[k],
		                                       want + 1e-6, &xy, &m);
		if (d == -2) {
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
			break;
		}
		if (d >= 0 && fabs(d - want) > 1e-6) { /* taken in a straight line */
			free(xy);
			xy = NULL;
			d = -1;
		}
		if (d < 0) { /* a straight-line pair */
			two[0] = r->ux[unit[k]], two[1] = r->uy[unit[k]];
			two[2] = sites->sites[site[k]].x, two[3] = sites->sites[site[k]].y;
			m = 2;
		}
		if (grow_reserve(&r->route_xy, &cap, len + m, 2 * sizeof(double)) != 0) {
			free(xy);
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
			break;
		}
		memcpy(r->route_xy + 2 * len, xy ? xy : two, 2 * m * sizeof(double));
		free(xy);
		r->route_start[k] = len;
		len += m;
	}
	net_search_free(&s);
	if (rc != STATUS_OK)
		return rc;
	r->route_start[n] = len;
	r->nroutes = n;
	return STATUS_OK;
}
