/*
 * report_map.c: drawing a map of the plan with Cairo: service areas
 * (a colour per station, so neighbouring areas read apart), uncovered
 * units hatched red, district boundaries, links (district pages), stations
 * (colour = kind, shape = phase, red ring = underfilled, numbers on district
 * pages), the scale bar and the north arrow; and the legend.
 *
 * Coordinates go from the plan's CRS to points on the page through a view:
 * one scale for both axes (in metres, so a map in degrees keeps its shape),
 * the extent centred in the rectangle, north up.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_int.h"

typedef struct view {
	double x0, y0, s; /* page origin of (minx, miny), points per metre */
	double kx, ky;    /* metres per CRS unit */
	rbox box;
} view;

static void to_page(const view *v, double X, double Y, double *x, double *y)
{
	*x = v->x0 + (X - v->box.minx) * v->kx * v->s;
	*y = v->y0 - (Y - v->box.miny) * v->ky * v->s;
}

static void path_seq(cairo_t *cr, const view *v, GEOSContextHandle_t h, const GEOSGeometry *ring,
                     int close)
{
	const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
	unsigned n = 0;
	if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n))
		return;
	for (unsigned i = 0; i < n; i++) {
		double X, Y, x, y;
		GEOSCoordSeq_getXY_r(h, cs, i, &X, &Y);
		to_page(v, X, Y, &x, &y);
		if (i == 0)
			cairo_move_to(cr, x, y);
		else
			cairo_line_to(cr, x, y);
	}
	if (close)
		cairo_close_path(cr);
}

/* Add `g` (polygons, lines, collections) to the current path. */
static void path_geom(cairo_t *cr, const view *v, GEOSContextHandle_t h, const GEOSGeometry *g)
{
	switch (GEOSGeomTypeId_r(h, g)) {
	case GEOS_POLYGON:
		path_seq(cr, v, h, GEOSGetExteriorRing_r(h, g), 1);
		for (int i = 0; i < GEOSGetNumInteriorRings_r(h, g); i++)
			path_seq(cr, v, h, GEOSGetInteriorRingN_r(h, g, i), 1);
		break;
	case GEOS_LINESTRING:
	case GEOS_LINEARRING:
		path_seq(cr, v, h, g, 0);
		break;
	case GEOS_MULTIPOLYGON:
	case GEOS_MULTILINESTRING:
	case GEOS_GEOMETRYCOLLECTION:
		for (int i = 0; i < GEOSGetNumGeometries_r(h, g); i++)
			path_geom(cr, v, h, GEOSGetGeometryN_r(h, g, i));
		break;
	default:
		break;
	}
}

/* A pastel colour for station `id`: neighbours (consecutive ids are sites
 * close in the site order) get colours far apart. */
static void area_colour(long id, double *r, double *g, double *b)
{
	static const double pal[8][3] = {
	    {0.55, 0.83, 0.78}, {1.00, 1.00, 0.70}, {0.75, 0.73, 0.85}, {0.98, 0.50, 0.45},
	    {0.50, 0.69, 0.83}, {0.99, 0.71, 0.38}, {0.70, 0.87, 0.41}, {0.99, 0.80, 0.90},
	};
	size_t k = (size_t)((id * 5) % 8 + 8) % 8;
	*r = pal[k][0];
	*g = pal[k][1];
	*b = pal[k][2];
}

void rkind_colour(const char *kind, double *r, double *g, double *b);
void rkind_colour(const char *kind, double *r, double *g, double *b)
{
	if (!strcmp(kind, "village")) {
		*r = 0.17, *g = 0.63, *b = 0.17;
	} else if (!strcmp(kind, "existing")) {
		*r = 0.35, *g = 0.35, *b = 0.35;
	} else if (!strcmp(kind, "kept")) {
		*r = 0.95, *g = 0.50, *b = 0.05;
	} else {
		*r = 0.12, *g = 0.40, *b = 0.75;
	}
}

