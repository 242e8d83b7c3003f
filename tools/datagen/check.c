/*
 * check.c - listing rules (docs/listing-format.md, schema 1) over the
 * generator's own structures. Each failed rule is reported with its field
 * path; the run then stops, because the data was generated here.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dates.h"
#include "normalise.h"
#include "vocab.h"

#define MAX_NAME    200
#define MAX_ADDRESS 400
#define MAX_EMAIL   200
#define MAX_PHONE   40
#define MAX_WEBSITE 500
#define MAX_PRICE   1000000000L

/* Reports one broken rule of listing code and counts it. */
static void refuse(const char *code, unsigned *bad, const char *field,
		   const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static void
refuse(const char *code, unsigned *bad, const char *field, const char *fmt,
       ...)
{
	char reason[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	dg_error("listing %s refused: field \"%s\": %s", code, field, reason);
	(*bad)++;
}

/* Returns 1 when s is exactly n ASCII digits. */
static int
digits(const char *s, size_t n)
{
	return (strlen(s) == n && strspn(s, "0123456789") == n);
}

/* Returns 1 for two letters between lo and hi. */
static int
two_letters(const char *s, char lo, char hi)
{
	return (strlen(s) == 2 && s[0] >= lo && s[0] <= hi && s[1] >= lo &&
		s[1] <= hi);
}

/* Checks a list of codes: valid by valid(), no repeats. */
static void
check_codes(const char *code, unsigned *bad, const char *field,
	    const char *const *v, size_t n, size_t max,
	    int (*valid)(const void *, const char *), const void *arg,
	    const char *what)
{
	char path[64];
	size_t i, j;

	if (n > max)
		refuse(code, bad, field, "more than %zu entries", max);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s[%zu]", field, i);
		if (!valid(arg, v[i]))
			refuse(code, bad, path, "unknown %s \"%s\"", what,
			       v[i]);
		for (j = 0; j < i; j++)
			if (strcmp(v[i], v[j]) == 0)
				refuse(code, bad, path, "repeats \"%s\"",
				       v[i]);
	}
}

/* Validity callbacks for check_codes. */
static int
valid_language(const void *ref, const char *s)
{
	return (ref != NULL ? dg_refdata_language(ref, s)
			    : two_letters(s, 'a', 'z'));
}

static int
valid_country(const void *ref, const char *s)
{
	return (ref != NULL ? dg_refdata_country(ref, s)
			    : two_letters(s, 'A', 'Z'));
}

static int
valid_treatment(const void *unused, const char *s)
{
	(void)unused;
	return (dg_vocab_treatment(s));
}

static int
valid_dept(const void *d, const char *s)
{
	return (digits(s, 5) && dg_depts_valid(d, s));
}

static int
valid_service(const void *unused, const char *s)
{
	(void)unused;
	return (dg_vocab_coordinator_service(s));
}

/* Checks a YYYY-MM-DD date. */
static void
check_date(const char *code, unsigned *bad, const char *field, const char *s)
{
	long day;

	if (!dg_date_parse(s, &day))
		refuse(code, bad, field, "\"%s\" is not a YYYY-MM-DD date", s);
}

/* Checks a UTF-8 text of 1 (or 0 when optional) to max bytes. */
static void
check_text(const char *code, unsigned *bad, const char *field, const char *s,
	   size_t max, int required)
{
	size_t len = s != NULL ? strlen(s) : 0;

	if (s == NULL) {
		if (required)
			refuse(code, bad, field, "missing");
		return;
	}
	if ((required && len == 0) || len > max)
		refuse(code, bad, field, "length %zu not in 1..%zu", len, max);
	if (!dg_utf8_valid(s))
		refuse(code, bad, field, "not UTF-8");
}

/* Checks a website: http(s), at most 500 bytes, no blanks or controls. */
static void
check_website(const char *code, unsigned *bad, const char *s)
{
	const unsigned char *p;

	if (strncmp(s, "http://", 7) != 0 && strncmp(s, "https://", 8) != 0)
		refuse(code, bad, "website", "not an http(s) URL");
	if (strlen(s) > MAX_WEBSITE)
		refuse(code, bad, "website", "longer than %d bytes",
		       MAX_WEBSITE);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7F) {
			refuse(code, bad, "website", "space or control");
			break;
		}
}

/* Checks an e-mail address and a phone number of a contact. */
static void
check_contact(const char *code, unsigned *bad, const char *field,
	      const char *email, const char *phone)
{
	char path[64];
	const char *at;

	snprintf(path, sizeof(path), "%s.email", field);
	at = strchr(email, '@');
	if (at == NULL || strchr(at + 1, '@') != NULL ||
	    strlen(email) > MAX_EMAIL)
		refuse(code, bad, path, "\"%s\" is not an e-mail address",
		       email);
	else if (strcmp(at + 1, "example.jp") != 0)
		refuse(code, bad, path, "generated address not at example.jp");
	snprintf(path, sizeof(path), "%s.phone", field);
	if (phone != NULL &&
	    (strlen(phone) > MAX_PHONE ||
	     strspn(phone, "0123456789 +-()") != strlen(phone)))
		refuse(code, bad, path, "\"%s\" is not a phone number", phone);
}

