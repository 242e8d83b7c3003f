/*
 * Portfolio metrics for the ministry (GET /api/v1/portfolio) and reference
 * series (GET /api/v1/portfolio/series/{name}).  Figures from the
 * statistics go through stat_table.c and so through disclosure control;
 * figures about listings are public already.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "codes.h"
#include "series.h"
#include "stat_table.h"

/* Hospitals listed, by prefecture, treatment, language and (unexpired)
 * accreditation, built by PostgreSQL. */
static const char SQL_LISTED[] =
    "SELECT json_build_object("
    " 'total', (SELECT count(*) FROM hospital_listings),"
    " 'by_prefecture', (SELECT coalesce(json_agg(json_build_object("
    "   'prefecture', prefecture, 'hospitals', n) ORDER BY prefecture), '[]')"
    "  FROM (SELECT prefecture, count(*) n FROM hospital_listings"
    "   GROUP BY 1) x),"
    " 'by_treatment', (SELECT coalesce(json_agg(json_build_object("
    "   'treatment', t, 'hospitals', n) ORDER BY n DESC, t), '[]')"
    "  FROM (SELECT unnest(treatments) t, count(*) n FROM hospital_listings"
    "   GROUP BY 1) x),"
    " 'by_language', (SELECT coalesce(json_agg(json_build_object("
    "   'language', l, 'hospitals', n) ORDER BY n DESC, l), '[]')"
    "  FROM (SELECT unnest(languages) l, count(*) n FROM hospital_listings"
    "   GROUP BY 1) x),"
    " 'by_accreditation', (SELECT coalesce(json_agg(json_build_object("
    "   'accreditation', s, 'hospitals', n) ORDER BY s), '[]')"
    "  FROM (SELECT a->>'scheme' s, count(DISTINCT org_code) n"
    "   FROM hospital_listings, jsonb_array_elements(doc->'accreditations') a"
    "   WHERE a->>'expires' IS NULL OR (a->>'expires')::date >= current_date"
    "   GROUP BY 1) x))::text";

/* Hospitals able to receive a nationality: listing its language and its
 * country. */
static const char SQL_SUPPLY[] =
    "SELECT count(*) FROM hospital_listings"
    " WHERE languages @> ARRAY[$1::text] AND accepts_countries @> "
    "ARRAY[$2::text]";

static const char SQL_COMPLETENESS_SERIES[] =
    "SELECT coalesce(json_agg(json_build_object('period', to_char(p, "
    "'YYYY-MM'), 'listed', listed, 'reported', reported, 'nil_reports', "
    "nil, 'on_time', on_time) ORDER BY p), '[]')::text FROM ("
    " SELECT p, count(*) listed, count(*) FILTER (WHERE reported) reported,"
    "  count(*) FILTER (WHERE nil_report) nil,"
    "  count(*) FILTER (WHERE on_time) on_time"
    " FROM generate_series(date_trunc('month', now())::date - interval "
    "'12 months', date_trunc('month', now())::date - interval '1 month', "
    "interval '1 month') p, ibx_completeness(p::date) GROUP BY p) x";

static const char SQL_SERIES[] =
    "SELECT period, value::float8 FROM reference_series"
    " WHERE name = $1 AND nationality = coalesce($2, '')"
    " AND ($3::text IS NULL OR period >= $3) AND ($4::text IS NULL OR "
    "period <= $4 || '-12')"
    " ORDER BY period";

/* The main language of a nationality's patients, for matching hospitals
 * (ISO 3166-1 alpha-2 to ISO 639-1). */
static const struct {
	const char *country, *language;
} country_language[] = {
    {"CN", "zh"}, {"TW", "zh"}, {"HK", "zh"}, {"SG", "en"}, {"VN", "vi"},
    {"RU", "ru"}, {"KR", "ko"}, {"TH", "th"}, {"ID", "id"}, {"MN", "mn"},
    {"US", "en"}, {"GB", "en"}, {"AU", "en"}, {"PH", "en"}, {"MY", "ms"},
    {"KH", "km"}, {"MM", "my"}, {"IN", "en"}, {"SA", "ar"}, {"AE", "ar"},
    {"KZ", "ru"}, {"UZ", "uz"}, {"FR", "fr"}, {"DE", "de"}, {"ES", "es"},
};

static const char *
language_of(const char *country)
{
	size_t i;

	for (i = 0; i < sizeof(country_language) / sizeof(country_language[0]);
	     i++)
		if (strcmp(country, country_language[i].country) == 0)
			return (country_language[i].language);
	return ("en");
}

static json_t *
published(const hub_sdc_cell *cell)
{
	return (cell->suppressed ? json_null()
				 : json_integer(cell->published));
}

