/*
 * geocode.c - the geocoder of geocode.h. Both reference lists are held per
 * prefecture with their names in canonical form (address.c); a lookup is a
 * linear scan of one prefecture (at most some 20,000 towns), which for the
 * ~8,000 hospitals of the national list takes well under a second.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "address.h"
#include "csvread.h"
#include "geocode.h"
#include "sources.h"

#define MUNI_FILE "jp_municipalities_localgovjp_2026-07.csv"
#define TOWN_FILE "jp_town_points_geolonia_2023-07.csv.gz"
#define NPREFS	  48

/* A named point: a municipal office or a town. */
typedef struct place {
	char *city; /* canonical municipality (ward) name, without 郡 */
	char *town; /* canonical town name; NULL for a municipality */
	size_t city_len, town_len;
	double lat, lon;
} place;

typedef struct place_list {
	place *v;
	size_t n, cap;
} place_list;

struct dg_geocoder {
	place_list munis[NPREFS];
	place_list towns[NPREFS];
	char *pref_names[NPREFS]; /* canonical prefecture names */
};

/* Loader state for the CSV callbacks. */
typedef struct load_state {
	dg_geocoder *g;
	const char *file;
	int c_pref, c_city, c_town, c_koaza, c_lat, c_lng;
} load_state;

static dg_err
place_add(place_list *l, char *city, char *town, double lat, double lon)
{
	place *nv;

	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;

		if ((nv = realloc(l->v, ncap * sizeof(*nv))) == NULL)
			return (DG_ERR_NOMEM);
		l->v = nv;
		l->cap = ncap;
	}
	l->v[l->n].city = city;
	l->v[l->n].town = town;
	l->v[l->n].city_len = strlen(city);
	l->v[l->n].town_len = town != NULL ? strlen(town) : 0;
	l->v[l->n].lat = lat;
	l->v[l->n].lon = lon;
	l->n++;
	return (DG_OK);
}

/* The prefecture index of a JIS X 0401 code, or -1. */
static int
pref_index(const char *code)
{
	long v;

	if (!dg_parse_int(code, &v) || v < 1 || v > 47)
		return (-1);
	return ((int)v);
}

/* The municipality of prefecture p whose canonical name equals s, or NULL. */
static const place *
muni_exact(const dg_geocoder *g, int p, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < g->munis[p].n; i++)
		if (g->munis[p].v[i].city_len == len &&
		    memcmp(g->munis[p].v[i].city, s, len) == 0)
			return (&g->munis[p].v[i]);
	return (NULL);
}

/*
 * The municipality of prefecture p whose canonical name is the longest
 * prefix of s, or NULL.
 */
static const place *
muni_prefix(const dg_geocoder *g, int p, const char *s)
{
	const place *best = NULL;
	size_t i;

	for (i = 0; i < g->munis[p].n; i++) {
		const place *m = &g->munis[p].v[i];

		if (strncmp(s, m->city, m->city_len) == 0 &&
		    (best == NULL || m->city_len > best->city_len))
			best = m;
	}
	return (best);
}

/* Byte offset just after the first 郡 in s (not at 0), or 0. */
static size_t
after_gun(const char *s)
{
	const char *q = strstr(s, "\xE9\x83\xA1"); /* 郡 */

	if (q == NULL || q == s)
		return (0);
	return ((size_t)(q - s) + 3);
}

static dg_err
on_muni(const dg_csv_row *row, void *arg)
{
	load_state *st = arg;
	char *city = NULL;
	double lat, lon;
	int p;
	dg_err rv;

	if (row->record == 0) {
		const char *names[] = {"pid", "city", "lat", "lng"};
		int *slots[] = {&st->c_pref, &st->c_city, &st->c_lat,
				&st->c_lng};

		return (dg_csv_columns(row, st->file, names, slots, 4));
	}
	if ((p = pref_index(dg_csv_field(row, st->c_pref))) < 0 ||
	    !dg_parse_double(dg_csv_field(row, st->c_lat), &lat) ||
	    !dg_parse_double(dg_csv_field(row, st->c_lng), &lon)) {
		dg_error("%s: line %zu: bad pid, lat or lng", st->file,
			 row->record + 1);
		return (DG_ERR_FORMAT);
	}
	if ((rv = dg_address_canon(dg_csv_field(row, st->c_city), &city)) !=
	    DG_OK)
		return (rv);
	if ((rv = place_add(&st->g->munis[p], city, NULL, lat, lon)) != DG_OK)
		free(city);
	return (rv);
}

static dg_err
on_town(const dg_csv_row *row, void *arg)
{
	load_state *st = arg;
	char *city = NULL, *town = NULL;
	double lat, lon;
	size_t skip;
	int p;
	dg_err rv;

	if (row->record == 0) {
		const char *names[] = {"pref_code", "city", "town",
				       "koaza",	    "lat",  "lng"};
		int *slots[] = {&st->c_pref,  &st->c_city, &st->c_town,
				&st->c_koaza, &st->c_lat,  &st->c_lng};

		return (dg_csv_columns(row, st->file, names, slots, 6));
	}
	if (dg_csv_field(row, st->c_koaza)[0] != '\0' ||
	    !dg_parse_double(dg_csv_field(row, st->c_lat), &lat) ||
	    !dg_parse_double(dg_csv_field(row, st->c_lng), &lon))
		return (DG_OK); /* 小字 or no point: not used */
	if ((p = pref_index(dg_csv_field(row, st->c_pref))) < 0) {
		dg_error("%s: line %zu: bad pref_code", st->file,
			 row->record + 1);
		return (DG_ERR_FORMAT);
	}
	if ((rv = dg_address_canon(dg_csv_field(row, st->c_city), &city)) !=
		DG_OK ||
	    (rv = dg_address_canon(dg_csv_field(row, st->c_town), &town)) !=
		DG_OK)
		goto out;
	/* 西多摩郡瑞穂町 -> 瑞穂町, but 大和郡山市 stays. */
	skip = after_gun(city);
	if (skip > 0 && muni_exact(st->g, p, city, strlen(city)) == NULL &&
	    muni_exact(st->g, p, city + skip, strlen(city + skip)) != NULL)
		memmove(city, city + skip, strlen(city + skip) + 1);
	if ((rv = place_add(&st->g->towns[p], city, town, lat, lon)) == DG_OK)
		city = town = NULL;
out:
	free(city);
	free(town);
	return (rv);
}

