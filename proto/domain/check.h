/*
 * Checks shared by every kind of listing (check.c).  Each adds one problem
 * per broken rule to the list, naming the field path and the reason.
 */
#ifndef IBX_CHECK_H
#define IBX_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "listing.h"
#include "problems.h"

typedef bool (*ibx_code_fn)(const char *);

/* ibx_check_text: s (NULL or "" when absent) is at most max bytes of UTF-8
 * text without control characters; required when required. */
void ibx_check_text(ibx_problems *p, const char *field, const char *s,
		    size_t max, bool required);

/* ibx_check_codes: every entry of sv is known (by known, named what in
 * messages) and not repeated; at most max entries. */
void ibx_check_codes(ibx_problems *p, const char *field, const ibx_strv *sv,
		     ibx_code_fn known, const char *what, size_t max);

/* ibx_check_url: NULL, or an http(s) URL with a host, no spaces or control
 * characters, at most 500 bytes. */
void ibx_check_url(ibx_problems *p, const char *field, const char *url);

/* ibx_check_contact: email (one '@', at most 200 bytes, none of "?#%,;":
 * no query part, escape or second recipient in its mailto: link, RFC 6068;
 * issue 14, finding 5) and phone (digits,
 * spaces, + - ( ), at most 40 bytes), each NULL when absent; problems name
 * "<prefix>.email" and "<prefix>.phone". */
void ibx_check_contact(ibx_problems *p, const char *prefix, const char *email,
		       const char *phone);

#endif /* IBX_CHECK_H */
