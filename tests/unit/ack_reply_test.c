/*
 * The hub's signature covers Ack.reply (proto/crypto/ack_sign.c; issue 15:
 * the answers to the referral channel's queries travel in it).  With a
 * real national CA and hub certificate made by deploy/pki in a scratch
 * folder: a signed reply verifies; a reply changed, removed or added on
 * the way, or an Ack decoded without its reply, does not; an Ack without
 * a reply verifies as before.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "wire.h"

static char pki[] = "/tmp/ibx-ack-reply-XXXXXX";
static ibx_trust *trust;
static ibx_key *hub_key;
static ibx_bytes hub_der;
static const char *const names[] = {"localhost"};
static const ibx_hub_expect expect_hub = {names, 1, NULL};
static const uint8_t request[] = "a KeyQuery envelope, as the spoke sent it";
static const uint8_t reply[] = "a KeyReply: the hospital's announcements";

static int
remove_cb(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	(void)sb;
	(void)f;
	return (flag == FTW_DP ? rmdir(p) : unlink(p));
}

static int
setup(void **state)
{
	char cmd[PATH_MAX * 2], a[PATH_MAX], b[PATH_MAX];
	ibx_cert *c = NULL;

	(void)state;
	if (mkdtemp(pki) == NULL)
		return (-1);
	snprintf(cmd, sizeof(cmd),
		 "bash %s/deploy/pki/ca-init.sh %s >/dev/null 2>&1 && "
		 "bash %s/deploy/pki/issue.sh %s 0000000000 hub >/dev/null "
		 "2>&1",
		 IBX_SOURCE_DIR, pki, IBX_SOURCE_DIR, pki);
	if (system(cmd) != 0)
		return (-1);
	snprintf(a, sizeof(a), "%s/ca.pem", pki);
	snprintf(b, sizeof(b), "%s/crl.pem", pki);
	if (ibx_trust_load(a, b, &trust) != IBX_OK)
		return (-1);
	snprintf(a, sizeof(a), "%s/issued/0000000000.key", pki);
	snprintf(b, sizeof(b), "%s/issued/0000000000.pem", pki);
	if (ibx_key_load(a, &hub_key) != IBX_OK ||
	    ibx_cert_load(b, &c) != IBX_OK ||
	    ibx_cert_der(c, &hub_der) != IBX_OK)
		return (-1);
	ibx_cert_free(c);
	return (0);
}

static int
teardown(void **state)
{
	(void)state;
	ibx_trust_free(trust);
	ibx_key_free(hub_key);
	ibx_bytes_fini(&hub_der);
	(void)nftw(pki, remove_cb, 16, FTW_DEPTH | FTW_PHYS);
	return (0);
}

/* The hub's answer with reply (NULL for none), signed, encoded. */
static void
hub_answer(const uint8_t *r, size_t rlen, ibx_bytes *out)
{
	ibx_ack a;

	memset(&a, 0, sizeof(a));
	a.status = IBX_ACK_ACCEPTED;
	assert_int_equal(ibx_ack_sign_reply(hub_key, &hub_der, request,
					    sizeof(request), r, rlen, &a),
			 IBX_OK);
	assert_int_equal(ibx_ack_encode_reply(&a, r, rlen, out), IBX_OK);
}

/* What the spoke concludes of the Ack bytes b: IBX_OK when it verifies
 * (decoded with its reply), with the reason in why otherwise. */
static ibx_err
spoke_verifies(const ibx_bytes *b, ibx_bytes *r, char *why, size_t n)
{
	ibx_ack a;

	assert_int_equal(ibx_ack_decode_reply(b->data, b->len, &a, r), IBX_OK);
	return (ibx_ack_verify(trust, &expect_hub, request, sizeof(request),
			       &a, time(NULL), why, n));
}

static void
test_reply_verifies(void **state)
{
	ibx_bytes b = {NULL, 0}, r = {NULL, 0};
	char why[256];

	(void)state;
	hub_answer(reply, sizeof(reply), &b);
	if (spoke_verifies(&b, &r, why, sizeof(why)) != IBX_OK)
		fail_msg("%s", why);
	assert_int_equal(r.len, sizeof(reply));
	assert_memory_equal(r.data, reply, sizeof(reply));
	ibx_bytes_fini(&r);
	ibx_bytes_fini(&b);
}

