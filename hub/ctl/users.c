/*
 * inboundctl user create|disable|reset|list: people's accounts at the hub
 * (issue 17; deploy/sql/migrations/060_accounts.sql, docs/accounts.md).
 *
 * No secret is ever in argv or a log: the initial password is read from
 * --password-file (which must be a regular file of mode 0600 or stricter)
 * or else from the first line of standard input, and is hashed here with
 * Argon2id (proto/crypto).  create and reset print a one-time enrolment
 * code once, on standard output; the person enters it at the first
 * sign-in, when the hub shows the TOTP QR code once.  The code is stored
 * as its SHA-256 and is good for 7 days.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth.h"
#include "crypto.h"
#include "ctl.h"
#include "listing.h"
#include "password.h"

static const char SQL_CREATE[] =
    "INSERT INTO accounts (login, role, org_code, display_name, "
    "password_hash, enrolment_hash, enrolment_expires_at) VALUES ($1, $2, "
    "$3, $4, $5, $6, now() + interval '7 days') RETURNING id";
static const char SQL_DISABLE[] =
    "WITH a AS (UPDATE accounts SET disabled_at = coalesce(disabled_at, "
    "now()) WHERE login = $1 RETURNING id), s AS (UPDATE account_sessions "
    "SET ended_at = now(), end_reason = 'account disabled' WHERE "
    "account_id IN (SELECT id FROM a) AND ended_at IS NULL) SELECT id FROM "
    "a";
/* A reset: a new enrolment, the old key forgotten, every session ended,
 * the account enabled again, its lock lifted, and a new password when
 * one is given ($3 NULL keeps the old). */
static const char SQL_RESET[] =
    "WITH a AS (UPDATE accounts SET enrolment_hash = $2, "
    "enrolment_expires_at = now() + interval '7 days', totp_secret = NULL, "
    "totp_confirmed_at = NULL, totp_last_step = 0, disabled_at = NULL, "
    "password_hash = coalesce($3, password_hash) WHERE login = $1 "
    "RETURNING id), s AS (UPDATE account_sessions SET ended_at = now(), "
    "end_reason = 'account reset' WHERE account_id IN (SELECT id FROM a) "
    "AND ended_at IS NULL), t AS (DELETE FROM signin_throttle WHERE kind = "
    "'account' AND key = $1) SELECT id FROM a";
static const char SQL_LIST[] =
    "SELECT a.id, a.login, a.role, coalesce(a.org_code, '-'), CASE WHEN "
    "a.totp_confirmed_at IS NOT NULL THEN 'totp' WHEN a.totp_secret IS NOT "
    "NULL THEN 'enrolling' WHEN a.enrolment_expires_at > now() THEN "
    "'to enrol' ELSE 'none' END, coalesce(to_char(a.last_signin_at, "
    "'YYYY-MM-DD HH24:MI'), '-'), (SELECT count(*) FROM account_sessions s "
    "WHERE s.account_id = a.id AND s.ended_at IS NULL), CASE WHEN "
    "a.disabled_at IS NOT NULL THEN 'disabled' WHEN EXISTS (SELECT 1 FROM "
    "signin_throttle t WHERE t.kind = 'account' AND t.key = a.login AND "
    "t.locked_until > now()) THEN 'locked' ELSE 'active' END FROM accounts "
    "a ORDER BY a.login";

/* Read the password (one line, the newline dropped) from path, or from
 * standard input when path is NULL, into pw (n bytes).  0 or -1 with the
 * reason on stderr. */
