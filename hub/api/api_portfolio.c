/*
 * Portfolio metrics for the ministry (GET /api/v1/portfolio) and reference
 * series (GET /api/v1/portfolio/series/{name}).  Figures from the
 * statistics and of the referral channel are read from the protected
 * release (stat_table.c; SQL_REFERRALS); figures
 * about listings are public already.  Each section is one query (two for
 * supply and demand: the release and the listings); a section that fails
 * fails the call with 503 naming it, never an empty figure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "codes.h"
#include "release.h"
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

/* Hospitals able to receive each nationality $2[i]: listing its language
 * $1[i] and its country, in the order given. */
static const char SQL_SUPPLY[] =
    "SELECT (SELECT count(*) FROM hospital_listings"
    "  WHERE languages @> ARRAY[u.lang] AND accepts_countries @>"
    "  ARRAY[u.country]) FROM unnest($1::text[], $2::text[])"
    " WITH ORDINALITY AS u(lang, country, i) ORDER BY u.i";

static const char SQL_COMPLETENESS_SERIES[] =
    "SELECT coalesce(json_agg(json_build_object('period', to_char(p, "
    "'YYYY-MM'), 'listed', listed, 'reported', reported, "
    "'on_time', on_time) ORDER BY p), '[]')::text FROM ("
    " SELECT p, count(*) listed, count(*) FILTER (WHERE reported) reported,"
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

/* The referral channel from the protected release (measure_referrals in
 * hub/stats/release.c; docs/disclosure-control.md section 12): each
 * measured month's referrals; referrals by purpose and by nationality per
 * calendar year (sums of released months); the conversion from second
 * opinion to visit per year of the cohort (second-opinion referrals sent
 * $2 months before the month that measured them, and those with a visit
 * scheduled or made by its end).  Post-processing only, and the NDB rule
 * ($1 = k): a count under k, zero included, is null with "suppressed", a
 * row under k is left out, a share only between two published counts. */
static const char SQL_REFERRALS[] =
    "WITH v AS (SELECT period, measure, dims, key1, value"
    "  FROM release_values WHERE measure IN ('referrals',"
    "  'opinion_referrals', 'opinion_visits')),"
    " y AS (SELECT to_char(period, 'YYYY') AS year, count(*) AS months"
    "  FROM v WHERE measure = 'referrals' AND dims = '' GROUP BY 1)"
    " SELECT json_build_object("
    " 'counted_per_group', $3::integer, 'cohort_lag_months', $2::integer,"
    " 'by_month', (SELECT coalesce(json_agg(json_build_object("
    "   'period', to_char(period, 'YYYY-MM'),"
    "   'value', CASE WHEN value >= $1::bigint THEN value END,"
    "   'suppressed', value < $1::bigint) ORDER BY period), '[]')"
    "  FROM v WHERE measure = 'referrals' AND dims = ''),"
    " 'by_purpose', (SELECT coalesce(json_agg(json_build_object("
    "   'year', x.year, 'purpose', key1, 'value', s, 'partial',"
    "   y.months < 12) ORDER BY x.year, key1), '[]') FROM (SELECT"
    "   to_char(period, 'YYYY') AS year, key1, sum(value) AS s FROM v"
    "   WHERE measure = 'referrals' AND dims = 'purpose' GROUP BY 1, 2) x"
    "  JOIN y USING (year) WHERE s >= $1::bigint),"
    " 'by_nationality', (SELECT coalesce(json_agg(json_build_object("
    "   'year', x.year, 'nationality', key1, 'value', s, 'partial',"
    "   y.months < 12) ORDER BY x.year, key1), '[]') FROM (SELECT"
    "   to_char(period, 'YYYY') AS year, key1, sum(value) AS s FROM v"
    "   WHERE measure = 'referrals' AND dims = 'nationality'"
    "   GROUP BY 1, 2) x JOIN y USING (year) WHERE s >= $1::bigint),"
    " 'opinion_to_visit', (SELECT coalesce(json_agg(json_build_object("
    "   'cohort_year', year,"
    "   'second_opinion_referrals', CASE WHEN c >= $1::bigint THEN c END,"
    "   'visits', CASE WHEN w >= $1::bigint THEN w END,"
    "   'share', CASE WHEN c >= $1::bigint AND w >= $1::bigint"
    "    THEN round(w::numeric / c, 3) END,"
    "   'suppressed', c < $1::bigint OR w < $1::bigint, 'months', m)"
    "   ORDER BY year), '[]') FROM (SELECT to_char(period"
    "   - make_interval(months => $2::integer), 'YYYY') AS year,"
    "   sum(value) FILTER (WHERE measure = 'opinion_referrals') AS c,"
    "   sum(value) FILTER (WHERE measure = 'opinion_visits') AS w,"
    "   count(*) FILTER (WHERE measure = 'opinion_referrals') AS m"
    "   FROM v WHERE measure <> 'referrals' GROUP BY 1) z))::text";

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
shown(const hub_stat_cell *cell)
{
	return (cell->shown ? json_integer(cell->value) : json_null());
}

