/*
 * plan_merge_tables.c: the tables of a merged plan that are not rows of one
 * shard: summary_district / summary_street, run and run_shards (see
 * io/plan_merge.c for the whole merge).
 *
 * Summaries: integer columns are sums over the shards' rows of the same
 * (district, street); households_per_station is recomputed from the merged
 * stations layer and mean_walk_m / max_walk_m from the merged assignments
 * layer, adding in the same order as the single run's writer
 * (io/gpkg_summary.c), so the values are the same bits.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gpkg_int.h"
#include "grow.h"
#include "plan_merge_int.h"

typedef struct sgroup {
	char district[256], street[256];
	long long *sum; /* per field */
	long long station_households, walk_households;
	int stations, walk_rows;
	double walk_sum, walk_max;
} sgroup;

static int cmp_group(const void *pa, const void *pb)
{
	const sgroup *a = pa, *b = pb;
	return gpkg_summary_order(a->district, a->street, b->district, b->street);
}

static sgroup *find(sgroup *g, size_t n, const char *d, const char *s)
{
	sgroup k;
	snprintf(k.district, sizeof(k.district), "%s", d);
	snprintf(k.street, sizeof(k.street), "%s", s);
	return bsearch(&k, g, n, sizeof(sgroup), cmp_group);
}

static const char *field_text(OGRFeatureH f, int i)
{
	return i >= 0 ? OGR_F_GetFieldAsString(f, i) : "";
}

/* Add the merged layer `name`'s rows of `out_ds` to the groups: stations
 * (station households) or assignments (walking). */
static void add_merged(GDALDatasetH ds, const char *name, int by_street, sgroup *g, size_t n)
{
	OGRLayerH l = GDALDatasetGetLayerByName(ds, name);
	if (!l)
		return;
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
	int fd = OGR_FD_GetFieldIndex(d, "district"), fs = OGR_FD_GetFieldIndex(d, "street");
	int fh = OGR_FD_GetFieldIndex(d, "households"), fm = OGR_FD_GetFieldIndex(d, "distance_m");
	int walk = !strcmp(name, "assignments");
	OGRFeatureH f;
	OGR_L_ResetReading(l);
	while ((f = OGR_L_GetNextFeature(l))) {
		sgroup *x = find(g, n, field_text(f, fd), by_street ? field_text(f, fs) : "");
		long long h = OGR_F_GetFieldAsInteger64(f, fh);
		if (x && walk) {
			double dist = OGR_F_GetFieldAsDouble(f, fm);
			x->walk_sum += dist * (double)h;
			x->walk_households += h;
			x->walk_rows++;
			if (dist > x->walk_max)
				x->walk_max = dist;
		} else if (x) {
			x->stations++;
			x->station_households += h;
		}
		OGR_F_Destroy(f);
	}
}

