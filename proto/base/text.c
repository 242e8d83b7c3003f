/* Text helpers; see text.h. */
#include <stdio.h>
#include <string.h>

#include "text.h"

bool
ibx_text_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		unsigned int c = *p, cp;
		int len, i;

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return (false);
			p++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			cp = c & 0x07;
		} else
			return (false);
		for (i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return (false);
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		/* C1 controls (U+0080-U+009F) are controls too: some
		 * terminals obey CSI. */
		if ((len == 2 && cp < 0xa0) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return (false);
		p += len;
	}
	return (true);
}

void
ibx_text_quote_short(char *out, size_t n, const char *s)
{
	size_t w = 0, width, need;
	const unsigned char *p = (const unsigned char *)s;

	out[w++] = '"';
	while (*p != '\0') {
		width = (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
			    ? 1
			    : 4;
		/* This byte, "..." when more follows, the quote and NUL. */
		need = width + (p[1] != '\0' ? 3 : 0) + 2;
		if (w + need > n)
			break;
		if (width == 1)
			out[w++] = (char)*p;
		else {
			snprintf(out + w, n - w, "\\x%02x", *p);
			w += 4;
		}
		p++;
	}
	if (*p != '\0') {
		memcpy(out + w, "...", 3);
		w += 3;
	}
	out[w++] = '"';
	out[w] = '\0';
}

/* The length of the well-formed, non-control UTF-8 character at p (at most
 * left bytes), or 0 when the byte at p must be escaped. */
static size_t
utf8_char_len(const unsigned char *p, size_t left)
{
	unsigned int c = *p, cp;
	size_t len, i;

	if (c < 0x80)
		return (((c < 0x20 && c != '\t') || c == 0x7f) ? 0 : 1);
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else
		return (0);
	if (len > left)
		return (0);
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return (0);
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((len == 2 && cp < 0xa0) || (len == 3 && cp < 0x800) ||
	    (len == 4 && cp < 0x10000) || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp > 0x10ffff)
		return (0);
	return (len);
}

size_t
ibx_text_escape(char *out, size_t n, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0, i = 0, k;

	while (i < len) {
		k = utf8_char_len(p + i, len - i);
		/* This character (or \xNN), room for "..." and the NUL. */
		if (w + (k == 0 ? 4 : k) + 4 > n)
			break;
		if (k == 0) {
			snprintf(out + w, n - w, "\\x%02x", p[i]);
			w += 4;
			i++;
		} else {
			memcpy(out + w, p + i, k);
			w += k;
			i += k;
		}
	}
	if (i < len && w + 4 <= n) {
		memcpy(out + w, "...", 3);
		w += 3;
	}
	out[w] = '\0';
	return (w);
}
