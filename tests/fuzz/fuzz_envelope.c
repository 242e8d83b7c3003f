/*
 * libFuzzer target: opening an envelope as the hub's intake does
 * (hub/intake/intake.c, hub/intake/verify.c), without a database.  Split the
 * envelope, decode the header, and when the header carries a DER certificate
 * (not the 32-byte SHA-256 of an enrolled one, which needs the database) parse
 * it, read its identity and dates, optionally check its chain, and verify
 * the signature over header || payload.  Then decode and check the payload
 * by its type.  The hub decodes a payload only once the signature verifies;
 * here it is decoded whatever the verdict, because a mutated envelope
 * almost never verifies and the decoders must be safe on any bytes anyway.
 *
 * With IBX_FUZZ_CA (and IBX_FUZZ_CRL) naming the national CA certificate
 * (and CRL) in PEM, the certificate is also checked against them, as
 * ibx_trust_check does for the hub; tests/fuzz/run.sh sets both to the
 * throwaway CA that made the seed corpus.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto.h"
#include "fuzz.h"
#include "wire.h"

static ibx_trust *trust;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *ca = getenv("IBX_FUZZ_CA");

	(void)argc;
	(void)argv;
	fuzz_init("fuzz_envelope");
	if (ca != NULL && *ca != '\0' &&
	    ibx_trust_load(ca, getenv("IBX_FUZZ_CRL"), &trust) != IBX_OK)
		fuzz_fail("IBX_FUZZ_CA and IBX_FUZZ_CRL load", __FILE__,
			  __LINE__);
	return (0);
}

/* What the hub reads from a certificate it was given, and the signature. */
static void
open_certificate(const ibx_header *h, const ibx_envelope *e)
{
	ibx_cert *cert = NULL;
	ibx_bytes der = {NULL, 0};
	uint8_t fp[IBX_SHA256_LEN];
	char code[32], role[16], detail[128];
	int64_t not_before, not_after;
	ibx_err rv;

	if (ibx_cert_from_der(h->cert.data, h->cert.len, &cert) != IBX_OK)
		return;
	if (trust != NULL)
		(void)ibx_trust_check(trust, cert, time(NULL), detail,
				      sizeof(detail));
	if (ibx_cert_identity(cert, code, role) == IBX_OK) {
		FUZZ_REQUIRE(strlen(code) < sizeof(code));
		FUZZ_REQUIRE(strcmp(role, "hospital") == 0 ||
			     strcmp(role, "coordinator") == 0);
	}
	FUZZ_REQUIRE(ibx_cert_validity(cert, &not_before, &not_after) ==
		     IBX_OK);
	ibx_cert_fingerprint(cert, fp);
	if (ibx_cert_der(cert, &der) == IBX_OK)
		ibx_bytes_fini(&der);
	rv = ibx_verify(cert, &e->header, &e->payload, &e->signature);
	FUZZ_REQUIRE(rv == IBX_OK || rv == IBX_ECRYPTO);
	ibx_cert_free(cert);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ibx_envelope env;
	ibx_header h;

	if (ibx_envelope_decode(data, size, &env) != IBX_OK)
		return (0);
	if (env.header.len == 0 ||
	    ibx_header_decode(env.header.data, env.header.len, &h) != IBX_OK)
		goto out;
	FUZZ_REQUIRE(strlen(h.sender_id) < sizeof(h.sender_id));
	if (h.cert.len > 0 && h.cert.len != IBX_SHA256_LEN)
		open_certificate(&h, &env);
	switch (h.payload_type) {
	case IBX_PAYLOAD_HOSPITAL_LISTING:
		fuzz_listing_payload(env.payload.data, env.payload.len);
		break;
	case IBX_PAYLOAD_CASE_STATISTICS:
		fuzz_statistics_payload(env.payload.data, env.payload.len);
		break;
	default:
		/* Refused by the hub before any payload decoder runs. */
		break;
	}
	ibx_bytes_fini(&h.cert);
out:
	ibx_envelope_fini(&env);
	return (0);
}
