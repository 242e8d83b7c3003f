/*
 * The baseline of the referral transfer benchmark (tests/bench/
 * referral_bench.sh): the same bytes through a bare nng REQ/REP socket
 * pair over mutual TLS on loopback, in one process, with nothing else:
 * no envelope, no signature, no database, no outbox.  Prints key=value
 * lines and asserts nothing about time (STYLE.md).
 *
 *   bench_referral base --server-cert C --server-key K --client-cert C2
 *       --client-key K2 --ca CA --mib N [--chunk BYTES]
 *       N MiB sent as messages of --chunk bytes (default: a 1 MiB chunk's
 *       envelope, 1,049,600 bytes), each answered by a 300-byte reply (an
 *       Ack's size); prints bytes, seconds, MB/s and the process's CPU
 *       time over the transfer (user + system, both ends: getrusage).
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <nng/nng.h>
#include <nng/protocol/reqrep0/rep.h>
#include <nng/protocol/reqrep0/req.h>
#include <nng/supplemental/tls/tls.h>

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)n + 1)) == NULL) {
		fprintf(stderr, "bench_referral: cannot read %s\n", path);
		exit(1);
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n)
		exit(1);
	buf[n] = '\0';
	fclose(f);
	return (buf);
}

/* The process's CPU time so far, user + system, in seconds. */
static double
cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return (0);
	return ((double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
		((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) /
		    1e6);
}

static nng_tls_config *
tls(nng_tls_mode mode, const char *cert, const char *key, const char *ca)
{
	nng_tls_config *cfg;

	if (nng_tls_config_alloc(&cfg, mode) != 0 ||
	    nng_tls_config_auth_mode(cfg, NNG_TLS_AUTH_MODE_REQUIRED) != 0 ||
	    nng_tls_config_ca_chain(cfg, slurp(ca), NULL) != 0 ||
	    nng_tls_config_own_cert(cfg, slurp(cert), slurp(key), NULL) != 0 ||
	    (mode == NNG_TLS_MODE_CLIENT &&
	     nng_tls_config_server_name(cfg, "127.0.0.1") != 0)) {
		fprintf(stderr, "bench_referral: TLS configuration refused\n");
		exit(1);
	}
	return (cfg);
}

struct server {
	nng_socket sock;
	long n;
};

static void *
serve(void *arg)
{
	struct server *s = arg;
	char reply[300];
	nng_msg *m;
	long i;

	memset(reply, 'a', sizeof(reply));
	for (i = 0; i < s->n; i++) {
		if (nng_recvmsg(s->sock, &m, 0) != 0)
			return (NULL);
		nng_msg_clear(m);
		nng_msg_append(m, reply, sizeof(reply));
		if (nng_sendmsg(s->sock, m, 0) != 0)
			nng_msg_free(m);
	}
	return (NULL);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"server-cert", required_argument, NULL, 'c'},
	    {"server-key", required_argument, NULL, 'k'},
	    {"client-cert", required_argument, NULL, 'C'},
	    {"client-key", required_argument, NULL, 'K'},
	    {"ca", required_argument, NULL, 'a'},
	    {"mib", required_argument, NULL, 'm'},
	    {"chunk", required_argument, NULL, 'z'},
	    {NULL, 0, NULL, 0},
	};
	const char *sc = NULL, *sk = NULL, *cc = NULL, *ck = NULL, *ca = NULL;
	long mib = 1024, chunk = 1049600, n, i;
	struct server s;
	nng_socket req;
	nng_listener l;
	nng_dialer d;
	nng_sockaddr sa;
	pthread_t t;
	struct timespec t0, t1;
	char url[64], *buf;
	size_t len;
	double secs, cpu0, cpu;
	int ch;

	if (argc < 2 || strcmp(argv[1], "base") != 0)
		return (2);
	while ((ch = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			sc = optarg;
			break;
		case 'k':
			sk = optarg;
			break;
		case 'C':
			cc = optarg;
			break;
		case 'K':
			ck = optarg;
			break;
		case 'a':
			ca = optarg;
			break;
		case 'm':
			mib = strtol(optarg, NULL, 10);
			break;
		case 'z':
			chunk = strtol(optarg, NULL, 10);
			break;
		default:
			return (2);
		}
	}
	if (sc == NULL || sk == NULL || cc == NULL || ck == NULL ||
	    ca == NULL || mib < 1 || chunk < 1024)
		return (2);
	n = (mib * 1048576 + 1048575) / 1048576;
	if (nng_rep0_open(&s.sock) != 0 || nng_req0_open(&req) != 0)
		return (1);
	nng_socket_set_size(s.sock, NNG_OPT_RECVMAXSZ, 4 << 20);
	nng_socket_set_size(req, NNG_OPT_RECVMAXSZ, 4 << 20);
	if (nng_listener_create(&l, s.sock, "tls+tcp://127.0.0.1:0") != 0 ||
	    nng_listener_set_ptr(l, NNG_OPT_TLS_CONFIG,
				 tls(NNG_TLS_MODE_SERVER, sc, sk, ca)) != 0 ||
	    nng_listener_start(l, 0) != 0 ||
	    nng_listener_get_addr(l, NNG_OPT_LOCADDR, &sa) != 0)
		return (1);
	snprintf(url, sizeof(url), "tls+tcp://127.0.0.1:%u",
		 (unsigned)ntohs(sa.s_in.sa_port));
	if (nng_dialer_create(&d, req, url) != 0 ||
	    nng_dialer_set_ptr(d, NNG_OPT_TLS_CONFIG,
			       tls(NNG_TLS_MODE_CLIENT, cc, ck, ca)) != 0 ||
	    nng_dialer_start(d, 0) != 0) {
		fprintf(stderr, "bench_referral: cannot dial %s\n", url);
		return (1);
	}
	s.n = n;
	pthread_create(&t, NULL, serve, &s);
	if ((buf = malloc((size_t)chunk)) == NULL)
		return (1);
	for (i = 0; i < chunk; i++)
		buf[i] = (char)(i * 131 + 7);
	cpu0 = cpu_s();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		char *r = NULL;

		if (nng_send(req, buf, (size_t)chunk, 0) != 0 ||
		    nng_recv(req, &r, &len, NNG_FLAG_ALLOC) != 0) {
			fprintf(stderr, "bench_referral: message %ld failed\n",
				i);
			return (1);
		}
		nng_free(r, len);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pthread_join(t, NULL);
	cpu = cpu_s() - cpu0;
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf(
	    "base_messages=%ld\nbase_bytes=%ld\nbase_seconds=%.3f\n"
	    "base_mb_per_s=%.1f\nbase_cpu_s=%.3f\nbase_cpu_us_per_mb=%.0f\n",
	    n, n * chunk, secs, (double)(n * chunk) / 1e6 / secs, cpu,
	    cpu * 1e6 / ((double)(n * chunk) / 1e6));
	free(buf);
	nng_close(req);
	nng_close(s.sock);
	return (0);
}
