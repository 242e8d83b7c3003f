-- ibx_referral_response_refresh (first defined by migration 095).
--
-- Recompute referral_response for hospital p_org (NULL: every hospital
-- with a row or a referral in the window), from the referrals it received
-- that were sent in the last 90 days (reports sent back, which answer a
-- referral, are not referrals to a hospital and are left out):
--   * first answer: the hours from sent_at to first_answer_at (the first
--     acknowledged, declined, quote or second opinion); a referral still
--     unanswered 7 days (168 h) after it was sent counts with its time so
--     far, so a hospital cannot look fast by not answering; one withdrawn
--     by its referrer before any answer, or younger than 7 days and
--     unanswered, is left out;
--   * second opinion: the hours from sent_at to opinion_at.
-- Each median (percentile_cont 0.5, rounded to 0.1 h) is kept only when
-- it rests on at least 5 referrals (HUB_RANK_RESPONSE_MIN in
-- hub/api/rank.h says the same), NULL below; the count is always kept.
-- A hospital with nothing left in the window loses its row.  Returns the
-- rows written.  Called by ibx_referral_status_store (for the receiver),
-- ibx_referral_purge (all) and migration 095 (all).
CREATE OR REPLACE FUNCTION ibx_referral_response_refresh(p_org text)
RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	c_window constant integer := 90;
	c_min constant integer := 5;
	c_overdue constant interval := interval '168 hours';
	v_at timestamptz := clock_timestamp();
	v_rows bigint;
BEGIN
	-- An upsert, not a delete and insert: two statuses of one hospital
	-- stored at once both write its row, the second after the first.
	INSERT INTO referral_response AS x (org_code, window_days,
		first_answer_n, first_answer_hours, opinion_n, opinion_hours,
		refreshed_at)
	SELECT receiver, c_window, fa_n,
		CASE WHEN fa_n >= c_min THEN round(fa_h::numeric, 1) END,
		op_n, CASE WHEN op_n >= c_min THEN round(op_h::numeric, 1) END,
		v_at
	FROM (SELECT receiver,
		count(fa) AS fa_n,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY fa) AS fa_h,
		count(op) AS op_n,
		percentile_cont(0.5) WITHIN GROUP (ORDER BY op) AS op_h
	FROM (SELECT receiver,
		CASE WHEN first_answer_at IS NOT NULL THEN
			extract(epoch FROM first_answer_at - sent_at) / 3600
		WHEN state <> 'withdrawn' AND now() - sent_at >= c_overdue THEN
			extract(epoch FROM now() - sent_at) / 3600
		END AS fa,
		CASE WHEN opinion_at IS NOT NULL THEN
			extract(epoch FROM opinion_at - sent_at) / 3600
		END AS op
		FROM referrals
		WHERE (p_org IS NULL OR receiver = p_org)
		AND answers_referral_id IS NULL AND sent_at IS NOT NULL
		AND sent_at > now() - make_interval(days => c_window)) r
	GROUP BY receiver) t
	WHERE fa_n > 0 OR op_n > 0
	ON CONFLICT (org_code) DO UPDATE SET window_days = EXCLUDED.window_days,
		first_answer_n = EXCLUDED.first_answer_n,
		first_answer_hours = EXCLUDED.first_answer_hours,
		opinion_n = EXCLUDED.opinion_n,
		opinion_hours = EXCLUDED.opinion_hours,
		refreshed_at = EXCLUDED.refreshed_at;
	GET DIAGNOSTICS v_rows = ROW_COUNT;
	-- A hospital with nothing left in the window loses its row.
	DELETE FROM referral_response
	WHERE (p_org IS NULL OR org_code = p_org) AND refreshed_at < v_at;
	RETURN v_rows;
END
$$;

-- Called from the status store (SECURITY DEFINER) and by the owner.
REVOKE ALL ON FUNCTION ibx_referral_response_refresh(text) FROM PUBLIC;
