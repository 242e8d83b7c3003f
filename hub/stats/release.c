/*
 * The protected statistics release: measure each closed month once with
 * discrete Gaussian noise, post-process, store; see release.h and
 * docs/disclosure-control.md.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codes.h"
#include "dp.h"
#include "log.h"
#include "referral.h"
#include "release.h"
#include "statistics.h"

/* The caps the budget rests on are the ones spokes keep and state, and
 * the hub checks on receipt (proto/domain/statistics.h). */
_Static_assert(HUB_RELEASE_CELLS_PER_PATIENT ==
		   IBX_STAT_CELLS_PER_PATIENT_MONTH,
	       "the monthly cap of the release and of the submissions");
_Static_assert(HUB_RELEASE_CELLS_PER_PATIENT_YEAR ==
		   IBX_STAT_CELLS_PER_PATIENT_YEAR,
	       "the yearly cap of the release and of the submissions");

static const char *const dim_names[HUB_REL_NDIMS] = {
    [HUB_REL_D_NATIONALITY] = "nationality",
    [HUB_REL_D_PURPOSE] = "purpose",
    [HUB_REL_D_ICD10_CHAPTER] = "icd10_chapter",
    [HUB_REL_D_AGE_BAND] = "age_band",
    [HUB_REL_D_SEX] = "sex",
    [HUB_REL_D_REFERRAL_CHANNEL] = "referral_channel",
    [HUB_REL_D_MEDICAL_STAY_VISA] = "medical_stay_visa",
    [HUB_REL_D_REFERRAL_ORG] = "referral_org",
    [HUB_REL_D_PREFECTURE] = "prefecture",
    [HUB_REL_D_HOSPITAL] = "hospital",
};

/* Per measure: its name and what one patient may add to one cell: the
 * spoke clips each patient's part of a cell at this bound
 * (IBX_STAT_*_PER_PATIENT_CELL) and the release measures those clipped
 * sums (SQL_CELLS). */
static const struct {
	const char *name;
	int64_t bound;
} measures[HUB_REL_NMEASURES] = {
    [HUB_REL_M_PATIENTS] = {"patients", 1},
    [HUB_REL_M_EPISODES] = {"episodes", 2},
    [HUB_REL_M_VISITS] = {"visits", 16},
    [HUB_REL_M_INPATIENT_DAYS] = {"inpatient_days", 31},
    /* 3,000,000 JPY per patient and cell, in units of 10,000 JPY */
    [HUB_REL_M_CHARGE_JPY] = {"charge_jpy", 300},
};

_Static_assert(IBX_STAT_VISITS_PER_PATIENT_CELL == 16 &&
		   IBX_STAT_DAYS_PER_PATIENT_CELL == 31 &&
		   IBX_STAT_CHARGE_JPY_PER_PATIENT_CELL ==
		       300LL * HUB_RELEASE_JPY_UNIT &&
		   IBX_STAT_EPISODES_PER_PATIENT_CELL == 2,
	       "the release's bounds are the ones the spoke clips at");

#define P  HUB_REL_M_PATIENTS
#define NA HUB_REL_D_NATIONALITY
#define PU HUB_REL_D_PURPOSE
#define HO HUB_REL_D_HOSPITAL

/* The workload: the questions ministry staff ask, and search experience
 * (hospital x purpose).  Shares add up to 1000 with the referral queries
 * (ref_workload: 120; the national total gave them 120 of its 150, as it
 * is also estimated from the sums of its 1-D marginals); a 2-D query's parent
 * is the 1-D query of its first dimension, a 1-D query's the total of its
 * measure (index 0 of each measure's block). */
static const hub_release_query workload[] = {
    /* 0 */ {P, 0, {0, 0}, 30, -1},
    /* 1 */ {P, 1, {NA, 0}, 250, 0},
    /* 2 */ {P, 1, {PU, 0}, 30, 0},
    /* 3 */ {P, 1, {HUB_REL_D_ICD10_CHAPTER, 0}, 25, 0},
    /* 4 */ {P, 1, {HUB_REL_D_AGE_BAND, 0}, 25, 0},
    /* 5 */ {P, 1, {HUB_REL_D_SEX, 0}, 15, 0},
    /* 6 */ {P, 1, {HUB_REL_D_REFERRAL_CHANNEL, 0}, 15, 0},
    /* 7 */ {P, 1, {HUB_REL_D_REFERRAL_ORG, 0}, 25, 0},
    /* 8 */ {P, 1, {HUB_REL_D_PREFECTURE, 0}, 25, 0},
    /* 9 */ {P, 1, {HO, 0}, 50, 0},
    /* 10 */ {P, 2, {NA, PU}, 120, 1},
    /* 11 */ {P, 2, {NA, HUB_REL_D_MEDICAL_STAY_VISA}, 50, 1},
    /* 12 */ {P, 2, {HO, PU}, 20, 9},
    /* 13 */ {HUB_REL_M_EPISODES, 0, {0, 0}, 20, -1},
    /* 14 */ {HUB_REL_M_EPISODES, 1, {NA, 0}, 20, 13},
    /* 15 */ {HUB_REL_M_EPISODES, 1, {PU, 0}, 10, 13},
    /* 16 */ {HUB_REL_M_VISITS, 0, {0, 0}, 15, -1},
    /* 17 */ {HUB_REL_M_VISITS, 1, {NA, 0}, 15, 16},
    /* 18 */ {HUB_REL_M_VISITS, 1, {PU, 0}, 10, 16},
    /* 19 */ {HUB_REL_M_INPATIENT_DAYS, 0, {0, 0}, 15, -1},
    /* 20 */ {HUB_REL_M_INPATIENT_DAYS, 1, {NA, 0}, 15, 19},
    /* 21 */ {HUB_REL_M_INPATIENT_DAYS, 1, {PU, 0}, 10, 19},
    /* 22 */ {HUB_REL_M_CHARGE_JPY, 0, {0, 0}, 30, -1},
    /* 23 */ {HUB_REL_M_CHARGE_JPY, 1, {NA, 0}, 30, 22},
    /* 24 */ {HUB_REL_M_CHARGE_JPY, 1, {PU, 0}, 10, 22},
};
#define NQUERIES (sizeof(workload) / sizeof(workload[0]))

/* The referral queries of a month (docs/disclosure-control.md section
 * 12): their shares complete the workload's to 1000.  Sensitivities for
 * one patient as one referrer refers them, whose referrals of the month
 * all fall in one group of HUB_RELEASE_REFERRALS_PER_GROUP counted
 * (ibx_referral_release_truth): removing the patient takes at most K
 * counted referrals out of the group and lets at most K others in.  The
 * total moves by at most K; the nationality marginal too (the group has
 * one nationality); the purpose marginal by K out of some purposes and K
 * into others, L2 at most sqrt(2) K, rounded up; the cohort and its
 * visits (one month's group again) by at most K. */
#define RK HUB_RELEASE_REFERRALS_PER_GROUP
enum { RQ_TOTAL, RQ_NATIONALITY, RQ_PURPOSE, RQ_COHORT, RQ_VISITS, NREFQ };
static const hub_release_referral_query ref_workload[NREFQ] = {
    [RQ_TOTAL] = {"referrals", -1, 30, RK},
    [RQ_NATIONALITY] = {"referrals", NA, 40, RK},
    [RQ_PURPOSE] = {"referrals", PU, 20, (RK * 1414 + 999) / 1000},
    [RQ_COHORT] = {"opinion_referrals", -1, 15, RK},
    [RQ_VISITS] = {"opinion_visits", -1, 15, RK},
};
#undef RK

/* The yearly workload (docs/disclosure-control.md, section 3): what a
 * year's figures are asked by, patients only.  Shares of the year's rho
 * add up to 1000; parents index this table.  Every query here has a
 * monthly counterpart of the same dimensions (year_counterpart). */
static const hub_release_query year_workload[] = {
    /* 0 */ {P, 0, {0, 0}, 100, -1},
    /* 1 */ {P, 1, {NA, 0}, 400, 0},
    /* 2 */ {P, 1, {PU, 0}, 100, 0},
    /* 3 */ {P, 1, {HO, 0}, 100, 0},
    /* 4 */ {P, 2, {NA, PU}, 300, 1},
};
#define NYEAR (sizeof(year_workload) / sizeof(year_workload[0]))

#undef P
#undef NA
#undef PU
#undef HO

const hub_release_query *
hub_release_workload(size_t *n)
{
	*n = NQUERIES;
	return (workload);
}

const hub_release_query *
hub_release_year_workload(size_t *n)
{
	*n = NYEAR;
	return (year_workload);
}

const char *
hub_release_dim_name(int d)
{
	return (d >= 0 && d < HUB_REL_NDIMS ? dim_names[d] : "");
}

const char *
hub_release_measure_name(int m)
{
	return (m >= 0 && m < HUB_REL_NMEASURES ? measures[m].name : "");
}

int
hub_release_dim_find(const char *name)
{
	int d;

	for (d = 0; d < HUB_REL_NDIMS; d++)
		if (strcmp(name, dim_names[d]) == 0)
			return (d);
	return (-1);
}

int
hub_release_measure_find(const char *name)
{
	int m;

	for (m = 0; m < HUB_REL_NMEASURES; m++)
		if (strcmp(name, measures[m].name) == 0)
			return (m);
	return (-1);
}

void
hub_release_dims_text(const hub_release_query *q, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s", q->ndims > 0 ? dim_names[q->dims[0]] : "",
		 q->ndims > 1 ? "," : "",
		 q->ndims > 1 ? dim_names[q->dims[1]] : "");
}

int64_t
hub_release_sensitivity(const hub_release_query *q)
{
	/* A patient falls in up to CELLS_PER_PATIENT cells of a hospital's
	 * month (the spoke's cap, stated and checked at intake).  In each,
	 * they change the measured value by at most the measure's bound:
	 * patients by 1; episodes by 2 (at most 2 a patient and cell);
	 * visits, days and charge by the bound, because the release measures
	 * the spoke's sums of each patient's part clipped at it (SQL_CELLS),
	 * whatever the cell's other patients hold; the charge's rounding to
	 * units keeps a change of at most 300 units at most 300.  Adding or
	 * removing the patient changes at most CELLS_PER_PATIENT cells of a
	 * marginal, at worst all in one, so the L2 (and L1) sensitivity is
	 * CELLS_PER_PATIENT x bound.  Cells stored before migration 080 (no
	 * clipped sums) are clipped per cell instead, for which this bound
	 * does not hold: docs/disclosure-control.md section 2. */
	return (HUB_RELEASE_CELLS_PER_PATIENT * measures[q->measure].bound);
}

static uint64_t
gcd(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return (a);
}

/* rho_q = D^2 / (2 sigma^2) = share/1000 * rho_num/rho_den, so
 * sigma^2 = D^2 * 1000 * rho_den / (2 * rho_num * share), reduced. */
static void
sigma2_of(uint64_t d, int share, uint64_t rho_num, uint64_t rho_den,
	  uint64_t *num, uint64_t *den)
{
	uint64_t a = d * d * 1000 * rho_den;
	uint64_t b = 2 * rho_num * (uint64_t)share;
	uint64_t g = gcd(a, b);

	*num = a / g;
	*den = b / g;
}

