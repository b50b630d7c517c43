/*
 * read_units.c: the communities and villages, one feature at a time.
 *
 * Opens input.units, checks the fields the scenario names, settles the
 * source and working CRS, then reads every feature into a `unit`: id,
 * name, district, street (text, checked to be UTF-8 after GDAL's recoding),
 * households (from the field unless a CSV supplies them), kind (field or
 * name) and geometry (read_geometry.c). Every problem names the feature as
 * "file:layer fid N (id_field value)" and reading goes on, so one pass
 * reports everything wrong with the layer.
 */
#include "io_int.h"
#include "grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct unit_fields {
	int id, name, district, street, households, kind, admin;
} unit_fields;

/* Find the fields; a required one missing is a "field" problem. */
static int find_fields(const scenario *sc, OGRLayerH lyr, const char *label, unit_fields *f,
                       status *st)
{
	char names[1024];
	int bad = 0;
	read_source_fields(lyr, names, sizeof(names));
	f->id = read_source_field(lyr, sc->id_field);
	f->name = read_source_field(lyr, sc->name_field);
	f->district = read_source_field(lyr, sc->district_field);
	f->street = read_source_field(lyr, sc->street_field);
	f->kind = read_source_field(lyr, sc->kind_field);
	f->households = *sc->households_table ? -1 : read_source_field(lyr, sc->households_field);
	if (f->id < 0) {
		status_problem_add(st, SEV_ERROR, "field",
		                   "%s: no field '%s' (input.id_field; fields: %s)", label,
		                   sc->id_field, names);
		bad = 1;
	}
	if (f->households < 0 && !*sc->households_table) {
		status_problem_add(st, SEV_ERROR, "field",
		                   "%s: no field '%s' (input.households_field; fields: %s)", label,
		                   sc->households_field, names);
		bad = 1;
	}
	if (f->kind < 0 && f->name < 0) {
		status_problem_add(st, SEV_ERROR, "field",
		                   "%s: neither a kind field '%s' nor a name field '%s' to tell "
		                   "communities from villages (fields: %s)",
		                   label, sc->kind_field, sc->name_field, names);
		bad = 1;
	}
	if (f->kind < 0 && f->name >= 0 && *sc->kind_field)
		status_problem_add(st, SEV_INFO, "kind",
		                   "%s: no field '%s', kind inferred from the names (社区/居委会 "
		                   "urban, 村 rural)",
		                   label, sc->kind_field);
	f->admin = *sc->admin_village_field ? read_source_field(lyr, sc->admin_village_field) : -1;
	if (*sc->admin_village_field && f->admin < 0) {
		status_problem_add(st, SEV_ERROR, "field",
		                   "%s: no field '%s' (input.admin_village_field; fields: %s)",
		                   label, sc->admin_village_field, names);
		bad = 1;
	}
	if (*sc->district_field && f->district < 0)
		status_problem_add(st, SEV_WARNING, "field",
		                   "%s: no field '%s' (input.district_field), districts left empty",
		                   label, sc->district_field);
	if (*sc->street_field && f->street < 0)
		status_problem_add(st, SEV_WARNING, "field",
		                   "%s: no field '%s' (input.street_field), streets left empty",
		                   label, sc->street_field);
	return bad ? -1 : 0;
}

/* The field's text ("" for a missing field or a null), strdup'd. */
static char *field_text(OGRFeatureH feat, int i)
{
	if (i < 0 || !OGR_F_IsFieldSetAndNotNull(feat, i))
		return strdup("");
	return strdup(OGR_F_GetFieldAsString(feat, i));
}

/* Households from the field; records the problem and returns -1 if bad. */
static long households_of(const scenario *sc, OGRFeatureH feat, int i, const char *who, status *st)
{
	const char *why = "must be a whole number >= 0";
	const char *f = sc->households_field;
	if (!OGR_F_IsFieldSetAndNotNull(feat, i)) {
		status_problem_add(st, SEV_ERROR, "households", "%s: %s is null, %s", who, f, why);
		return -1;
	}
	OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(feat, i));
	long v = 0;
	if (t == OFTInteger || t == OFTInteger64) {
		long long x = OGR_F_GetFieldAsInteger64(feat, i);
		if (x >= 0 && x <= 2000000000L)
			return (long)x;
		status_problem_add(st, SEV_ERROR, "households", "%s: %s = %lld, %s", who, f, x,
		                   x < 0 ? "must be >= 0" : "is not a plausible count");
		return -1;
	}
	const char *text = OGR_F_GetFieldAsString(feat, i);
	if (!read_utf8_valid(text))
		return -1; /* reported with the other encoding problems */
	int r = read_households_parse(text, &v, &why);
	if (r == 0)
		return v;
	if (r == -2)
		status_problem_add(st, SEV_ERROR, "households", "%s: %s is empty, %s", who, f, why);
	else if (t == OFTString)
		status_problem_add(st, SEV_ERROR, "households", "%s: %s = '%s', %s", who, f, text,
		                   why);
	else
		status_problem_add(st, SEV_ERROR, "households", "%s: %s = %s, %s", who, f, text,
		                   why);
	return -1;
}

