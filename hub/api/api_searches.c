/*
 * A signed-in person's saved searches (issue 17): a name and the filters
 * of a search page (the page's own query text: filters, sort, page), kept
 * at the hub per account so that they follow the person from tab to tab
 * and day to day; the page runs one by opening its address again.  Only
 * people have them: a bearer token is refused (403).  A person sees and
 * deletes only their own: every statement takes the account from the
 * session, and another person's search answers as none does (404).  At
 * most 50 each (deploy/sql/migrations/085_saved_searches.sql).
 *
 *   GET    /api/v1/searches       {"searches": [...], "total": n}
 *   POST   /api/v1/searches       {"name", "page", "query"} -> 201, the list
 *   DELETE /api/v1/searches/{id}  -> 200, the list
 *
 * The query text is checked here for form only (the characters a browser's
 * URLSearchParams writes, at most 2,000); the search API checks its
 * meaning each time the search runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "api.h"
#include "listing.h"

static const char SQL_LIST[] =
    "SELECT id, name, page, query, created_at FROM ibx_saved_searches("
    "$1::bigint)";
enum { COL_ID, COL_NAME, COL_PAGE, COL_QUERY, COL_CREATED };
static const char SQL_ADD[] =
    "SELECT ibx_saved_search_add($1::bigint, $2, $3, $4)";
static const char SQL_REMOVE[] =
    "SELECT ibx_saved_search_remove($1::bigint, $2::bigint)";

#define SEARCH_NAME_MAX	 100  /* characters */
#define SEARCH_QUERY_MAX 2000 /* bytes */

static int
person(hub_api_call *c, ibx_http_response *resp)
{
	if (c->who.account_id > 0)
		return (1);
	hub_api_error(resp, 403,
		      "searches: kept for people signed in with an account, "
		      "not for bearer tokens");
	return (0);
}

/* Answer status with the person's searches, read on db. */
static void
answer_list(hub_api_call *c, ibx_db *db, int status, ibx_http_response *resp)
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
	for (i = 0; i < ibx_db_result_rows(res); i++)
		json_array_append_new(
		    list,
		    json_pack(
			"{s:I,s:s,s:s,s:s,s:s}", "id",
			(json_int_t)strtoll(
			    ibx_db_result_value(res, i, COL_ID), NULL, 10),
			"name", ibx_db_result_value(res, i, COL_NAME), "page",
			ibx_db_result_value(res, i, COL_PAGE), "query",
			ibx_db_result_value(res, i, COL_QUERY), "created_at",
			ibx_db_result_value(res, i, COL_CREATED)));
	o = json_pack("{s:o,s:i}", "searches", list, "total",
		      ibx_db_result_rows(res));
	hub_api_json(resp, status,
		     o != NULL ? json_dumps(o, JSON_COMPACT) : NULL);
	json_decref(o);
	ibx_db_result_free(res);
}

void
hub_api_searches_get(hub_api_call *c, const char *arg,
		     const ibx_http_request *req, ibx_http_response *resp)
{
	(void)arg;
	if (req->nargs > 0) {
		hub_api_error(resp, 400, "parameter: none is taken");
		return;
	}
	if (person(c, resp))
		answer_list(c, c->db, 200, resp);
}

/* Whether s is the query text of a page's address: what URLSearchParams
 * writes (letters, digits, % escapes, & = * . _ + -), 0 to max bytes. */
static int
query_text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n > max)
		return (0);
	return (strspn(s,
		       "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		       "0123456789%&=*._+-") == n);
}

/* Whether name is 1 to SEARCH_NAME_MAX characters of UTF-8 (jansson has
 * checked the encoding) without control characters. */
static int
name_ok(const char *s)
{
	size_t chars = 0;
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f)
			return (0);
		chars += (*p & 0xc0) != 0x80;
	}
	return (chars >= 1 && chars <= SEARCH_NAME_MAX);
}

/* The body of a POST, checked: name, page and query (borrowed from root);
 * NULL, or the reason naming the field. */
