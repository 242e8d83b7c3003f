/* Delivering the outbox in order; see agent_drain.h. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent_drain.h"
#include "agent_listing.h"
#include "agent_passed.h"
#include "journal.h"
#include "log.h"

/* One envelope the hub asked to retry later. */
struct held {
	uint64_t seq;
	int tries;	  /* "retry later" answers */
	int64_t next_ms;  /* not sent again before (spoke_agent_now_ms) */
	int64_t first_ms; /* the first answer */
	char kind[48];	  /* envelope_kind */
	bool passed;	  /* recorded in passed/ (agent_passed.h) */
	bool superseded;  /* ... with why: one of its kind was behind it */
	char why[600];
};

/* deliver_file's answer for a passed envelope the hub answered "replay":
 * its sequence is passed and nothing of it is stored (agent_passed.h). */
#define DRAIN_NOT_STORED IBX_EREFUSED

struct spoke_drain_retry {
	const spoke_identity *id;
	int max_tries;
	struct held *v;
	size_t n, cap;
	char last_error[512];
};

ibx_err
spoke_drain_retry_new(const spoke_identity *id, int max_tries,
		      spoke_drain_retry **out)
{
	spoke_drain_retry *r = calloc(1, sizeof(*r));

	if (r == NULL)
		return (IBX_ENOMEM);
	r->id = id;
	r->max_tries = max_tries < 1 ? 1 : max_tries;
	*out = r;
	return (IBX_OK);
}

void
spoke_drain_retry_free(spoke_drain_retry *r)
{
	if (r == NULL)
		return;
	free(r->v);
	free(r);
}

static struct held *
held_find(spoke_drain_retry *r, uint64_t seq)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->v[i].seq == seq)
			return (&r->v[i]);
	return (NULL);
}

static void
held_drop(spoke_drain_retry *r, uint64_t seq)
{
	struct held *h = held_find(r, seq);

	if (h != NULL)
		*h = r->v[--r->n];
}

/* What a later envelope of the same kind replaces at the hub: the
 * listing of its type, or the statistics of one period (DHIS2-style
 * replacement, DESIGN.md).  "" when the envelope does not decode. */
static void
envelope_kind(const ibx_bytes *env, char kind[48])
{
	ibx_envelope e;
	ibx_header h;
	ibx_case_statistics *s = NULL;

	kind[0] = '\0';
	memset(&e, 0, sizeof(e));
	memset(&h, 0, sizeof(h));
	if (ibx_envelope_decode(env->data, env->len, &e) != IBX_OK ||
	    ibx_header_decode(e.header.data, e.header.len, &h) != IBX_OK)
		goto out;
	if (h.payload_type == IBX_PAYLOAD_CASE_STATISTICS &&
	    ibx_statistics_decode(e.payload.data, e.payload.len, &s) == IBX_OK)
		snprintf(kind, 48, "statistics for %.8s", s->period);
	else if (h.payload_type == IBX_PAYLOAD_HOSPITAL_LISTING ||
		 h.payload_type == IBX_PAYLOAD_COORDINATOR_LISTING)
		snprintf(kind, 48, "payload type %d", (int)h.payload_type);
	/* Anything else (a key, a referral, its chunks, a status) is
	 * replaced by nothing later: it has no kind and is never dropped as
	 * superseded (a later chunk is not a newer version of this one). */
out:
	ibx_statistics_free(s);
	ibx_bytes_fini(&h.cert);
	ibx_envelope_fini(&e);
}

/* The kind of pending envelope seq ("" when it cannot be read). */
static void
pending_kind(spoke_outbox *ob, uint64_t seq, char kind[48])
{
	ibx_bytes env = {NULL, 0};

	kind[0] = '\0';
	if (spoke_outbox_read(ob, seq, &env) == IBX_OK)
		envelope_kind(&env, kind);
	ibx_bytes_fini(&env);
}

/* Seal held envelope seq again with a new sequence (the same payload,
 * signed anew by the organisation), so that the hub, which has accepted
 * a later sequence meanwhile, does not refuse it as a replay.  The new one
 * is durable in pending/ before the old one goes. */
