/*
 * cases_sites.h - the hospitals case records are generated for, and how
 * many foreign patients each sees in a year. Read from the listing JSON
 * files "inbound-datagen listings" wrote (organisation code, beds,
 * accreditations), or a single organisation code. The volume model is
 * judgement, not statistics: accredited hospitals (JMIP, JIH) see about a
 * quarter of a foreign patient per bed a year, large ones without
 * accreditation a few, most small hospitals none.
 */
#ifndef DG_CASES_SITES_H
#define DG_CASES_SITES_H

#include <stddef.h>
#include <stdint.h>

#include "datagen.h"

/* Most price bands kept per hospital. */
#define DG_SITE_BANDS 16

/* One price band of a listing (docs/listing-format.md, price_bands[]). */
typedef struct dg_site_band {
	char
	    service[32]; /* a treatment code, consultation or second_opinion */
	long long min_jpy; /* 0 <= min_jpy <= max_jpy */
	long long max_jpy;
} dg_site_band;

typedef struct dg_site {
	char code[11];	 /* organisation code */
	int beds;	 /* -1 when the listing gives none */
	int accredited;	 /* holds JMIP or JIH */
	double patients; /* expected foreign patients a year */
	uint64_t rows;	 /* rows to write when fixed (--rows), else 0 */
	dg_site_band bands[DG_SITE_BANDS]; /* the listing's price bands */
	int nbands;
} dg_site;

typedef struct dg_site_list {
	dg_site *v;
	size_t n, cap;
} dg_site_list;

/*
 * dg_sites_from_listings adds every hospital listing (a JSON file with an
 * organisation_code; coordinator listings, which have services and a
 * certification, are skipped) in dir to l, in organisation code order. Returns
 * DG_OK, DG_ERR_IO, DG_ERR_FORMAT (a listing without a 10-digit code) or
 * DG_ERR_NOMEM, reported.
 */
dg_err dg_sites_from_listings(const char *dir, dg_site_list *l);

/*
 * dg_sites_add_code adds the hospital with organisation code code (10
 * digits; DG_ERR_USAGE otherwise) of unknown size, treated as an
 * accredited 500-bed hospital.
 */
dg_err dg_sites_add_code(dg_site_list *l, const char *code);

/*
 * dg_sites_volume sets each site's expected patients a year from its beds
 * and accreditation, drawing whether a small unaccredited hospital has any
 * from the stream "cases-volume:<code>" of seed.
 */
void dg_sites_volume(dg_site_list *l, uint64_t seed);

/*
 * dg_sites_rows shares total rows among the sites in proportion to their
 * expected patients (every row to the first site when none expects any),
 * largest remainders first, so the shares add up to total exactly.
 */
void dg_sites_rows(dg_site_list *l, uint64_t total);

/* dg_sites_free frees the array; the list is empty afterwards. NULL is
 * accepted. */
void dg_sites_free(dg_site_list *l);

#endif /* DG_CASES_SITES_H */
