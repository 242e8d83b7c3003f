/* Envelopes of other organisations, verified; see peer.h. */
#include <stdio.h>
#include <string.h>

#include "peer.h"

ibx_err
spoke_peer_open(ibx_trust *t, const uint8_t *bytes, size_t len,
		ibx_payload_type ptype, const char *sender, time_t now,
		spoke_peer_env *out, char *err, size_t n)
{
	ibx_cert *cert = NULL;
	ibx_cert_verdict verdict;
	char code[32], detail[128];
	ibx_err rv = IBX_ECRYPTO;

	memset(out, 0, sizeof(*out));
	if (ibx_envelope_decode(bytes, len, &out->env) != IBX_OK ||
	    ibx_header_decode(out->env.header.data, out->env.header.len,
			      &out->header) != IBX_OK) {
		snprintf(err, n, "envelope: does not decode");
		rv = IBX_EMALFORMED;
		goto out;
	}
	if (out->header.payload_type != ptype) {
		snprintf(err, n,
			 "envelope: payload type %d where %d was expected",
			 (int)out->header.payload_type, (int)ptype);
		goto out;
	}
	if (out->header.cert.len == IBX_SHA256_LEN ||
	    ibx_trust_check_der(t, out->header.cert.data, out->header.cert.len,
				now, &cert, &verdict, detail,
				sizeof(detail)) != IBX_OK) {
		snprintf(err, n,
			 "envelope of %.31s: the header carries no "
			 "certificate to check",
			 out->header.sender_id);
		goto out;
	}
	if (verdict != IBX_CERT_OK) {
		snprintf(err, n,
			 "envelope of %.31s: certificate not accepted by the "
			 "national CA: %s",
			 out->header.sender_id, detail);
		goto out;
	}
	if (ibx_cert_identity(cert, code, out->role) != IBX_OK ||
	    strcmp(code, out->header.sender_id) != 0) {
		snprintf(err, n,
			 "envelope of %.31s: the certificate names another "
			 "organisation",
			 out->header.sender_id);
		goto out;
	}
	if (ibx_verify(cert, &out->env.header, &out->env.payload,
		       &out->env.signature) != IBX_OK) {
		snprintf(err, n,
			 "envelope of %.31s: signature does not verify over "
			 "header and payload",
			 out->header.sender_id);
		goto out;
	}
	if (sender != NULL && strcmp(sender, code) != 0) {
		snprintf(err, n, "envelope: signed by %s, not by %s", code,
			 sender);
		goto out;
	}
	rv = IBX_OK;
out:
	ibx_cert_free(cert);
	if (rv != IBX_OK)
		spoke_peer_fini(out);
	return (rv);
}

void
spoke_peer_fini(spoke_peer_env *p)
{
	if (p == NULL)
		return;
	ibx_bytes_fini(&p->header.cert);
	ibx_envelope_fini(&p->env);
	memset(p, 0, sizeof(*p));
}
