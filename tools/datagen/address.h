/*
 * address.h - the canonical form of a Japanese address used as a match key
 * by the geocoder (geocode.c): the same place written by the regional health
 * bureaus (「双葉台３－３－１０」), by Geolonia's town list (「双葉台三丁目」)
 * or by a prefecture (「南２２条西１４丁目」) gets one spelling. The form is
 * a key only; listings carry the address as published.
 */
#ifndef DG_ADDRESS_H
#define DG_ADDRESS_H

#include "datagen.h"

/*
 * dg_address_canon returns in *out a new canonical copy of the UTF-8 address
 * in (the caller frees it):
 *   - full-width ASCII (digits, letters, ＿－) becomes ASCII;
 *   - dashes (‐ ‑ – — ― − ｰ, and ー after a digit) become '-';
 *   - white space (ASCII and ideographic) is dropped;
 *   - small ヶ ヵ become ケ カ, and が ケ; ノ and 之 become の (泉が丘 and
 *     泉ヶ丘, 三ノ輪 and 三の輪 are the same place);
 *   - 大字 and 字 are dropped (written or not, by source);
 *   - a run of kanji numerals (〇 一 .. 九 十 百 千) becomes its Arabic value
 *     (二十三 -> 23, 十 -> 10, 百五 -> 105), on both sides of a match, so
 *     that names that merely contain a numeral (四日市) stay equal;
 *   - the first "N-" after a non-digit (the 街区 form 3-3-10) becomes
 *     "N丁目" (3丁目3-10), the way 住居表示 addresses are read, unless a
 *     丁 or 番 came before it (4丁目16-1 stays).
 * Returns DG_OK or DG_ERR_NOMEM.
 */
dg_err dg_address_canon(const char *in, char **out);

#endif /* DG_ADDRESS_H */
