-- ibx_referral_release_truth (issue 15, the referral measurement).
--
-- What the protected release measures of the referral channel for the
-- month starting p_month (hub/stats/release.c, measure_referrals;
-- docs/disclosure-control.md section 12), before its noise:
--   ('referrals', purpose, nationality, n): the month's referrals (sent in
--     the month; reports sent back are not referrals) by purpose and
--     nationality, after the contribution clip;
--   ('opinion_referrals', '', '', n): the second-opinion referrals of the
--     month p_lag months before, after that month's clip (the cohort);
--   ('opinion_visits', '', '', n): those of the cohort for which the
--     receiver had signed visit_scheduled or visited before the end of
--     the month p_month.
-- The clip: of each group of referrals that share referrer, nationality
-- and age band in one month, only the first p_k (by sent_at, then id) are
-- counted.  A patient's nationality and age band are the patient's, so
-- all the referrals one referrer makes for one patient in a month fall in
-- one group: adding or removing the patient changes the counted set of
-- that group only, by at most p_k referrals out and p_k in.  That is the
-- bound the release's sensitivities rest on.  Read only by the release
-- (the owner's connection) and by tests; nothing of it leaves the hub.
CREATE OR REPLACE FUNCTION ibx_referral_release_truth(p_month date,
	p_k integer, p_lag integer)
RETURNS TABLE (measure text, purpose text, nationality text, n bigint)
LANGUAGE sql STABLE SET search_path = public AS $$
	WITH kept AS (
		SELECT r.referral_id, r.purpose, coalesce(r.nationality, '') AS nat,
			date_trunc('month', r.sent_at)::date AS month,
			row_number() OVER (PARTITION BY r.referrer,
				coalesce(r.nationality, ''), coalesce(r.age_band, ''),
				date_trunc('month', r.sent_at)
				ORDER BY r.sent_at, r.referral_id) AS k
		FROM referrals r
		WHERE r.answers_referral_id IS NULL AND r.sent_at IS NOT NULL
		AND ((r.sent_at >= p_month
			AND r.sent_at < p_month + interval '1 month')
		OR (r.sent_at >= p_month - make_interval(months => p_lag)
			AND r.sent_at < p_month - make_interval(months => p_lag)
				+ interval '1 month'))
	), counted AS (SELECT * FROM kept WHERE k <= p_k)
	SELECT 'referrals', c.purpose, c.nat, count(*)
	FROM counted c WHERE c.month = p_month GROUP BY 2, 3
	UNION ALL
	SELECT 'opinion_referrals', '', '', count(*)
	FROM counted c
	WHERE c.month = (p_month - make_interval(months => p_lag))::date
	AND c.purpose = 'second_opinion'
	UNION ALL
	SELECT 'opinion_visits', '', '', count(*)
	FROM counted c
	WHERE c.month = (p_month - make_interval(months => p_lag))::date
	AND c.purpose = 'second_opinion'
	AND EXISTS (SELECT 1 FROM referral_events e
		WHERE e.referral_id = c.referral_id
		AND e.state IN ('visit_scheduled', 'visited')
		AND e.at < p_month + interval '1 month')
$$;

-- The release's writer (the migration owner) only.
REVOKE ALL ON FUNCTION ibx_referral_release_truth(date, integer, integer) FROM PUBLIC;