/* A controlled table as JSON rows {dim: key, ..., "value": v}. */
static json_t *
table_rows(hub_api_call *c, const char *measure, const char *by,
	   const char *grain, const char *remote_first, int *cells)
{
	hub_stat_query q;
	hub_stat_table t;
	json_t *rows = json_array();
	size_t i, d;

	hub_stat_query_set(&q, measure, by, grain);
	q.filters[HUB_STAT_F_REMOTE_FIRST] = remote_first;
	if (hub_stat_table_load(c->db, c->api->k_threshold, &q, &t) == IBX_OK)
		for (i = 0; i < t.n; i++) {
			json_t *r = json_object();

			for (d = 0; d < q.ndims; d++)
				json_object_set_new(
				    r, hub_stat_dimension_name(q.dims[d]),
				    json_string(t.cells[i].keys[d]));
			json_object_set_new(r, "value",
					    published(&t.cells[i]));
			json_array_append_new(rows, r);
			*cells += !t.cells[i].suppressed;
		}
	hub_stat_table_fini(&t);
	return (rows);
}

/* Charge per patient by purpose: two controlled tables divided. */
static json_t *
charge_per_patient(hub_api_call *c, int *cells)
{
	hub_stat_query qc, qp;
	hub_stat_table tc, tp;
	json_t *rows = json_array();
	size_t i;

	hub_stat_query_set(&qc, "charge_jpy", "purpose", "year");
	hub_stat_query_set(&qp, "patients", "purpose", "year");
	if (hub_stat_table_load(c->db, c->api->k_threshold, &qc, &tc) ==
		IBX_OK &&
	    hub_stat_table_load(c->db, c->api->k_threshold, &qp, &tp) ==
		IBX_OK &&
	    tc.n == tp.n)
		for (i = 0; i < tc.n; i++) {
			json_t *v = json_null();

			if (!tc.cells[i].suppressed &&
			    !tp.cells[i].suppressed &&
			    tp.cells[i].published > 0)
				v = json_integer(tc.cells[i].published /
						 tp.cells[i].published);
			json_array_append_new(
			    rows, json_pack("{s:s,s:o}", "purpose",
					    tc.cells[i].keys[0],
					    "charge_jpy_per_patient", v));
			*cells += !json_is_null(v);
		}
	hub_stat_table_fini(&tc);
	hub_stat_table_fini(&tp);
	return (rows);
}

/* Demand (treatment patients of a nationality) against supply (hospitals
 * listing its language and country). */
static json_t *
supply_demand(hub_api_call *c, int *cells)
{
	hub_stat_query q;
	hub_stat_table t;
	ibx_db_result *res = NULL;
	json_t *rows = json_array();
	size_t i;

	hub_stat_query_set(&q, "patients", "nationality", "year");
	q.filters[HUB_STAT_F_PURPOSE] = "treatment";
	if (hub_stat_table_load(c->db, c->api->k_threshold, &q, &t) == IBX_OK)
		for (i = 0; i < t.n; i++) {
			const char *lang = language_of(t.cells[i].keys[0]);
			const char *v[2] = {lang, t.cells[i].keys[0]};
			long supply = 0;

			if (ibx_db_exec(c->db, SQL_SUPPLY, 2, v, &res) ==
			    IBX_OK)
				supply = atol(ibx_db_result_value(res, 0, 0));
			ibx_db_result_free(res);
			res = NULL;
			json_array_append_new(
			    rows,
			    json_pack(
				"{s:s,s:s,s:o,s:i,s:o}", "nationality",
				t.cells[i].keys[0], "language", lang,
				"treatment_patients", published(&t.cells[i]),
				"hospitals_able", (int)supply,
				"patients_per_hospital",
				t.cells[i].suppressed || supply == 0
				    ? json_null()
				    : json_real((double)t.cells[i].published /
						(double)supply)));
			*cells += !t.cells[i].suppressed;
		}
	hub_stat_table_fini(&t);
	return (rows);
}

/* Patients reported through the exchange per year against the medical
 * stay visas issued that year (the series "medical_stay_visas"). */
static json_t *
visa_coverage(hub_api_call *c, int *cells)
{
	hub_stat_query q;
	hub_stat_table t;
	ibx_db_result *res = NULL;
	json_t *rows = json_array();
	size_t i;
	int r;

	hub_stat_query_set(&q, "patients", "period", "year");
	if (hub_stat_table_load(c->db, c->api->k_threshold, &q, &t) ==
	    IBX_OK) {
		const char *v[4] = {"medical_stay_visas", NULL, NULL, NULL};

		if (ibx_db_exec(c->db, SQL_SERIES, 4, v, &res) != IBX_OK)
			res = NULL;
		for (i = 0; i < t.n; i++) {
			json_t *visas = json_null(), *ratio = json_null();

			for (r = 0; res != NULL && r < ibx_db_result_rows(res);
			     r++)
				if (strcmp(ibx_db_result_value(res, r, 0),
					   t.cells[i].keys[0]) == 0) {
					double vv = atof(
					    ibx_db_result_value(res, r, 1));

					visas = json_real(vv);
					if (!t.cells[i].suppressed && vv > 0)
						ratio = json_real(
						    (double)t.cells[i]
							.published /
						    vv);
				}
			json_array_append_new(
			    rows,
			    json_pack("{s:s,s:o,s:o,s:o}", "year",
				      t.cells[i].keys[0], "patients_reported",
				      published(&t.cells[i]), "visas_issued",
				      visas, "coverage_ratio", ratio));
			*cells += !t.cells[i].suppressed;
		}
	}
	ibx_db_result_free(res);
	hub_stat_table_fini(&t);
	return (rows);
}

