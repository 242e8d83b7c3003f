/* The referral channel's store and forward; see store_referral.h. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "hex.h"
#include "log.h"
#include "store_referral.h"
#include "store.h"

/* Through functions only (deploy/sql/functions/ibx_referral_*.sql): the
 * intake's role may call nothing else (027). */
static const char SQL_KEY_STORE[] =
    "SELECT ibx_referral_key_store($1, $2, $3::bigint, $4, $5, $6::bigint, "
    "$7::bigint, $8)";
static const char SQL_KEYS[] = "SELECT envelope FROM ibx_referral_keys($1)";
static const char SQL_REFERRAL_STORE[] =
    "SELECT ibx_referral_store($1, $2, $3::bigint, $4, $5, $6, $7, $8, $9, "
    "$10, $11, $12::text[], $13, $14::bigint, $15::integer, $16, $17)";
static const char SQL_CHUNK_STORE[] =
    "SELECT ibx_referral_chunk_store($1, $2, $3::bigint, $4, $5::integer, "
    "$6, $7)";
static const char SQL_GET[] =
    "SELECT referrer, receiver, state FROM ibx_referral_get($1)";
enum { GET_REFERRER, GET_RECEIVER, GET_STATE };
static const char SQL_STATUS_STORE[] =
    "SELECT ibx_referral_status_store($1, $2, $3::bigint, $4, $5, $6, $7, "
    "$8, $9::bigint, $10::bigint, $11::date, $12, $13::date, $14)";
/* Binary results: cursor is an int8 (8 bytes, big-endian), state text. */
static const char SQL_INBOX[] =
    "SELECT cursor, envelope, state FROM ibx_referral_inbox($1, "
    "$2::bigint, $3::integer)";
enum { INBOX_CURSOR, INBOX_ENVELOPE, INBOX_STATE };
static const char SQL_CHUNK[] =
    "SELECT envelope, deleted FROM ibx_referral_chunk($1, $2, $3::integer)";
enum { CHUNK_ENVELOPE, CHUNK_DELETED };
/* Every store answers one column: its outcome. */
enum { OUTCOME };

/* The hub's word for the state before the first: chunks still arriving. */
#define STATE_RECEIVING "receiving"

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

/* The problems of a check as one refusal (INVALID, final). */
static void
refuse_problems(ibx_ack *ack, const char *what, ibx_problems *p)
{
	char *joined = ibx_problems_join(p, "; ");

	refuse(ack, IBX_ACK_INVALID, "%s refused: %s", what,
	       joined ? joined : "out of memory");
	free(joined);
}

/* The outcome of a decoder (wire.h): true when it decoded; otherwise the
 * refusal: MALFORMED when the bytes are no such message, INVALID naming
 * each field that does not fit. */
static bool
decoded(ibx_err rv, const char *message, const char *what, ibx_problems *p,
	ibx_ack *ack)
{
	if (rv == IBX_OK)
		return (true);
	if (rv == IBX_EINVAL)
		refuse_problems(ack, what, p);
	else
		refuse(ack, IBX_ACK_MALFORMED, "payload: not a %s", message);
	return (false);
}

/* A failed store: the function's own refusals (IBX10 final, IBX11 not the
 * sender's), else as every store (replay, enrolment, transient). */
static void
store_failed(ibx_db *db, ibx_err rv, const ibx_header *h, const ibx_bytes *raw,
	     ibx_ack *ack)
{
	const char *state = ibx_db_sqlstate(db);
	char seq[24];

	if (rv == IBX_EDB && strcmp(state, "IBX10") == 0) {
		refuse(ack, IBX_ACK_INVALID, "%s", ibx_db_last_error(db));
		return;
	}
	if (rv == IBX_EDB && strcmp(state, "IBX11") == 0) {
		refuse(ack, IBX_ACK_ROLE_FORBIDDEN, "%s",
		       ibx_db_last_error(db));
		return;
	}
	snprintf(seq, sizeof(seq), "%" PRIu64, h->sequence);
	ack->status = hub_store_translate(db, rv, h->sender_id, seq, raw, NULL,
					  ack->error, sizeof(ack->error));
}

