/*
 * The HTTP API's routing and the helpers its handlers share.  Every
 * /api/v1 call is authenticated with a bearer token (auth.c), checked
 * against the caller's role, answered, and written to the audit chain
 * (audit.c) before the answer leaves.  Each resource lives in its own
 * api_<resource>.c; this file maps paths to them.
 *
 *   GET /healthz                         no token; the database and the
 *                                        CRL's freshness (503 when
 *                                        either fails)
 *   GET /, /ui/...                       the web pages (static.c), no token
 *   GET /api/v1/openapi.json             the API contract, no token
 *   GET /api/v1/me                       every role: the caller's role
 *   GET /api/v1/hospitals[/{code}]       every role (api_hospitals.c)
 *   GET /api/v1/airports                 every role (api_hospitals.c)
 *   GET /api/v1/statistics               ministry, coordinator; hospital:
 *                                        its own (api_statistics.c)
 *   GET /api/v1/statistics/growth        as statistics: YoY and CAGR
 *   GET /api/v1/completeness             ministry (api_statistics.c)
 *   GET /api/v1/submissions              hospital (own), ministry
 *   GET /api/v1/coordinators             every role (api_coordinators.c)
 *   GET /api/v1/referrals                coordinator (sent), hospital
 *                                        (received), ministry (counts)
 *                                        (api_referrals.c)
 *   GET /api/v1/referrals/{id}           a party of it (else 404); not
 *                                        the ministry (403)
 *   GET /api/v1/portfolio                ministry (api_portfolio.c)
 *   GET /api/v1/portfolio/series/{name}  ministry (api_portfolio.c)
 *   POST /api/v1/session                 sign in: password and TOTP, no
 *                                        token (api_session.c)
 *   DELETE /api/v1/session               sign out (a session cookie)
 *   GET /api/v1/shortlist                a signed-in person's shortlist
 *   PUT, DELETE /api/v1/shortlist/{code} add, remove (api_shortlist.c)
 *   GET, POST /api/v1/searches           a signed-in person's saved
 *   DELETE /api/v1/searches/{id}         searches (api_searches.c)
 *
 * A call with a session cookie instead of a bearer token that changes
 * state (any method but GET and HEAD) must carry the session's CSRF token
 * in X-CSRF-Token, and its Origin, when sent, must name this host.
 */
#ifndef HUB_API_H
#define HUB_API_H

#include "auth.h"
#include "dbpool.h"
#include "http.h"
#include "stat_table.h"

/* How fresh the CRL is that the hub checks spokes against (issue 14,
 * finding 2): main.c writes it, GET /healthz reports it.  EXPIRING is
 * within HUB_CRL_WARN_S of nextUpdate; EXPIRED is past it, when the hub
 * refuses every spoke until a fresh CRL and SIGHUP. */
typedef enum hub_crl_state {
	HUB_CRL_NONE = 0, /* no --crl */
	HUB_CRL_FRESH,
	HUB_CRL_EXPIRING,
	HUB_CRL_EXPIRED,
} hub_crl_state;

#define HUB_CRL_WARN_S (7 * 86400)

typedef struct hub_crl_health {
	_Atomic int state;	     /* hub_crl_state */
	_Atomic int64_t next_update; /* Unix seconds */
} hub_crl_health;

typedef struct hub_api {
	/* Reads: the primary, or a hot standby (--db-read). */
	hub_dbpool *pool;
	/* The primary, for audit entries, when pool is a hot standby (which
	 * cannot write); NULL when pool is the primary. */
	hub_dbpool *write_pool;
	const char *web_root; /* hub/web pages, or NULL */
	int k_threshold;      /* disclosure control: smallest count shown */
	const hub_crl_health *crl; /* or NULL */
	/* The audit writer's connections (--db-audit: a role that may only
	 * append to the audit chain), or NULL to write with the above. */
	hub_dbpool *audit_pool;
	/* Sessions (api_session.c; 0 takes the default in brackets):
	 * seconds of inactivity [1800] and of age [43200] after which a
	 * session ends; the first lock's length after failed sign-ins [60],
	 * doubled at each further failure. */
	int session_idle;
	int session_max;
	int signin_lock;
} hub_api;

