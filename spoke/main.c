/*
 * inbound-spoke: the agent a hospital or coordinator runs.  This file
 * parses arguments and wires the modules.
 *
 *   inbound-spoke check --listing FILE.json
 *   inbound-spoke seal --listing FILE.json --cert C --key K --out FILE
 *   inbound-spoke publish --hub URL [--hub URL ...] --listing FILE.json
 *                         --cert C --key K --ca CA
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "envelope.h"
#include "listing_json.h"
#include "log.h"
#include "send.h"

#define HUBS_MAX 8

struct spoke_config {
	const char *listing;
	const char *out;
	int cert_hash;
	const char *hubs[HUBS_MAX];
	size_t nhubs;
	long timeout_ms;
	long attempts;
	int insecure_tcp;
	ibx_transport_opts tls;
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: inbound-spoke check --listing FILE.json\n"
		"       inbound-spoke publish --hub URL [--hub URL ...] "
		"--listing FILE.json\n"
		"                     [--timeout MS] [--attempts N] "
		"[--insecure-tcp]\n"
		"                     [--cert F --key F --ca F]\n"
		"\n"
		"Exit status: 0 accepted (or valid), 1 refused or invalid, 2 "
		"usage,\n"
		"3 no answer from any hub.\n");
}

static int
parse_long(const char *name, const char *s, long min, long max, long *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "inbound-spoke: %s: expected %ld to %ld\n",
			name, min, max);
		return (-1);
	}
	*out = v;
	return (0);
}

static int
parse_args(int argc, char **argv, struct spoke_config *c)
{
	static const struct option longopts[] = {
	    {"listing", required_argument, NULL, 'l'},
	    {"hub", required_argument, NULL, 'H'},
	    {"timeout", required_argument, NULL, 't'},
	    {"attempts", required_argument, NULL, 'n'},
	    {"insecure-tcp", no_argument, NULL, 'i'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"ca", required_argument, NULL, 'a'},
	    {"crl", required_argument, NULL, 'r'},
	    {"out", required_argument, NULL, 'o'},
	    {"cert-hash", no_argument, NULL, 'F'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			c->listing = optarg;
			break;
		case 'H':
			if (c->nhubs == HUBS_MAX) {
				fprintf(stderr,
					"inbound-spoke: at most %d --hub\n",
					HUBS_MAX);
				return (-1);
			}
			c->hubs[c->nhubs++] = optarg;
			break;
		case 't':
			if (parse_long("--timeout", optarg, 10, 600000,
				       &c->timeout_ms) != 0)
				return (-1);
			break;
		case 'n':
			if (parse_long("--attempts", optarg, 1, 1000,
				       &c->attempts) != 0)
				return (-1);
			break;
		case 'i':
			c->insecure_tcp = 1;
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
		case 'o':
			c->out = optarg;
			break;
		case 'F':
			c->cert_hash = 1;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return (-1);
		}
	}
	if (c->listing == NULL) {
		fprintf(stderr, "inbound-spoke: --listing is required\n");
		return (-1);
	}
	return (0);
}

/* Load and check a listing; print every problem.  NULL when invalid. */
static ibx_listing *
load_listing(const char *path)
{
	ibx_listing *l = NULL;
	ibx_problems problems;
	size_t i;

	ibx_problems_init(&problems);
	if (ibx_listing_load_file(path, &problems, &l) == IBX_OK &&
	    ibx_listing_check(l, &problems) != IBX_OK) {
		ibx_listing_free(l);
		l = NULL;
	}
	for (i = 0; i < problems.n; i++)
		fprintf(stderr, "%s: listing refused: %s\n", path,
			problems.items[i]);
	if (problems.dropped > 0)
		fprintf(stderr, "%s: and %zu more problems\n", path,
			problems.dropped);
	ibx_problems_fini(&problems);
	return (l);
}

/* Load the identity and the listing, check that the listing is the
 * identity's own, and seal it.  Returns 0, or the exit status. */
static int
seal_listing(const struct spoke_config *c, spoke_identity *id,
	     ibx_listing **lp, ibx_bytes *env)
{
	ibx_bytes payload = {NULL, 0};
	ibx_err rv;

	if (c->tls.cert_file == NULL || c->tls.key_file == NULL) {
		fprintf(stderr, "inbound-spoke: --cert and --key (the "
				"organisation's identity) are required\n");
		return (2);
	}
	if ((*lp = load_listing(c->listing)) == NULL)
		return (1);
	if (spoke_identity_load(c->tls.cert_file, c->tls.key_file, id) !=
	    IBX_OK)
		return (1);
	id->send_fingerprint = c->cert_hash != 0;
	if (strcmp(id->role, "hospital") != 0 ||
	    strcmp(id->code, (*lp)->organisation_code) != 0) {
		fprintf(stderr,
			"%s: listing refused: field \"organisation_code\": %s "
			"is not this spoke's organisation (%s, %s)\n",
			c->listing, (*lp)->organisation_code, id->code,
			id->role);
		return (1);
	}
	if ((rv = ibx_listing_encode(*lp, &payload)) != IBX_OK ||
	    (rv = spoke_envelope_seal(id, spoke_sequence_now(),
				      IBX_PAYLOAD_HOSPITAL_LISTING, &payload,
				      env)) != IBX_OK) {
		fprintf(stderr, "inbound-spoke: cannot seal: %s\n",
			ibx_strerror(rv));
		ibx_bytes_fini(&payload);
		return (1);
	}
	ibx_bytes_fini(&payload);
	return (0);
}

