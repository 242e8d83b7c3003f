/*
 * Code lists that listings and statistics are checked against: ISO 639-1
 * languages, ISO 3166-1 alpha-2 countries, JIS X 0401 prefectures, the
 * national department codes of the medical information net, ICD-10(-CM)
 * chapters and 3-character categories, and the project's own treatment and
 * accreditation vocabularies (docs/listing-format.md).  All lookups are
 * exact and case-sensitive; the lists are static and need no set-up.
 */
#ifndef IBX_CODES_H
#define IBX_CODES_H

#include <stdbool.h>
#include <stddef.h>

#include "codes_index.h"

/*
 * The code lists, each written once in deploy/data and generated into
 * codes_table.c (tools/codegen/gen-codes.py).  The project's vocabularies
 * keep the order of their file (codes_index.h names each index); the
 * standard lists are sorted.
 */
typedef enum ibx_code_list_id {
	IBX_LIST_PURPOSE,	   /* purposes of the stay (statistics) */
	IBX_LIST_AGE_BAND,	   /* ten-year bands, the oldest open */
	IBX_LIST_SEX,		   /* male, female, unknown */
	IBX_LIST_REFERRAL_CHANNEL, /* how a patient was referred */
	IBX_LIST_ANSWER,	   /* yes, no, unknown */
	IBX_LIST_TREATMENT,	   /* the treatment vocabulary */
	IBX_LIST_PRICE_SERVICE,	   /* price-band services beyond treatments */
	IBX_LIST_ACCREDITATION,	   /* accreditation schemes */
	IBX_LIST_COORDINATOR_SERVICE, /* services of a coordinator */
	IBX_LIST_REFERRAL_STATE,      /* states of a referral (issue 15) */
	IBX_LIST_URGENCY,	      /* a referral's urgency */
	IBX_LIST_DECLINE_REASON,      /* why a hospital declines one */
	IBX_LIST_LANGUAGE,	      /* ISO 639-1 */
	IBX_LIST_COUNTRY,	      /* ISO 3166-1 alpha-2 */
	IBX_LIST_DEPARTMENT,	      /* national department codes */
	IBX_LIST_PREFECTURE,	      /* JIS X 0401 */
	IBX_LIST_COUNT
} ibx_code_list_id;

/* ibx_code_list: the codes of list, NULL-terminated, in the list's order;
 * *n (when n is not NULL) their number.  Static; never NULL for a valid
 * list (asserted). */
const char *const *ibx_code_list(ibx_code_list_id list, size_t *n);

/* ibx_code_list_name: the list's name in messages ("purpose"). */
const char *ibx_code_list_name(ibx_code_list_id list);

/* ibx_code_valid: true when s (may be NULL) is a code of list; exact and
 * case-sensitive. */
bool ibx_code_valid(ibx_code_list_id list, const char *s);

/* ibx_code_index: the index of s in ibx_code_list(list) (the constants of
 * codes_index.h), or -1 when s is not a code of list. */
int ibx_code_index(ibx_code_list_id list, const char *s);

/* ibx_code_at: the code at index i of list, or NULL when i is out of
 * range.  Static string. */
const char *ibx_code_at(ibx_code_list_id list, int i);

/* ibx_code_alias: the short form of code i accepted in case records ("m"
 * for male), or NULL when the list has none. */
const char *ibx_code_alias(ibx_code_list_id list, int i);

/* ibx_code_join: the codes of list separated by sep ("treatment,
 * health_checkup, ..."), for messages that name every allowed value; cut
 * (and NUL-terminated) at n bytes.  Returns out. */
char *ibx_code_join(ibx_code_list_id list, const char *sep, char *out,
		    size_t n);

/* ibx_code_language: true for a lower-case ISO 639-1 code ("en"). */
bool ibx_code_language(const char *code);

/* ibx_code_country: true for an upper-case ISO 3166-1 alpha-2 code
 * ("CN"). */
bool ibx_code_country(const char *code);

/* ibx_code_country_alpha3: the alpha-2 code of an upper-case ISO 3166-1
 * alpha-3 code ("CHN" -> "CN"), or NULL when it is unknown.  Static. */
const char *ibx_code_country_alpha3(const char *alpha3);

/* ibx_code_department: true for a 5-digit national department code
 * ("01001", 内科). */
bool ibx_code_department(const char *code);

/* ibx_code_treatment: true for a code of the treatment vocabulary
 * (IBX_LIST_TREATMENT). */
bool ibx_code_treatment(const char *code);

/* ibx_code_accreditation: true for JMIP, JIH or JCI. */
bool ibx_code_accreditation(const char *scheme);

/* ibx_code_prefecture_name: the romaji name of a JIS X 0401 prefecture code
 * ("39" -> "Kochi Ken"), or NULL when the code is unknown.  Static string. */
const char *ibx_code_prefecture_name(const char *code);

/* ibx_code_prefecture_kanji: the kanji name ("39" -> 高知県), or NULL. */
const char *ibx_code_prefecture_kanji(const char *code);

/* ibx_code_icd10_chapter: the ICD-10 chapter (1..22) of a 3-character
 * category ("C16" -> 2), or 0 when the category is unknown.  Chapters
 * follow ICD-10-CM 2025 (CDC/NCHS), whose ranges differ slightly from WHO
 * ICD-10 (Neoplasms end at D49, not D48). */
int ibx_code_icd10_chapter(const char *category);

/* ibx_code_icd10_chapter_name: the name of chapter 1..22, or NULL. */
const char *ibx_code_icd10_chapter_name(int chapter);

#endif /* IBX_CODES_H */
