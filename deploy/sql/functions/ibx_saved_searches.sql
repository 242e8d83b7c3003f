-- ibx_saved_searches (first defined by migration 085).

-- A person's saved searches, newest first.
CREATE OR REPLACE FUNCTION ibx_saved_searches(p_account bigint)
RETURNS TABLE (id bigint, name text, page text, query text,
	created_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT s.id, s.name, s.page, s.query, s.created_at
	FROM saved_searches s WHERE s.account_id = p_account
	ORDER BY s.created_at DESC, s.id DESC
$$;

-- The API role only (085).
REVOKE ALL ON FUNCTION ibx_saved_searches(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_saved_searches(bigint) TO inbound_api;
