/*
 * The protobuf-c boundary: domain structs <-> inbound.v1 messages.  Generated
 * structs live only inside these functions; every decoder copies what it
 * needs and frees the unpacked message before returning.  Proto3 has no
 * "absent" for strings: an empty string on the wire is NULL in the domain.
 */
#include <stdlib.h>
#include <string.h>

#include "inbound.pb-c.h"
#include "codec_util.h"
#include "wire.h"

static ibx_err
pack(const ProtobufCMessage *m, ibx_bytes *out)
{
	size_t n = protobuf_c_message_get_packed_size(m);
	uint8_t *buf = malloc(n > 0 ? n : 1);

	if (buf == NULL)
		return (IBX_ENOMEM);
	protobuf_c_message_pack(m, buf);
	out->data = buf;
	out->len = n;
	return (IBX_OK);
}

/* A domain string for the wire: NULL becomes "". */
char *
ibx_codec_wstr(const char *s)
{
	return ((char *)(s != NULL ? s : ""));
}

/* A wire string for the domain: "" becomes NULL; otherwise a copy. */
ibx_err
ibx_codec_dstr(const char *s, char **out)
{
	if (s == NULL || *s == '\0') {
		*out = NULL;
		return (IBX_OK);
	}
	return ((*out = strdup(s)) != NULL ? IBX_OK : IBX_ENOMEM);
}

ibx_err
ibx_codec_dstrv(char **v, size_t n, ibx_strv *out)
{
	size_t i;
	ibx_err rv;

	for (i = 0; i < n; i++)
		if ((rv = ibx_strv_push(out, v[i])) != IBX_OK)
			return (rv);
	return (IBX_OK);
}

static ibx_err
dbytes(ProtobufCBinaryData b, ibx_bytes *out)
{
	out->data = malloc(b.len > 0 ? b.len : 1);
	if (out->data == NULL)
		return (IBX_ENOMEM);
	if (b.len > 0)
		memcpy(out->data, b.data, b.len);
	out->len = b.len;
	return (IBX_OK);
}

void
ibx_bytes_fini(ibx_bytes *b)
{
	if (b == NULL)
		return;
	free(b->data);
	b->data = NULL;
	b->len = 0;
}

const char *
ibx_ack_status_name(ibx_ack_status s)
{
	switch (s) {
	case IBX_ACK_UNSPECIFIED:
		return ("unspecified");
	case IBX_ACK_ACCEPTED:
		return ("accepted");
	case IBX_ACK_DUPLICATE:
		return ("duplicate");
	case IBX_ACK_MALFORMED:
		return ("malformed");
	case IBX_ACK_INVALID:
		return ("invalid");
	case IBX_ACK_UNKNOWN_PAYLOAD:
		return ("unknown payload type");
	case IBX_ACK_UNSUPPORTED_SCHEMA:
		return ("unsupported schema version");
	case IBX_ACK_BAD_SIGNATURE:
		return ("bad signature");
	case IBX_ACK_BAD_CERTIFICATE:
		return ("bad certificate");
	case IBX_ACK_CERT_EXPIRED:
		return ("certificate expired");
	case IBX_ACK_CERT_NOT_YET_VALID:
		return ("certificate not yet valid");
	case IBX_ACK_CERT_REVOKED:
		return ("certificate revoked");
	case IBX_ACK_SENDER_MISMATCH:
		return ("sender does not match certificate");
	case IBX_ACK_ROLE_FORBIDDEN:
		return ("role not allowed");
	case IBX_ACK_REPLAY:
		return ("replayed sequence");
	case IBX_ACK_CLOCK_SKEW:
		return ("clock skew");
	case IBX_ACK_UNSIGNED:
		return ("unsigned");
	case IBX_ACK_RETRY_LATER:
		return ("retry later");
	}
	return ("unknown status");
}

int
ibx_ack_status_final(ibx_ack_status s)
{
	return (s != IBX_ACK_RETRY_LATER && s != IBX_ACK_UNSPECIFIED);
}

