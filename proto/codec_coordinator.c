/*
 * The protobuf-c boundary for CoordinatorListing; see wire.h.  As in
 * codec.c, an empty wire string is NULL in the domain.
 */
#include <stdlib.h>
#include <string.h>

#include "inbound.pb-c.h"
#include "wire.h"

static char *
wstr(const char *s)
{
	return ((char *)(s != NULL ? s : ""));
}

static ibx_err
dstr(const char *s, char **out)
{
	if (s == NULL || *s == '\0') {
		*out = NULL;
		return (IBX_OK);
	}
	return ((*out = strdup(s)) != NULL ? IBX_OK : IBX_ENOMEM);
}

static ibx_err
dstrv(char **v, size_t n, ibx_strv *out)
{
	size_t i;
	ibx_err rv;

	for (i = 0; i < n; i++)
		if ((rv = ibx_strv_push(out, v[i])) != IBX_OK)
			return (rv);
	return (IBX_OK);
}

ibx_err
ibx_coordinator_encode(const ibx_coordinator *c, ibx_bytes *out)
{
	Inbound__V1__CoordinatorListing m =
	    INBOUND__V1__COORDINATOR_LISTING__INIT;
	Inbound__V1__LocalisedName name = INBOUND__V1__LOCALISED_NAME__INIT;
	Inbound__V1__Contact contact = INBOUND__V1__CONTACT__INIT;
	size_t n;

	m.organisation_code = wstr(c->organisation_code);
	name.ja = wstr(c->name_ja);
	name.en = wstr(c->name_en);
	m.name = &name;
	m.prefecture = wstr(c->prefecture);
	m.certification = wstr(c->certification);
	m.certification_expires = wstr(c->certification_expires);
	m.n_languages = c->languages.n;
	m.languages = c->languages.v;
	m.n_countries_served = c->countries_served.n;
	m.countries_served = c->countries_served.v;
	m.n_services = c->services.n;
	m.services = c->services.v;
	m.website = wstr(c->website);
	contact.email = wstr(c->contact_email);
	contact.phone = wstr(c->contact_phone);
	m.contact = &contact;
	m.confirmed_at = wstr(c->confirmed_at);
	m.n_synthetic = c->synthetic.n;
	m.synthetic = c->synthetic.v;
	n = inbound__v1__coordinator_listing__get_packed_size(&m);
	if ((out->data = malloc(n > 0 ? n : 1)) == NULL)
		return (IBX_ENOMEM);
	inbound__v1__coordinator_listing__pack(&m, out->data);
	out->len = n;
	return (IBX_OK);
}

ibx_err
ibx_coordinator_decode(const uint8_t *buf, size_t len, ibx_coordinator **out)
{
	Inbound__V1__CoordinatorListing *m;
	ibx_coordinator *c = NULL;
	ibx_err rv;

	m = inbound__v1__coordinator_listing__unpack(NULL, len, buf);
	if (m == NULL)
		return (IBX_EMALFORMED);
	if ((c = ibx_coordinator_new()) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	if ((rv = dstr(m->organisation_code, &c->organisation_code)) ||
	    (rv = dstr(m->prefecture, &c->prefecture)) ||
	    (rv = dstr(m->certification, &c->certification)) ||
	    (rv = dstr(m->certification_expires, &c->certification_expires)) ||
	    (rv = dstr(m->website, &c->website)) ||
	    (rv = dstr(m->confirmed_at, &c->confirmed_at)) ||
	    (rv = dstrv(m->languages, m->n_languages, &c->languages)) ||
	    (rv = dstrv(m->countries_served, m->n_countries_served,
			&c->countries_served)) ||
	    (rv = dstrv(m->services, m->n_services, &c->services)) ||
	    (rv = dstrv(m->synthetic, m->n_synthetic, &c->synthetic)))
		goto out;
	if (m->name != NULL && ((rv = dstr(m->name->ja, &c->name_ja)) ||
				(rv = dstr(m->name->en, &c->name_en))))
		goto out;
	if (m->contact != NULL &&
	    ((rv = dstr(m->contact->email, &c->contact_email)) ||
	     (rv = dstr(m->contact->phone, &c->contact_phone))))
		goto out;
	*out = c;
	c = NULL;
out:
	ibx_coordinator_free(c);
	inbound__v1__coordinator_listing__free_unpacked(m, NULL);
	return (rv);
}
