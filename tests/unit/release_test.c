/*
 * Unit tests for hub/stats/release.c: the workload's budget, with the
 * referral queries', adds up to the month's rho, every sigma^2 is within the
 * sampler's limits and gives back its share (D^2 / (2 sigma^2)), and the
 * post-processing projection gives non-negative integers with the parent's
 * sum, nearest in least squares.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "dp.h"
#include "release.h"

static void
test_budget_adds_up(void **state)
{
	const hub_release_query *w;
	size_t n, i;
	double rho = 0;
	int shares = 0;

	(void)state;
	w = hub_release_workload(&n);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		uint64_t num, den;
		double d = (double)hub_release_sensitivity(&w[i]);

		hub_release_sigma2(&w[i], &num, &den);
		assert_true(num <= IBX_DP_MAX && den <= IBX_DP_MAX_DEN);
		rho += d * d / (2.0 * (double)num / (double)den);
		shares += w[i].share;
		/* A 2-D query's parent is the 1-D query of its first
		 * dimension; a 1-D query's the total of its measure. */
		if (w[i].ndims == 2) {
			assert_int_equal(w[w[i].parent].ndims, 1);
			assert_int_equal(w[w[i].parent].dims[0], w[i].dims[0]);
		} else if (w[i].ndims == 1)
			assert_int_equal(w[w[i].parent].ndims, 0);
		if (w[i].parent >= 0)
			assert_int_equal(w[w[i].parent].measure, w[i].measure);
	}
	/* The referral queries take the rest of the month's rho
	 * (docs/disclosure-control.md section 12). */
	{
		const hub_release_referral_query *rw =
		    hub_release_referral_workload(&n);

		assert_true(n > 0);
		for (i = 0; i < n; i++) {
			uint64_t num, den;
			double d = (double)rw[i].sensitivity;

			hub_release_referral_sigma2(&rw[i], &num, &den);
			assert_true(num <= IBX_DP_MAX &&
				    den <= IBX_DP_MAX_DEN);
			rho += d * d / (2.0 * (double)num / (double)den);
			shares += rw[i].share;
			assert_true(rw[i].sensitivity >=
				    HUB_RELEASE_REFERRALS_PER_GROUP);
		}
		/* The purpose marginal: K out of some purposes, K into
		 * others, L2 sqrt(2) K, rounded up. */
		assert_true((double)rw[2].sensitivity >=
			    sqrt(2.0) * HUB_RELEASE_REFERRALS_PER_GROUP);
	}
	assert_int_equal(shares, 1000);
	/* rho per month 1/12: 1 for the twelve months of a year. */
	assert_true(fabs(rho - 1.0 / 12.0) < 1e-9);
	assert_true(fabs(12 * rho - 1.0) < 1e-9);
}

/* The yearly workload: patients only, D = CELLS_PER_PATIENT_YEAR, its
 * shares add up to the year's rho (1), and 12 months + the year = 2. */
static void
test_year_budget_adds_up(void **state)
{
	const hub_release_query *w, *mw;
	size_t n, nm, i, j;
	double rho = 0, month = 0;
	int shares = 0;

	(void)state;
	w = hub_release_year_workload(&n);
	mw = hub_release_workload(&nm);
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		uint64_t num, den;
		double d = (double)hub_release_year_sensitivity(&w[i]);
		bool twin = false;

		assert_int_equal(w[i].measure, HUB_REL_M_PATIENTS);
		assert_int_equal(hub_release_year_sensitivity(&w[i]),
				 HUB_RELEASE_CELLS_PER_PATIENT_YEAR);
		hub_release_year_sigma2(&w[i], &num, &den);
		assert_true(num <= IBX_DP_MAX && den <= IBX_DP_MAX_DEN);
		rho += d * d / (2.0 * (double)num / (double)den);
		shares += w[i].share;
		if (w[i].parent >= 0)
			assert_int_equal(w[w[i].parent].ndims, w[i].ndims - 1);
		/* Every yearly query has a monthly twin: the months it is
		 * combined with. */
		for (j = 0; j < nm; j++)
			twin |=
			    mw[j].measure == w[i].measure &&
			    mw[j].ndims == w[i].ndims &&
			    (w[i].ndims < 1 ||
			     mw[j].dims[0] == w[i].dims[0]) &&
			    (w[i].ndims < 2 || mw[j].dims[1] == w[i].dims[1]);
		assert_true(twin);
	}
	for (j = 0; j < nm; j++) {
		uint64_t num, den;
		double d = (double)hub_release_sensitivity(&mw[j]);

		hub_release_sigma2(&mw[j], &num, &den);
		month += d * d / (2.0 * (double)num / (double)den);
	}
	{
		const hub_release_referral_query *rw =
		    hub_release_referral_workload(&nm);

		for (j = 0; j < nm; j++) {
			uint64_t num, den;
			double d = (double)rw[j].sensitivity;

			hub_release_referral_sigma2(&rw[j], &num, &den);
			month += d * d / (2.0 * (double)num / (double)den);
		}
	}
	assert_int_equal(shares, 1000);
	assert_true(fabs(rho - (double)HUB_RELEASE_YEAR_RHO_NUM /
				   HUB_RELEASE_YEAR_RHO_DEN) < 1e-9);
	/* The cap of issue 13: rho <= 2 per calendar year. */
	assert_true(12 * month + rho <= HUB_RELEASE_CAP_RHO + 1e-9);
	assert_true(fabs(12 * month + rho - 2.0) < 1e-9);
}

static int64_t
sum(const int64_t *y, size_t n)
{
	int64_t s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += y[i];
	return (s);
}

static void
test_project(void **state)
{
	const double x1[] = {10.4, 20.6, -3.0, 5.0};
	const double x2[] = {-5, -7, -1};
	int64_t y[4];
	size_t i;

	(void)state;
	/* Noisy children that already sum near the parent: a common shift,
	 * the negative one clamped at 0. */
	assert_int_equal(hub_release_project(x1, 4, 36, y), IBX_OK);
	assert_int_equal(sum(y, 4), 36);
	for (i = 0; i < 4; i++)
		assert_true(y[i] >= 0);
	assert_int_equal(y[2], 0);
	assert_true(y[1] > y[0] && y[0] > y[3]);
	/* All negative, parent 3: the largest gets the most. */
	assert_int_equal(hub_release_project(x2, 3, 3, y), IBX_OK);
	assert_int_equal(sum(y, 3), 3);
	assert_true(y[2] >= y[0] && y[0] >= y[1]);
	/* Parent 0: all zero. */
	assert_int_equal(hub_release_project(x1, 4, 0, y), IBX_OK);
	assert_int_equal(sum(y, 4), 0);
}

/* Consistency holds at scale: 8,000 children of noise around 0 and 1. */
static void
test_project_large(void **state)
{
	size_t n = 8000, i;
	double *x = malloc(n * sizeof(*x));
	int64_t *y = malloc(n * sizeof(*y));

	(void)state;
	assert_non_null(x);
	assert_non_null(y);
	for (i = 0; i < n; i++)
		x[i] = (double)(i % 7) - 3.0 + (i % 2 ? 0.5 : 0);
	assert_int_equal(hub_release_project(x, n, 12345, y), IBX_OK);
	assert_int_equal(sum(y, n), 12345);
	for (i = 0; i < n; i++)
		assert_true(y[i] >= 0);
	free(x);
	free(y);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_budget_adds_up),
	    cmocka_unit_test(test_year_budget_adds_up),
	    cmocka_unit_test(test_project),
	    cmocka_unit_test(test_project_large),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
