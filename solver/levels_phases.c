/*
 * levels_phases.c: the phase of each facility of an upper level when the
 * scenario has [phases] (include/phases.h): the year it opens, 0 for an
 * existing facility, -1 for one open in no phase.
 *
 * The level is first placed as without phases (solver/levels_plan.c): that
 * placement F is the plan of the last year. The years are then taken from
 * the last to the first, each choosing its open set S_t among the facilities
 * open in the year after (S_T among F), so the sets are nested by
 * construction: S_1 within S_2 ... within S_T within F.
 *
 *   - a year with a budget `LEVEL.YEAR = B` (phases_level_budget) for the
 *     last year keeps F whole when B >= |F| (the last phase equals the
 *     unbudgeted placement), else, as every budgeted earlier year, solves
 *     in GLPK, over the lower facilities open that year (their own phase
 *     <= YEAR; each with its final load: a lower facility's load in an
 *     earlier year is not re-derived) and the facilities of S_{t+1}, a
 *     maximum covering model
 *
 *       max  sum_a w_i x_a                     (households routed)
 *       s.t. sum_{a of i} x_a <= 1             each lower facility once
 *            x_a <= y_f                        only to an open facility
 *            sum_f y_f <= B                    the budget
 *            y_f = 1                           existing facilities
 *            sum_{f in D} y_f >= 1             a required district D of this
 *                                              year or an earlier one
 *                                              (levels with per = district)
 *            sum_i w_i x_a <= C y_f            capacity, when given
 *
 *     then, with the covered households held (>= the first optimum), the
 *     load-weighted distance sum w_i d_a x_a is minimised: two MIPs, each
 *     to mip_gap within time_limit_s. Arcs follow the level's rules (own
 *     group unless cross_groups or per = city, within max_distance_m). A
 *     facility stays in S_t when it is existing or receives load;
 *   - a year without a budget keeps the facilities of S_{t+1} that are
 *     existing or receive, in the final flows, a lower facility open that
 *     year; the last year without a budget keeps F.
 *
 * What is proven: each budgeted year's set is optimal (to mip_gap; the
 * status says which) among the subsets of the next year's set. It is not
 * proven optimal against a placement free to use places the later years
 * did not choose; the nesting is what the plans ask for. A last-year
 * budget below |F| is said in a warning and in run_levels.phases.
 */
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "levels.h"
#include "clock.h"
#include "levels_int.h"
#include "rules.h"
#include "solver_int.h"

/* One budgeted year's model: nodes (open lower facilities), the candidate
 * facilities `cand` (indices into r->fac), arcs between them. */
/* The stage's deadline, from the search's callback (GLPK's own limit is
 * not checked in every phase of its search). */
static void phase_deadline(glp_tree *tree, void *info)
{
	const lv_phase_in *pin = info;
	if (pin->deadline > 0 && clock_now_s() > pin->deadline)
		glp_ios_terminate(tree);
}

typedef struct pjob {
	const level_result *r;
	const lv_phase_in *pin;
	int year;
	long budget;
	int nc;
	const int *cand;
	size_t narcs;
	const int *arc_node, *arc_cand;
	const double *arc_dist;
	unsigned char *keep; /* out: per candidate */
	long covered;        /* out */
	double distance;     /* out: load-weighted metres */
	char status[16];     /* out */
	int infeasible;      /* out: no set fits the budget and the required rows */
	char err[256];
} pjob;

