/* libmicrohttpd server; see http.h. */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http.h"
#include "log.h"
#include "text.h"

/* The Content-Security-Policy of every answer: the pages' own policy
 * (hub/web/index.html's meta tag) and frame-ancestors, which only a
 * header can carry (CSP Level 2, section 7.7.3): no page of the hub is
 * framed by another site (clickjacking). */
#define IBX_HTTP_CSP                                                          \
	"default-src 'self'; script-src 'self'; style-src 'self'; img-src "   \
	"'self' data:; connect-src 'self'; object-src 'none'; base-uri "      \
	"'none'; form-action 'self'; frame-ancestors 'none'"

struct ibx_http {
	struct MHD_Daemon *daemon;
	size_t max_body;
	ibx_http_handler handler;
	void *arg;
	struct in_addr proxy; /* trusted reverse proxy */
	int have_proxy;
	int (*upload_admit)(void *arg, const ibx_http_request *req);
	const char *upload_dir;
	uint64_t upload_max;
};

/* An upload in progress (ibx_http_opts.upload_admit): the post processor,
 * the request's folder, the file being written, the fields and files so
 * far, and why it is refused (NULL while it is not). */
struct upload {
	struct MHD_PostProcessor *pp;
	char dir[4096];
	int fd;		   /* the current file, or -1 */
	char cur_key[128]; /* the field of the current file */
	uint64_t total;
	char *field_names[IBX_HTTP_MAX_ARGS];
	char *field_values[IBX_HTTP_MAX_ARGS];
	size_t field_lens[IBX_HTTP_MAX_ARGS];
	size_t nfields;
	ibx_http_file files[IBX_HTTP_MAX_FILES];
	char *file_strings[IBX_HTTP_MAX_FILES][3]; /* field, name, path */
	size_t nfiles;
	char refusal[256];
	int status; /* of the refusal */
	uint64_t max;
};

/* One request's state, from its request line to its end: the raw URI's
 * length (the query string undecoded), whether the headers were seen, and
 * the body read so far (a POST, PUT or DELETE) and whether it grew past
 * IBX_HTTP_MAX_BODY. */
struct req_state {
	size_t uri_len;
	int started;
	char *body;
	size_t len;
	int too_big;
	struct upload *up; /* an admitted upload, or NULL */
};

/* Remove the upload's folder and what is left in it, and free it. */
static void
upload_free(struct upload *up)
{
	DIR *d;
	struct dirent *e;
	char path[4400];
	size_t i;

	if (up == NULL)
		return;
	if (up->pp != NULL)
		MHD_destroy_post_processor(up->pp);
	if (up->fd >= 0)
		close(up->fd);
	if (up->dir[0] != '\0' && (d = opendir(up->dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", up->dir,
				 e->d_name);
			(void)unlink(path);
		}
		closedir(d);
		(void)rmdir(up->dir);
	}
	for (i = 0; i < up->nfields; i++) {
		free(up->field_names[i]);
		free(up->field_values[i]);
	}
	for (i = 0; i < up->nfiles; i++) {
		free(up->file_strings[i][0]);
		free(up->file_strings[i][1]);
		free(up->file_strings[i][2]);
	}
	free(up);
}

/* Refuse the upload (the first reason is kept): status and a message in
 * the style of the others, naming the field. */
static void
upload_refuse(struct upload *up, int status, const char *key, const char *why)
{
	if (up->status != 0)
		return;
	up->status = status;
	snprintf(up->refusal, sizeof(up->refusal), "field \"%.60s\": %s",
		 key != NULL ? key : "", why);
}

