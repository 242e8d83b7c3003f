-- ibx_session_lookup (first defined by migration 060).

-- The account behind a session cookie (its SHA-256), when the session is
-- neither ended, idle for p_idle seconds, older than p_max seconds, nor its
-- account disabled; its last use moves to now.  A session found too old is
-- ended with the reason.
CREATE OR REPLACE FUNCTION ibx_session_lookup(p_hash bytea, p_idle integer, p_max integer)
RETURNS TABLE (session_id bigint, account_id bigint, login text, role text,
	org_code text, csrf_hash bytea)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	s account_sessions%ROWTYPE;
BEGIN
	SELECT * INTO s FROM account_sessions
	WHERE session_hash = p_hash AND ended_at IS NULL FOR UPDATE;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	IF s.last_seen_at < now() - p_idle * interval '1 second' THEN
		UPDATE account_sessions SET ended_at = now(), end_reason = 'idle'
		WHERE id = s.id;
		RETURN;
	END IF;
	IF s.created_at < now() - p_max * interval '1 second' THEN
		UPDATE account_sessions SET ended_at = now(), end_reason = 'absolute'
		WHERE id = s.id;
		RETURN;
	END IF;
	UPDATE account_sessions SET last_seen_at = now() WHERE id = s.id;
	RETURN QUERY SELECT s.id, a.id, a.login, a.role, a.org_code, s.csrf_hash
		FROM accounts a WHERE a.id = s.account_id AND a.disabled_at IS NULL;
END
$$;

-- The API role only (060).
REVOKE ALL ON FUNCTION ibx_session_lookup(bytea, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_session_lookup(bytea, integer, integer) TO inbound_api;
