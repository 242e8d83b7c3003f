/* Re-verification of stored envelopes; see reverify.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reverify.h"

static const char SQL_MESSAGE[] =
    "SELECT (extract(epoch FROM received_at) * 1000)::bigint, outcome"
    " FROM message_log WHERE id = $1 AND envelope IS NOT NULL";
enum { MESSAGE_RECEIVED_MS, MESSAGE_OUTCOME };
static const char SQL_ENVELOPE[] =
    "SELECT envelope FROM message_log WHERE id = $1::bigint";
enum { ENVELOPE_BYTES };

ibx_err
hub_reverify_message(const hub_verifier *v, ibx_db *db, int64_t id,
		     char *report, size_t n)
{
	char idtext[24], role[16], err[1024];
	ibx_db_param p = {idtext, 0, false};
	ibx_db_result *res = NULL, *bin = NULL;
	ibx_envelope env;
	ibx_header h;
	int64_t received_ms;
	ibx_err rv;

	memset(&env, 0, sizeof(env));
	memset(&h, 0, sizeof(h));
	snprintf(idtext, sizeof(idtext), "%" PRId64, id);
	if ((rv = ibx_db_execp(db, SQL_MESSAGE, 1, &p, &res)) != IBX_OK ||
	    (rv = ibx_db_execp_binary(db, SQL_ENVELOPE, 1, &p, &bin)) !=
		IBX_OK)
		goto out;
	if (ibx_db_result_rows(res) == 0) {
		snprintf(report, n, "message %s: no stored envelope", idtext);
		rv = IBX_ENOTFOUND;
		goto out;
	}
	received_ms = strtoll(ibx_db_result_value(res, 0, MESSAGE_RECEIVED_MS),
			      NULL, 10);
	if (ibx_envelope_decode(
		(const uint8_t *)ibx_db_result_value(bin, 0, ENVELOPE_BYTES),
		(size_t)ibx_db_result_length(bin, 0, ENVELOPE_BYTES),
		&env) != IBX_OK ||
	    ibx_header_decode(env.header.data, env.header.len, &h) != IBX_OK) {
		snprintf(report, n, "message %s: envelope does not decode",
			 idtext);
		rv = IBX_ECRYPTO;
		goto out;
	}
	/* Checked as at its receipt: certificate dates and clock window. */
	if (hub_verify_envelope(v, db, &h, &env, received_ms, role, err,
				sizeof(err)) == IBX_ACK_ACCEPTED) {
		snprintf(
		    report, n,
		    "message %s from %s (%s) sequence %" PRIu64
		    ": signature and certificate verify (outcome at receipt: "
		    "%s)",
		    idtext, h.sender_id, role, h.sequence,
		    ibx_db_result_value(res, 0, MESSAGE_OUTCOME));
		rv = IBX_OK;
	} else {
		snprintf(report, n, "message %s from %s: does not verify: %s",
			 idtext, h.sender_id, err);
		rv = IBX_ECRYPTO;
	}
out:
	ibx_bytes_fini(&h.cert);
	ibx_envelope_fini(&env);
	ibx_db_result_free(res);
	ibx_db_result_free(bin);
	return (rv);
}
