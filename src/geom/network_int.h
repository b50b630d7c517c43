/*
 * network_int.h: internal to the street network files of src/geom/
 * (network.c, network_attach.c, network_search.c, reach_net.c) and to
 * their unit tests (tests/cu_network.c).
 *
 * Two layers of the same network:
 *
 * - the streets: junction nodes and the edges between them, each edge a
 *   polyline from node a to node b (network.c);
 * - the search graph: every node, plus a vertex where a point attaches to
 *   an edge (the edge is split there), plus one vertex per attached point
 *   joined to its attachment by a connector (network_attach.c). Arcs are
 *   stored twice in CSR form, forward (walking direction) and reverse.
 */
#ifndef STATIONPLAN_NETWORK_INT_H
#define STATIONPLAN_NETWORK_INT_H

#include <stddef.h>

#include "network.h"

struct network {
	/* streets */
	size_t nnodes, nedges;
	double *nx, *ny;   /* nnodes */
	int *ea, *eb;      /* nedges: end nodes; the shape runs from a to b */
	double *elen;      /* nedges: metres along the shape */
	signed char *edir; /* nedges: 0 both ways, 1 a->b only, -1 b->a only */
	long long *efid;   /* nedges: feature of the roads layer */
	size_t *gstart;    /* nedges + 1: shape vertices [gstart[e], gstart[e+1]) */
	double *gx, *gy;   /* shape vertices, first and last on the end nodes */
	size_t nlines_in;  /* walkable lines given */
	size_t ncrossings; /* nodes added by noding (0 with roads_noded) */
	double merge_m;    /* roads_merge_m: also joins a dangling end to a line */
	size_t nsnapped;   /* dangling ends joined to a line (network_attach) */

	/* search graph (after network_attach) */
	size_t nv, narcs;
	double *vx, *vy;   /* nv */
	size_t *fstart;    /* nv + 1: arcs leaving v are [fstart[v], fstart[v+1]) */
	int *fto;          /* narcs */
	double *fw;        /* narcs: metres */
	int *fedge;        /* narcs: street edge, -1 for a connector */
	double *fs0, *fs1; /* narcs: offsets along the edge from its node a */
	size_t *rstart;    /* nv + 1: arcs entering v, as indices into the forward arcs */
	int *rarc;         /* narcs */
	int *rfrom;        /* narcs: tail of rarc[k] */
	size_t npoints;
	int *pvert;    /* npoints: vertex of each attached point, -1 when too far */
	double *pdist; /* npoints: connector length, -1 when too far */
	int *comp;     /* nv: connected part (ignoring direction), from 0 */
};

/* Shortest distance from point (px, py) to the segment (ax, ay)-(bx, by);
 * *t receives the position of the foot on the segment, 0..1. */
double network_seg_dist(double px, double py, double ax, double ay, double bx, double by,
                        double *t);

/* Bounded Dijkstra state of one thread (network_search.c). */
typedef struct net_search {
	double *dist; /* nv, INFINITY outside the touched set */
	int *pred;    /* nv: arc reaching v, -1 at the source */
	int *touched; /* vertices whose dist was set */
	size_t ntouched;
	struct heap_item *heap;
	size_t nheap, heapcap;
} net_search;

int net_search_init(net_search *s, const network *net);
void net_search_free(net_search *s);

/* Threads for `n` searches: `threads` (solver.threads; 0 or less: one per
 * online core), at least 1, at most 64 and at most n. */
int net_search_threads(int threads, size_t n);

/* fn(job) for each of the nt jobs (`jobs`, `size` bytes each), job t on a
 * thread of its own, job 0 on the calling thread, and the job of a thread
 * that cannot start after it on the calling thread too: each job does a
 * fixed share (thread t of nt), so the results do not depend on which
 * thread ran it. Returns 0, -1 out of memory (nothing run). */
int net_search_spread(void *(*fn)(void *), void *jobs, size_t size, int nt);

/* Distances from `src` within `cutoff` (inclusive), walking forward
 * (reverse = 0) or towards src (reverse = 1: dist[v] is the walk v -> src).
 * Stops early when `stop` >= 0 is settled. Calls visit(v, d, arg) for each
 * settled vertex in order of distance (ties by vertex); visit returning
 * nonzero stops the search. Returns 0, or -1 out of memory. */
int net_search_run(net_search *s, const network *net, int src, double cutoff, int reverse,
                   int (*visit)(int v, double d, void *arg), void *arg);

/* network_route() with the caller's search state (reused over many
 * routes: only the touched vertices are reset). Same returns. */
double net_search_route(net_search *s, const network *net, size_t from, size_t to, double cutoff,
                        double **xy, size_t *n);

/* The walk from vertex v to the source of the last reverse search
 * (net_search_run with reverse = 1, which settled v), as a polyline of *n
 * vertices into a malloc'd *xy (caller frees). Returns 0, -1 out of memory
 * (then *xy = NULL). */
int net_search_walk(const net_search *s, const network *net, int v, double **xy, size_t *n);

/* Forget the last search (resets only the touched vertices). */
void net_search_reset(net_search *s);

#endif
