/*
 * Unit tests of hub/api/rank.c: the score is the sum of its components,
 * each within its weight, with the weights rank.h documents; distance falls
 * to 0 at the search radius; the referral response time scores from 24 h
 * to a week and is neutral without enough referrals; hub_rank_sort_key
 * and hub_rank_experience agree with the explained score.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "rank.h"

static void
base(hub_rank_input *in)
{
	memset(in, 0, sizeof(*in));
	in->age_days = 73;
	in->stale_days = 365;
	in->accreditations = "JMIP:2030-03-31";
	in->today = "2026-12-07";
	in->remote = true;
	in->has_distance = true;
	in->km = 25;
	in->radius_km = 50;
	in->experience = 40;
	in->k = 10;
	in->nationality = "CN";
	in->purpose = "treatment";
}

static void
test_components_sum(void **state)
{
	static const char *const names[] = {
	    "experience",    "freshness",
	    "accreditation", "remote_second_opinion",
	    "distance",	     "response_time"};
	static const double weights[] = {35, 15, 15, 10, 15, 10};
	hub_rank_input in;
	hub_rank_result r;
	double sum = 0;
	int i;

	(void)state;
	base(&in);
	hub_rank_score(&in, &r);
	assert_int_equal(r.ncomponents, HUB_RANK_COMPONENTS);
	for (i = 0; i < r.ncomponents; i++) {
		assert_string_equal(r.components[i].name, names[i]);
		assert_true(r.components[i].weight == weights[i]);
		assert_true(r.components[i].value >= 0 &&
			    r.components[i].value <= weights[i]);
		assert_true(r.components[i].reason[0] != '\0');
		sum += r.components[i].value;
	}
	assert_true(fabs(sum - r.score) < 1e-9);
	assert_true(fabs(r.sort_key - hub_rank_sort_key(&in)) < 1e-9);
	/* 12 of 15 for freshness (73 of 365 days), 15, 10, half of 15, and
	 * the neutral half of 10 for a hospital without a response time. */
	assert_true(fabs(r.components[1].value - 12.0) < 1e-9);
	assert_true(fabs(r.components[2].value - 15.0) < 1e-9);
	assert_true(fabs(r.components[3].value - 10.0) < 1e-9);
	assert_true(fabs(r.components[4].value - 7.5) < 1e-9);
	assert_true(fabs(r.components[5].value - 5.0) < 1e-9);
	assert_true(fabs(r.components[0].value - hub_rank_experience(&in)) <
		    1e-9);
	/* The nationality is not released per hospital: experience counts
	 * every nationality, for the purpose asked. */
	assert_non_null(strstr(r.components[0].reason, "for treatment"));
	assert_non_null(strstr(r.components[4].reason, "25 km"));
}

static void
test_nothing_applies(void **state)
{
	hub_rank_input in;
	hub_rank_result r;

	(void)state;
	base(&in);
	in.accreditations = "JMIP:2020-01-01";
	in.remote = false;
	in.has_distance = false;
	in.experience = 0;
	in.age_days = 400;
	hub_rank_score(&in, &r);
	/* A released zero reads as "fewer than k", as a small count does, and
	 * ranks alike (k/2): only experience scores, beside the neutral half
	 * of the response time that no record gives. */
	assert_true(r.components[0].value > 0);
	assert_true(fabs(r.score - r.components[0].value - 5.0) < 1e-9);
	assert_non_null(strstr(r.components[0].reason, "fewer than 10"));
	assert_string_equal(r.components[2].reason, "no valid accreditation");
	assert_string_equal(r.components[3].reason,
			    "no remote second opinion");
	assert_string_equal(r.components[4].reason, "no point given");
	assert_true(r.stale);
	assert_true(fabs(hub_rank_experience(&in) - r.components[0].value) <
		    1e-9);
}

static void
test_distance_radius(void **state)
{
	hub_rank_input in;
	hub_rank_result r;

	(void)state;
	base(&in);
	in.km = 50;
	hub_rank_score(&in, &r);
	assert_true(r.components[4].value == 0);
	in.km = 0;
	hub_rank_score(&in, &r);
	assert_true(r.components[4].value == 15);
	/* No radius: falls to 0 at HUB_RANK_DISTANCE_ZERO_KM. */
	in.radius_km = 0;
	in.km = HUB_RANK_DISTANCE_ZERO_KM / 2;
	hub_rank_score(&in, &r);
	assert_true(fabs(r.components[4].value - 7.5) < 1e-9);
}

/* The response time factor: full points at 24 h or less, none at a
 * week or more, linear between; a hospital without a median resting on
 * enough referrals sits at the neutral half, below a fast one and above a
 * slow one, and its reason says why; a faster hospital otherwise equal
 * ranks first. */
static void
test_response_time(void **state)
{
	hub_rank_input in, slow;
	hub_rank_result r;

	(void)state;
	base(&in);
	in.has_response = true;
	in.response_n = 12;
	in.response_hours = 18;
	hub_rank_score(&in, &r);
	assert_string_equal(r.components[5].name, "response_time");
	assert_true(r.components[5].weight == 10);
	assert_true(fabs(r.components[5].value - 10.0) < 1e-9);
	assert_string_equal(r.components[5].reason,
			    "answers referrals in a median of 18 h (12 "
			    "referrals, last 90 days)");
	assert_true(fabs(hub_rank_response(&in) - 10.0) < 1e-9);
	in.response_hours = 96; /* halfway from 24 h to 168 h */
	assert_true(fabs(hub_rank_response(&in) - 5.0) < 1e-9);
	in.response_hours = 168;
	assert_true(hub_rank_response(&in) == 0);
	in.response_hours = 1000;
	hub_rank_score(&in, &r);
	assert_true(r.components[5].value == 0);
	assert_non_null(strstr(r.components[5].reason, "41.7 days"));
	/* No record: neutral, and said so. */
	in.has_response = false;
	hub_rank_score(&in, &r);
	assert_true(fabs(r.components[5].value - 5.0) < 1e-9);
	assert_non_null(strstr(r.components[5].reason,
			       "fewer than 5 referrals in the last 90 days"));
	/* Otherwise equal: the faster ranks first, no record in between. */
	base(&in);
	in.has_response = true;
	in.response_n = 6;
	in.response_hours = 20;
	slow = in;
	slow.response_hours = 150;
	assert_true(hub_rank_sort_key(&in) > hub_rank_sort_key(&slow));
	slow.has_response = false;
	assert_true(hub_rank_sort_key(&in) > hub_rank_sort_key(&slow));
	in.response_hours = 150;
	assert_true(hub_rank_sort_key(&in) < hub_rank_sort_key(&slow));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_components_sum),
	    cmocka_unit_test(test_nothing_applies),
	    cmocka_unit_test(test_distance_radius),
	    cmocka_unit_test(test_response_time),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
