/*
 * tables.h: the plans' appendix tables (附表), built from a plan read back
 * from its GeoPackage (planfile.h), and printed as text, CSV, Markdown,
 * JSON (jansson) or an Excel workbook (libxlsxwriter).
 *
 * One table per district, one row per street (街道/乡镇) with its number
 * (序号), the communities and villages under it (names, in input order),
 * the stations in the street and the households of its units, and a totals
 * row. Districts and streets come in input order (the order their first
 * unit has in the units layer). A unit belongs to the street it lies in,
 * a station to the street of the `stations` layer.
 *
 *     tables t;
 *     tables_build(&plan, &t, st);
 *     tables_print(&t, &opt, stdout);
 *     tables_free(&t);
 */
#ifndef STATIONPLAN_TABLES_H
#define STATIONPLAN_TABLES_H

#include <stddef.h>
#include <stdio.h>

#include "planfile.h"
#include "status.h"

typedef enum tables_by { TABLES_BY_STREET = 0, TABLES_BY_DISTRICT = 1 } tables_by;

typedef enum tables_format {
	TABLES_TEXT = 0,
	TABLES_CSV = 1,
	TABLES_MD = 2,
	TABLES_JSON = 3,
	TABLES_XLSX = 4
} tables_format;

typedef enum tables_lang { TABLES_ZH = 0, TABLES_EN = 1 } tables_lang;

/* One street of a district (or, for --by district, one district). Strings
 * are owned by the tables. */
typedef struct tables_row {
	char *street;
	char **units; /* names of the communities and villages, input order */
	size_t nunits;
	long stations;
	long households;           /* all households of the street's units */
	long uncovered_households; /* of those, out of reach of every station */
	long first_order;          /* input order of its first unit (sorting) */
} tables_row;

typedef struct tables_district {
	char *district;
	tables_row *rows;
	size_t nrows;
	long stations, households, uncovered_households;
	long first_order;
} tables_district;

typedef struct tables {
	tables_district *districts;
	size_t ndistricts;
	long stations, households, uncovered_households;
	int ascii; /* 1 when every name is ASCII (then English and no BOM by default) */
} tables;

typedef struct tables_options {
	tables_by by;
	tables_format format;
	tables_lang lang;
	int bom; /* 1: a UTF-8 byte-order mark before CSV, text or Markdown */
} tables_options;

/* Build the tables of `p` (which may be freed afterwards: names are copied).
 * Returns STATUS_OK, or STATUS_INTERNAL when out of memory (then `out` is
 * freed). */
status_code tables_build(const planfile *p, tables *out, status *st);

void tables_free(tables *t);

/* Print in opt->format (text, csv, md or json; not xlsx) to `out`. Returns 0,
 * or -1 when out of memory or the JSON cannot be written. */
int tables_print(const tables *t, const tables_options *opt, FILE *out);

/* Write an .xlsx workbook at `path` (the caller renames it into place): one
 * worksheet per district (--by street) or one sheet of districts, each
 * with a title row, a header row, the rows and the totals row. Returns
 * STATUS_OK, or STATUS_INTERNAL with the libxlsxwriter message. */
status_code tables_write_xlsx(const tables *t, const tables_options *opt, const char *path,
                              status *st);

/* The header titles in `lang`: index 0 序号, 1 street, 2 units, 3 stations,
 * 4 households, 5 the totals row label, 6 district. */
const char *tables_title(tables_lang lang, int col, tables_by by);

/* "text", "csv", "md", "json", "xlsx" -> *fmt; returns 0, -1 otherwise. */
int tables_format_parse(const char *s, tables_format *fmt);

/* The format named by the extension of `path` (.txt, .csv, .md, .json,
 * .xlsx); returns 0, or -1 for another extension. */
int tables_format_from_path(const char *path, tables_format *fmt);

#endif
