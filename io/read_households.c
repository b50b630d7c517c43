/*
 * read_households.c: household counts, from a field or from a CSV table.
 *
 * A count is a whole number >= 0; text that is not a number, a fraction, a
 * negative number or a null is refused with the rule it breaks. The CSV
 * (UTF-8, optional BOM, RFC 4180 quoting) is joined on input.households_key
 * to the units' ids: units without a row are errors, rows without a unit
 * are warnings, both reported as a count with the first few keys, never
 * dropped silently.
 */
#include "io_int.h"
#include "grow.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SHOW_KEYS 5 /* keys listed in a join report */

int read_households_parse(const char *text, long *out, const char **why)
{
	char *end;
	while (text && (*text == ' ' || *text == '\t'))
		text++;
	if (!text || !*text) {
		*why = "must be a whole number >= 0";
		return -2;
	}
	/* decimal only: strtod would also read "0x10" as 16 (issue 14 row 13) */
	size_t digits = strspn(text, "+-0123456789.eE");
	if (text[digits] && text[digits + strspn(text + digits, " \t")]) {
		*why = "must be a whole number >= 0";
		return -1;
	}
	errno = 0;
	double v = strtod(text, &end);
	while (*end == ' ' || *end == '\t')
		end++;
	if (*end || errno || !isfinite(v)) {
		*why = "must be a whole number >= 0";
		return -1;
	}
	if (v < 0) {
		*why = "must be >= 0";
		return -1;
	}
	if (v != floor(v) || v > 2e9) {
		*why = "must be a whole number";
		return -1;
	}
	*out = (long)v;
	return 0;
}

typedef struct csv_row {
	char *key;
	long households;
	int line;
	int used;
} csv_row;

/* Split one CSV record starting at *p into at most `max` fields (written
 * in place, quotes removed). Advances *p past the record. Returns the count. */
static int csv_record(char **p, char **fields, int max)
{
	int n = 0;
	char *s = *p, *w;
	for (;;) {
		char *start = w = s;
		if (*s == '"') {
			s++;
			for (;;) {
				if (*s == '"' && s[1] == '"')
					*w++ = '"', s += 2;
				else if (*s == '"' || !*s)
					break;
				else
					*w++ = *s++;
			}
			if (*s == '"')
				s++;
			while (*s && *s != ',' && *s != '\n' && *s != '\r')
				*w++ = *s++;
		} else {
			while (*s && *s != ',' && *s != '\n' && *s != '\r')
				s++;
			w = s;
		}
		char sep = *s;
		*w = '\0';
		if (n < max)
			fields[n++] = start;
		if (sep == ',') {
			s++;
			continue;
		}
		/* the separator may have been overwritten by the terminator */
		if (sep == '\r' && *++s == '\n')
			s++;
		else if (sep == '\n')
			s++;
		break;
	}
	*p = s;
	return n;
}

static int row_cmp(const void *a, const void *b)
{
	return strcmp(((const csv_row *)a)->key, ((const csv_row *)b)->key);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (buf)
		buf[fread(buf, 1, (size_t)n, f)] = '\0';
	fclose(f);
	return buf;
}

/* Append ", key" to a list of at most SHOW_KEYS keys. */
static void list_key(char *buf, size_t bufsize, size_t count, const char *key)
{
	size_t len = strlen(buf);
	if (count < SHOW_KEYS)
		snprintf(buf + len, bufsize - len, "%s%s", count ? ", " : "", key);
	else if (count == SHOW_KEYS)
		snprintf(buf + len, bufsize - len, ", ...");
}

