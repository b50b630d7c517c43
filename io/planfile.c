/*
 * planfile.c: reading a plan GeoPackage (written by `stationplan run`) back
 * into the plain tables of include/planfile.h.
 *
 * A file is a stationplan plan when it has the `run`, `stations`,
 * `assignments` and `uncovered` layers with the fields of the shared output
 * schema; anything else is refused with a message saying which layer or
 * field is missing, so `compare` never prints numbers from a file it does not
 * understand. The assignments' geometries are never read (they are the
 * units' polygons, the bulk of the file): only their attributes are.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "planfile.h"
#include "grow.h"
#include "io_int.h"

typedef struct reader {
	GDALDatasetH ds;
	const char *path;
	status *st;
} reader;

static status_code not_a_plan(reader *rd, const char *why_fmt, const char *a, const char *b)
{
	char why[256];
	snprintf(why, sizeof(why), why_fmt, a, b);
	return status_fail(rd->st, STATUS_INPUT, "'%s' is not a stationplan plan (%s)", rd->path,
	                   why);
}

/* The layer `name`, or NULL with the status set. */
static OGRLayerH need_layer(reader *rd, const char *name)
{
	OGRLayerH l = GDALDatasetGetLayerByName(rd->ds, name);
	if (!l)
		not_a_plan(rd, "no '%s' layer%s", name, "");
	return l;
}

/* Indexes of `names` in layer `l` into idx[], or the status set naming the
 * first missing field. */
static status_code need_fields(reader *rd, OGRLayerH l, const char *const *names, size_t n,
                               int *idx)
{
	OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
	for (size_t i = 0; i < n; i++) {
		idx[i] = OGR_FD_GetFieldIndex(defn, names[i]);
		if (idx[i] < 0)
			return not_a_plan(rd, "layer '%s' has no field '%s'", OGR_L_GetName(l),
			                  names[i]);
	}
	return STATUS_OK;
}

static char *field_dup(OGRFeatureH f, int i)
{
	return strdup(OGR_F_IsFieldSetAndNotNull(f, i) ? OGR_F_GetFieldAsString(f, i) : "");
}

/* The layer's SRS as "EPSG:4549" (replacing the run record's `crs` when it
 * has an authority), as WKT, and whether it is geographic. */
static int srs_describe(OGRSpatialReferenceH srs, planfile *p)
{
	char *wkt = NULL;
	if (srs) {
		const char *auth = OSRGetAuthorityName(srs, NULL);
		const char *code = OSRGetAuthorityCode(srs, NULL);
		if (auth && code) {
			size_t len = strlen(auth) + strlen(code) + 2;
			char *crs = malloc(len);
			if (!crs)
				return -1;
			snprintf(crs, len, "%s:%s", auth, code);
			free(p->crs);
			p->crs = crs;
		}
		p->geographic = OSRIsGeographic(srs) != 0;
		OSRExportToWkt(srs, &wkt);
	}
	p->crs_wkt = strdup(wkt ? wkt : "");
	CPLFree(wkt);
	return p->crs_wkt ? 0 : -1;
}

