/*
 * Small text helpers for checking and quoting untrusted strings.
 */
#ifndef IBX_TEXT_H
#define IBX_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* ibx_text_utf8_valid: true when s is well-formed UTF-8 (RFC 3629: no
 * overlong forms, no surrogates, nothing past U+10FFFF) with no control
 * characters other than tab. */
bool ibx_text_utf8_valid(const char *s);

/* ibx_text_quote_short: write s into out (size n, n >= 10) in double quotes,
 * cut with "..." when long and with every byte outside printable ASCII
 * letters shown as \xNN, so an error message never carries raw control
 * bytes. */
void ibx_text_quote_short(char *out, size_t n, const char *s);

/* ibx_text_escape: copy the len bytes of s into out (size n >= 4) so that
 * the copy is one line of well-formed UTF-8: every control byte (newline
 * and carriage return included, tab excepted), DEL, C1 control and byte
 * outside well-formed UTF-8 (RFC 3629) becomes \xNN; well-formed
 * characters are kept.  A NUL in s is escaped too (len, not strlen).  Cut
 * with "..." when it does not fit.  Returns the length written (out is
 * NUL-terminated).  For logs and the audit trail, where a raw newline
 * would forge a line (issue 14, finding 5). */
size_t ibx_text_escape(char *out, size_t n, const char *s, size_t len);

#endif /* IBX_TEXT_H */
