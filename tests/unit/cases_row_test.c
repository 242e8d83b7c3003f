/*
 * Unit tests of one case record's parsing and rules
 * (spoke/anonymise/cases_row.c): each column's values, accepted and refused
 * with the message that names the column and the reason, the rules between
 * columns (birth before the first visit, discharge after it, inpatient days
 * within the stay, a coordinator's code with the coordinator channel), the
 * defaults, and that a refused patient reference is never quoted.  Line
 * numbers are added by the anonymiser (cases_anonymise_test.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "cases_row.h"

/* Every column of a good row, in column order. */
static const char *const good[SPOKE_COL_COUNT] = {
    [SPOKE_COL_PATIENT_REF] = "PT-0001",
    [SPOKE_COL_NATIONALITY] = "CN",
    [SPOKE_COL_BIRTH_DATE] = "1960-05-10",
    [SPOKE_COL_AGE] = "",
    [SPOKE_COL_SEX] = "male",
    [SPOKE_COL_PURPOSE] = "treatment",
    [SPOKE_COL_ICD10] = "C16.9",
    [SPOKE_COL_FIRST_VISIT] = "2024-03-01",
    [SPOKE_COL_DISCHARGE] = "2024-03-20",
    [SPOKE_COL_OUTPATIENT_VISITS] = "3",
    [SPOKE_COL_INPATIENT_DAYS] = "18",
    [SPOKE_COL_CHARGE_JPY] = "4500000",
    [SPOKE_COL_REFERRAL_CHANNEL] = "coordinator",
    [SPOKE_COL_REFERRAL_ORG] = "9000000001",
    [SPOKE_COL_REMOTE_SECOND_OPINION_FIRST] = "no",
    [SPOKE_COL_MEDICAL_STAY_VISA] = "yes",
    [SPOKE_COL_REFERRAL_ID] = "",
};

static const bool all_columns[SPOKE_COL_COUNT] = {
    true, true, true, true, true, true, true, true,
    true, true, true, true, true, true, true, true,
};

/* Parse the good row with column c replaced by value (NULL: keep). */
static void
row_with(spoke_case_row *r, spoke_case_col c, const char *value)
{
	int i;

	spoke_case_row_reset(r, true);
	for (i = 0; i < SPOKE_COL_COUNT; i++) {
		const char *v = i == (int)c && value != NULL ? value : good[i];

		spoke_case_row_field(r, (spoke_case_col)i, v, strlen(v));
	}
	spoke_case_row_finish(r, all_columns);
}

/* The problem text of the good row with column c set to value. */
static const char *
problem(spoke_case_col c, const char *value)
{
	static spoke_case_row r;

	row_with(&r, c, value);
	return (r.text);
}

static void
test_good_row(void **state)
{
	spoke_case_row r;

	(void)state;
	row_with(&r, SPOKE_COL_COUNT, NULL);
	assert_true(spoke_case_row_ok(&r));
	assert_string_equal(r.text, "");
	assert_int_equal(r.ref_len, 7);
	assert_memory_equal(r.ref, "PT-0001", 7);
	assert_string_equal(r.nationality, "CN");
	assert_int_equal(r.age_band, 6); /* 63 on 2024-03-01: 60-69 */
	assert_int_equal(r.sex, SPOKE_SEX_MALE);
	assert_int_equal(r.purpose, SPOKE_PURPOSE_TREATMENT);
	assert_string_equal(r.icd10_category, "C16");
	assert_int_equal(r.icd10_chapter, 2);
	assert_int_equal(r.outpatient_visits, 3);
	assert_int_equal(r.inpatient_days, 18);
	assert_int_equal(r.charge_jpy, 4500000);
	assert_int_equal(r.channel, SPOKE_CHANNEL_COORDINATOR);
	assert_int_equal(r.referral_org, 9000000001ULL);
	assert_int_equal(r.remote_second_opinion_first, SPOKE_NO);
	assert_int_equal(r.visa, SPOKE_YES);
}

