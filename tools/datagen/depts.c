/*
 * depts.c - the national department code list and name resolution. Names
 * are compared as normalise.c keys, so 耳鼻咽喉科 finds 耳鼻いんこう科 and
 * 糖尿病･代謝内科 finds 糖尿病・代謝内科. Old department names that the
 * 2008 revision of the Medical Care Act's advertising rules retired
 * (呼吸器科, 胃腸科, 性病科, こう門科 ...) are read as their current
 * equivalents; a name with no code of its own falls back to its group's
 * x991 "other" code, which the medical information net uses for exactly
 * that (その他（内科系） and so on).
 */
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "depts.h"
#include "normalise.h"

struct dept_row {
	char code[6];
	char *key; /* normalised name (DG_NORM_DEPT) */
	char *osm; /* healthcare:speciality, ';'-separated */
	int exact; /* 対応の確度 is "exact" */
};

struct dg_depts {
	struct dept_row *v;
	size_t n, cap;
	int col_code, col_name, col_osm, col_exact;
};

/* Old or variant names and the current name they stand for. */
static const struct {
	const char *name, *current;
} aliases[] = {
    {"呼吸器科", "呼吸器内科"},	    {"消化器科", "消化器内科"},
    {"胃腸科", "胃腸内科"},	    {"循環器科", "循環器内科"},
    {"性病科", "性感染症内科"},	    {"こう門科", "肛門外科"},
    {"肛門科", "肛門外科"},	    {"気管食道科", "気管食道・耳鼻いんこう科"},
    {"緩和ケア科", "緩和ケア内科"}, {"緩和ケア", "緩和ケア内科"},
    {"精神神経科", "神経精神科"},   {"放射線診療科", "放射線科"},
    {"新生児科", "新生児内科"},	    {"糖尿病内分泌科", "糖尿病・内分泌内科"},
    {"心血管内科", "心臓血管内科"},
};

/* Fallback to a group's "other" code, tried in order on the name. */
static const struct {
	const char *affix; /* text to look for */
	int where;	   /* 0 anywhere, 1 at the start, 2 at the end */
	const char *code;
} others[] = {
    {"歯", 0, "08991"},	    {"口腔", 0, "08991"},
    {"小児", 1, "03991"},   {"新生児", 1, "03991"},
    {"精神科", 2, "07991"}, {"心療内科", 2, "07991"},
    {"婦人科", 2, "04991"}, {"産科", 2, "04991"},
    {"眼科", 2, "05991"},   {"耳鼻咽喉科", 2, "05992"},
    {"皮膚科", 2, "06991"}, {"泌尿器科", 2, "06992"},
    {"内科", 2, "01991"},   {"外科", 2, "02991"},
    {"科", 2, "09991"},
};

/* Header pass and row pass over the mapping file. */
static dg_err
on_row(const dg_csv_row *row, void *arg)
{
	dg_depts *d = arg;
	struct dept_row *r, *nv;
	const char *code;
	size_t ncap;
	dg_err rv;

	if (row->record == 0) {
		const char *const names[] = {
		    "診療科目コード",
		    "診療科目名(最頻)",
		    "healthcare:speciality",
		    "対応の確度",
		};
		int *const slots[] = {&d->col_code, &d->col_name, &d->col_osm,
				      &d->col_exact};

		return (dg_csv_columns(row, "department mapping", names, slots,
				       sizeof(names) / sizeof(names[0])));
	}
	code = dg_csv_field(row, d->col_code);
	if (strlen(code) != 5 || strspn(code, "0123456789") != 5) {
		dg_error("department mapping: record %zu: code \"%s\" is not "
			 "5 digits",
			 row->record, code);
		return (DG_ERR_FORMAT);
	}
	if (d->n == d->cap) {
		ncap = d->cap ? d->cap * 2 : 128;
		if ((nv = realloc(d->v, ncap * sizeof(*nv))) == NULL)
			return (DG_ERR_NOMEM);
		d->v = nv;
		d->cap = ncap;
	}
	r = &d->v[d->n];
	memset(r, 0, sizeof(*r));
	memcpy(r->code, code, 6);
	if ((rv = dg_norm(dg_csv_field(row, d->col_name), DG_NORM_DEPT,
			  &r->key)) != DG_OK)
		return (rv);
	if ((r->osm = strdup(dg_csv_field(row, d->col_osm))) == NULL) {
		free(r->key);
		return (DG_ERR_NOMEM);
	}
	r->exact = strcmp(dg_csv_field(row, d->col_exact), "exact") == 0;
	d->n++;
	return (DG_OK);
}

dg_err
dg_depts_load(const char *path, dg_depts **out)
{
	dg_err rv = DG_OK;
	dg_depts *d = NULL;

	if ((d = calloc(1, sizeof(*d))) == NULL) {
		rv = DG_ERR_NOMEM;
		goto out;
	}
	if ((rv = dg_csv_read(path, on_row, d)) != DG_OK)
		goto out;
	if (d->n == 0) {
		dg_error("department mapping \"%s\": no rows", path);
		rv = DG_ERR_FORMAT;
		goto out;
	}
	*out = d;
	d = NULL;
out:
	dg_depts_free(d);
	return (rv);
}

