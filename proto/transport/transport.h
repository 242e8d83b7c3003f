/*
 * The spoke-hub transport over nng: the hub's REP server (a pool of worker
 * threads, each with its own context, so several requests are in flight and
 * each worker can hold its own database connection) and the spoke's REQ
 * client.  The only module that includes nng.  Every socket has
 * NNG_OPT_RECVMAXSZ set to IBX_WIRE_MAX_MESSAGE: nng 1.5.2 has no default
 * limit, and a peer announcing a larger frame loses its pipe.
 */
#ifndef IBX_TRANSPORT_H
#define IBX_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "wire.h"

/* The limits of the hub's port (guard.c; issue 14, finding 5).  Times in
 * milliseconds. */
typedef struct ibx_transport_limits {
	int handshake_timeout_ms; /* TLS handshake done within, or closed */
	int max_conns;		  /* open connections in total */
	int max_conns_per_addr;	  /* from one peer address */
	/* Connections with a request partly or wholly at the hub: at most
	 * max_busy at once (others wait), so partial frames hold at most
	 * max_busy x IBX_WIRE_MAX_MESSAGE bytes. */
	int max_busy;
	int stall_timeout_ms; /* a busy connection without progress */
	/* TLS handshakes under way in nng at once; connections that sent a
	 * ClientHello beyond them wait, unread, their handshake timeout
	 * running only once they are let through (so 10,000 spokes coming
	 * at once are served in turn, none timed out while nng works on the
	 * others).  0: no bound. */
	int max_handshakes;
} ibx_transport_limits;

/* Defaults for the hub (inbound-hub serve flags override them). */
#define IBX_TRANSPORT_HANDSHAKE_MS	 10000
#define IBX_TRANSPORT_MAX_CONNS		 20000
#define IBX_TRANSPORT_MAX_CONNS_PER_ADDR 64
#define IBX_TRANSPORT_MAX_BUSY		 32
#define IBX_TRANSPORT_STALL_MS		 30000
/* About 1 s of handshakes on two cores (P-256, ~5 ms of the hub's CPU
 * each), or 0.5 s round trips at 256 a second. */
#define IBX_TRANSPORT_MAX_HANDSHAKES 128

/* TLS material for tls+tcp:// URLs (PEM files).  All NULL for tcp://. */
typedef struct ibx_transport_opts {
	const char *cert_file; /* this side's certificate chain */
	const char *key_file;  /* its private key */
	const char *ca_file;   /* the national CA that peers must chain to */
	const char *crl_file;  /* optional CRL of revoked peers */
	/* A spoke's check of the hub's identity in the TLS handshake: the
	 * name its certificate must carry in subjectAltName (as a dNSName:
	 * mbedTLS 2.28 matches no other kind).  NULL: the host of each hub
	 * URL.  Unused by the hub.  Organisation certificates also lack the
	 * serverAuth usage that the TLS client requires (deploy/pki). */
	const char *server_name;
	/* The hub's port limits, or NULL for none (a listener only: the
	 * guard takes the public port and nng listens on loopback). */
	const ibx_transport_limits *limits;
} ibx_transport_opts;

/* ibx_transport_url_host: the host of url ("tls+tcp://HOST:PORT",
 * "tls+tcp://[V6]:PORT") into out (n bytes); "" when there is none or it
 * does not fit. */
void ibx_transport_url_host(const char *url, char *out, size_t n);

typedef struct ibx_rep_server ibx_rep_server;
typedef struct ibx_req_client ibx_req_client;

/* A request handler: called on a worker thread with that worker's argument
 * and the request bytes (valid only during the call).  It must fill *reply
 * with malloc'd bytes (the server frees them); an empty reply closes
 * nothing but sends zero bytes. */
typedef void (*ibx_rep_handler)(void *worker_arg, const uint8_t *req,
				size_t len, ibx_bytes *reply);

/* ibx_rep_server_open: listen on url (tcp://127.0.0.1:7400 or
 * tls+tcp://...) and start nworkers threads; worker i calls handler with
 * worker_args[i].  IBX_EIO when the address cannot be bound (logged with
 * nng_strerror).  On IBX_OK the caller closes *out with
 * ibx_rep_server_close; worker_args stay the caller's. */
ibx_err ibx_rep_server_open(const char *url, const ibx_transport_opts *opts,
			    size_t nworkers, void **worker_args,
			    ibx_rep_handler handler, ibx_rep_server **out);

