/*
 * The case-record anonymiser: a hospital's CSV export in, the statistics
 * cells of one reporting period out.  It wires the CSV reader
 * (cases_csv.h), the header and column map (cases_header.h), the row rules
 * (cases_row.h) and the aggregation (cases_agg.h), and fills the report
 * (cases_report.h).  Every row is checked whatever its period, so a file
 * that passes for one month passes for all; only good rows whose first
 * visit falls in the period are counted.  Deciding whether bad rows refuse
 * the file is the caller's (--skip-bad-rows).
 */
#ifndef SPOKE_CASES_ANONYMISE_H
#define SPOKE_CASES_ANONYMISE_H

#include <stdbool.h>
#include <stdio.h>

#include "cases_map.h"
#include "cases_progress.h"
#include "cases_referrals.h"
#include "cases_report.h"
#include "err.h"
#include "statistics.h"

typedef struct spoke_cases_opts {
	const char *period;	    /* YYYY-MM (ibx_period_valid) */
	bool icd10_category;	    /* 3-character categories, else chapters */
	const spoke_cases_map *map; /* NULL: every column under its name */
	spoke_progress *progress;   /* NULL: no progress bar */
	/* The organisation's referral ledger, which checks the referral_id
	 * column and leaves out the visits a receiving hospital reported;
	 * NULL: a row with a referral id is refused (it cannot be
	 * checked). */
	const spoke_referral_ledger *referrals;
} spoke_cases_opts;

/* spoke_cases_anonymise: read the case records in f (a CSV file, read to
 * its end in pieces) and aggregate the good rows of o->period.  Returns
 * IBX_OK with *out a new submission (free with ibx_statistics_free; no
 * organisation code, not marked nil, its cells sorted, maybe none) and
 * rep counting rows and listing the first bad ones.  A file that cannot be
 * read as case records (no header, a missing column, malformed CSV, a
 * read error) returns IBX_EINVAL, IBX_ETOOBIG or IBX_EIO with the reason
 * in rep->file and *out untouched; IBX_ENOMEM and IBX_ECRYPTO (no random
 * key) likewise.  rep must have been initialised (spoke_cases_report_init)
 * and is the caller's to free. */
ibx_err spoke_cases_anonymise(FILE *f, const spoke_cases_opts *o,
			      spoke_cases_report *rep,
			      ibx_case_statistics **out);

#endif /* SPOKE_CASES_ANONYMISE_H */
