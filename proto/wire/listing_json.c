/*
 * Listing <-> JSON with jansson.  Reading is strict about shapes: each
 * field has one JSON type, unknown fields are refused, and every problem is
 * reported with its path so a hospital can fix its file in one pass.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "file.h"
#include "coordinator.h"
#include "listing_json.h"
#include "text.h"

static const char *const top_fields[] = {"schema_version",
					 "organisation_code",
					 "name",
					 "prefecture",
					 "postal_code",
					 "address",
					 "location",
					 "beds",
					 "departments",
					 "treatments",
					 "languages",
					 "accreditations",
					 "accepts_countries",
					 "price_bands",
					 "remote_second_opinion",
					 "website",
					 "international_contact",
					 "confirmed_at",
					 "synthetic",
					 "address_latn",
					 "name_en_source",
					 "geocode_level",
					 "receives_foreign_patients"};

/* Read an optional string member; a wrong type is a problem. */
static ibx_err
get_str(json_t *obj, const char *key, const char *path, ibx_problems *p,
	char **out)
{
	json_t *v = json_object_get(obj, key);

	if (v == NULL || json_is_null(v))
		return (IBX_OK);
	if (!json_is_string(v)) {
		ibx_problems_addc(p, path, "not_string", "must be a string");
		return (IBX_OK);
	}
	if (strlen(json_string_value(v)) != json_string_length(v)) {
		ibx_problems_addc(p, path, "nul_char",
				  "contains a NUL character");
		return (IBX_OK);
	}
	if ((*out = strdup(json_string_value(v))) == NULL)
		return (IBX_ENOMEM);
	return (IBX_OK);
}

static ibx_err
get_strv(json_t *obj, const char *key, ibx_problems *p, ibx_strv *out)
{
	json_t *arr = json_object_get(obj, key), *v;
	char path[64];
	size_t i;
	ibx_err rv;

	if (arr == NULL || json_is_null(arr))
		return (IBX_OK);
	if (!json_is_array(arr)) {
		ibx_problems_addc(p, key, "not_string_array",
				  "must be an array of strings");
		return (IBX_OK);
	}
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v) ||
		    strlen(json_string_value(v)) != json_string_length(v)) {
			snprintf(path, sizeof(path), "%s[%zu]", key, i);
			ibx_problems_addc(p, path, "not_string",
					  "must be a string");
			continue;
		}
		if ((rv = ibx_strv_push(out, json_string_value(v))) != IBX_OK)
			return (rv);
	}
	return (IBX_OK);
}

static void
check_object_keys(json_t *obj, const char *path, const char *const *known,
		  size_t n, ibx_problems *p)
{
	const char *key;
	json_t *v;
	char fpath[160];
	size_t i;

	json_object_foreach(obj, key, v)
	{
		(void)v;
		for (i = 0; i < n; i++)
			if (strcmp(key, known[i]) == 0)
				break;
		if (i == n) {
			char shown[72];

			/* The key is untrusted: quoted, escaped and cut. */
			ibx_text_quote_short(shown, sizeof(shown), key);
			shown[strlen(shown) - 1] = '\0';
			snprintf(fpath, sizeof(fpath), "%s%s%s", path,
				 *path != '\0' ? "." : "", shown + 1);
			ibx_problems_addc(p, fpath, "unknown_field",
					  "unknown field");
		}
	}
}

/* A name object {ja, en} under key "name" into *ja and *en. */
static ibx_err
read_name(json_t *root, char **ja, char **en, ibx_problems *p)
{
	static const char *const keys[] = {"ja", "en"};
	json_t *name = json_object_get(root, "name");
	ibx_err rv;

	if (name == NULL || json_is_null(name))
		return (IBX_OK);
	if (!json_is_object(name)) {
		ibx_problems_addc(p, "name", "not_object",
				  "must be an object {ja, en}");
		return (IBX_OK);
	}
	check_object_keys(name, "name", keys, 2, p);
	if ((rv = get_str(name, "ja", "name.ja", p, ja)) != IBX_OK)
		return (rv);
	return (get_str(name, "en", "name.en", p, en));
}

