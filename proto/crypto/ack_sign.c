/*
 * The hub's signature on an Ack and its verification by a spoke; the signed
 * bytes are defined in crypto.h.  Built on the public functions of
 * crypto.c, so OpenSSL stays there.
 */
#include <stdio.h>
#include <string.h>

#include "crypto.h"

/* 15 + 32 + 8 + 4 + 4 + 5 * 4 + 32 + 32 + 32 */
#define ACK_SIGNED_LEN 179

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The bytes the hub signs (crypto.h) into out (ACK_SIGNED_LEN bytes). */
static void
ack_signed_bytes(const uint8_t *request, size_t len, const ibx_ack *a,
		 const uint8_t *cert, size_t cert_len,
		 uint8_t out[ACK_SIGNED_LEN])
{
	uint8_t *p = out;

	memcpy(p, IBX_ACK_SIGN_TAG, sizeof(IBX_ACK_SIGN_TAG));
	p += sizeof(IBX_ACK_SIGN_TAG);
	ibx_sha256(request, len, p);
	p += IBX_SHA256_LEN;
	put_be32(p, (uint32_t)(a->sequence >> 32));
	put_be32(p + 4, (uint32_t)a->sequence);
	p += 8;
	put_be32(p, (uint32_t)a->status);
	put_be32(p + 4, (uint32_t)a->listing_version);
	p += 8;
	put_be32(p, a->summary.imported);
	put_be32(p + 4, a->summary.updated);
	put_be32(p + 8, a->summary.unchanged);
	put_be32(p + 12, a->summary.refused);
	put_be32(p + 16, a->summary.deleted);
	p += 20;
	ibx_sha256((const uint8_t *)a->error,
		   strnlen(a->error, sizeof(a->error)), p);
	p += IBX_SHA256_LEN;
	ibx_sha256(cert, cert_len, p);
	p += IBX_SHA256_LEN;
	if (a->reply_len == 0)
		ibx_sha256((const uint8_t *)"", 0, p);
	else
		memcpy(p, a->reply_sha256, IBX_SHA256_LEN);
}

ibx_err
ibx_ack_sign(const ibx_key *k, const ibx_bytes *hub_cert_der,
	     const uint8_t *request, size_t len, ibx_ack *ack)
{
	uint8_t msg[ACK_SIGNED_LEN];
	ibx_bytes a = {msg, sizeof(msg)}, none = {NULL, 0}, sig = {NULL, 0};
	ibx_err rv;

	if (hub_cert_der->len > sizeof(ack->hub_cert))
		return (IBX_ETOOBIG);
	memcpy(ack->hub_cert, hub_cert_der->data, hub_cert_der->len);
	ack->hub_cert_len = hub_cert_der->len;
	ack->signature_len = 0;
	ack_signed_bytes(request, len, ack, ack->hub_cert, ack->hub_cert_len,
			 msg);
	if ((rv = ibx_sign(k, &a, &none, &sig)) != IBX_OK)
		return (rv);
	if (sig.len > sizeof(ack->signature)) {
		ibx_bytes_fini(&sig);
		return (IBX_ECRYPTO);
	}
	memcpy(ack->signature, sig.data, sig.len);
	ack->signature_len = sig.len;
	ibx_bytes_fini(&sig);
	return (IBX_OK);
}

ibx_err
ibx_ack_verify(ibx_trust *t, const ibx_hub_expect *e, const uint8_t *request,
	       size_t len, const ibx_ack *ack, time_t now, char *detail,
	       size_t n)
{
	uint8_t msg[ACK_SIGNED_LEN];
	ibx_bytes a = {msg, sizeof(msg)}, none = {NULL, 0};
	ibx_bytes sig = {(uint8_t *)ack->signature, ack->signature_len};
	ibx_cert *c = NULL;
	ibx_cert_verdict verdict;
	char why[256];
	ibx_err rv = IBX_ECRYPTO;

	if (ack->signature_len == 0) {
		snprintf(detail, n, "ack is unsigned");
		return (IBX_ECRYPTO);
	}
	if (ack->hub_cert_len == 0) {
		snprintf(detail, n, "ack carries no hub certificate");
		return (IBX_ECRYPTO);
	}
	if (ibx_trust_check_der(t, ack->hub_cert, ack->hub_cert_len, now, &c,
				&verdict, why, sizeof(why)) != IBX_OK) {
		snprintf(detail, n, "hub certificate: does not parse");
		return (IBX_ECRYPTO);
	}
	if (verdict != IBX_CERT_OK) {
		snprintf(detail, n, "hub certificate: %s", why);
		goto out;
	}
	if (ibx_cert_check_hub(c, e->names, e->nnames, e->pin, why,
			       sizeof(why)) != IBX_OK) {
		snprintf(detail, n, "hub certificate: %s", why);
		goto out;
	}
	ack_signed_bytes(request, len, ack, ack->hub_cert, ack->hub_cert_len,
			 msg);
	if (ibx_verify(c, &a, &none, &sig) != IBX_OK) {
		snprintf(detail, n, "ack signature does not verify");
		goto out;
	}
	rv = IBX_OK;
out:
	ibx_cert_free(c);
	return (rv);
}

ibx_err
ibx_ack_sign_reply(const ibx_key *k, const ibx_bytes *hub_cert_der,
		   const uint8_t *request, size_t len, const uint8_t *reply,
		   size_t reply_len, ibx_ack *ack)
{
	ack->reply_len = reply != NULL ? reply_len : 0;
	memset(ack->reply_sha256, 0, sizeof(ack->reply_sha256));
	if (ack->reply_len > 0)
		ibx_sha256(reply, ack->reply_len, ack->reply_sha256);
	return (ibx_ack_sign(k, hub_cert_der, request, len, ack));
}

ibx_err
ibx_ack_decode_reply(const uint8_t *buf, size_t len, ibx_ack *ack,
		     ibx_bytes *reply)
{
	ibx_bytes r = {NULL, 0};
	ibx_err rv;

	if ((rv = ibx_ack_decode(buf, len, ack)) != IBX_OK)
		return (rv);
	if ((rv = ibx_ack_reply_extract(buf, len, &r)) != IBX_OK)
		return (rv);
	ack->reply_len = r.len;
	memset(ack->reply_sha256, 0, sizeof(ack->reply_sha256));
	if (r.len > 0)
		ibx_sha256(r.data, r.len, ack->reply_sha256);
	*reply = r;
	return (IBX_OK);
}
