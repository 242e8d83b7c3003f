/* The report of reading a case-record file; see cases_report.h. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cases_report.h"

void
spoke_msgs_add(spoke_msgs *m, const char *fmt, ...)
{
	va_list ap;
	char *item;
	int n;

	if (m->n >= SPOKE_MSGS_MAX) {
		m->more++;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || (item = malloc((size_t)n + 1)) == NULL) {
		m->more++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(item, (size_t)n + 1, fmt, ap);
	va_end(ap);
	m->items[m->n++] = item;
}

uint64_t
spoke_msgs_total(const spoke_msgs *m)
{
	return (m->n + m->more);
}

void
spoke_msgs_fini(spoke_msgs *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->n; i++)
		free(m->items[i]);
	memset(m, 0, sizeof(*m));
}

void
spoke_cases_report_init(spoke_cases_report *r)
{
	memset(r, 0, sizeof(*r));
}

void
spoke_cases_report_fini(spoke_cases_report *r)
{
	if (r == NULL)
		return;
	spoke_msgs_fini(&r->bad);
	spoke_msgs_fini(&r->bad_codes);
	spoke_msgs_fini(&r->file);
}

void
spoke_cases_report_print(FILE *f, const char *path, const char *period,
			 const spoke_cases_report *r, bool skipping)
{
	uint64_t dropped;
	size_t i;

	for (i = 0; i < r->file.n; i++)
		fprintf(f, "%s: case records refused: %s\n", path,
			r->file.items[i]);
	if (r->file.more > 0)
		fprintf(f, "%s: and %llu more problems with the file\n", path,
			(unsigned long long)r->file.more);
	if (r->file.n > 0)
		return;
	for (i = 0; i < r->bad.n; i++)
		fprintf(f, "%s: %s: %s\n", path,
			skipping ? "bad row skipped" : "bad row",
			r->bad.items[i]);
	if (r->bad_rows > r->bad.n)
		fprintf(f,
			"%s: and %llu more bad rows (only the first %d are "
			"listed)\n",
			path, (unsigned long long)(r->bad_rows - r->bad.n),
			SPOKE_MSGS_MAX);
	fprintf(f,
		"%s: %llu rows: %llu in %s (%llu cell%s), %llu in other "
		"periods (ignored), %llu bad%s, %llu blank\n",
		path, (unsigned long long)r->rows,
		(unsigned long long)r->in_period, period,
		(unsigned long long)r->cells, r->cells == 1 ? "" : "s",
		(unsigned long long)r->other_periods,
		(unsigned long long)r->bad_rows,
		r->bad_rows == 0 ? ""
		: skipping	 ? " (skipped: --skip-bad-rows)"
				 : " (the file is refused; nothing is sent)",
		(unsigned long long)r->blank_rows);
	if (r->referral_visited > 0)
		fprintf(
		    f,
		    "%s: referrals: %llu episode%s of %s left out: %s "
		    "referral this organisation sent, which the receiving "
		    "hospital reported visited; that hospital's statistics "
		    "count the visit (the hospital's report is "
		    "authoritative for visits), so it is counted once\n",
		    path, (unsigned long long)r->referral_visited,
		    r->referral_visited == 1 ? "" : "s", period,
		    r->referral_visited == 1 ? "its" : "each followed a");
	if (r->referral_rows > 0)
		fprintf(f,
			"%s: referrals: %llu episode%s of %s carr%s a "
			"referral id and %s counted here (the id itself is "
			"never sent)\n",
			path, (unsigned long long)r->referral_rows,
			r->referral_rows == 1 ? "" : "s", period,
			r->referral_rows == 1 ? "ies" : "y",
			r->referral_rows == 1 ? "is" : "are");
	if (!r->capped || r->in_period == 0)
		return;
	dropped = r->dropped_episodes + r->dropped_month + r->dropped_year;
	if (dropped == 0) {
		fprintf(f,
			"%s: contribution caps: no episode of %s dropped (a "
			"patient counts in at most %u cells a month, %u cells "
			"a calendar year and %u episodes a cell)\n",
			path, period, r->cap_month, r->cap_year,
			r->cap_episodes);
		return;
	}
	fprintf(f,
		"%s: contribution caps: %llu episode%s of %s dropped, of "
		"%llu patient%s: %llu over %u episodes of one patient in "
		"a cell, %llu over %u cells of one patient in the month, "
		"%llu over %u cells of one patient in the calendar year "
		"(earlier episodes kept first)\n",
		path, (unsigned long long)dropped, dropped == 1 ? "" : "s",
		period, (unsigned long long)r->patients_capped,
		r->patients_capped == 1 ? "" : "s",
		(unsigned long long)r->dropped_episodes, r->cap_episodes,
		(unsigned long long)r->dropped_month, r->cap_month,
		(unsigned long long)r->dropped_year, r->cap_year);
}
