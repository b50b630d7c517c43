/*
 * planmap.c: reading a plan's map layers (assignments, service_areas,
 * uncovered, links) as WKB for the report. See include/planmap.h.
 *
 * The assignments hold a split unit once per station, one after the other
 * (rows are sorted by unit): only the first row of each unit is kept.
 */
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <gdal.h>
#include <ogr_api.h>

#include "planmap.h"
#include "io_int.h"

static void shapes_free(planmap_shape *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(s[i].district);
		free(s[i].wkb);
	}
	free(s);
}

/* Read every feature with a geometry of `layer` into *out, their count into *n. */
static status_code read_layer(GDALDatasetH ds, const char *path, const char *layer,
                              planmap_shape **out, size_t *n, status *st)
{
	OGRLayerH l = GDALDatasetGetLayerByName(ds, layer);
	if (!l)
		return status_fail(st, STATUS_INPUT, "'%s': no '%s' layer", path, layer);
	OGRFeatureDefnH defn = OGR_L_GetLayerDefn(l);
	int idist = OGR_FD_GetFieldIndex(defn, "district");
	int istation = OGR_FD_GetFieldIndex(defn, "station_id");
	int iorder = OGR_FD_GetFieldIndex(defn, "unit_order");
	GIntBig count = OGR_L_GetFeatureCount(l, TRUE);
	planmap_shape *s = calloc(count > 0 ? (size_t)count : 1, sizeof(*s));
	if (!s)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	size_t m = 0;
	long last_order = -1;
	OGR_L_ResetReading(l);
	for (OGRFeatureH f; (f = OGR_L_GetNextFeature(l)) != NULL; OGR_F_Destroy(f)) {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		if (!g || OGR_G_IsEmpty(g) || (GIntBig)m >= count)
			continue;
		if (iorder >= 0) {
			long order = (long)OGR_F_GetFieldAsInteger64(f, iorder);
			if (order == last_order)
				continue;
			last_order = order;
		}
		planmap_shape *x = &s[m];
		x->district = strdup(idist >= 0 && OGR_F_IsFieldSetAndNotNull(f, idist)
		                         ? OGR_F_GetFieldAsString(f, idist)
		                         : "");
		x->station_id = istation >= 0 ? (long)OGR_F_GetFieldAsInteger64(f, istation) : 0;
		x->size = (size_t)OGR_G_WkbSize(g);
		x->wkb = malloc(x->size ? x->size : 1);
		if (!x->district || !x->wkb) {
			OGR_F_Destroy(f);
			shapes_free(s, m + 1);
			return status_fail(st, STATUS_INTERNAL, "out of memory");
		}
		OGR_G_ExportToIsoWkb(g, wkbNDR, x->wkb);
		m++;
	}
	*out = s;
	*n = m;
	return STATUS_OK;
}

status_code planmap_read(const char *path, planmap *out, status *st)
{
	memset(out, 0, sizeof(*out));
	gdal_bridge_push();
	status_code rc = STATUS_OK;
	GDALDatasetH ds = GDALOpenEx(
	    path, GDAL_OF_VECTOR | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR, NULL, NULL, NULL);
	if (!ds)
		rc = gdal_fail(st, STATUS_INPUT, "'%s': cannot open", path);
	if (rc == STATUS_OK)
		rc = read_layer(ds, path, "assignments", &out->units, &out->nunits, st);
	if (rc == STATUS_OK)
		rc = read_layer(ds, path, "service_areas", &out->areas, &out->nareas, st);
	if (rc == STATUS_OK)
		rc = read_layer(ds, path, "uncovered", &out->uncovered, &out->nuncovered, st);
	if (rc == STATUS_OK)
		rc = read_layer(ds, path, "links", &out->links, &out->nlinks, st);
	if (ds)
		GDALClose(ds);
	gdal_bridge_pop();
	if (rc != STATUS_OK)
		planmap_free(out);
	return rc;
}

void planmap_free(planmap *m)
{
	shapes_free(m->units, m->nunits);
	shapes_free(m->areas, m->nareas);
	shapes_free(m->uncovered, m->nuncovered);
	shapes_free(m->links, m->nlinks);
	memset(m, 0, sizeof(*m));
}
