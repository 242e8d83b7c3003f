/*
 * Identity and integrity with OpenSSL: the only module that includes
 * OpenSSL.  Keys are ECDSA P-256 (nng 1.5.2's mbedTLS refuses Ed25519, and
 * OpenSSL verifies P-256 faster on our machines; DESIGN.md).  A spoke signs
 * the exact bytes header || payload; the hub checks the certificate against
 * the national CA and its CRL and verifies the signature over the same
 * bytes, so nothing is re-serialised before verifying.
 *
 * A certificate names its organisation in the subject: CN is the
 * organisation code, OU the role ("hospital" or "coordinator"), issued by
 * deploy/pki.
 */
#ifndef IBX_CRYPTO_H
#define IBX_CRYPTO_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "err.h"
#include "wire.h"

#define IBX_SHA256_LEN 32

typedef struct ibx_key ibx_key;
typedef struct ibx_cert ibx_cert;
typedef struct ibx_trust ibx_trust;

typedef enum ibx_cert_verdict {
	IBX_CERT_OK = 0,
	IBX_CERT_UNTRUSTED,	/* not issued by the national CA, or damaged */
	IBX_CERT_EXPIRED,	/* notAfter is past */
	IBX_CERT_NOT_YET_VALID, /* notBefore is ahead */
	IBX_CERT_REVOKED,	/* listed in the CRL */
} ibx_cert_verdict;

/* ibx_sha256: SHA-256 of len bytes into out (32 bytes). */
void ibx_sha256(const uint8_t *data, size_t len, uint8_t out[IBX_SHA256_LEN]);

/* ibx_random: fill out with n bytes from OpenSSL's CSPRNG.  IBX_ECRYPTO
 * when it is not seeded. */
ibx_err ibx_random(uint8_t *out, size_t n);

/* ibx_key_load: read a PEM private key (P-256).  IBX_EIO when the file
 * cannot be read, IBX_ECRYPTO when it is not an EC P-256 key.  Free with
 * ibx_key_free, which wipes it. */
ibx_err ibx_key_load(const char *path, ibx_key **out);
void ibx_key_free(ibx_key *k);

/* ibx_cert_load: read a PEM certificate.  ibx_cert_from_der: parse DER
 * bytes (untrusted input: IBX_EMALFORMED when they do not parse).  Free with
 * ibx_cert_free. */
ibx_err ibx_cert_load(const char *path, ibx_cert **out);
ibx_err ibx_cert_from_der(const uint8_t *der, size_t len, ibx_cert **out);
void ibx_cert_free(ibx_cert *c);

/* ibx_cert_der: the DER encoding (new bytes; free with ibx_bytes_fini). */
ibx_err ibx_cert_der(const ibx_cert *c, ibx_bytes *out);

/* ibx_cert_fingerprint: SHA-256 of the DER encoding. */
void ibx_cert_fingerprint(const ibx_cert *c, uint8_t out[IBX_SHA256_LEN]);

/* ibx_cert_identity: the organisation code (subject CN) and role (subject
 * OU) into code (32 bytes) and role (16 bytes).  IBX_EINVAL when either is
 * missing, too long, or the role is not hospital, coordinator or partner
 * (a hospital abroad that sends referrals). */
ibx_err ibx_cert_identity(const ibx_cert *c, char code[32], char role[16]);

/* ibx_cert_key_pin: SHA-256 of the certificate's SubjectPublicKeyInfo
 * (DER), the value a spoke pins with --hub-pin (as HPKP's pin-sha256, RFC
 * 7469, hex-encoded); it survives a renewal that keeps the key. */
ibx_err ibx_cert_key_pin(const ibx_cert *c, uint8_t out[IBX_SHA256_LEN]);

/* ibx_cert_check_hub: IBX_OK when c is the hub a spoke expects: subject OU
 * "hub", extendedKeyUsage serverAuth, and either its key's pin equals pin
 * (32 bytes; when pin is not NULL) or its subjectAltName holds one of
 * names[0..nnames-1] (host names or IP addresses; the subject CN is never
 * taken as a name).  The chain is not checked here (ibx_trust_check).
 * IBX_ECRYPTO with the reason in detail (n bytes) otherwise. */
