/*
 * The wire format (proto/wire/inbound.proto, package inbound.v1) as domain
 * structs: envelopes, headers, acks, and the encoding of each payload.
 * Only codec.c includes the generated protobuf-c code; nothing generated
 * crosses this boundary.  Decoders accept untrusted bytes: they never read
 * past the input, and refuse what does not decode with IBX_EMALFORMED.
 */
#ifndef IBX_WIRE_H
#define IBX_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "coordinator.h"
#include "listing.h"
#include "problems.h"
#include "referral.h"
#include "statistics.h"

/* Largest message a socket accepts (NNG_OPT_RECVMAXSZ), bytes.  A month of
 * statistics from the largest hospital is well under 1 MiB. */
#define IBX_WIRE_MAX_MESSAGE (4 * 1024 * 1024)

#define IBX_SCHEMA_VERSION 1

/* Payload types; values equal inbound.v1.PayloadType. */
typedef enum ibx_payload_type {
	IBX_PAYLOAD_UNSPECIFIED = 0,
	IBX_PAYLOAD_HOSPITAL_LISTING = 1,
	IBX_PAYLOAD_COORDINATOR_LISTING = 2,
	IBX_PAYLOAD_CASE_STATISTICS = 3,
	IBX_PAYLOAD_WITHDRAW = 4,
	/* The referral channel (docs/referrals.md); the queries (KEY_QUERY,
	 * INBOX_QUERY, CHUNK_QUERY) change nothing and carry sequence 0. */
	IBX_PAYLOAD_ENCRYPTION_KEY = 5,
	IBX_PAYLOAD_KEY_QUERY = 6,
	IBX_PAYLOAD_REFERRAL = 7,
	IBX_PAYLOAD_REFERRAL_CHUNK = 8,
	IBX_PAYLOAD_REFERRAL_STATUS = 9,
	IBX_PAYLOAD_INBOX_QUERY = 10,
	IBX_PAYLOAD_CHUNK_QUERY = 11,
} ibx_payload_type;

/* Ack statuses; values equal inbound.v1.AckStatus. */
typedef enum ibx_ack_status {
	IBX_ACK_UNSPECIFIED = 0,
	IBX_ACK_ACCEPTED = 1,
	IBX_ACK_DUPLICATE = 2,
	IBX_ACK_MALFORMED = 10,
	IBX_ACK_INVALID = 11,
	IBX_ACK_UNKNOWN_PAYLOAD = 12,
	IBX_ACK_UNSUPPORTED_SCHEMA = 13,
	IBX_ACK_BAD_SIGNATURE = 20,
	IBX_ACK_BAD_CERTIFICATE = 21,
	IBX_ACK_CERT_EXPIRED = 22,
	IBX_ACK_CERT_NOT_YET_VALID = 23,
	IBX_ACK_CERT_REVOKED = 24,
	IBX_ACK_SENDER_MISMATCH = 25,
	IBX_ACK_ROLE_FORBIDDEN = 26,
	IBX_ACK_REPLAY = 27,
	IBX_ACK_CLOCK_SKEW = 28,
	IBX_ACK_UNSIGNED = 29,
	IBX_ACK_RETRY_LATER = 50,
} ibx_ack_status;

/* A byte string; owned by whatever struct holds it. */
typedef struct ibx_bytes {
	uint8_t *data;
	size_t len;
} ibx_bytes;

typedef struct ibx_header {
	char sender_id[32];    /* organisation code */
	uint64_t sequence;     /* strictly increasing per sender */
	int64_t created_at_ms; /* Unix time, ms */
	ibx_payload_type payload_type;
	ibx_bytes cert; /* DER, or its SHA-256; owned */
	uint32_t schema_version;
} ibx_header;

/* An envelope as received: the exact header and payload bytes (so the
 * signature is checked over what was sent) and the signature. */
typedef struct ibx_envelope {
	ibx_bytes header;
	ibx_bytes payload;
	ibx_bytes signature;
} ibx_envelope;

typedef struct ibx_import_summary {
	uint32_t imported, updated, unchanged, refused, deleted;
} ibx_import_summary;

/* Largest Ack signature (DER ECDSA P-256 is at most 72 bytes) and hub
 * certificate (DER) an Ack may carry; larger ones do not decode. */
#define IBX_ACK_SIGNATURE_MAX 80
#define IBX_ACK_CERT_MAX      2048

typedef struct ibx_ack {
	uint64_t sequence;
	ibx_ack_status status;
	char error[1024]; /* names the field and the reason */
	int32_t listing_version;
	ibx_import_summary summary;
	/* The hub's signature (ibx_ack_sign in crypto.h); 0 bytes when
	 * unsigned.  Fixed arrays keep an Ack a plain value to copy. */
	uint8_t signature[IBX_ACK_SIGNATURE_MAX];
	size_t signature_len;
	uint8_t hub_cert[IBX_ACK_CERT_MAX]; /* DER */
	size_t hub_cert_len;
	/* The answer to a query (Ack.reply: a KeyReply, an InboxReply or a
	 * chunk's Envelope) stays outside this value: reply_len is its length
	 * and reply_sha256 its SHA-256, which the hub's signature covers
	 * (crypto.h).  ibx_ack_decode sets reply_len and leaves reply_sha256
	 * zero (proto/wire has no hash); ibx_ack_decode_reply (crypto.h)
	 * decodes an Ack with its reply and fills both.  With reply_len 0 the
	 * signed digest is SHA-256 of no bytes and reply_sha256 is unused. */
	size_t reply_len;
	uint8_t reply_sha256[32];
} ibx_ack;

