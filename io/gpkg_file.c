/*
 * gpkg_file.c: the output file's life: checks, temporary file, publish,
 * and the one way a write fails.
 *
 * The plan is written into a fresh private folder beside the target,
 * `.<name>.tmp-<pid>-XXXXXX/<name>`, made by mkdtemp(3) (mode 0700, a name
 * nobody can predict or pre-create), so no link planted at a guessable
 * temporary name can redirect the write (issue 14 row 6). The file is
 * flushed with fsync, the target is checked again (exists? open in QGIS?
 * one of the run's inputs?), and only then moved onto the target: with
 * --overwrite by rename(2), which replaces a symlink at the target rather
 * than following it; without, by link(2) + unlink(2), which fails if the
 * target appeared meanwhile. Then the private folder is removed.
 *
 * Leftovers of runs that died (kill -9) are removed before each write:
 * entries `.<name>.tmp-<pid>...` beside the target whose pid is no running
 * process (and the old scheme's `.<name>.tmp-<pid>.gpkg`). SIGINT, SIGTERM
 * and SIGHUP during the write remove the temporary file and its folder.
 *
 * Every failure to write (missing or read-only folder, disk full, a failed
 * flush or rename) is STATUS_WRITE, named by the target, never by the
 * hidden temporary file, with the reason in words.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "gpkg_int.h"
#include "io_int.h"

/* The folder part of `path` ("." for a bare name, "/" for "/x"). */
static void path_dir(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(dir, size, ".");
	else if (slash == path)
		snprintf(dir, size, "/");
	else
		snprintf(dir, size, "%.*s", (int)(slash - path), path);
}

/* Why the folder of `path` cannot take a new file, in words, or "" when it
 * can (as far as access(2) tells). */
static void folder_reason(const char *path, char *why, size_t size)
{
	char dir[4096];
	struct stat sb;
	path_dir(path, dir, sizeof(dir));
	why[0] = '\0';
	if (stat(dir, &sb) != 0)
		snprintf(why, size, "the folder '%s' does not exist", dir);
	else if (!S_ISDIR(sb.st_mode))
		snprintf(why, size, "'%s' is not a folder", dir);
	else if (access(dir, W_OK | X_OK) != 0)
		snprintf(why, size,
		         errno == EROFS ? "the folder '%s' is on a read-only file system"
		                        : "the folder '%s' is read-only (no permission to write)",
		         dir);
}

/* The reason for errno `err` on a write into `path`'s folder. */
static void errno_reason(int err, const char *path, char *why, size_t size)
{
	if (err == ENOSPC || err == EDQUOT) {
		snprintf(why, size, "disk full");
		return;
	}
	folder_reason(path, why, size);
	if (!why[0] && err == EROFS)
		snprintf(why, size, "read-only file system");
	if (!why[0])
		snprintf(why, size, "%s", strerror(err));
}

int gpkg_file_reason(const char *path, const char *detail, char *why, size_t size)
{
	char dir[4096];
	struct statvfs vfs;
	path_dir(path, dir, sizeof(dir));
	why[0] = '\0';
	if ((detail && (strstr(detail, "disk is full") || strstr(detail, "No space left"))) ||
	    (statvfs(dir, &vfs) == 0 && vfs.f_bavail == 0))
		snprintf(why, size, "disk full");
	else
		folder_reason(path, why, size);
	return why[0] != '\0';
}

status_code gpkg_file_write_failed(const char *path, const char *detail, status *st)
{
	char why[4300];
	if (!gpkg_file_reason(path, detail, why, sizeof(why)))
		snprintf(why, sizeof(why), "%s", detail && *detail ? detail : "unknown reason");
	return status_fail(st, STATUS_WRITE, "'%s': cannot write the plan: %s", path, why);
}

status_code gpkg_check_target(const char *path, int overwrite, status *st)
{
	static const char *const sidecars[] = {"-wal", "-journal"};
	struct stat sb;
	char side[4096], why[4300];
	status_code rc;

	if (!path || !path[0])
		return status_fail(st, STATUS_USAGE, "no output file given");
	if ((rc = gpkg_target_where(path, st)) != STATUS_OK)
		return rc;
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
	folder_reason(path, why, sizeof(why));
	if (why[0])
		return status_fail(st, STATUS_WRITE, "'%s': cannot write the plan: %s", path, why);
	return STATUS_OK;
}

/* The pid in a leftover's name after the prefix ".<name>.tmp-", or 0. */
static long leftover_pid(const char *entry, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(entry, prefix, n))
		return 0;
	char *end;
	long pid = strtol(entry + n, &end, 10);
	if (pid <= 0 || end == entry + n || (*end && *end != '-' && *end != '.'))
		return 0;
	return pid;
}

/* Remove the leftovers of dead runs for target `path`: by name (the
 * prefix) and pid (no such process). Never follows a link. Best effort. */
