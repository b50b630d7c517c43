/*
 * compare_json.c: a compare_result as JSON (jansson), for `compare --format
 * json`: the files, the parameters that differ, the group rows with the
 * figures of A and B (derived figures null when undefined) and the totals,
 * and the station changes counted and listed. See include/compare.h.
 */
#include "compare.h"

#include <jansson.h>

static json_t *side_json(const compare_side *s)
{
	return json_pack("{s:I, s:o, s:I, s:o, s:o, s:I}", "stations", (json_int_t)s->stations,
	                 "households_per_station",
	                 s->stations > 0 ? json_real(compare_side_households_per_station(s))
	                                 : json_null(),
	                 "underfilled", (json_int_t)s->underfilled, "mean_walk_m",
	                 s->walk_hh > 0 ? json_real(compare_side_mean_walk(s)) : json_null(),
	                 "max_walk_m", s->walk_hh > 0 ? json_real(s->max_walk_m) : json_null(),
	                 "uncovered_households", (json_int_t)s->uncovered_households);
}

static json_t *group_json(const compare_group *g, int by_street)
{
	json_t *o = json_pack("{s:s}", "district", g->district);
	if (o && by_street)
		json_object_set_new(o, "street", json_string(g->street));
	if (o && (json_object_set_new(o, "a", side_json(&g->a)) ||
	          json_object_set_new(o, "b", side_json(&g->b)) ||
	          json_object_set_new(o, "stations_delta",
	                              json_integer((json_int_t)(g->b.stations - g->a.stations))))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static json_t *changes_json(const compare_result *r)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < r->nchanges; i++) {
		const compare_change *c = &r->changes[i];
		json_t *o =
		    json_pack("{s:s, s:o, s:o, s:f}", "change", compare_change_name(c->kind),
		              "a_station_id", c->a_id >= 0 ? json_integer(c->a_id) : json_null(),
		              "b_station_id", c->b_id >= 0 ? json_integer(c->b_id) : json_null(),
		              "distance_m", c->distance_m);
		if (!o || json_array_append_new(a, o)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

int compare_print_json(const compare_result *r, const planfile *a, const planfile *b, FILE *out)
{
	int by_street = r->by == COMPARE_BY_STREET;
	json_t *params = json_array(), *groups = json_array();
	for (size_t i = 0; params && i < r->nparams; i++)
		json_array_append_new(params,
		                      json_pack("{s:s, s:s?, s:s?}", "key", r->params[i].key, "a",
		                                r->params[i].a, "b", r->params[i].b));
	for (size_t i = 0; groups && i < r->ngroups; i++)
		json_array_append_new(groups, group_json(&r->groups[i], by_street));
	json_t *total = group_json(&r->total, 0);
	if (total)
		json_object_del(total, "district");
	json_t *doc = json_pack(
	    "{s:s, s:s, s:s, s:s, s:f, s:f, s:o*, s:o*, s:o*, s:{s:I, s:I, s:I, s:I}, s:o*}", "a",
	    a->path, "b", b->path, "crs", a->crs ? a->crs : "", "by",
	    by_street ? "street" : "district", "tolerance_m", r->tolerance_m, "walk_distance_m",
	    r->walk_distance_m, "parameters", params, "groups", groups, "total", total,
	    "change_counts", "kept", (json_int_t)r->nkept, "moved", (json_int_t)r->nmoved,
	    "removed", (json_int_t)r->nremoved, "added", (json_int_t)r->nadded, "changes",
	    changes_json(r));
	int rc = doc ? json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : -1;
	if (rc == 0)
		fputc('\n', out);
	json_decref(doc);
	return rc;
}
