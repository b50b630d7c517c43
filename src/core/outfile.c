/*
 * outfile.c: atomic writing of plain output files (see include/outfile.h).
 * Without --overwrite the final move is link(2) + unlink(2), which fails if
 * the target appeared meanwhile; with it, rename(2).
 */
#include "outfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static status_code check_target(const outfile *of, status *st)
{
	struct stat sb;
	if (stat(of->path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return status_fail(st, STATUS_USAGE, "'%s' is a folder, not a file",
			                   of->path);
		if (!of->overwrite)
			return status_fail(st, STATUS_USAGE,
			                   "'%s' exists (use --overwrite to replace it)", of->path);
	}
	return STATUS_OK;
}

status_code outfile_begin(outfile *of, const char *path, int overwrite, status *st)
{
	memset(of, 0, sizeof(*of));
	if (!path || !*path)
		return status_fail(st, STATUS_USAGE, "no output file given");
	if (strlen(path) >= sizeof(of->path))
		return status_fail(st, STATUS_USAGE, "'%s': path too long", path);
	snprintf(of->path, sizeof(of->path), "%s", path);
	of->overwrite = overwrite;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	/* keep the extension: some writers choose the format from it */
	snprintf(of->tmp, sizeof(of->tmp), "%.*s.%s.tmp-%ld%s", dirlen, path, base, (long)getpid(),
	         dot ? dot : "");
	return check_target(of, st);
}

status_code outfile_commit(outfile *of, status *st)
{
	status_code rc = check_target(of, st);
	if (rc == STATUS_OK) {
		if (of->overwrite) {
			if (rename(of->tmp, of->path) != 0)
				rc = status_fail(st, STATUS_INPUT, "'%s': cannot replace: %s",
				                 of->path, strerror(errno));
		} else if (link(of->tmp, of->path) == 0) {
			unlink(of->tmp);
		} else if (errno == EEXIST) {
			rc = status_fail(st, STATUS_USAGE,
			                 "'%s' exists (use --overwrite to replace it)", of->path);
		} else if (rename(of->tmp, of->path) != 0) {
			rc = status_fail(st, STATUS_INPUT, "'%s': cannot create: %s", of->path,
			                 strerror(errno));
		}
	}
	if (rc != STATUS_OK)
		outfile_abort(of);
	return rc;
}

void outfile_abort(outfile *of)
{
	if (of->tmp[0])
		unlink(of->tmp);
}
