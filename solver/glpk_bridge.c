/*
 * glpk_bridge.c: the one place GLPK messages and errors enter stationplan.
 *
 * GLPK prints through a terminal hook and, on an internal error (a broken
 * invariant, out of memory), calls the error hook and then abort(). Here the
 * terminal hook keeps the last line of output per thread (never printed:
 * `run` has its own progress) and the error hook longjmps back into
 * glpk_bridge_call(), which frees the thread's GLPK environment, as the GLPK
 * manual prescribes, and reports the failure with that last line.
 *
 * Threads: Debian builds GLPK with thread-local environments
 * (glp_config("TLS") is set), so every worker thread may own its own
 * glp_prob; solver.c checks glpk_bridge_threads_ok() and falls back to one
 * thread when the library was built without it.
 */
#include "solver_int.h"

#include "clock.h"
#include "glpk_int.h"

#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

static _Thread_local char last_line[256];
static _Thread_local jmp_buf *error_jump;

static int term_hook(void *info, const char *s)
{
	(void)info;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' '))
		n--;
	if (n > 0) {
		if (n >= sizeof(last_line))
			n = sizeof(last_line) - 1;
		memcpy(last_line, s, n);
		last_line[n] = '\0';
	}
	return 1; /* suppress GLPK's own printing */
}

static void error_hook(void *info)
{
	(void)info;
	if (error_jump)
		longjmp(*error_jump, 1);
}

int glpk_bridge_threads_ok(void)
{
	return glp_config("TLS") != NULL;
}

int glpk_bridge_call(int (*fn)(void *), void *arg, char *err, size_t errsize)
{
	jmp_buf jb;
	jmp_buf *volatile saved = error_jump;
	last_line[0] = '\0';
	glp_term_hook(term_hook, NULL);
	if (setjmp(jb)) {
		error_jump = saved;
		snprintf(err, errsize, "glpk: %s", last_line[0] ? last_line : "internal error");
		glp_free_env();
		return -1;
	}
	error_jump = &jb;
	glp_error_hook(error_hook, NULL);
	int rc = fn(arg);
	glp_error_hook(NULL, NULL);
	error_jump = saved;
	return rc;
}

void glpk_bridge_thread_end(void)
{
	glp_free_env();
}

typedef struct mip_track {
	double bound, deadline;
} mip_track;

static void mip_track_cb(glp_tree *tree, void *info)
{
	mip_track *t = info;
	if (t->deadline > 0 && clock_now_s() > t->deadline) {
		glp_ios_terminate(tree); /* GLPK's own limit is not checked everywhere */
		return;
	}
	int best = glp_ios_best_node(tree); /* every reason: the bound only grows */
	if (best) {
		double b = glp_ios_node_bound(tree, best);
		if (b > t->bound)
			t->bound = b;
	}
}

int glpk_bridge_mip(glp_prob *P, int meth, double mip_gap, double deadline, double limit,
                    double *obj, double *bound, int *ret, int *mst, char *err, size_t errsize)
{
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.meth = meth;
	int r = glp_simplex(P, &sm), lst = glp_get_status(P);
	if (r != 0 || lst != GLP_OPT) {
		if (lst == GLP_NOFEAS || r == GLP_ENOPFS)
			return 0;
		snprintf(err, errsize, "glp_simplex: return %d, status %d", r, lst);
		return -1;
	}
	mip_track t = {glp_get_obj_val(P), deadline};
	double left = deadline > 0 ? deadline - clock_now_s() : limit;
	glp_iocp io;
	glp_init_iocp(&io);
	io.msg_lev = GLP_MSG_OFF;
	io.mip_gap = mip_gap / 4;
	io.tm_lim = left > 0.1 ? (int)(left * 1000.0) : 100;
	io.cb_func = mip_track_cb;
	io.cb_info = &t;
	*ret = glp_intopt(P, &io);
	*mst = glp_mip_status(P);
	if ((*ret != 0 && *ret != GLP_ETMLIM && *ret != GLP_EMIPGAP && *ret != GLP_ESTOP) ||
	    (*mst != GLP_OPT && *mst != GLP_FEAS && *mst != GLP_NOFEAS)) {
		snprintf(err, errsize, "glp_intopt: return %d, status %d", *ret, *mst);
		return -1;
	}
	if (*mst == GLP_NOFEAS)
		return 0;
	*obj = glp_mip_obj_val(P);
	*bound = t.bound > *obj ? *obj : t.bound;
	return 1;
}

int glpk_bridge_budget(glp_tree *tree, long *nodes, long work_limit, double deadline)
{
	if (glp_ios_reason(tree) == GLP_ISELECT)
		(*nodes)++;
	int why = work_limit > 0 && *nodes > work_limit       ? 1
	          : deadline > 0 && clock_now_s() >= deadline ? 2
	                                                      : 0;
	if (why)
		glp_ios_terminate(tree);
	return why;
}

void glpk_bridge_search_iocp(glp_iocp *io, double deadline, void (*cb)(glp_tree *, void *),
                             void *info)
{
	glp_init_iocp(io);
	io->msg_lev = GLP_MSG_OFF;
	io->presolve = GLP_OFF;
	io->br_tech = GLP_BR_DTH;
	io->bt_tech = GLP_BT_BLB;
	io->mip_gap = 0;
	io->cb_func = cb;
	io->cb_info = info;
	if (deadline > 0) {
		double left = deadline - clock_now_s();
		io->tm_lim = left > 0.001 ? (int)fmin(left * 1000.0, (double)INT_MAX) : 1;
	}
}
