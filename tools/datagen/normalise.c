/*
 * normalise.c - match keys for Japanese names, addresses and department
 * names. The sources differ in width (ＪＡ / JA, １８ / 18), spacing
 * (ideographic or none), variant kanji (﨑 / 崎, 澤 / 沢, ヶ / ケ), separators
 * (・ or a comma where the source lost the ・) and address notation
 * (１８番１６号 / 18-16). Everything here maps those to one form; the
 * published text is kept elsewhere and never replaced by a key.
 */
#include <stdlib.h>
#include <string.h>

#include "normalise.h"

/* Variant characters and their common forms (both directions seen in data). */
static const struct {
	uint32_t from, to;
} variants[] = {
    {0x30F6, 0x30B1}, /* ヶ -> ケ */
    {0x30F5, 0x30AB}, /* ヵ -> カ */
    {0xFA11, 0x5D0E}, /* 﨑 -> 崎 */
    {0x9AD9, 0x9AD8}, /* 髙 -> 高 */
    {0x6AAE, 0x68BC}, /* 檮 -> 梼 */
    {0x6FA4, 0x6CA2}, /* 澤 -> 沢 */
    {0x908A, 0x8FBA}, /* 邊 -> 辺 */
    {0x9089, 0x8FBA}, /* 邉 -> 辺 */
    {0x570B, 0x56FD}, /* 國 -> 国 */
    {0x6FF1, 0x6D5C}, /* 濱 -> 浜 */
    {0x6FF5, 0x6D5C}, /* 濵 -> 浜 */
    {0x5FB7, 0x5FB3}, /* 德 -> 徳 */
    {0x9F4B, 0x658E}, /* 齋 -> 斎 */
    {0x9F4A, 0x6589}, /* 齊 -> 斉 */
    {0x981A, 0x9838}, /* 頚 -> 頸 */
};

/*
 * Leading legal-form words of corporation names, longest alternatives
 * first, as the medical institution code lists and prefectural lists write
 * them before the corporation's own name.
 */
static const char *const legal_forms[] = {
    "社会医療法人財団",
    "社会医療法人社団",
    "特定医療法人財団",
    "特定医療法人社団",
    "地方独立行政法人",
    "医療生活協同組合",
    "医療法人財団",
    "医療法人社団",
    "社会医療法人",
    "特定医療法人",
    "一般財団法人",
    "公益財団法人",
    "一般社団法人",
    "公益社団法人",
    "社会福祉法人",
    "独立行政法人",
    "国立大学法人",
    "公立大学法人",
    "生活協同組合",
    "財団法人",
    "社団法人",
    "学校法人",
    "宗教法人",
    "医療法人",
    "社団",
    "財団",
};

size_t
dg_utf8_decode(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i;
	uint32_t c, min;

	if (u[0] < 0x80) {
		*cp = u[0];
		return (1);
	} else if ((u[0] & 0xE0) == 0xC0) {
		len = 2;
		c = u[0] & 0x1F;
		min = 0x80;
	} else if ((u[0] & 0xF0) == 0xE0) {
		len = 3;
		c = u[0] & 0x0F;
		min = 0x800;
	} else if ((u[0] & 0xF8) == 0xF0) {
		len = 4;
		c = u[0] & 0x07;
		min = 0x10000;
	} else {
		*cp = 0xFFFD;
		return (1);
	}
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80) {
			*cp = 0xFFFD;
			return (1);
		}
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*cp = 0xFFFD;
		return (1);
	}
	*cp = c;
	return (len);
}

/* Writes cp as UTF-8 to out (room for 4 bytes); returns the length. */
static size_t
utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return (1);
	} else if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return (2);
	} else if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return (3);
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return (4);
}

size_t
dg_utf8_count(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return (n);
}

int
dg_utf8_valid(const char *s)
{
	uint32_t cp;
	size_t len;

	while (*s != '\0') {
		/* a real U+FFFD decodes from 3 bytes, an invalid byte from 1
		 */
		len = dg_utf8_decode(s, &cp);
		if (cp == 0xFFFD && len == 1)
			return (0);
		s += len;
	}
	return (1);
}

/* Returns 1 for white space and control characters, ASCII or not. */
static int
is_space(uint32_t cp)
{
	return (cp <= 0x20 || cp == 0x7F || cp == 0xA0 || cp == 0x3000);
}

/* Returns 1 for characters that only separate words inside a name. */
static int
is_separator(uint32_t cp)
{
	return (cp == ',' || cp == '.' || cp == 0x30FB /* ・ */ ||
		cp == 0xFF65 /* ･ */ || cp == 0x3001 /* 、 */ ||
		cp == 0x3002 /* 。 */);
}

