/*
 * The usage and option descriptions of each inbound-spoke command, one
 * table row per command, so 'inbound-spoke COMMAND --help' says what each
 * of its options does; see spoke_cmd.h.
 */
#include <stdio.h>
#include <string.h>

#include "spoke_cmd.h"

/* The options of the commands that send to a hub (options.c's
 * spoke_net_option; run has its own defaults, given in its row). */
#define NET_CORE                                                              \
	"  --hub URL          a hub to send to, tls+tcp://HOST:PORT; repeat " \
	"for standbys,\n"                                                     \
	"                     tried in order (at most 8)\n"                   \
	"  --cert C, --key K  the organisation's certificate and key (PEM, "  \
	"ECDSA P-256):\n"                                                     \
	"                     they sign every envelope and authenticate "     \
	"TLS\n"                                                               \
	"  --ca CA            the national CA, to verify the hub\n"           \
	"  --crl CRL          its revocation list\n"                          \
	"  --hub-name NAME    the hub's name in its certificate (default: "   \
	"the host of\n"                                                       \
	"                     --hub); the certificate must have the role "    \
	"hub\n"                                                               \
	"  --hub-pin SHA256   or the hub's key: SHA-256 of its "              \
	"SubjectPublicKeyInfo, hex;\n"                                        \
	"                     an Ack the hub has not signed is not believed " \
	"(docs/security.md)\n"                                                \
	"  --cert-hash        send the certificate's SHA-256 instead of the " \
	"certificate\n"                                                       \
	"                     (the hub has it from enrolment)\n"              \
	"  --insecure-tcp     allow a plain tcp:// hub (tests only)\n"        \
	"  --timeout MS       wait for each answer (10 to 600000; default "   \
	"5000)\n"

#define NET_OPTIONS                                                           \
	NET_CORE                                                              \
	"  --attempts N       tries per hub before the next (1 to 1000; "     \
	"default 5)\n"                                                        \
	"  --outbox DIR       keep the envelope on disk until a hub "         \
	"acknowledges it;\n"                                                  \
	"                     a later run resends it (docs/spoke-agent.md)\n"

#define EXIT_STATUS                                                           \
	"\nExit status: 0 accepted (or valid), 1 refused or invalid, 2 "      \
	"usage, 3 no\nanswer from any hub.\n"

