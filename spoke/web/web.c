/*
 * The spoke's page: the server, its route table and what the handlers
 * share; see web.h.  Every /api/ route but signing in needs a session, and
 * every one that changes something its CSRF token (web_session.c).  Files:
 * "/" and "/spoke/..." from the page's folder, "/ui/..." (the code lists
 * of codes.js, dom.js, the style sheet) from the hub's installed web
 * folder, so the names of codes are written once (tools/codegen).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "password.h"
#include "static.h"
#include "web_int.h"

typedef void (*web_handler)(web_call *c, const ibx_http_request *req,
			    ibx_http_response *resp);

/* The routes: method, exact path, whether a session is needed. */
static const struct route {
	const char *method;
	const char *path;
	web_handler run;
	int session;
} routes[] = {
    {.method = "POST", .path = "/api/session", .run = web_session_create},
    {.method = "GET",
     .path = "/api/session",
     .run = web_session_get,
     .session = 1},
    {.method = "DELETE",
     .path = "/api/session",
     .run = web_session_delete,
     .session = 1},
    {.method = "GET",
     .path = "/api/listing",
     .run = web_listing_get,
     .session = 1},
    {.method = "POST",
     .path = "/api/listing/check",
     .run = web_listing_check,
     .session = 1},
    {.method = "POST",
     .path = "/api/listing/publish",
     .run = web_listing_publish,
     .session = 1},
    {.method = "POST",
     .path = "/api/listing/confirm",
     .run = web_listing_confirm,
     .session = 1},
    {.method = "POST",
     .path = "/api/report/check",
     .run = web_report_check,
     .session = 1},
    {.method = "POST",
     .path = "/api/report/send",
     .run = web_report_send,
     .session = 1},
    {.method = "POST",
     .path = "/api/report/nil",
     .run = web_report_nil,
     .session = 1},
    {.method = "GET", .path = "/api/map", .run = web_map_get, .session = 1},
    {.method = "POST", .path = "/api/map", .run = web_map_add, .session = 1},
    {.method = "GET",
     .path = "/api/status",
     .run = web_status_get,
     .session = 1},
    {.method = "GET",
     .path = "/api/referrals",
     .run = web_referral_list,
     .session = 1},
    {.method = "POST",
     .path = "/api/referrals/fetch",
     .run = web_referral_fetch,
     .session = 1},
    {.method = "GET",
     .path = "/api/referrals/file",
     .run = web_referral_file,
     .session = 1},
    {.method = "POST",
     .path = "/api/referrals/answer",
     .run = web_referral_answer,
     .session = 1},
    {.method = "POST",
     .path = "/api/referrals/send",
     .run = web_referral_send,
     .session = 1},
};

ibx_err
web_write_file(const char *path, const char *data, size_t len, int mode)
{
	char tmp[4200];
	int fd;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	/* A dot name while it is written: the agent never reads a
	 * half-written export (agent_scan.h). */
	{
		const char *slash = strrchr(path, '/');

		if (slash != NULL)
			snprintf(tmp, sizeof(tmp), "%.*s/.%s.tmp",
				 (int)(slash - path), path, slash + 1);
	}
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) <
	    0) {
		IBX_ERROR("%s: %s", tmp, strerror(errno));
		return (IBX_EIO);
	}
	if (write(fd, data, len) != (ssize_t)len || fsync(fd) != 0) {
		IBX_ERROR("%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return (IBX_EIO);
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		IBX_ERROR("%s: %s", path, strerror(errno));
		unlink(tmp);
		return (IBX_EIO);
	}
	return (IBX_OK);
}

void
web_today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

bool
spoke_web_loopback(const char *addr)
{
	struct in_addr a;

	return (inet_pton(AF_INET, addr, &a) == 1 &&
		(ntohl(a.s_addr) >> 24) == 127);
}