status_code plan_merge_summary(gpkg_writer *w, OGRLayerH out, const GDALDatasetH *shards,
                               size_t nshards)
{
	const char *name = OGR_L_GetName(out);
	OGRFeatureDefnH od = OGR_L_GetLayerDefn(out);
	int nf = OGR_FD_GetFieldCount(od);
	int by_street = OGR_FD_GetFieldIndex(od, "street") >= 0;
	size_t cap = 64, n = 0;
	sgroup *g = malloc(cap * sizeof(sgroup));
	if (!g)
		return status_fail(w->st, STATUS_INTERNAL, "out of memory");
	/* every shard row, then sort and fold rows of one group */
	for (size_t i = 0; i < nshards; i++) {
		OGRLayerH l = GDALDatasetGetLayerByName(shards[i], name);
		if (!l)
			continue;
		OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
		int fd = OGR_FD_GetFieldIndex(d, "district"),
		    fs = OGR_FD_GetFieldIndex(d, "street");
		OGRFeatureH f;
		OGR_L_ResetReading(l);
		while ((f = OGR_L_GetNextFeature(l))) {
			if (grow_reserve(&g, &cap, n + 1, sizeof(sgroup)) != 0) {
				OGR_F_Destroy(f);
				for (size_t j = 0; j < n; j++)
					free(g[j].sum);
				free(g);
				return status_fail(w->st, STATUS_INTERNAL, "out of memory");
			}
			sgroup *x = &g[n++];
			memset(x, 0, sizeof(*x));
			snprintf(x->district, sizeof(x->district), "%s", field_text(f, fd));
			snprintf(x->street, sizeof(x->street), "%s",
			         by_street ? field_text(f, fs) : "");
			/* integer fields in output order, stashed in walk_sum's place via a row
			 * index */
			x->sum = malloc((size_t)(nf ? nf : 1) * sizeof(long long));
			if (!x->sum) {
				OGR_F_Destroy(f);
				for (size_t j = 0; j + 1 < n; j++)
					free(g[j].sum);
				free(g);
				return status_fail(w->st, STATUS_INTERNAL, "out of memory");
			}
			for (int k = 0; k < nf; k++) {
				const char *fname = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(od, k));
				int src = OGR_FD_GetFieldIndex(d, fname);
				x->sum[k] = src >= 0 ? OGR_F_GetFieldAsInteger64(f, src) : 0;
			}
			OGR_F_Destroy(f);
		}
	}
	qsort(g, n, sizeof(sgroup), cmp_group);
	size_t m = 0;
	for (size_t i = 0; i < n; i++) {
		if (m > 0 && cmp_group(&g[m - 1], &g[i]) == 0) {
			for (int k = 0; k < nf; k++)
				g[m - 1].sum[k] += g[i].sum[k];
			free(g[i].sum);
			continue;
		}
		g[m++] = g[i];
	}
	add_merged(w->ds, "stations", by_street, g, m);
	add_merged(w->ds, "assignments", by_street, g, m);

	status_code rc = gpkg_table_begin(w, name);
	for (size_t i = 0; i < m && rc == STATUS_OK; i++) {
		const sgroup *x = &g[i];
		OGRFeatureH f = OGR_F_Create(od);
		for (int k = 0; k < nf; k++) {
			OGRFieldDefnH fdef = OGR_FD_GetFieldDefn(od, k);
			const char *fname = OGR_Fld_GetNameRef(fdef);
			OGRFieldType t = OGR_Fld_GetType(fdef);
			if (!strcmp(fname, "district"))
				OGR_F_SetFieldString(f, k, x->district);
			else if (!strcmp(fname, "street"))
				OGR_F_SetFieldString(f, k, x->street);
			else if (!strcmp(fname, "households_per_station") && x->stations)
				OGR_F_SetFieldDouble(
				    f, k, (double)x->station_households / (double)x->stations);
			else if (!strcmp(fname, "mean_walk_m") && x->walk_households > 0)
				OGR_F_SetFieldDouble(f, k,
				                     x->walk_sum / (double)x->walk_households);
			else if (!strcmp(fname, "max_walk_m") && x->walk_rows > 0)
				OGR_F_SetFieldDouble(f, k, x->walk_max);
			else if (t == OFTInteger)
				OGR_F_SetFieldInteger(f, k, (int)x->sum[k]);
			else if (t == OFTInteger64)
				OGR_F_SetFieldInteger64(f, k, x->sum[k]);
			else
				OGR_F_SetFieldNull(f, k);
		}
		rc = gpkg_table_write(w, out, f, (long long)i + 1);
		OGR_F_Destroy(f);
	}
	for (size_t i = 0; i < m; i++)
		free(g[i].sum);
	free(g);
	return rc == STATUS_OK ? gpkg_table_commit(w, name) : rc;
}

/* ---- run and run_shards ---------------------------------------------------- */

typedef struct shard_run {
	double urban_bound, urban_walk, urban_walk_bound;
	long long urban_stations, underfilled, underfilled_bound;
	char status[32];
	double objective, bound, gap, seconds;
	int has_seconds, proven;
	long long units, stations, uncovered, households, uncovered_households;
	int k, n;
	char by[16];
} shard_run;

