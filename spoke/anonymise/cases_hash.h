/*
 * Patient references as the anonymiser keeps them: a 64-bit SipHash-2-4
 * (Aumasson and Bernstein, "SipHash: a fast short-input PRF", 2012) under
 * a key drawn at random for each run.  The hash only tells two episodes of
 * one patient apart from two patients; it is never written anywhere, and
 * without the key (wiped at the end of the run) it cannot be matched
 * against a list of references.
 */
#ifndef SPOKE_CASES_HASH_H
#define SPOKE_CASES_HASH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct spoke_ref_key {
	uint64_t k0, k1;
} spoke_ref_key;

/* spoke_ref_key_new: a fresh random key (OpenSSL's CSPRNG through
 * ibx_random).  IBX_ECRYPTO when no random bytes can be had. */
ibx_err spoke_ref_key_new(spoke_ref_key *key);

/* spoke_ref_key_wipe: overwrite the key. */
void spoke_ref_key_wipe(spoke_ref_key *key);

/* spoke_ref_hash: SipHash-2-4 of len bytes of ref under key. */
uint64_t spoke_ref_hash(const spoke_ref_key *key, const void *ref, size_t len);

#endif /* SPOKE_CASES_HASH_H */
