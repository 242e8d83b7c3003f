/*
 * synth.c - generated capability fields of hospital listings. The numbers
 * below are judgement, not statistics: they aim at a demo national list in
 * which about one hospital in twelve holds JMIP (66 of some 8,000 hospitals
 * nationally in 2023-09, but accredited hospitals are the ones a medical
 * inbound list is about), particle therapy and transplants appear only at
 * very large hospitals, and foreign languages and countries follow the
 * medical stay visa figures (China first, then Vietnam and Russia; more
 * Russian in Hokkaido). Price ranges are in JPY as quoted to foreign
 * patients: health checkups 150,000 to 1,500,000, cancer treatment
 * 3,000,000 to 6,000,000.
 */
#include <stdio.h>
#include <string.h>

#include "codes.h"
#include "dates.h"
#include "prng.h"
#include "synth.h"

enum { SMALL, MEDIUM, LARGE, VERY_LARGE, NSIZES };

/*
 * When a treatment is offered: at least one department whose code starts
 * with one of depts (NULL: no department needed), at least min_beds beds,
 * then with probability p[size class].
 */
static const struct {
	int treatment; /* IBX_TREATMENT_* (deploy/data) */
	const char *depts;
	int min_beds;
	double p[NSIZES];
} treatment_rules[] = {
    {IBX_TREATMENT_PROTON_THERAPY, "09004,09006,09007", 500, {0, 0, 0, 0.08}},
    {IBX_TREATMENT_HEAVY_ION_THERAPY,
     "09004,09006,09007",
     500,
     {0, 0, 0, 0.04}},
    {IBX_TREATMENT_BNCT, "09004,09006,09007", 500, {0, 0, 0, 0.04}},
    {IBX_TREATMENT_IMRT, "09004,09006,09007", 200, {0, 0.15, 0.5, 0.8}},
    {IBX_TREATMENT_STEREOTACTIC_RADIOTHERAPY,
     "09004,09006,02002",
     200,
     {0, 0.1, 0.4, 0.7}},
    {IBX_TREATMENT_ROBOTIC_SURGERY,
     "02001,02012,06004,04",
     200,
     {0, 0.1, 0.45, 0.85}},
    {IBX_TREATMENT_LAPAROSCOPIC_SURGERY, "02", 50, {0.1, 0.5, 0.8, 0.9}},
    {IBX_TREATMENT_ENDOSCOPIC_SURGERY,
     "01020,01021,01030,02012",
     0,
     {0.2, 0.5, 0.75, 0.9}},
    {IBX_TREATMENT_CHEMOTHERAPY,
     "01004,01005,01014,01020,01026,02001,02012,02022",
     100,
     {0, 0.5, 0.85, 0.95}},
    {IBX_TREATMENT_IMMUNOTHERAPY,
     "01004,01005,01014,01020,01026",
     200,
     {0, 0.05, 0.2, 0.35}},
    {IBX_TREATMENT_PET_CT, "09004,09005", 150, {0, 0.1, 0.35, 0.6}},
    {IBX_TREATMENT_HEALTH_CHECKUP_STANDARD, NULL, 0, {0.35, 0.6, 0.75, 0.8}},
    {IBX_TREATMENT_HEALTH_CHECKUP_PREMIUM,
     "09004,09005",
     50,
     {0.1, 0.3, 0.5, 0.6}},
    {IBX_TREATMENT_BRAIN_DOCK,
     "01013,01025,02002,02003",
     0,
     {0.3, 0.45, 0.5, 0.5}},
    {IBX_TREATMENT_CANCER_SCREENING,
     "01014,01020,09004",
     0,
     {0.1, 0.3, 0.5, 0.6}},
    {IBX_TREATMENT_REGENERATIVE_MEDICINE,
     "02035,02036,02037",
     0,
     {0.03, 0.04, 0.06, 0.08}},
    {IBX_TREATMENT_CARDIAC_SURGERY,
     "02009,02010,02011",
     150,
     {0, 0.5, 0.8, 0.9}},
    {IBX_TREATMENT_CATHETER_INTERVENTION,
     "01017,01018,01019",
     80,
     {0.1, 0.5, 0.8, 0.9}},
    {IBX_TREATMENT_JOINT_REPLACEMENT, "02035", 50, {0.2, 0.5, 0.6, 0.7}},
    {IBX_TREATMENT_SPINE_SURGERY, "02002,02035", 80, {0.1, 0.3, 0.5, 0.6}},
    {IBX_TREATMENT_ORGAN_TRANSPLANT,
     "01022,02014,02017,02033,06004",
     500,
     {0, 0, 0, 0.3}},
    {IBX_TREATMENT_FERTILITY_TREATMENT, "04", 0, {0.2, 0.25, 0.3, 0.4}},
    {IBX_TREATMENT_DIALYSIS, "01022,01023,06007", 0, {0.7, 0.7, 0.7, 0.7}},
    {IBX_TREATMENT_REHABILITATION, "09003", 0, {0.8, 0.8, 0.8, 0.8}},
    {IBX_TREATMENT_DENTAL_TREATMENT, "08", 0, {0.7, 0.7, 0.7, 0.7}},
    {IBX_TREATMENT_COSMETIC_SURGERY,
     "02036,02037,06002",
     0,
     {0.1, 0.15, 0.2, 0.2}},
    {IBX_TREATMENT_TRADITIONAL_KAMPO, "01027", 0, {0.8, 0.8, 0.8, 0.8}},
};

