/*
 * budget_model.c: the budget model of solver/budget.c, built and solved
 * through the GLPK C API (see budget.c for the formulation).
 *
 * Stage 1: the LP (primal simplex, presolver off, so the callback sees our
 * column numbering), then branch-and-bound with mip_gap, the bound followed
 * in the callback (best active node, GLPK's gap). Stage 2 (walk_stage):
 * the row "households served >= those of the stage-1 plan", walking as the
 * objective, the stage-1 plan injected as incumbent at the first
 * GLP_IHEUR call, mip_gap on the walking. Both return codes and solution
 * statuses are checked after each search.
 */
#include "budget_int.h"

#include <float.h>
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* A column the band allows: in the band, or at an isolated site, or at a
 * fixed site (then it may cost the penalty). */
static int col_allowed(const sp_sub *s, const sp_params *p, const sp_cols *c, size_t q)
{
	return c->lo[q] >= p->hmin || sp_isolated(s, p, c->site[q]) || s->fixed[c->site[q]];
}

/* Column q holds an equal part of a split unit (flexible splitting: a
 * pattern with shares stands for it). */
static int col_splits(const sp_sub *s, const sp_cols *c, size_t q)
{
	for (size_t e = c->start[q]; e < c->start[q + 1]; e++)
		if (s->k[c->unit[e]] > 1)
			return 1;
	return 0;
}

/* With flexible shares: each search stops after this many nodes without a
 * better plan (counted, so where it stops does not depend on the machine;
 * the shares' walking leaves long searches of ties, and on a generated city
 * the households' search rarely improved on the plan of equal parts). */
#define BM_STALL 500
/* The same for the households' search: more, the households are what the
 * budget is for (issue 11's four communities, 5 stations: the best plan
 * after about 1,600 nodes). */
#define BM_STALL1 5000

static void callback(glp_tree *tree, void *info)
{
	bmodel *m = info;
	glp_prob *P = glp_ios_get_prob(tree);
	if (glp_ios_reason(tree) == GLP_ISELECT)
		m->nodes++;
	if (m->w->p.work_limit > 0 && m->nodes > m->w->p.work_limit &&
	    glp_mip_status(P) == GLP_FEAS) { /* past solver.work_limit nodes, a plan in
		                                hand (none yet: on to the first) */
		m->stopped = 1;
		glp_ios_terminate(tree);
		return;
	}
	int best = glp_ios_best_node(tree);
	if (m->stage == 2) { /* minimising walking: the best node bounds it from below */
		if (best && glp_ios_node_bound(tree, best) > m->wbound)
			m->wbound = glp_ios_node_bound(tree, best);
		if (glp_mip_status(P) == GLP_FEAS && glp_mip_obj_val(P) < m->seen - 1e-9) {
			m->seen = glp_mip_obj_val(P); /* a better plan (not the bound's
			                                 creeping) keeps it going */
			m->stall_at = m->nodes;
		}
		if (m->flexon && m->nodes - m->stall_at > BM_STALL) {
			glp_ios_terminate(tree);
			return;
		}
		if (glp_ios_reason(tree) == GLP_IHEUR && !m->injected) {
			m->injected = 1;
			glp_ios_heur_sol(tree, m->inc);
		}
		return;
	}
	if (best) {
		double b = glp_ios_node_bound(tree, best);
		if (b < m->bound)
			m->bound = b;
	}
	if (glp_ios_reason(tree) == GLP_IHEUR && m->inc1 && !m->injected) {
		m->injected = 1; /* the plan of equal parts as shares */
		glp_ios_heur_sol(tree, m->inc1);
	}
	if (glp_mip_status(P) == GLP_FEAS && glp_mip_obj_val(P) > m->seen + 1e-9) {
		m->seen = glp_mip_obj_val(P);
		m->stall_at = m->nodes;
	}
	if (m->flexon && m->nodes - m->stall_at > BM_STALL1) { /* no better plan for
		long: the lazy rounds of budget.c need their time too */
		glp_ios_terminate(tree);
		return;
	}
	/* flexible shares: households are whole and the walking term below one,
	 * so a plan with the most households the bound allows ends the search
	 * (the walking is the next stage's) */
	if (m->flexon && glp_mip_status(P) == GLP_FEAS &&
	    ceil(glp_mip_obj_val(P) - 1e-9) >= floor(m->bound + 1.0 - 1e-9))
		glp_ios_terminate(tree);
}

