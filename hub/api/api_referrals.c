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
 *   ministry     refused by the route table (403): an exact count of
 *                referrals is not protected; its referral figures are
 *                the portfolio's, measured under disclosure control
 *                (docs/disclosure-control.md section 12)
 *
 * GET /api/v1/referrals/{id}: one referral's metadata and its status
 * timeline (each state, who moved it there, when, and what the status
 * carried: reason code, price band, earliest date, report, visit date),
 * for its two parties only.  To anyone else it answers 404, exactly as for
 * an id that does not exist, so ids cannot be probed; the ministry is
 * refused by the route table (403), as for the list.
 *
 * The ministry's portfolio of referrals (by month, purpose and
 * nationality, the conversion from second opinion to visit) belongs under
 * the disclosure control of the statistics (docs/disclosure-control.md)
 * and is not served here.
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "referral.h"

/* $1: the referrer, or NULL; $2: the receiver, or NULL. */
/* The name of an organisation code c (a listed hospital, a coordinator or
 * a partner abroad), Japanese and English, as SQL over the column c. */
#define ORG_NAMES(c)                                                          \
	"(SELECT json_build_object('ja', coalesce(h.name_ja, k.name_ja,"      \
	" p.name), 'en', coalesce(h.name_en, k.name_en, p.name))"             \
	" FROM (SELECT 1) one"                                                \
	" LEFT JOIN hospital_listings h ON h.org_code = " c                   \
	" LEFT JOIN coordinator_listings k ON k.org_code = " c                \
	" LEFT JOIN partner_listings p ON p.org_code = " c ")"

/* One referral's metadata as a JSON object, over a row r of referrals.
 * Its state as the parties see it: 'receiving' is 'sending' while the
 * chunks come, and 'expired' once the retention purge deleted a partial
 * referral's chunks (ibx_referral_purge). */
/* clang-format off */
#define REFERRAL_JSON \
	"json_build_object(" \
	"  'referral_id', r.referral_id, 'referrer', r.referrer," \
	"  'referrer_name', " ORG_NAMES("r.referrer") "," \
	"  'receiver', r.receiver," \
	"  'receiver_name', " ORG_NAMES("r.receiver") "," \
	"  'purpose', r.purpose, 'department', r.department," \
	"  'treatment', r.treatment, 'nationality', r.nationality," \
	"  'age_band', r.age_band, 'languages', r.languages," \
	"  'urgency', r.urgency, 'package_bytes', r.package_bytes," \
	"  'chunk_count', r.chunk_count," \
	"  'answers_referral_id', r.answers_referral_id," \
	"  'state', CASE WHEN r.state <> 'receiving' THEN r.state" \
	"   WHEN r.chunks_deleted_at IS NULL THEN 'sending'" \
	"   ELSE 'expired' END," \
	"  'created_at', r.created_at, 'sent_at', r.sent_at," \
	"  'delivered_at', r.delivered_at," \
	"  'first_answer_at', r.first_answer_at," \
	"  'first_answer_hours', round((extract(epoch FROM" \
	"   r.first_answer_at - r.sent_at) / 3600)::numeric, 2)," \
	"  'opinion_at', r.opinion_at, 'updated_at', r.updated_at," \
	"  'chunks_deleted_at', r.chunks_deleted_at," \
	"  'chunks_deleted_reason', r.chunks_deleted_reason)"
/* clang-format on */

/* $1: the referrer, or NULL; $2: the receiver, or NULL; $3 limit; $4
 * offset. */
static const char SQL_REFERRALS[] =
    "WITH mine AS (SELECT referral_id, referrer, receiver, purpose,"
    "  department, treatment, nationality, age_band, languages, urgency,"
    "  package_bytes, chunk_count, answers_referral_id, state, created_at,"
    "  sent_at, delivered_at, first_answer_at, opinion_at, updated_at,"
    "  chunks_deleted_at, chunks_deleted_reason FROM referrals"
    "  WHERE ($1::text IS NULL OR referrer = $1)"
    "  AND ($2::text IS NULL OR receiver = $2))"
    " SELECT json_build_object("
    " 'referrals', (SELECT coalesce(json_agg(" REFERRAL_JSON
    "  ORDER BY r.created_at DESC, r.referral_id), '[]')"
    "  FROM (SELECT * FROM mine ORDER BY created_at DESC, referral_id"
    "  LIMIT $3::int OFFSET $4::int) r),"
    " 'total', (SELECT count(*) FROM mine),"
    " 'limit', $3::int, 'offset', $4::int,"
    " 'response_times', (SELECT coalesce(json_agg(json_build_object("
    "  'hospital', receiver, 'answered', n, 'median_hours', h)"
    "  ORDER BY receiver), '[]') FROM (SELECT receiver, count(*) AS n,"
    "  round((percentile_cont(0.5) WITHIN GROUP (ORDER BY"
    "  extract(epoch FROM first_answer_at - sent_at)) / 3600)::numeric, 2)"
    "  AS h FROM mine WHERE first_answer_at IS NOT NULL"
    "  AND sent_at > now() - interval '90 days'"
    "  AND answers_referral_id IS NULL GROUP BY receiver) t))::text";

