/*
 * depts.h - the national department codes (医療情報ネット 診療科目コード, five
 * digits) from deploy/data/jp_navii_department_codes_osm_mapping.csv, and
 * the resolution of the sources' department spellings to them: OSM
 * healthcare:speciality values (Kochi) and Japanese department names
 * (Hokkaido, Kumamoto). Source-specific abbreviations stay with the source
 * readers; this module knows the national list and its spelling variants.
 */
#ifndef DG_DEPTS_H
#define DG_DEPTS_H

#include "datagen.h"
#include "hospital.h"
#include "tally.h"

typedef struct dg_depts dg_depts;

/*
 * How a department name was resolved: NONE unknown (dropped); EXACT the
 * name, an old or variant spelling of it, or "X（q）" read as "qX" has a
 * code; GENERAL only X of "X（q）" has one; OTHER the group's x991 "other"
 * code (その他（内科系） and so on).
 */
typedef enum dg_dept_how {
	DG_DEPT_NONE = 0,
	DG_DEPT_EXACT,
	DG_DEPT_GENERAL,
	DG_DEPT_OTHER,
} dg_dept_how;

/* Counts for the report, per source set. */
typedef struct dg_dept_stats {
	unsigned mapped;	/* names and values with their own code */
	unsigned generalised;	/* DG_DEPT_GENERAL */
	unsigned other;		/* DG_DEPT_OTHER */
	unsigned dropped;	/* DG_DEPT_NONE */
	dg_tally other_names;	/* what went to an x991 code */
	dg_tally dropped_names; /* what was dropped */
} dg_dept_stats;

/*
 * dg_depts_load reads the mapping file at path into *out (free it with
 * dg_depts_free). Returns DG_OK, an error from reading, or DG_ERR_FORMAT
 * when a column is missing or a code is not 5 digits.
 */
dg_err dg_depts_load(const char *path, dg_depts **out);

/* dg_depts_free releases d; NULL is accepted. */
void dg_depts_free(dg_depts *d);

/* dg_depts_valid returns 1 when code is in the national list, else 0. */
int dg_depts_valid(const dg_depts *d, const char *code);

/*
 * dg_depts_osm returns the code for an OSM healthcare:speciality value: the
 * first row marked 'exact' that maps to the value alone, else the first
 * 'exact' row that maps to it among others, else the same for 'broader'
 * rows; NULL when no row has it. The string belongs to d.
 */
const char *dg_depts_osm(const dg_depts *d, const char *osm);

/*
 * dg_depts_resolve resolves a Japanese department name as published and sets
 * *code (owned by d) unless it returns DG_DEPT_NONE.
 */
dg_dept_how dg_depts_resolve(const dg_depts *d, const char *name,
			     const char **code);

/*
 * dg_depts_add resolves name, adds its code to h and counts the outcome in
 * st. Returns DG_OK, DG_ERR_NOMEM, or DG_ERR_FORMAT when h is full.
 */
dg_err dg_depts_add(const dg_depts *d, dg_hospital *h, const char *name,
		    dg_dept_stats *st);

/* dg_dept_stats_free frees the tallies in st (not st itself). */
void dg_dept_stats_free(dg_dept_stats *st);

#endif /* DG_DEPTS_H */
