/*
 * Unit tests of proto/base's shared helpers: civil dates (against known
 * day numbers and a round trip over four centuries), RFC 3339 times, the
 * reporting period, hex text and whole-file reading with its refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "civil.h"
#include "file.h"
#include "hex.h"

static void
test_civil(void **state)
{
	int64_t z, y;
	unsigned m, d;

	(void)state;
	assert_int_equal(ibx_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(ibx_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(ibx_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(ibx_days_from_civil(2024, 3, 1) -
			     ibx_days_from_civil(2024, 2, 28),
			 2); /* leap year */
	assert_int_equal(ibx_days_from_civil(2100, 3, 1) -
			     ibx_days_from_civil(2100, 2, 28),
			 1); /* not a leap year */
	for (z = ibx_days_from_civil(1900, 1, 1);
	     z <= ibx_days_from_civil(2300, 12, 31); z++) {
		ibx_civil_from_days(z, &y, &m, &d);
		assert_int_equal(ibx_days_from_civil(y, m, d), z);
	}
}

static void
test_times(void **state)
{
	char text[IBX_TIME_TEXT_LEN], period[8];

	(void)state;
	ibx_time_format_ms(1714557600123LL, text);
	assert_string_equal(text, "2024-05-01T10:00:00.123Z");
	assert_int_equal(ibx_time_parse_ms(text), 1714557600123LL);
	ibx_time_format_ms(0, text);
	assert_string_equal(text, "1970-01-01T00:00:00.000Z");
	assert_int_equal(ibx_time_parse_ms("2024-05-01 10:00"), 0);
	assert_int_equal(ibx_time_parse_ms(NULL), 0);
	ibx_period_now(period);
	assert_int_equal(strlen(period), 7);
	assert_true(period[4] == '-' && strncmp(period, "2024", 4) >= 0);
}

static void
test_hex(void **state)
{
	const uint8_t b[] = {0x00, 0x0f, 0xa5, 0xff};
	char out[9];

	(void)state;
	assert_string_equal(ibx_hex_encode(b, sizeof(b), out), "000fa5ff");
	assert_string_equal(ibx_hex_encode(b, 0, out), "");
}

static void
test_file_read(void **state)
{
	char path[] = "/tmp/ibx-base-test.XXXXXX";
	char *buf = NULL;
	size_t len = 99;
	FILE *f;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(f = fdopen(fd, "w"));
	/* more than the first 4096-byte buffer, to grow it */
	for (int i = 0; i < 1000; i++)
		fputs("0123456789", f);
	fclose(f);
	assert_int_equal(ibx_file_read(path, 10000, &buf, &len), IBX_OK);
	assert_int_equal(len, 10000);
	assert_int_equal(buf[10000], '\0');
	assert_memory_equal(buf + 9990, "0123456789", 10);
	free(buf);
	buf = NULL;
	/* one byte over the limit is refused, nothing returned */
	assert_int_equal(ibx_file_read(path, 9999, &buf, &len), IBX_ETOOBIG);
	assert_null(buf);
	assert_int_equal(unlink(path), 0);
	errno = 0;
	assert_int_equal(ibx_file_read(path, 10, &buf, NULL), IBX_EIO);
	assert_int_equal(errno, ENOENT);
	assert_null(buf);
	/* an empty file is an empty string */
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	assert_int_equal(ibx_file_read(path, 10, &buf, &len), IBX_OK);
	assert_int_equal(len, 0);
	assert_string_equal(buf, "");
	free(buf);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_civil),
	    cmocka_unit_test(test_times),
	    cmocka_unit_test(test_hex),
	    cmocka_unit_test(test_file_read),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