/* Walking second: among plans serving at least the households of the
 * stage-1 plan (a row), the least household-weighted walking, with that plan
 * as incumbent and mip_gap on the walking. Avoidably underfilled columns the
 * first plan did not use stay out. Updates xval, walk, wbound. Returns 0, -1
 * when GLPK fails (m->err set). */
static int walk_stage(bmodel *m, glp_prob *P, size_t ncols, double seconds)
{
	int n = (int)ncols;
	int *ind = malloc(((size_t)n + 1) * sizeof(int));
	double *val = malloc(((size_t)n + 1) * sizeof(double));
	free(m->inc);
	m->inc = malloc(((size_t)n + 1) * sizeof(double));
	if (!ind || !val || !m->inc) {
		free(ind), free(val);
		snprintf(m->err, m->errsize, "out of memory in the walking stage");
		return -1;
	}
	double h1 = 0, w1 = 0;
	int nz = 0;
	for (int q = 1; q <= n; q++) {
		m->inc[q] = m->xval[q - 1];
		h1 += m->hcoef[q] * m->xval[q - 1];
		w1 += m->wcoef[q] * m->xval[q - 1];
		if (m->hcoef[q] != 0) {
			ind[++nz] = q;
			val[nz] = m->hcoef[q];
		}
		if (m->pen[q] && m->xval[q - 1] < 0.5)
			glp_set_col_bnds(P, q, GLP_FX, 0, 0);
		glp_set_obj_coef(P, q, m->wcoef[q] / 1000.0);
	}
	int row = glp_add_rows(P, 1);
	glp_set_row_bnds(P, row, GLP_LO, floor(h1 + 0.5) - 0.5, 0);
	glp_set_mat_row(P, row, nz, ind, val);
	free(ind), free(val);
	glp_set_obj_dir(P, GLP_MIN);
	m->walk = w1 / 1000.0;
	m->wbound = 0;
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.tm_lim = seconds > 0.1 ? (int)(seconds * 1000.0) : 100;
	int ret = glp_simplex(P, &sm);
	if (ret == GLP_ETMLIM)
		return 0; /* no time: the first plan stands */
	if (ret != 0 || glp_get_status(P) != GLP_OPT) {
		snprintf(m->err, m->errsize, "glp_simplex (walking): return %d, status %d", ret,
		         glp_get_status(P));
		return -1;
	}
	m->wbound = glp_get_obj_val(P);
	glp_iocp io;
	glp_init_iocp(&io);
	io.msg_lev = GLP_MSG_OFF;
	io.presolve = GLP_OFF;
	io.mip_gap = m->w->p.mip_gap;
	io.tm_lim = sm.tm_lim;
	io.cb_func = callback;
	io.cb_info = m;
	m->stage = 2;
	m->injected = 0;
	m->nodes = m->stall_at = 0;
	m->seen = m->walk;
	ret = glp_intopt(P, &io);
	m->stage = 1;
	int mst = glp_mip_status(P);
	if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EMIPGAP && ret != GLP_ESTOP) {
		snprintf(m->err, m->errsize, "glp_intopt (walking): return %d, status %d", ret,
		         mst);
		return -1;
	}
	m->timed |= ret == GLP_ETMLIM;
	if ((mst == GLP_OPT || mst == GLP_FEAS) && glp_mip_obj_val(P) < m->walk + 1e-9) {
		m->walk = glp_mip_obj_val(P);
		for (int q = 1; q <= n; q++)
			m->xval[q - 1] = glp_mip_col_val(P, q);
	}
	if (ret == GLP_EMIPGAP) {
		double b = m->walk - m->w->p.mip_gap * (fabs(m->walk) + DBL_EPSILON);
		if (b > m->wbound)
			m->wbound = b;
	}
	if (mst == GLP_OPT && ret == 0)
		m->wbound = m->walk;
	if (m->wbound > m->walk)
		m->wbound = m->walk;
	return 0;
}

static double *equal_incumbent(bmodel *m, size_t ncols);

