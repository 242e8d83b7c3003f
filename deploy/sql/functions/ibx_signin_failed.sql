-- ibx_signin_failed (first defined by migration 060).

-- One failure of p_login from p_address.  Each key locks once its
-- failures reach its threshold (p_account_after for a name, p_address_after
-- for an address), for p_base seconds doubled at each further failure, at
-- most a day; failures older than 15 minutes are forgotten unless locked.
-- Returns the lock now in force for the name, in seconds.
CREATE OR REPLACE FUNCTION ibx_signin_failed(p_login text, p_address text,
	p_account_after integer, p_address_after integer, p_base integer)
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
	k record;
	v_failures integer;
	v_lock integer := 0;
BEGIN
	FOR k IN SELECT * FROM (VALUES ('account', left(p_login, 128), p_account_after),
		('address', left(p_address, 128), p_address_after)) AS x(kind, key, after)
	LOOP
		INSERT INTO signin_throttle AS s (kind, key, failures)
		VALUES (k.kind, k.key, 1)
		ON CONFLICT (kind, key) DO UPDATE SET
			failures = CASE WHEN s.last_failure_at < now() - interval '15 minutes'
					 AND coalesce(s.locked_until, '-infinity') < now()
				THEN 1 ELSE s.failures + 1 END,
			last_failure_at = now()
		RETURNING failures INTO v_failures;
		IF v_failures >= k.after THEN
			UPDATE signin_throttle SET locked_until = now() + least(86400,
				p_base * power(2, least(v_failures - k.after, 16))) * interval '1 second'
			WHERE kind = k.kind AND key = k.key;
			IF k.kind = 'account' THEN
				v_lock := least(86400, p_base * power(2, least(v_failures - k.after, 16)))::integer;
			END IF;
		END IF;
	END LOOP;
	RETURN v_lock;
END
$$;

-- The API role only (060).
REVOKE ALL ON FUNCTION ibx_signin_failed(text, text, integer, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_signin_failed(text, text, integer, integer, integer) TO inbound_api;
