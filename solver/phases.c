/*
 * phases.c: budgets and phased plans on top of the solver (issue 13).
 *
 * rules.max_stations = N: the full plan when it opens at most N new
 * stations, otherwise the budget model (budget.c) with at most N.
 * rules.stations = N: the budget model with exactly N new stations (with
 * the band off, the p-median problem).
 *
 * [phases], sequentially and nested. The full plan (solver_solve) comes
 * first. Phase t is solved with every station of phase t-1 fixed open (its
 * site marked as an existing station in a copy of the site table, which
 * the solver keeps open and counts, as it does the real existing stations),
 * so every station of an earlier phase stays in every later one:
 *   - when the last phase's budget allows the full plan, the last phase IS
 *     the full plan, and every earlier phase is the budget model (most
 *     households under its budget given the earlier phases) within the
 *     full plan's sites, so the phases nest into it;
 *   - otherwise (the last budget is below the full plan's stations, which
 *     a warning says) every phase is the budget model over every site.
 * Why within the full plan's sites: measured on a dense generated city
 * (README), phases free to use any site left the last phase needing 30
 * urban stations more than the full plan alone, so with the same budget
 * 1.2 % of the households unserved; within its sites the last phase is the
 * full plan and the first phase serves 0.70 % less than its budget could
 * alone (0.4-1.0 % on the three bench cities).
 * Nesting costs households: the honest measure is reported per phase, the
 * bound for that budget alone (the budget model with every site and only
 * the existing stations fixed) against the households the nested phase
 * serves (plan_phase.bound, gap).
 *
 * Time: the solves share solver.time_limit_s from one deadline. The full
 * plan, the hardest (with rules.split = flexible its proof took 9-20 s of
 * the demo-based fixtures where each of the six solves had 10 s of 60), gets
 * half of it; every later solve the time left divided by the solves still
 * to come (at most 2 per phase), so time a solve does not use goes to the
 * next ones and an overrun of one is taken from the others.
 */
#include "solver.h"
#include "clock.h"
#include "grow.h"
#include "rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int solver_budgeted(const scenario *sc)
{
	return sc->max_stations >= 0 || sc->stations >= 0 || sc->phases.n > 0;
}

static size_t existing_count(const site_table *sites)
{
	size_t n = 0;
	for (size_t j = 0; j < sites->n; j++)
		n += sites->sites[j].source == SITE_EXISTING;
	return n;
}

status_code solver_check_budget(const scenario *sc, const inputs *in, const site_table *sites,
                                status *st)
{
	size_t errors = st->nerrors, e = sites ? existing_count(sites) : in->existing.n;
	const phases_spec *ps = &sc->phases;
	for (size_t i = 0; i < ps->n; i++)
		if (ps->years[i].budget < (long)e)
			status_problem_add(st, SEV_ERROR, "scenario",
			                   "phases: %d = %ld is below the %zu existing stations "
			                   "(input.existing), which stay open in every phase",
			                   ps->years[i].year, ps->years[i].budget, e);
	for (size_t i = 0; i < ps->nrequired; i++) {
		const char *s = ps->required[i].groups;
		while (*s) {
			const char *c = strchr(s, ',');
			size_t n = c ? (size_t)(c - s) : strlen(s);
			char name[256];
			snprintf(name, sizeof(name), "%.*s", (int)n, s);
			char *a = name, *b = name + strlen(name);
			while (*a == ' ' || *a == '\t')
				a++;
			while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
				*--b = '\0';
			int found = 0;
			for (size_t u = 0; u < in->nunits && !found; u++)
				found = in->units[u].district && !strcmp(in->units[u].district, a);
			if (!found)
				status_problem_add(
				    st, SEV_ERROR, "scenario",
				    "phases: required.%d: district '%s' has no unit in "
				    "%s (field '%s')",
				    ps->required[i].year, a,
				    in->units_source ? in->units_source : "the units",
				    sc->district_field);
			s = c ? c + 1 : s + n;
		}
	}
	return st->nerrors > errors ? STATUS_INPUT : STATUS_OK;
}

static long served(const plan *p)
{
	long h = 0;
	for (size_t a = 0; a < p->nassign; a++)
		h += p->assign[a].households;
	return h;
}

/* The district a station counts in: that of the unit its site lies in, else
 * of the first unit it serves, else "". */
