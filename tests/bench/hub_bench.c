/*
 * Hub benchmarks for tests/bench/run.sh: prints key=value lines, asserts
 * nothing about time (STYLE.md).  Every loop has a fixed count and every
 * request a timeout.
 *
 *   bench_hub rtt --hub URL --listing F --cert C --key K --seq0 S [--n N]
 *       N listing updates (beds changed each time, so each one is stored),
 *       signed beforehand, sent one at a time over one REQ socket; prints
 *       the p50/p99 round trip in microseconds and the accepted count.
 *   bench_hub base --port P --listing F --cert C --key K [--n N]
 *       the baseline: a plain nng REQ/REP echo (rep0 server thread in this
 *       process, tcp://127.0.0.1:P) of a message the size of the same
 *       envelope, then ibx_verify + ibx_listing_decode of it measured
 *       alone; prints p50/p99 of each and of their sum per iteration.
 *   bench_hub stats --hub URL --cases F --org CODE --cert C --key K
 *       --seq0 S [--subs 200] [--cells 1000] [--start-at UNIX_S]
 *       anonymises the case file (period 2024-03) with the spoke's code,
 *       keeps the first CELLS cells and sends SUBS signed CaseStatistics
 *       submissions of them (periods 2000-01 onwards) one after another,
 *       starting at UNIX_S (so several spokes start together) or at once;
 *       prints cells accepted, cells per second, and the start and end
 *       (t0, t1: Unix seconds).
 *   bench_hub burst --hub URL [--hub URL2 ...] --dir LISTINGS --pki PKI
 *       --codes FILE --seq0 S [--n 50]
 *       one REQ socket and thread per code in FILE (one spoke each, its
 *       listing LISTINGS/CODE.json signed with PKI/issued/CODE.key), all
 *       started together, each sending N listing updates one after the
 *       other; prints accepted messages per second over the whole burst.
 *       Several --hub (up to 8, hubs on one database): the spokes are
 *       dealt round-robin over them.
 *   bench_hub http --port P [--port P2 ...] --path PATH --token T
 *       [--conc 16] [--n 100]
 *       CONC threads, each one keep-alive HTTP/1.1 connection to
 *       127.0.0.1:P sending N GET PATH requests (5 s receive timeout);
 *       prints p50/p95/p99 latency in microseconds and the status counts.
 *       Several --port (up to 8): the clients are dealt round-robin.
 */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>

#include "cases_anonymise.h"
#include "crypto.h"
#include "listing_json.h"
#include "problems.h"
#include "statistics.h"
#include "transport.h"
#include "wire.h"

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3);
}

/* The wall clock, Unix seconds. */
static double
unix_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static double
pct(double *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return (0);
	qsort(v, n, sizeof(*v), cmp_double);
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return (v[i < n ? i : n - 1]);
}

struct args {
	const char *hub, *listing, *cert, *key, *cases, *org;
	const char *dir, *pki, *codes, *path, *token;
	unsigned long long seq0;
	long n, subs, cells, port, conc;
	double start_at;     /* Unix seconds; 0: at once */
	const char *hubs[8]; /* every --hub given (hub is the first) */
	long ports[8];	     /* every --port given (port is the first) */
	int nhubs, nports;
};

