/*
 * grow.h: growing a malloc'd array (src/core/grow.c), the one way every
 * table, buffer and vector of the program makes room for more elements.
 *
 * An array is a pointer (NULL when empty) and, where it grows by doubling,
 * a capacity counted in elements. The pointer is passed by address, as
 * `&v->items`, so the functions work on any element type; on failure the
 * array is left as it was (still owned by the caller, contents intact).
 */
#ifndef STATIONPLAN_GROW_H
#define STATIONPLAN_GROW_H

#include <stddef.h>

/* The capacity an array of capacity `cap` grows to so that it holds `need`
 * elements: `cap` doubled (from 16 when 0) until it is at least `need`;
 * `cap` itself when it already holds them. Never fails (saturates at
 * SIZE_MAX, which grow_to then refuses). */
size_t grow_cap(size_t cap, size_t need);

/* Resize the array whose pointer is at `pp` (a `T **` given as void *) to
 * `n` elements of `elem` bytes (realloc; room for one when n = 0). Returns 0, or -1 when out
 * of memory or n * elem overflows: then *pp is unchanged and still owned
 * by the caller. Parallel arrays that share one capacity grow one by one
 * to the same grow_cap, and the capacity is updated when all succeeded. */
int grow_to(void *pp, size_t n, size_t elem);

/* Make room for `need` elements in the array at `pp` of capacity *cap:
 * nothing when need <= *cap, else grow_to(grow_cap(*cap, need)) and *cap
 * updated. Returns 0, or -1 out of memory (array and *cap unchanged). */
int grow_reserve(void *pp, size_t *cap, size_t need, size_t elem);

/* Find or add by name in the array at `pp` of *n elements of `elem` bytes,
 * each with a `char *` name at byte offset `name_off`: the element whose
 * name equals `name` (strcmp), *added 0; else a new last element (the array
 * grown by one with grow_to, *n counted), zeroed but for a malloc'd copy of
 * `name`, *added 1. Returns the element, or NULL out of memory (then *n and
 * the elements counted are unchanged). */
void *grow_named(void *pp, size_t *n, size_t elem, size_t name_off, const char *name, int *added);

/* free() each of the `n` arrays in `arrays` (a NULL one is skipped, as by
 * free): the one way a struct of arrays lets go of them, in its *_free().
 * GROW_FREE(a, b, ...) passes its arguments as that list:
 *
 *     GROW_FREE(d->rx, d->ry, d->start);
 *     memset(d, 0, sizeof(*d));
 */
void grow_free_all(void *const *arrays, size_t n);

#define GROW_FREE(...)                                                                             \
	grow_free_all((void *const[]){__VA_ARGS__},                                                \
	              sizeof((void *const[]){__VA_ARGS__}) / sizeof(void *))

#endif
