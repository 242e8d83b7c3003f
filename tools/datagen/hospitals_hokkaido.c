/*
 * hospitals_hokkaido.c - Hokkaido's 574 hospitals from the prefecture's list
 * of medical institutions (道内医療機関の名簿, 病院（保健所別）, as of
 * 2015-10-01) as published by colspan/opendata-jp. Real fields: name, postal
 * code, address, coordinates, total beds and departments. The departments
 * are written in the list's own abbreviations (内|外|整|小 ...), mixed with
 * full names, grouped as 「糖尿病|内分泌内科」 where the original had
 * 糖尿病・内分泌内科, and as 内（消化器|循環器） for qualified departments;
 * this file reads that notation and leaves names to depts.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "normalise.h"
#include "sources.h"

#define HOKKAIDO_FILE "hokkaido_hospitals_2015.csv"
#define HOKKAIDO_PREF "01"

/*
 * The list's abbreviations and the department names they stand for (the
 * names are resolved to codes by depts.c, which also knows the retired
 * names such as 呼吸器科 and 胃腸科). Single parts of a split group
 * (糖尿病, 内分泌 ...) are read as the internal-medicine department.
 */
static const struct {
	const char *abbr, *name;
} abbrevs[] = {
    {"内", "内科"},
    {"外", "外科"},
    {"整", "整形外科"},
    {"整外", "整形外科"},
    {"形", "形成外科"},
    {"形外", "形成外科"},
    {"美", "美容外科"},
    {"小", "小児科"},
    {"小外", "小児外科"},
    {"脳", "脳神経外科"},
    {"脳外", "脳神経外科"},
    {"眼", "眼科"},
    {"耳", "耳鼻いんこう科"},
    {"皮", "皮膚科"},
    {"泌", "泌尿器科"},
    {"皮泌", "皮膚泌尿器科"},
    {"性", "性病科"},
    {"産婦", "産婦人科"},
    {"産", "産科"},
    {"婦", "婦人科"},
    {"精", "精神科"},
    {"神", "神経科"},
    {"神内", "神経内科"},
    {"心内", "心療内科"},
    {"精神神経", "精神神経科"},
    {"神経精神", "神経精神科"},
    {"呼", "呼吸器科"},
    {"呼内", "呼吸器内科"},
    {"呼外", "呼吸器外科"},
    {"消", "消化器科"},
    {"消内", "消化器内科"},
    {"消外", "消化器外科"},
    {"胃", "胃腸科"},
    {"胃内", "胃腸内科"},
    {"循", "循環器科"},
    {"循内", "循環器内科"},
    {"循外", "循環器外科"},
    {"心外", "心臓血管外科"},
    {"肛", "こう門科"},
    {"肛外", "肛門外科"},
    {"乳外", "乳腺外科"},
    {"気", "気管食道科"},
    {"アレ", "アレルギー科"},
    {"リウ", "リウマチ科"},
    {"リハ", "リハビリテーション科"},
    {"放", "放射線科"},
    {"麻", "麻酔科"},
    {"病", "病理診断科"},
    {"病診", "病理診断科"},
    {"救", "救急科"},
    {"救急", "救急科"},
    {"歯", "歯科"},
    {"矯歯", "矯正歯科"},
    {"矯", "矯正歯科"},
    {"小歯", "小児歯科"},
    {"歯外", "歯科口腔外科"},
    {"人透", "人工透析内科"},
    {"透内", "人工透析内科"},
    {"内視鏡内", "内視鏡内科"},
    {"血液", "血液内科"},
    {"糖尿病", "糖尿病内科"},
    {"内分泌", "内分泌内科"},
    {"代謝", "代謝内科"},
    {"循環器", "循環器内科"},
    {"呼吸器", "呼吸器内科"},
    {"消化器", "消化器内科"},
    {"胃腸", "胃腸内科"},
    {"肛門", "肛門外科"},
    {"頭頸部", "頭頸部外科"},
    {"呼吸気内科", "呼吸器内科"}, /* a typo in the list */
};

#define OPEN_GROUP  "「"
#define CLOSE_GROUP "」"

struct hokkaido {
	const dg_depts *depts;
	dg_hospital_list *list;
	dg_set_report *rep;
	int id, name, postal, addr, services, lat, lon, beds;
};

/* Returns the department name an abbreviation stands for, or word. */
static const char *
expand(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(abbrevs) / sizeof(abbrevs[0]); i++)
		if (strcmp(abbrevs[i].abbr, word) == 0)
			return (abbrevs[i].name);
	return (word);
}

/* Returns 1 when s ends with suffix, and cuts it off. */
static int
cut_suffix(char *s, const char *suffix)
{
	size_t len = strlen(s), slen = strlen(suffix);

	if (len < slen || strcmp(s + len - slen, suffix) != 0)
		return (0);
	s[len - slen] = '\0';
	return (1);
}

/* Finds an opening parenthesis, full-width or ASCII; NULL when none. */
static char *
find_open(char *s, size_t *len)
{
	char *p;

	if ((p = strstr(s, "（")) != NULL) {
		*len = strlen("（");
		return (p);
	}
	*len = 1;
	return (strchr(s, '('));
}

/* Splitting state of one services field. */
struct services {
	char group[512]; /* 「...」 group collected so far, parts joined by ・
			  */
	int in_group;
	char head[128]; /* department before an open parenthesis */
	int in_paren;
};

