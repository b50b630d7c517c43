/*
 * network_search.c: bounded shortest-path searches on the search graph.
 *
 * A plain Dijkstra with a binary heap keyed (distance, vertex), so equal
 * distances settle in vertex order and every result is deterministic. The
 * search stops at the cutoff radius (a vertex at exactly the cutoff is
 * settled), and only the vertices it touched are reset afterwards, so one
 * search costs what its neighbourhood costs, not the whole city.
 *
 * Why not igraph: libigraph 0.10 as packaged is built without thread
 * safety (IGRAPH_THREAD_SAFE = 0: its error-cleanup stack is global), so
 * its Dijkstra cannot run on two threads at once; and one
 * igraph_distances_dijkstra_cutoff call per site, to the units' vertices,
 * took 2.7-3.6 s on one thread for the 3,625 sites of the dense bench city
 * (scripts/bench_roads.sh: 34,510 vertices, 119,650 arcs) where this search
 * took 0.3-0.4 s for the same 38,863 pairs (two runs, machine under load;
 * README, "Walking along the streets"). The unit tests
 * check this search against igraph_distances_dijkstra and a Floyd-Warshall
 * on random graphs.
 */
#include "network_int.h"
#include "grow.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

typedef struct heap_item {
	double d;
	int v;
} heap_item;

static int item_less(const heap_item *a, const heap_item *b)
{
	return a->d < b->d || (a->d == b->d && a->v < b->v);
}

static int heap_push(net_search *s, double d, int v)
{
	if (grow_reserve(&s->heap, &s->heapcap, s->nheap + 1, sizeof(*s->heap)) != 0)
		return -1;
	size_t i = s->nheap++;
	heap_item it = {d, v};
	while (i > 0 && item_less(&it, &s->heap[(i - 1) / 2])) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = it;
	return 0;
}

static heap_item heap_pop(net_search *s)
{
	heap_item top = s->heap[0], last = s->heap[--s->nheap];
	size_t i = 0, n = s->nheap;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && item_less(&s->heap[c + 1], &s->heap[c]))
			c++;
		if (!item_less(&s->heap[c], &last))
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (n)
		s->heap[i] = last;
	return top;
}

int net_search_init(net_search *s, const network *net)
{
	memset(s, 0, sizeof(*s));
	size_t nv = net->nv ? net->nv : 1;
	s->dist = malloc(nv * sizeof(double));
	s->pred = malloc(nv * sizeof(int));
	s->touched = malloc(nv * sizeof(int));
	if (!s->dist || !s->pred || !s->touched)
		return -1;
	for (size_t v = 0; v < nv; v++)
		s->dist[v] = INFINITY, s->pred[v] = -1;
	return 0;
}

void net_search_free(net_search *s)
{
	free(s->dist), free(s->pred), free(s->touched), free(s->heap);
	memset(s, 0, sizeof(*s));
}

void net_search_reset(net_search *s)
{
	for (size_t i = 0; i < s->ntouched; i++)
		s->dist[s->touched[i]] = INFINITY, s->pred[s->touched[i]] = -1;
	s->ntouched = 0;
	s->nheap = 0;
}

static void relax(net_search *s, int v, double d, int arc, int *oom)
{
	if (!(d < s->dist[v]))
		return;
	if (s->dist[v] == INFINITY)
		s->touched[s->ntouched++] = v;
	s->dist[v] = d;
	s->pred[v] = arc;
	if (heap_push(s, d, v) != 0)
		*oom = 1;
}

int net_search_run(net_search *s, const network *net, int src, double cutoff, int reverse,
                   int (*visit)(int v, double d, void *arg), void *arg)
{
	int oom = 0;
	net_search_reset(s);
	relax(s, src, 0, -1, &oom);
	while (s->nheap && !oom) {
		heap_item it = heap_pop(s);
		if (it.d > s->dist[it.v])
			continue; /* stale entry */
		if (visit && visit(it.v, it.d, arg))
			break;
		if (!reverse) {
			for (size_t m = net->fstart[it.v]; m < net->fstart[it.v + 1]; m++) {
				double d = it.d + net->fw[m];
				if (d <= cutoff)
					relax(s, net->fto[m], d, (int)m, &oom);
			}
		} else {
			for (size_t r = net->rstart[it.v]; r < net->rstart[it.v + 1]; r++) {
				int m = net->rarc[r];
				double d = it.d + net->fw[m];
				if (d <= cutoff)
					relax(s, net->rfrom[r], d, m, &oom);
			}
		}
	}
	return oom ? -1 : 0;
}

typedef struct stop_at {
	int target;
	double d;
} stop_at;

static int stop_visit(int v, double d, void *arg)
{
	stop_at *q = arg;
	if (v != q->target)
		return 0;
	q->d = d;
	return 1;
}

/* Forward search from point `from` until point `to` is settled; the
 * search state keeps the predecessors. -1 none, -2 oom. */
static double search_pair(net_search *s, const network *net, size_t from, size_t to, double cutoff)
{
	if (from >= net->npoints || to >= net->npoints || net->pvert[from] < 0 ||
	    net->pvert[to] < 0)
		return -1;
	stop_at q = {net->pvert[to], -1};
	if (net_search_run(s, net, net->pvert[from], cutoff, 0, stop_visit, &q) != 0)
		return -2;
	return q.d;
}

double network_distance(const network *net, size_t from, size_t to, double cutoff)
{
	net_search s;
	if (net_search_init(&s, net) != 0) {
		net_search_free(&s);
		return -2;
	}
	double d = search_pair(&s, net, from, to, cutoff);
	net_search_free(&s);
	return d;
}

