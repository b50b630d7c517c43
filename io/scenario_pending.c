/* TEMPORARY placeholder so the binary links while the module is written in
 * parallel: the module owner deletes this file when the real one lands. */
#include "scenario.h"
#define PENDING(st) status_fail((st), STATUS_INTERNAL, "%s: not built yet", __func__)
status_code scenario_init(scenario *sc, status *st){(void)sc;return PENDING(st);} status_code scenario_load(scenario *sc, const char *p, status *st){(void)sc;(void)p;return PENDING(st);} status_code scenario_set(scenario *sc, const char *a, status *st){(void)sc;(void)a;return PENDING(st);} status_code scenario_validate(const scenario *sc, status *st){(void)sc;return PENDING(st);} void scenario_free(scenario *sc){(void)sc;}
