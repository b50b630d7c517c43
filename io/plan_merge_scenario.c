/*
 * plan_merge_scenario.c: the scenario of a set of shards, for the upper
 * levels that merge plans on the merged stations (include/plan_merge.h).
 *
 * A shard's `run` row records the command that reproduces its plan
 * (`stationplan run SCENARIO [--set k=v]...`, words quoted for a POSIX
 * shell by io/gpkg_run.c), every parameter after --set, and every input
 * file with its size and SHA-256. merge takes the scenario from that
 * command unless told otherwise, and refuses a scenario or inputs that
 * are not the shards' own: the levels planned on the merged stations must
 * be the single run's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io_int.h"
#include "plan_merge_int.h"

/* The `run` row's text field `name` of `path`, malloc'd; NULL with st set. */
static char *run_field(const char *path, const char *name, status *st)
{
	gdal_bridge_push();
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
	if (!ds) {
		gdal_fail(st, STATUS_INPUT, "'%s': cannot open", path);
		gdal_bridge_pop();
		return NULL;
	}
	OGRLayerH l = GDALDatasetGetLayerByName(ds, "run");
	OGRFeatureH f = NULL;
	if (l) {
		OGR_L_ResetReading(l);
		f = OGR_L_GetNextFeature(l);
	}
	int i = f ? OGR_F_GetFieldIndex(f, name) : -1;
	char *v = i >= 0 ? strdup(OGR_F_GetFieldAsString(f, i)) : NULL;
	if (i < 0)
		status_fail(st, STATUS_INPUT, "'%s': no run record with '%s' (not a plan)", path,
		            name);
	else if (!v)
		status_fail(st, STATUS_INTERNAL, "out of memory");
	if (f)
		OGR_F_Destroy(f);
	GDALClose(ds);
	gdal_bridge_pop();
	return v;
}

/* The next word of a command quoted by put_shell_word (io/gpkg_run.c) from
 * *s into `out` (size n); 0 at the end. */
static int next_word(const char **s, char *out, size_t n)
{
	const char *p = *s;
	size_t k = 0;
	while (*p == ' ')
		p++;
	if (!*p)
		return 0;
	while (*p && *p != ' ') {
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++)
				if (k + 1 < n)
					out[k++] = *p;
			if (*p)
				p++;
		} else if (*p == '\\' && p[1]) {
			if (k + 1 < n)
				out[k++] = p[1];
			p += 2;
		} else {
			if (k + 1 < n)
				out[k++] = *p;
			p++;
		}
	}
	out[k] = '\0';
	*s = p;
	return 1;
}

status_code plan_merge_recorded(const char *shard, char **file, char **sets, int *levels,
                                status *st)
{
	*file = *sets = NULL;
	*levels = 0;
	char *cmd = run_field(shard, "command", st);
	char *par = cmd ? run_field(shard, "parameters", st) : NULL;
	if (!cmd || !par) {
		free(cmd);
		return st->code;
	}
	*levels = !strncmp(par, "level.", 6) || strstr(par, "\nlevel.") != NULL;
	size_t n = strlen(cmd) + 1;
	char *word = malloc(n);
	*sets = calloc(n, 1);
	if (!word || !*sets) {
		free(cmd), free(par), free(word), free(*sets);
		*sets = NULL;
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	const char *p = cmd;
	int i = 0, next_set = 0;
	while (next_word(&p, word, n)) {
		if (i++ == 2)
			*file = strdup(word);
		else if (i > 3 && next_set) {
			if (**sets)
				strcat(*sets, ";");
			strcat(*sets, word);
		}
		next_set = !strcmp(word, "--set");
	}
	free(word), free(cmd), free(par);
	if (!*file) {
		free(*sets);
		*sets = NULL;
		return status_fail(st, STATUS_INPUT, "'%s': the run record names no scenario",
		                   shard);
	}
	return STATUS_OK;
}

/* The next line of *s into `out` (size n), without the newline; 0 at the
 * end. */
static int next_line(const char **s, char *out, size_t n)
{
	if (!**s)
		return 0;
	size_t len = strcspn(*s, "\n");
	snprintf(out, n, "%.*s", (int)len, *s);
	*s += len;
	if (**s == '\n')
		(*s)++;
	return 1;
}

/* Drop solver.threads (a per-process choice, --threads) from a parameter
 * comparison. */
static int skip_line(const char *line)
{
	return !strncmp(line, "solver.threads = ", 17);
}

/* "role size sha256" of an `inputs` line "role path size sha256". */
static void input_key(const char *line, char *out, size_t n)
{
	const char *sp1 = strchr(line, ' ');
	const char *sp3 = strrchr(line, ' ');
	const char *sp2 = sp3;
	if (sp1 && sp3 && sp3 > sp1)
		for (sp2 = sp3 - 1; sp2 > sp1 && *sp2 != ' '; sp2--)
			;
	if (!sp1 || !sp3 || sp2 <= sp1)
		snprintf(out, n, "%s", line);
	else
		snprintf(out, n, "%.*s%s", (int)(sp1 - line), line, sp2);
}

static status_code compare_parameters(const char *shard, const char *a, const char *b, status *st)
{
	char la[4200], lb[4200];
	const char *pa = a, *pb = b;
	for (;;) {
		int ha, hb;
		while ((ha = next_line(&pa, la, sizeof(la))) && skip_line(la))
			;
		while ((hb = next_line(&pb, lb, sizeof(lb))) && skip_line(lb))
			;
		if (!ha && !hb)
			return STATUS_OK;
		if (!ha || !hb || strcmp(la, lb))
			return status_fail(st, STATUS_INPUT,
			                   "merge: the scenario differs from the shards' ('%s'): "
			                   "'%s' here, '%s' in the shard",
			                   shard, ha ? la : "(nothing)", hb ? lb : "(nothing)");
	}
}

status_code plan_merge_check_scenario(const char *shard, const scenario *sc, const inputs *in,
                                      status *st)
{
	char *par = run_field(shard, "parameters", st);
	char *inp = par ? run_field(shard, "inputs", st) : NULL;
	char *mine = inp ? gpkg_run_parameters(sc) : NULL;
	if (!par || !inp || !mine) {
		status_code rc =
		    par && inp ? status_fail(st, STATUS_INTERNAL, "out of memory") : st->code;
		free(par), free(inp), free(mine);
		return rc;
	}
	status_code rc = compare_parameters(shard, mine, par, st);
	const char *p = inp;
	char line[4200], ka[4400], kb[4400];
	for (size_t i = 0; rc == STATUS_OK; i++) {
		int has = next_line(&p, line, sizeof(line));
		if (!has && i == in->nfiles)
			break;
		if (i < in->nfiles) {
			const input_file *x = &in->files[i];
			char size[32] = "-";
			if (x->size >= 0)
				snprintf(size, sizeof(size), "%lld", x->size);
			snprintf(ka, sizeof(ka), "%s %s %s", x->role, size,
			         x->sha256[0] ? x->sha256 : "-");
		}
		if (has)
			input_key(line, kb, sizeof(kb));
		if (!has || i >= in->nfiles || strcmp(ka, kb))
			rc = status_fail(
			    st, STATUS_INPUT,
			    "merge: the inputs differ from the shards' ('%s'): '%s' here, "
			    "'%s' in the shard (role, size, SHA-256)",
			    shard, i < in->nfiles ? ka : "(nothing)", has ? kb : "(nothing)");
	}
	free(par), free(inp), free(mine);
	return rc;
}
