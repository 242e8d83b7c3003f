/* Delivering the outbox in order; see agent_drain.h. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "agent_drain.h"
#include "journal.h"
#include "log.h"

/* Send pending envelope seq and file it by the Ack.  IBX_OK when it got a
 * final Ack (and was filed); IBX_ETIMEDOUT when not; outbox errors. */
static ibx_err
deliver_one(spoke_outbox *ob, const spoke_drain_opts *o, uint64_t seq,
	    spoke_agent_status *st)
{
	const char *dir = spoke_outbox_dir(ob);
	ibx_bytes env = {NULL, 0};
	ibx_ack ack;
	ibx_err rv;

	if ((rv = spoke_outbox_read(ob, seq, &env)) != IBX_OK) {
		if (rv == IBX_ENOTFOUND)
			return (IBX_OK); /* filed meanwhile */
		spoke_agent_status_error(
		    st, "%s/pending: cannot read envelope %" PRIu64 ": %s",
		    dir, seq, ibx_strerror(rv));
		return (rv);
	}
	memset(&ack, 0, sizeof(ack));
	rv = spoke_send(&o->send, &env, &ack);
	st->send_ms = spoke_agent_now_ms();
	if (rv != IBX_OK) {
		spoke_agent_status_error(st,
					 "no answer from any hub for envelope "
					 "%" PRIu64 ": %s (it stays pending)",
					 seq, ibx_strerror(rv));
		rv = IBX_ETIMEDOUT;
		goto out;
	}
	if (ack.status == IBX_ACK_ACCEPTED ||
	    ack.status == IBX_ACK_DUPLICATE) {
		/* REQ/REP pairs a reply with its request, so another
		 * sequence means a hub bug: keep the envelope. */
		if (ack.sequence != seq) {
			spoke_agent_status_error(
			    st,
			    "the hub acknowledged sequence %" PRIu64
			    " for envelope %" PRIu64 " (it stays pending)",
			    ack.sequence, seq);
			rv = IBX_ETIMEDOUT;
			goto out;
		}
		/* Recorded before the envelope leaves pending/: a crash
		 * in between sends it again, as a duplicate. */
		if ((rv = spoke_journal_append(dir, seq, &ack, &env,
					       spoke_agent_now_ms())) !=
		    IBX_OK) {
			spoke_agent_status_error(
			    st,
			    "%s/%s: cannot record acknowledged envelope "
			    "%" PRIu64 ": %s (it stays pending)",
			    dir, SPOKE_JOURNAL_NAME, seq, ibx_strerror(rv));
			goto out;
		}
		spoke_outbox_crash_point("after-ack");
		if ((rv = spoke_outbox_remove(ob, seq)) != IBX_OK &&
		    rv != IBX_ENOTFOUND) {
			spoke_agent_status_error(
			    st,
			    "%s/pending: envelope %" PRIu64
			    " was %s but cannot be removed: %s",
			    dir, seq, ibx_ack_status_name(ack.status),
			    ibx_strerror(rv));
			goto out;
		}
		IBX_INFO("envelope %" PRIu64 ": %s", seq,
			 ibx_ack_status_name(ack.status));
	} else {
		if ((rv = spoke_outbox_reject(ob, seq, &ack)) != IBX_OK &&
		    rv != IBX_ENOTFOUND) {
			spoke_agent_status_error(
			    st,
			    "%s/pending: envelope %" PRIu64
			    " was refused but cannot be moved to rejected/: "
			    "%s",
			    dir, seq, ibx_strerror(rv));
			goto out;
		}
		spoke_agent_status_error(
		    st,
		    "envelope %" PRIu64 " refused by the hub (%s): %s; moved "
		    "to %s/%s",
		    seq, ibx_ack_status_name(ack.status), ack.error, dir,
		    SPOKE_OUTBOX_REJECTED);
	}
	rv = IBX_OK;
	spoke_agent_status_ack(st, seq, &ack);
	if (o->on_ack != NULL)
		o->on_ack(o->arg, seq, &ack);
out:
	ibx_bytes_fini(&env);
	return (rv);
}

ibx_err
spoke_agent_drain(spoke_outbox *ob, const spoke_drain_opts *o,
		  spoke_agent_status *st)
{
	uint64_t *seqs = NULL;
	size_t n = 0, i;
	ibx_err rv, crv;

	if ((rv = spoke_outbox_pending(ob, &seqs, &n)) != IBX_OK) {
		spoke_agent_status_error(st, "%s/pending: cannot list: %s",
					 spoke_outbox_dir(ob),
					 ibx_strerror(rv));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (o->stop != NULL && *o->stop) {
			rv = IBX_ECLOSED;
			break;
		}
		if ((rv = deliver_one(ob, o, seqs[i], st)) != IBX_OK)
			break;
	}
out:
	if ((crv = spoke_agent_status_count(spoke_outbox_dir(ob), st)) !=
		IBX_OK &&
	    rv == IBX_OK)
		rv = crv;
	free(seqs);
	return (rv);
}

/* What spoke_agent_deliver waits for: the Ack of one sequence. */
struct awaited {
	const char *dir;
	uint64_t seq;
	ibx_ack *ack;
	bool answered;
};

static void
await_ack(void *arg, uint64_t seq, const ibx_ack *ack)
{
	struct awaited *w = arg;

	if (seq == w->seq) {
		*w->ack = *ack;
		w->answered = true;
	} else
		IBX_WARN("%s: envelope %" PRIu64 " left from before: %s",
			 w->dir, seq, ibx_ack_status_name(ack->status));
}

ibx_err
spoke_agent_deliver(spoke_outbox *ob, const spoke_send_opts *so, uint64_t seq,
		    const ibx_bytes *envelope, ibx_ack *ack)
{
	const char *dir = spoke_outbox_dir(ob);
	spoke_agent_status st;
	spoke_drain_opts o;
	struct awaited w = {dir, seq, ack, false};
	ibx_req_client *client = NULL;
	ibx_err rv;

	spoke_agent_status_load(dir, &st);
	if ((rv = spoke_outbox_append(ob, seq, envelope)) != IBX_OK) {
		spoke_agent_status_error(
		    &st, "%s: cannot store envelope %" PRIu64 ": %s", dir, seq,
		    ibx_strerror(rv));
		goto save;
	}
	memset(&o, 0, sizeof(o));
	o.send = *so;
	o.on_ack = await_ack;
	o.arg = &w;
	/* One connection for the envelopes left from before and this one. */
	if (o.send.client == NULL) {
		if ((rv = ibx_req_client_open(so->hubs, so->nhubs, &so->tls,
					      &client)) != IBX_OK) {
			spoke_agent_status_error(
			    &st, "cannot dial the hub: %s", ibx_strerror(rv));
			rv = IBX_ETIMEDOUT;
			goto save;
		}
		o.send.client = client;
	}
	rv = spoke_agent_drain(ob, &o, &st);
	if (w.answered)
		rv = IBX_OK;
	else if (rv == IBX_OK || rv == IBX_ECLOSED)
		rv = IBX_ETIMEDOUT;
save:
	ibx_req_client_close(client);
	if (spoke_agent_status_count(dir, &st) == IBX_OK)
		(void)spoke_agent_status_save(ob, &st);
	return (rv);
}
