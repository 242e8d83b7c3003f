/*
 * Hospital search and detail (GET /api/v1/hospitals[/{code}]).
 *
 * Search runs in two steps: the first query finds every hospital that
 * matches the filters (current listings, or with as_of the versions current
 * that day) with the few facts ranking needs; rank.c orders them all and
 * explains the page shown; the second query fetches the listings of that
 * page only, whose text goes out as PostgreSQL gives it with the ranking
 * fields appended.
 * Experience comes from the protected release (hospital and hospital x
 * purpose marginals, docs/disclosure-control.md): a released count under
 * k, zero included, shows as "fewer than k".
 *
 * near= (an airport's IATA code, looked up in the airports table, or a
 * point) filters to within_km (HUB_QUERY_NEAR_KM by default) of it: a
 * bounding box the (lat, lon) index answers, then the exact great-circle
 * distance (deploy/sql/functions/ibx_haversine_km.sql).  Results carry
 * the score's components, the distance, the nearest scheduled airport and
 * the price of the asked service; format=csv (or Accept: text/csv) sends the
 * same rows as CSV.
 */
#define _GNU_SOURCE /* qsort_r */
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "api.h"
#include "log.h"
#include "query.h"
#include "rank.h"

/* Filters on a listing document, for as_of ($13; NULL: today); $17
 * registered (NULL: either).  q ($8) also matches the names in every
 * language, the romaji readings and the address (ibx_listing_search_text,
 * deploy/sql/migrations/040_register.sql). */
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
	" AND ($17::boolean IS NULL OR EXISTS (SELECT 1 FROM"                 \
	"  institution_register r WHERE r.org_code ="                         \
	"  doc->>'organisation_code') = $17)"

/* Step 1's columns and final conditions over the matches m, the same for
 * both statements below: EXP is the experience's expression, JOIN what
 * gives it.  The response time is the hospital's precomputed row
 * (referral_response, migration 095: the median hours to a first answer
 * over the last 90 days, NULL under HUB_RANK_RESPONSE_MIN referrals), one
 * lookup a match; with as_of it is not known for that day (NULL,
 * neutral).  The price shown is the band of the asked service ($15), else
 * the lowest listed (the bands are lowest first, migration 101);
 * max_price_jpy ($16) keeps the bands starting within it.  The price's
 * columns are NULL unless $18 is true: only sort=price, max_price_jpy
 * and as_of need the price of every match; otherwise step 2 gives the
 * prices of the page's rows alone (picking a band out of three arrays
 * for every match was about 0.5 ms of CPU a search, issue 18).  $11, the
 * nationality, is not released per hospital (experience counts every
 * nationality): typed here, not used. */
#define SQL_MATCH_TAIL(EXP, JOIN)                                             \
	" SELECT m.org_code,"                                                 \
	" coalesce($13::date, current_date) - coalesce(m.confirmed_at::date," \
	"  m.updated_at::date),"                                              \
	" m.accr, m.remote,"                                                  \
	" ibx_haversine_km($9::float8, $10::float8, m.lat, m.lon),"           \
	" coalesce(" EXP ", 0), 0,"                                           \
	" CASE WHEN $8::text IS NULL THEN 0 ELSE greatest("                   \
	"  similarity(m.name_ja, $8),"                                        \
	"  similarity(lower(coalesce(m.name_en, '')), lower($8)))"            \
	" END, to_char(coalesce($13::date, current_date), 'YYYY-MM-DD'),"     \
	" (SELECT value::integer FROM settings"                               \
	"  WHERE name = 'listing_stale_days'),"                               \
	" CASE WHEN $18::boolean THEN m.psvc[pb.i] END,"                      \
	" CASE WHEN $18::boolean THEN m.pmin[pb.i] END,"                      \
	" CASE WHEN $18::boolean THEN m.pmax[pb.i] END, m.lat, m.lon,"        \
	" m.registered,"                                                      \
	" CASE WHEN $13::date IS NULL THEN rr.first_answer_hours END,"        \
	" rr.first_answer_n"                                                  \
	" FROM m" JOIN                                                        \
	" LEFT JOIN referral_response rr ON rr.org_code = m.org_code"         \
	" CROSS JOIN LATERAL (SELECT CASE WHEN $15::text IS NULL THEN 1"      \
	"  ELSE array_position(m.psvc, $15::text) END) pb(i)"                 \
	" WHERE ($14::float8 IS NULL OR"                                      \
	"  ibx_haversine_km($9::float8, $10::float8, m.lat, m.lon) <= $14)"   \
	" AND ($16::bigint IS NULL OR m.pmin[pb.i] <= $16)"                   \
	" AND coalesce($11::text, '') IS NOT NULL"

