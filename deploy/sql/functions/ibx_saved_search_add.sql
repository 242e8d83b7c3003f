-- ibx_saved_search_add (first defined by migration 085).

-- Save a search for a person (at most 50): its id as text, or 'exists'
-- (the name is taken: a name is unique per person) or 'full'.
CREATE OR REPLACE FUNCTION ibx_saved_search_add(p_account bigint, p_name text,
	p_page text, p_query text)
RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	v_id bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(1229084752, p_account::integer);
	IF EXISTS (SELECT 1 FROM saved_searches
		   WHERE account_id = p_account AND name = p_name) THEN
		RETURN 'exists';
	END IF;
	IF (SELECT count(*) FROM saved_searches WHERE account_id = p_account) >= 50 THEN
		RETURN 'full';
	END IF;
	INSERT INTO saved_searches (account_id, name, page, query)
	VALUES (p_account, p_name, p_page, p_query) RETURNING id INTO v_id;
	RETURN v_id::text;
END
$$;

-- The API role only (085).
REVOKE ALL ON FUNCTION ibx_saved_search_add(bigint, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_saved_search_add(bigint, text, text, text) TO inbound_api;
