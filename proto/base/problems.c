/* Collected validation problems; see problems.h. */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "problems.h"

void
ibx_problems_init(ibx_problems *p)
{
	memset(p, 0, sizeof(*p));
}

void
ibx_problems_add(ibx_problems *p, const char *field, const char *fmt, ...)
{
	char reason[512];
	char *item;
	va_list ap;
	int n;

	assert(p != NULL && field != NULL && fmt != NULL);
	if (p->n >= IBX_PROBLEMS_MAX) {
		p->dropped++;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	n = snprintf(NULL, 0, "field \"%s\": %s", field, reason);
	if (n < 0 || (item = malloc((size_t)n + 1)) == NULL) {
		p->dropped++;
		return;
	}
	snprintf(item, (size_t)n + 1, "field \"%s\": %s", field, reason);
	p->items[p->n++] = item;
}

size_t
ibx_problems_count(const ibx_problems *p)
{
	return (p->n + p->dropped);
}

char *
ibx_problems_join(const ibx_problems *p, const char *sep)
{
	size_t len = 1, seplen = strlen(sep), i;
	char more[64] = "";
	char *out, *w;

	if (p->dropped > 0)
		snprintf(more, sizeof(more), "%s(and %zu more)", sep,
			 p->dropped);
	for (i = 0; i < p->n; i++)
		len += strlen(p->items[i]) + seplen;
	len += strlen(more);
	if ((out = malloc(len)) == NULL)
		return (NULL);
	w = out;
	for (i = 0; i < p->n; i++) {
		if (i > 0) {
			memcpy(w, sep, seplen);
			w += seplen;
		}
		strcpy(w, p->items[i]);
		w += strlen(p->items[i]);
	}
	strcpy(w, more);
	return (out);
}

void
ibx_problems_fini(ibx_problems *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		free(p->items[i]);
	ibx_problems_init(p);
}
