/*
 * national.c - the national hospital list (national.h): the register
 * reader, geocoding against the official points, readings, the generated
 * foreign-patient answer and the coverage report.
 */
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "national.h"
#include "normalise.h"
#include "prng.h"
#include "romaji.h"
#include "sources.h"

static const char *const register_files[] = {
    "jp_medical_institution_codes_2025-08_pref01-13.csv",
    "jp_medical_institution_codes_2025-08_pref14-27.csv",
    "jp_medical_institution_codes_2025-08_pref28-47.csv",
};

#define HOSPITAL_WORD "\xE7\x97\x85\xE9\x99\xA2" /* 病院 */

/*
 * Chance that a hospital receives foreign patients at all, by size. The
 * MHLW list (about 1,700 of about 8,000 hospitals, FY2023 survey and the
 * 2026-08 list) gives a mean near 0.21; larger hospitals are on it more
 * often. Most of the national list has no bed count (register only).
 */
static const double p_receive_unknown = 0.21;
static const double p_receive_by_beds[4] = {0.12, 0.3, 0.6, 0.8};
static const double p_receive_accredited = 0.95;
/*
 * Share of the generator's accreditations kept: synth.c draws them per
 * hospital for the three detailed sources; over 8,000 hospitals that would
 * be several hundred, where the JMIP and JIH lists hold about 60 to 80.
 */
static const double p_keep_accreditation = 0.36;

/* An organisation code already listed: by a detailed source or a row. */
struct seen {
	char code[11];
	unsigned char detailed; /* listed by a detailed source */
	unsigned char hits;	/* register rows seen for it */
};

/* Register reading state. */
struct reg {
	dg_hospital_list *list;
	dg_national_report *rep;
	struct seen *seen; /* codes already in the list, sorted */
	size_t nseen, cap;
	const char *file;
	int code7, code9, name, postal, addr;
};

/* Index where code is or would go in the sorted seen array. */
static size_t
seen_pos(const struct reg *r, const char *code, int *found)
{
	size_t lo = 0, hi = r->nseen;

	*found = 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(r->seen[mid].code, code);

		if (c == 0) {
			*found = 1;
			return (mid);
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo);
}

/* Inserts code into the seen array; DG_OK or DG_ERR_NOMEM. */
static dg_err
seen_insert(struct reg *r, const char *code, size_t pos, int detailed)
{
	struct seen *nv;

	if (r->nseen == r->cap) {
		size_t ncap = r->cap ? r->cap * 2 : 1024;

		if ((nv = realloc(r->seen, ncap * sizeof(*nv))) == NULL)
			return (DG_ERR_NOMEM);
		r->seen = nv;
		r->cap = ncap;
	}
	memmove(r->seen + pos + 1, r->seen + pos,
		(r->nseen - pos) * sizeof(*r->seen));
	memset(&r->seen[pos], 0, sizeof(r->seen[pos]));
	snprintf(r->seen[pos].code, sizeof(r->seen[pos].code), "%s", code);
	r->seen[pos].detailed = detailed ? 1 : 0;
	r->seen[pos].hits = detailed ? 0 : 1;
	r->nseen++;
	return (DG_OK);
}