static int
parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
	    {"hub", required_argument, NULL, 'h'},
	    {"listing", required_argument, NULL, 'l'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"cases", required_argument, NULL, 'C'},
	    {"org", required_argument, NULL, 'o'},
	    {"seq0", required_argument, NULL, 's'},
	    {"n", required_argument, NULL, 'n'},
	    {"subs", required_argument, NULL, 'S'},
	    {"cells", required_argument, NULL, 'x'},
	    {"port", required_argument, NULL, 'p'},
	    {"dir", required_argument, NULL, 'd'},
	    {"pki", required_argument, NULL, 'P'},
	    {"codes", required_argument, NULL, 'L'},
	    {"path", required_argument, NULL, 'u'},
	    {"token", required_argument, NULL, 't'},
	    {"conc", required_argument, NULL, 'j'},
	    {"start-at", required_argument, NULL, 'A'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	memset(a, 0, sizeof(*a));
	a->n = 2000;
	a->subs = 200;
	a->cells = 1000;
	a->seq0 = 1;
	a->conc = 16;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			if (a->nhubs == 8)
				return (-1);
			a->hubs[a->nhubs++] = optarg;
			a->hub = a->hubs[0];
			break;
		case 'l':
			a->listing = optarg;
			break;
		case 'c':
			a->cert = optarg;
			break;
		case 'k':
			a->key = optarg;
			break;
		case 'C':
			a->cases = optarg;
			break;
		case 'o':
			a->org = optarg;
			break;
		case 's':
			a->seq0 = strtoull(optarg, NULL, 10);
			break;
		case 'n':
			a->n = strtol(optarg, NULL, 10);
			break;
		case 'S':
			a->subs = strtol(optarg, NULL, 10);
			break;
		case 'x':
			a->cells = strtol(optarg, NULL, 10);
			break;
		case 'p':
			if (a->nports == 8)
				return (-1);
			a->ports[a->nports++] = strtol(optarg, NULL, 10);
			a->port = a->ports[0];
			break;
		case 'd':
			a->dir = optarg;
			break;
		case 'P':
			a->pki = optarg;
			break;
		case 'L':
			a->codes = optarg;
			break;
		case 'u':
			a->path = optarg;
			break;
		case 't':
			a->token = optarg;
			break;
		case 'j':
			a->conc = strtol(optarg, NULL, 10);
			break;
		case 'A':
			a->start_at = strtod(optarg, NULL);
			break;
		default:
			return (-1);
		}
	}
	return (0);
}

/* A signed envelope around payload. */
static int
seal(const ibx_bytes *der, const ibx_key *key, const char *sender,
     uint64_t seq, ibx_payload_type type, ibx_bytes *payload, ibx_bytes *out)
{
	ibx_header h;
	ibx_envelope e;
	ibx_bytes hb = {0};
	struct timespec ts;
	int rv = -1;

	memset(&h, 0, sizeof(h));
	snprintf(h.sender_id, sizeof(h.sender_id), "%s", sender);
	h.sequence = seq;
	clock_gettime(CLOCK_REALTIME, &ts);
	h.created_at_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	h.payload_type = type;
	h.schema_version = IBX_SCHEMA_VERSION;
	h.cert = *der;
	if (ibx_header_encode(&h, &hb) != IBX_OK)
		return (-1);
	memset(&e, 0, sizeof(e));
	e.header = hb;
	e.payload = *payload;
	if (ibx_sign(key, &e.header, &e.payload, &e.signature) == IBX_OK &&
	    ibx_envelope_encode(&e, out) == IBX_OK)
		rv = 0;
	ibx_bytes_fini(&e.signature);
	ibx_bytes_fini(&hb);
	return (rv);
}

static int
load_identity(const struct args *a, ibx_cert **cert, ibx_bytes *der,
	      ibx_key **key)
{
	if (a->cert == NULL || a->key == NULL ||
	    ibx_cert_load(a->cert, cert) != IBX_OK ||
	    ibx_cert_der(*cert, der) != IBX_OK ||
	    ibx_key_load(a->key, key) != IBX_OK) {
		fprintf(stderr, "bench_hub: cannot load --cert/--key\n");
		return (-1);
	}
	return (0);
}

static ibx_listing *
load_listing(const char *path)
{
	ibx_problems p;
	ibx_listing *l = NULL;

	ibx_problems_init(&p);
	if (path == NULL || ibx_listing_load_file(path, &p, &l) != IBX_OK) {
		fprintf(stderr, "bench_hub: cannot load listing %s\n",
			path ? path : "(none)");
		l = NULL;
	}
	ibx_problems_fini(&p);
	return (l);
}