/* Kind from the field or the name; records the problem and returns -1. */
static int kind_of(const scenario *sc, OGRFeatureH feat, const unit_fields *f, const unit *u,
                   const char *who, status *st)
{
	if (f->kind >= 0) {
		if (!OGR_F_IsFieldSetAndNotNull(feat, f->kind)) {
			status_problem_add(st, SEV_ERROR, "kind",
			                   "%s: %s is null, must be a value of "
			                   "input.kind_urban_values or input.kind_rural_values",
			                   who, sc->kind_field);
			return -1;
		}
		const char *v = OGR_F_GetFieldAsString(feat, f->kind);
		int k = read_kind_map(v, sc->kind_urban_values, sc->kind_rural_values);
		if (k < 0 && read_utf8_valid(v))
			status_problem_add(st, SEV_ERROR, "kind",
			                   "%s: %s = '%s', unknown kind (add it to "
			                   "input.kind_urban_values or input.kind_rural_values)",
			                   who, sc->kind_field, v);
		return k;
	}
	int k = read_kind_infer(u->name);
	if (k < 0 && read_utf8_valid(u->name))
		status_problem_add(st, SEV_ERROR, "kind",
		                   "%s: %s = '%s', unknown kind: the name has neither 社区/居委会 "
		                   "(urban) nor 村 (rural); add a kind field (input.kind_field)",
		                   who, sc->name_field, u->name);
	return k;
}

/* Report the fields of the unit that are not UTF-8, once per feature. */
static void check_encoding(const scenario *sc, const unit *u, const char *who, OGRFeatureH feat,
                           const unit_fields *f, status *st)
{
	char bad[256] = "";
	size_t n = 0, nbad = 0;
	const char *names[] = {sc->id_field,     sc->name_field, sc->district_field,
	                       sc->street_field, sc->kind_field, sc->households_field};
	int idx[] = {-1, -1, -1, -1, f->kind, f->households};
	const char *own[] = {u->id, u->name, u->district, u->street, NULL, NULL};
	for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
		/* GetFieldAsString's text lives until the next call: test it now */
		const char *v = idx[i] >= 0 ? OGR_F_GetFieldAsString(feat, idx[i]) : own[i];
		if (!read_utf8_valid(v) && ++nbad)
			n += (size_t)snprintf(bad + n, sizeof(bad) - n, "%s%s", n ? ", " : "",
			                      names[i]);
	}
	if (n)
		status_problem_add(st, SEV_ERROR, "encoding",
		                   "%s: %s %s not valid UTF-8; for a GBK file set "
		                   "input.units_open_options = ENCODING=CP936",
		                   who, bad, nbad > 1 ? "are" : "is");
}

/* Read one feature into *u (fields zeroed by the caller). */
static void read_one(const scenario *sc, inputs *in, OGRFeatureH feat, const unit_fields *f,
                     OGRCoordinateTransformationH ct, unit *u, status *st)
{
	char who[512], why[160];
	u->fid = (long long)OGR_F_GetFID(feat);
	u->id = field_text(feat, f->id);
	u->name = field_text(feat, f->name);
	u->district = field_text(feat, f->district);
	u->street = field_text(feat, f->street);
	u->admin_village = field_text(feat, f->admin);
	u->households = -1;
	if (u->id && *u->id && read_utf8_valid(u->id))
		snprintf(who, sizeof(who), "%s fid %lld (%s %s)", in->units_source, u->fid,
		         sc->id_field, u->id);
	else
		snprintf(who, sizeof(who), "%s fid %lld", in->units_source, u->fid);
	if (!u->id || !*u->id)
		status_problem_add(st, SEV_ERROR, "id", "%s: %s is %s, every unit needs an id", who,
		                   sc->id_field,
		                   OGR_F_IsFieldSetAndNotNull(feat, f->id) ? "empty" : "null");
	check_encoding(sc, u, who, feat, f, st);
	if (f->households >= 0)
		u->households = households_of(sc, feat, f->households, who, st);
	int k = kind_of(sc, feat, f, u, who, st);
	u->kind = k < 0 ? UNIT_URBAN : (unit_kind)k;

	int repaired;
	OGRGeometryH g = read_geometry_prepare(OGR_F_GetGeometryRef(feat), ct, &repaired,
	                                       &u->area_m2, why, sizeof(why));
	if (!g) {
		status_problem_add(st, SEV_ERROR, "geometry", "%s: %s", who, why);
		return;
	}
	if (repaired) {
		in->nrepaired++;
		status_problem_add(st, SEV_INFO, "repaired",
		                   "%s: invalid polygon repaired with MakeValid (%.0f m2 kept)",
		                   who, u->area_m2);
	}
	u->wkb = read_geometry_wkb(g, &u->wkb_size);
	OGR_G_DestroyGeometry(g);
}

