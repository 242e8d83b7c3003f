/*
 * address.c - the canonical address form (address.h). Works on code points:
 * decode, map, re-encode, then the two whole-string rules (kanji numerals,
 * the 丁目 form) on the mapped text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "normalise.h"

/* Appends code point cp to buf as UTF-8; buf has room (4 bytes per input). */
static size_t
put_utf8(char *buf, uint32_t cp)
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return (1);
	}
	if (cp < 0x800) {
		buf[0] = (char)(0xC0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3F));
		return (2);
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xE0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		buf[2] = (char)(0x80 | (cp & 0x3F));
		return (3);
	}
	buf[0] = (char)(0xF0 | (cp >> 18));
	buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	buf[3] = (char)(0x80 | (cp & 0x3F));
	return (4);
}

/* Writes the decimal digits of v (>= 0) to buf; returns their number. */
static size_t
put_number(char *buf, long v)
{
	char tmp[24];
	size_t n = 0, i;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0 && n < sizeof(tmp));
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return (n);
}

/* The digit value of a kanji numeral, 10/100/1000 for 十百千, or -1. */
static int
kanji_digit(uint32_t cp)
{
	static const struct {
		uint32_t cp;
		int v;
	} t[] = {
	    {0x3007, 0},    {0x4E00, 1}, {0x4E8C, 2},  {0x4E09, 3},
	    {0x56DB, 4},    {0x4E94, 5}, {0x516D, 6},  {0x4E03, 7},
	    {0x516B, 8},    {0x4E5D, 9}, {0x5341, 10}, {0x767E, 100},
	    {0x5343, 1000},
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i].cp == cp)
			return (t[i].v);
	return (-1);
}

/* Maps one code point; 0 means drop it. prev is the last code point kept. */
static uint32_t
map_cp(uint32_t cp, uint32_t prev)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E) /* full-width ASCII */
		cp -= 0xFEE0;
	if (cp == ' ' || cp == '\t' || cp == 0x3000)
		return (0);
	if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFF70)
		return ('-');
	if (cp == 0x30FC && prev >= '0' && prev <= '9')
		return ('-');
	if (cp == 0x30F6) /* ヶ */
		return (0x30B1);
	if (cp == 0x30F5) /* ヵ */
		return (0x30AB);
	if (cp == 0x304C) /* が of 泉が丘, written ヶ or ケ elsewhere */
		return (0x30B1);
	if (cp == 0x30CE || cp == 0x4E4B) /* ノ and 之 of 三ノ輪, as の */
		return (0x306E);
	return (cp);
}

dg_err
dg_address_canon(const char *in, char **out)
{
	size_t n = strlen(in), ncp = 0, i, j, w = 0;
	uint32_t *cps = NULL, cp, prev = 0;
	char *buf = NULL;
	const char *p;
	int done_chome = 0;
	dg_err rv = DG_ERR_NOMEM;

	if ((cps = malloc((n + 1) * sizeof(*cps))) == NULL ||
	    (buf = malloc(n * 4 + 16)) == NULL)
		goto out;
	for (p = in; *p != '\0';) {
		p += dg_utf8_decode(p, &cp);
		if ((cp = map_cp(cp, prev)) == 0)
			continue;
		/* 大字 and 字: drop both forms */
		if (cp == 0x5B57) {
			if (ncp > 0 && cps[ncp - 1] == 0x5927)
				ncp--;
			continue;
		}
		cps[ncp++] = prev = cp;
	}
	for (i = 0; i < ncp;) {
		long total = 0, unit = 0;
		int d;

		if (kanji_digit(cps[i]) < 0) {
			cp = cps[i++];
			/* 3- after a non-digit: the 丁目 of a 街区 address */
			if (!done_chome && cp >= '0' && cp <= '9' &&
			    (w == 0 || buf[w - 1] < '0' || buf[w - 1] > '9')) {
				for (j = i;
				     j < ncp && cps[j] >= '0' && cps[j] <= '9';
				     j++)
					;
				if (j < ncp && cps[j] == '-' && j + 1 < ncp &&
				    cps[j + 1] >= '0' && cps[j + 1] <= '9') {
					w += put_utf8(buf + w, cp);
					for (; i < j; i++)
						w += put_utf8(buf + w, cps[i]);
					memcpy(buf + w,
					       "\xE4\xB8\x81\xE7\x9B\xAE",
					       6); /* 丁目 */
					w += 6;
					i = j + 1;
					done_chome = 1;
					continue;
				}
			}
			/* 丁 or 番 written: the 丁目 is known already. */
			if (cp == 0x4E01 || cp == 0x756A)
				done_chome = 1;
			w += put_utf8(buf + w, cp);
			continue;
		}
		/* A run of kanji numerals: positional (二十三) or digit by
		 * digit (二〇二三), as written. */
		for (; i < ncp && (d = kanji_digit(cps[i])) >= 0; i++) {
			if (d >= 10) {
				total += (unit == 0 ? 1 : unit) * d;
				unit = 0;
			} else if (unit > 0 || (i > 0 && cps[i - 1] == 0x3007))
				unit = unit * 10 + d;
			else
				unit = d;
		}
		total += unit;
		w += put_number(buf + w, total);
	}
	buf[w] = '\0';
	*out = buf;
	buf = NULL;
	rv = DG_OK;
out:
	free(cps);
	free(buf);
	return (rv);
}
