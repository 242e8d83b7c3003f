/*
 * The second factor and passwords (issue 17): proto/signin/totp.c against the
 * test vectors of RFC 6238 appendix B (SHA-1, the ASCII key
 * "12345678901234567890", 8-digit codes of which the last 6 are the
 * 6-digit code), its window of one step either side, base32 and the
 * otpauth:// URI; proto/crypto/password.c's Argon2id round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "password.h"
#include "totp.h"

static const uint8_t KEY[] = "12345678901234567890";

/* RFC 6238 appendix B, SHA-1 column: time and the 8-digit TOTP. */
static const struct {
	time_t t;
	const char *code8;
} VECTORS[] = {
    {59, "94287082"},	      {1111111109, "07081804"},
    {1111111111, "14050471"}, {1234567890, "89005924"},
    {2000000000, "69279037"}, {20000000000, "65353130"},
};

static void
test_rfc6238_vectors(void **state)
{
	size_t i;
	int64_t step;

	(void)state;
	for (i = 0; i < sizeof(VECTORS) / sizeof(VECTORS[0]); i++) {
		const char *code = VECTORS[i].code8 + 2;

		assert_int_equal(
		    ibx_totp_check(KEY, 20, code, VECTORS[i].t, &step),
		    IBX_OK);
		assert_int_equal(step, VECTORS[i].t / 30);
	}
}

static void
test_window_and_refusals(void **state)
{
	int64_t step = 0;

	(void)state;
	/* 94287082 is the code of step 1 (t = 30..59): good one step
	 * either side, not two. */
	assert_int_equal(ibx_totp_check(KEY, 20, "287082", 89, &step), IBX_OK);
	assert_int_equal(step, 1);
	assert_int_equal(ibx_totp_check(KEY, 20, "287082", 5, &step), IBX_OK);
	assert_int_equal(ibx_totp_check(KEY, 20, "287082", 95, &step),
			 IBX_ECRYPTO);
	assert_int_equal(ibx_totp_check(KEY, 20, "287083", 59, &step),
			 IBX_ECRYPTO);
	assert_int_equal(ibx_totp_check(KEY, 20, "28708", 59, &step),
			 IBX_EINVAL);
	assert_int_equal(ibx_totp_check(KEY, 20, "28708a", 59, &step),
			 IBX_EINVAL);
	assert_int_equal(ibx_totp_check(KEY, 20, NULL, 59, &step), IBX_EINVAL);
}

static void
test_base32_and_uri(void **state)
{
	char b32[IBX_TOTP_B32_MAX], *uri = NULL, *svg = NULL;

	(void)state;
	assert_int_equal(ibx_totp_base32(KEY, 20, b32, sizeof(b32)), IBX_OK);
	/* RFC 4648 base32 of "12345678901234567890". */
	assert_string_equal(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
	assert_int_equal(ibx_totp_base32(KEY, 20, b32, 10), IBX_ETOOBIG);
	assert_int_equal(
	    ibx_totp_uri(KEY, 20, "Inbound Exchange", "a.b@c", &uri), IBX_OK);
	assert_string_equal(
	    uri, "otpauth://totp/Inbound%20Exchange%3Aa.b%40c?secret="
		 "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Inbound%20Exchange"
		 "&algorithm=SHA1&digits=6&period=30");
	assert_int_equal(ibx_totp_qr_svg(uri, &svg), IBX_OK);
	assert_non_null(strstr(svg, "<svg xmlns"));
	assert_non_null(strstr(svg, "h1v1h-1z"));
	free(uri);
	free(svg);
}

static void
test_password_round_trip(void **state)
{
	char hash[IBX_PASSWORD_HASH_MAX];
	const char *pw = "correct horse battery staple";

	(void)state;
	assert_int_equal(ibx_password_hash(pw, strlen(pw), hash), IBX_OK);
	assert_memory_equal(hash, "$argon2id$", 10);
	assert_null(strstr(hash, "horse"));
	assert_int_equal(ibx_password_verify(hash, pw, strlen(pw)), IBX_OK);
	assert_int_equal(ibx_password_verify(hash, pw, strlen(pw) - 1),
			 IBX_ECRYPTO);
	assert_int_equal(ibx_password_verify("", pw, strlen(pw)), IBX_ECRYPTO);
	assert_int_equal(ibx_password_hash("short", 5, hash), IBX_EINVAL);
	assert_memory_equal(ibx_password_dummy_hash(), "$argon2id$", 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc6238_vectors),
	    cmocka_unit_test(test_window_and_refusals),
	    cmocka_unit_test(test_base32_and_uri),
	    cmocka_unit_test(test_password_round_trip),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