ibx_err ibx_cert_check_hub(const ibx_cert *c, const char *const *names,
			   size_t nnames, const uint8_t *pin, char *detail,
			   size_t n);

/* ibx_crl_dates: the lastUpdate and nextUpdate of the PEM CRL at path, as
 * Unix seconds (INT64_MAX when it has no nextUpdate).  IBX_EIO when the
 * file cannot be opened, IBX_EMALFORMED when it holds no CRL.  The CRL's
 * signature is not checked here (the trust store does that on use). */
ibx_err ibx_crl_dates(const char *path, int64_t *last_update,
		      int64_t *next_update);

/* ibx_cert_validity: notBefore and notAfter as Unix seconds. */
ibx_err ibx_cert_validity(const ibx_cert *c, int64_t *not_before,
			  int64_t *not_after);

/* ibx_key_matches: true when key is the private half of cert's key. */
int ibx_key_matches(const ibx_key *k, const ibx_cert *c);

/* ibx_sign: ECDSA-SHA256 signature (DER) over a || b.  New bytes in *sig
 * (ibx_bytes_fini). */
ibx_err ibx_sign(const ibx_key *k, const ibx_bytes *a, const ibx_bytes *b,
		 ibx_bytes *sig);

/* ibx_verify: IBX_OK when sig is cert's key's signature over a || b,
 * IBX_ECRYPTO otherwise. */
ibx_err ibx_verify(const ibx_cert *c, const ibx_bytes *a, const ibx_bytes *b,
		   const ibx_bytes *sig);

/* ibx_trust_load: the national CA certificate (PEM) and, when crl_path is
 * not NULL, its CRL (PEM).  Free with ibx_trust_free.  Safe for concurrent
 * ibx_trust_check calls from several threads. */
ibx_err ibx_trust_load(const char *ca_path, const char *crl_path,
		       ibx_trust **out);
void ibx_trust_free(ibx_trust *t);

/* ibx_trust_reload: read the CA and CRL files again (after a revocation);
 * on failure the old ones stay in force. */
ibx_err ibx_trust_reload(ibx_trust *t);

/* ibx_trust_check: check cert's chain to the CA, its validity at time now
 * (Unix seconds) and, with a CRL, that it is not revoked.  A short reason
 * goes to detail (n bytes).  Always checks afresh (no cache). */
ibx_cert_verdict ibx_trust_check(ibx_trust *t, const ibx_cert *c, time_t now,
				 char *detail, size_t n);

/* Verified certificates a trust store remembers (certcache.h), so that a
 * spoke's certificate, sent with every envelope, is parsed and its chain
 * verified (a second ECDSA verification) once rather than per message. */
#define IBX_TRUST_CACHE_ENTRIES 100000

/* ibx_trust_check_der: parse der (untrusted, len bytes) and check it as
 * ibx_trust_check does at time now (Unix seconds), through the cache: a
 * certificate with the same SHA-256 found good before, and whose dates,
 * and the CA's and the CRL's, still hold at now, is taken from the cache
 * (neither parsed nor checked again); a good verdict is remembered until
 * the earliest of the certificate's notAfter, the CA's notAfter and the
 * CRL's nextUpdate, or until ibx_trust_reload, which forgets them all.
 * Bad verdicts are never remembered.  IBX_EMALFORMED when der is not one
 * DER certificate; otherwise IBX_OK with the certificate in *out (the
 * caller frees it with ibx_cert_free, whatever the verdict), the verdict
 * in *verdict and a short reason in detail (n bytes).  Thread-safe. */
ibx_err ibx_trust_check_der(ibx_trust *t, const uint8_t *der, size_t len,
			    time_t now, ibx_cert **out,
			    ibx_cert_verdict *verdict, char *detail, size_t n);

/* ibx_trust_cached: the certificate with SHA-256 fingerprint fp, when the
 * cache holds a good verdict for it at time now: 1 and a new certificate
 * in *out (ibx_cert_free), else 0. */
int ibx_trust_cached(ibx_trust *t, const uint8_t fp[IBX_SHA256_LEN],
		     time_t now, ibx_cert **out);

/* ibx_trust_cache_stats: cache hits and misses since ibx_trust_load, and
 * the entries held now. */
void ibx_trust_cache_stats(ibx_trust *t, uint64_t *hits, uint64_t *misses,
			   size_t *entries);

