/*
 * inbound-spoke serve and inbound-spoke user: the hospital's own page
 * (spoke/web, docs/spoke-page.md) and its local accounts.
 *
 * serve is the agent (inbound-spoke run, with the same options) plus the
 * page on --http ADDR:PORT, loopback only unless --allow-remote.  Its
 * sources default to the state folder (--state, /var/lib/inbound-spoke):
 * STATE/listing.json, STATE/cases/ and STATE/cases-map.txt (a hospital's
 * only) and STATE/outbox, so the page and the agent look at the same
 * files.
 *
 * user create|disable|reset|list manages STATE/accounts.json.  A password
 * is read from the first line of standard input or of --password-file (a
 * file only its owner may read), never from the command line, where any
 * user of the machine could see it (ps).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts.h"
#include "agent.h"
#include "envelope.h"
#include "install.h"
#include "log.h"
#include "outbox.h"
#include "page_cmd.h"
#include "password.h"
#include "referral_page.h"
#include "run.h"
#include "spoke_cmd.h"
#include "totp.h"
#include "web.h"

#define STATE_DEFAULT "/var/lib/inbound-spoke"
#define PATH_LEN      4096

/* The options serve adds to run's. */
struct serve_config {
	const char *http;
	const char *state;
	const char *page;
	const char *web;
	bool allow_remote;
	long idle, max, lock;
	unsigned long long upload_max; /* --upload-max MIB, in bytes */
};

/* Take serve's own options out of argv (kept in order for run's parser);
 * 0, or -1 (reported). */
static int
take_options(int *argc, char **argv, struct serve_config *s)
{
	static const struct {
		const char *name;
		int has_arg;
	} own[] = {
	    {"--http", 1},	  {"--state", 1},	 {"--page", 1},
	    {"--web", 1},	  {"--allow-remote", 0}, {"--session-idle", 1},
	    {"--session-max", 1}, {"--signin-lock", 1},	 {"--upload-max", 1}};
	int i, j, out = 1;
	size_t k;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i], *v = NULL;

		for (k = 0; k < sizeof(own) / sizeof(own[0]); k++) {
			size_t n = strlen(own[k].name);

			if (strncmp(a, own[k].name, n) != 0 ||
			    (a[n] != '\0' && a[n] != '='))
				continue;
			if (own[k].has_arg) {
				if (a[n] == '=')
					v = a + n + 1;
				else if (i + 1 < *argc)
					v = argv[++i];
				else {
					fprintf(stderr,
						"inbound-spoke: %s needs a "
						"value\n",
						own[k].name);
					return (-1);
				}
			}
			break;
		}
		if (k == sizeof(own) / sizeof(own[0])) {
			argv[out++] = argv[i];
			continue;
		}
		switch (k) {
		case 0:
			s->http = v;
			break;
		case 1:
			s->state = v;
			break;
		case 2:
			s->page = v;
			break;
		case 3:
			s->web = v;
			break;
		case 4:
			s->allow_remote = true;
			break;
		case 5:
			if (spoke_parse_long("--session-idle", v, 60, 86400,
					     &s->idle) != 0)
				return (-1);
			break;
		case 6:
			if (spoke_parse_long("--session-max", v, 60, 604800,
					     &s->max) != 0)
				return (-1);
			break;
		case 7:
			if (spoke_parse_long("--signin-lock", v, 1, 86400,
					     &s->lock) != 0)
				return (-1);
			break;
		case 8: {
			long mib;

			/* MiB, up to 16 GiB. */
			if (spoke_parse_long("--upload-max", v, 1, 16384,
					     &mib) != 0)
				return (-1);
			s->upload_max = (unsigned long long)mib << 20;
			break;
		}
		}
	}
	for (j = out; j < *argc; j++)
		argv[j] = NULL;
	*argc = out;
	return (0);
}

