/*
 * Showing a statistics submission to the person who runs the spoke: as a
 * table (--format table) or as JSON (--format json, cases_json.c), both on
 * a FILE the caller gives (stdout for --dry-run).  What is printed is the
 * submission itself, field for field: exactly what would be sent.
 */
#ifndef SPOKE_CASES_PRINT_H
#define SPOKE_CASES_PRINT_H

#include <stdio.h>

#include "err.h"
#include "statistics.h"
#include "wire.h"

/* spoke_cases_print_table: one line per cell under a header line, then the
 * totals (patients are distinct per cell, so they are not added up). */
void spoke_cases_print_table(FILE *f, const ibx_case_statistics *s);

/* spoke_cases_print_json: the submission as one JSON object
 * (organisation_code, period, nil_report, icd10_level, cells), indented;
 * an empty organisation code is null.  IBX_ENOMEM or IBX_EIO. */
ibx_err spoke_cases_print_json(FILE *f, const ibx_case_statistics *s);

/* spoke_cases_print_ack: the hub's answer about the statistics of what
 * (the file name, or "nil report"), with the import summary. */
void spoke_cases_print_ack(FILE *f, const char *what,
			   const ibx_case_statistics *s, const ibx_ack *ack);

#endif /* SPOKE_CASES_PRINT_H */
