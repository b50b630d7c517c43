/*
 * report_int.h: internals of the report module (src/report/report_*.c),
 * shared by its files only.
 */
#ifndef STATIONPLAN_REPORT_INT_H
#define STATIONPLAN_REPORT_INT_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "geos_ctx.h"
#include "report.h"

/* A map layer parsed with GEOS: geometry and attributes, by index. */
typedef struct rgeoms {
	GEOSGeometry **g;
	const char **district; /* borrowed from the planmap */
	long *station;
	size_t n;
} rgeoms;

typedef struct rbox {
	double minx, miny, maxx, maxy;
} rbox;

/* Everything the pages draw from. */
typedef struct rdata {
	geos_ctx *gc;
	const planfile *p;
	const tables *t;
	const report_options *opt;
	rgeoms units, areas, uncovered, links;
	GEOSGeometry **boundary; /* per tables district (same index), NULL if no unit */
	rbox *dbox;              /* per district: its extent */
	rbox city;               /* everything */
	long phases[8];          /* distinct phases > 0, ascending (marker shapes) */
	int nphases;
	double ky; /* metres per CRS unit northwards (1, or ~111 km for degrees) */
	double kx; /* eastwards */
} rdata;

/* report_geom.c: parse the planmap, dissolve districts, extents. */
status_code rdata_build(rdata *d, const planfile *p, const planmap *m, const tables *t,
                        const report_options *opt, status *st);
void rdata_free(rdata *d);

/* report_map.c: a map of extent `box` (CRS units) drawn into the page
 * rectangle (x, y, w, h) in points, keeping the aspect; `district` = -1 for
 * the city map, else the district index (drawn in detail, others faded). */
void rmap_draw(cairo_t *cr, const rdata *d, rbox box, double x, double y, double w, double h,
               int district);

/* The legend, drawn from (x, y) downwards within width w; returns its height. */
double rmap_legend(cairo_t *cr, const rdata *d, double x, double y, double w);

/* report_text.c: Pango text helpers. Draw `text` at (x, y) within width w
 * (wrapping; w <= 0: no wrap) in `size` points, bold or not; returns the
 * height used. */
double rtext(cairo_t *cr, const char *text, double x, double y, double w, double size, int bold);

/* The height `text` would take, without drawing. */
double rtext_height(cairo_t *cr, const char *text, double w, double size, int bold);

/* Same as rtext with a monospace face. */
double rtext_mono(cairo_t *cr, const char *text, double x, double y, double w, double size);

/* The label of the language: index into a fixed table (see report_text.c). */
enum rlabel {
	RL_TITLE,
	RL_CITY,
	RL_LEGEND,
	RL_URBAN,
	RL_VILLAGE,
	RL_EXISTING,
	RL_KEPT,
	RL_PHASE,
	RL_UNDERFILLED,
	RL_AREA,
	RL_BOUNDARY,
	RL_UNCOVERED,
	RL_RUN,
	RL_STATUS,
	RL_OBJECTIVE,
	RL_BOUND,
	RL_GAP,
	RL_VERSION,
	RL_COMMAND,
	RL_PARAMETERS,
	RL_CONTINUED,
	RL_STATIONS,
	RL_HOUSEHOLDS,
	RL_PAGE,
	RL_LINKS,
	RL_COUNT
};
const char *rlabel(const rdata *d, enum rlabel l);

#endif
