/*
 * Unit tests of the text helpers (proto/base/text.c) and the problem list
 * (proto/base/problems.c): UTF-8 validation per RFC 3629, quoting of untrusted
 * strings for error messages, and collecting, counting and joining
 * problems.  Their use in listing checks is tested in listing_test.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "problems.h"
#include "text.h"

static void
test_utf8_valid_text(void **state)
{
	static const char *const good[] = {
	    "",
	    "Kochi Health Sciences Center",
	    "高知県・高知市病院企業団立高知医療センター",
	    "ｶﾀｶﾅ and ひらがな",
	    "a\tb",
	    "\xc2\xa9 caf\xc3\xa9", /* U+00A9, U+00E9 */
	    "\xe0\xa0\x80",	    /* U+0800, the first 3-byte form */
	    "\xef\xbf\xbd",	    /* U+FFFD */
	    "\xed\x9f\xbf",	    /* U+D7FF, just below surrogates */
	    "\xee\x80\x80",	    /* U+E000, just above them */
	    "\xf0\x90\x80\x80",	    /* U+10000, the first 4-byte form */
	    "\xf0\x9f\x98\x80",	    /* U+1F600 */
	    "\xf4\x8f\xbf\xbf",	    /* U+10FFFF, the last code point */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (!ibx_text_utf8_valid(good[i]))
			fail_msg("valid text %zu refused", i);
}

