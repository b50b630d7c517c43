/*
 * gpkg_int.h: internal to the GeoPackage writer (io/gpkg_*.c).
 *
 * gpkg_write_plan() (gpkg_write.c) opens a temporary GeoPackage and fills a
 * gpkg_writer; each io/gpkg_<concept>.c adds its layers through it:
 *
 *   gpkg_file.c     the target's safety checks, temporary name, signals,
 *                   fsync and the atomic publish by rename(2)
 *   gpkg_table.c    creating a layer from a field table, writing a feature
 *   gpkg_layers.c   stations, service_areas, assignments, links, uncovered
 *   gpkg_summary.c  summary_district, summary_street
 *   gpkg_run.c      run, run_subproblems
 *   gpkg_styles.c   the QGIS styles in layer_styles
 *
 * Every layer's features are written inside one transaction. Every order is
 * deterministic (plan order, or sorted by name with strcmp) so the same
 * inputs give the same bytes.
 */
#ifndef STATIONPLAN_GPKG_INT_H
#define STATIONPLAN_GPKG_INT_H

#include <stddef.h>
#include <stdio.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "gpkg.h"

/* Radius of the circle standing for a point unit in the polygon layers
 * (assignments, service_areas, uncovered), in working-CRS metres. Such rows
 * have point_unit = 1. QGIS draws one geometry type per layer, so a layer
 * mixing points and polygons would lose one of them. */
#define GPKG_POINT_UNIT_RADIUS_M 50.0

/* The state of one write. Tables are borrowed from the caller. */
typedef struct gpkg_writer {
	GDALDatasetH ds;
	const char *path; /* the target as the user named it, for messages */
	const scenario *sc;
	const inputs *in;
	const site_table *sites;
	const reach *r;
	const plan *p;
	const run_info *ri;
	int timings;                     /* 1: write wall-clock seconds (not reproducible) */
	OGRSpatialReferenceH srs;        /* CRS of every layer */
	OGRCoordinateTransformationH ct; /* working -> output CRS, NULL when the same */
	char crs_name[128];              /* "EPSG:4549" */
	const char **station_district;   /* per station: its district ("" if none), borrowed */
	const char **station_street;
	status *st;
} gpkg_writer;

/* One field of a layer. `sub` is OFSTNone or OFSTBoolean. */
typedef struct gpkg_field {
	const char *name;
	OGRFieldType type;
	OGRFieldSubType sub;
} gpkg_field;

/* gpkg_table.c */
/* A layer as data: what gpkg_table_create() takes, one static descriptor
 * per layer (GPKG_FIELDS fills the last two members from a field array). */
typedef struct gpkg_layer_def {
	const char *name;
	OGRwkbGeometryType gtype;
	const char *title;
	const char *description;
	const gpkg_field *fields;
	size_t nfields;
} gpkg_layer_def;

#define GPKG_FIELDS(a) (a), sizeof(a) / sizeof((a)[0])

/* The rows of one layer as they are written, inside its transaction:
 *
 *     gpkg_rows t;
 *     if (gpkg_rows_open(&t, w, &def) != STATUS_OK)
 *             return t.rc;
 *     for (... && t.rc == STATUS_OK; ...) {
 *             OGRFeatureH f = gpkg_rows_new(&t);
 *             OGR_F_SetField...(f, ...);
 *             gpkg_rows_put(&t, f, geometry_or_NULL);
 *     }
 *     return gpkg_rows_close(&t);
 *
 * t.rc holds the first failure (w->st set); rows are numbered from 1 in the
 * order they are put, for messages. */
typedef struct gpkg_rows {
	gpkg_writer *w;
	OGRLayerH layer;
	const char *name;
	long long row; /* rows put so far */
	status_code rc;
} gpkg_rows;

/* Create layer `name` (geometry column "geom", R-tree spatial index unless
 * `gtype` is wkbNone, in which case it is registered as an attributes table)
 * with gpkg_contents identifier `title` and description `description`, and
 * the fields of `fields` in that order, so field i is index i. Returns the
 * layer, or NULL with w->st set. */
OGRLayerH gpkg_table_create(gpkg_writer *w, const char *name, OGRwkbGeometryType gtype,
                            const char *title, const char *description, const gpkg_field *fields,
                            size_t nfields);

/* Start / commit the transaction holding a layer's features. Return
 * STATUS_OK or STATUS_INTERNAL with w->st set naming `layer`. */
status_code gpkg_table_begin(gpkg_writer *w, const char *layer);
status_code gpkg_table_commit(gpkg_writer *w, const char *layer);

/* gpkg_table_create() then gpkg_table_begin(): *layer open for rows.
 * Returns STATUS_OK, or the failure with w->st set (*layer NULL). */
