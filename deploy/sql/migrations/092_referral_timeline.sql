-- 092: the status timeline of one referral for GET /api/v1/referrals/{id}
-- (issue 15): the API may read who moved a referral to which state and
-- when, with the metadata a status carries (reason code, price band,
-- earliest date, the returned report's id, the visit date), but never an
-- envelope or its digest.
GRANT SELECT (id, referral_id, kind, state, sender, reason_code,
	price_min_jpy, price_max_jpy, earliest_date, report_referral_id,
	visit_date, at) ON referral_events TO inbound_api;
