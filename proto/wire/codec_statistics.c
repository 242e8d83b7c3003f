/*
 * The protobuf-c boundary for CaseStatistics; see wire.h.  Fixed-size
 * strings in the domain struct bound what a peer can make the hub store.
 */
#include <stdlib.h>
#include <string.h>

#include "inbound.pb-c.h"
#include "wire.h"

/* Copy a wire string into a fixed field; false when it does not fit. */
static bool
put(char *dst, size_t n, const char *src)
{
	size_t len = strlen(src);

	if (len >= n)
		return (false);
	memcpy(dst, src, len + 1);
	return (true);
}

#define PUT(dst, src) put((dst), sizeof(dst), (src))

ibx_err
ibx_statistics_encode(const ibx_case_statistics *s, ibx_bytes *out)
{
	Inbound__V1__CaseStatistics m = INBOUND__V1__CASE_STATISTICS__INIT;
	Inbound__V1__StatisticsCell *cells = NULL, **cellp = NULL;
	size_t i, n;
	uint8_t *buf;

	cells = calloc(s->n_cells + 1, sizeof(*cells));
	cellp = calloc(s->n_cells + 1, sizeof(*cellp));
	if (cells == NULL || cellp == NULL) {
		free(cells);
		free(cellp);
		return (IBX_ENOMEM);
	}
	m.organisation_code = (char *)s->organisation_code;
	m.period = (char *)s->period;
	m.nil_report = s->nil_report;
	m.icd10_level = (char *)s->icd10_level;
	m.cells_per_patient_month = s->cells_per_patient_month;
	m.cells_per_patient_year = s->cells_per_patient_year;
	for (i = 0; i < s->n_cells; i++) {
		const ibx_stat_cell *c = &s->cells[i];
		Inbound__V1__StatisticsCell *w = &cells[i];

		inbound__v1__statistics_cell__init(w);
		w->nationality = (char *)c->nationality;
		w->purpose = (char *)c->purpose;
		w->icd10 = (char *)c->icd10;
		w->age_band = (char *)c->age_band;
		w->sex = (char *)c->sex;
		w->referral_channel = (char *)c->referral_channel;
		w->referral_org = (char *)c->referral_org;
		w->remote_second_opinion_first =
		    (char *)c->remote_second_opinion_first;
		w->medical_stay_visa = (char *)c->medical_stay_visa;
		w->patients = c->patients;
		w->episodes = c->episodes;
		w->inpatient_episodes = c->inpatient_episodes;
		w->outpatient_visits = c->outpatient_visits;
		w->inpatient_days = c->inpatient_days;
		w->charge_jpy = c->charge_jpy;
		w->outpatient_visits_clipped = c->outpatient_visits_clipped;
		w->inpatient_days_clipped = c->inpatient_days_clipped;
		w->charge_jpy_clipped = c->charge_jpy_clipped;
		cellp[i] = w;
	}
	m.n_cells = s->n_cells;
	m.cells = cellp;
	n = inbound__v1__case_statistics__get_packed_size(&m);
	if ((buf = malloc(n > 0 ? n : 1)) == NULL) {
		free(cells);
		free(cellp);
		return (IBX_ENOMEM);
	}
	inbound__v1__case_statistics__pack(&m, buf);
	free(cells);
	free(cellp);
	out->data = buf;
	out->len = n;
	return (IBX_OK);
}

ibx_err
ibx_statistics_decode(const uint8_t *buf, size_t len,
		      ibx_case_statistics **out)
{
	Inbound__V1__CaseStatistics *m;
	ibx_case_statistics *s = NULL;
	ibx_err rv = IBX_EMALFORMED;
	size_t i;

	m = inbound__v1__case_statistics__unpack(NULL, len, buf);
	if (m == NULL)
		return (IBX_EMALFORMED);
	if (m->n_cells > IBX_STATISTICS_MAX_CELLS)
		goto out;
	if ((s = ibx_statistics_new()) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	if (!PUT(s->organisation_code, m->organisation_code) ||
	    !PUT(s->period, m->period))
		goto out;
	if (m->icd10_level[0] != '\0' && !PUT(s->icd10_level, m->icd10_level))
		goto out;
	s->nil_report = m->nil_report;
	s->cells_per_patient_month = m->cells_per_patient_month;
	s->cells_per_patient_year = m->cells_per_patient_year;
	if (m->n_cells > 0 &&
	    (s->cells = calloc(m->n_cells, sizeof(*s->cells))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	for (i = 0; i < m->n_cells; i++) {
		const Inbound__V1__StatisticsCell *w = m->cells[i];
		ibx_stat_cell *c = &s->cells[i];

		if (!PUT(c->nationality, w->nationality) ||
		    !PUT(c->purpose, w->purpose) || !PUT(c->icd10, w->icd10) ||
		    !PUT(c->age_band, w->age_band) || !PUT(c->sex, w->sex) ||
		    !PUT(c->referral_channel, w->referral_channel) ||
		    !PUT(c->referral_org, w->referral_org) ||
		    !PUT(c->remote_second_opinion_first,
			 w->remote_second_opinion_first) ||
		    !PUT(c->medical_stay_visa, w->medical_stay_visa))
			goto out;
		c->patients = w->patients;
		c->episodes = w->episodes;
		c->inpatient_episodes = w->inpatient_episodes;
		c->outpatient_visits = w->outpatient_visits;
		c->inpatient_days = w->inpatient_days;
		c->charge_jpy = w->charge_jpy;
		c->outpatient_visits_clipped = w->outpatient_visits_clipped;
		c->inpatient_days_clipped = w->inpatient_days_clipped;
		c->charge_jpy_clipped = w->charge_jpy_clipped;
		s->n_cells = i + 1;
	}
	*out = s;
	s = NULL;
	rv = IBX_OK;
out:
	ibx_statistics_free(s);
	inbound__v1__case_statistics__free_unpacked(m, NULL);
	return (rv);
}
