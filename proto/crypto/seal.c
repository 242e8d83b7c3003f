/*
 * Referral packages' end-to-end encryption with libsodium; see seal.h.
 * Sources: libsodium's documentation, "Sealed boxes" (crypto_box_seal)
 * and "Encrypted streams and file encryption"
 * (crypto_secretstream_xchacha20poly1305).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sodium.h>

#include "hex.h"
#include "log.h"
#include "seal.h"

/* The sizes referral.h states, against the library's own. */
_Static_assert(IBX_ENC_PUBLIC_KEY_LEN == crypto_box_PUBLICKEYBYTES,
	       "X25519 public key");
_Static_assert(IBX_SEAL_SECRET_KEY_LEN == crypto_box_SECRETKEYBYTES,
	       "X25519 secret key");
_Static_assert(IBX_CONTENT_KEY_LEN ==
		   crypto_secretstream_xchacha20poly1305_KEYBYTES,
	       "content key");
_Static_assert(IBX_SEALED_KEY_LEN ==
		   crypto_box_SEALBYTES + IBX_CONTENT_KEY_LEN,
	       "sealed content key");
_Static_assert(IBX_STREAM_HEADER_LEN ==
		   crypto_secretstream_xchacha20poly1305_HEADERBYTES,
	       "stream header");
_Static_assert(IBX_CHUNK_ABYTES ==
		   crypto_secretstream_xchacha20poly1305_ABYTES,
	       "chunk overhead");
_Static_assert(IBX_SHA256_BYTES == crypto_hash_sha256_BYTES, "SHA-256");

struct ibx_seal_stream {
	crypto_secretstream_xchacha20poly1305_state st;
	bool encrypt;
	bool finished; /* TAG_FINAL pushed or pulled */
	bool failed;   /* a chunk did not verify: refuse the rest */
};

/* OpenSSL's SHA-256, not libsodium's: it uses the CPU's SHA extensions
 * (about 1.7 GB/s here against some 0.3 GB/s), and a package is hashed
 * three times on each side. */
struct ibx_sha256_stream {
	EVP_MD_CTX *ctx;
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool sodium_ok;

static void
start(void)
{
	if (sodium_init() < 0) {
		IBX_ERROR("crypto: libsodium cannot start");
		return;
	}
	sodium_ok = true;
}

static bool
ready(void)
{
	pthread_once(&once, start);
	return (sodium_ok);
}

ibx_err
ibx_seal_keypair_new(ibx_seal_keypair *out)
{
	if (!ready())
		return (IBX_ECRYPTO);
	if (crypto_box_keypair(out->public_key, out->secret_key) != 0)
		return (IBX_ECRYPTO);
	return (IBX_OK);
}

void
ibx_seal_keypair_wipe(ibx_seal_keypair *kp)
{
	if (kp != NULL)
		sodium_memzero(kp, sizeof(*kp));
}

ibx_err
ibx_seal_keypair_save(const char *path, const ibx_seal_keypair *kp)
{
	uint8_t buf[IBX_ENC_PUBLIC_KEY_LEN + IBX_SEAL_SECRET_KEY_LEN];
	ibx_err rv = IBX_EIO;
	ssize_t n;
	int fd, e;

	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) <
	    0) {
		e = errno;
		IBX_ERROR("seal: %s: cannot create key file: %s", path,
			  strerror(e));
		return (e == EEXIST ? IBX_EINVAL : IBX_EIO);
	}
	memcpy(buf, kp->public_key, IBX_ENC_PUBLIC_KEY_LEN);
	memcpy(buf + IBX_ENC_PUBLIC_KEY_LEN, kp->secret_key,
	       IBX_SEAL_SECRET_KEY_LEN);
	n = write(fd, buf, sizeof(buf));
	if (n != (ssize_t)sizeof(buf) || fsync(fd) != 0) {
		IBX_ERROR("seal: %s: cannot write key file: %s", path,
			  n < 0 ? strerror(errno) : "short write");
		goto out;
	}
	rv = IBX_OK;
out:
	sodium_memzero(buf, sizeof(buf));
	if (close(fd) != 0 && rv == IBX_OK) {
		IBX_ERROR("seal: %s: %s", path, strerror(errno));
		rv = IBX_EIO;
	}
	if (rv != IBX_OK)
		(void)unlink(path);
	return (rv);
}

