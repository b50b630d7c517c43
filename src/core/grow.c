/*
 * grow.c: growing a malloc'd array (include/grow.h).
 *
 * The pointer to grow arrives as the address of a `T *` of any object type;
 * it is read and written with memcpy, so no `T *` is ever accessed through
 * a `void *` lvalue (object pointers share one representation on every
 * platform GDAL and GEOS run on, which POSIX requires).
 */
#include "grow.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t grow_cap(size_t cap, size_t need)
{
	if (need <= cap)
		return cap;
	size_t c = cap ? cap : 16;
	while (c < need)
		c = c > SIZE_MAX / 2 ? SIZE_MAX : 2 * c;
	return c;
}

int grow_to(void *pp, size_t n, size_t elem)
{
	assert(pp && elem > 0);
	if (n > SIZE_MAX / elem)
		return -1;
	void *p;
	memcpy(&p, pp, sizeof(p));
	void *q = realloc(p, (n ? n : 1) * elem); /* never realloc(p, 0), which frees p */
	if (!q)
		return -1;
	memcpy(pp, &q, sizeof(q));
	return 0;
}

int grow_reserve(void *pp, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t c = grow_cap(*cap, need);
	if (grow_to(pp, c, elem) != 0)
		return -1;
	*cap = c;
	return 0;
}

void *grow_named(void *pp, size_t *n, size_t elem, size_t name_off, const char *name, int *added)
{
	assert(pp && n && name && added && name_off + sizeof(char *) <= elem);
	char *base, *e, *copy;
	memcpy(&base, pp, sizeof(base));
	*added = 0;
	for (size_t i = 0; i < *n; i++) {
		e = base + i * elem;
		char *s;
		memcpy(&s, e + name_off, sizeof(s));
		if (!strcmp(s, name))
			return e;
	}
	if (grow_to(pp, *n + 1, elem) != 0)
		return NULL;
	memcpy(&base, pp, sizeof(base));
	e = base + *n * elem;
	memset(e, 0, elem);
	if (!(copy = strdup(name)))
		return NULL;
	memcpy(e + name_off, &copy, sizeof(copy));
	(*n)++;
	*added = 1;
	return e;
}

void grow_free_all(void *const *arrays, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(arrays[i]);
}
