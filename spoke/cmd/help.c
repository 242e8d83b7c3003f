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

/* The referral commands: the same network options, a longer default
 * time-out (a chunk is up to 1 MiB), and the outbox they deliver
 * through. */
#define REF_NET                                                               \
	"  --hub URL          the hub, tls+tcp://HOST:PORT (repeat for "      \
	"standbys)\n"                                                         \
	"  --cert C, --key K  the organisation's certificate and key (PEM)\n" \
	"  --ca CA            the national CA: checks the hub and every "     \
	"forwarded envelope\n"                                                \
	"  --crl CRL          its revocation list\n"                          \
	"  --hub-name NAME    the hub's name in its certificate\n"            \
	"  --hub-pin SHA256   or the hub's key pin (docs/security.md)\n"      \
	"  --insecure-tcp     allow a plain tcp:// hub (tests only)\n"        \
	"  --timeout MS       wait for each answer (default 30000)\n"         \
	"  --attempts N       tries per envelope (default 3)\n"               \
	"  --outbox DIR       the durable outbox: what is stored at the hub " \
	"waits there\n"                                                       \
	"                     until acknowledged (an acknowledged chunk is "  \
	"never resent)\n"

#define REF_EXIT                                                              \
	"\nExit status: 0 done, 1 refused (the reason printed), 2 usage, 3 "  \
	"no answer from\nany hub (what was queued waits in the outbox).\n"

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
     "[--outbox DIR]\n"
     "       inbound-spoke publish --batch FILE --hub URL --ca CA [--crl "
     "CRL] ...\n",
     "Check a listing, sign it and send it to the hub; print the version "
     "the hub\naccepted or why it refused.\n\n"
     "  --listing FILE.json  the listing\n"
     "  --batch FILE         many organisations' listings, one \"LISTING "
     "CERT KEY\"\n"
     "                       a line (\"-\": standard input), each "
     "published as one\n"
     "                       publish would: its own key and its own "
     "connection; every\n"
     "                       line is tried, the status is the first "
     "failure's\n" NET_OPTIONS EXIT_STATUS},
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
     "  --state DIR          the referral state folder, whose ledger "
     "checks the\n"
     "                       referral_id column (default "
     "/var/lib/inbound-spoke/referrals)\n"
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
     "                     [--nil-from YYYY-MM] [--state DIR]\n"
     "                     --hub URL [--hub URL ...] --cert C --key K --ca "
     "CA [--crl CRL]\n"
     "                     [--cert-hash] [--insecure-tcp] [--interval S] "
     "[--timeout MS]\n"
     "                     [--attempts N] [--once] [--retry-max N] "
     "[--window N]\n"
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
     "  --state DIR          the referral state folder, whose ledger "
     "checks the\n"
     "                       exports' referral_id column\n"
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
     "1000)\n"
     "  --window N           referral chunks in flight at once (1 to 16; "
     "default 4)\n" NET_CORE
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
    {"serve",
     "usage: inbound-spoke serve --http ADDR:PORT [--allow-remote] "
     "[--state DIR]\n"
     "                     [--session-idle S] [--session-max S] "
     "[--signin-lock S]\n"
     "                     [--upload-max MIB] [--page DIR] [--web DIR] "
     "[run's options]\n",
     "The agent (as inbound-spoke run) and the hospital's own page "
     "(docs/spoke-page.md):\nsign in with a password and a TOTP code, "
     "edit and publish the listing, check\nand send the monthly report, "
     "see what the hub acknowledged or refused.\n\n"
     "  --http ADDR:PORT     where the page listens (127.0.0.1:8081)\n"
     "  --allow-remote       allow an address other than loopback "
     "(behind TLS only)\n"
     "  --state DIR          accounts.json and the page's files; the "
     "defaults of\n"
     "                       --outbox (DIR/outbox), --listing "
     "(DIR/listing.json),\n"
     "                       --cases-dir (DIR/cases) and --map "
     "(DIR/cases-map.txt)\n"
     "                       (default /var/lib/inbound-spoke)\n"
     "  --session-idle S     a session ends after S seconds unused "
     "(default 1800)\n"
     "  --session-max S      and S seconds after sign-in (default "
     "43200)\n"
     "  --signin-lock S      the first lock after 5 failed sign-ins "
     "(default 60)\n"
     "  --upload-max MIB     the largest upload of a referral's files, "
     "streamed to\n"
     "                       DIR/uploads (default 2048)\n"
     "  --page DIR, --web DIR  the page's files and the code lists "
     "(default: the\n"
     "                       installed share/inbound-exchange/spoke-web "
     "and web)\n"
     "\nEvery option of inbound-spoke run is taken too.\n"
     "\nExit status: 0 stopped by SIGTERM, 1 could not start, 2 "
     "usage.\n"},
    {"user",
     "usage: inbound-spoke user create|reset --login L [--state DIR] "
     "[--password-file F]\n"
     "       inbound-spoke user disable --login L [--state DIR]\n"
     "       inbound-spoke user list [--state DIR]\n",
     "The accounts of the page, in DIR/accounts.json (mode 0600).  create "
     "and reset\nread the password from the first line of standard input "
     "or of --password-file\n(a file only its owner may read), never "
     "from the command line, and print the\nnew TOTP secret once.\n\n"
     "  --state DIR          the state folder (default "
     "/var/lib/inbound-spoke)\n"
     "  --login L            1 to 64 of A-Z a-z 0-9 . _ @ -\n"
     "  --password-file F    read the password from F instead of "
     "standard input\n"
     "\nExit status: 0 done, 1 refused, 2 usage.\n"},
    {"keys",
     "usage: inbound-spoke keys rotate|show --hub URL --cert C --key K --ca "
     "CA [--crl CRL]\n"
     "                     [--state DIR] [--outbox DIR] [--timeout MS] "
     "[--attempts N]\n"
     "                     [--insecure-tcp] [--hub-name NAME | --hub-pin "
     "SHA256]\n",
     "The organisation's key for referrals (docs/referrals.md). rotate "
     "makes a new\nkey pair: the private key stays in the state folder "
     "(keys/KEYID.key, mode\n0600), the public key is announced to the hub "
     "in an envelope signed with the\norganisation's certificate; older "
     "keys stay usable for referrals in flight.\nshow lists the "
     "announcements the hub holds, each checked as a referrer checks\nit, "
     "and whether its private key is here.\n\n"
     "  --state DIR        the referral state folder (default "
     "/var/lib/inbound-spoke/referrals)\n" REF_NET REF_EXIT},
    {"refer",
     "usage: inbound-spoke refer --to CODE --package DIR --purpose P "
     "[--department D]\n"
     "                     [--treatment T] --nationality CC --age-band B "
     "[--languages L,L]\n"
     "                     [--urgency U] --outbox DIR [--state DIR] --hub "
     "URL --cert C\n"
     "                     --key K --ca CA [--crl CRL] [--timeout MS] "
     "[--attempts N]\n"
     "                     [--insecure-tcp] [--hub-name NAME | --hub-pin "
     "SHA256]\n",
     "Send a case to a receiving hospital, end to end encrypted "
     "(docs/referrals.md).\nThe hospital's key is fetched from the hub and "
     "checked (its signature, its\ncertificate's chain to the national CA "
     "and the CRL, that it is the hospital's):\na key the hospital did not "
     "sign is refused and nothing is sent.  The files of\nthe folder are "
     "sealed to it chunk by chunk and queued in the outbox with the\n"
     "referral; the hub sees the metadata below and ciphertext only.\n\n"
     "  --to CODE          the receiving hospital's organisation code\n"
     "  --package DIR      the folder to send: a case summary, reports, "
     "DICOM studies\n"
     "  --purpose P        second_opinion, treatment or health_checkup\n"
     "  --department D     a national department code (optional)\n"
     "  --treatment T      a treatment code of the listings (optional)\n"
     "  --nationality CC   the patient's nationality, ISO 3166-1 "
     "alpha-2\n"
     "  --age-band B       the patient's age band (0-9, 10-19, ...)\n"
     "  --languages L,L    the patient's languages, ISO 639-1\n"
     "  --urgency U        routine (default) or urgent\n"
     "  --state DIR        the referral state folder (default "
     "/var/lib/inbound-spoke/referrals)\n" REF_NET REF_EXIT},
    {"inbox",
     "usage: inbound-spoke inbox [--fetch REF --out DIR] --hub URL --cert "
     "C --key K --ca CA\n"
     "                     [--crl CRL] [--state DIR] [--outbox DIR] "
     "[--timeout MS] [--attempts N]\n"
     "                     [--insecure-tcp] [--hub-name NAME | --hub-pin "
     "SHA256]\n",
     "List the referrals addressed to this organisation and the statuses "
     "of the\nreferrals it sent or received, each checked against the "
     "national CA.  With\n--fetch, pull one referral's chunks (each checked "
     "to be the referrer's; a fetch\ncut short resumes), decrypt them with "
     "the key in the state folder, verify\nevery file's SHA-256, write the "
     "files to a new folder, and send 'delivered':\nthe hub then deletes "
     "the ciphertext.\n\n"
     "  --fetch REF        the referral to fetch (32 hex digits)\n"
     "  --out DIR          the new folder for its files (must not "
     "exist)\n"
     "  --state DIR        the referral state folder (default "
     "/var/lib/inbound-spoke/referrals)\n" REF_NET REF_EXIT},
    {"answer",
     "usage: inbound-spoke answer REF --status S [--reason CODE] "
     "[--price-min JPY]\n"
     "                     [--price-max JPY] [--earliest DATE] "
     "[--visit-date DATE]\n"
     "                     [--report FILE|DIR] --outbox DIR [--state DIR] "
     "--hub URL\n"
     "                     --cert C --key K --ca CA [--crl CRL] "
     "[--timeout MS] [--attempts N]\n"
     "                     [--insecure-tcp] [--hub-name NAME | --hub-pin "
     "SHA256]\n",
     "Answer a referral this hospital received, with a status signed by "
     "the\nhospital; the hub refuses a status out of order.\n\n"
     "  --status S         acknowledged, declined, quote, "
     "opinion_returned,\n"
     "                     visit_scheduled or visited\n"
     "  --reason CODE      declined: the reason (deploy/data/"
     "ibx_decline_reasons.csv)\n"
     "  --price-min JPY    quote: the price band in yen\n"
     "  --price-max JPY    quote: its upper end\n"
     "  --earliest DATE    quote: the earliest date, YYYY-MM-DD\n"
     "  --visit-date DATE  visit_scheduled: the date, YYYY-MM-DD\n"
     "  --report FILE      opinion_returned: the report (a file or a "
     "folder), sent back\n"
     "                     to the referrer encrypted to its key\n"
     "  --state DIR        the referral state folder (default "
     "/var/lib/inbound-spoke/referrals)\n" REF_NET REF_EXIT},
    {"withdraw",
     "usage: inbound-spoke withdraw REF --outbox DIR [--state DIR] --hub "
     "URL --cert C\n"
     "                     --key K --ca CA [--crl CRL] [--timeout MS] "
     "[--attempts N]\n"
     "                     [--insecure-tcp] [--hub-name NAME | --hub-pin "
     "SHA256]\n",
     "Withdraw a referral this organisation sent (before the visit); the "
     "hub deletes\nits ciphertext.\n\n"
     "  --state DIR        the referral state folder (default "
     "/var/lib/inbound-spoke/referrals)\n" REF_NET REF_EXIT},
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
