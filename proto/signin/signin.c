/* Session values, cookies and CSRF checks; see signin.h. */
#include <stdio.h>
#include <string.h>

#include "crypto.h"
#include "password.h"
#include "signin.h"

ibx_err
ibx_signin_secret_new(char hex[65], uint8_t hash[IBX_SIGNIN_HASH_LEN])
{
	uint8_t raw[32];
	ibx_err rv;
	size_t i;

	if ((rv = ibx_random(raw, sizeof(raw))) != IBX_OK)
		return (rv);
	for (i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	ibx_sha256((const uint8_t *)hex, 64, hash);
	ibx_secret_wipe(raw, sizeof(raw));
	return (IBX_OK);
}

int
ibx_signin_secret_hash(const char *s, size_t len,
		       uint8_t hash[IBX_SIGNIN_HASH_LEN])
{
	size_t i;

	if (s == NULL || len != 64)
		return (0);
	for (i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return (0);
	ibx_sha256((const uint8_t *)s, 64, hash);
	return (1);
}

const char *
ibx_signin_cookie(const char *header, const char *name, size_t *len)
{
	size_t n = strlen(name);
	const char *p = header, *end;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == ';')
			p++;
		end = strchr(p, ';');
		if (strncmp(p, name, n) == 0 && p[n] == '=') {
			p += n + 1;
			*len = end != NULL ? (size_t)(end - p) : strlen(p);
			while (*len > 0 && p[*len - 1] == ' ')
				(*len)--;
			return (p);
		}
		p = end;
	}
	return (NULL);
}

int
ibx_signin_origin_ok(const ibx_http_request *req)
{
	const char *o = req->origin, *rest;

	if (o == NULL)
		return (1);
	if (req->host == NULL)
		return (0);
	if (strncmp(o, "https://", 8) == 0)
		rest = o + 8;
	else if (strncmp(o, "http://", 7) == 0)
		rest = o + 7;
	else
		return (0);
	return (strcmp(rest, req->host) == 0);
}

int
ibx_signin_csrf_ok(const uint8_t csrf_hash[IBX_SIGNIN_HASH_LEN],
		   const ibx_http_request *req, const char **why)
{
	uint8_t hash[IBX_SIGNIN_HASH_LEN];
	const char *t = req->csrf_token;

	if (!ibx_signin_origin_ok(req)) {
		*why = "csrf: the request comes from another site (Origin)";
		return (0);
	}
	if (t == NULL || !ibx_signin_secret_hash(t, strlen(t), hash)) {
		*why = "csrf: X-CSRF-Token is missing or malformed";
		return (0);
	}
	if (!ibx_secret_equal(hash, csrf_hash, IBX_SIGNIN_HASH_LEN)) {
		*why = "csrf: X-CSRF-Token does not belong to this session";
		return (0);
	}
	return (1);
}
