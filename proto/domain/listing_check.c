/*
 * The rules a capability listing must keep (docs/listing-format.md).  The
 * same function runs in the spoke before sending and in the hub on receipt,
 * so both refuse the same listings with the same messages.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "codes.h"
#include "listing.h"
#include "text.h"

#define NAME_MAX_BYTES	  200
#define ADDRESS_MAX_BYTES 400
#define BEDS_MAX	  5000
#define JPY_MAX		  1000000000LL
#define LIST_MAX	  200
#define LANGUAGES_MAX	  50

/* Field names that may appear in 'synthetic'. */
static const char *const listing_fields[] = {"organisation_code",
					     "name",
					     "prefecture",
					     "postal_code",
					     "address",
					     "location",
					     "beds",
					     "departments",
					     "treatments",
					     "languages",
					     "accreditations",
					     "accepts_countries",
					     "price_bands",
					     "remote_second_opinion",
					     "website",
					     "international_contact",
					     "confirmed_at",
					     "receives_foreign_patients",
					     "geocode_level"};

static void
check_codes(ibx_problems *p, const char *field, const ibx_strv *sv,
	    ibx_code_fn known, const char *what)
{
	ibx_check_codes(p, field, sv, known, what, LIST_MAX);
}

static bool
service_known(const char *s)
{
	return (ibx_code_treatment(s) ||
		ibx_code_valid(IBX_LIST_PRICE_SERVICE, s));
}

static bool
field_known(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(listing_fields) / sizeof(listing_fields[0]);
	     i++)
		if (strcmp(s, listing_fields[i]) == 0)
			return (true);
	return (false);
}

static void
check_location(ibx_problems *p, const ibx_listing *l)
{
	if (!l->has_location)
		return;
	/* Japan spans about 20-46 N, 122-154 E (Okinotorishima to Etorofu,
	 * Yonaguni to Minamitorishima). */
	if (!(l->lat >= 20.0 && l->lat <= 46.0))
		ibx_problems_addc(p, "location.lat", "lat_outside",
				  "%.6f is outside Japan (20 to 46)", l->lat);
	if (!(l->lon >= 122.0 && l->lon <= 154.0))
		ibx_problems_addc(p, "location.lon", "lon_outside",
				  "%.6f is outside Japan (122 to 154)",
				  l->lon);
}

static void
check_accreditations(ibx_problems *p, const ibx_listing *l)
{
	char path[64];
	size_t i;

	for (i = 0; i < l->n_accreditations; i++) {
		const ibx_accreditation *a = &l->accreditations[i];

		snprintf(path, sizeof(path), "accreditations[%zu].scheme", i);
		if (!ibx_code_accreditation(a->scheme))
			ibx_problems_addc(p, path, "unknown_scheme",
					  "unknown scheme (JMIP, JIH or JCI)");
		snprintf(path, sizeof(path), "accreditations[%zu].expires", i);
		if (a->expires != NULL && !ibx_date_valid(a->expires))
			ibx_problems_addc(p, path, "not_date",
					  "is not a YYYY-MM-DD date");
	}
}

static void
check_price_bands(ibx_problems *p, const ibx_listing *l)
{
	char path[64];
	size_t i;

	for (i = 0; i < l->n_price_bands; i++) {
		const ibx_price_band *b = &l->price_bands[i];

		snprintf(path, sizeof(path), "price_bands[%zu].service", i);
		if (b->service == NULL || !service_known(b->service))
			ibx_problems_addc(
			    p, path, "unknown_service",
			    "unknown service (a treatment code, consultation "
			    "or second_opinion)");
		snprintf(path, sizeof(path), "price_bands[%zu]", i);
		if (b->min_jpy < 0 || b->max_jpy < 0)
			ibx_problems_addc(p, path, "price_negative",
					  "amounts must not be negative");
		else if (b->min_jpy > b->max_jpy)
			ibx_problems_addc(
			    p, path, "price_min_over_max",
			    "min_jpy %lld is greater than max_jpy %lld",
			    (long long)b->min_jpy, (long long)b->max_jpy);
		else if (b->max_jpy > JPY_MAX)
			ibx_problems_addc(p, path, "price_too_high",
					  "max_jpy over %lld JPY", JPY_MAX);
	}
}

ibx_err
ibx_listing_check(const ibx_listing *l, ibx_problems *p)
{
	size_t before = ibx_problems_count(p);

	if (l->organisation_code == NULL)
		ibx_problems_addc(p, "organisation_code", "required",
				  "is required");
	else if (!ibx_digits(l->organisation_code, 10) ||
		 l->organisation_code[2] != '1')
		ibx_problems_addc(
		    p, "organisation_code", "org_code_form",
		    "must be 10 digits (prefecture, 1, institution code)");
	if (l->prefecture == NULL)
		ibx_problems_addc(p, "prefecture", "required", "is required");
	else if (ibx_code_prefecture_name(l->prefecture) == NULL)
		ibx_problems_addc(p, "prefecture", "unknown_prefecture",
				  "unknown JIS X 0401 code (01 to 47)");
	else if (l->organisation_code != NULL &&
		 ibx_digits(l->organisation_code, 10) &&
		 strncmp(l->organisation_code, l->prefecture, 2) != 0)
		ibx_problems_addc(p, "organisation_code",
				  "org_code_prefecture",
				  "does not start with the prefecture code %s",
				  l->prefecture);
	ibx_check_text(p, "name.ja", l->name_ja, NAME_MAX_BYTES, true);
	ibx_check_text(p, "name.en", l->name_en, NAME_MAX_BYTES, false);
	ibx_check_text(p, "address", l->address, ADDRESS_MAX_BYTES, false);
	if (l->postal_code != NULL && !ibx_digits(l->postal_code, 7))
		ibx_problems_addc(p, "postal_code", "postal_code_form",
				  "must be 7 digits without a hyphen");
	check_location(p, l);
	if (l->beds < -1 || l->beds > BEDS_MAX)
		ibx_problems_addc(p, "beds", "beds_range", "must be 0 to %d",
				  BEDS_MAX);
	check_codes(p, "departments", &l->departments, ibx_code_department,
		    "national department code");
	check_codes(p, "treatments", &l->treatments, ibx_code_treatment,
		    "treatment code");
	ibx_check_codes(p, "languages", &l->languages, ibx_code_language,
			"ISO 639-1 code", LANGUAGES_MAX);
	check_codes(p, "accepts_countries", &l->accepts_countries,
		    ibx_code_country, "ISO 3166-1 alpha-2 code");
	check_accreditations(p, l);
	check_price_bands(p, l);
	ibx_check_url(p, "website", l->website);
	ibx_check_contact(p, "international_contact", l->contact_email,
			  l->contact_phone);
	if (l->confirmed_at != NULL && !ibx_date_valid(l->confirmed_at))
		ibx_problems_addc(p, "confirmed_at", "not_date",
				  "is not a YYYY-MM-DD date");
	check_codes(p, "synthetic", &l->synthetic, field_known,
		    "listing field");
	ibx_listing_check_national(l, p);
	return (ibx_problems_count(p) > before ? IBX_EINVAL : IBX_OK);
}
