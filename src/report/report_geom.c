/*
 * report_geom.c: the report's geometry, with GEOS: the plan's map layers
 * parsed from WKB, the district boundaries dissolved from their units'
 * polygons (GEOSUnaryUnion of the district's units), and the extents.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

static void box_add(rbox *b, const GEOSGeometry *g, GEOSContextHandle_t h)
{
	double x0, y0, x1, y1;
	if (GEOSGeom_getXMin_r(h, g, &x0) && GEOSGeom_getYMin_r(h, g, &y0) &&
	    GEOSGeom_getXMax_r(h, g, &x1) && GEOSGeom_getYMax_r(h, g, &y1)) {
		b->minx = fmin(b->minx, x0);
		b->miny = fmin(b->miny, y0);
		b->maxx = fmax(b->maxx, x1);
		b->maxy = fmax(b->maxy, y1);
	}
}

static const rbox empty_box = {INFINITY, INFINITY, -INFINITY, -INFINITY};

static status_code parse(rdata *d, const planmap_shape *s, size_t n, rgeoms *out, const char *layer,
                         status *st)
{
	out->g = calloc(n ? n : 1, sizeof(*out->g));
	out->district = calloc(n ? n : 1, sizeof(*out->district));
	out->station = calloc(n ? n : 1, sizeof(*out->station));
	if (!out->g || !out->district || !out->station)
		return status_fail(st, STATUS_INTERNAL, "report: out of memory");
	for (size_t i = 0; i < n; i++) {
		char what[96];
		snprintf(what, sizeof(what), "'%s' row %zu", layer, i + 1);
		out->g[i] = geos_ctx_read_wkb(d->gc, s[i].wkb, s[i].size, what, st);
		if (!out->g[i])
			return st->code;
		out->district[i] = s[i].district;
		out->station[i] = s[i].station_id;
		out->n = i + 1;
	}
	return STATUS_OK;
}

static void geoms_free(rdata *d, rgeoms *r)
{
	for (size_t i = 0; i < r->n; i++)
		GEOSGeom_destroy_r(geos_ctx_handle(d->gc), r->g[i]);
	free(r->g);
	free(r->district);
	free(r->station);
	memset(r, 0, sizeof(*r));
}

/* The union of the units of district `name`, or NULL when it has none. */
static status_code dissolve(rdata *d, const char *name, GEOSGeometry **out, status *st)
{
	size_t n = 0;
	GEOSGeometry **parts = malloc((d->units.n ? d->units.n : 1) * sizeof(*parts));
	if (!parts)
		return status_fail(st, STATUS_INTERNAL, "report: out of memory");
	for (size_t i = 0; i < d->units.n; i++)
		if (!strcmp(d->units.district[i], name))
			parts[n++] = GEOSGeom_clone_r(geos_ctx_handle(d->gc), d->units.g[i]);
	*out = NULL;
	if (n == 0) {
		free(parts);
		return STATUS_OK;
	}
	geos_ctx_clear(d->gc);
	GEOSGeometry *all = GEOSGeom_createCollection_r(
	    geos_ctx_handle(d->gc), GEOS_GEOMETRYCOLLECTION, parts, (unsigned)n);
	free(parts);
	GEOSGeometry *u = all ? GEOSUnaryUnion_r(geos_ctx_handle(d->gc), all) : NULL;
	if (all)
		GEOSGeom_destroy_r(geos_ctx_handle(d->gc), all);
	if (!u)
		return geos_ctx_fail(d->gc, st, STATUS_INTERNAL,
		                     "report: district '%s': dissolving the units", name);
	*out = u;
	return STATUS_OK;
}