/* N listing envelopes, each with a different bed count. */
static ibx_bytes *
listing_envelopes(const struct args *a, const ibx_bytes *der,
		  const ibx_key *key, ibx_listing *l)
{
	ibx_bytes *env = calloc((size_t)a->n, sizeof(*env));
	long i;

	if (env == NULL)
		return (NULL);
	for (i = 0; i < a->n; i++) {
		ibx_bytes payload = {0};

		l->beds =
		    100 + (int32_t)(i % 2) + (int32_t)(a->seq0 % 1000) * 2;
		if (ibx_listing_encode(l, &payload) != IBX_OK ||
		    seal(der, key, l->organisation_code, a->seq0 + (uint64_t)i,
			 IBX_PAYLOAD_HOSPITAL_LISTING, &payload, &env[i]) != 0)
			return (NULL);
		ibx_bytes_fini(&payload);
	}
	return (env);
}

/* Free listing_envelopes' n envelopes and their array; NULL is a no-op. */
static void
envelopes_free(ibx_bytes *env, long n)
{
	long i;

	for (i = 0; env != NULL && i < n; i++)
		ibx_bytes_fini(&env[i]);
	free(env);
}

/* Free what load_identity loaded. */
static void
identity_free(ibx_cert *cert, ibx_bytes *der, ibx_key *key)
{
	ibx_cert_free(cert);
	ibx_bytes_fini(der);
	ibx_key_free(key);
}

static int
rtt(const struct args *a)
{
	ibx_cert *cert = NULL;
	ibx_key *key = NULL;
	ibx_bytes der = {0}, *env;
	ibx_listing *l;
	ibx_req_client *c = NULL;
	double *lat;
	long i, ok = 0, other = 0;

	if (a->hub == NULL || load_identity(a, &cert, &der, &key) != 0 ||
	    (l = load_listing(a->listing)) == NULL)
		return (2);
	if ((env = listing_envelopes(a, &der, key, l)) == NULL ||
	    (lat = calloc((size_t)a->n, sizeof(*lat))) == NULL)
		return (1);
	if (ibx_req_client_open(&a->hub, 1, NULL, &c) != IBX_OK)
		return (1);
	for (i = 0; i < a->n; i++) {
		ibx_bytes reply = {0};
		ibx_ack ack;
		double t0 = now_us();

		if (ibx_req_client_call(c, &env[i], 5000, &reply) != IBX_OK) {
			fprintf(stderr, "bench_hub rtt: no answer at %ld\n",
				i);
			break;
		}
		lat[i] = now_us() - t0;
		if (ibx_ack_decode(reply.data, reply.len, &ack) == IBX_OK &&
		    ack.status == IBX_ACK_ACCEPTED)
			ok++;
		else {
			if (other++ == 0)
				fprintf(stderr, "bench_hub rtt: %s: %s\n",
					ibx_ack_status_name(ack.status),
					ack.error);
		}
		ibx_bytes_fini(&reply);
	}
	printf("bytes=%zu\naccepted=%ld\nrefused=%ld\n", env[0].len, ok,
	       other);
	printf("p50_us=%.1f\np99_us=%.1f\n", pct(lat, (size_t)i, 0.50),
	       pct(lat, (size_t)i, 0.99));
	ibx_req_client_close(c);
	envelopes_free(env, a->n);
	free(lat);
	ibx_listing_free(l);
	identity_free(cert, &der, key);
	return (ok == a->n ? 0 : 1);
}

struct echo {
	nng_socket s;
	long n;
};

static void *
echo_main(void *arg)
{
	struct echo *e = arg;
	long i;

	for (i = 0; i < e->n; i++) {
		nng_msg *m;

		if (nng_recvmsg(e->s, &m, 0) != 0)
			break;
		if (nng_sendmsg(e->s, m, 0) != 0) {
			nng_msg_free(m);
			break;
		}
	}
	return (NULL);
}

