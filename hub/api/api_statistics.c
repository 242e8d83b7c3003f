/*
 * National statistics (GET /api/v1/statistics and /statistics/growth) and
 * reporting completeness (GET /api/v1/completeness).
 *
 * The tables themselves, and their disclosure control, are stat_table.c's;
 * this file turns them into JSON or CSV and adds growth.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "series.h"
#include "stat_table.h"
#include "statistics.h"

static json_t *
value_json(const hub_sdc_cell *cell)
{
	return (cell->suppressed ? json_null()
				 : json_integer(cell->published));
}

static char *
table_json(hub_api_call *c, const hub_stat_query *q, const hub_stat_table *t)
{
	json_t *o = json_object(), *cells = json_array(), *by = json_array();
	size_t i, d;
	char *out;

	for (d = 0; d < q->ndims; d++)
		json_array_append_new(
		    by, json_string(hub_stat_dimension_name(q->dims[d])));
	for (i = 0; i < t->n; i++) {
		json_t *cell = json_object();

		for (d = 0; d < q->ndims; d++)
			json_object_set_new(
			    cell, hub_stat_dimension_name(q->dims[d]),
			    json_string(t->cells[i].keys[d]));
		json_object_set_new(cell, "value", value_json(&t->cells[i]));
		json_object_set_new(cell, "suppressed",
				    json_boolean(t->cells[i].suppressed));
		json_array_append_new(cells, cell);
	}
	json_object_set_new(o, "measure",
			    json_string(hub_stat_measure_name(q->measure)));
	json_object_set_new(o, "period",
			    json_string(hub_stat_grain_name(q->grain)));
	json_object_set_new(o, "by", by);
	json_object_set_new(o, "cells", cells);
	json_object_set_new(o, "totals",
			    json_pack("{s:o,s:b}", "value",
				      value_json(&t->total), "suppressed",
				      t->total.suppressed));
	json_object_set_new(
	    o, "disclosure_control",
	    q->own
		? json_pack("{s:s}", "applied", "none: your own figures")
		: json_pack("{s:s,s:i,s:i,s:s}", "applied",
			    "primary and complementary suppression, cell-key "
			    "perturbation",
			    "k", c->api->k_threshold, "min_hospitals",
			    HUB_SDC_MIN_HOSPITALS, "documentation",
			    "docs/disclosure-control.md"));
	out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return (out);
}

/* CSV for spreadsheets: UTF-8 with a BOM, one row per cell. */
static char *
table_csv(const hub_stat_query *q, const hub_stat_table *t)
{
	size_t cap = 256 + t->n * 160, len = 0, i, d;
	char *out = malloc(cap);

	if (out == NULL)
		return (NULL);
	len += (size_t)snprintf(out + len, cap - len, "\xEF\xBB\xBF");
	for (d = 0; d < q->ndims; d++)
		len += (size_t)snprintf(out + len, cap - len, "%s,",
					hub_stat_dimension_name(q->dims[d]));
	len += (size_t)snprintf(out + len, cap - len, "%s,suppressed\r\n",
				hub_stat_measure_name(q->measure));
	for (i = 0; i < t->n; i++) {
		for (d = 0; d < q->ndims; d++)
			len += (size_t)snprintf(out + len, cap - len, "%.60s,",
						t->cells[i].keys[d]);
		if (t->cells[i].suppressed)
			len += (size_t)snprintf(out + len, cap - len,
						",true\r\n");
		else
			len += (size_t)snprintf(
			    out + len, cap - len, "%lld,false\r\n",
			    (long long)t->cells[i].published);
	}
	return (out);
}

static int
table_cells_shown(const hub_stat_table *t)
{
	size_t i;
	int n = 0;

	for (i = 0; i < t->n; i++)
		n += !t->cells[i].suppressed;
	return (n);
}

