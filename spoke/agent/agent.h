/*
 * inbound-spoke run: the agent as a daemon.  It watches the listing file
 * and the case-record export folder (agent_scan.h), seals what changed
 * into the durable outbox (outbox.h), and drains the outbox to the hubs
 * (agent_drain.h), retrying with exponential backoff and jitter while no
 * hub answers.  SIGTERM and SIGINT stop it between two steps; its state is
 * in DIR/status.json after every pass (agent_status.h).
 */
#ifndef SPOKE_AGENT_H
#define SPOKE_AGENT_H

#include <stdbool.h>
#include <stddef.h>

#include "agent_scan.h"
#include "transport.h"

/* Backoff between drains while the hubs do not answer, milliseconds:
 * from the first to the cap, doubling. */
#define SPOKE_AGENT_BACKOFF_MIN_MS 500
#define SPOKE_AGENT_BACKOFF_MAX_MS 60000

typedef struct spoke_agent_opts {
	const char *outbox;	 /* the outbox directory */
	spoke_agent_sources src; /* what to watch (both may be NULL) */
	const char *const *hubs; /* nng URLs, all dialled */
	size_t nhubs;
	ibx_transport_opts tls; /* the organisation's certificate and key */
	const char *hub_pin;	/* --hub-pin: the hub's key, or NULL */
	bool cert_hash;		/* headers carry the certificate's SHA-256 */
	int timeout_ms;		/* per send attempt */
	int attempts;		/* per envelope and drain */
	long interval_s;	/* between two looks at the sources */
	bool once;		/* one pass, then exit */
	int retry_max; /* "retry later" answers before an envelope is set
			* aside (agent_drain.h); 0: SPOKE_AGENT_RETRY_MAX */
	int window;    /* referral chunks in flight at once (agent_drain.h);
			* 0: SPOKE_DRAIN_WINDOW */
} spoke_agent_opts;

#define SPOKE_AGENT_RETRY_MAX 12

/* spoke_agent_run: run the agent with o until SIGTERM or SIGINT (then 0),
 * or with o->once for one pass: look at the sources, drain the outbox
 * once, and return 0 when the outbox is empty, 3 when an envelope is
 * still pending, 1 when none is but a source or an envelope was refused
 * in the pass.  1 when it cannot start (the identity, the column map,
 * the outbox: each reported on stderr). */
int spoke_agent_run(const spoke_agent_opts *o);

/* spoke_agent_poke: ask a running agent to look at its sources and drain
 * now rather than at the next --interval (the spoke's page after it wrote
 * the listing or an export).  Async-signal-safe; any thread. */
void spoke_agent_poke(void);

/* spoke_agent_outbox_borrow: the outbox of the agent running in this
 * process (spoke_agent_run), for the caller alone until
 * spoke_agent_outbox_return: the agent neither looks at its sources nor
 * drains meanwhile, so one organisation keeps one outbox and one sequence
 * (the spoke's page queues referrals this way, as the referral commands
 * do in a process of their own).  Waits while the agent drains.
 * IBX_ECLOSED when no agent runs (then nothing is held). */
ibx_err spoke_agent_outbox_borrow(spoke_outbox **ob);

/* spoke_agent_outbox_return: give the borrowed outbox back. */
void spoke_agent_outbox_return(void);

/* spoke_agent_backoff: the wait before the next drain when the last one
 * got no answer, in milliseconds, and the next step: "equal jitter"
 * (half of *step plus a random part of the other half; Brooker,
 * "Exponential Backoff And Jitter", AWS Architecture Blog, 2015), so
 * spokes that lost the hub together do not come back together.  *step
 * doubles up to SPOKE_AGENT_BACKOFF_MAX_MS; *seed is rand_r's. */
long spoke_agent_backoff(long *step, unsigned *seed);

#endif /* SPOKE_AGENT_H */
