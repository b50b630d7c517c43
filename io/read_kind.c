/*
 * read_kind.c: urban community or rural village.
 *
 * From a field, through the value lists input.kind_urban_values and
 * input.kind_rural_values (comma-separated, case-insensitive); or, when the
 * layer has no kind field, from the unit's name the way Chinese
 * administrative names are built: 社区 / 居委会 (residents' committee) is
 * urban, 村 (village committee, natural village) is rural. "社区" wins over
 * "村" so that "新村社区" is a community.
 */
#include "io_int.h"

#include <string.h>
#include <strings.h>

int read_list_has(const char *list, const char *item, size_t len)
{
	for (const char *s = list; s && *s;) {
		const char *e = strchr(s, ',');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		const char *a = s;
		while (n && (*a == ' ' || *a == '\t'))
			a++, n--;
		while (n && (a[n - 1] == ' ' || a[n - 1] == '\t'))
			n--;
		if (n == len && !strncasecmp(a, item, n))
			return 1;
		s = e ? e + 1 : s + strlen(s);
	}
	return 0;
}

/* 1 when `value` (trimmed) equals an item of the comma-separated list. */
static int in_list(const char *value, const char *list)
{
	while (*value == ' ' || *value == '\t')
		value++;
	size_t vlen = strlen(value);
	while (vlen && (value[vlen - 1] == ' ' || value[vlen - 1] == '\t'))
		vlen--;
	return vlen && read_list_has(list, value, vlen);
}

int read_kind_map(const char *value, const char *urban_values, const char *rural_values)
{
	if (!value)
		return -1;
	if (in_list(value, urban_values))
		return UNIT_URBAN;
	if (in_list(value, rural_values))
		return UNIT_RURAL;
	return -1;
}

int read_kind_infer(const char *name)
{
	if (!name)
		return -1;
	if (strstr(name, "社区") || strstr(name, "居委会"))
		return UNIT_URBAN;
	if (strstr(name, "村"))
		return UNIT_RURAL;
	return -1;
}
