/* Applying deploy/sql migrations and functions; see migrate.h. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file.h"
#include "log.h"
#include "migrate.h"

#define MIGRATION_MAX_BYTES (4 * 1024 * 1024)

static const char SQL_TABLE[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " name text PRIMARY KEY,"
    " applied_at timestamptz NOT NULL DEFAULT now())";
/* An arbitrary constant shared by every hub: "IBXM". */
static const char SQL_LOCK[] = "SELECT pg_advisory_xact_lock(1229084749)";
static const char SQL_APPLIED[] =
    "SELECT 1 FROM schema_migrations WHERE name = $1";
static const char SQL_RECORD[] =
    "INSERT INTO schema_migrations (name) VALUES ($1)";

/* The .sql files of one folder, in name order. */
struct sql_files {
	char **names;
	size_t n;
};

static void
sql_files_clear(struct sql_files *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		free(s->names[i]);
	free(s->names);
	s->names = NULL;
	s->n = 0;
}

static int
cmp_names(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static ibx_err
list_sql_files(const char *dir, struct sql_files *out)
{
	DIR *d;
	struct dirent *e;
	char **nv;
	size_t len;
	ibx_err rv = IBX_OK;

	if ((d = opendir(dir)) == NULL) {
		IBX_ERROR("migrate: cannot open %s: %s", dir, strerror(errno));
		return (IBX_EIO);
	}
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		if ((nv = realloc(out->names, (out->n + 1) * sizeof(*nv))) ==
		    NULL) {
			rv = IBX_ENOMEM;
			break;
		}
		out->names = nv;
		if ((out->names[out->n] = strdup(e->d_name)) == NULL) {
			rv = IBX_ENOMEM;
			break;
		}
		out->n++;
	}
	closedir(d);
	if (rv != IBX_OK) {
		sql_files_clear(out);
		return (rv);
	}
	if (out->n > 0)
		qsort(out->names, out->n, sizeof(*out->names), cmp_names);
	return (IBX_OK);
}

/* Run sql, the text (or part) of dir/name; a failure is logged with the
 * file's name and SQLSTATE. */
static ibx_err
run_script(ibx_db *db, const char *dir, const char *name, const char *sql)
{
	ibx_err rv;

	if ((rv = ibx_db_script(db, sql)) != IBX_OK)
		IBX_ERROR("migrate: %s/%s failed: %s (SQLSTATE %s)", dir, name,
			  ibx_db_last_error(db), ibx_db_sqlstate(db));
	return (rv);
}

static ibx_err
read_sql(const char *dir, const char *name, char **out)
{
	char path[4096];
	ibx_err rv;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path)) {
		IBX_ERROR("migrate: path %s/%s too long", dir, name);
		return (IBX_EIO);
	}
	if ((rv = ibx_file_read(path, MIGRATION_MAX_BYTES, out, NULL)) ==
	    IBX_EIO)
		IBX_ERROR("migrate: cannot read %s: %s", path,
			  strerror(errno));
	else if (rv == IBX_ETOOBIG)
		IBX_ERROR("migrate: %s is over %d bytes", path,
			  MIGRATION_MAX_BYTES);
	return (rv);
}

/*
 * Apply the pending migrations, then the functions, then the parts of the
 * applied migrations after their marker; the caller holds the transaction.
 */
