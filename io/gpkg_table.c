/*
 * gpkg_table.c: creating GeoPackage layers from field tables, writing
 * features inside transactions, and unit geometries in the output CRS.
 *
 * Layers get the GPKG driver's defaults that matter to QGIS and to
 * validate_gpkg.py: geometry column "geom", an R-tree spatial index
 * (SPATIAL_INDEX=YES, built by the driver), the FID column "fid" owned by
 * the GeoPackage (no attribute is ever called fid), and for tables without
 * geometry a registration in gpkg_contents as data_type 'attributes'.
 */
#include <stdio.h>

#include <cpl_string.h>

#include "gpkg_int.h"
#include "io_int.h"

OGRLayerH gpkg_table_create(gpkg_writer *w, const char *name, OGRwkbGeometryType gtype,
                            const char *title, const char *description, const gpkg_field *fields,
                            size_t nfields)
{
	char **opts = NULL;
	opts = CSLSetNameValue(opts, "FID", "fid");
	opts = CSLSetNameValue(opts, "IDENTIFIER", title);
	opts = CSLSetNameValue(opts, "DESCRIPTION", description);
	if (gtype != wkbNone) {
		opts = CSLSetNameValue(opts, "GEOMETRY_NAME", "geom");
		opts = CSLSetNameValue(opts, "SPATIAL_INDEX", "YES");
	} else {
		opts = CSLSetNameValue(opts, "ASPATIAL_VARIANT", "GPKG_ATTRIBUTES");
	}
	OGRLayerH layer =
	    GDALDatasetCreateLayer(w->ds, name, gtype == wkbNone ? NULL : w->srs, gtype, opts);
	CSLDestroy(opts);
	if (!layer) {
		gdal_fail(w->st, STATUS_INTERNAL, "'%s': cannot create layer '%s'", w->path, name);
		return NULL;
	}
	for (size_t i = 0; i < nfields; i++) {
		OGRFieldDefnH fd = OGR_Fld_Create(fields[i].name, fields[i].type);
		OGR_Fld_SetSubType(fd, fields[i].sub);
		OGRErr e = OGR_L_CreateField(layer, fd, FALSE);
		OGR_Fld_Destroy(fd);
		if (e != OGRERR_NONE) {
			gdal_fail(w->st, STATUS_INTERNAL,
			          "'%s': layer '%s': cannot create field '%s'", w->path, name,
			          fields[i].name);
			return NULL;
		}
	}
	return layer;
}

status_code gpkg_table_begin(gpkg_writer *w, const char *layer)
{
	if (GDALDatasetStartTransaction(w->ds, FALSE) != OGRERR_NONE)
		return gdal_fail(w->st, STATUS_INTERNAL,
		                 "'%s': layer '%s': cannot start transaction", w->path, layer);
	return STATUS_OK;
}

status_code gpkg_table_open(gpkg_writer *w, OGRLayerH *layer, const char *name,
                            OGRwkbGeometryType gtype, const char *title, const char *description,
                            const gpkg_field *fields, size_t nfields)
{
	*layer = gpkg_table_create(w, name, gtype, title, description, fields, nfields);
	if (!*layer)
		return w->st->code;
	status_code rc = gpkg_table_begin(w, name);
	if (rc != STATUS_OK)
		*layer = NULL;
	return rc;
}

status_code gpkg_rows_open(gpkg_rows *t, gpkg_writer *w, const gpkg_layer_def *def)
{
	*t = (gpkg_rows){.w = w, .name = def->name};
	t->rc = gpkg_table_open(w, &t->layer, def->name, def->gtype, def->title, def->description,
	                        def->fields, def->nfields);
	return t->rc;
}

OGRFeatureH gpkg_rows_new(const gpkg_rows *t)
{
	return OGR_F_Create(OGR_L_GetLayerDefn(t->layer));
}

status_code gpkg_rows_put(gpkg_rows *t, OGRFeatureH f, OGRGeometryH g)
{
	if (t->rc == STATUS_OK)
		t->rc = gpkg_table_write_geometry(t->w, t->layer, f, g, ++t->row);
	else if (g)
		OGR_G_DestroyGeometry(g);
	OGR_F_Destroy(f);
	return t->rc;
}

status_code gpkg_rows_close(gpkg_rows *t)
{
	if (t->rc == STATUS_OK)
		t->rc = gpkg_table_commit(t->w, t->name);
	return t->rc;
}

status_code gpkg_table_commit(gpkg_writer *w, const char *layer)
{
	if (GDALDatasetCommitTransaction(w->ds) != OGRERR_NONE)
		return gdal_fail(w->st, STATUS_INTERNAL, "'%s': layer '%s': cannot commit", w->path,
		                 layer);
	return STATUS_OK;
}

