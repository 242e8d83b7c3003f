/*
 * libpq wrapper; see db.h.  An ibx_db_result is a PGresult: the typedef
 * keeps libpq out of every other file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "db.h"
#include "log.h"

/* Statements prepared on this connection (ibx_db_execp_prepared), found
 * by their text; statement i is named "ibx_p<i>". */
#define DB_PREPARED_MAX 32

struct ibx_db {
	PGconn *conn;
	char sqlstate[6];
	char error[512];
	char *prepared[DB_PREPARED_MAX]; /* owned copies of the SQL text */
	int nprepared;
};

/* Forget every prepared statement: the session that held them is gone. */
static void
prepared_forget(ibx_db *db)
{
	int i;

	for (i = 0; i < db->nprepared; i++)
		free(db->prepared[i]);
	db->nprepared = 0;
}

static void
notice_quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

ibx_err
ibx_db_open(const char *dsn, ibx_db **out)
{
	ibx_db *db;

	if ((db = calloc(1, sizeof(*db))) == NULL)
		return (IBX_ENOMEM);
	db->conn = PQconnectdb(dsn);
	if (db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK) {
		IBX_ERROR("db: cannot connect: %s",
			  db->conn ? PQerrorMessage(db->conn)
				   : "out of memory");
		PQfinish(db->conn);
		free(db);
		return (IBX_EDBDOWN);
	}
	PQsetNoticeProcessor(db->conn, notice_quiet, NULL);
	*out = db;
	return (IBX_OK);
}

bool
ibx_db_dsn_has_password(const char *dsn)
{
	PQconninfoOption *opts, *o;
	bool found = false;

	if (dsn == NULL || (opts = PQconninfoParse(dsn, NULL)) == NULL)
		return (false);
	for (o = opts; o->keyword != NULL; o++)
		if (strcmp(o->keyword, "password") == 0 && o->val != NULL &&
		    o->val[0] != '\0')
			found = true;
	PQconninfoFree(opts);
	return (found);
}

void
ibx_db_close(ibx_db *db)
{
	if (db == NULL)
		return;
	prepared_forget(db);
	PQfinish(db->conn);
	free(db);
}

ibx_err
ibx_db_ensure(ibx_db *db)
{
	if (PQstatus(db->conn) == CONNECTION_OK)
		return (IBX_OK);
	/* A new session: nothing prepared on the old one is left. */
	prepared_forget(db);
	PQreset(db->conn);
	if (PQstatus(db->conn) != CONNECTION_OK)
		return (IBX_EDBDOWN);
	IBX_INFO("db: reconnected");
	return (IBX_OK);
}

/* Record the outcome of a result; translate a failure. */
static ibx_err
result_check(ibx_db *db, PGresult *res, const char *sql)
{
	ExecStatusType st = PQresultStatus(res);
	const char *state, *msg;

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		db->sqlstate[0] = '\0';
		db->error[0] = '\0';
		return (IBX_OK);
	}
	state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", state ? state : "");
	snprintf(db->error, sizeof(db->error), "%s",
		 msg ? msg : PQerrorMessage(db->conn));
	if (PQstatus(db->conn) != CONNECTION_OK ||
	    (strncmp(db->sqlstate, "08", 2) == 0 &&
	     strcmp(db->sqlstate, "08P01") != 0) ||
	    strncmp(db->sqlstate, "57P", 3) == 0) {
		IBX_WARN("db: connection lost: %s", db->error);
		return (IBX_EDBDOWN);
	}
	/* P0001 is raise_exception from our own functions: input refused,
	 * logged by the caller that knows the context. */
	if (strcmp(db->sqlstate, "P0001") != 0)
		IBX_ERROR("db: %s (SQLSTATE %s) in: %.80s", db->error,
			  db->sqlstate, sql);
	return (IBX_EDB);
}

/* The name of sql prepared on this connection, preparing it first when
 * new (name: at least 16 bytes).  0 when prepared; 1 when the table is full
 * (run it unprepared); -1 when PQprepare failed (the error recorded). */
