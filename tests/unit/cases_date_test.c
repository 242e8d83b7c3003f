/*
 * Unit tests of the case-record date rules (spoke/anonymise/cases_date.c):
 * reading YYYY-MM-DD and YYYY/MM/DD, the days that exist (leap years), ages in
 * completed years (birthdays, 29 February), reporting periods at month
 * and year boundaries, and the 10-year age bands with 90+ together.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cases_date.h"
#include "civil.h"
#include "statistics.h"

static spoke_date
date(const char *s)
{
	spoke_date d;

	memset(&d, 0, sizeof(d));
	assert_true(spoke_date_parse(s, strlen(s), &d));
	return (d);
}

static bool
parses(const char *s)
{
	spoke_date d;

	return (spoke_date_parse(s, strlen(s), &d));
}

static void
test_parse_valid(void **state)
{
	spoke_date d;

	(void)state;
	d = date("2024-03-05");
	assert_int_equal(d.year, 2024);
	assert_int_equal(d.month, 3);
	assert_int_equal(d.day, 5);
	assert_int_equal(date("1970-01-01").days, 0);
	assert_int_equal(date("1970-01-02").days, 1);
	assert_int_equal(date("1969-12-31").days, -1);
	assert_int_equal(date("2000-03-01").days - date("2000-02-28").days, 2);
	/* Japanese spreadsheets write slashes. */
	assert_int_equal(date("2024/03/05").days, date("2024-03-05").days);
	assert_true(parses("2024-02-29")); /* leap year */
	assert_true(parses("2000-02-29")); /* divisible by 400 */
	assert_true(parses("1900-01-01"));
	assert_true(parses("2999-12-31"));
	/* Only len bytes are read: no NUL needed. */
	assert_true(spoke_date_parse("2024-03-05xyz", 10, &d));
}

static void
test_parse_invalid(void **state)
{
	(void)state;
	assert_false(parses("2023-02-29")); /* not a leap year */
	assert_false(parses("1900-02-29")); /* divisible by 100 */
	assert_false(parses("2024-02-30"));
	assert_false(parses("2024-04-31"));
	assert_false(parses("2024-13-01"));
	assert_false(parses("2024-00-10"));
	assert_false(parses("2024-01-00"));
	assert_false(parses("2024-01-32"));
	assert_false(parses("1899-12-31"));
	assert_false(parses("3000-01-01"));
	assert_false(parses("2024-3-5"));
	assert_false(parses("24-03-05"));
	assert_false(parses("2024-03/05")); /* mixed separators */
	assert_false(parses("2024.03.05"));
	assert_false(parses("2024-03-05 "));
	assert_false(parses("2024-0a-05"));
	assert_false(parses("20240305"));
	assert_false(parses("05/03/2024"));
	assert_false(parses(""));
}

static void
test_age(void **state)
{
	spoke_date b = date("1960-05-10"), on;

	(void)state;
	on = date("2024-05-10");
	assert_int_equal(spoke_date_age(&b, &on), 64); /* the birthday */
	on = date("2024-05-09");
	assert_int_equal(spoke_date_age(&b, &on), 63); /* the day before */
	on = date("2024-04-30");
	assert_int_equal(spoke_date_age(&b, &on), 63);
	on = date("2024-12-31");
	assert_int_equal(spoke_date_age(&b, &on), 64);
	on = date("1960-05-10");
	assert_int_equal(spoke_date_age(&b, &on), 0); /* born that day */
}

static void
test_age_leap_birthday(void **state)
{
	spoke_date b = date("2000-02-29"), on;

	(void)state;
	on = date("2023-02-28");
	assert_int_equal(spoke_date_age(&b, &on), 22);
	on = date("2023-03-01");
	assert_int_equal(spoke_date_age(&b, &on), 23);
	on = date("2024-02-29");
	assert_int_equal(spoke_date_age(&b, &on), 24);
}

static void
test_period_boundaries(void **state)
{
	spoke_date last = date("2024-03-31"), next = date("2024-04-01");
	spoke_date first = date("2024-03-01"), before = date("2024-02-29");
	spoke_date dec = date("2023-12-31"), jan = date("2024-01-01");

	(void)state;
	assert_int_equal(spoke_date_period(&first),
			 ibx_period_index("2024-03"));
	assert_int_equal(spoke_date_period(&last),
			 ibx_period_index("2024-03"));
	assert_int_equal(spoke_date_period(&next),
			 ibx_period_index("2024-04"));
	assert_int_equal(spoke_date_period(&before),
			 ibx_period_index("2024-02"));
	assert_int_equal(spoke_date_period(&dec), ibx_period_index("2023-12"));
	assert_int_equal(spoke_date_period(&jan), ibx_period_index("2024-01"));
	assert_int_equal(spoke_date_period(&jan) - spoke_date_period(&dec), 1);
}

static void
test_age_bands(void **state)
{
	(void)state;
	assert_int_equal(spoke_age_band(0), 0);
	assert_int_equal(spoke_age_band(9), 0);
	assert_int_equal(spoke_age_band(10), 1);
	assert_int_equal(spoke_age_band(19), 1);
	assert_int_equal(spoke_age_band(20), 2);
	assert_int_equal(spoke_age_band(79), 7);
	assert_int_equal(spoke_age_band(80), 8);
	assert_int_equal(spoke_age_band(89), 8);
	assert_int_equal(spoke_age_band(90), 9);
	assert_int_equal(spoke_age_band(99), 9);
	assert_int_equal(spoke_age_band(100), 9);
	assert_int_equal(spoke_age_band(105), 9);
	assert_int_equal(spoke_age_band(120), 9);
}

static void
test_format(void **state)
{
	spoke_date d = date("2024-03-05");
	char out[11];

	(void)state;
	spoke_date_format(&d, out);
	assert_string_equal(out, "2024-03-05");
	d = date("1905/12/31");
	spoke_date_format(&d, out);
	assert_string_equal(out, "1905-12-31");
}

/* Every day from 1900-01-01 to 2999-12-31 gets proto/base's day number
 * (the parser's table of years must agree with ibx_days_from_civil), and
 * 29 February only in leap years. */
static void
test_days_every_date(void **state)
{
	static const int mdays[13] = {0,  31, 29, 31, 30, 31, 30,
				      31, 31, 30, 31, 30, 31};
	spoke_date dt;
	char s[40];
	int y, m, d, leap;

	(void)state;
	for (y = 1900; y <= 2999; y++) {
		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		for (m = 1; m <= 12; m++)
			for (d = 1; d <= mdays[m]; d++) {
				snprintf(s, sizeof(s), "%04d-%02d-%02d", y, m,
					 d);
				if (m == 2 && d == 29 && !leap) {
					assert_false(
					    spoke_date_parse(s, 10, &dt));
					continue;
				}
				assert_true(spoke_date_parse(s, 10, &dt));
				assert_int_equal(
				    dt.days, ibx_days_from_civil(
						 y, (unsigned)m, (unsigned)d));
			}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_valid),
	    cmocka_unit_test(test_days_every_date),
	    cmocka_unit_test(test_parse_invalid),
	    cmocka_unit_test(test_age),
	    cmocka_unit_test(test_age_leap_birthday),
	    cmocka_unit_test(test_period_boundaries),
	    cmocka_unit_test(test_age_bands),
	    cmocka_unit_test(test_format),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
