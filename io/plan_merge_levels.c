/*
 * plan_merge_levels.c: the upper levels of a merged plan, planned on the
 * merged stations (`stationplan merge ... [--scenario S.ini]`, see
 * io/plan_merge.c).
 *
 * levels_solve() reads of the plan only its stations (site, households,
 * phase), their sites (coordinates, the unit each lies in) and, for a
 * station whose site lies in no unit, its assignments (the district and
 * street of the unit it serves most households of: rules_station_places).
 * These are rebuilt here in the single run's station order (the merged
 * station_id): sites from shard_stations (exact working-CRS doubles, the
 * whole-input unit index), households from the merged stations layer,
 * assignments from the merged assignments layer (units by their index in
 * the whole input `lv->in`, read with the shards' scenario). The levels
 * are then written by the single run's writer: their layers, the summary
 * columns and layer_styles with their styles.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "plan_merge_int.h"

typedef struct id_ix {
	const char *id;
	int unit;
} id_ix;

static int cmp_id(const void *pa, const void *pb)
{
	return strcmp(((const id_ix *)pa)->id, ((const id_ix *)pb)->id);
}

/* The merged stations as a site table and plan (stations, assignments). */
static status_code rebuild(merger *m, site_table *sites, plan *p)
{
	const inputs *in = m->lv->in;
	size_t total = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (!m->s[i].has_sites)
			return status_fail(
			    m->st, STATUS_INPUT,
			    "'%s': shard_stations has no site coordinates (written by "
			    "an older stationplan): plan the shards again to merge "
			    "their upper levels",
			    m->s[i].path);
		total += m->s[i].nst;
	}
	sites->n = total;
	sites->sites = calloc(total + 1, sizeof(site));
	p->nstations = total;
	p->stations = calloc(total + 1, sizeof(plan_station));
	if (!sites->sites || !p->stations)
		return status_fail(m->st, STATUS_INTERNAL, "out of memory");
	for (size_t i = 0; i < m->n; i++) {
		const shard_in *s = &m->s[i];
		for (size_t j = 0; j < s->nst; j++) {
			int id = s->new_id[j] - 1;
			assert(id >= 0 && (size_t)id < total);
			long long u = s->site_unit[j];
			if (u >= (long long)in->nunits)
				return status_fail(
				    m->st, STATUS_INPUT,
				    "'%s': station %zu lies in unit %lld of %zu: the "
				    "shards were not planned on this input",
				    s->path, j + 1, u, in->nunits);
			sites->sites[id] = (site){s->x[j], s->y[j], SITE_CANDIDATE, (int)u, -1};
			p->stations[id] =
			    (plan_station){.site = id, .sub = -1, .phase = s->phase[j]};
		}
	}
	/* households of each station */
	OGRLayerH l = GDALDatasetGetLayerByName(m->w.ds, "stations");
	OGRLayerH a = GDALDatasetGetLayerByName(m->w.ds, "assignments");
	if (!l || !a)
		return status_fail(m->st, STATUS_INTERNAL, "merge: no merged stations/assignments");
	OGRFeatureH f;
	int fh = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(l), "households");
	OGR_L_ResetReading(l);
	while ((f = OGR_L_GetNextFeature(l))) {
		long long id = OGR_F_GetFID(f);
		if (id >= 1 && (size_t)id <= total)
			p->stations[id - 1].households = (long)OGR_F_GetFieldAsInteger64(f, fh);
		OGR_F_Destroy(f);
	}
	/* assignments, units by whole-input index */
	id_ix *ix = malloc((in->nunits + 1) * sizeof(*ix));
	size_t na = (size_t)OGR_L_GetFeatureCount(a, TRUE);
	p->assign = calloc(na + 1, sizeof(plan_assign));
	if (!ix || !p->assign) {
		free(ix);
		return status_fail(m->st, STATUS_INTERNAL, "out of memory");
	}
	for (size_t u = 0; u < in->nunits; u++)
		ix[u] = (id_ix){in->units[u].id, (int)u};
	qsort(ix, in->nunits, sizeof(*ix), cmp_id);
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(a);
	int fu = OGR_FD_GetFieldIndex(d, "unit_id"), fs = OGR_FD_GetFieldIndex(d, "station_id");
	int fah = OGR_FD_GetFieldIndex(d, "households");
	status_code rc = STATUS_OK;
	OGR_L_ResetReading(a);
	while ((f = OGR_L_GetNextFeature(a))) {
		id_ix key = {OGR_F_GetFieldAsString(f, fu), 0};
		const id_ix *hit = bsearch(&key, ix, in->nunits, sizeof(*ix), cmp_id);
		int st = OGR_F_GetFieldAsInteger(f, fs);
		if (!hit || st < 1 || (size_t)st > total || p->nassign == na) {
			if (rc == STATUS_OK)
				rc = status_fail(
				    m->st, STATUS_INPUT,
				    "merge: unit '%s' of the shards is not in the input "
				    "the scenario names: the shards were not planned on it",
				    key.id);
		} else {
			p->assign[p->nassign++] = (plan_assign){
			    hit->unit, st - 1, (long)OGR_F_GetFieldAsInteger64(f, fah), 0};
		}
		OGR_F_Destroy(f);
	}
	free(ix);
	return rc;
}

status_code plan_merge_levels_write(merger *m)
{
	const plan_merge_levels *lv = m->lv;
	site_table sites = {0};
	plan p = {0};
	status_code rc = rebuild(m, &sites, &p);
	if (rc == STATUS_OK)
		rc = lv->solve(lv->in, &sites, &p, lv->sc, NULL, lv->out, m->st);
	/* the single run's writer, on the rebuilt plan */
	run_info ri = {.levels = lv->out};
	gpkg_writer w = m->w;
	w.sc = lv->sc;
	w.in = lv->in;
	w.sites = &sites;
	w.p = &p;
	w.ri = &ri;
	w.srs = NULL;
	w.ct = NULL;
	if (rc == STATUS_OK)
		rc = gpkg_setup_crs(&w);
	if (rc == STATUS_OK)
		rc = gpkg_write_levels(&w);
	if (rc == STATUS_OK)
		rc = gpkg_write_styles(&w);
	if (w.ct)
		OCTDestroyCoordinateTransformation(w.ct);
	if (w.srs)
		OSRDestroySpatialReference(w.srs);
	free(sites.sites);
	free(p.stations);
	free(p.assign);
	return rc;
}