static int
prepared_name(ibx_db *db, const char *sql, int n, char *name, size_t len)
{
	PGresult *res;
	int i;

	for (i = 0; i < db->nprepared; i++)
		if (strcmp(db->prepared[i], sql) == 0) {
			snprintf(name, len, "ibx_p%d", i);
			return (0);
		}
	if (db->nprepared == DB_PREPARED_MAX)
		return (1);
	if ((db->prepared[db->nprepared] = strdup(sql)) == NULL)
		return (1);
	snprintf(name, len, "ibx_p%d", db->nprepared);
	res = PQprepare(db->conn, name, sql, n, NULL);
	if (result_check(db, res, sql) != IBX_OK) {
		PQclear(res);
		free(db->prepared[db->nprepared]);
		return (-1);
	}
	PQclear(res);
	db->nprepared++;
	return (0);
}

static ibx_err
execp(ibx_db *db, const char *sql, int n, const ibx_db_param *params,
      int result_format, bool prepare, ibx_db_result **out)
{
	const char *values[32];
	int lengths[32], formats[32], i, named = 1;
	char name[16];
	PGresult *res;
	ibx_err rv;

	if (n > 32)
		return (IBX_EINVAL);
	for (i = 0; i < n; i++) {
		values[i] = params[i].value;
		lengths[i] = params[i].len;
		formats[i] = params[i].binary ? 1 : 0;
	}
	if (prepare &&
	    (named = prepared_name(db, sql, n, name, sizeof(name))) < 0)
		return (PQstatus(db->conn) != CONNECTION_OK ? IBX_EDBDOWN
							    : IBX_EDB);
	if (named == 0)
		res = PQexecPrepared(db->conn, name, n, values, lengths,
				     formats, result_format);
	else
		res = PQexecParams(db->conn, sql, n, NULL, values, lengths,
				   formats, result_format);
	if ((rv = result_check(db, res, sql)) != IBX_OK || out == NULL) {
		PQclear(res);
		return (rv);
	}
	*out = (ibx_db_result *)res;
	return (IBX_OK);
}

ibx_err
ibx_db_execp(ibx_db *db, const char *sql, int n, const ibx_db_param *params,
	     ibx_db_result **out)
{
	return (execp(db, sql, n, params, 0, false, out));
}

ibx_err
ibx_db_execp_prepared(ibx_db *db, const char *sql, int n,
		      const ibx_db_param *params, ibx_db_result **out)
{
	return (execp(db, sql, n, params, 0, true, out));
}

/* The result of the next query in the pipeline, and the NULL after it. */
static PGresult *
pipeline_next(PGconn *conn)
{
	PGresult *res = PQgetResult(conn), *extra;

	if (res != NULL && PQresultStatus(res) != PGRES_PIPELINE_SYNC)
		while ((extra = PQgetResult(conn)) != NULL)
			PQclear(extra);
	return (res);
}

ibx_err
ibx_db_execp_pipeline(ibx_db *db, const char *sql, int n, int sets,
		      const ibx_db_param *params, ibx_db_result **out)
{
	static const char *const tx[2] = {"BEGIN", "COMMIT"};
	const char *values[32];
	int lengths[32], formats[32], i, k, named;
	char name[16];
	PGresult *res;
	ibx_err rv = IBX_OK;

	if (n > 32 || sets < 1)
		return (IBX_EINVAL);
	for (k = 0; k < sets; k++)
		out[k] = NULL;
	if ((named = prepared_name(db, sql, n, name, sizeof(name))) < 0)
		return (PQstatus(db->conn) != CONNECTION_OK ? IBX_EDBDOWN
							    : IBX_EDB);
	if (named != 0 || PQenterPipelineMode(db->conn) != 1) {
		snprintf(db->sqlstate, sizeof(db->sqlstate), "%s", "");
		snprintf(db->error, sizeof(db->error),
			 "cannot pipeline the statement");
		return (IBX_EDB);
	}
	/* Sent together: BEGIN, the statement once per set, COMMIT, Sync. */
	if (PQsendQueryParams(db->conn, tx[0], 0, NULL, NULL, NULL, NULL, 0) !=
	    1)
		rv = IBX_EDBDOWN;
	for (k = 0; rv == IBX_OK && k < sets; k++) {
		for (i = 0; i < n; i++) {
			values[i] = params[k * n + i].value;
			lengths[i] = params[k * n + i].len;
			formats[i] = params[k * n + i].binary ? 1 : 0;
		}
		if (PQsendQueryPrepared(db->conn, name, n, values, lengths,
					formats, 0) != 1)
			rv = IBX_EDBDOWN;
	}
	if (rv == IBX_OK && (PQsendQueryParams(db->conn, tx[1], 0, NULL, NULL,
					       NULL, NULL, 0) != 1 ||
			     PQpipelineSync(db->conn) != 1))
		rv = IBX_EDBDOWN;
	if (rv != IBX_OK) {
		snprintf(db->error, sizeof(db->error), "%s",
			 PQerrorMessage(db->conn));
		IBX_WARN("db: cannot send a pipeline: %s", db->error);
		(void)PQexitPipelineMode(db->conn);
		return (IBX_EDBDOWN);
	}
	/* The answers in order; the first failure is the pipeline's (those
	 * after it are PGRES_PIPELINE_ABORTED: not run). */
	for (k = -1; k <= sets; k++) {
		if ((res = pipeline_next(db->conn)) == NULL) {
			rv = rv != IBX_OK ? rv : result_check(db, NULL, sql);
			break;
		}
		if (rv == IBX_OK &&
		    (rv = result_check(db, res, sql)) == IBX_OK && k >= 0 &&
		    k < sets) {
			out[k] = (ibx_db_result *)res;
			continue;
		}
		PQclear(res);
	}
	/* Up to and including the Sync's answer. */
	while ((res = PQgetResult(db->conn)) != NULL) {
		ExecStatusType st = PQresultStatus(res);

		PQclear(res);
		if (st == PGRES_PIPELINE_SYNC)
			break;
	}
	(void)PQexitPipelineMode(db->conn);
	if (rv != IBX_OK) {
		for (k = 0; k < sets; k++) {
			PQclear((PGresult *)out[k]);
			out[k] = NULL;
		}
		/* A failed statement left the transaction aborted. */
		if (PQstatus(db->conn) == CONNECTION_OK &&
		    PQtransactionStatus(db->conn) != PQTRANS_IDLE) {
			res = PQexec(db->conn, "ROLLBACK");
			PQclear(res);
		}
	}
	return (rv);
}

