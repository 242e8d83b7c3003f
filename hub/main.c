/*
 * inbound-hub: the national hub.  This file parses arguments and wires the
 * modules: intake workers (each with a database connection) behind the nng
 * REP server, the HTTP API behind libmicrohttpd, and migrations.
 *
 *   inbound-hub migrate --db DSN [--sql-dir DIR]
 *   inbound-hub [serve] --db DSN [--listen URL] [--http ADDR:PORT] ...
 *   inbound-hub serve --no-db ...   (benchmark only: nothing stored)
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "crypto.h"
#include "disclosure.h"
#include "dbpool.h"
#include "http.h"
#include "intake.h"
#include "log.h"
#include "migrate.h"
#include "query.h"
#include "transport.h"

#ifndef IBX_SQL_DIR
#define IBX_SQL_DIR "deploy/sql"
#endif
#ifndef IBX_WEB_DIR
#define IBX_WEB_DIR "hub/web"
#endif

#define WORKERS_MAX 64

struct hub_config {
	const char *db;
	const char *db_read;
	long k;
	const char *listen;
	const char *http;
	const char *sql_dir;
	const char *web;
	long workers;
	long http_threads;
	int insecure_tcp;
	int no_db;
	long session_idle;
	long session_max;
	long signin_lock;
	ibx_transport_opts tls;
};

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: inbound-hub migrate --db DSN [--sql-dir DIR]\n"
	    "       inbound-hub [serve] --db DSN [--listen URL] "
	    "[--http ADDR:PORT]\n"
	    "                   [--workers N] [--http-threads N] "
	    "[--insecure-tcp]\n"
	    "                   [--cert F --key F --ca F [--crl F]]\n"
	    "       inbound-hub serve --no-db --listen URL --ca F [--crl F] "
	    "(benchmark only)\n"
	    "\n"
	    "  --db DSN          libpq connection string (or IBX_DB)\n"
	    "  --listen URL      nng address for spokes "
	    "(default tls+tcp://127.0.0.1:7400)\n"
	    "  --insecure-tcp    allow a plain tcp:// listener\n"
	    "  --http ADDR:PORT  HTTP API (default 127.0.0.1:8080, port "
	    "from IBX_HTTP_PORT)\n"
	    "  --workers N       intake workers, each with a database "
	    "connection (8)\n"
	    "  --http-threads N  HTTP threads and API connections (4)\n"
	    "  --db-read DSN     the API's reads from this server (a hot "
	    "standby)\n"
	    "  --session-idle S  end a person's session after S seconds "
	    "unused (1800)\n"
	    "  --session-max S   and S seconds after sign-in (43200)\n"
	    "  --signin-lock S   first lock after 5 failed sign-ins, "
	    "doubled after each (60)\n");
}

static int
parse_args(int argc, char **argv, struct hub_config *c)
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"db-read", required_argument, NULL, 'R'},
	    {"k", required_argument, NULL, 'K'},
	    {"listen", required_argument, NULL, 'l'},
	    {"http", required_argument, NULL, 'H'},
	    {"sql-dir", required_argument, NULL, 's'},
	    {"web", required_argument, NULL, 'W'},
	    {"workers", required_argument, NULL, 'w'},
	    {"http-threads", required_argument, NULL, 't'},
	    {"insecure-tcp", no_argument, NULL, 'i'},
	    {"no-db", no_argument, NULL, 'N'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"ca", required_argument, NULL, 'a'},
	    {"crl", required_argument, NULL, 'r'},
	    {"session-idle", required_argument, NULL, 'I'},
	    {"session-max", required_argument, NULL, 'M'},
	    {"signin-lock", required_argument, NULL, 'L'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	char err[128];
	int ch;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			c->db = optarg;
			break;
		case 'R':
			c->db_read = optarg;
			break;
		case 'K':
			if (hub_query_long("--k", optarg, HUB_SDC_K_MIN, 1000,
					   &c->k, err,
					   sizeof(err)) != IBX_OK) {
				fprintf(stderr, "inbound-hub: %s\n", err);
				return (-1);
			}
			break;
		case 'l':
			c->listen = optarg;
			break;
		case 'H':
			c->http = optarg;
			break;
		case 's':
			c->sql_dir = optarg;
			break;
		case 'W':
			c->web = optarg;
			break;
		case 'w':
		case 't':
			if (hub_query_long(
				ch == 'w' ? "--workers" : "--http-threads",
				optarg, 1, WORKERS_MAX,
				ch == 'w' ? &c->workers : &c->http_threads,
				err, sizeof(err)) != IBX_OK) {
				fprintf(stderr, "inbound-hub: %s\n", err);
				return (-1);
			}
			break;
		case 'I':
		case 'M':
		case 'L':
			if (hub_query_long(ch == 'I'   ? "--session-idle"
					   : ch == 'M' ? "--session-max"
						       : "--signin-lock",
					   optarg, 1, 7 * 86400,
					   ch == 'I'   ? &c->session_idle
					   : ch == 'M' ? &c->session_max
						       : &c->signin_lock,
					   err, sizeof(err)) != IBX_OK) {
				fprintf(stderr, "inbound-hub: %s\n", err);
				return (-1);
			}
			break;
		case 'i':
			c->insecure_tcp = 1;
			break;
		case 'N':
			c->no_db = 1;
			break;
		case 'c':
			c->tls.cert_file = optarg;
			break;
		case 'k':
			c->tls.key_file = optarg;
			break;
		case 'a':
			c->tls.ca_file = optarg;
			break;
		case 'r':
			c->tls.crl_file = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return (-1);
		}
	}
	if (c->db == NULL && !c->no_db) {
		fprintf(stderr, "inbound-hub: --db (or IBX_DB) is required\n");
		return (-1);
	}
	return (0);
}

static int
run_migrate(const struct hub_config *c)
{
	ibx_db *db = NULL;
	int applied = 0;
	ibx_err rv;

	if ((rv = ibx_db_open(c->db, &db)) != IBX_OK)
		return (1);
	rv = hub_migrate(db, c->sql_dir, &applied);
	ibx_db_close(db);
	if (rv != IBX_OK) {
		fprintf(stderr, "inbound-hub: migrate failed: %s\n",
			ibx_strerror(rv));
		return (1);
	}
	printf("migrations applied: %d\n", applied);
	return (0);
}

/* Split "ADDR:PORT" into addr (buffer of n bytes) and port. */
static int
split_addr(const char *s, char *addr, size_t n, int *port)
{
	const char *colon = strrchr(s, ':');
	char err[128];
	long p;

	if (colon == NULL || (size_t)(colon - s) >= n ||
	    hub_query_long("--http port", colon + 1, 1, 65535, &p, err,
			   sizeof(err)) != IBX_OK) {
		fprintf(stderr, "inbound-hub: --http %s: expected ADDR:PORT\n",
			s);
		return (-1);
	}
	memcpy(addr, s, (size_t)(colon - s));
	addr[colon - s] = '\0';
	*port = (int)p;
	return (0);
}