static const char *station_district(const inputs *in, const site_table *sites, const plan *p,
                                    size_t s)
{
	int u = sites->sites[p->stations[s].site].unit;
	if (u < 0)
		for (size_t a = 0; a < p->nassign && u < 0; a++)
			if (p->assign[a].station == (int)s)
				u = p->assign[a].unit;
	return u >= 0 && in->units[u].district ? in->units[u].district : "";
}

typedef struct phase_run {
	const inputs *in;
	const site_table *orig;
	site_table cur; /* the sites with earlier phases' stations marked existing */
	const reach *r;
	scenario sc;     /* shallow copy, time limit shared out */
	int *site_phase; /* per site: year first open, 0 existing, -1 never */
	long htotal;
	size_t nexisting;
	plan *out;
	size_t dcap;
	double deadline; /* clock_now_s() + solver.time_limit_s at the start */
	size_t solves;   /* solves still to come, at most */
} phase_run;

static int add_districts(phase_run *pr, const plan *p, int year)
{
	const inputs *in = pr->in;
	plan *out = pr->out;
	/* the districts, sorted and unique */
	const char **names = malloc((in->nunits + 1) * sizeof(char *));
	if (!names)
		return -1;
	size_t n = 0;
	for (size_t u = 0; u < in->nunits; u++)
		names[n++] = in->units[u].district ? in->units[u].district : "";
	for (size_t i = 1; i < n; i++) /* insertion sort: n is the unit count */
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (m == 0 || strcmp(names[m - 1], names[i]))
			names[m++] = names[i];
	if (grow_reserve(&out->phase_districts, &pr->dcap, out->nphase_districts + m,
	                 sizeof(*out->phase_districts)) != 0) {
		free(names);
		return -1;
	}
	for (size_t d = 0; d < m; d++) {
		plan_phase_district row = {.year = year, .district = strdup(names[d])};
		if (!row.district) {
			free(names);
			return -1;
		}
		for (size_t u = 0; u < in->nunits; u++)
			if (!strcmp(in->units[u].district ? in->units[u].district : "", names[d]))
				row.total += in->units[u].households;
		for (size_t a = 0; a < p->nassign; a++) {
			const unit *un = &in->units[p->assign[a].unit];
			if (!strcmp(un->district ? un->district : "", names[d]))
				row.households += p->assign[a].households;
		}
		for (size_t s = 0; s < p->nstations; s++) {
			if (strcmp(station_district(in, pr->orig, p, s), names[d]))
				continue;
			row.stations++;
			row.new_stations += year > 0 && pr->site_phase[p->stations[s].site] == year;
		}
		out->phase_districts[out->nphase_districts++] = row;
	}
	free(names);
	return 0;
}

/* Solve on `sites` with budget b (NULL: the full plan, which gets half of
 * the time left); every other solve the time left over the solves to come. */
static status_code solve_on(phase_run *pr, const site_table *sites, const solver_budget *b, plan *p,
                            status *st)
{
	double left = pr->deadline - clock_now_s();
	size_t n = pr->solves > 1 ? pr->solves : 1;
	double share = !b && n > 1 ? left / 2 : left / (double)n;
	pr->sc.time_limit_s = share > 1e-3 ? share : 1e-3; /* > 0: the searches stop at once */
	if (pr->solves > 0)
		pr->solves--;
	return solver_solve_budget(pr->in, sites, pr->r, &pr->sc, b, p, st);
}

/* Units of the required districts of `year`, per unit (NULL when none). */
static unsigned char *required_units(const phase_run *pr, int year, int *oom)
{
	const phases_spec *ps = &pr->sc.phases;
	*oom = 0;
	int any = 0;
	for (size_t i = 0; i < ps->nrequired; i++)
		any |= ps->required[i].year == year;
	if (!any)
		return NULL;
	unsigned char *req = calloc(pr->in->nunits ? pr->in->nunits : 1, 1);
	if (!req) {
		*oom = 1;
		return NULL;
	}
	for (size_t u = 0; u < pr->in->nunits; u++)
		req[u] = phases_required_has(
		    ps, year, pr->in->units[u].district ? pr->in->units[u].district : "");
	return req;
}

/* The station sites of `p` become fixed for the next phases. */
static void fix_stations(phase_run *pr, const plan *p, int year)
{
	for (size_t s = 0; s < p->nstations; s++) {
		int j = p->stations[s].site;
		if (pr->site_phase[j] < 0)
			pr->site_phase[j] = year;
		pr->cur.sites[j].source = SITE_EXISTING;
	}
}

/* Stations on sites fixed by an earlier phase come back as "existing":
 * give them their own kind and every station its phase. */
