/* Intake of one envelope; see intake.h. */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "civil.h"
#include "intake.h"
#include "listing_json.h"
#include "log.h"
#include "store_referral.h"
#include "store.h"

static void refuse(ibx_ack *ack, ibx_ack_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
refuse(ibx_ack *ack, ibx_ack_status status, const char *fmt, ...)
{
	va_list ap;

	ack->status = status;
	va_start(ap, fmt);
	vsnprintf(ack->error, sizeof(ack->error), fmt, ap);
	va_end(ap);
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/* The two kinds of listing differ only in their codec, rules, JSON and
 * table; the steps of intake are the same (listing_intake below). */
struct listing_kind {
	const char *message;				     /* for errors */
	ibx_err (*decode)(const uint8_t *, size_t, void **); /* new object */
	ibx_err (*check)(const void *, ibx_problems *);
	const char *(*code)(const void *); /* its organisation code */
	ibx_err (*to_json)(const void *, char **);
	ibx_ack_status (*store)(ibx_db *, const char *, const char *, uint64_t,
				const ibx_bytes *, int32_t *, char *, size_t);
	void (*release)(void *);
};

static ibx_err
hospital_decode(const uint8_t *b, size_t n, void **out)
{
	return (ibx_listing_decode(b, n, (ibx_listing **)out));
}

static ibx_err
hospital_check(const void *l, ibx_problems *p)
{
	return (ibx_listing_check(l, p));
}

static const char *
hospital_code(const void *l)
{
	return (((const ibx_listing *)l)->organisation_code);
}

static ibx_err
hospital_to_json(const void *l, char **out)
{
	return (ibx_listing_to_json(l, out));
}

static void
hospital_release(void *l)
{
	ibx_listing_free(l);
}

static ibx_err
coordinator_decode(const uint8_t *b, size_t n, void **out)
{
	return (ibx_coordinator_decode(b, n, (ibx_coordinator **)out));
}

static ibx_err
coordinator_check(const void *c, ibx_problems *p)
{
	return (ibx_coordinator_check(c, p));
}

static const char *
coordinator_code(const void *c)
{
	return (((const ibx_coordinator *)c)->organisation_code);
}

static ibx_err
coordinator_to_json(const void *c, char **out)
{
	return (ibx_coordinator_to_json(c, out));
}

static void
coordinator_release(void *c)
{
	ibx_coordinator_free(c);
}

static const struct listing_kind hospital_kind = {
    "HospitalListing", hospital_decode,	 hospital_check,
    hospital_code,     hospital_to_json, hub_store_hospital_listing,
    hospital_release};
static const struct listing_kind coordinator_kind = {
    "CoordinatorListing", coordinator_decode,  coordinator_check,
    coordinator_code,	  coordinator_to_json, hub_store_coordinator_listing,
    coordinator_release};

/* The verified sender's certificate as the store needs it when its
 * enrolment check was deferred (hub_verify_envelope_deferred). */
struct signer {
	const char *role;
	const uint8_t *fingerprint;
	bool enrolment_deferred;
};

static void
listing_intake(hub_intake_worker *w, const struct listing_kind *k,
	       const ibx_header *h, const ibx_envelope *env,
	       const ibx_bytes *raw, const struct signer *sg, ibx_ack *ack)
{
	hub_listing_store st;
	void *l = NULL;
	ibx_problems problems;
	char *doc = NULL, *joined = NULL;

	ibx_problems_init(&problems);
	if (k->decode(env->payload.data, env->payload.len, &l) != IBX_OK) {
		refuse(ack, IBX_ACK_MALFORMED, "payload: not a %s",
		       k->message);
		goto out;
	}
	if (k->check(l, &problems) != IBX_OK) {
		joined = ibx_problems_join(&problems, "; ");
		refuse(ack, IBX_ACK_INVALID, "listing refused: %s",
		       joined ? joined : "out of memory");
		goto out;
	}
	/* Nobody writes another organisation's listing. */
	if (strcmp(k->code(l), h->sender_id) != 0) {
		refuse(
		    ack, IBX_ACK_SENDER_MISMATCH,
		    "listing refused: field \"organisation_code\": %s is not "
		    "the sender %s",
		    k->code(l), h->sender_id);
		goto out;
	}
	/* The checks let through only what JSON can hold; should one miss
	 * something, the listing is refused, never retried for ever. */
	if (k->to_json(l, &doc) != IBX_OK) {
		refuse(ack, IBX_ACK_INVALID,
		       "listing refused: a text field cannot be stored (not "
		       "UTF-8)");
		goto out;
	}
	if (w->db == NULL) {
		/* serve --no-db: checked as in service, stored nowhere. */
		ack->status = IBX_ACK_ACCEPTED;
		goto out;
	}
	if (!sg->enrolment_deferred) {
		ack->status = k->store(w->db, h->sender_id, doc, h->sequence,
				       raw, &ack->listing_version, ack->error,
				       sizeof(ack->error));
		goto out;
	}
	/* One statement: the enrolment check and the store, committed with
	 * the other workers' updates arriving together (batch.h). */
	st = (hub_listing_store){
	    sg->fingerprint, h->sender_id, sg->role, (int)h->payload_type, doc,
	    h->sequence,     raw};
	ack->status =
	    hub_store_listing(w->db, w->batcher, &st, &ack->listing_version,
			      ack->error, sizeof(ack->error));
out:
	free(joined);
	free(doc);
	ibx_problems_fini(&problems);
	if (l != NULL)
		k->release(l);
}

static void
intake_statistics(hub_intake_worker *w, const ibx_header *h,
		  const ibx_envelope *env, const ibx_bytes *raw, ibx_ack *ack)
{
	ibx_case_statistics *s = NULL;
	ibx_problems problems;
	char now[8], *joined = NULL;

	ibx_problems_init(&problems);
	if (ibx_statistics_decode(env->payload.data, env->payload.len, &s) !=
	    IBX_OK) {
		refuse(ack, IBX_ACK_MALFORMED,
		       "payload: not a CaseStatistics (or a field too long)");
		goto out;
	}
	ibx_period_now(now);
	if (ibx_statistics_check(s, now, &problems) != IBX_OK) {
		joined = ibx_problems_join(&problems, "; ");
		refuse(ack, IBX_ACK_INVALID, "statistics refused: %s",
		       joined ? joined : "out of memory");
		/* The whole submission is refused: every cell counts. */
		ack->summary.refused = (uint32_t)s->n_cells;
		goto out;
	}
	if (strcmp(s->organisation_code, h->sender_id) != 0) {
		refuse(
		    ack, IBX_ACK_SENDER_MISMATCH,
		    "statistics refused: field \"organisation_code\": %s is "
		    "not the sender %s",
		    s->organisation_code, h->sender_id);
		goto out;
	}
	if (w->db == NULL) {
		ack->status = IBX_ACK_ACCEPTED;
		goto out;
	}
	ack->status =
	    hub_store_statistics(w->db, s, h->sequence, raw, &ack->summary,
				 ack->error, sizeof(ack->error));
out:
	free(joined);
	ibx_problems_fini(&problems);
	ibx_statistics_free(s);
}

static void
intake_once(hub_intake_worker *w, const uint8_t *req, size_t len, ibx_ack *ack,
	    ibx_bytes *reply)
{
	ibx_envelope env;
	ibx_header h;
	ibx_bytes raw = {(uint8_t *)req, len};
	bool have_header = false, verified = false;
	char role[16] = "";
	uint8_t fp[IBX_SHA256_LEN];
	struct signer sg = {role, fp, false};

	memset(ack, 0, sizeof(*ack));
	memset(&env, 0, sizeof(env));
	memset(&h, 0, sizeof(h));
	if (len == 0) {
		refuse(ack, IBX_ACK_MALFORMED, "envelope: empty message");
		goto refused;
	}
	if (ibx_envelope_decode(req, len, &env) != IBX_OK) {
		refuse(ack, IBX_ACK_MALFORMED, "envelope: does not decode");
		goto refused;
	}
	if (env.header.len == 0 ||
	    ibx_header_decode(env.header.data, env.header.len, &h) != IBX_OK) {
		refuse(ack, IBX_ACK_MALFORMED, "header: does not decode");
		goto refused;
	}
	have_header = true;
	ack->sequence = h.sequence;
	/* A lost connection is re-made here; while the database stays
	 * away, nothing is acknowledged and the spoke sends again. */
	if (w->db != NULL && ibx_db_ensure(w->db) != IBX_OK) {
		refuse(ack, IBX_ACK_RETRY_LATER,
		       "hub database unavailable: send it again later");
		goto out;
	}
	ack->status = hub_verify_envelope_deferred(
	    w->verifier, w->db, &h, &env, now_ms(), role, fp,
	    &sg.enrolment_deferred, ack->error, sizeof(ack->error));
	if (ack->status != IBX_ACK_ACCEPTED)
		goto refused;
	/* From here the header's sender is the verified certificate's
	 * organisation (hub_verify_envelope compared them). */
	verified = true;
	switch (h.payload_type) {
	case IBX_PAYLOAD_HOSPITAL_LISTING:
		listing_intake(w, &hospital_kind, &h, &env, &raw, &sg, ack);
		break;
	case IBX_PAYLOAD_CASE_STATISTICS:
		intake_statistics(w, &h, &env, &raw, ack);
		break;
	case IBX_PAYLOAD_COORDINATOR_LISTING:
		listing_intake(w, &coordinator_kind, &h, &env, &raw, &sg, ack);
		break;
	case IBX_PAYLOAD_ENCRYPTION_KEY:
	case IBX_PAYLOAD_KEY_QUERY:
	case IBX_PAYLOAD_REFERRAL:
	case IBX_PAYLOAD_REFERRAL_CHUNK:
	case IBX_PAYLOAD_REFERRAL_STATUS:
	case IBX_PAYLOAD_INBOX_QUERY:
	case IBX_PAYLOAD_CHUNK_QUERY:
		hub_referral_intake(w->db, &h, &env, &raw, role, ack, reply);
		break;
	default:
		refuse(ack, IBX_ACK_UNKNOWN_PAYLOAD,
		       "header: field \"payload_type\": %d is not served yet",
		       (int)h.payload_type);
		break;
	}
	if (ack->status == IBX_ACK_ACCEPTED)
		goto out;
refused:
	/* Every refusal is logged, under the verified organisation only: an
	 * unverified header's sender is a claim, shown as one (ibx_log
	 * escapes it, so a newline in it cannot forge a line). */
	if (verified)
		IBX_INFO("intake: %s from %s seq %llu: %s",
			 ibx_ack_status_name(ack->status), h.sender_id,
			 (unsigned long long)h.sequence, ack->error);
	else
		IBX_INFO("intake: %s from an unverified sender (claimed "
			 "\"%s\") seq %llu: %s",
			 ibx_ack_status_name(ack->status),
			 have_header ? h.sender_id : "",
			 (unsigned long long)h.sequence, ack->error);
	if (w->db != NULL)
		hub_store_refusal(w->db, verified ? h.sender_id : NULL,
				  have_header ? h.sender_id : NULL,
				  have_header, h.sequence, (int)h.payload_type,
				  req, len, ack->status, ack->error);
out:
	ibx_bytes_fini(&h.cert);
	ibx_envelope_fini(&env);
}

#ifdef IBX_TEST_HOOKS
/* Test builds only (IBX_TEST_HOOKS), from the environment, each a list
 * "N[,N...]" of ordinals counted from 1 over the whole process:
 *   IBX_HUB_LOSE_ACK      the N-th envelope accepted (any payload type)
 *                         is answered "retry later" after it was
 *                         committed, as when PostgreSQL dies at the
 *                         COMMIT's answer and its outcome is unknown
 *                         (batch.h): the spoke must send it again and be
 *                         answered "duplicate";
 *   IBX_HUB_RETRY_BEFORE  the N-th request is answered "retry later"
 *                         unread, nothing stored: sent again after later
 *                         ones, it is a "replay".
 * tests/integration/test_lost_commit_ack.sh uses both. */
static bool
hook_hits(const char *spec, unsigned n)
{
	const char *p;
	char *end;

	for (p = spec; p != NULL && *p != '\0';
	     p = *end == ',' ? end + 1 : end) {
		unsigned long want = strtoul(p, &end, 10);

		if (end == p)
			return (false);
		if (want == n)
			return (true);
	}
	return (false);
}

static void
hook_retry_later(ibx_ack *ack, const char *why)
{
	ack->status = IBX_ACK_RETRY_LATER;
	ack->listing_version = 0;
	memset(&ack->summary, 0, sizeof(ack->summary));
	snprintf(ack->error, sizeof(ack->error),
		 "hub could not store the message (test hook: %s): send it "
		 "again later",
		 why);
}

/* IBX_HUB_RETRY_BEFORE: true when this request is answered unread. */
static bool
hook_before(ibx_ack *ack)
{
	static atomic_uint requests;
	const char *spec = getenv("IBX_HUB_RETRY_BEFORE");

	if (spec == NULL ||
	    !hook_hits(spec, atomic_fetch_add(&requests, 1) + 1))
		return (false);
	IBX_WARN("IBX_HUB_RETRY_BEFORE: a request answered \"retry later\" "
		 "unread, on purpose");
	hook_retry_later(ack, "not stored");
	return (true);
}

/* IBX_HUB_LOSE_ACK, after the envelope's intake. */
static void
hook_lose_ack(ibx_ack *ack)
{
	static atomic_uint accepted;
	const char *spec = getenv("IBX_HUB_LOSE_ACK");

	if (spec == NULL || ack->status != IBX_ACK_ACCEPTED ||
	    !hook_hits(spec, atomic_fetch_add(&accepted, 1) + 1))
		return;
	IBX_WARN("IBX_HUB_LOSE_ACK: envelope seq %llu is stored; answering "
		 "\"retry later\" on purpose",
		 (unsigned long long)ack->sequence);
	hook_retry_later(ack, "the commit's answer was lost");
}
#endif

void
hub_intake_process_reply(hub_intake_worker *w, const uint8_t *req, size_t len,
			 ibx_ack *ack, ibx_bytes *reply)
{
	reply->data = NULL;
	reply->len = 0;
#ifdef IBX_TEST_HOOKS
	memset(ack, 0, sizeof(*ack));
	if (hook_before(ack))
		return;
#endif
	intake_once(w, req, len, ack, reply);
	/* A connection that died while PostgreSQL restarted is only seen
	 * broken by the statement that fails on it: re-made, the message
	 * (which stored nothing) is taken once more at once. */
	if (ack->status == IBX_ACK_RETRY_LATER && w->db != NULL &&
	    ibx_db_ensure(w->db) == IBX_OK) {
		ibx_bytes_fini(reply);
		intake_once(w, req, len, ack, reply);
	}
#ifdef IBX_TEST_HOOKS
	hook_lose_ack(ack);
#endif
	if (ack->status != IBX_ACK_ACCEPTED)
		ibx_bytes_fini(reply);
}

void
hub_intake_process(hub_intake_worker *w, const uint8_t *req, size_t len,
		   ibx_ack *ack)
{
	ibx_bytes reply;

	hub_intake_process_reply(w, req, len, ack, &reply);
	ibx_bytes_fini(&reply);
}

void
hub_intake_handle(void *worker_arg, const uint8_t *req, size_t len,
		  ibx_bytes *reply)
{
	hub_intake_worker *w = worker_arg;
	ibx_bytes answer;
	ibx_ack ack;
	ibx_err rv;

	hub_intake_process_reply(w, req, len, &ack, &answer);
	/* Every Ack is signed, refusals too: a spoke files an envelope in
	 * rejected/ only on a verified refusal.  A query's answer is
	 * covered by the same signature (its SHA-256, crypto.h). */
	if (w->ack_key != NULL &&
	    (rv = ibx_ack_sign_reply(w->ack_key, w->ack_cert, req, len,
				     answer.data, answer.len, &ack)) != IBX_OK)
		IBX_ERROR("intake: cannot sign ack: %s", ibx_strerror(rv));
	if (ibx_ack_encode_reply(&ack, answer.data, answer.len, reply) !=
	    IBX_OK)
		IBX_ERROR("intake: cannot encode ack: out of memory");
	ibx_bytes_fini(&answer);
}
