/*
 * plan_merge.c: `stationplan merge OUT.gpkg SHARD...`, the shards of one
 * run (run --shard K/N) joined into the plan a single run writes.
 *
 * A shard's plan is exactly the single run's plan over the shard's units
 * (include/shard.h), so joining is putting rows back in the single run's
 * order and renumbering, with the keys each shard recorded (io/gpkg_shard.c):
 *   stations, service_areas  by whole-input site index (shard_stations):
 *                            station_id = rank, fid = station_id; `sub`
 *                            renumbered as below
 *   assignments, links       by (whole-input unit index (shard_units),
 *                            new station_id); fids 1..n
 *   uncovered                by whole-input unit index
 *   run_subproblems          the solver numbers components by lowest unit
 *                            and appends the halves of cut components round
 *                            by round: sorted by (halving depth, lowest
 *                            unit, a/b path), keys renamed "component N..."
 *   summary_district/street  integer columns summed over shards;
 *                            households_per_station from the merged stations,
 *                            mean_walk_m and max_walk_m from the merged
 *                            assignments in their order (so the floating sums
 *                            are the single run's); sorted by name
 *   run                      shard 1's row with objective, bound, gap,
 *                            status, counts and proven of the whole plan
 *   districts                by the district's first unit in the whole
 *                            input (the single run's order); a district
 *                            split over shards (by component) is one row,
 *                            counts summed, geometry the union of its
 *                            pieces (same area; vertices may differ from
 *                            the single run's union of its units)
 *   layer_styles             shard 1's rows (the single run's writer's with
 *                            upper levels, below)
 *   any other layer          rows of shard 1, 2, ... in turn (a warning
 *                            names it: its order may differ from a single
 *                            run's)
 * plus `run_shards`, one row per shard (file, status, objective, bound,
 * units, stations). The shard_* tables are not copied.
 *
 * Upper levels ([level.NAME]): a shard plans the stations only. With `lv`
 * (the scenario given or recorded, checked by plan_merge_check_scenario),
 * once every plan layer is written and before layer_styles, the merged
 * stations are rebuilt as the single run holds them (site coordinates,
 * the unit the site lies in, phase: shard_stations; households: the merged
 * stations layer; assignments: the merged assignments layer with units by
 * whole-input index) and lv->solve (levels_solve) plans the levels on
 * them; their layers, summary columns and styles are written by the single
 * run's writer (io/gpkg_levels.c, gpkg_styles.c), so they are the single
 * run's. Without `lv` layer_styles is shard 1's.
 *
 * Checks: every file is a shard (has `shard`), all of the same N and
 * shard_by, each K exactly once, K = 1..N all present.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>

#include "gpkg_int.h"
#include "grow.h"
#include "io_int.h"
#include "plan_merge.h"
#include "plan_merge_int.h"
#include "order.h"

typedef struct row {
	long long k1, k2;
	int shard;
	OGRFeatureH f;
} row;

ORDER_BY_FIELDS(cmp_row, row, k1, k2, shard)

static int cmp_ukey(const void *pa, const void *pb)
{
	return strcmp(((const ukey *)pa)->id, ((const ukey *)pb)->id);
}

static long long unit_key(const shard_in *s, const char *id)
{
	ukey k = {id, 0};
	const ukey *f = bsearch(&k, s->units, s->nunits, sizeof(ukey), cmp_ukey);
	return f ? f->key : -1;
}

static OGRLayerH layer(merger *m, size_t i, const char *name)
{
	OGRLayerH l = GDALDatasetGetLayerByName(m->s[i].ds, name);
	if (!l)
		status_fail(m->st, STATUS_INPUT,
		            "'%s': no table '%s' (not a shard of run --shard K/N)", m->s[i].path,
		            name);
	return l;
}

/* ---- reading the shard keys ---------------------------------------------- */

static status_code read_head(merger *m, size_t i)
{
	shard_in *s = &m->s[i];
	OGRLayerH l = layer(m, i, "shard");
	if (!l)
		return STATUS_INPUT;
	OGR_L_ResetReading(l);
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	if (!f)
		return status_fail(m->st, STATUS_INPUT, "'%s': table 'shard' is empty", s->path);
	s->k = OGR_F_GetFieldAsInteger(f, 0);
	s->n = OGR_F_GetFieldAsInteger(f, 1);
	snprintf(s->by, sizeof(s->by), "%s", OGR_F_GetFieldAsString(f, 2));
	OGR_F_Destroy(f);
	return STATUS_OK;
}

