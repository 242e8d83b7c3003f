-- ibx_shortlist (first defined by migration 060).

-- A user's shortlist, newest first, with each hospital's name.
CREATE OR REPLACE FUNCTION ibx_shortlist(p_account bigint)
RETURNS TABLE (org_code text, added_at timestamptz, listed boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT s.org_code, s.added_at,
		EXISTS (SELECT 1 FROM hospital_listings h WHERE h.org_code = s.org_code)
	FROM shortlists s WHERE s.account_id = p_account
	ORDER BY s.added_at DESC, s.org_code
$$;

-- The API role only (060).
REVOKE ALL ON FUNCTION ibx_shortlist(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_shortlist(bigint) TO inbound_api;
