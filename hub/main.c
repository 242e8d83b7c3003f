/*
 * inbound-hub: the national hub.  This file parses arguments and wires the
 * modules: intake workers (each with a database connection) behind the nng
 * REP server, the HTTP API (proto/http), and migrations.
 *
 *   inbound-hub migrate --db DSN [--sql-dir DIR]
 *   inbound-hub [serve] --db DSN [--db-api DSN] [--db-audit DSN]
 *                       [--listen URL] [--http ADDR:PORT] ...
 *   inbound-hub serve --no-db ...   (benchmark only: nothing stored)
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "api.h"
#include "crypto.h"
#include "stat_table.h"
#include "dbpool.h"
#include "http.h"
#include "install.h"
#include "intake.h"
#include "log.h"
#include "migrate.h"
#include "query.h"
#include "transport.h"

#define WORKERS_MAX 64

/* How often the serve loop looks at the CRL file (a change is reloaded)
 * and at its freshness, in seconds; and how often a stale or soon stale
 * CRL is logged again. */
#define CRL_LOOK_S	   2
#define CRL_EXPIRING_LOG_S 3600
#define CRL_EXPIRED_LOG_S  60

/* The CRL in force: the file as last loaded, and what /healthz shows. */
struct crl_watch {
	const char *path; /* --crl, or NULL */
	struct stat seen;
	int last_state;
	int64_t logged_at; /* Unix seconds of the last warning */
	hub_crl_health health;
};

struct hub_config {
	const char *db;
	const char *db_read;
	const char *db_api;
	const char *db_audit;
	long http_per_ip;
	const char *http_proxy;
	long k;
	const char *listen;
	const char *http;
	const char *sql_dir;
	const char *web;
	long workers;
	long group_commit;
	long http_threads;
	int insecure_tcp;
	int no_db;
	long session_idle;
	long session_max;
	long signin_lock;
	ibx_transport_opts tls;
	ibx_transport_limits limits; /* of the tls+tcp:// port */
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
	    "  --group-commit N  listing updates arriving together share "
	    "a commit, at most\n"
	    "                    N such transactions at once (1; 0: one "
	    "transaction each)\n"
	    "  --http-threads N  HTTP threads and API connections (4)\n"
	    "  --db-read DSN     the API's reads from this server (a hot "
	    "standby)\n"
	    "  --sql-dir DIR     migrations/ and functions/ (default "
	    "PREFIX/share/inbound-exchange/sql)\n"
	    "  --web DIR         the web pages (default "
	    "PREFIX/share/inbound-exchange/web)\n"
	    "  --db-api DSN      the API's reads as their own role (default: "
	    "--db-read, --db)\n"
	    "  --db-audit DSN    audit entries as their own role (default: "
	    "the API's)\n"
	    "  --http-per-ip N   HTTP connections per client address (32; "
	    "1000 with --http-proxy)\n"
	    "  --http-proxy ADDR a reverse proxy (nginx) whose X-Real-IP "
	    "names the client\n"
	    "  --handshake-timeout S    a TLS handshake not done in S s is "
	    "closed (10)\n"
	    "  --max-conns N            spoke connections in total (20000)\n"
	    "  --max-conns-per-addr N   from one address (64)\n"
	    "  --max-busy N             connections with a request in "
	    "flight (32; each may\n"
	    "                           hold a 4 MiB partial frame)\n"
	    "  --max-handshakes N       TLS handshakes at once; more wait "
	    "their turn (128; 0: no bound)\n"
	    "  --session-idle S  end a person's session after S seconds "
	    "unused (1800)\n"
	    "  --session-max S   and S seconds after sign-in (43200)\n"
	    "  --signin-lock S   first lock after 5 failed sign-ins, "
	    "doubled after each (60)\n"
	    "\n"
	    "A DSN on the command line must not hold a password: use "
	    "passfile= (mode 0600),\n"
	    "PGPASSFILE or service= (docs/security.md).\n"
	    "PREFIX is the parent of the folder holding this program.\n");
}