void
hub_release_sigma2(const hub_release_query *q, uint64_t *num, uint64_t *den)
{
	sigma2_of((uint64_t)hub_release_sensitivity(q), q->share,
		  HUB_RELEASE_RHO_NUM, HUB_RELEASE_RHO_DEN, num, den);
}

const hub_release_referral_query *
hub_release_referral_workload(size_t *n)
{
	*n = NREFQ;
	return (ref_workload);
}

void
hub_release_referral_sigma2(const hub_release_referral_query *q, uint64_t *num,
			    uint64_t *den)
{
	sigma2_of((uint64_t)q->sensitivity, q->share, HUB_RELEASE_RHO_NUM,
		  HUB_RELEASE_RHO_DEN, num, den);
}

int64_t
hub_release_year_sensitivity(const hub_release_query *q)
{
	/* A patient in up to CELLS_PER_PATIENT_YEAR cells of a hospital's
	 * year (its months together), each adding at most the bound: at
	 * worst all in one cell of the yearly marginal. */
	return (HUB_RELEASE_CELLS_PER_PATIENT_YEAR *
		measures[q->measure].bound);
}

void
hub_release_year_sigma2(const hub_release_query *q, uint64_t *num,
			uint64_t *den)
{
	sigma2_of((uint64_t)hub_release_year_sensitivity(q), q->share,
		  HUB_RELEASE_YEAR_RHO_NUM, HUB_RELEASE_YEAR_RHO_DEN, num,
		  den);
}

/* A dimension's fixed domain, sorted (strcmp), for bsearch. */
struct domain {
	const char **v;
	size_t n;
};

static int
cmp_str(const void *a, const void *b)
{
	return (strcmp(*(const char *const *)a, *(const char *const *)b));
}

static long
domain_index(const struct domain *d, const char *s)
{
	const char **hit = bsearch(&s, d->v, d->n, sizeof(*d->v), cmp_str);

	return (hit == NULL ? -1 : (long)(hit - d->v));
}

/* One run: the domains, the sampler, the month's queries. */
struct run {
	ibx_db *db;
	ibx_dp *dp;
	struct domain dom[HUB_REL_NDIMS];
	ibx_db_result *orgs, *coords, *listed;
	bool *structural_zero; /* prefecture domain index: no hospital
				  listed there, so no patient (public) */
	char chapters[22][3];
	char prefectures[47][3];
	struct qdata {
		size_t n;
		int64_t *truth, *noisy, *value;
		double var;
	} q[NQUERIES], rq[NREFQ];
};

static const char SQL_HOSPITALS[] =
    "SELECT code FROM organisations WHERE role = 'hospital' ORDER BY code";
static const char SQL_LISTED_PREFECTURES[] =
    "SELECT DISTINCT prefecture FROM hospital_listings ORDER BY 1";
static const char SQL_COORDINATORS[] =
    "SELECT code FROM organisations WHERE role = 'coordinator'"
    " ORDER BY code";

/* The fixed domains: vocabularies (proto/domain), chapters 1-22, the
 * JIS X 0401 prefectures and "" (no listing), the registered hospitals
 * and coordinators ("" for none, REFERRAL_OTHER for a code not registered
 * when the month is measured, so every marginal covers every cell and
 * sums to the same total).  Registration is public; the cells are not
 * read here. */
static ibx_err
domains_load(struct run *r)
{
	static const int vocab[] = {
	    HUB_REL_D_NATIONALITY,	HUB_REL_D_PURPOSE,
	    HUB_REL_D_AGE_BAND,		HUB_REL_D_SEX,
	    HUB_REL_D_REFERRAL_CHANNEL, HUB_REL_D_MEDICAL_STAY_VISA,
	};
	const char *const *list;
	struct domain *d;
	size_t i, k, n;
	ibx_err rv;

	for (k = 0; k < sizeof(vocab) / sizeof(vocab[0]); k++) {
		d = &r->dom[vocab[k]];
		if ((list = ibx_stat_vocabulary(dim_names[vocab[k]], &n)) ==
		    NULL)
			return (IBX_EINVAL);
		if ((d->v = calloc(n, sizeof(*d->v))) == NULL)
			return (IBX_ENOMEM);
		for (i = 0; i < n; i++)
			d->v[i] = list[i];
		d->n = n;
	}
	d = &r->dom[HUB_REL_D_ICD10_CHAPTER];
	if ((d->v = calloc(22, sizeof(*d->v))) == NULL)
		return (IBX_ENOMEM);
	for (i = 0; i < 22; i++) {
		snprintf(r->chapters[i], 3, "%zu", i + 1);
		d->v[d->n++] = r->chapters[i];
	}
	d = &r->dom[HUB_REL_D_PREFECTURE];
	if ((d->v = calloc(48, sizeof(*d->v))) == NULL)
		return (IBX_ENOMEM);
	d->v[d->n++] = "";
	for (i = 0; i < 47; i++) {
		snprintf(r->prefectures[i], 3, "%02zu", i + 1);
		if (ibx_code_prefecture_name(r->prefectures[i]) != NULL)
			d->v[d->n++] = r->prefectures[i];
	}
	if ((rv = ibx_db_exec(r->db, SQL_HOSPITALS, 0, NULL, &r->orgs)) !=
	    IBX_OK)
		return (rv);
	if ((rv = ibx_db_exec(r->db, SQL_COORDINATORS, 0, NULL, &r->coords)) !=
	    IBX_OK)
		return (rv);
	d = &r->dom[HUB_REL_D_HOSPITAL];
	n = (size_t)ibx_db_result_rows(r->orgs);
	if ((d->v = calloc(n + 1, sizeof(*d->v))) == NULL)
		return (IBX_ENOMEM);
	for (i = 0; i < n; i++)
		d->v[d->n++] = ibx_db_result_value(r->orgs, (int)i, 0);
	d = &r->dom[HUB_REL_D_REFERRAL_ORG];
	n = (size_t)ibx_db_result_rows(r->coords);
	if ((d->v = calloc(n + 2, sizeof(*d->v))) == NULL)
		return (IBX_ENOMEM);
	d->v[d->n++] = "";
	d->v[d->n++] = HUB_RELEASE_REFERRAL_OTHER;
	for (i = 0; i < n; i++)
		d->v[d->n++] = ibx_db_result_value(r->coords, (int)i, 0);
	for (k = 0; k < HUB_REL_NDIMS; k++)
		qsort(r->dom[k].v, r->dom[k].n, sizeof(*r->dom[k].v), cmp_str);
	/* Prefectures where no hospital is listed: a cell's prefecture is its
	 * hospital's listing's, so they hold no patient.  Public knowledge,
	 * used by the post-processing only. */
	if ((rv = ibx_db_exec(r->db, SQL_LISTED_PREFECTURES, 0, NULL,
			      &r->listed)) != IBX_OK)
		return (rv);
	d = &r->dom[HUB_REL_D_PREFECTURE];
	if ((r->structural_zero = calloc(d->n, sizeof(bool))) == NULL)
		return (IBX_ENOMEM);
	for (i = 0; i < d->n; i++) {
		int row;

		r->structural_zero[i] = d->v[i][0] != '\0';
		for (row = 0; row < ibx_db_result_rows(r->listed); row++)
			if (strcmp(d->v[i], ibx_db_result_value(r->listed, row,
								0)) == 0)
				r->structural_zero[i] = false;
	}
	return (IBX_OK);
}

static void
run_fini(struct run *r)
{
	size_t k;

	for (k = 0; k < HUB_REL_NDIMS; k++)
		free(r->dom[k].v);
	for (k = 0; k < NQUERIES; k++) {
		free(r->q[k].truth);
		free(r->q[k].noisy);
		free(r->q[k].value);
	}
	for (k = 0; k < NREFQ; k++) {
		free(r->rq[k].truth);
		free(r->rq[k].noisy);
		free(r->rq[k].value);
	}
	ibx_db_result_free(r->orgs);
	ibx_db_result_free(r->coords);
	ibx_db_result_free(r->listed);
	free(r->structural_zero);
	ibx_dp_free(r->dp);
}

static size_t
query_cells(const struct run *r, const hub_release_query *q)
{
	size_t n = 1;
	int i;

	for (i = 0; i < q->ndims; i++)
		n *= r->dom[q->dims[i]].n;
	return (n);
}

/* The month's cells, one column per dimension in enum order, then the
 * measures in enum order.  Visits, days and charge are the spoke's clipped
 * sums (each patient's part of the cell clipped at the bound, statistics.h
 * IBX_STAT_*_PER_PATIENT_CELL; migration 080), so one patient moves each
 * by at most the bound; episodes are at most 2 a patient (intake refuses
 * more), clipped again to $2 x patients.  A cell stored before 080 has no
 * clipped sums and is clipped here to bound x patients ($3..$5), a bound
 * per cell only, until its month is sent again.  Charges in units of $6
 * yen, rounded (a change of at most 3,000,000 yen moves the rounded
 * value by at most 300 units). */
static const char SQL_CELLS[] =
    "SELECT c.nationality, c.purpose, c.icd10_chapter::text, c.age_band,"
    " c.sex, c.referral_channel, c.medical_stay_visa, c.referral_org,"
    " coalesce(hl.prefecture, ''), c.org_code, c.patients,"
    " least(c.episodes, $2::bigint * c.patients),"
    " coalesce(c.outpatient_visits_clipped,"
    "  least(c.outpatient_visits, $3::bigint * c.patients)),"
    " coalesce(c.inpatient_days_clipped,"
    "  least(c.inpatient_days, $4::bigint * c.patients)),"
    " least(round(coalesce(c.charge_jpy_clipped, c.charge_jpy)"
    "  / $6::numeric)::bigint, $5::bigint * c.patients)"
    " FROM statistics_cells c"
    " LEFT JOIN hospital_listings hl ON hl.org_code = c.org_code"
    " WHERE c.current AND c.period = $1::date";
#define CELLS_MEASURE0 HUB_REL_NDIMS

/* The cell of query q that a cell with domain indexes idx falls in (the
 * row-major index over q's dimensions), or -1 when one of them lies
 * outside the fixed domain. */
static long
query_cell(const struct run *r, const hub_release_query *q, const long *idx)
{
	long at = 0;
	int j;

	for (j = 0; j < q->ndims; j++) {
		if (idx[q->dims[j]] < 0)
			return (-1);
		at = at * (long)r->dom[q->dims[j]].n + idx[q->dims[j]];
	}
	return (at);
}