/* Step 1 over the current listings: the search row's columns answer
 * every filter (the arrays are the document's, migration 001; the text,
 * accreditations and prices are materialised from it, migration 101, and
 * the register's flag kept by migration 102's triggers), the
 * GIN-indexed arrays narrowing the candidates; the document is read only
 * for an accreditation's expiry.  Experience is the row precomputed from
 * the release for the hospital (search_experience, migration 100:
 * released patients over the 12 months through the newest released month,
 * by purpose when $12 is given), copied into the search row (migration
 * 106), so a match needs no other table.  $13 (as_of) is NULL here. */
static const char SQL_MATCH_CURRENT[] =
    "WITH m AS (SELECT org_code, confirmed_at, updated_at, lat, lon,"
    " remote_second_opinion AS remote, search_accreditations AS accr,"
    " price_services AS psvc, price_min_jpy AS pmin, price_max_jpy AS pmax,"
    " name_ja, name_en, registered, experience_patients AS xp,"
    " experience_by_purpose AS xpp"
    " FROM hospital_listings WHERE $13::date IS NULL"
    " AND ($1::text IS NULL OR treatments @> ARRAY[$1::text])"
    " AND ($2::text IS NULL OR departments @> ARRAY[$2::text])"
    " AND ($3::text IS NULL OR languages @> ARRAY[$3::text])"
    " AND ($4::text IS NULL OR prefecture = $4)"
    " AND ($6::text IS NULL OR accepts_countries @> ARRAY[$6::text])"
    " AND ($5::text IS NULL OR (accreditations @> ARRAY[$5::text]"
    "  AND EXISTS (SELECT 1 FROM jsonb_array_elements(doc->"
    "  'accreditations') a WHERE a->>'scheme' = $5 AND (a->>'expires'"
    "  IS NULL OR (a->>'expires')::date >= current_date))))"
    /* The radius's bounding box, a superset (111.0 km a degree of latitude,
     * the longitude span at the box's farthest latitude), for the index. */
    " AND ($14::float8 IS NULL OR (lat BETWEEN $9 - $14 / 111.0"
    "  AND $9 + $14 / 111.0 AND lon BETWEEN $10 - $14 / (111.0 *"
    "  cos(radians(least(89.0, abs($9) + $14 / 111.0)))) AND $10 + $14 /"
    "  (111.0 * cos(radians(least(89.0, abs($9) + $14 / "
    "111.0))))))"
    " AND ($7::boolean IS NULL OR remote_second_opinion = $7)"
    " AND ($8::text IS NULL OR strpos(name_ja, $8) > 0"
    "  OR strpos(lower(name_en), lower($8)) > 0"
    "  OR strpos(search_text, lower($8)) > 0"
    "  OR name_ja % $8 OR lower(name_en) % lower($8))"
    " AND ($17::boolean IS NULL OR registered = $17))" SQL_MATCH_TAIL(
	"CASE WHEN $12::text IS NULL THEN m.xp"
	" ELSE (m.xpp->>$12::text)::bigint END",
	/* The response times join in SQL_MATCH_TAIL (referral_response):
	 * a row only for hospitals with referrals, so far fewer than the
	 * matches; a column of the search row, as experience is (migration
	 * 106), is the move if it ever shows in figure 4's profile. */
	"");

/* Step 1 with as_of ($13): the versions current that day, filtered on
 * their documents (SQL_MATCH_COMMON); experience is the hospital's
 * released months among the 12 before as_of's month, each looked up by
 * its whole key. */
static const char SQL_MATCH_AS_OF[] =
    "WITH m AS (SELECT org_code, doc->>'confirmed_at' AS confirmed_at,"
    " valid_from AS updated_at, (doc->'location'->>'lat')::float8 AS lat,"
    " (doc->'location'->>'lon')::float8 AS lon,"
    " coalesce((doc->>'remote_second_opinion')::boolean, false) AS remote,"
    " ibx_listing_accreditation_text(doc) AS accr,"
    " ibx_listing_prices(doc, 'service') AS psvc,"
    " ibx_listing_prices(doc, 'min_jpy')::bigint[] AS pmin,"
    " ibx_listing_prices(doc, 'max_jpy')::bigint[] AS pmax,"
    " doc->'name'->>'ja' AS name_ja, doc->'name'->>'en' AS name_en,"
    " EXISTS (SELECT 1 FROM institution_register r"
    "  WHERE r.org_code = listing_versions.org_code) AS registered"
    " FROM listing_versions"
    " WHERE $13::date IS NOT NULL AND valid_from < $13::date + 1"
    " AND org_code IN (SELECT code FROM organisations"
    "  WHERE role = 'hospital')"
    " AND (valid_to IS NULL OR valid_to >= $13::date + 1)" SQL_MATCH_COMMON
    ")" SQL_MATCH_TAIL(
	"h.p",
	" LEFT JOIN LATERAL (SELECT sum(v.value) p FROM release_values v"
	"  WHERE v.measure = 'patients'"
	"  AND v.dims = CASE WHEN $12::text IS NULL THEN 'hospital'"
	"   ELSE 'hospital,purpose' END AND v.key1 = m.org_code"
	"  AND v.key2 = coalesce($12::text, '') AND v.period = ANY (ARRAY("
	"   SELECT generate_series(date_trunc('month', $13::date)"
	"   - interval '12 months', date_trunc('month', $13::date)"
	"   - interval '1 month', interval '1 month')::date))) h ON true");