/* Chance of each accreditation by size class (JIH mostly with JMIP). */
static const double p_jmip[NSIZES] = {0.02, 0.09, 0.25, 0.4};
static const double p_jih_alone[NSIZES] = {0, 0.01, 0.03, 0.06};
static const double p_jih_with_jmip = 0.45;
static const double p_jci_very_large = 0.05;

/* Chance that a hospital takes foreign patients actively, by size. */
static const double p_international[NSIZES] = {0.12, 0.3, 0.55, 0.75};

/* Chance of remote second opinions by size, and the extra when accredited. */
static const double p_remote[NSIZES] = {0.03, 0.1, 0.25, 0.4};
static const double p_remote_accredited = 0.3;

/* Languages after "ja": chance at an international hospital, else. */
static const struct {
	const char *code;
	double p_intl, p_local;
} language_rules[] = {
    {"en", 1.0, 0.25}, {"zh", 0.6, 0.05},  {"ko", 0.2, 0.01},
    {"ru", 0.12, 0.0}, {"vi", 0.15, 0.01}, {"th", 0.08, 0.0},
    {"id", 0.06, 0.0}, {"ar", 0.04, 0.0},  {"mn", 0.05, 0.0},
};

/* Countries whose patients come with a language, and how likely. */
static const struct {
	const char *language, *country;
	double p;
} country_rules[] = {
    {"zh", "CN", 1.0},	{"zh", "TW", 0.5},  {"zh", "HK", 0.3},
    {"zh", "SG", 0.2},	{"ko", "KR", 1.0},  {"ru", "RU", 1.0},
    {"ru", "KZ", 0.2},	{"vi", "VN", 1.0},  {"th", "TH", 1.0},
    {"id", "ID", 1.0},	{"ar", "AE", 1.0},  {"ar", "SA", 0.5},
    {"ar", "QA", 0.3},	{"mn", "MN", 1.0},  {"en", "US", 0.25},
    {"en", "AU", 0.08}, {"en", "GB", 0.06}, {"en", "PH", 0.1},
    {"en", "MY", 0.08}, {"en", "IN", 0.05},
};

/* Price ranges in JPY of the services that get a price band. */
static const struct {
	int treatment; /* IBX_TREATMENT_* */
	long lo, hi;
} price_rules[] = {
    {IBX_TREATMENT_HEALTH_CHECKUP_STANDARD, 150000, 400000},
    {IBX_TREATMENT_HEALTH_CHECKUP_PREMIUM, 350000, 1500000},
    {IBX_TREATMENT_BRAIN_DOCK, 100000, 300000},
    {IBX_TREATMENT_CANCER_SCREENING, 150000, 600000},
    {IBX_TREATMENT_PET_CT, 150000, 400000},
    {IBX_TREATMENT_PROTON_THERAPY, 3000000, 6000000},
    {IBX_TREATMENT_HEAVY_ION_THERAPY, 3000000, 6000000},
    {IBX_TREATMENT_BNCT, 3000000, 6000000},
    {IBX_TREATMENT_IMRT, 3000000, 6000000},
    {IBX_TREATMENT_ROBOTIC_SURGERY, 3000000, 6000000},
    {IBX_TREATMENT_CHEMOTHERAPY, 3000000, 6000000},
    {IBX_TREATMENT_IMMUNOTHERAPY, 3000000, 6000000},
};

