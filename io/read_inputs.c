/*
 * read_inputs.c: inputs_read(), the io stage of the pipeline: every source
 * the scenario names, read and checked, into the plain tables of inputs.h.
 *
 * Order: units (which fix the working CRS), the households table, the id
 * check across all units, then existing stations, candidates, exclusions,
 * streets, and the fingerprints of every file. Problems are recorded as they are
 * found and reading goes on, so one call reports everything.
 */
#include "io_int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int unit_cmp(const void *a, const void *b)
{
	const unit *x = *(const unit *const *)a, *y = *(const unit *const *)b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->fid > y->fid) - (x->fid < y->fid);
}

/* Every repeated id, naming both features. */
static void check_ids(inputs *in, status *st)
{
	unit **by = malloc(in->nunits * sizeof(*by) + 1);
	size_t n = 0;
	if (!by) {
		status_fail(st, STATUS_INTERNAL, "out of memory");
		return;
	}
	for (size_t i = 0; i < in->nunits; i++)
		if (in->units[i].id && *in->units[i].id)
			by[n++] = &in->units[i];
	qsort(by, n, sizeof(*by), unit_cmp);
	for (size_t i = 1; i < n; i++) {
		size_t first = i - 1;
		while (i < n && !strcmp(by[i]->id, by[first]->id)) {
			status_problem_add(st, SEV_ERROR, "id",
			                   "%s fid %lld (%s %s): duplicate id, also on fid %lld",
			                   in->units_source, by[i]->fid, in->id_field, by[i]->id,
			                   by[first]->fid);
			i++;
		}
	}
	free(by);
}

status_code inputs_read(const scenario *sc, inputs *in, status *st)
{
	double t0 = now_s();
	size_t errors = st->nerrors;
	gdal_bridge_push();
	OGRSpatialReferenceH work = read_units(sc, in, st);
	if (in->nunits && *sc->households_table)
		read_households_join(sc, in, st);
	if (in->nunits)
		check_ids(in, st);
	if (*sc->existing)
		read_points("existing", sc->existing, sc->existing_layer, sc, work, &in->existing,
		            st);
	if (*sc->candidates)
		read_points("candidates", sc->candidates, sc->candidates_layer, sc, work,
		            &in->candidates, st);
	if (*sc->exclude)
		read_exclude(sc, work, &in->exclude, st);
	if (*sc->roads)
		read_roads(sc, work, &in->roads, st);
	if (work)
		OSRDestroySpatialReference(work);
	gdal_bridge_pop();

	int oom = read_fingerprint_add(in, "units", sc->units);
	if (*sc->households_table)
		oom |= read_fingerprint_add(in, "households_table", sc->households_table);
	if (*sc->existing)
		oom |= read_fingerprint_add(in, "existing", sc->existing);
	if (*sc->candidates)
		oom |= read_fingerprint_add(in, "candidates", sc->candidates);
	if (*sc->roads)
		oom |= read_fingerprint_add(in, "roads", sc->roads);
	for (const char *s = sc->exclude; *s;) {
		const char *e = strchr(s, ',');
		char *one = strndup(s, e ? (size_t)(e - s) : strlen(s));
		oom |= !one || read_fingerprint_add(in, "exclude", one);
		free(one);
		s = e ? e + 1 : s + strlen(s);
	}
	if (oom)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	in->read_seconds = now_s() - t0;
	if (st->code == STATUS_INTERNAL)
		return STATUS_INTERNAL;
	return st->nerrors > errors ? STATUS_INPUT : STATUS_OK;
}

static void points_free(point_set *ps)
{
	for (size_t i = 0; ps->id && i < ps->n; i++)
		free(ps->id[i]);
	free(ps->x), free(ps->y), free(ps->id), free(ps->fid);
	free(ps->source), free(ps->layer);
	memset(ps, 0, sizeof(*ps));
}

void inputs_free(inputs *in)
{
	if (!in)
		return;
	for (size_t i = 0; in->units && i < in->nunits; i++) {
		unit *u = &in->units[i];
		free(u->id), free(u->name), free(u->district), free(u->street), free(u->wkb);
	}
	free(in->units);
	points_free(&in->existing);
	points_free(&in->candidates);
	for (size_t i = 0; i < in->exclude.n; i++)
		free(in->exclude.wkb[i]);
	free(in->exclude.wkb), free(in->exclude.wkb_size);
	read_roads_free(&in->roads);
	for (size_t i = 0; i < in->nfiles; i++)
		free(in->files[i].role), free(in->files[i].path);
	free(in->files);
	free(in->crs), free(in->crs_wkt), free(in->source_crs);
	free(in->units_source), free(in->id_field);
	memset(in, 0, sizeof(*in));
}
