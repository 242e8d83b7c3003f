/*
 * Reference series from outside the exchange, imported by the ministry
 * from CSV (medical stay visas issued by year and nationality, say), and
 * growth arithmetic over series: year-over-year change and the compound
 * annual growth rate.  The only hub module that includes libcsv.
 */
#ifndef HUB_SERIES_H
#define HUB_SERIES_H

#include <stddef.h>

#include "db.h"
#include "err.h"

/* Column names of an import (NULL for no nationality column). */
typedef struct hub_series_columns {
	const char *period;	 /* YYYY or YYYY-MM */
	const char *nationality; /* ISO 3166-1 alpha-2, empty for all */
	const char *value;	 /* a number >= 0 */
} hub_series_columns;

/* hub_series_import: read CSV file path (RFC 4180, UTF-8 with or without
 * BOM, a header row) and replace series name with its rows, in one
 * transaction.  On IBX_OK *rows is the number of points stored.
 * IBX_EINVAL with the line, column and reason in err (n bytes) for the
 * first bad row; nothing is stored then. */
ibx_err hub_series_import(ibx_db *db, const char *name, const char *path,
			  const hub_series_columns *cols, size_t *rows,
			  char *err, size_t n);

/* hub_growth_cagr: the compound annual growth rate, in percent, from value
 * a to value b over years years: ((b / a)^(1 / years) - 1) * 100.  Returns
 * 0 and sets *ok to 0 when it is undefined (a <= 0, b < 0, years <= 0).
 * Source: the usual definition, e.g. OECD Glossary of Statistical Terms. */
double hub_growth_cagr(double a, double b, double years, int *ok);

#endif /* HUB_SERIES_H */
