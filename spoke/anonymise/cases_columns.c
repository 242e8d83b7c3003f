/*
 * Column names and value words of the case-record format; see
 * cases_columns.h.  The words are the code lists of proto/domain/codes.h,
 * which statistics.h checks, so a cell built from them passes
 * ibx_statistics_check.
 */
#include <strings.h>

#include "cases_columns.h"

static const char *const columns[SPOKE_COL_COUNT] = {
    [SPOKE_COL_PATIENT_REF] = "patient_ref",
    [SPOKE_COL_NATIONALITY] = "nationality",
    [SPOKE_COL_BIRTH_DATE] = "birth_date",
    [SPOKE_COL_AGE] = "age",
    [SPOKE_COL_SEX] = "sex",
    [SPOKE_COL_PURPOSE] = "purpose",
    [SPOKE_COL_ICD10] = "icd10",
    [SPOKE_COL_FIRST_VISIT] = "first_visit",
    [SPOKE_COL_DISCHARGE] = "discharge",
    [SPOKE_COL_OUTPATIENT_VISITS] = "outpatient_visits",
    [SPOKE_COL_INPATIENT_DAYS] = "inpatient_days",
    [SPOKE_COL_CHARGE_JPY] = "charge_jpy",
    [SPOKE_COL_REFERRAL_CHANNEL] = "referral_channel",
    [SPOKE_COL_REFERRAL_ORG] = "referral_org",
    [SPOKE_COL_REMOTE_SECOND_OPINION_FIRST] = "remote_second_opinion_first",
    [SPOKE_COL_MEDICAL_STAY_VISA] = "medical_stay_visa",
    [SPOKE_COL_REFERRAL_ID] = "referral_id",
};

/* The code at index v of list, or "?" (a value never parsed). */
static const char *
code_name(ibx_code_list_id list, int v)
{
	const char *s = ibx_code_at(list, v);

	return (s != NULL ? s : "?");
}

const char *
spoke_case_col_name(spoke_case_col c)
{
	return ((unsigned)c < SPOKE_COL_COUNT ? columns[c] : "?");
}

spoke_case_col
spoke_case_col_by_name(const char *name)
{
	int c;

	for (c = 0; c < SPOKE_COL_COUNT; c++)
		if (strcasecmp(name, columns[c]) == 0)
			return ((spoke_case_col)c);
	return (SPOKE_COL_COUNT);
}

bool
spoke_case_col_required(spoke_case_col c)
{
	return ((unsigned)c < SPOKE_COL_COUNT &&
		(SPOKE_COL_REQUIRED & 1u << c) != 0);
}

const char *
spoke_sex_name(int v)
{
	return (code_name(IBX_LIST_SEX, v));
}

const char *
spoke_purpose_name(int v)
{
	return (code_name(IBX_LIST_PURPOSE, v));
}

const char *
spoke_channel_name(int v)
{
	return (code_name(IBX_LIST_REFERRAL_CHANNEL, v));
}

const char *
spoke_ynu_name(int v)
{
	return (code_name(IBX_LIST_ANSWER, v));
}

const char *
spoke_age_band_name(int v)
{
	return (code_name(IBX_LIST_AGE_BAND, v));
}