static ibx_err
reseal(spoke_outbox *ob, const spoke_identity *id, uint64_t seq,
       uint64_t *fresh)
{
	ibx_bytes env = {NULL, 0}, out = {NULL, 0};
	ibx_envelope e;
	ibx_header h;
	uint64_t ns;
	ibx_err rv;

	memset(&e, 0, sizeof(e));
	memset(&h, 0, sizeof(h));
	if ((rv = spoke_outbox_read(ob, seq, &env)) != IBX_OK)
		goto out;
	if ((rv = ibx_envelope_decode(env.data, env.len, &e)) != IBX_OK ||
	    (rv = ibx_header_decode(e.header.data, e.header.len, &h)) !=
		IBX_OK ||
	    (rv = spoke_outbox_sequence(ob, spoke_sequence_now(), &ns)) !=
		IBX_OK ||
	    (rv = spoke_envelope_seal(id, ns, h.payload_type, &e.payload,
				      &out)) != IBX_OK ||
	    (rv = spoke_outbox_append(ob, ns, &out)) != IBX_OK)
		goto out;
	if ((rv = spoke_outbox_remove(ob, seq)) != IBX_OK)
		goto out;
	*fresh = ns;
out:
	ibx_bytes_fini(&out);
	ibx_bytes_fini(&h.cert);
	ibx_envelope_fini(&e);
	ibx_bytes_fini(&env);
	return (rv);
}

/* Move held envelope seq to rejected/ with the reason (the spoke's, not
 * an Ack's: status "retry later"). */
static ibx_err
set_aside(spoke_outbox *ob, uint64_t seq, const char *reason,
	  spoke_agent_status *st)
{
	ibx_ack ack;
	ibx_err rv;

	memset(&ack, 0, sizeof(ack));
	ack.sequence = seq;
	ack.status = IBX_ACK_RETRY_LATER;
	snprintf(ack.error, sizeof(ack.error), "%s", reason);
	if ((rv = spoke_outbox_reject(ob, seq, &ack)) != IBX_OK &&
	    rv != IBX_ENOTFOUND)
		return (rv);
	spoke_agent_status_error(
	    st, "envelope %" PRIu64 " set aside in %s/%s: %s", seq,
	    spoke_outbox_dir(ob), SPOKE_OUTBOX_REJECTED, reason);
	return (IBX_OK);
}

/* Held envelope seq is superseded by a later one of its kind: its content
 * is obsolete (the hub replaces it, DHIS2-style), so it is dropped from
 * pending/, with a line in DIR/superseded.log (appended and fsynced
 * first), rather than filed as a refusal. */
static ibx_err
drop_superseded(spoke_outbox *ob, uint64_t seq, const char *reason)
{
	char path[4096];
	FILE *f;
	int ok;
	ibx_err rv;

	snprintf(path, sizeof(path), "%s/superseded.log",
		 spoke_outbox_dir(ob));
	if ((f = fopen(path, "a")) == NULL)
		return (IBX_EIO);
	ok = fprintf(f, "%" PRIu64 " %" PRId64 " %s\n", seq,
		     spoke_agent_now_ms(), reason) > 0 &&
	     fflush(f) == 0 && fsync(fileno(f)) == 0;
	if (fclose(f) != 0 || !ok)
		return (IBX_EIO);
	if ((rv = spoke_outbox_remove(ob, seq)) != IBX_OK &&
	    rv != IBX_ENOTFOUND)
		return (rv);
	IBX_INFO("envelope %" PRIu64 " dropped: %s", seq, reason);
	return (IBX_OK);
}

/* The backoff of one held envelope after its tries-th answer: 1 s
 * doubling, at most 5 min. */
static int64_t
held_backoff_ms(int tries)
{
	int64_t ms = 1000;

	while (--tries > 0 && ms < 300000)
		ms *= 2;
	return (ms < 300000 ? ms : 300000);
}

/* Send pending envelope seq and file it by the Ack.  IBX_OK when it got a
 * final Ack (and was filed); IBX_EDBDOWN when the hub (verified) asked to
 * retry later and o->retry is set; DRAIN_NOT_STORED when it is a passed
 * envelope (agent_passed.h) the hub answered "replay" (nothing filed);
 * IBX_ETIMEDOUT when no answer came; outbox errors. */
