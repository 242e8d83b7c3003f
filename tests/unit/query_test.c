/*
 * Unit tests of the hospital search parameters (hub/api/query.c): each
 * parameter accepted and refused with a message that names it, unknown and
 * repeated parameters refused, and the bounds of limit and offset.
 * Requests are built by hand as the HTTP module would hand them over; the
 * server and the SQL behind the search are the integration tests' concern.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "query.h"

/* A GET /api/v1/hospitals with n (key, value) pairs from kv. */
static void
request(ibx_http_request *req, const char *const *kv, size_t n)
{
	size_t i;

	assert_true(n <= IBX_HTTP_MAX_ARGS);
	memset(req, 0, sizeof(*req));
	req->method = "GET";
	req->path = "/api/v1/hospitals";
	for (i = 0; i < n; i++) {
		req->args[i].key = kv[2 * i];
		req->args[i].value = kv[2 * i + 1];
	}
	req->nargs = n;
}

/* parse_one_arg: the search ?key=value; returns the parser's result. */
static ibx_err
parse_one_arg(const char *key, const char *value, hub_hospital_query *q,
	      char *err, size_t errlen)
{
	const char *kv[2] = {key, value};
	ibx_http_request req;

	request(&req, kv, 1);
	err[0] = '\0';
	return (hub_hospital_query_parse(&req, q, err, errlen));
}

static void
expect_ok(const char *key, const char *value, hub_hospital_query *q)
{
	char err[256];

	if (parse_one_arg(key, value, q, err, sizeof(err)) != IBX_OK)
		fail_msg("%s=%s refused: %s", key, value, err);
}

static void
expect_refused(const char *key, const char *value, const char *message)
{
	hub_hospital_query q;
	char err[256];

	assert_int_equal(parse_one_arg(key, value, &q, err, sizeof(err)),
			 IBX_EINVAL);
	assert_string_equal(err, message);
}

static void
test_no_arguments(void **state)
{
	ibx_http_request req;
	hub_hospital_query q;
	char err[256];

	(void)state;
	request(&req, NULL, 0);
	memset(&q, 0x5a, sizeof(q));
	assert_int_equal(hub_hospital_query_parse(&req, &q, err, sizeof(err)),
			 IBX_OK);
	assert_null(q.treatment);
	assert_null(q.department);
	assert_null(q.language);
	assert_null(q.prefecture);
	assert_null(q.accreditation);
	assert_null(q.accepts);
	assert_null(q.q);
	assert_int_equal(q.remote_second_opinion, 0);
	assert_int_equal(q.limit, HUB_QUERY_LIMIT_DEFAULT);
	assert_int_equal(q.offset, 0);
}

static void
test_all_parameters(void **state)
{
	static const char *const kv[] = {"treatment",
					 "proton_therapy",
					 "department",
					 "01001",
					 "language",
					 "zh",
					 "prefecture",
					 "39",
					 "accreditation",
					 "JMIP",
					 "accepts",
					 "CN",
					 "q",
					 "高知",
					 "second_opinion",
					 "remote",
					 "limit",
					 "20",
					 "offset",
					 "40"};
	ibx_http_request req;
	hub_hospital_query q;
	char err[256];

	(void)state;
	request(&req, kv, sizeof(kv) / sizeof(kv[0]) / 2);
	assert_int_equal(hub_hospital_query_parse(&req, &q, err, sizeof(err)),
			 IBX_OK);
	assert_string_equal(q.treatment, "proton_therapy");
	assert_string_equal(q.department, "01001");
	assert_string_equal(q.language, "zh");
	assert_string_equal(q.prefecture, "39");
	assert_string_equal(q.accreditation, "JMIP");
	assert_string_equal(q.accepts, "CN");
	assert_string_equal(q.q, "高知");
	assert_int_equal(q.remote_second_opinion, 1);
	assert_int_equal(q.limit, 20);
	assert_int_equal(q.offset, 40);
	/* Strings point into the request. */
	assert_ptr_equal(q.treatment, kv[1]);
}

