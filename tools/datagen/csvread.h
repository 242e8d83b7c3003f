/*
 * csvread.h - reading CSV files record by record with libcsv. This module is
 * the only one that includes <csv.h>. It strips a UTF-8 byte order mark,
 * accepts LF, CRLF and mixed line ends and quoted fields with embedded
 * newlines, and skips blank lines. What the columns mean is left to callers.
 */
#ifndef DG_CSVREAD_H
#define DG_CSVREAD_H

#include <stddef.h>

#include "datagen.h"

/* One record as the reader hands it to a callback. */
typedef struct dg_csv_row {
	size_t record;	    /* 0 for the first record (the header line) */
	size_t nfields;	    /* number of fields in this record */
	const char **field; /* NUL-terminated UTF-8; owned by the reader and
			       valid only during the callback */
} dg_csv_row;

/* Callback for each record; anything but DG_OK stops the reading. */
typedef dg_err (*dg_csv_row_fn)(const dg_csv_row *row, void *arg);

/*
 * dg_csv_read reads the CSV file at path (at most 64 MiB) and calls fn for
 * every record, the header line included, in file order. Returns DG_OK, or
 * DG_ERR_IO, DG_ERR_NOMEM, DG_ERR_FORMAT (libcsv refused the text) or the
 * first error fn returned; the failure has been reported with dg_error.
 */
dg_err dg_csv_read(const char *path, dg_csv_row_fn fn, void *arg);

/*
 * dg_csv_column returns the index of the header field equal to name in the
 * header record, or -1 when there is none.
 */
int dg_csv_column(const dg_csv_row *header, const char *name);

/*
 * dg_csv_columns finds each of the n header names in the header record and
 * stores its index through slots[i]. Returns DG_OK, or DG_ERR_FORMAT after
 * reporting 'FILE: missing column "NAME"' for the first name not found.
 */
dg_err dg_csv_columns(const dg_csv_row *header, const char *file,
		      const char *const *names, int *const *slots, size_t n);

/*
 * dg_csv_field returns field col of row, or "" when col is negative or the
 * record is shorter. The pointer lives as long as the row.
 */
const char *dg_csv_field(const dg_csv_row *row, int col);

#endif /* DG_CSVREAD_H */
