/*
 * People's sessions (issue 17): sign in with a password and a TOTP code,
 * get a cookie, sign out.  See docs/accounts.md for the threat model.
 *
 * - The cookie ibx_session holds 256 random bits in hex; the hub stores
 *   only its SHA-256 (account_sessions), so a copy of the database opens
 *   no session.  HttpOnly (no script reads it), Secure, SameSite=Strict
 *   (no other site's page sends it), Path=/; no Max-Age, so it ends with
 *   the browser, and the hub ends it after --session-idle seconds unused
 *   or --session-max seconds after sign-in, whichever comes first.
 * - CSRF: SameSite=Strict, plus a double-submit token: sign-in answers a
 *   second random value, also set as the readable cookie ibx_csrf, whose
 *   SHA-256 the session keeps; every call from a session that changes
 *   state must send it back in X-CSRF-Token, and its Origin, when sent,
 *   must be this host.  Sign-in itself takes only application/json (which
 *   a cross-site form cannot send) from its own Origin.
 * - Failed sign-ins (a wrong password, a wrong or replayed code) count
 *   against the name and the client address; five for a name (twenty for
 *   an address) lock it for --signin-lock seconds, doubled at each further
 *   failure (deploy/sql/migrations/060_accounts.sql).  While locked, even the
 * right password is refused (429) with the time left.  Every attempt is in the
 *   audit chain with the name, the address and the outcome, never the
 *   password or the code.
 * - A first sign-in takes the one-time enrolment code from inboundctl user
 *   create (or reset): the hub makes the TOTP key and answers it once, as
 *   an otpauth:// URI and its QR code; the first code from it confirms it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api.h"
#include "crypto.h"
#include "password.h"
#include "signin.h"
#include "totp.h"

#define DEFAULT_IDLE 1800  /* 30 minutes (OWASP session guidance) */
#define DEFAULT_MAX  43200 /* 12 hours: one working day */
#define DEFAULT_LOCK 60	   /* seconds, the first lock */
#define LOCK_ACCOUNT 5	   /* failures before a name locks */
#define LOCK_ADDRESS 20	   /* failures before an address locks */
#define ISSUER	     "Inbound Exchange"

static const char SQL_LOCK[] =
    "SELECT kind, seconds FROM ibx_signin_lock($1, $2)";
static const char SQL_FAILED[] =
    "SELECT ibx_signin_failed($1, $2, $3::integer, "
    "$4::integer, $5::integer)";
enum {
	ACC_ID,
	ACC_ROLE,
	ACC_ORG,
	ACC_HASH,
	ACC_KEY,
	ACC_CONFIRMED,
	ACC_STEP,
	ACC_ENROL_HASH,
	ACC_ENROL_VALID
};
static const char SQL_ACCOUNT[] =
    "SELECT id, role, coalesce(org_code, ''), password_hash, totp_secret, "
    "totp_confirmed, totp_last_step, enrolment_hash, enrolment_valid "
    "FROM ibx_account_for_signin($1)";
static const char SQL_ENROL[] = "SELECT ibx_account_enrol($1::bigint, $2, $3)";
static const char SQL_SUCCEEDED[] =
    "SELECT ibx_signin_succeeded($1::bigint, $2, $3::bigint, $4, $5, $6)";
enum { SES_ID, SES_ACCOUNT, SES_LOGIN, SES_ROLE, SES_ORG, SES_CSRF };
static const char SQL_LOOKUP[] =
    "SELECT session_id, account_id, login, role, coalesce(org_code, ''), "
    "csrf_hash FROM ibx_session_lookup($1, $2::integer, $3::integer)";
static const char SQL_END[] = "SELECT ibx_session_end($1)";

static int
idle_of(const hub_api *api)
{
	return (api->session_idle > 0 ? api->session_idle : DEFAULT_IDLE);
}

static int
max_of(const hub_api *api)
{
	return (api->session_max > 0 ? api->session_max : DEFAULT_MAX);
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	return (-1);
}

