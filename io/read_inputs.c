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
#include "clock.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static int unit_cmp(const void *a, const void *b)
{
	const unit *x = *(const unit *const *)a, *y = *(const unit *const *)b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->fid > y->fid) - (x->fid < y->fid);
}

/* strcmp of the ids without surrounding white space and ASCII case. */
static int loose_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	while (*a == ' ' || *a == '\t')
		a++, la--;
	while (*b == ' ' || *b == '\t')
		b++, lb--;
	while (la && (a[la - 1] == ' ' || a[la - 1] == '\t' || a[la - 1] == '\r'))
		la--;
	while (lb && (b[lb - 1] == ' ' || b[lb - 1] == '\t' || b[lb - 1] == '\r'))
		lb--;
	for (size_t i = 0; i < la && i < lb; i++) {
		int c = tolower((unsigned char)a[i]) - tolower((unsigned char)b[i]);
		if (c)
			return c;
	}
	return (la > lb) - (la < lb);
}

static int unit_loose_cmp(const void *a, const void *b)
{
	const unit *x = *(const unit *const *)a, *y = *(const unit *const *)b;
	int c = loose_cmp(x->id, y->id);
	return c ? c : (x->fid > y->fid) - (x->fid < y->fid);
}

/* Ids that differ only by case or surrounding white space are distinct
 * units, but most often one unit typed twice or a failed join: a warning
 * naming both (issue 14 row 13). Exact duplicates are check_ids' errors. */
static void check_loose_ids(unit **by, size_t n, const inputs *in, status *st)
{
	qsort(by, n, sizeof(*by), unit_loose_cmp);
	for (size_t i = 1; i < n; i++)
		if (!loose_cmp(by[i]->id, by[i - 1]->id) && strcmp(by[i]->id, by[i - 1]->id))
			status_problem_add(
			    st, SEV_WARNING, "id",
			    "%s fid %lld (%s '%s'): differs from fid %lld's '%s' only "
			    "by case or white space",
			    in->units_source, by[i]->fid, in->id_field, by[i]->id, by[i - 1]->fid,
			    by[i - 1]->id);
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
	check_loose_ids(by, n, in, st);
	free(by);
}

/* Units with 0 households get no station: one warning with the count and
 * the first ids, since a failed join or a wrong field looks the same. */
static void warn_empty(const inputs *in, status *st)
{
	char ids[300] = "";
	size_t n = 0, len = 0;
	for (size_t i = 0; i < in->nunits; i++) {
		if (in->units[i].households != 0)
			continue;
		if (++n <= 5 && len < sizeof(ids))
			len += (size_t)snprintf(ids + len, sizeof(ids) - len, "%s%s",
			                        n > 1 ? ", " : "",
			                        in->units[i].id ? in->units[i].id : "?");
	}
	if (n)
		status_problem_add(st, SEV_WARNING, "households",
		                   "%s: %zu unit(s) with 0 households get no station (listed in "
		                   "'uncovered' as empty): %s%s",
		                   in->units_source, n, ids, n > 5 ? ", ..." : "");
}

/* read_fingerprint_add() for a source the scenario sets; nothing for "". */
static int fingerprint_set(inputs *in, const char *role, const char *path)
{
	return *path ? read_fingerprint_add(in, role, path) : 0;
}

status_code inputs_read(const scenario *sc, inputs *in, status *st)
{
	double t0 = clock_now_s();
	size_t errors = st->nerrors;
	gdal_bridge_push();
	OGRSpatialReferenceH work = read_units(sc, in, st);
	for (size_t u = 0; u < in->nunits; u++)
		in->units[u].order = (in->unit_key ? in->unit_key[u] : (long)u) + 1;
	if (in->nunits && *sc->households_table)
		read_households_join(sc, in, st);
	if (in->nunits) {
		check_ids(in, st);
		warn_empty(in, st);
	}
	if (*sc->existing)
		read_points("existing", sc->existing, sc->existing_layer, sc, work, &in->existing,
		            st);
	if (*sc->candidates)
		read_points("candidates", sc->candidates, sc->candidates_layer, sc, work,
		            &in->candidates, st);
	if (*sc->exclude)
		read_exclude(sc, work, &in->exclude, st);
	if (sc->nlevels)
		read_levels(sc, work, in, st);
	if (*sc->keep)
		read_keep(sc, work, in, st);
	if (*sc->roads)
		read_roads(sc, work, &in->roads, st);
	if (work)
		OSRDestroySpatialReference(work);
	gdal_bridge_pop();

	int oom = read_fingerprint_add(in, "units", sc->units);
	oom |= fingerprint_set(in, "households_table", sc->households_table);
	oom |= fingerprint_set(in, "existing", sc->existing);
	oom |= fingerprint_set(in, "candidates", sc->candidates);
	for (size_t i = 0; i < sc->nlevels; i++) {
		const scenario_level *lv = &sc->levels[i];
		oom |= fingerprint_set(in, "level_candidates", lv->candidates);
		oom |= fingerprint_set(in, "level_parcels", lv->parcels);
		oom |= fingerprint_set(in, "level_existing", lv->existing);
	}
	oom |= fingerprint_set(in, "keep", sc->keep);
	oom |= fingerprint_set(in, "roads", sc->roads);
	for (const char *s = sc->exclude; *s;) {
		const char *e = strchr(s, ',');
		char *one = strndup(s, e ? (size_t)(e - s) : strlen(s));
		oom |= !one || read_fingerprint_add(in, "exclude", one);
		free(one);
		s = e ? e + 1 : s + strlen(s);
	}
	if (oom)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	in->read_seconds = clock_now_s() - t0;
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
		free(u->admin_village);
	}
	free(in->units);
	points_free(&in->existing);
	points_free(&in->candidates);
	points_free(&in->keep);
	points_free(&in->keep_deleted);
	free(in->keep_locked);
	for (size_t i = 0; i < in->exclude.n; i++)
		free(in->exclude.wkb[i]);
	free(in->exclude.wkb), free(in->exclude.wkb_size);
	read_roads_free(&in->roads);
	for (size_t i = 0; i < in->nfiles; i++)
		free(in->files[i].role), free(in->files[i].path);
	free(in->files);
	read_levels_free(in);
	free(in->crs), free(in->crs_wkt), free(in->source_crs);
	free(in->units_source), free(in->id_field);
	free(in->unit_key);
	memset(in, 0, sizeof(*in));
}
