/*
 * Unit tests for hub/stats/disclosure.c: primary suppression (k and
 * hospitals), complementary suppression along lines, the perturbation table's
 * bounds, mean and consistency, and magnitude noise bounds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "disclosure.h"

static const hub_sdc_params counts = {10, 3, true};

static hub_sdc_cell
cell1(const char *key, int64_t v, int64_t hospitals, uint32_t ckey)
{
	hub_sdc_cell c = {{key}, v, v, hospitals, ckey, false, 0};

	return (c);
}

static void
test_primary_threshold(void **state)
{
	hub_sdc_cell c[4];

	(void)state;
	c[0] = cell1("a", 9, 5, 1);
	c[1] = cell1("b", 10, 5, 2);
	c[2] = cell1("c", 100, 2, 3);
	c[3] = cell1("d", 50, 3, 4);
	hub_sdc_apply(c, 4, 1, NULL, &counts);
	assert_true(c[0].suppressed);  /* 9 < k */
	assert_true(c[2].suppressed);  /* two hospitals */
	assert_false(c[3].suppressed); /* 50, three hospitals */
	/* b (10) is the smallest published: the complement of a and c is
	 * not needed since two are suppressed in the only line. */
	assert_false(c[1].suppressed);
}

static void
test_complementary_one_dim(void **state)
{
	hub_sdc_cell c[3];

	(void)state;
	c[0] = cell1("a", 5, 5, 1);
	c[1] = cell1("b", 40, 5, 2);
	c[2] = cell1("c", 12, 5, 3);
	hub_sdc_apply(c, 3, 1, NULL, &counts);
	assert_true(c[0].suppressed);
	assert_true(c[2].suppressed); /* the smallest other cell */
	assert_false(c[1].suppressed);
}

static void
test_complementary_two_dims(void **state)
{
	/* 2x2 table, one small cell: its row and its column each need a
	 * second suppression, which in turn needs the fourth cell. */
	hub_sdc_cell c[4] = {
	    {{"CN", "t"}, 5, 5, 4, 1, false, 0},
	    {{"CN", "h"}, 50, 50, 4, 2, false, 0},
	    {{"VN", "t"}, 30, 30, 4, 3, false, 0},
	    {{"VN", "h"}, 60, 60, 4, 4, false, 0},
	};
	size_t i, n = 0;

	(void)state;
	hub_sdc_apply(c, 4, 2, NULL, &counts);
	for (i = 0; i < 4; i++)
		n += c[i].suppressed;
	assert_int_equal(n, 4);
}

static void
test_count_noise_bounds_and_mean(void **state)
{
	int64_t sum = 0, n = 100, v;
	uint32_t k;
	int hist[5] = {0};

	(void)state;
	for (k = 0; k < 100000; k++) {
		uint32_t ckey = k * 42949u + 7u;

		v = hub_sdc_perturb_count(n, ckey, 10);
		assert_in_range(v, n - 2, n + 2);
		hist[v - n + 2]++;
		sum += v - n;
	}
	/* Mean noise near 0; every outcome occurs; 0 the most likely. */
	assert_true(llabs(sum) < 3000);
	assert_true(hist[2] > hist[1] && hist[2] > hist[3]);
	assert_true(hist[0] > 0 && hist[4] > 0);
	/* Consistent: the same key, the same value. */
	assert_int_equal(hub_sdc_perturb_count(123, 99, 10),
			 hub_sdc_perturb_count(123, 99, 10));
}

static void
test_count_never_below_k(void **state)
{
	uint32_t k;

	(void)state;
	for (k = 0; k < 100000; k++) {
		assert_true(hub_sdc_perturb_count(10, k * 42949u, 10) >= 10);
		assert_true(hub_sdc_perturb_count(11, k * 42949u, 10) >= 10);
	}
}

static void
test_magnitude_bounds(void **state)
{
	uint32_t k;
	int64_t v;

	(void)state;
	for (k = 0; k < 100000; k++) {
		v = hub_sdc_perturb_magnitude(1000000, k * 42949u);
		assert_in_range(v, 950000, 1050000);
	}
}

static void
test_published_values(void **state)
{
	hub_sdc_cell c[2], total = cell1("", 150, 6, 77);

	(void)state;
	c[0] = cell1("a", 100, 3, 1000);
	c[1] = cell1("b", 50, 3, 2000000000u);
	hub_sdc_apply(c, 2, 1, &total, &counts);
	assert_false(c[0].suppressed);
	assert_int_equal(c[0].published, hub_sdc_perturb_count(100, 1000, 10));
	assert_int_equal(c[1].published,
			 hub_sdc_perturb_count(50, 2000000000u, 10));
	assert_false(total.suppressed);
	assert_int_equal(total.published, hub_sdc_perturb_count(150, 77, 10));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_primary_threshold),
	    cmocka_unit_test(test_complementary_one_dim),
	    cmocka_unit_test(test_complementary_two_dims),
	    cmocka_unit_test(test_count_noise_bounds_and_mean),
	    cmocka_unit_test(test_count_never_below_k),
	    cmocka_unit_test(test_magnitude_bounds),
	    cmocka_unit_test(test_published_values),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