static void
test_code_parameters(void **state)
{
	hub_hospital_query q;

	(void)state;
	expect_ok("treatment", "pet_ct", &q);
	assert_string_equal(q.treatment, "pet_ct");
	expect_refused("treatment", "teleportation",
		       "parameter \"treatment\": unknown treatment code "
		       "\"teleportation\"");
	expect_refused("treatment", "consultation",
		       "parameter \"treatment\": unknown treatment code "
		       "\"consultation\"");

	expect_ok("purpose", "travel_emergency", &q);
	assert_string_equal(q.purpose, "travel_emergency");
	expect_refused("purpose", "surgery",
		       "parameter \"purpose\": one of treatment, "
		       "health_checkup, second_opinion, follow_up, "
		       "travel_emergency, other");

	expect_ok("department", "05001", &q);
	assert_string_equal(q.department, "05001");
	expect_refused("department", "5001",
		       "parameter \"department\": unknown national department "
		       "code \"5001\"");

	expect_ok("language", "ja", &q);
	assert_string_equal(q.language, "ja");
	expect_refused(
	    "language", "xx",
	    "parameter \"language\": unknown ISO 639-1 code \"xx\"");
	expect_refused(
	    "language", "EN",
	    "parameter \"language\": unknown ISO 639-1 code \"EN\"");

	expect_ok("prefecture", "01", &q);
	expect_ok("prefecture", "47", &q);
	assert_string_equal(q.prefecture, "47");
	expect_refused("prefecture", "48",
		       "parameter \"prefecture\": unknown JIS X 0401 "
		       "prefecture code \"48\"");
	expect_refused("prefecture", "00",
		       "parameter \"prefecture\": unknown JIS X 0401 "
		       "prefecture code \"00\"");

	expect_ok("accreditation", "JCI", &q);
	assert_string_equal(q.accreditation, "JCI");
	expect_refused("accreditation", "jci",
		       "parameter \"accreditation\": unknown accreditation "
		       "scheme \"jci\"");

	expect_ok("accepts", "VN", &q);
	assert_string_equal(q.accepts, "VN");
	expect_refused(
	    "accepts", "vn",
	    "parameter \"accepts\": unknown ISO 3166-1 alpha-2 code "
	    "\"vn\"");
}

/* Given without '=' the value is "": refused, not a match-all. */
static void
test_empty_values(void **state)
{
	(void)state;
	expect_refused("language", "",
		       "parameter \"language\": unknown ISO 639-1 code \"\"");
	expect_refused("treatment", "",
		       "parameter \"treatment\": unknown treatment code \"\"");
	expect_refused("second_opinion", "",
		       "parameter \"second_opinion\": only \"remote\" is "
		       "accepted");
}

/* A value with control bytes is quoted in the message, never copied. */
static void
test_value_quoted(void **state)
{
	(void)state;
	expect_refused("language", "j\r\nX-Evil: 1",
		       "parameter \"language\": unknown ISO 639-1 code "
		       "\"j\\x0d\\x0aX-Evil: 1\"");
}

static void
test_second_opinion(void **state)
{
	hub_hospital_query q;

	(void)state;
	expect_ok("second_opinion", "remote", &q);
	assert_int_equal(q.remote_second_opinion, 1);
	expect_refused("second_opinion", "true",
		       "parameter \"second_opinion\": only \"remote\" is "
		       "accepted");
	expect_refused("second_opinion", "Remote",
		       "parameter \"second_opinion\": only \"remote\" is "
		       "accepted");
	expect_refused("second_opinion", "1",
		       "parameter \"second_opinion\": only \"remote\" is "
		       "accepted");
}

static void
test_text_search(void **state)
{
	static const char message[] =
	    "parameter \"q\": must be 1 to 100 bytes of UTF-8 text";
	hub_hospital_query q;
	char text[128];

	(void)state;
	expect_ok("q", "Kochi", &q);
	assert_string_equal(q.q, "Kochi");
	expect_ok("q", "高知医療センター", &q);
	memset(text, 'a', 100);
	text[100] = '\0';
	expect_ok("q", text, &q);
	assert_int_equal(strlen(q.q), 100);
	text[100] = 'a';
	text[101] = '\0';
	expect_refused("q", text, message);
	expect_refused("q", "", message);
	expect_refused("q", "\xff\xfe", message);
	expect_refused("q", "高\xe7", message); /* cut short */
	expect_refused("q", "\xc0\xaf", message);
	expect_refused("q", "a\nb", message);
}

static void
test_limit(void **state)
{
	static const char *const bad[] = {
	    "0",  "201", "-1",	"1x",	"",
	    " 1", "+1",	 "1.0", "0x10", "99999999999999999999999"};
	static const char message[] =
	    "parameter \"limit\": must be a whole number from 1 to 200";
	hub_hospital_query q;
	size_t i;

	(void)state;
	expect_ok("limit", "1", &q);
	assert_int_equal(q.limit, 1);
	expect_ok("limit", "200", &q);
	assert_int_equal(q.limit, 200);
	expect_ok("limit", "050", &q);
	assert_int_equal(q.limit, 50);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("  limit=%s\n", bad[i]);
		expect_refused("limit", bad[i], message);
	}
}

