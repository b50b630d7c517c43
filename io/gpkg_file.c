/*
 * gpkg_file.c: the output file's life: checks, temporary name, publish.
 *
 * The plan is written to `.<name>.tmp-<pid>.gpkg` in the target's folder
 * (same file system, so rename(2) is atomic), flushed with fsync, and only
 * then moved onto the target. Without --overwrite the move is link(2) +
 * unlink(2): link fails if the target appeared meanwhile, so a file created
 * by someone else during the run is never replaced. A target with a -wal or
 * -journal file beside it is open in another program (QGIS keeps one while
 * editing) and is refused. A signal (SIGINT, SIGTERM, SIGHUP) during the
 * write removes the temporary file before the process ends; kill -9 cannot
 * be caught, and may leave a `.<name>.tmp-<pid>.gpkg` behind, never a
 * half-written target.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gpkg_int.h"

status_code gpkg_check_target(const char *path, int overwrite, status *st)
{
	static const char *const sidecars[] = {"-wal", "-journal"};
	struct stat sb;
	char side[4096];

	if (!path || !path[0])
		return status_fail(st, STATUS_USAGE, "no output file given");
	for (size_t i = 0; i < sizeof(sidecars) / sizeof(sidecars[0]); i++) {
		snprintf(side, sizeof(side), "%s%s", path, sidecars[i]);
		if (lstat(side, &sb) == 0)
			return status_fail(st, STATUS_INPUT,
			                   "'%s' is open in another program (found '%s'); close it "
			                   "in QGIS first",
			                   path, side);
	}
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return status_fail(st, STATUS_USAGE, "'%s' is a folder, not a file", path);
		if (!overwrite)
			return status_fail(st, STATUS_USAGE,
			                   "'%s' exists (use --overwrite to replace it)", path);
	}
	return STATUS_OK;
}

status_code gpkg_file_temp_path(const char *path, char *tmp, size_t tmpsize, status *st)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	int n = snprintf(tmp, tmpsize, "%.*s.%s.tmp-%ld.gpkg", dirlen, path, base, (long)getpid());
	if (n < 0 || (size_t)n >= tmpsize)
		return status_fail(st, STATUS_USAGE, "'%s': path too long", path);
	return STATUS_OK;
}

/* The temporary file a signal must remove. One write at a time per process
 * is guarded (the most recent one). */
static char guarded[4096];
static volatile sig_atomic_t guarding;
static struct sigaction old_int, old_term, old_hup;

static struct sigaction *old_action(int sig)
{
	return sig == SIGINT ? &old_int : sig == SIGTERM ? &old_term : &old_hup;
}

/* Async-signal-safe: unlink, restore the previous action, re-raise. */
static void on_signal(int sig)
{
	if (guarding)
		unlink(guarded);
	sigaction(sig, old_action(sig), NULL);
	raise(sig);
}

void gpkg_file_guard(const char *tmp)
{
	struct sigaction sa;
	snprintf(guarded, sizeof(guarded), "%s", tmp);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	guarding = 1;
}

void gpkg_file_unguard(void)
{
	guarding = 0;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
}

void gpkg_file_discard(const char *tmp)
{
	static const char *const sidecars[] = {"", "-journal", "-wal", "-shm"};
	char side[4200];
	for (size_t i = 0; i < sizeof(sidecars) / sizeof(sidecars[0]); i++) {
		snprintf(side, sizeof(side), "%s%s", tmp, sidecars[i]);
		unlink(side);
	}
}

/* fsync a file or folder by name. Returns 0 or -1 with errno set. */
static int sync_path(const char *path, int dir)
{
	int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

status_code gpkg_file_publish(const char *tmp, const char *path, int overwrite, status *st)
{
	status_code rc;
	char dir[4096];
	const char *slash = strrchr(path, '/');

	if (sync_path(tmp, 0) != 0)
		return status_fail(st, STATUS_INPUT, "'%s': cannot flush to disk: %s", tmp,
		                   strerror(errno));
	/* QGIS may have opened the target while we were writing. */
	if ((rc = gpkg_check_target(path, overwrite, st)) != STATUS_OK)
		return rc;
	if (overwrite) {
		if (rename(tmp, path) != 0)
			return status_fail(st, STATUS_INPUT, "'%s': cannot replace: %s", path,
			                   strerror(errno));
	} else if (link(tmp, path) == 0) {
		unlink(tmp);
	} else if (errno == EEXIST) {
		return status_fail(st, STATUS_USAGE, "'%s' exists (use --overwrite to replace it)",
		                   path);
	} else if (errno == EPERM || errno == ENOTSUP || errno == ENOSYS) {
		/* No hard links here (e.g. FAT): checked above, rename. */
		if (rename(tmp, path) != 0)
			return status_fail(st, STATUS_INPUT, "'%s': cannot create: %s", path,
			                   strerror(errno));
	} else {
		return status_fail(st, STATUS_INPUT, "'%s': cannot create: %s", path,
		                   strerror(errno));
	}
	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1, slash ? path : ".");
	sync_path(dir, 1); /* best effort: the file itself is complete */
	return STATUS_OK;
}