/* near=IATA: the airport's point and name. */
static const char SQL_AIRPORT[] =
    "SELECT lat, lon, name FROM airports WHERE iata = $1";

/* Every airport, for GET /api/v1/airports (the search page's map). */
static const char SQL_AIRPORTS[] =
    "SELECT coalesce(json_agg(json_build_object('iata', iata, 'icao', icao,"
    " 'name', name, 'type', type, 'lat', lat, 'lon', lon, 'prefecture',"
    " prefecture, 'municipality', municipality) ORDER BY iata),"
    " '[]')::text FROM airports";

/* Step 1's column: the organisation is in the institution-code register. */
#define COL_REGISTERED 15
/* Step 1's columns: the median hours to a first answer (NULL when not
 * known) and the referrals it rests on. */
#define COL_RESPONSE_HOURS 16
#define COL_RESPONSE_N	   17

/* Step 2: the page's listings, in the order given, and for the current
 * listings ($2 NULL) the price of the asked service ($3) as step 1 picks
 * it (NULL with as_of, whose step 1 gives every price). */
static const char SQL_PAGE[] =
    "SELECT (v.doc || jsonb_build_object('version', v.version))::text,"
    " h.price_services[pb.i], h.price_min_jpy[pb.i], h.price_max_jpy[pb.i]"
    " FROM unnest($1::text[]) WITH ORDINALITY AS p(code, i)"
    " JOIN listing_versions v ON v.org_code = p.code"
    " AND (($2::date IS NULL AND v.valid_to IS NULL) OR ($2::date IS NOT"
    " NULL AND v.valid_from < $2::date + 1 AND (v.valid_to IS NULL OR"
    " v.valid_to >= $2::date + 1)))"
    " LEFT JOIN hospital_listings h ON $2::date IS NULL"
    " AND h.org_code = p.code"
    " CROSS JOIN LATERAL (SELECT CASE WHEN $3::text IS NULL THEN 1"
    "  ELSE array_position(h.price_services, $3::text) END) pb(i)"
    " ORDER BY p.i";
/* Step 2's columns. */
enum { PAGE_LISTING, PAGE_PRICE_SERVICE, PAGE_PRICE_MIN, PAGE_PRICE_MAX };

/* The airports, for each result's nearest (computed here: 82 airports
 * times a page of up to 5000 rows is cheap in C, slow in SQL). */
static const char SQL_AIRPORT_POINTS[] =
    "SELECT iata, lat, lon FROM airports ORDER BY iata";

static const char SQL_GET[] =
    "SELECT json_build_object("
    " 'organisation_code', h.org_code, 'version', h.version,"
    " 'updated_at', h.updated_at, 'listing', h.doc,"
    " 'registered', EXISTS (SELECT 1 FROM institution_register r"
    "  WHERE r.org_code = h.org_code),"
    /* Response times to referrals, precomputed (migration 095): a median
     * under $2 referrals is NULL there, and shown as null. */
    " 'referral_response', json_build_object('window_days', 90,"
    "  'minimum_referrals', $2::integer,"
    "  'first_answer', json_build_object('median_hours',"
    "   rr.first_answer_hours, 'referrals', coalesce(rr.first_answer_n, 0)),"
    "  'second_opinion', json_build_object('median_hours',"
    "   rr.opinion_hours, 'referrals', coalesce(rr.opinion_n, 0))),"
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
    " FROM hospital_listings h LEFT JOIN referral_response rr"
    " ON rr.org_code = h.org_code WHERE h.org_code = $1";

struct ranked {
	const char *code;    /* into the step 1 result */
	int row;	     /* of the step 1 result */
	double sort_key;     /* hub_rank_sort_key */
	double km;	     /* from near; HUGE_VAL when unknown */
	long long price;     /* min_jpy of the price shown; LLONG_MAX: none */
	long long price_hi;  /* its max_jpy */
	const char *service; /* its service, into a result; NULL: none */
	double experience;   /* hub_rank_experience */
};

/* Order by sort (a hub_query_sort), then the rank, then the code: a total
 * order, so equal keys always come out the same way. */
