/*
 * order.h: how a qsort comparator orders by several keys, written once
 * (header only, no state).
 *
 * ORDER_CMP(a, b) is -1, 0 or 1 as a sorts before, with or after b, for
 * numbers of any type: `a != b ? (a < b ? -1 : 1) : 0`, so a NaN key sorts
 * after the other (as the comparators written out by hand had it); -ORDER_CMP
 * sorts by that key in decreasing order. order_by() gives the first of
 * three such results that is not 0, so a comparator over its keys is one
 * expression:
 *
 *     return order_by(ORDER_CMP(a->x, b->x), ORDER_CMP(a->y, b->y),
 *                     ORDER_CMP(a->id, b->id));
 *
 * Every key is compared, none skipped: keys are plain fields (or a pure
 * comparison such as strcmp), so the result is the same as the chain of
 * `if (a->x != b->x) return ...` it replaces. Pass 0 for a missing key.
 * ORDER_BY_FIELDS defines the common comparator, three fields increasing:
 *
 *     ORDER_BY_FIELDS(cell_cmp, cell_entry, cx, cy, idx)
 */
#ifndef STATIONPLAN_ORDER_H
#define STATIONPLAN_ORDER_H

#define ORDER_CMP(a, b) ((a) != (b) ? ((a) < (b) ? -1 : 1) : 0)

/* c1 when not 0, else c2 when not 0, else c3. */
static inline int order_by(int c1, int c2, int c3)
{
	return c1 ? c1 : c2 ? c2 : c3;
}

/* static int name(const void *, const void *): a qsort comparator of
 * `type` elements by the fields k1, then k2, then k3, each increasing. */
#define ORDER_BY_FIELDS(name, type, k1, k2, k3)                                                    \
	static int name(const void *pa, const void *pb)                                            \
	{                                                                                          \
		const type *a = pa, *b = pb;                                                       \
		return order_by(ORDER_CMP(a->k1, b->k1), ORDER_CMP(a->k2, b->k2),                  \
		                ORDER_CMP(a->k3, b->k3));                                          \
	}

#endif