/* The outcome of a store ('accepted', 'duplicate', 'sent') as the Ack. */
static void
store_done(ibx_db_result *res, const char *what, ibx_ack *ack)
{
	const char *o = ibx_db_result_value(res, 0, OUTCOME);

	if (strcmp(o, "duplicate") == 0) {
		refuse(ack, IBX_ACK_DUPLICATE,
		       "%s already stored; nothing stored again", what);
		return;
	}
	ack->status = IBX_ACK_ACCEPTED;
	if (strcmp(o, "sent") == 0)
		snprintf(ack->error, sizeof(ack->error),
			 "every chunk stored: the referral is sent");
}

/* The sequence of a stored message must be set; queries have none. */
static bool
need_sequence(const ibx_header *h, ibx_ack *ack)
{
	if (h->sequence != 0)
		return (true);
	refuse(ack, IBX_ACK_INVALID,
	       "header: field \"sequence\": 0 is for queries only");
	return (false);
}

static void
key_intake(ibx_db *db, const ibx_header *h, const ibx_envelope *env,
	   const ibx_bytes *raw, const char *role, ibx_ack *ack)
{
	ibx_encryption_key k;
	ibx_problems problems;
	uint8_t digest[IBX_SHA256_LEN];
	char expect[IBX_KEY_ID_HEX + 1], seq[24], created[24], until[24];
	ibx_db_param p[8];
	ibx_db_result *res = NULL;
	ibx_err rv;

	ibx_problems_init(&problems);
	if (!decoded(ibx_encryption_key_decode(
			 env->payload.data, env->payload.len, &problems, &k),
		     "EncryptionKey", "key", &problems, ack))
		goto out;
	if (ibx_encryption_key_check(&k, &problems) != IBX_OK) {
		refuse_problems(ack, "key", &problems);
		goto out;
	}
	if (strcmp(k.organisation_code, h->sender_id) != 0) {
		refuse(ack, IBX_ACK_SENDER_MISMATCH,
		       "key refused: field \"organisation_code\": %s is not "
		       "the sender %s",
		       k.organisation_code, h->sender_id);
		goto out;
	}
	/* The key id names the key: the first 8 bytes of its SHA-256. */
	ibx_sha256(k.public_key, sizeof(k.public_key), digest);
	ibx_hex_encode(digest, IBX_KEY_ID_HEX / 2, expect);
	if (strcmp(expect, k.key_id) != 0) {
		refuse(ack, IBX_ACK_INVALID,
		       "key refused: field \"key_id\": %s is not derived from "
		       "the public key (expected %s)",
		       k.key_id, expect);
		goto out;
	}
	if (!need_sequence(h, ack))
		goto out;
	snprintf(seq, sizeof(seq), "%" PRIu64, h->sequence);
	snprintf(created, sizeof(created), "%" PRId64, k.created_at_ms);
	snprintf(until, sizeof(until), "%" PRId64, k.use_until_ms);
	p[0] = (ibx_db_param){h->sender_id, 0, false};
	p[1] = (ibx_db_param){role, 0, false};
	p[2] = (ibx_db_param){seq, 0, false};
	p[3] = (ibx_db_param){k.key_id, 0, false};
	p[4] = (ibx_db_param){(const char *)k.public_key,
			      (int)sizeof(k.public_key), true};
	p[5] = (ibx_db_param){created, 0, false};
	p[6] = (ibx_db_param){until, 0, false};
	p[7] = (ibx_db_param){(const char *)raw->data, (int)raw->len, true};
	if ((rv = ibx_db_execp(db, SQL_KEY_STORE, 8, p, &res)) != IBX_OK) {
		store_failed(db, rv, h, raw, ack);
		goto out;
	}
	store_done(res, "this key", ack);
out:
	ibx_db_result_free(res);
	ibx_problems_fini(&problems);
}

