/* Table and Ack output for case statistics; see cases_print.h. */
#include <inttypes.h>

#include "cases_print.h"

void
spoke_cases_print_table(FILE *f, const ibx_case_statistics *s)
{
	int64_t episodes = 0, inpatient = 0, visits = 0, days = 0, charge = 0;
	size_t i;

	fprintf(f,
		"# case statistics: organisation %s, period %s, ICD-10 "
		"by %s, %zu cells%s\n",
		s->organisation_code[0] != '\0' ? s->organisation_code
						: "(no --cert)",
		s->period, s->icd10_level, s->n_cells,
		s->nil_report ? " (nil report: no foreign patients)" : "");
	if (s->n_cells > 0)
		fprintf(f,
			"# built with the contribution caps: a patient in at "
			"most %u cells of the month and %u of the calendar "
			"year\n",
			s->cells_per_patient_month, s->cells_per_patient_year);
	if (s->n_cells == 0)
		return;
	fprintf(f,
		"%-11s %-14s %-5s %-8s %-7s %-11s %-12s %-4s %-7s %8s %8s "
		"%9s %8s %8s %13s\n",
		"nationality", "purpose", "icd10", "age_band", "sex",
		"channel", "referral_org", "rso", "visa", "patients",
		"episodes", "inpatient", "visits", "in_days", "charge_jpy");
	for (i = 0; i < s->n_cells; i++) {
		const ibx_stat_cell *c = &s->cells[i];

		fprintf(f,
			"%-11s %-14s %-5s %-8s %-7s %-11s %-12s %-4s %-7s "
			"%8" PRId64 " %8" PRId64 " %9" PRId64 " %8" PRId64
			" %8" PRId64 " %13" PRId64 "\n",
			c->nationality, c->purpose, c->icd10, c->age_band,
			c->sex, c->referral_channel,
			c->referral_org[0] != '\0' ? c->referral_org : "-",
			c->remote_second_opinion_first, c->medical_stay_visa,
			c->patients, c->episodes, c->inpatient_episodes,
			c->outpatient_visits, c->inpatient_days,
			c->charge_jpy);
		episodes += c->episodes;
		inpatient += c->inpatient_episodes;
		visits += c->outpatient_visits;
		days += c->inpatient_days;
		charge += c->charge_jpy;
	}
	fprintf(f,
		"# totals: %" PRId64 " episodes, %" PRId64
		" with an inpatient stay, %" PRId64
		" outpatient visits, %" PRId64 " inpatient days, %" PRId64
		" JPY charged (patients are distinct within a cell and do not "
		"add up)\n",
		episodes, inpatient, visits, days, charge);
}

void
spoke_cases_print_ack(FILE *f, const char *what, const ibx_case_statistics *s,
		      const ibx_ack *ack)
{
	const ibx_import_summary *m = &ack->summary;

	if (ack->status == IBX_ACK_ACCEPTED ||
	    ack->status == IBX_ACK_DUPLICATE)
		fprintf(f, "%s: statistics for %s %s (sequence %llu)", what,
			s->period,
			ack->status == IBX_ACK_ACCEPTED
			    ? "accepted"
			    : "already received (duplicate)",
			(unsigned long long)ack->sequence);
	else
		fprintf(f, "%s: hub refused the statistics for %s (%s): %s",
			what, s->period, ibx_ack_status_name(ack->status),
			ack->error);
	fprintf(f,
		": cells imported %u, updated %u, unchanged %u, refused %u, "
		"deleted %u\n",
		m->imported, m->updated, m->unchanged, m->refused, m->deleted);
}
