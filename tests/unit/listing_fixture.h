/*
 * Shared by the unit tests that build and compare listings (listing_test,
 * listing_json_test, codec_test): the example listing of
 * docs/listing-format.md as a struct, small setters, and a field-by-field
 * comparison that names the first field that differs.  Include after
 * <cmocka.h>; everything here is static inline so each test executable
 * takes only what it uses.
 */
#ifndef IBX_TEST_LISTING_FIXTURE_H
#define IBX_TEST_LISTING_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include "listing.h"

/* Capacity of the accreditation and price band arrays of a fixture, so a
 * test can add entries without reallocating. */
#define FIXTURE_ARRAY_CAP 8

/* fixture_set: replace *field with a copy of value (NULL: absent). */
static inline void
fixture_set(char **field, const char *value)
{
	free(*field);
	*field = NULL;
	if (value != NULL) {
		*field = strdup(value);
		assert_non_null(*field);
	}
}

static inline void
fixture_push(ibx_strv *sv, const char *s)
{
	assert_int_equal(ibx_strv_push(sv, s), IBX_OK);
}

/* fixture_minimal: only the required fields (organisation_code, name.ja,
 * prefecture); room for FIXTURE_ARRAY_CAP accreditations and price bands.
 * The caller frees it with ibx_listing_free. */
static inline ibx_listing *
fixture_minimal(void)
{
	ibx_listing *l = ibx_listing_new();

	assert_non_null(l);
	l->accreditations =
	    calloc(FIXTURE_ARRAY_CAP, sizeof(*l->accreditations));
	l->price_bands = calloc(FIXTURE_ARRAY_CAP, sizeof(*l->price_bands));
	assert_non_null(l->accreditations);
	assert_non_null(l->price_bands);
	fixture_set(&l->organisation_code, "3910118128");
	fixture_set(&l->name_ja, "高知県・高知市病院企業団立高知医療センター");
	fixture_set(&l->prefecture, "39");
	return (l);
}

static inline void
fixture_add_accreditation(ibx_listing *l, const char *scheme,
			  const char *expires)
{
	ibx_accreditation *a;

	assert_true(l->n_accreditations < FIXTURE_ARRAY_CAP);
	a = &l->accreditations[l->n_accreditations++];
	fixture_set(&a->scheme, scheme);
	fixture_set(&a->expires, expires);
}

static inline void
fixture_add_price_band(ibx_listing *l, const char *service, int64_t min_jpy,
		       int64_t max_jpy)
{
	ibx_price_band *b;

	assert_true(l->n_price_bands < FIXTURE_ARRAY_CAP);
	b = &l->price_bands[l->n_price_bands++];
	fixture_set(&b->service, service);
	b->min_jpy = min_jpy;
	b->max_jpy = max_jpy;
}

/* fixture_example: the full example of docs/listing-format.md, field for
 * field the same as tests/data/listing_example.json. */
static inline ibx_listing *
fixture_example(void)
{
	static const char *const departments[] = {"01001", "01003", "02001",
						  "05001"};
	static const char *const treatments[] = {"pet_ct", "robotic_surgery",
						 "chemotherapy",
						 "health_checkup_premium"};
	static const char *const languages[] = {"ja", "en", "zh"};
	static const char *const countries[] = {"CN", "VN", "US", "RU"};
	static const char *const synthetic[] = {
	    "treatments",	    "languages",   "accreditations",
	    "accepts_countries",    "price_bands", "remote_second_opinion",
	    "international_contact"};
	ibx_listing *l = fixture_minimal();
	size_t i;

	fixture_set(&l->name_en, "Kochi Health Sciences Center");
	fixture_set(&l->postal_code, "7818555");
	fixture_set(&l->address, "高知市池2125番地1");
	l->has_location = true;
	l->lat = 33.5478;
	l->lon = 133.5876;
	l->beds = 620;
	for (i = 0; i < sizeof(departments) / sizeof(departments[0]); i++)
		fixture_push(&l->departments, departments[i]);
	for (i = 0; i < sizeof(treatments) / sizeof(treatments[0]); i++)
		fixture_push(&l->treatments, treatments[i]);
	for (i = 0; i < sizeof(languages) / sizeof(languages[0]); i++)
		fixture_push(&l->languages, languages[i]);
	fixture_add_accreditation(l, "JMIP", "2028-03-31");
	for (i = 0; i < sizeof(countries) / sizeof(countries[0]); i++)
		fixture_push(&l->accepts_countries, countries[i]);
	fixture_add_price_band(l, "health_checkup_premium", 350000, 900000);
	fixture_add_price_band(l, "second_opinion", 50000, 120000);
	l->remote_second_opinion = true;
	fixture_set(&l->website, "https://www2.khsc.or.jp/");
	fixture_set(&l->contact_email, "international@example.jp");
	fixture_set(&l->contact_phone, "+81-88-837-3000");
	fixture_set(&l->confirmed_at, "2026-11-01");
	for (i = 0; i < sizeof(synthetic) / sizeof(synthetic[0]); i++)
		fixture_push(&l->synthetic, synthetic[i]);
	return (l);
}