static void
test_offset(void **state)
{
	static const char *const bad[] = {
	    "-1", "100001", "1x", "", "-0", "18446744073709551616"};
	static const char message[] =
	    "parameter \"offset\": must be a whole number from 0 to 100000";
	hub_hospital_query q;
	size_t i;

	(void)state;
	expect_ok("offset", "0", &q);
	assert_int_equal(q.offset, 0);
	expect_ok("offset", "1", &q);
	assert_int_equal(q.offset, 1);
	expect_ok("offset", "200", &q);
	assert_int_equal(q.offset, 200);
	expect_ok("offset", "100000", &q);
	assert_int_equal(q.offset, 100000);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("  offset=%s\n", bad[i]);
		expect_refused("offset", bad[i], message);
	}
}

static void
test_query_long(void **state)
{
	char err[128];
	long v = -7;

	(void)state;
	assert_int_equal(
	    hub_query_long("n", "42", 0, 100, &v, err, sizeof(err)), IBX_OK);
	assert_int_equal(v, 42);
	v = -7;
	assert_int_equal(
	    hub_query_long("n", "101", 0, 100, &v, err, sizeof(err)),
	    IBX_EINVAL);
	assert_string_equal(
	    err, "parameter \"n\": must be a whole number from 0 to 100");
	assert_int_equal(v, -7); /* untouched on error */
	assert_int_equal(hub_query_long("n", "4", 5, 9, &v, err, sizeof(err)),
			 IBX_EINVAL);
	assert_int_equal(v, -7);
}

static void
test_unknown_parameter(void **state)
{
	(void)state;
	expect_refused("lang", "ja", "parameter \"lang\": unknown parameter");
	expect_refused("Language", "ja",
		       "parameter \"Language\": unknown parameter");
	expect_refused("remote_second_opinion", "true",
		       "parameter \"remote_second_opinion\": unknown "
		       "parameter");
	expect_refused("", "x", "parameter \"\": unknown parameter");
	expect_refused("a\x1b"
		       "b",
		       "x", "parameter \"a\\x1bb\": unknown parameter");
}

/* An unknown parameter among good ones still refuses the search. */
static void
test_unknown_among_known(void **state)
{
	static const char *const kv[] = {"language", "ja",    "prefecutre",
					 "39",	     "limit", "10"};
	ibx_http_request req;
	hub_hospital_query q;
	char err[256];

	(void)state;
	request(&req, kv, 3);
	assert_int_equal(hub_hospital_query_parse(&req, &q, err, sizeof(err)),
			 IBX_EINVAL);
	assert_string_equal(err,
			    "parameter \"prefecutre\": unknown parameter");
}

static void
test_repeated_parameter(void **state)
{
	static const char *const same[] = {"language", "ja", "language", "ja"};
	static const char *const differ[] = {"limit", "10",    "treatment",
					     "bnct",  "limit", "20"};
	static const char *const invalid[] = {"q", "", "q", "x"};
	ibx_http_request req;
	hub_hospital_query q;
	char err[256];

	(void)state;
	request(&req, same, 2);
	assert_int_equal(hub_hospital_query_parse(&req, &q, err, sizeof(err)),
			 IBX_EINVAL);
	assert_string_equal(err,
			    "parameter \"language\": given more than once");
	request(&req, differ, 3);
	assert_int_equal(hub_hospital_query_parse(&req, &q, err, sizeof(err)),
			 IBX_EINVAL);
	assert_string_equal(err, "parameter \"limit\": given more than once");
	/* The first one's own problem is reported first. */
	request(&req, invalid, 2);
	assert_int_equal(hub_hospital_query_parse(&req, &q, err, sizeof(err)),
			 IBX_EINVAL);
	assert_string_equal(
	    err, "parameter \"q\": must be 1 to 100 bytes of UTF-8 text");
}

/* A short error buffer is cut, still terminated. */
static void
test_short_error_buffer(void **state)
{
	hub_hospital_query q;
	char err[16];

	(void)state;
	memset(err, '#', sizeof(err));
	assert_int_equal(parse_one_arg("language", "xx", &q, err, sizeof(err)),
			 IBX_EINVAL);
	assert_int_equal(strlen(err), sizeof(err) - 1);
	assert_int_equal(strncmp(err, "parameter \"lang", 15), 0);
}

/* near= an airport or a point; within_km needs near and defaults to
 * HUB_QUERY_NEAR_KM with it. */
