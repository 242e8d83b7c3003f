/* Whole-file reading; see file.h. */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"

ibx_err
ibx_file_read(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f;
	char *buf = NULL, *nb;
	size_t cap = 0, n = 0, want, got;
	ibx_err rv = IBX_OK;
	int e = 0;

	assert(max < SIZE_MAX / 2);
	if ((f = fopen(path, "rb")) == NULL)
		return (IBX_EIO); /* errno from fopen */
	for (;;) {
		if (cap - n <= 1) {
			/* One byte past max tells a file of max bytes from a
			 * longer one; one more for the NUL.  Grown by copy,
			 * the old buffer wiped: the file may be a key. */
			cap = cap == 0 ? 4096 : cap * 2;
			if (cap > max + 2)
				cap = max + 2;
			if ((nb = malloc(cap)) == NULL) {
				rv = IBX_ENOMEM;
				goto out;
			}
			if (buf != NULL) {
				memcpy(nb, buf, n);
				explicit_bzero(buf, n);
				free(buf);
			}
			buf = nb;
		}
		want = cap - 1 - n;
		got = fread(buf + n, 1, want, f);
		n += got;
		if (n > max) {
			rv = IBX_ETOOBIG;
			goto out;
		}
		if (got < want) {
			if (ferror(f)) {
				e = errno;
				rv = IBX_EIO;
				goto out;
			}
			break;
		}
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	if (len != NULL)
		*len = n;
out:
	if (buf != NULL) {
		explicit_bzero(buf, n);
		free(buf);
	}
	fclose(f);
	if (e != 0)
		errno = e;
	return (rv);
}
