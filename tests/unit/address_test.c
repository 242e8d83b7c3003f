/*
 * Unit tests of the address normaliser of the geocoder
 * (tools/datagen/address.c): the forms the regional health bureaus, the
 * prefectures and Geolonia's town list use for the same place come out
 * equal, and names that merely contain a numeral stay apart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "address.h"

/* The canonical form of s; the test frees it. */
static char *
canon(const char *s)
{
	char *out = NULL;

	assert_int_equal(dg_address_canon(s, &out), DG_OK);
	assert_non_null(out);
	return (out);
}

static void
expect(const char *in, const char *want)
{
	char *got = canon(in);

	if (strcmp(got, want) != 0)
		fail_msg("\"%s\" -> \"%s\", want \"%s\"", in, got, want);
	free(got);
}

static void
expect_same(const char *a, const char *b)
{
	char *x = canon(a), *y = canon(b);

	if (strcmp(x, y) != 0)
		fail_msg("\"%s\" -> \"%s\" but \"%s\" -> \"%s\"", a, x, b, y);
	free(x);
	free(y);
}

/* Kanji numerals, positional and digit by digit. */
static void
test_kanji_numerals(void **state)
{
	(void)state;
	expect("一丁目", "1丁目");
	expect("十丁目", "10丁目");
	expect("十一条", "11条");
	expect("二十三丁目", "23丁目");
	expect("百五番", "105番");
	expect("二〇二三", "2023");
	expect("南二十二条西十四丁目", "南22条西14丁目");
	/* Names with a numeral stay themselves on both sides. */
	expect("四日市市", "4日市市");
	expect_same("九十九里町", "九十九里町");
}

/* Full-width digits, dashes and spaces. */
static void
test_full_width(void **state)
{
	(void)state;
	expect("川沿１３条２丁目１番３８号", "川沿13条2丁目1番38号");
	expect("南２２条西１４丁目", "南22条西14丁目");
	expect_same("札幌市 中央区", "札幌市中央区");
	expect_same("札幌市　中央区", "札幌市中央区");
	expect("１２３－４", "123丁目4");
}

/* The 街区 form 5-5-1: the first number before a dash is the 丁目. */
static void
test_block_form(void **state)
{
	(void)state;
	expect("双葉台３－３－１０", "双葉台3丁目3-10");
	expect("宮町3-2-7", "宮町3丁目2-7");
	expect("宮町3‐2‐7", "宮町3丁目2-7");
	expect("宮町3−2−7", "宮町3丁目2-7");
	expect("宮町3ー2ー7", "宮町3丁目2-7");
	/* Only the first: 番地 dashes after it stay dashes. */
	expect("中央4丁目16-1", "中央4丁目16-1");
	expect("大串町715", "大串町715");
	/* The bureau's block form and Geolonia's kanji form meet. */
	{
		char *a = canon("双葉台３－３－１０"),
		     *b = canon("双葉台三丁目");

		assert_memory_equal(a, b, strlen(b));
		free(a);
		free(b);
	}
}

/* 大字 and 字, small ヶ, が and ノ variants. */
static void
test_variants(void **state)
{
	(void)state;
	expect_same("大字上台町", "上台町");
	expect_same("字上台町", "上台町");
	expect_same("泉ヶ丘", "泉ケ丘");
	expect_same("泉が丘", "泉ケ丘");
	expect_same("三ノ輪", "三の輪");
	expect_same("旭ヶ丘一丁目", "旭ケ丘1丁目");
	expect("", "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kanji_numerals),
	    cmocka_unit_test(test_full_width),
	    cmocka_unit_test(test_block_form),
	    cmocka_unit_test(test_variants),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
