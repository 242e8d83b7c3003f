/*
 * commands.h - the commands of inbound-datagen, each wiring the modules
 * together; main.c only parses the command line.
 */
#ifndef DG_COMMANDS_H
#define DG_COMMANDS_H

#include <stdint.h>

#include "datagen.h"

/* Options of "inbound-datagen listings". */
typedef struct dg_listings_opts {
	const char *data_dir;	       /* deploy/data or a copy of it */
	const char *out_dir;	       /* created when missing */
	uint64_t seed;		       /* generator seed (default 42) */
	int kochi, hokkaido, kumamoto; /* which source sets to convert */
	int national; /* also every other hospital of the code register */
	int verbose;  /* print every non-exact code match */
} dg_listings_opts;

/* Options of "inbound-datagen coordinators". */
typedef struct dg_coordinators_opts {
	const char *out_dir;  /* created when missing */
	const char *data_dir; /* optional: check codes against deploy/data */
	uint64_t seed;
	unsigned count; /* 1 to DG_COORDINATORS_MAX */
} dg_coordinators_opts;

/* Options of "inbound-datagen cases". */
typedef struct dg_cases_opts {
	const char *listings_dir; /* hospital listings to generate for, or */
	const char *hospital;	  /* one organisation code */
	const char *out_dir;	  /* created when missing */
	const char *data_dir;	  /* deploy/data: the visa figures */
	int year;		  /* 2000..2099 */
	int month;		  /* 1..12 for a one-month file, else 0 */
	uint64_t seed;
	int rows_fixed;	   /* --rows given: */
	uint64_t rows;	   /* rows in all, shared by expected patients */
	uint64_t bad_rows; /* bad rows per file, each kind in turn */
} dg_cases_opts;

/*
 * dg_cases_run writes one synthetic case-record CSV per hospital, a README
 * saying they are synthetic, and a summary on stderr. Returns DG_OK or the
 * first error, already reported.
 */
dg_err dg_cases_run(const dg_cases_opts *o);

/*
 * dg_listings_run reads the chosen hospital lists, matches organisation
 * codes, generates the capability fields, checks and writes one listing per
 * hospital and prints the report on stderr. Returns DG_OK or the first
 * error, already reported.
 */
dg_err dg_listings_run(const dg_listings_opts *o);

/*
 * dg_coordinators_run writes o->count synthetic coordinator listings.
 * Returns DG_OK or the first error, already reported.
 */
dg_err dg_coordinators_run(const dg_coordinators_opts *o);

#endif /* DG_COMMANDS_H */
