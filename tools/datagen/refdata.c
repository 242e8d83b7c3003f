/*
 * refdata.c - ISO 639-1, ISO 3166-1 alpha-2 and JIS X 0401 code lists
 * loaded from deploy/data (provenance in deploy/data/README.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "refdata.h"

#define MAX_CODES 512

/* One code list: fixed-size codes plus an optional name per code. */
struct code_list {
	char code[MAX_CODES][4];
	char *name[MAX_CODES];
	size_t n;
	const char *code_col; /* header of the code column */
	const char *name_col; /* header of the name column, or NULL */
	size_t code_len;      /* required length of a code */
	int ci, ni;	      /* column indexes found in the header */
	const char *file;
};

struct dg_refdata {
	struct code_list languages, countries, prefectures;
};

/* Adds one record of a code list file. */
static dg_err
on_row(const dg_csv_row *row, void *arg)
{
	struct code_list *l = arg;
	const char *code;

	if (row->record == 0) {
		l->ci = dg_csv_column(row, l->code_col);
		l->ni = l->name_col ? dg_csv_column(row, l->name_col) : -1;
		if (l->ci < 0 || (l->name_col != NULL && l->ni < 0)) {
			dg_error("%s: missing column \"%s\"", l->file,
				 l->ci < 0 ? l->code_col : l->name_col);
			return (DG_ERR_FORMAT);
		}
		return (DG_OK);
	}
	code = dg_csv_field(row, l->ci);
	if (code[0] == '\0')
		return (DG_OK); /* a territory without this code */
	if (strlen(code) != l->code_len) {
		dg_error("%s: record %zu: bad code \"%s\"", l->file,
			 row->record, code);
		return (DG_ERR_FORMAT);
	}
	if (l->n == MAX_CODES) {
		dg_error("%s: more than %d codes", l->file, MAX_CODES);
		return (DG_ERR_FORMAT);
	}
	snprintf(l->code[l->n], sizeof(l->code[0]), "%s", code);
	if (l->ni >= 0 &&
	    (l->name[l->n] = strdup(dg_csv_field(row, l->ni))) == NULL)
		return (DG_ERR_NOMEM);
	l->n++;
	return (DG_OK);
}

/* Loads the code list file data_dir/l->file. */
static dg_err
load_list(const char *data_dir, struct code_list *l)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", data_dir, l->file) >=
	    sizeof(path)) {
		dg_error("data directory path too long");
		return (DG_ERR_USAGE);
	}
	return (dg_csv_read(path, on_row, l));
}

dg_err
dg_refdata_load(const char *data_dir, dg_refdata **out)
{
	dg_err rv = DG_OK;
	dg_refdata *r = NULL;

	if ((r = calloc(1, sizeof(*r))) == NULL) {
		rv = DG_ERR_NOMEM;
		goto out;
	}
	r->languages.file = "iso639_1_language_codes.csv";
	r->languages.code_col = "alpha2";
	r->languages.code_len = 2;
	r->countries.file = "iso3166_country_codes.csv";
	r->countries.code_col = "ISO3166-1-Alpha-2";
	r->countries.code_len = 2;
	r->prefectures.file = "jp_prefectures_jisx0401.csv";
	r->prefectures.code_col = "iso";
	r->prefectures.name_col = "prefecture_kanji";
	r->prefectures.code_len = 2;
	if ((rv = load_list(data_dir, &r->languages)) != DG_OK ||
	    (rv = load_list(data_dir, &r->countries)) != DG_OK ||
	    (rv = load_list(data_dir, &r->prefectures)) != DG_OK)
		goto out;
	*out = r;
	r = NULL;
out:
	dg_refdata_free(r);
	return (rv);
}

void
dg_refdata_free(dg_refdata *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->prefectures.n; i++)
		free(r->prefectures.name[i]);
	free(r);
}

/* Returns the index of code in l, or -1. */
static int
find(const struct code_list *l, const char *code)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->code[i], code) == 0)
			return ((int)i);
	return (-1);
}

int
dg_refdata_language(const dg_refdata *r, const char *code)
{
	return (find(&r->languages, code) >= 0);
}

int
dg_refdata_country(const dg_refdata *r, const char *code)
{
	return (find(&r->countries, code) >= 0);
}

const char *
dg_refdata_prefecture(const dg_refdata *r, const char *code)
{
	int i = find(&r->prefectures, code);

	return (i < 0 ? NULL : r->prefectures.name[i]);
}
