/*
 * inbound-spoke-page: the hospital's own page with the agent, and the
 * page's accounts (spoke/page). inbound-spoke serve and inbound-spoke user
 * exec this executable with their arguments (spoke/cmd/page_exec.c), so
 * the two commands read the same either way:
 *
 *   inbound-spoke-page serve --http 127.0.0.1:PORT [run's options]
 *   inbound-spoke-page user create|disable|reset|list [--state DIR] ...
 *
 * It is apart from inbound-spoke so that the sending commands, run once
 * per hospital by the thousand, do not load the page's libraries.
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "page_cmd.h"

#ifndef IBX_VERSION
#define IBX_VERSION "unknown"
#endif

static void
usage(FILE *f)
{
	fprintf(f, "usage: inbound-spoke-page serve|user [OPTIONS]\n"
		   "  serve  the agent and the hospital's own page\n"
		   "  user   the page's accounts: create, disable, reset, "
		   "list\n"
		   "('inbound-spoke serve --help' and 'inbound-spoke user "
		   "--help' describe the options)\n");
}

int
main(int argc, char **argv)
{
	ibx_log_init("inbound-spoke", IBX_LOG_WARN);
	if (argc < 2) {
		usage(stderr);
		return (2);
	}
	if (strcmp(argv[1], "serve") == 0)
		return (spoke_cmd_serve(argc - 1, argv + 1));
	if (strcmp(argv[1], "user") == 0)
		return (spoke_cmd_user(argc - 1, argv + 1));
	if (strcmp(argv[1], "--version") == 0) {
		printf("inbound-spoke-page %s\n", IBX_VERSION);
		return (0);
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return (0);
	}
	fprintf(stderr, "inbound-spoke-page: unknown command \"%s\"\n",
		argv[1]);
	usage(stderr);
	return (2);
}
