/*
 * Who is calling the HTTP API: bearer tokens (ibx_ + 64 hex digits, 256
 * random bits) whose SHA-256 alone is stored, each with a role (ministry,
 * coordinator, hospital bound to its organisation), an optional expiry and
 * a revocation.  What each role may do is decided by the handlers through
 * hub_auth_allows.
 */
#ifndef HUB_AUTH_H
#define HUB_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "err.h"

#define HUB_TOKEN_LEN 68 /* "ibx_" + 64 hex digits */

/* A token's lifetime: 90 days unless --expires says otherwise, and never
 * more than 365 days, nor unbounded (issue 14, finding 6: a token that
 * leaks keeps working only so long; NIST SP 800-63B section 7.1 bounds
 * sessions the same way).  Renew with a new token. */
#define HUB_TOKEN_LIFETIME_DEFAULT  "90d"
#define HUB_TOKEN_LIFETIME_MAX_DAYS 365

typedef enum hub_role {
	HUB_ROLE_NONE = 0,
	HUB_ROLE_MINISTRY,
	HUB_ROLE_COORDINATOR,
	HUB_ROLE_HOSPITAL,
} hub_role;

typedef struct hub_principal {
	int64_t token_id; /* 0 when anonymous */
	hub_role role;
	char org_code[11]; /* a hospital's own organisation, else "" */
	/* A person signed in with a session cookie (api_session.c): the
	 * account, its name and organisation (a coordinator's firm too), and
	 * the SHA-256 of the session's CSRF token; account_id is 0 for a
	 * bearer token. */
	int64_t account_id;
	char login[65];
	char account_org[11];
	uint8_t csrf_hash[32];
} hub_principal;

/* hub_auth_identify: the principal behind an Authorization header value
 * ("Bearer ibx_..."), or IBX_ENOTFOUND when it is missing, malformed,
 * unknown, expired or revoked (the caller answers 401 without saying
 * which).  IBX_EDBDOWN when the database cannot be asked. */
ibx_err hub_auth_identify(ibx_db *db, const char *authorization,
			  hub_principal *out);

/* hub_role_name: "ministry", "coordinator", "hospital" or "anonymous". */
const char *hub_role_name(hub_role role);

/* hub_role_parse: the role named s, or HUB_ROLE_NONE. */
hub_role hub_role_parse(const char *s);

/* hub_token_new: a new random token (HUB_TOKEN_LEN + 1 bytes with NUL)
 * and its SHA-256 (32 bytes), which is all the hub stores. */
ibx_err hub_token_new(char token[HUB_TOKEN_LEN + 1], uint8_t hash[32]);

#endif /* HUB_AUTH_H */