/* libmicrohttpd's post processor: each piece of a field as it arrives. */
static enum MHD_Result
upload_piece(void *cls, enum MHD_ValueKind kind, const char *key,
	     const char *filename, const char *content_type,
	     const char *transfer_encoding, const char *data, uint64_t off,
	     size_t size)
{
	struct upload *up = cls;
	char path[4200], why[96];
	size_t i;
	ssize_t w;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (up->status != 0)
		return (MHD_YES); /* read and dropped */
	if (key == NULL || strlen(key) >= sizeof(up->cur_key) ||
	    !ibx_text_utf8_valid(key)) {
		upload_refuse(up, 400, "", "a field's name is not text");
		return (MHD_YES);
	}
	up->total += size;
	if (up->total > up->max) {
		snprintf(why, sizeof(why),
			 "the upload is larger than the maximum of %llu "
			 "bytes",
			 (unsigned long long)up->max);
		upload_refuse(up, 413, key, why);
		return (MHD_YES);
	}
	if (filename == NULL) {
		/* A field: kept as text, bounded. */
		for (i = 0; i < up->nfields; i++)
			if (strcmp(up->field_names[i], key) == 0)
				break;
		if (i == up->nfields) {
			if (off != 0 || up->nfields == IBX_HTTP_MAX_ARGS) {
				upload_refuse(up, 400, key,
					      "too many fields in the form");
				return (MHD_YES);
			}
			if ((up->field_names[i] = strdup(key)) == NULL ||
			    (up->field_values[i] = calloc(
				 1, IBX_HTTP_FORM_VALUE_MAX + 1)) == NULL) {
				upload_refuse(up, 503, key, "out of memory");
				return (MHD_YES);
			}
			up->nfields++;
		}
		if (up->field_lens[i] + size > IBX_HTTP_FORM_VALUE_MAX) {
			snprintf(why, sizeof(why),
				 "longer than %d bytes (or given twice)",
				 IBX_HTTP_FORM_VALUE_MAX);
			upload_refuse(up, 400, key, why);
			return (MHD_YES);
		}
		memcpy(up->field_values[i] + up->field_lens[i], data, size);
		up->field_lens[i] += size;
		return (MHD_YES);
	}
	/* A file: a new one at offset 0, or when the field changes. */
	if (up->fd < 0 || off == 0 || strcmp(up->cur_key, key) != 0) {
		if (up->fd >= 0)
			close(up->fd);
		up->fd = -1;
		if (up->nfiles == IBX_HTTP_MAX_FILES) {
			snprintf(why, sizeof(why), "more than %d files",
				 IBX_HTTP_MAX_FILES);
			upload_refuse(up, 400, key, why);
			return (MHD_YES);
		}
		i = up->nfiles;
		snprintf(path, sizeof(path), "%s/%zu", up->dir, i);
		if ((up->fd =
			 open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
			      0600)) < 0) {
			IBX_ERROR("http: %s: %s", path, strerror(errno));
			upload_refuse(up, 500, key, "cannot be stored");
			return (MHD_YES);
		}
		if ((up->file_strings[i][0] = strdup(key)) == NULL ||
		    (up->file_strings[i][1] = strdup(filename)) == NULL ||
		    (up->file_strings[i][2] = strdup(path)) == NULL) {
			upload_refuse(up, 503, key, "out of memory");
			return (MHD_YES);
		}
		up->files[i].field = up->file_strings[i][0];
		up->files[i].filename = up->file_strings[i][1];
		up->files[i].path = up->file_strings[i][2];
		up->files[i].size = 0;
		up->nfiles++;
		snprintf(up->cur_key, sizeof(up->cur_key), "%s", key);
	}
	while (size > 0) {
		if ((w = write(up->fd, data, size)) < 0) {
			if (errno == EINTR)
				continue;
			IBX_ERROR("http: %s: %s",
				  up->files[up->nfiles - 1].path,
				  strerror(errno));
			upload_refuse(up, 500, key, "cannot be stored");
			return (MHD_YES);
		}
		data += w;
		size -= (size_t)w;
		up->files[up->nfiles - 1].size += (uint64_t)w;
	}
	return (MHD_YES);
}

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct req_state *st = calloc(1, sizeof(*st));

	(void)cls;
	(void)conn;
	if (st != NULL)
		st->uri_len = uri != NULL ? strlen(uri) : 0;
	return (st);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **state,
	     enum MHD_RequestTerminationCode toe)
{
	struct req_state *st = *state;

	(void)cls;
	(void)conn;
	(void)toe;
	if (st == NULL)
		return;
	/* A body may hold a password: wiped before it is freed. */
	if (st->body != NULL)
		explicit_bzero(st->body, st->len);
	free(st->body);
	upload_free(st->up);
	free(st);
	*state = NULL;
}

struct header_sum {
	size_t bytes;
};

static enum MHD_Result
sum_header(void *cls, enum MHD_ValueKind kind, const char *key,
	   size_t key_size, const char *value, size_t value_size)
{
	struct header_sum *hs = cls;

	(void)kind;
	(void)key;
	(void)value;
	hs->bytes += key_size + 2 + value_size + 2; /* "K: V\r\n" */
	return (MHD_YES);
}

