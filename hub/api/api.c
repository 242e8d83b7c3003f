/* Routing, authentication and audit of the HTTP API; see api.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api.h"
#include "audit.h"
#include "listing.h"
#include "log.h"
#include "static.h"

/* The CRL part of /healthz into out (n bytes): "" without a CRL, else
 * ',"crl":{...}'.  1 when the CRL is past its nextUpdate. */
static int
crl_health(const hub_api *api, char *out, size_t n)
{
	static const char *const names[] = {"none", "fresh", "expiring",
					    "expired"};
	int state = api->crl != NULL ? api->crl->state : HUB_CRL_NONE;
	time_t next;
	struct tm tm;
	char when[32];

	out[0] = '\0';
	if (state <= HUB_CRL_NONE || state > HUB_CRL_EXPIRED)
		return (0);
	next = (time_t)api->crl->next_update;
	gmtime_r(&next, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	snprintf(out, n,
		 ",\"crl\":{\"state\":\"%s\",\"next_update\":\"%s\","
		 "\"seconds_left\":%lld%s}",
		 names[state], when, (long long)(next - time(NULL)),
		 state == HUB_CRL_EXPIRED
		     ? ",\"reason\":\"the CRL is past its nextUpdate: every "
		       "spoke is refused until a fresh CRL is installed and "
		       "the hub gets SIGHUP\""
		     : "");
	return (state == HUB_CRL_EXPIRED);
}

static void
healthz(hub_api *api, ibx_http_response *resp)
{
	char crl[320], body[400];
	int stale = crl_health(api, crl, sizeof(crl));
	ibx_db *db;
	ibx_err rv;

	if ((rv = hub_dbpool_take(api->pool, &db)) == IBX_OK) {
		rv = ibx_db_exec(db, "SELECT 1", 0, NULL, NULL);
		hub_dbpool_give(api->pool, db);
	}
	snprintf(body, sizeof(body),
		 "{\"status\":\"%s\",\"database\":\"%s\"%s}",
		 rv != IBX_OK || stale ? "unavailable" : "ok",
		 rv != IBX_OK ? "unreachable" : "ok", crl);
	hub_api_json(resp, rv != IBX_OK || stale ? 503 : 200, strdup(body));
}

/* The decoded arguments joined as key=value&..., for the audit. */
static char *
params_text(const ibx_http_request *req)
{
	size_t len = 1, i;
	char *s, *w;

	for (i = 0; i < req->nargs; i++)
		len +=
		    strlen(req->args[i].key) + strlen(req->args[i].value) + 2;
	if ((s = malloc(len)) == NULL)
		return (NULL);
	w = s;
	*w = '\0';
	for (i = 0; i < req->nargs; i++)
		w += sprintf(w, "%s%s=%s", i > 0 ? "&" : "", req->args[i].key,
			     req->args[i].value);
	return (s);
}

/* GET /api/v1/me: who the token or session says the caller is; for a
 * person signed in, the account's name and organisation too. */
void
hub_api_me(hub_api_call *c, const char *arg, const ibx_http_request *req,
	   ibx_http_response *resp)
{
	(void)arg;
	(void)req;
	const char *org =
	    c->who.account_id > 0 ? c->who.account_org : c->who.org_code;
	json_t *o = json_pack("{s:s,s:o}", "role", hub_role_name(c->who.role),
			      "organisation_code",
			      org[0] != '\0' ? json_string(org) : json_null());

	if (o != NULL && c->who.account_id > 0)
		json_object_set_new(o, "login", json_string(c->who.login));
	hub_api_json(resp, 200,
		     o != NULL ? json_dumps(o, JSON_COMPACT) : NULL);
	json_decref(o);
}

/* Which roles may call a route (a bit per hub_role). */
#define ROLES(r) (1u << (r))
#define ANY_ROLE                                                              \
	(ROLES(HUB_ROLE_MINISTRY) | ROLES(HUB_ROLE_COORDINATOR) |             \
	 ROLES(HUB_ROLE_HOSPITAL))
/* A route anyone may call, without a token or session (sign-in). */
#define PUBLIC ROLES(HUB_ROLE_NONE)

/* A path parameter's rule: none, an organisation code, or a name. */
enum route_param {
	PARAM_NONE,
	PARAM_ORG_CODE, /* 10 digits */
	PARAM_NAME,	/* the rest of the path, checked by the handler */
};

/* The routes under /api/v1, matched in order: a method (GET also answers
 * HEAD), a path, or a prefix that a parameter completes ({code}, {name});
 * the roles that may call it, and what the others are told (403). */
static const struct route {
	const char *method;
	const char *path;
	enum route_param param;
	hub_api_handler handler;
	unsigned roles;
	const char *forbidden;
} routes[] = {
    {"GET", "/api/v1/me", PARAM_NONE, hub_api_me, ANY_ROLE, NULL},
    {"GET", "/api/v1/hospitals", PARAM_NONE, hub_api_hospitals_search,
     ANY_ROLE, NULL},
    {"GET", "/api/v1/hospitals/", PARAM_ORG_CODE, hub_api_hospitals_get,
     ANY_ROLE, NULL},
    {"GET", "/api/v1/airports", PARAM_NONE, hub_api_airports, ANY_ROLE, NULL},
    {"GET", "/api/v1/statistics", PARAM_NONE, hub_api_statistics, ANY_ROLE,
     "role: may not read statistics"},
    {"GET", "/api/v1/statistics/growth", PARAM_NONE, hub_api_statistics_growth,
     ANY_ROLE, "role: may not read statistics"},
    {"GET", "/api/v1/portfolio", PARAM_NONE, hub_api_portfolio,
     ROLES(HUB_ROLE_MINISTRY), "role: the portfolio is for the ministry"},
    {"GET", "/api/v1/portfolio/series/", PARAM_NAME, hub_api_series,
     ROLES(HUB_ROLE_MINISTRY), "role: series are for the ministry"},
    {"GET", "/api/v1/coordinators", PARAM_NONE, hub_api_coordinators, ANY_ROLE,
     NULL},
    {"GET", "/api/v1/submissions", PARAM_NONE, hub_api_submissions,
     ROLES(HUB_ROLE_MINISTRY) | ROLES(HUB_ROLE_HOSPITAL),
     "role: submissions are for hospitals and the ministry"},
    {"GET", "/api/v1/referrals", PARAM_NONE, hub_api_referrals,
     ROLES(HUB_ROLE_COORDINATOR) | ROLES(HUB_ROLE_HOSPITAL),
     "role: referrals are for their parties; the ministry's referral "
     "figures are in /api/v1/portfolio (disclosure control)"},
    {"GET", "/api/v1/referrals/", PARAM_NAME, hub_api_referral_get,
     ROLES(HUB_ROLE_COORDINATOR) | ROLES(HUB_ROLE_HOSPITAL),
     "role: referrals are for their parties; the ministry's referral "
     "figures are in /api/v1/portfolio (disclosure control)"},
    {"GET", "/api/v1/completeness", PARAM_NONE, hub_api_completeness,
     ROLES(HUB_ROLE_MINISTRY), "role: completeness is for the ministry"},
    {"POST", "/api/v1/session", PARAM_NONE, hub_api_session_create, PUBLIC,
     NULL},
    {"DELETE", "/api/v1/session", PARAM_NONE, hub_api_session_delete, ANY_ROLE,
     NULL},
    {"GET", "/api/v1/shortlist", PARAM_NONE, hub_api_shortlist_get, ANY_ROLE,
     NULL},
    {"PUT", "/api/v1/shortlist/", PARAM_ORG_CODE, hub_api_shortlist_put,
     ANY_ROLE, NULL},
    {"DELETE", "/api/v1/shortlist/", PARAM_ORG_CODE, hub_api_shortlist_delete,
     ANY_ROLE, NULL},
    {"GET", "/api/v1/searches", PARAM_NONE, hub_api_searches_get, ANY_ROLE,
     NULL},
    {"POST", "/api/v1/searches", PARAM_NONE, hub_api_searches_post, ANY_ROLE,
     NULL},
    {"DELETE", "/api/v1/searches/", PARAM_NAME, hub_api_searches_delete,
     ANY_ROLE, NULL},
};

static int
path_matches(const struct route *r, const char *path)
{
	return (r->param == PARAM_NONE
		    ? strcmp(path, r->path) == 0
		    : strncmp(path, r->path, strlen(r->path)) == 0);
}

/* The route for method and path, and its parameter in *arg ("" for none);
 * NULL when none matches, with *other set when the path has routes for
 * other methods only (405). */
static const struct route *
route_find(const char *method, const char *path, const char **arg, int *other)
{
	const struct route *r;
	size_t i;

	*other = 0;
	if (strcmp(method, "HEAD") == 0)
		method = "GET";
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		r = &routes[i];
		if (!path_matches(r, path))
			continue;
		if (strcmp(method, r->method) != 0) {
			*other = 1;
			continue;
		}
		*arg = r->param == PARAM_NONE ? "" : path + strlen(r->path);
		return (r);
	}
	return (NULL);
}