/* One API call in progress: the connection it holds, who is calling, and
 * how many cells (or listings) it answered, for the audit. */
typedef struct hub_api_call {
	hub_api *api;
	ibx_db *db;
	hub_principal who;
	int cells;
	/* What the audit adds to the call's parameters ("login=...&outcome=
	 * ..." for a sign-in); never a secret. */
	char audit_note[256];
} hub_api_call;

/* hub_api_stat_query_parse: a statistics query from req's parameters,
 * checked against the caller's role (hub_stat_query_parse), csv from
 * format= or else the Accept header.  0, -1 (400) or -2 (403), with err (n
 * bytes) naming the parameter. */
int hub_api_stat_query_parse(const hub_api_call *c,
			     const ibx_http_request *req, hub_stat_query *q,
			     char *err, size_t n);

/* A page of a list (api_paging.c): at most limit rows after skipping
 * offset; answered beside the rows as "total", "limit", "offset". */
typedef struct hub_api_page {
	long limit;
	long offset;
} hub_api_page;

/* hub_api_page_param: whether a parameter's key is limit or offset (for a
 * handler that lists the parameters it takes). */
int hub_api_page_param(const char *key);

/* hub_api_args_unique: 0 when no parameter of req is given twice, else
 * -1 with a 400 naming it answered in resp. */
int hub_api_args_unique(const ibx_http_request *req, ibx_http_response *resp);

/* hub_api_page_parse: limit (1 to max, def when absent) and offset (0 to
 * HUB_QUERY_OFFSET_MAX, 0 when absent) from req into pg.  0, or -1 with a
 * 400 naming the parameter answered in resp. */
int hub_api_page_parse(const ibx_http_request *req, long def, long max,
		       hub_api_page *pg, ibx_http_response *resp);

/* hub_api_handle: the ibx_http_handler for the API; arg is a hub_api. */
void hub_api_handle(void *arg, const ibx_http_request *req,
		    ibx_http_response *resp);

/* hub_api_error: answer status with {"error": message} (escaped). */
void hub_api_error(ibx_http_response *resp, int status, const char *message);

/* hub_api_json: answer status with a JSON body; takes ownership of body
 * (malloc'd), or answers 500 when body is NULL. */
void hub_api_json(ibx_http_response *resp, int status, char *body);

/* hub_api_dup_json: answer 200 with a copy of len bytes of JSON text. */
void hub_api_dup_json(ibx_http_response *resp, const char *text, size_t len);

/* hub_api_db_error: answer 503 (database unreachable) or 500. */
void hub_api_db_error(ibx_http_response *resp, ibx_err rv);

/* A route's handler: arg is the path parameter (an organisation code for
 * /hospitals/{code}, a series name for /portfolio/series/{name}, "" for
 * none).  The route table (api.c) has checked the caller's role and the
 * parameter's form; the handler answers through resp. */
typedef void (*hub_api_handler)(hub_api_call *c, const char *arg,
				const ibx_http_request *req,
				ibx_http_response *resp);

/* Handlers, each in its resource's file. */
void hub_api_me(hub_api_call *c, const char *arg, const ibx_http_request *req,
		ibx_http_response *resp);
void hub_api_hospitals_search(hub_api_call *c, const char *arg,
			      const ibx_http_request *req,
			      ibx_http_response *resp);
void hub_api_hospitals_get(hub_api_call *c, const char *arg,
			   const ibx_http_request *req,
			   ibx_http_response *resp);
/* GET /api/v1/airports: the scheduled airports search may start from. */
void hub_api_airports(hub_api_call *c, const char *arg,
		      const ibx_http_request *req, ibx_http_response *resp);
void hub_api_statistics(hub_api_call *c, const char *arg,
			const ibx_http_request *req, ibx_http_response *resp);
void hub_api_statistics_growth(hub_api_call *c, const char *arg,
			       const ibx_http_request *req,
			       ibx_http_response *resp);