/* languages as a PostgreSQL array literal: ISO 639-1 codes, checked, so
 * no quoting is needed. */
static void
languages_array(const ibx_referral *r, char *out, size_t n)
{
	size_t i, used;

	used = (size_t)snprintf(out, n, "{");
	for (i = 0; i < r->n_languages && used < n; i++)
		used += (size_t)snprintf(out + used, n - used, "%s%s",
					 i ? "," : "", r->languages[i]);
	if (used < n)
		snprintf(out + used, n - used, "}");
}

static void
referral_intake(ibx_db *db, const ibx_header *h, const ibx_envelope *env,
		const ibx_bytes *raw, const char *role, ibx_ack *ack)
{
	ibx_referral r;
	ibx_problems problems;
	char seq[24], bytes[24], count[16];
	char langs[IBX_REFERRAL_LANGUAGES_MAX * 4 + 4];
	ibx_db_param p[17];
	ibx_db_result *res = NULL;
	ibx_err rv;

	ibx_problems_init(&problems);
	if (!decoded(ibx_referral_decode(env->payload.data, env->payload.len,
					 &problems, &r),
		     "Referral", "referral", &problems, ack))
		goto out;
	if (ibx_referral_check(&r, &problems) != IBX_OK) {
		refuse_problems(ack, "referral", &problems);
		goto out;
	}
	if (strcmp(r.receiver, h->sender_id) == 0) {
		refuse(ack, IBX_ACK_INVALID,
		       "referral refused: field \"receiver\": %s is the "
		       "sender itself",
		       r.receiver);
		goto out;
	}
	if (!need_sequence(h, ack))
		goto out;
	snprintf(seq, sizeof(seq), "%" PRIu64, h->sequence);
	snprintf(bytes, sizeof(bytes), "%" PRIu64, r.package_bytes);
	snprintf(count, sizeof(count), "%" PRIu32, r.chunk_count);
	languages_array(&r, langs, sizeof(langs));
	p[0] = (ibx_db_param){h->sender_id, 0, false};
	p[1] = (ibx_db_param){role, 0, false};
	p[2] = (ibx_db_param){seq, 0, false};
	p[3] = (ibx_db_param){r.referral_id, 0, false};
	p[4] = (ibx_db_param){r.receiver, 0, false};
	p[5] = (ibx_db_param){r.key_id, 0, false};
	p[6] = (ibx_db_param){r.purpose, 0, false};
	p[7] = (ibx_db_param){r.department, 0, false};
	p[8] = (ibx_db_param){r.treatment, 0, false};
	p[9] = (ibx_db_param){r.nationality, 0, false};
	p[10] = (ibx_db_param){r.age_band, 0, false};
	p[11] = (ibx_db_param){langs, 0, false};
	p[12] = (ibx_db_param){r.urgency, 0, false};
	p[13] = (ibx_db_param){bytes, 0, false};
	p[14] = (ibx_db_param){count, 0, false};
	p[15] = (ibx_db_param){r.answers_referral_id, 0, false};
	p[16] = (ibx_db_param){(const char *)raw->data, (int)raw->len, true};
	if ((rv = ibx_db_execp(db, SQL_REFERRAL_STORE, 17, p, &res)) !=
	    IBX_OK) {
		store_failed(db, rv, h, raw, ack);
		goto out;
	}
	store_done(res, "this referral", ack);
out:
	ibx_db_result_free(res);
	ibx_problems_fini(&problems);
}