static int
base(const struct args *a)
{
	ibx_cert *cert = NULL;
	ibx_key *key = NULL;
	ibx_bytes der = {0}, *env;
	ibx_listing *l;
	struct echo e;
	pthread_t th;
	nng_socket req;
	char url[64];
	double *echo_lat, *work, *sum;
	long i, n = a->n;

	if (a->port <= 0 || load_identity(a, &cert, &der, &key) != 0 ||
	    (l = load_listing(a->listing)) == NULL)
		return (2);
	if ((env = listing_envelopes(a, &der, key, l)) == NULL)
		return (1);
	echo_lat = calloc((size_t)n, sizeof(double));
	work = calloc((size_t)n, sizeof(double));
	sum = calloc((size_t)n, sizeof(double));
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%ld", a->port);
	e.n = n;
	if (nng_rep0_open(&e.s) != 0 || nng_listen(e.s, url, NULL, 0) != 0 ||
	    nng_req0_open(&req) != 0 || nng_dial(req, url, NULL, 0) != 0) {
		fprintf(stderr, "bench_hub base: cannot open %s\n", url);
		return (1);
	}
	nng_socket_set_ms(req, NNG_OPT_RECVTIMEO, 5000);
	nng_socket_set_ms(e.s, NNG_OPT_RECVTIMEO, 10000);
	pthread_create(&th, NULL, echo_main, &e);
	for (i = 0; i < n; i++) {
		nng_msg *m;
		double t0;

		nng_msg_alloc(&m, 0);
		nng_msg_append(m, env[i].data, env[i].len);
		t0 = now_us();
		if (nng_sendmsg(req, m, 0) != 0 ||
		    nng_recvmsg(req, &m, 0) != 0) {
			fprintf(stderr, "bench_hub base: echo failed at %ld\n",
				i);
			return (1);
		}
		echo_lat[i] = now_us() - t0;
		nng_msg_free(m);
	}
	pthread_join(th, NULL);
	nng_close(req);
	nng_close(e.s);
	for (i = 0; i < n; i++) {
		ibx_envelope en;
		ibx_listing *d = NULL;
		double t0 = now_us();

		/* the verification and the decode alone (the envelope split
		 * is outside the timing) */
		if (ibx_envelope_decode(env[i].data, env[i].len, &en) !=
		    IBX_OK)
			return (1);
		t0 = now_us();
		if (ibx_verify(cert, &en.header, &en.payload, &en.signature) !=
			IBX_OK ||
		    ibx_listing_decode(en.payload.data, en.payload.len, &d) !=
			IBX_OK) {
			fprintf(stderr,
				"bench_hub base: verify/decode failed\n");
			return (1);
		}
		work[i] = now_us() - t0;
		sum[i] = echo_lat[i] + work[i];
		ibx_listing_free(d);
		ibx_envelope_fini(&en);
	}
	printf("bytes=%zu\n", env[0].len);
	printf("echo_p50_us=%.1f\necho_p99_us=%.1f\n", pct(echo_lat, n, 0.5),
	       pct(echo_lat, n, 0.99));
	printf("verify_decode_p50_us=%.1f\nverify_decode_p99_us=%.1f\n",
	       pct(work, n, 0.5), pct(work, n, 0.99));
	printf("p50_us=%.1f\np99_us=%.1f\n", pct(sum, n, 0.5),
	       pct(sum, n, 0.99));
	return (0);
}

