/*
 * read_levels.c: the places of every upper level ([level.NAME]): its
 * candidate points or land parcels, and its existing facilities, brought
 * into the working CRS as plain tables (include/levels.h).
 *
 * Parcels are read as they are (transformed, not repaired): repairing,
 * measuring and the min_area_m2 filter are geometry work, done with GEOS
 * in src/geom/levels_places.c. Each place keeps an id: the level's
 * id_field when set (a missing one is an error), else input.id_field or
 * "id" when the layer has it, else the feature id as text.
 */
#include "io_int.h"
#include "grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "levels.h"

typedef struct layer_ctx {
	GDALDatasetH ds;
	OGRLayerH lyr;
	OGRCoordinateTransformationH ct;
	char label[1024];
	int idf;
} layer_ctx;

/* Open one layer of a level in the working CRS and find its id field.
 * Returns 0, or -1 with a problem recorded. */
static int layer_open(const scenario *sc, const scenario_level *lv, const char *what,
                      const char *path, const char *layer, OGRSpatialReferenceH work, layer_ctx *c,
                      status *st)
{
	char key[128];
	int fail = 0;
	snprintf(key, sizeof(key), "level.%s.%s", lv->name, what);
	memset(c, 0, sizeof(*c));
	if (read_source_open(key, path, layer, "", &c->ds, &c->lyr, st) != 0)
		return -1;
	snprintf(c->label, sizeof(c->label), "%s:%s", path, OGR_L_GetName(c->lyr));
	OGRSpatialReferenceH src = read_crs_source(c->lyr, c->label, sc->assume_crs, st);
	if (src && work)
		c->ct = read_crs_transform(src, work, c->label, &fail, st);
	if (src)
		OSRDestroySpatialReference(src);
	if (!src || fail || !work) {
		GDALClose(c->ds);
		return -1;
	}
	if (*lv->id_field) {
		c->idf = read_source_field(c->lyr, lv->id_field);
		if (c->idf < 0) {
			char names[512];
			read_source_fields(c->lyr, names, sizeof(names));
			status_problem_add(st, SEV_ERROR, "field",
			                   "%s: level.%s.id_field = %s: no such field (fields: %s)",
			                   c->label, lv->name, lv->id_field, names);
			if (c->ct)
				OCTDestroyCoordinateTransformation(c->ct);
			GDALClose(c->ds);
			return -1;
		}
	} else {
		c->idf = read_source_field(c->lyr, sc->id_field);
		if (c->idf < 0)
			c->idf = read_source_field(c->lyr, "id");
	}
	return 0;
}

static void layer_close(layer_ctx *c)
{
	if (c->ct)
		OCTDestroyCoordinateTransformation(c->ct);
	GDALClose(c->ds);
}

/* A new place at the end of li->places; NULL out of memory. */
static level_place *place_add(level_input *li, OGRFeatureH feat, int idf)
{
	if (grow_to(&li->places, li->nplaces + 1, sizeof(*li->places)) != 0)
		return NULL;
	level_place *p = &li->places[li->nplaces];
	memset(p, 0, sizeof(*p));
	char buf[32];
	p->fid = (long long)OGR_F_GetFID(feat);
	snprintf(buf, sizeof(buf), "%lld", p->fid);
	p->id = strdup(idf >= 0 && OGR_F_IsFieldSetAndNotNull(feat, idf)
	                   ? OGR_F_GetFieldAsString(feat, idf)
	                   : buf);
	p->district = p->street = "";
	p->eligible = 1;
	if (!p->id)
		return NULL;
	li->nplaces++;
	return p;
}

/* The geometry of `feat` when it is what layer `what` must hold: a point
 * (or a multipoint of one), or with `polygons` a (multi)polygon. Else NULL,
 * the problem recorded. The geometry belongs to the feature. */
static OGRGeometryH place_geometry(const layer_ctx *c, const scenario_level *lv, const char *what,
                                   OGRFeatureH feat, int polygons, status *st)
{
	OGRGeometryH g = OGR_F_GetGeometryRef(feat);
	OGRwkbGeometryType t = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbNone;
	if (!polygons && t == wkbMultiPoint && OGR_G_GetGeometryCount(g) == 1)
		g = OGR_G_GetGeometryRef(g, 0), t = wkbPoint;
	int fits = polygons ? t == wkbPolygon || t == wkbMultiPolygon : t == wkbPoint;
	if (g && !OGR_G_IsEmpty(g) && fits)
		return g;
	status_problem_add(st, SEV_ERROR, "geometry",
	                   "%s fid %lld (level.%s.%s): %s, expected a %s", c->label,
	                   (long long)OGR_F_GetFID(feat), lv->name, what,
	                   !g                 ? "no geometry"
	                   : OGR_G_IsEmpty(g) ? "empty geometry"
	                                      : OGRGeometryTypeToName(t),
	                   polygons ? "polygon" : "point");
	return NULL;
}

