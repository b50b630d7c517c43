/*
 * levels.c: levels_solve(), the upper levels of the network (levels.h).
 *
 * Each level is placed from the level below it: the stations for the
 * first, the previous level's facilities above that. The lower facilities
 * ("nodes", each with its load in households) are routed, whole, to the
 * level's facilities, which open at its places (candidates, eligible
 * parcels, or the lower facilities themselves with at = stations/below),
 * minimising the load-weighted distance: a capacitated p-median,
 *
 *   min  sum_ij w_i d_ij x_ij
 *   s.t. sum_j x_ij = 1                 every node routed once
 *        x_ij <= y_j                    only to an open place
 *        sum_{j in g} y_j = k_g         k facilities per group (or city)
 *        sum_{j in r} y_j >= 1          every required group has one
 *        sum_i w_i x_ij <= C y_j        capacity, when given
 *        y_j = 1                        existing facilities
 *
 * with arcs only within a node's group (unless cross_groups) and within
 * max_distance_m (when given). x is binary with a capacity (single
 * sourcing), continuous otherwise (integral at a vertex once y is). Groups
 * are independent problems unless cross_groups or per = city. GLPK solves
 * each: the LP relaxation first (its value is a proven bound), then branch
 * and bound to mip_gap, the best node bound tracked from the callback; the
 * return code and the MIP status are both checked.
 *
 * A group with fewer places than facilities gets all its places and an
 * `unplaced` row; nodes with no place within reach are listed there too.
 * Data that cannot fit (capacity under the load, a required group that
 * does not exist, no placement satisfying every row) are input errors.
 */
#include <assert.h>
#include <float.h>
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "levels.h"
#include "clock.h"
#include "levels_int.h"
#include "solver_int.h"

double levels_distance_straight(void *ctx, double x1, double y1, double x2, double y2)
{
	(void)ctx;
	return hypot(x2 - x1, y2 - y1);
}

status_code levels_distance_fill(const levels_distance *dist, size_t nfrom,
                                 const levels_point *from, size_t nto, const levels_point *to,
                                 double cutoff, double deadline, double *d, status *st)
{
	if (dist->table)
		return dist->table(dist->ctx, nfrom, from, nto, to, cutoff, deadline, d, st);
	for (size_t i = 0; i < nfrom; i++)
		for (size_t j = 0; j < nto; j++)
			d[i * nto + j] =
			    dist->fn(dist->ctx, from[i].x, from[i].y, to[j].x, to[j].y);
	return STATUS_OK;
}

/* ---- one GLPK problem ---------------------------------------------------- */

typedef struct mip_job {
	const lv_problem *pb;
	int *chosen; /* out: per node, the local place, -1 none */
	unsigned char *open;
	double obj, bound;
	int feasible, proven;
	char err[256];
} mip_job;