static int
cmp_ranked(const void *a, const void *b, void *sort)
{
	const struct ranked *x = a, *y = b;

	switch (*(const hub_query_sort *)sort) {
	case HUB_SORT_DISTANCE:
		if (x->km != y->km)
			return (x->km < y->km ? -1 : 1);
		break;
	case HUB_SORT_PRICE:
		if (x->price != y->price)
			return (x->price < y->price ? -1 : 1);
		if (x->price_hi != y->price_hi)
			return (x->price_hi < y->price_hi ? -1 : 1);
		break;
	case HUB_SORT_EXPERIENCE:
		if (x->experience != y->experience)
			return (x->experience < y->experience ? 1 : -1);
		break;
	case HUB_SORT_RANK:
		break;
	}
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
	in->name_match = atof(ibx_db_result_value(res, row, 7));
	in->today = ibx_db_result_value(res, row, 8);
	in->k = c->api->k_threshold;
	in->nationality = q->nationality;
	in->purpose = q->purpose;
	in->radius_km = q->within_km;
	in->has_response = !ibx_db_result_isnull(res, row, COL_RESPONSE_HOURS);
	in->response_hours =
	    atof(ibx_db_result_value(res, row, COL_RESPONSE_HOURS));
	in->response_n = atoi(ibx_db_result_value(res, row, COL_RESPONSE_N));
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
		out[i].km = in.has_distance ? in.km : HUGE_VAL;
		out[i].price =
		    ibx_db_result_isnull(res, (int)i, 11)
			? LLONG_MAX
			: strtoll(ibx_db_result_value(res, (int)i, 11), NULL,
				  10);
		out[i].price_hi =
		    ibx_db_result_isnull(res, (int)i, 12)
			? LLONG_MAX
			: strtoll(ibx_db_result_value(res, (int)i, 12), NULL,
				  10);
		out[i].service = ibx_db_result_isnull(res, (int)i, 10)
				     ? NULL
				     : ibx_db_result_value(res, (int)i, 10);
		out[i].experience = hub_rank_experience(&in);
	}
	qsort_r(out, n, sizeof(*out), cmp_ranked, (void *)&q->sort);
}

/* The prices of the page's rows from step 2 (SQL_PAGE's columns) into
 * rk[from...], when step 1 left them out. */
