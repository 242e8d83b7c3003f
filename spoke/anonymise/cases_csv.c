/*
 * The libcsv wrapper; see cases_csv.h.  Options: CSV_STRICT (a quote in an
 * unquoted field, or text after a closing quote, is an error, as RFC 4180
 * has it) and CSV_STRICT_FINI (a quoted field still open at the end is an
 * error).  libcsv grows its field buffer with our realloc, which refuses
 * past SPOKE_CSV_FIELD_MAX so an unclosed quote cannot eat memory.
 *
 * Finding lines (spoke_csv_lines): the text is fed to libcsv one physical
 * line at a time (memchr finds the line ends), so every callback made
 * while feeding line N belongs to line N; a record's first line is the
 * line its first field ended on, less the newlines inside that field.
 */
#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cases_csv.h"

#define OPTIONS (CSV_STRICT | CSV_STRICT_FINI)

static const char bom[3] = {'\xEF', '\xBB', '\xBF'};

static void *
bounded_realloc(void *p, size_t n)
{
	if (n > SPOKE_CSV_FIELD_MAX + 1)
		return (NULL);
	return (realloc(p, n));
}

static ibx_err
start(struct csv_parser *p, char **buf)
{
	if (csv_init(p, OPTIONS) != 0)
		return (IBX_ENOMEM);
	csv_set_realloc_func(p, bounded_realloc);
	if ((*buf = malloc(SPOKE_CSV_CHUNK)) == NULL) {
		csv_free(p);
		return (IBX_ENOMEM);
	}
	return (IBX_OK);
}

/* The bytes of a chunk to parse: a byte order mark at the very start of
 * the file is not text.  fread fills the buffer unless the file ends, so
 * the mark is never split. */
static size_t
skip_bom(const char *buf, size_t n, bool *first)
{
	size_t skip = *first && n >= 3 && memcmp(buf, bom, 3) == 0 ? 3 : 0;

	*first = false;
	return (skip);
}

/* Turn a libcsv failure into an ibx_err and a reason. */
static ibx_err
failure(struct csv_parser *p, bool at_end, spoke_csv_error *err)
{
	int e = csv_error(p);

	if (e == CSV_EPARSE) {
		snprintf(err->reason, sizeof(err->reason), "%s",
			 at_end ? "malformed CSV (RFC 4180): a quoted field "
				  "is still open at the end of the file"
				: "malformed CSV (RFC 4180): a quote inside "
				  "an unquoted field, or text after a closing "
				  "quote");
		return (IBX_EINVAL);
	}
	if (e == CSV_ENOMEM &&
	    csv_get_buffer_size(p) + 2 * 128 >= SPOKE_CSV_FIELD_MAX) {
		snprintf(err->reason, sizeof(err->reason),
			 "a field longer than %d bytes (a quote not closed?)",
			 SPOKE_CSV_FIELD_MAX);
		return (IBX_ETOOBIG);
	}
	snprintf(err->reason, sizeof(err->reason), "libcsv: %s",
		 csv_strerror(e));
	return (e == CSV_ENOMEM ? IBX_ENOMEM : IBX_EINVAL);
}

static bool
stopped(const spoke_csv_sink *sink)
{
	return (sink->stop != NULL && *sink->stop);
}

ibx_err
spoke_csv_read(FILE *f, const spoke_csv_sink *sink, spoke_csv_error *err)
{
	struct csv_parser p;
	uint64_t bytes = 0;
	char *buf = NULL;
	size_t n, skip;
	bool first = true;
	ibx_err rv;

	memset(err, 0, sizeof(*err));
	if ((rv = start(&p, &buf)) != IBX_OK)
		return (rv);
	while (!stopped(sink) && (n = fread(buf, 1, SPOKE_CSV_CHUNK, f)) > 0) {
		bytes += n;
		skip = skip_bom(buf, n, &first);
		if (csv_parse(&p, buf + skip, n - skip, sink->field,
			      sink->record, sink->arg) != n - skip) {
			rv = failure(&p, false, err);
			goto out;
		}
		if (sink->progress != NULL)
			sink->progress(sink->arg, bytes);
	}
	if (ferror(f)) {
		snprintf(err->reason, sizeof(err->reason), "cannot read: %s",
			 strerror(errno));
		rv = IBX_EIO;
		goto out;
	}
	if (!stopped(sink) &&
	    csv_fini(&p, sink->field, sink->record, sink->arg) != 0)
		rv = failure(&p, true, err);
out:
	csv_free(&p);
	free(buf);
	return (rv);
}

/* The state of spoke_csv_lines. */
struct lines {
	const uint64_t *records;
	uint64_t *lines;
	size_t n, next;	 /* records[next] is the next one to find */
	uint64_t line;	 /* the line being fed, from 1 */
	uint64_t record; /* ordinal of the current record */
	bool in_record;	 /* a field of it was seen */
};

static void
line_field(void *s, size_t len, void *arg)
{
	struct lines *l = arg;
	const char *p = s, *end = p + len;
	uint64_t line = l->line;

	if (l->in_record)
		return;
	l->in_record = true;
	while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		line--;
		p++;
	}
	while (l->next < l->n && l->records[l->next] == l->record)
		l->lines[l->next++] = line;
}

static void
line_record(int c, void *arg)
{
	struct lines *l = arg;

	(void)c;
	l->in_record = false;
	l->record++;
}

ibx_err
spoke_csv_lines(FILE *f, const uint64_t *records, size_t n, uint64_t *lines,
		uint64_t *error_line)
{
	struct csv_parser p;
	struct lines l;
	const char *at, *end, *nl;
	char *buf = NULL;
	size_t got, seg;
	bool first = true, ended_line = false, early = false;
	ibx_err rv;

	if (n > 0)
		memset(lines, 0, n * sizeof(*lines));
	if (error_line != NULL)
		*error_line = 0;
	if (fseek(f, 0, SEEK_SET) != 0)
		return (IBX_EIO);
	clearerr(f);
	memset(&l, 0, sizeof(l));
	l.records = records;
	l.lines = lines;
	l.n = n;
	l.line = 1;
	if ((rv = start(&p, &buf)) != IBX_OK)
		return (rv);
	while ((got = fread(buf, 1, SPOKE_CSV_CHUNK, f)) > 0) {
		at = buf + skip_bom(buf, got, &first);
		end = buf + got;
		while (at < end) {
			nl = memchr(at, '\n', (size_t)(end - at));
			seg = (size_t)((nl != NULL ? nl + 1 : end) - at);
			if (csv_parse(&p, at, seg, line_field, line_record,
				      &l) != seg) {
				if (error_line != NULL)
					*error_line = l.line;
				goto out;
			}
			at += seg;
			if ((ended_line = nl != NULL))
				l.line++;
		}
		if (l.next == n && error_line == NULL) {
			early = true;
			break;
		}
	}
	if (ferror(f)) {
		rv = IBX_EIO;
		goto out;
	}
	if (early)
		goto out;
	/* After a final line end there is no line l.line: what csv_fini
	 * finds (an open quoted field) is on the line before. */
	if (ended_line)
		l.line--;
	if (csv_fini(&p, line_field, line_record, &l) != 0 &&
	    error_line != NULL)
		*error_line = l.line;
out:
	csv_free(&p);
	free(buf);
	return (rv);
}
