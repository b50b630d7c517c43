/*
 * phases.c: the `[phases]` section of a scenario (see include/phases.h).
 *
 * The section's keys are not in the scenario's key table: they are years,
 * chosen by the planner. scenario.c hands every `[phases]` line (and every
 * `--set phases.KEY=VALUE`) to phases_spec_set(), which tells the three
 * forms apart by their shape:
 *
 *   YEAR = BUDGET            a phase: cumulative stations by that year
 *   required.YEAR = A,B      groups (districts) served in full by that year
 *   LEVEL.YEAR = BUDGET      facilities of [level.LEVEL] by that year
 *
 * Years are kept sorted as they are added, so the run record and the solve
 * see them in order whatever order the file gives.
 */
#include "phases.h"
#include "grow.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A year: 1..9999, digits only. Returns it, or -1. */
static int parse_year(const char *s)
{
	if (!*s || strlen(s) > 4 || strspn(s, "0123456789") != strlen(s))
		return -1;
	int y = atoi(s);
	return y > 0 ? y : -1;
}

/* A budget: a whole number >= 0. Returns 0 and sets *out, or -1. */
static int parse_budget(const char *s, long *out)
{
	char *end = NULL;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < 0)
		return -1;
	*out = v;
	return 0;
}

static int set_year(phases_spec *ps, int year, long budget, int line)
{
	size_t i = 0;
	while (i < ps->n && ps->years[i].year < year)
		i++;
	if (i < ps->n && ps->years[i].year == year) {
		ps->years[i].budget = budget;
		ps->years[i].line = line;
		return 0;
	}
	if (grow_to(&ps->years, ps->n + 1, sizeof(*ps->years)) != 0)
		return -2;
	phases_year *g = ps->years;
	memmove(g + i + 1, g + i, (ps->n - i) * sizeof(*g));
	g[i] = (phases_year){year, budget, line};
	ps->n++;
	return 0;
}

static int set_level(phases_spec *ps, const char *level, size_t len, int year, long budget)
{
	for (size_t i = 0; i < ps->nlevel; i++)
		if (ps->level[i].year == year && strlen(ps->level[i].level) == len &&
		    !strncmp(ps->level[i].level, level, len)) {
			ps->level[i].budget = budget;
			return 0;
		}
	if (grow_to(&ps->level, ps->nlevel + 1, sizeof(*ps->level)) != 0)
		return -2;
	char *name = strndup(level, len);
	if (!name)
		return -2;
	ps->level[ps->nlevel++] = (phases_level){name, year, budget};
	return 0;
}

static int set_required(phases_spec *ps, int year, const char *groups)
{
	char *copy = strdup(groups);
	if (!copy)
		return -2;
	for (size_t i = 0; i < ps->nrequired; i++)
		if (ps->required[i].year == year) {
			free(ps->required[i].groups);
			ps->required[i].groups = copy;
			return 0;
		}
	if (grow_to(&ps->required, ps->nrequired + 1, sizeof(*ps->required)) != 0) {
		free(copy);
		return -2;
	}
	ps->required[ps->nrequired++] = (phases_required){year, copy};
	return 0;
}

int phases_spec_set(phases_spec *ps, const char *where, const char *name, const char *value,
                    status *st)
{
	const char *dot = strrchr(name, '.');
	const char *ytext = dot ? dot + 1 : name;
	int year = parse_year(ytext);
	int line = 0;
	const char *colon = strrchr(where, ':');
	if (colon && strncmp(where, "--set", 5))
		line = atoi(colon + 1);
	if (year < 0) {
		status_problem_add(st, SEV_ERROR, "scenario",
		                   "%s: phases.%s = %s: '%s' is not a year (a whole number such "
		                   "as 2025)",
		                   where, name, value, ytext);
		return 0;
	}
	if (dot && (size_t)(dot - name) == 8 && !strncmp(name, "required", 8)) {
		if (!*value) {
			status_problem_add(st, SEV_ERROR, "scenario",
			                   "%s: phases.%s is empty: name the districts served in "
			                   "full by %d",
			                   where, name, year);
			return 0;
		}
		return set_required(ps, year, value);
	}
	long budget;
	if (parse_budget(value, &budget) < 0) {
		status_problem_add(st, SEV_ERROR, "scenario",
		                   "%s: phases.%s = '%s', must be a whole number of stations >= 0",
		                   where, name, value);
		return 0;
	}
	if (dot) {
		if (dot == name) {
			status_problem_add(st, SEV_ERROR, "scenario",
			                   "%s: phases.%s: expected LEVEL.%d", where, name, year);
			return 0;
		}
		return set_level(ps, name, (size_t)(dot - name), year, budget);
	}
	return set_year(ps, year, budget, line);
}

static int has_year(const phases_spec *ps, int year)
{
	for (size_t i = 0; i < ps->n; i++)
		if (ps->years[i].year == year)
			return 1;
	return 0;
}