static status_code read_keys(merger *m, size_t i)
{
	shard_in *s = &m->s[i];
	OGRLayerH l = layer(m, i, "shard_stations");
	OGRLayerH u = l ? layer(m, i, "shard_units") : NULL;
	if (!l || !u)
		return STATUS_INPUT;
	s->nst = (size_t)OGR_L_GetFeatureCount(l, TRUE);
	s->site_key = calloc(s->nst + 1, sizeof(long long));
	s->new_id = calloc(s->nst + 1, sizeof(int));
	s->nunits = (size_t)OGR_L_GetFeatureCount(u, TRUE);
	s->units = calloc(s->nunits + 1, sizeof(ukey));
	s->x = calloc(s->nst + 1, sizeof(double));
	s->y = calloc(s->nst + 1, sizeof(double));
	s->site_unit = calloc(s->nst + 1, sizeof(long long));
	s->phase = calloc(s->nst + 1, sizeof(int));
	if (!s->site_key || !s->new_id || !s->units || !s->x || !s->y || !s->site_unit || !s->phase)
		return status_fail(m->st, STATUS_INTERNAL, "out of memory");
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
	int fx = OGR_FD_GetFieldIndex(d, "x"), fy = OGR_FD_GetFieldIndex(d, "y");
	int fu = OGR_FD_GetFieldIndex(d, "site_unit"), fp = OGR_FD_GetFieldIndex(d, "phase");
	s->has_sites = fx >= 0 && fy >= 0 && fu >= 0 && fp >= 0;
	OGRFeatureH f;
	OGR_L_ResetReading(l);
	while ((f = OGR_L_GetNextFeature(l))) {
		int id = OGR_F_GetFieldAsInteger(f, 0);
		if (id >= 1 && (size_t)id <= s->nst) {
			s->site_key[id - 1] = OGR_F_GetFieldAsInteger64(f, 1);
			if (s->has_sites) {
				s->x[id - 1] = OGR_F_GetFieldAsDouble(f, fx);
				s->y[id - 1] = OGR_F_GetFieldAsDouble(f, fy);
				s->site_unit[id - 1] = OGR_F_GetFieldAsInteger64(f, fu);
				s->phase[id - 1] = OGR_F_GetFieldAsInteger(f, fp);
			}
		}
		OGR_F_Destroy(f);
	}
	size_t n = 0, bytes = 0;
	OGR_L_ResetReading(u);
	while ((f = OGR_L_GetNextFeature(u))) {
		bytes += strlen(OGR_F_GetFieldAsString(f, 0)) + 1;
		OGR_F_Destroy(f);
	}
	char *text = s->unit_text = malloc(bytes + 1);
	if (!text)
		return status_fail(m->st, STATUS_INTERNAL, "out of memory");
	OGR_L_ResetReading(u);
	while ((f = OGR_L_GetNextFeature(u)) && n < s->nunits) {
		const char *id = OGR_F_GetFieldAsString(f, 0);
		strcpy(text, id);
		s->units[n++] = (ukey){text, OGR_F_GetFieldAsInteger64(f, 1)};
		text += strlen(id) + 1;
		OGR_F_Destroy(f);
	}
	s->nunits = n;
	qsort(s->units, n, sizeof(ukey), cmp_ukey);
	return STATUS_OK;
}

/* Station ids of the merged plan: rank of the whole-input site index. */
static status_code number_stations(merger *m)
{
	size_t total = 0;
	for (size_t i = 0; i < m->n; i++)
		total += m->s[i].nst;
	row *r = malloc((total + 1) * sizeof(row));
	if (!r)
		return status_fail(m->st, STATUS_INTERNAL, "out of memory");
	size_t t = 0;
	for (size_t i = 0; i < m->n; i++)
		for (size_t j = 0; j < m->s[i].nst; j++)
			r[t++] = (row){m->s[i].site_key[j], (long long)j, (int)i, NULL};
	qsort(r, total, sizeof(row), cmp_row);
	for (size_t j = 0; j < total; j++)
		m->s[r[j].shard].new_id[r[j].k2] = (int)j + 1;
	free(r);
	return STATUS_OK;
}

/* ---- sub-problems ------------------------------------------------------- */