static const struct spoke_help {
	const char *command;
	const char *usage;   /* the usage lines, each ending in \n */
	const char *options; /* what each option does */
} helps[] = {
    {"check", "usage: inbound-spoke check --listing FILE.json\n",
     "Check a listing file against every rule of docs/listing-format.md "
     "and print\neach problem with its field.\n\n"
     "  --listing FILE.json  the listing (a hospital's or a "
     "coordinator's)\n"
     "\nExit status: 0 valid, 1 invalid, 2 usage.\n"},
    {"seal",
     "usage: inbound-spoke seal --listing FILE.json --cert C --key K --out "
     "FILE\n",
     "Check a listing and sign it into an envelope file, to be sent later "
     "or by\nanother machine.\n\n"
     "  --listing FILE.json  the listing\n"
     "  --cert C, --key K    the organisation's certificate and key; the "
     "certificate's\n"
     "                       role says which kind of listing it is\n"
     "  --out FILE           the envelope (inbound.v1.Envelope, "
     "protobuf)\n"
     "\nExit status: 0 sealed, 1 invalid listing or key, 2 usage.\n"},
    {"publish",
     "usage: inbound-spoke publish --hub URL [--hub URL ...] --listing "
     "FILE.json\n"
     "                     --cert C --key K --ca CA [--crl CRL] "
     "[--cert-hash]\n"
     "                     [--timeout MS] [--attempts N] [--insecure-tcp] "
     "[--outbox DIR]\n",
     "Check a listing, sign it and send it to the hub; print the version "
     "the hub\naccepted or why it refused.\n\n"
     "  --listing FILE.json  the listing\n" NET_OPTIONS EXIT_STATUS},
    {"stats",
     "usage: inbound-spoke stats --cases FILE.csv --period YYYY-MM "
     "[--until YYYY-MM]\n"
     "                     [--map FILE] [--icd10-level chapter|category]\n"
     "                     [--skip-bad-rows] [--nil-if-empty] [--dry-run] "
     "[--format table|json]\n"
     "                     [--hub URL ...] [--cert C --key K --ca CA] "
     "[--insecure-tcp]\n"
     "                     [--outbox DIR]\n"
     "       inbound-spoke stats --nil --period YYYY-MM --hub URL --cert C "
     "--key K\n",
     "Anonymise a case-record export (docs/case-records.md) into the cells "
     "of a\nmonth's statistics and send them; patient-level rows never "
     "leave this process.\n\n"
     "  --cases FILE.csv     the export (UTF-8 CSV, one row per episode)\n"
     "  --period YYYY-MM     the reporting month\n"
     "  --until YYYY-MM      send one submission per month from --period "
     "to --until\n"
     "  --map FILE           the export's column names and values mapped "
     "to ours\n"
     "  --icd10-level L      chapter (default) or category: how finely "
     "diagnoses are\n"
     "                       reported\n"
     "  --skip-bad-rows      leave out refused rows instead of refusing "
     "the file\n"
     "  --nil-if-empty       a month with no rows is sent as a nil "
     "report\n"
     "  --nil                send a nil report (no patients this month) "
     "without an export\n"
     "  --dry-run            print the cells, send nothing\n"
     "  --format table|json  how --dry-run prints (default "
     "table)\n" NET_OPTIONS EXIT_STATUS},
    {"run",
     "usage: inbound-spoke run [--outbox DIR] [--listing FILE.json] "
     "[--cases-dir DIR]\n"
     "                     [--map FILE] [--icd10-level chapter|category] "
     "[--skip-bad-rows]\n"
     "                     [--nil-from YYYY-MM]\n"
     "                     --hub URL [--hub URL ...] --cert C --key K --ca "
     "CA [--crl CRL]\n"
     "                     [--cert-hash] [--insecure-tcp] [--interval S] "
     "[--timeout MS]\n"
     "                     [--attempts N] [--once] [--retry-max N]\n"
     "                     [--hub-name NAME | --hub-pin SHA256]\n",
     "The agent (docs/spoke-agent.md): watch the listing file and the "
     "export folder,\nseal what changed into the outbox and deliver the "
     "outbox to the hubs with\nbackoff, until SIGTERM.\n\n"
     "  --outbox DIR         where envelopes wait for an Ack\n"
     "                       (default /var/lib/inbound-spoke/outbox)\n"
     "  --listing FILE.json  the listing to keep published\n"
     "  --cases-dir DIR      the folder the hospital system exports "
     "case records to\n"
     "                       (one CASES-YYYY-MM.csv a month; hospitals "
     "only)\n"
     "  --map FILE, --icd10-level L, --skip-bad-rows  as for stats\n"
     "  --nil-from YYYY-MM   a nil report, once, for each closed month "
     "from then on\n"
     "                       that no export has a row for\n"
     "  --interval S         seconds between two scans (1 to 86400; "
     "default 30)\n"
     "  --once               one scan and one delivery round, then "
     "exit\n"
     "  --retry-max N        answers of 'retry later' an envelope gets "
     "before it is\n"
     "                       moved aside with the reason (1 to "
     "1000)\n" NET_CORE
     "  --attempts N       tries per hub in one round (1 to 1000; default "
     "1: the\n"
     "                     loop retries with backoff)\n"
     "\nExit status: 0 stopped by SIGTERM (--once: the outbox is empty), "
     "1 could not\nstart (--once: a source or envelope was refused), 2 "
     "usage, 3 (--once) an\nenvelope is still pending.\n"},
    {"status", "usage: inbound-spoke status [--outbox DIR]\n",
     "Print what the outbox holds (pending, refused) and what the hubs "
     "last answered\n(the journal).\n\n"
     "  --outbox DIR  the agent's outbox (default "
     "/var/lib/inbound-spoke/outbox)\n"
     "\nExit status: 0 printed, 1 the outbox cannot be read, 2 usage.\n"},
};

static const struct spoke_help *
help_find(const char *command)
{
	size_t i;

	for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++)
		if (command != NULL && strcmp(helps[i].command, command) == 0)
			return (&helps[i]);
	return (NULL);
}

void
spoke_cmd_usage(FILE *f, const char *command)
{
	const struct spoke_help *h = help_find(command);

	if (h != NULL)
		fputs(h->usage, f);
	fprintf(f, "'inbound-spoke %s --help' describes the options.\n",
		h != NULL ? h->command : "COMMAND");
}

void
spoke_cmd_help(FILE *f, const char *command)
{
	const struct spoke_help *h = help_find(command);

	if (h == NULL) {
		spoke_cmd_usage(f, command);
		return;
	}
	fputs(h->usage, f);
	fputc('\n', f);
	fputs(h->options, f);
}