static const char *
parse_body(const ibx_http_request *req, json_t **root, const char **name,
	   const char **page, const char **query)
{
	json_error_t je;
	json_t *v;

	if (req->content_type == NULL ||
	    strncmp(req->content_type, "application/json", 16) != 0)
		return ("body: Content-Type must be application/json");
	if (req->body == NULL ||
	    (*root = json_loadb(req->body, req->body_len, 0, &je)) == NULL ||
	    !json_is_object(*root))
		return ("body: a JSON object with name, page and query is "
			"required");
	v = json_object_get(*root, "name");
	if (!json_is_string(v) || !name_ok(json_string_value(v)))
		return ("field \"name\": required, 1 to 100 characters, no "
			"control characters");
	*name = json_string_value(v);
	v = json_object_get(*root, "page");
	if (!json_is_string(v) ||
	    (strcmp(json_string_value(v), "search") != 0 &&
	     strcmp(json_string_value(v), "coordinators") != 0))
		return ("field \"page\": must be search or coordinators");
	*page = json_string_value(v);
	v = json_object_get(*root, "query");
	if (!json_is_string(v) ||
	    !query_text_ok(json_string_value(v), SEARCH_QUERY_MAX))
		return ("field \"query\": the page's query text (as "
			"URLSearchParams writes it), at most 2000 bytes");
	*query = json_string_value(v);
	if (json_object_size(*root) != 3)
		return ("body: only name, page and query");
	return (NULL);
}

void
hub_api_searches_post(hub_api_call *c, const char *arg,
		      const ibx_http_request *req, ibx_http_response *resp)
{
	const char *name = NULL, *page = NULL, *query = NULL, *why, *out;
	char id[24];
	const char *v[4] = {id, NULL, NULL, NULL};
	ibx_db_result *res = NULL;
	json_t *root = NULL;
	ibx_db *db = NULL;
	ibx_err rv;

	(void)arg;
	if (!person(c, resp))
		return;
	if ((why = parse_body(req, &root, &name, &page, &query)) != NULL) {
		hub_api_error(resp, 400, why);
		goto out;
	}
	snprintf(id, sizeof(id), "%lld", (long long)c->who.account_id);
	v[1] = name;
	v[2] = page;
	v[3] = query;
	if ((rv = hub_api_write_db(c, &db)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		goto out;
	}
	if ((rv = ibx_db_exec(db, SQL_ADD, 4, v, &res)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		goto out;
	}
	out = ibx_db_result_value(res, 0, 0);
	if (strcmp(out, "exists") == 0)
		hub_api_error(resp, 409,
			      "field \"name\": you already have a search of "
			      "this name");
	else if (strcmp(out, "full") == 0)
		hub_api_error(resp, 409,
			      "searches: at most 50; delete one first");
	else
		answer_list(c, db, 201, resp);
out:
	ibx_db_result_free(res);
	if (db != NULL)
		hub_api_write_db_give(c, db != c->db ? db : NULL);
	json_decref(root);
}

void
hub_api_searches_delete(hub_api_call *c, const char *arg,
			const ibx_http_request *req, ibx_http_response *resp)
{
	char id[24];
	const char *v[2] = {id, arg};
	ibx_db_result *res = NULL;
	ibx_db *db = NULL;
	size_t n = strlen(arg);
	ibx_err rv;

	(void)req;
	if (!person(c, resp))
		return;
	if (n == 0 || n > 18 || strspn(arg, "0123456789") != n) {
		hub_api_error(resp, 400,
			      "path: a saved search's id is a whole number");
		return;
	}
	snprintf(id, sizeof(id), "%lld", (long long)c->who.account_id);
	if ((rv = hub_api_write_db(c, &db)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	if ((rv = ibx_db_exec(db, SQL_REMOVE, 2, v, &res)) != IBX_OK)
		hub_api_db_error(resp, rv);
	else if (strcmp(ibx_db_result_value(res, 0, 0), "t") != 0)
		hub_api_error(resp, 404,
			      "path: you have no saved search "
			      "with this id");
	else
		answer_list(c, db, 200, resp);
	ibx_db_result_free(res);
	hub_api_write_db_give(c, db != c->db ? db : NULL);
}
