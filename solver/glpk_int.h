/*
 * glpk_int.h: the parts of glpk_bridge.c that need GLPK's own types
 * (solver_int.h declares the rest without <glpk.h>). Included only by the
 * solver's files that call GLPK.
 */
#ifndef SP_GLPK_INT_H
#define SP_GLPK_INT_H

#include <glpk.h>

/* Options of a branch-and-bound search that injects incumbents from its
 * callback (glp_ios_heur_sol needs the MIP presolver off): messages off,
 * depth-first branching with best-local-bound backtracking, no gap of
 * GLPK's own (mip_gap 0: the callback decides when to stop), GLPK's time
 * limit at `deadline` (monotonic seconds, clock.h; 0 none; at least 1 ms),
 * callback cb with info. The caller adds its cuts. */
void glpk_bridge_search_iocp(glp_iocp *io, double deadline, void (*cb)(glp_tree *, void *),
                             void *info);

#endif
