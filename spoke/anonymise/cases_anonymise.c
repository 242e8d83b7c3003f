/*
 * The anonymiser's wiring; see cases_anonymise.h.  libcsv calls on_field
 * for every field and on_record at the end of every record; the first
 * record is the header.  Per row: fields are parsed into one reused
 * spoke_case_row as they arrive, the row rules run at its end, and a good
 * row of the period goes to the aggregation.  Bad rows are remembered by
 * their record ordinal; their lines are looked up once the file has been
 * read (spoke_csv_lines), so the common case pays nothing for line
 * numbers.  The row buffer, which holds the last patient reference read,
 * is wiped before returning.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cases_agg.h"
#include "cases_anonymise.h"
#include "cases_cap.h"
#include "cases_csv.h"
#include "cases_header.h"
#include "cases_row.h"

struct run {
	const spoke_cases_opts *o;
	spoke_cases_report *rep;
	spoke_cases_agg *agg;
	spoke_cases_cap *cap; /* the contribution caps, before agg */
	int period;	      /* ibx_period_index of o->period */
	size_t col;	      /* fields of the current record so far */
	uint64_t record;      /* ordinal of the current record (0: header) */
	bool in_header;
	bool nonempty; /* a field of the current record held text */
	bool stop;     /* a failure: ignore the rest */
	ibx_err failure;
	char *names[SPOKE_HEADER_FIELDS_MAX]; /* the header's fields */
	size_t nnames;
	spoke_cases_header header;
	spoke_case_parser parse[SPOKE_HEADER_FIELDS_MAX]; /* by field */
	bool mapped[SPOKE_HEADER_FIELDS_MAX]; /* the field's column has value
						 lines in the map */
	/* The bad rows the report lists, until their lines are known. */
	uint64_t bad_record[SPOKE_MSGS_MAX];
	char *bad_text[SPOKE_MSGS_MAX];
	char *bad_codes[SPOKE_MSGS_MAX];
	size_t nbad;
	spoke_case_row row;
};

/* Kept out of line: on_field runs 16 million times for a million rows,
 * this once per header field. */
static void __attribute__((noinline, cold))
header_field(struct run *r, size_t col, const char *s, size_t len)
{
	if (col < SPOKE_HEADER_FIELDS_MAX &&
	    (r->names[col] = malloc(len + 1)) != NULL) {
		memcpy(r->names[col], s, len);
		r->names[col][len] = '\0';
	}
	r->nnames = col + 1;
}

static void
on_field(void *s, size_t len, void *arg)
{
	struct run *r = arg;
	size_t col = r->col++;
	spoke_case_parser parse;

	if (r->in_header) {
		header_field(r, col, s, len);
		return;
	}
	if (len == 0)
		return;
	r->nonempty = true;
	if (col < r->header.nfields && (parse = r->parse[col]) != NULL) {
		const char *ours;
		size_t olen;

		if (r->mapped[col] &&
		    (ours = spoke_cases_map_value(
			 r->o->map, (spoke_case_col)r->header.col[col], s, len,
			 &olen)) != NULL) {
			s = (void *)ours;
			len = olen;
		}
		parse(&r->row, s, len);
	}
}

static void
fail(struct run *r, ibx_err rv)
{
	r->failure = rv;
	r->stop = true;
}

static void
end_header(struct run *r)
{
	size_t i, n = r->nnames;

	r->in_header = false;
	if (n > SPOKE_HEADER_FIELDS_MAX)
		n = SPOKE_HEADER_FIELDS_MAX + 1; /* bind refuses it */
	for (i = 0; i < n && i < SPOKE_HEADER_FIELDS_MAX; i++)
		if (r->names[i] == NULL) {
			spoke_msgs_add(&r->rep->file, "out of memory");
			fail(r, IBX_ENOMEM);
			return;
		}
	if (spoke_cases_header_bind((const char *const *)r->names, n,
				    r->o->map, &r->header,
				    &r->rep->file) != IBX_OK) {
		fail(r, IBX_EINVAL);
		return;
	}
	for (i = 0; i < r->header.nfields; i++) {
		r->parse[i] = r->header.col[i] >= 0
				  ? spoke_case_row_parser(
					(spoke_case_col)r->header.col[i])
				  : NULL;
		r->mapped[i] = r->header.col[i] >= 0 && r->o->map != NULL &&
			       r->o->map->has_values[r->header.col[i]];
	}
}