status_code gpkg_table_write(gpkg_writer *w, OGRLayerH layer, OGRFeatureH f, long long row)
{
	if (OGR_L_CreateFeature(layer, f) != OGRERR_NONE) {
		status_code rc =
		    gdal_fail(w->st, STATUS_INTERNAL, "'%s': layer '%s': cannot write row %lld",
		              w->path, OGR_L_GetName(layer), row);
		GDALDatasetRollbackTransaction(w->ds);
		return rc;
	}
	return STATUS_OK;
}

status_code gpkg_table_write_geometry(gpkg_writer *w, OGRLayerH layer, OGRFeatureH f,
                                      OGRGeometryH g, long long row)
{
	if (g) {
		status_code rc = gpkg_to_output_crs(w, g, OGR_L_GetName(layer));
		if (rc != STATUS_OK) {
			OGR_G_DestroyGeometry(g);
			return rc;
		}
		OGR_F_SetGeometryDirectly(f, g);
	}
	return gpkg_table_write(w, layer, f, row);
}

status_code gpkg_to_output_crs(gpkg_writer *w, OGRGeometryH g, const char *layer)
{
	if (w->ct && OGR_G_Transform(g, w->ct) != OGRERR_NONE)
		return gdal_fail(w->st, STATUS_INTERNAL,
		                 "'%s': layer '%s': cannot transform a geometry to '%s'", w->path,
		                 layer, w->crs_name);
	return STATUS_OK;
}

status_code gpkg_collect_unit(gpkg_writer *w, OGRGeometryH all, size_t u)
{
	OGRGeometryH g = gpkg_unit_geometry(w, u, 0);
	if (!g)
		return w->st->code != STATUS_OK ? w->st->code : STATUS_INTERNAL;
	for (int k = 0; k < OGR_G_GetGeometryCount(g); k++)
		OGR_G_AddGeometry(all, OGR_G_GetGeometryRef(g, k));
	OGR_G_DestroyGeometry(g);
	return STATUS_OK;
}

OGRGeometryH gpkg_union_output(gpkg_writer *w, OGRGeometryH all, const char *layer,
                               const char *what)
{
	OGRGeometryH u = OGR_G_UnionCascaded(all);
	OGR_G_DestroyGeometry(all);
	if (!u) {
		gdal_fail(w->st, STATUS_INTERNAL, "'%s': layer '%s': %s failed", w->path, layer,
		          what);
		return NULL;
	}
	u = OGR_G_ForceToMultiPolygon(u);
	if (gpkg_to_output_crs(w, u, layer) != STATUS_OK) {
		OGR_G_DestroyGeometry(u);
		return NULL;
	}
	return u;
}

OGRGeometryH gpkg_unit_geometry(gpkg_writer *w, size_t u, int to_output)
{
	const unit *un = &w->in->units[u];
	OGRGeometryH g = NULL;
	if (OGR_G_CreateFromWkb(un->wkb, NULL, &g, (int)un->wkb_size) != OGRERR_NONE || !g) {
		gdal_fail(w->st, STATUS_INTERNAL, "unit '%s' (fid %lld): unreadable geometry",
		          un->id, un->fid);
		return NULL;
	}
	OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
	if (t == wkbPoint || t == wkbMultiPoint) {
		OGRGeometryH b = OGR_G_Buffer(g, GPKG_POINT_UNIT_RADIUS_M, 8);
		OGR_G_DestroyGeometry(g);
		g = b;
		if (!g) {
			gdal_fail(w->st, STATUS_INTERNAL,
			          "unit '%s' (fid %lld): cannot buffer point", un->id, un->fid);
			return NULL;
		}
	}
	g = OGR_G_ForceToMultiPolygon(g);
	if (to_output && gpkg_to_output_crs(w, g, "units") != STATUS_OK) {
		OGR_G_DestroyGeometry(g);
		return NULL;
	}
	return g;
}

int gpkg_unit_is_point(const gpkg_writer *w, size_t u)
{
	const unsigned char *b = w->in->units[u].wkb;
	if (w->in->units[u].wkb_size < 5)
		return 0;
	/* ISO WKB: byte order (1 = little endian), then the uint32 type code;
	 * 1 Point, 4 MultiPoint, plus 1000/2000/3000 for Z/M/ZM. */
	unsigned long type = b[0] == 1 ? (unsigned long)b[1] | (unsigned long)b[2] << 8 |
	                                     (unsigned long)b[3] << 16 | (unsigned long)b[4] << 24
	                               : (unsigned long)b[4] | (unsigned long)b[3] << 8 |
	                                     (unsigned long)b[2] << 16 | (unsigned long)b[1] << 24;
	type %= 1000;
	return type == 1 || type == 4;
}