static int
read_password(const char *path, char *pw, size_t n)
{
	struct stat st;
	FILE *f = stdin;
	size_t len;
	int fd = -1, rc = -1;

	if (path != NULL) {
		if ((fd = open(path, O_RDONLY | O_NOFOLLOW)) < 0 ||
		    fstat(fd, &st) != 0) {
			fprintf(stderr, "inboundctl: --password-file %s: %s\n",
				path, strerror(errno));
			goto out;
		}
		if (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
			fprintf(stderr,
				"inboundctl: --password-file %s: must be a "
				"regular file of mode 0600 (others may read "
				"it)\n",
				path);
			goto out;
		}
		if ((f = fdopen(fd, "r")) == NULL)
			goto out;
		fd = -1;
	} else if (isatty(STDIN_FILENO))
		fprintf(stderr, "password (one line, not echoed by this "
				"command: pipe it in): ");
	if (fgets(pw, (int)n, f) == NULL) {
		fprintf(stderr, "inboundctl: no password given (stdin or "
				"--password-file)\n");
		goto out;
	}
	len = strcspn(pw, "\r\n");
	pw[len] = '\0';
	if (len < IBX_PASSWORD_MIN || len > IBX_PASSWORD_MAX) {
		fprintf(stderr,
			"inboundctl: password: %d to %d bytes (NIST SP "
			"800-63B), got %zu\n",
			IBX_PASSWORD_MIN, IBX_PASSWORD_MAX, len);
		goto out;
	}
	rc = 0;
out:
	if (f != stdin && f != NULL)
		fclose(f);
	if (fd >= 0)
		close(fd);
	return (rc);
}

/* A new one-time enrolment code (32 hex digits, 128 random bits) into code
 * (33 bytes) and its SHA-256 into hash. */
static int
new_enrolment(char code[33], uint8_t hash[IBX_SHA256_LEN])
{
	uint8_t raw[16];
	size_t i;

	if (ibx_random(raw, sizeof(raw)) != IBX_OK)
		return (-1);
	for (i = 0; i < sizeof(raw); i++)
		snprintf(code + 2 * i, 3, "%02x", raw[i]);
	ibx_sha256((const uint8_t *)code, 32, hash);
	ibx_secret_wipe(raw, sizeof(raw));
	return (0);
}

static int
login_valid(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0, i;

	if (n < 3 || n > 64)
		return (0);
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9') ||
		      (i > 0 && strchr("._@-", s[i]) != NULL)))
			return (0);
	return (1);
}

int
ctl_user_create(const struct ctl_config *c, ibx_db *db)
{
	char pw[IBX_PASSWORD_MAX + 2], hash[IBX_PASSWORD_HASH_MAX], code[33];
	uint8_t code_hash[IBX_SHA256_LEN];
	hub_role role = hub_role_parse(c->role);
	ibx_db_param p[6];
	ibx_db_result *res = NULL;
	int status = 1;

	if (!login_valid(c->login)) {
		fprintf(stderr, "inboundctl: --login: 3 to 64 of a-z 0-9 . _ "
				"@ -, starting with a letter or digit\n");
		return (2);
	}
	if (role == HUB_ROLE_NONE) {
		fprintf(stderr, "inboundctl: --role must be ministry, "
				"coordinator or hospital\n");
		return (2);
	}
	if ((role != HUB_ROLE_MINISTRY) != (c->org != NULL) ||
	    (c->org != NULL && !ibx_digits(c->org, 10))) {
		fprintf(stderr, "inboundctl: --org CODE (10 digits) is "
				"required for coordinator and hospital "
				"accounts, and only for them\n");
		return (2);
	}
	if (read_password(c->password_file, pw, sizeof(pw)) != 0)
		goto out;
	if (ibx_password_hash(pw, strlen(pw), hash) != IBX_OK ||
	    new_enrolment(code, code_hash) != 0) {
		fprintf(stderr, "inboundctl: cannot hash the password\n");
		goto out;
	}
	p[0] = (ibx_db_param){c->login, 0, false};
	p[1] = (ibx_db_param){hub_role_name(role), 0, false};
	p[2] = (ibx_db_param){c->org, 0, false};
	p[3] = (ibx_db_param){c->label, 0, false};
	p[4] = (ibx_db_param){hash, 0, false};
	p[5] = (ibx_db_param){(const char *)code_hash, IBX_SHA256_LEN, true};
	if (ibx_db_execp(db, SQL_CREATE, 6, p, &res) != IBX_OK) {
		fprintf(stderr, "inboundctl: account not created: %s\n",
			strcmp(ibx_db_sqlstate(db), "23505") == 0
			    ? "this login exists already"
			: strcmp(ibx_db_sqlstate(db), "23503") == 0
			    ? "--org: no such organisation is enrolled"
			    : ibx_db_last_error(db));
		goto out;
	}
	/* The enrolment code is shown once and stored as its hash. */
	printf("%s\n", code);
	fprintf(stderr,
		"account %s (%s): role %s%s%s; enrolment code above, good "
		"for 7 days, shown once\n",
		c->login, ibx_db_result_value(res, 0, 0), hub_role_name(role),
		c->org ? ", organisation " : "", c->org ? c->org : "");
	status = 0;
out:
	ibx_secret_wipe(pw, sizeof(pw));
	ibx_secret_wipe(code, sizeof(code));
	ibx_db_result_free(res);
	return (status);
}