/* Keep a bad row for the report (the first SPOKE_MSGS_MAX). */
static void
keep_bad(struct run *r, uint64_t record)
{
	char *text;

	if (r->nbad == SPOKE_MSGS_MAX)
		return;
	if ((text = malloc(r->row.text_len + 1)) == NULL) {
		r->rep->bad.more++; /* counted, not listed */
		return;
	}
	memcpy(text, r->row.text, r->row.text_len + 1);
	r->bad_codes[r->nbad] = strdup(r->row.codes);
	r->bad_record[r->nbad] = record;
	r->bad_text[r->nbad++] = text;
}

static void
on_record(int ch, void *arg)
{
	struct run *r = arg;
	spoke_cases_report *rep = r->rep;
	spoke_case_row *row = &r->row;
	size_t nfields = r->col;
	uint64_t record = r->record++;

	(void)ch;
	r->col = 0;
	if (r->stop)
		return;
	if (r->in_header) {
		end_header(r);
		goto next;
	}
	rep->rows++;
	if (!r->nonempty) {
		rep->blank_rows++;
		goto next;
	}
	if (nfields != r->header.nfields) {
		/* The values are not where the header says: report only
		 * that, not what the shifted fields look like. */
		spoke_case_row_reset(row, row->describe);
		spoke_case_row_problem(row, "row_fields",
				       "%zu fields, the header has %zu",
				       nfields, r->header.nfields);
	} else
		spoke_case_row_finish(row, r->header.has);
	if (spoke_case_row_ok(row) &&
	    spoke_case_row_referral(row, r->o->referrals)) {
		/* A visit the receiving hospital reported: its statistics
		 * count it, so it is counted nowhere here, not even
		 * against the caps (docs/case-records.md). */
		if (spoke_date_period(&row->first_visit) == r->period)
			rep->referral_visited++;
		goto next;
	}
	if (!spoke_case_row_ok(row)) {
		if (row->describe)
			keep_bad(r, record);
		rep->bad_rows++;
	} else {
		int period = spoke_date_period(&row->first_visit);
		spoke_agg_episode e;

		/* The period's episodes and the earlier ones of its year
		 * go through the caps (cases_cap.h); the rest is ignored. */
		if (period == r->period) {
			rep->in_period++;
			if ((row->seen & 1u << SPOKE_COL_REFERRAL_ID) != 0)
				rep->referral_rows++;
		} else
			rep->other_periods++;
		if (period > r->period && period / 12 == r->period / 12 &&
		    period > rep->later_in_year)
			rep->later_in_year = period;
		spoke_cases_agg_episode(r->agg, row, &e);
		if (spoke_cases_cap_add(r->cap, &e, period,
					row->first_visit.days) != IBX_OK) {
			spoke_msgs_add(&rep->file, "out of memory");
			fail(r, IBX_ENOMEM);
		}
		explicit_bzero(&e, sizeof(e));
	}
next:
	r->nonempty = false;
	spoke_case_row_reset(row, rep->bad_rows < SPOKE_MSGS_MAX);
}

/* About how many rows a file of this size holds: a case record takes 80
 * bytes or more; 0 when the size is unknown (a pipe, memory). */
static uint64_t
rows_hint(FILE *f)
{
	struct stat st;
	int fd = fileno(f);

	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return (0);
	return ((uint64_t)st.st_size / 80);
}

static void
on_progress(void *arg, uint64_t bytes)
{
	struct run *r = arg;

	spoke_progress_update(r->o->progress, bytes, r->rep->rows);
}

/* Put the kept bad rows and a CSV failure into the report, with the lines
 * they are on (a second look at the file); "record N" where the file
 * cannot be read again. */
