/*
 * decompose.c: cutting the urban problem into independent sub-problems.
 *
 * Two units belong to the same sub-problem when some allowed site reaches
 * both (union-find over the reach pairs), so the connected components of the
 * reach graph are independent: their optima add up and so do their bounds.
 * A component is never cut further: one too large to list its columns is
 * solved whole by column generation (colgen.c).
 */
#include "solver_int.h"
#include "grow.h"
#include "rules.h"

#include <stdlib.h>
#include <string.h>

typedef struct scratch {
	int *uloc; /* global unit -> local, -1 */
	int *sloc; /* global site -> local, -1 */
} scratch;

/* Build the sub of the given global units (ascending), over allowed sites
 * not denied. */
static int sub_build(const sp_world *w, const int *units, int nu, const unsigned char *deny,
                     scratch *sc, sp_sub *s)
{
	const reach *r = w->r;
	memset(s, 0, sizeof(*s));
	s->nu = nu;
	s->unit = malloc((size_t)nu * sizeof(int));
	s->h = malloc((size_t)nu * sizeof(long));
	s->k = malloc((size_t)nu * sizeof(int));
	s->plo = malloc((size_t)nu * sizeof(long));
	s->phi = malloc((size_t)nu * sizeof(long));
	s->us = calloc((size_t)nu + 1, sizeof(size_t));
	if (!s->unit || !s->h || !s->k || !s->plo || !s->phi || !s->us)
		goto fail;
	size_t npairs = 0;
	int ns = 0, scap = 64;
	int *sl = malloc((size_t)scap * sizeof(int));
	if (!sl)
		goto fail;
	for (int a = 0; a < nu; a++) {
		int u = units[a];
		s->unit[a] = u;
		sc->uloc[u] = a;
		long h = w->in->units[u].households;
		int k = (int)rules_unit_parts(sp_band(&w->p), h);
		s->h[a] = h;
		s->k[a] = k;
		s->plo[a] = h / k;
		s->phi[a] = (h + k - 1) / k;
		s->htotal += h;
		for (size_t q = r->start[u]; q < r->start[u + 1]; q++) {
			int j = r->site[q];
			if (!w->allowed[j] || (deny && deny[j]))
				continue;
			npairs++;
			if (sc->sloc[j] < 0) {
				if (ns == scap &&
				    grow_to(&sl, (size_t)(scap *= 2), sizeof(int)) != 0) {
					free(sl);
					goto fail;
				}
				sc->sloc[j] = ns;
				sl[ns++] = j;
			}
		}
	}
	qsort(sl, (size_t)ns, sizeof(int), sp_cmp_int);
	s->site = sl;
	s->ns = ns;
	for (int j = 0; j < ns; j++)
		sc->sloc[sl[j]] = j;
	s->fixed = calloc((size_t)(ns ? ns : 1), 1);
	s->sreach = malloc((size_t)(ns ? ns : 1) * sizeof(long));
	s->ss = calloc((size_t)ns + 1, sizeof(size_t));
	s->usite = malloc((npairs ? npairs : 1) * sizeof(int));
	s->udist = malloc((npairs ? npairs : 1) * sizeof(double));
	s->sunit = malloc((npairs ? npairs : 1) * sizeof(int));
	s->sdist = malloc((npairs ? npairs : 1) * sizeof(double));
	if (!s->fixed || !s->sreach || !s->ss || !s->usite || !s->udist || !s->sunit || !s->sdist)
		goto fail;
	for (int j = 0; j < ns; j++) {
		s->fixed[j] = w->sites->sites[sl[j]].source == SITE_EXISTING;
		s->sreach[j] = w->sreach[sl[j]];
	}
	size_t e = 0;
	for (int a = 0; a < nu; a++) {
		int u = units[a];
		for (size_t q = r->start[u]; q < r->start[u + 1]; q++) {
			int j = r->site[q];
			if (!w->allowed[j] || (deny && deny[j]))
				continue;
			s->usite[e] = sc->sloc[j];
			s->udist[e] = r->dist[q];
			s->ss[sc->sloc[j] + 1]++;
			e++;
		}
		s->us[a + 1] = e;
	}
	for (int j = 0; j < ns; j++)
		s->ss[j + 1] += s->ss[j];
	size_t *fill = malloc((size_t)(ns ? ns : 1) * sizeof(size_t));
	if (!fill)
		goto fail;
	if (ns > 0)
		memcpy(fill, s->ss, (size_t)ns * sizeof(size_t));
	for (int a = 0; a < nu; a++)
		for (size_t q = s->us[a]; q < s->us[a + 1]; q++) {
			size_t at = fill[s->usite[q]]++;
			s->sunit[at] = a;
			s->sdist[at] = s->udist[q];
		}
	free(fill);
	s->penalty = w->penalty;
	s->dscale = w->dscale;
	for (int a = 0; a < nu; a++)
		sc->uloc[units[a]] = -1;
	for (int j = 0; j < ns; j++)
		sc->sloc[sl[j]] = -1;
	return 0;
fail:
	for (int a = 0; a < nu; a++)
		sc->uloc[units[a]] = -1;
	if (s->site)
		for (int j = 0; j < s->ns; j++)
			sc->sloc[s->site[j]] = -1;
	sp_sub_free(s);
	return -1;
}

