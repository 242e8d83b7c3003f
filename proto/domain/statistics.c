/*
 * Case statistics: the struct and the rules of a submission; see
 * statistics.h.  The vocabularies follow docs/case-records.md.
 */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codes.h"
#include "codes_table.h"
#include "listing.h"
#include "statistics.h"

ibx_case_statistics *
ibx_statistics_new(void)
{
	ibx_case_statistics *s = calloc(1, sizeof(*s));

	if (s != NULL)
		strcpy(s->icd10_level, "chapter");
	return (s);
}

void
ibx_statistics_free(ibx_case_statistics *s)
{
	if (s == NULL)
		return;
	free(s->cells);
	free(s);
}

ibx_err
ibx_statistics_add_cell(ibx_case_statistics *s, const ibx_stat_cell *c)
{
	ibx_stat_cell *cells;
	size_t cap;

	/* The growth below doubles at powers of two: it relies on n_cells
	 * changing only here. */
	assert(s != NULL && c != NULL);
	if (s->n_cells >= IBX_STATISTICS_MAX_CELLS)
		return (IBX_ETOOBIG);
	/* Grow by doubling: capacity is the next power of two. */
	if ((s->n_cells & (s->n_cells - 1)) == 0) {
		cap = s->n_cells == 0 ? 16 : s->n_cells * 2;
		if ((cells = realloc(s->cells, cap * sizeof(*cells))) == NULL)
			return (IBX_ENOMEM);
		s->cells = cells;
	}
	s->cells[s->n_cells++] = *c;
	return (IBX_OK);
}

bool
ibx_period_valid(const char *p)
{
	int y, m;

	if (p == NULL || strlen(p) != 7 || p[4] != '-')
		return (false);
	if (!ibx_digits((char[]){p[0], p[1], p[2], p[3], 0}, 4) ||
	    !ibx_digits((char[]){p[5], p[6], 0}, 2))
		return (false);
	y = atoi(p);
	m = atoi(p + 5);
	return (y >= 2000 && m >= 1 && m <= 12);
}

int
ibx_period_index(const char *p)
{
	return (atoi(p) * 12 + atoi(p + 5) - 1);
}

/* A yes or a no (remote_second_opinion_first has no third answer). */
static bool
yes_or_no(const char *s)
{
	int i = ibx_code_index(IBX_LIST_ANSWER, s);

	return (i == IBX_ANSWER_YES || i == IBX_ANSWER_NO);
}

bool
ibx_stat_cell_same_keys(const ibx_stat_cell *a, const ibx_stat_cell *b)
{
	return (strcmp(a->nationality, b->nationality) == 0 &&
		strcmp(a->purpose, b->purpose) == 0 &&
		strcmp(a->icd10, b->icd10) == 0 &&
		strcmp(a->age_band, b->age_band) == 0 &&
		strcmp(a->sex, b->sex) == 0 &&
		strcmp(a->referral_channel, b->referral_channel) == 0 &&
		strcmp(a->referral_org, b->referral_org) == 0 &&
		strcmp(a->remote_second_opinion_first,
		       b->remote_second_opinion_first) == 0 &&
		strcmp(a->medical_stay_visa, b->medical_stay_visa) == 0);
}

/* Order of cells by their keys, for finding repeats in n log n. */
static int
cmp_keys(const void *pa, const void *pb)
{
	const ibx_stat_cell *a = *(ibx_stat_cell *const *)pa;
	const ibx_stat_cell *b = *(ibx_stat_cell *const *)pb;
	int c;

	if ((c = strcmp(a->nationality, b->nationality)) != 0 ||
	    (c = strcmp(a->purpose, b->purpose)) != 0 ||
	    (c = strcmp(a->icd10, b->icd10)) != 0 ||
	    (c = strcmp(a->age_band, b->age_band)) != 0 ||
	    (c = strcmp(a->sex, b->sex)) != 0 ||
	    (c = strcmp(a->referral_channel, b->referral_channel)) != 0 ||
	    (c = strcmp(a->referral_org, b->referral_org)) != 0 ||
	    (c = strcmp(a->remote_second_opinion_first,
			b->remote_second_opinion_first)) != 0)
		return (c);
	if ((c = strcmp(a->medical_stay_visa, b->medical_stay_visa)) != 0)
		return (c);
	return (a < b ? -1 : a > b);
}

static void
check_icd10(ibx_problems *p, const char *path, const char *level,
	    const char *code)
{
	char *end;
	long ch;

	if (strcmp(level, "category") == 0) {
		if (ibx_code_icd10_chapter(code) == 0)
			ibx_problems_add(
			    p, path,
			    "unknown ICD-10 3-character category \"%.3s\"",
			    code);
		return;
	}
	ch = strtol(code, &end, 10);
	if (*code == '\0' || *end != '\0' || ch < 1 || ch > 22)
		ibx_problems_add(p, path,
				 "unknown ICD-10 chapter \"%.3s\" (1 to 22)",
				 code);
}

