/*
 * What a signed-in browser session needs at the hub and at a spoke's page
 * alike (issue 17; docs/accounts.md): the random session and CSRF values
 * (256 bits as 64 hex digits, kept only as their SHA-256), reading a
 * cookie out of a Cookie header, and the two CSRF checks (the Origin is
 * this host; the double-submitted X-CSRF-Token is the session's).  Where
 * sessions, accounts and failed sign-ins are kept is the caller's.
 */
#ifndef IBX_SIGNIN_H
#define IBX_SIGNIN_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "http.h"

#define IBX_SIGNIN_HASH_LEN 32 /* SHA-256 */

/* ibx_signin_secret_new: 32 random bytes as 64 lowercase hex digits and a
 * NUL into hex, and the SHA-256 of those 64 digits into hash.  The caller
 * wipes hex.  IBX_ECRYPTO when there is no randomness. */
ibx_err ibx_signin_secret_new(char hex[65], uint8_t hash[IBX_SIGNIN_HASH_LEN]);

/* ibx_signin_secret_hash: when s (len bytes) is 64 lowercase hex digits,
 * its SHA-256 into hash and 1; else 0 (nothing written). */
int ibx_signin_secret_hash(const char *s, size_t len,
			   uint8_t hash[IBX_SIGNIN_HASH_LEN]);

/* ibx_signin_cookie: the value of cookie name in a Cookie header (RFC 6265
 * 5.4: "name=value" pairs separated by "; "), pointing into header, with
 * its length in *len; NULL when header is NULL or has no such cookie. */
const char *ibx_signin_cookie(const char *header, const char *name,
			      size_t *len);

/* ibx_signin_origin_ok: 1 when req has no Origin header or its Origin is
 * http:// or https:// followed by exactly the Host header; else 0 (a page
 * of another site sent it). */
int ibx_signin_origin_ok(const ibx_http_request *req);

/* ibx_signin_csrf_ok: 1 when req may change state for a session whose CSRF
 * value hashes to csrf_hash: its Origin passes ibx_signin_origin_ok and
 * its X-CSRF-Token hashes to csrf_hash (compared in constant time).
 * Otherwise 0, with the reason in *why (static text naming the header). */
int ibx_signin_csrf_ok(const uint8_t csrf_hash[IBX_SIGNIN_HASH_LEN],
		       const ibx_http_request *req, const char **why);

#endif /* IBX_SIGNIN_H */
