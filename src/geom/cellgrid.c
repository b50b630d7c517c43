/*
 * cellgrid.c: static uniform-grid point index. See include/cellgrid.h.
 *
 * Build sorts (cell, index) triples once; a query walks the columns of cells
 * the box spans and binary-searches the first cell of each column.
 */
#include "cellgrid.h"
#include "order.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct entry {
	long long cx, cy;
	int item;
} entry;

/* Cell coordinate of v, clamped so absurd coordinates cannot overflow. */
static long long cell_of(double v, double side)
{
	double c = floor(v / side);
	if (c > 1e15)
		c = 1e15;
	if (c < -1e15)
		c = -1e15;
	return (long long)c;
}

ORDER_BY_FIELDS(entry_cmp, entry, cx, cy, item)

int cellgrid_build(cellgrid *g, const double *x, const double *y, size_t n, double side)
{
	memset(g, 0, sizeof(*g));
	g->side = side;
	entry *e = malloc((n ? n : 1) * sizeof(*e));
	g->item = malloc((n ? n : 1) * sizeof(*g->item));
	if (!e || !g->item)
		goto oom;
	for (size_t i = 0; i < n; i++)
		e[i] = (entry){cell_of(x[i], side), cell_of(y[i], side), (int)i};
	qsort(e, n, sizeof(*e), entry_cmp);
	size_t ncells = 0;
	for (size_t i = 0; i < n; i++)
		if (i == 0 || e[i].cx != e[i - 1].cx || e[i].cy != e[i - 1].cy)
			ncells++;
	g->cells = malloc((ncells + 1) * sizeof(*g->cells));
	if (!g->cells)
		goto oom;
	size_t c = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || e[i].cx != e[i - 1].cx || e[i].cy != e[i - 1].cy)
			g->cells[c++] = (cellgrid_cell){e[i].cx, e[i].cy, i};
		g->item[i] = e[i].item;
	}
	g->cells[ncells] = (cellgrid_cell){0, 0, n};
	g->ncells = ncells;
	g->nitems = n;
	free(e);
	return 0;
oom:
	free(e);
	cellgrid_free(g);
	return -1;
}

void cellgrid_free(cellgrid *g)
{
	free(g->cells);
	free(g->item);
	memset(g, 0, sizeof(*g));
}

/* First cell >= (cx, cy) in sort order. */
static size_t lower_bound(const cellgrid *g, long long cx, long long cy)
{
	size_t lo = 0, hi = g->ncells;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const cellgrid_cell *m = &g->cells[mid];
		if (m->cx < cx || (m->cx == cx && m->cy < cy))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int cellgrid_query(const cellgrid *g, double xmin, double ymin, double xmax, double ymax,
                   cellgrid_visit fn, void *arg)
{
	if (g->ncells == 0)
		return 0;
	long long cx0 = cell_of(xmin, g->side), cx1 = cell_of(xmax, g->side);
	long long cy0 = cell_of(ymin, g->side), cy1 = cell_of(ymax, g->side);
	/* Clamp the column range to the indexed columns so a huge box costs
	 * no more than the grid itself. */
	if (cx0 < g->cells[0].cx)
		cx0 = g->cells[0].cx;
	if (cx1 > g->cells[g->ncells - 1].cx)
		cx1 = g->cells[g->ncells - 1].cx;
	for (long long cx = cx0; cx <= cx1; cx++) {
		size_t k = lower_bound(g, cx, cy0);
		if (k == g->ncells)
			break;
		if (g->cells[k].cx != cx) {
			/* empty column: jump straight to the next indexed one */
			if (g->cells[k].cx > cx1)
				break;
			cx = g->cells[k].cx - 1;
			continue;
		}
		for (; k < g->ncells && g->cells[k].cx == cx && g->cells[k].cy <= cy1; k++)
			for (size_t i = g->cells[k].start; i < g->cells[k + 1].start; i++)
				if (fn(g->item[i], arg))
					return 1;
	}
	return 0;
}
