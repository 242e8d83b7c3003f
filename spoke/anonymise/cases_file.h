/*
 * A case-record file in, a statistics submission out, with the report on
 * the operator's terminal: the column map is loaded, the file opened and
 * anonymised (cases_anonymise.h) with a progress bar, the report printed,
 * and the submission refused when the file had bad rows unless they are
 * to be skipped.  What inbound-spoke stats does before it checks and
 * sends.
 */
#ifndef SPOKE_CASES_FILE_H
#define SPOKE_CASES_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"
#include "statistics.h"

typedef struct spoke_cases_file_opts {
	const char *path;    /* the CSV export */
	const char *map;     /* a column map file, or NULL */
	const char *period;  /* YYYY-MM */
	bool icd10_category; /* --icd10-level category */
	bool skip_bad_rows;  /* send the good rows of a file with bad ones */
	bool nil_if_empty;   /* no episodes in the period: a nil report */
	/* The last period the caller sends in this run (inbound-spoke stats
	 * --until, else --period), or NULL.  Reading that period, the report
	 * names the later months of its year the file holds and this run
	 * does not send: their cells depend on this month's episodes (the
	 * contribution caps, cases_cap.h). */
	const char *until;
	/* The referral ledger (cases_referrals.h, STATE/referrals.tsv) that
	 * checks the referral_id column, or NULL: a file with referral ids
	 * is then refused row by row. */
	const char *referrals;
	FILE *report; /* where the report and progress bar go */
} spoke_cases_file_opts;

/* spoke_cases_file_read: read o->path as above.  IBX_OK with *out a new
 * submission (ibx_statistics_free; no organisation code, maybe no cells:
 * then the report suggests a nil report, or with o->nil_if_empty the
 * submission is one, when the file had no bad row at all: a bad row might
 * have been an episode of the period).  IBX_EINVAL when the map or the
 * file is refused, or when it has bad rows and o->skip_bad_rows is false;
 * IBX_EIO when it cannot be opened or read; IBX_ENOMEM, IBX_ECRYPTO.  The
 * reasons have been written to o->report. */
ibx_err spoke_cases_file_read(const spoke_cases_file_opts *o,
			      ibx_case_statistics **out);

#endif /* SPOKE_CASES_FILE_H */
