/*
 * libFuzzer target: the referral channel's payloads and query answers
 * (proto/wire/codec_referral.c) as the hub and the spokes decode them from
 * the network.  The first byte picks the message; the rest is decoded,
 * checked by the rules of proto/domain/referral.c, and what decodes is
 * encoded, decoded and encoded again: the two encodings must be equal
 * (a fixed point), and a decoder returns only IBX_OK, IBX_EMALFORMED or
 * IBX_EINVAL, never leaving memory behind (LeakSanitizer).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "referral.h"
#include "wire.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init("fuzz_referral");
	return (0);
}

static void
same_bytes(const ibx_bytes *a, const ibx_bytes *b)
{
	FUZZ_REQUIRE(a->len == b->len);
	FUZZ_REQUIRE(a->len == 0 || memcmp(a->data, b->data, a->len) == 0);
}

static void
decoded(ibx_err rv)
{
	FUZZ_REQUIRE(rv == IBX_OK || rv == IBX_EMALFORMED || rv == IBX_EINVAL);
}

/* decode buf, check, then encode(decode(encode(x))) == encode(x). */
#define FIXED_POINT(type, dec, enc, check)                                    \
	do {                                                                  \
		type x, y;                                                    \
		ibx_bytes e1 = {NULL, 0}, e2 = {NULL, 0};                     \
		ibx_err rv = dec(buf, len, &p, &x);                           \
		decoded(rv);                                                  \
		if (rv != IBX_OK)                                             \
			break;                                                \
		(void)check;                                                  \
		FUZZ_REQUIRE(enc(&x, &e1) == IBX_OK);                         \
		FUZZ_REQUIRE(dec(e1.data, e1.len, &p, &y) == IBX_OK);         \
		FUZZ_REQUIRE(enc(&y, &e2) == IBX_OK);                         \
		same_bytes(&e1, &e2);                                         \
		ibx_bytes_fini(&e1);                                          \
		ibx_bytes_fini(&e2);                                          \
	} while (0)

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *buf = data + 1;
	size_t len = size > 0 ? size - 1 : 0;
	ibx_problems p;

	if (size == 0)
		return (0);
	ibx_problems_init(&p);
	switch (data[0] % 9) {
	case 0:
		FIXED_POINT(ibx_encryption_key, ibx_encryption_key_decode,
			    ibx_encryption_key_encode,
			    ibx_encryption_key_check(&x, &p));
		break;
	case 1:
		FIXED_POINT(ibx_referral, ibx_referral_decode,
			    ibx_referral_encode, ibx_referral_check(&x, &p));
		break;
	case 2:
		FIXED_POINT(ibx_referral_status, ibx_referral_status_decode,
			    ibx_referral_status_encode,
			    ibx_referral_status_check(&x, &p));
		break;
	case 3:
		FIXED_POINT(ibx_key_query, ibx_key_query_decode,
			    ibx_key_query_encode, ibx_key_query_check(&x, &p));
		break;
	case 4:
		FIXED_POINT(ibx_inbox_query, ibx_inbox_query_decode,
			    ibx_inbox_query_encode,
			    ibx_inbox_query_check(&x, &p));
		break;
	case 5:
		FIXED_POINT(ibx_chunk_query, ibx_chunk_query_decode,
			    ibx_chunk_query_encode,
			    ibx_chunk_query_check(&x, &p));
		break;
	case 6: {
		ibx_referral_chunk c, d;
		ibx_bytes e1 = {NULL, 0}, e2 = {NULL, 0};
		ibx_err rv = ibx_referral_chunk_decode(buf, len, &p, &c);

		decoded(rv);
		if (rv != IBX_OK)
			break;
		(void)ibx_referral_chunk_check(&c, NULL, &p);
		FUZZ_REQUIRE(ibx_referral_chunk_encode(&c, &e1) == IBX_OK);
		FUZZ_REQUIRE(ibx_referral_chunk_decode(e1.data, e1.len, &p,
						       &d) == IBX_OK);
		FUZZ_REQUIRE(ibx_referral_chunk_encode(&d, &e2) == IBX_OK);
		same_bytes(&e1, &e2);
		ibx_referral_chunk_fini(&c);
		ibx_referral_chunk_fini(&d);
		ibx_bytes_fini(&e1);
		ibx_bytes_fini(&e2);
		break;
	}
	case 7: {
		ibx_key_reply r, s;
		ibx_bytes e1 = {NULL, 0}, e2 = {NULL, 0};
		ibx_err rv = ibx_key_reply_decode(buf, len, &p, &r);

		decoded(rv);
		if (rv != IBX_OK)
			break;
		FUZZ_REQUIRE(ibx_key_reply_encode(&r, &e1) == IBX_OK);
		FUZZ_REQUIRE(ibx_key_reply_decode(e1.data, e1.len, &p, &s) ==
			     IBX_OK);
		FUZZ_REQUIRE(ibx_key_reply_encode(&s, &e2) == IBX_OK);
		same_bytes(&e1, &e2);
		ibx_key_reply_fini(&r);
		ibx_key_reply_fini(&s);
		ibx_bytes_fini(&e1);
		ibx_bytes_fini(&e2);
		break;
	}
	case 8: {
		ibx_inbox_reply r, s;
		ibx_bytes e1 = {NULL, 0}, e2 = {NULL, 0};
		ibx_err rv = ibx_inbox_reply_decode(buf, len, &p, &r);

		decoded(rv);
		if (rv != IBX_OK)
			break;
		FUZZ_REQUIRE(ibx_inbox_reply_encode(&r, &e1) == IBX_OK);
		FUZZ_REQUIRE(ibx_inbox_reply_decode(e1.data, e1.len, &p, &s) ==
			     IBX_OK);
		FUZZ_REQUIRE(ibx_inbox_reply_encode(&s, &e2) == IBX_OK);
		same_bytes(&e1, &e2);
		ibx_inbox_reply_fini(&r);
		ibx_inbox_reply_fini(&s);
		ibx_bytes_fini(&e1);
		ibx_bytes_fini(&e2);
		break;
	}
	}
	ibx_problems_fini(&p);
	return (0);
}
