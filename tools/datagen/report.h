/*
 * report.h - what the converter tells its user on stderr: per source set,
 * how organisation codes were found, how departments were mapped, and which
 * real fields were missing or refused. Counting happens in the source
 * readers and here; nothing in this module decides anything.
 */
#ifndef DG_REPORT_H
#define DG_REPORT_H

#include <stdio.h>

#include "datagen.h"
#include "depts.h"
#include "hospital.h"

typedef struct dg_set_report {
	const char *set;		 /* source set name */
	unsigned hospitals;		 /* rows read */
	unsigned match[DG_MATCH_NKINDS]; /* by match kind; NONE = derived */
	dg_dept_stats depts;		 /* department mapping outcome */
	unsigned no_depts;	    /* hospitals left without departments */
	unsigned location;	    /* hospitals with a location */
	unsigned location_refused;  /* coordinates outside Japan/prefecture */
	unsigned beds;		    /* hospitals with a bed count */
	unsigned postal;	    /* hospitals with a postal code */
	unsigned postal_from_codes; /* ... taken from the code list */
	unsigned name_en;	    /* hospitals with an English name */
	unsigned website;	    /* hospitals with a website */
	unsigned website_refused;   /* websites that broke the rule */
} dg_set_report;

/* dg_report_count adds the per-hospital counts of set r->set in l to r. */
void dg_report_count(dg_set_report *r, const dg_hospital_list *l);

/* dg_report_print writes r to f as a few "inbound-datagen: set: ..." lines. */
void dg_report_print(dg_set_report *r, FILE *f);

/* dg_report_free frees the tallies in r (not r itself). */
void dg_report_free(dg_set_report *r);

#endif /* DG_REPORT_H */
