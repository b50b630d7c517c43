/*
 * fuzz_units.c: the unit reader under fuzzing, through inputs_read() as a
 * run reads: units as GeoJSON or CSV text from GDAL's in-memory files, or
 * the households CSV (a real temporary file: our CSV reader uses stdio).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cpl_vsi.h>

#include "fuzz.h"
#include "inputs.h"
#include "scenario.h"

static void set(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
}

int fuzz_units(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int mode = data[0] % 3;
	data++, size--;
	char path[256];
	scenario sc;
	status st;
	inputs in;
	memset(&in, 0, sizeof(in));
	status_init(&st);
	st.quiet = 1;
	if (scenario_init(&sc, &st) != STATUS_OK) {
		status_free(&st);
		return 0;
	}
	set(&sc.assume_crs, "EPSG:4326");
	if (mode < 2) {
		snprintf(path, sizeof(path), "/vsimem/fuzz-units.%s", mode ? "csv" : "geojson");
		VSILFILE *f = VSIFileFromMemBuffer(path, (GByte *)data, (vsi_l_offset)size, FALSE);
		if (f)
			VSIFCloseL(f);
		set(&sc.units, path);
		inputs_read(&sc, &in, &st);
		VSIUnlink(path);
	} else {
		const char *tmp = getenv("TMPDIR");
		snprintf(path, sizeof(path), "%s/sp-fuzz-%ld.csv", tmp && *tmp ? tmp : "/tmp",
		         (long)getpid());
		FILE *f = fopen(path, "wb");
		if (f) {
			fwrite(data, 1, size, f);
			fclose(f);
			set(&sc.units, "fixtures/bad/nohh.gpkg");
			set(&sc.households_table, path);
			set(&sc.households_field, "hh");
			inputs_read(&sc, &in, &st);
			unlink(path);
		}
	}
	inputs_free(&in);
	scenario_free(&sc);
	status_free(&st);
	return 0;
}
