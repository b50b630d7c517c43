/*
 * gdal_bridge.h: the one place GDAL messages and errors enter a status
 * (io/gdal_bridge.c). Public for io/ and for the tools that write GDAL
 * files themselves (tools/mkcity.c); geometry and solver code never call
 * GDAL.
 */
#ifndef STATIONPLAN_GDAL_BRIDGE_H
#define STATIONPLAN_GDAL_BRIDGE_H

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "status.h"

/* Register GDAL drivers once (thread-safe, idempotent) and set the config
 * options stationplan relies on. */
void gdal_bridge_init(void);

/* Route GDAL's messages into a quiet per-thread collector for the span of an
 * io call, instead of GDAL printing them to stderr. Calls nest. */
void gdal_bridge_push(void);
void gdal_bridge_pop(void);

/* After a GDAL call failed: record a fatal error "<formatted>: <GDAL's last
 * message>" (or just the formatted part when GDAL said nothing), reading
 * CPLGetLastErrorMsg() right away, and return `code`. This is the only place
 * GDAL messages enter a status. */
status_code gdal_fail(status *st, status_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* GDAL's last message text ("" if none), valid until the next GDAL call. */
const char *gdal_last_msg(void);

#endif
