/*
 * The second factor: time-based one-time passwords (RFC 6238: HMAC-SHA-1,
 * 30-second steps, 6 digits, the parameters every authenticator app
 * reads from an otpauth:// URI) checked with Debian's liboath, and the QR
 * code that carries the key to the phone, drawn as SVG with libqrencode.
 * The only module that includes liboath or libqrencode.
 */
#ifndef IBX_TOTP_H
#define IBX_TOTP_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "err.h"

#define IBX_TOTP_STEP	 30 /* seconds (RFC 6238 5.2) */
#define IBX_TOTP_DIGITS	 6
#define IBX_TOTP_WINDOW	 1 /* one step either side for clock drift */
#define IBX_TOTP_B32_MAX 104

/* ibx_totp_check: whether code (IBX_TOTP_DIGITS decimal digits) is the
 * TOTP of key (len bytes) at now (Unix seconds), one step either side.
 * IBX_OK with the code's time step (now / 30 for the current one) in
 * *step; IBX_EINVAL when code is not 6 digits; IBX_ECRYPTO when it is
 * wrong.  The caller refuses a step already used (RFC 6238 5.2). */
ibx_err ibx_totp_check(const uint8_t *key, size_t len, const char *code,
		       time_t now, int64_t *step);

/* ibx_totp_base32: key (len bytes) in RFC 4648 base32 without padding,
 * the form authenticator apps and oathtool -b take, into out (n bytes). */
ibx_err ibx_totp_base32(const uint8_t *key, size_t len, char *out, size_t n);

/* ibx_totp_uri: the otpauth:// URI (Google Authenticator's key URI
 * format) for key under issuer and account name login (both
 * percent-encoded here).  A new string the caller wipes and frees. */
ibx_err ibx_totp_uri(const uint8_t *key, size_t len, const char *issuer,
		     const char *login, char **out);

/* ibx_totp_qr_svg: text as a QR code (error correction M) in an SVG
 * document, a dark square per module with a 4-module quiet zone.  A new
 * string the caller wipes and frees.  IBX_ETOOBIG when text does not fit
 * a QR code. */
ibx_err ibx_totp_qr_svg(const char *text, char **out);

#endif /* IBX_TOTP_H */
