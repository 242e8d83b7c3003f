/* The accounts file of the spoke's page; see accounts.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "accounts.h"
#include "hex.h"
#include "log.h"

ibx_err
spoke_accounts_path(const char *state_dir, char *out, size_t n)
{
	int w = snprintf(out, n, "%s/%s", state_dir, SPOKE_ACCOUNTS_FILE);

	return (w < 0 || (size_t)w >= n ? IBX_ETOOBIG : IBX_OK);
}

void
spoke_accounts_free(spoke_accounts *a)
{
	if (a == NULL)
		return;
	if (a->v != NULL)
		ibx_secret_wipe(a->v, a->n * sizeof(*a->v));
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

spoke_account *
spoke_accounts_find(const spoke_accounts *a, const char *login)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->v[i].login, login) == 0)
			return (&a->v[i]);
	return (NULL);
}

/* 2n hex digits at s into n bytes; 0 when s is not that. */
static int
unhex(const char *s, uint8_t *out, size_t n)
{
	size_t i;

	if (strlen(s) != 2 * n)
		return (0);
	for (i = 0; i < 2 * n; i++) {
		char c = s[i];
		int v = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
					       : -1;

		if (v < 0)
			return (0);
		out[i / 2] = (uint8_t)(i % 2 == 0 ? v << 4 : out[i / 2] | v);
	}
	return (1);
}

static int
login_ok(const char *login)
{
	size_t n = strlen(login), i;

	if (n == 0 || n > SPOKE_LOGIN_MAX)
		return (0);
	for (i = 0; i < n; i++) {
		char c = login[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' ||
		      c == '@' || c == '-'))
			return (0);
	}
	return (1);
}

/* One account of the file; 0 when it lacks a field. */
static int
account_from_json(json_t *o, spoke_account *acc)
{
	const char *login = json_string_value(json_object_get(o, "login"));
	const char *hash =
	    json_string_value(json_object_get(o, "password_hash"));
	const char *key = json_string_value(json_object_get(o, "totp_key"));
	const char *made = json_string_value(json_object_get(o, "created_at"));

	memset(acc, 0, sizeof(*acc));
	if (login == NULL || !login_ok(login) || hash == NULL ||
	    strlen(hash) >= sizeof(acc->hash) || key == NULL ||
	    !unhex(key, acc->totp_key, IBX_TOTP_KEY_LEN))
		return (0);
	snprintf(acc->login, sizeof(acc->login), "%s", login);
	snprintf(acc->hash, sizeof(acc->hash), "%s", hash);
	snprintf(acc->created_at, sizeof(acc->created_at), "%s",
		 made != NULL ? made : "");
	acc->disabled = json_is_true(json_object_get(o, "disabled"));
	return (1);
}

