/*
 * One look at the sources the agent watches: the organisation's listing
 * file and the folder the hospital's system exports case records to.
 * Whatever changed since it was last sealed (agent_watch.h) is checked,
 * sealed and appended to the outbox; sending is agent_drain.h's.
 *
 * Case-record exports: every regular file NAME.csv in the folder (not
 * starting with '.', so an export written under a dot name and renamed
 * when complete is read only whole).  A new or changed file is sent as
 * one submission per reporting period its rows hold (agent_periods.h),
 * up to the current month: a file with last year's episodes sends twelve.
 * A file whose rows are refused (bad rows without --skip-bad-rows, a
 * header problem) sends nothing until it changes.
 *
 * Nil reports (nil_from, inbound-spoke run --nil-from): each closed month
 * from nil_from to the month before the current one for which no export
 * in the folder has a row is sent once as a nil report (no foreign
 * patients; the hub counts the hospital as reporting, docs/
 * case-records.md).  Each month so decided, nil or with rows, is recorded
 * in the watch state as "nil/YYYY-MM" and not looked at again; rows that
 * arrive later for a month reported nil are sent as the export's
 * submission, which replaces the nil report at the hub.  While an export
 * cannot be read no month is reported nil (it may hold rows for it).
 */
#ifndef SPOKE_AGENT_SCAN_H
#define SPOKE_AGENT_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "agent_status.h"
#include "agent_watch.h"
#include "envelope.h"
#include "err.h"
#include "outbox.h"

typedef struct spoke_agent_sources {
	const char *listing;   /* the listing file, or NULL */
	const char *cases_dir; /* the case-record export folder, or NULL */
	const char *map;       /* a column map for the exports, or NULL */
	bool icd10_category;   /* --icd10-level category */
	bool skip_bad_rows;    /* send the good rows of a file with bad ones */
	const char *nil_from;  /* YYYY-MM: nil reports from then on, or NULL
				* (needs cases_dir) */
	/* The referral state folder (--state), whose ledger
	 * (referrals.tsv, cases_referrals.h) checks the exports'
	 * referral_id column; NULL: none is read. */
	const char *referral_state;
} spoke_agent_sources;

/* What one scan did. */
typedef struct spoke_agent_scan_result {
	size_t sealed;	/* envelopes appended to the outbox */
	size_t refused; /* sources refused (each logged and in st->error) */
} spoke_agent_scan_result;

/* spoke_agent_scan: look at src once as above, sealing with id into ob
 * and recording in w.  Problems with a source are logged, recorded in st
 * and counted in res->refused; they are not errors.  IBX_OK; IBX_EIO,
 * IBX_ENOMEM, IBX_ETOOBIG when the outbox or the state cannot be written
 * (what was sealed before stays; the rest is tried on the next scan). */
ibx_err spoke_agent_scan(const spoke_agent_sources *src,
			 const spoke_identity *id, spoke_outbox *ob,
			 spoke_agent_watch *w, spoke_agent_status *st,
			 spoke_agent_scan_result *res);

#endif /* SPOKE_AGENT_SCAN_H */