static inline void
fixture_str_equal(const char *field, const char *a, const char *b)
{
	if (a == NULL && b == NULL)
		return;
	if (a == NULL || b == NULL || strcmp(a, b) != 0)
		fail_msg("%s differs: %s%s%s vs %s%s%s", field,
			 a != NULL ? "\"" : "", a != NULL ? a : "NULL",
			 a != NULL ? "\"" : "", b != NULL ? "\"" : "",
			 b != NULL ? b : "NULL", b != NULL ? "\"" : "");
}

static inline void
fixture_strv_equal(const char *field, const ibx_strv *a, const ibx_strv *b)
{
	size_t i;

	if (a->n != b->n)
		fail_msg("%s: %zu entries vs %zu", field, a->n, b->n);
	for (i = 0; i < a->n; i++)
		fixture_str_equal(field, a->v[i], b->v[i]);
}

/* assert_listing_equal: fail naming the first field where a and b
 * differ. */
static inline void
assert_listing_equal(const ibx_listing *a, const ibx_listing *b)
{
	size_t i;

	fixture_str_equal("organisation_code", a->organisation_code,
			  b->organisation_code);
	fixture_str_equal("name.ja", a->name_ja, b->name_ja);
	fixture_str_equal("name.en", a->name_en, b->name_en);
	fixture_str_equal("prefecture", a->prefecture, b->prefecture);
	fixture_str_equal("postal_code", a->postal_code, b->postal_code);
	fixture_str_equal("address", a->address, b->address);
	if (a->has_location != b->has_location)
		fail_msg("has_location differs: %d vs %d", a->has_location,
			 b->has_location);
	if (a->has_location && (a->lat != b->lat || a->lon != b->lon))
		fail_msg("location differs: %.10g,%.10g vs %.10g,%.10g",
			 a->lat, a->lon, b->lat, b->lon);
	if (a->beds != b->beds)
		fail_msg("beds differs: %d vs %d", (int)a->beds, (int)b->beds);
	fixture_strv_equal("departments", &a->departments, &b->departments);
	fixture_strv_equal("treatments", &a->treatments, &b->treatments);
	fixture_strv_equal("languages", &a->languages, &b->languages);
	fixture_strv_equal("accepts_countries", &a->accepts_countries,
			   &b->accepts_countries);
	if (a->n_accreditations != b->n_accreditations)
		fail_msg("accreditations: %zu entries vs %zu",
			 a->n_accreditations, b->n_accreditations);
	for (i = 0; i < a->n_accreditations; i++) {
		fixture_str_equal("accreditations[].scheme",
				  a->accreditations[i].scheme,
				  b->accreditations[i].scheme);
		fixture_str_equal("accreditations[].expires",
				  a->accreditations[i].expires,
				  b->accreditations[i].expires);
	}
	if (a->n_price_bands != b->n_price_bands)
		fail_msg("price_bands: %zu entries vs %zu", a->n_price_bands,
			 b->n_price_bands);
	for (i = 0; i < a->n_price_bands; i++) {
		fixture_str_equal("price_bands[].service",
				  a->price_bands[i].service,
				  b->price_bands[i].service);
		assert_int_equal(a->price_bands[i].min_jpy,
				 b->price_bands[i].min_jpy);
		assert_int_equal(a->price_bands[i].max_jpy,
				 b->price_bands[i].max_jpy);
	}
	if (a->remote_second_opinion != b->remote_second_opinion)
		fail_msg("remote_second_opinion differs");
	fixture_str_equal("website", a->website, b->website);
	fixture_str_equal("international_contact.email", a->contact_email,
			  b->contact_email);
	fixture_str_equal("international_contact.phone", a->contact_phone,
			  b->contact_phone);
	fixture_str_equal("confirmed_at", a->confirmed_at, b->confirmed_at);
	fixture_strv_equal("synthetic", &a->synthetic, &b->synthetic);
	for (i = 0; i < IBX_NAME_NLANGS; i++)
		fixture_str_equal(ibx_name_langs[i], a->names[i], b->names[i]);
	fixture_str_equal("address_latn", a->address_latn, b->address_latn);
	fixture_str_equal("name_en_source", a->name_en_source,
			  b->name_en_source);
	fixture_str_equal("geocode_level", a->geocode_level, b->geocode_level);
	if (a->receives_foreign_patients != b->receives_foreign_patients)
		fail_msg("receives_foreign_patients differs: %d vs %d",
			 a->receives_foreign_patients,
			 b->receives_foreign_patients);
}

/* fixture_national: the fields of the national list set on l. */
static inline void
fixture_national(ibx_listing *l)
{
	fixture_set(&l->names[0], "高知医疗中心");
	fixture_set(&l->names[1], "高知醫療中心");
	fixture_set(&l->names[2], "고치 의료 센터");
	fixture_set(&l->names[3], "Trung tâm Y tế Kochi");
	fixture_set(&l->names[4], "Медицинский центр Коти");
	fixture_set(&l->names[5], "Kochi Kenritsu Kochi Iryo Senta");
	fixture_set(&l->address_latn, "Kochishi Ike 2125 Banchi 1");
	fixture_set(&l->name_en_source, "registered");
	fixture_set(&l->geocode_level, "official");
	l->receives_foreign_patients = 0;
}

#endif /* IBX_TEST_LISTING_FIXTURE_H */
