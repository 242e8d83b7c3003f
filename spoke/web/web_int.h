/*
 * What the files of spoke/web share: the server's state, one call's
 * context, the answers, and each resource's handlers (web_listing.c,
 * web_report.c, web_status.c).  Private to spoke/web.
 */
#ifndef SPOKE_WEB_INT_H
#define SPOKE_WEB_INT_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include <jansson.h>

#include "http.h"
#include "problems.h"
#include "signin.h"
#include "web.h"

#define WEB_SESSIONS_MAX 64
#define WEB_FAILS_MAX	 256
#define WEB_BODY_MAX	 (64u * 1024 * 1024) /* a month's export */

struct web_session {
	int used;
	uint8_t sid_hash[IBX_SIGNIN_HASH_LEN];
	uint8_t csrf_hash[IBX_SIGNIN_HASH_LEN];
	char login[72];
	time_t created, last;
};

/* Failed sign-ins of one login or one address. */
struct web_fails {
	char key[128]; /* "login:NAME" or "address:A" */
	int count;     /* failures since the last success */
	time_t until;  /* locked until */
	int lock;      /* the last lock's length, seconds */
};

struct spoke_web {
	const spoke_web_opts *o;
	ibx_http *http;
	pthread_mutex_t lock; /* sessions, fails, steps, files */
	struct web_session sessions[WEB_SESSIONS_MAX];
	struct web_fails fails[WEB_FAILS_MAX];
	/* TOTP steps used, per login (RFC 6238 5.2: a code works once). */
	struct {
		char login[72];
		int64_t step;
	} steps[WEB_SESSIONS_MAX];
};

/* One call: the server, the signed-in person ("" when none). */
typedef struct web_call {
	spoke_web *w;
	char login[72];
} web_call;

/* web_json: answer status with the JSON o (taken). */
void web_json(ibx_http_response *r, int status, json_t *o);

/* web_error: answer status with {"error": msg}. */
void web_error(ibx_http_response *r, int status, const char *msg);

/* web_problems_json: ibx_problems-style texts ('field "x": reason') as
 * [{"field": "x", "message": "reason"}]. */
json_t *web_problems_json(char *const *items, size_t n);

/* web_problems_coded: the problems of p as web_problems_json's, each
 * with the reason's stable code and values when it has them ({"field",
 * "message", "code", "args": ["350000", "100"]}), so the page says it in
 * the reader's language (i18n.js, PROBLEMS).  A new array. */
json_t *web_problems_coded(const ibx_problems *p);

/* web_write_file: write len bytes to path atomically (path.tmp, fsync,
 * rename) with mode; IBX_EIO (logged). */
ibx_err web_write_file(const char *path, const char *data, size_t len,
		       int mode);

/* web_today: today's date (UTC) as YYYY-MM-DD into out. */
void web_today(char out[11]);

/* Handlers: GET /api/listing, POST /api/listing/check, /publish,
 * /confirm. */
void web_listing_get(web_call *c, const ibx_http_request *req,
		     ibx_http_response *resp);
void web_listing_check(web_call *c, const ibx_http_request *req,
		       ibx_http_response *resp);
void web_listing_publish(web_call *c, const ibx_http_request *req,
			 ibx_http_response *resp);
void web_listing_confirm(web_call *c, const ibx_http_request *req,
			 ibx_http_response *resp);

/* POST /api/report/check, /send, /nil; GET and POST /api/map. */
void web_report_check(web_call *c, const ibx_http_request *req,
		      ibx_http_response *resp);
void web_report_send(web_call *c, const ibx_http_request *req,
		     ibx_http_response *resp);
void web_report_nil(web_call *c, const ibx_http_request *req,
		    ibx_http_response *resp);
void web_map_get(web_call *c, const ibx_http_request *req,
		 ibx_http_response *resp);
void web_map_add(web_call *c, const ibx_http_request *req,
		 ibx_http_response *resp);

/* GET /api/status. */
void web_status_get(web_call *c, const ibx_http_request *req,
		    ibx_http_response *resp);

/* The referral channel (web_referral.c): GET /api/referrals, POST
 * /api/referrals/fetch, GET /api/referrals/file, POST /api/referrals/answer
 * and /api/referrals/send; and whether a POST's body is an upload to take
 * to disk (a signed-in person's, with its CSRF token, to the last two). */
void web_referral_list(web_call *c, const ibx_http_request *req,
		       ibx_http_response *resp);
void web_referral_fetch(web_call *c, const ibx_http_request *req,
			ibx_http_response *resp);
void web_referral_file(web_call *c, const ibx_http_request *req,
		       ibx_http_response *resp);
void web_referral_answer(web_call *c, const ibx_http_request *req,
			 ibx_http_response *resp);
void web_referral_send(web_call *c, const ibx_http_request *req,
		       ibx_http_response *resp);
int web_referral_upload_admit(web_call *c, const ibx_http_request *req);

/* Sign-in: POST, GET and DELETE /api/session (web_session.c); and the
 * session of a request into c->login, with the CSRF check of a POST or a
 * DELETE: 0, or the status it was refused with (answered in resp). */
void web_session_create(web_call *c, const ibx_http_request *req,
			ibx_http_response *resp);
void web_session_get(web_call *c, const ibx_http_request *req,
		     ibx_http_response *resp);
void web_session_delete(web_call *c, const ibx_http_request *req,
			ibx_http_response *resp);
int web_session_identify(web_call *c, const ibx_http_request *req,
			 ibx_http_response *resp);

#endif /* SPOKE_WEB_INT_H */
