/* Identity and envelope sealing; see envelope.h. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "envelope.h"

ibx_err
spoke_identity_load(const char *cert_path, const char *key_path,
		    spoke_identity *id)
{
	ibx_err rv;

	memset(id, 0, sizeof(*id));
	if ((rv = ibx_cert_load(cert_path, &id->cert)) != IBX_OK) {
		fprintf(stderr, "%s: cannot read the certificate\n",
			cert_path);
		goto fail;
	}
	if ((rv = ibx_key_load(key_path, &id->key)) != IBX_OK) {
		fprintf(stderr, "%s: cannot read an ECDSA P-256 key\n",
			key_path);
		goto fail;
	}
	if (!ibx_key_matches(id->key, id->cert)) {
		fprintf(stderr, "%s: this key does not belong to %s\n",
			key_path, cert_path);
		rv = IBX_ECRYPTO;
		goto fail;
	}
	if ((rv = ibx_cert_identity(id->cert, id->code, id->role)) != IBX_OK) {
		fprintf(stderr,
			"%s: the subject names no organisation code (CN) and "
			"role (OU)\n",
			cert_path);
		goto fail;
	}
	if ((rv = ibx_cert_der(id->cert, &id->cert_der)) != IBX_OK)
		goto fail;
	return (IBX_OK);
fail:
	spoke_identity_fini(id);
	return (rv);
}

void
spoke_identity_fini(spoke_identity *id)
{
	if (id == NULL)
		return;
	ibx_key_free(id->key);
	ibx_cert_free(id->cert);
	ibx_bytes_fini(&id->cert_der);
	memset(id, 0, sizeof(*id));
}

uint64_t
spoke_sequence_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u);
}

ibx_err
spoke_envelope_seal(const spoke_identity *id, uint64_t sequence,
		    ibx_payload_type ptype, const ibx_bytes *payload,
		    ibx_bytes *out)
{
	uint8_t fp[IBX_SHA256_LEN];
	ibx_header h;
	ibx_envelope e;
	struct timespec ts;
	ibx_err rv;

	memset(&h, 0, sizeof(h));
	memset(&e, 0, sizeof(e));
	snprintf(h.sender_id, sizeof(h.sender_id), "%s", id->code);
	clock_gettime(CLOCK_REALTIME, &ts);
	h.sequence = sequence;
	h.created_at_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	h.payload_type = ptype;
	h.schema_version = IBX_SCHEMA_VERSION;
	if (id->send_fingerprint) {
		ibx_cert_fingerprint(id->cert, fp);
		h.cert.data = fp;
		h.cert.len = sizeof(fp);
	} else
		h.cert = id->cert_der;
	if ((rv = ibx_header_encode(&h, &e.header)) != IBX_OK)
		return (rv);
	e.payload = *payload;
	if ((rv = ibx_sign(id->key, &e.header, &e.payload, &e.signature)) ==
	    IBX_OK)
		rv = ibx_envelope_encode(&e, out);
	ibx_bytes_fini(&e.header);
	ibx_bytes_fini(&e.signature);
	return (rv);
}
