/*
 * The audit trail of the HTTP API: every call (who, role, what, parameters,
 * how many cells, status, when) appended to a hash chain in PostgreSQL
 * (deploy/sql/migrations/004_access.sql), and its verification.
 */
#ifndef HUB_AUDIT_H
#define HUB_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "auth.h"
#include "db.h"
#include "err.h"

/* What is stored of a call's path and parameters, in bytes (before
 * escaping): a refused call (status 400 and above, unauthenticated ones
 * included) keeps little, so that refused calls cannot grow the chain
 * fast (issue 14, finding 5). */
#define HUB_AUDIT_REFUSED_MAX  256
#define HUB_AUDIT_ANSWERED_MAX 4096

/* hub_audit_append: record one call in the chain's format 2
 * (deploy/sql/migrations/026_audit_v2.sql: fields length-prefixed in the hash,
 * the client's address kept).  params is the query string as received (decoded
 * arguments joined with '&'); path and params are escaped (ibx_text_escape: a
 * NUL, a control or a non-UTF-8 byte as \xNN) and cut at HUB_AUDIT_REFUSED_MAX
 * or HUB_AUDIT_ANSWERED_MAX bytes by status; client is the caller's address
 * (or NULL); cells the number of statistics cells or listings answered. Errors
 * are returned so the caller can refuse to answer when the call cannot be
 * recorded.  Returns once the entry is committed: the calls appending at
 * the same moment share one transaction (group commit, audit.c), in the
 * chain's order; IBX_AUDIT_GROUP=off in the environment (benchmarks only)
 * commits each alone.  Thread-safe; the connections given must all reach
 * the same database. */
ibx_err hub_audit_append(ibx_db *db, const hub_principal *who,
			 const char *method, const char *path,
			 const char *params, int status, int cells,
			 const char *client);

/* hub_audit_verify: walk the whole chain in order, recomputing each hash
 * with OpenSSL from the stored fields (by the rule of each entry's format:
 * 1, fields joined with '|', for entries written before migration 026; 2,
 * fields length-prefixed, after), and compare with the stored hashes
 * and the head.  On IBX_OK *checked is the number of entries.  IBX_ECRYPTO
 * with a description of the first broken entry in report (n bytes) when
 * an entry was changed, removed or inserted. */
ibx_err hub_audit_verify(ibx_db *db, int64_t *checked, char *report, size_t n);

#endif /* HUB_AUDIT_H */
