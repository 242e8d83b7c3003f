/*
 * Delivering the outbox: the pending envelopes go to the hub one at a
 * time in sequence order, and each is filed by its Ack: accepted or
 * duplicate (the hub had it already) removes it, any other final status
 * moves it to rejected/, "retry later" and silence leave it, and every
 * later one, pending.  Order matters because the hub refuses a sequence
 * not greater than the last it accepted from the sender (a replay): an
 * envelope sent after a later one would be refused for good.
 */
#ifndef SPOKE_AGENT_DRAIN_H
#define SPOKE_AGENT_DRAIN_H

#include <signal.h>
#include <stdint.h>

#include "agent_status.h"
#include "err.h"
#include "outbox.h"
#include "send.h"
#include "wire.h"

/* Called with every final Ack, after the envelope has been filed. */
typedef void (*spoke_drain_fn)(void *arg, uint64_t seq, const ibx_ack *ack);

typedef struct spoke_drain_opts {
	spoke_send_opts send;  /* hubs, TLS, timeout and attempts, client */
	spoke_drain_fn on_ack; /* or NULL */
	void *arg;	       /* for on_ack */
	/* Or NULL: when *stop becomes nonzero, no further envelope is sent
	 * (a signal handler sets it). */
	const volatile sig_atomic_t *stop;
} spoke_drain_opts;

/* spoke_agent_drain: send ob's pending envelopes in order as above,
 * recording sends, Acks and errors in st, and refresh st's counts.
 * IBX_OK when pending/ is empty at the end; IBX_ETIMEDOUT when an
 * envelope got no final Ack (it and every later one stay pending);
 * IBX_ECLOSED when stopped by *o->stop; IBX_EIO, IBX_ENOMEM from the
 * outbox (logged, and in st). */
ibx_err spoke_agent_drain(spoke_outbox *ob, const spoke_drain_opts *o,
			  spoke_agent_status *st);

/* spoke_agent_deliver: what publish and stats do with --outbox: append
 * envelope (sealed with seq) to ob, drain ob (envelopes left from before
 * go first), and save DIR/status.json.  IBX_OK with *ack the hub's final
 * Ack for seq (read ack->status: accepted, duplicate, or a refusal filed
 * in rejected/); IBX_ETIMEDOUT when seq is still pending because no hub
 * answered; IBX_EIO, IBX_ENOMEM from the outbox.  The envelope stays the
 * caller's. */
ibx_err spoke_agent_deliver(spoke_outbox *ob, const spoke_send_opts *so,
			    uint64_t seq, const ibx_bytes *envelope,
			    ibx_ack *ack);

#endif /* SPOKE_AGENT_DRAIN_H */
