/*
 * The local accounts of the spoke's page (issue 17): the people of the
 * hospital's international department who may edit its listing and send
 * its reports.  They live in one file, STATE/accounts.json, mode 0600 and
 * owned by the spoke's user (a file others can read is refused, as ssh
 * refuses a readable key): per account its login, its Argon2id password
 * hash (proto/crypto/password.h), its TOTP key (RFC 6238, 20 bytes in
 * hex), whether it is disabled, and when it was made.  Only `inbound-spoke
 * user` writes it (atomically: a temporary file, fsync, rename); the page
 * reads it at every sign-in, so a disabled account is refused at once.
 */
#ifndef SPOKE_ACCOUNTS_H
#define SPOKE_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "password.h"

#define SPOKE_ACCOUNTS_FILE "accounts.json"
#define SPOKE_ACCOUNTS_MAX  200
#define SPOKE_LOGIN_MAX	    64 /* bytes */

typedef struct spoke_account {
	char login[SPOKE_LOGIN_MAX + 1];
	char hash[IBX_PASSWORD_HASH_MAX]; /* "$argon2id$..." */
	uint8_t totp_key[IBX_TOTP_KEY_LEN];
	bool disabled;
	char created_at[32]; /* ISO 8601 UTC */
} spoke_account;

typedef struct spoke_accounts {
	spoke_account *v; /* owned; keys wiped on free */
	size_t n;
} spoke_accounts;

/* spoke_accounts_path: STATE/accounts.json into out (n bytes).
 * IBX_ETOOBIG when it does not fit. */
ibx_err spoke_accounts_path(const char *state_dir, char *out, size_t n);

/* spoke_accounts_load: the accounts of the file at path into *out (an
 * empty list when there is no such file).  IBX_EINVAL when group or
 * others may read or write it, or when it does not parse (every account
 * needs a login, a hash and a 20-byte key); IBX_EIO, IBX_ENOMEM.  Each is
 * logged with the file name.  Free with spoke_accounts_free. */
ibx_err spoke_accounts_load(const char *path, spoke_accounts *out);

/* spoke_accounts_save: write a to path atomically with mode 0600.
 * IBX_EIO (logged), IBX_ENOMEM. */
ibx_err spoke_accounts_save(const char *path, const spoke_accounts *a);

/* spoke_accounts_find: the account named login, or NULL. */
spoke_account *spoke_accounts_find(const spoke_accounts *a, const char *login);

/* spoke_accounts_add: a new enabled account login with password pw (len
 * bytes, IBX_PASSWORD_MIN to IBX_PASSWORD_MAX) and a new TOTP key, which
 * is copied to key for the caller to show once.  IBX_EINVAL when the
 * login is taken (spoke_accounts_find tells), for a login that is not 1 to 64
 * bytes of [A-Za-z0-9._@-] or a password of the wrong length, IBX_ETOOBIG past
 * SPOKE_ACCOUNTS_MAX, IBX_ENOMEM, IBX_ECRYPTO. */
ibx_err spoke_accounts_add(spoke_accounts *a, const char *login,
			   const char *pw, size_t len,
			   uint8_t key[IBX_TOTP_KEY_LEN]);

/* spoke_accounts_reset: a new password pw and a new TOTP key (into key)
 * for login, enabled again.  IBX_ENOTFOUND, IBX_EINVAL, IBX_ENOMEM,
 * IBX_ECRYPTO. */
ibx_err spoke_accounts_reset(spoke_accounts *a, const char *login,
			     const char *pw, size_t len,
			     uint8_t key[IBX_TOTP_KEY_LEN]);

/* spoke_accounts_free: wipe the keys and hashes and free; NULL is fine. */
void spoke_accounts_free(spoke_accounts *a);

#endif /* SPOKE_ACCOUNTS_H */
