/*
 * Opening an envelope: who sent it and whether it is intact.  In order,
 * nothing in the header being trusted before the signature is checked:
 *   1. the certificate (DER in the header, or the SHA-256 of an enrolled
 *      one) parses, chains to the national CA, is within its validity
 *      dates and not on the CRL;
 *   2. the signature over the exact bytes header || payload is valid;
 *   3. the schema version is supported;
 *   4. the sender_id equals the certificate's organisation code, and the
 *      certificate is enrolled at the hub and not revoked there;
 *   5. the payload type is known and the certificate's role may send it;
 *   6. created_at is neither ahead of the hub's clock by more than the
 *      skew window (5 minutes) nor older than the delivery window (7 days:
 *      a spoke's durable outbox may hold an envelope through an outage;
 *      replays are stopped by the sequence, not by age).
 * The sequence (replay) is checked when storing, in the same transaction.
 * Follows the X-Road security server's rule: fail closed, every refusal with
 * its own status.
 */
#ifndef HUB_VERIFY_H
#define HUB_VERIFY_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "crypto.h"
#include "db.h"
#include "wire.h"

/* Default delivery window (how old an envelope may be), milliseconds. */
#define HUB_VERIFY_MAX_AGE_MS (7LL * 24 * 3600 * 1000)

/* Default clock-skew window, milliseconds. */
#define HUB_VERIFY_SKEW_MS (5 * 60 * 1000)

typedef struct hub_verifier {
	ibx_trust *trust; /* national CA and CRL; not owned */
	int64_t skew_ms;  /* clock-skew window (ahead of the hub) */
} hub_verifier;

/* hub_verify_envelope: run checks 1-6 on a decoded header h of envelope e
 * at time now_ms (Unix ms), using db for enrolment.  Returns
 * IBX_ACK_ACCEPTED when every check passes (and writes the sender's role,
 * "hospital", "coordinator" or "partner", to role), or the refusal status with
 * a message naming the field in err (n bytes).  IBX_ACK_RETRY_LATER when the
 * database cannot be asked.  db NULL (inbound-hub serve --no-db, a
 * benchmark mode) skips the enrolment check and refuses a certificate given
 * by its SHA-256 unless the trust store's cache holds it.  Check 1 goes
 * through the trust store's cache of good verdicts (ibx_trust_check_der). */
ibx_ack_status hub_verify_envelope(const hub_verifier *v, ibx_db *db,
				   const ibx_header *h, const ibx_envelope *e,
				   int64_t now_ms, char role[16], char *err,
				   size_t n);

/* hub_verify_envelope_deferred: as hub_verify_envelope, except that for a
 * hospital or coordinator listing with a database the enrolment check
 * (check 4's second half) is left to the statement that stores it
 * (ibx_listing_intake, deploy/sql/functions: the same checks, the same
 * refusal texts, one database round trip fewer per update; issue 18).
 * Then *deferred is true and the caller MUST store through
 * hub_store_listing, which makes the check; otherwise *deferred is false
 * and every check was made here.  On IBX_ACK_ACCEPTED fp holds the
 * SHA-256 of the signing certificate (the enrolment's key).  A listing
 * from an organisation not enrolled is thus refused after its payload's
 * own checks, not before. */
ibx_ack_status hub_verify_envelope_deferred(
    const hub_verifier *v, ibx_db *db, const ibx_header *h,
    const ibx_envelope *e, int64_t now_ms, char role[16],
    uint8_t fp[IBX_SHA256_LEN], bool *deferred, char *err, size_t n);

/* hub_verify_role_allows: true when an organisation of role may send
 * payload type t (hospitals: hospital listings, case statistics, withdraw;
 * coordinators: coordinator listings, withdraw; partners, hospitals abroad:
 * nothing but the referral channel, which all three use: types 5-11). */
int hub_verify_role_allows(const char *role, ibx_payload_type t);

#endif /* HUB_VERIFY_H */
