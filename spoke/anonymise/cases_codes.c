/*
 * Nationality and ICD-10 lookups for case records; see cases_codes.h.  The
 * direct-index tables are filled once (pthread_once) from
 * proto/domain/codes.h: 26 x 26 alpha-2 codes, 26^3 alpha-3 codes, and 26 x 10
 * x 36 ICD-10 categories (the third character of a category is a digit or, in
 * ICD-10-CM, a letter: C7A, M1A, O9A).
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "cases_codes.h"
#include "codes.h"

#define N_ALPHA2 (26 * 26)
#define N_ALPHA3 (26 * 26 * 26)
#define N_ICD	 (26 * 10 * 36)

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool ready; /* the tables are built (set last, read with acquire) */
static bool alpha2_known[N_ALPHA2];
static int16_t alpha3_to_alpha2[N_ALPHA3]; /* alpha-2 index + 1, or 0 */
static int8_t icd_chapter[N_ICD];	   /* 1..22, or 0 when unknown */

/* 0..25 for an ASCII letter of either case, else -1. */
static int
letter(unsigned char c)
{
	c |= 0x20;
	return (c >= 'a' && c <= 'z' ? c - 'a' : -1);
}

/* 0..35 for a digit or letter (digits first), else -1. */
static int
alnum(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	return (letter(c) >= 0 ? 10 + letter(c) : -1);
}

static void
build(void)
{
	char code[4] = "";
	size_t i;
	int a, b, c;

	for (a = 0; a < 26; a++)
		for (b = 0; b < 26; b++) {
			code[0] = (char)('A' + a);
			code[1] = (char)('A' + b);
			code[2] = '\0';
			alpha2_known[a * 26 + b] = ibx_code_country(code);
		}
	for (i = 0; i < N_ALPHA3; i++) {
		const char *a2;

		code[0] = (char)('A' + i / 676);
		code[1] = (char)('A' + i / 26 % 26);
		code[2] = (char)('A' + i % 26);
		code[3] = '\0';
		if ((a2 = ibx_code_country_alpha3(code)) == NULL)
			continue;
		b = letter((unsigned char)a2[0]) * 26 +
		    letter((unsigned char)a2[1]);
		if (alpha2_known[b])
			alpha3_to_alpha2[i] = (int16_t)(b + 1);
	}
	for (a = 0; a < 26; a++)
		for (b = 0; b < 10; b++)
			for (c = 0; c < 36; c++) {
				code[0] = (char)('A' + a);
				code[1] = (char)('0' + b);
				code[2] =
				    (char)(c < 10 ? '0' + c : 'A' + c - 10);
				code[3] = '\0';
				icd_chapter[(a * 10 + b) * 36 + c] =
				    (int8_t)ibx_code_icd10_chapter(code);
			}
	__atomic_store_n(&ready, true, __ATOMIC_RELEASE);
}

/* Build the tables the first time; afterwards one load. */
static void
tables(void)
{
	if (!__atomic_load_n(&ready, __ATOMIC_ACQUIRE))
		pthread_once(&once, build);
}

bool
spoke_nationality(const char *s, size_t len, char out[3])
{
	const unsigned char *u = (const unsigned char *)s;
	int a, b, c, i;

	tables();
	if (len == 2) {
		if ((a = letter(u[0])) < 0 || (b = letter(u[1])) < 0 ||
		    !alpha2_known[a * 26 + b])
			return (false);
		i = a * 26 + b;
	} else if (len == 3) {
		if ((a = letter(u[0])) < 0 || (b = letter(u[1])) < 0 ||
		    (c = letter(u[2])) < 0 ||
		    alpha3_to_alpha2[a * 676 + b * 26 + c] == 0)
			return (false);
		i = alpha3_to_alpha2[a * 676 + b * 26 + c] - 1;
	} else
		return (false);
	out[0] = (char)('A' + i / 26);
	out[1] = (char)('A' + i % 26);
	out[2] = '\0';
	return (true);
}

spoke_icd10_result
spoke_icd10(const char *s, size_t len, char category[4], int *chapter)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, rest;
	int a, b, c, ch;

	tables();
	if (len < 3 || len > 8 || (a = letter(u[0])) < 0 || u[1] < '0' ||
	    u[1] > '9' || (c = alnum(u[2])) < 0)
		return (SPOKE_ICD10_MALFORMED);
	b = u[1] - '0';
	/* The subcategory: up to four letters or digits, after a dot or
	 * straight after the category. */
	i = 3;
	if (i < len && u[i] == '.') {
		i++;
		if (i == len)
			return (SPOKE_ICD10_MALFORMED);
	}
	for (rest = 0; i < len; i++, rest++)
		if (alnum(u[i]) < 0 || rest == 4)
			return (SPOKE_ICD10_MALFORMED);
	if ((ch = icd_chapter[(a * 10 + b) * 36 + c]) == 0)
		return (SPOKE_ICD10_UNKNOWN);
	category[0] = (char)('A' + a);
	category[1] = (char)u[1];
	category[2] = (char)(c < 10 ? '0' + c : 'A' + c - 10);
	category[3] = '\0';
	*chapter = ch;
	return (SPOKE_ICD10_OK);
}