static int model_run(bmodel *m)
{
	const sp_world *w = m->w;
	const sp_params *p = &w->p;
	glp_prob *P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MAX);
	/* rows: units of every job, fixed and packed sites of every job, budget */
	size_t nrows = 0, ncols = 0, nz = 0;
	for (size_t i = 0; i < m->njobs; i++) {
		const sp_sub *s = &m->jobs[i].sub;
		const sp_cols *c = &m->jobs[i].cols;
		m->unitbase[i] = nrows;
		nrows += (size_t)s->nu;
		for (int j = 0; j < s->ns; j++)
			nrows += s->fixed[j] || c->packed[j];
		m->colbase[i] = ncols;
		ncols += c->n;
		m->wbase[i] = ncols;
		ncols += (size_t)s->nu;
		nz += c->nnz + c->n + (size_t)s->nu + c->n;
	}
	size_t budget_row = ++nrows;
	size_t zbase = m->zbase = ncols;
	ncols += (size_t)m->nvill;
	nz += (size_t)m->nvill + 1;
	m->flexon = 0;
	for (size_t i = 0; m->flex && i < m->njobs; i++) /* flexible patterns */
		if (m->flex[i].on) {
			m->flexon = 1;
			nrows = budget_flex_rows(&m->flex[i], &m->jobs[i].sub, p, nrows);
			m->fbase[i] = ncols;
			ncols += m->flex[i].ncols;
			nz += budget_flex_nnz(&m->flex[i]);
		}
	int *ia = malloc((nz + 1) * sizeof(int)), *ja = malloc((nz + 1) * sizeof(int));
	double *ar = malloc((nz + 1) * sizeof(double));
	int *srow = NULL;
	double *scap = NULL;
	free(m->hcoef), free(m->wcoef), free(m->pen);
	m->hcoef = calloc(ncols + 2, sizeof(double));
	m->wcoef = calloc(ncols + 2, sizeof(double));
	m->pen = calloc(ncols + 2, 1);
	if (!ia || !ja || !ar || !m->hcoef || !m->wcoef || !m->pen) {
		snprintf(m->err, m->errsize, "out of memory building the budget model");
		goto fail;
	}
	glp_add_rows(P, (int)nrows);
	glp_add_cols(P, (int)(ncols ? ncols : 1));
	size_t k = 0;
	int row = 0;
	for (size_t i = 0; i < m->njobs; i++) {
		const sp_sub *s = &m->jobs[i].sub;
		const sp_cols *c = &m->jobs[i].cols;
		const unsigned char *req = m->b->required;
		int flex = m->flex && m->flex[i].on; /* shares, not equal parts */
		for (int u = 0; u < s->nu; u++) {
			int r = (int)m->unitbase[i] + u + 1;
			int must = req && req[s->unit[u]];
			int wc = (int)m->wbase[i] + u + 1;
			if (s->k[u] == 1) {
				glp_set_row_bnds(P, r, must ? GLP_FX : GLP_DB, must ? 1 : 0, 1);
				glp_set_col_bnds(P, wc, GLP_FX, 0, 0);
			} else {
				glp_set_row_bnds(P, r, GLP_FX, 0, 0);
				glp_set_col_kind(P, wc, GLP_BV);
				if (must)
					glp_set_col_bnds(P, wc, GLP_FX, 1, 1);
				glp_set_obj_coef(P, wc, (double)s->h[u]);
				m->hcoef[wc] = (double)s->h[u];
				k++;
				ia[k] = r, ja[k] = wc, ar[k] = -(double)(flex ? s->h[u] : s->k[u]);
			}
		}
		row = (int)m->unitbase[i] + s->nu;
		free(srow);
		free(scap);
		srow = calloc((size_t)s->ns + 1, sizeof(int));
		scap = malloc(((size_t)s->ns + 1) * sizeof(double));
		if (!srow || !scap) {
			snprintf(m->err, m->errsize, "out of memory building the budget model");
			goto fail;
		}
		for (int j = 0; j < s->ns; j++)
			scap[j] = 1;
		for (int u = 0; u < s->nu; u++)
			for (size_t e = s->us[u]; e < s->us[u + 1] && sp_short(s, u); e++)
				if (s->k[u] > scap[s->usite[e]])
					scap[s->usite[e]] = s->k[u];
		for (int j = 0; j < s->ns; j++)
			if (s->fixed[j] || c->packed[j]) {
				srow[j] = ++row;
				glp_set_row_bnds(P, row, s->fixed[j] ? GLP_FX : GLP_UP, 1,
				                 s->fixed[j] ? 1 : scap[j]);
			}
		for (size_t q = 0; q < c->n; q++) {
			int col = (int)(m->colbase[i] + q) + 1;
			int site = c->site[q];
			if (!col_allowed(s, p, c, q) || (flex && col_splits(s, c, q))) {
				glp_set_col_bnds(P, col, GLP_FX, 0, 0);
				continue;
			}
			if (c->ub[q] == 1)
				glp_set_col_kind(P, col, GLP_BV);
			else {
				glp_set_col_kind(P, col, GLP_IV);
				glp_set_col_bnds(P, col, GLP_DB, 0, c->ub[q]);
			}
			double obj = 0, wd = 0;
			for (size_t e = c->start[q]; e < c->start[q + 1]; e++) {
				int u = c->unit[e];
				if (s->k[u] == 1)
					obj += (double)s->h[u];
				wd += sp_part(s, u) * sp_dist(s, site, u);
				k++;
				ia[k] = (int)m->unitbase[i] + u + 1, ja[k] = col, ar[k] = 1;
			}
			m->hcoef[col] = obj;
			m->wcoef[col] = wd;
			obj -= wd / m->wscale;
			if (c->lo[q] < p->hmin && !sp_isolated(s, p, site)) {
				obj -= m->penalty; /* at a fixed site: must stay open */
				m->pen[col] = 1;
			}
			glp_set_obj_coef(P, col, obj);
			if (srow[site]) {
				int alone = c->start[q + 1] - c->start[q] == 1 &&
				            sp_short(s, c->unit[c->start[q]]);
				k++;
				ia[k] = srow[site], ja[k] = col;
				ar[k] = s->fixed[site] || alone ? 1 : scap[site];
			}
			if (!s->fixed[site]) {
				k++;
				ia[k] = (int)budget_row, ja[k] = col, ar[k] = 1;
			}
		}
		if (flex)
			budget_flex_load(m, &m->flex[i], s, P, m->fbase[i], m->unitbase[i], srow,
			                 (int)budget_row, ia, ja, ar, &k);
	}
	for (int v = 0; v < m->nvill; v++) {
		int col = (int)zbase + v + 1;
		int u = m->vunit[v];
		glp_set_col_kind(P, col, GLP_BV);
		if (m->vfix[v] || (m->b->required && m->b->required[u]))
			glp_set_col_bnds(P, col, GLP_FX, 1, 1);
		glp_set_obj_coef(P, col,
		                 (double)w->in->units[u].households -
		                     (double)w->in->units[u].households * m->vdist[v] / m->wscale);
		m->hcoef[col] = (double)w->in->units[u].households;
		m->wcoef[col] = (double)w->in->units[u].households * m->vdist[v];
		if (!m->vfix[v]) {
			k++;
			ia[k] = (int)budget_row, ja[k] = col, ar[k] = 1;
		}
	}
	glp_set_row_bnds(P, (int)budget_row, m->b->exact ? GLP_FX : GLP_UP,
	                 (double)m->b->new_stations, (double)m->b->new_stations);
	glp_load_matrix(P, (int)k, ia, ja, ar);
	free(m->inc1);
	m->inc1 = m->eqval ? equal_incumbent(m, ncols) : NULL;

	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.presolve = GLP_OFF;
	sm.tm_lim = (int)(m->seconds * 1000.0) > 100 ? (int)(m->seconds * 1000.0) : 100;
	int ret = glp_simplex(P, &sm);
	if (ret == 0 && glp_get_status(P) == GLP_NOFEAS) {
		snprintf(m->err, m->errsize,
		         "no plan with %s %ld new station(s) keeps every station in the band, "
		         "one per site, and the required districts served",
		         m->b->exact ? "exactly" : "at most", m->b->new_stations);
		glp_delete_prob(P);
		free(ia), free(ja), free(ar), free(srow), free(scap);
		return 2;
	}
	if (ret != 0 || glp_get_status(P) != GLP_OPT) {
		snprintf(m->err, m->errsize, "glp_simplex: return %d, status %d", ret,
		         glp_get_status(P));
		goto fail;
	}
	m->lp = glp_get_obj_val(P);
	if (m->lp < m->bound)
		m->bound = m->lp;
	if (m->b->bound_only) { /* the LP bound is all that is asked */
		glp_delete_prob(P);
		free(ia), free(ja), free(ar), free(srow), free(scap);
		return 0;
	}
	glp_iocp io;
	glp_init_iocp(&io);
	io.msg_lev = GLP_MSG_OFF;
	io.presolve = GLP_OFF;
	/* the feasibility pump: with flexible shares it was seen to run on in
	 * its simplex past the time limit (issue 11's pair, 5 stations) */
	io.fp_heur = m->flexon ? GLP_OFF : GLP_ON;
	io.mip_gap = p->mip_gap;
	double left = 0.6 * m->seconds - since(&t0);
	io.tm_lim = left > 0.1 ? (int)(left * 1000.0) : 100;
	io.cb_func = callback;
	io.cb_info = m;
	m->nodes = m->stall_at = 0;
	m->seen = -INFINITY;
	m->injected = 0;
	ret = glp_intopt(P, &io);
	int mst = glp_mip_status(P);
	if (ret != 0 && ret != GLP_ETMLIM && ret != GLP_EMIPGAP && ret != GLP_ESTOP) {
		snprintf(m->err, m->errsize, "glp_intopt: return %d, status %d", ret, mst);
		goto fail;
	}
	m->timed = ret == GLP_ETMLIM;
	if (mst == GLP_OPT || mst == GLP_FEAS) {
		m->have_sol = 1;
		m->obj = glp_mip_obj_val(P);
		for (size_t q = 0; q < ncols; q++)
			m->xval[q] = glp_mip_col_val(P, (int)q + 1);
		if (ret == GLP_EMIPGAP) {
			double b = m->obj + p->mip_gap * (fabs(m->obj) + DBL_EPSILON);
			if (b < m->bound)
				m->bound = b;
		}
		if (mst == GLP_OPT && ret == 0) {
			m->optimal = 1;
			if (m->obj < m->bound)
				m->bound = m->obj;
		}
		if (!m->no_walk && walk_stage(m, P, ncols, m->seconds - since(&t0)) < 0)
			goto fail;
		double h = 0;
		for (size_t q = 0; q < ncols; q++)
			h += m->hcoef[q + 1] * m->xval[q];
		m->obj = h - 1000.0 * m->walk / m->wscale;
	}
	glp_delete_prob(P);
	free(ia), free(ja), free(ar), free(srow), free(scap);
	return 0;