static int
stats(const struct args *a)
{
	ibx_cert *cert = NULL;
	ibx_key *key = NULL;
	ibx_bytes der = {0}, *env;
	ibx_case_statistics *s = NULL;
	spoke_cases_opts o;
	spoke_cases_report rep;
	ibx_req_client *c = NULL;
	FILE *f;
	long i, ok = 0;
	unsigned long long cells = 0;
	double t0, t1, t0_unix;

	if (a->hub == NULL || a->cases == NULL || a->org == NULL ||
	    load_identity(a, &cert, &der, &key) != 0)
		return (2);
	memset(&o, 0, sizeof(o));
	o.period = "2024-03";
	spoke_cases_report_init(&rep);
	if ((f = fopen(a->cases, "rb")) == NULL ||
	    spoke_cases_anonymise(f, &o, &rep, &s) != IBX_OK) {
		fprintf(stderr, "bench_hub stats: cannot anonymise %s\n",
			a->cases);
		return (1);
	}
	fclose(f);
	if (s->n_cells > (size_t)a->cells)
		s->n_cells = (size_t)a->cells;
	snprintf(s->organisation_code, sizeof(s->organisation_code), "%s",
		 a->org);
	if ((env = calloc((size_t)a->subs, sizeof(*env))) == NULL)
		return (1);
	for (i = 0; i < a->subs; i++) {
		ibx_bytes payload = {0};

		snprintf(s->period, sizeof(s->period), "%04d-%02d",
			 (int)(2000 + (i % 300) / 12), (int)(1 + i % 12));
		if (ibx_statistics_encode(s, &payload) != IBX_OK ||
		    seal(&der, key, a->org, a->seq0 + (uint64_t)i,
			 IBX_PAYLOAD_CASE_STATISTICS, &payload, &env[i]) != 0)
			return (1);
		ibx_bytes_fini(&payload);
	}
	if (ibx_req_client_open(&a->hub, 1, NULL, &c) != IBX_OK)
		return (1);
	while (a->start_at > 0 && unix_s() < a->start_at)
		usleep(1000);
	t0 = now_us();
	t0_unix = unix_s();
	for (i = 0; i < a->subs; i++) {
		ibx_bytes reply = {0};
		ibx_ack ack;

		if (ibx_req_client_call(c, &env[i], 30000, &reply) != IBX_OK) {
			fprintf(stderr, "bench_hub stats: no answer at %ld\n",
				i);
			break;
		}
		if (ibx_ack_decode(reply.data, reply.len, &ack) == IBX_OK &&
		    ack.status == IBX_ACK_ACCEPTED) {
			ok++;
			cells += ack.summary.imported + ack.summary.updated +
				 ack.summary.unchanged;
		} else
			fprintf(stderr, "bench_hub stats: %s: %s\n",
				ibx_ack_status_name(ack.status), ack.error);
		ibx_bytes_fini(&reply);
	}
	t1 = now_us();
	printf("cells_per_submission=%zu\nsubmissions=%ld\naccepted=%ld\n"
	       "cells=%llu\nseconds=%.3f\ncells_per_s=%.0f\nt0=%.6f\n"
	       "t1=%.6f\n",
	       s->n_cells, a->subs, ok, cells, (t1 - t0) / 1e6,
	       (double)cells / ((t1 - t0) / 1e6), t0_unix,
	       t0_unix + (t1 - t0) / 1e6);
	ibx_req_client_close(c);
	ibx_statistics_free(s);
	return (ok == a->subs ? 0 : 1);
}

/* ---- burst: many spokes at once ---------------------------------------- */

struct spoke {
	const struct args *a;
	const char *hub; /* the hub this spoke sends to */
	char code[64];
	ibx_bytes *env;
	long ok, other;
	pthread_barrier_t *go;
};

static void *
spoke_main(void *arg)
{
	struct spoke *sp = arg;
	ibx_req_client *c = NULL;
	long i;

	if (ibx_req_client_open(&sp->hub, 1, NULL, &c) != IBX_OK)
		c = NULL;
	pthread_barrier_wait(sp->go);
	for (i = 0; c != NULL && i < sp->a->n; i++) {
		ibx_bytes reply = {0};
		ibx_ack ack;

		if (ibx_req_client_call(c, &sp->env[i], 10000, &reply) !=
		    IBX_OK) {
			sp->other++;
			continue;
		}
		if (ibx_ack_decode(reply.data, reply.len, &ack) == IBX_OK &&
		    ack.status == IBX_ACK_ACCEPTED)
			sp->ok++;
		else if (sp->other++ == 0)
			fprintf(stderr, "bench_hub burst %s: %s: %s\n",
				sp->code, ibx_ack_status_name(ack.status),
				ack.error);
		ibx_bytes_fini(&reply);
	}
	pthread_barrier_wait(sp->go);
	ibx_req_client_close(c);
	return (NULL);
}