/* A clipped sum beside its exact one (statistics.h): each patient's part
 * clipped at bound, so from min(exact, bound) to min(exact, bound x
 * patients).  Only when the exact sum and the patients are themselves in
 * range (else reported on those fields; the products stay far below
 * 2^63). */
static void
check_clipped(ibx_problems *p, size_t i, const char *name, int64_t clipped,
	      int64_t exact, int64_t max, int64_t bound, int64_t patients)
{
	char path[64];
	int64_t low = exact < bound ? exact : bound;

	if (exact < 0 || exact > max || patients < 1 ||
	    patients > IBX_STAT_PATIENTS_MAX)
		return;
	snprintf(path, sizeof(path), "cells[%zu].%s", i, name);
	if (clipped > exact)
		ibx_problems_add(p, path,
				 "%lld is above the exact sum %lld (each "
				 "patient's part clipped, never raised)",
				 (long long)clipped, (long long)exact);
	else if (clipped > bound * patients)
		ibx_problems_add(
		    p, path,
		    "%lld is above the bound %lld x %lld patients "
		    "(what one patient may add to a cell)",
		    (long long)clipped, (long long)bound, (long long)patients);
	else if (clipped < low)
		ibx_problems_add(
		    p, path,
		    "missing or %lld, below %lld (the exact sum %lld with "
		    "each patient's part clipped at %lld cannot be less); "
		    "update the spoke",
		    (long long)clipped, (long long)low, (long long)exact,
		    (long long)bound);
}

