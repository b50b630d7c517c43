/*
 * planmap.h: the map geometries of a plan read back from its GeoPackage,
 * as plain WKB with the attributes a map needs, for the report
 * (src/report/). io/planmap.c reads them with GDAL; the report parses the
 * WKB with GEOS and never calls GDAL.
 */
#ifndef STATIONPLAN_PLANMAP_H
#define STATIONPLAN_PLANMAP_H

#include <stddef.h>

#include "status.h"

/* One feature: its district, station and geometry (ISO WKB, 2D, in the
 * plan's CRS). Everything owned by the planmap. */
typedef struct planmap_shape {
	char *district;  /* "" when null or absent */
	long station_id; /* 0 when absent */
	unsigned char *wkb;
	size_t size;
} planmap_shape;

typedef struct planmap {
	planmap_shape *units; /* `assignments`, one per unit (a split unit once) */
	size_t nunits;
	planmap_shape *areas; /* `service_areas` */
	size_t nareas;
	planmap_shape *uncovered; /* `uncovered` */
	size_t nuncovered;
	planmap_shape *links; /* `links` with a geometry */
	size_t nlinks;
} planmap;

/* Read the map layers of the plan at `path` into `out` (zeroed first).
 * Features without a geometry are skipped. Fails with STATUS_INPUT naming
 * the file and layer ("'<path>': no 'service_areas' layer"), or
 * STATUS_INTERNAL out of memory; then `out` is freed. */
status_code planmap_read(const char *path, planmap *out, status *st);

void planmap_free(planmap *m);

#endif