static int
burst(const struct args *a)
{
	struct spoke *sp;
	pthread_t *th;
	pthread_barrier_t go;
	char line[64], path[1024];
	FILE *f;
	size_t n = 0, cap = 64, i;
	long ok = 0, other = 0;
	double t0, t1;

	if (a->hub == NULL || a->dir == NULL || a->pki == NULL ||
	    a->codes == NULL || (f = fopen(a->codes, "r")) == NULL)
		return (2);
	sp = calloc(cap, sizeof(*sp));
	while (fgets(line, sizeof(line), f) != NULL && n < cap) {
		struct args one = *a;
		ibx_cert *cert = NULL;
		ibx_key *key = NULL;
		ibx_bytes der = {0};
		ibx_listing *l;
		char cp[1024], kp[1024];

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		snprintf(sp[n].code, sizeof(sp[n].code), "%s", line);
		snprintf(path, sizeof(path), "%s/%s.json", a->dir, line);
		snprintf(cp, sizeof(cp), "%s/issued/%s.pem", a->pki, line);
		snprintf(kp, sizeof(kp), "%s/issued/%s.key", a->pki, line);
		one.cert = cp;
		one.key = kp;
		l = NULL;
		if (load_identity(&one, &cert, &der, &key) != 0 ||
		    (l = load_listing(path)) == NULL ||
		    (sp[n].env = listing_envelopes(&one, &der, key, l)) ==
			NULL)
			return (1);
		ibx_listing_free(l);
		identity_free(cert, &der, key);
		sp[n].a = a;
		sp[n].hub = a->hubs[n % (size_t)a->nhubs];
		sp[n].go = &go;
		n++;
	}
	fclose(f);
	th = calloc(n, sizeof(*th));
	pthread_barrier_init(&go, NULL, (unsigned)n + 1);
	for (i = 0; i < n; i++)
		pthread_create(&th[i], NULL, spoke_main, &sp[i]);
	pthread_barrier_wait(&go);
	t0 = now_us();
	pthread_barrier_wait(&go);
	t1 = now_us();
	for (i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		ok += sp[i].ok;
		other += sp[i].other;
	}
	printf(
	    "spokes=%zu\nhubs=%d\nper_spoke=%ld\naccepted=%ld\nrefused=%ld\n"
	    "seconds=%.3f\nmsgs_per_s=%.1f\n",
	    n, a->nhubs, a->n, ok, other, (t1 - t0) / 1e6,
	    (double)ok / ((t1 - t0) / 1e6));
	pthread_barrier_destroy(&go);
	for (i = 0; i < n; i++)
		envelopes_free(sp[i].env, a->n);
	free(sp);
	free(th);
	return (other == 0 ? 0 : 1);
}

/* ---- http: a keep-alive GET loop ---------------------------------------- */

struct client {
	const struct args *a;
	long port; /* the HTTP port this client connects to */
	double *lat;
	long done, ok, bad;
};

static int
http_connect(long port)
{
	struct sockaddr_in sa;
	struct timeval tv = {5, 0};
	int s = socket(AF_INET, SOCK_STREAM, 0);

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || connect(s, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		if (s >= 0)
			close(s);
		return (-1);
	}
	setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return (s);
}

/* One request and its whole response; the status, or -1 (connection to be
 * re-made). */
