/*
 * Unit tests of the code-list lookups (proto/domain/codes.c over the generated
 * codes_table.c): exact, case-sensitive membership of ISO 639-1, ISO 3166-1
 * alpha-2, the national department codes, the treatment and accreditation
 * vocabularies, JIS X 0401 prefectures and ICD-10-CM categories.  That the
 * tables match their sources in deploy/data is the generator's concern.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "problems.h"
#include "statistics.h"

static void
test_languages(void **state)
{
	(void)state;
	assert_true(ibx_code_language("ja"));
	assert_true(ibx_code_language("en"));
	assert_true(ibx_code_language("zh"));
	assert_true(ibx_code_language("aa")); /* first in the list */
	assert_true(ibx_code_language("zu")); /* last in the list */
	assert_false(ibx_code_language("xx"));
	assert_false(ibx_code_language("EN"));
	assert_false(ibx_code_language("Ja"));
	assert_false(ibx_code_language("eng")); /* ISO 639-2 */
	assert_false(ibx_code_language("e"));
	assert_false(ibx_code_language("en "));
	assert_false(ibx_code_language(""));
}

static void
test_countries(void **state)
{
	(void)state;
	assert_true(ibx_code_country("CN"));
	assert_true(ibx_code_country("JP"));
	assert_true(ibx_code_country("VN"));
	assert_true(ibx_code_country("GB"));
	assert_true(ibx_code_country("AD"));
	assert_true(ibx_code_country("ZW"));
	assert_false(ibx_code_country("cn"));
	assert_false(ibx_code_country("Jp"));
	assert_false(ibx_code_country("UK"));
	assert_false(ibx_code_country("XX"));
	assert_false(ibx_code_country("CHN"));
	assert_false(ibx_code_country(""));
}

static void
test_departments(void **state)
{
	(void)state;
	assert_true(ibx_code_department("01001")); /* 内科 */
	assert_true(ibx_code_department("01003"));
	assert_true(ibx_code_department("02001"));
	assert_true(ibx_code_department("05001"));
	assert_true(ibx_code_department("09991"));
	assert_false(ibx_code_department("1001"));
	assert_false(ibx_code_department("010010"));
	assert_false(ibx_code_department("00000"));
	assert_false(ibx_code_department("99999"));
	assert_false(ibx_code_department("02013")); /* a gap in the list */
	assert_false(ibx_code_department(""));
}

static void
test_treatments(void **state)
{
	static const char *const documented[] = {
	    "proton_therapy",
	    "heavy_ion_therapy",
	    "bnct",
	    "imrt",
	    "stereotactic_radiotherapy",
	    "robotic_surgery",
	    "laparoscopic_surgery",
	    "endoscopic_surgery",
	    "chemotherapy",
	    "immunotherapy",
	    "pet_ct",
	    "health_checkup_standard",
	    "health_checkup_premium",
	    "brain_dock",
	    "cancer_screening",
	    "regenerative_medicine",
	    "cardiac_surgery",
	    "catheter_intervention",
	    "joint_replacement",
	    "spine_surgery",
	    "organ_transplant",
	    "fertility_treatment",
	    "dialysis",
	    "rehabilitation",
	    "dental_treatment",
	    "cosmetic_surgery",
	    "traditional_kampo",
	};
	size_t i;

	(void)state;
	/* Every code of docs/listing-format.md's vocabulary. */
	for (i = 0; i < sizeof(documented) / sizeof(documented[0]); i++)
		if (!ibx_code_treatment(documented[i]))
			fail_msg("documented treatment %s refused",
				 documented[i]);
	assert_false(ibx_code_treatment("consultation"));
	assert_false(ibx_code_treatment("second_opinion"));
	assert_false(ibx_code_treatment("Proton_therapy"));
	assert_false(ibx_code_treatment("proton therapy"));
	assert_false(ibx_code_treatment("proton_therapy "));
	assert_false(ibx_code_treatment(""));
}

