/*
 * plan_merge.h: joining the shard files of `run --shard K/N` into one plan
 * (`stationplan merge OUT.gpkg SHARD...`). See io/plan_merge.c.
 */
#ifndef STATIONPLAN_PLAN_MERGE_H
#define STATIONPLAN_PLAN_MERGE_H

#include <stddef.h>

#include "status.h"

/* Join the `n` shard GeoPackages into `out` (temporary file + rename, an
 * existing `out` only with `overwrite`). The result equals, layer by layer,
 * the plan of a single run on the same inputs (but for `run`, which holds
 * the whole plan's figures, and the added `run_shards`). Returns STATUS_OK;
 * STATUS_USAGE (no files, `out` exists); STATUS_INPUT naming the file when
 * one is not a shard, the cut differs ("'a' is shard 1/3 by district, 'b'
 * is shard 2/4 by district: not the same cut"), a shard is given twice or
 * missing ("shard 2/3 is missing (2 of 3 files given)"); STATUS_INTERNAL on
 * a GDAL failure. Nothing is left behind on failure. */
status_code plan_merge(const char *out, int overwrite, const char *const *shards, size_t n,
                       status *st);

#endif
