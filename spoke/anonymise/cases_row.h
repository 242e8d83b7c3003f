/*
 * One case record (one patient episode) as the anonymiser reads it: each
 * field is parsed the moment the CSV reader hands it over, into a fixed
 * struct (no allocation per row or field), and checked; spoke_case_row_
 * finish applies the rules between fields.  A refused value is recorded as
 * a problem naming the column and the reason; the row is bad when it has
 * any.  Values are the hospital's; this module decides nothing about what
 * leaves the hospital (cases_agg.c does).
 */
#ifndef SPOKE_CASES_ROW_H
#define SPOKE_CASES_ROW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cases_columns.h"
#include "cases_date.h"
#include "cases_referrals.h"

#define SPOKE_CASE_REF_MAX  128 /* bytes of a patient reference */
#define SPOKE_CASE_ROW_TEXT 1024
#define SPOKE_VISITS_MAX    10000
#define SPOKE_DAYS_MAX	    36600	   /* inpatient days, 100 years */
#define SPOKE_CHARGE_MAX    100000000000LL /* JPY per episode */

typedef struct spoke_case_row {
	uint32_t seen; /* bit c: column c held a value (not empty) */
	uint32_t bad;  /* bit c: column c's value was refused */

	/* Values, meaningful where seen and not bad. */
	char ref[SPOKE_CASE_REF_MAX]; /* patient reference, not NUL-ended */
	size_t ref_len;
	char nationality[3]; /* ISO 3166-1 alpha-2 */
	spoke_date birth, first_visit, discharge;
	int age; /* years, from the age column */
	uint8_t sex, purpose, channel, remote_second_opinion_first, visa;
	char icd10_category[4]; /* "C16" */
	int icd10_chapter;	/* 1..22 */
	int32_t outpatient_visits, inpatient_days;
	int64_t charge_jpy;
	uint64_t referral_org; /* the 10 digits as a number */
	char org_text[24];     /* the start of referral_org as written */
	size_t org_text_len;
	/* The referral channel's id (32 lowercase hex, not NUL-ended),
	 * where the referral_id column held one. */
	char referral_id[SPOKE_REFERRAL_ID_LEN];

	/* Set by spoke_case_row_finish. */
	int age_band; /* 0..9, or SPOKE_AGE_BAND_UNKNOWN */

	/* Problems: counted always, described only when describe is set
	 * (the report lists only the first bad rows). */
	unsigned nproblems;
	bool describe;
	size_t text_len;
	char text[SPOKE_CASE_ROW_TEXT]; /* 'column "x": reason; ...' */
	/* The same problems, in the same order, by reason code for pages
	 * in other languages: each "column US code US value US arg0 US
	 * ...", separated by RS (0x1f and 0x1e; column and value may be
	 * empty, value quoted as in text). */
	size_t codes_len;
	char codes[SPOKE_CASE_ROW_TEXT];
} spoke_case_row;

/* spoke_case_row_reset: forget the previous row.  describe: format the
 * text of this row's problems. */
void spoke_case_row_reset(spoke_case_row *r, bool describe);

/* spoke_case_row_field: parse and check len bytes of s (no NUL needed;
 * the CSV reader's buffer, read only during the call) as column c.  An
 * empty value only leaves c unseen; whether that is allowed is decided by
 * spoke_case_row_finish. */
void spoke_case_row_field(spoke_case_row *r, spoke_case_col c, const char *s,
			  size_t len);

/* A parser of one column's value: len > 0 bytes at s, as
 * spoke_case_row_field. */
typedef void (*spoke_case_parser)(spoke_case_row *r, const char *s,
				  size_t len);

/* spoke_case_row_parser: the parser of column c, for callers that look it
 * up once per file rather than once per field; NULL for no column.  It
 * must not be given an empty value. */
spoke_case_parser spoke_case_row_parser(spoke_case_col c);

/* spoke_case_row_finish: the rules between fields, once every field of
 * the row has been given.  has_column[c] tells which columns the file has
 * (a required column is known to be there; see cases_header.h).  Fills
 * age_band and the defaults of optional values (medical_stay_visa
 * "unknown"; referral_org dropped unless the channel is coordinator). */
void spoke_case_row_finish(spoke_case_row *r,
			   const bool has_column[SPOKE_COL_COUNT]);

/* spoke_case_row_referral: the rule of the referral_id column, once the
 * row is otherwise good and has one: the id must be a referral this
 * organisation sent or received, as its referral ledger l says (NULL: the
 * run reads none, and the id cannot be checked); otherwise the row gets a
 * problem naming the column.  Returns true when the row is to be left out
 * of this organisation's figures: a referral it sent whose receiving
 * hospital reported it visited, a visit that hospital's own statistics
 * count (docs/case-records.md, "Referral ids"). */
bool spoke_case_row_referral(spoke_case_row *r,
			     const spoke_referral_ledger *l);

/* spoke_case_row_problem: record a problem of the row as a whole (no
 * column), printf-style, such as a wrong number of fields; code is the
 * reason's stable code ("row_fields", spoke/web/page/i18n.js). */
void spoke_case_row_problem(spoke_case_row *r, const char *code,
			    const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* spoke_case_row_ok: true when no problem was recorded. */
static inline bool
spoke_case_row_ok(const spoke_case_row *r)
{
	return (r->nproblems == 0);
}

#endif /* SPOKE_CASES_ROW_H */
