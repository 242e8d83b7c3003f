/*
 * End-to-end encryption of referral packages (issue 15, docs/referrals.md)
 * with libsodium, the only module that includes <sodium.h> for it:
 *
 *  - a receiving party's key pair: X25519 (crypto_box_keypair), made on its
 *    spoke; the public key is announced (EncryptionKey), the secret key
 *    never leaves the spoke;
 *  - a fresh 32-byte content key per package, sealed to the receiver's
 *    public key with crypto_box_seal (anonymous sender: an ephemeral key
 *    pair, X25519 + XSalsa20-Poly1305; the sender's identity comes from
 *    the signed Envelope, not from this layer);
 *  - the package as one crypto_secretstream_xchacha20poly1305 stream,
 *    chunk by chunk (at most IBX_CHUNK_CLEAR_MAX bytes of clear text each),
 *    the last one tagged TAG_FINAL.  The stream authenticates every chunk
 *    and its position: a changed byte, a chunk moved, dropped or repeated
 *    fails to decrypt, and a stream that ends without TAG_FINAL is
 *    truncated (libsodium, "Encrypted streams and file encryption").
 *
 * Memory: one chunk at a time; the state is a few hundred bytes.  Secrets
 * (secret keys, content keys, stream states) are wiped before they are
 * freed (sodium_memzero).  What goes into a package and where the chunks
 * are kept is spoke/referral's concern.
 */
#ifndef IBX_SEAL_H
#define IBX_SEAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "referral.h"

#define IBX_SEAL_SECRET_KEY_LEN 32 /* crypto_box_SECRETKEYBYTES */
#define IBX_CONTENT_KEY_LEN	32 /* secretstream KEYBYTES */

/* A receiving party's key pair.  Plain value; wipe it with
 * ibx_seal_keypair_wipe when done. */
typedef struct ibx_seal_keypair {
	uint8_t public_key[IBX_ENC_PUBLIC_KEY_LEN];
	uint8_t secret_key[IBX_SEAL_SECRET_KEY_LEN];
} ibx_seal_keypair;

/* ibx_seal_keypair_new: a fresh X25519 key pair in *out.  IBX_ECRYPTO when
 * libsodium cannot start. */
ibx_err ibx_seal_keypair_new(ibx_seal_keypair *out);

/* ibx_seal_keypair_wipe: zero kp (sodium_memzero).  NULL is fine. */
void ibx_seal_keypair_wipe(ibx_seal_keypair *kp);

/* ibx_seal_keypair_save: write kp to a new file at path, mode 0600 (the
 * public key then the secret key, 64 bytes), fsynced.  An existing file
 * is never overwritten: IBX_EINVAL, as for a path that exists.  IBX_EIO
 * (errno logged). */
ibx_err ibx_seal_keypair_save(const char *path, const ibx_seal_keypair *kp);

/* ibx_seal_keypair_load: read a key pair written by ibx_seal_keypair_save
 * into *out.  IBX_EIO when it cannot be read; IBX_EINVAL when the file is
 * readable by group or others, is not 64 bytes, or its public key is not
 * the secret key's (each logged with the path). */
ibx_err ibx_seal_keypair_load(const char *path, ibx_seal_keypair *out);

/* ibx_seal_key_id: the key id of a public key, hex of the first 8 bytes of
 * its SHA-256 (16 lowercase hex digits and a NUL into out). */
void ibx_seal_key_id(const uint8_t public_key[IBX_ENC_PUBLIC_KEY_LEN],
		     char out[IBX_KEY_ID_HEX + 1]);

/* ibx_seal_key_id_check: true when k->key_id is ibx_seal_key_id of
 * k->public_key. */
bool ibx_seal_key_id_check(const ibx_encryption_key *k);

/* ibx_seal_referral_id_new: a fresh referral id, 16 random bytes as 32
 * lowercase hex digits (and a NUL) into out.  IBX_ECRYPTO. */
ibx_err ibx_seal_referral_id_new(char out[IBX_REFERRAL_ID_HEX + 1]);

/* ibx_seal_content_key_new: a fresh content key into key.  IBX_ECRYPTO. */
ibx_err ibx_seal_content_key_new(uint8_t key[IBX_CONTENT_KEY_LEN]);

/* ibx_seal_content_key: seal key to the receiver's public key
 * (crypto_box_seal) into sealed (IBX_SEALED_KEY_LEN bytes).  IBX_ECRYPTO
 * when the public key is refused (a low-order point). */
