/*
 * Unit tests of the coded columns that need a code list
 * (spoke/anonymise/cases_codes.c): nationality as ISO 3166-1 alpha-2 or
 * alpha-3, reported as alpha-2, and ICD-10 codes reduced to their 3-character
 * category and chapter (ICD-10-CM 2025).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "cases_codes.h"

static const char *
nat(const char *s)
{
	static char out[3];

	strcpy(out, "--");
	if (!spoke_nationality(s, strlen(s), out))
		return (NULL);
	return (out);
}

static void
test_nationality(void **state)
{
	(void)state;
	assert_string_equal(nat("CN"), "CN");
	assert_string_equal(nat("cn"), "CN");
	assert_string_equal(nat("Vn"), "VN");
	assert_string_equal(nat("CHN"), "CN");
	assert_string_equal(nat("vnm"), "VN");
	assert_string_equal(nat("RUS"), "RU");
	assert_string_equal(nat("USA"), "US");
	assert_string_equal(nat("KOR"), "KR");
	assert_string_equal(nat("TWN"), "TW");
	assert_string_equal(nat("MNG"), "MN");
	assert_string_equal(nat("NAM"), "NA"); /* not a missing value */
	assert_string_equal(nat("AFG"), "AF"); /* first of the table */
	assert_string_equal(nat("ZWE"), "ZW"); /* last of the table */
	assert_null(nat("ZZ"));
	assert_null(nat("XX"));
	assert_null(nat("UK")); /* GB is the code */
	assert_null(nat("ZZZ"));
	assert_null(nat("China"));
	assert_null(nat("C"));
	assert_null(nat(""));
	assert_null(nat("C1"));
	assert_null(nat("CN "));
}

static int
icd(const char *s, char cat[4])
{
	int chapter = -1;

	strcpy(cat, "---");
	switch (spoke_icd10(s, strlen(s), cat, &chapter)) {
	case SPOKE_ICD10_OK:
		return (chapter);
	case SPOKE_ICD10_UNKNOWN:
		return (-1);
	default:
		return (-2);
	}
}

static void
test_icd10_forms(void **state)
{
	char cat[4];

	(void)state;
	assert_int_equal(icd("C16", cat), 2);
	assert_string_equal(cat, "C16");
	assert_int_equal(icd("C16.9", cat), 2);
	assert_string_equal(cat, "C16");
	assert_int_equal(icd("C169", cat), 2); /* without the dot */
	assert_string_equal(cat, "C16");
	assert_int_equal(icd("c16.9", cat), 2);
	assert_string_equal(cat, "C16");
	assert_int_equal(icd("S72.001A", cat), 19); /* ICD-10-CM length */
	assert_string_equal(cat, "S72");
	assert_int_equal(icd("C7A.0", cat), 2); /* a letter third */
	assert_string_equal(cat, "C7A");
	assert_int_equal(icd("Z00.00", cat), 21);
	assert_int_equal(icd("U07.1", cat), 22);
	assert_int_equal(icd("A00", cat), 1);
	assert_int_equal(icd("I25.10", cat), 9);
	assert_int_equal(icd("D49.9", cat), 2); /* CM: neoplasms to D49 */
}

static void
test_icd10_malformed(void **state)
{
	char cat[4];

	(void)state;
	assert_int_equal(icd("C1", cat), -2);
	assert_int_equal(icd("C", cat), -2);
	assert_int_equal(icd("", cat), -2);
	assert_int_equal(icd("C16.", cat), -2);
	assert_int_equal(icd("C16..9", cat), -2);
	assert_int_equal(icd("C16.12345", cat), -2);
	assert_int_equal(icd("16.9", cat), -2);
	assert_int_equal(icd("CC1", cat), -2);
	assert_int_equal(icd("C16 9", cat), -2);
	assert_int_equal(icd("C16-9", cat), -2);
	assert_string_equal(cat, "---"); /* untouched */
}

static void
test_icd10_unknown(void **state)
{
	char cat[4];

	(void)state;
	assert_int_equal(icd("U99.9", cat), -1);
	assert_int_equal(icd("C99", cat), -1);
	assert_string_equal(cat, "---"); /* untouched */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_nationality),
	    cmocka_unit_test(test_icd10_forms),
	    cmocka_unit_test(test_icd10_malformed),
	    cmocka_unit_test(test_icd10_unknown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
