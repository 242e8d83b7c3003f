/*
 * Helpers of the protobuf-c boundary shared by the codec_*.c files (not a
 * public face of proto/).  Proto3 has no "absent" for strings: NULL in the
 * domain travels as "", and "" on the wire becomes NULL.
 */
#ifndef IBX_CODEC_UTIL_H
#define IBX_CODEC_UTIL_H

#include <stddef.h>

#include "err.h"
#include "listing.h"

/* ibx_codec_wstr: s for the wire ("" for NULL); not a copy. */
char *ibx_codec_wstr(const char *s);

/* ibx_codec_dstr: a copy of wire string s for the domain, NULL for "".
 * IBX_ENOMEM. */
ibx_err ibx_codec_dstr(const char *s, char **out);

/* ibx_codec_dstrv: append copies of v[0..n-1] to out.  IBX_ENOMEM. */
ibx_err ibx_codec_dstrv(char **v, size_t n, ibx_strv *out);

#endif /* IBX_CODEC_UTIL_H */
