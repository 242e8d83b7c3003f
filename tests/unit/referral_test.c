/*
 * Unit tests of the referral channel's domain and codecs
 * (proto/domain/referral.c, proto/wire/codec_referral.c): every message
 * round-trips field for field; each bound is refused with its field named,
 * by the decoder when the domain struct cannot hold the value and by the
 * *_check functions otherwise; the state table allows exactly the
 * transitions of referral.h; an Ack carries its reply and the reply's
 * SHA-256 (what the hub signs) survives the round trip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "crypto.h"
#include "referral.h"
#include "wire.h"

#include "inbound.pb-c.h"

/* A valid referral. */
static void
fixture_referral(ibx_referral *r)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	strcpy(r->referral_id, "0123456789abcdef0123456789abcdef");
	strcpy(r->receiver, "3910118128");
	strcpy(r->key_id, "00112233aabbccdd");
	for (i = 0; i < sizeof(r->sealed_key); i++)
		r->sealed_key[i] = (uint8_t)i;
	for (i = 0; i < sizeof(r->stream_header); i++)
		r->stream_header[i] = (uint8_t)(0xf0 - i);
	strcpy(r->purpose, "second_opinion");
	strcpy(r->department, "01001");
	strcpy(r->treatment, ibx_code_at(IBX_LIST_TREATMENT, 0));
	strcpy(r->nationality, "CN");
	strcpy(r->age_band, "40-49");
	strcpy(r->languages[0], "zh");
	strcpy(r->languages[1], "en");
	r->n_languages = 2;
	strcpy(r->urgency, "routine");
	r->chunk_count = 3;
	r->package_bytes = 2 * (uint64_t)IBX_CHUNK_CIPHER_MAX + 1000;
	memset(r->chunks_sha256, 0x3c, sizeof(r->chunks_sha256));
}

/* The problems of p joined, for messages and substring checks. */
static char *
joined(const ibx_problems *p)
{
	char *s = ibx_problems_join(p, "; ");

	assert_non_null(s);
	return (s);
}

/* p names field (as 'field "<field>"') and, when reason is not NULL, says
 * reason. */
static void
assert_names(const ibx_problems *p, const char *field, const char *reason)
{
	char want[96], *all = joined(p);

	snprintf(want, sizeof(want), "field \"%s\"", field);
	if (strstr(all, want) == NULL ||
	    (reason != NULL && strstr(all, reason) == NULL))
		fail_msg("expected %s (%s) in: %s", want,
			 reason != NULL ? reason : "", all);
	free(all);
}

static void
test_referral_round_trip(void **state)
{
	ibx_referral r, back;
	ibx_problems p;
	ibx_bytes wire = {NULL, 0};

	(void)state;
	fixture_referral(&r);
	strcpy(r.answers_referral_id, "ffffffffffffffffffffffffffffffff");
	ibx_problems_init(&p);
	assert_int_equal(ibx_referral_check(&r, &p), IBX_OK);
	assert_int_equal(ibx_referral_encode(&r, &wire), IBX_OK);
	assert_int_equal(ibx_referral_decode(wire.data, wire.len, &p, &back),
			 IBX_OK);
	assert_int_equal(ibx_problems_count(&p), 0);
	assert_memory_equal(&back, &r, sizeof(r));
	ibx_bytes_fini(&wire);
	ibx_problems_fini(&p);
}