#define PRICE_STEP	 10000 /* bands are quoted in steps of 10,000 JPY */
#define CONFIRMED_WINDOW 730   /* days before the reference day */

/* Size class of a bed count (unknown counts as small). */
static int
size_class(int beds)
{
	if (beds >= 500)
		return (VERY_LARGE);
	if (beds >= 300)
		return (LARGE);
	if (beds >= 100)
		return (MEDIUM);
	return (SMALL);
}

/* Returns 1 when h has a department from the comma-separated prefixes. */
static int
has_any_dept(const dg_hospital *h, const char *prefixes)
{
	char prefix[8];
	const char *p = prefixes, *end;
	size_t len;

	if (prefixes == NULL || h->many_depts)
		return (1);
	while (*p != '\0') {
		if ((end = strchr(p, ',')) == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len < sizeof(prefix)) {
			memcpy(prefix, p, len);
			prefix[len] = '\0';
			if (dg_hospital_has_dept(h, prefix))
				return (1);
		}
		p = *end == ',' ? end + 1 : end;
	}
	return (0);
}

/* Returns 1 when list (n entries) holds s. */
static int
has(const char *const *list, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return (1);
	return (0);
}

/* Day number of DG_REFERENCE_DATE. */
static long
reference_day(void)
{
	long day = 0;

	(void)dg_date_parse(DG_REFERENCE_DATE, &day);
	return (day);
}

/* Adds an accreditation valid until a day in [from, to] after reference. */
static void
accredit(dg_capability *c, dg_rng *r, const char *scheme, long from, long to)
{
	dg_accreditation *a = &c->accreditations[c->naccreditations++];

	a->scheme = scheme;
	dg_date_format(reference_day() + dg_rng_range(r, from, to),
		       a->expires);
}

/* Rounds v to the nearest PRICE_STEP. */
static long
round_price(double v)
{
	return ((long)(v / PRICE_STEP + 0.5) * PRICE_STEP);
}

/* Adds a price band for service within [lo, hi] JPY. */
static void
add_band(dg_capability *c, dg_rng *r, const char *service, long lo, long hi)
{
	dg_price_band *b;
	long min, max;

	if (c->nbands == DG_MAX_BANDS)
		return;
	min =
	    round_price((double)lo + dg_rng_unit(r) * (double)(hi - lo) * 0.6);
	max = round_price((double)min + dg_rng_unit(r) * (double)(hi - min));
	if (max > hi)
		max = hi;
	if (max < min)
		max = min;
	b = &c->bands[c->nbands++];
	b->service = service;
	b->min_jpy = min;
	b->max_jpy = max;
}

/* Draws the treatments of h. */
static void
draw_treatments(const dg_hospital *h, int size, dg_rng *r, dg_capability *c)
{
	size_t i;
	double u;

	for (i = 0; i < sizeof(treatment_rules) / sizeof(treatment_rules[0]);
	     i++) {
		/* draw first so that each rule always uses one number */
		u = dg_rng_unit(r);
		if (h->beds < treatment_rules[i].min_beds ||
		    !has_any_dept(h, treatment_rules[i].depts) ||
		    u >= treatment_rules[i].p[size])
			continue;
		c->treatments[c->ntreatments++] = ibx_code_at(
		    IBX_LIST_TREATMENT, treatment_rules[i].treatment);
	}
}

