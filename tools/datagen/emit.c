/*
 * emit.c - listing JSON through jansson. Numbers: coordinates are printed
 * with 10 significant digits (the sources give at most 7 decimals, about a
 * centimetre); money and beds are integers. Every document is checked with
 * the rules the spoke and the hub apply (proto/domain, read back through
 * proto/wire's JSON reader) before it is written, so a rule broken by a bug
 * in the generator stops the run instead of reaching a spoke.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "coordinator.h"
#include "emit.h"
#include "geocode.h"
#include "listing.h"
#include "listing_json.h"

#define JSON_FLAGS (JSON_INDENT(2) | JSON_REAL_PRECISION(10))

/* Sets key of obj to value, taking the reference; -1 on failure. */
static int
set(json_t *obj, const char *key, json_t *value)
{
	return (value == NULL ? -1 : json_object_set_new(obj, key, value));
}

/* A JSON array of n strings, or NULL when out of memory. */
static json_t *
strings(const char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	if (a == NULL)
		return (NULL);
	for (i = 0; i < n; i++) {
		if (json_array_append_new(a, json_string(v[i])) != 0) {
			json_decref(a);
			return (NULL);
		}
	}
	return (a);
}

/* {"ja": ..., "en": ..., "ja-Latn": ...} without the NULL ones. */
static json_t *
names_latn(const char *ja, const char *en, const char *latn)
{
	json_t *o = json_object();

	if (o == NULL || set(o, "ja", json_string(ja)) != 0 ||
	    (en != NULL && set(o, "en", json_string(en)) != 0) ||
	    (latn != NULL && set(o, "ja-Latn", json_string(latn)) != 0)) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

/* {"ja": ..., "en": ...} with en left out when NULL. */
static json_t *
names(const char *ja, const char *en)
{
	json_t *o = json_object();

	if (o == NULL || set(o, "ja", json_string(ja)) != 0 ||
	    (en != NULL && set(o, "en", json_string(en)) != 0)) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

/* {"email": ..., "phone": ...} with phone left out when NULL. */
static json_t *
contact(const char *email, const char *phone)
{
	json_t *o = json_object();

	if (o == NULL || set(o, "email", json_string(email)) != 0 ||
	    (phone != NULL && set(o, "phone", json_string(phone)) != 0)) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

/* The location object of h. */
static json_t *
location(const dg_hospital *h)
{
	json_t *o = json_object();

	if (o == NULL || set(o, "lat", json_real(h->lat)) != 0 ||
	    set(o, "lon", json_real(h->lon)) != 0) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

/* The accreditations array of cap. */
static json_t *
accreditations(const dg_capability *cap)
{
	json_t *a = json_array(), *o;
	size_t i;

	if (a == NULL)
		return (NULL);
	for (i = 0; i < cap->naccreditations; i++) {
		if ((o = json_object()) == NULL ||
		    json_array_append_new(a, o) != 0 ||
		    set(o, "scheme",
			json_string(cap->accreditations[i].scheme)) != 0 ||
		    set(o, "expires",
			json_string(cap->accreditations[i].expires)) != 0) {
			json_decref(a);
			return (NULL);
		}
	}
	return (a);
}

/* The price_bands array of cap. */
static json_t *
price_bands(const dg_capability *cap)
{
	json_t *a = json_array(), *o;
	size_t i;

	if (a == NULL)
		return (NULL);
	for (i = 0; i < cap->nbands; i++) {
		if ((o = json_object()) == NULL ||
		    json_array_append_new(a, o) != 0 ||
		    set(o, "service", json_string(cap->bands[i].service)) !=
			0 ||
		    set(o, "min_jpy", json_integer(cap->bands[i].min_jpy)) !=
			0 ||
		    set(o, "max_jpy", json_integer(cap->bands[i].max_jpy)) !=
			0) {
			json_decref(a);
			return (NULL);
		}
	}
	return (a);
}

/*
 * Checks doc, a hospital listing (coordinator 0) or a coordinator listing,
 * with proto/domain's rules; reports each broken rule as 'listing CODE
 * refused: field "F": reason' and returns DG_ERR_INTERNAL.
 */
static dg_err
check_doc(const char *code, json_t *doc, int coordinator)
{
	ibx_problems p;
	ibx_listing *l = NULL;
	ibx_coordinator *c = NULL;
	char *text, *all;
	dg_err rv = DG_OK;
	ibx_err err;

	if ((text = json_dumps(doc, JSON_FLAGS)) == NULL)
		return (DG_ERR_NOMEM);
	ibx_problems_init(&p);
	if (coordinator)
		err = ibx_coordinator_from_json(text, strlen(text), &p, &c);
	else
		err = ibx_listing_from_json(text, strlen(text), &p, &l);
	if (err == IBX_OK)
		err = coordinator ? ibx_coordinator_check(c, &p)
				  : ibx_listing_check(l, &p);
	if (err == IBX_ENOMEM) {
		rv = DG_ERR_NOMEM;
	} else if (err != IBX_OK || ibx_problems_count(&p) > 0) {
		all = ibx_problems_join(&p, "; ");
		dg_error("listing %s refused: %s", code,
			 all != NULL ? all : ibx_strerror(err));
		free(all);
		rv = DG_ERR_INTERNAL;
	}
	ibx_listing_free(l);
	ibx_coordinator_free(c);
	ibx_problems_fini(&p);
	free(text);
	return (rv);
}

/*
 * Writes doc to out_dir/<code>.json through a temporary file in the same
 * directory and a rename.
 */
static dg_err
write_doc(const char *out_dir, const char *code, json_t *doc)
{
	char path[4096], tmp[4096];
	FILE *f = NULL;
	dg_err rv = DG_OK;
	int failed;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s.json", out_dir,
			     code) >= sizeof(path) ||
	    (size_t)snprintf(tmp, sizeof(tmp), "%s/.%s.json.tmp", out_dir,
			     code) >= sizeof(tmp)) {
		dg_error("output directory path too long");
		return (DG_ERR_USAGE);
	}
	if ((f = fopen(tmp, "w")) == NULL) {
		dg_error("cannot create \"%s\": %s", tmp, strerror(errno));
		return (DG_ERR_IO);
	}
	failed = json_dumpf(doc, f, JSON_FLAGS) != 0 || fputc('\n', f) == EOF;
	failed |= fclose(f) != 0;
	if (failed) {
		dg_error("cannot write \"%s\": %s", tmp, strerror(errno));
		rv = DG_ERR_IO;
		goto out;
	}
	if (rename(tmp, path) != 0) {
		dg_error("cannot rename \"%s\" to \"%s\": %s", tmp, path,
			 strerror(errno));
		rv = DG_ERR_IO;
	}
out:
	if (rv != DG_OK)
		(void)unlink(tmp);
	return (rv);
}

dg_err
dg_emit_prepare(const char *out_dir)
{
	struct stat st;

	if (mkdir(out_dir, 0755) == 0)
		return (DG_OK);
	if (errno == EEXIST && stat(out_dir, &st) == 0 && S_ISDIR(st.st_mode))
		return (DG_OK);
	dg_error("cannot create output directory \"%s\": %s", out_dir,
		 errno == EEXIST ? "not a directory" : strerror(errno));
	return (DG_ERR_IO);
}

dg_err
dg_emit_hospital(const char *out_dir, const dg_hospital *h,
		 const dg_capability *cap)
{
	static const char *const generated[] = {
	    "treatments",
	    "languages",
	    "accreditations",
	    "accepts_countries",
	    "price_bands",
	    "remote_second_opinion",
	    "international_contact",
	    "confirmed_at",
	    "receives_foreign_patients",
	};
	const char *synthetic[1 + sizeof(generated) / sizeof(generated[0])];
	const char *depts[DG_MAX_DEPTS];
	size_t i, nsynth = 0;
	json_t *doc = NULL;
	dg_err rv = DG_ERR_NOMEM;

	if (h->match == DG_MATCH_NONE)
		synthetic[nsynth++] = "organisation_code";
	for (i = 0; i < sizeof(generated) / sizeof(generated[0]); i++)
		synthetic[nsynth++] = generated[i];
	for (i = 0; i < h->ndepts; i++)
		depts[i] = h->depts[i];
	if ((doc = json_object()) == NULL ||
	    set(doc, "schema_version", json_integer(1)) != 0 ||
	    set(doc, "organisation_code", json_string(h->org_code)) != 0 ||
	    set(doc, "name",
		names_latn(h->name_ja, h->name_en, h->name_latn)) != 0 ||
	    (h->name_en != NULL &&
	     set(doc, "name_en_source",
		 json_string(h->name_en_translit ? "transliteration"
						 : "registered")) != 0) ||
	    set(doc, "prefecture", json_string(h->prefecture)) != 0 ||
	    (h->postal[0] != '\0' &&
	     set(doc, "postal_code", json_string(h->postal)) != 0) ||
	    (h->address != NULL &&
	     set(doc, "address", json_string(h->address)) != 0) ||
	    (h->address_latn != NULL && h->address_latn[0] != '\0' &&
	     set(doc, "address_latn", json_string(h->address_latn)) != 0) ||
	    (h->has_location && set(doc, "location", location(h)) != 0) ||
	    (h->has_location && set(doc, "geocode_level",
				    json_string(dg_geo_level_name(
					(dg_geo_level)h->geo_level))) != 0) ||
	    (h->beds >= 0 && set(doc, "beds", json_integer(h->beds)) != 0) ||
	    (h->ndepts > 0 &&
	     set(doc, "departments", strings(depts, h->ndepts)) != 0) ||
	    set(doc, "treatments",
		strings(cap->treatments, cap->ntreatments)) != 0 ||
	    set(doc, "languages", strings(cap->languages, cap->nlanguages)) !=
		0 ||
	    set(doc, "accreditations", accreditations(cap)) != 0 ||
	    set(doc, "accepts_countries",
		strings(cap->countries, cap->ncountries)) != 0 ||
	    set(doc, "price_bands", price_bands(cap)) != 0 ||
	    set(doc, "remote_second_opinion",
		json_boolean(cap->remote_second_opinion)) != 0 ||
	    (h->website != NULL &&
	     set(doc, "website", json_string(h->website)) != 0) ||
	    (h->receives_foreign && set(doc, "international_contact",
					contact(cap->email, NULL)) != 0) ||
	    set(doc, "receives_foreign_patients",
		json_boolean(h->receives_foreign)) != 0 ||
	    set(doc, "confirmed_at", json_string(cap->confirmed_at)) != 0 ||
	    set(doc, "synthetic", strings(synthetic, nsynth)) != 0) {
		dg_error("listing %s: out of memory", h->org_code);
		goto out;
	}
	if ((rv = check_doc(h->org_code, doc, 0)) == DG_OK)
		rv = write_doc(out_dir, h->org_code, doc);
out:
	json_decref(doc);
	return (rv);
}

dg_err
dg_emit_coordinator(const char *out_dir, const dg_coordinator *c)
{
	static const char *const synthetic[] = {
	    "organisation_code",
	    "name",
	    "prefecture",
	    "certification",
	    "certification_expires",
	    "languages",
	    "countries_served",
	    "services",
	    "website",
	    "contact",
	    "confirmed_at",
	};
	json_t *doc = NULL;
	dg_err rv = DG_ERR_NOMEM;

	if ((doc = json_object()) == NULL ||
	    set(doc, "organisation_code", json_string(c->code)) != 0 ||
	    set(doc, "name", names(c->name_ja, c->name_en)) != 0 ||
	    set(doc, "prefecture", json_string(c->prefecture)) != 0 ||
	    set(doc, "certification", json_string(c->certification)) != 0 ||
	    set(doc, "certification_expires",
		json_string(c->certification_expires)) != 0 ||
	    set(doc, "languages", strings(c->languages, c->nlanguages)) != 0 ||
	    set(doc, "countries_served",
		strings(c->countries, c->ncountries)) != 0 ||
	    set(doc, "services", strings(c->services, c->nservices)) != 0 ||
	    set(doc, "website", json_string(c->website)) != 0 ||
	    set(doc, "contact", contact(c->email, c->phone)) != 0 ||
	    set(doc, "confirmed_at", json_string(c->confirmed_at)) != 0 ||
	    set(doc, "synthetic",
		strings(synthetic,
			sizeof(synthetic) / sizeof(synthetic[0]))) != 0) {
		dg_error("coordinator %s: out of memory", c->code);
		goto out;
	}
	if ((rv = check_doc(c->code, doc, 1)) == DG_OK)
		rv = write_doc(out_dir, c->code, doc);
out:
	json_decref(doc);
	return (rv);
}
