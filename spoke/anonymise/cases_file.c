/* From a case-record file to a submission; see cases_file.h. */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cases_anonymise.h"
#include "cases_file.h"
#include "cases_map.h"

ibx_err
spoke_cases_file_read(const spoke_cases_file_opts *o,
		      ibx_case_statistics **out)
{
	ibx_case_statistics *s = NULL;
	spoke_cases_report rep;
	spoke_cases_map map;
	spoke_cases_opts ao;
	spoke_progress progress;
	spoke_referral_ledger *ledger = NULL;
	char err[512];
	struct stat st;
	FILE *f = NULL;
	size_t i;
	ibx_err rv;

	spoke_cases_report_init(&rep);
	spoke_cases_map_init(&map);
	memset(&ao, 0, sizeof(ao));
	ao.period = o->period;
	ao.icd10_category = o->icd10_category;
	if (o->map != NULL) {
		if ((rv = spoke_cases_map_load(o->map, &map, &rep.file)) !=
		    IBX_OK) {
			for (i = 0; i < rep.file.n; i++)
				fprintf(o->report, "column map refused: %s\n",
					rep.file.items[i]);
			goto out;
		}
		ao.map = &map;
	}
	if (o->referrals != NULL) {
		if ((rv = spoke_referral_ledger_load(
			 o->referrals, &ledger, err, sizeof(err))) != IBX_OK) {
			fprintf(o->report, "referral ledger refused: %s\n",
				err);
			goto out;
		}
		ao.referrals = ledger;
	}
	if ((f = fopen(o->path, "rb")) == NULL) {
		fprintf(o->report, "%s: cannot open: %s\n", o->path,
			strerror(errno));
		rv = IBX_EIO;
		goto out;
	}
	spoke_progress_start(&progress, o->report,
			     fstat(fileno(f), &st) == 0 ? (uint64_t)st.st_size
							: 0);
	ao.progress = &progress;
	if ((rv = spoke_cases_anonymise(f, &ao, &rep, &s)) != IBX_OK) {
		spoke_cases_report_print(o->report, o->path, o->period, &rep,
					 false);
		goto out;
	}
	spoke_cases_report_print(o->report, o->path, o->period, &rep,
				 o->skip_bad_rows);
	if (rep.bad_rows > 0 && !o->skip_bad_rows) {
		rv = IBX_EINVAL;
		goto out;
	}
	if (o->until != NULL && strcmp(o->period, o->until) == 0 &&
	    rep.later_in_year > 0) {
		/* The year's caps hold over what the hub keeps only if the
		 * later months it holds were built from these episodes. */
		char last[16];

		snprintf(last, sizeof(last), "%04d-%02d",
			 rep.later_in_year / 12 % 10000,
			 rep.later_in_year % 12 + 1);
		fprintf(o->report,
			"%s: the file has episodes of later months of %.4s "
			"(up to %s) that this run does not send: if they were "
			"sent before and the episodes up to %s changed since, "
			"send them again too (--until %s), or the year's "
			"contribution caps may not hold over what the hub "
			"keeps\n",
			o->path, o->period, last, o->period, last);
	}
	if (rep.in_period > 0 && s->n_cells == 0) {
		/* The period had episodes, and the contribution caps dropped
		 * every one (the patients' cells of the year were taken by
		 * earlier months): nothing is counted, and a nil report
		 * replaces whatever an earlier export sent for the period,
		 * so that the months as finally sent keep the caps. */
		fprintf(o->report,
			"%s: every episode of %s is over the contribution "
			"caps: sent as a nil report (nothing to count)\n",
			o->path, o->period);
		s->nil_report = true;
	} else if (rep.in_period == 0 && o->nil_if_empty &&
		   rep.bad_rows == 0) {
		fprintf(
		    o->report,
		    "%s: no episodes in %s: a nil report (--nil-if-empty)\n",
		    o->path, o->period);
		s->nil_report = true;
	} else if (rep.in_period == 0)
		fprintf(o->report,
			"%s: no episodes in %s: if the hospital had no "
			"foreign patients then, send a nil report (--nil)\n",
			o->path, o->period);
	*out = s;
	s = NULL;
out:
	if (f != NULL)
		fclose(f);
	ibx_statistics_free(s);
	spoke_cases_map_fini(&map);
	spoke_referral_ledger_free(ledger);
	spoke_cases_report_fini(&rep);
	return (rv);
}
