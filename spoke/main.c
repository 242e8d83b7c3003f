/*
 * inbound-spoke: the agent a hospital or coordinator runs.  This file
 * dispatches to the commands of cmd/ by a table; each command parses its
 * own options.
 *
 *   inbound-spoke check --listing FILE.json
 *   inbound-spoke seal --listing FILE.json --cert C --key K --out FILE
 *   inbound-spoke publish --hub URL [--hub URL ...] --listing FILE.json
 *                         --cert C --key K --ca CA [--outbox DIR]
 *   inbound-spoke stats --cases FILE.csv --period YYYY-MM ...
 *   inbound-spoke run --outbox DIR --listing FILE --cases-dir DIR ...
 *   inbound-spoke status --outbox DIR
 *   inbound-spoke serve --http 127.0.0.1:PORT [run's options]
 *   inbound-spoke user create|disable|reset|list [--state DIR] [--login L]
 *   inbound-spoke keys rotate|show, refer, inbox, answer, withdraw: the
 *                         referral channel (docs/referrals.md)
 */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "referral_cli.h"
#include "run.h"
#include "spoke_cmd.h"

#ifndef IBX_VERSION
#define IBX_VERSION "unknown"
#endif

static const struct spoke_command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
    {"check", spoke_cmd_check, "check a listing file against every rule"},
    {"seal", spoke_cmd_seal, "sign a listing into an envelope file"},
    {"publish", spoke_cmd_publish, "sign a listing and send it to the hub"},
    {"stats", spoke_cmd_stats,
     "anonymise case records and send monthly statistics"},
    {"run", spoke_agent_cli_run,
     "the agent: watch the listing and case exports, deliver through the "
     "outbox"},
    {"status", spoke_agent_cli_status,
     "what the outbox holds and what the hub answered"},
    {"serve", spoke_cmd_page_exec,
     "the agent and the hospital's own page (listing, report, status)"},
    {"user", spoke_cmd_page_exec,
     "the page's accounts: create, disable, reset, list"},
    {"keys", spoke_cmd_keys,
     "make and announce the key referrals are sealed to (rotate|show)"},
    {"refer", spoke_cmd_refer,
     "send a case to a hospital, end to end encrypted"},
    {"inbox", spoke_cmd_inbox,
     "list referrals and statuses; fetch, decrypt and verify one"},
    {"answer", spoke_cmd_answer,
     "answer a referral: acknowledge, decline, quote, opinion, visit"},
    {"withdraw", spoke_cmd_withdraw, "withdraw a referral this spoke sent"},
};

static void
commands_print(FILE *f)
{
	size_t i;

	fprintf(f, "usage: inbound-spoke COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-8s %s\n", commands[i].name,
			commands[i].summary);
	fprintf(f, "\n'inbound-spoke COMMAND --help' describes a command's "
		   "options; 'inbound-spoke --version' prints the version.\n");
}

int
main(int argc, char **argv)
{
	const char *cmd;
	size_t i;

	ibx_log_init("inbound-spoke", IBX_LOG_WARN);
	if (argc < 2) {
		commands_print(stderr);
		return (2);
	}
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		commands_print(stdout);
		return (0);
	}
	if (strcmp(cmd, "--version") == 0) {
#ifdef IBX_TEST_HOOKS
		printf("inbound-spoke %s (with test hooks: not for service)\n",
		       IBX_VERSION);
#else
		printf("inbound-spoke %s\n", IBX_VERSION);
#endif
		return (0);
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(cmd, commands[i].name) == 0)
			return (commands[i].run(argc - 1, argv + 1));
	fprintf(stderr, "inbound-spoke: unknown command \"%s\"\n", cmd);
	commands_print(stderr);
	return (2);
}