/* The true answers of every query over the month's cells. */
static ibx_err
measure_truth(struct run *r, const char *period)
{
	char b[HUB_REL_NMEASURES][24], first[11];
	const char *v[6];
	ibx_db_result *res = NULL;
	long idx[HUB_REL_NDIMS];
	size_t k, rows, i;
	int d, m;
	ibx_err rv;

	snprintf(first, sizeof(first), "%s-01", period);
	v[0] = first;
	for (m = 1; m < HUB_REL_NMEASURES; m++) {
		snprintf(b[m], sizeof(b[m]), "%lld",
			 (long long)measures[m].bound);
		v[m] = b[m];
	}
	snprintf(b[0], sizeof(b[0]), "%d", HUB_RELEASE_JPY_UNIT);
	v[5] = b[0];
	if ((rv = ibx_db_exec(r->db, SQL_CELLS, 6, v, &res)) != IBX_OK)
		return (rv);
	rows = (size_t)ibx_db_result_rows(res);
	for (i = 0; i < rows; i++) {
		for (d = 0; d < HUB_REL_NDIMS; d++)
			idx[d] = domain_index(
			    &r->dom[d], ibx_db_result_value(res, (int)i, d));
		if (idx[HUB_REL_D_REFERRAL_ORG] < 0)
			idx[HUB_REL_D_REFERRAL_ORG] =
			    domain_index(&r->dom[HUB_REL_D_REFERRAL_ORG],
					 HUB_RELEASE_REFERRAL_OTHER);
		for (k = 0; k < NQUERIES; k++) {
			const hub_release_query *q = &workload[k];
			long at = query_cell(r, q, idx);

			if (at < 0) {
				/* Outside the fixed domain (a programming
				 * error: intake checks every code): counted
				 * nowhere, and said. */
				ibx_log(IBX_LOG_WARN,
					"release %s: a cell outside the "
					"domain of query %zu",
					period, k);
				continue;
			}
			r->q[k].truth[at] += strtoll(
			    ibx_db_result_value(res, (int)i,
						CELLS_MEASURE0 + q->measure),
			    NULL, 10);
		}
	}
	ibx_db_result_free(res);
	return (IBX_OK);
}

struct ranked {
	double frac;
	size_t i;
};

static int
cmp_desc(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y ? 1 : x > y ? -1 : 0);
}

static int
cmp_frac(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->frac != y->frac)
		return (x->frac < y->frac ? 1 : -1);
	return (x->i < y->i ? -1 : 1);
}

