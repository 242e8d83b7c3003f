/*
 * Unit tests of proto/crypto/seal.c: key pairs and their files, key ids,
 * the sealed content key, and the encrypted stream, which must refuse a
 * flipped byte, a reordered, dropped or repeated chunk, a wrong key or
 * header, and a stream that ends without TAG_FINAL.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "hex.h"
#include "seal.h"

#define NCHUNKS 4

/* A stream of NCHUNKS chunks (the last one shorter, TAG_FINAL). */
struct sample {
	uint8_t key[IBX_CONTENT_KEY_LEN];
	uint8_t header[IBX_STREAM_HEADER_LEN];
	uint8_t *clear[NCHUNKS];
	size_t clear_len[NCHUNKS];
	uint8_t *ct[NCHUNKS];
	size_t ct_len[NCHUNKS];
};

static void
sample_make(struct sample *s, size_t chunk)
{
	ibx_seal_stream *e = NULL;
	size_t i, j;

	assert_int_equal(ibx_seal_content_key_new(s->key), IBX_OK);
	assert_int_equal(ibx_seal_encryptor_new(s->key, s->header, &e),
			 IBX_OK);
	for (i = 0; i < NCHUNKS; i++) {
		s->clear_len[i] = i + 1 < NCHUNKS ? chunk : chunk / 3 + 1;
		assert_non_null(s->clear[i] = malloc(s->clear_len[i]));
		for (j = 0; j < s->clear_len[i]; j++)
			s->clear[i][j] = (uint8_t)(i * 31 + j * 7);
		assert_non_null(
		    s->ct[i] = malloc(s->clear_len[i] + IBX_CHUNK_ABYTES));
		assert_int_equal(
		    ibx_seal_encrypt_chunk(e, s->clear[i], s->clear_len[i],
					   i + 1 == NCHUNKS, s->ct[i],
					   &s->ct_len[i]),
		    IBX_OK);
		assert_int_equal(s->ct_len[i],
				 s->clear_len[i] + IBX_CHUNK_ABYTES);
	}
	/* Nothing after the final chunk. */
	assert_int_equal(ibx_seal_encrypt_chunk(e, s->clear[0], 1, false,
						s->ct[0], &s->ct_len[0]),
			 IBX_EINVAL);
	ibx_seal_stream_free(e);
}

static void
sample_free(struct sample *s)
{
	size_t i;

	for (i = 0; i < NCHUNKS; i++) {
		free(s->clear[i]);
		free(s->ct[i]);
	}
}

/* Decrypt the chunks order[0..n-1] of s; the index of the first refused
 * chunk, or n when all passed; *finished: ibx_seal_decrypt_finish was OK.
 */
static size_t
decrypt_order(const struct sample *s, const uint8_t *key,
	      const uint8_t *header, const size_t *order, size_t n,
	      bool *finished)
{
	ibx_seal_stream *d = NULL;
	uint8_t *out = malloc(IBX_CHUNK_CLEAR_MAX);
	size_t i, len;
	bool final;

	assert_non_null(out);
	assert_int_equal(ibx_seal_decryptor_new(key, header, &d), IBX_OK);
	for (i = 0; i < n; i++) {
		size_t k = order[i];

		if (ibx_seal_decrypt_chunk(d, s->ct[k], s->ct_len[k], out,
					   &len, &final) != IBX_OK)
			break;
		assert_int_equal(len, s->clear_len[k]);
		assert_memory_equal(out, s->clear[k], len);
		assert_int_equal(final, k + 1 == NCHUNKS);
	}
	*finished = ibx_seal_decrypt_finish(d) == IBX_OK;
	ibx_seal_stream_free(d);
	free(out);
	return (i);
}

static void
test_stream_round_trip(void **state)
{
	static const size_t in_order[] = {0, 1, 2, 3};
	struct sample s;
	bool finished;

	(void)state;
	sample_make(&s, IBX_CHUNK_CLEAR_MAX);
	assert_int_equal(
	    decrypt_order(&s, s.key, s.header, in_order, 4, &finished), 4);
	assert_true(finished);
	sample_free(&s);
}

