-- ibx_account_for_signin (first defined by migration 060).

-- What the hub needs to check a sign-in: the account's password hash and
-- second factor.  No row for an unknown or disabled name.
CREATE OR REPLACE FUNCTION ibx_account_for_signin(p_login text)
RETURNS TABLE (id bigint, role text, org_code text, password_hash text,
	totp_secret bytea, totp_confirmed boolean, totp_last_step bigint,
	enrolment_hash bytea, enrolment_valid boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
	SELECT id, role, org_code, password_hash, totp_secret,
		totp_confirmed_at IS NOT NULL, totp_last_step, enrolment_hash,
		enrolment_hash IS NOT NULL AND enrolment_expires_at > now()
	FROM accounts WHERE login = p_login AND disabled_at IS NULL
$$;

-- The API role only (060).
REVOKE ALL ON FUNCTION ibx_account_for_signin(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_account_for_signin(text) TO inbound_api;
