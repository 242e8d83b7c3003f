/*
 * csvread.c - CSV records from a file through libcsv. The whole file is read
 * into memory first (the largest input is about 12 MB, unpacked from
 * gzip with zlib when the name ends in .gz) and handed to libcsv in
 * one call; fields are copied into a per-record buffer because libcsv reuses
 * its own. Column meaning is the callers' business.
 */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "csvread.h"

#define CSV_MAX_FILE (64u * 1024u * 1024u)

/* State shared with the libcsv callbacks while one file is parsed. */
struct csv_state {
	dg_csv_row_fn fn;
	void *arg;
	char *text;	  /* the current record's fields, NUL-separated */
	size_t text_len;  /* bytes used in text */
	size_t text_cap;  /* bytes allocated for text */
	size_t *offsets;  /* start of each field in text */
	size_t nfields;	  /* fields in the current record */
	size_t cap;	  /* entries allocated for offsets */
	const char **ptr; /* field pointers handed to fn */
	size_t ptr_cap;	  /* entries allocated for ptr */
	size_t record;	  /* records delivered so far */
	dg_err rv;	  /* first failure; callbacks do nothing after it */
};

/* Grows buffer *p of *cap elements of size elem so it holds need of them. */
static int
grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return (0);
	while (ncap < need)
		ncap *= 2;
	if ((np = realloc(*p, ncap * elem)) == NULL)
		return (-1);
	*p = np;
	*cap = ncap;
	return (0);
}

/* libcsv field callback: append one field to the current record. */
static void
on_field(void *s, size_t len, void *data)
{
	struct csv_state *st = data;

	if (st->rv != DG_OK)
		return;
	if (grow((void **)&st->offsets, &st->cap, st->nfields + 1,
		 sizeof(*st->offsets)) != 0 ||
	    grow((void **)&st->text, &st->text_cap, st->text_len + len + 1,
		 1) != 0) {
		st->rv = DG_ERR_NOMEM;
		return;
	}
	st->offsets[st->nfields++] = st->text_len;
	if (len > 0)
		memcpy(st->text + st->text_len, s, len);
	st->text_len += len;
	st->text[st->text_len++] = '\0';
}

/* libcsv record callback: hand the finished record to the caller. */
static void
on_record(int c, void *data)
{
	struct csv_state *st = data;
	dg_csv_row row;
	size_t i;

	(void)c;
	if (st->rv != DG_OK)
		return;
	if (grow((void **)&st->ptr, &st->ptr_cap, st->nfields + 1,
		 sizeof(*st->ptr)) != 0) {
		st->rv = DG_ERR_NOMEM;
		return;
	}
	for (i = 0; i < st->nfields; i++)
		st->ptr[i] = st->text + st->offsets[i];
	row.record = st->record++;
	row.nfields = st->nfields;
	row.field = st->ptr;
	st->rv = st->fn(&row, st->arg);
	st->nfields = 0;
	st->text_len = 0;
}