static int mip(glp_prob *P, const pjob *j, int *ret, int *mst)
{
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	int r = glp_simplex(P, &sm);
	if (r != 0 || glp_get_status(P) != GLP_OPT) {
		*ret = r, *mst = glp_get_status(P);
		return r == 0 || r == GLP_ENOPFS ? 1 : -1; /* 1: no LP solution */
	}
	glp_iocp io;
	glp_init_iocp(&io);
	io.msg_lev = GLP_MSG_OFF;
	io.mip_gap = j->pin->mip_gap;
	io.tm_lim = (int)(levels_seconds_left(j->pin->deadline, j->pin->time_limit_s) * 1000.0);
	io.cb_func = phase_deadline;
	io.cb_info = (void *)j->pin;
	*ret = glp_intopt(P, &io);
	*mst = glp_mip_status(P);
	if ((*ret != 0 && *ret != GLP_ETMLIM && *ret != GLP_EMIPGAP && *ret != GLP_ESTOP) ||
	    (*mst != GLP_OPT && *mst != GLP_FEAS && *mst != GLP_NOFEAS))
		return -1;
	return *mst == GLP_NOFEAS ? 1 : 0;
}

static int run_phase(void *arg)
{
	pjob *j = arg;
	const lv_phase_in *pin = j->pin;
	int nc = j->nc;
	size_t na = j->narcs;
	glp_prob *P = glp_create_prob();
	glp_add_cols(P, nc + (int)na);
	for (int c = 0; c < nc; c++) {
		glp_set_col_kind(P, c + 1, GLP_BV);
		if (j->r->fac[j->cand[c]].existing)
			glp_set_col_bnds(P, c + 1, GLP_FX, 1, 1);
	}
	for (size_t a = 0; a < na; a++) {
		int col = nc + (int)a + 1;
		glp_set_col_bnds(P, col, GLP_DB, 0, 1);
		if (pin->cap > 0)
			glp_set_col_kind(P, col, GLP_BV);
		glp_set_obj_coef(P, col, (double)pin->nodes[j->arc_node[a]].load);
	}
	/* triplets: node rows, link rows, budget, required, capacity */
	size_t room = 3 * na + 3 * (size_t)nc + 8;
	int *ia = malloc((room + 1) * sizeof(int)), *ja = malloc((room + 1) * sizeof(int));
	double *ar = malloc((room + 1) * sizeof(double));
	if (!ia || !ja || !ar) {
		free(ia), free(ja), free(ar);
		glp_delete_prob(P);
		snprintf(j->err, sizeof(j->err), "out of memory");
		return -1;
	}
	size_t nz = 0;
	int row0 = pin->nn ? glp_add_rows(P, (int)pin->nn) - 1 : 0; /* node i: row0 + i + 1 */
	for (size_t i = 0; i < pin->nn; i++)
		glp_set_row_bnds(P, row0 + (int)i + 1, GLP_UP, 0, 1);
	for (size_t a = 0; a < na; a++)
		ia[++nz] = row0 + j->arc_node[a] + 1, ja[nz] = nc + (int)a + 1, ar[nz] = 1;
	int link0 = na ? glp_add_rows(P, (int)na) - 1 : 0;
	for (size_t a = 0; a < na; a++) {
		glp_set_row_bnds(P, link0 + (int)a + 1, GLP_UP, 0, 0);
		ia[++nz] = link0 + (int)a + 1, ja[nz] = nc + (int)a + 1, ar[nz] = 1;
		ia[++nz] = link0 + (int)a + 1, ja[nz] = j->arc_cand[a] + 1, ar[nz] = -1;
	}
	int brow = glp_add_rows(P, 1);
	glp_set_row_bnds(P, brow, GLP_UP, 0, (double)j->budget);
	for (int c = 0; c < nc; c++)
		ia[++nz] = brow, ja[nz] = c + 1, ar[nz] = 1;
	if (pin->per == LEVEL_PER_DISTRICT) /* one row per required district with candidates */
		for (int c = 0; c < nc; c++) {
			const char *d = j->r->fac[j->cand[c]].district;
			int first = 1, req = 0;
			for (int e = 0; e < c; e++)
				first &= strcmp(j->r->fac[j->cand[e]].district, d) != 0;
			for (size_t y = 0;
			     first && y < pin->ps->n && pin->ps->years[y].year <= j->year; y++)
				req |= phases_required_has(pin->ps, pin->ps->years[y].year, d);
			if (!first || !req)
				continue;
			int row = glp_add_rows(P, 1);
			glp_set_row_bnds(P, row, GLP_LO, 1, 0);
			for (int e = c; e < nc; e++)
				if (!strcmp(j->r->fac[j->cand[e]].district, d))
					ia[++nz] = row, ja[nz] = e + 1, ar[nz] = 1;
		}
	if (pin->cap > 0 && nc > 0) {
		int cap0 = glp_add_rows(P, nc) - 1;
		for (int c = 0; c < nc; c++) {
			glp_set_row_bnds(P, cap0 + c + 1, GLP_UP, 0, 0);
			ia[++nz] = cap0 + c + 1, ja[nz] = c + 1, ar[nz] = -(double)pin->cap;
		}
		for (size_t a = 0; a < na; a++)
			ia[++nz] = cap0 + j->arc_cand[a] + 1, ja[nz] = nc + (int)a + 1,
			ar[nz] = (double)pin->nodes[j->arc_node[a]].load;
	}
	glp_load_matrix(P, (int)nz, ia, ja, ar);
	free(ia), free(ja), free(ar);

	int ret = 0, mst = 0;
	glp_set_obj_dir(P, GLP_MAX);
	int rc = mip(P, j, &ret, &mst);
	if (rc == 0) { /* stage 2: the covered households held, least distance */
		j->covered = lround(glp_mip_obj_val(P));
		int row = glp_add_rows(P, 1);
		int *ci = malloc((na + 1) * sizeof(int));
		double *cv = malloc((na + 1) * sizeof(double));
		if (!ci || !cv) {
			free(ci), free(cv);
			glp_delete_prob(P);
			snprintf(j->err, sizeof(j->err), "out of memory");
			return -1;
		}
		for (size_t a = 0; a < na; a++) {
			ci[a + 1] = nc + (int)a + 1;
			cv[a + 1] = (double)pin->nodes[j->arc_node[a]].load;
			glp_set_obj_coef(P, nc + (int)a + 1, cv[a + 1] * j->arc_dist[a]);
		}
		glp_set_mat_row(P, row, (int)na, ci, cv);
		glp_set_row_bnds(P, row, GLP_LO, (double)j->covered, 0);
		free(ci), free(cv);
		glp_set_obj_dir(P, GLP_MIN);
		rc = mip(P, j, &ret, &mst);
	}
	if (rc < 0) {
		snprintf(j->err, sizeof(j->err), "glpk: return %d, status %d", ret, mst);
		glp_delete_prob(P);
		return -1;
	}
	if (rc > 0) {
		j->infeasible = 1;
		glp_delete_prob(P);
		return 0;
	}
	j->distance = glp_mip_obj_val(P);
	snprintf(j->status, sizeof(j->status), "%s",
	         ret == 0 && mst == GLP_OPT              ? "optimal"
	         : ret == GLP_ETMLIM || ret == GLP_ESTOP ? "time_limit"
	                                                 : "feasible");
	for (int c = 0; c < nc; c++)
		j->keep[c] = j->r->fac[j->cand[c]].existing;
	for (size_t a = 0; a < na; a++)
		if (glp_mip_col_val(P, j->arc_cand[a] + 1) > 0.5 &&
		    glp_mip_col_val(P, nc + (int)a + 1) > 1e-6)
			j->keep[j->arc_cand[a]] = 1;
	glp_delete_prob(P);
	return 0;
}

