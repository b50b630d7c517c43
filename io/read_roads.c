/*
 * read_roads.c: the street centre lines of input.roads, into the plain
 * line table of inputs.h (in->roads), in the working CRS.
 *
 * Any OGR line layer (LineString or MultiLineString; a MultiLineString is
 * split into its parts). Two optional attribute fields are interpreted
 * here, once, so that the network code never sees text:
 *
 * - input.roads_oneway_field ("oneway"): yes/true/1 = only in the digitised
 *   direction, -1/reverse = only against it, no/false/0/empty/NULL = both.
 *   Any other value (OSM's "reversible", "alternating") is two-way, with one
 *   warning counting them. The field may be absent unless
 *   input.roads_walk_oneway = true asks for it.
 * - input.roads_walkable_field (unset: every line is walkable): with
 *   input.roads_exclude empty the field holds 0/1 (also true/false,
 *   yes/no); otherwise a line whose value is in the comma-separated
 *   roads_exclude list (case-insensitive) is not walkable, e.g.
 *   roads_walkable_field = highway, roads_exclude = motorway,trunk.
 *
 * Lines that are not walkable are kept with walkable = 0 (the network
 * drops them). Every problem names the file, layer, fid and field.
 */
#include "io_int.h"
#include "grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct road_buf {
	size_t nlines, lcap, npts, pcap;
	int oom;
} road_buf;

/* Room for one more line and `npts` more points. */
static int reserve(line_set *ls, road_buf *b, size_t npts)
{
	if (b->nlines + 2 > b->lcap) {
		size_t c = grow_cap(b->lcap, b->nlines + 2);
		if (grow_to(&ls->start, c, sizeof(*ls->start)) ||
		    grow_to(&ls->walkable, c, sizeof(*ls->walkable)) ||
		    grow_to(&ls->oneway, c, sizeof(*ls->oneway)) ||
		    grow_to(&ls->fid, c, sizeof(*ls->fid)))
			return -1;
		b->lcap = c;
	}
	if (b->npts + npts > b->pcap) {
		size_t c = grow_cap(b->pcap, b->npts + npts);
		if (grow_to(&ls->x, c, sizeof(double)) || grow_to(&ls->y, c, sizeof(double)))
			return -1;
		b->pcap = c;
	}
	return 0;
}

/* Append one LineString part; repeated points dropped, fewer than two
 * distinct points skipped (returns 1). -1 out of memory. */
static int add_part(line_set *ls, road_buf *b, OGRGeometryH part, int walkable, int oneway,
                    long long fid)
{
	int np = OGR_G_GetPointCount(part);
	if (reserve(ls, b, (size_t)(np > 0 ? np : 0)) != 0)
		return -1;
	size_t first = b->npts;
	for (int i = 0; i < np; i++) {
		double x = OGR_G_GetX(part, i), y = OGR_G_GetY(part, i);
		if (b->npts > first && ls->x[b->npts - 1] == x && ls->y[b->npts - 1] == y)
			continue;
		ls->x[b->npts] = x;
		ls->y[b->npts] = y;
		b->npts++;
	}
	if (b->npts - first < 2) {
		b->npts = first;
		return 1;
	}
	ls->start[b->nlines] = first;
	ls->walkable[b->nlines] = (unsigned char)walkable;
	ls->oneway[b->nlines] = (signed char)oneway;
	ls->fid[b->nlines] = fid;
	b->nlines++;
	ls->start[b->nlines] = b->npts;
	return 0;
}

/* 1, -1 or 0 for a oneway value; 2 when not recognised. */
static int oneway_value(const char *v)
{
	static const char *const fwd[] = {"yes", "true", "1", "y", "t"};
	static const char *const none[] = {"", "no", "false", "0", "n", "f"};
	for (size_t i = 0; i < sizeof(fwd) / sizeof(fwd[0]); i++)
		if (!strcasecmp(v, fwd[i]))
			return 1;
	for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		if (!strcasecmp(v, none[i]))
			return 0;
	if (!strcmp(v, "-1") || !strcasecmp(v, "reverse"))
		return -1;
	return 2;
}