static void not_transformed(const layer_ctx *c, OGRFeatureH feat, status *st)
{
	status_problem_add(st, SEV_ERROR, "geometry",
	                   "%s fid %lld: cannot be transformed to the working CRS", c->label,
	                   (long long)OGR_F_GetFID(feat));
}

/* Points of `path` as places (existing = 1 for the existing layer). */
static void read_point_places(const scenario *sc, const scenario_level *lv, const char *what,
                              const char *path, const char *layer, int existing,
                              OGRSpatialReferenceH work, level_input *li, status *st)
{
	layer_ctx c;
	if (layer_open(sc, lv, what, path, layer, work, &c, st))
		return;
	OGRFeatureH feat;
	OGR_L_ResetReading(c.lyr);
	while ((feat = OGR_L_GetNextFeature(c.lyr))) {
		OGRGeometryH g = place_geometry(&c, lv, what, feat, 0, st);
		double x = g ? OGR_G_GetX(g, 0) : 0, y = g ? OGR_G_GetY(g, 0) : 0;
		level_place *p = NULL;
		if (g && c.ct && !OCTTransform(c.ct, 1, &x, &y, NULL))
			not_transformed(&c, feat, st);
		else if (g && !(p = place_add(li, feat, c.idf))) {
			OGR_F_Destroy(feat);
			status_fail(st, STATUS_INTERNAL, "out of memory");
			break;
		} else if (p)
			p->x = x, p->y = y, p->existing = existing;
		OGR_F_Destroy(feat);
	}
	layer_close(&c);
}

/* Polygons of the parcels layer as places holding their WKB. */
static void read_parcels(const scenario *sc, const scenario_level *lv, OGRSpatialReferenceH work,
                         level_input *li, status *st)
{
	layer_ctx c;
	if (layer_open(sc, lv, "parcels", lv->parcels, lv->parcels_layer, work, &c, st))
		return;
	OGRFeatureH feat;
	OGR_L_ResetReading(c.lyr);
	while ((feat = OGR_L_GetNextFeature(c.lyr))) {
		OGRGeometryH g = place_geometry(&c, lv, "parcels", feat, 1, st);
		if (!g) {
			OGR_F_Destroy(feat);
			continue;
		}
		OGRGeometryH w = OGR_G_Clone(g);
		if (c.ct && OGR_G_Transform(w, c.ct) != OGRERR_NONE) {
			not_transformed(&c, feat, st);
		} else {
			level_place *p = place_add(li, feat, c.idf);
			if (!p || !(p->wkb = read_geometry_wkb(w, &p->wkb_size))) {
				OGR_G_DestroyGeometry(w);
				OGR_F_Destroy(feat);
				status_fail(st, STATUS_INTERNAL, "out of memory");
				break;
			}
		}
		OGR_G_DestroyGeometry(w);
		OGR_F_Destroy(feat);
	}
	layer_close(&c);
}

void read_levels(const scenario *sc, OGRSpatialReferenceH work, inputs *in, status *st)
{
	in->levels = calloc(sc->nlevels, sizeof(*in->levels));
	if (!in->levels) {
		status_fail(st, STATUS_INTERNAL, "out of memory");
		return;
	}
	in->nlevels = sc->nlevels;
	for (size_t i = 0; i < sc->nlevels; i++) {
		const scenario_level *lv = &sc->levels[i];
		level_input *li = &in->levels[i];
		const char *src = *lv->parcels ? lv->parcels : lv->candidates;
		const char *lay = *lv->parcels ? lv->parcels_layer : lv->candidates_layer;
		size_t n = strlen(src) + strlen(lay) + 2;
		if ((li->label = malloc(n)))
			snprintf(li->label, n, "%s%s%s", src, *lay ? ":" : "", lay);
		if (*lv->parcels)
			read_parcels(sc, lv, work, li, st);
		else if (*lv->candidates)
			read_point_places(sc, lv, "candidates", lv->candidates,
			                  lv->candidates_layer, 0, work, li, st);
		if (*lv->existing)
			read_point_places(sc, lv, "existing", lv->existing, lv->existing_layer, 1,
			                  work, li, st);
	}
}

void read_levels_free(inputs *in)
{
	for (size_t i = 0; in->levels && i < in->nlevels; i++) {
		level_input *li = &in->levels[i];
		for (size_t j = 0; j < li->nplaces; j++)
			free(li->places[j].id), free(li->places[j].wkb);
		free(li->places);
		free(li->label);
	}
	free(in->levels);
	in->levels = NULL;
	in->nlevels = 0;
}
