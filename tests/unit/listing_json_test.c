/*
 * Unit tests of listings read from and written as JSON
 * (proto/wire/listing_json.c): the example file of docs/listing-format.md,
 * every shape a field must have, unknown and repeated keys, text that is not
 * JSON, and the round trip listing -> JSON -> listing.  The value rules are
 * ibx_listing_check's and are tested in listing_test.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "listing_json.h"
#include "problems.h"

#include "listing_fixture.h"

#ifndef IBX_TEST_DATA
#error "IBX_TEST_DATA must name the tests/data directory"
#endif

#define EXAMPLE_FILE IBX_TEST_DATA "/listing_example.json"

/* Not a listing: what *out holds when the parser must leave it alone. */
static ibx_listing untouched;

static void
show_problems(const ibx_problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		print_error("  problem: %s\n", p->items[i]);
}

static bool
has_problem(const ibx_problems *p, const char *problem)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (strcmp(p->items[i], problem) == 0)
			return (true);
	return (false);
}

static ibx_listing *
parse_ok(const char *json)
{
	ibx_problems p;
	ibx_listing *l = NULL;
	ibx_err rv;

	ibx_problems_init(&p);
	rv = ibx_listing_from_json(json, strlen(json), &p, &l);
	if (rv != IBX_OK)
		show_problems(&p);
	assert_int_equal(rv, IBX_OK);
	assert_int_equal(ibx_problems_count(&p), 0);
	assert_non_null(l);
	ibx_problems_fini(&p);
	return (l);
}

/* expect_refused_n: len bytes of json are refused with IBX_EINVAL, nothing
 * is returned, and the problems are filled in (the caller finis them). */
static void
expect_refused_n(const char *json, size_t len, ibx_problems *p)
{
	ibx_listing *l = &untouched;
	ibx_err rv;

	ibx_problems_init(p);
	rv = ibx_listing_from_json(json, len, p, &l);
	if (rv != IBX_EINVAL)
		show_problems(p);
	assert_int_equal(rv, IBX_EINVAL);
	assert_ptr_equal(l, &untouched);
	assert_true(ibx_problems_count(p) > 0);
}

/* expect_refused: json is refused with exactly one problem, 'problem'. */
static void
expect_refused(const char *json, const char *problem)
{
	ibx_problems p;

	expect_refused_n(json, strlen(json), &p);
	if (ibx_problems_count(&p) != 1)
		show_problems(&p);
	assert_int_equal(ibx_problems_count(&p), 1);
	assert_string_equal(p.items[0], problem);
	ibx_problems_fini(&p);
}

/* expect_refused_prefix: one problem that starts with prefix. */
static void
expect_refused_prefix(const char *json, size_t len, const char *prefix)
{
	ibx_problems p;

	expect_refused_n(json, len, &p);
	if (ibx_problems_count(&p) != 1)
		show_problems(&p);
	assert_int_equal(ibx_problems_count(&p), 1);
	if (strncmp(p.items[0], prefix, strlen(prefix)) != 0)
		fail_msg("problem \"%s\" does not start with \"%s\"",
			 p.items[0], prefix);
	ibx_problems_fini(&p);
}

static char *
read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(IBX_LISTING_JSON_MAX);

	assert_non_null(f);
	assert_non_null(buf);
	*len = fread(buf, 1, IBX_LISTING_JSON_MAX, f);
	assert_false(ferror(f));
	fclose(f);
	return (buf);
}

static void
test_example_file(void **state)
{
	ibx_listing *want = fixture_example(), *got = NULL;
	ibx_problems p;

	(void)state;
	ibx_problems_init(&p);
	assert_int_equal(ibx_listing_load_file(EXAMPLE_FILE, &p, &got),
			 IBX_OK);
	assert_int_equal(ibx_problems_count(&p), 0);
	assert_non_null(got);
	assert_listing_equal(got, want);
	/* The documented example keeps every rule. */
	assert_int_equal(ibx_listing_check(got, &p), IBX_OK);
	assert_int_equal(ibx_problems_count(&p), 0);
	ibx_listing_free(got);
	ibx_listing_free(want);
}