/* Returns 1 for the dashes addresses use between numbers. */
static int
is_dash(uint32_t cp)
{
	return (cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 ||
		cp == 0x30FC || cp == 0xFF70 || cp == 0xFE63);
}

/* Replaces every from in s by to, in place; to must not be longer. */
static void
replace_all(char *s, const char *from, const char *to)
{
	size_t flen = strlen(from), tlen = strlen(to);
	char *r = s, *w = s;

	while (*r != '\0') {
		if (strncmp(r, from, flen) == 0) {
			memcpy(w, to, tlen);
			w += tlen;
			r += flen;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* Collapses runs of '-' and drops leading and trailing ones, in place. */
static void
tidy_dashes(char *s)
{
	char *r = s, *w = s;

	while (*r != '\0') {
		if (*r == '-' && (w == s || w[-1] == '-')) {
			r++;
			continue;
		}
		*w++ = *r++;
	}
	if (w > s && w[-1] == '-')
		w--;
	*w = '\0';
}

dg_err
dg_norm(const char *in, unsigned flags, char **out)
{
	char *buf, *w;
	uint32_t cp;
	size_t i, len;
	int pending_space = 0;

	/* No mapping below makes a character longer in UTF-8. */
	if ((buf = malloc(strlen(in) + 1)) == NULL)
		return (DG_ERR_NOMEM);
	w = buf;
	while (*in != '\0') {
		in += dg_utf8_decode(in, &cp);
		if (cp >= 0xFF01 && cp <= 0xFF5E)
			cp -= 0xFEE0; /* full-width ASCII */
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++)
			if (variants[i].from == cp)
				cp = variants[i].to;
		if (is_space(cp)) {
			pending_space = w != buf;
			continue;
		}
		if ((flags & DG_NORM_ADDRESS) && is_dash(cp))
			cp = '-';
		else if (is_separator(cp))
			continue;
		if (pending_space && (flags & DG_NORM_SPACES))
			*w++ = ' ';
		pending_space = 0;
		len = utf8_encode(cp, w);
		w += len;
	}
	*w = '\0';
	if (flags & DG_NORM_ADDRESS) {
		replace_all(buf, "丁目", "-");
		replace_all(buf, "番地の", "-");
		replace_all(buf, "番地", "-");
		replace_all(buf, "番の", "-");
		replace_all(buf, "番", "-");
		replace_all(buf, "号", "-");
		tidy_dashes(buf);
	} else {
		replace_all(buf, "国民健康保険", "国保");
	}
	if (flags & DG_NORM_DEPT) {
		replace_all(buf, "いんこう", "咽喉");
		replace_all(buf, "こう門", "肛門");
	}
	*out = buf;
	return (DG_OK);
}

const char *
dg_norm_strip_legal(const char *s)
{
	size_t i, len;
	int again = 1;

	while (again) {
		again = 0;
		for (i = 0; i < sizeof(legal_forms) / sizeof(legal_forms[0]);
		     i++) {
			len = strlen(legal_forms[i]);
			if (strncmp(s, legal_forms[i], len) != 0 ||
			    s[len] == '\0')
				continue;
			s += len;
			if (*s == ' ')
				s++;
			again = 1;
			break;
		}
	}
	return (s);
}

void
dg_norm_postal(const char *in, char out[8])
{
	char digits[8];
	uint32_t cp;
	size_t n = 0;

	out[0] = '\0';
	while (*in != '\0') {
		in += dg_utf8_decode(in, &cp);
		if (cp >= 0xFF10 && cp <= 0xFF19)
			cp -= 0xFEE0;
		if (cp >= '0' && cp <= '9') {
			if (n == 7)
				return; /* too many digits */
			digits[n++] = (char)cp;
		} else if (!(is_space(cp) || is_dash(cp) || cp == 0xFF0D ||
			     cp == 0x3012 /* 〒 */)) {
			return;
		}
	}
	if (n != 7)
		return;
	digits[7] = '\0';
	memcpy(out, digits, sizeof(digits));
}

char *
dg_trim_dup(const char *in)
{
	const char *start = NULL, *end = NULL, *p = in;
	char *copy, *c;
	uint32_t cp;
	size_t len;

	while (*p != '\0') {
		len = dg_utf8_decode(p, &cp);
		if (!is_space(cp)) {
			if (start == NULL)
				start = p;
			end = p + len;
		}
		p += len;
	}
	if (start == NULL)
		start = end = in;
	if ((copy = malloc((size_t)(end - start) + 1)) == NULL)
		return (NULL);
	memcpy(copy, start, (size_t)(end - start));
	copy[end - start] = '\0';
	for (c = copy; *c != '\0'; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7F)
			*c = ' ';
	return (copy);
}
