/*
 * prng.c - SplitMix64 streams seeded from a number and a stream name
 * (FNV-1a 64 of the name, http://www.isthe.com/chongo/tech/comp/fnv/).
 */
#include "prng.h"

#define FNV_OFFSET 0xCBF29CE484222325ull
#define FNV_PRIME  0x100000001B3ull

void
dg_rng_seed(dg_rng *r, uint64_t seed, const char *stream)
{
	uint64_t h = FNV_OFFSET;

	for (; *stream != '\0'; stream++) {
		h ^= (unsigned char)*stream;
		h *= FNV_PRIME;
	}
	r->state = seed ^ h;
	(void)dg_rng_next(r);
}

uint64_t
dg_rng_next(dg_rng *r)
{
	uint64_t z;

	z = (r->state += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return (z ^ (z >> 31));
}

double
dg_rng_unit(dg_rng *r)
{
	/* the top 53 bits make an exactly representable double */
	return ((double)(dg_rng_next(r) >> 11) * 0x1.0p-53);
}

long
dg_rng_range(dg_rng *r, long lo, long hi)
{
	uint64_t span = (uint64_t)(hi - lo) + 1;

	return (lo + (long)(dg_rng_next(r) % span));
}

int
dg_rng_chance(dg_rng *r, double p)
{
	return (dg_rng_unit(r) < p);
}