typedef struct subrec {
	int shard, sub, comp; /* local component number from the key */
	long long comp_key;   /* lowest whole-input unit of the component */
	char path[48];        /* the a/b suffix of a cut component */
	size_t depth;
	OGRFeatureH f;
} subrec;

static int cmp_sub(const void *pa, const void *pb)
{
	const subrec *a = pa, *b = pb;
	return order_by(ORDER_CMP(a->depth, b->depth), ORDER_CMP(a->comp_key, b->comp_key),
	                strcmp(a->path, b->path));
}

static int cmp_ll(const void *pa, const void *pb)
{
	long long a = *(const long long *)pa, b = *(const long long *)pb;
	return ORDER_CMP(a, b);
}

/* Read run_subproblems of every shard into `out` (features owned). */
static status_code read_subs(merger *m, subrec **out, size_t *nout)
{
	size_t cap = 64, n = 0;
	subrec *v = malloc(cap * sizeof(subrec));
	if (!v)
		return status_fail(m->st, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < m->n; i++) {
		OGRLayerH l = layer(m, i, "run_subproblems"),
		          k = l ? layer(m, i, "shard_subs") : NULL;
		if (!l || !k) {
			free(v);
			return STATUS_INPUT;
		}
		size_t first = n;
		OGRFeatureH f;
		OGR_L_ResetReading(l);
		while ((f = OGR_L_GetNextFeature(l))) {
			if (grow_reserve(&v, &cap, n + 1, sizeof(subrec)) != 0) {
				OGR_F_Destroy(f);
				free(v);
				return status_fail(m->st, STATUS_INTERNAL, "out of memory");
			}
			subrec *x = &v[n++];
			memset(x, 0, sizeof(*x));
			x->shard = (int)i;
			x->sub = OGR_F_GetFieldAsInteger(f, 0);
			const char *key = OGR_F_GetFieldAsString(f, 1);
			char *end = NULL;
			x->comp =
			    !strncmp(key, "component ", 10) ? (int)strtol(key + 10, &end, 10) : -1;
			snprintf(x->path, sizeof(x->path), "%s", end ? end : key);
			x->depth = end ? strlen(end) : 0;
			x->comp_key = -1;
			x->f = f;
		}
		/* lowest unit of each local component, over its halves */
		OGR_L_ResetReading(k);
		while ((f = OGR_L_GetNextFeature(k))) {
			int sub = OGR_F_GetFieldAsInteger(f, 0);
			long long key = OGR_F_GetFieldAsInteger64(f, 1);
			OGR_F_Destroy(f);
			int comp = -1;
			for (size_t j = first; j < n; j++)
				if (v[j].sub == sub)
					comp = v[j].comp;
			for (size_t j = first; j < n; j++)
				if (v[j].comp == comp && key >= 0 &&
				    (v[j].comp_key < 0 || key < v[j].comp_key))
					v[j].comp_key = key;
		}
		m->s[i].nsubs = n - first;
	}
	*out = v;
	*nout = n;
	return STATUS_OK;
}

static status_code number_subs(merger *m, subrec *v, size_t n)
{
	long long *keys = malloc((n + 1) * sizeof(long long));
	if (!keys)
		return status_fail(m->st, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < m->n; i++) {
		size_t ns = 0;
		for (size_t j = 0; j < n; j++)
			if (v[j].shard == (int)i && v[j].sub + 1 > (int)ns)
				ns = (size_t)v[j].sub + 1;
		m->s[i].nsubs = ns;
		m->s[i].new_sub = calloc(ns + 1, sizeof(int));
		if (!m->s[i].new_sub) {
			free(keys);
			return status_fail(m->st, STATUS_INTERNAL, "out of memory");
		}
	}
	size_t nk = 0;
	for (size_t j = 0; j < n; j++)
		if (v[j].comp >= 0)
			keys[nk++] = v[j].comp_key;
	qsort(keys, nk, sizeof(long long), cmp_ll);
	size_t nd = 0;
	for (size_t j = 0; j < nk; j++)
		if (nd == 0 || keys[nd - 1] != keys[j])
			keys[nd++] = keys[j];
	qsort(v, n, sizeof(subrec), cmp_sub);
	for (size_t j = 0; j < n; j++) {
		m->s[v[j].shard].new_sub[v[j].sub] = (int)j;
		OGR_F_SetFieldInteger(v[j].f, 0, (int)j);
		if (v[j].comp >= 0) {
			long long *at =
			    bsearch(&v[j].comp_key, keys, nd, sizeof(long long), cmp_ll);
			char key[96];
			snprintf(key, sizeof(key), "component %lld%s",
			         at ? (long long)(at - keys) + 1 : 0, v[j].path);
			OGR_F_SetFieldString(v[j].f, 1, key);
		}
	}
	free(keys);
	return STATUS_OK;
}

