/*
 * Referral packages (issue 15, docs/referrals.md "Packages"): a directory
 * of any files (a case summary, reports, DICOM studies) made into one byte
 * stream and encrypted end to end for the receiving party, chunk by chunk,
 * and back.  This component knows files and the package format; the
 * cryptography is proto/crypto/seal.h, the transport and the outbox are
 * other components' (it links no nng).
 *
 * The clear stream (all integers big-endian):
 *
 *   "inbound.v1 package\0"  19 bytes, the format tag
 *   file count               4 bytes (at most IBX_PACKAGE_FILES_MAX)
 *   per file, in the order of their names (bytewise):
 *     name length            2 bytes (1 .. IBX_PACKAGE_NAME_MAX)
 *     name                   the path relative to the directory, '/'
 *                            between components, no NUL
 *     size                   8 bytes
 *     SHA-256                32 bytes of the content
 *   the files' contents, in the same order, back to back.
 *
 * It is cut into chunks of IBX_CHUNK_CLEAR_MAX bytes (the last one
 * shorter), each encrypted as the next message of one
 * crypto_secretstream_xchacha20poly1305 stream, the last with TAG_FINAL,
 * and kept as a file "NNNNNN.chunk" (index, 6 digits) in a folder.
 *
 * Memory: one chunk of clear text and one of ciphertext, plus the manifest
 * (at most 10,000 names), whatever the package's size.
 */
#ifndef IBX_PACKAGE_H
#define IBX_PACKAGE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "referral.h"
#include "seal.h"

#define IBX_PACKAGE_FILES_MAX 10000
#define IBX_PACKAGE_NAME_MAX  255 /* bytes of a relative path */
#define IBX_PACKAGE_TAG	      "inbound.v1 package" /* and its NUL */

/* What sealing produced: the Referral's package fields. */
typedef struct ibx_package_meta {
	char key_id[IBX_KEY_ID_HEX + 1]; /* the receiver's key */
	uint8_t sealed_key[IBX_SEALED_KEY_LEN];
	uint8_t stream_header[IBX_STREAM_HEADER_LEN];
	uint32_t chunk_count;
	uint64_t package_bytes; /* ciphertext, all chunks */
	uint8_t chunks_sha256[IBX_SHA256_BYTES];
	uint64_t clear_bytes; /* the clear stream: manifest and files */
	uint32_t files;
} ibx_package_meta;

/* ibx_package_chunk_path: "<dir>/<index, 6 digits>.chunk" into out (n
 * bytes).  IBX_ETOOBIG when it does not fit. */
ibx_err ibx_package_chunk_path(const char *dir, uint32_t index, char *out,
			       size_t n);

/* ibx_package_name_valid: true when name (len bytes, not NUL-terminated)
 * may name a file of a package: 1 .. IBX_PACKAGE_NAME_MAX bytes, no NUL
 * or control character, not starting with '/', and no empty, "." or ".."
 * component.  The reader refuses any other name before it writes
 * anything, so no name escapes its folder. */
bool ibx_package_name_valid(const char *name, size_t len);

/* ibx_package_seal: make the package of directory dir (every regular file
 * under it, recursively; empty folders are not kept) and encrypt it for
 * the receiver whose X25519 public key is public_key into a new folder
 * out_dir (which must not exist; it is written as "<out_dir>.part" and
 * renamed when complete and synced, so it never holds half a package).
 * On IBX_OK *meta holds the Referral's package fields.  Refused with
 * IBX_EINVAL and the reason in err (n bytes), naming the file: a symbolic
 * link, anything but a regular file or folder, a name over
 * IBX_PACKAGE_NAME_MAX bytes, more than IBX_PACKAGE_FILES_MAX files, a
 * package over IBX_REFERRAL_CHUNKS_MAX chunks, a file that changed while
 * it was read, an out_dir that exists.  IBX_EIO (a read or write error,
 * errno in err), IBX_ENOMEM, IBX_ECRYPTO.  Nothing is left in out_dir on
 * failure. */
