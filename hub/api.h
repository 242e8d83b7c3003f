/*
 * The HTTP API's routing and the helpers its handlers share: JSON error
 * bodies, a database connection per request.  Each resource lives in its own
 * api_<resource>.c; this file maps paths to them.
 *
 *   GET /healthz                  liveness and database reachability
 *   GET /api/v1/hospitals         search (api_hospitals.c)
 *   GET /api/v1/hospitals/{code}  one listing and its history
 */
#ifndef HUB_API_H
#define HUB_API_H

#include "dbpool.h"
#include "http.h"

typedef struct hub_api {
	hub_dbpool *pool;
} hub_api;

/* hub_api_handle: the hub_http_handler for the API; arg is a hub_api. */
void hub_api_handle(void *arg, const hub_http_request *req,
		    hub_http_response *resp);

/* hub_api_error: answer status with {"error": message} (message is escaped
 * as JSON). */
void hub_api_error(hub_http_response *resp, int status, const char *message);

/* hub_api_json: answer status with a JSON body; takes ownership of body
 * (malloc'd), or answers 500 when body is NULL. */
void hub_api_json(hub_http_response *resp, int status, char *body);

/* hub_api_dup_json: answer 200 with a copy of len bytes of JSON text (for
 * JSON built by PostgreSQL). */
void hub_api_dup_json(hub_http_response *resp, const char *text, size_t len);

/* Handlers, each in its own file. */
void hub_api_hospitals_search(hub_api *api, const hub_http_request *req,
			      hub_http_response *resp);
void hub_api_hospitals_get(hub_api *api, const char *code,
			   const hub_http_request *req,
			   hub_http_response *resp);

#endif /* HUB_API_H */