/* The methods a path is served with, for a 405's Allow header. */
static const char *
allowed(const char *path)
{
	size_t i;
	int get = 0, post = 0, put = 0, del = 0;

	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++)
		if (path_matches(&routes[i], path)) {
			get |= strcmp(routes[i].method, "GET") == 0;
			post |= strcmp(routes[i].method, "POST") == 0;
			put |= strcmp(routes[i].method, "PUT") == 0;
			del |= strcmp(routes[i].method, "DELETE") == 0;
		}
	if (post && del)
		return ("POST, DELETE");
	if (get && post)
		return ("GET, HEAD, POST");
	if (del && !get && !put)
		return ("DELETE");
	if (get && put && del)
		return ("GET, HEAD, PUT, DELETE");
	if (put && del)
		return ("PUT, DELETE");
	return ("GET, HEAD");
}

static void
route(hub_api_call *c, const struct route *r, const char *arg,
      const ibx_http_request *req, ibx_http_response *resp)
{
	const char *why = NULL;

	if (r->roles != PUBLIC && (r->roles & ROLES(c->who.role)) == 0) {
		hub_api_error(resp, 403,
			      r->forbidden != NULL ? r->forbidden
						   : "role: not allowed");
		return;
	}
	/* A session's state-changing call must be the page's own (CSRF);
	 * a bearer token is never sent by a browser on its own. */
	if (c->who.account_id > 0 && strcmp(r->method, "GET") != 0 &&
	    !hub_session_csrf_ok(&c->who, req, &why)) {
		hub_api_error(resp, 403, why);
		return;
	}
	if (r->param == PARAM_ORG_CODE && !ibx_digits(arg, 10)) {
		hub_api_error(resp, 400,
			      "path: organisation code must be 10 digits");
		return;
	}
	r->handler(c, arg, req, resp);
}

