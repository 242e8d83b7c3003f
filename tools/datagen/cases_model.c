/*
 * cases_model.c - drawing patients and episodes. Every share below is
 * judgement (docs/case-records.md, "Generated case records"); ICD-10 codes
 * are ICD-10-CM 2025 categories with a WHO-style subcategory.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cases_model.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

struct weighted {
	const char *code;
	double weight;
	int female; /* -1 either; 0 male only; 1 mostly female */
};

static const struct weighted cancers[] = {
    {"C34.1", 0.17, -1}, {"C16.9", 0.15, -1}, {"C18.7", 0.12, -1},
    {"C50.9", 0.12, 1},	 {"C61", 0.09, 0},    {"C22.0", 0.08, -1},
    {"C25.9", 0.07, -1}, {"C15.5", 0.05, -1}, {"C73", 0.05, 1},
    {"C56.9", 0.05, 1},	 {"C71.9", 0.05, -1},
};

static const struct weighted others[] = {
    {"I25.10", 0.18, -1}, {"M17.11", 0.15, -1}, {"I63.9", 0.10, -1},
    {"M48.06", 0.10, -1}, {"E11.9", 0.08, -1},	{"K80.20", 0.08, -1},
    {"N97.9", 0.10, 1},	  {"H25.9", 0.11, -1},	{"N18.6", 0.05, -1},
    {"G20", 0.05, -1},
};

static const struct weighted checkups[] = {
    {"Z00.00", 0.80, -1},
    {"Z01.89", 0.12, -1},
    {"Z12.11", 0.08, -1},
};

static const struct weighted findings[] = {
    {"K29.70", 0.35, -1}, {"D12.6", 0.25, -1}, {"E78.5", 0.20, -1},
    {"C16.9", 0.10, -1},  {"R91.8", 0.10, -1},
};

static const struct weighted elsewhere[] = {
    {"K02.9", 0.40, -1},
    {"Z41.1", 0.35, 1},
    {"J30.9", 0.25, -1},
};

/* Visitors who fall ill or are injured during a trip: injuries, acute
 * infections, heart attacks and strokes, appendicitis, kidney stones. */