/* rules.walk_distance_m from the parameters text, 0 if absent. */
static double walk_from_parameters(const char *text)
{
	const char *key = "rules.walk_distance_m = ";
	for (const char *l = text; l && *l;) {
		if (!strncmp(l, key, strlen(key)))
			return atof(l + strlen(key));
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	return 0;
}

/* The optional outcome fields of the run row (status, objective, bound,
 * gap, version, command). */
static void read_outcome(OGRLayerH l, OGRFeatureH f, planfile *p)
{
	OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
	int i = OGR_FD_GetFieldIndex(defn, "status");
	snprintf(p->run_status, sizeof(p->run_status), "%s",
	         i >= 0 && OGR_F_IsFieldSetAndNotNull(f, i) ? OGR_F_GetFieldAsString(f, i) : "");
	double *num[] = {&p->objective, &p->bound, &p->gap};
	const char *names[] = {"objective", "bound", "gap"};
	for (int k = 0; k < 3; k++) {
		i = OGR_FD_GetFieldIndex(defn, names[k]);
		*num[k] =
		    i >= 0 && OGR_F_IsFieldSetAndNotNull(f, i) ? OGR_F_GetFieldAsDouble(f, i) : NAN;
	}
	i = OGR_FD_GetFieldIndex(defn, "version");
	p->version = i >= 0 ? field_dup(f, i) : strdup("");
	i = OGR_FD_GetFieldIndex(defn, "command");
	p->command = i >= 0 ? field_dup(f, i) : strdup("");
}

static status_code read_run(reader *rd, planfile *p)
{
	static const char *const names[] = {"crs", "parameters"};
	int idx[2];
	OGRLayerH l = need_layer(rd, "run");
	if (!l)
		return STATUS_INPUT;
	if (need_fields(rd, l, names, 2, idx) != STATUS_OK)
		return STATUS_INPUT;
	int iwalk = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(l), "walk_distance_m");
	OGR_L_ResetReading(l);
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	if (!f)
		return not_a_plan(rd, "layer '%s' is empty%s", "run", "");
	p->crs = field_dup(f, idx[0]);
	p->parameters = field_dup(f, idx[1]);
	read_outcome(l, f, p);
	if (iwalk >= 0 && OGR_F_IsFieldSetAndNotNull(f, iwalk))
		p->walk_distance_m = OGR_F_GetFieldAsDouble(f, iwalk);
	OGR_F_Destroy(f);
	if (!p->crs || !p->parameters || !p->version || !p->command)
		return status_fail(rd->st, STATUS_INTERNAL, "out of memory");
	if (p->walk_distance_m <= 0)
		p->walk_distance_m = walk_from_parameters(p->parameters);
	return STATUS_OK;
}

static int station_id_cmp(const void *x, const void *y)
{
	const planfile_station *a = x, *b = y;
	return a->id < b->id ? -1 : a->id > b->id;
}

static status_code read_stations(reader *rd, planfile *p)
{
	static const char *const names[] = {"station_id", "kind",       "district",
	                                    "street",     "households", "underfilled"};
	int idx[6];
	OGRLayerH l = need_layer(rd, "stations");
	if (!l || need_fields(rd, l, names, 6, idx) != STATUS_OK)
		return STATUS_INPUT;
	OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
	int iunits = OGR_FD_GetFieldIndex(defn, "units");
	int iphase = OGR_FD_GetFieldIndex(defn, "phase");
	int ilocked = OGR_FD_GetFieldIndex(defn, "locked");
	if (srs_describe(OGR_L_GetSpatialRef(l), p))
		return status_fail(rd->st, STATUS_INTERNAL, "out of memory");
	GIntBig n;
	if (!(p->stations = read_source_rows(l, sizeof(*p->stations), &n)))
		return status_fail(rd->st, STATUS_INTERNAL, "out of memory");
	for (OGRFeatureH f; (f = OGR_L_GetNextFeature(l)) != NULL; OGR_F_Destroy(f)) {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		if ((GIntBig)p->nstations >= n || !g ||
		    wkbFlatten(OGR_G_GetGeometryType(g)) != wkbPoint || OGR_G_IsEmpty(g)) {
			status_code rc =
			    status_fail(rd->st, STATUS_INPUT, "'%s': layer 'stations' fid %lld: %s",
			                rd->path, (long long)OGR_F_GetFID(f),
			                g ? "geometry is not a point" : "no geometry");
			OGR_F_Destroy(f);
			return rc;
		}
		planfile_station *s = &p->stations[p->nstations++];
		s->id = (long)OGR_F_GetFieldAsInteger64(f, idx[0]);
		s->x = OGR_G_GetX(g, 0);
		s->y = OGR_G_GetY(g, 0);
		snprintf(s->kind, sizeof(s->kind), "%s", OGR_F_GetFieldAsString(f, idx[1]));
		s->district = field_dup(f, idx[2]);
		s->street = field_dup(f, idx[3]);
		s->households = (long)OGR_F_GetFieldAsInteger64(f, idx[4]);
		s->underfilled = OGR_F_GetFieldAsInteger(f, idx[5]) != 0;
		s->units = iunits >= 0 ? (long)OGR_F_GetFieldAsInteger64(f, iunits) : 0;
		s->phase = iphase >= 0 && OGR_F_IsFieldSetAndNotNull(f, iphase)
		               ? (long)OGR_F_GetFieldAsInteger64(f, iphase)
		               : -1;
		s->locked = ilocked >= 0 && OGR_F_GetFieldAsInteger(f, ilocked) != 0;
		if (!s->district || !s->street) {
			OGR_F_Destroy(f);
			return status_fail(rd->st, STATUS_INTERNAL, "out of memory");
		}
	}
	/* Station ids identify stations in the comparison: they must be unique. */
	if (p->nstations > 1) {
		qsort(p->stations, p->nstations, sizeof(*p->stations), station_id_cmp);
		for (size_t i = 1; i < p->nstations; i++)
			if (p->stations[i].id == p->stations[i - 1].id)
				return status_fail(rd->st, STATUS_INPUT,
				                   "'%s': layer 'stations': station_id %ld appears "
				                   "more than once",
				                   rd->path, p->stations[i].id);
	}
	return STATUS_OK;
}

