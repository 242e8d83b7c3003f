/*
 * What inbound-spoke's command files share: the network and identity
 * options every sending command takes, and the commands main.c dispatches
 * to.
 */
#ifndef SPOKE_CMD_H
#define SPOKE_CMD_H

#include <stddef.h>
#include <stdio.h>

#include "transport.h"

#define HUBS_MAX 8

struct spoke_config {
	const char *listing;
	const char *batch; /* publish --batch: "LISTING CERT KEY" lines */
	const char *out;
	const char *outbox; /* --outbox: the durable outbox, or NULL */
	int cert_hash;
	const char *hubs[HUBS_MAX];
	size_t nhubs;
	long timeout_ms;
	long attempts;
	int insecure_tcp;
	ibx_transport_opts tls; /* tls.server_name: --hub-name */
	const char *hub_pin;	/* --hub-pin, or NULL */
};

/* spoke_parse_long: parse option name's value s as a whole number in
 * [min, max] into *out; print an error naming the option and return -1
 * otherwise. */
int spoke_parse_long(const char *name, const char *s, long min, long max,
		     long *out);

/* spoke_net_option: apply one of the options every sending command shares
 * (getopt character ch: --hub H, --timeout t, --attempts n, --insecure-tcp
 * i, --cert c, --key k, --ca a, --crl r, --cert-hash F, --outbox O,
 * --hub-name A, --hub-pin P) to c.
 * Returns 1 when ch was one of them, 0 when not, -1 on a bad value (the
 * error is printed). */
int spoke_net_option(int ch, const char *arg, struct spoke_config *c);

/* spoke_cmd_usage: the usage lines of command ("publish") on f, and how
 * to get its help; for usage errors. */
void spoke_cmd_usage(FILE *f, const char *command);

/* spoke_cmd_help: the usage of command and what each of its options does,
 * with its exit statuses, on f ('inbound-spoke COMMAND --help'). */
void spoke_cmd_help(FILE *f, const char *command);

/* spoke_cmd_check, spoke_cmd_seal, spoke_cmd_publish: "inbound-spoke
 * check|seal|publish ..." (argv[0] is the command's name); each returns the
 * exit status: 0 valid or accepted, 1 invalid or refused, 2 usage, 3 no
 * answer from any hub. */
int spoke_cmd_check(int argc, char **argv);
int spoke_cmd_seal(int argc, char **argv);
int spoke_cmd_publish(int argc, char **argv);

/* spoke_cmd_stats: "inbound-spoke stats ..." (argv[0] is "stats");
 * returns the exit status: 0 accepted, 1 refused or invalid, 2 usage, 3
 * no answer. */
int spoke_cmd_stats(int argc, char **argv);

/* spoke_cmd_page_exec: "inbound-spoke serve|user ..." (argv[0] is the
 * command's name; page_exec.c): replaces this process with
 * inbound-spoke-page, found beside this executable (/proc/self/exe), with
 * the same arguments, so that only the page's executable loads the web
 * page's libraries (libmicrohttpd and what it pulls in, liboath,
 * libqrencode) and the sending commands start without them. Returns only
 * when the exec failed: 1, the reason printed naming the path. */
int spoke_cmd_page_exec(int argc, char **argv);

#endif /* SPOKE_CMD_H */
