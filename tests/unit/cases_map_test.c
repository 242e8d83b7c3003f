/*
 * Unit tests of the column map (spoke/anonymise/cases_map.c) and of matching a
 * file's header to our columns through it (spoke/anonymise/cases_header.c):
 * the map file's syntax, every refused line, and every refused header.
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

#include "cases_header.h"
#include "cases_map.h"

/* Our own names, in column order: a header that needs no map. */
static const char *const ours[] = {
    "patient_ref",	 "nationality",
    "birth_date",	 "sex",
    "purpose",		 "icd10",
    "first_visit",	 "discharge",
    "outpatient_visits", "inpatient_days",
    "charge_jpy",	 "referral_channel",
    "referral_org",	 "remote_second_opinion_first",
    "medical_stay_visa",
};
#define NOURS (sizeof(ours) / sizeof(ours[0]))

static ibx_err
parse(const char *text, spoke_cases_map *m, spoke_msgs *p)
{
	spoke_cases_map_init(m);
	memset(p, 0, sizeof(*p));
	return (spoke_cases_map_parse(text, strlen(text), "map.txt", m, p));
}

static void
test_map_ok(void **state)
{
	spoke_cases_map m;
	spoke_msgs p;

	(void)state;
	assert_int_equal(parse("\xEF\xBB\xBF# our column = their header\r\n"
			       "patient_ref=患者ID\r\n"
			       "\r\n"
			       "  nationality \t=  国籍  \r\n"
			       "birth_date=生年月日\n"
			       "icd10 = ICD-10 (primary)=main\n"
			       "CHARGE_JPY=請求額",
			       &m, &p),
			 IBX_OK);
	assert_int_equal(spoke_msgs_total(&p), 0);
	assert_string_equal(m.header[SPOKE_COL_PATIENT_REF], "患者ID");
	assert_int_equal(m.line[SPOKE_COL_PATIENT_REF], 2);
	assert_string_equal(m.header[SPOKE_COL_NATIONALITY], "国籍");
	assert_int_equal(m.line[SPOKE_COL_NATIONALITY], 4);
	assert_string_equal(m.header[SPOKE_COL_BIRTH_DATE], "生年月日");
	/* Everything after the first '=' is the header. */
	assert_string_equal(m.header[SPOKE_COL_ICD10],
			    "ICD-10 (primary)=main");
	/* Our names: ASCII case ignored. */
	assert_string_equal(m.header[SPOKE_COL_CHARGE_JPY], "請求額");
	assert_null(m.header[SPOKE_COL_SEX]);
	spoke_cases_map_fini(&m);
}

static void
test_map_refused(void **state)
{
	spoke_cases_map m;
	spoke_msgs p;

	(void)state;
	assert_int_equal(parse("patient_ref=ID\n"
			       "birthdate=生年月日\n"
			       "patient_ref=カルテ番号\n"
			       "sex\n"
			       "purpose=\n"
			       "nationality=ID\n"
			       "age=\xff\xfe\n",
			       &m, &p),
			 IBX_EINVAL);
	assert_int_equal(p.n, 6);
	assert_string_equal(
	    p.items[0], "map.txt line 2: unknown column \"birthdate\" (the "
			"columns are listed in docs/case-records.md)");
	assert_string_equal(
	    p.items[1], "map.txt line 3: column \"patient_ref\" is already "
			"mapped on line 1");
	assert_string_equal(
	    p.items[2], "map.txt line 4: expected our_column=their header");
	assert_string_equal(
	    p.items[3], "map.txt line 5: column \"purpose\": empty header");
	assert_string_equal(p.items[4],
			    "map.txt line 6: header \"ID\" is already mapped "
			    "to column \"patient_ref\" on line 1");
	assert_string_equal(
	    p.items[5], "map.txt line 7: column \"age\": the header is not "
			"UTF-8 text");
	/* Refused: nothing kept. */
	assert_null(m.header[SPOKE_COL_PATIENT_REF]);
	spoke_msgs_fini(&p);
	spoke_cases_map_fini(&m);
}

