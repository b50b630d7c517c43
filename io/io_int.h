/*
 * io_int.h: internal to io/: small helpers shared by the readers and
 * writers. Included only inside io/ and by io's own unit tests
 * (tests/cu_read.c).
 */
#ifndef STATIONPLAN_IO_INT_H
#define STATIONPLAN_IO_INT_H

#include <stddef.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "inputs.h"
#include "scenario.h"
#include "status.h"

#include "gdal_bridge.h"

/* ---- reading inputs (io/read_*.c) ---- */

/* read_source.c: open `path` as a vector source with "K=V,K=V" open
 * options and pick `layer` ("" = the only one). `key` names the scenario key
 * for messages ("input.units"). Records a "file" problem and returns -1 on
 * failure; on success the caller closes *ds with read_source_close(). */
int read_source_open(const char *key, const char *path, const char *layer, const char *open_options,
                     GDALDatasetH *ds, OGRLayerH *lyr, status *st);

/* Close a source opened by read_source_open(), releasing its SQL result
 * layer first when it has one. Safe with ds = NULL. */
void read_source_close(GDALDatasetH ds, OGRLayerH lyr);

/* Index of field `name` in `lyr`, or -1. */
int read_source_field(OGRLayerH lyr, const char *name);

/* "a, b, c": the layer's field names, into buf. */
void read_source_fields(OGRLayerH lyr, char *buf, size_t bufsize);

/* Room to read every feature of `lyr`: its count into *n (0 when GDAL
 * cannot tell) and a zeroed array of *n + 1 elements of `size` bytes
 * (caller frees); reading reset to the first feature. NULL out of memory. */
void *read_source_rows(OGRLayerH lyr, size_t size, GIntBig *n);

/* 1 when `s` is valid UTF-8 (NULL counts as valid). */
int read_utf8_valid(const char *s);

/* read_crs.c: a new CRS from "EPSG:4549", WKT, PROJ text..., with x = east
 * (OAMS_TRADITIONAL_GIS_ORDER); NULL when it does not parse. Caller frees
 * with OSRDestroySpatialReference. */
OGRSpatialReferenceH read_crs_parse(const char *text);

/* The metric EPSG code for data centred at lon/lat: a CGCS2000 3-degree
 * Gauss-Kruger zone (4534-4554) in China, else the UTM zone (326xx/327xx);
 * 0 when lon/lat is not a place (non-finite, |lon| > 360, |lat| > 90). */
int read_crs_auto_epsg(double lon, double lat);

/* The layer's CRS (a clone), else `assume` when set; NULL after recording a
 * "crs" problem. `label` is "path:layer". Caller frees. */
OGRSpatialReferenceH read_crs_source(OGRLayerH lyr, const char *label, const char *assume,
                                     status *st);

/* Choose the working CRS for the units layer per sc->crs and fill in->crs,
 * in->crs_wkt and in->source_crs. Returns the CRS (caller frees), or NULL
 * after recording a "crs" problem. */
OGRSpatialReferenceH read_crs_working(const scenario *sc, OGRLayerH lyr, OGRSpatialReferenceH src,
                                      inputs *in, status *st);

/* A transformation src -> dst, or NULL when they are the same CRS (no
 * transform needed). *fail is set when one was needed but cannot be made
 * (a "crs" problem is recorded). Caller frees with OCTDestroyCoordinateTransformation. */
OGRCoordinateTransformationH read_crs_transform(OGRSpatialReferenceH src, OGRSpatialReferenceH dst,
                                                const char *label, int *fail, status *st);

/* read_geometry.c: turn a feature's geometry (not owned) into a valid
 * Polygon, MultiPolygon or Point in the working CRS. On success returns a
 * new geometry (caller destroys), sets *repaired when MakeValid changed it
 * and *area to its area (0 for points). On failure returns NULL with the
 * reason in `why` ("empty geometry", ...). */
OGRGeometryH read_geometry_prepare(OGRGeometryH g, OGRCoordinateTransformationH ct, int *repaired,
                                   double *area, char *why, size_t whysize);

