/*
 * scale.c: the objective's scale factors of the whole problem, kept when
 * only a shard of it is solved (run --shard K/N, include/shard.h).
 *
 * The solver weighs walking by 1 / dscale and an avoidable underfill by
 * `penalty`, both computed from every urban unit of the problem it is given
 * (sp_world_init). A shard is a smaller problem, so it would get other
 * factors and could choose another of several near-equal plans. The
 * pipeline therefore takes the factors of the whole problem
 * (solver_scale_of) and fixes them (solver_scale_set) while solving the
 * shard; sp_world_init uses a fixed scale when one is set. The setting is
 * process-wide: one shard is solved per process.
 */
#include "solver_int.h"
#include "solver.h"

static solver_scale fixed;
static int fixed_set;

status_code solver_scale_of(const inputs *in, const site_table *sites, const reach *r,
                            const scenario *sc, solver_scale *out, status *st)
{
	sp_world w;
	int was = fixed_set;
	fixed_set = 0;
	int rc = sp_world_init(&w, in, sites, r, sc);
	fixed_set = was;
	if (rc < 0) {
		sp_world_free(&w);
		return status_fail(st, STATUS_INTERNAL, "solver: out of memory");
	}
	out->dscale = w.dscale;
	out->penalty = w.penalty;
	sp_world_free(&w);
	return STATUS_OK;
}

void solver_scale_set(const solver_scale *s)
{
	fixed_set = s != NULL;
	if (s)
		fixed = *s;
}

const solver_scale *solver_scale_fixed(void)
{
	return fixed_set ? &fixed : NULL;
}
