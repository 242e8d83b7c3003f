/*
 * Unit tests for proto/crypto/dp.c: uniform integers without bias,
 * Bernoulli(exp(-gamma)), the discrete Laplace and the discrete Gaussian
 * (CKS 2020) over 200,000 draws each: mean, variance against the exact
 * distribution's, symmetry, the tail, and the probability of 0 for a small
 * sigma, which a rounded continuous Gaussian gets visibly wrong.
 *
 * Tolerances are 5 standard errors or more: a correct sampler fails one of
 * these checks with probability far below 1e-5.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "dp.h"

#define DRAWS 200000

static int
setup(void **state)
{
	ibx_dp *dp = NULL;

	if (ibx_dp_new(&dp) != IBX_OK)
		return (-1);
	*state = dp;
	return (0);
}

static int
teardown(void **state)
{
	ibx_dp_free(*state);
	ibx_dp_free(NULL);
	return (0);
}

/* The exact variance and P(0) of the discrete Gaussian of sigma^2 s2. */
static void
dgauss_exact(double s2, double *var, double *p0)
{
	double z = 0, m2 = 0, w;
	int k;

	for (k = -2000; k <= 2000; k++) {
		w = exp(-(double)k * k / (2 * s2));
		z += w;
		m2 += (double)k * k * w;
	}
	*var = m2 / z;
	*p0 = 1 / z;
}

static void
test_uniform_unbiased(void **state)
{
	unsigned __int128 u;
	long count[6] = {0};
	double expect = DRAWS / 6.0, se = sqrt(DRAWS * (1 / 6.0) * (5 / 6.0));
	int i;

	for (i = 0; i < DRAWS; i++) {
		assert_int_equal(ibx_dp_uniform(*state, 6, &u), IBX_OK);
		assert_true(u < 6);
		count[(int)u]++;
	}
	for (i = 0; i < 6; i++)
		assert_true(fabs(count[i] - expect) < 6 * se);
	/* Above 2^64: the 128-bit path stays below n. */
	for (i = 0; i < 1000; i++) {
		unsigned __int128 n = ((unsigned __int128)3 << 100) + 7;

		assert_int_equal(ibx_dp_uniform(*state, n, &u), IBX_OK);
		assert_true(u < n);
	}
	assert_int_equal(ibx_dp_uniform(*state, 0, &u), IBX_EINVAL);
}

static void
check_bernoulli_exp(ibx_dp *dp, unsigned num, unsigned den)
{
	double p = exp(-(double)num / den), se = sqrt(p * (1 - p) / DRAWS);
	long hits = 0;
	bool b;
	int i;

	for (i = 0; i < DRAWS; i++) {
		assert_int_equal(ibx_dp_bernoulli_exp(dp, num, den, &b),
				 IBX_OK);
		hits += b;
	}
	assert_true(fabs((double)hits / DRAWS - p) <= 6 * se);
}

static void
test_bernoulli_exp(void **state)
{
	bool b;

	check_bernoulli_exp(*state, 0, 1); /* exp(0) = 1 */
	check_bernoulli_exp(*state, 1, 2);
	check_bernoulli_exp(*state, 1, 1);
	check_bernoulli_exp(*state, 5, 2); /* the gamma > 1 branch */
	assert_int_equal(ibx_dp_bernoulli_exp(*state, 1, 0, &b), IBX_EINVAL);
}

static void
test_laplace(void **state)
{
	double q = exp(-1.0 / 3), var = 2 * q / ((1 - q) * (1 - q));
	double sum = 0, sum2 = 0, mean, v;
	long pos = 0, neg = 0;
	int64_t x;
	int i;

	for (i = 0; i < DRAWS; i++) {
		assert_int_equal(ibx_dp_laplace(*state, 3, &x), IBX_OK);
		sum += (double)x;
		sum2 += (double)x * (double)x;
		pos += x > 0;
		neg += x < 0;
	}
	mean = sum / DRAWS;
	v = sum2 / DRAWS - mean * mean;
	assert_true(fabs(mean) < 6 * sqrt(var / DRAWS));
	assert_true(fabs(v - var) / var < 0.04);
	assert_true(fabs((double)(pos - neg)) < 6 * sqrt((double)DRAWS));
}

