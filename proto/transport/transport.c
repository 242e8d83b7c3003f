/*
 * nng REQ/REP for the spoke and the hub; see transport.h.  The hub uses one
 * thread per context doing synchronous receive/handle/send, which keeps a
 * handler free to block on its database connection without starving nng's
 * own callback threads.
 */
#include <arpa/inet.h>
#include <pthread.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>

/* nng's TLS engine in Debian 12: only for the curve preference below. */
#include <mbedtls/ecp.h>

#include "file.h"
#include "guard.h"
#include "log.h"
#include "transport.h"

struct rep_worker {
	struct ibx_rep_server *server;
	nng_ctx ctx;
	nng_aio *aio;
	pthread_t thread;
	bool started;
	void *arg;
};

struct ibx_rep_server {
	nng_socket sock;
	nng_listener listener;
	char *url;		     /* where nng listens */
	ibx_guard *guard;	     /* on the public URL, or NULL */
	pthread_mutex_t reload_lock; /* one reload at a time */
	ibx_rep_handler handler;
	size_t nworkers;
	struct rep_worker *workers;
};

struct ibx_req_client {
	nng_socket sock;
	bool resend_never; /* ibx_req_client_set_resend */
};

static bool
url_is_tls(const char *url)
{
	return (strncmp(url, "tls+tcp://", 10) == 0);
}

void
ibx_transport_url_host(const char *url, char *out, size_t n)
{
	const char *h = strstr(url, "://"), *end;

	out[0] = '\0';
	if (h == NULL)
		return;
	h += 3;
	if (*h == '[') {
		h++;
		end = strchr(h, ']');
	} else
		end = strrchr(h, ':');
	if (end == NULL)
		end = h + strlen(h);
	if ((size_t)(end - h) < n) {
		memcpy(out, h, (size_t)(end - h));
		out[end - h] = '\0';
	}
}

/* Read a whole PEM file (at most 1 MiB) into a new string. */
static int
read_text(const char *path, char **out)
{
	switch (ibx_file_read(path, 1024 * 1024, out, NULL)) {
	case IBX_OK:
		return (0);
	case IBX_ENOMEM:
		return (NNG_ENOMEM);
	default:
		return (NNG_ENOENT);
	}
}

/* Free a buffer that held a private key, wiping it first. */
static void
wipe_free(char *s)
{
	if (s == NULL)
		return;
	explicit_bzero(s, strlen(s));
	free(s);
}

/* The ECDHE curve.  mbedTLS 2.28 (nng 1.5.2's engine) prefers its curves
 * in the order of its table, secp521r1 first, and nng has no call to set
 * them, so every handshake between two of our ends used P-521: 3.8 ms of
 * CPU per side for the key exchange instead of 1.3 ms with P-256 (mbedTLS
 * on this machine's CPU; perf put the key exchange at 29 % of the hub's
 * CPU while spokes published).  The list mbedtls_ecp_grp_id_list() returns
 * is the one every mbedTLS configuration made later points to (its
 * default preset); it is moved in place so that secp256r1 comes first.
 * The set of curves is unchanged, so nothing a peer offers is refused;
 * only the preference, the same as OpenSSL's default (X25519, P-256).
 * Done once, before the first TLS configuration of the process. */
static pthread_once_t curve_once = PTHREAD_ONCE_INIT;

static void
prefer_p256(void)
{
	mbedtls_ecp_group_id *list =
	    (mbedtls_ecp_group_id *)mbedtls_ecp_grp_id_list();
	size_t i;

	for (i = 0; list[i] != MBEDTLS_ECP_DP_NONE; i++)
		if (list[i] == MBEDTLS_ECP_DP_SECP256R1)
			break;
	if (list[i] == MBEDTLS_ECP_DP_NONE)
		return;
	for (; i > 0; i--)
		list[i] = list[i - 1];
	list[0] = MBEDTLS_ECP_DP_SECP256R1;
}