/* A hospital's name object: ja, en and the tags of ibx_name_langs. */
static ibx_err
read_listing_name(json_t *root, ibx_listing *l, ibx_problems *p)
{
	const char *keys[2 + IBX_NAME_NLANGS] = {"ja", "en"};
	json_t *name = json_object_get(root, "name");
	char path[32];
	ibx_err rv;
	int i;

	if (name == NULL || json_is_null(name))
		return (IBX_OK);
	if (!json_is_object(name)) {
		ibx_problems_addc(p, "name", "not_object",
				  "must be an object {ja, en}");
		return (IBX_OK);
	}
	for (i = 0; i < IBX_NAME_NLANGS; i++)
		keys[2 + i] = ibx_name_langs[i];
	check_object_keys(name, "name", keys, 2 + IBX_NAME_NLANGS, p);
	if ((rv = get_str(name, "ja", "name.ja", p, &l->name_ja)) != IBX_OK ||
	    (rv = get_str(name, "en", "name.en", p, &l->name_en)) != IBX_OK)
		return (rv);
	for (i = 0; i < IBX_NAME_NLANGS; i++) {
		snprintf(path, sizeof(path), "name.%s", ibx_name_langs[i]);
		if ((rv = get_str(name, ibx_name_langs[i], path, p,
				  &l->names[i])) != IBX_OK)
			return (rv);
	}
	return (IBX_OK);
}

static void
read_location(json_t *root, ibx_listing *l, ibx_problems *p)
{
	static const char *const keys[] = {"lat", "lon"};
	json_t *loc = json_object_get(root, "location"), *lat, *lon;

	if (loc == NULL || json_is_null(loc))
		return;
	if (!json_is_object(loc)) {
		ibx_problems_addc(p, "location", "not_object",
				  "must be an object {lat, lon}");
		return;
	}
	check_object_keys(loc, "location", keys, 2, p);
	lat = json_object_get(loc, "lat");
	lon = json_object_get(loc, "lon");
	if (!json_is_number(lat))
		ibx_problems_addc(p, "location.lat", "not_number",
				  "must be a number");
	if (!json_is_number(lon))
		ibx_problems_addc(p, "location.lon", "not_number",
				  "must be a number");
	if (json_is_number(lat) && json_is_number(lon)) {
		l->has_location = true;
		l->lat = json_number_value(lat);
		l->lon = json_number_value(lon);
	}
}

static ibx_err
read_accreditations(json_t *root, ibx_listing *l, ibx_problems *p)
{
	static const char *const keys[] = {"scheme", "expires"};
	json_t *arr = json_object_get(root, "accreditations"), *v;
	char path[64], fpath[80];
	size_t i;
	ibx_err rv;

	if (arr == NULL || json_is_null(arr))
		return (IBX_OK);
	if (!json_is_array(arr)) {
		ibx_problems_addc(p, "accreditations", "not_array",
				  "must be an array");
		return (IBX_OK);
	}
	l->accreditations =
	    calloc(json_array_size(arr) + 1, sizeof(*l->accreditations));
	if (l->accreditations == NULL)
		return (IBX_ENOMEM);
	json_array_foreach(arr, i, v)
	{
		ibx_accreditation *a = &l->accreditations[l->n_accreditations];

		snprintf(path, sizeof(path), "accreditations[%zu]", i);
		if (!json_is_object(v)) {
			ibx_problems_addc(p, path, "not_object",
					  "must be an object");
			continue;
		}
		check_object_keys(v, path, keys, 2, p);
		snprintf(fpath, sizeof(fpath), "%s.scheme", path);
		if ((rv = get_str(v, "scheme", fpath, p, &a->scheme)) !=
		    IBX_OK)
			return (rv);
		snprintf(fpath, sizeof(fpath), "%s.expires", path);
		if ((rv = get_str(v, "expires", fpath, p, &a->expires)) !=
		    IBX_OK)
			return (rv);
		l->n_accreditations++;
	}
	return (IBX_OK);
}

static void
get_jpy(json_t *obj, const char *key, const char *path, ibx_problems *p,
	int64_t *out)
{
	json_t *v = json_object_get(obj, key);
	char fpath[80];

	snprintf(fpath, sizeof(fpath), "%s.%s", path, key);
	if (!json_is_integer(v))
		ibx_problems_addc(p, fpath, "not_jpy",
				  "must be a whole number of JPY");
	else
		*out = json_integer_value(v);
}

