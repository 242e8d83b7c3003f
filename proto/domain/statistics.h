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
	char purpose[24];	   /* IBX_LIST_PURPOSE */
	char icd10[4];		   /* chapter "2" or category "C16" */
	char age_band[8];	   /* IBX_LIST_AGE_BAND */
	char sex[8];		   /* IBX_LIST_SEX */
	char referral_channel[12]; /* IBX_LIST_REFERRAL_CHANNEL */
	char referral_org[11];	   /* the coordinator's code, else "" */
	char remote_second_opinion_first[4]; /* IBX_ANSWER_YES or _NO */
	char medical_stay_visa[8];	     /* IBX_LIST_ANSWER */
	int64_t patients;		     /* distinct patients */
	int64_t episodes;
	int64_t inpatient_episodes; /* episodes with an inpatient stay */
	int64_t outpatient_visits;
	int64_t inpatient_days; /* days */
	int64_t charge_jpy;	/* total charge, JPY */
	/* The same sums with each patient's contribution to the cell first
	 * clipped at IBX_STAT_*_PER_PATIENT_CELL (what the release measures,
	 * docs/disclosure-control.md section 2): at most the exact sum, at
	 * most the bound x patients, at least min(exact sum, bound). */
	int64_t outpatient_visits_clipped;
	int64_t inpatient_days_clipped;
	int64_t charge_jpy_clipped; /* JPY */
} ibx_stat_cell;

/* One submission: the cells of one (hospital, period). */
typedef struct ibx_case_statistics {
	char organisation_code[11];
	char period[8];	     /* reporting period YYYY-MM */
	bool nil_report;     /* no foreign patients in the period */
	char icd10_level[9]; /* "chapter" (default) or "category" */
	/* The contribution caps the cells were built with (0: none stated):
	 * cells one patient falls in within the hospital's month, and within
	 * its calendar year (IBX_STAT_CELLS_PER_PATIENT_*). */
	uint32_t cells_per_patient_month;
	uint32_t cells_per_patient_year;
	ibx_stat_cell *cells;
	size_t n_cells;
} ibx_case_statistics;

/* Most cells one submission may carry. */
#define IBX_STATISTICS_MAX_CELLS 20000

/*
 * Upper bounds on the measures, per cell and on their sum over one
 * submission (one hospital, one month); the spoke checks them before it
 * sends and the hub on receipt (issue 14, finding 3: an unbounded
 * charge_jpy let one hospital overflow its roll-up shard).  Each bound is
 * far above what one hospital can do in a month, so no real submission
 * meets it:
 *
 *  - patients, episodes: 1,000,000.  Japan's largest hospital has about
 *    1,400 beds and sees about 4,000 outpatients a day (Fujita Health
 *    University Hospital; MHLW hospital reports), some 130,000 patient
 *    contacts a month; all inbound medical-stay visas issued in a year are
 *    a few thousand (MOFA visa statistics).
 *  - outpatient_visits: 10,000,000, a hospital's outpatient visits in a
 *    month seventy times over.
 *  - inpatient_days: 10,000,000.  The spoke attributes a stay's days (at
 *    most 36,600, cases_row.h) to the episode's month; 10 million days is
 *    27,000 bed-years, twenty times the largest hospital's beds for a year.
 *  - charge_jpy: 10^13 JPY (10 trillion yen).  Japan's whole national
 *    medical expenditure is about 4.5 x 10^13 JPY a year (MHLW, national
 *    medical care expenditure FY2021: 45.0 trillion yen); the spoke caps
 *    one episode at 10^11 JPY (cases_row.h).
 *
 * With IBX_STATISTICS_MAX_CELLS cells the sums of a submission stay below
 * 2^63 whatever the cells hold (20,000 x 10^13 = 2 x 10^17), so they are
 * computed in int64_t without overflow.  The hub's roll-ups add many
 * submissions and are numeric
 * (deploy/sql/migrations/025_statistics_bounds.sql).
 */
