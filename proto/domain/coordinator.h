/*
 * Coordinator listings: what a certified medical travel-support firm
 * publishes (certification and its expiry, languages, countries served,
 * services), in the same shape as hospital listings (listing.h).  The
 * format is docs/listing-format.md's "Coordinator listings".
 */
#ifndef IBX_COORDINATOR_H
#define IBX_COORDINATOR_H

#include "err.h"
#include "listing.h"
#include "problems.h"

typedef struct ibx_coordinator {
	char *organisation_code; /* 10 digits */
	char *name_ja;
	char *name_en;
	char *prefecture;	     /* JIS X 0401 of its office */
	char *certification;	     /* certification number */
	char *certification_expires; /* YYYY-MM-DD */
	ibx_strv languages;	     /* ISO 639-1 */
	ibx_strv countries_served;   /* ISO 3166-1 alpha-2 */
	ibx_strv services;	     /* the services vocabulary */
	char *website;
	char *contact_email;
	char *contact_phone;
	char *confirmed_at; /* YYYY-MM-DD */
	ibx_strv synthetic;
} ibx_coordinator;

/* ibx_coordinator_new / _free: an empty listing; free accepts NULL. */
ibx_coordinator *ibx_coordinator_new(void);
void ibx_coordinator_free(ibx_coordinator *c);

/* ibx_coordinator_check: every rule, each broken one added to problems
 * with its field path.  IBX_OK or IBX_EINVAL. */
ibx_err ibx_coordinator_check(const ibx_coordinator *c, ibx_problems *p);

/* ibx_code_coordinator_service: true for a code of the coordinator
 * services (IBX_LIST_COORDINATOR_SERVICE, deploy/data). */
bool ibx_code_coordinator_service(const char *s);

/* ibx_coordinator_from_json / _load_file / _to_json: as the hospital
 * listing functions in listing_json.h. */
ibx_err ibx_coordinator_from_json(const char *text, size_t len,
				  ibx_problems *p, ibx_coordinator **out);
ibx_err ibx_coordinator_load_file(const char *path, ibx_problems *p,
				  ibx_coordinator **out);
ibx_err ibx_coordinator_to_json(const ibx_coordinator *c, char **out);

#endif /* IBX_COORDINATOR_H */