/* Who is calling: a bearer token when an Authorization header is sent,
 * else a session cookie (looked up on the primary: it records the use). */
static ibx_err
identify(hub_api_call *c, const ibx_http_request *req)
{
	ibx_db *db = NULL;
	ibx_err rv;

	if (req->authorization != NULL || req->cookie == NULL)
		return (hub_auth_identify(c->db, req->authorization, &c->who));
	if ((rv = hub_api_write_db(c, &db)) != IBX_OK)
		return (rv);
	rv = hub_session_identify(c->api, db, req, &c->who);
	hub_api_write_db_give(c, db != c->db ? db : NULL);
	return (rv);
}

/* Record a call in the audit chain: as the audit writer (--db-audit) when
 * it has its own connections, else on one of the primary's when reads go
 * to a hot standby, which cannot write, else on the read connection. */
static ibx_err
audit(hub_api *api, const hub_api_call *c, const ibx_http_request *req,
      int status, const char *params)
{
	hub_dbpool *pool =
	    api->audit_pool != NULL ? api->audit_pool : api->write_pool;
	ibx_db *db = c->db;
	ibx_err rv;

	if (pool != NULL && (rv = hub_dbpool_take(pool, &db)) != IBX_OK)
		return (rv);
	rv = hub_audit_append(db, &c->who, req->method, req->path, params,
			      status, c->cells, req->client);
	if (pool != NULL)
		hub_dbpool_give(pool, db);
	return (rv);
}

