/*
 * The protected statistics release: every closed reporting month is
 * measured once, with discrete Gaussian noise (proto/crypto/dp.h) under a
 * zero-concentrated differential privacy (zCDP) budget, then post-
 * processed into consistent, non-negative integers (deploy/sql/010).
 * Every statistic that leaves the hub, a hospital's own figures apart, is
 * read from these values (stat_table.c); docs/disclosure-control.md states
 * the guarantee and its accounting.
 *
 * The rules, with their sources:
 *  - Closed: a month is closed when it is before the month of "now"
 *    (settings.release_now, or today); an open month is never measured.
 *    Without --until, a run measures the closed months whose reporting
 *    deadline (settings.reporting_deadline_day of the next month) has
 *    passed.  A measured month is final: late or resubmitted cells are
 *    stored for the hospital's own figures but never measured again.
 *  - Unit of privacy: one patient as a hospital counts patients, in one
 *    month.  Each patient falls in at most HUB_RELEASE_CELLS_PER_PATIENT
 *    cells of the hospital's month and HUB_RELEASE_CELLS_PER_PATIENT_YEAR
 *    of its year, with at most 2 episodes a cell: the spoke's anonymiser
 *    keeps the caps and states them, and intake refuses cells that state
 *    none or more (ibx_statistics_check).  Visits, days and charge are
 *    measured from the spoke's sums of each patient's part of a cell
 *    clipped at the per-patient bound (IBX_STAT_*_PER_PATIENT_CELL), so
 *    one patient moves a cell's measured sum by at most the bound.
 *  - Budget: rho = 1/12 per month and 1 for the calendar year's own
 *    measurement (taken once, when its December is measured), so 2 per
 *    calendar year over everything released (Bun and Steinke 2016: zCDP
 *    composes by adding rho; a query of L2 sensitivity D with discrete
 *    Gaussian noise of variance s^2 costs D^2 / (2 s^2), Canonne, Kamath
 *    and Steinke 2020).  Each query gets a fixed share (per mille) of
 *    its period's rho.
 *  - Referrals (issue 15): each month's referrals by purpose and by
 *    nationality, and the conversion of the second opinions referred
 *    COHORT_LAG months before, are measured with the month, inside its
 *    rho (their shares and the workload's add up to 1000).  The unit is a
 *    patient as one referrer refers them; the hub counts at most
 *    REFERRALS_PER_GROUP referrals per referrer, nationality and age band
 *    a month, which bounds what one patient can change.
 *  - The year: its figures are the inverse-variance weighted mean of the
 *    yearly measurement and the sum of its months, made consistent, and
 *    the months' released values are then adjusted (post-processing) so
 *    that they add up to it: a year, quarter or fiscal year stays the sum
 *    of its released months.
 */
#ifndef HUB_RELEASE_H
#define HUB_RELEASE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"
#include "err.h"

/* The month's budget rho = NUM/DEN: 12 months spend 1. */
#define HUB_RELEASE_RHO_NUM 1
#define HUB_RELEASE_RHO_DEN 12

/* The calendar year's own measurement, once its December is measured:
 * rho = YEAR_NUM/YEAR_DEN.  12 months + the year = 2 (the cap of
 * issue 13: at most rho 2 per calendar year over everything released). */
#define HUB_RELEASE_YEAR_RHO_NUM 1
#define HUB_RELEASE_YEAR_RHO_DEN 1
#define HUB_RELEASE_CAP_RHO	 2

/* The budget as the API states it. */
#define HUB_RELEASE_BUDGET_TEXT                                               \
	"rho = 1/12 per month and 1 for the closed calendar year, 2 per "     \
	"calendar year (zCDP), about epsilon 15 at delta 1e-10"

/* Cells one patient may fall in within a hospital's month, and within
 * its calendar year (the cap of the yearly measurement).  The spoke's
 * anonymiser keeps both and states them in each submission; the hub
 * refuses a submission that states none or looser ones
 * (IBX_STAT_CELLS_PER_PATIENT_*, docs/disclosure-control.md section 2). */
