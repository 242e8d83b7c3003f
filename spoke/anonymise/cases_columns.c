/*
 * Column names and value words of the case-record format; see
 * cases_columns.h.  The words are the ones statistics.h checks, so a cell
 * built from them passes ibx_statistics_check.
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
};

static const char *const sexes[SPOKE_SEX_COUNT] = {"male", "female",
						   "unknown"};
static const char *const purposes[SPOKE_PURPOSE_COUNT] = {
    "treatment", "health_checkup", "second_opinion",
    "follow_up", "other",	   "travel_emergency"};
static const char *const channels[SPOKE_CHANNEL_COUNT] = {
    "coordinator", "hospital", "doctor", "direct"};
static const char *const ynu[SPOKE_YNU_COUNT] = {"yes", "no", "unknown"};
static const char *const age_bands[SPOKE_AGE_BAND_COUNT] = {
    "0-9",   "10-19", "20-29", "30-39", "40-49",  "50-59",
    "60-69", "70-79", "80-89", "90+",	"unknown"};

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
	return ((unsigned)v < SPOKE_SEX_COUNT ? sexes[v] : "?");
}

const char *
spoke_purpose_name(int v)
{
	return ((unsigned)v < SPOKE_PURPOSE_COUNT ? purposes[v] : "?");
}

const char *
spoke_channel_name(int v)
{
	return ((unsigned)v < SPOKE_CHANNEL_COUNT ? channels[v] : "?");
}

const char *
spoke_ynu_name(int v)
{
	return ((unsigned)v < SPOKE_YNU_COUNT ? ynu[v] : "?");
}

const char *
spoke_age_band_name(int v)
{
	return ((unsigned)v < SPOKE_AGE_BAND_COUNT ? age_bands[v] : "?");
}
