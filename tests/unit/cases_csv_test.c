/*
 * Unit tests of the CSV reader (spoke/anonymise/cases_csv.c): RFC 4180 quoting
 * with embedded commas, quotes and newlines, LF and CRLF, a UTF-8 byte order
 * mark, blank lines, the lines records begin on (spoke_csv_lines), and the
 * refusals: a stray quote, a quoted field open at the end, a field over
 * the size limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases_csv.h"

/* What the sink saw: fields joined by '|', records by '\n'. */
struct seen {
	char text[4096];
	size_t len;
	uint64_t records;
	bool stop;
	uint64_t stop_after;
};

static void
on_field(void *s, size_t len, void *arg)
{
	struct seen *k = arg;

	if (k->len > 0 && k->text[k->len - 1] != '\n')
		k->text[k->len++] = '|';
	memcpy(k->text + k->len, s, len);
	k->len += len;
	k->text[k->len] = '\0';
}

static void
on_record(int c, void *arg)
{
	struct seen *k = arg;

	(void)c;
	k->text[k->len++] = '\n';
	k->text[k->len] = '\0';
	if (++k->records == k->stop_after)
		k->stop = true;
}

static ibx_err
read_text(const char *text, size_t len, struct seen *k, spoke_csv_error *e)
{
	spoke_csv_sink sink = {on_field, on_record, NULL, k, &k->stop};
	FILE *f = fmemopen((void *)text, len, "rb");
	ibx_err rv;

	assert_non_null(f);
	rv = spoke_csv_read(f, &sink, e);
	fclose(f);
	return (rv);
}

static void
test_quotes_and_newlines(void **state)
{
	static const char text[] = "a,b,c\r\n"
				   "1,\"two, 2\",\"say \"\"hi\"\"\"\r\n"
				   "\"multi\nline\",x,\r\n"
				   "\r\n"
				   "  spaced  ,\"  kept  \",3";
	struct seen k;
	spoke_csv_error e;

	(void)state;
	memset(&k, 0, sizeof(k));
	assert_int_equal(read_text(text, sizeof(text) - 1, &k, &e), IBX_OK);
	assert_string_equal(k.text, "a|b|c\n"
				    "1|two, 2|say \"hi\"\n"
				    "multi\nline|x|\n"
				    "spaced|  kept  |3\n");
	assert_int_equal(k.records, 4); /* the blank line is no record */
}

static void
test_bom(void **state)
{
	static const char text[] = "\xEF\xBB\xBFpatient_ref,x\n1,2\n";
	struct seen k;
	spoke_csv_error e;

	(void)state;
	memset(&k, 0, sizeof(k));
	assert_int_equal(read_text(text, sizeof(text) - 1, &k, &e), IBX_OK);
	assert_string_equal(k.text, "patient_ref|x\n1|2\n");
	/* A mark anywhere else is text. */
	memset(&k, 0, sizeof(k));
	assert_int_equal(read_text("a\n\xEF\xBB\xBF\n", 6, &k, &e), IBX_OK);
	assert_string_equal(k.text, "a\n\xEF\xBB\xBF\n");
}

static void
test_stop(void **state)
{
	struct seen k;
	spoke_csv_error e;

	(void)state;
	memset(&k, 0, sizeof(k));
	k.stop_after = 1;
	/* Stopping takes effect after the chunk; an error later in the
	 * file is then never reached by csv_fini. */
	assert_int_equal(read_text("a\nb\n\"c", 6, &k, &e), IBX_OK);
}

static void
test_malformed(void **state)
{
	struct seen k;
	spoke_csv_error e;

	(void)state;
	memset(&k, 0, sizeof(k));
	assert_int_equal(read_text("a,b\n1,x\"y\n", 10, &k, &e), IBX_EINVAL);
	assert_string_equal(e.reason,
			    "malformed CSV (RFC 4180): a quote inside an "
			    "unquoted field, or text after a closing quote");
	memset(&k, 0, sizeof(k));
	assert_int_equal(read_text("a,b\n\"1\"x,2\n", 11, &k, &e), IBX_EINVAL);
	memset(&k, 0, sizeof(k));
	assert_int_equal(read_text("a,b\n\"1,2\n", 9, &k, &e), IBX_EINVAL);
	assert_string_equal(
	    e.reason, "malformed CSV (RFC 4180): a quoted field is still "
		      "open at the end of the file");
}

static void
test_field_limit(void **state)
{
	size_t n = SPOKE_CSV_FIELD_MAX + 100;
	char *text = malloc(n);
	struct seen k;
	spoke_csv_error e;

	(void)state;
	assert_non_null(text);
	memset(text, 'x', n);
	text[0] = '"';
	memset(&k, 0, sizeof(k));
	assert_int_equal(read_text(text, n, &k, &e), IBX_ETOOBIG);
	assert_string_equal(e.reason, "a field longer than 1048576 bytes (a "
				      "quote not closed?)");
	free(text);
}

static void
test_lines(void **state)
{
	static const char text[] = "h1,h2\r\n"	     /* line 1: record 0 */
				   "a,b\r\n"	     /* 2: record 1 */
				   "\r\n"	     /* 3: blank */
				   "\"x\ny\nz\",c\n" /* 4-6: record 2 */
				   "d,\"e\nf\"\n"    /* 7-8: record 3 */
				   "g,h";	     /* 9: record 4, no end */
	uint64_t records[] = {0, 1, 2, 3, 4, 5}, lines[6], eline;
	FILE *f = fmemopen((void *)text, sizeof(text) - 1, "rb");

	(void)state;
	assert_non_null(f);
	assert_int_equal(spoke_csv_lines(f, records, 6, lines, &eline),
			 IBX_OK);
	assert_int_equal(lines[0], 1);
	assert_int_equal(lines[1], 2);
	assert_int_equal(lines[2], 4);
	assert_int_equal(lines[3], 7);
	assert_int_equal(lines[4], 9);
	assert_int_equal(lines[5], 0); /* no such record */
	assert_int_equal(eline, 0);
	fclose(f);
}

static void
test_error_lines(void **state)
{
	static const char stray[] = "a,b\n1,2\n3,x\"y\n4,5\n";
	static const char open[] = "a,b\n1,2\n\"3,\n4,5\n";
	uint64_t eline;
	FILE *f;

	(void)state;
	assert_non_null(f = fmemopen((void *)stray, sizeof(stray) - 1, "rb"));
	assert_int_equal(spoke_csv_lines(f, NULL, 0, NULL, &eline), IBX_OK);
	assert_int_equal(eline, 3);
	fclose(f);
	assert_non_null(f = fmemopen((void *)open, sizeof(open) - 1, "rb"));
	assert_int_equal(spoke_csv_lines(f, NULL, 0, NULL, &eline), IBX_OK);
	assert_int_equal(eline, 4); /* the last line */
	fclose(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quotes_and_newlines),
	    cmocka_unit_test(test_bom),
	    cmocka_unit_test(test_stop),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_field_limit),
	    cmocka_unit_test(test_lines),
	    cmocka_unit_test(test_error_lines),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
