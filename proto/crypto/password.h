/*
 * Passwords and second-factor keys with libsodium: the only module that
 * includes <sodium.h>.  Passwords are hashed with Argon2id
 * (crypto_pwhash_str, RFC 9106) at libsodium's "interactive" cost (2
 * passes over 64 MiB), which a sign-in pays once; the encoded hash carries
 * its own salt and cost, so a later cost change keeps old hashes valid.
 * TOTP keys (RFC 6238) are 20 random bytes (RFC 4226 section 4 asks for
 * at least 128 bits, recommends 160).  Secrets handed in are never copied;
 * those made here are wiped by the caller with ibx_secret_wipe.
 */
#ifndef IBX_PASSWORD_H
#define IBX_PASSWORD_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Room for an encoded Argon2id hash with its NUL (crypto_pwhash_STRBYTES). */
#define IBX_PASSWORD_HASH_MAX 128
/* Password length limits in bytes: NIST SP 800-63B 5.1.1.2 asks for at
 * least 8 characters and for accepting at least 64. */
#define IBX_PASSWORD_MIN 12
#define IBX_PASSWORD_MAX 256
#define IBX_TOTP_KEY_LEN 20

/* ibx_password_hash: the Argon2id hash of pw (len bytes, IBX_PASSWORD_MIN
 * to IBX_PASSWORD_MAX) into out, a NUL-terminated "$argon2id$..." string.
 * IBX_EINVAL for a length out of range, IBX_ENOMEM when the 64 MiB cannot
 * be had, IBX_ECRYPTO when libsodium cannot start.  pw is not kept. */
ibx_err ibx_password_hash(const char *pw, size_t len,
			  char out[IBX_PASSWORD_HASH_MAX]);

/* ibx_password_verify: IBX_OK when pw (len bytes) matches the encoded hash,
 * IBX_ECRYPTO when it does not (or the hash is not one of ours).  Takes the
 * same time whether the name behind hash exists or not when called with
 * ibx_password_dummy_hash(). */
ibx_err ibx_password_verify(const char *hash, const char *pw, size_t len);

/* ibx_password_dummy_hash: a valid Argon2id hash of a random password,
 * made once per process, to verify against when a name is unknown so that
 * a sign-in's time does not say whether it exists.  Static storage. */
const char *ibx_password_dummy_hash(void);

/* ibx_totp_key_new: IBX_TOTP_KEY_LEN random bytes for a new TOTP key. */
ibx_err ibx_totp_key_new(uint8_t out[IBX_TOTP_KEY_LEN]);

/* ibx_secret_wipe: overwrite n bytes at p with zeros in a way the compiler
 * keeps (sodium_memzero); NULL is fine. */
void ibx_secret_wipe(void *p, size_t n);

/* ibx_secret_equal: 1 when a and b (n bytes each) are equal, compared in
 * constant time (sodium_memcmp), else 0. */
int ibx_secret_equal(const void *a, const void *b, size_t n);

#endif /* IBX_PASSWORD_H */