static void
test_referral_check_rules(void **state)
{
	ibx_referral r;
	ibx_problems p;

	(void)state;
	ibx_problems_init(&p);

	fixture_referral(&r);
	strcpy(r.referral_id, "0123456789ABCDEF0123456789abcdef");
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "referral_id", "32 lowercase hex");
	ibx_problems_fini(&p);

	fixture_referral(&r);
	r.referral_id[0] = '\0';
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "referral_id", "is required");
	ibx_problems_fini(&p);

	fixture_referral(&r);
	strcpy(r.receiver, "39 10");
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "receiver", NULL);
	ibx_problems_fini(&p);

	fixture_referral(&r);
	strcpy(r.key_id, "0011");
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "key_id", "16 lowercase hex");
	ibx_problems_fini(&p);

	/* A purpose of the statistics that is not referred in advance. */
	fixture_referral(&r);
	strcpy(r.purpose, "follow_up");
	assert_true(ibx_code_valid(IBX_LIST_PURPOSE, r.purpose));
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "purpose",
		     "must be second_opinion, treatment or health_checkup");
	ibx_problems_fini(&p);
	fixture_referral(&r);
	strcpy(r.purpose, "treatment");
	assert_int_equal(ibx_referral_check(&r, &p), IBX_OK);
	strcpy(r.purpose, "health_checkup");
	assert_int_equal(ibx_referral_check(&r, &p), IBX_OK);

	fixture_referral(&r);
	strcpy(r.department, "99999");
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "department", "unknown department");
	ibx_problems_fini(&p);

	fixture_referral(&r);
	strcpy(r.treatment, "magic");
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "treatment", "unknown treatment");
	ibx_problems_fini(&p);

	/* Department and treatment are optional. */
	fixture_referral(&r);
	r.department[0] = r.treatment[0] = '\0';
	assert_int_equal(ibx_referral_check(&r, &p), IBX_OK);

	fixture_referral(&r);
	strcpy(r.nationality, "XX");
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "nationality", "unknown country");
	ibx_problems_fini(&p);

	fixture_referral(&r);
	r.nationality[0] = '\0';
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "nationality", "is required");
	ibx_problems_fini(&p);

	fixture_referral(&r);
	strcpy(r.age_band, "40-50");
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "age_band", "unknown age_band");
	ibx_problems_fini(&p);

	fixture_referral(&r);
	strcpy(r.languages[1], "zh");
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "languages[1]", "repeats \"zh\"");
	ibx_problems_fini(&p);

	fixture_referral(&r);
	strcpy(r.languages[0], "xx");
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "languages[0]", "unknown ISO 639-1");
	ibx_problems_fini(&p);

	fixture_referral(&r);
	r.n_languages = IBX_REFERRAL_LANGUAGES_MAX + 1;
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "languages", "more than 16 entries");
	ibx_problems_fini(&p);

	fixture_referral(&r);
	strcpy(r.urgency, "whenever");
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "urgency", "unknown urgency");
	ibx_problems_fini(&p);

	fixture_referral(&r);
	r.chunk_count = 0;
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "chunk_count", "must be 1 to 4096");
	ibx_problems_fini(&p);

	fixture_referral(&r);
	r.chunk_count = IBX_REFERRAL_CHUNKS_MAX + 1;
	r.package_bytes = (uint64_t)r.chunk_count * 1000;
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "chunk_count", "must be 1 to 4096");
	ibx_problems_fini(&p);

	/* The largest package: 4096 full chunks, 4 GiB of clear text. */
	fixture_referral(&r);
	r.chunk_count = IBX_REFERRAL_CHUNKS_MAX;
	r.package_bytes = (uint64_t)r.chunk_count * IBX_CHUNK_CIPHER_MAX;
	assert_int_equal(ibx_referral_check(&r, &p), IBX_OK);
	r.package_bytes++;
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "package_bytes", "does not fit 4096 chunks");
	ibx_problems_fini(&p);

	fixture_referral(&r);
	r.package_bytes = 3 * IBX_CHUNK_ABYTES;
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "package_bytes", NULL);
	ibx_problems_fini(&p);

	fixture_referral(&r);
	strcpy(r.answers_referral_id, r.referral_id);
	assert_int_equal(ibx_referral_check(&r, &p), IBX_EINVAL);
	assert_names(&p, "answers_referral_id", "own id");
	ibx_problems_fini(&p);
}

/* Decoding: what the domain struct cannot hold is refused with the field
 * named. */
