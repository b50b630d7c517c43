/*
 * table.h: small tables of text cells printed for a terminal (aligned
 * columns, numbers right-aligned, CJK characters two columns wide), as CSV
 * (RFC 4180) or as a Markdown pipe table. Used by `compare` and by
 * `run --sweep`.
 *
 *     table t;
 *     table_init(&t, 3);
 *     table_column(&t, 0, "district", "district", TABLE_LEFT);
 *     ...
 *     table_row(&t);
 *     table_cell(&t, 0, "%s", name);
 *     ...
 *     table_print(&t, TABLE_TEXT, stdout);
 *     table_free(&t);
 *
 * Out of memory is remembered in the table and reported by table_print(), so
 * building calls need no checks.
 */
#ifndef STATIONPLAN_TABLE_PRINT_H
#define STATIONPLAN_TABLE_PRINT_H

#include <stddef.h>
#include <stdio.h>

typedef enum table_format { TABLE_TEXT = 0, TABLE_CSV = 1, TABLE_MD = 2 } table_format;
typedef enum table_align { TABLE_LEFT = 0, TABLE_RIGHT = 1 } table_align;

typedef struct table {
	size_t ncols;
	char **title;    /* per column, for text and Markdown */
	char **csv_name; /* per column, for the CSV header (snake_case) */
	table_align *align;
	char **cells;           /* nrows * ncols, NULL = empty; a NULL row start marks a rule */
	unsigned char *is_rule; /* per row: 1 = separator line (text only) */
	size_t nrows, cap;
	int oom;
} table;

/* Set up an empty table of `ncols` columns. Returns 0, -1 when out of memory. */
int table_init(table *t, size_t ncols);

/* Name column `col`: `title` for text/Markdown, `csv_name` for the CSV
 * header (both copied). */
void table_column(table *t, size_t col, const char *title, const char *csv_name, table_align a);

/* Append an empty row; later table_cell() calls fill it. */
void table_row(table *t);

/* Append a separator line (drawn as dashes in text, skipped in CSV and
 * Markdown), e.g. above a totals row. */
void table_rule(table *t);

/* Set cell `col` of the last row (printf format; the text is copied). */
void table_cell(table *t, size_t col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Print in `fmt`. Text: a header, a dashed line, the rows, two spaces
 * between columns, no trailing blanks. CSV: CRLF line ends, fields quoted
 * when they hold a comma, quote, CR or LF. Markdown: pipes escaped.
 * Returns 0, or -1 when an earlier call ran out of memory. */
int table_print(const table *t, table_format fmt, FILE *out);

void table_free(table *t);

/* Terminal columns taken by UTF-8 text: East Asian wide and fullwidth
 * characters (CJK ideographs, kana, hangul, fullwidth forms) count 2,
 * combining marks 0, everything else 1 (an invalid byte counts 1). */
size_t table_display_width(const char *s);

/* "text", "csv" or "md" -> *fmt; returns 0, or -1 for anything else. */
int table_format_parse(const char *s, table_format *fmt);

#endif
