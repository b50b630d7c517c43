/*
 * shard_cut.c: the cut of a whole problem into shards made once
 * (`stationplan shards`), written as a text file and read by every shard
 * (`run --shard K/N --cut FILE`) so that it reads and builds only its own
 * units. See include/shard.h.
 *
 * File (text, one value per line after the header, so the same cut gives
 * the same bytes):
 *
 *   stationplan cut 1
 *   shards N by district|component groups G units U sites S
 *   scale <dscale> <penalty>            (C99 hexadecimal: exact)
 *   params <the fingerprint of scenario and inputs: shard_cut_fingerprint()>
 *   shard K units U sites S pairs P sitehash H reachhash H   (N lines)
 *   units                               then U lines: the unit's shard (1..N)
 *   sites                               then S lines: "K" for a site of a
 *                                       unit, "K source fid" for an
 *                                       existing (3) or candidate (2) site
 *   end
 *
 * The fingerprints hash (FNV-1a, 64 bits) exactly what shard_restrict()
 * gives the shard: each site's x, y, source and unit (shard-local), and
 * each unit's pairs (shard-local site, distance, inside), nearest site and
 * distance and demand point, in order.
 */
#include "shard.h"
#include "geom_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FNV_START 14695981039346656037ULL

static void fnv(unsigned long long *h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++) {
		*h ^= b[i];
		*h *= 1099511628211ULL;
	}
}

/* A text and the line's end. */
static void fnv_line(unsigned long long *h, const char *s)
{
	fnv(h, s, strlen(s));
	fnv(h, "\n", 1);
}

void shard_cut_fingerprint(const scenario *sc, const inputs *in, char *out, size_t size)
{
	unsigned long long h = FNV_START;
	char v[4096];
	char lv[16384];
	for (size_t i = 0, n = scenario_key_count(); i < n; i++) {
		const char *name = scenario_key_name(i);
		if (!strcmp(name, "solver.threads") || !strncmp(name, "output.", 7))
			continue;
		scenario_key_value(sc, i, v, sizeof(v));
		fnv_line(&h, name);
		fnv_line(&h, v);
	}
	scenario_levels_text(sc, lv, sizeof(lv));
	fnv_line(&h, lv);
	for (size_t i = 0; i < in->nfiles; i++) {
		snprintf(v, sizeof(v), "%s %lld %s", in->files[i].role, in->files[i].size,
		         in->files[i].sha256);
		fnv_line(&h, v);
	}
	snprintf(out, size, "%016llx", h);
}

static void fnv_int(unsigned long long *h, long long v)
{
	fnv(h, &v, sizeof(v));
}

static void fnv_double(unsigned long long *h, double v)
{
	fnv(h, &v, sizeof(v));
}

static void hash_site(unsigned long long *h, const site *s, long unit)
{
	fnv_double(h, s->x);
	fnv_double(h, s->y);
	fnv_int(h, s->source);
	fnv_int(h, unit);
}

/* One unit's reach: pairs whose site has a local index (sloc >= 0). */
static size_t hash_unit(unsigned long long *h, const reach *r, size_t u, const long *sloc)
{
	size_t np = 0;
	for (size_t q = r->start[u]; q < r->start[u + 1]; q++) {
		long j = sloc ? sloc[r->site[q]] : r->site[q];
		if (j < 0)
			continue;
		fnv_int(h, j);
		fnv_double(h, r->dist[q]);
		fnv_int(h, r->inside ? r->inside[q] : 0);
		np++;
	}
	long near = r->nearest[u] < 0 ? -1 : sloc ? sloc[r->nearest[u]] : r->nearest[u];
	fnv_int(h, (long long)np);
	fnv_int(h, near);
	fnv_double(h, r->nearest_dist[u]);
	fnv_double(h, r->ux[u]);
	fnv_double(h, r->uy[u]);
	return np;
}

void shard_cut_free(shard_cut *c)
{
	free(c->unit_shard), free(c->site_shard), free(c->site_source), free(c->site_fid);
	free(c->units), free(c->sites), free(c->pairs), free(c->site_hash), free(c->reach_hash);
	memset(c, 0, sizeof(*c));
}

