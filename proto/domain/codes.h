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

/* ibx_code_language: true for a lower-case ISO 639-1 code ("en"). */
bool ibx_code_language(const char *code);

/* ibx_code_country: true for an upper-case ISO 3166-1 alpha-2 code
 * ("CN"). */
bool ibx_code_country(const char *code);

/* ibx_code_department: true for a 5-digit national department code
 * ("01001", 内科). */
bool ibx_code_department(const char *code);

/* ibx_code_treatment: true for a code of the treatment vocabulary
 * ("proton_therapy"). */
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
