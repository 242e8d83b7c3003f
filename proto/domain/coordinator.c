/* Coordinator listings: struct and rules; see coordinator.h. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "codes.h"
#include "coordinator.h"

static const char *const fields[] = {"organisation_code",
				     "name",
				     "prefecture",
				     "certification",
				     "certification_expires",
				     "languages",
				     "countries_served",
				     "services",
				     "website",
				     "contact",
				     "confirmed_at",
				     NULL};

bool
ibx_code_coordinator_service(const char *s)
{
	return (ibx_code_valid(IBX_LIST_COORDINATOR_SERVICE, s));
}

static bool
field_known(const char *s)
{
	size_t i;

	for (i = 0; fields[i] != NULL; i++)
		if (strcmp(s, fields[i]) == 0)
			return (true);
	return (false);
}

static bool
prefecture_known(const char *s)
{
	return (ibx_code_prefecture_name(s) != NULL);
}

ibx_coordinator *
ibx_coordinator_new(void)
{
	return (calloc(1, sizeof(ibx_coordinator)));
}

void
ibx_coordinator_free(ibx_coordinator *c)
{
	if (c == NULL)
		return;
	free(c->organisation_code);
	free(c->name_ja);
	free(c->name_en);
	free(c->prefecture);
	free(c->certification);
	free(c->certification_expires);
	ibx_strv_fini(&c->languages);
	ibx_strv_fini(&c->countries_served);
	ibx_strv_fini(&c->services);
	free(c->website);
	free(c->contact_email);
	free(c->contact_phone);
	free(c->confirmed_at);
	ibx_strv_fini(&c->synthetic);
	free(c);
}

ibx_err
ibx_coordinator_check(const ibx_coordinator *c, ibx_problems *p)
{
	size_t before = ibx_problems_count(p);

	if (c->organisation_code == NULL)
		ibx_problems_addc(p, "organisation_code", "required",
				  "is required");
	else if (!ibx_digits(c->organisation_code, 10))
		ibx_problems_addc(p, "organisation_code", "digits_10",
				  "must be 10 digits");
	if (c->prefecture != NULL && !prefecture_known(c->prefecture))
		ibx_problems_addc(p, "prefecture", "unknown_prefecture",
				  "unknown JIS X 0401 code (01 to 47)");
	ibx_check_text(p, "name.ja", c->name_ja, 200, true);
	ibx_check_text(p, "name.en", c->name_en, 200, false);
	ibx_check_text(p, "certification", c->certification, 40, true);
	if (c->certification_expires == NULL)
		ibx_problems_addc(p, "certification_expires", "required",
				  "is required");
	else if (!ibx_date_valid(c->certification_expires))
		ibx_problems_addc(p, "certification_expires", "not_date",
				  "is not a YYYY-MM-DD date");
	ibx_check_codes(p, "languages", &c->languages, ibx_code_language,
			"ISO 639-1 code", 50);
	ibx_check_codes(p, "countries_served", &c->countries_served,
			ibx_code_country, "ISO 3166-1 alpha-2 code", 250);
	ibx_check_codes(p, "services", &c->services,
			ibx_code_coordinator_service, "service", 20);
	ibx_check_url(p, "website", c->website);
	ibx_check_contact(p, "contact", c->contact_email, c->contact_phone);
	if (c->confirmed_at != NULL && !ibx_date_valid(c->confirmed_at))
		ibx_problems_addc(p, "confirmed_at", "not_date",
				  "is not a YYYY-MM-DD date");
	ibx_check_codes(p, "synthetic", &c->synthetic, field_known,
			"listing field", 20);
	return (ibx_problems_count(p) > before ? IBX_EINVAL : IBX_OK);
}
