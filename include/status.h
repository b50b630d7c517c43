/*
 * status.h: the one way stationplan fails and reports.
 *
 * A `status` travels through every stage. A stage that cannot go on records
 * one fatal error with status_fail() and returns its code; a stage that finds
 * many problems in the data (validation) records each with status_problem()
 * and goes on, so `stationplan check` can print them all, grouped by kind.
 * Warnings are counted and summarised. Nothing below main() exits or prints
 * errors itself: main prints the status and returns its code as exit status.
 *
 * Library messages are bridged in exactly one place each: GDAL in
 * io/gdal_bridge.c, GEOS in src/geom/geos_ctx.c, GLPK in solver/glpk_bridge.c.
 */
#ifndef STATIONPLAN_STATUS_H
#define STATIONPLAN_STATUS_H

#include <stddef.h>
#include <stdio.h>

/* Exit codes, documented in README.md and `stationplan --help`. */
typedef enum status_code {
	STATUS_OK = 0,         /* done */
	STATUS_USAGE = 1,      /* bad command line */
	STATUS_INPUT = 2,      /* bad input data or scenario */
	STATUS_INCOMPLETE = 3, /* plan written, but demand uncovered or gap not proven */
	STATUS_INTERNAL = 4,   /* library or internal error */
	STATUS_WRITE = 5       /* the output could not be written (missing or read-only folder,
	                          disk full); any earlier file at the target is untouched */
} status_code;

typedef enum status_severity { SEV_ERROR = 0, SEV_WARNING = 1, SEV_INFO = 2 } status_severity;

/* One recorded problem. `kind` groups problems in reports ("households",
 * "geometry", ...); it is a static string owned by the caller's code. */
typedef struct status_problem {
	status_severity sev;
	const char *kind;
	char *msg; /* owned by the status */
} status_problem;

typedef struct status {
	status_code code; /* worst code recorded so far (0 = ok) */
	char msg[1024];   /* message of the first fatal error, "" if none */
	status_problem *problems;
	size_t nproblems, cap;
	size_t nerrors, nwarnings;
	int verbose; /* -v count */
	int quiet;   /* -q */
} status;

/* Set up an empty status; status_free() releases the problem list. */
void status_init(status *st);
void status_free(status *st);

/* Record a fatal error (kept only if none was recorded before, so the first
 * cause wins) and return `code`, so callers can write
 *     return status_fail(st, STATUS_INPUT, "%s: no such file", path);
 * Messages are lower-case, name the subject in quotes, no final full stop. */
status_code status_fail(status *st, status_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Record a data problem and go on. An error raises st->code to STATUS_INPUT;
 * a warning or info only counts. Returns the severity's status code. */
status_code status_problem_add(status *st, status_severity sev, const char *kind, const char *fmt,
                               ...) __attribute__((format(printf, 4, 5)));

/* True when a fatal error or an error-severity problem was recorded. */
int status_failed(const status *st);

/* Print every error and warning grouped by kind (infos only with -v), at
 * most `limit_per_kind` lines per kind (0 = all), then the fatal message.
 * Lines look like "stationplan: error: ...". */
void status_print(const status *st, FILE *out, size_t limit_per_kind);

/* Informational line on stderr unless quiet; with level > 0 only when
 * st->verbose >= level. */
void status_note(const status *st, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Human name of a code: "ok", "usage", "bad input", ... */
const char *status_code_name(status_code code);

#endif
