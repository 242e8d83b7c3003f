/*
 * Hospital search and detail (GET /api/v1/hospitals[/{code}]).
 *
 * Search runs in two steps: the first query finds every hospital that
 * matches the filters (current listings, or with as_of the versions current
 * that day) with the few facts ranking needs; rank.c orders them all and
 * explains the page shown; the second query fetches the listings of that
 * page only, whose text goes out as PostgreSQL gives it with the ranking
 * fields appended.
 * Experience comes from the statistics and is shown under disclosure
 * control (a count under k as "fewer than k").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api.h"
#include "disclosure.h"
#include "log.h"
#include "query.h"
#include "rank.h"

/* Filters on a listing document; $13 is as_of (NULL: today); $14
 * registered (NULL: either).  q ($8) also matches the names in every
 * language, the romaji readings and the address (ibx_listing_search_text,
 * deploy/sql/040_register.sql). */
#define SQL_MATCH_COMMON                                                      \
	" AND ($1::text IS NULL OR doc->'treatments' ? $1)"                   \
	" AND ($2::text IS NULL OR doc->'departments' ? $2)"                  \
	" AND ($3::text IS NULL OR doc->'languages' ? $3)"                    \
	" AND ($4::text IS NULL OR doc->>'prefecture' = $4)"                  \
	" AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM"                     \
	"  jsonb_array_elements(doc->'accreditations') a WHERE a->>'scheme'"  \
	"  = $5 AND (a->>'expires' IS NULL OR (a->>'expires')::date >="       \
	"  coalesce($13::date, current_date))))"                              \
	" AND ($6::text IS NULL OR doc->'accepts_countries' ? $6)"            \
	" AND ($7::boolean IS NULL OR"                                        \
	"  coalesce((doc->>'remote_second_opinion')::boolean, false) = $7)"   \
	" AND ($8::text IS NULL OR strpos(doc->'name'->>'ja', $8) > 0"        \
	"  OR strpos(lower(doc->'name'->>'en'), lower($8)) > 0"               \
	"  OR strpos(ibx_listing_search_text(doc), lower($8)) > 0"            \
	"  OR (doc->'name'->>'ja') % $8"                                      \
	"  OR lower(doc->'name'->>'en') % lower($8))"                         \
	" AND ($14::boolean IS NULL OR EXISTS (SELECT 1 FROM"                 \
	"  institution_register r WHERE r.org_code ="                         \
	"  doc->>'organisation_code') = $14)"

/* Step 1 over the current listings; the array columns' GIN indexes
 * narrow the candidates before the exact document conditions. */
static const char SQL_MATCH_CURRENT[] =
    "WITH m AS (SELECT org_code, doc, updated_at, lat, lon"
    " FROM hospital_listings WHERE $13::date IS NULL"
    " AND ($1::text IS NULL OR treatments @> ARRAY[$1::text])"
    " AND ($2::text IS NULL OR departments @> ARRAY[$2::text])"
    " AND ($3::text IS NULL OR languages @> ARRAY[$3::text])"
    " AND ($4::text IS NULL OR prefecture = $4)"
    " AND ($6::text IS NULL OR accepts_countries @> ARRAY[$6::text])"
    " AND ($5::text IS NULL OR accreditations @> "
    "ARRAY[$5::text])" SQL_MATCH_COMMON " UNION ALL"
    " SELECT org_code, doc, valid_from, (doc->'location'->>'lat')::float8,"
    " (doc->'location'->>'lon')::float8 FROM listing_versions"
    " WHERE $13::date IS NOT NULL AND valid_from < $13::date + 1"
    " AND org_code IN (SELECT code FROM organisations"
    "  WHERE role = 'hospital')"
    " AND (valid_to IS NULL OR valid_to >= $13::date + 1)" SQL_MATCH_COMMON
    "), e AS (SELECT c.org_code, sum(c.patients) p,"
    " sum(c.record_key) % 4294967296 k FROM statistics_cells c"
    " WHERE c.current AND c.period >= date_trunc('month',"
    " coalesce($13::date, current_date)) - interval '12 months'"
    " AND c.period < date_trunc('month', coalesce($13::date, current_date))"
    " + interval '1 month'"
    " AND ($11::text IS NULL OR c.nationality = $11)"
    " AND ($12::text IS NULL OR c.purpose = $12)"
    " AND c.org_code IN (SELECT org_code FROM m) GROUP BY 1)"
    " SELECT m.org_code,"
    " coalesce($13::date, current_date) - coalesce((m.doc->>'confirmed_at')"
    "  ::date, m.updated_at::date),"
    " coalesce((SELECT string_agg((a->>'scheme') || ':' ||"
    "  coalesce(a->>'expires', ''), ',') FROM"
    "  jsonb_array_elements(m.doc->'accreditations') a), ''),"
    " coalesce((m.doc->>'remote_second_opinion')::boolean, false),"
    " CASE WHEN $9::float8 IS NULL OR m.lat IS NULL THEN NULL ELSE"
    "  2 * 6371.0088 * asin(sqrt(power(sin(radians(m.lat - $9) / 2), 2) +"
    "  cos(radians($9)) * cos(radians(m.lat)) *"
    "  power(sin(radians(m.lon - $10) / 2), 2))) END,"
    " coalesce(e.p, 0), coalesce(e.k, 0),"
    " CASE WHEN $8::text IS NULL THEN 0 ELSE greatest("
    "  similarity(m.doc->'name'->>'ja', $8),"
    "  similarity(lower(coalesce(m.doc->'name'->>'en', '')), lower($8)))"
    " END, to_char(coalesce($13::date, current_date), 'YYYY-MM-DD'),"
    " (SELECT value::integer FROM settings"
    "  WHERE name = 'listing_stale_days'),"
    " EXISTS (SELECT 1 FROM institution_register r"
    "  WHERE r.org_code = m.org_code)"
    " FROM m LEFT JOIN e USING (org_code)";

