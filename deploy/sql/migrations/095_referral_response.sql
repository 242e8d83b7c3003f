-- 095: each receiving hospital's response times to referrals (issue 15,
-- "Measurement"; docs/referrals.md, "Measurement").
--
-- One row per hospital that received a referral in the last 90 days:
-- the median hours from sent to the hospital's first answer, and from
-- sent to the second opinion returned, each with the number of referrals
-- it rests on.  A median resting on fewer than 5 referrals is NULL: a
-- median of one or two referrals is noise, and it would be the time of
-- one identifiable case.  Written by ibx_referral_response_refresh: for
-- the receiver on every status it stores (ibx_referral_status_store), and
-- for every hospital by the retention run (ibx_referral_purge), so the 90
-- days keep sliding when nothing is answered.  The hospital's detail and
-- search read this row (one lookup by code); nothing aggregates referrals
-- per request.
CREATE TABLE referral_response (
	org_code text PRIMARY KEY REFERENCES organisations (code),
	window_days integer NOT NULL CHECK (window_days > 0),
	-- referrals counted for the first answer: answered ones, and those
	-- still unanswered after 7 days (counted with their time so far)
	first_answer_n integer NOT NULL CHECK (first_answer_n >= 0),
	first_answer_hours numeric(10, 1)
		CHECK (first_answer_hours IS NULL OR first_answer_hours >= 0),
	-- second opinions returned
	opinion_n integer NOT NULL CHECK (opinion_n >= 0),
	opinion_hours numeric(10, 1)
		CHECK (opinion_hours IS NULL OR opinion_hours >= 0),
	refreshed_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON referral_response TO inbound_api;

-- ibx:after-functions
-- The referrals stored before this migration.
SELECT ibx_referral_response_refresh(NULL);
