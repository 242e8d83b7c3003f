/*
 * The contribution caps the protected release rests on
 * (docs/disclosure-control.md section 2): a patient, as the hospital
 * counts patients (patient_ref), falls in at most `month` cells of the
 * hospital's reporting month, in at most `year` cells of its calendar
 * year, and counts at most `episodes` episodes in one cell.  What a
 * patient contributes beyond them is dropped, first come first kept:
 * the patient's episodes of the calendar year are taken in the order of
 * their first visit, then of their cell's keys, then of the rows in the
 * export, so the same export gives the same cells however often it is
 * read.
 *
 * A month's cells depend on the earlier months of its year in the export
 * (the caps are the year's), never on later ones: the export must hold the
 * calendar year up to the period (docs/case-records.md, "The
 * contribution caps").  The episodes are held in memory as keyed hashes
 * and packed keys only, and wiped when freed.
 */
#ifndef SPOKE_CASES_CAP_H
#define SPOKE_CASES_CAP_H

#include <stdint.h>

#include "cases_agg.h"
#include "err.h"

/* The caps; 0 leaves a cap out (for tests that show what it does). */
typedef struct spoke_cap_limits {
	unsigned month;	   /* cells per patient in the month */
	unsigned year;	   /* cells per patient in the calendar year */
	unsigned episodes; /* episodes per patient in one cell */
} spoke_cap_limits;

/* What the caps dropped of the period's episodes, by the cap that
 * dropped each (an episode is charged to the first cap it breaks, in the
 * order: same cell, month, year). */
typedef struct spoke_cap_counts {
	uint64_t kept;		   /* episodes of the period counted */
	uint64_t dropped_episodes; /* over `episodes` in a kept cell */
	uint64_t dropped_month;	   /* a new cell over `month` */
	uint64_t dropped_year;	   /* a new cell over `year` */
	uint64_t patients_capped;  /* patients with an episode dropped */
	uint64_t earlier_episodes; /* episodes of earlier months read */
} spoke_cap_counts;

typedef struct spoke_cases_cap spoke_cases_cap;

/* spoke_cases_cap_new: an empty cap stage for reporting period `period`
 * (ibx_period_index) under the limits lim.  rows_hint: about how many
 * episodes may come (0 when unknown; at most SPOKE_CAP_HINT_MAX is taken),
 * to allocate once.  IBX_ENOMEM.  Free with spoke_cases_cap_free (NULL is
 * fine), which wipes the episodes. */
ibx_err spoke_cases_cap_new(int period, const spoke_cap_limits *lim,
			    uint64_t rows_hint, spoke_cases_cap **out);

#define SPOKE_CAP_HINT_MAX (4u * 1024 * 1024)
void spoke_cases_cap_free(spoke_cases_cap *c);

/* spoke_cases_cap_add: an episode e (spoke_cases_agg_episode) whose first
 * visit is on day `day` (days since 1970-01-01) of period `period`, added
 * in the order of the export's rows (the order breaks the caps' last
 * ties).  Its visits and days are within the row's checks (0 to
 * SPOKE_VISITS_MAX and SPOKE_DAYS_MAX, cases_row.h).  Episodes of another
 * calendar year, or after the period, are not the cap's business and are
 * ignored.  The episode is copied.  IBX_ENOMEM. */
ibx_err spoke_cases_cap_add(spoke_cases_cap *c, const spoke_agg_episode *e,
			    int period, int32_t day);

/* spoke_cases_cap_run: apply the caps to every episode added, count the
 * kept episodes of the period into a (spoke_cases_agg_add_episode) and
 * the outcome into *counts.  Once only.  IBX_ENOMEM from a. */
ibx_err spoke_cases_cap_run(spoke_cases_cap *c, spoke_cases_agg *a,
			    spoke_cap_counts *counts);

#endif /* SPOKE_CASES_CAP_H */