static void
test_vocabularies(void **state)
{
	spoke_case_row r;

	(void)state;
	row_with(&r, SPOKE_COL_SEX, "M");
	assert_int_equal(r.sex, SPOKE_SEX_MALE);
	row_with(&r, SPOKE_COL_SEX, "f");
	assert_int_equal(r.sex, SPOKE_SEX_FEMALE);
	row_with(&r, SPOKE_COL_SEX, "Female");
	assert_int_equal(r.sex, SPOKE_SEX_FEMALE);
	row_with(&r, SPOKE_COL_SEX, "UNKNOWN");
	assert_int_equal(r.sex, SPOKE_SEX_UNKNOWN);
	row_with(&r, SPOKE_COL_PURPOSE, "Health_Checkup");
	assert_int_equal(r.purpose, SPOKE_PURPOSE_HEALTH_CHECKUP);
	row_with(&r, SPOKE_COL_PURPOSE, "second_opinion");
	assert_int_equal(r.purpose, SPOKE_PURPOSE_SECOND_OPINION);
	row_with(&r, SPOKE_COL_PURPOSE, "follow_up");
	assert_int_equal(r.purpose, SPOKE_PURPOSE_FOLLOW_UP);
	row_with(&r, SPOKE_COL_PURPOSE, "other");
	assert_int_equal(r.purpose, SPOKE_PURPOSE_OTHER);
	row_with(&r, SPOKE_COL_PURPOSE, "Travel_Emergency");
	assert_int_equal(r.purpose, SPOKE_PURPOSE_TRAVEL_EMERGENCY);
	row_with(&r, SPOKE_COL_SEX, "u");
	assert_int_equal(r.sex, SPOKE_SEX_UNKNOWN);
	/* 訪日旅行中の傷病: what hospital systems say for it. */
	row_with(&r, SPOKE_COL_PURPOSE, "Emergency");
	assert_int_equal(r.purpose, SPOKE_PURPOSE_TRAVEL_EMERGENCY);
	row_with(&r, SPOKE_COL_REFERRAL_CHANNEL, "DIRECT");
	assert_int_equal(r.channel, SPOKE_CHANNEL_DIRECT);
	assert_true(spoke_case_row_ok(&r));
	row_with(&r, SPOKE_COL_MEDICAL_STAY_VISA, "Unknown");
	assert_int_equal(r.visa, SPOKE_UNKNOWN);
	row_with(&r, SPOKE_COL_REMOTE_SECOND_OPINION_FIRST, "YES");
	assert_int_equal(r.remote_second_opinion_first, SPOKE_YES);
	row_with(&r, SPOKE_COL_NATIONALITY, "vnm");
	assert_string_equal(r.nationality, "VN");
	assert_true(spoke_case_row_ok(&r));
}

static void
test_refused_values(void **state)
{
	(void)state;
	assert_string_equal(
	    problem(SPOKE_COL_NATIONALITY, "ZZ"),
	    "column \"nationality\": \"ZZ\" is not an ISO "
	    "3166-1 alpha-2 or alpha-3 country code (CN, CHN)");
	assert_string_equal(problem(SPOKE_COL_BIRTH_DATE, "2023-02-29"),
			    "column \"birth_date\": \"2023-02-29\" is not a "
			    "date (YYYY-MM-DD, a day that exists, 1900 to "
			    "2999)");
	assert_string_equal(problem(SPOKE_COL_SEX, "x"),
			    "column \"sex\": \"x\" is not male, female or "
			    "unknown (M, F or U accepted)");
	assert_string_equal(problem(SPOKE_COL_PURPOSE, "surgery"),
			    "column \"purpose\": \"surgery\" is not "
			    "treatment, health_checkup, second_opinion, "
			    "follow_up, travel_emergency or other (EMERGENCY "
			    "accepted)");
	/* remote_second_opinion_first: yes or no, not unknown */
	assert_string_equal(
	    problem(SPOKE_COL_REMOTE_SECOND_OPINION_FIRST, "unknown"),
	    "column \"remote_second_opinion_first\": \"unknown\" is not "
	    "yes or no");
	assert_string_equal(problem(SPOKE_COL_MEDICAL_STAY_VISA, "maybe"),
			    "column \"medical_stay_visa\": \"maybe\" is not "
			    "yes, no or unknown");
	assert_string_equal(problem(SPOKE_COL_REFERRAL_CHANNEL, "agent"),
			    "column \"referral_channel\": \"agent\" is not "
			    "coordinator, hospital, doctor or direct");
	assert_string_equal(problem(SPOKE_COL_ICD10, "C1"),
			    "column \"icd10\": \"C1\" is not an ICD-10 code "
			    "(a letter, a digit, a digit or letter, then up "
			    "to 4 more: C16, C16.9)");
	assert_string_equal(problem(SPOKE_COL_ICD10, "U99.9"),
			    "column \"icd10\": \"U99.9\" names no known "
			    "ICD-10 category (U99 is not in ICD-10-CM 2025)");
	assert_string_equal(problem(SPOKE_COL_FIRST_VISIT, "2024-13-01"),
			    "column \"first_visit\": \"2024-13-01\" is not a "
			    "date (YYYY-MM-DD, a day that exists, 1900 to "
			    "2999)");
	assert_string_equal(problem(SPOKE_COL_DISCHARGE, "20.3.2024"),
			    "column \"discharge\": \"20.3.2024\" is not a "
			    "date (YYYY-MM-DD, a day that exists, 1900 to "
			    "2999)");
	assert_string_equal(problem(SPOKE_COL_OUTPATIENT_VISITS, "-1"),
			    "column \"outpatient_visits\": \"-1\" is not a "
			    "whole number from 0 to 10000 (digits only)");
	assert_string_equal(problem(SPOKE_COL_OUTPATIENT_VISITS, "10001"),
			    "column \"outpatient_visits\": \"10001\" is not a "
			    "whole number from 0 to 10000 (digits only)");
	assert_string_equal(
	    problem(SPOKE_COL_INPATIENT_DAYS, "2.5"),
	    "column \"inpatient_days\": \"2.5\" is not a whole "
	    "number from 0 to 36600 (digits only)");
	assert_string_equal(problem(SPOKE_COL_CHARGE_JPY, "1,500,000"),
			    "column \"charge_jpy\": \"1,500,000\" is not a "
			    "whole number of yen from 0 to 100000000000 "
			    "(digits only, no separators)");
	assert_string_equal(problem(SPOKE_COL_REFERRAL_CHANNEL, "agent"),
			    "column \"referral_channel\": \"agent\" is not "
			    "coordinator, hospital, doctor or direct");
	assert_string_equal(problem(SPOKE_COL_REFERRAL_ORG, "12345"),
			    "column \"referral_org\": \"12345\" is not a "
			    "10-digit organisation code");
	assert_string_equal(
	    problem(SPOKE_COL_REMOTE_SECOND_OPINION_FIRST, "maybe"),
	    "column \"remote_second_opinion_first\": \"maybe\" is not yes or "
	    "no");
	/* unknown is a visa answer, not a remote second opinion answer */
	assert_string_equal(
	    problem(SPOKE_COL_REMOTE_SECOND_OPINION_FIRST, "unknown"),
	    "column \"remote_second_opinion_first\": \"unknown\" is not yes "
	    "or no");
	assert_string_equal(problem(SPOKE_COL_MEDICAL_STAY_VISA, "perhaps"),
			    "column \"medical_stay_visa\": \"perhaps\" is not "
			    "yes, no or unknown");
}

