/*
 * A statistics submission as JSON, with jansson; see cases_print.h.  The
 * only spoke module that includes <jansson.h>.
 */
#include <jansson.h>

#include "cases_print.h"

static json_t *
cell_json(const ibx_stat_cell *c)
{
	return (json_pack(
	    "{s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:s, s:s, s:I, s:I, s:I, "
	    "s:I, s:I, s:I, s:I, s:I, s:I}",
	    "nationality", c->nationality, "purpose", c->purpose, "icd10",
	    c->icd10, "age_band", c->age_band, "sex", c->sex,
	    "referral_channel", c->referral_channel, "referral_org",
	    c->referral_org[0] != '\0' ? json_string(c->referral_org)
				       : json_null(),
	    "remote_second_opinion_first", c->remote_second_opinion_first,
	    "medical_stay_visa", c->medical_stay_visa, "patients",
	    (json_int_t)c->patients, "episodes", (json_int_t)c->episodes,
	    "inpatient_episodes", (json_int_t)c->inpatient_episodes,
	    "outpatient_visits", (json_int_t)c->outpatient_visits,
	    "inpatient_days", (json_int_t)c->inpatient_days, "charge_jpy",
	    (json_int_t)c->charge_jpy, "outpatient_visits_clipped",
	    (json_int_t)c->outpatient_visits_clipped, "inpatient_days_clipped",
	    (json_int_t)c->inpatient_days_clipped, "charge_jpy_clipped",
	    (json_int_t)c->charge_jpy_clipped));
}

ibx_err
spoke_cases_print_json(FILE *f, const ibx_case_statistics *s)
{
	json_t *root = NULL, *cells = NULL, *c;
	ibx_err rv = IBX_ENOMEM;
	size_t i;

	if ((cells = json_array()) == NULL)
		goto out;
	for (i = 0; i < s->n_cells; i++)
		if ((c = cell_json(&s->cells[i])) == NULL ||
		    json_array_append_new(cells, c) != 0)
			goto out;
	root = json_pack(
	    "{s:o, s:s, s:b, s:s, s:I, s:I, s:O}", "organisation_code",
	    s->organisation_code[0] != '\0' ? json_string(s->organisation_code)
					    : json_null(),
	    "period", s->period, "nil_report", s->nil_report, "icd10_level",
	    s->icd10_level, "cells_per_patient_month",
	    (json_int_t)s->cells_per_patient_month, "cells_per_patient_year",
	    (json_int_t)s->cells_per_patient_year, "cells", cells);
	if (root == NULL)
		goto out;
	rv = IBX_EIO;
	if (json_dumpf(root, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', f) == EOF)
		goto out;
	rv = IBX_OK;
out:
	json_decref(root);
	json_decref(cells);
	return (rv);
}
