/*
 * cmd_cases.c - "inbound-datagen cases": synthetic case-record exports,
 * one CSV file per hospital for a year (or one month of it), calibrated to
 * the medical stay visa figures (cases_mix.c), sized by the volume model
 * (cases_sites.c) or by --rows, with --bad-rows rows of each refused kind
 * in turn. Each file is written under a temporary name and renamed; a
 * README in the output directory and a line on stderr say the data are
 * synthetic.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cases_mix.h"
#include "cases_model.h"
#include "cases_sites.h"
#include "cases_write.h"
#include "commands.h"
#include "coordinators.h"
#include "dates.h"
#include "emit.h"

/* Coordinators a hospital may work with: those "coordinators" writes by
 * default, so referral_org codes match generated coordinator listings. */
#define COORDINATORS 12

/* Totals over the run. */
struct totals {
	uint64_t patients, episodes, bad, files, empty;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static dg_err
write_readme(const dg_cases_opts *o, const dg_mix *mix)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/README.synthetic.txt", o->out_dir);
	if ((f = fopen(path, "w")) == NULL) {
		dg_error("%s: %s", path, strerror(errno));
		return (DG_ERR_IO);
	}
	fprintf(f,
		"SYNTHETIC DATA. Every synthetic_cases_*.csv file here was "
		"made up by\n"
		"inbound-datagen cases (seed %llu, year %d%s) for demos and "
		"tests.\n"
		"No row describes a real patient. The nationality mix follows "
		"the\n"
		"medical stay visas issued in %d "
		"(deploy/data/medical_stay_visa_issuance_\n"
		"2011-2024_transcribed.csv); purposes, diagnoses, ages, stays "
		"and charges\n"
		"are judgement (docs/case-records.md, \"Generated case "
		"records\").\n",
		(unsigned long long)o->seed, o->year,
		o->month ? " (one month)" : "", mix->source_year);
	if (fclose(f) != 0) {
		dg_error("%s: %s", path, strerror(errno));
		return (DG_ERR_IO);
	}
	return (DG_OK);
}

/* The window of first visits: the year, or one month of it. */
static void
window(const dg_cases_opts *o, long *from, long *to)
{
	char d[32];
	int m = o->month ? o->month : 1;

	snprintf(d, sizeof(d), "%04d-%02d-01", o->year % 10000, m % 100);
	dg_date_parse(d, from);
	if (o->month == 0 || o->month == 12)
		snprintf(d, sizeof(d), "%04d-01-01", (o->year + 1) % 10000);
	else
		snprintf(d, sizeof(d), "%04d-%02d-01", o->year % 10000,
			 (o->month + 1) % 100);
	dg_date_parse(d, to);
	(*to)--;
}

/* Writes the file of site s; adds to t. */
static dg_err
write_site(const dg_cases_opts *o, const dg_mix *mix, const dg_site *s,
	   struct totals *t)
{
	char path[4096], tmp[4200], stream[64];
	dg_case ep[DG_CASE_EPISODES_MAX];
	dg_case_format fmt;
	dg_case_ctx ctx;
	dg_coordinator c;
	uint64_t rows = 0, want, written_bad = 0, next_bad;
	long patients = 0, i;
	unsigned serial = 0;
	FILE *f = NULL;
	dg_rng r;
	int n, k, fixed = o->rows_fixed;
	dg_err rv = DG_ERR_IO;

