/*
 * The HTTP server of the hub's API and of the spoke's page: the only module
 * that includes libmicrohttpd.  It binds to one address (loopback unless
 * told otherwise), turns each request into an ibx_http_request (method, path,
 * decoded query arguments, the headers the API reads) and sends back whatever
 * the handler fills in. A body is read only for POST, PUT and DELETE, up to
 * IBX_HTTP_MAX_BODY bytes (or opts->max_body; 413 beyond); GET and HEAD with a
 * body are refused (405).
 *
 * What the server cannot pass on faithfully it refuses, through the
 * handler so that the refusal is audited (issue 14, finding 5): a query
 * key or value or a path that is not UTF-8 or holds a NUL byte, or an
 * Authorization header with a NUL (a NUL would cut the C string, and a
 * token with "\0junk" appended would pass), is a 400; a body is a 405.
 * Connections per client address are limited (MHD's per-IP limit), and
 * libmicrohttpd's own messages (one per aborted connection) are rate
 * limited to one line a minute with a count.
 */
#ifndef IBX_HTTP_H
#define IBX_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define IBX_HTTP_MAX_ARGS 32
#define IBX_HTTP_MAX_BODY 8192 /* bytes: a sign-in or a shortlist change */

/* An upload (ibx_http_opts.upload_admit): a multipart/form-data body
 * (RFC 7578) parsed by libmicrohttpd's post processor as it arrives, each
 * file written straight to a file of its own in a fresh folder under
 * upload_dir (never held in memory), each other field kept as text. */
#define IBX_HTTP_MAX_FILES	64
#define IBX_HTTP_FORM_VALUE_MAX 4096 /* bytes of a field that is no file */

typedef struct ibx_http_file {
	const char *field;    /* the form field's name */
	const char *filename; /* as the client named it: untrusted */
	const char *path;     /* its bytes, in the request's upload folder */
	uint64_t size;	      /* bytes */
} ibx_http_file;

typedef struct ibx_http_arg {
	const char *key;
	const char *value; /* "" when given without '=' */
} ibx_http_arg;

/* One request; every string belongs to the server and lives until the
 * handler returns. */
typedef struct ibx_http_request {
	const char *method;
	const char *path;
	ibx_http_arg args[IBX_HTTP_MAX_ARGS];
	size_t nargs;
	const char *authorization; /* Authorization header or NULL */
	const char *accept;	   /* Accept header or NULL */
	/* Set by the server when the request cannot be served as given: the
	 * status (400, 405) and the reason the handler must answer and
	 * audit; 0 and NULL otherwise. */
	int refusal_status;
	const char *refusal;
	/* For sessions (issue 17): the Cookie, Origin, Host, X-CSRF-Token and
	 * Content-Type headers (or NULL), the client's address
	 * ("198.51.100.7", or behind the trusted proxy "REAL via PROXY";
	 * "unknown" when not known), and the body of a POST, PUT or DELETE
	 * (NUL-terminated, body_len bytes before the NUL; NULL when there is
	 * none). */
	const char *cookie;
	const char *origin;
	const char *host;
	const char *csrf_token;
	const char *content_type;
	char client[112];
	const char *body;
	size_t body_len;
	/* An admitted upload (else all zero): the fields that are not files
	 * (values up to IBX_HTTP_FORM_VALUE_MAX bytes, UTF-8 checked), the
	 * files, and the folder they are in.  The folder and what is left in
	 * it are removed once the handler returned: a handler keeps a file by
	 * renaming it out. */
	ibx_http_arg form[IBX_HTTP_MAX_ARGS];
	size_t nform;
	ibx_http_file files[IBX_HTTP_MAX_FILES];
	size_t nfiles;
	const char *upload_dir;
} ibx_http_request;

/* Server options; zero values take the defaults. */
typedef struct ibx_http_opts {
	unsigned nthreads;	   /* threads (4) */
	unsigned per_ip_limit;	   /* connections per client address (32) */
	const char *trusted_proxy; /* a reverse proxy's address (nginx on
				      loopback) whose X-Real-IP names the
				      client; NULL: none trusted */
	size_t max_body; /* bytes of a body (IBX_HTTP_MAX_BODY): the spoke's
			    page takes a month's case-record export */
	/* Uploads (the spoke's referral packages): called with the headers
	 * of a POST (method, path, cookie, origin, host, CSRF token, content
	 * type; no body yet) before its body is read; nonzero takes a
	 * multipart/form-data body as an upload (see ibx_http_file) of at
	 * most upload_max bytes, into a folder made in upload_dir (which
	 * must exist).  Beyond upload_max the rest is read and dropped and
	 * the handler is called with refusal_status 413 and a refusal naming
	 * the field.  NULL: no uploads. */
	int (*upload_admit)(void *arg, const ibx_http_request *req);
	const char *upload_dir;
	uint64_t upload_max;
} ibx_http_opts;

/* Default connections per client address: a browser opens about six. */
#define IBX_HTTP_PER_IP_DEFAULT 32

/* What the handler answers: a status and a malloc'd body the server frees
 * (NULL for none), with its content type (a static string). */
typedef struct ibx_http_response {
	int status;
	char *body;
	size_t len;
	const char *content_type;
	const char *www_authenticate;	 /* static, or NULL */
	const char *content_disposition; /* static, or NULL */
	/* Set-Cookie headers: malloc'd strings the server sends and frees
	 * (NULL for none). */
	char *set_cookie[2];
	const char *allow; /* Allow header of a 405, static, or NULL */
	int retry_after;   /* Retry-After header in seconds, or 0 */
	/* A file answered as the body instead of body (read from disk as it
	 * is sent, whatever its size), and a Content-Disposition built for
	 * it: malloc'd strings the server frees (NULL for none).  When the
	 * file cannot be opened the answer is a 404. */
	char *file;
	char *disposition;
} ibx_http_response;

typedef void (*ibx_http_handler)(void *arg, const ibx_http_request *req,
				 ibx_http_response *resp);

typedef struct ibx_http ibx_http;

/* ibx_http_start: serve on addr (an IPv4 address, "127.0.0.1") and port
 * with the options of opts; each request calls handler(arg, ...).
 * IBX_EINVAL for an address or trusted proxy that is not IPv4, IBX_EIO when
 * the address cannot be bound.  Stop with ibx_http_stop. */
ibx_err ibx_http_start(const char *addr, int port, const ibx_http_opts *opts,
		       ibx_http_handler handler, void *arg, ibx_http **out);

/* ibx_http_stop: stop accepting, finish requests in progress, free; NULL is
 * fine. */
void ibx_http_stop(ibx_http *h);

/* ibx_http_arg_get: the value of the first argument named key, or NULL. */
const char *ibx_http_arg_get(const ibx_http_request *req, const char *key);

/* ibx_http_form_get: the value of the upload's form field key (not a
 * file), or NULL. */
const char *ibx_http_form_get(const ibx_http_request *req, const char *key);

#endif /* IBX_HTTP_H */