static void
test_stream_refusals(void **state)
{
	static const size_t in_order[] = {0, 1, 2, 3};
	static const size_t swapped[] = {0, 2, 1, 3};
	static const size_t dropped[] = {0, 2, 3};
	static const size_t repeated[] = {0, 1, 1, 2, 3};
	static const size_t after_final[] = {0, 1, 2, 3, 3};
	struct sample s;
	uint8_t key[IBX_CONTENT_KEY_LEN], header[IBX_STREAM_HEADER_LEN];
	bool finished;
	size_t k, at;

	(void)state;
	sample_make(&s, 4096);
	/* A flipped byte in any chunk, at its start, middle or tag. */
	for (k = 0; k < NCHUNKS; k++)
		for (at = 0; at < s.ct_len[k]; at += s.ct_len[k] / 3) {
			s.ct[k][at] ^= 0x01;
			assert_int_equal(decrypt_order(&s, s.key, s.header,
						       in_order, 4, &finished),
					 k);
			assert_false(finished);
			s.ct[k][at] ^= 0x01;
		}
	/* Reordered, dropped, repeated, extra after the final chunk. */
	assert_int_equal(
	    decrypt_order(&s, s.key, s.header, swapped, 4, &finished), 1);
	assert_false(finished);
	assert_int_equal(
	    decrypt_order(&s, s.key, s.header, dropped, 3, &finished), 1);
	assert_false(finished);
	assert_int_equal(
	    decrypt_order(&s, s.key, s.header, repeated, 5, &finished), 2);
	assert_false(finished);
	assert_int_equal(
	    decrypt_order(&s, s.key, s.header, after_final, 5, &finished), 4);
	assert_false(finished);
	/* Truncated: every chunk in order, but the final one missing. */
	assert_int_equal(
	    decrypt_order(&s, s.key, s.header, in_order, 3, &finished), 3);
	assert_false(finished);
	/* A flipped byte in the header; another key. */
	memcpy(header, s.header, sizeof(header));
	header[5] ^= 0x80;
	assert_int_equal(
	    decrypt_order(&s, s.key, header, in_order, 4, &finished), 0);
	assert_false(finished);
	assert_int_equal(ibx_seal_content_key_new(key), IBX_OK);
	assert_int_equal(
	    decrypt_order(&s, key, s.header, in_order, 4, &finished), 0);
	assert_false(finished);
	/* And the untouched stream still opens. */
	assert_int_equal(
	    decrypt_order(&s, s.key, s.header, in_order, 4, &finished), 4);
	assert_true(finished);
	sample_free(&s);
}

static void
test_stream_bounds(void **state)
{
	uint8_t key[IBX_CONTENT_KEY_LEN], header[IBX_STREAM_HEADER_LEN];
	uint8_t *buf = malloc(IBX_CHUNK_CIPHER_MAX + 1);
	ibx_seal_stream *e = NULL, *d = NULL;
	size_t n;
	bool final;

	(void)state;
	assert_non_null(buf);
	memset(buf, 0, IBX_CHUNK_CIPHER_MAX + 1);
	assert_int_equal(ibx_seal_content_key_new(key), IBX_OK);
	assert_int_equal(ibx_seal_encryptor_new(key, header, &e), IBX_OK);
	assert_int_equal(ibx_seal_encrypt_chunk(e, buf, 0, false, buf, &n),
			 IBX_EINVAL);
	assert_int_equal(ibx_seal_encrypt_chunk(
			     e, buf, IBX_CHUNK_CLEAR_MAX + 1, false, buf, &n),
			 IBX_EINVAL);
	assert_int_equal(ibx_seal_decryptor_new(key, header, &d), IBX_OK);
	assert_int_equal(
	    ibx_seal_decrypt_chunk(d, buf, IBX_CHUNK_ABYTES, buf, &n, &final),
	    IBX_EINVAL);
	assert_int_equal(ibx_seal_decrypt_chunk(d, buf,
						IBX_CHUNK_CIPHER_MAX + 1, buf,
						&n, &final),
			 IBX_EINVAL);
	/* The wrong direction. */
	assert_int_equal(ibx_seal_decrypt_chunk(e, buf, 100, buf, &n, &final),
			 IBX_EINVAL);
	assert_int_equal(ibx_seal_encrypt_chunk(d, buf, 100, false, buf, &n),
			 IBX_EINVAL);
	assert_int_equal(ibx_seal_decrypt_finish(d), IBX_ECRYPTO);
	ibx_seal_stream_free(e);
	ibx_seal_stream_free(d);
	ibx_seal_stream_free(NULL);
	free(buf);
}