fail:
	glp_delete_prob(P);
	free(ia), free(ja), free(ar), free(srow), free(scap);
	return -1;
}

/* The plan of equal parts (m->eqval, a solve without patterns) in the
 * flexible model's columns (1-based, ncols): its stations holding a part
 * as the patterns with those parts as shares. NULL when some station has
 * no pattern or memory ran out (then nothing is injected). */
static double *equal_incumbent(bmodel *m, size_t ncols)
{
	double *inc = calloc(ncols + 1, sizeof(double));
	if (!inc)
		return NULL;
	memcpy(inc + 1, m->eqval, m->fbase_min * sizeof(double));
	for (size_t i = 0; i < m->njobs; i++) {
		if (!m->flex[i].on)
			continue;
		int r = budget_flex_map(&m->flex[i], &m->jobs[i].sub, &m->w->p, &m->jobs[i].cols,
		                        inc + 1 + m->colbase[i], inc + 1 + m->fbase[i]);
		if (r <= 0) {
			free(inc);
			return NULL;
		}
	}
	return inc;
}

int budget_model_run(void *arg)
{
	bmodel *m = arg;
	if (!m->flex || m->b->bound_only)
		return model_run(m);
	/* flexible patterns: equal parts first (fast), their plan the first
	 * incumbent of the flexible search, which else may find none in time */
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	bf_list *flex = m->flex;
	double seconds = m->seconds, bound = m->bound;
	m->flex = NULL;
	m->no_walk = 1;
	m->seconds = 0.3 * seconds;
	int rc = model_run(m);
	m->flex = flex;
	m->no_walk = 0;
	if (rc < 0)
		return rc;
	m->fbase_min = m->zbase + (size_t)m->nvill;
	if (rc == 0 && m->have_sol) {
		m->eqval = malloc((m->fbase_min + 1) * sizeof(double));
		if (!m->eqval) {
			snprintf(m->err, m->errsize, "out of memory building the budget model");
			return -1;
		}
		memcpy(m->eqval, m->xval, m->fbase_min * sizeof(double));
	}
	/* a share of what is left: the lazy rounds of budget.c need theirs (a
	 * round cut short leaves a plan sharing sites, repaired by removal) */
	m->seconds = fmax(0.1, 0.3 * (seconds - since(&t0)));
	m->bound = bound; /* equal parts' bound is not flexible splitting's */
	m->have_sol = m->optimal = m->timed = m->stopped = 0;
	rc = model_run(m);
	free(m->eqval);
	m->eqval = NULL;
	free(m->inc1);
	m->inc1 = NULL;
	return rc;
}
