/* Routing and shared helpers of the HTTP API; see api.h. */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "listing.h"

void
hub_api_error(hub_http_response *resp, int status, const char *message)
{
	json_t *o = json_pack("{s:s}", "error", message);

	resp->status = status;
	resp->content_type = "application/json";
	resp->body = o != NULL ? json_dumps(o, JSON_COMPACT) : NULL;
	resp->len = resp->body != NULL ? strlen(resp->body) : 0;
	json_decref(o);
}

void
hub_api_json(hub_http_response *resp, int status, char *body)
{
	if (body == NULL) {
		hub_api_error(resp, 500, "out of memory");
		return;
	}
	resp->status = status;
	resp->content_type = "application/json";
	resp->body = body;
	resp->len = strlen(body);
}

void
hub_api_dup_json(hub_http_response *resp, const char *text, size_t len)
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

static void
healthz(hub_api *api, hub_http_response *resp)
{
	ibx_db *db;
	ibx_err rv;

	if ((rv = hub_dbpool_take(api->pool, &db)) == IBX_OK) {
		rv = ibx_db_exec(db, "SELECT 1", 0, NULL, NULL);
		hub_dbpool_give(api->pool, db);
	}
	if (rv != IBX_OK) {
		hub_api_json(resp, 503,
			     strdup("{\"status\":\"unavailable\",\"database\":"
				    "\"unreachable\"}"));
		return;
	}
	hub_api_json(resp, 200,
		     strdup("{\"status\":\"ok\",\"database\":\"ok\"}"));
}

void
hub_api_handle(void *arg, const hub_http_request *req, hub_http_response *resp)
{
	static const char hospitals[] = "/api/v1/hospitals";
	hub_api *api = arg;
	const char *rest;

	if (strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "HEAD") != 0) {
		hub_api_error(resp, 405, "only GET is served");
		return;
	}
	if (strcmp(req->path, "/healthz") == 0) {
		healthz(api, resp);
		return;
	}
	if (strcmp(req->path, hospitals) == 0) {
		hub_api_hospitals_search(api, req, resp);
		return;
	}
	if (strncmp(req->path, hospitals, sizeof(hospitals) - 1) == 0 &&
	    req->path[sizeof(hospitals) - 1] == '/') {
		rest = req->path + sizeof(hospitals);
		if (!ibx_digits(rest, 10)) {
			hub_api_error(
			    resp, 400,
			    "path: organisation code must be 10 digits");
			return;
		}
		hub_api_hospitals_get(api, rest, req, resp);
		return;
	}
	hub_api_error(resp, 404, "no such resource");
}
