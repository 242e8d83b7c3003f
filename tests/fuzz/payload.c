/*
 * The payload checks the fuzz targets share (fuzz.h): a HospitalListing
 * and a CaseStatistics payload taken the way the hub takes them, with the
 * properties that must hold for any bytes a peer sends.  Nothing here needs
 * a database or a network.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "listing_json.h"
#include "log.h"
#include "wire.h"

void
fuzz_init(const char *program)
{
	ibx_log_init(program, IBX_LOG_ERROR);
}

void
fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "fuzz: property broken: %s (%s:%d)\n", what, file,
		line);
	abort();
}

static bool
bytes_equal(const ibx_bytes *a, const ibx_bytes *b)
{
	return (a->len == b->len &&
		(a->len == 0 || memcmp(a->data, b->data, a->len) == 0));
}

/* Every problem a check adds is a non-empty message. */
static void
require_problems_sane(const ibx_problems *p)
{
	size_t i;

	FUZZ_REQUIRE(p->n <= IBX_PROBLEMS_MAX);
	for (i = 0; i < p->n; i++)
		FUZZ_REQUIRE(p->items[i] != NULL && p->items[i][0] != '\0');
}

/* encode(l) decodes again, and encoding that gives the same bytes. */
static void
listing_fixed_point(const ibx_listing *l)
{
	ibx_bytes once = {NULL, 0}, twice = {NULL, 0};
	ibx_listing *again = NULL;

	FUZZ_REQUIRE(ibx_listing_encode(l, &once) == IBX_OK);
	FUZZ_REQUIRE(ibx_listing_decode(once.data, once.len, &again) ==
		     IBX_OK);
	FUZZ_REQUIRE(ibx_listing_encode(again, &twice) == IBX_OK);
	FUZZ_REQUIRE(bytes_equal(&once, &twice));
	ibx_listing_free(again);
	ibx_bytes_fini(&once);
	ibx_bytes_fini(&twice);
}

/* A listing the rules accept is what the hub stores: intake.c writes it
 * with ibx_listing_to_json, and the API serves that document.  It must be
 * written, read back, and pass the rules again. */
static void
listing_stored(const ibx_listing *l)
{
	ibx_problems problems;
	ibx_listing *back = NULL;
	char *doc = NULL;

	ibx_problems_init(&problems);
	FUZZ_REQUIRE(ibx_listing_to_json(l, &doc) == IBX_OK);
	FUZZ_REQUIRE(ibx_listing_from_json(doc, strlen(doc), &problems,
					   &back) == IBX_OK);
	FUZZ_REQUIRE(ibx_listing_check(back, &problems) == IBX_OK);
	ibx_listing_free(back);
	ibx_problems_fini(&problems);
	free(doc);
}

void
fuzz_listing_payload(const uint8_t *buf, size_t len)
{
	ibx_problems problems;
	ibx_listing *l = NULL;
	ibx_err rv;

	if (ibx_listing_decode(buf, len, &l) != IBX_OK)
		return;
	ibx_problems_init(&problems);
	rv = ibx_listing_check(l, &problems);
	FUZZ_REQUIRE(rv == IBX_OK || rv == IBX_EINVAL);
	FUZZ_REQUIRE((rv == IBX_OK) == (ibx_problems_count(&problems) == 0));
	require_problems_sane(&problems);
	listing_fixed_point(l);
	if (rv == IBX_OK)
		listing_stored(l);
	ibx_problems_fini(&problems);
	ibx_listing_free(l);
}

/* encode(s) decodes again, and encoding that gives the same bytes. */
static void
statistics_fixed_point(const ibx_case_statistics *s)
{
	ibx_bytes once = {NULL, 0}, twice = {NULL, 0};
	ibx_case_statistics *again = NULL;

	FUZZ_REQUIRE(ibx_statistics_encode(s, &once) == IBX_OK);
	FUZZ_REQUIRE(ibx_statistics_decode(once.data, once.len, &again) ==
		     IBX_OK);
	FUZZ_REQUIRE(again->n_cells == s->n_cells);
	FUZZ_REQUIRE(ibx_statistics_encode(again, &twice) == IBX_OK);
	FUZZ_REQUIRE(bytes_equal(&once, &twice));
	ibx_statistics_free(again);
	ibx_bytes_fini(&once);
	ibx_bytes_fini(&twice);
}

void
fuzz_statistics_payload(const uint8_t *buf, size_t len)
{
	ibx_problems problems;
	ibx_case_statistics *s = NULL;
	ibx_err rv;

	if (ibx_statistics_decode(buf, len, &s) != IBX_OK)
		return;
	FUZZ_REQUIRE(s->n_cells <= IBX_STATISTICS_MAX_CELLS);
	ibx_problems_init(&problems);
	rv = ibx_statistics_check(s, FUZZ_NOW_PERIOD, &problems);
	FUZZ_REQUIRE(rv == IBX_OK || rv == IBX_EINVAL);
	FUZZ_REQUIRE((rv == IBX_OK) == (ibx_problems_count(&problems) == 0));
	require_problems_sane(&problems);
	statistics_fixed_point(s);
	ibx_problems_fini(&problems);
	ibx_statistics_free(s);
}
