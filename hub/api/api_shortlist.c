/*
 * A signed-in person's shortlist of hospitals (issue 17): kept at the hub
 * per account, so it follows the person from tab to tab and from day to
 * day.  Only people have one: a bearer token is refused (403).  At most 50
 * hospitals, each listed when added (deploy/sql/migrations/060_accounts.sql).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"

static const char SQL_LIST[] =
    "SELECT s.org_code, s.added_at, s.listed, coalesce(h.name_ja, ''), "
    "coalesce(h.name_en, '') FROM ibx_shortlist($1::bigint) s "
    "LEFT JOIN hospital_listings h ON h.org_code = s.org_code";
enum { COL_CODE, COL_ADDED, COL_LISTED, COL_NAME_JA, COL_NAME_EN };
static const char SQL_ADD[] = "SELECT ibx_shortlist_add($1::bigint, $2)";
static const char SQL_REMOVE[] = "SELECT ibx_shortlist_remove($1::bigint, $2)";

static int
person(hub_api_call *c, ibx_http_response *resp)
{
	if (c->who.account_id > 0)
		return (1);
	hub_api_error(resp, 403,
		      "shortlist: kept for people signed in with an account, "
		      "not for bearer tokens");
	return (0);
}

/* The shortlist as JSON: {"hospitals": [{organisation_code, name,
 * added_at, listed}], "total": n}. */
static void
answer_list(hub_api_call *c, ibx_db *db, ibx_http_response *resp)
{
	char id[24];
	const char *v[1] = {id};
	ibx_db_result *res = NULL;
	json_t *o, *list;
	ibx_err rv;
	int i;

	snprintf(id, sizeof(id), "%lld", (long long)c->who.account_id);
	if ((rv = ibx_db_exec(db, SQL_LIST, 1, v, &res)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	list = json_array();
	for (i = 0; i < ibx_db_result_rows(res); i++) {
		const char *en = ibx_db_result_value(res, i, COL_NAME_EN);

		json_array_append_new(
		    list,
		    json_pack("{s:s,s:{s:s,s:o},s:s,s:b}", "organisation_code",
			      ibx_db_result_value(res, i, COL_CODE), "name",
			      "ja", ibx_db_result_value(res, i, COL_NAME_JA),
			      "en",
			      en[0] != '\0' ? json_string(en) : json_null(),
			      "added_at",
			      ibx_db_result_value(res, i, COL_ADDED), "listed",
			      strcmp(ibx_db_result_value(res, i, COL_LISTED),
				     "t") == 0));
	}
	o = json_pack("{s:o,s:i}", "hospitals", list, "total",
		      ibx_db_result_rows(res));
	hub_api_json(resp, 200,
		     o != NULL ? json_dumps(o, JSON_COMPACT) : NULL);
	json_decref(o);
	ibx_db_result_free(res);
}

/* GET /api/v1/shortlist */
void
hub_api_shortlist_get(hub_api_call *c, const char *arg,
		      const ibx_http_request *req, ibx_http_response *resp)
{
	(void)arg;
	(void)req;
	if (person(c, resp))
		answer_list(c, c->db, resp);
}

/* PUT or DELETE /api/v1/shortlist/{code}: change, then the new list. */
static void
change(hub_api_call *c, const char *sql, const char *code,
       ibx_http_response *resp)
{
	char id[24];
	const char *v[2] = {id, code};
	ibx_db_result *res = NULL;
	ibx_db *db = NULL;
	const char *out;
	ibx_err rv;

	if (!person(c, resp))
		return;
	snprintf(id, sizeof(id), "%lld", (long long)c->who.account_id);
	if ((rv = hub_api_write_db(c, &db)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	if ((rv = ibx_db_exec(db, sql, 2, v, &res)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		goto out;
	}
	out = ibx_db_result_value(res, 0, 0);
	if (strcmp(out, "not listed") == 0)
		hub_api_error(resp, 404,
			      "path: no hospital with this code is listed");
	else if (strcmp(out, "full") == 0)
		hub_api_error(resp, 409,
			      "shortlist: at most 50 hospitals; remove one "
			      "first");
	else
		answer_list(c, c->db, resp);
out:
	ibx_db_result_free(res);
	hub_api_write_db_give(c, db != c->db ? db : NULL);
}

void
hub_api_shortlist_put(hub_api_call *c, const char *arg,
		      const ibx_http_request *req, ibx_http_response *resp)
{
	(void)req;
	change(c, SQL_ADD, arg, resp);
}

void
hub_api_shortlist_delete(hub_api_call *c, const char *arg,
			 const ibx_http_request *req, ibx_http_response *resp)
{
	(void)req;
	change(c, SQL_REMOVE, arg, resp);
}
