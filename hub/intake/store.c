/* Message log and listing writes; see store.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "store.h"
#include "text.h"

static const char SQL_STORE_LISTING[] =
    "SELECT ibx_store_hospital_listing($1, $2::jsonb, $3::bigint, $4, $5, "
    "$6, $7)";
static const char SQL_STORE_COORDINATOR[] =
    "SELECT ibx_store_coordinator_listing($1, $2::jsonb, $3::bigint, $4)";
/* Both store statements answer one column, the listing version. */
enum { STORE_VERSION };
static const char SQL_ACCEPTED_VERSION[] =
    "SELECT ibx_accepted_version($1, $2::bigint, sha256($3))";
enum { ACCEPTED_VERSION };
static const char SQL_LOG_REFUSAL[] =
    "SELECT ibx_intake_log_refusal($1, $2::bigint, $3::integer, $4, "
    "$5::integer, $6, $7)";

/* After a replay refusal: was it this very envelope, accepted before?
 * 1 yes (*version its listing version, or 0), 0 no, -1 when the lookup
 * failed (then nobody knows: never "replay", a final refusal, for an
 * envelope that may be stored). */
static int
accepted_before(ibx_db *db, const char *code, const char *seq,
		const ibx_bytes *envelope, int32_t *version)
{
	ibx_db_param p[3];
	ibx_db_result *res = NULL;
	int found = 0;

	p[0] = (ibx_db_param){code, 0, false};
	p[1] = (ibx_db_param){seq, 0, false};
	p[2] = (ibx_db_param){(const char *)envelope->data, (int)envelope->len,
			      true};
	if (ibx_db_execp(db, SQL_ACCEPTED_VERSION, 3, p, &res) != IBX_OK)
		found = -1;
	else if (ibx_db_result_rows(res) == 1 &&
		 !ibx_db_result_isnull(res, 0, ACCEPTED_VERSION)) {
		*version = (int32_t)strtol(
		    ibx_db_result_value(res, 0, ACCEPTED_VERSION), NULL, 10);
		found = 1;
	}
	ibx_db_result_free(res);
	return (found);
}

/* The Ack status for a store that failed with rv, sqlstate state and the
 * server's message msg (copied first: the next query on db replaces
 * both); db asks whether a replay is this very envelope. */
static ibx_ack_status
translate_state(ibx_db *db, ibx_err rv, const char *state, const char *msg,
		const char *code, const char *seq, const ibx_bytes *envelope,
		int32_t *version, char *err, size_t n)
{
	/* A listing's enrolment refusals (ibx_listing_intake). */
	static const struct {
		const char *state;
		ibx_ack_status status;
	} enrolment[] = {{"IBX03", IBX_ACK_BAD_CERTIFICATE},
			 {"IBX04", IBX_ACK_SENDER_MISMATCH},
			 {"IBX05", IBX_ACK_CERT_REVOKED}};
	char st[6];
	int32_t original = 0;
	size_t i;
	int found;

	snprintf(st, sizeof(st), "%s", state);
	if (rv == IBX_EDB && strcmp(st, "IBX01") == 0) {
		/* The reason first: the next query replaces it. */
		snprintf(err, n, "header: field \"sequence\": %s", msg);
		found = accepted_before(db, code, seq, envelope, &original);
		if (found < 0) {
			snprintf(err, n,
				 "hub cannot tell whether sequence %s was "
				 "accepted before: send it again later",
				 seq);
			return (IBX_ACK_RETRY_LATER);
		}
		if (found > 0) {
			/* Version 0: not a listing (statistics, a key, a
			 * referral), which has no version to name. */
			if (original > 0)
				snprintf(err, n,
					 "already accepted (listing version "
					 "%d); nothing stored again",
					 original);
			else
				snprintf(err, n,
					 "already accepted; nothing stored "
					 "again");
			if (version != NULL)
				*version = original;
			return (IBX_ACK_DUPLICATE);
		}
		return (IBX_ACK_REPLAY);
	}
	if (rv == IBX_EDB && strcmp(st, "IBX02") == 0) {
		snprintf(err, n, "%s", msg);
		return (IBX_ACK_ROLE_FORBIDDEN);
	}
	for (i = 0;
	     rv == IBX_EDB && i < sizeof(enrolment) / sizeof(enrolment[0]);
	     i++)
		if (strcmp(st, enrolment[i].state) == 0) {
			snprintf(err, n, "%s", msg);
			return (enrolment[i].status);
		}
	if (rv == IBX_EDB && hub_store_error_final(st)) {
		/* The same message would fail the same way every time: a
		 * retried one would block its spoke's outbox for ever (issue
		 * 14, finding 3). */
		snprintf(err, n,
			 "hub refused to store the message (SQLSTATE %s): %s",
			 st, msg);
		return (IBX_ACK_INVALID);
	}
	snprintf(err, n,
		 "hub could not store the message (%s): send it again later",
		 ibx_strerror(rv));
	return (IBX_ACK_RETRY_LATER);
}

