-- ibx_token_lookup (first defined by migration 004).

-- A token's role and organisation, when it is valid now.  PL/pgSQL, not
-- SQL: a SECURITY DEFINER SQL function is never inlined, so PostgreSQL
-- parsed and planned its query again on every API call; PL/pgSQL plans it
-- once per session (issue 18, figure 4).
CREATE OR REPLACE FUNCTION ibx_token_lookup(p_hash bytea)
RETURNS TABLE (id bigint, role text, org_code text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
	RETURN QUERY SELECT t.id, t.role, t.org_code FROM api_tokens t
	WHERE t.token_hash = p_hash AND t.revoked_at IS NULL
	  AND (t.expires_at IS NULL OR t.expires_at > now());
END
$$;

REVOKE ALL ON FUNCTION ibx_token_lookup(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_token_lookup(bytea) TO inbound_api;