/* Reads a gzip-compressed file (at most CSV_MAX_FILE bytes unpacked). */
static dg_err
slurp_gz(const char *path, char **out, size_t *len)
{
	dg_err rv = DG_OK;
	gzFile f = NULL;
	char *buf = NULL, *nb;
	size_t cap = 1 << 20, n = 0;
	int got;

	if ((f = gzopen(path, "rb")) == NULL) {
		dg_error("cannot open \"%s\": %s", path,
			 errno ? strerror(errno) : "out of memory");
		rv = DG_ERR_IO;
		goto out;
	}
	if ((buf = malloc(cap + 1)) == NULL) {
		rv = DG_ERR_NOMEM;
		goto out;
	}
	while ((got = gzread(f, buf + n, (unsigned)(cap - n))) > 0) {
		n += (size_t)got;
		if (n < cap)
			continue;
		if (cap >= CSV_MAX_FILE) {
			dg_error("cannot read \"%s\": larger than %u bytes "
				 "unpacked",
				 path, CSV_MAX_FILE);
			rv = DG_ERR_FORMAT;
			goto out;
		}
		cap *= 2;
		if ((nb = realloc(buf, cap + 1)) == NULL) {
			rv = DG_ERR_NOMEM;
			goto out;
		}
		buf = nb;
	}
	if (got < 0) {
		int zerr;

		dg_error("cannot read \"%s\": %s", path, gzerror(f, &zerr));
		rv = DG_ERR_IO;
		goto out;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	buf = NULL;
out:
	free(buf);
	if (f != NULL)
		gzclose(f);
	return (rv);
}

/*
 * Reads the whole file at path into a new NUL-terminated buffer; a name
 * ending in ".gz" is unpacked on the way (zlib).
 */
static dg_err
slurp(const char *path, char **out, size_t *len)
{
	dg_err rv = DG_OK;
	FILE *f = NULL;
	char *buf = NULL;
	long size;
	size_t plen = strlen(path);

	if (plen > 3 && strcmp(path + plen - 3, ".gz") == 0)
		return (slurp_gz(path, out, len));
	if ((f = fopen(path, "rb")) == NULL) {
		dg_error("cannot open \"%s\": %s", path, strerror(errno));
		rv = DG_ERR_IO;
		goto out;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		dg_error("cannot read \"%s\": %s", path, strerror(errno));
		rv = DG_ERR_IO;
		goto out;
	}
	if ((unsigned long)size > CSV_MAX_FILE) {
		dg_error("cannot read \"%s\": larger than %u bytes", path,
			 CSV_MAX_FILE);
		rv = DG_ERR_FORMAT;
		goto out;
	}
	if ((buf = malloc((size_t)size + 1)) == NULL) {
		rv = DG_ERR_NOMEM;
		goto out;
	}
	if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
		dg_error("cannot read \"%s\": short read", path);
		rv = DG_ERR_IO;
		goto out;
	}
	buf[size] = '\0';
	*out = buf;
	*len = (size_t)size;
	buf = NULL;
out:
	free(buf);
	if (f != NULL)
		fclose(f);
	return (rv);
}

dg_err
dg_csv_read(const char *path, dg_csv_row_fn fn, void *arg)
{
	dg_err rv = DG_OK;
	struct csv_parser parser;
	struct csv_state st;
	int parser_ready = 0;
	char *buf = NULL;
	size_t len = 0, skip = 0;

	memset(&st, 0, sizeof(st));
	st.fn = fn;
	st.arg = arg;
	if ((rv = slurp(path, &buf, &len)) != DG_OK)
		goto out;
	/* A UTF-8 byte order mark is not part of the first header name. */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		skip = 3;
	if (csv_init(&parser, CSV_APPEND_NULL) != 0) {
		rv = DG_ERR_NOMEM;
		goto out;
	}
	parser_ready = 1;
	if (csv_parse(&parser, buf + skip, len - skip, on_field, on_record,
		      &st) != len - skip) {
		dg_error("cannot parse \"%s\": %s", path,
			 csv_strerror(csv_error(&parser)));
		rv = DG_ERR_FORMAT;
		goto out;
	}
	if (csv_fini(&parser, on_field, on_record, &st) != 0) {
		dg_error("cannot parse \"%s\": %s", path,
			 csv_strerror(csv_error(&parser)));
		rv = DG_ERR_FORMAT;
		goto out;
	}
	if (st.rv == DG_ERR_NOMEM)
		dg_error("reading \"%s\": out of memory", path);
	rv = st.rv;
out:
	if (parser_ready)
		csv_free(&parser);
	free(st.text);
	free(st.offsets);
	free(st.ptr);
	free(buf);
	return (rv);
}

int
dg_csv_column(const dg_csv_row *header, const char *name)
{
	size_t i;

	for (i = 0; i < header->nfields; i++)
		if (strcmp(header->field[i], name) == 0)
			return ((int)i);
	return (-1);
}

dg_err
dg_csv_columns(const dg_csv_row *header, const char *file,
	       const char *const *names, int *const *slots, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if ((*slots[i] = dg_csv_column(header, names[i])) < 0) {
			dg_error("%s: missing column \"%s\"", file, names[i]);
			return (DG_ERR_FORMAT);
		}
	}
	return (DG_OK);
}

const char *
dg_csv_field(const dg_csv_row *row, int col)
{
	if (col < 0 || (size_t)col >= row->nfields)
		return ("");
	return (row->field[col]);
}
