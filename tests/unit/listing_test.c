/*
 * Unit tests of ibx_listing_check (proto/domain/listing_check.c): every rule
 * of docs/listing-format.md, each with a listing that keeps it and one that
 * breaks it.  A broken rule must give IBX_EINVAL and exactly one problem
 * whose text names the field path and the reason, since that text is what a
 * hospital reads to fix its file.  How listings are read from JSON or the
 * wire is left to listing_json_test.c and codec_test.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "problems.h"

#include "listing_fixture.h"

/* Print the problems found, so a failing count shows what was said. */
static void
show_problems(const ibx_problems *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		print_error("  problem: %s\n", p->items[i]);
}

static void
expect_ok(const ibx_listing *l)
{
	ibx_problems p;
	ibx_err rv;

	ibx_problems_init(&p);
	rv = ibx_listing_check(l, &p);
	if (rv != IBX_OK || ibx_problems_count(&p) != 0)
		show_problems(&p);
	assert_int_equal(rv, IBX_OK);
	assert_int_equal(ibx_problems_count(&p), 0);
	ibx_problems_fini(&p);
}

/* expect_one: the check refuses l with exactly one problem, 'problem'. */
static void
expect_one(const ibx_listing *l, const char *problem)
{
	ibx_problems p;
	ibx_err rv;

	ibx_problems_init(&p);
	rv = ibx_listing_check(l, &p);
	if (ibx_problems_count(&p) != 1)
		show_problems(&p);
	assert_int_equal(rv, IBX_EINVAL);
	assert_int_equal(ibx_problems_count(&p), 1);
	assert_string_equal(p.items[0], problem);
	ibx_problems_fini(&p);
}

/* expect_one_prefix: as expect_one, for rules whose reason text is not
 * settled yet; the field path must still be named. */
static void
expect_one_prefix(const ibx_listing *l, const char *prefix)
{
	ibx_problems p;
	ibx_err rv;

	ibx_problems_init(&p);
	rv = ibx_listing_check(l, &p);
	if (ibx_problems_count(&p) != 1)
		show_problems(&p);
	assert_int_equal(rv, IBX_EINVAL);
	assert_int_equal(ibx_problems_count(&p), 1);
	if (strncmp(p.items[0], prefix, strlen(prefix)) != 0)
		fail_msg("problem \"%s\" does not start with \"%s\"",
			 p.items[0], prefix);
	ibx_problems_fini(&p);
}

/* A string of n copies of c. */
static char *
repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	assert_non_null(s);
	memset(s, c, n);
	s[n] = '\0';
	return (s);
}

static int
setup_example(void **state)
{
	*state = fixture_example();
	return (0);
}

static int
teardown_listing(void **state)
{
	ibx_listing_free(*state);
	return (0);
}

static void
test_example_is_valid(void **state)
{
	expect_ok(*state);
}

static void
test_minimal_is_valid(void **state)
{
	ibx_listing *l = fixture_minimal();

	(void)state;
	assert_int_equal(l->beds, -1);
	expect_ok(l);
	ibx_listing_free(l);
}

static void
test_check_appends_to_problems(void **state)
{
	ibx_listing *l = *state;
	ibx_problems p;

	/* Problems already in the list are not this listing's. */
	ibx_problems_init(&p);
	ibx_problems_add(&p, "earlier", "found before");
	assert_int_equal(ibx_listing_check(l, &p), IBX_OK);
	assert_int_equal(ibx_problems_count(&p), 1);
	l->beds = 5001;
	assert_int_equal(ibx_listing_check(l, &p), IBX_EINVAL);
	assert_int_equal(ibx_problems_count(&p), 2);
	assert_string_equal(p.items[0], "field \"earlier\": found before");
	assert_string_equal(p.items[1], "field \"beds\": must be 0 to 5000");
	ibx_problems_fini(&p);
}

static void
test_organisation_code(void **state)
{
	ibx_listing *l = *state;

	fixture_set(&l->organisation_code, NULL);
	expect_one(l, "field \"organisation_code\": is required");
	fixture_set(&l->organisation_code, "391011043");
	expect_one(l, "field \"organisation_code\": must be 10 digits "
		      "(prefecture, 1, institution code)");
	fixture_set(&l->organisation_code, "39101181280");
	expect_one(l, "field \"organisation_code\": must be 10 digits "
		      "(prefecture, 1, institution code)");
	fixture_set(&l->organisation_code, "391011043a");
	expect_one(l, "field \"organisation_code\": must be 10 digits "
		      "(prefecture, 1, institution code)");
	fixture_set(&l->organisation_code, "39-1011043");
	expect_one(l, "field \"organisation_code\": must be 10 digits "
		      "(prefecture, 1, institution code)");
	fixture_set(&l->organisation_code, "");
	expect_one(l, "field \"organisation_code\": must be 10 digits "
		      "(prefecture, 1, institution code)");
	fixture_set(&l->organisation_code, "3910118128");
	expect_ok(l);
}

