/*
 * Anonymised case statistics as the domain sees them: one submission is a
 * hospital's cells for one reporting period (YYYY-MM), or an explicit nil
 * report.  A cell holds counts and sums for one combination of the
 * disaggregation keys; no cell names a patient (docs/case-records.md).
 * This module owns the structs and the rules both sides check: the spoke
 * before sending, the hub on receipt.
 */
#ifndef IBX_STATISTICS_H
#define IBX_STATISTICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "problems.h"

/* The disaggregation keys and the measures of one cell. */
typedef struct ibx_stat_cell {
	char nationality[3];	   /* ISO 3166-1 alpha-2, "CN" */
	char purpose[20];	   /* treatment, health_checkup,
				      second_opinion, follow_up, other,
				      travel_emergency */
	char icd10[4];		   /* chapter "2" or category "C16" */
	char age_band[8];	   /* "0-9" .. "80-89", "90+", "unknown" */
	char sex[8];		   /* male, female, unknown */
	char referral_channel[12]; /* coordinator, hospital, doctor, direct */
	char referral_org[11];	   /* the coordinator's code, else "" */
	char remote_second_opinion_first[4]; /* yes, no */
	char medical_stay_visa[8];	     /* yes, no, unknown */
	int64_t patients;		     /* distinct patients */
	int64_t episodes;
	int64_t inpatient_episodes; /* episodes with an inpatient stay */
	int64_t outpatient_visits;
	int64_t inpatient_days; /* days */
	int64_t charge_jpy;	/* total charge, JPY */
} ibx_stat_cell;

/* One submission: the cells of one (hospital, period). */
typedef struct ibx_case_statistics {
	char organisation_code[11];
	char period[8];	     /* reporting period YYYY-MM */
	bool nil_report;     /* no foreign patients in the period */
	char icd10_level[9]; /* "chapter" (default) or "category" */
	ibx_stat_cell *cells;
	size_t n_cells;
} ibx_case_statistics;

/* Most cells one submission may carry. */
#define IBX_STATISTICS_MAX_CELLS 20000

/* ibx_statistics_new: an empty submission (icd10_level "chapter").  Free
 * with ibx_statistics_free (NULL is fine). */
ibx_case_statistics *ibx_statistics_new(void);
void ibx_statistics_free(ibx_case_statistics *s);

/* ibx_statistics_add_cell: append a copy of c.  IBX_ENOMEM, or IBX_ETOOBIG
 * past IBX_STATISTICS_MAX_CELLS. */
ibx_err ibx_statistics_add_cell(ibx_case_statistics *s,
				const ibx_stat_cell *c);

/* ibx_period_valid: true for YYYY-MM with month 01..12 and year from 2000.
 * ibx_period_index: months since year 0 (2024-03 -> 2024*12+2), for
 * comparing periods. */
bool ibx_period_valid(const char *period);
int ibx_period_index(const char *period);

/* ibx_statistics_check: every rule a submission must keep, each broken one
 * added to problems naming the cell ("cells[3].inpatient_days") and the
 * reason.  now_period is the current reporting period (YYYY-MM): a later
 * period is refused.  Rules: organisation code of 10 digits; a valid period
 * not in the future; a nil report has no cells and a report with no cells
 * must say nil; known codes (ISO 3166-1 nationality, ICD-10 chapter 1-22 or
 * a known 3-character category per icd10_level, and the vocabularies
 * above); a referral_org only with the coordinator channel and then 10
 * digits; counts and sums not negative; patients >= 1 and patients <=
 * episodes; inpatient_episodes <= episodes; inpatient days only with
 * inpatient episodes; no two cells with the same keys.  Returns IBX_OK or
 * IBX_EINVAL. */
ibx_err ibx_statistics_check(const ibx_case_statistics *s,
			     const char *now_period, ibx_problems *problems);

/* ibx_stat_cell_same_keys: true when a and b have equal disaggregation
 * keys. */
bool ibx_stat_cell_same_keys(const ibx_stat_cell *a, const ibx_stat_cell *b);

#endif /* IBX_STATISTICS_H */
