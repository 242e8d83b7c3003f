/*
 * The API's answers: an error as {"error": "..."}, a JSON body, and the
 * database's failures as 503 (try again) or 500; see api.h.  On their own
 * so that every resource (and the router) uses them without using the
 * router.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"

void
hub_api_error(ibx_http_response *resp, int status, const char *message)
{
	json_t *o = json_pack("{s:s}", "error", message);

	free(resp->body);
	resp->status = status;
	resp->content_type = "application/json";
	resp->body = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	resp->len = resp->body != NULL ? strlen(resp->body) : 0;
	json_decref(o);
}

void
hub_api_json(ibx_http_response *resp, int status, char *body)
{
	if (body == NULL) {
		hub_api_error(resp, 500, "out of memory");
		return;
	}
	free(resp->body);
	resp->status = status;
	resp->content_type = "application/json";
	resp->body = body;
	resp->len = strlen(body);
}

void
hub_api_dup_json(ibx_http_response *resp, const char *text, size_t len)
{
	char *body = malloc(len + 1);

	if (body == NULL) {
		hub_api_error(resp, 500, "out of memory");
		return;
	}
	memcpy(body, text, len);
	body[len] = '\0';
	hub_api_json(resp, 200, body);
}

void
hub_api_db_error(ibx_http_response *resp, ibx_err rv)
{
	if (rv == IBX_EDBDOWN)
		hub_api_error(resp, 503, "database unavailable: try again");
	else
		hub_api_error(resp, 500, "query failed");
}
