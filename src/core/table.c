/*
 * table_print.c: text, CSV and Markdown rendering of a table of cells. See
 * include/table_print.h.
 *
 * Widths are display widths, not bytes: a district named 西夏区 is three
 * characters, nine bytes and six terminal columns. The width table below is
 * the East Asian Width "W" and "F" ranges of Unicode that matter for
 * Chinese, Japanese and Korean text; it does not depend on the locale, so
 * output is the same under LANG=C and in tests.
 */
#include "table.h"
#include "grow.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int table_init(table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->title = calloc(ncols, sizeof(*t->title));
	t->csv_name = calloc(ncols, sizeof(*t->csv_name));
	t->align = calloc(ncols, sizeof(*t->align));
	if (!t->title || !t->csv_name || !t->align) {
		t->oom = 1;
		return -1;
	}
	return 0;
}

static char *dup_or_oom(table *t, const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		t->oom = 1;
	return d;
}

void table_column(table *t, size_t col, const char *title, const char *csv_name, table_align a)
{
	if (t->oom || col >= t->ncols)
		return;
	free(t->title[col]);
	free(t->csv_name[col]);
	t->title[col] = dup_or_oom(t, title);
	t->csv_name[col] = dup_or_oom(t, csv_name);
	t->align[col] = a;
}

static void add_row(table *t, int rule)
{
	if (t->oom)
		return;
	if (t->nrows == t->cap) {
		size_t cap = grow_cap(t->cap, t->nrows + 1);
		if (grow_to(&t->cells, cap * t->ncols, sizeof(*t->cells)) ||
		    grow_to(&t->is_rule, cap, 1)) {
			t->oom = 1;
			return;
		}
		t->cap = cap;
	}
	memset(t->cells + t->nrows * t->ncols, 0, t->ncols * sizeof(*t->cells));
	t->is_rule[t->nrows++] = (unsigned char)rule;
}

void table_row(table *t)
{
	add_row(t, 0);
}

void table_rule(table *t)
{
	add_row(t, 1);
}

void table_cell(table *t, size_t col, const char *fmt, ...)
{
	if (t->oom || t->nrows == 0 || col >= t->ncols)
		return;
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = malloc((size_t)(len > 0 ? len : 0) + 1);
	if (!s) {
		t->oom = 1;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(s, (size_t)len + 1, fmt, ap);
	va_end(ap);
	char **cell = &t->cells[(t->nrows - 1) * t->ncols + col];
	free(*cell);
	*cell = s;
}

void table_free(table *t)
{
	for (size_t c = 0; c < t->ncols; c++) {
		if (t->title)
			free(t->title[c]);
		if (t->csv_name)
			free(t->csv_name[c]);
	}
	for (size_t i = 0; t->cells && i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	GROW_FREE(t->title, t->csv_name, t->align, t->cells, t->is_rule);
	memset(t, 0, sizeof(*t));
}

/* Decode one UTF-8 sequence at *s; returns the code point, or the byte
 * itself for an invalid sequence, and advances *s. */
static uint32_t utf8_next(const unsigned char **s)
{
	const unsigned char *p = *s;
	uint32_t c = p[0];
	int n = c >= 0xF0 && c < 0xF8 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
	if (c >= 0xF8)
		n = 0;
	if (n) {
		uint32_t cp = c & (0x3Fu >> n);
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80) {
				*s = p + 1;
				return c;
			}
			cp = (cp << 6) | (p[i] & 0x3Fu);
		}
		*s = p + n + 1;
		return cp;
	}
	*s = p + 1;
	return c;
}

