/*
 * plan_output.c: the one dispatch from an output name to its writer
 * (include/plan_output.h).
 */
#include "plan_output.h"

#include <string.h>
#include <strings.h>

/* Formats that hold one layer: a plan (stations, service_areas,
 * assignments, links, uncovered, summaries, run, styles) does not fit. */
static const char *single_layer_format(const char *target)
{
	static const char *const ext[][2] = {
	    {".fgb", "FlatGeobuf"},  {".geojson", "GeoJSON"}, {".json", "GeoJSON"},
	    {".shp", "a Shapefile"}, {".csv", "CSV"},         {".kml", "KML"},
	};
	size_t n = strlen(target);
	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		size_t e = strlen(ext[i][0]);
		if (n > e && !strcasecmp(target + n - e, ext[i][0]))
			return ext[i][1];
	}
	return NULL;
}

status_code plan_output_check(const char *target, const scenario *sc, int overwrite, status *st)
{
	const char *one = target ? single_layer_format(target) : NULL;
	if (pg_target_is_pg(target))
		return pg_check_target(target, sc, overwrite, st);
	if (one)
		return status_fail(st, STATUS_USAGE,
		                   "'%s': %s holds one layer and a plan has several (stations, "
		                   "service_areas, assignments, links, uncovered, summaries, run): "
		                   "write a GeoPackage (.gpkg) or PostGIS (PG:...), then export a "
		                   "layer with ogr2ogr",
		                   target, one);
	return gpkg_check_target(target, overwrite, st);
}

status_code plan_output_write(const char *target, int overwrite, const scenario *sc,
                              const inputs *in, const site_table *sites, const reach *r,
                              const plan *p, const run_info *ri, status *st)
{
	if (pg_target_is_pg(target))
		return pg_write_plan(target, overwrite, sc, in, sites, r, p, ri, st);
	status_code rc = plan_output_check(target, sc, overwrite, st);
	if (rc != STATUS_OK)
		return rc;
	return gpkg_write_plan(target, overwrite, sc, in, sites, r, p, ri, st);
}