static void
test_utf8_invalid(void **state)
{
	static const struct {
		const char *s, *why;
	} bad[] = {
	    {"\xc0\xaf", "overlong '/' (2 bytes)"},
	    {"\xc1\xbf", "overlong U+007F"},
	    {"\xe0\x80\xaf", "overlong '/' (3 bytes)"},
	    {"\xe0\x9f\xbf", "overlong U+07FF"},
	    {"\xf0\x80\x80\xaf", "overlong '/' (4 bytes)"},
	    {"\xf0\x8f\xbf\xbf", "overlong U+FFFF"},
	    {"\xed\xa0\x80", "surrogate U+D800"},
	    {"\xed\xbf\xbf", "surrogate U+DFFF"},
	    {"\xed\xa0\xbd\xed\xb8\x80", "CESU-8 surrogate pair"},
	    {"\xf4\x90\x80\x80", "U+110000"},
	    {"\xf5\x80\x80\x80", "lead byte F5"},
	    {"\xf7\xbf\xbf\xbf", "U+1FFFFF"},
	    {"\xf8\x88\x80\x80\x80", "5-byte form"},
	    {"\xfe", "byte FE"},
	    {"\xff", "byte FF"},
	    {"\x80", "lone continuation byte"},
	    {"a\xbf"
	     "b",
	     "continuation byte in ASCII"},
	    {"\xc3", "2-byte form cut at the end"},
	    {"\xe9\xab", "3-byte form cut at the end"},
	    {"\xf0\x9f\x98", "4-byte form cut at the end"},
	    {"\xe9\xab"
	     "a",
	     "3-byte form cut by ASCII"},
	    {"\xe9"
	     "\xe9\xab\x98",
	     "lead byte followed by a lead byte"},
	    {"\n", "newline"},
	    {"a\rb", "carriage return"},
	    {"\x1b[31m", "escape"},
	    {"\x01", "U+0001"},
	    {"\x1f", "U+001F"},
	    {"\x7f", "DEL"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ibx_text_utf8_valid(bad[i].s))
			fail_msg("%s accepted", bad[i].why);
}

/* text.h: "no control characters other than tab".  The C1 controls
 * U+0080..U+009F are control characters too (Unicode category Cc); U+009B
 * is the 8-bit CSI some terminals obey. */
static void
test_utf8_c1_controls(void **state)
{
	(void)state;
	assert_false(ibx_text_utf8_valid("\xc2\x80"));
	assert_false(ibx_text_utf8_valid("a\xc2\x85"
					 "b")); /* NEL */
	assert_false(ibx_text_utf8_valid("\xc2\x9b"
					 "31m")); /* CSI */
	assert_false(ibx_text_utf8_valid("\xc2\x9f"));
	assert_true(ibx_text_utf8_valid("\xc2\xa0")); /* NBSP is not one */
}

static void
quote(char *out, size_t n, const char *s)
{
	/* Fill past n so a write beyond it shows. */
	memset(out, '#', n + 8);
	out[n + 7] = '\0';
	ibx_text_quote_short(out, n, s);
	assert_true(strlen(out) < n);
	assert_int_equal(out[n], '#');
}

static void
test_quote_short(void **state)
{
	char out[80];

	(void)state;
	quote(out, 16, "abc");
	assert_string_equal(out, "\"abc\"");
	quote(out, 16, "");
	assert_string_equal(out, "\"\"");
	quote(out, 16, "a\x01z");
	assert_string_equal(out, "\"a\\x01z\"");
	quote(out, 16, "\x1b[2J");
	assert_string_equal(out, "\"\\x1b[2J\"");
	quote(out, 16, "\n\x7f");
	assert_string_equal(out, "\"\\x0a\\x7f\"");
	/* Quotes and backslashes cannot end the quoting early. */
	quote(out, 24, "a\"b\\c");
	assert_string_equal(out, "\"a\\x22b\\x5cc\"");
	/* Bytes that are not UTF-8 never reach the message raw. */
	quote(out, 16, "\xff\xfe");
	assert_string_equal(out, "\"\\xff\\xfe\"");
}

/* out is s cut short: a quoted prefix of s, then "...". */
static void
assert_cut(const char *out, const char *s)
{
	size_t len = strlen(out);

	if (len < 5 || out[0] != '"' || strcmp(out + len - 4, "...\"") != 0)
		fail_msg("not cut with \"...\": %s", out);
	if (strncmp(out + 1, s, len - 5) != 0)
		fail_msg("%s is not a prefix of \"%s\"", out, s);
}

static void
test_quote_short_truncates(void **state)
{
	static const char alphabet[] = "abcdefghijklmnop";
	static const char digits[] =
	    "0123456789012345678901234567890123456789xyz";
	char out[80];

	(void)state;
	quote(out, 10, alphabet);
	assert_cut(out, alphabet);
	assert_true(strlen(out) >= 7); /* at least "abc..." fits */
	quote(out, 8, alphabet);
	assert_cut(out, alphabet);
	quote(out, 40, digits);
	assert_cut(out, digits);
	assert_true(strlen(out) >= 30);
	/* What fits is not cut. */
	quote(out, 10, "abc");
	assert_string_equal(out, "\"abc\"");
	quote(out, 40, "Kochi Health Sciences Center");
	assert_string_equal(out, "\"Kochi Health Sciences Center\"");
}

/* text.h: "cut with "..." when long" holds when the cut falls after an
 * escaped byte too. */
static void
test_quote_short_truncates_after_escape(void **state)
{
	char out[80];

	(void)state;
	quote(out, 16, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a");
	if (strlen(out) < 4 || strcmp(out + strlen(out) - 4, "...\"") != 0)
		fail_msg("cut without \"...\": %s", out);
	quote(out, 8, "\x01\x02\x03");
	if (strlen(out) < 4 || strcmp(out + strlen(out) - 4, "...\"") != 0)
		fail_msg("cut without \"...\": %s", out);
}

/* For every size and a mix of inputs: terminated, inside the buffer,
 * quoted, and free of raw control bytes. */
static void
test_quote_short_bounds(void **state)
{
	static const char *const inputs[] = {
	    "",
	    "x",
	    "高知県",
	    "\x01\x02\x03\x04\x05\x06\x07\x08\x09",
	    "abc\033def\177ghi\"jkl\\mno",
	    "0123456789012345678901234567890123456789012345678901234567890"};
	char out[80];
	size_t n, i;
	const char *c;

	(void)state;
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		for (n = 8; n <= 64; n++) {
			quote(out, n, inputs[i]);
			assert_true(strlen(out) >= 2);
			assert_int_equal(out[0], '"');
			assert_int_equal(out[strlen(out) - 1], '"');
			for (c = out; *c != '\0'; c++)
				assert_true((unsigned char)*c >= 0x20 &&
					    (unsigned char)*c != 0x7f);
		}
}

static void
test_problems_add_and_join(void **state)
{
	ibx_problems p;
	char *joined;

	(void)state;
	ibx_problems_init(&p);
	assert_int_equal(ibx_problems_count(&p), 0);
	joined = ibx_problems_join(&p, "; ");
	assert_non_null(joined);
	assert_string_equal(joined, "");
	free(joined);

	ibx_problems_add(&p, "languages[2]", "unknown ISO 639-1 code \"%s\"",
			 "xx");
	ibx_problems_add(&p, "price_bands[0]",
			 "min_jpy %d is greater than max_jpy %d", 900000,
			 500000);
	assert_int_equal(ibx_problems_count(&p), 2);
	assert_int_equal(p.n, 2);
	assert_int_equal(p.dropped, 0);
	assert_string_equal(p.items[0], "field \"languages[2]\": unknown ISO "
					"639-1 code \"xx\"");
	joined = ibx_problems_join(&p, "; ");
	assert_non_null(joined);
	assert_string_equal(joined,
			    "field \"languages[2]\": unknown ISO 639-1 code "
			    "\"xx\"; field \"price_bands[0]\": min_jpy 900000 "
			    "is greater than max_jpy 500000");
	free(joined);
	ibx_problems_fini(&p);
	assert_int_equal(ibx_problems_count(&p), 0);
	assert_int_equal(p.n, 0);
}

static void
test_problems_over_max(void **state)
{
	static const char first[] = "field \"departments[0]\": unknown\n";
	ibx_problems p;
	char field[32], *joined, *tail;
	size_t i;

	(void)state;
	ibx_problems_init(&p);
	for (i = 0; i < IBX_PROBLEMS_MAX + 3; i++) {
		snprintf(field, sizeof(field), "departments[%zu]", i);
		ibx_problems_add(&p, field, "unknown");
	}
	assert_int_equal(p.n, IBX_PROBLEMS_MAX);
	assert_int_equal(p.dropped, 3);
	assert_int_equal(ibx_problems_count(&p), IBX_PROBLEMS_MAX + 3);
	assert_string_equal(p.items[IBX_PROBLEMS_MAX - 1],
			    "field \"departments[99]\": unknown");
	joined = ibx_problems_join(&p, "\n");
	assert_non_null(joined);
	assert_int_equal(strncmp(joined, first, strlen(first)), 0);
	tail = strrchr(joined, '\n');
	assert_non_null(tail);
	assert_string_equal(tail, "\n(and 3 more)");
	assert_non_null(strstr(
	    joined, "field \"departments[99]\": unknown\n(and 3 more)"));
	assert_null(strstr(joined, "departments[100]"));
	free(joined);
	ibx_problems_fini(&p);
	assert_int_equal(ibx_problems_count(&p), 0);
}

/* Exactly IBX_PROBLEMS_MAX: nothing dropped, no "(and 0 more)". */
static void
test_problems_exactly_max(void **state)
{
	ibx_problems p;
	char *joined;
	size_t i;

	(void)state;
	ibx_problems_init(&p);
	for (i = 0; i < IBX_PROBLEMS_MAX; i++)
		ibx_problems_add(&p, "beds", "must be 0 to %d", 5000);
	assert_int_equal(p.dropped, 0);
	joined = ibx_problems_join(&p, ", ");
	assert_non_null(joined);
	assert_null(strstr(joined, "more)"));
	assert_int_equal(strlen(joined),
			 IBX_PROBLEMS_MAX *
				 strlen("field \"beds\": must be 0 to 5000") +
			     (IBX_PROBLEMS_MAX - 1) * 2);
	free(joined);
	ibx_problems_fini(&p);
}

/* ibx_text_escape: one line of well-formed UTF-8 whatever the input (issue
 * 14: a newline in a peer's field forged a log line). */
static void
test_escape(void **state)
{
	char out[64];
	size_t n;

	(void)state;
	n = ibx_text_escape(out, sizeof(out), "a\nb\r", 4);
	assert_string_equal(out, "a\\x0ab\\x0d");
	assert_int_equal(n, strlen(out));
	/* Well-formed UTF-8 and tab kept; a lone byte, NUL and DEL escaped. */
	ibx_text_escape(out, sizeof(out), "\xe6\x97\xa5\t\xff\0x\x7f", 8);
	assert_string_equal(out, "\xe6\x97\xa5\t\\xff\\x00x\\x7f");
	/* A character cut at the end is escaped byte by byte. */
	ibx_text_escape(out, sizeof(out), "\xe6\x97", 2);
	assert_string_equal(out, "\\xe6\\x97");
	/* C1 controls (U+0085 NEL) are line breaks to some readers. */
	ibx_text_escape(out, sizeof(out), "\xc2\x85", 2);
	assert_string_equal(out, "\\xc2\\x85");
}

static void
test_escape_truncates(void **state)
{
	char out[12];
	size_t n;

	(void)state;
	n = ibx_text_escape(out, sizeof(out), "0123456789abcdef", 16);
	assert_string_equal(out, "01234567...");
	assert_int_equal(n, 11);
	/* An escape never splits: \xNN whole or not at all. */
	ibx_text_escape(out, sizeof(out), "012345\n\n", 8);
	assert_string_equal(out, "012345...");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_valid_text),
	    cmocka_unit_test(test_utf8_invalid),
	    cmocka_unit_test(test_utf8_c1_controls),
	    cmocka_unit_test(test_quote_short),
	    cmocka_unit_test(test_quote_short_truncates),
	    cmocka_unit_test(test_quote_short_truncates_after_escape),
	    cmocka_unit_test(test_quote_short_bounds),
	    cmocka_unit_test(test_problems_add_and_join),
	    cmocka_unit_test(test_problems_over_max),
	    cmocka_unit_test(test_problems_exactly_max),
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_escape_truncates),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
