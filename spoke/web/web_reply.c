/*
 * The page's answers: JSON bodies, {"error": ...}, and problem lists with
 * their fields and codes (so the page says them in its language); see
 * web_int.h.  On their own so that the handlers and the router use them
 * without using the router.
 */
#include <stdlib.h>
#include <string.h>

#include "web_int.h"

void
web_json(ibx_http_response *r, int status, json_t *o)
{
	r->status = status;
	r->body = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	json_decref(o);
	if (r->body == NULL) {
		r->status = 500;
		r->body = strdup("{\"error\":\"out of memory\"}");
	}
	r->len = r->body != NULL ? strlen(r->body) : 0;
	r->content_type = "application/json";
}

void
web_error(ibx_http_response *r, int status, const char *msg)
{
	web_json(r, status, json_pack("{s:s}", "error", msg));
}

json_t *
web_problems_json(char *const *items, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; a != NULL && i < n; i++) {
		const char *p = items[i], *q, *end;
		char field[256] = "";

		/* 'field "<field>": <reason>' (problems.h). */
		if (strncmp(p, "field \"", 7) == 0 &&
		    (end = strstr(p + 7, "\": ")) != NULL &&
		    (size_t)(end - p - 7) < sizeof(field)) {
			memcpy(field, p + 7, (size_t)(end - p - 7));
			field[end - p - 7] = '\0';
			q = end + 3;
		} else
			q = p;
		json_array_append_new(
		    a, json_pack("{s:s,s:s}", "field", field, "message", q));
	}
	return (a);
}

json_t *
web_problems_coded(const ibx_problems *p)
{
	json_t *a = web_problems_json(p->items, p->n), *o, *args;
	size_t i, k;

	for (i = 0; a != NULL && i < p->n; i++) {
		if (p->codes[i] == NULL)
			continue;
		o = json_array_get(a, i);
		args = json_array();
		for (k = 0; k < IBX_PROBLEM_ARGS && p->args[i][k] != NULL; k++)
			json_array_append_new(args,
					      json_string(p->args[i][k]));
		json_object_set_new(o, "code", json_string(p->codes[i]));
		json_object_set_new(o, "args", args);
		if (p->fields[i] != NULL)
			json_object_set_new(o, "field",
					    json_string(p->fields[i]));
	}
	return (a);
}
