/*
 * datagen.h - what every module of inbound-datagen shares: the error codes
 * and the error reporter. inbound-datagen turns the open hospital data in
 * deploy/data into listing JSON files (docs/listing-format.md) and makes
 * synthetic coordinator listings and synthetic case-record exports
 * (docs/case-records.md); it is a build-time tool and links nothing from
 * proto/, hub/ or spoke/.
 */
#ifndef DG_DATAGEN_H
#define DG_DATAGEN_H

#define DG_PROG "inbound-datagen"

/* Fixed reference day for every generated date, so output is reproducible. */
#define DG_REFERENCE_DATE "2026-11-01"

typedef enum dg_err {
	DG_OK = 0,
	DG_ERR_USAGE,	 /* bad command line */
	DG_ERR_IO,	 /* a file could not be read or written */
	DG_ERR_NOMEM,	 /* out of memory */
	DG_ERR_FORMAT,	 /* an input file is not what it should be */
	DG_ERR_INTERNAL, /* generated output broke a listing rule (a bug) */
} dg_err;

/*
 * dg_error prints one message to stderr, prefixed with the program name, in
 * PostgreSQL's style (lower case, no full stop, context then cause).
 */
void dg_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif /* DG_DATAGEN_H */