/* Whether libmicrohttpd saw more header bytes than it passes on: it cuts
 * a header value at a NUL byte and drops the rest, so "Bearer <token>\0junk"
 * reaches the handler as the bare token.  The request's header section is
 * rebuilt as "METHOD URI VERSION\r\n", "Key: value\r\n" per header and
 * "\r\n", and compared with the size libmicrohttpd read: more bytes read
 * than rebuilt means a NUL cut something off, or whitespace beyond the
 * single space clients (curl, browsers, nginx) write; either is refused.
 * A header written without its space ("Key:value") counts a byte less, so
 * a client doing so could hide one byte per such header; nginx in front
 * (deploy/nginx) refuses NUL bytes in headers itself. */
static int
header_bytes_hidden(struct MHD_Connection *conn, const char *method,
		    const char *version, const struct req_state *st)
{
	const union MHD_ConnectionInfo *ci;
	struct header_sum hs = {0};

	ci = MHD_get_connection_info(conn,
				     MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE);
	if (ci == NULL)
		return (0);
	MHD_get_connection_values_n(conn, MHD_HEADER_KIND, sum_header, &hs);
	hs.bytes +=
	    strlen(method) + 1 + st->uri_len + 1 + strlen(version) + 2 + 2;
	return (ci->header_size > hs.bytes);
}

struct collect {
	ibx_http_request *req;
	int overflow;
	const char *bad; /* why an argument cannot be passed on, or NULL */
};

/* libmicrohttpd's own messages (an aborted connection, a timeout) at most
 * once a minute, with how many were left out: a peer that opens and drops
 * connections cannot fill the log. */
static pthread_mutex_t mhd_log_lock = PTHREAD_MUTEX_INITIALIZER;
static time_t mhd_log_last;
static unsigned long mhd_log_dropped;

static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	time_t now = time(NULL);
	unsigned long dropped;
	size_t n;

	(void)cls;
	pthread_mutex_lock(&mhd_log_lock);
	if (mhd_log_last != 0 && now - mhd_log_last < 60) {
		mhd_log_dropped++;
		pthread_mutex_unlock(&mhd_log_lock);
		return;
	}
	mhd_log_last = now;
	dropped = mhd_log_dropped;
	mhd_log_dropped = 0;
	pthread_mutex_unlock(&mhd_log_lock);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
		msg[--n] = '\0';
	IBX_WARN("http: %s (%lu similar messages in the last minute not "
		 "logged)",
		 msg, dropped);
}

/* Whether len bytes at s pass on faithfully as a C string: no NUL inside,
 * well-formed UTF-8 (tab allowed, other controls not). */
static const char *
text_problem(const char *s, size_t len)
{
	if (s == NULL)
		return (NULL);
	if (strlen(s) != len)
		return ("contains a NUL byte");
	if (!ibx_text_utf8_valid(s))
		return ("is not UTF-8 text (or holds control characters)");
	return (NULL);
}

static enum MHD_Result
collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
	    size_t key_size, const char *value, size_t value_size)
{
	struct collect *c = cls;

	(void)kind;
	if (c->req->nargs >= IBX_HTTP_MAX_ARGS) {
		c->overflow = 1;
		return (MHD_NO);
	}
	if (c->bad == NULL && (text_problem(key, key_size) != NULL ||
			       text_problem(value, value_size) != NULL))
		c->bad = "query: a parameter's name or value contains a NUL "
			 "byte or is not UTF-8 text";
	c->req->args[c->req->nargs].key = key;
	c->req->args[c->req->nargs].value = value != NULL ? value : "";
	c->req->nargs++;
	return (MHD_YES);
}

static void plain_error(ibx_http_response *r, int status, const char *json);

