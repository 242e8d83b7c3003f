-- ibx_intake_enrolment (first defined by migration 027).

-- The organisation, revocation and role of an enrolled certificate.
-- PL/pgSQL, so its query is planned once per session: a SECURITY DEFINER
-- SQL function is never inlined and was parsed and planned again for every
-- envelope (issue 18: about 190 µs of its 250 µs).
CREATE OR REPLACE FUNCTION ibx_intake_enrolment(p_fingerprint bytea)
RETURNS TABLE (org_code text, revoked boolean, role text)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public AS $$
BEGIN
	RETURN QUERY
	SELECT c.org_code, c.revoked_at IS NOT NULL, o.role
	FROM certificates c JOIN organisations o ON o.code = c.org_code
	WHERE c.fingerprint = p_fingerprint;
END
$$;

-- The intake role only (027): SECURITY DEFINER, search_path pinned.
REVOKE ALL ON FUNCTION ibx_intake_enrolment(bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION ibx_intake_enrolment(bytea) TO inbound_intake;