static void
page_prices(ibx_db_result *page, struct ranked *rk, size_t from)
{
	int i, rows = ibx_db_result_rows(page);

	for (i = 0; i < rows; i++) {
		struct ranked *r = &rk[from + (size_t)i];

		r->price =
		    ibx_db_result_isnull(page, i, PAGE_PRICE_MIN)
			? LLONG_MAX
			: strtoll(ibx_db_result_value(page, i, PAGE_PRICE_MIN),
				  NULL, 10);
		r->price_hi =
		    ibx_db_result_isnull(page, i, PAGE_PRICE_MAX)
			? LLONG_MAX
			: strtoll(ibx_db_result_value(page, i, PAGE_PRICE_MAX),
				  NULL, 10);
		r->service =
		    ibx_db_result_isnull(page, i, PAGE_PRICE_SERVICE)
			? NULL
			: ibx_db_result_value(page, i, PAGE_PRICE_SERVICE);
	}
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

/* Points in tenths, rounded half away from zero: the unit of the score's
 * components in responses, so that their sum is exactly the total. */
static long
tenths(double v)
{
	return (lround(v * 10.0));
}

/* {"total", "components": [{"name","weight","value","reason"}]}: the
 * total is the sum of the values as shown (each rounded to 0.1). */
static json_t *
score_json(const hub_rank_result *r)
{
	json_t *comps = json_array();
	long sum = 0;
	int i;

	for (i = 0; i < r->ncomponents; i++) {
		const hub_rank_component *k = &r->components[i];

		sum += tenths(k->value);
		json_array_append_new(
		    comps, json_pack("{s:s,s:f,s:f,s:s}", "name", k->name,
				     "weight", k->weight, "value",
				     (double)tenths(k->value) / 10.0, "reason",
				     k->reason));
	}
	return (json_pack("{s:f,s:o}", "total", (double)sum / 10.0,
			  "components", comps));
}

/* A scheduled airport (SQL_AIRPORT_POINTS). */
struct airport {
	char iata[4];
	double lat, lon; /* WGS 84 degrees */
	double cos_lat;	 /* cos(lat), for haversine_a */
};

/* Degrees to radians. */
#define DEG (M_PI / 180.0)

/* The haversine of the central angle between two WGS 84 points whose
 * latitudes' cosines are given (cos(lat * DEG)): the distance grows with
 * it, so the nearest point is the one of least value. */
static double
haversine_a(double lat1, double lon1, double cos1, double lat2, double lon2,
	    double cos2)
{
	return (pow(sin((lat2 - lat1) * DEG / 2), 2) +
		cos1 * cos2 * pow(sin((lon2 - lon1) * DEG / 2), 2));
}

/* Great-circle distance in km for haversine_a's value (mean Earth radius
 * 6371.0088 km, as deploy/sql/functions/ibx_haversine_km.sql). */
static double
haversine_km_of(double a)
{
	return (2 * 6371.0088 * asin(fmin(1.0, sqrt(a))));
}

/* The scheduled airports, read once per process (migration 030 loads
 * them; nothing changes them while the hub runs): one database round trip
 * less per search.  Never freed. */
static struct {
	pthread_mutex_t lock;
	struct airport *ap;
	size_t n;
} airports = {PTHREAD_MUTEX_INITIALIZER, NULL, 0};

/* The airports into *out (*n of them; the cache's, not to be freed),
 * read on the first call; a database error, or IBX_ENOMEM. */
static ibx_err
load_airports(hub_api_call *c, const struct airport **out, size_t *n)
{
	ibx_db_result *res = NULL;
	struct airport *ap = NULL;
	ibx_err rv = IBX_OK;
	size_t i, rows;

	pthread_mutex_lock(&airports.lock);
	if (airports.ap != NULL)
		goto out;
	if ((rv = ibx_db_exec(c->db, SQL_AIRPORT_POINTS, 0, NULL, &res)) !=
	    IBX_OK)
		goto out;
	rows = (size_t)ibx_db_result_rows(res);
	if ((ap = calloc(rows + 1, sizeof(*ap))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	for (i = 0; i < rows; i++) {
		snprintf(ap[i].iata, sizeof(ap[i].iata), "%s",
			 ibx_db_result_value(res, (int)i, 0));
		ap[i].lat = atof(ibx_db_result_value(res, (int)i, 1));
		ap[i].lon = atof(ibx_db_result_value(res, (int)i, 2));
		ap[i].cos_lat = cos(ap[i].lat * DEG);
	}
	airports.ap = ap;
	airports.n = rows;
out:
	*out = airports.ap;
	*n = airports.ap != NULL ? airports.n : 0;
	pthread_mutex_unlock(&airports.lock);
	ibx_db_result_free(res);
	return (rv);
}

/* {"iata", "km"} of the airport nearest to step 1 row's location (the
 * first by IATA code on a tie); JSON null without a location.  An airport
 * whose haversine is not below the best one's cannot be nearer (the
 * distance never falls as it grows; and it is at least its latitude
 * term), so only the closer candidates have their distance computed: the
 * same airport and km as computing every distance, for a fraction of the
 * sines (issue 18: 82 airports for each of the page's rows). */
static json_t *
nearest_airport(ibx_db_result *res, int row, const struct airport *ap,
		size_t nap)
{
	double lat, lon, cos_lat, a, best_a = HUGE_VAL, km, best = HUGE_VAL;
	size_t i, at = 0;

	if (nap == 0 || ibx_db_result_isnull(res, row, 13) ||
	    ibx_db_result_isnull(res, row, 14))
		return (json_null());
	lat = atof(ibx_db_result_value(res, row, 13));
	lon = atof(ibx_db_result_value(res, row, 14));
	cos_lat = cos(lat * DEG);
	for (i = 0; i < nap; i++) {
		if (pow(sin((ap[i].lat - lat) * DEG / 2), 2) >= best_a ||
		    (a = haversine_a(lat, lon, cos_lat, ap[i].lat, ap[i].lon,
				     ap[i].cos_lat)) >= best_a)
			continue;
		if ((km = haversine_km_of(a)) < best) {
			best = km;
			at = i;
		}
		best_a = a;
	}
	return (json_pack("{s:s,s:f}", "iata", ap[at].iata, "km",
			  round(best * 10) / 10.0));
}

/* The fields search adds to a listing (rank, score with its components,
 * reasons, flags, stale, registered, distance_km, nearest_airport, price,
 * experience), as a JSON object.  ap: the nap airports.  A listing whose
 * code is not in the institution-code register is flagged
 * "unregistered". */
static json_t *
ranked_fields(const hub_api_call *c, const hub_hospital_query *q,
	      ibx_db_result *res, const struct ranked *rk, size_t rank,
	      const struct airport *ap, size_t nap)
{
	hub_rank_input in;
	hub_rank_result r;
	json_t *h, *reasons, *flags, *airport = json_null(),
				     *price = json_null();
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
	json_decref(airport);
	airport = nearest_airport(res, rk->row, ap, nap);
	if (rk->price != LLONG_MAX) {
		json_decref(price);
		price = json_pack("{s:s,s:I,s:I}", "service",
				  rk->service != NULL ? rk->service : "",
				  "min_jpy", (json_int_t)rk->price, "max_jpy",
				  (json_int_t)rk->price_hi);
	}
	registered = strcmp(ibx_db_result_value(res, rk->row, COL_REGISTERED),
			    "t") == 0;
	if (!registered)
		json_array_append_new(flags, json_string("unregistered"));
	h = json_object();
	json_object_set_new(h, "rank", json_integer((json_int_t)rank));
	json_object_set_new(h, "score", score_json(&r));
	json_object_set_new(h, "reasons", reasons);
	json_object_set_new(h, "flags", flags);
	json_object_set_new(h, "stale", json_boolean(r.stale));
	json_object_set_new(h, "registered", json_boolean(registered));
	json_object_set_new(h, "distance_km",
			    in.has_distance
				? json_real(round(in.km * 10) / 10.0)
				: json_null());
	json_object_set_new(h, "nearest_airport",
			    airport != NULL ? airport : json_null());
	json_object_set_new(h, "price", price != NULL ? price : json_null());
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
	  ibx_db_result *page, int prow, const struct airport *ap, size_t nap,
	  bool first)
{
	const char *doc = ibx_db_result_value(page, prow, PAGE_LISTING);
	size_t len = (size_t)ibx_db_result_length(page, prow, PAGE_LISTING);
	json_t *h = ranked_fields(c, q, res, rk, rank, ap, nap);
	char *extra = NULL;
	int rv = -1;

	if (h == NULL ||
	    (extra = json_dumps(h, JSON_COMPACT | JSON_PRESERVE_ORDER |
				       JSON_REAL_PRECISION(10))) == NULL)
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

/* The CSV columns of a search result (docs/api.md, "CSV"). */
static const char CSV_HEADER[] =
    "rank,organisation_code,name_ja,name_en,prefecture,address,"
    "distance_km,nearest_airport,nearest_airport_km,price_service,"
    "price_min_jpy,price_max_jpy,score,experience,flags\r\n";

/* One CSV field onto f: always quoted, a quote doubled (RFC 4180), and a
 * text that a spreadsheet would run as a formula (= + - @ first) prefixed
 * with a quote mark.  s NULL: an empty field.  last: end the row. */
static void
csv_field(FILE *f, const char *s, bool text, bool last)
{
	fputc('"', f);
	if (s != NULL && text && strchr("=+-@\t\r", s[0]) != NULL &&
	    s[0] != '\0')
		fputc('\'', f);
	for (; s != NULL && *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputs(last ? "\"\r\n" : "\",", f);
}

/* The number v with digits decimals as a CSV field ("" when has is
 * false). */
static void
csv_number(FILE *f, bool has, int digits, double v)
{
	char buf[48];

	snprintf(buf, sizeof(buf), "%.*f", digits, v);
	csv_field(f, has ? buf : NULL, false, false);
}

/* One hospital of the page as a CSV row onto f: the listing's fields read
 * from its JSON text, the search's from ranked_fields.  -1 when out of
 * memory, 0 when the listing is not an object (left out), 1 written. */
static int
page_csv(FILE *f, const hub_api_call *c, const hub_hospital_query *q,
	 ibx_db_result *res, const struct ranked *rk, size_t rank,
	 ibx_db_result *page, int prow, const struct airport *ap, size_t nap)
{
	json_t *doc = json_loadb(
	    ibx_db_result_value(page, prow, PAGE_LISTING),
	    (size_t)ibx_db_result_length(page, prow, PAGE_LISTING), 0, NULL);
	json_t *h = NULL, *air, *pr, *fl, *x;
	char buf[32], *flags = NULL;
	size_t flen = 0, i;
	FILE *ff = NULL;
	int rv = -1;

	if (doc == NULL || !json_is_object(doc)) {
		rv = doc == NULL ? -1 : 0;
		goto out;
	}
	if ((h = ranked_fields(c, q, res, rk, rank, ap, nap)) == NULL ||
	    (ff = open_memstream(&flags, &flen)) == NULL)
		goto out;
	json_array_foreach(json_object_get(h, "flags"), i, fl)
	    fprintf(ff, "%s%s", i > 0 ? "; " : "", json_string_value(fl));
	if (fclose(ff) != 0) {
		ff = NULL;
		goto out;
	}
	ff = NULL;
	snprintf(buf, sizeof(buf), "%zu", rank);
	csv_field(f, buf, false, false);
	csv_field(f, rk->code, false, false);
	csv_field(f,
		  json_string_value(
		      json_object_get(json_object_get(doc, "name"), "ja")),
		  true, false);
	csv_field(f,
		  json_string_value(
		      json_object_get(json_object_get(doc, "name"), "en")),
		  true, false);
	csv_field(f, json_string_value(json_object_get(doc, "prefecture")),
		  true, false);
	csv_field(f, json_string_value(json_object_get(doc, "address")), true,
		  false);
	x = json_object_get(h, "distance_km");
	csv_number(f, json_is_number(x), 1, json_number_value(x));
	air = json_object_get(h, "nearest_airport");
	csv_field(f, json_string_value(json_object_get(air, "iata")), false,
		  false);
	x = json_object_get(air, "km");
	csv_number(f, json_is_number(x), 1, json_number_value(x));
	pr = json_object_get(h, "price");
	csv_field(f, json_string_value(json_object_get(pr, "service")), false,
		  false);
	csv_number(f, json_is_object(pr), 0,
		   json_number_value(json_object_get(pr, "min_jpy")));
	csv_number(f, json_is_object(pr), 0,
		   json_number_value(json_object_get(pr, "max_jpy")));
	csv_number(f, true, 1,
		   json_number_value(
		       json_object_get(json_object_get(h, "score"), "total")));
	csv_field(f,
		  json_string_value(json_object_get(
		      json_object_get(h, "experience"), "display")),
		  false, false);
	csv_field(f, flags, true, true);
	rv = 1;
out:
	if (ff != NULL)
		fclose(ff);
	free(flags);
	json_decref(h);
	json_decref(doc);
	return (rv);
}

/* near=IATA: q's point from the airports table, and its name into name
 * (n bytes).  IBX_EINVAL with a message in err when no scheduled airport
 * has that code; a database error otherwise. */
static ibx_err
near_airport(hub_api_call *c, hub_hospital_query *q, char *name, size_t n,
	     char *err, size_t errlen)
{
	const char *v[1] = {q->near_iata};
	ibx_db_result *res = NULL;
	ibx_err rv;

	if ((rv = ibx_db_exec(c->db, SQL_AIRPORT, 1, v, &res)) != IBX_OK)
		return (rv);
	if (ibx_db_result_rows(res) == 0) {
		snprintf(err, errlen,
			 "parameter \"near\": no airport with scheduled "
			 "service has the IATA code \"%s\"",
			 q->near_iata);
		rv = IBX_EINVAL;
	} else {
		q->near_lat = atof(ibx_db_result_value(res, 0, 0));
		q->near_lon = atof(ibx_db_result_value(res, 0, 1));
		snprintf(name, n, "%s", ibx_db_result_value(res, 0, 2));
	}
	ibx_db_result_free(res);
	return (rv);
}

/* The response's "near": the point, the airport when one was named, and
 * the radius applied; NULL without near. */
static char *
near_json(const hub_hospital_query *q, const char *airport_name)
{
	json_t *o;
	char *s;

	if (!q->has_near)
		return (NULL);
	o = json_pack("{s:f,s:f,s:f}", "lat", q->near_lat, "lon", q->near_lon,
		      "within_km", q->within_km);
	if (o != NULL && q->near_iata != NULL) {
		json_object_set_new(o, "iata", json_string(q->near_iata));
		json_object_set_new(o, "name", json_string(airport_name));
	}
	s = o != NULL ? json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER |
					  JSON_REAL_PRECISION(10))
		      : NULL;
	json_decref(o);
	return (s);
}

/* Microseconds on the monotonic clock. */
static long long
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return ((long long)t.tv_sec * 1000000 + t.tv_nsec / 1000);
}

/* IBX_API_TIMING set (to anything): each search logs its phases' times
 * (the benchmark's profile of the slowest requests, docs/PERFORMANCE.md);
 * read once. */
static bool
timing_on(void)
{
	static int on = -1;

	if (on < 0)
		on = getenv("IBX_API_TIMING") != NULL;
	return (on == 1);
}

void
hub_api_hospitals_search(hub_api_call *c, const char *arg,
			 const ibx_http_request *req, ibx_http_response *resp)
{
	hub_hospital_query q;
	char err[256], lat[32], lon[32], within[32], maxp[32], *codes = NULL;
	char *body = NULL, *asof = NULL, *near = NULL, airport[128] = "";
	const char *v[18];
	ibx_db_result *res = NULL, *page = NULL;
	struct ranked *rk = NULL;
	const struct airport *ap = NULL;
	FILE *f = NULL;
	size_t n, from, to, i, blen = 0, nap = 0;
	bool first = true, all_prices;
	long long t0 = now_us(), t1 = 0, t2 = 0, t3 = 0;
	ibx_err rv;

	(void)arg;
	if (hub_hospital_query_parse(req, &q, err, sizeof(err)) != IBX_OK) {
		hub_api_error(resp, 400, err);
		return;
	}
	if (q.near_iata != NULL &&
	    (rv = near_airport(c, &q, airport, sizeof(airport), err,
			       sizeof(err))) != IBX_OK) {
		if (rv == IBX_EINVAL)
			hub_api_error(resp, 400, err);
		else
			hub_api_db_error(resp, rv);
		return;
	}
	snprintf(lat, sizeof(lat), "%.6f", q.near_lat);
	snprintf(lon, sizeof(lon), "%.6f", q.near_lon);
	snprintf(within, sizeof(within), "%.3f", q.within_km);
	snprintf(maxp, sizeof(maxp), "%ld", q.max_price_jpy);
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
	v[13] = q.has_near ? within : NULL;
	v[14] = q.service != NULL ? q.service : q.treatment;
	v[15] = q.max_price_jpy >= 0 ? maxp : NULL;
	v[16] = q.registered;
	all_prices = q.as_of != NULL || q.sort == HUB_SORT_PRICE ||
		     q.max_price_jpy >= 0;
	v[17] = all_prices ? "true" : "false";
	/* Prepared once per connection: the statement's parse and analysis
	 * are paid once, and PostgreSQL plans each call for its values
	 * (custom plans: the optional filters decide which indexes serve). */
	if ((rv = ibx_db_exec_prepared(
		 c->db, q.as_of != NULL ? SQL_MATCH_AS_OF : SQL_MATCH_CURRENT,
		 18, v, &res)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	t1 = now_us();
	n = (size_t)ibx_db_result_rows(res);
	if ((rk = calloc(n + 1, sizeof(*rk))) == NULL) {
		hub_api_error(resp, 500, "out of memory");
		goto out;
	}
	rank_rows(c, &q, res, rk, n);
	t2 = now_us();
	from = (size_t)q.offset < n ? (size_t)q.offset : n;
	to = from + (size_t)q.limit < n ? from + (size_t)q.limit : n;
	if (to > from) {
		const char *pv[3];

		if ((codes = codes_literal(rk, from, to)) == NULL) {
			hub_api_error(resp, 500, "out of memory");
			goto out;
		}
		pv[0] = codes;
		pv[1] = q.as_of;
		pv[2] = v[14];
		if ((rv = ibx_db_exec_prepared(c->db, SQL_PAGE, 3, pv,
					       &page)) != IBX_OK) {
			hub_api_db_error(resp, rv);
			goto out;
		}
		if (!all_prices)
			page_prices(page, rk, from);
		c->cells = (int)(to - from);
		if ((rv = load_airports(c, &ap, &nap)) != IBX_OK) {
			if (rv == IBX_ENOMEM)
				hub_api_error(resp, 500, "out of memory");
			else
				hub_api_db_error(resp, rv);
			goto out;
		}
	}
	t3 = now_us();
	if ((f = open_memstream(&body, &blen)) == NULL ||
	    (q.as_of != NULL && (asof = json_text(q.as_of)) == NULL) ||
	    (q.has_near && (near = near_json(&q, airport)) == NULL)) {
		hub_api_error(resp, 500, "out of memory");
		goto out;
	}
	if (q.csv)
		fputs("\xEF\xBB\xBF", f), fputs(CSV_HEADER, f);
	else
		/* {"total","limit","offset","hospitals"[,"as_of"][,"near"]},
		 * compact */
		fprintf(f,
			"{\"total\":%zu,\"limit\":%ld,\"offset\":%ld,"
			"\"hospitals\":[",
			n, q.limit, q.offset);
	for (i = 0; page != NULL && i < (size_t)ibx_db_result_rows(page);
	     i++) {
		int w = q.csv ? page_csv(f, c, &q, res, &rk[from + i],
					 from + i + 1, page, (int)i, ap, nap)
			      : page_json(f, c, &q, res, &rk[from + i],
					  from + i + 1, page, (int)i, ap, nap,
					  first);

		if (w < 0) {
			hub_api_error(resp, 500, "out of memory");
			goto out;
		}
		first = first && w == 0;
	}
	if (!q.csv)
		fprintf(f, "]%s%s%s%s}", asof != NULL ? ",\"as_of\":" : "",
			asof != NULL ? asof : "",
			near != NULL ? ",\"near\":" : "",
			near != NULL ? near : "");
	if (fclose(f) != 0) {
		f = NULL;
		hub_api_error(resp, 500, "out of memory");
		goto out;
	}
	f = NULL;
	if (q.csv) {
		resp->status = 200;
		resp->body = body;
		resp->len = blen;
		resp->content_type = "text/csv; charset=utf-8";
		resp->content_disposition =
		    "attachment; filename=\"hospitals.csv\"";
	} else
		hub_api_json(resp, 200, body);
	body = NULL;
	if (timing_on())
		IBX_INFO("search timing: match_us=%lld rank_us=%lld "
			 "page_us=%lld out_us=%lld rows=%zu",
			 t1 - t0, t2 - t1, t3 - t2, now_us() - t3, n);
out:
	if (f != NULL)
		fclose(f);
	free(body);
	free(asof);
	free(near);
	free(codes);
	free(rk);
	ibx_db_result_free(page);
	ibx_db_result_free(res);
}

void
hub_api_airports(hub_api_call *c, const char *arg, const ibx_http_request *req,
		 ibx_http_response *resp)
{
	ibx_db_result *res = NULL;
	ibx_err rv;

	(void)arg;
	if (req->nargs > 0) {
		hub_api_error(resp, 400, "parameter: none are accepted here");
		return;
	}
	if ((rv = ibx_db_exec(c->db, SQL_AIRPORTS, 0, NULL, &res)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	hub_api_dup_json(resp, ibx_db_result_value(res, 0, 0),
			 (size_t)ibx_db_result_length(res, 0, 0));
	ibx_db_result_free(res);
}

void
hub_api_hospitals_get(hub_api_call *c, const char *code,
		      const ibx_http_request *req, ibx_http_response *resp)
{
	char min[16];
	const char *values[2] = {code, min};
	ibx_db_result *res = NULL;
	ibx_err rv;

	snprintf(min, sizeof(min), "%d", HUB_RANK_RESPONSE_MIN);
	if (req->nargs > 0) {
		hub_api_error(resp, 400, "parameter: none are accepted here");
		return;
	}
	if ((rv = ibx_db_exec(c->db, SQL_GET, 2, values, &res)) != IBX_OK) {
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