void hub_api_portfolio(hub_api_call *c, const char *arg,
		       const ibx_http_request *req, ibx_http_response *resp);
void hub_api_series(hub_api_call *c, const char *arg,
		    const ibx_http_request *req, ibx_http_response *resp);
void hub_api_coordinators(hub_api_call *c, const char *arg,
			  const ibx_http_request *req,
			  ibx_http_response *resp);
/* hub_api_referrals: GET /api/v1/referrals (api_referrals.c): a page
 * (limit 1 to HUB_API_REFERRALS_PAGE_MAX, the default; offset) of the
 * caller's referrals, newest first, with "total". */
#define HUB_API_REFERRALS_PAGE_MAX 200
void hub_api_referrals(hub_api_call *c, const char *arg,
		       const ibx_http_request *req, ibx_http_response *resp);
/* hub_api_referral_get: GET /api/v1/referrals/{id} (api_referrals.c): one
 * referral's metadata and status timeline for a party of it; 404 for
 * anyone else, as for an unknown id (ids cannot be probed); 400 for an id
 * that is not 32 lowercase hex digits. */
void hub_api_referral_get(hub_api_call *c, const char *arg,
			  const ibx_http_request *req,
			  ibx_http_response *resp);
void hub_api_submissions(hub_api_call *c, const char *arg,
			 const ibx_http_request *req, ibx_http_response *resp);
void hub_api_completeness(hub_api_call *c, const char *arg,
			  const ibx_http_request *req,
			  ibx_http_response *resp);
void hub_api_session_create(hub_api_call *c, const char *arg,
			    const ibx_http_request *req,
			    ibx_http_response *resp);
void hub_api_session_delete(hub_api_call *c, const char *arg,
			    const ibx_http_request *req,
			    ibx_http_response *resp);
void hub_api_shortlist_get(hub_api_call *c, const char *arg,
			   const ibx_http_request *req,
			   ibx_http_response *resp);
void hub_api_shortlist_put(hub_api_call *c, const char *arg,
			   const ibx_http_request *req,
			   ibx_http_response *resp);
void hub_api_shortlist_delete(hub_api_call *c, const char *arg,
			      const ibx_http_request *req,
			      ibx_http_response *resp);
/* Saved searches (api_searches.c): list, save (201), delete ({id}). */
void hub_api_searches_get(hub_api_call *c, const char *arg,
			  const ibx_http_request *req,
			  ibx_http_response *resp);
void hub_api_searches_post(hub_api_call *c, const char *arg,
			   const ibx_http_request *req,
			   ibx_http_response *resp);
void hub_api_searches_delete(hub_api_call *c, const char *arg,
			     const ibx_http_request *req,
			     ibx_http_response *resp);

/* hub_session_identify: the person behind req's session cookie
 * (ibx_session=64 hex digits), when its session is live under api's
 * time-outs; its last use moves to now.  IBX_ENOTFOUND when there is no
 * such cookie or session (ended, idle, too old, or the account disabled),
 * IBX_EDBDOWN or IBX_EDB when the database cannot say.  db must be the
 * primary (the lookup writes). */
ibx_err hub_session_identify(const hub_api *api, ibx_db *db,
			     const ibx_http_request *req, hub_principal *out);

/* hub_session_csrf_ok: whether a state-changing call from a session is
 * the page's own: X-CSRF-Token's SHA-256 is the session's, and Origin,
 * when sent, is this host (http:// or https:// and the Host header).  A
 * refusal's reason goes to why (static). */
int hub_session_csrf_ok(const hub_principal *who, const ibx_http_request *req,
			const char **why);

/* hub_session_origin_ok: whether req's Origin, when sent, names the host
 * it was sent to. */
int hub_session_origin_ok(const ibx_http_request *req);

/* hub_api_write_db: the primary's connection for a call that writes
 * (c->db, or one from the write pool when reads go to a standby); give it
 * back with hub_api_write_db_give. */
ibx_err hub_api_write_db(hub_api_call *c, ibx_db **db);
void hub_api_write_db_give(hub_api_call *c, ibx_db *db);

#endif /* HUB_API_H */