ibx_err
ibx_header_encode(const ibx_header *h, ibx_bytes *out)
{
	Inbound__V1__Header m = INBOUND__V1__HEADER__INIT;

	m.sender_id = (char *)h->sender_id;
	m.sequence = h->sequence;
	m.created_at_ms = h->created_at_ms;
	m.payload_type = (Inbound__V1__PayloadType)h->payload_type;
	m.cert.data = h->cert.data;
	m.cert.len = h->cert.len;
	m.schema_version = h->schema_version;
	return (pack(&m.base, out));
}

ibx_err
ibx_header_decode(const uint8_t *buf, size_t len, ibx_header *out)
{
	Inbound__V1__Header *m;
	ibx_err rv = IBX_OK;

	memset(out, 0, sizeof(*out));
	if ((m = inbound__v1__header__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	if (strlen(m->sender_id) >= sizeof(out->sender_id)) {
		rv = IBX_EMALFORMED;
		goto out;
	}
	strcpy(out->sender_id, m->sender_id);
	out->sequence = m->sequence;
	out->created_at_ms = m->created_at_ms;
	out->payload_type = (ibx_payload_type)m->payload_type;
	out->schema_version = m->schema_version;
	if (m->cert.len > 0)
		rv = dbytes(m->cert, &out->cert);
out:
	inbound__v1__header__free_unpacked(m, NULL);
	return (rv);
}

ibx_err
ibx_envelope_encode(const ibx_envelope *e, ibx_bytes *out)
{
	Inbound__V1__Envelope m = INBOUND__V1__ENVELOPE__INIT;

	m.header.data = e->header.data;
	m.header.len = e->header.len;
	m.payload.data = e->payload.data;
	m.payload.len = e->payload.len;
	m.signature.data = e->signature.data;
	m.signature.len = e->signature.len;
	return (pack(&m.base, out));
}

ibx_err
ibx_envelope_decode(const uint8_t *buf, size_t len, ibx_envelope *out)
{
	Inbound__V1__Envelope *m;
	ibx_err rv;

	memset(out, 0, sizeof(*out));
	if ((m = inbound__v1__envelope__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	if ((rv = dbytes(m->header, &out->header)) != IBX_OK ||
	    (rv = dbytes(m->payload, &out->payload)) != IBX_OK ||
	    (rv = dbytes(m->signature, &out->signature)) != IBX_OK)
		ibx_envelope_fini(out);
	inbound__v1__envelope__free_unpacked(m, NULL);
	return (rv);
}

void
ibx_envelope_fini(ibx_envelope *e)
{
	if (e == NULL)
		return;
	ibx_bytes_fini(&e->header);
	ibx_bytes_fini(&e->payload);
	ibx_bytes_fini(&e->signature);
}

ibx_payload_type
ibx_envelope_payload_type(const uint8_t *buf, size_t len)
{
	ibx_envelope e;
	ibx_header h;
	ibx_payload_type t = IBX_PAYLOAD_UNSPECIFIED;

	memset(&e, 0, sizeof(e));
	memset(&h, 0, sizeof(h));
	if (ibx_envelope_decode(buf, len, &e) == IBX_OK &&
	    ibx_header_decode(e.header.data, e.header.len, &h) == IBX_OK)
		t = h.payload_type;
	ibx_bytes_fini(&h.cert);
	ibx_envelope_fini(&e);
	return (t);
}

ibx_err
ibx_ack_encode(const ibx_ack *a, ibx_bytes *out)
{
	return (ibx_ack_encode_reply(a, NULL, 0, out));
}

ibx_err
ibx_ack_encode_reply(const ibx_ack *a, const uint8_t *reply, size_t len,
		     ibx_bytes *out)
{
	Inbound__V1__Ack m = INBOUND__V1__ACK__INIT;
	Inbound__V1__ImportSummary s = INBOUND__V1__IMPORT_SUMMARY__INIT;

	m.sequence = a->sequence;
	m.status = (Inbound__V1__AckStatus)a->status;
	m.error = (char *)a->error;
	m.listing_version = a->listing_version;
	s.imported = a->summary.imported;
	s.updated = a->summary.updated;
	s.unchanged = a->summary.unchanged;
	s.refused = a->summary.refused;
	s.deleted = a->summary.deleted;
	m.summary = &s;
	m.signature.data = (uint8_t *)a->signature;
	m.signature.len = a->signature_len;
	m.hub_cert.data = (uint8_t *)a->hub_cert;
	m.hub_cert.len = a->hub_cert_len;
	m.reply.data = (uint8_t *)reply;
	m.reply.len = reply != NULL ? len : 0;
	return (pack(&m.base, out));
}

ibx_err
ibx_ack_decode(const uint8_t *buf, size_t len, ibx_ack *out)
{
	Inbound__V1__Ack *m;

	memset(out, 0, sizeof(*out));
	if ((m = inbound__v1__ack__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	out->sequence = m->sequence;
	out->status = (ibx_ack_status)m->status;
	strncpy(out->error, m->error, sizeof(out->error) - 1);
	out->listing_version = m->listing_version;
	if (m->summary != NULL) {
		out->summary.imported = m->summary->imported;
		out->summary.updated = m->summary->updated;
		out->summary.unchanged = m->summary->unchanged;
		out->summary.refused = m->summary->refused;
		out->summary.deleted = m->summary->deleted;
	}
	if (m->signature.len > sizeof(out->signature) ||
	    m->hub_cert.len > sizeof(out->hub_cert)) {
		inbound__v1__ack__free_unpacked(m, NULL);
		memset(out, 0, sizeof(*out));
		return (IBX_EMALFORMED);
	}
	if (m->signature.len > 0)
		memcpy(out->signature, m->signature.data, m->signature.len);
	out->signature_len = m->signature.len;
	if (m->hub_cert.len > 0)
		memcpy(out->hub_cert, m->hub_cert.data, m->hub_cert.len);
	out->hub_cert_len = m->hub_cert.len;
	out->reply_len = m->reply.len;
	inbound__v1__ack__free_unpacked(m, NULL);
	return (IBX_OK);
}

ibx_err
ibx_ack_reply_extract(const uint8_t *buf, size_t len, ibx_bytes *reply)
{
	Inbound__V1__Ack *m;
	ibx_err rv;

	reply->data = NULL;
	reply->len = 0;
	if ((m = inbound__v1__ack__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	if (m->reply.len > IBX_WIRE_MAX_MESSAGE)
		rv = IBX_EMALFORMED;
	else
		rv = dbytes(m->reply, reply);
	inbound__v1__ack__free_unpacked(m, NULL);
	return (rv);
}

ibx_err
ibx_listing_encode(const ibx_listing *l, ibx_bytes *out)
{
	Inbound__V1__HospitalListing m = INBOUND__V1__HOSPITAL_LISTING__INIT;
	Inbound__V1__LocalisedName name = INBOUND__V1__LOCALISED_NAME__INIT;
	Inbound__V1__GeoPoint loc = INBOUND__V1__GEO_POINT__INIT;
	Inbound__V1__Contact contact = INBOUND__V1__CONTACT__INIT;
	Inbound__V1__Accreditation *accs = NULL, **accp = NULL;
	Inbound__V1__PriceBand *bands = NULL, **bandp = NULL;
	size_t i;
	ibx_err rv;

	accs = calloc(l->n_accreditations + 1, sizeof(*accs));
	accp = calloc(l->n_accreditations + 1, sizeof(*accp));
	bands = calloc(l->n_price_bands + 1, sizeof(*bands));
	bandp = calloc(l->n_price_bands + 1, sizeof(*bandp));
	if (accs == NULL || accp == NULL || bands == NULL || bandp == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	m.organisation_code = ibx_codec_wstr(l->organisation_code);
	name.ja = ibx_codec_wstr(l->name_ja);
	name.en = ibx_codec_wstr(l->name_en);
	name.zh_hans = ibx_codec_wstr(l->names[0]);
	name.zh_hant = ibx_codec_wstr(l->names[1]);
	name.ko = ibx_codec_wstr(l->names[2]);
	name.vi = ibx_codec_wstr(l->names[3]);
	name.ru = ibx_codec_wstr(l->names[4]);
	name.ja_latn = ibx_codec_wstr(l->names[5]);
	m.name = &name;
	m.address_latn = ibx_codec_wstr(l->address_latn);
	m.name_en_source = ibx_codec_wstr(l->name_en_source);
	m.geocode_level = ibx_codec_wstr(l->geocode_level);
	m.receives_foreign_patients = l->receives_foreign_patients + 1;
	m.prefecture = ibx_codec_wstr(l->prefecture);
	m.postal_code = ibx_codec_wstr(l->postal_code);
	m.address = ibx_codec_wstr(l->address);
	m.has_location = l->has_location;
	if (l->has_location) {
		loc.lat = l->lat;
		loc.lon = l->lon;
		m.location = &loc;
	}
	/* beds -1 (unknown) travels as -1: 0 is a real value. */
	m.beds = l->beds;
	m.n_departments = l->departments.n;
	m.departments = l->departments.v;
	m.n_treatments = l->treatments.n;
	m.treatments = l->treatments.v;
	m.n_languages = l->languages.n;
	m.languages = l->languages.v;
	m.n_accepts_countries = l->accepts_countries.n;
	m.accepts_countries = l->accepts_countries.v;
	for (i = 0; i < l->n_accreditations; i++) {
		inbound__v1__accreditation__init(&accs[i]);
		accs[i].scheme = ibx_codec_wstr(l->accreditations[i].scheme);
		accs[i].expires = ibx_codec_wstr(l->accreditations[i].expires);
		accp[i] = &accs[i];
	}
	m.n_accreditations = l->n_accreditations;
	m.accreditations = accp;
	for (i = 0; i < l->n_price_bands; i++) {
		inbound__v1__price_band__init(&bands[i]);
		bands[i].service = ibx_codec_wstr(l->price_bands[i].service);
		bands[i].min_jpy = l->price_bands[i].min_jpy;
		bands[i].max_jpy = l->price_bands[i].max_jpy;
		bandp[i] = &bands[i];
	}
	m.n_price_bands = l->n_price_bands;
	m.price_bands = bandp;
	m.remote_second_opinion = l->remote_second_opinion;
	m.website = ibx_codec_wstr(l->website);
	contact.email = ibx_codec_wstr(l->contact_email);
	contact.phone = ibx_codec_wstr(l->contact_phone);
	m.international_contact = &contact;
	m.confirmed_at = ibx_codec_wstr(l->confirmed_at);
	m.n_synthetic = l->synthetic.n;
	m.synthetic = l->synthetic.v;
	rv = pack(&m.base, out);
out:
	free(accs);
	free(accp);
	free(bands);
	free(bandp);
	return (rv);
}

static ibx_err
listing_copy(const Inbound__V1__HospitalListing *m, ibx_listing *l)
{
	size_t i;
	ibx_err rv;

	if ((rv = ibx_codec_dstr(m->organisation_code,
				 &l->organisation_code)) ||
	    (rv = ibx_codec_dstr(m->prefecture, &l->prefecture)) ||
	    (rv = ibx_codec_dstr(m->postal_code, &l->postal_code)) ||
	    (rv = ibx_codec_dstr(m->address, &l->address)) ||
	    (rv = ibx_codec_dstr(m->website, &l->website)) ||
	    (rv = ibx_codec_dstr(m->confirmed_at, &l->confirmed_at)))
		return (rv);
	if (m->name != NULL &&
	    ((rv = ibx_codec_dstr(m->name->ja, &l->name_ja)) ||
	     (rv = ibx_codec_dstr(m->name->en, &l->name_en)) ||
	     (rv = ibx_codec_dstr(m->name->zh_hans, &l->names[0])) ||
	     (rv = ibx_codec_dstr(m->name->zh_hant, &l->names[1])) ||
	     (rv = ibx_codec_dstr(m->name->ko, &l->names[2])) ||
	     (rv = ibx_codec_dstr(m->name->vi, &l->names[3])) ||
	     (rv = ibx_codec_dstr(m->name->ru, &l->names[4])) ||
	     (rv = ibx_codec_dstr(m->name->ja_latn, &l->names[5]))))
		return (rv);
	if ((rv = ibx_codec_dstr(m->address_latn, &l->address_latn)) ||
	    (rv = ibx_codec_dstr(m->name_en_source, &l->name_en_source)) ||
	    (rv = ibx_codec_dstr(m->geocode_level, &l->geocode_level)))
		return (rv);
	/* Out of range values read as "not given"; 1 no, 2 yes. */
	l->receives_foreign_patients = m->receives_foreign_patients == 1 ? 0
				       : m->receives_foreign_patients == 2
					   ? 1
					   : -1;
	if (m->has_location && m->location != NULL) {
		l->has_location = true;
		l->lat = m->location->lat;
		l->lon = m->location->lon;
	}
	l->beds = m->beds;
	if ((rv = ibx_codec_dstrv(m->departments, m->n_departments,
				  &l->departments)) ||
	    (rv = ibx_codec_dstrv(m->treatments, m->n_treatments,
				  &l->treatments)) ||
	    (rv = ibx_codec_dstrv(m->languages, m->n_languages,
				  &l->languages)) ||
	    (rv = ibx_codec_dstrv(m->accepts_countries, m->n_accepts_countries,
				  &l->accepts_countries)) ||
	    (rv =
		 ibx_codec_dstrv(m->synthetic, m->n_synthetic, &l->synthetic)))
		return (rv);
	l->accreditations =
	    calloc(m->n_accreditations + 1, sizeof(*l->accreditations));
	l->price_bands = calloc(m->n_price_bands + 1, sizeof(*l->price_bands));
	if (l->accreditations == NULL || l->price_bands == NULL)
		return (IBX_ENOMEM);
	for (i = 0; i < m->n_accreditations; i++) {
		ibx_accreditation *a = &l->accreditations[i];

		l->n_accreditations++;
		if ((rv = ibx_codec_dstr(m->accreditations[i]->scheme,
					 &a->scheme)) ||
		    (rv = ibx_codec_dstr(m->accreditations[i]->expires,
					 &a->expires)))
			return (rv);
	}
	for (i = 0; i < m->n_price_bands; i++) {
		ibx_price_band *b = &l->price_bands[i];

		l->n_price_bands++;
		if ((rv = ibx_codec_dstr(m->price_bands[i]->service,
					 &b->service)))
			return (rv);
		b->min_jpy = m->price_bands[i]->min_jpy;
		b->max_jpy = m->price_bands[i]->max_jpy;
	}
	l->remote_second_opinion = m->remote_second_opinion;
	if (m->international_contact != NULL &&
	    ((rv = ibx_codec_dstr(m->international_contact->email,
				  &l->contact_email)) ||
	     (rv = ibx_codec_dstr(m->international_contact->phone,
				  &l->contact_phone))))
		return (rv);
	return (IBX_OK);
}

ibx_err
ibx_listing_decode(const uint8_t *buf, size_t len, ibx_listing **out)
{
	Inbound__V1__HospitalListing *m;
	ibx_listing *l = NULL;
	ibx_err rv;

	m = inbound__v1__hospital_listing__unpack(NULL, len, buf);
	if (m == NULL)
		return (IBX_EMALFORMED);
	if ((l = ibx_listing_new()) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	if ((rv = listing_copy(m, l)) != IBX_OK)
		goto out;
	*out = l;
	l = NULL;
out:
	ibx_listing_free(l);
	inbound__v1__hospital_listing__free_unpacked(m, NULL);
	return (rv);
}