ibx_err
hub_session_identify(const hub_api *api, ibx_db *db,
		     const ibx_http_request *req, hub_principal *out)
{
	uint8_t hash[IBX_SHA256_LEN];
	char idle[16], max[16];
	const char *v;
	size_t len = 0;
	ibx_db_param p[3];
	ibx_db_result *res = NULL;
	ibx_err rv;

	memset(out, 0, sizeof(*out));
	if (req->cookie == NULL ||
	    (v = ibx_signin_cookie(req->cookie, "ibx_session", &len)) ==
		NULL ||
	    !ibx_signin_secret_hash(v, len, hash))
		return (IBX_ENOTFOUND);
	snprintf(idle, sizeof(idle), "%d", idle_of(api));
	snprintf(max, sizeof(max), "%d", max_of(api));
	p[0] = (ibx_db_param){(const char *)hash, IBX_SHA256_LEN, true};
	p[1] = (ibx_db_param){idle, 0, false};
	p[2] = (ibx_db_param){max, 0, false};
	if ((rv = ibx_db_execp_binary(db, SQL_LOOKUP, 3, p, &res)) != IBX_OK)
		return (rv == IBX_EDBDOWN ? IBX_EDBDOWN : IBX_EDB);
	if (ibx_db_result_rows(res) != 1 ||
	    ibx_db_result_length(res, 0, SES_CSRF) != 32) {
		ibx_db_result_free(res);
		return (IBX_ENOTFOUND);
	}
	/* Binary results: bigints are 8 bytes in network order. */
	for (int k = 0; k < 8; k++)
		out->account_id =
		    (out->account_id << 8) |
		    (uint8_t)ibx_db_result_value(res, 0, SES_ACCOUNT)[k];
	out->role = hub_role_parse(ibx_db_result_value(res, 0, SES_ROLE));
	snprintf(out->login, sizeof(out->login), "%.*s",
		 ibx_db_result_length(res, 0, SES_LOGIN),
		 ibx_db_result_value(res, 0, SES_LOGIN));
	snprintf(out->account_org, sizeof(out->account_org), "%.*s",
		 ibx_db_result_length(res, 0, SES_ORG),
		 ibx_db_result_value(res, 0, SES_ORG));
	/* The statistics' own-figures rule reads org_code: a hospital's
	 * only, as with tokens. */
	if (out->role == HUB_ROLE_HOSPITAL)
		snprintf(out->org_code, sizeof(out->org_code), "%s",
			 out->account_org);
	memcpy(out->csrf_hash, ibx_db_result_value(res, 0, SES_CSRF), 32);
	ibx_db_result_free(res);
	return (out->role == HUB_ROLE_NONE ? IBX_ENOTFOUND : IBX_OK);
}

int
hub_session_origin_ok(const ibx_http_request *req)
{
	return (ibx_signin_origin_ok(req));
}

int
hub_session_csrf_ok(const hub_principal *who, const ibx_http_request *req,
		    const char **why)
{
	return (ibx_signin_csrf_ok(who->csrf_hash, req, why));
}

ibx_err
hub_api_write_db(hub_api_call *c, ibx_db **db)
{
	if (c->api->write_pool == NULL) {
		*db = c->db;
		return (IBX_OK);
	}
	return (hub_dbpool_take(c->api->write_pool, db));
}

void
hub_api_write_db_give(hub_api_call *c, ibx_db *db)
{
	if (c->api->write_pool != NULL && db != NULL)
		hub_dbpool_give(c->api->write_pool, db);
}

/* The parsed sign-in body. */
struct signin {
	const char *login;
	const char *password;
	const char *totp;
	const char *enrolment_code;
};

/* Answer a refused sign-in with status, the reason, what to enter next
 * (NULL, "totp" or "enrolment_code"), and record the outcome. */
static void
refuse(hub_api_call *c, ibx_http_response *resp, int status,
       const char *message, const char *next, const char *outcome)
{
	json_t *o = json_pack("{s:s}", "error", message);

	if (o != NULL && next != NULL)
		json_object_set_new(o, "next", json_string(next));
	hub_api_json(resp, status,
		     o != NULL ? json_dumps(o, JSON_COMPACT) : NULL);
	json_decref(o);
	snprintf(c->audit_note + strlen(c->audit_note),
		 sizeof(c->audit_note) - strlen(c->audit_note), "&outcome=%s",
		 outcome);
}

