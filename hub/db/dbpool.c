/* A fixed connection pool; see dbpool.h. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "dbpool.h"

static const char SQL_DESCRIBE[] =
    "SELECT coalesce(host(inet_server_addr()), 'local'), "
    "coalesce(inet_server_port()::text, ''), current_database(), "
    "CASE WHEN pg_is_in_recovery() THEN 'hot standby' ELSE 'primary' END";
enum { DESCRIBE_HOST, DESCRIBE_PORT, DESCRIBE_DATABASE, DESCRIBE_ROLE };

struct hub_dbpool {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	ibx_db **free_conns;
	size_t nfree;
	ibx_db **all;
	size_t n;
};

ibx_err
hub_dbpool_open(const char *dsn, size_t n, hub_dbpool **out)
{
	hub_dbpool *p;
	ibx_err rv;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		return (IBX_ENOMEM);
	p->free_conns = calloc(n, sizeof(*p->free_conns));
	p->all = calloc(n, sizeof(*p->all));
	if (p->free_conns == NULL || p->all == NULL) {
		hub_dbpool_close(p);
		return (IBX_ENOMEM);
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (; p->n < n; p->n++) {
		if ((rv = ibx_db_open(dsn, &p->all[p->n])) != IBX_OK) {
			hub_dbpool_close(p);
			return (rv);
		}
		p->free_conns[p->nfree++] = p->all[p->n];
	}
	*out = p;
	return (IBX_OK);
}

void
hub_dbpool_close(hub_dbpool *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->n; i++)
		ibx_db_close(p->all[i]);
	free(p->all);
	free(p->free_conns);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	free(p);
}

ibx_err
hub_dbpool_take(hub_dbpool *p, ibx_db **out)
{
	ibx_db *db;

	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	db = p->free_conns[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	if (ibx_db_ensure(db) != IBX_OK) {
		hub_dbpool_give(p, db);
		return (IBX_EDBDOWN);
	}
	*out = db;
	return (IBX_OK);
}

void
hub_dbpool_give(hub_dbpool *p, ibx_db *db)
{
	pthread_mutex_lock(&p->mu);
	p->free_conns[p->nfree++] = db;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

ibx_err
hub_dbpool_describe(hub_dbpool *p, char *buf, size_t n)
{
	ibx_db_result *res = NULL;
	ibx_db *db;
	ibx_err rv;

	if ((rv = hub_dbpool_take(p, &db)) != IBX_OK)
		return (rv);
	if ((rv = ibx_db_exec(db, SQL_DESCRIBE, 0, NULL, &res)) != IBX_OK)
		goto out;
	snprintf(buf, n, "%s:%s database %s, %s",
		 ibx_db_result_value(res, 0, DESCRIBE_HOST),
		 ibx_db_result_value(res, 0, DESCRIBE_PORT),
		 ibx_db_result_value(res, 0, DESCRIBE_DATABASE),
		 ibx_db_result_value(res, 0, DESCRIBE_ROLE));
out:
	ibx_db_result_free(res);
	hub_dbpool_give(p, db);
	return (rv);
}
