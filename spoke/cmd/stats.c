/*
 * inbound-spoke stats: a hospital's case-record export turned into
 * anonymised statistics cells (cases_*.c) and sent, one submission per
 * reporting period from --period to --until, over one connection and,
 * with --outbox, through the durable outbox.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "civil.h"
#include "agent_drain.h"
#include "cases_file.h"
#include "cases_print.h"
#include "statistics_seal.h"
#include "envelope.h"
#include "log.h"
#include "outbox.h"
#include "referral_cli.h"
#include "send.h"
#include "spoke_cmd.h"

/* The options of "stats". */
struct stats_config {
	const char *cases;
	const char *period;
	const char *until; /* last period of a range, or NULL */
	const char *map;
	const char *format;
	const char *state; /* the referral state folder (its ledger) */
	bool icd10_category;
	bool skip_bad_rows;
	bool dry_run;
	bool nil;
	bool nil_if_empty;
	struct spoke_config net; /* hubs, identity, timeouts */
	ibx_req_client *client;	 /* one connection for every period */
	spoke_outbox *ob;	 /* with --outbox */
};

static int
parse_stats_args(int argc, char **argv, struct stats_config *c)
{
	static const struct option longopts[] = {
	    {"cases", required_argument, NULL, 'C'},
	    {"period", required_argument, NULL, 'p'},
	    {"until", required_argument, NULL, 'U'},
	    {"map", required_argument, NULL, 'm'},
	    {"icd10-level", required_argument, NULL, 'L'},
	    {"skip-bad-rows", no_argument, NULL, 'S'},
	    {"dry-run", no_argument, NULL, 'D'},
	    {"format", required_argument, NULL, 'f'},
	    {"nil", no_argument, NULL, 'N'},
	    {"nil-if-empty", no_argument, NULL, 'E'},
	    {"state", required_argument, NULL, 'Q'},
	    {"hub", required_argument, NULL, 'H'},
	    {"timeout", required_argument, NULL, 't'},
	    {"attempts", required_argument, NULL, 'n'},
	    {"insecure-tcp", no_argument, NULL, 'i'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"ca", required_argument, NULL, 'a'},
	    {"crl", required_argument, NULL, 'r'},
	    {"cert-hash", no_argument, NULL, 'F'},
	    {"hub-name", required_argument, NULL, 'A'},
	    {"hub-pin", required_argument, NULL, 'P'},
	    {"outbox", required_argument, NULL, 'O'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct spoke_config *n = &c->net;
	int ch, rv;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			c->cases = optarg;
			break;
		case 'p':
			c->period = optarg;
			break;
		case 'U':
			c->until = optarg;
			break;
		case 'm':
			c->map = optarg;
			break;
		case 'L':
			if (strcmp(optarg, "chapter") != 0 &&
			    strcmp(optarg, "category") != 0) {
				fprintf(stderr,
					"inbound-spoke: --icd10-level: "
					"expected chapter or "
					"category\n");
				return (-1);
			}
			c->icd10_category = strcmp(optarg, "category") == 0;
			break;
		case 'S':
			c->skip_bad_rows = true;
			break;
		case 'D':
			c->dry_run = true;
			break;
		case 'f':
			if (strcmp(optarg, "table") != 0 &&
			    strcmp(optarg, "json") != 0) {
				fprintf(stderr, "inbound-spoke: --format: "
						"expected table or json\n");
				return (-1);
			}
			c->format = optarg;
			break;
		case 'N':
			c->nil = true;
			break;
		case 'E':
			c->nil_if_empty = true;
			break;
		case 'Q':
			c->state = optarg;
			break;
		case 'h':
			spoke_cmd_help(stdout, argv[0]);
			exit(0);
		default:
			if ((rv = spoke_net_option(ch, optarg, n)) == 1)
				break;
			if (rv == 0)
				spoke_cmd_usage(stderr, argv[0]);
			return (-1);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "inbound-spoke: stats: unexpected \"%s\"\n",
			argv[optind]);
		return (-1);
	}
	if (c->period == NULL || !ibx_period_valid(c->period)) {
		fprintf(stderr, "inbound-spoke: stats: --period YYYY-MM is "
				"required (from 2000-01)\n");
		return (-1);
	}
	if (c->until != NULL &&
	    (!ibx_period_valid(c->until) || strcmp(c->until, c->period) < 0)) {
		fprintf(stderr, "inbound-spoke: stats: --until YYYY-MM, not "
				"before --period\n");
		return (-1);
	}
	if ((c->cases == NULL) == !c->nil) {
		fprintf(stderr, "inbound-spoke: stats: give --cases FILE.csv, "
				"or --nil for a nil report\n");
		return (-1);
	}
	if (c->format != NULL && !c->dry_run) {
		fprintf(stderr,
			"inbound-spoke: stats: --format is for --dry-run\n");
		return (-1);
	}
	return (0);
}