static dg_err
on_register(const dg_csv_row *row, void *arg)
{
	struct reg *r = arg;
	const char *c9, *c7, *name;
	char code[11], pref[3];
	dg_hospital *h;
	size_t pos;
	int found;
	dg_err rv;

	if (row->record == 0) {
		const char *names[] = {"医療機関コード(9桁)",
				       "医療機関コード(7桁)", "医療機関名称",
				       "郵便番号", "住所"};
		int *slots[] = {&r->code9, &r->code7, &r->name, &r->postal,
				&r->addr};

		return (dg_csv_columns(row, r->file, names, slots, 5));
	}
	name = dg_csv_field(row, r->name);
	if (strstr(name, HOSPITAL_WORD) == NULL)
		return (DG_OK);
	c9 = dg_csv_field(row, r->code9);
	c7 = dg_csv_field(row, r->code7);
	if (strlen(c9) != 9 || strlen(c7) != 7 ||
	    strspn(c9, "0123456789") != 9 || strspn(c7, "0123456789") != 7) {
		dg_error("%s: line %zu: bad institution code \"%s\"", r->file,
			 row->record + 1, c9);
		return (DG_ERR_FORMAT);
	}
	memcpy(pref, c9, 2);
	pref[2] = '\0';
	snprintf(code, sizeof(code), "%s1%s", pref, c7);
	r->rep->register_rows++;
	pos = seen_pos(r, code, &found);
	if (found) {
		/* A detailed source's hospital, or a repeated row. */
		if (r->seen[pos].detailed && r->seen[pos].hits == 0)
			r->rep->register_detailed++;
		else
			r->rep->register_duplicates++;
		r->seen[pos].hits = 1;
		return (DG_OK);
	}
	if ((rv = seen_insert(r, code, pos, 0)) != DG_OK ||
	    (rv = dg_hospital_list_add(r->list, "register", pref, &h)) !=
		DG_OK)
		return (rv);
	snprintf(h->source_id, sizeof(h->source_id), "%s", c9);
	memcpy(h->org_code, code, sizeof(h->org_code));
	h->match = DG_MATCH_REGISTER;
	dg_norm_postal(dg_csv_field(row, r->postal), h->postal);
	if ((rv = dg_set_text(&h->name_ja, name)) != DG_OK ||
	    (rv = dg_set_text(&h->address, dg_csv_field(row, r->addr))) !=
		DG_OK)
		return (rv);
	r->rep->register_added++;
	return (DG_OK);
}

dg_err
dg_register_load(const char *data_dir, dg_hospital_list *l,
		 dg_national_report *rep)
{
	struct reg r;
	char path[4096];
	size_t i;
	dg_err rv = DG_OK;

	memset(&r, 0, sizeof(r));
	r.list = l;
	r.rep = rep;
	for (i = 0; i < l->n; i++) {
		int found;
		size_t pos = seen_pos(&r, l->v[i].org_code, &found);

		if (!found &&
		    (rv = seen_insert(&r, l->v[i].org_code, pos, 1)) != DG_OK)
			goto out;
	}
	for (i = 0; i < sizeof(register_files) / sizeof(register_files[0]);
	     i++) {
		r.file = register_files[i];
		if ((rv = dg_data_path(data_dir, r.file, path,
				       sizeof(path))) != DG_OK ||
		    (rv = dg_csv_read(path, on_register, &r)) != DG_OK)
			goto out;
	}
out:
	free(r.seen);
	return (rv);
}

/* The slot of rep->official for a set name, or -1. */
static int
official_slot(dg_national_report *rep, const char *set)
{
	static const char *const sets[DG_NATIONAL_SETS] = {"kochi", "hokkaido",
							   "kumamoto"};
	int i;

	for (i = 0; i < DG_NATIONAL_SETS; i++) {
		if (strcmp(sets[i], set) == 0) {
			rep->official[i].set = sets[i];
			return (i);
		}
	}
	return (-1);
}

