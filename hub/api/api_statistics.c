/*
 * National statistics (GET /api/v1/statistics and /statistics/growth) and
 * reporting completeness (GET /api/v1/completeness).
 *
 * The tables are stat_table.c's, read from the protected release; this
 * file turns them into JSON or CSV and adds growth.  Completeness says
 * whether and when each hospital reported, never what it held (no cell
 * counts, no nil reports: both are patient counts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "series.h"
#include "stat_table.h"
#include "statistics.h"

/* The largest page of a statistics table, and its default: every
 * published row of all but the largest tables. */
#define HUB_API_STAT_PAGE_MAX 10000

static json_t *
value_json(const hub_stat_cell *cell)
{
	return (cell->shown ? json_integer(cell->value) : json_null());
}

/* Whether the i-th published row (counting from 0) is on page pg. */
static int
on_page(long i, const hub_api_page *pg)
{
	return (i >= pg->offset && i - pg->offset < pg->limit);
}

static int
table_cells_shown(const hub_stat_table *t)
{
	size_t i;
	int n = 0;

	for (i = 0; i < t->n; i++)
		n += t->cells[i].shown;
	return (n);
}

static char *
table_json(hub_api_call *c, const hub_stat_query *q, const hub_stat_table *t,
	   const hub_api_page *pg)
{
	json_t *o = json_object(), *cells = json_array(), *by = json_array();
	size_t i, d;
	long row = 0;
	char *out;

	for (d = 0; d < q->ndims; d++)
		json_array_append_new(
		    by, json_string(hub_stat_dimension_name(q->dims[d])));
	/* Only published rows: a value from 1 to k-1 and a zero are both
	 * left out (the NDB rule), so the rows listed say nothing more. */
	for (i = 0; i < t->n; i++) {
		json_t *cell;

		if (!t->cells[i].shown || !on_page(row++, pg))
			continue;
		cell = json_object();
		for (d = 0; d < q->ndims; d++)
			json_object_set_new(
			    cell, hub_stat_dimension_name(q->dims[d]),
			    json_string(t->cells[i].keys[d]));
		json_object_set_new(cell, "value", value_json(&t->cells[i]));
		if (t->cells[i].partial)
			json_object_set_new(cell, "partial", json_true());
		json_array_append_new(cells, cell);
	}
	json_object_set_new(o, "measure",
			    json_string(hub_release_measure_name(q->measure)));
	json_object_set_new(o, "period",
			    json_string(hub_stat_grain_name(q->grain)));
	if (q->year != 0)
		json_object_set_new(o, "year", json_integer(q->year));
	if (q->month[0] != '\0')
		json_object_set_new(o, "month", json_string(q->month));
	json_object_set_new(o, "by", by);
	json_object_set_new(o, "total", json_integer(table_cells_shown(t)));
	json_object_set_new(o, "limit", json_integer(pg->limit));
	json_object_set_new(o, "offset", json_integer(pg->offset));
	json_object_set_new(o, "cells", cells);
	json_object_set_new(o, "totals",
			    json_pack("{s:o,s:b}", "value",
				      value_json(&t->total), "suppressed",
				      !t->total.shown));
	json_object_set_new(o, "months_released", json_integer(t->months));
	json_object_set_new(o, "partial", json_boolean(t->partial));
	json_object_set_new(
	    o, "disclosure_control",
	    q->own ? json_pack("{s:s}", "applied", "none: your own figures")
		   : json_pack("{s:s,s:i,s:s,s:s}", "applied",
			       "release: each closed month measured once "
			       "with discrete Gaussian noise under zCDP, "
			       "post-processed; values under k and zeros "
			       "omitted",
			       "k", c->api->k_threshold, "privacy_loss",
			       HUB_RELEASE_BUDGET_TEXT, "documentation",
			       "docs/disclosure-control.md"));
	out = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return (out);
}

/* One CSV field: keys are codes and names from allow-lists, quoted when
 * they hold a comma, a quote or a line break (RFC 4180). */
