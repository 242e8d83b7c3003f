-- ibx_session_end (first defined by migration 060).

-- Sign out: end the session; true when there was one.
CREATE OR REPLACE FUNCTION ibx_session_end(p_hash bytea)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	UPDATE account_sessions SET ended_at = now(), end_reason = 'signed out'
	WHERE session_hash = p_hash AND ended_at IS NULL;
	RETURN FOUND;
END
$$;

-- The API role only (060).
REVOKE ALL ON FUNCTION ibx_session_end(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_session_end(bytea) TO inbound_api;
