/*
 * What leaves the hospital carries no patient reference, birth date or
 * exact date.  Builds the statistics of a small case-record file whose
 * references, birth dates and visit and discharge dates are all distinct
 * strings, then looks for each of them (as YYYY-MM-DD and as YYYYMMDD)
 * in: the encoded CaseStatistics payload (ibx_statistics_encode), the
 * sealed envelope the spoke sends (spoke_cases_seal, with a throwaway
 * P-256 identity made by the openssl command), and the --dry-run table
 * and JSON.  A bad row's report, which stays in the hospital, must not
 * quote the patient reference either.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases_anonymise.h"
#include "cases_print.h"
#include "statistics_seal.h"
#include "envelope.h"

static const char *const refs[] = {"PT-7731-0042", "PT-7731-0043",
				   "HOSP/2024/000917", "X9"};
static const char *const dates[] = {
    "1961-07-23", "1984-11-02", "1939-02-17", "2002-06-30", /* births */
    "2024-03-17", "2024-03-29", "2024-03-04", "2024-03-06", /* visits */
    "2024-03-21", "2024-03-11", "2024-03-13"};

static const char text[] =
    "patient_ref,nationality,birth_date,sex,purpose,icd10,first_visit,"
    "discharge,outpatient_visits,inpatient_days,charge_jpy,"
    "referral_channel,referral_org,remote_second_opinion_first,"
    "medical_stay_visa\n"
    "PT-7731-0042,CN,1961-07-23,male,treatment,C16.9,2024-03-17,"
    "2024-03-29,3,12,4512345,coordinator,9000000001,no,yes\n"
    "PT-7731-0043,VN,1984-11-02,female,health_checkup,Z00.00,2024-03-04,"
    "2024-03-06,1,2,1487650,coordinator,9000000001,no,no\n"
    "HOSP/2024/000917,RUS,1939-02-17,M,second_opinion,C34.1,2024-03-21,,"
    "1,0,210000,doctor,,yes,unknown\n"
    "X9,US,2002-06-30,F,other,K02.9,2024-03-11,2024-03-13,1,1,88000,"
    "direct,,no,no\n"
    "PT-7731-0042,CN,1961-07-23,male,follow_up,C16.9,2024-03-29,,1,0,"
    "300000,coordinator,9000000001,no,yes\n";

/* True when needle occurs anywhere in the len bytes at hay. */
static bool
occurs(const void *hay, size_t len, const char *needle)
{
	const char *h = hay;
	size_t n = strlen(needle), i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (memcmp(h + i, needle, n) == 0)
			return (true);
	return (false);
}

/* Fail when any reference or date (either form) is in the bytes. */
static void
assert_clean(const void *bytes, size_t len, const char *what)
{
	char compact[9];
	size_t i;

	for (i = 0; i < sizeof(refs) / sizeof(refs[0]); i++)
		if (occurs(bytes, len, refs[i]))
			fail_msg("%s holds patient reference %s", what,
				 refs[i]);
	for (i = 0; i < sizeof(dates) / sizeof(dates[0]); i++) {
		snprintf(compact, sizeof(compact), "%.4s%.2s%.2s", dates[i],
			 dates[i] + 5, dates[i] + 8);
		if (occurs(bytes, len, dates[i]) ||
		    occurs(bytes, len, compact))
			fail_msg("%s holds the date %s", what, dates[i]);
	}
}

static ibx_case_statistics *
build(void)
{
	ibx_case_statistics *s = NULL;
	spoke_cases_report rep;
	spoke_cases_opts o;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "rb");

	assert_non_null(f);
	memset(&o, 0, sizeof(o));
	o.period = "2024-03";
	spoke_cases_report_init(&rep);
	assert_int_equal(spoke_cases_anonymise(f, &o, &rep, &s), IBX_OK);
	fclose(f);
	assert_int_equal(rep.bad_rows, 0);
	assert_int_equal(rep.in_period, 5);
	spoke_cases_report_fini(&rep);
	memcpy(s->organisation_code, "3910118128", 11);
	return (s);
}

