/*
 * Delivering the outbox: the pending envelopes go to the hub one at a
 * time in sequence order, and each is filed by its Ack: accepted or
 * duplicate (the hub had it already) removes it, any other final status
 * moves it to rejected/, and silence leaves it, and every later one,
 * pending (the hub is away: nothing else would get through either).
 * Order matters because the hub refuses a sequence not greater than the
 * last it accepted from the sender (a replay).
 *
 * "Retry later" (issue 14, finding 3): with a spoke_drain_retry, one
 * envelope the hub keeps answering "retry later" no longer holds the rest
 * back.  It waits out a backoff of its own (1 s doubling, at most 5 min)
 * while the others go; after max_tries answers it is set aside in
 * rejected/ with the reason.  With the agent's default of 12 answers the
 * backoffs add up to about 45 minutes: a hub whose database stays away
 * longer gets envelopes set aside, which "inbound-spoke status" shows;
 * they are sent again by publishing anew.  What ordering is kept:
 * - a held envelope keeps its sequence and its bytes while the ones behind
 *   it go: "retry later" may follow a COMMIT that took (PostgreSQL died at
 *   its answer), and only the very envelope is answered "duplicate" by
 *   the hub then (agent_passed.h).  Before anything behind it goes it is
 *   recorded as passed, on disk.  Sent again after its backoff, it is
 *   filed by the Ack: "duplicate" (it was stored) removes it as accepted;
 *   "replay" (its sequence is passed and nothing of it stored) is not a
 *   refusal for a passed envelope: it is sealed again with a new sequence
 *   (its payload unchanged, signed anew by the organisation) and goes
 *   behind the others.  So nothing is sent after an envelope with a
 *   greater sequence unless it was passed, and then the hub's answer
 *   ("duplicate" or "replay") stores nothing;
 * - what a later envelope supersedes is never stored after it: a passed
 *   envelope with one of its kind behind it (the listing; the statistics
 *   of one period, which replace earlier ones at the hub) that the hub has
 *   not stored ("replay") is dropped from pending/ with a line in
 *   DIR/superseded.log (not a refusal: its content is obsolete); one the
 *   hub had stored is acknowledged ("duplicate"), and the later one
 *   replaces it at the hub as sent.
 * Delivery stays at-least-once: nothing leaves pending/ but on a verified
 * final Ack, into rejected/ with its reason, or sealed again first (a
 * crash in between leaves both, and the hub takes the same content twice).
 */
#ifndef SPOKE_AGENT_DRAIN_H
#define SPOKE_AGENT_DRAIN_H

#include <signal.h>
#include <stdint.h>

#include "agent_status.h"
#include "envelope.h"
#include "err.h"
#include "outbox.h"
#include "send.h"
#include "wire.h"

/* Per-envelope "retry later" bookkeeping across drains (in memory: an
 * agent that restarts starts its envelopes' backoffs afresh; what was
 * passed is on disk, agent_passed.h). */
typedef struct spoke_drain_retry spoke_drain_retry;

/* spoke_drain_retry_new: bookkeeping that re-seals with id (the agent's
 * identity, which must outlive it) and sets an envelope aside after
 * max_tries "retry later" answers (at least 1).  Free with
 * spoke_drain_retry_free (NULL is fine). */
ibx_err spoke_drain_retry_new(const spoke_identity *id, int max_tries,
			      spoke_drain_retry **out);
void spoke_drain_retry_free(spoke_drain_retry *r);

/* Called with every final Ack, after the envelope has been filed. */
typedef void (*spoke_drain_fn)(void *arg, uint64_t seq, const ibx_ack *ack);

typedef struct spoke_drain_opts {
	spoke_send_opts send;  /* hubs, TLS, timeout and attempts, client */
	spoke_drain_fn on_ack; /* or NULL */
	void *arg;	       /* for on_ack */
	/* Or NULL: when *stop becomes nonzero, no further envelope is sent
	 * (a signal handler sets it). */
	const volatile sig_atomic_t *stop;
	/* Or NULL: strict order, every envelope waits for the first. */
	spoke_drain_retry *retry;
	/* Referral chunks in flight at once (1 or 0: one at a time; at
	 * most SPOKE_DRAIN_WINDOW_MAX).  A run of consecutive chunks in
	 * pending/ goes as a window on send.client; every other envelope
	 * goes alone, after the window's Acks.  Acks are filed in sequence
	 * order, so the journal and pending/ keep the order of the serial
	 * drain; a chunk whose Ack does not come stays pending and is sent
	 * again (the hub stores chunks in any order, idempotently:
	 * docs/referrals.md). */
	int window;
} spoke_drain_opts;

/* The window the agent and the referral commands use, and its cap: memory
 * in flight is at most the window x one chunk's envelope (1 MiB). */
#define SPOKE_DRAIN_WINDOW     4
#define SPOKE_DRAIN_WINDOW_MAX 16

/* spoke_agent_drain: send ob's pending envelopes in order as above,
 * recording sends, Acks and errors in st, and refresh st's counts.
 * IBX_OK when pending/ is empty at the end; IBX_ETIMEDOUT when an
 * envelope got no final Ack (it and every later one stay pending), or
 * when envelopes wait out their "retry later" backoff;
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
