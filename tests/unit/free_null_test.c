/*
 * Every _free, _close, _fini and _stop of proto/, hub/ and spoke/ accepts
 * NULL (STYLE.md: "every _free accepts NULL"), so cleanup after a failure
 * part-way through set-up needs no tests of its own.  Each call below would
 * crash the test if it did not.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "agent_watch.h"
#include "cases_agg.h"
#include "cases_map.h"
#include "cases_report.h"
#include "certcache.h"
#include "coordinator.h"
#include "crypto.h"
#include "db.h"
#include "dbpool.h"
#include "envelope.h"
#include "http.h"
#include "listing.h"
#include "outbox.h"
#include "package.h"
#include "problems.h"
#include "referral.h"
#include "seal.h"
#include "statistics.h"
#include "transport.h"
#include "wire.h"

static void
test_proto(void **state)
{
	(void)state;
	ibx_problems_fini(NULL);
	ibx_strv_fini(NULL);
	ibx_listing_free(NULL);
	ibx_coordinator_free(NULL);
	ibx_statistics_free(NULL);
	ibx_referral_chunk_fini(NULL);
	ibx_key_reply_fini(NULL);
	ibx_inbox_reply_fini(NULL);
	ibx_seal_stream_free(NULL);
	ibx_sha256_stream_free(NULL);
	ibx_seal_keypair_wipe(NULL);
	ibx_package_reader_free(NULL);
	ibx_bytes_fini(NULL);
	ibx_envelope_fini(NULL);
	ibx_key_free(NULL);
	ibx_cert_free(NULL);
	ibx_trust_free(NULL);
	ibx_certcache_free(NULL);
	ibx_rep_server_close(NULL);
	ibx_req_client_close(NULL);
}

static void
test_hub(void **state)
{
	(void)state;
	ibx_db_close(NULL);
	ibx_db_result_free(NULL);
	hub_dbpool_close(NULL);
	hub_http_stop(NULL);
}

static void
test_spoke(void **state)
{
	(void)state;
	spoke_agent_watch_free(NULL);
	spoke_cases_agg_free(NULL);
	spoke_cases_map_fini(NULL);
	spoke_msgs_fini(NULL);
	spoke_cases_report_fini(NULL);
	spoke_identity_fini(NULL);
	spoke_outbox_close(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_proto),
	    cmocka_unit_test(test_hub),
	    cmocka_unit_test(test_spoke),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