static void
test_example_text(void **state)
{
	ibx_listing *want = fixture_example(), *got = NULL;
	ibx_problems p;
	size_t len;
	char *text = read_whole(EXAMPLE_FILE, &len);

	(void)state;
	ibx_problems_init(&p);
	assert_int_equal(ibx_listing_from_json(text, len, &p, &got), IBX_OK);
	assert_listing_equal(got, want);
	ibx_listing_free(got);
	ibx_listing_free(want);
	free(text);
}

static void
test_load_missing_file(void **state)
{
	ibx_listing *l = &untouched;
	ibx_problems p;

	(void)state;
	ibx_problems_init(&p);
	assert_int_equal(ibx_listing_load_file(
			     IBX_TEST_DATA "/no-such-listing.json", &p, &l),
			 IBX_EIO);
	assert_ptr_equal(l, &untouched);
	assert_int_equal(ibx_problems_count(&p), 1);
	assert_non_null(strstr(p.items[0], "no-such-listing.json"));
	assert_non_null(strstr(p.items[0], "cannot open"));
	ibx_problems_fini(&p);
}

/* Absent and null optional fields: NULL strings, beds -1, no location. */
static void
test_absent_and_null_fields(void **state)
{
	ibx_listing *l;

	(void)state;
	l = parse_ok("{}");
	assert_null(l->organisation_code);
	assert_null(l->name_ja);
	assert_int_equal(l->beds, -1);
	assert_false(l->has_location);
	assert_int_equal(l->languages.n, 0);
	assert_int_equal(l->n_accreditations, 0);
	assert_false(l->remote_second_opinion);
	ibx_listing_free(l);
	l = parse_ok("{\"beds\": null, \"website\": null, \"location\": null, "
		     "\"languages\": null, \"name\": null}");
	assert_int_equal(l->beds, -1);
	assert_null(l->website);
	assert_false(l->has_location);
	assert_int_equal(l->languages.n, 0);
	assert_null(l->name_ja);
	ibx_listing_free(l);
	l = parse_ok("{\"beds\": 0, \"location\": {\"lat\": 33, \"lon\": "
		     "133}, \"remote_second_opinion\": false}");
	assert_int_equal(l->beds, 0);
	assert_true(l->has_location);
	assert_true(l->lat == 33.0 && l->lon == 133.0);
	ibx_listing_free(l);
}

