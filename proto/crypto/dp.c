/*
 * Exact discrete Laplace and discrete Gaussian samplers; see dp.h.  Every
 * step follows Canonne, Kamath and Steinke 2020 (CKS), Algorithms 1-3,
 * with integers only.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "dp.h"

#define DP_BUF 4096

typedef unsigned __int128 u128;

struct ibx_dp {
	uint8_t buf[DP_BUF];
	size_t used; /* bytes of buf already handed out */
};

ibx_err
ibx_dp_new(ibx_dp **out)
{
	ibx_dp *dp = calloc(1, sizeof(*dp));

	if (dp == NULL)
		return (IBX_ENOMEM);
	dp->used = DP_BUF;
	*out = dp;
	return (IBX_OK);
}

void
ibx_dp_free(ibx_dp *dp)
{
	if (dp == NULL)
		return;
	OPENSSL_cleanse(dp, sizeof(*dp));
	free(dp);
}

/* n <= 16 fresh random bytes into out (read in blocks of DP_BUF). */
static ibx_err
dp_bytes(ibx_dp *dp, uint8_t *out, size_t n)
{
	if (dp->used + n > DP_BUF) {
		if (RAND_bytes(dp->buf, DP_BUF) != 1)
			return (IBX_ECRYPTO);
		dp->used = 0;
	}
	memcpy(out, dp->buf + dp->used, n);
	OPENSSL_cleanse(dp->buf + dp->used, n);
	dp->used += n;
	return (IBX_OK);
}

ibx_err
ibx_dp_uniform(ibx_dp *dp, u128 n, u128 *out)
{
	uint8_t b[16];
	u128 r, threshold;
	uint64_t r64, t64;
	size_t i;
	ibx_err rv;

	if (n == 0)
		return (IBX_EINVAL);
	if (n <= UINT64_MAX) {
		/* 2^64 mod n: draws below it are rejected, so every residue
		 * is equally likely (OpenBSD's arc4random_uniform). */
		t64 = (uint64_t)(-(uint64_t)n) % (uint64_t)n;
		do {
			if ((rv = dp_bytes(dp, b, 8)) != IBX_OK)
				return (rv);
			memcpy(&r64, b, 8);
		} while (r64 < t64);
		*out = r64 % (uint64_t)n;
		return (IBX_OK);
	}
	threshold = (-n) % n; /* 2^128 mod n */
	do {
		if ((rv = dp_bytes(dp, b, 16)) != IBX_OK)
			return (rv);
		for (r = 0, i = 0; i < 16; i++)
			r = (r << 8) | b[i];
	} while (r < threshold);
	*out = r % n;
	return (IBX_OK);
}

/* Bernoulli(num/den), num <= den. */
static ibx_err
bernoulli(ibx_dp *dp, u128 num, u128 den, bool *out)
{
	u128 u;
	ibx_err rv;

	if ((rv = ibx_dp_uniform(dp, den, &u)) != IBX_OK)
		return (rv);
	*out = u < num;
	return (IBX_OK);
}

/* CKS Algorithm 1 for gamma = num/den in [0, 1]: draw A_k ~
 * Bernoulli(gamma/k) for k = 1, 2, ... until one is 0; the k it stops at
 * is odd with probability exp(-gamma). */
static ibx_err
bernoulli_exp_small(ibx_dp *dp, u128 num, u128 den, bool *out)
{
	u128 k = 1;
	bool a;
	ibx_err rv;

	for (;;) {
		if ((rv = bernoulli(dp, num, den * k, &a)) != IBX_OK)
			return (rv);
		if (!a)
			break;
		k++;
	}
	*out = (k & 1) == 1;
	return (IBX_OK);
}

ibx_err
ibx_dp_bernoulli_exp(ibx_dp *dp, u128 num, u128 den, bool *out)
{
	u128 whole, i;
	bool b;
	ibx_err rv;

	if (den == 0)
		return (IBX_EINVAL);
	if (num <= den)
		return (bernoulli_exp_small(dp, num, den, out));
	/* exp(-gamma) = exp(-1)^floor(gamma) * exp(-(gamma - floor)). */
	whole = num / den;
	for (i = 0; i < whole; i++) {
		if ((rv = bernoulli_exp_small(dp, 1, 1, &b)) != IBX_OK)
			return (rv);
		if (!b) {
			*out = false;
			return (IBX_OK);
		}
	}
	return (bernoulli_exp_small(dp, num % den, den, out));
}

