/* Applying deploy/sql migrations in order; see migrate.h. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static int
cmp_names(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

static ibx_err
list_sql_files(const char *dir, char ***names, size_t *n)
{
	DIR *d;
	struct dirent *e;
	char **v = NULL, **nv;
	size_t len, count = 0;

	if ((d = opendir(dir)) == NULL) {
		IBX_ERROR("migrate: cannot open %s: %s", dir, strerror(errno));
		return (IBX_EIO);
	}
	while ((e = readdir(d)) != NULL) {
		len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".sql") != 0)
			continue;
		if ((nv = realloc(v, (count + 1) * sizeof(*v))) == NULL)
			break;
		v = nv;
		if ((v[count] = strdup(e->d_name)) == NULL)
			break;
		count++;
	}
	closedir(d);
	qsort(v, count, sizeof(*v), cmp_names);
	*names = v;
	*n = count;
	return (IBX_OK);
}

static ibx_err
read_file(const char *path, char **out)
{
	FILE *f;
	char *buf;
	size_t n;

	if ((f = fopen(path, "rb")) == NULL) {
		IBX_ERROR("migrate: cannot open %s: %s", path,
			  strerror(errno));
		return (IBX_EIO);
	}
	if ((buf = malloc(MIGRATION_MAX_BYTES + 1)) == NULL) {
		fclose(f);
		return (IBX_ENOMEM);
	}
	n = fread(buf, 1, MIGRATION_MAX_BYTES, f);
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	return (IBX_OK);
}

/* Apply one file unless recorded; *done is set when it ran. */
static ibx_err
apply_one(ibx_db *db, const char *dir, const char *name, int *done)
{
	const char *params[1] = {name};
	ibx_db_result *res = NULL;
	char path[4096];
	char *sql = NULL;
	ibx_err rv;

	*done = 0;
	if ((rv = ibx_db_script(db, "BEGIN")) != IBX_OK)
		return (rv);
	if ((rv = ibx_db_exec(db, SQL_LOCK, 0, NULL, NULL)) != IBX_OK ||
	    (rv = ibx_db_exec(db, SQL_APPLIED, 1, params, &res)) != IBX_OK)
		goto out;
	if (ibx_db_result_rows(res) > 0)
		goto out;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((rv = read_file(path, &sql)) != IBX_OK)
		goto out;
	if ((rv = ibx_db_script(db, sql)) != IBX_OK) {
		IBX_ERROR("migrate: %s failed: %s (SQLSTATE %s)", name,
			  ibx_db_last_error(db), ibx_db_sqlstate(db));
		goto out;
	}
	if ((rv = ibx_db_exec(db, SQL_RECORD, 1, params, NULL)) != IBX_OK)
		goto out;
	*done = 1;
out:
	ibx_db_result_free(res);
	free(sql);
	if (rv == IBX_OK)
		rv = ibx_db_script(db, "COMMIT");
	else
		(void)ibx_db_script(db, "ROLLBACK");
	if (rv == IBX_OK && *done)
		IBX_INFO("migrate: applied %s", name);
	return (rv);
}

ibx_err
hub_migrate(ibx_db *db, const char *sql_dir, int *applied)
{
	char **names = NULL;
	size_t n = 0, i;
	int done, count = 0;
	ibx_err rv;

	if ((rv = ibx_db_exec(db, "SELECT pg_advisory_lock(1229084749)", 0,
			      NULL, NULL)) != IBX_OK)
		return (rv);
	if ((rv = ibx_db_exec(db, SQL_TABLE, 0, NULL, NULL)) != IBX_OK)
		goto out;
	if ((rv = list_sql_files(sql_dir, &names, &n)) != IBX_OK)
		goto out;
	for (i = 0; i < n; i++) {
		if ((rv = apply_one(db, sql_dir, names[i], &done)) != IBX_OK)
			goto out;
		count += done;
	}
	*applied = count;
out:
	(void)ibx_db_exec(db, "SELECT pg_advisory_unlock(1229084749)", 0, NULL,
			  NULL);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return (rv);
}
