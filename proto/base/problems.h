/*
 * A list of problems found while checking input: each names a field path
 * ("languages[2]") and the reason.  Validation collects every problem rather
 * than stopping at the first, so a hospital fixes its file in one pass.
 * The list keeps at most IBX_PROBLEMS_MAX entries and counts the rest.
 */
#ifndef IBX_PROBLEMS_H
#define IBX_PROBLEMS_H

#include <stddef.h>

#define IBX_PROBLEMS_MAX 100

typedef struct ibx_problems {
	char *items[IBX_PROBLEMS_MAX]; /* "field \"x\": reason", owned */
	size_t n;		       /* entries kept */
	size_t dropped;		       /* problems past IBX_PROBLEMS_MAX */
} ibx_problems;

/* ibx_problems_init: an empty list. */
void ibx_problems_init(ibx_problems *p);

/* ibx_problems_add: add 'field "<field>": <reason>'; the reason is
 * printf-style.  Out of memory counts the problem as dropped. */
void ibx_problems_add(ibx_problems *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ibx_problems_count: kept plus dropped. */
size_t ibx_problems_count(const ibx_problems *p);

/* ibx_problems_join: all kept problems joined by sep, plus "(and N more)";
 * a new string the caller frees, or NULL when out of memory. */
char *ibx_problems_join(const ibx_problems *p, const char *sep);

/* ibx_problems_fini: free the entries; the list is empty afterwards.  NULL
 * is fine. */
void ibx_problems_fini(ibx_problems *p);

#endif /* IBX_PROBLEMS_H */