static void
test_accreditations(void **state)
{
	(void)state;
	assert_true(ibx_code_accreditation("JMIP"));
	assert_true(ibx_code_accreditation("JIH"));
	assert_true(ibx_code_accreditation("JCI"));
	assert_false(ibx_code_accreditation("jci"));
	assert_false(ibx_code_accreditation("ISO"));
	assert_false(ibx_code_accreditation("JMI"));
	assert_false(ibx_code_accreditation(""));
}

static void
test_prefectures(void **state)
{
	char code[4];
	int i;

	(void)state;
	assert_string_equal(ibx_code_prefecture_name("01"), "Hokkaido");
	assert_string_equal(ibx_code_prefecture_kanji("01"), "北海道");
	assert_string_equal(ibx_code_prefecture_name("47"), "Okinawa Ken");
	assert_string_equal(ibx_code_prefecture_kanji("47"), "沖縄県");
	assert_string_equal(ibx_code_prefecture_kanji("39"), "高知県");
	assert_string_equal(ibx_code_prefecture_name("13"), "Tokyo To");
	assert_string_equal(ibx_code_prefecture_kanji("13"), "東京都");
	for (i = 1; i <= 47; i++) {
		snprintf(code, sizeof(code), "%02d", i);
		assert_non_null(ibx_code_prefecture_name(code));
		assert_non_null(ibx_code_prefecture_kanji(code));
	}
	assert_null(ibx_code_prefecture_name("00"));
	assert_null(ibx_code_prefecture_kanji("00"));
	assert_null(ibx_code_prefecture_name("48"));
	assert_null(ibx_code_prefecture_kanji("48"));
	assert_null(ibx_code_prefecture_name("1"));
	assert_null(ibx_code_prefecture_name("001"));
	assert_null(ibx_code_prefecture_name(""));
	assert_null(ibx_code_prefecture_name(NULL));
}

/* codes.h: "39" -> "Kochi Ken".  The romaji names are plain ASCII like
 * "Tokyo To" and "Osaka Fu", so they compare and print the same
 * everywhere. */
static void
test_prefecture_romaji(void **state)
{
	char code[4];
	const char *name, *c;
	int i;

	(void)state;
	assert_string_equal(ibx_code_prefecture_name("39"), "Kochi Ken");
	for (i = 1; i <= 47; i++) {
		snprintf(code, sizeof(code), "%02d", i);
		name = ibx_code_prefecture_name(code);
		for (c = name; *c != '\0'; c++)
			if ((unsigned char)*c >= 0x80)
				fail_msg("prefecture %s: romaji \"%s\" is not "
					 "ASCII",
					 code, name);
	}
}

static void
test_icd10(void **state)
{
	(void)state;
	assert_int_equal(ibx_code_icd10_chapter("A00"), 1);
	assert_int_equal(ibx_code_icd10_chapter("C16"), 2);
	/* ICD-10-CM: neoplasms end at D49 (WHO: D48). */
	assert_int_equal(ibx_code_icd10_chapter("D49"), 2);
	assert_int_equal(ibx_code_icd10_chapter("D50"), 3);
	assert_int_equal(ibx_code_icd10_chapter("I21"), 9);
	assert_int_equal(ibx_code_icd10_chapter("Z00"), 21);
	assert_int_equal(ibx_code_icd10_chapter("Z99"), 21);
	assert_int_equal(ibx_code_icd10_chapter("U07"), 22);
	assert_int_equal(ibx_code_icd10_chapter("c16"), 0);
	assert_int_equal(ibx_code_icd10_chapter("C16.0"), 0);
	assert_int_equal(ibx_code_icd10_chapter("C1"), 0);
	assert_int_equal(ibx_code_icd10_chapter("ZZZ"), 0);
	assert_int_equal(ibx_code_icd10_chapter(""), 0);
	assert_int_equal(ibx_code_icd10_chapter(NULL), 0);
}