static void relabel(const phase_run *pr, const scenario *sc, plan *p)
{
	for (size_t s = 0; s < p->nstations; s++) {
		plan_station *ps = &p->stations[s];
		const site *si = &pr->orig->sites[ps->site];
		ps->phase = pr->site_phase[ps->site] > 0 ? pr->site_phase[ps->site] : 0;
		if (si->source == SITE_EXISTING || ps->kind != STATION_EXISTING)
			continue;
		int village =
		    si->unit >= 0 && rules_unit_is_village(sc, pr->in->units[si->unit].kind);
		ps->kind = village ? STATION_VILLAGE : STATION_URBAN;
	}
}

static status_code phase_row(phase_run *pr, const plan *p, int year, long budget, double bound,
                             int full, size_t before)
{
	plan *out = pr->out;
	if (grow_to(&out->phases, out->nphases + 1, sizeof(*out->phases)) != 0)
		return STATUS_INTERNAL;
	plan_phase *row = &out->phases[out->nphases++];
	memset(row, 0, sizeof(*row));
	row->year = year;
	row->budget = budget;
	row->stations = p->nstations;
	for (size_t s = 0; s < p->nstations; s++) /* sorted by site */
		row->sites += s == 0 || p->stations[s].site != p->stations[s - 1].site;
	row->new_stations = p->nstations > before ? p->nstations - before : 0;
	row->households = served(p);
	row->share = pr->htotal > 0 ? (double)row->households / (double)pr->htotal : 0;
	row->bound = bound < (double)row->households ? (double)row->households : bound;
	row->gap = row->bound > 0 ? (row->bound - (double)row->households) / row->bound : 0;
	row->full = full;
	snprintf(row->status, sizeof(row->status), "%s", p->status);
	return add_districts(pr, p, year) < 0 ? STATUS_INTERNAL : STATUS_OK;
}

/* The most households `budget` stations can serve alone (only the existing
 * stations fixed, every site allowed): the bound the nested phase is
 * measured against. */
static status_code bound_alone(phase_run *pr, long budget, const unsigned char *req, double *bound,
                               status *st)
{
	plan alone = {0};
	solver_budget b = {
	    .new_stations = budget - (long)pr->nexisting, .required = req, .bound_only = 1};
	status_code rc = solve_on(pr, pr->orig, &b, &alone, st);
	if (rc == STATUS_OK)
		*bound = alone.bound;
	plan_free(&alone);
	return rc;
}

