/* TOTP with liboath and its QR code with libqrencode; see totp.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <qrencode.h>

#include "log.h"
#include "password.h"
#include "totp.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int oath_ok;

static void
start(void)
{
	int rc = oath_init();

	if (rc != OATH_OK)
		IBX_ERROR("totp: liboath cannot start: %s", oath_strerror(rc));
	else
		oath_ok = 1;
}

ibx_err
ibx_totp_check(const uint8_t *key, size_t len, const char *code, time_t now,
	       int64_t *step)
{
	uint64_t counter = 0;
	int pos = 0, rc;
	size_t i;

	if (code == NULL || strlen(code) != IBX_TOTP_DIGITS)
		return (IBX_EINVAL);
	for (i = 0; i < IBX_TOTP_DIGITS; i++)
		if (code[i] < '0' || code[i] > '9')
			return (IBX_EINVAL);
	pthread_once(&once, start);
	if (!oath_ok)
		return (IBX_ECRYPTO);
	rc = oath_totp_validate3((const char *)key, len, now, IBX_TOTP_STEP, 0,
				 IBX_TOTP_WINDOW, &pos, &counter, code);
	if (rc < 0)
		return (IBX_ECRYPTO);
	*step = (int64_t)counter;
	return (IBX_OK);
}

ibx_err
ibx_totp_base32(const uint8_t *key, size_t len, char *out, size_t n)
{
	char *b32 = NULL;
	size_t b32len = 0;
	ibx_err rv = IBX_OK;

	pthread_once(&once, start);
	if (!oath_ok || oath_base32_encode((const char *)key, len, &b32,
					   &b32len) != OATH_OK)
		return (IBX_ECRYPTO);
	while (b32len > 0 && b32[b32len - 1] == '=')
		b32len--;
	if (b32len + 1 > n) {
		rv = IBX_ETOOBIG;
		goto out;
	}
	memcpy(out, b32, b32len);
	out[b32len] = '\0';
out:
	ibx_secret_wipe(b32, b32len);
	free(b32);
	return (rv);
}

/* Percent-encode s (RFC 3986 unreserved characters kept) into w, which has
 * room for 3 * strlen(s) + 1 bytes; returns the end. */
static char *
pct(char *w, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' ||
		    c == '_' || c == '~') {
			*w++ = (char)c;
		} else {
			*w++ = '%';
			*w++ = hex[c >> 4];
			*w++ = hex[c & 15];
		}
	}
	*w = '\0';
	return (w);
}

ibx_err
ibx_totp_uri(const uint8_t *key, size_t len, const char *issuer,
	     const char *login, char **out)
{
	char b32[IBX_TOTP_B32_MAX];
	char *s, *w;
	size_t n;
	ibx_err rv;

	if ((rv = ibx_totp_base32(key, len, b32, sizeof(b32))) != IBX_OK)
		return (rv);
	n = 64 + 6 * strlen(issuer) + 3 * strlen(login) + strlen(b32);
	if ((s = malloc(n)) == NULL) {
		ibx_secret_wipe(b32, sizeof(b32));
		return (IBX_ENOMEM);
	}
	w = s + sprintf(s, "otpauth://totp/");
	w = pct(w, issuer);
	w = pct(w, ":");
	w = pct(w, login);
	w += sprintf(w, "?secret=%s&issuer=", b32);
	w = pct(w, issuer);
	sprintf(w, "&algorithm=SHA1&digits=%d&period=%d", IBX_TOTP_DIGITS,
		IBX_TOTP_STEP);
	ibx_secret_wipe(b32, sizeof(b32));
	*out = s;
	return (IBX_OK);
}

ibx_err
ibx_totp_qr_svg(const char *text, char **out)
{
	QRcode *qr;
	char *svg = NULL, *w;
	int x, y, q = 4, size;
	size_t n;

	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1)) ==
	    NULL)
		return (IBX_ETOOBIG);
	size = qr->width + 2 * q;
	/* At most one "M x yh1v1h-1z" of 24 bytes per module. */
	n = 512 + (size_t)qr->width * (size_t)qr->width * 24;
	if ((svg = malloc(n)) == NULL) {
		QRcode_free(qr);
		return (IBX_ENOMEM);
	}
	w = svg +
	    sprintf(svg,
		    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		    "viewBox=\"0 0 %d %d\" shape-rendering=\"crispEdges\">"
		    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
		    "<path fill=\"#000\" d=\"",
		    size, size, size, size);
	for (y = 0; y < qr->width; y++)
		for (x = 0; x < qr->width; x++)
			if (qr->data[y * qr->width + x] & 1)
				w +=
				    sprintf(w, "M%d %dh1v1h-1z", x + q, y + q);
	sprintf(w, "\"/></svg>");
	QRcode_free(qr);
	*out = svg;
	return (IBX_OK);
}