static int
run_seal(const struct spoke_config *c)
{
	spoke_identity id;
	ibx_listing *l = NULL;
	ibx_bytes env = {NULL, 0};
	FILE *f = NULL;
	int status;

	memset(&id, 0, sizeof(id));
	if (c->out == NULL) {
		fprintf(stderr, "inbound-spoke: --out is required\n");
		return (2);
	}
	if ((status = seal_listing(c, &id, &l, &env)) != 0)
		goto out;
	status = 1;
	if ((f = fopen(c->out, "wb")) == NULL ||
	    fwrite(env.data, 1, env.len, f) != env.len) {
		perror(c->out);
		goto out;
	}
	if (fclose(f) != 0) {
		f = NULL;
		perror(c->out);
		goto out;
	}
	f = NULL;
	printf("%s: sealed listing %s into %s (%zu bytes)\n", c->listing,
	       l->organisation_code, c->out, env.len);
	status = 0;
out:
	if (f != NULL)
		fclose(f);
	ibx_bytes_fini(&env);
	ibx_listing_free(l);
	spoke_identity_fini(&id);
	return (status);
}

static int
run_publish(const struct spoke_config *c)
{
	spoke_identity id;
	ibx_listing *l = NULL;
	ibx_bytes env = {NULL, 0};
	spoke_send_opts so;
	ibx_ack ack;
	size_t i;
	int status;
	ibx_err rv;

	memset(&id, 0, sizeof(id));
	if (c->nhubs == 0) {
		fprintf(stderr, "inbound-spoke: --hub is required\n");
		return (2);
	}
	for (i = 0; i < c->nhubs; i++)
		if (strncmp(c->hubs[i], "tcp://", 6) == 0 &&
		    !c->insecure_tcp) {
			fprintf(stderr,
				"inbound-spoke: %s is not encrypted; use "
				"tls+tcp:// or pass --insecure-tcp\n",
				c->hubs[i]);
			return (2);
		}
	if ((status = seal_listing(c, &id, &l, &env)) != 0)
		goto out;
	status = 1;
	memset(&so, 0, sizeof(so));
	so.hubs = c->hubs;
	so.nhubs = c->nhubs;
	so.tls = c->tls;
	so.timeout_ms = (int)c->timeout_ms;
	so.attempts = (int)c->attempts;
	if ((rv = spoke_send(&so, &env, &ack)) != IBX_OK) {
		fprintf(stderr, "inbound-spoke: no answer from the hub: %s\n",
			ibx_strerror(rv));
		status = 3;
		goto out;
	}
	if (ack.status == IBX_ACK_ACCEPTED ||
	    ack.status == IBX_ACK_DUPLICATE) {
		printf("%s: listing %s accepted as version %d (sequence "
		       "%llu)\n",
		       c->listing, l->organisation_code, ack.listing_version,
		       (unsigned long long)ack.sequence);
		status = 0;
	} else
		fprintf(stderr, "%s: hub refused the listing (%s): %s\n",
			c->listing, ibx_ack_status_name(ack.status),
			ack.error);
out:
	ibx_bytes_fini(&env);
	ibx_listing_free(l);
	spoke_identity_fini(&id);
	return (status);
}

int
main(int argc, char **argv)
{
	struct spoke_config c;
	const char *cmd;
	ibx_listing *l;

	ibx_log_init("inbound-spoke", IBX_LOG_WARN);
	memset(&c, 0, sizeof(c));
	c.timeout_ms = 5000;
	c.attempts = 5;
	if (argc < 2) {
		usage(stderr);
		return (2);
	}
	cmd = argv[1];
	if (parse_args(argc - 1, argv + 1, &c) != 0)
		return (2);
	if (strcmp(cmd, "check") == 0) {
		if ((l = load_listing(c.listing)) == NULL)
			return (1);
		printf("%s: listing %s is valid\n", c.listing,
		       l->organisation_code);
		ibx_listing_free(l);
		return (0);
	}
	if (strcmp(cmd, "publish") == 0)
		return (run_publish(&c));
	if (strcmp(cmd, "seal") == 0)
		return (run_seal(&c));
	fprintf(stderr, "inbound-spoke: unknown command \"%s\"\n", cmd);
	usage(stderr);
	return (2);
}