static void read_run(GDALDatasetH ds, shard_run *r)
{
	memset(r, 0, sizeof(*r));
	OGRLayerH l = GDALDatasetGetLayerByName(ds, "run");
	OGRLayerH s = GDALDatasetGetLayerByName(ds, "shard");
	OGRFeatureH f;
	if (l && (OGR_L_ResetReading(l), f = OGR_L_GetNextFeature(l))) {
		OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
#define FI(n) OGR_FD_GetFieldIndex(d, n)
		snprintf(r->status, sizeof(r->status), "%s",
		         OGR_F_GetFieldAsString(f, FI("status")));
		r->objective = OGR_F_GetFieldAsDouble(f, FI("objective"));
		r->bound = OGR_F_GetFieldAsDouble(f, FI("bound"));
		r->gap = OGR_F_GetFieldAsDouble(f, FI("gap"));
		r->has_seconds = OGR_F_IsFieldSetAndNotNull(f, FI("seconds"));
		r->seconds = OGR_F_GetFieldAsDouble(f, FI("seconds"));
		r->proven = OGR_F_GetFieldAsInteger(f, FI("proven"));
		r->units = OGR_F_GetFieldAsInteger64(f, FI("units"));
		r->stations = OGR_F_GetFieldAsInteger64(f, FI("stations"));
		r->uncovered = OGR_F_GetFieldAsInteger64(f, FI("uncovered"));
		r->households = OGR_F_GetFieldAsInteger64(f, FI("households"));
		r->uncovered_households = OGR_F_GetFieldAsInteger64(f, FI("uncovered_households"));
		r->urban_stations = OGR_F_GetFieldAsInteger64(f, FI("urban_stations"));
		r->urban_bound = OGR_F_GetFieldAsDouble(f, FI("urban_bound"));
		r->urban_walk = OGR_F_GetFieldAsDouble(f, FI("urban_walk"));
		r->urban_walk_bound = OGR_F_GetFieldAsDouble(f, FI("urban_walk_bound"));
		r->underfilled = OGR_F_GetFieldAsInteger64(f, FI("underfilled"));
		r->underfilled_bound = OGR_F_GetFieldAsInteger64(f, FI("underfilled_bound"));
#undef FI
		OGR_F_Destroy(f);
	}
	if (s && (OGR_L_ResetReading(s), f = OGR_L_GetNextFeature(s))) {
		r->k = OGR_F_GetFieldAsInteger(f, 0);
		r->n = OGR_F_GetFieldAsInteger(f, 1);
		snprintf(r->by, sizeof(r->by), "%s", OGR_F_GetFieldAsString(f, 2));
		OGR_F_Destroy(f);
	}
}

/* The solver's relative gap (solver/solver.c). */
static double rel_gap(double obj, double bound)
{
	if (!isfinite(bound))
		return obj > 0 ? 1.0 : 0.0;
	return obj > 0 ? fmax(0.0, (obj - bound) / obj) : 0.0;
}

static const gpkg_field shard_fields[] = {
    {"shard", OFTInteger, OFSTNone},   {"shards", OFTInteger, OFSTNone},
    {"shard_by", OFTString, OFSTNone}, {"file", OFTString, OFSTNone},
    {"status", OFTString, OFSTNone},   {"objective", OFTReal, OFSTNone},
    {"bound", OFTReal, OFSTNone},      {"gap", OFTReal, OFSTNone},
    {"units", OFTInteger64, OFSTNone}, {"stations", OFTInteger64, OFSTNone},
    {"seconds", OFTReal, OFSTNone},
};

static const gpkg_layer_def shards_layer = {
    "run_shards", wkbNone, "Shards of this plan",
    "One row per shard file joined by stationplan merge: its run's status, objective, "
    "bound and gap, and its units and stations.",
    GPKG_FIELDS(shard_fields)};

static status_code write_shards(gpkg_writer *w, const shard_run *r, const char *const *paths,
                                size_t n)
{
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &shards_layer) != STATUS_OK)
		return t.rc;
	for (size_t i = 0; i < n && t.rc == STATUS_OK; i++) {
		OGRFeatureH f = gpkg_rows_new(&t);
		OGR_F_SetFieldInteger(f, 0, r[i].k);
		OGR_F_SetFieldInteger(f, 1, r[i].n);
		OGR_F_SetFieldString(f, 2, r[i].by);
		const char *slash = strrchr(paths[i], '/');
		OGR_F_SetFieldString(f, 3, slash ? slash + 1 : paths[i]);
		OGR_F_SetFieldString(f, 4, r[i].status);
		OGR_F_SetFieldDouble(f, 5, r[i].objective);
		OGR_F_SetFieldDouble(f, 6, r[i].bound);
		OGR_F_SetFieldDouble(f, 7, r[i].gap);
		OGR_F_SetFieldInteger64(f, 8, r[i].units);
		OGR_F_SetFieldInteger64(f, 9, r[i].stations);
		if (r[i].has_seconds)
			OGR_F_SetFieldDouble(f, 10, r[i].seconds);
		else
			OGR_F_SetFieldNull(f, 10);
		gpkg_rows_put(&t, f, NULL);
	}
	return gpkg_rows_close(&t);
}