static status_code run_phases(phase_run *pr, status *st)
{
	const phases_spec *ps = &pr->sc.phases;
	plan full = {0}, prev = {0};
	status_code rc;
	unsigned char *req = NULL, *off = NULL;
	if ((rc = solve_on(pr, pr->orig, NULL, &full, st)) != STATUS_OK)
		goto out;
	long full_h = served(&full);
	size_t nfull = full.nstations;
	/* the last phase can be the full plan: every phase within its sites */
	int within = ps->years[ps->n - 1].budget >= (long)nfull;
	pr->solves = pr->nexisting > 0; /* the solves to come, now known */
	for (size_t t = 0; t < ps->n; t++)
		if (!within || ps->years[t].budget < (long)nfull)
			pr->solves += 1 + (within || t > 0);
	if (pr->nexisting > 0) { /* phase 0: the existing stations alone */
		solver_budget b0 = {.new_stations = 0};
		if ((rc = solve_on(pr, pr->orig, &b0, &prev, st)) != STATUS_OK ||
		    (rc = phase_row(pr, &prev, 0, -1, (double)served(&prev), 0, prev.nstations)) !=
		        STATUS_OK)
			goto out;
		plan_free(&prev);
	}
	if (within) {
		off = malloc(pr->orig->n ? pr->orig->n : 1);
		if (!off) {
			rc = STATUS_INTERNAL;
			goto out;
		}
		memset(off, 1, pr->orig->n);
		for (size_t s = 0; s < full.nstations; s++)
			off[full.stations[s].site] = 0;
	}
	size_t open_now = pr->nexisting;
	int full_moved = 0;
	for (size_t t = 0; t < ps->n; t++) {
		int year = ps->years[t].year, oom;
		long budget = ps->years[t].budget;
		free(req);
		req = required_units(pr, year, &oom);
		if (oom) {
			rc = STATUS_INTERNAL;
			goto out;
		}
		if (within && budget >= (long)nfull) { /* the full plan from here on */
			if (!full_moved) {
				plan_free(&prev);
				prev = full;
				memset(&full, 0, sizeof(full));
				full_moved = 1;
			}
			fix_stations(pr, &prev, year);
			if ((rc = phase_row(pr, &prev, year, budget, (double)full_h, 1,
			                    open_now)) != STATUS_OK)
				goto out;
			open_now = prev.nstations;
			continue;
		}
		/* most households under the budget given the earlier phases */
		plan p = {0};
		solver_budget b = {.new_stations =
		                       budget > (long)open_now ? budget - (long)open_now : 0,
		                   .required = req,
		                   .sites_off = off};
		if ((rc = solve_on(pr, &pr->cur, &b, &p, st)) != STATUS_OK)
			goto out;
		double bound = p.bound;
		if ((within || t > 0) &&
		    (rc = bound_alone(pr, budget, req, &bound, st)) != STATUS_OK) {
			plan_free(&p);
			goto out;
		}
		fix_stations(pr, &p, year);
		if ((rc = phase_row(pr, &p, year, budget, floor(bound + 1e-6), 0, open_now)) !=
		    STATUS_OK) {
			plan_free(&p);
			goto out;
		}
		open_now = p.nstations;
		plan_free(&prev);
		prev = p;
	}
	int last = ps->years[ps->n - 1].year;
	if (ps->years[ps->n - 1].budget < (long)nfull)
		status_problem_add(st, SEV_WARNING, "phases",
		                   "the last phase (%d = %ld) is below the %zu stations of the "
		                   "full plan: %ld of %ld households served (see layer "
		                   "'uncovered')",
		                   last, ps->years[ps->n - 1].budget, nfull, served(&prev), full_h);
	else if (prev.nstations > nfull)
		status_note(st, 1,
		            "phases: the last phase (%d) has %zu stations, %zu more than the full "
		            "plan alone: the earlier phases' stations stay where they are",
		            last, prev.nstations, prev.nstations - nfull);
	/* the written plan is the last phase, with the phase tables */
	plan_phase *phases = pr->out->phases;
	plan_phase_district *pd = pr->out->phase_districts;
	size_t np = pr->out->nphases, nd = pr->out->nphase_districts;
	*pr->out = prev;
	memset(&prev, 0, sizeof(prev));
	pr->out->phases = phases;
	pr->out->phase_districts = pd;
	pr->out->nphases = np;
	pr->out->nphase_districts = nd;
	relabel(pr, &pr->sc, pr->out);
	for (size_t i = 0; i < np; i++) /* one line per phase on stderr unless -q */
		status_note(st, 0,
		            "phase %4d: %zu stations (%zu new), %ld households (%.1f %%)%s; "
		            "its budget alone: at most %.0f (gap %.2f %%)",
		            phases[i].year, phases[i].stations, phases[i].new_stations,
		            phases[i].households, 100.0 * phases[i].share,
		            phases[i].full ? ", the full plan" : "", phases[i].bound,
		            100.0 * phases[i].gap);
out:
	free(req);
	free(off);
	plan_free(&full);
	plan_free(&prev);
	return rc;
}

/* The budget model (at most `budget` new stations) within the sites of
 * `full` (which it frees) into *within. */
static status_code within_sites(phase_run *pr, plan *full, long budget, plan *within, status *st)
{
	unsigned char *off = malloc(pr->orig->n ? pr->orig->n : 1);
	if (!off) {
		plan_free(full);
		return status_fail(st, STATUS_INTERNAL, "phases: out of memory");
	}
	memset(off, 1, pr->orig->n);
	for (size_t s = 0; s < full->nstations; s++)
		off[full->stations[s].site] = 0;
	plan_free(full);
	solver_budget b = {.new_stations = budget, .sites_off = off};
	status_code rc = solver_solve_budget(pr->in, pr->orig, pr->r, &pr->sc, &b, within, st);
	free(off);
	return rc;
}

/* rules.max_stations: the full plan when it fits; else the budget model
 * within the full plan's sites (small: every site packed at once, fast,
 * measured best on the dense city), measured against the LP bound over
 * every site; only when that plan is not within mip_gap of the bound, the
 * budget model over every site too, keeping the plan serving more.
 * Flexibly, the budget model also within the sites of the equal-parts full
 * plan, keeping the plan serving more: the flexible full plan has fewer
 * stations on other sites, and within them served 0.3-0.7 % fewer
 * households than equal parts (Yinchuan at 440, Liaocheng at 2,280), the
 * search over every site not finishing in its share. */
