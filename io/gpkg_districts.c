/*
 * gpkg_districts.c: the `districts` layer, one multipolygon per district:
 * the union of its units (communities and villages), so the plan shows its
 * district boundaries without a boundary layer of its own, with the
 * district's units, households and stations. Districts in order of their
 * first unit in the input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpkg_int.h"
#include "io_int.h"

static const gpkg_field district_fields[] = {
    {"district", OFTString, OFSTNone},
    {"units", OFTInteger, OFSTNone},
    {"households", OFTInteger, OFSTNone},
    {"stations", OFTInteger, OFSTNone},
};

static const char *nz(const char *s)
{
	return s ? s : "";
}

/* The union of the units of district `name`, output CRS; NULL with the
 * status set on failure. */
static OGRGeometryH dissolve(gpkg_writer *w, const char *name, int *units, long *households)
{
	OGRGeometryH all = OGR_G_CreateGeometry(wkbMultiPolygon);
	*units = 0;
	*households = 0;
	for (size_t u = 0; u < w->in->nunits; u++) {
		if (strcmp(nz(w->in->units[u].district), name))
			continue;
		if (gpkg_collect_unit(w, all, u) != STATUS_OK) {
			OGR_G_DestroyGeometry(all);
			return NULL;
		}
		(*units)++;
		*households += w->in->units[u].households;
	}
	char what[300];
	snprintf(what, sizeof(what), "union of '%s'", name);
	return gpkg_union_output(w, all, "districts", what);
}

static const gpkg_layer_def districts_layer = {
    "districts", wkbMultiPolygon, "Districts",
    "District boundaries (区/县), each the union of its communities and villages, with "
    "the district's units, households and stations.",
    GPKG_FIELDS(district_fields)};

status_code gpkg_write_districts(gpkg_writer *w)
{
	gpkg_rows t;
	if (gpkg_rows_open(&t, w, &districts_layer) != STATUS_OK)
		return t.rc;
	const char **done = calloc(w->in->nunits ? w->in->nunits : 1, sizeof(*done));
	size_t ndone = 0;
	if (!done)
		return status_fail(w->st, STATUS_INTERNAL, "out of memory");
	for (size_t u = 0; u < w->in->nunits && t.rc == STATUS_OK; u++) {
		const char *name = nz(w->in->units[u].district);
		int seen = 0;
		for (size_t k = 0; k < ndone && !seen; k++)
			seen = !strcmp(done[k], name);
		if (seen)
			continue;
		done[ndone++] = name;
		int units;
		long households;
		OGRGeometryH g = dissolve(w, name, &units, &households);
		if (!g) {
			t.rc = w->st->code;
			break;
		}
		int stations = 0;
		for (size_t s = 0; s < w->p->nstations; s++)
			stations += !strcmp(w->station_district[s], name);
		OGRFeatureH f = gpkg_rows_new(&t);
		OGR_F_SetFID(f, (GIntBig)ndone);
		OGR_F_SetFieldString(f, 0, name);
		OGR_F_SetFieldInteger(f, 1, units);
		OGR_F_SetFieldInteger(f, 2, (int)households);
		OGR_F_SetFieldInteger(f, 3, stations);
		OGR_F_SetGeometryDirectly(f, g); /* already in the output CRS */
		gpkg_rows_put(&t, f, NULL);
	}
	free(done);
	return gpkg_rows_close(&t);
}
