/* Envelope verification; see verify.h. */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "verify.h"

/* Through functions: the intake's role may call nothing else
 * (deploy/sql/migrations/027_roles.sql). */
static const char SQL_CERT_BY_FINGERPRINT[] =
    "SELECT der FROM ibx_intake_certificate($1)";
enum { CERT_DER };
static const char SQL_ENROLMENT[] =
    "SELECT org_code, revoked, role FROM ibx_intake_enrolment($1)";
enum { ENROLMENT_ORG, ENROLMENT_REVOKED, ENROLMENT_ROLE };

/* The referral channel's payloads (docs/referrals.md): every party
 * announces a key (a referrer gets reports back sealed to it), asks and
 * answers; who may refer whom, and which status, is checked when storing
 * (referral.c). */
static int
referral_payload(ibx_payload_type t)
{
	return (t >= IBX_PAYLOAD_ENCRYPTION_KEY &&
		t <= IBX_PAYLOAD_CHUNK_QUERY);
}

int
hub_verify_role_allows(const char *role, ibx_payload_type t)
{
	if (strcmp(role, "hospital") == 0)
		return (t == IBX_PAYLOAD_HOSPITAL_LISTING ||
			t == IBX_PAYLOAD_CASE_STATISTICS ||
			t == IBX_PAYLOAD_WITHDRAW || referral_payload(t));
	if (strcmp(role, "coordinator") == 0)
		return (t == IBX_PAYLOAD_COORDINATOR_LISTING ||
			t == IBX_PAYLOAD_WITHDRAW || referral_payload(t));
	/* A partner (a hospital abroad) lists nothing and sends no
	 * statistics: it refers. */
	if (strcmp(role, "partner") == 0)
		return (referral_payload(t));
	return (0);
}

static int
payload_known(ibx_payload_type t)
{
	return (t == IBX_PAYLOAD_HOSPITAL_LISTING ||
		t == IBX_PAYLOAD_COORDINATOR_LISTING ||
		t == IBX_PAYLOAD_CASE_STATISTICS ||
		t == IBX_PAYLOAD_WITHDRAW || referral_payload(t));
}

static ibx_ack_status
verdict_status(ibx_cert_verdict verdict, const char *detail, char *err,
	       size_t n)
{
	switch (verdict) {
	case IBX_CERT_OK:
		return (IBX_ACK_ACCEPTED);
	case IBX_CERT_EXPIRED:
		snprintf(err, n, "certificate: expired (%s)", detail);
		return (IBX_ACK_CERT_EXPIRED);
	case IBX_CERT_NOT_YET_VALID:
		snprintf(err, n, "certificate: not yet valid (%s)", detail);
		return (IBX_ACK_CERT_NOT_YET_VALID);
	case IBX_CERT_REVOKED:
		snprintf(err, n, "certificate: revoked by the national CA");
		return (IBX_ACK_CERT_REVOKED);
	case IBX_CERT_UNTRUSTED:
		break;
	}
	snprintf(err, n, "certificate: not issued by the national CA (%s)",
		 detail);
	return (IBX_ACK_BAD_CERTIFICATE);
}

/* The certificate the header names (its DER, or the SHA-256 of an enrolled
 * one), parsed and checked against the CA and CRL at now_ms (check 1),
 * through the trust store's cache of good verdicts (crypto.h). */