static void
test_referral_decode_bounds(void **state)
{
	Inbound__V1__Referral m = INBOUND__V1__REFERRAL__INIT;
	uint8_t sealed[IBX_SEALED_KEY_LEN + 1], header[IBX_STREAM_HEADER_LEN];
	uint8_t sha[IBX_SHA256_BYTES];
	char *langs[IBX_REFERRAL_LANGUAGES_MAX + 1];
	uint8_t buf[4096];
	ibx_referral back;
	ibx_problems p;
	size_t n, i;
	char long_id[40];

	(void)state;
	memset(sealed, 1, sizeof(sealed));
	memset(header, 2, sizeof(header));
	memset(sha, 3, sizeof(sha));
	memset(long_id, 'a', sizeof(long_id) - 1);
	long_id[sizeof(long_id) - 1] = '\0';
	for (i = 0; i < IBX_REFERRAL_LANGUAGES_MAX + 1; i++)
		langs[i] = "en";
	ibx_problems_init(&p);

	/* Good bytes decode. */
	m.referral_id = "0123456789abcdef0123456789abcdef";
	m.sealed_key.data = sealed;
	m.sealed_key.len = IBX_SEALED_KEY_LEN;
	m.stream_header.data = header;
	m.stream_header.len = sizeof(header);
	m.chunks_sha256.data = sha;
	m.chunks_sha256.len = sizeof(sha);
	m.n_languages = IBX_REFERRAL_LANGUAGES_MAX;
	m.languages = langs;
	n = inbound__v1__referral__pack(&m, buf);
	assert_int_equal(ibx_referral_decode(buf, n, &p, &back), IBX_OK);
	assert_int_equal(back.n_languages, IBX_REFERRAL_LANGUAGES_MAX);

	/* Each field out of bounds, alone. */
	m.sealed_key.len = IBX_SEALED_KEY_LEN + 1;
	n = inbound__v1__referral__pack(&m, buf);
	assert_int_equal(ibx_referral_decode(buf, n, &p, &back), IBX_EINVAL);
	assert_names(&p, "sealed_key", "must be 80 bytes, not 81");
	ibx_problems_fini(&p);
	m.sealed_key.len = IBX_SEALED_KEY_LEN;

	m.stream_header.len = 0;
	n = inbound__v1__referral__pack(&m, buf);
	assert_int_equal(ibx_referral_decode(buf, n, &p, &back), IBX_EINVAL);
	assert_names(&p, "stream_header", "must be 24 bytes, not 0");
	ibx_problems_fini(&p);
	m.stream_header.len = sizeof(header);

	m.chunks_sha256.len = 31;
	n = inbound__v1__referral__pack(&m, buf);
	assert_int_equal(ibx_referral_decode(buf, n, &p, &back), IBX_EINVAL);
	assert_names(&p, "chunks_sha256", "must be 32 bytes");
	ibx_problems_fini(&p);
	m.chunks_sha256.len = sizeof(sha);

	m.n_languages = IBX_REFERRAL_LANGUAGES_MAX + 1;
	n = inbound__v1__referral__pack(&m, buf);
	assert_int_equal(ibx_referral_decode(buf, n, &p, &back), IBX_EINVAL);
	assert_names(&p, "languages", "17 entries, more than 16");
	ibx_problems_fini(&p);
	m.n_languages = 2;

	langs[1] = "english";
	n = inbound__v1__referral__pack(&m, buf);
	assert_int_equal(ibx_referral_decode(buf, n, &p, &back), IBX_EINVAL);
	assert_names(&p, "languages[1]", "longer than 3 bytes");
	ibx_problems_fini(&p);
	langs[1] = "en";

	m.referral_id = long_id;
	n = inbound__v1__referral__pack(&m, buf);
	assert_int_equal(ibx_referral_decode(buf, n, &p, &back), IBX_EINVAL);
	assert_names(&p, "referral_id", "longer than 32 bytes");
	ibx_problems_fini(&p);
	m.referral_id = "0123456789abcdef0123456789abcdef";

	m.nationality = "CHN";
	n = inbound__v1__referral__pack(&m, buf);
	assert_int_equal(ibx_referral_decode(buf, n, &p, &back), IBX_EINVAL);
	assert_names(&p, "nationality", "longer than 2 bytes");
	ibx_problems_fini(&p);
	m.nationality = "";

	/* Without a problem list the refusal is the same. */
	m.receiver = long_id;
	n = inbound__v1__referral__pack(&m, buf);
	assert_int_equal(ibx_referral_decode(buf, n, NULL, &back), IBX_EINVAL);

	/* Bytes that are not a Referral. */
	memset(buf, 0xff, 16);
	assert_int_equal(ibx_referral_decode(buf, 16, &p, &back),
			 IBX_EMALFORMED);
	assert_int_equal(ibx_problems_count(&p), 0);
}

static void
test_chunk(void **state)
{
	ibx_referral r;
	ibx_referral_chunk c, back;
	ibx_problems p;
	ibx_bytes wire = {NULL, 0};
	Inbound__V1__ReferralChunk m = INBOUND__V1__REFERRAL_CHUNK__INIT;
	uint8_t *big;
	size_t n;

	(void)state;
	ibx_problems_init(&p);
	fixture_referral(&r);
	memset(&c, 0, sizeof(c));
	strcpy(c.referral_id, r.referral_id);
	c.index = 2;
	c.ciphertext_len = IBX_CHUNK_CIPHER_MAX;
	assert_non_null(c.ciphertext = malloc(c.ciphertext_len));
	memset(c.ciphertext, 0x77, c.ciphertext_len);
	assert_int_equal(ibx_referral_chunk_check(&c, &r, &p), IBX_OK);
	assert_int_equal(ibx_referral_chunk_encode(&c, &wire), IBX_OK);
	assert_int_equal(
	    ibx_referral_chunk_decode(wire.data, wire.len, &p, &back), IBX_OK);
	assert_string_equal(back.referral_id, c.referral_id);
	assert_int_equal(back.index, 2);
	assert_int_equal(back.ciphertext_len, c.ciphertext_len);
	assert_memory_equal(back.ciphertext, c.ciphertext, c.ciphertext_len);
	ibx_referral_chunk_fini(&back);
	assert_null(back.ciphertext);
	ibx_bytes_fini(&wire);

	/* Past the referral's chunks, another referral's id. */
	c.index = 3;
	assert_int_equal(ibx_referral_chunk_check(&c, &r, &p), IBX_EINVAL);
	assert_names(&p, "index", "past the referral's 3 chunks");
	ibx_problems_fini(&p);
	c.index = 0;
	c.referral_id[0] = 'f';
	assert_int_equal(ibx_referral_chunk_check(&c, &r, &p), IBX_EINVAL);
	assert_names(&p, "referral_id", "is not the referral's");
	ibx_problems_fini(&p);
	/* No clear text at all. */
	c.referral_id[0] = '0';
	c.ciphertext_len = IBX_CHUNK_ABYTES;
	assert_int_equal(ibx_referral_chunk_check(&c, NULL, &p), IBX_EINVAL);
	assert_names(&p, "ciphertext", "17 bytes, not 18 to 1048593");
	ibx_problems_fini(&p);
	ibx_referral_chunk_fini(&c);

	/* One byte over the bound: refused by the decoder. */
	assert_non_null(big = malloc(IBX_CHUNK_CIPHER_MAX + 64));
	memset(big, 0x11, IBX_CHUNK_CIPHER_MAX + 1);
	m.referral_id = r.referral_id;
	m.ciphertext.data = big;
	m.ciphertext.len = IBX_CHUNK_CIPHER_MAX + 1;
	n = inbound__v1__referral_chunk__get_packed_size(&m);
	{
		uint8_t *buf = malloc(n);

		assert_non_null(buf);
		inbound__v1__referral_chunk__pack(&m, buf);
		assert_int_equal(ibx_referral_chunk_decode(buf, n, &p, &back),
				 IBX_EINVAL);
		assert_names(&p, "ciphertext", "1048594 bytes, more than");
		assert_null(back.ciphertext);
		free(buf);
	}
	ibx_problems_fini(&p);
	free(big);
}

