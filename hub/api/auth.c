/* Bearer tokens; see auth.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hex.h"
#include "auth.h"
#include "crypto.h"

static const char SQL_LOOKUP[] =
    "SELECT id, role, coalesce(org_code, '') FROM ibx_token_lookup($1)";

const char *
hub_role_name(hub_role role)
{
	switch (role) {
	case HUB_ROLE_MINISTRY:
		return ("ministry");
	case HUB_ROLE_COORDINATOR:
		return ("coordinator");
	case HUB_ROLE_HOSPITAL:
		return ("hospital");
	case HUB_ROLE_NONE:
		break;
	}
	return ("anonymous");
}

hub_role
hub_role_parse(const char *s)
{
	if (s == NULL)
		return (HUB_ROLE_NONE);
	if (strcmp(s, "ministry") == 0)
		return (HUB_ROLE_MINISTRY);
	if (strcmp(s, "coordinator") == 0)
		return (HUB_ROLE_COORDINATOR);
	if (strcmp(s, "hospital") == 0)
		return (HUB_ROLE_HOSPITAL);
	return (HUB_ROLE_NONE);
}

static bool
token_well_formed(const char *t)
{
	size_t i;

	if (strlen(t) != HUB_TOKEN_LEN || strncmp(t, "ibx_", 4) != 0)
		return (false);
	for (i = 4; i < HUB_TOKEN_LEN; i++)
		if (!((t[i] >= '0' && t[i] <= '9') ||
		      (t[i] >= 'a' && t[i] <= 'f')))
			return (false);
	return (true);
}

ibx_err
hub_auth_identify(ibx_db *db, const char *authorization, hub_principal *out)
{
	uint8_t hash[IBX_SHA256_LEN];
	const char *token;
	ibx_db_param p;
	ibx_db_result *res = NULL;
	ibx_err rv;

	memset(out, 0, sizeof(*out));
	if (authorization == NULL || strncmp(authorization, "Bearer ", 7) != 0)
		return (IBX_ENOTFOUND);
	token = authorization + 7;
	if (!token_well_formed(token))
		return (IBX_ENOTFOUND);
	ibx_sha256((const uint8_t *)token, HUB_TOKEN_LEN, hash);
	p = (ibx_db_param){(const char *)hash, IBX_SHA256_LEN, true};
	if ((rv = ibx_db_execp_prepared(db, SQL_LOOKUP, 1, &p, &res)) !=
	    IBX_OK)
		return (rv == IBX_EDBDOWN ? IBX_EDBDOWN : IBX_EDB);
	if (ibx_db_result_rows(res) != 1) {
		ibx_db_result_free(res);
		return (IBX_ENOTFOUND);
	}
	out->token_id = strtoll(ibx_db_result_value(res, 0, 0), NULL, 10);
	out->role = hub_role_parse(ibx_db_result_value(res, 0, 1));
	snprintf(out->org_code, sizeof(out->org_code), "%s",
		 ibx_db_result_value(res, 0, 2));
	ibx_db_result_free(res);
	return (out->role == HUB_ROLE_NONE ? IBX_ENOTFOUND : IBX_OK);
}

ibx_err
hub_token_new(char token[HUB_TOKEN_LEN + 1], uint8_t hash[32])
{
	uint8_t raw[32];
	ibx_err rv;

	if ((rv = ibx_random(raw, sizeof(raw))) != IBX_OK)
		return (rv);
	memcpy(token, "ibx_", 4);
	ibx_hex_encode(raw, sizeof(raw), token + 4);
	ibx_sha256((const uint8_t *)token, HUB_TOKEN_LEN, hash);
	explicit_bzero(raw, sizeof(raw));
	return (IBX_OK);
}
