/*
 * main.c: the libFuzzer entry point of one harness; FUZZ_TARGET names the
 * target function of fuzz.h (-DFUZZ_TARGET=fuzz_scenario). Built and run
 * by `make fuzz`.
 */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return FUZZ_TARGET(data, size);
}
