/*
 * The rules a capability listing must keep (docs/listing-format.md).  The
 * same function runs in the spoke before sending and in the hub on receipt,
 * so both refuse the same listings with the same messages.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "listing.h"
#include "text.h"

#define NAME_MAX_BYTES	  200
#define ADDRESS_MAX_BYTES 400
#define URL_MAX_BYTES	  500
#define EMAIL_MAX_BYTES	  200
#define PHONE_MAX_BYTES	  40
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
					     "confirmed_at"};

bool
ibx_digits(const char *s, size_t n)
{
	size_t i;

	if (s == NULL || strlen(s) != n)
		return (false);
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return (false);
	return (true);
}

bool
ibx_date_valid(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return (false);
	if (!ibx_digits((char[]){s[0], s[1], s[2], s[3], 0}, 4) ||
	    !ibx_digits((char[]){s[5], s[6], 0}, 2) ||
	    !ibx_digits((char[]){s[8], s[9], 0}, 2))
		return (false);
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return (false);
	if (m == 2 && d == 29 &&
	    !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return (false);
	return (true);
}

static void
check_text(ibx_problems *p, const char *field, const char *s, size_t max,
	   bool required)
{
	if (s == NULL || *s == '\0') {
		if (required)
			ibx_problems_add(p, field, "is required");
		return;
	}
	if (strlen(s) > max)
		ibx_problems_add(p, field, "longer than %zu bytes", max);
	else if (!ibx_text_utf8_valid(s))
		ibx_problems_add(p, field, "is not valid UTF-8 text");
}

typedef bool (*code_fn)(const char *);

static void
check_codes_max(ibx_problems *p, const char *field, const ibx_strv *sv,
		code_fn known, const char *what, size_t max)
{
	char path[64];
	size_t i, j;

	if (sv->n > max)
		ibx_problems_add(p, field, "more than %zu entries", max);
	for (i = 0; i < sv->n && i < max; i++) {
		snprintf(path, sizeof(path), "%s[%zu]", field, i);
		if (!known(sv->v[i])) {
			char shown[40];

			ibx_text_quote_short(shown, sizeof(shown), sv->v[i]);
			ibx_problems_add(p, path, "unknown %s %s", what,
					 shown);
			continue;
		}
		for (j = 0; j < i; j++)
			if (strcmp(sv->v[i], sv->v[j]) == 0) {
				ibx_problems_add(
				    p, path, "repeats \"%s\" (first at [%zu])",
				    sv->v[i], j);
				break;
			}
	}
}

static void
check_codes(ibx_problems *p, const char *field, const ibx_strv *sv,
	    code_fn known, const char *what)
{
	check_codes_max(p, field, sv, known, what, LIST_MAX);
}

static bool
service_known(const char *s)
{
	return (ibx_code_treatment(s) || strcmp(s, "consultation") == 0 ||
		strcmp(s, "second_opinion") == 0);
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
check_url(ibx_problems *p, const char *field, const char *url)
{
	const char *c, *host;

	if (url == NULL)
		return;
	if (strlen(url) > URL_MAX_BYTES) {
		ibx_problems_add(p, field, "longer than %d bytes",
				 URL_MAX_BYTES);
		return;
	}
	if (strncmp(url, "https://", 8) != 0 &&
	    strncmp(url, "http://", 7) != 0) {
		ibx_problems_add(p, field,
				 "must start with http:// or https://");
		return;
	}
	host = url + (url[4] == 's' ? 8 : 7);
	if (*host == '\0' || *host == '/' || *host == '?' || *host == '#') {
		ibx_problems_add(p, field, "has no host");
		return;
	}
	for (c = url; *c != '\0'; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7f) {
			ibx_problems_add(
			    p, field, "contains a space or control character");
			return;
		}
}

static void
check_contact(ibx_problems *p, const ibx_listing *l)
{
	const char *c, *at;

	if (l->contact_email != NULL) {
		at = strchr(l->contact_email, '@');
		if (strlen(l->contact_email) > EMAIL_MAX_BYTES)
			ibx_problems_add(p, "international_contact.email",
					 "longer than %d bytes",
					 EMAIL_MAX_BYTES);
		else if (at == NULL || at == l->contact_email ||
			 at[1] == '\0' || strchr(at + 1, '@') != NULL ||
			 strpbrk(l->contact_email, " \t\r\n<>\"") != NULL)
			ibx_problems_add(p, "international_contact.email",
					 "is not an email address");
	}
	if (l->contact_phone != NULL) {
		if (strlen(l->contact_phone) > PHONE_MAX_BYTES) {
			ibx_problems_add(p, "international_contact.phone",
					 "longer than %d bytes",
					 PHONE_MAX_BYTES);
			return;
		}
		for (c = l->contact_phone; *c != '\0'; c++)
			if (!isdigit((unsigned char)*c) &&
			    strchr(" +-()", *c) == NULL) {
				ibx_problems_add(p,
						 "international_contact.phone",
						 "may hold only digits, "
						 "spaces and + - ( )");
				return;
			}
	}
}

static void
check_location(ibx_problems *p, const ibx_listing *l)
{
	if (!l->has_location)
		return;
	/* Japan spans about 20-46 N, 122-154 E (Okinotorishima to Etorofu,
	 * Yonaguni to Minamitorishima). */
	if (!(l->lat >= 20.0 && l->lat <= 46.0))
		ibx_problems_add(p, "location.lat",
				 "%.6f is outside Japan (20 to 46)", l->lat);
	if (!(l->lon >= 122.0 && l->lon <= 154.0))
		ibx_problems_add(p, "location.lon",
				 "%.6f is outside Japan (122 to 154)", l->lon);
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
			ibx_problems_add(p, path,
					 "unknown scheme (JMIP, JIH or JCI)");
		snprintf(path, sizeof(path), "accreditations[%zu].expires", i);
		if (a->expires != NULL && !ibx_date_valid(a->expires))
			ibx_problems_add(p, path, "is not a YYYY-MM-DD date");
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
			ibx_problems_add(
			    p, path,
			    "unknown service (a treatment code, consultation "
			    "or second_opinion)");
		snprintf(path, sizeof(path), "price_bands[%zu]", i);
		if (b->min_jpy < 0 || b->max_jpy < 0)
			ibx_problems_add(p, path,
					 "amounts must not be negative");
		else if (b->min_jpy > b->max_jpy)
			ibx_problems_add(
			    p, path,
			    "min_jpy %lld is greater than max_jpy %lld",
			    (long long)b->min_jpy, (long long)b->max_jpy);
		else if (b->max_jpy > JPY_MAX)
			ibx_problems_add(p, path, "max_jpy over %lld JPY",
					 JPY_MAX);
	}
}