#define IBX_STAT_PATIENTS_MAX	    1000000LL
#define IBX_STAT_EPISODES_MAX	    1000000LL
#define IBX_STAT_VISITS_MAX	    10000000LL
#define IBX_STAT_INPATIENT_DAYS_MAX 10000000LL
#define IBX_STAT_CHARGE_JPY_MAX	    10000000000000LL

/*
 * The contribution caps of the protected release (issue 13,
 * docs/disclosure-control.md section 2), one source for the spoke that
 * keeps them and the hub whose budget rests on them.  The unit of
 * privacy is a patient as the hospital counts patients (patient_ref):
 *
 *  - CELLS_PER_PATIENT_MONTH: cells of the hospital's month one patient
 *    falls in;
 *  - CELLS_PER_PATIENT_YEAR: cells of the hospital's calendar year, its
 *    months together (the yearly measurement's L2 sensitivity is this);
 *  - EPISODES_PER_PATIENT_CELL: episodes of one patient counted in one
 *    cell (the release's per-patient bound on episodes), so a cell holds
 *    at most this many episodes per patient and the hub can check it.
 *
 * The spoke drops what a patient contributes beyond them, first come
 * first kept (spoke/anonymise/cases_cap.h); a submission with cells states
 * the first two caps, and the hub refuses one that states none or more
 * than these.
 */
#define IBX_STAT_CELLS_PER_PATIENT_MONTH   2u
#define IBX_STAT_CELLS_PER_PATIENT_YEAR	   2u
#define IBX_STAT_EPISODES_PER_PATIENT_CELL 2

/*
 * What one patient may add to one cell's sums in the release
 * (docs/disclosure-control.md section 2): the spoke clips each patient's
 * visits, inpatient days and charge in a cell (their episodes there
 * together) at these bounds and sends the clipped sums beside the exact
 * ones (outpatient_visits_clipped, ...); the release measures only the
 * clipped sums, so one patient moves a cell's measured sum by at most the
 * bound whatever the other patients of the cell hold.  16 visits and 31
 * days: a month's daily visits and stay; 3,000,000 JPY: above the listed
 * price of most single treatments (the hub measures charges in units of
 * 10,000 JPY, so 300 units).
 */
#define IBX_STAT_VISITS_PER_PATIENT_CELL     16
#define IBX_STAT_DAYS_PER_PATIENT_CELL	     31
#define IBX_STAT_CHARGE_JPY_PER_PATIENT_CELL 3000000LL

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
 * inpatient episodes; with cells, the caps stated
 * (cells_per_patient_month, _year from 1 to IBX_STAT_CELLS_PER_PATIENT_*)
 * and episodes at most IBX_STAT_EPISODES_PER_PATIENT_CELL x patients;
 * each clipped sum (outpatient_visits_clipped, inpatient_days_clipped,
 * charge_jpy_clipped) at most its exact sum and at most the bound
 * (IBX_STAT_*_PER_PATIENT_CELL) x patients, and at least the smaller of
 * the exact sum and the bound (so a clipped sum left out, 0 beside a
 * positive exact sum, is refused: "missing or ..."); each
 * measure at most its IBX_STAT_*_MAX, and so is its sum over the submission's
 * cells (reported on the field "cells", "sum of charge_jpy ..."); no two cells
 * with the same keys.  Returns IBX_OK or IBX_EINVAL. */
ibx_err ibx_statistics_check(const ibx_case_statistics *s,
			     const char *now_period, ibx_problems *problems);

/* ibx_stat_cell_same_keys: true when a and b have equal disaggregation
 * keys. */
bool ibx_stat_cell_same_keys(const ibx_stat_cell *a, const ibx_stat_cell *b);

/* ibx_stat_vocabulary: the fixed list of values of a cell key, for tables
 * whose rows must not depend on the data (hub/stats/release.c): "purpose",
 * "age_band", "sex", "referral_channel", "medical_stay_visa" (the lists
 * this module checks cells against) or "nationality" (ISO 3166-1 alpha-2,
 * codes.h).  Sets *n; NULL for another key.  Static arrays. */
const char *const *ibx_stat_vocabulary(const char *key, size_t *n);

#endif /* IBX_STATISTICS_H */
