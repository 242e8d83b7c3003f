-- ibx_token_lookup (first defined by migration 004).

-- A token's role and organisation, when it is valid now.
CREATE OR REPLACE FUNCTION ibx_token_lookup(p_hash bytea)
RETURNS TABLE (id bigint, role text, org_code text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT id, role, org_code FROM api_tokens
	WHERE token_hash = p_hash AND revoked_at IS NULL
	  AND (expires_at IS NULL OR expires_at > now())
$$;

REVOKE ALL ON FUNCTION ibx_token_lookup(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_token_lookup(bytea) TO inbound_api;