static void
fixture_key(ibx_encryption_key *k)
{
	memset(k, 0, sizeof(*k));
	strcpy(k->organisation_code, "3910118128");
	strcpy(k->key_id, "00112233aabbccdd");
	memset(k->public_key, 0x42, sizeof(k->public_key));
	k->created_at_ms = 1793491200000LL;
}

static void
test_encryption_key(void **state)
{
	Inbound__V1__EncryptionKey m = INBOUND__V1__ENCRYPTION_KEY__INIT;
	ibx_encryption_key k, back;
	ibx_problems p;
	ibx_bytes wire = {NULL, 0};
	uint8_t pk[33], buf[256];
	size_t n;

	(void)state;
	ibx_problems_init(&p);
	fixture_key(&k);
	k.use_until_ms = k.created_at_ms + 1;
	assert_int_equal(ibx_encryption_key_check(&k, &p), IBX_OK);
	assert_int_equal(ibx_encryption_key_encode(&k, &wire), IBX_OK);
	assert_int_equal(
	    ibx_encryption_key_decode(wire.data, wire.len, &p, &back), IBX_OK);
	assert_memory_equal(&back, &k, sizeof(k));
	ibx_bytes_fini(&wire);

	k.use_until_ms = k.created_at_ms;
	assert_int_equal(ibx_encryption_key_check(&k, &p), IBX_EINVAL);
	assert_names(&p, "use_until_ms", "after created_at_ms");
	ibx_problems_fini(&p);
	fixture_key(&k);
	memset(k.public_key, 0, sizeof(k.public_key));
	strcpy(k.key_id, "00112233AABBCCDD");
	assert_int_equal(ibx_encryption_key_check(&k, &p), IBX_EINVAL);
	assert_names(&p, "public_key", "all zero");
	assert_names(&p, "key_id", "16 lowercase hex");
	ibx_problems_fini(&p);

	memset(pk, 9, sizeof(pk));
	m.organisation_code = "3910118128";
	m.public_key.data = pk;
	m.public_key.len = sizeof(pk);
	n = inbound__v1__encryption_key__pack(&m, buf);
	assert_int_equal(ibx_encryption_key_decode(buf, n, &p, &back),
			 IBX_EINVAL);
	assert_names(&p, "public_key", "must be 32 bytes, not 33");
	ibx_problems_fini(&p);
}

static void
fixture_status(ibx_referral_status *s, ibx_referral_state st)
{
	memset(s, 0, sizeof(*s));
	strcpy(s->referral_id, "0123456789abcdef0123456789abcdef");
	s->state = st;
	switch (st) {
	case IBX_REFERRAL_DECLINED:
		strcpy(s->reason_code, ibx_code_at(IBX_LIST_DECLINE_REASON,
						   IBX_DECLINE_REASON_OTHER));
		break;
	case IBX_REFERRAL_QUOTE:
		s->price_min_jpy = 800000;
		s->price_max_jpy = 1200000;
		strcpy(s->earliest_date, "2027-01-15");
		break;
	case IBX_REFERRAL_OPINION_RETURNED:
		strcpy(s->report_referral_id,
		       "fedcba9876543210fedcba9876543210");
		break;
	case IBX_REFERRAL_VISIT_SCHEDULED:
		strcpy(s->visit_date, "2027-02-29");
		break;
	default:
		break;
	}
}

