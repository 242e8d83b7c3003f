/*
 * The periods of a case file; see agent_periods.h.  The header is bound
 * as the anonymiser binds it (cases_header.h), so a file whose periods
 * are found here has the first_visit column the anonymiser reads.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_periods.h"
#include "cases_csv.h"
#include "cases_date.h"
#include "cases_header.h"
#include "statistics.h"

/* Periods from 2000-01 for the 1000 years spoke_date_parse reads. */
#define FIRST_PERIOD (2000 * 12)
#define SPAN	     (1000 * 12)

struct scan {
	const spoke_cases_map *map;
	spoke_msgs *problems;
	char *names[SPOKE_HEADER_FIELDS_MAX + 1];
	size_t nnames;
	size_t col;	  /* fields of the current record so far */
	bool in_header;	  /* the current record is the header */
	bool stop;	  /* a failure: ignore the rest */
	ibx_err failure;  /* what it was */
	long first_visit; /* its field, or -1 */
	bool seen[SPAN];  /* by period index - FIRST_PERIOD */
};

static void
on_field(void *s, size_t len, void *arg)
{
	struct scan *sc = arg;
	size_t col = sc->col++;
	const char *p = s;
	spoke_date d;
	int period;

	if (sc->stop)
		return;
	if (sc->in_header) {
		if (col >= SPOKE_HEADER_FIELDS_MAX) {
			sc->nnames = col + 1;
			return;
		}
		if ((sc->names[col] = malloc(len + 1)) == NULL) {
			sc->failure = IBX_ENOMEM;
			sc->stop = true;
			return;
		}
		memcpy(sc->names[col], s, len);
		sc->names[col][len] = '\0';
		sc->nnames = col + 1;
		return;
	}
	if ((long)col != sc->first_visit)
		return;
	while (len > 0 && *p == ' ') {
		p++;
		len--;
	}
	while (len > 0 && p[len - 1] == ' ')
		len--;
	if (!spoke_date_parse(p, len, &d))
		return;
	period = spoke_date_period(&d) - FIRST_PERIOD;
	if (period >= 0 && period < SPAN)
		sc->seen[period] = true;
}

static void
on_record(int c, void *arg)
{
	struct scan *sc = arg;
	spoke_cases_header h;
	size_t i;

	(void)c;
	sc->col = 0;
	if (sc->stop || !sc->in_header)
		return;
	sc->in_header = false;
	if (spoke_cases_header_bind((const char *const *)sc->names, sc->nnames,
				    sc->map, &h, sc->problems) != IBX_OK) {
		sc->failure = IBX_EINVAL;
		sc->stop = true;
		return;
	}
	for (i = 0; i < h.nfields; i++)
		if (h.col[i] == SPOKE_COL_FIRST_VISIT)
			sc->first_visit = (long)i;
}

ibx_err
spoke_agent_periods(const char *path, const spoke_cases_map *map,
		    spoke_period **periods, size_t *n, spoke_msgs *problems)
{
	struct scan *sc = NULL;
	spoke_csv_sink sink;
	spoke_csv_error cerr;
	spoke_period *out = NULL;
	size_t count = 0, i, k;
	FILE *f = NULL;
	ibx_err rv;
	int e;

	if ((sc = calloc(1, sizeof(*sc))) == NULL)
		return (IBX_ENOMEM);
	sc->map = map;
	sc->problems = problems;
	sc->in_header = true;
	sc->first_visit = -1;
	if ((f = fopen(path, "rb")) == NULL) {
		e = errno;
		spoke_msgs_add(problems, "%s: cannot open: %s", path,
			       strerror(e));
		rv = IBX_EIO;
		goto out;
	}
	memset(&sink, 0, sizeof(sink));
	sink.field = on_field;
	sink.record = on_record;
	sink.arg = sc;
	sink.stop = &sc->stop;
	if ((rv = spoke_csv_read(f, &sink, &cerr)) != IBX_OK) {
		spoke_msgs_add(problems, "%s", cerr.reason);
		goto out;
	}
	if (sc->in_header) {
		spoke_msgs_add(problems, "header: the file is empty");
		rv = IBX_EINVAL;
		goto out;
	}
	if ((rv = sc->failure) != IBX_OK)
		goto out;
	for (i = 0; i < SPAN; i++)
		count += sc->seen[i];
	if (count > 0 && (out = calloc(count, sizeof(*out))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	for (i = 0, k = 0; i < SPAN; i++)
		if (sc->seen[i])
			snprintf(out[k++].s, sizeof(out->s), "%04u-%02u",
				 (unsigned)((i + FIRST_PERIOD) / 12) % 10000u,
				 (unsigned)(i % 12 + 1));
	*periods = out;
	*n = count;
	out = NULL;
out:
	if (f != NULL)
		fclose(f);
	for (i = 0; i < SPOKE_HEADER_FIELDS_MAX; i++)
		free(sc->names[i]);
	free(sc);
	free(out);
	return (rv);
}