/* Step 1's column: the organisation is in the institution-code register. */
#define COL_REGISTERED 10

/* Step 2: the page's listings, in the order given. */
static const char SQL_PAGE[] =
    "SELECT (v.doc || jsonb_build_object('version', v.version))::text"
    " FROM unnest($1::text[]) WITH ORDINALITY AS p(code, i)"
    " JOIN listing_versions v ON v.org_code = p.code"
    " AND (($2::date IS NULL AND v.valid_to IS NULL) OR ($2::date IS NOT"
    " NULL AND v.valid_from < $2::date + 1 AND (v.valid_to IS NULL OR"
    " v.valid_to >= $2::date + 1))) ORDER BY p.i";

static const char SQL_GET[] =
    "SELECT json_build_object("
    " 'organisation_code', h.org_code, 'version', h.version,"
    " 'updated_at', h.updated_at, 'listing', h.doc,"
    " 'registered', EXISTS (SELECT 1 FROM institution_register r"
    "  WHERE r.org_code = h.org_code),"
    /* Per field: when its value last changed (the first version of the
     * current run of equal values) and when the listing holding it was
     * last confirmed by the hospital. */
    " 'field_freshness', (SELECT json_object_agg(k, json_build_object("
    "   'changed_at', (SELECT min(v2.valid_from) FROM listing_versions v2"
    "    WHERE v2.org_code = h.org_code AND v2.doc->k = h.doc->k"
    "    AND NOT EXISTS (SELECT 1 FROM listing_versions v3"
    "     WHERE v3.org_code = h.org_code AND v3.version > v2.version"
    "     AND v3.doc->k IS DISTINCT FROM h.doc->k)),"
    "   'confirmed_at', coalesce(h.doc->>'confirmed_at',"
    "    to_char(h.updated_at, 'YYYY-MM-DD'))))"
    "  FROM jsonb_object_keys(h.doc) k"
    "  WHERE k NOT IN ('schema_version', 'synthetic', 'confirmed_at')),"
    " 'history', (SELECT json_agg(json_build_object("
    "   'version', v.version, 'valid_from', v.valid_from,"
    "   'valid_to', v.valid_to, 'listing', v.doc) ORDER BY v.version DESC)"
    "  FROM listing_versions v WHERE v.org_code = h.org_code))::text"
    " FROM hospital_listings h WHERE h.org_code = $1";

struct ranked {
	const char *code; /* into the step 1 result */
	int row;	  /* of the step 1 result */
	double sort_key;  /* hub_rank_sort_key */
};

static int
cmp_ranked(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->sort_key != y->sort_key)
		return (x->sort_key < y->sort_key ? 1 : -1);
	return (strcmp(x->code, y->code));
}

/* The ranking facts of one step 1 row. */
static void
row_input(const hub_api_call *c, const hub_hospital_query *q,
	  ibx_db_result *res, int row, hub_rank_input *in)
{
	const char *stale = ibx_db_result_value(res, row, 9);

	memset(in, 0, sizeof(*in));
	in->age_days = atoi(ibx_db_result_value(res, row, 1));
	in->stale_days = *stale != '\0' ? atoi(stale) : 365;
	in->accreditations = ibx_db_result_value(res, row, 2);
	in->remote = strcmp(ibx_db_result_value(res, row, 3), "t") == 0;
	in->has_distance = !ibx_db_result_isnull(res, row, 4);
	in->km = atof(ibx_db_result_value(res, row, 4));
	in->experience = strtoll(ibx_db_result_value(res, row, 5), NULL, 10);
	in->cell_key =
	    (uint32_t)strtoull(ibx_db_result_value(res, row, 6), NULL, 10);
	in->name_match = atof(ibx_db_result_value(res, row, 7));
	in->today = ibx_db_result_value(res, row, 8);
	in->k = c->api->k_threshold;
	in->nationality = q->nationality;
	in->purpose = q->purpose;
}

