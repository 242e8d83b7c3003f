/*
 * Unit tests of the protobuf boundary (proto/wire/codec.c, wire.h): every
 * message round-trips field for field, and the decoders, which read bytes
 * from the network, refuse garbage and truncated input with IBX_EMALFORMED
 * without reading past it.  Signatures and transport are other modules'
 * concern; the fuzz targets push the decoders much further than this.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "wire.h"

#include "listing_fixture.h"

/* ibx_bytes equal to (data, len). */
static void
assert_bytes(const ibx_bytes *b, const uint8_t *data, size_t len)
{
	assert_int_equal(b->len, len);
	if (len > 0)
		assert_memory_equal(b->data, data, len);
}

static ibx_listing *
listing_round_trip(const ibx_listing *l)
{
	ibx_bytes wire = {NULL, 0};
	ibx_listing *back = NULL;

	assert_int_equal(ibx_listing_encode(l, &wire), IBX_OK);
	assert_int_equal(ibx_listing_decode(wire.data, wire.len, &back),
			 IBX_OK);
	assert_non_null(back);
	ibx_bytes_fini(&wire);
	assert_null(wire.data);
	assert_int_equal(wire.len, 0);
	return (back);
}

static void
expect_listing_round_trip(const ibx_listing *l)
{
	ibx_listing *back = listing_round_trip(l);

	assert_listing_equal(back, l);
	ibx_listing_free(back);
}

static void
test_listing_round_trip_example(void **state)
{
	ibx_listing *l = fixture_example();

	(void)state;
	expect_listing_round_trip(l);
	/* A second band, an accreditation that does not expire. */
	fixture_add_accreditation(l, "JCI", NULL);
	fixture_add_price_band(l, "consultation", 0, 1000000000);
	l->remote_second_opinion = false;
	expect_listing_round_trip(l);
	/* The national list's fields, and an old listing without them. */
	fixture_national(l);
	expect_listing_round_trip(l);
	l->receives_foreign_patients = 1;
	expect_listing_round_trip(l);
	ibx_listing_free(l);
}

/* beds: -1 (not given) and 0 are different values and both travel. */
static void
test_listing_beds(void **state)
{
	static const int32_t beds[] = {-1, 0, 1, 620, 5000, INT32_MAX};
	ibx_listing *l = fixture_example(), *back;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(beds) / sizeof(beds[0]); i++) {
		l->beds = beds[i];
		back = listing_round_trip(l);
		assert_int_equal(back->beds, beds[i]);
		ibx_listing_free(back);
	}
	ibx_listing_free(l);
}

static void
test_listing_location(void **state)
{
	ibx_listing *l = fixture_example(), *back;

	(void)state;
	l->has_location = false;
	back = listing_round_trip(l);
	assert_false(back->has_location);
	ibx_listing_free(back);

	/* (0, 0) is the proto3 default of both fields, yet present. */
	l->has_location = true;
	l->lat = 0.0;
	l->lon = 0.0;
	back = listing_round_trip(l);
	assert_true(back->has_location);
	assert_true(back->lat == 0.0 && back->lon == 0.0);
	ibx_listing_free(back);

	l->lat = 45.5227;
	l->lon = 141.9363; /* Wakkanai */
	back = listing_round_trip(l);
	assert_true(back->has_location);
	assert_true(back->lat == 45.5227 && back->lon == 141.9363);
	ibx_listing_free(back);
	ibx_listing_free(l);
}

/* Only the required fields: empty lists, NULL strings, no location. */
static void
test_listing_minimal(void **state)
{
	ibx_listing *l = fixture_minimal(), *back;

	(void)state;
	back = listing_round_trip(l);
	assert_listing_equal(back, l);
	assert_int_equal(back->departments.n, 0);
	assert_int_equal(back->synthetic.n, 0);
	assert_int_equal(back->n_accreditations, 0);
	assert_int_equal(back->n_price_bands, 0);
	assert_null(back->name_en);
	assert_null(back->website);
	assert_null(back->contact_email);
	assert_int_equal(back->beds, -1);
	ibx_listing_free(back);
	ibx_listing_free(l);
}