/* A released table of measure by dimensions (grain), optionally filtered
 * on one dimension; IBX_EINVAL for a table the release does not hold. */
static ibx_err
load(hub_api_call *c, const char *measure, const char *by, const char *grain,
     const char *fdim, const char *fval, hub_stat_query *q, hub_stat_table *t)
{
	char err[512];
	ibx_err rv;

	memset(t, 0, sizeof(*t));
	if ((rv = hub_stat_query_set(q, measure, by, grain)) != IBX_OK)
		return (rv);
	if (fdim != NULL &&
	    (rv = hub_stat_query_filter(q, fdim, fval)) != IBX_OK)
		return (rv);
	return (hub_stat_table_load(c->db, c->api->k_threshold, q, t, err,
				    sizeof(err)));
}

/* A released table as JSON rows {dim: key, ..., "value": v}: only the
 * published rows (the NDB rule). */
static ibx_err
table_rows(hub_api_call *c, const char *measure, const char *by,
	   const char *grain, int *cells, json_t **out)
{
	hub_stat_query q;
	hub_stat_table t;
	json_t *rows;
	size_t i, d;
	ibx_err rv;

	if ((rv = load(c, measure, by, grain, NULL, NULL, &q, &t)) != IBX_OK) {
		hub_stat_table_fini(&t);
		return (rv);
	}
	rows = json_array();
	for (i = 0; i < t.n; i++) {
		json_t *r;

		if (!t.cells[i].shown)
			continue;
		r = json_object();
		for (d = 0; d < q.ndims; d++)
			json_object_set_new(r,
					    hub_stat_dimension_name(q.dims[d]),
					    json_string(t.cells[i].keys[d]));
		json_object_set_new(r, "value", shown(&t.cells[i]));
		if (t.cells[i].partial)
			json_object_set_new(r, "partial", json_true());
		json_array_append_new(rows, r);
		(*cells)++;
	}
	hub_stat_table_fini(&t);
	*out = rows;
	return (IBX_OK);
}

/* Charge per patient by purpose: the released charges and the released
 * patients behind them, from one table. */
static ibx_err
charge_per_patient(hub_api_call *c, int *cells, json_t **out)
{
	hub_stat_query q;
	hub_stat_table t;
	json_t *rows;
	size_t i;
	ibx_err rv;

	if ((rv = load(c, "charge_jpy", "purpose", "year", NULL, NULL, &q,
		       &t)) != IBX_OK) {
		hub_stat_table_fini(&t);
		return (rv);
	}
	rows = json_array();
	for (i = 0; i < t.n; i++) {
		if (!t.cells[i].shown || t.cells[i].patients <= 0)
			continue;
		json_array_append_new(
		    rows, json_pack("{s:s,s:I}", "purpose", t.cells[i].keys[0],
				    "charge_jpy_per_patient",
				    (json_int_t)(t.cells[i].value /
						 t.cells[i].patients)));
		(*cells)++;
	}
	hub_stat_table_fini(&t);
	*out = rows;
	return (IBX_OK);
}

/* Demand (released treatment patients of a nationality) against supply
 * (hospitals listing its language and country), each one query. */