static void
test_organisation_code_prefecture_prefix(void **state)
{
	ibx_listing *l = *state;

	/* Hokkaido's code in a Kochi listing. */
	fixture_set(&l->organisation_code, "0110110437");
	expect_one(l, "field \"organisation_code\": does not start with "
		      "the prefecture code 39");
	fixture_set(&l->prefecture, "01");
	expect_ok(l);
	fixture_set(&l->organisation_code, "4710110437");
	fixture_set(&l->prefecture, "47");
	expect_ok(l);
}

/* docs/listing-format.md: digit 3 is the score table, 1 (medical).  A
 * dental (3) or pharmacy (4) code is not a hospital's. */
static void
test_organisation_code_score_table(void **state)
{
	ibx_listing *l = *state;

	fixture_set(&l->organisation_code, "3930110437");
	expect_one_prefix(l, "field \"organisation_code\": ");
	fixture_set(&l->organisation_code, "3940110437");
	expect_one_prefix(l, "field \"organisation_code\": ");
}

static void
test_prefecture(void **state)
{
	ibx_listing *l = *state;

	fixture_set(&l->prefecture, NULL);
	expect_one(l, "field \"prefecture\": is required");
	/* An unknown prefecture is one problem, not also a mismatch. */
	fixture_set(&l->prefecture, "48");
	expect_one(l,
		   "field \"prefecture\": unknown JIS X 0401 code (01 to 47)");
	fixture_set(&l->organisation_code, "4810110437");
	expect_one(l,
		   "field \"prefecture\": unknown JIS X 0401 code (01 to 47)");
	fixture_set(&l->organisation_code, "0010110437");
	fixture_set(&l->prefecture, "00");
	expect_one(l,
		   "field \"prefecture\": unknown JIS X 0401 code (01 to 47)");
	fixture_set(&l->organisation_code, "3910118128");
	fixture_set(&l->prefecture, "");
	expect_one(l,
		   "field \"prefecture\": unknown JIS X 0401 code (01 to 47)");
	fixture_set(&l->prefecture, "Kochi");
	expect_one(l,
		   "field \"prefecture\": unknown JIS X 0401 code (01 to 47)");
}

static void
test_name_ja(void **state)
{
	ibx_listing *l = *state;
	/* 66 three-byte kanji and two ASCII letters: 200 bytes. */
	char name[256] = "";
	size_t i;

	fixture_set(&l->name_ja, NULL);
	expect_one(l, "field \"name.ja\": is required");
	fixture_set(&l->name_ja, "");
	expect_one(l, "field \"name.ja\": is required");
	for (i = 0; i < 66; i++)
		strcat(name, "高");
	strcat(name, "ab");
	assert_int_equal(strlen(name), 200);
	fixture_set(&l->name_ja, name);
	expect_ok(l);
	strcat(name, "c");
	fixture_set(&l->name_ja, name);
	expect_one(l, "field \"name.ja\": longer than 200 bytes");
	fixture_set(&l->name_ja, "高知\xff");
	expect_one(l, "field \"name.ja\": is not valid UTF-8 text");
	fixture_set(&l->name_ja, "\xe9\xab"); /* 高 cut short */
	expect_one(l, "field \"name.ja\": is not valid UTF-8 text");
	fixture_set(&l->name_ja, "\xc0\xaf"); /* overlong '/' */
	expect_one(l, "field \"name.ja\": is not valid UTF-8 text");
	fixture_set(&l->name_ja, "高知\n医療");
	expect_one(l, "field \"name.ja\": is not valid UTF-8 text");
}

static void
test_name_en_and_address(void **state)
{
	ibx_listing *l = *state;
	char *s;

	fixture_set(&l->name_en, NULL);
	expect_ok(l);
	s = repeat('a', 200);
	fixture_set(&l->name_en, s);
	free(s);
	expect_ok(l);
	s = repeat('a', 201);
	fixture_set(&l->name_en, s);
	free(s);
	expect_one(l, "field \"name.en\": longer than 200 bytes");
	fixture_set(&l->name_en, "Kochi\x1b[31m");
	expect_one(l, "field \"name.en\": is not valid UTF-8 text");
	fixture_set(&l->name_en, "Kochi Health Sciences Center");

	fixture_set(&l->address, NULL);
	expect_ok(l);
	s = repeat('a', 400);
	fixture_set(&l->address, s);
	free(s);
	expect_ok(l);
	s = repeat('a', 401);
	fixture_set(&l->address, s);
	free(s);
	expect_one(l, "field \"address\": longer than 400 bytes");
	fixture_set(&l->address, "高知市\xed\xa0\x80"); /* a surrogate */
	expect_one(l, "field \"address\": is not valid UTF-8 text");
}

static void
test_postal_code(void **state)
{
	static const char *const bad[] = {
	    "781-8555",	      "781855", "78185550", "781855a",
	    "７８１８５５５", "",	" 7818555"};
	ibx_listing *l = *state;
	size_t i;

	fixture_set(&l->postal_code, NULL);
	expect_ok(l);
	fixture_set(&l->postal_code, "0600001");
	expect_ok(l);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fixture_set(&l->postal_code, bad[i]);
		expect_one(l,
			   "field \"postal_code\": must be 7 digits without "
			   "a hyphen");
	}
}

