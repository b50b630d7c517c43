/*
 * sources.h: the files a run reads, which no output may be.
 *
 * A source list holds (role, path) pairs: the scenario file, every source
 * key of the scenario (units, households_table, existing, candidates, each
 * exclude item, and any key added later with type K_PATH or K_PATHS outside
 * [output]), and whatever a feature appends with sources_add() (e.g. the
 * plans `compare` reads). sources_check_output() compares a target with
 * every entry by device and inode, so a symlink, a hard link, `..` or a
 * different spelling of the same file is caught.
 */
#ifndef STATIONPLAN_SOURCES_H
#define STATIONPLAN_SOURCES_H

#include <stddef.h>

#include "scenario.h"
#include "status.h"

typedef struct source_entry {
	char *role; /* "units", "scenario", "exclude", ... */
	char *path;
} source_entry;

typedef struct sources {
	size_t n, cap;
	source_entry *e;
} sources;

/* Append a copy of (role, path). Empty paths are ignored. Returns 0, or -1
 * out of memory. */
int sources_add(sources *s, const char *role, const char *path);

/* Append the scenario file (when it has one) and every source key's value,
 * each item of a comma-separated list on its own. Returns 0 or -1 (OOM). */
int sources_add_scenario(sources *s, const scenario *sc);

/* STATUS_INPUT "'<target>' is the units input 'u.gpkg' (the same file);
 * a plan may never replace one of its inputs" when the target exists and
 * is the same file (device and inode, symlinks followed) as an entry;
 * STATUS_OK otherwise (connection strings and missing files never match). */
status_code sources_check_output(const sources *s, const char *target, status *st);

/* Release the entries; the struct may be reused (zeroed). */
void sources_free(sources *s);

#endif