/* ---- writing ------------------------------------------------------------ */

static OGRLayerH create_like(merger *m, OGRLayerH src, const char *name)
{
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(src);
	int nf = OGR_FD_GetFieldCount(d);
	gpkg_field *fields = calloc((size_t)nf + 1, sizeof(gpkg_field));
	if (!fields) {
		status_fail(m->st, STATUS_INTERNAL, "out of memory");
		return NULL;
	}
	for (int i = 0; i < nf; i++) {
		OGRFieldDefnH fd = OGR_FD_GetFieldDefn(d, i);
		fields[i] = (gpkg_field){OGR_Fld_GetNameRef(fd), OGR_Fld_GetType(fd),
		                         OGR_Fld_GetSubType(fd)};
	}
	const char *title = GDALGetMetadataItem((GDALMajorObjectH)src, "IDENTIFIER", NULL);
	const char *desc = GDALGetMetadataItem((GDALMajorObjectH)src, "DESCRIPTION", NULL);
	OGRwkbGeometryType gt = OGR_L_GetGeomType(src);
	m->w.srs = gt == wkbNone ? NULL : OGR_L_GetSpatialRef(src);
	OGRLayerH l = gpkg_table_create(&m->w, name, gt, title ? title : name, desc ? desc : "",
	                                fields, (size_t)nf);
	free(fields);
	return l;
}

/* Write rows (sorted already) into `out`, fid = k1 when `fid_k1`, else
 * 1..n; features destroyed. */
static status_code write_rows(merger *m, OGRLayerH out, const char *name, row *r, size_t n,
                              int fid_k1)
{
	status_code rc = gpkg_table_begin(&m->w, name);
	for (size_t i = 0; i < n; i++) {
		if (rc == STATUS_OK) {
			OGRFeatureH g = OGR_F_Create(OGR_L_GetLayerDefn(out));
			OGR_F_SetFrom(g, r[i].f, TRUE);
			long long fid = fid_k1 ? r[i].k1 : (long long)i + 1;
			OGR_F_SetFID(g, fid);
			rc = gpkg_table_write(&m->w, out, g, fid);
			OGR_F_Destroy(g);
		}
		OGR_F_Destroy(r[i].f);
	}
	return rc == STATUS_OK ? gpkg_table_commit(&m->w, name) : rc;
}

typedef enum kind { K_STATIONS, K_AREAS, K_UNIT_STATION, K_UNIT, K_OTHER } kind;

static kind kind_of(const char *name)
{
	if (!strcmp(name, "stations"))
		return K_STATIONS;
	if (!strcmp(name, "service_areas"))
		return K_AREAS;
	if (!strcmp(name, "assignments") || !strcmp(name, "links"))
		return K_UNIT_STATION;
	if (!strcmp(name, "uncovered"))
		return K_UNIT;
	return K_OTHER;
}

/* Collect, key and remap the rows of layer `name` of every shard. */
static status_code gather(merger *m, const char *name, row **out, size_t *nout)
{
	kind k = kind_of(name);
	size_t cap = 256, n = 0;
	row *r = malloc(cap * sizeof(row));
	if (!r)
		return status_fail(m->st, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < m->n; i++) {
		const shard_in *s = &m->s[i];
		OGRLayerH l = GDALDatasetGetLayerByName(s->ds, name);
		if (!l)
			continue;
		OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
		int fst = OGR_FD_GetFieldIndex(d, "station_id");
		int fsub = OGR_FD_GetFieldIndex(d, "sub");
		int funit = OGR_FD_GetFieldIndex(d, "unit_id");
		OGRFeatureH f;
		OGR_L_ResetReading(l);
		long long seq = 0;
		while ((f = OGR_L_GetNextFeature(l))) {
			if (grow_reserve(&r, &cap, n + 1, sizeof(row)) != 0) {
				OGR_F_Destroy(f);
				for (size_t j = 0; j < n; j++)
					OGR_F_Destroy(r[j].f);
				free(r);
				return status_fail(m->st, STATUS_INTERNAL, "out of memory");
			}
			long long k1 = (long long)i, k2 = seq++;
			if (fst >= 0 && k != K_OTHER) {
				int old = OGR_F_GetFieldAsInteger(f, fst);
				int nid =
				    old >= 1 && (size_t)old <= s->nst ? s->new_id[old - 1] : 0;
				OGR_F_SetFieldInteger(f, fst, nid);
				if (k == K_STATIONS || k == K_AREAS)
					k1 = nid, k2 = 0;
				else
					k2 = nid;
			}
			if (fsub >= 0 && k == K_STATIONS) {
				int old = OGR_F_GetFieldAsInteger(f, fsub);
				if (old >= 0 && (size_t)old < s->nsubs)
					OGR_F_SetFieldInteger(f, fsub, s->new_sub[old]);
			}
			if (funit >= 0 && (k == K_UNIT_STATION || k == K_UNIT)) {
				k1 = unit_key(s, OGR_F_GetFieldAsString(f, funit));
				if (k == K_UNIT)
					k2 = 0;
			}
			r[n++] = (row){k1, k2, (int)i, f};
		}
	}
	if (k != K_OTHER)
		qsort(r, n, sizeof(row), cmp_row);
	*out = r;
	*nout = n;
	return STATUS_OK;
}