int
hub_api_stat_query_parse(const hub_api_call *c, const hub_http_request *req,
			 hub_stat_query *q, char *err, size_t n)
{
	hub_stat_arg args[HUB_HTTP_MAX_ARGS];
	hub_stat_viewer who;
	size_t i;
	int rv;

	memset(&who, 0, sizeof(who));
	who.role = c->who.role == HUB_ROLE_MINISTRY ? HUB_STAT_VIEWER_MINISTRY
		   : c->who.role == HUB_ROLE_COORDINATOR
		       ? HUB_STAT_VIEWER_COORDINATOR
		       : HUB_STAT_VIEWER_HOSPITAL;
	who.org_code = c->who.org_code;
	for (i = 0; i < req->nargs && i < HUB_HTTP_MAX_ARGS; i++) {
		args[i].key = req->args[i].key;
		args[i].value = req->args[i].value;
	}
	if ((rv = hub_stat_query_parse(&who, args, i, q, err, n)) != 0)
		return (rv);
	if (hub_http_arg_get(req, "format") == NULL)
		q->csv =
		    req->accept != NULL && strstr(req->accept, "text/csv");
	return (0);
}

void
hub_api_statistics(hub_api_call *c, const char *arg,
		   const hub_http_request *req, hub_http_response *resp)
{
	hub_stat_query q;
	hub_stat_table t;
	char err[256], *body;
	int pr;
	ibx_err rv;

	(void)arg;
	if ((pr = hub_api_stat_query_parse(c, req, &q, err, sizeof(err))) !=
	    0) {
		hub_api_error(resp, pr == -2 ? 403 : 400, err);
		return;
	}
	if ((rv = hub_stat_table_load(c->db, c->api->k_threshold, &q, &t)) !=
	    IBX_OK) {
		hub_api_db_error(resp, rv);
		hub_stat_table_fini(&t);
		return;
	}
	c->cells = table_cells_shown(&t);
	if (q.csv) {
		if ((body = table_csv(&q, &t)) == NULL)
			hub_api_error(resp, 500, "out of memory");
		else {
			resp->status = 200;
			resp->body = body;
			resp->len = strlen(body);
			resp->content_type = "text/csv; charset=utf-8";
			resp->content_disposition =
			    "attachment; filename=\"statistics.csv\"";
		}
	} else
		hub_api_json(resp, 200, table_json(c, &q, &t));
	hub_stat_table_fini(&t);
}

static const char SQL_COMPLETENESS[] =
    "SELECT json_build_object('period', to_char($1::date, 'YYYY-MM'),"
    " 'deadline', min(deadline), 'listed', count(*),"
    " 'reported', count(*) FILTER (WHERE reported),"
    " 'nil_reports', count(*) FILTER (WHERE nil_report),"
    " 'on_time', count(*) FILTER (WHERE on_time),"
    " 'late', count(*) FILTER (WHERE reported AND NOT on_time),"
    " 'missing', count(*) FILTER (WHERE NOT reported),"
    " 'hospitals', coalesce(json_agg(json_build_object("
    "  'organisation_code', org_code, 'name', name_ja,"
    "  'prefecture', prefecture, 'reported', reported,"
    "  'nil_report', nil_report, 'cells', n_cells,"
    "  'first_received', first_received, 'on_time', coalesce(on_time, false))"
    "  ORDER BY org_code), '[]'))::text"
    " FROM ibx_completeness($1::date)";