#define HUB_RELEASE_CELLS_PER_PATIENT	   2
#define HUB_RELEASE_CELLS_PER_PATIENT_YEAR 2

/* The referral channel's measurement (docs/disclosure-control.md section
 * 12), inside each month's measurement and its rho: of the referrals
 * that share referrer, nationality and age band in one month, the first
 * REFERRALS_PER_GROUP are counted (a patient's referrals by one referrer
 * in a month all fall in one such group); the conversion from second
 * opinion to visit is measured for the referrals sent COHORT_LAG months
 * before the month measured, visits signed by its end. */
#define HUB_RELEASE_REFERRALS_PER_GROUP 3
#define HUB_RELEASE_REFERRAL_COHORT_LAG 3

/* One referral query of the month: measure ("referrals",
 * "opinion_referrals", "opinion_visits") over dim (HUB_REL_D_NATIONALITY,
 * HUB_REL_D_PURPOSE, or -1 for the total), its share (per mille of the
 * month's rho, shared with the workload: the two add up to 1000) and its
 * L2 sensitivity for one patient as one referrer refers them. */
typedef struct hub_release_referral_query {
	const char *measure;
	int dim;
	int share;
	int64_t sensitivity;
} hub_release_referral_query;

/* hub_release_referral_workload: the referral queries (static), *n. */
const hub_release_referral_query *hub_release_referral_workload(size_t *n);

/* hub_release_referral_sigma2: sigma^2 of referral query q as num/den,
 * D^2 * 1000 * RHO_DEN / (2 * RHO_NUM * share), as hub_release_sigma2. */
void hub_release_referral_sigma2(const hub_release_referral_query *q,
				 uint64_t *num, uint64_t *den);

/* The referral_org key of a coordinator not registered at the hub. */
#define HUB_RELEASE_REFERRAL_OTHER "unregistered"

/* Charges are measured in units of this many yen. */
#define HUB_RELEASE_JPY_UNIT 10000

/* The dimensions of the release. */
enum hub_release_dim {
	HUB_REL_D_NATIONALITY,
	HUB_REL_D_PURPOSE,
	HUB_REL_D_ICD10_CHAPTER,
	HUB_REL_D_AGE_BAND,
	HUB_REL_D_SEX,
	HUB_REL_D_REFERRAL_CHANNEL,
	HUB_REL_D_MEDICAL_STAY_VISA,
	HUB_REL_D_REFERRAL_ORG,
	HUB_REL_D_PREFECTURE,
	HUB_REL_D_HOSPITAL,
	HUB_REL_NDIMS
};

/* The measures. */
enum hub_release_measure {
	HUB_REL_M_PATIENTS,
	HUB_REL_M_EPISODES,
	HUB_REL_M_VISITS,
	HUB_REL_M_INPATIENT_DAYS,
	HUB_REL_M_CHARGE_JPY,
	HUB_REL_NMEASURES
};

/* One query of the workload: a measure over the marginal of 0, 1 or 2
 * dimensions, its share of the month's rho (per mille), and its parent in
 * the consistency hierarchy (-1 for a total). */
typedef struct hub_release_query {
	int measure;
	int ndims;
	int dims[2];
	int share; /* per mille of the month's rho */
	int parent;
} hub_release_query;

/* hub_release_workload: the fixed workload (static), *n queries. */
const hub_release_query *hub_release_workload(size_t *n);

/* hub_release_sigma2: the noise's sigma^2 of monthly query q as num/den:
 * D^2 * 1000 * RHO_DEN / (2 * RHO_NUM * share), D its L2 sensitivity
 * (hub_release_sensitivity: CELLS_PER_PATIENT x the measure's bound). */
void hub_release_sigma2(const hub_release_query *q, uint64_t *num,
			uint64_t *den);
int64_t hub_release_sensitivity(const hub_release_query *q);