static void
test_location(void **state)
{
	ibx_listing *l = *state;
	ibx_problems p;

	l->has_location = false;
	l->lat = 48.8566; /* ignored while has_location is false */
	expect_ok(l);
	l->has_location = true;
	l->lat = 20.0;
	l->lon = 122.0;
	expect_ok(l);
	l->lat = 46.0;
	l->lon = 154.0;
	expect_ok(l);
	l->lat = 19.5;
	expect_one(l, "field \"location.lat\": 19.500000 is outside Japan "
		      "(20 to 46)");
	l->lat = 46.5;
	expect_one(l, "field \"location.lat\": 46.500000 is outside Japan "
		      "(20 to 46)");
	l->lat = 95.0; /* not even a latitude */
	expect_one(l, "field \"location.lat\": 95.000000 is outside Japan "
		      "(20 to 46)");
	l->lat = 33.5478;
	l->lon = 121.5;
	expect_one(l, "field \"location.lon\": 121.500000 is outside Japan "
		      "(122 to 154)");
	l->lon = -133.5876; /* the sign lost */
	expect_one(l, "field \"location.lon\": -133.587600 is outside Japan "
		      "(122 to 154)");
	l->lon = NAN;
	expect_one_prefix(l, "field \"location.lon\": ");

	/* Paris: both coordinates named. */
	l->lat = 48.8566;
	l->lon = 2.3522;
	ibx_problems_init(&p);
	assert_int_equal(ibx_listing_check(l, &p), IBX_EINVAL);
	assert_int_equal(ibx_problems_count(&p), 2);
	assert_string_equal(p.items[0], "field \"location.lat\": 48.856600 "
					"is outside Japan (20 to 46)");
	assert_string_equal(p.items[1], "field \"location.lon\": 2.352200 "
					"is outside Japan (122 to 154)");
	ibx_problems_fini(&p);
}

static void
test_beds(void **state)
{
	ibx_listing *l = *state;

	l->beds = -1; /* not given */
	expect_ok(l);
	l->beds = 0;
	expect_ok(l);
	l->beds = 5000;
	expect_ok(l);
	l->beds = 5001;
	expect_one(l, "field \"beds\": must be 0 to 5000");
	l->beds = -2;
	expect_one(l, "field \"beds\": must be 0 to 5000");
	l->beds = INT32_MAX;
	expect_one(l, "field \"beds\": must be 0 to 5000");
	l->beds = INT32_MIN;
	expect_one(l, "field \"beds\": must be 0 to 5000");
}

static void
test_departments(void **state)
{
	ibx_listing *l = *state;

	ibx_strv_fini(&l->departments);
	expect_ok(l);
	fixture_push(&l->departments, "01001");
	fixture_push(&l->departments, "99999");
	expect_one(l, "field \"departments[1]\": unknown national "
		      "department code \"99999\"");
	ibx_strv_fini(&l->departments);
	fixture_push(&l->departments, "1001");
	expect_one(l, "field \"departments[0]\": unknown national "
		      "department code \"1001\"");
	ibx_strv_fini(&l->departments);
	fixture_push(&l->departments, "01001");
	fixture_push(&l->departments, "01003");
	fixture_push(&l->departments, "01001");
	expect_one(l, "field \"departments[2]\": repeats \"01001\" (first "
		      "at [0])");
}

/* docs/listing-format.md: at most 200 departments.  There are fewer
 * codes than that, so 201 entries also repeat; the count is its own
 * problem. */
static void
test_departments_at_most_200(void **state)
{
	ibx_listing *l = *state;
	ibx_problems p;
	size_t i;
	bool found = false;

	ibx_strv_fini(&l->departments);
	for (i = 0; i < 201; i++)
		fixture_push(&l->departments, "01001");
	ibx_problems_init(&p);
	assert_int_equal(ibx_listing_check(l, &p), IBX_EINVAL);
	for (i = 0; i < p.n; i++)
		if (strcmp(p.items[i], "field \"departments\": more than 200 "
				       "entries") == 0)
			found = true;
	assert_true(found);
	ibx_problems_fini(&p);
}

static void
test_treatments(void **state)
{
	ibx_listing *l = *state;

	ibx_strv_fini(&l->treatments);
	fixture_push(&l->treatments, "proton_therapy");
	fixture_push(&l->treatments, "traditional_kampo");
	expect_ok(l);
	fixture_push(&l->treatments, "teleportation");
	expect_one(l, "field \"treatments[2]\": unknown treatment code "
		      "\"teleportation\"");
	ibx_strv_fini(&l->treatments);
	/* A price band service, not a treatment. */
	fixture_push(&l->treatments, "consultation");
	expect_one(l, "field \"treatments[0]\": unknown treatment code "
		      "\"consultation\"");
	ibx_strv_fini(&l->treatments);
	fixture_push(&l->treatments, "Proton_therapy");
	expect_one(l, "field \"treatments[0]\": unknown treatment code "
		      "\"Proton_therapy\"");
	ibx_strv_fini(&l->treatments);
	fixture_push(&l->treatments, "bnct");
	fixture_push(&l->treatments, "bnct");
	expect_one(l,
		   "field \"treatments[1]\": repeats \"bnct\" (first at [0])");
}