/* Anonymise the case records of c->cases into *out; the report goes to
 * stderr.  Returns 0, or the exit status. */
static int
stats_from_cases(const struct stats_config *c, ibx_case_statistics **out)
{
	spoke_cases_file_opts o;
	char ledger[4096];

	memset(&o, 0, sizeof(o));
	/* Case records' referral ids are checked against the referrals
	 * this organisation sent or received (docs/case-records.md). */
	if ((size_t)snprintf(ledger, sizeof(ledger), "%s/%s",
			     c->state != NULL ? c->state
					      : SPOKE_REF_STATE_DEFAULT,
			     SPOKE_REF_LEDGER) >= sizeof(ledger)) {
		fprintf(stderr, "inbound-spoke: stats: --state: too long\n");
		return (2);
	}
	o.referrals = ledger;
	o.path = c->cases;
	o.map = c->map;
	o.period = c->period;
	o.icd10_category = c->icd10_category;
	o.skip_bad_rows = c->skip_bad_rows;
	o.nil_if_empty = c->nil_if_empty;
	o.until = c->until != NULL ? c->until : c->period;
	o.report = stderr;
	return (spoke_cases_file_read(&o, out) == IBX_OK ? 0 : 1);
}

/* Check s before it is sent (or shown); print every problem. */
static int
stats_check(const ibx_case_statistics *s, const char *what)
{
	ibx_problems problems;
	char now[8];
	size_t i;
	int status = 0;

	ibx_problems_init(&problems);
	ibx_period_now(now);
	if (spoke_cases_check(s, now, &problems) != IBX_OK) {
		for (i = 0; i < problems.n; i++)
			fprintf(stderr, "%s: statistics refused: %s\n", what,
				problems.items[i]);
		if (problems.dropped > 0)
			fprintf(stderr, "%s: and %zu more problems\n", what,
				problems.dropped);
		status = 1;
	}
	ibx_problems_fini(&problems);
	return (status);
}

/* Build, check and send (or with --dry-run print) the submission of one
 * reporting period.  Returns the exit status for that period. */
static int
stats_period(struct stats_config *cp, const spoke_identity *idp)
{
	struct stats_config c = *cp;
	const spoke_identity id = *idp;
	ibx_case_statistics *s = NULL;
	ibx_bytes env = {NULL, 0};
	spoke_send_opts so;
	ibx_ack ack;
	const char *what = c.nil ? "nil report" : c.cases;
	uint64_t seq = spoke_sequence_now();
	int status = 1;
	ibx_err rv;

	if (c.nil) {
		if ((s = ibx_statistics_new()) == NULL)
			goto out;
		s->nil_report = true;
		snprintf(s->period, sizeof(s->period), "%s", c.period);
	} else if ((status = stats_from_cases(&c, &s)) != 0)
		goto out;
	if (strlen(id.code) >= sizeof(s->organisation_code)) {
		fprintf(stderr,
			"%s: organisation code \"%s\" is not 10 digits\n",
			c.net.tls.cert_file, id.code);
		goto out;
	}
	memcpy(s->organisation_code, id.code, strlen(id.code) + 1);
	status = stats_check(s, what);
	if (c.dry_run) {
		if (c.format != NULL && strcmp(c.format, "json") == 0 &&
		    spoke_cases_print_json(stdout, s) != IBX_OK) {
			perror("inbound-spoke: stdout");
			status = 1;
		} else if (c.format == NULL || strcmp(c.format, "json") != 0)
			spoke_cases_print_table(stdout, s);
		goto out;
	}
	if (status != 0)
		goto out;
	status = 1;
	if ((c.ob != NULL &&
	     (rv = spoke_outbox_sequence(c.ob, seq, &seq)) != IBX_OK) ||
	    (rv = spoke_cases_seal(&id, seq, s, &env)) != IBX_OK) {
		fprintf(stderr, "inbound-spoke: cannot seal: %s\n",
			ibx_strerror(rv));
		goto out;
	}
	memset(&so, 0, sizeof(so));
	so.hubs = c.net.hubs;
	so.nhubs = c.net.nhubs;
	so.tls = c.net.tls;
	so.hub_pin = c.net.hub_pin;
	so.timeout_ms = (int)c.net.timeout_ms;
	so.attempts = (int)c.net.attempts;
	so.client = c.client;
	rv = c.ob != NULL ? spoke_agent_deliver(c.ob, &so, seq, &env, &ack)
			  : spoke_send(&so, &env, &ack);
	if (rv == IBX_ETIMEDOUT || (rv != IBX_OK && c.ob == NULL)) {
		fprintf(stderr,
			"inbound-spoke: no answer from the hub: %s%s\n",
			ibx_strerror(rv),
			c.ob != NULL ? " (the statistics wait in the outbox)"
				     : "");
		status = 3;
		goto out;
	}
	if (rv != IBX_OK) {
		fprintf(stderr, "inbound-spoke: %s: outbox: %s\n",
			c.net.outbox, ibx_strerror(rv));
		goto out;
	}
	spoke_cases_print_ack(ack.status == IBX_ACK_ACCEPTED ||
				      ack.status == IBX_ACK_DUPLICATE
				  ? stdout
				  : stderr,
			      what, s, &ack);
	if (ack.status == IBX_ACK_ACCEPTED || ack.status == IBX_ACK_DUPLICATE)
		status = 0;
out:
	ibx_bytes_fini(&env);
	ibx_statistics_free(s);
	return (status);
}

