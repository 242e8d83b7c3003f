/*
 * Signing in to the spoke's page, as at the hub (docs/accounts.md): a
 * password (Argon2id) and a TOTP code; a session cookie ibx_session
 * (HttpOnly, Secure, SameSite=Strict) whose SHA-256 alone is kept, in
 * memory (a restart signs everyone out); a CSRF value answered at sign-in
 * and set as the readable cookie ibx_csrf, which every POST and DELETE
 * must send back in X-CSRF-Token (proto/signin); idle and absolute
 * time-outs.  Five failures for a login (twenty for an address) lock it
 * for --signin-lock seconds, doubled at each further failure; while
 * locked even the right password is refused (429).  Accounts are read
 * from the accounts file at every sign-in (accounts.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "accounts.h"
#include "log.h"
#include "password.h"
#include "totp.h"
#include "web_int.h"

#define DEFAULT_IDLE 1800
#define DEFAULT_MAX  43200
#define DEFAULT_LOCK 60
#define LOCK_ACCOUNT 5
#define LOCK_ADDRESS 20

static int
idle_of(const spoke_web *w)
{
	return (w->o->session_idle > 0 ? w->o->session_idle : DEFAULT_IDLE);
}

static int
max_of(const spoke_web *w)
{
	return (w->o->session_max > 0 ? w->o->session_max : DEFAULT_MAX);
}

/* The failure record of key (made when absent, the oldest reused when
 * the table is full); called with the lock held. */
static struct web_fails *
fails_of(spoke_web *w, const char *key)
{
	struct web_fails *f, *free_one = NULL, *oldest = &w->fails[0];
	size_t i;

	for (i = 0; i < WEB_FAILS_MAX; i++) {
		f = &w->fails[i];
		if (f->key[0] == '\0') {
			if (free_one == NULL)
				free_one = f;
			continue;
		}
		if (strcmp(f->key, key) == 0)
			return (f);
		if (f->until < oldest->until)
			oldest = f;
	}
	f = free_one != NULL ? free_one : oldest;
	memset(f, 0, sizeof(*f));
	snprintf(f->key, sizeof(f->key), "%s", key);
	return (f);
}

/* Seconds key stays locked, or 0; lock held. */
static int
locked(spoke_web *w, const char *key, time_t now)
{
	struct web_fails *f = fails_of(w, key);

	return (f->until > now ? (int)(f->until - now) : 0);
}

/* Count a failure of key; the lock it now has, or 0; lock held. */
static int
fail(spoke_web *w, const char *key, int after, time_t now)
{
	struct web_fails *f = fails_of(w, key);
	int base = w->o->signin_lock > 0 ? w->o->signin_lock : DEFAULT_LOCK;

	if (++f->count < after)
		return (0);
	f->lock = f->lock == 0 ? base : f->lock * 2;
	if (f->lock > 86400)
		f->lock = 86400;
	f->until = now + f->lock;
	return (f->lock);
}

static void
keys(char lk[128], char ak[128], const char *login, const char *client)
{
	snprintf(lk, 128, "login:%s", login);
	snprintf(ak, 128, "address:%s", client);
}

/* Refuse a failed sign-in: counted for the login and the address. */
static void
failed(spoke_web *w, const char *login, const ibx_http_request *req,
       ibx_http_response *resp, const char *outcome)
{
	char lk[128], ak[128], text[200];
	time_t now = time(NULL);
	int a, b;

	keys(lk, ak, login, req->client);
	pthread_mutex_lock(&w->lock);
	a = fail(w, lk, LOCK_ACCOUNT, now);
	b = fail(w, ak, LOCK_ADDRESS, now);
	pthread_mutex_unlock(&w->lock);
	IBX_WARN("page: sign-in failed: login=%s address=%s outcome=%s", login,
		 req->client, outcome);
	if (a > 0 || b > 0) {
		snprintf(text, sizeof(text),
			 "sign-in failed: wrong name, password or code; too "
			 "many failed sign-ins: this %s is locked for %d "
			 "seconds",
			 a > 0 ? "account" : "address", a > b ? a : b);
		web_error(resp, 401, text);
		resp->retry_after = a > b ? a : b;
		return;
	}
	web_error(resp, 401, "sign-in failed: wrong name, password or code");
}

