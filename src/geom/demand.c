/*
 * demand.c: where each unit's households are measured from.
 *
 * With demand_points = representative (the default) a unit's households sit
 * at its representative point (GEOS PointOnSurface: inside the polygon even
 * when the centroid is not). With demand_points = samples, a polygon larger
 * than one sample cell (demand_sample_spacing_m squared) is cut by the
 * aligned grid of that spacing; each piece contributes one sample, its own
 * representative point, weighted by its share of the unit's area
 * (households are assumed spread uniformly). A pair's distance is then the
 * household-weighted mean distance over the samples, so a 2 km wide village
 * is not measured from one spot. See src/geom/geom_int.h.
 */
#include "geom_int.h"
#include "grow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct sample_buf {
	double *x, *y, *w;
	size_t n, cap;
} sample_buf;

static status_code push_sample(sample_buf *b, double x, double y, double w, status *st)
{
	if (b->n == b->cap) {
		size_t c = grow_cap(b->cap, b->n + 1);
		if (grow_to(&b->x, c, sizeof(double)) || grow_to(&b->y, c, sizeof(double)) ||
		    grow_to(&b->w, c, sizeof(double)))
			return status_fail(st, STATUS_INTERNAL, "out of memory");
		b->cap = c;
	}
	b->x[b->n] = x;
	b->y[b->n] = y;
	b->w[b->n] = w;
	b->n++;
	return STATUS_OK;
}

/* Cut unit geometry `geom` by the aligned grid of `spacing` and append one
 * sample per non-empty piece; weights are normalised by the caller. */
static status_code cut_samples(geos_ctx *g, const GEOSGeometry *geom, double spacing,
                               const char *what, sample_buf *b, status *st)
{
	grid_range r;
	status_code rc0 = grid_span(g, geom, spacing, 1, "demand_sample_spacing_m", what, &r, st);
	if (rc0 != STATUS_OK)
		return rc0;
	for (double j = r.j0; j <= r.j1; j++) {
		for (double i = r.i0; i <= r.i1; i++) {
			geos_ctx_clear(g);
			GEOSGeometry *piece =
			    GEOSClipByRect_r(geos_ctx_handle(g), geom, i * spacing, j * spacing,
			                     (i + 1) * spacing, (j + 1) * spacing);
			if (!piece)
				return geos_ctx_fail(g, st, STATUS_INTERNAL,
				                     "%s: cannot cut demand cell", what);
			double area = 0, x, y;
			status_code rc = STATUS_OK;
			if (!GEOSisEmpty_r(geos_ctx_handle(g), piece) &&
			    GEOSArea_r(geos_ctx_handle(g), piece, &area) && area > 0) {
				rc = geom_representative(g, piece, what, &x, &y, st);
				if (rc == STATUS_OK)
					rc = push_sample(b, x, y, area, st);
			}
			GEOSGeom_destroy_r(geos_ctx_handle(g), piece);
			if (rc != STATUS_OK)
				return rc;
		}
	}
	return STATUS_OK;
}

status_code demand_build(geos_ctx *g, const inputs *in, const geom_index *ug, const scenario *sc,
                         demand *d, status *st)
{
	memset(d, 0, sizeof(*d));
	size_t n = in->nunits;
	d->rx = malloc((n ? n : 1) * sizeof(double));
	d->ry = malloc((n ? n : 1) * sizeof(double));
	d->cx = malloc((n ? n : 1) * sizeof(double));
	d->cy = malloc((n ? n : 1) * sizeof(double));
	d->start = malloc((n + 1) * sizeof(size_t));
	if (!d->rx || !d->ry || !d->cx || !d->cy || !d->start)
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	d->nunits = n;
	double spacing = sc->demand_sample_spacing_m;
	int samples = sc->demand_points == DEMAND_SAMPLES;
	sample_buf b = {0};
	char label[256];
	status_code rc = STATUS_OK;
	for (size_t u = 0; u < n && rc == STATUS_OK; u++) {
		unit_label(&in->units[u], label, sizeof(label));
		d->start[u] = b.n;
		rc = geom_representative(g, ug->geom[u], label, &d->rx[u], &d->ry[u], st);
		if (rc != STATUS_OK)
			break;
		double area = 0;
		int type = GEOSGeomTypeId_r(geos_ctx_handle(g), ug->geom[u]);
		if (samples && type != GEOS_POINT &&
		    GEOSArea_r(geos_ctx_handle(g), ug->geom[u], &area) && area > spacing * spacing)
			rc = cut_samples(g, ug->geom[u], spacing, label, &b, st);
		if (rc != STATUS_OK)
			break;
		if (b.n == d->start[u]) /* always at least the representative point */
			rc = push_sample(&b, d->rx[u], d->ry[u], 1.0, st);
		double wsum = 0, cx = 0, cy = 0;
		for (size_t k = d->start[u]; k < b.n; k++)
			wsum += b.w[k];
		for (size_t k = d->start[u]; k < b.n; k++) {
			b.w[k] /= wsum;
			cx += b.w[k] * b.x[k];
			cy += b.w[k] * b.y[k];
		}
		d->cx[u] = cx;
		d->cy[u] = cy;
	}
	d->start[n] = b.n;
	d->sx = b.x;
	d->sy = b.y;
	d->sw = b.w;
	d->nsamples = b.n;
	return rc;
}

void demand_free(demand *d)
{
	GROW_FREE(d->rx, d->ry, d->cx, d->cy, d->start, d->sx, d->sy, d->sw);
	memset(d, 0, sizeof(*d));
}

double demand_distance(const demand *d, size_t u, double x, double y)
{
	size_t k0 = d->start[u], k1 = d->start[u + 1];
	if (k1 - k0 == 1)
		return hypot(d->sx[k0] - x, d->sy[k0] - y);
	double sum = 0;
	for (size_t k = k0; k < k1; k++)
		sum += d->sw[k] * hypot(d->sx[k] - x, d->sy[k] - y);
	return sum;
}