static void
test_languages(void **state)
{
	ibx_listing *l = *state;

	ibx_strv_fini(&l->languages);
	fixture_push(&l->languages, "ja");
	fixture_push(&l->languages, "xx");
	expect_one(l, "field \"languages[1]\": unknown ISO 639-1 code \"xx\"");
	ibx_strv_fini(&l->languages);
	fixture_push(&l->languages, "EN");
	expect_one(l, "field \"languages[0]\": unknown ISO 639-1 code \"EN\"");
	ibx_strv_fini(&l->languages);
	fixture_push(&l->languages, "eng"); /* ISO 639-2 */
	expect_one(l,
		   "field \"languages[0]\": unknown ISO 639-1 code \"eng\"");
	ibx_strv_fini(&l->languages);
	fixture_push(&l->languages, "ja");
	fixture_push(&l->languages, "en");
	fixture_push(&l->languages, "ja");
	expect_one(l, "field \"languages[2]\": repeats \"ja\" (first at [0])");
	ibx_strv_fini(&l->languages);
	/* A code with a control byte is quoted, not copied raw. */
	fixture_push(&l->languages, "j\x1b");
	expect_one(l, "field \"languages[0]\": unknown ISO 639-1 code "
		      "\"j\\x1b\"");
}

/* docs/listing-format.md: languages, "no repeats, at most 50". */
static void
test_languages_at_most_50(void **state)
{
	static const char *const codes[] = {
	    "aa", "ab", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az",
	    "ba", "be", "bg", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce",
	    "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz",
	    "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj",
	    "fo", "fr", "fy", "ga", "gd", "gl", "gn"};
	ibx_listing *l = *state;
	size_t i;

	assert_int_equal(sizeof(codes) / sizeof(codes[0]), 51);
	ibx_strv_fini(&l->languages);
	for (i = 0; i < 50; i++)
		fixture_push(&l->languages, codes[i]);
	expect_ok(l);
	fixture_push(&l->languages, codes[50]);
	expect_one_prefix(l, "field \"languages\": ");
}

static void
test_accepts_countries(void **state)
{
	ibx_listing *l = *state;

	ibx_strv_fini(&l->accepts_countries);
	fixture_push(&l->accepts_countries, "JP");
	fixture_push(&l->accepts_countries, "CN");
	expect_ok(l);
	fixture_push(&l->accepts_countries, "cn");
	expect_one(l, "field \"accepts_countries[2]\": unknown ISO 3166-1 "
		      "alpha-2 code \"cn\"");
	ibx_strv_fini(&l->accepts_countries);
	fixture_push(&l->accepts_countries, "UK"); /* GB is the code */
	expect_one(l, "field \"accepts_countries[0]\": unknown ISO 3166-1 "
		      "alpha-2 code \"UK\"");
	ibx_strv_fini(&l->accepts_countries);
	fixture_push(&l->accepts_countries, "CHN"); /* alpha-3 */
	expect_one(l, "field \"accepts_countries[0]\": unknown ISO 3166-1 "
		      "alpha-2 code \"CHN\"");
	ibx_strv_fini(&l->accepts_countries);
	fixture_push(&l->accepts_countries, "VN");
	fixture_push(&l->accepts_countries, "CN");
	fixture_push(&l->accepts_countries, "VN");
	expect_one(l, "field \"accepts_countries[2]\": repeats \"VN\" "
		      "(first at [0])");
}

static void
test_accreditations(void **state)
{
	ibx_listing *l = *state;
	ibx_accreditation *a = &l->accreditations[0];

	fixture_set(&a->expires, NULL); /* does not expire */
	expect_ok(l);
	fixture_add_accreditation(l, "JCI", "2027-12-31");
	fixture_add_accreditation(l, "JIH", NULL);
	expect_ok(l);
	fixture_set(&l->accreditations[1].scheme, "ISO");
	expect_one(l, "field \"accreditations[1].scheme\": unknown scheme "
		      "(JMIP, JIH or JCI)");
	fixture_set(&l->accreditations[1].scheme, "jci");
	expect_one(l, "field \"accreditations[1].scheme\": unknown scheme "
		      "(JMIP, JIH or JCI)");
	fixture_set(&l->accreditations[1].scheme, NULL);
	expect_one(l, "field \"accreditations[1].scheme\": unknown scheme "
		      "(JMIP, JIH or JCI)");
	fixture_set(&l->accreditations[1].scheme, "JCI");
	expect_ok(l);
}

