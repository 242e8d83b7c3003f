-- ibx_account_enrol (first defined by migration 060).

-- Start a TOTP enrolment: the one-time code (its hash p_code_hash) is
-- consumed and the new key stored, unconfirmed until the first code from
-- it signs in.  False when the code does not match or has expired.
CREATE OR REPLACE FUNCTION ibx_account_enrol(p_id bigint, p_code_hash bytea, p_secret bytea)
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
	UPDATE accounts SET totp_secret = p_secret, totp_confirmed_at = NULL,
		totp_last_step = 0, enrolment_hash = NULL, enrolment_expires_at = NULL
	WHERE id = p_id AND disabled_at IS NULL AND enrolment_hash = p_code_hash
	  AND enrolment_expires_at > now();
	RETURN FOUND;
END
$$;

-- The API role only (060).
REVOKE ALL ON FUNCTION ibx_account_enrol(bigint, bytea, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_account_enrol(bigint, bytea, bytea) TO inbound_api;