OGRSpatialReferenceH read_units(const scenario *sc, inputs *in, status *st)
{
	GDALDatasetH ds;
	OGRLayerH lyr;
	OGRSpatialReferenceH src = NULL, work = NULL;
	OGRCoordinateTransformationH ct = NULL;
	unit_fields f;
	int fail = 0;

	if (read_source_open("input.units", sc->units, sc->units_layer, sc->units_open_options, &ds,
	                     &lyr, st) != 0)
		return NULL;
	size_t lablen = strlen(sc->units) + strlen(OGR_L_GetName(lyr)) + 2;
	if (!(in->units_source = malloc(lablen)) || !(in->id_field = strdup(sc->id_field))) {
		status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	snprintf(in->units_source, lablen, "%s:%s", sc->units, OGR_L_GetName(lyr));
	int fields_ok = find_fields(sc, lyr, in->units_source, &f, st) == 0;
	if ((src = read_crs_source(lyr, in->units_source, sc->assume_crs, st)))
		work = read_crs_working(sc, lyr, src, in, st);
	if (work)
		ct = read_crs_transform(src, work, in->units_source, &fail, st);
	if (!fields_ok || !work || fail)
		goto out; /* reading features would only repeat the same problem */

	GIntBig count = OGR_L_GetFeatureCount(lyr, TRUE);
	size_t cap = count > 0 ? (size_t)count : 64;
	if (!(in->units = calloc(cap, sizeof(unit)))) {
		status_fail(st, STATUS_INTERNAL, "out of memory");
		goto out;
	}
	if (in->unit_keep) { /* a shard of a cut: only its units, keyed */
		size_t kept = 0;
		for (size_t i = 0; i < in->unit_keep_n; i++)
			kept += in->unit_keep[i] != 0;
		if (!(in->unit_key = malloc((kept ? kept : 1) * sizeof(long)))) {
			status_fail(st, STATUS_INTERNAL, "out of memory");
			goto out;
		}
	}
	OGR_L_ResetReading(lyr);
	OGRFeatureH feat;
	size_t index = 0;
	while ((feat = OGR_L_GetNextFeature(lyr))) {
		size_t i = index++;
		if (in->unit_keep &&
		    (i >= in->unit_keep_n || !in->unit_keep[i] || in->nunits == cap)) {
			OGR_F_Destroy(feat); /* another shard's: not even its geometry */
			continue;
		}
		if (in->unit_keep)
			in->unit_key[in->nunits] = (long)i;
		if (in->nunits == cap) {
			size_t c = grow_cap(cap, cap + 1);
			if (grow_to(&in->units, c, sizeof(unit)) != 0) {
				OGR_F_Destroy(feat);
				status_fail(st, STATUS_INTERNAL, "out of memory");
				goto out;
			}
			memset(in->units + cap, 0, (c - cap) * sizeof(unit));
			cap = c;
		}
		read_one(sc, in, feat, &f, ct, &in->units[in->nunits++], st);
		OGR_F_Destroy(feat);
	}
	if (in->unit_keep && index != in->unit_keep_n)
		status_problem_add(st, SEV_ERROR, "file",
		                   "%s: %zu features, the cut was made on %zu: make the cut again "
		                   "(stationplan shards)",
		                   in->units_source, index, in->unit_keep_n);
	else if (in->nunits == 0 && !in->unit_keep)
		status_problem_add(st, SEV_ERROR, "file", "%s: no features", in->units_source);
out:
	if (ct)
		OCTDestroyCoordinateTransformation(ct);
	if (src)
		OSRDestroySpatialReference(src);
	read_source_close(ds, lyr);
	return work;
}
