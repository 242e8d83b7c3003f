/*
 * Lookups over the code lists generated into codes_table.c from deploy/data
 * (tools/codegen/gen-codes.py); no code is written here.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "codes_table.h"

static int
cmp_str(const void *key, const void *elem)
{
	return (strcmp(key, *(const char *const *)elem));
}

static bool
in_sorted(const char *code, const char *const *list, size_t n)
{
	if (code == NULL)
		return (false);
	return (bsearch(code, list, n, sizeof(*list), cmp_str) != NULL);
}

bool
ibx_code_language(const char *code)
{
	return (in_sorted(code, ibx_iso639_1, ibx_iso639_1_len));
}

bool
ibx_code_country(const char *code)
{
	return (in_sorted(code, ibx_iso3166_alpha2, ibx_iso3166_alpha2_len));
}

static int
cmp_alpha3(const void *key, const void *elem)
{
	return (strcmp(key, ((const struct ibx_alpha3 *)elem)->alpha3));
}

const char *
ibx_code_country_alpha3(const char *alpha3)
{
	const struct ibx_alpha3 *a;

	if (alpha3 == NULL)
		return (NULL);
	a = bsearch(alpha3, ibx_iso3166_alpha3, ibx_iso3166_alpha3_len,
		    sizeof(*ibx_iso3166_alpha3), cmp_alpha3);
	return (a != NULL ? a->alpha2 : NULL);
}

bool
ibx_code_department(const char *code)
{
	return (
	    in_sorted(code, ibx_department_codes, ibx_department_codes_len));
}

bool
ibx_code_treatment(const char *code)
{
	return (ibx_code_valid(IBX_LIST_TREATMENT, code));
}

bool
ibx_code_accreditation(const char *scheme)
{
	return (ibx_code_valid(IBX_LIST_ACCREDITATION, scheme));
}

static const struct ibx_code_list_def *
list_def(ibx_code_list_id list)
{
	assert((unsigned)list < IBX_LIST_COUNT);
	return (&ibx_code_lists[list]);
}

const char *const *
ibx_code_list(ibx_code_list_id list, size_t *n)
{
	const struct ibx_code_list_def *d = list_def(list);

	if (n != NULL)
		*n = d->n;
	return (d->codes);
}

const char *
ibx_code_list_name(ibx_code_list_id list)
{
	return (list_def(list)->name);
}

int
ibx_code_index(ibx_code_list_id list, const char *s)
{
	const struct ibx_code_list_def *d = list_def(list);
	const char *const *hit;
	size_t i;

	if (s == NULL)
		return (-1);
	if (d->sorted) {
		hit = bsearch(s, d->codes, d->n, sizeof(*d->codes), cmp_str);
		return (hit != NULL ? (int)(hit - d->codes) : -1);
	}
	for (i = 0; i < d->n; i++)
		if (strcmp(s, d->codes[i]) == 0)
			return ((int)i);
	return (-1);
}

bool
ibx_code_valid(ibx_code_list_id list, const char *s)
{
	return (ibx_code_index(list, s) >= 0);
}

const char *
ibx_code_at(ibx_code_list_id list, int i)
{
	const struct ibx_code_list_def *d = list_def(list);

	return (i >= 0 && (size_t)i < d->n ? d->codes[i] : NULL);
}

const char *
ibx_code_alias(ibx_code_list_id list, int i)
{
	const struct ibx_code_list_def *d = list_def(list);

	return (d->aliases != NULL && i >= 0 && (size_t)i < d->n
		    ? d->aliases[i]
		    : NULL);
}

char *
ibx_code_join(ibx_code_list_id list, const char *sep, char *out, size_t n)
{
	const struct ibx_code_list_def *d = list_def(list);
	size_t i, len = 0;
	int w;

	assert(n > 0);
	out[0] = '\0';
	for (i = 0; i < d->n && len < n; i++) {
		w = snprintf(out + len, n - len, "%s%s", i > 0 ? sep : "",
			     d->codes[i]);
		if (w < 0)
			break;
		len += (size_t)w;
	}
	return (out);
}

static const struct ibx_prefecture *
prefecture_find(const char *code)
{
	size_t i;

	if (code == NULL)
		return (NULL);
	for (i = 0; i < ibx_prefectures_len; i++)
		if (strcmp(ibx_prefectures[i].code, code) == 0)
			return (&ibx_prefectures[i]);
	return (NULL);
}

const char *
ibx_code_prefecture_name(const char *code)
{
	const struct ibx_prefecture *p = prefecture_find(code);

	return (p != NULL ? p->romaji : NULL);
}

const char *
ibx_code_prefecture_kanji(const char *code)
{
	const struct ibx_prefecture *p = prefecture_find(code);

	return (p != NULL ? p->kanji : NULL);
}

static int
cmp_category(const void *key, const void *elem)
{
	return (strcmp(key, ((const struct ibx_icd10_category *)elem)->code));
}

int
ibx_code_icd10_chapter(const char *category)
{
	const struct ibx_icd10_category *c;

	if (category == NULL)
		return (0);
	c = bsearch(category, ibx_icd10_categories, ibx_icd10_categories_len,
		    sizeof(*ibx_icd10_categories), cmp_category);
	return (c != NULL ? c->chapter : 0);
}

const char *
ibx_code_icd10_chapter_name(int chapter)
{
	size_t i;

	for (i = 0; i < ibx_icd10_chapters_len; i++)
		if (ibx_icd10_chapters[i].id == chapter)
			return (ibx_icd10_chapters[i].name);
	return (NULL);
}
