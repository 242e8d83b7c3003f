/*
 * Sending one envelope to the hub and reading its Ack, with a timeout per
 * attempt and a bounded number of attempts (exponential backoff between
 * them).  A final Ack (accepted or refused) ends the attempts; only "retry
 * later" and silence are retried.  A final Ack counts only once its
 * signature is verified against the hub the spoke expects
 * (hub_identity.h); an unsigned or wrongly signed one is logged and
 * treated as no answer, so nothing is filed on its word.
 */
#ifndef SPOKE_SEND_H
#define SPOKE_SEND_H

#include <stdbool.h>

#include "err.h"
#include "hub_identity.h"
#include "transport.h"
#include "wire.h"

typedef struct spoke_send_opts {
	const char *const *hubs; /* nng URLs */
	size_t nhubs;
	ibx_transport_opts tls;
	int timeout_ms; /* per attempt */
	int attempts;	/* at least 1 */
	/* An open client to reuse across several sends (one TLS session),
	 * or NULL to open one for this send. */
	ibx_req_client *client;
	/* The hub's identity to verify Acks with, to reuse across sends, or
	 * NULL to open one for this send from tls (CA, CRL, server_name),
	 * hubs and hub_pin.  Without a CA (plain tcp:// with --insecure-tcp
	 * only, for tests) Acks cannot be verified: that is logged. */
	spoke_hub_id *hub_id;
	const char *hub_pin; /* --hub-pin: 64 hex digits, or NULL */
} spoke_send_opts;

/* spoke_send: send envelope and wait for a final, verified Ack in *ack.
 * IBX_OK when one arrived (accepted or not: read ack->status);
 * IBX_ETIMEDOUT when no hub gave a final answer in all attempts (then
 * ack->status is IBX_ACK_RETRY_LATER when the last answer was a verified
 * "retry later");
 * IBX_ECRYPTO when the last final answer could not be verified (the reason
 * is logged); IBX_EINVAL or IBX_ECRYPTO when the hub's identity cannot be
 * set up (printed). */
ibx_err spoke_send(const spoke_send_opts *o, const ibx_bytes *envelope,
		   ibx_ack *ack);

/* spoke_query: send a query envelope (KeyQuery, InboxQuery, ChunkQuery:
 * sequence 0, never in the outbox) as spoke_send does, and the answer in
 * *reply: the Ack's reply bytes, whose SHA-256 the hub's verified
 * signature covers (crypto.h), so they are the hub's word as much as the
 * Ack is.  On IBX_OK with an accepted Ack, *reply holds new bytes the
 * caller frees with ibx_bytes_fini; it is empty otherwise.  Errors as
 * spoke_send. */
ibx_err spoke_query(const spoke_send_opts *o, const ibx_bytes *envelope,
		    ibx_ack *ack, ibx_bytes *reply);

/* A send in flight, one of a window of several on one connection
 * (spoke_send_start, spoke_send_finish). */
typedef struct spoke_send_call spoke_send_call;

/* spoke_send_start: put envelope on the wire on a context of its own and
 * return without waiting for the Ack, so that several envelopes are in
 * flight at once (a window of referral chunks, docs/referrals.md).  Needs
 * o->client (IBX_EINVAL without one: send with spoke_send instead); the
 * envelope is borrowed until spoke_send_finish.  IBX_ENOMEM, IBX_ETOOBIG,
 * IBX_EIO as ibx_req_call_start. */
ibx_err spoke_send_start(const spoke_send_opts *o, const ibx_bytes *envelope,
			 spoke_send_call **out);

/* spoke_send_finish: the Ack of a call started with spoke_send_start, with
 * the outcomes of spoke_send.  An answer that is final and verified ends
 * it; anything else (silence, "retry later", an answer not believed) is
 * followed, when serial is true, by spoke_send's own attempts with the
 * same envelope, one at a time, so a window never weakens what a single
 * send guarantees; when serial is false it is IBX_ETIMEDOUT at once
 * (ack->status IBX_ACK_RETRY_LATER only for a verified "retry later").
 * Frees call. */
ibx_err spoke_send_finish(spoke_send_call *call, bool serial, ibx_ack *ack);

/* spoke_query_finish: the answer to a query started with
 * spoke_send_start (a window of ChunkQuery envelopes), with the outcomes
 * and *reply of spoke_query; what is not a final, verified answer is
 * asked again with spoke_query's attempts.  Frees call. */
ibx_err spoke_query_finish(spoke_send_call *call, ibx_ack *ack,
			   ibx_bytes *reply);

#endif /* SPOKE_SEND_H */
