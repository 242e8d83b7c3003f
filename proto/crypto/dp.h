/*
 * Exact samplers for differential privacy: Bernoulli(exp(-gamma)), the
 * discrete Laplace and the discrete Gaussian distributions over the
 * integers, after Canonne, Kamath and Steinke, "The Discrete Gaussian for
 * Differential Privacy" (NeurIPS 2020), Algorithms 1 to 3.
 *
 * Only integer and rational arithmetic: no floating point touches a noise
 * value, because rounding a floating-point sample leaks through the gaps
 * and the bias of the rounded distribution (Mironov, "On Significance of
 * the Least Significant Bits for Differential Privacy", CCS 2012).
 * Randomness is OpenSSL's CSPRNG (RAND_bytes), read in blocks; a uniform
 * integer below n is drawn by rejection, so it carries no modulo bias.
 *
 * Rationals are num/den with 0 < den; intermediate products are computed
 * in 128-bit integers, so the inputs are bounded (IBX_DP_MAX below).
 * A sampler is one thread's: it holds a buffer of random bytes.
 */
#ifndef IBX_DP_H
#define IBX_DP_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"

/* Largest numerator (2^40) and denominator (2^20) accepted for sigma^2:
 * they keep every product of Algorithm 3 below 2^127. */
#define IBX_DP_MAX     ((uint64_t)1 << 40)
#define IBX_DP_MAX_DEN ((uint64_t)1 << 20)

typedef struct ibx_dp ibx_dp;

/* ibx_dp_new: a sampler reading OpenSSL's CSPRNG.  IBX_ENOMEM.  Free with
 * ibx_dp_free (NULL is fine), which wipes the unused random bytes. */
ibx_err ibx_dp_new(ibx_dp **out);
void ibx_dp_free(ibx_dp *dp);

/* ibx_dp_uniform: an integer uniform on [0, n), n >= 1, by rejection of
 * the draws at or above the largest multiple of n below 2^128.
 * IBX_ECRYPTO when the CSPRNG fails. */
ibx_err ibx_dp_uniform(ibx_dp *dp, unsigned __int128 n,
		       unsigned __int128 *out);

/* ibx_dp_bernoulli_exp: true with probability exp(-num/den), num >= 0,
 * den >= 1 (CKS 2020, Algorithm 1: for gamma <= 1 the series of
 * Bernoulli(gamma/k) draws, otherwise floor(gamma) draws of
 * Bernoulli(exp(-1)) and one of exp(-(gamma - floor(gamma)))). */
ibx_err ibx_dp_bernoulli_exp(ibx_dp *dp, unsigned __int128 num,
			     unsigned __int128 den, bool *out);

/* ibx_dp_laplace: an integer from the discrete Laplace distribution of
 * scale t >= 1, P(x) proportional to exp(-|x|/t) (CKS 2020, Algorithm 2
 * with s = 1: geometric sampling in two parts). */
ibx_err ibx_dp_laplace(ibx_dp *dp, uint64_t t, int64_t *out);

/* ibx_dp_gaussian: an integer from the discrete Gaussian distribution
 * with parameter sigma^2 = num/den, P(x) proportional to
 * exp(-x^2 / (2 sigma^2)) (CKS 2020, Algorithm 3: discrete Laplace
 * proposals of scale floor(sigma) + 1, accepted with probability
 * exp(-(|y| - sigma^2/t)^2 / (2 sigma^2))).  IBX_EINVAL when num or den is
 * 0, num above IBX_DP_MAX or den above IBX_DP_MAX_DEN. */
ibx_err ibx_dp_gaussian(ibx_dp *dp, uint64_t num, uint64_t den, int64_t *out);

/* ibx_dp_isqrt_floor: floor(sqrt(num/den)) by integer arithmetic only. */
uint64_t ibx_dp_isqrt_floor(uint64_t num, uint64_t den);

#endif /* IBX_DP_H */