void
dg_depts_free(dg_depts *d)
{
	size_t i;

	if (d == NULL)
		return;
	for (i = 0; i < d->n; i++) {
		free(d->v[i].key);
		free(d->v[i].osm);
	}
	free(d->v);
	free(d);
}

int
dg_depts_valid(const dg_depts *d, const char *code)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->v[i].code, code) == 0)
			return (1);
	return (0);
}

/* Returns 1 when the ';'-separated list has value among its items. */
static int
list_has(const char *list, const char *value)
{
	size_t len = strlen(value);
	const char *p = list;

	while (*p != '\0') {
		if (strncmp(p, value, len) == 0 &&
		    (p[len] == ';' || p[len] == '\0'))
			return (1);
		if ((p = strchr(p, ';')) == NULL)
			break;
		p++;
	}
	return (0);
}

const char *
dg_depts_osm(const dg_depts *d, const char *osm)
{
	size_t i;
	int pass, exact, alone;

	/* exact alone, exact among others, broader alone, broader among */
	for (pass = 0; pass < 4; pass++) {
		exact = pass < 2;
		alone = pass % 2 == 0;
		for (i = 0; i < d->n; i++) {
			if (d->v[i].exact != exact)
				continue;
			if (alone ? strcmp(d->v[i].osm, osm) == 0
				  : list_has(d->v[i].osm, osm))
				return (d->v[i].code);
		}
	}
	return (NULL);
}

/* Finds the code for a normalised name, directly or through an alias. */
static const char *
lookup(const dg_depts *d, const char *key)
{
	const char *code = NULL;
	char *alias = NULL;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (strcmp(d->v[i].key, key) == 0)
			return (d->v[i].code);
	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++) {
		if (dg_norm(aliases[i].name, DG_NORM_DEPT, &alias) != DG_OK)
			return (NULL);
		if (strcmp(alias, key) == 0) {
			free(alias);
			alias = NULL;
			if (dg_norm(aliases[i].current, DG_NORM_DEPT,
				    &alias) != DG_OK)
				return (NULL);
			code = lookup(d, alias);
			free(alias);
			return (code);
		}
		free(alias);
		alias = NULL;
	}
	return (NULL);
}

/* Returns the x991 "other" code for a normalised name, or NULL. */
static const char *
other_code(const char *key)
{
	size_t i, klen = strlen(key), alen;

	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		alen = strlen(others[i].affix);
		if (alen > klen)
			continue;
		if ((others[i].where == 0 &&
		     strstr(key, others[i].affix) != NULL) ||
		    (others[i].where == 1 &&
		     strncmp(key, others[i].affix, alen) == 0) ||
		    (others[i].where == 2 &&
		     strcmp(key + klen - alen, others[i].affix) == 0))
			return (others[i].code);
	}
	return (NULL);
}

dg_dept_how
dg_depts_resolve(const dg_depts *d, const char *name, const char **code)
{
	dg_dept_how how = DG_DEPT_NONE;
	char *key = NULL, *joined = NULL, *open, *close;
	const char *c;
	size_t hlen, qlen;

	if (dg_norm(name, DG_NORM_DEPT, &key) != DG_OK || key[0] == '\0')
		goto out;
	if ((c = lookup(d, key)) != NULL) {
		how = DG_DEPT_EXACT;
		goto found;
	}
	/* "X(q)": try "qX" (内科(循環器) is 循環器内科), then X alone. */
	if ((open = strchr(key, '(')) != NULL && open != key) {
		hlen = (size_t)(open - key);
		if ((close = strchr(open, ')')) == NULL)
			close = open + strlen(open);
		qlen = (size_t)(close - open - 1);
		if ((joined = malloc(hlen + qlen + 1)) == NULL)
			goto out;
		memcpy(joined, open + 1, qlen);
		memcpy(joined + qlen, key, hlen);
		joined[qlen + hlen] = '\0';
		if ((c = lookup(d, joined)) != NULL) {
			how = DG_DEPT_EXACT;
			goto found;
		}
		*open = '\0';
		if ((c = lookup(d, key)) != NULL) {
			how = DG_DEPT_GENERAL;
			goto found;
		}
	}
	if ((c = other_code(key)) != NULL && dg_depts_valid(d, c)) {
		how = DG_DEPT_OTHER;
		goto found;
	}
	goto out;
found:
	*code = c;
out:
	free(key);
	free(joined);
	return (how);
}

dg_err
dg_depts_add(const dg_depts *d, dg_hospital *h, const char *name,
	     dg_dept_stats *st)
{
	const char *code = NULL;
	dg_dept_how how;

	how = dg_depts_resolve(d, name, &code);
	switch (how) {
	case DG_DEPT_NONE:
		st->dropped++;
		return (dg_tally_add(&st->dropped_names, name));
	case DG_DEPT_EXACT:
		st->mapped++;
		break;
	case DG_DEPT_GENERAL:
		st->generalised++;
		break;
	case DG_DEPT_OTHER:
		st->other++;
		if (dg_tally_add(&st->other_names, name) != DG_OK)
			return (DG_ERR_NOMEM);
		break;
	}
	return (dg_hospital_add_dept(h, code));
}

void
dg_dept_stats_free(dg_dept_stats *st)
{
	if (st == NULL)
		return;
	dg_tally_free(&st->other_names);
	dg_tally_free(&st->dropped_names);
}