static enum MHD_Result
send_response(struct MHD_Connection *conn, ibx_http_response *r)
{
	struct MHD_Response *resp = NULL;
	enum MHD_Result ret;
	struct stat sb;
	int fd = -1;

	if (r->file != NULL) {
		/* A file, sent as it is read (MHD closes fd). */
		if ((fd = open(r->file, O_RDONLY | O_CLOEXEC)) >= 0 &&
		    fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    (resp = MHD_create_response_from_fd((uint64_t)sb.st_size,
							fd)) != NULL) {
			free(r->body);
			r->body = NULL;
		} else {
			if (fd >= 0)
				close(fd);
			free(r->body);
			free(r->disposition);
			r->disposition = NULL;
			plain_error(r, 404, "{\"error\":\"file: not found\"}");
			r->content_type = "application/json";
		}
		free(r->file);
		r->file = NULL;
	}
	if (resp == NULL)
		resp = MHD_create_response_from_buffer(
		    r->len, r->body != NULL ? r->body : (void *)"",
		    r->body != NULL ? MHD_RESPMEM_MUST_FREE
				    : MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		free(r->body);
		free(r->disposition);
		free(r->set_cookie[0]);
		free(r->set_cookie[1]);
		return (MHD_NO);
	}
	if (r->disposition != NULL) {
		MHD_add_response_header(
		    resp, MHD_HTTP_HEADER_CONTENT_DISPOSITION, r->disposition);
		free(r->disposition);
		r->disposition = NULL;
	}
	if (r->content_type != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
					r->content_type);
	if (r->www_authenticate != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					r->www_authenticate);
	if (r->content_disposition != NULL)
		MHD_add_response_header(resp,
					MHD_HTTP_HEADER_CONTENT_DISPOSITION,
					r->content_disposition);
	for (size_t i = 0; i < 2; i++)
		if (r->set_cookie[i] != NULL) {
			MHD_add_response_header(resp,
						MHD_HTTP_HEADER_SET_COOKIE,
						r->set_cookie[i]);
			free(r->set_cookie[i]);
			r->set_cookie[i] = NULL;
		}
	if (r->allow != NULL)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->allow);
	if (r->retry_after > 0) {
		char ra[16];

		snprintf(ra, sizeof(ra), "%d", r->retry_after);
		MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
	}
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "Content-Security-Policy", IBX_HTTP_CSP);
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return (ret);
}

static void
plain_error(ibx_http_response *r, int status, const char *json)
{
	r->status = status;
	r->body = strdup(json);
	r->len = r->body != NULL ? strlen(r->body) : 0;
	r->content_type = "application/json";
}

/* The client's address as text: the peer's, or, when the peer is the
 * trusted reverse proxy, the X-Real-IP it set (when that is an address;
 * "via" the proxy is kept so a forged header is never taken alone). */
static void
client_address(struct ibx_http *h, struct MHD_Connection *conn, char *out,
	       size_t n)
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	const char *real;
	char peer[INET6_ADDRSTRLEN] = "unknown";
	unsigned char buf[sizeof(struct in6_addr)];
	int from_proxy = 0;

	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	sa = ci != NULL ? ci->client_addr : NULL;
	if (sa != NULL && sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;

		inet_ntop(AF_INET, &in->sin_addr, peer, sizeof(peer));
		from_proxy =
		    h->have_proxy && in->sin_addr.s_addr == h->proxy.s_addr;
	} else if (sa != NULL && sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr, peer,
			  sizeof(peer));
	real = from_proxy ? MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							"X-Real-IP")
			  : NULL;
	if (real != NULL && (inet_pton(AF_INET, real, buf) == 1 ||
			     inet_pton(AF_INET6, real, buf) == 1))
		snprintf(out, n, "%s via %s", real, peer);
	else
		snprintf(out, n, "%s", peer);
}

/* The request headers a handler reads (cookie, origin, host, CSRF token,
 * content type) into req; each NULL when absent.  They stay owned by
 * libmicrohttpd, valid while the connection's request is. */
static void
request_headers(struct MHD_Connection *conn, ibx_http_request *req)
{
	req->cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						  MHD_HTTP_HEADER_COOKIE);
	req->origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						  MHD_HTTP_HEADER_ORIGIN);
	req->host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						MHD_HTTP_HEADER_HOST);
	req->csrf_token =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
	req->content_type = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
}

/* Whether the request announces a body (RFC 9112, section 6.3: a
 * Transfer-Encoding, or a Content-Length other than 0). */
static int
has_body(struct MHD_Connection *conn)
{
	const char *cl = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

	if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_TRANSFER_ENCODING) !=
	    NULL)
		return (1);
	return (cl != NULL && strspn(cl, "0 \t") != strlen(cl));
}

/* Methods whose body is read. */
static int
takes_body(const char *method)
{
	return (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
		strcmp(method, "DELETE") == 0);
}

/* The headers of a POST: whether it is an upload; if so, its folder and
 * post processor (st->up).  A multipart body only: any other stays a
 * plain body. */
