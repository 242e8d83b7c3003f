/*
 * Unit tests of the listing copies the spoke's page compares with
 * (spoke/agent/agent_listing.c): a sealed listing's bytes wait in
 * listings/SEQ.json; the hub's acceptance makes them
 * listing.acknowledged.json (replacing the older version), a refusal
 * listings/SEQ.refused; an envelope without a copy (statistics, or one
 * filed already by a duplicate Ack) changes nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent_listing.h"
#include "file.h"

static char dir[64];

static int
setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/ibx-agent-listing-XXXXXX");
	return (mkdtemp(dir) == NULL ? -1 : 0);
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return (system(cmd));
}

/* The text of dir/name, or NULL when there is no such file. */
static char *
text_of(const char *name)
{
	char path[256], *text = NULL;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (ibx_file_read(path, 4096, &text, &len) != IBX_OK)
		return (NULL);
	return (text);
}

static void
test_accepted_replaces(void **state)
{
	char *t;

	(void)state;
	assert_int_equal(spoke_agent_listing_keep(dir, 7, "{\"v\": 1}", 8),
			 IBX_OK);
	assert_string_equal(t = text_of("listings/7.json"), "{\"v\": 1}");
	free(t);
	assert_null(text_of(SPOKE_LISTING_ACKNOWLEDGED));
	assert_int_equal(spoke_agent_listing_acked(dir, 7, 1), IBX_OK);
	assert_string_equal(t = text_of(SPOKE_LISTING_ACKNOWLEDGED),
			    "{\"v\": 1}");
	free(t);
	assert_null(text_of("listings/7.json"));
	/* The duplicate Ack after a crash: filed already, nothing moves. */
	assert_int_equal(spoke_agent_listing_acked(dir, 7, 1), IBX_OK);
	/* A newer version replaces it whole. */
	assert_int_equal(spoke_agent_listing_keep(dir, 9, "{\"v\": 2}", 8),
			 IBX_OK);
	assert_int_equal(spoke_agent_listing_acked(dir, 9, 1), IBX_OK);
	assert_string_equal(t = text_of(SPOKE_LISTING_ACKNOWLEDGED),
			    "{\"v\": 2}");
	free(t);
}

static void
test_refused_kept_apart(void **state)
{
	char *t;

	(void)state;
	assert_int_equal(spoke_agent_listing_keep(dir, 3, "{\"v\": 1}", 8),
			 IBX_OK);
	assert_int_equal(spoke_agent_listing_acked(dir, 3, 1), IBX_OK);
	assert_int_equal(spoke_agent_listing_keep(dir, 4, "{\"bad\": 1}", 10),
			 IBX_OK);
	assert_int_equal(spoke_agent_listing_acked(dir, 4, 0), IBX_OK);
	assert_string_equal(t = text_of("listings/4.refused"), "{\"bad\": 1}");
	free(t);
	/* The hub's version is still the accepted one. */
	assert_string_equal(t = text_of(SPOKE_LISTING_ACKNOWLEDGED),
			    "{\"v\": 1}");
	free(t);
	/* An envelope that is not a listing has no copy. */
	assert_int_equal(spoke_agent_listing_acked(dir, 5, 1), IBX_OK);
	assert_string_equal(t = text_of(SPOKE_LISTING_ACKNOWLEDGED),
			    "{\"v\": 1}");
	free(t);
}

static void
test_unwritable(void **state)
{
	char path[128];

	(void)state;
	/* A file where the folder should be: refused, nothing kept. */
	snprintf(path, sizeof(path), "%s/%s", dir, SPOKE_LISTING_COPIES);
	fclose(fopen(path, "w"));
	assert_int_equal(spoke_agent_listing_keep(dir, 1, "{}", 2), IBX_EIO);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_accepted_replaces, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_refused_kept_apart, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_unwritable, setup, teardown),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
