/*
 * fuzz_plan.c: the plan reader of `compare` (planfile_read) under fuzzing,
 * on the bytes as a GeoPackage in GDAL's in-memory file system.
 */
#include <string.h>

#include <cpl_vsi.h>

#include "fuzz.h"
#include "planfile.h"

int fuzz_plan(const uint8_t *data, size_t size)
{
	static const char path[] = "/vsimem/fuzz-plan.gpkg";
	planfile p;
	status st;
	status_init(&st);
	VSILFILE *f = VSIFileFromMemBuffer(path, (GByte *)data, (vsi_l_offset)size, FALSE);
	if (f)
		VSIFCloseL(f);
	if (planfile_read(path, &p, &st) == STATUS_OK)
		planfile_free(&p);
	VSIUnlink(path);
	status_free(&st);
	return 0;
}
