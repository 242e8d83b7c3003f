/*
 * Schema migrations and stored functions, from a SQL folder laid out as
 *
 *   migrations/NNN_name.sql   applied once each, in name order, recorded in
 *                             schema_migrations by file name;
 *   functions/NAME.sql        every function in one file (CREATE OR REPLACE),
 *                             re-applied on every run, in name order, after
 *                             the migrations.
 *
 * A migration holds DDL and data changes only; a function it no longer
 * wants, or whose signature changes, it DROPs (the functions folder then
 * creates the new one).  A migration that needs the functions (a backfill
 * through one of them) puts that part after a line
 *
 *   -- ibx:after-functions
 *
 * and it runs after the functions, in the same run.  One run is one
 * transaction under an advisory lock: the database is either wholly at the
 * new migrations and functions or unchanged, and several hubs may start at
 * once.  SQL-language functions are checked when created, so one that calls
 * another must sort after it; PL/pgSQL resolves calls when it runs.
 */
#ifndef HUB_MIGRATE_H
#define HUB_MIGRATE_H

#include "db.h"
#include "err.h"

/* The marker line that splits a migration (see above). */
#define HUB_MIGRATE_AFTER_FUNCTIONS "-- ibx:after-functions"

/* hub_migrate: apply every migration in sql_dir/migrations not yet recorded
 * and then every file of sql_dir/functions; write how many migrations were
 * applied to *applied.  On any failure nothing is changed (one transaction)
 * and the error is logged with the file's name and SQLSTATE: IBX_EDB (or
 * IBX_EDBDOWN), IBX_EIO when a folder or file cannot be read, IBX_ETOOBIG
 * for a file over 4 MiB. */
ibx_err hub_migrate(ibx_db *db, const char *sql_dir, int *applied);

#endif /* HUB_MIGRATE_H */