ibx_err
ibx_db_exec_prepared(ibx_db *db, const char *sql, int n,
		     const char *const *values, ibx_db_result **out)
{
	ibx_db_param params[32];
	int i;

	if (n > 32)
		return (IBX_EINVAL);
	for (i = 0; i < n; i++) {
		params[i].value = values[i];
		params[i].len = 0;
		params[i].binary = false;
	}
	return (execp(db, sql, n, params, 0, true, out));
}

ibx_err
ibx_db_execp_binary(ibx_db *db, const char *sql, int n,
		    const ibx_db_param *params, ibx_db_result **out)
{
	return (execp(db, sql, n, params, 1, false, out));
}

ibx_err
ibx_db_exec(ibx_db *db, const char *sql, int n, const char *const *values,
	    ibx_db_result **out)
{
	PGresult *res;
	ibx_err rv;

	res = PQexecParams(db->conn, sql, n, NULL, values, NULL, NULL, 0);
	if ((rv = result_check(db, res, sql)) != IBX_OK || out == NULL) {
		PQclear(res);
		return (rv);
	}
	*out = (ibx_db_result *)res;
	return (IBX_OK);
}

ibx_err
ibx_db_script(ibx_db *db, const char *sql)
{
	PGresult *res = PQexec(db->conn, sql);
	ibx_err rv;

	/* A script of comments only (part of a migration) does nothing. */
	if (PQresultStatus(res) == PGRES_EMPTY_QUERY) {
		PQclear(res);
		return (IBX_OK);
	}
	rv = result_check(db, res, "(script)");

	PQclear(res);
	return (rv);
}

const char *
ibx_db_sqlstate(const ibx_db *db)
{
	return (db->sqlstate);
}

const char *
ibx_db_last_error(const ibx_db *db)
{
	return (db->error);
}

int
ibx_db_result_rows(const ibx_db_result *r)
{
	return (PQntuples((const PGresult *)r));
}

int
ibx_db_result_cols(const ibx_db_result *r)
{
	return (PQnfields((const PGresult *)r));
}

const char *
ibx_db_result_value(const ibx_db_result *r, int row, int col)
{
	const char *v = PQgetvalue((const PGresult *)r, row, col);

	/* Out of range is a programming error; "" keeps it from crashing. */
	return (v != NULL ? v : "");
}

int
ibx_db_result_length(const ibx_db_result *r, int row, int col)
{
	return (PQgetlength((const PGresult *)r, row, col));
}

bool
ibx_db_result_isnull(const ibx_db_result *r, int row, int col)
{
	return (PQgetisnull((const PGresult *)r, row, col) != 0);
}

void
ibx_db_result_free(ibx_db_result *r)
{
	PQclear((PGresult *)r);
}
