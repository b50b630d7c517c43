/*
 * geos_ctx.c: GEOS contexts and the bridge of GEOS messages into a status.
 *
 * GEOS reports errors through a per-context callback. Ours copies the text
 * into the geos_ctx buffer; the caller that sees a failing return value then
 * calls geos_ctx_fail(), which is the only place that text reaches a status.
 * Notices (e.g. "Self-intersection at ...") are not errors: they are dropped.
 * See include/geos_ctx.h for the contract.
 */
#include "geos_ctx.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct geos_ctx {
	GEOSContextHandle_t h;
	GEOSWKBReader *wkb_reader;
	GEOSWKBWriter *wkb_writer;
	char msg[512]; /* last GEOS error message, "" if none since the last clear */
};

static void on_error(const char *message, void *userdata)
{
	geos_ctx *g = userdata;
	snprintf(g->msg, sizeof(g->msg), "%s", message ? message : "");
}

static void on_notice(const char *message, void *userdata)
{
	(void)message;
	(void)userdata;
}

geos_ctx *geos_ctx_new(status *st)
{
	geos_ctx *g = calloc(1, sizeof(*g));
	if (!g) {
		status_fail(st, STATUS_INTERNAL, "out of memory");
		return NULL;
	}
	g->h = GEOS_init_r();
	if (!g->h) {
		free(g);
		status_fail(st, STATUS_INTERNAL, "geos: cannot create a context");
		return NULL;
	}
	GEOSContext_setErrorMessageHandler_r(g->h, on_error, g);
	GEOSContext_setNoticeMessageHandler_r(g->h, on_notice, g);
	g->wkb_reader = GEOSWKBReader_create_r(g->h);
	g->wkb_writer = GEOSWKBWriter_create_r(g->h);
	if (!g->wkb_reader || !g->wkb_writer) {
		geos_ctx_fail(g, st, STATUS_INTERNAL, "geos: cannot create a WKB reader/writer");
		geos_ctx_free(g);
		return NULL;
	}
	GEOSWKBWriter_setOutputDimension_r(g->h, g->wkb_writer, 2);
	GEOSWKBWriter_setFlavor_r(g->h, g->wkb_writer, GEOS_WKB_ISO);
	GEOSWKBWriter_setIncludeSRID_r(g->h, g->wkb_writer, 0);
	return g;
}

void geos_ctx_free(geos_ctx *g)
{
	if (!g)
		return;
	if (g->h) {
		if (g->wkb_reader)
			GEOSWKBReader_destroy_r(g->h, g->wkb_reader);
		if (g->wkb_writer)
			GEOSWKBWriter_destroy_r(g->h, g->wkb_writer);
		GEOS_finish_r(g->h);
	}
	free(g);
}

GEOSContextHandle_t geos_ctx_handle(geos_ctx *g)
{
	assert(g && g->h);
	return g->h;
}

GEOSWKBReader *geos_ctx_wkb_reader(geos_ctx *g)
{
	assert(g && g->wkb_reader);
	return g->wkb_reader;
}

GEOSWKBWriter *geos_ctx_wkb_writer(geos_ctx *g)
{
	assert(g && g->wkb_writer);
	return g->wkb_writer;
}

void geos_ctx_clear(geos_ctx *g)
{
	g->msg[0] = '\0';
}

status_code geos_ctx_fail(geos_ctx *g, status *st, status_code code, const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	status_code rc;
	if (g->msg[0])
		rc = status_fail(st, code, "%s: %s", what, g->msg);
	else
		rc = status_fail(st, code, "%s", what);
	g->msg[0] = '\0';
	return rc;
}

GEOSGeometry *geos_ctx_read_wkb(geos_ctx *g, const unsigned char *wkb, size_t size,
                                const char *what, status *st)
{
	geos_ctx_clear(g);
	GEOSGeometry *geom =
	    wkb && size ? GEOSWKBReader_read_r(g->h, g->wkb_reader, wkb, size) : NULL;
	if (!geom)
		geos_ctx_fail(g, st, STATUS_INPUT, "%s: invalid WKB", what);
	return geom;
}

unsigned char *geos_ctx_write_wkb(geos_ctx *g, const GEOSGeometry *geom, size_t *size,
                                  const char *what, status *st)
{
	geos_ctx_clear(g);
	size_t n = 0;
	unsigned char *buf = GEOSWKBWriter_write_r(g->h, g->wkb_writer, geom, &n);
	if (!buf) {
		geos_ctx_fail(g, st, STATUS_INTERNAL, "%s: cannot write WKB", what);
		return NULL;
	}
	unsigned char *out = malloc(n ? n : 1);
	if (!out) {
		GEOSFree_r(g->h, buf);
		status_fail(st, STATUS_INTERNAL, "out of memory");
		return NULL;
	}
	memcpy(out, buf, n);
	GEOSFree_r(g->h, buf);
	*size = n;
	return out;
}

GEOSGeometry *geos_ctx_point(geos_ctx *g, double x, double y, status *st)
{
	geos_ctx_clear(g);
	GEOSGeometry *p = GEOSGeom_createPointFromXY_r(g->h, x, y);
	if (!p)
		geos_ctx_fail(g, st, STATUS_INTERNAL, "geos: cannot create point (%.3f %.3f)", x,
		              y);
	return p;
}