static void
test_wrong_types(void **state)
{
	static const struct {
		const char *json, *problem;
	} cases[] = {
	    {"{\"organisation_code\": 3910118128}",
	     "field \"organisation_code\": must be a string"},
	    {"{\"prefecture\": 39}", "field \"prefecture\": must be a string"},
	    {"{\"website\": [\"https://a.jp\"]}",
	     "field \"website\": must be a string"},
	    {"{\"confirmed_at\": true}",
	     "field \"confirmed_at\": must be a string"},
	    {"{\"languages\": \"ja\"}",
	     "field \"languages\": must be an array of strings"},
	    {"{\"departments\": {\"0\": \"01001\"}}",
	     "field \"departments\": must be an array of strings"},
	    {"{\"languages\": [\"ja\", 5]}",
	     "field \"languages[1]\": must be a string"},
	    {"{\"synthetic\": [\"beds\", null]}",
	     "field \"synthetic[1]\": must be a string"},
	    {"{\"name\": \"Kochi\"}",
	     "field \"name\": must be an object {ja, en}"},
	    {"{\"name\": {\"ja\": 1}}", "field \"name.ja\": must be a string"},
	    {"{\"name\": {\"ja\": \"高知\", \"en\": false}}",
	     "field \"name.en\": must be a string"},
	    {"{\"beds\": \"620\"}",
	     "field \"beds\": must be a whole number, 0 or more"},
	    {"{\"beds\": 620.5}",
	     "field \"beds\": must be a whole number, 0 or more"},
	    {"{\"beds\": -1}",
	     "field \"beds\": must be a whole number, 0 or more"},
	    {"{\"beds\": 4294967296}",
	     "field \"beds\": must be a whole number, 0 or more"},
	    {"{\"location\": [33.5, 133.5]}",
	     "field \"location\": must be an object {lat, lon}"},
	    {"{\"location\": {\"lat\": \"33.5\", \"lon\": 133.5}}",
	     "field \"location.lat\": must be a number"},
	    {"{\"location\": {\"lat\": 33.5}}",
	     "field \"location.lon\": must be a number"},
	    {"{\"accreditations\": {\"scheme\": \"JCI\"}}",
	     "field \"accreditations\": must be an array"},
	    {"{\"accreditations\": [\"JCI\"]}",
	     "field \"accreditations[0]\": must be an object"},
	    {"{\"accreditations\": [{\"scheme\": \"JCI\", \"expires\": "
	     "20280331}]}",
	     "field \"accreditations[0].expires\": must be a string"},
	    {"{\"price_bands\": {}}",
	     "field \"price_bands\": must be an array"},
	    {"{\"price_bands\": [{\"service\": \"pet_ct\", \"min_jpy\": "
	     "\"1\", \"max_jpy\": 2}]}",
	     "field \"price_bands[0].min_jpy\": must be a whole number of "
	     "JPY"},
	    {"{\"price_bands\": [{\"service\": \"pet_ct\", \"min_jpy\": 1.5, "
	     "\"max_jpy\": 2}]}",
	     "field \"price_bands[0].min_jpy\": must be a whole number of "
	     "JPY"},
	    {"{\"price_bands\": [{\"service\": \"pet_ct\", \"min_jpy\": 1}]}",
	     "field \"price_bands[0].max_jpy\": must be a whole number of "
	     "JPY"},
	    {"{\"price_bands\": [{\"service\": 7, \"min_jpy\": 1, "
	     "\"max_jpy\": 2}]}",
	     "field \"price_bands[0].service\": must be a string"},
	    {"{\"remote_second_opinion\": \"yes\"}",
	     "field \"remote_second_opinion\": must be true or false"},
	    {"{\"remote_second_opinion\": 1}",
	     "field \"remote_second_opinion\": must be true or false"},
	    {"{\"international_contact\": \"a@example.jp\"}",
	     "field \"international_contact\": must be an object {email, "
	     "phone}"},
	    {"{\"international_contact\": {\"phone\": 888373000}}",
	     "field \"international_contact.phone\": must be a string"},
	    {"{\"schema_version\": 2}", "field \"schema_version\": must be 1"},
	    {"{\"schema_version\": \"1\"}",
	     "field \"schema_version\": must be 1"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("  %s\n", cases[i].json);
		expect_refused(cases[i].json, cases[i].problem);
	}
}

static void
test_unknown_fields(void **state)
{
	static const struct {
		const char *json, *problem;
	} cases[] = {
	    {"{\"bedz\": 620}", "field \"bedz\": unknown field"},
	    {"{\"Beds\": 620}", "field \"Beds\": unknown field"},
	    {"{\"name\": {\"ja\": \"高知\", \"fr\": \"Kochi\"}}",
	     "field \"name.fr\": unknown field"},
	    {"{\"location\": {\"lat\": 33, \"lon\": 133, \"alt\": 5}}",
	     "field \"location.alt\": unknown field"},
	    {"{\"accreditations\": [{\"scheme\": \"JCI\", \"expiry\": "
	     "\"2028-03-31\"}]}",
	     "field \"accreditations[0].expiry\": unknown field"},
	    {"{\"price_bands\": [{\"service\": \"pet_ct\", \"min_jpy\": 1, "
	     "\"max_jpy\": 2, \"currency\": \"JPY\"}]}",
	     "field \"price_bands[0].currency\": unknown field"},
	    {"{\"international_contact\": {\"email\": \"a@b\", \"fax\": "
	     "\"088\"}}",
	     "field \"international_contact.fax\": unknown field"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		print_message("  %s\n", cases[i].json);
		expect_refused(cases[i].json, cases[i].problem);
	}
}

/* Every shape problem is reported in one pass. */
static void
test_all_problems_reported(void **state)
{
	ibx_problems p;

	(void)state;
	expect_refused_n(
	    "{\"bedz\": 1, \"beds\": \"x\", \"languages\": "
	    "\"ja\"}",
	    strlen("{\"bedz\": 1, \"beds\": \"x\", \"languages\": "
		   "\"ja\"}"),
	    &p);
	if (ibx_problems_count(&p) != 3)
		show_problems(&p);
	assert_int_equal(ibx_problems_count(&p), 3);
	assert_true(has_problem(&p, "field \"bedz\": unknown field"));
	assert_true(has_problem(
	    &p, "field \"beds\": must be a whole number, 0 or more"));
	assert_true(has_problem(
	    &p, "field \"languages\": must be an array of strings"));
	ibx_problems_fini(&p);
}

static void
test_duplicate_keys(void **state)
{
	static const char *const cases[] = {
	    "{\"beds\": 620, \"beds\": 621}",
	    "{\"name\": {\"ja\": \"高知\", \"ja\": \"土佐\"}}",
	};
	ibx_problems p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		expect_refused_n(cases[i], strlen(cases[i]), &p);
		assert_int_equal(ibx_problems_count(&p), 1);
		assert_non_null(strstr(p.items[0], "duplicate"));
		ibx_problems_fini(&p);
	}
	expect_refused_prefix(cases[0], strlen(cases[0]),
			      "field \"(file)\": not JSON: line 1 column ");
}

static void
test_not_json(void **state)
{
	static const char trailing_comma[] = "{\n"
					     "  \"beds\": 620,\n"
					     "  \"languages\": [\"ja\",]\n"
					     "}\n";
	static const char unterminated[] = "{\n  \"beds\": 620\n";

	(void)state;
	expect_refused_prefix(trailing_comma, strlen(trailing_comma),
			      "field \"(file)\": not JSON: line 3 column ");
	expect_refused_prefix(unterminated, strlen(unterminated),
			      "field \"(file)\": not JSON: line ");
	expect_refused_prefix("", 0, "field \"(file)\": not JSON: ");
	expect_refused_prefix("beds: 620", 9, "field \"(file)\": not JSON: ");
	/* A whole listing followed by more text. */
	expect_refused_prefix("{} {}", 5, "field \"(file)\": not JSON: ");
}

static void
test_not_an_object(void **state)
{
	ibx_problems p;

	(void)state;
	expect_refused("[]", "field \"(file)\": must be a JSON object");
	expect_refused("[{\"beds\": 620}]",
		       "field \"(file)\": must be a JSON object");
	/* A bare scalar is refused one way or another. */
	expect_refused_n("42", 2, &p);
	assert_int_equal(ibx_problems_count(&p), 1);
	assert_non_null(strstr(p.items[0], "field \"(file)\": "));
	ibx_problems_fini(&p);
	expect_refused_n("\"3910118128\"", 12, &p);
	assert_int_equal(ibx_problems_count(&p), 1);
	ibx_problems_fini(&p);
}

/* A NUL inside a string would cut the value short where C reads it; it is
 * refused whether escaped or raw. */
static void
test_nul_in_strings(void **state)
{
	static const char escaped[] =
	    "{\"organisation_code\": \"3910118128\\u0000x\"}";
	static const char in_array[] = "{\"languages\": [\"ja\\u0000\"]}";
	static const char raw[] = "{\"organisation_code\": \"39\0"
				  "10110437\"}";
	ibx_problems p;

	(void)state;
	expect_refused_n(escaped, strlen(escaped), &p);
	assert_int_equal(ibx_problems_count(&p), 1);
	ibx_problems_fini(&p);
	expect_refused_n(in_array, strlen(in_array), &p);
	assert_int_equal(ibx_problems_count(&p), 1);
	ibx_problems_fini(&p);
	expect_refused_n(raw, sizeof(raw) - 1, &p);
	assert_int_equal(ibx_problems_count(&p), 1);
	ibx_problems_fini(&p);
}

static void
test_too_big(void **state)
{
	size_t len = IBX_LISTING_JSON_MAX + 1;
	char *text = malloc(len);
	ibx_listing *l = &untouched;
	ibx_problems p;

	(void)state;
	assert_non_null(text);
	memset(text, ' ', len);
	text[0] = '{';
	text[len - 1] = '}';
	ibx_problems_init(&p);
	assert_int_equal(ibx_listing_from_json(text, len, &p, &l),
			 IBX_ETOOBIG);
	assert_ptr_equal(l, &untouched);
	assert_int_equal(ibx_problems_count(&p), 1);
	assert_string_equal(p.items[0],
			    "field \"(file)\": larger than 1048576 bytes");
	ibx_problems_fini(&p);
	/* One byte less is read. */
	l = NULL;
	assert_int_equal(ibx_listing_from_json(text + 1, len - 1, &p, &l),
			 IBX_EINVAL); /* no opening brace left */
	ibx_problems_fini(&p);
	text[1] = '{';
	assert_int_equal(ibx_listing_from_json(text + 1, len - 1, &p, &l),
			 IBX_OK);
	ibx_listing_free(l);
	ibx_problems_fini(&p);
	free(text);
}

/* listing -> JSON -> listing gives the same listing. */
static void
round_trip(const ibx_listing *l)
{
	ibx_listing *back = NULL;
	ibx_problems p;
	char *json = NULL;

	assert_int_equal(ibx_listing_to_json(l, &json), IBX_OK);
	assert_non_null(json);
	ibx_problems_init(&p);
	if (ibx_listing_from_json(json, strlen(json), &p, &back) != IBX_OK) {
		show_problems(&p);
		fail_msg("written JSON not read back: %s", json);
	}
	assert_listing_equal(back, l);
	ibx_listing_free(back);
	free(json);
}

static void
test_round_trip_example(void **state)
{
	ibx_listing *l = fixture_example();

	(void)state;
	round_trip(l);
	ibx_listing_free(l);
}

static void
test_round_trip_minimal(void **state)
{
	ibx_listing *l = fixture_minimal();

	(void)state;
	round_trip(l); /* beds -1, no location, empty lists */
	l->beds = 0;
	l->has_location = true;
	l->lat = 20.0;
	l->lon = 154.0;
	fixture_add_accreditation(l, "JCI", NULL);
	fixture_add_price_band(l, "consultation", 0, 0);
	fixture_set(&l->contact_phone, "088 837 3000");
	round_trip(l);
	ibx_listing_free(l);
}

static void
test_round_trip_unicode_and_escapes(void **state)
{
	ibx_listing *l = fixture_example();

	(void)state;
	fixture_set(&l->name_en, "St. \"Luke's\" \\ Hospital\t/");
	fixture_set(&l->address, "北海道札幌市中央区北1条西2丁目 😀");
	l->price_bands[0].max_jpy = 1000000000;
	round_trip(l);
	ibx_listing_free(l);
}

/* The national list's fields: names in six more languages, readings,
 * name_en_source, geocode_level, receives_foreign_patients (false too). */
static void
test_round_trip_national(void **state)
{
	ibx_listing *l = fixture_example();

	(void)state;
	fixture_national(l);
	round_trip(l);
	l->receives_foreign_patients = 1;
	round_trip(l);
	ibx_listing_free(l);
}

/* A listing written before the national fields reads as "not given"; a
 * name language outside the list and a non-boolean answer are refused. */
static void
test_national_fields_shapes(void **state)
{
	ibx_listing *l;

	(void)state;
	l = parse_ok("{\"organisation_code\": \"3910118128\", \"name\": "
		     "{\"ja\": \"高知\"}, \"prefecture\": \"39\"}");
	assert_int_equal(l->receives_foreign_patients, -1);
	assert_null(l->names[5]);
	assert_null(l->geocode_level);
	ibx_listing_free(l);
	l = parse_ok("{\"name\": {\"ja\": \"高知\", \"ja-Latn\": "
		     "\"Kochi\", \"zh-Hans\": \"高知\"}, "
		     "\"receives_foreign_patients\": false}");
	assert_string_equal(l->names[5], "Kochi");
	assert_string_equal(l->names[0], "高知");
	assert_int_equal(l->receives_foreign_patients, 0);
	ibx_listing_free(l);
	expect_refused("{\"name\": {\"ja\": \"高知\", \"zh\": \"高知\"}}",
		       "field \"name.zh\": unknown field");
	expect_refused("{\"receives_foreign_patients\": \"yes\"}",
		       "field \"receives_foreign_patients\": must be true or "
		       "false");
	expect_refused("{\"geocode_level\": 3}",
		       "field \"geocode_level\": must be a string");
}

/* Written JSON is compact, in documented field order, and leaves absent
 * optional fields out. */
static void
test_to_json_shape(void **state)
{
	static const char *const order[] = {"\"schema_version\":1",
					    "\"organisation_code\"",
					    "\"name\"",
					    "\"prefecture\"",
					    "\"postal_code\"",
					    "\"address\"",
					    "\"location\"",
					    "\"beds\"",
					    "\"departments\"",
					    "\"treatments\"",
					    "\"languages\"",
					    "\"accreditations\"",
					    "\"accepts_countries\"",
					    "\"price_bands\"",
					    "\"remote_second_opinion\"",
					    "\"website\"",
					    "\"international_contact\"",
					    "\"confirmed_at\"",
					    "\"synthetic\""};
	static const char *const absent[] = {
	    "\"name\":{\"ja\":\"高知\",\"en\"",
	    "\"postal_code\"",
	    "\"address\"",
	    "\"location\"",
	    "\"beds\"",
	    "\"website\"",
	    "\"international_contact\"",
	    "\"confirmed_at\"",
	    "\"expires\""};
	static const char compact[] = "{\"schema_version\":1,"
				      "\"organisation_code\":\"3910118128\","
				      "\"name\":{";
	ibx_listing *l = fixture_example();
	char *json = NULL;
	const char *at, *prev = NULL;
	size_t i;

	(void)state;
	assert_int_equal(ibx_listing_to_json(l, &json), IBX_OK);
	if (strncmp(json, compact, strlen(compact)) != 0)
		fail_msg("not compact: %s", json);
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		at = strstr(json, order[i]);
		if (at == NULL || (prev != NULL && at <= prev))
			fail_msg("%s missing or out of order in %s", order[i],
				 json);
		prev = at;
	}
	free(json);
	ibx_listing_free(l);

	l = fixture_minimal();
	fixture_set(&l->name_ja, "高知");
	fixture_add_accreditation(l, "JCI", NULL);
	assert_int_equal(ibx_listing_to_json(l, &json), IBX_OK);
	assert_non_null(strstr(json, "\"name\":{\"ja\":\"高知\"}"));
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++)
		if (strstr(json, absent[i]) != NULL)
			fail_msg("%s written for an absent field: %s",
				 absent[i], json);
	free(json);
	ibx_listing_free(l);
}