ibx_err
ibx_listing_check(const ibx_listing *l, ibx_problems *p)
{
	size_t before = ibx_problems_count(p);

	if (l->organisation_code == NULL)
		ibx_problems_add(p, "organisation_code", "is required");
	else if (!ibx_digits(l->organisation_code, 10) ||
		 l->organisation_code[2] != '1')
		ibx_problems_add(
		    p, "organisation_code",
		    "must be 10 digits (prefecture, 1, institution code)");
	if (l->prefecture == NULL)
		ibx_problems_add(p, "prefecture", "is required");
	else if (ibx_code_prefecture_name(l->prefecture) == NULL)
		ibx_problems_add(p, "prefecture",
				 "unknown JIS X 0401 code (01 to 47)");
	else if (l->organisation_code != NULL &&
		 ibx_digits(l->organisation_code, 10) &&
		 strncmp(l->organisation_code, l->prefecture, 2) != 0)
		ibx_problems_add(p, "organisation_code",
				 "does not start with the prefecture code %s",
				 l->prefecture);
	check_text(p, "name.ja", l->name_ja, NAME_MAX_BYTES, true);
	check_text(p, "name.en", l->name_en, NAME_MAX_BYTES, false);
	check_text(p, "address", l->address, ADDRESS_MAX_BYTES, false);
	if (l->postal_code != NULL && !ibx_digits(l->postal_code, 7))
		ibx_problems_add(p, "postal_code",
				 "must be 7 digits without a hyphen");
	check_location(p, l);
	if (l->beds < -1 || l->beds > BEDS_MAX)
		ibx_problems_add(p, "beds", "must be 0 to %d", BEDS_MAX);
	check_codes(p, "departments", &l->departments, ibx_code_department,
		    "national department code");
	check_codes(p, "treatments", &l->treatments, ibx_code_treatment,
		    "treatment code");
	check_codes_max(p, "languages", &l->languages, ibx_code_language,
			"ISO 639-1 code", LANGUAGES_MAX);
	check_codes(p, "accepts_countries", &l->accepts_countries,
		    ibx_code_country, "ISO 3166-1 alpha-2 code");
	check_accreditations(p, l);
	check_price_bands(p, l);
	check_url(p, "website", l->website);
	check_contact(p, l);
	if (l->confirmed_at != NULL && !ibx_date_valid(l->confirmed_at))
		ibx_problems_add(p, "confirmed_at",
				 "is not a YYYY-MM-DD date");
	check_codes(p, "synthetic", &l->synthetic, field_known,
		    "listing field");
	return (ibx_problems_count(p) > before ? IBX_EINVAL : IBX_OK);
}