/* Coordinates beyond any CRS (issue 14 rows 7-8): non-finite, or larger
 * than READ_COORD_LIMIT in absolute value (the Earth's circumference is
 * 4e7 m; degrees are far smaller). Such a value is refused before PROJ,
 * GEOS or any float-to-int conversion sees it. read_coord_absurd() returns
 * 1 with "coordinate x = 1e+60 is out of range (...)" in why, else 0;
 * read_geometry_absurd() does the same for a geometry's envelope. */
#define READ_COORD_LIMIT 1e8
int read_coord_absurd(double x, double y, char *why, size_t whysize);
int read_geometry_absurd(OGRGeometryH g, char *why, size_t whysize);

/* ISO WKB (little-endian) of g into a new buffer; NULL when out of memory. */
unsigned char *read_geometry_wkb(OGRGeometryH g, size_t *size);

/* read_households.c: parse a household count; returns 0 and *out, or -1
 * with the rule broken in `why` ("must be >= 0", ...); -2 for empty text. */
int read_households_parse(const char *text, long *out, const char **why);

/* Join the CSV sc->households_table onto in->units (households < 0 means
 * "not yet known"); records "join", "households" and "encoding" problems. */
void read_households_join(const scenario *sc, inputs *in, status *st);

/* read_kind.c: UNIT_URBAN or UNIT_RURAL for a kind value listed in the
 * comma-separated lists (case-insensitive), or -1. */
int read_kind_map(const char *value, const char *urban_values, const char *rural_values);

/* 1 when the first `len` bytes of `item` equal an item of the
 * comma-separated `list` (items trimmed of blanks, case-insensitive; NULL
 * list: none) (read_kind.c, also read_roads.c). */
int read_list_has(const char *list, const char *item, size_t len);

/* From a name: 社区/居委会 -> urban, 村 -> rural, else -1. */
int read_kind_infer(const char *name);

/* read_units.c: read sc->units into in->units with every check. Returns
 * the working CRS for the other layers (caller frees), NULL if none. */
OGRSpatialReferenceH read_units(const scenario *sc, inputs *in, status *st);

/* read_points.c: open an input layer in the working CRS (see there). */
int read_points_open(const char *key, const char *path, const char *layer, const scenario *sc,
                     OGRSpatialReferenceH work, GDALDatasetH *ds, OGRLayerH *lyr, char *label,
                     size_t labelsize, OGRCoordinateTransformationH *ct, status *st);

/* read_keep.c: input.keep, the stations of an edited plan (in->keep,
 * in->keep_locked) and where its deleted stations were (in->keep_deleted). */
void read_keep(const scenario *sc, OGRSpatialReferenceH work, inputs *in, status *st);

/* read_points.c: the point layer `path` (role "existing"/"candidates") into
 * ps, in the working CRS `work`. */
void read_points(const char *role, const char *path, const char *layer, const scenario *sc,
                 OGRSpatialReferenceH work, point_set *ps, status *st);

/* The comma-separated polygon sources sc->exclude, buffered by
 * sc->exclude_buffer_m, into ps. */
void read_exclude(const scenario *sc, OGRSpatialReferenceH work, poly_set *ps, status *st);

/* read_levels.c: the candidates, parcels and existing facilities of every
 * [level.NAME] into in->levels (see levels.h), in the working CRS `work`.
 * Missing layers and fields are "file" errors naming the level's key. */
void read_levels(const scenario *sc, OGRSpatialReferenceH work, inputs *in, status *st);

/* Release in->levels; safe when none were read. */
void read_levels_free(inputs *in);

/* planfile_levels.c: the upper levels of an open plan (run_levels, each
 * level's layer, flows) into p->levels; none when the plan has no
 * run_levels. STATUS_INPUT naming a layer or field that is missing. */
struct planfile;
status_code planfile_levels_read(GDALDatasetH ds, const char *path, struct planfile *p, status *st);
void planfile_levels_free(struct planfile *p);

/* read_roads.c: the street lines sc->roads into ls, in the working CRS
 * `work` (rules in io/read_roads.c); problems recorded in st. */
void read_roads(const scenario *sc, OGRSpatialReferenceH work, line_set *ls, status *st);
void read_roads_free(line_set *ls);

/* read_fingerprint.c: append the fingerprint of `path` as `role`. Returns
 * -1 when out of memory. */
int read_fingerprint_add(inputs *in, const char *role, const char *path);

/* SHA-256 of a buffer as 64 hex digits + NUL. */
void read_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