/* Configure TLS on a dialer or listener: own certificate and key, the CA
 * and optional CRL, peers required to present a certificate (mutual TLS).
 * Everything goes in as PEM text so mbedTLS checks the CRL on every
 * handshake. */
static int
tls_config_new(nng_tls_mode mode, const ibx_transport_opts *opts,
	       nng_tls_config **out)
{
	nng_tls_config *cfg = NULL;
	char *ca = NULL, *crl = NULL, *cert = NULL, *key = NULL;
	int rv;

	if (opts == NULL || opts->cert_file == NULL ||
	    opts->key_file == NULL || opts->ca_file == NULL) {
		IBX_ERROR("tls: a certificate, key and CA file are required "
			  "for tls+tcp://");
		return (NNG_EINVAL);
	}
	pthread_once(&curve_once, prefer_p256);
	if ((rv = nng_tls_config_alloc(&cfg, mode)) != 0)
		return (rv);
	if ((rv = read_text(opts->ca_file, &ca)) != 0 ||
	    (opts->crl_file != NULL &&
	     (rv = read_text(opts->crl_file, &crl)) != 0) ||
	    (rv = read_text(opts->cert_file, &cert)) != 0 ||
	    (rv = read_text(opts->key_file, &key)) != 0)
		goto fail;
	if ((rv = nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED)) !=
		0 ||
	    (rv = nng_tls_config_ca_chain(cfg, ca, crl)) != 0 ||
	    (rv = nng_tls_config_own_cert(cfg, cert, key, NULL)) != 0)
		goto fail;
	free(ca);
	free(crl);
	free(cert);
	wipe_free(key);
	*out = cfg;
	return (0);
fail:
	IBX_ERROR("tls: loading %s / %s / %s%s%s: %s", opts->cert_file,
		  opts->key_file, opts->ca_file, opts->crl_file ? " / " : "",
		  opts->crl_file ? opts->crl_file : "", nng_strerror(rv));
	free(ca);
	free(crl);
	free(cert);
	wipe_free(key);
	nng_tls_config_free(cfg);
	return (rv);
}

static void *
rep_worker_main(void *p)
{
	struct rep_worker *w = p;
	nng_msg *msg;
	ibx_bytes reply;
	int rv;

	for (;;) {
		nng_ctx_recv(w->ctx, w->aio);
		nng_aio_wait(w->aio);
		if ((rv = nng_aio_result(w->aio)) != 0) {
			if (rv == NNG_ECLOSED)
				break;
			continue;
		}
		msg = nng_aio_get_msg(w->aio);
		reply.data = NULL;
		reply.len = 0;
		w->server->handler(w->arg, nng_msg_body(msg), nng_msg_len(msg),
				   &reply);
		nng_msg_clear(msg);
		rv = nng_msg_append(msg, reply.data, reply.len);
		ibx_bytes_fini(&reply);
		if (rv != 0) {
			nng_msg_free(msg);
			continue;
		}
		nng_aio_set_msg(w->aio, msg);
		nng_ctx_send(w->ctx, w->aio);
		nng_aio_wait(w->aio);
		if (nng_aio_result(w->aio) != 0)
			nng_msg_free(msg);
	}
	return (NULL);
}

/* Create and start a listener for s->url with TLS configuration tls (or
 * NULL for tcp://).  The port of a listener just closed may linger for a
 * moment: NNG_EADDRINUSE is retried for up to a second. */
/* The port nng's listener l took (for tls+tcp://127.0.0.1:0). */
static int
listener_port(nng_listener l)
{
	nng_sockaddr sa;

	if (nng_listener_get_addr(l, NNG_OPT_LOCADDR, &sa) != 0 ||
	    sa.s_family != NNG_AF_INET)
		return (-1);
	return (ntohs(sa.s_in.sa_port));
}

