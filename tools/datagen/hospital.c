/*
 * hospital.c - the hospital record the source readers fill: list storage,
 * departments without repeats, and the website rule of
 * docs/listing-format.md. Matching and generation live elsewhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hospital.h"

#define WEBSITE_MAX 500

/*
 * Boxes around the prefectures with source data, a little larger than the
 * land (from the prefectures' extreme points), to catch geocoding slips.
 */
static const struct {
	const char *pref;
	double lat_min, lat_max, lon_min, lon_max;
} pref_boxes[] = {
    {"01", 41.3, 45.6, 139.3, 146.0}, /* Hokkaido, without the Kurils */
    {"39", 32.6, 34.0, 132.4, 134.4}, /* Kochi */
    {"43", 32.0, 33.3, 129.9, 131.4}, /* Kumamoto */
};

dg_err
dg_hospital_list_add(dg_hospital_list *l, const char *set,
		     const char *prefecture, dg_hospital **out)
{
	dg_hospital *nv, *h;
	size_t ncap;

	if (l->n == l->cap) {
		ncap = l->cap ? l->cap * 2 : 256;
		if ((nv = realloc(l->v, ncap * sizeof(*nv))) == NULL)
			return (DG_ERR_NOMEM);
		l->v = nv;
		l->cap = ncap;
	}
	h = &l->v[l->n++];
	memset(h, 0, sizeof(*h));
	h->set = set;
	h->beds = -1;
	snprintf(h->prefecture, sizeof(h->prefecture), "%s", prefecture);
	*out = h;
	return (DG_OK);
}

void
dg_hospital_list_free(dg_hospital_list *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].name_ja);
		free(l->v[i].name_en);
		free(l->v[i].address);
		free(l->v[i].name_latn);
		free(l->v[i].address_latn);
		free(l->v[i].website);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

dg_err
dg_hospital_add_dept(dg_hospital *h, const char *code)
{
	size_t i;

	for (i = 0; i < h->ndepts; i++)
		if (strcmp(h->depts[i], code) == 0)
			return (DG_OK);
	if (h->ndepts == DG_MAX_DEPTS)
		return (DG_ERR_FORMAT);
	snprintf(h->depts[h->ndepts++], sizeof(h->depts[0]), "%s", code);
	return (DG_OK);
}

int
dg_hospital_has_dept(const dg_hospital *h, const char *prefix)
{
	size_t i, len = strlen(prefix);

	for (i = 0; i < h->ndepts; i++)
		if (strncmp(h->depts[i], prefix, len) == 0)
			return (1);
	return (0);
}

int
dg_hospital_set_location(dg_hospital *h, double lat, double lon)
{
	size_t i;

	/* docs/listing-format.md: within Japan, lat 20..46, lon 122..154 */
	if (!(lat >= 20.0 && lat <= 46.0 && lon >= 122.0 && lon <= 154.0))
		return (0);
	for (i = 0; i < sizeof(pref_boxes) / sizeof(pref_boxes[0]); i++) {
		if (strcmp(pref_boxes[i].pref, h->prefecture) != 0)
			continue;
		if (lat < pref_boxes[i].lat_min ||
		    lat > pref_boxes[i].lat_max ||
		    lon < pref_boxes[i].lon_min || lon > pref_boxes[i].lon_max)
			return (0);
	}
	h->has_location = 1;
	h->lat = lat;
	h->lon = lon;
	return (1);
}

int
dg_hospital_set_website(dg_hospital *h, const char *url)
{
	const unsigned char *p;
	size_t len = strlen(url), scheme;

	if (strncmp(url, "http://", 7) == 0)
		scheme = 7;
	else if (strncmp(url, "https://", 8) == 0)
		scheme = 8;
	else
		return (0);
	if (len > WEBSITE_MAX || len == scheme)
		return (0);
	for (p = (const unsigned char *)url; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7F)
			return (0);
	/* Ideographic space (U+3000) is white space too. */
	if (strstr(url, "\xE3\x80\x80") != NULL)
		return (0);
	free(h->website);
	if ((h->website = strdup(url)) == NULL)
		return (-1);
	return (1);
}