static ibx_ack_status
open_cert(const hub_verifier *v, ibx_db *db, const ibx_header *h,
	  int64_t now_ms, ibx_cert **out, char *err, size_t n)
{
	time_t now = (time_t)(now_ms / 1000);
	const uint8_t *der = h->cert.data;
	size_t len = h->cert.len;
	ibx_db_param p;
	ibx_db_result *res = NULL;
	ibx_cert_verdict verdict;
	ibx_ack_status st;
	char detail[128];

	if (h->cert.len == 0) {
		snprintf(err, n, "header: field \"cert\": is required");
		return (IBX_ACK_BAD_CERTIFICATE);
	}
	if (h->cert.len == IBX_SHA256_LEN) {
		if (ibx_trust_cached(v->trust, h->cert.data, now, out))
			return (IBX_ACK_ACCEPTED);
		p = (ibx_db_param){(const char *)h->cert.data, IBX_SHA256_LEN,
				   true};
		if (db == NULL) {
			der = NULL;
		} else if (ibx_db_execp_binary(db, SQL_CERT_BY_FINGERPRINT, 1,
					       &p, &res) != IBX_OK) {
			snprintf(err, n,
				 "hub cannot read enrolments: retry later");
			return (IBX_ACK_RETRY_LATER);
		} else if (ibx_db_result_rows(res) == 0) {
			der = NULL;
		} else {
			der = (const uint8_t *)ibx_db_result_value(res, 0,
								   CERT_DER);
			len = (size_t)ibx_db_result_length(res, 0, CERT_DER);
		}
	}
	if (der == NULL ||
	    ibx_trust_check_der(v->trust, der, len, now, out, &verdict, detail,
				sizeof(detail)) != IBX_OK) {
		if (h->cert.len == IBX_SHA256_LEN)
			snprintf(err, n,
				 "header: field \"cert\": no enrolled "
				 "certificate has this SHA-256");
		else
			snprintf(err, n,
				 "header: field \"cert\": not a DER "
				 "X.509 certificate");
		ibx_db_result_free(res);
		return (IBX_ACK_BAD_CERTIFICATE);
	}
	ibx_db_result_free(res);
	if ((st = verdict_status(verdict, detail, err, n)) !=
	    IBX_ACK_ACCEPTED) {
		ibx_cert_free(*out);
		*out = NULL;
	}
	return (st);
}

/* The certificate must be enrolled to the organisation it names, and not
 * revoked at the hub. */
static ibx_ack_status
check_enrolment(ibx_db *db, const ibx_cert *c, const char *code,
		const char *role, char *err, size_t n)
{
	uint8_t fp[IBX_SHA256_LEN];
	ibx_db_param p;
	ibx_db_result *res = NULL;
	ibx_ack_status st = IBX_ACK_ACCEPTED;

	ibx_cert_fingerprint(c, fp);
	p = (ibx_db_param){(const char *)fp, IBX_SHA256_LEN, true};
	if (ibx_db_execp_prepared(db, SQL_ENROLMENT, 1, &p, &res) != IBX_OK) {
		snprintf(err, n, "hub cannot read enrolments: retry later");
		return (IBX_ACK_RETRY_LATER);
	}
	if (ibx_db_result_rows(res) == 0) {
		snprintf(err, n, "certificate: %s is not enrolled at the hub",
			 code);
		st = IBX_ACK_BAD_CERTIFICATE;
	} else if (strcmp(ibx_db_result_value(res, 0, ENROLMENT_ORG), code) !=
		   0) {
		snprintf(err, n,
			 "certificate: enrolled to another "
			 "organisation");
		st = IBX_ACK_SENDER_MISMATCH;
	} else if (strcmp(ibx_db_result_value(res, 0, ENROLMENT_REVOKED),
			  "t") == 0) {
		snprintf(err, n, "certificate: revoked at the hub");
		st = IBX_ACK_CERT_REVOKED;
	} else if (strcmp(ibx_db_result_value(res, 0, ENROLMENT_ROLE), role) !=
		   0) {
		snprintf(err, n,
			 "certificate: role %s differs from the "
			 "enrolled role %s",
			 role, ibx_db_result_value(res, 0, ENROLMENT_ROLE));
		st = IBX_ACK_ROLE_FORBIDDEN;
	}
	ibx_db_result_free(res);
	return (st);
}

/* A listing's enrolment may be checked by the statement that stores it
 * (ibx_listing_intake), the same round trip. */
static bool
enrolment_deferrable(ibx_payload_type t)
{
	return (t == IBX_PAYLOAD_HOSPITAL_LISTING ||
		t == IBX_PAYLOAD_COORDINATOR_LISTING);
}

