/*
 * hospitals_kumamoto.c - Kumamoto City's 90 hospitals from the city's open
 * data list of hospitals (病院一覧, as of 2024-02-01). Real fields: name,
 * postal code, address, beds (the sum of the five bed types) and
 * departments: one column per department name flagged with ○, plus the
 * free-text 診療科目その他 with further names separated by spaces.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "normalise.h"
#include "sources.h"

#define KUMAMOTO_FILE "kumamoto_city_hospitals_2024.csv"
#define KUMAMOTO_PREF "43"
#define FLAG	      "○"
#define FIRST_DEPT    "内科"	       /* first department column */
#define OTHER_DEPTS   "診療科目その他" /* free text after the last one */

/* The five bed types of the Medical Care Act, art. 7 para. 2. */
static const char *const bed_columns[] = {
    "精神病床数", "結核病床数", "感染症病床数", "一般病床数", "療養病床数",
};

#define NBEDS (sizeof(bed_columns) / sizeof(bed_columns[0]))

struct kumamoto {
	const dg_depts *depts;
	dg_hospital_list *list;
	dg_set_report *rep;
	int id, name, postal, addr, beds[NBEDS];
	int first_dept, other_depts; /* department columns are between */
	char **dept_names;	     /* header names of those columns */
};

/* Adds the space-separated department names of the free-text column. */
static dg_err
add_other(struct kumamoto *k, dg_hospital *h, const char *text)
{
	dg_err rv = DG_OK;
	char *spaced = NULL, *tok, *save = NULL;

	/* dg_norm would change the names; only make every space ASCII */
	if ((spaced = strdup(text)) == NULL)
		return (DG_ERR_NOMEM);
	for (tok = spaced; (tok = strstr(tok, "　")) != NULL;)
		memcpy(tok, "   ", 3);
	for (tok = strtok_r(spaced, " \t\r\n", &save); tok != NULL;
	     tok = strtok_r(NULL, " \t\r\n", &save))
		if ((rv = dg_depts_add(k->depts, h, tok, &k->rep->depts)) !=
		    DG_OK)
			break;
	free(spaced);
	return (rv);
}

/* Resolves the header columns, keeping the department column names. */
static dg_err
read_header(struct kumamoto *k, const dg_csv_row *row)
{
	/* the director column (管理者氏名) is never looked up */
	const char *const names[] = {
	    "_id",    "施設正式名称", "郵便番号",
	    "所在地", FIRST_DEPT,     OTHER_DEPTS,
	};
	int *const slots[] = {
	    &k->id,   &k->name,	      &k->postal,
	    &k->addr, &k->first_dept, &k->other_depts,
	};
	int *const bed_slots[NBEDS] = {
	    &k->beds[0], &k->beds[1], &k->beds[2], &k->beds[3], &k->beds[4],
	};
	int c;
	dg_err rv;

	if ((rv = dg_csv_columns(row, KUMAMOTO_FILE, names, slots,
				 sizeof(names) / sizeof(names[0]))) != DG_OK ||
	    (rv = dg_csv_columns(row, KUMAMOTO_FILE, bed_columns, bed_slots,
				 NBEDS)) != DG_OK)
		return (rv);
	if (k->other_depts <= k->first_dept) {
		dg_error("%s: no department columns between \"%s\" and "
			 "\"%s\"",
			 KUMAMOTO_FILE, FIRST_DEPT, OTHER_DEPTS);
		return (DG_ERR_FORMAT);
	}
	if ((k->dept_names = calloc((size_t)(k->other_depts - k->first_dept),
				    sizeof(char *))) == NULL)
		return (DG_ERR_NOMEM);
	for (c = k->first_dept; c < k->other_depts; c++)
		if ((k->dept_names[c - k->first_dept] =
			 strdup(dg_csv_field(row, c))) == NULL)
			return (DG_ERR_NOMEM);
	return (DG_OK);
}

/* Reads the header, then one hospital per record. */
static dg_err
on_row(const dg_csv_row *row, void *arg)
{
	struct kumamoto *k = arg;
	dg_hospital *h = NULL;
	long beds, total = 0;
	int any = 0, c;
	size_t i;
	dg_err rv;

	if (row->record == 0)
		return (read_header(k, row));
	if ((rv = dg_hospital_list_add(k->list, "kumamoto", KUMAMOTO_PREF,
				       &h)) != DG_OK)
		return (rv);
	k->rep->hospitals++;
	snprintf(h->source_id, sizeof(h->source_id), "%s",
		 dg_csv_field(row, k->id));
	if ((rv = dg_set_text(&h->name_ja, dg_csv_field(row, k->name))) !=
		DG_OK ||
	    (rv = dg_set_text(&h->address, dg_csv_field(row, k->addr))) !=
		DG_OK)
		return (rv);
	if (h->name_ja == NULL) {
		dg_error("%s: record %zu: no name", KUMAMOTO_FILE,
			 row->record);
		return (DG_ERR_FORMAT);
	}
	dg_norm_postal(dg_csv_field(row, k->postal), h->postal);
	for (i = 0; i < NBEDS; i++) {
		if (!dg_parse_int(dg_csv_field(row, k->beds[i]), &beds))
			continue;
		if (beds < 0) {
			dg_error("%s: record %zu: negative %s", KUMAMOTO_FILE,
				 row->record, bed_columns[i]);
			return (DG_ERR_FORMAT);
		}
		total += beds;
		any = 1;
	}
	if (any && total <= 5000)
		h->beds = (int)total;
	for (c = k->first_dept; c < k->other_depts; c++) {
		if (strcmp(dg_csv_field(row, c), FLAG) != 0)
			continue;
		if ((rv = dg_depts_add(k->depts, h,
				       k->dept_names[c - k->first_dept],
				       &k->rep->depts)) != DG_OK)
			return (rv);
	}
	return (add_other(k, h, dg_csv_field(row, k->other_depts)));
}

dg_err
dg_kumamoto_load(const char *data_dir, const dg_depts *d, dg_hospital_list *l,
		 dg_set_report *rep)
{
	struct kumamoto k;
	char path[4096];
	dg_err rv;
	int c;

	memset(&k, 0, sizeof(k));
	k.depts = d;
	k.list = l;
	k.rep = rep;
	if ((rv = dg_data_path(data_dir, KUMAMOTO_FILE, path, sizeof(path))) !=
	    DG_OK)
		return (rv);
	rv = dg_csv_read(path, on_row, &k);
	if (k.dept_names != NULL)
		for (c = 0; c < k.other_depts - k.first_dept; c++)
			free(k.dept_names[c]);
	free(k.dept_names);
	return (rv);
}