/* Value lines: their words read as ours, refused lines named. */
static void
test_map_values(void **state)
{
	spoke_cases_map m;
	spoke_msgs p;
	const char *v;
	size_t n = 0;

	(void)state;
	assert_int_equal(parse("sex=性別\n"
			       "sex:男=male\n"
			       " sex : 女 = female\n"
			       "nationality:中国=CN\n"
			       "purpose:治療=treatment\n"
			       "purpose:a=b=other\n",
			       &m, &p),
			 IBX_OK);
	assert_int_equal(m.nvalues, 5);
	assert_string_equal(m.header[SPOKE_COL_SEX], "性別");
	v = spoke_cases_map_value(&m, SPOKE_COL_SEX, "女", strlen("女"), &n);
	assert_non_null(v);
	assert_int_equal(n, 6);
	assert_memory_equal(v, "female", 6);
	v = spoke_cases_map_value(&m, SPOKE_COL_NATIONALITY, " 中国 ",
				  strlen(" 中国 "), &n);
	assert_non_null(v);
	assert_memory_equal(v, "CN", 2);
	/* The last '=' ends their value: ours never holds one. */
	v = spoke_cases_map_value(&m, SPOKE_COL_PURPOSE, "a=b", 3, &n);
	assert_non_null(v);
	assert_memory_equal(v, "other", 5);
	/* Not named: read as written; another column: not mapped. */
	assert_null(spoke_cases_map_value(&m, SPOKE_COL_SEX, "M", 1, &n));
	assert_null(spoke_cases_map_value(&m, SPOKE_COL_PURPOSE, "男",
					  strlen("男"), &n));
	spoke_cases_map_fini(&m);

	assert_int_equal(parse("sex:男=male\n"
			       "sex:男=female\n"
			       "gender:男=male\n"
			       "sex:女\n"
			       "sex: =female\n",
			       &m, &p),
			 IBX_EINVAL);
	assert_int_equal(p.n, 4);
	assert_string_equal(p.items[0],
			    "map.txt line 2: column \"sex\": that value is "
			    "already mapped on line 1");
	assert_string_equal(p.items[1],
			    "map.txt line 3: unknown column \"gender\" (the "
			    "columns are listed in docs/case-records.md)");
	assert_string_equal(p.items[2], "map.txt line 4: expected "
					"our_column:their value=our value");
	assert_string_equal(p.items[3],
			    "map.txt line 5: column \"sex\": empty value");
	assert_int_equal(m.nvalues, 0);
	spoke_msgs_fini(&p);
	spoke_cases_map_fini(&m);
}

static void
test_map_load(void **state)
{
	char path[] = "/tmp/ibx-cases-map-XXXXXX";
	spoke_cases_map m;
	spoke_msgs p;
	FILE *f;
	int fd;

	(void)state;
	memset(&p, 0, sizeof(p));
	spoke_cases_map_init(&m);
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	fputs("sex=性別\n", f);
	fclose(f);
	assert_int_equal(spoke_cases_map_load(path, &m, &p), IBX_OK);
	assert_string_equal(m.header[SPOKE_COL_SEX], "性別");
	spoke_cases_map_fini(&m);
	unlink(path);
	assert_int_equal(spoke_cases_map_load(path, &m, &p), IBX_EIO);
	assert_int_equal(p.n, 1);
	assert_non_null(strstr(p.items[0], "cannot open the column map"));
	spoke_msgs_fini(&p);
}

static ibx_err
bind(const char *const *names, size_t n, const spoke_cases_map *map,
     spoke_cases_header *h, spoke_msgs *p)
{
	memset(p, 0, sizeof(*p));
	return (spoke_cases_header_bind(names, n, map, h, p));
}

