/*
 * inbound-spoke check, seal and publish: a listing file checked by every
 * rule of docs/listing-format.md, sealed into an envelope signed with the
 * organisation's key, and (publish) sent to the hub, through the durable
 * outbox with --outbox.  publish --batch FILE publishes many
 * organisations' listings one after the other, each as publish would:
 * its own identity (certificate and key), its own signature and its own
 * mutual-TLS connection, in one process (the main job's thousands of
 * hospitals without foreign patients; issue 18).
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent_drain.h"
#include "envelope.h"
#include "listing_file.h"
#include "log.h"
#include "outbox.h"
#include "send.h"
#include "spoke_cmd.h"

static int
parse_args(int argc, char **argv, struct spoke_config *c)
{
	static const struct option longopts[] = {
	    {"listing", required_argument, NULL, 'l'},
	    {"batch", required_argument, NULL, 'b'},
	    {"hub", required_argument, NULL, 'H'},
	    {"timeout", required_argument, NULL, 't'},
	    {"attempts", required_argument, NULL, 'n'},
	    {"insecure-tcp", no_argument, NULL, 'i'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"ca", required_argument, NULL, 'a'},
	    {"crl", required_argument, NULL, 'r'},
	    {"out", required_argument, NULL, 'o'},
	    {"outbox", required_argument, NULL, 'O'},
	    {"cert-hash", no_argument, NULL, 'F'},
	    {"hub-name", required_argument, NULL, 'A'},
	    {"hub-pin", required_argument, NULL, 'P'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			c->listing = optarg;
			break;
		case 'b':
			c->batch = optarg;
			break;
		case 'o':
			c->out = optarg;
			break;
		case 'h':
			spoke_cmd_help(stdout, argv[0]);
			exit(0);
		default:
			if ((rv = spoke_net_option(ch, optarg, c)) == 1)
				break;
			if (rv == 0)
				spoke_cmd_usage(stderr, argv[0]);
			return (-1);
		}
	}
	if (c->batch != NULL) {
		if (strcmp(argv[0], "publish") != 0 || c->listing != NULL ||
		    c->outbox != NULL || c->tls.cert_file != NULL ||
		    c->tls.key_file != NULL) {
			fprintf(stderr,
				"inbound-spoke: --batch is publish's only, "
				"without --listing, --cert, --key and "
				"--outbox (each line names its own)\n");
			return (-1);
		}
		return (0);
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
	ibx_listing *l;
	ibx_problems problems;

	ibx_problems_init(&problems);
	l = spoke_listing_hospital(path, &problems);
	spoke_listing_problems_print(stderr, path, "listing", &problems);
	ibx_problems_fini(&problems);
	return (l);
}

/* Load the identity and its listing (a hospital's or, with a coordinator
 * certificate, a coordinator's), check that the listing is the identity's
 * own, and seal it with the next sequence of ob (or, without an outbox,
 * the clock's) into *seq.  The listing's organisation code goes to code.
 * Returns 0, or the exit status. */
static int
seal_listing(const struct spoke_config *c, spoke_identity *id,
	     spoke_outbox *ob, char code[32], uint64_t *seq, ibx_bytes *env)
{
	ibx_bytes payload = {NULL, 0};
	ibx_problems problems;
	ibx_payload_type type;
	int status = 1;
	ibx_err rv;

	ibx_problems_init(&problems);
	if (c->tls.cert_file == NULL || c->tls.key_file == NULL) {
		fprintf(stderr, "inbound-spoke: --cert and --key (the "
				"organisation's identity) are required\n");
		return (2);
	}
	if (spoke_identity_load(c->tls.cert_file, c->tls.key_file, id) !=
	    IBX_OK)
		return (1);
	id->send_fingerprint = c->cert_hash != 0;
	rv = spoke_listing_load(c->listing, id, &problems, &type, code,
				&payload);
	if (rv == IBX_EINVAL) {
		spoke_listing_problems_print(stderr, c->listing, "listing",
					     &problems);
		goto out;
	}
	*seq = spoke_sequence_now();
	if (rv != IBX_OK ||
	    (ob != NULL &&
	     (rv = spoke_outbox_sequence(ob, *seq, seq)) != IBX_OK) ||
	    (rv = spoke_envelope_seal(id, *seq, type, &payload, env)) !=
		IBX_OK) {
		fprintf(stderr, "inbound-spoke: cannot seal: %s\n",
			ibx_strerror(rv));
		goto out;
	}
	status = 0;
out:
	ibx_bytes_fini(&payload);
	ibx_problems_fini(&problems);
	return (status);
}

static int
run_seal(const struct spoke_config *c)
{
	spoke_identity id;
	char code[32] = "";
	ibx_bytes env = {NULL, 0};
	FILE *f = NULL;
	uint64_t seq;
	int status;

	memset(&id, 0, sizeof(id));
	if (c->out == NULL) {
		fprintf(stderr, "inbound-spoke: --out is required\n");
		return (2);
	}
	if ((status = seal_listing(c, &id, NULL, code, &seq, &env)) != 0)
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
	printf("%s: sealed listing %s into %s (%zu bytes)\n", c->listing, code,
	       c->out, env.len);
	status = 0;
out:
	if (f != NULL)
		fclose(f);
	ibx_bytes_fini(&env);
	spoke_identity_fini(&id);
	return (status);
}