static ibx_err deliver_file(spoke_outbox *ob, const spoke_drain_opts *o,
			    uint64_t seq, const ibx_bytes *env, ibx_err rv,
			    ibx_ack *ack, spoke_agent_status *st);

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
	rv = deliver_file(ob, o, seq, &env, rv, &ack, st);
	ibx_bytes_fini(&env);
	return (rv);
}

/* File pending envelope seq (env) by the outcome rv of its send and its
 * Ack, as deliver_one says. */
static ibx_err
deliver_file(spoke_outbox *ob, const spoke_drain_opts *o, uint64_t seq,
	     const ibx_bytes *env, ibx_err rv, ibx_ack *ack_in,
	     spoke_agent_status *st)
{
	const char *dir = spoke_outbox_dir(ob);
	ibx_ack ack = *ack_in;
	char why[600];

	st->send_ms = spoke_agent_now_ms();
	if (rv != IBX_OK && o->retry != NULL &&
	    ack.status == IBX_ACK_RETRY_LATER) {
		spoke_agent_status_error(st,
					 "the hub asks to retry envelope "
					 "%" PRIu64 " later: %s",
					 seq, ack.error);
		snprintf(o->retry->last_error, sizeof(o->retry->last_error),
			 "%.400s", ack.error);
		rv = IBX_EDBDOWN;
		goto out;
	}
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
		/* The listing's copy for the page first, so a page that
		 * reads the journal's new version finds its bytes (a crash
		 * before the journal: the duplicate Ack records it). */
		(void)spoke_agent_listing_acked(dir, seq, 1);
		/* Recorded before the envelope leaves pending/: a crash
		 * in between sends it again, as a duplicate. */
		if ((rv = spoke_journal_append(dir, seq, &ack, env,
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
		/* A passed one that was stored (after a restart the agent
		 * does not know it was passed; only a resend is answered
		 * duplicate, so this costs nothing on the common path). */
		if (ack.status == IBX_ACK_DUPLICATE)
			spoke_agent_passed_clear(dir, seq);
	} else if (ack.status == IBX_ACK_REPLAY && ack.sequence == seq &&
		   spoke_agent_passed_find(dir, seq, why, sizeof(why)) == 1) {
		/* Sent after later ones, and not stored: not a refusal, it is
		 * sealed again (held_note) or, without the agent's
		 * bookkeeping, stays pending for the agent to do so. */
		spoke_agent_status_error(
		    st,
		    "envelope %" PRIu64 " was passed by later ones while the "
		    "hub asked to retry it later, and the hub has not stored "
		    "it (%s)%s",
		    seq, ack.error,
		    o->retry != NULL ? ": it is sealed again"
				     : ": it stays pending; inbound-spoke run "
				       "seals it again");
		rv = DRAIN_NOT_STORED;
		goto out;
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
		(void)spoke_agent_listing_acked(dir, seq, 0);
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
	*ack_in = ack;
	return (rv);
}

/* Held envelope h (pending seqs[i] of n) waits out its backoff while the
 * ones behind it go.  It keeps its sequence and bytes: the hub may have
 * stored it (a COMMIT whose answer was lost), and only the same envelope
 * is answered "duplicate" then.  Before anything behind it is sent it is
 * recorded as passed, durably (agent_passed.h), with whether one of its
 * kind lies behind it (what supersedes it at the hub).  IBX_OK, or
 * IBX_EIO when the record cannot be written: then nothing behind it may
 * go (the caller stops the drain). */
static ibx_err
let_pass(spoke_outbox *ob, struct held *h, const uint64_t *seqs, size_t n,
	 size_t i, spoke_agent_status *st)
{
	const char *dir = spoke_outbox_dir(ob);
	char kind[48], why[600] = "";
	bool superseded = h->superseded;
	size_t j;
	ibx_err rv;

	if (i + 1 >= n)
		return (IBX_OK);
	for (j = i + 1; !superseded && h->kind[0] != '\0' && j < n; j++) {
		pending_kind(ob, seqs[j], kind);
		if (kind[0] != '\0' && strcmp(kind, h->kind) == 0) {
			snprintf(why, sizeof(why),
				 "superseded: envelope %" PRIu64
				 " (%s) was sealed after it and goes "
				 "instead; the hub had asked to retry this "
				 "one later",
				 seqs[j], kind);
			superseded = true;
		}
	}
	if (h->passed && superseded == h->superseded)
		return (IBX_OK);
	if ((rv = spoke_agent_passed_mark(dir, h->seq, why)) != IBX_OK) {
		spoke_agent_status_error(
		    st,
		    "%s/%s: cannot record that envelope %" PRIu64
		    " waits while later ones go: %s (they wait too)",
		    dir, SPOKE_PASSED_DIR, h->seq, ibx_strerror(rv));
		return (rv);
	}
	if (!h->passed)
		IBX_INFO("envelope %" PRIu64 " waits (retry later); the %zu "
			 "behind it go first, and it is sent again as it is",
			 h->seq, n - i - 1);
	h->passed = true;
	if (superseded && !h->superseded) {
		h->superseded = true;
		snprintf(h->why, sizeof(h->why), "%s", why);
	}
	return (IBX_OK);
}

/* Passed envelope seqs[i] (of kind, h its bookkeeping or NULL after a
 * restart) was answered "replay": its sequence is passed and the hub has
 * not stored it.  Superseded (its record says so, or one of its kind is
 * behind it now): dropped, with a line in superseded.log.  Else sealed
 * again with a new sequence, behind the others, and h follows it (its
 * tries kept, no wait).  The old one leaves pending/ only once the new
 * one is durable.  IBX_OK, or outbox errors. */
static ibx_err
not_stored(spoke_outbox *ob, spoke_drain_retry *r, struct held *h,
	   const uint64_t *seqs, size_t n, size_t i, const char *kind,
	   spoke_agent_status *st)
{
	const char *dir = spoke_outbox_dir(ob);
	char other[48], why[600] = "", reason[900];
	uint64_t seq = seqs[i], fresh;
	size_t j;
	ibx_err rv;

	if (h != NULL && h->superseded)
		snprintf(why, sizeof(why), "%s", h->why);
	else
		(void)spoke_agent_passed_find(dir, seq, why, sizeof(why));
	for (j = i + 1; why[0] == '\0' && kind[0] != '\0' && j < n; j++) {
		pending_kind(ob, seqs[j], other);
		if (strcmp(other, kind) == 0)
			snprintf(why, sizeof(why),
				 "superseded: envelope %" PRIu64
				 " (%s) was sealed after it and goes "
				 "instead; the hub had asked to retry this "
				 "one later",
				 seqs[j], other);
	}
	if (why[0] != '\0') {
		snprintf(reason, sizeof(reason),
			 "%s (it was not stored: answered replay)", why);
		held_drop(r, seq);
		if ((rv = drop_superseded(ob, seq, reason)) == IBX_OK)
			spoke_agent_passed_clear(dir, seq);
		return (rv);
	}
	if ((rv = reseal(ob, r->id, seq, &fresh)) != IBX_OK) {
		spoke_agent_status_error(
		    st, "envelope %" PRIu64 ": cannot seal it again: %s", seq,
		    ibx_strerror(rv));
		return (rv == IBX_ENOTFOUND ? IBX_OK : rv);
	}
	spoke_agent_passed_clear(dir, seq);
	(void)spoke_agent_listing_resealed(dir, seq, fresh);
	IBX_INFO("envelope %" PRIu64 " sealed again as %" PRIu64
		 ": the hub had not stored it, and later ones went meanwhile",
		 seq, fresh);
	if (h != NULL) {
		h->seq = fresh;
		h->next_ms = 0;
		h->passed = false;
	}
	return (IBX_OK);
}

static ibx_err held_note(spoke_outbox *ob, const spoke_drain_opts *o,
			 const uint64_t *seqs, size_t n, size_t i,
			 const char *kind, ibx_err rv, spoke_agent_status *st,
			 bool *waiting);

/* Deliver seqs[i] (of the n pending) with "retry later" bookkeeping
 * (agent_drain.h).  IBX_OK to go on with the next envelope (*waiting set
 * when one is held back); IBX_ETIMEDOUT when the hub is silent; outbox
 * errors. */
static ibx_err
drain_one_held(spoke_outbox *ob, const spoke_drain_opts *o,
	       const uint64_t *seqs, size_t n, size_t i,
	       spoke_agent_status *st, bool *waiting)
{
	spoke_drain_retry *r = o->retry;
	uint64_t seq = seqs[i];
	struct held *h = held_find(r, seq);
	int64_t now = spoke_agent_now_ms();
	char kind[48];
	ibx_err rv;

	if (h != NULL && h->next_ms > now) {
		*waiting = true;
		return (let_pass(ob, h, seqs, n, i, st));
	}
	pending_kind(ob, seq, kind);
	rv = deliver_one(ob, o, seq, st);
	return (held_note(ob, o, seqs, n, i, kind, rv, st, waiting));
}

/* The bookkeeping after seqs[i] (of kind, as envelope_kind says) was
 * sent with outcome rv (deliver_one's): a "retry later" (IBX_EDBDOWN)
 * holds it back for its backoff, or sets it aside after too many; a
 * passed one the hub has not stored (DRAIN_NOT_STORED) is sealed again or
 * dropped as superseded (not_stored).  Returns as drain_one_held. */
static ibx_err
held_note(spoke_outbox *ob, const spoke_drain_opts *o, const uint64_t *seqs,
	  size_t n, size_t i, const char *kind, ibx_err rv,
	  spoke_agent_status *st, bool *waiting)
{
	spoke_drain_retry *r = o->retry;
	uint64_t seq = seqs[i];
	struct held *h = held_find(r, seq);
	int64_t now = spoke_agent_now_ms();
	char reason[900];

	if (rv == IBX_OK) {
		if (h != NULL && h->passed)
			spoke_agent_passed_clear(spoke_outbox_dir(ob), seq);
		held_drop(r, seq);
		return (IBX_OK);
	}
	if (rv == DRAIN_NOT_STORED) {
		*waiting = true;
		return (not_stored(ob, r, h, seqs, n, i, kind, st));
	}
	if (rv != IBX_EDBDOWN)
		return (rv);
	if (h == NULL) {
		if (r->n == r->cap) {
			size_t cap = r->cap ? r->cap * 2 : 8;
			struct held *v = realloc(r->v, cap * sizeof(*v));

			if (v == NULL)
				return (IBX_ENOMEM);
			r->v = v;
			r->cap = cap;
		}
		h = &r->v[r->n++];
		memset(h, 0, sizeof(*h));
		h->seq = seq;
		h->first_ms = now;
		snprintf(h->kind, sizeof(h->kind), "%s", kind);
		/* After a restart: passed by an earlier run. */
		h->passed =
		    spoke_agent_passed_find(spoke_outbox_dir(ob), seq, h->why,
					    sizeof(h->why)) == 1;
		h->superseded = h->passed && h->why[0] != '\0';
	}
	h->tries++;
	if (h->tries >= r->max_tries) {
		snprintf(reason, sizeof(reason),
			 "the hub answered \"retry later\" %d times over "
			 "%.0f s; set aside so that later envelopes can go "
			 "(last: %s)",
			 h->tries, (double)(now - h->first_ms) / 1000.0,
			 r->last_error);
		held_drop(r, seq);
		if ((rv = set_aside(ob, seq, reason, st)) == IBX_OK)
			spoke_agent_passed_clear(spoke_outbox_dir(ob), seq);
		return (rv);
	}
	h->next_ms = now + held_backoff_ms(h->tries);
	IBX_INFO("envelope %" PRIu64 ": retry later (%d of %d); the others go "
		 "meanwhile",
		 seq, h->tries, r->max_tries);
	*waiting = true;
	return (let_pass(ob, h, seqs, n, i, st));
}

/* One chunk of a window: its envelope, read from pending/, and its send. */
struct flight {
	uint64_t seq;
	size_t i; /* its place in seqs */
	ibx_bytes env;
	spoke_send_call *call;
};

/* Whether env is a referral chunk, which may go in a window. */
static bool
is_chunk(const ibx_bytes *env)
{
	return (ibx_envelope_payload_type(env->data, env->len) ==
		IBX_PAYLOAD_REFERRAL_CHUNK);
}

/* Deliver the run of referral chunks from seqs[*i] with up to o->window
 * in flight: each is read, put on the wire, and its Ack filed in sequence
 * order (deliver_file) once the oldest answers.  The run ends before the
 * first envelope that is not a chunk, or one held back (retry later), or
 * one that cannot be sent in a window: the caller sends it alone.  *i is
 * left on the last envelope of the run.  After a failure no new chunk
 * starts; those in flight are still filed by their Acks (an acknowledged
 * chunk is never sent again), without attempts of their own.  Returns the
 * first failure as deliver_one, or with "retry later" bookkeeping as
 * drain_one_held when o->retry is set; *ran false when not even the
 * first went in a window (nothing was sent: the caller sends it alone). */
static ibx_err
drain_window(spoke_outbox *ob, const spoke_drain_opts *o, const uint64_t *seqs,
	     size_t n, size_t *i, spoke_agent_status *st, bool *waiting,
	     bool *ran)
{
	struct flight f[SPOKE_DRAIN_WINDOW_MAX];
	size_t w = o->window > SPOKE_DRAIN_WINDOW_MAX ? SPOKE_DRAIN_WINDOW_MAX
						      : (size_t)o->window;
	size_t head = 0, count = 0, next = *i, last = *i;
	bool more = true;
	ibx_err first = IBX_OK, rv;

	while (more || count > 0) {
		while (more && first == IBX_OK && count < w && next < n &&
		       (o->stop == NULL || !*o->stop)) {
			struct flight *s = &f[(head + count) % w];

			memset(s, 0, sizeof(*s));
			s->seq = seqs[next];
			s->i = next;
			if (o->retry != NULL && held_find(o->retry, s->seq)) {
				more = false;
				break;
			}
			if ((rv = spoke_outbox_read(ob, s->seq, &s->env)) !=
			    IBX_OK) {
				/* Filed meanwhile, or unreadable: the serial
				 * path says which. */
				more = false;
				break;
			}
			if (!is_chunk(&s->env) ||
			    spoke_send_start(&o->send, &s->env, &s->call) !=
				IBX_OK) {
				ibx_bytes_fini(&s->env);
				more = false;
				break;
			}
			count++;
			last = next++;
		}
		if (first != IBX_OK || next >= n ||
		    (o->stop != NULL && *o->stop))
			more = false;
		if (count == 0)
			break;
		{
			struct flight *s = &f[head];
			ibx_ack ack;

			head = (head + 1) % w;
			count--;
			memset(&ack, 0, sizeof(ack));
			rv = spoke_send_finish(s->call, first == IBX_OK, &ack);
			rv =
			    deliver_file(ob, o, s->seq, &s->env, rv, &ack, st);
			if (o->retry != NULL)
				rv = held_note(ob, o, seqs, n, s->i, "", rv,
					       st, waiting);
			else if (rv == DRAIN_NOT_STORED) {
				*waiting = true; /* as spoke_agent_drain */
				rv = IBX_OK;
			}
			ibx_bytes_fini(&s->env);
			if (rv != IBX_OK && first == IBX_OK)
				first = rv;
		}
	}
	/* Nothing in the window: the caller sends seqs[*i] alone. */
	*ran = next != *i;
	*i = last;
	return (first);
}

ibx_err
spoke_agent_drain(spoke_outbox *ob, const spoke_drain_opts *o,
		  spoke_agent_status *st)
{
	uint64_t *seqs = NULL;
	size_t n = 0, i;
	bool waiting = false;
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
		if (o->window > 1) {
			bool ran = false;

			rv = drain_window(ob, o, seqs, n, &i, st, &waiting,
					  &ran);
			if (ran && rv != IBX_OK)
				break;
			if (ran)
				continue;
		}
		if (o->retry == NULL) {
			rv = deliver_one(ob, o, seqs[i], st);
			if (rv == DRAIN_NOT_STORED) {
				/* It stays pending for the agent to seal
				 * again; it was passed, so the later ones
				 * may go. */
				waiting = true;
				rv = IBX_OK;
			}
			if (rv != IBX_OK)
				break;
			continue;
		}
		if ((rv = drain_one_held(ob, o, seqs, n, i, st, &waiting)) !=
		    IBX_OK)
			break;
	}
	if (rv == IBX_OK && waiting)
		rv = IBX_ETIMEDOUT;
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
	o.window = SPOKE_DRAIN_WINDOW;
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
