/*
 * prng.h - a small deterministic pseudo-random generator (SplitMix64,
 * Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
 * OOPSLA 2014) for synthetic fields. Each listing draws from its own stream,
 * named after the listing, so one listing's values do not depend on which
 * other listings are generated. Not for anything secret.
 */
#ifndef DG_PRNG_H
#define DG_PRNG_H

#include <stdint.h>

typedef struct dg_rng {
	uint64_t state;
} dg_rng;

/* dg_rng_seed starts the stream named stream ("kochi:3911393100120"). */
void dg_rng_seed(dg_rng *r, uint64_t seed, const char *stream);

/* dg_rng_next returns the next 64 random bits. */
uint64_t dg_rng_next(dg_rng *r);

/* dg_rng_unit returns a number in [0, 1). */
double dg_rng_unit(dg_rng *r);

/* dg_rng_range returns an integer in [lo, hi] (lo <= hi). */
long dg_rng_range(dg_rng *r, long lo, long hi);

/* dg_rng_chance returns 1 with probability p, else 0. */
int dg_rng_chance(dg_rng *r, double p);

#endif /* DG_PRNG_H */