static ibx_err
apply_all(ibx_db *db, const char *mig_dir, const char *fun_dir, int *applied)
{
	struct sql_files mig = {0}, fun = {0};
	ibx_db_result *res = NULL;
	char **sql = NULL, *after;
	const char *params[1];
	size_t i, mark_len = strlen(HUB_MIGRATE_AFTER_FUNCTIONS);
	int count = 0;
	ibx_err rv;

	if ((rv = list_sql_files(mig_dir, &mig)) != IBX_OK ||
	    (rv = list_sql_files(fun_dir, &fun)) != IBX_OK)
		goto out;
	/* sql[i]: the text of migration i when it is applied in this run. */
	if (mig.n > 0 && (sql = calloc(mig.n, sizeof(*sql))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	for (i = 0; i < mig.n; i++) {
		params[0] = mig.names[i];
		if ((rv = ibx_db_exec(db, SQL_APPLIED, 1, params, &res)) !=
		    IBX_OK)
			goto out;
		if (ibx_db_result_rows(res) > 0) {
			ibx_db_result_free(res);
			res = NULL;
			continue;
		}
		ibx_db_result_free(res);
		res = NULL;
		if ((rv = read_sql(mig_dir, mig.names[i], &sql[i])) != IBX_OK)
			goto out;
		/* The marker starts a line of its own. */
		for (after = strstr(sql[i], HUB_MIGRATE_AFTER_FUNCTIONS);
		     after != NULL && after != sql[i] && after[-1] != '\n';
		     after = strstr(after + 1, HUB_MIGRATE_AFTER_FUNCTIONS))
			;
		if (after != NULL)
			*after = '\0';
		if ((rv = run_script(db, mig_dir, mig.names[i], sql[i])) !=
			IBX_OK ||
		    (rv = ibx_db_exec(db, SQL_RECORD, 1, params, NULL)) !=
			IBX_OK)
			goto out;
		if (after != NULL)
			memmove(sql[i], after + mark_len,
				strlen(after + mark_len) + 1);
		else
			sql[i][0] = '\0';
		IBX_INFO("migrate: applied %s", mig.names[i]);
		count++;
	}
	for (i = 0; i < fun.n; i++) {
		char *text = NULL;

		if ((rv = read_sql(fun_dir, fun.names[i], &text)) != IBX_OK)
			goto out;
		rv = run_script(db, fun_dir, fun.names[i], text);
		free(text);
		if (rv != IBX_OK)
			goto out;
	}
	for (i = 0; i < mig.n; i++) {
		if (sql[i] == NULL ||
		    sql[i][strspn(sql[i], " \t\r\n")] == '\0')
			continue;
		if ((rv = run_script(db, mig_dir, mig.names[i], sql[i])) !=
		    IBX_OK)
			goto out;
	}
	*applied = count;
out:
	ibx_db_result_free(res);
	for (i = 0; sql != NULL && i < mig.n; i++)
		free(sql[i]);
	free(sql);
	sql_files_clear(&mig);
	sql_files_clear(&fun);
	return (rv);
}

ibx_err
hub_migrate(ibx_db *db, const char *sql_dir, int *applied)
{
	char mig_dir[4096], fun_dir[4096];
	int count = 0;
	ibx_err rv;

	if ((size_t)snprintf(mig_dir, sizeof(mig_dir), "%s/migrations",
			     sql_dir) >= sizeof(mig_dir) ||
	    (size_t)snprintf(fun_dir, sizeof(fun_dir), "%s/functions",
			     sql_dir) >= sizeof(fun_dir)) {
		IBX_ERROR("migrate: sql folder path too long: %s", sql_dir);
		return (IBX_EIO);
	}
	/* The session lock keeps a hub of the former layout, which takes
	 * only this lock between its per-file transactions, out too. */
	if ((rv = ibx_db_exec(db, "SELECT pg_advisory_lock(1229084749)", 0,
			      NULL, NULL)) != IBX_OK)
		return (rv);
	if ((rv = ibx_db_exec(db, SQL_TABLE, 0, NULL, NULL)) != IBX_OK)
		goto unlock;
	if ((rv = ibx_db_script(db, "BEGIN")) != IBX_OK)
		goto unlock;
	if ((rv = ibx_db_exec(db, SQL_LOCK, 0, NULL, NULL)) == IBX_OK)
		rv = apply_all(db, mig_dir, fun_dir, &count);
	if (rv == IBX_OK)
		rv = ibx_db_script(db, "COMMIT");
	else
		(void)ibx_db_script(db, "ROLLBACK");
	if (rv == IBX_OK) {
		IBX_INFO("migrate: %d migration(s) applied, functions of %s "
			 "re-applied",
			 count, fun_dir);
		*applied = count;
	}
unlock:
	(void)ibx_db_exec(db, "SELECT pg_advisory_unlock(1229084749)", 0, NULL,
			  NULL);
	return (rv);
}
