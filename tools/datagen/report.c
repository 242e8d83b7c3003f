/*
 * report.c - the stderr report of a conversion run.
 */
#include <string.h>

#include "orgcodes.h"
#include "report.h"

void
dg_report_count(dg_set_report *r, const dg_hospital_list *l)
{
	const dg_hospital *h;
	size_t i;

	for (i = 0; i < l->n; i++) {
		h = &l->v[i];
		if (strcmp(h->set, r->set) != 0)
			continue;
		r->match[h->match]++;
		r->no_depts += h->ndepts == 0;
		r->location += h->has_location;
		r->beds += h->beds >= 0;
		r->postal += h->postal[0] != '\0';
		r->postal_from_codes += h->postal_from_codes;
		r->name_en += h->name_en != NULL;
		r->website += h->website != NULL;
	}
}

/* Percentage of part in whole, 0 when whole is 0. */
static double
pct(unsigned part, unsigned whole)
{
	return (whole ? 100.0 * part / whole : 0.0);
}

void
dg_report_print(dg_set_report *r, FILE *f)
{
	unsigned matched = r->hospitals - r->match[DG_MATCH_NONE];
	int m;

	fprintf(f,
		"%s: %s: %u hospitals; organisation code matched %u/%u "
		"(%.1f%%):",
		DG_PROG, r->set, r->hospitals, matched, r->hospitals,
		pct(matched, r->hospitals));
	for (m = DG_MATCH_EXACT; m < DG_MATCH_NKINDS; m++)
		fprintf(f, "%s %s %u", m == DG_MATCH_EXACT ? "" : ",",
			dg_match_name((dg_match)m), r->match[m]);
	fprintf(f, "; synthetic %u\n", r->match[DG_MATCH_NONE]);
	fprintf(f,
		"%s: %s: departments: %u mapped, %u to the main department, "
		"%u to an \"other\" code, %u dropped; %u hospitals without "
		"departments\n",
		DG_PROG, r->set, r->depts.mapped, r->depts.generalised,
		r->depts.other, r->depts.dropped, r->no_depts);
	if (r->depts.other_names.n > 0) {
		fprintf(f, "%s: %s: departments to \"other\": ", DG_PROG,
			r->set);
		dg_tally_print(&r->depts.other_names, f, 40);
		fputc('\n', f);
	}
	if (r->depts.dropped_names.n > 0) {
		fprintf(f, "%s: %s: departments dropped: ", DG_PROG, r->set);
		dg_tally_print(&r->depts.dropped_names, f, 30);
		fputc('\n', f);
	}
	fprintf(f,
		"%s: %s: fields: location %u (%u refused), beds %u, postal "
		"code %u (%u from the code list), name.en %u, website %u "
		"(%u refused)\n",
		DG_PROG, r->set, r->location, r->location_refused, r->beds,
		r->postal, r->postal_from_codes, r->name_en, r->website,
		r->website_refused);
}

void
dg_report_free(dg_set_report *r)
{
	if (r != NULL)
		dg_dept_stats_free(&r->depts);
}