static int run_mip(void *arg)
{
	mip_job *j = arg;
	const lv_problem *pb = j->pb;
	glp_prob *P = glp_create_prob();
	glp_set_obj_dir(P, GLP_MIN);
	/* columns: y_j (1..np), then x of each arc */
	glp_add_cols(P, pb->np + (int)pb->narcs + (pb->lost_penalty > 0 ? pb->nn : 0));
	for (int p = 0; p < pb->np; p++) {
		glp_set_col_kind(P, p + 1, GLP_BV);
		if (pb->fixed[p])
			glp_set_col_bnds(P, p + 1, GLP_FX, 1, 1);
	}
	for (size_t a = 0; a < pb->narcs; a++) {
		int c = pb->np + (int)a + 1;
		if (pb->cap > 0)
			glp_set_col_kind(P, c, GLP_BV);
		else
			glp_set_col_bnds(P, c, GLP_DB, 0, 1);
		glp_set_obj_coef(P, c, (double)pb->load[pb->arc_node[a]] * pb->arc_dist[a]);
	}
	/* with lost_penalty: u_i, node i left unrouted at that price */
	int ucol = pb->np + (int)pb->narcs + 1;
	for (int i = 0; pb->lost_penalty > 0 && i < pb->nn; i++) {
		glp_set_col_kind(P, ucol + i, GLP_BV);
		glp_set_obj_coef(P, ucol + i, pb->lost_penalty);
	}
	int ind[3];
	double val[3];
	/* every node routed once */
	for (int i = 0; i < pb->nn; i++) {
		int row = glp_add_rows(P, 1);
		glp_set_row_bnds(P, row, GLP_FX, 1, 1);
		int n = (int)(pb->node_arcs[i + 1] - pb->node_arcs[i]);
		int *ci = malloc((size_t)(n + 2) * sizeof(int));
		double *cv = malloc((size_t)(n + 2) * sizeof(double));
		if (!ci || !cv) {
			free(ci), free(cv);
			glp_delete_prob(P);
			snprintf(j->err, sizeof(j->err), "out of memory");
			return -1;
		}
		for (int k = 0; k < n; k++)
			ci[k + 1] = pb->np + (int)(pb->node_arcs[i] + (size_t)k) + 1, cv[k + 1] = 1;
		if (pb->lost_penalty > 0)
			n++, ci[n] = ucol + i, cv[n] = 1;
		glp_set_mat_row(P, row, n, ci, cv);
		free(ci), free(cv);
	}
	/* x_ij <= y_j */
	for (size_t a = 0; a < pb->narcs; a++) {
		int row = glp_add_rows(P, 1);
		glp_set_row_bnds(P, row, GLP_UP, 0, 0);
		ind[1] = pb->np + (int)a + 1, val[1] = 1;
		ind[2] = pb->arc_place[a] + 1, val[2] = -1;
		glp_set_mat_row(P, row, 2, ind, val);
	}
	/* counts per group and required groups: rows over y */
	/* room for the longest row over y or column of y (arcs + group rows) */
	size_t room = (size_t)(pb->np > pb->nn ? pb->np : pb->nn) + (size_t)pb->nrows + 8;
	int *ci = malloc(room * sizeof(int));
	double *cv = malloc(room * sizeof(double));
	for (int g = 0; ci && cv && g < pb->nrows; g++) {
		int n = 0;
		for (int p = 0; p < pb->np; p++)
			if (g < pb->ncount ? pb->row_of[p] == g : pb->req_of[p] == g - pb->ncount)
				ci[++n] = p + 1, cv[n] = 1;
		int row = glp_add_rows(P, 1);
		if (g < pb->ncount)
			glp_set_row_bnds(P, row, GLP_FX, pb->row_k[g], pb->row_k[g]);
		else
			glp_set_row_bnds(P, row, GLP_LO, 1, 0);
		glp_set_mat_row(P, row, n, ci, cv);
	}
	/* capacity */
	if (pb->cap > 0 && ci && cv) {
		int *rows = malloc((size_t)pb->np * sizeof(int));
		for (int p = 0; rows && p < pb->np; p++) {
			rows[p] = glp_add_rows(P, 1);
			glp_set_row_bnds(P, rows[p], GLP_UP, 0, 0);
		}
		/* fill by column: each arc's x in its place's row, y with -C */
		for (size_t a = 0; rows && a < pb->narcs; a++) {
			int col = pb->np + (int)a + 1;
			int len = glp_get_mat_col(P, col, ci, cv);
			ci[len + 1] = rows[pb->arc_place[a]];
			cv[len + 1] = (double)pb->load[pb->arc_node[a]];
			glp_set_mat_col(P, col, len + 1, ci, cv);
		}
		for (int p = 0; rows && p < pb->np; p++) {
			int len = glp_get_mat_col(P, p + 1, ci, cv);
			ci[len + 1] = rows[p];
			cv[len + 1] = -(double)pb->cap;
			glp_set_mat_col(P, p + 1, len + 1, ci, cv);
		}
		free(rows);
	}
	free(ci), free(cv);

	/* the dual simplex: the p-median LP is very degenerate for the primal */
	int ret, mst;
	int r = glpk_bridge_mip(P, GLP_DUALP, pb->mip_gap, pb->deadline, pb->time_limit_s, &j->obj,
	                        &j->bound, &ret, &mst, j->err, sizeof(j->err));
	if (r <= 0) {
		glp_delete_prob(P);
		j->feasible = 0;
		return r;
	}
	j->feasible = 1;
	/* search finished with mip_gap = 0: optimal; else the tracked bound */
	if (ret == 0 && mst == GLP_OPT && pb->mip_gap == 0)
		j->bound = j->obj;
	j->proven = mst == GLP_OPT || j->obj - j->bound <= pb->mip_gap * fabs(j->obj) + 1e-6;
	for (int p = 0; p < pb->np; p++)
		j->open[p] = glp_mip_col_val(P, p + 1) > 0.5;
	for (int i = 0; i < pb->nn; i++) {
		double best = 0.5;
		j->chosen[i] = -1;
		for (size_t a = pb->node_arcs[i]; a < pb->node_arcs[i + 1]; a++) {
			double v = glp_mip_col_val(P, pb->np + (int)a + 1);
			if (v > best)
				best = v, j->chosen[i] = pb->arc_place[a];
		}
	}
	glp_delete_prob(P);
	return 0;
}

