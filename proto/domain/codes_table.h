/*
 * The generated code-list tables (codes_table.c, tools/codegen/gen-codes.py).
 * Callers use the lookup functions in codes.h; only codes.c reads these.
 */
#ifndef IBX_CODES_TABLE_H
#define IBX_CODES_TABLE_H

#include <stdbool.h>
#include <stddef.h>

struct ibx_prefecture {
	const char *code;   /* JIS X 0401, "01".."47" */
	const char *kanji;  /* 北海道 */
	const char *romaji; /* Hokkaido */
};

struct ibx_alpha3 {
	const char *alpha3; /* "CHN", sorted */
	const char *alpha2; /* "CN" */
};

struct ibx_icd10_chapter {
	int id;
	const char *name;
};

struct ibx_icd10_category {
	const char *code; /* "C16" */
	int chapter;
};

/* One code list: its name ("purpose"), its codes (NULL-terminated, n of
 * them), whether they are sorted (bsearch), and the alias of each code
 * accepted in case records (NULL when the list has none). */
struct ibx_code_list_def {
	const char *name;
	const char *const *codes;
	size_t n;
	bool sorted;
	const char *const *aliases;
};

extern const struct ibx_code_list_def ibx_code_lists[];
extern const char *const ibx_iso639_1[];
extern const size_t ibx_iso639_1_len;
extern const char *const ibx_iso3166_alpha2[];
extern const size_t ibx_iso3166_alpha2_len;
extern const char *const ibx_department_codes[];
extern const size_t ibx_department_codes_len;
extern const struct ibx_alpha3 ibx_iso3166_alpha3[];
extern const size_t ibx_iso3166_alpha3_len;
extern const struct ibx_prefecture ibx_prefectures[];
extern const size_t ibx_prefectures_len;
extern const struct ibx_icd10_chapter ibx_icd10_chapters[];
extern const size_t ibx_icd10_chapters_len;
extern const struct ibx_icd10_category ibx_icd10_categories[];
extern const size_t ibx_icd10_categories_len;

#endif /* IBX_CODES_TABLE_H */