static int cut_alloc(shard_cut *c)
{
	size_t n = (size_t)c->n;
	c->unit_shard = calloc(c->nunits + 1, sizeof(int));
	c->site_shard = calloc(c->nsites + 1, sizeof(int));
	c->site_source = calloc(c->nsites + 1, sizeof(int));
	c->site_fid = calloc(c->nsites + 1, sizeof(long long));
	c->units = calloc(n, sizeof(size_t));
	c->sites = calloc(n, sizeof(size_t));
	c->pairs = calloc(n, sizeof(size_t));
	c->site_hash = calloc(n, sizeof(unsigned long long));
	c->reach_hash = calloc(n, sizeof(unsigned long long));
	return c->unit_shard && c->site_shard && c->site_source && c->site_fid && c->units &&
	               c->sites && c->pairs && c->site_hash && c->reach_hash
	           ? 0
	           : -1;
}

status_code shard_cut_make(const inputs *in, const site_table *sites, const reach *r,
                           const scenario *sc, int n, shard_by by, double dscale, double penalty,
                           const char *params, shard_cut *out, status *st)
{
	size_t nu = in->nunits, ns = sites->n;
	memset(out, 0, sizeof(*out));
	*out = (shard_cut){
	    .n = n, .by = by, .nunits = nu, .nsites = ns, .dscale = dscale, .penalty = penalty};
	snprintf(out->params, sizeof(out->params), "%s", params);
	shard_spec spec = {.k = 1, .n = n, .by = by};
	int *node = malloc((nu + ns + 1) * sizeof(int));
	long *uloc = malloc((nu + 1) * sizeof(long)), *sloc = malloc((ns + 1) * sizeof(long));
	if (!node || !uloc || !sloc || cut_alloc(out) != 0 ||
	    (out->ngroups = shard_assign(in, sites, r, sc, &spec, node)) == (size_t)-1) {
		free(node), free(uloc), free(sloc);
		shard_cut_free(out);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	for (int k = 0; k < n; k++)
		out->site_hash[k] = out->reach_hash[k] = FNV_START;
	for (size_t u = 0; u < nu; u++) {
		out->unit_shard[u] = node[u];
		uloc[u] = (long)out->units[node[u]]++;
	}
	for (size_t j = 0; j < ns; j++) {
		const site *s = &sites->sites[j];
		int k = node[nu + j];
		out->site_shard[j] = k;
		out->site_source[j] = s->source;
		out->site_fid[j] = s->src_fid;
		sloc[j] = (long)out->sites[k]++;
		hash_site(&out->site_hash[k], s, s->unit >= 0 ? uloc[s->unit] : -1);
	}
	/* a pair counts in its unit's shard when its site is there too */
	long *sl = malloc((ns + 1) * sizeof(long));
	if (!sl) {
		free(node), free(uloc), free(sloc);
		shard_cut_free(out);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	for (size_t u = 0; u < nu; u++) {
		int k = node[u];
		/* sites of another shard have no local index in shard k */
		for (size_t q = r->start[u]; q < r->start[u + 1]; q++)
			sl[r->site[q]] = node[nu + (size_t)r->site[q]] == k ? sloc[r->site[q]] : -1;
		if (r->nearest[u] >= 0)
			sl[r->nearest[u]] =
			    node[nu + (size_t)r->nearest[u]] == k ? sloc[r->nearest[u]] : -1;
		out->pairs[k] += hash_unit(&out->reach_hash[k], r, u, sl);
	}
	free(sl), free(node), free(uloc), free(sloc);
	return STATUS_OK;
}

status_code shard_cut_write(const shard_cut *c, const char *path, status *st)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f)
		return status_fail(st, STATUS_WRITE, "'%s': cannot write the cut: %s", path,
		                   strerror(errno));
	fprintf(f, "stationplan cut 1\nshards %d by %s groups %zu units %zu sites %zu\n", c->n,
	        shard_by_name(c->by), c->ngroups, c->nunits, c->nsites);
	fprintf(f, "scale %a %a\nparams %s\n", c->dscale, c->penalty, c->params);
	for (int k = 0; k < c->n; k++)
		fprintf(
		    f,
		    "shard %d units %zu sites %zu pairs %zu sitehash %016llx reachhash %016llx\n",
		    k + 1, c->units[k], c->sites[k], c->pairs[k], c->site_hash[k],
		    c->reach_hash[k]);
	fputs("units\n", f);
	for (size_t u = 0; u < c->nunits; u++)
		fprintf(f, "%d\n", c->unit_shard[u] + 1);
	fputs("sites\n", f);
	for (size_t j = 0; j < c->nsites; j++) {
		int src = c->site_source[j];
		if (src == SITE_EXISTING || src == SITE_CANDIDATE)
			fprintf(f, "%d %d %lld\n", c->site_shard[j] + 1, src, c->site_fid[j]);
		else
			fprintf(f, "%d\n", c->site_shard[j] + 1);
	}
	fputs("end\n", f);
	int bad = ferror(f);
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path) != 0) {
		int e = errno;
		unlink(tmp);
		return status_fail(st, STATUS_WRITE, "'%s': cannot write the cut: %s", path,
		                   strerror(e));
	}
	return STATUS_OK;
}