static void
test_content_key(void **state)
{
	ibx_seal_keypair a, b;
	uint8_t key[IBX_CONTENT_KEY_LEN], back[IBX_CONTENT_KEY_LEN];
	uint8_t sealed[IBX_SEALED_KEY_LEN], again[IBX_SEALED_KEY_LEN];
	size_t i;

	(void)state;
	assert_int_equal(ibx_seal_keypair_new(&a), IBX_OK);
	assert_int_equal(ibx_seal_keypair_new(&b), IBX_OK);
	assert_memory_not_equal(a.public_key, b.public_key,
				sizeof(a.public_key));
	assert_int_equal(ibx_seal_content_key_new(key), IBX_OK);
	assert_int_equal(ibx_seal_content_key(key, a.public_key, sealed),
			 IBX_OK);
	/* Sealing is randomised (an ephemeral key each time). */
	assert_int_equal(ibx_seal_content_key(key, a.public_key, again),
			 IBX_OK);
	assert_memory_not_equal(sealed, again, sizeof(sealed));
	assert_int_equal(ibx_seal_open_content_key(sealed, &a, back), IBX_OK);
	assert_memory_equal(back, key, sizeof(key));
	/* Sealed to A: B cannot open it. */
	assert_int_equal(ibx_seal_open_content_key(sealed, &b, back),
			 IBX_ECRYPTO);
	for (i = 0; i < sizeof(back); i++)
		assert_int_equal(back[i], 0);
	/* A flipped byte anywhere in the sealed key. */
	for (i = 0; i < sizeof(sealed); i++) {
		sealed[i] ^= 0x04;
		assert_int_equal(ibx_seal_open_content_key(sealed, &a, back),
				 IBX_ECRYPTO);
		sealed[i] ^= 0x04;
	}
	ibx_seal_keypair_wipe(&a);
	ibx_seal_keypair_wipe(&b);
	for (i = 0; i < sizeof(a.secret_key); i++)
		assert_int_equal(a.secret_key[i], 0);
	ibx_seal_keypair_wipe(NULL);
}

static void
test_key_id(void **state)
{
	ibx_seal_keypair kp;
	ibx_encryption_key k;
	uint8_t h[IBX_SHA256_LEN];
	char want[IBX_KEY_ID_HEX + 1];

	(void)state;
	assert_int_equal(ibx_seal_keypair_new(&kp), IBX_OK);
	memset(&k, 0, sizeof(k));
	memcpy(k.public_key, kp.public_key, sizeof(k.public_key));
	ibx_seal_key_id(kp.public_key, k.key_id);
	/* The first 8 bytes of SHA-256 (OpenSSL's, for a second opinion). */
	ibx_sha256(kp.public_key, sizeof(kp.public_key), h);
	ibx_hex_encode(h, 8, want);
	want[IBX_KEY_ID_HEX] = '\0';
	assert_string_equal(k.key_id, want);
	assert_true(ibx_key_id_valid(k.key_id));
	assert_true(ibx_seal_key_id_check(&k));
	k.public_key[0] ^= 1;
	assert_false(ibx_seal_key_id_check(&k));
	ibx_seal_keypair_wipe(&kp);
}

