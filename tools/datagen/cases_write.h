/*
 * cases_write.h - writing generated episodes as a hospital's case-record
 * export (docs/case-records.md): the header line and one CSV row per
 * episode, in one of the shapes real exports take (drawn per hospital: a
 * UTF-8 byte order mark or not, CRLF or LF, alpha-2 or alpha-3
 * nationality, birth date or age, sex as words or M/F, an extra free-text
 * note column the spoke ignores, with quotes and line breaks). Also the
 * bad rows, one kind of refused value each, for tests.
 */
#ifndef DG_CASES_WRITE_H
#define DG_CASES_WRITE_H

#include <stdio.h>

#include "cases_model.h"
#include "prng.h"

typedef struct dg_case_format {
	int bom, crlf, alpha3, age_column, sex_letters, note_column;
} dg_case_format;

/* The kinds of bad row, each refused by inbound-spoke with one message. */
typedef enum dg_bad_kind {
	DG_BAD_FIELD_COUNT = 0,	   /* a field missing */
	DG_BAD_PATIENT_REF,	   /* empty patient_ref */
	DG_BAD_NATIONALITY,	   /* "ZZ" */
	DG_BAD_BIRTH,		   /* "2023-02-29", or age "abc" */
	DG_BAD_BIRTH_AFTER,	   /* born after the first visit, or age 130 */
	DG_BAD_SEX,		   /* "x" */
	DG_BAD_PURPOSE,		   /* "surgery" */
	DG_BAD_ICD10_FORM,	   /* "C1" */
	DG_BAD_ICD10_UNKNOWN,	   /* "U99.9" */
	DG_BAD_FIRST_VISIT,	   /* "2024-13-01" */
	DG_BAD_DISCHARGE_BEFORE,   /* discharge before the first visit */
	DG_BAD_OUTPATIENT_VISITS,  /* "-1" */
	DG_BAD_INPATIENT_DAYS,	   /* more days than the stay */
	DG_BAD_CHARGE,		   /* "1,500,000" */
	DG_BAD_CHANNEL,		   /* "agent" */
	DG_BAD_COORDINATOR_NO_ORG, /* coordinator without a code */
	DG_BAD_ORG_FORM,	   /* coordinator code "12345" */
	DG_BAD_REMOTE_SECOND,	   /* "maybe" */
	DG_BAD_VISA,		   /* "perhaps" */
	DG_BAD_KINDS
} dg_bad_kind;

/* dg_case_format_draw draws a hospital's export shape from r. */
void dg_case_format_draw(dg_case_format *f, dg_rng *r);

/* dg_case_write_header writes the byte order mark (when the shape has
 * one) and the header line. Returns 0, or -1 on a write error. */
int dg_case_write_header(FILE *out, const dg_case_format *f);

/*
 * dg_case_write_row writes episode e as one row; bad is a dg_bad_kind to
 * spoil the row with, or -1 for a good row. Returns 0, or -1 on a write
 * error.
 */
int dg_case_write_row(FILE *out, const dg_case_format *f, const dg_case *e,
		      int bad);

#endif /* DG_CASES_WRITE_H */
