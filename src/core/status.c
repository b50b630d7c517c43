/*
 * status.c: recording and printing errors, problems and warnings.
 * See include/status.h for the contract.
 */
#include "status.h"
#include "grow.h"
#include "names.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void status_init(status *st)
{
	memset(st, 0, sizeof(*st));
}

void status_free(status *st)
{
	for (size_t i = 0; i < st->nproblems; i++)
		free(st->problems[i].msg);
	free(st->problems);
	st->problems = NULL;
	st->nproblems = st->cap = 0;
}

static void raise_code(status *st, status_code code)
{
	/* INTERNAL > WRITE > INPUT > INCOMPLETE > USAGE: keep the most serious. */
	static const int rank[] = {0, 2, 3, 1, 5, 4};
	if (rank[code] > rank[st->code])
		st->code = code;
}

status_code status_fail(status *st, status_code code, const char *fmt, ...)
{
	if (st->msg[0] == '\0') {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(st->msg, sizeof(st->msg), fmt, ap);
		va_end(ap);
	}
	raise_code(st, code);
	return code;
}

status_code status_problem_add(status *st, status_severity sev, const char *kind, const char *fmt,
                               ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = malloc((size_t)(len > 0 ? len : 0) + 1);
	if (msg) {
		va_start(ap, fmt);
		vsnprintf(msg, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	if (grow_reserve(&st->problems, &st->cap, st->nproblems + 1, sizeof(*st->problems)) != 0) {
		free(msg);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	st->problems[st->nproblems++] = (status_problem){sev, kind, msg};
	if (sev == SEV_ERROR) {
		st->nerrors++;
		raise_code(st, STATUS_INPUT);
		return STATUS_INPUT;
	}
	if (sev == SEV_WARNING)
		st->nwarnings++;
	return STATUS_OK;
}

int status_failed(const status *st)
{
	return st->msg[0] != '\0' || st->nerrors > 0 ||
	       (st->code != STATUS_OK && st->code != STATUS_INCOMPLETE);
}

static const char *sev_name(status_severity s)
{
	return s == SEV_ERROR ? "error" : s == SEV_WARNING ? "warning" : "info";
}

void status_print(const status *st, FILE *out, size_t limit_per_kind)
{
	/* Group by kind in order of first appearance, errors before warnings. */
	for (int sev = SEV_ERROR; sev <= SEV_INFO; sev++) {
		if (sev == SEV_INFO && st->verbose == 0)
			break;
		for (size_t i = 0; i < st->nproblems; i++) {
			const status_problem *p = &st->problems[i];
			if ((int)p->sev != sev)
				continue;
			int first = 1;
			for (size_t j = 0; j < i; j++)
				if ((int)st->problems[j].sev == sev &&
				    strcmp(st->problems[j].kind, p->kind) == 0) {
					first = 0;
					break;
				}
			if (!first)
				continue;
			size_t count = 0;
			for (size_t j = i; j < st->nproblems; j++)
				if ((int)st->problems[j].sev == sev &&
				    strcmp(st->problems[j].kind, p->kind) == 0)
					count++;
			fprintf(out, "%s %s (%zu):\n", p->kind,
			        sev == SEV_ERROR     ? "errors"
			        : sev == SEV_WARNING ? "warnings"
			                             : "notes",
			        count);
			size_t shown = 0;
			for (size_t j = i; j < st->nproblems; j++) {
				const status_problem *q = &st->problems[j];
				if ((int)q->sev != sev || strcmp(q->kind, p->kind) != 0)
					continue;
				if (limit_per_kind && shown == limit_per_kind && st->verbose == 0) {
					fprintf(out, "  ... and %zu more (use -v to list all)\n",
					        count - shown);
					break;
				}
				fprintf(out, "  %s: %s\n", sev_name(q->sev),
				        q->msg ? q->msg : "(out of memory)");
				shown++;
			}
		}
	}
	if (st->msg[0])
		fprintf(out, "stationplan: %s: %s\n",
		        st->code == STATUS_INCOMPLETE ? "warning" : "error", st->msg);
}

void status_note(const status *st, int level, const char *fmt, ...)
{
	if (st->quiet || st->verbose < level)
		return;
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *status_code_name(status_code code)
{
	static const char *const names[] = {
	    [STATUS_OK] = "ok",
	    [STATUS_USAGE] = "usage",
	    [STATUS_INPUT] = "bad input",
	    [STATUS_INCOMPLETE] = "incomplete",
	    [STATUS_INTERNAL] = "internal error",
	    [STATUS_WRITE] = "cannot write",
	};
	return NAMES_GET(names, code);
}
