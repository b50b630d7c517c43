/*
 * shard.c: the groups no rule connects, their shards, and one shard's own
 * tables. See include/shard.h for the rules.
 *
 * Nodes of a union-find: units 0..nu-1, then sites nu..nu+ns-1. Edges:
 * every reach pair of a unit the urban model serves, only the first pair of
 * a village under rural = one_per_village (it is served at a site inside
 * it, joined below; the first pair gives its reason when it has none),
 * every unit to its nearest site, every site to the unit it lies in,
 * (by district) every unit to the first unit of its district, and the
 * villages the rural pre-pass plans together (rural = one_per_admin_village:
 * one administrative village; rural = shared: one street). A group's
 * root is its lowest node, so group order is fixed. A village's other
 * pairs may reach sites of another shard; the shard's reach drops them
 * (nothing uses them: assemble.c serves a village at a site inside it).
 */
#include "shard.h"
#include "geom_int.h"
#include "rules.h"
#include "order.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *shard_by_name(shard_by by)
{
	return by == SHARD_BY_COMPONENT ? "component" : "district";
}

status_code shard_parse(const char *kn, const char *by, shard_spec *out, status *st)
{
	char *end;
	memset(out, 0, sizeof(*out));
	long k = strtol(kn, &end, 10);
	long n = *end == '/' ? strtol(end + 1, &end, 10) : 0;
	if (*end || k < 1 || n < k || n > 100000)
		return status_fail(st, STATUS_USAGE,
		                   "run: --shard '%s' (must be K/N with 1 <= K <= N)", kn);
	out->k = (int)k;
	out->n = (int)n;
	if (!by || !strcmp(by, "district"))
		out->by = SHARD_BY_DISTRICT;
	else if (!strcmp(by, "component"))
		out->by = SHARD_BY_COMPONENT;
	else
		return status_fail(st, STATUS_USAGE,
		                   "run: --shard-by '%s' (must be district or component)", by);
	return STATUS_OK;
}

