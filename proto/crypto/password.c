/* Passwords and TOTP keys with libsodium; see password.h. */
#include <pthread.h>
#include <string.h>

#include <sodium.h>

#include "log.h"
#include "password.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int sodium_ok;
static char dummy[IBX_PASSWORD_HASH_MAX];

static void
start(void)
{
	uint8_t pw[32];

	if (sodium_init() < 0) {
		IBX_ERROR("crypto: libsodium cannot start");
		return;
	}
	sodium_ok = 1;
	randombytes_buf(pw, sizeof(pw));
	if (crypto_pwhash_str(dummy, (const char *)pw, sizeof(pw),
			      crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy[0] = '\0';
	sodium_memzero(pw, sizeof(pw));
}

static int
ready(void)
{
	pthread_once(&once, start);
	return (sodium_ok);
}

ibx_err
ibx_password_hash(const char *pw, size_t len, char out[IBX_PASSWORD_HASH_MAX])
{
	char h[crypto_pwhash_STRBYTES];

	if (len < IBX_PASSWORD_MIN || len > IBX_PASSWORD_MAX)
		return (IBX_EINVAL);
	if (!ready())
		return (IBX_ECRYPTO);
	if (crypto_pwhash_str(h, pw, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return (IBX_ENOMEM);
	if (strlen(h) >= IBX_PASSWORD_HASH_MAX)
		return (IBX_ECRYPTO);
	memcpy(out, h, strlen(h) + 1);
	return (IBX_OK);
}

ibx_err
ibx_password_verify(const char *hash, const char *pw, size_t len)
{
	if (!ready() || hash == NULL || hash[0] == '\0' ||
	    len > IBX_PASSWORD_MAX)
		return (IBX_ECRYPTO);
	return (crypto_pwhash_str_verify(hash, pw, len) == 0 ? IBX_OK
							     : IBX_ECRYPTO);
}

const char *
ibx_password_dummy_hash(void)
{
	ready();
	return (dummy);
}

ibx_err
ibx_totp_key_new(uint8_t out[IBX_TOTP_KEY_LEN])
{
	if (!ready())
		return (IBX_ECRYPTO);
	randombytes_buf(out, IBX_TOTP_KEY_LEN);
	return (IBX_OK);
}

void
ibx_secret_wipe(void *p, size_t n)
{
	if (p != NULL && n > 0)
		sodium_memzero(p, n);
}

int
ibx_secret_equal(const void *a, const void *b, size_t n)
{
	return (sodium_memcmp(a, b, n) == 0);
}