/* Walkability of a feature: 1, 0, or -1 (bad 0/1 value, problem recorded). */
static int walkable_value(const scenario *sc, OGRFeatureH feat, int field, const char *label,
                          long long fid, status *st)
{
	if (field < 0)
		return 1;
	const char *v =
	    OGR_F_IsFieldSetAndNotNull(feat, field) ? OGR_F_GetFieldAsString(feat, field) : "";
	if (*sc->roads_exclude)
		return !read_list_has(sc->roads_exclude, v, strlen(v));
	if (!strcmp(v, "1") || !strcasecmp(v, "true") || !strcasecmp(v, "yes"))
		return 1;
	if (!strcmp(v, "0") || !strcasecmp(v, "false") || !strcasecmp(v, "no"))
		return 0;
	status_problem_add(st, SEV_ERROR, "roads",
	                   "%s fid %lld: %s = '%s', must be 0 or 1 (or set input.roads_exclude "
	                   "to the excluded values)",
	                   label, fid, sc->roads_walkable_field, v);
	return -1;
}

/* Look up the optional fields; -1 each when unused. Returns -1 after
 * recording a missing field that is required. */
static int find_fields(const scenario *sc, OGRLayerH lyr, const char *label, int *oneway,
                       int *walkable, status *st)
{
	char names[512];
	*oneway = *sc->roads_oneway_field ? read_source_field(lyr, sc->roads_oneway_field) : -1;
	*walkable = -1;
	int bad = 0;
	if (*oneway < 0 && sc->roads_walk_oneway) {
		read_source_fields(lyr, names, sizeof(names));
		status_problem_add(st, SEV_ERROR, "roads",
		                   "%s: no field '%s' (input.roads_oneway_field, needed by "
		                   "input.roads_walk_oneway = true; fields: %s)",
		                   label, sc->roads_oneway_field, names);
		bad = 1;
	}
	if (*sc->roads_walkable_field &&
	    (*walkable = read_source_field(lyr, sc->roads_walkable_field)) < 0) {
		read_source_fields(lyr, names, sizeof(names));
		status_problem_add(st, SEV_ERROR, "roads",
		                   "%s: no field '%s' (input.roads_walkable_field; fields: %s)",
		                   label, sc->roads_walkable_field, names);
		bad = 1;
	}
	return bad ? -1 : 0;
}

typedef struct oneway_odd {
	size_t n;
	long long fid;
	char value[64];
} oneway_odd;