dg_err
dg_check_hospital(const dg_hospital *h, const dg_capability *cap,
		  const dg_depts *d, const dg_refdata *ref)
{
	const char *code = h->org_code;
	const char *depts[DG_MAX_DEPTS];
	unsigned bad = 0;
	char path[64];
	size_t i;

	if (!digits(code, 10) || strncmp(code, h->prefecture, 2) != 0 ||
	    code[2] != '1')
		refuse(code, &bad, "organisation_code",
		       "not prefecture %s + 1 + 7 digits", h->prefecture);
	if (dg_refdata_prefecture(ref, h->prefecture) == NULL)
		refuse(code, &bad, "prefecture", "unknown \"%s\"",
		       h->prefecture);
	check_text(code, &bad, "name.ja", h->name_ja, MAX_NAME, 1);
	check_text(code, &bad, "name.en", h->name_en, MAX_NAME, 0);
	if (h->postal[0] != '\0' && !digits(h->postal, 7))
		refuse(code, &bad, "postal_code", "not 7 digits");
	check_text(code, &bad, "address", h->address, MAX_ADDRESS, 0);
	if (h->has_location &&
	    !(h->lat >= 20 && h->lat <= 46 && h->lon >= 122 && h->lon <= 154))
		refuse(code, &bad, "location", "outside Japan");
	if (h->beds > 5000)
		refuse(code, &bad, "beds", "%d not in 0..5000", h->beds);
	for (i = 0; i < h->ndepts; i++)
		depts[i] = h->depts[i];
	check_codes(code, &bad, "departments", depts, h->ndepts, DG_MAX_DEPTS,
		    valid_dept, d, "department code");
	check_codes(code, &bad, "treatments", cap->treatments,
		    cap->ntreatments, DG_MAX_TREATMENTS, valid_treatment, NULL,
		    "treatment");
	check_codes(code, &bad, "languages", cap->languages, cap->nlanguages,
		    50, valid_language, ref, "ISO 639-1 code");
	check_codes(code, &bad, "accepts_countries", cap->countries,
		    cap->ncountries, 249, valid_country, ref,
		    "ISO 3166-1 alpha-2 code");
	for (i = 0; i < cap->naccreditations; i++) {
		snprintf(path, sizeof(path), "accreditations[%zu]", i);
		if (!dg_vocab_scheme(cap->accreditations[i].scheme))
			refuse(code, &bad, path, "unknown scheme");
		check_date(code, &bad, path, cap->accreditations[i].expires);
	}
	for (i = 0; i < cap->nbands; i++) {
		snprintf(path, sizeof(path), "price_bands[%zu]", i);
		if (!dg_vocab_price_service(cap->bands[i].service))
			refuse(code, &bad, path, "unknown service \"%s\"",
			       cap->bands[i].service);
		if (cap->bands[i].min_jpy < 0 ||
		    cap->bands[i].min_jpy > cap->bands[i].max_jpy ||
		    cap->bands[i].max_jpy > MAX_PRICE)
			refuse(code, &bad, path,
			       "min_jpy %ld, max_jpy %ld out of order",
			       cap->bands[i].min_jpy, cap->bands[i].max_jpy);
	}
	if (h->website != NULL)
		check_website(code, &bad, h->website);
	check_contact(code, &bad, "international_contact", cap->email, NULL);
	check_date(code, &bad, "confirmed_at", cap->confirmed_at);
	return (bad ? DG_ERR_INTERNAL : DG_OK);
}

dg_err
dg_check_coordinator(const dg_coordinator *c, const dg_refdata *ref)
{
	const char *code = c->code;
	unsigned bad = 0;

	if (!digits(code, 10) || strncmp(code, "90", 2) != 0)
		refuse(code, &bad, "organisation_code", "not 90 + 8 digits");
	if (!digits(c->prefecture, 2) || strcmp(c->prefecture, "01") < 0 ||
	    strcmp(c->prefecture, "47") > 0)
		refuse(code, &bad, "prefecture", "not 01..47");
	check_text(code, &bad, "name.ja", c->name_ja, MAX_NAME, 1);
	check_text(code, &bad, "name.en", c->name_en, MAX_NAME, 0);
	check_date(code, &bad, "certification_expires",
		   c->certification_expires);
	check_codes(code, &bad, "languages", c->languages, c->nlanguages, 50,
		    valid_language, ref, "ISO 639-1 code");
	check_codes(code, &bad, "countries_served", c->countries,
		    c->ncountries, 249, valid_country, ref,
		    "ISO 3166-1 alpha-2 code");
	check_codes(code, &bad, "services", c->services, c->nservices,
		    dg_ncoordinator_services, valid_service, NULL, "service");
	check_website(code, &bad, c->website);
	check_contact(code, &bad, "contact", c->email, c->phone);
	check_date(code, &bad, "confirmed_at", c->confirmed_at);
	return (bad ? DG_ERR_INTERNAL : DG_OK);
}