typedef struct poly {
	double *xy;
	size_t n, cap;
} poly;

static int poly_add(poly *p, double x, double y)
{
	if (p->n && p->xy[2 * p->n - 2] == x && p->xy[2 * p->n - 1] == y)
		return 0;
	if (grow_reserve(&p->xy, &p->cap, p->n + 1, 2 * sizeof(double)) != 0)
		return -1;
	p->xy[2 * p->n] = x, p->xy[2 * p->n + 1] = y;
	p->n++;
	return 0;
}

/* The shape of edge e between offsets s0 and s1 (either order), without
 * its first point (the walk is already there), appended to p. */
static int add_edge_part(poly *p, const network *net, int e, double s0, double s1, double ex,
                         double ey)
{
	size_t g0 = net->gstart[e], g1 = net->gstart[e + 1];
	double lo = fmin(s0, s1), hi = fmax(s0, s1), acc = 0;
	size_t first = p->n;
	/* interior shape vertices strictly between lo and hi, in edge order */
	for (size_t k = g0; k + 1 < g1; k++) {
		acc += hypot(net->gx[k + 1] - net->gx[k], net->gy[k + 1] - net->gy[k]);
		if (k + 2 < g1 && acc > lo && acc < hi &&
		    poly_add(p, net->gx[k + 1], net->gy[k + 1]))
			return -1;
	}
	if (s1 < s0) /* walked against the shape: reverse what was added */
		for (size_t i = first, j = p->n; i + 1 < j; i++, j--) {
			double tx = p->xy[2 * i], ty = p->xy[2 * i + 1];
			p->xy[2 * i] = p->xy[2 * j - 2], p->xy[2 * i + 1] = p->xy[2 * j - 1];
			p->xy[2 * j - 2] = tx, p->xy[2 * j - 1] = ty;
		}
	return poly_add(p, ex, ey);
}

double net_search_route(net_search *s, const network *net, size_t from, size_t to, double cutoff,
                        double **xy, size_t *n)
{
	*xy = NULL, *n = 0;
	double d = search_pair(s, net, from, to, cutoff);
	if (d < 0)
		return d;
	/* arcs from the target back to the source, then walked forward */
	int *arcs = malloc((net->nv ? net->nv : 1) * sizeof(int));
	if (!arcs)
		return -2;
	size_t narcs = 0;
	for (int v = net->pvert[to]; s->pred[v] >= 0;) {
		int m = s->pred[v], u = -1;
		arcs[narcs++] = m;
		for (size_t r = net->rstart[v]; r < net->rstart[v + 1]; r++)
			if (net->rarc[r] == m)
				u = net->rfrom[r];
		v = u;
	}
	poly p = {0};
	int oom = poly_add(&p, net->vx[net->pvert[from]], net->vy[net->pvert[from]]);
	for (size_t i = narcs; i-- > 0 && !oom;) {
		int m = arcs[i], v = net->fto[m];
		if (net->fedge[m] < 0)
			oom = poly_add(&p, net->vx[v], net->vy[v]);
		else
			oom = add_edge_part(&p, net, net->fedge[m], net->fs0[m], net->fs1[m],
			                    net->vx[v], net->vy[v]);
	}
	free(arcs);
	if (oom) {
		free(p.xy);
		return -2;
	}
	*xy = p.xy, *n = p.n;
	return d;
}

int net_search_walk(const net_search *s, const network *net, int v, double **xy, size_t *n)
{
	poly p = {0};
	*xy = NULL, *n = 0;
	int oom = poly_add(&p, net->vx[v], net->vy[v]);
	/* reverse search: pred[v] is the arc leaving v towards the source */
	while (!oom && s->pred[v] >= 0) {
		int m = s->pred[v];
		v = net->fto[m];
		if (net->fedge[m] < 0)
			oom = poly_add(&p, net->vx[v], net->vy[v]);
		else
			oom = add_edge_part(&p, net, net->fedge[m], net->fs0[m], net->fs1[m],
			                    net->vx[v], net->vy[v]);
	}
	if (oom) {
		free(p.xy);
		return -1;
	}
	*xy = p.xy, *n = p.n;
	return 0;
}

double network_route(const network *net, size_t from, size_t to, double cutoff, double **xy,
                     size_t *n)
{
	net_search s;
	*xy = NULL, *n = 0;
	if (net_search_init(&s, net) != 0) {
		net_search_free(&s);
		return -2;
	}
	double d = net_search_route(&s, net, from, to, cutoff, xy, n);
	net_search_free(&s);
	return d;
}

int net_search_threads(int threads, size_t n)
{
	long t = threads > 0 ? threads : sysconf(_SC_NPROCESSORS_ONLN);
	if (t < 1)
		t = 1;
	if (t > 64)
		t = 64;
	if ((size_t)t > n)
		t = n ? (long)n : 1;
	return (int)t;
}

int net_search_spread(void *(*fn)(void *), void *jobs, size_t size, int nt)
{
	pthread_t *th = calloc((size_t)nt, sizeof(*th));
	if (!th)
		return -1;
	char *job = jobs;
	int started = 1;
	for (int t = 1; t < nt; t++) {
		if (pthread_create(&th[t], NULL, fn, job + (size_t)t * size) != 0)
			break;
		started = t + 1;
	}
	fn(job);
	for (int t = started; t < nt; t++) /* the share of a thread that could not start */
		fn(job + (size_t)t * size);
	for (int t = 1; t < started; t++)
		pthread_join(th[t], NULL);
	free(th);
	return 0;
}
