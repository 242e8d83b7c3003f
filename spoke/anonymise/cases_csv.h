/*
 * Streaming a CSV file through libcsv (RFC 4180: quoted fields, doubled
 * quotes, embedded newlines; LF or CRLF line ends; a UTF-8 byte order mark
 * at the start is dropped).  The only module that includes <csv.h>.  The
 * file is read in SPOKE_CSV_CHUNK pieces, never whole, and libcsv hands
 * every field and record end straight to the sink.
 *
 * libcsv reports no line numbers, and tracking them costs a tenth of the
 * parse, so reading does not: a record is known by its ordinal (0 is the
 * header line), and spoke_csv_lines finds the lines of the few records a
 * report names by reading the file again.
 */
#ifndef SPOKE_CASES_CSV_H
#define SPOKE_CASES_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

#define SPOKE_CSV_CHUNK	    (1024 * 1024) /* bytes read at a time */
#define SPOKE_CSV_FIELD_MAX (1024 * 1024) /* longest field, bytes */

/* Where the fields go: libcsv's own callbacks, called with arg. */
typedef struct spoke_csv_sink {
	/* field: the next field of the current record, len bytes at s
	 * (not NUL-terminated; valid only during the call). */
	void (*field)(void *s, size_t len, void *arg);
	/* record: the current record ended (c is its line end, or -1 when
	 * the file ended without one). */
	void (*record)(int c, void *arg);
	/* progress: optional; bytes read so far, after each chunk. */
	void (*progress)(void *arg, uint64_t bytes);
	void *arg;
	/* stop: optional; reading stops after the chunk in which it became
	 * true (the sink ignores what comes in the meantime). */
	const bool *stop;
} spoke_csv_sink;

/* Why reading stopped short (which record, the sink can tell). */
typedef struct spoke_csv_error {
	char reason[256]; /* "malformed CSV (RFC 4180): ..." */
} spoke_csv_error;

/* spoke_csv_read: read f to its end (or until *sink->stop) and give every
 * field and record end to sink.  Returns IBX_OK; IBX_EINVAL for text that
 * is not RFC 4180 CSV (a stray quote, text after a closing quote, a
 * quoted field still open at the end); IBX_ETOOBIG for a field over
 * SPOKE_CSV_FIELD_MAX; IBX_EIO when f cannot be read; IBX_ENOMEM.  On
 * failure *err says why. */
ibx_err spoke_csv_read(FILE *f, const spoke_csv_sink *sink,
		       spoke_csv_error *err);

/* spoke_csv_lines: read f again from its start and find the physical line
 * (from 1) each of n records begins on: records[i] are ordinals in
 * ascending order, lines[i] gets the line, or 0 when the file has no such
 * record.  With error_line, also the line on which libcsv refuses the text
 * (0 when it does not).  Reads no further than it must.  IBX_EIO when f
 * cannot be rewound or read (a pipe); lines are then all 0. */
ibx_err spoke_csv_lines(FILE *f, const uint64_t *records, size_t n,
			uint64_t *lines, uint64_t *error_line);

#endif /* SPOKE_CASES_CSV_H */
