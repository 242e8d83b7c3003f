/*
 * cases_mix.h - the nationality mix of generated foreign patients,
 * calibrated to the medical stay visas issued by nationality
 * (medical_stay_visa_issuance_2011-2024_transcribed.csv in deploy/data).
 * Visas cover the nationalities that need one; patients from visa-exempt
 * countries (the United States, Korea, Taiwan ...) come without and are
 * added as a fixed share. The shares are printed with each run.
 */
#ifndef DG_CASES_MIX_H
#define DG_CASES_MIX_H

#include "datagen.h"
#include "prng.h"

#define DG_MIX_MAX 32

typedef struct dg_mix {
	int year;	   /* the --year asked for */
	int source_year;   /* the year whose breakdown was used */
	long visas_total;  /* visas issued in year (TOTAL row) */
	int latest_year;   /* the last year with a TOTAL row */
	long visas_latest; /* visas issued in latest_year */
	struct {
		char code[3];	 /* ISO 3166-1 alpha-2 */
		double weight;	 /* share of patients, sums to 1 */
		int visa_needed; /* nationals need a visa for a medical stay */
	} v[DG_MIX_MAX];
	int n;
} dg_mix;

/*
 * dg_mix_load reads the visa file from data_dir and builds the mix for
 * year: the nationalities the file breaks out for year (or for the nearest
 * year that breaks out China, when year has only a total), the rest of the
 * visas spread over other visa-needing nationalities (Russia, Mongolia,
 * the Philippines, Indonesia, Cambodia, Myanmar), then DG_MIX_EXEMPT_SHARE
 * of all patients from visa-exempt countries. Returns DG_OK, or the
 * reading error (reported), or DG_ERR_FORMAT when the file has no figures
 * for any year.
 */
dg_err dg_mix_load(const char *data_dir, int year, dg_mix *out);

/* Share of patients from visa-exempt countries (judgement; see
 * docs/case-records.md). */
#define DG_MIX_EXEMPT_SHARE 0.15

/*
 * dg_mix_volume returns the factor by which the year's patients differ
 * from the volume model's (which is sized on the latest year of the visa
 * series): visas issued in the year over visas issued in the latest year,
 * so that generated patients rise and fall with the medical stay visas
 * (2020: 622 of 2024's 1,603, a factor of 0.39). 1 for a year after the
 * series or without a TOTAL row.
 */
double dg_mix_volume(const dg_mix *m);

/* dg_mix_draw returns the index in m->v of one patient's nationality. */
int dg_mix_draw(const dg_mix *m, dg_rng *r);

/* dg_mix_print writes one line with the shares to stderr. */
void dg_mix_print(const dg_mix *m);

#endif /* DG_CASES_MIX_H */