static void
test_accreditation_expiry_dates(void **state)
{
	static const char *const good[] = {"2024-02-29", "2000-02-29",
					   "2028-03-31", "2027-12-31",
					   "2027-01-01"};
	static const char *const bad[] = {
	    "2023-02-29",  "1900-02-29", "2100-02-29", "2028-04-31",
	    "2028-02-30",  "2028-13-01", "2028-00-10", "2028-03-00",
	    "2028-3-31",   "28-03-31",	 "2028/03/31", "20280331",
	    "2028-03-31Z", "",		 "2028-0a-31"};
	ibx_listing *l = *state;
	ibx_accreditation *a = &l->accreditations[0];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		fixture_set(&a->expires, good[i]);
		expect_ok(l);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fixture_set(&a->expires, bad[i]);
		expect_one(l, "field \"accreditations[0].expires\": is not "
			      "a YYYY-MM-DD date");
	}
}

static void
test_price_bands(void **state)
{
	ibx_listing *l = *state;
	ibx_price_band *b = &l->price_bands[0];

	b->min_jpy = 900000;
	b->max_jpy = 500000;
	expect_one(l, "field \"price_bands[0]\": min_jpy 900000 is greater "
		      "than max_jpy 500000");
	b->min_jpy = b->max_jpy = 500000;
	expect_ok(l);
	b->min_jpy = b->max_jpy = 0;
	expect_ok(l);
	b->min_jpy = 0;
	b->max_jpy = 1000000000;
	expect_ok(l);
	b->max_jpy = 1000000001;
	expect_one(l, "field \"price_bands[0]\": max_jpy over 1000000000 JPY");
	b->max_jpy = INT64_MAX;
	expect_one(l, "field \"price_bands[0]\": max_jpy over 1000000000 JPY");
	b->min_jpy = -1;
	b->max_jpy = 100;
	expect_one(l,
		   "field \"price_bands[0]\": amounts must not be negative");
	b->min_jpy = 0;
	b->max_jpy = 900000;

	/* The second band, so the index is the right one. */
	l->price_bands[1].min_jpy = -50000;
	l->price_bands[1].max_jpy = -10000;
	expect_one(l,
		   "field \"price_bands[1]\": amounts must not be negative");
	l->price_bands[1].min_jpy = 50000;
	l->price_bands[1].max_jpy = 120000;
	expect_ok(l);
}

/* Each problem also has its reason's stable code and values, for pages
 * in other languages (spoke/web/page/i18n.js); the English text stays. */
static void
test_problem_codes(void **state)
{
	ibx_listing *l = *state;
	ibx_problems p;

	l->price_bands[0].min_jpy = 350000;
	l->price_bands[0].max_jpy = 100;
	l->lat = 48.8566;
	ibx_problems_init(&p);
	assert_int_equal(ibx_listing_check(l, &p), IBX_EINVAL);
	assert_int_equal(ibx_problems_count(&p), 2);
	assert_string_equal(p.fields[0], "location.lat");
	assert_string_equal(p.codes[0], "lat_outside");
	assert_string_equal(p.args[0][0], "48.856600");
	assert_null(p.args[0][1]);
	assert_string_equal(p.items[1], "field \"price_bands[0]\": min_jpy "
					"350000 is greater than max_jpy 100");
	assert_string_equal(p.fields[1], "price_bands[0]");
	assert_string_equal(p.codes[1], "price_min_over_max");
	assert_string_equal(p.args[1][0], "350000");
	assert_string_equal(p.args[1][1], "100");
	assert_null(p.args[1][2]);
	ibx_problems_fini(&p);

	/* Every conversion our reasons use; a plain problem has no code. */
	ibx_problems_init(&p);
	ibx_problems_addc(&p, "f", "x", "%s %zu %d %lld %llu %c %.2f%%", "a",
			  (size_t)7, -3, -4LL, 5ULL, 'q', 1.5);
	ibx_problems_add(&p, "g", "plain %d", 1);
	/* A precision bounds a %s: the bytes after it are never read. */
	ibx_problems_addc(&p, "h", "y", "%.3s!",
			  (const char[]){'C', '1', '6', '9'});
	assert_string_equal(p.items[0], "field \"f\": a 7 -3 -4 5 q 1.50%");
	assert_string_equal(p.args[0][0], "a");
	assert_string_equal(p.args[0][1], "7");
	assert_string_equal(p.args[0][2], "-3");
	assert_string_equal(p.args[0][3], "-4"); /* the first four kept */
	assert_null(p.codes[1]);
	assert_null(p.args[1][0]);
	assert_string_equal(p.items[1], "field \"g\": plain 1");
	assert_string_equal(p.items[2], "field \"h\": C16!");
	assert_string_equal(p.args[2][0], "C16");
	ibx_problems_fini(&p);
}

static void
test_price_band_services(void **state)
{
	static const char *const good[] = {"consultation", "second_opinion",
					   "pet_ct", "proton_therapy"};
	ibx_listing *l = *state;
	ibx_price_band *b = &l->price_bands[1];
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		fixture_set(&b->service, good[i]);
		expect_ok(l);
	}
	fixture_set(&b->service, "massage");
	expect_one(l, "field \"price_bands[1].service\": unknown service (a "
		      "treatment code, consultation or second_opinion)");
	fixture_set(&b->service, NULL);
	expect_one(l, "field \"price_bands[1].service\": unknown service (a "
		      "treatment code, consultation or second_opinion)");
	fixture_set(&b->service, "Consultation");
	expect_one(l, "field \"price_bands[1].service\": unknown service (a "
		      "treatment code, consultation or second_opinion)");
}