void
hub_api_completeness(hub_api_call *c, const char *arg,
		     const hub_http_request *req, hub_http_response *resp)
{
	const char *period = hub_http_arg_get(req, "period");
	char first[11];
	const char *v[1] = {first};
	ibx_db_result *res = NULL;
	ibx_err rv;

	(void)arg;
	if (period == NULL || req->nargs != 1 || !ibx_period_valid(period)) {
		hub_api_error(
		    resp, 400,
		    "parameter \"period\": required, YYYY-MM, and alone");
		return;
	}
	snprintf(first, sizeof(first), "%s-01", period);
	if ((rv = ibx_db_exec(c->db, SQL_COMPLETENESS, 1, v, &res)) !=
	    IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	hub_api_dup_json(resp, ibx_db_result_value(res, 0, 0),
			 (size_t)ibx_db_result_length(res, 0, 0));
	ibx_db_result_free(res);
}

/* A copy of req's arguments without from and to, plus by=period and
 * period=year: the yearly series behind a growth question. */
static void
growth_request(const hub_http_request *req, hub_http_request *yr)
{
	size_t i;

	memset(yr, 0, sizeof(*yr));
	yr->method = req->method;
	yr->path = req->path;
	yr->accept = NULL;
	for (i = 0; i < req->nargs && yr->nargs < HUB_HTTP_MAX_ARGS - 2; i++)
		if (strcmp(req->args[i].key, "from") != 0 &&
		    strcmp(req->args[i].key, "to") != 0)
			yr->args[yr->nargs++] = req->args[i];
	yr->args[yr->nargs++] = (hub_http_arg){"by", "period"};
	yr->args[yr->nargs++] = (hub_http_arg){"period", "year"};
}

static int
parse_year(const char *v, long *out)
{
	char *end;

	if (v == NULL)
		return (-1);
	*out = strtol(v, &end, 10);
	return (strlen(v) == 4 && *end == '\0' && *out >= 2000 ? 0 : -1);
}

void
hub_api_statistics_growth(hub_api_call *c, const char *arg,
			  const hub_http_request *req, hub_http_response *resp)
{
	hub_http_request yr;
	hub_stat_query q;
	hub_stat_table t;
	json_t *o, *years;
	char err[256];
	long from, to;
	size_t i;
	int pr, ok;
	const hub_sdc_cell *first = NULL, *last = NULL, *prev = NULL;

	(void)arg;
	if (parse_year(hub_http_arg_get(req, "from"), &from) != 0 ||
	    parse_year(hub_http_arg_get(req, "to"), &to) != 0 || from >= to) {
		hub_api_error(
		    resp, 400,
		    "parameters \"from\" and \"to\": years YYYY, from "
		    "before to");
		return;
	}
	if (hub_http_arg_get(req, "by") != NULL ||
	    hub_http_arg_get(req, "period") != NULL) {
		hub_api_error(
		    resp, 400,
		    "parameters \"by\" and \"period\": growth is by year");
		return;
	}
	growth_request(req, &yr);
	if ((pr = hub_api_stat_query_parse(c, &yr, &q, err, sizeof(err))) !=
	    0) {
		hub_api_error(resp, pr == -2 ? 403 : 400, err);
		return;
	}
	snprintf(q.from, sizeof(q.from), "%04u-01-01",
		 (unsigned)(from % 10000));
	snprintf(q.to, sizeof(q.to), "%04u-12-01", (unsigned)(to % 10000));
	if (hub_stat_table_load(c->db, c->api->k_threshold, &q, &t) !=
	    IBX_OK) {
		hub_api_error(resp, 503, "database unavailable: try again");
		hub_stat_table_fini(&t);
		return;
	}
	years = json_array();
	for (i = 0; i < t.n; i++) {
		const hub_sdc_cell *cell = &t.cells[i];
		json_t *y =
		    json_pack("{s:s,s:o,s:b}", "year", cell->keys[0], "value",
			      cell->suppressed ? json_null()
					       : json_integer(cell->published),
			      "suppressed", cell->suppressed);

		/* Year-over-year change against the previous year, when both
		 * are published and consecutive. */
		if (prev != NULL && !prev->suppressed && !cell->suppressed &&
		    atol(cell->keys[0]) == atol(prev->keys[0]) + 1 &&
		    prev->published > 0)
			json_object_set_new(
			    y, "yoy_pct",
			    json_real(
				100.0 *
				(double)(cell->published - prev->published) /
				(double)prev->published));
		json_array_append_new(years, y);
		if (!cell->suppressed) {
			if (first == NULL)
				first = cell;
			last = cell;
		}
		prev = cell;
	}
	c->cells = (int)t.n;
	o = json_pack("{s:s,s:i,s:i,s:o}", "measure",
		      hub_stat_measure_name(q.measure), "from", (int)from,
		      "to", (int)to, "years", years);
	if (first != NULL && last != NULL && first != last) {
		double cagr = hub_growth_cagr(
		    (double)first->published, (double)last->published,
		    (double)(atol(last->keys[0]) - atol(first->keys[0])), &ok);

		if (ok)
			json_object_set_new(o, "cagr_pct", json_real(cagr));
		json_object_set_new(
		    o, "cagr_years",
		    json_pack("[s,s]", first->keys[0], last->keys[0]));
	}
	hub_api_json(resp, 200,
		     json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER));
	json_decref(o);
	hub_stat_table_fini(&t);
}
