/*
 * Checks shared by every kind of listing: text, code lists, URLs,
 * contacts, dates and digit strings.  Each adds a problem naming the field
 * and the reason; none stops at the first.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "listing.h"
#include "text.h"

#define URL_MAX_BYTES	500
#define EMAIL_MAX_BYTES 200
#define PHONE_MAX_BYTES 40

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

void
ibx_check_text(ibx_problems *p, const char *field, const char *s, size_t max,
	       bool required)
{
	if (s == NULL || *s == '\0') {
		if (required)
			ibx_problems_addc(p, field, "required", "is required");
		return;
	}
	if (strlen(s) > max)
		ibx_problems_addc(p, field, "too_long",
				  "longer than %zu bytes", max);
	else if (!ibx_text_utf8_valid(s))
		ibx_problems_addc(p, field, "not_utf8",
				  "is not valid UTF-8 text");
}

void
ibx_check_codes(ibx_problems *p, const char *field, const ibx_strv *sv,
		ibx_code_fn known, const char *what, size_t max)
{
	char path[64];
	size_t i, j;

	if (sv->n > max)
		ibx_problems_addc(p, field, "too_many",
				  "more than %zu entries", max);
	for (i = 0; i < sv->n && i < max; i++) {
		snprintf(path, sizeof(path), "%s[%zu]", field, i);
		if (!known(sv->v[i])) {
			char shown[40];

			ibx_text_quote_short(shown, sizeof(shown), sv->v[i]);
			ibx_problems_addc(p, path, "unknown_code",
					  "unknown %s %s", what, shown);
			continue;
		}
		for (j = 0; j < i; j++)
			if (strcmp(sv->v[i], sv->v[j]) == 0) {
				ibx_problems_addc(
				    p, path, "repeated",
				    "repeats \"%s\" (first at [%zu])",
				    sv->v[i], j);
				break;
			}
	}
}

void
ibx_check_url(ibx_problems *p, const char *field, const char *url)
{
	const char *c, *host;

	if (url == NULL)
		return;
	if (strlen(url) > URL_MAX_BYTES) {
		ibx_problems_addc(p, field, "too_long", "longer than %d bytes",
				  URL_MAX_BYTES);
		return;
	}
	if (strncmp(url, "https://", 8) != 0 &&
	    strncmp(url, "http://", 7) != 0) {
		ibx_problems_addc(p, field, "url_scheme",
				  "must start with http:// or https://");
		return;
	}
	host = url + (url[4] == 's' ? 8 : 7);
	if (*host == '\0' || *host == '/' || *host == '?' || *host == '#') {
		ibx_problems_addc(p, field, "url_no_host", "has no host");
		return;
	}
	for (c = url; *c != '\0'; c++)
		if ((unsigned char)*c <= 0x20 || *c == 0x7f) {
			ibx_problems_addc(
			    p, field, "url_space",
			    "contains a space or control character");
			return;
		}
	/* Found by fuzz_listing_payload: bytes that are not UTF-8 cannot
	 * be stored as JSON, so the hub could not keep the listing. */
	if (!ibx_text_utf8_valid(url))
		ibx_problems_addc(p, field, "not_utf8",
				  "is not valid UTF-8 text");
}

void
ibx_check_contact(ibx_problems *p, const char *prefix, const char *email,
		  const char *phone)
{
	char efield[64], pfield[64];
	const char *c, *at;

	snprintf(efield, sizeof(efield), "%s.email", prefix);
	snprintf(pfield, sizeof(pfield), "%s.phone", prefix);

	if (email != NULL) {
		at = strchr(email, '@');
		if (strlen(email) > EMAIL_MAX_BYTES)
			ibx_problems_addc(p, efield, "too_long",
					  "longer than %d bytes",
					  EMAIL_MAX_BYTES);
		else if (at == NULL || at == email || at[1] == '\0' ||
			 strchr(at + 1, '@') != NULL ||
			 strpbrk(email, " \t\r\n<>\"") != NULL)
			ibx_problems_addc(p, efield, "not_email",
					  "is not an email address");
		else if ((c = strpbrk(email, "?#%,;")) != NULL)
			/* The pages make it a mailto: link, where "?bcc=",
			 * "?body=", a second recipient after ',' or an
			 * escape would act (RFC 6068, section 2). */
			ibx_problems_addc(
			    p, efield, "email_query",
			    "must be one plain address: '%c' would "
			    "add a query part (hidden recipients "
			    "or headers) to its mailto: link",
			    *c);
		else if (!ibx_text_utf8_valid(email))
			ibx_problems_addc(p, efield, "not_utf8",
					  "is not valid UTF-8 text");
	}
	if (phone != NULL) {
		if (strlen(phone) > PHONE_MAX_BYTES) {
			ibx_problems_addc(p, pfield, "too_long",
					  "longer than %d bytes",
					  PHONE_MAX_BYTES);
			return;
		}
		for (c = phone; *c != '\0'; c++)
			if (!isdigit((unsigned char)*c) &&
			    strchr(" +-()", *c) == NULL) {
				ibx_problems_addc(p, pfield, "phone_chars",
						  "may hold only digits, "
						  "spaces and + - ( )");
				return;
			}
	}
}