static void
test_icd10_chapter_names(void **state)
{
	int i;

	(void)state;
	for (i = 1; i <= 22; i++)
		assert_non_null(ibx_code_icd10_chapter_name(i));
	assert_non_null(strstr(ibx_code_icd10_chapter_name(2), "Neoplasms"));
	assert_non_null(strstr(ibx_code_icd10_chapter_name(21), "Z00-Z99"));
	assert_null(ibx_code_icd10_chapter_name(0));
	assert_null(ibx_code_icd10_chapter_name(23));
	assert_null(ibx_code_icd10_chapter_name(-1));
}

/* The list API over the generated tables: order, index, membership,
 * aliases, and the purpose of issue 13. */
static void
test_code_lists(void **state)
{
	const char *const *v;
	char text[256];
	size_t n, i;
	int k;

	(void)state;
	for (k = 0; k < IBX_LIST_COUNT; k++) {
		v = ibx_code_list((ibx_code_list_id)k, &n);
		assert_non_null(v);
		assert_true(n > 0);
		assert_null(v[n]); /* NULL-terminated */
		for (i = 0; i < n; i++) {
			assert_int_equal(
			    ibx_code_index((ibx_code_list_id)k, v[i]), (int)i);
			assert_true(ibx_code_valid((ibx_code_list_id)k, v[i]));
			assert_string_equal(
			    ibx_code_at((ibx_code_list_id)k, (int)i), v[i]);
		}
		assert_null(ibx_code_at((ibx_code_list_id)k, (int)n));
		assert_null(ibx_code_at((ibx_code_list_id)k, -1));
		assert_false(ibx_code_valid((ibx_code_list_id)k, NULL));
		assert_false(ibx_code_valid((ibx_code_list_id)k, ""));
		assert_int_equal(
		    ibx_code_index((ibx_code_list_id)k, "no such code"), -1);
	}
	assert_string_equal(ibx_code_list_name(IBX_LIST_PURPOSE), "purpose");
	assert_true(ibx_code_valid(IBX_LIST_PURPOSE, "travel_emergency"));
	assert_int_equal(ibx_code_index(IBX_LIST_PURPOSE, "travel_emergency"),
			 IBX_PURPOSE_TRAVEL_EMERGENCY);
	assert_false(ibx_code_valid(IBX_LIST_PURPOSE, "Treatment"));
	assert_int_equal(
	    ibx_code_index(IBX_LIST_REFERRAL_CHANNEL, "coordinator"),
	    IBX_CHANNEL_COORDINATOR);
	assert_string_equal(
	    ibx_code_at(IBX_LIST_AGE_BAND, IBX_AGE_BAND_90_PLUS), "90+");
	assert_string_equal(ibx_code_alias(IBX_LIST_SEX, IBX_SEX_FEMALE), "f");
	assert_null(ibx_code_alias(IBX_LIST_PURPOSE, 0));
	assert_true(ibx_code_valid(IBX_LIST_LANGUAGE, "ja"));
	assert_true(ibx_code_valid(IBX_LIST_PREFECTURE, "47"));
	assert_false(ibx_code_valid(IBX_LIST_PREFECTURE, "48"));
	assert_string_equal(ibx_code_country_alpha3("CHN"), "CN");
	assert_null(ibx_code_country_alpha3("chn"));
	assert_null(ibx_code_country_alpha3("XXX"));
	assert_string_equal(
	    ibx_code_join(IBX_LIST_ANSWER, ", ", text, sizeof(text)),
	    "yes, no, unknown");
	/* cut, still terminated */
	assert_string_equal(ibx_code_join(IBX_LIST_ANSWER, ", ", text, 6),
			    "yes, ");
}

/* Every code fits the field of a statistics cell that holds it, and a cell
 * of each purpose passes the submission rules. */
