/*
 * sources.c: the inputs of a run and the check that an output is none of
 * them (issue 14 row 1: `-o units.gpkg --overwrite` replaced the units).
 * See include/sources.h. Identity is the device and inode that stat(2)
 * reports, so every path spelling of the same file is caught; the check
 * runs before any work (pipeline_run) and again just before the plan is
 * moved into place (gpkg_write_plan).
 */
#include "sources.h"
#include "grow.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int sources_add(sources *s, const char *role, const char *path)
{
	if (!path || !*path)
		return 0;
	if (grow_reserve(&s->e, &s->cap, s->n + 1, sizeof(*s->e)) != 0)
		return -1;
	source_entry *e = &s->e[s->n];
	e->role = strdup(role);
	e->path = strdup(path);
	if (!e->role || !e->path) {
		free(e->role), free(e->path);
		return -1;
	}
	s->n++;
	return 0;
}

/* The value text of key i, whole whatever its length. Caller frees. */
static char *key_value(const scenario *sc, size_t i)
{
	for (size_t size = 4096;; size *= 4) {
		char *v = malloc(size);
		if (!v)
			return NULL;
		scenario_key_value(sc, i, v, size);
		if (strlen(v) < size - 1)
			return v;
		free(v);
	}
}

int sources_add_scenario(sources *s, const scenario *sc)
{
	if (sc->file && *sc->file && sources_add(s, "scenario", sc->file))
		return -1;
	for (size_t i = 0; i < scenario_key_count(); i++) {
		if (!scenario_key_is_source(i))
			continue;
		const char *name = scenario_key_name(i), *dot = strchr(name, '.');
		char *value = key_value(sc, i);
		if (!value)
			return -1;
		for (char *v = value, *end; *v; v = end ? end + 1 : v + strlen(v)) {
			end = strchr(v, ',');
			if (end)
				*end = '\0';
			if (sources_add(s, dot ? dot + 1 : name, v)) {
				free(value);
				return -1;
			}
		}
		free(value);
	}
	return 0;
}

status_code sources_check_output(const sources *s, const char *target, status *st)
{
	struct stat t, x;
	if (!target || scenario_path_is_connection(target) || stat(target, &t) != 0)
		return STATUS_OK;
	for (size_t i = 0; i < s->n; i++) {
		const source_entry *e = &s->e[i];
		if (scenario_path_is_connection(e->path) || stat(e->path, &x) != 0)
			continue;
		if (x.st_dev == t.st_dev && x.st_ino == t.st_ino)
			return status_fail(st, STATUS_INPUT,
			                   "'%s' is the %s input '%s' (the same file); a plan may "
			                   "never replace one of its inputs",
			                   target, e->role, e->path);
	}
	return STATUS_OK;
}

void sources_free(sources *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->e[i].role), free(s->e[i].path);
	free(s->e);
	memset(s, 0, sizeof(*s));
}
