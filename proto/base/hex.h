/*
 * Lower-case hexadecimal text of bytes (digests in file names, journals and
 * tokens).
 */
#ifndef IBX_HEX_H
#define IBX_HEX_H

#include <stddef.h>
#include <stdint.h>

/* ibx_hex_encode: the n bytes of b as 2n lower-case hex digits and a NUL
 * into out, which has room for 2n + 1 bytes.  Returns out. */
char *ibx_hex_encode(const uint8_t *b, size_t n, char *out);

#endif /* IBX_HEX_H */
