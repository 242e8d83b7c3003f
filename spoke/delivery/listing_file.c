/* Listing files as payloads; see agent_listing.h. */
#include <string.h>

#include "listing_file.h"
#include "coordinator.h"
#include "listing_json.h"

ibx_listing *
spoke_listing_hospital(const char *path, ibx_problems *problems)
{
	ibx_listing *l = NULL;

	if (ibx_listing_load_file(path, problems, &l) == IBX_OK &&
	    ibx_listing_check(l, problems) != IBX_OK) {
		ibx_listing_free(l);
		l = NULL;
	}
	return (l);
}

/* Read and check the coordinator listing at path (NULL when refused). */
static ibx_coordinator *
coordinator(const char *path, ibx_problems *problems)
{
	ibx_coordinator *k = NULL;

	if (ibx_coordinator_load_file(path, problems, &k) == IBX_OK &&
	    ibx_coordinator_check(k, problems) != IBX_OK) {
		ibx_coordinator_free(k);
		k = NULL;
	}
	return (k);
}

ibx_err
spoke_listing_load(const char *path, const spoke_identity *id,
		   ibx_problems *problems, ibx_payload_type *type,
		   char code[32], ibx_bytes *payload)
{
	ibx_listing *l = NULL;
	ibx_coordinator *k = NULL;
	ibx_bytes out = {NULL, 0};
	const char *own;
	ibx_err rv = IBX_EINVAL;

	code[0] = '\0';
	if (strcmp(id->role, "coordinator") == 0) {
		if ((k = coordinator(path, problems)) == NULL)
			goto out;
		own = k->organisation_code;
		*type = IBX_PAYLOAD_COORDINATOR_LISTING;
	} else {
		if ((l = spoke_listing_hospital(path, problems)) == NULL)
			goto out;
		own = l->organisation_code;
		*type = IBX_PAYLOAD_HOSPITAL_LISTING;
	}
	snprintf(code, 32, "%s", own);
	if (strcmp(id->code, own) != 0) {
		ibx_problems_add(problems, "organisation_code",
				 "%s is not this spoke's organisation (%s, "
				 "%s)",
				 own, id->code, id->role);
		goto out;
	}
	rv = k != NULL ? ibx_coordinator_encode(k, &out)
		       : ibx_listing_encode(l, &out);
	if (rv == IBX_OK)
		*payload = out;
out:
	ibx_listing_free(l);
	ibx_coordinator_free(k);
	return (rv);
}

void
spoke_listing_problems_print(FILE *f, const char *path, const char *what,
			     const ibx_problems *problems)
{
	size_t i;

	for (i = 0; i < problems->n; i++)
		fprintf(f, "%s: %s refused: %s\n", path, what,
			problems->items[i]);
	if (problems->dropped > 0)
		fprintf(f, "%s: and %zu more problems\n", path,
			problems->dropped);
}
