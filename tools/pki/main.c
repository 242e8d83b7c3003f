/*
 * ibx-ca-bulk: the national CA issues certificates for many organisations
 * in one process (proto/crypto/ca.h), for deploy/pki/issue-bulk.sh.
 *
 *   IBX_PKI=DIR ibx-ca-bulk --cnf deploy/pki/openssl.cnf --role ROLE
 *                           [--days N] <CODES
 *
 * CODES: one 10-digit organisation code a line; each gets DIR/issued/
 * CODE.key and CODE.pem. The caller holds the CA's lock (DIR/.lock). Exit
 * status 0 when every code was issued, 1 on the first failure (the codes
 * before it are issued and recorded), 2 for a bad command line.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ca.h"

static int
usage(void)
{
	fprintf(stderr, "usage: IBX_PKI=DIR ibx-ca-bulk --cnf openssl.cnf "
			"--role hospital|coordinator [--days N] <CODES\n");
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
	    {NULL, 0, NULL, 0},
	};
	const char *cnf = NULL, *role = NULL, *dir = getenv("IBX_PKI");
	char line[64], key[4096], cert[4096], err[512];
	struct timespec t0, t1;
	ibx_ca *ca = NULL;
	long days = 825, n = 0;
	int ch, status = 0;

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
		default:
			return (usage());
		}
	}
	if (cnf == NULL || role == NULL || dir == NULL || days < 1 ||
	    days > 36500 ||
	    (strcmp(role, "hospital") != 0 &&
	     strcmp(role, "coordinator") != 0))
		return (usage());
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ibx_ca_open(cnf, &ca, err, sizeof(err)) != IBX_OK) {
		fprintf(stderr, "ibx-ca-bulk: %s\n", err);
		return (1);
	}
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
			break;
		}
		snprintf(key, sizeof(key), "%s/issued/%s.key", dir, line);
		snprintf(cert, sizeof(cert), "%s/issued/%s.pem", dir, line);
		if (ibx_ca_issue(ca, line, role, (int)days, key, cert, err,
				 sizeof(err)) != IBX_OK) {
			fprintf(stderr, "ibx-ca-bulk: %s\n", err);
			status = 1;
			break;
		}
		n++;
	}
	if (ibx_ca_close(ca) != IBX_OK) {
		fprintf(stderr, "ibx-ca-bulk: cannot update the CA index or "
				"serial\n");
		status = 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	fprintf(stderr, "ibx-ca-bulk: %ld certificates in %.2f s\n", n,
		(double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return (status);
}