ibx_err ibx_package_seal(const char *dir,
			 const uint8_t public_key[IBX_ENC_PUBLIC_KEY_LEN],
			 const char *out_dir, ibx_package_meta *meta,
			 char *err, size_t n);

/* ibx_package_meta_to_referral: copy the package fields of meta into r
 * (key_id, sealed_key, stream_header, chunk_count, package_bytes,
 * chunks_sha256); the caller fills the rest. */
void ibx_package_meta_to_referral(const ibx_package_meta *meta,
				  ibx_referral *r);

/*
 * The reader, one chunk at a time, in order.  It opens the sealed key with
 * the receiver's key pair, decrypts and verifies each chunk, parses the
 * manifest, writes the files into a temporary folder next to out_dir, and
 * only when the last chunk carried TAG_FINAL, every file's SHA-256 equals
 * the manifest's, and the chunks' digest equals the Referral's, renames it
 * to out_dir.  Any failure removes the temporary folder: out_dir then does
 * not exist.
 */
typedef struct ibx_package_reader ibx_package_reader;

/* ibx_package_reader_new: start reading the package of referral r (its
 * sealed_key, stream_header, chunk_count, package_bytes, chunks_sha256)
 * with key pair kp into out_dir (which must not exist; its parent must).
 * Temporary folders "<out_dir>.part-XXXXXX" that a reader killed part-way
 * left behind are removed first.
 * The caller frees *out with ibx_package_reader_free.  IBX_ECRYPTO when
 * r->key_id (when not empty) is not kp's key id (the referral is sealed to
 * another key: pick the key pair by key id when keys rotate), or the
 * sealed key does not open with kp (a package for another party, or a
 * changed sealed key), IBX_EINVAL (out_dir exists), IBX_EIO, IBX_ENOMEM;
 * the reason in err (n bytes). */
ibx_err ibx_package_reader_new(const ibx_referral *r,
			       const ibx_seal_keypair *kp, const char *out_dir,
			       ibx_package_reader **out, char *err, size_t n);

/* ibx_package_reader_push: the next chunk (len bytes of ciphertext).
 * IBX_ECRYPTO when it does not verify or comes after the final one,
 * IBX_EINVAL when the clear stream breaks the format (a bad name, a
 * duplicate, a size or SHA-256 that does not match, bytes after the last
 * file), IBX_EIO; the reason in err.  After an error the reader refuses
 * everything and has removed what it wrote. */
ibx_err ibx_package_reader_push(ibx_package_reader *pr, const uint8_t *ct,
				size_t len, char *err, size_t n);

/* ibx_package_reader_finish: check that the package is complete (every
 * chunk, TAG_FINAL on the last, the manifest's files all written and
 * verified, chunks_sha256 and package_bytes as the Referral says), sync
 * the files and rename the folder to out_dir.  IBX_ECRYPTO for a
 * truncated package, IBX_EINVAL, IBX_EIO; the reason in err.  The files
 * and bytes written are returned through files and bytes (may be NULL). */
ibx_err ibx_package_reader_finish(ibx_package_reader *pr, uint32_t *files,
				  uint64_t *bytes, char *err, size_t n);

/* ibx_package_reader_free: remove the temporary folder unless finish
 * succeeded, wipe the keys, free.  NULL is fine. */
void ibx_package_reader_free(ibx_package_reader *pr);

/* ibx_package_open: the whole reader over the chunk files of chunk_dir
 * (ibx_package_chunk_path, 0 .. r->chunk_count - 1), as above.  IBX_EIO
 * also for a chunk file missing or over IBX_CHUNK_CIPHER_MAX bytes. */
ibx_err ibx_package_open(const ibx_referral *r, const char *chunk_dir,
			 const ibx_seal_keypair *kp, const char *out_dir,
			 uint32_t *files, uint64_t *bytes, char *err,
			 size_t n);

#endif /* IBX_PACKAGE_H */