static void
chunk_intake(ibx_db *db, const ibx_header *h, const ibx_envelope *env,
	     const ibx_bytes *raw, const char *role, ibx_ack *ack)
{
	ibx_referral_chunk c;
	ibx_problems problems;
	uint8_t digest[IBX_SHA256_LEN];
	char seq[24], idx[16];
	ibx_db_param p[7];
	ibx_db_result *res = NULL;
	ibx_err rv;

	memset(&c, 0, sizeof(c));
	ibx_problems_init(&problems);
	if (!decoded(ibx_referral_chunk_decode(
			 env->payload.data, env->payload.len, &problems, &c),
		     "ReferralChunk", "chunk", &problems, ack))
		goto out;
	if (ibx_referral_chunk_check(&c, NULL, &problems) != IBX_OK) {
		refuse_problems(ack, "chunk", &problems);
		goto out;
	}
	if (!need_sequence(h, ack))
		goto out;
	ibx_sha256(c.ciphertext, c.ciphertext_len, digest);
	snprintf(seq, sizeof(seq), "%" PRIu64, h->sequence);
	snprintf(idx, sizeof(idx), "%" PRIu32, c.index);
	p[0] = (ibx_db_param){h->sender_id, 0, false};
	p[1] = (ibx_db_param){role, 0, false};
	p[2] = (ibx_db_param){seq, 0, false};
	p[3] = (ibx_db_param){c.referral_id, 0, false};
	p[4] = (ibx_db_param){idx, 0, false};
	p[5] = (ibx_db_param){(const char *)digest, IBX_SHA256_LEN, true};
	p[6] = (ibx_db_param){(const char *)raw->data, (int)raw->len, true};
	if ((rv = ibx_db_execp_prepared(db, SQL_CHUNK_STORE, 7, p, &res)) !=
	    IBX_OK) {
		store_failed(db, rv, h, raw, ack);
		goto out;
	}
	store_done(res, "this chunk", ack);
out:
	ibx_db_result_free(res);
	ibx_referral_chunk_fini(&c);
	ibx_problems_fini(&problems);
}

/* A state as the hub stores it: the state's word, "receiving" before
 * every chunk is in. */
static const char *
state_word(ibx_referral_state s)
{
	return (s == IBX_REFERRAL_UNSPECIFIED ? STATE_RECEIVING
					      : ibx_referral_state_name(s));
}

static ibx_referral_state
state_of_word(const char *w)
{
	if (strcmp(w, STATE_RECEIVING) == 0)
		return (IBX_REFERRAL_UNSPECIFIED);
	return (ibx_referral_state_parse(w));
}

