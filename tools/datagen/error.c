/*
 * error.c - dg_error, the one way the converter reports a failure.  On its
 * own so that the readers (csvread.c) and the report (report.c) both use it
 * without using each other.
 */
#include <stdarg.h>
#include <stdio.h>

#include "datagen.h"

void
dg_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", DG_PROG);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
