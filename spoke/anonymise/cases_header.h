/*
 * Matching a case-record file's header line to our columns through the
 * column map: which field of each record holds which column, and which
 * columns the file has.  Fields the format does not name (a hospital's
 * export often carries names, addresses, notes) are never parsed.
 */
#ifndef SPOKE_CASES_HEADER_H
#define SPOKE_CASES_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cases_columns.h"
#include "cases_map.h"
#include "cases_report.h"
#include "err.h"

/* Most fields a header may have. */
#define SPOKE_HEADER_FIELDS_MAX 1024

typedef struct spoke_cases_header {
	int8_t col[SPOKE_HEADER_FIELDS_MAX]; /* field i holds column col[i],
						or -1: not ours */
	size_t nfields;			     /* fields of the header line */
	bool has[SPOKE_COL_COUNT];	     /* the file has column c */
} spoke_cases_header;

/* spoke_cases_header_bind: match the nfields header names (NUL-terminated,
 * as read, surrounding spaces already dropped) to our columns: a column
 * the map names is the field whose name equals the map's header exactly;
 * any other column is the field named like it, ASCII case ignored.  Every
 * problem goes to problems as "header: ..." (a required column missing,
 * neither birth_date nor age, a mapped header absent, a column found
 * twice, too many fields, a name that is not UTF-8); returns IBX_EINVAL
 * when there was any, else IBX_OK and *h. */
ibx_err spoke_cases_header_bind(const char *const *names, size_t nfields,
				const spoke_cases_map *map,
				spoke_cases_header *h, spoke_msgs *problems);

#endif /* SPOKE_CASES_HEADER_H */