/* Choose S_t among the candidates `cand` (nc) under `budget`. Fills keep. */
static status_code solve_year(const lv_phase_in *pin, level_result *r, int year, long budget,
                              const int *cand, int nc, unsigned char *keep, pjob *out, status *st)
{
	size_t cap = pin->nn * (size_t)(nc ? nc : 1) + 1;
	int *an = malloc(cap * sizeof(int)), *ac = malloc(cap * sizeof(int));
	double *ad = malloc(cap * sizeof(double)), *dm = malloc(cap * sizeof(double));
	levels_point *from = malloc((pin->nn + 1) * sizeof(*from));
	levels_point *to = malloc(((size_t)nc + 1) * sizeof(*to));
	if (!an || !ac || !ad || !dm || !from || !to) {
		free(an), free(ac), free(ad), free(dm), free(from), free(to);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	/* every node's distance to every candidate (along the streets with roads) */
	for (size_t i = 0; i < pin->nn; i++)
		from[i] = (levels_point){pin->nodes[i].x, pin->nodes[i].y, pin->nodes[i].ref};
	for (int c = 0; c < nc; c++)
		to[c] = (levels_point){r->fac[cand[c]].x, r->fac[cand[c]].y, r->fac[cand[c]].ref};
	status_code drc = levels_distance_fill(
	    &pin->dist, pin->nn, from, (size_t)nc, to,
	    pin->max_distance_m > 0 ? pin->max_distance_m : INFINITY, pin->deadline, dm, st);
	free(from), free(to);
	if (drc != STATUS_OK) {
		free(an), free(ac), free(ad), free(dm);
		return drc;
	}
	size_t na = 0;
	int cross = pin->cross || pin->per == LEVEL_PER_CITY;
	for (size_t i = 0; i < pin->nn; i++) {
		const lv_node *n = &pin->nodes[i];
		if (n->phase < 0 || n->phase > year || n->load <= 0)
			continue;
		for (int c = 0; c < nc; c++) {
			const level_facility *f = &r->fac[cand[c]];
			if (!cross && strcmp(n->group, f->group))
				continue;
			double d = dm[i * (size_t)nc + (size_t)c];
			if (d < 0 || (pin->max_distance_m > 0 && d > pin->max_distance_m))
				continue;
			an[na] = (int)i, ac[na] = c, ad[na] = d, na++;
		}
	}
	*out = (pjob){.r = r,
	              .pin = pin,
	              .year = year,
	              .budget = budget,
	              .nc = nc,
	              .cand = cand,
	              .narcs = na,
	              .arc_node = an,
	              .arc_cand = ac,
	              .arc_dist = ad,
	              .keep = keep};
	status_code rc = STATUS_OK;
	if (nc == 0) /* nothing to open: an empty set */
		snprintf(out->status, sizeof(out->status), "optimal");
	else if (glpk_bridge_call(run_phase, out, out->err, sizeof(out->err)) != 0)
		rc = status_fail(st, STATUS_INTERNAL, "level '%s', phase %d: %s", r->name, year,
		                 out->err);
	else if (out->infeasible)
		rc =
		    status_fail(st, STATUS_INPUT,
		                "phases: %s.%d = %ld: no set of that many facilities of level '%s' "
		                "holds its existing facilities and a facility in every required "
		                "district",
		                r->name, year, budget, r->name);
	free(an), free(ac), free(ad), free(dm);
	return rc;
}

status_code levels_phases_assign(const lv_phase_in *pin, level_result *r, status *st)
{
	const phases_spec *ps = pin->ps;
	size_t nf = r->nfac;
	r->phases[0] = '\0';
	for (size_t f = 0; f < nf; f++)
		r->fac[f].phase = r->fac[f].existing ? 0 : -1;
	if (!ps || ps->n == 0)
		return STATUS_OK;
	int *cand = malloc((nf + 1) * sizeof(int)), *next = malloc((nf + 1) * sizeof(int));
	unsigned char *keep = calloc(nf + 1, 1);
	int **sets = calloc(ps->n, sizeof(*sets));
	int *nset = calloc(ps->n + 1, sizeof(int));
	if (!cand || !next || !keep || !sets || !nset) {
		free(cand), free(next), free(keep), free(sets), free(nset);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	status_code rc = STATUS_OK;
	int nc = (int)nf;
	for (int f = 0; f < nc; f++)
		cand[f] = f;
	char(*part)[256] = calloc(ps->n, sizeof(*part));
	if (!part) {
		free(cand), free(next), free(keep), free(sets), free(nset);
		return status_fail(st, STATUS_INTERNAL, "out of memory");
	}
	for (size_t t = ps->n; t-- > 0 && rc == STATUS_OK;) {
		int year = ps->years[t].year, nexist = 0, nk = 0;
		long b = phases_level_budget(ps, r->name, year);
		int last = t + 1 == ps->n;
		for (int c = 0; c < nc; c++)
			nexist += r->fac[cand[c]].existing;
		if (b >= 0 && b < nexist) {
			rc = status_fail(
			    st, STATUS_INPUT,
			    "phases: %s.%d = %ld is below the %d existing facilities of "
			    "level '%s'",
			    r->name, year, b, nexist, r->name);
			break;
		}
		if (last && (b < 0 || b >= nc)) {
			memcpy(next, cand, (size_t)nc * sizeof(int)), nk = nc;
			snprintf(part[t], sizeof(part[t]),
			         "%d: %d facilities, the full placement%s", year, nk,
			         b < 0 ? "" : " (within the budget)");
		} else if (b < 0) {
			for (int c = 0; c < nc; c++) {
				int open = r->fac[cand[c]].existing;
				for (size_t w = 0; !open && w < r->nflows; w++) {
					const level_flow *fl = &r->flows[w];
					open = fl->to == cand[c] &&
					       pin->nodes[fl->from].phase >= 0 &&
					       pin->nodes[fl->from].phase <= year;
				}
				if (open)
					next[nk++] = cand[c];
			}
			snprintf(
			    part[t], sizeof(part[t]),
			    "%d: %d facilities, those receiving a lower facility open that year",
			    year, nk);
		} else {
			pjob j;
			rc = solve_year(pin, r, year, b, cand, nc, keep, &j, st);
			if (rc != STATUS_OK)
				break;
			long total = 0;
			for (size_t i = 0; i < pin->nn; i++)
				if (pin->nodes[i].phase >= 0 && pin->nodes[i].phase <= year)
					total += pin->nodes[i].load;
			for (int c = 0; c < nc; c++)
				if (keep[c])
					next[nk++] = cand[c];
			snprintf(part[t], sizeof(part[t]),
			         "%d: %d facilities (budget %ld), %ld of %ld households routed, "
			         "%.0f load-weighted m, %s",
			         year, nk, b, j.covered, total, j.distance, j.status);
			if (last)
				status_problem_add(
				    st, SEV_WARNING, "levels",
				    "level '%s': the budget %s.%d = %ld is below the %d "
				    "facilities of the full placement: %d open by %d, the "
				    "others in no phase (phase NULL)",
				    r->name, r->name, year, b, nc, nk, year);
		}
		if (!(sets[t] = malloc(((size_t)nk + 1) * sizeof(int)))) {
			rc = status_fail(st, STATUS_INTERNAL, "out of memory");
			break;
		}
		memcpy(sets[t], next, (size_t)nk * sizeof(int));
		nset[t] = nk;
		memcpy(cand, next, (size_t)nk * sizeof(int)), nc = nk;
	}
	if (rc == STATUS_OK) {
		size_t n = 0;
		for (size_t t = 0; t < ps->n; t++) {
			for (int k = 0; k < nset[t]; k++)
				if (r->fac[sets[t][k]].phase < 0)
					r->fac[sets[t][k]].phase = ps->years[t].year;
			n += (size_t)snprintf(r->phases + n,
			                      n < sizeof(r->phases) ? sizeof(r->phases) - n : 0,
			                      "%s%s", t ? "; " : "", part[t]);
		}
	}
	for (size_t t = 0; t < ps->n; t++)
		free(sets[t]);
	free(cand), free(next), free(keep), free(sets), free(nset), free(part);
	return rc;
}
