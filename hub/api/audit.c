/* The API audit trail; see audit.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "crypto.h"
#include "text.h"

static const char SQL_APPEND[] =
    "SELECT ibx_audit_record($1::bigint, $2, $3, $4, $5, $6, $7::integer, "
    "$8::integer, $9)";
/* The same text the append function hashed (by the entry's format), the
 * stored hashes. */
static const char SQL_CHAIN[] =
    "SELECT id, CASE format WHEN 1 THEN ibx_audit_text(id, at, token_id, "
    "role, org_code, method, path, params, status, cells) ELSE "
    "ibx_audit_text2(id, at, token_id, role, org_code, method, path, "
    "params, status, cells, client) END, prev_hash, hash FROM audit_log "
    "ORDER BY id";
static const char SQL_HEAD[] = "SELECT last_id, hash FROM audit_head";

ibx_err
hub_audit_append(ibx_db *db, const hub_principal *who, const char *method,
		 const char *path, const char *params, int status, int cells,
		 const char *client)
{
	char token[24], st[12], nc[12], m[24], cl[96];
	char p[HUB_AUDIT_ANSWERED_MAX], q[HUB_AUDIT_ANSWERED_MAX];
	size_t cap =
	    status >= 400 ? HUB_AUDIT_REFUSED_MAX : HUB_AUDIT_ANSWERED_MAX;
	const char *v[9];

	/* At most cap - 1 bytes each, escapes and "..." included. */
	ibx_text_escape(m, sizeof(m), method, strlen(method));
	ibx_text_escape(p, cap, path, strlen(path));
	ibx_text_escape(q, cap, params, strlen(params));
	if (client != NULL)
		ibx_text_escape(cl, sizeof(cl), client, strlen(client));

	snprintf(token, sizeof(token), "%" PRId64, who->token_id);
	snprintf(st, sizeof(st), "%d", status);
	snprintf(nc, sizeof(nc), "%d", cells);
	v[0] = who->token_id > 0 ? token : NULL;
	v[1] = who->role != HUB_ROLE_NONE ? hub_role_name(who->role) : NULL;
	v[2] = who->org_code[0] != '\0' ? who->org_code : NULL;
	v[3] = m;
	v[4] = p;
	v[5] = q;
	v[6] = st;
	v[7] = nc;
	v[8] = client != NULL ? cl : NULL;
	return (ibx_db_exec(db, SQL_APPEND, 9, v, NULL));
}

ibx_err
hub_audit_verify(ibx_db *db, int64_t *checked, char *report, size_t n)
{
	ibx_db_result *res = NULL, *head = NULL;
	uint8_t prev[IBX_SHA256_LEN], hash[IBX_SHA256_LEN];
	size_t prev_len = 0, tlen;
	uint8_t *buf = NULL;
	int rows, i;
	ibx_err rv;

	if ((rv = ibx_db_execp_binary(db, SQL_CHAIN, 0, NULL, &res)) !=
		IBX_OK ||
	    (rv = ibx_db_execp_binary(db, SQL_HEAD, 0, NULL, &head)) != IBX_OK)
		goto out;
	rows = ibx_db_result_rows(res);
	for (i = 0; i < rows; i++) {
		const char *text = ibx_db_result_value(res, i, 1);
		const uint8_t *sp =
		    (const uint8_t *)ibx_db_result_value(res, i, 2);
		const uint8_t *sh =
		    (const uint8_t *)ibx_db_result_value(res, i, 3);
		int64_t id = 0;
		int k;

		/* bigint in binary format: 8 bytes, network order. */
		for (k = 0; k < 8; k++)
			id = (id << 8) |
			     (uint8_t)ibx_db_result_value(res, i, 0)[k];
		if ((size_t)ibx_db_result_length(res, i, 2) != prev_len ||
		    (prev_len > 0 && memcmp(sp, prev, prev_len) != 0)) {
			snprintf(
			    report, n,
			    "audit entry %" PRId64
			    ": its previous hash is not "
			    "the hash of the entry before it (an entry was "
			    "removed, inserted or changed)",
			    id);
			rv = IBX_ECRYPTO;
			goto out;
		}
		tlen = (size_t)ibx_db_result_length(res, i, 1);
		free(buf);
		if ((buf = malloc(prev_len + tlen + 1)) == NULL) {
			rv = IBX_ENOMEM;
			goto out;
		}
		memcpy(buf, prev, prev_len);
		memcpy(buf + prev_len, text, tlen);
		ibx_sha256(buf, prev_len + tlen, hash);
		if (ibx_db_result_length(res, i, 3) != IBX_SHA256_LEN ||
		    memcmp(hash, sh, IBX_SHA256_LEN) != 0) {
			snprintf(report, n,
				 "audit entry %" PRId64
				 ": its fields do not match "
				 "its hash (the entry was changed)",
				 id);
			rv = IBX_ECRYPTO;
			goto out;
		}
		memcpy(prev, hash, IBX_SHA256_LEN);
		prev_len = IBX_SHA256_LEN;
	}
	if (ibx_db_result_rows(head) == 1 &&
	    (prev_len == 0 || memcmp(ibx_db_result_value(head, 0, 1), prev,
				     IBX_SHA256_LEN) != 0)) {
		snprintf(
		    report, n,
		    "the newest audit entries were removed: the head records "
		    "a later hash than the last entry");
		rv = IBX_ECRYPTO;
		goto out;
	}
	*checked = rows;
	snprintf(report, n, "audit chain intact: %d entries", rows);
	rv = IBX_OK;
out:
	free(buf);
	ibx_db_result_free(res);
	ibx_db_result_free(head);
	return (rv);
}