/* ADDR:PORT into addr (n bytes) and *port; 0 or -1 (reported). */
static int
split_http(const char *s, char *addr, size_t n, int *port)
{
	const char *colon = s != NULL ? strrchr(s, ':') : NULL;
	long p;

	if (colon == NULL || (size_t)(colon - s) >= n ||
	    spoke_parse_long("--http PORT", colon + 1, 1, 65535, &p) != 0) {
		fprintf(stderr, "inbound-spoke: serve: --http ADDR:PORT is "
				"required (127.0.0.1:8081)\n");
		return (-1);
	}
	memcpy(addr, s, (size_t)(colon - s));
	addr[colon - s] = '\0';
	*port = (int)p;
	return (0);
}

/* path, or STATE/name into buf. */
static const char *
in_state(const char *given, const char *state, const char *name, char *buf)
{
	if (given != NULL)
		return (given);
	snprintf(buf, PATH_LEN, "%s/%s", state, name);
	return (buf);
}

/* Make dir (mode 0700) when it is not there; 0 or -1 (reported). */
static int
make_dir(const char *dir)
{
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		fprintf(stderr, "inbound-spoke: %s: %s\n", dir,
			strerror(errno));
		return (-1);
	}
	return (0);
}

int
spoke_cmd_serve(int argc, char **argv)
{
	static char listing[PATH_LEN], cases[PATH_LEN], map[PATH_LEN],
	    outbox[PATH_LEN], page[PATH_LEN], web[PATH_LEN], addr[64];
	static spoke_ref_page refpage;
	struct serve_config s;
	const char *hubs[HUBS_MAX];
	spoke_agent_opts o;
	spoke_web_opts wo;
	spoke_identity id;
	spoke_web *w = NULL;
	FILE *f;
	int status = 1;

	memset(&s, 0, sizeof(s));
	memset(&o, 0, sizeof(o));
	memset(&wo, 0, sizeof(wo));
	memset(&id, 0, sizeof(id));
	if (argc > 1 &&
	    (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		spoke_cmd_help(stdout, "serve");
		return (0);
	}
	if (take_options(&argc, argv, &s) != 0 ||
	    split_http(s.http, addr, sizeof(addr), &wo.port) != 0)
		return (2);
	if (s.state == NULL)
		s.state = STATE_DEFAULT;
	o.outbox = NULL;
	o.hubs = hubs;
	o.timeout_ms = 5000;
	o.attempts = 1;
	o.interval_s = 30;
	if (spoke_run_parse(argc, argv, &o, hubs) != 0)
		return (2);
	if (!spoke_web_loopback(addr) && !s.allow_remote) {
		fprintf(stderr,
			"inbound-spoke: serve: %s is not a loopback address: "
			"the page serves inside the hospital; pass "
			"--allow-remote to serve on %s (behind TLS)\n",
			addr, addr);
		return (2);
	}
	if (make_dir(s.state) != 0)
		return (1);
	if (spoke_identity_load(o.tls.cert_file, o.tls.key_file, &id) !=
	    IBX_OK)
		return (1);
	o.outbox = in_state(o.outbox, s.state, "outbox", outbox);
	o.src.listing =
	    in_state(o.src.listing, s.state, "listing.json", listing);
	/* Case statistics come from hospitals: a coordinator's page has no
	 * monthly report (the agent would refuse an export folder). */
	if (strcmp(id.role, "hospital") == 0) {
		o.src.cases_dir =
		    in_state(o.src.cases_dir, s.state, "cases", cases);
		o.src.map = in_state(o.src.map, s.state, "cases-map.txt", map);
	}
	if (o.src.cases_dir != NULL && make_dir(o.src.cases_dir) != 0)
		goto out;
	/* An empty map until the page adds lines: the agent reads it. */
	if (o.src.map != NULL && access(o.src.map, F_OK) != 0) {
		if ((f = fopen(o.src.map, "w")) == NULL) {
			fprintf(stderr, "inbound-spoke: %s: %s\n", o.src.map,
				strerror(errno));
			goto out;
		}
		fputs("# column map (docs/case-records.md); the spoke's page "
		      "adds value lines\n",
		      f);
		fclose(f);
	}
	if (s.page == NULL &&
	    ibx_install_dir("spoke-web", page, sizeof(page)) != IBX_OK) {
		fprintf(stderr,
			"inbound-spoke: serve: no page folder at %s; pass "
			"--page DIR\n",
			page);
		goto out;
	}
	if (s.web == NULL &&
	    ibx_install_dir("web", web, sizeof(web)) != IBX_OK) {
		fprintf(stderr,
			"inbound-spoke: serve: no web folder at %s (the code "
			"lists); pass --web DIR\n",
			web);
		goto out;
	}
	ibx_log_init("inbound-spoke", IBX_LOG_INFO);
	wo.addr = addr;
	wo.allow_remote = s.allow_remote;
	wo.state = s.state;
	wo.listing = o.src.listing;
	wo.cases = o.src.cases_dir;
	wo.map = o.src.map;
	wo.outbox = o.outbox;
	wo.page = s.page != NULL ? s.page : page;
	wo.web = s.web != NULL ? s.web : web;
	wo.org_code = id.code;
	wo.role = id.role;
	wo.icd10_category = o.src.icd10_category;
	wo.session_idle = (int)s.idle;
	wo.session_max = (int)s.max;
	wo.signin_lock = (int)s.lock;
	/* The referral channel: the commands' work, through the agent's
	 * outbox, keys and work in STATE/referrals. */
	spoke_ref_page_init(&refpage, &o, s.state);
	wo.referral = &refpage.ops;
	wo.upload_max = s.upload_max;
	if (spoke_web_start(&wo, &w) != IBX_OK)
		goto out;
	status = spoke_agent_run(&o);
out:
	spoke_web_stop(w);
	spoke_identity_fini(&id);
	return (status);
}

/* The first line of f (without its line end) into buf (n bytes); -1 when
 * there is none or it is too long. */
static int
read_line(FILE *f, char *buf, size_t n)
{
	size_t len;

	if (fgets(buf, (int)n, f) == NULL)
		return (-1);
	len = strlen(buf);
	if (len > 0 && buf[len - 1] != '\n' && !feof(f))
		return (-1);
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return (0);
}

/* The password: --password-file's first line (a file only its owner may
 * read or write) or standard input's.  0 or -1 (reported). */
static int
read_password(const char *file, char *pw, size_t n)
{
	struct stat st;
	FILE *f = stdin;
	int rv;

	if (file != NULL) {
		if ((f = fopen(file, "r")) == NULL ||
		    fstat(fileno(f), &st) != 0) {
			fprintf(stderr, "inbound-spoke: %s: %s\n", file,
				strerror(errno));
			if (f != NULL)
				fclose(f);
			return (-1);
		}
		if ((st.st_mode & 077) != 0) {
			fprintf(stderr,
				"inbound-spoke: %s: refused: group or others "
				"may read it (chmod 600 it)\n",
				file);
			fclose(f);
			return (-1);
		}
	} else if (isatty(STDIN_FILENO))
		fprintf(stderr, "password (at least %d characters): ",
			IBX_PASSWORD_MIN);
	rv = read_line(f, pw, n);
	if (f != stdin)
		fclose(f);
	if (rv != 0 || strlen(pw) < IBX_PASSWORD_MIN ||
	    strlen(pw) > IBX_PASSWORD_MAX) {
		fprintf(stderr,
			"inbound-spoke: user: the password must be one line "
			"of %d to %d bytes\n",
			IBX_PASSWORD_MIN, IBX_PASSWORD_MAX);
		return (-1);
	}
	return (0);
}

/* Print the new TOTP key of login once: base32 and otpauth:// URI. */
static void
print_key(const char *login, const uint8_t key[IBX_TOTP_KEY_LEN])
{
	char b32[IBX_TOTP_B32_MAX], *uri = NULL;

	if (ibx_totp_base32(key, IBX_TOTP_KEY_LEN, b32, sizeof(b32)) !=
		IBX_OK ||
	    ibx_totp_uri(key, IBX_TOTP_KEY_LEN, "Inbound Exchange spoke",
			 login, &uri) != IBX_OK) {
		fprintf(stderr, "inbound-spoke: user: cannot show the key\n");
		return;
	}
	printf("login: %s\n"
	       "totp secret (base32, shown once; enter it in an "
	       "authenticator app): %s\n"
	       "otpauth uri (for a QR code: qrencode -t ansiutf8 URI): %s\n",
	       login, b32, uri);
	ibx_secret_wipe(b32, sizeof(b32));
	ibx_secret_wipe(uri, strlen(uri));
	free(uri);
}

int
spoke_cmd_user(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"state", required_argument, NULL, 's'},
	    {"login", required_argument, NULL, 'l'},
	    {"password-file", required_argument, NULL, 'p'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *state = STATE_DEFAULT, *login = NULL, *pwfile = NULL,
		   *verb;
	char path[PATH_LEN], pw[IBX_PASSWORD_MAX + 2];
	uint8_t key[IBX_TOTP_KEY_LEN];
	spoke_accounts a = {NULL, 0};
	spoke_account *acc;
	int ch, status = 1;
	size_t i;
	ibx_err rv;

	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			state = optarg;
			break;
		case 'l':
			login = optarg;
			break;
		case 'p':
			pwfile = optarg;
			break;
		case 'h':
			spoke_cmd_help(stdout, "user");
			return (0);
		default:
			spoke_cmd_usage(stderr, "user");
			return (2);
		}
	}
	if (optind + 1 != argc) {
		spoke_cmd_usage(stderr, "user");
		return (2);
	}
	verb = argv[optind];
	if (strcmp(verb, "list") != 0 && login == NULL) {
		fprintf(stderr,
			"inbound-spoke: user %s: --login is required\n", verb);
		return (2);
	}
	if (strcmp(verb, "create") != 0 && strcmp(verb, "disable") != 0 &&
	    strcmp(verb, "reset") != 0 && strcmp(verb, "list") != 0) {
		fprintf(stderr,
			"inbound-spoke: user: unknown action \"%s\" (create, "
			"disable, reset or list)\n",
			verb);
		return (2);
	}
	if (make_dir(state) != 0 ||
	    spoke_accounts_path(state, path, sizeof(path)) != IBX_OK)
		return (1);
	if (spoke_accounts_load(path, &a) != IBX_OK) {
		fprintf(stderr,
			"inbound-spoke: user: %s cannot be read (see "
			"above)\n",
			path);
		return (1);
	}
	if (strcmp(verb, "list") == 0) {
		for (i = 0; i < a.n; i++)
			printf("%s\t%s\t%s\n", a.v[i].login,
			       a.v[i].disabled ? "disabled" : "enabled",
			       a.v[i].created_at);
		status = 0;
		goto out;
	}
	acc = spoke_accounts_find(&a, login);
	if (strcmp(verb, "disable") == 0) {
		if (acc == NULL) {
			fprintf(stderr, "inbound-spoke: user: no account %s\n",
				login);
			goto out;
		}
		acc->disabled = true;
	} else {
		if (strcmp(verb, "create") == 0 && acc != NULL) {
			fprintf(stderr,
				"inbound-spoke: user: %s exists already; use "
				"reset\n",
				login);
			goto out;
		}
		if (strcmp(verb, "reset") == 0 && acc == NULL) {
			fprintf(stderr, "inbound-spoke: user: no account %s\n",
				login);
			goto out;
		}
		if (read_password(pwfile, pw, sizeof(pw)) != 0)
			goto out;
		rv =
		    strcmp(verb, "create") == 0
			? spoke_accounts_add(&a, login, pw, strlen(pw), key)
			: spoke_accounts_reset(&a, login, pw, strlen(pw), key);
		if (rv != IBX_OK) {
			fprintf(stderr,
				"inbound-spoke: user %s: %s (a login is 1 to "
				"64 of A-Z a-z 0-9 . _ @ -)\n",
				verb, ibx_strerror(rv));
			goto out;
		}
	}
	if (spoke_accounts_save(path, &a) != IBX_OK)
		goto out;
	if (strcmp(verb, "disable") == 0)
		printf("%s disabled\n", login);
	else
		print_key(login, key);
	status = 0;
out:
	ibx_secret_wipe(pw, sizeof(pw));
	ibx_secret_wipe(key, sizeof(key));
	spoke_accounts_free(&a);
	return (status);
}
