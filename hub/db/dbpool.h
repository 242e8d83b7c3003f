/*
 * A fixed pool of database connections for the HTTP API's threads.  A
 * thread takes a connection, uses it, and gives it back; when all are in
 * use the caller waits.  A connection found broken is reset on take.
 */
#ifndef HUB_DBPOOL_H
#define HUB_DBPOOL_H

#include <stddef.h>

#include "db.h"
#include "err.h"

typedef struct hub_dbpool hub_dbpool;

/* hub_dbpool_open: n connections to dsn.  IBX_EDBDOWN when the first
 * cannot be made.  Close with hub_dbpool_close. */
ibx_err hub_dbpool_open(const char *dsn, size_t n, hub_dbpool **out);

/* hub_dbpool_close: close every connection; none may be taken.  NULL is
 * fine. */
void hub_dbpool_close(hub_dbpool *p);

/* hub_dbpool_take: a connection for this thread's exclusive use, waiting
 * for one to be free.  IBX_EDBDOWN when it is broken and cannot be reset
 * (it is returned to the pool). */
ibx_err hub_dbpool_take(hub_dbpool *p, ibx_db **out);

/* hub_dbpool_give: return a connection taken with hub_dbpool_take. */
void hub_dbpool_give(hub_dbpool *p, ibx_db *db);

/* hub_dbpool_describe: which server the pool's connections reach, for the
 * log, as "ADDR:PORT database NAME, primary" or "..., hot standby" (the
 * server's pg_is_in_recovery()), written to buf (n bytes, NUL-terminated,
 * truncated when short).  No password is shown.  IBX_EDBDOWN or IBX_EDB
 * when the server cannot be asked. */
ibx_err hub_dbpool_describe(hub_dbpool *p, char *buf, size_t n);

#endif /* HUB_DBPOOL_H */