static void
test_website(void **state)
{
	static const char *const good[] = {
	    "https://www2.khsc.or.jp/", "http://a",
	    "https://example.jp/path?q=1#top", "http://例え.jp/"};
	ibx_listing *l = *state;
	char *s;
	size_t i;

	fixture_set(&l->website, NULL);
	expect_ok(l);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		fixture_set(&l->website, good[i]);
		expect_ok(l);
	}
	fixture_set(&l->website, "ftp://example.jp/");
	expect_one(l, "field \"website\": must start with http:// or "
		      "https://");
	fixture_set(&l->website, "www.khsc.or.jp");
	expect_one(l, "field \"website\": must start with http:// or "
		      "https://");
	fixture_set(&l->website, "javascript:alert(1)");
	expect_one(l, "field \"website\": must start with http:// or "
		      "https://");
	fixture_set(&l->website, "https://");
	expect_one(l, "field \"website\": has no host");
	fixture_set(&l->website, "http://");
	expect_one(l, "field \"website\": has no host");
	fixture_set(&l->website, "https://www.khsc .or.jp/");
	expect_one(l, "field \"website\": contains a space or control "
		      "character");
	fixture_set(&l->website, "https://www.khsc.or.jp/\t");
	expect_one(l, "field \"website\": contains a space or control "
		      "character");
	fixture_set(&l->website, "https://www.khsc.or.jp/\x7f");
	expect_one(l, "field \"website\": contains a space or control "
		      "character");
	/* 500 bytes in all is the most. */
	s = repeat('a', 500);
	memcpy(s, "https://", 8);
	fixture_set(&l->website, s);
	free(s);
	expect_ok(l);
	s = repeat('a', 501);
	memcpy(s, "https://", 8);
	fixture_set(&l->website, s);
	free(s);
	expect_one(l, "field \"website\": longer than 500 bytes");
}

/* An authority with no host after the scheme is a URL with no host. */
static void
test_website_empty_host(void **state)
{
	ibx_listing *l = *state;

	fixture_set(&l->website, "https:///index.html");
	expect_one(l, "field \"website\": has no host");
}

static void
test_email(void **state)
{
	static const char *const bad[] = {"international.example.jp",
					  "@example.jp",
					  "international@",
					  "a@b@example.jp",
					  "inter national@example.jp",
					  "<a@example.jp>",
					  "\"a\"@example.jp",
					  "a@example.jp\n",
					  ""};
	ibx_listing *l = *state;
	char *s;
	size_t i;

	fixture_set(&l->contact_email, NULL);
	expect_ok(l);
	fixture_set(&l->contact_email, "a@b");
	expect_ok(l);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fixture_set(&l->contact_email, bad[i]);
		expect_one(l, "field \"international_contact.email\": is not "
			      "an email address");
	}
	s = repeat('a', 200);
	s[100] = '@';
	fixture_set(&l->contact_email, s);
	free(s);
	expect_ok(l);
	s = repeat('a', 201);
	s[100] = '@';
	fixture_set(&l->contact_email, s);
	free(s);
	expect_one(l, "field \"international_contact.email\": longer than "
		      "200 bytes");
}

static void
test_phone(void **state)
{
	static const char *const good[] = {"+81-88-837-3000", "088 837 3000",
					   "(088) 837-3000", "0888373000"};
	static const char *const bad[] = {"088.837.3000", "tel:+81888373000",
					  "088-837-3000 ext 12",
					  "０８８８３７３０００", "088/837"};
	ibx_listing *l = *state;
	char *s;
	size_t i;

	fixture_set(&l->contact_phone, NULL);
	expect_ok(l);
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		fixture_set(&l->contact_phone, good[i]);
		expect_ok(l);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fixture_set(&l->contact_phone, bad[i]);
		expect_one(l,
			   "field \"international_contact.phone\": may hold "
			   "only digits, spaces and + - ( )");
	}
	s = repeat('1', 40);
	fixture_set(&l->contact_phone, s);
	free(s);
	expect_ok(l);
	s = repeat('1', 41);
	fixture_set(&l->contact_phone, s);
	free(s);
	expect_one(l, "field \"international_contact.phone\": longer than 40 "
		      "bytes");
}

static void
test_confirmed_at(void **state)
{
	static const char *const bad[] = {
	    "2026-13-01", "2026-11-1",	      "2026-11-31", "20261101",
	    "2023-02-29", "2026-11-01T09:00", "yesterday"};
	ibx_listing *l = *state;
	size_t i;

	fixture_set(&l->confirmed_at, NULL);
	expect_ok(l);
	fixture_set(&l->confirmed_at, "2024-02-29");
	expect_ok(l);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		fixture_set(&l->confirmed_at, bad[i]);
		expect_one(l,
			   "field \"confirmed_at\": is not a YYYY-MM-DD date");
	}
}