/* $1: the referral id; $2: the caller's organisation, which must be one
 * of its two parties (else no row: 404).  The timeline is the inbox feed
 * of the referral (migration 092 lets the API read its metadata columns,
 * never an envelope), oldest first. */
static const char SQL_REFERRAL[] =
    "SELECT json_build_object('referral', " REFERRAL_JSON ","
    " 'statuses', (SELECT coalesce(json_agg(json_build_object("
    "  'state', e.state, 'by', e.sender, 'at', e.at,"
    "  'reason_code', e.reason_code, 'price_min_jpy', e.price_min_jpy,"
    "  'price_max_jpy', e.price_max_jpy, 'earliest_date', e.earliest_date,"
    "  'report_referral_id', e.report_referral_id,"
    "  'visit_date', e.visit_date) ORDER BY e.id), '[]')"
    "  FROM referral_events e WHERE e.referral_id = r.referral_id),"
    " 'reports', (SELECT coalesce(json_agg(a.referral_id"
    "  ORDER BY a.created_at), '[]') FROM referrals a"
    "  WHERE a.answers_referral_id = r.referral_id))::text"
    " FROM referrals r WHERE r.referral_id = $1"
    " AND (r.referrer = $2 OR r.receiver = $2)";

void
hub_api_referrals(hub_api_call *c, const char *arg,
		  const ibx_http_request *req, ibx_http_response *resp)
{
	const char *v[4] = {NULL, NULL, NULL, NULL};
	char lim[24], off[24];
	hub_api_page pg;
	ibx_db_result *res = NULL;
	ibx_err rv;
	size_t i;

	(void)arg;
	for (i = 0; i < req->nargs; i++)
		if (!hub_api_page_param(req->args[i].key)) {
			hub_api_error(resp, 400,
				      "parameter: only limit and offset");
			return;
		}
	if (hub_api_args_unique(req, resp) != 0 ||
	    hub_api_page_parse(req, HUB_API_REFERRALS_PAGE_MAX,
			       HUB_API_REFERRALS_PAGE_MAX, &pg, resp) != 0)
		return;
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
	snprintf(lim, sizeof(lim), "%ld", pg.limit);
	snprintf(off, sizeof(off), "%ld", pg.offset);
	v[2] = lim;
	v[3] = off;
	rv = ibx_db_exec(c->db, SQL_REFERRALS, 4, v, &res);
	if (rv != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	hub_api_dup_json(resp, ibx_db_result_value(res, 0, 0),
			 (size_t)ibx_db_result_length(res, 0, 0));
	ibx_db_result_free(res);
}

void
hub_api_referral_get(hub_api_call *c, const char *arg,
		     const ibx_http_request *req, ibx_http_response *resp)
{
	const char *v[2];
	ibx_db_result *res = NULL;
	ibx_err rv;

	if (req->nargs > 0) {
		hub_api_error(resp, 400, "parameter: none is accepted");
		return;
	}
	if (!ibx_referral_id_valid(arg)) {
		hub_api_error(resp, 400,
			      "path parameter \"id\": a referral id is 32 "
			      "lowercase hex digits");
		return;
	}
	/* The route admits coordinators and hospitals only; one without an
	 * organisation is a party of nothing. */
	if (c->who.org_code[0] == '\0') {
		hub_api_error(resp, 404, "no referral with that id");
		return;
	}
	v[0] = arg;
	v[1] = c->who.org_code;
	if ((rv = ibx_db_exec(c->db, SQL_REFERRAL, 2, v, &res)) != IBX_OK) {
		hub_api_db_error(resp, rv);
		return;
	}
	if (ibx_db_result_rows(res) != 1) {
		/* Not there, or not the caller's: the same answer. */
		hub_api_error(resp, 404, "no referral with that id");
		goto out;
	}
	hub_api_dup_json(resp, ibx_db_result_value(res, 0, 0),
			 (size_t)ibx_db_result_length(res, 0, 0));
out:
	ibx_db_result_free(res);
}
