/*
 * Coordinator search (GET /api/v1/coordinators): certified travel-support
 * firms by language, country served, service and name.  Every role may
 * search.  A firm whose certification has expired is left out.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "codes.h"
#include "coordinator.h"
#include "query.h"
#include "text.h"

static const char SQL_COORDINATORS[] =
    "WITH m AS (SELECT org_code, version, doc FROM coordinator_listings"
    " WHERE certification_expires >= current_date"
    " AND ($1::text IS NULL OR languages @> ARRAY[$1::text])"
    " AND ($2::text IS NULL OR countries_served @> ARRAY[$2::text])"
    " AND ($3::text IS NULL OR services @> ARRAY[$3::text])"
    " AND ($4::text IS NULL OR strpos(name_ja, $4) > 0"
    "  OR strpos(lower(name_en), lower($4)) > 0))"
    " SELECT json_build_object('total', (SELECT count(*) FROM m),"
    " 'limit', $5::integer, 'offset', $6::integer,"
    " 'coordinators', coalesce((SELECT json_agg(p.doc ||"
    "  jsonb_build_object('version', p.version) ORDER BY p.org_code)"
    "  FROM (SELECT * FROM m ORDER BY org_code LIMIT $5 OFFSET $6) p),"
    " '[]'::json))::text";

void
hub_api_coordinators(hub_api_call *c, const char *arg,
		     const ibx_http_request *req, ibx_http_response *resp)
{
	const char *v[6] = {NULL, NULL, NULL, NULL, NULL, NULL};
	char err[256], lim[24], off[24], shown[48];
	long limit = HUB_QUERY_LIMIT_DEFAULT, offset = 0;
	ibx_db_result *res = NULL;
	size_t i;
	ibx_err rv;

	(void)arg;
	for (i = 0; i < req->nargs; i++) {
		const char *k = req->args[i].key, *val = req->args[i].value;
		bool ok = true;

		if (ibx_http_arg_get(req, k) != val) {
			ibx_text_quote_short(shown, sizeof(shown), k);
			snprintf(err, sizeof(err),
				 "parameter %s: given more than once", shown);
			hub_api_error(resp, 400, err);
			return;
		}
		if (strcmp(k, "language") == 0)
			ok = ibx_code_language(v[0] = val);
		else if (strcmp(k, "country") == 0)
			ok = ibx_code_country(v[1] = val);
		else if (strcmp(k, "service") == 0)
			ok = ibx_code_coordinator_service(v[2] = val);
		else if (strcmp(k, "q") == 0)
			ok = *(v[3] = val) != '\0' && strlen(val) <= 100 &&
			     ibx_text_utf8_valid(val);
		else if (strcmp(k, "limit") == 0 || strcmp(k, "offset") == 0) {
			if (hub_query_long(k, val, k[0] == 'l' ? 1 : 0,
					   k[0] == 'l' ? HUB_QUERY_LIMIT_MAX
						       : HUB_QUERY_OFFSET_MAX,
					   k[0] == 'l' ? &limit : &offset, err,
					   sizeof(err)) != IBX_OK) {
				hub_api_error(resp, 400, err);
				return;
			}
		} else {
			ibx_text_quote_short(shown, sizeof(shown), k);
			snprintf(err, sizeof(err),
				 "parameter %s: unknown parameter", shown);
			hub_api_error(resp, 400, err);
			return;
		}
		if (!ok) {
			ibx_text_quote_short(shown, sizeof(shown), val);
			snprintf(err, sizeof(err),
				 "parameter \"%s\": unknown value %s", k,
				 shown);
			hub_api_error(resp, 400, err);
			return;
		}
	}
	snprintf(lim, sizeof(lim), "%ld", limit);
	snprintf(off, sizeof(off), "%ld", offset);
	v[4] = lim;
	v[5] = off;
	if ((rv = ibx_db_exec(c->db, SQL_COORDINATORS, 6, v, &res)) !=
	    IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	hub_api_dup_json(resp, ibx_db_result_value(res, 0, 0),
			 (size_t)ibx_db_result_length(res, 0, 0));
	ibx_db_result_free(res);
}
