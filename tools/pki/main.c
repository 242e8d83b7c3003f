/*
 * ibx-ca-bulk: the national CA issues certificates for many organisations
 * in one process (proto/crypto/ca.h), for deploy/pki/issue-bulk.sh.
 *
 *   IBX_PKI=DIR ibx-ca-bulk --cnf deploy/pki/openssl.cnf --role ROLE
 *                           [--days N] [--jobs N] <CODES
 *
 * CODES: one 10-digit organisation code a line; each gets DIR/issued/
 * CODE.key and CODE.pem. --jobs: threads signing at once (default the
 * number of online processors; RSA-3072 signing by the national CA is most
 * of the work, 1.8 ms a certificate on this machine by `openssl speed
 * rsa3072`). The caller holds the CA's lock (DIR/.lock). Exit status 0
 * when every code was issued; 1 when one was not (the bad code or the
 * reason printed; no code is started after a failure, the codes finished
 * are issued and recorded); 2 for a bad command line. Every code is checked
 * before any is issued.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ca.h"

#define JOBS_MAX 64

/* The run the threads share: codes[next..n) are still to issue. */
struct bulk {
	ibx_ca *ca;
	const char *dir, *role;
	long days;
	char (*codes)[11];
	size_t n, next, issued;
	int failed;
	pthread_mutex_t lock;
};

/* One thread: issue the next code until none is left or one failed. */
static void *
worker(void *arg)
{
	struct bulk *b = arg;
	char key[4096], cert[4096], err[512];
	const char *code;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&b->lock);
		if (b->failed || b->next >= b->n) {
			pthread_mutex_unlock(&b->lock);
			break;
		}
		i = b->next++;
		pthread_mutex_unlock(&b->lock);
		code = b->codes[i];
		snprintf(key, sizeof(key), "%s/issued/%s.key", b->dir, code);
		snprintf(cert, sizeof(cert), "%s/issued/%s.pem", b->dir, code);
		if (ibx_ca_issue(b->ca, code, b->role, (int)b->days, key, cert,
				 err, sizeof(err)) != IBX_OK) {
			pthread_mutex_lock(&b->lock);
			fprintf(stderr, "ibx-ca-bulk: %s\n", err);
			b->failed = 1;
			pthread_mutex_unlock(&b->lock);
			break;
		}
		pthread_mutex_lock(&b->lock);
		b->issued++;
		pthread_mutex_unlock(&b->lock);
	}
	return (NULL);
}

static int
usage(void)
{
	fprintf(stderr, "usage: IBX_PKI=DIR ibx-ca-bulk --cnf openssl.cnf "
			"--role hospital|coordinator [--days N] [--jobs N] "
			"<CODES\n");
	return (2);
}

/* True for exactly 10 ASCII digits. */
static int
is_code(const char *s)
{
	return (strlen(s) == 10 && strspn(s, "0123456789") == 10);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"cnf", required_argument, NULL, 'c'},
	    {"role", required_argument, NULL, 'r'},
	    {"days", required_argument, NULL, 'd'},
	    {"jobs", required_argument, NULL, 'j'},
	    {NULL, 0, NULL, 0},
	};
	const char *cnf = NULL, *role = NULL, *dir = getenv("IBX_PKI");
	char line[64], err[512];
	struct timespec t0, t1;
	struct bulk b;
	pthread_t threads[JOBS_MAX];
	size_t cap = 0;
	long days = 825, jobs = sysconf(_SC_NPROCESSORS_ONLN), started = 0, i;
	int ch, status = 0;

	memset(&b, 0, sizeof(b));
	pthread_mutex_init(&b.lock, NULL);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			cnf = optarg;
			break;
		case 'r':
			role = optarg;
			break;
		case 'd':
			days = strtol(optarg, NULL, 10);
			break;
		case 'j':
			jobs = strtol(optarg, NULL, 10);
			break;
		default:
			return (usage());
		}
	}
	if (cnf == NULL || role == NULL || dir == NULL || days < 1 ||
	    days > 36500 || jobs < 1 || jobs > JOBS_MAX ||
	    (strcmp(role, "hospital") != 0 &&
	     strcmp(role, "coordinator") != 0))
		return (usage());
	/* Every code first: a bad one issues nothing. */
	while (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0')
			continue;
		if (!is_code(line)) {
			fprintf(stderr,
				"ibx-ca-bulk: organisation code must be 10 "
				"digits: \"%.20s\"\n",
				line);
			status = 1;
			goto out;
		}
		if (b.n == cap) {
			void *p;

			cap = cap != 0 ? cap * 2 : 1024;
			if ((p = realloc(b.codes, cap * sizeof(*b.codes))) ==
			    NULL) {
				fprintf(stderr,
					"ibx-ca-bulk: out of memory\n");
				status = 1;
				goto out;
			}
			b.codes = p;
		}
		memcpy(b.codes[b.n++], line, 11);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ibx_ca_open(cnf, &b.ca, err, sizeof(err)) != IBX_OK) {
		fprintf(stderr, "ibx-ca-bulk: %s\n", err);
		status = 1;
		goto out;
	}
	b.dir = dir;
	b.role = role;
	b.days = days;
	if ((size_t)jobs > b.n)
		jobs = b.n > 0 ? (long)b.n : 1;
	for (i = 0; i < jobs; i++) {
		if (pthread_create(&threads[i], NULL, worker, &b) != 0)
			break;
		started++;
	}
	if (started == 0)
		worker(&b);
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	if (b.failed)
		status = 1;
	if (ibx_ca_close(b.ca) != IBX_OK) {
		fprintf(stderr, "ibx-ca-bulk: cannot update the CA index or "
				"serial\n");
		status = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "ibx-ca-bulk: %zu certificates in %.2f s (%ld jobs)\n",
		b.issued,
		(double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		started > 0 ? started : 1);
out:
	free(b.codes);
	pthread_mutex_destroy(&b.lock);
	return (status);
}
