/*
 * The command lines of inbound-spoke run and inbound-spoke status: their
 * options, checked and handed to agent.h and agent_status.h.  main.c
 * calls these with argv from the subcommand on.
 */
#ifndef SPOKE_CMD_RUN_H
#define SPOKE_CMD_RUN_H

#include <stdio.h>

#include "agent.h"

/* spoke_run_parse: the options of run (argv[0] is the command's name)
 * into o, the hub URLs into hubs (HUBS_MAX entries, which o->hubs points
 * to), checked (--hub, --cert and --key given; tcp:// only with
 * --insecure-tcp).  0, or -1 with the reason on stderr.  serve uses it
 * for the agent it runs. */
int spoke_run_parse(int argc, char **argv, spoke_agent_opts *o,
		    const char **hubs);

/* spoke_agent_cli_run: inbound-spoke run ARGS; the exit status (2 for a
 * usage error, else spoke_agent_run's). */
int spoke_agent_cli_run(int argc, char **argv);

/* spoke_agent_cli_status: inbound-spoke status [--outbox DIR]; 0 when the
 * state was shown, 1 when dir is no outbox or cannot be read, 2 for a
 * usage error. */
int spoke_agent_cli_status(int argc, char **argv);

#endif /* SPOKE_CMD_RUN_H */