/* A marker of shape `shape` (0 circle, 1 square, 2 triangle, 3 diamond,
 * then again) centred at (x, y) with radius `rad`, as the current path. */
static void marker_path(cairo_t *cr, int shape, double x, double y, double rad)
{
	switch (shape % 4) {
	case 0:
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, rad, 0, 2 * M_PI);
		break;
	case 1:
		cairo_rectangle(cr, x - rad * 0.9, y - rad * 0.9, rad * 1.8, rad * 1.8);
		break;
	case 2:
		cairo_move_to(cr, x, y - rad * 1.2);
		cairo_line_to(cr, x + rad * 1.1, y + rad * 0.8);
		cairo_line_to(cr, x - rad * 1.1, y + rad * 0.8);
		cairo_close_path(cr);
		break;
	default:
		cairo_move_to(cr, x, y - rad * 1.3);
		cairo_line_to(cr, x + rad * 1.1, y);
		cairo_line_to(cr, x, y + rad * 1.3);
		cairo_line_to(cr, x - rad * 1.1, y);
		cairo_close_path(cr);
		break;
	}
}

static int phase_shape(const rdata *d, long phase)
{
	for (int i = 0; i < d->nphases; i++)
		if (d->phases[i] == phase)
			return i + 1;
	return 0;
}

/* One station marker: filled by kind, white edge; underfilled: red ring. */
static void station_marker(cairo_t *cr, const char *kind, int shape, int underfilled, double x,
                           double y, double rad)
{
	double r, g, b;
	rkind_colour(kind, &r, &g, &b);
	marker_path(cr, shape, x, y, rad);
	cairo_set_source_rgb(cr, r, g, b);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_set_line_width(cr, rad * 0.3);
	cairo_stroke(cr);
	if (underfilled) {
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, rad * 1.9, 0, 2 * M_PI);
		cairo_set_source_rgb(cr, 0.85, 0.05, 0.05);
		cairo_set_line_width(cr, rad * 0.45);
		cairo_stroke(cr);
	}
}