int phases_spec_validate(const phases_spec *ps, status *st)
{
	int bad = 0;
	for (size_t i = 1; i < ps->n; i++)
		if (ps->years[i].budget < ps->years[i - 1].budget) {
			status_problem_add(
			    st, SEV_ERROR, "scenario",
			    "phases: %d = %ld < %d = %ld: budgets are cumulative and "
			    "may not decrease",
			    ps->years[i].year, ps->years[i].budget, ps->years[i - 1].year,
			    ps->years[i - 1].budget);
			bad++;
		}
	for (size_t i = 0; i < ps->nlevel; i++) {
		const phases_level *a = &ps->level[i];
		if (!has_year(ps, a->year)) {
			status_problem_add(
			    st, SEV_ERROR, "scenario",
			    "phases: %s.%d: %d is not a phase year (give %d = BUDGET)", a->level,
			    a->year, a->year, a->year);
			bad++;
		}
		for (size_t j = 0; j < ps->nlevel; j++) {
			const phases_level *b = &ps->level[j];
			if (strcmp(a->level, b->level) || b->year <= a->year ||
			    b->budget >= a->budget)
				continue;
			status_problem_add(st, SEV_ERROR, "scenario",
			                   "phases: %s.%d = %ld < %s.%d = %ld: budgets are "
			                   "cumulative and may not decrease",
			                   b->level, b->year, b->budget, a->level, a->year,
			                   a->budget);
			bad++;
		}
	}
	for (size_t i = 0; i < ps->nrequired; i++)
		if (!has_year(ps, ps->required[i].year)) {
			status_problem_add(st, SEV_ERROR, "scenario",
			                   "phases: required.%d: %d is not a phase year (give %d = "
			                   "BUDGET)",
			                   ps->required[i].year, ps->required[i].year,
			                   ps->required[i].year);
			bad++;
		}
	return bad;
}

static int cmp_level(const void *a, const void *b)
{
	const phases_level *x = a, *y = b;
	int c = strcmp(x->level, y->level);
	return c ? c : (x->year > y->year) - (x->year < y->year);
}

void phases_spec_text(const phases_spec *ps, char *buf, size_t bufsize)
{
	size_t n = 0;
	if (!bufsize)
		return;
	buf[0] = '\0';
#define PUT(...)                                                                                   \
	do {                                                                                       \
		if (n < bufsize)                                                                   \
			n += (size_t)snprintf(buf + n, bufsize - n, __VA_ARGS__);                  \
	} while (0)
	for (size_t i = 0; i < ps->n; i++)
		PUT("%sphases.%d = %ld", n ? "\n" : "", ps->years[i].year, ps->years[i].budget);
	phases_level *lv = ps->nlevel ? malloc(ps->nlevel * sizeof(*lv)) : NULL;
	if (lv) {
		memcpy(lv, ps->level, ps->nlevel * sizeof(*lv));
		qsort(lv, ps->nlevel, sizeof(*lv), cmp_level);
		for (size_t i = 0; i < ps->nlevel; i++)
			PUT("%sphases.%s.%d = %ld", n ? "\n" : "", lv[i].level, lv[i].year,
			    lv[i].budget);
		free(lv);
	}
	for (size_t i = 0; i < ps->n; i++)
		for (size_t j = 0; j < ps->nrequired; j++)
			if (ps->required[j].year == ps->years[i].year)
				PUT("%sphases.required.%d = %s", n ? "\n" : "",
				    ps->required[j].year, ps->required[j].groups);
#undef PUT
}

long phases_level_budget(const phases_spec *ps, const char *name, int year)
{
	for (size_t i = 0; i < ps->nlevel; i++)
		if (ps->level[i].year == year && !strcmp(ps->level[i].level, name))
			return ps->level[i].budget;
	return -1;
}

int phases_required_has(const phases_spec *ps, int year, const char *district)
{
	size_t len = strlen(district);
	for (size_t i = 0; i < ps->nrequired; i++) {
		if (ps->required[i].year != year)
			continue;
		for (const char *s = ps->required[i].groups; *s;) {
			const char *e = strchr(s, ',');
			size_t n = e ? (size_t)(e - s) : strlen(s);
			const char *a = s, *b = s + n;
			while (a < b && (*a == ' ' || *a == '\t'))
				a++;
			while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
				b--;
			if ((size_t)(b - a) == len && len && !strncmp(a, district, len))
				return 1;
			s = e ? e + 1 : s + n;
		}
	}
	return 0;
}

void phases_spec_free(phases_spec *ps)
{
	for (size_t i = 0; i < ps->nlevel; i++)
		free(ps->level[i].level);
	for (size_t i = 0; i < ps->nrequired; i++)
		free(ps->required[i].groups);
	free(ps->years);
	free(ps->level);
	free(ps->required);
	memset(ps, 0, sizeof(*ps));
}
