/*
 * The referral channel as the domain sees it (issue 15, docs/referrals.md):
 * a receiving hospital's encryption key, a referral's metadata and the
 * sealed key of its package, one encrypted chunk of the package, a status
 * on a referral, and the queries of the store-and-forward.  This module
 * owns the structs, their bounds and their rules, and the table of which
 * party may set which state after which; the codecs are in proto/wire
 * (wire.h), the cryptography in proto/crypto (seal.h), the enforcement in
 * the hub.  No I/O.
 *
 * The structs are plain values (fixed arrays) except the chunk, whose
 * ciphertext is on the heap.  Strings are NUL-terminated; "" is absent.
 */
#ifndef IBX_REFERRAL_H
#define IBX_REFERRAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "problems.h"

/*
 * Sizes fixed by the cryptography (libsodium; proto/crypto/seal.c checks
 * each against the library's own constant at compile time):
 *  - a receiving party's public key: X25519, crypto_box_PUBLICKEYBYTES;
 *  - the sealed content key: crypto_box_SEALBYTES (48) + the 32-byte key
 *    (crypto_secretstream_xchacha20poly1305_KEYBYTES);
 *  - the stream header: crypto_secretstream_xchacha20poly1305_HEADERBYTES;
 *  - each chunk's overhead: crypto_secretstream_xchacha20poly1305_ABYTES.
 */
#define IBX_ENC_PUBLIC_KEY_LEN 32
#define IBX_SEALED_KEY_LEN     80
#define IBX_STREAM_HEADER_LEN  24
#define IBX_CHUNK_ABYTES       17
#define IBX_SHA256_BYTES       32

/* A chunk holds at most 1 MiB of clear text, so its Envelope (the
 * ciphertext, the referral id, the header and the signature) stays far
 * below IBX_WIRE_MAX_MESSAGE (4 MiB), also inside an Ack's reply. */
#define IBX_CHUNK_CLEAR_MAX  (1024 * 1024)
#define IBX_CHUNK_CIPHER_MAX (IBX_CHUNK_CLEAR_MAX + IBX_CHUNK_ABYTES)

/* At most 4096 chunks: 4 GiB of package, twice the 2 GiB the issue asks
 * for (a CT or MRI study is some hundreds of MiB). */
#define IBX_REFERRAL_CHUNKS_MAX 4096u

/* Hex lengths: a referral id is 16 random bytes, a key id the first 8
 * bytes of SHA-256(public key). */
#define IBX_REFERRAL_ID_HEX 32
#define IBX_KEY_ID_HEX	    16

/* Other bounds: organisation codes as Header.sender_id (31 bytes), at most
 * 16 languages on a referral, 100 items in one inbox answer, 16 key
 * announcements in a key reply, and a quote of at most 10^10 JPY (ten
 * billion yen; the dearest treatments, proton therapy or a transplant,
 * cost some tens of millions). */
#define IBX_ORG_CODE_MAX	   31
#define IBX_REFERRAL_LANGUAGES_MAX 16
#define IBX_INBOX_LIMIT_MAX	   100
#define IBX_KEY_ANNOUNCEMENTS_MAX  16
#define IBX_REFERRAL_PRICE_JPY_MAX 10000000000LL
#define IBX_REFERRAL_TEXT_CODE_MAX 31

/* States; values equal inbound.v1.ReferralState.  The words are the code
 * list IBX_LIST_REFERRAL_STATE (deploy/data/ibx_referral_states.csv), in
 * the same order: state s is the list's entry s - 1. */
typedef enum ibx_referral_state {
	IBX_REFERRAL_UNSPECIFIED = 0, /* at the hub: chunks still arriving */
	IBX_REFERRAL_SENT = 1,	      /* hub: every chunk stored */
	IBX_REFERRAL_DELIVERED = 2,   /* receiver: fetched and verified */
	IBX_REFERRAL_ACKNOWLEDGED = 3,
	IBX_REFERRAL_DECLINED = 4, /* with reason_code */
	IBX_REFERRAL_QUOTE = 5,	   /* price band (JPY), earliest date */
	IBX_REFERRAL_OPINION_RETURNED = 6, /* report_referral_id */
	IBX_REFERRAL_VISIT_SCHEDULED = 7,  /* visit_date */
	IBX_REFERRAL_VISITED = 8,
	IBX_REFERRAL_WITHDRAWN = 9, /* referrer */
} ibx_referral_state;

