/*
 * What reading a case-record file found, for the person who runs the
 * spoke: counts of rows (read, blank, bad, in the period, in other
 * periods), the first bad rows with every problem of each (line, column,
 * reason), and problems with the file as a whole (its header, its CSV
 * syntax, the column map).  Messages never quote a patient reference.
 */
#ifndef SPOKE_CASES_REPORT_H
#define SPOKE_CASES_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Most messages a list keeps; the rest are only counted. */
#define SPOKE_MSGS_MAX 100

/* A bounded list of messages. */
typedef struct spoke_msgs {
	char *items[SPOKE_MSGS_MAX]; /* owned */
	size_t n;		     /* kept */
	uint64_t more;		     /* counted past SPOKE_MSGS_MAX */
} spoke_msgs;

/* spoke_msgs_add: add a printf-style message, or count it when the list
 * is full (or memory runs out). */
void spoke_msgs_add(spoke_msgs *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* spoke_msgs_total: kept plus counted. */
uint64_t spoke_msgs_total(const spoke_msgs *m);

/* spoke_msgs_fini: free the messages; the list is empty afterwards.  NULL
 * is fine. */
void spoke_msgs_fini(spoke_msgs *m);

typedef struct spoke_cases_report {
	uint64_t rows;		/* records after the header, blank ones too */
	uint64_t blank_rows;	/* records with every field empty: skipped */
	uint64_t bad_rows;	/* records with a problem */
	uint64_t in_period;	/* good records of the period: aggregated */
	uint64_t other_periods; /* good records of other periods: ignored */
	uint64_t cells;		/* cells the good records of the period make */
	/* The contribution caps (cases_cap.h), once the cells are built:
	 * the caps, and the period's episodes each one dropped. */
	bool capped;
	unsigned cap_month, cap_year, cap_episodes;
	uint64_t dropped_episodes; /* over cap_episodes in one cell */
	uint64_t dropped_month;	   /* over cap_month cells in the month */
	uint64_t dropped_year;	   /* over cap_year cells in the year */
	uint64_t patients_capped;  /* patients with a dropped episode */
	/* Referral ids (cases_referrals.h): the period's good rows that
	 * carry one and are counted, and those left out because the
	 * receiving hospital reported the referral visited. */
	uint64_t referral_rows;
	uint64_t referral_visited;
	int later_in_year; /* the last period (ibx_period_index) of the year
			      after the period with a good row, or 0 */
	spoke_msgs bad;	   /* "line 7: column \"sex\": ..." */
	spoke_msgs file;   /* "header: missing column \"icd10\"" */
	/* bad's rows again, entry i for bad.items[i], by reason code
	 * (spoke_case_row's codes) for pages in other languages. */
	spoke_msgs bad_codes;
} spoke_cases_report;

/* spoke_cases_report_init / _fini: an empty report; free its messages. */
void spoke_cases_report_init(spoke_cases_report *r);
void spoke_cases_report_fini(spoke_cases_report *r);

/* spoke_cases_report_print: write the report about file path (period
 * YYYY-MM) to f: the file's problems, the listed bad rows and how many
 * more there were, then one summary line, and one line on what the
 * contribution caps dropped when the period had episodes.  skipping: the bad
 * rows are being left out (--skip-bad-rows) rather than refusing the file. */
void spoke_cases_report_print(FILE *f, const char *path, const char *period,
			      const spoke_cases_report *r, bool skipping);

#endif /* SPOKE_CASES_REPORT_H */