/* Proto3 has no absent string: "" on the wire is NULL in the domain. */
static void
test_listing_empty_strings(void **state)
{
	ibx_listing *l = fixture_example(), *back;

	(void)state;
	fixture_set(&l->name_en, "");
	fixture_set(&l->website, "");
	fixture_set(&l->accreditations[0].expires, "");
	back = listing_round_trip(l);
	assert_null(back->name_en);
	assert_null(back->website);
	assert_null(back->accreditations[0].expires);
	assert_string_equal(back->accreditations[0].scheme, "JMIP");
	ibx_listing_free(back);
	ibx_listing_free(l);
}

static void
test_listing_empty_payload(void **state)
{
	ibx_listing *l = NULL;

	(void)state;
	/* An empty message decodes; the rules refuse it later. */
	assert_int_equal(ibx_listing_decode((const uint8_t *)"", 0, &l),
			 IBX_OK);
	assert_null(l->organisation_code);
	assert_false(l->has_location);
	ibx_listing_free(l);
}

static void
test_header_round_trip(void **state)
{
	static const uint8_t cert[] = {0x30, 0x82, 0x01, 0x0a, 0x00, 0xff};
	ibx_header h, back;
	ibx_bytes wire = {NULL, 0};

	(void)state;
	memset(&h, 0, sizeof(h));
	strcpy(h.sender_id, "3910118128");
	h.sequence = UINT64_MAX;
	h.created_at_ms = 1793491200123LL;
	h.payload_type = IBX_PAYLOAD_HOSPITAL_LISTING;
	h.cert.data = (uint8_t *)cert;
	h.cert.len = sizeof(cert);
	h.schema_version = IBX_SCHEMA_VERSION;
	assert_int_equal(ibx_header_encode(&h, &wire), IBX_OK);
	assert_int_equal(ibx_header_decode(wire.data, wire.len, &back),
			 IBX_OK);
	assert_string_equal(back.sender_id, "3910118128");
	assert_true(back.sequence == UINT64_MAX);
	assert_true(back.created_at_ms == 1793491200123LL);
	assert_int_equal(back.payload_type, IBX_PAYLOAD_HOSPITAL_LISTING);
	assert_bytes(&back.cert, cert, sizeof(cert));
	assert_int_equal(back.schema_version, 1);
	ibx_bytes_fini(&back.cert);
	ibx_bytes_fini(&wire);

	/* No certificate, negative time, a later payload type. */
	h.cert.data = NULL;
	h.cert.len = 0;
	h.created_at_ms = -1;
	h.sequence = 0;
	h.payload_type = IBX_PAYLOAD_WITHDRAW;
	assert_int_equal(ibx_header_encode(&h, &wire), IBX_OK);
	assert_int_equal(ibx_header_decode(wire.data, wire.len, &back),
			 IBX_OK);
	assert_true(back.created_at_ms == -1);
	assert_true(back.sequence == 0);
	assert_int_equal(back.payload_type, IBX_PAYLOAD_WITHDRAW);
	assert_int_equal(back.cert.len, 0);
	ibx_bytes_fini(&back.cert);
	ibx_bytes_fini(&wire);
}

/* A Header whose sender_id (field 1) is n bytes of 'x'. */
static size_t
header_with_sender(uint8_t *buf, size_t n)
{
	static const uint8_t tail[] = {
	    0x10, 0x07,		    /* sequence 7 */
	    0x2a, 0x02, 0xab, 0xcd, /* cert, 2 bytes */
	    0x30, 0x01,		    /* schema_version 1 */
	};

	assert_true(n < 128);
	buf[0] = 0x0a;
	buf[1] = (uint8_t)n;
	memset(buf + 2, 'x', n);
	memcpy(buf + 2 + n, tail, sizeof(tail));
	return (2 + n + sizeof(tail));
}

