/*
 * inboundctl: the hub administrator's tool.  This file parses arguments and
 * calls the modules.
 *
 *   inboundctl enrol --db DSN --ca CA [--crl CRL] (--cert F ... | --cert-dir
 * D) inboundctl revoke --db DSN --cert F inboundctl verify-envelope --db DSN
 * --ca CA [--crl CRL] --message ID
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "ctl.h"
#include "enrol.h"
#include "log.h"
#include "reverify.h"

static void
usage(FILE *f)
{
	fprintf(
	    f,
	    "usage: inboundctl enrol --db DSN --ca CA [--crl CRL] "
	    "(--cert F ... | --cert-dir DIR)\n"
	    "       inboundctl revoke --db DSN --cert F\n"
	    "       inboundctl verify-envelope --db DSN --ca CA [--crl CRL] "
	    "--message ID\n"
	    "       inboundctl token create --role ministry|coordinator|"
	    "hospital [--org CODE]\n"
	    "                  [--expires YYYY-MM-DD|Nd (default 90d, at most "
	    "365d)] [--label TEXT]\n"
	    "       inboundctl token revoke (--id N | --token TOKEN)\n"
	    "       inboundctl token list\n"
	    "       inboundctl audit verify\n"
	    "       inboundctl user create --login NAME --role ministry|"
	    "coordinator|hospital\n"
	    "                  [--org CODE] [--label NAME] [--password-file "
	    "F (0600), else stdin]\n"
	    "       inboundctl user reset --login NAME [--password-file F]\n"
	    "       inboundctl user disable --login NAME\n"
	    "       inboundctl user list\n"
	    "       inboundctl series import --name NAME --file F.csv "
	    "[--period-column C]\n"
	    "                  [--nationality-column C] [--value-column C]\n"
	    "       inboundctl release [--until YYYY-MM] [--now YYYY-MM-DD] "
	    "[--workers N (2)]\n"
	    "       inboundctl register import --file F.csv [--file F.csv "
	    "...]\n"
	    "       inboundctl referrals purge [--days N (default 30)]\n"
	    "       inboundctl partner set --org CODE --name NAME --country "
	    "CC "
	    "[--languages L,L]\n"
	    "\n"
	    "--db defaults to $IBX_DB.  enrol registers each organisation "
	    "named by a\n"
	    "certificate of the national CA (CN: organisation code, OU: "
	    "role).\n"
	    "release measures every closed month not measured yet, once, "
	    "and prints\n"
	    "the privacy loss spent (docs/disclosure-control.md).\n");
}

static int
parse_args(int argc, char **argv, struct ctl_config *c)
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"ca", required_argument, NULL, 'a'},
	    {"crl", required_argument, NULL, 'r'},
	    {"cert", required_argument, NULL, 'c'},
	    {"cert-dir", required_argument, NULL, 'D'},
	    {"message", required_argument, NULL, 'm'},
	    {"role", required_argument, NULL, 'R'},
	    {"org", required_argument, NULL, 'o'},
	    {"expires", required_argument, NULL, 'e'},
	    {"label", required_argument, NULL, 'l'},
	    {"id", required_argument, NULL, 'i'},
	    {"token", required_argument, NULL, 't'},
	    {"name", required_argument, NULL, 'n'},
	    {"file", required_argument, NULL, 'f'},
	    {"period-column", required_argument, NULL, 'P'},
	    {"nationality-column", required_argument, NULL, 'N'},
	    {"value-column", required_argument, NULL, 'V'},
	    {"until", required_argument, NULL, 'U'},
	    {"now", required_argument, NULL, 'W'},
	    {"workers", required_argument, NULL, 'k'},
	    {"login", required_argument, NULL, 'g'},
	    {"password-file", required_argument, NULL, 'p'},
	    {"days", required_argument, NULL, 'y'},
	    {"country", required_argument, NULL, 'C'},
	    {"languages", required_argument, NULL, 'L'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int ch;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			/* A password in argv is every local user's (/proc). */
			if (ibx_db_dsn_has_password(optarg)) {
				fprintf(
				    stderr,
				    "inboundctl: --db holds a password, "
				    "which every local user can read on the "
				    "command line: put it in a passfile "
				    "(passfile=, PGPASSFILE, mode 0600) or a "
				    "service file (service=)\n");
				return (-1);
			}
			c->db = optarg;
			break;
		case 'a':
			c->ca = optarg;
			break;
		case 'r':
			c->crl = optarg;
			break;
		case 'c':
			if (c->ncerts == CTL_CERTS_MAX) {
				fprintf(stderr,
					"inboundctl: at most %d "
					"--cert; use --cert-dir\n",
					CTL_CERTS_MAX);
				return (-1);
			}
			c->certs[c->ncerts++] = optarg;
			break;
		case 'D':
			c->cert_dir = optarg;
			break;
		case 'm':
			c->message = strtoll(optarg, NULL, 10);
			break;
		case 'R':
			c->role = optarg;
			break;
		case 'o':
			c->org = optarg;
			break;
		case 'e':
			c->expires = optarg;
			break;
		case 'l':
			c->label = optarg;
			break;
		case 'i':
			c->id = strtoll(optarg, NULL, 10);
			break;
		case 't':
			c->token = optarg;
			break;
		case 'n':
			c->name = optarg;
			break;
		case 'f':
			c->file = optarg;
			if (c->nfiles == CTL_CERTS_MAX) {
				fprintf(stderr,
					"inboundctl: at most %d --file\n",
					CTL_CERTS_MAX);
				return (-1);
			}
			c->files[c->nfiles++] = optarg;
			break;
		case 'P':
			c->period_column = optarg;
			break;
		case 'N':
			c->nationality_column = optarg;
			break;
		case 'V':
			c->value_column = optarg;
			break;
		case 'U':
			c->until = optarg;
			break;
		case 'W':
			c->now = optarg;
			break;
		case 'k':
			c->workers = atoi(optarg);
			if (c->workers < 1 || c->workers > 16) {
				fprintf(stderr,
					"inboundctl: --workers: must be "
					"1 to 16\n");
				return (-1);
			}
			break;
		case 'g':
			c->login = optarg;
			break;
		case 'p':
			c->password_file = optarg;
			break;
		case 'y':
			c->days = strtol(optarg, NULL, 10);
			c->days_set = true;
			break;
		case 'C':
			c->country = optarg;
			break;
		case 'L':
			c->languages = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return (-1);
		}
	}
	if (c->db == NULL) {
		fprintf(stderr, "inboundctl: --db (or IBX_DB) is required\n");
		return (-1);
	}
	return (0);
}