/* Adds "head（item）" as one department name. */
static dg_err
add_qualified(struct hokkaido *k, dg_hospital *h, const char *head,
	      const char *item)
{
	char name[640];

	snprintf(name, sizeof(name), "%s（%s）", expand(head), item);
	return (dg_depts_add(k->depts, h, name, &k->rep->depts));
}

/* Handles one '|'-separated word of a services field. */
static dg_err
add_word(struct hokkaido *k, dg_hospital *h, struct services *s, char *word)
{
	char *open;
	size_t olen;
	int closed;

	if (s->in_group) {
		closed = cut_suffix(word, CLOSE_GROUP);
		strncat(s->group, "・",
			sizeof(s->group) - strlen(s->group) - 1);
		strncat(s->group, word,
			sizeof(s->group) - strlen(s->group) - 1);
		if (!closed)
			return (DG_OK);
		s->in_group = 0;
		return (dg_depts_add(k->depts, h, s->group, &k->rep->depts));
	}
	if (s->in_paren) {
		closed = cut_suffix(word, "）") || cut_suffix(word, ")");
		s->in_paren = !closed;
		return (add_qualified(k, h, s->head, word));
	}
	if (strncmp(word, OPEN_GROUP, strlen(OPEN_GROUP)) == 0) {
		word += strlen(OPEN_GROUP);
		if (cut_suffix(word, CLOSE_GROUP))
			return (dg_depts_add(k->depts, h, expand(word),
					     &k->rep->depts));
		snprintf(s->group, sizeof(s->group), "%s", word);
		s->in_group = 1;
		return (DG_OK);
	}
	if ((open = find_open(word, &olen)) != NULL && open != word) {
		*open = '\0';
		snprintf(s->head, sizeof(s->head), "%s", word);
		word = open + olen;
		closed = cut_suffix(word, "）") || cut_suffix(word, ")");
		s->in_paren = !closed;
		return (add_qualified(k, h, s->head, word));
	}
	return (dg_depts_add(k->depts, h, expand(word), &k->rep->depts));
}

/*
 * Adds the departments of a services field: words separated by '|', and
 * by ',' or '，' where the list slipped.
 */
static dg_err
add_services(struct hokkaido *k, dg_hospital *h, const char *field)
{
	dg_err rv = DG_OK;
	struct services s;
	char *copy = NULL, *p, *word = NULL, *sep;

	memset(&s, 0, sizeof(s));
	if ((copy = strdup(field)) == NULL)
		return (DG_ERR_NOMEM);
	/* make every separator '|' ("，" is 3 bytes: write "|" + 2 spaces) */
	while ((sep = strstr(copy, "，")) != NULL)
		memcpy(sep, "|  ", 3);
	for (p = copy; *p != '\0'; p++)
		if (*p == ',')
			*p = '|';
	for (p = copy; p != NULL;) {
		if ((sep = strchr(p, '|')) != NULL)
			*sep = '\0';
		if ((rv = dg_set_text(&word, p)) != DG_OK)
			goto out;
		if (word != NULL && (rv = add_word(k, h, &s, word)) != DG_OK)
			goto out;
		p = sep != NULL ? sep + 1 : NULL;
	}
	if (s.in_group)
		rv = dg_depts_add(k->depts, h, s.group, &k->rep->depts);
out:
	free(word);
	free(copy);
	return (rv);
}

/* Reads the header, then one hospital per record. */
static dg_err
on_row(const dg_csv_row *row, void *arg)
{
	struct hokkaido *k = arg;
	dg_hospital *h = NULL;
	double lat, lon;
	long beds;
	dg_err rv;

	if (row->record == 0) {
		/* the director column (管　理　者) is never looked up */
		const char *const names[] = {
		    "id",	   "hospital_name", "postal_num", "address",
		    "services",	   "latitude",	    "longtitude", /* sic */
		    "sickbed_num",
		};
		int *const slots[] = {
		    &k->id,	  &k->name, &k->postal, &k->addr,
		    &k->services, &k->lat,  &k->lon,	&k->beds,
		};

		return (dg_csv_columns(row, HOKKAIDO_FILE, names, slots,
				       sizeof(names) / sizeof(names[0])));
	}
	if ((rv = dg_hospital_list_add(k->list, "hokkaido", HOKKAIDO_PREF,
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
		dg_error("%s: record %zu: no name", HOKKAIDO_FILE,
			 row->record);
		return (DG_ERR_FORMAT);
	}
	dg_norm_postal(dg_csv_field(row, k->postal), h->postal);
	if (dg_parse_double(dg_csv_field(row, k->lat), &lat) &&
	    dg_parse_double(dg_csv_field(row, k->lon), &lon) &&
	    !dg_hospital_set_location(h, lat, lon))
		k->rep->location_refused++;
	if (dg_parse_int(dg_csv_field(row, k->beds), &beds) && beds >= 0 &&
	    beds <= 5000)
		h->beds = (int)beds;
	return (add_services(k, h, dg_csv_field(row, k->services)));
}

dg_err
dg_hokkaido_load(const char *data_dir, const dg_depts *d, dg_hospital_list *l,
		 dg_set_report *rep)
{
	struct hokkaido k;
	char path[4096];
	dg_err rv;

	memset(&k, 0, sizeof(k));
	k.depts = d;
	k.list = l;
	k.rep = rep;
	if ((rv = dg_data_path(data_dir, HOKKAIDO_FILE, path, sizeof(path))) !=
	    DG_OK)
		return (rv);
	return (dg_csv_read(path, on_row, &k));
}
