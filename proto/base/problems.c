/* Collected validation problems; see problems.h. */
#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "problems.h"

void
ibx_problems_init(ibx_problems *p)
{
	memset(p, 0, sizeof(*p));
}

/* Only the conversions our reasons use: flags and width are skipped, a
 * precision is kept for %f and %s (a "%.3s" value need not be NUL-ended
 * after its 3 bytes). */
void
ibx_problem_args(char *args[IBX_PROBLEM_ARGS], const char *fmt, va_list ap)
{
	char val[512];
	const char *c;
	int k = 0, prec, has_prec, len;

	for (c = fmt; *c != '\0'; c++) {
		if (*c != '%')
			continue;
		if (*++c == '%')
			continue;
		while (*c != '\0' && strchr("-+ #0123456789", *c) != NULL)
			c++;
		prec = 6;
		has_prec = *c == '.';
		if (has_prec) {
			prec = atoi(++c);
			while (*c >= '0' && *c <= '9')
				c++;
		}
		len = 0;
		while (*c == 'l' || *c == 'z' || *c == 'h' || *c == 'j' ||
		       *c == 't') {
			len = *c == 'z' ? 'z' : len + (*c == 'l');
			c++;
		}
		switch (*c) {
		case 'd':
		case 'i':
			snprintf(val, sizeof(val), "%lld",
				 len == 2     ? va_arg(ap, long long)
				 : len == 1   ? (long long)va_arg(ap, long)
				 : len == 'z' ? (long long)va_arg(ap, ssize_t)
					      : (long long)va_arg(ap, int));
			break;
		case 'u':
		case 'x':
			snprintf(
			    val, sizeof(val), "%llu",
			    len == 2 ? va_arg(ap, unsigned long long)
			    : len == 1
				? (unsigned long long)va_arg(ap, unsigned long)
			    : len == 'z'
				? (unsigned long long)va_arg(ap, size_t)
				: (unsigned long long)va_arg(ap, unsigned));
			break;
		case 'f':
		case 'g':
			snprintf(val, sizeof(val), "%.*f", prec,
				 va_arg(ap, double));
			break;
		case 'c':
			snprintf(val, sizeof(val), "%c", va_arg(ap, int));
			break;
		case 's':
			if (has_prec)
				snprintf(val, sizeof(val), "%.*s", prec,
					 va_arg(ap, const char *));
			else
				snprintf(val, sizeof(val), "%s",
					 va_arg(ap, const char *));
			break;
		default:
			/* A conversion our reasons do not use: a
			 * programmer's error, caught by the tests. */
			assert(!"ibx_problems_addc: unsupported conversion");
			return;
		}
		if (k < IBX_PROBLEM_ARGS)
			args[k++] = strdup(val);
		if (*c == '\0')
			break;
	}
}

static void
vadd(ibx_problems *p, const char *field, const char *code, const char *fmt,
     va_list ap)
{
	char reason[512];
	char *item;
	va_list aq;
	size_t i;
	int n;

	assert(p != NULL && field != NULL && fmt != NULL);
	if (p->n >= IBX_PROBLEMS_MAX) {
		p->dropped++;
		return;
	}
	va_copy(aq, ap);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	n = snprintf(NULL, 0, "field \"%s\": %s", field, reason);
	if (n < 0 || (item = malloc((size_t)n + 1)) == NULL) {
		va_end(aq);
		p->dropped++;
		return;
	}
	snprintf(item, (size_t)n + 1, "field \"%s\": %s", field, reason);
	i = p->n++;
	p->items[i] = item;
	p->fields[i] = strdup(field);
	p->codes[i] = code;
	memset(p->args[i], 0, sizeof(p->args[i]));
	if (code != NULL)
		ibx_problem_args(p->args[i], fmt, aq);
	va_end(aq);
}

void
ibx_problems_add(ibx_problems *p, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(p, field, NULL, fmt, ap);
	va_end(ap);
}

void
ibx_problems_addc(ibx_problems *p, const char *field, const char *code,
		  const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(p, field, code, fmt, ap);
	va_end(ap);
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
	size_t i, k;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->items[i]);
		free(p->fields[i]);
		for (k = 0; k < IBX_PROBLEM_ARGS; k++)
			free(p->args[i][k]);
	}
	ibx_problems_init(p);
}
