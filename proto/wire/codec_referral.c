/*
 * The protobuf-c boundary for the referral channel (wire.h, referral.h):
 * EncryptionKey, KeyQuery, KeyReply, Referral, ReferralChunk,
 * ReferralStatus, InboxQuery, InboxReply and ChunkQuery.  Generated structs
 * live only inside these functions; each decoder copies into the domain
 * struct, names every field that does not fit it, and frees the unpacked
 * message before returning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inbound.pb-c.h"
#include "wire.h"

/* Where problems go when the caller passes none. */
typedef struct sink {
	ibx_problems own;
	ibx_problems *p;
	size_t before;
} sink;

static void
sink_open(sink *k, ibx_problems *p)
{
	ibx_problems_init(&k->own);
	k->p = p != NULL ? p : &k->own;
	k->before = ibx_problems_count(k->p);
}

/* IBX_EINVAL when a problem was added since sink_open, else IBX_OK. */
static ibx_err
sink_close(sink *k)
{
	ibx_err rv =
	    ibx_problems_count(k->p) > k->before ? IBX_EINVAL : IBX_OK;

	ibx_problems_fini(&k->own);
	return (rv);
}

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

/* Copy wire string s into dst (cap bytes with the NUL), or name field. */
static void
put_str(sink *k, const char *field, const char *s, char *dst, size_t cap)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n >= cap) {
		ibx_problems_add(k->p, field, "longer than %zu bytes",
				 cap - 1);
		dst[0] = '\0';
		return;
	}
	if (n > 0)
		memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Copy exactly n bytes of b into dst, or name field. */
static void
put_fixed(sink *k, const char *field, ProtobufCBinaryData b, uint8_t *dst,
	  size_t n)
{
	if (b.len != n) {
		ibx_problems_add(k->p, field, "must be %zu bytes, not %zu", n,
				 b.len);
		return;
	}
	memcpy(dst, b.data, n);
}

/* A heap copy of b (at most max bytes), or name field. */
static ibx_err
put_bytes(sink *k, const char *field, ProtobufCBinaryData b, size_t max,
	  ibx_bytes *out)
{
	out->data = NULL;
	out->len = 0;
	if (b.len > max) {
		ibx_problems_add(k->p, field, "%zu bytes, more than %zu",
				 b.len, max);
		return (IBX_OK);
	}
	if ((out->data = malloc(b.len > 0 ? b.len : 1)) == NULL)
		return (IBX_ENOMEM);
	if (b.len > 0)
		memcpy(out->data, b.data, b.len);
	out->len = b.len;
	return (IBX_OK);
}

/* ---- EncryptionKey ------------------------------------------------------ */

ibx_err
ibx_encryption_key_encode(const ibx_encryption_key *k, ibx_bytes *out)
{
	Inbound__V1__EncryptionKey m = INBOUND__V1__ENCRYPTION_KEY__INIT;

	m.organisation_code = (char *)k->organisation_code;
	m.key_id = (char *)k->key_id;
	m.public_key.data = (uint8_t *)k->public_key;
	m.public_key.len = sizeof(k->public_key);
	m.created_at_ms = k->created_at_ms;
	m.use_until_ms = k->use_until_ms;
	return (pack(&m.base, out));
}