static status_code copy_plain(merger *m, OGRLayerH src, const char *name)
{
	OGRLayerH out = create_like(m, src, name);
	if (!out)
		return m->st->code;
	row *r = NULL;
	size_t n = 0;
	status_code rc = gather(m, name, &r, &n);
	if (rc != STATUS_OK)
		return rc;
	kind k = kind_of(name);
	if (k == K_OTHER && m->n > 1)
		status_problem_add(m->st, SEV_WARNING, "merge",
		                   "layer '%s': rows of the shards one after the other (its order "
		                   "may differ from a single run's)",
		                   name);
	rc = write_rows(m, out, name, r, n, k == K_STATIONS || k == K_AREAS);
	free(r);
	return rc;
}

static status_code copy_subs(merger *m, OGRLayerH src)
{
	subrec *v = NULL;
	size_t n = 0;
	OGRLayerH out = create_like(m, src, "run_subproblems");
	if (!out)
		return m->st->code;
	status_code rc = read_subs(m, &v, &n);
	if (rc == STATUS_OK)
		rc = number_subs(m, v, n);
	row *r = rc == STATUS_OK ? malloc((n + 1) * sizeof(row)) : NULL;
	if (rc == STATUS_OK && !r)
		rc = status_fail(m->st, STATUS_INTERNAL, "out of memory");
	if (rc == STATUS_OK) {
		for (size_t j = 0; j < n; j++)
			r[j] = (row){(long long)j, 0, v[j].shard, v[j].f};
		rc = write_rows(m, out, "run_subproblems", r, n, 0);
	} else {
		for (size_t j = 0; j < n; j++)
			OGR_F_Destroy(v[j].f);
	}
	free(r);
	free(v);
	return rc;
}

/* ---- districts ------------------------------------------------------------ */

typedef struct drow {
	const char *name; /* borrowed from f */
	long long first;  /* lowest whole-input unit of the district in this shard */
	OGRFeatureH f;
} drow;

static int cmp_drow(const void *pa, const void *pb)
{
	const drow *a = pa, *b = pb;
	return order_by(strcmp(a->name, b->name), ORDER_CMP(a->first, b->first), 0);
}

static int cmp_dfirst(const void *pa, const void *pb)
{
	const drow *a = pa, *b = pb;
	return ORDER_CMP(a->first, b->first);
}

typedef struct dfirst {
	char *name; /* owned */
	long long first;
} dfirst;

static int cmp_dfname(const void *pa, const void *pb)
{
	return strcmp(((const dfirst *)pa)->name, ((const dfirst *)pb)->name);
}

/* Lowest unit key of each district of shard `s` over its assignments and
 * uncovered rows (every unit is in one of them), in one pass: sorted by
 * name into *out (*n entries; free with dfirst_free). -1 out of memory. */