static void
test_age_column(void **state)
{
	spoke_case_row r;
	int i;

	(void)state;
	spoke_case_row_reset(&r, true);
	for (i = 0; i < SPOKE_COL_COUNT; i++) {
		const char *v = i == SPOKE_COL_BIRTH_DATE ? ""
				: i == SPOKE_COL_AGE	  ? "90"
							  : good[i];

		spoke_case_row_field(&r, (spoke_case_col)i, v, strlen(v));
	}
	spoke_case_row_finish(&r, all_columns);
	assert_true(spoke_case_row_ok(&r));
	assert_int_equal(r.age_band, SPOKE_AGE_BAND_90_PLUS);
	assert_string_equal(problem(SPOKE_COL_AGE, "130"),
			    "column \"age\": \"130\" is not an age in whole "
			    "years from 0 to 120");
	assert_string_equal(problem(SPOKE_COL_AGE, "abc"),
			    "column \"age\": \"abc\" is not an age in whole "
			    "years from 0 to 120");
}

static void
test_unknown_age(void **state)
{
	spoke_case_row r;

	(void)state;
	row_with(&r, SPOKE_COL_BIRTH_DATE, "");
	assert_true(spoke_case_row_ok(&r));
	assert_int_equal(r.age_band, SPOKE_AGE_BAND_UNKNOWN);
}

static void
test_between_columns(void **state)
{
	(void)state;
	assert_string_equal(problem(SPOKE_COL_BIRTH_DATE, "2024-03-02"),
			    "column \"birth_date\": 2024-03-02 is after "
			    "first_visit 2024-03-01");
	assert_string_equal(problem(SPOKE_COL_BIRTH_DATE, "1900-01-01"),
			    "column \"birth_date\": 1900-01-01 makes the "
			    "patient 124 at first_visit 2024-03-01, over 120");
	assert_string_equal(problem(SPOKE_COL_DISCHARGE, "2024-02-29"),
			    "column \"discharge\": 2024-02-29 is before "
			    "first_visit 2024-03-01");
	/* 18 days fit from 03-01 to 03-18 (both days count); 03-17 not. */
	assert_string_equal(problem(SPOKE_COL_DISCHARGE, "2024-03-18"), "");
	assert_string_equal(problem(SPOKE_COL_DISCHARGE, "2024-03-17"),
			    "column \"inpatient_days\": 18 days, more than "
			    "the 17 from first_visit 2024-03-01 to discharge "
			    "2024-03-17");
	/* Still in hospital: no discharge, any number of days. */
	assert_string_equal(problem(SPOKE_COL_DISCHARGE, ""), "");
}