static void
test_synthetic(void **state)
{
	ibx_listing *l = *state;

	ibx_strv_fini(&l->synthetic);
	expect_ok(l);
	fixture_push(&l->synthetic, "name");
	fixture_push(&l->synthetic, "beds");
	fixture_push(&l->synthetic, "confirmed_at");
	expect_ok(l);
	ibx_strv_fini(&l->synthetic);
	fixture_push(&l->synthetic, "treatment"); /* singular: misspelt */
	expect_one(l, "field \"synthetic[0]\": unknown listing field "
		      "\"treatment\"");
	ibx_strv_fini(&l->synthetic);
	fixture_push(&l->synthetic, "beds");
	fixture_push(&l->synthetic, "name.ja"); /* not a top-level field */
	expect_one(l, "field \"synthetic[1]\": unknown listing field "
		      "\"name.ja\"");
	ibx_strv_fini(&l->synthetic);
	fixture_push(&l->synthetic, "beds");
	fixture_push(&l->synthetic, "beds");
	expect_one(l, "field \"synthetic[1]\": repeats \"beds\" (first at "
		      "[0])");
}

/* Every problem is reported in one pass, in field order. */
static void
test_all_problems_reported(void **state)
{
	ibx_listing *l = *state;
	ibx_problems p;
	char *joined;

	l->beds = 9000;
	fixture_push(&l->languages, "xx");
	fixture_set(&l->website, "ftp://example.jp/");
	ibx_problems_init(&p);
	assert_int_equal(ibx_listing_check(l, &p), IBX_EINVAL);
	assert_int_equal(ibx_problems_count(&p), 3);
	assert_string_equal(p.items[0], "field \"beds\": must be 0 to 5000");
	assert_string_equal(
	    p.items[1],
	    "field \"languages[3]\": unknown ISO 639-1 code \"xx\"");
	assert_string_equal(p.items[2], "field \"website\": must start with "
					"http:// or https://");
	joined = ibx_problems_join(&p, "\n");
	assert_non_null(joined);
	assert_string_equal(
	    joined, "field \"beds\": must be 0 to 5000\n"
		    "field \"languages[3]\": unknown ISO 639-1 code \"xx\"\n"
		    "field \"website\": must start with http:// or https://");
	free(joined);
	ibx_problems_fini(&p);
}

/* Past IBX_PROBLEMS_MAX the problems are still counted. */
static void
test_many_problems_counted(void **state)
{
	ibx_listing *l = *state;
	ibx_problems p;
	char code[8];
	size_t i;

	ibx_strv_fini(&l->departments);
	for (i = 0; i < 150; i++) {
		snprintf(code, sizeof(code), "9%04zu", i);
		fixture_push(&l->departments, code);
	}
	ibx_problems_init(&p);
	assert_int_equal(ibx_listing_check(l, &p), IBX_EINVAL);
	assert_int_equal(p.n, IBX_PROBLEMS_MAX);
	assert_int_equal(ibx_problems_count(&p), 150);
	assert_string_equal(p.items[99], "field \"departments[99]\": unknown "
					 "national department code \"90099\"");
	ibx_problems_fini(&p);
}

static void
test_date_valid(void **state)
{
	(void)state;
	assert_true(ibx_date_valid("2024-02-29"));
	assert_true(ibx_date_valid("2000-02-29"));
	assert_true(ibx_date_valid("2026-12-31"));
	assert_false(ibx_date_valid("2023-02-29"));
	assert_false(ibx_date_valid("1900-02-29"));
	assert_false(ibx_date_valid("2026-06-31"));
	assert_false(ibx_date_valid("2026-1-01"));
	assert_false(ibx_date_valid("+026-01-01"));
	assert_false(ibx_date_valid(""));
	assert_false(ibx_date_valid(NULL));
}

static void
test_digits(void **state)
{
	(void)state;
	assert_true(ibx_digits("0123456789", 10));
	assert_true(ibx_digits("", 0));
	assert_false(ibx_digits("012345678", 10));
	assert_false(ibx_digits("01234567890", 10));
	assert_false(ibx_digits("012345678x", 10));
	assert_false(ibx_digits(" 12", 3));
	assert_false(ibx_digits(NULL, 0));
}

static void
test_strv(void **state)
{
	ibx_strv sv = {NULL, 0};

	(void)state;
	assert_false(ibx_strv_contains(&sv, "ja"));
	fixture_push(&sv, "ja");
	fixture_push(&sv, "en");
	assert_int_equal(sv.n, 2);
	assert_string_equal(sv.v[1], "en");
	assert_true(ibx_strv_contains(&sv, "ja"));
	assert_true(ibx_strv_contains(&sv, "en"));
	assert_false(ibx_strv_contains(&sv, "j"));
	ibx_strv_fini(&sv);
	assert_null(sv.v);
	assert_int_equal(sv.n, 0);
	ibx_listing_free(NULL);
}