static void
test_status(void **state)
{
	ibx_referral_status s, back;
	ibx_problems p;
	ibx_bytes wire = {NULL, 0};
	int st;

	(void)state;
	ibx_problems_init(&p);
	for (st = IBX_REFERRAL_DELIVERED; st <= IBX_REFERRAL_STATE_MAX; st++) {
		fixture_status(&s, (ibx_referral_state)st);
		if (st == IBX_REFERRAL_VISIT_SCHEDULED) {
			/* 2027 is no leap year. */
			assert_int_equal(ibx_referral_status_check(&s, &p),
					 IBX_EINVAL);
			assert_names(&p, "visit_date", "YYYY-MM-DD");
			ibx_problems_fini(&p);
			strcpy(s.visit_date, "2028-02-29");
		}
		if (ibx_referral_status_check(&s, &p) != IBX_OK)
			fail_msg("state %s: %s",
				 ibx_referral_state_name(s.state), joined(&p));
		assert_int_equal(ibx_referral_status_encode(&s, &wire),
				 IBX_OK);
		assert_int_equal(
		    ibx_referral_status_decode(wire.data, wire.len, &p, &back),
		    IBX_OK);
		assert_memory_equal(&back, &s, sizeof(s));
		ibx_bytes_fini(&wire);
	}

	/* The hub's state is never sent by a party. */
	fixture_status(&s, IBX_REFERRAL_SENT);
	assert_int_equal(ibx_referral_status_check(&s, &p), IBX_EINVAL);
	assert_names(&p, "state", "not a state a party sends");
	ibx_problems_fini(&p);

	fixture_status(&s, IBX_REFERRAL_DECLINED);
	strcpy(s.reason_code, "bored");
	assert_int_equal(ibx_referral_status_check(&s, &p), IBX_EINVAL);
	assert_names(&p, "reason_code", "unknown decline_reason");
	ibx_problems_fini(&p);

	fixture_status(&s, IBX_REFERRAL_QUOTE);
	s.price_max_jpy = s.price_min_jpy - 1;
	assert_int_equal(ibx_referral_status_check(&s, &p), IBX_EINVAL);
	assert_names(&p, "price_max_jpy", "below price_min_jpy");
	ibx_problems_fini(&p);
	fixture_status(&s, IBX_REFERRAL_QUOTE);
	s.price_max_jpy = IBX_REFERRAL_PRICE_JPY_MAX + 1;
	s.price_min_jpy = -1;
	s.earliest_date[0] = '\0';
	assert_int_equal(ibx_referral_status_check(&s, &p), IBX_EINVAL);
	assert_names(&p, "price_max_jpy", "must be 1 to 10000000000");
	assert_names(&p, "price_min_jpy", "must be 0 to");
	assert_names(&p, "earliest_date", "is required");
	ibx_problems_fini(&p);

	fixture_status(&s, IBX_REFERRAL_OPINION_RETURNED);
	strcpy(s.report_referral_id, s.referral_id);
	assert_int_equal(ibx_referral_status_check(&s, &p), IBX_EINVAL);
	assert_names(&p, "report_referral_id", "own id");
	ibx_problems_fini(&p);

	/* A field of another state. */
	fixture_status(&s, IBX_REFERRAL_ACKNOWLEDGED);
	s.price_min_jpy = 5;
	strcpy(s.visit_date, "2027-01-01");
	assert_int_equal(ibx_referral_status_check(&s, &p), IBX_EINVAL);
	assert_names(&p, "price_min_jpy",
		     "not allowed with state \"acknowledged\"");
	assert_names(&p, "visit_date", NULL);
	ibx_problems_fini(&p);

	/* A state number out of range on the wire. */
	{
		Inbound__V1__ReferralStatus m =
		    INBOUND__V1__REFERRAL_STATUS__INIT;
		uint8_t buf[128];
		size_t n;

		m.referral_id = s.referral_id;
		m.state = (Inbound__V1__ReferralState)42;
		n = inbound__v1__referral_status__pack(&m, buf);
		assert_int_equal(ibx_referral_status_decode(buf, n, &p, &back),
				 IBX_EINVAL);
		assert_names(&p, "state", "42 is not a state");
		ibx_problems_fini(&p);
	}
}

static void
test_state_names(void **state)
{
	int s;

	(void)state;
	assert_string_equal(ibx_referral_state_name(IBX_REFERRAL_SENT),
			    "sent");
	assert_string_equal(ibx_referral_state_name(IBX_REFERRAL_QUOTE),
			    "quote");
	assert_string_equal(ibx_referral_state_name(IBX_REFERRAL_WITHDRAWN),
			    "withdrawn");
	assert_string_equal(
	    ibx_referral_state_name(IBX_REFERRAL_OPINION_RETURNED),
	    "opinion_returned");
	assert_string_equal(ibx_referral_state_name(IBX_REFERRAL_UNSPECIFIED),
			    "unspecified");
	assert_string_equal(ibx_referral_state_name((ibx_referral_state)10),
			    "unknown");
	for (s = IBX_REFERRAL_SENT; s <= IBX_REFERRAL_STATE_MAX; s++)
		assert_int_equal(
		    ibx_referral_state_parse(ibx_referral_state_name(s)), s);
	assert_int_equal(ibx_referral_state_parse("nonsense"),
			 IBX_REFERRAL_UNSPECIFIED);
	assert_int_equal(ibx_referral_state_parse(NULL),
			 IBX_REFERRAL_UNSPECIFIED);
}