#define IBX_REFERRAL_STATE_MAX IBX_REFERRAL_WITHDRAWN

/* Who sets a state. */
typedef enum ibx_referral_party {
	IBX_PARTY_REFERRER,
	IBX_PARTY_RECEIVER,
	IBX_PARTY_HUB,
} ibx_referral_party;

/* A receiving party's key for referrals (EncryptionKey). */
typedef struct ibx_encryption_key {
	char organisation_code[IBX_ORG_CODE_MAX + 1];
	char key_id[IBX_KEY_ID_HEX + 1];
	uint8_t public_key[IBX_ENC_PUBLIC_KEY_LEN];
	int64_t created_at_ms; /* Unix time, ms */
	int64_t use_until_ms;  /* 0: until replaced */
} ibx_encryption_key;

/* A referral's metadata and how to open its package (Referral). */
typedef struct ibx_referral {
	char referral_id[IBX_REFERRAL_ID_HEX + 1];
	char receiver[IBX_ORG_CODE_MAX + 1];
	char key_id[IBX_KEY_ID_HEX + 1];
	uint8_t sealed_key[IBX_SEALED_KEY_LEN];
	uint8_t stream_header[IBX_STREAM_HEADER_LEN];
	char purpose[IBX_REFERRAL_TEXT_CODE_MAX + 1];
	char department[IBX_REFERRAL_TEXT_CODE_MAX + 1]; /* or "" */
	char treatment[IBX_REFERRAL_TEXT_CODE_MAX + 1];	 /* or "" */
	char nationality[3];
	char age_band[IBX_REFERRAL_TEXT_CODE_MAX + 1];
	char languages[IBX_REFERRAL_LANGUAGES_MAX][4];
	size_t n_languages;
	char urgency[IBX_REFERRAL_TEXT_CODE_MAX + 1];
	uint64_t package_bytes; /* ciphertext, all chunks */
	uint32_t chunk_count;
	uint8_t chunks_sha256[IBX_SHA256_BYTES];
	char answers_referral_id[IBX_REFERRAL_ID_HEX + 1]; /* or "" */
} ibx_referral;

/* One encrypted chunk (ReferralChunk); ciphertext on the heap, freed by
 * ibx_referral_chunk_fini. */
typedef struct ibx_referral_chunk {
	char referral_id[IBX_REFERRAL_ID_HEX + 1];
	uint32_t index; /* 0 .. chunk_count - 1 */
	uint8_t *ciphertext;
	size_t ciphertext_len; /* IBX_CHUNK_ABYTES .. IBX_CHUNK_CIPHER_MAX */
} ibx_referral_chunk;

/* A status on a referral (ReferralStatus). */
typedef struct ibx_referral_status {
	char referral_id[IBX_REFERRAL_ID_HEX + 1];
	ibx_referral_state state;
	char reason_code[IBX_REFERRAL_TEXT_CODE_MAX + 1]; /* declined */
	int64_t price_min_jpy;				  /* quote */
	int64_t price_max_jpy;
	char earliest_date[11];				  /* quote */
	char report_referral_id[IBX_REFERRAL_ID_HEX + 1]; /* opinion */
	char visit_date[11];				  /* visit */
} ibx_referral_status;

/* The queries (KeyQuery, InboxQuery, ChunkQuery). */
typedef struct ibx_key_query {
	char organisation_code[IBX_ORG_CODE_MAX + 1];
} ibx_key_query;

typedef struct ibx_inbox_query {
	uint64_t after; /* cursor of the last item already seen */
	uint32_t limit; /* 1 .. IBX_INBOX_LIMIT_MAX; 0 means the maximum */
} ibx_inbox_query;