static int district_firsts(const shard_in *s, dfirst **out, size_t *n)
{
	static const char *const layers[] = {"assignments", "uncovered"};
	size_t cap = 16, m = 0;
	dfirst *v = malloc(cap * sizeof(*v));
	if (!v)
		return -1;
	for (int k = 0; k < 2; k++) {
		OGRLayerH l = GDALDatasetGetLayerByName(s->ds, layers[k]);
		if (!l)
			continue;
		OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
		int fd = OGR_FD_GetFieldIndex(d, "district"),
		    fu = OGR_FD_GetFieldIndex(d, "unit_id");
		if (fd < 0 || fu < 0)
			continue;
		OGRFeatureH f;
		OGR_L_ResetReading(l);
		while ((f = OGR_L_GetNextFeature(l))) {
			const char *name = OGR_F_GetFieldAsString(f, fd);
			long long key = unit_key(s, OGR_F_GetFieldAsString(f, fu));
			/* rows come in unit order: a district's rows are mostly together */
			size_t i = m;
			while (i > 0 && strcmp(v[i - 1].name, name))
				i--;
			if (i == 0 && (m == 0 || strcmp(v[0].name, name))) {
				dfirst *g = m == cap ? realloc(v, (cap *= 2) * sizeof(*v)) : v;
				char *copy = g ? strdup(name) : NULL;
				if (!copy) {
					OGR_F_Destroy(f);
					*out = g ? g : v, *n = m;
					return -1;
				}
				v = g;
				v[m++] = (dfirst){copy, key};
			} else {
				dfirst *x = i > 0 ? &v[i - 1] : &v[0];
				if (key >= 0 && (x->first < 0 || key < x->first))
					x->first = key;
			}
			OGR_F_Destroy(f);
		}
	}
	qsort(v, m, sizeof(*v), cmp_dfname);
	*out = v;
	*n = m;
	return 0;
}

static void dfirst_free(dfirst *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].name);
	free(v);
}

/* `districts`: in the single run's order (by the district's first unit in
 * the input), fids 1..n; a district split over shards (by component) is
 * one row: units, households and stations summed, its pieces' union. */
static status_code copy_districts(merger *m, OGRLayerH src)
{
	OGRLayerH out = create_like(m, src, "districts");
	if (!out)
		return m->st->code;
	size_t cap = 16, n = 0;
	drow *r = malloc(cap * sizeof(drow));
	status_code rc = r ? STATUS_OK : status_fail(m->st, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < m->n && rc == STATUS_OK; i++) {
		OGRLayerH l = GDALDatasetGetLayerByName(m->s[i].ds, "districts");
		OGRFeatureH f;
		if (!l)
			continue;
		dfirst *firsts = NULL;
		size_t nfirst = 0;
		if (district_firsts(&m->s[i], &firsts, &nfirst) != 0) {
			dfirst_free(firsts, nfirst);
			rc = status_fail(m->st, STATUS_INTERNAL, "out of memory");
			break;
		}
		int fd = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(l), "district");
		OGR_L_ResetReading(l);
		while (rc == STATUS_OK && (f = OGR_L_GetNextFeature(l))) {
			drow *g = n == cap ? realloc(r, (cap *= 2) * sizeof(drow)) : r;
			if (!g) {
				OGR_F_Destroy(f);
				rc = status_fail(m->st, STATUS_INTERNAL, "out of memory");
				break;
			}
			r = g;
			const char *name = fd >= 0 ? OGR_F_GetFieldAsString(f, fd) : "";
			dfirst key = {(char *)name, 0};
			const dfirst *hit =
			    bsearch(&key, firsts, nfirst, sizeof(dfirst), cmp_dfname);
			r[n++] = (drow){name, hit ? hit->first : -1, f};
		}
		dfirst_free(firsts, nfirst);
	}
	/* one row per name: the first piece keeps the counts and the union */
	qsort(r, n, sizeof(drow), cmp_drow);
	size_t k = 0;
	for (size_t i = 0; i < n && rc == STATUS_OK; k++) {
		size_t j = i + 1;
		OGRFeatureH f = r[i].f;
		if (j < n && !strcmp(r[j].name, r[i].name)) {
			OGRGeometryH all = OGR_G_CreateGeometry(wkbMultiPolygon);
			for (size_t q = i; q < n && !strcmp(r[q].name, r[i].name); q++, j = q) {
				OGRGeometryH piece = OGR_F_GetGeometryRef(r[q].f);
				for (int g = 0; piece && g < OGR_G_GetGeometryCount(piece); g++)
					OGR_G_AddGeometry(all, OGR_G_GetGeometryRef(piece, g));
				if (q == i)
					continue;
				for (int fi = 0; fi < OGR_F_GetFieldCount(f); fi++)
					if (OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, fi)) ==
					    OFTInteger)
						OGR_F_SetFieldInteger(
						    f, fi,
						    OGR_F_GetFieldAsInteger(f, fi) +
						        OGR_F_GetFieldAsInteger(r[q].f, fi));
				OGR_F_Destroy(r[q].f);
			}
			OGRGeometryH u =
			    gpkg_union_output(&m->w, all, "districts", "union of the shards");
			if (!u)
				rc = m->st->code;
			else
				OGR_F_SetGeometryDirectly(f, u);
		}
		r[k] = r[i];
		i = j;
	}
	qsort(r, k, sizeof(drow), cmp_dfirst);
	row *rows = malloc((k + 1) * sizeof(row));
	if (!rows) {
		for (size_t i = 0; i < k; i++)
			OGR_F_Destroy(r[i].f);
		free(r);
		return status_fail(m->st, STATUS_INTERNAL, "out of memory");
	}
	for (size_t i = 0; i < k; i++)
		rows[i] = (row){(long long)i, 0, 0, r[i].f};
	if (rc == STATUS_OK)
		rc = write_rows(m, out, "districts", rows, k, 0);
	else
		for (size_t i = 0; i < k; i++)
			OGR_F_Destroy(r[i].f);
	free(rows);
	free(r);
	return rc;
}