int
ctl_user_disable(const struct ctl_config *c, ibx_db *db)
{
	ibx_db_result *res = NULL;
	const char *v[1] = {c->login};
	int status = 1;

	if (c->login == NULL) {
		fprintf(stderr, "inboundctl: user disable needs --login\n");
		return (2);
	}
	if (ibx_db_exec(db, SQL_DISABLE, 1, v, &res) != IBX_OK) {
		fprintf(stderr, "inboundctl: %s\n", ibx_db_last_error(db));
		return (1);
	}
	if (ibx_db_result_rows(res) == 0)
		fprintf(stderr, "inboundctl: no account %s\n", c->login);
	else {
		printf("account %s disabled; its sessions ended\n", c->login);
		status = 0;
	}
	ibx_db_result_free(res);
	return (status);
}

int
ctl_user_reset(const struct ctl_config *c, ibx_db *db)
{
	char pw[IBX_PASSWORD_MAX + 2], hash[IBX_PASSWORD_HASH_MAX], code[33];
	uint8_t code_hash[IBX_SHA256_LEN];
	ibx_db_param p[3];
	ibx_db_result *res = NULL;
	int status = 1;

	if (c->login == NULL) {
		fprintf(stderr, "inboundctl: user reset needs --login\n");
		return (2);
	}
	if (c->password_file != NULL &&
	    (read_password(c->password_file, pw, sizeof(pw)) != 0 ||
	     ibx_password_hash(pw, strlen(pw), hash) != IBX_OK))
		goto out;
	if (new_enrolment(code, code_hash) != 0)
		goto out;
	p[0] = (ibx_db_param){c->login, 0, false};
	p[1] = (ibx_db_param){(const char *)code_hash, IBX_SHA256_LEN, true};
	p[2] =
	    (ibx_db_param){c->password_file != NULL ? hash : NULL, 0, false};
	if (ibx_db_execp(db, SQL_RESET, 3, p, &res) != IBX_OK) {
		fprintf(stderr, "inboundctl: %s\n", ibx_db_last_error(db));
		goto out;
	}
	if (ibx_db_result_rows(res) == 0) {
		fprintf(stderr, "inboundctl: no account %s\n", c->login);
		goto out;
	}
	printf("%s\n", code);
	fprintf(stderr,
		"account %s reset: a new enrolment code above (7 days, shown "
		"once)%s; the old second factor and every session ended\n",
		c->login, c->password_file != NULL ? ", a new password" : "");
	status = 0;
out:
	ibx_secret_wipe(pw, sizeof(pw));
	ibx_secret_wipe(code, sizeof(code));
	ibx_db_result_free(res);
	return (status);
}

int
ctl_user_list(const struct ctl_config *c, ibx_db *db)
{
	ibx_db_result *res = NULL;
	int i;

	(void)c;
	if (ibx_db_exec(db, SQL_LIST, 0, NULL, &res) != IBX_OK) {
		fprintf(stderr, "inboundctl: %s\n", ibx_db_last_error(db));
		return (1);
	}
	printf("%-6s %-24s %-12s %-11s %-10s %-17s %-8s %s\n", "id", "login",
	       "role", "org", "factor", "last sign-in", "sessions", "state");
	for (i = 0; i < ibx_db_result_rows(res); i++)
		printf("%-6s %-24s %-12s %-11s %-10s %-17s %-8s %s\n",
		       ibx_db_result_value(res, i, 0),
		       ibx_db_result_value(res, i, 1),
		       ibx_db_result_value(res, i, 2),
		       ibx_db_result_value(res, i, 3),
		       ibx_db_result_value(res, i, 4),
		       ibx_db_result_value(res, i, 5),
		       ibx_db_result_value(res, i, 6),
		       ibx_db_result_value(res, i, 7));
	ibx_db_result_free(res);
	return (0);
}