static void
test_header_own_names(void **state)
{
	const char *names[NOURS + 2];
	spoke_cases_header h;
	spoke_msgs p;
	size_t i;

	(void)state;
	/* An extra column first, one last; our names in any case. */
	names[0] = "patient_name";
	for (i = 0; i < NOURS; i++)
		names[i + 1] = ours[i];
	names[4] = "SEX";
	names[NOURS + 1] = "note";
	assert_int_equal(bind(names, NOURS + 2, NULL, &h, &p), IBX_OK);
	assert_int_equal(h.nfields, NOURS + 2);
	assert_int_equal(h.col[0], -1);
	assert_int_equal(h.col[1], SPOKE_COL_PATIENT_REF);
	assert_int_equal(h.col[4], SPOKE_COL_SEX);
	assert_int_equal(h.col[NOURS + 1], -1);
	assert_true(h.has[SPOKE_COL_BIRTH_DATE]);
	assert_false(h.has[SPOKE_COL_AGE]);
}

static void
test_header_mapped(void **state)
{
	const char *names[NOURS];
	spoke_cases_header h;
	spoke_cases_map m;
	spoke_msgs p;
	size_t i;

	(void)state;
	for (i = 0; i < NOURS; i++)
		names[i] = ours[i];
	names[0] = "患者ID";
	names[2] = "年齢"; /* an age column instead of birth_date */
	assert_int_equal(parse("patient_ref=患者ID\nage=年齢\n", &m, &p),
			 IBX_OK);
	assert_int_equal(bind(names, NOURS, &m, &h, &p), IBX_OK);
	assert_int_equal(h.col[0], SPOKE_COL_PATIENT_REF);
	assert_int_equal(h.col[2], SPOKE_COL_AGE);
	assert_true(h.has[SPOKE_COL_AGE]);
	assert_false(h.has[SPOKE_COL_BIRTH_DATE]);
	/* A mapped column is not looked for under its own name. */
	names[0] = "patient_ref";
	assert_int_equal(bind(names, NOURS, &m, &h, &p), IBX_EINVAL);
	assert_int_equal(p.n, 1);
	assert_string_equal(
	    p.items[0], "header: no field \"患者ID\", which map.txt line 1 "
			"names for column \"patient_ref\"");
	spoke_msgs_fini(&p);
	spoke_cases_map_fini(&m);
}

static void
test_header_refused(void **state)
{
	const char *names[NOURS + 1];
	spoke_cases_header h;
	spoke_msgs p;
	size_t i;

	(void)state;
	for (i = 0; i < NOURS; i++)
		names[i] = ours[i];
	names[2] = "dob";	/* neither birth_date nor age */
	names[5] = "diagnosis"; /* no icd10 */
	names[NOURS] = "sex";	/* sex twice */
	assert_int_equal(bind(names, NOURS + 1, NULL, &h, &p), IBX_EINVAL);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.items[0], "header: column \"sex\" is both "
					"field 4 and field 16");
	assert_string_equal(p.items[1],
			    "header: missing column \"icd10\" (name a field "
			    "so, or map yours with --map: icd10=<your "
			    "header>)");
	assert_string_equal(p.items[2],
			    "header: needs a birth_date or an age column");
	spoke_msgs_fini(&p);
	/* A Shift_JIS header. */
	names[2] = "\x90\xb6\x94\x4e\x8c\x8e\x93\xfa";
	names[5] = "icd10";
	assert_int_equal(bind(names, NOURS, NULL, &h, &p), IBX_EINVAL);
	assert_string_equal(p.items[0],
			    "header: field 3 is not UTF-8 text (convert a "
			    "Shift_JIS export first: iconv -f CP932 -t "
			    "UTF-8)");
	spoke_msgs_fini(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_map_ok),
	    cmocka_unit_test(test_map_refused),
	    cmocka_unit_test(test_map_values),
	    cmocka_unit_test(test_map_load),
	    cmocka_unit_test(test_header_own_names),
	    cmocka_unit_test(test_header_mapped),
	    cmocka_unit_test(test_header_refused),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