static int
listener_start(ibx_rep_server *s, nng_tls_config *tls, nng_listener *out)
{
	struct timespec pause = {0, 20 * 1000000L};
	nng_listener l;
	int rv, tries;

	for (tries = 0; tries < 50; tries++) {
		if ((rv = nng_listener_create(&l, s->sock, s->url)) != 0)
			return (rv);
		if ((tls == NULL || (rv = nng_listener_set_ptr(
					 l, NNG_OPT_TLS_CONFIG, tls)) == 0) &&
		    (rv = nng_listener_set_size(l, NNG_OPT_RECVMAXSZ,
						IBX_WIRE_MAX_MESSAGE)) == 0 &&
		    (rv = nng_listener_start(l, 0)) == 0) {
			*out = l;
			return (0);
		}
		nng_listener_close(l);
		if (rv != NNG_EADDRINUSE)
			return (rv);
		nanosleep(&pause, NULL);
	}
	return (rv);
}

ibx_err
ibx_rep_server_open(const char *url, const ibx_transport_opts *opts,
		    size_t nworkers, void **worker_args,
		    ibx_rep_handler handler, ibx_rep_server **out)
{
	ibx_rep_server *s;
	nng_tls_config *tls = NULL;
	size_t i;
	int rv;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (IBX_ENOMEM);
	s->handler = handler;
	pthread_mutex_init(&s->reload_lock, NULL);
	if ((s->workers = calloc(nworkers, sizeof(*s->workers))) == NULL ||
	    (s->url = strdup(url)) == NULL) {
		free(s->workers);
		free(s);
		return (IBX_ENOMEM);
	}
	/* The guard's processes are forked first, before nng starts its
	 * threads (guard.h); they serve once nng listens. */
	if (url_is_tls(url) && opts->limits != NULL) {
		char host[256];
		const char *port = strrchr(url, ':');

		ibx_transport_url_host(url, host, sizeof(host));
		if (port == NULL ||
		    ibx_guard_open(host, port + 1, opts->limits, 0,
				   &s->guard) != IBX_OK) {
			IBX_ERROR("transport: listen on %s: the guard did "
				  "not start",
				  url);
			free(s->workers);
			free(s->url);
			free(s);
			return (IBX_EIO);
		}
	}
	if ((rv = nng_rep0_open(&s->sock)) != 0) {
		IBX_ERROR("transport: rep socket: %s", nng_strerror(rv));
		ibx_guard_close(s->guard);
		free(s->workers);
		free(s->url);
		free(s);
		return (IBX_EIO);
	}
	if ((rv = nng_socket_set_size(s->sock, NNG_OPT_RECVMAXSZ,
				      IBX_WIRE_MAX_MESSAGE)) != 0)
		goto fail;
	if (url_is_tls(url) &&
	    (rv = tls_config_new(NNG_TLS_MODE_SERVER, opts, &tls)) != 0)
		goto fail;
	if (url_is_tls(url) && opts->limits != NULL) {
		/* nng on a loopback port of its own, the guard on url. */
		free(s->url);
		if ((s->url = strdup("tls+tcp://127.0.0.1:0")) == NULL) {
			rv = NNG_ENOMEM;
			goto fail;
		}
	}
	if ((rv = listener_start(s, tls, &s->listener)) != 0)
		goto fail;
	if (s->guard != NULL)
		ibx_guard_start(s->guard, listener_port(s->listener));
	if (tls != NULL) {
		nng_tls_config_free(tls);
		tls = NULL;
	}
	for (i = 0; i < nworkers; i++) {
		struct rep_worker *w = &s->workers[i];

		w->server = s;
		w->arg = worker_args != NULL ? worker_args[i] : NULL;
		if ((rv = nng_ctx_open(&w->ctx, s->sock)) != 0 ||
		    (rv = nng_aio_alloc(&w->aio, NULL, NULL)) != 0)
			goto fail;
		if (pthread_create(&w->thread, NULL, rep_worker_main, w) !=
		    0) {
			rv = NNG_ENOMEM;
			goto fail;
		}
		w->started = true;
		s->nworkers = i + 1;
	}
	*out = s;
	return (IBX_OK);
fail:
	IBX_ERROR("transport: listen on %s: %s", url, nng_strerror(rv));
	if (tls != NULL)
		nng_tls_config_free(tls);
	s->nworkers = nworkers;
	ibx_rep_server_close(s);
	return (IBX_EIO);
}