static void
csv_field(FILE *f, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* CSV for spreadsheets: UTF-8 with a BOM, one row per published cell of
 * the page, written through open_memstream (no size guessed).  NULL when
 * out of memory. */
static char *
table_csv(const hub_stat_query *q, const hub_stat_table *t,
	  const hub_api_page *pg, size_t *len)
{
	char *out = NULL;
	FILE *f = open_memstream(&out, len);
	size_t i, d;
	long row = 0;

	if (f == NULL)
		return (NULL);
	fputs("\xEF\xBB\xBF", f);
	for (d = 0; d < q->ndims; d++) {
		csv_field(f, hub_stat_dimension_name(q->dims[d]));
		fputc(',', f);
	}
	fprintf(f, "%s,partial\r\n", hub_release_measure_name(q->measure));
	for (i = 0; i < t->n; i++) {
		if (!t->cells[i].shown || !on_page(row++, pg))
			continue;
		for (d = 0; d < q->ndims; d++) {
			csv_field(f, t->cells[i].keys[d]);
			fputc(',', f);
		}
		fprintf(f, "%lld,%s\r\n", (long long)t->cells[i].value,
			t->cells[i].partial ? "true" : "false");
	}
	if (fclose(f) != 0) {
		free(out);
		return (NULL);
	}
	return (out);
}

int
hub_api_stat_query_parse(const hub_api_call *c, const ibx_http_request *req,
			 hub_stat_query *q, char *err, size_t n)
{
	hub_stat_arg args[IBX_HTTP_MAX_ARGS];
	hub_stat_viewer who;
	size_t i, na;
	int rv;

	memset(&who, 0, sizeof(who));
	who.role = c->who.role == HUB_ROLE_MINISTRY ? HUB_STAT_VIEWER_MINISTRY
		   : c->who.role == HUB_ROLE_COORDINATOR
		       ? HUB_STAT_VIEWER_COORDINATOR
		       : HUB_STAT_VIEWER_HOSPITAL;
	who.org_code = c->who.org_code;
	/* limit and offset page the answer; the table does not see them. */
	for (i = 0, na = 0; i < req->nargs && i < IBX_HTTP_MAX_ARGS; i++) {
		if (hub_api_page_param(req->args[i].key))
			continue;
		args[na].key = req->args[i].key;
		args[na++].value = req->args[i].value;
	}
	if ((rv = hub_stat_query_parse(&who, args, na, q, err, n)) != 0)
		return (rv);
	if (ibx_http_arg_get(req, "format") == NULL)
		q->csv =
		    req->accept != NULL && strstr(req->accept, "text/csv");
	return (0);
}

void
hub_api_statistics(hub_api_call *c, const char *arg,
		   const ibx_http_request *req, ibx_http_response *resp)
{
	hub_stat_query q;
	hub_stat_table t;
	hub_api_page pg;
	char err[512], *body;
	size_t len;
	int pr;
	ibx_err rv;

	(void)arg;
	if ((pr = hub_api_stat_query_parse(c, req, &q, err, sizeof(err))) !=
	    0) {
		hub_api_error(resp, pr == -2 ? 403 : 400, err);
		return;
	}
	/* A large table (by=hospital,period, ...) comes in pages of at most
	 * HUB_API_STAT_PAGE_MAX published rows. */
	if (hub_api_page_parse(req, HUB_API_STAT_PAGE_MAX,
			       HUB_API_STAT_PAGE_MAX, &pg, resp) != 0)
		return;
	if ((rv = hub_stat_table_load(c->db, c->api->k_threshold, &q, &t, err,
				      sizeof(err))) != IBX_OK) {
		if (rv == IBX_EINVAL)
			hub_api_error(resp, 400, err);
		else
			hub_api_db_error(resp, rv);
		hub_stat_table_fini(&t);
		return;
	}
	c->cells = table_cells_shown(&t);
	if (q.csv) {
		if ((body = table_csv(&q, &t, &pg, &len)) == NULL)
			hub_api_error(resp, 500, "out of memory");
		else {
			resp->status = 200;
			resp->body = body;
			resp->len = len;
			resp->content_type = "text/csv; charset=utf-8";
			resp->content_disposition =
			    "attachment; filename=\"statistics.csv\"";
		}
	} else
		hub_api_json(resp, 200, table_json(c, &q, &t, &pg));
	hub_stat_table_fini(&t);
}

/* $1 the period's first day; $2 status (NULL, on_time, late, missing,
 * late_or_missing); $3 limit; $4 offset.  The counts are over every
 * hospital; total, and the page of hospitals, over those of the status.
 * A hospital's contact is its listing's international_contact: public
 * listing data, as its name. */
static const char SQL_COMPLETENESS[] =
    "WITH c AS (SELECT *, CASE WHEN NOT reported THEN 'missing'"
    "  WHEN coalesce(on_time, false) THEN 'on_time' ELSE 'late' END AS st"
    "  FROM ibx_completeness($1::date)),"
    " f AS (SELECT * FROM c WHERE $2::text IS NULL OR st = $2"
    "  OR ($2 = 'late_or_missing' AND st <> 'on_time')),"
    " p AS (SELECT * FROM f ORDER BY org_code LIMIT $3 OFFSET $4)"
    " SELECT json_build_object('period', to_char($1::date, 'YYYY-MM'),"
    " 'deadline', (SELECT min(deadline) FROM c),"
    " 'listed', (SELECT count(*) FROM c),"
    " 'reported', (SELECT count(*) FROM c WHERE reported),"
    " 'on_time', (SELECT count(*) FROM c WHERE st = 'on_time'),"
    " 'late', (SELECT count(*) FROM c WHERE st = 'late'),"
    " 'missing', (SELECT count(*) FROM c WHERE st = 'missing'),"
    " 'status', $2::text, 'total', (SELECT count(*) FROM f),"
    " 'limit', $3::integer, 'offset', $4::integer,"
    " 'hospitals', coalesce((SELECT json_agg(json_build_object("
    "  'organisation_code', p.org_code, 'name', p.name_ja,"
    "  'prefecture', p.prefecture, 'reported', p.reported,"
    "  'first_received', p.first_received,"
    "  'on_time', coalesce(p.on_time, false), 'status', p.st,"
    "  'contact', CASE WHEN jsonb_typeof(h.doc->'international_contact')"
    "  = 'object' THEN json_build_object("
    "  'email', h.doc->'international_contact'->>'email',"
    "  'phone', h.doc->'international_contact'->>'phone') END)"
    "  ORDER BY p.org_code) FROM p LEFT JOIN hospital_listings h"
    "  ON h.org_code = p.org_code), '[]'))::text";

static const char *const completeness_statuses[] = {
    "on_time", "late", "missing", "late_or_missing"};

void
hub_api_completeness(hub_api_call *c, const char *arg,
		     const ibx_http_request *req, ibx_http_response *resp)
{
	const char *period = ibx_http_arg_get(req, "period");
	const char *status = ibx_http_arg_get(req, "status");
	char first[11], lim[24], off[24];
	const char *v[4] = {first, NULL, lim, off};
	ibx_db_result *res = NULL;
	hub_api_page pg;
	size_t i, known = 0;
	ibx_err rv;

	(void)arg;
	for (i = 0; i < req->nargs; i++)
		if (strcmp(req->args[i].key, "period") != 0 &&
		    strcmp(req->args[i].key, "status") != 0 &&
		    !hub_api_page_param(req->args[i].key)) {
			hub_api_error(resp, 400,
				      "parameter: only period, status, limit "
				      "and offset");
			return;
		}
	if (period == NULL || !ibx_period_valid(period)) {
		hub_api_error(resp, 400,
			      "parameter \"period\": required, YYYY-MM");
		return;
	}
	for (i = 0; status != NULL && i < sizeof(completeness_statuses) /
					      sizeof(completeness_statuses[0]);
	     i++)
		known |= strcmp(status, completeness_statuses[i]) == 0;
	if (status != NULL && !known) {
		hub_api_error(resp, 400,
			      "parameter \"status\": must be on_time, late, "
			      "missing or late_or_missing");
		return;
	}
	if (hub_api_args_unique(req, resp) != 0 ||
	    hub_api_page_parse(req, 50, 1000, &pg, resp) != 0)
		return;
	snprintf(first, sizeof(first), "%s-01", period);
	snprintf(lim, sizeof(lim), "%ld", pg.limit);
	snprintf(off, sizeof(off), "%ld", pg.offset);
	v[1] = status;
	if ((rv = ibx_db_exec(c->db, SQL_COMPLETENESS, 4, v, &res)) !=
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
growth_request(const ibx_http_request *req, ibx_http_request *yr)
{
	size_t i;

	memset(yr, 0, sizeof(*yr));
	yr->method = req->method;
	yr->path = req->path;
	yr->accept = NULL;
	for (i = 0; i < req->nargs && yr->nargs < IBX_HTTP_MAX_ARGS - 2; i++)
		if (strcmp(req->args[i].key, "from") != 0 &&
		    strcmp(req->args[i].key, "to") != 0)
			yr->args[yr->nargs++] = req->args[i];
	yr->args[yr->nargs++] = (ibx_http_arg){"by", "period"};
	yr->args[yr->nargs++] = (ibx_http_arg){"period", "year"};
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
			  const ibx_http_request *req, ibx_http_response *resp)
{
	ibx_http_request yr;
	hub_stat_query q;
	hub_stat_table t;
	json_t *o, *years;
	char err[512];
	long from, to;
	size_t i;
	int pr, ok;
	ibx_err rv;
	const hub_stat_cell *first = NULL, *last = NULL, *prev = NULL;

	(void)arg;
	if (parse_year(ibx_http_arg_get(req, "from"), &from) != 0 ||
	    parse_year(ibx_http_arg_get(req, "to"), &to) != 0 || from >= to) {
		hub_api_error(
		    resp, 400,
		    "parameters \"from\" and \"to\": years YYYY, from "
		    "before to");
		return;
	}
	if (ibx_http_arg_get(req, "limit") != NULL ||
	    ibx_http_arg_get(req, "offset") != NULL) {
		hub_api_error(resp, 400,
			      "parameters \"limit\" and \"offset\": growth "
			      "is one row a year, not paged");
		return;
	}
	if (ibx_http_arg_get(req, "by") != NULL ||
	    ibx_http_arg_get(req, "period") != NULL) {
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
	/* Whole calendar years: a calendar grain, not a window. */
	snprintf(q.from, sizeof(q.from), "%04u-01-01",
		 (unsigned)(from % 10000));
	snprintf(q.to, sizeof(q.to), "%04u-01-01",
		 (unsigned)((to + 1) % 10000));
	if ((rv = hub_stat_table_load(c->db, c->api->k_threshold, &q, &t, err,
				      sizeof(err))) != IBX_OK) {
		if (rv == IBX_EINVAL)
			hub_api_error(resp, 400, err);
		else
			hub_api_db_error(resp, rv);
		hub_stat_table_fini(&t);
		return;
	}
	years = json_array();
	for (i = 0; i < t.n; i++) {
		const hub_stat_cell *cell = &t.cells[i];
		json_t *y = json_pack(
		    "{s:s,s:o,s:b,s:b}", "year", cell->keys[0], "value",
		    cell->shown ? json_integer(cell->value) : json_null(),
		    "suppressed", !cell->shown, "partial", cell->partial);

		/* Year-over-year change against the previous year, when both
		 * are published, whole and consecutive. */
		if (prev != NULL && prev->shown && cell->shown &&
		    !prev->partial && !cell->partial &&
		    atol(cell->keys[0]) == atol(prev->keys[0]) + 1 &&
		    prev->value > 0)
			json_object_set_new(
			    y, "yoy_pct",
			    json_real(100.0 *
				      (double)(cell->value - prev->value) /
				      (double)prev->value));
		json_array_append_new(years, y);
		if (cell->shown && !cell->partial) {
			if (first == NULL)
				first = cell;
			last = cell;
		}
		prev = cell;
	}
	c->cells = (int)t.n;
	o = json_pack("{s:s,s:i,s:i,s:o}", "measure",
		      hub_release_measure_name(q.measure), "from", (int)from,
		      "to", (int)to, "years", years);
	if (first != NULL && last != NULL && first != last) {
		double cagr = hub_growth_cagr(
		    (double)first->value, (double)last->value,
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
