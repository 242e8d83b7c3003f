/*
 * libFuzzer target: the listing JSON loader (proto/wire/listing_json.c), which
 * reads a file a hospital writes and which the spoke and inboundctl load.
 * Parse, check the rules, write the listing back as JSON and assert the
 * round trip: what ibx_listing_to_json writes must parse again without a
 * problem, and writing that gives the same text (one trip is a fixed point).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "listing_json.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init("fuzz_listing_json");
	return (0);
}

static void
round_trip(const ibx_listing *l)
{
	ibx_problems problems;
	ibx_listing *back = NULL;
	char *once = NULL, *twice = NULL;

	ibx_problems_init(&problems);
	FUZZ_REQUIRE(ibx_listing_to_json(l, &once) == IBX_OK);
	FUZZ_REQUIRE(ibx_listing_from_json(once, strlen(once), &problems,
					   &back) == IBX_OK);
	FUZZ_REQUIRE(ibx_problems_count(&problems) == 0);
	FUZZ_REQUIRE(ibx_listing_to_json(back, &twice) == IBX_OK);
	FUZZ_REQUIRE(strcmp(once, twice) == 0);
	free(once);
	free(twice);
	ibx_listing_free(back);
	ibx_problems_fini(&problems);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ibx_problems problems;
	ibx_listing *l = NULL;
	ibx_err rv;
	size_t i;

	ibx_problems_init(&problems);
	rv = ibx_listing_from_json((const char *)data, size, &problems, &l);
	FUZZ_REQUIRE(rv == IBX_OK || rv == IBX_EINVAL || rv == IBX_ETOOBIG);
	/* A refusal always says why; a listing is returned only on OK. */
	FUZZ_REQUIRE((rv == IBX_OK) == (ibx_problems_count(&problems) == 0));
	FUZZ_REQUIRE((rv == IBX_OK) == (l != NULL));
	for (i = 0; i < problems.n; i++)
		FUZZ_REQUIRE(problems.items[i] != NULL);
	if (rv == IBX_OK) {
		rv = ibx_listing_check(l, &problems);
		FUZZ_REQUIRE(rv == IBX_OK || rv == IBX_EINVAL);
		round_trip(l);
	}
	ibx_listing_free(l);
	ibx_problems_fini(&problems);
	return (0);
}