ibx_err
ibx_rep_server_reload_tls(ibx_rep_server *s, const ibx_transport_opts *opts)
{
	nng_tls_config *tls = NULL;
	ibx_err ret = IBX_OK;
	int rv;

	if (!url_is_tls(s->url))
		return (IBX_OK);
	/* Built first: a CRL or key that does not load leaves the listener
	 * as it was. */
	if ((rv = tls_config_new(NNG_TLS_MODE_SERVER, opts, &tls)) != 0)
		return (IBX_ECRYPTO);
	pthread_mutex_lock(&s->reload_lock);
	if (s->guard != NULL) {
		nng_listener fresh;

		/* Behind the guard the new listener takes a new loopback
		 * port before the old one goes: no moment without one. */
		if ((rv = listener_start(s, tls, &fresh)) != 0) {
			IBX_ERROR("transport: listen again on %s: %s", s->url,
				  nng_strerror(rv));
			ret = IBX_EIO;
		} else {
			ibx_guard_set_backend(s->guard, listener_port(fresh));
			nng_listener_close(s->listener);
			s->listener = fresh;
		}
		pthread_mutex_unlock(&s->reload_lock);
		nng_tls_config_free(tls);
		return (ret);
	}
	/* nng 1.5.2 freezes a TLS configuration once a listener uses it
	 * (NNG_EBUSY), and one port takes one listener: the old listener
	 * goes, with the sessions it accepted, and a new one with the new
	 * configuration takes the port.  Spokes reconnect (REQ resends) and
	 * every new handshake meets the new CRL. */
	nng_listener_close(s->listener);
	if ((rv = listener_start(s, tls, &s->listener)) != 0) {
		IBX_ERROR("transport: listen again on %s: %s", s->url,
			  nng_strerror(rv));
		ret = IBX_EIO;
	}
	pthread_mutex_unlock(&s->reload_lock);
	nng_tls_config_free(tls);
	return (ret);
}

void
ibx_rep_server_close(ibx_rep_server *s)
{
	size_t i;

	if (s == NULL)
		return;
	ibx_guard_close(s->guard);
	nng_close(s->sock);
	for (i = 0; i < s->nworkers; i++) {
		struct rep_worker *w = &s->workers[i];

		if (w->started)
			pthread_join(w->thread, NULL);
		if (w->aio != NULL)
			nng_aio_free(w->aio);
	}
	free(s->workers);
	free(s->url);
	pthread_mutex_destroy(&s->reload_lock);
	free(s);
}

ibx_err
ibx_req_client_open(const char *const *urls, size_t n,
		    const ibx_transport_opts *opts, ibx_req_client **out)
{
	ibx_req_client *c;
	nng_dialer d;
	nng_tls_config *tls = NULL;
	size_t i = 0;
	int rv;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return (IBX_ENOMEM);
	if ((rv = nng_req0_open(&c->sock)) != 0) {
		IBX_ERROR("transport: req socket: %s", nng_strerror(rv));
		free(c);
		return (IBX_EIO);
	}
	if ((rv = nng_socket_set_size(c->sock, NNG_OPT_RECVMAXSZ,
				      IBX_WIRE_MAX_MESSAGE)) != 0 ||
	    (rv = nng_socket_set_ms(c->sock, NNG_OPT_REQ_RESENDTIME, 1000)) !=
		0 ||
	    (rv = nng_socket_set_ms(c->sock, NNG_OPT_RECONNMINT, 100)) != 0 ||
	    (rv = nng_socket_set_ms(c->sock, NNG_OPT_RECONNMAXT, 2000)) != 0)
		goto fail;
	for (i = 0; i < n; i++) {
		if ((rv = nng_dialer_create(&d, c->sock, urls[i])) != 0)
			goto fail;
		if (url_is_tls(urls[i])) {
			char host[256];

			/* The hub must prove this name (and serverAuth)
			 * in the handshake, not only a chain to the CA. */
			if (opts != NULL && opts->server_name != NULL)
				snprintf(host, sizeof(host), "%s",
					 opts->server_name);
			else
				ibx_transport_url_host(urls[i], host,
						       sizeof(host));
			if ((rv = tls_config_new(NNG_TLS_MODE_CLIENT, opts,
						 &tls)) != 0 ||
			    (host[0] != '\0' &&
			     (rv = nng_tls_config_server_name(tls, host)) !=
				 0) ||
			    (rv = nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG,
						     tls)) != 0)
				goto fail;
			nng_tls_config_free(tls);
			tls = NULL;
		}
		if ((rv = nng_dialer_set_size(d, NNG_OPT_RECVMAXSZ,
					      IBX_WIRE_MAX_MESSAGE)) != 0 ||
		    (rv = nng_dialer_start(d, NNG_FLAG_NONBLOCK)) != 0)
			goto fail;
	}
	*out = c;
	return (IBX_OK);
