/*
 * cmd_listings.c - "inbound-datagen listings": open hospital data in,
 * listing JSON files out. Order of work: reference lists, department codes,
 * the chosen source sets, organisation codes (all sets at once, so codes
 * stay unique across them), with --set register the rest of the code
 * register (national.c), then the geocoder and the romaji readings over the
 * whole list, then per hospital generate, check, write; the report goes to
 * stderr last.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "orgcodes.h"
#include "commands.h"
#include "depts.h"
#include "emit.h"
#include "geocode.h"
#include "national.h"
#include "refdata.h"
#include "report.h"
#include "sources.h"
#include "synth.h"

#define DEPT_FILE "jp_navii_department_codes_osm_mapping.csv"

/* The source sets in output order. */
enum { KOCHI, HOKKAIDO, KUMAMOTO, NSETS };

static const struct {
	const char *name, *pref;
	dg_err (*load)(const char *, const dg_depts *, dg_hospital_list *,
		       dg_set_report *);
} sets[NSETS] = {
    {"kochi", "39", dg_kochi_load},
    {"hokkaido", "01", dg_hokkaido_load},
    {"kumamoto", "43", dg_kumamoto_load},
};

/* Seconds since an arbitrary start, for the timing line. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

dg_err
dg_listings_run(const dg_listings_opts *o)
{
	dg_err rv = DG_OK;
	dg_refdata *ref = NULL;
	dg_depts *depts = NULL;
	dg_codes *codes = NULL;
	dg_hospital_list list = {NULL, 0, 0};
	dg_set_report reports[NSETS] = {{0}};
	dg_national_report nat;
	dg_geocoder *geo = NULL;
	const char *prefs[NSETS];
	int chosen[NSETS];
	size_t i, nprefs = 0, written = 0;
	dg_capability cap;
	char path[4096];
	double start = now();
	int s;

	memset(&nat, 0, sizeof(nat));
	chosen[KOCHI] = o->kochi;
	chosen[HOKKAIDO] = o->hokkaido;
	chosen[KUMAMOTO] = o->kumamoto;
	for (s = 0; s < NSETS; s++)
		reports[s].set = sets[s].name;
	if ((rv = dg_refdata_load(o->data_dir, &ref)) != DG_OK ||
	    (rv = dg_data_path(o->data_dir, DEPT_FILE, path, sizeof(path))) !=
		DG_OK ||
	    (rv = dg_depts_load(path, &depts)) != DG_OK)
		goto out;
	for (s = 0; s < NSETS; s++) {
		if (!chosen[s])
			continue;
		prefs[nprefs++] = sets[s].pref;
		if ((rv = sets[s].load(o->data_dir, depts, &list,
				       &reports[s])) != DG_OK)
			goto out;
	}
	if ((rv = dg_codes_load(o->data_dir, ref, prefs, nprefs, &codes)) !=
		DG_OK ||
	    (rv = dg_codes_assign(codes, &list, o->verbose)) != DG_OK)
		goto out;
	if (o->national &&
	    (rv = dg_register_load(o->data_dir, &list, &nat)) != DG_OK)
		goto out;
	if ((rv = dg_geocoder_load(o->data_dir, ref, &geo)) != DG_OK ||
	    (rv = dg_national_geocode(geo, &list, &nat)) != DG_OK ||
	    (rv = dg_national_romaji(&list)) != DG_OK ||
	    (rv = dg_emit_prepare(o->out_dir)) != DG_OK)
		goto out;
	for (i = 0; i < list.n; i++) {
		if ((rv = dg_synth_hospital(&list.v[i], o->seed, ref, &cap)) !=
		    DG_OK)
			goto out;
		dg_national_foreign(&list.v[i], o->seed, &cap, &nat);
		dg_national_count(&list.v[i], &nat);
		if ((rv = dg_emit_hospital(o->out_dir, &list.v[i], &cap)) !=
		    DG_OK)
			goto out;
		written++;
	}
	for (s = 0; s < NSETS; s++) {
		if (!chosen[s])
			continue;
		dg_report_count(&reports[s], &list);
		dg_report_print(&reports[s], stderr);
	}
	dg_national_print(&nat, stderr);
	fprintf(stderr, "%s: wrote %zu listings to %s in %.2f s (seed %llu)\n",
		DG_PROG, written, o->out_dir, now() - start,
		(unsigned long long)o->seed);
out:
	for (s = 0; s < NSETS; s++)
		dg_report_free(&reports[s]);
	dg_national_free(&nat);
	dg_geocoder_free(geo);
	dg_hospital_list_free(&list);
	dg_codes_free(codes);
	dg_depts_free(depts);
	dg_refdata_free(ref);
	return (rv);
}