static void
upload_start(struct ibx_http *h, struct MHD_Connection *conn, const char *url,
	     const char *method, struct req_state *st)
{
	ibx_http_request req;
	struct upload *up;

	memset(&req, 0, sizeof(req));
	req.method = method;
	req.path = url;
	request_headers(conn, &req);
	client_address(h, conn, req.client, sizeof(req.client));
	if (req.content_type == NULL ||
	    strncasecmp(req.content_type, "multipart/form-data", 19) != 0 ||
	    !h->upload_admit(h->arg, &req))
		return;
	if ((up = calloc(1, sizeof(*up))) == NULL)
		return;
	up->fd = -1;
	up->max = h->upload_max;
	snprintf(up->dir, sizeof(up->dir), "%s/upload-XXXXXX", h->upload_dir);
	if (mkdtemp(up->dir) == NULL) {
		IBX_ERROR("http: %s: %s", up->dir, strerror(errno));
		up->dir[0] = '\0';
		upload_refuse(up, 500, "", "the upload cannot be stored");
	} else if ((up->pp = MHD_create_post_processor(
			conn, 64 * 1024, upload_piece, up)) == NULL)
		upload_refuse(up, 400, "",
			      "the body is not multipart/form-data with a "
			      "boundary");
	st->up = up;
}

/* The end of an upload: its fields and files into req, or its refusal. */
static void
upload_finish(struct upload *up, ibx_http_request *req)
{
	size_t i;

	if (up->pp != NULL) {
		MHD_destroy_post_processor(up->pp);
		up->pp = NULL;
	}
	if (up->fd >= 0) {
		if (fsync(up->fd) != 0)
			upload_refuse(up, 500, up->cur_key,
				      "cannot be stored");
		close(up->fd);
		up->fd = -1;
	}
	for (i = 0; i < up->nfields && up->status == 0; i++) {
		if (!ibx_text_utf8_valid(up->field_values[i]) ||
		    strlen(up->field_values[i]) != up->field_lens[i])
			upload_refuse(up, 400, up->field_names[i],
				      "is not UTF-8 text");
	}
	if (up->status != 0) {
		if (req->refusal_status == 0) {
			req->refusal_status = up->status;
			req->refusal = up->refusal;
		}
		return;
	}
	for (i = 0; i < up->nfields; i++) {
		req->form[i].key = up->field_names[i];
		req->form[i].value = up->field_values[i];
	}
	req->nform = up->nfields;
	memcpy(req->files, up->files, up->nfiles * sizeof(up->files[0]));
	req->nfiles = up->nfiles;
	req->upload_dir = up->dir;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
	   const char *method, const char *version, const char *upload_data,
	   size_t *upload_size, void **state)
{
	struct ibx_http *h = cls;
	struct req_state *st = *state;
	ibx_http_request req;
	ibx_http_response resp;
	struct collect c;
	const char *auth = NULL;
	size_t auth_len = 0;
	char *grown;

	memset(&resp, 0, sizeof(resp));
	memset(&req, 0, sizeof(req));
	if (st == NULL) {
		plain_error(&resp, 503, "{\"error\":\"out of memory\"}");
		return (send_response(conn, &resp));
	}
	if (!st->started) {
		/* First call for this request: headers only.  A body where
		 * none is read (GET, HEAD) is refused now, before it is read;
		 * the connection is closed after the answer. */
		st->started = 1;
		if (header_bytes_hidden(conn, method, version, st)) {
			req.refusal_status = 400;
			req.refusal = "request: a header holds a NUL byte or "
				      "whitespace beyond one space";
		} else if (has_body(conn) && !takes_body(method)) {
			req.refusal_status = 405;
			req.refusal = "request bodies are not accepted";
		} else {
			if (strcmp(method, "POST") == 0 &&
			    h->upload_admit != NULL)
				upload_start(h, conn, url, method, st);
			return (MHD_YES);
		}
	} else if (*upload_size != 0 && st->up != NULL) {
		/* An upload: to disk as it arrives. */
		if (MHD_post_process(st->up->pp, upload_data, *upload_size) !=
		    MHD_YES)
			upload_refuse(st->up, 400, "",
				      "the body is not multipart/form-data "
				      "as announced");
		*upload_size = 0;
		return (MHD_YES);
	} else if (*upload_size != 0) {
		/* More of a body: kept up to the limit, the rest dropped
		 * (and a body where none is read was refused above). */
		if (!takes_body(method) || st->too_big ||
		    st->len + *upload_size > h->max_body) {
			st->too_big = takes_body(method);
		} else if ((grown = realloc(st->body, st->len + *upload_size +
							  1)) == NULL) {
			st->too_big = 1;
		} else {
			st->body = grown;
			memcpy(st->body + st->len, upload_data, *upload_size);
			st->len += *upload_size;
			st->body[st->len] = '\0';
		}
		*upload_size = 0;
		return (MHD_YES);
	} else if (st->too_big) {
		char msg[80];

		snprintf(msg, sizeof(msg),
			 "{\"error\":\"body: larger than %zu bytes\"}",
			 h->max_body);
		plain_error(&resp, 413, msg);
		return (send_response(conn, &resp));
	}
	req.method = method;
	req.path = url;
	c.req = &req;
	c.overflow = 0;
	c.bad = NULL;
	MHD_get_connection_values_n(conn, MHD_GET_ARGUMENT_KIND, collect_arg,
				    &c);
	if (c.overflow) {
		plain_error(&resp, 400,
			    "{\"error\":\"too many query parameters\"}");
		return (send_response(conn, &resp));
	}
	if (MHD_lookup_connection_value_n(
		conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION,
		strlen(MHD_HTTP_HEADER_AUTHORIZATION), &auth,
		&auth_len) != MHD_YES)
		auth = NULL;
	req.authorization = auth;
	req.accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_ACCEPT);
	client_address(h, conn, req.client, sizeof(req.client));
	if (req.refusal == NULL && c.bad != NULL) {
		req.refusal_status = 400;
		req.refusal = c.bad;
	}
	if (req.refusal == NULL && text_problem(url, strlen(url)) != NULL) {
		req.refusal_status = 400;
		req.refusal = "path: is not UTF-8 text";
	}
	if (req.refusal == NULL && auth != NULL && strlen(auth) != auth_len) {
		/* A NUL would cut the token short of what was sent. */
		req.authorization = NULL;
		req.refusal_status = 400;
		req.refusal = "authorization: the header contains a NUL byte";
	}
	request_headers(conn, &req);
	req.body = st->body;
	req.body_len = st->len;
	if (st->up != NULL)
		upload_finish(st->up, &req);
	h->handler(h->arg, &req, &resp);
	if (st->up != NULL) {
		/* What the handler did not take goes now. */
		upload_free(st->up);
		st->up = NULL;
	}
	return (send_response(conn, &resp));
}