dg_err
dg_national_geocode(const dg_geocoder *g, dg_hospital_list *l,
		    dg_national_report *rep)
{
	size_t i;
	double lat = 0, lon = 0, *nv;
	dg_geo_level level;
	int s;

	for (i = 0; i < l->n; i++) {
		dg_hospital *h = &l->v[i];

		level = dg_geocode(g, h->prefecture, h->address, &lat, &lon);
		if (!h->has_location) {
			h->geo_level = DG_GEO_NONE;
			if (level != DG_GEO_NONE &&
			    dg_hospital_set_location(h, lat, lon))
				h->geo_level = (int)level;
			continue;
		}
		h->geo_level = DG_GEO_OFFICIAL;
		if ((s = official_slot(rep, h->set)) < 0)
			continue;
		rep->official[s].by_level[level]++;
		if (level == DG_GEO_NONE)
			continue;
		if (rep->official[s].n == rep->official[s].cap) {
			size_t ncap = rep->official[s].cap
					  ? rep->official[s].cap * 2
					  : 128;

			if ((nv = realloc(rep->official[s].km,
					  ncap * sizeof(*nv))) == NULL)
				return (DG_ERR_NOMEM);
			rep->official[s].km = nv;
			rep->official[s].cap = ncap;
		}
		rep->official[s].km[rep->official[s].n++] =
		    dg_geo_distance_km(h->lat, h->lon, lat, lon);
	}
	return (DG_OK);
}

dg_err
dg_national_romaji(dg_hospital_list *l)
{
	const char **in = NULL, **suffix = NULL;
	char **out = NULL, **stems = NULL, *en = NULL;
	size_t i, n = l->n;
	dg_err rv = DG_ERR_NOMEM;

	/* Three strings per hospital: name, address, name stem. */
	if ((in = calloc(3 * n + 1, sizeof(*in))) == NULL ||
	    (out = calloc(3 * n + 1, sizeof(*out))) == NULL ||
	    (stems = calloc(n + 1, sizeof(*stems))) == NULL ||
	    (suffix = calloc(n + 1, sizeof(*suffix))) == NULL)
		goto out;
	for (i = 0; i < n; i++) {
		if ((rv = dg_romaji_name_stem(l->v[i].name_ja, &stems[i],
					      &suffix[i])) != DG_OK)
			goto out;
		in[3 * i] = l->v[i].name_ja;
		in[3 * i + 1] = l->v[i].address;
		in[3 * i + 2] = stems[i];
	}
	if ((rv = dg_romaji_batch(in, 3 * n, out)) != DG_OK)
		goto out;
	rv = DG_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		dg_hospital *h = &l->v[i];
		const char *stem = out[3 * i + 2];
		size_t len;

		free(h->name_latn);
		free(h->address_latn);
		h->name_latn = out[3 * i];
		h->address_latn = out[3 * i + 1];
		out[3 * i] = out[3 * i + 1] = NULL;
		if (h->name_latn != NULL && h->name_latn[0] == '\0') {
			free(h->name_latn);
			h->name_latn = NULL;
		}
		if (h->name_en != NULL || stem == NULL)
			continue;
		len = strlen(stem) + strlen(suffix[i]) + 2;
		if ((en = malloc(len)) == NULL)
			goto out;
		snprintf(en, len, "%s%s%s", stem,
			 stem[0] != '\0' && suffix[i][0] != '\0' ? " " : "",
			 suffix[i]);
		if (en[0] == '\0' || strlen(en) > 200) {
			free(en);
			en = NULL;
			continue;
		}
		h->name_en = en;
		h->name_en_translit = 1;
		en = NULL;
	}
	rv = DG_OK;
out:
	if (out != NULL)
		for (i = 0; i < 3 * n; i++)
			free(out[i]);
	if (stems != NULL)
		for (i = 0; i < n; i++)
			free(stems[i]);
	free(en);
	free(stems);
	free(suffix);
	free(out);
	free(in);
	return (rv);
}

