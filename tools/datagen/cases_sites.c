/*
 * cases_sites.c - hospitals and their yearly foreign patients. Listing
 * files are read with jansson (the listing format of
 * docs/listing-format.md); only organisation_code, beds, accreditations
 * and price_bands are looked at, and a coordinator listing (it has
 * services) is skipped.
 */
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases_sites.h"
#include "codes.h"
#include "prng.h"

static int
ten_digits(const char *s)
{
	size_t i;

	for (i = 0; i < 10; i++)
		if (s[i] < '0' || s[i] > '9')
			return (0);
	return (s[10] == '\0');
}

static dg_err
push(dg_site_list *l, dg_site **out)
{
	dg_site *v;
	size_t cap;

	if (l->n == l->cap) {
		cap = l->cap ? l->cap * 2 : 64;
		if ((v = realloc(l->v, cap * sizeof(*v))) == NULL)
			return (DG_ERR_NOMEM);
		l->v = v;
		l->cap = cap;
	}
	*out = &l->v[l->n++];
	memset(*out, 0, sizeof(**out));
	(*out)->beds = -1;
	return (DG_OK);
}

/* Reads one listing file; *skip when it is not a hospital listing. */
static dg_err
read_listing(const char *path, dg_site_list *l)
{
	json_error_t jerr;
	json_t *doc, *code, *beds, *accr, *a, *bands;
	const char *scheme, *service;
	int k;
	dg_site *s;
	size_t i;
	dg_err rv = DG_OK;

	if ((doc = json_load_file(path, 0, &jerr)) == NULL) {
		dg_error("%s: line %d: %s", path, jerr.line, jerr.text);
		return (DG_ERR_FORMAT);
	}
	if (json_object_get(doc, "services") != NULL ||
	    json_object_get(doc, "certification") != NULL)
		goto out; /* a coordinator listing */
	code = json_object_get(doc, "organisation_code");
	if (!json_is_string(code) || !ten_digits(json_string_value(code))) {
		dg_error("%s: field \"organisation_code\": not 10 digits",
			 path);
		rv = DG_ERR_FORMAT;
		goto out;
	}
	if ((rv = push(l, &s)) != DG_OK)
		goto out;
	memcpy(s->code, json_string_value(code), 11);
	beds = json_object_get(doc, "beds");
	if (json_is_integer(beds) && json_integer_value(beds) >= 0 &&
	    json_integer_value(beds) < 100000)
		s->beds = (int)json_integer_value(beds);
	accr = json_object_get(doc, "accreditations");
	json_array_foreach(accr, i, a)
	{
		scheme = json_string_value(json_object_get(a, "scheme"));
		k = ibx_code_index(IBX_LIST_ACCREDITATION, scheme);
		if (k == IBX_ACCREDITATION_JMIP || k == IBX_ACCREDITATION_JIH)
			s->accredited = 1;
	}
	/* The price bands, as the listing states them (the listing checks
	 * min <= max); charges are drawn from them (cases_model.c). */
	bands = json_object_get(doc, "price_bands");
	json_array_foreach(bands, i, a)
	{
		json_t *lo = json_object_get(a, "min_jpy"),
		       *hi = json_object_get(a, "max_jpy");

		service = json_string_value(json_object_get(a, "service"));
		if (service == NULL || strlen(service) >= 32 ||
		    !json_is_integer(lo) || !json_is_integer(hi) ||
		    json_integer_value(lo) < 0 ||
		    json_integer_value(hi) < json_integer_value(lo) ||
		    s->nbands == DG_SITE_BANDS)
			continue;
		snprintf(s->bands[s->nbands].service,
			 sizeof(s->bands[s->nbands].service), "%s", service);
		s->bands[s->nbands].min_jpy = json_integer_value(lo);
		s->bands[s->nbands].max_jpy = json_integer_value(hi);
		s->nbands++;
	}
out:
	json_decref(doc);
	return (rv);
}

static int
cmp_site(const void *a, const void *b)
{
	return (
	    strcmp(((const dg_site *)a)->code, ((const dg_site *)b)->code));
}

dg_err
dg_sites_from_listings(const char *dir, dg_site_list *l)
{
	DIR *d;
	struct dirent *e;
	char path[4096];
	size_t len;
	dg_err rv = DG_OK;

	if ((d = opendir(dir)) == NULL) {
		dg_error("%s: cannot open the listings directory", dir);
		return (DG_ERR_IO);
	}
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     e->d_name) >= sizeof(path)) {
			rv = DG_ERR_USAGE;
			break;
		}
		if ((rv = read_listing(path, l)) != DG_OK)
			break;
	}
	closedir(d);
	if (rv == DG_OK && l->n == 0) {
		dg_error("%s: no hospital listings", dir);
		rv = DG_ERR_FORMAT;
	}
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_site);
	return (rv);
}

dg_err
dg_sites_add_code(dg_site_list *l, const char *code)
{
	dg_site *s;
	dg_err rv;

	if (strlen(code) != 10 || !ten_digits(code)) {
		dg_error("--hospital: \"%s\" is not a 10-digit organisation "
			 "code",
			 code);
		return (DG_ERR_USAGE);
	}
	if ((rv = push(l, &s)) != DG_OK)
		return (rv);
	memcpy(s->code, code, 11);
	s->beds = 500;
	s->accredited = 1;
	return (DG_OK);
}

void
dg_sites_volume(dg_site_list *l, uint64_t seed)
{
	char stream[32];
	dg_rng r;
	size_t i;
	int beds;

	for (i = 0; i < l->n; i++) {
		dg_site *s = &l->v[i];

		snprintf(stream, sizeof(stream), "cases-volume:%s", s->code);
		dg_rng_seed(&r, seed, stream);
		beds = s->beds >= 0 ? s->beds : 50;
		if (s->accredited)
			s->patients = 0.25 * beds;
		else if (beds >= 300)
			s->patients = dg_rng_chance(&r, 0.6) ? 0.02 * beds : 0;
		else if (beds >= 100)
			s->patients = dg_rng_chance(&r, 0.2) ? 0.01 * beds : 0;
		else
			s->patients = dg_rng_chance(&r, 0.05)
					  ? dg_rng_range(&r, 1, 3)
					  : 0;
	}
}

void
dg_sites_rows(dg_site_list *l, uint64_t total)
{
	double sum = 0, *frac;
	uint64_t given = 0;
	size_t i, best;

	for (i = 0; i < l->n; i++)
		sum += l->v[i].patients;
	if (l->n == 0)
		return;
	if (sum <= 0 || (frac = calloc(l->n, sizeof(*frac))) == NULL) {
		for (i = 0; i < l->n; i++)
			l->v[i].rows = 0;
		l->v[0].rows = total;
		return;
	}
	for (i = 0; i < l->n; i++) {
		double share = (double)total * l->v[i].patients / sum;

		l->v[i].rows = (uint64_t)floor(share);
		frac[i] = share - floor(share);
		given += l->v[i].rows;
	}
	for (; given < total; given++) {
		for (best = 0, i = 1; i < l->n; i++)
			if (frac[i] > frac[best])
				best = i;
		l->v[best].rows++;
		frac[best] = -1;
	}
	free(frac);
}

void
dg_sites_free(dg_site_list *l)
{
	if (l == NULL)
		return;
	free(l->v);
	memset(l, 0, sizeof(*l));
}
