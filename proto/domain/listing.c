/* The listing struct: creation, release and string vectors. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"

ibx_listing *
ibx_listing_new(void)
{
	ibx_listing *l = calloc(1, sizeof(*l));

	if (l != NULL) {
		l->beds = -1;
		l->receives_foreign_patients = -1;
	}
	return (l);
}

void
ibx_listing_free(ibx_listing *l)
{
	size_t i;

	if (l == NULL)
		return;
	free(l->organisation_code);
	free(l->name_ja);
	free(l->name_en);
	free(l->prefecture);
	free(l->postal_code);
	free(l->address);
	ibx_strv_fini(&l->departments);
	ibx_strv_fini(&l->treatments);
	ibx_strv_fini(&l->languages);
	ibx_strv_fini(&l->accepts_countries);
	for (i = 0; i < l->n_accreditations; i++) {
		free(l->accreditations[i].scheme);
		free(l->accreditations[i].expires);
	}
	free(l->accreditations);
	for (i = 0; i < l->n_price_bands; i++)
		free(l->price_bands[i].service);
	free(l->price_bands);
	free(l->website);
	free(l->contact_email);
	free(l->contact_phone);
	free(l->confirmed_at);
	ibx_strv_fini(&l->synthetic);
	for (i = 0; i < IBX_NAME_NLANGS; i++)
		free(l->names[i]);
	free(l->address_latn);
	free(l->name_en_source);
	free(l->geocode_level);
	free(l);
}

ibx_err
ibx_strv_push(ibx_strv *sv, const char *s)
{
	char **v;
	char *copy;

	assert(sv != NULL && s != NULL);
	if ((copy = strdup(s)) == NULL)
		return (IBX_ENOMEM);
	if ((v = realloc(sv->v, (sv->n + 1) * sizeof(*v))) == NULL) {
		free(copy);
		return (IBX_ENOMEM);
	}
	v[sv->n++] = copy;
	sv->v = v;
	return (IBX_OK);
}

bool
ibx_strv_contains(const ibx_strv *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (strcmp(sv->v[i], s) == 0)
			return (true);
	return (false);
}

void
ibx_strv_fini(ibx_strv *sv)
{
	size_t i;

	if (sv == NULL)
		return;
	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = 0;
}