/* The allowed transitions, written out again independently of the table:
 * (from, to, party). */
static const struct {
	ibx_referral_state from, to;
	ibx_referral_party party;
} allowed[] = {
    {IBX_REFERRAL_UNSPECIFIED, IBX_REFERRAL_SENT, IBX_PARTY_HUB},
    {IBX_REFERRAL_SENT, IBX_REFERRAL_DELIVERED, IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_DELIVERED, IBX_REFERRAL_ACKNOWLEDGED, IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_ACKNOWLEDGED, IBX_REFERRAL_DECLINED, IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_QUOTE, IBX_REFERRAL_DECLINED, IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_OPINION_RETURNED, IBX_REFERRAL_DECLINED, IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_ACKNOWLEDGED, IBX_REFERRAL_QUOTE, IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_QUOTE, IBX_REFERRAL_QUOTE, IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_OPINION_RETURNED, IBX_REFERRAL_QUOTE, IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_ACKNOWLEDGED, IBX_REFERRAL_OPINION_RETURNED,
     IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_QUOTE, IBX_REFERRAL_OPINION_RETURNED, IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_ACKNOWLEDGED, IBX_REFERRAL_VISIT_SCHEDULED,
     IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_QUOTE, IBX_REFERRAL_VISIT_SCHEDULED, IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_OPINION_RETURNED, IBX_REFERRAL_VISIT_SCHEDULED,
     IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_VISIT_SCHEDULED, IBX_REFERRAL_VISIT_SCHEDULED,
     IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_VISIT_SCHEDULED, IBX_REFERRAL_VISITED, IBX_PARTY_RECEIVER},
    {IBX_REFERRAL_UNSPECIFIED, IBX_REFERRAL_WITHDRAWN, IBX_PARTY_REFERRER},
    {IBX_REFERRAL_SENT, IBX_REFERRAL_WITHDRAWN, IBX_PARTY_REFERRER},
    {IBX_REFERRAL_DELIVERED, IBX_REFERRAL_WITHDRAWN, IBX_PARTY_REFERRER},
    {IBX_REFERRAL_ACKNOWLEDGED, IBX_REFERRAL_WITHDRAWN, IBX_PARTY_REFERRER},
    {IBX_REFERRAL_QUOTE, IBX_REFERRAL_WITHDRAWN, IBX_PARTY_REFERRER},
    {IBX_REFERRAL_OPINION_RETURNED, IBX_REFERRAL_WITHDRAWN,
     IBX_PARTY_REFERRER},
    {IBX_REFERRAL_VISIT_SCHEDULED, IBX_REFERRAL_WITHDRAWN, IBX_PARTY_REFERRER},
};

static void
test_transitions(void **state)
{
	int from, to, party;
	size_t i, n, ok = 0;
	char why[128];

	(void)state;
	assert_non_null(ibx_referral_transitions(&n));
	assert_int_equal(n, 9);
	for (from = 0; from <= IBX_REFERRAL_STATE_MAX; from++)
		for (to = 0; to <= IBX_REFERRAL_STATE_MAX + 1; to++)
			for (party = 0; party <= IBX_PARTY_HUB; party++) {
				bool want = false;
				ibx_err rv;

				for (i = 0;
				     i < sizeof(allowed) / sizeof(allowed[0]);
				     i++)
					if ((int)allowed[i].from == from &&
					    (int)allowed[i].to == to &&
					    (int)allowed[i].party == party)
						want = true;
				why[0] = '\0';
				rv = ibx_referral_transition_check(
				    from, to, party, why, sizeof(why));
				if ((rv == IBX_OK) != want)
					fail_msg(
					    "%s -> %s by %s: got %s (%s)",
					    ibx_referral_state_name(from),
					    ibx_referral_state_name(to),
					    ibx_referral_party_name(party),
					    rv == IBX_OK ? "allowed"
							 : "refused",
					    why);
				if (rv == IBX_OK)
					ok++;
				else
					assert_true(strlen(why) > 0);
			}
	assert_int_equal(ok, sizeof(allowed) / sizeof(allowed[0]));

	ibx_referral_transition_check(IBX_REFERRAL_QUOTE,
				      IBX_REFERRAL_WITHDRAWN,
				      IBX_PARTY_RECEIVER, why, sizeof(why));
	assert_string_equal(why, "state \"withdrawn\": only the referrer may "
				 "set it, not the receiver");
	ibx_referral_transition_check(IBX_REFERRAL_QUOTE, IBX_REFERRAL_VISITED,
				      IBX_PARTY_RECEIVER, why, sizeof(why));
	assert_string_equal(why,
			    "state \"visited\": not allowed after \"quote\"");
	ibx_referral_transition_check(IBX_REFERRAL_SENT,
				      IBX_REFERRAL_DELIVERED,
				      IBX_PARTY_REFERRER, why, sizeof(why));
	assert_string_equal(why, "state \"delivered\": only the receiver may "
				 "set it, not the referrer");
	assert_true(ibx_referral_state_final(IBX_REFERRAL_DECLINED));
	assert_true(ibx_referral_state_final(IBX_REFERRAL_VISITED));
	assert_true(ibx_referral_state_final(IBX_REFERRAL_WITHDRAWN));
	assert_false(ibx_referral_state_final(IBX_REFERRAL_QUOTE));
}

