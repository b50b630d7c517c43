/*
 * plan_output.c: the one dispatch from an output name to its writer
 * (include/plan_output.h).
 */
#include "plan_output.h"

#include <string.h>

status_code plan_output_check(const char *target, const scenario *sc, int overwrite, status *st)
{
	/* the format of a file target (extension or -of) is gpkg_target_format()'s,
	 * checked by the commands before this */
	if (pg_target_is_pg(target))
		return pg_check_target(target, sc, overwrite, st);
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
