/*
 * inboundctl commands for HTTP access and reference data: API tokens, the
 * audit chain, reference series.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "auth.h"
#include "crypto.h"
#include "ctl.h"
#include "listing.h"
#include "series.h"

/* No row when the expiry is past now + $6 days. */
static const char SQL_TOKEN_CREATE[] =
    "INSERT INTO api_tokens (token_hash, role, org_code, label, expires_at)"
    " SELECT $1, $2, $3, $4, e FROM (SELECT CASE"
    "  WHEN $5 ~ '^[0-9]+d$' THEN now() + left($5, -1)::integer"
    "   * interval '1 day'"
    "  ELSE $5::date::timestamptz END AS e) x"
    " WHERE e <= now() + $6::integer * interval '1 day'"
    " RETURNING id, expires_at";
enum { CREATED_ID, CREATED_EXPIRES };
static const char SQL_TOKEN_REVOKE[] =
    "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, now())"
    " WHERE id = $1::bigint OR token_hash = $2 RETURNING id";
enum { REVOKED_ID };
static const char SQL_TOKEN_LIST[] =
    "SELECT id, role, coalesce(org_code, '-'), coalesce(label, '-'),"
    " created_at::date, coalesce(expires_at::text, '-'),"
    " CASE WHEN revoked_at IS NOT NULL THEN 'revoked'"
    "  WHEN expires_at <= now() THEN 'expired' ELSE 'valid' END"
    " FROM api_tokens ORDER BY id";
enum {
	LIST_ID,
	LIST_ROLE,
	LIST_ORG,
	LIST_LABEL,
	LIST_CREATED,
	LIST_EXPIRES,
	LIST_STATE
};

static int
expires_valid(const char *s)
{
	size_t n = strlen(s), i;

	if (n >= 2 && s[n - 1] == 'd') {
		for (i = 0; i < n - 1; i++)
			if (s[i] < '0' || s[i] > '9')
				return (0);
		return (n <= 6);
	}
	return (ibx_date_valid(s));
}

int
ctl_token_create(const struct ctl_config *c, ibx_db *db)
{
	char token[HUB_TOKEN_LEN + 1];
	uint8_t hash[IBX_SHA256_LEN];
	ibx_db_param p[6];
	ibx_db_result *res = NULL;
	hub_role role = hub_role_parse(c->role);
	const char *expires =
	    c->expires != NULL ? c->expires : HUB_TOKEN_LIFETIME_DEFAULT;
	char max_days[12];

	if (role == HUB_ROLE_NONE) {
		fprintf(stderr, "inboundctl: --role must be ministry, "
				"coordinator or hospital\n");
		return (2);
	}
	/* A coordinator's token may name its organisation (migration 091:
	 * the referrals it sent); a ministry token never does. */
	if ((role == HUB_ROLE_HOSPITAL && c->org == NULL) ||
	    (role == HUB_ROLE_MINISTRY && c->org != NULL)) {
		fprintf(stderr,
			"inboundctl: --org CODE is required for a "
			"hospital token, optional for a coordinator's, "
			"and refused for the ministry's\n");
		return (2);
	}
	if (c->org != NULL && !ibx_digits(c->org, 10)) {
		fprintf(stderr, "inboundctl: --org: 10 digits\n");
		return (2);
	}
	if (!expires_valid(expires)) {
		fprintf(stderr,
			"inboundctl: --expires: YYYY-MM-DD or a number of "
			"days like 30d, at most %d days ahead (a token never "
			"expiring is refused)\n",
			HUB_TOKEN_LIFETIME_MAX_DAYS);
		return (2);
	}
	snprintf(max_days, sizeof(max_days), "%d",
		 HUB_TOKEN_LIFETIME_MAX_DAYS);
	if (hub_token_new(token, hash) != IBX_OK) {
		fprintf(stderr, "inboundctl: no randomness for a token\n");
		return (1);
	}
	p[0] = (ibx_db_param){(const char *)hash, IBX_SHA256_LEN, true};
	p[1] = (ibx_db_param){hub_role_name(role), 0, false};
	p[2] = (ibx_db_param){c->org, 0, false};
	p[3] = (ibx_db_param){c->label, 0, false};
	p[4] = (ibx_db_param){expires, 0, false};
	p[5] = (ibx_db_param){max_days, 0, false};
	if (ibx_db_execp(db, SQL_TOKEN_CREATE, 6, p, &res) != IBX_OK) {
		fprintf(stderr, "inboundctl: token not created: %s\n",
			ibx_db_last_error(db));
		explicit_bzero(token, sizeof(token));
		return (1);
	}
	if (ibx_db_result_rows(res) != 1) {
		fprintf(stderr,
			"inboundctl: --expires %s: at most %d days ahead\n",
			expires, HUB_TOKEN_LIFETIME_MAX_DAYS);
		ibx_db_result_free(res);
		explicit_bzero(token, sizeof(token));
		return (2);
	}
	/* The token itself is shown once and stored nowhere. */
	printf("%s\n", token);
	fprintf(stderr, "token %s: role %s%s%s, expires %s\n",
		ibx_db_result_value(res, 0, CREATED_ID), hub_role_name(role),
		c->org ? ", organisation " : "", c->org ? c->org : "",
		ibx_db_result_isnull(res, 0, CREATED_EXPIRES)
		    ? "never"
		    : ibx_db_result_value(res, 0, CREATED_EXPIRES));
	explicit_bzero(token, sizeof(token));
	ibx_db_result_free(res);
	return (0);
}