static void
test_queries(void **state)
{
	ibx_key_query kq = {"3910118128"}, kq2;
	ibx_inbox_query iq = {12345678901ULL, 50}, iq2;
	ibx_chunk_query cq, cq2;
	ibx_problems p;
	ibx_bytes w = {NULL, 0};

	(void)state;
	ibx_problems_init(&p);
	assert_int_equal(ibx_key_query_check(&kq, &p), IBX_OK);
	assert_int_equal(ibx_key_query_encode(&kq, &w), IBX_OK);
	assert_int_equal(ibx_key_query_decode(w.data, w.len, &p, &kq2),
			 IBX_OK);
	assert_string_equal(kq2.organisation_code, kq.organisation_code);
	ibx_bytes_fini(&w);
	kq.organisation_code[0] = '\0';
	assert_int_equal(ibx_key_query_check(&kq, &p), IBX_EINVAL);
	assert_names(&p, "organisation_code", "is required");
	ibx_problems_fini(&p);

	assert_int_equal(ibx_inbox_query_check(&iq, &p), IBX_OK);
	assert_int_equal(ibx_inbox_query_encode(&iq, &w), IBX_OK);
	assert_int_equal(ibx_inbox_query_decode(w.data, w.len, &p, &iq2),
			 IBX_OK);
	assert_int_equal(iq2.after, iq.after);
	assert_int_equal(iq2.limit, 50);
	ibx_bytes_fini(&w);
	iq.limit = IBX_INBOX_LIMIT_MAX + 1;
	assert_int_equal(ibx_inbox_query_check(&iq, &p), IBX_EINVAL);
	assert_names(&p, "limit", "101 is more than 100");
	ibx_problems_fini(&p);

	memset(&cq, 0, sizeof(cq));
	strcpy(cq.referral_id, "0123456789abcdef0123456789abcdef");
	cq.index = 4095;
	assert_int_equal(ibx_chunk_query_check(&cq, &p), IBX_OK);
	assert_int_equal(ibx_chunk_query_encode(&cq, &w), IBX_OK);
	assert_int_equal(ibx_chunk_query_decode(w.data, w.len, &p, &cq2),
			 IBX_OK);
	assert_memory_equal(&cq2, &cq, sizeof(cq));
	ibx_bytes_fini(&w);
	cq.index = 4096;
	assert_int_equal(ibx_chunk_query_check(&cq, &p), IBX_EINVAL);
	assert_names(&p, "index", "below 4096");
	ibx_problems_fini(&p);
}

static void
test_replies(void **state)
{
	uint8_t env[3][40];
	ibx_bytes ann[IBX_KEY_ANNOUNCEMENTS_MAX + 1];
	ibx_key_reply kr, kr2;
	ibx_inbox_item items[IBX_INBOX_LIMIT_MAX + 1];
	ibx_inbox_reply ir, ir2;
	ibx_problems p;
	ibx_bytes w = {NULL, 0};
	size_t i;

	(void)state;
	ibx_problems_init(&p);
	for (i = 0; i < 3; i++)
		memset(env[i], (int)i + 1, sizeof(env[i]));
	for (i = 0; i < IBX_KEY_ANNOUNCEMENTS_MAX + 1; i++) {
		ann[i].data = env[i % 3];
		ann[i].len = sizeof(env[0]) - i;
	}
	kr.announcements = ann;
	kr.n = 3;
	assert_int_equal(ibx_key_reply_encode(&kr, &w), IBX_OK);
	assert_int_equal(ibx_key_reply_decode(w.data, w.len, &p, &kr2),
			 IBX_OK);
	assert_int_equal(kr2.n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(kr2.announcements[i].len, ann[i].len);
		assert_memory_equal(kr2.announcements[i].data, ann[i].data,
				    ann[i].len);
	}
	ibx_key_reply_fini(&kr2);
	ibx_key_reply_fini(&kr2);
	ibx_bytes_fini(&w);
	kr.n = IBX_KEY_ANNOUNCEMENTS_MAX + 1;
	assert_int_equal(ibx_key_reply_encode(&kr, &w), IBX_OK);
	assert_int_equal(ibx_key_reply_decode(w.data, w.len, &p, &kr2),
			 IBX_EINVAL);
	assert_names(&p, "announcements", "17 entries, more than 16");
	assert_null(kr2.announcements);
	ibx_problems_fini(&p);
	ibx_bytes_fini(&w);

	for (i = 0; i < IBX_INBOX_LIMIT_MAX + 1; i++) {
		items[i].cursor = 1000 + i;
		items[i].envelope.data = env[i % 3];
		items[i].envelope.len = sizeof(env[0]);
		items[i].state = (ibx_referral_state)(i % 10);
	}
	ir.items = items;
	ir.n = 10;
	ir.more = true;
	assert_int_equal(ibx_inbox_reply_encode(&ir, &w), IBX_OK);
	assert_int_equal(ibx_inbox_reply_decode(w.data, w.len, &p, &ir2),
			 IBX_OK);
	assert_int_equal(ir2.n, 10);
	assert_true(ir2.more);
	for (i = 0; i < 10; i++) {
		assert_int_equal(ir2.items[i].cursor, 1000 + i);
		assert_int_equal(ir2.items[i].state, items[i].state);
		assert_memory_equal(ir2.items[i].envelope.data, env[i % 3],
				    sizeof(env[0]));
	}
	ibx_inbox_reply_fini(&ir2);
	ibx_bytes_fini(&w);
	ir.n = IBX_INBOX_LIMIT_MAX + 1;
	assert_int_equal(ibx_inbox_reply_encode(&ir, &w), IBX_OK);
	assert_int_equal(ibx_inbox_reply_decode(w.data, w.len, &p, &ir2),
			 IBX_EINVAL);
	assert_names(&p, "items", "101 entries, more than 100");
	ibx_problems_fini(&p);
	ibx_bytes_fini(&w);

	/* An unknown state word. */
	{
		Inbound__V1__InboxItem it = INBOUND__V1__INBOX_ITEM__INIT,
				       *itp = &it;
		Inbound__V1__InboxReply m = INBOUND__V1__INBOX_REPLY__INIT;
		uint8_t buf[128];
		size_t n;

		it.state = "lost";
		m.n_items = 1;
		m.items = &itp;
		n = inbound__v1__inbox_reply__pack(&m, buf);
		assert_int_equal(ibx_inbox_reply_decode(buf, n, &p, &ir2),
				 IBX_EINVAL);
		assert_names(&p, "items[0].state", "unknown state");
		ibx_problems_fini(&p);
	}
}

