/*
 * The options every sending command of inbound-spoke shares (the hubs, the
 * identity, time-outs and the outbox) and the usage text of every command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "spoke_cmd.h"

void
spoke_usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: inbound-spoke check --listing FILE.json\n"
	    "       inbound-spoke seal --listing FILE.json --cert C --key K "
	    "--out FILE\n"
	    "       inbound-spoke publish --hub URL [--hub URL ...] "
	    "--listing FILE.json\n"
	    "                     --cert C --key K --ca CA [--crl CRL] "
	    "[--cert-hash]\n"
	    "                     [--timeout MS] [--attempts N] "
	    "[--insecure-tcp] [--outbox DIR]\n"
	    "                     [--hub-name NAME | --hub-pin SHA256]\n"
	    "       inbound-spoke stats --cases FILE.csv --period YYYY-MM "
	    "[--until YYYY-MM]\n"
	    "                     [--map FILE] [--icd10-level "
	    "chapter|category]\n"
	    "                     [--skip-bad-rows] [--nil-if-empty] "
	    "[--dry-run] [--format table|json]\n"
	    "                     [--hub URL ...] [--cert C --key K --ca CA] "
	    "[--insecure-tcp]\n"
	    "                     [--outbox DIR]\n"
	    "       inbound-spoke stats --nil --period YYYY-MM --hub URL "
	    "--cert C --key K\n");
	spoke_agent_cli_usage(f);
	fprintf(
	    f,
	    "\n"
	    "The organisation's key (ECDSA P-256) signs every envelope and, "
	    "with its\n"
	    "certificate, authenticates tls+tcp:// to the hub; the "
	    "certificate's role\n"
	    "(hospital or coordinator) says which kind of listing is "
	    "published.\n"
	    "--until sends one submission per month from --period to "
	    "--until.\n"
	    "The hub must prove its identity: its certificate has the role "
	    "hub and\n"
	    "names the host of --hub (or --hub-name) in subjectAltName, or "
	    "its key\n"
	    "is --hub-pin (SHA-256 of its SubjectPublicKeyInfo, hex); an "
	    "answer it\n"
	    "has not signed is not believed (docs/security.md).\n"
	    "--outbox DIR keeps every envelope on disk until the hub "
	    "acknowledges it;\n"
	    "run is the agent as a daemon (docs/spoke-agent.md).\n"
	    "\n"
	    "Exit status: 0 accepted (or valid), 1 refused or invalid, 2 "
	    "usage,\n"
	    "3 no answer from any hub.\n");
}

int
spoke_parse_long(const char *name, const char *s, long min, long max,
		 long *out)
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

int
spoke_net_option(int ch, const char *arg, struct spoke_config *c)
{
	switch (ch) {
	case 'H':
		if (c->nhubs == HUBS_MAX) {
			fprintf(stderr, "inbound-spoke: at most %d --hub\n",
				HUBS_MAX);
			return (-1);
		}
		c->hubs[c->nhubs++] = arg;
		return (1);
	case 't':
		return (spoke_parse_long("--timeout", arg, 10, 600000,
					 &c->timeout_ms) != 0
			    ? -1
			    : 1);
	case 'n':
		return (spoke_parse_long("--attempts", arg, 1, 1000,
					 &c->attempts) != 0
			    ? -1
			    : 1);
	case 'i':
		c->insecure_tcp = 1;
		return (1);
	case 'c':
		c->tls.cert_file = arg;
		return (1);
	case 'k':
		c->tls.key_file = arg;
		return (1);
	case 'a':
		c->tls.ca_file = arg;
		return (1);
	case 'r':
		c->tls.crl_file = arg;
		return (1);
	case 'F':
		c->cert_hash = 1;
		return (1);
	case 'O':
		c->outbox = arg;
		return (1);
	case 'A':
		c->tls.server_name = arg;
		return (1);
	case 'P':
		c->hub_pin = arg;
		return (1);
	}
	return (0);
}
