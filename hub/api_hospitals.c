/*
 * Hospital search and detail (GET /api/v1/hospitals[/{code}]).  The JSON is
 * built by PostgreSQL from the stored listing documents, so the hub copies
 * one text value per request.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "log.h"
#include "query.h"

/* Every filter is a parameter that is NULL when not asked for; the ORDER BY
 * is fixed (best name match first when q is given, then organisation
 * code), so paging is stable. */
static const char SQL_SEARCH[] =
    "WITH m AS ("
    " SELECT org_code, version, doc,"
    "  CASE WHEN $8::text IS NULL THEN 0 ELSE greatest("
    "   similarity(name_ja, $8), similarity(lower(coalesce(name_en, '')),"
    "   lower($8))) END AS score"
    " FROM hospital_listings"
    " WHERE ($1::text IS NULL OR treatments @> ARRAY[$1::text])"
    "  AND ($2::text IS NULL OR departments @> ARRAY[$2::text])"
    "  AND ($3::text IS NULL OR languages @> ARRAY[$3::text])"
    "  AND ($4::text IS NULL OR prefecture = $4)"
    "  AND ($5::text IS NULL OR (accreditations @> ARRAY[$5::text]"
    "   AND EXISTS (SELECT 1 FROM jsonb_array_elements(doc->'accreditations')"
    "    a WHERE a->>'scheme' = $5 AND (a->>'expires' IS NULL"
    "    OR (a->>'expires')::date >= current_date))))"
    "  AND ($6::text IS NULL OR accepts_countries @> ARRAY[$6::text])"
    "  AND ($7::boolean IS NULL OR remote_second_opinion = $7)"
    "  AND ($8::text IS NULL OR strpos(name_ja, $8) > 0"
    "   OR strpos(lower(name_en), lower($8)) > 0"
    "   OR name_ja % $8 OR lower(name_en) % lower($8)))"
    "SELECT json_build_object("
    " 'total', (SELECT count(*) FROM m),"
    " 'limit', $9::integer, 'offset', $10::integer,"
    " 'hospitals', coalesce((SELECT json_agg(p.doc || jsonb_build_object("
    "   'version', p.version) ORDER BY p.score DESC, p.org_code)"
    "  FROM (SELECT * FROM m ORDER BY score DESC, org_code"
    "   LIMIT $9 OFFSET $10) p), '[]'::json))::text";

static const char SQL_GET[] =
    "SELECT json_build_object("
    " 'organisation_code', h.org_code, 'version', h.version,"
    " 'updated_at', h.updated_at, 'listing', h.doc,"
    " 'history', (SELECT json_agg(json_build_object("
    "   'version', v.version, 'valid_from', v.valid_from,"
    "   'valid_to', v.valid_to, 'listing', v.doc) ORDER BY v.version DESC)"
    "  FROM listing_versions v WHERE v.org_code = h.org_code))::text"
    " FROM hospital_listings h WHERE h.org_code = $1";

/* Run a statement that returns one JSON text value and answer with it;
 * 404 with not_found when it returns no row. */
static void
answer_json_row(hub_api_call *c, const char *sql, int n,
		const char *const *values, const char *not_found,
		hub_http_response *resp)
{
	ibx_db_result *res = NULL;
	ibx_err rv;

	if ((rv = ibx_db_exec(c->db, sql, n, values, &res)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	if (ibx_db_result_rows(res) == 0)
		hub_api_error(resp, 404, not_found);
	else
		hub_api_dup_json(resp, ibx_db_result_value(res, 0, 0),
				 (size_t)ibx_db_result_length(res, 0, 0));
	ibx_db_result_free(res);
}

void
hub_api_hospitals_search(hub_api_call *c, const hub_http_request *req,
			 hub_http_response *resp)
{
	hub_hospital_query q;
	char err[256], limit[24], offset[24];
	const char *values[10];

	if (hub_hospital_query_parse(req, &q, err, sizeof(err)) != IBX_OK) {
		hub_api_error(resp, 400, err);
		return;
	}
	snprintf(limit, sizeof(limit), "%ld", q.limit);
	snprintf(offset, sizeof(offset), "%ld", q.offset);
	values[0] = q.treatment;
	values[1] = q.department;
	values[2] = q.language;
	values[3] = q.prefecture;
	values[4] = q.accreditation;
	values[5] = q.accepts;
	values[6] = q.remote_second_opinion ? "true" : NULL;
	values[7] = q.q;
	values[8] = limit;
	values[9] = offset;
	answer_json_row(c, SQL_SEARCH, 10, values, "no result", resp);
}

void
hub_api_hospitals_get(hub_api_call *c, const char *code,
		      const hub_http_request *req, hub_http_response *resp)
{
	const char *values[1] = {code};

	if (req->nargs > 0) {
		hub_api_error(resp, 400, "parameter: none are accepted here");
		return;
	}
	answer_json_row(c, SQL_GET, 1, values,
			"no hospital listed with that code", resp);
}