static int
run_serve(const struct hub_config *c)
{
	hub_intake_worker workers[WORKERS_MAX];
	void *args[WORKERS_MAX];
	ibx_rep_server *rep = NULL;
	hub_http *http = NULL;
	hub_api api = {NULL,
		       NULL,
		       c->web,
		       (int)c->k,
		       (int)c->session_idle,
		       (int)c->session_max,
		       (int)c->signin_lock};
	hub_verifier verifier = {NULL, HUB_VERIFY_SKEW_MS};
	sigset_t sigs;
	char addr[64], where[160];
	int port, sig, status = 1;
	long i;

	memset(workers, 0, sizeof(workers));
	if (strncmp(c->listen, "tcp://", 6) == 0 && !c->insecure_tcp) {
		fprintf(stderr,
			"inbound-hub: %s is not encrypted; use "
			"tls+tcp:// or pass --insecure-tcp\n",
			c->listen);
		return (1);
	}
	if (split_addr(c->http, addr, sizeof(addr), &port) != 0)
		return (1);
	if (c->tls.ca_file == NULL) {
		fprintf(stderr, "inbound-hub: --ca (the national CA) is "
				"required to verify envelopes\n");
		return (1);
	}
	if (ibx_trust_load(c->tls.ca_file, c->tls.crl_file, &verifier.trust) !=
	    IBX_OK)
		return (1);
	/* Signals are taken by sigwait below, never by other threads. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (c->no_db)
		IBX_WARN(
		    "--no-db: BENCHMARK MODE, NOT FOR SERVICE: no database "
		    "and no HTTP API; envelopes are verified and checked "
		    "but enrolment and replay are not, and nothing is "
		    "stored, yet updates are acknowledged as accepted");
	for (i = 0; i < c->workers; i++) {
		if (!c->no_db && ibx_db_open(c->db, &workers[i].db) != IBX_OK)
			goto out;
		workers[i].verifier = &verifier;
		args[i] = &workers[i];
	}
	if (c->no_db) {
		if (ibx_rep_server_open(c->listen, &c->tls, (size_t)c->workers,
					args, hub_intake_handle,
					&rep) != IBX_OK)
			goto out;
		IBX_INFO("serving spokes on %s (--no-db: nothing stored)",
			 c->listen);
		goto signals;
	}
	if (hub_dbpool_open(c->db_read != NULL ? c->db_read : c->db,
			    (size_t)c->http_threads, &api.pool) != IBX_OK)
		goto out;
	/* A hot standby cannot write: audit entries go to the primary. */
	if (c->db_read != NULL &&
	    hub_dbpool_open(c->db, (size_t)c->http_threads, &api.write_pool) !=
		IBX_OK)
		goto out;
	if (hub_dbpool_describe(api.pool, where, sizeof(where)) == IBX_OK)
		IBX_INFO("API reads from %s", where);
	if (ibx_rep_server_open(c->listen, &c->tls, (size_t)c->workers, args,
				hub_intake_handle, &rep) != IBX_OK)
		goto out;
	if (hub_http_start(addr, port, (unsigned)c->http_threads,
			   hub_api_handle, &api, &http) != IBX_OK)
		goto out;
	IBX_INFO("serving spokes on %s and HTTP on http://%s:%d/", c->listen,
		 addr, port);
      signals:
	/* SIGHUP reloads the CA and CRL (after a revocation). */
	while (sigwait(&sigs, &sig) == 0 && sig == SIGHUP)
		IBX_INFO("reloading the CA and CRL: %s",
			 ibx_strerror(ibx_trust_reload(verifier.trust)));
	IBX_INFO("signal %d: shutting down", sig);
	status = 0;
out:
	hub_http_stop(http);
	ibx_rep_server_close(rep);
	hub_dbpool_close(api.pool);
	hub_dbpool_close(api.write_pool);
	for (i = 0; i < c->workers; i++)
		ibx_db_close(workers[i].db);
	ibx_trust_free(verifier.trust);
	return (status);
}

int
main(int argc, char **argv)
{
	static char http_default[32];
	struct hub_config c;
	const char *port = getenv("IBX_HTTP_PORT");
	int migrate = 0;

	ibx_log_init("inbound-hub", IBX_LOG_INFO);
	memset(&c, 0, sizeof(c));
	snprintf(http_default, sizeof(http_default), "127.0.0.1:%s",
		 port != NULL && *port != '\0' ? port : "8080");
	c.db = getenv("IBX_DB");
	c.listen = "tls+tcp://127.0.0.1:7400";
	c.http = http_default;
	c.sql_dir = IBX_SQL_DIR;
	c.web = IBX_WEB_DIR;
	c.workers = 8;
	c.k = HUB_SDC_K_DEFAULT;
	c.http_threads = 4;
	if (argc > 1 && strcmp(argv[1], "migrate") == 0) {
		migrate = 1;
		argv++;
		argc--;
	} else if (argc > 1 && strcmp(argv[1], "serve") == 0) {
		argv++;
		argc--;
	}
	if (parse_args(argc, argv, &c) != 0)
		return (2);
	return (migrate ? run_migrate(&c) : run_serve(&c));
}