static void
test_key_file(void **state)
{
	char dir[] = "/tmp/ibx-seal-XXXXXX", path[64], bad[64];
	ibx_seal_keypair kp, back, other;
	struct stat sb;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/referral.key", dir);
	snprintf(bad, sizeof(bad), "%s/bad.key", dir);
	assert_int_equal(ibx_seal_keypair_new(&kp), IBX_OK);
	assert_int_equal(ibx_seal_keypair_save(path, &kp), IBX_OK);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, 64);
	assert_int_equal(ibx_seal_keypair_load(path, &back), IBX_OK);
	assert_memory_equal(&back, &kp, sizeof(kp));
	/* Never overwritten. */
	assert_int_equal(ibx_seal_keypair_new(&other), IBX_OK);
	assert_int_equal(ibx_seal_keypair_save(path, &other), IBX_EINVAL);
	assert_int_equal(ibx_seal_keypair_load(path, &back), IBX_OK);
	assert_memory_equal(&back, &kp, sizeof(kp));
	/* Open to others: refused. */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(ibx_seal_keypair_load(path, &back), IBX_EINVAL);
	/* A public key that is not the secret key's. */
	memcpy(other.public_key, kp.public_key, sizeof(kp.public_key));
	assert_int_equal(ibx_seal_keypair_save(bad, &other), IBX_OK);
	assert_int_equal(ibx_seal_keypair_load(bad, &back), IBX_EINVAL);
	unlink(bad);
	/* Short. */
	assert_non_null(f = fopen(bad, "w"));
	fputs("short", f);
	fclose(f);
	assert_int_equal(chmod(bad, 0600), 0);
	assert_int_equal(ibx_seal_keypair_load(bad, &back), IBX_EINVAL);
	unlink(bad);
	assert_int_equal(ibx_seal_keypair_load(bad, &back), IBX_EIO);
	unlink(path);
	rmdir(dir);
	ibx_seal_keypair_wipe(&kp);
	ibx_seal_keypair_wipe(&other);
	ibx_seal_keypair_wipe(&back);
}

static void
test_sha256_stream(void **state)
{
	static const uint8_t text[] =
	    "the quick brown fox jumps over the lazy "
	    "dog, again and again";
	ibx_sha256_stream *h = NULL;
	uint8_t one[IBX_SHA256_LEN], inc[IBX_SHA256_BYTES];
	char id[IBX_REFERRAL_ID_HEX + 1], id2[IBX_REFERRAL_ID_HEX + 1];
	size_t i;

	(void)state;
	ibx_sha256(text, sizeof(text), one);
	assert_int_equal(ibx_sha256_stream_new(&h), IBX_OK);
	for (i = 0; i < sizeof(text); i += 7)
		ibx_sha256_stream_update(
		    h, text + i, sizeof(text) - i < 7 ? sizeof(text) - i : 7);
	ibx_sha256_stream_final(h, inc);
	assert_memory_equal(one, inc, sizeof(one));
	/* It starts over. */
	ibx_sha256_stream_update(h, text, sizeof(text));
	ibx_sha256_stream_final(h, inc);
	assert_memory_equal(one, inc, sizeof(one));
	ibx_sha256_stream_free(h);
	ibx_sha256_stream_free(NULL);

	assert_int_equal(ibx_seal_referral_id_new(id), IBX_OK);
	assert_int_equal(ibx_seal_referral_id_new(id2), IBX_OK);
	assert_true(ibx_referral_id_valid(id));
	assert_string_not_equal(id, id2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_stream_round_trip),
	    cmocka_unit_test(test_stream_refusals),
	    cmocka_unit_test(test_stream_bounds),
	    cmocka_unit_test(test_content_key),
	    cmocka_unit_test(test_key_id),
	    cmocka_unit_test(test_key_file),
	    cmocka_unit_test(test_sha256_stream),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