ibx_err ibx_seal_content_key(const uint8_t key[IBX_CONTENT_KEY_LEN],
			     const uint8_t public_key[IBX_ENC_PUBLIC_KEY_LEN],
			     uint8_t sealed[IBX_SEALED_KEY_LEN]);

/* ibx_seal_open_content_key: open sealed with kp into key
 * (crypto_box_seal_open).  IBX_ECRYPTO when it was not sealed to kp's
 * public key or was changed; key is then zero. */
ibx_err ibx_seal_open_content_key(const uint8_t sealed[IBX_SEALED_KEY_LEN],
				  const ibx_seal_keypair *kp,
				  uint8_t key[IBX_CONTENT_KEY_LEN]);

/* A stream in one direction (opaque; holds the secretstream state). */
typedef struct ibx_seal_stream ibx_seal_stream;

/* ibx_seal_encryptor_new: start encrypting under key; the stream header
 * (IBX_STREAM_HEADER_LEN bytes, public, travels in the Referral) is
 * written to header.  The caller frees *out with ibx_seal_stream_free.
 * IBX_ENOMEM, IBX_ECRYPTO. */
ibx_err ibx_seal_encryptor_new(const uint8_t key[IBX_CONTENT_KEY_LEN],
			       uint8_t header[IBX_STREAM_HEADER_LEN],
			       ibx_seal_stream **out);

/* ibx_seal_encrypt_chunk: encrypt len bytes of clear (1 ..
 * IBX_CHUNK_CLEAR_MAX) as the stream's next chunk, TAG_FINAL when final,
 * into out (room for len + IBX_CHUNK_ABYTES bytes); *out_len is set to
 * len + IBX_CHUNK_ABYTES.  IBX_EINVAL for an empty or too long chunk, a
 * decryptor, or a stream already finished. */
ibx_err ibx_seal_encrypt_chunk(ibx_seal_stream *s, const uint8_t *clear,
			       size_t len, bool final, uint8_t *out,
			       size_t *out_len);

/* ibx_seal_decryptor_new: start decrypting the stream that header (from
 * the Referral) opens under key.  The caller frees *out with
 * ibx_seal_stream_free.  IBX_ENOMEM, IBX_ECRYPTO (a header refused). */
ibx_err ibx_seal_decryptor_new(const uint8_t key[IBX_CONTENT_KEY_LEN],
			       const uint8_t header[IBX_STREAM_HEADER_LEN],
			       ibx_seal_stream **out);

/* ibx_seal_decrypt_chunk: decrypt and verify the stream's next chunk (len
 * bytes of ciphertext, IBX_CHUNK_ABYTES + 1 .. IBX_CHUNK_CIPHER_MAX) into
 * out (room for len - IBX_CHUNK_ABYTES bytes); *out_len is the clear
 * length and *final true when it carried TAG_FINAL.  IBX_ECRYPTO when it
 * does not verify (a changed byte, a chunk out of order, one missing
 * before it, a wrong key or header), when it carries a tag other than
 * MESSAGE or FINAL, or comes after the final chunk; nothing is written to
 * out then, and the stream refuses everything after.  IBX_EINVAL for a
 * length out of bounds or an encryptor. */
ibx_err ibx_seal_decrypt_chunk(ibx_seal_stream *s, const uint8_t *ct,
			       size_t len, uint8_t *out, size_t *out_len,
			       bool *final);

/* ibx_seal_decrypt_finish: IBX_OK when the stream ended with TAG_FINAL and
 * nothing failed; IBX_ECRYPTO otherwise (a truncated package). */
ibx_err ibx_seal_decrypt_finish(const ibx_seal_stream *s);

/* ibx_seal_stream_free: wipe and free.  NULL is fine. */
void ibx_seal_stream_free(ibx_seal_stream *s);

/* An incremental SHA-256 (OpenSSL's, hardware-accelerated), for files and
 * chunks that are read piece by piece.  Opaque; _free accepts NULL. */
typedef struct ibx_sha256_stream ibx_sha256_stream;

/* ibx_sha256_stream_new: IBX_ENOMEM, IBX_ECRYPTO. */
ibx_err ibx_sha256_stream_new(ibx_sha256_stream **out);
void ibx_sha256_stream_update(ibx_sha256_stream *h, const uint8_t *data,
			      size_t len);
/* ibx_sha256_stream_final: the digest into out; h starts over empty. */
void ibx_sha256_stream_final(ibx_sha256_stream *h,
			     uint8_t out[IBX_SHA256_BYTES]);
void ibx_sha256_stream_free(ibx_sha256_stream *h);

#endif /* IBX_SEAL_H */