/* Every match in rank order; only the page shown is explained later
 * (page_json), so no text is formatted here. */
static void
rank_rows(const hub_api_call *c, const hub_hospital_query *q,
	  ibx_db_result *res, struct ranked *out, size_t n)
{
	hub_rank_input in;
	size_t i;

	for (i = 0; i < n; i++) {
		row_input(c, q, res, (int)i, &in);
		out[i].code = ibx_db_result_value(res, (int)i, 0);
		out[i].row = (int)i;
		out[i].sort_key = hub_rank_sort_key(&in);
	}
	qsort(out, n, sizeof(*out), cmp_ranked);
}

/* The page's codes as a PostgreSQL array literal (codes are digits). */
static char *
codes_literal(const struct ranked *rk, size_t from, size_t to)
{
	char *s = malloc((to - from) * 12 + 3), *w = s;
	size_t i;

	if (s == NULL)
		return (NULL);
	*w++ = '{';
	for (i = from; i < to; i++)
		w += sprintf(w, "%s%s", i > from ? "," : "", rk[i].code);
	*w++ = '}';
	*w = '\0';
	return (s);
}

/* s as a JSON string, malloc'd; NULL when out of memory. */
static char *
json_text(const char *s)
{
	json_t *j = json_string(s);
	char *t = j != NULL ? json_dumps(j, JSON_ENCODE_ANY) : NULL;

	json_decref(j);
	return (t);
}

/* The fields search adds to a listing (rank, score, reasons, flags,
 * stale, registered, distance_km, experience), as a JSON object.  A
 * listing whose code is not in the institution-code register is flagged
 * "unregistered". */
static json_t *
ranked_fields(const hub_api_call *c, const hub_hospital_query *q,
	      ibx_db_result *res, const struct ranked *rk, size_t rank)
{
	hub_rank_input in;
	hub_rank_result r;
	json_t *h, *reasons, *flags;
	bool registered;
	int i;

	row_input(c, q, res, rk->row, &in);
	hub_rank_score(&in, &r);
	reasons = json_array();
	for (i = 0; i < r.nreasons; i++)
		json_array_append_new(reasons, json_string(r.reasons[i]));
	flags = json_array();
	for (i = 0; i < r.nflags; i++)
		json_array_append_new(flags, json_string(r.flags[i]));
	registered = strcmp(ibx_db_result_value(res, rk->row, COL_REGISTERED),
			    "t") == 0;
	if (!registered)
		json_array_append_new(flags, json_string("unregistered"));
	h = json_object();
	json_object_set_new(h, "rank", json_integer((json_int_t)rank));
	json_object_set_new(h, "score",
			    json_real(((int)(r.score * 10 + 0.5)) / 10.0));
	json_object_set_new(h, "reasons", reasons);
	json_object_set_new(h, "flags", flags);
	json_object_set_new(h, "stale", json_boolean(r.stale));
	json_object_set_new(h, "registered", json_boolean(registered));
	json_object_set_new(h, "distance_km",
			    in.has_distance
				? json_real(((int)(in.km * 10 + 0.5)) / 10.0)
				: json_null());
	json_object_set_new(
	    h, "experience",
	    json_pack(
		"{s:o,s:o,s:o,s:s}", "nationality",
		q->nationality ? json_string(q->nationality) : json_null(),
		"purpose", q->purpose ? json_string(q->purpose) : json_null(),
		"patients",
		r.experience >= 0 ? json_integer(r.experience) : json_null(),
		"display", r.experience_display));
	return (h);
}

/* One hospital of the page onto f: the listing text as PostgreSQL gave it
 * (an object, its keys never those search adds: listing-format.md refuses
 * unknown fields) with the ranking fields appended, so the listing is
 * neither parsed nor re-encoded.  1 when written, 0 when doc is not an
 * object (left out), -1 when out of memory. */
static int
page_json(FILE *f, const hub_api_call *c, const hub_hospital_query *q,
	  ibx_db_result *res, const struct ranked *rk, size_t rank,
	  const char *doc, size_t len, bool first)
{
	json_t *h = ranked_fields(c, q, res, rk, rank);
	char *extra = NULL;
	int rv = -1;

	if (h == NULL || (extra = json_dumps(
			      h, JSON_COMPACT | JSON_PRESERVE_ORDER)) == NULL)
		goto out;
	rv = 0;
	while (len > 0 && doc[len - 1] != '}')
		len--;
	if (len < 2 || doc[0] != '{')
		goto out;
	fprintf(f, "%s%.*s%s%s", first ? "" : ",", (int)(len - 1), doc,
		len > 2 ? "," : "", extra + 1);
	rv = 1;
out:
	free(extra);
	json_decref(h);
	return (rv);
}

