/*
 * planfile_levels.c: the upper levels of a finished plan, read back for
 * `compare` (include/planfile.h): one planfile_level per row of
 * `run_levels` (by position), with its facilities' points from the level's
 * own layer and the load-weighted mean distance of its flows. A plan
 * without `run_levels` (no [level.NAME]) has no levels.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_int.h"
#include "planfile.h"

/* First row, first two columns of `sql` as numbers (0 when null). */
static void sql2(GDALDatasetH ds, const char *sql, double *a, double *b)
{
	*a = *b = 0;
	OGRLayerH l = GDALDatasetExecuteSQL(ds, sql, NULL, NULL);
	if (!l)
		return;
	OGRFeatureH f = OGR_L_GetNextFeature(l);
	if (f) {
		*a = OGR_F_IsFieldSetAndNotNull(f, 0) ? OGR_F_GetFieldAsDouble(f, 0) : 0;
		*b = OGR_F_IsFieldSetAndNotNull(f, 1) ? OGR_F_GetFieldAsDouble(f, 1) : 0;
		OGR_F_Destroy(f);
	}
	GDALDatasetReleaseResultSet(ds, l);
}

/* The points and figures of level `lv` from its layer. */
static status_code read_level_layer(GDALDatasetH ds, const char *path, planfile_level *lv,
                                    status *st)
{
	OGRLayerH l = GDALDatasetGetLayerByName(ds, lv->name);
	if (!l)
		return status_fail(st, STATUS_INPUT,
		                   "'%s' is not a stationplan plan (run_levels names level '%s' "
		                   "but it has no such layer)",
		                   path, lv->name);
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
	int ih = OGR_FD_GetFieldIndex(d, "households"), ie = OGR_FD_GetFieldIndex(d, "existing");
	if (ih < 0 || ie < 0)
		return status_fail(st, STATUS_INPUT,
		                   "'%s' is not a stationplan plan (layer '%s' has no field '%s')",
		                   path, lv->name, ih < 0 ? "households" : "existing");
	GIntBig n;
	lv->x = read_source_rows(l, sizeof(double), &n);
	lv->y = read_source_rows(l, sizeof(double), &n);
	if (!lv->x || !lv->y)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	OGRFeatureH f;
	while ((f = OGR_L_GetNextFeature(l)) && lv->facilities < n) {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		if (g && !OGR_G_IsEmpty(g)) {
			lv->x[lv->facilities] = OGR_G_GetX(g, 0);
			lv->y[lv->facilities] = OGR_G_GetY(g, 0);
		}
		lv->facilities++;
		lv->households += OGR_F_GetFieldAsInteger64(f, ih);
		lv->existing += OGR_F_GetFieldAsInteger(f, ie);
		OGR_F_Destroy(f);
	}
	if (f)
		OGR_F_Destroy(f);
	char sql[512];
	double wsum, hsum;
	snprintf(sql, sizeof(sql),
	         "SELECT sum(households * distance_m), sum(households) FROM flows WHERE level = "
	         "'%s'",
	         lv->name);
	sql2(ds, sql, &wsum, &hsum);
	lv->mean_distance_m = hsum > 0 ? wsum / hsum : 0;
	return STATUS_OK;
}

status_code planfile_levels_read(GDALDatasetH ds, const char *path, struct planfile *p, status *st)
{
	OGRLayerH l = GDALDatasetGetLayerByName(ds, "run_levels");
	if (!l)
		return STATUS_OK;
	OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
	int in = OGR_FD_GetFieldIndex(d, "level"), is = OGR_FD_GetFieldIndex(d, "status"),
	    ig = OGR_FD_GetFieldIndex(d, "gap");
	if (in < 0 || is < 0 || ig < 0)
		return status_fail(
		    st, STATUS_INPUT,
		    "'%s' is not a stationplan plan (layer 'run_levels' has no field "
		    "'%s')",
		    path,
		    in < 0   ? "level"
		    : is < 0 ? "status"
		             : "gap");
	GIntBig n; /* rows are written bottom to top */
	if (!(p->levels = read_source_rows(l, sizeof(*p->levels), &n)))
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	OGRFeatureH f;
	status_code rc = STATUS_OK;
	while (rc == STATUS_OK && (f = OGR_L_GetNextFeature(l))) {
		if ((GIntBig)p->nlevels >= n) {
			OGR_F_Destroy(f);
			break;
		}
		planfile_level *lv = &p->levels[p->nlevels++];
		lv->name = strdup(OGR_F_GetFieldAsString(f, in));
		snprintf(lv->status, sizeof(lv->status), "%s", OGR_F_GetFieldAsString(f, is));
		lv->gap = OGR_F_GetFieldAsDouble(f, ig);
		OGR_F_Destroy(f);
		rc = lv->name ? read_level_layer(ds, path, lv, st)
		              : status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	return rc;
}

void planfile_levels_free(struct planfile *p)
{
	for (size_t i = 0; i < p->nlevels; i++)
		free(p->levels[i].name), free(p->levels[i].x), free(p->levels[i].y);
	free(p->levels);
	p->levels = NULL;
	p->nlevels = 0;
}