static void
report_lines(struct run *r, FILE *f, const spoke_csv_error *cerr)
{
	uint64_t lines[SPOKE_MSGS_MAX], eline = 0;
	size_t i;

	if (r->nbad > 0 || cerr != NULL)
		(void)spoke_csv_lines(f, r->bad_record, r->nbad, lines,
				      cerr != NULL ? &eline : NULL);
	for (i = 0; i < r->nbad; i++) {
		if (lines[i] > 0)
			spoke_msgs_add(&r->rep->bad, "line %llu: %s",
				       (unsigned long long)lines[i],
				       r->bad_text[i]);
		else
			spoke_msgs_add(&r->rep->bad, "record %llu: %s",
				       (unsigned long long)r->bad_record[i],
				       r->bad_text[i]);
		/* Kept in step with bad: one entry per listed row. */
		if (r->rep->bad_codes.n < r->rep->bad.n)
			spoke_msgs_add(
			    &r->rep->bad_codes, "%s",
			    r->bad_codes[i] != NULL ? r->bad_codes[i] : "");
	}
	if (cerr == NULL)
		return;
	if (eline > 0)
		spoke_msgs_add(&r->rep->file, "line %llu: %s",
			       (unsigned long long)eline, cerr->reason);
	else
		spoke_msgs_add(&r->rep->file, "%s", cerr->reason);
}

ibx_err
spoke_cases_anonymise(FILE *f, const spoke_cases_opts *o,
		      spoke_cases_report *rep, ibx_case_statistics **out)
{
	spoke_csv_sink sink = {on_field, on_record, NULL, NULL, NULL};
	spoke_csv_error cerr;
	spoke_cap_limits limits = {IBX_STAT_CELLS_PER_PATIENT_MONTH,
				   IBX_STAT_CELLS_PER_PATIENT_YEAR,
				   IBX_STAT_EPISODES_PER_PATIENT_CELL};
	spoke_cap_counts counts;
	struct run *r;
	ibx_err rv;
	size_t i;

	/* The run holds the 1 KiB row and the header table: heap, not
	 * stack. */
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return (IBX_ENOMEM);
	r->o = o;
	r->rep = rep;
	r->period = ibx_period_index(o->period);
	r->in_header = true;
	spoke_case_row_reset(&r->row, true);
	sink.arg = r;
	sink.stop = &r->stop;
	if (o->progress != NULL)
		sink.progress = on_progress;
	if ((rv = spoke_cases_agg_new(o->icd10_category, rows_hint(f),
				      &r->agg)) != IBX_OK ||
	    (rv = spoke_cases_cap_new(r->period, &limits, rows_hint(f),
				      &r->cap)) != IBX_OK) {
		spoke_msgs_add(&rep->file, "cannot start the anonymiser: %s",
			       ibx_strerror(rv));
		goto out;
	}
	rv = spoke_csv_read(f, &sink, &cerr);
	if (o->progress != NULL)
		spoke_progress_end(o->progress);
	report_lines(r, f, rv != IBX_OK ? &cerr : NULL);
	if (rv != IBX_OK || (rv = r->failure) != IBX_OK)
		goto out;
	if (r->in_header) {
		spoke_msgs_add(&rep->file,
			       "the file is empty (no header line)");
		rv = IBX_EINVAL;
		goto out;
	}
	if ((rv = spoke_cases_cap_run(r->cap, r->agg, &counts)) != IBX_OK ||
	    (rv = spoke_cases_agg_finish(r->agg)) != IBX_OK ||
	    (rv = spoke_cases_agg_statistics(r->agg, o->period, out)) !=
		IBX_OK) {
		spoke_msgs_add(&rep->file, "out of memory");
		goto out;
	}
	/* The cells were built under the caps: say so to the hub. */
	(*out)->cells_per_patient_month = limits.month;
	(*out)->cells_per_patient_year = limits.year;
	rep->cells = spoke_cases_agg_cells(r->agg);
	rep->capped = true;
	rep->cap_month = limits.month;
	rep->cap_year = limits.year;
	rep->cap_episodes = limits.episodes;
	rep->dropped_episodes = counts.dropped_episodes;
	rep->dropped_month = counts.dropped_month;
	rep->dropped_year = counts.dropped_year;
	rep->patients_capped = counts.patients_capped;
out:
	spoke_cases_cap_free(r->cap);
	spoke_cases_agg_free(r->agg);
	for (i = 0; i < SPOKE_HEADER_FIELDS_MAX; i++)
		free(r->names[i]);
	for (i = 0; i < r->nbad; i++) {
		free(r->bad_text[i]);
		free(r->bad_codes[i]);
	}
	explicit_bzero(&r->row, sizeof(r->row));
	free(r);
	return (rv);
}