status_code rdata_build(rdata *d, const planfile *p, const planmap *m, const tables *t,
                        const report_options *opt, status *st)
{
	memset(d, 0, sizeof(*d));
	d->p = p;
	d->t = t;
	d->opt = opt;
	d->gc = geos_ctx_new(st);
	status_code rc = d->gc ? STATUS_OK : STATUS_INTERNAL;
	if (rc == STATUS_OK)
		rc = parse(d, m->units, m->nunits, &d->units, "assignments", st);
	if (rc == STATUS_OK)
		rc = parse(d, m->areas, m->nareas, &d->areas, "service_areas", st);
	if (rc == STATUS_OK)
		rc = parse(d, m->uncovered, m->nuncovered, &d->uncovered, "uncovered", st);
	if (rc == STATUS_OK)
		rc = parse(d, m->links, m->nlinks, &d->links, "links", st);
	if (rc != STATUS_OK)
		return rc;
	d->boundary = calloc(t->ndistricts ? t->ndistricts : 1, sizeof(*d->boundary));
	d->dbox = calloc(t->ndistricts ? t->ndistricts : 1, sizeof(*d->dbox));
	if (!d->boundary || !d->dbox)
		return status_fail(st, STATUS_INTERNAL, "report: out of memory");
	d->city = empty_box;
	for (size_t i = 0; i < t->ndistricts && rc == STATUS_OK; i++) {
		const char *name = t->districts[i].district;
		rc = dissolve(d, name, &d->boundary[i], st);
		d->dbox[i] = empty_box;
		if (d->boundary[i])
			box_add(&d->dbox[i], d->boundary[i], geos_ctx_handle(d->gc));
		for (size_t s = 0; s < p->nstations; s++)
			if (!strcmp(p->stations[s].district, name)) {
				rbox *b = &d->dbox[i];
				b->minx = fmin(b->minx, p->stations[s].x);
				b->maxx = fmax(b->maxx, p->stations[s].x);
				b->miny = fmin(b->miny, p->stations[s].y);
				b->maxy = fmax(b->maxy, p->stations[s].y);
			}
		if (d->dbox[i].minx <= d->dbox[i].maxx) {
			d->city.minx = fmin(d->city.minx, d->dbox[i].minx);
			d->city.miny = fmin(d->city.miny, d->dbox[i].miny);
			d->city.maxx = fmax(d->city.maxx, d->dbox[i].maxx);
			d->city.maxy = fmax(d->city.maxy, d->dbox[i].maxy);
		}
	}
	for (size_t i = 0; i < d->uncovered.n; i++)
		box_add(&d->city, d->uncovered.g[i], geos_ctx_handle(d->gc));
	if (!(d->city.minx <= d->city.maxx))
		d->city = (rbox){0, 0, 1, 1};
	/* metres per CRS unit, for the scale bar and the aspect */
	d->kx = d->ky = 1;
	if (p->geographic) {
		double lat = (d->city.miny + d->city.maxy) / 2 * M_PI / 180;
		d->ky = 111320;
		d->kx = 111320 * cos(lat);
	}
	/* the phases present (a marker shape each), ascending, at most 8 */
	for (size_t s = 0; s < p->nstations; s++) {
		long ph = p->stations[s].phase;
		int k = 0;
		while (k < d->nphases && d->phases[k] < ph)
			k++;
		if (ph <= 0 || (k < d->nphases && d->phases[k] == ph) || d->nphases == 8)
			continue;
		memmove(d->phases + k + 1, d->phases + k, (size_t)(d->nphases - k) * sizeof(long));
		d->phases[k] = ph;
		d->nphases++;
	}
	return rc;
}

void rdata_free(rdata *d)
{
	if (!geos_ctx_handle(d->gc))
		return;
	geoms_free(d, &d->units);
	geoms_free(d, &d->areas);
	geoms_free(d, &d->uncovered);
	geoms_free(d, &d->links);
	for (size_t i = 0; d->boundary && i < d->t->ndistricts; i++)
		if (d->boundary[i])
			GEOSGeom_destroy_r(geos_ctx_handle(d->gc), d->boundary[i]);
	free(d->boundary);
	free(d->dbox);
	geos_ctx_free(d->gc);
}
