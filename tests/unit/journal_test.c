/*
 * Unit tests of the spoke's record of acknowledged envelopes
 * (spoke/delivery/journal.c): a statistics envelope's line carries its period,
 * cell count, patients and JPY sums and the envelope's SHA-256; a listing's
 * the version the Ack gave; only accepted and duplicate Acks are recorded; a
 * line cut short by a crash is ended before the next one; bytes that do
 * not decode are still recorded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "journal.h"
#include "statistics.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/ibx-journal-XXXXXX");
	return (mkdtemp(dir) == NULL ? -1 : 0);
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return (system(cmd) == 0 ? 0 : -1);
}

/* The journal's contents (free), "" when there is none. */
static char *
journal(void)
{
	char path[128], *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, SPOKE_JOURNAL_NAME);
	if ((f = fopen(path, "r")) == NULL)
		return (strdup(""));
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	assert_non_null(buf = calloc(1, (size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return (buf);
}

/* An envelope (unsigned: the journal does not verify) around payload. */
static void
envelope(ibx_payload_type t, const ibx_bytes *payload, ibx_bytes *out)
{
	ibx_header h;
	ibx_envelope e;
	ibx_bytes hb = {NULL, 0};
	uint8_t sig[8] = {1, 2, 3, 4, 5, 6, 7, 8};

	memset(&h, 0, sizeof(h));
	strcpy(h.sender_id, "3910118128");
	h.sequence = 42;
	h.payload_type = t;
	h.schema_version = 1;
	assert_int_equal(ibx_header_encode(&h, &hb), IBX_OK);
	e.header = hb;
	e.payload = *payload;
	e.signature = (ibx_bytes){sig, sizeof(sig)};
	assert_int_equal(ibx_envelope_encode(&e, out), IBX_OK);
	ibx_bytes_fini(&hb);
}

static void
statistics_envelope(ibx_bytes *out)
{
	ibx_case_statistics *s = ibx_statistics_new();
	ibx_stat_cell c;
	ibx_bytes payload = {NULL, 0};

	assert_non_null(s);
	strcpy(s->organisation_code, "3910118128");
	strcpy(s->period, "2026-03");
	memset(&c, 0, sizeof(c));
	strcpy(c.nationality, "CN");
	strcpy(c.purpose, "treatment");
	strcpy(c.icd10, "2");
	strcpy(c.age_band, "60-69");
	strcpy(c.sex, "male");
	strcpy(c.referral_channel, "direct");
	strcpy(c.remote_second_opinion_first, "no");
	strcpy(c.medical_stay_visa, "yes");
	c.patients = 3;
	c.episodes = 4;
	c.charge_jpy = 1200000;
	assert_int_equal(ibx_statistics_add_cell(s, &c), IBX_OK);
	strcpy(c.nationality, "VN");
	c.patients = 2;
	c.episodes = 2;
	c.charge_jpy = 300000;
	assert_int_equal(ibx_statistics_add_cell(s, &c), IBX_OK);
	assert_int_equal(ibx_statistics_encode(s, &payload), IBX_OK);
	envelope(IBX_PAYLOAD_CASE_STATISTICS, &payload, out);
	ibx_bytes_fini(&payload);
	ibx_statistics_free(s);
}

static void
sha256_hex(const ibx_bytes *b, char hex[65])
{
	uint8_t d[IBX_SHA256_LEN];
	size_t i;

	ibx_sha256(b->data, b->len, d);
	for (i = 0; i < IBX_SHA256_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static void
statistics_line(void **state)
{
	ibx_bytes env = {NULL, 0};
	ibx_ack ack;
	char hex[65], want[256], *got;

	(void)state;
	statistics_envelope(&env);
	memset(&ack, 0, sizeof(ack));
	ack.sequence = 42;
	ack.status = IBX_ACK_ACCEPTED;
	assert_int_equal(spoke_journal_append(dir, 42, &ack, &env, 1000),
			 IBX_OK);
	ack.status = IBX_ACK_DUPLICATE;
	assert_int_equal(spoke_journal_append(dir, 42, &ack, &env, 2000),
			 IBX_OK);
	sha256_hex(&env, hex);
	snprintf(
	    want, sizeof(want),
	    "42\taccepted\tcase_statistics\t2026-03\t2\t5\t1500000\t0\t%s"
	    "\t1000\n"
	    "42\tduplicate\tcase_statistics\t2026-03\t2\t5\t1500000\t0\t%s"
	    "\t2000\n",
	    hex, hex);
	got = journal();
	assert_string_equal(got, want);
	free(got);
	ibx_bytes_fini(&env);
}

static void
only_final_acks(void **state)
{
	ibx_bytes env = {NULL, 0};
	ibx_ack ack;
	char *got;

	(void)state;
	statistics_envelope(&env);
	memset(&ack, 0, sizeof(ack));
	ack.status = IBX_ACK_RETRY_LATER;
	assert_int_equal(spoke_journal_append(dir, 42, &ack, &env, 1),
			 IBX_EINVAL);
	ack.status = IBX_ACK_INVALID;
	assert_int_equal(spoke_journal_append(dir, 42, &ack, &env, 1),
			 IBX_EINVAL);
	got = journal();
	assert_string_equal(got, "");
	free(got);
	ibx_bytes_fini(&env);
}

static void
torn_line_ended(void **state)
{
	uint8_t junk[3] = {0xff, 0xff, 0xff};
	ibx_bytes env = {junk, sizeof(junk)};
	ibx_ack ack;
	char path[128], hex[65], want[256], *got;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/%s", dir, SPOKE_JOURNAL_NAME);
	assert_non_null(f = fopen(path, "w"));
	fputs("7\taccep", f);
	fclose(f);
	memset(&ack, 0, sizeof(ack));
	ack.status = IBX_ACK_ACCEPTED;
	ack.listing_version = 3;
	assert_int_equal(spoke_journal_append(dir, 8, &ack, &env, 5), IBX_OK);
	sha256_hex(&env, hex);
	snprintf(want, sizeof(want),
		 "7\taccep\n8\taccepted\t0\t-\t0\t0\t0\t3\t%s\t5\n", hex);
	got = journal();
	assert_string_equal(got, want);
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(statistics_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(only_final_acks, setup, teardown),
	    cmocka_unit_test_setup_teardown(torn_line_ended, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
