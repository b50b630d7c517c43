/*
 * verify.h: the independent plan verifier (solver/verify.c), which keeps its
 * own copy of every rule on purpose.
 */
#ifndef STATIONPLAN_VERIFY_H
#define STATIONPLAN_VERIFY_H

#include <stddef.h>

#include "inputs.h"
#include "plan.h"
#include "reach.h"
#include "scenario.h"
#include "sites.h"
#include "status.h"

/* Independent verifier: checks radius, band (except flagged underfilled),
 * every household served exactly once, one station per village, existing
 * stations kept. Returns the number of violations, describing the first in
 * `msg`. Used by tests and, with -v, by `run`. */
int verify_plan(const inputs *in, const site_table *sites, const reach *r, const scenario *sc,
                const plan *p, char *msg, size_t msgsize);

#endif