typedef struct ibx_chunk_query {
	char referral_id[IBX_REFERRAL_ID_HEX + 1];
	uint32_t index;
} ibx_chunk_query;

/* ibx_referral_id_valid: true when s is exactly 32 lowercase hex digits
 * (IBX_REFERRAL_ID_HEX; ibx_key_id_valid: IBX_KEY_ID_HEX).  NULL is
 * false. */
bool ibx_referral_id_valid(const char *s);
bool ibx_key_id_valid(const char *s);

/* ibx_referral_org_code_valid: true for an organisation code as the
 * referral channel carries it: 1 to IBX_ORG_CODE_MAX ASCII letters, digits
 * or '-' (hospitals and coordinators have 10 digits; partners abroad have
 * the code of their certificate).  Whether it names an enrolled
 * organisation is the hub's check. */
bool ibx_referral_org_code_valid(const char *s);

/* ibx_referral_state_name: the state's word ("quote", the code list
 * IBX_LIST_REFERRAL_STATE), or "unspecified" for 0 and "unknown" out of
 * range.  Static string. */
const char *ibx_referral_state_name(ibx_referral_state s);

/* ibx_referral_state_parse: the state named word, or IBX_REFERRAL_UNSPECIFIED
 * when word is not a state (NULL is fine). */
ibx_referral_state ibx_referral_state_parse(const char *word);

/* ibx_referral_party_name: "referrer", "receiver", "hub" (static). */
const char *ibx_referral_party_name(ibx_referral_party p);

/* ibx_referral_purpose_valid: true for the purposes a referral may have:
 * second_opinion, treatment, health_checkup (IBX_LIST_PURPOSE's entries;
 * the other purposes of the statistics, follow-up and travel emergencies,
 * are not referred in advance). */
bool ibx_referral_purpose_valid(const char *purpose);

/* ibx_encryption_key_check: the rules of a key announcement, each broken
 * one added to p naming the field: organisation_code (syntax above),
 * key_id (16 lowercase hex; that it is the hash of public_key is checked by
 * ibx_seal_key_id_check in proto/crypto), public_key not all zero,
 * created_at_ms > 0, use_until_ms 0 or after created_at_ms.  IBX_OK or
 * IBX_EINVAL. */
ibx_err ibx_encryption_key_check(const ibx_encryption_key *k, ibx_problems *p);

/* ibx_referral_check: the rules of a referral, each broken one added to p
 * naming the field: referral_id (32 lowercase hex), receiver (syntax),
 * key_id (16 hex), purpose (ibx_referral_purpose_valid), department (a
 * national department code) and treatment (the treatment vocabulary), each
 * optional; nationality (ISO 3166-1 alpha-2) and age_band
 * (IBX_LIST_AGE_BAND) required; languages (ISO 639-1, no repeats, at most
 * IBX_REFERRAL_LANGUAGES_MAX); urgency (IBX_LIST_URGENCY); chunk_count 1
 * .. IBX_REFERRAL_CHUNKS_MAX; package_bytes between chunk_count *
 * IBX_CHUNK_ABYTES + 1 and chunk_count * IBX_CHUNK_CIPHER_MAX;
 * answers_referral_id empty or 32 hex and not the referral's own id.
 * sealed_key, stream_header and chunks_sha256 have fixed sizes (the
 * decoder refuses others); whether they open is the receiver's check.
 * IBX_OK or IBX_EINVAL. */
ibx_err ibx_referral_check(const ibx_referral *r, ibx_problems *p);

/* ibx_referral_chunk_check: the rules of a chunk: referral_id (32 hex),
 * ciphertext of IBX_CHUNK_ABYTES + 1 to IBX_CHUNK_CIPHER_MAX bytes (a
 * chunk carries at least one byte of clear text), and, when r (the
 * referral it belongs to) is not NULL, the same referral_id and index <
 * r->chunk_count.  IBX_OK or IBX_EINVAL. */
