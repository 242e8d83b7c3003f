/*
 * The command lines of inbound-spoke run and inbound-spoke status: their
 * options, checked and handed to agent.h and agent_status.h.  main.c
 * calls these with argv from the subcommand on.
 */
#ifndef SPOKE_CMD_RUN_H
#define SPOKE_CMD_RUN_H

#include <stdio.h>

/* spoke_agent_cli_run: inbound-spoke run ARGS; the exit status (2 for a
 * usage error, else spoke_agent_run's). */
int spoke_agent_cli_run(int argc, char **argv);

/* spoke_agent_cli_status: inbound-spoke status [--outbox DIR]; 0 when the
 * state was shown, 1 when dir is no outbox or cannot be read, 2 for a
 * usage error. */
int spoke_agent_cli_status(int argc, char **argv);

#endif /* SPOKE_CMD_RUN_H */