static void
test_payload(void **state)
{
	ibx_case_statistics *s = build();
	ibx_bytes payload = {NULL, 0};

	(void)state;
	assert_int_equal(ibx_statistics_encode(s, &payload), IBX_OK);
	/* The right bytes: the period and a cell's code are there. */
	assert_true(occurs(payload.data, payload.len, "2024-03"));
	assert_true(occurs(payload.data, payload.len, "9000000001"));
	assert_clean(payload.data, payload.len, "the payload");
	ibx_bytes_fini(&payload);
	ibx_statistics_free(s);
}

static void
test_dry_run_output(void **state)
{
	ibx_case_statistics *s = build();
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_non_null(f = open_memstream(&out, &len));
	spoke_cases_print_table(f, s);
	assert_int_equal(spoke_cases_print_json(f, s), IBX_OK);
	fclose(f);
	assert_true(occurs(out, len, "\"period\": \"2024-03\""));
	assert_clean(out, len, "the dry-run output");
	free(out);
	ibx_statistics_free(s);
}

static void
test_sealed_envelope(void **state)
{
	char dir[] = "/tmp/ibx-cases-leak-XXXXXX", cmd[1024], cert[256],
	     key[256];
	ibx_case_statistics *s = build();
	ibx_bytes env = {NULL, 0};
	spoke_identity id;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cert, sizeof(cert), "%s/cert.pem", dir);
	snprintf(key, sizeof(key), "%s/key.pem", dir);
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey ec -pkeyopt "
		 "ec_paramgen_curve:P-256 -nodes -days 2 -keyout %s -out %s "
		 "-subj /OU=hospital/CN=3910118128 >/dev/null 2>&1",
		 key, cert);
	if (system(cmd) != 0) {
		rmdir(dir);
		ibx_statistics_free(s);
		skip(); /* no openssl command here */
	}
	assert_int_equal(spoke_identity_load(cert, key, &id), IBX_OK);
	assert_int_equal(spoke_cases_seal(&id, 1, s, &env), IBX_OK);
	assert_true(occurs(env.data, env.len, "2024-03"));
	assert_clean(env.data, env.len, "the sealed envelope");
	ibx_bytes_fini(&env);
	/* With the certificate's SHA-256 in place of its DER, too. */
	id.send_fingerprint = true;
	assert_int_equal(spoke_cases_seal(&id, 2, s, &env), IBX_OK);
	assert_clean(env.data, env.len, "the sealed envelope");
	ibx_bytes_fini(&env);
	spoke_identity_fini(&id);
	unlink(cert);
	unlink(key);
	rmdir(dir);
	ibx_statistics_free(s);
}

static void
test_report_never_quotes_a_reference(void **state)
{
	static const char bad[] =
	    "patient_ref,nationality,birth_date,sex,purpose,icd10,first_visit,"
	    "outpatient_visits,inpatient_days,charge_jpy,referral_channel,"
	    "remote_second_opinion_first\n"
	    "PT-7731-0042,ZZ,1961-07-23,x,treatment,C16.9,2024-03-17,1,0,1,"
	    "direct,no\n"
	    "PT-7731-0043,CN,1961-07-23,male,treatment,C16.9,2024-03-17,1,0,1,"
	    "direct,no,extra\n";
	ibx_case_statistics *s = NULL;
	spoke_cases_report rep;
	spoke_cases_opts o;
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_non_null(f = fmemopen((void *)bad, sizeof(bad) - 1, "rb"));
	memset(&o, 0, sizeof(o));
	o.period = "2024-03";
	spoke_cases_report_init(&rep);
	assert_int_equal(spoke_cases_anonymise(f, &o, &rep, &s), IBX_OK);
	fclose(f);
	assert_int_equal(rep.bad_rows, 2);
	assert_non_null(f = open_memstream(&out, &len));
	spoke_cases_report_print(f, "cases.csv", "2024-03", &rep, false);
	fclose(f);
	assert_true(occurs(out, len, "line 2: column \"nationality\""));
	assert_false(occurs(out, len, "PT-7731"));
	free(out);
	spoke_cases_report_fini(&rep);
	ibx_statistics_free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_payload),
	    cmocka_unit_test(test_dry_run_output),
	    cmocka_unit_test(test_sealed_envelope),
	    cmocka_unit_test(test_report_never_quotes_a_reference),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
