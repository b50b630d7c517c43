/*
 * geos_ctx.h: the one place GEOS messages enter stationplan's status.
 *
 * GEOS is used through its reentrant API only. Each thread that calls GEOS
 * owns one geos_ctx: a GEOS context handle whose error handler writes into
 * the struct's own buffer (never to stderr), plus a WKB reader and writer.
 * When a GEOS call fails, geos_ctx_fail() records "<what>: <GEOS message>"
 * in a status. Geometry code includes this header instead of <geos_c.h>.
 */
#ifndef STATIONPLAN_GEOS_CTX_H
#define STATIONPLAN_GEOS_CTX_H

#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include <geos_c.h>

#include <stddef.h>

#include "status.h"

/* One per thread. The struct must not be copied or moved after
 * geos_ctx_init(): GEOS keeps a pointer to it for the error handler. */
typedef struct geos_ctx {
	GEOSContextHandle_t h;
	GEOSWKBReader *wkb_reader;
	GEOSWKBWriter *wkb_writer;
	char msg[512]; /* last GEOS error message, "" if none since the last clear */
} geos_ctx;

/* Create the context, its error/notice handlers and the WKB reader/writer.
 * Returns STATUS_OK, or STATUS_INTERNAL with `st` set (then nothing to free,
 * though geos_ctx_free() is safe). */
status_code geos_ctx_init(geos_ctx *g, status *st);

/* Release everything; safe on a zeroed or failed context. */
void geos_ctx_free(geos_ctx *g);

/* Forget the last GEOS message (call before a GEOS call whose failure you
 * will report, so an old message is not blamed). */
void geos_ctx_clear(geos_ctx *g);

/* Record a fatal error "<formatted>: <last GEOS message>" (or just the
 * formatted part when GEOS said nothing) and return `code`. This is the only
 * place GEOS messages enter a status. */
status_code geos_ctx_fail(geos_ctx *g, status *st, status_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Parse ISO or extended WKB. Returns a new geometry the caller destroys with
 * GEOSGeom_destroy_r(g->h, ...), or NULL with "<what>: invalid WKB: <GEOS
 * message>" recorded in `st` as STATUS_INPUT. */
GEOSGeometry *geos_ctx_read_wkb(geos_ctx *g, const unsigned char *wkb, size_t size,
                                const char *what, status *st);

/* Serialise `geom` as 2D ISO WKB into a malloc'd buffer (caller frees with
 * free()), its length in *size. Returns NULL with STATUS_INTERNAL in `st`. */
unsigned char *geos_ctx_write_wkb(geos_ctx *g, const GEOSGeometry *geom, size_t *size,
                                  const char *what, status *st);

/* A new point geometry (caller destroys), or NULL with STATUS_INTERNAL in `st`. */
GEOSGeometry *geos_ctx_point(geos_ctx *g, double x, double y, status *st);

#endif
