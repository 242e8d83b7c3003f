/*
 * SipHash-2-4 after the reference implementation (Aumasson and Bernstein,
 * https://github.com/veorq/SipHash, CC0); see cases_hash.h.
 */
#include <string.h>

#include "cases_hash.h"
#include "crypto.h"

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND                                                              \
	do {                                                                  \
		v0 += v1;                                                     \
		v1 = ROTL(v1, 13);                                            \
		v1 ^= v0;                                                     \
		v0 = ROTL(v0, 32);                                            \
		v2 += v3;                                                     \
		v3 = ROTL(v3, 16);                                            \
		v3 ^= v2;                                                     \
		v0 += v3;                                                     \
		v3 = ROTL(v3, 21);                                            \
		v3 ^= v0;                                                     \
		v2 += v1;                                                     \
		v1 = ROTL(v1, 17);                                            \
		v1 ^= v2;                                                     \
		v2 = ROTL(v2, 32);                                            \
	} while (0)

ibx_err
spoke_ref_key_new(spoke_ref_key *key)
{
	uint8_t b[16];
	ibx_err rv;

	if ((rv = ibx_random(b, sizeof(b))) != IBX_OK)
		return (rv);
	memcpy(&key->k0, b, 8);
	memcpy(&key->k1, b + 8, 8);
	explicit_bzero(b, sizeof(b));
	return (IBX_OK);
}

void
spoke_ref_key_wipe(spoke_ref_key *key)
{
	explicit_bzero(key, sizeof(*key));
}

/* Little-endian 64-bit load, as SipHash defines its input words. */
static uint64_t
le64(const uint8_t *p)
{
	return ((uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
		(uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 |
		(uint64_t)p[5] << 40 | (uint64_t)p[6] << 48 |
		(uint64_t)p[7] << 56);
}

uint64_t
spoke_ref_hash(const spoke_ref_key *key, const void *ref, size_t len)
{
	const uint8_t *in = ref, *end = in + (len & ~(size_t)7);
	uint64_t v0 = 0x736f6d6570736575ull ^ key->k0;
	uint64_t v1 = 0x646f72616e646f6dull ^ key->k1;
	uint64_t v2 = 0x6c7967656e657261ull ^ key->k0;
	uint64_t v3 = 0x7465646279746573ull ^ key->k1;
	uint64_t m, b = (uint64_t)len << 56;
	size_t left = len & 7;

	for (; in != end; in += 8) {
		m = le64(in);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	switch (left) {
	case 7:
		b |= (uint64_t)in[6] << 48;
		/* FALLTHROUGH */
	case 6:
		b |= (uint64_t)in[5] << 40;
		/* FALLTHROUGH */
	case 5:
		b |= (uint64_t)in[4] << 32;
		/* FALLTHROUGH */
	case 4:
		b |= (uint64_t)in[3] << 24;
		/* FALLTHROUGH */
	case 3:
		b |= (uint64_t)in[2] << 16;
		/* FALLTHROUGH */
	case 2:
		b |= (uint64_t)in[1] << 8;
		/* FALLTHROUGH */
	case 1:
		b |= (uint64_t)in[0];
		break;
	default:
		break;
	}
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return (v0 ^ v1 ^ v2 ^ v3);
}
