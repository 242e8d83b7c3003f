/*
 * The hub's writes: the message log and listing versions.  Each store is one
 * transaction (a SQL function in deploy/sql/functions), so an acknowledged
 * message is committed whole and a refused one leaves only its message-log
 * row.
 */
#ifndef HUB_STORE_H
#define HUB_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "db.h"
#include "err.h"
#include "wire.h"

/* hub_store_hospital_listing: store a checked listing (doc: its JSON text,
 * owned by the caller) carried by envelope (the exact received bytes) with
 * the sender's sequence, in one transaction that also accepts the sequence.
 * Returns IBX_ACK_ACCEPTED with *version the listing version now current;
 * IBX_ACK_DUPLICATE with the original *version when this very envelope was
 * accepted before (nothing stored again); IBX_ACK_REPLAY when the sequence
 * is not greater than the last accepted; IBX_ACK_ROLE_FORBIDDEN when the
 * sender is not enrolled as a hospital; IBX_ACK_RETRY_LATER when the
 * database failed (nothing stored; the spoke sends again).  err (n bytes)
 * says why for every refusal. */
ibx_ack_status hub_store_hospital_listing(ibx_db *db, const char *code,
					  const char *doc, uint64_t sequence,
					  const ibx_bytes *envelope,
					  int32_t *version, char *err,
					  size_t n);

/* A verified listing envelope whose enrolment check is still to make
 * (hub_verify_envelope_deferred); every pointer is the caller's. */
typedef struct hub_listing_store {
	const uint8_t *fingerprint; /* SHA-256 of the signing certificate */
	const char *code;	    /* the verified sender */
	const char *role;	    /* the certificate's role (OU) */
	int payload_type;  /* IBX_PAYLOAD_HOSPITAL_LISTING or _COORDINATOR_ */
	const char *doc;   /* the checked listing's JSON */
	uint64_t sequence; /* the header's */
	const ibx_bytes *envelope; /* the exact received bytes */
} hub_listing_store;

/* hub_store_listing: the enrolment check and the store of s in one
 * statement, one database round trip (ibx_listing_intake), through the
 * group commit of batcher (batch.h; NULL: its own transaction on db, the
 * calling worker's connection).  Returns what hub_store_hospital_listing
 * returns, and for a certificate not enrolled IBX_ACK_BAD_CERTIFICATE,
 * enrolled to another organisation IBX_ACK_SENDER_MISMATCH, revoked at the
 * hub IBX_ACK_CERT_REVOKED, an enrolled role other than the certificate's
 * IBX_ACK_ROLE_FORBIDDEN (the refusal texts of verify.c's check).  Accepted
 * only once durable (committed); err (n bytes) says why for every
 * refusal. */
ibx_ack_status hub_store_listing(ibx_db *db, hub_batcher *batcher,
				 const hub_listing_store *s, int32_t *version,
				 char *err, size_t n);

/* hub_store_coordinator_listing: as hub_store_hospital_listing, for a
 * coordinator's listing (role coordinator). */
ibx_ack_status
hub_store_coordinator_listing(ibx_db *db, const char *code, const char *doc,
			      uint64_t sequence, const ibx_bytes *envelope,
			      int32_t *version, char *err, size_t n);

/* hub_store_statistics: store a checked case-statistics submission carried
 * by envelope with the sender's sequence, replacing the hospital's previous
 * submission for the period (kept as history).  Returns IBX_ACK_ACCEPTED
 * with the import summary in *sum (imported, updated, unchanged, deleted
 * cells; identical content stores nothing new), or a refusal as
 * hub_store_hospital_listing does, with the reason in err (n bytes). */
ibx_ack_status hub_store_statistics(ibx_db *db, const ibx_case_statistics *s,
				    uint64_t sequence,
				    const ibx_bytes *envelope,
				    ibx_import_summary *sum, char *err,
				    size_t n);

/* hub_store_translate: the Ack status for a failed store (rv from the
 * database): a replayed sequence is IBX_ACK_DUPLICATE when this very
 * envelope (code, seq as decimal text) was accepted before (its listing
 * version, or 0, goes to *version when not NULL) and IBX_ACK_REPLAY
 * otherwise; an organisation not enrolled in the sender's role is
 * IBX_ACK_ROLE_FORBIDDEN; a deterministic database error (a value out of
 * range, a constraint: hub_store_error_final) is IBX_ACK_INVALID, final,
 * with its SQLSTATE and message; a lost connection or another transient
 * error IBX_ACK_RETRY_LATER.  The reason goes to err.  Shared by the
 * store_*.c files. */
ibx_ack_status hub_store_translate(ibx_db *db, ibx_err rv, const char *code,
				   const char *seq, const ibx_bytes *envelope,
				   int32_t *version, char *err, size_t n);

/* hub_store_error_final: true when a statement that failed with sqlstate
 * (5 characters) would fail again with the same message, so the message is
 * refused for good: data exceptions such as numeric overflow (class 22),
 * integrity constraints (23), raised exceptions (P0) and every class not
 * known to be transient.  False for the transient classes (08 connection,
 * 40 serialization and deadlock, 53 resources, 55 lock, 57 shutdown, 58
 * system, XX internal) and 42 (grants: the operator's to fix), and for a
 * missing or malformed sqlstate. */
bool hub_store_error_final(const char *sqlstate);

/* hub_store_refusal: log a refused envelope with its status and reason.
 * sender is the organisation of the VERIFIED certificate, or NULL when the
 * envelope was refused before its signer was verified; claimed is the
 * header's sender_id (NULL when unreadable), kept in the reason only when
 * it was not verified; sequence and payload_type as the header gives them
 * (have_header false: not stored).  Every text is stored escaped
 * (ibx_text_escape), so a non-UTF-8 or multi-line claim cannot make the log
 * write fail or forge a line (issue 14, finding 5).  Best effort: a
 * failure is logged, not returned. */
void hub_store_refusal(ibx_db *db, const char *sender, const char *claimed,
		       bool have_header, uint64_t sequence, int payload_type,
		       const uint8_t *envelope, size_t len,
		       ibx_ack_status status, const char *reason);

#endif /* HUB_STORE_H */