status_code gpkg_table_open(gpkg_writer *w, OGRLayerH *layer, const char *name,
                            OGRwkbGeometryType gtype, const char *title, const char *description,
                            const gpkg_field *fields, size_t nfields);

/* gpkg_table_open() of the layer `def` describes (def->name borrowed for
 * the life of t). Returns t->rc: STATUS_OK, or the failure with w->st set. */
status_code gpkg_rows_open(gpkg_rows *t, gpkg_writer *w, const gpkg_layer_def *def);

/* A new empty feature of t's layer; the caller hands it to gpkg_rows_put(). */
OGRFeatureH gpkg_rows_new(const gpkg_rows *t);

/* Write `f` as the next row with geometry `g` (working CRS, taken; NULL:
 * none), as gpkg_table_write_geometry(), then destroy `f`. Returns t->rc,
 * the first failure kept there. */
status_code gpkg_rows_put(gpkg_rows *t, OGRFeatureH f, OGRGeometryH g);

/* Commit the rows when t->rc is STATUS_OK. Returns t->rc or the commit's
 * failure. */
status_code gpkg_rows_close(gpkg_rows *t);

/* Write feature `f` (owned by the caller) into `layer`. Returns STATUS_OK,
 * or STATUS_INTERNAL with w->st set naming the layer and row. */
status_code gpkg_table_write(gpkg_writer *w, OGRLayerH layer, OGRFeatureH f, long long row);

/* gpkg_table_write() with geometry `g` (working CRS; taken, destroyed on
 * failure; NULL: a row without geometry) moved into the output CRS and set
 * on `f` first. Returns STATUS_OK, or STATUS_INTERNAL with w->st set
 * naming the layer. */
status_code gpkg_table_write_geometry(gpkg_writer *w, OGRLayerH layer, OGRFeatureH f,
                                      OGRGeometryH g, long long row);

/* Unit `u`'s geometry as a MultiPolygon (a point unit is buffered by
 * GPKG_POINT_UNIT_RADIUS_M first), in the output CRS when `to_output`, else
 * in the working CRS. Returns a new geometry the caller destroys, or NULL
 * with w->st set. */
OGRGeometryH gpkg_unit_geometry(gpkg_writer *w, size_t u, int to_output);

/* 1 if unit `u` is a point (shown as a circle in polygon layers). */
int gpkg_unit_is_point(const gpkg_writer *w, size_t u);

/* Transform `g` (working CRS, owned by the caller) into the output CRS in
 * place. Returns STATUS_OK or STATUS_INTERNAL with w->st set. */
status_code gpkg_to_output_crs(gpkg_writer *w, OGRGeometryH g, const char *layer);

/* Add the parts of unit u's geometry (working CRS) to the collection `all`.
 * Returns STATUS_OK, or the failure of gpkg_unit_geometry() with w->st set
 * (`all` unchanged, still the caller's). */
status_code gpkg_collect_unit(gpkg_writer *w, OGRGeometryH all, size_t u);

/* The union of the collection `all` (taken and destroyed) as a multipolygon
 * in the output CRS, owned by the caller; NULL with w->st set when the union
 * fails ("'<path>': layer '<layer>': <what> failed") or the transform does. */
OGRGeometryH gpkg_union_output(gpkg_writer *w, OGRGeometryH all, const char *layer,
                               const char *what);

/* gpkg_write.c: w->srs (and w->ct) from the working CRS of w->in and the
 * scenario's output_crs. Returns STATUS_OK, or STATUS_INPUT naming a bad
 * output_crs; the caller destroys w->srs and w->ct. */
status_code gpkg_setup_crs(gpkg_writer *w);

/* gpkg_layers.c: each returns STATUS_OK or the first failure with w->st set. */
status_code gpkg_write_stations(gpkg_writer *w);
status_code gpkg_write_service_areas(gpkg_writer *w);
status_code gpkg_write_assignments(gpkg_writer *w);
status_code gpkg_write_links(gpkg_writer *w);
status_code gpkg_write_uncovered(gpkg_writer *w);

/* gpkg_districts.c: `districts`, the union of each district's units. */
status_code gpkg_write_districts(gpkg_writer *w);

/* gpkg_summary.c */
status_code gpkg_write_summaries(gpkg_writer *w);

/* The order of the rows of summary_district / summary_street: by district,
 * then street (strcmp); < 0, 0 or > 0 as (district_a, street_a) sorts
 * before, with or after (district_b, street_b). A merged plan's summaries
 * (plan_merge_tables.c) group and sort by it too, so they match. */
int gpkg_summary_order(const char *district_a, const char *street_a, const char *district_b,
                       const char *street_b);