static void
test_header_sender_id_length(void **state)
{
	uint8_t buf[256];
	ibx_header h;
	size_t len;

	(void)state;
	len = header_with_sender(buf, 31);
	assert_int_equal(ibx_header_decode(buf, len, &h), IBX_OK);
	assert_int_equal(strlen(h.sender_id), 31);
	assert_int_equal(h.sequence, 7);
	assert_int_equal(h.cert.len, 2);
	ibx_bytes_fini(&h.cert);

	len = header_with_sender(buf, 32);
	assert_int_equal(ibx_header_decode(buf, len, &h), IBX_EMALFORMED);
	/* Nothing was kept for the caller to free. */
	assert_null(h.cert.data);
	len = header_with_sender(buf, 100);
	assert_int_equal(ibx_header_decode(buf, len, &h), IBX_EMALFORMED);
}

static void
test_envelope_round_trip(void **state)
{
	static const uint8_t header[] = {0x0a, 0x02, '3', '9'};
	static const uint8_t payload[] = {0x0a, 0x0a, '3', '9', '1', '0',
					  '1',	'1',  '0', '4', '3', '7'};
	uint8_t signature[72];
	ibx_envelope e = {{(uint8_t *)header, sizeof(header)},
			  {(uint8_t *)payload, sizeof(payload)},
			  {signature, sizeof(signature)}};
	ibx_envelope back;
	ibx_bytes wire = {NULL, 0};
	ibx_listing *l = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(signature); i++)
		signature[i] = (uint8_t)(i * 7 + 1);
	assert_int_equal(ibx_envelope_encode(&e, &wire), IBX_OK);
	assert_int_equal(ibx_envelope_decode(wire.data, wire.len, &back),
			 IBX_OK);
	assert_bytes(&back.header, header, sizeof(header));
	assert_bytes(&back.payload, payload, sizeof(payload));
	assert_bytes(&back.signature, signature, sizeof(signature));
	/* The payload bytes are the exact bytes sent. */
	assert_int_equal(
	    ibx_listing_decode(back.payload.data, back.payload.len, &l),
	    IBX_OK);
	assert_string_equal(l->organisation_code, "3910110437");
	ibx_listing_free(l);
	ibx_envelope_fini(&back);
	assert_null(back.header.data);
	assert_null(back.signature.data);
	ibx_bytes_fini(&wire);

	/* An empty envelope (unsigned) still decodes to three empties. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(ibx_envelope_encode(&e, &wire), IBX_OK);
	assert_int_equal(ibx_envelope_decode(wire.data, wire.len, &back),
			 IBX_OK);
	assert_int_equal(back.header.len, 0);
	assert_int_equal(back.payload.len, 0);
	assert_int_equal(back.signature.len, 0);
	ibx_envelope_fini(&back);
	ibx_bytes_fini(&wire);
}

static void
test_ack_round_trip(void **state)
{
	static const ibx_ack_status statuses[] = {
	    IBX_ACK_ACCEPTED, IBX_ACK_DUPLICATE, IBX_ACK_INVALID,
	    IBX_ACK_REPLAY, IBX_ACK_RETRY_LATER};
	ibx_ack a, back;
	ibx_bytes wire = {NULL, 0};
	size_t i;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.sequence = 42;
	strcpy(a.error, "listing refused: field \"languages[2]\": unknown "
			"ISO 639-1 code \"xx\"");
	a.listing_version = 7;
	a.summary.imported = 120;
	a.summary.updated = 3;
	a.summary.unchanged = 4000000000u;
	a.summary.refused = 1;
	a.summary.deleted = 2;
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++) {
		a.status = statuses[i];
		assert_int_equal(ibx_ack_encode(&a, &wire), IBX_OK);
		assert_int_equal(ibx_ack_decode(wire.data, wire.len, &back),
				 IBX_OK);
		assert_int_equal(back.sequence, 42);
		assert_int_equal(back.status, statuses[i]);
		assert_string_equal(back.error, a.error);
		assert_int_equal(back.listing_version, 7);
		assert_int_equal(back.summary.imported, 120);
		assert_int_equal(back.summary.updated, 3);
		assert_int_equal(back.summary.unchanged, 4000000000u);
		assert_int_equal(back.summary.refused, 1);
		assert_int_equal(back.summary.deleted, 2);
		ibx_bytes_fini(&wire);
	}
	a.listing_version = -1;
	a.error[0] = '\0';
	assert_int_equal(ibx_ack_encode(&a, &wire), IBX_OK);
	assert_int_equal(ibx_ack_decode(wire.data, wire.len, &back), IBX_OK);
	assert_int_equal(back.listing_version, -1);
	assert_string_equal(back.error, "");
	ibx_bytes_fini(&wire);
}

static void
test_ack_without_summary(void **state)
{
	/* sequence 42, status ACCEPTED, listing_version 3; no field 5. */
	static const uint8_t buf[] = {0x08, 0x2a, 0x10, 0x01, 0x20, 0x03};
	ibx_ack back;

	(void)state;
	memset(&back, 0x5a, sizeof(back));
	assert_int_equal(ibx_ack_decode(buf, sizeof(buf), &back), IBX_OK);
	assert_int_equal(back.sequence, 42);
	assert_int_equal(back.status, IBX_ACK_ACCEPTED);
	assert_int_equal(back.listing_version, 3);
	assert_string_equal(back.error, "");
	assert_int_equal(back.summary.imported, 0);
	assert_int_equal(back.summary.deleted, 0);
}