static void
status_intake(ibx_db *db, const ibx_header *h, const ibx_envelope *env,
	      const ibx_bytes *raw, const char *role, ibx_ack *ack)
{
	ibx_referral_status s;
	ibx_problems problems;
	ibx_referral_party party;
	ibx_referral_state from;
	char seq[24], pmin[24], pmax[24], detail[256];
	const char *from_word = NULL;
	bool quote;
	ibx_db_param p[14];
	ibx_db_result *res = NULL;
	ibx_err rv;

	ibx_problems_init(&problems);
	if (!decoded(ibx_referral_status_decode(
			 env->payload.data, env->payload.len, &problems, &s),
		     "ReferralStatus", "status", &problems, ack))
		goto out;
	if (ibx_referral_status_check(&s, &problems) != IBX_OK) {
		refuse_problems(ack, "status", &problems);
		goto out;
	}
	if (!need_sequence(h, ack))
		goto out;
	p[0] = (ibx_db_param){s.referral_id, 0, false};
	if ((rv = ibx_db_execp(db, SQL_GET, 1, p, &res)) != IBX_OK) {
		store_failed(db, rv, h, raw, ack);
		goto out;
	}
	/* Not a party: the same answer whether the referral exists or not. */
	if (ibx_db_result_rows(res) == 0 ||
	    (strcmp(ibx_db_result_value(res, 0, GET_RECEIVER), h->sender_id) !=
		 0 &&
	     strcmp(ibx_db_result_value(res, 0, GET_REFERRER), h->sender_id) !=
		 0)) {
		refuse(ack, IBX_ACK_INVALID,
		       "status refused: field \"referral_id\": %s is not a "
		       "referral %s sent or received",
		       s.referral_id, h->sender_id);
		goto out;
	}
	party = strcmp(ibx_db_result_value(res, 0, GET_RECEIVER),
		       h->sender_id) == 0
		    ? IBX_PARTY_RECEIVER
		    : IBX_PARTY_REFERRER;
	from = state_of_word(ibx_db_result_value(res, 0, GET_STATE));
	from_word = state_word(from);
	if (ibx_referral_transition_check(from, s.state, party, detail,
					  sizeof(detail)) != IBX_OK) {
		/* The same state again may be this status resent: the store
		 * tells a duplicate from an out-of-order one. */
		if (from != s.state) {
			refuse(ack, IBX_ACK_INVALID,
			       "status refused: %s (the referral is %s; the "
			       "sender is its %s)",
			       detail, from_word,
			       ibx_referral_party_name(party));
			goto out;
		}
		from_word = NULL;
	}
	quote = s.state == IBX_REFERRAL_QUOTE;
	snprintf(seq, sizeof(seq), "%" PRIu64, h->sequence);
	snprintf(pmin, sizeof(pmin), "%" PRId64, s.price_min_jpy);
	snprintf(pmax, sizeof(pmax), "%" PRId64, s.price_max_jpy);
	p[0] = (ibx_db_param){h->sender_id, 0, false};
	p[1] = (ibx_db_param){role, 0, false};
	p[2] = (ibx_db_param){seq, 0, false};
	p[3] = (ibx_db_param){s.referral_id, 0, false};
	p[4] = (ibx_db_param){ibx_referral_party_name(party), 0, false};
	p[5] = (ibx_db_param){from_word, 0, false};
	p[6] = (ibx_db_param){state_word(s.state), 0, false};
	p[7] = (ibx_db_param){s.reason_code, 0, false};
	p[8] = (ibx_db_param){quote ? pmin : NULL, 0, false};
	p[9] = (ibx_db_param){quote ? pmax : NULL, 0, false};
	p[10] = (ibx_db_param){s.earliest_date[0] ? s.earliest_date : NULL, 0,
			       false};
	p[11] = (ibx_db_param){s.report_referral_id, 0, false};
	p[12] =
	    (ibx_db_param){s.visit_date[0] ? s.visit_date : NULL, 0, false};
	p[13] = (ibx_db_param){(const char *)raw->data, (int)raw->len, true};
	ibx_db_result_free(res);
	res = NULL;
	if ((rv = ibx_db_execp(db, SQL_STATUS_STORE, 14, p, &res)) != IBX_OK) {
		store_failed(db, rv, h, raw, ack);
		goto out;
	}
	store_done(res, "this status", ack);
out:
	ibx_db_result_free(res);
	ibx_problems_fini(&problems);
}

static void
key_query(ibx_db *db, const ibx_envelope *env, ibx_ack *ack, ibx_bytes *reply)
{
	ibx_key_query q;
	ibx_problems problems;
	ibx_bytes ann[IBX_KEY_ANNOUNCEMENTS_MAX];
	ibx_key_reply kr;
	ibx_db_param p;
	ibx_db_result *res = NULL;
	int i, rows;

	ibx_problems_init(&problems);
	if (!decoded(ibx_key_query_decode(env->payload.data, env->payload.len,
					  &problems, &q),
		     "KeyQuery", "key query", &problems, ack))
		goto out;
	if (ibx_key_query_check(&q, &problems) != IBX_OK) {
		refuse_problems(ack, "key query", &problems);
		goto out;
	}
	p = (ibx_db_param){q.organisation_code, 0, false};
	if (ibx_db_execp_binary(db, SQL_KEYS, 1, &p, &res) != IBX_OK) {
		refuse(ack, IBX_ACK_RETRY_LATER,
		       "hub cannot read keys: retry later");
		goto out;
	}
	rows = ibx_db_result_rows(res);
	if (rows > IBX_KEY_ANNOUNCEMENTS_MAX)
		rows = IBX_KEY_ANNOUNCEMENTS_MAX;
	for (i = 0; i < rows; i++)
		ann[i] = (ibx_bytes){(uint8_t *)ibx_db_result_value(res, i, 0),
				     (size_t)ibx_db_result_length(res, i, 0)};
	kr = (ibx_key_reply){ann, (size_t)rows};
	if (ibx_key_reply_encode(&kr, reply) != IBX_OK) {
		refuse(ack, IBX_ACK_RETRY_LATER,
		       "hub cannot encode the answer: out of memory");
		goto out;
	}
	ack->status = IBX_ACK_ACCEPTED;
	snprintf(ack->error, sizeof(ack->error),
		 "%d key announcement(s) of %s", rows, q.organisation_code);
out:
	ibx_db_result_free(res);
	ibx_problems_fini(&problems);
}

