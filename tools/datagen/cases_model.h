/*
 * cases_model.h - synthetic foreign patients and their episodes, as a
 * hospital's export would list them (docs/case-records.md). One patient
 * comes for a health checkup, treatment, a second opinion or something
 * else, and may come back: follow-ups after treatment, treatment after a
 * second opinion, a follow-up after a checkup finding. A visitor who falls
 * ill or is injured during a trip (訪日旅行中の傷病) is a purpose of its
 * own, travel_emergency. The figures (shares of purposes, diagnoses, ages,
 * stays) are judgement aimed at the national picture: checkups and cancer
 * treatment dominate. An episode's charge comes from the hospital's own
 * listed price band for the service when the listing has one, else from
 * a lognormal around a typical price (a checkup about 300,000 JPY, as
 * listed checkups cost 240,000 to 350,000). Nothing here is a real
 * patient.
 */
#ifndef DG_CASES_MODEL_H
#define DG_CASES_MODEL_H

#include "cases_mix.h"
#include "cases_sites.h"
#include "codes.h"
#include "prng.h"

#define DG_CASE_EPISODES_MAX 6

enum {
	DG_PURPOSE_TREATMENT = IBX_PURPOSE_TREATMENT,
	DG_PURPOSE_CHECKUP = IBX_PURPOSE_HEALTH_CHECKUP,
	DG_PURPOSE_SECOND_OPINION = IBX_PURPOSE_SECOND_OPINION,
	DG_PURPOSE_FOLLOW_UP = IBX_PURPOSE_FOLLOW_UP,
	DG_PURPOSE_OTHER = IBX_PURPOSE_OTHER,
	DG_PURPOSE_TRAVEL_EMERGENCY =
	    IBX_PURPOSE_TRAVEL_EMERGENCY /* fell ill or was injured on a trip
					  */
};
enum {
	DG_CHANNEL_COORDINATOR = IBX_CHANNEL_COORDINATOR,
	DG_CHANNEL_HOSPITAL = IBX_CHANNEL_HOSPITAL,
	DG_CHANNEL_DOCTOR = IBX_CHANNEL_DOCTOR,
	DG_CHANNEL_DIRECT = IBX_CHANNEL_DIRECT
};
enum {
	DG_VISA_YES = IBX_ANSWER_YES,
	DG_VISA_NO = IBX_ANSWER_NO,
	DG_VISA_UNKNOWN = IBX_ANSWER_UNKNOWN
};

/* One episode. Dates are day numbers (dates.h). */
typedef struct dg_case {
	char ref[16];	     /* patient reference, "PT0000123" */
	char nationality[3]; /* ISO 3166-1 alpha-2 */
	long birth;
	int female;
	int purpose;	   /* DG_PURPOSE_* */
	const char *icd10; /* "C16.9" */
	long first_visit;
	long discharge; /* -1: none (no inpatient stay) */
	int outpatient_visits, inpatient_days;
	long long charge_jpy;
	int channel; /* DG_CHANNEL_* */
	char referral_org[11];
	int remote_second_opinion_first;
	int visa;	  /* DG_VISA_* */
	const char *note; /* free text for the extra note column, or NULL */
} dg_case;

/* What a hospital's patients are drawn from. */
typedef struct dg_case_ctx {
	const dg_mix *mix;
	long from, to;		  /* first visits fall in [from, to] */
	int short_gaps;		  /* returns within days (one-month files) */
	char coordinators[4][11]; /* the coordinators it works with */
	int ncoordinators;	  /* 1 to 4 */
	const dg_site *site;	  /* its price bands; NULL: none */
} dg_case_ctx;

/*
 * dg_case_patient writes patient number serial's episodes (1 to
 * DG_CASE_EPISODES_MAX; returns how many) to out, the first visit drawn
 * uniformly in [ctx->from, ctx->to], returns dropped when they would fall
 * after ctx->to.
 */
int dg_case_patient(const dg_case_ctx *ctx, dg_rng *r, unsigned serial,
		    dg_case out[DG_CASE_EPISODES_MAX]);

/* dg_rng_normal returns a standard normal number (Box-Muller). */
double dg_rng_normal(dg_rng *r);

/* dg_rng_poisson returns a Poisson number of mean lambda (>= 0). */
long dg_rng_poisson(dg_rng *r, double lambda);

#endif /* DG_CASES_MODEL_H */