static ibx_err
read_price_bands(json_t *root, ibx_listing *l, ibx_problems *p)
{
	static const char *const keys[] = {"service", "min_jpy", "max_jpy"};
	json_t *arr = json_object_get(root, "price_bands"), *v;
	char path[64], fpath[80];
	size_t i;
	ibx_err rv;

	if (arr == NULL || json_is_null(arr))
		return (IBX_OK);
	if (!json_is_array(arr)) {
		ibx_problems_addc(p, "price_bands", "not_array",
				  "must be an array");
		return (IBX_OK);
	}
	l->price_bands =
	    calloc(json_array_size(arr) + 1, sizeof(*l->price_bands));
	if (l->price_bands == NULL)
		return (IBX_ENOMEM);
	json_array_foreach(arr, i, v)
	{
		ibx_price_band *b = &l->price_bands[l->n_price_bands];

		snprintf(path, sizeof(path), "price_bands[%zu]", i);
		if (!json_is_object(v)) {
			ibx_problems_addc(p, path, "not_object",
					  "must be an object");
			continue;
		}
		check_object_keys(v, path, keys, 3, p);
		snprintf(fpath, sizeof(fpath), "%s.service", path);
		if ((rv = get_str(v, "service", fpath, p, &b->service)) !=
		    IBX_OK)
			return (rv);
		get_jpy(v, "min_jpy", path, p, &b->min_jpy);
		get_jpy(v, "max_jpy", path, p, &b->max_jpy);
		l->n_price_bands++;
	}
	return (IBX_OK);
}

/* A contact object {email, phone} under key into *email and *phone. */
static ibx_err
read_contact(json_t *root, const char *key, char **email, char **phone,
	     ibx_problems *p)
{
	static const char *const keys[] = {"email", "phone"};
	json_t *c = json_object_get(root, key);
	char path[64];
	ibx_err rv;

	if (c == NULL || json_is_null(c))
		return (IBX_OK);
	if (!json_is_object(c)) {
		ibx_problems_addc(p, key, "not_object",
				  "must be an object {email, phone}");
		return (IBX_OK);
	}
	check_object_keys(c, key, keys, 2, p);
	snprintf(path, sizeof(path), "%s.email", key);
	if ((rv = get_str(c, "email", path, p, email)) != IBX_OK)
		return (rv);
	snprintf(path, sizeof(path), "%s.phone", key);
	return (get_str(c, "phone", path, p, phone));
}

static void
read_scalars(json_t *root, ibx_listing *l, ibx_problems *p)
{
	json_t *v;

	v = json_object_get(root, "schema_version");
	if (v != NULL && !(json_is_integer(v) && json_integer_value(v) == 1))
		ibx_problems_addc(p, "schema_version", "schema_version",
				  "must be 1");
	v = json_object_get(root, "beds");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > INT32_MAX)
			ibx_problems_addc(p, "beds", "not_count",
					  "must be a whole number, 0 or more");
		else
			l->beds = (int32_t)json_integer_value(v);
	}
	v = json_object_get(root, "remote_second_opinion");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_boolean(v))
			ibx_problems_addc(p, "remote_second_opinion",
					  "not_bool", "must be true or false");
		else
			l->remote_second_opinion = json_is_true(v);
	}
	v = json_object_get(root, "receives_foreign_patients");
	if (v != NULL && !json_is_null(v)) {
		if (!json_is_boolean(v))
			ibx_problems_addc(p, "receives_foreign_patients",
					  "not_bool", "must be true or false");
		else
			l->receives_foreign_patients = json_is_true(v) ? 1 : 0;
	}
}