ibx_err
ibx_seal_keypair_load(const char *path, ibx_seal_keypair *out)
{
	uint8_t buf[IBX_ENC_PUBLIC_KEY_LEN + IBX_SEAL_SECRET_KEY_LEN + 1];
	uint8_t pk[IBX_ENC_PUBLIC_KEY_LEN];
	struct stat sb;
	ibx_err rv = IBX_EINVAL;
	ssize_t n;
	int fd;

	if (!ready())
		return (IBX_ECRYPTO);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		IBX_ERROR("seal: %s: cannot open key file: %s", path,
			  strerror(errno));
		return (IBX_EIO);
	}
	if (fstat(fd, &sb) != 0) {
		IBX_ERROR("seal: %s: %s", path, strerror(errno));
		rv = IBX_EIO;
		goto out;
	}
	if ((sb.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
		IBX_ERROR("seal: %s: key file is open to group or others "
			  "(mode %03o): make it 0600",
			  path, (unsigned)(sb.st_mode & 0777));
		goto out;
	}
	n = read(fd, buf, sizeof(buf));
	if (n < 0) {
		IBX_ERROR("seal: %s: %s", path, strerror(errno));
		rv = IBX_EIO;
		goto out;
	}
	if (n != IBX_ENC_PUBLIC_KEY_LEN + IBX_SEAL_SECRET_KEY_LEN) {
		IBX_ERROR("seal: %s: key file is not %d bytes", path,
			  IBX_ENC_PUBLIC_KEY_LEN + IBX_SEAL_SECRET_KEY_LEN);
		goto out;
	}
	if (crypto_scalarmult_base(pk, buf + IBX_ENC_PUBLIC_KEY_LEN) != 0 ||
	    sodium_memcmp(pk, buf, IBX_ENC_PUBLIC_KEY_LEN) != 0) {
		IBX_ERROR("seal: %s: public key is not the secret key's",
			  path);
		goto out;
	}
	memcpy(out->public_key, buf, IBX_ENC_PUBLIC_KEY_LEN);
	memcpy(out->secret_key, buf + IBX_ENC_PUBLIC_KEY_LEN,
	       IBX_SEAL_SECRET_KEY_LEN);
	rv = IBX_OK;
out:
	sodium_memzero(buf, sizeof(buf));
	close(fd);
	return (rv);
}

void
ibx_seal_key_id(const uint8_t public_key[IBX_ENC_PUBLIC_KEY_LEN],
		char out[IBX_KEY_ID_HEX + 1])
{
	uint8_t h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, public_key, IBX_ENC_PUBLIC_KEY_LEN);
	ibx_hex_encode(h, IBX_KEY_ID_HEX / 2, out);
	out[IBX_KEY_ID_HEX] = '\0';
}

bool
ibx_seal_key_id_check(const ibx_encryption_key *k)
{
	char id[IBX_KEY_ID_HEX + 1];

	ibx_seal_key_id(k->public_key, id);
	return (strcmp(id, k->key_id) == 0);
}

ibx_err
ibx_seal_referral_id_new(char out[IBX_REFERRAL_ID_HEX + 1])
{
	uint8_t b[IBX_REFERRAL_ID_HEX / 2];

	if (!ready())
		return (IBX_ECRYPTO);
	randombytes_buf(b, sizeof(b));
	ibx_hex_encode(b, sizeof(b), out);
	out[IBX_REFERRAL_ID_HEX] = '\0';
	return (IBX_OK);
}

ibx_err
ibx_seal_content_key_new(uint8_t key[IBX_CONTENT_KEY_LEN])
{
	if (!ready())
		return (IBX_ECRYPTO);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	return (IBX_OK);
}

ibx_err
ibx_seal_content_key(const uint8_t key[IBX_CONTENT_KEY_LEN],
		     const uint8_t public_key[IBX_ENC_PUBLIC_KEY_LEN],
		     uint8_t sealed[IBX_SEALED_KEY_LEN])
{
	if (!ready())
		return (IBX_ECRYPTO);
	if (crypto_box_seal(sealed, key, IBX_CONTENT_KEY_LEN, public_key) != 0)
		return (IBX_ECRYPTO);
	return (IBX_OK);
}

ibx_err
ibx_seal_open_content_key(const uint8_t sealed[IBX_SEALED_KEY_LEN],
			  const ibx_seal_keypair *kp,
			  uint8_t key[IBX_CONTENT_KEY_LEN])
{
	if (!ready())
		return (IBX_ECRYPTO);
	if (crypto_box_seal_open(key, sealed, IBX_SEALED_KEY_LEN,
				 kp->public_key, kp->secret_key) != 0) {
		sodium_memzero(key, IBX_CONTENT_KEY_LEN);
		return (IBX_ECRYPTO);
	}
	return (IBX_OK);
}

static ibx_err
stream_new(bool encrypt, ibx_seal_stream **out)
{
	ibx_seal_stream *s;

	if (!ready())
		return (IBX_ECRYPTO);
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return (IBX_ENOMEM);
	s->encrypt = encrypt;
	*out = s;
	return (IBX_OK);
}