static uint64_t
be64(const uint8_t *b)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | b[i];
	return (v);
}

static void
inbox_query(ibx_db *db, const ibx_header *h, const ibx_envelope *env,
	    ibx_ack *ack, ibx_bytes *reply)
{
	ibx_inbox_query q;
	ibx_problems problems;
	ibx_inbox_item *items = NULL;
	ibx_inbox_reply ir;
	char after[24], limit[16], word[32];
	ibx_db_param p[3];
	ibx_db_result *res = NULL;
	int i, rows, want;

	ibx_problems_init(&problems);
	if (!decoded(ibx_inbox_query_decode(env->payload.data,
					    env->payload.len, &problems, &q),
		     "InboxQuery", "inbox query", &problems, ack))
		goto out;
	if (ibx_inbox_query_check(&q, &problems) != IBX_OK) {
		refuse_problems(ack, "inbox query", &problems);
		goto out;
	}
	want = q.limit == 0 ? IBX_INBOX_LIMIT_MAX : (int)q.limit;
	snprintf(after, sizeof(after), "%" PRIu64, q.after);
	snprintf(limit, sizeof(limit), "%d", want + 1);
	p[0] = (ibx_db_param){h->sender_id, 0, false};
	p[1] = (ibx_db_param){after, 0, false};
	p[2] = (ibx_db_param){limit, 0, false};
	if (ibx_db_execp_binary(db, SQL_INBOX, 3, p, &res) != IBX_OK) {
		refuse(ack, IBX_ACK_RETRY_LATER,
		       "hub cannot read the inbox: retry later");
		goto out;
	}
	rows = ibx_db_result_rows(res);
	if ((items = calloc((size_t)rows + 1, sizeof(*items))) == NULL) {
		refuse(ack, IBX_ACK_RETRY_LATER, "hub out of memory");
		goto out;
	}
	for (i = 0; i < rows && i < want; i++) {
		items[i].cursor = be64((const uint8_t *)ibx_db_result_value(
		    res, i, INBOX_CURSOR));
		items[i].envelope = (ibx_bytes){
		    (uint8_t *)ibx_db_result_value(res, i, INBOX_ENVELOPE),
		    (size_t)ibx_db_result_length(res, i, INBOX_ENVELOPE)};
		snprintf(word, sizeof(word), "%.*s",
			 ibx_db_result_length(res, i, INBOX_STATE),
			 ibx_db_result_value(res, i, INBOX_STATE));
		items[i].state = state_of_word(word);
	}
	ir = (ibx_inbox_reply){items, (size_t)i, rows > want};
	if (ibx_inbox_reply_encode(&ir, reply) != IBX_OK) {
		refuse(ack, IBX_ACK_RETRY_LATER,
		       "hub cannot encode the answer: out of memory");
		goto out;
	}
	ack->status = IBX_ACK_ACCEPTED;
	snprintf(ack->error, sizeof(ack->error), "%d item(s)%s", i,
		 rows > want ? ", more follow" : "");
out:
	free(items);
	ibx_db_result_free(res);
	ibx_problems_fini(&problems);
}