static void
test_referral(void **state)
{
	spoke_case_row r;
	bool no_org[SPOKE_COL_COUNT];
	int i;

	(void)state;
	assert_string_equal(problem(SPOKE_COL_REFERRAL_ORG, ""),
			    "column \"referral_org\": empty, but "
			    "referral_channel coordinator needs the "
			    "coordinator's 10-digit organisation code");
	/* Another channel: the code is dropped, whatever it is. */
	row_with(&r, SPOKE_COL_REFERRAL_CHANNEL, "hospital");
	assert_true(spoke_case_row_ok(&r));
	assert_int_equal(r.referral_org, 0);
	spoke_case_row_reset(&r, true);
	for (i = 0; i < SPOKE_COL_COUNT; i++) {
		const char *v = i == SPOKE_COL_REFERRAL_CHANNEL ? "doctor"
				: i == SPOKE_COL_REFERRAL_ORG	? "12345"
								: good[i];

		spoke_case_row_field(&r, (spoke_case_col)i, v, strlen(v));
	}
	spoke_case_row_finish(&r, all_columns);
	assert_true(spoke_case_row_ok(&r));
	assert_int_equal(r.referral_org, 0);
	/* A file without the column cannot name a coordinator. */
	memcpy(no_org, all_columns, sizeof(no_org));
	no_org[SPOKE_COL_REFERRAL_ORG] = false;
	spoke_case_row_reset(&r, true);
	for (i = 0; i < SPOKE_COL_COUNT; i++)
		if (i != SPOKE_COL_REFERRAL_ORG)
			spoke_case_row_field(&r, (spoke_case_col)i, good[i],
					     strlen(good[i]));
	spoke_case_row_finish(&r, no_org);
	assert_string_equal(r.text,
			    "column \"referral_org\": the file has no such "
			    "column, and referral_channel coordinator needs "
			    "the coordinator's 10-digit organisation code");
}

static void
test_empty_values(void **state)
{
	spoke_case_row r;

	(void)state;
	assert_string_equal(problem(SPOKE_COL_PATIENT_REF, ""),
			    "column \"patient_ref\": empty");
	assert_string_equal(problem(SPOKE_COL_SEX, ""),
			    "column \"sex\": empty (write unknown when it is "
			    "not known)");
	assert_string_equal(problem(SPOKE_COL_CHARGE_JPY, ""),
			    "column \"charge_jpy\": empty");
	assert_string_equal(problem(SPOKE_COL_FIRST_VISIT, ""),
			    "column \"first_visit\": empty");
	/* An empty visa answer is unknown. */
	row_with(&r, SPOKE_COL_MEDICAL_STAY_VISA, "");
	assert_true(spoke_case_row_ok(&r));
	assert_int_equal(r.visa, SPOKE_UNKNOWN);
}

static void
test_patient_ref_never_quoted(void **state)
{
	char ref[SPOKE_CASE_REF_MAX + 2];
	const char *text;

	(void)state;
	memset(ref, 'Q', sizeof(ref) - 1);
	ref[sizeof(ref) - 1] = '\0';
	text = problem(SPOKE_COL_PATIENT_REF, ref);
	assert_string_equal(text, "column \"patient_ref\": longer than 128 "
				  "bytes");
	assert_null(strstr(text, "QQQ"));
	/* Other problems of a row do not show the reference either. */
	assert_null(strstr(problem(SPOKE_COL_SEX, "x"), "PT-0001"));
}

static void
test_several_problems(void **state)
{
	spoke_case_row r;
	int i;

	(void)state;
	spoke_case_row_reset(&r, true);
	for (i = 0; i < SPOKE_COL_COUNT; i++) {
		const char *v = i == SPOKE_COL_SEX	    ? "x"
				: i == SPOKE_COL_CHARGE_JPY ? "much"
							    : good[i];

		spoke_case_row_field(&r, (spoke_case_col)i, v, strlen(v));
	}
	spoke_case_row_finish(&r, all_columns);
	assert_int_equal(r.nproblems, 2);
	assert_string_equal(
	    r.text, "column \"sex\": \"x\" is not male, female or "
		    "unknown (M, F or U accepted); column \"charge_jpy\": "
		    "\"much\" is not a whole number of yen from 0 to "
		    "100000000000 (digits only, no separators)");
	/* Not described: counted, no text. */
	spoke_case_row_reset(&r, false);
	spoke_case_row_field(&r, SPOKE_COL_SEX, "x", 1);
	assert_int_equal(r.nproblems, 1);
	assert_string_equal(r.text, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_row),
	    cmocka_unit_test(test_vocabularies),
	    cmocka_unit_test(test_refused_values),
	    cmocka_unit_test(test_age_column),
	    cmocka_unit_test(test_unknown_age),
	    cmocka_unit_test(test_between_columns),
	    cmocka_unit_test(test_referral),
	    cmocka_unit_test(test_empty_values),
	    cmocka_unit_test(test_patient_ref_never_quoted),
	    cmocka_unit_test(test_several_problems),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
