/*
 * fuzz.h: the fuzz targets, one function each, shared by the libFuzzer
 * harnesses (tests/fuzz/main.c, `make fuzz`) and the CUnit suite that
 * replays every kept reproducer (tests/cu_fuzz.c).
 *
 * Each takes any bytes and must return 0 without crashing, hanging, leaking
 * or invoking undefined behaviour; bad input is an error in a status, never
 * a fault. They run from the repository root (fixtures/ is read).
 */
#ifndef STATIONPLAN_FUZZ_H
#define STATIONPLAN_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The scenario reader: the bytes as a scenario file, then validation. */
int fuzz_scenario(const uint8_t *data, size_t size);

/* The unit reader: the first byte picks the form of the rest: 0 units as
 * GeoJSON, 1 units as CSV text (GDAL's CSV driver, WKT column), 2 the
 * households CSV joined onto fixtures/bad/nohh.gpkg (our own CSV parser). */
int fuzz_units(const uint8_t *data, size_t size);

/* The plan reader used by `compare` (planfile_read): the bytes as a plan
 * GeoPackage. */
int fuzz_plan(const uint8_t *data, size_t size);

#endif