status_code levels_mip_solve(const lv_problem *pb, int *chosen, unsigned char *open, double *obj,
                             double *bound, int *proven, status *st)
{
	mip_job j = {.pb = pb, .chosen = chosen, .open = open};
	if (glpk_bridge_call(run_mip, &j, j.err, sizeof(j.err)) != 0)
		return status_fail(st, STATUS_INTERNAL, "level '%s' group '%s': %s", pb->level,
		                   pb->group, j.err);
	if (!j.feasible && pb->quiet)
		return STATUS_INPUT;
	if (!j.feasible)
		return status_fail(st, STATUS_INPUT,
		                   "level.%s: group '%s': no placement fits count, capacity and "
		                   "max_distance_m together",
		                   pb->level, pb->group);
	*obj = j.obj;
	*bound = j.bound;
	*proven = j.proven;
	return STATUS_OK;
}

status_code levels_mip_leave_out(lv_problem *pb, size_t *na, int *an, int *ap, double *ad,
                                 long *load, int *nodeix, int *chosen, unsigned char *open,
                                 int *left, long *lost, status *st)
{
	/* a price above any routing cost: the fewest nodes are left out */
	double penalty = 1;
	for (int i = 0; i < pb->nn; i++) {
		double far = 0;
		for (size_t a = na[i]; a < na[i + 1]; a++)
			far = fmax(far, ad[a]);
		penalty += (double)load[i] * far;
	}
	pb->lost_penalty = penalty;
	pb->quiet = 0;
	double obj, bound;
	int proven;
	status_code rc = levels_mip_solve(pb, chosen, open, &obj, &bound, &proven, st);
	pb->lost_penalty = 0;
	if (rc != STATUS_OK)
		return rc;
	/* compact the nodes kept, with their arcs, in place */
	int k = 0;
	size_t m = 0;
	*left = 0, *lost = 0;
	for (int i = 0; i < pb->nn; i++) {
		if (chosen[i] < 0) {
			(*left)++, *lost += load[i];
			continue;
		}
		for (size_t a = na[i]; a < na[i + 1]; a++, m++)
			an[m] = k, ap[m] = ap[a], ad[m] = ad[a];
		na[k + 1] = m;
		load[k] = load[i], nodeix[k] = nodeix[i];
		k++;
	}
	pb->nn = k;
	pb->narcs = m;
	return STATUS_OK;
}

double levels_seconds_left(double deadline, double limit)
{
	double left = deadline > 0 ? deadline - clock_now_s() : limit;
	return left > 0.1 ? left : 0.1;
}
