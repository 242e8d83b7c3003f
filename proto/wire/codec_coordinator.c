/*
 * The protobuf-c boundary for CoordinatorListing; see wire.h.  As in
 * codec.c, an empty wire string is NULL in the domain.
 */
#include <stdlib.h>
#include <string.h>

#include "inbound.pb-c.h"
#include "codec_util.h"
#include "wire.h"

ibx_err
ibx_coordinator_encode(const ibx_coordinator *c, ibx_bytes *out)
{
	Inbound__V1__CoordinatorListing m =
	    INBOUND__V1__COORDINATOR_LISTING__INIT;
	Inbound__V1__LocalisedName name = INBOUND__V1__LOCALISED_NAME__INIT;
	Inbound__V1__Contact contact = INBOUND__V1__CONTACT__INIT;
	size_t n;

	m.organisation_code = ibx_codec_wstr(c->organisation_code);
	name.ja = ibx_codec_wstr(c->name_ja);
	name.en = ibx_codec_wstr(c->name_en);
	m.name = &name;
	m.prefecture = ibx_codec_wstr(c->prefecture);
	m.certification = ibx_codec_wstr(c->certification);
	m.certification_expires = ibx_codec_wstr(c->certification_expires);
	m.n_languages = c->languages.n;
	m.languages = c->languages.v;
	m.n_countries_served = c->countries_served.n;
	m.countries_served = c->countries_served.v;
	m.n_services = c->services.n;
	m.services = c->services.v;
	m.website = ibx_codec_wstr(c->website);
	contact.email = ibx_codec_wstr(c->contact_email);
	contact.phone = ibx_codec_wstr(c->contact_phone);
	m.contact = &contact;
	m.confirmed_at = ibx_codec_wstr(c->confirmed_at);
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
	if ((rv = ibx_codec_dstr(m->organisation_code,
				 &c->organisation_code)) ||
	    (rv = ibx_codec_dstr(m->prefecture, &c->prefecture)) ||
	    (rv = ibx_codec_dstr(m->certification, &c->certification)) ||
	    (rv = ibx_codec_dstr(m->certification_expires,
				 &c->certification_expires)) ||
	    (rv = ibx_codec_dstr(m->website, &c->website)) ||
	    (rv = ibx_codec_dstr(m->confirmed_at, &c->confirmed_at)) ||
	    (rv = ibx_codec_dstrv(m->languages, m->n_languages,
				  &c->languages)) ||
	    (rv = ibx_codec_dstrv(m->countries_served, m->n_countries_served,
				  &c->countries_served)) ||
	    (rv = ibx_codec_dstrv(m->services, m->n_services, &c->services)) ||
	    (rv =
		 ibx_codec_dstrv(m->synthetic, m->n_synthetic, &c->synthetic)))
		goto out;
	if (m->name != NULL &&
	    ((rv = ibx_codec_dstr(m->name->ja, &c->name_ja)) ||
	     (rv = ibx_codec_dstr(m->name->en, &c->name_en))))
		goto out;
	if (m->contact != NULL &&
	    ((rv = ibx_codec_dstr(m->contact->email, &c->contact_email)) ||
	     (rv = ibx_codec_dstr(m->contact->phone, &c->contact_phone))))
		goto out;
	*out = c;
	c = NULL;
out:
	ibx_coordinator_free(c);
	inbound__v1__coordinator_listing__free_unpacked(m, NULL);
	return (rv);
}