/* 200,000 draws of the discrete Gaussian with sigma^2 = num/den: mean,
 * variance and P(0) against the exact distribution, symmetry, the tail. */
static void
check_gaussian(ibx_dp *dp, uint64_t num, uint64_t den)
{
	double s2 = (double)num / den, var, p0, sum = 0, sum2 = 0, mean, v;
	long zero = 0, pos = 0, neg = 0, tail = 0;
	int64_t x;
	int i;

	dgauss_exact(s2, &var, &p0);
	for (i = 0; i < DRAWS; i++) {
		assert_int_equal(ibx_dp_gaussian(dp, num, den, &x), IBX_OK);
		sum += (double)x;
		sum2 += (double)x * (double)x;
		zero += x == 0;
		pos += x > 0;
		neg += x < 0;
		tail += fabs((double)x) > 4 * sqrt(s2);
	}
	mean = sum / DRAWS;
	v = sum2 / DRAWS - mean * mean;
	/* Mean 0 within 6 standard errors. */
	assert_true(fabs(mean) < 6 * sqrt(var / DRAWS));
	/* The sample variance's standard error is about var sqrt(2/n). */
	assert_true(fabs(v - var) < 6 * var * sqrt(2.0 / DRAWS));
	/* P(0) of the discrete Gaussian, not of a rounded normal. */
	assert_true(fabs((double)zero / DRAWS - p0) <
		    6 * sqrt(p0 * (1 - p0) / DRAWS));
	/* Symmetry. */
	assert_true(fabs((double)(pos - neg)) < 6 * sqrt((double)DRAWS));
	/* Beyond 4 sigma: about 6.3e-5 for a normal; 40 in 200,000 is
	 * far above. */
	assert_true(tail < 40);
}

static void
test_gaussian_moments(void **state)
{
	check_gaussian(*state, 4, 1);
	check_gaussian(*state, 10, 3); /* a rational sigma^2 */
	check_gaussian(*state, 3000, 7);
}

/* For sigma^2 = 1/4 the discrete Gaussian puts 0.7866 on 0 and has
 * variance 0.2150; a normal of variance 1/4 rounded to the nearest
 * integer puts 0.6827 on 0 and has variance 0.3254.  A sampler that
 * rounded a continuous draw fails here. */
static void
test_gaussian_not_rounded(void **state)
{
	double var, p0;

	dgauss_exact(0.25, &var, &p0);
	assert_true(fabs(p0 - 0.7866) < 0.001);
	assert_true(fabs(var - 0.2150) < 0.001);
	check_gaussian(*state, 1, 4);
}

static void
test_gaussian_refusals(void **state)
{
	int64_t x;

	assert_int_equal(ibx_dp_gaussian(*state, 0, 1, &x), IBX_EINVAL);
	assert_int_equal(ibx_dp_gaussian(*state, 1, 0, &x), IBX_EINVAL);
	assert_int_equal(ibx_dp_gaussian(*state, IBX_DP_MAX + 1, 1, &x),
			 IBX_EINVAL);
	assert_int_equal(ibx_dp_gaussian(*state, 1, IBX_DP_MAX_DEN + 1, &x),
			 IBX_EINVAL);
	/* The largest sigma^2 accepted still samples. */
	assert_int_equal(ibx_dp_gaussian(*state, IBX_DP_MAX, 1, &x), IBX_OK);
	assert_int_equal(ibx_dp_isqrt_floor(10, 1), 3);
	assert_int_equal(ibx_dp_isqrt_floor(16, 1), 4);
	assert_int_equal(ibx_dp_isqrt_floor(1, 4), 0);
	assert_int_equal(ibx_dp_isqrt_floor(3000, 7), 20);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_uniform_unbiased),
	    cmocka_unit_test(test_bernoulli_exp),
	    cmocka_unit_test(test_laplace),
	    cmocka_unit_test(test_gaussian_moments),
	    cmocka_unit_test(test_gaussian_not_rounded),
	    cmocka_unit_test(test_gaussian_refusals),
	};

	return (cmocka_run_group_tests(tests, setup, teardown));
}