/* Draws languages and the countries that go with them. */
static dg_err
draw_languages(const dg_hospital *h, int intl, int accredited, dg_rng *r,
	       const dg_refdata *ref, dg_capability *c)
{
	size_t i;
	double p;

	c->languages[c->nlanguages++] = "ja";
	for (i = 0; i < sizeof(language_rules) / sizeof(language_rules[0]);
	     i++) {
		p = intl ? language_rules[i].p_intl
			 : language_rules[i].p_local;
		if (strcmp(language_rules[i].code, "ru") == 0 &&
		    strcmp(h->prefecture, "01") == 0)
			p *= 3.0;
		if (accredited && i > 0)
			p = p * 1.8 > 0.95 ? 0.95 : p * 1.8;
		if (dg_rng_chance(r, p))
			c->languages[c->nlanguages++] = language_rules[i].code;
	}
	for (i = 0; i < c->nlanguages; i++) {
		if (!dg_refdata_language(ref, c->languages[i])) {
			dg_error("synthetic language \"%s\" is not ISO 639-1",
				 c->languages[i]);
			return (DG_ERR_INTERNAL);
		}
	}
	if (c->nlanguages == 1)
		return (DG_OK); /* Japanese only: no countries */
	for (i = 0; i < sizeof(country_rules) / sizeof(country_rules[0]);
	     i++) {
		if (!has(c->languages, c->nlanguages,
			 country_rules[i].language) ||
		    !dg_rng_chance(r, country_rules[i].p) ||
		    c->ncountries == DG_MAX_COUNTRIES)
			continue;
		if (!dg_refdata_country(ref, country_rules[i].country)) {
			dg_error("synthetic country \"%s\" is not ISO 3166-1",
				 country_rules[i].country);
			return (DG_ERR_INTERNAL);
		}
		c->countries[c->ncountries++] = country_rules[i].country;
	}
	return (DG_OK);
}

/* The accreditation scheme of index i (deploy/data). */
static const char *
scheme_name(int i)
{
	return (ibx_code_at(IBX_LIST_ACCREDITATION, i));
}

/* Draws price bands for offered services, second opinion, consultation. */
static void
draw_bands(int intl, int accredited, dg_rng *r, dg_capability *c)
{
	size_t i;

	if (!intl)
		return;
	for (i = 0; i < sizeof(price_rules) / sizeof(price_rules[0]); i++) {
		const char *service =
		    ibx_code_at(IBX_LIST_TREATMENT, price_rules[i].treatment);

		if (!has(c->treatments, c->ntreatments, service) ||
		    !dg_rng_chance(r, accredited ? 0.9 : 0.6))
			continue;
		add_band(c, r, service, price_rules[i].lo, price_rules[i].hi);
	}
	if (c->remote_second_opinion && dg_rng_chance(r, 0.9))
		add_band(c, r,
			 ibx_code_at(IBX_LIST_PRICE_SERVICE,
				     IBX_PRICE_SERVICE_SECOND_OPINION),
			 30000, 150000);
	if (dg_rng_chance(r, 0.3))
		add_band(c, r,
			 ibx_code_at(IBX_LIST_PRICE_SERVICE,
				     IBX_PRICE_SERVICE_CONSULTATION),
			 10000, 50000);
}

dg_err
dg_synth_hospital(const dg_hospital *h, uint64_t seed, const dg_refdata *ref,
		  dg_capability *out)
{
	char stream[64];
	dg_rng r;
	int size = size_class(h->beds), intl, jmip;

	memset(out, 0, sizeof(*out));
	snprintf(stream, sizeof(stream), "%s:%s", h->set, h->source_id);
	dg_rng_seed(&r, seed, stream);
	draw_treatments(h, size, &r, out);
	/* JMIP surveys run every three years; a few have lapsed */
	if ((jmip = dg_rng_chance(&r, p_jmip[size])))
		accredit(out, &r, scheme_name(IBX_ACCREDITATION_JMIP), -120,
			 3 * 365);
	if (dg_rng_chance(&r, jmip ? p_jih_with_jmip : p_jih_alone[size]))
		accredit(out, &r, scheme_name(IBX_ACCREDITATION_JIH), -90,
			 3 * 365);
	if (size == VERY_LARGE && dg_rng_chance(&r, p_jci_very_large))
		accredit(out, &r, scheme_name(IBX_ACCREDITATION_JCI), -60,
			 3 * 365);
	intl = out->naccreditations > 0 ||
	       dg_rng_chance(&r, p_international[size]);
	if (draw_languages(h, intl, out->naccreditations > 0, &r, ref, out) !=
	    DG_OK)
		return (DG_ERR_INTERNAL);
	out->remote_second_opinion = dg_rng_chance(
	    &r, p_remote[size] +
		    (out->naccreditations > 0 ? p_remote_accredited : 0.0));
	draw_bands(intl, out->naccreditations > 0, &r, out);
	snprintf(out->email, sizeof(out->email), "international-%s@example.jp",
		 h->org_code);
	dg_date_format(reference_day() -
			   dg_rng_range(&r, 0, CONFIRMED_WINDOW - 1),
		       out->confirmed_at);
	return (DG_OK);
}
