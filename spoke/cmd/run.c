/* Options of run and status; see agent_cli.h. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "agent_drain.h"
#include "run.h"
#include "spoke_cmd.h"
#include "agent_status.h"
#include "outbox.h"
#include "statistics.h"

int
spoke_run_parse(int argc, char **argv, spoke_agent_opts *o, const char **hubs)
{
	static const struct option longopts[] = {
	    {"outbox", required_argument, NULL, 'O'},
	    {"listing", required_argument, NULL, 'l'},
	    {"cases-dir", required_argument, NULL, 'C'},
	    {"map", required_argument, NULL, 'm'},
	    {"icd10-level", required_argument, NULL, 'L'},
	    {"skip-bad-rows", no_argument, NULL, 'S'},
	    {"nil-from", required_argument, NULL, 'Z'},
	    {"state", required_argument, NULL, 'Q'},
	    {"hub", required_argument, NULL, 'H'},
	    {"cert", required_argument, NULL, 'c'},
	    {"key", required_argument, NULL, 'k'},
	    {"ca", required_argument, NULL, 'a'},
	    {"crl", required_argument, NULL, 'r'},
	    {"cert-hash", no_argument, NULL, 'F'},
	    {"hub-name", required_argument, NULL, 'A'},
	    {"hub-pin", required_argument, NULL, 'P'},
	    {"insecure-tcp", no_argument, NULL, 'i'},
	    {"interval", required_argument, NULL, 'I'},
	    {"timeout", required_argument, NULL, 't'},
	    {"attempts", required_argument, NULL, 'n'},
	    {"once", no_argument, NULL, '1'},
	    {"retry-max", required_argument, NULL, 'R'},
	    {"window", required_argument, NULL, 'W'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct spoke_config net;
	int ch, rv, insecure;
	long v;
	size_t i;

	memset(&net, 0, sizeof(net));
	net.outbox = o->outbox;
	net.timeout_ms = o->timeout_ms;
	net.attempts = o->attempts;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			o->src.listing = optarg;
			break;
		case 'C':
			o->src.cases_dir = optarg;
			break;
		case 'Q':
			o->src.referral_state = optarg;
			break;
		case 'm':
			o->src.map = optarg;
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
			o->src.icd10_category =
			    strcmp(optarg, "category") == 0;
			break;
		case 'S':
			o->src.skip_bad_rows = true;
			break;
		case 'Z':
			if (!ibx_period_valid(optarg)) {
				fprintf(stderr, "inbound-spoke: --nil-from: "
						"expected YYYY-MM (from "
						"2000-01)\n");
				return (-1);
			}
			o->src.nil_from = optarg;
			break;
		case 'I':
			if (spoke_parse_long("--interval", optarg, 1, 86400,
					     &o->interval_s) != 0)
				return (-1);
			break;
		case '1':
			o->once = true;
			break;
		case 'R':
			if (spoke_parse_long("--retry-max", optarg, 1, 1000,
					     &v) != 0)
				return (-1);
			o->retry_max = (int)v;
			break;
		case 'W':
			if (spoke_parse_long("--window", optarg, 1,
					     SPOKE_DRAIN_WINDOW_MAX, &v) != 0)
				return (-1);
			o->window = (int)v;
			break;
		case 'h':
			spoke_cmd_help(stdout, argv[0]);
			exit(0);
		default:
			if ((rv = spoke_net_option(ch, optarg, &net)) == 1)
				break;
			if (rv == 0)
				spoke_cmd_usage(stderr, argv[0]);
			return (-1);
		}
	}
	/* The options every sending command shares (options.c). */
	for (i = 0; i < net.nhubs; i++)
		hubs[i] = net.hubs[i];
	o->nhubs = net.nhubs;
	o->tls = net.tls;
	o->hub_pin = net.hub_pin;
	o->cert_hash = net.cert_hash != 0;
	o->timeout_ms = (int)net.timeout_ms;
	o->attempts = (int)net.attempts;
	o->outbox = net.outbox;
	insecure = net.insecure_tcp;
	if (optind < argc) {
		fprintf(stderr, "inbound-spoke: run: unexpected \"%s\"\n",
			argv[optind]);
		return (-1);
	}
	if (o->src.nil_from != NULL && o->src.cases_dir == NULL) {
		fprintf(stderr, "inbound-spoke: run: --nil-from needs "
				"--cases-dir\n");
		return (-1);
	}
	if (o->nhubs == 0 || o->tls.cert_file == NULL ||
	    o->tls.key_file == NULL) {
		fprintf(stderr, "inbound-spoke: run: --hub, --cert and --key "
				"are required\n");
		return (-1);
	}
	for (i = 0; i < o->nhubs; i++)
		if (strncmp(hubs[i], "tcp://", 6) == 0 && !insecure) {
			fprintf(stderr,
				"inbound-spoke: %s is not encrypted; use "
				"tls+tcp:// or pass --insecure-tcp\n",
				hubs[i]);
			return (-1);
		}
	return (0);
}

int
spoke_agent_cli_run(int argc, char **argv)
{
	const char *hubs[HUBS_MAX];
	spoke_agent_opts o;

	memset(&o, 0, sizeof(o));
	o.outbox = SPOKE_OUTBOX_DEFAULT;
	o.hubs = hubs;
	o.timeout_ms = 5000;
	o.attempts = 1; /* the loop retries, with backoff */
	o.interval_s = 30;
	if (spoke_run_parse(argc, argv, &o, hubs) != 0)
		return (2);
	return (spoke_agent_run(&o));
}

int
spoke_agent_cli_status(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"outbox", required_argument, NULL, 'O'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *dir = SPOKE_OUTBOX_DEFAULT;
	int ch;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'O':
			dir = optarg;
			break;
		case 'h':
			spoke_cmd_help(stdout, argv[0]);
			exit(0);
		default:
			spoke_cmd_usage(stderr, argv[0]);
			return (2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "inbound-spoke: status: unexpected \"%s\"\n",
			argv[optind]);
		return (2);
	}
	return (spoke_agent_status_print(stdout, dir) == IBX_OK ? 0 : 1);
}
