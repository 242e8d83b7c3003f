/*
 * The coded columns that need a code list: nationality (ISO 3166-1 alpha-2
 * or alpha-3, reported as alpha-2) and ICD-10 codes (reduced to their
 * 3-character category and chapter).  Lookups go through tables built once
 * from proto/domain/codes.h, so a million rows cost a million array reads, not
 * a million binary searches.
 */
#ifndef SPOKE_CASES_CODES_H
#define SPOKE_CASES_CODES_H

#include <stdbool.h>
#include <stddef.h>

/* spoke_nationality: read len bytes of s as an ISO 3166-1 alpha-2 ("CN")
 * or alpha-3 ("CHN") code, ASCII case ignored, and write the alpha-2 code
 * to out (NUL-terminated).  false for anything else, out untouched. */
bool spoke_nationality(const char *s, size_t len, char out[3]);

typedef enum spoke_icd10_result {
	SPOKE_ICD10_OK = 0,
	SPOKE_ICD10_MALFORMED, /* not letter, digit, digit-or-letter [...] */
	SPOKE_ICD10_UNKNOWN,   /* well formed, but no such category */
} spoke_icd10_result;

/* spoke_icd10: read len bytes of s as an ICD-10 code: a 3-character
 * category ("C16", ASCII case ignored) optionally followed by up to four
 * more letters or digits, with or without a dot ("C16.9", "C169",
 * "S72.001A").  On SPOKE_ICD10_OK writes the category in upper case to
 * category (NUL-terminated) and its chapter (1..22, ICD-10-CM 2025 as
 * ibx_code_icd10_chapter) to *chapter. */
spoke_icd10_result spoke_icd10(const char *s, size_t len, char category[4],
			       int *chapter);

#endif /* SPOKE_CASES_CODES_H */
