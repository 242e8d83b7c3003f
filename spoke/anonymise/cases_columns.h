/*
 * The columns of the case-record CSV export (docs/case-records.md): their
 * names, which the header must have, and the vocabularies of the coded
 * columns.  Only names and codes live here; reading values is
 * cases_row.c's job, matching a file's header is cases_header.c's.
 */
#ifndef SPOKE_CASES_COLUMNS_H
#define SPOKE_CASES_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>

#include "codes.h"

/* Our columns, in the order of docs/case-records.md. */
typedef enum spoke_case_col {
	SPOKE_COL_PATIENT_REF = 0,
	SPOKE_COL_NATIONALITY,
	SPOKE_COL_BIRTH_DATE,
	SPOKE_COL_AGE,
	SPOKE_COL_SEX,
	SPOKE_COL_PURPOSE,
	SPOKE_COL_ICD10,
	SPOKE_COL_FIRST_VISIT,
	SPOKE_COL_DISCHARGE,
	SPOKE_COL_OUTPATIENT_VISITS,
	SPOKE_COL_INPATIENT_DAYS,
	SPOKE_COL_CHARGE_JPY,
	SPOKE_COL_REFERRAL_CHANNEL,
	SPOKE_COL_REFERRAL_ORG,
	SPOKE_COL_REMOTE_SECOND_OPINION_FIRST,
	SPOKE_COL_MEDICAL_STAY_VISA,
	SPOKE_COL_REFERRAL_ID, /* optional: the referral channel's id */
	SPOKE_COL_COUNT
} spoke_case_col;

/* The columns every file must have and every row must fill (a bit per
 * column). */
#define SPOKE_COL_REQUIRED                                                    \
	(1u << SPOKE_COL_PATIENT_REF | 1u << SPOKE_COL_NATIONALITY |          \
	 1u << SPOKE_COL_SEX | 1u << SPOKE_COL_PURPOSE |                      \
	 1u << SPOKE_COL_ICD10 | 1u << SPOKE_COL_FIRST_VISIT |                \
	 1u << SPOKE_COL_OUTPATIENT_VISITS | 1u << SPOKE_COL_INPATIENT_DAYS | \
	 1u << SPOKE_COL_CHARGE_JPY | 1u << SPOKE_COL_REFERRAL_CHANNEL |      \
	 1u << SPOKE_COL_REMOTE_SECOND_OPINION_FIRST)

/* Coded values: the index of the word in its code list (deploy/data,
 * proto/domain/codes.h), which is also the order cells are printed in. */
#define SPOKE_SEX_MALE		       IBX_SEX_MALE
#define SPOKE_SEX_FEMALE	       IBX_SEX_FEMALE
#define SPOKE_SEX_UNKNOWN	       IBX_SEX_UNKNOWN
#define SPOKE_SEX_COUNT		       IBX_SEX_COUNT
#define SPOKE_PURPOSE_TREATMENT	       IBX_PURPOSE_TREATMENT
#define SPOKE_PURPOSE_HEALTH_CHECKUP   IBX_PURPOSE_HEALTH_CHECKUP
#define SPOKE_PURPOSE_SECOND_OPINION   IBX_PURPOSE_SECOND_OPINION
#define SPOKE_PURPOSE_FOLLOW_UP	       IBX_PURPOSE_FOLLOW_UP
#define SPOKE_PURPOSE_TRAVEL_EMERGENCY IBX_PURPOSE_TRAVEL_EMERGENCY
#define SPOKE_PURPOSE_OTHER	       IBX_PURPOSE_OTHER
#define SPOKE_PURPOSE_COUNT	       IBX_PURPOSE_COUNT
#define SPOKE_CHANNEL_COORDINATOR      IBX_CHANNEL_COORDINATOR
#define SPOKE_CHANNEL_HOSPITAL	       IBX_CHANNEL_HOSPITAL
#define SPOKE_CHANNEL_DOCTOR	       IBX_CHANNEL_DOCTOR
#define SPOKE_CHANNEL_DIRECT	       IBX_CHANNEL_DIRECT
#define SPOKE_CHANNEL_COUNT	       IBX_CHANNEL_COUNT
#define SPOKE_YES		       IBX_ANSWER_YES
#define SPOKE_NO		       IBX_ANSWER_NO
#define SPOKE_UNKNOWN		       IBX_ANSWER_UNKNOWN
#define SPOKE_YNU_COUNT		       IBX_ANSWER_COUNT

/* Age bands: 0-9 .. 80-89 are bands 0..8, 90+ is 9, unknown is 10
 * (cases_date.c computes the band from the age). */
#define SPOKE_AGE_BAND_90_PLUS IBX_AGE_BAND_90_PLUS
#define SPOKE_AGE_BAND_UNKNOWN IBX_AGE_BAND_UNKNOWN
#define SPOKE_AGE_BAND_COUNT   IBX_AGE_BAND_COUNT

/* The oldest age accepted, years (anything older is an export error). */
#define SPOKE_AGE_MAX 120

/* spoke_case_col_name: our name of column c ("birth_date"); static. */
const char *spoke_case_col_name(spoke_case_col c);

/* spoke_case_col_by_name: the column named name (ASCII case ignored), or
 * SPOKE_COL_COUNT when there is none. */
spoke_case_col spoke_case_col_by_name(const char *name);

/* spoke_case_col_required: true when the header must have column c.
 * birth_date and age are each optional, but one of them is required
 * (cases_header.c checks that). */
bool spoke_case_col_required(spoke_case_col c);

/* The wire words of the coded values (statistics.h vocabularies); each
 * returns a static string for a value in range. */
const char *spoke_sex_name(int sex);
const char *spoke_purpose_name(int purpose);
const char *spoke_channel_name(int channel);
const char *spoke_ynu_name(int v);
const char *spoke_age_band_name(int band);

#endif /* SPOKE_CASES_COLUMNS_H */
