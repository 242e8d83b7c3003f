/*
 * national.h - the national hospital list: every hospital (名称に「病院」)
 * of the institution-code register in deploy/data joined to the three
 * detailed sources by organisation code, each geocoded by our own geocoder
 * (geocode.h), read in romaji (romaji.h), and given a generated answer to
 * "does it receive foreign patients at all" at about the real share. The
 * detailed readers, code matching and capability generation stay in their
 * own modules; this one adds what the national list needs on top.
 */
#ifndef DG_NATIONAL_H
#define DG_NATIONAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "datagen.h"
#include "geocode.h"
#include "hospital.h"
#include "synth.h"

#define DG_NATIONAL_SETS 3 /* detailed sets with official coordinates */

/* What the national list did, for the report on stderr. */
typedef struct dg_national_report {
	size_t register_rows;	    /* hospital rows in the register */
	size_t register_duplicates; /* rows merged into an earlier row */
	size_t register_detailed;   /* register hospitals a detailed source
				       already lists (merged by code) */
	size_t register_added;	    /* register-only hospitals listed */
	size_t by_pref[48];	    /* listings per JIS X 0401 prefecture */
	size_t by_level[DG_GEO_NLEVELS];
	size_t receives, accredited; /* generated foreign-patient answers */
	struct {
		const char *set;
		double *km; /* ours vs the source's, one per hospital */
		size_t n, cap;
		size_t by_level[DG_GEO_NLEVELS]; /* what ours reached */
	} official[DG_NATIONAL_SETS];
} dg_national_report;

/*
 * dg_register_load appends to l every hospital of the institution-code
 * register (jp_medical_institution_codes_2025-08_pref*.csv in data_dir;
 * rows whose name contains 病院) whose organisation code no hospital in l
 * holds yet, with set "register" and match DG_MATCH_REGISTER. Rows repeated
 * in the register (same 9-digit code) are merged into the first. Counts go
 * to rep. Returns DG_OK or the first read error (reported).
 */
dg_err dg_register_load(const char *data_dir, dg_hospital_list *l,
			dg_national_report *rep);

/*
 * dg_national_geocode gives every hospital of l a location and geo_level:
 * a source's own coordinates win (DG_GEO_OFFICIAL), and ours are measured
 * against them (rep->official, by set name among kochi, hokkaido,
 * kumamoto); every other hospital gets ours, or no location at
 * DG_GEO_NONE. Returns DG_OK or DG_ERR_NOMEM.
 */
dg_err dg_national_geocode(const dg_geocoder *g, dg_hospital_list *l,
			   dg_national_report *rep);

/*
 * dg_national_romaji sets name_latn and address_latn of every hospital in
 * l, and an English name transliterated from the reading (name_en_translit
 * set) where the source registered none. One kakasi run for the whole list.
 * Returns DG_OK, DG_ERR_IO (kakasi) or DG_ERR_NOMEM.
 */
dg_err dg_national_romaji(dg_hospital_list *l);

/*
 * dg_national_foreign draws, from the stream seed / "foreign:" + code,
 * whether h receives foreign patients at all (h->receives_foreign), at
 * about the real share: MHLW's list of hospitals receiving foreign patients
 * holds about 1,700 of some 8,000 hospitals, and the JMIP and JIH lists
 * about 60 to 80 (medical_inbound_key_figures_transcribed.csv). A hospital
 * that does not gets no accreditation, languages ["ja"], no countries and
 * no remote second opinion in cap; accreditations are thinned to that
 * share. Counts go to rep.
 */
void dg_national_foreign(dg_hospital *h, uint64_t seed, dg_capability *cap,
			 dg_national_report *rep);

/* dg_national_count adds h's prefecture and geocoding level to rep. */
void dg_national_count(const dg_hospital *h, dg_national_report *rep);

/*
 * dg_national_print writes the coverage by prefecture, the geocoding levels
 * and the distance between our points and the official ones (median, 90th
 * percentile, share under 1 km, per set) to f.
 */
void dg_national_print(dg_national_report *rep, FILE *f);

/* dg_national_free frees rep's arrays (not rep itself). */
void dg_national_free(dg_national_report *rep);

#endif /* DG_NATIONAL_H */