static void
check_cell(ibx_problems *p, const ibx_case_statistics *s, size_t i)
{
	const ibx_stat_cell *c = &s->cells[i];
	char path[64];

#define CELL_PATH(f) snprintf(path, sizeof(path), "cells[%zu].%s", i, f)
	CELL_PATH("nationality");
	if (!ibx_code_country(c->nationality))
		ibx_problems_add(p, path, "unknown ISO 3166-1 alpha-2 code");
	CELL_PATH("purpose");
	if (!ibx_code_valid(IBX_LIST_PURPOSE, c->purpose))
		ibx_problems_add(p, path, "unknown purpose");
	CELL_PATH("icd10");
	check_icd10(p, path, s->icd10_level, c->icd10);
	CELL_PATH("age_band");
	if (!ibx_code_valid(IBX_LIST_AGE_BAND, c->age_band))
		ibx_problems_add(p, path, "unknown age band");
	CELL_PATH("sex");
	if (!ibx_code_valid(IBX_LIST_SEX, c->sex))
		ibx_problems_add(p, path, "must be male, female or unknown");
	CELL_PATH("referral_channel");
	if (!ibx_code_valid(IBX_LIST_REFERRAL_CHANNEL, c->referral_channel))
		ibx_problems_add(p, path, "unknown referral channel");
	CELL_PATH("referral_org");
	if (ibx_code_index(IBX_LIST_REFERRAL_CHANNEL, c->referral_channel) ==
		    IBX_CHANNEL_COORDINATOR
		? !ibx_digits(c->referral_org, 10)
		: c->referral_org[0] != '\0')
		ibx_problems_add(
		    p, path,
		    "a coordinator's 10-digit code, only with the "
		    "coordinator channel");
	CELL_PATH("remote_second_opinion_first");
	if (!yes_or_no(c->remote_second_opinion_first))
		ibx_problems_add(p, path, "must be yes or no");
	CELL_PATH("medical_stay_visa");
	if (!ibx_code_valid(IBX_LIST_ANSWER, c->medical_stay_visa))
		ibx_problems_add(p, path, "must be yes, no or unknown");
	CELL_PATH("episodes");
	if (c->episodes > IBX_STAT_EPISODES_MAX)
		ibx_problems_add(p, path, "%lld is above the bound %lld",
				 (long long)c->episodes,
				 (long long)IBX_STAT_EPISODES_MAX);
	CELL_PATH("patients");
	if (c->patients > IBX_STAT_PATIENTS_MAX)
		ibx_problems_add(p, path, "%lld is above the bound %lld",
				 (long long)c->patients,
				 (long long)IBX_STAT_PATIENTS_MAX);
	else if (c->patients < 1 || c->patients > c->episodes)
		ibx_problems_add(
		    p, path, "%lld must be from 1 to the episodes (%lld)",
		    (long long)c->patients, (long long)c->episodes);
	else if (c->episodes <= IBX_STAT_EPISODES_MAX &&
		 c->episodes > (int64_t)IBX_STAT_EPISODES_PER_PATIENT_CELL *
				   c->patients &&
		 CELL_PATH("episodes") > 0)
		ibx_problems_add(
		    p, path,
		    "%lld episodes of %lld patients, more than %d per patient "
		    "(the release's contribution cap)",
		    (long long)c->episodes, (long long)c->patients,
		    IBX_STAT_EPISODES_PER_PATIENT_CELL);
	CELL_PATH("inpatient_episodes");
	if (c->inpatient_episodes < 0 || c->inpatient_episodes > c->episodes)
		ibx_problems_add(
		    p, path, "%lld must be from 0 to the episodes (%lld)",
		    (long long)c->inpatient_episodes, (long long)c->episodes);
	CELL_PATH("inpatient_days");
	if (c->inpatient_days < 0)
		ibx_problems_add(p, path, "must not be negative");
	else if (c->inpatient_days > IBX_STAT_INPATIENT_DAYS_MAX)
		ibx_problems_add(p, path, "%lld is above the bound %lld",
				 (long long)c->inpatient_days,
				 (long long)IBX_STAT_INPATIENT_DAYS_MAX);
	else if (c->inpatient_days > 0 && c->inpatient_episodes == 0)
		ibx_problems_add(p, path,
				 "%lld days without an inpatient episode",
				 (long long)c->inpatient_days);
	else if (c->inpatient_episodes > 0 && c->inpatient_days == 0)
		ibx_problems_add(p, path,
				 "inpatient episodes with no inpatient day");
	CELL_PATH("outpatient_visits");
	if (c->outpatient_visits < 0)
		ibx_problems_add(p, path, "must not be negative");
	else if (c->outpatient_visits > IBX_STAT_VISITS_MAX)
		ibx_problems_add(p, path, "%lld is above the bound %lld",
				 (long long)c->outpatient_visits,
				 (long long)IBX_STAT_VISITS_MAX);
	CELL_PATH("charge_jpy");
	if (c->charge_jpy < 0)
		ibx_problems_add(p, path, "must not be negative");
	else if (c->charge_jpy > IBX_STAT_CHARGE_JPY_MAX)
		ibx_problems_add(p, path, "%lld is above the bound %lld",
				 (long long)c->charge_jpy,
				 (long long)IBX_STAT_CHARGE_JPY_MAX);
#undef CELL_PATH
	check_clipped(p, i, "outpatient_visits_clipped",
		      c->outpatient_visits_clipped, c->outpatient_visits,
		      IBX_STAT_VISITS_MAX, IBX_STAT_VISITS_PER_PATIENT_CELL,
		      c->patients);
	check_clipped(p, i, "inpatient_days_clipped",
		      c->inpatient_days_clipped, c->inpatient_days,
		      IBX_STAT_INPATIENT_DAYS_MAX,
		      IBX_STAT_DAYS_PER_PATIENT_CELL, c->patients);
	check_clipped(p, i, "charge_jpy_clipped", c->charge_jpy_clipped,
		      c->charge_jpy, IBX_STAT_CHARGE_JPY_MAX,
		      IBX_STAT_CHARGE_JPY_PER_PATIENT_CELL, c->patients);
}

/* The measures' sums over the submission, each at most its bound.  Cells
 * are checked first: a cell out of its own bound is reported there, and
 * with every cell in bounds no sum can overflow (see statistics.h). */
static void
check_sums(ibx_problems *p, const ibx_case_statistics *s)
{
	static const struct {
		const char *name;
		size_t offset;
		long long max;
	} measures[] = {
	    {"patients", offsetof(ibx_stat_cell, patients),
	     IBX_STAT_PATIENTS_MAX},
	    {"episodes", offsetof(ibx_stat_cell, episodes),
	     IBX_STAT_EPISODES_MAX},
	    {"outpatient_visits", offsetof(ibx_stat_cell, outpatient_visits),
	     IBX_STAT_VISITS_MAX},
	    {"inpatient_days", offsetof(ibx_stat_cell, inpatient_days),
	     IBX_STAT_INPATIENT_DAYS_MAX},
	    {"charge_jpy", offsetof(ibx_stat_cell, charge_jpy),
	     IBX_STAT_CHARGE_JPY_MAX},
	};
	size_t i, m;

	for (m = 0; m < sizeof(measures) / sizeof(measures[0]); m++) {
		int64_t sum = 0, v;

		for (i = 0; i < s->n_cells; i++) {
			memcpy(&v,
			       (const char *)&s->cells[i] + measures[m].offset,
			       sizeof(v));
			if (v < 0 || v > measures[m].max)
				return; /* reported on the cell */
			sum += v;
		}
		if (sum > measures[m].max)
			ibx_problems_add(
			    p, "cells",
			    "sum of %s over the submission %lld is above the "
			    "bound %lld",
			    measures[m].name, (long long)sum,
			    (long long)measures[m].max);
	}
}

