-- ibx_signin_lock (first defined by migration 060).

-- The longer of the account's and the address's locks, in whole seconds
-- (0 when neither is locked), and which one it is.
CREATE OR REPLACE FUNCTION ibx_signin_lock(p_login text, p_address text)
RETURNS TABLE (kind text, seconds integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT coalesce(max(t.kind), 'none'),
		coalesce(ceil(max(extract(epoch FROM t.locked_until - now())))::integer, 0)
	FROM (SELECT s.kind, s.locked_until FROM signin_throttle s
	      WHERE ((s.kind = 'account' AND s.key = p_login)
		  OR (s.kind = 'address' AND s.key = p_address))
		AND s.locked_until > now()
	      ORDER BY s.locked_until DESC LIMIT 1) t
$$;

-- The API role only (060).
REVOKE ALL ON FUNCTION ibx_signin_lock(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_signin_lock(text, text) TO inbound_api;
