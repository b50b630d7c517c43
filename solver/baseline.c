/*
 * baseline.c: the compact textbook model, written as MPS for `make bench`.
 *
 * This is what a planner would write first (and what spopt-style tools
 * build): one integer y_j per allowed site (stations there), one binary x_ij
 * per reach pair, assignment rows, capacity rows and, where the band can be
 * met at all, lower band rows. It serves the same urban units from the same
 * sites under the same rules as solver.c (sp_world), so glpsol's result on
 * it is directly comparable with ours. Its LP bound is weak (x_ij may be
 * spread thinly over many y_j), which is the point of the comparison.
 */
#include "baseline.h"
#include "rules.h"
#include "solver_int.h"

#include <glpk.h>
#include <stdlib.h>
#include <string.h>

typedef struct bl_job {
	const sp_world *w;
	const char *path;
	baseline_info *info;
	int *ia, *ja;
	double *ar;
	int *col_of; /* site -> y column, 0 if not used */
} bl_job;

static int write_model(void *arg)
{
	bl_job *b = arg;
	const sp_world *w = b->w;
	const inputs *in = w->in;
	const reach *r = w->r;
	glp_prob *P = glp_create_prob();
	glp_set_prob_name(P, "stationplan_baseline");
	glp_set_obj_dir(P, GLP_MIN);
	/* y columns for sites reached by some urban unit */
	for (size_t u = 0; u < in->nunits; u++) {
		if (!w->urban[u])
			continue;
		for (size_t q = r->start[u]; q < r->start[u + 1]; q++) {
			int j = r->site[q];
			if (!w->allowed[j] || b->col_of[j])
				continue;
			int c = glp_add_cols(P, 1);
			b->col_of[j] = c;
			glp_set_col_kind(P, c, GLP_IV);
			double lo = w->sites->sites[j].source == SITE_EXISTING ? 1 : 0;
			glp_set_col_bnds(P, c, GLP_LO, lo, 0);
			glp_set_obj_coef(P, c, 1.0);
			b->info->nsites++;
		}
	}
	/* one row per urban unit (assignment), one capacity and one band row per site */
	size_t nz = 0;
	for (size_t u = 0; u < in->nunits; u++) {
		if (!w->urban[u])
			continue;
		int row = glp_add_rows(P, 1);
		glp_set_row_bnds(P, row, GLP_FX, 1, 1);
		b->info->nunits++;
		for (size_t q = r->start[u]; q < r->start[u + 1]; q++) {
			int j = r->site[q];
			if (!w->allowed[j])
				continue;
			int c = glp_add_cols(P, 1);
			glp_set_col_kind(P, c, GLP_BV);
			glp_set_obj_coef(P, c,
			                 (double)in->units[u].households * r->dist[q] / w->dscale);
			nz++;
			b->ia[nz] = row;
			b->ja[nz] = c;
			b->ar[nz] = 1;
			/* capacity and band rows come after all unit rows: remember the pair */
			b->ia[nz + 1] = -(j + 1); /* site marker, resolved below */
			b->ja[nz + 1] = c;
			b->ar[nz + 1] = (double)in->units[u].households;
			nz++;
		}
	}
	int base = glp_get_num_rows(P);
	int nsite_rows = 0;
	int *cap_row = calloc(w->sites->n ? w->sites->n : 1, sizeof(int));
	int *band_row = calloc(w->sites->n ? w->sites->n : 1, sizeof(int));
	if (!cap_row || !band_row) {
		free(cap_row);
		free(band_row);
		glp_delete_prob(P);
		return -1;
	}
	for (size_t j = 0; j < w->sites->n; j++) {
		if (!b->col_of[j])
			continue;
		cap_row[j] = base + ++nsite_rows;
		if (!rules_site_isolated(sp_band(&w->p), w->sreach[j]))
			band_row[j] = base + ++nsite_rows;
	}
	glp_add_rows(P, nsite_rows);
	size_t n2 = nz;
	for (size_t e = 1; e <= nz; e++) {
		if (b->ia[e] >= 0)
			continue;
		int j = -b->ia[e] - 1;
		int xcol = b->ja[e];
		double h = b->ar[e];
		b->ia[e] = cap_row[j];
		if (band_row[j]) {
			n2++;
			b->ia[n2] = band_row[j];
			b->ja[n2] = xcol;
			b->ar[n2] = h;
		}
	}
	for (size_t j = 0; j < w->sites->n; j++) {
		if (!b->col_of[j])
			continue;
		/* sum h x - max y <= 0 ; sum h x - min y >= 0 */
		n2++;
		b->ia[n2] = cap_row[j];
		b->ja[n2] = b->col_of[j];
		b->ar[n2] = -(double)w->p.hmax;
		glp_set_row_bnds(P, cap_row[j], GLP_UP, 0, 0);
		if (band_row[j]) {
			n2++;
			b->ia[n2] = band_row[j];
			b->ja[n2] = b->col_of[j];
			b->ar[n2] = -(double)w->p.hmin;
			glp_set_row_bnds(P, band_row[j], GLP_LO, 0, 0);
		}
	}
	free(cap_row);
	free(band_row);
	glp_load_matrix(P, (int)n2, b->ia, b->ja, b->ar);
	b->info->nrows = (size_t)glp_get_num_rows(P);
	b->info->ncols = (size_t)glp_get_num_cols(P);
	b->info->nnz = n2;
	int rc = glp_write_mps(P, GLP_MPS_FILE, NULL, b->path);
	glp_delete_prob(P);
	return rc == 0 ? 0 : 1;
}

status_code baseline_write_mps(const inputs *in, const site_table *sites, const reach *r,
                               const scenario *sc, const char *path, baseline_info *info,
                               status *st)
{
	memset(info, 0, sizeof(*info));
	sp_world w;
	status_code code = STATUS_OK;
	bl_job b = {.w = &w, .path = path, .info = info};
	if (sp_world_init(&w, in, sites, r, sc) < 0) {
		code = status_fail(st, STATUS_INTERNAL, "baseline: out of memory");
		goto out;
	}
	/* per pair: the assignment entry, the capacity entry, the band entry;
	 * per site: two y entries */
	size_t cap = 3 * r->npairs + 2 * sites->n + 1;
	b.ia = malloc(cap * sizeof(int));
	b.ja = malloc(cap * sizeof(int));
	b.ar = malloc(cap * sizeof(double));
	b.col_of = calloc(sites->n ? sites->n : 1, sizeof(int));
	if (!b.ia || !b.ja || !b.ar || !b.col_of) {
		code = status_fail(st, STATUS_INTERNAL, "baseline: out of memory");
		goto out;
	}
	for (size_t u = 0; u < in->nunits; u++)
		if (rules_unit_is_village(sc, in->units[u].kind) && in->units[u].households > 0)
			for (size_t q = r->start[u]; q < r->start[u + 1]; q++)
				if (sites->sites[r->site[q]].unit == (int)u) {
					info->nvillages++;
					break;
				}
	char err[256];
	int rc = glpk_bridge_call(write_model, &b, err, sizeof(err));
	if (rc < 0)
		code = status_fail(st, STATUS_INTERNAL, "baseline: %s", err);
	else if (rc > 0)
		code =
		    status_fail(st, STATUS_INTERNAL, "'%s': cannot write the baseline model", path);
	glpk_bridge_thread_end();
out:
	free(b.ia);
	free(b.ja);
	free(b.ar);
	free(b.col_of);
	sp_world_free(&w);
	return code;
}
