/* libmicrohttpd server; see http.h. */
#include <arpa/inet.h>
#include <stdio.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "http.h"
#include "log.h"

struct hub_http {
	struct MHD_Daemon *daemon;
	hub_http_handler handler;
	void *arg;
};

/* One request's state between libmicrohttpd's calls: the body read so far
 * (a POST, PUT or DELETE), and whether it grew past HUB_HTTP_MAX_BODY. */
struct request_state {
	char *body;
	size_t len;
	int too_big;
};

struct collect {
	hub_http_request *req;
	int overflow;
};

static enum MHD_Result
collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
	    const char *value)
{
	struct collect *c = cls;

	(void)kind;
	if (c->req->nargs >= HUB_HTTP_MAX_ARGS) {
		c->overflow = 1;
		return (MHD_NO);
	}
	c->req->args[c->req->nargs].key = key;
	c->req->args[c->req->nargs].value = value != NULL ? value : "";
	c->req->nargs++;
	return (MHD_YES);
}

static enum MHD_Result
send_response(struct MHD_Connection *conn, hub_http_response *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	resp = MHD_create_response_from_buffer(
	    r->len, r->body != NULL ? r->body : (void *)"",
	    r->body != NULL ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	if (resp == NULL) {
		free(r->body);
		free(r->set_cookie[0]);
		free(r->set_cookie[1]);
		return (MHD_NO);
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
	ret = MHD_queue_response(conn, (unsigned)r->status, resp);
	MHD_destroy_response(resp);
	return (ret);
}

static void
plain_error(hub_http_response *r, int status, const char *json)
{
	r->status = status;
	r->body = strdup(json);
	r->len = r->body != NULL ? strlen(r->body) : 0;
	r->content_type = "application/json";
}

/* Methods whose body is read. */
static int
takes_body(const char *method)
{
	return (strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
		strcmp(method, "DELETE") == 0);
}

/* The peer's address as text into out (n bytes), "" when unknown. */
static void
client_address(struct MHD_Connection *conn, char *out, size_t n)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci != NULL ? ci->client_addr : NULL;

	out[0] = '\0';
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  out, (socklen_t)n);
	else if (sa->sa_family == AF_INET6)
		inet_ntop(AF_INET6,
			  &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
			  (socklen_t)n);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **state,
	     enum MHD_RequestTerminationCode toe)
{
	struct request_state *st = *state;

	(void)cls;
	(void)conn;
	(void)toe;
	if (st == NULL)
		return;
	/* A body may hold a password: wiped before it is freed. */
	if (st->body != NULL)
		explicit_bzero(st->body, st->len);
	free(st->body);
	free(st);
	*state = NULL;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
	   const char *method, const char *version, const char *upload_data,
	   size_t *upload_size, void **state)
{
	struct hub_http *h = cls;
	struct request_state *st = *state;
	hub_http_request req;
	hub_http_response resp;
	struct collect c;
	char *grown;

	(void)version;
	if (st == NULL) {
		/* First call for this request: headers only. */
		if ((st = calloc(1, sizeof(*st))) == NULL)
			return (MHD_NO);
		*state = st;
		return (MHD_YES);
	}
	memset(&resp, 0, sizeof(resp));
	if (*upload_size != 0 && !takes_body(method)) {
		*upload_size = 0;
		plain_error(&resp, 405,
			    "{\"error\":\"request bodies are not accepted\"}");
		return (send_response(conn, &resp));
	}
	if (*upload_size != 0) {
		/* More of the body: kept up to the limit, the rest dropped. */
		if (st->too_big ||
		    st->len + *upload_size > HUB_HTTP_MAX_BODY) {
			st->too_big = 1;
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
	}
	if (st->too_big) {
		plain_error(&resp, 413,
			    "{\"error\":\"body: larger than 8192 bytes\"}");
		return (send_response(conn, &resp));
	}
	memset(&req, 0, sizeof(req));
	req.method = method;
	req.path = url;
	c.req = &req;
	c.overflow = 0;
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg,
				  &c);
	if (c.overflow) {
		plain_error(&resp, 400,
			    "{\"error\":\"too many query parameters\"}");
		return (send_response(conn, &resp));
	}
	req.authorization = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	req.accept = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_ACCEPT);
	req.cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_COOKIE);
	req.origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						 MHD_HTTP_HEADER_ORIGIN);
	req.host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					       MHD_HTTP_HEADER_HOST);
	req.csrf_token =
	    MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-CSRF-Token");
	req.content_type = MHD_lookup_connection_value(
	    conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	client_address(conn, req.client, sizeof(req.client));
	req.body = st->body;
	req.body_len = st->len;
	h->handler(h->arg, &req, &resp);
	return (send_response(conn, &resp));
}

ibx_err
hub_http_start(const char *addr, int port, unsigned nthreads,
	       hub_http_handler handler, void *arg, hub_http **out)
{
	struct sockaddr_in sa;
	hub_http *h;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		IBX_ERROR("http: %s is not an IPv4 address", addr);
		return (IBX_EINVAL);
	}
	if ((h = calloc(1, sizeof(*h))) == NULL)
		return (IBX_ENOMEM);
	h->handler = handler;
	h->arg = arg;
	h->daemon = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
		MHD_USE_ERROR_LOG,
	    (uint16_t)port, NULL, NULL, on_request, h, MHD_OPTION_SOCK_ADDR,
	    (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE, nthreads,
	    MHD_OPTION_CONNECTION_LIMIT, 1000u, MHD_OPTION_CONNECTION_TIMEOUT,
	    30u, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)64 * 1024,
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
hub_http_stop(hub_http *h)
{
	if (h == NULL)
		return;
	MHD_stop_daemon(h->daemon);
	free(h);
}

const char *
hub_http_arg_get(const hub_http_request *req, const char *key)
{
	size_t i;

	for (i = 0; i < req->nargs; i++)
		if (strcmp(req->args[i].key, key) == 0)
			return (req->args[i].value);
	return (NULL);
}