/* An error text longer than ibx_ack.error is cut, still terminated. */
static void
test_ack_long_error(void **state)
{
	/* sequence 1, then error (field 3) of 2000 bytes. */
	static const uint8_t head[] = {0x08, 0x01, 0x1a, 0xd0, 0x0f};
	uint8_t *buf = malloc(sizeof(head) + 2000);
	ibx_ack back;

	(void)state;
	assert_non_null(buf);
	memcpy(buf, head, sizeof(head));
	memset(buf + sizeof(head), 'e', 2000);
	assert_int_equal(ibx_ack_decode(buf, sizeof(head) + 2000, &back),
			 IBX_OK);
	assert_int_equal(back.sequence, 1);
	assert_int_equal(strlen(back.error), sizeof(back.error) - 1);
	assert_int_equal(back.error[0], 'e');
	/* One byte short: the length runs past the end. */
	assert_int_equal(ibx_ack_decode(buf, sizeof(head) + 1999, &back),
			 IBX_EMALFORMED);
	free(buf);
}

static void
test_ack_status(void **state)
{
	(void)state;
	assert_string_equal(ibx_ack_status_name(IBX_ACK_ACCEPTED), "accepted");
	assert_string_equal(ibx_ack_status_name(IBX_ACK_INVALID), "invalid");
	assert_string_equal(ibx_ack_status_name(IBX_ACK_RETRY_LATER),
			    "retry later");
	assert_string_equal(ibx_ack_status_name((ibx_ack_status)999),
			    "unknown status");
	assert_false(ibx_ack_status_final(IBX_ACK_RETRY_LATER));
	assert_false(ibx_ack_status_final(IBX_ACK_UNSPECIFIED));
	assert_true(ibx_ack_status_final(IBX_ACK_ACCEPTED));
	assert_true(ibx_ack_status_final(IBX_ACK_DUPLICATE));
	assert_true(ibx_ack_status_final(IBX_ACK_INVALID));
	assert_true(ibx_ack_status_final(IBX_ACK_BAD_SIGNATURE));
}