static ibx_err
read_listing(json_t *root, ibx_listing *l, ibx_problems *p)
{
	struct {
		const char *key;
		char **dst;
	} strs[] = {
	    {"organisation_code", &l->organisation_code},
	    {"prefecture", &l->prefecture},
	    {"postal_code", &l->postal_code},
	    {"address", &l->address},
	    {"website", &l->website},
	    {"confirmed_at", &l->confirmed_at},
	    {"address_latn", &l->address_latn},
	    {"name_en_source", &l->name_en_source},
	    {"geocode_level", &l->geocode_level},
	};
	struct {
		const char *key;
		ibx_strv *dst;
	} vecs[] = {
	    {"departments", &l->departments},
	    {"treatments", &l->treatments},
	    {"languages", &l->languages},
	    {"accepts_countries", &l->accepts_countries},
	    {"synthetic", &l->synthetic},
	};
	size_t i;
	ibx_err rv;

	check_object_keys(root, "", top_fields,
			  sizeof(top_fields) / sizeof(top_fields[0]), p);
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if ((rv = get_str(root, strs[i].key, strs[i].key, p,
				  strs[i].dst)) != IBX_OK)
			return (rv);
	for (i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++)
		if ((rv = get_strv(root, vecs[i].key, p, vecs[i].dst)) !=
		    IBX_OK)
			return (rv);
	read_scalars(root, l, p);
	read_location(root, l, p);
	if ((rv = read_listing_name(root, l, p)) != IBX_OK ||
	    (rv = read_accreditations(root, l, p)) != IBX_OK ||
	    (rv = read_price_bands(root, l, p)) != IBX_OK ||
	    (rv = read_contact(root, "international_contact",
			       &l->contact_email, &l->contact_phone, p)) !=
		IBX_OK)
		return (rv);
	return (IBX_OK);
}

/* Parse JSON text that must be one object; problems name the file. */
static ibx_err
parse_object(const char *text, size_t len, ibx_problems *p, json_t **out)
{
	json_error_t jerr;
	json_t *root;

	if (len > IBX_LISTING_JSON_MAX) {
		ibx_problems_addc(p, "(file)", "file_too_large",
				  "larger than %d bytes",
				  IBX_LISTING_JSON_MAX);
		return (IBX_ETOOBIG);
	}
	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		ibx_problems_addc(p, "(file)", "not_json",
				  "not JSON: line %d column %d: %s", jerr.line,
				  jerr.column, jerr.text);
		return (IBX_EINVAL);
	}
	if (!json_is_object(root)) {
		ibx_problems_addc(p, "(file)", "not_json_object",
				  "must be a JSON object");
		json_decref(root);
		return (IBX_EINVAL);
	}
	*out = root;
	return (IBX_OK);
}

/* Read a whole listing file (at most IBX_LISTING_JSON_MAX bytes); the
 * problems name the file and the cause. */
static ibx_err
read_file(const char *path, ibx_problems *p, char **buf, size_t *len)
{
	ibx_err rv = ibx_file_read(path, IBX_LISTING_JSON_MAX, buf, len);

	if (rv == IBX_EIO)
		ibx_problems_addc(p, "(file)", "cannot_open",
				  "cannot open %s: %s", path, strerror(errno));
	else if (rv == IBX_ETOOBIG)
		ibx_problems_addc(p, "(file)", "file_too_large",
				  "larger than %d bytes",
				  IBX_LISTING_JSON_MAX);
	return (rv);
}