static json_t *
json_from_sql(hub_api_call *c, const char *sql)
{
	ibx_db_result *res = NULL;
	json_t *j = NULL;

	if (ibx_db_exec(c->db, sql, 0, NULL, &res) == IBX_OK)
		j = json_loads(ibx_db_result_value(res, 0, 0), 0, NULL);
	ibx_db_result_free(res);
	return (j != NULL ? j : json_null());
}

void
hub_api_portfolio(hub_api_call *c, const char *arg,
		  const hub_http_request *req, hub_http_response *resp)
{
	json_t *o;
	int cells = 0;

	(void)arg;
	if (req->nargs > 0) {
		hub_api_error(resp, 400, "parameter: none are accepted here");
		return;
	}
	o = json_object();
	json_object_set_new(o, "hospitals_listed",
			    json_from_sql(c, SQL_LISTED));
	json_object_set_new(o, "patients_by_nationality",
			    table_rows(c, "patients", "nationality,period",
				       "year", NULL, &cells));
	json_object_set_new(
	    o, "patients_by_purpose",
	    table_rows(c, "patients", "purpose,period", "year", NULL, &cells));
	json_object_set_new(o, "charge_per_patient_by_purpose",
			    charge_per_patient(c, &cells));
	json_object_set_new(o, "patients_by_referral_channel",
			    table_rows(c, "patients", "referral_channel",
				       "year", NULL, &cells));
	json_object_set_new(
	    o, "remote_second_opinion_then_visit",
	    table_rows(c, "patients", "purpose", "year", "yes", &cells));
	json_object_set_new(o, "supply_demand", supply_demand(c, &cells));
	json_object_set_new(o, "reporting_completeness",
			    json_from_sql(c, SQL_COMPLETENESS_SERIES));
	json_object_set_new(o, "visa_coverage", visa_coverage(c, &cells));
	c->cells = cells;
	hub_api_json(resp, 200,
		     json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER));
	json_decref(o);
}

void
hub_api_series(hub_api_call *c, const char *name, const hub_http_request *req,
	       hub_http_response *resp)
{
	const char *nat = hub_http_arg_get(req, "nationality");
	const char *from = hub_http_arg_get(req, "from");
	const char *to = hub_http_arg_get(req, "to");
	const char *v[4] = {name, nat, from, to};
	ibx_db_result *res = NULL;
	json_t *o, *points;
	double prev = -1, first = -1, last = -1;
	long first_y = 0, last_y = 0;
	size_t i;
	int r, ok;

	for (i = 0; i < req->nargs; i++)
		if (strcmp(req->args[i].key, "nationality") != 0 &&
		    strcmp(req->args[i].key, "from") != 0 &&
		    strcmp(req->args[i].key, "to") != 0) {
			hub_api_error(resp, 400,
				      "parameter: only nationality, "
				      "from and to");
			return;
		}
	if ((nat != NULL && !ibx_code_country(nat)) ||
	    (from != NULL && (strlen(from) != 4 || atol(from) < 1900)) ||
	    (to != NULL && (strlen(to) != 4 || atol(to) < 1900))) {
		hub_api_error(
		    resp, 400,
		    "parameters: nationality ISO 3166-1 alpha-2, from and to "
		    "YYYY");
		return;
	}
	if (ibx_db_exec(c->db, SQL_SERIES, 4, v, &res) != IBX_OK) {
		hub_api_error(resp, 503, "database unavailable: try again");
		return;
	}
	if (ibx_db_result_rows(res) == 0) {
		ibx_db_result_free(res);
		hub_api_error(resp, 404,
			      "no such series, or no points in range");
		return;
	}
	points = json_array();
	for (r = 0; r < ibx_db_result_rows(res); r++) {
		const char *period = ibx_db_result_value(res, r, 0);
		double val = atof(ibx_db_result_value(res, r, 1));
		json_t *p =
		    json_pack("{s:s,s:f}", "period", period, "value", val);

		if (prev > 0)
			json_object_set_new(
			    p, "yoy_pct",
			    json_real(100.0 * (val - prev) / prev));
		json_array_append_new(points, p);
		if (first < 0) {
			first = val;
			first_y = atol(period);
		}
		last = val;
		last_y = atol(period);
		prev = val;
	}
	o = json_pack("{s:s,s:s,s:o}", "name", name, "nationality",
		      nat != NULL ? nat : "", "points", points);
	{
		double cagr = hub_growth_cagr(first, last,
					      (double)(last_y - first_y), &ok);

		json_object_set_new(o, "cagr_pct",
				    ok ? json_real(cagr) : json_null());
		json_object_set_new(
		    o, "cagr_years",
		    json_pack("[i,i]", (int)first_y, (int)last_y));
	}
	c->cells = ibx_db_result_rows(res);
	ibx_db_result_free(res);
	hub_api_json(resp, 200,
		     json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER));
	json_decref(o);
}