ibx_err
ibx_seal_encryptor_new(const uint8_t key[IBX_CONTENT_KEY_LEN],
		       uint8_t header[IBX_STREAM_HEADER_LEN],
		       ibx_seal_stream **out)
{
	ibx_seal_stream *s;
	ibx_err rv;

	if ((rv = stream_new(true, &s)) != IBX_OK)
		return (rv);
	if (crypto_secretstream_xchacha20poly1305_init_push(&s->st, header,
							    key) != 0) {
		ibx_seal_stream_free(s);
		return (IBX_ECRYPTO);
	}
	*out = s;
	return (IBX_OK);
}

ibx_err
ibx_seal_encrypt_chunk(ibx_seal_stream *s, const uint8_t *clear, size_t len,
		       bool final, uint8_t *out, size_t *out_len)
{
	unsigned long long n;
	uint8_t tag = final
			  ? crypto_secretstream_xchacha20poly1305_TAG_FINAL
			  : crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;

	if (!s->encrypt || s->finished || len == 0 ||
	    len > IBX_CHUNK_CLEAR_MAX)
		return (IBX_EINVAL);
	if (crypto_secretstream_xchacha20poly1305_push(&s->st, out, &n, clear,
						       len, NULL, 0, tag) != 0)
		return (IBX_ECRYPTO);
	s->finished = final;
	*out_len = (size_t)n;
	return (IBX_OK);
}

ibx_err
ibx_seal_decryptor_new(const uint8_t key[IBX_CONTENT_KEY_LEN],
		       const uint8_t header[IBX_STREAM_HEADER_LEN],
		       ibx_seal_stream **out)
{
	ibx_seal_stream *s;
	ibx_err rv;

	if ((rv = stream_new(false, &s)) != IBX_OK)
		return (rv);
	if (crypto_secretstream_xchacha20poly1305_init_pull(&s->st, header,
							    key) != 0) {
		ibx_seal_stream_free(s);
		return (IBX_ECRYPTO);
	}
	*out = s;
	return (IBX_OK);
}

ibx_err
ibx_seal_decrypt_chunk(ibx_seal_stream *s, const uint8_t *ct, size_t len,
		       uint8_t *out, size_t *out_len, bool *final)
{
	unsigned long long n;
	unsigned char tag;

	if (s->encrypt || len <= IBX_CHUNK_ABYTES ||
	    len > IBX_CHUNK_CIPHER_MAX)
		return (IBX_EINVAL);
	/* Nothing may follow the final chunk, nor a chunk that failed. */
	if (s->finished || s->failed) {
		s->failed = true;
		return (IBX_ECRYPTO);
	}
	if (crypto_secretstream_xchacha20poly1305_pull(
		&s->st, out, &n, &tag, ct, len, NULL, 0) != 0) {
		s->failed = true;
		return (IBX_ECRYPTO);
	}
	if (tag != crypto_secretstream_xchacha20poly1305_TAG_MESSAGE &&
	    tag != crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
		/* We never push PUSH or REKEY: not our stream. */
		sodium_memzero(out, (size_t)n);
		s->failed = true;
		return (IBX_ECRYPTO);
	}
	s->finished = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
	*out_len = (size_t)n;
	*final = s->finished;
	return (IBX_OK);
}

ibx_err
ibx_seal_decrypt_finish(const ibx_seal_stream *s)
{
	return (!s->encrypt && s->finished && !s->failed ? IBX_OK
							 : IBX_ECRYPTO);
}

void
ibx_seal_stream_free(ibx_seal_stream *s)
{
	if (s == NULL)
		return;
	sodium_memzero(s, sizeof(*s));
	free(s);
}

ibx_err
ibx_sha256_stream_new(ibx_sha256_stream **out)
{
	ibx_sha256_stream *h;

	if ((h = malloc(sizeof(*h))) == NULL)
		return (IBX_ENOMEM);
	if ((h->ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(h->ctx);
		free(h);
		return (IBX_ECRYPTO);
	}
	*out = h;
	return (IBX_OK);
}

void
ibx_sha256_stream_update(ibx_sha256_stream *h, const uint8_t *data, size_t len)
{
	(void)EVP_DigestUpdate(h->ctx, data, len);
}

void
ibx_sha256_stream_final(ibx_sha256_stream *h, uint8_t out[IBX_SHA256_BYTES])
{
	unsigned int n = IBX_SHA256_BYTES;

	(void)EVP_DigestFinal_ex(h->ctx, out, &n);
	(void)EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL);
}

void
ibx_sha256_stream_free(ibx_sha256_stream *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}
