/*
 * Envelopes from other organisations, as the hub forwards them: a
 * receiving hospital's key announcement, a referral, its chunks and
 * statuses (docs/referrals.md).  The hub stores and forwards them
 * unchanged; the spoke believes the signer, not the hub: the certificate
 * in the header must chain to the national CA, be valid now and not on the
 * CRL, name the organisation the header claims, and its key must have
 * signed header || payload.  A hub that substitutes a key announcement (or
 * anything else) must forge an organisation's signature, which this
 * detects.
 */
#ifndef SPOKE_PEER_H
#define SPOKE_PEER_H

#include <stddef.h>

#include "crypto.h"
#include "err.h"
#include "wire.h"

/* An opened envelope: its verified header (sender, type, time) and its
 * payload, and the signer's role ("hospital", "coordinator", "partner"). */
typedef struct spoke_peer_env {
	ibx_header header; /* header.cert owned */
	ibx_envelope env;  /* the three byte strings, owned */
	char role[16];
} spoke_peer_env;

/* spoke_peer_open: decode and verify envelope bytes (len bytes, untrusted)
 * against the national CA and CRL of t at time now (Unix seconds): the
 * header carries the signer's certificate (DER: a fingerprint cannot be
 * checked here), which chains, is valid and not revoked; its subject names
 * the header's sender_id; its key signed header || payload; the payload
 * type is ptype; and, when sender is not NULL, the signer is sender.
 * IBX_OK with *out filled (spoke_peer_fini); IBX_ECRYPTO (or
 * IBX_EMALFORMED) with the reason in err (n bytes), e.g. "signature does
 * not verify". */
ibx_err spoke_peer_open(ibx_trust *t, const uint8_t *bytes, size_t len,
			ibx_payload_type ptype, const char *sender, time_t now,
			spoke_peer_env *out, char *err, size_t n);

/* spoke_peer_fini: free what spoke_peer_open filled; NULL is fine. */
void spoke_peer_fini(spoke_peer_env *p);

#endif /* SPOKE_PEER_H */