static void
test_near_within(void **state)
{
	static const char *const airport[] = {"near", "NRT", "within_km",
					      "50"};
	static const char *const point[] = {"near", "34.4273,135.2440"};
	ibx_http_request req;
	hub_hospital_query q;
	char err[256];

	(void)state;
	request(&req, airport, 2);
	assert_int_equal(hub_hospital_query_parse(&req, &q, err, sizeof(err)),
			 IBX_OK);
	assert_string_equal(q.near_iata, "NRT");
	assert_int_equal(q.has_near, 1);
	assert_true(q.within_km == 50.0);
	request(&req, point, 1);
	assert_int_equal(hub_hospital_query_parse(&req, &q, err, sizeof(err)),
			 IBX_OK);
	assert_null(q.near_iata);
	assert_true(q.near_lat > 34.42 && q.near_lon < 135.25);
	assert_true(q.within_km == HUB_QUERY_NEAR_KM);
	expect_refused("within_km", "50",
		       "parameter \"within_km\": needs near (an airport or a "
		       "point)");
	expect_refused("within_km", "0",
		       "parameter \"within_km\": must be a number of km above "
		       "0, at most 3000");
	expect_refused("within_km", "-5",
		       "parameter \"within_km\": must be a number of km above "
		       "0, at most 3000");
	expect_refused("within_km", "3001",
		       "parameter \"within_km\": must be a number of km above "
		       "0, at most 3000");
	expect_refused("near", "nrt",
		       "parameter \"near\": an airport's IATA code or LAT,LON "
		       "within Japan (20 to 46, 122 to 154)");
	expect_refused("near", "NRTX",
		       "parameter \"near\": an airport's IATA code or LAT,LON "
		       "within Japan (20 to 46, 122 to 154)");
}

static void
test_sort_price_format(void **state)
{
	static const char *const csv[] = {"limit", "5000", "format", "csv"};
	ibx_http_request req;
	hub_hospital_query q;
	char err[256];

	(void)state;
	expect_ok("sort", "price", &q);
	assert_int_equal(q.sort, HUB_SORT_PRICE);
	expect_ok("sort", "experience", &q);
	assert_int_equal(q.sort, HUB_SORT_EXPERIENCE);
	expect_ok("sort", "rank", &q);
	assert_int_equal(q.sort, HUB_SORT_RANK);
	expect_refused("sort", "distance",
		       "parameter \"sort\": distance needs near (an airport "
		       "or a point)");
	expect_refused("sort", "Price",
		       "parameter \"sort\": rank, distance, price or "
		       "experience");
	expect_ok("max_price_jpy", "0", &q);
	assert_int_equal(q.max_price_jpy, 0);
	expect_ok("service", "second_opinion", &q);
	assert_int_equal(q.max_price_jpy, -1);
	expect_refused("max_price_jpy", "1000000001",
		       "parameter \"max_price_jpy\": must be a whole number "
		       "from 0 to 1000000000");
	expect_refused("service", "massage",
		       "parameter \"service\": unknown service \"massage\" (a "
		       "treatment code, consultation or second_opinion)");
	expect_ok("format", "json", &q);
	assert_int_equal(q.csv, 0);
	assert_int_equal(q.limit, HUB_QUERY_LIMIT_DEFAULT);
	expect_ok("format", "csv", &q);
	assert_int_equal(q.csv, 1);
	assert_int_equal(q.limit, HUB_QUERY_CSV_LIMIT_MAX);
	/* format after limit still raises limit's bound. */
	request(&req, csv, 2);
	assert_int_equal(hub_hospital_query_parse(&req, &q, err, sizeof(err)),
			 IBX_OK);
	assert_int_equal(q.limit, 5000);
	request(&req, csv, 1);
	assert_int_equal(hub_hospital_query_parse(&req, &q, err, sizeof(err)),
			 IBX_EINVAL);
	req.accept = "text/csv";
	assert_int_equal(hub_hospital_query_parse(&req, &q, err, sizeof(err)),
			 IBX_OK);
	assert_int_equal(q.csv, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_no_arguments),
	    cmocka_unit_test(test_all_parameters),
	    cmocka_unit_test(test_code_parameters),
	    cmocka_unit_test(test_empty_values),
	    cmocka_unit_test(test_value_quoted),
	    cmocka_unit_test(test_second_opinion),
	    cmocka_unit_test(test_text_search),
	    cmocka_unit_test(test_limit),
	    cmocka_unit_test(test_offset),
	    cmocka_unit_test(test_query_long),
	    cmocka_unit_test(test_unknown_parameter),
	    cmocka_unit_test(test_unknown_among_known),
	    cmocka_unit_test(test_repeated_parameter),
	    cmocka_unit_test(test_short_error_buffer),
	    cmocka_unit_test(test_near_within),
	    cmocka_unit_test(test_sort_price_format),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