/* A failure of s->login from the client: counted, then refused. */
static void
failed(hub_api_call *c, ibx_db *db, const ibx_http_request *req,
       const struct signin *s, ibx_http_response *resp, const char *message,
       const char *outcome)
{
	char after_a[8], after_b[8], base[16], text[256];
	const char *v[5];
	ibx_db_result *res = NULL;
	int lock = 0;

	snprintf(after_a, sizeof(after_a), "%d", LOCK_ACCOUNT);
	snprintf(after_b, sizeof(after_b), "%d", LOCK_ADDRESS);
	snprintf(base, sizeof(base), "%d",
		 c->api->signin_lock > 0 ? c->api->signin_lock : DEFAULT_LOCK);
	v[0] = s->login;
	v[1] = req->client;
	v[2] = after_a;
	v[3] = after_b;
	v[4] = base;
	if (ibx_db_exec(db, SQL_FAILED, 5, v, &res) == IBX_OK &&
	    ibx_db_result_rows(res) == 1)
		lock = atoi(ibx_db_result_value(res, 0, 0));
	ibx_db_result_free(res);
	if (lock > 0) {
		snprintf(text, sizeof(text),
			 "%s; too many failed sign-ins: this account is "
			 "locked for %d seconds",
			 message, lock);
		refuse(c, resp, 401, text, NULL, outcome);
		resp->retry_after = lock;
		return;
	}
	refuse(c, resp, 401, message, NULL, outcome);
}

static int
parse_signin(const ibx_http_request *req, json_t **root, struct signin *s,
	     const char **err)
{
	json_error_t je;
	json_t *v;

	memset(s, 0, sizeof(*s));
	if (req->content_type == NULL ||
	    strncmp(req->content_type, "application/json", 16) != 0) {
		*err = "body: Content-Type must be application/json";
		return (0);
	}
	if (req->body == NULL ||
	    (*root = json_loadb(req->body, req->body_len, 0, &je)) == NULL ||
	    !json_is_object(*root)) {
		*err = "body: a JSON object with login and password is "
		       "required";
		return (0);
	}
	v = json_object_get(*root, "login");
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > 64) {
		*err = "login: required, at most 64 characters";
		return (0);
	}
	s->login = json_string_value(v);
	v = json_object_get(*root, "password");
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > IBX_PASSWORD_MAX) {
		*err = "password: required, at most 256 bytes";
		return (0);
	}
	s->password = json_string_value(v);
	v = json_object_get(*root, "totp");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_string(v) || json_string_length(v) != 6) {
			*err = "totp: the 6-digit code from the "
			       "authenticator app";
			return (0);
		}
		s->totp = json_string_value(v);
	}
	v = json_object_get(*root, "enrolment_code");
	if (v != NULL && !json_is_null(v) && json_string_length(v) > 0) {
		if (!json_is_string(v) || json_string_length(v) > 64) {
			*err = "enrolment_code: at most 64 characters";
			return (0);
		}
		s->enrolment_code = json_string_value(v);
	}
	return (1);
}

/* Start an enrolment: a new key, stored if the one-time code matches, and
 * answered once as a URI and a QR code. */
