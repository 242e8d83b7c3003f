/*
 * synth.h - the capability fields of a hospital listing that no open data
 * holds (treatments, languages, accreditations, countries, price bands,
 * remote second opinion, international contact, confirmation date), drawn
 * from a seeded generator so that a demo has something plausible to
 * search. Plausible means: tied to the hospital's real size and departments
 * (particle therapy only at a few very large hospitals, cardiac surgery only
 * where there is a cardiac surgery department). Every listing names these
 * fields in its "synthetic" list (emit.c).
 */
#ifndef DG_SYNTH_H
#define DG_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "datagen.h"
#include "hospital.h"
#include "refdata.h"

#define DG_MAX_TREATMENTS 27
#define DG_MAX_LANGUAGES  10
#define DG_MAX_COUNTRIES  20
#define DG_MAX_BANDS	  8

typedef struct dg_accreditation {
	const char
	    *scheme; /* an accreditation scheme (IBX_LIST_ACCREDITATION) */
	char expires[11]; /* YYYY-MM-DD */
} dg_accreditation;

typedef struct dg_price_band {
	const char *service; /* a treatment or price-band service code */
	long min_jpy, max_jpy;
} dg_price_band;

/* Generated capability of one hospital; strings are static constants. */
typedef struct dg_capability {
	const char *treatments[DG_MAX_TREATMENTS];
	size_t ntreatments;
	const char *languages[DG_MAX_LANGUAGES];
	size_t nlanguages;
	dg_accreditation accreditations[3];
	size_t naccreditations;
	const char *countries[DG_MAX_COUNTRIES];
	size_t ncountries;
	dg_price_band bands[DG_MAX_BANDS];
	size_t nbands;
	int remote_second_opinion;
	char email[64];	       /* at example.jp */
	char confirmed_at[11]; /* within two years before the reference day */
} dg_capability;

/*
 * dg_synth_hospital fills *out for hospital h (which must have its
 * organisation code) from the stream seed / h->set:h->source_id. Codes are
 * checked against ref. Returns DG_OK, or DG_ERR_INTERNAL when a built-in
 * language or country code is not in the reference lists.
 */
dg_err dg_synth_hospital(const dg_hospital *h, uint64_t seed,
			 const dg_refdata *ref, dg_capability *out);

#endif /* DG_SYNTH_H */