fail:
	IBX_ERROR("transport: dial %s: %s", i < n ? urls[i] : "",
		  nng_strerror(rv));
	if (tls != NULL)
		nng_tls_config_free(tls);
	nng_close(c->sock);
	free(c);
	return (IBX_EIO);
}

ibx_err
ibx_req_client_set_resend(ibx_req_client *c, int resend_ms)
{
	int rv;

	/* nng 1.5.2 (req.c): a context whose resend time is not positive
	 * schedules no resend, and when its pipe closes its receive ends
	 * with NNG_ECONNRESET rather than the request being sent again. */
	if ((rv = nng_socket_set_ms(
		 c->sock, NNG_OPT_REQ_RESENDTIME,
		 resend_ms > 0 ? resend_ms : NNG_DURATION_INFINITE)) != 0) {
		IBX_ERROR("transport: resend time: %s", nng_strerror(rv));
		return (IBX_EIO);
	}
	c->resend_never = resend_ms <= 0;
	return (IBX_OK);
}

ibx_err
ibx_req_client_call(ibx_req_client *c, const ibx_bytes *req, int timeout_ms,
		    ibx_bytes *reply)
{
	nng_msg *msg = NULL;
	int rv;

	/* The hub drops a pipe that announces more; with nng 1.5.2 a REQ
	 * socket left resending such a message can hang in nng_close. */
	if (req->len > IBX_WIRE_MAX_MESSAGE)
		return (IBX_ETOOBIG);
	if ((rv = nng_socket_set_ms(c->sock, NNG_OPT_SENDTIMEO, timeout_ms)) !=
		0 ||
	    (rv = nng_socket_set_ms(c->sock, NNG_OPT_RECVTIMEO, timeout_ms)) !=
		0 ||
	    (rv = nng_msg_alloc(&msg, 0)) != 0 ||
	    (rv = nng_msg_append(msg, req->data, req->len)) != 0)
		goto fail;
	if ((rv = nng_sendmsg(c->sock, msg, 0)) != 0)
		goto fail;
	msg = NULL;
	if ((rv = nng_recvmsg(c->sock, &msg, 0)) != 0)
		goto fail;
	reply->len = nng_msg_len(msg);
	if ((reply->data = malloc(reply->len > 0 ? reply->len : 1)) == NULL) {
		nng_msg_free(msg);
		return (IBX_ENOMEM);
	}
	memcpy(reply->data, nng_msg_body(msg), reply->len);
	nng_msg_free(msg);
	return (IBX_OK);
fail:
	if (msg != NULL)
		nng_msg_free(msg);
	if (rv == NNG_ETIMEDOUT)
		return (IBX_ETIMEDOUT);
	IBX_ERROR("transport: request: %s", nng_strerror(rv));
	return (rv == NNG_ECLOSED || rv == NNG_ECONNRESET ? IBX_ECLOSED
							  : IBX_EIO);
}