void read_households_join(const scenario *sc, inputs *in, status *st)
{
	const char *path = sc->households_table;
	char *text = slurp(path);
	if (!text) {
		status_problem_add(st, SEV_ERROR, "file",
		                   "input.households_table = %s: no such file", path);
		return;
	}
	char *p = text;
	if (!strncmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	char *head[256];
	int nhead = csv_record(&p, head, 256), kcol = -1, vcol = -1;
	for (int i = 0; i < nhead; i++) {
		if (!strcmp(head[i], sc->households_key))
			kcol = i;
		if (!strcmp(head[i], sc->households_field))
			vcol = i;
	}
	if (kcol < 0 || vcol < 0) {
		char cols[512] = "";
		for (int i = 0, n = 0; i < nhead && n < (int)sizeof(cols); i++)
			n += snprintf(cols + n, sizeof(cols) - (size_t)n, "%s%s", i ? ", " : "",
			              head[i]);
		status_problem_add(st, SEV_ERROR, "field", "%s: no column '%s' (%s; columns: %s)",
		                   path, kcol < 0 ? sc->households_key : sc->households_field,
		                   kcol < 0 ? "input.households_key" : "input.households_field",
		                   cols);
		free(text);
		return;
	}
	size_t nrows = 0, cap = 0;
	csv_row *rows = NULL;
	for (int line = 2; *p; line++) {
		char *f[256];
		if (*p == '\n' || (*p == '\r' && p[1] == '\n')) { /* blank line */
			p += *p == '\r' ? 2 : 1;
			continue;
		}
		int nf = csv_record(&p, f, 256);
		if (kcol >= nf || vcol >= nf) {
			status_problem_add(st, SEV_ERROR, "join",
			                   "%s line %d: %d column(s), expected %d", path, line, nf,
			                   nhead);
			continue;
		}
		if (!read_utf8_valid(f[kcol]) || !read_utf8_valid(f[vcol])) {
			status_problem_add(st, SEV_ERROR, "encoding",
			                   "%s line %d: not valid UTF-8 (save the table as UTF-8)",
			                   path, line);
			continue;
		}
		long hh;
		const char *why;
		int r = read_households_parse(f[vcol], &hh, &why);
		if (r == -2)
			status_problem_add(st, SEV_ERROR, "households",
			                   "%s line %d (%s %s): %s is empty, %s", path, line,
			                   sc->households_key, f[kcol], sc->households_field, why);
		else if (r < 0)
			status_problem_add(
			    st, SEV_ERROR, "households", "%s line %d (%s %s): %s = '%s', %s", path,
			    line, sc->households_key, f[kcol], sc->households_field, f[vcol], why);
		if (grow_reserve(&rows, &cap, nrows + 1, sizeof(*rows)) != 0)
			break;
		rows[nrows++] = (csv_row){f[kcol], r == 0 ? hh : 0, line, r != 0};
	}
	if (nrows) /* qsort and bsearch take no NULL array, even empty (fuzzing) */
		qsort(rows, nrows, sizeof(*rows), row_cmp);
	for (size_t i = 1; i < nrows; i++)
		if (!strcmp(rows[i].key, rows[i - 1].key))
			status_problem_add(
			    st, SEV_ERROR, "join", "%s line %d: %s '%s' repeats line %d", path,
			    rows[i].line, sc->households_key, rows[i].key, rows[i - 1].line);

	char missing[512] = "", extra[512] = "";
	size_t nmissing = 0, nextra = 0;
	for (size_t u = 0; u < in->nunits; u++) {
		csv_row probe = {.key = in->units[u].id};
		csv_row *hit = in->units[u].id && nrows
		                   ? bsearch(&probe, rows, nrows, sizeof(*rows), row_cmp)
		                   : NULL;
		if (!hit) {
			list_key(missing, sizeof(missing), nmissing++,
			         in->units[u].id ? in->units[u].id : "?");
			continue;
		}
		if (!hit->used)
			in->units[u].households = hit->households;
		hit->used = 1;
		/* a unit id repeated in the layer matches its row once; the
		 * duplicate id itself is reported by the id check */
		if (in->units[u].households < 0)
			in->units[u].households = 0;
	}
	for (size_t i = 0; i < nrows; i++)
		if (!rows[i].used)
			list_key(extra, sizeof(extra), nextra++, rows[i].key);
	if (nmissing)
		status_problem_add(
		    st, SEV_ERROR, "join",
		    "%s: %zu unit(s) of %s have no row with their %s in column '%s': %s", path,
		    nmissing, in->units_source, in->id_field, sc->households_key, missing);
	if (nextra)
		status_problem_add(st, SEV_WARNING, "join",
		                   "%s: %zu row(s) match no unit of %s: %s", path, nextra,
		                   in->units_source, extra);
	free(rows);
	free(text);
}
