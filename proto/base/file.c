/* Whole-file reading; see file.h. */
#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "log.h"

ibx_err
ibx_file_read(const char *path, size_t max, char **out, size_t *len)
{
	FILE *f = NULL;
	char *buf = NULL, *nb;
	size_t cap = 0, n = 0, want, got;
	ibx_err rv = IBX_OK;

	assert(max < SIZE_MAX / 2);
	if ((f = fopen(path, "rb")) == NULL) {
		IBX_ERROR("cannot open %s: %s", path, strerror(errno));
		return (IBX_EIO);
	}
	for (;;) {
		if (cap - n <= 1) {
			/* One byte past max tells a file of max bytes from a
			 * longer one; one more for the NUL. */
			cap = cap == 0 ? 4096 : cap * 2;
			if (cap > max + 2)
				cap = max + 2;
			if ((nb = realloc(buf, cap)) == NULL) {
				rv = IBX_ENOMEM;
				goto out;
			}
			buf = nb;
		}
		want = cap - 1 - n;
		got = fread(buf + n, 1, want, f);
		n += got;
		if (n > max) {
			IBX_ERROR("cannot read %s: over %zu bytes", path, max);
			rv = IBX_ETOOBIG;
			goto out;
		}
		if (got < want) {
			if (ferror(f)) {
				IBX_ERROR("cannot read %s: %s", path,
					  strerror(errno));
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
	free(buf);
	fclose(f);
	return (rv);
}
