-- ibx_saved_search_remove (first defined by migration 085).

-- Delete one of a person's saved searches: true when it was theirs and is
-- gone; false for an id that is not theirs (another person's looks the
-- same as none).
CREATE OR REPLACE FUNCTION ibx_saved_search_remove(p_account bigint, p_id bigint)
RETURNS boolean
LANGUAGE sql SECURITY DEFINER SET search_path = public AS $$
	WITH d AS (
		DELETE FROM saved_searches
		WHERE account_id = p_account AND id = p_id RETURNING 1
	)
	SELECT EXISTS (SELECT 1 FROM d)
$$;

-- The API role only (085).
REVOKE ALL ON FUNCTION ibx_saved_search_remove(bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_saved_search_remove(bigint, bigint) TO inbound_api;