/* One row of `assignments` or `uncovered` as read, before it is stored. */
typedef struct row {
	char *district, *street, *unit_id, *name;
	long households, station_id, unit_order, unit_households;
	double distance_m;
} row;

/* Stores one row (taking its strings); returns -1 out of memory. */
typedef int (*row_fn)(planfile *p, row *r);

/* The optional fields of the rows: index or -1. */
enum { OPT_UNIT_ID, OPT_NAME, OPT_STATION, OPT_ORDER, OPT_UNIT_HH, NOPT };

/* Read `layer`'s district, street, households (and distance when `dist`
 * is set) without geometry, plus the optional unit_id, name, station_id,
 * unit_order and unit_households when the layer has them. `add` stores one
 * row. */
static status_code read_rows(reader *rd, planfile *p, const char *layer, const char *dist,
                             row_fn add)
{
	static const char *const optional[NOPT] = {"unit_id", "name", "station_id", "unit_order",
	                                           "unit_households"};
	const char *names[] = {"district", "street", "households", dist};
	size_t n = dist ? 4 : 3;
	int idx[4], opt[NOPT];
	long rowno = 0;
	OGRLayerH l = need_layer(rd, layer);
	if (!l || need_fields(rd, l, names, n, idx) != STATUS_OK)
		return STATUS_INPUT;
	for (int k = 0; k < NOPT; k++)
		opt[k] = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(l), optional[k]);
	const char *ignored[] = {"OGR_GEOMETRY", NULL};
	OGR_L_SetIgnoredFields(l, ignored);
	OGR_L_ResetReading(l);
	for (OGRFeatureH f; (f = OGR_L_GetNextFeature(l)) != NULL; OGR_F_Destroy(f)) {
		row r = {0};
		r.district = field_dup(f, idx[0]);
		r.street = field_dup(f, idx[1]);
		r.households = (long)OGR_F_GetFieldAsInteger64(f, idx[2]);
		r.distance_m = dist ? OGR_F_GetFieldAsDouble(f, idx[3]) : 0;
		r.unit_id = opt[OPT_UNIT_ID] >= 0 ? field_dup(f, opt[OPT_UNIT_ID]) : strdup("");
		r.name = opt[OPT_NAME] >= 0 ? field_dup(f, opt[OPT_NAME]) : strdup("");
		r.station_id = opt[OPT_STATION] >= 0
		                   ? (long)OGR_F_GetFieldAsInteger64(f, opt[OPT_STATION])
		                   : 0;
		/* without unit_order (older plans), rows in file order, the rows of a
		 * split unit (consecutive, same unit_id) sharing one */
		if (!(dist && p->nassign > 0 && r.unit_id && *r.unit_id &&
		      !strcmp(p->assign[p->nassign - 1].unit_id, r.unit_id)))
			++rowno;
		r.unit_order = opt[OPT_ORDER] >= 0 && OGR_F_IsFieldSetAndNotNull(f, opt[OPT_ORDER])
		                   ? (long)OGR_F_GetFieldAsInteger64(f, opt[OPT_ORDER])
		                   : rowno + (dist ? 0 : (long)p->nassign);
		r.unit_households = opt[OPT_UNIT_HH] >= 0
		                        ? (long)OGR_F_GetFieldAsInteger64(f, opt[OPT_UNIT_HH])
		                        : r.households;
		if (!r.district || !r.street || !r.unit_id || !r.name || add(p, &r)) {
			free(r.district);
			free(r.street);
			free(r.unit_id);
			free(r.name);
			OGR_F_Destroy(f);
			return status_fail(rd->st, STATUS_INTERNAL, "out of memory");
		}
	}
	return STATUS_OK;
}