static int
enrol_one(ibx_db *db, ibx_trust *trust, const char *path)
{
	ibx_cert *cert = NULL;
	char err[512];
	int status = 1;

	if (ibx_cert_load(path, &cert) != IBX_OK) {
		fprintf(stderr, "%s: not a PEM certificate\n", path);
		return (1);
	}
	if (hub_enrol_cert(db, trust, cert, err, sizeof(err)) != IBX_OK)
		fprintf(stderr, "%s: %s\n", path, err);
	else
		status = 0;
	ibx_cert_free(cert);
	return (status);
}

static int
run_enrol(const struct ctl_config *c, ibx_db *db)
{
	ibx_trust *trust = NULL;
	struct dirent *e;
	DIR *d;
	char path[4096];
	size_t i, len;
	int done = 0, failed = 0;

	if (c->ca == NULL) {
		fprintf(stderr, "inboundctl: --ca is required to check the "
				"certificates\n");
		return (2);
	}
	if (ibx_trust_load(c->ca, c->crl, &trust) != IBX_OK)
		return (1);
	/* A directory of thousands (the national list): one WAL flush per
	 * enrolment would dominate. Enrolment is idempotent, so what a crash
	 * loses of the last moment's commits is enrolled again by a re-run. */
	if (c->cert_dir != NULL)
		(void)ibx_db_script(db, "SET synchronous_commit = off");
	for (i = 0; i < c->ncerts; i++) {
		if (enrol_one(db, trust, c->certs[i]) == 0)
			done++;
		else
			failed++;
	}
	if (c->cert_dir != NULL) {
		if ((d = opendir(c->cert_dir)) == NULL) {
			perror(c->cert_dir);
			ibx_trust_free(trust);
			return (1);
		}
		while ((e = readdir(d)) != NULL) {
			len = strlen(e->d_name);
			if (len < 5 ||
			    strcmp(e->d_name + len - 4, ".pem") != 0)
				continue;
			snprintf(path, sizeof(path), "%s/%s", c->cert_dir,
				 e->d_name);
			if (enrol_one(db, trust, path) == 0)
				done++;
			else
				failed++;
		}
		closedir(d);
	}
	ibx_trust_free(trust);
	printf("enrolled %d certificates, %d refused\n", done, failed);
	return (failed > 0 ? 1 : 0);
}