/* One of the port's limits (ibx_transport_limits), checked. */
static int
limit_option(int ch, const char *arg, ibx_transport_limits *l)
{
	static const struct {
		int ch;
		const char *name;
		long min, max;
	} opts[] = {
	    {'T', "--handshake-timeout", 1, 600},
	    {'C', "--max-conns", 1, 1000000},
	    {'Y', "--max-conns-per-addr", 1, 1000000},
	    {'B', "--max-busy", 1, 100000},
	    {'J', "--max-handshakes", 0, 100000},
	};
	char err[128];
	long v;
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]) && opts[i].ch != ch;
	     i++)
		;
	if (i == sizeof(opts) / sizeof(opts[0]) ||
	    hub_query_long(opts[i].name, arg, opts[i].min, opts[i].max, &v,
			   err, sizeof(err)) != IBX_OK) {
		fprintf(stderr, "inbound-hub: %s\n", err);
		return (-1);
	}
	if (ch == 'T')
		l->handshake_timeout_ms = (int)v * 1000;
	else if (ch == 'C')
		l->max_conns = (int)v;
	else if (ch == 'Y')
		l->max_conns_per_addr = (int)v;
	else if (ch == 'J')
		l->max_handshakes = (int)v;
	else
		l->max_busy = (int)v;
	return (0);
}