static void shards_free(merger *m)
{
	for (size_t i = 0; i < m->n; i++) {
		shard_in *s = &m->s[i];
		if (s->ds)
			GDALClose(s->ds);
		free(s->site_key);
		free(s->new_id);
		free(s->units);
		free(s->unit_text);
		free(s->new_sub);
		free(s->x);
		free(s->y);
		free(s->site_unit);
		free(s->phase);
	}
	free(m->s);
}

static status_code open_shards(merger *m, const char *const *paths)
{
	for (size_t i = 0; i < m->n; i++) {
		m->s[i].path = paths[i];
		m->s[i].ds =
		    GDALOpenEx(paths[i], GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
		if (!m->s[i].ds)
			return gdal_fail(m->st, STATUS_INPUT, "'%s': cannot open", paths[i]);
		status_code rc = read_head(m, i);
		if (rc != STATUS_OK)
			return rc;
	}
	for (size_t i = 0; i < m->n; i++) {
		const shard_in *s = &m->s[i];
		if (s->n != m->s[0].n || strcmp(s->by, m->s[0].by))
			return status_fail(
			    m->st, STATUS_INPUT,
			    "'%s' is shard %d/%d by %s, '%s' is shard %d/%d by %s: not "
			    "the same cut",
			    m->s[0].path, m->s[0].k, m->s[0].n, m->s[0].by, s->path, s->k, s->n,
			    s->by);
		for (size_t j = 0; j < i; j++)
			if (m->s[j].k == s->k)
				return status_fail(m->st, STATUS_INPUT,
				                   "'%s' and '%s' are both shard %d/%d",
				                   m->s[j].path, s->path, s->k, s->n);
	}
	if ((size_t)m->s[0].n != m->n) {
		for (int k = 1; k <= m->s[0].n; k++) {
			size_t i = 0;
			while (i < m->n && m->s[i].k != k)
				i++;
			if (i == m->n)
				return status_fail(m->st, STATUS_INPUT,
				                   "shard %d/%d is missing (%zu of %d files given)",
				                   k, m->s[0].n, m->n, m->s[0].n);
		}
	}
	/* shard order: K ascending */
	for (size_t i = 1; i < m->n; i++)
		for (size_t j = i; j > 0 && m->s[j - 1].k > m->s[j].k; j--) {
			shard_in t = m->s[j];
			m->s[j] = m->s[j - 1];
			m->s[j - 1] = t;
		}
	for (size_t i = 0; i < m->n; i++) {
		status_code rc = read_keys(m, i);
		if (rc != STATUS_OK)
			return rc;
	}
	return number_stations(m);
}

static status_code write_all(merger *m)
{
	GDALDatasetH first = m->s[0].ds;
	GDALDatasetH *dss = malloc(m->n * sizeof(GDALDatasetH));
	const char **paths = malloc(m->n * sizeof(char *));
	if (!paths || !dss) {
		free(dss);
		free(paths);
		return status_fail(m->st, STATUS_INTERNAL, "out of memory");
	}
	for (size_t i = 0; i < m->n; i++) {
		paths[i] = m->s[i].path;
		dss[i] = m->s[i].ds;
	}
	status_code rc = STATUS_OK;
	/* sub numbers first: the stations layer needs them */
	OGRLayerH subs = GDALDatasetGetLayerByName(first, "run_subproblems");
	for (int i = 0; i < GDALDatasetGetLayerCount(first) && rc == STATUS_OK; i++) {
		OGRLayerH l = GDALDatasetGetLayer(first, i);
		const char *name = OGR_L_GetName(l);
		if (!strncmp(name, "shard", 5))
			continue;
		if (!strcmp(name, "stations") && subs) {
			subrec *v = NULL;
			size_t n = 0;
			rc = read_subs(m, &v, &n);
			if (rc == STATUS_OK)
				rc = number_subs(m, v, n);
			for (size_t j = 0; j < n; j++)
				OGR_F_Destroy(v[j].f);
			free(v);
			if (rc != STATUS_OK)
				break;
		}
		if (!strcmp(name, "run_subproblems")) {
			for (size_t s = 0; s < m->n; s++) {
				free(m->s[s].new_sub);
				m->s[s].new_sub = NULL;
			}
			rc = copy_subs(m, l);
		} else if (!strcmp(name, "summary_district") || !strcmp(name, "summary_street")) {
			OGRLayerH out = create_like(m, l, name);
			rc = out ? plan_merge_summary(&m->w, out, dss, m->n) : m->st->code;
		} else if (!strcmp(name, "run")) {
			OGRLayerH out = create_like(m, l, name);
			rc = out ? plan_merge_run(&m->w, out, dss, paths, m->n) : m->st->code;
		} else if (!strcmp(name, "districts")) {
			rc = copy_districts(m, l);
		} else if (!strcmp(name, "layer_styles") && m->lv) {
			rc = plan_merge_levels_write(m);
		} else if (!strcmp(name, "layer_styles")) {
			OGRLayerH out = create_like(m, l, name);
			row *r = NULL;
			size_t n = 0;
			if (!out)
				rc = m->st->code;
			else {
				/* shard 1's rows only */
				OGRFeatureH f;
				r = malloc((size_t)OGR_L_GetFeatureCount(l, TRUE) * sizeof(row) +
				           1);
				OGR_L_ResetReading(l);
				while (r && (f = OGR_L_GetNextFeature(l)))
					r[n++] = (row){0, 0, 0, f};
				rc = r ? write_rows(m, out, name, r, n, 0)
				       : status_fail(m->st, STATUS_INTERNAL, "out of memory");
			}
			free(r);
		} else {
			rc = copy_plain(m, l, name);
		}
	}
	free(paths);
	free(dss);
	return rc;
}

status_code plan_merge(const char *out, int overwrite, const char *const *shards, size_t n,
                       const plan_merge_levels *lv, status *st)
{
	char tmp[4200];
	status_code rc;
	if (n == 0)
		return status_fail(st, STATUS_USAGE, "merge: no shard files given");
	if ((rc = gpkg_check_target(out, overwrite, st)) != STATUS_OK)
		return rc;
	if ((rc = gpkg_file_temp_path(out, tmp, sizeof(tmp), st)) != STATUS_OK)
		return rc;
	gdal_bridge_push();
	merger m = {.out = out, .n = n, .lv = lv, .st = st};
	m.s = calloc(n, sizeof(shard_in));
	if (!m.s) {
		gdal_bridge_pop();
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	rc = open_shards(&m, shards);
	if (rc == STATUS_OK) {
		GDALDriverH drv = GDALGetDriverByName("GPKG");
		gpkg_file_guard(tmp);
		m.w = (gpkg_writer){.path = out, .st = st};
		m.w.ds = drv ? GDALCreate(drv, tmp, 0, 0, 0, GDT_Unknown, NULL) : NULL;
		if (!m.w.ds)
			rc = gdal_fail(st, STATUS_INPUT, "'%s': cannot create", tmp);
		else {
			rc = write_all(&m);
			CPLErrorReset();
			GDALClose(m.w.ds);
			if (rc == STATUS_OK && CPLGetLastErrorType() >= CE_Failure)
				rc = gdal_fail(st, STATUS_INTERNAL, "'%s': cannot finish writing",
				               tmp);
		}
		rc = gpkg_file_finish(rc, tmp, out, overwrite, st);
		gpkg_file_unguard();
	}
	shards_free(&m);
	gdal_bridge_pop();
	return rc;
}