status_code plan_merge_run(gpkg_writer *w, OGRLayerH out, const GDALDatasetH *shards,
                           const char *const *paths, size_t n)
{
	shard_run *r = calloc(n, sizeof(shard_run));
	if (!r)
		return status_fail(w->st, STATUS_INTERNAL, "out of memory");
	shard_run t = {0};
	int proven = 1, timed = 0, seconds = 1;
	for (size_t i = 0; i < n; i++) {
		read_run(shards[i], &r[i]);
		t.objective += r[i].objective;
		t.bound += r[i].bound;
		t.seconds += r[i].seconds;
		t.units += r[i].units;
		t.stations += r[i].stations;
		t.uncovered += r[i].uncovered;
		t.households += r[i].households;
		t.uncovered_households += r[i].uncovered_households;
		t.urban_stations += r[i].urban_stations;
		t.urban_bound += r[i].urban_bound;
		t.urban_walk += r[i].urban_walk;
		t.urban_walk_bound += r[i].urban_walk_bound;
		t.underfilled += r[i].underfilled;
		t.underfilled_bound += r[i].underfilled_bound;
		proven &= r[i].proven != 0;
		timed |= !strcmp(r[i].status, "time_limit");
		seconds &= r[i].has_seconds;
	}
	double gap = t.objective > 0 ? (t.objective - t.bound) / t.objective : 0;
	gap = gap > 0 ? gap : 0;

	OGRLayerH src = GDALDatasetGetLayerByName(shards[0], "run");
	OGR_L_ResetReading(src);
	OGRFeatureH s = OGR_L_GetNextFeature(src);
	status_code rc = gpkg_table_begin(w, "run");
	if (s && rc == STATUS_OK) {
		OGRFeatureDefnH d = OGR_L_GetLayerDefn(out);
		OGRFeatureH f = OGR_F_Create(d);
		OGR_F_SetFrom(f, s, TRUE);
#define FI(nm) OGR_FD_GetFieldIndex(d, nm)
		int mipk = FI("mip_gap");
		double mip = mipk >= 0 ? OGR_F_GetFieldAsDouble(f, mipk) : 0;
		proven = proven && gap <= mip + 1e-9;
		OGR_F_SetFieldString(f, FI("status"),
		                     proven  ? "optimal"
		                     : timed ? "time_limit"
		                             : "feasible");
		OGR_F_SetFieldDouble(f, FI("objective"), t.objective);
		OGR_F_SetFieldDouble(f, FI("bound"), t.bound);
		OGR_F_SetFieldDouble(f, FI("gap"), gap);
		if (seconds)
			OGR_F_SetFieldDouble(f, FI("seconds"), t.seconds);
		OGR_F_SetFieldInteger(f, FI("units"), (int)t.units);
		OGR_F_SetFieldInteger(f, FI("stations"), (int)t.stations);
		OGR_F_SetFieldInteger(f, FI("uncovered"), (int)t.uncovered);
		OGR_F_SetFieldInteger(f, FI("households"), (int)t.households);
		OGR_F_SetFieldInteger(f, FI("uncovered_households"), (int)t.uncovered_households);
		OGR_F_SetFieldInteger(f, FI("proven"), proven);
		/* the urban part's figures: sums over the shards, gaps as the solver's */
		OGR_F_SetFieldInteger(f, FI("urban_stations"), (int)t.urban_stations);
		OGR_F_SetFieldDouble(f, FI("urban_bound"), t.urban_bound);
		OGR_F_SetFieldDouble(f, FI("urban_gap"),
		                     rel_gap((double)t.urban_stations, t.urban_bound));
		OGR_F_SetFieldDouble(f, FI("urban_walk"), t.urban_walk);
		if (OGR_F_IsFieldSetAndNotNull(f, FI("urban_walk_bound"))) { /* min_distance */
			OGR_F_SetFieldDouble(f, FI("urban_walk_bound"), t.urban_walk_bound);
			OGR_F_SetFieldDouble(f, FI("urban_walk_gap"),
			                     rel_gap(t.urban_walk, t.urban_walk_bound));
		}
		OGR_F_SetFieldInteger(f, FI("underfilled"), (int)t.underfilled);
		OGR_F_SetFieldInteger(f, FI("underfilled_bound"), (int)t.underfilled_bound);
#undef FI
		rc = gpkg_table_write(w, out, f, 1);
		OGR_F_Destroy(f);
	}
	if (s)
		OGR_F_Destroy(s);
	if (rc == STATUS_OK)
		rc = gpkg_table_commit(w, "run");
	if (rc == STATUS_OK)
		rc = write_shards(w, r, paths, n);
	free(r);
	return rc;
}