int
ctl_token_revoke(const struct ctl_config *c, ibx_db *db)
{
	uint8_t hash[IBX_SHA256_LEN] = {0};
	char id[24] = "0";
	ibx_db_param p[2];
	ibx_db_result *res = NULL;
	int status;

	if ((c->id <= 0) == (c->token == NULL)) {
		fprintf(stderr, "inboundctl: token revoke takes --id N or "
				"--token TOKEN\n");
		return (2);
	}
	if (c->id > 0)
		snprintf(id, sizeof(id), "%lld", c->id);
	if (c->token != NULL)
		ibx_sha256((const uint8_t *)c->token, strlen(c->token), hash);
	p[0] = (ibx_db_param){id, 0, false};
	p[1] = (ibx_db_param){(const char *)hash, IBX_SHA256_LEN, true};
	if (ibx_db_execp(db, SQL_TOKEN_REVOKE, 2, p, &res) != IBX_OK) {
		fprintf(stderr, "inboundctl: %s\n", ibx_db_last_error(db));
		return (1);
	}
	if (ibx_db_result_rows(res) == 0) {
		fprintf(stderr, "inboundctl: no such token\n");
		status = 1;
	} else {
		printf("token %s revoked\n",
		       ibx_db_result_value(res, 0, REVOKED_ID));
		status = 0;
	}
	ibx_db_result_free(res);
	return (status);
}

int
ctl_token_list(const struct ctl_config *c, ibx_db *db)
{
	ibx_db_result *res = NULL;
	int i;

	(void)c;
	if (ibx_db_exec(db, SQL_TOKEN_LIST, 0, NULL, &res) != IBX_OK)
		return (1);
	printf("%-6s %-12s %-11s %-20s %-11s %-30s %s\n", "id", "role", "org",
	       "label", "created", "expires", "state");
	for (i = 0; i < ibx_db_result_rows(res); i++)
		printf("%-6s %-12s %-11s %-20.20s %-11s %-30s %s\n",
		       ibx_db_result_value(res, i, LIST_ID),
		       ibx_db_result_value(res, i, LIST_ROLE),
		       ibx_db_result_value(res, i, LIST_ORG),
		       ibx_db_result_value(res, i, LIST_LABEL),
		       ibx_db_result_value(res, i, LIST_CREATED),
		       ibx_db_result_value(res, i, LIST_EXPIRES),
		       ibx_db_result_value(res, i, LIST_STATE));
	ibx_db_result_free(res);
	return (0);
}

int
ctl_audit_verify(const struct ctl_config *c, ibx_db *db)
{
	char report[512];
	int64_t checked = 0;
	ibx_err rv;

	(void)c;
	rv = hub_audit_verify(db, &checked, report, sizeof(report));
	printf("%s\n", report);
	return (rv == IBX_OK ? 0 : 1);
}

int
ctl_series_import(const struct ctl_config *c, ibx_db *db)
{
	hub_series_columns cols = {
	    c->period_column != NULL ? c->period_column : "period",
	    c->nationality_column,
	    c->value_column != NULL ? c->value_column : "value",
	};
	char err[512];
	size_t rows = 0;

	if (c->name == NULL || c->file == NULL) {
		fprintf(stderr, "inboundctl: series import needs --name and "
				"--file\n");
		return (2);
	}
	if (hub_series_import(db, c->name, c->file, &cols, &rows, err,
			      sizeof(err)) != IBX_OK) {
		fprintf(stderr, "%s: series not imported: %s\n", c->file, err);
		return (1);
	}
	printf("series %s: %zu points imported from %s\n", c->name, rows,
	       c->file);
	return (0);
}
