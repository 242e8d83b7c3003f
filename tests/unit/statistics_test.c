/*
 * Unit tests of the statistics rules' bounds (proto/domain/statistics.c,
 * issue 14, finding 3): every measure bounded per cell and summed over the
 * submission, each refusal naming the field; and of the hub's reading of a
 * database error as final or transient (hub/intake/store.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "statistics.h"
#include "store.h"

/* One patient's charge clipped at the release's bound. */
static int64_t
clip(int64_t charge)
{
	return (charge < IBX_STAT_CHARGE_JPY_PER_PATIENT_CELL
		    ? charge
		    : IBX_STAT_CHARGE_JPY_PER_PATIENT_CELL);
}

/* A valid one-cell submission for 2024-03 (one patient, 2 visits, 3
 * days, the charges given; the clipped sums as the spoke computes them). */
static ibx_case_statistics *
submission(int64_t charge, int64_t charge2)
{
	ibx_case_statistics *s = ibx_statistics_new();
	ibx_stat_cell c;

	assert_non_null(s);
	snprintf(s->organisation_code, sizeof(s->organisation_code),
		 "3910118128");
	snprintf(s->period, sizeof(s->period), "2024-03");
	s->cells_per_patient_month = IBX_STAT_CELLS_PER_PATIENT_MONTH;
	s->cells_per_patient_year = IBX_STAT_CELLS_PER_PATIENT_YEAR;
	memset(&c, 0, sizeof(c));
	snprintf(c.nationality, sizeof(c.nationality), "CN");
	snprintf(c.purpose, sizeof(c.purpose), "treatment");
	snprintf(c.icd10, sizeof(c.icd10), "2");
	snprintf(c.age_band, sizeof(c.age_band), "50-59");
	snprintf(c.sex, sizeof(c.sex), "female");
	snprintf(c.referral_channel, sizeof(c.referral_channel), "direct");
	snprintf(c.remote_second_opinion_first,
		 sizeof(c.remote_second_opinion_first), "no");
	snprintf(c.medical_stay_visa, sizeof(c.medical_stay_visa), "yes");
	c.patients = 1;
	c.episodes = 1;
	c.inpatient_episodes = 1;
	c.outpatient_visits = 2;
	c.inpatient_days = 3;
	c.charge_jpy = charge;
	c.outpatient_visits_clipped = 2;
	c.inpatient_days_clipped = 3;
	c.charge_jpy_clipped = clip(charge);
	assert_int_equal(ibx_statistics_add_cell(s, &c), IBX_OK);
	if (charge2 >= 0) {
		snprintf(c.nationality, sizeof(c.nationality), "VN");
		c.charge_jpy = charge2;
		c.charge_jpy_clipped = clip(charge2);
		assert_int_equal(ibx_statistics_add_cell(s, &c), IBX_OK);
	}
	return (s);
}

/* The check's only problem, or "" when it passes. */
static void
expect_problem(const ibx_case_statistics *s, const char *problem)
{
	ibx_problems p;

	ibx_problems_init(&p);
	(void)ibx_statistics_check(s, "2024-12", &p);
	if (problem[0] == '\0')
		assert_int_equal(ibx_problems_count(&p), 0);
	else {
		assert_int_equal(ibx_problems_count(&p), 1);
		assert_string_equal(p.items[0], problem);
	}
	ibx_problems_fini(&p);
}

static void
test_charge_at_and_above_bound(void **state)
{
	ibx_case_statistics *s;

	(void)state;
	s = submission(IBX_STAT_CHARGE_JPY_MAX, -1);
	expect_problem(s, "");
	ibx_statistics_free(s);
	s = submission(INT64_MAX, -1);
	expect_problem(s, "field \"cells[0].charge_jpy\": 9223372036854775807 "
			  "is above the bound 10000000000000");
	ibx_statistics_free(s);
}

static void
test_sum_above_bound(void **state)
{
	ibx_case_statistics *s;

	(void)state;
	s = submission(IBX_STAT_CHARGE_JPY_MAX / 2,
		       IBX_STAT_CHARGE_JPY_MAX / 2);
	expect_problem(s, "");
	ibx_statistics_free(s);
	s = submission(IBX_STAT_CHARGE_JPY_MAX, 1);
	expect_problem(s, "field \"cells\": sum of charge_jpy over the "
			  "submission 10000000000001 is above the bound "
			  "10000000000000");
	ibx_statistics_free(s);
}

static void
test_counts_bounded(void **state)
{
	ibx_case_statistics *s = submission(1, -1);

	(void)state;
	s->cells[0].episodes = IBX_STAT_EPISODES_MAX + 1;
	expect_problem(s, "field \"cells[0].episodes\": 1000001 is above the "
			  "bound 1000000");
	s->cells[0].episodes = 1;
	s->cells[0].outpatient_visits = INT64_MAX;
	expect_problem(s, "field \"cells[0].outpatient_visits\": "
			  "9223372036854775807 is above the bound 10000000");
	s->cells[0].outpatient_visits = 0;
	s->cells[0].outpatient_visits_clipped = 0;
	s->cells[0].inpatient_days = IBX_STAT_INPATIENT_DAYS_MAX + 1;
	expect_problem(s, "field \"cells[0].inpatient_days\": 10000001 is "
			  "above the bound 10000000");
	ibx_statistics_free(s);
}