/* Start a session for login: cookies set, the CSRF value answered. */
static void
start(spoke_web *w, const char *login, ibx_http_response *resp)
{
	char sid[65], csrf[65], cookie[160];
	struct web_session *s = NULL, *oldest = &w->sessions[0];
	time_t now = time(NULL);
	size_t i;

	pthread_mutex_lock(&w->lock);
	for (i = 0; i < WEB_SESSIONS_MAX; i++) {
		struct web_session *t = &w->sessions[i];

		if (t->used && (now - t->last > idle_of(w) ||
				now - t->created > max_of(w)))
			t->used = 0;
		if (!t->used && s == NULL)
			s = t;
		if (t->last < oldest->last)
			oldest = t;
	}
	if (s == NULL)
		s = oldest; /* the least recently used ends */
	memset(s, 0, sizeof(*s));
	if (ibx_signin_secret_new(sid, s->sid_hash) != IBX_OK ||
	    ibx_signin_secret_new(csrf, s->csrf_hash) != IBX_OK) {
		pthread_mutex_unlock(&w->lock);
		web_error(resp, 500, "session: no randomness");
		return;
	}
	s->used = 1;
	s->created = s->last = now;
	snprintf(s->login, sizeof(s->login), "%s", login);
	pthread_mutex_unlock(&w->lock);
	web_json(resp, 200,
		 json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "status", "signed_in",
			   "login", login, "organisation_code",
			   w->o->org_code != NULL ? w->o->org_code : "",
			   "csrf_token", csrf, "idle_timeout_s", idle_of(w),
			   "absolute_timeout_s", max_of(w)));
	snprintf(cookie, sizeof(cookie),
		 "ibx_session=%s; HttpOnly; Secure; SameSite=Strict; Path=/",
		 sid);
	resp->set_cookie[0] = strdup(cookie);
	snprintf(cookie, sizeof(cookie),
		 "ibx_csrf=%s; Secure; SameSite=Strict; Path=/", csrf);
	resp->set_cookie[1] = strdup(cookie);
	ibx_secret_wipe(cookie, sizeof(cookie));
	ibx_secret_wipe(sid, sizeof(sid));
	ibx_secret_wipe(csrf, sizeof(csrf));
	IBX_INFO("page: signed in: login=%s", login);
}

/* Whether step is newer than the last used by login, recording it. */
static int
step_fresh(spoke_web *w, const char *login, int64_t step)
{
	size_t i, slot = 0;
	int fresh = 1;

	pthread_mutex_lock(&w->lock);
	for (i = 0; i < WEB_SESSIONS_MAX; i++) {
		if (strcmp(w->steps[i].login, login) == 0) {
			slot = i;
			fresh = step > w->steps[i].step;
			break;
		}
		if (w->steps[i].login[0] == '\0')
			slot = i;
	}
	if (fresh) {
		snprintf(w->steps[slot].login, sizeof(w->steps[slot].login),
			 "%s", login);
		w->steps[slot].step = step;
	}
	pthread_mutex_unlock(&w->lock);
	return (fresh);
}

void
web_session_create(web_call *c, const ibx_http_request *req,
		   ibx_http_response *resp)
{
	spoke_web *w = c->w;
	spoke_accounts accs = {NULL, 0};
	spoke_account *acc;
	json_error_t je;
	json_t *root = NULL, *pw = NULL;
	const char *login, *password, *code, *hash;
	char path[4096], lk[128], ak[128], text[200];
	int64_t step = 0;
	int left;

	if (!ibx_signin_origin_ok(req)) {
		web_error(
		    resp, 403,
		    "csrf: the request comes from another site (Origin)");
		return;
	}
	if (req->content_type == NULL ||
	    strncmp(req->content_type, "application/json", 16) != 0) {
		web_error(resp, 400,
			  "body: Content-Type must be application/json");
		return;
	}
	if (req->body == NULL ||
	    (root = json_loadb(req->body, req->body_len, 0, &je)) == NULL ||
	    !json_is_object(root)) {
		web_error(resp, 400,
			  "body: a JSON object with login, password and totp "
			  "is required");
		goto out;
	}
	login = json_string_value(json_object_get(root, "login"));
	pw = json_object_get(root, "password");
	password = json_string_value(pw);
	code = json_string_value(json_object_get(root, "totp"));
	if (login == NULL || *login == '\0' ||
	    strlen(login) > SPOKE_LOGIN_MAX) {
		web_error(resp, 400, "login: required, at most 64 characters");
		goto out;
	}
	if (password == NULL || *password == '\0' ||
	    strlen(password) > IBX_PASSWORD_MAX) {
		web_error(resp, 400, "password: required, at most 256 bytes");
		goto out;
	}
	keys(lk, ak, login, req->client);
	pthread_mutex_lock(&w->lock);
	left = locked(w, lk, time(NULL));
	if (left == 0)
		left = locked(w, ak, time(NULL));
	pthread_mutex_unlock(&w->lock);
	if (left > 0) {
		snprintf(text, sizeof(text),
			 "sign-in locked: too many failed sign-ins; try again "
			 "in %d seconds",
			 left);
		web_error(resp, 429, text);
		resp->retry_after = left;
		IBX_WARN("page: sign-in throttled: login=%s address=%s", login,
			 req->client);
		goto out;
	}
	if (spoke_accounts_path(w->o->state, path, sizeof(path)) != IBX_OK ||
	    spoke_accounts_load(path, &accs) != IBX_OK) {
		web_error(resp, 503,
			  "accounts: the accounts file cannot be read (see "
			  "the spoke's log)");
		goto out;
	}
	acc = spoke_accounts_find(&accs, login);
	/* An unknown name costs the same Argon2id as a known one. */
	hash = acc != NULL ? acc->hash : ibx_password_dummy_hash();
	if (ibx_password_verify(hash, password, strlen(password)) != IBX_OK ||
	    acc == NULL || acc->disabled) {
		failed(w, login, req, resp, "wrong password");
		goto out;
	}
	if (code == NULL || *code == '\0') {
		json_t *o = json_pack(
		    "{s:s,s:s}", "error",
		    "sign-in: enter the 6-digit code from your authenticator "
		    "app",
		    "next", "totp");

		web_json(resp, 401, o);
		goto out;
	}
	if (ibx_totp_check(acc->totp_key, IBX_TOTP_KEY_LEN, code, time(NULL),
			   &step) != IBX_OK) {
		failed(w, login, req, resp, "wrong code");
		goto out;
	}
	if (!step_fresh(w, login, step)) {
		failed(w, login, req, resp, "code replayed");
		goto out;
	}
	pthread_mutex_lock(&w->lock);
	fails_of(w, lk)->count = 0;
	fails_of(w, ak)->count = 0;
	pthread_mutex_unlock(&w->lock);
	snprintf(c->login, sizeof(c->login), "%s", login);
	start(w, login, resp);
out:
	if (json_is_string(pw))
		ibx_secret_wipe((char *)json_string_value(pw),
				json_string_length(pw));
	json_decref(root);
	spoke_accounts_free(&accs);
}