/* What jansson's json_dumps wrote for the same fields, byte for byte
 * (taken from the build before ibx_listing_to_json wrote JSON itself):
 * escapes, text passed through, reals in %.10g with ".0" and short
 * exponents; text that is not UTF-8 and reals that are not finite are
 * refused as jansson refused them. */
static void
test_to_json_bytes(void **state)
{
	static const struct {
		double lat, lon;
		const char *want;
	} reals[] = {
	    {1e-7, 123456789012.5,
	     "\"location\":{\"lat\":1e-7,\"lon\":1."
	     "23456789e11}"},
	    {35.0, -0.0, "\"location\":{\"lat\":35.0,\"lon\":-0.0}"},
	    {32.699824, 130.689411,
	     "\"location\":{\"lat\":32.699824,\"lon\":130.689411}"},
	    {35.123456789012, 1e21,
	     "\"location\":{\"lat\":35.12345679,\"lon\":1e21}"},
	};
	static const char *const bad_utf8[] = {
	    "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
	    "\xe6\xbc", "\x80",		"\xf8\x88\x80\x80\x80"};
	ibx_listing *l;
	char *json = NULL;
	size_t i;

	(void)state;
	l = fixture_minimal();
	fixture_set(&l->name_en, "A \"quoted\" \\ back/slash\ttab\nnl\r\x01"
				 "\x1f\x7f é 漢字 😀");
	fixture_set(&l->address, "\xe2\x80\xa8 line sep \b\f");
	assert_int_equal(ibx_listing_to_json(l, &json), IBX_OK);
	if (strstr(json, "\"en\":\"A \\\"quoted\\\" \\\\ back/slash\\ttab\\nnl"
			 "\\r\\u0001\\u001F\x7f é 漢字 😀\"") == NULL ||
	    strstr(json, "\"address\":\"\xe2\x80\xa8 line sep \\b\\f\"") ==
		NULL)
		fail_msg("escapes not as jansson wrote them: %s", json);
	free(json);
	for (i = 0; i < sizeof(reals) / sizeof(reals[0]); i++) {
		l->has_location = true;
		l->lat = reals[i].lat;
		l->lon = reals[i].lon;
		assert_int_equal(ibx_listing_to_json(l, &json), IBX_OK);
		if (strstr(json, reals[i].want) == NULL)
			fail_msg("want %s in %s", reals[i].want, json);
		free(json);
	}
	l->lat = 0.0 / 0.0;
	json = NULL;
	assert_int_equal(ibx_listing_to_json(l, &json), IBX_ENOMEM);
	assert_null(json);
	l->has_location = false;
	for (i = 0; i < sizeof(bad_utf8) / sizeof(bad_utf8[0]); i++) {
		fixture_set(&l->address, bad_utf8[i]);
		assert_int_equal(ibx_listing_to_json(l, &json), IBX_ENOMEM);
		assert_null(json);
	}
	ibx_listing_free(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_example_file),
	    cmocka_unit_test(test_example_text),
	    cmocka_unit_test(test_load_missing_file),
	    cmocka_unit_test(test_absent_and_null_fields),
	    cmocka_unit_test(test_wrong_types),
	    cmocka_unit_test(test_unknown_fields),
	    cmocka_unit_test(test_round_trip_national),
	    cmocka_unit_test(test_national_fields_shapes),
	    cmocka_unit_test(test_all_problems_reported),
	    cmocka_unit_test(test_duplicate_keys),
	    cmocka_unit_test(test_not_json),
	    cmocka_unit_test(test_not_an_object),
	    cmocka_unit_test(test_nul_in_strings),
	    cmocka_unit_test(test_too_big),
	    cmocka_unit_test(test_round_trip_example),
	    cmocka_unit_test(test_round_trip_minimal),
	    cmocka_unit_test(test_round_trip_unicode_and_escapes),
	    cmocka_unit_test(test_to_json_shape),
	    cmocka_unit_test(test_to_json_bytes),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