/* One feature: its parts appended, problems recorded. -1 out of memory. */
static int read_feature(const scenario *sc, OGRFeatureH feat, OGRCoordinateTransformationH ct,
                        int fo, int fw, const char *label, line_set *ls, road_buf *b,
                        oneway_odd *odd, status *st)
{
	long long fid = (long long)OGR_F_GetFID(feat);
	OGRGeometryH g = OGR_F_GetGeometryRef(feat);
	OGRwkbGeometryType t = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbNone;
	if (!g || (t != wkbLineString && t != wkbMultiLineString)) {
		status_problem_add(st, SEV_ERROR, "geometry", "%s fid %lld: %s, expected a line",
		                   label, fid, g ? OGRGeometryTypeToName(t) : "no geometry");
		return 0;
	}
	if (OGR_G_IsEmpty(g)) {
		status_problem_add(st, SEV_WARNING, "geometry", "%s fid %lld: empty line, skipped",
		                   label, fid);
		return 0;
	}
	int walk = walkable_value(sc, feat, fw, label, fid, st);
	if (walk < 0)
		return 0;
	int oneway = 0;
	if (fo >= 0 && OGR_F_IsFieldSetAndNotNull(feat, fo)) {
		const char *v = OGR_F_GetFieldAsString(feat, fo);
		oneway = oneway_value(v);
		if (oneway == 2) {
			if (!odd->n++) {
				odd->fid = fid;
				snprintf(odd->value, sizeof(odd->value), "%s", v);
			}
			oneway = 0;
		}
	}
	OGRGeometryH c = OGR_G_Clone(g);
	if (ct && OGR_G_Transform(c, ct) != OGRERR_NONE) {
		status_problem_add(st, SEV_ERROR, "geometry",
		                   "%s fid %lld: cannot be transformed to the working CRS", label,
		                   fid);
		OGR_G_DestroyGeometry(c);
		return 0;
	}
	int nparts = t == wkbLineString ? 1 : OGR_G_GetGeometryCount(c), kept = 0, rc = 0;
	for (int i = 0; i < nparts && rc >= 0; i++) {
		rc = add_part(ls, b, t == wkbLineString ? c : OGR_G_GetGeometryRef(c, i), walk,
		              oneway, fid);
		kept += rc == 0;
	}
	OGR_G_DestroyGeometry(c);
	if (rc < 0)
		return -1;
	if (!kept)
		status_problem_add(st, SEV_WARNING, "geometry",
		                   "%s fid %lld: a line of one point, skipped", label, fid);
	else if (!walk)
		ls->nexcluded += (size_t)kept;
	return 0;
}

void read_roads(const scenario *sc, OGRSpatialReferenceH work, line_set *ls, status *st)
{
	GDALDatasetH ds;
	OGRLayerH lyr;
	char label[1024];
	int fail = 0, fo, fw;
	if (read_source_open("input.roads", sc->roads, sc->roads_layer, sc->roads_open_options, &ds,
	                     &lyr, st) != 0)
		return;
	snprintf(label, sizeof(label), "%s:%s", sc->roads, OGR_L_GetName(lyr));
	free(ls->source);
	ls->source = strdup(label);
	OGRSpatialReferenceH src = read_crs_source(lyr, label, sc->assume_crs, st);
	OGRCoordinateTransformationH ct =
	    src && work ? read_crs_transform(src, work, label, &fail, st) : NULL;
	if (src)
		OSRDestroySpatialReference(src);
	if (!src || fail || !work || find_fields(sc, lyr, label, &fo, &fw, st) != 0) {
		if (ct)
			OCTDestroyCoordinateTransformation(ct);
		GDALClose(ds);
		return;
	}
	road_buf b = {0};
	oneway_odd odd = {0};
	OGRFeatureH feat;
	int rc = 0;
	OGR_L_ResetReading(lyr);
	while (rc == 0 && (feat = OGR_L_GetNextFeature(lyr))) {
		rc = read_feature(sc, feat, ct, fo, fw, label, ls, &b, &odd, st);
		OGR_F_Destroy(feat);
	}
	ls->n = b.nlines;
	if (rc != 0)
		status_fail(st, STATUS_INTERNAL, "out of memory");
	else if (odd.n)
		status_problem_add(
		    st, SEV_WARNING, "roads",
		    "%s: %zu feature(s) with an unknown %s value (first: fid %lld '%s'), "
		    "walked both ways",
		    label, odd.n, sc->roads_oneway_field, odd.fid, odd.value);
	if (rc == 0 && ls->n == ls->nexcluded)
		status_problem_add(st, SEV_ERROR, "roads",
		                   "%s: no walkable line (%zu read, %zu excluded)", label, ls->n,
		                   ls->nexcluded);
	if (ct)
		OCTDestroyCoordinateTransformation(ct);
	GDALClose(ds);
}

void read_roads_free(line_set *ls)
{
	free(ls->start), free(ls->x), free(ls->y), free(ls->walkable), free(ls->oneway);
	free(ls->fid), free(ls->source);
	memset(ls, 0, sizeof(*ls));
}