static ibx_ack_status
verify_envelope(const hub_verifier *v, ibx_db *db, const ibx_header *h,
		const ibx_envelope *e, int64_t now_ms, bool defer,
		char role[16], uint8_t fp[IBX_SHA256_LEN], bool *deferred,
		char *err, size_t n)
{
	ibx_cert *cert = NULL;
	char code[32];
	int64_t skew;
	ibx_ack_status st;

	if (e->signature.len == 0) {
		snprintf(err, n,
			 "envelope: field \"signature\": is empty "
			 "(unsigned messages are refused)");
		return (IBX_ACK_UNSIGNED);
	}
	if ((st = open_cert(v, db, h, now_ms, &cert, err, n)) !=
	    IBX_ACK_ACCEPTED)
		return (st);
	if (ibx_verify(cert, &e->header, &e->payload, &e->signature) !=
	    IBX_OK) {
		snprintf(err, n,
			 "envelope: field \"signature\": does not "
			 "verify over header and payload");
		st = IBX_ACK_BAD_SIGNATURE;
		goto out;
	}
	if (h->schema_version != IBX_SCHEMA_VERSION) {
		snprintf(
		    err, n,
		    "header: field \"schema_version\": %u is not supported "
		    "(expected %d)",
		    h->schema_version, IBX_SCHEMA_VERSION);
		st = IBX_ACK_UNSUPPORTED_SCHEMA;
		goto out;
	}
	if (ibx_cert_identity(cert, code, role) != IBX_OK) {
		snprintf(err, n,
			 "certificate: subject lacks an organisation "
			 "code (CN) or role (OU)");
		st = IBX_ACK_BAD_CERTIFICATE;
		goto out;
	}
	if (strcmp(code, h->sender_id) != 0) {
		snprintf(err, n,
			 "header: field \"sender_id\": %.31s is not the "
			 "certificate's organisation %s",
			 h->sender_id, code);
		st = IBX_ACK_SENDER_MISMATCH;
		goto out;
	}
	/* Without a database (inbound-hub serve --no-db, a benchmark
	 * only) nothing is enrolled to look up.  A deferred check is the
	 * caller's to make with the store (hub_verify_envelope_deferred). */
	if (fp != NULL)
		ibx_cert_fingerprint(cert, fp);
	if (defer && db != NULL && enrolment_deferrable(h->payload_type))
		*deferred = true;
	else if (db != NULL && (st = check_enrolment(db, cert, code, role, err,
						     n)) != IBX_ACK_ACCEPTED)
		goto out;
	if (!payload_known(h->payload_type)) {
		snprintf(err, n,
			 "header: field \"payload_type\": %d is not accepted",
			 (int)h->payload_type);
		st = IBX_ACK_UNKNOWN_PAYLOAD;
		goto out;
	}
	if (!hub_verify_role_allows(role, h->payload_type)) {
		snprintf(err, n,
			 "header: field \"payload_type\": a %s may not send "
			 "payload type %d",
			 role, (int)h->payload_type);
		st = IBX_ACK_ROLE_FORBIDDEN;
		goto out;
	}
	skew = now_ms - h->created_at_ms;
	if (skew > HUB_VERIFY_MAX_AGE_MS || skew < -v->skew_ms) {
		snprintf(
		    err, n,
		    "header: field \"created_at_ms\": %lld ms from the hub's "
		    "clock (at most %lld ms ahead, %lld ms old)",
		    (long long)skew, (long long)v->skew_ms,
		    (long long)HUB_VERIFY_MAX_AGE_MS);
		st = IBX_ACK_CLOCK_SKEW;
		goto out;
	}
	st = IBX_ACK_ACCEPTED;
out:
	ibx_cert_free(cert);
	return (st);
}

ibx_ack_status
hub_verify_envelope(const hub_verifier *v, ibx_db *db, const ibx_header *h,
		    const ibx_envelope *e, int64_t now_ms, char role[16],
		    char *err, size_t n)
{
	return (verify_envelope(v, db, h, e, now_ms, false, role, NULL, NULL,
				err, n));
}

ibx_ack_status
hub_verify_envelope_deferred(const hub_verifier *v, ibx_db *db,
			     const ibx_header *h, const ibx_envelope *e,
			     int64_t now_ms, char role[16],
			     uint8_t fp[IBX_SHA256_LEN], bool *deferred,
			     char *err, size_t n)
{
	*deferred = false;
	return (verify_envelope(v, db, h, e, now_ms, true, role, fp, deferred,
				err, n));
}