ibx_ack_status
hub_store_translate(ibx_db *db, ibx_err rv, const char *code, const char *seq,
		    const ibx_bytes *envelope, int32_t *version, char *err,
		    size_t n)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", ibx_db_last_error(db));
	return (translate_state(db, rv, ibx_db_sqlstate(db), msg, code, seq,
				envelope, version, err, n));
}

ibx_ack_status
hub_store_listing(ibx_db *db, hub_batcher *batcher, const hub_listing_store *s,
		  int32_t *version, char *err, size_t n)
{
	char seq[24];
	hub_batch_job job;

	snprintf(seq, sizeof(seq), "%" PRIu64, s->sequence);
	memset(&job, 0, sizeof(job));
	job.fingerprint = s->fingerprint;
	job.code = s->code;
	job.role = s->role;
	job.payload_type = s->payload_type;
	job.doc = s->doc;
	job.sequence = seq;
	job.envelope = s->envelope->data;
	job.envelope_len = s->envelope->len;
	if (hub_batch_store(batcher, db, &job) != IBX_OK)
		return (translate_state(db, job.rv, job.state, job.message,
					s->code, seq, s->envelope, version,
					err, n));
	if (job.state[0] != '\0')
		/* Refused in the statement: nothing of it was stored. */
		return (translate_state(db, IBX_EDB, job.state, job.message,
					s->code, seq, s->envelope, version,
					err, n));
	*version = job.version;
	return (IBX_ACK_ACCEPTED);
}

bool
hub_store_error_final(const char *sqlstate)
{
	/* Classes that depend on the server's state, not on the message
	 * (PostgreSQL, Appendix A): connection (08), transaction rollback:
	 * serialization failure, deadlock (40), insufficient resources:
	 * disk full, out of memory (53), object not in prerequisite state:
	 * lock not available (55), operator intervention: shutdown (57),
	 * system error (58), internal error (XX), and access rules (42:
	 * a missing grant is the operator's to fix; the message is fine). */
	static const char *const transient[] = {"08", "40", "53", "55",
						"57", "58", "XX", "42"};
	size_t i;

	if (sqlstate == NULL || strlen(sqlstate) != 5)
		return (false);
	for (i = 0; i < sizeof(transient) / sizeof(transient[0]); i++)
		if (strncmp(sqlstate, transient[i], 2) == 0)
			return (false);
	return (true);
}