ibx_err
spoke_accounts_load(const char *path, spoke_accounts *out)
{
	json_error_t je;
	json_t *root = NULL, *list, *o;
	struct stat st;
	size_t i;
	ibx_err rv = IBX_EINVAL;

	memset(out, 0, sizeof(*out));
	if (stat(path, &st) != 0) {
		if (errno == ENOENT)
			return (IBX_OK);
		IBX_ERROR("%s: %s", path, strerror(errno));
		return (IBX_EIO);
	}
	if ((st.st_mode & 077) != 0) {
		IBX_ERROR("%s: refused: group or others may read or write it "
			  "(chmod 600 it)",
			  path);
		return (IBX_EINVAL);
	}
	if ((root = json_load_file(path, 0, &je)) == NULL) {
		IBX_ERROR("%s: line %d: %s", path, je.line, je.text);
		return (IBX_EINVAL);
	}
	list = json_object_get(root, "accounts");
	if (!json_is_array(list) ||
	    json_array_size(list) > SPOKE_ACCOUNTS_MAX) {
		IBX_ERROR("%s: \"accounts\": expected a list of at most %d",
			  path, SPOKE_ACCOUNTS_MAX);
		goto out;
	}
	if ((out->v = calloc(json_array_size(list) + 1, sizeof(*out->v))) ==
	    NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	json_array_foreach(list, i, o)
	{
		if (!account_from_json(o, &out->v[out->n])) {
			IBX_ERROR("%s: accounts[%zu]: login, password_hash or "
				  "totp_key missing or malformed",
				  path, i);
			goto out;
		}
		out->n++;
	}
	rv = IBX_OK;
out:
	json_decref(root);
	if (rv != IBX_OK)
		spoke_accounts_free(out);
	return (rv);
}

ibx_err
spoke_accounts_save(const char *path, const spoke_accounts *a)
{
	char tmp[4200], key[2 * IBX_TOTP_KEY_LEN + 1];
	json_t *root = json_object(), *list = json_array();
	char *text = NULL;
	size_t i, len;
	int fd = -1;
	ibx_err rv = IBX_ENOMEM;

	if (root == NULL || list == NULL)
		goto out;
	json_object_set_new(root, "accounts", list);
	for (i = 0; i < a->n; i++) {
		const spoke_account *acc = &a->v[i];

		ibx_hex_encode(acc->totp_key, IBX_TOTP_KEY_LEN, key);
		if (json_array_append_new(
			list,
			json_pack("{s:s,s:s,s:s,s:b,s:s}", "login", acc->login,
				  "password_hash", acc->hash, "totp_key", key,
				  "disabled", acc->disabled, "created_at",
				  acc->created_at)) != 0)
			goto out;
	}
	if ((text = json_dumps(root, JSON_INDENT(2))) == NULL)
		goto out;
	rv = IBX_EIO;
	len = strlen(text);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) <
		0 ||
	    fchmod(fd, 0600) != 0 || write(fd, text, len) != (ssize_t)len ||
	    write(fd, "\n", 1) != 1 || fsync(fd) != 0) {
		IBX_ERROR("%s: %s", tmp, strerror(errno));
		goto out;
	}
	close(fd);
	fd = -1;
	if (rename(tmp, path) != 0) {
		IBX_ERROR("%s: %s", path, strerror(errno));
		goto out;
	}
	rv = IBX_OK;
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	ibx_secret_wipe(key, sizeof(key));
	if (text != NULL) {
		ibx_secret_wipe(text, strlen(text));
		free(text);
	}
	json_decref(root);
	return (rv);
}

/* A new hash of pw and a new key into acc (and key). */
static ibx_err
set_secrets(spoke_account *acc, const char *pw, size_t len,
	    uint8_t key[IBX_TOTP_KEY_LEN])
{
	ibx_err rv;

	if (len < IBX_PASSWORD_MIN || len > IBX_PASSWORD_MAX)
		return (IBX_EINVAL);
	if ((rv = ibx_password_hash(pw, len, acc->hash)) != IBX_OK ||
	    (rv = ibx_totp_key_new(acc->totp_key)) != IBX_OK)
		return (rv);
	memcpy(key, acc->totp_key, IBX_TOTP_KEY_LEN);
	acc->disabled = false;
	return (IBX_OK);
}

ibx_err
spoke_accounts_add(spoke_accounts *a, const char *login, const char *pw,
		   size_t len, uint8_t key[IBX_TOTP_KEY_LEN])
{
	spoke_account *grown, acc;
	time_t now = time(NULL);
	struct tm tm;
	ibx_err rv;

	if (!login_ok(login) || spoke_accounts_find(a, login) != NULL)
		return (IBX_EINVAL);
	if (a->n >= SPOKE_ACCOUNTS_MAX)
		return (IBX_ETOOBIG);
	memset(&acc, 0, sizeof(acc));
	snprintf(acc.login, sizeof(acc.login), "%s", login);
	gmtime_r(&now, &tm);
	strftime(acc.created_at, sizeof(acc.created_at), "%Y-%m-%dT%H:%M:%SZ",
		 &tm);
	if ((rv = set_secrets(&acc, pw, len, key)) != IBX_OK)
		goto out;
	if ((grown = realloc(a->v, (a->n + 1) * sizeof(*a->v))) == NULL) {
		rv = IBX_ENOMEM;
		goto out;
	}
	a->v = grown;
	a->v[a->n++] = acc;
out:
	ibx_secret_wipe(&acc, sizeof(acc));
	return (rv);
}

ibx_err
spoke_accounts_reset(spoke_accounts *a, const char *login, const char *pw,
		     size_t len, uint8_t key[IBX_TOTP_KEY_LEN])
{
	spoke_account *acc = spoke_accounts_find(a, login);

	if (acc == NULL)
		return (IBX_ENOTFOUND);
	return (set_secrets(acc, pw, len, key));
}