static int
run_revoke(const struct ctl_config *c, ibx_db *db)
{
	ibx_cert *cert = NULL;
	ibx_err rv;

	if (c->ncerts != 1) {
		fprintf(stderr, "inboundctl: revoke takes one --cert\n");
		return (2);
	}
	if (ibx_cert_load(c->certs[0], &cert) != IBX_OK)
		return (1);
	rv = hub_revoke_cert(db, cert);
	ibx_cert_free(cert);
	if (rv != IBX_OK) {
		fprintf(stderr, "%s: %s\n", c->certs[0],
			rv == IBX_ENOTFOUND ? "not enrolled"
					    : ibx_strerror(rv));
		return (1);
	}
	printf("%s: revoked at the hub\n", c->certs[0]);
	return (0);
}

static int
run_verify(const struct ctl_config *c, ibx_db *db)
{
	hub_verifier v = {NULL, HUB_VERIFY_SKEW_MS};
	char report[1400];
	ibx_err rv;

	if (c->ca == NULL || c->message <= 0) {
		fprintf(stderr, "inboundctl: verify-envelope needs --ca and "
				"--message\n");
		return (2);
	}
	if (ibx_trust_load(c->ca, c->crl, &v.trust) != IBX_OK)
		return (1);
	rv = hub_reverify_message(&v, db, c->message, report, sizeof(report));
	ibx_trust_free(v.trust);
	printf("%s\n", report);
	return (rv == IBX_OK ? 0 : 1);
}

int
main(int argc, char **argv)
{
	struct ctl_config c;
	ibx_db *db = NULL;
	const char *cmd;
	char two[64];
	int status = 2;

	ibx_log_init("inboundctl", IBX_LOG_WARN);
	memset(&c, 0, sizeof(c));
	c.db = getenv("IBX_DB");
	if (argc < 2) {
		usage(stderr);
		return (2);
	}
	cmd = argv[1];
	/* Two-word commands: "token create", "audit verify", ... */
	if (argc > 2 && argv[2][0] != '-' &&
	    (strcmp(cmd, "token") == 0 || strcmp(cmd, "audit") == 0 ||
	     strcmp(cmd, "series") == 0 || strcmp(cmd, "user") == 0 ||
	     strcmp(cmd, "register") == 0 || strcmp(cmd, "referrals") == 0 ||
	     strcmp(cmd, "partner") == 0)) {
		snprintf(two, sizeof(two), "%s %s", argv[1], argv[2]);
		cmd = two;
		argv++;
		argc--;
	}
	if (parse_args(argc - 1, argv + 1, &c) != 0)
		return (2);
	if (ibx_db_open(c.db, &db) != IBX_OK)
		return (1);
	if (strcmp(cmd, "enrol") == 0)
		status = run_enrol(&c, db);
	else if (strcmp(cmd, "revoke") == 0)
		status = run_revoke(&c, db);
	else if (strcmp(cmd, "verify-envelope") == 0)
		status = run_verify(&c, db);
	else if (strcmp(cmd, "token create") == 0)
		status = ctl_token_create(&c, db);
	else if (strcmp(cmd, "token revoke") == 0)
		status = ctl_token_revoke(&c, db);
	else if (strcmp(cmd, "token list") == 0)
		status = ctl_token_list(&c, db);
	else if (strcmp(cmd, "audit verify") == 0)
		status = ctl_audit_verify(&c, db);
	else if (strcmp(cmd, "series import") == 0)
		status = ctl_series_import(&c, db);
	else if (strcmp(cmd, "release") == 0)
		status = ctl_release(&c, db);
	else if (strcmp(cmd, "user create") == 0)
		status = ctl_user_create(&c, db);
	else if (strcmp(cmd, "user disable") == 0)
		status = ctl_user_disable(&c, db);
	else if (strcmp(cmd, "user reset") == 0)
		status = ctl_user_reset(&c, db);
	else if (strcmp(cmd, "user list") == 0)
		status = ctl_user_list(&c, db);
	else if (strcmp(cmd, "register import") == 0)
		status = ctl_register_import(&c, db);
	else if (strcmp(cmd, "referrals purge") == 0)
		status = ctl_referrals_purge(&c, db);
	else if (strcmp(cmd, "partner set") == 0)
		status = ctl_partner_set(&c, db);
	else {
		fprintf(stderr, "inboundctl: unknown command \"%s\"\n", cmd);
		usage(stderr);
	}
	ibx_db_close(db);
	return (status);
}