ibx_err
ibx_listing_from_json(const char *text, size_t len, ibx_problems *p,
		      ibx_listing **out)
{
	ibx_listing *l = NULL;
	json_t *root = NULL;
	size_t before = ibx_problems_count(p);
	ibx_err rv;

	if ((rv = parse_object(text, len, p, &root)) != IBX_OK)
		return (rv);
	if ((l = ibx_listing_new()) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	if ((rv = read_listing(root, l, p)) != IBX_OK)
		goto out;
	if (ibx_problems_count(p) > before) {
		rv = IBX_EINVAL;
		goto out;
	}
	*out = l;
	l = NULL;
out:
	ibx_listing_free(l);
	json_decref(root);
	return (rv);
}

ibx_err
ibx_listing_load_file(const char *path, ibx_problems *p, ibx_listing **out)
{
	char *buf = NULL;
	size_t n = 0;
	ibx_err rv;

	if ((rv = read_file(path, p, &buf, &n)) != IBX_OK)
		return (rv);
	rv = ibx_listing_from_json(buf, n, p, out);
	free(buf);
	return (rv);
}

static int
set_str(json_t *obj, const char *key, const char *s)
{
	if (s == NULL)
		return (0);
	return (json_object_set_new(obj, key, json_string(s)));
}

static int
set_strv(json_t *obj, const char *key, const ibx_strv *sv)
{
	json_t *arr = json_array();
	size_t i;

	if (arr == NULL)
		return (-1);
	for (i = 0; i < sv->n; i++)
		if (json_array_append_new(arr, json_string(sv->v[i])) != 0) {
			json_decref(arr);
			return (-1);
		}
	return (json_object_set_new(obj, key, arr));
}

static json_t *
listing_object(const ibx_listing *l)
{
	json_t *o = json_object(), *name, *arr, *c;
	size_t i;
	int bad = 0;

	if (o == NULL)
		return (NULL);
	bad |= json_object_set_new(o, "schema_version", json_integer(1));
	bad |= set_str(o, "organisation_code", l->organisation_code);
	name = json_object();
	bad |= set_str(name, "ja", l->name_ja);
	bad |= set_str(name, "en", l->name_en);
	for (i = 0; i < IBX_NAME_NLANGS; i++)
		bad |= set_str(name, ibx_name_langs[i], l->names[i]);
	bad |= json_object_set_new(o, "name", name);
	bad |= set_str(o, "name_en_source", l->name_en_source);
	bad |= set_str(o, "prefecture", l->prefecture);
	bad |= set_str(o, "postal_code", l->postal_code);
	bad |= set_str(o, "address", l->address);
	bad |= set_str(o, "address_latn", l->address_latn);
	bad |= set_str(o, "geocode_level", l->geocode_level);
	if (l->receives_foreign_patients >= 0)
		bad |= json_object_set_new(
		    o, "receives_foreign_patients",
		    json_boolean(l->receives_foreign_patients));
	if (l->has_location)
		bad |= json_object_set_new(
		    o, "location",
		    json_pack("{s:f,s:f}", "lat", l->lat, "lon", l->lon));
	if (l->beds >= 0)
		bad |= json_object_set_new(o, "beds", json_integer(l->beds));
	bad |= set_strv(o, "departments", &l->departments);
	bad |= set_strv(o, "treatments", &l->treatments);
	bad |= set_strv(o, "languages", &l->languages);
	arr = json_array();
	for (i = 0; i < l->n_accreditations; i++) {
		json_t *a = json_object();

		bad |= set_str(a, "scheme", l->accreditations[i].scheme);
		bad |= set_str(a, "expires", l->accreditations[i].expires);
		bad |= json_array_append_new(arr, a);
	}
	bad |= json_object_set_new(o, "accreditations", arr);
	bad |= set_strv(o, "accepts_countries", &l->accepts_countries);
	arr = json_array();
	for (i = 0; i < l->n_price_bands; i++)
		bad |= json_array_append_new(
		    arr,
		    json_pack(
			"{s:s,s:I,s:I}", "service",
			l->price_bands[i].service ? l->price_bands[i].service
						  : "",
			"min_jpy", (json_int_t)l->price_bands[i].min_jpy,
			"max_jpy", (json_int_t)l->price_bands[i].max_jpy));
	bad |= json_object_set_new(o, "price_bands", arr);
	bad |= json_object_set_new(o, "remote_second_opinion",
				   json_boolean(l->remote_second_opinion));
	bad |= set_str(o, "website", l->website);
	if (l->contact_email != NULL || l->contact_phone != NULL) {
		c = json_object();
		bad |= set_str(c, "email", l->contact_email);
		bad |= set_str(c, "phone", l->contact_phone);
		bad |= json_object_set_new(o, "international_contact", c);
	}
	bad |= set_str(o, "confirmed_at", l->confirmed_at);
	bad |= set_strv(o, "synthetic", &l->synthetic);
	if (bad) {
		json_decref(o);
		return (NULL);
	}
	return (o);
}

ibx_err
ibx_listing_to_json(const ibx_listing *l, char **out)
{
	json_t *o = listing_object(l);
	char *s;

	if (o == NULL)
		return (IBX_ENOMEM);
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
			      JSON_REAL_PRECISION(10));
	json_decref(o);
	if (s == NULL)
		return (IBX_ENOMEM);
	*out = s;
	return (IBX_OK);
}

static const char *const coordinator_fields[] = {
    "schema_version", "organisation_code", "name",
    "prefecture",     "certification",	   "certification_expires",
    "languages",      "countries_served",  "services",
    "website",	      "contact",	   "confirmed_at",
    "synthetic"};