static void clean_leftovers(const char *path)
{
	char dir[4096], prefix[512], entry[4400];
	const char *slash = strrchr(path, '/');
	path_dir(path, dir, sizeof(dir));
	snprintf(prefix, sizeof(prefix), ".%s.tmp-", slash ? slash + 1 : path);
	DIR *d = opendir(dir);
	for (struct dirent *e; d && (e = readdir(d));) {
		long pid = leftover_pid(e->d_name, prefix);
		if (!pid || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		struct stat sb;
		snprintf(entry, sizeof(entry), "%s/%s", dir, e->d_name);
		if (lstat(entry, &sb) != 0)
			continue;
		if (!S_ISDIR(sb.st_mode)) {
			unlink(entry);
			continue;
		}
		int fd = open(entry, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
		DIR *sub = fd >= 0 ? fdopendir(fd) : NULL;
		for (struct dirent *f; sub && (f = readdir(sub));)
			if (strcmp(f->d_name, ".") && strcmp(f->d_name, ".."))
				unlinkat(fd, f->d_name, 0);
		if (sub)
			closedir(sub);
		else if (fd >= 0)
			close(fd);
		rmdir(entry);
	}
	if (d)
		closedir(d);
}

status_code gpkg_file_temp_path(const char *path, char *tmp, size_t tmpsize, status *st)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	char folder[4200];
	int n = snprintf(folder, sizeof(folder), "%.*s.%s.tmp-%ld-XXXXXX", dirlen, path, base,
	                 (long)getpid());
	if (n < 0 || (size_t)n >= sizeof(folder) || (size_t)n + strlen(base) + 2 > tmpsize)
		return status_fail(st, STATUS_USAGE, "'%s': path too long", path);
	clean_leftovers(path);
	if (!mkdtemp(folder)) {
		char why[4300];
		errno_reason(errno, path, why, sizeof(why));
		return status_fail(st, STATUS_WRITE, "'%s': cannot write the plan: %s", path, why);
	}
	snprintf(tmp, tmpsize, "%s/%s", folder, base);
	return STATUS_OK;
}

/* The temporary file a signal must remove, and its folder. One write at a
 * time per process is guarded (the most recent one). */
static char guarded[4096], guarded_dir[4096];
static volatile sig_atomic_t guarding;
static struct sigaction old_int, old_term, old_hup;

static struct sigaction *old_action(int sig)
{
	return sig == SIGINT ? &old_int : sig == SIGTERM ? &old_term : &old_hup;
}

/* Async-signal-safe: unlink, rmdir, restore the previous action, re-raise. */
static void on_signal(int sig)
{
	if (guarding) {
		unlink(guarded);
		rmdir(guarded_dir); /* fails harmlessly while a journal is left */
	}
	sigaction(sig, old_action(sig), NULL);
	raise(sig);
}

void gpkg_file_guard(const char *tmp)
{
	struct sigaction sa;
	snprintf(guarded, sizeof(guarded), "%s", tmp);
	path_dir(tmp, guarded_dir, sizeof(guarded_dir));
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

/* 1 when tmp's folder is one of ours: ".<name>.tmp-<pid>-XXXXXX". */
static int temp_folder(const char *tmp, char *dir, size_t size)
{
	char prefix[512];
	const char *slash = strrchr(tmp, '/');
	path_dir(tmp, dir, size);
	const char *dslash = strrchr(dir, '/');
	snprintf(prefix, sizeof(prefix), ".%s.tmp-%ld-", slash ? slash + 1 : tmp, (long)getpid());
	return slash && !strncmp(dslash ? dslash + 1 : dir, prefix, strlen(prefix));
}

void gpkg_file_discard(const char *tmp)
{
	static const char *const sidecars[] = {"", "-journal", "-wal", "-shm"};
	char side[4200], dir[4096];
	for (size_t i = 0; i < sizeof(sidecars) / sizeof(sidecars[0]); i++) {
		snprintf(side, sizeof(side), "%s%s", tmp, sidecars[i]);
		unlink(side);
	}
	if (temp_folder(tmp, dir, sizeof(dir)))
		rmdir(dir);
}

/* fsync a file or folder by name. Returns 0 or -1 with errno set. */
static int sync_path(const char *path, int dir)
{
	int fd = open(path, dir ? O_RDONLY | O_DIRECTORY : O_RDONLY | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

static status_code move_failed(const char *path, status *st)
{
	char why[4300];
	errno_reason(errno, path, why, sizeof(why));
	return status_fail(st, STATUS_WRITE, "'%s': cannot write the plan: %s", path, why);
}

status_code gpkg_file_publish(const char *tmp, const char *path, int overwrite, status *st)
{
	status_code rc;
	char dir[4096], tdir[4096];

	if (sync_path(tmp, 0) != 0)
		return move_failed(path, st);
	/* QGIS may have opened the target while we were writing. */
	if ((rc = gpkg_check_target(path, overwrite, st)) != STATUS_OK)
		return rc;
	if (overwrite) {
		if (rename(tmp, path) != 0)
			return move_failed(path, st);
	} else if (link(tmp, path) == 0) {
		unlink(tmp);
	} else if (errno == EEXIST) {
		return status_fail(st, STATUS_USAGE, "'%s' exists (use --overwrite to replace it)",
		                   path);
	} else if (errno == EPERM || errno == ENOTSUP || errno == ENOSYS) {
		/* No hard links here (e.g. FAT): checked above, rename. */
		if (rename(tmp, path) != 0)
			return move_failed(path, st);
	} else {
		return move_failed(path, st);
	}
	if (temp_folder(tmp, tdir, sizeof(tdir)))
		rmdir(tdir);
	path_dir(path, dir, sizeof(dir));
	sync_path(dir, 1); /* best effort: the file itself is complete */
	return STATUS_OK;
}

status_code gpkg_file_finish(status_code rc, const char *tmp, const char *path, int overwrite,
                             status *st)
{
	if (rc == STATUS_OK)
		rc = gpkg_file_publish(tmp, path, overwrite, st);
	if (rc != STATUS_OK)
		gpkg_file_discard(tmp);
	return rc;
}
