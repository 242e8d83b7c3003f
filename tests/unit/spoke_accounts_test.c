/*
 * Unit tests of the accounts file of the spoke's page
 * (spoke/web/accounts.c): a round trip through the file (mode 0600, the
 * password checked against the stored Argon2id hash, the TOTP key kept),
 * every refused login and password, reset and disable, and a file that
 * others may read refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts.h"
#include "password.h"

static const char PW[] = "correct horse battery";

static void
test_round_trip(void **state)
{
	char dir[] = "/tmp/ibx-accounts-XXXXXX", path[256];
	uint8_t key[IBX_TOTP_KEY_LEN], key2[IBX_TOTP_KEY_LEN];
	spoke_accounts a = {NULL, 0}, b = {NULL, 0};
	spoke_account *acc;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(spoke_accounts_path(dir, path, sizeof(path)), IBX_OK);
	/* No file yet: no account. */
	assert_int_equal(spoke_accounts_load(path, &a), IBX_OK);
	assert_int_equal(a.n, 0);
	assert_int_equal(spoke_accounts_add(&a, "tanaka", PW, strlen(PW), key),
			 IBX_OK);
	/* Refused: a taken login, a bad login, a short or long password. */
	assert_int_equal(
	    spoke_accounts_add(&a, "tanaka", PW, strlen(PW), key2),
	    IBX_EINVAL);
	assert_int_equal(
	    spoke_accounts_add(&a, "ta naka", PW, strlen(PW), key2),
	    IBX_EINVAL);
	assert_int_equal(spoke_accounts_add(&a, "", PW, strlen(PW), key2),
			 IBX_EINVAL);
	assert_int_equal(spoke_accounts_add(&a, "suzuki", "short", 5, key2),
			 IBX_EINVAL);
	assert_int_equal(a.n, 1);
	assert_int_equal(spoke_accounts_save(path, &a), IBX_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	assert_int_equal(spoke_accounts_load(path, &b), IBX_OK);
	assert_int_equal(b.n, 1);
	acc = spoke_accounts_find(&b, "tanaka");
	assert_non_null(acc);
	assert_false(acc->disabled);
	assert_memory_equal(acc->totp_key, key, IBX_TOTP_KEY_LEN);
	assert_int_equal(ibx_password_verify(acc->hash, PW, strlen(PW)),
			 IBX_OK);
	assert_int_equal(ibx_password_verify(acc->hash, "wrong password!", 15),
			 IBX_ECRYPTO);
	assert_null(spoke_accounts_find(&b, "suzuki"));

	/* Reset: a new key and password; disable survives the file. */
	assert_int_equal(
	    spoke_accounts_reset(&b, "tanaka", "another password", 16, key2),
	    IBX_OK);
	assert_memory_not_equal(key, key2, IBX_TOTP_KEY_LEN);
	assert_int_equal(
	    spoke_accounts_reset(&b, "nobody", PW, strlen(PW), key2),
	    IBX_ENOTFOUND);
	spoke_accounts_find(&b, "tanaka")->disabled = true;
	assert_int_equal(spoke_accounts_save(path, &b), IBX_OK);
	spoke_accounts_free(&a);
	assert_int_equal(spoke_accounts_load(path, &a), IBX_OK);
	acc = spoke_accounts_find(&a, "tanaka");
	assert_true(acc->disabled);
	assert_memory_equal(acc->totp_key, key2, IBX_TOTP_KEY_LEN);
	assert_int_equal(
	    ibx_password_verify(acc->hash, "another password", 16), IBX_OK);

	/* A file others may read is refused. */
	assert_int_equal(chmod(path, 0644), 0);
	spoke_accounts_free(&a);
	assert_int_equal(spoke_accounts_load(path, &a), IBX_EINVAL);
	assert_int_equal(a.n, 0);

	spoke_accounts_free(&a);
	spoke_accounts_free(&b);
	unlink(path);
	rmdir(dir);
}

/* A damaged file is refused, not half read. */
static void
test_damaged(void **state)
{
	char dir[] = "/tmp/ibx-accounts-XXXXXX", path[256];
	spoke_accounts a = {NULL, 0};
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(spoke_accounts_path(dir, path, sizeof(path)), IBX_OK);
	assert_non_null(f = fopen(path, "w"));
	fputs("{\"accounts\":[{\"login\":\"x\",\"password_hash\":\"h\","
	      "\"totp_key\":\"00ff\"}]}",
	      f);
	fclose(f);
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(spoke_accounts_load(path, &a), IBX_EINVAL);
	assert_int_equal(a.n, 0);
	assert_non_null(f = fopen(path, "w"));
	fputs("not json", f);
	fclose(f);
	assert_int_equal(spoke_accounts_load(path, &a), IBX_EINVAL);
	unlink(path);
	rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_damaged),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