ibx_err ibx_referral_chunk_check(const ibx_referral_chunk *c,
				 const ibx_referral *r, ibx_problems *p);

/* ibx_referral_chunk_fini: free the ciphertext; c is empty afterwards.
 * NULL is fine. */
void ibx_referral_chunk_fini(ibx_referral_chunk *c);

/* ibx_referral_status_check: the rules of one status, each broken one
 * added to p naming the field: referral_id (32 hex); state one of
 * DELIVERED .. WITHDRAWN (SENT is set by the hub, never sent by a party);
 * and each state's own fields, present with it and absent (empty or 0)
 * otherwise: declined: reason_code (IBX_LIST_DECLINE_REASON); quote:
 * 0 <= price_min_jpy <= price_max_jpy <= IBX_REFERRAL_PRICE_JPY_MAX, and
 * earliest_date (YYYY-MM-DD); opinion_returned: report_referral_id (32
 * hex, not the referral's own); visit_scheduled: visit_date (YYYY-MM-DD).
 * Who may send it, and after what, is ibx_referral_transition_check.
 * IBX_OK or IBX_EINVAL. */
ibx_err ibx_referral_status_check(const ibx_referral_status *s,
				  ibx_problems *p);

/*
 * The state machine of a referral.  The hub keeps each referral's current
 * state and accepts a status only when this table allows it: the party
 * entitled to the new state sets it, and only after one of the states
 * listed.  UNSPECIFIED is the state at the hub while chunks arrive.
 *
 *   to                by        after
 *   sent              hub       unspecified (every chunk stored)
 *   delivered         receiver  sent
 *   acknowledged      receiver  delivered
 *   declined          receiver  acknowledged, quote, opinion_returned
 *   quote             receiver  acknowledged, quote (a revised quote),
 *                               opinion_returned
 *   opinion_returned  receiver  acknowledged, quote
 *   visit_scheduled   receiver  acknowledged (a checkup booked at once),
 *                               quote, opinion_returned, visit_scheduled
 *                               (moved)
 *   visited           receiver  visit_scheduled
 *   withdrawn         referrer  any state before visited except declined
 *                               and withdrawn (unspecified .. visit_scheduled)
 *
 * declined, visited and withdrawn are final: nothing follows them.  A
 * status sent twice (same sender, same sequence) is a duplicate at the
 * hub, not a transition.
 */
typedef struct ibx_referral_transition {
	ibx_referral_state to;
	ibx_referral_party party;
	uint32_t after; /* bit s set: allowed after state s */
} ibx_referral_transition;

/* ibx_referral_transitions: the table above, one row per state SENT ..
 * WITHDRAWN in order; *n (when n is not NULL) its rows.  Static. */
const ibx_referral_transition *ibx_referral_transitions(size_t *n);

/* ibx_referral_state_final: true for declined, visited and withdrawn. */
bool ibx_referral_state_final(ibx_referral_state s);

/* ibx_referral_transition_check: IBX_OK when party may set state to on a
 * referral in state from; else IBX_EINVAL and the reason in detail (n
 * bytes), e.g. 'state "visited": not allowed after "quote"' or 'state
 * "withdrawn": only the referrer may set it'. */
ibx_err ibx_referral_transition_check(ibx_referral_state from,
				      ibx_referral_state to,
				      ibx_referral_party party, char *detail,
				      size_t n);

/* ibx_key_query_check / ibx_inbox_query_check / ibx_chunk_query_check:
 * organisation_code (syntax); limit at most IBX_INBOX_LIMIT_MAX;
 * referral_id (32 hex) and index < IBX_REFERRAL_CHUNKS_MAX.  Problems name
 * the field.  IBX_OK or IBX_EINVAL. */
ibx_err ibx_key_query_check(const ibx_key_query *q, ibx_problems *p);
ibx_err ibx_inbox_query_check(const ibx_inbox_query *q, ibx_problems *p);
ibx_err ibx_chunk_query_check(const ibx_chunk_query *q, ibx_problems *p);

#endif /* IBX_REFERRAL_H */
