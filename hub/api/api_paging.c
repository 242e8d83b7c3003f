/*
 * Paging of the API's lists (issue 17): every list that can grow long
 * (/hospitals, /coordinators, /submissions, /completeness and large
 * /statistics tables) answers with the same three numbers beside its rows:
 * "total" (rows that match, before paging), "limit" (the page size used)
 * and "offset" (rows skipped), and takes limit and offset as parameters
 * checked the same way (query.c's hub_query_long).  Each resource picks its
 * own default and largest page; the offset's bound is query.h's.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "query.h"

int
hub_api_page_param(const char *key)
{
	return (strcmp(key, "limit") == 0 || strcmp(key, "offset") == 0);
}

int
hub_api_args_unique(const ibx_http_request *req, ibx_http_response *resp)
{
	char err[96];
	size_t i, j;

	for (i = 0; i < req->nargs; i++)
		for (j = 0; j < i; j++)
			if (strcmp(req->args[i].key, req->args[j].key) == 0) {
				snprintf(err, sizeof(err),
					 "parameter \"%.40s\": given more "
					 "than once",
					 req->args[i].key);
				hub_api_error(resp, 400, err);
				return (-1);
			}
	return (0);
}

int
hub_api_page_parse(const ibx_http_request *req, long def, long max,
		   hub_api_page *pg, ibx_http_response *resp)
{
	const char *limit = ibx_http_arg_get(req, "limit");
	const char *offset = ibx_http_arg_get(req, "offset");
	char err[128];

	pg->limit = def;
	pg->offset = 0;
	if ((limit != NULL &&
	     hub_query_long("limit", limit, 1, max, &pg->limit, err,
			    sizeof(err)) != IBX_OK) ||
	    (offset != NULL &&
	     hub_query_long("offset", offset, 0, HUB_QUERY_OFFSET_MAX,
			    &pg->offset, err, sizeof(err)) != IBX_OK)) {
		hub_api_error(resp, 400, err);
		return (-1);
	}
	return (0);
}