ibx_err
hub_release_project(const double *x, size_t n, int64_t total, int64_t *y)
{
	double *u = NULL, sum = 0, lambda = 0, t;
	struct ranked *fr = NULL;
	int64_t rest;
	size_t i, k;
	ibx_err rv = IBX_OK;

	if (n == 0)
		return (IBX_OK);
	if (total <= 0) {
		memset(y, 0, n * sizeof(*y));
		return (IBX_OK);
	}
	if ((u = malloc(n * sizeof(*u))) == NULL ||
	    (fr = malloc(n * sizeof(*fr))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	/* Euclidean projection onto {y >= 0, sum y = total} (Duchi et al.,
	 * ICML 2008): y = max(x - lambda, 0), lambda from the sorted x. */
	memcpy(u, x, n * sizeof(*u));
	qsort(u, n, sizeof(*u), cmp_desc);
	for (k = 0; k < n; k++) {
		sum += u[k];
		t = (sum - (double)total) / (double)(k + 1);
		if (u[k] - t > 0)
			lambda = t;
	}
	/* Integers with the same sum: floors, then one more to the
	 * largest fractional parts (ties: the earlier cell). */
	rest = total;
	for (i = 0; i < n; i++) {
		double v = fmax(x[i] - lambda, 0);

		y[i] = (int64_t)floor(v);
		fr[i].frac = v - floor(v);
		fr[i].i = i;
		rest -= y[i];
	}
	qsort(fr, n, sizeof(*fr), cmp_frac);
	for (k = 0; rest > 0 && k < n; k++, rest--)
		y[fr[k].i]++;
	/* Rounding error of the doubles: take the excess from the largest. */
	for (k = 0; rest < 0 && k < n; k++)
		for (; rest < 0 && y[fr[k].i] > 0; rest++)
			y[fr[k].i]--;
out:
	free(u);
	free(fr);
	return (rv);
}

/* Post-processing of one month (docs/disclosure-control.md, section 4):
 * per measure, the total as the inverse-variance weighted mean of its
 * direct measurement and the sums of its 1-D marginals; each 1-D marginal
 * projected onto it (prefectures without a listed hospital held at 0);
 * each 2-D marginal's rows projected onto their parent's values. */
static ibx_err
postprocess(struct run *r)
{
	double *x = NULL, num, den;
	size_t k, j, i, nc, maxn = 0;
	ibx_err rv = IBX_OK;

	for (k = 0; k < NQUERIES; k++)
		if (r->q[k].n > maxn)
			maxn = r->q[k].n;
	if ((x = malloc(maxn * sizeof(*x))) == NULL)
		return (IBX_ENOMEM);
	for (k = 0; k < NQUERIES; k++) {
		if (workload[k].ndims != 0)
			continue;
		num = (double)r->q[k].noisy[0] / r->q[k].var;
		den = 1 / r->q[k].var;
		for (j = 0; j < NQUERIES; j++) {
			double s = 0, v;

			if (workload[j].parent != (int)k)
				continue;
			for (i = 0; i < r->q[j].n; i++)
				s += (double)r->q[j].noisy[i];
			v = (double)r->q[j].n * r->q[j].var;
			num += s / v;
			den += 1 / v;
		}
		r->q[k].value[0] = (int64_t)llround(fmax(0, num / den));
	}
	for (j = 0; j < NQUERIES; j++) {
		if (workload[j].ndims != 1)
			continue;
		for (i = 0; i < r->q[j].n; i++)
			x[i] = (double)r->q[j].noisy[i];
		/* A structural zero stays 0: far below any lambda. */
		if (workload[j].dims[0] == HUB_REL_D_PREFECTURE)
			for (i = 0; i < r->q[j].n; i++)
				if (r->structural_zero[i])
					x[i] = -1e18;
		if ((rv = hub_release_project(
			 x, r->q[j].n, r->q[workload[j].parent].value[0],
			 r->q[j].value)) != IBX_OK)
			goto out;
	}
	for (j = 0; j < NQUERIES; j++) {
		const struct qdata *p;

		if (workload[j].ndims != 2)
			continue;
		p = &r->q[workload[j].parent];
		nc = r->dom[workload[j].dims[1]].n;
		for (i = 0; i < p->n; i++) {
			size_t c;

			for (c = 0; c < nc; c++)
				x[c] = (double)r->q[j].noisy[i * nc + c];
			if ((rv = hub_release_project(
				 x, nc, p->value[i],
				 &r->q[j].value[i * nc])) != IBX_OK)
				goto out;
		}
	}
out:
	free(x);
	return (rv);
}

static const char SQL_MONTH_CLAIM[] =
    "INSERT INTO release_months (period, measured_now, rho_num, rho_den,"
    " hospitals, coordinators) VALUES ($1::date, $2::date, $3, $4, $5, $6)"
    " ON CONFLICT (period) DO NOTHING RETURNING period";

static const char SQL_QUERY_ROW[] =
    "INSERT INTO release_queries (period, measure, dims, sensitivity,"
    " sigma2_num, sigma2_den, share_permille, cells)"
    " VALUES ($1::date, $2, $3, $4, $5, $6, $7, $8)";

static const char SQL_VALUES[] =
    "INSERT INTO release_values (period, measure, dims, key1, key2, noisy,"
    " value) SELECT $1::date, $2, $3, k1, k2, n, v FROM unnest($4::text[],"
    " $5::text[], $6::bigint[], $7::bigint[]) AS u(k1, k2, n, v)";

static const char SQL_YEAR_QUERY_ROW[] =
    "INSERT INTO release_year_queries (year, measure, dims, sensitivity,"
    " sigma2_num, sigma2_den, share_permille, cells)"
    " VALUES ($1::integer, $2, $3, $4, $5, $6, $7, $8)";

static const char SQL_YEAR_VALUES[] =
    "INSERT INTO release_year_values (year, measure, dims, key1, key2, noisy,"
    " value) SELECT $1::integer, $2, $3, k1, k2, n, v FROM unnest($4::text[],"
    " $5::text[], $6::bigint[], $7::bigint[]) AS u(k1, k2, n, v)";

/* The rows of one measured query (d): its accounting row (sensitivity,
 * sigma^2 = num/den, share), then its keys, measurements and values as
 * array literals (keys are codes: no quote or backslash), in one INSERT.
 * first: the month (YYYY-MM-01), or the year (YYYY) of a yearly query
 * (year true).  The keys of cell i are those of dims d0 and d1 (-1: none;
 * i = i0 * |d1| + i1). */
static ibx_err
store_rows(struct run *r, const char *first, bool year, const char *measure,
	   const char *dims, int64_t sens, uint64_t num, uint64_t den,
	   int share, int d0, int d1, const struct qdata *d, long long *rows)
{
	char *buf[4] = {NULL, NULL, NULL, NULL}, s[5][24];
	size_t len[4], i, n1 = d1 >= 0 ? r->dom[d1].n : 1;
	FILE *f[4] = {NULL, NULL, NULL, NULL};
	const char *v[8];
	int a;
	ibx_err rv = IBX_OK;

	snprintf(s[0], sizeof(s[0]), "%lld", (long long)sens);
	snprintf(s[1], sizeof(s[1]), "%llu", (unsigned long long)num);
	snprintf(s[2], sizeof(s[2]), "%llu", (unsigned long long)den);
	snprintf(s[3], sizeof(s[3]), "%d", share);
	snprintf(s[4], sizeof(s[4]), "%zu", d->n);
	v[0] = first;
	v[1] = measure;
	v[2] = dims;
	for (a = 0; a < 5; a++)
		v[3 + a] = s[a];
	if ((rv = ibx_db_exec(r->db, year ? SQL_YEAR_QUERY_ROW : SQL_QUERY_ROW,
			      8, v, NULL)) != IBX_OK)
		return (rv);
	for (a = 0; a < 4; a++)
		if ((f[a] = open_memstream(&buf[a], &len[a])) == NULL) {
			rv = IBX_ENOMEM;
			goto out;
		}
	for (a = 0; a < 4; a++)
		fputc('{', f[a]);
	for (i = 0; i < d->n; i++) {
		const char *k1 = "", *k2 = "";

		if (d0 >= 0)
			k1 = r->dom[d0].v[i / n1];
		if (d1 >= 0)
			k2 = r->dom[d1].v[i % n1];
		fprintf(f[0], "%s\"%s\"", i ? "," : "", k1);
		fprintf(f[1], "%s\"%s\"", i ? "," : "", k2);
		fprintf(f[2], "%s%lld", i ? "," : "", (long long)d->noisy[i]);
		fprintf(f[3], "%s%lld", i ? "," : "", (long long)d->value[i]);
	}
	for (a = 0; a < 4; a++) {
		fputc('}', f[a]);
		if (fclose(f[a]) != 0) {
			f[a] = NULL;
			rv = IBX_ENOMEM;
			goto out;
		}
		f[a] = NULL;
	}
	for (a = 0; a < 4; a++)
		v[3 + a] = buf[a];
	if ((rv = ibx_db_exec(r->db, year ? SQL_YEAR_VALUES : SQL_VALUES, 7, v,
			      NULL)) == IBX_OK)
		*rows += (long long)d->n;
out:
	for (a = 0; a < 4; a++) {
		if (f[a] != NULL)
			fclose(f[a]);
		free(buf[a]);
	}
	return (rv);
}

/* Query q's rows (d), monthly or (year) yearly: store_rows with its
 * accounting. */
static ibx_err
store_query(struct run *r, const char *first, const hub_release_query *q,
	    const struct qdata *d, bool year, long long *rows)
{
	char dims[64];
	uint64_t num, den;

	hub_release_dims_text(q, dims, sizeof(dims));
	if (year)
		hub_release_year_sigma2(q, &num, &den);
	else
		hub_release_sigma2(q, &num, &den);
	return (store_rows(r, first, year, measures[q->measure].name, dims,
			   year ? hub_release_year_sensitivity(q)
				: hub_release_sensitivity(q),
			   num, den, q->share, q->ndims > 0 ? q->dims[0] : -1,
			   q->ndims > 1 ? q->dims[1] : -1, d, rows));
}

/* ---- The referral channel (docs/disclosure-control.md section 12):
 * measured in the month's transaction, at the shares of ref_workload. */

static const char SQL_REFERRAL_TRUTH[] =
    "SELECT measure, purpose, nationality, n"
    " FROM ibx_referral_release_truth($1::date, $2::integer, $3::integer)";

/* The month's referral truth into r->rq (zeroed first), from
 * ibx_referral_release_truth: the counted referrals by purpose and
 * nationality, the cohort of second opinions and its visits. */
static ibx_err
referral_truth(struct run *r, const char *first)
{
	char k[16], lag[16];
	const char *v[3] = {first, k, lag};
	ibx_db_result *res = NULL;
	size_t q;
	int row;
	ibx_err rv;

	for (q = 0; q < NREFQ; q++)
		memset(r->rq[q].truth, 0, r->rq[q].n * sizeof(int64_t));
	snprintf(k, sizeof(k), "%d", HUB_RELEASE_REFERRALS_PER_GROUP);
	snprintf(lag, sizeof(lag), "%d", HUB_RELEASE_REFERRAL_COHORT_LAG);
	if ((rv = ibx_db_exec(r->db, SQL_REFERRAL_TRUTH, 3, v, &res)) !=
	    IBX_OK)
		return (rv);
	for (row = 0; row < ibx_db_result_rows(res); row++) {
		const char *m = ibx_db_result_value(res, row, 0);
		int64_t n =
		    strtoll(ibx_db_result_value(res, row, 3), NULL, 10);
		long pi, ni;

		if (strcmp(m, "opinion_referrals") == 0) {
			r->rq[RQ_COHORT].truth[0] = n;
			continue;
		}
		if (strcmp(m, "opinion_visits") == 0) {
			r->rq[RQ_VISITS].truth[0] = n;
			continue;
		}
		/* Intake checked both codes; a code outside the fixed domains
		 * (none today) would leave the marginals short of the total,
		 * which the post-processing makes consistent anyway. */
		r->rq[RQ_TOTAL].truth[0] += n;
		pi = domain_index(&r->dom[HUB_REL_D_PURPOSE],
				  ibx_db_result_value(res, row, 1));
		ni = domain_index(&r->dom[HUB_REL_D_NATIONALITY],
				  ibx_db_result_value(res, row, 2));
		if (pi >= 0)
			r->rq[RQ_PURPOSE].truth[pi] += n;
		if (ni >= 0)
			r->rq[RQ_NATIONALITY].truth[ni] += n;
	}
	ibx_db_result_free(res);
	return (IBX_OK);
}

/* Post-processing of the referral queries, as postprocess does for the
 * workload: the total from its measurement and the sums of the two 1-D
 * marginals (inverse-variance weights), each marginal projected onto it
 * (a purpose no referral can have, ibx_referral_purpose_valid, held at
 * 0: public knowledge); the cohort made non-negative and its visits
 * kept between 0 and it. */
static ibx_err
referral_postprocess(struct run *r)
{
	static const int marginals[] = {RQ_NATIONALITY, RQ_PURPOSE};
	struct qdata *t = &r->rq[RQ_TOTAL];
	double num = (double)t->noisy[0] / t->var, den = 1 / t->var, *x;
	size_t i, j, maxn = r->rq[RQ_NATIONALITY].n;
	ibx_err rv = IBX_OK;

	if (r->rq[RQ_PURPOSE].n > maxn)
		maxn = r->rq[RQ_PURPOSE].n;
	if ((x = malloc(maxn * sizeof(*x))) == NULL)
		return (IBX_ENOMEM);
	for (j = 0; j < 2; j++) {
		const struct qdata *m = &r->rq[marginals[j]];
		double sum = 0, var = (double)m->n * m->var;

		for (i = 0; i < m->n; i++)
			sum += (double)m->noisy[i];
		num += sum / var;
		den += 1 / var;
	}
	t->value[0] = (int64_t)llround(fmax(0, num / den));
	for (j = 0; j < 2; j++) {
		struct qdata *m = &r->rq[marginals[j]];

		for (i = 0; i < m->n; i++) {
			x[i] = (double)m->noisy[i];
			if (marginals[j] == RQ_PURPOSE &&
			    !ibx_referral_purpose_valid(
				r->dom[HUB_REL_D_PURPOSE].v[i]))
				x[i] = -1e18;
		}
		if ((rv = hub_release_project(x, m->n, t->value[0],
					      m->value)) != IBX_OK)
			goto out;
	}
	r->rq[RQ_COHORT].value[0] =
	    r->rq[RQ_COHORT].noisy[0] > 0 ? r->rq[RQ_COHORT].noisy[0] : 0;
	r->rq[RQ_VISITS].value[0] =
	    r->rq[RQ_VISITS].noisy[0] < 0 ? 0
	    : r->rq[RQ_VISITS].noisy[0] > r->rq[RQ_COHORT].value[0]
		? r->rq[RQ_COHORT].value[0]
		: r->rq[RQ_VISITS].noisy[0];
out:
	free(x);
	return (rv);
}

/* The noise of cell i of monthly query k: discrete Gaussian of variance
 * num/den from r's sampler.  Test builds only (IBX_TEST_HOOKS), with
 * IBX_TEST_RELEASE_FIXED_NOISE=1 in the environment: a value in -5..5
 * fixed by the month, the query and the cell, so that two runs can be
 * compared bit for bit whichever worker measured a month
 * (it_release_workers).  Errors as ibx_dp_gaussian. */
static ibx_err
month_noise(struct run *r, const char *period, size_t k, size_t i,
	    uint64_t num, uint64_t den, int64_t *z)
{
#ifdef IBX_TEST_HOOKS
	const char *fixed = getenv("IBX_TEST_RELEASE_FIXED_NOISE");

	if (fixed != NULL && strcmp(fixed, "1") == 0) {
		uint64_t h = 1469598103934665603ULL; /* FNV-1a */
		const char *c;

		for (c = period; *c != '\0'; c++)
			h = (h ^ (unsigned char)*c) * 1099511628211ULL;
		h = (h ^ k) * 1099511628211ULL;
		h = (h ^ i) * 1099511628211ULL;
		*z = (int64_t)(h % 11) - 5;
		return (IBX_OK);
	}
#else
	(void)period;
	(void)k;
	(void)i;
#endif
	return (ibx_dp_gaussian(r->dp, num, den, z));
}

/* Measure the month's referral queries (first: YYYY-MM-01) in the
 * month's transaction: truth, discrete Gaussian noise (the truth zeroed
 * once noised), post-processing, and their rows in release_queries and
 * release_values. */
static ibx_err
measure_referrals(struct run *r, const char *first, long long *rows)
{
	uint64_t num, den;
	size_t k, i;
	ibx_err rv;

	if ((rv = referral_truth(r, first)) != IBX_OK)
		return (rv);
	for (k = 0; k < NREFQ; k++) {
		hub_release_referral_sigma2(&ref_workload[k], &num, &den);
		for (i = 0; i < r->rq[k].n; i++) {
			int64_t z;

			/* After the workload's queries in month_noise's
			 * numbering, so a fixed test noise differs. */
			if ((rv = month_noise(r, first, NQUERIES + k, i, num,
					      den, &z)) != IBX_OK)
				return (rv);
			r->rq[k].noisy[i] = r->rq[k].truth[i] + z;
		}
		memset(r->rq[k].truth, 0, r->rq[k].n * sizeof(int64_t));
	}
	if ((rv = referral_postprocess(r)) != IBX_OK)
		return (rv);
	for (k = 0; k < NREFQ; k++) {
		const hub_release_referral_query *q = &ref_workload[k];

		hub_release_referral_sigma2(q, &num, &den);
		if ((rv = store_rows(r, first, false, q->measure,
				     q->dim < 0 ? "" : dim_names[q->dim],
				     q->sensitivity, num, den, q->share,
				     q->dim, -1, &r->rq[k], rows)) != IBX_OK)
			return (rv);
	}
	return (IBX_OK);
}

/* Measure one month in its own transaction; *done false when another run
 * measured it first. */
static ibx_err
measure_month(struct run *r, const char *period, const char *now,
	      long long *rows, bool *done)
{
	char first[11], hs[24], cs[24], rn[24], rd[24];
	const char *v[6];
	ibx_db_result *res = NULL;
	uint64_t num, den;
	size_t k, i;
	ibx_err rv;

	*done = false;
	snprintf(first, sizeof(first), "%s-01", period);
	snprintf(hs, sizeof(hs), "%zu", r->dom[HUB_REL_D_HOSPITAL].n);
	snprintf(cs, sizeof(cs), "%zu", r->dom[HUB_REL_D_REFERRAL_ORG].n - 2);
	snprintf(rn, sizeof(rn), "%d", HUB_RELEASE_RHO_NUM);
	snprintf(rd, sizeof(rd), "%d", HUB_RELEASE_RHO_DEN);
	v[0] = first;
	v[1] = now;
	v[2] = rn;
	v[3] = rd;
	v[4] = hs;
	v[5] = cs;
	if ((rv = ibx_db_script(r->db, "BEGIN")) != IBX_OK)
		return (rv);
	if ((rv = ibx_db_exec(r->db, SQL_MONTH_CLAIM, 6, v, &res)) != IBX_OK)
		goto out;
	if (ibx_db_result_rows(res) == 0)
		goto out; /* measured already: never twice */
	for (k = 0; k < NQUERIES; k++) {
		memset(r->q[k].truth, 0, r->q[k].n * sizeof(int64_t));
		memset(r->q[k].value, 0, r->q[k].n * sizeof(int64_t));
	}
	if ((rv = measure_truth(r, period)) != IBX_OK)
		goto out;
	for (k = 0; k < NQUERIES; k++) {
		hub_release_sigma2(&workload[k], &num, &den);
		for (i = 0; i < r->q[k].n; i++) {
			int64_t z;

			if ((rv = month_noise(r, period, k, i, num, den,
					      &z)) != IBX_OK)
				goto out;
			r->q[k].noisy[i] = r->q[k].truth[i] + z;
		}
		/* The truth is not kept past the noise. */
		memset(r->q[k].truth, 0, r->q[k].n * sizeof(int64_t));
	}
	if ((rv = postprocess(r)) != IBX_OK)
		goto out;
	for (k = 0; k < NQUERIES; k++)
		if ((rv = store_query(r, first, &workload[k], &r->q[k], false,
				      rows)) != IBX_OK)
			goto out;
	if ((rv = measure_referrals(r, first, rows)) != IBX_OK)
		goto out;
	*done = true;
out:
	ibx_db_result_free(res);
	if (rv == IBX_OK && *done)
		rv = ibx_db_script(r->db, "COMMIT");
	else
		ibx_db_script(r->db, "ROLLBACK");
	return (rv);
}

/* ---- The calendar year (docs/disclosure-control.md, sections 3 and 5).
 * Once a year's December is measured, the year is measured once over the
 * yearly workload, combined with the sum of its months, made consistent,
 * and its months' released patients adjusted to add up to it. */

static const char SQL_YEARS_DUE[] =
    "SELECT to_char(m.period, 'YYYY') FROM release_months m"
    " WHERE extract(month FROM m.period) = 12 AND NOT EXISTS (SELECT 1"
    "  FROM release_years y WHERE y.year = extract(year FROM m.period))"
    " ORDER BY 1";

static const char SQL_YEAR_RHO[] =
    "SELECT rho_num, rho_den FROM release_months"
    " WHERE period >= make_date($1::integer, 1, 1)"
    " AND period < make_date($1::integer + 1, 1, 1)";

static const char SQL_YEAR_CLAIM[] =
    "INSERT INTO release_years (year, measured_now, rho_num, rho_den,"
    " months) VALUES ($1::integer, $2::date, $3, $4, $5)"
    " ON CONFLICT (year) DO NOTHING RETURNING year";

/* The year's true patients, over the months measured (the cells current
 * when the year is measured). */
static const char SQL_YEAR_CELLS[] =
    "SELECT c.nationality, c.purpose, c.org_code, sum(c.patients)"
    " FROM statistics_cells c WHERE c.current AND c.period IN (SELECT"
    "  period FROM release_months WHERE period >= make_date($1::integer,"
    "  1, 1) AND period < make_date($1::integer + 1, 1, 1))"
    " GROUP BY 1, 2, 3";

/* The months' noisy patients of a key summed over the year, with the sum
 * of their variances. */
static const char SQL_YEAR_MONTHS_NOISY[] =
    "SELECT v.dims, v.key1, v.key2, sum(v.noisy),"
    " sum(q.sigma2_num::float8 / q.sigma2_den)"
    " FROM release_values v JOIN release_queries q"
    "  USING (period, measure, dims)"
    " WHERE v.measure = 'patients' AND v.period >= make_date($1::integer,"
    "  1, 1) AND v.period < make_date($1::integer + 1, 1, 1)"
    " GROUP BY 1, 2, 3";

/* The months' released patients, by query, key and month. */
static const char SQL_YEAR_MONTH_VALUES[] =
    "SELECT v.dims, v.key1, v.key2, extract(month FROM v.period)::integer,"
    " v.value FROM release_values v WHERE v.measure = 'patients'"
    " AND v.period >= make_date($1::integer, 1, 1)"
    " AND v.period < make_date($1::integer + 1, 1, 1)"
    " ORDER BY v.dims COLLATE \"C\", v.key1 COLLATE \"C\","
    " v.key2 COLLATE \"C\", 4";

/* The year's range as well as each row's month: the range is known when
 * the statement is planned, so only the year's partition of release_values
 * is searched for each row (without it, all 41, one index probe each). */
static const char SQL_YEAR_ADJUST[] =
    "UPDATE release_values v SET value = u.val FROM unnest($2::text[],"
    " $3::text[], $4::text[], $5::integer[], $6::bigint[])"
    " AS u(dims, k1, k2, mon, val) WHERE v.measure = 'patients'"
    " AND v.dims = u.dims AND v.key1 = u.k1 AND v.key2 = u.k2"
    " AND v.period >= make_date($1::integer, 1, 1)"
    " AND v.period < make_date($1::integer + 1, 1, 1)"
    " AND v.period = make_date($1::integer, u.mon, 1)";

/* A value that is never a cell: far below any projection's lambda. */
#define NOT_A_CELL (-1e18)

/* fit2: the months (rows, 12) x keys (columns, nc) of one group, old[c *
 * 12 + m] their released values (-1: no such row), adjusted so that each
 * month adds up to rowsum[m] exactly and each key, as nearly as integers
 * allow (exactly in practice), to colsum[c]: proportional fitting from
 * the old values (plus 1/2, so a month at 0 can take some), then each
 * month rounded by hub_release_project, then single units moved between
 * two keys of one month until the columns add up.  out as old; -1 kept.
 * IBX_ENOMEM. */
static ibx_err
fit2(size_t nc, const int64_t *old, const int64_t rowsum[12],
     const int64_t *colsum, int64_t *out)
{
	double *x = NULL, *row = NULL, s, f;
	int64_t *y = NULL, *sur = NULL;
	size_t c, j, it;
	int m, best;
	ibx_err rv = IBX_OK;

	if (nc == 0)
		return (IBX_OK);
	if ((x = calloc(nc * 12, sizeof(*x))) == NULL ||
	    (row = calloc(nc, sizeof(*row))) == NULL ||
	    (y = calloc(nc, sizeof(*y))) == NULL ||
	    (sur = calloc(nc, sizeof(*sur))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	for (c = 0; c < nc * 12; c++)
		x[c] = old[c] >= 0 ? (double)old[c] + 0.5 : 0;
	for (it = 0; it < 60; it++) {
		for (c = 0; c < nc; c++) {
			for (s = 0, m = 0; m < 12; m++)
				s += x[c * 12 + (size_t)m];
			f = s > 0 ? (double)colsum[c] / s : 0;
			for (m = 0; m < 12; m++)
				x[c * 12 + (size_t)m] *= f;
		}
		for (m = 0; m < 12; m++) {
			size_t live = 0;

			for (s = 0, c = 0; c < nc; c++) {
				s += x[c * 12 + (size_t)m];
				live += old[c * 12 + (size_t)m] >= 0;
			}
			for (c = 0; c < nc; c++) {
				double *v = &x[c * 12 + (size_t)m];

				if (old[c * 12 + (size_t)m] < 0)
					continue;
				if (s > 0)
					*v *= (double)rowsum[m] / s;
				else
					*v = (double)rowsum[m] / (double)live;
			}
		}
	}
	for (m = 0; m < 12; m++) {
		size_t live = 0;

		for (c = 0; c < nc; c++) {
			live += old[c * 12 + (size_t)m] >= 0;
			row[c] = old[c * 12 + (size_t)m] >= 0
				     ? x[c * 12 + (size_t)m]
				     : NOT_A_CELL;
		}
		if (live == 0) {
			for (c = 0; c < nc; c++)
				out[c * 12 + (size_t)m] = -1;
			continue;
		}
		if ((rv = hub_release_project(row, nc, rowsum[m], y)) !=
		    IBX_OK)
			goto out;
		for (c = 0; c < nc; c++)
			out[c * 12 + (size_t)m] =
			    old[c * 12 + (size_t)m] >= 0 ? y[c] : -1;
	}
	for (c = 0; c < nc; c++) {
		sur[c] = -colsum[c];
		for (m = 0; m < 12; m++)
			if (out[c * 12 + (size_t)m] > 0)
				sur[c] += out[c * 12 + (size_t)m];
	}
	/* A key over its year gives one unit, in one month, to a key under
	 * it: the month's sum stays; the month chosen is the one where the
	 * rounding strayed most. */
	for (c = 0; c < nc; c++)
		while (sur[c] > 0) {
			bool moved = false;

			for (j = 0; j < nc && !moved; j++) {
				double bs = 0;

				if (sur[j] >= 0)
					continue;
				best = -1;
				for (m = 0; m < 12; m++) {
					size_t a = c * 12 + (size_t)m,
					       b = j * 12 + (size_t)m;
					double sc;

					if (out[a] < 1 || out[b] < 0)
						continue;
					sc = ((double)out[a] - x[a]) +
					     (x[b] - (double)out[b]);
					if (best < 0 || sc > bs) {
						best = m;
						bs = sc;
					}
				}
				if (best < 0)
					continue;
				out[c * 12 + (size_t)best]--;
				out[j * 12 + (size_t)best]++;
				sur[c]--;
				sur[j]++;
				moved = true;
			}
			if (!moved)
				break;
		}
out:
	free(x);
	free(row);
	free(y);
	free(sur);
	return (rv);
}

/* The year's released monthly patients: per monthly query of patients,
 * its keys (in the order of SQL_YEAR_MONTH_VALUES) and their values by
 * month (-1: no row). */
struct month_table {
	size_t n;
	const char **key1, **key2;
	int64_t *old, *now; /* [key * 12 + month - 1] */
};

static long
month_table_find(const struct month_table *t, const char *k1)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(t->key1[mid], k1);

		if (c == 0)
			return ((long)mid);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (-1);
}

/* The index of the yearly query with monthly query j's dimensions, or
 * -1. */
static int
year_counterpart(size_t j)
{
	size_t y;

	for (y = 0; y < NYEAR; y++)
		if (year_workload[y].measure == workload[j].measure &&
		    year_workload[y].ndims == workload[j].ndims &&
		    (year_workload[y].ndims < 1 ||
		     year_workload[y].dims[0] == workload[j].dims[0]) &&
		    (year_workload[y].ndims < 2 ||
		     year_workload[y].dims[1] == workload[j].dims[1]))
			return ((int)y);
	return (-1);
}

/* The released value of yearly query yi for a month table's key (the
 * months' own sum when the key is outside the yearly domain). */
static int64_t
year_value(const struct run *r, const struct qdata *yq, int yi,
	   const struct month_table *t, size_t c)
{
	const hub_release_query *q = &year_workload[yi];
	long i1 = 0, i2 = 0;
	int64_t s = 0;
	int m;

	if (q->ndims > 0)
		i1 = domain_index(&r->dom[q->dims[0]], t->key1[c]);
	if (q->ndims > 1)
		i2 = domain_index(&r->dom[q->dims[1]], t->key2[c]);
	if (i1 >= 0 && i2 >= 0) {
		size_t at = (size_t)i1;

		if (q->ndims > 1)
			at = at * r->dom[q->dims[1]].n + (size_t)i2;
		return (yq[yi].value[at]);
	}
	for (m = 0; m < 12; m++)
		if (t->old[c * 12 + (size_t)m] > 0)
			s += t->old[c * 12 + (size_t)m];
	return (s);
}

/* Adjust the year's released monthly patients to the yearly values yq
 * (post-processing: only released values are read), top-down through the
 * monthly hierarchy: the months' totals projected onto the year's total;
 * each child query's group (a 1-D marginal, or one row of a 2-D one) fit
 * to its parent's new monthly values and, when the year measured the same
 * query, to the yearly values (fit2); otherwise projected month by month
 * onto the parent (prefectures without a listed hospital held at 0).
 * Writes the changed values; *changed counts them. */
static ibx_err
adjust_months(struct run *r, const char *year, const struct qdata *yq,
	      long long *changed)
{
	struct month_table t[NQUERIES];
	ibx_db_result *res = NULL;
	char dims[NQUERIES][64], *buf[5] = {NULL};
	size_t len[5], rows, i, j, c, c0, c1, cap[NQUERIES] = {0};
	FILE *f[5] = {NULL};
	const char *v[6];
	int64_t rowsum[12], *colsum = NULL;
	double *x = NULL;
	int64_t *y = NULL;
	int a, m;
	long long nch = 0;
	ibx_err rv = IBX_OK;

	memset(t, 0, sizeof(t));
	for (j = 0; j < NQUERIES; j++)
		hub_release_dims_text(&workload[j], dims[j], sizeof(dims[j]));
	v[0] = year;
	if ((rv = ibx_db_exec(r->db, SQL_YEAR_MONTH_VALUES, 1, v, &res)) !=
	    IBX_OK)
		return (rv);
	rows = (size_t)ibx_db_result_rows(res);
	/* Rows per query: room for each query's keys. */
	for (i = 0; i < rows; i++) {
		const char *d = ibx_db_result_value(res, (int)i, 0);

		for (j = 0; j < NQUERIES; j++)
			if (workload[j].measure == HUB_REL_M_PATIENTS &&
			    strcmp(d, dims[j]) == 0) {
				cap[j]++;
				break;
			}
	}
	/* Each query's keys: the rows come ordered by query, key, month. */
	for (i = 0; i < rows; i++) {
		const char *d = ibx_db_result_value(res, (int)i, 0);
		const char *k1 = ibx_db_result_value(res, (int)i, 1);
		const char *k2 = ibx_db_result_value(res, (int)i, 2);
		int mon = atoi(ibx_db_result_value(res, (int)i, 3));
		struct month_table *mt;

		for (j = 0; j < NQUERIES; j++)
			if (workload[j].measure == HUB_REL_M_PATIENTS &&
			    strcmp(d, dims[j]) == 0)
				break;
		if (j == NQUERIES || mon < 1 || mon > 12)
			continue;
		mt = &t[j];
		if (mt->old == NULL) {
			if ((mt->key1 = calloc(cap[j], sizeof(char *))) ==
				NULL ||
			    (mt->key2 = calloc(cap[j], sizeof(char *))) ==
				NULL ||
			    (mt->old = malloc(cap[j] * 12 *
					      sizeof(int64_t))) == NULL ||
			    (mt->now = malloc(cap[j] * 12 *
					      sizeof(int64_t))) == NULL) {
				rv = IBX_ENOMEM;
				goto out;
			}
		}
		if (mt->n == 0 || strcmp(mt->key1[mt->n - 1], k1) != 0 ||
		    strcmp(mt->key2[mt->n - 1], k2) != 0) {
			mt->key1[mt->n] = k1;
			mt->key2[mt->n] = k2;
			for (m = 0; m < 12; m++)
				mt->old[mt->n * 12 + (size_t)m] = -1;
			mt->n++;
		}
		mt->old[(mt->n - 1) * 12 + (size_t)(mon - 1)] =
		    strtoll(ibx_db_result_value(res, (int)i, 4), NULL, 10);
	}
	for (j = 0; j < NQUERIES; j++)
		if (t[j].old != NULL)
			memcpy(t[j].now, t[j].old,
			       t[j].n * 12 * sizeof(int64_t));
	if ((colsum = calloc(rows + 1, sizeof(*colsum))) == NULL ||
	    (x = calloc(rows + 12, sizeof(*x))) == NULL ||
	    (y = calloc(rows + 12, sizeof(*y))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	/* The months' totals onto the year's. */
	if (t[0].n == 1 && workload[0].ndims == 0) {
		for (m = 0; m < 12; m++)
			x[m] = t[0].old[m] >= 0 ? (double)t[0].old[m]
						: NOT_A_CELL;
		if ((rv = hub_release_project(x, 12, yq[0].value[0], y)) !=
		    IBX_OK)
			goto out;
		for (m = 0; m < 12; m++)
			if (t[0].old[m] >= 0)
				t[0].now[m] = y[m];
	}
	for (j = 1; j < NQUERIES; j++) {
		const struct month_table *pt;
		int yi = year_counterpart(j);

		if (workload[j].measure != HUB_REL_M_PATIENTS || t[j].n == 0)
			continue;
		pt = &t[workload[j].parent];
		for (c0 = 0; c0 < t[j].n; c0 = c1) {
			long pc = 0;

			/* The group: every key (1-D), or the keys of one
			 * key1 (a row of a 2-D marginal). */
			for (c1 = c0 + 1;
			     c1 < t[j].n &&
			     (workload[j].ndims < 2 ||
			      strcmp(t[j].key1[c1], t[j].key1[c0]) == 0);
			     c1++)
				;
			if (workload[j].ndims == 2)
				pc = month_table_find(pt, t[j].key1[c0]);
			for (m = 0; m < 12; m++) {
				rowsum[m] = 0;
				if (pc >= 0 && pt->now != NULL &&
				    pt->now[(size_t)pc * 12 + (size_t)m] > 0)
					rowsum[m] = pt->now[(size_t)pc * 12 +
							    (size_t)m];
				if (pc < 0)
					for (c = c0; c < c1; c++)
						if (t[j].old[c * 12 +
							     (size_t)m] > 0)
							rowsum[m] +=
							    t[j].old[c * 12 +
								     (size_t)
									 m];
			}
			if (yi >= 0) {
				for (c = c0; c < c1; c++)
					colsum[c - c0] =
					    year_value(r, yq, yi, &t[j], c);
				if ((rv = fit2(c1 - c0, &t[j].old[c0 * 12],
					       rowsum, colsum,
					       &t[j].now[c0 * 12])) != IBX_OK)
					goto out;
				continue;
			}
			for (m = 0; m < 12; m++) {
				bool live = false;

				for (c = c0; c < c1; c++) {
					int64_t o =
					    t[j].old[c * 12 + (size_t)m];
					long pi;

					x[c - c0] =
					    o >= 0 ? (double)o : NOT_A_CELL;
					live |= o >= 0;
					if (o >= 0 && workload[j].ndims == 1 &&
					    workload[j].dims[0] ==
						HUB_REL_D_PREFECTURE &&
					    (pi = domain_index(
						 &r->dom[HUB_REL_D_PREFECTURE],
						 t[j].key1[c])) >= 0 &&
					    r->structural_zero[pi])
						x[c - c0] = NOT_A_CELL;
				}
				if (!live)
					continue;
				if ((rv = hub_release_project(
					 x, c1 - c0, rowsum[m], y)) != IBX_OK)
					goto out;
				for (c = c0; c < c1; c++)
					if (t[j].old[c * 12 + (size_t)m] >= 0)
						t[j].now[c * 12 + (size_t)m] =
						    y[c - c0];
			}
		}
	}
	/* The changed values, in one UPDATE. */
	for (a = 0; a < 5; a++) {
		if ((f[a] = open_memstream(&buf[a], &len[a])) == NULL) {
			rv = IBX_ENOMEM;
			goto out;
		}
		fputc('{', f[a]);
	}
	for (j = 0; j < NQUERIES; j++)
		for (c = 0; c < t[j].n; c++)
			for (m = 0; m < 12; m++) {
				size_t at = c * 12 + (size_t)m;
				const char *sep = nch ? "," : "";

				if (t[j].old[at] < 0 ||
				    t[j].old[at] == t[j].now[at])
					continue;
				fprintf(f[0], "%s\"%s\"", sep, dims[j]);
				fprintf(f[1], "%s\"%s\"", sep, t[j].key1[c]);
				fprintf(f[2], "%s\"%s\"", sep, t[j].key2[c]);
				fprintf(f[3], "%s%d", sep, m + 1);
				fprintf(f[4], "%s%lld", sep,
					(long long)t[j].now[at]);
				nch++;
			}
	for (a = 0; a < 5; a++) {
		fputc('}', f[a]);
		if (fclose(f[a]) != 0) {
			f[a] = NULL;
			rv = IBX_ENOMEM;
			goto out;
		}
		f[a] = NULL;
	}
	if (nch > 0) {
		for (a = 0; a < 5; a++)
			v[1 + a] = buf[a];
		if ((rv = ibx_db_exec(r->db, SQL_YEAR_ADJUST, 6, v, NULL)) !=
		    IBX_OK)
			goto out;
	}
	*changed += nch;
out:
	for (a = 0; a < 5; a++) {
		if (f[a] != NULL)
			fclose(f[a]);
		free(buf[a]);
	}
	for (j = 0; j < NQUERIES; j++) {
		free(t[j].key1);
		free(t[j].key2);
		free(t[j].old);
		free(t[j].now);
	}
	free(colsum);
	free(x);
	free(y);
	ibx_db_result_free(res);
	return (rv);
}

/* The yearly truth over the year's measured months. */
static ibx_err
year_truth(struct run *r, const char *year, struct qdata *yq)
{
	ibx_db_result *res = NULL;
	const char *v[1] = {year};
	size_t i, k, rows;
	ibx_err rv;

	if ((rv = ibx_db_exec(r->db, SQL_YEAR_CELLS, 1, v, &res)) != IBX_OK)
		return (rv);
	rows = (size_t)ibx_db_result_rows(res);
	for (i = 0; i < rows; i++) {
		long idx[HUB_REL_NDIMS];
		int64_t p =
		    strtoll(ibx_db_result_value(res, (int)i, 3), NULL, 10);

		idx[HUB_REL_D_NATIONALITY] =
		    domain_index(&r->dom[HUB_REL_D_NATIONALITY],
				 ibx_db_result_value(res, (int)i, 0));
		idx[HUB_REL_D_PURPOSE] =
		    domain_index(&r->dom[HUB_REL_D_PURPOSE],
				 ibx_db_result_value(res, (int)i, 1));
		idx[HUB_REL_D_HOSPITAL] =
		    domain_index(&r->dom[HUB_REL_D_HOSPITAL],
				 ibx_db_result_value(res, (int)i, 2));
		for (k = 0; k < NYEAR; k++) {
			long at = query_cell(r, &year_workload[k], idx);

			if (at < 0) {
				ibx_log(IBX_LOG_WARN,
					"release %s: a cell outside the "
					"domain of yearly query %zu",
					year, k);
				continue;
			}
			yq[k].truth[at] += p;
		}
	}
	ibx_db_result_free(res);
	return (IBX_OK);
}

/* The yearly post-processing: each cell the inverse-variance weighted
 * mean of the yearly measurement and the sum of its months' measurements
 * (z, variance zv); the total also weighted with the sums of the 1-D
 * marginals; 1-D marginals projected onto the total, 2-D rows onto their
 * parent, as postprocess does for a month. */
static ibx_err
year_combine(struct run *r, const char *year, struct qdata *yq, double **z,
	     double **zv)
{
	ibx_db_result *res = NULL;
	const char *v[1] = {year};
	char dims[NYEAR][64];
	size_t i, k, rows, maxn = 0, nc;
	double *x = NULL, num, den;
	ibx_err rv;

	for (k = 0; k < NYEAR; k++) {
		hub_release_dims_text(&year_workload[k], dims[k],
				      sizeof(dims[k]));
		for (i = 0; i < yq[k].n; i++) {
			z[k][i] = (double)yq[k].noisy[i];
			zv[k][i] = yq[k].var;
		}
		if (yq[k].n > maxn)
			maxn = yq[k].n;
	}
	if ((rv = ibx_db_exec(r->db, SQL_YEAR_MONTHS_NOISY, 1, v, &res)) !=
	    IBX_OK)
		return (rv);
	rows = (size_t)ibx_db_result_rows(res);
	for (i = 0; i < rows; i++) {
		const char *d = ibx_db_result_value(res, (int)i, 0);
		double s = strtod(ibx_db_result_value(res, (int)i, 3), NULL);
		double sv = strtod(ibx_db_result_value(res, (int)i, 4), NULL);

		for (k = 0; k < NYEAR; k++) {
			const hub_release_query *q = &year_workload[k];
			long i1 = 0, i2 = 0;
			size_t at;

			if (strcmp(d, dims[k]) != 0)
				continue;
			if (q->ndims > 0)
				i1 = domain_index(
				    &r->dom[q->dims[0]],
				    ibx_db_result_value(res, (int)i, 1));
			if (q->ndims > 1)
				i2 = domain_index(
				    &r->dom[q->dims[1]],
				    ibx_db_result_value(res, (int)i, 2));
			if (i1 < 0 || i2 < 0 || sv <= 0)
				break;
			at = (size_t)i1;
			if (q->ndims > 1)
				at = at * r->dom[q->dims[1]].n + (size_t)i2;
			num = z[k][at] / zv[k][at] + s / sv;
			den = 1 / zv[k][at] + 1 / sv;
			z[k][at] = num / den;
			zv[k][at] = 1 / den;
			break;
		}
	}
	ibx_db_result_free(res);
	if ((x = malloc((maxn + 1) * sizeof(*x))) == NULL)
		return (IBX_ENOMEM);
	/* The total. */
	num = z[0][0] / zv[0][0];
	den = 1 / zv[0][0];
	for (k = 1; k < NYEAR; k++) {
		double s = 0, sv = 0;

		if (year_workload[k].parent != 0)
			continue;
		for (i = 0; i < yq[k].n; i++) {
			s += z[k][i];
			sv += zv[k][i];
		}
		num += s / sv;
		den += 1 / sv;
	}
	yq[0].value[0] = (int64_t)llround(fmax(0, num / den));
	for (k = 1; k < NYEAR; k++) {
		const struct qdata *p = &yq[year_workload[k].parent];

		if (year_workload[k].ndims == 1) {
			if ((rv = hub_release_project(z[k], yq[k].n,
						      p->value[0],
						      yq[k].value)) != IBX_OK)
				goto out;
			continue;
		}
		nc = r->dom[year_workload[k].dims[1]].n;
		for (i = 0; i < p->n; i++)
			if ((rv = hub_release_project(
				 &z[k][i * nc], nc, p->value[i],
				 &yq[k].value[i * nc])) != IBX_OK)
				goto out;
	}
out:
	free(x);
	return (rv);
}

/* rho spent by the months of a year, as a reduced fraction a/b. */
static ibx_err
year_months_rho(ibx_db *db, const char *year, uint64_t *a, uint64_t *b,
		int *months)
{
	ibx_db_result *res = NULL;
	const char *v[1] = {year};
	uint64_t g;
	int i;
	ibx_err rv;

	*a = 0;
	*b = 1;
	if ((rv = ibx_db_exec(db, SQL_YEAR_RHO, 1, v, &res)) != IBX_OK)
		return (rv);
	*months = ibx_db_result_rows(res);
	for (i = 0; i < *months; i++) {
		uint64_t n =
		    strtoull(ibx_db_result_value(res, i, 0), NULL, 10);
		uint64_t d =
		    strtoull(ibx_db_result_value(res, i, 1), NULL, 10);

		*a = *a * d + n * *b;
		*b = *b * d;
		g = gcd(*a, *b);
		*a /= g;
		*b /= g;
	}
	ibx_db_result_free(res);
	return (IBX_OK);
}

/* Measure calendar year `year` (YYYY) once, in its own transaction:
 * claim it (release_years), and when its months left the budget for it
 * (months + YEAR_RHO <= CAP_RHO), measure the yearly workload with
 * discrete Gaussian noise, combine, store (release_year_queries,
 * release_year_values) and adjust the months.  *done: measured;
 * *no_budget: claimed but left unmeasured. */
static ibx_err
measure_year(struct run *r, const char *year, const char *now,
	     long long *values, long long *changed, bool *done,
	     bool *no_budget)
{
	struct qdata yq[NYEAR];
	double *z[NYEAR] = {NULL}, *zv[NYEAR] = {NULL};
	char rn[24], rd[24], ms[8];
	const char *v[5];
	ibx_db_result *res = NULL;
	uint64_t a, b, num, den;
	int months;
	size_t k, i;
	ibx_err rv;

	*done = *no_budget = false;
	memset(yq, 0, sizeof(yq));
	if ((rv = ibx_db_script(r->db, "BEGIN")) != IBX_OK)
		return (rv);
	if ((rv = year_months_rho(r->db, year, &a, &b, &months)) != IBX_OK)
		goto out;
	/* months a/b + YEAR_NUM/YEAR_DEN <= CAP, exactly. */
	*no_budget =
	    a * HUB_RELEASE_YEAR_RHO_DEN +
		(uint64_t)HUB_RELEASE_YEAR_RHO_NUM * b >
	    (uint64_t)HUB_RELEASE_CAP_RHO * b * HUB_RELEASE_YEAR_RHO_DEN;
	snprintf(rn, sizeof(rn), "%d",
		 *no_budget ? 0 : HUB_RELEASE_YEAR_RHO_NUM);
	snprintf(rd, sizeof(rd), "%d", HUB_RELEASE_YEAR_RHO_DEN);
	snprintf(ms, sizeof(ms), "%d", months);
	v[0] = year;
	v[1] = now;
	v[2] = rn;
	v[3] = rd;
	v[4] = ms;
	if ((rv = ibx_db_exec(r->db, SQL_YEAR_CLAIM, 5, v, &res)) != IBX_OK)
		goto out;
	if (ibx_db_result_rows(res) == 0) {
		*no_budget = false;
		goto out; /* measured already: never twice */
	}
	if (*no_budget) {
		ibx_log(IBX_LOG_WARN,
			"release %s: the year is not measured: its months "
			"spent rho %llu/%llu, no room for %d/%d under %d",
			year, (unsigned long long)a, (unsigned long long)b,
			HUB_RELEASE_YEAR_RHO_NUM, HUB_RELEASE_YEAR_RHO_DEN,
			HUB_RELEASE_CAP_RHO);
		goto out;
	}
	for (k = 0; k < NYEAR; k++) {
		yq[k].n = query_cells(r, &year_workload[k]);
		hub_release_year_sigma2(&year_workload[k], &num, &den);
		yq[k].var = (double)num / (double)den;
		if ((yq[k].truth = calloc(yq[k].n, sizeof(int64_t))) == NULL ||
		    (yq[k].noisy = calloc(yq[k].n, sizeof(int64_t))) == NULL ||
		    (yq[k].value = calloc(yq[k].n, sizeof(int64_t))) == NULL ||
		    (z[k] = calloc(yq[k].n, sizeof(double))) == NULL ||
		    (zv[k] = calloc(yq[k].n, sizeof(double))) == NULL) {
			rv = IBX_ENOMEM;
			goto out;
		}
	}
	if ((rv = year_truth(r, year, yq)) != IBX_OK)
		goto out;
	for (k = 0; k < NYEAR; k++) {
		hub_release_year_sigma2(&year_workload[k], &num, &den);
		for (i = 0; i < yq[k].n; i++) {
			int64_t e;

			if ((rv = ibx_dp_gaussian(r->dp, num, den, &e)) !=
			    IBX_OK)
				goto out;
			yq[k].noisy[i] = yq[k].truth[i] + e;
		}
		/* The truth is not kept past the noise. */
		memset(yq[k].truth, 0, yq[k].n * sizeof(int64_t));
	}
	if ((rv = year_combine(r, year, yq, z, zv)) != IBX_OK)
		goto out;
	for (k = 0; k < NYEAR; k++)
		if ((rv = store_query(r, year, &year_workload[k], &yq[k], true,
				      values)) != IBX_OK)
			goto out;
	if ((rv = adjust_months(r, year, yq, changed)) != IBX_OK)
		goto out;
	*done = true;
out:
	ibx_db_result_free(res);
	for (k = 0; k < NYEAR; k++) {
		free(yq[k].truth);
		free(yq[k].noisy);
		free(yq[k].value);
		free(z[k]);
		free(zv[k]);
	}
	if (rv == IBX_OK && (*done || *no_budget))
		rv = ibx_db_script(r->db, "COMMIT");
	else
		ibx_db_script(r->db, "ROLLBACK");
	return (rv);
}

/* ---- The months' driver: which months, on which connection.  The
 * measurement of a month (measure_month) is the same whichever worker
 * runs it; only the order in which months finish changes. */

/* r's per-query buffers (truth, noise, values) and variances, for the
 * domains r holds.  IBX_ENOMEM; run_fini frees them. */
static ibx_err
run_buffers(struct run *r)
{
	size_t k;

	for (k = 0; k < NQUERIES; k++) {
		uint64_t num, den;

		r->q[k].n = query_cells(r, &workload[k]);
		hub_release_sigma2(&workload[k], &num, &den);
		r->q[k].var = (double)num / (double)den;
		if ((r->q[k].truth = calloc(r->q[k].n, sizeof(int64_t))) ==
			NULL ||
		    (r->q[k].noisy = calloc(r->q[k].n, sizeof(int64_t))) ==
			NULL ||
		    (r->q[k].value = calloc(r->q[k].n, sizeof(int64_t))) ==
			NULL)
			return (IBX_ENOMEM);
	}
	for (k = 0; k < NREFQ; k++) {
		uint64_t num, den;

		r->rq[k].n = ref_workload[k].dim < 0
				 ? 1
				 : r->dom[ref_workload[k].dim].n;
		hub_release_referral_sigma2(&ref_workload[k], &num, &den);
		r->rq[k].var = (double)num / (double)den;
		if ((r->rq[k].truth = calloc(r->rq[k].n, sizeof(int64_t))) ==
			NULL ||
		    (r->rq[k].noisy = calloc(r->rq[k].n, sizeof(int64_t))) ==
			NULL ||
		    (r->rq[k].value = calloc(r->rq[k].n, sizeof(int64_t))) ==
			NULL)
			return (IBX_ENOMEM);
	}
	return (IBX_OK);
}

/* The months of one run, shared by its workers under mu: the next month
 * to take (in order), what was measured, and the first failure. */
struct months_job {
	ibx_db_result *todo;
	size_t rows, next;
	const char *now;
	hub_release_report *report;
	pthread_mutex_t mu;
	ibx_err rv;
	char failed[8]; /* the month that failed, or "" */
};

/* One worker: its own connection and sampler and buffers; the domains
 * are the run's (a shallow copy, read only, freed by the run). */
struct months_worker {
	struct months_job *job;
	struct run r;
	pthread_t tid;
	bool started;
};

/* Take months until none is left or one failed; each month in its own
 * transaction on the worker's connection (measure_month). */
static void *
months_work(void *arg)
{
	struct months_worker *w = arg;
	struct months_job *j = w->job;
	hub_release_report *rep = j->report;

	for (;;) {
		const char *p;
		long long values = 0;
		bool done = false;
		ibx_err rv;

		pthread_mutex_lock(&j->mu);
		if (j->rv != IBX_OK || j->next >= j->rows) {
			pthread_mutex_unlock(&j->mu);
			break;
		}
		p = ibx_db_result_value(j->todo, (int)j->next++, 0);
		pthread_mutex_unlock(&j->mu);
		rv = measure_month(&w->r, p, j->now, &values, &done);
		pthread_mutex_lock(&j->mu);
		if (rv != IBX_OK) {
			if (j->rv == IBX_OK) {
				j->rv = rv;
				snprintf(j->failed, sizeof(j->failed), "%s",
					 p);
			}
		} else if (done) {
			rep->values += values;
			if (rep->months++ == 0 || strcmp(p, rep->first) < 0)
				snprintf(rep->first, sizeof(rep->first), "%s",
					 p);
			if (strcmp(p, rep->last) > 0)
				snprintf(rep->last, sizeof(rep->last), "%s",
					 p);
		}
		pthread_mutex_unlock(&j->mu);
	}
	return (NULL);
}

/* Measure the months todo (rows of YYYY-MM, in order) with workers
 * workers: r on its own connection, and workers - 1 more, each on its own
 * connection to dsn (NULL: r's alone) with its own sampler and buffers.
 * Each month is measured once (its claim row, measure_month) and the
 * same way whichever worker takes it; months, first, last and values go
 * to report.  The first failure stops the others after their current
 * month; err (n bytes) names the month.  Errors: IBX_EDBDOWN when a
 * worker's connection cannot be made, IBX_ENOMEM, and measure_month's. */
static ibx_err
months_measure(struct run *r, const char *dsn, int workers,
	       ibx_db_result *todo, size_t rows, hub_release_report *report,
	       char *err, size_t n)
{
	struct months_job job;
	struct months_worker *w = NULL;
	size_t nw, i, k;
	ibx_err rv = IBX_OK;

	memset(&job, 0, sizeof(job));
	job.todo = todo;
	job.rows = rows;
	job.now = report->now;
	job.report = report;
	job.rv = IBX_OK;
	pthread_mutex_init(&job.mu, NULL);
	nw = dsn != NULL && workers > 1 ? (size_t)workers : 1;
	if (nw > rows)
		nw = rows > 0 ? rows : 1;
	if ((w = calloc(nw, sizeof(*w))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	w[0].job = &job;
	w[0].r = *r;
	for (i = 1; i < nw; i++) {
		w[i].job = &job;
		w[i].r = *r; /* the domains, read only */
		w[i].r.db = NULL;
		w[i].r.dp = NULL;
		for (k = 0; k < NQUERIES; k++) {
			w[i].r.q[k].truth = NULL;
			w[i].r.q[k].noisy = NULL;
			w[i].r.q[k].value = NULL;
		}
		for (k = 0; k < NREFQ; k++) {
			w[i].r.rq[k].truth = NULL;
			w[i].r.rq[k].noisy = NULL;
			w[i].r.rq[k].value = NULL;
		}
		if ((rv = ibx_db_open(dsn, &w[i].r.db)) != IBX_OK) {
			snprintf(err, n,
				 "release worker %zu: cannot connect: %s", i,
				 ibx_strerror(rv));
			goto out;
		}
		if ((rv = ibx_dp_new(&w[i].r.dp)) != IBX_OK ||
		    (rv = run_buffers(&w[i].r)) != IBX_OK)
			goto out;
	}
	report->workers = (int)nw;
	for (i = 1; i < nw; i++) {
		if (pthread_create(&w[i].tid, NULL, months_work, &w[i]) != 0) {
			rv = IBX_ENOMEM;
			pthread_mutex_lock(&job.mu);
			job.rv = rv;
			pthread_mutex_unlock(&job.mu);
			break;
		}
		w[i].started = true;
	}
	months_work(&w[0]);
	for (i = 1; i < nw; i++)
		if (w[i].started)
			pthread_join(w[i].tid, NULL);
	if (rv == IBX_OK && (rv = job.rv) != IBX_OK && job.failed[0] != '\0')
		snprintf(err, n, "month %s: not measured: %s", job.failed,
			 ibx_strerror(rv));
out:
	for (i = 1; w != NULL && i < nw; i++) {
		for (k = 0; k < NQUERIES; k++) {
			free(w[i].r.q[k].truth);
			free(w[i].r.q[k].noisy);
			free(w[i].r.q[k].value);
		}
		for (k = 0; k < NREFQ; k++) {
			free(w[i].r.rq[k].truth);
			free(w[i].r.rq[k].noisy);
			free(w[i].r.rq[k].value);
		}
		ibx_dp_free(w[i].r.dp);
		ibx_db_close(w[i].r.db);
	}
	free(w);
	pthread_mutex_destroy(&job.mu);
	return (rv);
}

/* The clock and the months: now, the last closed month, the last month
 * whose deadline has passed, and the months from the first submitted
 * one up to $2 (or that last due month) not measured yet. */
static const char SQL_CLOCK[] =
    "WITH n AS (SELECT coalesce($1::date, (SELECT value::date FROM settings"
    "  WHERE name = 'release_now'), current_date) AS now,"
    " coalesce((SELECT value::integer FROM settings"
    "  WHERE name = 'reporting_deadline_day'), 15) AS dd)"
    " SELECT to_char(now, 'YYYY-MM-DD'),"
    " to_char(date_trunc('month', now) - interval '1 month', 'YYYY-MM'),"
    " to_char(date_trunc('month', now) - CASE WHEN now >"
    "  date_trunc('month', now) + (dd - 1) * interval '1 day'"
    "  THEN interval '1 month' ELSE interval '2 months' END, 'YYYY-MM')"
    " FROM n";

static const char SQL_TODO[] =
    "SELECT to_char(g, 'YYYY-MM') FROM generate_series("
    " (SELECT min(period) FROM statistics_submissions),"
    " $1::date, interval '1 month') g"
    " WHERE NOT EXISTS (SELECT 1 FROM release_months m"
    "  WHERE m.period = g) ORDER BY 1";

static const char SQL_YEAR_SPENT[] =
    "SELECT rho_num::float8 / rho_den FROM release_years"
    " WHERE year = $1::integer";

static const char SQL_YEAR_MONTHS[] =
    "SELECT count(*) FROM release_months"
    " WHERE period >= date_trunc('year', $1::date)"
    " AND period < date_trunc('year', $1::date) + interval '1 year'";

/* YYYY-MM-DD with a valid YYYY-MM and a day 01..31 (PostgreSQL checks
 * the rest). */
static bool
date_valid(const char *s)
{
	char month[8];

	if (strlen(s) != 10 || s[7] != '-' || s[8] < '0' || s[8] > '3' ||
	    s[9] < '0' || s[9] > '9')
		return (false);
	memcpy(month, s, 7);
	month[7] = '\0';
	return (ibx_period_valid(month));
}

ibx_err
hub_release_run(ibx_db *db, const char *until, const char *now,
		hub_release_report *report, char *err, size_t n)
{
	return (
	    hub_release_run_workers(db, NULL, 1, until, now, report, err, n));
}

ibx_err
hub_release_run_workers(ibx_db *db, const char *dsn, int workers,
			const char *until, const char *now,
			hub_release_report *report, char *err, size_t n)
{
	struct run r;
	ibx_db_result *clock = NULL, *todo = NULL, *yr = NULL, *years = NULL,
		      *ys = NULL;
	const char *v[1];
	char last[11];
	struct timespec t0, t1;
	size_t i, rows;
	bool done;
	ibx_err rv;

	memset(&r, 0, sizeof(r));
	memset(report, 0, sizeof(*report));
	r.db = db;
	err[0] = '\0';
	if (now != NULL && !date_valid(now)) {
		snprintf(err, n, "parameter \"now\": must be YYYY-MM-DD");
		return (IBX_EINVAL);
	}
	if (until != NULL && !ibx_period_valid(until)) {
		snprintf(err, n, "parameter \"until\": must be YYYY-MM");
		return (IBX_EINVAL);
	}
	v[0] = now;
	if ((rv = ibx_db_exec(db, SQL_CLOCK, 1, v, &clock)) != IBX_OK)
		goto out;
	snprintf(report->now, sizeof(report->now), "%s",
		 ibx_db_result_value(clock, 0, 0));
	if (until != NULL &&
	    strcmp(until, ibx_db_result_value(clock, 0, 1)) > 0) {
		snprintf(err, n,
			 "parameter \"until\": %s is not closed (now is %s; "
			 "a month is closed once it is over)",
			 until, report->now);
		rv = IBX_EINVAL;
		goto out;
	}
	snprintf(report->until, sizeof(report->until), "%s",
		 until != NULL ? until : ibx_db_result_value(clock, 0, 2));
	snprintf(last, sizeof(last), "%s-01", report->until);
	v[0] = last;
	if ((rv = ibx_db_exec(db, SQL_TODO, 1, v, &todo)) != IBX_OK)
		goto out;
	rows = (size_t)ibx_db_result_rows(todo);
	if ((rv = ibx_db_exec(db, SQL_YEARS_DUE, 0, NULL, &years)) != IBX_OK)
		goto out;
	if (rows == 0 && ibx_db_result_rows(years) == 0)
		goto out;
	if ((rv = ibx_dp_new(&r.dp)) != IBX_OK ||
	    (rv = domains_load(&r)) != IBX_OK)
		goto out;
	if ((rv = run_buffers(&r)) != IBX_OK)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rv = months_measure(&r, dsn, workers, todo, rows, report, err,
				 n)) != IBX_OK)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	report->seconds = (double)(t1.tv_sec - t0.tv_sec) +
			  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (report->months > 0) {
		snprintf(last, sizeof(last), "%s-01", report->last);
		v[0] = last;
		if ((rv = ibx_db_exec(db, SQL_YEAR_MONTHS, 1, v, &yr)) !=
		    IBX_OK)
			goto out;
		report->measured_year = atoi(ibx_db_result_value(yr, 0, 0));
	}
	/* The years whose December is measured now, each once. */
	ibx_db_result_free(years);
	if ((rv = ibx_db_exec(db, SQL_YEARS_DUE, 0, NULL, &years)) != IBX_OK)
		goto out;
	for (i = 0; i < (size_t)ibx_db_result_rows(years); i++) {
		const char *y = ibx_db_result_value(years, (int)i, 0);
		bool no_budget;

		if ((rv = measure_year(&r, y, report->now, &report->values,
				       &report->adjusted, &done,
				       &no_budget)) != IBX_OK) {
			snprintf(err, n, "year %s: not measured: %s", y,
				 ibx_strerror(rv));
			goto out;
		}
		report->years_no_budget += no_budget;
		if (!done)
			continue;
		if (report->years++ == 0)
			snprintf(report->year_first,
				 sizeof(report->year_first), "%s", y);
		snprintf(report->year_last, sizeof(report->year_last), "%s",
			 y);
	}
	/* Search's experience, precomputed from the release as it now is
	 * (migration 100): one statement, so searches see the old figures
	 * or the new. */
	if ((report->months > 0 || report->years > 0) &&
	    (rv = ibx_db_exec(db, "SELECT ibx_search_experience_refresh()", 0,
			      NULL, NULL)) != IBX_OK)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	report->seconds = (double)(t1.tv_sec - t0.tv_sec) +
			  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	/* What the year of the last month (or year) measured has spent. */
	if (report->months > 0 || report->years > 0) {
		char y[5];
		uint64_t a, b;
		int months;

		snprintf(y, sizeof(y), "%.4s",
			 report->months > 0 ? report->last
					    : report->year_last);
		if ((rv = year_months_rho(db, y, &a, &b, &months)) != IBX_OK)
			goto out;
		report->year_rho = (double)a / (double)b;
		report->measured_year = months;
		v[0] = y;
		if ((rv = ibx_db_exec(db, SQL_YEAR_SPENT, 1, v, &ys)) !=
		    IBX_OK)
			goto out;
		if (ibx_db_result_rows(ys) > 0)
			report->year_rho +=
			    strtod(ibx_db_result_value(ys, 0, 0), NULL);
	}
out:
	if (rv != IBX_OK && rv != IBX_EINVAL && err[0] == '\0')
		snprintf(err, n, "release failed: %s", ibx_strerror(rv));
	ibx_db_result_free(clock);
	ibx_db_result_free(todo);
	ibx_db_result_free(yr);
	ibx_db_result_free(years);
	ibx_db_result_free(ys);
	run_fini(&r);
	return (rv);
}