static void
test_codes_fit_cells(void **state)
{
	ibx_case_statistics *s;
	ibx_stat_cell c;
	ibx_problems p;
	size_t n, i;

	(void)state;
	(void)ibx_code_list(IBX_LIST_PURPOSE, &n);
	for (i = 0; i < n; i++) {
		assert_true(strlen(ibx_code_at(IBX_LIST_PURPOSE, (int)i)) <
			    sizeof(c.purpose));
		assert_non_null(s = ibx_statistics_new());
		snprintf(s->organisation_code, sizeof(s->organisation_code),
			 "3910118128");
		snprintf(s->period, sizeof(s->period), "2025-03");
		s->cells_per_patient_month = IBX_STAT_CELLS_PER_PATIENT_MONTH;
		s->cells_per_patient_year = IBX_STAT_CELLS_PER_PATIENT_YEAR;
		memset(&c, 0, sizeof(c));
		snprintf(c.nationality, sizeof(c.nationality), "CN");
		snprintf(c.purpose, sizeof(c.purpose), "%s",
			 ibx_code_at(IBX_LIST_PURPOSE, (int)i));
		snprintf(c.icd10, sizeof(c.icd10), "2");
		snprintf(c.age_band, sizeof(c.age_band), "%s",
			 ibx_code_at(IBX_LIST_AGE_BAND, 0));
		snprintf(c.sex, sizeof(c.sex), "%s",
			 ibx_code_at(IBX_LIST_SEX, IBX_SEX_FEMALE));
		snprintf(c.referral_channel, sizeof(c.referral_channel), "%s",
			 ibx_code_at(IBX_LIST_REFERRAL_CHANNEL,
				     IBX_CHANNEL_DIRECT));
		snprintf(c.remote_second_opinion_first,
			 sizeof(c.remote_second_opinion_first), "%s",
			 ibx_code_at(IBX_LIST_ANSWER, IBX_ANSWER_NO));
		snprintf(c.medical_stay_visa, sizeof(c.medical_stay_visa),
			 "%s",
			 ibx_code_at(IBX_LIST_ANSWER, IBX_ANSWER_UNKNOWN));
		c.patients = c.episodes = 1;
		assert_int_equal(ibx_statistics_add_cell(s, &c), IBX_OK);
		ibx_problems_init(&p);
		if (ibx_statistics_check(s, "2026-01", &p) != IBX_OK) {
			char *all = ibx_problems_join(&p, "; ");

			fail_msg("purpose %s: %s",
				 ibx_code_at(IBX_LIST_PURPOSE, (int)i), all);
		}
		ibx_problems_fini(&p);
		ibx_statistics_free(s);
	}
	(void)ibx_code_list(IBX_LIST_SEX, &n);
	for (i = 0; i < n; i++)
		assert_true(strlen(ibx_code_at(IBX_LIST_SEX, (int)i)) <
			    sizeof(c.sex));
	(void)ibx_code_list(IBX_LIST_AGE_BAND, &n);
	for (i = 0; i < n; i++)
		assert_true(strlen(ibx_code_at(IBX_LIST_AGE_BAND, (int)i)) <
			    sizeof(c.age_band));
	(void)ibx_code_list(IBX_LIST_REFERRAL_CHANNEL, &n);
	for (i = 0; i < n; i++)
		assert_true(
		    strlen(ibx_code_at(IBX_LIST_REFERRAL_CHANNEL, (int)i)) <
		    sizeof(c.referral_channel));
	(void)ibx_code_list(IBX_LIST_ANSWER, &n);
	for (i = 0; i < n; i++)
		assert_true(strlen(ibx_code_at(IBX_LIST_ANSWER, (int)i)) <
			    sizeof(c.medical_stay_visa));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_languages),
	    cmocka_unit_test(test_countries),
	    cmocka_unit_test(test_departments),
	    cmocka_unit_test(test_treatments),
	    cmocka_unit_test(test_accreditations),
	    cmocka_unit_test(test_prefectures),
	    cmocka_unit_test(test_prefecture_romaji),
	    cmocka_unit_test(test_icd10),
	    cmocka_unit_test(test_icd10_chapter_names),
	    cmocka_unit_test(test_code_lists),
	    cmocka_unit_test(test_codes_fit_cells),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
