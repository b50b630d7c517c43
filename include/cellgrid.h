/*
 * cellgrid.h: a static uniform-grid index of points (src/geom/cellgrid.c).
 *
 * Points are bucketed into square cells of a fixed side; cells are kept as a
 * sorted array (no hash, no dense raster), so memory is O(n) whatever the
 * extent and a box query costs O(log n) per column of cells it spans. Used
 * for the 1 m duplicate merge of candidate sites and for the walking-reach
 * query (cell = walking distance).
 */
#ifndef STATIONPLAN_CELLGRID_H
#define STATIONPLAN_CELLGRID_H

#include <stddef.h>

typedef struct cellgrid_cell {
	long long cx, cy; /* cell coordinates: floor(x / side), floor(y / side) */
	size_t start;     /* first of its items in cellgrid.item */
} cellgrid_cell;

typedef struct cellgrid {
	double side; /* cell side, > 0 */
	size_t ncells, nitems;
	cellgrid_cell *cells; /* ncells + 1 (sentinel start = nitems), sorted by (cx, cy) */
	int *item;            /* point indices grouped by cell, ascending within a cell */
} cellgrid;

/* Index the n points (x[i], y[i]) with cells of side `side` (> 0, finite
 * coordinates). Returns 0, or -1 when out of memory (then `g` is empty and
 * cellgrid_free() is still safe). Caller frees with cellgrid_free(). */
int cellgrid_build(cellgrid *g, const double *x, const double *y, size_t n, double side);
void cellgrid_free(cellgrid *g);

/* Called for each indexed point in a queried cell; return nonzero to stop. */
typedef int (*cellgrid_visit)(int item, void *arg);

/* Visit every point whose cell overlaps the box [xmin, xmax] x [ymin, ymax]
 * (a superset of the points inside the box: the caller tests the exact
 * condition), in increasing cell order. Returns nonzero when `fn` stopped
 * the walk. */
int cellgrid_query(const cellgrid *g, double xmin, double ymin, double xmax, double ymax,
                   cellgrid_visit fn, void *arg);

/* The nearest of the points a query's visitor offered: the least distance,
 * a tie to the lower item, so the answer does not depend on the order of
 * the visit. Starts as {-1, INFINITY}: none. */
typedef struct cellgrid_best {
	int item;
	double d;
} cellgrid_best;

/* Offer point `item` at distance d to *b. */
static inline void cellgrid_offer(cellgrid_best *b, int item, double d)
{
	if (d < b->d || (d == b->d && item < b->item)) {
		b->item = item;
		b->d = d;
	}
}

#endif
