/*
 * colstore.c: a growing list of stations as columns (sp_cols), the one
 * store the walking bound (walk_bound.c) and the walking regions
 * (walk_lns.c) list their candidate stations in: column c serves units
 * unit[start[c]..start[c+1]) at site[c], costs cost[c], and under[c] is 1
 * when the station is avoidably underfilled. The arrays grow by doubling
 * (include/grow.h); a store is reused by setting n and nnz to 0.
 */
#include "solver_int.h"
#include "grow.h"

#include <stdlib.h>
#include <string.h>

int sp_colstore_push(sp_colstore *c, int site, const int *u, int n, double cost, int under)
{
	if (c->n + 1 >= c->cap) {
		size_t cap = grow_cap(c->cap, c->n + 2);
		if (grow_to(&c->start, cap + 1, sizeof(size_t)) ||
		    grow_to(&c->site, cap, sizeof(int)) || grow_to(&c->cost, cap, sizeof(double)) ||
		    grow_to(&c->under, cap, 1))
			return -1;
		c->cap = cap;
	}
	if (grow_reserve(&c->unit, &c->nzcap, c->nnz + (size_t)n, sizeof(int)))
		return -1;
	if (c->n == 0)
		c->start[0] = 0;
	memcpy(c->unit + c->nnz, u, (size_t)n * sizeof(int));
	c->nnz += (size_t)n;
	c->site[c->n] = site;
	c->cost[c->n] = cost;
	c->under[c->n] = (unsigned char)under;
	c->n++;
	c->start[c->n] = c->nnz;
	return 0;
}

void sp_colstore_free(sp_colstore *c)
{
	GROW_FREE(c->start, c->unit, c->site, c->cost, c->under);
	memset(c, 0, sizeof(*c));
}
