/*
 * hospital.h - one hospital as read from an open data source, before any
 * synthetic capability is added: the real fields of a listing and where its
 * organisation code came from. The source readers (hospitals_*.c) fill it,
 * codes.c gives it its organisation code, synth.c and emit.c read it.
 */
#ifndef DG_HOSPITAL_H
#define DG_HOSPITAL_H

#include <stddef.h>

#include "datagen.h"

#define DG_MAX_DEPTS 200 /* listing rule: at most 200 departments */

/* How a hospital's organisation code was found (codes.c). */
typedef enum dg_match {
	DG_MATCH_NONE = 0, /* no real code: a synthetic one was derived */
	DG_MATCH_EXACT,	   /* same name after normalisation */
	DG_MATCH_KEY,	   /* same name without legal-form words */
	DG_MATCH_POSTAL,   /* same postal code, one name contains the other */
	DG_MATCH_ADDRESS, /* same address and a shared distinctive name part */
	DG_MATCH_REGISTER, /* read from the code register itself */
	DG_MATCH_NKINDS
} dg_match;

typedef struct dg_hospital {
	const char *set;       /* source set name: "kochi", "hokkaido", ... */
	char source_id[32];    /* the source's row identifier */
	char prefecture[3];    /* JIS X 0401 code */
	char *name_ja;	       /* as published, trimmed */
	char *name_en;	       /* NULL when the source has none */
	char postal[8];	       /* 7 digits or "" */
	int postal_from_codes; /* postal taken from the code list */
	char *address;	       /* as published, trimmed; NULL when none */
	int has_location;      /* lat and lon are set */
	double lat, lon;       /* WGS 84 degrees */
	int beds;	       /* total beds, or -1 when unknown */
	char depts[DG_MAX_DEPTS][6]; /* 5-digit department codes */
	size_t ndepts;
	int many_depts;	   /* the source collapsed a long department list */
	char *website;	   /* http(s) URL or NULL */
	char org_code[11]; /* 10-digit organisation code */
	dg_match match;	   /* how org_code was found */
	/* The national list (national.c): */
	int geo_level;	      /* dg_geo_level the location came from */
	char *name_latn;      /* romaji reading of name_ja (ja-Latn) or NULL */
	char *address_latn;   /* romaji reading of address or NULL */
	int name_en_translit; /* name_en was transliterated, not registered */
	int receives_foreign; /* generated: receives foreign patients */
} dg_hospital;

/* A growable array of hospitals; dg_hospital_list_free releases all. */
typedef struct dg_hospital_list {
	dg_hospital *v;
	size_t n, cap;
} dg_hospital_list;

/*
 * dg_hospital_list_add appends a zeroed hospital (beds -1) of the given set
 * and prefecture and sets *out to it. The pointer stays valid until the next
 * add. Returns DG_OK or DG_ERR_NOMEM.
 */
dg_err dg_hospital_list_add(dg_hospital_list *l, const char *set,
			    const char *prefecture, dg_hospital **out);

/* dg_hospital_list_free frees every hospital's strings and the array. */
void dg_hospital_list_free(dg_hospital_list *l);

/*
 * dg_hospital_add_dept adds the 5-digit department code to h unless it is
 * there already. Returns DG_OK, or DG_ERR_FORMAT when h already holds
 * DG_MAX_DEPTS codes.
 */
dg_err dg_hospital_add_dept(dg_hospital *h, const char *code);

/*
 * dg_hospital_has_dept returns 1 when h lists a department whose code starts
 * with prefix ("02" for any surgical department, "09004" for one), else 0.
 */
int dg_hospital_has_dept(const dg_hospital *h, const char *prefix);

/*
 * dg_hospital_set_location stores lat and lon (WGS 84 degrees) in h when
 * they lie within Japan (lat 20 to 46, lon 122 to 154, the listing rule) and
 * within a rough box around h's prefecture where one is known (Hokkaido,
 * Kochi, Kumamoto). Returns 1 when stored, 0 when refused.
 */
int dg_hospital_set_location(dg_hospital *h, double lat, double lon);

/*
 * dg_hospital_set_website stores url in h when it is an http:// or https://
 * URL of at most 500 bytes with no white space or control characters.
 * Returns 1 when stored, 0 when refused, -1 when out of memory.
 */
int dg_hospital_set_website(dg_hospital *h, const char *url);

#endif /* DG_HOSPITAL_H */