/* hub_release_year_workload: the yearly workload (static, patients only),
 * *n queries; shares per mille of the year's rho, parents as in the
 * monthly workload but indexing this one. */
const hub_release_query *hub_release_year_workload(size_t *n);

/* hub_release_year_sigma2 / hub_release_year_sensitivity: as above for a
 * yearly query: D = CELLS_PER_PATIENT_YEAR x the measure's bound, sigma^2
 * = D^2 * 1000 * YEAR_RHO_DEN / (2 * YEAR_RHO_NUM * share). */
void hub_release_year_sigma2(const hub_release_query *q, uint64_t *num,
			     uint64_t *den);
int64_t hub_release_year_sensitivity(const hub_release_query *q);

/* hub_release_dim_name, hub_release_measure_name: the public names
 * (static), and their inverses (-1 when unknown). */
const char *hub_release_dim_name(int d);
const char *hub_release_measure_name(int m);
int hub_release_dim_find(const char *name);
int hub_release_measure_find(const char *name);

/* hub_release_dims_text: "nationality,purpose" for query q into out. */
void hub_release_dims_text(const hub_release_query *q, char *out, size_t n);

/* What a run did. */
typedef struct hub_release_report {
	int months;	   /* months measured by this run */
	char first[8];	   /* YYYY-MM, or "" */
	char last[8];	   /* YYYY-MM, or "" */
	long long values;  /* release_values rows written */
	double seconds;	   /* wall time of the measurements */
	char until[8];	   /* the last month considered */
	char now[11];	   /* the clock used, YYYY-MM-DD */
	int measured_year; /* for the year of last: months measured in all */
	int years;	   /* calendar years measured by this run */
	char year_first[5], year_last[5]; /* YYYY, or "" */
	int years_no_budget; /* closed years left unmeasured: their months
				had spent the cap already (rho 1/6 each) */
	double year_rho;    /* rho spent on the year of last (months + year) */
	long long adjusted; /* monthly values adjusted to their years */
	int workers; /* months measured at once, each on its own connection */
} hub_release_report;

/* hub_release_run: measure every closed month up to until (YYYY-MM, or
 * NULL: the last closed month whose reporting deadline has passed) that
 * is not measured yet, from the earliest month with cells, each in its own
 * transaction; then every calendar year whose December is measured and
 * the year not yet (once, in its own transaction, when its months left it
 * the budget: months + year <= HUB_RELEASE_CAP_RHO), adjusting the
 * year's released monthly patients to add up to it.  now: YYYY-MM-DD, or NULL
 * for settings.release_now or today.  IBX_EINVAL with err (n bytes) naming the
 * parameter when until is not a closed month; database errors as ibx_db_exec.
 */
ibx_err hub_release_run(ibx_db *db, const char *until, const char *now,
			hub_release_report *report, char *err, size_t n);

/* hub_release_run_workers: hub_release_run with the months measured by
 * workers workers at once: the first on db, each other on its own
 * connection to dsn with its own noise sampler (dsn NULL or workers <= 1:
 * db alone, in order).  Each month is still measured once, in its own
 * transaction, the same way whichever worker takes it (issue 18: two
 * workers use both cores of the demo's machine, where one month is about
 * a second of PostgreSQL's CPU); the years follow on db alone.  Errors as
 * hub_release_run, and IBX_EDBDOWN with err when a worker cannot connect
 * (nothing measured then). */
ibx_err hub_release_run_workers(ibx_db *db, const char *dsn, int workers,
				const char *until, const char *now,
				hub_release_report *report, char *err,
				size_t n);

/* hub_release_project: the post-processing step (exposed for its unit
 * test): the integers y[0..n-1] >= 0 with sum total that are nearest to
 * x in least squares, rounded so the sum stays total (floors, then +1 to
 * the largest fractional parts).  IBX_ENOMEM. */
ibx_err hub_release_project(const double *x, size_t n, int64_t total,
			    int64_t *y);

#endif /* HUB_RELEASE_H */