/* Each decoder, run over untrusted bytes: IBX_OK (results freed) or
 * IBX_EMALFORMED, nothing else. */
enum decoder { DEC_ENVELOPE, DEC_HEADER, DEC_ACK, DEC_LISTING };

static ibx_err
decode(enum decoder d, const uint8_t *buf, size_t len)
{
	ibx_envelope e;
	ibx_header h;
	ibx_ack a;
	ibx_listing *l = NULL;
	ibx_err rv = IBX_EINVAL;

	switch (d) {
	case DEC_ENVELOPE:
		if ((rv = ibx_envelope_decode(buf, len, &e)) == IBX_OK)
			ibx_envelope_fini(&e);
		break;
	case DEC_HEADER:
		if ((rv = ibx_header_decode(buf, len, &h)) == IBX_OK)
			ibx_bytes_fini(&h.cert);
		break;
	case DEC_ACK:
		rv = ibx_ack_decode(buf, len, &a);
		break;
	case DEC_LISTING:
		if ((rv = ibx_listing_decode(buf, len, &l)) == IBX_OK)
			ibx_listing_free(l);
		break;
	}
	if (rv != IBX_OK && rv != IBX_EMALFORMED)
		fail_msg("decoder %d returned %d for %zu bytes", (int)d,
			 (int)rv, len);
	return (rv);
}

/* Every prefix of buf (copied to its own allocation, so a read past the
 * end is caught by the sanitizers) decodes or is malformed; the whole
 * decodes; the count of malformed prefixes is returned. */
static size_t
every_prefix(enum decoder d, const uint8_t *buf, size_t len)
{
	size_t n, malformed = 0;

	for (n = 0; n < len; n++) {
		uint8_t *copy = malloc(n > 0 ? n : 1);

		assert_non_null(copy);
		memcpy(copy, buf, n);
		if (decode(d, copy, n) == IBX_EMALFORMED)
			malformed++;
		free(copy);
	}
	assert_int_equal(decode(d, buf, len), IBX_OK);
	return (malformed);
}

static void
test_truncated(void **state)
{
	ibx_listing *l = fixture_example();
	ibx_header h;
	ibx_ack a;
	uint8_t signature[72];
	ibx_bytes header = {NULL, 0}, payload = {NULL, 0}, env = {NULL, 0},
		  ack = {NULL, 0};
	ibx_envelope e;

	(void)state;
	memset(&h, 0, sizeof(h));
	strcpy(h.sender_id, "3910118128");
	h.sequence = 99;
	h.created_at_ms = 1793491200123LL;
	h.payload_type = IBX_PAYLOAD_HOSPITAL_LISTING;
	h.cert.data = signature;
	h.cert.len = 32;
	h.schema_version = 1;
	memset(signature, 0xa5, sizeof(signature));
	assert_int_equal(ibx_header_encode(&h, &header), IBX_OK);
	assert_int_equal(ibx_listing_encode(l, &payload), IBX_OK);
	e.header = header;
	e.payload = payload;
	e.signature.data = signature;
	e.signature.len = sizeof(signature);
	assert_int_equal(ibx_envelope_encode(&e, &env), IBX_OK);
	memset(&a, 0, sizeof(a));
	a.sequence = 99;
	a.status = IBX_ACK_INVALID;
	strcpy(a.error, "field \"beds\": must be 0 to 5000");
	a.summary.imported = 5;
	assert_int_equal(ibx_ack_encode(&a, &ack), IBX_OK);

	/* Most prefixes cut a field short; the last byte always does. */
	assert_true(every_prefix(DEC_ENVELOPE, env.data, env.len) >
		    env.len / 2);
	assert_int_equal(decode(DEC_ENVELOPE, env.data, env.len - 1),
			 IBX_EMALFORMED);
	assert_true(every_prefix(DEC_HEADER, header.data, header.len) > 0);
	assert_int_equal(decode(DEC_HEADER, header.data, header.len - 1),
			 IBX_EMALFORMED);
	assert_true(every_prefix(DEC_LISTING, payload.data, payload.len) >
		    payload.len / 2);
	assert_true(every_prefix(DEC_ACK, ack.data, ack.len) > 0);

	ibx_bytes_fini(&header);
	ibx_bytes_fini(&payload);
	ibx_bytes_fini(&env);
	ibx_bytes_fini(&ack);
	ibx_listing_free(l);
}