static void
enrol(hub_api_call *c, ibx_db *db, const ibx_http_request *req,
      const struct signin *s, ibx_db_result *acc, ibx_http_response *resp)
{
	uint8_t key[IBX_TOTP_KEY_LEN], code_hash[IBX_SHA256_LEN];
	char b32[IBX_TOTP_B32_MAX], id[24];
	char *uri = NULL, *svg = NULL;
	ibx_db_param p[3];
	ibx_db_result *res = NULL;
	json_t *o = NULL;

	snprintf(id, sizeof(id), "%s", ibx_db_result_value(acc, 0, ACC_ID));
	ibx_sha256((const uint8_t *)s->enrolment_code,
		   strlen(s->enrolment_code), code_hash);
	if (strcmp(ibx_db_result_value(acc, 0, ACC_ENROL_VALID), "t") != 0) {
		failed(c, db, req, s, resp,
		       "sign-in failed: the enrolment code is not valid "
		       "(used, expired or never issued); ask for a reset",
		       "bad enrolment code");
		return;
	}
	if (ibx_totp_key_new(key) != IBX_OK ||
	    ibx_totp_base32(key, sizeof(key), b32, sizeof(b32)) != IBX_OK ||
	    ibx_totp_uri(key, sizeof(key), ISSUER, s->login, &uri) != IBX_OK ||
	    ibx_totp_qr_svg(uri, &svg) != IBX_OK) {
		hub_api_error(resp, 500, "enrolment: cannot make a key");
		goto out;
	}
	p[0] = (ibx_db_param){id, 0, false};
	p[1] = (ibx_db_param){(const char *)code_hash, IBX_SHA256_LEN, true};
	p[2] = (ibx_db_param){(const char *)key, IBX_TOTP_KEY_LEN, true};
	if (ibx_db_execp(db, SQL_ENROL, 3, p, &res) != IBX_OK) {
		hub_api_error(resp, 503, "database unavailable: try again");
		goto out;
	}
	if (strcmp(ibx_db_result_value(res, 0, 0), "t") != 0) {
		failed(c, db, req, s, resp,
		       "sign-in failed: the enrolment code is not valid "
		       "(used, expired or never issued); ask for a reset",
		       "bad enrolment code");
		goto out;
	}
	o = json_pack("{s:s,s:s,s:s,s:s,s:s}", "status", "enrol", "message",
		      "scan the QR code with an authenticator app, then sign "
		      "in with the code it shows; it is shown only once",
		      "otpauth_uri", uri, "secret", b32, "qr_svg", svg);
	hub_api_json(resp, 200,
		     o != NULL ? json_dumps(o, JSON_COMPACT) : NULL);
	snprintf(c->audit_note + strlen(c->audit_note),
		 sizeof(c->audit_note) - strlen(c->audit_note),
		 "&outcome=enrolment started");
out:
	if (o != NULL)
		json_decref(o);
	ibx_secret_wipe(key, sizeof(key));
	ibx_secret_wipe(b32, sizeof(b32));
	if (uri != NULL)
		ibx_secret_wipe(uri, strlen(uri));
	if (svg != NULL)
		ibx_secret_wipe(svg, strlen(svg));
	free(uri);
	free(svg);
	ibx_db_result_free(res);
}