#define EXAMPLE_TEST(f)                                                       \
	cmocka_unit_test_setup_teardown(f, setup_example, teardown_listing)

/* Found by fuzz_listing_payload (tests/fuzz/regressions): bytes that are
 * not UTF-8 in a website or an email passed the checks, and the hub then
 * could not store the listing as JSON and asked the spoke to retry for
 * ever.  They are refused as invalid now. */
static void
test_invalid_utf8_url_and_email(void **state)
{
	ibx_listing *l = *state;

	fixture_set(&l->website, "https://example.jp/\xff");
	expect_one(l, "field \"website\": is not valid UTF-8 text");
	fixture_set(&l->website, NULL);
	fixture_set(&l->contact_email, "a@ex\xc3"
				       "ample.jp");
	expect_one(l, "field \"international_contact.email\": is not valid "
		      "UTF-8 text");
}

/* Issue 14: "a@b?bcc=c@d" became a mailto: link with a hidden recipient.
 * No query part, escape or second recipient (RFC 6068). */
static void
test_email_no_mailto_query(void **state)
{
	ibx_listing *l = *state;

	fixture_set(&l->contact_email,
		    "intl@example.jp?bcc=spy%40evil.example");
	expect_one(l, "field \"international_contact.email\": must be one "
		      "plain address: '?' would add a query part (hidden "
		      "recipients or headers) to its mailto: link");
	fixture_set(&l->contact_email, "intl@example.jp%3Fbody=x");
	expect_one(l, "field \"international_contact.email\": must be one "
		      "plain address: '%' would add a query part (hidden "
		      "recipients or headers) to its mailto: link");
	fixture_set(&l->contact_email, "intl+jp@example.jp");
	expect_ok(l);
}

/* The national list's fields: valid when set, each rule with its own
 * message (field path and the allowed values). */
static void
test_national_fields(void **state)
{
	ibx_listing *l = *state;
	char long_name[202];

	fixture_national(l);
	expect_ok(l);
	fixture_set(&l->geocode_level, "street");
	expect_one(l, "field \"geocode_level\": must be one of official, "
		      "town, municipality");
	fixture_set(&l->geocode_level, "town");
	l->has_location = false;
	expect_one(l, "field \"geocode_level\": is given but location is not");
	l->has_location = true;
	fixture_set(&l->name_en_source, "machine");
	expect_one(l, "field \"name_en_source\": must be one of registered, "
		      "transliteration");
	fixture_set(&l->name_en_source, "transliteration");
	fixture_set(&l->name_en, NULL);
	expect_one(l, "field \"name_en_source\": is given but name.en is not");
	fixture_set(&l->name_en_source, NULL);
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	fixture_set(&l->names[2], long_name);
	expect_one_prefix(l, "field \"name.ko\": ");
	fixture_set(&l->names[2], NULL);
	ibx_strv_fini(&l->synthetic);
	fixture_push(&l->synthetic, "receives_foreign_patients");
	expect_ok(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    EXAMPLE_TEST(test_email_no_mailto_query),
	    EXAMPLE_TEST(test_problem_codes),
	    EXAMPLE_TEST(test_example_is_valid),
	    EXAMPLE_TEST(test_national_fields),
	    cmocka_unit_test(test_minimal_is_valid),
	    EXAMPLE_TEST(test_check_appends_to_problems),
	    EXAMPLE_TEST(test_organisation_code),
	    EXAMPLE_TEST(test_organisation_code_prefecture_prefix),
	    EXAMPLE_TEST(test_organisation_code_score_table),
	    EXAMPLE_TEST(test_prefecture),
	    EXAMPLE_TEST(test_name_ja),
	    EXAMPLE_TEST(test_name_en_and_address),
	    EXAMPLE_TEST(test_postal_code),
	    EXAMPLE_TEST(test_location),
	    EXAMPLE_TEST(test_beds),
	    EXAMPLE_TEST(test_departments),
	    EXAMPLE_TEST(test_departments_at_most_200),
	    EXAMPLE_TEST(test_treatments),
	    EXAMPLE_TEST(test_languages),
	    EXAMPLE_TEST(test_languages_at_most_50),
	    EXAMPLE_TEST(test_accepts_countries),
	    EXAMPLE_TEST(test_accreditations),
	    EXAMPLE_TEST(test_accreditation_expiry_dates),
	    EXAMPLE_TEST(test_price_bands),
	    EXAMPLE_TEST(test_price_band_services),
	    EXAMPLE_TEST(test_website),
	    EXAMPLE_TEST(test_website_empty_host),
	    EXAMPLE_TEST(test_email),
	    EXAMPLE_TEST(test_invalid_utf8_url_and_email),
	    EXAMPLE_TEST(test_phone),
	    EXAMPLE_TEST(test_confirmed_at),
	    EXAMPLE_TEST(test_synthetic),
	    EXAMPLE_TEST(test_all_problems_reported),
	    EXAMPLE_TEST(test_many_problems_counted),
	    cmocka_unit_test(test_date_valid),
	    cmocka_unit_test(test_digits),
	    cmocka_unit_test(test_strv),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
