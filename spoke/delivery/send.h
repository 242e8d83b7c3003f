/*
 * Sending one envelope to the hub and reading its Ack, with a timeout per
 * attempt and a bounded number of attempts (exponential backoff between
 * them).  A final Ack (accepted or refused) ends the attempts; only "retry
 * later" and silence are retried.
 */
#ifndef SPOKE_SEND_H
#define SPOKE_SEND_H

#include "err.h"
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
} spoke_send_opts;

/* spoke_send: send envelope and wait for a final Ack in *ack.  IBX_OK when
 * an Ack arrived (accepted or not: read ack->status); IBX_ETIMEDOUT when no
 * hub gave a final answer in all attempts. */
ibx_err spoke_send(const spoke_send_opts *o, const ibx_bytes *envelope,
		   ibx_ack *ack);

#endif /* SPOKE_SEND_H */
