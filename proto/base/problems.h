/*
 * A list of problems found while checking input: each names a field path
 * ("languages[2]") and the reason.  Validation collects every problem rather
 * than stopping at the first, so a hospital fixes its file in one pass.
 * The list keeps at most IBX_PROBLEMS_MAX entries and counts the rest.
 */
#ifndef IBX_PROBLEMS_H
#define IBX_PROBLEMS_H

#include <stdarg.h>
#include <stddef.h>

#define IBX_PROBLEMS_MAX 100
#define IBX_PROBLEM_ARGS 4 /* values a reason code carries */

/*
 * Beside its English text, a problem added with ibx_problems_addc has a
 * stable reason code ("too_long") and the values of its reason ("200"),
 * so a page can say it in the reader's language (spoke/web/page/i18n.js
 * PROBLEMS); the command line prints the English text.
 */
typedef struct ibx_problems {
	char *items[IBX_PROBLEMS_MAX];	     /* "field \"x\": reason", owned */
	char *fields[IBX_PROBLEMS_MAX];	     /* "x", owned */
	const char *codes[IBX_PROBLEMS_MAX]; /* static; NULL: no code */
	char *args[IBX_PROBLEMS_MAX][IBX_PROBLEM_ARGS]; /* owned or NULL */
	size_t n;					/* entries kept */
	size_t dropped; /* problems past IBX_PROBLEMS_MAX */
} ibx_problems;

/* ibx_problems_init: an empty list. */
void ibx_problems_init(ibx_problems *p);

/* ibx_problems_add: add 'field "<field>": <reason>'; the reason is
 * printf-style.  Out of memory counts the problem as dropped. */
void ibx_problems_add(ibx_problems *p, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ibx_problems_addc: as ibx_problems_add, with the reason's stable code
 * (a static string, [a-z0-9_]+); each conversion of fmt (%s %d %zu %lld
 * %llu %c %.Nf) becomes one of the problem's values, in order, the first
 * IBX_PROBLEM_ARGS kept.  The English text is exactly ibx_problems_add's. */
void ibx_problems_addc(ibx_problems *p, const char *field, const char *code,
		       const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* ibx_problem_args: the values of fmt's conversions (as ibx_problems_addc
 * takes them), read from ap, as text into args[0..]: new strings the caller
 * frees, at most IBX_PROBLEM_ARGS; the rest of args is left alone.  For
 * other lists of problems that carry codes (spoke/anonymise's rows). */
void ibx_problem_args(char *args[IBX_PROBLEM_ARGS], const char *fmt,
		      va_list ap);

/* ibx_problems_count: kept plus dropped. */
size_t ibx_problems_count(const ibx_problems *p);

/* ibx_problems_join: all kept problems joined by sep, plus "(and N more)";
 * a new string the caller frees, or NULL when out of memory. */
char *ibx_problems_join(const ibx_problems *p, const char *sep);

/* ibx_problems_fini: free the entries; the list is empty afterwards.  NULL
 * is fine. */
void ibx_problems_fini(ibx_problems *p);

#endif /* IBX_PROBLEMS_H */