	snprintf(stream, sizeof(stream), "cases:%s:%d:%d", s->code, o->year,
		 o->month);
	dg_rng_seed(&r, o->seed, stream);
	dg_case_format_draw(&fmt, &r);
	memset(&ctx, 0, sizeof(ctx));
	ctx.mix = mix;
	ctx.site = s;
	ctx.short_gaps = o->month != 0;
	window(o, &ctx.from, &ctx.to);
	ctx.ncoordinators = (int)dg_rng_range(&r, 1, 4);
	for (k = 0; k < ctx.ncoordinators; k++) {
		dg_coordinator_make(
		    (unsigned)dg_rng_range(&r, 0, COORDINATORS - 1), o->seed,
		    &c);
		memcpy(ctx.coordinators[k], c.code, 11);
	}
	if (o->month)
		snprintf(path, sizeof(path),
			 "%s/synthetic_cases_%s_%04d-%02d.csv", o->out_dir,
			 s->code, o->year % 10000, o->month % 100);
	else
		snprintf(path, sizeof(path), "%s/synthetic_cases_%s_%04d.csv",
			 o->out_dir, s->code, o->year % 10000);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL) {
		dg_error("%s: %s", tmp, strerror(errno));
		goto out;
	}
	setvbuf(f, NULL, _IOFBF, 1 << 20);
	if (dg_case_write_header(f, &fmt) != 0)
		goto werr;
	/* Patients for the year: Poisson around the expected number, or as
	 * many as the fixed row count takes. */
	if (!fixed) {
		patients = dg_rng_poisson(&r, o->month ? s->patients / 12
						       : s->patients);
		want = UINT64_MAX;
	} else
		want = s->rows;
	next_bad = o->bad_rows == 0 ? UINT64_MAX
		   : fixed	    ? want / (o->bad_rows + 1) + 1
				    : 1;
	for (i = 0; fixed ? rows < want : i < patients; i++) {
		n = dg_case_patient(&ctx, &r, ++serial, ep);
		for (k = 0; k < n && rows < want; k++) {
			if (dg_case_write_row(f, &fmt, &ep[k], -1) != 0)
				goto werr;
			rows++;
			t->episodes++;
			/* Bad rows go in after good ones, spread out. */
			while (written_bad < o->bad_rows && rows >= next_bad) {
				if (dg_case_write_row(
					f, &fmt, &ep[k],
					(int)(written_bad % DG_BAD_KINDS)) !=
				    0)
					goto werr;
				written_bad++;
				next_bad =
				    rows +
				    (fixed ? want / (o->bad_rows + 1) : 0) +
				    1 + (uint64_t)dg_rng_range(&r, 0, 20);
			}
		}
		t->patients++;
	}
	/* A file too short for all its bad rows gets the rest at the end,
	 * spoiling a made-up episode. */
	for (; written_bad < o->bad_rows; written_bad++) {
		if (rows == 0 && written_bad == 0)
			(void)dg_case_patient(&ctx, &r, ++serial, ep);
		if (dg_case_write_row(f, &fmt, &ep[0],
				      (int)(written_bad % DG_BAD_KINDS)) != 0)
			goto werr;
	}
	t->bad += written_bad;
	if (fclose(f) != 0) {
		f = NULL;
		goto werr;
	}
	f = NULL;
	if (rename(tmp, path) != 0) {
		dg_error("%s: %s", path, strerror(errno));
		goto out;
	}
	t->files++;
	t->empty += rows == 0;
	return (DG_OK);
werr:
	dg_error("%s: cannot write: %s", tmp, strerror(errno));
out:
	if (f != NULL)
		fclose(f);
	remove(tmp);
	return (rv);
}

dg_err
dg_cases_run(const dg_cases_opts *o)
{
	dg_site_list sites = {NULL, 0, 0};
	struct totals t = {0, 0, 0, 0, 0};
	double start = now();
	dg_mix mix;
	size_t i;
	dg_err rv;

	if ((rv = dg_mix_load(o->data_dir, o->year, &mix)) != DG_OK)
		goto out;
	if (o->listings_dir != NULL)
		rv = dg_sites_from_listings(o->listings_dir, &sites);
	else
		rv = dg_sites_add_code(&sites, o->hospital);
	if (rv != DG_OK)
		goto out;
	dg_sites_volume(&sites, o->seed);
	/* Calibrated to the year's visas (cases_mix.h, dg_mix_volume). */
	for (i = 0; i < sites.n; i++)
		sites.v[i].patients *= dg_mix_volume(&mix);
	if (o->rows_fixed)
		dg_sites_rows(&sites, o->rows);
	if ((rv = dg_emit_prepare(o->out_dir)) != DG_OK ||
	    (rv = write_readme(o, &mix)) != DG_OK)
		goto out;
	for (i = 0; i < sites.n; i++)
		if ((rv = write_site(o, &mix, &sites.v[i], &t)) != DG_OK)
			goto out;
	fprintf(stderr,
		"%s: SYNTHETIC case records (not real patients): %llu files "
		"in %s, %llu with no foreign patient\n",
		DG_PROG, (unsigned long long)t.files, o->out_dir,
		(unsigned long long)t.empty);
	dg_mix_print(&mix);
	fprintf(stderr,
		"%s: %llu patients, %llu episodes, %llu bad rows, year %d%s, "
		"seed %llu, %.2f s\n",
		DG_PROG, (unsigned long long)t.patients,
		(unsigned long long)t.episodes, (unsigned long long)t.bad,
		o->year, o->month ? " (one month)" : "",
		(unsigned long long)o->seed, now() - start);
out:
	dg_sites_free(&sites);
	return (rv);
}
