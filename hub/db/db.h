/*
 * The hub's PostgreSQL connection: the only module that includes libpq.
 * Every statement is parameterised (PQexecParams, or prepared once per
 * connection: ibx_db_execp_prepared); SQL text comes from
 * named constants and migrations, never from input.  Errors are logged here
 * with their SQLSTATE and translated: a lost or refused connection is
 * IBX_EDBDOWN (retry later), anything else IBX_EDB.
 */
#ifndef HUB_DB_H
#define HUB_DB_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"

typedef struct ibx_db ibx_db;
typedef struct ibx_db_result ibx_db_result;

/* One statement parameter: text (binary false, len ignored, NULL is SQL
 * NULL) or binary bytes (bytea) of len bytes. */
typedef struct ibx_db_param {
	const char *value;
	int len;
	bool binary;
} ibx_db_param;

/* ibx_db_open: connect with a libpq connection string.  IBX_EDBDOWN when
 * the server cannot be reached.  On IBX_OK close *out with ibx_db_close. */
ibx_err ibx_db_open(const char *dsn, ibx_db **out);

/* ibx_db_dsn_has_password: true when the libpq connection string dsn
 * (key=value or a postgresql:// URI) carries a password.  A password on a
 * command line is readable by every local user in /proc/PID/cmdline (issue
 * 14, finding 4): programs refuse such a --db and take the password from a
 * passfile (passfile=, PGPASSFILE, mode 0600) or a service file
 * (service=, PGSERVICEFILE) instead.  A dsn that does not parse is not
 * said to hold one (connecting reports it). */
bool ibx_db_dsn_has_password(const char *dsn);

/* ibx_db_close: disconnect; NULL is fine. */
void ibx_db_close(ibx_db *db);

/* ibx_db_ensure: reconnect when the connection was lost (PQreset).
 * IBX_EDBDOWN when the server is still unreachable. */
ibx_err ibx_db_ensure(ibx_db *db);

/* ibx_db_exec: run one statement with text parameters values[0..n-1] (NULL
 * entries are SQL NULL).  When out is not NULL and the statement returns
 * rows, *out is set to a result the caller frees with ibx_db_result_free. */
ibx_err ibx_db_exec(ibx_db *db, const char *sql, int n,
		    const char *const *values, ibx_db_result **out);

/* ibx_db_execp: as ibx_db_exec with typed parameters (bytea as binary). */
ibx_err ibx_db_execp(ibx_db *db, const char *sql, int n,
		     const ibx_db_param *params, ibx_db_result **out);

/* ibx_db_execp_prepared: as ibx_db_execp, for a statement run for every
 * message: the first call on this connection prepares sql (PQprepare,
 * parameter types inferred as PQexecParams does) and every call runs the
 * prepared statement (PQexecPrepared), so the server parses and plans it
 * once per connection, not per call (issue 18).  Statements are found by
 * their text (a SQL constant, never built from input); past 32 on one
 * connection the rest run unprepared.  A failure to prepare is returned as
 * the statement's failure (IBX_EDB, IBX_EDBDOWN; ibx_db_sqlstate says
 * which).  A reconnection (ibx_db_ensure) starts a new session, and
 * statements are prepared again there. */
ibx_err ibx_db_execp_prepared(ibx_db *db, const char *sql, int n,
			      const ibx_db_param *params, ibx_db_result **out);

/* ibx_db_execp_pipeline: run the statement sql (prepared as
 * ibx_db_execp_prepared does) once for each of sets parameter sets (params:
 * sets x n, set k at params[k * n]) in one transaction, sent as one libpq
 * pipeline (BEGIN, the sets, COMMIT, Sync): one network round trip for
 * all (issue 18, the intake's group commit).  IBX_OK when every statement
 * and the COMMIT succeeded, with out[k] (sets entries) the result of set k,
 * freed by the caller with ibx_db_result_free.  Otherwise every out[k] is
 * NULL, the first failure is returned (IBX_EDB, IBX_EDBDOWN; the COMMIT's
 * outcome is unknown when the connection was lost) and nothing of the
 * transaction was committed otherwise.  A statement that must not abort
 * the others catches its own errors (ibx_listing_intake). */
ibx_err ibx_db_execp_pipeline(ibx_db *db, const char *sql, int n, int sets,
			      const ibx_db_param *params, ibx_db_result **out);

/* ibx_db_exec_prepared: as ibx_db_exec (text parameters, NULL entries SQL
 * NULL), prepared once per connection as ibx_db_execp_prepared does: for
 * the statements of every API call (the search's match and page, the
 * token lookup, the audit entry), so their parse and analysis are paid
 * once per connection (issue 18, figure 4).  PostgreSQL still plans a
 * statement whose parameters decide the plan (the search's optional
 * filters) for each call's values (its custom plans), and caches the plan
 * of the others. */
ibx_err ibx_db_exec_prepared(ibx_db *db, const char *sql, int n,
			     const char *const *values, ibx_db_result **out);

/* ibx_db_execp_binary: as ibx_db_execp, with every result column in
 * PostgreSQL's binary format (bytea as its raw bytes). */
ibx_err ibx_db_execp_binary(ibx_db *db, const char *sql, int n,
			    const ibx_db_param *params, ibx_db_result **out);

/* ibx_db_script: run a script of several statements with no parameters
 * (migrations only); a script of comments only does nothing. */
ibx_err ibx_db_script(ibx_db *db, const char *sql);

/* ibx_db_sqlstate: the SQLSTATE of the last failed statement ("23505"), or
 * "" after success.  Static until the next call on db. */
const char *ibx_db_sqlstate(const ibx_db *db);

/* ibx_db_last_error: the server's message for the last failure, or "". */
const char *ibx_db_last_error(const ibx_db *db);

/* ibx_db_result_rows / _cols: the shape of a result. */
int ibx_db_result_rows(const ibx_db_result *r);
int ibx_db_result_cols(const ibx_db_result *r);

/* ibx_db_result_value: the text of (row, col); "" for NULL.  Owned by the
 * result. */
const char *ibx_db_result_value(const ibx_db_result *r, int row, int col);

/* ibx_db_result_length: the length of (row, col) in bytes. */
int ibx_db_result_length(const ibx_db_result *r, int row, int col);

/* ibx_db_result_isnull: true when (row, col) is SQL NULL. */
bool ibx_db_result_isnull(const ibx_db_result *r, int row, int col);

/* ibx_db_result_free: release a result; NULL is fine. */
void ibx_db_result_free(ibx_db_result *r);

#endif /* HUB_DB_H */