void
hub_api_hospitals_search(hub_api_call *c, const char *arg,
			 const hub_http_request *req, hub_http_response *resp)
{
	hub_hospital_query q;
	char err[256], lat[32], lon[32], *codes = NULL, *body = NULL;
	char *asof = NULL;
	const char *v[14];
	ibx_db_result *res = NULL, *page = NULL;
	struct ranked *rk = NULL;
	FILE *f = NULL;
	size_t n, from, to, i, blen = 0;
	bool first = true;
	ibx_err rv;

	(void)arg;
	if (hub_hospital_query_parse(req, &q, err, sizeof(err)) != IBX_OK) {
		hub_api_error(resp, 400, err);
		return;
	}
	snprintf(lat, sizeof(lat), "%.6f", q.near_lat);
	snprintf(lon, sizeof(lon), "%.6f", q.near_lon);
	v[0] = q.treatment;
	v[1] = q.department;
	v[2] = q.language;
	v[3] = q.prefecture;
	v[4] = q.accreditation;
	v[5] = q.accepts;
	v[6] = q.remote_second_opinion ? "true" : NULL;
	v[7] = q.q;
	v[8] = q.has_near ? lat : NULL;
	v[9] = q.has_near ? lon : NULL;
	v[10] = q.nationality;
	v[11] = q.purpose;
	v[12] = q.as_of;
	v[13] = q.registered;
	if ((rv = ibx_db_exec(c->db, SQL_MATCH_CURRENT, 14, v, &res)) !=
	    IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	n = (size_t)ibx_db_result_rows(res);
	if ((rk = calloc(n + 1, sizeof(*rk))) == NULL) {
		hub_api_error(resp, 500, "out of memory");
		goto out;
	}
	rank_rows(c, &q, res, rk, n);
	from = (size_t)q.offset < n ? (size_t)q.offset : n;
	to = from + (size_t)q.limit < n ? from + (size_t)q.limit : n;
	if (to > from) {
		const char *pv[2];

		if ((codes = codes_literal(rk, from, to)) == NULL) {
			hub_api_error(resp, 500, "out of memory");
			goto out;
		}
		pv[0] = codes;
		pv[1] = q.as_of;
		if ((rv = ibx_db_exec(c->db, SQL_PAGE, 2, pv, &page)) !=
		    IBX_OK) {
			hub_api_db_error(resp, rv);
			goto out;
		}
		c->cells = (int)(to - from);
	}
	/* {"total","limit","offset","hospitals"[,"as_of"]}, compact */
	if ((f = open_memstream(&body, &blen)) == NULL ||
	    (q.as_of != NULL && (asof = json_text(q.as_of)) == NULL)) {
		hub_api_error(resp, 500, "out of memory");
		goto out;
	}
	fprintf(f,
		"{\"total\":%zu,\"limit\":%ld,\"offset\":%ld,"
		"\"hospitals\":[",
		n, q.limit, q.offset);
	for (i = 0; page != NULL && i < (size_t)ibx_db_result_rows(page);
	     i++) {
		int w = page_json(
		    f, c, &q, res, &rk[from + i], from + i + 1,
		    ibx_db_result_value(page, (int)i, 0),
		    (size_t)ibx_db_result_length(page, (int)i, 0), first);

		if (w < 0) {
			hub_api_error(resp, 500, "out of memory");
			goto out;
		}
		first = first && w == 0;
	}
	fprintf(f, "]%s%s}", asof != NULL ? ",\"as_of\":" : "",
		asof != NULL ? asof : "");
	if (fclose(f) != 0) {
		f = NULL;
		hub_api_error(resp, 500, "out of memory");
		goto out;
	}
	f = NULL;
	hub_api_json(resp, 200, body);
	body = NULL;
out:
	if (f != NULL)
		fclose(f);
	free(body);
	free(asof);
	free(codes);
	free(rk);
	ibx_db_result_free(page);
	ibx_db_result_free(res);
}

void
hub_api_hospitals_get(hub_api_call *c, const char *code,
		      const hub_http_request *req, hub_http_response *resp)
{
	const char *values[1] = {code};
	ibx_db_result *res = NULL;
	ibx_err rv;

	if (req->nargs > 0) {
		hub_api_error(resp, 400, "parameter: none are accepted here");
		return;
	}
	if ((rv = ibx_db_exec(c->db, SQL_GET, 1, values, &res)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	if (ibx_db_result_rows(res) == 0)
		hub_api_error(resp, 404, "no hospital listed with that code");
	else
		hub_api_dup_json(resp, ibx_db_result_value(res, 0, 0),
				 (size_t)ibx_db_result_length(res, 0, 0));
	ibx_db_result_free(res);
}