static int
parse_args(int argc, char **argv, struct hub_config *c)
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"db-read", required_argument, NULL, 'R'},
	    {"db-api", required_argument, NULL, 'A'},
	    {"db-audit", required_argument, NULL, 'U'},
	    {"http-per-ip", required_argument, NULL, 'P'},
	    {"http-proxy", required_argument, NULL, 'X'},
	    {"k", required_argument, NULL, 'K'},
	    {"listen", required_argument, NULL, 'l'},
	    {"http", required_argument, NULL, 'H'},
	    {"sql-dir", required_argument, NULL, 's'},
	    {"web", required_argument, NULL, 'W'},
	    {"workers", required_argument, NULL, 'w'},
	    {"http-threads", required_argument, NULL, 't'},
	    {"group-commit", required_argument, NULL, 'G'},
	    {"insecure-tcp", no_argument, NULL, 'i'},
	    {"no-db", no_argument, NULL, 'N'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"ca", required_argument, NULL, 'a'},
	    {"crl", required_argument, NULL, 'r'},
	    {"handshake-timeout", required_argument, NULL, 'T'},
	    {"max-conns", required_argument, NULL, 'C'},
	    {"max-conns-per-addr", required_argument, NULL, 'Y'},
	    {"max-busy", required_argument, NULL, 'B'},
	    {"max-handshakes", required_argument, NULL, 'J'},
	    {"session-idle", required_argument, NULL, 'I'},
	    {"session-max", required_argument, NULL, 'M'},
	    {"signin-lock", required_argument, NULL, 'L'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	char err[128];
	int ch;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		/* A password in argv is every local user's (/proc). */
		if ((ch == 'd' || ch == 'R' || ch == 'A' || ch == 'U') &&
		    ibx_db_dsn_has_password(optarg)) {
			fprintf(stderr,
				"inbound-hub: a --db connection string holds "
				"a password, which every local user can read "
				"on the command line: put it in a passfile "
				"(passfile=, PGPASSFILE, mode 0600) or a "
				"service file (service=)\n");
			return (-1);
		}
		switch (ch) {
		case 'A':
			c->db_api = optarg;
			break;
		case 'U':
			c->db_audit = optarg;
			break;
		case 'P':
			if (hub_query_long("--http-per-ip", optarg, 1, 10000,
					   &c->http_per_ip, err,
					   sizeof(err)) != IBX_OK) {
				fprintf(stderr, "inbound-hub: %s\n", err);
				return (-1);
			}
			break;
		case 'X':
			c->http_proxy = optarg;
			break;
		case 'd':
			c->db = optarg;
			break;
		case 'R':
			c->db_read = optarg;
			break;
		case 'K':
			if (hub_query_long("--k", optarg, HUB_STAT_K_MIN, 1000,
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
		case 'G':
			if (hub_query_long("--group-commit", optarg, 0,
					   WORKERS_MAX, &c->group_commit, err,
					   sizeof(err)) != IBX_OK) {
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
		case 'T':
		case 'C':
		case 'Y':
		case 'B':
		case 'J':
			if (limit_option(ch, optarg, &c->limits) != 0)
				return (-1);
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

/* The installed folder name (install.h) when no flag names one. */
static int
find_dir(const char *name, const char *flag, char *out, size_t n)
{
	ibx_err rv = ibx_install_dir(name, out, n);

	if (rv == IBX_OK)
		return (0);
	fprintf(stderr, "inbound-hub: no %s folder at %s (%s); pass %s DIR\n",
		name, out, ibx_strerror(rv), flag);
	return (-1);
}

/* The hub's key and certificate, which sign every Ack (crypto.h): required
 * for tls+tcp://; without them (plain tcp:// for tests) Acks go unsigned,
 * and that is logged.  0, or -1 with the reason logged. */
static int
load_ack_signer(const struct hub_config *c, ibx_key **key, ibx_cert **cert,
		ibx_bytes *der)
{
	char detail[256];

	if (c->tls.cert_file == NULL || c->tls.key_file == NULL) {
		if (strncmp(c->listen, "tls+tcp://", 10) == 0) {
			IBX_ERROR("--cert and --key (the hub's own) are "
				  "required for %s",
				  c->listen);
			return (-1);
		}
		IBX_WARN("no --cert and --key: Acks go UNSIGNED, and spokes "
			 "that verify them (every spoke with --ca) will not "
			 "believe them");
		return (0);
	}
	if (ibx_key_load(c->tls.key_file, key) != IBX_OK ||
	    ibx_cert_load(c->tls.cert_file, cert) != IBX_OK)
		return (-1);
	if (!ibx_key_matches(*key, *cert)) {
		IBX_ERROR("%s: the key is not the certificate's (%s)",
			  c->tls.key_file, c->tls.cert_file);
		return (-1);
	}
	/* Spokes believe only the hub's profile (deploy/pki/issue.sh). */
	if (ibx_cert_check_hub(*cert, NULL, 0, NULL, detail, sizeof(detail)) !=
		IBX_OK &&
	    strstr(detail, "no hub name") == NULL) {
		IBX_ERROR("%s: not a hub certificate: %s (issue it with "
			  "deploy/pki/issue.sh DIR CODE hub)",
			  c->tls.cert_file, detail);
		return (-1);
	}
	if (ibx_cert_der(*cert, der) != IBX_OK)
		return (-1);
	return (0);
}

/* How fresh the CRL is now: sets crl->health, and logs on every change of
 * state and, while it is stale or nearly so, every so often (loudly:
 * operators must publish a fresh CRL before nextUpdate). */
static void
crl_assess(struct crl_watch *crl)
{
	int64_t last, next, now = (int64_t)time(NULL);
	int state, again;
	char when[32];
	time_t t;
	struct tm tm;

	if (crl->path == NULL) {
		crl->health.state = HUB_CRL_NONE;
		return;
	}
	if (ibx_crl_dates(crl->path, &last, &next) != IBX_OK) {
		/* The one in force stays; its state stays too. */
		IBX_WARN("crl: %s cannot be read", crl->path);
		return;
	}
	state = now >= next		      ? HUB_CRL_EXPIRED
		: next - now < HUB_CRL_WARN_S ? HUB_CRL_EXPIRING
					      : HUB_CRL_FRESH;
	crl->health.next_update = next;
	crl->health.state = state;
	again = state == HUB_CRL_EXPIRED    ? CRL_EXPIRED_LOG_S
		: state == HUB_CRL_EXPIRING ? CRL_EXPIRING_LOG_S
					    : 0;
	if (state == crl->last_state &&
	    (again == 0 || now - crl->logged_at < again))
		return;
	crl->last_state = state;
	crl->logged_at = now;
	t = (time_t)next;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (state == HUB_CRL_EXPIRED)
		IBX_ERROR("crl: %s EXPIRED at %s (nextUpdate): refusing every "
			  "spoke, TLS handshakes and envelopes, until a "
			  "fresh CRL is installed and the hub gets SIGHUP "
			  "(deploy/pki/crl.sh)",
			  crl->path, when);
	else if (state == HUB_CRL_EXPIRING)
		IBX_WARN(
		    "crl: %s expires at %s, in %lld s: publish a fresh "
		    "one (deploy/pki/crl.sh) and send SIGHUP before then, "
		    "or every spoke will be refused",
		    crl->path, when, (long long)(next - now));
	else
		IBX_INFO("crl: %s is current until %s", crl->path, when);
}

/* Has the CRL file changed since it was loaded? */
static int
crl_file_changed(const struct crl_watch *crl)
{
	struct stat now;

	if (crl->path == NULL || stat(crl->path, &now) != 0)
		return (0);
	return (now.st_mtim.tv_sec != crl->seen.st_mtim.tv_sec ||
		now.st_mtim.tv_nsec != crl->seen.st_mtim.tv_nsec ||
		now.st_ino != crl->seen.st_ino ||
		now.st_size != crl->seen.st_size);
}

/* Put the CA and CRL files in force again: in the envelope checks and, by
 * a new listener, in every new TLS handshake (transport.h). */
static void
reload_trust(ibx_rep_server *rep, hub_verifier *v,
	     const ibx_transport_opts *tls, struct crl_watch *crl,
	     const char *why)
{
	ibx_err erv, trv = IBX_OK;

	if (crl->path != NULL)
		(void)stat(crl->path, &crl->seen);
	erv = ibx_trust_reload(v->trust);
	if (rep != NULL)
		trv = ibx_rep_server_reload_tls(rep, tls);
	if (erv == IBX_OK && trv == IBX_OK)
		IBX_INFO("%s: the CA and CRL are reloaded into the envelope "
			 "checks and the TLS listener",
			 why);
	else
		IBX_ERROR("%s: reloading the CA and CRL: envelope checks: %s; "
			  "TLS listener: %s",
			  why, ibx_strerror(erv), ibx_strerror(trv));
	crl->last_state = -1; /* say how fresh the new one is */
}

static int
run_serve(const struct hub_config *c)
{
	hub_intake_worker workers[WORKERS_MAX];
	void *args[WORKERS_MAX];
	ibx_rep_server *rep = NULL;
	ibx_http *http = NULL;
	hub_api api = {.web_root = c->web,
		       .k_threshold = (int)c->k,
		       .session_idle = (int)c->session_idle,
		       .session_max = (int)c->session_max,
		       .signin_lock = (int)c->signin_lock};
	/* Behind a proxy every connection comes from its address: the
	 * proxy limits per client (deploy/nginx), the hub only the total. */
	ibx_http_opts http_opts = {(unsigned)c->http_threads,
				   (unsigned)(c->http_per_ip != 0
						  ? c->http_per_ip
					      : c->http_proxy != NULL ? 1000
								      : 0),
				   c->http_proxy,
				   0,
				   NULL,
				   NULL,
				   0};
	const char *api_dsn, *audit_dsn;
	hub_verifier verifier = {NULL, HUB_VERIFY_SKEW_MS};
	struct crl_watch crl;
	struct timespec look = {CRL_LOOK_S, 0};
	ibx_key *ack_key = NULL;
	ibx_cert *ack_cert = NULL;
	ibx_bytes ack_der = {NULL, 0};
	hub_batcher *batcher = NULL;
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
	memset(&crl, 0, sizeof(crl));
	crl.path = c->tls.crl_file;
	crl.last_state = -1;
	if (crl.path != NULL)
		(void)stat(crl.path, &crl.seen);
	/* Said at once: a hub started with a stale CRL refuses everyone. */
	crl_assess(&crl);
	api.crl = &crl.health;
	if (load_ack_signer(c, &ack_key, &ack_cert, &ack_der) != 0)
		goto out;
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
	if (!c->no_db && c->group_commit > 0 &&
	    hub_batcher_new((int)c->group_commit, &batcher) != IBX_OK)
		goto out;
	for (i = 0; i < c->workers; i++) {
		if (!c->no_db && ibx_db_open(c->db, &workers[i].db) != IBX_OK)
			goto out;
		workers[i].batcher = batcher;
		workers[i].verifier = &verifier;
		workers[i].ack_key = ack_key;
		workers[i].ack_cert = ack_key != NULL ? &ack_der : NULL;
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
	/* Each part connects as its own role (issue 14, finding 4): intake
	 * with --db, the API's reads with --db-api (or --db-read), audit
	 * entries with --db-audit. */
	api_dsn = c->db_read != NULL  ? c->db_read
		  : c->db_api != NULL ? c->db_api
				      : c->db;
	if (hub_dbpool_open(api_dsn, (size_t)c->http_threads, &api.pool) !=
	    IBX_OK)
		goto out;
	/* A hot standby cannot write, and the API's role only reads: audit
	 * entries then go to the primary, as --db-audit or else --db. */
	audit_dsn = c->db_audit != NULL ? c->db_audit
		    : api_dsn != c->db	? c->db
					: NULL;
	if (audit_dsn != NULL &&
	    hub_dbpool_open(audit_dsn, (size_t)c->http_threads,
			    &api.audit_pool) != IBX_OK)
		goto out;
	if (hub_dbpool_describe(api.pool, where, sizeof(where)) == IBX_OK)
		IBX_INFO("API reads from %s", where);
	if (ibx_rep_server_open(c->listen, &c->tls, (size_t)c->workers, args,
				hub_intake_handle, &rep) != IBX_OK)
		goto out;
	if (ibx_http_start(addr, port, &http_opts, hub_api_handle, &api,
			   &http) != IBX_OK)
		goto out;
	IBX_INFO("serving spokes on %s and HTTP on http://%s:%d/", c->listen,
		 addr, port);
      signals:
	/* SIGHUP, or a CRL file that changed, reloads the CA and CRL into
	 * the envelope checks and the TLS handshakes. */
	for (;;) {
		sig = sigtimedwait(&sigs, NULL, &look);
		if (sig == SIGHUP)
			reload_trust(rep, &verifier, &c->tls, &crl, "SIGHUP");
		else if (sig > 0)
			break;
		else if (crl_file_changed(&crl))
			reload_trust(rep, &verifier, &c->tls, &crl,
				     "the CRL file changed");
		crl_assess(&crl);
	}
	IBX_INFO("signal %d: shutting down", sig);
	status = 0;
out:
	ibx_http_stop(http);
	ibx_rep_server_close(rep);
	hub_dbpool_close(api.pool);
	hub_dbpool_close(api.write_pool);
	hub_dbpool_close(api.audit_pool);
	for (i = 0; i < c->workers; i++)
		ibx_db_close(workers[i].db);
	if (batcher != NULL) {
		uint64_t nb = 0, nj = 0;

		hub_batcher_counts(batcher, &nb, &nj);
		IBX_INFO("group commit: %llu listing updates in %llu "
			 "transactions",
			 (unsigned long long)nj, (unsigned long long)nb);
	}
	hub_batcher_free(batcher);
	ibx_trust_free(verifier.trust);
	ibx_bytes_fini(&ack_der);
	ibx_cert_free(ack_cert);
	ibx_key_free(ack_key);
	return (status);
}

int
main(int argc, char **argv)
{
	static char http_default[32], sql_dir[4096], web_dir[4096];
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
	c.workers = 8;
	c.group_commit = 1;
	c.k = HUB_STAT_K_DEFAULT;
	c.http_threads = 4;
	c.limits.handshake_timeout_ms = IBX_TRANSPORT_HANDSHAKE_MS;
	c.limits.max_conns = IBX_TRANSPORT_MAX_CONNS;
	c.limits.max_conns_per_addr = IBX_TRANSPORT_MAX_CONNS_PER_ADDR;
	c.limits.max_busy = IBX_TRANSPORT_MAX_BUSY;
	c.limits.stall_timeout_ms = IBX_TRANSPORT_STALL_MS;
	c.limits.max_handshakes = IBX_TRANSPORT_MAX_HANDSHAKES;
	c.tls.limits = &c.limits;
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
	if (migrate && c.sql_dir == NULL &&
	    find_dir("sql", "--sql-dir", sql_dir, sizeof(sql_dir)) != 0)
		return (2);
	if (migrate && c.sql_dir == NULL)
		c.sql_dir = sql_dir;
	if (!migrate && !c.no_db && c.web == NULL &&
	    find_dir("web", "--web", web_dir, sizeof(web_dir)) != 0)
		return (2);
	if (!migrate && !c.no_db && c.web == NULL)
		c.web = web_dir;
	return (migrate ? run_migrate(&c) : run_serve(&c));
}