/* Diagonal red hatching for the current path (kept), then its outline. */
static void hatch(cairo_t *cr, double x, double y, double w, double h)
{
	cairo_save(cr);
	cairo_clip_preserve(cr);
	cairo_set_source_rgba(cr, 0.85, 0.1, 0.1, 0.25);
	cairo_fill_preserve(cr);
	cairo_new_path(cr);
	cairo_set_source_rgb(cr, 0.85, 0.1, 0.1);
	cairo_set_line_width(cr, 0.4);
	for (double t = -h; t < w; t += 3) {
		cairo_move_to(cr, x + t, y + h);
		cairo_line_to(cr, x + t + h, y);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* A round length near `target` metres: 1, 2 or 5 times a power of ten. */
static double nice_length(double target)
{
	double p = pow(10, floor(log10(target)));
	double m = target / p;
	return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

static void scale_bar(cairo_t *cr, const view *v, double x, double y, double w)
{
	double metres = nice_length(w * 0.25 / v->s);
	double len = metres * v->s;
	char label[32];
	if (metres >= 1000)
		snprintf(label, sizeof(label), "%g km", metres / 1000);
	else
		snprintf(label, sizeof(label), "%g m", metres);
	cairo_set_line_width(cr, 0.5);
	for (int i = 0; i < 4; i++) {
		cairo_rectangle(cr, x + len * i / 4, y, len / 4, 3);
		if (i % 2 == 0)
			cairo_set_source_rgb(cr, 0, 0, 0);
		else
			cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_fill_preserve(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_stroke(cr);
	}
	rtext(cr, "0", x - 2, y + 4, 0, 6, 0);
	rtext(cr, label, x + len - 6, y + 4, 0, 6, 0);
}

static void north_arrow(cairo_t *cr, const rdata *d, double x, double y)
{
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x + 6, y + 18);
	cairo_line_to(cr, x, y + 14);
	cairo_close_path(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_fill(cr);
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x - 6, y + 18);
	cairo_line_to(cr, x, y + 14);
	cairo_close_path(cr);
	cairo_set_line_width(cr, 0.6);
	cairo_stroke(cr);
	rtext(cr, d->opt->lang == TABLES_EN ? "N" : "北", x - 4, y + 19, 0, 8, 1);
}

void rmap_draw(cairo_t *cr, const rdata *d, rbox box, double x, double y, double w, double h,
               int district)
{
	GEOSContextHandle_t gh = geos_ctx_handle(d->gc);
	double bw = fmax((box.maxx - box.minx) * d->kx, 1),
	       bh = fmax((box.maxy - box.miny) * d->ky, 1);
	view v = {0, 0, fmin((w - 8) / bw, (h - 8) / bh), d->kx, d->ky, box};
	v.x0 = x + (w - bw * v.s) / 2;
	v.y0 = y + h - (h - bh * v.s) / 2;
	const char *dname = district >= 0 ? d->t->districts[district].district : NULL;

	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_set_source_rgb(cr, 0.97, 0.97, 0.95);
	cairo_fill_preserve(cr);
	cairo_clip(cr);
	/* service areas, faded outside the district shown */
	for (size_t i = 0; i < d->areas.n; i++) {
		double r, g, b;
		area_colour(d->areas.station[i], &r, &g, &b);
		int other = dname && strcmp(d->areas.district[i], dname);
		cairo_new_path(cr);
		path_geom(cr, &v, gh, d->areas.g[i]);
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
		cairo_set_source_rgba(cr, r, g, b, other ? 0.25 : 0.8);
		cairo_fill_preserve(cr);
		cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
		cairo_set_line_width(cr, 0.4);
		cairo_stroke(cr);
	}
	/* units' outlines on a district page */
	for (size_t i = 0; dname && i < d->units.n; i++) {
		if (strcmp(d->units.district[i], dname))
			continue;
		cairo_new_path(cr);
		path_geom(cr, &v, gh, d->units.g[i]);
		cairo_set_source_rgba(cr, 0.4, 0.4, 0.4, 0.6);
		cairo_set_line_width(cr, 0.15);
		cairo_stroke(cr);
	}
	for (size_t i = 0; i < d->uncovered.n; i++) {
		cairo_new_path(cr);
		path_geom(cr, &v, gh, d->uncovered.g[i]);
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
		hatch(cr, x, y, w, h);
		cairo_set_source_rgb(cr, 0.85, 0.1, 0.1);
		cairo_set_line_width(cr, 0.5);
		cairo_stroke(cr);
	}
	for (size_t i = 0; dname && i < d->links.n; i++) {
		cairo_new_path(cr);
		path_geom(cr, &v, gh, d->links.g[i]);
		cairo_set_source_rgba(cr, 0.2, 0.2, 0.2, 0.6);
		cairo_set_line_width(cr, 0.25);
		cairo_stroke(cr);
	}
	for (size_t i = 0; i < d->t->ndistricts; i++) {
		if (!d->boundary[i])
			continue;
		cairo_new_path(cr);
		path_geom(cr, &v, gh, d->boundary[i]);
		cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
		cairo_set_line_width(cr, (int)i == district ? 1.6 : 0.9);
		cairo_set_dash(cr, (double[]){4, 1.5, 1, 1.5}, 4, 0);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
	double rad = dname ? 2.6 : 1.8;
	for (size_t s = 0; s < d->p->nstations; s++) {
		const planfile_station *ps = &d->p->stations[s];
		double px, py;
		to_page(&v, ps->x, ps->y, &px, &py);
		station_marker(cr, ps->kind, phase_shape(d, ps->phase), ps->underfilled, px, py,
		               rad);
		if (dname && !strcmp(ps->district, dname)) {
			char id[24];
			snprintf(id, sizeof(id), "%ld", ps->id);
			cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
			rtext(cr, id, px + rad + 0.5, py - 3.5, 0, 4.5, 0);
		}
	}
	/* district names on the city map */
	for (size_t i = 0; !dname && i < d->t->ndistricts; i++) {
		if (!d->boundary[i])
			continue;
		GEOSGeometry *pt = GEOSPointOnSurface_r(gh, d->boundary[i]);
		double X, Y, px, py;
		if (pt && GEOSGeomGetX_r(gh, pt, &X) && GEOSGeomGetY_r(gh, pt, &Y)) {
			to_page(&v, X, Y, &px, &py);
			cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
			rtext(cr, d->t->districts[i].district, px - 15, py - 6, 0, 9, 1);
		}
		if (pt)
			GEOSGeom_destroy_r(gh, pt);
	}
	cairo_restore(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.8);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	scale_bar(cr, &v, x + 10, y + h - 18, w);
	north_arrow(cr, d, x + w - 16, y + 8);
}

/* One legend row: a swatch drawn by `kind` of row, then its label. */
static double legend_row(cairo_t *cr, double x, double y, const char *label)
{
	cairo_set_source_rgb(cr, 0, 0, 0);
	rtext(cr, label, x + 16, y - 5, 0, 7, 0);
	return 11;
}

double rmap_legend(cairo_t *cr, const rdata *d, double x, double y, double w)
{
	(void)w;
	double y0 = y;
	cairo_set_source_rgb(cr, 0, 0, 0);
	y += rtext(cr, rlabel(d, RL_LEGEND), x, y, 0, 9, 1) + 6;
	static const char *const kinds[] = {"urban", "village", "existing", "kept"};
	static const enum rlabel names[] = {RL_URBAN, RL_VILLAGE, RL_EXISTING, RL_KEPT};
	for (int k = 0; k < 4; k++) {
		int present = 0;
		for (size_t s = 0; s < d->p->nstations && !present; s++)
			present = !strcmp(d->p->stations[s].kind, kinds[k]);
		if (!present && k >= 2)
			continue;
		station_marker(cr, kinds[k], 0, 0, x + 6, y, 2.6);
		y += legend_row(cr, x, y, rlabel(d, names[k]));
	}
	for (int i = 0; i < d->nphases; i++) {
		char label[64];
		snprintf(label, sizeof(label), "%s %ld", rlabel(d, RL_PHASE), d->phases[i]);
		marker_path(cr, i + 1, x + 6, y, 2.6);
		cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
		cairo_fill(cr);
		y += legend_row(cr, x, y, label);
	}
	station_marker(cr, "urban", 0, 1, x + 6, y, 2.0);
	y += legend_row(cr, x, y, rlabel(d, RL_UNDERFILLED));
	double r, g, b;
	area_colour(1, &r, &g, &b);
	cairo_rectangle(cr, x, y - 4, 6, 8);
	cairo_set_source_rgb(cr, r, g, b);
	cairo_fill(cr);
	area_colour(2, &r, &g, &b);
	cairo_rectangle(cr, x + 6, y - 4, 6, 8);
	cairo_set_source_rgb(cr, r, g, b);
	cairo_fill(cr);
	y += legend_row(cr, x, y, rlabel(d, RL_AREA));
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x + 12, y);
	cairo_set_source_rgb(cr, 0.15, 0.15, 0.15);
	cairo_set_line_width(cr, 1.2);
	cairo_set_dash(cr, (double[]){4, 1.5, 1, 1.5}, 4, 0);
	cairo_stroke(cr);
	cairo_set_dash(cr, NULL, 0, 0);
	y += legend_row(cr, x, y, rlabel(d, RL_BOUNDARY));
	cairo_rectangle(cr, x, y - 4, 12, 8);
	hatch(cr, x, y - 4, 12, 8);
	cairo_new_path(cr);
	y += legend_row(cr, x, y, rlabel(d, RL_UNCOVERED));
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x + 12, y);
	cairo_set_source_rgba(cr, 0.2, 0.2, 0.2, 0.6);
	cairo_set_line_width(cr, 0.4);
	cairo_stroke(cr);
	y += legend_row(cr, x, y, rlabel(d, RL_LINKS));
	return y - y0;
}