/* ibx_ack_status_name: "accepted", "invalid", ... (static string). */
const char *ibx_ack_status_name(ibx_ack_status status);

/* ibx_ack_status_final: true when sending the same envelope again cannot
 * change the outcome (everything but RETRY_LATER and UNSPECIFIED). */
int ibx_ack_status_final(ibx_ack_status status);

/* ibx_bytes_fini: free the data; b is empty afterwards.  NULL is fine. */
void ibx_bytes_fini(ibx_bytes *b);

/* ibx_header_encode / ibx_envelope_encode / ibx_ack_encode /
 * ibx_listing_encode: serialise.  On IBX_OK *out holds new bytes the caller
 * frees with ibx_bytes_fini. */
ibx_err ibx_header_encode(const ibx_header *h, ibx_bytes *out);
ibx_err ibx_envelope_encode(const ibx_envelope *e, ibx_bytes *out);
ibx_err ibx_ack_encode(const ibx_ack *a, ibx_bytes *out);
ibx_err ibx_listing_encode(const ibx_listing *l, ibx_bytes *out);

/* ibx_header_decode: decode a header.  A sender_id longer than 31 bytes is
 * IBX_EMALFORMED.  On IBX_OK the caller frees out->cert with
 * ibx_bytes_fini. */
ibx_err ibx_header_decode(const uint8_t *buf, size_t len, ibx_header *out);

/* ibx_envelope_decode: split an envelope into its three byte strings
 * (copies the caller frees with ibx_envelope_fini). */
ibx_err ibx_envelope_decode(const uint8_t *buf, size_t len, ibx_envelope *out);

/* ibx_envelope_fini: free the three byte strings.  NULL is fine. */
void ibx_envelope_fini(ibx_envelope *e);

/* ibx_envelope_payload_type: the payload type an envelope's header
 * claims, unverified (only to choose how to handle or verify it), or
 * IBX_PAYLOAD_UNSPECIFIED when buf (len bytes) does not decode.  Allocates
 * nothing the caller keeps. */
ibx_payload_type ibx_envelope_payload_type(const uint8_t *buf, size_t len);

/* ibx_ack_decode: decode an Ack into *out (no allocation).  A signature or
 * hub certificate longer than IBX_ACK_SIGNATURE_MAX or IBX_ACK_CERT_MAX
 * bytes is IBX_EMALFORMED.  Decoding verifies nothing: see
 * ibx_ack_verify. */
ibx_err ibx_ack_decode(const uint8_t *buf, size_t len, ibx_ack *out);

/* ibx_ack_encode_reply: as ibx_ack_encode, with reply (len bytes, may be
 * NULL when len is 0) as Ack.reply.  The caller signs first
 * (ibx_ack_sign_reply in crypto.h).  New bytes in *out (ibx_bytes_fini). */
ibx_err ibx_ack_encode_reply(const ibx_ack *a, const uint8_t *reply,
			     size_t len, ibx_bytes *out);

/* ibx_ack_reply_extract: a copy of the Ack's reply bytes (empty when it
 * has none) in *reply, which the caller frees with ibx_bytes_fini.
 * IBX_EMALFORMED when buf is not an Ack, or its reply is longer than
 * IBX_WIRE_MAX_MESSAGE; IBX_ENOMEM. */
ibx_err ibx_ack_reply_extract(const uint8_t *buf, size_t len,
			      ibx_bytes *reply);

/* ibx_listing_decode: decode a HospitalListing payload into a new listing
 * the caller frees with ibx_listing_free.  Decoding checks no rules; call
 * ibx_listing_check. */
ibx_err ibx_listing_decode(const uint8_t *buf, size_t len, ibx_listing **out);

/* ibx_statistics_encode: serialise a CaseStatistics payload (new bytes,
 * ibx_bytes_fini). */
ibx_err ibx_statistics_encode(const ibx_case_statistics *s, ibx_bytes *out);

/* ibx_statistics_decode: decode a CaseStatistics payload into a new
 * submission the caller frees with ibx_statistics_free.  A string longer
 * than its field, or more than IBX_STATISTICS_MAX_CELLS cells, is
 * IBX_EMALFORMED.  Rules are checked by ibx_statistics_check. */
ibx_err ibx_statistics_decode(const uint8_t *buf, size_t len,
			      ibx_case_statistics **out);

/* ibx_coordinator_encode / _decode: a CoordinatorListing payload, as the
 * hospital listing functions above. */