ibx_err
ibx_dp_laplace(ibx_dp *dp, uint64_t t, int64_t *out)
{
	u128 u;
	uint64_t v;
	bool d, a, neg;
	uint8_t sign;
	ibx_err rv;

	if (t == 0)
		return (IBX_EINVAL);
	for (;;) {
		/* CKS Algorithm 2, s = 1: X = U + t V with U uniform on
		 * [0, t) kept with probability exp(-U/t) and V geometric
		 * with parameter 1 - exp(-1); X is geometric with parameter
		 * 1 - exp(-1/t). */
		if ((rv = ibx_dp_uniform(dp, t, &u)) != IBX_OK)
			return (rv);
		if ((rv = ibx_dp_bernoulli_exp(dp, u, t, &d)) != IBX_OK)
			return (rv);
		if (!d)
			continue;
		for (v = 0;; v++) {
			if ((rv = bernoulli_exp_small(dp, 1, 1, &a)) != IBX_OK)
				return (rv);
			if (!a)
				break;
		}
		if ((rv = dp_bytes(dp, &sign, 1)) != IBX_OK)
			return (rv);
		neg = (sign & 1) == 1;
		u += (u128)t * v;
		/* -0 is rejected, so 0 is not counted twice. */
		if (neg && u == 0)
			continue;
		if (u > INT64_MAX)
			continue; /* beyond 2^63: probability exp(-2^63/t) */
		*out = neg ? -(int64_t)u : (int64_t)u;
		return (IBX_OK);
	}
}

uint64_t
ibx_dp_isqrt_floor(uint64_t num, uint64_t den)
{
	uint64_t lo = 0, hi = (uint64_t)1 << 32, mid;

	/* Largest s with s^2 * den <= num, by bisection in 128 bits. */
	while (lo < hi) {
		mid = lo + (hi - lo + 1) / 2;
		if ((u128)mid * mid * den <= num)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (lo);
}

ibx_err
ibx_dp_gaussian(ibx_dp *dp, uint64_t num, uint64_t den, int64_t *out)
{
	uint64_t t, y;
	u128 a = num, b = den, ybt, u, gnum, gden;
	int64_t lap;
	bool c;
	ibx_err rv;

	if (num == 0 || den == 0 || num > IBX_DP_MAX || den > IBX_DP_MAX_DEN)
		return (IBX_EINVAL);
	t = ibx_dp_isqrt_floor(num, den) + 1;
	/* gamma = (|Y| - sigma^2/t)^2 / (2 sigma^2)
	 *       = (|Y| b t - a)^2 / (2 a b t^2),  sigma^2 = a/b.
	 * With a <= 2^40, b <= 2^20 and t <= 2^20 + 1, 2 a b t^2 < 2^103;
	 * the numerator fits while |Y| b t - a < 2^63. */
	gden = 2 * a * b * (u128)t * t;
	for (;;) {
		if ((rv = ibx_dp_laplace(dp, t, &lap)) != IBX_OK)
			return (rv);
		y = lap < 0 ? (uint64_t)(-(lap + 1)) + 1 : (uint64_t)lap;
		ybt = (u128)y * b * t;
		u = ybt >= a ? ybt - a : a - ybt;
		if (u >= ((u128)1 << 63))
			/* |Y| >= 2^63/(b t): a proposal this far out has
			 * probability below exp(-2^63/(b t^2)) <= exp(-2^21)
			 * (b t^2 <= 2^42); it is rejected, a change of the
			 * distribution below 2^-3000000 in total variation
			 * (docs/disclosure-control.md). */
			continue;
		gnum = u * u;
		if ((rv = ibx_dp_bernoulli_exp(dp, gnum, gden, &c)) != IBX_OK)
			return (rv);
		if (c) {
			*out = lap;
			return (IBX_OK);
		}
	}
}
