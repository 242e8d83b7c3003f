/*
 * Building the envelopes a spoke sends: a header (sender, sequence, time,
 * payload type) and a payload, sealed into an Envelope.  Signing arrives
 * with the national PKI; until then the signature is empty.
 */
#ifndef SPOKE_ENVELOPE_H
#define SPOKE_ENVELOPE_H

#include <stdint.h>

#include "err.h"
#include "wire.h"

/* spoke_sequence_now: a sequence number for a new envelope: the current
 * Unix time in microseconds, which grows between two sends from one sender
 * without any stored state. */
uint64_t spoke_sequence_now(void);

/* spoke_envelope_build: wrap payload (type ptype, from sender, with
 * sequence) into envelope bytes.  On IBX_OK *out holds new bytes the caller
 * frees with ibx_bytes_fini. */
ibx_err spoke_envelope_build(const char *sender, uint64_t sequence,
			     ibx_payload_type ptype, const ibx_bytes *payload,
			     ibx_bytes *out);

#endif /* SPOKE_ENVELOPE_H */
