/*
 * Sealing the envelopes a spoke sends: a header (sender, sequence, time,
 * payload type, certificate) and a payload, signed with the organisation's
 * key over the exact bytes header || payload.
 */
#ifndef SPOKE_ENVELOPE_H
#define SPOKE_ENVELOPE_H

#include <stdbool.h>
#include <stdint.h>

#include "crypto.h"
#include "err.h"
#include "wire.h"

/* An organisation's identity: its key and certificate (from deploy/pki),
 * and what the certificate names. */
typedef struct spoke_identity {
	ibx_key *key;
	ibx_cert *cert;
	ibx_bytes cert_der;
	char code[32];	       /* organisation code (subject CN) */
	char role[16];	       /* hospital or coordinator (subject OU) */
	bool send_fingerprint; /* header carries SHA-256, not the DER */
} spoke_identity;

/* spoke_identity_load: read a PEM certificate and its private key and
 * check that they belong together and name an organisation.  Problems are
 * printed to stderr naming the file.  Free with spoke_identity_fini. */
ibx_err spoke_identity_load(const char *cert_path, const char *key_path,
			    spoke_identity *id);

/* spoke_identity_fini: free the key (wiped), certificate and DER.  NULL
 * is fine. */
void spoke_identity_fini(spoke_identity *id);

/* spoke_sequence_now: a sequence number for a new envelope: the current
 * Unix time in microseconds, which grows between two sends from one sender
 * without any stored state. */
uint64_t spoke_sequence_now(void);

/* spoke_envelope_seal: wrap payload (type ptype) from id with sequence into
 * signed envelope bytes.  On IBX_OK *out holds new bytes the caller frees
 * with ibx_bytes_fini. */
ibx_err spoke_envelope_seal(const spoke_identity *id, uint64_t sequence,
			    ibx_payload_type ptype, const ibx_bytes *payload,
			    ibx_bytes *out);

#endif /* SPOKE_ENVELOPE_H */