/* An Ack carries its reply; the reply's SHA-256 is what the hub signs, so
 * decoding with ibx_ack_decode_reply fills it, and a reply changed on the
 * way gives another digest. */
static void
test_ack_reply(void **state)
{
	static const uint8_t reply[] = "an inbox reply, serialised";
	ibx_ack a, back, plain;
	ibx_bytes w = {NULL, 0}, r = {NULL, 0};
	uint8_t want[IBX_SHA256_LEN];

	(void)state;
	memset(&a, 0, sizeof(a));
	a.sequence = 0;
	a.status = IBX_ACK_ACCEPTED;
	ibx_sha256(reply, sizeof(reply), want);
	assert_int_equal(ibx_ack_encode_reply(&a, reply, sizeof(reply), &w),
			 IBX_OK);
	assert_int_equal(ibx_ack_decode(w.data, w.len, &plain), IBX_OK);
	assert_int_equal(plain.reply_len, sizeof(reply));
	assert_int_equal(ibx_ack_decode_reply(w.data, w.len, &back, &r),
			 IBX_OK);
	assert_int_equal(r.len, sizeof(reply));
	assert_memory_equal(r.data, reply, sizeof(reply));
	assert_int_equal(back.reply_len, sizeof(reply));
	assert_memory_equal(back.reply_sha256, want, sizeof(want));
	ibx_bytes_fini(&r);
	/* One byte of the reply changed on the way. */
	w.data[w.len - 2] ^= 1;
	assert_int_equal(ibx_ack_decode_reply(w.data, w.len, &back, &r),
			 IBX_OK);
	assert_memory_not_equal(back.reply_sha256, want, sizeof(want));
	ibx_bytes_fini(&r);
	ibx_bytes_fini(&w);

	/* No reply: empty, and the plain encoder gives the same bytes. */
	assert_int_equal(ibx_ack_encode(&a, &w), IBX_OK);
	assert_int_equal(ibx_ack_decode_reply(w.data, w.len, &back, &r),
			 IBX_OK);
	assert_int_equal(r.len, 0);
	assert_int_equal(back.reply_len, 0);
	ibx_bytes_fini(&r);
	{
		ibx_bytes w2 = {NULL, 0};

		assert_int_equal(ibx_ack_encode_reply(&a, NULL, 0, &w2),
				 IBX_OK);
		assert_int_equal(w2.len, w.len);
		assert_memory_equal(w2.data, w.data, w.len);
		ibx_bytes_fini(&w2);
	}
	ibx_bytes_fini(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_referral_round_trip),
	    cmocka_unit_test(test_referral_check_rules),
	    cmocka_unit_test(test_referral_decode_bounds),
	    cmocka_unit_test(test_chunk),
	    cmocka_unit_test(test_encryption_key),
	    cmocka_unit_test(test_status),
	    cmocka_unit_test(test_state_names),
	    cmocka_unit_test(test_transitions),
	    cmocka_unit_test(test_queries),
	    cmocka_unit_test(test_replies),
	    cmocka_unit_test(test_ack_reply),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