static int cp_width(uint32_t c)
{
	static const uint32_t wide[][2] = {
	    {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},   {0x3400, 0x4DBF},
	    {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},   {0xA960, 0xA97F},   {0xAC00, 0xD7A3},
	    {0xF900, 0xFAFF},   {0xFE10, 0xFE19},   {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},
	    {0xFFE0, 0xFFE6},   {0x1F300, 0x1F64F}, {0x1F900, 0x1F9FF}, {0x20000, 0x2FFFD},
	    {0x30000, 0x3FFFD},
	};
	if ((c >= 0x0300 && c <= 0x036F) || (c >= 0x200B && c <= 0x200F) || c == 0xFE0F)
		return 0;
	for (size_t i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		if (c >= wide[i][0] && c <= wide[i][1])
			return 2;
	return 1;
}

size_t table_display_width(const char *s)
{
	size_t w = 0;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	while (*p)
		w += (size_t)cp_width(utf8_next(&p));
	return w;
}

int table_format_parse(const char *s, table_format *fmt)
{
	static const char *names[] = {"text", "csv", "md"};
	for (int i = 0; i < 3; i++) {
		if (!strcmp(s, names[i])) {
			*fmt = (table_format)i;
			return 0;
		}
	}
	return -1;
}

static const char *cell_at(const table *t, size_t row, size_t col)
{
	const char *s = t->cells[row * t->ncols + col];
	return s ? s : "";
}

static void put_padded(FILE *out, const char *s, size_t width, table_align a, int last)
{
	size_t w = table_display_width(s);
	size_t pad = width > w ? width - w : 0;
	if (a == TABLE_RIGHT)
		fprintf(out, "%*s%s", (int)pad, "", s);
	else
		fprintf(out, "%s%*s", s, last ? 0 : (int)pad, "");
}

static int print_text(const table *t, FILE *out)
{
	size_t *width = calloc(t->ncols, sizeof(*width));
	size_t total = 0;
	if (!width)
		return -1;
	for (size_t c = 0; c < t->ncols; c++) {
		width[c] = table_display_width(t->title[c]);
		for (size_t r = 0; r < t->nrows; r++)
			if (!t->is_rule[r] && table_display_width(cell_at(t, r, c)) > width[c])
				width[c] = table_display_width(cell_at(t, r, c));
		total += width[c] + (c ? 2 : 0);
	}
	for (size_t c = 0; c < t->ncols; c++) {
		fputs(c ? "  " : "", out);
		put_padded(out, t->title[c], width[c], t->align[c], c + 1 == t->ncols);
	}
	fputc('\n', out);
	for (size_t i = 0; i < total; i++)
		fputc('-', out);
	fputc('\n', out);
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->is_rule[r]) {
			for (size_t i = 0; i < total; i++)
				fputc('-', out);
		} else {
			for (size_t c = 0; c < t->ncols; c++) {
				fputs(c ? "  " : "", out);
				put_padded(out, cell_at(t, r, c), width[c], t->align[c],
				           c + 1 == t->ncols);
			}
		}
		fputc('\n', out);
	}
	free(width);
	return 0;
}

static void put_csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void print_csv(const table *t, FILE *out)
{
	for (size_t c = 0; c < t->ncols; c++) {
		fputs(c ? "," : "", out);
		put_csv_field(out, t->csv_name[c]);
	}
	fputs("\r\n", out);
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->is_rule[r])
			continue;
		for (size_t c = 0; c < t->ncols; c++) {
			fputs(c ? "," : "", out);
			put_csv_field(out, cell_at(t, r, c));
		}
		fputs("\r\n", out);
	}
}

/* A Markdown cell: pipes escaped, line breaks as spaces. */
static void put_md_field(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '\n' || *s == '\r')
			fputc(' ', out);
		else
			fputc(*s, out);
	}
}

static void print_md(const table *t, FILE *out)
{
	fputc('|', out);
	for (size_t c = 0; c < t->ncols; c++) {
		fputc(' ', out);
		put_md_field(out, t->title[c]);
		fputs(" |", out);
	}
	fputs("\n|", out);
	for (size_t c = 0; c < t->ncols; c++)
		fputs(t->align[c] == TABLE_RIGHT ? " ---: |" : " --- |", out);
	fputc('\n', out);
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->is_rule[r])
			continue;
		fputc('|', out);
		for (size_t c = 0; c < t->ncols; c++) {
			fputc(' ', out);
			put_md_field(out, cell_at(t, r, c));
			fputs(" |", out);
		}
		fputc('\n', out);
	}
}

int table_print(const table *t, table_format fmt, FILE *out)
{
	if (t->oom)
		return -1;
	switch (fmt) {
	case TABLE_TEXT:
		return print_text(t, out);
	case TABLE_CSV:
		print_csv(t, out);
		break;
	case TABLE_MD:
		print_md(t, out);
		break;
	}
	return 0;
}
