/*
 * The referral channel's metadata (GET /api/v1/referrals; issue 15,
 * docs/referrals.md).  Never a package, a sealed key or a chunk: the API's
 * database role may read only the metadata columns of referrals
 * (migration 090).
 *
 *   coordinator  the referrals it sent, newest first (at most 200), and
 *                per receiving hospital the median hours from sent to
 *                the first answer (acknowledged, declined, quote or
 *                second opinion) over the last 90 days
 *   hospital     the referrals addressed to it, and its own response
 *                time
 *   ministry     counts by state only, never one referral
 *
 * The ministry's portfolio of referrals (by month, purpose and
 * nationality, the conversion from second opinion to visit) belongs under
 * the disclosure control of the statistics (docs/disclosure-control.md)
 * and is not served here.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"

/* $1: the referrer, or NULL; $2: the receiver, or NULL. */
static const char SQL_REFERRALS[] =
    "WITH mine AS (SELECT referral_id, referrer, receiver, purpose,"
    "  department, treatment, nationality, age_band, languages, urgency,"
    "  package_bytes, chunk_count, answers_referral_id, state, created_at,"
    "  sent_at, delivered_at, first_answer_at, opinion_at, updated_at,"
    "  chunks_deleted_at, chunks_deleted_reason FROM referrals"
    "  WHERE ($1::text IS NULL OR referrer = $1)"
    "  AND ($2::text IS NULL OR receiver = $2))"
    " SELECT json_build_object("
    " 'referrals', (SELECT coalesce(json_agg(json_build_object("
    "  'referral_id', referral_id, 'referrer', referrer,"
    "  'receiver', receiver, 'purpose', purpose,"
    "  'department', department, 'treatment', treatment,"
    "  'nationality', nationality, 'age_band', age_band,"
    "  'languages', languages, 'urgency', urgency,"
    "  'package_bytes', package_bytes, 'chunk_count', chunk_count,"
    "  'answers_referral_id', answers_referral_id,"
    "  'state', CASE WHEN state <> 'receiving' THEN state WHEN"
    "  chunks_deleted_at IS NULL THEN 'sending' ELSE 'expired' END,"
    "  'created_at', created_at, 'sent_at', sent_at,"
    "  'delivered_at', delivered_at, 'first_answer_at', first_answer_at,"
    "  'opinion_at', opinion_at, 'updated_at', updated_at,"
    "  'chunks_deleted_at', chunks_deleted_at,"
    "  'chunks_deleted_reason', chunks_deleted_reason)"
    "  ORDER BY created_at DESC, referral_id), '[]')"
    "  FROM (SELECT * FROM mine ORDER BY created_at DESC LIMIT 200) r),"
    " 'response_times', (SELECT coalesce(json_agg(json_build_object("
    "  'hospital', receiver, 'answered', n, 'median_hours', h)"
    "  ORDER BY receiver), '[]') FROM (SELECT receiver, count(*) AS n,"
    "  round((percentile_cont(0.5) WITHIN GROUP (ORDER BY"
    "  extract(epoch FROM first_answer_at - sent_at)) / 3600)::numeric, 2)"
    "  AS h FROM mine WHERE first_answer_at IS NOT NULL"
    "  AND sent_at > now() - interval '90 days'"
    "  AND answers_referral_id IS NULL GROUP BY receiver) t))::text";

static const char SQL_COUNTS[] =
    "SELECT json_build_object('counts', coalesce(json_agg("
    " json_build_object('state', s, 'referrals', n) ORDER BY s), '[]'),"
    " 'total', coalesce(sum(n), 0))::text FROM (SELECT CASE WHEN state"
    " <> 'receiving' THEN state WHEN chunks_deleted_at IS NULL THEN"
    " 'sending' ELSE 'expired' END AS s, count(*) AS n"
    " FROM referrals WHERE answers_referral_id IS NULL GROUP BY 1) c";

void
hub_api_referrals(hub_api_call *c, const char *arg,
		  const ibx_http_request *req, ibx_http_response *resp)
{
	const char *v[2] = {NULL, NULL};
	ibx_db_result *res = NULL;
	ibx_err rv;

	(void)arg;
	if (req->nargs > 0) {
		hub_api_error(resp, 400, "parameter: none is accepted");
		return;
	}
	if (c->who.role == HUB_ROLE_COORDINATOR) {
		if (c->who.org_code[0] == '\0') {
			hub_api_error(resp, 403,
				      "role: this coordinator's token names "
				      "no organisation (inboundctl token "
				      "create --org, or sign in)");
			return;
		}
		v[0] = c->who.org_code;
	} else if (c->who.role == HUB_ROLE_HOSPITAL)
		v[1] = c->who.org_code;
	if (c->who.role == HUB_ROLE_MINISTRY)
		rv = ibx_db_exec(c->db, SQL_COUNTS, 0, NULL, &res);
	else
		rv = ibx_db_exec(c->db, SQL_REFERRALS, 2, v, &res);
	if (rv != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	hub_api_dup_json(resp, ibx_db_result_value(res, 0, 0),
			 (size_t)ibx_db_result_length(res, 0, 0));
	ibx_db_result_free(res);
}