/* The session of req's cookie, refreshed; NULL.  Lock held. */
static struct web_session *
session_of(spoke_web *w, const ibx_http_request *req)
{
	uint8_t hash[IBX_SIGNIN_HASH_LEN];
	const char *v;
	size_t len = 0, i;
	time_t now = time(NULL);

	if (req->cookie == NULL ||
	    (v = ibx_signin_cookie(req->cookie, "ibx_session", &len)) ==
		NULL ||
	    !ibx_signin_secret_hash(v, len, hash))
		return (NULL);
	for (i = 0; i < WEB_SESSIONS_MAX; i++) {
		struct web_session *s = &w->sessions[i];

		if (!s->used ||
		    !ibx_secret_equal(s->sid_hash, hash, sizeof(hash)))
			continue;
		if (now - s->last > idle_of(w) ||
		    now - s->created > max_of(w)) {
			s->used = 0;
			return (NULL);
		}
		return (s);
	}
	return (NULL);
}

int
web_session_identify(web_call *c, const ibx_http_request *req,
		     ibx_http_response *resp)
{
	spoke_web *w = c->w;
	struct web_session *s;
	const char *why = NULL;
	int changes = strcmp(req->method, "GET") != 0 &&
		      strcmp(req->method, "HEAD") != 0;

	pthread_mutex_lock(&w->lock);
	s = session_of(w, req);
	if (s == NULL) {
		pthread_mutex_unlock(&w->lock);
		web_error(resp, 401,
			  "session: not signed in, or the session ended "
			  "(idle or too old); sign in again");
		return (401);
	}
	if (changes && !ibx_signin_csrf_ok(s->csrf_hash, req, &why)) {
		pthread_mutex_unlock(&w->lock);
		web_error(resp, 403, why);
		return (403);
	}
	s->last = time(NULL);
	snprintf(c->login, sizeof(c->login), "%s", s->login);
	pthread_mutex_unlock(&w->lock);
	return (0);
}

void
web_session_get(web_call *c, const ibx_http_request *req,
		ibx_http_response *resp)
{
	(void)req;
	web_json(resp, 200,
		 json_pack("{s:s,s:s,s:s,s:i}", "login", c->login,
			   "organisation_code",
			   c->w->o->org_code != NULL ? c->w->o->org_code : "",
			   "role", c->w->o->role != NULL ? c->w->o->role : "",
			   "idle_timeout_s", idle_of(c->w)));
}

void
web_session_delete(web_call *c, const ibx_http_request *req,
		   ibx_http_response *resp)
{
	spoke_web *w = c->w;
	struct web_session *s;

	pthread_mutex_lock(&w->lock);
	if ((s = session_of(w, req)) != NULL)
		memset(s, 0, sizeof(*s));
	pthread_mutex_unlock(&w->lock);
	web_json(resp, 200, json_pack("{s:s}", "status", "signed_out"));
	resp->set_cookie[0] = strdup("ibx_session=; HttpOnly; Secure; "
				     "SameSite=Strict; Path=/; Max-Age=0");
	resp->set_cookie[1] =
	    strdup("ibx_csrf=; Secure; SameSite=Strict; Path=/; Max-Age=0");
}