/* An authenticated, audited call under /api/v1. */
static void
api_call(hub_api *api, const ibx_http_request *req, ibx_http_response *resp)
{
	const struct route *r;
	const char *arg = "";
	hub_api_call c;
	char *params = NULL, *full = NULL;
	int other = 0;
	struct timespec t0, t1, t2;
	ibx_err rv;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	t1 = t0;
	memset(&c, 0, sizeof(c));
	c.api = api;
	if ((rv = hub_dbpool_take(api->pool, &c.db)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	r = route_find(req->method, req->path, &arg, &other);
	/* A method the path does not take is refused before the caller is
	 * looked up: the routes are public (the OpenAPI contract). */
	rv = r == NULL && other		       ? IBX_OK
	     : r != NULL && r->roles == PUBLIC ? IBX_OK
					       : identify(&c, req);
	if (rv == IBX_ENOTFOUND) {
		hub_api_error(resp, 401,
			      "authorization: a valid bearer token or "
			      "session is required");
		resp->www_authenticate = "Bearer realm=\"inbound-exchange\"";
	} else if (rv != IBX_OK)
		hub_api_db_error(resp, rv);
	else if (r == NULL && other) {
		hub_api_error(resp, 405, "method: not served on this path");
		resp->allow = allowed(req->path);
	} else if (r == NULL)
		hub_api_error(resp, 404, "no such resource");
	else {
		clock_gettime(CLOCK_MONOTONIC, &t1);
		route(&c, r, arg, req, resp);
	}
	/* A person's name goes with the call (no token id to name them). */
	if (c.who.account_id > 0 && c.audit_note[0] == '\0')
		snprintf(c.audit_note, sizeof(c.audit_note), "account=%s",
			 c.who.login);
	/* Every call is recorded, refused ones too; an answer whose call
	 * cannot be recorded is not given. */
	if ((params = params_text(req)) != NULL && c.audit_note[0] != '\0' &&
	    (full = malloc(strlen(params) + strlen(c.audit_note) + 2)) != NULL)
		sprintf(full, "%s%s%s", c.audit_note,
			params[0] != '\0' ? "&" : "", params);
	if (params == NULL || (c.audit_note[0] != '\0' && full == NULL) ||
	    audit(api, &c, req, resp->status, full != NULL ? full : params) !=
		IBX_OK) {
		IBX_ERROR("api: cannot write the audit entry for %s",
			  req->path);
		free(resp->set_cookie[0]);
		free(resp->set_cookie[1]);
		resp->set_cookie[0] = resp->set_cookie[1] = NULL;
		hub_api_error(resp, 503, "audit log unavailable: try again");
	}
	free(full);
	free(params);
	hub_dbpool_give(api->pool, c.db);
	/* IBX_API_TIMING: the call's time, and the part before its route
	 * (the connection and the caller's identity). */
	if (getenv("IBX_API_TIMING") != NULL && r != NULL) {
		clock_gettime(CLOCK_MONOTONIC, &t2);
		IBX_INFO("api timing: call_us=%lld before_route_us=%lld",
			 (long long)(t2.tv_sec - t0.tv_sec) * 1000000 +
			     (t2.tv_nsec - t0.tv_nsec) / 1000,
			 (long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
			     (t1.tv_nsec - t0.tv_nsec) / 1000);
	}
}

/* A request refused before any route: answered with status and message,
 * and audited with no principal (the token is not looked up). */
static void
refuse_audited(hub_api *api, const ibx_http_request *req,
	       ibx_http_response *resp, int status, const char *message)
{
	hub_api_call c;
	char *params = NULL;
	ibx_err rv;

	memset(&c, 0, sizeof(c));
	c.api = api;
	hub_api_error(resp, status, message);
	if (api->audit_pool == NULL &&
	    (rv = hub_dbpool_take(api->pool, &c.db)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	if ((params = params_text(req)) == NULL ||
	    audit(api, &c, req, resp->status, params) != IBX_OK) {
		IBX_ERROR("api: cannot write the audit entry for a refused "
			  "request");
		hub_api_error(resp, 503, "audit log unavailable: try again");
	}
	free(params);
	if (c.db != NULL)
		hub_dbpool_give(api->pool, c.db);
}

void
hub_api_handle(void *arg, const ibx_http_request *req, ibx_http_response *resp)
{
	hub_api *api = arg;

	/* What the server could not pass on (a NUL, text not UTF-8, a body
	 * where none is read) is refused, and audited (issue 14). */
	if (req->refusal != NULL) {
		refuse_audited(api, req, resp, req->refusal_status,
			       req->refusal);
		return;
	}
	/* Under /api/v1 the route table says which methods each path takes;
	 * everything else is GET only. */
	if (strncmp(req->path, "/api/v1/", 8) == 0 &&
	    strcmp(req->path, "/api/v1/openapi.json") != 0) {
		api_call(api, req, resp);
		return;
	}
	if (strcmp(req->method, "GET") != 0 &&
	    strcmp(req->method, "HEAD") != 0) {
		refuse_audited(api, req, resp, 405, "only GET is served");
		resp->allow = "GET, HEAD";
		return;
	}
	if (strcmp(req->path, "/healthz") == 0) {
		healthz(api, resp);
		return;
	}
	if (strcmp(req->path, "/api/v1/openapi.json") == 0) {
		ibx_http_static_serve(api->web_root, "/openapi.json", resp);
		return;
	}
	if (strcmp(req->path, "/") == 0 ||
	    strncmp(req->path, "/ui/", 4) == 0) {
		ibx_http_static_serve(api->web_root, req->path, resp);
		return;
	}
	hub_api_error(resp, 404, "no such resource");
}
