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

/* hub_audit_append: record one call.  params is the query string as
 * received (decoded arguments joined with '&'); cells the number of
 * statistics cells or listings answered.  Errors are returned so the
 * caller can refuse to answer when the call cannot be recorded. */
ibx_err hub_audit_append(ibx_db *db, const hub_principal *who,
			 const char *method, const char *path,
			 const char *params, int status, int cells);

/* hub_audit_verify: walk the whole chain in order, recomputing each hash
 * with OpenSSL from the stored fields, and compare with the stored hashes
 * and the head.  On IBX_OK *checked is the number of entries.  IBX_ECRYPTO
 * with a description of the first broken entry in report (n bytes) when
 * an entry was changed, removed or inserted. */
ibx_err hub_audit_verify(ibx_db *db, int64_t *checked, char *report, size_t n);

#endif /* HUB_AUDIT_H */