/* The caps a submission with cells was built with: stated, and no looser
 * than the release's (an old or altered spoke cannot break the bound of
 * docs/disclosure-control.md section 2 unnoticed). */
static void
check_caps(ibx_problems *p, const ibx_case_statistics *s)
{
	if (s->cells_per_patient_month == 0)
		ibx_problems_add(p, "cells_per_patient_month",
				 "not stated: the cells must be built with "
				 "the contribution cap (at most %u cells per "
				 "patient and month); update the spoke",
				 IBX_STAT_CELLS_PER_PATIENT_MONTH);
	else if (s->cells_per_patient_month > IBX_STAT_CELLS_PER_PATIENT_MONTH)
		ibx_problems_add(p, "cells_per_patient_month",
				 "%u is above the release's cap of %u",
				 s->cells_per_patient_month,
				 IBX_STAT_CELLS_PER_PATIENT_MONTH);
	if (s->cells_per_patient_year == 0)
		ibx_problems_add(p, "cells_per_patient_year",
				 "not stated: the cells must be built with "
				 "the contribution cap (at most %u cells per "
				 "patient and calendar year); update the "
				 "spoke",
				 IBX_STAT_CELLS_PER_PATIENT_YEAR);
	else if (s->cells_per_patient_year > IBX_STAT_CELLS_PER_PATIENT_YEAR)
		ibx_problems_add(p, "cells_per_patient_year",
				 "%u is above the release's cap of %u",
				 s->cells_per_patient_year,
				 IBX_STAT_CELLS_PER_PATIENT_YEAR);
}

static void
check_repeats(ibx_problems *p, const ibx_case_statistics *s)
{
	const ibx_stat_cell **order;
	char path[64];
	size_t i;

	if (s->n_cells < 2 ||
	    (order = malloc(s->n_cells * sizeof(*order))) == NULL)
		return;
	for (i = 0; i < s->n_cells; i++)
		order[i] = &s->cells[i];
	qsort(order, s->n_cells, sizeof(*order), cmp_keys);
	for (i = 1; i < s->n_cells; i++)
		if (ibx_stat_cell_same_keys(order[i - 1], order[i])) {
			snprintf(path, sizeof(path), "cells[%zu]",
				 (size_t)(order[i] - s->cells));
			ibx_problems_add(p, path,
					 "repeats the keys of cells[%zu]",
					 (size_t)(order[i - 1] - s->cells));
		}
	free(order);
}

ibx_err
ibx_statistics_check(const ibx_case_statistics *s, const char *now_period,
		     ibx_problems *p)
{
	size_t before = ibx_problems_count(p), i;

	if (!ibx_digits(s->organisation_code, 10))
		ibx_problems_add(p, "organisation_code", "must be 10 digits");
	if (!ibx_period_valid(s->period))
		ibx_problems_add(p, "period", "must be YYYY-MM from 2000-01");
	else if (now_period != NULL &&
		 ibx_period_index(s->period) > ibx_period_index(now_period))
		ibx_problems_add(p, "period", "%s is in the future (now %s)",
				 s->period, now_period);
	if (strcmp(s->icd10_level, "chapter") != 0 &&
	    strcmp(s->icd10_level, "category") != 0)
		ibx_problems_add(p, "icd10_level",
				 "must be chapter or category");
	if (s->nil_report && s->n_cells > 0)
		ibx_problems_add(p, "nil_report",
				 "a nil report carries no cells (%zu given)",
				 s->n_cells);
	if (!s->nil_report && s->n_cells == 0)
		ibx_problems_add(
		    p, "cells",
		    "no cells: send an explicit nil report instead");
	if (s->n_cells > 0)
		check_caps(p, s);
	for (i = 0; i < s->n_cells; i++)
		check_cell(p, s, i);
	check_sums(p, s);
	check_repeats(p, s);
	return (ibx_problems_count(p) > before ? IBX_EINVAL : IBX_OK);
}

const char *const *
ibx_stat_vocabulary(const char *key, size_t *n)
{
	static const struct {
		const char *key;
		ibx_code_list_id list;
	} lists[] = {
	    {"purpose", IBX_LIST_PURPOSE},
	    {"age_band", IBX_LIST_AGE_BAND},
	    {"sex", IBX_LIST_SEX},
	    {"referral_channel", IBX_LIST_REFERRAL_CHANNEL},
	    {"medical_stay_visa", IBX_LIST_ANSWER},
	    {"nationality", IBX_LIST_COUNTRY},
	};
	size_t i;

	for (i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (strcmp(key, lists[i].key) == 0)
			return (ibx_code_list(lists[i].list, n));
	*n = 0;
	return (NULL);
}
