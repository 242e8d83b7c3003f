/*
 * Figure 7 of tests/bench/run.sh (issue 8): many idle mutual-TLS
 * connections.  Prints key=value lines and asserts nothing about time
 * (STYLE.md); every wait has a timeout.
 *
 *   bench_conns dial --url tls+tcp://127.0.0.1:P --pki DIR --codes FILE
 *       --ca CA [--n 10000] [--inflight 200] [--timeout-s 120]
 *       [--hold-s 600]
 *       N REQ sockets, each its own nng socket and dialer, socket i
 *       presenting the certificate DIR/issued/CODE.pem (key CODE.key) of
 *       code i mod M among the M codes listed in FILE (one TLS config per
 *       certificate, shared by its sockets).  At most INFLIGHT dials are
 *       outstanding at a time.  A connection counts once nng has added
 *       its pipe (TCP, the TLS handshake and the SP header exchange all
 *       done).  Prints pipes=K and seconds=S when all N are up or the
 *       timeout passed, then keeps them open HOLD-S seconds (or until
 *       killed) without sending anything, and prints pipes_held=K, the
 *       pipes still up then.  Exit 1 when fewer than N were up.
 *   bench_conns listen --url tls+tcp://127.0.0.1:P --cert C --key K
 *       --ca CA [--crl CRL]
 *       the baseline: a bare nng rep0 socket with one listener, TLS
 *       configured as proto/transport/transport.c configures the hub (peer
 *       certificate required, CA chain and CRL, own certificate, all as
 *       PEM text; NNG_OPT_RECVMAXSZ = IBX_WIRE_MAX_MESSAGE); prints
 *       listening=1 and waits until killed.
 */
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>
#include <nng/supplemental/util/platform.h>

#include "wire.h"

static atomic_long pipes;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/* A whole PEM file (at most 1 MiB) as a new string, or NULL. */
static char *
read_text(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n;

	if (f == NULL)
		goto out;
	if ((buf = malloc(1024 * 1024 + 1)) == NULL)
		goto out;
	n = fread(buf, 1, 1024 * 1024, f);
	buf[n] = '\0';
out:
	if (f != NULL)
		fclose(f);
	if (buf == NULL)
		fprintf(stderr, "bench_conns: cannot read %s\n", path);
	return (buf);
}

/* A TLS config as proto/transport/transport.c builds it (mutual TLS, PEM
 * text). */
static nng_tls_config *
tls_new(nng_tls_mode mode, const char *cert, const char *key, const char *ca,
	const char *crl)
{
	nng_tls_config *cfg = NULL;
	char *c = NULL, *k = NULL, *a = NULL, *r = NULL;
	int rv = NNG_ENOMEM;

	if ((c = read_text(cert)) == NULL || (k = read_text(key)) == NULL ||
	    (a = read_text(ca)) == NULL ||
	    (crl != NULL && (r = read_text(crl)) == NULL))
		goto out;
	if ((rv = nng_tls_config_alloc(&cfg, mode)) != 0 ||
	    (rv = nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED)) !=
		0 ||
	    (rv = nng_tls_config_ca_chain(cfg, a, r)) != 0 ||
	    (rv = nng_tls_config_own_cert(cfg, c, k, NULL)) != 0)
		goto out;
out:
	if (rv != 0) {
		fprintf(stderr, "bench_conns: tls config %s: %s\n", cert,
			nng_strerror(rv));
		if (cfg != NULL)
			nng_tls_config_free(cfg);
		cfg = NULL;
	}
	free(c);
	free(k);
	free(a);
	free(r);
	return (cfg);
}

static void
pipe_event(nng_pipe p, nng_pipe_ev ev, void *arg)
{
	(void)p;
	(void)arg;
	if (ev == NNG_PIPE_EV_ADD_POST)
		atomic_fetch_add(&pipes, 1);
	else if (ev == NNG_PIPE_EV_REM_POST)
		atomic_fetch_sub(&pipes, 1);
}

