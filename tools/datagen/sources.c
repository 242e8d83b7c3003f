/*
 * sources.c - parsing helpers shared by the hospital list readers.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "normalise.h"
#include "sources.h"

dg_err
dg_data_path(const char *data_dir, const char *file, char *buf, size_t size)
{
	if ((size_t)snprintf(buf, size, "%s/%s", data_dir, file) >= size) {
		dg_error("data directory path too long");
		return (DG_ERR_USAGE);
	}
	return (DG_OK);
}

/*
 * Returns a trimmed copy of s with full-width digits, signs and stops made
 * ASCII; any other non-ASCII character becomes '?' so that parsing fails.
 */
static char *
ascii_number(const char *s)
{
	char *t, *w;
	const char *p;
	uint32_t cp;

	if ((t = dg_trim_dup(s)) == NULL)
		return (NULL);
	for (p = t, w = t; *p != '\0';) {
		p += dg_utf8_decode(p, &cp);
		if (cp >= 0xFF0B && cp <= 0xFF19) /* ＋ ， － ． ／ ０-９ */
			cp -= 0xFEE0;
		*w++ = cp < 0x80 ? (char)cp : '?';
	}
	*w = '\0';
	return (t);
}

int
dg_parse_int(const char *s, long *out)
{
	char *t = ascii_number(s), *end;
	long v;
	int ok = 0;

	if (t == NULL || t[0] == '\0')
		goto out;
	errno = 0;
	v = strtol(t, &end, 10);
	if (errno != 0 || *end != '\0')
		goto out;
	*out = v;
	ok = 1;
out:
	free(t);
	return (ok);
}

int
dg_parse_double(const char *s, double *out)
{
	char *t = ascii_number(s), *end;
	double v;
	int ok = 0;

	if (t == NULL || t[0] == '\0')
		goto out;
	errno = 0;
	v = strtod(t, &end);
	if (errno != 0 || *end != '\0')
		goto out;
	*out = v;
	ok = 1;
out:
	free(t);
	return (ok);
}

dg_err
dg_set_text(char **dst, const char *s)
{
	char *t;

	if ((t = dg_trim_dup(s)) == NULL)
		return (DG_ERR_NOMEM);
	free(*dst);
	*dst = NULL;
	if (t[0] == '\0')
		free(t);
	else
		*dst = t;
	return (DG_OK);
}