static void
test_garbage(void **state)
{
	static const struct {
		const uint8_t *buf;
		size_t len;
	} bad[] = {
	    {(const uint8_t *)"\xff", 1},     /* varint cut short */
	    {(const uint8_t *)"\x0f\x00", 2}, /* wire type 7 */
	    {(const uint8_t *)"\x0a\x05"
			      "ab",
	     4}, /* length past the end */
	    {(const uint8_t *)"\x0a\xff\xff\xff\xff\x0f"
			      "ab",
	     8},
	    {(const uint8_t *)"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff",
	     11}, /* an over-long varint */
	};
	static const enum decoder decoders[] = {DEC_ENVELOPE, DEC_HEADER,
						DEC_ACK, DEC_LISTING};
	uint32_t seed = 0x1b0a2026u;
	uint8_t buf[96];
	size_t i, j, k, len;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		for (j = 0; j < sizeof(decoders) / sizeof(decoders[0]); j++) {
			uint8_t *copy = malloc(bad[i].len);

			assert_non_null(copy);
			memcpy(copy, bad[i].buf, bad[i].len);
			if (decode(decoders[j], copy, bad[i].len) !=
			    IBX_EMALFORMED)
				fail_msg("garbage %zu accepted by decoder %zu",
					 i, j);
			free(copy);
		}
	/* Pseudo-random bytes: never anything but OK or malformed. */
	for (i = 0; i < 4000; i++) {
		uint8_t *copy;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % sizeof(buf);
		for (k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			buf[k] = (uint8_t)(seed >> 16);
		}
		copy = malloc(len > 0 ? len : 1);
		assert_non_null(copy);
		memcpy(copy, buf, len);
		for (j = 0; j < sizeof(decoders) / sizeof(decoders[0]); j++)
			(void)decode(decoders[j], copy, len);
		free(copy);
	}
}

/* A listing field of the wrong wire type is malformed, not misread. */
static void
test_listing_wrong_wire_type(void **state)
{
	/* beds (field 8) as a length-delimited field. */
	static const uint8_t beds_as_bytes[] = {0x42, 0x01, 0x00};
	/* departments (field 9) as a varint. */
	static const uint8_t departments_as_varint[] = {0x48, 0x01};
	ibx_listing *l = NULL;

	(void)state;
	assert_int_equal(
	    ibx_listing_decode(beds_as_bytes, sizeof(beds_as_bytes), &l),
	    IBX_EMALFORMED);
	assert_int_equal(ibx_listing_decode(departments_as_varint,
					    sizeof(departments_as_varint), &l),
			 IBX_EMALFORMED);
	assert_null(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_listing_round_trip_example),
	    cmocka_unit_test(test_listing_beds),
	    cmocka_unit_test(test_listing_location),
	    cmocka_unit_test(test_listing_minimal),
	    cmocka_unit_test(test_listing_empty_strings),
	    cmocka_unit_test(test_listing_empty_payload),
	    cmocka_unit_test(test_header_round_trip),
	    cmocka_unit_test(test_header_sender_id_length),
	    cmocka_unit_test(test_envelope_round_trip),
	    cmocka_unit_test(test_ack_round_trip),
	    cmocka_unit_test(test_ack_without_summary),
	    cmocka_unit_test(test_ack_long_error),
	    cmocka_unit_test(test_ack_status),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_listing_wrong_wire_type),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