/* Both factors passed: start the session and set its cookies. */
static void
start_session(hub_api_call *c, ibx_db *db, const ibx_http_request *req,
	      const struct signin *s, ibx_db_result *acc, int64_t step,
	      ibx_http_response *resp)
{
	char sid[65], csrf[65], id[24], st[24], cookie[160];
	uint8_t sid_hash[IBX_SHA256_LEN], csrf_hash[IBX_SHA256_LEN];
	ibx_db_param p[6];
	ibx_db_result *res = NULL;
	hub_role role = hub_role_parse(ibx_db_result_value(acc, 0, ACC_ROLE));
	const char *org = ibx_db_result_value(acc, 0, ACC_ORG);
	json_t *o;

	snprintf(id, sizeof(id), "%s", ibx_db_result_value(acc, 0, ACC_ID));
	snprintf(st, sizeof(st), "%lld", (long long)step);
	if (ibx_signin_secret_new(sid, sid_hash) != IBX_OK ||
	    ibx_signin_secret_new(csrf, csrf_hash) != IBX_OK) {
		hub_api_error(resp, 500, "session: no randomness");
		return;
	}
	p[0] = (ibx_db_param){id, 0, false};
	p[1] = (ibx_db_param){s->login, 0, false};
	p[2] = (ibx_db_param){st, 0, false};
	p[3] = (ibx_db_param){(const char *)sid_hash, IBX_SHA256_LEN, true};
	p[4] = (ibx_db_param){(const char *)csrf_hash, IBX_SHA256_LEN, true};
	p[5] = (ibx_db_param){req->client, 0, false};
	if (ibx_db_execp(db, SQL_SUCCEEDED, 6, p, &res) != IBX_OK) {
		hub_api_error(resp, 503, "database unavailable: try again");
		goto out;
	}
	if (strcmp(ibx_db_result_value(res, 0, 0), "t") != 0) {
		failed(c, db, req, s, resp,
		       "sign-in failed: this code was used already; wait for "
		       "the next one",
		       "code replayed");
		goto out;
	}
	c->who.role = role;
	c->who.account_id = strtoll(id, NULL, 10);
	snprintf(c->who.login, sizeof(c->who.login), "%s", s->login);
	snprintf(c->who.account_org, sizeof(c->who.account_org), "%s", org);
	if (role == HUB_ROLE_HOSPITAL)
		snprintf(c->who.org_code, sizeof(c->who.org_code), "%s", org);
	o = json_pack("{s:s,s:s,s:s,s:o,s:s,s:i,s:i}", "status", "signed_in",
		      "login", s->login, "role", hub_role_name(role),
		      "organisation_code",
		      org[0] != '\0' ? json_string(org) : json_null(),
		      "csrf_token", csrf, "idle_timeout_s", idle_of(c->api),
		      "absolute_timeout_s", max_of(c->api));
	hub_api_json(resp, 200,
		     o != NULL ? json_dumps(o, JSON_COMPACT) : NULL);
	json_decref(o);
	snprintf(cookie, sizeof(cookie),
		 "ibx_session=%s; HttpOnly; Secure; SameSite=Strict; Path=/",
		 sid);
	resp->set_cookie[0] = strdup(cookie);
	snprintf(cookie, sizeof(cookie),
		 "ibx_csrf=%s; Secure; SameSite=Strict; Path=/", csrf);
	resp->set_cookie[1] = strdup(cookie);
	ibx_secret_wipe(cookie, sizeof(cookie));
	snprintf(c->audit_note + strlen(c->audit_note),
		 sizeof(c->audit_note) - strlen(c->audit_note),
		 "&outcome=signed in");
out:
	ibx_secret_wipe(sid, sizeof(sid));
	ibx_secret_wipe(csrf, sizeof(csrf));
	ibx_db_result_free(res);
}