static int
http_get(int s, const char *req, size_t reqlen, char **buf, size_t *cap)
{
	size_t have = 0, head = 0, body = 0;
	long clen = -1;
	int status = -1;

	if (write(s, req, reqlen) != (ssize_t)reqlen)
		return (-1);
	for (;;) {
		ssize_t r;

		if (have + 4096 > *cap) {
			*cap = (*cap + 4096) * 2;
			*buf = realloc(*buf, *cap);
		}
		r = read(s, *buf + have, *cap - have - 1);
		if (r <= 0)
			return (-1);
		have += (size_t)r;
		(*buf)[have] = '\0';
		if (head == 0) {
			char *e = strstr(*buf, "\r\n\r\n"), *cl;

			if (e == NULL)
				continue;
			head = (size_t)(e - *buf) + 4;
			status = atoi(*buf + 9);
			*e = '\0';
			cl = strcasestr(*buf, "\r\ncontent-length:");
			*e = '\r';
			if (cl == NULL)
				return (-1);
			clen = strtol(cl + 17, NULL, 10);
		}
		body = have - head;
		if ((long)body >= clen)
			return (status);
	}
}

static void *
client_main(void *arg)
{
	struct client *c = arg;
	char req[2048], *buf = NULL;
	size_t cap = 0, len;
	int s = -1;
	long i;

	len = (size_t)snprintf(req, sizeof(req),
			       "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			       "Authorization: Bearer %s\r\n"
			       "Connection: keep-alive\r\n\r\n",
			       c->a->path, c->a->token);
	for (i = 0; i < c->a->n; i++) {
		double t0 = now_us();
		int st;

		if (s < 0 && (s = http_connect(c->port)) < 0) {
			c->bad++;
			continue;
		}
		st = http_get(s, req, len, &buf, &cap);
		if (st < 0) {
			close(s);
			s = -1;
			c->bad++;
			continue;
		}
		c->lat[c->done++] = now_us() - t0;
		if (st == 200)
			c->ok++;
		else
			c->bad++;
	}
	if (s >= 0)
		close(s);
	free(buf);
	return (NULL);
}

static int
http(const struct args *a)
{
	struct client *c;
	pthread_t *th;
	double *all;
	long i, k, n = 0, ok = 0, bad = 0;
	double t0, t1;

	if (a->port <= 0 || a->path == NULL || a->token == NULL || a->conc < 1)
		return (2);
	c = calloc((size_t)a->conc, sizeof(*c));
	th = calloc((size_t)a->conc, sizeof(*th));
	all = calloc((size_t)(a->conc * a->n), sizeof(*all));
	t0 = now_us();
	for (i = 0; i < a->conc; i++) {
		c[i].a = a;
		c[i].port = a->ports[i % a->nports];
		c[i].lat = calloc((size_t)a->n, sizeof(double));
		pthread_create(&th[i], NULL, client_main, &c[i]);
	}
	for (i = 0; i < a->conc; i++) {
		pthread_join(th[i], NULL);
		for (k = 0; k < c[i].done; k++)
			all[n++] = c[i].lat[k];
		ok += c[i].ok;
		bad += c[i].bad;
	}
	t1 = now_us();
	printf("requests=%ld\nok=%ld\nbad=%ld\nseconds=%.3f\nreq_per_s=%.1f\n",
	       n, ok, bad, (t1 - t0) / 1e6, (double)n / ((t1 - t0) / 1e6));
	printf("p50_us=%.1f\np95_us=%.1f\np99_us=%.1f\n",
	       pct(all, (size_t)n, 0.5), pct(all, (size_t)n, 0.95),
	       pct(all, (size_t)n, 0.99));
	return (bad == 0 ? 0 : 1);
}

int
main(int argc, char **argv)
{
	struct args a;

	signal(SIGPIPE, SIG_IGN);
	if (argc < 2 || parse(argc - 1, argv + 1, &a) != 0) {
		fprintf(stderr,
			"usage: see the comment at the top of hub_bench.c\n");
		return (2);
	}
	if (strcmp(argv[1], "rtt") == 0)
		return (rtt(&a));
	if (strcmp(argv[1], "base") == 0)
		return (base(&a));
	if (strcmp(argv[1], "stats") == 0)
		return (stats(&a));
	if (strcmp(argv[1], "burst") == 0)
		return (burst(&a));
	if (strcmp(argv[1], "http") == 0)
		return (http(&a));
	fprintf(stderr, "usage: see the comment at the top of hub_bench.c\n");
	return (2);
}
