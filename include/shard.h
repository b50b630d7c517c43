/*
 * shard.h: cutting one plan into N independent shards (`run --shard K/N`).
 *
 * A shard is a union of groups no rule can connect: two units are in the
 * same group when a site reaches both (a reach pair; for a village under
 * rural = one_per_village only its sites inside and its first pair), when one's nearest
 * site is the other's (so an uncovered unit's reason is the same), when
 * a site lies inside a unit, or when the rural pre-pass plans them together
 * (rural.h: one administrative village, or the villages of one street); with `by district` (the
 * default) all units of one district are also one group, so a shard holds whole districts (and
 * whatever a station could serve across a district line joins them);
 * with `by component` groups are the bare reach components, finer, so the
 * shards are better balanced but a district may be split. No station can
 * serve units of two shards, so each shard's plan is exactly the part of
 * the single-run plan over its units (the solver works per reach component
 * and orders stations by site, units by input order, both kept).
 *
 * Groups go to shards largest first (units + pairs), each to the lightest
 * shard so far (lowest shard on ties); ties between groups by lowest unit
 * or site index: the same inputs give the same cut in every process.
 *
 * shard_restrict() gives the shard's own tables: units and sites in their
 * original relative order, reach with the same pairs re-indexed, and the
 * global index of every kept unit and site (unit_key, site_key), which the
 * writer records in the shard's file so `stationplan merge` can put rows
 * back in the single run's order.
 */
#ifndef STATIONPLAN_SHARD_H
#define STATIONPLAN_SHARD_H

#include <stddef.h>

#include "inputs.h"
#include "reach.h"
#include "sites.h"
#include "scenario.h"
#include "status.h"

typedef enum shard_by { SHARD_BY_DISTRICT = 0, SHARD_BY_COMPONENT = 1 } shard_by;

typedef struct shard_spec {
	int k, n; /* 1 <= k <= n; n = 0: no sharding */
	shard_by by;
	const char *cut; /* run --cut FILE: the cut made once, NULL: cut here */
} shard_spec;

/* The tables of one shard. `in` borrows everything from the full inputs but
 * owns its `units` array (shallow copies); sites and reach are owned. */
typedef struct shard_part {
	shard_spec spec;
	inputs in;
	site_table sites;
	reach r;
	long *unit_key;            /* per shard unit: its index in the full inputs */
	long *site_key;            /* per shard site: its index in the full site table */
	size_t ngroups;            /* groups in the whole problem */
	unsigned char *owned_kept; /* sites.kept when the part owns it (a cut), else NULL */
} shard_part;

/* Parse "K/N" (1 <= K <= N <= 100000) and "district" / "component".
 * `by` may be NULL (district). Returns STATUS_OK or STATUS_USAGE with a
 * message naming the value: "run: --shard '0/4' (must be K/N with 1 <= K <=
 * N)", "run: --shard-by 'x' (must be district or component)". */
status_code shard_parse(const char *kn, const char *by, shard_spec *out, status *st);

/* "district" or "component". */
const char *shard_by_name(shard_by by);

/* Cut the full tables and keep shard spec->k. Returns STATUS_OK or
 * STATUS_INTERNAL (out of memory). Free with shard_free(). An empty shard
 * (more shards than groups) is valid and yields an empty plan. */
status_code shard_restrict(const inputs *in, const site_table *sites, const reach *r,
                           const scenario *sc, const shard_spec *spec, shard_part *out, status *st);

void shard_free(shard_part *sp);

/* ---- the cut, made once (src/geom/shard_cut.c) ------------------------------
 *
 * `stationplan shards S.ini N -o CUT` reads and builds the whole problem
 * once and writes its cut: the shard of every unit and site, the whole
 * problem's objective scale, and for each shard its units, sites and pairs
 * with a fingerprint (FNV-1a) of its site table and reach. `run --shard K/N
 * --cut CUT` then reads only shard K's units (inputs.unit_keep), builds
 * sites and reach for them alone, keeps of the existing and candidate
 * sites those the cut gives shard K, and checks its tables against the
 * fingerprints: equal, they are exactly the tables shard_restrict() would
 * cut from the whole problem, so the plan is the same; different (a site
 * merged with another shard's within 1 m, another input), the run stops
 * with an internal error naming the counts. */

typedef struct shard_cut {
	int n;
	shard_by by;
	size_t ngroups, nunits, nsites;
	double dscale, penalty;        /* the whole problem's objective scale (solver/scale.c) */
	char params[80];               /* shard_cut_fingerprint() of scenario and inputs */
	int *unit_shard;               /* nunits: 0-based shard of each whole-input unit */
	int *site_shard;               /* nsites: ... of each whole-input site */
	int *site_source;              /* nsites: site_source */
	long long *site_fid;           /* nsites: src_fid (existing and candidate sites) */
	size_t *units, *sites, *pairs; /* per shard */
	unsigned long long *site_hash, *reach_hash; /* per shard */
} shard_cut;

/* The cut of the whole tables into spec-less N shards `by`, with the
 * scale and fingerprint given. Returns STATUS_OK or STATUS_INTERNAL (out
 * of memory). Free with shard_cut_free(). */
status_code shard_cut_make(const inputs *in, const site_table *sites, const reach *r,
                           const scenario *sc, int n, shard_by by, double dscale, double penalty,
                           const char *params, shard_cut *out, status *st);

/* What a cut depends on, as 16 hex digits (FNV-1a) into out (size >= 17):
 * every scenario key but solver.threads and the output keys, the level
 * keys, and every input file by role, size and SHA-256. The `params` of
 * shard_cut_make(), checked by `run --shard K/N --cut`. */
void shard_cut_fingerprint(const scenario *sc, const inputs *in, char *out, size_t size);

/* Write `c` to `path` (text, temporary file + rename). Returns STATUS_OK or
 * STATUS_WRITE naming the path and the reason. */
status_code shard_cut_write(const shard_cut *c, const char *path, status *st);

/* Read a cut written by shard_cut_write(). Returns STATUS_OK, or
 * STATUS_INPUT naming the file and line ("cut.txt:3: not a stationplan
 * cut"). */
status_code shard_cut_read(const char *path, shard_cut *c, status *st);

/* Keep of `sites` (built from shard k's units alone, k 0-based) the sites
 * of the units and the existing and candidate sites the cut gives shard k,
 * in their order. Returns STATUS_OK or STATUS_INTERNAL. */
status_code shard_cut_sites(const shard_cut *c, int k, site_table *sites, status *st);

/* Shard spec->k's part from its own tables: `in` read with unit_keep (its
 * units are copied, in->unit_key gives their keys), `sites` and `r` moved
 * in (emptied). Checked against the cut: STATUS_INTERNAL ("shard 2/4: the
 * cut 'cut.txt' gives it 1234 sites, it built 1233: ...") when the tables
 * differ from the whole problem's. */
status_code shard_cut_part(const shard_cut *c, const char *path, const shard_spec *spec,
                           const inputs *in, site_table *sites, reach *r, shard_part *out,
                           status *st);

void shard_cut_free(shard_cut *c);

#endif