/* The contribution caps (issue 13): a submission with cells states the
 * caps it was built with, no looser than the release's, and no cell holds
 * more episodes than the per-patient cap allows. */
static void
test_caps(void **state)
{
	ibx_case_statistics *s = submission(1, -1);

	(void)state;
	s->cells_per_patient_month = 0;
	expect_problem(s, "field \"cells_per_patient_month\": not stated: the "
			  "cells must be built with the contribution cap (at "
			  "most 2 cells per patient and month); update the "
			  "spoke");
	s->cells_per_patient_month = IBX_STAT_CELLS_PER_PATIENT_MONTH + 1;
	expect_problem(s, "field \"cells_per_patient_month\": 3 is above "
			  "the release's cap of 2");
	s->cells_per_patient_month = 1; /* stricter: fine */
	expect_problem(s, "");
	s->cells_per_patient_year = 0;
	expect_problem(s, "field \"cells_per_patient_year\": not stated: the "
			  "cells must be built with the contribution cap (at "
			  "most 2 cells per patient and calendar year); "
			  "update the spoke");
	s->cells_per_patient_year = 7;
	expect_problem(s, "field \"cells_per_patient_year\": 7 is above the "
			  "release's cap of 2");
	s->cells_per_patient_year = IBX_STAT_CELLS_PER_PATIENT_YEAR;
	s->cells[0].episodes = 2; /* 2 episodes of 1 patient: the cap */
	expect_problem(s, "");
	s->cells[0].episodes = 3;
	expect_problem(s, "field \"cells[0].episodes\": 3 episodes of 1 "
			  "patients, more than 2 per patient (the release's "
			  "contribution cap)");
	ibx_statistics_free(s);
	/* A nil report has no cells and needs no caps. */
	s = ibx_statistics_new();
	strcpy(s->organisation_code, "3910118128");
	strcpy(s->period, "2024-03");
	s->nil_report = true;
	expect_problem(s, "");
	ibx_statistics_free(s);
}

/* The clipped sums (issue 13): each patient's part of a cell clipped at
 * the release's bound, so at most the exact sum, at most bound x
 * patients, at least min(exact, bound); a clipped sum left out (0 beside a
 * positive exact sum, as from an old spoke) is refused, naming it. */
static void
test_clipped(void **state)
{
	ibx_case_statistics *s = submission(50000000, -1);
	ibx_stat_cell *c = &s->cells[0];

	(void)state;
	assert_int_equal(c->charge_jpy_clipped, 3000000);
	expect_problem(s, "");
	c->charge_jpy_clipped = 0;
	expect_problem(s, "field \"cells[0].charge_jpy_clipped\": missing or "
			  "0, below 3000000 (the exact sum 50000000 with each "
			  "patient's part clipped at 3000000 cannot be less); "
			  "update the spoke");
	c->charge_jpy_clipped = 3000001;
	expect_problem(s, "field \"cells[0].charge_jpy_clipped\": 3000001 is "
			  "above the bound 3000000 x 1 patients (what one "
			  "patient may add to a cell)");
	/* Two patients: up to 6,000,000 may be kept. */
	c->patients = 2;
	c->episodes = 2;
	c->charge_jpy_clipped = 6000000;
	expect_problem(s, "");
	c->charge_jpy_clipped = 3000000;
	c->outpatient_visits_clipped = 3;
	expect_problem(s, "field \"cells[0].outpatient_visits_clipped\": 3 is "
			  "above the exact sum 2 (each patient's part "
			  "clipped, never raised)");
	c->outpatient_visits_clipped = 2;
	c->inpatient_days = 100;
	c->inpatient_days_clipped = 3;
	expect_problem(s, "field \"cells[0].inpatient_days_clipped\": missing "
			  "or 3, below 31 (the exact sum 100 with each "
			  "patient's part clipped at 31 cannot be less); "
			  "update the spoke");
	c->inpatient_days_clipped = 62;
	expect_problem(s, "");
	c->inpatient_days_clipped = 63;
	expect_problem(s, "field \"cells[0].inpatient_days_clipped\": 63 is "
			  "above the bound 31 x 2 patients (what one patient "
			  "may add to a cell)");
	ibx_statistics_free(s);
}

static void
test_error_final(void **state)
{
	(void)state;
	assert_true(hub_store_error_final("22003"));  /* numeric overflow */
	assert_true(hub_store_error_final("23514"));  /* check violation */
	assert_true(hub_store_error_final("P0001"));  /* raise exception */
	assert_false(hub_store_error_final("08006")); /* connection lost */
	assert_false(hub_store_error_final("40001")); /* serialization */
	assert_false(hub_store_error_final("40P01")); /* deadlock */
	assert_false(hub_store_error_final("57P01")); /* shutdown */
	assert_false(hub_store_error_final("53100")); /* disk full */
	assert_false(hub_store_error_final("42501")); /* a grant missing */
	assert_false(hub_store_error_final(""));
	assert_false(hub_store_error_final(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_charge_at_and_above_bound),
	    cmocka_unit_test(test_sum_above_bound),
	    cmocka_unit_test(test_counts_bounded),
	    cmocka_unit_test(test_caps),
	    cmocka_unit_test(test_clipped),
	    cmocka_unit_test(test_error_final),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