static size_t uf_find(size_t *parent, size_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static void uf_join(size_t *parent, size_t a, size_t b)
{
	a = uf_find(parent, a);
	b = uf_find(parent, b);
	if (a != b)
		parent[a > b ? a : b] = a < b ? a : b;
}

typedef struct name_ix {
	const char *name;
	size_t unit;
} name_ix;

static int cmp_name(const void *pa, const void *pb)
{
	const name_ix *a = pa, *b = pb;
	return order_by(strcmp(a->name, b->name), ORDER_CMP(a->unit, b->unit), 0);
}

/* What joins units beyond reach: their district (by district), and for
 * the villages the rural pre-pass plans together (rural.h) their
 * administrative village or their street; NULL: nothing. */
typedef enum join_by { JOIN_DISTRICT, JOIN_RURAL } join_by;

static const char *join_key(const scenario *sc, const unit *u, join_by by)
{
	if (by == JOIN_DISTRICT)
		return u->district ? u->district : "";
	if (!rules_unit_rural_apart(sc, u->kind))
		return NULL;
	return sc->rural == RURAL_SHARED ? (u->street ? u->street : "") : rules_admin_village(u);
}

/* Join every unit to the other units of the same key. */
static int join_by_key(const inputs *in, const scenario *sc, join_by by, size_t *parent)
{
	name_ix *ix = malloc((in->nunits ? in->nunits : 1) * sizeof(*ix));
	if (!ix)
		return -1;
	size_t n = 0;
	for (size_t u = 0; u < in->nunits; u++) {
		const char *k = join_key(sc, &in->units[u], by);
		if (k)
			ix[n++] = (name_ix){k, u};
	}
	qsort(ix, n, sizeof(*ix), cmp_name);
	for (size_t i = 1; i < n; i++)
		if (!strcmp(ix[i].name, ix[i - 1].name))
			uf_join(parent, ix[i].unit, ix[i - 1].unit);
	free(ix);
	return 0;
}

typedef struct group_w {
	size_t root;
	double weight;
} group_w;

static int cmp_group(const void *pa, const void *pb)
{
	const group_w *a = pa, *b = pb;
	return order_by(-ORDER_CMP(a->weight, b->weight), ORDER_CMP(a->root, b->root), 0);
}

/* shard (0-based) of every node; returns the number of groups, or
 * (size_t)-1 out of memory. (geom_int.h: also for the cut made once) */
size_t shard_assign(const inputs *in, const site_table *sites, const reach *r, const scenario *sc,
                    const shard_spec *spec, int *node_shard)
{
	size_t nu = in->nunits, ns = sites->n, nn = nu + ns, ng = 0;
	size_t *parent = malloc((nn ? nn : 1) * sizeof(size_t));
	double *weight = calloc(nn ? nn : 1, sizeof(double));
	group_w *g = NULL;
	double *load = calloc((size_t)spec->n, sizeof(double));
	if (!parent || !weight || !load)
		goto fail;
	for (size_t i = 0; i < nn; i++)
		parent[i] = i;
	for (size_t u = 0; u < nu; u++) {
		/* a village (rural = one_per_village) is served only at a site inside
		 * it; its first pair names the reason when it has none */
		int village = rules_unit_is_village(sc, in->units[u].kind);
		size_t end =
		    village && r->start[u] < r->start[u + 1] ? r->start[u] + 1 : r->start[u + 1];
		for (size_t q = r->start[u]; q < end; q++)
			uf_join(parent, u, nu + (size_t)r->site[q]);
		if (r->nearest[u] >= 0)
			uf_join(parent, u, nu + (size_t)r->nearest[u]);
	}
	for (size_t j = 0; j < ns; j++)
		if (sites->sites[j].unit >= 0)
			uf_join(parent, nu + j, (size_t)sites->sites[j].unit);
	if (spec->by == SHARD_BY_DISTRICT && join_by_key(in, sc, JOIN_DISTRICT, parent) < 0)
		goto fail;
	if (join_by_key(in, sc, JOIN_RURAL, parent) < 0)
		goto fail;
	for (size_t u = 0; u < nu; u++)
		weight[uf_find(parent, u)] += 1.0 + (double)(r->start[u + 1] - r->start[u]);
	for (size_t i = 0; i < nn; i++)
		ng += uf_find(parent, i) == i;
	g = malloc((ng ? ng : 1) * sizeof(*g));
	if (!g)
		goto fail;
	ng = 0;
	for (size_t i = 0; i < nn; i++)
		if (uf_find(parent, i) == i)
			g[ng++] = (group_w){i, weight[i]};
	qsort(g, ng, sizeof(*g), cmp_group);
	/* weight[] now holds the shard of each root */
	for (size_t i = 0; i < ng; i++) {
		int best = 0;
		for (int s = 1; s < spec->n; s++)
			if (load[s] < load[best])
				best = s;
		load[best] += g[i].weight;
		weight[g[i].root] = best;
	}
	for (size_t i = 0; i < nn; i++)
		node_shard[i] = (int)weight[uf_find(parent, i)];
	free(parent);
	free(weight);
	free(g);
	free(load);
	return ng;
fail:
	free(parent);
	free(weight);
	free(g);
	free(load);
	return (size_t)-1;
}

static int take_reach(const reach *r, const long *ukey, size_t nu, const long *sloc, reach *out)
{
	size_t np = 0;
	for (size_t a = 0; a < nu; a++)
		for (size_t p = r->start[ukey[a]]; p < r->start[ukey[a] + 1]; p++)
			np += sloc[r->site[p]] >= 0;
	out->nunits = nu;
	out->npairs = np;
	out->nsamples = r->nsamples;
	out->start = malloc((nu + 1) * sizeof(size_t));
	out->site = malloc((np ? np : 1) * sizeof(int));
	out->dist = malloc((np ? np : 1) * sizeof(double));
	out->inside = malloc(np ? np : 1);
	out->ux = malloc((nu ? nu : 1) * sizeof(double));
	out->uy = malloc((nu ? nu : 1) * sizeof(double));
	out->nearest = malloc((nu ? nu : 1) * sizeof(int));
	out->nearest_dist = malloc((nu ? nu : 1) * sizeof(double));
	if (!out->start || !out->site || !out->dist || !out->inside || !out->ux || !out->uy ||
	    !out->nearest || !out->nearest_dist)
		return -1;
	size_t q = 0;
	for (size_t a = 0; a < nu; a++) {
		size_t u = (size_t)ukey[a];
		out->start[a] = q;
		for (size_t p = r->start[u]; p < r->start[u + 1]; p++) {
			if (sloc[r->site[p]] < 0)
				continue; /* a village's pair to another shard's site: unused */
			out->site[q] = (int)sloc[r->site[p]];
			out->dist[q] = r->dist[p];
			out->inside[q] = r->inside ? r->inside[p] : 0;
			q++;
		}
		out->ux[a] = r->ux[u];
		out->uy[a] = r->uy[u];
		out->nearest[a] = r->nearest[u] >= 0 ? (int)sloc[r->nearest[u]] : -1;
		out->nearest_dist[a] = r->nearest_dist[u];
	}
	out->start[nu] = q;
	return 0;
}

status_code shard_restrict(const inputs *in, const site_table *sites, const reach *r,
                           const scenario *sc, const shard_spec *spec, shard_part *out, status *st)
{
	size_t nu = in->nunits, ns = sites->n;
	memset(out, 0, sizeof(*out));
	out->spec = *spec;
	int *node = malloc((nu + ns ? nu + ns : 1) * sizeof(int));
	long *uloc = malloc((nu ? nu : 1) * sizeof(long));
	long *sloc = malloc((ns ? ns : 1) * sizeof(long));
	out->unit_key = malloc((nu ? nu : 1) * sizeof(long));
	out->site_key = malloc((ns ? ns : 1) * sizeof(long));
	if (!node || !uloc || !sloc || !out->unit_key || !out->site_key)
		goto nomem;
	out->ngroups = shard_assign(in, sites, r, sc, spec, node);
	if (out->ngroups == (size_t)-1)
		goto nomem;
	int k = spec->k - 1;
	size_t ku = 0, ks = 0;
	for (size_t u = 0; u < nu; u++) {
		uloc[u] = node[u] == k ? (long)ku : -1;
		if (node[u] == k)
			out->unit_key[ku++] = (long)u;
	}
	for (size_t j = 0; j < ns; j++) {
		sloc[j] = node[nu + j] == k ? (long)ks : -1;
		if (node[nu + j] == k)
			out->site_key[ks++] = (long)j;
	}
	out->in = *in; /* borrowed, but for the units */
	out->in.nunits = ku;
	out->in.units = malloc((ku ? ku : 1) * sizeof(unit));
	out->sites = *sites;
	out->sites.n = ks;
	out->sites.sites = malloc((ks ? ks : 1) * sizeof(site));
	if (!out->in.units || !out->sites.sites)
		goto nomem;
	for (size_t a = 0; a < ku; a++)
		out->in.units[a] = in->units[out->unit_key[a]];
	for (size_t b = 0; b < ks; b++) {
		site s = sites->sites[out->site_key[b]];
		s.unit = s.unit >= 0 ? (int)uloc[s.unit] : -1;
		out->sites.sites[b] = s;
	}
	if (take_reach(r, out->unit_key, ku, sloc, &out->r) < 0)
		goto nomem;
	free(node);
	free(uloc);
	free(sloc);
	return STATUS_OK;
nomem:
	free(node);
	free(uloc);
	free(sloc);
	shard_free(out);
	return status_fail(st, STATUS_INTERNAL, "out of memory");
}

void shard_free(shard_part *sp)
{
	free(sp->in.units);
	free(sp->sites.sites);
	free(sp->owned_kept);
	reach_free(&sp->r);
	free(sp->unit_key);
	free(sp->site_key);
	memset(sp, 0, sizeof(*sp));
}
