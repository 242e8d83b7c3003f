/*
 * The options every sending command of inbound-spoke shares (the hubs, the
 * identity, time-outs and the outbox); help.c has every command's usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "spoke_cmd.h"

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