/* One request on its own context: the send, then the receive. */
struct ibx_req_call {
	nng_ctx ctx;
	nng_aio *aio;
	int rv; /* the send's outcome, 0 when the receive is under way */
};

ibx_err
ibx_req_call_start(ibx_req_client *c, const ibx_bytes *req, int timeout_ms,
		   ibx_req_call **out)
{
	ibx_req_call *call;
	nng_msg *msg = NULL;
	int rv;

	if (req->len > IBX_WIRE_MAX_MESSAGE)
		return (IBX_ETOOBIG);
	if ((call = calloc(1, sizeof(*call))) == NULL)
		return (IBX_ENOMEM);
	if ((rv = nng_ctx_open(&call->ctx, c->sock)) != 0) {
		IBX_ERROR("transport: request context: %s", nng_strerror(rv));
		free(call);
		return (IBX_EIO);
	}
	/* A request waits behind the others of its window: resent after
	 * half its time, not every second as a lone one (a resent chunk is
	 * a megabyte the hub stores again as a duplicate).  nng sends it
	 * again at once on another pipe when its pipe drops. */
	if ((rv = nng_ctx_set_ms(call->ctx, NNG_OPT_REQ_RESENDTIME,
				 c->resend_never ? NNG_DURATION_INFINITE
				 : timeout_ms / 2 > 1000 ? timeout_ms / 2
							 : 1000)) != 0 ||
	    (rv = nng_aio_alloc(&call->aio, NULL, NULL)) != 0 ||
	    (rv = nng_msg_alloc(&msg, 0)) != 0 ||
	    (rv = nng_msg_append(msg, req->data, req->len)) != 0) {
		if (msg != NULL)
			nng_msg_free(msg);
		if (call->aio != NULL)
			nng_aio_free(call->aio);
		nng_ctx_close(call->ctx);
		free(call);
		return (IBX_ENOMEM);
	}
	/* The timeout runs per operation: the send waits for a pipe, the
	 * receive for the reply (the hub's answer to this context only). */
	nng_aio_set_timeout(call->aio, timeout_ms);
	nng_aio_set_msg(call->aio, msg);
	nng_ctx_send(call->ctx, call->aio);
	nng_aio_wait(call->aio);
	if ((call->rv = nng_aio_result(call->aio)) != 0) {
		nng_msg_free(msg);
	} else
		nng_ctx_recv(call->ctx, call->aio);
	*out = call;
	return (IBX_OK);
}

ibx_err
ibx_req_call_finish(ibx_req_call *call, ibx_bytes *reply)
{
	nng_msg *msg;
	int rv = call->rv;

	if (rv == 0) {
		nng_aio_wait(call->aio);
		rv = nng_aio_result(call->aio);
	}
	if (rv == 0) {
		msg = nng_aio_get_msg(call->aio);
		reply->len = nng_msg_len(msg);
		if ((reply->data = malloc(reply->len > 0 ? reply->len : 1)) ==
		    NULL)
			rv = NNG_ENOMEM;
		else
			memcpy(reply->data, nng_msg_body(msg), reply->len);
		nng_msg_free(msg);
	}
	nng_aio_free(call->aio);
	nng_ctx_close(call->ctx);
	free(call);
	switch (rv) {
	case 0:
		return (IBX_OK);
	case NNG_ETIMEDOUT:
		return (IBX_ETIMEDOUT);
	case NNG_ENOMEM:
		return (IBX_ENOMEM);
	case NNG_ECLOSED:
	case NNG_ECONNRESET: /* resending off, its pipe dropped */
		return (IBX_ECLOSED);
	default:
		IBX_ERROR("transport: request: %s", nng_strerror(rv));
		return (IBX_EIO);
	}
}

void
ibx_req_client_close(ibx_req_client *c)
{
	if (c == NULL)
		return;
	nng_close(c->sock);
	free(c);
}