dg_err
dg_geocoder_load(const char *data_dir, const dg_refdata *ref,
		 dg_geocoder **out)
{
	dg_geocoder *g = NULL;
	load_state st;
	char path[4096], code[3];
	const char *name;
	dg_err rv = DG_ERR_NOMEM;
	int p;

	if ((g = calloc(1, sizeof(*g))) == NULL)
		goto out;
	for (p = 1; p <= 47; p++) {
		snprintf(code, sizeof(code), "%02d", p);
		if ((name = dg_refdata_prefecture(ref, code)) != NULL &&
		    (rv = dg_address_canon(name, &g->pref_names[p])) != DG_OK)
			goto out;
	}
	memset(&st, 0, sizeof(st));
	st.g = g;
	st.file = MUNI_FILE;
	if ((rv = dg_data_path(data_dir, MUNI_FILE, path, sizeof(path))) !=
		DG_OK ||
	    (rv = dg_csv_read(path, on_muni, &st)) != DG_OK)
		goto out;
	st.file = TOWN_FILE;
	if ((rv = dg_data_path(data_dir, TOWN_FILE, path, sizeof(path))) !=
		DG_OK ||
	    (rv = dg_csv_read(path, on_town, &st)) != DG_OK)
		goto out;
	*out = g;
	g = NULL;
out:
	dg_geocoder_free(g);
	return (rv);
}

void
dg_geocoder_free(dg_geocoder *g)
{
	size_t i;
	int p;

	if (g == NULL)
		return;
	for (p = 0; p < NPREFS; p++) {
		for (i = 0; i < g->munis[p].n; i++)
			free(g->munis[p].v[i].city);
		for (i = 0; i < g->towns[p].n; i++) {
			free(g->towns[p].v[i].city);
			free(g->towns[p].v[i].town);
		}
		free(g->munis[p].v);
		free(g->towns[p].v);
		free(g->pref_names[p]);
	}
	free(g);
}

/*
 * The town of prefecture p in municipality m (or in one of its wards, when
 * m is a designated city written without its ward) whose canonical name is
 * the longest prefix of rest, or NULL. A town ending in a digit must not
 * be followed by one (1条 is not a prefix of 10条).
 */
static const place *
town_prefix(const dg_geocoder *g, int p, const place *m, const char *rest)
{
	const place *best = NULL;
	size_t i;

	for (i = 0; i < g->towns[p].n; i++) {
		const place *t = &g->towns[p].v[i];

		if (t->town_len == 0 ||
		    (best != NULL && t->town_len <= best->town_len) ||
		    strncmp(t->city, m->city, m->city_len) != 0 ||
		    strncmp(rest, t->town, t->town_len) != 0)
			continue;
		if (t->town[t->town_len - 1] >= '0' &&
		    t->town[t->town_len - 1] <= '9' &&
		    rest[t->town_len] >= '0' && rest[t->town_len] <= '9')
			continue;
		best = t;
	}
	return (best);
}

dg_geo_level
dg_geocode(const dg_geocoder *g, const char *pref, const char *address,
	   double *lat, double *lon)
{
	dg_geo_level level = DG_GEO_NONE;
	const place *m, *t;
	const char *s;
	char *canon = NULL;
	size_t skip;
	int p;

	if ((p = pref_index(pref)) < 0 || address == NULL ||
	    dg_address_canon(address, &canon) != DG_OK)
		goto out;
	s = canon;
	if (g->pref_names[p] != NULL &&
	    strncmp(s, g->pref_names[p], strlen(g->pref_names[p])) == 0)
		s += strlen(g->pref_names[p]);
	if ((m = muni_prefix(g, p, s)) == NULL) {
		/* 二海郡八雲町: the district name is not in the office list */
		if ((skip = after_gun(s)) == 0 ||
		    (m = muni_prefix(g, p, s + skip)) == NULL)
			goto out;
		s += skip;
	}
	if ((t = town_prefix(g, p, m, s + m->city_len)) != NULL) {
		*lat = t->lat;
		*lon = t->lon;
		level = DG_GEO_TOWN;
	} else {
		*lat = m->lat;
		*lon = m->lon;
		level = DG_GEO_MUNICIPALITY;
	}
out:
	free(canon);
	return (level);
}

const char *
dg_geo_level_name(dg_geo_level l)
{
	switch (l) {
	case DG_GEO_OFFICIAL:
		return ("official");
	case DG_GEO_TOWN:
		return ("town");
	case DG_GEO_MUNICIPALITY:
		return ("municipality");
	case DG_GEO_NONE:
	case DG_GEO_NLEVELS:
		break;
	}
	return ("none");
}

double
dg_geo_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088, rad = 3.14159265358979323846 / 180.0;
	double a = pow(sin((lat2 - lat1) * rad / 2), 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) *
		       pow(sin((lon2 - lon1) * rad / 2), 2);

	return (2 * r * asin(sqrt(a)));
}
