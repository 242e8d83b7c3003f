/*
 * romaji.h - readings in Latin letters (ja-Latn, modified Hepburn without
 * long-vowel marks) of Japanese names and addresses, made at
 * data-generation time by Debian's kakasi command (package "kakasi"), and
 * English names transliterated from them for hospitals that registered
 * none. kakasi runs once for a whole batch; it is a separate program, so
 * nothing of it is linked into ours.
 */
#ifndef DG_ROMAJI_H
#define DG_ROMAJI_H

#include <stddef.h>

#include "datagen.h"

/*
 * dg_romaji_batch sets out[i] to a new ASCII reading of the UTF-8 string
 * in[i], for i < n (NULL in[i] gives NULL out[i]); the caller frees each.
 * Words are capitalised and separated by one space; long vowels are written
 * single (Toukyou -> Tokyo, Chuuou -> Chuo), as street signs and passports
 * do. Returns DG_OK, DG_ERR_IO when kakasi cannot be run or gives a
 * different number of lines, or DG_ERR_NOMEM; on failure out is untouched.
 */
dg_err dg_romaji_batch(const char *const *in, size_t n, char **out);

/*
 * dg_romaji_name_stem returns in *stem a new copy of the part of a hospital
 * name (UTF-8) that an English name translates: the text after the last
 * space (the legal form and operator come first: 医療法人 愛全病院), without
 * a closing 病院 and its qualifier; *suffix is set to the English words
 * that replace them ("Hospital", "General Hospital", "Memorial Hospital",
 * "University Hospital") or "" when the name does not end in 病院.
 * Returns DG_OK or DG_ERR_NOMEM.
 */
dg_err dg_romaji_name_stem(const char *name, char **stem, const char **suffix);

#endif /* DG_ROMAJI_H */