static status_code bad_line(const char *path, size_t line, const char *what, shard_cut *c, FILE *f,
                            status *st)
{
	fclose(f);
	shard_cut_free(c);
	return status_fail(st, STATUS_INPUT, "%s:%zu: %s (a file written by stationplan shards)",
	                   path, line, what);
}

status_code shard_cut_read(const char *path, shard_cut *c, status *st)
{
	memset(c, 0, sizeof(*c));
	FILE *f = fopen(path, "r");
	if (!f)
		return status_fail(st, STATUS_INPUT, "'%s': cannot read the cut: %s", path,
		                   strerror(errno));
	char line[512], by[32];
	size_t no = 1;
	if (!fgets(line, sizeof(line), f) || strcmp(line, "stationplan cut 1\n"))
		return bad_line(path, no, "not a stationplan cut", c, f, st);
	no++;
	if (!fgets(line, sizeof(line), f) ||
	    sscanf(line, "shards %d by %31s groups %zu units %zu sites %zu", &c->n, by, &c->ngroups,
	           &c->nunits, &c->nsites) != 5 ||
	    c->n < 1 || c->n > 100000)
		return bad_line(path, no, "expected 'shards N by BY groups G units U sites S'", c,
		                f, st);
	c->by = !strcmp(by, "component") ? SHARD_BY_COMPONENT : SHARD_BY_DISTRICT;
	no++;
	if (!fgets(line, sizeof(line), f) ||
	    sscanf(line, "scale %la %la", &c->dscale, &c->penalty) != 2)
		return bad_line(path, no, "expected 'scale DSCALE PENALTY'", c, f, st);
	no++;
	if (!fgets(line, sizeof(line), f) || strncmp(line, "params ", 7))
		return bad_line(path, no, "expected 'params ...'", c, f, st);
	line[strcspn(line, "\n")] = '\0';
	snprintf(c->params, sizeof(c->params), "%.79s", line + 7);
	if (cut_alloc(c) != 0) {
		fclose(f);
		shard_cut_free(c);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	for (int k = 0; k < c->n; k++) {
		int kk;
		no++;
		if (!fgets(line, sizeof(line), f) ||
		    sscanf(line,
		           "shard %d units %zu sites %zu pairs %zu sitehash %llx reachhash %llx",
		           &kk, &c->units[k], &c->sites[k], &c->pairs[k], &c->site_hash[k],
		           &c->reach_hash[k]) != 6 ||
		    kk != k + 1)
			return bad_line(path, no, "expected 'shard K units U sites S pairs P ...'",
			                c, f, st);
	}
	no++;
	if (!fgets(line, sizeof(line), f) || strcmp(line, "units\n"))
		return bad_line(path, no, "expected 'units'", c, f, st);
	for (size_t u = 0; u < c->nunits; u++) {
		int k;
		no++;
		if (!fgets(line, sizeof(line), f) || sscanf(line, "%d", &k) != 1 || k < 1 ||
		    k > c->n)
			return bad_line(path, no, "expected a unit's shard", c, f, st);
		c->unit_shard[u] = k - 1;
	}
	no++;
	if (!fgets(line, sizeof(line), f) || strcmp(line, "sites\n"))
		return bad_line(path, no, "expected 'sites'", c, f, st);
	for (size_t j = 0; j < c->nsites; j++) {
		int k, src = SITE_REPRESENTATIVE;
		long long fid = -1;
		no++;
		if (!fgets(line, sizeof(line), f) ||
		    sscanf(line, "%d %d %lld", &k, &src, &fid) < 1 || k < 1 || k > c->n)
			return bad_line(path, no, "expected a site's shard", c, f, st);
		c->site_shard[j] = k - 1;
		c->site_source[j] = src;
		c->site_fid[j] = fid;
	}
	no++;
	if (!fgets(line, sizeof(line), f) || strcmp(line, "end\n"))
		return bad_line(path, no, "expected 'end'", c, f, st);
	fclose(f);
	return STATUS_OK;
}

typedef struct fixed_key {
	int source;
	long long fid;
} fixed_key;

static int cmp_fixed(const void *pa, const void *pb)
{
	const fixed_key *a = pa, *b = pb;
	if (a->source != b->source)
		return a->source - b->source;
	return (a->fid > b->fid) - (a->fid < b->fid);
}

status_code shard_cut_sites(const shard_cut *c, int k, site_table *sites, status *st)
{
	size_t nf = 0;
	for (size_t j = 0; j < c->nsites; j++)
		nf += c->site_shard[j] == k &&
		      (c->site_source[j] == SITE_EXISTING || c->site_source[j] == SITE_CANDIDATE);
	fixed_key *fx = malloc((nf + 1) * sizeof(*fx));
	if (!fx)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	nf = 0;
	for (size_t j = 0; j < c->nsites; j++)
		if (c->site_shard[j] == k &&
		    (c->site_source[j] == SITE_EXISTING || c->site_source[j] == SITE_CANDIDATE))
			fx[nf++] = (fixed_key){c->site_source[j], c->site_fid[j]};
	qsort(fx, nf, sizeof(*fx), cmp_fixed);
	size_t m = 0;
	memset(sites->nsource, 0, sizeof(sites->nsource));
	for (size_t j = 0; j < sites->n; j++) {
		const site *s = &sites->sites[j];
		fixed_key key = {s->source, s->src_fid};
		int keep = (s->source != SITE_EXISTING && s->source != SITE_CANDIDATE) ||
		           bsearch(&key, fx, nf, sizeof(*fx), cmp_fixed) != NULL;
		if (!keep)
			continue;
		if (sites->kept)
			sites->kept[m] = sites->kept[j];
		sites->sites[m++] = *s;
		sites->nsource[s->source]++;
	}
	sites->n = m;
	free(fx);
	return STATUS_OK;
}

status_code shard_cut_part(const shard_cut *c, const char *path, const shard_spec *spec,
                           const inputs *in, site_table *sites, reach *r, shard_part *out,
                           status *st)
{
	int k = spec->k - 1;
	memset(out, 0, sizeof(*out));
	if (spec->n != c->n || spec->by != c->by)
		return status_fail(
		    st, STATUS_USAGE,
		    "run: --shard %d/%d --shard-by %s, but the cut '%s' is %d shards "
		    "by %s",
		    spec->k, spec->n, shard_by_name(spec->by), path, c->n, shard_by_name(c->by));
	unsigned long long sh = FNV_START, rh = FNV_START;
	for (size_t j = 0; j < sites->n; j++)
		hash_site(&sh, &sites->sites[j], sites->sites[j].unit);
	size_t np = 0;
	for (size_t u = 0; u < in->nunits; u++)
		np += hash_unit(&rh, r, u, NULL);
	if (in->nunits != c->units[k] || sites->n != c->sites[k] || np != c->pairs[k] ||
	    sh != c->site_hash[k] || rh != c->reach_hash[k])
		return status_fail(
		    st, STATUS_INTERNAL,
		    "shard %d/%d: the cut '%s' gives it %zu units, %zu sites, %zu pairs (site "
		    "fingerprint %016llx, reach %016llx); built alone it has %zu units, %zu sites, "
		    "%zu pairs (%016llx, %016llx): its tables differ from the whole problem's (a "
		    "site merged with another shard's, or another input); plan it without --cut",
		    spec->k, spec->n, path, c->units[k], c->sites[k], c->pairs[k], c->site_hash[k],
		    c->reach_hash[k], in->nunits, sites->n, np, sh, rh);
	out->spec = *spec;
	out->ngroups = c->ngroups;
	out->in = *in; /* borrowed, but for the units */
	out->in.units = malloc((in->nunits + 1) * sizeof(unit));
	out->unit_key = malloc((in->nunits + 1) * sizeof(long));
	out->site_key = malloc((sites->n + 1) * sizeof(long));
	if (!out->in.units || !out->unit_key || !out->site_key) {
		shard_free(out);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	if (in->nunits)
		memcpy(out->in.units, in->units, in->nunits * sizeof(unit));
	for (size_t u = 0; u < in->nunits; u++)
		out->unit_key[u] = in->unit_key ? in->unit_key[u] : (long)u;
	size_t m = 0;
	for (size_t j = 0; j < c->nsites; j++)
		if (c->site_shard[j] == k && m < sites->n)
			out->site_key[m++] = (long)j;
	out->sites = *sites; /* moved */
	out->owned_kept = sites->kept;
	out->r = *r;
	memset(sites, 0, sizeof(*sites));
	memset(r, 0, sizeof(*r));
	return STATUS_OK;
}