static ibx_err
read_coordinator(json_t *root, ibx_coordinator *c, ibx_problems *p)
{
	struct {
		const char *key;
		char **dst;
	} strs[] = {
	    {"organisation_code", &c->organisation_code},
	    {"prefecture", &c->prefecture},
	    {"certification", &c->certification},
	    {"certification_expires", &c->certification_expires},
	    {"website", &c->website},
	    {"confirmed_at", &c->confirmed_at},
	};
	struct {
		const char *key;
		ibx_strv *dst;
	} vecs[] = {
	    {"languages", &c->languages},
	    {"countries_served", &c->countries_served},
	    {"services", &c->services},
	    {"synthetic", &c->synthetic},
	};
	json_t *v;
	size_t i;
	ibx_err rv;

	check_object_keys(
	    root, "", coordinator_fields,
	    sizeof(coordinator_fields) / sizeof(coordinator_fields[0]), p);
	v = json_object_get(root, "schema_version");
	if (v != NULL && !(json_is_integer(v) && json_integer_value(v) == 1))
		ibx_problems_addc(p, "schema_version", "schema_version",
				  "must be 1");
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++)
		if ((rv = get_str(root, strs[i].key, strs[i].key, p,
				  strs[i].dst)) != IBX_OK)
			return (rv);
	for (i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++)
		if ((rv = get_strv(root, vecs[i].key, p, vecs[i].dst)) !=
		    IBX_OK)
			return (rv);
	if ((rv = read_name(root, &c->name_ja, &c->name_en, p)) != IBX_OK)
		return (rv);
	return (read_contact(root, "contact", &c->contact_email,
			     &c->contact_phone, p));
}

ibx_err
ibx_coordinator_from_json(const char *text, size_t len, ibx_problems *p,
			  ibx_coordinator **out)
{
	ibx_coordinator *c = NULL;
	json_t *root = NULL;
	size_t before = ibx_problems_count(p);
	ibx_err rv;

	if ((rv = parse_object(text, len, p, &root)) != IBX_OK)
		return (rv);
	if ((c = ibx_coordinator_new()) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	if ((rv = read_coordinator(root, c, p)) != IBX_OK)
		goto out;
	if (ibx_problems_count(p) > before) {
		rv = IBX_EINVAL;
		goto out;
	}
	*out = c;
	c = NULL;
out:
	ibx_coordinator_free(c);
	json_decref(root);
	return (rv);
}

ibx_err
ibx_coordinator_load_file(const char *path, ibx_problems *p,
			  ibx_coordinator **out)
{
	char *buf = NULL;
	size_t n = 0;
	ibx_err rv;

	if ((rv = read_file(path, p, &buf, &n)) != IBX_OK)
		return (rv);
	rv = ibx_coordinator_from_json(buf, n, p, out);
	free(buf);
	return (rv);
}

ibx_err
ibx_coordinator_to_json(const ibx_coordinator *c, char **out)
{
	json_t *o = json_object(), *name, *contact;
	int bad = 0;
	char *s;

	if (o == NULL)
		return (IBX_ENOMEM);
	bad |= json_object_set_new(o, "schema_version", json_integer(1));
	bad |= set_str(o, "organisation_code", c->organisation_code);
	name = json_object();
	bad |= set_str(name, "ja", c->name_ja);
	bad |= set_str(name, "en", c->name_en);
	bad |= json_object_set_new(o, "name", name);
	bad |= set_str(o, "prefecture", c->prefecture);
	bad |= set_str(o, "certification", c->certification);
	bad |= set_str(o, "certification_expires", c->certification_expires);
	bad |= set_strv(o, "languages", &c->languages);
	bad |= set_strv(o, "countries_served", &c->countries_served);
	bad |= set_strv(o, "services", &c->services);
	bad |= set_str(o, "website", c->website);
	if (c->contact_email != NULL || c->contact_phone != NULL) {
		contact = json_object();
		bad |= set_str(contact, "email", c->contact_email);
		bad |= set_str(contact, "phone", c->contact_phone);
		bad |= json_object_set_new(o, "contact", contact);
	}
	bad |= set_str(o, "confirmed_at", c->confirmed_at);
	bad |= set_strv(o, "synthetic", &c->synthetic);
	s = bad ? NULL : json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (s == NULL)
		return (IBX_ENOMEM);
	*out = s;
	return (IBX_OK);
}