/* Files: the page's own, and /ui/ from the hub's web folder. */
static void
serve_file(spoke_web *w, const char *path, ibx_http_response *resp)
{
	if (strncmp(path, "/ui/", 4) == 0)
		ibx_http_static_serve(w->o->web, path, resp);
	else if (strcmp(path, "/") == 0 || strncmp(path, "/spoke/", 7) == 0)
		ibx_http_static_serve(
		    w->o->page,
		    strcmp(path, "/") == 0 ? "/index.html" : path + 6, resp);
	else
		web_error(resp, 404, "not found");
}

static void
handle(void *arg, const ibx_http_request *req, ibx_http_response *resp)
{
	spoke_web *w = arg;
	web_call c;
	size_t i;
	int path_known = 0;

	memset(&c, 0, sizeof(c));
	c.w = w;
	if (req->refusal_status != 0) {
		web_error(resp, req->refusal_status, req->refusal);
		return;
	}
	if (strncmp(req->path, "/api/", 5) != 0) {
		if (strcmp(req->method, "GET") != 0 &&
		    strcmp(req->method, "HEAD") != 0) {
			web_error(resp, 405, "method not allowed");
			resp->allow = "GET, HEAD";
			return;
		}
		serve_file(w, req->path, resp);
		return;
	}
	for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (strcmp(routes[i].path, req->path) != 0)
			continue;
		path_known = 1;
		if (strcmp(routes[i].method, req->method) != 0)
			continue;
		if (routes[i].session &&
		    web_session_identify(&c, req, resp) != 0)
			return;
		routes[i].run(&c, req, resp);
		return;
	}
	if (path_known) {
		web_error(resp, 405, "method not allowed");
		return;
	}
	web_error(resp, 404, "not found");
}

/* Uploads (web_referral.c): only to the referral routes, signed in. */
static int
upload_admit(void *arg, const ibx_http_request *req)
{
	web_call c;

	memset(&c, 0, sizeof(c));
	c.w = arg;
	return (web_referral_upload_admit(&c, req));
}

ibx_err
spoke_web_start(const spoke_web_opts *o, spoke_web **out)
{
	static char uploads[4200];
	ibx_http_opts ho;
	spoke_web *w;
	ibx_err rv;

	if (!spoke_web_loopback(o->addr) && !o->allow_remote) {
		IBX_ERROR("page: %s is not a loopback address: the page "
			  "serves inside the hospital; pass --allow-remote "
			  "to serve it on %s (behind TLS)",
			  o->addr, o->addr);
		return (IBX_EINVAL);
	}
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return (IBX_ENOMEM);
	w->o = o;
	pthread_mutex_init(&w->lock, NULL);
	memset(&ho, 0, sizeof(ho));
	ho.nthreads = 2;
	ho.per_ip_limit = 32;
	ho.max_body = WEB_BODY_MAX;
	if (o->referral != NULL) {
		/* Uploads go to STATE/uploads, as they arrive. */
		snprintf(uploads, sizeof(uploads), "%s/uploads", o->state);
		if (mkdir(uploads, 0700) != 0 && errno != EEXIST)
			IBX_ERROR("%s: %s", uploads, strerror(errno));
		ho.upload_admit = upload_admit;
		ho.upload_dir = uploads;
		ho.upload_max =
		    o->upload_max != 0 ? o->upload_max : SPOKE_WEB_UPLOAD_MAX;
	}
	if ((rv = ibx_http_start(o->addr, o->port, &ho, handle, w,
				 &w->http)) != IBX_OK) {
		pthread_mutex_destroy(&w->lock);
		free(w);
		return (rv);
	}
	IBX_INFO("page: serving on http://%s:%d/", o->addr, o->port);
	*out = w;
	return (IBX_OK);
}

void
spoke_web_stop(spoke_web *w)
{
	if (w == NULL)
		return;
	ibx_http_stop(w->http);
	pthread_mutex_destroy(&w->lock);
	ibx_secret_wipe(w->sessions, sizeof(w->sessions));
	free(w);
}