ibx_err
ibx_http_start(const char *addr, int port, const ibx_http_opts *opts,
	       ibx_http_handler handler, void *arg, ibx_http **out)
{
	struct sockaddr_in sa;
	ibx_http *h;
	unsigned nthreads = opts->nthreads != 0 ? opts->nthreads : 4;
	unsigned per_ip = opts->per_ip_limit != 0 ? opts->per_ip_limit
						  : IBX_HTTP_PER_IP_DEFAULT;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		IBX_ERROR("http: %s is not an IPv4 address", addr);
		return (IBX_EINVAL);
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return (IBX_ENOMEM);
	if (opts->trusted_proxy != NULL) {
		if (inet_pton(AF_INET, opts->trusted_proxy, &h->proxy) != 1) {
			IBX_ERROR("http: trusted proxy %s is not an IPv4 "
				  "address",
				  opts->trusted_proxy);
			free(h);
			return (IBX_EINVAL);
		}
		h->have_proxy = 1;
	}
	h->handler = handler;
	h->arg = arg;
	h->max_body = opts->max_body != 0 ? opts->max_body : IBX_HTTP_MAX_BODY;
	if (opts->upload_admit != NULL && opts->upload_dir != NULL &&
	    opts->upload_max > 0) {
		h->upload_admit = opts->upload_admit;
		h->upload_dir = opts->upload_dir;
		h->upload_max = opts->upload_max;
	}
	h->daemon = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
		MHD_USE_ERROR_LOG,
	    (uint16_t)port, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, nthreads,
	    MHD_OPTION_CONNECTION_LIMIT, 1000u,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, per_ip,
	    MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
	    MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_END);
	if (h->daemon == NULL) {
		IBX_ERROR("http: cannot listen on %s:%d", addr, port);
		free(h);
		return (IBX_EIO);
	}
	*out = h;
	return (IBX_OK);
}

void
ibx_http_stop(ibx_http *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->daemon);
	free(h);
}

const char *
ibx_http_arg_get(const ibx_http_request *req, const char *key)
{
	size_t i;

	for (i = 0; i < req->nargs; i++)
		if (strcmp(req->args[i].key, key) == 0)
			return (req->args[i].value);
	return (NULL);
}

const char *
ibx_http_form_get(const ibx_http_request *req, const char *key)
{
	size_t i;

	for (i = 0; i < req->nform; i++)
		if (strcmp(req->form[i].key, key) == 0)
			return (req->form[i].value);
	return (NULL);
}
