-- 091: a coordinator's API token may name its organisation (issue 15):
-- GET /api/v1/referrals shows a coordinator the referrals it sent, which
-- needs to know who it is (a coordinator's account always does).  A
-- hospital's token still must name its hospital, a ministry token never
-- names one.
ALTER TABLE api_tokens DROP CONSTRAINT IF EXISTS api_tokens_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_org_check CHECK (
	CASE role WHEN 'hospital' THEN org_code IS NOT NULL
		WHEN 'ministry' THEN org_code IS NULL
		ELSE true END);
