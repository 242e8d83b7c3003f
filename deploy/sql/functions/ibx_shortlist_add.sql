-- ibx_shortlist_add (first defined by migration 060).

-- Add a listed hospital to a user's shortlist (at most 50): 'added',
-- 'present', 'not listed' or 'full'.
CREATE OR REPLACE FUNCTION ibx_shortlist_add(p_account bigint, p_code text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM hospital_listings WHERE org_code = p_code) THEN
		RETURN 'not listed';
	END IF;
	IF EXISTS (SELECT 1 FROM shortlists WHERE account_id = p_account AND org_code = p_code) THEN
		RETURN 'present';
	END IF;
	PERFORM pg_advisory_xact_lock(1229084751, p_account::integer);
	IF (SELECT count(*) FROM shortlists WHERE account_id = p_account) >= 50 THEN
		RETURN 'full';
	END IF;
	INSERT INTO shortlists (account_id, org_code) VALUES (p_account, p_code)
	ON CONFLICT DO NOTHING;
	RETURN 'added';
END
$$;

-- The API role only (060).
REVOKE ALL ON FUNCTION ibx_shortlist_add(bigint, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_shortlist_add(bigint, text) TO inbound_api;