static int
run_publish(const struct spoke_config *c)
{
	spoke_identity id;
	char code[32] = "";
	ibx_bytes env = {NULL, 0};
	spoke_send_opts so;
	spoke_outbox *ob = NULL;
	uint64_t seq;
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
	if (c->outbox != NULL && spoke_outbox_open(c->outbox, &ob) != IBX_OK)
		return (1);
	if ((status = seal_listing(c, &id, ob, code, &seq, &env)) != 0)
		goto out;
	status = 1;
	memset(&so, 0, sizeof(so));
	so.hubs = c->hubs;
	so.nhubs = c->nhubs;
	so.tls = c->tls;
	so.hub_pin = c->hub_pin;
	so.timeout_ms = (int)c->timeout_ms;
	so.attempts = (int)c->attempts;
	rv = ob != NULL ? spoke_agent_deliver(ob, &so, seq, &env, &ack)
			: spoke_send(&so, &env, &ack);
	if (rv == IBX_ETIMEDOUT || (rv != IBX_OK && ob == NULL)) {
		fprintf(
		    stderr, "inbound-spoke: no answer from the hub: %s%s\n",
		    ibx_strerror(rv),
		    ob != NULL ? " (the listing waits in the outbox)" : "");
		status = 3;
		goto out;
	}
	if (rv != IBX_OK) {
		fprintf(stderr, "inbound-spoke: %s: outbox: %s\n", c->outbox,
			ibx_strerror(rv));
		goto out;
	}
	if (ack.status == IBX_ACK_ACCEPTED ||
	    ack.status == IBX_ACK_DUPLICATE) {
		printf("%s: listing %s accepted as version %d (sequence "
		       "%llu)\n",
		       c->listing, code, ack.listing_version,
		       (unsigned long long)ack.sequence);
		status = 0;
	} else
		fprintf(stderr, "%s: hub refused the listing (%s): %s\n",
			c->listing, ibx_ack_status_name(ack.status),
			ack.error);
out:
	ibx_bytes_fini(&env);
	spoke_identity_fini(&id);
	spoke_outbox_close(ob);
	return (status);
}

/* The options of check, seal and publish, with the defaults main.c used to
 * set: a 5 s time-out and 5 attempts. */
static int
listing_args(int argc, char **argv, struct spoke_config *c)
{
	memset(c, 0, sizeof(*c));
	c->timeout_ms = 5000;
	c->attempts = 5;
	return (parse_args(argc, argv, c));
}

int
spoke_cmd_check(int argc, char **argv)
{
	struct spoke_config c;
	ibx_listing *l;

	if (listing_args(argc, argv, &c) != 0)
		return (2);
	if ((l = load_listing(c.listing)) == NULL)
		return (1);
	printf("%s: listing %s is valid\n", c.listing, l->organisation_code);
	ibx_listing_free(l);
	return (0);
}

int
spoke_cmd_seal(int argc, char **argv)
{
	struct spoke_config c;

	if (listing_args(argc, argv, &c) != 0)
		return (2);
	return (run_seal(&c));
}

/* publish --batch: each line of c->batch ("-": standard input) is
 * "LISTING CERT KEY" (paths without white space; blank lines and lines
 * starting with # are skipped), published as run_publish publishes one:
 * its own identity, envelope and connection (spoke_send opens a client
 * for each).  Every line is tried; the exit status is 0 when every listing
 * was accepted, else the first line's that was not (1 refused or invalid,
 * 2 a malformed line, 3 no answer). */
static int
run_batch(struct spoke_config *c)
{
	char line[3 * 4096 + 8], listing[4096], cert[4096], key[4096];
	FILE *f;
	long n = 0;
	int status = 0, st;

	f = strcmp(c->batch, "-") == 0 ? stdin : fopen(c->batch, "r");
	if (f == NULL) {
		perror(c->batch);
		return (1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		n++;
		if (line[strspn(line, " \t\r\n")] == '\0' || line[0] == '#')
			continue;
		if (sscanf(line, "%4095s %4095s %4095s", listing, cert, key) !=
		    3) {
			fprintf(stderr,
				"inbound-spoke: %s, line %ld: want \"LISTING "
				"CERT KEY\"\n",
				c->batch, n);
			st = 2;
		} else {
			c->listing = listing;
			c->tls.cert_file = cert;
			c->tls.key_file = key;
			st = run_publish(c);
		}
		if (status == 0)
			status = st;
		fflush(stdout);
	}
	if (ferror(f)) {
		perror(c->batch);
		if (status == 0)
			status = 1;
	}
	if (f != stdin)
		fclose(f);
	return (status);
}

int
spoke_cmd_publish(int argc, char **argv)
{
	struct spoke_config c;

	if (listing_args(argc, argv, &c) != 0)
		return (2);
	return (c.batch != NULL ? run_batch(&c) : run_publish(&c));
}
