/*
 * cases_mix.c - the nationality mix from the medical stay visa figures.
 * The transcribed file gives a TOTAL row per year and, for some years, the
 * leading nationalities (2024: CN 846 and VN 595 of 1,603). What the file
 * does not break out is spread with fixed weights; these, and the share of
 * visa-exempt patients, are judgement, documented in docs/case-records.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases_mix.h"
#include "csvread.h"
#include "sources.h"

#define VISA_FILE "medical_stay_visa_issuance_2011-2024_transcribed.csv"
#define YEARS	  64
#define FIRST	  2000

/* Visa-needing nationalities the file does not break out, by weight. */
static const struct {
	const char *code;
	double weight;
} other_visa[] = {
    {"RU", 0.40}, {"MN", 0.15}, {"PH", 0.12}, {"ID", 0.12},
    {"KH", 0.08}, {"MM", 0.07}, {"UZ", 0.06},
};

/* Visa-exempt nationalities (short stays), by weight. */
static const struct {
	const char *code;
	double weight;
} exempt[] = {
    {"US", 0.30}, {"KR", 0.18}, {"TW", 0.18}, {"TH", 0.10}, {"SG", 0.07},
    {"MY", 0.06}, {"HK", 0.05}, {"GB", 0.03}, {"AU", 0.03},
};

struct visa_rows {
	long total[YEARS];
	struct {
		int year;
		char code[3];
		long n;
	} v[256];
	int n;
	int col_year, col_code, col_visas;
	dg_err rv;
};

static dg_err
on_row(const dg_csv_row *row, void *arg)
{
	static const char *const names[] = {
	    "year", "nationality_iso3166_alpha2", "visas_issued"};
	struct visa_rows *vr = arg;
	int *const slots[] = {&vr->col_year, &vr->col_code, &vr->col_visas};
	const char *code;
	long year, n;

	if (row->record == 0)
		return (dg_csv_columns(row, VISA_FILE, names, slots, 3));
	if (!dg_parse_int(dg_csv_field(row, vr->col_year), &year) ||
	    !dg_parse_int(dg_csv_field(row, vr->col_visas), &n) ||
	    year < FIRST || year >= FIRST + YEARS || n < 0) {
		dg_error("%s: record %zu: bad year or visas_issued", VISA_FILE,
			 row->record);
		return (DG_ERR_FORMAT);
	}
	code = dg_csv_field(row, vr->col_code);
	if (code[0] == '\0')
		vr->total[year - FIRST] = n;
	else if (strlen(code) == 2 && vr->n < 256) {
		vr->v[vr->n].year = (int)year;
		memcpy(vr->v[vr->n].code, code, 3);
		vr->v[vr->n].n = n;
		vr->n++;
	}
	return (DG_OK);
}

static void
add(dg_mix *m, const char *code, double w, int visa)
{
	int i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].code, code) == 0) {
			m->v[i].weight += w;
			return;
		}
	if (m->n == DG_MIX_MAX)
		return;
	memcpy(m->v[m->n].code, code, 3);
	m->v[m->n].weight = w;
	m->v[m->n].visa_needed = visa;
	m->n++;
}

/* Whether year y breaks out China. */
static int
has_breakdown(const struct visa_rows *vr, int y)
{
	int i;

	for (i = 0; i < vr->n; i++)
		if (vr->v[i].year == y && strcmp(vr->v[i].code, "CN") == 0)
			return (1);
	return (0);
}

dg_err
dg_mix_load(const char *data_dir, int year, dg_mix *out)
{
	struct visa_rows *vr;
	char path[4096];
	double known = 0, rest, total;
	size_t k;
	int y, d, i, src = 0;
	dg_err rv;

	memset(out, 0, sizeof(*out));
	if ((vr = calloc(1, sizeof(*vr))) == NULL)
		return (DG_ERR_NOMEM);
	if ((rv = dg_data_path(data_dir, VISA_FILE, path, sizeof(path))) !=
		DG_OK ||
	    (rv = dg_csv_read(path, on_row, vr)) != DG_OK)
		goto out;
	/* The nearest year with a breakdown, the later one on a tie. */
	for (d = 0; d < YEARS && src == 0; d++)
		for (i = 0; i < (d > 0 ? 2 : 1) && src == 0; i++) {
			y = i == 0 ? year + d : year - d;
			if (y >= FIRST && y < FIRST + YEARS &&
			    has_breakdown(vr, y) && vr->total[y - FIRST] > 0)
				src = y;
		}
	if (src == 0) {
		dg_error("%s: no year breaks out nationalities", VISA_FILE);
		rv = DG_ERR_FORMAT;
		goto out;
	}
	out->year = year;
	out->source_year = src;
	for (y = FIRST + YEARS - 1; y >= FIRST; y--)
		if (vr->total[y - FIRST] > 0) {
			out->latest_year = y;
			out->visas_latest = vr->total[y - FIRST];
			break;
		}
	out->visas_total = year >= FIRST && year < FIRST + YEARS
			       ? vr->total[year - FIRST]
			       : 0;
	total = (double)vr->total[src - FIRST];
	for (i = 0; i < vr->n; i++)
		if (vr->v[i].year == src) {
			add(out, vr->v[i].code,
			    (1 - DG_MIX_EXEMPT_SHARE) * (double)vr->v[i].n /
				total,
			    1);
			known += (double)vr->v[i].n;
		}
	rest = total > known ? (total - known) / total : 0;
	for (k = 0; k < sizeof(other_visa) / sizeof(other_visa[0]); k++)
		add(out, other_visa[k].code,
		    (1 - DG_MIX_EXEMPT_SHARE) * rest * other_visa[k].weight,
		    1);
	for (k = 0; k < sizeof(exempt) / sizeof(exempt[0]); k++)
		add(out, exempt[k].code,
		    DG_MIX_EXEMPT_SHARE * exempt[k].weight, 0);
	rv = DG_OK;
out:
	free(vr);
	return (rv);
}

double
dg_mix_volume(const dg_mix *m)
{
	if (m->visas_total <= 0 || m->visas_latest <= 0 ||
	    m->year > m->latest_year)
		return (1);
	return ((double)m->visas_total / (double)m->visas_latest);
}

int
dg_mix_draw(const dg_mix *m, dg_rng *r)
{
	double u = dg_rng_unit(r), sum = 0;
	int i;

	for (i = 0; i < m->n - 1; i++) {
		sum += m->v[i].weight;
		if (u < sum)
			return (i);
	}
	return (m->n - 1);
}

void
dg_mix_print(const dg_mix *m)
{
	char line[1024];
	size_t w = 0;
	int i;

	for (i = 0; i < m->n && w < sizeof(line) - 32; i++)
		w += (size_t)snprintf(line + w, sizeof(line) - w,
				      "%s%s %.1f%%", i ? ", " : "",
				      m->v[i].code, 100 * m->v[i].weight);
	fprintf(stderr,
		"%s: nationality mix from medical stay visas %d (%ld issued "
		"in %d, volume x%.2f of %d): %s\n",
		DG_PROG, m->source_year, m->visas_total, m->year,
		dg_mix_volume(m), m->latest_year, line);
}