/* ibx_rep_server_reload_tls: read opts' certificate, key, CA and CRL
 * again (after a revocation, or a fresh CRL) and put them in force for
 * every new TLS handshake.  The listener is replaced, so sessions open
 * now are closed and their spokes reconnect through the new
 * configuration.  IBX_ECRYPTO (logged) when the files do not load: the
 * old configuration stays.  IBX_EIO when the port cannot be taken again
 * (logged; nothing listens then).  No-op for tcp://.  Not to be called
 * from two threads at once with ibx_rep_server_close. */
ibx_err ibx_rep_server_reload_tls(ibx_rep_server *s,
				  const ibx_transport_opts *opts);

/* ibx_rep_server_close: stop listening, let each worker finish its request
 * and join them.  NULL is fine. */
void ibx_rep_server_close(ibx_rep_server *s);

/* ibx_req_client_open: a REQ socket dialling every url in urls[0..n-1]
 * (a hub that is down is retried in the background; requests go to hubs
 * that are up).  On IBX_OK close *out with ibx_req_client_close. */
ibx_err ibx_req_client_open(const char *const *urls, size_t n,
			    const ibx_transport_opts *opts,
			    ibx_req_client **out);

/* ibx_req_client_set_resend: how long (milliseconds) c's requests wait
 * for a reply before nng sends them again, possibly to another hub; 1000
 * after ibx_req_client_open.  IBX_TRANSPORT_RESEND_NEVER (or any value
 * below 1): a request is sent once, and a call whose connection drops
 * before the reply fails at once (IBX_ECLOSED) instead of being sent
 * again.  For a sender of one request that must see the hub's answer to
 * that one copy (ibx-testpeer: a resent copy of an envelope is answered
 * "duplicate", and under load the copy's answer may be the one read).
 * The agent keeps the default: the hub answers its copies "duplicate",
 * which it files as acknowledged, and a resend reaches another hub when
 * one stalls (docs/spoke-agent.md).  Applies to ibx_req_client_call and
 * to calls started after it.  IBX_EIO (logged) when nng refuses it. */
#define IBX_TRANSPORT_RESEND_NEVER (-1)
ibx_err ibx_req_client_set_resend(ibx_req_client *c, int resend_ms);

/* ibx_req_client_call: send req and wait up to timeout_ms (milliseconds)
 * for the reply; nng resends the request every second meanwhile (or as
 * ibx_req_client_set_resend says), and at once on another pipe when its
 * pipe drops.  On IBX_OK *reply holds new bytes the caller frees with
 * ibx_bytes_fini.  IBX_ETIMEDOUT when no hub answered in time;
 * IBX_ETOOBIG, sending nothing, when req exceeds IBX_WIRE_MAX_MESSAGE;
 * IBX_ECLOSED when resending is off and the connection dropped. */
ibx_err ibx_req_client_call(ibx_req_client *c, const ibx_bytes *req,
			    int timeout_ms, ibx_bytes *reply);

/* A request in flight on its own nng REQ context, so that several are
 * outstanding on one connection at once (a window of referral chunks:
 * spoke/agent/agent_drain.c).  The hub's REP workers answer them in any
 * order; each call gets its own reply. */
typedef struct ibx_req_call ibx_req_call;

/* ibx_req_call_start: send req on a new context of c and return at once
 * (nng queues it behind the requests already sent on the connection); the
 * reply is awaited with ibx_req_call_finish, which must be called exactly
 * once for every call started.  timeout_ms bounds the whole call, from
 * now.  The bytes of req are copied.  IBX_ETOOBIG (sending nothing) past
 * IBX_WIRE_MAX_MESSAGE; IBX_ENOMEM; IBX_EIO when no context opens. */
ibx_err ibx_req_call_start(ibx_req_client *c, const ibx_bytes *req,
			   int timeout_ms, ibx_req_call **out);

/* ibx_req_call_finish: wait for call's reply and free the call.  On IBX_OK
 * *reply holds new bytes the caller frees with ibx_bytes_fini;
 * IBX_ETIMEDOUT when none came within the call's timeout; IBX_ECLOSED,
 * IBX_EIO otherwise. */
ibx_err ibx_req_call_finish(ibx_req_call *call, ibx_bytes *reply);

/* ibx_req_client_close: close the socket; NULL is fine. */
void ibx_req_client_close(ibx_req_client *c);

#endif /* IBX_TRANSPORT_H */