static int scratch_init(const sp_world *w, scratch *sc)
{
	sc->uloc = malloc((w->in->nunits ? w->in->nunits : 1) * sizeof(int));
	sc->sloc = malloc((w->sites->n ? w->sites->n : 1) * sizeof(int));
	if (!sc->uloc || !sc->sloc) {
		free(sc->uloc);
		free(sc->sloc);
		return -1;
	}
	memset(sc->uloc, 0xff, w->in->nunits * sizeof(int));
	memset(sc->sloc, 0xff, w->sites->n * sizeof(int));
	return 0;
}

static void scratch_free(scratch *sc)
{
	free(sc->uloc);
	free(sc->sloc);
}

static int uf_find(int *parent, int x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

int decompose_components(const sp_world *w, sp_sub **subs, size_t *nsubs)
{
	size_t n = w->in->nunits;
	int rc = -1;
	int *parent = malloc((n ? n : 1) * sizeof(int));
	int *first = malloc((w->sites->n ? w->sites->n : 1) * sizeof(int));
	int *comp = malloc((n ? n : 1) * sizeof(int));
	int *members = malloc((n ? n : 1) * sizeof(int));
	size_t *cstart = calloc(n + 2, sizeof(size_t));
	scratch sc = {0};
	*subs = NULL;
	*nsubs = 0;
	if (!parent || !first || !comp || !members || !cstart || scratch_init(w, &sc) < 0)
		goto out;
	for (size_t u = 0; u < n; u++)
		parent[u] = (int)u;
	for (size_t j = 0; j < w->sites->n; j++)
		first[j] = -1;
	for (size_t u = 0; u < n; u++) {
		if (!w->urban[u])
			continue;
		for (size_t q = w->r->start[u]; q < w->r->start[u + 1]; q++) {
			int j = w->r->site[q];
			if (!w->allowed[j])
				continue;
			if (first[j] < 0)
				first[j] = (int)u;
			else {
				int a = uf_find(parent, first[j]), b = uf_find(parent, (int)u);
				if (a != b)
					parent[a > b ? a : b] = a < b ? a : b;
			}
		}
	}
	/* component ids in order of lowest unit index (the root is the lowest) */
	size_t nc = 0;
	for (size_t u = 0; u < n; u++) {
		comp[u] = -1;
		if (!w->urban[u])
			continue;
		int root = uf_find(parent, (int)u);
		if (root == (int)u)
			comp[u] = (int)nc++;
		else
			comp[u] = comp[root];
		cstart[comp[u] + 1]++;
	}
	for (size_t c = 0; c < nc; c++)
		cstart[c + 1] += cstart[c];
	for (size_t u = 0; u < n; u++)
		if (comp[u] >= 0)
			members[cstart[comp[u]]++] = (int)u;
	for (size_t c = nc; c > 0; c--)
		cstart[c] = cstart[c - 1];
	cstart[0] = 0;
	*subs = calloc(nc ? nc : 1, sizeof(sp_sub));
	if (!*subs)
		goto out;
	for (size_t c = 0; c < nc; c++) {
		sp_sub *s = &(*subs)[c];
		if (sub_build(w, members + cstart[c], (int)(cstart[c + 1] - cstart[c]), NULL, &sc,
		              s) < 0)
			goto out;
		s->id = (int)c;
		snprintf(s->key, sizeof(s->key), "component %zu", c + 1);
		*nsubs = c + 1;
	}
	rc = 0;
out:
	if (rc < 0 && *subs) {
		for (size_t c = 0; c < *nsubs; c++)
			sp_sub_free(&(*subs)[c]);
		free(*subs);
		*subs = NULL;
		*nsubs = 0;
	}
	scratch_free(&sc);
	free(parent);
	free(first);
	free(comp);
	free(members);
	free(cstart);
	return rc;
}