void
dg_national_foreign(dg_hospital *h, uint64_t seed, dg_capability *cap,
		    dg_national_report *rep)
{
	char stream[64];
	double p;
	dg_rng r;

	snprintf(stream, sizeof(stream), "foreign:%s", h->org_code);
	dg_rng_seed(&r, seed, stream);
	if (cap->naccreditations > 0 &&
	    !dg_rng_chance(&r, p_keep_accreditation))
		cap->naccreditations = 0;
	if (cap->naccreditations > 0)
		p = p_receive_accredited;
	else if (h->beds < 0)
		p = p_receive_unknown;
	else
		p = p_receive_by_beds[h->beds >= 500   ? 3
				      : h->beds >= 300 ? 2
				      : h->beds >= 100 ? 1
						       : 0];
	h->receives_foreign = dg_rng_chance(&r, p);
	if (!h->receives_foreign) {
		cap->naccreditations = 0;
		cap->languages[0] = "ja";
		cap->nlanguages = 1;
		cap->ncountries = 0;
		cap->remote_second_opinion = 0;
	}
	rep->receives += h->receives_foreign ? 1 : 0;
	rep->accredited += cap->naccreditations > 0 ? 1 : 0;
}

void
dg_national_count(const dg_hospital *h, dg_national_report *rep)
{
	long p;

	if (dg_parse_int(h->prefecture, &p) && p >= 1 && p <= 47)
		rep->by_pref[p]++;
	if (h->geo_level >= 0 && h->geo_level < DG_GEO_NLEVELS)
		rep->by_level[h->geo_level]++;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return ((x > y) - (x < y));
}

void
dg_national_print(dg_national_report *rep, FILE *f)
{
	size_t i, total = 0, under;
	int p, s, lv;

	fprintf(f,
		"%s: register: %zu hospital rows, %zu repeated rows merged, "
		"%zu already in a detailed source (merged by code), %zu "
		"added\n",
		DG_PROG, rep->register_rows, rep->register_duplicates,
		rep->register_detailed, rep->register_added);
	fprintf(f, "%s: coverage by prefecture:", DG_PROG);
	for (p = 1; p <= 47; p++) {
		fprintf(f, "%s %02d:%zu", p % 12 == 1 ? "\n " : "", p,
			rep->by_pref[p]);
		total += rep->by_pref[p];
	}
	fprintf(f, "\n%s: national list: %zu hospitals\n", DG_PROG, total);
	fprintf(f, "%s: geocode levels:", DG_PROG);
	for (lv = DG_GEO_NLEVELS - 1; lv >= 0; lv--)
		fprintf(f, " %s %zu", dg_geo_level_name((dg_geo_level)lv),
			rep->by_level[lv]);
	fprintf(f,
		"\n%s: foreign patients (generated): %zu hospitals "
		"receive them, %zu accredited (JMIP/JIH/JCI)\n",
		DG_PROG, rep->receives, rep->accredited);
	for (s = 0; s < DG_NATIONAL_SETS; s++) {
		size_t n = rep->official[s].n;
		double *km = rep->official[s].km;

		if (rep->official[s].set == NULL)
			continue;
		if (n == 0) {
			fprintf(f, "%s: %s: no address geocoded\n", DG_PROG,
				rep->official[s].set);
			continue;
		}
		qsort(km, n, sizeof(*km), cmp_double);
		for (under = 0; under < n && km[under] < 1.0; under++)
			;
		fprintf(f,
			"%s: %s: ours vs official coordinates over %zu "
			"hospitals: median %.2f km, 90th percentile %.2f km, "
			"%.0f%% under 1 km (ours reached town %zu, "
			"municipality %zu, none %zu)\n",
			DG_PROG, rep->official[s].set, n,
			n % 2 ? km[n / 2] : (km[n / 2 - 1] + km[n / 2]) / 2,
			km[(n * 9) / 10 < n ? (n * 9) / 10 : n - 1],
			100.0 * (double)under / (double)n,
			rep->official[s].by_level[DG_GEO_TOWN],
			rep->official[s].by_level[DG_GEO_MUNICIPALITY],
			rep->official[s].by_level[DG_GEO_NONE]);
	}
	(void)i;
}

void
dg_national_free(dg_national_report *rep)
{
	int s;

	for (s = 0; s < DG_NATIONAL_SETS; s++) {
		free(rep->official[s].km);
		rep->official[s].km = NULL;
		rep->official[s].n = rep->official[s].cap = 0;
	}
}
