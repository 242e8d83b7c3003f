/*
 * Whole-file reading, for the small files every program reads at once:
 * SQL scripts, listings, mappings, certificates named on the command line.
 * Streams (case records, CSV sources) are read by their own modules.
 */
#ifndef IBX_FILE_H
#define IBX_FILE_H

#include <stddef.h>

#include "err.h"

/*
 * ibx_file_read: read the whole of path (at most max bytes, max below
 * SIZE_MAX / 2) into a new buffer with a NUL after the last byte.  On IBX_OK
 * *out is the buffer (the caller frees it with free; wipe it first when it
 * holds a key) and *len, when len is not NULL, the number of bytes read (the
 * NUL not counted).  IBX_EIO when the file cannot be opened or read, with
 * errno telling why; IBX_ETOOBIG when it holds more than max bytes;
 * IBX_ENOMEM.  Nothing is logged: the caller names the file in its own
 * message.  Buffers given up on the way are wiped.
 */
ibx_err ibx_file_read(const char *path, size_t max, char **out, size_t *len);

#endif /* IBX_FILE_H */