static int
dial(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"url", required_argument, NULL, 'u'},
	    {"pki", required_argument, NULL, 'p'},
	    {"codes", required_argument, NULL, 'c'},
	    {"ca", required_argument, NULL, 'a'},
	    {"n", required_argument, NULL, 'n'},
	    {"inflight", required_argument, NULL, 'i'},
	    {"timeout-s", required_argument, NULL, 't'},
	    {"hold-s", required_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *url = NULL, *pki = NULL, *codes = NULL, *ca = NULL;
	long n = 10000, inflight = 200, timeout_s = 120, hold_s = 600, i;
	long ncfg = 0;
	nng_tls_config *cfg[1024];
	char line[64], cert[4096], key[4096];
	FILE *f = NULL;
	double t0, deadline;
	int ch, rv, ret = 2;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			url = optarg;
			break;
		case 'p':
			pki = optarg;
			break;
		case 'c':
			codes = optarg;
			break;
		case 'a':
			ca = optarg;
			break;
		case 'n':
			n = strtol(optarg, NULL, 10);
			break;
		case 'i':
			inflight = strtol(optarg, NULL, 10);
			break;
		case 't':
			timeout_s = strtol(optarg, NULL, 10);
			break;
		case 'h':
			hold_s = strtol(optarg, NULL, 10);
			break;
		default:
			return (2);
		}
	}
	if (url == NULL || pki == NULL || codes == NULL || ca == NULL ||
	    n < 1 || inflight < 1) {
		fprintf(stderr,
			"bench_conns dial: --url, --pki, --codes and "
			"--ca are required; --n and --inflight >= 1\n");
		return (2);
	}
	if ((f = fopen(codes, "r")) == NULL) {
		fprintf(stderr, "bench_conns: cannot read %s\n", codes);
		return (2);
	}
	while (ncfg < 1024 && fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		snprintf(cert, sizeof(cert), "%s/issued/%s.pem", pki, line);
		snprintf(key, sizeof(key), "%s/issued/%s.key", pki, line);
		if ((cfg[ncfg] = tls_new(NNG_TLS_MODE_CLIENT, cert, key, ca,
					 NULL)) == NULL)
			goto out;
		ncfg++;
	}
	if (ncfg == 0) {
		fprintf(stderr, "bench_conns: no codes in %s\n", codes);
		goto out;
	}
	t0 = now_s();
	deadline = t0 + (double)timeout_s;
	ret = 1;
	for (i = 0; i < n; i++) {
		nng_socket s;
		nng_dialer d;

		while (i - atomic_load(&pipes) >= inflight &&
		       now_s() < deadline)
			nng_msleep(2);
		if (now_s() >= deadline)
			break;
		if ((rv = nng_req0_open(&s)) != 0 ||
		    (rv = nng_pipe_notify(s, NNG_PIPE_EV_ADD_POST, pipe_event,
					  NULL)) != 0 ||
		    (rv = nng_pipe_notify(s, NNG_PIPE_EV_REM_POST, pipe_event,
					  NULL)) != 0 ||
		    (rv = nng_socket_set_size(s, NNG_OPT_RECVMAXSZ,
					      IBX_WIRE_MAX_MESSAGE)) != 0 ||
		    (rv = nng_socket_set_ms(s, NNG_OPT_RECONNMINT, 100)) !=
			0 ||
		    (rv = nng_socket_set_ms(s, NNG_OPT_RECONNMAXT, 2000)) !=
			0 ||
		    (rv = nng_dialer_create(&d, s, url)) != 0 ||
		    (rv = nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG,
					     cfg[i % ncfg])) != 0 ||
		    (rv = nng_dialer_start(d, NNG_FLAG_NONBLOCK)) != 0) {
			fprintf(stderr, "bench_conns: socket %ld: %s\n", i,
				nng_strerror(rv));
			break;
		}
	}
	while (atomic_load(&pipes) < n && now_s() < deadline)
		nng_msleep(10);
	printf("sockets=%ld\npipes=%ld\nseconds=%.1f\n", i,
	       atomic_load(&pipes), now_s() - t0);
	fflush(stdout);
	if (atomic_load(&pipes) >= n)
		ret = 0;
	/* Held open until killed or HOLD-S passed; the process exit closes
	 * the sockets (closing 10,000 nng sockets one by one is slow). */
	sleep((unsigned)hold_s);
	printf("pipes_held=%ld\n", atomic_load(&pipes));
out:
	fclose(f);
	return (ret);
}

static int
listen_bare(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"url", required_argument, NULL, 'u'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"ca", required_argument, NULL, 'a'},
	    {"crl", required_argument, NULL, 'r'},
	    {NULL, 0, NULL, 0},
	};
	const char *url = NULL, *cert = NULL, *key = NULL, *ca = NULL;
	const char *crl = NULL;
	nng_socket s;
	nng_listener l;
	nng_tls_config *cfg;
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'u':
			url = optarg;
			break;
		case 'c':
			cert = optarg;
			break;
		case 'k':
			key = optarg;
			break;
		case 'a':
			ca = optarg;
			break;
		case 'r':
			crl = optarg;
			break;
		default:
			return (2);
		}
	}
	if (url == NULL || cert == NULL || key == NULL || ca == NULL) {
		fprintf(stderr, "bench_conns listen: --url, --cert, --key and "
				"--ca are required\n");
		return (2);
	}
	if ((cfg = tls_new(NNG_TLS_MODE_SERVER, cert, key, ca, crl)) == NULL)
		return (1);
	if ((rv = nng_rep0_open(&s)) != 0 ||
	    (rv = nng_socket_set_size(s, NNG_OPT_RECVMAXSZ,
				      IBX_WIRE_MAX_MESSAGE)) != 0 ||
	    (rv = nng_listener_create(&l, s, url)) != 0 ||
	    (rv = nng_listener_set_ptr(l, NNG_OPT_TLS_CONFIG, cfg)) != 0 ||
	    (rv = nng_listener_set_size(l, NNG_OPT_RECVMAXSZ,
					IBX_WIRE_MAX_MESSAGE)) != 0 ||
	    (rv = nng_listener_start(l, 0)) != 0) {
		fprintf(stderr, "bench_conns: listen on %s: %s\n", url,
			nng_strerror(rv));
		return (1);
	}
	nng_tls_config_free(cfg);
	printf("listening=1\n");
	fflush(stdout);
	for (;;)
		pause();
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "dial") == 0)
		return (dial(argc - 1, argv + 1));
	if (argc >= 2 && strcmp(argv[1], "listen") == 0)
		return (listen_bare(argc - 1, argv + 1));
	fprintf(stderr, "usage: bench_conns dial|listen ... (see the source "
			"comment)\n");
	return (2);
}