static const struct weighted emergencies[] = {
    {"S72.00", 0.14, -1}, {"S06.0", 0.10, -1},	{"S52.50", 0.10, -1},
    {"S82.60", 0.08, -1}, {"J18.9", 0.14, -1},	{"A08.4", 0.12, -1},
    {"I21.9", 0.08, -1},  {"I63.9", 0.06, -1},	{"K35.80", 0.08, -1},
    {"N20.0", 0.06, -1},  {"T78.40", 0.04, -1},
};
static const char *const notes[] = {
    "interpreter: zh",
    "companion: 1 family member",
    "wheelchair at arrival, KIX",
    "results sent to the home doctor, in English",
    "arrived via coordinator; invoice in advance",
    "\"VIP\" package",
    "diet: halal",
    "follow-up by video call\nreport translated",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

double
dg_rng_normal(dg_rng *r)
{
	double u = dg_rng_unit(r), v = dg_rng_unit(r);

	if (u < 1e-300)
		u = 1e-300;
	return (sqrt(-2 * log(u)) * cos(2 * M_PI * v));
}

long
dg_rng_poisson(dg_rng *r, double lambda)
{
	double l, p;
	long k;

	if (lambda <= 0)
		return (0);
	if (lambda > 30) {
		k = lround(lambda + sqrt(lambda) * dg_rng_normal(r));
		return (k < 0 ? 0 : k);
	}
	l = exp(-lambda);
	for (k = 0, p = dg_rng_unit(r); p > l; k++)
		p *= dg_rng_unit(r);
	return (k);
}

static const struct weighted *
pick(dg_rng *r, const struct weighted *v, size_t n)
{
	double u = dg_rng_unit(r), sum = 0;
	size_t i;

	for (i = 0; i + 1 < n; i++) {
		sum += v[i].weight;
		if (u < sum)
			return (&v[i]);
	}
	return (&v[n - 1]);
}

/* A whole number of years, normal around mean, within [lo, hi]. */
static int
age(dg_rng *r, double mean, double sd, int lo, int hi)
{
	long a = lround(mean + sd * dg_rng_normal(r));

	return ((int)(a < lo ? lo : a > hi ? hi : a));
}

/* A charge in JPY: lognormal around median. */
static long long
charge(dg_rng *r, double median, double sigma)
{
	return (llround(median * exp(sigma * dg_rng_normal(r))));
}

/* Price-band services by what they are for (docs/listing-format.md,
 * "Treatment vocabulary"): checkups, and everything else a hospital lists
 * but the consultation and the second opinion, which is treatment. */
static const int checkup_services[] = {
    IBX_TREATMENT_HEALTH_CHECKUP_STANDARD,
    IBX_TREATMENT_HEALTH_CHECKUP_PREMIUM, IBX_TREATMENT_CANCER_SCREENING,
    IBX_TREATMENT_BRAIN_DOCK, IBX_TREATMENT_PET_CT};

static int
is_checkup(const char *service)
{
	int t = ibx_code_index(IBX_LIST_TREATMENT, service);
	size_t i;

	for (i = 0; i < N(checkup_services); i++)
		if (t == checkup_services[i])
			return (1);
	return (0);
}

/* Whether a band's service is a consultation or a second opinion, the
 * price-band services that are not treatments. */
static int
is_visit(const char *service)
{
	int v = ibx_code_index(IBX_LIST_PRICE_SERVICE, service);

	return (v == IBX_PRICE_SERVICE_CONSULTATION ||
		v == IBX_PRICE_SERVICE_SECOND_OPINION);
}

/* The band the episode's service falls in, drawn uniformly among the
 * site's bands of that kind: "checkup", "treatment", or one service by
 * name; NULL when the listing has none. */
static const dg_site_band *
band(const dg_case_ctx *ctx, dg_rng *r, const char *kind)
{
	const dg_site_band *fit[DG_SITE_BANDS];
	int i, n = 0;
	const char *s;

	if (ctx->site == NULL)
		return (NULL);
	for (i = 0; i < ctx->site->nbands; i++) {
		s = ctx->site->bands[i].service;
		if (strcmp(kind, "checkup") == 0 ? is_checkup(s)
		    : strcmp(kind, "treatment") == 0
			? !is_checkup(s) && !is_visit(s)
			: strcmp(s, kind) == 0)
			fit[n++] = &ctx->site->bands[i];
	}
	return (n ? fit[dg_rng_range(r, 0, n - 1)] : NULL);
}

/* A price uniform in the band [min, max], JPY. */
static long long
in_band(dg_rng *r, const dg_site_band *b)
{
	return (b->min_jpy +
		(long long)(dg_rng_unit(r) *
			    (double)(b->max_jpy - b->min_jpy + 1)));
}

/* The episode's charge: from the hospital's price band for the service
 * when its listing has one (a consultation band is per outpatient visit),
 * else the typical price. */
static void
price(const dg_case_ctx *ctx, dg_rng *r, dg_case *e, int cancer)
{
	const dg_site_band *b = NULL;
	int visits = e->outpatient_visits > 0 ? e->outpatient_visits : 1;

	switch (e->purpose) {
	case DG_PURPOSE_CHECKUP:
		b = band(ctx, r, "checkup");
		e->charge_jpy = b ? in_band(r, b) : charge(r, 300000, 0.25);
		return;
	case DG_PURPOSE_TREATMENT:
		b = band(ctx, r, "treatment");
		e->charge_jpy = b	 ? in_band(r, b)
				: cancer ? charge(r, 4500000, 0.3)
					 : charge(r, 2500000, 0.5);
		return;
	case DG_PURPOSE_SECOND_OPINION:
		b = band(ctx, r, "second_opinion");
		e->charge_jpy = b ? in_band(r, b) : charge(r, 200000, 0.4);
		return;
	case DG_PURPOSE_TRAVEL_EMERGENCY:
		/* Emergency care at insurance-scale prices, often more
		 * for visitors: lognormal around 150,000 JPY a visit. */
		e->charge_jpy = charge(r, 150000, 0.5) * visits +
				30000LL * e->inpatient_days;
		return;
	default:
		b = band(ctx, r, "consultation");
		e->charge_jpy =
		    b ? in_band(r, b) * visits
		      : charge(r,
			       e->purpose == DG_PURPOSE_FOLLOW_UP ? 600000
								  : 800000,
			       0.6);
		return;
	}
}

/* Visits, stay and charge of episode e by its purpose and diagnosis. */
static void
stay(const dg_case_ctx *ctx, dg_rng *r, dg_case *e, int cancer)
{
	int inpatient = 0, before;

	switch (e->purpose) {
	case DG_PURPOSE_CHECKUP:
		e->outpatient_visits = (int)dg_rng_range(r, 1, 2);
		if (dg_rng_chance(r, 0.10))
			inpatient = 2; /* a one-night premium checkup */
		break;
	case DG_PURPOSE_TREATMENT:
		if (cancer) {
			if (dg_rng_chance(r, 0.6))
				inpatient = (int)dg_rng_range(r, 7, 35);
			e->outpatient_visits =
			    (int)(inpatient ? dg_rng_range(r, 2, 10)
					    : dg_rng_range(r, 4, 15));
		} else {
			if (dg_rng_chance(r, 0.5))
				inpatient = (int)dg_rng_range(r, 3, 20);
			e->outpatient_visits = (int)dg_rng_range(r, 1, 6);
		}
		break;
	case DG_PURPOSE_SECOND_OPINION:
		e->outpatient_visits = (int)dg_rng_range(r, 1, 2);
		break;
	case DG_PURPOSE_FOLLOW_UP:
		if (dg_rng_chance(r, 0.15))
			inpatient = (int)dg_rng_range(r, 2, 10);
		e->outpatient_visits = (int)dg_rng_range(r, 1, 4);
		break;
	case DG_PURPOSE_TRAVEL_EMERGENCY:
		/* Most are seen and sent back to their trip; one in five
		 * is admitted (a fracture, pneumonia, a heart attack). */
		if (dg_rng_chance(r, 0.2))
			inpatient = (int)dg_rng_range(r, 2, 21);
		e->outpatient_visits = (int)dg_rng_range(r, 1, 3);
		break;
	default:
		e->outpatient_visits = (int)dg_rng_range(r, 1, 5);
		break;
	}
	e->inpatient_days = inpatient;
	if (inpatient > 0) {
		/* Admitted on the first visit or a few days after an
		 * outpatient work-up. */
		before =
		    e->outpatient_visits > 1 ? (int)dg_rng_range(r, 0, 3) : 0;
		e->discharge = e->first_visit + before + inpatient - 1;
	} else
		e->discharge = -1;
	price(ctx, r, e, cancer);
}

/* The chance of a medical stay visa by purpose, for nationals who need
 * one for a long stay. */
static double
p_visa(int purpose)
{
	switch (purpose) {
	case DG_PURPOSE_TRAVEL_EMERGENCY:
		return (0); /* came as a tourist, not for medical stay */
	case DG_PURPOSE_TREATMENT:
		return (0.65);
	case DG_PURPOSE_CHECKUP:
		return (0.30);
	case DG_PURPOSE_SECOND_OPINION:
		return (0.25);
	default:
		return (0.30);
	}
}

/* Days until the next episode of the same patient. */
static long
gap(const dg_case_ctx *ctx, dg_rng *r)
{
	return (ctx->short_gaps ? dg_rng_range(r, 3, 10)
				: dg_rng_range(r, 20, 90));
}

int
dg_case_patient(const dg_case_ctx *ctx, dg_rng *r, unsigned serial,
		dg_case out[DG_CASE_EPISODES_MAX])
{
	const struct weighted *dx;
	dg_case *e = &out[0];
	double u = dg_rng_unit(r);
	int n = 1, k, follow = 0, cancer = 0, nat;
	int years;

	memset(e, 0, sizeof(*e));
	snprintf(e->ref, sizeof(e->ref), "PT%07u", serial % 10000000u);
	nat = dg_mix_draw(ctx->mix, r);
	memcpy(e->nationality, ctx->mix->v[nat].code, 3);
	e->first_visit = dg_rng_range(r, ctx->from, ctx->to);
	if (u < 0.47) {
		e->purpose = DG_PURPOSE_CHECKUP;
		dx = pick(r, checkups, N(checkups));
		years = age(r, 52, 12, 20, 92);
		follow = dg_rng_chance(r, 0.08);
	} else if (u < 0.78) {
		e->purpose = DG_PURPOSE_TREATMENT;
		cancer = dg_rng_chance(r, 0.65);
		dx = cancer ? pick(r, cancers, N(cancers))
			    : pick(r, others, N(others));
		years =
		    cancer ? age(r, 62, 12, 18, 98) : age(r, 55, 18, 0, 99);
		follow =
		    dg_rng_chance(r, 0.5) ? (int)dg_rng_range(r, 1, 3) : 0;
	} else if (u < 0.87) {
		e->purpose = DG_PURPOSE_SECOND_OPINION;
		cancer = dg_rng_chance(r, 0.8);
		dx = cancer ? pick(r, cancers, N(cancers))
			    : pick(r, others, N(others));
		years = age(r, 60, 14, 1, 95);
		follow = dg_rng_chance(r, 0.25);
	} else if (u < 0.94) {
		e->purpose = DG_PURPOSE_OTHER;
		dx = pick(r, elsewhere, N(elsewhere));
		years = age(r, 38, 15, 5, 90);
		follow = dg_rng_chance(r, 0.1);
	} else {
		/* 6 %: a tourist or business visitor taken ill or hurt. */
		e->purpose = DG_PURPOSE_TRAVEL_EMERGENCY;
		dx = pick(r, emergencies, N(emergencies));
		years = age(r, 45, 18, 1, 95);
		follow = dg_rng_chance(r, 0.1);
	}
	e->icd10 = dx->code;
	e->female = dx->female == 0   ? 0
		    : dx->female == 1 ? dg_rng_chance(r, 0.97)
				      : dg_rng_chance(r, 0.5);
	/* Born years before the first visit, on a day of that year. */
	e->birth = e->first_visit - (long)(years * 365.2425) -
		   dg_rng_range(r, 0, 364);
	k = (int)dg_rng_range(r, 0, 99);
	/* A visitor taken ill comes by ambulance or on foot (direct), sent
	 * by a clinic (hospital), or through a travel-assistance firm that
	 * coordinates (coordinator, 5 %). */
	if (e->purpose == DG_PURPOSE_TRAVEL_EMERGENCY)
		k = k < 5 ? 0 : k < 30 ? 65 : 90;
	e->channel = k < 60   ? DG_CHANNEL_COORDINATOR
		     : k < 70 ? DG_CHANNEL_HOSPITAL
		     : k < 82 ? DG_CHANNEL_DOCTOR
			      : DG_CHANNEL_DIRECT;
	if (e->channel == DG_CHANNEL_COORDINATOR)
		memcpy(e->referral_org,
		       ctx->coordinators[dg_rng_range(r, 0,
						      ctx->ncoordinators - 1)],
		       11);
	e->remote_second_opinion_first =
	    dg_rng_chance(r, e->purpose == DG_PURPOSE_TREATMENT	       ? 0.15
			     : e->purpose == DG_PURPOSE_SECOND_OPINION ? 0.05
								       : 0.01);
	if (dg_rng_chance(r, 0.06))
		e->visa = DG_VISA_UNKNOWN;
	else if (ctx->mix->v[nat].visa_needed)
		e->visa = dg_rng_chance(r, p_visa(e->purpose)) ? DG_VISA_YES
							       : DG_VISA_NO;
	else
		e->visa =
		    dg_rng_chance(r, e->purpose == DG_PURPOSE_TRAVEL_EMERGENCY
					 ? 0
					 : 0.03)
			? DG_VISA_YES
			: DG_VISA_NO;
	if (dg_rng_chance(r, 0.03))
		e->note = notes[dg_rng_range(r, 0, (long)N(notes) - 1)];
	stay(ctx, r, e, cancer);

	/* Returns: the same patient, keys and referral; a new purpose. */
	for (k = 0; k < follow && n < DG_CASE_EPISODES_MAX; k++) {
		dg_case *prev = &out[n - 1], *next = &out[n];
		long start =
		    (prev->discharge > prev->first_visit ? prev->discharge
							 : prev->first_visit) +
		    gap(ctx, r);

		if (start > ctx->to)
			break;
		*next = *prev;
		next->note = NULL;
		next->first_visit = start;
		if (out[0].purpose == DG_PURPOSE_SECOND_OPINION && k == 0)
			next->purpose = DG_PURPOSE_TREATMENT;
		else
			next->purpose = DG_PURPOSE_FOLLOW_UP;
		if (out[0].purpose == DG_PURPOSE_CHECKUP)
			next->icd10 = pick(r, findings, N(findings))->code;
		next->remote_second_opinion_first = 0;
		stay(ctx, r, next, cancer);
		n++;
	}
	return (n);
}