static status_code max_stations(phase_run *pr, plan *out, status *st)
{
	long budget = pr->sc.max_stations;
	int flex = rules_split_flexible(&pr->sc);
	pr->sc.time_limit_s /= flex ? 5 : 3;
	status_code rc = solver_solve(pr->in, pr->orig, pr->r, &pr->sc, out, st);
	if (rc != STATUS_OK || (long)(out->nstations - pr->nexisting) <= budget)
		return rc;
	plan within = {0};
	if ((rc = within_sites(pr, out, budget, &within, st)) != STATUS_OK)
		return rc;
	if (flex) {
		scenario eq = pr->sc;
		eq.split = SPLIT_EQUAL;
		plan efull = {0}, ewithin = {0};
		if ((rc = solver_solve(pr->in, pr->orig, pr->r, &eq, &efull, st)) != STATUS_OK ||
		    (rc = within_sites(pr, &efull, budget, &ewithin, st)) != STATUS_OK) {
			plan_free(&within);
			return rc;
		}
		if (ewithin.objective > within.objective + 1e-9) {
			plan_free(&within);
			within = ewithin;
		} else {
			plan_free(&ewithin);
		}
	}
	solver_budget b = {.new_stations = budget};
	/* the bound over every site (its LP); the search there only when the
	 * plan within the full plan's sites is not within mip_gap of it */
	b.bound_only = 1;
	plan lp = {0};
	if ((rc = solver_solve_budget(pr->in, pr->orig, pr->r, &pr->sc, &b, &lp, st)) !=
	    STATUS_OK) {
		plan_free(&within);
		return rc;
	}
	double bound = lp.bound;
	plan_free(&lp);
	*out = within;
	if (bound - out->objective > pr->sc.mip_gap * bound) {
		b.bound_only = 0;
		plan other = {0};
		if ((rc = solver_solve_budget(pr->in, pr->orig, pr->r, &pr->sc, &b, &other, st)) !=
		    STATUS_OK) {
			plan_free(out);
			return rc;
		}
		if (other.bound < bound)
			bound = other.bound;
		if (other.objective > out->objective + 1e-9) {
			plan_free(out);
			*out = other;
		} else {
			plan_free(&other);
		}
	}
	out->bound = bound > out->objective ? bound : out->objective;
	out->gap = out->bound > 0 ? fmax(0.0, (out->bound - out->objective) / out->bound) : 0;
	int ok = out->gap <= pr->sc.mip_gap + 1e-9;
	out->proven = out->proven && ok;
	if (!ok && !strcmp(out->status, "optimal"))
		snprintf(out->status, sizeof(out->status), "feasible");
	return STATUS_OK;
}

status_code solver_solve_phases(const inputs *in, const site_table *sites, const reach *r,
                                const scenario *sc, plan *out, status *st)
{
	memset(out, 0, sizeof(*out));
	phase_run pr = {.in = in, .orig = sites, .r = r, .sc = *sc, .out = out};
	pr.nexisting = existing_count(sites);
	for (size_t u = 0; u < in->nunits; u++)
		pr.htotal += in->units[u].households;
	status_code rc;
	if (sc->stations >= 0) {
		solver_budget b = {.new_stations = sc->stations, .exact = 1};
		return solver_solve_budget(in, sites, r, sc, &b, out, st);
	}
	if (sc->phases.n == 0)
		return max_stations(&pr, out, st);
	pr.solves = 1 + (pr.nexisting > 0) + 2 * sc->phases.n;
	pr.deadline = clock_now_s() + sc->time_limit_s;
	pr.cur.n = sites->n;
	pr.cur.sites = malloc((sites->n ? sites->n : 1) * sizeof(site));
	pr.site_phase = malloc((sites->n ? sites->n : 1) * sizeof(int));
	if (!pr.cur.sites || !pr.site_phase) {
		free(pr.cur.sites);
		free(pr.site_phase);
		return status_fail(st, STATUS_INTERNAL, "phases: out of memory");
	}
	memcpy(pr.cur.sites, sites->sites, sites->n * sizeof(site));
	for (size_t j = 0; j < sites->n; j++)
		pr.site_phase[j] = sites->sites[j].source == SITE_EXISTING ? 0 : -1;
	rc = run_phases(&pr, st);
	if (rc == STATUS_INTERNAL && !st->msg[0])
		status_fail(st, STATUS_INTERNAL, "phases: out of memory");
	if (rc != STATUS_OK)
		plan_free(out);
	free(pr.cur.sites);
	free(pr.site_phase);
	return rc;
}
