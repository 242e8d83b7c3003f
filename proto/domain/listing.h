/*
 * Capability listings as the domain sees them: a hospital's (and later a
 * coordinator's) published capabilities, independent of how they travel
 * (codec.c) or how they are written in a file (listing_json.c).  This module
 * owns the struct, its release, and the rules every listing must keep
 * (docs/listing-format.md); the spoke checks them before it sends and the hub
 * checks them again on receipt.
 */
#ifndef IBX_LISTING_H
#define IBX_LISTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "problems.h"

/* Names besides ja and en: zh-Hans, zh-Hant, ko, vi, ru, ja-Latn. */
#define IBX_NAME_NLANGS 6

/* A vector of owned strings. */
typedef struct ibx_strv {
	char **v;
	size_t n;
} ibx_strv;

typedef struct ibx_accreditation {
	char *scheme;  /* JMIP, JIH, JCI */
	char *expires; /* YYYY-MM-DD, or NULL when it does not expire */
} ibx_accreditation;

typedef struct ibx_price_band {
	char *service;	 /* a treatment code, consultation, second_opinion */
	int64_t min_jpy; /* JPY */
	int64_t max_jpy; /* JPY */
} ibx_price_band;

/* A hospital's capability listing.  Every pointer is owned by the listing
 * and released by ibx_listing_free; optional strings are NULL when absent. */
typedef struct ibx_listing {
	char *organisation_code; /* 10 digits */
	char *name_ja;
	char *name_en;
	char *prefecture; /* JIS X 0401 "01".."47" */
	char *postal_code;
	char *address;
	bool has_location;
	double lat, lon; /* WGS 84 degrees */
	int32_t beds;	 /* -1 when not given */
	ibx_strv departments;
	ibx_strv treatments;
	ibx_strv languages;
	ibx_strv accepts_countries;
	ibx_accreditation *accreditations;
	size_t n_accreditations;
	ibx_price_band *price_bands;
	size_t n_price_bands;
	bool remote_second_opinion;
	char *website;
	char *contact_email;
	char *contact_phone;
	char *confirmed_at; /* YYYY-MM-DD */
	ibx_strv synthetic;
	/* The national list (listing_names.c); all optional. */
	char *names[IBX_NAME_NLANGS];  /* name.<ibx_name_langs[i]> or NULL */
	char *address_latn;	       /* the address read in romaji */
	char *name_en_source;	       /* "registered", "transliteration" */
	char *geocode_level;	       /* "official", "town", "municipality" */
	int receives_foreign_patients; /* -1 not given, 0 no, 1 yes */
} ibx_listing;

/* The languages a name may carry besides ja and en, as BCP 47 tags, in the
 * order of ibx_listing.names. */
extern const char *const ibx_name_langs[IBX_NAME_NLANGS];

/* ibx_listing_check_national: the rules of the national-list fields
 * (names in other languages, readings, name_en_source, geocode_level),
 * each broken one added to 'problems' with its field path.  Called by
 * ibx_listing_check. */
void ibx_listing_check_national(const ibx_listing *l, ibx_problems *problems);

/* ibx_name_lang_index: the index in ibx_name_langs of a tag, or -1. */
int ibx_name_lang_index(const char *tag);

/* ibx_listing_new: an empty listing (beds -1); NULL when out of memory.
 * The caller frees it with ibx_listing_free. */
ibx_listing *ibx_listing_new(void);

/* ibx_listing_free: release a listing and everything it owns; NULL is
 * fine. */
void ibx_listing_free(ibx_listing *l);

/* ibx_listing_check: check every rule of docs/listing-format.md and add
 * one problem per broken rule to 'problems' (field path and reason).
 * Returns IBX_OK when none was found, IBX_EINVAL otherwise. */
ibx_err ibx_listing_check(const ibx_listing *l, ibx_problems *problems);

/* ibx_strv_push: append a copy of s.  IBX_ENOMEM on failure. */
ibx_err ibx_strv_push(ibx_strv *sv, const char *s);

/* ibx_strv_contains: true when sv holds s. */
bool ibx_strv_contains(const ibx_strv *sv, const char *s);

/* ibx_strv_fini: free the strings and the array; sv is empty afterwards.
 * NULL is fine. */
void ibx_strv_fini(ibx_strv *sv);

/* ibx_date_valid: true for a real calendar date written YYYY-MM-DD. */
bool ibx_date_valid(const char *s);

/* ibx_digits: true when s is exactly n ASCII digits. */
bool ibx_digits(const char *s, size_t n);

#endif /* IBX_LISTING_H */
