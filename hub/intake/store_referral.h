/*
 * The hub's store and forward for the referral channel (issue 15,
 * docs/referrals.md): what intake.c does with payload types 5 to 11 once
 * the envelope is verified (verify.c: chain, CRL, signature, sender,
 * enrolment, role, clock).  The hub sees metadata and ciphertext only:
 *
 *   EncryptionKey   stored whole, as signed (deploy/sql/functions/
 *                   ibx_referral_key_store.sql); several per organisation
 *   Referral        metadata and the signed envelope; the receiver must be
 *                   an enrolled hospital (or, for a report sent back, the
 *                   referrer), the key one it announced
 *   ReferralChunk   ciphertext, idempotent by (referral_id, index); the
 *                   referral is 'sent' once every chunk is stored
 *   ReferralStatus  checked against proto/domain's transition table
 *                   (ibx_referral_transition_check) and stored by compare
 *                   and set on the state it was checked against, in one
 *                   transaction; 'delivered' deletes the chunks
 *   KeyQuery, InboxQuery, ChunkQuery
 *                   answered in Ack.reply (signed with the Ack), never
 *                   stored; their sequence is 0
 *
 * Every refusal is final (or "retry later" when the database is away),
 * names the field and the reason, and stores nothing.
 */
#ifndef HUB_STORE_REFERRAL_H
#define HUB_STORE_REFERRAL_H

#include "db.h"
#include "wire.h"

/* hub_referral_is_query: true for the payload types answered without
 * storing anything (KeyQuery, InboxQuery, ChunkQuery). */
bool hub_referral_is_query(ibx_payload_type t);

/* hub_referral_intake: handle verified envelope env (header h, the exact
 * received bytes raw) of a referral payload type from an organisation of
 * role ("hospital", "coordinator", "partner") with database db.  Fills
 * ack->status and ack->error (the field and the reason for a refusal).
 * For an accepted query, *reply receives the serialised answer (KeyReply,
 * InboxReply, or the chunk's Envelope as its sender signed it), new bytes
 * the caller frees with ibx_bytes_fini; it stays empty otherwise. */
void hub_referral_intake(ibx_db *db, const ibx_header *h,
			 const ibx_envelope *env, const ibx_bytes *raw,
			 const char *role, ibx_ack *ack, ibx_bytes *reply);

#endif /* HUB_STORE_REFERRAL_H */