static void
test_reply_changed(void **state)
{
	ibx_bytes b = {NULL, 0}, r = {NULL, 0};
	char why[256];

	(void)state;
	hub_answer(reply, sizeof(reply), &b);
	/* The reply is the last field: its last bytes are the reply's. */
	b.data[b.len - 3] ^= 0x01;
	assert_int_equal(spoke_verifies(&b, &r, why, sizeof(why)),
			 IBX_ECRYPTO);
	assert_string_equal(why, "ack signature does not verify");
	ibx_bytes_fini(&r);
	ibx_bytes_fini(&b);
}

static void
test_reply_removed_or_added(void **state)
{
	ibx_bytes b = {NULL, 0}, r = {NULL, 0};
	ibx_ack a;
	char why[256];

	(void)state;
	/* Signed with a reply, sent without it. */
	memset(&a, 0, sizeof(a));
	a.status = IBX_ACK_ACCEPTED;
	assert_int_equal(ibx_ack_sign_reply(hub_key, &hub_der, request,
					    sizeof(request), reply,
					    sizeof(reply), &a),
			 IBX_OK);
	assert_int_equal(ibx_ack_encode(&a, &b), IBX_OK);
	assert_int_equal(spoke_verifies(&b, &r, why, sizeof(why)),
			 IBX_ECRYPTO);
	ibx_bytes_fini(&r);
	ibx_bytes_fini(&b);
	/* Signed without a reply, one added on the way. */
	memset(&a, 0, sizeof(a));
	a.status = IBX_ACK_ACCEPTED;
	assert_int_equal(
	    ibx_ack_sign(hub_key, &hub_der, request, sizeof(request), &a),
	    IBX_OK);
	assert_int_equal(ibx_ack_encode_reply(&a, reply, sizeof(reply), &b),
			 IBX_OK);
	assert_int_equal(spoke_verifies(&b, &r, why, sizeof(why)),
			 IBX_ECRYPTO);
	ibx_bytes_fini(&r);
	ibx_bytes_fini(&b);
}

/* A spoke that decodes with ibx_ack_decode alone never believes a reply
 * it did not bind. */
static void
test_reply_not_bound(void **state)
{
	ibx_bytes b = {NULL, 0};
	ibx_ack a;
	char why[256];

	(void)state;
	hub_answer(reply, sizeof(reply), &b);
	assert_int_equal(ibx_ack_decode(b.data, b.len, &a), IBX_OK);
	assert_int_equal(a.reply_len, sizeof(reply));
	assert_int_equal(ibx_ack_verify(trust, &expect_hub, request,
					sizeof(request), &a, time(NULL), why,
					sizeof(why)),
			 IBX_ECRYPTO);
	ibx_bytes_fini(&b);
}

/* Every Ack before the referral channel: no reply, both decoders. */
static void
test_no_reply(void **state)
{
	ibx_bytes b = {NULL, 0}, r = {NULL, 0};
	ibx_ack a;
	char why[256];

	(void)state;
	memset(&a, 0, sizeof(a));
	a.status = IBX_ACK_INVALID;
	a.sequence = 7;
	strcpy(a.error, "field \"beds\": must be 0 to 5000");
	assert_int_equal(
	    ibx_ack_sign(hub_key, &hub_der, request, sizeof(request), &a),
	    IBX_OK);
	assert_int_equal(ibx_ack_encode(&a, &b), IBX_OK);
	assert_int_equal(ibx_ack_decode(b.data, b.len, &a), IBX_OK);
	if (ibx_ack_verify(trust, &expect_hub, request, sizeof(request), &a,
			   time(NULL), why, sizeof(why)) != IBX_OK)
		fail_msg("%s", why);
	if (spoke_verifies(&b, &r, why, sizeof(why)) != IBX_OK)
		fail_msg("%s", why);
	assert_int_equal(r.len, 0);
	ibx_bytes_fini(&r);
	ibx_bytes_fini(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_reply_verifies),
	    cmocka_unit_test(test_reply_changed),
	    cmocka_unit_test(test_reply_removed_or_added),
	    cmocka_unit_test(test_reply_not_bound),
	    cmocka_unit_test(test_no_reply),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
