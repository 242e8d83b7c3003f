/*
 * Aggregation of checked case records into statistics cells: the step
 * where patient-level data ends.  A row's generalised keys (nationality
 * alpha-2, purpose, ICD-10 chapter or category, 10-year age band at first
 * visit, sex, referral channel, the coordinator's code, remote second
 * opinion first, medical stay visa) pick its cell; the cell adds one
 * episode and the row's visits, inpatient days and charge, and counts the
 * patient once however many of the cell's episodes are theirs.  Patients
 * are told apart by a keyed hash of their reference (cases_hash.h) held
 * only in memory; no reference, birth date or exact date is kept.
 * Open-addressing hash tables; no allocation per row beyond their
 * doubling.
 */
#ifndef SPOKE_CASES_AGG_H
#define SPOKE_CASES_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cases_row.h"
#include "err.h"
#include "statistics.h"

typedef struct spoke_cases_agg spoke_cases_agg;

/* spoke_cases_agg_new: an empty aggregation with a fresh random key for
 * patient references.  icd10_category: cells by 3-character ICD-10
 * category, else by chapter.  rows_hint: about how many rows may come (0
 * when unknown), to size the tables once instead of growing them; at most
 * SPOKE_AGG_HINT_MAX is taken.  IBX_ENOMEM or IBX_ECRYPTO.  Free with
 * spoke_cases_agg_free (NULL is fine), which wipes the key. */
ibx_err spoke_cases_agg_new(bool icd10_category, uint64_t rows_hint,
			    spoke_cases_agg **out);

#define SPOKE_AGG_HINT_MAX (4u * 1024 * 1024)
void spoke_cases_agg_free(spoke_cases_agg *a);

/* One episode as the aggregation counts it: the cell's packed keys, the
 * patient's keyed hash (under the aggregation's key, never written
 * anywhere) and the measures.  Filled by spoke_cases_agg_episode, so that
 * the contribution caps (cases_cap.h) can decide before it is counted. */
typedef struct spoke_agg_episode {
	uint64_t k1;	  /* keys, packed (cases_agg.c) */
	uint64_t patient; /* keyed hash of patient_ref */
	uint32_t k2;	  /* ICD-10 chapter or category */
	int32_t visits, days;
	int64_t charge;
} spoke_agg_episode;

/* spoke_cases_agg_episode: the episode of a good row (as
 * spoke_cases_agg_add takes it) into *e; nothing is counted. */
void spoke_cases_agg_episode(const spoke_cases_agg *a, const spoke_case_row *r,
			     spoke_agg_episode *e);

/* spoke_cases_agg_add_episode: count e (from spoke_cases_agg_episode of
 * this aggregation) in its cell, as spoke_cases_agg_add does a row. */
ibx_err spoke_cases_agg_add_episode(spoke_cases_agg *a,
				    const spoke_agg_episode *e);

/* spoke_cases_agg_add_alone: count e as spoke_cases_agg_add_episode does,
 * for a caller that knows e's patient has no other episode among those
 * this aggregation counts (cases_cap.c counts every patient's episodes
 * first): the patient is new in the cell and takes no place in the set of
 * patients in cells.  Given an episode whose patient has another, the
 * cell would count that patient twice. */
ibx_err spoke_cases_agg_add_alone(spoke_cases_agg *a,
				  const spoke_agg_episode *e);

/* spoke_cases_agg_reserve: at most n episodes will come through
 * spoke_cases_agg_add_episode (or spoke_cases_agg_add); the set of
 * patients in cells, not made yet, is made that large (at most
 * SPOKE_AGG_HINT_MAX is taken) instead of as the rows' hint says.  No
 * effect once the set is made.  Always IBX_OK. */
ibx_err spoke_cases_agg_reserve(spoke_cases_agg *a, uint64_t n);

/* spoke_cases_agg_add: count a good row (spoke_case_row_ok, after
 * spoke_case_row_finish) in its cell.  The row is copied; counting may be
 * held back a few rows (see spoke_cases_agg_finish).  IBX_ENOMEM when a
 * table cannot grow; every later call fails the same way. */
ibx_err spoke_cases_agg_add(spoke_cases_agg *a, const spoke_case_row *r);

/* spoke_cases_agg_finish: count the rows still held back; call once after
 * the last spoke_cases_agg_add.  IBX_ENOMEM as above. */
ibx_err spoke_cases_agg_finish(spoke_cases_agg *a);

/* spoke_cases_agg_cells: the number of cells counted so far. */
size_t spoke_cases_agg_cells(const spoke_cases_agg *a);

/* spoke_cases_agg_statistics: a new submission for period (YYYY-MM) with
 * every cell (after spoke_cases_agg_finish; IBX_EINVAL before), sorted by
 * their keys (nationality, purpose, ICD-10, age
 * band, sex, channel, coordinator, remote second opinion, visa), or an
 * empty one (n_cells 0, not marked nil) when there are none.
 * organisation_code is left empty for the caller.  The cells are not
 * limited to IBX_STATISTICS_MAX_CELLS here, so a dry run can show them
 * all; sending checks the limit.  Free with ibx_statistics_free.
 * IBX_ENOMEM. */
ibx_err spoke_cases_agg_statistics(const spoke_cases_agg *a,
				   const char *period,
				   ibx_case_statistics **out);

#endif /* SPOKE_CASES_AGG_H */