/*
 * The hub's signature on every Ack (issue 14, finding 1; X-Road's signed
 * receipts are the model).  The signed bytes, in this order:
 *
 *   "inbound.v1 Ack\0"             15 bytes, the domain tag
 *   SHA-256(request)               32 bytes: the envelope as the hub got it
 *   sequence                        8 bytes, big-endian
 *   status                          4 bytes, big-endian
 *   listing_version                 4 bytes, big-endian two's complement
 *   summary imported, updated, unchanged, refused, deleted: 4 bytes each
 *   SHA-256(error)                 32 bytes, over the text up to its NUL
 *   SHA-256(hub certificate DER)   32 bytes
 *   SHA-256(reply)                 32 bytes: Ack.reply, the answer to a
 *                                  query (of no bytes when there is none)
 *
 * signed with ECDSA P-256 over SHA-256 (DER signature).  The tag keeps an
 * Ack signature from ever being taken for an envelope signature (which
 * covers header || payload, both protobuf messages that cannot start with
 * these bytes) and the other way round.
 */
#define IBX_ACK_SIGN_TAG "inbound.v1 Ack"

/* ibx_ack_sign: sign ack as the answer to request (len bytes, exactly as
 * received) with the hub's key k; hub_cert_der is the hub's certificate
 * (DER, at most IBX_ACK_CERT_MAX bytes), copied into ack->hub_cert.  On
 * IBX_OK ack->signature holds the signature.  IBX_ETOOBIG when the
 * certificate does not fit, IBX_ECRYPTO, IBX_ENOMEM. */
ibx_err ibx_ack_sign(const ibx_key *k, const ibx_bytes *hub_cert_der,
		     const uint8_t *request, size_t len, ibx_ack *ack);

/* ibx_ack_sign_reply: as ibx_ack_sign for an Ack that answers a query with
 * reply (reply_len bytes, the serialised KeyReply, InboxReply or chunk
 * Envelope; NULL or 0 for none): sets ack->reply_len and
 * ack->reply_sha256, then signs.  The caller then encodes with
 * ibx_ack_encode_reply(ack, reply, reply_len, ...).  Errors as
 * ibx_ack_sign. */
ibx_err ibx_ack_sign_reply(const ibx_key *k, const ibx_bytes *hub_cert_der,
			   const uint8_t *request, size_t len,
			   const uint8_t *reply, size_t reply_len,
			   ibx_ack *ack);

/* ibx_ack_decode_reply: ibx_ack_decode, plus the reply: a copy of its
 * bytes in *reply (the caller frees it with ibx_bytes_fini; empty when the
 * Ack has none) and ack->reply_len and ack->reply_sha256 set from them, so
 * ibx_ack_verify covers the reply.  An Ack decoded with ibx_ack_decode
 * alone that carries a reply never verifies (its reply_sha256 is zero).
 * IBX_EMALFORMED, IBX_ENOMEM. */
ibx_err ibx_ack_decode_reply(const uint8_t *buf, size_t len, ibx_ack *ack,
			     ibx_bytes *reply);

/* What a spoke expects of the hub that answers it: a key pin (SHA-256 of
 * the SubjectPublicKeyInfo, ibx_cert_key_pin) or one of names in the
 * certificate's subjectAltName; see ibx_cert_check_hub. */
typedef struct ibx_hub_expect {
	const char *const *names;
	size_t nnames;
	const uint8_t *pin; /* IBX_SHA256_LEN bytes, or NULL */
} ibx_hub_expect;

/* ibx_ack_verify: IBX_OK when ack is signed, its certificate chains to t's
 * CA (valid at now, Unix seconds, not revoked under t's CRL, which must be
 * current), is the hub e expects (ibx_cert_check_hub), and the signature
 * over the bytes above, with request (len bytes, exactly as sent), holds.
 * IBX_ECRYPTO otherwise, with the reason in detail (n bytes): "ack is
 * unsigned", "hub certificate: ...", "ack signature does not verify". */
ibx_err ibx_ack_verify(ibx_trust *t, const ibx_hub_expect *e,
		       const uint8_t *request, size_t len, const ibx_ack *ack,
		       time_t now, char *detail, size_t n);

#endif /* IBX_CRYPTO_H */