/* gpkg_phases.c: summary_phase and summary_phase_district, when the plan
 * has phases (a no-op otherwise). */
status_code gpkg_write_phases(gpkg_writer *w);

/* gpkg_run.c: `run` (one row) and `run_subproblems` (one row per plan_sub). */
status_code gpkg_write_run(gpkg_writer *w);

/* Whether wall-clock timings go into the file: ri->timings, or the scenario
 * key output.timings set to true/yes/on/1. */
int gpkg_run_timings_wanted(const scenario *sc, const run_info *ri);

/* The run record's `parameters` text of `sc` (every key after defaults and
 * --set, the level keys, the [phases] entries), malloc'd (caller frees);
 * NULL out of memory. Also what merge compares with a shard's record. */
char *gpkg_run_parameters(const scenario *sc);

/* gpkg_levels.c: the layers of the upper levels (one per level, parcels_used,
 * flows, unplaced, run_levels) when w->ri->levels has any. */
status_code gpkg_write_levels(gpkg_writer *w);

/* gpkg_shard.c: the shard_* tables of a sharded run (ri->shard), which
 * `stationplan merge` reads; nothing without a shard. */
status_code gpkg_write_shard(gpkg_writer *w);

/* gpkg_styles.c: layer_styles with one default QML style per map layer. */
status_code gpkg_write_styles(gpkg_writer *w);

/* The QML of the plan's style for `layer` (malloc'd), or NULL when the
 * layer has no style or out of memory. For the QGIS project. */
char *gpkg_styles_qml(const gpkg_writer *w, const char *layer);

/* The first line of every QGIS document the writer makes (QML, project). */
#define GPKG_QGIS_DOCTYPE "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"

/* A stream into memory that starts a QGIS document: GPKG_QGIS_DOCTYPE
 * written. As open_memstream(buf, len): after fclose the caller owns *buf.
 * NULL out of memory. */
FILE *gpkg_qgis_open(char **buf, size_t *len);

/* gpkg_project.c: the QGIS project stored in the GeoPackage (qgis_projects). */
status_code gpkg_write_project(gpkg_writer *w);

/* One default style row: QGIS finds it by table name and geometry column
 * 'geom' with useAsDefault = 1. Strings are borrowed. */
typedef struct gpkg_style {
	const char *layer;
	const char *description;
	char *qml;
} gpkg_style;

/* Create `layer_styles` (a registered attributes table, described by
 * `description`) holding `rows`, with fixed timestamps so the bytes are
 * reproducible. Used by the plan writer and by compare's diff writer. */
status_code gpkg_styles_write_rows(gpkg_writer *w, const char *description, const gpkg_style *rows,
                                   size_t n);
/* The same with a styleName per row (names[i], NULL: the layer name) and
 * rows that are alternatives, not loaded by default (alt[i] = 1); names and
 * alt may be NULL. */
status_code gpkg_styles_write_named(gpkg_writer *w, const char *description, const gpkg_style *rows,
                                    const char *const *names, const int *alt, size_t n);

/* gpkg_levels.c: the style rows of the levels' layers into rows[0..max),
 * each qml malloc'd (caller frees). Returns the count, 0 without levels,
 * (size_t)-1 out of memory (then nothing is left to free). */
#define GPKG_LEVELS_MAX_STYLES 9
size_t gpkg_levels_styles(const gpkg_writer *w, gpkg_style *rows, size_t max);

/* gpkg_file.c: see there. `tmp` receives the temporary path. */
status_code gpkg_file_temp_path(const char *path, char *tmp, size_t tmpsize, status *st);
void gpkg_file_guard(const char *tmp); /* remove `tmp` if a signal ends the process */
void gpkg_file_unguard(void);
void gpkg_file_discard(const char *tmp); /* remove tmp and its -journal/-wal/-shm */
status_code gpkg_file_publish(const char *tmp, const char *path, int overwrite, status *st);
/* The end of a write into `tmp` that ran with status `rc`: when rc is
 * STATUS_OK, gpkg_file_publish(); on any failure (rc, or the publish's)
 * gpkg_file_discard(tmp). Returns rc, or the publish's failure. */
status_code gpkg_file_finish(status_code rc, const char *tmp, const char *path, int overwrite,
                             status *st);
/* STATUS_WRITE "'<path>': cannot write the plan: <reason>" after a failed
 * GDAL write: disk full (from `detail`, GDAL's message, or the free space),
 * a missing or read-only folder, else `detail` itself. */
status_code gpkg_file_write_failed(const char *path, const char *detail, status *st);
/* 1 with the reason in `why` when the file system explains a failed write
 * into `path`'s folder (disk full, folder missing or read-only), else 0. */
int gpkg_file_reason(const char *path, const char *detail, char *why, size_t size);

#endif
