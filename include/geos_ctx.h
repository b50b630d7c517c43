/*
 * geos_ctx.h: the one place GEOS messages enter stationplan's status.
 *
 * GEOS is used through its reentrant API only. Each thread that calls GEOS
 * owns one geos_ctx, an opaque handle (GLPK-style: created by
 * geos_ctx_new(), released by geos_ctx_free()): a GEOS context handle whose
 * error handler writes into the context's own buffer (never to stderr),
 * plus a WKB reader and writer.
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

/* One per thread; GEOS keeps a pointer to it for the error handler, which
 * is why it lives behind a pointer and is never copied. */
typedef struct geos_ctx geos_ctx;

/* A new context with its error/notice handlers and WKB reader/writer; the
 * caller frees it with geos_ctx_free(). Returns NULL with STATUS_INTERNAL
 * in `st` when GEOS or memory fails (nothing to free then). */
geos_ctx *geos_ctx_new(status *st);

/* Release the context and everything it holds; NULL is a no-op. */
void geos_ctx_free(geos_ctx *g);

/* The GEOS handle for the _r calls; borrowed, valid until geos_ctx_free(). */
GEOSContextHandle_t geos_ctx_handle(geos_ctx *g);

/* The context's WKB reader and writer (2D ISO, no SRID), for callers that
 * report their own failures; borrowed, valid until geos_ctx_free(). */
GEOSWKBReader *geos_ctx_wkb_reader(geos_ctx *g);
GEOSWKBWriter *geos_ctx_wkb_writer(geos_ctx *g);

/* Forget the last GEOS message (call before a GEOS call whose failure you
 * will report, so an old message is not blamed). */
void geos_ctx_clear(geos_ctx *g);

/* Record a fatal error "<formatted>: <last GEOS message>" (or just the
 * formatted part when GEOS said nothing) and return `code`. This is the only
 * place GEOS messages enter a status. */
status_code geos_ctx_fail(geos_ctx *g, status *st, status_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Parse ISO or extended WKB. Returns a new geometry the caller destroys with
 * GEOSGeom_destroy_r(geos_ctx_handle(g), ...), or NULL with "<what>: invalid WKB: <GEOS
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