static ibx_err
supply_demand(hub_api_call *c, int *cells, json_t **out)
{
	hub_stat_query q;
	hub_stat_table t;
	ibx_db_result *res = NULL;
	char *langs = NULL, *countries = NULL;
	size_t ll = 0, lc = 0, i, k = 0;
	FILE *fl = NULL, *fc = NULL;
	json_t *rows = NULL;
	const char *v[2];
	ibx_err rv;

	if ((rv = load(c, "patients", "nationality", "year", "purpose",
		       "treatment", &q, &t)) != IBX_OK)
		goto out;
	if ((fl = open_memstream(&langs, &ll)) == NULL ||
	    (fc = open_memstream(&countries, &lc)) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	fputc('{', fl);
	fputc('{', fc);
	for (i = 0; i < t.n; i++) {
		if (!t.cells[i].shown)
			continue;
		fprintf(fl, "%s%s", k ? "," : "",
			language_of(t.cells[i].keys[0]));
		fprintf(fc, "%s%s", k ? "," : "", t.cells[i].keys[0]);
		k++;
	}
	fputc('}', fl);
	fputc('}', fc);
	rv = fclose(fl) == 0 ? IBX_OK : IBX_ENOMEM;
	fl = NULL;
	if (fclose(fc) != 0)
		rv = IBX_ENOMEM;
	fc = NULL;
	if (rv != IBX_OK)
		goto out;
	v[0] = langs;
	v[1] = countries;
	if ((rv = ibx_db_exec(c->db, SQL_SUPPLY, 2, v, &res)) != IBX_OK)
		goto out;
	rows = json_array();
	for (i = 0, k = 0; i < t.n; i++) {
		long supply;

		if (!t.cells[i].shown)
			continue;
		supply = atol(ibx_db_result_value(res, (int)k++, 0));
		json_array_append_new(
		    rows, json_pack("{s:s,s:s,s:o,s:i,s:o}", "nationality",
				    t.cells[i].keys[0], "language",
				    language_of(t.cells[i].keys[0]),
				    "treatment_patients", shown(&t.cells[i]),
				    "hospitals_able", (int)supply,
				    "patients_per_hospital",
				    supply == 0
					? json_null()
					: json_real((double)t.cells[i].value /
						    (double)supply)));
		(*cells)++;
	}
	*out = rows;
out:
	if (fl != NULL)
		fclose(fl);
	if (fc != NULL)
		fclose(fc);
	free(langs);
	free(countries);
	ibx_db_result_free(res);
	hub_stat_table_fini(&t);
	return (rv);
}

/* Patients with a medical stay visa (their cells say
 * medical_stay_visa = yes) per year against the medical stay visas issued
 * that year (series "medical_stay_visas"), with the share whose visa is
 * unknown shown apart: one released table by year and visa, one series. */
static ibx_err
visa_coverage(hub_api_call *c, int *cells, json_t **out)
{
	hub_stat_query q;
	hub_stat_table t;
	ibx_db_result *res = NULL;
	const char *sv[4] = {"medical_stay_visas", NULL, NULL, NULL};
	json_t *rows = NULL;
	size_t i, j;
	int r;
	ibx_err rv;

	if ((rv = load(c, "patients", "period,medical_stay_visa", "year", NULL,
		       NULL, &q, &t)) != IBX_OK)
		goto out;
	if ((rv = ibx_db_exec(c->db, SQL_SERIES, 4, sv, &res)) != IBX_OK)
		goto out;
	rows = json_array();
	/* Rows come ordered by year, then visa: one group per year. */
	for (i = 0; i < t.n; i = j) {
		const hub_stat_cell *yes = NULL, *unknown = NULL;
		int64_t total = 0;
		bool partial = t.cells[i].partial;
		json_t *visas = json_null(), *ratio = json_null();
		json_t *share = json_null();

		for (j = i; j < t.n && strcmp(t.cells[j].keys[0],
					      t.cells[i].keys[0]) == 0;
		     j++) {
			total += t.cells[j].value;
			if (strcmp(t.cells[j].keys[1], "yes") == 0)
				yes = &t.cells[j];
			else if (strcmp(t.cells[j].keys[1], "unknown") == 0)
				unknown = &t.cells[j];
		}
		for (r = 0; r < ibx_db_result_rows(res); r++)
			if (strcmp(ibx_db_result_value(res, r, 0),
				   t.cells[i].keys[0]) == 0) {
				double vv =
				    atof(ibx_db_result_value(res, r, 1));

				visas = json_real(vv);
				if (yes != NULL && yes->shown && vv > 0)
					ratio =
					    json_real((double)yes->value / vv);
			}
		/* The unknown share, when the total is published (10 or
		 * more) and so is the unknown count. */
		if (total >= c->api->k_threshold && unknown != NULL &&
		    unknown->shown)
			share =
			    json_real((double)unknown->value / (double)total);
		else if (total >= c->api->k_threshold)
			share = json_real(0);
		json_array_append_new(
		    rows, json_pack("{s:s,s:o,s:o,s:o,s:o,s:b}", "year",
				    t.cells[i].keys[0], "patients_with_visa",
				    yes != NULL ? shown(yes) : json_null(),
				    "visas_issued", visas, "coverage_ratio",
				    ratio, "visa_unknown_share", share,
				    "partial", partial));
		(*cells)++;
	}
	*out = rows;
out:
	ibx_db_result_free(res);
	hub_stat_table_fini(&t);
	return (rv);
}

static ibx_err
json_from_sql(hub_api_call *c, const char *sql, json_t **out)
{
	ibx_db_result *res = NULL;
	ibx_err rv;

	if ((rv = ibx_db_exec(c->db, sql, 0, NULL, &res)) != IBX_OK)
		return (rv);
	*out = json_loads(ibx_db_result_value(res, 0, 0), 0, NULL);
	ibx_db_result_free(res);
	return (*out != NULL ? IBX_OK : IBX_EDB);
}

static ibx_err
sec_listed(hub_api_call *c, int *cells, json_t **out)
{
	(void)cells;
	return (json_from_sql(c, SQL_LISTED, out));
}

static ibx_err
sec_nationality(hub_api_call *c, int *cells, json_t **out)
{
	return (table_rows(c, "patients", "nationality,period", "year", cells,
			   out));
}

static ibx_err
sec_purpose(hub_api_call *c, int *cells, json_t **out)
{
	return (
	    table_rows(c, "patients", "purpose,period", "year", cells, out));
}

static ibx_err
sec_channel(hub_api_call *c, int *cells, json_t **out)
{
	return (
	    table_rows(c, "patients", "referral_channel", "year", cells, out));
}

static ibx_err
sec_referral_org(hub_api_call *c, int *cells, json_t **out)
{
	return (table_rows(c, "patients", "referral_org", "year", cells, out));
}

static ibx_err
sec_referrals(hub_api_call *c, int *cells, json_t **out)
{
	char k[16], lag[16], per[16];
	const char *v[3] = {k, lag, per};
	ibx_db_result *res = NULL;
	ibx_err rv;

	(void)cells;
	snprintf(k, sizeof(k), "%d", c->api->k_threshold);
	snprintf(lag, sizeof(lag), "%d", HUB_RELEASE_REFERRAL_COHORT_LAG);
	snprintf(per, sizeof(per), "%d", HUB_RELEASE_REFERRALS_PER_GROUP);
	if ((rv = ibx_db_exec(c->db, SQL_REFERRALS, 3, v, &res)) != IBX_OK)
		return (rv);
	*out = json_loads(ibx_db_result_value(res, 0, 0), 0, NULL);
	ibx_db_result_free(res);
	return (*out != NULL ? IBX_OK : IBX_EDB);
}

static ibx_err
sec_completeness(hub_api_call *c, int *cells, json_t **out)
{
	(void)cells;
	return (json_from_sql(c, SQL_COMPLETENESS_SERIES, out));
}

/* The sections, in the order of the answer. */
static const struct {
	const char *name;
	ibx_err (*load)(hub_api_call *c, int *cells, json_t **out);
} sections[] = {
    {"hospitals_listed", sec_listed},
    {"patients_by_nationality", sec_nationality},
    {"patients_by_purpose", sec_purpose},
    {"charge_per_patient_by_purpose", charge_per_patient},
    {"patients_by_referral_channel", sec_channel},
    {"patients_by_referral_org", sec_referral_org},
    {"supply_demand", supply_demand},
    {"reporting_completeness", sec_completeness},
    {"visa_coverage", visa_coverage},
    {"referrals", sec_referrals},
};

void
hub_api_portfolio(hub_api_call *c, const char *arg,
		  const ibx_http_request *req, ibx_http_response *resp)
{
	char msg[160];
	json_t *o, *sec = NULL;
	size_t i;
	int cells = 0;
	ibx_err rv;

	(void)arg;
	if (req->nargs > 0) {
		hub_api_error(resp, 400, "parameter: none are accepted here");
		return;
	}
	o = json_object();
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		sec = NULL;
		if ((rv = sections[i].load(c, &cells, &sec)) != IBX_OK) {
			snprintf(msg, sizeof(msg),
				 "portfolio section \"%s\" failed: %s",
				 sections[i].name, ibx_strerror(rv));
			hub_api_error(resp,
				      rv == IBX_EDBDOWN || rv == IBX_EDB ? 503
									 : 500,
				      msg);
			json_decref(o);
			return;
		}
		json_object_set_new(o, sections[i].name, sec);
	}
	c->cells = cells;
	hub_api_json(resp, 200,
		     json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER));
	json_decref(o);
}

void
hub_api_series(hub_api_call *c, const char *name, const ibx_http_request *req,
	       ibx_http_response *resp)
{
	const char *nat = ibx_http_arg_get(req, "nationality");
	const char *from = ibx_http_arg_get(req, "from");
	const char *to = ibx_http_arg_get(req, "to");
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