ibx_ack_status
hub_store_hospital_listing(ibx_db *db, const char *code, const char *doc,
			   uint64_t sequence, const ibx_bytes *envelope,
			   int32_t *version, char *err, size_t n)
{
	char seq[24], ptype[8], status[8];
	ibx_db_param p[7];
	ibx_db_result *res = NULL;
	ibx_err rv;

	snprintf(seq, sizeof(seq), "%" PRIu64, sequence);
	snprintf(ptype, sizeof(ptype), "%d", IBX_PAYLOAD_HOSPITAL_LISTING);
	snprintf(status, sizeof(status), "%d", IBX_ACK_ACCEPTED);
	p[0] = (ibx_db_param){code, 0, false};
	p[1] = (ibx_db_param){doc, 0, false};
	p[2] = (ibx_db_param){seq, 0, false};
	p[3] = (ibx_db_param){ptype, 0, false};
	p[4] = (ibx_db_param){(const char *)envelope->data, (int)envelope->len,
			      true};
	p[5] = (ibx_db_param){status, 0, false};
	p[6] = (ibx_db_param){ibx_ack_status_name(IBX_ACK_ACCEPTED), 0, false};
	rv = ibx_db_execp_prepared(db, SQL_STORE_LISTING, 7, p, &res);
	if (rv != IBX_OK)
		return (hub_store_translate(db, rv, code, seq, envelope,
					    version, err, n));
	*version = (int32_t)strtol(ibx_db_result_value(res, 0, STORE_VERSION),
				   NULL, 10);
	ibx_db_result_free(res);
	return (IBX_ACK_ACCEPTED);
}

ibx_ack_status
hub_store_coordinator_listing(ibx_db *db, const char *code, const char *doc,
			      uint64_t sequence, const ibx_bytes *envelope,
			      int32_t *version, char *err, size_t n)
{
	char seq[24];
	ibx_db_param p[4];
	ibx_db_result *res = NULL;
	ibx_err rv;

	snprintf(seq, sizeof(seq), "%" PRIu64, sequence);
	p[0] = (ibx_db_param){code, 0, false};
	p[1] = (ibx_db_param){doc, 0, false};
	p[2] = (ibx_db_param){seq, 0, false};
	p[3] = (ibx_db_param){(const char *)envelope->data, (int)envelope->len,
			      true};
	if ((rv = ibx_db_execp_prepared(db, SQL_STORE_COORDINATOR, 4, p,
					&res)) != IBX_OK)
		return (hub_store_translate(db, rv, code, seq, envelope,
					    version, err, n));
	*version = (int32_t)strtol(ibx_db_result_value(res, 0, STORE_VERSION),
				   NULL, 10);
	ibx_db_result_free(res);
	return (IBX_ACK_ACCEPTED);
}

void
hub_store_refusal(ibx_db *db, const char *sender, const char *claimed,
		  bool have_header, uint64_t sequence, int payload_type,
		  const uint8_t *envelope, size_t len, ibx_ack_status status,
		  const char *reason)
{
	char seq[24], ptype[12], st[12], why[1024], who[96], *text = NULL;
	ibx_db_param p[7];
	size_t tlen;

	snprintf(seq, sizeof(seq), "%" PRIu64, sequence);
	snprintf(ptype, sizeof(ptype), "%d", payload_type);
	snprintf(st, sizeof(st), "%d", (int)status);
	ibx_text_escape(why, sizeof(why), reason, strlen(reason));
	if (sender == NULL && claimed != NULL) {
		ibx_text_escape(who, sizeof(who), claimed, strlen(claimed));
		tlen = strlen(why) + strlen(who) + 64;
		if ((text = malloc(tlen)) != NULL)
			snprintf(text, tlen,
				 "%s (claimed sender \"%s\", not "
				 "verified)",
				 why, who);
	}
	p[0] = (ibx_db_param){sender, 0, false};
	p[1] = (ibx_db_param){have_header ? seq : NULL, 0, false};
	p[2] = (ibx_db_param){have_header ? ptype : NULL, 0, false};
	p[3] = (ibx_db_param){(const char *)envelope, (int)len, true};
	p[4] = (ibx_db_param){st, 0, false};
	p[5] = (ibx_db_param){ibx_ack_status_name(status), 0, false};
	p[6] = (ibx_db_param){text != NULL ? text : why, 0, false};
	if (ibx_db_execp(db, SQL_LOG_REFUSAL, 7, p, NULL) != IBX_OK)
		IBX_WARN("intake: could not log refusal of %s",
			 sender ? sender : "(unverified sender)");
	free(text);
}
