/*
 * A hospital's statistics submissions and their import summaries
 * (GET /api/v1/submissions): a hospital sees its own, the ministry any
 * hospital's (hospital=CODE) or all.  Newest first, paged like every
 * long list (api_paging.c): total, limit (default 50, at most 200),
 * offset.
 *
 * Only the submitting hospital sees what a submission held (nil report,
 * patients reported, cells, imported, updated, unchanged, deleted): cells
 * are stored at near-patient grain, so their counts are patient counts
 * (docs/disclosure-control.md).  It also sees the statistics envelopes the
 * hub refused from it, with the reason its spoke was told ("refused",
 * the newest 50; ibx_statistics_refusals).  Anyone else sees that a
 * hospital submitted, for which month, and when.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "listing.h"
#include "statistics.h"

/* $1 hospital or NULL, $2 first day of the period or NULL, $3 whether the
 * caller is the hospital itself, $4 limit, $5 offset. */
static const char SQL_SUBMISSIONS[] =
    "SELECT (jsonb_build_object('total', (SELECT count(*)"
    " FROM statistics_submissions WHERE ($1::text IS NULL OR org_code = $1)"
    " AND ($2::date IS NULL OR period = $2::date)),"
    " 'limit', $4::integer, 'offset', $5::integer,"
    " 'submissions', coalesce(jsonb_agg("
    " jsonb_build_object('organisation_code', org_code,"
    "  'period', to_char(period, 'YYYY-MM'), 'received_at', received_at,"
    "  'superseded_at', superseded_at)"
    "  || CASE WHEN $3::boolean THEN jsonb_build_object("
    "  'nil_report', nil_report, 'patients', (SELECT coalesce(sum("
    "  c.patients), 0) FROM statistics_cells c WHERE c.submission_id = s.id"
    "  AND c.period = s.period), 'cells', n_cells, 'imported', imported,"
    "  'updated', updated, 'unchanged', unchanged, 'deleted', deleted)"
    "  ELSE '{}'::jsonb END ORDER BY received_at DESC, id DESC),"
    " '[]'::jsonb))"
    " || CASE WHEN $3::boolean THEN jsonb_build_object('refused',"
    " (SELECT coalesce(jsonb_agg(jsonb_build_object('received_at',"
    "  r.received_at, 'outcome', r.outcome, 'reason', r.reason)"
    "  ORDER BY r.received_at DESC), '[]'::jsonb)"
    "  FROM ibx_statistics_refusals($1, 50) r)) ELSE '{}'::jsonb END)::text"
    " FROM (SELECT * FROM statistics_submissions"
    " WHERE ($1::text IS NULL OR org_code = $1)"
    " AND ($2::date IS NULL OR period = $2::date)"
    " ORDER BY received_at DESC, id DESC LIMIT $4 OFFSET $5) s";

void
hub_api_submissions(hub_api_call *c, const char *arg,
		    const ibx_http_request *req, ibx_http_response *resp)
{
	const char *hospital = ibx_http_arg_get(req, "hospital");
	const char *period = ibx_http_arg_get(req, "period");
	char first[11], lim[24], off[24];
	const char *v[5];
	hub_api_page pg;
	ibx_db_result *res = NULL;
	size_t i;
	ibx_err rv;

	(void)arg;
	for (i = 0; i < req->nargs; i++)
		if (strcmp(req->args[i].key, "hospital") != 0 &&
		    strcmp(req->args[i].key, "period") != 0 &&
		    !hub_api_page_param(req->args[i].key)) {
			hub_api_error(
			    resp, 400,
			    "parameter: only hospital, period, limit "
			    "and offset");
			return;
		}
	if (hub_api_args_unique(req, resp) != 0 ||
	    hub_api_page_parse(req, 50, 200, &pg, resp) != 0)
		return;
	if ((hospital != NULL && !ibx_digits(hospital, 10)) ||
	    (period != NULL && !ibx_period_valid(period))) {
		hub_api_error(resp, 400,
			      "parameters: hospital is 10 digits, "
			      "period YYYY-MM");
		return;
	}
	if (c->who.role == HUB_ROLE_HOSPITAL) {
		if (hospital != NULL &&
		    strcmp(hospital, c->who.org_code) != 0) {
			hub_api_error(resp, 403,
				      "parameter \"hospital\": a "
				      "hospital sees only its own");
			return;
		}
		hospital = c->who.org_code;
	} else if (c->who.role != HUB_ROLE_MINISTRY) {
		hub_api_error(resp, 403,
			      "role: submissions are for hospitals "
			      "and the ministry");
		return;
	}
	if (period != NULL)
		snprintf(first, sizeof(first), "%s-01", period);
	v[0] = hospital;
	v[1] = period != NULL ? first : NULL;
	v[2] = c->who.role == HUB_ROLE_HOSPITAL ? "true" : "false";
	snprintf(lim, sizeof(lim), "%ld", pg.limit);
	snprintf(off, sizeof(off), "%ld", pg.offset);
	v[3] = lim;
	v[4] = off;
	if ((rv = ibx_db_exec(c->db, SQL_SUBMISSIONS, 5, v, &res)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	hub_api_dup_json(resp, ibx_db_result_value(res, 0, 0),
			 (size_t)ibx_db_result_length(res, 0, 0));
	ibx_db_result_free(res);
}