static int add_assign(planfile *p, row *r)
{
	size_t n = p->nassign; /* doubled: full when n is 0, 1, 2, 4, ... */
	if ((n & (n - 1)) == 0 && grow_to(&p->assign, n ? 2 * n : 1, sizeof(*p->assign)) != 0)
		return -1;
	p->assign[p->nassign++] = (planfile_assign){
	    r->district, r->street,     r->households, r->distance_m,     r->unit_id,
	    r->name,     r->station_id, r->unit_order, r->unit_households};
	return 0;
}

static int add_uncovered(planfile *p, row *r)
{
	size_t n = p->nuncovered; /* as add_assign */
	if ((n & (n - 1)) == 0 && grow_to(&p->uncovered, n ? 2 * n : 1, sizeof(*p->uncovered)) != 0)
		return -1;
	p->uncovered[p->nuncovered++] = (planfile_uncovered){r->district, r->street, r->households,
	                                                     r->unit_id,  r->name,   r->unit_order};
	return 0;
}

/* summary_phase, when the plan has one (a phased plan). */
static status_code read_phases(reader *rd, planfile *p)
{
	static const char *const names[] = {"phase", "stations", "new_stations", "households",
	                                    "share"};
	int idx[5];
	OGRLayerH l = GDALDatasetGetLayerByName(rd->ds, "summary_phase");
	if (!l)
		return STATUS_OK;
	if (need_fields(rd, l, names, 5, idx) != STATUS_OK)
		return STATUS_INPUT;
	GIntBig n;
	if (!(p->phases = read_source_rows(l, sizeof(*p->phases), &n)))
		return status_fail(rd->st, STATUS_INTERNAL, "out of memory");
	for (OGRFeatureH f; (f = OGR_L_GetNextFeature(l)) != NULL; OGR_F_Destroy(f)) {
		if ((GIntBig)p->nphases >= n)
			continue;
		p->phases[p->nphases++] = (planfile_phase){
		    OGR_F_GetFieldAsInteger(f, idx[0]), (long)OGR_F_GetFieldAsInteger64(f, idx[1]),
		    (long)OGR_F_GetFieldAsInteger64(f, idx[2]),
		    (long)OGR_F_GetFieldAsInteger64(f, idx[3]), OGR_F_GetFieldAsDouble(f, idx[4])};
	}
	return STATUS_OK;
}

status_code planfile_read(const char *path, planfile *out, status *st)
{
	memset(out, 0, sizeof(*out));
	out->path = strdup(path);
	if (!out->path)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	gdal_bridge_push();
	reader rd = {NULL, path, st};
	status_code rc = STATUS_OK;
	rd.ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL,
	                   NULL, NULL);
	if (!rd.ds)
		rc = gdal_fail(st, STATUS_INPUT, "'%s': cannot open", path);
	if (rc == STATUS_OK)
		rc = read_run(&rd, out);
	if (rc == STATUS_OK)
		rc = read_stations(&rd, out);
	if (rc == STATUS_OK)
		rc = read_rows(&rd, out, "assignments", "distance_m", add_assign);
	if (rc == STATUS_OK)
		rc = read_rows(&rd, out, "uncovered", NULL, add_uncovered);
	if (rc == STATUS_OK)
		rc = planfile_levels_read(rd.ds, path, out, st);
	if (rc == STATUS_OK)
		rc = read_phases(&rd, out);
	if (rd.ds)
		GDALClose(rd.ds);
	gdal_bridge_pop();
	if (rc != STATUS_OK)
		planfile_free(out);
	return rc;
}

void planfile_free(planfile *p)
{
	for (size_t i = 0; i < p->nstations; i++)
		GROW_FREE(p->stations[i].district, p->stations[i].street);
	for (size_t i = 0; i < p->nassign; i++)
		GROW_FREE(p->assign[i].district, p->assign[i].street, p->assign[i].unit_id,
		          p->assign[i].name);
	for (size_t i = 0; i < p->nuncovered; i++)
		GROW_FREE(p->uncovered[i].district, p->uncovered[i].street, p->uncovered[i].unit_id,
		          p->uncovered[i].name);
	planfile_levels_free(p);
	GROW_FREE(p->stations, p->assign, p->uncovered, p->phases, p->path, p->crs, p->crs_wkt,
	          p->parameters, p->version, p->command);
	memset(p, 0, sizeof(*p));
}