/* POST /api/v1/session: sign in. */
void
hub_api_session_create(hub_api_call *c, const char *arg,
		       const ibx_http_request *req, ibx_http_response *resp)
{
	struct signin s;
	json_t *root = NULL;
	ibx_db *db = NULL;
	ibx_db_result *lock = NULL, *acc = NULL;
	const char *err = NULL, *v[2], *hash;
	char text[256];
	int64_t step = 0;
	int seconds;
	ibx_err rv;

	(void)arg;
	if (!hub_session_origin_ok(req)) {
		hub_api_error(resp, 403,
			      "csrf: the request comes from another site "
			      "(Origin)");
		return;
	}
	if (!parse_signin(req, &root, &s, &err)) {
		hub_api_error(resp, 400, err);
		goto out;
	}
	snprintf(c->audit_note, sizeof(c->audit_note), "login=%s&address=%s",
		 s.login, req->client);
	if ((rv = hub_api_write_db(c, &db)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		db = NULL;
		goto out;
	}
	v[0] = s.login;
	v[1] = req->client;
	if ((rv = ibx_db_exec(db, SQL_LOCK, 2, v, &lock)) != IBX_OK ||
	    (rv = ibx_db_exec(db, SQL_ACCOUNT, 1, v, &acc)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		goto out;
	}
	if ((seconds = atoi(ibx_db_result_value(lock, 0, 1))) > 0) {
		snprintf(text, sizeof(text),
			 "sign-in locked: too many failed sign-ins for this "
			 "%s; try again in %d seconds",
			 strcmp(ibx_db_result_value(lock, 0, 0), "address") ==
				 0
			     ? "address"
			     : "account",
			 seconds);
		refuse(c, resp, 429, text, NULL, "throttled");
		resp->retry_after = seconds;
		goto out;
	}
	/* An unknown name costs the same Argon2id as a known one. */
	hash = ibx_db_result_rows(acc) == 1
		   ? ibx_db_result_value(acc, 0, ACC_HASH)
		   : ibx_password_dummy_hash();
	if (ibx_password_verify(hash, s.password, strlen(s.password)) !=
		IBX_OK ||
	    ibx_db_result_rows(acc) != 1) {
		failed(c, db, req, &s, resp,
		       "sign-in failed: wrong name, password or code",
		       "wrong password");
		goto out;
	}
	if (strcmp(ibx_db_result_value(acc, 0, ACC_CONFIRMED), "t") != 0 &&
	    s.enrolment_code != NULL) {
		enrol(c, db, req, &s, acc, resp);
		goto out;
	}
	if (ibx_db_result_isnull(acc, 0, ACC_KEY)) {
		refuse(c, resp, 401,
		       "sign-in: this account has no second factor yet; "
		       "enter the enrolment code you were given",
		       "enrolment_code", "needs enrolment");
		goto out;
	}
	if (s.totp == NULL) {
		refuse(c, resp, 401,
		       "sign-in: enter the 6-digit code from your "
		       "authenticator app",
		       "totp", "needs code");
		goto out;
	}
	{
		/* The key comes as bytea text (\x + hex). */
		const char *kx = ibx_db_result_value(acc, 0, ACC_KEY);
		uint8_t key[64];
		size_t klen = (strlen(kx) - 2) / 2, i;

		if (strncmp(kx, "\\x", 2) != 0 || klen > sizeof(key)) {
			hub_api_error(resp, 500, "account: damaged key");
			goto out;
		}
		for (i = 0; i < klen; i++)
			key[i] = (uint8_t)(hex_value(kx[2 + 2 * i]) << 4 |
					   hex_value(kx[3 + 2 * i]));
		rv = ibx_totp_check(key, klen, s.totp, time(NULL), &step);
		ibx_secret_wipe(key, sizeof(key));
	}
	if (rv != IBX_OK) {
		failed(c, db, req, &s, resp,
		       "sign-in failed: wrong name, password or code",
		       "wrong code");
		goto out;
	}
	start_session(c, db, req, &s, acc, step, resp);
out:
	ibx_db_result_free(lock);
	ibx_db_result_free(acc);
	hub_api_write_db_give(c, db != c->db ? db : NULL);
	if (root != NULL) {
		/* The password is wiped in the parsed copy too. */
		json_t *pw = json_object_get(root, "password");

		if (json_is_string(pw))
			ibx_secret_wipe((char *)json_string_value(pw),
					json_string_length(pw));
		json_decref(root);
	}
}

/* DELETE /api/v1/session: sign out; the cookies are cleared. */
void
hub_api_session_delete(hub_api_call *c, const char *arg,
		       const ibx_http_request *req, ibx_http_response *resp)
{
	uint8_t hash[IBX_SHA256_LEN];
	const char *v;
	size_t len = 0;
	ibx_db_param p;
	ibx_db *db = NULL;
	ibx_err rv;

	(void)arg;
	if (c->who.account_id == 0 || req->cookie == NULL ||
	    (v = ibx_signin_cookie(req->cookie, "ibx_session", &len)) ==
		NULL ||
	    len != 64) {
		hub_api_error(resp, 400,
			      "session: signed in with a bearer token; there "
			      "is no session to end");
		return;
	}
	ibx_sha256((const uint8_t *)v, 64, hash);
	p = (ibx_db_param){(const char *)hash, IBX_SHA256_LEN, true};
	if ((rv = hub_api_write_db(c, &db)) != IBX_OK ||
	    (rv = ibx_db_execp(db, SQL_END, 1, &p, NULL)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		goto out;
	}
	hub_api_json(resp, 200, strdup("{\"status\":\"signed_out\"}"));
	resp->set_cookie[0] = strdup("ibx_session=; HttpOnly; Secure; "
				     "SameSite=Strict; Path=/; Max-Age=0");
	resp->set_cookie[1] =
	    strdup("ibx_csrf=; Secure; SameSite=Strict; Path=/; Max-Age=0");
out:
	hub_api_write_db_give(c, db != c->db ? db : NULL);
}
