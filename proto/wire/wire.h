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

/* ibx_ack_decode: decode an Ack into *out (no allocation).  A signature or
 * hub certificate longer than IBX_ACK_SIGNATURE_MAX or IBX_ACK_CERT_MAX
 * bytes is IBX_EMALFORMED.  Decoding verifies nothing: see
 * ibx_ack_verify. */
ibx_err ibx_ack_decode(const uint8_t *buf, size_t len, ibx_ack *out);

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

#endif /* IBX_WIRE_H */
