/*
 * outfile.h: writing a file that is not a GeoPackage (a table, a workbook,
 * a report) atomically: to a temporary name in the target's folder, then
 * renamed into place, so a reader never sees half a file and a failed run
 * leaves the old file untouched.
 *
 *     outfile of;
 *     if (outfile_begin(&of, path, overwrite, st)) return st->code;
 *     ... write of.tmp (fopen, or a library writing by path) ...
 *     rc = outfile_commit(&of, st);   (or outfile_abort(&of) on failure)
 */
#ifndef STATIONPLAN_OUTFILE_H
#define STATIONPLAN_OUTFILE_H

#include "status.h"

typedef struct outfile {
	char path[4096]; /* the target */
	char tmp[4200];  /* ".<name>.tmp-<pid>" beside it */
	int overwrite;
} outfile;

/* Check the target (exists without `overwrite`: STATUS_USAGE "'<path>'
 * exists (use --overwrite to replace it)"; a folder: STATUS_USAGE) and name
 * the temporary file. Returns STATUS_OK or the failure with `st` set. */
status_code outfile_begin(outfile *of, const char *path, int overwrite, status *st);

/* Move the temporary file onto the target (re-checking it first). Returns
 * STATUS_OK, or STATUS_INPUT/STATUS_USAGE with the temporary file removed. */
status_code outfile_commit(outfile *of, status *st);

/* Remove the temporary file (after a failed write). */
void outfile_abort(outfile *of);

#endif
