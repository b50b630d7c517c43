/*
 * fuzz_scenario.c: the scenario reader under fuzzing: scenario_load_text()
 * (lines of any length, NUL bytes, invalid UTF-8, syntax errors in any
 * number), one --set built from the first line, and validation.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "scenario.h"

int fuzz_scenario(const uint8_t *data, size_t size)
{
	scenario sc;
	status st;
	status_init(&st);
	if (scenario_init(&sc, &st) == STATUS_OK) {
		scenario_load_text(&sc, "fuzz.ini", ".", (const char *)data, size, &st);
		/* the first line, as a --set argument */
		size_t n = 0;
		while (n < size && n < 4096 && data[n] && data[n] != '\n')
			n++;
		char *set = strndup((const char *)data, n);
		if (set)
			scenario_set(&sc, set, &st);
		free(set);
		scenario_validate(&sc, &st);
		char buf[256];
		for (size_t i = 0; i < scenario_key_count(); i++)
			scenario_key_value(&sc, i, buf, sizeof(buf));
	}
	scenario_free(&sc);
	status_free(&st);
	return 0;
}
