/* libmicrohttpd server; see http.h. */
#include <arpa/inet.h>
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

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
	   const char *method, const char *version, const char *upload_data,
	   size_t *upload_size, void **state)
{
	struct hub_http *h = cls;
	hub_http_request req;
	hub_http_response resp;
	struct collect c;
	static int first;

	(void)version;
	(void)upload_data;
	if (*state == NULL) {
		/* First call for this request: headers only. */
		*state = &first;
		return (MHD_YES);
	}
	memset(&resp, 0, sizeof(resp));
	if (*upload_size != 0) {
		*upload_size = 0;
		plain_error(&resp, 405,
			    "{\"error\":\"request bodies are not accepted\"}");
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
	    MHD_OPTION_END);
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
