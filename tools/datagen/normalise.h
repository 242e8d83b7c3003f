/*
 * normalise.h - text normalisation for matching Japanese names, addresses and
 * department names across sources that spell them differently (full-width
 * and half-width characters, ideographic spaces, variant kanji, punctuation).
 * The normalised forms are match keys only; listings always carry the text as
 * published. Matching itself is left to codes.c and depts.c.
 */
#ifndef DG_NORMALISE_H
#define DG_NORMALISE_H

#include <stddef.h>
#include <stdint.h>

#include "datagen.h"

/* Flags for dg_norm. */
#define DG_NORM_SPACES	1u /* keep word breaks as one ASCII space */
#define DG_NORM_ADDRESS 2u /* dashes and 丁目/番地/番/号/の become '-' */
#define DG_NORM_DEPT	4u /* department spellings (咽喉, 頚, こう門) */

/*
 * dg_norm returns in *out a new normalised copy of the UTF-8 string in (the
 * caller frees it): full-width ASCII becomes ASCII, ASCII letters lower
 * case, a few variant kanji and small ヶ/ヵ their common forms, separators
 * (・ , . 、) are dropped, and runs of white space (ASCII, ideographic,
 * control characters) are dropped or, with DG_NORM_SPACES, become one space.
 * Names also get 国民健康保険 shortened to 国保. Returns DG_OK or
 * DG_ERR_NOMEM.
 */
dg_err dg_norm(const char *in, unsigned flags, char **out);

/*
 * dg_norm_strip_legal returns a pointer into the normalised name s just past
 * any leading legal-form words (医療法人, 社会医療法人, 公益財団法人,
 * 独立行政法人, 社団, ...), skipping a following space, or s itself.
 */
const char *dg_norm_strip_legal(const char *s);

/*
 * dg_norm_postal writes the 7 digits of a Japanese postal code given as
 * "123-4567", "1234567" or in full-width digits to out, or "" when in does
 * not hold exactly 7 digits.
 */
void dg_norm_postal(const char *in, char out[8]);

/*
 * dg_trim_dup returns a new copy of in (the caller frees it) without leading
 * and trailing ASCII or ideographic white space, with each other control
 * character replaced by a space; NULL when out of memory.
 */
char *dg_trim_dup(const char *in);

/*
 * dg_utf8_decode decodes the character at s into *cp and returns its length
 * in bytes (1 to 4); an invalid byte decodes as U+FFFD of length 1. s must
 * not point at the terminating NUL.
 */
size_t dg_utf8_decode(const char *s, uint32_t *cp);

/* dg_utf8_count returns the number of characters in s. */
size_t dg_utf8_count(const char *s);

/* dg_utf8_valid returns 1 when s is well-formed UTF-8, else 0. */
int dg_utf8_valid(const char *s);

#endif /* DG_NORMALISE_H */