ibx_err ibx_coordinator_encode(const ibx_coordinator *c, ibx_bytes *out);
ibx_err ibx_coordinator_decode(const uint8_t *buf, size_t len,
			       ibx_coordinator **out);

/*
 * The referral channel's payloads (referral.h; codec_referral.c).  Each
 * encoder serialises into new bytes (ibx_bytes_fini).  Each decoder reads
 * untrusted bytes: IBX_EMALFORMED when they do not decode; IBX_EINVAL, with
 * one problem per field added to p (may be NULL), when a field does not fit
 * its domain struct: a string longer than its array, a byte string of the
 * wrong length (public_key 32, sealed_key 80, stream_header 24,
 * chunks_sha256 32), a chunk over IBX_CHUNK_CIPHER_MAX bytes, more than
 * IBX_REFERRAL_LANGUAGES_MAX languages, IBX_KEY_ANNOUNCEMENTS_MAX
 * announcements or IBX_INBOX_LIMIT_MAX inbox items, an envelope over
 * IBX_WIRE_MAX_MESSAGE bytes, a state that is not one.  Decoding checks
 * no other rule: call the *_check functions of referral.h.  On success
 * the result is written to *out; on failure *out is left empty.
 */
ibx_err ibx_encryption_key_encode(const ibx_encryption_key *k, ibx_bytes *out);
ibx_err ibx_encryption_key_decode(const uint8_t *buf, size_t len,
				  ibx_problems *p, ibx_encryption_key *out);
ibx_err ibx_key_query_encode(const ibx_key_query *q, ibx_bytes *out);
ibx_err ibx_key_query_decode(const uint8_t *buf, size_t len, ibx_problems *p,
			     ibx_key_query *out);
ibx_err ibx_referral_encode(const ibx_referral *r, ibx_bytes *out);
ibx_err ibx_referral_decode(const uint8_t *buf, size_t len, ibx_problems *p,
			    ibx_referral *out);
/* The chunk's ciphertext is copied to the heap: ibx_referral_chunk_fini. */
ibx_err ibx_referral_chunk_encode(const ibx_referral_chunk *c, ibx_bytes *out);
ibx_err ibx_referral_chunk_decode(const uint8_t *buf, size_t len,
				  ibx_problems *p, ibx_referral_chunk *out);
ibx_err ibx_referral_status_encode(const ibx_referral_status *s,
				   ibx_bytes *out);
ibx_err ibx_referral_status_decode(const uint8_t *buf, size_t len,
				   ibx_problems *p, ibx_referral_status *out);
ibx_err ibx_inbox_query_encode(const ibx_inbox_query *q, ibx_bytes *out);
ibx_err ibx_inbox_query_decode(const uint8_t *buf, size_t len, ibx_problems *p,
			       ibx_inbox_query *out);
ibx_err ibx_chunk_query_encode(const ibx_chunk_query *q, ibx_bytes *out);
ibx_err ibx_chunk_query_decode(const uint8_t *buf, size_t len, ibx_problems *p,
			       ibx_chunk_query *out);

/* Ack.reply to a KeyQuery: the hospital's key announcements, newest
 * first, each a whole Envelope as the hospital signed it (owned). */
typedef struct ibx_key_reply {
	ibx_bytes *announcements;
	size_t n;
} ibx_key_reply;

/* One item of an inbox: a Referral or ReferralStatus Envelope as its
 * sender signed it (owned), and the referral's state at the hub. */
typedef struct ibx_inbox_item {
	uint64_t cursor;
	ibx_bytes envelope;
	ibx_referral_state state;
} ibx_inbox_item;

/* Ack.reply to an InboxQuery: items oldest first (owned); more when the
 * hub holds further items past the last cursor. */
typedef struct ibx_inbox_reply {
	ibx_inbox_item *items;
	size_t n;
	bool more;
} ibx_inbox_reply;

/* ibx_key_reply_encode / _decode, ibx_inbox_reply_encode / _decode: as
 * above; the decoded reply owns its byte strings and is freed with
 * ibx_key_reply_fini / ibx_inbox_reply_fini (NULL is fine; the struct is
 * empty afterwards).  An inbox item's state travels as its word
 * (ibx_referral_state_name); "" and "unspecified" are UNSPECIFIED. */
ibx_err ibx_key_reply_encode(const ibx_key_reply *r, ibx_bytes *out);
ibx_err ibx_key_reply_decode(const uint8_t *buf, size_t len, ibx_problems *p,
			     ibx_key_reply *out);
void ibx_key_reply_fini(ibx_key_reply *r);
ibx_err ibx_inbox_reply_encode(const ibx_inbox_reply *r, ibx_bytes *out);
ibx_err ibx_inbox_reply_decode(const uint8_t *buf, size_t len, ibx_problems *p,
			       ibx_inbox_reply *out);
void ibx_inbox_reply_fini(ibx_inbox_reply *r);

#endif /* IBX_WIRE_H */