/* The month after period (YYYY-MM) into out. */
static void
next_period(char *out, size_t n, const char *period)
{
	int y = atoi(period), m = atoi(period + 5);

	if (++m > 12) {
		m = 1;
		y++;
	}
	snprintf(out, n, "%04u-%02u", (unsigned)y % 10000u,
		 (unsigned)m % 100u);
}

int
spoke_cmd_stats(int argc, char **argv)
{
	struct stats_config c;
	spoke_identity id;
	char period[8];
	size_t i;
	int status = 2;

	memset(&c, 0, sizeof(c));
	memset(&id, 0, sizeof(id));
	c.net.timeout_ms = 5000;
	c.net.attempts = 5;
	if (parse_stats_args(argc, argv, &c) != 0)
		return (2);
	if (!c.dry_run) {
		if (c.net.nhubs == 0 || c.net.tls.cert_file == NULL ||
		    c.net.tls.key_file == NULL) {
			fprintf(stderr, "inbound-spoke: stats: --hub, --cert "
					"and --key are required (or "
					"--dry-run)\n");
			goto out;
		}
		for (i = 0; i < c.net.nhubs; i++)
			if (strncmp(c.net.hubs[i], "tcp://", 6) == 0 &&
			    !c.net.insecure_tcp) {
				fprintf(stderr,
					"inbound-spoke: %s is not encrypted; "
					"use tls+tcp:// or pass "
					"--insecure-tcp\n",
					c.net.hubs[i]);
				goto out;
			}
	}
	status = 1;
	if (c.net.tls.cert_file != NULL) {
		if (c.net.tls.key_file == NULL) {
			fprintf(stderr, "inbound-spoke: --cert needs --key\n");
			status = 2;
			goto out;
		}
		if (spoke_identity_load(c.net.tls.cert_file,
					c.net.tls.key_file, &id) != IBX_OK)
			goto out;
		id.send_fingerprint = c.net.cert_hash != 0;
		if (strcmp(id.role, "hospital") != 0) {
			fprintf(stderr,
				"%s: case statistics come from hospitals; "
				"this certificate names a %s (%s)\n",
				c.net.tls.cert_file, id.role, id.code);
			goto out;
		}
	}
	/* One submission per month from --period to --until, over one
	 * connection. */
	if (!c.dry_run && ibx_req_client_open(c.net.hubs, c.net.nhubs,
					      &c.net.tls, &c.client) != IBX_OK)
		goto out;
	if (!c.dry_run && c.net.outbox != NULL &&
	    spoke_outbox_open(c.net.outbox, &c.ob) != IBX_OK)
		goto out;
	status = 0;
	for (;;) {
		int st = stats_period(&c, &id);

		if (st > status)
			status = st;
		if (c.until == NULL || strcmp(c.period, c.until) >= 0 ||
		    st == 2)
			break;
		next_period(period, sizeof(period), c.period);
		c.period = period;
	}
out:
	spoke_outbox_close(c.ob);
	ibx_req_client_close(c.client);
	spoke_identity_fini(&id);
	return (status);
}
