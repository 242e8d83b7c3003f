/*
 * Schema migrations: the files deploy/sql/NNN_name.sql applied in name
 * order, each in its own transaction, each recorded in schema_migrations so
 * it runs once.  An advisory lock lets several hubs start at once.
 */
#ifndef HUB_MIGRATE_H
#define HUB_MIGRATE_H

#include "db.h"
#include "err.h"

/* hub_migrate: apply every migration in sql_dir not yet recorded; write
 * how many were applied to *applied.  A failing file is rolled back whole
 * and its error logged (file name, SQLSTATE); IBX_EIO when sql_dir cannot be
 * read. */
ibx_err hub_migrate(ibx_db *db, const char *sql_dir, int *applied);

#endif /* HUB_MIGRATE_H */
