/*
 * tally.h - counting how often each distinct string occurs, for the report
 * of dropped department names and similar. Small sets only (linear search).
 */
#ifndef DG_TALLY_H
#define DG_TALLY_H

#include <stdio.h>

#include "datagen.h"

typedef struct dg_tally_entry {
	char *name;	/* owned */
	unsigned count; /* occurrences */
} dg_tally_entry;

typedef struct dg_tally {
	dg_tally_entry *v;
	size_t n, cap;
} dg_tally;

/* dg_tally_add counts one more name. Returns DG_OK or DG_ERR_NOMEM. */
dg_err dg_tally_add(dg_tally *t, const char *name);

/*
 * dg_tally_print writes the names, most frequent first, as
 * "name (count), ..." on one line to f, at most max entries.
 */
void dg_tally_print(dg_tally *t, FILE *f, size_t max);

/* dg_tally_free frees the names and the array; t itself is not freed. */
void dg_tally_free(dg_tally *t);

#endif /* DG_TALLY_H */
