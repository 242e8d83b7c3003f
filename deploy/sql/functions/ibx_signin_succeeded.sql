-- ibx_signin_succeeded (first defined by migration 060).

-- A sign-in that passed both factors: the code's time step p_step is
-- recorded (an older or equal step is refused: false), the enrolment
-- confirmed, the name's failures forgotten, and a session started.
CREATE OR REPLACE FUNCTION ibx_signin_succeeded(p_id bigint, p_login text, p_step bigint,
	p_session_hash bytea, p_csrf_hash bytea, p_address text)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	UPDATE accounts SET totp_last_step = p_step,
		totp_confirmed_at = coalesce(totp_confirmed_at, now()),
		last_signin_at = now()
	WHERE id = p_id AND disabled_at IS NULL AND totp_last_step < p_step;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	DELETE FROM signin_throttle WHERE kind = 'account' AND key = p_login;
	INSERT INTO account_sessions (session_hash, csrf_hash, account_id, address)
	VALUES (p_session_hash, p_csrf_hash, p_id, left(p_address, 128));
	RETURN true;
END
$$;

-- The API role only (060).
REVOKE ALL ON FUNCTION ibx_signin_succeeded(bigint, text, bigint, bytea, bytea, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_signin_succeeded(bigint, text, bigint, bytea, bytea, text) TO inbound_api;