static void
chunk_query(ibx_db *db, const ibx_header *h, const ibx_envelope *env,
	    ibx_ack *ack, ibx_bytes *reply)
{
	ibx_chunk_query q;
	ibx_problems problems;
	char idx[16];
	ibx_db_param p[3];
	ibx_db_result *res = NULL;
	size_t len;

	ibx_problems_init(&problems);
	if (!decoded(ibx_chunk_query_decode(env->payload.data,
					    env->payload.len, &problems, &q),
		     "ChunkQuery", "chunk query", &problems, ack))
		goto out;
	if (ibx_chunk_query_check(&q, &problems) != IBX_OK) {
		refuse_problems(ack, "chunk query", &problems);
		goto out;
	}
	snprintf(idx, sizeof(idx), "%" PRIu32, q.index);
	p[0] = (ibx_db_param){h->sender_id, 0, false};
	p[1] = (ibx_db_param){q.referral_id, 0, false};
	p[2] = (ibx_db_param){idx, 0, false};
	if (ibx_db_execp_binary(db, SQL_CHUNK, 3, p, &res) != IBX_OK) {
		refuse(ack, IBX_ACK_RETRY_LATER,
		       "hub cannot read chunks: retry later");
		goto out;
	}
	/* Only the receiver learns that the referral exists. */
	if (ibx_db_result_rows(res) == 0) {
		refuse(ack, IBX_ACK_INVALID,
		       "chunk query refused: field \"referral_id\": no "
		       "referral %s with chunk %s for %s",
		       q.referral_id, idx, h->sender_id);
		goto out;
	}
	if (ibx_db_result_isnull(res, 0, CHUNK_ENVELOPE)) {
		refuse(ack, IBX_ACK_INVALID,
		       "chunk query refused: the chunks of referral %s were "
		       "deleted at the hub (%.*s)",
		       q.referral_id,
		       ibx_db_result_length(res, 0, CHUNK_DELETED),
		       ibx_db_result_value(res, 0, CHUNK_DELETED));
		goto out;
	}
	len = (size_t)ibx_db_result_length(res, 0, CHUNK_ENVELOPE);
	if ((reply->data = malloc(len)) == NULL) {
		refuse(ack, IBX_ACK_RETRY_LATER, "hub out of memory");
		goto out;
	}
	memcpy(reply->data, ibx_db_result_value(res, 0, CHUNK_ENVELOPE), len);
	reply->len = len;
	ack->status = IBX_ACK_ACCEPTED;
out:
	ibx_db_result_free(res);
	ibx_problems_fini(&problems);
}

bool
hub_referral_is_query(ibx_payload_type t)
{
	return (t == IBX_PAYLOAD_KEY_QUERY || t == IBX_PAYLOAD_INBOX_QUERY ||
		t == IBX_PAYLOAD_CHUNK_QUERY);
}

void
hub_referral_intake(ibx_db *db, const ibx_header *h, const ibx_envelope *env,
		    const ibx_bytes *raw, const char *role, ibx_ack *ack,
		    ibx_bytes *reply)
{
	if (db == NULL) {
		refuse(ack, IBX_ACK_RETRY_LATER,
		       "this hub runs without a database: referrals are not "
		       "served");
		return;
	}
	switch (h->payload_type) {
	case IBX_PAYLOAD_ENCRYPTION_KEY:
		key_intake(db, h, env, raw, role, ack);
		break;
	case IBX_PAYLOAD_REFERRAL:
		referral_intake(db, h, env, raw, role, ack);
		break;
	case IBX_PAYLOAD_REFERRAL_CHUNK:
		chunk_intake(db, h, env, raw, role, ack);
		break;
	case IBX_PAYLOAD_REFERRAL_STATUS:
		status_intake(db, h, env, raw, role, ack);
		break;
	case IBX_PAYLOAD_KEY_QUERY:
		key_query(db, env, ack, reply);
		break;
	case IBX_PAYLOAD_INBOX_QUERY:
		inbox_query(db, h, env, ack, reply);
		break;
	case IBX_PAYLOAD_CHUNK_QUERY:
		chunk_query(db, h, env, ack, reply);
		break;
	default:
		refuse(ack, IBX_ACK_UNKNOWN_PAYLOAD,
		       "header: field \"payload_type\": %d is not a referral "
		       "payload",
		       (int)h->payload_type);
		break;
	}
}