ibx_err
ibx_encryption_key_decode(const uint8_t *buf, size_t len, ibx_problems *p,
			  ibx_encryption_key *out)
{
	Inbound__V1__EncryptionKey *m;
	ibx_encryption_key k;
	sink s;
	ibx_err rv;

	memset(out, 0, sizeof(*out));
	if ((m = inbound__v1__encryption_key__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	memset(&k, 0, sizeof(k));
	sink_open(&s, p);
	put_str(&s, "organisation_code", m->organisation_code,
		k.organisation_code, sizeof(k.organisation_code));
	put_str(&s, "key_id", m->key_id, k.key_id, sizeof(k.key_id));
	put_fixed(&s, "public_key", m->public_key, k.public_key,
		  sizeof(k.public_key));
	k.created_at_ms = m->created_at_ms;
	k.use_until_ms = m->use_until_ms;
	inbound__v1__encryption_key__free_unpacked(m, NULL);
	if ((rv = sink_close(&s)) == IBX_OK)
		*out = k;
	return (rv);
}

/* ---- KeyQuery, ChunkQuery, InboxQuery ----------------------------------- */

ibx_err
ibx_key_query_encode(const ibx_key_query *q, ibx_bytes *out)
{
	Inbound__V1__KeyQuery m = INBOUND__V1__KEY_QUERY__INIT;

	m.organisation_code = (char *)q->organisation_code;
	return (pack(&m.base, out));
}

ibx_err
ibx_key_query_decode(const uint8_t *buf, size_t len, ibx_problems *p,
		     ibx_key_query *out)
{
	Inbound__V1__KeyQuery *m;
	ibx_key_query q;
	sink s;
	ibx_err rv;

	memset(out, 0, sizeof(*out));
	if ((m = inbound__v1__key_query__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	memset(&q, 0, sizeof(q));
	sink_open(&s, p);
	put_str(&s, "organisation_code", m->organisation_code,
		q.organisation_code, sizeof(q.organisation_code));
	inbound__v1__key_query__free_unpacked(m, NULL);
	if ((rv = sink_close(&s)) == IBX_OK)
		*out = q;
	return (rv);
}

ibx_err
ibx_chunk_query_encode(const ibx_chunk_query *q, ibx_bytes *out)
{
	Inbound__V1__ChunkQuery m = INBOUND__V1__CHUNK_QUERY__INIT;

	m.referral_id = (char *)q->referral_id;
	m.index = q->index;
	return (pack(&m.base, out));
}

ibx_err
ibx_chunk_query_decode(const uint8_t *buf, size_t len, ibx_problems *p,
		       ibx_chunk_query *out)
{
	Inbound__V1__ChunkQuery *m;
	ibx_chunk_query q;
	sink s;
	ibx_err rv;

	memset(out, 0, sizeof(*out));
	if ((m = inbound__v1__chunk_query__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	memset(&q, 0, sizeof(q));
	sink_open(&s, p);
	put_str(&s, "referral_id", m->referral_id, q.referral_id,
		sizeof(q.referral_id));
	q.index = m->index;
	inbound__v1__chunk_query__free_unpacked(m, NULL);
	if ((rv = sink_close(&s)) == IBX_OK)
		*out = q;
	return (rv);
}

ibx_err
ibx_inbox_query_encode(const ibx_inbox_query *q, ibx_bytes *out)
{
	Inbound__V1__InboxQuery m = INBOUND__V1__INBOX_QUERY__INIT;

	m.after = q->after;
	m.limit = q->limit;
	return (pack(&m.base, out));
}

ibx_err
ibx_inbox_query_decode(const uint8_t *buf, size_t len, ibx_problems *p,
		       ibx_inbox_query *out)
{
	Inbound__V1__InboxQuery *m;

	(void)p;
	memset(out, 0, sizeof(*out));
	if ((m = inbound__v1__inbox_query__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	out->after = m->after;
	out->limit = m->limit;
	inbound__v1__inbox_query__free_unpacked(m, NULL);
	return (IBX_OK);
}

/* ---- Referral ----------------------------------------------------------- */

ibx_err
ibx_referral_encode(const ibx_referral *r, ibx_bytes *out)
{
	Inbound__V1__Referral m = INBOUND__V1__REFERRAL__INIT;
	char *langs[IBX_REFERRAL_LANGUAGES_MAX];
	size_t i;

	if (r->n_languages > IBX_REFERRAL_LANGUAGES_MAX)
		return (IBX_ETOOBIG);
	m.referral_id = (char *)r->referral_id;
	m.receiver = (char *)r->receiver;
	m.key_id = (char *)r->key_id;
	m.sealed_key.data = (uint8_t *)r->sealed_key;
	m.sealed_key.len = sizeof(r->sealed_key);
	m.stream_header.data = (uint8_t *)r->stream_header;
	m.stream_header.len = sizeof(r->stream_header);
	m.purpose = (char *)r->purpose;
	m.department = (char *)r->department;
	m.treatment = (char *)r->treatment;
	m.nationality = (char *)r->nationality;
	m.age_band = (char *)r->age_band;
	for (i = 0; i < r->n_languages; i++)
		langs[i] = (char *)r->languages[i];
	m.n_languages = r->n_languages;
	m.languages = langs;
	m.urgency = (char *)r->urgency;
	m.package_bytes = r->package_bytes;
	m.chunk_count = r->chunk_count;
	m.chunks_sha256.data = (uint8_t *)r->chunks_sha256;
	m.chunks_sha256.len = sizeof(r->chunks_sha256);
	m.answers_referral_id = (char *)r->answers_referral_id;
	return (pack(&m.base, out));
}

ibx_err
ibx_referral_decode(const uint8_t *buf, size_t len, ibx_problems *p,
		    ibx_referral *out)
{
	Inbound__V1__Referral *m;
	ibx_referral *r = NULL;
	char path[32];
	size_t i;
	sink s;
	ibx_err rv;

	memset(out, 0, sizeof(*out));
	if ((m = inbound__v1__referral__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	sink_open(&s, p);
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		rv = IBX_ENOMEM;
		sink_close(&s);
		goto out;
	}
	put_str(&s, "referral_id", m->referral_id, r->referral_id,
		sizeof(r->referral_id));
	put_str(&s, "receiver", m->receiver, r->receiver, sizeof(r->receiver));
	put_str(&s, "key_id", m->key_id, r->key_id, sizeof(r->key_id));
	put_fixed(&s, "sealed_key", m->sealed_key, r->sealed_key,
		  sizeof(r->sealed_key));
	put_fixed(&s, "stream_header", m->stream_header, r->stream_header,
		  sizeof(r->stream_header));
	put_str(&s, "purpose", m->purpose, r->purpose, sizeof(r->purpose));
	put_str(&s, "department", m->department, r->department,
		sizeof(r->department));
	put_str(&s, "treatment", m->treatment, r->treatment,
		sizeof(r->treatment));
	put_str(&s, "nationality", m->nationality, r->nationality,
		sizeof(r->nationality));
	put_str(&s, "age_band", m->age_band, r->age_band, sizeof(r->age_band));
	if (m->n_languages > IBX_REFERRAL_LANGUAGES_MAX)
		ibx_problems_add(s.p, "languages", "%zu entries, more than %d",
				 m->n_languages, IBX_REFERRAL_LANGUAGES_MAX);
	else {
		for (i = 0; i < m->n_languages; i++) {
			snprintf(path, sizeof(path), "languages[%zu]", i);
			put_str(&s, path, m->languages[i], r->languages[i],
				sizeof(r->languages[i]));
		}
		r->n_languages = m->n_languages;
	}
	put_str(&s, "urgency", m->urgency, r->urgency, sizeof(r->urgency));
	r->package_bytes = m->package_bytes;
	r->chunk_count = m->chunk_count;
	put_fixed(&s, "chunks_sha256", m->chunks_sha256, r->chunks_sha256,
		  sizeof(r->chunks_sha256));
	put_str(&s, "answers_referral_id", m->answers_referral_id,
		r->answers_referral_id, sizeof(r->answers_referral_id));
	if ((rv = sink_close(&s)) == IBX_OK)
		*out = *r;
out:
	free(r);
	inbound__v1__referral__free_unpacked(m, NULL);
	return (rv);
}

/* ---- ReferralChunk ------------------------------------------------------ */

ibx_err
ibx_referral_chunk_encode(const ibx_referral_chunk *c, ibx_bytes *out)
{
	Inbound__V1__ReferralChunk m = INBOUND__V1__REFERRAL_CHUNK__INIT;

	m.referral_id = (char *)c->referral_id;
	m.index = c->index;
	m.ciphertext.data = c->ciphertext;
	m.ciphertext.len = c->ciphertext != NULL ? c->ciphertext_len : 0;
	return (pack(&m.base, out));
}

ibx_err
ibx_referral_chunk_decode(const uint8_t *buf, size_t len, ibx_problems *p,
			  ibx_referral_chunk *out)
{
	Inbound__V1__ReferralChunk *m;
	ibx_referral_chunk c;
	ibx_bytes ct = {NULL, 0};
	sink s;
	ibx_err rv;

	memset(out, 0, sizeof(*out));
	if ((m = inbound__v1__referral_chunk__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	memset(&c, 0, sizeof(c));
	sink_open(&s, p);
	put_str(&s, "referral_id", m->referral_id, c.referral_id,
		sizeof(c.referral_id));
	c.index = m->index;
	rv = put_bytes(&s, "ciphertext", m->ciphertext, IBX_CHUNK_CIPHER_MAX,
		       &ct);
	inbound__v1__referral_chunk__free_unpacked(m, NULL);
	if (rv != IBX_OK) {
		sink_close(&s);
		return (rv);
	}
	if ((rv = sink_close(&s)) != IBX_OK) {
		ibx_bytes_fini(&ct);
		return (rv);
	}
	c.ciphertext = ct.data;
	c.ciphertext_len = ct.len;
	*out = c;
	return (IBX_OK);
}

/* ---- ReferralStatus ----------------------------------------------------- */

ibx_err
ibx_referral_status_encode(const ibx_referral_status *st, ibx_bytes *out)
{
	Inbound__V1__ReferralStatus m = INBOUND__V1__REFERRAL_STATUS__INIT;

	m.referral_id = (char *)st->referral_id;
	m.state = (Inbound__V1__ReferralState)st->state;
	m.reason_code = (char *)st->reason_code;
	m.price_min_jpy = st->price_min_jpy;
	m.price_max_jpy = st->price_max_jpy;
	m.earliest_date = (char *)st->earliest_date;
	m.report_referral_id = (char *)st->report_referral_id;
	m.visit_date = (char *)st->visit_date;
	return (pack(&m.base, out));
}

ibx_err
ibx_referral_status_decode(const uint8_t *buf, size_t len, ibx_problems *p,
			   ibx_referral_status *out)
{
	Inbound__V1__ReferralStatus *m;
	ibx_referral_status st;
	sink s;
	ibx_err rv;

	memset(out, 0, sizeof(*out));
	if ((m = inbound__v1__referral_status__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	memset(&st, 0, sizeof(st));
	sink_open(&s, p);
	put_str(&s, "referral_id", m->referral_id, st.referral_id,
		sizeof(st.referral_id));
	/* An unknown enum value decodes as itself (proto3 open enums): the
	 * range is a rule, named here because the domain enum cannot hold
	 * it. */
	if ((int)m->state < IBX_REFERRAL_UNSPECIFIED ||
	    (int)m->state > IBX_REFERRAL_STATE_MAX)
		ibx_problems_add(s.p, "state", "%d is not a state",
				 (int)m->state);
	else
		st.state = (ibx_referral_state)m->state;
	put_str(&s, "reason_code", m->reason_code, st.reason_code,
		sizeof(st.reason_code));
	st.price_min_jpy = m->price_min_jpy;
	st.price_max_jpy = m->price_max_jpy;
	put_str(&s, "earliest_date", m->earliest_date, st.earliest_date,
		sizeof(st.earliest_date));
	put_str(&s, "report_referral_id", m->report_referral_id,
		st.report_referral_id, sizeof(st.report_referral_id));
	put_str(&s, "visit_date", m->visit_date, st.visit_date,
		sizeof(st.visit_date));
	inbound__v1__referral_status__free_unpacked(m, NULL);
	if ((rv = sink_close(&s)) == IBX_OK)
		*out = st;
	return (rv);
}

/* ---- KeyReply ----------------------------------------------------------- */

ibx_err
ibx_key_reply_encode(const ibx_key_reply *r, ibx_bytes *out)
{
	Inbound__V1__KeyReply m = INBOUND__V1__KEY_REPLY__INIT;
	ProtobufCBinaryData *v;
	size_t i;
	ibx_err rv;

	if ((v = calloc(r->n + 1, sizeof(*v))) == NULL)
		return (IBX_ENOMEM);
	for (i = 0; i < r->n; i++) {
		v[i].data = r->announcements[i].data;
		v[i].len = r->announcements[i].len;
	}
	m.n_announcements = r->n;
	m.announcements = v;
	rv = pack(&m.base, out);
	free(v);
	return (rv);
}

void
ibx_key_reply_fini(ibx_key_reply *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		ibx_bytes_fini(&r->announcements[i]);
	free(r->announcements);
	r->announcements = NULL;
	r->n = 0;
}

ibx_err
ibx_key_reply_decode(const uint8_t *buf, size_t len, ibx_problems *p,
		     ibx_key_reply *out)
{
	Inbound__V1__KeyReply *m;
	ibx_key_reply r = {NULL, 0};
	char path[40];
	size_t i;
	sink s;
	ibx_err rv = IBX_OK;

	memset(out, 0, sizeof(*out));
	if ((m = inbound__v1__key_reply__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	sink_open(&s, p);
	if (m->n_announcements > IBX_KEY_ANNOUNCEMENTS_MAX) {
		ibx_problems_add(
		    s.p, "announcements", "%zu entries, more than %d",
		    m->n_announcements, IBX_KEY_ANNOUNCEMENTS_MAX);
		goto out;
	}
	r.announcements =
	    calloc(m->n_announcements + 1, sizeof(*r.announcements));
	if (r.announcements == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	for (i = 0; i < m->n_announcements; i++) {
		snprintf(path, sizeof(path), "announcements[%zu]", i);
		rv = put_bytes(&s, path, m->announcements[i],
			       IBX_WIRE_MAX_MESSAGE, &r.announcements[i]);
		r.n++;
		if (rv != IBX_OK)
			goto out;
	}
out:
	inbound__v1__key_reply__free_unpacked(m, NULL);
	if (sink_close(&s) != IBX_OK && rv == IBX_OK)
		rv = IBX_EINVAL;
	if (rv == IBX_OK)
		*out = r;
	else
		ibx_key_reply_fini(&r);
	return (rv);
}

/* ---- InboxReply --------------------------------------------------------- */

ibx_err
ibx_inbox_reply_encode(const ibx_inbox_reply *r, ibx_bytes *out)
{
	Inbound__V1__InboxReply m = INBOUND__V1__INBOX_REPLY__INIT;
	Inbound__V1__InboxItem *items, **itemp;
	size_t i;
	ibx_err rv = IBX_ENOMEM;

	items = calloc(r->n + 1, sizeof(*items));
	itemp = calloc(r->n + 1, sizeof(*itemp));
	if (items == NULL || itemp == NULL)
		goto out;
	for (i = 0; i < r->n; i++) {
		inbound__v1__inbox_item__init(&items[i]);
		items[i].cursor = r->items[i].cursor;
		items[i].envelope.data = r->items[i].envelope.data;
		items[i].envelope.len = r->items[i].envelope.len;
		items[i].state =
		    (char *)(r->items[i].state == IBX_REFERRAL_UNSPECIFIED
				 ? ""
				 : ibx_referral_state_name(r->items[i].state));
		itemp[i] = &items[i];
	}
	m.n_items = r->n;
	m.items = itemp;
	m.more = r->more;
	rv = pack(&m.base, out);
out:
	free(items);
	free(itemp);
	return (rv);
}

void
ibx_inbox_reply_fini(ibx_inbox_reply *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		ibx_bytes_fini(&r->items[i].envelope);
	free(r->items);
	r->items = NULL;
	r->n = 0;
	r->more = false;
}

ibx_err
ibx_inbox_reply_decode(const uint8_t *buf, size_t len, ibx_problems *p,
		       ibx_inbox_reply *out)
{
	Inbound__V1__InboxReply *m;
	ibx_inbox_reply r = {NULL, 0, false};
	char path[40];
	size_t i;
	sink s;
	ibx_err rv = IBX_OK;

	memset(out, 0, sizeof(*out));
	if ((m = inbound__v1__inbox_reply__unpack(NULL, len, buf)) == NULL)
		return (IBX_EMALFORMED);
	sink_open(&s, p);
	if (m->n_items > IBX_INBOX_LIMIT_MAX) {
		ibx_problems_add(s.p, "items", "%zu entries, more than %d",
				 m->n_items, IBX_INBOX_LIMIT_MAX);
		goto out;
	}
	if ((r.items = calloc(m->n_items + 1, sizeof(*r.items))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	r.more = m->more;
	for (i = 0; i < m->n_items; i++) {
		const Inbound__V1__InboxItem *it = m->items[i];
		ibx_inbox_item *d = &r.items[i];

		r.n++;
		d->cursor = it->cursor;
		snprintf(path, sizeof(path), "items[%zu].envelope", i);
		if ((rv = put_bytes(&s, path, it->envelope,
				    IBX_WIRE_MAX_MESSAGE, &d->envelope)) !=
		    IBX_OK)
			goto out;
		d->state = ibx_referral_state_parse(it->state);
		if (d->state == IBX_REFERRAL_UNSPECIFIED &&
		    it->state[0] != '\0' &&
		    strcmp(it->state, ibx_referral_state_name(
					  IBX_REFERRAL_UNSPECIFIED)) != 0) {
			snprintf(path, sizeof(path), "items[%zu].state", i);
			ibx_problems_add(s.p, path, "unknown state");
		}
	}
out:
	inbound__v1__inbox_reply__free_unpacked(m, NULL);
	if (sink_close(&s) != IBX_OK && rv == IBX_OK)
		rv = IBX_EINVAL;
	if (rv == IBX_OK)
		*out = r;
	else
		ibx_inbox_reply_fini(&r);
	return (rv);
}
