/*
 * tally.c - occurrence counts of distinct strings for the stderr report.
 */
#include <stdlib.h>
#include <string.h>

#include "tally.h"

dg_err
dg_tally_add(dg_tally *t, const char *name)
{
	dg_tally_entry *nv;
	size_t i, ncap;

	for (i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].name, name) == 0) {
			t->v[i].count++;
			return (DG_OK);
		}
	}
	if (t->n == t->cap) {
		ncap = t->cap ? t->cap * 2 : 16;
		if ((nv = realloc(t->v, ncap * sizeof(*nv))) == NULL)
			return (DG_ERR_NOMEM);
		t->v = nv;
		t->cap = ncap;
	}
	if ((t->v[t->n].name = strdup(name)) == NULL)
		return (DG_ERR_NOMEM);
	t->v[t->n++].count = 1;
	return (DG_OK);
}

/* Orders entries by count, most frequent first, then by name. */
static int
by_count(const void *a, const void *b)
{
	const dg_tally_entry *x = a, *y = b;

	if (x->count != y->count)
		return (x->count < y->count ? 1 : -1);
	return (strcmp(x->name, y->name));
}

void
dg_tally_print(dg_tally *t, FILE *f, size_t max)
{
	size_t i;

	if (t->n > 1)
		qsort(t->v, t->n, sizeof(t->v[0]), by_count);
	for (i = 0; i < t->n && i < max; i++)
		fprintf(f, "%s%s (%u)", i ? ", " : "", t->v[i].name,
			t->v[i].count);
	if (t->n > max)
		fprintf(f, ", ... %zu more", t->n - max);
}

void
dg_tally_free(dg_tally *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	t->v = NULL;
	t->n = t->cap = 0;
}
