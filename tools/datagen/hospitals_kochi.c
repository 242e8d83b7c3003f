/*
 * hospitals_kochi.c - Kochi prefecture's 118 hospitals from the medical
 * information net (医療情報ネット) open data of 2026-06-01 as processed into
 * OpenStreetMap tags by nyampire/jp-healthcare-osm. Real fields: name, English
 * name, full address, coordinates, beds, departments (OSM
 * healthcare:speciality values mapped back to the national codes) and
 * website. The file has no postal code column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "sources.h"

#define KOCHI_FILE "kochi_hospitals_navii_2026-06.csv"
#define KOCHI_PREF "39"

/*
 * The OSM processing replaced very long department lists by this one value
 * (SOURCES.md); it says nothing about a department 総合診療科.
 */
#define COLLAPSED_LIST "general"

struct kochi {
	const dg_depts *depts;
	dg_hospital_list *list;
	dg_set_report *rep;
	int id, pref, lat, lon, name, name_en, spec, web, addr, beds;
};

/* Adds the departments of one ';'-separated healthcare:speciality value. */
static dg_err
add_specialities(struct kochi *k, dg_hospital *h, const char *spec)
{
	dg_err rv = DG_OK;
	char *copy = NULL, *tok, *save = NULL, *value = NULL;
	const char *code;

	if ((copy = strdup(spec)) == NULL)
		return (DG_ERR_NOMEM);
	for (tok = strtok_r(copy, ";", &save); tok != NULL;
	     tok = strtok_r(NULL, ";", &save)) {
		if ((rv = dg_set_text(&value, tok)) != DG_OK)
			goto out;
		if (value == NULL)
			continue;
		if (strcmp(value, COLLAPSED_LIST) == 0) {
			h->many_depts = 1;
			k->rep->depts.dropped++;
			if ((rv = dg_tally_add(&k->rep->depts.dropped_names,
					       "general (list collapsed by "
					       "the OSM processing)")) !=
			    DG_OK)
				goto out;
			continue;
		}
		if ((code = dg_depts_osm(k->depts, value)) == NULL) {
			k->rep->depts.dropped++;
			if ((rv = dg_tally_add(&k->rep->depts.dropped_names,
					       value)) != DG_OK)
				goto out;
			continue;
		}
		k->rep->depts.mapped++;
		if ((rv = dg_hospital_add_dept(h, code)) != DG_OK)
			goto out;
	}
out:
	free(value);
	free(copy);
	return (rv);
}

/* Reads the header, then one hospital per record. */
static dg_err
on_row(const dg_csv_row *row, void *arg)
{
	struct kochi *k = arg;
	dg_hospital *h = NULL;
	double lat, lon;
	long beds;
	dg_err rv;
	int stored;

	if (row->record == 0) {
		const char *const names[] = {
		    "ID",
		    "都道府県コード",
		    "lat",
		    "lon",
		    "name",
		    "name:en",
		    "healthcare:speciality",
		    "website",
		    "addr:full",
		    "beds",
		};
		int *const slots[] = {
		    &k->id,	 &k->pref, &k->lat, &k->lon,  &k->name,
		    &k->name_en, &k->spec, &k->web, &k->addr, &k->beds,
		};

		return (dg_csv_columns(row, KOCHI_FILE, names, slots,
				       sizeof(names) / sizeof(names[0])));
	}
	if (strcmp(dg_csv_field(row, k->pref), KOCHI_PREF) != 0) {
		dg_error("%s: record %zu: prefecture \"%s\" is not %s",
			 KOCHI_FILE, row->record, dg_csv_field(row, k->pref),
			 KOCHI_PREF);
		return (DG_ERR_FORMAT);
	}
	if ((rv = dg_hospital_list_add(k->list, "kochi", KOCHI_PREF, &h)) !=
	    DG_OK)
		return (rv);
	k->rep->hospitals++;
	snprintf(h->source_id, sizeof(h->source_id), "%s",
		 dg_csv_field(row, k->id));
	if ((rv = dg_set_text(&h->name_ja, dg_csv_field(row, k->name))) !=
		DG_OK ||
	    (rv = dg_set_text(&h->name_en, dg_csv_field(row, k->name_en))) !=
		DG_OK ||
	    (rv = dg_set_text(&h->address, dg_csv_field(row, k->addr))) !=
		DG_OK)
		return (rv);
	if (h->name_ja == NULL) {
		dg_error("%s: record %zu: no name", KOCHI_FILE, row->record);
		return (DG_ERR_FORMAT);
	}
	if (dg_parse_double(dg_csv_field(row, k->lat), &lat) &&
	    dg_parse_double(dg_csv_field(row, k->lon), &lon) &&
	    !dg_hospital_set_location(h, lat, lon))
		k->rep->location_refused++;
	if (dg_parse_int(dg_csv_field(row, k->beds), &beds) && beds >= 0 &&
	    beds <= 5000)
		h->beds = (int)beds;
	if (dg_csv_field(row, k->web)[0] != '\0') {
		if ((stored = dg_hospital_set_website(
			 h, dg_csv_field(row, k->web))) < 0)
			return (DG_ERR_NOMEM);
		k->rep->website_refused += stored == 0;
	}
	return (add_specialities(k, h, dg_csv_field(row, k->spec)));
}

dg_err
dg_kochi_load(const char *data_dir, const dg_depts *d, dg_hospital_list *l,
	      dg_set_report *rep)
{
	struct kochi k;
	char path[4096];
	dg_err rv;

	memset(&k, 0, sizeof(k));
	k.depts = d;
	k.list = l;
	k.rep = rep;
	if ((rv = dg_data_path(data_dir, KOCHI_FILE, path, sizeof(path))) !=
	    DG_OK)
		return (rv);
	return (dg_csv_read(path, on_row, &k));
}
